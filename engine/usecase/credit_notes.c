/*
 * credit_notes.c — a credit note drafted from the invoice it corrects
 * (read through store/invoices.h), issued, applied to the invoice, and
 * what it owes beyond that offset against another open invoice.
 */
#include "usecase/credit_notes.h"

#include <stdlib.h>
#include <string.h>

#include "decide/invoice.h"
#include "store/invoices.h"
#include "usecase/issue.h"
#include "usecase/payment.h"

/* Full credit of orig into cn: every line negated, with its own price
 * and VAT. */
static void credit_in_full(struct invoice *cn, const struct invoice *orig)
{
    for (size_t i = 0; i < orig->n_lines; i++) {
        const struct invoice_line *l = &orig->lines[i];
        const char *txt = NULL;
        for (size_t j = 0; j < orig->n_vats; j++)
            if (!strcmp(orig->vats[j].vat_id, l->vat_id))
                txt = orig->vats[j].exempt_text;
        struct invoice_line *c = invoice_add_line(
            cn, l->description, l->qty100, -l->unit_cents, l->vat_id,
            l->vat_bp, l->vat_exempt, txt);
        c->amount_cents = -l->amount_cents;
        c->source = xstrdup("credit");
        c->subscription = l->subscription;
        c->period_start = l->period_start;
        c->period_end = l->period_end;
        c->ref = xstrdup(l->ref);
        c->why = xasprintf("credits line %zu of invoice %s", i + 1,
                           orig->number);
    }
}

/* The line amount of a partial credit of `amount` (the total the credit
 * note must have) on orig's one VAT rate: the amount itself when prices
 * include VAT, else the net whose total is exactly `amount`; -1 with e
 * naming the nearest amounts that can be credited when there is none. */
static int partial_net(const struct invoice *orig, int64_t amount,
                       int64_t *net, struct err *e)
{
    const struct invoice_vat *v = &orig->vats[0];
    int64_t below, above;
    *net = amount;
    if (orig->prices_include_vat || !v->bp || v->exempt ||
        credit_net_for_gross(amount, v->bp, net, &below, &above))
        return 0;
    char a[32], b[32], c[32], pct[32];
    decimal_fmt(v->bp, 2, pct);
    return err_set(e, "invoice %s: no credit note at %s%% VAT comes to "
                      "exactly %s (VAT is computed on the amount excluding "
                      "VAT); the nearest amounts are %s and %s",
                   orig->number, pct, money_fmt(amount, a), money_fmt(below, b),
                   money_fmt(above, c));
}

/* Partial credit into cn: one line of -net at orig's one rate. */
static void credit_in_part(struct invoice *cn, const struct invoice *orig,
                           int64_t unit)
{
    const struct invoice_vat *v = &orig->vats[0];
    const char *loc = cn->locale ? cn->locale : "";
    const char *fmt = !strcmp(loc, "nl")   ? "Correctie op factuur %s"
                      : !strcmp(loc, "fr") ? "Correction de la facture %s"
                                           : "Correction to invoice %s";
    char *desc = xasprintf(fmt, orig->number);
    struct invoice_line *c = invoice_add_line(cn, desc, 100, -unit, v->vat_id,
                                              v->bp, v->exempt,
                                              v->exempt_text);
    free(desc);
    c->source = xstrdup("credit");
    c->why = xasprintf("partial credit of invoice %s", orig->number);
}

int issue_credit_note(struct engine *eng,
                      const char *number, int64_t amount, cdate today,
                      char **out_number, struct err *e)
{
    return issue_credit_note_to(eng, number, amount, today, NULL, out_number,
                                NULL, e);
}

/* Offset what credit note `credit` owes against invoice `apply_to`;
 * *offset (may be NULL) gets the amount. */
static int offset_to(struct engine *eng, int64_t credit, const char *apply_to,
                     cdate today, int64_t *offset, struct err *e)
{
    int64_t target;
    if (invoices_find(eng->lg, apply_to, &target, e) != 0)
        return -1;
    int64_t x = 0;
    if (payment_offset_credit(eng, credit, target, today, &x, e) != 0)
        return -1;
    if (offset)
        *offset = x;
    return 0;
}

int issue_credit_note_to(struct engine *eng, const char *number,
                         int64_t amount, cdate today, const char *apply_to,
                         char **out_number, int64_t *offset, struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice orig, cn;
    int rc = invoices_load(lg, number, &orig, e);
    if (rc != 0) {
        invoice_free(&orig);
        return -1;
    }
    memset(&cn, 0, sizeof cn);
    if (orig.kind == INV_CREDIT && apply_to) {
        /* an open credit note: offset what it still owes */
        if (amount >= 0) {
            invoice_free(&orig);
            return err_set(e, "%s is a credit note already: offset it with "
                              "--apply-to alone, without --amount", number);
        }
        rc = offset_to(eng, orig.id, apply_to, today, offset, e);
        if (rc == 0)
            *out_number = xstrdup(orig.number);
        invoice_free(&orig);
        return rc;
    }
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
    int64_t already = 0;
    if (invoices_credited(lg, orig.id, &already, e) != 0) {
        invoice_free(&orig);
        return -1;
    }
    int64_t left = orig.total_cents - already, net = 0;
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
    int full = amount == orig.total_cents && already == 0;
    if (!full && orig.n_vats != 1) {
        err_set(e, "invoice %s has lines at %zu VAT rates: credit it in full, "
                   "or issue a new invoice", number, orig.n_vats);
        invoice_free(&orig);
        return -1;
    }
    if (!full && partial_net(&orig, amount, &net, e) != 0) {
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
    if (full)
        credit_in_full(&cn, &orig);
    else
        credit_in_part(&cn, &orig, net);
    rc = issue_invoice(eng, &cn, 0, e);
    if (rc == 0)
        rc = payment_apply_credit(eng, orig.id, cn.id, -cn.total_cents,
                                  today, e);
    if (rc == 0 && apply_to)
        rc = offset_to(eng, cn.id, apply_to, today, offset, e);
    if (rc == 0)
        *out_number = xstrdup(cn.number);
    invoice_free(&orig);
    invoice_free(&cn);
    return rc;
}
