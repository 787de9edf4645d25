/*
 * test_hours.c — registered hours as pure decisions (decide/hours.c),
 * without SQLite: durations read as whole minutes, rate kinds, the state
 * machine of a placement's month, the send times of the mediation
 * settings, the hours invoice's lines and the supplier's number series.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/hours.h"
#include "decide/invoice.h"
#include "rules/rules.h"

static cdate D(const char *s)
{
    struct err e;
    cdate d = CDATE_NONE;
    if (date_parse(s, &d, &e) != 0)
        fail_msg("%s", e.msg);
    return d;
}

static struct vat_rate exempt = {
    .d = {.kind = "vat_rate", .id = "vrijgesteld", .name = "Vrijgesteld",
          .active = 1},
    .bp = 0, .exempt = 1, .exempt_text = "Vrijgesteld van btw"};

static struct placement placement(void)
{
    struct placement pl;
    memset(&pl, 0, sizeof pl);
    pl.d.id = "anna-bakker";
    pl.d.name = "Thuiszorg Bakker";
    pl.d.active = 1;
    pl.supplier = "anna";
    pl.client = "bakker";
    pl.hourly_rate_cents = 4250;
    pl.weekend_rate_cents = 5000;
    pl.vat = &exempt;
    pl.from = D("2027-01-01");
    pl.until = D("2027-06-30");
    return pl;
}

static int parse(const char *s, int in_minutes)
{
    struct err e;
    int m = -1;
    return hours_parse(s, in_minutes, &m, &e) == 0 ? m : -1;
}

/* 1.1 Durations in hours, hours:minutes, h and m notations. */
static void parse_1_1_forms(void **state)
{
    assert_int_equal(parse("7.5", 0), 450);
    assert_int_equal(parse("7,25", 0), 435);
    assert_int_equal(parse("7:30", 0), 450);
    assert_int_equal(parse("7h30", 0), 450);
    assert_int_equal(parse("7h", 0), 420);
    assert_int_equal(parse("8", 0), 480);
    assert_int_equal(parse("45m", 0), 45);
    assert_int_equal(parse("0.25", 0), 15);
}

/* 1.2 Quarters unless the agency registers minutes. */
static void parse_1_2_quarters(void **state)
{
    assert_int_equal(parse("7:20", 0), -1);
    assert_int_equal(parse("7:20", 1), 440);
    assert_int_equal(parse("50m", 0), -1);
    assert_int_equal(parse("50m", 1), 50);
    assert_int_equal(parse("7.1", 1), 426);
    assert_int_equal(parse("7.01", 1), -1); /* 0.6 minutes */
    assert_int_equal(parse("7.05", 1), 423);
}

/* 1.3 Zero, negative, absurd and malformed values are refused. */
static void parse_1_3_refused(void **state)
{
    struct err e;
    int m;
    assert_int_equal(hours_parse("-2", 0, &m, &e), -1);
    assert_non_null(strstr(e.msg, "negative"));
    assert_int_equal(hours_parse("0", 0, &m, &e), -1);
    assert_non_null(strstr(e.msg, "zero"));
    assert_int_equal(hours_parse("25", 0, &m, &e), -1);
    assert_non_null(strstr(e.msg, "24"));
    assert_int_equal(parse("24", 0), 1440);
    assert_int_equal(parse("abc", 0), -1);
    assert_int_equal(parse("7.5.1", 0), -1);
    assert_int_equal(parse("7:75", 0), -1);
    assert_int_equal(parse("", 0), -1);
    assert_int_equal(parse("1e3", 0), -1);
}

/* 1.4 Minutes shown and invoiced as hours to two decimals. */
static void parse_1_4_format(void **state)
{
    char b[16];
    assert_string_equal(hours_fmt(450, b), "7.50");
    assert_string_equal(hours_fmt(15, b), "0.25");
    assert_int_equal(hours_qty100(90), 150);
    assert_int_equal(hours_qty100(20), 33);
    assert_int_equal(hours_qty100(50), 83);
}

/* 2.1 Rates per kind; weekday is the hourly rate. */
static void kind_2_1_rates(void **state)
{
    struct placement pl = placement();
    assert_int_equal(hours_rate(&pl, RATE_WEEKDAY), 4250);
    assert_int_equal(hours_rate(&pl, RATE_WEEKEND), 5000);
    assert_int_equal(hours_rate(&pl, RATE_EVENING), 0);
    enum rate_kind k;
    assert_int_equal(rate_kind_from_name("holiday", &k), 0);
    assert_int_equal(k, RATE_HOLIDAY);
    assert_int_equal(rate_kind_from_name("night", &k), -1);
    assert_string_equal(rate_kind_name(RATE_EVENING), "evening");
}

/* 2.2 Saturday and Sunday are weekend hours when there is a rate. */
static void kind_2_2_default(void **state)
{
    struct placement pl = placement();
    assert_int_equal(hours_default_kind(&pl, D("2027-01-30")), RATE_WEEKEND);
    assert_int_equal(hours_default_kind(&pl, D("2027-01-31")), RATE_WEEKEND);
    assert_int_equal(hours_default_kind(&pl, D("2027-02-01")), RATE_WEEKDAY);
    pl.weekend_rate_cents = 0;
    assert_int_equal(hours_default_kind(&pl, D("2027-01-30")), RATE_WEEKDAY);
}

/* 3.1 Hours only on the placement's days, at a rate it has, at most
 * 24 hours a day. */
static void add_3_1_checks(void **state)
{
    struct placement pl = placement();
    struct err e;
    assert_int_equal(hours_add_check(&pl, D("2027-01-04"), 240, RATE_WEEKDAY,
                                     0, &e), 0);
    assert_int_equal(hours_add_check(&pl, D("2026-12-31"), 240, RATE_WEEKDAY,
                                     0, &e), -1);
    assert_string_equal(e.msg, "placement 'anna-bakker' starts on 2027-01-01; "
                               "no hours on 2026-12-31");
    assert_int_equal(hours_add_check(&pl, D("2027-07-01"), 240, RATE_WEEKDAY,
                                     0, &e), -1);
    assert_string_equal(e.msg, "placement 'anna-bakker' ended on 2027-06-30; "
                               "no hours on 2027-07-01");
    assert_int_equal(hours_add_check(&pl, D("2027-01-04"), 240, RATE_EVENING,
                                     0, &e), -1);
    assert_string_equal(e.msg, "placement 'anna-bakker' has no evening rate");
    assert_int_equal(hours_add_check(&pl, D("2027-01-04"), 240, RATE_WEEKDAY,
                                     1300, &e), -1);
    assert_non_null(strstr(e.msg, "more than 24 hours on 2027-01-04"));
    assert_int_equal(hours_add_check(&pl, D("2027-01-04"), 140, RATE_WEEKDAY,
                                     1300, &e), 0);
}

static struct month_state state_of(enum hours_status s, int n)
{
    struct month_state m;
    memset(&m, 0, sizeof m);
    m.n[s] = n;
    return m;
}

/* 3.2 Draft and rejected months take hours; the others refuse. */
static void machine_3_2_add(void **state)
{
    char b[160];
    struct month_state s = state_of(HS_DRAFT, 0);
    assert_null(hours_refusal(HA_ADD, &s, "2027-01", b, sizeof b));
    s = state_of(HS_REJECTED, 3);
    assert_null(hours_refusal(HA_ADD, &s, "2027-01", b, sizeof b));
    s = state_of(HS_APPROVED, 3);
    assert_string_equal(hours_refusal(HA_ADD, &s, "2027-01", b, sizeof b),
                        "the hours of 2027-01 are approved and can no longer "
                        "change");
    s = state_of(HS_INVOICED, 3);
    assert_string_equal(hours_refusal(HA_REMOVE, &s, "2027-01", b, sizeof b),
                        "the hours of 2027-01 are invoiced; only a credit "
                        "note corrects them");
    s = state_of(HS_SUBMITTED, 3);
    assert_non_null(hours_refusal(HA_ADD, &s, "2027-01", b, sizeof b));
}

/* 3.3 Submit a draft or rejected month with rows; approve or reject a
 * submitted one only; approving twice is refused. */
static void machine_3_3_review(void **state)
{
    char b[160];
    struct month_state s = state_of(HS_DRAFT, 0);
    assert_string_equal(hours_refusal(HA_SUBMIT, &s, "2027-01", b, sizeof b),
                        "no hours registered for 2027-01");
    s = state_of(HS_DRAFT, 2);
    assert_null(hours_refusal(HA_SUBMIT, &s, "2027-01", b, sizeof b));
    assert_string_equal(hours_refusal(HA_APPROVE, &s, "2027-01", b, sizeof b),
                        "the hours of 2027-01 are draft, not submitted");
    s = state_of(HS_SUBMITTED, 2);
    assert_null(hours_refusal(HA_APPROVE, &s, "2027-01", b, sizeof b));
    assert_null(hours_refusal(HA_REJECT, &s, "2027-01", b, sizeof b));
    assert_string_equal(hours_refusal(HA_SUBMIT, &s, "2027-01", b, sizeof b),
                        "the hours of 2027-01 are already submitted");
    s = state_of(HS_APPROVED, 2);
    assert_string_equal(hours_refusal(HA_APPROVE, &s, "2027-01", b, sizeof b),
                        "the hours of 2027-01 are already approved");
    s = state_of(HS_REJECTED, 2);
    assert_null(hours_refusal(HA_SUBMIT, &s, "2027-01", b, sizeof b));
    assert_non_null(hours_refusal(HA_REJECT, &s, "2027-01", b, sizeof b));
}

/* 3.4 A month with mixed rows takes the furthest status. */
static void machine_3_4_mixed(void **state)
{
    struct month_state s = state_of(HS_DRAFT, 2);
    s.n[HS_INVOICED] = 1;
    assert_int_equal(month_status(&s), HS_INVOICED);
    s = state_of(HS_REJECTED, 1);
    s.n[HS_SUBMITTED] = 1;
    assert_int_equal(month_status(&s), HS_SUBMITTED);
    enum hours_status st;
    assert_int_equal(hours_status_from_name("rejected", &st), 0);
    assert_int_equal(st, HS_REJECTED);
    assert_int_equal(hours_status_from_name("done", &st), -1);
}

/* 4.1 Months: parsed, named, their first and last day; placements run
 * in a month when their dates touch it. */
static void month_4_1(void **state)
{
    struct err e;
    int y, m;
    char b[8];
    assert_int_equal(month_parse("2027-02", &y, &m, &e), 0);
    assert_int_equal(y * 100 + m, 202702);
    assert_int_equal(month_parse("2027-13", &y, &m, &e), -1);
    assert_int_equal(month_parse("2027-2", &y, &m, &e), -1);
    assert_string_equal(month_of(D("2027-02-28"), b), "2027-02");
    assert_int_equal(month_last("2028-02"), D("2028-02-29"));
    struct placement pl = placement();
    assert_int_equal(placement_active_in(&pl, "2027-06"), 1);
    assert_int_equal(placement_active_in(&pl, "2027-07"), 0);
    assert_int_equal(placement_active_in(&pl, "2026-12"), 0);
    pl.until = CDATE_NONE;
    assert_int_equal(placement_active_in(&pl, "2030-07"), 1);
}

/* 4.2 Send times: missing hours from the reminder day on, about last
 * month; client invoices on approval or on a set day; commission N days
 * later; the approval reminder after N days. */
static void send_4_2(void **state)
{
    struct practice p;
    memset(&p, 0, sizeof p);
    p.hours_reminder_day = 5;
    char b[8];
    assert_null(hours_missing_month(&p, D("2027-02-04"), b));
    assert_string_equal(hours_missing_month(&p, D("2027-02-05"), b),
                        "2027-01");
    assert_string_equal(hours_missing_month(&p, D("2027-01-20"), b),
                        "2026-12");
    assert_int_equal(hours_invoice_day(&p, "2027-01", D("2027-02-02")),
                     D("2027-02-02"));
    p.client_invoice_day = 10;
    assert_int_equal(hours_invoice_day(&p, "2027-01", D("2027-02-02")),
                     D("2027-02-10"));
    assert_int_equal(hours_invoice_day(&p, "2027-01", D("2027-02-20")),
                     D("2027-02-20"));
    p.commission_days_after = 3;
    assert_int_equal(hours_commission_day(&p, D("2027-02-10")),
                     D("2027-02-13"));
    assert_int_equal(hours_approval_reminder_due(&p, D("2027-02-01"),
                                                 D("2027-02-09")), 0);
    p.approval_reminder_days = 3;
    assert_int_equal(hours_approval_reminder_due(&p, D("2027-02-01"),
                                                 D("2027-02-03")), 0);
    assert_int_equal(hours_approval_reminder_due(&p, D("2027-02-01"),
                                                 D("2027-02-04")), 1);
}

/* 5.1 One line per rate kind: hours × rate, the placement named, its
 * VAT, source hours and the placement as ref. */
static void lines_5_1(void **state)
{
    struct placement pl = placement();
    struct practice p;
    memset(&p, 0, sizeof p);
    p.locale = "nl";
    p.payment_term_days = 14;
    struct party to = {.id = "bakker", .name = "Fam. Bakker"};
    struct invoice inv;
    invoice_draft(&inv, &p, INV_ON_BEHALF, &to, NULL, D("2027-02-02"), 0);
    struct hours_entry rows[] = {
        {1, D("2027-01-04"), 240, RATE_WEEKDAY},
        {2, D("2027-01-30"), 210, RATE_WEEKEND},
        {3, D("2027-01-06"), 255, RATE_WEEKDAY},
    };
    assert_int_equal(hours_invoice_lines(&inv, &pl, "2027-01", rows, 3), 705);
    assert_int_equal(inv.n_lines, 2);
    assert_string_equal(inv.lines[0].description,
                        "Zorguren januari 2027 (Thuiszorg Bakker)");
    assert_int_equal(inv.lines[0].qty100, 825);
    assert_int_equal(inv.lines[0].amount_cents, 35063); /* 8.25 × 42.50 */
    assert_string_equal(inv.lines[1].description,
                        "Zorguren weekend januari 2027 (Thuiszorg Bakker)");
    assert_int_equal(inv.lines[1].amount_cents, 17500);
    assert_string_equal(inv.lines[1].source, "hours");
    assert_string_equal(inv.lines[1].ref, "anna-bakker");
    assert_int_equal(inv.lines[1].vat_exempt, 1);
    assert_int_equal(inv.lines[0].period_start, D("2027-01-01"));
    assert_int_equal(invoice_totals(&inv), 0);
    assert_int_equal(inv.total_cents, 52563);
    invoice_free(&inv);
}

/* 6.1 Self-billed and on-behalf invoices, and their credit notes,
 * number in the supplier's series (per year when the format names it);
 * others do not. */
static void series_6_1(void **state)
{
    struct practice p;
    memset(&p, 0, sizeof p);
    p.supplier_number_format = "{supplier}-{year}-{seq:4}";
    struct invoice inv;
    memset(&inv, 0, sizeof inv);
    inv.kind = INV_ON_BEHALF;
    inv.supplier.id = "anna";
    char key[64];
    assert_string_equal(supplier_series(&p, &inv, 2027, key, sizeof key),
                        "{supplier}-{year}-{seq:4}");
    assert_string_equal(key, "supplier:anna:2027");
    inv.kind = INV_SELFBILL;
    p.supplier_number_format = "{supplier}/{seq}";
    assert_non_null(supplier_series(&p, &inv, 2027, key, sizeof key));
    assert_string_equal(key, "supplier:anna");
    inv.kind = INV_CREDIT; /* a credit note of a supplier's invoice */
    assert_non_null(supplier_series(&p, &inv, 2027, key, sizeof key));
    assert_string_equal(key, "supplier:anna");
    inv.kind = INV_COMMISSION;
    assert_null(supplier_series(&p, &inv, 2027, key, sizeof key));
    inv.kind = INV_ON_BEHALF;
    inv.supplier.id = NULL;
    assert_null(supplier_series(&p, &inv, 2027, key, sizeof key));
}

/* 6.2 Two suppliers' invoice 2027-0001 get different payment
 * references; the same supplier's are stable. */
static void series_6_2_reference(void **state)
{
    uint64_t a = supplier_reference_digits("anna", "anna-2027-0001");
    uint64_t b = supplier_reference_digits("bram", "bram-2027-0001");
    assert_true(a != b);
    assert_int_equal(a % 100000000ULL, 20270001);
    assert_int_equal(a, supplier_reference_digits("anna", "anna-2027-0001"));
    assert_true(a < 1000000000000000ULL);
}

/* A month is in a report's range when one of its days is: either end may
 * be open, a range inside the month counts it, its last and first days
 * are the edges. */
static void range_9_1_month_in_range(void **state)
{
    (void)state;
    assert_true(month_in_range("2027-02", CDATE_NONE, CDATE_NONE));
    assert_true(month_in_range("2027-02", D("2027-02-10"), D("2027-02-12")));
    assert_true(month_in_range("2027-02", D("2027-02-28"), CDATE_NONE));
    assert_true(month_in_range("2027-02", CDATE_NONE, D("2027-02-01")));
    assert_false(month_in_range("2027-02", D("2027-03-01"), CDATE_NONE));
    assert_false(month_in_range("2027-02", CDATE_NONE, D("2027-01-31")));
    assert_false(month_in_range("2027-02", D("2026-01-01"), D("2027-01-31")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(range_9_1_month_in_range),
        cmocka_unit_test(parse_1_1_forms),
        cmocka_unit_test(parse_1_2_quarters),
        cmocka_unit_test(parse_1_3_refused),
        cmocka_unit_test(parse_1_4_format),
        cmocka_unit_test(kind_2_1_rates),
        cmocka_unit_test(kind_2_2_default),
        cmocka_unit_test(add_3_1_checks),
        cmocka_unit_test(machine_3_2_add),
        cmocka_unit_test(machine_3_3_review),
        cmocka_unit_test(machine_3_4_mixed),
        cmocka_unit_test(month_4_1),
        cmocka_unit_test(send_4_2),
        cmocka_unit_test(lines_5_1),
        cmocka_unit_test(series_6_1),
        cmocka_unit_test(series_6_2_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
