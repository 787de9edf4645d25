/*
 * worker.c — `carebill worker` and `carebill registry`: the claim loop
 * over the registry (usecase/worker.h), one practice at a time per
 * process, with --jobs N as N forked processes that share the registry
 * exactly as workers on N machines would.
 */
#include "usecase/worker.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/civil.h"
#include "ledger/ledger.h"
#include "rules/rules.h"
#include "usecase/deliver.h"
#include "usecase/engine.h"
#include "usecase/tick.h"

/* The registry at `where`, its table made when missing. */
static struct ledger *registry_at(const char *where, struct err *e)
{
    struct ledger *lg = ledger_open_plain(where, e);
    if (!lg)
        return NULL;
    if (registry_init(lg, e) != 0) {
        err_prefix(e, "registry %s", where);
        ledger_close(lg);
        return NULL;
    }
    return lg;
}

/* The rule set in dir, or NULL with e naming the first problem. */
static struct rules *load_rules(const char *dir, const char *libdir,
                                struct err *e)
{
    struct diag dg = {0};
    struct rules *r = rules_load(dir, libdir, &dg);
    if (!r)
        err_set(e, "rule files %s: %s%s", dir, dg.n ? dg.msgs[0] : "unreadable",
                dg.n > 1 ? " (and more: carebill check)" : "");
    diag_free(&dg);
    return r;
}

/* One practice's daily run for today: tick, then the outbox when the
 * practice sends mail. */
static int run_practice(const struct registry_entry *p, cdate today,
                        const struct worker_options *o,
                        struct tick_report *rep, struct err *e)
{
    struct rules *r = load_rules(p->rules, o->libdir, e);
    if (!r)
        return -1;
    struct engine eng;
    engine_init(&eng, r, NULL, today);
    int rc = engine_open_ledger(&eng, p->ledger, 0, e);
    if (rc == 0)
        rc = engine_load_hooks(&eng, e);
    if (rc == 0)
        rc = tick_run(&eng, 0, NULL, rep, e);
    if (rc == 0 && r->practice.smtp_host) {
        /* deliver_outbox says a line per message; the worker says one per
         * practice. */
        FILE *quiet = fopen("/dev/null", "w");
        char now[17];
        struct deliver_summary ds;
        rc = quiet ? deliver_outbox(&eng, deliver_now(r, now), 0, quiet, &ds, e)
                   : err_set(e, "cannot open /dev/null");
        if (quiet)
            fclose(quiet);
    }
    engine_close(&eng);
    rules_free(r);
    return rc;
}

/* This process's name in the registry: "HOST:PID". */
static void worker_name(char buf[96])
{
    char host[64] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    snprintf(buf, 96, "%s:%ld", host, (long)getpid());
}

/* Claim and run due practices of one zone until none is left; *ran set
 * when one was claimed. -1 only when the registry fails. */
static int sweep_zone(struct ledger *reg, const char *zone,
                      const struct worker_options *o, const char *me,
                      struct worker_summary *s, int *ran, struct err *e)
{
    cdate today;
    if (civil_today(zone, &today, NULL, e) != 0)
        return err_prefix(e, "zone %s", zone);
    for (;;) {
        if (ledger_begin(reg, e) != 0)
            return err_prefix(e, "registry");
        struct registry_entry p;
        int rc = registry_claim(reg, zone, today, &p, e);
        if (rc != 0) {
            ledger_rollback(reg);
            return rc < 0 ? -1 : 0;
        }
        *ran = 1;
        struct tick_report rep = {0};
        struct err pe = {0};
        int ok = run_practice(&p, today, o, &rep, &pe) == 0;
        char day[11];
        if (o->log) {
            if (ok)
                fprintf(o->log, "worker %s: %s %s: %lld invoices, %lld "
                                "messages\n",
                        me, p.name, date_fmt(today, day),
                        (long long)rep.invoices, (long long)rep.messages);
            else
                fprintf(o->log, "worker %s: %s %s: failed: %s\n", me, p.name,
                        date_fmt(today, day), pe.msg);
            fflush(o->log);
        }
        if (registry_record(reg, p.name, today, me, ok ? NULL : pe.msg, e) !=
                0 ||
            ledger_commit(reg, e) != 0) {
            registry_entry_free(&p);
            ledger_rollback(reg);
            return err_prefix(e, "registry");
        }
        registry_entry_free(&p);
        if (ok)
            s->ran++;
        else
            s->failed++;
    }
}

/* One worker: sweeps until (once) one finds nothing due. */
static int work(const char *registry, const struct worker_options *o,
                struct worker_summary *s, struct err *e)
{
    struct ledger *reg = registry_at(registry, e);
    if (!reg)
        return -1;
    char me[96];
    worker_name(me);
    int rc = 0;
    for (;;) {
        char **zones = NULL;
        size_t nz = 0;
        int ran = 0;
        rc = registry_zones(reg, &zones, &nz, e);
        for (size_t i = 0; rc == 0 && i < nz; i++)
            rc = sweep_zone(reg, zones[i], o, me, s, &ran, e);
        ledger_tables_free(zones, nz);
        if (rc != 0 || (o->once && !ran))
            break;
        if (!ran)
            sleep((unsigned)(o->sleep_s > 0 ? o->sleep_s : 60));
    }
    ledger_close(reg);
    return rc;
}

int worker_run(const char *registry, const struct worker_options *o,
               struct worker_summary *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (o->jobs > 1) {
        struct ledger *reg = registry_at(registry, e);
        if (!reg)
            return -1;
        int sqlite = !strcmp(ledger_backend_name(reg), "sqlite");
        ledger_close(reg);
        if (sqlite)
            return err_set(e, "a SQLite registry has one worker (its file "
                              "lock serialises them): keep the registry in "
                              "PostgreSQL for --jobs");
    }
    if (o->jobs <= 1)
        return work(registry, o, out, e);
    if (o->log)
        fflush(o->log);
    pid_t *kids = xcalloc((size_t)o->jobs, sizeof *kids);
    int started = 0;
    for (; started < o->jobs; started++) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            struct worker_summary s = {0};
            struct err ce = {0};
            int rc = work(registry, o, &s, &ce);
            if (rc != 0)
                fprintf(stderr, "carebill worker: %s\n", ce.msg);
            if (o->log)
                fflush(o->log);
            /* 0 all ran, 1 some practice failed, 2 the registry failed */
            _exit(rc != 0 ? 2 : s.failed ? 1 : 0);
        }
        kids[started] = pid;
    }
    int bad = started < o->jobs, failed = 0;
    for (int i = 0; i < started; i++) {
        int st = 0;
        if (waitpid(kids[i], &st, 0) < 0 || !WIFEXITED(st) ||
            WEXITSTATUS(st) == 2)
            bad = 1;
        else if (WEXITSTATUS(st) == 1)
            failed = 1;
    }
    free(kids);
    out->failed = failed;
    if (bad)
        return err_set(e, "a worker process failed or could not start");
    return 0;
}

int worker_registry_add(const char *registry, const char *name,
                        const char *rules_dir, const char *ledger,
                        const char *zone, const char *libdir, struct err *e)
{
    struct rules *r = load_rules(rules_dir, libdir, e);
    if (!r)
        return -1;
    struct ledger *lg = ledger_open(ledger, 0, e);
    if (!lg) {
        rules_free(r);
        return -1;
    }
    ledger_close(lg);
    /* Workers run from anywhere (a systemd unit's cwd is /): paths are
     * kept absolute. */
    char *rules_abs = realpath(rules_dir, NULL);
    char *ledger_abs = strstr(ledger, "://") ? NULL : realpath(ledger, NULL);
    struct registry_entry p = {0};
    p.name = (char *)name;
    p.rules = rules_abs ? rules_abs : (char *)rules_dir;
    p.ledger = ledger_abs ? ledger_abs : (char *)ledger;
    p.zone = (char *)(zone ? zone : r->practice.timezone);
    cdate today;
    int rc = civil_today(p.zone, &today, NULL, e);
    struct ledger *reg = rc == 0 ? registry_at(registry, e) : NULL;
    int dup = 0;
    if (reg)
        rc = registry_insert(reg, &p, &dup, e);
    else
        rc = -1;
    if (rc == 0 && dup)
        rc = err_set(e, "the registry already has a practice named %s",
                     name);
    ledger_close(reg);
    rules_free(r);
    free(rules_abs);
    free(ledger_abs);
    return rc;
}

int worker_registry_remove(const char *registry, const char *name,
                           struct err *e)
{
    struct ledger *reg = registry_at(registry, e);
    if (!reg)
        return -1;
    int found = 0;
    int rc = registry_delete(reg, name, &found, e);
    if (rc == 0 && !found)
        rc = err_set(e, "the registry has no practice named %s", name);
    ledger_close(reg);
    return rc;
}

int worker_registry_list(const char *registry, struct registry_entry **out,
                         size_t *n, struct err *e)
{
    struct ledger *reg = registry_at(registry, e);
    if (!reg)
        return -1;
    int rc = registry_list(reg, out, n, e);
    ledger_close(reg);
    return rc;
}
