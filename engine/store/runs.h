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

#endif
