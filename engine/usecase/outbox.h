/*
 * outbox.h — messages waiting to go out, kept in the ledger. Queueing
 * happens inside the transaction that creates the reason for the message
 * (an invoice, a payment, a reminder step coming due); one message per
 * (event, key, step), enforced by the ledger's unique key, so a rerun
 * never queues twice. Reminders wait as 'scheduled' rows and are rendered
 * when they come due, for invoices still unpaid then.
 */
#ifndef CAREBILL_OUTBOX_H
#define CAREBILL_OUTBOX_H

#include "decide/invoice.h"
#include "ledger/ledger.h"
#include "rules/rules.h"
#include "formats/template.h"

/* Render template t with vars and queue it for `to` at send_at
 * ("YYYY-MM-DD HH:MM"). status is "queued" or "scheduled" (scheduled rows
 * keep no text until they come due). A repeat of (event, key, step) is a
 * no-op; *queued tells whether a row was added. */
int outbox_queue(struct ledger *lg, enum event ev, const char *key, int step,
                 int64_t invoice, const char *account, const char *to_addr,
                 const char *to_name, const struct template_def *t,
                 const struct tvar *vars, size_t n, const char *send_at,
                 const char *status, int *queued, struct err *e);

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
void outbox_vars_add(struct outbox_vars *ov, const char *name, const char *value);
void outbox_vars_free(struct outbox_vars *ov);

/* Cancel the messages of `invoice` still scheduled or queued for event ev
 * (all events when ev < 0). */
int outbox_cancel_for_invoice(struct ledger *lg, int64_t invoice, int ev,
                              struct err *e);

/* Cancel one message (not yet sent). */
int outbox_cancel(struct ledger *lg, int64_t id, struct err *e);

#endif
