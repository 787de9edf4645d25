/*
 * test_retry.c — what becomes of an outbox message after a delivery
 * attempt and when it is tried again (engine/decide/retry.c), without
 * SQLite or SMTP: sent, retried while the server defers and fewer than
 * ten attempts were made, failed otherwise; the backoff schedule 5 min,
 * 15 min, 1 h, 4 h, 12 h, then daily; civil-time arithmetic across hours,
 * days, months, leap years and years. Expected values are written out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "decide/retry.h"

/* ============================================================ 1. outcome */

/* 1.1 Accepted is sent, refused is failed, at any attempt. */
static void t1_1_sent_failed(void **state)
{
    assert_int_equal(retry_outcome(SMTP_SENT, 1), DELIVERY_SENT);
    assert_int_equal(retry_outcome(SMTP_SENT, 10), DELIVERY_SENT);
    assert_int_equal(retry_outcome(SMTP_SENT, 50), DELIVERY_SENT);
    assert_int_equal(retry_outcome(SMTP_FAILED, 1), DELIVERY_FAILED);
    assert_int_equal(retry_outcome(SMTP_FAILED, 9), DELIVERY_FAILED);
}

/* 1.2 Deferred: retried up to the ninth attempt, failed from the tenth. */
static void t1_2_retry_limit(void **state)
{
    assert_int_equal(RETRY_MAX_ATTEMPTS, 10);
    assert_int_equal(retry_outcome(SMTP_RETRY, 0), DELIVERY_RETRY);
    assert_int_equal(retry_outcome(SMTP_RETRY, 1), DELIVERY_RETRY);
    assert_int_equal(retry_outcome(SMTP_RETRY, 9), DELIVERY_RETRY);
    assert_int_equal(retry_outcome(SMTP_RETRY, 10), DELIVERY_FAILED);
    assert_int_equal(retry_outcome(SMTP_RETRY, 11), DELIVERY_FAILED);
}

/* ============================================================ 2. backoff */

/* 2.1 The schedule, clamped at both ends. */
static void t2_1_schedule(void **state)
{
    static const int want[][2] = {{-3, 5}, {0, 5},    {1, 5},    {2, 15},
                                  {3, 60}, {4, 240},  {5, 720},  {6, 1440},
                                  {7, 1440}, {9, 1440}, {100, 1440}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(retry_backoff_minutes(want[i][0]), want[i][1]);
}

/* 2.2 Adding minutes carries into hours, days, months and years. */
static void t2_2_add_minutes(void **state)
{
    char out[17];
    assert_string_equal(retry_add_minutes("2026-03-01 23:59", 5, out),
                        "2026-03-02 00:04");
    assert_string_equal(retry_add_minutes("2026-03-01 10:00", 0, out),
                        "2026-03-01 10:00");
    assert_string_equal(retry_add_minutes("2026-02-28 23:00", 60, out),
                        "2026-03-01 00:00");
    assert_string_equal(retry_add_minutes("2024-02-28 23:00", 60, out),
                        "2024-02-29 00:00");
    assert_string_equal(retry_add_minutes("2026-12-31 23:59", 1440, out),
                        "2027-01-01 23:59");
    assert_string_equal(retry_add_minutes("2026-01-31 12:00", 720, out),
                        "2026-02-01 00:00");
    /* No daylight saving: a civil time is not a local one. */
    assert_string_equal(retry_add_minutes("2026-03-29 01:30", 60, out),
                        "2026-03-29 02:30");
}

/* 2.3 A time that does not read as "YYYY-MM-DD HH:MM" is kept as it is. */
static void t2_3_unreadable(void **state)
{
    char out[17];
    assert_string_equal(retry_add_minutes("soon", 5, out), "soon");
    assert_string_equal(retry_add_minutes("2026-03-01", 5, out), "2026-03-01");
    assert_string_equal(retry_add_minutes("", 5, out), "");
}

/* 2.4 The next try after the n-th attempt. */
static void t2_4_next_try(void **state)
{
    char out[17];
    assert_string_equal(retry_next_try("2026-03-01 23:59", 1, out),
                        "2026-03-02 00:04");
    assert_string_equal(retry_next_try("2026-03-01 23:59", 2, out),
                        "2026-03-02 00:14");
    assert_string_equal(retry_next_try("2026-03-01 23:59", 4, out),
                        "2026-03-02 03:59");
    assert_string_equal(retry_next_try("2026-03-31 23:59", 5, out),
                        "2026-04-01 11:59");
    assert_string_equal(retry_next_try("2026-03-31 23:59", 9, out),
                        "2026-04-01 23:59");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_sent_failed),
        cmocka_unit_test(t1_2_retry_limit),
        cmocka_unit_test(t2_1_schedule),
        cmocka_unit_test(t2_2_add_minutes),
        cmocka_unit_test(t2_3_unreadable),
        cmocka_unit_test(t2_4_next_try),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
