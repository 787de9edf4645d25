/*
 * invoice_views.h — issued invoices read for the command line: `explain`
 * (an invoice whole, and whether the rule set it was issued under is the
 * one loaded now), `invoice pdf` (the invoice rendered to a file) and the
 * invoices report (every invoice and credit note, with their lines for
 * JSON). Read-only: no hooks, no transaction needed.
 */
#ifndef CAREBILL_INVOICE_VIEWS_H
#define CAREBILL_INVOICE_VIEWS_H

#include <stddef.h>

#include "decide/invoice.h"
#include "usecase/engine.h"

/* An invoice as `explain` tells it. */
struct invoice_explanation {
    struct invoice inv; /* whole: lines, VAT summary, parties */
    int same_rules;     /* 1 when it was issued under the rules loaded now */
};

/* Read invoice `number` for explain into *x (invoice_free(&x->inv), also
 * after a failure). Returns 0, or -1 with e filled ("no invoice 'N'"). */
int invoice_explain(struct engine *eng, const char *number,
                    struct invoice_explanation *x, struct err *e);

/* Render invoice `number` as a PDF at path `out` in its own language.
 * Returns 0, or -1 with e filled. */
int invoice_pdf(struct engine *eng, const char *number, const char *out,
                struct err *e);

/* As invoice_pdf; copy 1 marks the document as a copy of the one issued
 * ("KOPIE" / "COPIE" / "COPY" with the original's issue date,
 * render/pdf.h), copy 0 renders the original, as e-mailed. */
int invoice_pdf_as(struct engine *eng, const char *number, const char *out,
                   int copy, struct err *e);

/* The invoices report: every invoice and credit note (of `account` only,
 * when non-NULL) in id order, as stored (to.id the account, credit_of
 * the corrected number, payment_reference the one its documents carry,
 * render/epc.h, or NULL), with their lines when with_lines is 1. *out is
 * malloc'd (invoice_views_free); *n may be 0. Returns 0 or -1. */
int report_invoices(struct engine *eng, const char *account, int with_lines,
                    struct invoice **out, size_t *n, struct err *e);
void invoice_views_free(struct invoice *v, size_t n);

#endif
