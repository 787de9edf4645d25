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

/* The same, and then what the credit note owes beyond the invoice's open
 * amount (a refund owed) offset against open invoice `apply_to` of the
 * same account (usecase/payment.h payment_offset_credit); *offset (may
 * be NULL) gets the amount offset. With apply_to, `number` may be a
 * credit note already issued (amount < 0): what it still owes is offset.
 * apply_to NULL is issue_credit_note. A refusal of the offset refuses the
 * whole (nothing is issued: the caller's transaction rolls back). */
int issue_credit_note_to(struct engine *eng, const char *number,
                         int64_t amount, cdate today, const char *apply_to,
                         char **out_number, int64_t *offset, struct err *e);

#endif
