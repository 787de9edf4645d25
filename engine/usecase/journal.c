/*
 * journal.c — the accountant's reports of usecase/journal.h: the
 * ledger's rows read through the stores, booked by decide/journal.h.
 */
#include "usecase/journal.h"

#include <stdlib.h>
#include <string.h>

#include "store/invoices.h"
#include "store/journal.h"
#include "store/payments.h"

/* The practice's code, or the default. */
static const char *code_or(const char *set, const char *dflt)
{
    return set && *set ? set : dflt;
}

static struct journal_codes practice_codes(const struct engine *eng)
{
    struct journal_codes c = journal_codes_default();
    if (!eng->r)
        return c;
    const struct practice *p = &eng->r->practice;
    c.debtors = code_or(p->acct_debtors, c.debtors);
    c.bank = code_or(p->acct_bank, c.bank);
    c.vat = code_or(p->acct_vat, c.vat);
    c.revenue = code_or(p->acct_revenue, c.revenue);
    c.balances = code_or(p->acct_balances, c.balances);
    c.suppliers = code_or(p->acct_suppliers, c.suppliers);
    c.purchases = code_or(p->acct_purchases, c.purchases);
    c.vat_input = code_or(p->acct_vat_input, c.vat_input);
    return c;
}

static const char *practice_locale(const struct engine *eng)
{
    return eng->r ? eng->r->practice.locale : NULL;
}

static int in_range(cdate from, cdate to, cdate d)
{
    return (from == CDATE_NONE || d >= from) && (to == CDATE_NONE || d <= to);
}

void ledger_journal_free(struct ledger_journal *j)
{
    jlines_free(&j->lines);
    memset(j, 0, sizeof *j);
}

/* Book every invoice issued in the range; with `vr` also sum its VAT
 * summary per rate. */
static int book_invoices(struct engine *eng, cdate from, cdate to,
                         struct ledger_journal *j, struct vat_report *vr,
                         struct err *e)
{
    int64_t *ids;
    size_t n;
    if (journal_invoice_ids(eng->lg, from, to, &ids, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct invoice inv;
        rc = invoices_load_id(eng->lg, ids[i], &inv, e) ? -1 : 0;
        if (rc == 0 && j) {
            journal_book_invoice(&j->codes, practice_locale(eng), &inv,
                                 &j->lines);
            /* what reconciles with debtors: every invoice a customer
             * owes (not the self-billed ones the practice owes); VAT:
             * the practice's own */
            if (inv.kind != INV_SELFBILL) {
                j->n_invoices++;
                j->invoiced_cents += inv.total_cents;
            }
            if (!inv.supplier.id)
                j->invoiced_vat_cents += inv.vat_cents;
        }
        /* the VAT return: the practice's own invoices (a supplier's VAT
         * is the supplier's) */
        for (size_t k = 0; rc == 0 && vr && !inv.supplier.id &&
                           k < inv.n_vats; k++) {
            const struct invoice_vat *v = &inv.vats[k];
            struct vat_rate_total *t = NULL;
            for (size_t m = 0; m < vr->n && !t; m++)
                if (!strcmp(vr->rates[m].vat_id, v->vat_id) &&
                    vr->rates[m].bp == v->bp)
                    t = &vr->rates[m];
            if (!t) {
                size_t at = 0;
                while (at < vr->n &&
                       (vr->rates[at].bp < v->bp ||
                        (vr->rates[at].bp == v->bp &&
                         strcmp(vr->rates[at].vat_id, v->vat_id) < 0)))
                    at++;
                vr->rates = xrealloc(vr->rates,
                                     (vr->n + 1) * sizeof *vr->rates);
                memmove(&vr->rates[at + 1], &vr->rates[at],
                        (vr->n - at) * sizeof *vr->rates);
                vr->rates[at] = (struct vat_rate_total){
                    xstrdup(v->vat_id), v->bp, v->exempt, 0, 0};
                vr->n++;
                t = &vr->rates[at];
            }
            t->base_cents += v->base_cents;
            t->vat_cents += v->vat_cents;
            vr->base_cents += v->base_cents;
            vr->vat_cents += v->vat_cents;
            if (v->exempt)
                vr->exempt_cents += v->base_cents;
            else
                vr->taxed_cents += v->base_cents;
        }
        if (rc == 0 && vr && !inv.supplier.id)
            vr->n_invoices++;
        invoice_free(&inv);
    }
    free(ids);
    return rc;
}

int journal_build(struct engine *eng, cdate from, cdate to,
                  struct ledger_journal *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->codes = practice_codes(eng);
    const char *loc = practice_locale(eng);
    int rc = book_invoices(eng, from, to, out, NULL, e);
    /* what the invoices booked, before anything else is */
    if (rc == 0)
        for (size_t i = 0; i < out->lines.n; i++) {
            const struct jline *l = &out->lines.v[i];
            if (!strcmp(l->code, out->codes.debtors))
                out->debtors_cents += l->debit_cents - l->credit_cents;
            else if (!strcmp(l->code, out->codes.vat))
                out->vat_cents += l->credit_cents - l->debit_cents;
        }
    struct journal_payment_row *p = NULL;
    size_t np = 0;
    if (rc == 0)
        rc = journal_payments(eng->lg, from, to, &p, &np, e);
    for (size_t i = 0; rc == 0 && i < np; i++) {
        struct journal_payment jp = {p[i].id, p[i].on, p[i].method,
                                     p[i].undone_method, p[i].amount_cents,
                                     p[i].number, p[i].account};
        journal_book_payment(&out->codes, loc, &jp, &out->lines);
    }
    journal_payment_rows_free(p, np);
    struct journal_payout_row *po = NULL;
    size_t npo = 0;
    if (rc == 0)
        rc = journal_payouts(eng->lg, from, to, &po, &npo, e);
    for (size_t i = 0; rc == 0 && i < npo; i++) {
        struct journal_payout jp = {po[i].exported_on, po[i].supplier,
                                    po[i].batch, po[i].end_to_end_id,
                                    po[i].amount_cents};
        journal_book_payout(&out->codes, loc, &jp, &out->lines);
    }
    journal_payout_rows_free(po, npo);
    struct balance_move *m = NULL;
    size_t nm = 0;
    if (rc == 0)
        rc = payments_balance_moves(eng->lg, NULL, from, to, &m, &nm, e);
    for (size_t i = 0; rc == 0 && i < nm; i++) {
        struct journal_balance_move jm = {m[i].id, m[i].on, m[i].kind,
                                          m[i].amount_cents, m[i].account,
                                          m[i].invoice};
        journal_book_balance_move(&out->codes, loc, &jm, &out->lines);
    }
    balance_moves_free(m, nm);
    struct journal_credit_row *c = NULL;
    size_t nc = 0;
    if (rc == 0)
        rc = journal_credit_entries(eng->lg, &c, &nc, e);
    for (size_t i = 0; rc == 0 && i < nc; i++) {
        struct jlines one = {NULL, 0};
        journal_book_credit_entry(&out->codes, &c[i].je, c[i].care, &one);
        if (in_range(from, to, one.v[0].on)) {
            out->lines.v = xrealloc(out->lines.v,
                                    (out->lines.n + 1) * sizeof *out->lines.v);
            out->lines.v[out->lines.n++] = one.v[0];
            free(one.v);
        } else {
            jlines_free(&one);
        }
    }
    journal_credit_rows_free(c, nc);
    if (rc != 0) {
        ledger_journal_free(out);
        return -1;
    }
    journal_sort(&out->lines);
    for (size_t i = 0; i < out->lines.n; i++) {
        out->debit_cents += out->lines.v[i].debit_cents;
        out->credit_cents += out->lines.v[i].credit_cents;
    }
    return 0;
}

void vat_report_free(struct vat_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rates[i].vat_id);
    free(r->rates);
    memset(r, 0, sizeof *r);
}

int journal_vat_report(struct engine *eng, cdate from, cdate to,
                       struct vat_report *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (book_invoices(eng, from, to, NULL, out, e) != 0) {
        vat_report_free(out);
        return -1;
    }
    return 0;
}
