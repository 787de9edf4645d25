/*
 * admin.c — ledger housekeeping: init, backup and the simulate test clock
 * (daily ticks on a temporary copy, so the real ledger never changes).
 */
#include "usecase/admin.h"

#include <stdlib.h>
#include <unistd.h>

#include "usecase/tick.h"

int admin_init(const char *where, int *version, struct err *e)
{
    struct ledger *lg = ledger_open(where, 1, e);
    if (!lg)
        return -1;
    ledger_close(lg);
    *version = ledger_schema_version();
    return 0;
}

int admin_ledger_exists(const char *where, struct err *e)
{
    return ledger_exists(where, e);
}

int admin_schema_version(void)
{
    return ledger_schema_version();
}

int admin_backup(struct engine *eng, const char *path, struct err *e)
{
    return ledger_backup(eng->lg, path, e);
}

/* Remove the copy and what SQLite's WAL mode leaves beside it. */
static void remove_copy(const char *path)
{
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        char *p = xasprintf("%s%s", path, ext[i]);
        unlink(p);
        free(p);
    }
}

/* Daily ticks from..to on a temporary copy, each logging to log and
 * then reported to day_done (either may be NULL). */
static int simulate(struct engine *eng, cdate from, cdate to, FILE *log,
                    void (*day_done)(void *arg, cdate day,
                                     const struct tick_report *rep),
                    void *arg, struct err *e)
{
    char tmpl[] = "/tmp/carebill-simulate-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return err_set(e, "cannot create a temporary copy");
    close(fd);
    if (ledger_backup(eng->lg, tmpl, e) != 0) {
        remove_copy(tmpl);
        return -1;
    }
    struct engine copy = *eng;
    copy.lg = ledger_open(tmpl, 0, e);
    int rc = copy.lg ? 0 : -1;
    for (cdate d = from; rc == 0 && d <= to; d++) {
        struct tick_report rep;
        copy.today = d;
        rc = tick_run(&copy, 0, log, &rep, e);
        if (rc == 0 && day_done)
            day_done(arg, d, &rep);
    }
    ledger_close(copy.lg);
    remove_copy(tmpl);
    return rc;
}

int admin_simulate(struct engine *eng, cdate from, cdate to, FILE *log,
                   struct err *e)
{
    return simulate(eng, from, to, log, NULL, NULL, e);
}

int admin_simulate_each(struct engine *eng, cdate from, cdate to,
                        void (*day_done)(void *arg, cdate day,
                                         const struct tick_report *rep),
                        void *arg, struct err *e)
{
    return simulate(eng, from, to, NULL, day_done, arg, e);
}
