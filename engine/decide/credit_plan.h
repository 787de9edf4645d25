/*
 * credit_plan.h — the decisions of packages and credits (seed 001), free
 * of the ledger: which grants an appointment takes its credits from
 * (oldest first), what a credit note on a product invoice withdraws,
 * what a booking does when the account is short of credits (the
 * practice's short_credit), and the journal pairs each movement books
 * (codes and amounts at the grant's internal rate). The use cases read
 * the grants through store/credits.h, ask here, and write what comes back.
 */
#ifndef CAREBILL_CREDIT_PLAN_H
#define CAREBILL_CREDIT_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "rules/rules.h"

/* Journal account codes carebill books besides each package's own. */
#define CREDITS_CODE_DEBTORS "debtors"            /* credits paid for */
#define CREDITS_CODE_IMPORTED "imported-credits"  /* credits without invoice */
#define CREDITS_CODE_BALANCE "prepaid-credits"    /* default balance item */
#define CREDITS_CODE_REVENUE "credit-revenue"     /* default ledger account */

/* ------------------------------------------------------------ take plan */

/* A grant of one account and package as the plan sees it. */
struct credit_grant_left {
    int64_t grant;      /* the grant's id: breaks ties of granted_on */
    cdate granted_on;
    int64_t left;       /* credits - withdrawn - used; <= 0: none left */
    int64_t rate_cents; /* internal rate per credit */
};

/* Credits taken from one grant. */
struct credit_take {
    int64_t grant, credits, rate_cents;
};

struct credit_plan {
    struct credit_take *takes; /* oldest grant first; malloc'd */
    size_t n;
    int64_t need;      /* credits asked for */
    int64_t have;      /* credits left over all grants */
    int64_t shortfall; /* need - have when positive, else 0 */
};

/* Plan taking `need` (>= 0) credits from the n grants g (any order):
 * oldest first by granted_on, then by grant id; each grant gives what it
 * has left, up to what is still needed; grants with nothing left give
 * nothing. When the grants fall short the takes list every credit there
 * is and shortfall says how many are missing. out is overwritten;
 * credit_plan_free releases it. */
void credit_plan_take(const struct credit_grant_left *g, size_t n,
                      int64_t need, struct credit_plan *out);
void credit_plan_free(struct credit_plan *p);

/* ------------------------------------------------------------ booking */

/* What booking an appointment does. */
enum credit_outcome {
    CREDIT_CONSUME, /* the package pays: consume the plan's takes */
    CREDIT_REFUSE,  /* short of credits and short_credit: refuse */
    CREDIT_INVOICE, /* invoice the appointment at its own price */
    CREDIT_RECORD,  /* record it only: nothing consumed, nothing to invoice
                       (no package pays and its price is 0) */
};

/* The outcome of booking type t with plan (NULL when t has no package).
 * A type with a package consumes when the plan is not short; short, the
 * practice's setting refuses or invoices. A type without a package, or an
 * invoiced shortfall, is invoiced at its price, or only recorded when
 * that price is 0. Whether the package is still active does not matter:
 * credits paid for stay usable. */
enum credit_outcome credit_plan_outcome(enum short_credit setting,
                                        const struct appointment_type *t,
                                        const struct credit_plan *plan);

/* ------------------------------------------------------------ grants */

/* Credits one product invoice line grants: whole units (qty100 / 100,
 * rounded down) × the product's credits per unit; 0 when the product
 * carries no package. */
int64_t credit_plan_line_credits(const struct product *p, int64_t qty100);

/* ------------------------------------------------------------ credit notes */

/* Credits of a grant of `credits` that credit notes of `credited_cents`
 * on an invoice of `total_cents` pay back: credits × credited ÷ total,
 * rounded down, credited capped at the total. 0 when the invoice total
 * or the credited amount is not positive. */
int64_t credit_plan_credited(int64_t credits, int64_t total_cents,
                             int64_t credited_cents);

/* 1 when credit notes of `credited_cents` on an invoice of `total_cents`
 * pay anything back (both positive): only then can they withdraw. */
int credit_plan_pays_back(int64_t total_cents, int64_t credited_cents);

/* What the credit notes of a product invoice withdraw from one grant. */
struct credit_withdrawal {
    int64_t target;    /* credits the credit notes pay back */
    int64_t withdrawn; /* the grant's withdrawn count from now on */
    int64_t delta;     /* credits newly withdrawn, to book (0: none) */
};

/* Withdraw from a grant of `credits` of which `used` are consumed and
 * `withdrawn` withdrawn already: the credited credits, but never the
 * consumed ones (they stay consumed) and never fewer than before (a
 * withdrawal is not undone). */
void credit_plan_withdraw(int64_t credits, int64_t used, int64_t withdrawn,
                          int64_t total_cents, int64_t credited_cents,
                          struct credit_withdrawal *out);

/* Credits credit notes paid back that could not be withdrawn because
 * they were consumed already: credited minus withdrawn, or 0. */
int64_t credit_plan_credited_consumed(int64_t credits, int64_t withdrawn,
                                      int64_t total_cents,
                                      int64_t credited_cents);

/* ------------------------------------------------------------ journal */

/* A journal entry. Strings are owned by the entry (journal_entry_free),
 * except where a function says they are borrowed. */
struct journal_entry {
    cdate on;
    char *account_code;
    int64_t debit_cents, credit_cents;
    char *description;
    char *source; /* "grant N", "appointment ID" */
};
void journal_entry_free(struct journal_entry *je);
void journal_entries_free(struct journal_entry *v, size_t n);

/* A balanced pair: `cents` debited on one code and credited on the other.
 * cents 0: nothing to book. Codes are borrowed. */
struct credit_pair {
    const char *debit, *credit;
    int64_t cents;
};

/* The pair booking `amount`: a negative amount books the other way round,
 * 0 books nothing. */
struct credit_pair credit_pair_make(const char *debit, const char *credit,
                                    int64_t amount);

/* The package's balance item (liability) and ledger account (revenue),
 * or the defaults when it names none or is NULL. */
const char *credit_plan_balance_code(const struct package *p);
const char *credit_plan_revenue_code(const struct package *p);

/* The codes a grant was booked on. `booked_balance` and `booked_counter`
 * are what the grant's own journal entries show (its first credited and
 * first debited code; NULL when it has none, as a grant at rate 0): they
 * win, so a changed package never strands a balance. Otherwise the
 * package's balance item and debtors (imported credits for an import). */
struct credit_codes {
    const char *balance, *counter; /* borrowed from the arguments */
};
struct credit_codes credit_plan_grant_codes(const char *booked_balance,
                                            const char *booked_counter,
                                            const struct package *pkg,
                                            int imported);

/* The value of `credits` credits at `rate_cents` each, checked: 0 with
 * *out, or -1 with e filled when the product overflows or lies beyond
 * MONEY_MAX_CENTS. Callers check a grant with it before booking; the pair
 * functions below use it and book nothing (cents 0) for a value it
 * refuses. */
int credit_plan_value(int64_t credits, int64_t rate_cents, int64_t *out,
                      struct err *e);

/* Granting: `credits` × rate, debit debtors (imported credits for an
 * import), credit the package's balance item. */
struct credit_pair credit_plan_grant_pair(const struct package *pkg,
                                          int imported, int64_t credits,
                                          int64_t rate_cents);

/* Consumption: `credits` × the grant's rate, debit the balance item the
 * grant was booked on, credit the package's ledger account (revenue). */
struct credit_pair credit_plan_use_pair(const char *balance,
                                        const struct package *pkg,
                                        int64_t credits, int64_t rate_cents);

/* Withdrawal: `credits` × the grant's rate, the grant's booking reversed
 * (debit its balance item, credit the code it was paid from). */
struct credit_pair credit_plan_withdraw_pair(const struct credit_codes *c,
                                             int64_t credits,
                                             int64_t rate_cents);

/* The two entries of pair p on day `on` (debit first), with copies of the
 * codes, desc and source. Returns how many were filled: 2, or 0 when the
 * pair books nothing. */
size_t credit_pair_entries(const struct credit_pair *p, cdate on,
                           const char *desc, const char *source,
                           struct journal_entry out[2]);

/* The reversal of entry `in` booked on `on`: same code and source, debit
 * and credit swapped, description prefixed "cancelled: ". out owns
 * copies. */
void credit_plan_reversal(const struct journal_entry *in, cdate on,
                          struct journal_entry *out);

/* ------------------------------------------------------------ messages */

/* "" for 1 and -1, "s" otherwise. */
const char *credit_plan_plural(int64_t n);

/* Refuse new use of deactivated definition d ("KIND 'id' is deactivated
 * (file:line); what"). Returns -1. */
int credit_plan_refuse_inactive(const struct def *d, const char *what,
                                struct err *e);

/* Refuse an unknown id: "no KIND 'id'", with "did you mean" when one of
 * the n definitions (each starting with struct def, `size` bytes apart)
 * is a typo of it (base/suggest.h). Returns -1. */
int credit_plan_refuse_unknown(struct err *e, const char *kind,
                               const char *id, const void *defs, size_t n,
                               size_t size);

#endif
