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

#include "hooks.h"
#include "ledger.h"
#include "rules.h"

struct tick_report {
    int64_t run;
    int64_t invoices, lines, skipped_periods, messages, reminders;
    int64_t total_cents;
};

/* Run everything due on as_of. With dry_run the transaction is rolled
 * back after `log` received every invoice it would issue. log may be NULL.
 * On failure nothing is written and e says what failed and where. */
int tick_run(struct ledger *lg, const struct rules *r, struct hooks *hooks,
             cdate as_of, int dry_run, FILE *log, struct tick_report *rep,
             struct err *e);

/* Bind the hooks of every subscription type (and the practice's
 * defaults) in the sandbox; fails on a missing function or a broken file. */
int tick_load_hooks(const struct rules *r, struct hooks *hooks, struct err *e);

#endif
