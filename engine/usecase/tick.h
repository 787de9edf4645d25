/*
 * tick.h — the scheduled run: everything that came due on or before a
 * date, in one transaction. Subscription periods are billed (catching up
 * on missed days), reminders come due, queued messages are promoted. A
 * rerun finds nothing left to do: what is owed is derived from the rules
 * and the ledger, and the ledger's unique keys make a repeat impossible.
 */
#ifndef CAREBILL_TICK_H
#define CAREBILL_TICK_H

#include <stdio.h>

#include "rules/hooks.h"
#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

struct tick_report {
    int64_t run;
    int64_t invoices, lines, skipped_periods, messages, reminders;
    int64_t total_cents;
};

/* Run everything due on eng->today (the run date). With dry_run the
 * transaction is rolled back after `log` received every invoice it would
 * issue. log may be NULL. On failure nothing is written and e says what
 * failed and where. */
int tick_run(struct engine *eng, int dry_run, FILE *log,
             struct tick_report *rep, struct err *e);


#endif
