/*
 * ubl.h — an issued invoice or credit note as a Peppol BIS Billing 3.0
 * e-invoice: a UBL 2.1 Invoice (type 380) or CreditNote (381, with a
 * BillingReference to the invoice it corrects), written with libxml2's
 * xmlTextWriter. Every amount is the ledger's: line amounts and the VAT
 * summary as stored with the invoice (struct invoice as loaded), never
 * recomputed from the rules loaded now. When prices include VAT, each
 * rate's stored net amount is shared over that rate's lines (each line
 * net of VAT to within a cent, the cents left by rounding given to the
 * lines whose exact share lies closest to the next cent), so that lines,
 * VAT breakdown and totals meet the EN 16931 sums exactly. A stored total
 * that differs from net + VAT goes in PayableRoundingAmount. In a credit
 * note every amount is positive: the document type says it is a credit.
 * Pure: no ledger, no rules file, no network.
 */
#ifndef CAREBILL_UBL_H
#define CAREBILL_UBL_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"
#include "rules/rules.h"

/* The VAT exemption reason code written for category E (exempt care):
 * VAT directive art. 132(1)(c), medical care by the medical and
 * paramedical professions (Dutch art. 11 lid 1 onderdeel g Wet OB). The
 * rate's exempt_text stored with the invoice is written beside it. */
#define UBL_EXEMPT_CODE "VATEX-EU-132-1C"

/* What one e-invoice is written from. Strings are borrowed. */
struct ubl_doc {
    const struct invoice *inv;  /* whole: lines, VAT summary, parties */
    const struct practice *p;   /* the seller */
    const char *buyer_endpoint; /* the account's electronic address,
                                   "SCHEME:ID" (decide/subscription.h) */
    const char *mandate_id;     /* direct debit: the account's mandate */
    cdate corrected_issued;     /* credit note: issue date of the corrected
                                   invoice; CDATE_NONE when unknown */
    const char *exempt_code;    /* VATEX code for category E; NULL:
                                   UBL_EXEMPT_CODE; "": none, the
                                   exemption text alone (a supplier in
                                   the small-business scheme) */
    const struct practice *payee; /* who is paid, when not the seller:
                                   the agency that collects an invoice
                                   issued on behalf of a supplier
                                   (PayeeParty, its IBAN in the payment
                                   means); NULL: the seller */
    int self_billed_credit;     /* a credit note of a self-billed
                                   invoice: Peppol Self-Billing, type 261 */
};

/* Write d as UBL 2.1 XML into *buf (malloc'd, NUL-terminated; the
 * caller frees) and *len. A self-billed invoice (INV_SELFBILL) is
 * written as Peppol BIS Self-Billing 3.0 (type 389), its credit note
 * (d->self_billed_credit) as a self-billing CreditNote (261): d->p is
 * then the seller, the supplier in whose name the buyer issued it. An
 * invoice issued on behalf of a supplier (INV_ON_BEHALF) is an ordinary
 * invoice (380) with the supplier as d->p and the agency as d->payee.
 * Refuses, writing nothing, what cannot become a valid Peppol document,
 * saying which field is missing or malformed: no lines, no
 * buyer electronic address, a practice without a VAT number, an electronic address (KvK,
 * Belgian enterprise number or Dutch/Belgian VAT number), an IBAN or a
 * "street / postcode city" address, a direct debit without its mandate,
 * a buyer VAT number without a country prefix, a Dutch buyer without
 * street, postcode and city. 0, or -1 with e filled. */
int ubl_write_buf(const struct ubl_doc *d, char **buf, size_t *len,
                  struct err *e);

/* ubl_write_buf to the file at path, written as path.tmp, synced and
 * renamed: path is the complete document or untouched. 0 or -1 and e. */
int ubl_write_file(const struct ubl_doc *d, const char *path, struct err *e);

/* The net amount of each line of inv into net[inv->n_lines], signed as
 * stored: the stored amount when prices exclude VAT (or the rate is 0 or
 * exempt); otherwise the line's share of its rate's stored net amount,
 * round(amount / (1 + rate)) corrected by a cent on the lines closest to
 * the next cent until the shares add up to the stored net exactly. */
void ubl_line_nets(const struct invoice *inv, int64_t *net);

#endif
