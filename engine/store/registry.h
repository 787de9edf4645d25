/*
 * registry.h — the practice registry of a host: one row per practice
 * with its rule-file directory, its ledger's location (a SQLite file or a
 * PostgreSQL URL), its time zone, the run date of its last completed
 * daily run and the worker that made it. Workers claim a practice whose
 * run is due with a row lock that the claim's transaction holds for the
 * whole run (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL): a worker
 * that dies lets go of it with its connection, and no two workers run
 * one practice at once. The registry lives in a database of its own
 * (ledger_open_plain): a PostgreSQL schema, or a SQLite file for one
 * worker per host.
 */
#ifndef CAREBILL_STORE_REGISTRY_H
#define CAREBILL_STORE_REGISTRY_H

#include "ledger/ledger.h"

struct registry_entry {
    char *name, *rules, *ledger, *zone;
    cdate last_run;   /* CDATE_NONE: never run */
    char *claimed_by; /* the worker of the last run ("HOST:PID"), or NULL */
    cdate failed_on;  /* the run date of a failed run, or CDATE_NONE */
    char *last_error; /* its message, or NULL */
};
void registry_entry_free(struct registry_entry *p);
void registry_entries_free(struct registry_entry *v, size_t n);

/* Create the registry's table when it is missing. */
int registry_init(struct ledger *lg, struct err *e);

/* Add a practice; *dup = 1 (nothing added) when the name is taken. */
int registry_insert(struct ledger *lg, const struct registry_entry *p,
                    int *dup, struct err *e);

/* Remove a practice; *found = 0 when there was none of that name. */
int registry_delete(struct ledger *lg, const char *name, int *found,
                    struct err *e);

/* Every practice by name into *out (the caller's: registry_entries_free). */
int registry_list(struct ledger *lg, struct registry_entry **out, size_t *n,
                  struct err *e);

/* The distinct time zones of the practices (ledger_tables_free frees
 * them). */
int registry_zones(struct ledger *lg, char ***zones, size_t *n,
                   struct err *e);

/* Inside the caller's transaction: lock one practice of zone `zone`
 * whose run for `today` is due (never run, or last run before today, and
 * no failed run today), skipping those other workers hold, into *out.
 * Returns 0 with the row locked until the transaction ends, 1 when none
 * is due and free, -1 with e. */
int registry_claim(struct ledger *lg, const char *zone, cdate today,
                   struct registry_entry *out, struct err *e);

/* Inside the claim's transaction: the practice's run for `today` is
 * done (error NULL) or failed with error; `by` is the worker. */
int registry_record(struct ledger *lg, const char *name, cdate today,
                    const char *by, const char *error, struct err *e);

#endif
