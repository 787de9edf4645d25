/*
 * invoices.c — SQL of the invoices and invoice_lines tables (and the
 * accounts and collections rows an invoice is read with).
 */
#include "store/invoices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/billing.h"

/* ================================================================ helpers */

static enum invoice_kind kind_from_name(const char *s)
{
    for (int k = INV_SUBSCRIPTION; k <= INV_CREDIT; k++)
        if (s && !strcmp(invoice_kind_name((enum invoice_kind)k), s))
            return (enum invoice_kind)k;
    return INV_PRODUCT;
}

static enum invoice_status status_from_name(const char *s)
{
    return s && !strcmp(s, "paid")       ? ST_PAID
           : s && !strcmp(s, "credited") ? ST_CREDITED
                                         : ST_OPEN;
}

/* Append the stored lines of invoice inv->id to inv, amounts as stored. */
static int read_lines(struct ledger *lg, struct invoice *inv, struct err *e)
{
    static const char *const sql =
        "SELECT description, qty100, unit_cents, amount_cents, vat_id, "
        "vat_bp, vat_exempt, vat_text, source, subscription, period_start, "
        "period_end, ref, why FROM invoice_lines WHERE invoice = ?1 "
        "ORDER BY position";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, inv->id);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        struct invoice_line *l = invoice_add_line(
            inv, col_ctext(st, 0), col_int(st, 1), col_int(st, 2),
            col_ctext(st, 4), (int32_t)col_int(st, 5), (int)col_int(st, 6),
            col_ctext(st, 7));
        l->amount_cents = col_int(st, 3); /* as stored, never recomputed */
        l->source = col_text(st, 8);
        l->subscription = col_int(st, 9);
        l->period_start = col_date(st, 10);
        l->period_end = col_date(st, 11);
        l->ref = col_text(st, 12);
        l->why = col_text(st, 13);
        /* "": the sentence the line's own columns give (invoices_insert). */
        char *derived = l->why && !*l->why ? billing_why_derived(l) : NULL;
        if (derived) {
            free(l->why);
            l->why = derived;
        }
    }
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading the lines of invoice %s: %s", inv->number,
                       ledger_errmsg(lg));
    return 0;
}

/* ================================================================ insert */

int invoices_insert(struct ledger *lg, struct invoice *inv, int64_t seq,
                    const char *locale, int64_t run, struct err *e)
{
    /* A credit note names the invoice it corrects: only its statement
     * looks that invoice up (every other insert would probe the number
     * index for nothing). */
#define INS_INV(credit_of)                                                   \
        "INSERT INTO invoices(number, series, seq, kind, account, supplier, " \
        "issued, due, locale, prices_include_vat, net_cents, vat_cents, "    \
        "total_cents, paid_cents, status, credit_of, direct_debit, "         \
        "payment_reference, rules_hash, practitioner, run, mail) VALUES "   \
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, "       \
        "'open', " credit_of ", ?15, ?16, ?17, ?18, ?19, ?20)"
    static const char *const ins_credit =
        INS_INV("(SELECT id FROM invoices WHERE number = ?14)");
    static const char *const ins_inv = INS_INV("NULL");
#undef INS_INV
    static const char *const ins_line =
        "INSERT INTO invoice_lines(invoice, position, description, qty100, "
        "unit_cents, amount_cents, vat_id, vat_bp, vat_exempt, vat_text, "
        "source, subscription, period_start, period_end, ref, why, "
        "credits_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17)";
    struct ledger_stmt *st = ledger_stmt(lg, inv->credit_of ? ins_credit
                                                            : ins_inv);
    bind_text(st, 1, inv->number);
    bind_text(st, 2, inv->series);
    bind_int(st, 3, seq);
    bind_text(st, 4, invoice_kind_name(inv->kind));
    bind_text(st, 5, inv->to.id);
    bind_text(st, 6, inv->supplier.id);
    bind_date(st, 7, inv->issued);
    bind_date(st, 8, inv->due);
    bind_text(st, 9, locale);
    bind_int(st, 10, inv->prices_include_vat);
    bind_int(st, 11, inv->net_cents);
    bind_int(st, 12, inv->vat_cents);
    bind_int(st, 13, inv->total_cents);
    if (inv->credit_of)
        bind_text(st, 14, inv->credit_of);
    bind_int(st, 15, inv->direct_debit);
    bind_text(st, 16, inv->payment_reference);
    bind_text(st, 17, inv->rules_hash);
    bind_text(st, 18, inv->practitioner);
    if (run)
        bind_int(st, 19, run);
    bind_text(st, 20, inv->mail);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "invoice %s", inv->number);
    inv->id = ledger_last_id(lg);

    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        const char *vat_text = NULL;
        for (size_t j = 0; j < inv->n_vats; j++)
            if (!strcmp(inv->vats[j].vat_id, l->vat_id))
                vat_text = inv->vats[j].exempt_text;
        st = ledger_stmt(lg, ins_line);
        bind_int(st, 1, inv->id);
        bind_int(st, 2, (int64_t)i + 1);
        bind_text(st, 3, l->description);
        bind_int(st, 4, l->qty100);
        bind_int(st, 5, l->unit_cents);
        bind_int(st, 6, l->amount_cents);
        bind_text(st, 7, l->vat_id);
        bind_int(st, 8, l->vat_bp);
        bind_int(st, 9, l->vat_exempt);
        bind_text(st, 10, l->vat_exempt ? vat_text : NULL);
        bind_text(st, 11, l->source);
        if (l->subscription && inv->kind != INV_CREDIT)
            bind_int(st, 12, l->subscription);
        bind_date(st, 13, l->period_start);
        bind_date(st, 14, l->period_end);
        bind_text(st, 15, l->ref);
        /* A sentence the line's own columns rebuild is stored as "". */
        int same = l->why_derived;
        if (!same && l->why) {
            char *derived = billing_why_derived(l);
            same = derived && !strcmp(derived, l->why);
            free(derived);
        }
        bind_text(st, 16, same ? "" : l->why);
        int dup = 0;
        if (ledger_done(lg, st, &dup, e) != 0)
            return err_prefix(e, "invoice %s line %zu", inv->number, i + 1);
        if (dup) {
            char d[11];
            return err_set(e, "subscription %lld period starting %s is already "
                              "billed", (long long)l->subscription,
                           date_fmt(l->period_start, d));
        }
    }
    return 0;
}

/* ================================================================ load */

int invoices_party(struct ledger *lg, const char *account, struct party *p,
                   char **locale, struct err *e)
{
    static const char *const sql =
        "SELECT a.id, a.name, a.email, a.address, a.vat_number, a.iban, "
        "a.locale, m.kvk FROM accounts a LEFT JOIN mediation_accounts m "
        "ON m.account = a.id WHERE a.id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no account '%s'", account);
    }
    p->id = col_text(st, 0);
    p->name = col_text(st, 1);
    p->email = col_text(st, 2);
    p->address = col_text(st, 3);
    p->vat_number = col_text(st, 4);
    p->iban = col_text(st, 5);
    if (locale && !*locale)
        *locale = col_text(st, 6);
    p->kvk = col_text(st, 7); /* a supplier's KvK (migration 008) */
    ledger_reset(st);
    return 0;
}

static int load_where(struct ledger *lg, const char *number, int64_t id,
                      struct invoice *inv, struct err *e)
{
    static const char *const by_number =
        "SELECT i.id, i.number, i.series, i.kind, i.status, i.account, "
        "i.supplier, i.issued, i.due, i.locale, i.prices_include_vat, "
        "i.direct_debit, i.net_cents, i.vat_cents, i.total_cents, "
        "i.paid_cents, c.number, i.payment_reference, i.rules_hash, "
        "i.practitioner FROM invoices i LEFT JOIN invoices c "
        "ON c.id = i.credit_of WHERE i.number = ?1";
    static const char *const by_id =
        "SELECT i.id, i.number, i.series, i.kind, i.status, i.account, "
        "i.supplier, i.issued, i.due, i.locale, i.prices_include_vat, "
        "i.direct_debit, i.net_cents, i.vat_cents, i.total_cents, "
        "i.paid_cents, c.number, i.payment_reference, i.rules_hash, "
        "i.practitioner FROM invoices i LEFT JOIN invoices c "
        "ON c.id = i.credit_of WHERE i.id = ?1";
    memset(inv, 0, sizeof *inv);
    struct ledger_stmt *st = ledger_stmt(lg, number ? by_number : by_id);
    if (number)
        bind_text(st, 1, number);
    else
        bind_int(st, 1, id);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        if (number)
            err_set(e, "no invoice '%s'", number);
        else
            err_set(e, "no invoice with id %lld", (long long)id);
        return 1;
    }
    inv->id = col_int(st, 0);
    inv->number = col_text(st, 1);
    inv->series = col_text(st, 2);
    inv->kind = kind_from_name(col_ctext(st, 3));
    inv->status = status_from_name(col_ctext(st, 4));
    char *account = col_text(st, 5);
    char *supplier = col_text(st, 6);
    inv->issued = col_date(st, 7);
    inv->due = col_date(st, 8);
    inv->locale = col_text(st, 9);
    inv->prices_include_vat = (int)col_int(st, 10);
    inv->direct_debit = (int)col_int(st, 11);
    inv->net_cents = col_int(st, 12);
    inv->vat_cents = col_int(st, 13);
    inv->total_cents = col_int(st, 14);
    inv->paid_cents = col_int(st, 15);
    inv->credit_of = col_text(st, 16);
    inv->payment_reference = col_text(st, 17);
    inv->rules_hash = col_text(st, 18);
    inv->practitioner = col_text(st, 19);
    ledger_reset(st);

    int rc = read_lines(lg, inv, e);
    /* The VAT summary is derived from the stored lines only. */
    int64_t net = inv->net_cents, vat = inv->vat_cents, tot = inv->total_cents;
    invoice_totals(inv);
    inv->net_cents = net, inv->vat_cents = vat, inv->total_cents = tot;

    if (rc == 0)
        rc = invoices_party(lg, account, &inv->to, &inv->locale, e);
    if (rc == 0 && supplier)
        rc = invoices_party(lg, supplier, &inv->supplier, NULL, e);
    free(account);
    free(supplier);
    return rc;
}

int invoices_load(struct ledger *lg, const char *number, struct invoice *out,
                  struct err *e)
{
    return load_where(lg, number, 0, out, e);
}

int invoices_load_id(struct ledger *lg, int64_t id, struct invoice *out,
                     struct err *e)
{
    return load_where(lg, NULL, id, out, e);
}

/* ================================================================ bookings */

int invoices_find(struct ledger *lg, const char *number, int64_t *id,
                  struct err *e)
{
    static const char *const sql = "SELECT id FROM invoices WHERE number = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, number);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        err_set(e, "no invoice '%s'", number);
        return 1;
    }
    *id = col_int(st, 0);
    ledger_reset(st);
    return 0;
}

int invoices_head(struct ledger *lg, int64_t id, struct invoice_head *h,
                  struct err *e)
{
    static const char *const sql =
        "SELECT number, kind, status, total_cents, paid_cents, issued, "
        "account FROM invoices WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        err_set(e, "no invoice with id %lld", (long long)id);
        return 1;
    }
    h->id = id;
    snprintf(h->number, sizeof h->number, "%s", col_ctext(st, 0));
    h->kind = kind_from_name(col_ctext(st, 1));
    h->status = status_from_name(col_ctext(st, 2));
    h->total_cents = col_int(st, 3);
    h->paid_cents = col_int(st, 4);
    h->issued = col_date(st, 5);
    snprintf(h->account, sizeof h->account, "%s", col_ctext(st, 6));
    ledger_reset(st);
    return 0;
}

int invoices_credited(struct ledger *lg, int64_t id, int64_t *cents,
                      struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(-total_cents), 0) FROM invoices "
        "WHERE credit_of = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    *cents = ledger_first_int(st, 0);
    return 0;
}

int invoices_sums(struct ledger *lg, int64_t id, struct invoice_sums *s,
                  struct err *e)
{
    static const char *const sql =
        "SELECT i.total_cents, "
        "COALESCE(SUM(CASE WHEN p.method = 'credit_note' OR p.method = "
        "'reversal' THEN 0 ELSE p.amount_cents END), 0), "
        "COALESCE(SUM(CASE WHEN p.method = 'credit_note' THEN p.amount_cents "
        "ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN p.method = 'reversal' THEN -p.amount_cents "
        "ELSE 0 END), 0) "
        "FROM invoices i LEFT JOIN payments p ON p.invoice = i.id "
        "WHERE i.id = ?1 GROUP BY i.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW) {
        ledger_reset(st);
        if (rc == LEDGER_ERROR)
            return err_set(e, "settling invoice: %s", ledger_errmsg(lg));
        err_set(e, "no invoice with id %lld", (long long)id);
        return 1;
    }
    s->total_cents = col_int(st, 0);
    s->paid_cents = col_int(st, 1);
    s->credited_cents = col_int(st, 2);
    s->reversed_cents = col_int(st, 3);
    ledger_reset(st);
    return 0;
}

int invoices_set_status(struct ledger *lg, int64_t id, int64_t paid_cents,
                        enum invoice_status status, struct err *e)
{
    static const char *const sql =
        "UPDATE invoices SET paid_cents = ?2, status = ?3 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_int(st, 2, paid_cents);
    bind_text(st, 3, invoice_status_name(status));
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "settling invoice");
    return 0;
}

int invoices_collection_reversed(struct ledger *lg, int64_t id, int *yes,
                                 struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM collections WHERE invoice = ?1 AND reversed = 1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    *yes = ledger_has_row(st);
    return 0;
}

/* ================================================================ lists */

int invoices_list(struct ledger *lg, const char *account, int with_lines,
                  struct invoice **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT i.id, i.number, i.kind, i.account, i.issued, i.due, i.status, "
        "i.total_cents, i.vat_cents, i.paid_cents, c.number, i.series, "
        "i.supplier, i.payment_reference FROM invoices i "
        "LEFT JOIN invoices c ON c.id = i.credit_of "
        "WHERE ?1 IS NULL OR i.account = ?1 ORDER BY i.id";
    struct invoice *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        struct invoice *inv = &v[k++];
        memset(inv, 0, sizeof *inv);
        inv->id = col_int(st, 0);
        inv->number = col_text(st, 1);
        inv->kind = kind_from_name(col_ctext(st, 2));
        inv->to.id = col_text(st, 3);
        inv->issued = col_date(st, 4);
        inv->due = col_date(st, 5);
        inv->status = status_from_name(col_ctext(st, 6));
        inv->total_cents = col_int(st, 7);
        inv->vat_cents = col_int(st, 8);
        inv->paid_cents = col_int(st, 9);
        inv->credit_of = col_text(st, 10);
        inv->series = col_text(st, 11);
        inv->supplier.id = col_text(st, 12);
        inv->payment_reference = col_text(st, 13);
    }
    ledger_reset(st);
    if (rc == LEDGER_ERROR) {
        invoices_list_free(v, k);
        return err_set(e, "listing invoices: %s", ledger_errmsg(lg));
    }
    /* Lines after the list: one statement at a time. */
    for (size_t i = 0; with_lines && i < k; i++)
        if (read_lines(lg, &v[i], e) != 0) {
            invoices_list_free(v, k);
            return -1;
        }
    *out = v;
    *n = k;
    return 0;
}

void invoices_list_free(struct invoice *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        invoice_free(&v[i]);
    free(v);
}

/* ============================================== questions of the daily run */

/* One optional row: *found, and column 0 through the caller. */
static int probe(struct ledger *lg, struct ledger_stmt *st, int *found,
                 const char *what, struct err *e)
{
    int rc = ledger_step(st);
    *found = rc == LEDGER_ROW;
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading %s: %s", what, ledger_errmsg(lg));
    return 0;
}

int invoices_last_issued(struct ledger *lg, cdate *d, struct err *e)
{
    /* Numbers follow dates within each series (usecase/issue.c), and each
     * series keeps the date of its last number: the latest of those is
     * the latest issue date, one row per series. The numbers the open
     * transaction took are written at its commit: their dates count from
     * the counters. */
    static const char *const sql = "SELECT MAX(last_issued) FROM series";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc = ledger_step(st);
    *d = rc == LEDGER_ROW ? col_date(st, 0) : CDATE_NONE;
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading the last issue date: %s",
                       ledger_errmsg(lg));
    cdate held;
    if (ledger_series_latest(lg, &held) && (*d == CDATE_NONE || held > *d))
        *d = held;
    return 0;
}

int invoices_last_issued_series(struct ledger *lg, const char *series,
                                cdate *d, struct err *e)
{
    static const char *const sql =
        "SELECT last_issued FROM series WHERE id = ?1";
    if (ledger_series_date(lg, series, d))
        return 0; /* numbered in the open transaction, not yet written */
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, series);
    int rc = ledger_step(st);
    *d = rc == LEDGER_ROW ? col_date(st, 0) : CDATE_NONE;
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading the last issue date of series %s: %s",
                       series, ledger_errmsg(lg));
    return 0;
}

int invoices_any_direct_debit(struct ledger *lg, const char *account,
                              int *any, struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM invoices WHERE account = ?1 AND direct_debit = 1 "
        "LIMIT 1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    return probe(lg, st, any, "direct-debit invoices", e);
}

int invoices_period_billed(struct ledger *lg, int64_t sub, cdate start,
                           int *billed, struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM invoice_lines WHERE subscription = ?1 AND "
        "period_start = ?2 AND credits_line IS NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, start);
    return probe(lg, st, billed, "billed periods", e);
}

int invoices_reference_taken(struct ledger *lg, const char *ref, int *taken,
                             struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM invoices WHERE payment_reference = ?1 LIMIT 1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, ref);
    int rc = ledger_step(st);
    *taken = rc == LEDGER_ROW;
    ledger_reset(st);
    if (rc == LEDGER_ERROR)
        return err_set(e, "reading payment reference %s: %s", ref,
                       ledger_errmsg(lg));
    return 0;
}
