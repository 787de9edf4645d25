/*
 * payout.h — what the agency owes each supplier, as a pure decision. A
 * placement's month counts once its hours are collected: the client paid
 * the on-behalf invoice in full, or (self-billing) the agency issued the
 * supplier's invoice to itself. Then the supplier is due that invoice's
 * total minus the commission invoices of the same month (withheld), less
 * what earlier payouts transferred.
 */
#ifndef CAREBILL_DECIDE_PAYOUT_H
#define CAREBILL_DECIDE_PAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* One placement's month as the ledger holds it. */
struct payout_month {
    const char *supplier;
    int self_billed;          /* the hours invoice is self-billed */
    int64_t hours_total_cents; /* the supplier's invoice, incl. VAT */
    int64_t hours_paid_cents;  /* what the client paid on it */
    int64_t commission_cents;  /* the supplier's commission invoice(s) */
    int commission_pending;    /* a commission is charged but not yet
                                  invoiced: the month waits for it */
    const char *placement;
    int64_t commission_invoice; /* the supplier's commission invoice, 0:
                                   none yet */
    int64_t hours_invoice;      /* the hours invoice */
};

/* 1 when the month counts as collected (see above). */
int payout_collected(const struct payout_month *m);

/* One supplier's account with the agency. */
struct payout_due {
    char supplier[128];
    int64_t collected_cents; /* hours invoices of collected months */
    int64_t withheld_cents;  /* their commission */
    int64_t paid_cents;      /* transferred by earlier payouts */
    int64_t due_cents;       /* collected - withheld - paid, never < 0 */
};

/* Sum months[0..n) per supplier into out (at most max suppliers, in the
 * order they first appear); what earlier payouts transferred to a
 * supplier is asked of paid_of(arg, supplier) (NULL: nothing). Returns
 * the number of suppliers written. */
size_t payout_dues(const struct payout_month *months, size_t n,
                   int64_t (*paid_of)(void *arg, const char *supplier),
                   void *arg, struct payout_due *out, size_t max);

/* The end-to-end id of supplier `supplier`'s transfer in batch `batch`
 * (at most 35 characters, SEPA's limit): "P" + batch + "-" + index.
 * buf >= 36 bytes. */
char *payout_end_to_end(const char *batch, size_t index, char buf[36]);

#endif
