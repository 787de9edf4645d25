/*
 * runs.c — SQL of the runs table.
 */
#include "store/runs.h"

#include <stdlib.h>
#include <time.h>

int runs_insert(struct ledger *lg, cdate as_of, const char *rules_hash,
                int64_t *id, struct err *e)
{
    /* started_at is UTC "YYYY-MM-DD HH:MM:SS" (SQLite's datetime('now'),
     * formatted here so that every engine writes the same). */
    static const char *const sql =
        "INSERT INTO runs(as_of, started_at, rules_hash) "
        "VALUES (?1, ?3, ?2)";
    char started[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(started, sizeof started, "%Y-%m-%d %H:%M:%S",
             gmtime_r(&now, &tm));
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, as_of);
    bind_text(st, 2, rules_hash);
    bind_text(st, 3, started);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *id = ledger_last_id(lg);
    return 0;
}

int runs_finish(struct ledger *lg, int64_t id, int64_t invoices,
                int64_t messages, struct err *e)
{
    static const char *const sql =
        "UPDATE runs SET invoices = ?2, messages = ?3 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_int(st, 2, invoices);
    bind_int(st, 3, messages);
    return ledger_done(lg, st, NULL, e);
}

int runs_list(struct ledger *lg, cdate from, cdate to, struct run_row **out,
              size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id, as_of, started_at, rules_hash, invoices, messages "
        "FROM runs WHERE (?1 IS NULL OR as_of >= ?1) AND "
        "(?2 IS NULL OR as_of <= ?2) ORDER BY id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, from);
    bind_date(st, 2, to);
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = (struct run_row){
            col_int(st, 0), col_date(st, 1), col_text(st, 2), col_text(st, 3),
            col_int(st, 4), col_int(st, 5)};
    }
    return ledger_read_end(st, rc, "the runs", e);
}

void run_rows_free(struct run_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].started_at);
        free(rows[i].rules_hash);
    }
    free(rows);
}
