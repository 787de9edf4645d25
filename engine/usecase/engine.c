/*
 * engine.c — the engine every use case is handed: hook binding for a rule
 * set (each binding remembers the rule that made it, so a broken hook
 * names its definition) and the one-transaction runner.
 */
#include "usecase/engine.h"

#include <stdlib.h>

static const struct type_hooks no_hooks = {{-1, 0, 0}, {-1, 0, 0}};

void engine_init(struct engine *eng, const struct rules *r,
                 struct ledger *lg, cdate today)
{
    *eng = (struct engine){.r = r, .lg = lg, .today = today};
    eng->reminder_at.ref = -1;
}

/* Bind definition b's hook, or the practice's default when b names none. */
static int bind_one(struct hooks *hooks, const struct hook_binding *b,
                    const struct hook_binding *fallback, struct hook_ref *out,
                    struct err *e)
{
    out->ref = -1;
    if (!b->file)
        b = fallback;
    if (!b || !b->file)
        return 0;
    if (hooks_load(hooks, b->file, e) != 0 ||
        hooks_bind(hooks, b->file, b->func, out, e) != 0)
        return err_prefix(e, "%s:%d:%d", b->at.file, b->at.line, b->at.col);
    return 0;
}

int engine_load_hooks(struct engine *eng, struct err *e)
{
    const struct rules *r = eng->r;
    if (eng->hooks)
        return 0;
    struct hook_limits lim = {r->practice.hook_instructions,
                              r->practice.hook_memory_kb * 1024};
    eng->hooks = hooks_new(&lim);
    if (!eng->hooks)
        return err_set(e, "cannot start the Lua sandbox");
    eng->type_hooks = xcalloc(r->n_subscription_types + 1,
                              sizeof *eng->type_hooks);
    for (size_t i = 0; i < r->n_subscription_types; i++) {
        const struct subscription_type *t = &r->subscription_types[i];
        if (bind_one(eng->hooks, &t->prorate, &r->practice.prorate,
                     &eng->type_hooks[i].prorate, e) != 0 ||
            bind_one(eng->hooks, &t->pause, &r->practice.pause,
                     &eng->type_hooks[i].pause, e) != 0)
            return -1;
    }
    /* A plan's seats hook is bound here so a missing function is found
     * (by check too); the plans step binds it again when it bills. */
    for (size_t i = 0; i < r->n_plans; i++) {
        struct hook_ref probe;
        if (bind_one(eng->hooks, &r->plans[i].seats, NULL, &probe, e) != 0)
            return -1;
    }
    for (size_t i = 0; i < r->n_reminder_schedules; i++) {
        const struct reminder_schedule *s = &r->reminder_schedules[i];
        if (!s->d.active)
            continue;
        return bind_one(eng->hooks, &s->reminder_at, &r->practice.reminder_at,
                        &eng->reminder_at, e);
    }
    return 0;
}

const struct type_hooks *engine_type_hooks(const struct engine *eng,
                                           const struct subscription_type *t)
{
    if (!eng->type_hooks)
        return &no_hooks;
    size_t i = (size_t)(t - eng->r->subscription_types);
    return i < eng->r->n_subscription_types ? &eng->type_hooks[i] : &no_hooks;
}

int engine_tx(struct engine *eng,
              int (*fn)(struct engine *eng, void *arg, struct err *e),
              void *arg, struct err *e)
{
    if (ledger_begin(eng->lg, e) != 0)
        return -1;
    if (fn(eng, arg, e) != 0) {
        ledger_rollback(eng->lg);
        return -1;
    }
    return ledger_commit(eng->lg, e);
}

int engine_open_ledger(struct engine *eng, const char *where, int create,
                       struct err *e)
{
    eng->lg = ledger_open(where, create, e);
    return eng->lg ? 0 : -1;
}

void engine_on_lock_wait(struct engine *eng,
                         void (*fn)(void *arg, int wait_ms), void *arg)
{
    ledger_on_wait(eng->lg, fn, arg);
}

void engine_close(struct engine *eng)
{
    ledger_close(eng->lg);
    eng->lg = NULL;
    if (eng->hooks)
        hooks_free(eng->hooks);
    free(eng->type_hooks);
    eng->hooks = NULL;
    eng->type_hooks = NULL;
    eng->reminder_at.ref = -1;
}
