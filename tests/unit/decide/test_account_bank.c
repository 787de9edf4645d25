/*
 * test_account_bank.c — account_check (decide/subscription.c) refuses at
 * the door the bank details sepa export would refuse later (issue 11 item
 * 5): IBAN length and format for its country, BIC shape, mandate id in
 * the SEPA character set, a debtor name that keeps a Latin letter. The
 * rules themselves are tested in tests/unit/test_bankid.c; here, that
 * account_check applies them and says which field is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decide/subscription.h"

static struct account_input dd(void)
{
    struct account_input a;
    memset(&a, 0, sizeof a);
    a.id = "jan";
    a.name = "Jan Jansen";
    a.email = "jan@example.nl";
    a.iban = "NL91ABNA0417164300";
    a.bic = "ABNANL2A";
    a.mandate_id = "M-1";
    a.mandate_date = 20000;
    a.reminders = 1;
    return a;
}

/* The error text ("" when accepted); e lives in the caller's frame. */
static const char *error_of(const struct account_input *a, struct err *e)
{
    const char *kind;
    e->msg[0] = '\0';
    return account_check(a, &kind, e) == 0 ? "" : e->msg;
}

/* 1.1 A direct-debit account with good bank details is accepted. */
static void t1_1_ok(void **state)
{
    struct err e;
    struct account_input a = dd();
    assert_string_equal(error_of(&a, &e), "");
    a.bic = NULL; /* no BIC is fine: NOTPROVIDED */
    assert_string_equal(error_of(&a, &e), "");
}

/* 1.2 The IBAN of 17 characters names the country's length. */
static void t1_2_iban_length(void **state)
{
    struct err e;
    struct account_input a = dd();
    a.iban = "NL58ABNA041716430";
    assert_string_equal(error_of(&a, &e),
                        "IBAN 'NL58ABNA041716430' has the wrong length for "
                        "its country (NL: 18 characters)");
    a.iban = "NL5312340417164300";
    assert_string_equal(error_of(&a, &e),
                        "IBAN 'NL5312340417164300' does not follow its "
                        "country's IBAN format");
}

/* 1.3 The BIC ABNANL2. */
static void t1_3_bic(void **state)
{
    struct err e;
    struct account_input a = dd();
    a.bic = "ABNANL2";
    assert_string_equal(error_of(&a, &e),
                        "BIC 'ABNANL2' must be 8 or 11 characters");
}

/* 1.4 The mandate ids M_1 and /A//B/. */
static void t1_4_mandate(void **state)
{
    struct err e;
    struct account_input a = dd();
    a.mandate_id = "M_1";
    assert_string_equal(error_of(&a, &e),
                        "mandate id 'M_1' contains a character outside the "
                        "SEPA set (a-z A-Z 0-9 / - ? : ( ) . , ' + space)");
    a.mandate_id = "/A//B/";
    assert_string_equal(error_of(&a, &e),
                        "mandate id '/A//B/' must not start or end with '/' "
                        "nor contain '//'");
}

/* 1.5 A debtor name with no Latin letter; without a mandate any name is
 * fine (no batch carries it). */
static void t1_5_name(void **state)
{
    struct err e;
    struct account_input a = dd();
    a.name = "\xe6\x9d\x8e\xe6\x98\x8e"; /* 李明 */
    assert_string_equal(error_of(&a, &e),
                        "account name '\xe6\x9d\x8e\xe6\x98\x8e' is empty in "
                        "the SEPA character set; a direct-debit mandate needs "
                        "a name the bank can read");
    a.mandate_id = NULL;
    a.mandate_date = CDATE_NONE;
    assert_string_equal(error_of(&a, &e), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_ok),
        cmocka_unit_test(t1_2_iban_length),
        cmocka_unit_test(t1_3_bic),
        cmocka_unit_test(t1_4_mandate),
        cmocka_unit_test(t1_5_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
