/*
 * payment.h — money received against invoices: registering (in parts),
 * credit notes applied to what they correct, reversals from the bank. An
 * invoice turns paid when what was received reaches its total, and open
 * again when a reversal takes money back; everything that hangs on that
 * (credit grants, the "paid" e-mail, pending reminders) happens here, in
 * the same transaction.
 */
#ifndef CAREBILL_PAYMENT_H
#define CAREBILL_PAYMENT_H

#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

/* Register `amount` cents paid on invoice `number` on day `on`. Refuses
 * amounts <= 0, more than is open, and payments on credit notes.
 * bank_ref (may be NULL) makes a bank import idempotent. */
int payment_register(struct engine *eng,
                     const char *number, int64_t amount, cdate on,
                     const char *method, const char *bank_ref, struct err *e);

/* Same, by invoice id; *dup is set when bank_ref was already imported. */
int payment_register_id(struct engine *eng,
                        int64_t invoice, int64_t amount, cdate on,
                        const char *method, const char *bank_ref, int *dup,
                        struct err *e);

/* Apply credit note `credit` (its amount, cents > 0) to invoice `orig`. */
int payment_apply_credit(struct engine *eng,
                         int64_t orig, int64_t credit, int64_t amount, cdate on,
                         struct err *e);

/* A reversal: take back `amount` from invoice `invoice` (it reopens). */
int payment_reverse(struct engine *eng, int64_t invoice,
                    int64_t amount, cdate on, const char *bank_ref, int *dup,
                    struct err *e);

#endif
