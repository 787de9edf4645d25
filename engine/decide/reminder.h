/*
 * reminder.h — the decisions of payment reminders, on plain values: which
 * schedule of the rule set applies, which of its steps come next, when a
 * step is due for an invoice (and where it lands once the reminder_at
 * hook has answered), whether an invoice gets reminders at all, and
 * whether a reminder that came due goes out or is cancelled, and why.
 * The use case (usecase/events.c) reads the ledger, asks the hook with
 * the engine's run date, asks these and writes the outbox.
 */
#ifndef CAREBILL_DECIDE_REMINDER_H
#define CAREBILL_DECIDE_REMINDER_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"
#include "rules/rules.h"

/* The reminder schedule that applies: the first active one of r, or NULL
 * when there is none (no reminders are sent). */
const struct reminder_schedule *reminder_active_schedule(const struct rules *r);

/* Index of the first active step of s at or after `from` (0-based), or
 * s->n_steps when there is none. */
size_t reminder_next_step(const struct reminder_schedule *s, size_t from);

/* When step st is due for an invoice dated `issued`, due `due`: the day
 * (the step's base date plus its hours, days or months; hours past whole
 * days go to *hours, else *hours = 0). The reminder_at hook is asked
 * about this day. */
cdate reminder_step_due(const struct reminder_step *st, cdate issued,
                        cdate due, int *hours);

/* Where step st lands for the invoice: its due day (reminder_step_due),
 * or, when the reminder_at hook was asked (hooked = 1), the day it
 * answered; CDATE_NONE from the hook drops the step. Returns 1 with
 * *day and *hours filled, or 0 when the step is dropped. */
int reminder_step_day(const struct reminder_step *st, cdate issued,
                      cdate due, int hooked, cdate answer, cdate *day,
                      int *hours);

/* 1 when an invoice gets reminders scheduled: not a credit note, a total
 * above zero, and, when paid by direct debit, only once the bank took a
 * collection back (until then the collection is how it is paid). */
int reminder_applies(enum invoice_kind kind, int64_t total_cents,
                     int direct_debit, int collection_reversed);

/* A scheduled reminder (1-based `step` of schedule s, which may be NULL)
 * came due. Returns NULL when it goes out, else why it is cancelled
 * instead: the invoice is no longer open, the account opted out of
 * reminders, or the step is no longer an active step of the schedule. */
const char *reminder_cancel_reason(const struct reminder_schedule *s,
                                   int step, enum invoice_status status,
                                   int reminders_ok);

/* Days an invoice due `due` is overdue on `on` (0 when not yet due). */
int reminder_days_overdue(cdate due, cdate on);

#endif
