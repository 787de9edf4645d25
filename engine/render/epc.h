/*
 * epc.h — the EPC payment QR code (EPC069-12, "GiroCode"/"SEPA QR") printed
 * on an invoice: the text payload a banking app reads, and its QR symbol,
 * with the payment reference decide/payref.h chooses. Pure functions of
 * the invoice and the practice settings; no I/O.
 */
#ifndef CAREBILL_EPC_H
#define CAREBILL_EPC_H

#include <stdint.h>

#include "decide/invoice.h"
#include "decide/payref.h"
#include "rules/rules.h"
#include "base/util.h"

#define EPC_MAX_BYTES 331   /* whole payload, EPC069-12 */
#define EPC_MAX_NAME 70     /* beneficiary name, characters */
#define EPC_MAX_REMIT 140   /* unstructured remittance, characters */

/* The amount a payer still owes on inv: total - paid (negative for a
 * credit note, 0 when paid). */
int64_t epc_amount_open(const struct invoice *inv);

/* The EPC069-12 payload (version 002, UTF-8, SCT) for what is still open
 * on inv: lines separated by LF, nothing after the last line. The
 * beneficiary is the practice (name, IBAN, BIC), or for a self-billed
 * invoice the supplier (inv->supplier name and IBAN, no BIC). For a
 * Dutch practice the structured-reference line stays empty — a Dutch
 * betalingskenmerk is not an ISO 11649 reference — and the remittance
 * line reads "<payment reference> <invoice number>"; for others the
 * structured line holds invoice_payref's reference (RF, or the 12 digits of
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
