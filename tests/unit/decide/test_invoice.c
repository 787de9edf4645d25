/*
 * test_invoice.c — the arithmetic of an invoice (engine/invoice.c): line
 * amounts, VAT per rate with half-away-from-zero rounding, prices
 * including VAT, exemption, credit-note signs; the Dutch payment
 * reference; the IBAN and SEPA creditor id check digits; invoice number
 * patterns. Every expected value is worked out by hand in a comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "decide/invoice.h"
#include "base/util.h"

#define EXEMPT_TEXT "Vrijgesteld van btw"

static const struct invoice_vat *vat_of(const struct invoice *inv,
                                        const char *id)
{
    for (size_t i = 0; i < inv->n_vats; i++)
        if (strcmp(inv->vats[i].vat_id, id) == 0)
            return &inv->vats[i];
    fail_msg("no VAT rate '%s' on the invoice", id);
    return NULL;
}

/* ============================================================ lines */

/* 1.1 amount = qty × unit, rounded half away from zero: 1.5 × 3.33 =
 * 4.995 → 5.00; 1.5 × -3.33 → -5.00; 0.25 × 0.10 = 0.025 → 0.03. The
 * strings are copied, and lines of one rate share one summary entry. */
static void line_1_1_amounts(void **state)
{
    struct invoice inv = {0};
    char desc[] = "Consult";
    struct invoice_line *l =
        invoice_add_line(&inv, desc, 150, 333, "high", 2100, 0, NULL);
    strcpy(desc, "XXXXXXX");
    assert_string_equal(inv.lines[0].description, "Consult");
    assert_int_equal(l->amount_cents, 500);
    assert_int_equal(l->period_start, CDATE_NONE);
    assert_int_equal(l->period_end, CDATE_NONE);
    l = invoice_add_line(&inv, "Correctie", 150, -333, "high", 2100, 0, NULL);
    assert_int_equal(l->amount_cents, -500);
    l = invoice_add_line(&inv, "Kwart", 25, 10, "low", 900, 0, NULL);
    assert_int_equal(l->amount_cents, 3);
    assert_int_equal(inv.n_lines, 3);
    assert_int_equal(inv.n_vats, 2);
    invoice_free(&inv);
    assert_null(inv.lines);
    assert_int_equal(inv.n_lines, 0);
}

/* ============================================================ totals */

/* 2.1 Prices excl. VAT, VAT per rate on the rate's sum:
 *   3 × 0.10 at 21%: 0.30 × 0.21 = 0.063 → 0.06.
 *   3 × 0.12 at 21%: 0.36 × 0.21 = 0.0756 → 0.08 (per line it would be
 *   3 × round(0.0252) = 3 × 0.03 = 0.09: the sum is what counts).
 *   1 × 0.50 at 9%: 0.045 → 0.05 (a half rounds away from zero). */
static void totals_2_1_excl_two_rates(void **state)
{
    struct invoice inv = {0};
    for (int i = 0; i < 3; i++)
        invoice_add_line(&inv, "Pleister", 100, 10, "high", 2100, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(vat_of(&inv, "high")->vat_cents, 6);
    invoice_free(&inv);

    for (int i = 0; i < 3; i++)
        invoice_add_line(&inv, "Tape", 100, 12, "high", 2100, 0, NULL);
    invoice_add_line(&inv, "Boekje", 100, 50, "low", 900, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.n_vats, 2);
    const struct invoice_vat *h = vat_of(&inv, "high"), *lo = vat_of(&inv, "low");
    assert_int_equal(h->bp, 2100);
    assert_int_equal(h->base_cents, 36);
    assert_int_equal(h->vat_cents, 8);
    assert_int_equal(lo->base_cents, 50);
    assert_int_equal(lo->vat_cents, 5);
    assert_int_equal(inv.net_cents, 86);
    assert_int_equal(inv.vat_cents, 13);
    assert_int_equal(inv.total_cents, 99);
    invoice_free(&inv);
}

/* 2.2 Prices incl. VAT: gross 45.00 at 21% → base = round(4500 × 10000 /
 * 12100) = round(3719.008) = 37.19, VAT = 45.00 - 37.19 = 7.81; the
 * total stays the gross. Gross 10.00 at 9% → round(917.43) = 9.17, VAT
 * 0.83. */
static void totals_2_2_incl(void **state)
{
    struct invoice inv = {.prices_include_vat = 1};
    invoice_add_line(&inv, "Sportmassage", 100, 4500, "high", 2100, 0, NULL);
    invoice_add_line(&inv, "Boek", 100, 1000, "low", 900, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(vat_of(&inv, "high")->base_cents, 3719);
    assert_int_equal(vat_of(&inv, "high")->vat_cents, 781);
    assert_int_equal(vat_of(&inv, "low")->base_cents, 917);
    assert_int_equal(vat_of(&inv, "low")->vat_cents, 83);
    assert_int_equal(inv.net_cents, 3719 + 917);
    assert_int_equal(inv.vat_cents, 781 + 83);
    assert_int_equal(inv.total_cents, 5500);
    invoice_free(&inv);
}

/* 2.3 Exempt care: no VAT whatever the rate says, the base is the sum,
 * and the exemption text is kept for the PDF. Also with prices incl. VAT
 * nothing is taken out of an exempt amount. */
static void totals_2_3_exempt(void **state)
{
    for (int incl = 0; incl < 2; incl++) {
        struct invoice inv = {.prices_include_vat = incl};
        invoice_add_line(&inv, "Fysiotherapie", 200, 4500, "exempt", 0, 1,
                         EXEMPT_TEXT);
        invoice_add_line(&inv, "Oefentherapie", 100, 3000, "exempt", 0, 1,
                         EXEMPT_TEXT);
        invoice_totals(&inv);
        assert_int_equal(inv.n_vats, 1);
        assert_true(inv.vats[0].exempt);
        assert_string_equal(inv.vats[0].exempt_text, EXEMPT_TEXT);
        assert_int_equal(inv.vats[0].base_cents, 12000);
        assert_int_equal(inv.vats[0].vat_cents, 0);
        assert_int_equal(inv.vat_cents, 0);
        assert_int_equal(inv.total_cents, 12000);
        invoice_free(&inv);
    }
}

/* 2.4 Credit-note lines round as their positive twins, with the sign:
 * -0.50 at 9% → -0.045 → -0.05; gross -45.00 at 21% → base -37.19, VAT
 * -7.81. A partial credit that leaves the sum at zero gives zero VAT. */
static void totals_2_4_negative_symmetric(void **state)
{
    struct invoice inv = {0};
    invoice_add_line(&inv, "Correctie boekje", 100, -50, "low", 900, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.vat_cents, -5);
    assert_int_equal(inv.total_cents, -55);
    invoice_free(&inv);

    inv.prices_include_vat = 1;
    invoice_add_line(&inv, "Correctie", 100, -4500, "high", 2100, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.net_cents, -3719);
    assert_int_equal(inv.vat_cents, -781);
    assert_int_equal(inv.total_cents, -4500);
    invoice_free(&inv);

    invoice_add_line(&inv, "Consult", 100, 4500, "high", 2100, 0, NULL);
    invoice_add_line(&inv, "Correctie", 100, -4500, "high", 2100, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.vat_cents, 0);
    assert_int_equal(inv.total_cents, 0);
    invoice_free(&inv);
}

/* 2.5 invoice_totals recomputes from scratch: calling it twice changes
 * nothing. */
static void totals_2_5_idempotent(void **state)
{
    struct invoice inv = {0};
    invoice_add_line(&inv, "Consult", 100, 8000, "high", 2100, 0, NULL);
    invoice_totals(&inv);
    invoice_totals(&inv);
    assert_int_equal(inv.net_cents, 8000);
    assert_int_equal(inv.vat_cents, 1680);
    assert_int_equal(inv.total_cents, 9680);
    invoice_free(&inv);
}

/* ============================================================ references */

/* 3.1 The betalingskenmerk: weights 2,4,8,5,10,9,7,3,6,1,2,4,8,5,10 on
 * the 15 digits from the right; check = 11 - (sum mod 11), 10 → 1,
 * 11 → 0.
 *   42:  2×2 + 4×4 = 20; 20 mod 11 = 9; 11 - 9 = 2 → 2000000000000042.
 *   123456789012345, from the right: 5×2 + 4×4 + 3×8 + 2×5 + 1×10 + 0×9
 *     + 9×7 + 8×3 + 7×6 + 6×1 + 5×2 + 4×4 + 3×8 + 2×5 + 1×10
 *     = 10+16+24+10+10+0+63+24+42+6+10+16+24+10+10 = 275 = 25 × 11;
 *     11 - 0 = 11 → 0 → 0123456789012345.
 *   6:   6×2 = 12; 12 mod 11 = 1; 11 - 1 = 10 → 1 → 1000000000000006.
 *   1:   1×2 = 2; 11 - 2 = 9 → 9000000000000001. */
static void ref_3_1_payment_reference(void **state)
{
    char out[17];
    payment_reference(42, out);
    assert_string_equal(out, "2000000000000042");
    payment_reference(123456789012345ULL, out);
    assert_string_equal(out, "0123456789012345");
    payment_reference(6, out);
    assert_string_equal(out, "1000000000000006");
    payment_reference(1, out);
    assert_string_equal(out, "9000000000000001");
}

/* 3.2 Validation accepts what payment_reference makes and rejects a
 * changed digit, a wrong length and anything not a digit. */
static void ref_3_2_payment_reference_valid(void **state)
{
    assert_true(payment_reference_valid("2000000000000042"));
    assert_true(payment_reference_valid("0123456789012345"));
    assert_true(payment_reference_valid("1000000000000006"));
    assert_false(payment_reference_valid("3000000000000042")); /* check */
    assert_false(payment_reference_valid("2000000000000043")); /* body */
    assert_false(payment_reference_valid("0123456789012354")); /* swap */
    assert_false(payment_reference_valid("200000000000042"));
    assert_false(payment_reference_valid("20000000000000420"));
    assert_false(payment_reference_valid("2000 0000 0000 0042"));
    assert_false(payment_reference_valid("200000000000004x"));
    assert_false(payment_reference_valid(""));
    assert_false(payment_reference_valid(NULL));
    for (uint64_t seq = 1; seq < 2000; seq += 7) {
        char out[17];
        payment_reference(seq, out);
        assert_true(payment_reference_valid(out));
    }
}

/* 3.3 IBAN mod 97 == 1; spaces and lower case tolerated. */
static void ref_3_3_iban(void **state)
{
    assert_true(iban_valid("NL91ABNA0417164300"));
    assert_true(iban_valid("BE68539007547034"));
    assert_true(iban_valid("NL91 ABNA 0417 1643 00"));
    assert_true(iban_valid("nl91abna0417164300"));
    assert_false(iban_valid("NL91ABNA0417164301")); /* one digit changed */
    assert_false(iban_valid("NL92ABNA0417164300"));
    assert_false(iban_valid("BE68539007547035"));
    assert_false(iban_valid("NL91-ABNA-0417-1643-00"));
    assert_false(iban_valid("hello world"));
    assert_false(iban_valid("91NLABNA0417164300"));
    assert_false(iban_valid("NL91"));
    assert_false(iban_valid(""));
    assert_false(iban_valid(NULL));
    assert_false(iban_valid("NL91ABNA041716430000000000000000000000"));
}

/* 3.4 SEPA creditor id for KvK 12345678: national id 123456780000,
 * check = 98 - (number("123456780000" + "NL00") mod 97), N = 23, L = 21:
 *   123456780000232100 mod 97, in pieces:
 *   123456780 mod 97 = 30          (97 × 1272750 = 123456750)
 *   30 000232 mod 97 = 72          (97 × 309280  = 30000160)
 *   72 100    mod 97 = 29          (97 × 743     = 72071)
 *   check = 98 - 29 = 69  →  NL69ZZZ123456780000.
 * The business code (ZZZ) is not part of the check. */
static void ref_3_4_creditor_id(void **state)
{
    assert_true(creditor_id_valid("NL69ZZZ123456780000"));
    assert_true(creditor_id_valid("NL69ABC123456780000"));
    assert_false(creditor_id_valid("NL68ZZZ123456780000"));
    assert_false(creditor_id_valid("NL69ZZZ123456780001"));
    assert_false(creditor_id_valid("BE69ZZZ123456780000"));
    assert_false(creditor_id_valid("NLxxZZZ123456780000"));
    /* Letters as check "digits": 123456780000 N L R R = ...2321 27 27
     * happens to be 1 mod 97 too, but is no creditor id. */
    assert_false(creditor_id_valid("NLRRZZZ123456780000"));
    assert_false(creditor_id_valid("NLPXZZZ123456780000"));
    assert_false(creditor_id_valid("69NLZZZ123456780000"));
    assert_false(creditor_id_valid("NL69ZZZ"));
    assert_false(creditor_id_valid(""));
    assert_false(creditor_id_valid(NULL));
}

/* ============================================================ numbers */

static void check_number(const char *pattern, int year, int64_t seq,
                         const char *supplier, const char *want)
{
    char *s = invoice_number_format(pattern, year, seq, supplier);
    assert_string_equal(s, want);
    free(s);
}

/* 4.1 Number patterns: {year}, {seq}, {seq:N} zero-padded (never cut),
 * {supplier}, literal text, unknown braces kept as written. */
static void number_4_1_format(void **state)
{
    check_number("{year}-{seq:5}", 2026, 42, NULL, "2026-00042");
    check_number("{year}-{seq:5}", 2026, 123456, NULL, "2026-123456");
    check_number("{supplier}-{seq}", 2026, 7, "jan", "jan-7");
    check_number("{supplier}-{year}-{seq:4}", 2026, 7, "jan", "jan-2026-0007");
    check_number("{supplier}-{seq}", 2026, 7, NULL, "-7");
    check_number("F{seq:3}/{year}", 2026, 9, NULL, "F009/2026");
    check_number("CN-{seq}", 2026, 1, NULL, "CN-1");
    check_number("{foo}-{seq", 2026, 1, NULL, "{foo}-{seq");
    check_number("", 2026, 1, NULL, "");
}

/* 4.2 Names of kinds and statuses, for the ledger and JSON output. */
static void number_4_2_names(void **state)
{
    assert_string_equal(invoice_kind_name(INV_SELFBILL), "self_billing");
    assert_string_equal(invoice_kind_name(INV_CREDIT), "credit");
    assert_string_equal(invoice_kind_name((enum invoice_kind)99), "?");
    assert_string_equal(invoice_status_name(ST_PAID), "paid");
    assert_string_equal(invoice_status_name((enum invoice_status)9), "?");
}

/* ============================================================ limits */

/* 5.1 A line of exactly 999999999.99 is accepted; one cent more is kept
 * as the first refusal, and invoice_check names the line. */
static void limit_5_1_line_max(void **state)
{
    struct invoice inv = {0};
    struct err e;
    invoice_add_line(&inv, "Max", 100, MONEY_MAX_CENTS, "ex", 0, 1, NULL);
    assert_int_equal(invoice_totals(&inv), 0);
    assert_int_equal(invoice_check(&inv, &e), 0);
    assert_int_equal(inv.total_cents, 99999999999LL);
    invoice_free(&inv);
    invoice_add_line(&inv, "Over", 100, MONEY_MAX_CENTS + 1, "ex", 0, 1,
                     NULL);
    invoice_totals(&inv);
    assert_int_equal(invoice_check(&inv, &e), -1);
    assert_string_equal(e.msg, "invoice line 1 (Over): amount 1000000000.00 "
                               "is beyond the maximum of 999999999.99");
    invoice_free(&inv);
    assert_null(inv.refused);
}

/* 5.2 qty × unit beyond int64 (10000 × 9223372036854775807 cents) does
 * not wrap: the amount is 0 and the draft is refused. */
static void limit_5_2_line_overflow(void **state)
{
    struct invoice inv = {0};
    struct err e;
    struct invoice_line *l =
        invoice_add_line(&inv, "Wrap", 1000000, INT64_MAX, "ex", 0, 1, NULL);
    assert_int_equal(l->amount_cents, 0);
    assert_int_equal(invoice_check(&inv, &e), -1);
    assert_non_null(strstr(e.msg, "invoice line 1 (Wrap): amount out of "
                                  "range"));
    invoice_free(&inv);
}

/* 5.3 93 lines of 9.99e16 cents each (the example, 9.29e18
 * together) overflow int64 in the sum: invoice_totals returns -1 instead
 * of a wrapped negative total. Each line alone is also refused. */
static void limit_5_3_sum_overflow(void **state)
{
    struct invoice inv = {0};
    struct err e;
    for (int i = 0; i < 93; i++)
        invoice_add_line(&inv, "Max", 1000000, 9999999999999LL, "high",
                         2100, 0, NULL);
    assert_int_equal(invoice_totals(&inv), -1);
    assert_true(inv.total_cents >= 0);
    assert_int_equal(invoice_check(&inv, &e), -1);
    invoice_free(&inv);
}

/* 5.4 Totals beyond the maximum though each line is within it: two lines
 * of 600000000.00 excl. 21 % VAT give net 1200000000.00: refused. */
static void limit_5_4_total(void **state)
{
    struct invoice inv = {0};
    struct err e;
    invoice_add_line(&inv, "A", 100, 60000000000LL, "high", 2100, 0, NULL);
    invoice_add_line(&inv, "B", 100, 60000000000LL, "high", 2100, 0, NULL);
    assert_int_equal(invoice_totals(&inv), 0);
    assert_int_equal(invoice_check(&inv, &e), -1);
    assert_string_equal(e.msg, "invoice net amount 1200000000.00 is beyond "
                               "the maximum of 999999999.99");
    invoice_free(&inv);
}

/* 5.5 1000 lines are accepted, the 1001st refuses the draft. */
static void limit_5_5_line_count(void **state)
{
    struct invoice inv = {0};
    struct err e;
    for (int i = 0; i < INVOICE_MAX_LINES; i++)
        invoice_add_line(&inv, "L", 100, 100, "ex", 0, 1, NULL);
    invoice_totals(&inv);
    assert_int_equal(invoice_check(&inv, &e), 0);
    assert_int_equal(inv.total_cents, 100000);
    invoice_add_line(&inv, "L", 100, 100, "ex", 0, 1, NULL);
    invoice_totals(&inv);
    assert_int_equal(invoice_check(&inv, &e), -1);
    assert_string_equal(e.msg, "an invoice holds at most 1000 lines");
    invoice_free(&inv);
}

/* 6.1 a total that a net amount reaches exactly: that net */
static void credit_6_1_exact(void **state)
{
    (void)state;
    int64_t net = 0, below = -1, above = -1;
    assert_int_equal(credit_net_for_gross(999, 2100, &net, &below, &above), 1);
    assert_int_equal(net, 826);
    assert_int_equal(credit_net_for_gross(1001, 2100, &net, &below, &above), 1);
    assert_int_equal(net, 827);
    assert_int_equal(credit_net_for_gross(12100, 2100, &net, &below, &above), 1);
    assert_int_equal(net, 10000);
    assert_int_equal(credit_net_for_gross(109, 900, &net, &below, &above), 1);
    assert_int_equal(net, 100);
}

/* 6.2 a total no net amount reaches: refused, with the nearest on each side */
static void credit_6_2_unreachable(void **state)
{
    (void)state;
    int64_t net = -1, below = -1, above = -1;
    assert_int_equal(credit_net_for_gross(1000, 2100, &net, &below, &above), 0);
    assert_int_equal(below, 999);
    assert_int_equal(above, 1001);
    assert_int_equal(net, -1);
    /* 0.01 at 21%: a net of 0.01 already gives 0.01 + 0.00 VAT */
    assert_int_equal(credit_net_for_gross(1, 2100, &net, &below, &above), 1);
    assert_int_equal(net, 1);
}

/* 6.3 every total from 0.01 to 100.00 at 21% is reached or has neighbours
 * that are, one on each side */
static void credit_6_3_sweep(void **state)
{
    (void)state;
    for (int64_t g = 1; g <= 10000; g++) {
        int64_t net, below, above;
        if (credit_net_for_gross(g, 2100, &net, &below, &above)) {
            assert_int_equal(net + money_muldiv_round(net, 2100, 10000), g);
        } else {
            assert_true(below < g && g < above);
            assert_true(above - below == 2);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(line_1_1_amounts),
        cmocka_unit_test(totals_2_1_excl_two_rates),
        cmocka_unit_test(totals_2_2_incl),
        cmocka_unit_test(totals_2_3_exempt),
        cmocka_unit_test(totals_2_4_negative_symmetric),
        cmocka_unit_test(totals_2_5_idempotent),
        cmocka_unit_test(ref_3_1_payment_reference),
        cmocka_unit_test(ref_3_2_payment_reference_valid),
        cmocka_unit_test(ref_3_3_iban),
        cmocka_unit_test(ref_3_4_creditor_id),
        cmocka_unit_test(number_4_1_format),
        cmocka_unit_test(number_4_2_names),
        cmocka_unit_test(limit_5_1_line_max),
        cmocka_unit_test(limit_5_2_line_overflow),
        cmocka_unit_test(limit_5_3_sum_overflow),
        cmocka_unit_test(limit_5_4_total),
        cmocka_unit_test(limit_5_5_line_count),
        cmocka_unit_test(credit_6_1_exact),
        cmocka_unit_test(credit_6_2_unreachable),
        cmocka_unit_test(credit_6_3_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
