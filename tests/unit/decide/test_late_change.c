/*
 * test_late_change.c — the correction of an invoice that a late stop,
 * pause or price change made partly or wholly unbillable
 * (decide/late_change.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decide/late_change.h"

/* 1.1 a period no longer billed at all: the whole invoice */
static void t1_1_whole_period(void **state)
{
    (void)state;
    struct late_period p = {4500, 0, 4500, 0, 1, 0, 0};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_WARN, &p, &c, &full),
                     LATE_WARNED);
    assert_int_equal(c, 4500);
    assert_int_equal(full, 1);
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_CREDITED);
    assert_int_equal(c, 4500);
    assert_int_equal(full, 1);
}

/* 1.2 half the period paused: the difference, not in full */
static void t1_2_partial(void **state)
{
    (void)state;
    struct late_period p = {3000, 1500, 3000, 0, 1, 0, 0};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_CREDITED);
    assert_int_equal(c, 1500);
    assert_int_equal(full, 0);
}

/* 1.3 a second late pause: only what was not credited before */
static void t1_3_credited_before(void **state)
{
    (void)state;
    struct late_period p = {3000, 750, 3000, 1500, 1, 0, 0};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_CREDITED);
    assert_int_equal(c, 750);
    assert_int_equal(full, 0);
}

/* 1.4 every billed day still billable: nothing */
static void t1_4_nothing(void **state)
{
    (void)state;
    struct late_period p = {4500, 4500, 4500, 0, 1, 0, 0};
    int64_t c = -1;
    int full = -1;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_NONE);
    assert_int_equal(c, 0);
    assert_int_equal(full, 0);
    struct late_period q = {3000, 1500, 3000, 1500, 1, 0, 0};
    assert_int_equal(late_change_decide(LATE_CHANGE_WARN, &q, &c, &full),
                     LATE_NONE);
}

/* 1.5 exported in a batch: never credited, whatever the setting */
static void t1_5_exported(void **state)
{
    (void)state;
    struct late_period p = {4500, 0, 4500, 0, 1, 1, 0};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_EXPORTED);
    assert_int_equal(c, 4500);
    assert_int_equal(late_change_decide(LATE_CHANGE_WARN, &p, &c, &full),
                     LATE_EXPORTED);
}

/* 1.6 never more than the invoice still holds; two lines: not in full */
static void t1_6_capped(void **state)
{
    (void)state;
    struct late_period p = {4500, 0, 6000, 5000, 2, 0, 0};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_NONE);
    struct late_period q = {4500, 0, 6000, 2000, 2, 0, 0};
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &q, &c, &full),
                     LATE_CREDITED);
    assert_int_equal(c, 2500);
    assert_int_equal(full, 0);
}

/* 2.1 a lower price on an issued period: the difference, as for a stop */
static void t2_1_lower_price(void **state)
{
    (void)state;
    struct late_period p = {4500, 4000, 4500, 0, 1, 0, 1};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_CREDITED);
    assert_int_equal(c, 500);
    assert_int_equal(full, 0);
    assert_int_equal(late_change_decide(LATE_CHANGE_WARN, &p, &c, &full),
                     LATE_WARNED);
    p.exported = 1;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_EXPORTED);
}

/* 2.2 a higher price: reported whatever the setting, never credited */
static void t2_2_higher_price(void **state)
{
    (void)state;
    struct late_period p = {4500, 5000, 4500, 0, 1, 0, 1};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_UNDERBILLED);
    assert_int_equal(c, 500);
    assert_int_equal(full, 0);
    p.exported = 1;
    assert_int_equal(late_change_decide(LATE_CHANGE_WARN, &p, &c, &full),
                     LATE_UNDERBILLED);
    assert_int_equal(c, 500);
    /* after a lower price was credited (45.00 - 5.00), cancelling it */
    struct late_period q = {4500, 4500, 4500, 500, 1, 0, 1};
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &q, &c, &full),
                     LATE_UNDERBILLED);
    assert_int_equal(c, 500);
}

/* 2.3 only a price change reports billing more: a stop or pause never */
static void t2_3_stop_never_underbills(void **state)
{
    (void)state;
    struct late_period p = {4500, 5000, 4500, 0, 1, 0, 0};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_NONE);
    assert_int_equal(c, 0);
}

/* 2.4 a credit note for another line of the invoice is not this line's */
static void t2_4_other_line_credited(void **state)
{
    (void)state;
    struct late_period p = {4500, 4500, 6000, 1500, 2, 0, 1};
    int64_t c;
    int full;
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &p, &c, &full),
                     LATE_NONE);
    struct late_period q = {4500, 4800, 6000, 1500, 2, 0, 1};
    assert_int_equal(late_change_decide(LATE_CHANGE_CREDIT, &q, &c, &full),
                     LATE_UNDERBILLED);
    assert_int_equal(c, 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_whole_period),
        cmocka_unit_test(t1_2_partial),
        cmocka_unit_test(t1_3_credited_before),
        cmocka_unit_test(t1_4_nothing),
        cmocka_unit_test(t1_5_exported),
        cmocka_unit_test(t1_6_capped),
        cmocka_unit_test(t2_1_lower_price),
        cmocka_unit_test(t2_2_higher_price),
        cmocka_unit_test(t2_3_stop_never_underbills),
        cmocka_unit_test(t2_4_other_line_credited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
