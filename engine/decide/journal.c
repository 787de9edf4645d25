/*
 * journal.c — the bookings of decide/journal.h: balanced pairs of lines
 * for invoices, payments, balance movements and package credits, with
 * descriptions in the practice's language.
 */
#include "decide/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct journal_codes journal_codes_default(void)
{
    return (struct journal_codes){"1300", "1100", "1500", "8000", "1700",
                                  "1600", "7000", "1520"};
}

void jlines_free(struct jlines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].code);
        free(l->v[i].description);
        free(l->v[i].source);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* ---------------------------------------------------------------- words */

enum word {
    W_INVOICE, W_CREDIT_NOTE, W_SALES, W_VAT, W_RECEIVED, W_REVERSAL,
    W_REFUND, W_BALANCE_APPLIED, W_OVERPAYMENT, W_BALANCE_REFUND, W_UNDO,
    W_EXEMPT, W_WITHHELD, W_PURCHASES, W_VAT_INPUT, W_TRANSFER, W_COUNT
};

/* The words of each language; English for any other locale. */
static const char *word(const char *locale, enum word w)
{
    static const char *const nl[W_COUNT] = {
        "factuur", "creditnota", "omzet", "btw", "ontvangen op",
        "storno van", "terugbetaald op", "tegoed verrekend met",
        "teveel betaald op", "tegoed terugbetaald aan", "ongedaan:",
        "vrijgesteld", "ingehouden op uitbetaling voor", "inkoop",
        "voorbelasting", "uitbetaald aan leverancier"};
    static const char *const fr[W_COUNT] = {
        "facture", "avoir", "chiffre d'affaires", "TVA", "reçu sur",
        "rejet de", "remboursé sur", "solde imputé sur", "trop-perçu sur",
        "solde remboursé à", "annulé :", "exonéré",
        "retenu sur le versement pour", "achats", "TVA déductible",
        "versé au fournisseur"};
    static const char *const en[W_COUNT] = {
        "invoice", "credit note", "sales", "VAT", "received on",
        "reversal of", "refunded on", "balance applied to", "overpaid on",
        "balance refunded to", "undone:", "exempt",
        "withheld from the payout for", "purchases", "input VAT",
        "paid out to the supplier"};
    if (locale && !strncmp(locale, "nl", 2))
        return nl[w];
    if (locale && !strncmp(locale, "fr", 2))
        return fr[w];
    return en[w];
}

/* ---------------------------------------------------------------- lines */

static void add_line(struct jlines *out, cdate on, const char *code,
                     int64_t debit, int64_t credit, const char *desc,
                     const char *src)
{
    out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
    out->v[out->n++] = (struct jline){on, xstrdup(code), debit, credit,
                                      xstrdup(desc), xstrdup(src)};
}

/* Debit `dr` and credit `cr` with `amount`; a negative amount the other
 * way round; nothing for 0. Returns the lines added. */
static size_t pair(struct jlines *out, cdate on, const char *dr,
                   const char *cr, int64_t amount, const char *desc,
                   const char *src)
{
    if (amount == 0)
        return 0;
    if (amount < 0) {
        const char *t = dr;
        dr = cr;
        cr = t;
        amount = -amount;
    }
    add_line(out, on, dr, amount, 0, desc, src);
    add_line(out, on, cr, 0, amount, desc, src);
    return 2;
}

/* A line on one side only: `amount` credited to code (debited when
 * negative). */
static void credit_side(struct jlines *out, cdate on, const char *code,
                        int64_t amount, const char *desc, const char *src)
{
    if (amount > 0)
        add_line(out, on, code, 0, amount, desc, src);
    else if (amount < 0)
        add_line(out, on, code, -amount, 0, desc, src);
}

/* ---------------------------------------------------------------- invoices */

/* The booking of journal_book_invoice; `sales` and `tax` name the lines
 * per rate (sales and VAT; purchases and VAT to deduct). */
static void book_invoice(const struct journal_codes *c, const char *locale,
                         const struct invoice *inv, enum word sales,
                         enum word tax, struct jlines *out)
{
    const char *what = word(locale, inv->kind == INV_CREDIT ? W_CREDIT_NOTE
                                                            : W_INVOICE);
    char *src = xasprintf("%s %s", inv->kind == INV_CREDIT ? "credit note"
                                                           : "invoice",
                          inv->number);
    char *desc = xasprintf("%s %s, %s", what, inv->number,
                           inv->to.id ? inv->to.id : "");
    if (inv->kind == INV_SELFBILL) {
        /* bought from the supplier: a sale mirrored, on purchase codes */
        struct journal_codes p = *c;
        p.debtors = c->suppliers;
        p.revenue = c->purchases;
        p.vat = c->vat_input;
        struct invoice neg = *inv;
        struct invoice_vat *v = xcalloc(inv->n_vats + 1, sizeof *v);
        for (size_t i = 0; i < inv->n_vats; i++) {
            v[i] = inv->vats[i];
            v[i].base_cents = -v[i].base_cents;
            v[i].vat_cents = -v[i].vat_cents;
        }
        neg.vats = v;
        neg.total_cents = -inv->total_cents;
        /* named after the one it was bought from, not the agency */
        if (inv->supplier.id)
            neg.to.id = inv->supplier.id;
        neg.supplier.id = NULL;
        neg.kind = INV_SUBSCRIPTION; /* named as an invoice */
        book_invoice(&p, locale, &neg, W_PURCHASES, W_VAT_INPUT, out);
        free(v);
        free(desc);
        free(src);
        return;
    }
    /* debtors: the total, debited (credited for a credit note) */
    if (inv->total_cents > 0)
        add_line(out, inv->issued, c->debtors, inv->total_cents, 0, desc, src);
    else if (inv->total_cents < 0)
        add_line(out, inv->issued, c->debtors, 0, -inv->total_cents, desc,
                 src);
    if (inv->supplier.id) {
        /* on a supplier's behalf: collected for it, owed to it */
        char *d = xasprintf("%s %s: %s", what, inv->number, inv->supplier.id);
        credit_side(out, inv->issued, c->suppliers, inv->total_cents, d, src);
        free(d);
        free(desc);
        free(src);
        return;
    }
    int64_t rest = inv->total_cents;
    for (size_t i = 0; i < inv->n_vats; i++)
        rest -= inv->vats[i].base_cents + inv->vats[i].vat_cents;
    for (size_t i = 0; i < inv->n_vats; i++) {
        const struct invoice_vat *v = &inv->vats[i];
        char pct[32];
        decimal_fmt(v->bp, 2, pct);
        char *d = xasprintf("%s %s: %s %s%% %s%s", what, inv->number,
                            word(locale, sales), pct,
                            v->exempt ? word(locale, W_EXEMPT) : "",
                            v->exempt ? "" : v->vat_id);
        credit_side(out, inv->issued, c->revenue,
                    v->base_cents + (i == 0 ? rest : 0), d, src);
        free(d);
        if (v->vat_cents) {
            d = xasprintf("%s %s: %s %s%% %s", what, inv->number,
                          word(locale, tax), pct, v->vat_id);
            credit_side(out, inv->issued, c->vat, v->vat_cents, d, src);
            free(d);
        }
    }
    if (inv->n_vats == 0)
        credit_side(out, inv->issued, c->revenue, rest, desc, src);
    free(desc);
    free(src);
}

void journal_book_invoice(const struct journal_codes *c, const char *locale,
                          const struct invoice *inv, struct jlines *out)
{
    book_invoice(c, locale, inv, W_SALES, W_VAT, out);
}

/* ---------------------------------------------------------------- payments */

size_t journal_book_payment(const struct journal_codes *c, const char *locale,
                            const struct journal_payment *p,
                            struct jlines *out)
{
    int undo = p->method && !strcmp(p->method, "undo");
    const char *m = undo ? p->undone_method : p->method;
    if (!m)
        return 0;
    const char *dr = NULL, *cr = c->debtors;
    enum word w;
    if (!strcmp(m, "manual") || !strcmp(m, "bank") ||
        !strcmp(m, "direct_debit")) {
        dr = c->bank;
        w = W_RECEIVED;
    } else if (!strcmp(m, "reversal")) {
        dr = c->bank;
        w = W_REVERSAL;
    } else if (!strcmp(m, "refund")) {
        dr = c->bank;
        w = W_REFUND;
    } else if (!strcmp(m, "balance")) {
        dr = c->balances;
        w = W_BALANCE_APPLIED;
    } else if (!strcmp(m, "withheld")) {
        dr = c->suppliers;
        w = W_WITHHELD;
    } else {
        /* credit_note: debtors against debtors; payout: the self-billed
         * invoice settled by the transfer, booked as a payout */
        return 0;
    }
    char *src = xasprintf("payment %lld", (long long)p->id);
    char *desc = xasprintf("%s%s%s %s, %s", undo ? word(locale, W_UNDO) : "",
                           undo ? " " : "", word(locale, w),
                           p->number ? p->number : "",
                           p->account ? p->account : "");
    size_t k = pair(out, p->on, dr, cr, p->amount_cents, desc, src);
    free(desc);
    free(src);
    return k;
}

size_t journal_book_balance_move(const struct journal_codes *c,
                                 const char *locale,
                                 const struct journal_balance_move *m,
                                 struct jlines *out)
{
    enum word w;
    if (!strcmp(m->kind, "overpayment") && m->amount_cents > 0)
        w = W_OVERPAYMENT;
    else if (!strcmp(m->kind, "refund") && m->amount_cents < 0)
        w = W_BALANCE_REFUND;
    else if (!strcmp(m->kind, "undo") && m->amount_cents < 0)
        w = W_OVERPAYMENT;
    else
        return 0;
    char *src = xasprintf("balance %lld", (long long)m->id);
    int undo = !strcmp(m->kind, "undo");
    char *desc;
    if (w == W_BALANCE_REFUND)
        desc = xasprintf("%s %s", word(locale, w), m->account);
    else
        desc = xasprintf("%s%s%s %s, %s", undo ? word(locale, W_UNDO) : "",
                         undo ? " " : "", word(locale, w),
                         m->number ? m->number : "", m->account);
    size_t k = pair(out, m->on, c->bank, c->balances, m->amount_cents, desc,
                    src);
    free(desc);
    free(src);
    return k;
}

/* ---------------------------------------------------------------- payouts */

size_t journal_book_payout(const struct journal_codes *c, const char *locale,
                           const struct journal_payout *p, struct jlines *out)
{
    char *src = xasprintf("payout %s", p->end_to_end_id);
    char *desc = xasprintf("%s %s, %s", word(locale, W_TRANSFER), p->supplier,
                           p->batch);
    size_t k = pair(out, p->on, c->suppliers, c->bank, p->amount_cents, desc,
                    src);
    free(desc);
    free(src);
    return k;
}

/* ---------------------------------------------------------------- credits */

void journal_book_credit_entry(const struct journal_codes *c,
                               const struct journal_entry *je, cdate care,
                               struct jlines *out)
{
    const char *code = je->account_code;
    if (code && !strcmp(code, CREDITS_CODE_DEBTORS))
        code = c->revenue;
    cdate on = je->on;
    if (care != CDATE_NONE && care > on)
        on = care;
    add_line(out, on, code ? code : "", je->debit_cents, je->credit_cents,
             je->description ? je->description : "",
             je->source ? je->source : "");
}

/* ---------------------------------------------------------------- totals */

int64_t journal_imbalance(const struct jlines *l)
{
    int64_t d = 0;
    for (size_t i = 0; i < l->n; i++)
        d += l->v[i].debit_cents - l->v[i].credit_cents;
    return d;
}

/* Lines to sort: by date, then by the order booked. */
struct jline_at {
    struct jline line;
    size_t seq;
};

static int jline_cmp(const void *a, const void *b)
{
    const struct jline_at *x = a, *y = b;
    if (x->line.on != y->line.on)
        return x->line.on < y->line.on ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void journal_sort(struct jlines *l)
{
    if (l->n < 2)
        return;
    struct jline_at *t = xcalloc(l->n, sizeof *t);
    for (size_t i = 0; i < l->n; i++)
        t[i] = (struct jline_at){l->v[i], i};
    qsort(t, l->n, sizeof *t, jline_cmp);
    for (size_t i = 0; i < l->n; i++)
        l->v[i] = t[i].line;
    free(t);
}

void journal_code_totals(const struct jlines *l, const char *code,
                         const char *source_prefix, int64_t *debit,
                         int64_t *credit)
{
    *debit = *credit = 0;
    size_t k = source_prefix ? strlen(source_prefix) : 0;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].code, code) != 0)
            continue;
        if (source_prefix && strncmp(l->v[i].source, source_prefix, k) != 0)
            continue;
        *debit += l->v[i].debit_cents;
        *credit += l->v[i].credit_cents;
    }
}
