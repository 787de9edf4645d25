/*
 * invoice_status.h — an issued invoice's status as a decision on plain
 * sums: open, paid or credited, from its total and what was booked
 * against it (payments received, credit notes applied, reversals taken
 * back), and the transition a new booking causes. The ledger keeps the
 * answer in invoices.status and invoices.paid_cents; payment.c writes it
 * after every booking.
 */
#ifndef CAREBILL_DECIDE_INVOICE_STATUS_H
#define CAREBILL_DECIDE_INVOICE_STATUS_H

#include <stdint.h>

#include "decide/invoice.h"

/* What was booked on one invoice, in cents. The three booking sums
 * partition its payments rows: paid by the methods that bring money
 * (manual, bank, direct debit), credited by credit-note applications
 * (negative on the credit note itself), reversed by the bank taking
 * money back (a positive amount). */
struct invoice_sums {
    int64_t total_cents;    /* the invoice's total; < 0 for a credit note */
    int64_t paid_cents;
    int64_t credited_cents;
    int64_t reversed_cents;
};

/* What stands settled on the invoice: paid + credited - reversed (the
 * ledger's invoices.paid_cents). */
int64_t invoice_settled_cents(const struct invoice_sums *s);

/* The status the sums give. A credit note (total < 0) is paid once what
 * was applied from it reaches its total, else open. An invoice with a
 * positive total is credited when credit notes alone cover it, paid when
 * what stands settled reaches its total, else open. */
enum invoice_status invoice_status_of(const struct invoice_sums *s);

/* The transition from status `before` to `after`, for what hangs on it:
 * INVOICE_BECAME_PAID / INVOICE_BECAME_CREDITED when an open invoice
 * closed, INVOICE_REOPENED when a closed one opened again, else
 * INVOICE_UNCHANGED (also paid <-> credited). */
enum invoice_transition {
    INVOICE_REOPENED = -1,
    INVOICE_UNCHANGED = 0,
    INVOICE_BECAME_PAID = 1,
    INVOICE_BECAME_CREDITED = 2,
};
enum invoice_transition invoice_status_transition(enum invoice_status before,
                                                  enum invoice_status after);

#endif
