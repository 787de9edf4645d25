/*
 * backend.h — the table of functions a database engine fills to hold
 * carebill's ledger, in the manner of SQLite's VFS: ledger.c keeps what
 * is common (statement cache, numbering series, sticky errors, migration
 * order) and calls down through this table for everything the engine
 * does itself. Private to the ledger layer; one file per engine
 * (ledger/sqlite.c, ledger/postgres.c).
 *
 * Handles are the engine's own (`void *`). Statement text uses ?N
 * parameters; a backend whose engine spells them differently rewrites
 * them in prepare.
 */
#ifndef CAREBILL_LEDGER_BACKEND_H
#define CAREBILL_LEDGER_BACKEND_H

#include <stdint.h>

#include "base/util.h"

/* Step outcomes a backend reports. */
enum { BE_ROW = 1, BE_DONE = 0, BE_ERROR = -1, BE_DUP = -2, BE_BUSY = -3 };

struct ledger_backend {
    const char *name;
    /* Ordered migrations in this engine's dialect, NULL-terminated. */
    const char *const *migrations;

    /* Open the ledger at `where`; NULL with e set. create: 0 opens an
     * existing ledger, 1 may create it (init), 2 opens a plain database
     * for carebill's own bookkeeping (the practice registry: no ledger
     * schema, and begin takes no practice lock). */
    void *(*open)(const char *where, int create, struct err *e);
    void (*close)(void *db);
    /* Schema version stored in the ledger (-1: not a carebill ledger,
     * -2: the engine could not read it; errmsg says why). */
    int (*get_version)(void *db);
    int (*set_version)(void *db, int v, struct err *e);

    /* Run SQL text (several statements may follow each other). */
    int (*exec)(void *db, const char *sql, struct err *e);
    /* BEGIN with the write lock taken now; BE_BUSY when another run
     * holds it past the wait, BE_ERROR otherwise. */
    int (*begin)(void *db, struct err *e);
    int (*commit)(void *db, struct err *e);
    void (*rollback)(void *db);

    /* Prepare a statement; NULL with e set, and *fatal = 1 when the
     * statement itself is wrong (a programming error), 0 when the engine
     * could not (out of memory, an I/O error reading the schema). */
    void *(*prepare)(void *db, const char *sql, int *fatal, struct err *e);
    void (*finalize)(void *st);
    void (*reset)(void *st, int clear); /* clear: drop the bindings too */
    /* Binds return 0, or -1 when the value could not be bound (out of
     * memory): the parameter is then left NULL, and errmsg says why. */
    int (*bind_int)(void *st, int i, int64_t v);
    int (*bind_text)(void *st, int i, const char *s, int len);
    /* May be NULL (bind_text serves): bind len bytes at s without copying
     * them; s stays valid and unchanged until parameter i is bound again
     * or the statement is finalized (ledger.c keeps a buffer per
     * parameter for it). */
    int (*bind_text_kept)(void *st, int i, const char *s, int len);
    int (*bind_null)(void *st, int i);
    int (*step)(void *st); /* BE_ROW, BE_DONE, BE_DUP or BE_ERROR */
    int64_t (*col_int)(void *st, int i);
    /* The column as text, NULL for SQL NULL; NULL with *failed = 1 when
     * the engine had no memory to turn the value into text. */
    const char *(*col_text)(void *st, int i, int *failed);
    int (*col_is_null)(void *st, int i);
    int (*col_count)(void *st);
    /* The name of a result column (valid after a step), or NULL. */
    const char *(*col_name)(void *st, int i);

    int64_t (*changes)(void *db);
    /* May be NULL: rows written by the connection since it was opened
     * (a count that moves with every row inserted, updated or deleted). */
    int64_t (*total_changes)(void *db);
    int64_t (*last_id)(void *db);
    const char *(*errmsg)(void *db);
    int (*backup)(void *db, const char *path, struct err *e);
    /* How long begin waits for another run's lock, in milliseconds. */
    void (*set_wait)(void *db, int ms);
    /* 0 when the ledger holds every table and view its migrations make;
     * -1 with e naming the missing ones (a damaged or partial ledger).
     * May be NULL (no check). */
    int (*check)(void *db, struct err *e);

    /* For copies and dumps (ledger.c). A read transaction that sees one
     * committed state throughout (ended by rollback). */
    int (*snapshot)(void *db, struct err *e);
    /* In the open transaction, check foreign keys at commit only. */
    int (*defer_fks)(void *db, struct err *e);
    /* May be NULL (both): for an engine whose migrations rebuild a table
     * (SQLite cannot drop a constraint otherwise), which the foreign keys
     * of the tables that refer to it would stop. enforce_fks turns the
     * enforcement off (on = 0) before the migration transaction begins
     * and on again (on = 1) after it ends, outside any transaction;
     * check_fks, in the open transaction, is 0 when every foreign key
     * holds, else -1 with e naming the table whose row refers to a
     * missing one. */
    int (*enforce_fks)(void *db, int on, struct err *e);
    int (*check_fks)(void *db, struct err *e);
    /* May be NULL (then step): step a statement whose unique violation
     * the caller asked to hear about, for an engine whose error ends the
     * transaction (PostgreSQL: under a savepoint). */
    int (*step_guarded)(void *st);
    /* The ledger's tables sorted by name (a malloc'd array of malloc'd
     * names); -1 with e. */
    int (*tables)(void *db, char ***names, size_t *n, struct err *e);
    /* ORDER BY of a scan of table: "1" (the key) for a dump; for a copy
     * (copy = 1) the order rows were inserted in. */
    const char *(*scan_order)(void *db, const char *table, int copy);
    /* May be NULL: the location to show in messages instead of the one
     * given (a URL without its password). */
    const char *(*where)(void *db);
};

extern const struct ledger_backend ledger_sqlite;
extern const struct ledger_backend ledger_pg;

/* 1 when `where` is a PostgreSQL location (postgresql://, postgres://). */
int ledger_pg_location(const char *where);
/* 1 when the schema of PostgreSQL location `where` exists, 0 when not,
 * -1 with e when the server cannot tell. Creates nothing. */
int ledger_pg_exists(const char *where, struct err *e);
/* Split a PostgreSQL location into libpq's URL (without carebill's
 * schema= parameter; both malloc'd) and the schema name (default
 * "carebill"); -1 with e when the name is not lower-case letters, digits
 * and _ (at most 63, not starting with a digit or pg_). */
int ledger_pg_split(const char *where, char **url, char **schema,
                    struct err *e);
/* The location as messages show it: user:password@ as user:***@
 * (malloc'd). */
char *ledger_pg_shown(const char *where);
/* sql with every ?N outside quotes written $N (malloc'd); *nparams the
 * highest N, used[N] set for each N that occurs (used has room for 100,
 * N >= 100 is only counted). */
char *ledger_pg_rewrite(const char *sql, int *nparams, char *used);

#endif
