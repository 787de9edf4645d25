/*
 * test_price.c — a subscription type's price list (engine/decide/price.c):
 * the rule files' schedule merged with the ledger's live changes, and the
 * price in force on a day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decide/price.h"
#include "../support.h"

/* A type at 45.00 with a file change to 47.50 on 2027-01-01. */
static struct subscription_type type_with_file_change(struct price_change *fc)
{
    struct subscription_type t;
    memset(&t, 0, sizeof t);
    t.d.id = "fit";
    t.price_cents = 4500;
    fc->from = P("2027-01-01");
    fc->price_cents = 4750;
    t.changes = fc;
    t.n_changes = 1;
    return t;
}

/* 1.1 Without ledger changes the file's schedule applies; a day before
 * the first change has the base price. */
static void t1_1_file_only(void **state)
{
    struct price_change fc;
    struct subscription_type t = type_with_file_change(&fc);
    struct price_list pl;
    price_list_build(&t, NULL, 0, &pl);
    assert_int_equal(price_list_on(&pl, P("2026-12-31")), 4500);
    assert_int_equal(price_list_on(&pl, P("2027-01-01")), 4750);
    price_list_free(&pl);
}

/* 1.2 Ledger changes come in any order and are merged by date; one on
 * the same day as the file's overrides it. */
static void t1_2_merge_and_override(void **state)
{
    struct price_change fc;
    struct subscription_type t = type_with_file_change(&fc);
    struct price_change live[] = {{P("2027-01-01"), 4900, {0}},
                                  {P("2026-06-01"), 4600, {0}}};
    struct price_list pl;
    price_list_build(&t, live, 2, &pl);
    assert_int_equal(pl.n, 2);
    assert_int_equal(price_list_on(&pl, P("2026-05-31")), 4500);
    assert_int_equal(price_list_on(&pl, P("2026-06-01")), 4600);
    assert_int_equal(price_list_on(&pl, P("2026-12-31")), 4600);
    assert_int_equal(price_list_on(&pl, P("2027-01-01")), 4900);
    price_list_free(&pl);
    assert_int_equal(pl.n, 0);
    /* The type itself is untouched. */
    assert_int_equal(t.changes[0].price_cents, 4750);
}

/* 1.3 A change to zero is a price like any other. */
static void t1_3_zero(void **state)
{
    struct price_change fc;
    struct subscription_type t = type_with_file_change(&fc);
    struct price_change live[] = {{P("2026-03-01"), 0, {0}}};
    struct price_list pl;
    price_list_build(&t, live, 1, &pl);
    assert_int_equal(price_list_on(&pl, P("2026-03-15")), 0);
    assert_int_equal(price_list_on(&pl, P("2027-02-01")), 4750);
    price_list_free(&pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_file_only),
        cmocka_unit_test(t1_2_merge_and_override),
        cmocka_unit_test(t1_3_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
