/*
 * prices.h — scheduled price changes of subscription types: schedule and
 * cancel them in the ledger, and read a type's whole price list (rule
 * files merged with the ledger; decide/price.h).
 */
#ifndef CAREBILL_USECASE_PRICES_H
#define CAREBILL_USECASE_PRICES_H

#include "decide/price.h"
#include "usecase/engine.h"

/* Schedule `price` cents for type from `from` (not in the past). */
int price_schedule(struct engine *eng, const char *type, cdate from,
                   int64_t price, cdate today, struct err *e);
/* Cancel the change of type on `from` (only before that day). */
int price_cancel(struct engine *eng, const char *type, cdate from,
                 cdate today, struct err *e);

/* The price list of t: the rule files' schedule and the ledger's live
 * changes. price_list_free releases it. */
int price_list_load(struct ledger *lg, const struct subscription_type *t,
                    struct price_list *out, struct err *e);

#endif
