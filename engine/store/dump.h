/*
 * dump.h — every row of a ledger, table by table, for `carebill ledger
 * dump` and for comparing two ledgers (migrate-ledger, the tests): the
 * same rows give the same dump on SQLite and on PostgreSQL.
 */
#ifndef CAREBILL_STORE_DUMP_H
#define CAREBILL_STORE_DUMP_H

#include "ledger/ledger.h"

/* Called for each table (sorted by name) with its columns before its
 * rows, then for each row (by key) with the values as text (NULL for SQL
 * NULL). A non-zero return stops the dump and is returned. */
struct dump_sink {
    int (*table)(void *arg, const char *table);
    int (*row)(void *arg, const char *table, int n, const char *const *names,
               const char *const *vals);
    void *arg;
};

/* Walk every table of lg into sink; 0, what the sink returned, or -1
 * with e. */
int dump_ledger(struct ledger *lg, const struct dump_sink *sink,
                struct err *e);

#endif
