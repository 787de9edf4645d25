/*
 * test_settlement.c — payment dates and the split of a payment
 * (engine/decide/settlement.c), without SQLite: part 1 the days a payment
 * may be booked, part 2 what settles the invoice and what is left over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/util.h"
#include "decide/settlement.h"

static cdate D(int y, int m, int d) { return date_from_ymd(y, m, d); }

/* ============================================================ dates */

/* 1.1 Between the issue date and today, both included, is fine. */
static void date_1_1_inside(void **state)
{
    (void)state;
    cdate iss = D(2026, 1, 1), today = D(2026, 1, 10);
    assert_int_equal(payment_date_check(iss, today, D(2026, 1, 1)),
                     PAYMENT_DATE_OK);
    assert_int_equal(payment_date_check(iss, today, D(2026, 1, 5)),
                     PAYMENT_DATE_OK);
    assert_int_equal(payment_date_check(iss, today, D(2026, 1, 10)),
                     PAYMENT_DATE_OK);
}

/* 1.2 The day before the invoice is refused. */
static void date_1_2_before_invoice(void **state)
{
    (void)state;
    assert_int_equal(payment_date_check(D(2026, 1, 1), D(2026, 1, 10),
                                        D(2025, 12, 31)),
                     PAYMENT_DATE_BEFORE_INVOICE);
}

/* 1.3 The day after today is refused; a year ahead too. */
static void date_1_3_after_today(void **state)
{
    (void)state;
    assert_int_equal(payment_date_check(D(2026, 1, 1), D(2026, 1, 10),
                                        D(2026, 1, 11)),
                     PAYMENT_DATE_AFTER_TODAY);
    assert_int_equal(payment_date_check(D(2026, 1, 1), D(2026, 1, 10),
                                        D(2027, 1, 5)),
                     PAYMENT_DATE_AFTER_TODAY);
}

/* 1.4 An invoice dated after today (issued ahead): a date before it is
 * reported as before the invoice, the first rule. */
static void date_1_4_before_wins(void **state)
{
    (void)state;
    assert_int_equal(payment_date_check(D(2026, 2, 1), D(2026, 1, 10),
                                        D(2026, 1, 20)),
                     PAYMENT_DATE_BEFORE_INVOICE);
}

/* 1.5 CDATE_NONE skips a side. */
static void date_1_5_none(void **state)
{
    (void)state;
    assert_int_equal(payment_date_check(CDATE_NONE, D(2026, 1, 10),
                                        D(2000, 1, 1)),
                     PAYMENT_DATE_OK);
    assert_int_equal(payment_date_check(D(2026, 1, 1), CDATE_NONE,
                                        D(2030, 1, 1)),
                     PAYMENT_DATE_OK);
}

/* ============================================================ split */

/* 2.1 Less than is open: all of it settles, nothing left over. */
static void split_2_1_partial(void **state)
{
    (void)state;
    struct payment_split s = payment_split_of(2000, 4500);
    assert_int_equal(s.applied_cents, 2000);
    assert_int_equal(s.excess_cents, 0);
}

/* 2.2 Exactly what is open. */
static void split_2_2_exact(void **state)
{
    (void)state;
    struct payment_split s = payment_split_of(4500, 4500);
    assert_int_equal(s.applied_cents, 4500);
    assert_int_equal(s.excess_cents, 0);
}

/* 2.3 50.00 on a 45.00 invoice: 45.00 settles, 5.00 left over. */
static void split_2_3_over(void **state)
{
    (void)state;
    struct payment_split s = payment_split_of(5000, 4500);
    assert_int_equal(s.applied_cents, 4500);
    assert_int_equal(s.excess_cents, 500);
}

/* 2.4 Nothing open (paid already, or a negative open): all left over. */
static void split_2_4_nothing_open(void **state)
{
    (void)state;
    struct payment_split s = payment_split_of(1000, 0);
    assert_int_equal(s.applied_cents, 0);
    assert_int_equal(s.excess_cents, 1000);
    s = payment_split_of(1000, -300);
    assert_int_equal(s.applied_cents, 0);
    assert_int_equal(s.excess_cents, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_1_1_inside),
        cmocka_unit_test(date_1_2_before_invoice),
        cmocka_unit_test(date_1_3_after_today),
        cmocka_unit_test(date_1_4_before_wins),
        cmocka_unit_test(date_1_5_none),
        cmocka_unit_test(split_2_1_partial),
        cmocka_unit_test(split_2_2_exact),
        cmocka_unit_test(split_2_3_over),
        cmocka_unit_test(split_2_4_nothing_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
