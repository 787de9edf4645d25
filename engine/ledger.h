/*
 * ledger.h — the practice's SQLite ledger: opening (WAL, foreign keys,
 * busy timeout), migrations, one-transaction-per-command, a cache of
 * prepared statements, and the small binding helpers every module that
 * reads or writes the ledger uses. Schema: schema/NNN_*.sql, embedded in
 * the binary; PRAGMA user_version counts the migrations applied.
 */
#ifndef CAREBILL_LEDGER_H
#define CAREBILL_LEDGER_H

#include <sqlite3.h>
#include <stdint.h>

#include "util.h"

struct ledger;

/* Open an existing ledger (refusing one that is missing, older than this
 * binary — "run carebill init" — or newer). `create` = 1 creates the file
 * and applies every migration not applied yet (`carebill init`). */
struct ledger *ledger_open(const char *path, int create, struct err *e);
void ledger_close(struct ledger *lg);
sqlite3 *ledger_db(struct ledger *lg);

/* Number of migrations this binary knows. */
int ledger_schema_version(void);

/* BEGIN IMMEDIATE: takes the write lock now, waiting up to the busy
 * timeout for another run; refuses with a clear message after that. */
int ledger_begin(struct ledger *lg, struct err *e);
int ledger_commit(struct ledger *lg, struct err *e);
void ledger_rollback(struct ledger *lg);

/* The next number of numbering series `series` (1 for a new series).
 * Counters are read once per transaction and written back by
 * ledger_commit inside the same transaction, so a rollback (or a crash)
 * takes the numbers back with the invoices: series stay gapless. Outside
 * a transaction the counter is written at once. */
int ledger_next_seq(struct ledger *lg, const char *series, int64_t *seq,
                    struct err *e);

/* A cached prepared statement for sql (the string's address is the key,
 * so pass literals). Reset and cleared of bindings on return. */
sqlite3_stmt *ledger_stmt(struct ledger *lg, const char *sql);

/* Execute a statement with no result rows; -1 with e set on failure. */
int ledger_exec(struct ledger *lg, const char *sql, struct err *e);

/* Step a statement expected to finish (INSERT/UPDATE/DELETE). Returns 0,
 * or -1 with the SQLite message in e. UNIQUE violations set *dup when
 * dup is non-NULL instead of failing. */
int ledger_done(struct ledger *lg, sqlite3_stmt *st, int *dup, struct err *e);

/* One-row look-ups on a bound statement: step it once and reset it.
 * ledger_has_row is 1 when it yields a row; ledger_first_int returns the
 * row's first column, or dflt when there is no row. */
int ledger_has_row(sqlite3_stmt *st);
int64_t ledger_first_int(sqlite3_stmt *st, int64_t dflt);

/* Binding helpers: a NULL string binds SQL NULL; CDATE_NONE binds NULL. */
void bind_text(sqlite3_stmt *st, int i, const char *s);
void bind_date(sqlite3_stmt *st, int i, cdate d);
void bind_int(sqlite3_stmt *st, int i, int64_t v);

/* Column helpers: NULL text comes back as NULL; NULL date as CDATE_NONE. */
char *col_text(sqlite3_stmt *st, int i); /* malloc'd copy */
const char *col_ctext(sqlite3_stmt *st, int i);
cdate col_date(sqlite3_stmt *st, int i);
int64_t col_int(sqlite3_stmt *st, int i);

/* The last SQLite error message of the connection. */
const char *ledger_errmsg(struct ledger *lg);

/* Consistent copy of the live ledger into path (online backup API). */
int ledger_backup(struct ledger *lg, const char *path, struct err *e);

#endif
