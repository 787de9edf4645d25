/*
 * payouts.h — the payouts table (migration 008) and what the payout
 * decision reads: per placement's month, the supplier's hours invoice
 * (total, paid, self-billed or not) and the commission invoices of the
 * same month. Every function works inside the caller's transaction and
 * returns 0, or -1 with e filled.
 */
#ifndef CAREBILL_STORE_PAYOUTS_H
#define CAREBILL_STORE_PAYOUTS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/payout.h"
#include "ledger/ledger.h"

/* Every invoiced placement's month, by hours invoice, with its supplier
 * commission invoice (id and total); the strings are owned by the array
 * (payouts_months_free). */
int payouts_months(struct ledger *lg, struct payout_month **out, size_t *n,
                   struct err *e);
void payouts_months_free(struct payout_month *v, size_t n);

/* The sum of every payout to supplier (exported, booked or not). */
int payouts_paid(struct ledger *lg, const char *supplier, int64_t *cents,
                 struct err *e);

/* The sum of the booked payouts to supplier (the bank showed them). */
int payouts_booked(struct ledger *lg, const char *supplier, int64_t *cents,
                   struct err *e);

/* The number of batches exported on `day` into *n. */
int payouts_batches_on(struct ledger *lg, cdate day, int64_t *n,
                       struct err *e);

/* A transfer to write down. */
struct payout_row {
    const char *supplier, *batch, *end_to_end_id, *iban;
    int64_t amount_cents;
    cdate exported_on;
};
int payouts_insert(struct ledger *lg, const struct payout_row *p,
                   struct err *e);

/* The payout with end-to-end id `e2e` and amount `cents` is booked on
 * `on` (the bank statement's debit); *booked = 1 when there was such a
 * payout not booked before, else 0. */
int payouts_book(struct ledger *lg, const char *e2e, int64_t cents, cdate on,
                 int *booked, struct err *e);

/* A dated movement of what the agency owes a supplier, for the reports of
 * a date range: the supplier's hours invoices and their credit notes
 * (invoiced, on the issue day), the commission withheld (and its undos),
 * the transfers exported (paid) and, of those, the ones the bank
 * statement showed (booked, on the statement's day). */
enum payout_move_kind { PAYOUT_INVOICED, PAYOUT_WITHHELD, PAYOUT_PAID,
                        PAYOUT_BOOKED };
struct payout_move {
    char *supplier;
    cdate on;
    enum payout_move_kind kind;
    int64_t cents; /* a credit note and an undo count negative */
};
void payout_moves_free(struct payout_move *m, size_t n);

/* Every movement dated on or before `to` (CDATE_NONE: all), by supplier
 * and date. */
int payouts_moves(struct ledger *lg, cdate to, struct payout_move **out,
                  size_t *n, struct err *e);

#endif
