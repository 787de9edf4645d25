/*
 * prices.c — the price change use cases.
 */
#include "usecase/prices.h"

#include <stdlib.h>

#include "store/subscriptions.h"

int price_schedule(struct engine *eng, const char *type, cdate from,
                   int64_t price, cdate today, struct err *e)
{
    char a[11];
    if (!rules_subscription_type(eng->r, type))
        return err_set(e, "no subscription type '%s'", type);
    if (price < 0)
        return err_set(e, "price must not be negative");
    if (from < today)
        return err_set(e, "a price change cannot take effect in the past (%s); "
                          "use today's date for an immediate change",
                       date_fmt(from, a));
    int dup;
    if (price_changes_insert(eng->lg, type, from, price, today, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "a price change of '%s' on %s is already scheduled; "
                          "cancel it first", type, date_fmt(from, a));
    return 0;
}

int price_cancel(struct engine *eng, const char *type, cdate from,
                 cdate today, struct err *e)
{
    char a[11];
    if (!rules_subscription_type(eng->r, type))
        return err_set(e, "no subscription type '%s'", type);
    if (from <= today)
        return err_set(e, "the price change of %s on %s already applies; it "
                          "can only be cancelled before that day", type,
                       date_fmt(from, a));
    int found;
    if (price_changes_cancel(eng->lg, type, from, today, &found, e) != 0)
        return -1;
    if (!found)
        return err_set(e, "no price change of '%s' scheduled on %s", type,
                       date_fmt(from, a));
    return 0;
}

int price_list_load(struct ledger *lg, const struct subscription_type *t,
                    struct price_list *out, struct err *e)
{
    struct price_change *live;
    size_t n;
    if (price_changes_of(lg, t->d.id, &live, &n, e) != 0)
        return -1;
    price_list_build(t, live, n, out);
    free(live);
    return 0;
}
