/*
 * payouts.h — paying a mediation agency's suppliers: what each is due
 * (decide/payout.h: collected minus withheld commission minus earlier
 * payouts), the SEPA credit-transfer batch that pays it
 * (formats/pain001.h), the report, and the bank statement's debit that
 * books a transfer. Every use case works inside the caller's
 * transaction.
 */
#ifndef CAREBILL_USECASE_PAYOUTS_H
#define CAREBILL_USECASE_PAYOUTS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/payout.h"
#include "usecase/engine.h"

/* One supplier's line in `report payouts`. */
struct payout_report {
    struct payout_due due;
    int64_t booked_cents; /* of paid: what the bank statement showed */
};

/* Every supplier with invoiced hours: collected, withheld, paid, booked,
 * due. *out is malloc'd (free it); *n may be 0. */
int payouts_report(struct engine *eng, struct payout_report **out, size_t *n,
                   struct err *e);

/* Write one pain.001 batch to path paying every supplier what is due on
 * eng->today, and record each transfer; the supplier commission invoices
 * of the months it pays are paid by withholding (payment method
 * "withheld"), self-billed hours invoices by the payout ("payout").
 * Refuses (nothing written) when
 * nothing is due, or a supplier due money has no valid IBAN. *count and
 * *total_cents say what the batch holds; *batch (>= 36 bytes) its id. */
int payouts_export(struct engine *eng, const char *path, size_t *count,
                   int64_t *total_cents, char batch[36], struct err *e);

/* A bank statement's debit with end-to-end id `e2e` of `cents` booked on
 * `on`: the payout it is gets booked; *booked = 1 then, else 0. */
int payouts_book_debit(struct engine *eng, const char *e2e, int64_t cents,
                       cdate on, int *booked, struct err *e);

#endif
