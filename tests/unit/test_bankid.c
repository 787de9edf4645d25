/*
 * test_bankid.c — the SEPA identifiers checked at the door and at export
 * (formats/bankid.h, sepa_name_problem of formats/sepa.h): IBANs by the
 * registry's country length and BBAN format and mod 97, BICs by ISO 9362
 * shape, mandate ids in the EPC character set, debtor names that keep a
 * Latin letter. IBAN examples are the registry's published ones; the
 * wrong-format ones were given valid check digits by hand (mod 97), so
 * only the format can refuse them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/bankid.h"
#include "formats/sepa.h"

/* 1.1 Published IBANs of SEPA countries pass, with spaces and in lower case. */
static void iban_1_1_registry_examples(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "NL91ABNA0417164300", "BE68539007547034", "DE89370400440532013000",
        "FR1420041010050500013M02606", "GB82WEST12345698765432",
        "AT611904300234573201", "ES9121000418450200051332",
        "IT60X0542811101000000123456", "CH9300762011623852957",
        "LU280019400644750000", "NL91 ABNA 0417 1643 00", "nl91abna0417164300",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_null(iban_problem(ok[i]));
        assert_true(iban_valid(ok[i]));
    }
}

/* 1.2 The example: NL58ABNA041716430 has 17 characters, NL needs 18. */
static void iban_1_2_wrong_length(void **state)
{
    (void)state;
    assert_string_equal(iban_problem("NL58ABNA041716430"),
                        "has the wrong length for its country");
    assert_false(iban_valid("NL58ABNA041716430"));
    assert_string_equal(iban_problem("BE6853900754703"),
                        "has the wrong length for its country");
    assert_int_equal(iban_country_length("NL58ABNA041716430"), 18);
    assert_int_equal(iban_country_length("be68"), 16);
    assert_int_equal(iban_country_length("XX00"), 0);
}

/* 1.3 Right length and check digits, wrong BBAN format: NL bank code must
 * be 4 letters, DE all digits. */
static void iban_1_3_wrong_format(void **state)
{
    (void)state;
    assert_string_equal(iban_problem("NL5312340417164300"),
                        "does not follow its country's IBAN format");
    assert_string_equal(iban_problem("DE70ABCD04405320130000"),
                        "does not follow its country's IBAN format");
}

/* 1.4 Country, check digits and characters. */
static void iban_1_4_other_problems(void **state)
{
    (void)state;
    assert_string_equal(iban_problem("XX07539007547034"),
                        "has a country code that does not use IBANs");
    assert_string_equal(iban_problem("NL91ABNA0417164301"),
                        "fails its check digits");
    assert_string_equal(iban_problem("NL91-ABNA-0417-1643-00"),
                        "may hold only letters, digits and spaces");
    assert_string_equal(iban_problem("91NLABNA0417164300"),
                        "must start with a country code and two check digits");
    assert_string_equal(iban_problem(""), "is missing");
    assert_string_equal(iban_problem(NULL), "is missing");
    assert_string_equal(iban_problem("NL91ABNA041716430000000000000000000000"),
                        "is longer than 34 characters");
}

/* 2.1 BICs of 8 and 11 characters; the ABNANL2 has 7. */
static void bic_2_1_shape(void **state)
{
    (void)state;
    assert_null(bic_problem("ABNANL2A"));
    assert_null(bic_problem("abnanl2a"));
    assert_null(bic_problem("DEUTDEFF500"));
    assert_null(bic_problem("GEBABEBB"));
    assert_string_equal(bic_problem("ABNANL2"), "must be 8 or 11 characters");
    assert_string_equal(bic_problem("ABNANL2AXXXX"), "must be 8 or 11 characters");
    assert_string_equal(bic_problem("ABNANL2AXX"), "must be 8 or 11 characters");
    assert_string_equal(bic_problem("ABN1NL2A"),
                        "must start with 4 letters of the bank and 2 of the country");
    assert_string_equal(bic_problem("ABNANL1A"),
                        "has an invalid location code (characters 7 and 8)");
    assert_string_equal(bic_problem("ABNANL2O"),
                        "has an invalid location code (characters 7 and 8)");
    assert_string_equal(bic_problem("DEUTDEFF5_0"),
                        "has an invalid branch code (characters 9 to 11)");
    assert_false(bic_valid("ABNANL2"));
    assert_true(bic_valid("ABNANL2A"));
}

/* 3.1 Mandate ids: the M_1 and /A//B/ are refused. */
static void id_3_1_mandate(void **state)
{
    (void)state;
    assert_null(sepa_id_problem("MANDATE-001"));
    assert_null(sepa_id_problem("A/B (1)?:.,'+"));
    assert_string_equal(sepa_id_problem("M_1"),
                        "contains a character outside the SEPA set "
                        "(a-z A-Z 0-9 / - ? : ( ) . , ' + space)");
    assert_string_equal(sepa_id_problem("/A//B/"),
                        "must not start or end with '/' nor contain '//'");
    assert_string_equal(sepa_id_problem("A//B"),
                        "must not start or end with '/' nor contain '//'");
    assert_string_equal(sepa_id_problem("A/"),
                        "must not start or end with '/' nor contain '//'");
    assert_string_equal(sepa_id_problem(" A"),
                        "must not start or end with a space");
    assert_string_equal(sepa_id_problem("M\xc3\xa9"),
                        "contains a character outside the SEPA set "
                        "(a-z A-Z 0-9 / - ? : ( ) . , ' + space)");
    assert_string_equal(sepa_id_problem("123456789012345678901234567890123456"),
                        "is longer than 35 characters");
    assert_string_equal(sepa_id_problem(""), "is missing");
}

/* 4.1 Names keep a Latin letter after transliteration. */
static void name_4_1_latin_letters(void **state)
{
    (void)state;
    assert_null(sepa_name_problem("Jan de Vries"));
    assert_null(sepa_name_problem("Zo\xc3\xab M\xc3\xbcller")); /* Zoë Müller */
    assert_string_equal(sepa_name_problem("\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd"),
                        "is empty in the SEPA character set"); /* Иван */
    assert_string_equal(sepa_name_problem("123 ..."),
                        "has no Latin letter in the SEPA character set");
    assert_string_equal(sepa_name_problem(""),
                        "is empty in the SEPA character set");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iban_1_1_registry_examples),
        cmocka_unit_test(iban_1_2_wrong_length),
        cmocka_unit_test(iban_1_3_wrong_format),
        cmocka_unit_test(iban_1_4_other_problems),
        cmocka_unit_test(bic_2_1_shape),
        cmocka_unit_test(id_3_1_mandate),
        cmocka_unit_test(name_4_1_latin_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
