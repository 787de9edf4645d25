/*
 * ledger_move.h — a ledger as text and a ledger moved between engines:
 * `carebill ledger dump` (every row of every table, in a stable order,
 * the same on SQLite and PostgreSQL) and `carebill migrate-ledger FROM
 * TO` (a practice's ledger copied into a new one, any engine to any
 * engine, then both dumped and compared).
 */
#ifndef CAREBILL_USECASE_LEDGER_MOVE_H
#define CAREBILL_USECASE_LEDGER_MOVE_H

#include <stdint.h>
#include <stdio.h>

#include "base/util.h"

/* Write every row of the ledger at `where` to out: per table (by name) a
 * line "== TABLE", the column names joined by | before its first row,
 * then one line per row (by key), values joined by |, with \ | and a
 * newline written \\ \| \n and SQL NULL \N. An implicit rowid and the
 * engine's own bookkeeping are left out. 0, or -1 with e. */
int move_dump(const char *where, FILE *out, struct err *e);

struct move_report {
    int64_t rows;   /* rows copied */
    size_t tables;  /* tables of the ledger */
};

/* Copy the ledger at `from` into a new ledger at `to` (created and
 * migrated; refused when it already holds rows), in one transaction of
 * `to` from one committed state of `from`, then dump both and compare:
 * -1 with e when they differ (nothing of `to` is kept back: it holds the
 * copy, and e says so). The ledger at from is only read. */
int move_ledger(const char *from, const char *to, struct move_report *rep,
                struct err *e);

#endif
