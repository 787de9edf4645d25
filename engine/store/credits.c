/*
 * credits.c — SQL of the credit_grants, credit_uses, appointments and
 * journal tables, and of the reads of invoices and invoice lines the
 * credits domain makes (see credits.h).
 */
#include "store/credits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_name(enum appointment_status s)
{
    return s == APPOINTMENT_CANCELLED ? "cancelled" : "booked";
}

static enum appointment_status status_of(const char *s)
{
    return s && !strcmp(s, "cancelled") ? APPOINTMENT_CANCELLED
                                        : APPOINTMENT_BOOKED;
}

/* ================================================================ grants */

int credits_grant_insert(struct ledger *lg, const struct credit_grant_row *g,
                         int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO credit_grants(account, package, credits, rate_cents, "
        "granted_on, source, invoice_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7) ON CONFLICT(invoice_line) DO NOTHING RETURNING id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, g->account);
    bind_text(st, 2, g->package);
    bind_int(st, 3, g->credits);
    bind_int(st, 4, g->rate_cents);
    bind_date(st, 5, g->granted_on);
    bind_text(st, 6, g->source == CREDIT_FROM_INVOICE ? "invoice" : "import");
    if (g->invoice_line)
        bind_int(st, 7, g->invoice_line);
    int rc = ledger_step(st);
    *id = rc == LEDGER_ROW ? col_int(st, 0) : 0;
    if (rc == LEDGER_ROW)
        rc = ledger_step(st);
    ledger_reset(st);
    if (rc != LEDGER_DONE) {
        *id = 0;
        return err_set(e, "ledger write failed: %s", ledger_errmsg(lg));
    }
    return 0;
}

int credits_grant_codes(struct ledger *lg, int64_t grant, char **credited,
                        char **debited, struct err *e)
{
    static const char *const sql =
        "SELECT (SELECT account_code FROM journal WHERE source = ?1 AND "
        "credit_cents > 0 ORDER BY id LIMIT 1), (SELECT account_code FROM "
        "journal WHERE source = ?1 AND debit_cents > 0 ORDER BY id LIMIT 1)";
    char src[32];
    snprintf(src, sizeof src, "grant %lld", (long long)grant);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, src);
    *credited = *debited = NULL;
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        *credited = col_text(st, 0);
        *debited = col_text(st, 1);
    }
    return ledger_read_end(st, rc, "journal", e);
}

int credits_grants_left(struct ledger *lg, const char *account,
                        const char *package, struct credit_grant_left **out,
                        size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT g.id, g.credits - g.withdrawn - (SELECT COALESCE(SUM("
        "u.credits), 0) FROM credit_uses u WHERE u.grant_id = g.id AND "
        "u.returned = 0), g.rate_cents, g.granted_on FROM credit_grants g "
        "WHERE g.account = ?1 AND g.package = ?2 ORDER BY g.granted_on, g.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_grant_left){
            .grant = col_int(st, 0),
            .left = col_int(st, 1),
            .rate_cents = col_int(st, 2),
            .granted_on = col_date(st, 3),
        };
    }
    return ledger_read_end(st, rc, "credit grants", e);
}

void credit_grant_states_free(struct credit_grant_state *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(g[i].package);
    free(g);
}

int credits_grants_of_invoice(struct ledger *lg, int64_t invoice,
                              struct credit_grant_state **out, size_t *n,
                              struct err *e)
{
    static const char *const sql =
        "SELECT g.id, g.credits, g.withdrawn, g.rate_cents, (SELECT "
        "COALESCE(SUM(u.credits), 0) FROM credit_uses u WHERE u.grant_id = "
        "g.id AND u.returned = 0), g.package FROM credit_grants g JOIN "
        "invoice_lines l ON l.id = g.invoice_line WHERE l.invoice = ?1 "
        "ORDER BY g.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_grant_state){
            .id = col_int(st, 0),
            .credits = col_int(st, 1),
            .withdrawn = col_int(st, 2),
            .rate_cents = col_int(st, 3),
            .used = col_int(st, 4),
            .package = col_text(st, 5),
        };
    }
    if (ledger_read_end(st, rc, "credit grants", e) != 0) {
        credit_grant_states_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int credits_grant_set_withdrawn(struct ledger *lg, int64_t grant,
                                int64_t withdrawn, struct err *e)
{
    static const char *const sql =
        "UPDATE credit_grants SET withdrawn = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, grant);
    bind_int(st, 2, withdrawn);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ invoices */

void credit_product_lines_free(struct credit_product_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i].code);
    free(l);
}

int credits_product_lines(struct ledger *lg, int64_t invoice,
                          struct credit_product_line **out, size_t *n,
                          struct err *e)
{
    static const char *const sql =
        "SELECT id, position, ref, qty100 FROM invoice_lines WHERE invoice = "
        "?1 AND source = 'product' ORDER BY position";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_product_line){
            .line = col_int(st, 0),
            .position = col_int(st, 1),
            .code = col_text(st, 2),
            .qty100 = col_int(st, 3),
        };
    }
    if (ledger_read_end(st, rc, "invoice lines", e) != 0) {
        credit_product_lines_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void credit_invoice_free(struct credit_invoice *ci)
{
    free(ci->number);
    free(ci->account);
    free(ci->last_credit_note);
    memset(ci, 0, sizeof *ci);
}

int credits_invoice_get(struct ledger *lg, int64_t invoice,
                        struct credit_invoice *out, struct err *e)
{
    static const char *const sql =
        "SELECT i.number, i.account, i.total_cents, (SELECT COALESCE(SUM("
        "-c.total_cents), 0) FROM invoices c WHERE c.credit_of = i.id), "
        "(SELECT c.number FROM invoices c WHERE c.credit_of = i.id ORDER BY "
        "c.id DESC LIMIT 1) FROM invoices i WHERE i.id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW) {
        if (ledger_read_end(st, rc, "an invoice", e) != 0)
            return -1;
        err_set(e, "no invoice with id %lld", (long long)invoice);
        return 1;
    }
    out->number = col_text(st, 0);
    out->account = col_text(st, 1);
    out->total_cents = col_int(st, 2);
    out->credited_cents = col_int(st, 3);
    out->last_credit_note = col_text(st, 4);
    ledger_reset(st);
    return 0;
}

/* ================================================================ uses */

int credits_use_insert(struct ledger *lg, int64_t grant,
                       const char *appointment, int64_t credits,
                       struct err *e)
{
    static const char *const sql =
        "INSERT INTO credit_uses(grant_id, appointment, credits) VALUES (?1, "
        "?2, ?3)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, grant);
    bind_text(st, 2, appointment);
    bind_int(st, 3, credits);
    return ledger_done(lg, st, NULL, e);
}

int credits_uses_return(struct ledger *lg, const char *appointment,
                        struct err *e)
{
    static const char *const sql =
        "UPDATE credit_uses SET returned = 1 WHERE appointment = ?1 AND "
        "returned = 0";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, appointment);
    return ledger_done(lg, st, NULL, e);
}

int credits_use_invoices(struct ledger *lg, const char *appointment,
                         int64_t **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT DISTINCT l.invoice FROM credit_uses u JOIN credit_grants g ON "
        "g.id = u.grant_id JOIN invoice_lines l ON l.id = g.invoice_line "
        "WHERE u.appointment = ?1 AND u.returned = 0";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, appointment);
    return ledger_read_ints(st, "credit uses", out, n, e);
}

/* ================================================================ appointments */

int credits_appointment_insert(struct ledger *lg,
                               const struct appointment_row *a,
                               struct err *e)
{
    static const char *const sql =
        "INSERT INTO appointments(id, account, type, at, status, created) "
        "VALUES (?1, ?2, ?3, ?4, 'booked', ?5)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, a->id);
    bind_text(st, 2, a->account);
    bind_text(st, 3, a->type);
    bind_date(st, 4, a->at);
    bind_date(st, 5, a->created);
    return ledger_done(lg, st, NULL, e);
}

int credits_appointment_exists(struct ledger *lg, const char *id)
{
    static const char *const sql = "SELECT 1 FROM appointments WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    return ledger_has_row(st);
}

int64_t credits_appointment_count(struct ledger *lg)
{
    static const char *const sql = "SELECT COUNT(*) FROM appointments";
    return ledger_first_int(ledger_stmt(lg, sql), 0);
}

int credits_appointment_get(struct ledger *lg, const char *id,
                            struct appointment_state *out, struct err *e)
{
    static const char *const sql =
        "SELECT a.status, i.number, i.total_cents - (SELECT COALESCE(SUM("
        "-c.total_cents), 0) FROM invoices c WHERE c.credit_of = i.id) FROM "
        "appointments a LEFT JOIN invoices i ON i.id = a.invoice WHERE "
        "a.id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW) {
        if (ledger_read_end(st, rc, "an appointment", e) != 0)
            return -1;
        err_set(e, "no appointment '%s'", id);
        return 1;
    }
    out->status = status_of(col_ctext(st, 0));
    out->invoice = col_text(st, 1);
    out->open_cents = col_int(st, 2);
    ledger_reset(st);
    return 0;
}

int credits_appointment_set_status(struct ledger *lg, const char *id,
                                   enum appointment_status status,
                                   struct err *e)
{
    static const char *const sql =
        "UPDATE appointments SET status = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    bind_text(st, 2, status_name(status));
    return ledger_done(lg, st, NULL, e);
}

int credits_appointment_set_invoice(struct ledger *lg, const char *id,
                                    int64_t invoice, struct err *e)
{
    static const char *const sql =
        "UPDATE appointments SET invoice = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    bind_int(st, 2, invoice);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ journal */

int credits_journal_insert(struct ledger *lg, const struct journal_entry *je,
                           struct err *e)
{
    static const char *const sql =
        "INSERT INTO journal(on_date, account_code, debit_cents, "
        "credit_cents, description, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, je->on);
    bind_text(st, 2, je->account_code);
    bind_int(st, 3, je->debit_cents);
    bind_int(st, 4, je->credit_cents);
    bind_text(st, 5, je->description);
    bind_text(st, 6, je->source);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "journal");
    return 0;
}

/* Collect the rows of a journal query (columns on_date, account_code,
 * debit_cents, credit_cents, description, source). */
static int journal_rows(struct ledger *lg, struct ledger_stmt *st,
                        struct journal_entry **out, size_t *n, struct err *e)
{
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct journal_entry){
            .on = col_date(st, 0),
            .account_code = col_text(st, 1),
            .debit_cents = col_int(st, 2),
            .credit_cents = col_int(st, 3),
            .description = col_text(st, 4),
            .source = col_text(st, 5),
        };
    }
    if (ledger_read_end(st, rc, "journal", e) != 0) {
        journal_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int credits_journal_of_source(struct ledger *lg, const char *source,
                              struct journal_entry **out, size_t *n,
                              struct err *e)
{
    static const char *const sql =
        "SELECT on_date, account_code, debit_cents, credit_cents, "
        "description, source FROM journal WHERE source = ?1 ORDER BY id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, source);
    return journal_rows(lg, st, out, n, e);
}

int credits_journal_all(struct ledger *lg, struct journal_entry **out,
                        size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT on_date, account_code, debit_cents, credit_cents, "
        "description, source FROM journal ORDER BY on_date, id";
    return journal_rows(lg, ledger_stmt(lg, sql), out, n, e);
}

int64_t credits_journal_imbalance(struct ledger *lg)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(debit_cents), 0) - COALESCE(SUM(credit_cents), "
        "0) FROM journal";
    return ledger_first_int(ledger_stmt(lg, sql), 0);
}

/* ================================================================ balances */

int credits_balance(struct ledger *lg, const char *account,
                    const char *package, struct credit_balance *out,
                    struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(g.credits), 0), COALESCE(SUM(u.used), 0), "
        "COALESCE(SUM(g.withdrawn), 0), COALESCE(SUM((g.credits - "
        "g.withdrawn - COALESCE(u.used, 0)) * g.rate_cents), 0), "
        "COALESCE(SUM(g.credits - g.withdrawn - COALESCE(u.used, 0)), 0) FROM "
        "credit_grants g LEFT JOIN (SELECT grant_id, SUM(credits) AS used "
        "FROM credit_uses WHERE returned = 0 GROUP BY grant_id) u ON "
        "u.grant_id = g.id WHERE g.account = ?1 AND g.package = ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        out->granted = col_int(st, 0);
        out->consumed = col_int(st, 1);
        out->withdrawn = col_int(st, 2);
        out->balance_cents = col_int(st, 3);
        out->balance = col_int(st, 4);
    }
    return ledger_read_end(st, rc, "credit balances", e);
}

void credit_totals_free(struct credit_totals *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].account);
        free(t[i].package);
    }
    free(t);
}

int credits_totals(struct ledger *lg, const char *account,
                   struct credit_totals **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT g.account, g.package, SUM(g.credits), SUM(COALESCE(u.used, "
        "0)), SUM(g.withdrawn), SUM(g.credits - g.withdrawn - COALESCE("
        "u.used, 0)), SUM((g.credits - g.withdrawn - COALESCE(u.used, 0)) * "
        "g.rate_cents) FROM credit_grants g LEFT JOIN (SELECT grant_id, "
        "SUM(credits) AS used FROM credit_uses WHERE returned = 0 GROUP BY "
        "grant_id) u ON u.grant_id = g.id WHERE ?1 IS NULL OR g.account = "
        "?1 GROUP BY g.account, g.package ORDER BY g.account, g.package";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_totals){
            .account = col_text(st, 0),
            .package = col_text(st, 1),
            .granted = col_int(st, 2),
            .consumed = col_int(st, 3),
            .withdrawn = col_int(st, 4),
            .balance = col_int(st, 5),
            .balance_cents = col_int(st, 6),
        };
    }
    if (ledger_read_end(st, rc, "credit totals", e) != 0) {
        credit_totals_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* ================================================================ history */

void credit_grant_histories_free(struct credit_grant_history *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(g[i].invoice);
    free(g);
}

int credits_history_grants(struct ledger *lg, const char *account,
                           const char *package,
                           struct credit_grant_history **out, size_t *n,
                           struct err *e)
{
    static const char *const sql =
        "SELECT g.id, g.granted_on, g.credits, g.rate_cents, g.withdrawn, "
        "(SELECT COALESCE(SUM(u.credits), 0) FROM credit_uses u WHERE "
        "u.grant_id = g.id AND u.returned = 0), i.number, i.total_cents, "
        "(SELECT COALESCE(SUM(-x.total_cents), 0) FROM invoices x WHERE "
        "x.credit_of = i.id) FROM credit_grants g LEFT JOIN invoice_lines l "
        "ON l.id = g.invoice_line LEFT JOIN invoices i ON i.id = l.invoice "
        "WHERE g.account = ?1 AND g.package = ?2 ORDER BY g.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_grant_history){
            .id = col_int(st, 0),
            .granted_on = col_date(st, 1),
            .credits = col_int(st, 2),
            .rate_cents = col_int(st, 3),
            .withdrawn = col_int(st, 4),
            .used = col_int(st, 5),
            .invoice = col_text(st, 6),
            .total_cents = col_int(st, 7),
            .credited_cents = col_int(st, 8),
        };
    }
    if (ledger_read_end(st, rc, "credit grants", e) != 0) {
        credit_grant_histories_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void credit_use_histories_free(struct credit_use_history *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(u[i].appointment);
        free(u[i].type);
    }
    free(u);
}

int credits_history_uses(struct ledger *lg, const char *account,
                         const char *package, struct credit_use_history **out,
                         size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT u.id, a.created, a.id, a.type, a.at, u.credits, u.grant_id, "
        "g.rate_cents, u.returned, a.rowid FROM credit_uses u JOIN "
        "credit_grants g ON g.id = u.grant_id JOIN appointments a ON a.id = "
        "u.appointment WHERE g.account = ?1 AND g.package = ?2 ORDER BY u.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_use_history){
            .id = col_int(st, 0),
            .created = col_date(st, 1),
            .appointment = col_text(st, 2),
            .type = col_text(st, 3),
            .at = col_date(st, 4),
            .credits = col_int(st, 5),
            .grant = col_int(st, 6),
            .rate_cents = col_int(st, 7),
            .returned = col_int(st, 8) != 0,
            .appointment_seq = col_int(st, 9),
        };
    }
    if (ledger_read_end(st, rc, "credit uses", e) != 0) {
        credit_use_histories_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void credit_invoiced_appointments_free(struct credit_invoiced_appointment *a,
                                       size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].id);
        free(a[i].type);
        free(a[i].invoice);
    }
    free(a);
}

int credits_invoiced_appointments(struct ledger *lg, const char *account,
                                  struct credit_invoiced_appointment **out,
                                  size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT a.rowid, a.created, a.id, a.type, a.at, i.number, a.status "
        "FROM appointments a JOIN invoices i ON i.id = a.invoice WHERE "
        "a.account = ?1 ORDER BY a.rowid";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_invoiced_appointment){
            .seq = col_int(st, 0),
            .created = col_date(st, 1),
            .id = col_text(st, 2),
            .type = col_text(st, 3),
            .at = col_date(st, 4),
            .invoice = col_text(st, 5),
            .status = status_of(col_ctext(st, 6)),
        };
    }
    if (ledger_read_end(st, rc, "appointments", e) != 0) {
        credit_invoiced_appointments_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* ================================================================ moves */

void credit_moves_free(struct credit_move *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].account);
        free(m[i].package);
        free(m[i].what);
    }
    free(m);
}

int credits_moves(struct ledger *lg, const char *account, cdate to,
                  struct credit_move **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT account, package, on_date, kind, credits, grant_id, "
        "rate_cents, what FROM ("
        "SELECT g.account, g.package, g.granted_on AS on_date, 0 AS kind, "
        "g.credits, g.id AS grant_id, g.rate_cents, "
        "COALESCE('invoice ' || i.number, 'import') AS what "
        "FROM credit_grants g LEFT JOIN invoice_lines l ON l.id = "
        "g.invoice_line LEFT JOIN invoices i ON i.id = l.invoice "
        "UNION ALL SELECT g.account, g.package, CASE WHEN a.at > a.created "
        "THEN a.at ELSE a.created END, 1, u.credits, g.id, g.rate_cents, "
        "'appointment ' || a.id FROM credit_uses u "
        "JOIN credit_grants g ON g.id = u.grant_id "
        "JOIN appointments a ON a.id = u.appointment WHERE u.returned = 0 "
        "UNION ALL SELECT g.account, g.package, COALESCE(x.issued, "
        "g.granted_on), 2, g.withdrawn, g.id, g.rate_cents, "
        "COALESCE('credit note ' || x.number, 'withdrawn') "
        "FROM credit_grants g LEFT JOIN invoice_lines l ON l.id = "
        "g.invoice_line LEFT JOIN invoices x ON x.id = (SELECT y.id FROM "
        "invoices y WHERE y.credit_of = l.invoice ORDER BY y.issued DESC, "
        "y.id DESC LIMIT 1) WHERE g.withdrawn > 0) m "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR account = ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR on_date <= ?2) "
        "ORDER BY account, package, on_date, kind, grant_id, what";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct credit_move){
            .account = col_text(st, 0),
            .package = col_text(st, 1),
            .on = col_date(st, 2),
            .kind = (enum credit_move_kind)col_int(st, 3),
            .credits = col_int(st, 4),
            .grant = col_int(st, 5),
            .rate_cents = col_int(st, 6),
            .what = col_text(st, 7),
        };
    }
    if (ledger_read_end(st, rc, "credit movements", e) != 0) {
        credit_moves_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
