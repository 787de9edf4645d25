/*
 * credits.h — packages of prepaid credits (seed 001): product invoices
 * that sell them, grants when such an invoice is paid in full (or by
 * import), consumption by appointments (oldest grant first), returns on
 * cancellation, withdrawal by credit notes, and the journal that keeps the
 * accountant's books.
 *
 * Journal. Every movement of credits books credits × the grant's internal
 * rate as a balanced pair of entries (one debit, one credit, same amount;
 * entries of 0.00 are not written):
 *
 *   grant (paid invoice)  debit CREDITS_CODE_DEBTORS   credit balance item
 *   import                debit CREDITS_CODE_IMPORTED  credit balance item
 *   consumption           debit balance item           credit ledger account
 *   cancellation          the consumption's entries, reversed
 *   withdrawal            the grant's entries, reversed, for the withdrawn
 *                         credits only
 *
 * The balance item (balanspost) is a liability: prepaid care not yet given.
 * The ledger account (grootboekrekening) is revenue. A package that names
 * neither uses CREDITS_CODE_BALANCE / CREDITS_CODE_REVENUE. Withdrawals and
 * consumptions use the balance item the grant was booked on, so a changed
 * package definition never leaves a balance behind on an old code.
 *
 * Credit notes. A credit note on a product invoice withdraws the credits it
 * pays back: credits × credited ÷ invoice total, rounded down, per grant
 * (a full credit note withdraws them all). Only unused credits can be
 * withdrawn: credits already spent on appointments stay consumed (the care
 * was given, its revenue stays booked) and `report credits` shows them as
 * such. When a cancelled appointment later gives such credits back, they
 * are withdrawn at once.
 */
#ifndef CAREBILL_CREDITS_H
#define CAREBILL_CREDITS_H

#include "decide/invoice.h"
#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

/* Journal account codes carebill books besides each package's own. */
#define CREDITS_CODE_DEBTORS "debtors"            /* credits paid for */
#define CREDITS_CODE_IMPORTED "imported-credits"  /* credits without invoice */
#define CREDITS_CODE_BALANCE "prepaid-credits"    /* default balance item */
#define CREDITS_CODE_REVENUE "credit-revenue"     /* default ledger account */

/* Grant the credits of every package line of invoice inv (paid in full on
 * `on`): quantity × the product's credits per unit at the package's
 * internal rate. Once per invoice line, however often it is called; credit
 * notes already issued on the invoice are taken into account. Refuses
 * (-1) when a line's product is no longer in the rule files. */
int credits_grant_for_invoice(struct engine *eng,
                              const struct invoice *inv, cdate on,
                              struct err *e);

/* Bring the withdrawals of the grants of invoice `invoice` (its id) in line
 * with the credit notes issued on it, booking what changed on `on`.
 * Idempotent; only unused credits are withdrawn. */
int credits_withdraw_for_invoice(struct engine *eng,
                                 int64_t invoice, cdate on, struct err *e);

/* Import `credits` credits of `package` for `account` at `rate_cents` per
 * credit, without an invoice. Refuses unknown or deactivated packages,
 * unknown accounts, credits outside 1..1000000 and negative rates. */
int credits_import(struct engine *eng,
                   const char *account, const char *package, int64_t credits,
                   int64_t rate_cents, cdate on, struct err *e);

/* ------------------------------------------------------------ products */

struct product_qty {
    const char *code;
    int64_t qty; /* whole units, >= 1 */
};

/* Issue a product invoice for `account` dated `today` with one line per
 * entry of lines, and queue its e-mail. Refuses unknown or deactivated
 * products, products of a deactivated package, unknown accounts and
 * quantities outside 1..10000. *number is malloc'd. */
int product_invoice(struct engine *eng,
                    const char *account, const struct product_qty *lines,
                    size_t n, cdate today, char **number, struct err *e);

/* ------------------------------------------------------------ appointments */

/* What a booking did. Strings are malloc'd; booking_free releases them. */
struct booking {
    char *id;        /* the appointment id, given or generated ("a-N") */
    int64_t credits; /* credits consumed (0 when invoiced) */
    char *invoice;   /* number of the appointment's invoice, or NULL */
};
void booking_free(struct booking *b);

/* Book an appointment of `type` for `account` on day `at`, recorded on
 * `today`. A type linked to a package consumes its credits from the
 * account's grants, oldest first (granted_on, then id), across grants when
 * needed. Without enough credits the practice's short_credit decides:
 * refuse (-1, nothing written), or invoice the appointment at its own
 * price without consuming any credit. A type without a package is invoiced
 * at its price (no invoice when that is 0). `id` NULL generates one; a
 * given id must be a slug not used before. Deactivated types are refused;
 * the remaining credits of a deactivated package can still be used. */
int appointment_book(struct engine *eng,
                     const char *account, const char *type, cdate at,
                     const char *id, cdate today, struct booking *out,
                     struct err *e);

/* Cancel appointment `id` on `today`: its credits go back to the grants
 * they came from, its journal entries are reversed, and an invoice it
 * caused is credited for what is left of it (*credit_note receives the
 * credit note's number, malloc'd, or NULL). An appointment is cancelled
 * once; a second cancellation is refused. */
int appointment_cancel(struct engine *eng,
                       const char *id, cdate today, char **credit_note,
                       struct err *e);

/* ------------------------------------------------------------ balances */

/* Credits of one account and package. */
struct credit_balance {
    int64_t granted, consumed, withdrawn, balance;
    int64_t balance_cents; /* value of the balance at the grants' rates */
};

/* Balance of `account` in `package` (all zero when it has none). */
int credits_balance(struct ledger *lg, const char *account,
                    const char *package, struct credit_balance *out,
                    struct err *e);

/* Debits minus credits over the whole journal: 0 when it balances. */
int64_t credits_journal_imbalance(struct ledger *lg);

#endif
