/*
 * credits.h — packages of prepaid credits (seed 001): grants when a
 * product invoice is paid in full (or by import), consumption and return
 * of credits for appointments (usecase/appointments.h books them), oldest
 * grant first, withdrawal by credit notes, the journal that keeps the
 * accountant's books (read by usecase/journal.h), and the credits report. Product
 * invoices are issued by usecase/products.h. The decisions are in
 * decide/credit_plan.h, the tables in store/credits.h (which also
 * declares credits_balance and credits_journal_imbalance).
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
 *
 * Every function validates before it writes and leaves the transaction to
 * its caller.
 */
#ifndef CAREBILL_CREDITS_H
#define CAREBILL_CREDITS_H

#include "decide/credit_plan.h"
#include "decide/invoice.h"
#include "ledger/ledger.h"
#include "rules/rules.h"
#include "store/credits.h"
#include "usecase/engine.h"

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

/* ------------------------------------------------------------ consumption */

/* The plan for taking `need` credits of package pkg from the grants of
 * `account` (decide/credit_plan.h: oldest first, by granted_on then id).
 * Reads only. out is overwritten; credit_plan_free releases it. */
int credits_plan(struct engine *eng, const char *account,
                 const struct package *pkg, int64_t need,
                 struct credit_plan *out, struct err *e);

/* Consume the takes of plan for appointment `appointment` of type t (its
 * package's) on day `at`, booked on `today`: one use per grant and its
 * journal pair (balance item to ledger account at the grant's rate). */
int credits_consume(struct engine *eng, const char *account,
                    const struct appointment_type *t, const char *appointment,
                    cdate at, const struct credit_plan *plan, cdate today,
                    struct err *e);

/* Give the credits of cancelled appointment `appointment` back to the
 * grants they came from, reversing its journal entries on `today`; the
 * credit notes of the invoices of those grants then withdraw what they
 * paid back at once. */
int credits_return(struct engine *eng, const char *appointment, cdate today,
                   struct err *e);

/* ------------------------------------------------------------ reports */

/* One line of an account's history in one package. */
struct credit_history {
    cdate date;
    char *what;        /* "invoice N", "import", "appointment ID" */
    int64_t credits;   /* granted (+) or used (-); 0 for an invoiced one */
    int64_t grant;     /* the grant, or 0 */
    int64_t rate_cents;
    char *note;
};

/* The credits of one account in one package. */
struct credit_report_row {
    struct credit_totals t;
    const struct package *pkg; /* NULL: no longer in the rule files */
    struct credit_history *history; /* with an account only; by date,
                                       grants before appointments */
    size_t n_history;
};

struct credit_report {
    struct credit_report_row *rows; /* by account and package */
    size_t n;
};
void credit_report_free(struct credit_report *r);

/* The credits of every account per package, or of `account` only (not
 * NULL) with each package's history: grants with what became of them,
 * uses, and the appointments of a type of the package that were invoiced
 * for want of credits. Reads only. */
int credits_report(struct engine *eng, const char *account,
                   struct credit_report *out, struct err *e);


#endif
