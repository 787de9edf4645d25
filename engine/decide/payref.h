/*
 * payref.h — the payment reference an invoice carries: chosen by the
 * practice's country, stored with the invoice when it is issued and
 * shown alike on every document. Pure.
 */
#ifndef CAREBILL_DECIDE_PAYREF_H
#define CAREBILL_DECIDE_PAYREF_H

#include "decide/invoice.h"
#include "rules/rules.h"

/* The practice's country, upper case, into out: its `country` setting,
 * else the two letters its VAT number starts with (EL read as GR), else
 * NL. Returns out. */
const char *practice_country(const struct practice *p, char out[3]);

/* Which payment reference an invoice carries, by the practice's
 * country: the Dutch betalingskenmerk (NL), the Belgian structured
 * communication (BE) or else the ISO 11649 creditor reference. This is
 * the one choice: issuing stores its `stored` form with the invoice
 * (usecase/issue.c), and the PDF, the payment QR code, the UBL file, the
 * e-mail placeholder invoice.payment_reference and `report invoices` all
 * show it. The Belgian and RF references are made from the invoice
 * number's digits (formats/reference.h); issuing gives one the ledger
 * holds already way to the next free one (reference_next). An invoice
 * stored with the Dutch reference by a Belgian or other practice (issued
 * before the reference followed the country) gets its reference derived
 * the same way when read, so its documents stay as they were. */
enum payref_scheme { PAYREF_NONE, PAYREF_NL, PAYREF_BE, PAYREF_RF };

struct payref {
    enum payref_scheme scheme;
    char printed[40];    /* as the document prints it: "5000000202600007",
                            "+++020/2600/04222+++", "RF89 2026 0004 2" */
    char structured[36]; /* the QR code's structured reference: the RF
                            reference or the 12 digits; "" for NL */
    char stored[40];     /* as the ledger stores it, the UBL PaymentID,
                            e-mails and reports give it: printed, but an
                            RF reference without spaces */
};

/* Fill *out with inv's payment reference under practice p. Returns its
 * scheme: PAYREF_NONE (every field "") when the invoice has no stored
 * reference, or its number holds no digit where one is derived. */
enum payref_scheme invoice_payref(const struct invoice *inv,
                                  const struct practice *p,
                                  struct payref *out);

#endif
