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

#include "base/outfile.h"
#include "ledger/backend.h"

struct ledger_stmt {
    struct ledger *lg;
    const char *sql;
    void *h;                    /* NULL: the stand-in for a failed prepare */
    int bad_bind;               /* a bind failed since the last clear */
    /* Parameters (bit i-1 for ?i, i <= 64) bound in this use and in the
     * uses before it: those the present use leaves unbound are set NULL
     * just before it steps, which is what clearing every binding at the
     * start of a use gives, without releasing (and so allocating anew)
     * the value of every parameter the use binds again. */
    uint64_t bound, stale;
    int wide;                   /* a parameter past 64: clear them all */
    /* The text of parameter i (i <= 64) in kept[i-1], bound without a
     * copy by the engine: a buffer reused by every use of the statement
     * instead of an allocation per bound value. `live` while the engine
     * holds exactly these len bytes for ?i (a use that binds the same
     * text again, as a run binds its date, series and rule set to every
     * invoice, leaves the engine's binding as it is); `date` the day they
     * spell when bind_date wrote them (CDATE_NONE otherwise). */
    struct kept_text {
        char *s;
        size_t cap, len;
        int live;
        cdate date;
        int int_live; /* likewise for the number ival bind_int bound */
        int64_t ival;
    } kept[64];
    /* ledger_first_int_kept: the answer, in transaction kept_tx when the
     * connection had written kept_at rows. */
    int64_t kept_answer, kept_at;
    unsigned kept_tx;
};

/* A numbering series' counter during a transaction: the last number
 * taken and its issue date, written back together (series_flush). */
struct series_counter {
    char *id;
    int64_t last;
    int dirty;
    cdate last_date;            /* of number `last` */
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
    unsigned tx_serial;         /* transactions begun; 0: none yet */
    int wait_ms;                /* how long begin waits for the lock */
    /* ledger_on_wait: told once, before the first wait for the lock */
    void (*on_wait)(void *arg, int wait_ms);
    void *on_wait_arg;
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
static int step_checked(struct ledger_stmt *st, int guarded)
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
    uint64_t unset = st->stale & ~st->bound;
    for (int i = 0; unset; i++, unset >>= 1) {
        if (!(unset & 1))
            continue;
        st->kept[i].live = st->kept[i].int_live = 0;
        if (lg->be->bind_null(st->h, i + 1) != 0) {
            keep_msg(lg, &lg->bind_msg, NULL);
            lg->refused = lg->bind_msg;
            return BE_ERROR;
        }
    }
    st->stale = 0;
    /* guarded: a unique violation the caller handles must leave the
     * transaction going (backend.h step_guarded). */
    if (guarded && lg->in_tx && lg->be->step_guarded)
        return lg->be->step_guarded(st->h);
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
                lg->be->reset(s->h, s->wide);
                if (s->wide) /* the engine cleared every binding */
                    for (int k = 0; k < 64; k++)
                        s->kept[k].live = s->kept[k].int_live = 0;
                s->stale = s->wide ? 0 : s->stale | s->bound;
                s->bound = 0;
                s->wide = 0;
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
        *lg->dead = (struct ledger_stmt){.lg = lg, .sql = sql};
        return lg->dead;
    }
    if ((lg->n_stmts + 1) * 2 > lg->n_slots)
        cache_grow(lg);
    struct ledger_stmt *s = xcalloc(1, sizeof *s);
    *s = (struct ledger_stmt){.lg = lg, .sql = sql, .h = h};
    size_t j = slot_of(sql, lg->n_slots);
    while (lg->slots[j])
        j = (j + 1) & (lg->n_slots - 1);
    lg->slots[j] = s;
    lg->n_stmts++;
    return s;
}

int ledger_step(struct ledger_stmt *st)
{
    int rc = step_checked(st, 0);
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
    int rc = step_checked(st, dup != NULL);
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

int ledger_read_ints(struct ledger_stmt *st, const char *what, int64_t **out,
                     size_t *n, struct err *e)
{
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = col_int(st, 0);
    }
    if (ledger_read_end(st, rc, what, e) != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
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

int64_t ledger_first_int_kept(struct ledger_stmt *st, int64_t dflt)
{
    struct ledger *lg = st->lg;
    int known = lg->in_tx && !lg->failed && lg->be->total_changes && st->h;
    int64_t at = known ? lg->be->total_changes(lg->db) : 0;
    if (known && st->kept_tx == lg->tx_serial && st->kept_at == at)
        return st->kept_answer;
    int rc = ledger_step(st);
    int64_t v = rc == LEDGER_ROW ? col_int(st, 0) : dflt;
    ledger_reset(st);
    /* Kept only when it ran: an error answers dflt, never twice. */
    st->kept_tx = known && rc != LEDGER_ERROR ? lg->tx_serial : 0;
    st->kept_at = at;
    st->kept_answer = v;
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
static void bind_result(struct ledger_stmt *st, int i, int rc)
{
    if (i >= 1 && i <= 64) {
        st->bound |= (uint64_t)1 << (i - 1);
        /* bind_bytes and bind_int set theirs again */
        st->kept[i - 1].live = st->kept[i - 1].int_live = 0;
    } else
        st->wide = 1;
    if (rc != 0 && !st->bad_bind) {
        st->bad_bind = 1;
        keep_msg(st->lg, &st->lg->bind_msg, NULL);
    }
}

/* Bind len bytes of s to ?i: copied into the parameter's own buffer when
 * the backend can bind without copying, else copied by the backend. */
static void bind_bytes(struct ledger_stmt *st, int i, const char *s,
                       size_t len)
{
    const struct ledger_backend *be = st->lg->be;
    if (!be->bind_text_kept || i < 1 || i > 64 || len > INT32_MAX) {
        bind_result(st, i, be->bind_text(st->h, i, s, (int)len));
        return;
    }
    struct kept_text *k = &st->kept[i - 1];
    uint64_t bit = (uint64_t)1 << (i - 1);
    /* Bound in the use before and still held by the engine (a reset
     * keeps bindings; those a use leaves out are set NULL when it steps):
     * the same bytes need no new binding. */
    if (k->live && (st->stale & bit) && k->len == len &&
        memcmp(k->s, s, len) == 0) {
        st->bound |= bit;
        k->date = CDATE_NONE;
        return;
    }
    if (k->cap < len + 1) {
        size_t cap = len + 1 < 32 ? 32 : len + 1;
        char *b = xmalloc(cap);
        free(k->s);
        k->s = b;
        k->cap = cap;
    }
    memcpy(k->s, s, len);
    k->s[len] = '\0';
    int rc = be->bind_text_kept(st->h, i, k->s, (int)len);
    bind_result(st, i, rc);
    k->len = len;
    k->live = rc == 0;
    k->date = CDATE_NONE;
}

void bind_text(struct ledger_stmt *st, int i, const char *s)
{
    if (!st->h)
        return;
    if (s)
        bind_bytes(st, i, s, strlen(s));
    else
        bind_result(st, i, st->lg->be->bind_null(st->h, i));
}

void bind_date(struct ledger_stmt *st, int i, cdate d)
{
    if (!st->h)
        return;
    if (d == CDATE_NONE) {
        bind_result(st, i, st->lg->be->bind_null(st->h, i));
        return;
    }
    /* The day bound in the use before, still held: nothing to write. */
    if (st->lg->be->bind_text_kept && i >= 1 && i <= 64) {
        struct kept_text *k = &st->kept[i - 1];
        if (k->live && k->date == d && (st->stale & ((uint64_t)1 << (i - 1)))) {
            st->bound |= (uint64_t)1 << (i - 1);
            return;
        }
    }
    char buf[11];
    bind_bytes(st, i, date_fmt(d, buf), 10);
    if (i >= 1 && i <= 64 && st->kept[i - 1].live)
        st->kept[i - 1].date = d;
}

void bind_int(struct ledger_stmt *st, int i, int64_t v)
{
    if (!st->h)
        return;
    if (i < 1 || i > 64) {
        bind_result(st, i, st->lg->be->bind_int(st->h, i, v));
        return;
    }
    /* The number bound in the use before, still held: as bind_bytes. */
    struct kept_text *k = &st->kept[i - 1];
    uint64_t bit = (uint64_t)1 << (i - 1);
    if (k->int_live && k->ival == v && (st->stale & bit)) {
        st->bound |= bit;
        return;
    }
    int rc = st->lg->be->bind_int(st->h, i, v);
    bind_result(st, i, rc);
    k->int_live = rc == 0;
    k->ival = v;
}

void bind_null(struct ledger_stmt *st, int i)
{
    if (st->h)
        bind_result(st, i, st->lg->be->bind_null(st->h, i));
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
    lg->wait_ms = ms;
    lg->be->set_wait(lg->db, ms);
}

void ledger_on_wait(struct ledger *lg, void (*fn)(void *arg, int wait_ms),
                    void *arg)
{
    lg->on_wait = fn;
    lg->on_wait_arg = arg;
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

/* Write the counters back, before COMMIT, in the same transaction: the
 * last number of each series and its date (the date checks of a run read
 * them, store/invoices.c). */
static int series_flush(struct ledger *lg, struct err *e)
{
    static const char *const sql =
        "INSERT INTO series(id, last_seq, last_issued) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(id) DO UPDATE SET last_seq = excluded.last_seq, "
        "last_issued = excluded.last_issued";
    for (size_t i = 0; i < lg->n_series; i++) {
        if (!lg->series[i].dirty)
            continue;
        struct ledger_stmt *st = ledger_stmt(lg, sql);
        bind_text(st, 1, lg->series[i].id);
        bind_int(st, 2, lg->series[i].last);
        bind_date(st, 3, lg->series[i].last_date);
        if (ledger_done(lg, st, NULL, e) != 0)
            return -1;
        lg->series[i].dirty = 0;
    }
    return 0;
}

int ledger_next_seq(struct ledger *lg, const char *series, cdate issued,
                    int64_t *seq, struct err *e)
{
    static const char *const sql = "SELECT last_seq FROM series WHERE id = ?1";
    for (size_t i = 0; i < lg->n_series; i++)
        if (!strcmp(lg->series[i].id, series)) {
            *seq = ++lg->series[i].last;
            lg->series[i].last_date = issued;
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
    lg->series[lg->n_series++] = (struct series_counter){
        xstrdup(series), last + 1, 1, issued};
    *seq = last + 1;
    if (!lg->in_tx) {
        /* Outside a transaction the statement is its own: write through. */
        int frc = series_flush(lg, e);
        series_forget(lg);
        return frc;
    }
    return 0;
}

int ledger_series_date(const struct ledger *lg, const char *series, cdate *d)
{
    for (size_t i = 0; i < lg->n_series; i++)
        if (!strcmp(lg->series[i].id, series) &&
            lg->series[i].last_date != CDATE_NONE) {
            *d = lg->series[i].last_date;
            return 1;
        }
    return 0;
}

int ledger_series_latest(const struct ledger *lg, cdate *d)
{
    int any = 0;
    for (size_t i = 0; i < lg->n_series; i++) {
        cdate t = lg->series[i].last_date;
        if (t != CDATE_NONE && (!any || t > *d)) {
            *d = t;
            any = 1;
        }
    }
    return any;
}

/* ========================================================= transactions */

int ledger_in_tx(const struct ledger *lg)
{
    return lg->in_tx;
}

int ledger_begin(struct ledger *lg, struct err *e)
{
    int rc;
    if (lg->on_wait) {
        /* A first try that does not wait: when another run holds the
         * lock, say so once, then wait as usual. */
        lg->be->set_wait(lg->db, 0);
        rc = lg->be->begin(lg->db, e);
        lg->be->set_wait(lg->db, lg->wait_ms);
        if (rc == BE_BUSY) {
            void (*fn)(void *, int) = lg->on_wait;
            lg->on_wait = NULL;
            fn(lg->on_wait_arg, lg->wait_ms);
            rc = lg->be->begin(lg->db, e);
        }
    } else {
        rc = lg->be->begin(lg->db, e);
    }
    if (rc == BE_BUSY)
        return err_set(e, "the ledger is busy: another carebill run holds it "
                          "(waited 30 s); try again when it has finished");
    if (rc != 0)
        return err_prefix(e, "cannot start a transaction");
    lg->in_tx = 1;
    lg->tx_serial++;
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

/* A postgresql:// or postgres:// URL is a PostgreSQL schema; anything
 * else a SQLite file. */
static const struct ledger_backend *backend_for(const char *where)
{
    return ledger_pg_location(where) ? &ledger_pg : &ledger_sqlite;
}

static int migrations_of(const struct ledger_backend *be)
{
    int n = 0;
    while (be->migrations[n])
        n++;
    return n;
}

int ledger_schema_version(void)
{
    return migrations_of(&ledger_sqlite);
}

const char *ledger_backend_name(const struct ledger *lg)
{
    return lg->be->name;
}

/* The location as messages show it (a URL without its password). */
static const char *shown(const struct ledger *lg, const char *where)
{
    return lg->be->where ? lg->be->where(lg->db) : where;
}

/* Migrations from..to-1 in one transaction. On an engine that turns
 * foreign keys off for them (backend.h enforce_fks), every key is
 * checked before the commit: a row that refers to a missing one refuses
 * the upgrade, rolled back, and names the table. */
static int migrate_tx(struct ledger *lg, int from, int to, struct err *e)
{
    if (ledger_begin(lg, e) != 0)
        return -1;
    for (int i = from; i < to; i++)
        if (lg->be->exec(lg->db, lg->be->migrations[i], e) != 0) {
            err_prefix(e, "migration %d failed", i + 1);
            ledger_rollback(lg);
            return -1;
        }
    if (lg->be->check_fks && lg->be->check_fks(lg->db, e) != 0) {
        err_prefix(e, "the ledger cannot be upgraded to schema version %d "
                      "(nothing was changed)", to);
        ledger_rollback(lg);
        return -1;
    }
    if (lg->be->set_version(lg->db, to, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    return ledger_commit(lg, e);
}

static int migrate(struct ledger *lg, int from, struct err *e)
{
    int to = ledger_schema_version();
    if (from >= to)
        return 0;
    /* Off before the transaction begins and on after it ends: the engine
     * takes the setting only outside one. A ledger that could not be
     * turned back is not used (the caller closes it). */
    if (lg->be->enforce_fks && lg->be->enforce_fks(lg->db, 0, e) != 0)
        return err_prefix(e, "cannot upgrade the ledger");
    int rc = migrate_tx(lg, from, to, e);
    struct err again = {0};
    if (lg->be->enforce_fks && lg->be->enforce_fks(lg->db, 1, &again) != 0 &&
        rc == 0) {
        *e = again;
        rc = -1;
    }
    return rc;
}

struct ledger *ledger_open_plain(const char *where, struct err *e)
{
    struct ledger *lg = xcalloc(1, sizeof *lg);
    lg->be = backend_for(where);
    lg->wait_ms = 30000; /* the backends' default */
    lg->db = lg->be->open(where, 2, e);
    if (!lg->db) {
        free(lg);
        return NULL;
    }
    return lg;
}

int ledger_exists(const char *where, struct err *e)
{
    if (backend_for(where) == &ledger_pg)
        return ledger_pg_exists(where, e);
    return access(where, F_OK) == 0;
}

struct ledger *ledger_open(const char *where, int create, struct err *e)
{
    const struct ledger_backend *be = backend_for(where);
    if (!create && be == &ledger_sqlite && access(where, F_OK) != 0) {
        err_set(e, "no ledger at %s (run 'carebill init' first)", where);
        return NULL;
    }
    if (migrations_of(be) != ledger_schema_version()) {
        err_set(e, "this carebill has %d migrations for SQLite but %d for "
                   "%s: it cannot open %s",
                ledger_schema_version(), migrations_of(be), be->name, where);
        return NULL;
    }
    struct ledger *lg = xcalloc(1, sizeof *lg);
    lg->be = be;
    lg->wait_ms = 30000; /* the backends' default */
    lg->db = lg->be->open(where, create ? 1 : 0, e);
    if (!lg->db) {
        free(lg);
        return NULL;
    }
    where = shown(lg, where);
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
            for (size_t k = 0; k < 64; k++)
                free(lg->slots[i]->kept[k].s);
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

/* ======================================================= copies, dumps */

int ledger_tables(struct ledger *lg, char ***names, size_t *n, struct err *e)
{
    return lg->be->tables(lg->db, names, n, e);
}

void ledger_tables_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int ledger_scan(struct ledger *lg, const char *table, int copy,
                int (*row)(void *arg, int n, const char *const *names,
                           const char *const *vals),
                void *arg, struct err *e)
{
    char *sql = xasprintf("SELECT * FROM \"%s\" ORDER BY %s", table,
                          lg->be->scan_order(lg->db, table, copy));
    int fatal = 0;
    void *h = lg->be->prepare(lg->db, sql, &fatal, e);
    free(sql);
    if (!h)
        return err_prefix(e, "reading table %s", table);
    const char **names = NULL, **vals = NULL;
    int n = 0, rc;
    while ((rc = lg->be->step(h)) == BE_ROW) {
        if (!names) {
            int all = lg->be->col_count(h);
            names = xcalloc((size_t)all + 1, sizeof *names);
            vals = xcalloc((size_t)all + 1, sizeof *vals);
            for (int i = 0; i < all; i++)
                names[i] = lg->be->col_name(h, i);
        }
        n = 0;
        int all = lg->be->col_count(h);
        for (int i = 0; i < all; i++) {
            /* SQLite's implicit rowid, which PostgreSQL spells out. */
            if (!strcmp(lg->be->col_name(h, i), "rowid"))
                continue;
            int failed = 0;
            names[n] = lg->be->col_name(h, i);
            vals[n] = lg->be->col_is_null(h, i)
                          ? NULL
                          : lg->be->col_text(h, i, &failed);
            if (failed)
                col_failed();
            n++;
        }
        int r = row(arg, n, names, vals);
        if (r != 0) {
            rc = r;
            break;
        }
    }
    if (rc == BE_ERROR || rc == BE_DUP)
        err_set(e, "reading table %s: %s", table, lg->be->errmsg(lg->db));
    free(names);
    free(vals);
    lg->be->finalize(h);
    return rc == BE_DONE ? 0 : rc > 0 ? rc : -1;
}

struct copy_state {
    struct ledger *dst;
    const char *table;
    void *ins;
    struct err *e;
    int64_t rows;
};

static int copy_row(void *arg, int n, const char *const *names,
                    const char *const *vals)
{
    struct copy_state *cs = arg;
    const struct ledger_backend *be = cs->dst->be;
    if (!cs->ins) {
        struct sbuf b = {0};
        sb_printf(&b, "INSERT INTO \"%s\"(", cs->table);
        for (int i = 0; i < n; i++)
            sb_printf(&b, "%s\"%s\"", i ? ", " : "", names[i]);
        sb_printf(&b, ") VALUES (");
        for (int i = 0; i < n; i++)
            sb_printf(&b, "%s?%d", i ? ", " : "", i + 1);
        sb_printf(&b, ")");
        int fatal = 0;
        cs->ins = be->prepare(cs->dst->db, sb_str(&b), &fatal, cs->e);
        sb_free(&b);
        if (!cs->ins) {
            err_prefix(cs->e, "copying table %s", cs->table);
            return -1;
        }
    }
    be->reset(cs->ins, 1);
    for (int i = 0; i < n; i++)
        if ((vals[i] ? be->bind_text(cs->ins, i + 1, vals[i], -1)
                     : be->bind_null(cs->ins, i + 1)) != 0) {
            err_set(cs->e, "copying table %s: %s", cs->table,
                    be->errmsg(cs->dst->db));
            return -1;
        }
    int rc = be->step(cs->ins);
    if (rc != BE_DONE && rc != BE_ROW) {
        err_set(cs->e, "copying table %s: %s", cs->table,
                be->errmsg(cs->dst->db));
        return -1;
    }
    cs->rows++;
    return 0;
}

static int count_row(void *arg, int n, const char *const *names,
                     const char *const *vals)
{
    (void)n, (void)names, (void)vals;
    ++*(int64_t *)arg;
    return 1; /* one is enough */
}

int ledger_copy(struct ledger *src, struct ledger *dst, int64_t *rows,
                struct err *e)
{
    char **tables = NULL, **dst_tables = NULL;
    size_t n = 0, n_dst = 0;
    int rc = -1, snap = 0;
    *rows = 0;
    if (ledger_tables(dst, &dst_tables, &n_dst, e) != 0)
        return -1;
    for (size_t i = 0; i < n_dst; i++) {
        int64_t k = 0;
        if (ledger_scan(dst, dst_tables[i], 0, count_row, &k, e) < 0)
            goto out;
        if (k) {
            err_set(e, "%s is not empty (table %s holds rows): copy into a "
                       "new ledger", shown(dst, "the target"), dst_tables[i]);
            goto out;
        }
    }
    if (!src->in_tx) {
        if (src->be->snapshot(src->db, e) != 0)
            goto out;
        snap = 1;
    }
    if (ledger_tables(src, &tables, &n, e) != 0)
        goto out;
    if (ledger_begin(dst, e) != 0)
        goto out;
    if (dst->be->defer_fks(dst->db, e) != 0) {
        ledger_rollback(dst);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t j = 0; j < n_dst && !found; j++)
            found = !strcmp(tables[i], dst_tables[j]);
        if (!found) {
            err_set(e, "the target has no table %s", tables[i]);
            ledger_rollback(dst);
            goto out;
        }
        struct copy_state cs = {dst, tables[i], NULL, e, 0};
        int r = ledger_scan(src, tables[i], 1, copy_row, &cs, e);
        if (cs.ins)
            dst->be->finalize(cs.ins);
        *rows += cs.rows;
        if (r != 0) {
            ledger_rollback(dst);
            goto out;
        }
    }
    rc = ledger_commit(dst, e);
out:
    if (snap)
        src->be->rollback(src->db);
    ledger_tables_free(tables, n);
    ledger_tables_free(dst_tables, n_dst);
    return rc;
}

/* A backend without a file copy of its own (PostgreSQL) backs up into a
 * new SQLite ledger: one carebill opens anywhere (simulate runs on it),
 * and migrate-ledger moves back. */
static int backup_as_sqlite(struct ledger *lg, const char *path,
                            struct err *e)
{
    char *tmp = out_file_temp(path, e);
    if (!tmp)
        return -1;
    struct ledger *copy = ledger_open(tmp, 1, e);
    int64_t rows = 0;
    int rc = copy ? ledger_copy(lg, copy, &rows, e) : -1;
    ledger_close(copy);
    if (rc == 0) {
        rc = out_file_commit(tmp, path, e);
    } else {
        unlink(tmp);
    }
    static const char *const ext[] = {"-wal", "-shm"};
    for (size_t i = 0; i < 2; i++) {
        char *p = xasprintf("%s%s", tmp, ext[i]);
        unlink(p);
        free(p);
    }
    free(tmp);
    return rc;
}

int ledger_backup(struct ledger *lg, const char *path, struct err *e)
{
    if (!lg->be->backup)
        return backup_as_sqlite(lg, path, e);
    return lg->be->backup(lg->db, path, e);
}
