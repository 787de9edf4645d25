/*
 * credit_notes.c — a credit note drafted from the invoice it corrects
 * (read through store/invoices.h), issued, and applied to the invoice.
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

/* Partial credit of `amount` into cn: one line at orig's one rate, for
 * the gross amount when prices include VAT, else the net that yields it. */
static void credit_in_part(struct invoice *cn, const struct invoice *orig,
                           int64_t amount)
{
    const struct invoice_vat *v = &orig->vats[0];
    int64_t unit = amount;
    if (!orig->prices_include_vat && v->bp && !v->exempt)
        unit = muldiv_round(amount, 10000, 10000 + v->bp);
    char *desc = xasprintf("Correction to invoice %s", orig->number);
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
    struct ledger *lg = eng->lg;
    struct invoice orig, cn;
    int rc = invoices_load(lg, number, &orig, e);
    if (rc != 0) {
        invoice_free(&orig);
        return -1;
    }
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
    int64_t already = 0;
    if (invoices_credited(lg, orig.id, &already, e) != 0) {
        invoice_free(&orig);
        return -1;
    }
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
    int full = amount == orig.total_cents && already == 0;
    if (!full && orig.n_vats != 1) {
        err_set(e, "invoice %s has lines at %zu VAT rates: credit it in full, "
                   "or issue a new invoice", number, orig.n_vats);
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
        credit_in_part(&cn, &orig, amount);
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
