/*
 * outbox.h — the queueing side of the outbox table: a message added
 * (once per event, key and step, by the table's unique key), cancelled
 * for an invoice or one by one, the scheduled reminders that came due
 * and what becomes of them (queued with their text, or cancelled with
 * the reason), and the list the outbox report shows. Delivery (claiming
 * due rows, sent, failed, retries) is store/deliveries.h's. Every
 * function works inside the caller's transaction and returns 0, or -1
 * with e filled (1 where it says so for "no such message").
 */
#ifndef CAREBILL_STORE_OUTBOX_H
#define CAREBILL_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"
#include "rules/rules.h"

/* A message's life: scheduled reminders keep no text until they come
 * due; queued ones wait for their send time; sending while a delivery
 * holds them. */
enum outbox_status {
    OUTBOX_SCHEDULED,
    OUTBOX_QUEUED,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OUTBOX_FAILED,
    OUTBOX_CANCELLED,
};
/* "scheduled", "queued", ... as the ledger spells them; "?" otherwise. */
const char *outbox_status_name(enum outbox_status s);

/* A message to add; strings are borrowed (subject and body NULL for a
 * scheduled one). */
struct outbox_row {
    enum event event;
    const char *key;      /* "invoice:ID", ... */
    int step;             /* reminder step (1-based), else 0 */
    int64_t invoice;      /* 0: about no invoice */
    const char *account, *template_id, *to_addr, *to_name;
    const char *subject, *body;
    int attach_pdf;
    enum outbox_status status;
    const char *send_at;  /* "YYYY-MM-DD HH:MM" */
    int attach_ubl;       /* 1: attach the invoice's UBL file as well */
    /* A queued message without its text (subject and body NULL) is
     * rendered when it is sent (usecase/outbox.h outbox_render) from these
     * and its invoice: the subscription name its invoice's lines do not
     * give (NULL: they do), and the invoice's paid amount now. */
    int deferred;
    const char *sub_name;
    int64_t paid_cents;
};

/* Add m unless a message with its (event, key, step) exists: then
 * nothing is written. *added (when non-NULL) is 1 when a row was added. */
int outbox_insert(struct ledger *lg, const struct outbox_row *m, int *added,
                  struct err *e);

/* Cancel the messages of invoice `invoice` still scheduled or queued for
 * event ev (every event when ev < 0). */
int outbox_cancel_for_invoice(struct ledger *lg, int64_t invoice, int ev,
                              struct err *e);

/* The status of message id into *s; 1 when there is no such message
 * ("no message ID in the outbox"). */
int outbox_status(struct ledger *lg, int64_t id, enum outbox_status *s,
                  struct err *e);

/* Cancel message id whatever its status; `why` (NULL: left as it is)
 * becomes its last reply. */
int outbox_cancel(struct ledger *lg, int64_t id, const char *why,
                  struct err *e);

/* The earliest cancelled reminder of invoice `invoice` is scheduled again
 * at send_at; *changed = 1 when there was one, else 0. */
int outbox_reschedule_reminder(struct ledger *lg, int64_t invoice,
                               const char *send_at, int *changed,
                               struct err *e);

/* Scheduled message id comes due: queued with its rendered text. */
int outbox_set_queued(struct ledger *lg, int64_t id, const char *subject,
                      const char *body, struct err *e);

/* A scheduled reminder that came due, with its account's opt-out. */
struct outbox_reminder {
    int64_t id, invoice;
    int step;         /* 1-based */
    int reminders_ok; /* 0: the account opted out of reminders */
};

/* Up to max scheduled messages with send_at not after `until`, in send
 * time then id order, into out[0..*n). */
int outbox_due_reminders(struct ledger *lg, const char *until,
                         struct outbox_reminder *out, size_t max, size_t *n,
                         struct err *e);

/* Number of queued rows into *n (an invoice e-mail left to be made is
 * no row yet: the run that left it counts it). */
int outbox_count_queued(struct ledger *lg, int64_t *n, struct err *e);

/* Invoice e-mails made later (schema/016_mail_at_send.sql): an invoice
 * whose `mail` names a template and whose id is above the outbox's mark
 * has its e-mail still to be made into a row. */

/* The mark into *mark, and the highest invoice id into *last. */
int outbox_made_mark(struct ledger *lg, int64_t *mark, int64_t *last,
                     struct err *e);
/* Move the mark to `mark`. */
int outbox_made_set(struct ledger *lg, int64_t mark, struct err *e);

/* An invoice whose e-mail is to be made; strings owned. */
struct deferred_mail {
    int64_t invoice;
    char *template_id;
    cdate issued;
    char *rules_hash;
    char *account, *to_addr, *to_name; /* the account, as it is now */
};
void deferred_mail_free(struct deferred_mail *d);

/* Up to max invoices with id in (after, upto] whose e-mail is to be made,
 * in id order, into batch[0..*n). */
int outbox_deferred_after(struct ledger *lg, int64_t after, int64_t upto,
                          struct deferred_mail *batch, size_t max, size_t *n,
                          struct err *e);

/* One message as the outbox report shows it. Strings are owned
 * (outbox_list_free); NULL when the row has none. */
struct outbox_entry {
    int64_t id;
    char *template_id, *to_addr, *subject;
    enum outbox_status status;
    char *send_at;
    char *invoice;    /* the invoice's number */
    char *event;      /* as stored: event_name() */
    int step, attempts;
    char *last_reply;
    /* Queued without its text (outbox_row's deferred), and what it is
     * rendered from */
    int deferred;
    int64_t invoice_id, paid_cents;
    char *to_name, *sub_name;
    char *body;       /* outbox_get only; the list leaves it NULL */
    char *sent_at;
};

/* Message id into *out (outbox_entry_free); 1 when there is none ("no
 * message ID in the outbox"). */
int outbox_get(struct ledger *lg, int64_t id, struct outbox_entry *out,
               struct err *e);
void outbox_entry_free(struct outbox_entry *m);

/* Every message (of `account` only, when non-NULL), in id order. *out is
 * malloc'd (outbox_list_free); *n may be 0. */
int outbox_list(struct ledger *lg, const char *account,
                struct outbox_entry **out, size_t *n, struct err *e);
void outbox_list_free(struct outbox_entry *v, size_t n);

#endif
