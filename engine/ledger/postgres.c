/*
 * postgres.c — the server ledger backend on libpq: a practice's ledger is
 * one PostgreSQL schema, named by the location's `schema` parameter
 * (postgresql://HOST/DB?schema=NAME, default "carebill"; every other
 * part of the URL is libpq's own). The connection's search_path is that
 * schema, so the stores' SQL runs unchanged; statements are prepared on
 * the server with ?N rewritten to $N, their parameters sent as text and
 * typed by the server from where they are used. A transaction is
 * BEGIN (READ COMMITTED) and a transaction-scoped advisory lock on the
 * practice (its schema's OID), waited for like SQLite's busy timeout
 * (lock_timeout): carebill's writers of one practice take turns as they
 * do on a SQLite file, and each statement after the lock sees what the
 * previous holder committed. A unique violation a caller asked to be
 * told about runs under a savepoint, so the transaction goes on as it
 * does on SQLite. The schema version is the one row of
 * carebill_schema_version. The only file of carebill that calls libpq.
 *
 * last_id is the session setting carebill.last_id that the id triggers
 * of the PostgreSQL migrations write (schema/pg/001_ledger.sql), read
 * back with every INSERT in the same round trip (libpq's pipeline mode),
 * so asking for it costs nothing. Neither RETURNING nor a sequence's
 * currval: RETURNING would change every INSERT of the stores that wants
 * its id back, and a sequence does not give SQLite's ids (MAX + 1, given
 * back by a rollback), which the golden outputs show. A statement under
 * a savepoint goes in one round trip the same way.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/backend.h"

extern const char *const carebill_pg_migrations[];

/* The advisory lock's high word: carebill's, so another application's
 * advisory locks on the same database do not meet ours. */
#define LOCK_CLASS 0x43424c47LL /* "CBLG" */
#define BOOLOID 16

struct pg {
    PGconn *c;
    char *schema;
    char *where;        /* the location with any password hidden */
    long long lock_key;
    int wait_ms;
    int plain;          /* registry connection: no advisory lock */
    int64_t changes, total_changes;
    int64_t last_id;    /* carebill.last_id after the last INSERT */
    unsigned next_name;
    char *msg;          /* the last error */
};

struct pg_stmt {
    struct pg *db;
    char name[24];
    int insert;         /* an INSERT: its id comes back with it */
    int nparams;
    char **vals;
    PGresult *res;
    int row, nrows, ran;
};

/* ============================================================ errors */

static void set_msg(struct pg *db, const char *m)
{
    char *copy = xstrdup(m && *m ? m : "unknown PostgreSQL error");
    size_t n = strlen(copy);
    while (n && (copy[n - 1] == '\n' || copy[n - 1] == ' '))
        copy[--n] = 0;
    free(db->msg);
    db->msg = copy;
}

static void res_msg(struct pg *db, PGresult *r)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    set_msg(db, m ? m : PQerrorMessage(db->c));
}

static const char *sqlstate(PGresult *r)
{
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

static int res_ok(PGresult *r)
{
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Run sql (several statements may follow each other) on the connection;
 * 0, or -1 with the message kept. */
static int run(struct pg *db, const char *sql)
{
    PGresult *r = PQexec(db->c, sql);
    int ok = res_ok(r);
    if (!ok)
        res_msg(db, r);
    PQclear(r);
    return ok ? 0 : -1;
}

static void quiet(void *arg, const char *message)
{
    (void)arg, (void)message; /* NOTICEs (IF NOT EXISTS ...) are not news */
}

/* ========================================================== locations */

int ledger_pg_location(const char *where)
{
    return !strncmp(where, "postgresql://", 13) ||
           !strncmp(where, "postgres://", 11);
}

int ledger_pg_split(const char *where, char **url, char **schema,
                    struct err *e)
{
    const char *q = strchr(where, '?');
    struct sbuf u = {0};
    char *name = NULL;
    if (!q) {
        sb_printf(&u, "%s", where);
    } else {
        sb_printf(&u, "%.*s", (int)(q - where), where);
        const char *p = q + 1;
        int first = 1;
        while (*p) {
            size_t n = strcspn(p, "&");
            if (n >= 7 && !strncmp(p, "schema=", 7)) {
                free(name);
                name = xasprintf("%.*s", (int)(n - 7), p + 7);
            } else if (n) {
                sb_printf(&u, "%c%.*s", first ? '?' : '&', (int)n, p);
                first = 0;
            }
            p += n;
            if (*p == '&')
                p++;
        }
    }
    if (!name)
        name = xstrdup("carebill");
    int ok = *name && strlen(name) <= 63 && !(*name >= '0' && *name <= '9');
    for (const char *s = name; ok && *s; s++)
        ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_';
    if (!ok || !strncmp(name, "pg_", 3)) {
        err_set(e, "%s: the schema must be a lower-case name of letters, "
                   "digits and _ (not starting pg_), at most 63 characters",
                where);
        free(name);
        sb_free(&u);
        return -1;
    }
    *url = xstrdup(sb_str(&u));
    sb_free(&u);
    *schema = name;
    return 0;
}

char *ledger_pg_shown(const char *where)
{
    const char *at = strchr(where, '@');
    const char *start = strstr(where, "://");
    if (!at || !start)
        return xstrdup(where);
    const char *colon = memchr(start + 3, ':', (size_t)(at - start - 3));
    if (!colon)
        return xstrdup(where);
    return xasprintf("%.*s:***%s", (int)(colon - where), where, at);
}

/* ================================================================ open */

/* One-row, one-column query with one text parameter; the value (malloc'd)
 * or NULL for no row; *failed when the query failed. */
static char *query1(struct pg *db, const char *sql, const char *param,
                    int *failed)
{
    const char *vals[1] = {param};
    PGresult *r = PQexecParams(db->c, sql, param ? 1 : 0, NULL, vals, NULL,
                               NULL, 0);
    char *v = NULL;
    *failed = !res_ok(r);
    if (*failed)
        res_msg(db, r);
    else if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = xstrdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static void pg_close(void *h)
{
    struct pg *db = h;
    if (!db)
        return;
    PQfinish(db->c);
    free(db->schema);
    free(db->where);
    free(db->msg);
    free(db);
}

/* A connection to the server of `where`, its schema not looked at yet;
 * NULL with e. */
static struct pg *pg_connect(const char *where, struct err *e)
{
    char *url = NULL, *schema = NULL;
    if (ledger_pg_split(where, &url, &schema, e) != 0)
        return NULL;
    struct pg *db = xcalloc(1, sizeof *db);
    db->schema = schema;
    db->where = ledger_pg_shown(where);
    db->wait_ms = 30000;
    db->c = PQconnectdb(url);
    free(url);
    if (!db->c || PQstatus(db->c) != CONNECTION_OK) {
        set_msg(db, db->c ? PQerrorMessage(db->c) : "out of memory");
        err_set(e, "cannot open ledger %s: %s", db->where, db->msg);
        pg_close(db);
        return NULL;
    }
    PQsetNoticeProcessor(db->c, quiet, NULL);
    return db;
}

int ledger_pg_exists(const char *where, struct err *e)
{
    struct pg *db = pg_connect(where, e);
    if (!db)
        return -1;
    int failed = 0;
    char *oid = query1(db, "SELECT oid FROM pg_namespace WHERE nspname = $1",
                       db->schema, &failed);
    int rc = failed ? err_set(e, "cannot read ledger %s: %s", db->where,
                              db->msg)
                    : oid != NULL;
    free(oid);
    pg_close(db);
    return rc;
}

/* mode: 0 open an existing ledger, 1 create it (init), 2 plain (no
 * ledger schema: the registry's database). */
static void *pg_open(const char *where, int mode, struct err *e)
{
    struct pg *db = pg_connect(where, e);
    if (!db)
        return NULL;
    const char *schema = db->schema;
    db->plain = mode == 2;
    int failed = 0;
    char *oid = query1(db, "SELECT oid FROM pg_namespace WHERE nspname = $1",
                       schema, &failed);
    if (!failed && !oid && mode == 0) {
        err_set(e, "no ledger at %s (run 'carebill init' first)", db->where);
        pg_close(db);
        return NULL;
    }
    if (!failed && !oid) {
        char *sql = xasprintf("CREATE SCHEMA IF NOT EXISTS \"%s\"", schema);
        failed = run(db, sql) != 0;
        free(sql);
        if (!failed)
            oid = query1(db, "SELECT oid FROM pg_namespace WHERE nspname = $1",
                         schema, &failed);
    }
    char *path = xasprintf("SET search_path TO \"%s\"; SET TIME ZONE 'UTC'; "
                           "SET client_min_messages TO warning",
                           schema);
    if (!failed)
        failed = run(db, path) != 0;
    free(path);
    if (failed || !oid) {
        err_set(e, "cannot open ledger %s: %s", db->where,
                db->msg ? db->msg : "the schema vanished");
        free(oid);
        pg_close(db);
        return NULL;
    }
    db->lock_key = (LOCK_CLASS << 32) | (long long)strtoul(oid, NULL, 10);
    free(oid);
    if (mode == 2)
        return db;
    /* init never adds carebill's tables to another application's schema. */
    char *mine = query1(db, "SELECT 1 FROM pg_tables WHERE schemaname = $1 "
                            "AND tablename = 'carebill_schema_version'",
                        schema, &failed);
    char *other = failed || mine
                      ? NULL
                      : query1(db, "SELECT tablename FROM pg_tables WHERE "
                                   "schemaname = $1 ORDER BY tablename LIMIT 1",
                               schema, &failed);
    if (!failed && other) {
        err_set(e, "%s is not a carebill ledger: its schema already holds "
                   "table '%s' of another application; give carebill a new "
                   "schema",
                db->where, other);
        free(other);
        pg_close(db);
        return NULL;
    }
    if (!failed && !mine && mode == 1)
        failed = run(db, "CREATE TABLE IF NOT EXISTS carebill_schema_version "
                         "(version INTEGER NOT NULL); INSERT INTO "
                         "carebill_schema_version SELECT 0 WHERE NOT EXISTS "
                         "(SELECT 1 FROM carebill_schema_version)") != 0;
    free(mine);
    if (failed) {
        err_set(e, "cannot open ledger %s: %s", db->where, db->msg);
        pg_close(db);
        return NULL;
    }
    return db;
}

static int pg_get_version(void *h)
{
    struct pg *db = h;
    int failed = 0;
    char *t = query1(db, "SELECT 1 FROM pg_tables WHERE schemaname = $1 AND "
                         "tablename = 'carebill_schema_version'",
                     db->schema, &failed);
    if (failed)
        return -2;
    if (!t)
        return -1;
    free(t);
    char *v = query1(db, "SELECT version FROM carebill_schema_version", NULL,
                     &failed);
    int n = failed ? -2 : v ? atoi(v) : -1;
    free(v);
    return n;
}

static int pg_exec(void *h, const char *sql, struct err *e)
{
    struct pg *db = h;
    if (run(db, sql) != 0)
        return err_set(e, "%s", db->msg);
    return 0;
}

static int pg_set_version(void *h, int v, struct err *e)
{
    char sql[80];
    snprintf(sql, sizeof sql, "UPDATE carebill_schema_version SET version = %d",
             v);
    return pg_exec(h, sql, e);
}

/* ========================================================= transactions */

static int pg_begin(void *h, struct err *e)
{
    struct pg *db = h;
    char sql[200];
    if (db->plain)
        snprintf(sql, sizeof sql, "BEGIN");
    else
        /* lock_timeout 0 waits for ever, as carebill asks with INT_MAX. */
        snprintf(sql, sizeof sql,
                 "BEGIN; SET LOCAL lock_timeout = %d; SELECT "
                 "pg_advisory_xact_lock(%lld); SET LOCAL lock_timeout = 0",
                 db->wait_ms >= 0x7fffffff ? 0 : db->wait_ms > 0 ? db->wait_ms
                                                                 : 1,
                 db->lock_key);
    PGresult *r = PQexec(db->c, sql);
    if (res_ok(r)) {
        PQclear(r);
        return 0;
    }
    int busy = !strcmp(sqlstate(r), "55P03");
    res_msg(db, r);
    PQclear(r);
    PGresult *rb = PQexec(db->c, "ROLLBACK");
    PQclear(rb);
    if (busy)
        return BE_BUSY;
    err_set(e, "%s", db->msg);
    return BE_ERROR;
}

static int pg_commit(void *h, struct err *e)
{
    struct pg *db = h;
    PGresult *r = PQexec(db->c, "COMMIT");
    int ok = res_ok(r) && !strcmp(PQcmdStatus(r), "COMMIT");
    if (!ok) {
        if (res_ok(r))
            set_msg(db, "the transaction was rolled back by the server");
        else
            res_msg(db, r);
        err_set(e, "%s", db->msg);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

static void pg_rollback(void *h)
{
    struct pg *db = h;
    if (PQtransactionStatus(db->c) != PQTRANS_IDLE)
        PQclear(PQexec(db->c, "ROLLBACK"));
}

static int pg_snapshot(void *h, struct err *e)
{
    return pg_exec(h, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e);
}

static int pg_defer_fks(void *h, struct err *e)
{
    return pg_exec(h, "SET CONSTRAINTS ALL DEFERRED", e);
}

/* ========================================================== statements */

char *ledger_pg_rewrite(const char *sql, int *nparams, char *used)
{
    struct sbuf b = {0};
    char quote = 0;
    *nparams = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
            int n = 0;
            while (p[1] >= '0' && p[1] <= '9')
                n = n * 10 + (*++p - '0');
            if (n < 100)
                used[n] = 1;
            if (n > *nparams)
                *nparams = n;
            sb_printf(&b, "$%d", n);
            continue;
        }
        sb_printf(&b, "%c", *p);
    }
    char *out = xstrdup(sb_str(&b));
    sb_free(&b);
    return out;
}

/* The last parameter pg_prepare guessed to be text (types 25 while the
 * statement uses it), to be tried as bigint instead; 0 when none. */
static int last_text_guess(Oid *types, const char *used, int n)
{
    for (int i = n; i >= 1; i--)
        if (types[i - 1] == 25 && used[i])
            return i;
    return 0;
}

static void *pg_prepare(void *h, const char *sql, int *fatal, struct err *e)
{
    struct pg *db = h;
    char used[100] = {0};
    int n = 0;
    char *text = ledger_pg_rewrite(sql, &n, used);
    if (n >= 100) {
        *fatal = 1;
        free(text);
        set_msg(db, "too many parameters");
        err_set(e, "%s", db->msg);
        return NULL;
    }
    /* A parameter the statement never uses has no type to infer: text. */
    Oid types[100] = {0};
    for (int i = 1; i <= n; i++)
        types[i - 1] = used[i] ? 0 : 25;
    struct pg_stmt *st = xcalloc(1, sizeof *st);
    st->db = db;
    snprintf(st->name, sizeof st->name, "cb%u", db->next_name++);
    /* A failed prepare would end an open transaction: under a savepoint
     * it ends only itself. */
    int in_tx = PQtransactionStatus(db->c) == PQTRANS_INTRANS;
    if (in_tx)
        PQclear(PQexec(db->c, "SAVEPOINT carebill_prepare"));
    PGresult *r = PQprepare(db->c, st->name, text, n, types);
    /* "?1 IS NULL OR account = ?1": the server types a parameter where it
     * meets it first, and IS NULL says nothing. Such a parameter is tried
     * as text, then (when its other use wants a number) as bigint. */
    for (int tries = 0; tries < 2 * n && !res_ok(r); tries++) {
        const char *state = sqlstate(r);
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        const char *dollar = m ? strchr(m, '$') : NULL;
        int k = dollar ? atoi(dollar + 1) : 0;
        if ((!strcmp(state, "42P18") || !strcmp(state, "42P08")) && k >= 1 && k <= n && !types[k - 1])
            types[k - 1] = 25;
        else if ((!strcmp(state, "42883") || !strcmp(state, "42804")) &&
                 (k = last_text_guess(types, used, n)) > 0)
            types[k - 1] = 20;
        else
            break;
        PQclear(r);
        if (in_tx)
            PQclear(PQexec(db->c, "ROLLBACK TO SAVEPOINT carebill_prepare"));
        r = PQprepare(db->c, st->name, text, n, types);
    }
    free(text);
    if (in_tx)
        PQclear(PQexec(db->c, res_ok(r) ? "RELEASE SAVEPOINT carebill_prepare"
                                        : "ROLLBACK TO SAVEPOINT "
                                          "carebill_prepare; RELEASE "
                                          "SAVEPOINT carebill_prepare"));
    if (!res_ok(r)) {
        const char *state = sqlstate(r);
        /* Class 42 (syntax, a missing table or column) is the statement's
         * own fault; a connection or server trouble is not. */
        *fatal = !strncmp(state, "42", 2);
        res_msg(db, r);
        err_set(e, "%s", db->msg);
        PQclear(r);
        free(st);
        return NULL;
    }
    PQclear(r);
    st->nparams = n;
    st->vals = xcalloc((size_t)(n ? n : 1), sizeof *st->vals);
    const char *w = sql + strspn(sql, " \t\n");
    st->insert = !strncmp(w, "INSERT", 6) || !strncmp(w, "insert", 6);
    return st;
}

static void clear_result(struct pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->ran = 0;
    st->row = st->nrows = 0;
}

static void pg_reset(void *h, int clear)
{
    struct pg_stmt *st = h;
    if (!st)
        return;
    clear_result(st);
    if (clear)
        for (int i = 0; i < st->nparams; i++) {
            free(st->vals[i]);
            st->vals[i] = NULL;
        }
}

static void pg_finalize(void *h)
{
    struct pg_stmt *st = h;
    if (!st)
        return;
    pg_reset(st, 1);
    /* No DEALLOCATE: the server forgets the statement with the
     * connection, and the few that a copy or a dump makes and finalizes
     * on a connection that stays (one per table) are not worth a round
     * trip each when a command ends. */
    free(st->vals);
    free(st);
}

static int set_param(struct pg_stmt *st, int i, char *v)
{
    if (i < 1 || i > st->nparams) {
        free(v);
        set_msg(st->db, "parameter index out of range");
        return -1;
    }
    free(st->vals[i - 1]);
    st->vals[i - 1] = v;
    return 0;
}

static int pg_bind_int(void *h, int i, int64_t v)
{
    return set_param(h, i, xasprintf("%lld", (long long)v));
}

static int pg_bind_text(void *h, int i, const char *s, int len)
{
    return set_param(h, i,
                     len < 0 ? xstrdup(s) : xasprintf("%.*s", len, s));
}

static int pg_bind_null(void *h, int i)
{
    return set_param(h, i, NULL);
}

static PGresult *exec_plain(struct pg_stmt *st)
{
    return PQexecPrepared(st->db->c, st->name, st->nparams,
                          (const char *const *)st->vals, NULL, NULL, 0);
}

/* Run st in one round trip with what goes with it (libpq's pipeline
 * mode): `before` (a statement or NULL) ahead of it, and, for an INSERT,
 * the id its trigger kept (carebill.last_id) after it, into db->last_id.
 * Returns st's result (NULL when it could not be sent); a statement
 * after a failed one does not run. */
static PGresult *piped(struct pg_stmt *st, const char *before)
{
    struct pg *db = st->db;
    PGconn *c = db->c;
    if (!PQenterPipelineMode(c))
        return exec_plain(st);
    int nq = 0, mine, id_q = -1, ok = 1;
    if (before) {
        ok = PQsendQueryParams(c, before, 0, NULL, NULL, NULL, NULL, 0);
        nq++;
    }
    mine = nq++;
    ok = ok && PQsendQueryPrepared(c, st->name, st->nparams,
                                   (const char *const *)st->vals, NULL, NULL,
                                   0);
    if (st->insert) {
        id_q = nq++;
        ok = ok && PQsendQueryParams(c, "SELECT current_setting("
                                        "'carebill.last_id', true)",
                                     0, NULL, NULL, NULL, NULL, 0);
    }
    ok = ok && PQpipelineSync(c);
    PGresult *res = NULL;
    for (int q = 0; ok && q < nq; q++) {
        PGresult *r;
        while ((r = PQgetResult(c))) {
            if (q == mine && !res) {
                res = r;
                continue;
            }
            if (q == id_q && PQresultStatus(r) == PGRES_TUPLES_OK &&
                PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
                db->last_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
            PQclear(r);
        }
    }
    /* The sync's own result, then out of pipeline mode. */
    for (PGresult *r; ok && (r = PQgetResult(c));) {
        ExecStatusType t = PQresultStatus(r);
        PQclear(r);
        if (t == PGRES_PIPELINE_SYNC)
            break;
    }
    if (!PQexitPipelineMode(c) || !ok)
        set_msg(db, PQerrorMessage(c));
    return res;
}

/* Take st's executed result: an error (BE_DUP for a unique violation,
 * BE_ERROR), or the rows to step through. */
static int take_result(struct pg_stmt *st, PGresult *r)
{
    struct pg *db = st->db;
    st->ran = 1;
    st->res = r;
    if (!res_ok(r)) {
        int dup = !strcmp(sqlstate(r), "23505");
        res_msg(db, r);
        PQclear(r);
        st->res = NULL;
        return dup ? BE_DUP : BE_ERROR;
    }
    const char *cmd = PQcmdStatus(r);
    if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) ||
        !strncmp(cmd, "DELETE", 6)) {
        db->changes = strtoll(PQcmdTuples(r), NULL, 10);
        db->total_changes += db->changes;
    }
    st->nrows = PQntuples(r);
    st->row = -1;
    return BE_DONE;
}

static int next_row(struct pg_stmt *st)
{
    if (!st->res)
        return BE_DONE;
    if (st->row + 1 < st->nrows) {
        st->row++;
        return BE_ROW;
    }
    st->row = st->nrows;
    return BE_DONE;
}

static int pg_step(void *h)
{
    struct pg_stmt *st = h;
    if (!st->ran) {
        int rc = take_result(st, st->insert ? piped(st, NULL)
                                            : exec_plain(st));
        if (rc != BE_DONE)
            return rc;
    }
    return next_row(st);
}

/* The statement under a savepoint sent with it: released after success;
 * after a failure (a unique violation the caller handles) rolled back
 * to, so the transaction goes on as it does on SQLite. */
static int pg_step_guarded(void *h)
{
    struct pg_stmt *st = h;
    struct pg *db = st->db;
    if (st->ran || PQtransactionStatus(db->c) != PQTRANS_INTRANS)
        return pg_step(st);
    int rc = take_result(st, piped(st, "SAVEPOINT carebill_dup"));
    PQclear(PQexec(db->c, rc == BE_DONE
                              ? "RELEASE SAVEPOINT carebill_dup"
                              : "ROLLBACK TO SAVEPOINT carebill_dup; "
                                "RELEASE SAVEPOINT carebill_dup"));
    return rc == BE_DONE ? next_row(st) : rc;
}

static int has_value(struct pg_stmt *st, int i)
{
    return st->res && st->row >= 0 && st->row < st->nrows && i >= 0 &&
           i < PQnfields(st->res) && !PQgetisnull(st->res, st->row, i);
}

static int64_t pg_col_int(void *h, int i)
{
    struct pg_stmt *st = h;
    if (!has_value(st, i))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (PQftype(st->res, i) == BOOLOID)
        return *v == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(void *h, int i, int *failed)
{
    struct pg_stmt *st = h;
    *failed = 0;
    if (!has_value(st, i))
        return NULL;
    if (PQftype(st->res, i) == BOOLOID)
        return *PQgetvalue(st->res, st->row, i) == 't' ? "1" : "0";
    return PQgetvalue(st->res, st->row, i);
}

static int pg_col_is_null(void *h, int i)
{
    return !has_value(h, i);
}

static int pg_col_count(void *h)
{
    struct pg_stmt *st = h;
    return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_col_name(void *h, int i)
{
    struct pg_stmt *st = h;
    return st->res ? PQfname(st->res, i) : NULL;
}

static int64_t pg_changes(void *h)
{
    return ((struct pg *)h)->changes;
}

static int64_t pg_total_changes(void *h)
{
    return ((struct pg *)h)->total_changes;
}

static int64_t pg_last_id(void *h)
{
    return ((struct pg *)h)->last_id;
}

static const char *pg_errmsg(void *h)
{
    struct pg *db = h;
    return db->msg ? db->msg : "not an error";
}

static void pg_set_wait(void *h, int ms)
{
    ((struct pg *)h)->wait_ms = ms;
}

/* The ledger's tables, sorted by name (carebill_schema_version is the
 * backend's, not the ledger's). */
static int pg_tables(void *h, char ***names, size_t *n, struct err *e)
{
    struct pg *db = h;
    const char *vals[1] = {db->schema};
    PGresult *r = PQexecParams(db->c,
                               "SELECT tablename FROM pg_tables WHERE "
                               "schemaname = $1 AND tablename <> "
                               "'carebill_schema_version' ORDER BY "
                               "tablename COLLATE \"C\"",
                               1, NULL, vals, NULL, NULL, 0);
    if (!res_ok(r)) {
        res_msg(db, r);
        PQclear(r);
        return err_set(e, "reading the ledger's tables: %s", db->msg);
    }
    *n = (size_t)PQntuples(r);
    *names = xcalloc(*n + 1, sizeof **names);
    for (size_t i = 0; i < *n; i++)
        (*names)[i] = xstrdup(PQgetvalue(r, (int)i, 0));
    PQclear(r);
    return 0;
}

/* Every table the PostgreSQL migrations make (CREATE TABLE NAME, less
 * those a later one drops or renames away) that the schema lacks. */
static int pg_check(void *h, struct err *e)
{
    char **have = NULL;
    size_t n_have = 0;
    if (pg_tables(h, &have, &n_have, e) != 0)
        return -1;
    char **want = NULL;
    size_t n_want = 0;
    for (const char *const *m = carebill_pg_migrations; *m; m++)
        for (const char *p = *m; (p = strstr(p, "TABLE ")); p += 6) {
            int create = p >= *m + 7 && !strncmp(p - 7, "CREATE ", 7);
            int drop = p >= *m + 5 && !strncmp(p - 5, "DROP ", 5);
            const char *q = p + 6;
            if (!strncmp(q, "IF NOT EXISTS ", 14))
                q += 14;
            size_t len = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789_");
            const char *rename = strstr(q, " RENAME TO ");
            int renamed = !create && !drop && rename &&
                          rename == q + len;
            if (!len || !(create || drop || renamed))
                continue;
            char *name = xasprintf("%.*s", (int)len, q);
            for (size_t i = 0; i < n_want; i++)
                if (want[i] && !strcmp(want[i], name)) {
                    free(want[i]);
                    want[i] = NULL;
                }
            if (renamed) {
                free(name);
                const char *to = rename + 11;
                name = xasprintf("%.*s",
                                 (int)strspn(to, "abcdefghijklmnopqrstuvwxyz"
                                                 "0123456789_"),
                                 to);
            }
            if (drop) {
                free(name);
                continue;
            }
            want = xrealloc(want, (n_want + 1) * sizeof *want);
            want[n_want++] = name;
        }
    struct sbuf missing = {0};
    size_t k = 0;
    for (size_t i = 0; i < n_want; i++) {
        if (!want[i])
            continue;
        int found = 0;
        for (size_t j = 0; j < n_have && !found; j++)
            found = !strcmp(want[i], have[j]);
        if (!found)
            sb_printf(&missing, "%s%s", k++ ? ", " : "", want[i]);
        free(want[i]);
    }
    free(want);
    for (size_t j = 0; j < n_have; j++)
        free(have[j]);
    free(have);
    int rc = 0;
    if (k)
        rc = err_set(e, "the ledger is damaged or incomplete: %s %s missing "
                        "(restore it from a backup)",
                     k == 1 ? "table" : "tables", sb_str(&missing));
    sb_free(&missing);
    return rc;
}

static const char *pg_scan_order(void *h, const char *table, int copy)
{
    (void)h;
    /* SQLite's implicit rowid is a column here (appointments). */
    return copy && !strcmp(table, "appointments") ? "rowid" : "1";
}

static const char *pg_where(void *h)
{
    return ((struct pg *)h)->where;
}

const struct ledger_backend ledger_pg = {
    .name = "postgresql",
    .migrations = carebill_pg_migrations,
    .open = pg_open,
    .close = pg_close,
    .get_version = pg_get_version,
    .set_version = pg_set_version,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .col_count = pg_col_count,
    .col_name = pg_col_name,
    .set_wait = pg_set_wait,
    .changes = pg_changes,
    .total_changes = pg_total_changes,
    .last_id = pg_last_id,
    .errmsg = pg_errmsg,
    .backup = NULL, /* ledger_backup writes a SQLite copy (ledger.c) */
    .check = pg_check,
    .snapshot = pg_snapshot,
    .defer_fks = pg_defer_fks,
    .step_guarded = pg_step_guarded,
    .tables = pg_tables,
    .scan_order = pg_scan_order,
    .where = pg_where,
};
