/*
 * worker.h — a host's daily runs shared by workers (`carebill worker`)
 * and the practice registry they read (`carebill registry`). A worker
 * claims a practice whose run is due in the registry (a row lock held by
 * the claim's transaction, SKIP LOCKED for the others), runs its tick and
 * then its outbox send, each in the practice's own transactions, records
 * the run and moves on. A worker killed mid-run releases its claim with
 * its connection; the practice's tick either committed (the next run of
 * the day finds nothing left to do) or left nothing, so the next worker
 * that claims it finishes the day with nothing lost or doubled.
 */
#ifndef CAREBILL_USECASE_WORKER_H
#define CAREBILL_USECASE_WORKER_H

#include <stdio.h>

#include "base/util.h"
#include "store/registry.h"

struct worker_options {
    int once;          /* stop when a sweep finds nothing due */
    int jobs;          /* worker processes (1: this one) */
    int sleep_s;       /* between sweeps that found nothing (not once) */
    const char *libdir;
    FILE *log;         /* one line per practice run, or NULL */
};

struct worker_summary {
    long ran, failed;
};

/* Run the workers on the registry at `registry` until (with once) no
 * practice is due, or for ever. A failed practice run is recorded in the
 * registry (failed_on, last_error: not claimed again that day) and
 * counted in out->failed; -1 with e only when the registry itself fails
 * (or a worker process died). A SQLite registry allows one worker. */
int worker_run(const char *registry, const struct worker_options *o,
               struct worker_summary *out, struct err *e);

/* Add a practice: its rule files (loaded, to check them and to read the
 * zone when zone is NULL), its ledger (opened, so it must exist:
 * `carebill init` first); a directory and a SQLite file are kept as
 * absolute paths. -1 with e, naming a duplicate name. */
int worker_registry_add(const char *registry, const char *name,
                        const char *rules_dir, const char *ledger,
                        const char *zone, const char *libdir, struct err *e);

/* Remove a practice (its ledger is left as it is). */
int worker_registry_remove(const char *registry, const char *name,
                           struct err *e);

/* Every practice by name (the caller frees with registry_entries_free). */
int worker_registry_list(const char *registry, struct registry_entry **out,
                         size_t *n, struct err *e);

#endif
