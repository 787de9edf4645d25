/*
 * issue.h — issuing invoices: gapless numbering per series, the payment
 * reference, and the invoice written with its lines. Issuing takes the
 * next number of the invoice's series inside the caller's transaction, so
 * numbers are gapless whatever happens: a crash rolls the number back
 * with the invoice. Issued invoices are never changed; corrections are
 * credit notes (usecase/credit_notes.h). What follows an issue (its
 * e-mail, its reminders) is usecase/events.h's, called by the caller.
 */
#ifndef CAREBILL_ISSUE_H
#define CAREBILL_ISSUE_H

#include "decide/invoice.h"
#include "usecase/engine.h"

/* Issue inv (lines filled, totals computed here). Sets inv->id, number,
 * series, payment_reference and rules_hash (when unset). `run` is the
 * tick's run id or 0. Returns 0 or -1 (e filled: the series, an
 * invoice dated before the latest of its series ("invoices were already
 * issued on D; ..."), the insert, or a subscription period already
 * billed). */
int issue_invoice(struct engine *eng,
                  struct invoice *inv, int64_t run, struct err *e);

#endif
