/*
 * test_settlement.c — payment dates and the split of a payment
 * (engine/decide/settlement.c), without SQLite: part 1 the days a payment
 * may be booked, part 2 what settles the invoice and what is left over,
 * part 3 which payments may be undone, part 4 what a credit note owes to
 * refund, part 5 what a balance or credit note offsets on an invoice.
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

/* ============================================================ undo */

static struct payment_undo_facts undo_facts(const char *method, int64_t amount)
{
    struct payment_undo_facts f = {method, amount, 0, 0, 0};
    return f;
}

/* 3.1 Money received by hand, by bank and by direct debit may be undone;
 * so may a balance applied and a refund. */
static void undo_3_1_money(void **state)
{
    (void)state;
    static const char *const ok[] = {"manual", "bank", "direct_debit",
                                     "balance"};
    for (size_t i = 0; i < 4; i++) {
        struct payment_undo_facts f = undo_facts(ok[i], 4500);
        assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_OK);
    }
    struct payment_undo_facts f = undo_facts("refund", -2000);
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_OK);
}

/* 3.2 Credit-note applications, bank reversals and undos may not. */
static void undo_3_2_not_money(void **state)
{
    (void)state;
    static const char *const no[] = {"credit_note", "reversal", "undo",
                                     "something"};
    for (size_t i = 0; i < 4; i++) {
        struct payment_undo_facts f = undo_facts(no[i], -4500);
        assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_NOT_MONEY);
    }
    struct payment_undo_facts f = undo_facts(NULL, 100);
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_NOT_MONEY);
    f = undo_facts("manual", 0);
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_NOT_MONEY);
}

/* 3.3 Undone before: refused, and that is said first (even for a row
 * that is no money). */
static void undo_3_3_already(void **state)
{
    (void)state;
    struct payment_undo_facts f = undo_facts("manual", 4500);
    f.undone = 1;
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_ALREADY);
    f.method = "credit_note";
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_ALREADY);
}

/* 3.4 An overpayment of 5.00: undone while the balance holds 5.00 or
 * more, refused when it holds 4.99. */
static void undo_3_4_balance_used(void **state)
{
    (void)state;
    struct payment_undo_facts f = undo_facts("manual", 4500);
    f.to_balance_cents = 500;
    f.balance_cents = 500;
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_OK);
    f.balance_cents = 1200;
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_OK);
    f.balance_cents = 499;
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_BALANCE_USED);
    f.balance_cents = 0;
    assert_int_equal(payment_undo_check(&f), PAYMENT_UNDO_BALANCE_USED);
}

/* ============================================================ refunds */

/* 4.1 A credit note of -45.00 with nothing settled owes 45.00. */
static void refund_4_1_whole(void **state)
{
    (void)state;
    assert_int_equal(refund_owed_on_credit_note(-4500, 0), 4500);
}

/* 4.2 Refunded 20.00 (or applied 20.00): 25.00 left; all: nothing. */
static void refund_4_2_parts(void **state)
{
    (void)state;
    assert_int_equal(refund_owed_on_credit_note(-4500, -2000), 2500);
    assert_int_equal(refund_owed_on_credit_note(-4500, -4500), 0);
    assert_int_equal(refund_owed_on_credit_note(-4500, -5000), 0);
}

/* 4.3 A total that is not negative owes no refund. */
static void refund_4_3_not_credit(void **state)
{
    (void)state;
    assert_int_equal(refund_owed_on_credit_note(4500, 0), 0);
    assert_int_equal(refund_owed_on_credit_note(0, 0), 0);
}

/* ============================================================ offsets */

/* 5.1 A balance of 5.00 on an invoice with 45.00 open: 5.00 goes. */
static void offset_5_1_less(void **state)
{
    (void)state;
    assert_int_equal(settlement_offset(500, 4500, 0), 500);
}

/* 5.2 60.00 on an invoice with 45.00 of 60.00 open: 45.00 goes. */
static void offset_5_2_more(void **state)
{
    (void)state;
    assert_int_equal(settlement_offset(6000, 6000, 1500), 4500);
    assert_int_equal(settlement_offset(4500, 4500, 0), 4500);
}

/* 5.3 Nothing available, or nothing open (paid, or paid beyond): 0. */
static void offset_5_3_nothing(void **state)
{
    (void)state;
    assert_int_equal(settlement_offset(0, 4500, 0), 0);
    assert_int_equal(settlement_offset(-100, 4500, 0), 0);
    assert_int_equal(settlement_offset(500, 4500, 4500), 0);
    assert_int_equal(settlement_offset(500, 4500, 5000), 0);
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
        cmocka_unit_test(undo_3_1_money),
        cmocka_unit_test(undo_3_2_not_money),
        cmocka_unit_test(undo_3_3_already),
        cmocka_unit_test(undo_3_4_balance_used),
        cmocka_unit_test(refund_4_1_whole),
        cmocka_unit_test(refund_4_2_parts),
        cmocka_unit_test(refund_4_3_not_credit),
        cmocka_unit_test(offset_5_1_less),
        cmocka_unit_test(offset_5_2_more),
        cmocka_unit_test(offset_5_3_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
