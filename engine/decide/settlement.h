/*
 * settlement.h — pure rules for money booked after an invoice: on which
 * days a payment may be booked (not before the invoice was issued, not
 * after today), and how a payment splits into what settles the invoice
 * and what is left over as the account's credit balance.
 * usecase/payment.c asks these before it writes anything.
 */
#ifndef CAREBILL_DECIDE_SETTLEMENT_H
#define CAREBILL_DECIDE_SETTLEMENT_H

#include <stdint.h>

#include "base/util.h"

/* Whether a payment dated `on` may be booked on an invoice issued on
 * `issued`, run date `today`. */
enum payment_date_verdict {
    PAYMENT_DATE_OK = 0,
    PAYMENT_DATE_BEFORE_INVOICE = 1, /* on < issued */
    PAYMENT_DATE_AFTER_TODAY = 2,    /* on > today */
};

/* The verdict for a payment dated `on`: BEFORE_INVOICE when on < issued
 * (checked first), AFTER_TODAY when on > today, else OK. CDATE_NONE for
 * issued or today skips that side. */
enum payment_date_verdict payment_date_check(cdate issued, cdate today,
                                             cdate on);

/* How a payment of `amount` cents splits on an invoice with `open` cents
 * still open: what settles the invoice and what is left over. */
struct payment_split {
    int64_t applied_cents; /* min(amount, max(open, 0)) */
    int64_t excess_cents;  /* amount - applied, >= 0 */
};

/* The split of a positive `amount` against `open` (a negative open counts
 * as 0: nothing is owed). */
struct payment_split payment_split_of(int64_t amount, int64_t open);

#endif
