/*
 * price.h — the price of a subscription type on a day: the rule files'
 * schedule merged with the live changes the ledger holds (`price
 * schedule`); a ledger change on the same day as a file change overrides
 * it. A period is billed at the price in force on its first day.
 */
#ifndef CAREBILL_DECIDE_PRICE_H
#define CAREBILL_DECIDE_PRICE_H

#include <stddef.h>

#include "rules/rules.h"

struct price_list {
    int64_t base;                 /* the type's price before any change */
    struct price_change *changes; /* merged, sorted by date */
    size_t n;
};

/* Merge t's file schedule with the ledger's n live changes (any order). */
void price_list_build(const struct subscription_type *t,
                      const struct price_change *ledger, size_t n,
                      struct price_list *out);
int64_t price_list_on(const struct price_list *pl, cdate d);
void price_list_free(struct price_list *pl);

#endif
