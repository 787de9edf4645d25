/*
 * runs.c — SQL of the runs table.
 */
#include "store/runs.h"

int runs_insert(struct ledger *lg, cdate as_of, const char *rules_hash,
                int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO runs(as_of, started_at, rules_hash) "
        "VALUES (?1, datetime('now'), ?2)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, as_of);
    bind_text(st, 2, rules_hash);
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
