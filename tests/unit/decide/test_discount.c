/*
 * test_discount.c — discount codes of seat plans (engine/decide/discount.c)
 * without a ledger: which plans a code is for, how many invoices a
 * redemption discounts (once, N periods, forever), why a redemption is
 * refused (unknown, inactive, expired, exhausted, another plan) and what
 * a code takes off an invoice (a percentage rounded half away from zero,
 * or an amount), never below zero. Expected values are written out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decide/discount.h"
#include "base/util.h"

static cdate P(const char *s)
{
    struct err e = {""};
    cdate d = CDATE_NONE;
    if (date_parse(s, &d, &e) != 0)
        fail_msg("%s", e.msg);
    return d;
}

/* A code as the rule loader leaves it: active, no expiry, no limit. */
static struct discount_code code(const char *id, int32_t bp, int64_t cents)
{
    struct discount_code dc;
    memset(&dc, 0, sizeof dc);
    dc.d.id = (char *)id;
    dc.d.name = (char *)id;
    dc.d.active = 1;
    dc.d.at.file = "practice.yaml";
    dc.d.at.line = 7;
    dc.percent_bp = bp;
    dc.amount_cents = cents;
    dc.expires = CDATE_NONE;
    return dc;
}

/* 1.1 A code without plans is for every plan; with plans, only those
 * named, separated by commas or spaces, whole ids only. */
static void t1_1_for_plan(void **state)
{
    (void)state;
    struct discount_code dc = code("welkom", 2000, 0);
    assert_int_equal(discount_for_plan(&dc, "standaard"), 1);
    dc.plans = "starter, blended";
    assert_int_equal(discount_for_plan(&dc, "starter"), 1);
    assert_int_equal(discount_for_plan(&dc, "blended"), 1);
    assert_int_equal(discount_for_plan(&dc, "standaard"), 0);
    assert_int_equal(discount_for_plan(&dc, "start"), 0);
    dc.plans = "starter blended";
    assert_int_equal(discount_for_plan(&dc, "blended"), 1);
    dc.plans = "";
    assert_int_equal(discount_for_plan(&dc, "standaard"), 1);
}

/* 1.2 Durations: periods N, once = 1, forever = 0 (no end); periods 0
 * without a duration is forever. */
static void t1_2_durations(void **state)
{
    (void)state;
    struct discount_code dc = code("d", 1000, 0);
    dc.periods = 3;
    assert_int_equal(discount_periods(&dc), 3);
    assert_int_equal(discount_applies(&dc, 0), 1);
    assert_int_equal(discount_applies(&dc, 2), 1);
    assert_int_equal(discount_applies(&dc, 3), 0);
    dc.periods = 0;
    assert_int_equal(discount_periods(&dc), 0);
    assert_int_equal(discount_applies(&dc, 1000), 1);
    dc.duration = DISCOUNT_ONCE;
    assert_int_equal(discount_periods(&dc), 1);
    assert_int_equal(discount_applies(&dc, 0), 1);
    assert_int_equal(discount_applies(&dc, 1), 0);
    dc.duration = DISCOUNT_FOREVER;
    assert_int_equal(discount_periods(&dc), 0);
    assert_int_equal(discount_applies(&dc, 500), 1);
}

/* 2.1 A redeemable code passes; an unknown one is named. */
static void t2_1_redeem_ok_unknown(void **state)
{
    (void)state;
    struct err e = {""};
    struct discount_code dc = code("welkom", 2000, 0);
    assert_int_equal(discount_redeem_check(&dc, "welkom", "standaard",
                                           P("2027-01-01"), 0, &e), 0);
    assert_int_equal(discount_redeem_check(NULL, "wlkom", "standaard",
                                           P("2027-01-01"), 0, &e), -1);
    assert_string_equal(e.msg, "no discount code 'wlkom'");
}

/* 2.2 Inactive and expired codes: the last day still redeems. */
static void t2_2_inactive_expired(void **state)
{
    (void)state;
    struct err e = {""};
    struct discount_code dc = code("zomer", 5000, 0);
    dc.expires = P("2026-09-30");
    assert_int_equal(discount_redeem_check(&dc, "zomer", "standaard",
                                           P("2026-09-30"), 0, &e), 0);
    assert_int_equal(discount_redeem_check(&dc, "zomer", "standaard",
                                           P("2026-10-01"), 0, &e), -1);
    assert_string_equal(e.msg, "discount code 'zomer' expired on 2026-09-30");
    dc.d.active = 0;
    assert_int_equal(discount_redeem_check(&dc, "zomer", "standaard",
                                           P("2026-09-01"), 0, &e), -1);
    assert_string_equal(e.msg, "discount code 'zomer' is no longer offered "
                               "(practice.yaml:7)");
}

/* 2.3 Exhausted: max_redemptions reached; 0 is no limit. */
static void t2_3_exhausted(void **state)
{
    (void)state;
    struct err e = {""};
    struct discount_code dc = code("eenmalig", 0, 2500);
    dc.max_redemptions = 1;
    assert_int_equal(discount_redeem_check(&dc, "eenmalig", "standaard",
                                           P("2027-01-01"), 0, &e), 0);
    assert_int_equal(discount_redeem_check(&dc, "eenmalig", "standaard",
                                           P("2027-01-01"), 1, &e), -1);
    assert_string_equal(e.msg, "discount code 'eenmalig' has been redeemed 1 "
                               "time, its maximum");
    dc.max_redemptions = 2;
    assert_int_equal(discount_redeem_check(&dc, "eenmalig", "standaard",
                                           P("2027-01-01"), 2, &e), -1);
    assert_string_equal(e.msg, "discount code 'eenmalig' has been redeemed 2 "
                               "times, its maximum");
    dc.max_redemptions = 0;
    assert_int_equal(discount_redeem_check(&dc, "eenmalig", "standaard",
                                           P("2027-01-01"), 99999, &e), 0);
}

/* 2.4 A code for other plans names them. */
static void t2_4_other_plan(void **state)
{
    (void)state;
    struct err e = {""};
    struct discount_code dc = code("starter10", 0, 1000);
    dc.plans = "starter";
    assert_int_equal(discount_redeem_check(&dc, "starter10", "standaard",
                                           P("2027-01-01"), 0, &e), -1);
    assert_string_equal(e.msg, "discount code 'starter10' is for plan "
                               "starter, not 'standaard'");
    dc.plans = "starter, blended";
    assert_int_equal(discount_redeem_check(&dc, "starter10", "standaard",
                                           P("2027-01-01"), 0, &e), -1);
    assert_string_equal(e.msg, "discount code 'starter10' is for plans "
                               "starter, blended, not 'standaard'");
}

/* 3.1 Percentages round half away from zero on the lines' sum. */
static void t3_1_percent(void **state)
{
    (void)state;
    struct discount_code dc = code("p", 2000, 0);
    assert_int_equal(discount_amount(&dc, 21450), 4290);
    assert_int_equal(discount_amount(&dc, 23250), 4650);
    dc.percent_bp = 1250; /* 12.5% of 0.99 = 0.12375 */
    assert_int_equal(discount_amount(&dc, 99), 12);
    dc.percent_bp = 5000; /* 50% of 0.01 = 0.005 -> 0.01 */
    assert_int_equal(discount_amount(&dc, 1), 1);
    dc.percent_bp = 10000;
    assert_int_equal(discount_amount(&dc, 3900), 3900);
}

/* 3.2 Amounts are capped at the lines' sum: never below zero; nothing
 * off an invoice worth nothing (or less). */
static void t3_2_amount_capped(void **state)
{
    (void)state;
    struct discount_code dc = code("a", 0, 1000);
    assert_int_equal(discount_amount(&dc, 3000), 1000);
    assert_int_equal(discount_amount(&dc, 1000), 1000);
    assert_int_equal(discount_amount(&dc, 750), 750);
    assert_int_equal(discount_amount(&dc, 0), 0);
    assert_int_equal(discount_amount(&dc, -500), 0);
    struct discount_code pc = code("p", 2000, 0);
    assert_int_equal(discount_amount(&pc, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_for_plan),
        cmocka_unit_test(t1_2_durations),
        cmocka_unit_test(t2_1_redeem_ok_unknown),
        cmocka_unit_test(t2_2_inactive_expired),
        cmocka_unit_test(t2_3_exhausted),
        cmocka_unit_test(t2_4_other_plan),
        cmocka_unit_test(t3_1_percent),
        cmocka_unit_test(t3_2_amount_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
