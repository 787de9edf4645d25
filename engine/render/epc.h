/*
 * epc.h — the EPC payment QR code (EPC069-12, "GiroCode"/"SEPA QR") printed
 * on an invoice: the text payload a banking app reads, and its QR symbol;
 * and the payment reference the invoice carries in the practice's country,
 * the same in the QR code and on the PDF. Pure functions of the invoice
 * and the practice settings; no I/O.
 */
#ifndef CAREBILL_EPC_H
#define CAREBILL_EPC_H

#include <stdint.h>

#include "decide/invoice.h"
#include "rules/rules.h"
#include "base/util.h"

#define EPC_MAX_BYTES 331   /* whole payload, EPC069-12 */
#define EPC_MAX_NAME 70     /* beneficiary name, characters */
#define EPC_MAX_REMIT 140   /* unstructured remittance, characters */

/* The amount a payer still owes on inv: total - paid (negative for a
 * credit note, 0 when paid). */
int64_t epc_amount_open(const struct invoice *inv);

/* The practice's country, upper case, into out: its `country` setting,
 * else the two letters its VAT number starts with (EL read as GR), else
 * NL. Returns out. */
const char *epc_country(const struct practice *p, char out[3]);

/* Which payment reference an invoice carries, by the practice's
 * country: the Dutch betalingskenmerk (NL), the Belgian structured
 * communication (BE) or else the ISO 11649 creditor reference. This is
 * the one choice: issuing stores its `stored` form with the invoice
 * (usecase/issue.c), and the PDF, the payment QR code, the UBL file, the
 * e-mail placeholder invoice.payment_reference and `report invoices` all
 * show it. The Belgian and RF references are made from the invoice
 * number's digits (formats/reference.h). An invoice stored with the
 * Dutch reference by a Belgian or other practice (issued before the
 * reference followed the country) gets its reference derived the same
 * way when read, so its documents stay as they were. */
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
enum payref_scheme epc_payref(const struct invoice *inv,
                              const struct practice *p, struct payref *out);

/* The EPC069-12 payload (version 002, UTF-8, SCT) for what is still open
 * on inv: lines separated by LF, nothing after the last line. The
 * beneficiary is the practice (name, IBAN, BIC), or for a self-billed
 * invoice the supplier (inv->supplier name and IBAN, no BIC). For a
 * Dutch practice the structured-reference line stays empty — a Dutch
 * betalingskenmerk is not an ISO 11649 reference — and the remittance
 * line reads "<payment reference> <invoice number>"; for others the
 * structured line holds epc_payref's reference (RF, or the 12 digits of
 * the Belgian communication) and the remittance line stays empty (the
 * standard allows one of the two), or, when there is none (a number
 * without digits), reads the invoice number. Control characters in names
 * become spaces; the name is cut at 70 and the remittance at 140
 * characters. Returns a malloc'd string, or NULL and e when there is
 * nothing to pay by transfer (credit note, open amount outside
 * 0.01..999999999.99), the IBAN is missing or invalid, or the payload
 * would exceed 331 bytes. */
char *epc_payload(const struct invoice *inv, const struct practice *p,
                  struct err *e);

/* Encode payload as a QR symbol with error correction level M in 8-bit
 * mode. On success *modules is a malloc'd width × width array, row by
 * row, 1 for a dark module and 0 for a light one (no quiet zone), and 0
 * is returned; -1 and e on failure. */
int epc_qr_modules(const char *payload, unsigned char **modules, int *width,
                   struct err *e);

#endif
