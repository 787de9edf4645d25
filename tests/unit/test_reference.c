/*
 * test_reference.c — ISO 11649 creditor references and Belgian structured
 * communications (formats/reference.h): made, validated, printed and
 * derived from invoice numbers. Expected values are the ISO example
 * (RF18539007547034), a published valid structured communication
 * (+++090/9337/55493+++) and values computed by hand from the mod 97
 * rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/reference.h"

/* ============================================================ RF */

/* 1.1 The ISO 11649 example: body 539007547034 gets check digits 18. */
static void rf_1_1_iso_example(void **state)
{
    char out[RF_SIZE];
    assert_int_equal(rf_reference("539007547034", out), 0);
    assert_string_equal(out, "RF18539007547034");
    assert_true(rf_reference_valid("RF18539007547034"));
    assert_true(rf_reference_valid("RF18 5390 0754 7034"));
    assert_true(rf_reference_valid("rf18539007547034"));
}

/* 1.2 Letters count as two digits (A = 10), lower case is raised; a
 * body of one character and of the full 21 both work. */
static void rf_1_2_letters_and_lengths(void **state)
{
    char out[RF_SIZE];
    assert_int_equal(rf_reference("a", out), 0);
    assert_string_equal(out, "RF25A");
    assert_int_equal(rf_reference("0", out), 0);
    assert_string_equal(out, "RF040");
    assert_int_equal(rf_reference("111111111111111111111", out), 0);
    assert_string_equal(out, "RF48111111111111111111111");
    assert_true(rf_reference_valid(out));
}

/* 1.3 Refused bodies: empty, 22 characters, a space or punctuation. */
static void rf_1_3_bad_bodies(void **state)
{
    char out[RF_SIZE] = "x";
    assert_int_equal(rf_reference("", out), -1);
    assert_string_equal(out, "");
    assert_int_equal(rf_reference(NULL, out), -1);
    assert_int_equal(rf_reference("1111111111111111111111", out), -1);
    assert_int_equal(rf_reference("12 34", out), -1);
    assert_int_equal(rf_reference("2026-1", out), -1);
    assert_int_equal(rf_reference("caf\xc3\xa9", out), -1);
}

/* 1.4 Validation fails on a changed digit, swapped digits, wrong check
 * digits, a missing RF, a missing body, a body too long, NULL. */
static void rf_1_4_invalid(void **state)
{
    assert_false(rf_reference_valid("RF18539007547035"));
    assert_false(rf_reference_valid("RF18539007547304"));
    assert_false(rf_reference_valid("RF19539007547034"));
    assert_false(rf_reference_valid("XX18539007547034"));
    assert_false(rf_reference_valid("18539007547034"));
    assert_false(rf_reference_valid("RF18"));
    assert_false(rf_reference_valid("RF481111111111111111111111"));
    assert_false(rf_reference_valid("RF18-539007547034"));
    assert_false(rf_reference_valid(NULL));
}

/* 1.5 The printed form: groups of four, whatever the input spacing. */
static void rf_1_5_pretty(void **state)
{
    char out[RF_PRETTY_SIZE];
    assert_string_equal(rf_reference_pretty("RF18539007547034", out),
                        "RF18 5390 0754 7034");
    assert_string_equal(rf_reference_pretty("rf18 53900 754 7034", out),
                        "RF18 5390 0754 7034");
    assert_string_equal(rf_reference_pretty("RF25A", out), "RF25 A");
    assert_string_equal(rf_reference_pretty("RF48111111111111111111111",
                                            out),
                        "RF48 1111 1111 1111 1111 1111 1");
}

/* ============================================================ OGM */

/* 2.1 The known-good communication: 0909337554 mod 97 = 93. */
static void ogm_2_1_known_good(void **state)
{
    char out[OGM_SIZE], d[13];
    assert_string_equal(ogm_reference(909337554, out), "+++090/9337/55493+++");
    assert_true(ogm_reference_valid("+++090/9337/55493+++", d));
    assert_string_equal(d, "090933755493");
    assert_true(ogm_reference_valid("***090/9337/55493***", NULL));
    assert_true(ogm_reference_valid("090933755493", NULL));
    assert_true(ogm_reference_valid("+++ 090/9337/55493 +++", NULL));
}

/* 2.2 A remainder of 0 is written 97; the base is taken mod 10^10. */
static void ogm_2_2_ninety_seven_and_wrap(void **state)
{
    char out[OGM_SIZE];
    assert_string_equal(ogm_reference(20260002, out), "+++002/0260/00297+++");
    assert_true(ogm_reference_valid(out, NULL));
    assert_string_equal(ogm_reference(0, out), "+++000/0000/00097+++");
    assert_string_equal(ogm_reference(97, out), "+++000/0000/09797+++");
    assert_string_equal(ogm_reference(12345678901ULL, out),
                        "+++234/5678/90169+++");
    assert_true(ogm_reference_valid("000000000097", NULL));
    assert_false(ogm_reference_valid("000000000000", NULL));
}

/* 2.3 Invalid: a wrong check, 11 or 13 digits, mixed delimiters, a
 * letter, slashes in the wrong places, NULL. */
static void ogm_2_3_invalid(void **state)
{
    char d[13] = "untouched";
    assert_false(ogm_reference_valid("+++090/9337/55494+++", d));
    assert_string_equal(d, "untouched");
    assert_false(ogm_reference_valid("09093375549", NULL));
    assert_false(ogm_reference_valid("0909337554930", NULL));
    assert_false(ogm_reference_valid("+++090/9337/55493***", NULL));
    assert_false(ogm_reference_valid("+++090/9337/5549A+++", NULL));
    assert_false(ogm_reference_valid("+++0909/337/55493+++", NULL));
    assert_false(ogm_reference_valid("090/9337/55493", NULL));
    assert_false(ogm_reference_valid(NULL, NULL));
}

/* ============================================================ numbers */

/* 3.1 An invoice number's digits, in order; the last `max` when longer. */
static void number_3_1_digits(void **state)
{
    char out[32];
    assert_int_equal(reference_digits("2026-00042", 21, out), 9);
    assert_string_equal(out, "202600042");
    assert_int_equal(reference_digits("F2026-0002", 10, out), 8);
    assert_string_equal(out, "20260002");
    assert_int_equal(reference_digits("jan-2026-0001", 6, out), 6);
    assert_string_equal(out, "260001");
    assert_int_equal(reference_digits("ABC", 10, out), 0);
    assert_string_equal(out, "");
}

/* 3.2 The references of an invoice number, as the PDF and the QR code
 * print them; a number without digits has none. */
static void number_3_2_references(void **state)
{
    char rf[RF_SIZE], ogm[OGM_SIZE];
    assert_int_equal(rf_reference_of_number("2026-00042", rf), 0);
    assert_string_equal(rf, "RF89202600042");
    assert_int_equal(rf_reference_of_number("F2026-0002", rf), 0);
    assert_string_equal(rf, "RF0420260002");
    assert_int_equal(ogm_reference_of_number("2026-00042", ogm), 0);
    assert_string_equal(ogm, "+++020/2600/04222+++");
    assert_true(ogm_reference_valid(ogm, NULL));
    assert_int_equal(ogm_reference_of_number("2026-123456789", ogm), 0);
    assert_string_equal(ogm, "+++612/3456/78949+++");
    assert_int_equal(rf_reference_of_number("CN-A", rf), -1);
    assert_string_equal(rf, "");
    assert_int_equal(ogm_reference_of_number("", ogm), -1);
}

/* 3.3 The base of the Dutch payment reference: the number's last 15
 * digits; a credit note of a series of its own has the same digits as
 * an invoice, so it gets 9 and its last 14 digits: "CN2026-00004" and
 * "2026-00004" no longer share a reference. */
static void number_3_3_reference_base(void **state)
{
    (void)state;
    assert_int_equal(reference_base_of_number("2026-00004", 0), 202600004ULL);
    assert_int_equal(reference_base_of_number("F2026-0004", 0), 20260004ULL);
    assert_int_equal(reference_base_of_number("CN2026-00004", 1),
                     900000202600004ULL);
    assert_true(reference_base_of_number("CN2026-00004", 1) !=
                reference_base_of_number("2026-00004", 0));
    /* the last 15 (14) digits of a long number */
    assert_int_equal(reference_base_of_number("1234567890123456789", 0),
                     567890123456789ULL);
    assert_int_equal(reference_base_of_number("1234567890123456789", 1),
                     967890123456789ULL);
    assert_int_equal(reference_base_of_number("no digits", 0), 0);
}

/* The reference after a taken one: the next communication (mod 10^10),
 * the next RF body of digits (carrying, growing by a digit after all
 * nines), a digit appended to a body with letters; each valid, and an
 * unknown form refused. */
static void next_4_1_reference_next(void **state)
{
    (void)state;
    char out[RF_SIZE], want[OGM_SIZE], again[RF_SIZE];
    /* A derived communication moves up to 9 x 10^9 + its last nine
     * digits, then counts on, wrapping within the moved range. */
    assert_int_equal(reference_next(ogm_reference(202700001ULL, want), out,
                                    sizeof out), 0);
    assert_string_equal(out, ogm_reference(9202700001ULL, want));
    assert_int_equal(reference_next(out, again, sizeof again), 0);
    assert_string_equal(again, ogm_reference(9202700002ULL, want));
    assert_int_equal(reference_next(ogm_reference(9999999999ULL, want), out,
                                    sizeof out), 0);
    assert_string_equal(out, ogm_reference(OGM_MOVED, want));
    /* A derived RF body (digits) gets an X; one with a letter counts its
     * trailing digits up, carrying, or takes a digit when it has none. */
    char rf[RF_SIZE], next[RF_SIZE];
    assert_int_equal(rf_reference("20260001", rf), 0);
    assert_int_equal(reference_next(rf, out, sizeof out), 0);
    assert_int_equal(rf_reference("X20260001", next), 0);
    assert_string_equal(out, next);
    assert_int_equal(reference_next(out, again, sizeof again), 0);
    assert_int_equal(rf_reference("X20260002", next), 0);
    assert_string_equal(again, next);
    assert_int_equal(rf_reference("X199", rf), 0);
    assert_int_equal(reference_next(rf, out, sizeof out), 0);
    assert_int_equal(rf_reference("X200", next), 0);
    assert_string_equal(out, next);
    assert_int_equal(rf_reference("X999", rf), 0);
    assert_int_equal(reference_next(rf, out, sizeof out), 0);
    assert_int_equal(rf_reference("X1000", next), 0);
    assert_string_equal(out, next);
    assert_int_equal(rf_reference("AB", rf), 0);
    assert_int_equal(reference_next(rf, out, sizeof out), 0);
    assert_int_equal(rf_reference("AB1", next), 0);
    assert_string_equal(out, next);
    assert_true(rf_reference_valid(out));
    /* A body of 21 digits keeps its last 20 after the X. */
    assert_int_equal(rf_reference("123456789012345678901", rf), 0);
    assert_int_equal(reference_next(rf, out, sizeof out), 0);
    assert_int_equal(rf_reference("X23456789012345678901", next), 0);
    assert_string_equal(out, next);
    /* A Dutch reference, or anything else, is not one. */
    assert_int_equal(reference_next("5000000202600007", out, sizeof out), -1);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(number_3_3_reference_base),
        cmocka_unit_test(next_4_1_reference_next),
        cmocka_unit_test(rf_1_1_iso_example),
        cmocka_unit_test(rf_1_2_letters_and_lengths),
        cmocka_unit_test(rf_1_3_bad_bodies),
        cmocka_unit_test(rf_1_4_invalid),
        cmocka_unit_test(rf_1_5_pretty),
        cmocka_unit_test(ogm_2_1_known_good),
        cmocka_unit_test(ogm_2_2_ninety_seven_and_wrap),
        cmocka_unit_test(ogm_2_3_invalid),
        cmocka_unit_test(number_3_1_digits),
        cmocka_unit_test(number_3_2_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
