/*
 * ledger.c — opening, migrating and transacting on the SQLite ledger, and
 * the prepared-statement cache shared by the modules that read and write
 * it. Every command runs in one transaction: all of it lands or none.
 */
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char *const carebill_migrations[];

#define STMT_CACHE 128

struct cached {
    const char *sql;
    sqlite3_stmt *st;
};

/* A numbering series' counter during a transaction. */
struct series_counter {
    char *id;
    int64_t last;
    int dirty;
};

struct ledger {
    sqlite3 *db;
    struct cached cache[STMT_CACHE];
    int n_cache;
    int in_tx;
    struct series_counter *series;
    size_t n_series;
};

static void series_forget(struct ledger *lg)
{
    for (size_t i = 0; i < lg->n_series; i++)
        free(lg->series[i].id);
    free(lg->series);
    lg->series = NULL;
    lg->n_series = 0;
}

/* Write the counters back, before COMMIT, in the same transaction. */
static int series_flush(struct ledger *lg, struct err *e)
{
    static const char *const sql =
        "INSERT INTO series(id, last_seq) VALUES (?1, ?2) "
        "ON CONFLICT(id) DO UPDATE SET last_seq = excluded.last_seq";
    for (size_t i = 0; i < lg->n_series; i++) {
        if (!lg->series[i].dirty)
            continue;
        sqlite3_stmt *st = ledger_stmt(lg, sql);
        bind_text(st, 1, lg->series[i].id);
        bind_int(st, 2, lg->series[i].last);
        if (ledger_done(lg, st, NULL, e) != 0)
            return -1;
        lg->series[i].dirty = 0;
    }
    return 0;
}

int ledger_next_seq(struct ledger *lg, const char *series, int64_t *seq,
                    struct err *e)
{
    static const char *const sql = "SELECT last_seq FROM series WHERE id = ?1";
    for (size_t i = 0; i < lg->n_series; i++)
        if (!strcmp(lg->series[i].id, series)) {
            *seq = ++lg->series[i].last;
            lg->series[i].dirty = 1;
            return 0;
        }
    sqlite3_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, series);
    int64_t last = ledger_first_int(st, 0);
    lg->series = xrealloc(lg->series, (lg->n_series + 1) * sizeof *lg->series);
    lg->series[lg->n_series++] = (struct series_counter){xstrdup(series),
                                                         last + 1, 1};
    *seq = last + 1;
    if (!lg->in_tx) {
        /* Outside a transaction the statement is its own: write through. */
        int rc = series_flush(lg, e);
        series_forget(lg);
        return rc;
    }
    return 0;
}

int ledger_schema_version(void)
{
    int n = 0;
    while (carebill_migrations[n])
        n++;
    return n;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(struct ledger *lg, int from, struct err *e)
{
    int to = ledger_schema_version();
    if (from >= to)
        return 0;
    if (ledger_begin(lg, e) != 0)
        return -1;
    for (int i = from; i < to; i++) {
        char *msg = NULL;
        if (sqlite3_exec(lg->db, carebill_migrations[i], NULL, NULL, &msg) !=
            SQLITE_OK) {
            err_set(e, "migration %d failed: %s", i + 1, msg ? msg : "?");
            sqlite3_free(msg);
            ledger_rollback(lg);
            return -1;
        }
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", to);
    if (ledger_exec(lg, sql, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    return ledger_commit(lg, e);
}

struct ledger *ledger_open(const char *path, int create, struct err *e)
{
    if (!create && access(path, F_OK) != 0) {
        err_set(e, "no ledger at %s (run 'carebill init' first)", path);
        return NULL;
    }
    struct ledger *lg = xcalloc(1, sizeof *lg);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &lg->db, flags, NULL) != SQLITE_OK) {
        err_set(e, "cannot open ledger %s: %s", path,
                lg->db ? sqlite3_errmsg(lg->db) : "out of memory");
        ledger_close(lg);
        return NULL;
    }
    sqlite3_busy_timeout(lg->db, 30000);
    if (ledger_exec(lg, "PRAGMA journal_mode = WAL", e) != 0 ||
        ledger_exec(lg, "PRAGMA foreign_keys = ON", e) != 0 ||
        ledger_exec(lg, "PRAGMA synchronous = NORMAL", e) != 0) {
        err_prefix(e, "ledger %s", path);
        ledger_close(lg);
        return NULL;
    }
    int v = user_version(lg->db);
    int known = ledger_schema_version();
    if (v < 0) {
        err_set(e, "%s is not a carebill ledger", path);
        ledger_close(lg);
        return NULL;
    }
    if (v > known) {
        err_set(e, "ledger %s has schema version %d, newer than this carebill "
                   "(%d); upgrade carebill", path, v, known);
        ledger_close(lg);
        return NULL;
    }
    if (v < known) {
        if (!create) {
            err_set(e, "ledger %s has schema version %d, this carebill needs "
                       "%d: run 'carebill init' to upgrade it", path, v, known);
            ledger_close(lg);
            return NULL;
        }
        if (migrate(lg, v, e) != 0) {
            ledger_close(lg);
            return NULL;
        }
    }
    return lg;
}

void ledger_close(struct ledger *lg)
{
    if (!lg)
        return;
    for (int i = 0; i < lg->n_cache; i++)
        sqlite3_finalize(lg->cache[i].st);
    series_forget(lg);
    sqlite3_close(lg->db);
    free(lg);
}

sqlite3 *ledger_db(struct ledger *lg)
{
    return lg->db;
}

const char *ledger_errmsg(struct ledger *lg)
{
    return sqlite3_errmsg(lg->db);
}

int ledger_exec(struct ledger *lg, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(lg->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, "%s", msg ? msg : sqlite3_errmsg(lg->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int ledger_begin(struct ledger *lg, struct err *e)
{
    int rc = sqlite3_exec(lg->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return err_set(e, "the ledger is busy: another carebill run holds it "
                          "(waited 30 s); try again when it has finished");
    if (rc != SQLITE_OK)
        return err_set(e, "cannot start a transaction: %s",
                       sqlite3_errmsg(lg->db));
    lg->in_tx = 1;
    return 0;
}

int ledger_commit(struct ledger *lg, struct err *e)
{
    if (series_flush(lg, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    series_forget(lg);
    if (sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        err_set(e, "commit failed: %s", sqlite3_errmsg(lg->db));
        ledger_rollback(lg);
        return -1;
    }
    lg->in_tx = 0;
    return 0;
}

void ledger_rollback(struct ledger *lg)
{
    series_forget(lg);
    if (!sqlite3_get_autocommit(lg->db))
        sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
    lg->in_tx = 0;
}

sqlite3_stmt *ledger_stmt(struct ledger *lg, const char *sql)
{
    for (int i = 0; i < lg->n_cache; i++)
        if (lg->cache[i].sql == sql) {
            sqlite3_stmt *st = lg->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(lg->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK) {
        /* A statement that does not prepare is a programming error. */
        fprintf(stderr, "carebill: internal SQL error: %s\nin: %s\n",
                sqlite3_errmsg(lg->db), sql);
        abort();
    }
    if (lg->n_cache < STMT_CACHE) {
        lg->cache[lg->n_cache].sql = sql;
        lg->cache[lg->n_cache].st = st;
        lg->n_cache++;
    } else {
        fprintf(stderr, "carebill: statement cache full\n");
        abort();
    }
    return st;
}

int ledger_done(struct ledger *lg, sqlite3_stmt *st, int *dup, struct err *e)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        sqlite3_reset(st);
        if (dup)
            *dup = 0;
        return 0;
    }
    int ext = sqlite3_extended_errcode(lg->db);
    sqlite3_reset(st);
    if (dup && (ext == SQLITE_CONSTRAINT_UNIQUE ||
                ext == SQLITE_CONSTRAINT_PRIMARYKEY)) {
        *dup = 1;
        return 0;
    }
    return err_set(e, "ledger write failed: %s", sqlite3_errmsg(lg->db));
}

int ledger_has_row(sqlite3_stmt *st)
{
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

int64_t ledger_first_int(sqlite3_stmt *st, int64_t dflt)
{
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                               : dflt;
    sqlite3_reset(st);
    return v;
}

void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void bind_date(sqlite3_stmt *st, int i, cdate d)
{
    if (d == CDATE_NONE) {
        sqlite3_bind_null(st, i);
        return;
    }
    char buf[11];
    sqlite3_bind_text(st, i, date_fmt(d, buf), 10, SQLITE_TRANSIENT);
}

void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st, i, v);
}

char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? xstrdup((const char *)s) : NULL;
}

const char *col_ctext(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

cdate col_date(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    cdate d;
    if (!s || date_parse(s, &d, NULL) != 0)
        return CDATE_NONE;
    return d;
}

int64_t col_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

int ledger_backup(struct ledger *lg, const char *path, struct err *e)
{
    sqlite3 *dst;
    char *tmp = xasprintf("%s.tmp", path);
    unlink(tmp);
    if (sqlite3_open(tmp, &dst) != SQLITE_OK) {
        err_set(e, "cannot create %s: %s", tmp, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        free(tmp);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", lg->db, "main");
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
    if (rename(tmp, path) != 0) {
        err_set(e, "cannot write %s", path);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
