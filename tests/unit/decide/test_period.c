/*
 * test_period.c — billing periods (engine/period.c) as pure date
 * arithmetic: calendar months, quarters and years containing a date;
 * chains of periods that follow one another without gap or overlap; and
 * anniversary periods that clamp to a month's last day and return to the
 * anchor day afterwards (killbill#127: a day-31 anchor must keep billing
 * after February). Expected dates are written out, not computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "decide/period.h"
#include "base/util.h"
#include "../support.h"

/* ============================================================ helpers */

/* "start..end" of a period, for exact comparison. */
static const char *pf(struct period p)
{
    static char buf[4][24];
    static int i;
    i = (i + 1) % 4;
    return period_fmt(p, buf[i]);
}

static struct period cal(enum period_unit u, const char *d)
{
    /* The anchor must not matter for calendar periods. */
    struct period a = period_containing(u, ALIGN_CALENDAR, P("1999-07-17"), P(d));
    struct period b = period_containing(u, ALIGN_CALENDAR, P(d), P(d));
    assert_string_equal(pf(a), pf(b));
    return a;
}

static struct period ann(enum period_unit u, const char *anchor, const char *d)
{
    return period_containing(u, ALIGN_ANNIVERSARY, P(anchor), P(d));
}

/* ============================================================ 1. calendar */

/* 1.1 The calendar month containing a date, leap Februaries included. */
static void t1_1_calendar_month(void **state)
{
    assert_string_equal(pf(cal(PERIOD_MONTH, "2026-02-14")),
                        "2026-02-01..2026-02-28");
    assert_string_equal(pf(cal(PERIOD_MONTH, "2024-02-10")),
                        "2024-02-01..2024-02-29");
    assert_string_equal(pf(cal(PERIOD_MONTH, "2026-01-01")),
                        "2026-01-01..2026-01-31");
    assert_string_equal(pf(cal(PERIOD_MONTH, "2026-01-31")),
                        "2026-01-01..2026-01-31");
    assert_string_equal(pf(cal(PERIOD_MONTH, "2026-04-30")),
                        "2026-04-01..2026-04-30");
    assert_string_equal(pf(cal(PERIOD_MONTH, "2026-12-31")),
                        "2026-12-01..2026-12-31");
    assert_string_equal(pf(cal(PERIOD_MONTH, "1900-02-28")),
                        "1900-02-01..1900-02-28");
}

/* 1.2 Calendar quarters start in January, April, July and October. */
static void t1_2_calendar_quarter(void **state)
{
    static const char *const cases[][2] = {
        {"2026-01-01", "2026-01-01..2026-03-31"},
        {"2026-02-28", "2026-01-01..2026-03-31"},
        {"2026-03-31", "2026-01-01..2026-03-31"},
        {"2026-04-01", "2026-04-01..2026-06-30"},
        {"2026-05-20", "2026-04-01..2026-06-30"},
        {"2026-07-15", "2026-07-01..2026-09-30"},
        {"2026-09-30", "2026-07-01..2026-09-30"},
        {"2026-10-01", "2026-10-01..2026-12-31"},
        {"2026-12-31", "2026-10-01..2026-12-31"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(pf(cal(PERIOD_QUARTER, cases[i][0])), cases[i][1]);
}

/* 1.3 Calendar years. */
static void t1_3_calendar_year(void **state)
{
    assert_string_equal(pf(cal(PERIOD_YEAR, "2026-07-04")),
                        "2026-01-01..2026-12-31");
    assert_string_equal(pf(cal(PERIOD_YEAR, "2024-01-01")),
                        "2024-01-01..2024-12-31");
    assert_string_equal(pf(cal(PERIOD_YEAR, "2024-12-31")),
                        "2024-01-01..2024-12-31");
}

/* 1.4 period_after chains calendar periods across year ends: each starts
 * the day after the previous one ends. */
static void t1_4_calendar_chains(void **state)
{
    static const char *const months[] = {
        "2025-11-01..2025-11-30", "2025-12-01..2025-12-31",
        "2026-01-01..2026-01-31", "2026-02-01..2026-02-28",
        "2026-03-01..2026-03-31", "2026-04-01..2026-04-30",
    };
    struct period p = cal(PERIOD_MONTH, "2025-11-17");
    for (size_t i = 0; i < sizeof months / sizeof *months; i++) {
        assert_string_equal(pf(p), months[i]);
        p = period_after(PERIOD_MONTH, ALIGN_CALENDAR, P("2025-11-17"), p);
    }
    static const char *const quarters[] = {
        "2025-10-01..2025-12-31", "2026-01-01..2026-03-31",
        "2026-04-01..2026-06-30", "2026-07-01..2026-09-30",
        "2026-10-01..2026-12-31", "2027-01-01..2027-03-31",
    };
    p = cal(PERIOD_QUARTER, "2025-12-24");
    for (size_t i = 0; i < sizeof quarters / sizeof *quarters; i++) {
        assert_string_equal(pf(p), quarters[i]);
        p = period_after(PERIOD_QUARTER, ALIGN_CALENDAR, P("2025-12-24"), p);
    }
    static const char *const years[] = {
        "2023-01-01..2023-12-31", "2024-01-01..2024-12-31",
        "2025-01-01..2025-12-31",
    };
    p = cal(PERIOD_YEAR, "2023-06-30");
    for (size_t i = 0; i < sizeof years / sizeof *years; i++) {
        assert_string_equal(pf(p), years[i]);
        p = period_after(PERIOD_YEAR, ALIGN_CALENDAR, P("2023-06-30"), p);
    }
}

/* ============================================================ 2. anniversary */

/* 2.1 Monthly from 31 January 2026, walked 24 periods: the start clamps
 * to the month's last day (28 Feb, 30 Apr) and comes back to the 31st
 * (31 Mar, 31 May); it never drifts to the 28th or the 30th. Each period
 * ends the day before the next starts. */
static void t2_1_monthly_jan31_two_years(void **state)
{
    static const char *const want[24] = {
        "2026-01-31..2026-02-27", "2026-02-28..2026-03-30",
        "2026-03-31..2026-04-29", "2026-04-30..2026-05-30",
        "2026-05-31..2026-06-29", "2026-06-30..2026-07-30",
        "2026-07-31..2026-08-30", "2026-08-31..2026-09-29",
        "2026-09-30..2026-10-30", "2026-10-31..2026-11-29",
        "2026-11-30..2026-12-30", "2026-12-31..2027-01-30",
        "2027-01-31..2027-02-27", "2027-02-28..2027-03-30",
        "2027-03-31..2027-04-29", "2027-04-30..2027-05-30",
        "2027-05-31..2027-06-29", "2027-06-30..2027-07-30",
        "2027-07-31..2027-08-30", "2027-08-31..2027-09-29",
        "2027-09-30..2027-10-30", "2027-10-31..2027-11-29",
        "2027-11-30..2027-12-30", "2027-12-31..2028-01-30",
    };
    cdate anchor = P("2026-01-31");
    struct period p = period_containing(PERIOD_MONTH, ALIGN_ANNIVERSARY,
                                        anchor, anchor);
    for (int i = 0; i < 24; i++) {
        if (strcmp(pf(p), want[i]) != 0)
            fail_msg("period %d: %s, expected %s", i + 1, pf(p), want[i]);
        struct period next =
            period_after(PERIOD_MONTH, ALIGN_ANNIVERSARY, anchor, p);
        assert_int_equal(next.start, p.end + 1);
        p = next;
    }
    assert_string_equal(pf(p), "2028-01-31..2028-02-28");
}

/* 2.2 The same through a leap year: from 31 January 2027 the February
 * 2028 period starts on the 29th. */
static void t2_2_monthly_jan31_leap(void **state)
{
    static const char *const want[] = {
        "2027-01-31..2027-02-27", "2027-02-28..2027-03-30",
        "2027-03-31..2027-04-29",
    };
    static const char *const want28[] = {
        "2028-01-31..2028-02-28", "2028-02-29..2028-03-30",
        "2028-03-31..2028-04-29", "2028-04-30..2028-05-30",
    };
    cdate anchor = P("2027-01-31");
    struct period p = period_containing(PERIOD_MONTH, ALIGN_ANNIVERSARY,
                                        anchor, anchor);
    for (int i = 0; i < 16; i++) {
        if (i < 3)
            assert_string_equal(pf(p), want[i]);
        if (i >= 12)
            assert_string_equal(pf(p), want28[i - 12]);
        p = period_after(PERIOD_MONTH, ALIGN_ANNIVERSARY, anchor, p);
    }
    assert_int_equal(period_days(ann(PERIOD_MONTH, "2027-01-31", "2028-02-29")),
                     31); /* 29 Feb .. 30 Mar */
}

/* 2.3 Containing a date inside a clamped period. */
static void t2_3_monthly_containing(void **state)
{
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2026-01-31")),
                        "2026-01-31..2026-02-27");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2026-02-27")),
                        "2026-01-31..2026-02-27");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2026-02-28")),
                        "2026-02-28..2026-03-30");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2026-03-15")),
                        "2026-02-28..2026-03-30");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2026-03-30")),
                        "2026-02-28..2026-03-30");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2026-03-31")),
                        "2026-03-31..2026-04-29");
    /* Far from the anchor, without walking there. */
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2030-02-28")),
                        "2030-02-28..2030-03-30");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-31", "2030-02-27")),
                        "2030-01-31..2030-02-27");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-15", "2026-12-14")),
                        "2026-11-15..2026-12-14");
    assert_string_equal(pf(ann(PERIOD_MONTH, "2026-01-15", "2026-12-15")),
                        "2026-12-15..2027-01-14");
}

/* 2.4 Quarterly from 29 February 2024: the 29th, except in a
 * non-leap February (28th), and back to the 29th in 2028. */
static void t2_4_quarterly_feb29(void **state)
{
    static const char *const want[] = {
        "2024-02-29..2024-05-28", "2024-05-29..2024-08-28",
        "2024-08-29..2024-11-28", "2024-11-29..2025-02-27",
        "2025-02-28..2025-05-28", "2025-05-29..2025-08-28",
        "2025-08-29..2025-11-28", "2025-11-29..2026-02-27",
        "2026-02-28..2026-05-28", "2026-05-29..2026-08-28",
        "2026-08-29..2026-11-28", "2026-11-29..2027-02-27",
        "2027-02-28..2027-05-28", "2027-05-29..2027-08-28",
        "2027-08-29..2027-11-28", "2027-11-29..2028-02-28",
        "2028-02-29..2028-05-28",
    };
    cdate anchor = P("2024-02-29");
    struct period p = period_containing(PERIOD_QUARTER, ALIGN_ANNIVERSARY,
                                        anchor, anchor);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (strcmp(pf(p), want[i]) != 0)
            fail_msg("quarter %zu: %s, expected %s", i + 1, pf(p), want[i]);
        p = period_after(PERIOD_QUARTER, ALIGN_ANNIVERSARY, anchor, p);
    }
    assert_string_equal(pf(ann(PERIOD_QUARTER, "2024-02-29", "2025-03-01")),
                        "2025-02-28..2025-05-28");
}

/* 2.5 Yearly from 29 February 2024: 28 February in common years, 29th in
 * 2028; the period running into a leap day has 366 days. */
static void t2_5_yearly_feb29(void **state)
{
    static const struct {
        const char *p;
        int days;
    } want[] = {
        {"2024-02-29..2025-02-27", 365}, {"2025-02-28..2026-02-27", 365},
        {"2026-02-28..2027-02-27", 365}, {"2027-02-28..2028-02-28", 366},
        {"2028-02-29..2029-02-27", 365}, {"2029-02-28..2030-02-27", 365},
    };
    cdate anchor = P("2024-02-29");
    struct period p = period_containing(PERIOD_YEAR, ALIGN_ANNIVERSARY, anchor,
                                        anchor);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_string_equal(pf(p), want[i].p);
        assert_int_equal(period_days(p), want[i].days);
        p = period_after(PERIOD_YEAR, ALIGN_ANNIVERSARY, anchor, p);
    }
    assert_string_equal(pf(ann(PERIOD_YEAR, "2024-02-29", "2027-12-31")),
                        "2027-02-28..2028-02-28");
    assert_string_equal(pf(ann(PERIOD_YEAR, "2024-02-29", "2028-02-28")),
                        "2027-02-28..2028-02-28");
    assert_string_equal(pf(ann(PERIOD_YEAR, "2024-02-29", "2028-02-29")),
                        "2028-02-29..2029-02-27");
}

/* 2.6 For every anchor day of 2024 and 2025 and every unit, 30 periods
 * follow each other without gap or overlap, the n-th starts on the
 * anchor plus n periods (clamped), and each of its first, middle and last
 * days is contained in it. */
static void t2_6_every_anchor(void **state)
{
    static const enum period_unit units[] = {PERIOD_MONTH, PERIOD_QUARTER,
                                             PERIOD_YEAR};
    for (cdate anchor = P("2024-01-01"); anchor <= P("2025-12-31"); anchor++)
        for (int u = 0; u < 3; u++) {
            int k = period_months(units[u]);
            struct period p = period_containing(units[u], ALIGN_ANNIVERSARY,
                                                anchor, anchor);
            for (int n = 0; n < 30; n++) {
                char a[11];
                if (p.start != date_add_months(anchor, n * k))
                    fail_msg("anchor %s unit %d period %d: %s", date_fmt(anchor, a),
                             k, n, pf(p));
                assert_int_equal(p.end, date_add_months(anchor, (n + 1) * k) - 1);
                cdate probe[3] = {p.start, p.start + (p.end - p.start) / 2,
                                  p.end};
                for (int j = 0; j < 3; j++) {
                    struct period q = period_containing(
                        units[u], ALIGN_ANNIVERSARY, anchor, probe[j]);
                    assert_int_equal(q.start, p.start);
                    assert_int_equal(q.end, p.end);
                }
                struct period next =
                    period_after(units[u], ALIGN_ANNIVERSARY, anchor, p);
                assert_int_equal(next.start, p.end + 1);
                p = next;
            }
        }
}

/* ============================================================ 3. days */

/* 3.1 period_days counts both ends; period_months and period_fmt. */
static void t3_1_days_months_fmt(void **state)
{
    assert_int_equal(period_days(cal(PERIOD_MONTH, "2024-02-01")), 29);
    assert_int_equal(period_days(cal(PERIOD_MONTH, "2026-02-01")), 28);
    assert_int_equal(period_days(cal(PERIOD_MONTH, "2026-01-01")), 31);
    assert_int_equal(period_days(cal(PERIOD_MONTH, "2026-04-01")), 30);
    assert_int_equal(period_days(cal(PERIOD_QUARTER, "2026-01-01")), 90);
    assert_int_equal(period_days(cal(PERIOD_QUARTER, "2024-01-01")), 91);
    assert_int_equal(period_days(cal(PERIOD_QUARTER, "2026-04-01")), 91);
    assert_int_equal(period_days(cal(PERIOD_QUARTER, "2026-07-01")), 92);
    assert_int_equal(period_days(cal(PERIOD_QUARTER, "2026-10-01")), 92);
    assert_int_equal(period_days(cal(PERIOD_YEAR, "2024-06-01")), 366);
    assert_int_equal(period_days(cal(PERIOD_YEAR, "2026-06-01")), 365);
    struct period one = {P("2026-03-08"), P("2026-03-08")};
    assert_int_equal(period_days(one), 1);

    assert_int_equal(period_months(PERIOD_MONTH), 1);
    assert_int_equal(period_months(PERIOD_QUARTER), 3);
    assert_int_equal(period_months(PERIOD_YEAR), 12);

    char buf[24];
    struct period p = {P("2026-01-01"), P("2026-01-31")};
    assert_string_equal(period_fmt(p, buf), "2026-01-01..2026-01-31");
    assert_int_equal(strlen(buf), 22);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_calendar_month),
        cmocka_unit_test(t1_2_calendar_quarter),
        cmocka_unit_test(t1_3_calendar_year),
        cmocka_unit_test(t1_4_calendar_chains),
        cmocka_unit_test(t2_1_monthly_jan31_two_years),
        cmocka_unit_test(t2_2_monthly_jan31_leap),
        cmocka_unit_test(t2_3_monthly_containing),
        cmocka_unit_test(t2_4_quarterly_feb29),
        cmocka_unit_test(t2_5_yearly_feb29),
        cmocka_unit_test(t2_6_every_anchor),
        cmocka_unit_test(t3_1_days_months_fmt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
