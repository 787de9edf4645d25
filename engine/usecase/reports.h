/*
 * reports.h — read-only reports that are not one table family's own:
 * the runs (one row per tick) and the accounts' credit balances. Each
 * reads through the stores and leaves formatting to the face.
 */
#ifndef CAREBILL_REPORTS_H
#define CAREBILL_REPORTS_H

#include "store/payments.h"
#include "store/runs.h"
#include "usecase/engine.h"

/* Every run with its date in from..to (CDATE_NONE: open end), oldest
 * first; *rows is the caller's (run_rows_free). Returns 0 or -1. */
int report_runs(struct engine *eng, cdate from, cdate to,
                struct run_row **rows, size_t *n, struct err *e);

/* One account's credit balance over a range. */
struct balance_report_row {
    char *account;
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

/* The credit balance of `account` now into *cents. Returns 0 or -1. */
int report_account_balance(struct engine *eng, const char *account,
                           int64_t *cents, struct err *e);

#endif
