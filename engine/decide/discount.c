/*
 * discount.c — redeeming discount codes and what they take off an
 * invoice (discount.h).
 */
#include "decide/discount.h"

#include <stdio.h>
#include <string.h>

int discount_for_plan(const struct discount_code *dc, const char *plan_id)
{
    if (!dc->plans || !*dc->plans)
        return 1;
    size_t want = strlen(plan_id);
    for (const char *q = dc->plans; *q;) {
        size_t n = strcspn(q, ", ");
        if (n == want && !strncmp(q, plan_id, n))
            return 1;
        q += n;
        q += strspn(q, ", ");
    }
    return 0;
}

int discount_periods(const struct discount_code *dc)
{
    switch (dc->duration) {
    case DISCOUNT_ONCE: return 1;
    case DISCOUNT_FOREVER: return 0;
    case DISCOUNT_PERIODS: break;
    }
    return dc->periods;
}

int discount_applies(const struct discount_code *dc, int64_t used)
{
    int n = discount_periods(dc);
    return n == 0 || used < n;
}

int discount_redeem_check(const struct discount_code *dc, const char *code,
                          const char *plan_id, cdate on, int64_t redemptions,
                          struct err *e)
{
    char d[11];
    if (!dc)
        return err_set(e, "no discount code '%s'", code);
    if (!dc->d.active)
        return err_set(e, "discount code '%s' is no longer offered (%s:%d)",
                       code, dc->d.at.file, dc->d.at.line);
    if (dc->expires != CDATE_NONE && on > dc->expires)
        return err_set(e, "discount code '%s' expired on %s", code,
                       date_fmt(dc->expires, d));
    if (dc->max_redemptions && redemptions >= dc->max_redemptions)
        return err_set(e, "discount code '%s' has been redeemed %lld "
                          "time%s, its maximum", code, (long long)redemptions,
                       redemptions == 1 ? "" : "s");
    if (!discount_for_plan(dc, plan_id))
        return err_set(e, "discount code '%s' is for plan%s %s, not '%s'",
                       code, strpbrk(dc->plans, ", ") ? "s" : "", dc->plans,
                       plan_id);
    return 0;
}

int64_t discount_amount(const struct discount_code *dc, int64_t base_cents)
{
    if (base_cents <= 0)
        return 0;
    int64_t off = dc->percent_bp
                      ? money_muldiv_round(base_cents, dc->percent_bp, 10000)
                      : dc->amount_cents;
    if (off > base_cents)
        off = base_cents;
    return off < 0 ? 0 : off;
}
