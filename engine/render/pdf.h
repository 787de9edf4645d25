/*
 * pdf.h — an invoice as an A4 PDF document (cairo + pango, DejaVu Sans),
 * meeting the Dutch invoice rules: issuer and customer with their numbers
 * (and the SIRET of a French practice), number and dates, lines with
 * their period of supply, the unit price excluding VAT and, for a
 * prorated line, the days and list price it comes from; VAT per rate or
 * the exemption text, totals, the payment instruction with the payment
 * reference of the practice's country (Dutch betalingskenmerk, Belgian
 * structured communication, ISO 11649 RF) and the EPC payment QR code
 * while an amount is open; for a credit note what becomes of the amount.
 * Every text wraps: nothing is cut. Texts are in the invoice's locale
 * (nl, fr, en; else the practice's, else nl). Rendering is
 * deterministic: the same invoice and options give the same bytes.
 */
#ifndef CAREBILL_PDF_H
#define CAREBILL_PDF_H

#include <stddef.h>

#include "decide/invoice.h"
#include "rules/rules.h"
#include "base/util.h"

/* What the caller knows of a document beyond the invoice itself. A
 * zeroed struct (or NULL) is the original, as e-mailed. */
struct pdf_options {
    int copy; /* 1: a re-rendered copy of a document already issued; it
                 says so ("KOPIE" / "COPIE" / "COPY") with the original's
                 issue date, and is otherwise the same document */
};

/* Render inv, issued by practice p, to the file at path (created or
 * truncated). Returns 0, or -1 and e when the file cannot be written or
 * the payment QR code cannot be built (for instance an invalid IBAN).
 * pdf_invoice is pdf_invoice_opts with no options: the original. */
int pdf_invoice(const struct invoice *inv, const struct practice *p,
                const char *path, struct err *e);
int pdf_invoice_opts(const struct invoice *inv, const struct practice *p,
                     const struct pdf_options *o, const char *path,
                     struct err *e);

/* The same document in memory, for an e-mail attachment: *buf is
 * malloc'd (caller frees) and *len its size. */
int pdf_invoice_buf(const struct invoice *inv, const struct practice *p,
                    char **buf, size_t *len, struct err *e);
int pdf_invoice_buf_opts(const struct invoice *inv, const struct practice *p,
                         const struct pdf_options *o, char **buf, size_t *len,
                         struct err *e);

#endif
