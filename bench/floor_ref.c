/*
 * floor_ref.c — the reference floor `make bench` measures the tick
 * against (issue 15, SPEC §6): the plain cost of the job, free of
 * carebill's schema. In a fresh SQLite file with five slim tables
 * (patient, subscription, invoice, invoice_line, outbox) it first loads N
 * patients with one active subscription each, untimed, then times one
 * transaction (BEGIN IMMEDIATE ... COMMIT, WAL, synchronous NORMAL) that
 * streams the active subscriptions joined to their patient and inserts,
 * per subscription, one invoice (a numbered row with its totals), one
 * invoice line (unique per subscription and period) and one queued
 * e-mail (recipient, subject and a rendered body of about 250 bytes),
 * with statements prepared once. No rules, no numbering table, no cursor:
 * the ratio tick / floor is carebill's overhead over the physical work.
 *
 *   floor_ref N DBPATH     prints "ref_floor: subs=N s=X subs_per_s=X"
 *
 * The file at DBPATH (and its -wal, -shm) is replaced.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The connection and its failure: print the engine's message, exit 1. */
static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "floor_ref: %s: %s\n", what,
            db ? sqlite3_errmsg(db) : "cannot open");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(db, sql);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    return st;
}

/* Run an insert to its end and make it ready for the next row. */
static void insert(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(db, what);
    sqlite3_reset(st);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remove_db(const char *path)
{
    char side[4096];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
}

/* The untimed part: the schema and N patients with a subscription. */
static void load(sqlite3 *db, long n)
{
    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
             "CREATE TABLE patient(id INTEGER PRIMARY KEY, name TEXT, "
             "email TEXT);"
             "CREATE TABLE subscription(id INTEGER PRIMARY KEY, "
             "patient_id INT, price_cents INT, vat_bp INT, start TEXT, "
             "status TEXT);"
             "CREATE TABLE invoice(id INTEGER PRIMARY KEY, number TEXT "
             "UNIQUE, patient_id INT, issued TEXT, total_cents INT, "
             "vat_cents INT, status TEXT);"
             "CREATE TABLE invoice_line(id INTEGER PRIMARY KEY, "
             "invoice_id INT, subscription_id INT, period_start TEXT, "
             "description TEXT, amount_cents INT, vat_cents INT, "
             "UNIQUE(subscription_id, period_start));"
             "CREATE TABLE outbox(id INTEGER PRIMARY KEY, invoice_id INT, "
             "recipient TEXT, subject TEXT, body TEXT, status TEXT);");
    sqlite3_stmt *pat = prep(db, "INSERT INTO patient VALUES (?1, ?2, ?3)");
    sqlite3_stmt *sub = prep(db, "INSERT INTO subscription VALUES (?1, ?2, "
                                 "?3, ?4, '2026-01-15', 'active')");
    char buf[64];
    exec(db, "BEGIN");
    for (long i = 1; i <= n; i++) {
        sqlite3_bind_int64(pat, 1, i);
        snprintf(buf, sizeof buf, "Patient %ld", i);
        sqlite3_bind_text(pat, 2, buf, -1, SQLITE_TRANSIENT);
        snprintf(buf, sizeof buf, "p%ld@example.org", i);
        sqlite3_bind_text(pat, 3, buf, -1, SQLITE_TRANSIENT);
        insert(db, pat, "insert patient");
        sqlite3_bind_int64(sub, 1, i);
        sqlite3_bind_int64(sub, 2, i);
        sqlite3_bind_int(sub, 3, 4500 + (int)(i % 7) * 100);
        sqlite3_bind_int(sub, 4, 2100);
        insert(db, sub, "insert subscription");
    }
    exec(db, "COMMIT");
    sqlite3_finalize(pat);
    sqlite3_finalize(sub);
}

/* The timed part: one transaction billing every active subscription;
 * returns the number billed. */
static long bill(sqlite3 *db)
{
    exec(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *due = prep(
        db, "SELECT s.id, s.patient_id, s.price_cents, s.vat_bp, s.start, "
            "p.name, p.email FROM subscription s JOIN patient p ON "
            "p.id = s.patient_id WHERE s.status = 'active'");
    sqlite3_stmt *inv = prep(
        db, "INSERT INTO invoice(number, patient_id, issued, total_cents, "
            "vat_cents, status) VALUES (?1, ?2, ?3, ?4, ?5, 'open')");
    sqlite3_stmt *line = prep(
        db, "INSERT INTO invoice_line(invoice_id, subscription_id, "
            "period_start, description, amount_cents, vat_cents) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6)");
    sqlite3_stmt *mail = prep(
        db, "INSERT INTO outbox(invoice_id, recipient, subject, body, "
            "status) VALUES (?1, ?2, ?3, ?4, 'queued')");
    long n = 0;
    char number[32], body[600];
    while (sqlite3_step(due) == SQLITE_ROW) {
        sqlite3_int64 sid = sqlite3_column_int64(due, 0);
        sqlite3_int64 pid = sqlite3_column_int64(due, 1);
        sqlite3_int64 price = sqlite3_column_int64(due, 2);
        sqlite3_int64 vat_bp = sqlite3_column_int64(due, 3);
        sqlite3_int64 vat = (price * vat_bp + 5000) / 10000;
        sqlite3_int64 total = price + vat;
        snprintf(number, sizeof number, "2026-%07ld", ++n);

        sqlite3_bind_text(inv, 1, number, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(inv, 2, pid);
        sqlite3_bind_text(inv, 3, "2026-02-01", -1, SQLITE_STATIC);
        sqlite3_bind_int64(inv, 4, total);
        sqlite3_bind_int64(inv, 5, vat);
        insert(db, inv, "insert invoice");
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);

        sqlite3_bind_int64(line, 1, id);
        sqlite3_bind_int64(line, 2, sid);
        sqlite3_bind_text(line, 3, "2026-02-01", -1, SQLITE_STATIC);
        sqlite3_bind_text(line, 4, "Abonnement februari 2026", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(line, 5, price);
        sqlite3_bind_int64(line, 6, vat);
        insert(db, line, "insert invoice line");

        int len = snprintf(
            body, sizeof body,
            "Beste %s,\n\nIn de bijlage vindt u factuur %s van EUR "
            "%lld,%02lld voor uw abonnement over februari 2026. Wij "
            "verzoeken u het bedrag binnen 14 dagen over te maken onder "
            "vermelding van het factuurnummer.\n\nMet vriendelijke "
            "groet,\nPraktijk\n",
            (const char *)sqlite3_column_text(due, 5), number,
            (long long)(total / 100), (long long)(total % 100));
        sqlite3_bind_int64(mail, 1, id);
        sqlite3_bind_text(mail, 2, (const char *)sqlite3_column_text(due, 6),
                          -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(mail, 3, "Factuur", -1, SQLITE_STATIC);
        sqlite3_bind_text(mail, 4, body, len, SQLITE_TRANSIENT);
        insert(db, mail, "insert outbox");
    }
    sqlite3_finalize(due);
    sqlite3_finalize(inv);
    sqlite3_finalize(line);
    sqlite3_finalize(mail);
    exec(db, "COMMIT");
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3 || atol(argv[1]) <= 0) {
        fprintf(stderr, "usage: floor_ref N DBPATH\n");
        return 2;
    }
    long n = atol(argv[1]);
    const char *path = argv[2];
    sqlite3 *db = NULL;
    remove_db(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die(db, path);
    load(db, n);
    double t0 = now();
    long billed = bill(db);
    double s = now() - t0;
    sqlite3_close(db);
    remove_db(path);
    if (billed != n) {
        fprintf(stderr, "floor_ref: billed %ld of %ld\n", billed, n);
        return 1;
    }
    printf("ref_floor: subs=%ld s=%.3f subs_per_s=%.0f\n", n, s,
           s > 0 ? (double)n / s : 0.0);
    return 0;
}
