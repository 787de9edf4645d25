/*
 * ledger.h — the practice's ledger as the stores see it: open (creating or
 * upgrading the schema), one transaction per command, gapless numbering
 * series, and prepared statements with typed binds and columns. The
 * database engine behind it is a backend (ledger/backend.h): SQLite is
 * the embedded one, PostgreSQL (a schema per practice) the server one.
 * Handles are opaque: nothing above the stores knows
 * which engine holds the ledger, and nothing above the ledger sees a
 * database library's types.
 *
 * Errors are sticky per transaction: a statement that fails while a
 * transaction is open (an I/O error, out of memory, a constraint the
 * caller did not ask to be told about) marks it failed, and
 * ledger_commit then refuses and rolls back, so a command never commits
 * after a read it could not make. No statement runs after that failure
 * in the same transaction (the engine may have rolled it back already,
 * and a statement then would commit on its own), nor one with a value
 * that could not be bound: both steps fail instead.
 */
#ifndef CAREBILL_LEDGER_H
#define CAREBILL_LEDGER_H

#include <stdint.h>

#include "base/util.h"

struct ledger;
struct ledger_stmt;

/* ledger_step results; a failed step returns LEDGER_ERROR. */
enum { LEDGER_ERROR = -1, LEDGER_DONE = 0, LEDGER_ROW = 1 };

/* Open the ledger at `where` (a SQLite file path, or a URL
 * postgresql://[USER@]HOST[:PORT]/DB?schema=NAME for a PostgreSQL schema;
 * the other URL parameters are libpq's, e.g. host=/socket/dir),
 * refusing one that is missing, older than this binary ("run carebill
 * init") or newer. `create` = 1 creates it and applies every migration
 * not applied yet (`carebill init`). */
struct ledger *ledger_open(const char *where, int create, struct err *e);
/* Open (creating when missing) a database at `where` for carebill's own
 * bookkeeping, such as the practice registry: no ledger schema, no
 * migration, and ledger_begin takes no practice lock (on PostgreSQL;
 * SQLite's BEGIN IMMEDIATE still serialises). NULL with e. */
struct ledger *ledger_open_plain(const char *where, struct err *e);
/* 1 when there is a ledger at `where` to open (a file, or a PostgreSQL
 * schema), 0 when there is none, -1 with e when it cannot be told (the
 * server cannot be reached). Creates nothing. */
int ledger_exists(const char *where, struct err *e);
void ledger_close(struct ledger *lg);

/* "sqlite" or "postgresql": which engine holds lg (for the few
 * statements the engines spell differently). */
const char *ledger_backend_name(const struct ledger *lg);

/* Number of migrations this binary knows. */
int ledger_schema_version(void);

/* Take the ledger's write lock now (waiting up to 30 s for another run;
 * refusing with a clear message after that) and start a transaction. */
int ledger_begin(struct ledger *lg, struct err *e);
/* Commit; refuses (and rolls back) when a statement of the transaction
 * failed. */
int ledger_commit(struct ledger *lg, struct err *e);
void ledger_rollback(struct ledger *lg);
/* 1 while a transaction is open. */
int ledger_in_tx(const struct ledger *lg);

/* The next number of numbering series `series` (1 for a new series),
 * for an invoice issued on `issued`: the series keeps the date of its
 * last number beside it (series.last_issued), which the date checks of a
 * run read. Counters are read once per transaction and written back by
 * ledger_commit inside the same transaction, so a rollback (or a crash)
 * takes the numbers back with the invoices: series stay gapless. Outside
 * a transaction the counter is written at once. */
int ledger_next_seq(struct ledger *lg, const char *series, cdate issued,
                    int64_t *seq, struct err *e);

/* The issue date of the last number of `series` taken in the open
 * transaction: 1 with *d set, or 0 when the transaction has taken none
 * yet (the caller reads the ledger then), so a run that numbers many
 * invoices asks the ledger once per series. */
int ledger_series_date(const struct ledger *lg, const char *series, cdate *d);
/* The latest issue date of the numbers the open transaction has taken in
 * any series: 1 with *d set, 0 when it has taken none (not yet written
 * to the ledger: series_flush writes them at commit). */
int ledger_series_latest(const struct ledger *lg, cdate *d);

/* A prepared statement for sql, kept for the life of the ledger (the
 * string's address is the key, so pass literals). Returned reset and
 * cleared of bindings. Parameters are ?1, ?2, ... A statement the engine
 * rejects aborts (a programming error); one it cannot prepare for want of
 * memory or I/O comes back as a stand-in whose steps fail with the
 * reason, so it is never NULL. */
struct ledger_stmt *ledger_stmt(struct ledger *lg, const char *sql);

/* Execute SQL with no result rows; -1 with e set on failure. */
int ledger_exec(struct ledger *lg, const char *sql, struct err *e);

/* Step a statement: LEDGER_ROW, LEDGER_DONE, or LEDGER_ERROR (recorded
 * on the ledger; ledger_errmsg says why). */
int ledger_step(struct ledger_stmt *st);
void ledger_reset(struct ledger_stmt *st);

/* Step a statement expected to finish (INSERT/UPDATE/DELETE) and reset
 * it. Returns 0, or -1 with the engine's message in e. A unique-key
 * violation sets *dup when dup is non-NULL instead of failing. */
int ledger_done(struct ledger *lg, struct ledger_stmt *st, int *dup,
                struct err *e);

/* End a read loop whose last ledger_step returned rc: reset st, and when
 * rc is LEDGER_ERROR fail with "reading WHAT: <engine message>". */
int ledger_read_end(struct ledger_stmt *st, int rc, const char *what,
                    struct err *e);

/* Read every row of a bound statement whose first column is an integer
 * into *out (malloc'd, *n entries; the caller frees it). Returns 0, or
 * -1 with "reading WHAT: ..." in e and *out NULL, *n 0. */
int ledger_read_ints(struct ledger_stmt *st, const char *what, int64_t **out,
                     size_t *n, struct err *e);

/* One-row look-ups on a bound statement: step it once and reset it.
 * ledger_has_row is 1 when it yields a row; ledger_first_int returns the
 * row's first column, or dflt when there is no row. */
int ledger_has_row(struct ledger_stmt *st);
int64_t ledger_first_int(struct ledger_stmt *st, int64_t dflt);
/* ledger_first_int for a statement without parameters whose answer the
 * open transaction may ask twice (a count before and after a step of
 * work): when no row has been written since it last ran in this
 * transaction, the answer it gave is returned without running it again. */
int64_t ledger_first_int_kept(struct ledger_stmt *st, int64_t dflt);

/* Rows changed by the last finished statement; id of the last row
 * inserted. */
int64_t ledger_changes(struct ledger *lg);
int64_t ledger_last_id(struct ledger *lg);

/* Binding helpers: a NULL string binds SQL NULL; CDATE_NONE binds NULL. */
void bind_text(struct ledger_stmt *st, int i, const char *s);
void bind_date(struct ledger_stmt *st, int i, cdate d);
void bind_int(struct ledger_stmt *st, int i, int64_t v);
void bind_null(struct ledger_stmt *st, int i);

/* Column helpers: NULL text comes back as NULL; NULL date as CDATE_NONE.
 * A value the engine has no memory to turn into text ends the process
 * with status 1 (as xmalloc does), never a NULL in its place. */
char *col_text(struct ledger_stmt *st, int i); /* malloc'd copy */
const char *col_ctext(struct ledger_stmt *st, int i);
cdate col_date(struct ledger_stmt *st, int i);
int64_t col_int(struct ledger_stmt *st, int i);
int col_is_null(struct ledger_stmt *st, int i);
int col_count(struct ledger_stmt *st);

/* The last error message of the connection. */
const char *ledger_errmsg(struct ledger *lg);

/* How long ledger_begin waits for another run's lock (default 30 s). */
void ledger_set_wait(struct ledger *lg, int ms);

/* Be told when ledger_begin finds the write lock held by another run:
 * fn(arg, wait_ms) is called once, before the first wait (wait_ms: how
 * long it will wait, INT_MAX for as long as it takes), and then never
 * again for lg. While fn is set, each begin first tries without
 * waiting. The ledger prints nothing itself; fn NULL: no notice. */
void ledger_on_wait(struct ledger *lg, void (*fn)(void *arg, int wait_ms),
                    void *arg);

/* Consistent copy of the live ledger into path: SQLite's online backup
 * for a SQLite ledger; a new SQLite ledger file holding the same rows
 * for a PostgreSQL one (pg_dump --schema is the server's own backup). */
int ledger_backup(struct ledger *lg, const char *path, struct err *e);

/* The ledger's tables sorted by name (the caller frees them with
 * ledger_tables_free); -1 with e. */
int ledger_tables(struct ledger *lg, char ***names, size_t *n, struct err *e);
void ledger_tables_free(char **names, size_t n);

/* Every row of table, passed to row(arg, n, names, vals) with the
 * column names and their values as text (NULL for SQL NULL); the values
 * live until row returns. Ordered by the first column (the key), or with
 * copy = 1 in the order the rows were inserted. An implicit rowid is
 * never passed. Returns 0, what row returned when it was not 0 (a
 * negative value with e filled by row, or a positive one to stop), or -1
 * with e when the engine failed. */
int ledger_scan(struct ledger *lg, const char *table, int copy,
                int (*row)(void *arg, int n, const char *const *names,
                           const char *const *vals),
                void *arg, struct err *e);

/* Copy every row of src into dst, an empty ledger of the same schema
 * version (any engine to any engine), in one transaction of dst read
 * from one committed state of src; *rows counts them. Refuses a dst
 * that holds rows. 0, or -1 with e (dst unchanged). */
int ledger_copy(struct ledger *src, struct ledger *dst, int64_t *rows,
                struct err *e);

#endif
