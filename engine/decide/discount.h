/*
 * discount.h — discount codes of seat plans (seed 003) as pure decisions:
 * whether a code may be redeemed (active, not expired, redemptions left,
 * meant for the plan), how many invoices a redemption discounts (once, N
 * periods or forever) and what it takes off an invoice (a percentage,
 * rounded half away from zero, or a fixed amount), never more than the
 * invoice is worth. No ledger, no I/O.
 */
#ifndef CAREBILL_DISCOUNT_H
#define CAREBILL_DISCOUNT_H

#include <stdint.h>

#include "base/util.h"
#include "rules/rules.h"

/* 1 when code dc applies to plan `plan_id` (a code without `plans`
 * applies to every plan), else 0. */
int discount_for_plan(const struct discount_code *dc, const char *plan_id);

/* Invoices one redemption of dc discounts: 1 for once, N for `periods:
 * N`, 0 for forever. */
int discount_periods(const struct discount_code *dc);

/* 1 when a redemption of dc that has discounted `used` invoices so far
 * discounts one more, else 0. */
int discount_applies(const struct discount_code *dc, int64_t used);

/* Whether code `code` (dc: its definition, NULL when no rule file
 * defines it) may be redeemed on `on` by an organisation on plan
 * `plan_id`, the code having been redeemed `redemptions` times so far.
 * Returns 0, or -1 with e saying why: unknown, inactive, expired, no
 * redemptions left, or meant for other plans. */
int discount_redeem_check(const struct discount_code *dc, const char *code,
                          const char *plan_id, cdate on, int64_t redemptions,
                          struct err *e);

/* What dc takes off an invoice whose lines come to base_cents: the
 * percentage of it (half away from zero) or the fixed amount, at most
 * base_cents; 0 when base_cents <= 0. Always >= 0. */
int64_t discount_amount(const struct discount_code *dc, int64_t base_cents);

#endif
