/*
 * settlement.h — pure rules for money booked after an invoice: on which
 * days a payment may be booked (not before the invoice was issued, not
 * after today), how a payment splits into what settles the invoice and
 * what is left over as the account's credit balance, which payments may
 * be undone, and how much may be refunded. usecase/payment.c asks these
 * before it writes anything.
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

/* What `payment undo` knows about the payments row to undo. */
struct payment_undo_facts {
    const char *method;     /* the row's method */
    int64_t amount_cents;   /* the row's amount */
    int undone;             /* 1 when an undo of it exists */
    int64_t to_balance_cents; /* what went to the credit balance with it */
    int64_t balance_cents;  /* the account's credit balance now */
};

enum payment_undo_verdict {
    PAYMENT_UNDO_OK = 0,
    PAYMENT_UNDO_ALREADY = 1,     /* undone before */
    PAYMENT_UNDO_NOT_MONEY = 2,   /* a credit-note application, a bank
                                     reversal or an undo itself */
    PAYMENT_UNDO_BALANCE_USED = 3, /* its overpayment left the balance */
};

/* Whether the row may be undone: money received (manual, bank,
 * direct_debit), a balance applied (balance) or a refund (refund), not
 * undone before, and what it put on the balance still there (checked in
 * that order: ALREADY, NOT_MONEY, BALANCE_USED). */
enum payment_undo_verdict payment_undo_check(const struct payment_undo_facts *f);

/* The most that may be refunded on a credit note with total `total`
 * (< 0) of which `settled` (<= 0) stands settled: what the practice still
 * owes, as a positive amount (0 when nothing is owed, and for a total
 * that is not negative). */
int64_t refund_owed_on_credit_note(int64_t total, int64_t settled);

/* How much of `available` (a credit note's rest or a balance, >= 0) goes
 * to an invoice with `total` of which `paid` stands settled: the
 * smaller of the two, 0 when the invoice owes nothing. */
int64_t settlement_offset(int64_t available, int64_t total, int64_t paid);

#endif
