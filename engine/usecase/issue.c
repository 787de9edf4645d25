/*
 * issue.c — invoices into and out of the ledger: gapless numbering per
 * series (per year when the format names the year), lines with their own
 * prices and VAT, credit notes that reference what they correct.
 */
#include "usecase/issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usecase/payment.h"

/* The series key and number pattern for an invoice. */
static const char *series_pattern(const struct rules *r,
                                  const struct invoice *inv, char *key,
                                  size_t keylen, int year)
{
    const struct practice *p = &r->practice;
    const char *pattern = p->number_format;
    const char *base = "invoice";
    if (inv->kind == INV_CREDIT && p->credit_number_format) {
        pattern = p->credit_number_format;
        base = "credit";
    }
    if (inv->kind == INV_SELFBILL && inv->supplier.id) {
        pattern = "{supplier}-{year}-{seq:4}";
        snprintf(key, keylen, "selfbill:%s:%d", inv->supplier.id, year);
        return pattern;
    }
    if (strstr(pattern, "{year}"))
        snprintf(key, keylen, "%s:%d", base, year);
    else
        snprintf(key, keylen, "%s", base);
    return pattern;
}

int issue_invoice(struct engine *eng,
                  struct invoice *inv, int64_t run, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const ins_inv =
        "INSERT INTO invoices(number, series, seq, kind, account, supplier, "
        "issued, due, locale, prices_include_vat, net_cents, vat_cents, "
        "total_cents, paid_cents, status, credit_of, direct_debit, "
        "payment_reference, rules_hash, practitioner, run) VALUES (?1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 'open', "
        "(SELECT id FROM invoices WHERE number = ?14), ?15, ?16, ?17, ?18, "
        "?19)";
    static const char *const ins_line =
        "INSERT INTO invoice_lines(invoice, position, description, qty100, "
        "unit_cents, amount_cents, vat_id, vat_bp, vat_exempt, vat_text, "
        "source, subscription, period_start, period_end, ref, why, "
        "credits_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17)";
    int y, m, d;
    char key[128];
    int64_t seq = 0;

    invoice_totals(inv);
    date_to_ymd(inv->issued, &y, &m, &d);
    const char *pattern = series_pattern(r, inv, key, sizeof key, y);
    if (ledger_next_seq(lg, key, &seq, e) != 0)
        return -1;
    free(inv->number);
    free(inv->series);
    inv->number = invoice_number_format(pattern, y, seq, inv->supplier.id);
    inv->series = xstrdup(key);
    /* The payment reference is built from the number's digits, so it is
     * unique whenever numbers are. */
    uint64_t digits = 0;
    for (const char *p = inv->number; *p; p++)
        if (*p >= '0' && *p <= '9')
            digits = (digits * 10 + (uint64_t)(*p - '0')) % 1000000000000000ULL;
    char ref[17];
    payment_reference(digits, ref);
    free(inv->payment_reference);
    inv->payment_reference = xstrdup(ref);
    if (!inv->rules_hash)
        inv->rules_hash = xstrdup(r->hash);

    struct ledger_stmt *st = ledger_stmt(lg, ins_inv);
    bind_text(st, 1, inv->number);
    bind_text(st, 2, key);
    bind_int(st, 3, seq);
    bind_text(st, 4, invoice_kind_name(inv->kind));
    bind_text(st, 5, inv->to.id);
    bind_text(st, 6, inv->supplier.id);
    bind_date(st, 7, inv->issued);
    bind_date(st, 8, inv->due);
    bind_text(st, 9, inv->locale ? inv->locale : r->practice.locale);
    bind_int(st, 10, inv->prices_include_vat);
    bind_int(st, 11, inv->net_cents);
    bind_int(st, 12, inv->vat_cents);
    bind_int(st, 13, inv->total_cents);
    bind_text(st, 14, inv->credit_of);
    bind_int(st, 15, inv->direct_debit);
    bind_text(st, 16, inv->payment_reference);
    bind_text(st, 17, inv->rules_hash);
    bind_text(st, 18, inv->practitioner);
    if (run)
        bind_int(st, 19, run);
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
        bind_text(st, 16, l->why);
        int dup = 0;
        if (ledger_done(lg, st, &dup, e) != 0)
            return err_prefix(e, "invoice %s line %zu", inv->number, i + 1);
        if (dup)
            return err_set(e, "subscription %lld period starting %s is already "
                              "billed", (long long)l->subscription,
                           date_fmt(l->period_start, key));
    }
    return 0;
}

int invoice_set_party(struct ledger *lg, const char *account, struct party *p,
                      char **locale, struct err *e)
{
    static const char *const sql =
        "SELECT id, name, email, address, vat_number, iban, locale "
        "FROM accounts WHERE id = ?1";
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
    ledger_reset(st);
    return 0;
}

static enum invoice_kind kind_from_name(const char *s)
{
    for (int k = INV_SUBSCRIPTION; k <= INV_CREDIT; k++)
        if (s && !strcmp(invoice_kind_name((enum invoice_kind)k), s))
            return (enum invoice_kind)k;
    return INV_PRODUCT;
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
    static const char *const lines =
        "SELECT description, qty100, unit_cents, amount_cents, vat_id, "
        "vat_bp, vat_exempt, vat_text, source, subscription, period_start, "
        "period_end, ref, why FROM invoice_lines WHERE invoice = ?1 "
        "ORDER BY position";
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
    const char *status = col_ctext(st, 4);
    inv->status = !strcmp(status, "paid") ? ST_PAID
                  : !strcmp(status, "credited") ? ST_CREDITED : ST_OPEN;
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

    st = ledger_stmt(lg, lines);
    bind_int(st, 1, inv->id);
    while (ledger_step(st) == LEDGER_ROW) {
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
    }
    ledger_reset(st);
    /* The VAT summary is derived from the stored lines only. */
    int64_t net = inv->net_cents, vat = inv->vat_cents, tot = inv->total_cents;
    invoice_totals(inv);
    inv->net_cents = net, inv->vat_cents = vat, inv->total_cents = tot;

    int rc = invoice_set_party(lg, account, &inv->to, &inv->locale, e);
    if (rc == 0 && supplier)
        rc = invoice_set_party(lg, supplier, &inv->supplier, NULL, e);
    free(account);
    free(supplier);
    return rc;
}

int invoice_load(struct ledger *lg, const char *number, struct invoice *out,
                 struct err *e)
{
    return load_where(lg, number, 0, out, e);
}

int invoice_load_id(struct ledger *lg, int64_t id, struct invoice *out,
                    struct err *e)
{
    return load_where(lg, NULL, id, out, e);
}

int issue_credit_note(struct engine *eng,
                      const char *number, int64_t amount, cdate today,
                      char **out_number, struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const credited_sql =
        "SELECT COALESCE(SUM(-total_cents), 0) FROM invoices "
        "WHERE credit_of = ?1";
    struct invoice orig, cn;
    int rc = invoice_load(lg, number, &orig, e);
    if (rc != 0)
        return -1;
    memset(&cn, 0, sizeof cn);
    if (orig.kind == INV_CREDIT) {
        invoice_free(&orig);
        return err_set(e, "%s is a credit note; it cannot be credited", number);
    }
    if (orig.issued > today) {
        char d[11];
        err_set(e, "invoice %s is dated %s, after today; a credit note cannot "
                   "precede what it corrects", number, date_fmt(orig.issued, d));
        invoice_free(&orig);
        return -1;
    }
    struct ledger_stmt *st = ledger_stmt(lg, credited_sql);
    bind_int(st, 1, orig.id);
    ledger_step(st);
    int64_t already = col_int(st, 0);
    ledger_reset(st);
    int64_t left = orig.total_cents - already;
    if (amount < 0)
        amount = left;
    if (amount <= 0 || amount > left) {
        char a[32], b[32], c[32];
        err_set(e, "invoice %s can be credited for at most %s (total %s, "
                   "already credited %s)", number, money_fmt(left, a),
                money_fmt(orig.total_cents, b), money_fmt(already, c));
        invoice_free(&orig);
        return -1;
    }

    cn.kind = INV_CREDIT;
    cn.issued = today;
    cn.due = today;
    cn.locale = xstrdup(orig.locale);
    cn.prices_include_vat = orig.prices_include_vat;
    cn.credit_of = xstrdup(orig.number);
    cn.practitioner = xstrdup(orig.practitioner);
    cn.to.id = xstrdup(orig.to.id);
    cn.supplier.id = xstrdup(orig.supplier.id);
    if (amount == orig.total_cents && already == 0) {
        /* Full credit: every line negated, with its own price and VAT. */
        for (size_t i = 0; i < orig.n_lines; i++) {
            const struct invoice_line *l = &orig.lines[i];
            const char *txt = NULL;
            for (size_t j = 0; j < orig.n_vats; j++)
                if (!strcmp(orig.vats[j].vat_id, l->vat_id))
                    txt = orig.vats[j].exempt_text;
            struct invoice_line *c = invoice_add_line(
                &cn, l->description, l->qty100, -l->unit_cents, l->vat_id,
                l->vat_bp, l->vat_exempt, txt);
            c->amount_cents = -l->amount_cents;
            c->source = xstrdup("credit");
            c->subscription = l->subscription;
            c->period_start = l->period_start;
            c->period_end = l->period_end;
            c->ref = xstrdup(l->ref);
            c->why = xasprintf("credits line %zu of invoice %s", i + 1,
                               orig.number);
        }
    } else {
        if (orig.n_vats != 1) {
            invoice_free(&orig);
            invoice_free(&cn);
            return err_set(e, "invoice %s has lines at %zu VAT rates: credit it "
                              "in full, or issue a new invoice", number,
                           orig.n_vats);
        }
        const struct invoice_vat *v = &orig.vats[0];
        /* Partial: one line at the invoice's rate, for the gross amount
         * when prices include VAT, else the net that yields it. */
        int64_t unit = amount;
        if (!orig.prices_include_vat && v->bp && !v->exempt)
            unit = muldiv_round(amount, 10000, 10000 + v->bp);
        char *desc = xasprintf("Correction to invoice %s", orig.number);
        struct invoice_line *c = invoice_add_line(&cn, desc, 100, -unit,
                                                  v->vat_id, v->bp, v->exempt,
                                                  v->exempt_text);
        free(desc);
        c->source = xstrdup("credit");
        c->why = xasprintf("partial credit of invoice %s", orig.number);
    }
    rc = issue_invoice(eng, &cn, 0, e);
    if (rc == 0)
        rc = payment_apply_credit(eng, orig.id, cn.id, -cn.total_cents,
                                  today, e);
    if (rc == 0)
        *out_number = xstrdup(cn.number);
    invoice_free(&orig);
    invoice_free(&cn);
    return rc;
}
