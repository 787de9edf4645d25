/*
 * test_run_date.c — the rule for runs dated after today
 * (decide/run_date.c): today and the past always run, a later date only
 * with --future and at most the direct-debit lead days ahead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decide/run_date.h"
#include "../support.h"

/* 1.1 today and the past run without --future */
static void t1_1_today_and_past(void **state)
{
    (void)state;
    struct err e = {""};
    assert_int_equal(run_date_check(P("2026-11-01"), P("2026-11-01"), 0, 5, &e), 0);
    assert_int_equal(run_date_check(P("2026-11-01"), P("2025-01-01"), 0, 5, &e), 0);
    assert_int_equal(run_date_check(P("2026-11-01"), P("2026-10-31"), 1, 0, &e), 0);
}

/* 1.2 a day ahead without --future is refused, saying how */
static void t1_2_ahead_refused(void **state)
{
    (void)state;
    struct err e = {""};
    assert_int_equal(run_date_check(P("2026-11-01"), P("2026-11-02"), 0, 5, &e), -1);
    assert_non_null(strstr(e.msg, "--as-of 2026-11-02 is after today (2026-11-01)"));
    assert_non_null(strstr(e.msg, "add --future (at most 5 days"));
}

/* 1.3 the typo of the issue: a year ahead, refused even with --future */
static void t1_3_year_typo(void **state)
{
    (void)state;
    struct err e = {""};
    assert_int_equal(run_date_check(P("2026-11-01"), P("2027-11-01"), 0, 5, &e), -1);
    assert_int_equal(run_date_check(P("2026-11-01"), P("2027-11-01"), 1, 5, &e), -1);
    assert_non_null(strstr(e.msg, "365 days after today"));
    assert_non_null(strstr(e.msg, "up to 2026-11-06"));
}

/* 1.4 --future allows exactly the lead days, not one more */
static void t1_4_lead_days_edge(void **state)
{
    (void)state;
    struct err e = {""};
    assert_int_equal(run_date_check(P("2026-01-27"), P("2026-02-01"), 1, 5, &e), 0);
    assert_int_equal(run_date_check(P("2026-01-27"), P("2026-02-02"), 1, 5, &e), -1);
    assert_int_equal(run_date_check(P("2026-01-27"), P("2026-01-28"), 1, 0, &e), -1);
    assert_non_null(strstr(e.msg, "at most 0 days ahead"));
}

/* 1.5 one lead day is spoken of in the singular */
static void t1_5_singular(void **state)
{
    (void)state;
    struct err e = {""};
    assert_int_equal(run_date_check(P("2026-01-27"), P("2026-01-29"), 1, 1, &e), -1);
    assert_non_null(strstr(e.msg, "at most 1 day ahead"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_today_and_past),
        cmocka_unit_test(t1_2_ahead_refused),
        cmocka_unit_test(t1_3_year_typo),
        cmocka_unit_test(t1_4_lead_days_edge),
        cmocka_unit_test(t1_5_singular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
