/*
 * test_subscription.c — the pure checks of accounts and subscriptions
 * (engine/decide/subscription.c), without a ledger: what an account must
 * be, when a subscription may start, pause, resume and stop, where its
 * billing cursor starts and when it moves back, and its status on a day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "decide/subscription.h"
#include "../support.h"

static struct account_input jan(void)
{
    struct account_input a;
    memset(&a, 0, sizeof a);
    a.id = "jan";
    a.name = "Jan Jansen";
    a.email = "jan@example.nl";
    a.mandate_date = CDATE_NONE;
    a.reminders = 1;
    return a;
}

/* Check a and return the error text ("" when accepted). */
static const char *account_error(const struct account_input *a)
{
    static struct err e;
    const char *kind;
    e.msg[0] = '\0';
    if (account_check(a, &kind, &e) == 0)
        return "";
    return e.msg;
}

/* 1.1 A plain account is accepted as a patient. */
static void t1_1_account_ok(void **state)
{
    struct account_input a = jan();
    const char *kind = NULL;
    struct err e = {""};
    assert_int_equal(account_check(&a, &kind, &e), 0);
    assert_string_equal(kind, "patient");
    a.kind = "organisation";
    assert_int_equal(account_check(&a, &kind, &e), 0);
    assert_string_equal(kind, "organisation");
}

/* 1.1b External keys are account ids; spaces, slashes, 65 characters
 * are not. */
static void t1_1b_account_ids(void **state)
{
    (void)state;
    assert_int_equal(account_id_valid("PAT-00123"), 1);
    assert_int_equal(account_id_valid("jan"), 1);
    assert_int_equal(account_id_valid("p.de_vries-2"), 1);
    assert_int_equal(account_id_valid(""), 0);
    assert_int_equal(account_id_valid("a/b"), 0);
    assert_int_equal(account_id_valid("a b"), 0);
    assert_int_equal(account_id_valid("Zo\xc3\xab"), 0);
    char longid[66];
    memset(longid, 'A', 65);
    longid[65] = '\0';
    assert_int_equal(account_id_valid(longid), 0);
    longid[64] = '\0';
    assert_int_equal(account_id_valid(longid), 1);
}

/* 1.2 Each field's refusal says what is wrong. */
static void t1_2_account_refused(void **state)
{
    struct account_input a = jan();
    a.id = "Jan Jansen";
    assert_string_equal(account_error(&a), "account id 'Jan Jansen' must be "
                        "1 to 64 letters, digits, '-', '_' or '.' (e.g. "
                        "PAT-00123)");
    a = jan();
    a.name = "Jan\r\nBcc: x@y.z";
    assert_string_equal(account_error(&a), "account name must be one line of text");
    a = jan();
    a.email = "jan@localhost";
    assert_string_equal(account_error(&a), "invalid e-mail address 'jan@localhost'");
    a = jan();
    a.kind = "doctor";
    assert_string_equal(account_error(&a), "invalid kind 'doctor' (expected "
                        "patient, organisation, client or supplier)");
    a = jan();
    a.locale = "de";
    assert_string_equal(account_error(&a), "invalid locale 'de' (expected nl, fr or en)");
    a = jan();
    a.iban = "NL91ABNA0417164301";
    assert_string_equal(account_error(&a), "IBAN 'NL91ABNA0417164301' fails its check digits");
    a = jan();
    a.iban = "NL91ABNA0417164300";
    a.mandate_id = "M-1";
    assert_string_equal(account_error(&a), "a mandate needs both --mandate and --mandate-date");
    a.mandate_date = P("2026-01-01");
    assert_string_equal(account_error(&a), "");
    a.iban = NULL;
    assert_string_equal(account_error(&a), "a mandate needs the account's --iban");
}

/* 1.3 E-mail addresses: header characters and spaces are refused. */
static void t1_3_email(void **state)
{
    assert_true(email_valid("a.b@c.nl"));
    assert_false(email_valid("@c.nl"));
    assert_false(email_valid("a@@c.nl"));
    assert_false(email_valid("a b@c.nl"));
    assert_false(email_valid("a@c.nl>"));
    assert_false(email_valid("a@c"));
}

static struct subscription_type monthly(void)
{
    struct subscription_type t;
    memset(&t, 0, sizeof t);
    t.d.id = "fit";
    t.d.active = 1;
    t.d.at.file = "types.yaml";
    t.d.at.line = 3;
    t.period = PERIOD_MONTH;
    return t;
}

static const char *start_error(const struct subscription_type *t,
                               int mandate, int dd, int64_t qty)
{
    static struct err e;
    e.msg[0] = '\0';
    return subscription_start_check(t, "fit", "jan", mandate, dd, qty, &e) == 0
               ? "" : e.msg;
}

/* 2.1 Starting needs an active type, an account, a mandate for direct
 * debit and a sane quantity. */
static void t2_1_start_check(void **state)
{
    struct subscription_type t = monthly();
    assert_string_equal(start_error(&t, 0, 0, 1), "");
    assert_string_equal(start_error(NULL, 0, 0, 1), "no subscription type 'fit'");
    assert_string_equal(start_error(&t, -1, 0, 1), "no account 'jan'");
    assert_string_equal(start_error(&t, 0, 1, 1),
                        "account 'jan' has no direct-debit mandate");
    assert_string_equal(start_error(&t, 1, 1, 1), "");
    assert_string_equal(start_error(&t, 0, 0, 0), "quantity must be between 1 and 100000");
    assert_string_equal(start_error(&t, 0, 0, 100001), "quantity must be between 1 and 100000");
    t.d.active = 0;
    assert_string_equal(start_error(&t, 0, 0, 1), "subscription type 'fit' is "
                        "deactivated (types.yaml:3); it cannot be started");
}

/* 2.2 The cursor starts at the period containing the start; direct debit
 * comes due dd_days_before earlier, never before the start. */
static void t2_2_first_cursor(void **state)
{
    struct practice pr;
    memset(&pr, 0, sizeof pr);
    pr.dd_days_before = 5;
    struct subscription_type t = monthly();
    cdate np, nd;
    subscription_first_cursor(&pr, &t, P("2026-03-10"), 0, &np, &nd);
    assert_string_equal(fmt(np), "2026-03-01");
    assert_string_equal(fmt(nd), "2026-03-10");
    subscription_first_cursor(&pr, &t, P("2026-03-01"), 1, &np, &nd);
    assert_string_equal(fmt(nd), "2026-02-24");
}

static const char *pause_error(cdate from, cdate until, const char *note)
{
    static struct err e;
    struct sub_dates s = {7, P("2026-01-01"), P("2026-06-30")};
    e.msg[0] = '\0';
    return pause_check(&s, from, until, note, &e) == 0 ? "" : e.msg;
}

/* 3.1 Pauses lie within the subscription and end after they start. */
static void t3_1_pause_check(void **state)
{
    assert_string_equal(pause_error(P("2026-02-01"), P("2026-02-10"), "ski"), "");
    assert_string_equal(pause_error(P("2026-02-10"), P("2026-02-01"), NULL),
                        "pause ends (2026-02-01) before it starts (2026-02-10)");
    assert_string_equal(pause_error(P("2025-12-01"), P("2026-02-01"), NULL),
                        "pause starts (2025-12-01) before the subscription (2026-01-01)");
    assert_string_equal(pause_error(P("2026-07-01"), P("2026-07-10"), NULL),
                        "subscription 7 stops on 2026-06-30; it cannot be paused after that");
    assert_string_equal(pause_error(P("2026-02-01"), P("2026-02-10"), "a\rb"),
                        "note contains a carriage return");
    struct sub_dates s = {7, P("2026-01-01"), CDATE_NONE};
    struct pause_span other = {P("2026-02-05"), P("2026-02-20")};
    struct err e = {""};
    assert_int_equal(pause_overlap_error(&s, P("2026-02-01"), P("2026-02-10"),
                                         &other, &e), -1);
    assert_string_equal(e.msg, "pause 2026-02-01..2026-02-10 overlaps the "
                               "pause 2026-02-05..2026-02-20 of subscription 7");
}

/* 3.2 Resuming ends the pause the day before, or drops one not begun. */
static void t3_2_resume(void **state)
{
    struct pause_span p = {P("2026-02-01"), P("2026-02-28")};
    cdate until = CDATE_NONE;
    assert_int_equal(resume_drops_pause(&p, P("2026-02-15"), &until), 0);
    assert_string_equal(fmt(until), "2026-02-14");
    assert_int_equal(resume_drops_pause(&p, P("2026-02-01"), &until), 1);
    struct sub_dates s = {7, P("2026-01-01"), P("2026-03-31")};
    struct err e = {""};
    assert_int_equal(resume_check(&s, P("2026-03-31"), &e), 0);
    assert_int_equal(resume_check(&s, P("2026-04-01"), &e), -1);
    assert_string_equal(e.msg, "subscription 7 was stopped on 2026-03-31; a "
                               "stopped subscription cannot be resumed (start a new one)");
}

/* 3.3 A stop may be brought forward, never extended or put before the
 * start; a stop already past cannot change. */
static void t3_3_stop(void **state)
{
    struct sub_dates open = {7, P("2026-01-01"), CDATE_NONE};
    struct sub_dates ends = {7, P("2026-01-01"), P("2026-06-30")};
    struct err e = {""};
    assert_int_equal(stop_check(&open, P("2026-05-31"), P("2026-05-01"), NULL, &e), 0);
    assert_int_equal(stop_check(&open, P("2025-12-31"), P("2026-05-01"), NULL, &e), -1);
    assert_string_equal(e.msg, "stop date 2025-12-31 is before the "
                               "subscription's start 2026-01-01");
    assert_int_equal(stop_check(&ends, P("2026-05-31"), P("2026-05-01"), NULL, &e), 0);
    assert_int_equal(stop_check(&ends, P("2026-07-31"), P("2026-05-01"), NULL, &e), -1);
    assert_string_equal(e.msg, "subscription 7 stops on 2026-06-30; a stop can "
                               "be brought forward, not extended");
    assert_int_equal(stop_check(&ends, P("2026-05-31"), P("2026-07-01"), NULL, &e), -1);
    assert_string_equal(e.msg, "subscription 7 was already stopped on 2026-06-30");
}

/* 4.1 A change dated inside an already decided period moves the cursor
 * back to that period; one at or after the cursor leaves it. */
static void t4_1_rewind(void **state)
{
    struct practice pr;
    memset(&pr, 0, sizeof pr);
    struct subscription_type t = monthly();
    cdate np = CDATE_NONE, nd = CDATE_NONE;
    assert_int_equal(subscription_rewind(&pr, &t, P("2026-01-01"), CDATE_NONE,
                                         0, P("2026-04-01"), P("2026-02-15"),
                                         &np, &nd), 1);
    assert_string_equal(fmt(np), "2026-02-01");
    assert_string_equal(fmt(nd), "2026-02-01");
    assert_int_equal(subscription_rewind(&pr, &t, P("2026-01-01"), CDATE_NONE,
                                         0, P("2026-04-01"), P("2026-04-10"),
                                         &np, &nd), 0);
    /* A finished subscription (no cursor) is always rewound. */
    assert_int_equal(subscription_rewind(&pr, &t, P("2026-01-01"), CDATE_NONE,
                                         0, CDATE_NONE, P("2026-04-10"), &np,
                                         &nd), 1);
    assert_string_equal(fmt(np), "2026-04-01");
}

/* 4.2 Status by day: planned, active, paused, stopped. */
static void t4_2_status(void **state)
{
    struct pause_span pz = {P("2026-02-01"), P("2026-02-10")};
    cdate s = P("2026-01-15"), end = P("2026-06-30");
    assert_string_equal(subscription_status(s, end, &pz, 1, P("2026-01-14")), "planned");
    assert_string_equal(subscription_status(s, end, &pz, 1, P("2026-01-15")), "active");
    assert_string_equal(subscription_status(s, end, &pz, 1, P("2026-02-10")), "paused");
    assert_string_equal(subscription_status(s, end, &pz, 1, P("2026-02-11")), "active");
    assert_string_equal(subscription_status(s, end, &pz, 1, P("2026-07-01")), "stopped");
    assert_string_equal(subscription_status(s, CDATE_NONE, NULL, 0, P("2030-01-01")), "active");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_account_ok),
        cmocka_unit_test(t1_1b_account_ids),
        cmocka_unit_test(t1_2_account_refused),
        cmocka_unit_test(t1_3_email),
        cmocka_unit_test(t2_1_start_check),
        cmocka_unit_test(t2_2_first_cursor),
        cmocka_unit_test(t3_1_pause_check),
        cmocka_unit_test(t3_2_resume),
        cmocka_unit_test(t3_3_stop),
        cmocka_unit_test(t4_1_rewind),
        cmocka_unit_test(t4_2_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
