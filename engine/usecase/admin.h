/*
 * admin.h — the ledger's housekeeping as use cases: create or upgrade it,
 * copy it while it is live, and run a test clock on a throw-away copy.
 */
#ifndef CAREBILL_ADMIN_H
#define CAREBILL_ADMIN_H

#include <stdio.h>

#include "usecase/engine.h"
#include "usecase/tick.h"

/* Create or upgrade the ledger at `where`; *version receives the schema
 * version it is at now. */
int admin_init(const char *where, int *version, struct err *e);

/* 1 when there is a ledger at `where` (a file or a PostgreSQL schema),
 * 0 when there is none yet, -1 with e when it cannot be told. */
int admin_ledger_exists(const char *where, struct err *e);

/* Number of ledger migrations this binary knows. */
int admin_schema_version(void);

/* A consistent copy of the live ledger into path. */
int admin_backup(struct engine *eng, const char *path, struct err *e);

/* Run every daily tick from `from` to `to` (inclusive) on a temporary
 * copy of eng's ledger, logging to `log`; the ledger itself is not
 * touched. The copy uses eng's rules and hooks. */
int admin_simulate(struct engine *eng, cdate from, cdate to, FILE *log,
                   struct err *e);

/* The same test clock, reporting through eng->sink (usecase/sink.h)
 * instead of a log: after each day's tick day_done(arg, day, rep) is
 * called (may be NULL); it may print and empty the sink. Returns 0 or -1
 * (e filled). */
int admin_simulate_each(struct engine *eng, cdate from, cdate to,
                        void (*day_done)(void *arg, cdate day,
                                         const struct tick_report *rep),
                        void *arg, struct err *e);

#endif
