/*
 * floor.c — the bare SQLite floor that `carebill tick` is measured
 * against (SPEC §6). On a ledger made by `carebill init` and filled by
 * bench/gen.sh it does, in one transaction with prepared statements, the
 * least any billing run must do per due subscription: read it (joined to
 * its account, streaming over its cursor's members), insert one invoice
 * and one invoice line, and move its cohort's cursor on (one write per
 * cursors row, as the tick does for a cohort), with every NOT NULL column
 * filled by values of realistic size (number, payment reference, rule-set
 * hash, line text), as the tick stores them: the line's explain sentence
 * is rebuilt when asked (""), and the invoice's e-mail is made when the
 * outbox is next used (the invoice names its template, mail). No rules,
 * no hooks, no numbering table: the statements
 * carebill's schema asks of a billed period, so the tick's ratio to this
 * floor is its own code's overhead and this floor's ratio to the
 * reference floor is the schema's.
 *
 *   floor LEDGER DATE      prints "floor: subs=N s=X subs_per_s=X"
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "floor: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK)
        die(sql);
    return st;
}

static void exec(const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql);
}

static void done(sqlite3_stmt *st, const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(what);
    sqlite3_reset(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor LEDGER YYYY-MM-DD\n");
        return 2;
    }
    const char *day = argv[2];
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(argv[1]);
    /* The same connection settings as carebill's ledger_open. */
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA synchronous = NORMAL");

    sqlite3_stmt *due = prep(
        "SELECT s.id, s.account, a.name, a.email, c.id FROM cursors c "
        "JOIN subscriptions s ON s.cursor = c.id "
        "JOIN accounts a ON a.id = s.account "
        "WHERE c.next_due <= ?1 "
        "ORDER BY c.next_due, c.next_period, c.id, s.id");
    sqlite3_stmt *inv = prep(
        "INSERT INTO invoices(number, series, seq, kind, account, issued, "
        "due, locale, prices_include_vat, net_cents, vat_cents, total_cents, "
        "direct_debit, payment_reference, rules_hash, practitioner, run, mail) "
        "VALUES (?1, ?2, ?3, 'subscription', ?4, ?5, ?6, 'nl', 0, 4500, 945, "
        "5445, 0, ?7, ?8, ?9, ?10, 'factuur')");
    sqlite3_stmt *line = prep(
        "INSERT INTO invoice_lines(invoice, position, description, qty100, "
        "unit_cents, amount_cents, vat_id, vat_bp, vat_exempt, source, "
        "subscription, period_start, period_end, ref, why) VALUES (?1, 1, "
        "?2, 100, 4500, 4500, 'hoog', 2100, 0, 'subscription', ?3, ?4, ?5, "
        "'maand', ?6)");
    sqlite3_stmt *cursor = prep(
        "UPDATE cursors SET next_period = ?2, next_due = ?2 WHERE id = ?1");
    static const char hash[] =
        "db2b26c6478ace03eabe4addcdf794e856b17027ee755484ecd6bd5a2b27160a";
    int year = atoi(day);
    char series[32], number[32], ref[24], period[40], desc[80];
    char next[11];
    char period_end[11];
    snprintf(series, sizeof series, "invoice:%d", year);
    snprintf(period_end, sizeof period_end, "%.8s31", day);
    /* The next period: the first of the month after DAY's (a January
     * DAY in the bench; December rolls the year). */
    int mon = atoi(day + 5);
    snprintf(next, sizeof next, "%04d-%02d-01", mon == 12 ? year + 1 : year,
             mon == 12 ? 1 : mon + 1);
    long long *subs = NULL; /* the cursors rows read */
    size_t cap = 0, nc = 0;
    snprintf(period, sizeof period, "%s..%s", day, period_end);
    snprintf(desc, sizeof desc, "Maandabonnement %s", period);

    double t0 = now();
    exec("BEGIN IMMEDIATE");
    exec("INSERT INTO runs(as_of, started_at, rules_hash) VALUES "
         "('floor', datetime('now'), 'floor')");
    sqlite3_int64 run = sqlite3_last_insert_rowid(db);
    long long n = 0;
    sqlite3_bind_text(due, 1, day, -1, SQLITE_STATIC);
    while (sqlite3_step(due) == SQLITE_ROW) {
        long long sub = sqlite3_column_int64(due, 0);
        const char *acct = (const char *)sqlite3_column_text(due, 1);
        /* name and email (columns 2, 3) are read as the tick reads them */
        (void)sqlite3_column_text(due, 2);
        (void)sqlite3_column_text(due, 3);
        long long cur = sqlite3_column_int64(due, 4);
        n++;
        snprintf(number, sizeof number, "%d-%07lld", year, n);
        snprintf(ref, sizeof ref, "80000%04d%07lld", year, n);
        text(inv, 1, number);
        text(inv, 2, series);
        sqlite3_bind_int64(inv, 3, n);
        text(inv, 4, acct);
        text(inv, 5, day);
        text(inv, 6, day);
        text(inv, 7, ref);
        text(inv, 8, hash);
        text(inv, 9, "B. Ench, fysiotherapeut");
        sqlite3_bind_int64(inv, 10, run);
        done(inv, "insert invoice");
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);

        sqlite3_bind_int64(line, 1, id);
        text(line, 2, desc);
        sqlite3_bind_int64(line, 3, sub);
        text(line, 4, day);
        text(line, 5, period_end);
        text(line, 6, "");
        done(line, "insert line");

        if (nc && subs[nc - 1] == cur)
            continue;
        if (nc == cap) {
            cap = cap ? 2 * cap : 16;
            subs = realloc(subs, cap * sizeof *subs);
            if (!subs)
                die("out of memory");
        }
        subs[nc++] = cur;
    }
    sqlite3_reset(due);
    /* The cursors move on after the scan, as the tick's cohorts do: an
     * update of next_due under the cursor that walks it is avoided. */
    for (size_t i = 0; i < nc; i++) {
        sqlite3_bind_int64(cursor, 1, subs[i]);
        text(cursor, 2, next);
        done(cursor, "move cursor");
    }
    free(subs);
    exec("COMMIT");
    double s = now() - t0;
    sqlite3_finalize(due);
    sqlite3_finalize(inv);
    sqlite3_finalize(line);
    sqlite3_finalize(cursor);
    sqlite3_close(db);
    printf("floor: subs=%lld s=%.3f subs_per_s=%.0f\n", n, s,
           s > 0 ? (double)n / s : 0.0);
    return 0;
}
