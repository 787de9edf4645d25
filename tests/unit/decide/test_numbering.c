/*
 * test_numbering.c — numbers follow dates (engine/decide/numbering.c),
 * without SQLite: part 1 an empty series, part 2 dates around the latest
 * issue date.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/util.h"
#include "decide/numbering.h"

static cdate D(int y, int m, int d) { return date_from_ymd(y, m, d); }

/* 1.1 Nothing issued yet: any date may take the first number. */
static void numbering_1_1_empty(void **state)
{
    (void)state;
    assert_int_equal(numbering_date_ok(CDATE_NONE, D(2026, 1, 1)), 1);
    assert_int_equal(numbering_date_ok(CDATE_NONE, D(1999, 12, 31)), 1);
}

/* 2.1 The same day as the latest invoice is in order. */
static void numbering_2_1_same_day(void **state)
{
    (void)state;
    assert_int_equal(numbering_date_ok(D(2026, 2, 1), D(2026, 2, 1)), 1);
}

/* 2.2 A later day is in order. */
static void numbering_2_2_later(void **state)
{
    (void)state;
    assert_int_equal(numbering_date_ok(D(2026, 2, 1), D(2026, 2, 2)), 1);
    assert_int_equal(numbering_date_ok(D(2026, 12, 31), D(2027, 1, 1)), 1);
}

/* 2.3 One day before the latest invoice is out of order. */
static void numbering_2_3_day_before(void **state)
{
    (void)state;
    assert_int_equal(numbering_date_ok(D(2026, 2, 1), D(2026, 1, 31)), 0);
}

/* 2.4 A year before (the 2027 typo, then the real date) is out of
 * order. */
static void numbering_2_4_year_before(void **state)
{
    (void)state;
    assert_int_equal(numbering_date_ok(D(2027, 11, 1), D(2026, 11, 2)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbering_1_1_empty),
        cmocka_unit_test(numbering_2_1_same_day),
        cmocka_unit_test(numbering_2_2_later),
        cmocka_unit_test(numbering_2_3_day_before),
        cmocka_unit_test(numbering_2_4_year_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
