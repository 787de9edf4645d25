/*
 * test_util.c — the shared vocabulary of engine/base/util.c and
 * base/suggest.c: civil dates (every day of 1900..2999 round-trips, leap
 * rules, strict parsing, month arithmetic that clamps), money in cents
 * (strict parsing, plain and locale formatting, exact rounding half away
 * from zero and down), decimals, whole numbers, slugs, edit distance and
 * "did you mean", SHA-256 against the FIPS 180 vectors, growable strings
 * and error values. Expected values are worked out by hand in the comments;
 * none is computed by the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/civil.h"
#include "base/suggest.h"
#include "base/util.h"
#include "support.h"

/* ============================================================ helpers */

static cdate D(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

/* money_parse must refuse s with exactly msg. */
static void money_refused(const char *s, const char *msg)
{
    struct err e = {""};
    int64_t c = 12345;
    if (money_parse(s, &c, &e) == 0)
        fail_msg("money_parse(\"%s\") accepted it as %lld cents", s ? s : "(null)",
                 (long long)c);
    assert_string_equal(e.msg, msg);
    assert_int_equal(c, 12345); /* untouched on failure */
}

static int64_t money_ok(const char *s)
{
    struct err e = {""};
    int64_t c = 0;
    if (money_parse(s, &c, &e) != 0)
        fail_msg("money_parse(\"%s\"): %s", s, e.msg);
    return c;
}

static const char *mfmt(int64_t c)
{
    static char buf[32];
    return money_fmt(c, buf);
}

static const char *mloc(int64_t c, const char *loc)
{
    static char buf[48];
    return money_fmt_locale(c, loc, buf);
}

#define NNBSP "\xe2\x80\xaf" /* U+202F narrow no-break space */
#define NBSP "\xc2\xa0"      /* U+00A0 no-break space */
#define EURO "\xe2\x82\xac"  /* U+20AC euro sign */

/* ============================================================ 1. dates */

/* 1.1 Every day of 1900-01-01..2999-12-31 converts to a day number and
 * back, consecutive days have consecutive numbers, and date_fmt/date_parse
 * agree with date_from_ymd. Fixed points: 1970-01-01 is day 0,
 * 2000-03-01 is 10957 + 31 + 29 = 11017, 1900-01-01 is -25567 (70 years,
 * 17 of them leap: 70 × 365 + 17). */
static void t1_1_roundtrip_every_day(void **state)
{
    assert_int_equal(D(1970, 1, 1), 0);
    assert_int_equal(D(2000, 1, 1), 10957);
    assert_int_equal(D(2000, 3, 1), 11017);
    assert_int_equal(D(1900, 1, 1), -25567);
    assert_int_equal(D(1969, 12, 31), -1);

    cdate prev = D(1900, 1, 1) - 1;
    long days = 0;
    for (int y = 1900; y <= 2999; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= date_days_in_month(y, m); d++) {
                cdate c = D(y, m, d);
                int yy, mm, dd;
                if (c != prev + 1)
                    fail_msg("%04d-%02d-%02d is day %d, expected %d", y, m, d,
                             c, prev + 1);
                date_to_ymd(c, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("%04d-%02d-%02d came back as %04d-%02d-%02d", y,
                             m, d, yy, mm, dd);
                char want[11];
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                assert_string_equal(fmt(c), want);
                assert_int_equal(P(want), c);
                assert_true(date_valid_ymd(y, m, d));
                prev = c;
                days++;
            }
    /* 1100 years: 1100 × 365 + leap days (275 multiples of 4, minus 11
     * centuries, plus 2000, 2400 and 2800) = 401500 + 267. */
    assert_int_equal(days, 401767);
    assert_int_equal(D(2999, 12, 31) - D(1900, 1, 1) + 1, 401767);
}

/* 1.2 Days in month, with the three leap rules: every 4th year, not
 * centuries, but every 400th. */
static void t1_2_days_in_month(void **state)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(date_days_in_month(2026, m), dim[m - 1]);
    assert_int_equal(date_days_in_month(1900, 2), 28); /* century */
    assert_int_equal(date_days_in_month(2000, 2), 29); /* 400th */
    assert_int_equal(date_days_in_month(2024, 2), 29); /* 4th */
    assert_int_equal(date_days_in_month(2100, 2), 28);
    assert_int_equal(date_days_in_month(2400, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(2024, 1), 31);
    assert_int_equal(date_days_in_month(2024, 3), 31);
    assert_int_equal(D(2025, 1, 1) - D(2024, 1, 1), 366);
    assert_int_equal(D(1901, 1, 1) - D(1900, 1, 1), 365);
    assert_int_equal(D(2001, 1, 1) - D(2000, 1, 1), 366);
}

/* 1.3 date_valid_ymd: years 1900..2999, real months and days only. */
static void t1_3_valid_ymd(void **state)
{
    assert_true(date_valid_ymd(1900, 1, 1));
    assert_true(date_valid_ymd(2999, 12, 31));
    assert_false(date_valid_ymd(1899, 12, 31));
    assert_false(date_valid_ymd(3000, 1, 1));
    assert_false(date_valid_ymd(2026, 0, 1));
    assert_false(date_valid_ymd(2026, 13, 1));
    assert_false(date_valid_ymd(2026, 1, 0));
    assert_false(date_valid_ymd(2026, 1, 32));
    assert_false(date_valid_ymd(2026, 2, 29));
    assert_true(date_valid_ymd(2024, 2, 29));
    assert_false(date_valid_ymd(1900, 2, 29));
    assert_true(date_valid_ymd(2000, 2, 29));
    assert_false(date_valid_ymd(2026, 4, 31));
}

/* 1.4 date_parse accepts exactly "YYYY-MM-DD" naming a real day. */
static void t1_4_parse_accepts(void **state)
{
    assert_int_equal(P("2024-02-29"), D(2024, 2, 29));
    assert_int_equal(P("1900-01-01"), D(1900, 1, 1));
    assert_int_equal(P("2999-12-31"), D(2999, 12, 31));
    assert_int_equal(P("2026-12-31"), D(2026, 12, 31));
    assert_int_equal(P("1970-01-01"), 0);
}

/* 1.5 ... and refuses everything else, saying why; the output is not
 * written on failure. */
static void t1_5_parse_refuses(void **state)
{
    static const struct {
        const char *in, *msg;
    } cases[] = {
        {"2026-02-29", "invalid date '2026-02-29' (no such day)"},
        {"1900-02-29", "invalid date '1900-02-29' (no such day)"},
        {"2026-04-31", "invalid date '2026-04-31' (no such day)"},
        {"2026-13-01", "invalid date '2026-13-01' (no such day)"},
        {"2026-00-10", "invalid date '2026-00-10' (no such day)"},
        {"2026-01-00", "invalid date '2026-01-00' (no such day)"},
        {"1899-12-31", "invalid date '1899-12-31' (no such day)"},
        {"3000-01-01", "invalid date '3000-01-01' (no such day)"},
        {"2026-1-01", "invalid date '2026-1-01' (expected YYYY-MM-DD)"},
        {"2026-01-1", "invalid date '2026-01-1' (expected YYYY-MM-DD)"},
        {" 2026-01-01", "invalid date ' 2026-01-01' (expected YYYY-MM-DD)"},
        {"2026-01-01 ", "invalid date '2026-01-01 ' (expected YYYY-MM-DD)"},
        {"2026-01-01x", "invalid date '2026-01-01x' (expected YYYY-MM-DD)"},
        {"2026/01/01", "invalid date '2026/01/01' (expected YYYY-MM-DD)"},
        {"20260101", "invalid date '20260101' (expected YYYY-MM-DD)"},
        {"2026-01-+1", "invalid date '2026-01-+1' (expected YYYY-MM-DD)"},
        {"+026-01-01", "invalid date '+026-01-01' (expected YYYY-MM-DD)"},
        {"01-01-2026", "invalid date '01-01-2026' (expected YYYY-MM-DD)"},
        {"", "invalid date '' (expected YYYY-MM-DD)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct err e = {""};
        cdate d = 777;
        if (date_parse(cases[i].in, &d, &e) == 0)
            fail_msg("date_parse(\"%s\") accepted it", cases[i].in);
        assert_string_equal(e.msg, cases[i].msg);
        assert_int_equal(d, 777);
    }
    struct err e = {""};
    cdate d = 777;
    assert_int_equal(date_parse(NULL, &d, &e), -1);
    assert_string_equal(e.msg, "missing date (expected YYYY-MM-DD)");
    assert_int_equal(d, 777);
    /* A NULL err is allowed: only the result counts. */
    assert_int_equal(date_parse("2026-02-30", &d, NULL), -1);
    assert_int_equal(date_parse("2026-02-28", &d, NULL), 0);
    assert_int_equal(d, D(2026, 2, 28));
}

/* 1.6 date_add_months keeps the anchor's day, clamped to each month's
 * last day, and never drifts: Jan 31 + 1 = Feb 28, + 2 = Mar 31. */
static void t1_6_add_months(void **state)
{
    cdate jan31 = D(2026, 1, 31);
    assert_string_equal(fmt(date_add_months(jan31, 0)), "2026-01-31");
    assert_string_equal(fmt(date_add_months(jan31, 1)), "2026-02-28");
    assert_string_equal(fmt(date_add_months(jan31, 2)), "2026-03-31");
    assert_string_equal(fmt(date_add_months(jan31, 3)), "2026-04-30");
    assert_string_equal(fmt(date_add_months(jan31, 11)), "2026-12-31");
    assert_string_equal(fmt(date_add_months(jan31, 12)), "2027-01-31");
    assert_string_equal(fmt(date_add_months(jan31, 13)), "2027-02-28");
    assert_string_equal(fmt(date_add_months(jan31, 25)), "2028-02-29");
    /* Negative months, across year ends. */
    cdate mar31 = D(2026, 3, 31);
    assert_string_equal(fmt(date_add_months(mar31, -1)), "2026-02-28");
    assert_string_equal(fmt(date_add_months(mar31, -2)), "2026-01-31");
    assert_string_equal(fmt(date_add_months(mar31, -3)), "2025-12-31");
    assert_string_equal(fmt(date_add_months(mar31, -4)), "2025-11-30");
    assert_string_equal(fmt(date_add_months(mar31, -12)), "2025-03-31");
    assert_string_equal(fmt(date_add_months(mar31, -13)), "2025-02-28");
    assert_string_equal(fmt(date_add_months(mar31, -25)), "2024-02-29");
    cdate jan15 = D(2026, 1, 15);
    assert_string_equal(fmt(date_add_months(jan15, -1)), "2025-12-15");
    assert_string_equal(fmt(date_add_months(jan15, -12)), "2025-01-15");
    assert_string_equal(fmt(date_add_months(jan15, -13)), "2024-12-15");
    assert_string_equal(fmt(date_add_months(jan15, -24)), "2024-01-15");
    /* Feb 29 + 12 months is Feb 28; + 48 is Feb 29 again. */
    cdate feb29 = D(2024, 2, 29);
    assert_string_equal(fmt(date_add_months(feb29, 12)), "2025-02-28");
    assert_string_equal(fmt(date_add_months(feb29, 24)), "2026-02-28");
    assert_string_equal(fmt(date_add_months(feb29, 48)), "2028-02-29");
    assert_string_equal(fmt(date_add_months(feb29, 1)), "2024-03-29");
    assert_string_equal(fmt(date_add_months(feb29, -12)), "2023-02-28");
    /* Month start / end. */
    assert_string_equal(fmt(date_month_start(D(2024, 2, 17))), "2024-02-01");
    assert_string_equal(fmt(date_month_end(D(2024, 2, 17))), "2024-02-29");
    assert_string_equal(fmt(date_month_end(D(2026, 12, 1))), "2026-12-31");
}

/* 1.7 Weekdays of known dates: 1970-01-01 was a Thursday, 1900-01-01 a
 * Monday, 2000-01-01 a Saturday, 2024-02-29 a Thursday, 2026-03-08 a
 * Sunday; and seven days on is the same weekday, for day numbers on both
 * sides of zero. */
static void t1_7_weekday(void **state)
{
    assert_int_equal(date_weekday(D(1970, 1, 1)), 4);
    assert_int_equal(date_weekday(D(1969, 12, 31)), 3);
    assert_int_equal(date_weekday(D(1900, 1, 1)), 1);
    assert_int_equal(date_weekday(D(2000, 1, 1)), 6);
    assert_int_equal(date_weekday(D(2024, 2, 29)), 4);
    assert_int_equal(date_weekday(D(2026, 3, 8)), 7);
    assert_int_equal(date_weekday(D(2026, 3, 9)), 1);
    assert_int_equal(date_weekday(D(2999, 12, 31)), 2);
    for (cdate d = D(1960, 1, 1); d < D(1980, 1, 1); d++) {
        assert_int_equal(date_weekday(d + 7), date_weekday(d));
        assert_int_equal(date_weekday(d + 1), date_weekday(d) % 7 + 1);
    }
}

/* 1.8 date_fmt of "no date" is the empty string; CAREBILL_TODAY fixes
 * the clock for tests and consultants, whatever the zone. */
static void t1_8_fmt_none_and_today(void **state)
{
    char buf[11] = "xxxxxxxxxx";
    struct err e = {""};
    cdate d = CDATE_NONE;
    assert_string_equal(date_fmt(CDATE_NONE, buf), "");
    setenv("CAREBILL_TODAY", "2026-03-15", 1);
    assert_int_equal(civil_today("Europe/Amsterdam", &d, NULL, &e), 0);
    assert_string_equal(fmt(d), "2026-03-15");
    d = CDATE_NONE;
    assert_int_equal(civil_today(NULL, &d, NULL, &e), 0);
    assert_string_equal(fmt(d), "2026-03-15");
    unsetenv("CAREBILL_TODAY");
}

/* ============================================================ 2. money */

/* 2.1 Amounts with a dot and at most two decimals. */
static void t2_1_money_parse_accepts(void **state)
{
    assert_int_equal(money_ok("45"), 4500);
    assert_int_equal(money_ok("45.5"), 4550);
    assert_int_equal(money_ok("45.00"), 4500);
    assert_int_equal(money_ok("45.05"), 4505);
    assert_int_equal(money_ok("-3.20"), -320);
    assert_int_equal(money_ok("-3.2"), -320);
    assert_int_equal(money_ok("0.01"), 1);
    assert_int_equal(money_ok("0"), 0);
    assert_int_equal(money_ok("-0.05"), -5);
    assert_int_equal(money_ok("0045.10"), 4510);
    /* The limit is 10^13 cents either way, inclusive. */
    assert_int_equal(money_ok("100000000000.00"), 10000000000000LL);
    assert_int_equal(money_ok("-100000000000"), -10000000000000LL);
    assert_int_equal(money_ok("99999999999.99"), 9999999999999LL);
}

#define BAD_AMOUNT(s)                                                      \
    "invalid amount '" s "' (expected a decimal with a dot and at most "   \
    "two decimals, e.g. 45.00)"

/* 2.2 Everything else is refused with one message. */
static void t2_2_money_parse_refuses(void **state)
{
    money_refused("45,00", BAD_AMOUNT("45,00"));
    money_refused("4.505", BAD_AMOUNT("4.505"));
    money_refused("1e3", BAD_AMOUNT("1e3"));
    money_refused("5.", BAD_AMOUNT("5."));
    money_refused("+1", BAD_AMOUNT("+1"));
    money_refused("- 1", BAD_AMOUNT("- 1"));
    money_refused("--1", BAD_AMOUNT("--1"));
    money_refused("-", BAD_AMOUNT("-"));
    money_refused(" 45", BAD_AMOUNT(" 45"));
    money_refused("45 ", BAD_AMOUNT("45 "));
    money_refused("1.2.3", BAD_AMOUNT("1.2.3"));
    money_refused("1,234.50", BAD_AMOUNT("1,234.50"));
    money_refused("EUR 5", BAD_AMOUNT("EUR 5"));
    money_refused("0x10", BAD_AMOUNT("0x10"));
    money_refused("100000000000.01", BAD_AMOUNT("100000000000.01"));
    money_refused("-100000000000.01", BAD_AMOUNT("-100000000000.01"));
    money_refused("10000000000000", BAD_AMOUNT("10000000000000"));
    money_refused("99999999999999999999999999",
                  BAD_AMOUNT("99999999999999999999999999"));
    money_refused("", "missing amount (expected e.g. 45.00)");
    money_refused(NULL, "missing amount (expected e.g. 45.00)");
}

/* 2.3 A number needs a digit before its dot: ".5" is refused like "5.",
 * as an amount and as a percentage, and leaves the output untouched. */
static void t2_3_leading_dot_refused(void **state)
{
    money_refused(".5", BAD_AMOUNT(".5"));
    money_refused("-.5", BAD_AMOUNT("-.5"));
    money_refused(".50", BAD_AMOUNT(".50"));
    struct err e = {""};
    int64_t v = 99;
    assert_int_equal(decimal_parse(".5", 2, &v, &e), -1);
    assert_string_equal(e.msg, "invalid number '.5'");
    assert_int_equal(v, 99);
}

/* 2.4 Plain format: always two decimals, a minus sign when negative,
 * exact at both ends of int64. */
static void t2_4_money_fmt(void **state)
{
    assert_string_equal(mfmt(0), "0.00");
    assert_string_equal(mfmt(5), "0.05");
    assert_string_equal(mfmt(-5), "-0.05");
    assert_string_equal(mfmt(-100), "-1.00");
    assert_string_equal(mfmt(4500), "45.00");
    assert_string_equal(mfmt(123450), "1234.50");
    assert_string_equal(mfmt(-123450), "-1234.50");
    assert_string_equal(mfmt(10000000000000LL), "100000000000.00");
    assert_string_equal(mfmt(INT64_MAX), "92233720368547758.07");
    assert_string_equal(mfmt(INT64_MIN), "-92233720368547758.08");
    /* What money_fmt writes, money_parse reads back. */
    static const int64_t back[] = {0, 1, -1, 99, -99, 100, 4550, -320,
                                   9999999999999LL, -10000000000000LL};
    for (size_t i = 0; i < sizeof back / sizeof *back; i++)
        assert_int_equal(money_ok(mfmt(back[i])), back[i]);
}

/* 2.5 Locale formats: nl "€ 1.234,50"; fr "1 234,50 €" with U+202F as
 * the thousands separator and U+00A0 before the sign; en "€1,234.50".
 * Negatives as CLDR writes them: nl "€ -1.234,50", fr "-1 234,50 €",
 * en "-€1,234.50". Unknown or missing locales format as nl. */
static void t2_5_money_fmt_locale(void **state)
{
    assert_string_equal(mloc(123450, "nl"), EURO " 1.234,50");
    assert_string_equal(mloc(123450, "fr"), "1" NNBSP "234,50" NBSP EURO);
    assert_string_equal(mloc(123450, "en"), EURO "1,234.50");

    assert_string_equal(mloc(-123450, "nl"), EURO " -1.234,50");
    assert_string_equal(mloc(-123450, "fr"), "-1" NNBSP "234,50" NBSP EURO);
    assert_string_equal(mloc(-123450, "en"), "-" EURO "1,234.50");

    assert_string_equal(mloc(0, "nl"), EURO " 0,00");
    assert_string_equal(mloc(-5, "nl"), EURO " -0,05");
    assert_string_equal(mloc(-5, "fr"), "-0,05" NBSP EURO);
    assert_string_equal(mloc(-5, "en"), "-" EURO "0.05");
    assert_string_equal(mloc(4500, "fr"), "45,00" NBSP EURO);
    assert_string_equal(mloc(99999, "nl"), EURO " 999,99");
    assert_string_equal(mloc(100000, "nl"), EURO " 1.000,00");
    assert_string_equal(mloc(123456789012LL, "nl"), EURO " 1.234.567.890,12");
    assert_string_equal(mloc(123456789012LL, "en"), EURO "1,234,567,890.12");
    assert_string_equal(mloc(123456789012LL, "fr"),
                        "1" NNBSP "234" NNBSP "567" NNBSP "890,12" NBSP EURO);
    assert_string_equal(mloc(INT64_MIN, "fr"),
                        "-92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP
                        "547" NNBSP "758,08" NBSP EURO);
    assert_string_equal(mloc(4500, NULL), EURO " 45,00");
    assert_string_equal(mloc(4500, "de"), EURO " 45,00");
}

/* 2.6 a × num / den, rounded half away from zero, exact beyond 64-bit
 * intermediates. */
static void t2_6_muldiv_round(void **state)
{
    /* The older name is the same function. */
    assert_int_equal(muldiv_round(4500, 15, 31), 2177);
    assert_int_equal(money_muldiv_round(3100, 12, 31), 1200);
    assert_int_equal(money_muldiv_round(4500, 15, 31), 2177);  /* 2177.42 */
    assert_int_equal(money_muldiv_round(1, 1, 2), 1);          /* 0.5 */
    assert_int_equal(money_muldiv_round(-1, 1, 2), -1);        /* -0.5 */
    assert_int_equal(money_muldiv_round(1, -1, 2), -1);
    assert_int_equal(money_muldiv_round(-1, -1, 2), 1);
    assert_int_equal(money_muldiv_round(3, 1, 2), 2);          /* 1.5 */
    assert_int_equal(money_muldiv_round(-3, 1, 2), -2);
    assert_int_equal(money_muldiv_round(5, 1, 3), 2);          /* 1.67 */
    assert_int_equal(money_muldiv_round(-5, 1, 3), -2);
    assert_int_equal(money_muldiv_round(4, 1, 3), 1);          /* 1.33 */
    assert_int_equal(money_muldiv_round(-4, 1, 3), -1);
    assert_int_equal(money_muldiv_round(0, 7, 3), 0);
    assert_int_equal(money_muldiv_round(7, 0, 3), 0);
    assert_int_equal(money_muldiv_round(4500, 10000, 12100), 3719); /* 3719.008 */
    assert_int_equal(money_muldiv_round(6050, 10000, 12100), 5000);
    /* Products far beyond int64: INT64_MAX² / INT64_MAX. */
    assert_int_equal(money_muldiv_round(INT64_MAX, INT64_MAX, INT64_MAX), INT64_MAX);
    assert_int_equal(money_muldiv_round(INT64_MIN, INT64_MAX, INT64_MAX), INT64_MIN);
    assert_int_equal(money_muldiv_round(1000000000000000000LL, 1000000, 1000000),
                     1000000000000000000LL);
    /* 9223372036854775807 × 2 / 4 = 4611686018427387903.5 → ...904. */
    assert_int_equal(money_muldiv_round(INT64_MAX, 2, 4), 4611686018427387904LL);
    assert_int_equal(money_muldiv_round(-INT64_MAX, 2, 4), -4611686018427387904LL);
    /* 10^13 cents × 10^6 / 3 = 3333333333333333333.33 */
    assert_int_equal(money_muldiv_round(10000000000000LL, 1000000, 3),
                     3333333333333333333LL);
}

/* 2.7 Scaled decimals (VAT percentages, hours): scale 2. */
static void t2_7_decimal(void **state)
{
    struct err e = {""};
    int64_t v = -1;
    char buf[32];
    static const struct {
        const char *in;
        int64_t v;
        const char *out;
    } ok[] = {
        {"21", 2100, "21"}, {"5.5", 550, "5.5"}, {"5.55", 555, "5.55"},
        {"0", 0, "0"},      {"9", 900, "9"},     {"0.05", 5, "0.05"},
        {"100", 10000, "100"}, {"12.50", 1250, "12.5"}, {"7.05", 705, "7.05"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (decimal_parse(ok[i].in, 2, &v, &e) != 0)
            fail_msg("decimal_parse(\"%s\"): %s", ok[i].in, e.msg);
        assert_int_equal(v, ok[i].v);
        assert_string_equal(decimal_fmt(v, 2, buf), ok[i].out);
    }
    assert_string_equal(decimal_fmt(-550, 2, buf), "-5.5");
    assert_string_equal(decimal_fmt(-5, 2, buf), "-0.05");
    assert_string_equal(decimal_fmt(-2100, 2, buf), "-21");
    assert_string_equal(decimal_fmt(7, 0, buf), "7");
    assert_string_equal(decimal_fmt(75000, 4, buf), "7.5");
    assert_string_equal(decimal_fmt(12345, 4, buf), "1.2345");

    assert_int_equal(decimal_parse("7.5", 4, &v, &e), 0);
    assert_int_equal(v, 75000);
    assert_int_equal(decimal_parse("7", 0, &v, &e), 0);
    assert_int_equal(v, 7);

    v = 99;
    assert_int_equal(decimal_parse("5.555", 2, &v, &e), -1);
    assert_string_equal(e.msg, "invalid number '5.555' (at most 2 decimals)");
    assert_int_equal(decimal_parse("7.5", 0, &v, &e), -1);
    assert_string_equal(e.msg, "invalid number '7.5' (at most 0 decimals)");
    assert_int_equal(decimal_parse("-1", 2, &v, &e), -1);
    assert_string_equal(e.msg, "invalid number '-1' (expected digits with an "
                               "optional '.' and at most 2 decimals)");
    assert_int_equal(decimal_parse("5,5", 2, &v, &e), -1);
    assert_string_equal(e.msg, "invalid number '5,5' (expected digits with an "
                               "optional '.' and at most 2 decimals)");
    assert_int_equal(decimal_parse("5.", 2, &v, &e), -1);
    assert_string_equal(e.msg, "invalid number '5.'");
    assert_int_equal(decimal_parse("", 2, &v, &e), -1);
    assert_string_equal(e.msg, "missing number");
    assert_int_equal(decimal_parse(NULL, 2, &v, &e), -1);
    assert_string_equal(e.msg, "missing number");
    assert_int_equal(decimal_parse("100000000000000", 2, &v, &e), -1);
    assert_string_equal(e.msg, "number '100000000000000' is too large");
    assert_int_equal(v, 99);
}

/* 2.8 Whole numbers in a range. */
static void t2_8_int_parse(void **state)
{
    struct err e = {""};
    int64_t v = 0;
    assert_int_equal(int_parse("0", 0, 10, &v, &e), 0);
    assert_int_equal(v, 0);
    assert_int_equal(int_parse("10", 0, 10, &v, &e), 0);
    assert_int_equal(v, 10);
    assert_int_equal(int_parse("-5", -10, 10, &v, &e), 0);
    assert_int_equal(v, -5);
    assert_int_equal(int_parse("007", 0, 10, &v, &e), 0);
    assert_int_equal(v, 7);
    assert_int_equal(int_parse("9223372036854775807", 0, INT64_MAX, &v, &e), 0);
    assert_int_equal(v, INT64_MAX);

    v = 42;
    assert_int_equal(int_parse("11", 0, 10, &v, &e), -1);
    assert_string_equal(e.msg, "number 11 out of range (expected 0..10)");
    assert_int_equal(int_parse("-1", 0, 10, &v, &e), -1);
    assert_string_equal(e.msg, "number -1 out of range (expected 0..10)");
    static const char *const bad[] = {"abc", "1.5", " 5", "5 ", "+5", "-",
                                      "0x10", "1e3", "9223372036854775808",
                                      "-9223372036854775809"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char want[64];
        if (int_parse(bad[i], INT64_MIN, INT64_MAX, &v, &e) == 0)
            fail_msg("int_parse(\"%s\") accepted it", bad[i]);
        snprintf(want, sizeof want, "invalid whole number '%s'", bad[i]);
        assert_string_equal(e.msg, want);
    }
    assert_int_equal(int_parse("", 0, 10, &v, &e), -1);
    assert_string_equal(e.msg, "missing number");
    assert_int_equal(int_parse(NULL, 0, 10, &v, &e), -1);
    assert_string_equal(e.msg, "missing number");
    assert_int_equal(v, 42);
}

/* ============================================================ 3. strings */

/* 2.9 a × num / den rounded down, towards minus infinity: a share never
 * exceeds its part of the whole. */
static void t2_9_muldiv_floor(void **state)
{
    assert_int_equal(money_muldiv_floor(7, 1, 2), 3);      /* 3.5 */
    assert_int_equal(money_muldiv_floor(-7, 1, 2), -4);    /* -3.5 */
    assert_int_equal(money_muldiv_floor(7, -1, 2), -4);
    assert_int_equal(money_muldiv_floor(-7, -1, 2), 3);
    assert_int_equal(money_muldiv_floor(6, 1, 2), 3);
    assert_int_equal(money_muldiv_floor(-6, 1, 2), -3);    /* exact: no step */
    assert_int_equal(money_muldiv_floor(10, 2, 3), 6);     /* 6.67 */
    assert_int_equal(money_muldiv_floor(0, 5, 3), 0);
    /* 10 credits of a 45.00 invoice, 30.00 credited: 6.67 credits -> 6 */
    assert_int_equal(money_muldiv_floor(10, 3000, 4500), 6);
    assert_int_equal(money_muldiv_floor(INT64_MAX, INT64_MAX, INT64_MAX),
                     INT64_MAX);
    /* 4611686018427387903.5 down, and its negative down. */
    assert_int_equal(money_muldiv_floor(INT64_MAX, 2, 4),
                     4611686018427387903LL);
    assert_int_equal(money_muldiv_floor(-INT64_MAX, 2, 4),
                     -4611686018427387904LL);
}

/* 2.10 The checked form hooks use: a negative divisor moves the sign,
 * halves still go away from zero, and a quotient beyond int64 is
 * refused with the output untouched. */
static void t2_10_muldiv_round_checked(void **state)
{
    int64_t v = 99;
    assert_int_equal(money_muldiv_round_checked(4500, 15, 31, &v), 0);
    assert_int_equal(v, 2177);
    assert_int_equal(money_muldiv_round_checked(4500, 15, -31, &v), 0);
    assert_int_equal(v, -2177);
    assert_int_equal(money_muldiv_round_checked(-1, 1, -2, &v), 0);
    assert_int_equal(v, 1);                                /* 0.5 */
    assert_int_equal(money_muldiv_round_checked(1, 1, -2, &v), 0);
    assert_int_equal(v, -1);                               /* -0.5 */
    assert_int_equal(money_muldiv_round_checked(INT64_MIN, 1, 1, &v), 0);
    assert_int_equal(v, INT64_MIN);
    assert_int_equal(money_muldiv_round_checked(INT64_MAX, INT64_MAX,
                                                INT64_MAX, &v), 0);
    assert_int_equal(v, INT64_MAX);
    v = 99;
    assert_int_equal(money_muldiv_round_checked(INT64_MAX, 2, 1, &v), -1);
    assert_int_equal(money_muldiv_round_checked(INT64_MIN, -1, 1, &v), -1);
    assert_int_equal(money_muldiv_round_checked(INT64_MIN, 1, -1, &v), -1);
    /* INT64_MAX × 3 / 2 = 1.5 × INT64_MAX: past the top. */
    assert_int_equal(money_muldiv_round_checked(INT64_MAX, 3, 2, &v), -1);
    assert_int_equal(v, 99);
}

/* 2.11 A double rounded to a whole number, halves away from zero; not a
 * number, infinities and values past int64 are refused. */
static void t2_11_round_half_away(void **state)
{
    int64_t v = 99;
    static const struct {
        double x;
        int64_t want;
    } ok[] = {
        {2.5, 3},   {-2.5, -3}, {0.5, 1},  {-0.5, -1}, {1.4, 1},
        {-1.6, -2}, {0.0, 0},   {-0.0, 0}, {0.49999999999999994, 0},
        {2177.42, 2177}, {-9223372036854775808.0, INT64_MIN},
        /* the largest double below 2^63 */
        {9223372036854774784.0, 9223372036854774784LL},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (round_half_away(ok[i].x, &v) != 0)
            fail_msg("round_half_away(%.17g) refused", ok[i].x);
        assert_int_equal(v, ok[i].want);
    }
    v = 99;
    assert_int_equal(round_half_away(9223372036854775808.0, &v), -1); /* 2^63 */
    assert_int_equal(round_half_away(-9223372036854777856.0, &v), -1);
    assert_int_equal(round_half_away(1e300, &v), -1);
    assert_int_equal(round_half_away(NAN, &v), -1);
    assert_int_equal(round_half_away(INFINITY, &v), -1);
    assert_int_equal(round_half_away(-INFINITY, &v), -1);
    assert_int_equal(v, 99);
}

/* 3.1 Slugs: [a-z0-9] then [a-z0-9_-], 1..64 characters. */
static void t3_1_is_slug(void **state)
{
    static const char *const yes[] = {"a", "0", "fysio-fit", "a_b", "0abc",
                                      "nl-zorg", "x-", "a--b"};
    static const char *const no[] = {"", "-a", "_a", "A", "Fysio", "a b",
                                     "a.b", "a/b", "caf\xc3\xa9", "a\n",
                                     "\xc3\xa9"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!is_slug(yes[i]))
            fail_msg("\"%s\" should be a slug", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (is_slug(no[i]))
            fail_msg("\"%s\" should not be a slug", no[i]);
    char s[66];
    memset(s, 'a', 64);
    s[64] = '\0';
    assert_true(is_slug(s));
    s[64] = 'a';
    s[65] = '\0';
    assert_false(is_slug(s));
}

/* 3.2 Levenshtein distance (a transposition costs two). */
static void t3_2_edit_distance(void **state)
{
    assert_int_equal(edit_distance("", ""), 0);
    assert_int_equal(edit_distance("abc", ""), 3);
    assert_int_equal(edit_distance("", "abc"), 3);
    assert_int_equal(edit_distance("same", "same"), 0);
    assert_int_equal(edit_distance("kitten", "sitting"), 3);
    assert_int_equal(edit_distance("flaw", "lawn"), 2);
    assert_int_equal(edit_distance("vat", "vta"), 2);
    assert_int_equal(edit_distance("prise", "price"), 1);
    assert_int_equal(edit_distance("payment_term_day", "payment_term_days"), 1);
    char long65[66];
    memset(long65, 'a', 65);
    long65[65] = '\0';
    assert_int_equal(edit_distance(long65, "a"), 255);
    assert_int_equal(edit_distance("a", long65), 255);
    long65[64] = '\0';
    assert_int_equal(edit_distance(long65, "a"), 63);
}

/* 3.3 A growable string: appends grow it (doubling from 64), the text
 * stays NUL-terminated, reset keeps the memory, steal hands it over. */
static void t3_3_sbuf(void **state)
{
    struct sbuf b = {0};
    assert_string_equal(sb_str(&b), "");
    for (int i = 0; i < 1000; i++)
        sb_addc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 1000);
    assert_true(b.cap >= 1001);
    assert_int_equal(b.cap, 1024);
    assert_int_equal(strlen(b.s), 1000);
    assert_memory_equal(b.s, "abcdefghijklmnopqrstuvwxyzabc", 29);
    assert_int_equal(b.s[999], 'a' + 999 % 26);

    size_t cap = b.cap;
    sb_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(sb_str(&b), "");

    sb_add(&b, "net ");
    sb_printf(&b, "%s=%d", "total", 4500);
    sb_addn(&b, "xyz", 2);
    assert_string_equal(sb_str(&b), "net total=4500xy");
    assert_int_equal(b.len, 16);

    /* One printf longer than the whole buffer. */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sb_printf(&b, "[%s]", big);
    assert_int_equal(b.len, 16 + 5001);
    assert_int_equal(strlen(b.s), b.len);
    assert_int_equal(b.s[16], '[');
    assert_int_equal(b.s[b.len - 1], ']');
    assert_true(b.cap >= b.len + 1);

    char *s = sb_steal(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(strlen(s), 16 + 5001);
    free(s);
    s = sb_steal(&b); /* an empty buffer gives "" */
    assert_string_equal(s, "");
    free(s);

    sb_add(&b, "x");
    sb_free(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    sb_free(&b); /* twice is harmless */

    char *a = xasprintf("%s-%05d", "2026", 42);
    assert_string_equal(a, "2026-00042");
    free(a);
    a = xstrndup("abcdef", 3);
    assert_string_equal(a, "abc");
    free(a);
    assert_null(xstrdup(NULL));
}

/* 3.4 Error values: set, prefix and append; NULL is allowed and every
 * call returns -1; long messages are cut at the buffer, not overrun. */
static void t3_4_err(void **state)
{
    struct err e = {""};
    assert_int_equal(err_set(&e, "no account '%s'", "jan"), -1);
    assert_string_equal(e.msg, "no account 'jan'");
    assert_int_equal(err_prefix(&e, "line %d", 3), -1);
    assert_string_equal(e.msg, "line 3: no account 'jan'");
    assert_int_equal(err_prefix(&e, "%s", "file.yaml"), -1);
    assert_string_equal(e.msg, "file.yaml: line 3: no account 'jan'");
    assert_int_equal(err_append(&e, " (subscription %d)", 7), -1);
    assert_string_equal(e.msg,
                        "file.yaml: line 3: no account 'jan' (subscription 7)");
    assert_int_equal(err_set(NULL, "x"), -1);
    assert_int_equal(err_prefix(NULL, "x"), -1);
    assert_int_equal(err_append(NULL, "x"), -1);

    char big[2000];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err_set(&e, "%s", big);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    err_append(&e, "tail");
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_int_equal(e.msg[sizeof e.msg - 2], 'm');
    /* A prefix is cut at 511 bytes; the message after it is kept. */
    err_set(&e, "short");
    err_prefix(&e, "%s", big);
    assert_int_equal(strlen(e.msg), 511 + strlen(": short"));
    assert_memory_equal(e.msg, "mmmm", 4);
    assert_string_equal(e.msg + 511, ": short");
}

/* 3.5 "Did you mean": the closest known word within the distance, the
 * first of equally close ones, none when nothing is close; NULL names
 * and words past 64 bytes never match. */
static void t3_5_suggest(void **state)
{
    static const char *const keys[] = {"price", "period", "vat", NULL};
    assert_string_equal(suggest_from_list("prise", keys, 2), "price");
    assert_string_equal(suggest_from_list("perod", keys, 2), "period");
    assert_null(suggest_from_list("colour", keys, 2));
    assert_null(suggest_from_list("prise", NULL, 2));
    /* distance exactly 2: in at 2, out at 1 */
    assert_string_equal(suggest_from_list("vta", keys, 2), "vat");
    assert_null(suggest_from_list("vta", keys, 1));
    assert_string_equal(suggest_from_list("vat", keys, 0), "vat");
    static const char *const ties[] = {"abd", "abe", "abc", NULL};
    assert_string_equal(suggest_from_list("abx", ties, 2), "abd");
    assert_string_equal(suggest_from_list("abc", ties, 2), "abc");

    struct rec {
        int n;
        const char *id;
    } recs[] = {{1, "tienrit"}, {2, NULL}, {3, "vijfrit"}};
    assert_string_equal(suggest_from_array("tienritt", recs, 3, sizeof *recs,
                                           offsetof(struct rec, id), 2),
                        "tienrit");
    assert_ptr_equal(suggest_from_array("vijfrt", recs, 3, sizeof *recs,
                                        offsetof(struct rec, id), 2),
                     recs[2].id);
    assert_null(suggest_from_array("x", recs, 3, sizeof *recs,
                                   offsetof(struct rec, id), 0));
    assert_null(suggest_from_array("tienrit", recs, 0, sizeof *recs,
                                   offsetof(struct rec, id), 2));

    struct suggest sg;
    suggest_init(&sg, "invoice_payed", 3);
    assert_null(suggest_best(&sg));
    suggest_offer(&sg, NULL);
    suggest_offer(&sg, "invoice_ready");   /* 5 */
    assert_null(suggest_best(&sg));
    suggest_offer(&sg, "invoice_paid");    /* 2 */
    suggest_offer(&sg, "invoice_pai");     /* 3: not better */
    assert_string_equal(suggest_best(&sg), "invoice_paid");

    char long65[66];
    memset(long65, 'a', 65);
    long65[65] = '\0';
    static const char *const as[] = {"aaaa", NULL};
    assert_null(suggest_from_list(long65, as, 255 - 1));
}

/* ============================================================ 4. files */

/* 4.1 SHA-256: the FIPS 180-2 vectors "abc", "" and the 448-bit and
 * 896-bit messages, one million 'a', and the padding edges (55, 56, 63,
 * 64, 65, 119, 120 bytes: digests from sha256sum). */
static void t4_1_sha256_vectors(void **state)
{
    char hex[65];
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
                             "b410ff61f20015ad");
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
                             "a495991b7852b855");
    const char *m448 =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(strlen(m448) * 8, 448);
    sha256_hex(m448, strlen(m448), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167"
                             "f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    assert_int_equal(strlen(m896) * 8, 896);
    sha256_hex(m896, strlen(m896), hex);
    assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51"
                             "afac45037afee9d1");

    char *million = xmalloc(1000000);
    memset(million, 'a', 1000000);
    sha256_hex(million, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e"
                             "046d39ccc7112cd0");
    free(million);

    static const struct {
        size_t n;
        const char *hex;
    } edges[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char a[128];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        sha256_hex(a, edges[i].n, hex);
        if (strcmp(hex, edges[i].hex) != 0)
            fail_msg("sha256 of %zu 'a': %s, expected %s", edges[i].n, hex,
                     edges[i].hex);
    }
}

/* 4.2 Streaming in pieces of every size 1..130 gives the one-shot
 * digest of the 896-bit message and of one million 'a'. */
static void t4_2_sha256_streaming(void **state)
{
    const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    size_t n = strlen(m);
    for (size_t piece = 1; piece <= 130; piece++) {
        struct sha256 c;
        char hex[65];
        sha256_init(&c);
        for (size_t off = 0; off < n; off += piece)
            sha256_update(&c, m + off, n - off < piece ? n - off : piece);
        sha256_final_hex(&c, hex);
        if (strcmp(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac4"
                        "5037afee9d1") != 0)
            fail_msg("pieces of %zu: %s", piece, hex);
    }
    struct sha256 c;
    char hex[65], chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    sha256_init(&c);
    sha256_update(&c, "", 0);
    for (int i = 0; i < 1000; i++)
        sha256_update(&c, chunk, sizeof chunk);
    sha256_final_hex(&c, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e"
                             "046d39ccc7112cd0");
    /* A context can be reused after sha256_init. */
    sha256_init(&c);
    sha256_update(&c, "ab", 2);
    sha256_update(&c, "c", 1);
    sha256_final_hex(&c, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
                             "b410ff61f20015ad");
}

/* 4.3 file_read: the whole file, NUL-terminated, with its length (NUL
 * bytes inside are kept); a missing file names the path and the reason. */
static void t4_3_file_read(void **state)
{
    char dir[] = "/tmp/carebill-util-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/f.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    char data[70000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i % 251);
    assert_int_equal(fwrite(data, 1, sizeof data, f), sizeof data);
    fclose(f);

    struct err e = {""};
    size_t len = 0;
    char *text = file_read(path, &len, &e);
    assert_non_null(text);
    assert_int_equal(len, sizeof data);
    assert_memory_equal(text, data, sizeof data);
    assert_int_equal(text[len], '\0');
    free(text);
    unlink(path);

    assert_null(file_read(path, &len, &e));
    char *want = xasprintf("%s: No such file or directory", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    rmdir(dir);
}

/* 2.20 Checked money arithmetic: results that fit are exact, results
 * beyond int64 return -1, leave *out alone and say so; muldiv by 0 is an
 * error, not an abort. money_in_range allows +-999999999.99 only. */
static void t2_20_money_checked(void **state)
{
    struct err e;
    int64_t r = 7;
    assert_int_equal(money_add(INT64_MAX - 1, 1, &r, &e), 0);
    assert_true(r == INT64_MAX);
    r = 7;
    assert_int_equal(money_add(INT64_MAX, 1, &r, &e), -1);
    assert_int_equal(r, 7);
    assert_string_equal(e.msg, "amount out of range: 9223372036854775807 + 1 "
                               "does not fit in 64 bits (the maximum per "
                               "line and per invoice is 999999999.99)");
    assert_int_equal(money_sub(INT64_MIN, 1, &r, NULL), -1);
    assert_int_equal(money_sub(-5, 10, &r, NULL), 0);
    assert_int_equal(r, -15);
    assert_int_equal(money_mul(3037000500LL, 3037000500LL, &r, NULL), -1);
    assert_int_equal(money_mul(-4500, 3, &r, NULL), 0);
    assert_int_equal(r, -13500);
    assert_int_equal(money_muldiv(150, 333, 100, &r, NULL), 0);
    assert_int_equal(r, 500);
    assert_int_equal(money_muldiv(INT64_MAX, 100, 10, &r, NULL), -1);
    assert_int_equal(money_muldiv(1, 1, 0, &r, &e), -1);
    assert_string_equal(e.msg, "amount out of range: division by zero");
    assert_int_equal(money_in_range(MONEY_MAX_CENTS, "x", NULL), 0);
    assert_int_equal(money_in_range(-MONEY_MAX_CENTS, "x", NULL), 0);
    assert_int_equal(money_in_range(MONEY_MAX_CENTS + 1, "line", &e), -1);
    assert_string_equal(e.msg, "line 1000000000.00 is beyond the maximum of "
                               "999999999.99");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_roundtrip_every_day),
        cmocka_unit_test(t1_2_days_in_month),
        cmocka_unit_test(t1_3_valid_ymd),
        cmocka_unit_test(t1_4_parse_accepts),
        cmocka_unit_test(t1_5_parse_refuses),
        cmocka_unit_test(t1_6_add_months),
        cmocka_unit_test(t1_7_weekday),
        cmocka_unit_test(t1_8_fmt_none_and_today),
        cmocka_unit_test(t2_20_money_checked),
        cmocka_unit_test(t2_1_money_parse_accepts),
        cmocka_unit_test(t2_2_money_parse_refuses),
        cmocka_unit_test(t2_3_leading_dot_refused),
        cmocka_unit_test(t2_4_money_fmt),
        cmocka_unit_test(t2_5_money_fmt_locale),
        cmocka_unit_test(t2_6_muldiv_round),
        cmocka_unit_test(t2_7_decimal),
        cmocka_unit_test(t2_8_int_parse),
        cmocka_unit_test(t2_9_muldiv_floor),
        cmocka_unit_test(t2_10_muldiv_round_checked),
        cmocka_unit_test(t2_11_round_half_away),
        cmocka_unit_test(t3_1_is_slug),
        cmocka_unit_test(t3_2_edit_distance),
        cmocka_unit_test(t3_3_sbuf),
        cmocka_unit_test(t3_4_err),
        cmocka_unit_test(t3_5_suggest),
        cmocka_unit_test(t4_1_sha256_vectors),
        cmocka_unit_test(t4_2_sha256_streaming),
        cmocka_unit_test(t4_3_file_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
