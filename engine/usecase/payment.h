/*
 * payment.h — money after the invoice: received against invoices (in
 * parts, or more than is open: the rest goes to the account's credit
 * balance), credit notes applied to what they correct or offset against
 * another open invoice, reversals from the bank, refunds paid out, undos
 * (recorded as rows of their own, never deletions), and the credit
 * balance applied to the account's open invoices. An invoice turns paid
 * when what was received reaches its total, and open again when a
 * reversal or an undo takes money back (decide/invoice_status.h);
 * everything that hangs on that (credit grants, the "paid" e-mail,
 * pending reminders) follows through usecase/events.h, in the same
 * transaction.
 */
#ifndef CAREBILL_PAYMENT_H
#define CAREBILL_PAYMENT_H

#include "ledger/ledger.h"
#include "store/payments.h"
#include "usecase/engine.h"
#include "rules/rules.h"

/* What registering a payment did, for the one who entered it. */
struct payment_result {
    int64_t applied_cents;    /* what settled the invoice itself */
    int64_t to_balance_cents; /* what went to the account's credit balance */
    int64_t balance_used_cents; /* of the balance, what then settled the
                                   account's other open invoices */
    int64_t balance_cents;    /* the account's credit balance after it */
    char account[128];
    int dup;                  /* 1: bank_ref imported before, nothing written */
};

/* Register `amount` cents paid on invoice `number` on day `on`. Refuses
 * amounts <= 0, a date before the invoice's issue date or after
 * eng->today (decide/settlement.h), payments on credit notes and on
 * invoices with nothing open (paid or credited already). What
 * exceeds the open amount goes to the account's credit balance, and with
 * the practice's apply_balance on the balance settles the account's other
 * open invoices at once. bank_ref (may be NULL) makes a bank import
 * idempotent. *res (may be NULL) says what was done. */
int payment_receive(struct engine *eng, int64_t invoice, int64_t amount,
                    cdate on, const char *method, const char *bank_ref,
                    struct payment_result *res, struct err *e);

/* payment_receive by invoice number. */
int payment_register(struct engine *eng,
                     const char *number, int64_t amount, cdate on,
                     const char *method, const char *bank_ref, struct err *e);
int payment_register_number(struct engine *eng, const char *number,
                            int64_t amount, cdate on, const char *method,
                            struct payment_result *res, struct err *e);

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

/* Offset what credit note `credit` still owes against invoice `target`
 * (an open invoice of the same account) on day `on`: the smaller of the
 * two settles both. *cents (may be NULL) gets the amount. Refuses a
 * target of another account, a credit note as target, a target with
 * nothing open and a credit note that owes nothing. */
int payment_offset_credit(struct engine *eng, int64_t credit, int64_t target,
                          cdate on, int64_t *cents, struct err *e);

/* A reversal: take back `amount` from invoice `invoice` (it reopens and
 * its reminders start again). *dup is set when bank_ref was already
 * imported (nothing written). */
int payment_reverse(struct engine *eng, int64_t invoice,
                    int64_t amount, cdate on, const char *bank_ref, int *dup,
                    struct err *e);

/* Undo payments row `id` on day `on` (eng->today when CDATE_NONE): a new
 * row takes its amount back (what it put on the credit balance too), the
 * invoice goes back to open or partly paid. Refuses rows undone before,
 * credit-note applications, bank reversals and undos, and an
 * overpayment whose rest has left the balance. *undo (may be NULL) gets
 * the new row's id. */
int payment_undo(struct engine *eng, int64_t id, cdate on, int64_t *undo,
                 struct err *e);

/* Money paid back on credit note `number` (`amount` cents > 0, day `on`,
 * not after today): settles what the credit note owes. Refuses more than
 * it owes, and invoices that are not credit notes (their overpayment sits
 * on the credit balance: refund that with payment_refund_balance). */
int payment_refund(struct engine *eng, const char *number, int64_t amount,
                   cdate on, struct err *e);

/* Money paid back out of `account`'s credit balance. Refuses more than
 * the balance. */
int payment_refund_balance(struct engine *eng, const char *account,
                           int64_t amount, cdate on, struct err *e);

/* Apply `account`'s credit balance to its open invoices, oldest due date
 * first, on day `on` (each on its issue date when that is later). *used
 * (may be NULL) gets the amount applied. Does nothing when the practice's
 * apply_balance is off. */
int payment_apply_balance(struct engine *eng, const char *account, cdate on,
                          int64_t *used, struct err *e);

/* The daily run's step: every account in credit has its balance applied
 * to its open invoices (those issued by this run too). *used (may be
 * NULL) adds the amount applied. */
int payment_apply_balances(struct engine *eng, cdate on, int64_t *used,
                           struct err *e);

/* Every payments row (of `account` when non-NULL; in from..to) for
 * `payment list`; *out is the caller's (payment_infos_free). */
int payment_list(struct engine *eng, const char *account, cdate from,
                 cdate to, struct payment_info **out, size_t *n,
                 struct err *e);

#endif
