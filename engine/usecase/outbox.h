/*
 * outbox.h — messages waiting to go out, kept in the ledger. Queueing
 * happens inside the transaction that creates the reason for the message
 * (an invoice, a payment, a reminder step coming due); one message per
 * (event, key, step), enforced by the ledger's unique key, so a rerun
 * never queues twice. Reminders wait as 'scheduled' rows and are rendered
 * when they come due, for invoices still unpaid then. An issued invoice's
 * e-mail is queued without its text and rendered when it is sent, by the
 * rule set the invoice was issued under (kept in the ledger), so what is
 * sent is what would have been rendered at queue time; the sent text is
 * then written into the row (store/deliveries.h). Also cancelling a
 * message by hand and the outbox report; the rows are store/outbox.h's,
 * delivery is usecase/deliver.h's.
 */
#ifndef CAREBILL_OUTBOX_H
#define CAREBILL_OUTBOX_H

#include "decide/invoice.h"
#include "formats/template.h"
#include "rules/rules.h"
#include "store/outbox.h"
#include "usecase/engine.h"

/* Render template t with vars and queue it for `to` at send_at
 * ("YYYY-MM-DD HH:MM"). status is OUTBOX_QUEUED or OUTBOX_SCHEDULED
 * (scheduled rows keep no text until they come due). A repeat of (event,
 * key, step) is a no-op; *queued (may be NULL) tells whether a row was
 * added. Returns 0 or -1 (e filled). */
int outbox_queue(struct engine *eng, enum event ev, const char *key,
                 int step, int64_t invoice, const char *account,
                 const char *to_addr, const char *to_name,
                 const struct template_def *t, const struct tvar *vars,
                 size_t n, const char *send_at, enum outbox_status status,
                 int *queued, struct err *e);

/* Queue the invoice e-mail of inv (template t, at send_at) WITHOUT its
 * text: it is rendered when it is sent (outbox_render), by the rule set
 * inv was issued under, which the ledger keeps (store/rule_sets.h; stored
 * here once per transaction). sub_name is the subscription name the
 * message names. Falls back to rendering now when the message could not
 * be rendered later exactly as now (inv not issued under eng's rule set,
 * or a subscription name its lines would not give back). */
int outbox_queue_deferred(struct engine *eng, enum event ev, const char *key,
                          const struct invoice *inv,
                          const struct template_def *t, const char *sub_name,
                          const char *send_at, struct err *e);

/* The rule sets a command renders messages by: the engine's own, and
 * those read back from the ledger, each loaded once. */
struct rule_shelf {
    const struct rules *own;
    struct rules **loaded;
    size_t n;
};
void rule_shelf_init(struct rule_shelf *s, const struct rules *own);
void rule_shelf_free(struct rule_shelf *s);

/* The rule set with `hash`: the shelf's own, or the one the ledger keeps
 * (written to a private temporary directory, loaded, and checked to hash
 * to `hash`). 0 with *out set, or -1 with e filled: not kept (a message
 * queued without its text under an unknown rule set can only fail), or
 * it no longer loads or hashes otherwise. */
int rule_shelf_get(struct rule_shelf *s, struct ledger *lg, const char *hash,
                   const struct rules **out, struct err *e);

/* What a message queued without its text is rendered from: its row. */
struct outbox_source {
    int64_t id, invoice, paid_cents;
    const char *event, *template_id, *to_addr, *to_name, *sub_name;
};

/* Render message src: *subject and *body (malloc'd), by the rule set its
 * invoice was issued under (*used, may be NULL), with the account's name
 * and address as queued and the invoice's paid amount as queued. inv
 * receives the invoice (invoice_free it, also after a failure). 0, or -1
 * with e filled ("message N cannot be rendered: ..."). */
int outbox_render(struct rule_shelf *shelf, struct ledger *lg,
                  const struct outbox_source *src, struct invoice *inv,
                  char **subject, char **body, const struct rules **used,
                  struct err *e);

/* `outbox show ID`: message id with its text — as stored (sent, or
 * queued with its text), or rendered now as it will be sent (*from is
 * then the rule set's hash, malloc'd; else NULL). A scheduled reminder
 * has no text yet. out: outbox_entry_free. */
int outbox_show(struct engine *eng, int64_t id, struct outbox_entry *out,
                char **from, struct err *e);

/* The outbox key of an invoice's messages, "invoice:ID", into key. */
char *outbox_invoice_key(int64_t invoice, char key[32]);

/* E-mails made later. The daily run leaves the e-mail of an issued
 * invoice to be made into an outbox row when the outbox is next used:
 * the invoice's INSERT names its template (inv->mail), and nothing else
 * is written (schema/016_mail_at_send.sql). */

/* Whether the e-mail of inv, not issued yet, naming sub_name (may be
 * NULL) can be made later: its text is then rendered from the invoice
 * and its account alone, in eng's rule set, with nothing paid. */
int outbox_can_defer(const struct engine *eng, const struct invoice *inv,
                     const char *sub_name);
/* inv (issued, inv->mail set) leaves event ev's message due at send_at to
 * be made later: keeps eng's rule set in the ledger and tells the run's
 * sink. */
int outbox_defer(struct engine *eng, enum event ev, const struct invoice *inv,
                 const char *send_at, struct err *e);
/* Make the e-mails left by earlier runs into queued rows, in invoice
 * order, each from its invoice's rule set and its account as it is now,
 * and move the mark past them; inside the caller's transaction. Every
 * use case that reads or changes outbox rows calls it first. */
int outbox_make_deferred(struct engine *eng, struct err *e);
/* The same in a transaction of its own, when there is anything to make
 * (for commands that only read the outbox). */
int outbox_make_deferred_now(struct engine *eng, struct err *e);

/* "YYYY-MM-DD HH:MM" for day d plus h hours into buf (>= 17 bytes). */
char *outbox_time(cdate d, int hours, char buf[17]);

/* Placeholder values for an invoice event; the strings live in `store`,
 * valid until outbox_vars_free. */
struct outbox_vars {
    struct tvar v[48];
    size_t n;
    char *store[48];
    size_t n_store;
};
void outbox_vars_invoice(struct outbox_vars *ov, const struct rules *r,
                         const struct invoice *inv, const char *subscription_name);
/* The same values for rendering template t only: a formatted value (an
 * amount, a date, the period, the address) that t's subject and body do
 * not name is left out, which renders t exactly as the full set does. */
void outbox_vars_invoice_for(struct outbox_vars *ov, const struct rules *r,
                             const struct invoice *inv,
                             const char *subscription_name,
                             const struct template_def *t);
void outbox_vars_add(struct outbox_vars *ov, const char *name, const char *value);
void outbox_vars_free(struct outbox_vars *ov);

/* `outbox cancel ID`: cancel message id when it is scheduled, queued or
 * failed; refuses one that is sending, sent or cancelled, and an id the
 * outbox does not hold. Returns 0 or -1 (e filled). */
int outbox_cancel_message(struct engine *eng, int64_t id, struct err *e);

/* The outbox report: every message (of `account` only, when non-NULL),
 * in id order. *out is malloc'd (outbox_list_free); *n may be 0. */
int report_outbox(struct engine *eng, const char *account,
                  struct outbox_entry **out, size_t *n, struct err *e);
void report_outbox_free(struct outbox_entry *v, size_t n);

/* A message status as the report prints it: "scheduled", "queued", ... */
const char *outbox_report_status(enum outbox_status s);

#endif
