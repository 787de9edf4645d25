/*
 * events.h — what follows from a change in an invoice's life, in one
 * place: its e-mail, its reminders, the credits it grants. Called inside
 * the transaction that made the change; each effect is idempotent through
 * the ledger's unique keys. Reads and writes go through the stores; when
 * a reminder is due and whether it goes out is decide/reminder.h's.
 */
#ifndef CAREBILL_EVENTS_H
#define CAREBILL_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/invoice.h"
#include "usecase/engine.h"
#include "usecase/sink.h"


/* A new invoice: queue its e-mail and schedule its first reminder.
 * `first_dd` marks a mandate's first collection; sub_name (may be NULL)
 * names the subscription for the template. */
int events_invoice_issued(struct engine *eng,
                          const struct invoice *inv, const char *sub_name,
                          int first_dd, struct err *e);

/* The template id to store with invoice inv (not issued yet) when its
 * e-mail can be made when the outbox is next used (usecase/outbox.h
 * outbox_can_defer), else NULL; the arguments are events_invoice_issued's.
 * events_invoice_issued then leaves it to be made. */
const char *events_mail_later(struct engine *eng, const struct invoice *inv,
                              const char *sub_name, int first_dd);

/* Paid (or credited) in full: stop reminders, grant its credits, queue
 * "invoice paid" (not for a credit note). */
int events_invoice_settled(struct engine *eng,
                           int64_t invoice, cdate on, struct err *e);

/* Credited in full, or a credit changed its status: stop its reminders,
 * withdraw unused credits. */
int events_invoice_withdrawn(struct engine *eng,
                             int64_t invoice, cdate on, struct err *e);

/* Credit note `credit` was applied to `orig`: queue its e-mail and
 * withdraw the credits it pays back. */
int events_credit_note(struct engine *eng, int64_t orig,
                       int64_t credit, cdate on, struct err *e);

/* A reversal reopened the invoice: its reminders start again (its
 * earliest cancelled reminder due at once on `on`, or its first step). */
int events_invoice_reopened(struct engine *eng,
                            int64_t invoice, cdate on, struct err *e);

/* Schedule the first active reminder step at or after index `from_step`
 * (0-based) of the rule set's active schedule for inv, as a 'scheduled'
 * message, when inv gets reminders (decide/reminder.h reminder_applies).
 * The reminder_at hook, when bound, is asked with the engine's run date
 * and may move or drop each step. Returns 0 or -1 (e filled; a hook's
 * failure names the invoice and step). */
int events_schedule_reminder(struct engine *eng,
                             const struct invoice *inv, size_t from_step,
                             struct err *e);

/* A scheduled reminder (outbox row `id`, 1-based step) came due: queue it
 * with its text when it still goes out (decide/reminder.h
 * reminder_cancel_reason: invoice open, account accepting reminders, step
 * still active), else cancel it with the reason; then schedule the next
 * step. *fired = 1 when queued. */
int events_fire_reminder(struct engine *eng, int64_t id,
                         int64_t invoice, int step, int reminders_ok,
                         cdate as_of, int *fired, struct err *e);

/* Every scheduled reminder due by the end of day as_of, oldest first,
 * through events_fire_reminder; *fired counts those queued. */
int events_fire_due_reminders(struct engine *eng, cdate as_of,
                              int64_t *fired, struct err *e);

#endif
