/*
 * payment.h — money received against invoices: registering (in parts),
 * credit notes applied to what they correct, reversals from the bank. An
 * invoice turns paid when what was received reaches its total, and open
 * again when a reversal takes money back (decide/invoice_status.h);
 * everything that hangs on that (credit grants, the "paid" e-mail,
 * pending reminders) follows through usecase/events.h, in the same
 * transaction.
 */
#ifndef CAREBILL_PAYMENT_H
#define CAREBILL_PAYMENT_H

#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

/* Register `amount` cents paid on invoice `number` on day `on`. Refuses
 * amounts <= 0, a date before the invoice's issue date or after
 * eng->today (decide/settlement.h), more than is open, and payments on
 * credit notes.
 * bank_ref (may be NULL) makes a bank import idempotent. */
int payment_register(struct engine *eng,
                     const char *number, int64_t amount, cdate on,
                     const char *method, const char *bank_ref, struct err *e);

/* Same, by invoice id; *dup is set when bank_ref was already imported. */
int payment_register_id(struct engine *eng,
                        int64_t invoice, int64_t amount, cdate on,
                        const char *method, const char *bank_ref, int *dup,
                        struct err *e);

/* Apply credit note `credit` (`amount`, cents > 0) to invoice `orig`:
 * what orig still owes is settled by it, the rest stays open on the
 * credit note as a refund owed; then the credit note's e-mail is queued
 * and unused credits granted by orig are withdrawn. */
int payment_apply_credit(struct engine *eng,
                         int64_t orig, int64_t credit, int64_t amount, cdate on,
                         struct err *e);

/* A reversal: take back `amount` from invoice `invoice` (it reopens and
 * its reminders start again). *dup is set when bank_ref was already
 * imported (nothing written). */
int payment_reverse(struct engine *eng, int64_t invoice,
                    int64_t amount, cdate on, const char *bank_ref, int *dup,
                    struct err *e);

#endif
