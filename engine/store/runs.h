/*
 * runs.h — the runs table: one row per tick, with its run date, the rule
 * set's hash and what it produced. Invoice lines point at their run.
 */
#ifndef CAREBILL_STORE_RUNS_H
#define CAREBILL_STORE_RUNS_H

#include "ledger/ledger.h"

/* Record the start of a run for as_of under rule-set hash; *id. */
int runs_insert(struct ledger *lg, cdate as_of, const char *rules_hash,
                int64_t *id, struct err *e);

/* Record what run id produced. */
int runs_finish(struct ledger *lg, int64_t id, int64_t invoices,
                int64_t messages, struct err *e);

/* One row of the runs table: the run's date, when it started (UTC,
 * "YYYY-MM-DD HH:MM:SS"), the rule set's hash and what it produced. */
struct run_row {
    int64_t id;
    cdate as_of;
    char *started_at, *rules_hash;
    int64_t invoices, messages;
};

/* Every run whose as_of lies in from..to (CDATE_NONE: open end), oldest
 * first, into *out (n rows; free with run_rows_free). */
int runs_list(struct ledger *lg, cdate from, cdate to, struct run_row **out,
              size_t *n, struct err *e);
void run_rows_free(struct run_row *rows, size_t n);

#endif
