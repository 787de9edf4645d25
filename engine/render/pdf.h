/*
 * pdf.h — an invoice as an A4 PDF document (cairo + pango, DejaVu Sans),
 * meeting the Dutch invoice rules: issuer and customer with their numbers,
 * number and dates, lines with their period of supply, VAT per rate or
 * the exemption text, totals, the payment instruction with the payment
 * reference, and the EPC payment QR code while an amount is open. Texts
 * are in the invoice's locale (nl, fr, en; else the practice's, else nl).
 * Rendering is deterministic: the same invoice gives the same bytes.
 */
#ifndef CAREBILL_PDF_H
#define CAREBILL_PDF_H

#include <stddef.h>

#include "decide/invoice.h"
#include "rules/rules.h"
#include "base/util.h"

/* Render inv, issued by practice p, to the file at path (created or
 * truncated). Returns 0, or -1 and e when the file cannot be written or
 * the payment QR code cannot be built (for instance an invalid IBAN). */
int pdf_invoice(const struct invoice *inv, const struct practice *p,
                const char *path, struct err *e);

/* The same document in memory, for an e-mail attachment: *buf is
 * malloc'd (caller frees) and *len its size. */
int pdf_invoice_buf(const struct invoice *inv, const struct practice *p,
                    char **buf, size_t *len, struct err *e);

#endif
