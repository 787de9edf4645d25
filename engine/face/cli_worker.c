/*
 * cli_worker.c — the commands of a host of many practices:
 *
 *   carebill ledger dump
 *   carebill migrate-ledger FROM TO
 *   carebill registry add NAME --rules DIR --ledger WHERE [--zone Z]
 *   carebill registry list [--format F]
 *   carebill registry remove NAME
 *   carebill worker [--once] [--jobs N] [--sleep S] [--quiet]
 *
 * The registry is --registry WHERE (after the command) or
 * CAREBILL_REGISTRY: a PostgreSQL URL (postgresql://...?schema=NAME) or a
 * SQLite file.
 */
#include "face/cli_worker.h"

#include <stdlib.h>

#include "usecase/ledger_move.h"
#include "usecase/worker.h"

/* The registry: --registry, else CAREBILL_REGISTRY; NULL after saying
 * what is missing. */
static const char *registry_of(const char *cmd, const char *opt)
{
    const char *r = opt ? opt : getenv("CAREBILL_REGISTRY");
    if (!r || !*r)
        fprintf(stderr, "carebill %s: give --registry WHERE or set "
                        "CAREBILL_REGISTRY\n", cmd);
    return r && *r ? r : NULL;
}

int cmd_ledger_dump(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill ledger dump\n"
        "Every row of every table of the ledger (--db), tables by name and\n"
        "rows by key, values joined by | (\\N for NULL): the same rows give\n"
        "the same text on SQLite and PostgreSQL, so two ledgers compare\n"
        "with cmp.\n";
    int rc = cli_parse("ledger dump", help, NULL, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!c->db_path) {
        fprintf(stderr, "carebill ledger dump: give --db WHERE or set "
                        "CAREBILL_DB\n");
        return EXIT_USAGE;
    }
    struct err e;
    if (move_dump(c->db_path, stdout, &e) != 0)
        return cli_fail("ledger dump", &e);
    return EXIT_OK;
}

int cmd_migrate_ledger(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill migrate-ledger FROM TO\n"
        "Copy the ledger at FROM into a new ledger at TO (a SQLite file or\n"
        "postgresql://HOST/DB?schema=NAME; either way round), created and\n"
        "migrated like `carebill init`, in one transaction, then compare\n"
        "the two row by row. TO must not hold rows yet; FROM is only read.\n"
        "Stop the practice's runs while it moves.\n";
    const char *pos[2];
    int rc = cli_parse("migrate-ledger", help, NULL, argc, argv, pos, 2, 2);
    if (rc)
        return rc;
    struct err e;
    struct move_report rep;
    if (move_ledger(pos[0], pos[1], &rep, &e) != 0)
        return cli_fail("migrate-ledger", &e);
    printf("copied %lld rows of %zu tables; both ledgers hold the same rows\n",
           (long long)rep.rows, rep.tables);
    return EXIT_OK;
}

int cmd_worker(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill worker [--once] [--jobs N] [--sleep S] [--quiet]\n"
        "                       [--registry WHERE]\n"
        "Run the daily runs of the practices in the registry: claim one\n"
        "whose run is due (today in its zone), tick it, send its outbox\n"
        "when it has smtp settings, record the run, next. Run as many\n"
        "workers as wanted on as many machines: no practice runs twice.\n"
        "--once stops when nothing is due; otherwise it sweeps again after\n"
        "S seconds (60) without due practices. --jobs N runs N worker\n"
        "processes. One line per practice run unless --quiet. Exit 1 when\n"
        "a practice's run failed (recorded in the registry, tried again the\n"
        "next day or after `registry remove` and `add`).\n";
    const char *once = NULL, *jobs = NULL, *sleep_s = NULL, *quiet = NULL,
               *registry = NULL;
    struct opt opts[] = {{"--once", 0, &once, NULL},
                         {"--jobs", 1, &jobs, NULL},
                         {"--sleep", 1, &sleep_s, NULL},
                         {"--quiet", 0, &quiet, NULL},
                         {"--registry", 1, &registry, NULL},
                         {NULL, 0, NULL, NULL}};
    int rc = cli_parse("worker", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    int64_t n_jobs = 1, n_sleep = 60;
    if (jobs && (rc = cli_int("worker", "--jobs", jobs, 1, 64, &n_jobs)))
        return rc;
    if (sleep_s &&
        (rc = cli_int("worker", "--sleep", sleep_s, 1, 86400, &n_sleep)))
        return rc;
    const char *where = registry_of("worker", registry);
    if (!where)
        return EXIT_USAGE;
    struct worker_options o = {once != NULL, (int)n_jobs, (int)n_sleep,
                               c->libdir, quiet ? NULL : stdout};
    struct worker_summary s;
    struct err e;
    if (worker_run(where, &o, &s, &e) != 0)
        return cli_fail("worker", &e);
    return s.failed ? EXIT_FAIL : EXIT_OK;
}

int cmd_registry_add(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill registry add NAME --rules DIR --ledger WHERE\n"
        "                             [--zone ZONE] [--registry WHERE]\n"
        "Add a practice to the registry: its rule files (checked), its\n"
        "ledger (a SQLite file or a PostgreSQL URL; `carebill init` it\n"
        "first) and the zone its days are counted in (the rule files'\n"
        "practice.timezone unless --zone).\n";
    const char *rules = NULL, *ledger = NULL, *zone = NULL, *registry = NULL;
    struct opt opts[] = {{"--rules", 1, &rules, NULL},
                         {"--ledger", 1, &ledger, NULL},
                         {"--zone", 1, &zone, NULL},
                         {"--registry", 1, &registry, NULL},
                         {NULL, 0, NULL, NULL}};
    const char *pos[1];
    int rc = cli_parse("registry add", help, opts, argc, argv, pos, 1, 1);
    if (rc)
        return rc;
    if (!rules || !ledger) {
        fprintf(stderr, "carebill registry add: give --rules DIR and "
                        "--ledger WHERE\n");
        return EXIT_USAGE;
    }
    const char *where = registry_of("registry add", registry);
    if (!where)
        return EXIT_USAGE;
    struct err e;
    if (worker_registry_add(where, pos[0], rules, ledger, zone, c->libdir,
                            &e) != 0)
        return cli_fail("registry add", &e);
    printf("practice %s added\n", pos[0]);
    return EXIT_OK;
}

int cmd_registry_list(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill registry list [--format table|json|csv]\n"
        "                              [--registry WHERE]\n"
        "Every practice of the registry: rule files, ledger, zone, the run\n"
        "date of its last run and the worker that made it, and a failed\n"
        "run's date and reason.\n";
    const char *fmt = NULL, *registry = NULL;
    struct opt opts[] = {{"--format", 1, &fmt, NULL},
                         {"--registry", 1, &registry, NULL},
                         {NULL, 0, NULL, NULL}};
    int rc = cli_parse("registry list", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    enum out_format f = OUT_TABLE;
    if (fmt && (rc = out_format_parse("registry list", fmt, &f)))
        return rc;
    const char *where = registry_of("registry list", registry);
    if (!where)
        return EXIT_USAGE;
    struct registry_entry *v;
    size_t n;
    struct err e;
    if (worker_registry_list(where, &v, &n, &e) != 0)
        return cli_fail("registry list", &e);
    static const struct out_col cols[] = {
        {"name", 's'},     {"rules", 's'},      {"ledger", 's'},
        {"zone", 's'},     {"last_run", 'd'},   {"claimed_by", 's'},
        {"failed_on", 'd'}, {"last_error", 's'}};
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        char last[11] = "", failed[11] = "";
        if (v[i].last_run != CDATE_NONE)
            date_fmt(v[i].last_run, last);
        if (v[i].failed_on != CDATE_NONE)
            date_fmt(v[i].failed_on, failed);
        const char *row[] = {v[i].name, v[i].rules,       v[i].ledger,
                             v[i].zone, last,             v[i].claimed_by,
                             failed,    v[i].last_error};
        out_row(t, row);
    }
    out_print(t, f, stdout);
    out_free(t);
    registry_entries_free(v, n);
    return EXIT_OK;
}

int cmd_registry_remove(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill registry remove NAME [--registry WHERE]\n"
        "Take a practice out of the registry (its ledger stays as it is).\n";
    const char *registry = NULL;
    struct opt opts[] = {{"--registry", 1, &registry, NULL},
                         {NULL, 0, NULL, NULL}};
    const char *pos[1];
    int rc = cli_parse("registry remove", help, opts, argc, argv, pos, 1, 1);
    if (rc)
        return rc;
    const char *where = registry_of("registry remove", registry);
    if (!where)
        return EXIT_USAGE;
    struct err e;
    if (worker_registry_remove(where, pos[0], &e) != 0)
        return cli_fail("registry remove", &e);
    printf("practice %s removed\n", pos[0]);
    return EXIT_OK;
}
