/*
 * payments.h — the payments table: money received against an invoice,
 * credit notes applied to what they correct, and reversals from the bank
 * (negative rows). Rows are only ever added; an invoice's status is
 * decided from their sums (store/invoices.h invoices_sums,
 * decide/invoice_status.h). Works inside the caller's transaction.
 */
#ifndef CAREBILL_STORE_PAYMENTS_H
#define CAREBILL_STORE_PAYMENTS_H

#include <stdint.h>

#include "ledger/ledger.h"

/* One payments row; strings are borrowed. */
struct payment_row {
    int64_t invoice;
    int64_t amount_cents; /* < 0 for a reversal, and on a credit note */
    cdate on;             /* also stored as the row's creation date */
    const char *method;   /* "manual", "bank", "direct_debit",
                             "credit_note", "reversal" */
    const char *bank_ref; /* NULL, or unique: a statement entry */
};

/* Add row p. A bank_ref recorded before sets *dup = 1 (when dup is
 * non-NULL) and writes nothing; with dup NULL it is an error. Returns 0
 * or -1 with e filled. */
int payments_insert(struct ledger *lg, const struct payment_row *p, int *dup,
                    struct err *e);

#endif
