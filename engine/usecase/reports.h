/*
 * reports.h — read-only reports that are not one table family's own:
 * the runs (one row per tick), the accounts' credit balances, and the
 * date-range forms of the package credits, the suppliers' accounts and
 * the plans: the balance at the start of the range (opening), what
 * moved in it, and the balance at its end. Each reads through the
 * stores and leaves formatting to the face.
 */
#ifndef CAREBILL_REPORTS_H
#define CAREBILL_REPORTS_H

#include "store/credits.h"
#include "store/payments.h"
#include "store/plans.h"
#include "store/runs.h"
#include "usecase/credits.h" /* struct package */
#include "usecase/engine.h"

/* Every run with its date in from..to (CDATE_NONE: open end), oldest
 * first; *rows is the caller's (run_rows_free). Returns 0 or -1. */
int report_runs(struct engine *eng, cdate from, cdate to,
                struct run_row **rows, size_t *n, struct err *e);

/* One account's credit balance over a range. */
struct balance_report_row {
    char *account;
    int64_t opening_cents; /* the balance before the range */
    int64_t in_cents;      /* moved into the balance in the range */
    int64_t out_cents;     /* moved out of it in the range (positive) */
    int64_t balance_cents; /* the balance at the end of the range */
};

struct balance_report {
    struct balance_report_row *rows; /* by account */
    size_t n;
    struct balance_move *moves; /* the range's movements, by date */
    size_t n_moves;
};

/* The credit balances of every account that had one (or of `account`
 * only), movements in from..to (CDATE_NONE: open end) and the balance at
 * `to`. *out is the caller's (balance_report_free). Returns 0 or -1. */
int report_balances(struct engine *eng, const char *account, cdate from,
                    cdate to, struct balance_report *out, struct err *e);
void balance_report_free(struct balance_report *r);

/* One account's credits in one package over a range. */
struct credit_range_row {
    char *account, *package;
    const struct package *pkg; /* NULL: no longer in the rule files */
    int64_t opening;           /* the balance before the range */
    int64_t granted, consumed, withdrawn; /* in the range */
    int64_t balance;           /* at the end of the range */
    int64_t balance_cents;     /* its value at the grants' rates */
    struct credit_move *moves; /* the range's movements, by date */
    size_t n_moves;
};
void credit_range_rows_free(struct credit_range_row *r, size_t n);

/* The package credits of every account (or of `account` only) over
 * from..to (CDATE_NONE: an open end; store/credits.h says on which day
 * each movement counts), by account and package; an account and
 * package with nothing before the range's end or nothing at all in it
 * (no opening, no movement) is left out. *rows is the caller's.
 * Returns 0 or -1. */
int report_credit_range(struct engine *eng, const char *account, cdate from,
                        cdate to, struct credit_range_row **rows, size_t *n,
                        struct err *e);

/* One supplier's account with the agency over a range: what it was owed
 * before the range, what its hours invoices added, the commission
 * withheld and the transfers exported in it (and of those, booked by the
 * bank statement in it), and what it is owed at the range's end. */
struct payout_range_row {
    char *supplier;
    int64_t opening_cents, invoiced_cents, withheld_cents, paid_cents,
        booked_cents, owed_cents;
};
void payout_range_rows_free(struct payout_range_row *r, size_t n);

/* Every supplier with a movement on or before `to`, by supplier; those
 * with no opening and no movement in from..to are left out. */
int report_payout_range(struct engine *eng, cdate from, cdate to,
                        struct payout_range_row **rows, size_t *n,
                        struct err *e);

/* One organisation over a range: its seats on the range's last day (or
 * the run date for an open end) and the plan invoices issued in the
 * range, with the plans they were issued under. */
struct plan_range_row {
    char *account;
    char *plans; /* "starter, standaard" in the order billed; "" when none */
    int64_t seats, students;
    int64_t invoices, invoiced_cents;
};
void plan_range_rows_free(struct plan_range_row *r, size_t n);

/* Every organisation (or `account` only) whose plan started on or before
 * `to`, by account. */
int report_plan_range(struct engine *eng, const char *account, cdate from,
                      cdate to, struct plan_range_row **rows, size_t *n,
                      struct err *e);

/* The credit balance of `account` now into *cents. Returns 0 or -1. */
int report_account_balance(struct engine *eng, const char *account,
                           int64_t *cents, struct err *e);

#endif
