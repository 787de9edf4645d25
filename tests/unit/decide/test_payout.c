/*
 * test_payout.c — what each supplier is due (decide/payout.c), without
 * SQLite: a month counts once collected (paid in full, or self-billed),
 * then its hours invoice less its commission, less earlier payouts;
 * never below zero; end-to-end ids within SEPA's 35 characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decide/payout.h"

/* A month: supplier, self-billed, hours total, paid, commission. */
static struct payout_month M(const char *supplier, int self, int64_t total,
                             int64_t paid, int64_t commission)
{
    struct payout_month m;
    memset(&m, 0, sizeof m);
    m.supplier = supplier;
    m.self_billed = self;
    m.hours_total_cents = total;
    m.hours_paid_cents = paid;
    m.commission_cents = commission;
    return m;
}

static int64_t paid_anna_1000(void *arg, const char *supplier)
{
    return !strcmp(supplier, "anna") ? 1000 : 0;
}

/* 1.1 Collected: paid in full, or self-billed; partly paid waits. */
static void collected_1_1(void **state)
{
    struct payout_month m = M("anna", 0, 10000, 10000, 1200);
    assert_int_equal(payout_collected(&m), 1);
    m.hours_paid_cents = 9999;
    assert_int_equal(payout_collected(&m), 0);
    m.self_billed = 1;
    assert_int_equal(payout_collected(&m), 1);
    struct payout_month zero = M("anna", 0, 0, 0, 0);
    assert_int_equal(payout_collected(&zero), 0);
    m.commission_pending = 1; /* waits for its commission invoice */
    assert_int_equal(payout_collected(&m), 0);
}

/* 1.2 Per supplier, in first-seen order: collected less withheld less
 * paid. */
static void dues_1_2(void **state)
{
    struct payout_month months[] = {
        M("anna", 0, 153500, 153500, 22288),
        M("bram", 1, 159720, 0, 15972),
        M("anna", 0, 49000, 0, 5808),  /* not paid yet: waits */
        M("anna", 0, 40000, 40000, 4840),
    };
    struct payout_due out[4];
    size_t n = payout_dues(months, 4, paid_anna_1000, NULL, out, 4);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].supplier, "anna");
    assert_int_equal(out[0].collected_cents, 193500);
    assert_int_equal(out[0].withheld_cents, 27128);
    assert_int_equal(out[0].paid_cents, 1000);
    assert_int_equal(out[0].due_cents, 165372);
    assert_string_equal(out[1].supplier, "bram");
    assert_int_equal(out[1].due_cents, 143748);
}

/* 1.3 Never due below zero; nothing paid without paid_of. */
static void dues_1_3_floor(void **state)
{
    struct payout_month months[] = {M("anna", 0, 1000, 1000, 5000)};
    struct payout_due out[1];
    assert_int_equal(payout_dues(months, 1, NULL, NULL, out, 1), 1);
    assert_int_equal(out[0].paid_cents, 0);
    assert_int_equal(out[0].due_cents, 0);
}

/* 1.4 At most max suppliers are written. */
static void dues_1_4_max(void **state)
{
    struct payout_month months[] = {M("a", 1, 100, 0, 0), M("b", 1, 200, 0, 0)};
    struct payout_due out[1];
    assert_int_equal(payout_dues(months, 2, NULL, NULL, out, 1), 1);
    assert_string_equal(out[0].supplier, "a");
}

/* 2.1 End-to-end ids: P, the batch, the index; at most 35 characters. */
static void e2e_2_1(void **state)
{
    char b[36];
    assert_string_equal(payout_end_to_end("PAY-20270405", 0, b),
                        "PPAY-20270405-1");
    payout_end_to_end("A-VERY-LONG-BATCH-IDENTIFIER-OF-MANY-CHARS", 99, b);
    assert_true(strlen(b) <= 35);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collected_1_1),
        cmocka_unit_test(dues_1_2),
        cmocka_unit_test(dues_1_3_floor),
        cmocka_unit_test(dues_1_4_max),
        cmocka_unit_test(e2e_2_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
