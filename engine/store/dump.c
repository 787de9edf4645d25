/*
 * dump.c — every row of the ledger, table by table, through the ledger's
 * catalogue (ledger_tables) and table scans (ledger_scan): no statement
 * of its own, so it knows no table and follows every migration.
 */
#include "store/dump.h"

struct walk {
    const struct dump_sink *sink;
    const char *table;
};

static int one_row(void *arg, int n, const char *const *names,
                   const char *const *vals)
{
    struct walk *w = arg;
    return w->sink->row(w->sink->arg, w->table, n, names, vals);
}

int dump_ledger(struct ledger *lg, const struct dump_sink *sink,
                struct err *e)
{
    char **tables = NULL;
    size_t n = 0;
    if (ledger_tables(lg, &tables, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = sink->table(sink->arg, tables[i]);
        if (rc == 0) {
            struct walk w = {sink, tables[i]};
            rc = ledger_scan(lg, tables[i], 0, one_row, &w, e);
        }
    }
    ledger_tables_free(tables, n);
    return rc;
}
