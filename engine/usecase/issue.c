/*
 * issue.c — issuing invoices: the series key and number pattern of an
 * invoice (per year when the format names the year, per supplier for
 * self-billing), gapless numbers from the ledger's series in date order
 * (decide/numbering.h, for every kind of invoice), the payment
 * reference from the number, and the invoice written through
 * store/invoices.h.
 */
#include "usecase/issue.h"

#include "formats/reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/hours.h"
#include "decide/numbering.h"
#include "decide/payref.h"
#include "store/invoices.h"

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
    const char *supplier_pattern = supplier_series(p, inv, year, key, keylen);
    if (supplier_pattern)
        return supplier_pattern; /* decide/hours.h: the supplier's series */
    if (strstr(pattern, "{year}"))
        snprintf(key, keylen, "%s:%d", base, year);
    else
        snprintf(key, keylen, "%s", base);
    return pattern;
}

/* The payment reference of invoice `number`: built from the number's
 * digits, tagged when it is a credit note of a series of its own
 * (formats/reference.h), so it is unique whenever numbers are. */
static void reference_of(const char *number, int own_series, char ref[17])
{
    payment_reference(reference_base_of_number(number, own_series), ref);
}

int issue_invoice(struct engine *eng,
                  struct invoice *inv, int64_t run, struct err *e)
{
    const struct rules *r = eng->r;
    int y, m, d;
    char key[128];
    int64_t seq = 0;

    /* Amounts beyond the limits are refused before a number is taken. */
    invoice_totals(inv);
    if (invoice_check(inv, e) != 0)
        return -1;
    date_to_ymd(inv->issued, &y, &m, &d);
    const char *pattern = series_pattern(r, inv, key, sizeof key, y);
    /* The series' last date: from the ledger once per transaction, then
     * from the number this transaction took last (the store asks the
     * counter first). */
    cdate last;
    if (invoices_last_issued_series(eng->lg, key, &last, e) != 0)
        return -1;
    if (!numbering_date_ok(last, inv->issued)) {
        char a[11], b[11];
        return err_set(e, "invoices were already issued on %s; an invoice "
                          "dated %s would number invoices out of date order",
                       date_fmt(last, a), date_fmt(inv->issued, b));
    }
    if (ledger_next_seq(eng->lg, key, inv->issued, &seq, e) != 0)
        return -1;
    free(inv->number);
    free(inv->series);
    inv->number = invoice_number_format(pattern, y, seq, inv->supplier.id);
    inv->series = xstrdup(key);
    char ref[17];
    if (inv->supplier.id)
        payment_reference(supplier_reference_digits(inv->supplier.id,
                                                    inv->number), ref);
    else
        reference_of(inv->number, inv->kind == INV_CREDIT &&
                                      r->practice.credit_number_format, ref);
    /* Stored as the invoice carries it in the practice's country (the
     * Belgian or RF reference in place of the Dutch one; decide/payref.h):
     * documents, e-mails and reports read this one. */
    struct payref pr;
    free(inv->payment_reference);
    inv->payment_reference = xstrdup(ref);
    enum payref_scheme scheme = invoice_payref(inv, &r->practice, &pr);
    if (scheme == PAYREF_BE || scheme == PAYREF_RF) {
        /* Made from the number's digits, these can repeat where numbers
         * do not (suppliers' series, credit notes in a series of their
         * own): a bank payment quoting one must name one invoice, so a
         * reference the ledger holds already gives way to the next. */
        char cand[RF_SIZE + OGM_SIZE];
        snprintf(cand, sizeof cand, "%s", pr.stored);
        for (int tries = 0;; tries++) {
            int taken = 0;
            if (invoices_reference_taken(eng->lg, cand, &taken, e) != 0)
                return -1;
            if (!taken)
                break;
            char next[RF_SIZE + OGM_SIZE];
            if (tries == 1000 || reference_next(cand, next, sizeof next) != 0)
                return err_set(e, "invoice %s: no free payment reference "
                                  "after %s", inv->number, pr.stored);
            snprintf(cand, sizeof cand, "%s", next);
        }
        free(inv->payment_reference);
        inv->payment_reference = xstrdup(cand);
    } else if (scheme != PAYREF_NONE) {
        free(inv->payment_reference);
        inv->payment_reference = xstrdup(pr.stored);
    }
    if (!inv->rules_hash)
        inv->rules_hash = xstrdup(r->hash);
    return invoices_insert(eng->lg, inv, seq,
                           inv->locale ? inv->locale : r->practice.locale,
                           run, e);
}

