/*
 * invoice_views.c — explain, the PDF and the invoices report, read
 * through store/invoices.h.
 */
#include "usecase/invoice_views.h"

#include <stdlib.h>
#include <string.h>

#include "decide/payref.h"
#include "render/pdf.h"
#include "store/invoices.h"

int invoice_explain(struct engine *eng, const char *number,
                    struct invoice_explanation *x, struct err *e)
{
    memset(x, 0, sizeof *x);
    if (invoices_load(eng->lg, number, &x->inv, e) != 0)
        return -1;
    x->same_rules = !strcmp(x->inv.rules_hash, eng->r->hash);
    return 0;
}

int invoice_pdf(struct engine *eng, const char *number, const char *out,
                struct err *e)
{
    return invoice_pdf_as(eng, number, out, 0, e);
}

int invoice_pdf_as(struct engine *eng, const char *number, const char *out,
                   int copy, struct err *e)
{
    struct invoice inv;
    if (invoices_load(eng->lg, number, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
    struct pdf_options o = {.copy = copy};
    int rc = pdf_invoice_opts(&inv, &eng->r->practice, &o, out, e);
    invoice_free(&inv);
    return rc;
}

int report_invoices(struct engine *eng, const char *account, int with_lines,
                    struct invoice **out, size_t *n, struct err *e)
{
    if (invoices_list(eng->lg, account, with_lines, out, n, e) != 0)
        return -1;
    /* The payment reference each invoice carries (decide/payref.h), as its
     * documents show it. */
    for (size_t i = 0; i < *n; i++) {
        struct invoice *inv = &(*out)[i];
        struct payref pr;
        invoice_payref(inv, &eng->r->practice, &pr);
        free(inv->payment_reference);
        inv->payment_reference = pr.scheme != PAYREF_NONE ? xstrdup(pr.stored)
                                                         : NULL;
    }
    return 0;
}

void invoice_views_free(struct invoice *v, size_t n)
{
    invoices_list_free(v, n);
}
