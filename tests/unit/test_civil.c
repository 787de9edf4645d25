/*
 * test_civil.c — the practice's civil date from the IANA zone files
 * (engine/base/civil.c), never from the process's TZ: the evenings
 * before Amsterdam's DST switches of 2026, UTC, New York, Kiritimati
 * (+14, a day ahead of UTC for ten hours), the first standard-time
 * offset before a zone's first transition, the footer's POSIX rule
 * after its last one, the rule reader on its own, CAREBILL_TODAY, and
 * the names that are refused. Expected values are worked out by hand
 * (and agree with zdump); none is computed by the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/util.h"

/* ============================================================ helpers */

/* A UTC moment. */
static time_t UT(int y, int m, int d, int hh, int mm, int ss)
{
    return (time_t)date_from_ymd(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* "YYYY-MM-DD HH:MM:SS +OFFSET dst" for zone tz at t; fails the test on
 * an error. */
static const char *wall(const char *tz, time_t t)
{
    static char buf[4][48];
    static int i;
    struct civil_time ct;
    struct err e = {""};
    char day[11];
    i = (i + 1) % 4;
    if (civil_time_in(tz, t, &ct, &e) != 0)
        fail_msg("civil_time_in(%s): %s", tz ? tz : "NULL", e.msg);
    snprintf(buf[i], sizeof buf[i], "%s %02d:%02d:%02d %+d%s",
             date_fmt(ct.date, day), ct.hour, ct.minute, ct.second,
             (int)ct.utc_offset, ct.is_dst ? " dst" : "");
    return buf[i];
}

/* The civil date only. */
static const char *day_in(const char *tz, time_t t)
{
    static char buf[4][11];
    static int i;
    cdate d = CDATE_NONE;
    struct err e = {""};
    i = (i + 1) % 4;
    if (civil_date_in(tz, t, &d, &e) != 0)
        fail_msg("civil_date_in(%s): %s", tz ? tz : "NULL", e.msg);
    return date_fmt(d, buf[i]);
}

/* A POSIX rule at t as "+OFFSET[ dst]". */
static const char *rule_at(const char *rule, time_t t)
{
    static char buf[4][24];
    static int i;
    int32_t off = 12345;
    int dst = -1;
    i = (i + 1) % 4;
    if (civil_posix_offset(rule, t, &off, &dst) != 0)
        fail_msg("civil_posix_offset(\"%s\") refused", rule);
    snprintf(buf[i], sizeof buf[i], "%+d%s", (int)off, dst ? " dst" : "");
    return buf[i];
}

static void refused(const char *tz, const char *msg)
{
    struct err e = {""};
    cdate d = 4242;
    assert_int_equal(civil_date_in(tz, UT(2026, 1, 1, 12, 0, 0), &d, &e), -1);
    assert_string_equal(e.msg, msg);
    assert_int_equal(d, 4242);
}

/* ======================================================= 1. real zones */

/* 1.1 Amsterdam, spring 2026: CET (+1) until Sunday 29 March 01:00 UTC,
 * CEST (+2) from then. 22:30 UTC the evening before is still the 28th
 * there, 23:30 UTC already the 29th. */
static void t1_1_amsterdam_spring(void **state)
{
    const char *z = "Europe/Amsterdam";
    assert_string_equal(wall(z, UT(2026, 3, 28, 22, 30, 0)),
                        "2026-03-28 23:30:00 +3600");
    assert_string_equal(wall(z, UT(2026, 3, 28, 23, 30, 0)),
                        "2026-03-29 00:30:00 +3600");
    assert_string_equal(day_in(z, UT(2026, 3, 28, 22, 59, 59)), "2026-03-28");
    assert_string_equal(day_in(z, UT(2026, 3, 28, 23, 0, 0)), "2026-03-29");
    assert_string_equal(wall(z, UT(2026, 3, 29, 0, 59, 59)),
                        "2026-03-29 01:59:59 +3600");
    assert_string_equal(wall(z, UT(2026, 3, 29, 1, 0, 0)),
                        "2026-03-29 03:00:00 +7200 dst");
}

/* 1.2 Amsterdam, autumn 2026: CEST until Sunday 25 October 01:00 UTC.
 * The evening before, 22:30 and 23:30 UTC are already the 25th there
 * (+2); a month later, in CET, 22:30 UTC is still the same day. */
static void t1_2_amsterdam_autumn(void **state)
{
    const char *z = "Europe/Amsterdam";
    assert_string_equal(wall(z, UT(2026, 10, 24, 21, 30, 0)),
                        "2026-10-24 23:30:00 +7200 dst");
    assert_string_equal(wall(z, UT(2026, 10, 24, 22, 30, 0)),
                        "2026-10-25 00:30:00 +7200 dst");
    assert_string_equal(wall(z, UT(2026, 10, 24, 23, 30, 0)),
                        "2026-10-25 01:30:00 +7200 dst");
    assert_string_equal(wall(z, UT(2026, 10, 25, 0, 59, 59)),
                        "2026-10-25 02:59:59 +7200 dst");
    assert_string_equal(wall(z, UT(2026, 10, 25, 1, 0, 0)),
                        "2026-10-25 02:00:00 +3600");
    assert_string_equal(day_in(z, UT(2026, 11, 24, 22, 30, 0)), "2026-11-24");
    assert_string_equal(day_in(z, UT(2026, 11, 24, 23, 30, 0)), "2026-11-25");
}

/* 1.3 UTC, by name and as the NULL or empty zone. */
static void t1_3_utc(void **state)
{
    assert_string_equal(wall("UTC", UT(2026, 1, 1, 23, 59, 59)),
                        "2026-01-01 23:59:59 +0");
    assert_string_equal(wall("UTC", UT(2026, 1, 2, 0, 0, 0)),
                        "2026-01-02 00:00:00 +0");
    assert_string_equal(wall("Etc/UTC", UT(2026, 7, 1, 12, 0, 0)),
                        "2026-07-01 12:00:00 +0");
    assert_string_equal(wall(NULL, UT(2026, 3, 29, 1, 30, 0)),
                        "2026-03-29 01:30:00 +0");
    assert_string_equal(wall("", UT(1969, 12, 31, 23, 59, 59)),
                        "1969-12-31 23:59:59 +0");
}

/* 1.4 New York: EST (-5) in winter, EDT (-4) in summer; 2026's switches
 * are 8 March 07:00 UTC and 1 November 06:00 UTC. Late evening there is
 * already tomorrow in UTC. */
static void t1_4_new_york(void **state)
{
    const char *z = "America/New_York";
    assert_string_equal(wall(z, UT(2026, 1, 1, 4, 30, 0)),
                        "2025-12-31 23:30:00 -18000");
    assert_string_equal(wall(z, UT(2026, 7, 1, 3, 30, 0)),
                        "2026-06-30 23:30:00 -14400 dst");
    assert_string_equal(wall(z, UT(2026, 3, 8, 6, 59, 59)),
                        "2026-03-08 01:59:59 -18000");
    assert_string_equal(wall(z, UT(2026, 3, 8, 7, 0, 0)),
                        "2026-03-08 03:00:00 -14400 dst");
    assert_string_equal(wall(z, UT(2026, 11, 1, 5, 59, 59)),
                        "2026-11-01 01:59:59 -14400 dst");
    assert_string_equal(wall(z, UT(2026, 11, 1, 6, 0, 0)),
                        "2026-11-01 01:00:00 -18000");
}

/* 1.5 Kiritimati, UTC+14 since 1995: from 10:00 UTC it is tomorrow. */
static void t1_5_kiritimati(void **state)
{
    const char *z = "Pacific/Kiritimati";
    assert_string_equal(wall(z, UT(2026, 1, 1, 9, 59, 59)),
                        "2026-01-01 23:59:59 +50400");
    assert_string_equal(wall(z, UT(2026, 1, 1, 10, 0, 0)),
                        "2026-01-02 00:00:00 +50400");
    assert_string_equal(day_in(z, UT(2025, 12, 31, 10, 0, 0)), "2026-01-01");
    assert_string_equal(day_in(z, UT(2026, 2, 28, 12, 0, 0)), "2026-03-01");
}

/* 1.6 Before a zone's first transition its first standard-time offset
 * holds: New York's local mean time, -4:56:02. */
static void t1_6_before_first_transition(void **state)
{
    assert_string_equal(wall("America/New_York", UT(1800, 1, 1, 12, 0, 0)),
                        "1800-01-01 07:03:58 -17762");
}

/* 1.7 Past the last transition the footer's rule decides: Amsterdam in
 * 2040 switches on the last Sundays of March (25th) and October (28th)
 * at 01:00 UTC; Sydney, in the south, is on summer time (+11) in
 * January and winter time (+10) in July, switching on the first Sundays
 * of April (1st, 16:00 UTC the day before is 03:00 AEDT) and October. */
static void t1_7_after_last_transition(void **state)
{
    const char *a = "Europe/Amsterdam", *s = "Australia/Sydney";
    assert_string_equal(wall(a, UT(2040, 3, 25, 0, 59, 59)),
                        "2040-03-25 01:59:59 +3600");
    assert_string_equal(wall(a, UT(2040, 3, 25, 1, 0, 0)),
                        "2040-03-25 03:00:00 +7200 dst");
    assert_string_equal(wall(a, UT(2040, 10, 28, 0, 59, 59)),
                        "2040-10-28 02:59:59 +7200 dst");
    assert_string_equal(wall(a, UT(2040, 10, 28, 1, 0, 0)),
                        "2040-10-28 02:00:00 +3600");
    assert_string_equal(wall(s, UT(2040, 1, 15, 12, 0, 0)),
                        "2040-01-15 23:00:00 +39600 dst");
    assert_string_equal(wall(s, UT(2040, 7, 15, 12, 0, 0)),
                        "2040-07-15 22:00:00 +36000");
    assert_string_equal(wall(s, UT(2040, 3, 31, 15, 59, 59)),
                        "2040-04-01 02:59:59 +39600 dst");
    assert_string_equal(wall(s, UT(2040, 3, 31, 16, 0, 0)),
                        "2040-04-01 02:00:00 +36000");
    assert_string_equal(wall("Pacific/Kiritimati", UT(2100, 6, 1, 10, 0, 0)),
                        "2100-06-02 00:00:00 +50400");
}

/* ===================================================== 2. refusals */

/* 2.1 An unknown zone, and a directory of zones, are no zone. */
static void t2_1_unknown_zone(void **state)
{
    refused("Europe/Utrecht", "unknown time zone 'Europe/Utrecht' (expected "
                              "an IANA name such as Europe/Amsterdam)");
    refused("Europe", "unknown time zone 'Europe' (expected an IANA name "
                      "such as Europe/Amsterdam)");
}

/* 2.2 Names that could leave the zone directory, or that no zone has,
 * are refused before any file is opened. */
static void t2_2_bad_names(void **state)
{
    static const char *const bad[] = {"../../etc/passwd", "/etc/localtime",
                                      "Europe/../UTC",    "Europe/Amster dam",
                                      "Europe/Amsterdam\n", "UTC;rm"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char msg[160];
        snprintf(msg, sizeof msg, "time zone '%s' is not a zone name "
                 "(expected an IANA name such as Europe/Amsterdam)", bad[i]);
        refused(bad[i], msg);
    }
}

/* 2.3 A moment beyond the calendar is refused. */
static void t2_3_beyond_calendar(void **state)
{
    struct civil_time ct;
    struct err e = {""};
    assert_int_equal(civil_time_in("UTC", (time_t)1 << 50, &ct, &e), -1);
    assert_string_equal(e.msg, "time 1125899906842624 is beyond the calendar");
}

/* ================================================== 3. POSIX rules */

/* 3.1 The footer forms tzdata writes: standard time only, quoted names,
 * northern and southern DST, Dublin's negative DST (GMT in winter is
 * the "DST" of IST) and Nuuk's negative switch times. */
static void t3_1_posix_rules(void **state)
{
    assert_string_equal(rule_at("UTC0", 0), "+0");
    assert_string_equal(rule_at("<+14>-14", 0), "+50400");
    assert_string_equal(rule_at("<-03>3", 0), "-10800");
    assert_string_equal(rule_at("<+0530>-5:30", 0), "+19800");
    const char *cet = "CET-1CEST,M3.5.0,M10.5.0/3";
    assert_string_equal(rule_at(cet, UT(2026, 3, 29, 0, 59, 59)), "+3600");
    assert_string_equal(rule_at(cet, UT(2026, 3, 29, 1, 0, 0)), "+7200 dst");
    assert_string_equal(rule_at(cet, UT(2026, 10, 25, 0, 59, 59)),
                        "+7200 dst");
    assert_string_equal(rule_at(cet, UT(2026, 10, 25, 1, 0, 0)), "+3600");
    const char *ny = "EST5EDT,M3.2.0,M11.1.0";
    assert_string_equal(rule_at(ny, UT(2026, 3, 8, 7, 0, 0)), "-14400 dst");
    assert_string_equal(rule_at(ny, UT(2026, 11, 1, 6, 0, 0)), "-18000");
    const char *syd = "AEST-10AEDT,M10.1.0,M4.1.0/3";
    assert_string_equal(rule_at(syd, UT(2026, 1, 1, 0, 0, 0)), "+39600 dst");
    assert_string_equal(rule_at(syd, UT(2026, 6, 1, 0, 0, 0)), "+36000");
    assert_string_equal(rule_at(syd, UT(2026, 12, 31, 23, 0, 0)),
                        "+39600 dst");
    const char *dub = "IST-1GMT0,M10.5.0,M3.5.0/1";
    assert_string_equal(rule_at(dub, UT(2026, 7, 1, 0, 0, 0)), "+3600");
    assert_string_equal(rule_at(dub, UT(2026, 1, 1, 0, 0, 0)), "+0 dst");
    assert_string_equal(rule_at(dub, UT(2026, 3, 29, 0, 59, 59)), "+0 dst");
    assert_string_equal(rule_at(dub, UT(2026, 3, 29, 1, 0, 0)), "+3600");
    /* Nuuk: -2, -1 from the last Sunday of March at -01:00 local
     * (01:00 UTC), back at 00:00 local on the last Sunday of October. */
    const char *nuuk = "<-02>2<-01>,M3.5.0/-1,M10.5.0/0";
    assert_string_equal(rule_at(nuuk, UT(2026, 3, 29, 0, 59, 59)), "-7200");
    assert_string_equal(rule_at(nuuk, UT(2026, 3, 29, 1, 0, 0)), "-3600 dst");
    assert_string_equal(rule_at(nuuk, UT(2026, 10, 25, 0, 59, 59)),
                        "-3600 dst");
    assert_string_equal(rule_at(nuuk, UT(2026, 10, 25, 1, 0, 0)), "-7200");
}

/* 3.2 Julian dates: Jn never counts 29 February (J60 is always 1 March),
 * n counts from 0 and does (59 is 29 February in a leap year). */
static void t3_2_julian_dates(void **state)
{
    const char *j = "AAA0BBB,J60/0,J305/0";
    assert_string_equal(rule_at(j, UT(2028, 2, 29, 23, 59, 59)), "+0");
    assert_string_equal(rule_at(j, UT(2028, 3, 1, 0, 0, 0)), "+3600 dst");
    assert_string_equal(rule_at(j, UT(2027, 2, 28, 23, 59, 59)), "+0");
    assert_string_equal(rule_at(j, UT(2027, 3, 1, 0, 0, 0)), "+3600 dst");
    const char *n = "AAA0BBB,59/0,304/0";
    assert_string_equal(rule_at(n, UT(2028, 2, 28, 23, 59, 59)), "+0");
    assert_string_equal(rule_at(n, UT(2028, 2, 29, 0, 0, 0)), "+3600 dst");
    assert_string_equal(rule_at(n, UT(2027, 2, 28, 23, 59, 59)), "+0");
    assert_string_equal(rule_at(n, UT(2027, 3, 1, 0, 0, 0)), "+3600 dst");
    /* An explicit DST offset, two hours ahead. */
    assert_string_equal(rule_at("AAA0BBB-2,J60/0,J305/0",
                                UT(2027, 6, 1, 0, 0, 0)),
                        "+7200 dst");
}

/* 3.3 Rules it cannot read are refused, not guessed. */
static void t3_3_bad_rules(void **state)
{
    static const char *const bad[] = {
        "",          "CET",        "CE-1",
        "CET-1CEST", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0",
        "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0",
        "CET-1CEST,M3.5.0,M10.5.0/3x", "<+14-14", "<>0",
        "CET-25", "CET-1CEST,J0,J365", "CET-1CEST,M3.5.0/168,M10.5.0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int32_t off = 7;
        int dst = 7;
        if (civil_posix_offset(bad[i], 0, &off, &dst) != -1)
            fail_msg("\"%s\" should be refused", bad[i]);
        assert_int_equal(off, 7);
    }
    int32_t off;
    int dst;
    assert_int_equal(civil_posix_offset(NULL, 0, &off, &dst), -1);
}

/* ================================================ 4. CAREBILL_TODAY */

/* 4.1 A valid CAREBILL_TODAY is the run date whatever the zone; an
 * invalid one is refused naming the variable; empty means unset. */
static void t4_1_carebill_today(void **state)
{
    struct err e = {""};
    cdate d = CDATE_NONE;
    int bad = -1;
    char buf[11];
    setenv("CAREBILL_TODAY", "2026-02-28", 1);
    assert_int_equal(civil_today("Pacific/Kiritimati", &d, &bad, &e), 0);
    assert_string_equal(date_fmt(d, buf), "2026-02-28");
    assert_int_equal(bad, 0);
    /* The zone is not read when the date is fixed. */
    assert_int_equal(civil_today("Europe/Utrecht", &d, &bad, &e), 0);

    d = 4242;
    setenv("CAREBILL_TODAY", "2026-02-30", 1);
    assert_int_equal(civil_today("UTC", &d, &bad, &e), -1);
    assert_string_equal(e.msg, "CAREBILL_TODAY: invalid date '2026-02-30' "
                               "(no such day)");
    assert_int_equal(bad, 1);
    setenv("CAREBILL_TODAY", "tomorrow", 1);
    assert_int_equal(civil_today("UTC", &d, NULL, &e), -1);
    assert_string_equal(e.msg, "CAREBILL_TODAY: invalid date 'tomorrow' "
                               "(expected YYYY-MM-DD)");
    assert_int_equal(d, 4242);

    /* Empty: today in the zone, a real date. */
    setenv("CAREBILL_TODAY", "", 1);
    assert_int_equal(civil_today("UTC", &d, &bad, &e), 0);
    assert_int_equal(bad, 0);
    assert_true(d >= date_from_ymd(2025, 1, 1));
    unsetenv("CAREBILL_TODAY");
    assert_int_equal(civil_today("Europe/Utrecht", &d, &bad, &e), -1);
    assert_int_equal(bad, 0);
    assert_string_equal(e.msg, "unknown time zone 'Europe/Utrecht' (expected "
                               "an IANA name such as Europe/Amsterdam)");
}

/* 4.2 The process's own zone is left alone: TZ is whatever it was. */
static void t4_2_tz_untouched(void **state)
{
    struct err e = {""};
    cdate d;
    setenv("TZ", "America/New_York", 1);
    assert_int_equal(civil_date_in("Pacific/Kiritimati", 0, &d, &e), 0);
    assert_string_equal(getenv("TZ"), "America/New_York");
    unsetenv("TZ");
    assert_int_equal(civil_date_in("Europe/Amsterdam", 0, &d, &e), 0);
    assert_null(getenv("TZ"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_amsterdam_spring),
        cmocka_unit_test(t1_2_amsterdam_autumn),
        cmocka_unit_test(t1_3_utc),
        cmocka_unit_test(t1_4_new_york),
        cmocka_unit_test(t1_5_kiritimati),
        cmocka_unit_test(t1_6_before_first_transition),
        cmocka_unit_test(t1_7_after_last_transition),
        cmocka_unit_test(t2_1_unknown_zone),
        cmocka_unit_test(t2_2_bad_names),
        cmocka_unit_test(t2_3_beyond_calendar),
        cmocka_unit_test(t3_1_posix_rules),
        cmocka_unit_test(t3_2_julian_dates),
        cmocka_unit_test(t3_3_bad_rules),
        cmocka_unit_test(t4_1_carebill_today),
        cmocka_unit_test(t4_2_tz_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
