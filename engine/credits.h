/*
 * credits.h — packages of prepaid credits (seed 001): grants when a
 * product invoice is paid in full (or by import), consumption by
 * appointments (oldest grant first), returns on cancellation, and the
 * journal that keeps the accountant's books: a grant is a liability on the
 * package's balance item at the internal rate until consumed, then revenue
 * on its ledger account.
 */
#ifndef CAREBILL_CREDITS_H
#define CAREBILL_CREDITS_H

#include "invoice.h"
#include "ledger.h"
#include "rules.h"

/* Grant the credits of every package line of a paid invoice, once. */
int credits_grant_for_invoice(struct ledger *lg, const struct rules *r,
                              const struct invoice *inv, cdate on,
                              struct err *e);

/* Withdraw the still-unused credits granted by a credited invoice. */
int credits_withdraw_for_invoice(struct ledger *lg, const struct rules *r,
                                 int64_t invoice, cdate on, struct err *e);

#endif
