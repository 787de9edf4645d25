/*
 * test_numbering.c — numbers follow dates (engine/decide/numbering.c),
 * without SQLite: part 1 an empty series, part 2 dates around the latest
 * issue date, part 3 the text of a number (numbering_format).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

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

/* The number `pattern` gives, compared with want. */
static void fmt_is(const char *pattern, int year, int64_t seq,
                   const char *supplier, const char *want)
{
    char *got = numbering_format(pattern, year, seq, supplier);
    assert_string_equal(got, want);
    free(got);
}

/* 3.1 {year}, {seq} and a one-digit width, as before. */
static void numbering_3_1_plain(void **state)
{
    (void)state;
    fmt_is("{year}-{seq:5}", 2026, 42, NULL, "2026-00042");
    fmt_is("F{year}-{seq}", 2026, 7, NULL, "F2026-7");
    fmt_is("{seq:1}", 2026, 123, NULL, "123");
}

/* 3.2 A width of two digits pads to that width (it was read as one
 * digit: {seq:12} gave "1}" after the number). */
static void numbering_3_2_wide(void **state)
{
    (void)state;
    fmt_is("{year}-{seq:10}", 2026, 42, NULL, "2026-0000000042");
    fmt_is("{seq:12}", 2026, 1, NULL, "000000000001");
    fmt_is("{seq:18}", 2026, 9, NULL, "000000000000000009");
}

/* 3.3 A width out of range or not a number stays literal text (check
 * refuses the format before any number is made). */
static void numbering_3_3_bad_width(void **state)
{
    (void)state;
    fmt_is("{seq:19}", 2026, 5, NULL, "{seq:19}");
    fmt_is("{seq:0}", 2026, 5, NULL, "{seq:0}");
    fmt_is("{seq:x}", 2026, 5, NULL, "{seq:x}");
    fmt_is("{seq:", 2026, 5, NULL, "{seq:");
}

/* 3.4 The supplier's id, and "" for none. */
static void numbering_3_4_supplier(void **state)
{
    (void)state;
    fmt_is("{supplier}-{year}-{seq:4}", 2027, 3, "jansen", "jansen-2027-0003");
    fmt_is("{supplier}{seq}", 2027, 3, NULL, "3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbering_1_1_empty),
        cmocka_unit_test(numbering_2_1_same_day),
        cmocka_unit_test(numbering_2_2_later),
        cmocka_unit_test(numbering_2_3_day_before),
        cmocka_unit_test(numbering_2_4_year_before),
        cmocka_unit_test(numbering_3_1_plain),
        cmocka_unit_test(numbering_3_2_wide),
        cmocka_unit_test(numbering_3_3_bad_width),
        cmocka_unit_test(numbering_3_4_supplier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
