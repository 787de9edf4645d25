/*
 * credit_notes.h — correcting an issued invoice with a credit note: in
 * full (every line negated, with its own price and VAT) or for an amount
 * at the invoice's one VAT rate. The credit note is issued
 * (usecase/issue.h) and applied to what the invoice still owes
 * (usecase/payment.h), which queues its e-mail and stops or withdraws
 * what hangs on the invoice, all in the caller's transaction.
 */
#ifndef CAREBILL_CREDIT_NOTES_H
#define CAREBILL_CREDIT_NOTES_H

#include <stdint.h>

#include "usecase/engine.h"

/* Issue a credit note for invoice `number`: in full (amount < 0) or for
 * `amount` cents (then the invoice must have one VAT rate), dated
 * `today`. Applies it to the invoice's open amount. Refuses credit notes,
 * invoices dated after today, and more than is left to credit. Prints
 * nothing; *out_number is malloc'd. Returns 0 or -1 (e filled). */
int issue_credit_note(struct engine *eng,
                      const char *number, int64_t amount, cdate today,
                      char **out_number, struct err *e);

#endif
