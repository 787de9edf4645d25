/*
 * test_invoice_status.c — an invoice's status from its sums
 * (engine/decide/invoice_status.c), without SQLite: part 1 the settled
 * amount, part 2 invoices with a positive total (open, paid in parts,
 * credited, reopened by a reversal), part 3 credit notes and zero totals,
 * part 4 the transitions payment.c acts on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decide/invoice_status.h"

static struct invoice_sums S(int64_t total, int64_t paid, int64_t credited,
                             int64_t reversed)
{
    return (struct invoice_sums){total, paid, credited, reversed};
}

static enum invoice_status status(int64_t total, int64_t paid,
                                  int64_t credited, int64_t reversed)
{
    struct invoice_sums s = S(total, paid, credited, reversed);
    return invoice_status_of(&s);
}

/* ============================================================ settled */

/* 1.1 settled = paid + credited - reversed: 40.00 + 5.00 - 10.00 = 35.00;
 * nothing booked is 0. */
static void settled_1_1_sum(void **state)
{
    struct invoice_sums s = S(5000, 4000, 500, 1000);
    assert_int_equal(invoice_settled_cents(&s), 3500);
    s = S(5000, 0, 0, 0);
    assert_int_equal(invoice_settled_cents(&s), 0);
}

/* 1.2 On a credit note the applications are negative: -45.00 applied of
 * a -45.00 note settles -45.00. */
static void settled_1_2_credit_note(void **state)
{
    struct invoice_sums s = S(-4500, 0, -4500, 0);
    assert_int_equal(invoice_settled_cents(&s), -4500);
}

/* ============================================================ positive */

/* 2.1 Nothing booked: open. */
static void positive_2_1_open(void **state)
{
    assert_int_equal(status(4500, 0, 0, 0), ST_OPEN);
}

/* 2.2 Paid in parts: 20.00 of 45.00 stays open; 45.00 is paid. */
static void positive_2_2_parts(void **state)
{
    assert_int_equal(status(4500, 2000, 0, 0), ST_OPEN);
    assert_int_equal(status(4500, 4499, 0, 0), ST_OPEN);
    assert_int_equal(status(4500, 4500, 0, 0), ST_PAID);
}

/* 2.3 A full credit note: credited, not paid; a partial one plus a
 * payment for the rest: paid. */
static void positive_2_3_credited(void **state)
{
    assert_int_equal(status(4500, 0, 4500, 0), ST_CREDITED);
    assert_int_equal(status(4500, 0, 1500, 0), ST_OPEN);
    assert_int_equal(status(4500, 3000, 1500, 0), ST_PAID);
}

/* 2.4 A reversal takes a payment back: 45.00 paid, 45.00 reversed is
 * open again; paid again afterwards is paid. */
static void positive_2_4_reversed(void **state)
{
    assert_int_equal(status(4500, 4500, 0, 4500), ST_OPEN);
    assert_int_equal(status(4500, 9000, 0, 4500), ST_PAID);
    assert_int_equal(status(4500, 4500, 0, 100), ST_OPEN);
}

/* 2.5 Credit notes covering the invoice win over a reversal of its
 * payment: credited whatever was paid or reversed. */
static void positive_2_5_credited_first(void **state)
{
    assert_int_equal(status(4500, 4500, 4500, 4500), ST_CREDITED);
}

/* ============================================================ credit notes */

/* 3.1 A credit note is open until the whole of it is applied. */
static void credit_3_1_applied(void **state)
{
    assert_int_equal(status(-4500, 0, 0, 0), ST_OPEN);
    assert_int_equal(status(-4500, 0, -2000, 0), ST_OPEN);
    assert_int_equal(status(-4500, 0, -4500, 0), ST_PAID);
}

/* 3.2 A credit note is never "credited", even when applications alone
 * settle it. */
static void credit_3_2_never_credited(void **state)
{
    assert_int_not_equal(status(-4500, 0, -4500, 0), ST_CREDITED);
}

/* 3.3 A zero total is paid once settled at zero or more. */
static void credit_3_3_zero(void **state)
{
    assert_int_equal(status(0, 0, 0, 0), ST_PAID);
    assert_int_equal(status(0, 0, 0, 100), ST_OPEN);
}

/* ============================================================ transitions */

/* 4.1 Closing an open invoice. */
static void transition_4_1_close(void **state)
{
    assert_int_equal(invoice_status_transition(ST_OPEN, ST_PAID),
                     INVOICE_BECAME_PAID);
    assert_int_equal(invoice_status_transition(ST_OPEN, ST_CREDITED),
                     INVOICE_BECAME_CREDITED);
}

/* 4.2 Reopening a paid or credited invoice. */
static void transition_4_2_reopen(void **state)
{
    assert_int_equal(invoice_status_transition(ST_PAID, ST_OPEN),
                     INVOICE_REOPENED);
    assert_int_equal(invoice_status_transition(ST_CREDITED, ST_OPEN),
                     INVOICE_REOPENED);
}

/* 4.3 No change, and paid <-> credited, is no transition. */
static void transition_4_3_unchanged(void **state)
{
    assert_int_equal(invoice_status_transition(ST_OPEN, ST_OPEN),
                     INVOICE_UNCHANGED);
    assert_int_equal(invoice_status_transition(ST_PAID, ST_PAID),
                     INVOICE_UNCHANGED);
    assert_int_equal(invoice_status_transition(ST_PAID, ST_CREDITED),
                     INVOICE_UNCHANGED);
    assert_int_equal(invoice_status_transition(ST_CREDITED, ST_PAID),
                     INVOICE_UNCHANGED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(settled_1_1_sum),
        cmocka_unit_test(settled_1_2_credit_note),
        cmocka_unit_test(positive_2_1_open),
        cmocka_unit_test(positive_2_2_parts),
        cmocka_unit_test(positive_2_3_credited),
        cmocka_unit_test(positive_2_4_reversed),
        cmocka_unit_test(positive_2_5_credited_first),
        cmocka_unit_test(credit_3_1_applied),
        cmocka_unit_test(credit_3_2_never_credited),
        cmocka_unit_test(credit_3_3_zero),
        cmocka_unit_test(transition_4_1_close),
        cmocka_unit_test(transition_4_2_reopen),
        cmocka_unit_test(transition_4_3_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
