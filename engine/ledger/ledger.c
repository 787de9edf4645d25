/*
 * ledger.c — what every ledger backend shares: the prepared-statement
 * cache (a growing hash on the SQL text's address), numbering series kept
 * per transaction, sticky statement errors, and the migration order.
 * Everything the database engine does itself goes through the backend's
 * table of functions (backend.h).
 *
 * A statement that cannot run correctly does not run: one whose prepare
 * failed for want of memory or I/O, one with a value that could not be
 * bound (it would store NULL in its place), and every statement after a
 * failure in the open transaction (the engine may already have rolled
 * the transaction back, and a statement run then would commit on its
 * own). Each such step fails like an engine error, so the transaction
 * ends in a refused commit and a rollback.
 */
#include "ledger/ledger.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/backend.h"

struct ledger_stmt {
    struct ledger *lg;
    const char *sql;
    void *h;                    /* NULL: the stand-in for a failed prepare */
    int bad_bind;               /* a bind failed since the last clear */
};

/* A numbering series' counter during a transaction. */
struct series_counter {
    char *id;
    int64_t last;
    int dirty;
};

struct ledger {
    const struct ledger_backend *be;
    void *db;
    struct ledger_stmt **slots; /* open addressing on sql's address */
    size_t n_slots, n_stmts;
    int in_tx;
    int failed;                 /* a statement failed in this transaction */
    char *fail_msg;
    const char *refused;        /* why the last step did not run, or NULL */
    char *prep_msg, *bind_msg;  /* the last failed prepare's, bind's error */
    struct ledger_stmt *dead;   /* handed out when a prepare fails */
    struct series_counter *series;
    size_t n_series;
};

/* ============================================================ errors */

static void note_failure(struct ledger *lg)
{
    if (!lg->in_tx || lg->failed)
        return;
    lg->failed = 1;
    char *m = xstrdup(ledger_errmsg(lg));
    free(lg->fail_msg);
    lg->fail_msg = m;
}

const char *ledger_errmsg(struct ledger *lg)
{
    return lg->refused ? lg->refused : lg->be->errmsg(lg->db);
}

/* Keep a copy of the engine's message in *slot. */
static void keep_msg(struct ledger *lg, char **slot, const char *msg)
{
    char *m = xstrdup(msg ? msg : lg->be->errmsg(lg->db));
    if (lg->refused == *slot)
        lg->refused = NULL;
    free(*slot);
    *slot = m;
}

/* Step st through the backend, unless it cannot run correctly (see the
 * top of the file): then BE_ERROR, with the reason in lg->refused. */
static int step_checked(struct ledger_stmt *st)
{
    struct ledger *lg = st->lg;
    lg->refused = NULL;
    if (lg->in_tx && lg->failed)
        lg->refused = lg->fail_msg ? lg->fail_msg : "an earlier statement "
                                                    "failed";
    else if (!st->h)
        lg->refused = lg->prep_msg;
    else if (st->bad_bind)
        lg->refused = lg->bind_msg;
    if (lg->refused)
        return BE_ERROR;
    return lg->be->step(st->h);
}

/* A value the engine could not turn into text is an allocation failure:
 * as everywhere in carebill (base/util.h), the process ends before
 * anything more is committed. */
static void col_failed(void)
{
    fputs("carebill: out of memory reading the ledger\n", stderr);
    exit(1);
}

/* ========================================================= statements */

static size_t slot_of(const char *sql, size_t n)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 7) & (n - 1);
}

static void cache_grow(struct ledger *lg)
{
    size_t n = lg->n_slots ? lg->n_slots * 2 : 64;
    struct ledger_stmt **slots = xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < lg->n_slots; i++) {
        struct ledger_stmt *s = lg->slots[i];
        if (!s)
            continue;
        size_t j = slot_of(s->sql, n);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = s;
    }
    free(lg->slots);
    lg->slots = slots;
    lg->n_slots = n;
}

struct ledger_stmt *ledger_stmt(struct ledger *lg, const char *sql)
{
    if (lg->n_slots) {
        size_t j = slot_of(sql, lg->n_slots);
        for (struct ledger_stmt *s; (s = lg->slots[j]);
             j = (j + 1) & (lg->n_slots - 1))
            if (s->sql == sql) {
                lg->be->reset(s->h, 1);
                s->bad_bind = 0;
                return s;
            }
    }
    struct err e = {0};
    int fatal = 0;
    void *h = lg->be->prepare(lg->db, sql, &fatal, &e);
    if (!h) {
        /* The engine could not (memory, I/O), or the statement does not
         * fit this ledger (a table or column missing: a damaged ledger
         * that passed the check at open, or a programming error): a
         * stand-in whose steps fail with the reason, so the command
         * reports it and exits 1; the next call tries again. */
        if (fatal)
            err_prefix(&e, "the ledger does not hold what carebill needs");
        keep_msg(lg, &lg->prep_msg, e.msg);
        if (fatal && lg->in_tx && !lg->failed) {
            lg->failed = 1;
            free(lg->fail_msg);
            lg->fail_msg = xstrdup(e.msg);
        }
        if (!lg->dead)
            lg->dead = xcalloc(1, sizeof *lg->dead);
        *lg->dead = (struct ledger_stmt){lg, sql, NULL, 0};
        return lg->dead;
    }
    if ((lg->n_stmts + 1) * 2 > lg->n_slots)
        cache_grow(lg);
    struct ledger_stmt *s = xcalloc(1, sizeof *s);
    *s = (struct ledger_stmt){lg, sql, h, 0};
    size_t j = slot_of(sql, lg->n_slots);
    while (lg->slots[j])
        j = (j + 1) & (lg->n_slots - 1);
    lg->slots[j] = s;
    lg->n_stmts++;
    return s;
}

int ledger_step(struct ledger_stmt *st)
{
    int rc = step_checked(st);
    if (rc == BE_ROW)
        return LEDGER_ROW;
    if (rc == BE_DONE)
        return LEDGER_DONE;
    note_failure(st->lg);
    return LEDGER_ERROR;
}

void ledger_reset(struct ledger_stmt *st)
{
    if (st->h)
        st->lg->be->reset(st->h, 0);
}

int ledger_done(struct ledger *lg, struct ledger_stmt *st, int *dup,
                struct err *e)
{
    int rc = step_checked(st);
    if (dup)
        *dup = rc == BE_DUP;
    if (rc == BE_DONE || rc == BE_ROW || (dup && rc == BE_DUP)) {
        lg->be->reset(st->h, 0);
        return 0;
    }
    note_failure(lg);
    err_set(e, "ledger write failed: %s", ledger_errmsg(lg));
    ledger_reset(st);
    return -1;
}

int ledger_read_end(struct ledger_stmt *st, int rc, const char *what,
                    struct err *e)
{
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading %s: %s", what, ledger_errmsg(st->lg));
    return 0;
}

int ledger_has_row(struct ledger_stmt *st)
{
    int found = ledger_step(st) == LEDGER_ROW;
    ledger_reset(st);
    return found;
}

int64_t ledger_first_int(struct ledger_stmt *st, int64_t dflt)
{
    int64_t v = ledger_step(st) == LEDGER_ROW ? col_int(st, 0) : dflt;
    ledger_reset(st);
    return v;
}

int64_t ledger_changes(struct ledger *lg)
{
    return lg->be->changes(lg->db);
}

int64_t ledger_last_id(struct ledger *lg)
{
    return lg->be->last_id(lg->db);
}

/* A bind that failed leaves its parameter NULL: the statement must not
 * run (step_checked). */
static void bind_result(struct ledger_stmt *st, int rc)
{
    if (rc != 0 && !st->bad_bind) {
        st->bad_bind = 1;
        keep_msg(st->lg, &st->lg->bind_msg, NULL);
    }
}

void bind_text(struct ledger_stmt *st, int i, const char *s)
{
    if (!st->h)
        return;
    if (s)
        bind_result(st, st->lg->be->bind_text(st->h, i, s, -1));
    else
        bind_result(st, st->lg->be->bind_null(st->h, i));
}

void bind_date(struct ledger_stmt *st, int i, cdate d)
{
    if (!st->h)
        return;
    if (d == CDATE_NONE) {
        bind_result(st, st->lg->be->bind_null(st->h, i));
        return;
    }
    char buf[11];
    bind_result(st, st->lg->be->bind_text(st->h, i, date_fmt(d, buf), 10));
}

void bind_int(struct ledger_stmt *st, int i, int64_t v)
{
    if (st->h)
        bind_result(st, st->lg->be->bind_int(st->h, i, v));
}

void bind_null(struct ledger_stmt *st, int i)
{
    if (st->h)
        bind_result(st, st->lg->be->bind_null(st->h, i));
}

const char *col_ctext(struct ledger_stmt *st, int i)
{
    if (!st->h)
        return NULL;
    int failed = 0;
    const char *s = st->lg->be->col_text(st->h, i, &failed);
    if (failed)
        col_failed();
    return s;
}

char *col_text(struct ledger_stmt *st, int i)
{
    const char *s = col_ctext(st, i);
    return s ? xstrdup(s) : NULL;
}

cdate col_date(struct ledger_stmt *st, int i)
{
    const char *s = col_ctext(st, i);
    cdate d;
    if (!s || date_parse(s, &d, NULL) != 0)
        return CDATE_NONE;
    return d;
}

int64_t col_int(struct ledger_stmt *st, int i)
{
    return st->h ? st->lg->be->col_int(st->h, i) : 0;
}

int col_is_null(struct ledger_stmt *st, int i)
{
    return st->h ? st->lg->be->col_is_null(st->h, i) : 1;
}

int col_count(struct ledger_stmt *st)
{
    return st->h ? st->lg->be->col_count(st->h) : 0;
}

void ledger_set_wait(struct ledger *lg, int ms)
{
    lg->be->set_wait(lg->db, ms);
}

int ledger_exec(struct ledger *lg, const char *sql, struct err *e)
{
    if (lg->in_tx && lg->failed)
        return err_set(e, "%s", lg->fail_msg ? lg->fail_msg : "an earlier "
                                               "statement failed");
    if (lg->be->exec(lg->db, sql, e) != 0) {
        note_failure(lg);
        return -1;
    }
    return 0;
}

/* ================================================================ series */

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
        struct ledger_stmt *st = ledger_stmt(lg, sql);
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
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, series);
    int rc = ledger_step(st);
    int64_t last = rc == LEDGER_ROW ? col_int(st, 0) : 0;
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading series %s: %s", series, ledger_errmsg(lg));
    lg->series = xrealloc(lg->series, (lg->n_series + 1) * sizeof *lg->series);
    lg->series[lg->n_series++] = (struct series_counter){xstrdup(series),
                                                         last + 1, 1};
    *seq = last + 1;
    if (!lg->in_tx) {
        /* Outside a transaction the statement is its own: write through. */
        int frc = series_flush(lg, e);
        series_forget(lg);
        return frc;
    }
    return 0;
}

/* ========================================================= transactions */

int ledger_in_tx(const struct ledger *lg)
{
    return lg->in_tx;
}

int ledger_begin(struct ledger *lg, struct err *e)
{
    int rc = lg->be->begin(lg->db, e);
    if (rc == BE_BUSY)
        return err_set(e, "the ledger is busy: another carebill run holds it "
                          "(waited 30 s); try again when it has finished");
    if (rc != 0)
        return err_prefix(e, "cannot start a transaction");
    lg->in_tx = 1;
    lg->failed = 0;
    lg->refused = NULL;
    return 0;
}

int ledger_commit(struct ledger *lg, struct err *e)
{
    if (lg->failed) {
        err_set(e, "ledger error during the transaction: %s",
                lg->fail_msg ? lg->fail_msg : "?");
        ledger_rollback(lg);
        return -1;
    }
    if (series_flush(lg, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    series_forget(lg);
    if (lg->be->commit(lg->db, e) != 0) {
        err_prefix(e, "commit failed");
        ledger_rollback(lg);
        return -1;
    }
    lg->in_tx = 0;
    return 0;
}

void ledger_rollback(struct ledger *lg)
{
    series_forget(lg);
    lg->be->rollback(lg->db);
    lg->in_tx = 0;
    lg->failed = 0;
    lg->refused = NULL;
}

/* ============================================================ open/close */

static const struct ledger_backend *backend_for(const char *where)
{
    (void)where; /* one engine so far: every location is a SQLite file */
    return &ledger_sqlite;
}

int ledger_schema_version(void)
{
    const char *const *m = ledger_sqlite.migrations;
    int n = 0;
    while (m[n])
        n++;
    return n;
}

static int migrate(struct ledger *lg, int from, struct err *e)
{
    int to = ledger_schema_version();
    if (from >= to)
        return 0;
    if (ledger_begin(lg, e) != 0)
        return -1;
    for (int i = from; i < to; i++)
        if (lg->be->exec(lg->db, lg->be->migrations[i], e) != 0) {
            err_prefix(e, "migration %d failed", i + 1);
            ledger_rollback(lg);
            return -1;
        }
    if (lg->be->set_version(lg->db, to, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    return ledger_commit(lg, e);
}

struct ledger *ledger_open(const char *where, int create, struct err *e)
{
    if (!create && access(where, F_OK) != 0) {
        err_set(e, "no ledger at %s (run 'carebill init' first)", where);
        return NULL;
    }
    struct ledger *lg = xcalloc(1, sizeof *lg);
    lg->be = backend_for(where);
    lg->db = lg->be->open(where, create, e);
    if (!lg->db) {
        free(lg);
        return NULL;
    }
    int v = lg->be->get_version(lg->db);
    int known = ledger_schema_version();
    if (v == -2) {
        err_set(e, "cannot read ledger %s: %s", where, lg->be->errmsg(lg->db));
        ledger_close(lg);
        return NULL;
    }
    if (v < 0) {
        err_set(e, "%s is not a carebill ledger", where);
        ledger_close(lg);
        return NULL;
    }
    if (v > known) {
        err_set(e, "ledger %s has schema version %d, newer than this carebill "
                   "(%d); upgrade carebill", where, v, known);
        ledger_close(lg);
        return NULL;
    }
    if (v < known) {
        if (!create) {
            err_set(e, "ledger %s has schema version %d, this carebill needs "
                       "%d: run 'carebill init' to upgrade it", where, v, known);
            ledger_close(lg);
            return NULL;
        }
        if (migrate(lg, v, e) != 0) {
            ledger_close(lg);
            return NULL;
        }
    }
    if (lg->be->check && lg->be->check(lg->db, e) != 0) {
        err_prefix(e, "%s", where);
        ledger_close(lg);
        return NULL;
    }
    return lg;
}

void ledger_close(struct ledger *lg)
{
    if (!lg)
        return;
    for (size_t i = 0; i < lg->n_slots; i++)
        if (lg->slots[i]) {
            lg->be->finalize(lg->slots[i]->h);
            free(lg->slots[i]);
        }
    free(lg->slots);
    series_forget(lg);
    free(lg->fail_msg);
    free(lg->prep_msg);
    free(lg->bind_msg);
    free(lg->dead);
    lg->be->close(lg->db);
    free(lg);
}

int ledger_backup(struct ledger *lg, const char *path, struct err *e)
{
    return lg->be->backup(lg->db, path, e);
}
