/*
 * accounts.h — adding an account: checked by decide/subscription.c, then
 * written through store/accounts.h (which also answers whether an account
 * exists and has a mandate).
 */
#ifndef CAREBILL_USECASE_ACCOUNTS_H
#define CAREBILL_USECASE_ACCOUNTS_H

#include "decide/subscription.h"
#include "store/accounts.h"

/* Add account a on day `today`; refuses invalid input and a taken id,
 * writing nothing then. The caller owns the transaction. */
int account_add(struct ledger *lg, const struct account_input *a,
                cdate today, struct err *e);

#endif
