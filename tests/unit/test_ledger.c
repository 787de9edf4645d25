/*
 * test_ledger.c — the SQLite ledger (engine/ledger.c) and the modules
 * that write it: invoice issuing and numbering (usecase/issue.c,
 * store/invoices.c), credit notes (usecase/credit_notes.c) and
 * subscriptions, pauses, stops and price changes (engine/subscription.c).
 * Each test opens a fresh ledger in a temporary directory and loads a
 * small practice written there (libdir "." is the repository root, from
 * which the tests run). Refusals are checked by their exact message and
 * by the ledger being left as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "decide/invoice.h"
#include "store/invoices.h"
#include "usecase/credit_notes.h"
#include "usecase/issue.h"
#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"
#include "usecase/subscription.h"
#include "base/util.h"
#include "support.h"

extern const char *const carebill_migrations[];

/* ============================================================ fixture */

static char root[] = "/tmp/carebill-ledger-XXXXXX";
static int nledgers;

struct fx {
    char *path;       /* the ledger file */
    struct ledger *lg;
    struct engine eng;
    struct rules *r;
};

/* The engine the use cases take, on the fixture's rules and ledger. */
static struct engine *eng_of(struct fx *x)
{
    engine_init(&x->eng, x->r, x->lg, CDATE_NONE);
    return &x->eng;
}

static const char practice_yaml[] =
    "practice:\n"
    "  name: Fysiotherapie De Linde\n"
    "  direct_debit:\n"
    "    days_before_period: 5\n"
    "vat_rates:\n"
    "  - id: vrij\n"
    "    name: Vrijgesteld\n"
    "    percent: 0\n"
    "    exempt: true\n"
    "    exempt_text: Vrijgesteld van btw\n"
    "  - id: hoog\n"
    "    name: Hoog\n"
    "    percent: 21\n"
    "subscription_types:\n"
    "  - id: fit\n"
    "    name: Fysio Fit\n"
    "    price: 45.00\n"
    "    vat: vrij\n"
    "    price_changes:\n"
    "      - from: 2027-01-01\n"
    "        price: 47.50\n"
    "      - from: 2026-04-01\n"
    "        price: 46.00\n"
    "  - id: oud\n"
    "    name: Oud abonnement\n"
    "    price: 30.00\n"
    "    vat: vrij\n"
    "    active: false\n";

static struct rules *load_rules(void)
{
    static char *dir;
    if (!dir) {
        dir = xasprintf("%s/practice", root);
        mkdir(dir, 0755);
        char *p = xasprintf("%s/practice.yaml", dir);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(practice_yaml, f);
        fclose(f);
        free(p);
    }
    struct diag dg = {0};
    struct rules *r = rules_load(dir, ".", &dg);
    if (!r) {
        for (size_t i = 0; i < dg.n; i++)
            print_error("%s\n", dg.msgs[i]);
        fail_msg("practice did not load");
    }
    return r;
}

static char *new_path(void)
{
    return xasprintf("%s/ledger%d.db", root, ++nledgers);
}

static struct ledger *open_ok(const char *path, int create)
{
    struct err e = {""};
    struct ledger *lg = ledger_open(path, create, &e);
    if (!lg)
        fail_msg("ledger_open(%s, %d): %s", path, create, e.msg);
    return lg;
}

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof *fx);
    fx->path = new_path();
    fx->lg = open_ok(fx->path, 1);
    fx->r = load_rules();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    ledger_close(fx->lg);
    rules_free(fx->r);
    free(fx->path);
    free(fx);
    return 0;
}

static int group_setup(void **state)
{
    return mkdtemp(root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", root);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

/* One integer from a query on the raw connection. */
static int64_t q_int(struct ledger *lg, const char *sql)
{
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int64_t v = ledger_step(st) == LEDGER_ROW ? col_int(st, 0) : -999;
    ledger_reset(st);
    return v;
}

/* The rows of a query as "a|b;c|d" (NULL as "-"). */
static const char *q_rows(struct ledger *lg, const char *sql)
{
    static char out[2048];
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    out[0] = '\0';
    int row = 0;
    while (ledger_step(st) == LEDGER_ROW) {
        size_t n = strlen(out);
        if (row++)
            n += (size_t)snprintf(out + n, sizeof out - n, ";");
        for (int c = 0; c < col_count(st); c++) {
            const char *t = col_ctext(st, c);
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", c ? "|" : "",
                                  t ? t : "-");
        }
    }
    ledger_reset(st);
    return out;
}

static void exec_ok(struct ledger *lg, const char *sql)
{
    struct err e = {""};
    if (ledger_exec(lg, sql, &e) != 0)
        fail_msg("%s: %s", sql, e.msg);
}

static void add_account(struct ledger *lg, const char *id, int mandate)
{
    struct account_input a;
    struct err e = {""};
    memset(&a, 0, sizeof a);
    a.id = id;
    a.name = "Jan Jansen";
    a.email = "jan@example.nl";
    a.mandate_date = CDATE_NONE;
    a.reminders = 1;
    if (mandate) {
        a.iban = "NL91ABNA0417164300";
        a.mandate_id = "M-1";
        a.mandate_date = P("2025-12-01");
    }
    if (account_add(lg, &a, P("2026-01-01"), &e) != 0)
        fail_msg("account_add: %s", e.msg);
}

static int64_t start_sub(struct fx *fx, const char *from)
{
    int64_t id = 0;
    struct err e = {""};
    if (subscription_start(eng_of(fx), "jan", "fit", P(from), 0, 1,
                           P("2026-01-01"), &id, &e) != 0)
        fail_msg("subscription_start: %s", e.msg);
    return id;
}

/* An invoice to "jan" issued on `issued` with one line; for subscription
 * `sub` (0: none) and the month starting `period` (NULL: none). */
static void make_invoice(struct invoice *inv, const char *issued, int64_t sub,
                         const char *period)
{
    memset(inv, 0, sizeof *inv);
    inv->kind = sub ? INV_SUBSCRIPTION : INV_PRODUCT;
    inv->to.id = xstrdup("jan");
    inv->issued = P(issued);
    inv->due = inv->issued + 14;
    inv->prices_include_vat = 1;
    struct invoice_line *l =
        invoice_add_line(inv, "Fysio Fit", 100, 4500, "vrij", 0, 1,
                         "Vrijgesteld van btw");
    l->source = xstrdup(sub ? "subscription" : "product");
    if (sub) {
        l->subscription = sub;
        l->period_start = P(period);
        l->period_end = date_month_end(P(period));
    }
}

/* Issue an invoice; returns its number (static buffer) or fails. */
static const char *issue(struct fx *fx, const char *issued, int64_t sub,
                         const char *period)
{
    static char number[64];
    struct invoice inv;
    struct err e = {""};
    make_invoice(&inv, issued, sub, period);
    if (issue_invoice(eng_of(fx), &inv, 0, &e) != 0)
        fail_msg("issue_invoice: %s", e.msg);
    snprintf(number, sizeof number, "%s", inv.number);
    invoice_free(&inv);
    return number;
}

static void begin_ok(struct ledger *lg)
{
    struct err e = {""};
    if (ledger_begin(lg, &e) != 0)
        fail_msg("ledger_begin: %s", e.msg);
}

static void commit_ok(struct ledger *lg)
{
    struct err e = {""};
    if (ledger_commit(lg, &e) != 0)
        fail_msg("ledger_commit: %s", e.msg);
}

/* ============================================================ 1. open */

/* 1.1 init creates the schema at ledger_schema_version(), which is the
 * number of .sql files in schema/; WAL and foreign keys are on. */
static void t1_1_init(void **state)
{
    struct fx *fx = *state;
    glob_t g;
    assert_int_equal(glob("schema/*.sql", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 2);
    assert_int_equal(ledger_schema_version(), (int)g.gl_pathc);
    globfree(&g);
    assert_int_equal(q_int(fx->lg, "PRAGMA user_version"),
                     ledger_schema_version());
    assert_string_equal(q_rows(fx->lg, "PRAGMA journal_mode"), "wal");
    assert_int_equal(q_int(fx->lg, "PRAGMA foreign_keys"), 1);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM sqlite_master WHERE "
                                   "name IN ('accounts', 'subscriptions', "
                                   "'pauses', 'price_changes', 'series', "
                                   "'invoices', 'invoice_lines', "
                                   "'collections')"),
                     8);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM invoices"), 0);
}

/* 1.2 Reopening keeps what was written; init on a current ledger changes
 * nothing. */
static void t1_2_reopen(void **state)
{
    struct fx *fx = *state;
    add_account(fx->lg, "jan", 0);
    ledger_close(fx->lg);
    fx->lg = open_ok(fx->path, 0);
    assert_string_equal(q_rows(fx->lg, "SELECT id, name FROM accounts"),
                        "jan|Jan Jansen");
    ledger_close(fx->lg);
    fx->lg = open_ok(fx->path, 1);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM accounts"), 1);
    assert_int_equal(q_int(fx->lg, "PRAGMA user_version"),
                     ledger_schema_version());
}

/* 1.3 A ledger newer than this binary is refused, by open and by init,
 * and left as it was. */
static void t1_3_newer_refused(void **state)
{
    struct fx *fx = *state;
    int known = ledger_schema_version();
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", known + 1);
    exec_ok(fx->lg, sql);
    ledger_close(fx->lg);
    fx->lg = NULL;
    for (int create = 0; create < 2; create++) {
        struct err e = {""};
        assert_null(ledger_open(fx->path, create, &e));
        char *want = xasprintf("ledger %s has schema version %d, newer than "
                               "this carebill (%d); upgrade carebill",
                               fx->path, known + 1, known);
        assert_string_equal(e.msg, want);
        free(want);
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), known + 1);
    sqlite3_finalize(st);
    sqlite3_exec(db, "PRAGMA user_version = 0", NULL, NULL, NULL);
    sqlite3_close(db);
    /* teardown closes a NULL ledger: ledger_close(NULL) is a no-op. */
}

/* 1.4 An older ledger is refused by open ("run 'carebill init'") and
 * upgraded by init. */
static void t1_4_older_upgraded(void **state)
{
    char *path = new_path();
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, carebill_migrations[0], NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct err e = {""};
    assert_null(ledger_open(path, 0, &e));
    char *want = xasprintf("ledger %s has schema version 1, this carebill "
                           "needs %d: run 'carebill init' to upgrade it", path,
                           ledger_schema_version());
    assert_string_equal(e.msg, want);
    free(want);
    struct ledger *lg = open_ok(path, 1);
    assert_int_equal(q_int(lg, "PRAGMA user_version"), ledger_schema_version());
    assert_int_equal(q_int(lg, "SELECT count(*) FROM sqlite_master WHERE "
                               "name = 'collections'"),
                     1);
    ledger_close(lg);
    free(path);
}

/* 1.5 A missing ledger is refused without create, and not created. */
static void t1_5_missing(void **state)
{
    char *path = new_path();
    struct err e = {""};
    assert_null(ledger_open(path, 0, &e));
    char *want = xasprintf("no ledger at %s (run 'carebill init' first)", path);
    assert_string_equal(e.msg, want);
    free(want);
    assert_int_equal(access(path, F_OK), -1);
    free(path);
}

/* 1.6 A file that is not a database is refused. */
static void t1_6_not_a_ledger(void **state)
{
    char *path = new_path();
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 100; i++)
        fputs("this is not an SQLite database at all\n", f);
    fclose(f);
    struct err e = {""};
    assert_null(ledger_open(path, 1, &e));
    char *want = xasprintf("ledger %s: file is not a database", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
}

/* 1.7 Two runs at once: while one connection holds the write lock,
 * ledger_begin on another waits for the busy timeout and then refuses
 * with the "busy" message; once the first commits, it succeeds. */
static void t1_7_busy(void **state)
{
    struct fx *fx = *state;
    struct ledger *other = open_ok(fx->path, 0);
    ledger_set_wait(other, 200);
    begin_ok(fx->lg);

    struct err e = {""};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(ledger_begin(other, &e), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(ms >= 150);
    assert_string_equal(e.msg, "the ledger is busy: another carebill run holds "
                               "it (waited 30 s); try again when it has "
                               "finished");

    add_account(fx->lg, "jan", 0);
    commit_ok(fx->lg);
    begin_ok(other);
    assert_int_equal(q_int(other, "SELECT count(*) FROM accounts"), 1);
    ledger_rollback(other);
    ledger_close(other);
}

/* 1.8 A transaction is all or nothing: rollback undoes every write;
 * BEGIN inside a transaction is refused. */
static void t1_8_transactions(void **state)
{
    struct fx *fx = *state;
    begin_ok(fx->lg);
    add_account(fx->lg, "jan", 0);
    struct err e = {""};
    assert_int_equal(ledger_begin(fx->lg, &e), -1);
    assert_string_equal(e.msg, "cannot start a transaction: cannot start a "
                               "transaction within a transaction");
    ledger_rollback(fx->lg);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM accounts"), 0);
    ledger_rollback(fx->lg); /* outside a transaction: harmless */
    begin_ok(fx->lg);
    add_account(fx->lg, "jan", 0);
    commit_ok(fx->lg);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM accounts"), 1);
}

/* 1.9 A statement used again keeps the engine's binding of a text or a
 * day bound the same as in the use before, and never one it should not:
 * a value bound anew, a parameter bound as a number or NULL in between,
 * one the use leaves out (NULL) or one bound once more after that. */
static void t1_9_binding_kept(void **state)
{
    struct fx *fx = *state;
    static const char *const ins = "INSERT INTO t(a, b, c) VALUES (?1, ?2, ?3)";
    exec_ok(fx->lg, "CREATE TEMP TABLE t(n INTEGER PRIMARY KEY, a, b, c)");
    struct {
        const char *a;   /* NULL: ?1 left out */
        int a_int;       /* bind ?1 as this number instead when a is "#" */
        cdate b;
        const char *c;
    } uses[] = {
        {"same", 0, 20000, "x"},
        {"same", 0, 20000, "x"},        /* every value as before */
        {"other", 0, 20001, "x"},       /* ?1 and ?2 anew */
        {"#", 7, 20001, "xx"},          /* ?1 a number, ?3 longer */
        {"#", 7, 20001, "xx"},          /* the same number */
        {"#", 8, 20001, "xx"},          /* another */
        {NULL, 0, 20001, "xx"},         /* left out */
        {"#", 8, 20001, "xx"},          /* the number after NULL */
        {"other", 0, CDATE_NONE, "x"},  /* ?1 text again, ?2 NULL */
        {NULL, 0, 20001, "x"},          /* ?1 left out: NULL */
        {"other", 0, 20001, "x"},       /* ?1 back after being NULL */
    };
    char buf[11];
    for (size_t i = 0; i < sizeof uses / sizeof *uses; i++) {
        struct ledger_stmt *st = ledger_stmt(fx->lg, ins);
        if (uses[i].a && !strcmp(uses[i].a, "#"))
            bind_int(st, 1, uses[i].a_int);
        else if (uses[i].a)
            bind_text(st, 1, uses[i].a);
        bind_date(st, 2, uses[i].b);
        bind_text(st, 3, uses[i].c);
        struct err e = {""};
        if (ledger_done(fx->lg, st, NULL, &e) != 0)
            fail_msg("use %zu: %s", i, e.msg);
    }
    char d1[11];
    date_fmt(20000, buf);
    date_fmt(20001, d1);
    char *want = xasprintf("same|%s|x;same|%s|x;other|%s|x;7|%s|xx;"
                           "7|%s|xx;8|%s|xx;-|%s|xx;8|%s|xx;"
                           "other|-|x;-|%s|x;other|%s|x",
                           buf, buf, d1, d1, d1, d1, d1, d1, d1, d1);
    assert_string_equal(q_rows(fx->lg, "SELECT a, b, c FROM t ORDER BY n"),
                        want);
    free(want);
}

/* ============================================================ 2. invoices */

/* 2.1 Numbers are gapless per series, in the practice's format, and
 * restart each year when the format names the year; each invoice gets a
 * valid payment reference and the rule-set hash. */
static void t2_1_numbering(void **state)
{
    struct fx *fx = *state;
    add_account(fx->lg, "jan", 0);
    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-01-05", 0, NULL), "2026-00001");
    assert_string_equal(issue(fx, "2026-03-01", 0, NULL), "2026-00002");
    assert_string_equal(issue(fx, "2026-12-31", 0, NULL), "2026-00003");
    assert_string_equal(issue(fx, "2027-01-01", 0, NULL), "2027-00001");
    assert_string_equal(issue(fx, "2026-12-31", 0, NULL), "2026-00004");
    assert_string_equal(issue(fx, "2027-02-01", 0, NULL), "2027-00002");
    /* The dates of the numbers taken count before they are written. */
    cdate last = CDATE_NONE;
    struct err le = {""};
    assert_int_equal(invoices_last_issued(fx->lg, &last, &le), 0);
    assert_string_equal(fmt(last), "2027-02-01");
    assert_int_equal(invoices_last_issued_series(fx->lg, "invoice:2026",
                                                 &last, &le), 0);
    assert_string_equal(fmt(last), "2026-12-31");
    commit_ok(fx->lg);
    assert_string_equal(q_rows(fx->lg, "SELECT id, last_seq, last_issued "
                                       "FROM series ORDER BY id"),
                        "invoice:2026|4|2026-12-31;"
                        "invoice:2027|2|2027-02-01");
    assert_int_equal(invoices_last_issued(fx->lg, &last, &le), 0);
    assert_string_equal(fmt(last), "2027-02-01");
    assert_int_equal(invoices_last_issued_series(fx->lg, "invoice:2026",
                                                 &last, &le), 0);
    assert_string_equal(fmt(last), "2026-12-31");
    assert_int_equal(invoices_last_issued_series(fx->lg, "invoice:2028",
                                                 &last, &le), 0);
    assert_int_equal(last, CDATE_NONE);
    assert_string_equal(q_rows(fx->lg, "SELECT number, series, seq FROM "
                                       "invoices WHERE id = 5"),
                        "2026-00004|invoice:2026|4");

    struct invoice inv;
    struct err e = {""};
    assert_int_equal(invoices_load(fx->lg, "2026-00002", &inv, &e), 0);
    assert_string_equal(inv.number, "2026-00002");
    assert_string_equal(fmt(inv.issued), "2026-03-01");
    assert_string_equal(inv.to.id, "jan");
    assert_string_equal(inv.to.name, "Jan Jansen");
    assert_int_equal(inv.total_cents, 4500);
    assert_int_equal(inv.vat_cents, 0);
    assert_int_equal(inv.n_lines, 1);
    assert_int_equal(inv.lines[0].amount_cents, 4500);
    assert_string_equal(inv.rules_hash, fx->r->hash);
    assert_int_equal(strlen(inv.payment_reference), 16);
    assert_true(payment_reference_valid(inv.payment_reference));
    invoice_free(&inv);
    assert_int_equal(invoices_load(fx->lg, "2026-00099", &inv, &e), 1);
    assert_string_equal(e.msg, "no invoice '2026-00099'");
}

/* 2.2 A format without {year} is one series for ever; credit notes may
 * have their own. */
static void t2_2_numbering_formats(void **state)
{
    struct fx *fx = *state;
    free(fx->r->practice.number_format);
    fx->r->practice.number_format = xstrdup("F{seq:4}");
    fx->r->practice.credit_number_format = xstrdup("C{year}-{seq:3}");
    add_account(fx->lg, "jan", 0);
    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-12-31", 0, NULL), "F0001");
    assert_string_equal(issue(fx, "2027-01-01", 0, NULL), "F0002");
    char *cn = NULL;
    struct err e = {""};
    if (issue_credit_note(eng_of(fx), "F0001", -1, P("2027-01-02"), &cn, &e))
        fail_msg("credit note: %s", e.msg);
    assert_string_equal(cn, "C2027-001");
    free(cn);
    assert_string_equal(issue(fx, "2027-01-03", 0, NULL), "F0003");
    commit_ok(fx->lg);
    assert_string_equal(q_rows(fx->lg, "SELECT id, last_seq FROM series "
                                       "ORDER BY id"),
                        "credit:2027|1;invoice|3");
    assert_string_equal(q_rows(fx->lg, "SELECT number, total_cents, "
                                       "credit_of FROM invoices WHERE kind = "
                                       "'credit'"),
                        "C2027-001|-4500|1");
}

/* 2.3 A number taken in a transaction that rolls back is taken again:
 * begin, issue, rollback, issue gives the same number. */
static void t2_3_numbering_rolls_back(void **state)
{
    struct fx *fx = *state;
    add_account(fx->lg, "jan", 0);
    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-01-05", 0, NULL), "2026-00001");
    commit_ok(fx->lg);

    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-01-06", 0, NULL), "2026-00002");
    assert_string_equal(issue(fx, "2026-01-06", 0, NULL), "2026-00003");
    ledger_rollback(fx->lg);
    struct invoice inv;
    struct err e = {""};
    assert_int_equal(invoices_load(fx->lg, "2026-00002", &inv, &e), 1);
    assert_int_equal(q_int(fx->lg, "SELECT last_seq FROM series"), 1);
    assert_string_equal(q_rows(fx->lg, "SELECT last_issued FROM series"),
                        "2026-01-05");

    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-01-07", 0, NULL), "2026-00002");
    commit_ok(fx->lg);
    assert_string_equal(q_rows(fx->lg, "SELECT number, issued FROM invoices "
                                       "ORDER BY id"),
                        "2026-00001|2026-01-05;2026-00002|2026-01-07");
}

/* 2.4 The ledger's unique (subscription, period_start) key refuses a
 * second line for a period; after the rollback numbering goes on without
 * a gap. Another period, and a credit note for the period, are fine. */
static void t2_4_period_billed_once(void **state)
{
    struct fx *fx = *state;
    add_account(fx->lg, "jan", 0);
    int64_t sub = start_sub(fx, "2026-01-01");
    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-01-01", sub, "2026-01-01"),
                        "2026-00001");
    commit_ok(fx->lg);

    begin_ok(fx->lg);
    struct invoice inv;
    struct err e = {""};
    make_invoice(&inv, "2026-01-02", sub, "2026-01-01");
    assert_int_equal(issue_invoice(eng_of(fx), &inv, 0, &e), -1);
    assert_string_equal(e.msg, "subscription 1 period starting 2026-01-01 is "
                               "already billed");
    invoice_free(&inv);
    ledger_rollback(fx->lg);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM invoices"), 1);

    begin_ok(fx->lg);
    assert_string_equal(issue(fx, "2026-02-01", sub, "2026-02-01"),
                        "2026-00002");
    char *cn = NULL;
    if (issue_credit_note(eng_of(fx), "2026-00001", -1, P("2026-02-02"), &cn,
                          &e))
        fail_msg("credit note: %s", e.msg);
    assert_string_equal(cn, "2026-00003");
    free(cn);
    commit_ok(fx->lg);
    assert_string_equal(q_rows(fx->lg, "SELECT subscription, period_start, "
                                       "amount_cents FROM invoice_lines ORDER "
                                       "BY id"),
                        "1|2026-01-01|4500;1|2026-02-01|4500;-|2026-01-01|-4500");
}

/* ============================================================ 3. subscriptions */

/* 3.1 Starting a subscription records its first period and when it comes
 * due; refusals name what is wrong. */
static void t3_1_start(void **state)
{
    struct fx *fx = *state;
    add_account(fx->lg, "jan", 0);
    add_account(fx->lg, "piet", 1);
    assert_int_equal(start_sub(fx, "2026-01-15"), 1);
    int64_t id = 0;
    struct err e = {""};
    assert_int_equal(subscription_start(eng_of(fx), "piet", "fit",
                                        P("2026-02-10"), 1, 2, P("2026-02-01"),
                                        &id, &e),
                     0);
    assert_int_equal(id, 2);
    assert_string_equal(q_rows(fx->lg, "SELECT s.id, account, type, start, "
                                       "end_on, direct_debit, quantity, "
                                       "next_period, next_due FROM "
                                       "subscriptions s JOIN cursors c ON "
                                       "c.id = s.cursor ORDER BY s.id"),
                        "1|jan|fit|2026-01-15|-|0|1|2026-01-01|2026-01-15;"
                        "2|piet|fit|2026-02-10|-|1|2|2026-02-01|2026-02-05");

    static const struct {
        const char *account, *type;
        int dd;
        int64_t qty;
        const char *msg;
    } bad[] = {
        {"jan", "fitt", 0, 1, "no subscription type 'fitt'"},
        {"nobody", "fit", 0, 1, "no account 'nobody'"},
        {"jan", "fit", 1, 1, "account 'jan' has no direct-debit mandate"},
        {"jan", "fit", 0, 0, "quantity must be between 1 and 100000"},
        {"jan", "fit", 0, 100001, "quantity must be between 1 and 100000"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(subscription_start(eng_of(fx), bad[i].account,
                                            bad[i].type, P("2026-03-01"),
                                            bad[i].dd, bad[i].qty,
                                            P("2026-03-01"), &id, &e),
                         -1);
        assert_string_equal(e.msg, bad[i].msg);
    }
    assert_int_equal(subscription_start(eng_of(fx), "jan", "oud",
                                        P("2026-03-01"), 0, 1, P("2026-03-01"),
                                        &id, &e),
                     -1);
    char *want = xasprintf("subscription type 'oud' is deactivated (%s/"
                           "practice/practice.yaml:24); it cannot be started",
                           root);
    assert_string_equal(e.msg, want);
    free(want);
    assert_int_equal(q_int(fx->lg, "SELECT count(*) FROM subscriptions"), 2);
}

/* 3.2 Pauses: several per subscription, never overlapping one another,
 * within the subscription's life. */
static void t3_2_pause(void **state)
{
    struct fx *fx = *state;
    struct err e = {""};
    add_account(fx->lg, "jan", 0);
    int64_t id = start_sub(fx, "2026-01-15");
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-02-01"),
                                        P("2026-02-10"), "vakantie", &e),
                     0);
    /* Overlapping at either end, inside, or around: refused. */
    static const char *const overlapping[][2] = {
        {"2026-02-05", "2026-02-20"}, {"2026-01-20", "2026-02-01"},
        {"2026-02-10", "2026-02-10"}, {"2026-01-20", "2026-03-01"},
        {"2026-02-03", "2026-02-04"},
    };
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(subscription_pause(eng_of(fx), id, P(overlapping[i][0]),
                                            P(overlapping[i][1]), NULL, &e),
                         -1);
        char *want = xasprintf("pause %s..%s overlaps the pause "
                               "2026-02-01..2026-02-10 of subscription 1",
                               overlapping[i][0], overlapping[i][1]);
        assert_string_equal(e.msg, want);
        free(want);
    }
    /* Adjacent on both sides: fine. */
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-02-11"),
                                        P("2026-02-15"), NULL, &e),
                     0);
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-01-25"),
                                        P("2026-01-31"), NULL, &e),
                     0);

    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-03-10"),
                                        P("2026-03-01"), NULL, &e),
                     -1);
    assert_string_equal(e.msg, "pause ends (2026-03-01) before it starts "
                               "(2026-03-10)");
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-01-10"),
                                        P("2026-01-12"), NULL, &e),
                     -1);
    assert_string_equal(e.msg, "pause starts (2026-01-10) before the "
                               "subscription (2026-01-15)");
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-03-01"),
                                        P("2026-03-02"), "a\rb", &e),
                     -1);
    assert_string_equal(e.msg, "note contains a carriage return");
    assert_int_equal(subscription_pause(eng_of(fx), 99, P("2026-03-01"),
                                        P("2026-03-02"), NULL, &e),
                     -1);
    assert_string_equal(e.msg, "no subscription 99");

    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-06-30"), NULL,
                                       P("2026-03-01"), &e),
                     0);
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-07-01"),
                                        P("2026-07-31"), NULL, &e),
                     -1);
    assert_string_equal(e.msg, "subscription 1 stops on 2026-06-30; it cannot "
                               "be paused after that");
    assert_string_equal(q_rows(fx->lg, "SELECT from_date, until, note FROM "
                                       "pauses ORDER BY from_date"),
                        "2026-01-25|2026-01-31|-;2026-02-01|2026-02-10|"
                        "vakantie;2026-02-11|2026-02-15|-");
}

/* 3.3 Resume ends the pause in force on a day (the subscription is active
 * from that day), cancels one that starts that day, and never revives a
 * stopped subscription. A backdated resume rewinds the billing cursor to
 * the period it falls in. */
static void t3_3_resume(void **state)
{
    struct fx *fx = *state;
    struct err e = {""};
    add_account(fx->lg, "jan", 0);
    int64_t id = start_sub(fx, "2026-01-01");
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-02-01"),
                                        P("2026-04-30"), NULL, &e),
                     0);
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-06-01"),
                                        P("2026-06-30"), NULL, &e),
                     0);
    exec_ok(fx->lg, "UPDATE cursors SET next_period = '2026-05-01', "
                    "next_due = '2026-05-01'");
    assert_int_equal(subscription_resume(eng_of(fx), id, P("2026-03-10"),
                                         &e),
                     0);
    assert_int_equal(subscription_resume(eng_of(fx), id, P("2026-06-01"),
                                         &e),
                     0);
    assert_string_equal(q_rows(fx->lg, "SELECT from_date, until FROM pauses"),
                        "2026-02-01|2026-03-09");
    assert_string_equal(q_rows(fx->lg, "SELECT next_period, next_due FROM "
                                       "subscriptions s JOIN cursors c ON "
                                       "c.id = s.cursor"),
                        "2026-03-01|2026-03-01");
    /* The cursor the subscription left was its alone: it went. */
    assert_string_equal(q_rows(fx->lg, "SELECT COUNT(*) FROM cursors"), "1");

    assert_int_equal(subscription_resume(eng_of(fx), id, P("2026-03-10"),
                                         &e),
                     -1);
    assert_string_equal(e.msg, "subscription 1 is not paused on 2026-03-10");

    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-08-01"),
                                        P("2026-08-31"), NULL, &e),
                     0);
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-08-15"), NULL,
                                       P("2026-07-01"), &e),
                     0);
    assert_int_equal(subscription_resume(eng_of(fx), id, P("2026-08-20"),
                                         &e),
                     -1);
    assert_string_equal(e.msg, "subscription 1 was stopped on 2026-08-15; a "
                               "stopped subscription cannot be resumed (start "
                               "a new one)");
}

/* 3.4 Stop: `on` is the last active day; it may be brought forward, never
 * extended, never before the start; pauses after it go, a pause across
 * it is cut. */
static void t3_4_stop(void **state)
{
    struct fx *fx = *state;
    struct err e = {""};
    add_account(fx->lg, "jan", 0);
    int64_t id = start_sub(fx, "2026-01-15");
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-01-14"), NULL,
                                       P("2026-01-01"), &e),
                     -1);
    assert_string_equal(e.msg, "stop date 2026-01-14 is before the "
                               "subscription's start 2026-01-15");
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-06-01"),
                                        P("2026-06-30"), NULL, &e),
                     0);
    assert_int_equal(subscription_pause(eng_of(fx), id, P("2026-08-01"),
                                        P("2026-08-10"), NULL, &e),
                     0);
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-09-30"), "verhuisd",
                                       P("2026-03-01"), &e),
                     0);
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-10-31"), NULL,
                                       P("2026-03-01"), &e),
                     -1);
    assert_string_equal(e.msg, "subscription 1 stops on 2026-09-30; a stop can "
                               "be brought forward, not extended");
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-06-15"), "eerder",
                                       P("2026-03-01"), &e),
                     0);
    assert_string_equal(q_rows(fx->lg, "SELECT end_on, stop_note FROM "
                                       "subscriptions"),
                        "2026-06-15|eerder");
    assert_string_equal(q_rows(fx->lg, "SELECT from_date, until FROM pauses"),
                        "2026-06-01|2026-06-15");
    /* Once the stop date has passed, the subscription is stopped. */
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-06-10"), NULL,
                                       P("2026-07-01"), &e),
                     -1);
    assert_string_equal(e.msg, "subscription 1 was already stopped on "
                               "2026-06-15");
    assert_int_equal(subscription_stop(eng_of(fx), id, P("2026-06-10"), "x\r",
                                       P("2026-03-01"), &e),
                     -1);
    assert_string_equal(e.msg, "note contains a carriage return");
    assert_string_equal(q_rows(fx->lg, "SELECT end_on FROM subscriptions"),
                        "2026-06-15");
}

/* 3.5 The status of a subscription on a day, from plain values. */
static void t3_5_status(void **state)
{
    struct pause_span pz[] = {{P("2026-02-01"), P("2026-02-10")}};
    cdate start = P("2026-01-15"), end = P("2026-06-30");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-01-14")),
                        "planned");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-01-15")),
                        "active");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-02-01")),
                        "paused");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-02-10")),
                        "paused");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-02-11")),
                        "active");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-06-30")),
                        "active");
    assert_string_equal(subscription_status(start, end, pz, 1, P("2026-07-01")),
                        "stopped");
    assert_string_equal(subscription_status(start, CDATE_NONE, NULL, 0,
                                            P("2099-01-01")),
                        "active");
}

/* ============================================================ 4. prices */

/* 4.1 Scheduling and cancelling price changes. */
static void t4_1_schedule_cancel(void **state)
{
    struct fx *fx = *state;
    struct err e = {""};
    cdate today = P("2026-03-01");
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-07-01"),
                                    4800, today, &e),
                     0);
    assert_int_equal(price_schedule(eng_of(fx), "fit", today, 4700, today,
                                    &e),
                     0);
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-07-01"),
                                    4900, today, &e),
                     -1);
    assert_string_equal(e.msg, "a price change of 'fit' on 2026-07-01 is "
                               "already scheduled; cancel it first");
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-02-28"),
                                    4900, today, &e),
                     -1);
    assert_string_equal(e.msg, "a price change cannot take effect in the past "
                               "(2026-02-28); use today's date for an "
                               "immediate change");
    assert_int_equal(price_schedule(eng_of(fx), "fitt", P("2026-07-01"),
                                    4900, today, &e),
                     -1);
    assert_string_equal(e.msg, "no subscription type 'fitt'");
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-08-01"), -1,
                                    today, &e),
                     -1);
    assert_string_equal(e.msg, "price must not be negative");

    assert_int_equal(price_cancel(eng_of(fx), "fit", today, today, &e), -1);
    assert_string_equal(e.msg, "the price change of fit on 2026-03-01 already "
                               "applies; it can only be cancelled before that "
                               "day");
    assert_int_equal(price_cancel(eng_of(fx), "fit", P("2026-08-01"), today,
                                  &e),
                     -1);
    assert_string_equal(e.msg, "no price change of 'fit' scheduled on "
                               "2026-08-01");
    assert_int_equal(price_cancel(eng_of(fx), "fit", P("2026-07-01"), today,
                                  &e),
                     0);
    assert_int_equal(price_cancel(eng_of(fx), "fit", P("2026-07-01"), today,
                                  &e),
                     -1);
    assert_string_equal(e.msg, "no price change of 'fit' scheduled on "
                               "2026-07-01");
    /* Cancelled, the date is free again. */
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-07-01"),
                                    5000, today, &e),
                     0);
    assert_string_equal(q_rows(fx->lg, "SELECT from_date, price_cents, "
                                       "cancelled FROM price_changes ORDER BY "
                                       "id"),
                        "2026-07-01|4800|2026-03-01;2026-03-01|4700|-;"
                        "2026-07-01|5000|-");
}

/* 4.2 The price on a day merges the YAML schedule (base 45.00, 46.00 from
 * 2026-04-01, 47.50 from 2027-01-01) with the ledger's live changes;
 * the ledger wins on the same date; cancelled changes do not count. */
static void t4_2_price_list(void **state)
{
    struct fx *fx = *state;
    struct err e = {""};
    cdate today = P("2026-01-01");
    const struct subscription_type *t = rules_subscription_type(fx->r, "fit");
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2027-01-01"),
                                    5000, today, &e),
                     0);
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-07-01"),
                                    4650, today, &e),
                     0);
    assert_int_equal(price_schedule(eng_of(fx), "fit", P("2026-10-01"),
                                    9999, today, &e),
                     0);
    assert_int_equal(price_cancel(eng_of(fx), "fit", P("2026-10-01"), today,
                                  &e),
                     0);
    struct price_list pl;
    assert_int_equal(price_list_load(fx->lg, t, &pl, &e), 0);
    assert_int_equal(pl.base, 4500);
    assert_int_equal(pl.n, 3);
    static const struct {
        const char *d;
        int64_t cents;
    } want[] = {
        {"2026-01-01", 4500}, {"2026-03-31", 4500}, {"2026-04-01", 4600},
        {"2026-06-30", 4600}, {"2026-07-01", 4650}, {"2026-10-01", 4650},
        {"2026-12-31", 4650}, {"2027-01-01", 5000}, {"2030-01-01", 5000},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (price_list_on(&pl, P(want[i].d)) != want[i].cents)
            fail_msg("price on %s: %lld, expected %lld", want[i].d,
                     (long long)price_list_on(&pl, P(want[i].d)),
                     (long long)want[i].cents);
    price_list_free(&pl);
    assert_null(pl.changes);

    /* Without ledger changes the list is the YAML schedule. */
    exec_ok(fx->lg, "DELETE FROM price_changes");
    assert_int_equal(price_list_load(fx->lg, t, &pl, &e), 0);
    assert_int_equal(price_list_on(&pl, P("2026-12-31")), 4600);
    assert_int_equal(price_list_on(&pl, P("2027-01-01")), 4750);
    for (cdate d = P("2025-06-01"); d < P("2028-01-01"); d += 7)
        assert_int_equal(price_list_on(&pl, d), subscription_type_price_on(t, d));
    price_list_free(&pl);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(t1_1_init),
        T(t1_2_reopen),
        T(t1_3_newer_refused),
        cmocka_unit_test(t1_4_older_upgraded),
        cmocka_unit_test(t1_5_missing),
        cmocka_unit_test(t1_6_not_a_ledger),
        T(t1_7_busy),
        T(t1_8_transactions),
        T(t1_9_binding_kept),
        T(t2_1_numbering),
        T(t2_2_numbering_formats),
        T(t2_3_numbering_rolls_back),
        T(t2_4_period_billed_once),
        T(t3_1_start),
        T(t3_2_pause),
        T(t3_3_resume),
        T(t3_4_stop),
        cmocka_unit_test(t3_5_status),
        T(t4_1_schedule_cancel),
        T(t4_2_price_list),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
