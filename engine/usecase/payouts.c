/*
 * payouts.c — what suppliers are due, the pain.001 batch that pays them,
 * and the bank debit that books a transfer. Reads through store/payouts.h
 * and store/invoices.h; what is due is decide/payout.h's; the supplier's
 * commission invoices a batch withholds are paid through
 * usecase/payment.h.
 */
#include "usecase/payouts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bankid.h"
#include "formats/pain001.h"
#include "store/invoices.h"
#include "store/payouts.h"
#include "usecase/payment.h"

struct paid_ctx {
    struct ledger *lg;
    int failed;
};

static int64_t paid_of(void *arg, const char *supplier)
{
    struct paid_ctx *c = arg;
    struct err e;
    int64_t cents = 0;
    if (payouts_paid(c->lg, supplier, &cents, &e) != 0)
        c->failed = 1;
    return cents;
}

/* Pay what is open on invoice `id` on eng->today by `method`. */
static int settle_open(struct engine *eng, int64_t id, const char *method,
                       struct err *e)
{
    struct invoice_head h;
    if (invoices_head(eng->lg, id, &h, e) != 0)
        return -1;
    if (h.status != ST_OPEN || h.total_cents <= h.paid_cents)
        return 0;
    char ref[48];
    int dup = 0;
    snprintf(ref, sizeof ref, "%s:%lld", method, (long long)id);
    return payment_register_id(eng, id, h.total_cents - h.paid_cents,
                               eng->today, method, ref, &dup, e);
}

/* Every supplier's account; *out malloc'd. With settle set, the open
 * supplier commission invoices of the collected months are paid by
 * withholding (method "withheld") on eng->today: the payout keeps them;
 * and a self-billed hours invoice is paid by the payout (method
 * "payout"). */
static int dues_settle(struct engine *eng, struct payout_due **out,
                       size_t *n, int settle, struct err *e)
{
    struct payout_month *months;
    size_t nm;
    if (payouts_months(eng->lg, &months, &nm, e) != 0)
        return -1;
    /* A month whose supplier commission is charged but not yet invoiced
     * waits for it, so the payout never forgets to withhold it. */
    for (size_t i = 0; i < nm; i++) {
        const struct placement *pl = rules_placement(eng->r,
                                                     months[i].placement);
        months[i].commission_pending =
            pl && !months[i].commission_cents &&
            (pl->supplier_commission_bp ||
             pl->supplier_commission_hour_cents);
    }
    struct payout_due *v = xcalloc(nm + 1, sizeof *v);
    struct paid_ctx c = {eng->lg, 0};
    *n = payout_dues(months, nm, paid_of, &c, v, nm);
    int rc = 0;
    for (size_t i = 0; settle && rc == 0 && i < nm; i++) {
        if (!payout_collected(&months[i]))
            continue;
        if (months[i].commission_invoice)
            rc = settle_open(eng, months[i].commission_invoice, "withheld", e);
        /* The agency's own debt to a self-billing supplier: paid by this
         * batch's transfer and the commission it withholds. */
        if (rc == 0 && months[i].self_billed)
            rc = settle_open(eng, months[i].hours_invoice, "payout", e);
    }
    payouts_months_free(months, nm);
    if (rc != 0) {
        free(v);
        return -1;
    }
    if (c.failed) {
        free(v);
        return err_set(e, "reading the payouts made");
    }
    *out = v;
    return 0;
}

static int dues(struct engine *eng, struct payout_due **out, size_t *n,
                struct err *e)
{
    return dues_settle(eng, out, n, 0, e);
}

int payouts_report(struct engine *eng, struct payout_report **out, size_t *n,
                   struct err *e)
{
    struct payout_due *d;
    size_t k;
    if (dues(eng, &d, &k, e) != 0)
        return -1;
    struct payout_report *v = xcalloc(k + 1, sizeof *v);
    for (size_t i = 0; i < k; i++) {
        v[i].due = d[i];
        if (payouts_booked(eng->lg, d[i].supplier, &v[i].booked_cents, e) !=
            0) {
            free(d);
            free(v);
            return -1;
        }
    }
    free(d);
    *out = v;
    *n = k;
    return 0;
}

static void party_clear(struct party *p)
{
    free(p->id), free(p->name), free(p->email), free(p->address);
    free(p->vat_number), free(p->kvk), free(p->iban);
    memset(p, 0, sizeof *p);
}

int payouts_export(struct engine *eng, const char *path, size_t *count,
                   int64_t *total_cents, char batch[36], struct err *e)
{
    const struct practice *p = &eng->r->practice;
    struct payout_due *d;
    size_t k;
    *count = 0;
    *total_cents = 0;
    if (dues_settle(eng, &d, &k, 1, e) != 0)
        return -1;
    int64_t nb = 0;
    if (payouts_batches_on(eng->lg, eng->today, &nb, e) != 0) {
        free(d);
        return -1;
    }
    char day[11];
    date_fmt(eng->today, day);
    snprintf(batch, 36, "PAY-%.4s%.2s%.2s-%lld", day, day + 5, day + 8,
             (long long)nb + 1);
    struct ct_tx *txs = xcalloc(k + 1, sizeof *txs);
    struct party *who = xcalloc(k + 1, sizeof *who);
    char (*ids)[36] = xcalloc(k + 1, sizeof *ids);
    char **remit = xcalloc(k + 1, sizeof *remit);
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < k && rc == 0; i++) {
        if (d[i].due_cents <= 0)
            continue;
        if (invoices_party(eng->lg, d[i].supplier, &who[n], NULL, e) != 0) {
            rc = -1;
            break;
        }
        const char *why = who[n].iban && *who[n].iban
                              ? iban_problem(who[n].iban)
                              : "is missing";
        if (why) {
            char amt[32];
            rc = err_set(e, "supplier '%s' is due %s but its IBAN %s (carebill "
                            "account update %s --iban IBAN); nothing was "
                            "exported", d[i].supplier,
                         money_fmt(d[i].due_cents, amt), why, d[i].supplier);
            n++;
            break;
        }
        payout_end_to_end(batch, n, ids[n]);
        remit[n] = xasprintf("%s uitbetaling uren %s", p->name ? p->name : "",
                             batch);
        txs[n] = (struct ct_tx){ids[n], d[i].due_cents, who[n].name,
                                who[n].iban, remit[n]};
        *total_cents += d[i].due_cents;
        n++;
    }
    if (rc == 0 && n == 0)
        rc = err_set(e, "nothing is due to any supplier; no batch was "
                        "written");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct payout_row row = {who[i].id, batch, ids[i], who[i].iban,
                                 txs[i].amount_cents, eng->today};
        rc = payouts_insert(eng->lg, &row, e);
    }
    if (rc == 0) {
        char created[24];
        snprintf(created, sizeof created, "%sT00:00:00",
                 date_fmt(eng->today, day));
        struct ct_debtor dbtr = {p->name, p->iban, p->bic};
        rc = pain001_write(&dbtr, batch, created, eng->today, txs, n, path, e);
    }
    if (rc == 0)
        *count = n;
    for (size_t i = 0; i < k; i++) {
        party_clear(&who[i]);
        free(remit[i]);
    }
    free(who), free(remit), free(ids), free(txs), free(d);
    return rc;
}

int payouts_book_debit(struct engine *eng, const char *e2e, int64_t cents,
                       cdate on, int *booked, struct err *e)
{
    return payouts_book(eng->lg, e2e, cents, on, booked, e);
}
