/*
 * events.h — what follows from a change in an invoice's life, in one
 * place: its e-mail, its reminders, the credits it grants. Called inside
 * the transaction that made the change; each effect is idempotent through
 * the ledger's unique keys.
 */
#ifndef CAREBILL_EVENTS_H
#define CAREBILL_EVENTS_H

#include "decide/invoice.h"
#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

/* A new invoice: queue its e-mail and schedule its first reminder.
 * `first_dd` marks a mandate's first collection. */
int events_invoice_issued(struct engine *eng,
                          const struct invoice *inv, const char *sub_name,
                          int first_dd, struct err *e);

/* Paid in full: grant its credits, queue "invoice paid", stop reminders. */
int events_invoice_settled(struct engine *eng,
                           int64_t invoice, cdate on, struct err *e);

/* Credited in full: stop its reminders, withdraw unused credits. */
int events_invoice_withdrawn(struct engine *eng,
                             int64_t invoice, cdate on, struct err *e);

/* A credit note was issued for `orig`: queue its e-mail. */
int events_credit_note(struct engine *eng, int64_t orig,
                       int64_t credit, cdate on, struct err *e);

/* A reversal reopened the invoice: its reminders start again. */
int events_invoice_reopened(struct engine *eng,
                            int64_t invoice, cdate on, struct err *e);

/* Schedule the first active reminder step at or after index `from_step`
 * (0-based) of the practice's schedule for inv, as a 'scheduled' message. */
int events_schedule_reminder(struct engine *eng,
                             const struct invoice *inv, size_t from_step,
                             struct err *e);


/* A scheduled reminder (outbox row `id`, 1-based step) came due: queue it
 * when the invoice is still open and the account accepts reminders, else
 * cancel it; then schedule the next step. *fired = 1 when queued. */
int events_fire_reminder(struct engine *eng, int64_t id,
                         int64_t invoice, int step, int reminders_ok,
                         cdate as_of, int *fired, struct err *e);

/* The reminder schedule that applies (the first active one), or NULL. */
const struct reminder_schedule *events_reminder_schedule(const struct rules *r);

/* When step `step` (0-based) of schedule s is due for inv, as a date (the
 * hour offset goes to *hours). */
cdate events_step_due(const struct reminder_step *st, const struct invoice *inv,
                      int *hours);

#endif
