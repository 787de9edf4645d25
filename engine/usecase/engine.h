/*
 * engine.h — what every use case works with, passed explicitly: the rule
 * set, the ledger, the Lua sandbox with the hooks bound for this rule set,
 * and the run date (the practice's civil date). Nothing of it is a
 * process global; two engines can live side by side.
 *
 * Read-only commands open an engine without hooks; commands that may
 * issue an invoice or schedule a reminder call engine_load_hooks first.
 */
#ifndef CAREBILL_ENGINE_H
#define CAREBILL_ENGINE_H

#include "decide/billing.h"
#include "ledger/ledger.h"
#include "rules/hooks.h"
#include "rules/rules.h"

struct engine {
    const struct rules *r;
    struct ledger *lg;
    /* The sandbox and the hooks bound in it; NULL/unbound (ref < 0) until
     * engine_load_hooks. type_hooks[i] belongs to r->subscription_types[i]. */
    struct hooks *hooks;
    struct type_hooks *type_hooks;
    struct hook_ref reminder_at;
    /* The run date: today in the practice's time zone, or --as-of. */
    cdate today;
    /* When set, the run's record (usecase/events.h): what the use cases
     * write, as events; NULL (engine_init) records nothing. */
    struct run_sink *sink;
    /* When set, a long run says how far it is: progress(progress_arg,
     * what, done) after each batch (the face prints it on a terminal);
     * NULL (engine_init) says nothing. */
    void (*progress)(void *arg, const char *what, int64_t done);
    void *progress_arg;
    /* r's hash once a transaction on rule_set_kept_in made sure that
     * ledger keeps r's files (usecase/outbox.c, store/rule_sets.h), so a
     * run asks once; NULL (engine_init) until then. A transaction that
     * rolls the row back ends its command (or its worker job). */
    const char *rule_set_kept;
    const struct ledger *rule_set_kept_in;
};

/* An engine on rule set r and ledger lg (either may be NULL for commands
 * that need only one), without hooks. */
void engine_init(struct engine *eng, const struct rules *r,
                 struct ledger *lg, cdate today);

/* Create the sandbox and bind every hook the rule set names (subscription
 * types, the practice's defaults, the reminder schedule). Fails on a
 * broken hook file or a missing function, naming the rule that bound it. */
int engine_load_hooks(struct engine *eng, struct err *e);

/* The hooks bound for subscription type t (never NULL: an empty binding
 * when hooks are not loaded). */
const struct type_hooks *engine_type_hooks(const struct engine *eng,
                                           const struct subscription_type *t);

/* Run fn inside one ledger transaction: commits on 0, rolls back
 * otherwise. Returns 0 or -1 (e filled). */
int engine_tx(struct engine *eng, int (*fn)(struct engine *eng, void *arg,
                                            struct err *e),
              void *arg, struct err *e);

/* Open the ledger at `where` into eng (create: `carebill init`). */
int engine_open_ledger(struct engine *eng, const char *where, int create,
                       struct err *e);

/* Have fn(arg, wait_ms) told once when a transaction of eng must wait
 * for another run's write lock, before it waits (ledger_on_wait); the
 * face prints it. Needs the ledger open. */
void engine_on_lock_wait(struct engine *eng,
                         void (*fn)(void *arg, int wait_ms), void *arg);

/* Free what engine_load_hooks made and close the ledger (the rules are
 * the caller's). */
void engine_close(struct engine *eng);

#endif
