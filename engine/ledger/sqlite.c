/*
 * sqlite.c — the embedded ledger backend: one SQLite file per practice in
 * WAL mode with foreign keys on (off only while migrations rebuild a
 * table, and checked before they commit), a 30 s busy timeout, BEGIN
 * IMMEDIATE for the write lock, PRAGMA user_version counting the
 * migrations, and the online backup API for a consistent copy of a live
 * ledger. The only file of carebill that calls SQLite.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/outfile.h"
#include "ledger/backend.h"

extern const char *const carebill_migrations[];

/* The first table or view of a file whose user_version is 0 (never a
 * carebill ledger): another application's, malloc'd; NULL when there is
 * none or the file cannot be read (the caller's next step says why). */
static char *foreign_table(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    char *name = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT user_version FROM "
                           "pragma_user_version), name FROM sqlite_master "
                           "WHERE type IN ('table', 'view') AND name NOT "
                           "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name "
                           "LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0)
        name = xstrdup((const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return name;
}

static void *sq_open(const char *path, int create, struct err *e)
{
    sqlite3 *db = NULL;
    /* A connection is used by one thread, and carebill reads no memory
     * statistics: without the connection's mutex and the allocator's
     * (taken on every call and every allocation) a run does the same work
     * in fewer instructions. The library-wide setting takes effect before
     * its first use and is refused, harmlessly, afterwards. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        err_set(e, "cannot open ledger %s: %s", path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    /* init never adds carebill's tables to another application's file:
     * checked before anything (even the journal mode) is changed. */
    char *other = create == 1 ? foreign_table(db) : NULL;
    if (other) {
        err_set(e, "%s is not a carebill ledger: it already holds table "
                   "'%s' of another application; give carebill a new file",
                path, other);
        free(other);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 30000);
    static const char *const pragmas[] = {"PRAGMA journal_mode = WAL",
                                          "PRAGMA foreign_keys = ON",
                                          "PRAGMA synchronous = NORMAL"};
    for (size_t i = 0; i < sizeof pragmas / sizeof *pragmas; i++)
        if (sqlite3_exec(db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
            err_set(e, "ledger %s: %s", path, sqlite3_errmsg(db));
            sqlite3_close(db);
            return NULL;
        }
    return db;
}

static void sq_close(void *db)
{
    sqlite3_close(db);
}

static int sq_get_version(void *db)
{
    sqlite3_stmt *st = NULL;
    int v = -2;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_NOTADB)
        v = -1;
    sqlite3_finalize(st);
    return v;
}

static int sq_exec(void *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int sq_set_version(void *db, int v, struct err *e)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return sq_exec(db, sql, e);
}

static int sq_begin(void *db, struct err *e)
{
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return BE_BUSY;
    if (rc != SQLITE_OK) {
        err_set(e, "%s", sqlite3_errmsg(db));
        return BE_ERROR;
    }
    return 0;
}

static int sq_commit(void *db, struct err *e)
{
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        err_set(e, "%s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static void sq_rollback(void *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static void *sq_prepare(void *db, const char *sql, int *fatal,
                        struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                                NULL);
    if (rc != SQLITE_OK) {
        /* SQLITE_ERROR is the statement's own fault (syntax, a missing
         * table); memory, I/O, locks and corruption are the engine's. */
        *fatal = (rc & 0xff) == SQLITE_ERROR;
        err_set(e, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static void sq_finalize(void *st)
{
    sqlite3_finalize(st);
}

static void sq_reset(void *st, int clear)
{
    sqlite3_reset(st);
    if (clear)
        sqlite3_clear_bindings(st);
}

static int sq_bind_int(void *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : -1;
}

static int sq_bind_text(void *st, int i, const char *s, int len)
{
    /* SQLITE_TRANSIENT copies the text, which can run out of memory. */
    return sqlite3_bind_text(st, i, s, len, SQLITE_TRANSIENT) == SQLITE_OK
               ? 0
               : -1;
}

static int sq_bind_text_kept(void *st, int i, const char *s, int len)
{
    return sqlite3_bind_text(st, i, s, len, SQLITE_STATIC) == SQLITE_OK ? 0
                                                                        : -1;
}

static int sq_bind_null(void *st, int i)
{
    return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1;
}

static int sq_step(void *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return BE_ROW;
    if (rc == SQLITE_DONE)
        return BE_DONE;
    int ext = sqlite3_extended_errcode(sqlite3_db_handle(st));
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return BE_DUP;
    return BE_ERROR;
}

static int64_t sq_col_int(void *st, int i)
{
    return sqlite3_column_int64(st, i);
}

static const char *sq_col_text(void *st, int i, int *failed)
{
    /* The type is read first: a conversion that runs out of memory
     * leaves the value NULL. */
    int type = sqlite3_column_type(st, i);
    const char *s = (const char *)sqlite3_column_text(st, i);
    *failed = !s && type != SQLITE_NULL;
    return s;
}

static int sq_col_is_null(void *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL;
}

static int sq_col_count(void *st)
{
    return sqlite3_column_count(st);
}

static const char *sq_col_name(void *st, int i)
{
    return sqlite3_column_name(st, i);
}

static int sq_snapshot(void *db, struct err *e)
{
    return sq_exec(db, "BEGIN", e); /* WAL: the first read fixes the state */
}

static int sq_defer_fks(void *db, struct err *e)
{
    return sq_exec(db, "PRAGMA defer_foreign_keys = ON", e);
}

/* PRAGMA foreign_keys does nothing inside a transaction, and says so
 * by nothing: the setting is read back, so a migration never runs with
 * foreign keys on that it asked off (or the ledger goes on without). */
static int sq_enforce_fks(void *db, int on, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int now = -1;
    if (sq_exec(db, on ? "PRAGMA foreign_keys = ON"
                       : "PRAGMA foreign_keys = OFF", e) != 0)
        return err_prefix(e, "turning foreign keys %s", on ? "on" : "off");
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        now = sqlite3_column_int(st, 0);
    if (now < 0)
        err_set(e, "turning foreign keys %s: %s", on ? "on" : "off",
                sqlite3_errmsg(db));
    else if (now != on)
        err_set(e, "foreign keys could not be turned %s (a transaction is "
                   "open)", on ? "on" : "off");
    sqlite3_finalize(st);
    return now == on ? 0 : -1;
}

/* Every foreign key of the ledger, as PRAGMA foreign_key_check finds
 * them: the first broken one is named, with how many there are. */
static int sq_check_fks(void *db, struct err *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) !=
        SQLITE_OK)
        return err_set(e, "checking foreign keys: %s", sqlite3_errmsg(db));
    int64_t n = 0;
    int rc;
    char *table = NULL, *parent = NULL;
    int64_t row = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!n++) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            const char *p = (const char *)sqlite3_column_text(st, 2);
            table = xstrdup(t ? t : "?");
            parent = xstrdup(p ? p : "?");
            row = sqlite3_column_int64(st, 1);
        }
    }
    if (rc != SQLITE_DONE)
        err_set(e, "checking foreign keys: %s", sqlite3_errmsg(db));
    else if (n)
        err_set(e, "foreign key broken: row %lld of table %s refers to a "
                   "row of %s that does not exist (%lld broken in all)",
                (long long)row, table, parent, (long long)n);
    sqlite3_finalize(st);
    free(table);
    free(parent);
    return rc == SQLITE_DONE && !n ? 0 : -1;
}

static int sq_tables(void *db, char ***names, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    *names = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = "
                           "'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
                           "'\\' ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, "reading the ledger's tables: %s",
                       sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *names = xrealloc(*names, (*n + 2) * sizeof **names);
        (*names)[(*n)++] = xstrdup((const char *)sqlite3_column_text(st, 0));
        (*names)[*n] = NULL;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return err_set(e, "reading the ledger's tables: %s",
                       sqlite3_errmsg(db));
    return 0;
}

static const char *sq_scan_order(void *db, const char *table, int copy)
{
    return copy ? "rowid" : "1";
}

static void sq_set_wait(void *db, int ms)
{
    sqlite3_busy_timeout(db, ms);
}

static int64_t sq_changes(void *db)
{
    return sqlite3_changes(db);
}

static int64_t sq_total_changes(void *db)
{
    return sqlite3_total_changes64(db);
}

static int64_t sq_last_id(void *db)
{
    return sqlite3_last_insert_rowid(db);
}

static const char *sq_errmsg(void *db)
{
    return sqlite3_errmsg(db);
}

static int sq_backup(void *db, const char *path, struct err *e)
{
    sqlite3 *dst;
    char *tmp = out_file_temp(path, e);
    if (!tmp)
        return -1;
    if (sqlite3_open(tmp, &dst) != SQLITE_OK) {
        err_set(e, "cannot create %s: %s", tmp, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", db, "main");
    int rc = SQLITE_ERROR;
    if (b) {
        do {
            rc = sqlite3_backup_step(b, 1024);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(50);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    }
    if (rc != SQLITE_DONE) {
        err_set(e, "backup failed: %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    sqlite3_close(dst);
    int rc2 = out_file_commit(tmp, path, e);
    free(tmp);
    return rc2;
}

/* Every table and view the migrations make, as a fresh in-memory ledger
 * shows them, that `db` lacks; -1 with e listing them. */
static int sq_check(void *db, struct err *e)
{
    sqlite3 *ref = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_open(":memory:", &ref) != SQLITE_OK)
        goto out; /* no memory for the check: the commands will say so */
    for (const char *const *m = carebill_migrations; *m; m++)
        if (sqlite3_exec(ref, *m, NULL, NULL, NULL) != SQLITE_OK)
            goto out;
    if (sqlite3_prepare_v2(ref,
                           "SELECT name FROM sqlite_master WHERE type IN "
                           "('table', 'view') AND name NOT LIKE 'sqlite\\_%' "
                           "ESCAPE '\\' ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    struct sbuf missing = {0};
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name)
            break; /* no memory for the name: the check is cut short */
        sqlite3_stmt *q = NULL;
        int found = 0, asked = 0;
        /* A name that cannot be bound (out of memory) would ask for NULL
         * and call the ledger damaged: that counts as not asked. */
        if (sqlite3_prepare_v2(db,
                               "SELECT 1 FROM sqlite_master WHERE type IN "
                               "('table', 'view') AND name = ?1",
                               -1, &q, NULL) == SQLITE_OK &&
            sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT) == SQLITE_OK) {
            int r = sqlite3_step(q);
            asked = r == SQLITE_ROW || r == SQLITE_DONE;
            found = r == SQLITE_ROW;
        }
        sqlite3_finalize(q);
        if (!asked) {
            rc = err_set(e, "cannot read the ledger's schema: %s",
                         sqlite3_errmsg(db));
            break;
        }
        if (!found)
            sb_printf(&missing, "%s%s", n++ ? ", " : "", name);
    }
    if (rc == 0 && n)
        rc = err_set(e, "the ledger is damaged or incomplete: %s %s missing "
                        "(restore it from a backup)",
                     n == 1 ? "table" : "tables", sb_str(&missing));
    sb_free(&missing);
out:
    sqlite3_finalize(st);
    sqlite3_close(ref);
    return rc;
}

const struct ledger_backend ledger_sqlite = {
    .name = "sqlite",
    .migrations = carebill_migrations,
    .open = sq_open,
    .close = sq_close,
    .get_version = sq_get_version,
    .set_version = sq_set_version,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_text_kept = sq_bind_text_kept,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .set_wait = sq_set_wait,
    .changes = sq_changes,
    .total_changes = sq_total_changes,
    .last_id = sq_last_id,
    .errmsg = sq_errmsg,
    .backup = sq_backup,
    .check = sq_check,
    .snapshot = sq_snapshot,
    .defer_fks = sq_defer_fks,
    .enforce_fks = sq_enforce_fks,
    .check_fks = sq_check_fks,
    .tables = sq_tables,
    .scan_order = sq_scan_order,
};
