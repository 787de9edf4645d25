/*
 * test_commission.c — the agency's commission (decide/commission.c),
 * without SQLite: a percentage of the hours' value or an amount per
 * hour, for the supplier and the client; a hook's answer checked; the
 * commission invoice's line, exclusive of VAT at 21% unless the
 * placement names its commission_vat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/util.h"
#include "decide/commission.h"
#include "decide/invoice.h"
#include "rules/rules.h"

static struct placement placement(void)
{
    struct placement pl;
    memset(&pl, 0, sizeof pl);
    pl.d.id = "anna-bakker";
    pl.d.name = "Thuiszorg Bakker";
    pl.hourly_rate_cents = 4250;
    return pl;
}

static struct invoice draft(void)
{
    struct practice p;
    memset(&p, 0, sizeof p);
    p.locale = "nl";
    p.prices_include_vat = 1;
    struct party to = {.id = "anna", .name = "Anna de Wit"};
    struct invoice inv;
    invoice_draft(&inv, &p, INV_COMMISSION, &to, NULL, 0, 0);
    return inv;
}

/* 1.1 A percentage of the hours' value, rounded half away from zero. */
static void amount_1_1_percent(void **state)
{
    struct placement pl = placement();
    pl.supplier_commission_bp = 1200;
    assert_int_equal(commission_amount(&pl, COMMISSION_SUPPLIER, 153500, 2130),
                     18420);
    pl.supplier_commission_bp = 1250;
    assert_int_equal(commission_amount(&pl, COMMISSION_SUPPLIER, 10004, 60),
                     1251); /* 1250.5 */
    assert_int_equal(commission_amount(&pl, COMMISSION_CLIENT, 153500, 2130),
                     0);
}

/* 1.2 An amount per hour, over the hours to two decimals. */
static void amount_1_2_per_hour(void **state)
{
    struct placement pl = placement();
    pl.supplier_commission_hour_cents = 400;
    assert_int_equal(commission_amount(&pl, COMMISSION_SUPPLIER, 49000, 720),
                     4800);
    pl.client_commission_hour_cents = 150;
    assert_int_equal(commission_amount(&pl, COMMISSION_CLIENT, 0, 2130), 5325);
    assert_int_equal(commission_amount(&pl, COMMISSION_CLIENT, 0, 50), 125);
}

/* 1.3 No commission rule: nothing. */
static void amount_1_3_none(void **state)
{
    struct placement pl = placement();
    assert_int_equal(commission_amount(&pl, COMMISSION_SUPPLIER, 99999, 600),
                     0);
}

/* 2.1 A hook's answer: whole cents from 0 to the hours' value. */
static void hook_2_1_checked(void **state)
{
    struct placement pl = placement();
    struct err e;
    assert_int_equal(commission_check_hook(&pl, 0, 1000, &e), 0);
    assert_int_equal(commission_check_hook(&pl, 1000, 1000, &e), 0);
    assert_int_equal(commission_check_hook(&pl, -1, 1000, &e), -1);
    assert_string_equal(e.msg, "commission hook: placement 'anna-bakker': a "
                               "commission of -0.01 is negative");
    assert_int_equal(commission_check_hook(&pl, 1001, 1000, &e), -1);
    assert_string_equal(e.msg, "commission hook: placement 'anna-bakker': a "
                               "commission of 10.01 is more than the hours' "
                               "value 10.00");
}

/* 3.1 A percentage line: one unit of the amount, the basis named, 21%
 * VAT on top (prices exclusive of VAT). */
static void line_3_1_percent(void **state)
{
    struct placement pl = placement();
    pl.supplier_commission_bp = 1200;
    struct invoice inv = draft();
    commission_line(&inv, &pl, COMMISSION_SUPPLIER, "2027-01", 18420, 153500,
                    2130);
    assert_int_equal(inv.n_lines, 1);
    assert_string_equal(inv.lines[0].description,
                        "Bemiddelingsprovisie 12% over € 1.535,00, januari "
                        "2027 (Thuiszorg Bakker)");
    assert_int_equal(inv.lines[0].qty100, 100);
    assert_int_equal(inv.lines[0].amount_cents, 18420);
    assert_int_equal(inv.lines[0].vat_bp, 2100);
    assert_string_equal(inv.lines[0].source, "commission");
    assert_int_equal(inv.prices_include_vat, 0);
    assert_int_equal(invoice_totals(&inv), 0);
    assert_int_equal(inv.vat_cents, 3868);
    assert_int_equal(inv.total_cents, 22288);
    invoice_free(&inv);
}

/* 3.2 A per-hour line: the hours × the amount per hour; a fraction of a
 * percent written with its decimals; the placement's commission_vat. */
static void line_3_2_per_hour(void **state)
{
    struct placement pl = placement();
    struct vat_rate low = {.d = {.id = "laag"}, .bp = 900};
    pl.commission_vat = &low;
    pl.client_commission_hour_cents = 150;
    struct invoice inv = draft();
    commission_line(&inv, &pl, COMMISSION_CLIENT, "2027-02", 5325, 0, 2130);
    assert_string_equal(inv.lines[0].description,
                        "Bemiddelingsprovisie per uur, februari 2027 "
                        "(Thuiszorg Bakker)");
    assert_int_equal(inv.lines[0].qty100, 3550);
    assert_int_equal(inv.lines[0].unit_cents, 150);
    assert_int_equal(inv.lines[0].vat_bp, 900);
    assert_string_equal(inv.lines[0].vat_id, "laag");
    invoice_free(&inv);
    pl.supplier_commission_bp = 1250;
    inv = draft();
    commission_line(&inv, &pl, COMMISSION_SUPPLIER, "2027-02", 1000, 8000, 60);
    assert_string_equal(inv.lines[0].description,
                        "Bemiddelingsprovisie 12,50% over € 80,00, februari "
                        "2027 (Thuiszorg Bakker)");
    invoice_free(&inv);
}

/* 3.3 A hook's amount that is not the rule: one unit of it, no basis
 * named. */
static void line_3_3_hook_amount(void **state)
{
    struct placement pl = placement();
    pl.supplier_commission_hour_cents = 400;
    struct invoice inv = draft();
    commission_line(&inv, &pl, COMMISSION_SUPPLIER, "2027-01", 2500, 49000,
                    720);
    assert_int_equal(inv.lines[0].qty100, 100);
    assert_int_equal(inv.lines[0].amount_cents, 2500);
    assert_string_equal(inv.lines[0].description,
                        "Bemiddelingsprovisie, januari 2027 (Thuiszorg "
                        "Bakker)");
    invoice_free(&inv);
    pl.supplier_commission_hour_cents = 0;
    pl.supplier_commission_bp = 1200;
    inv = draft();
    commission_line(&inv, &pl, COMMISSION_SUPPLIER, "2027-01", 12969, 159375,
                    2250);
    assert_string_equal(inv.lines[0].description,
                        "Bemiddelingsprovisie, januari 2027 (Thuiszorg "
                        "Bakker)");
    assert_int_equal(inv.lines[0].amount_cents, 12969);
    invoice_free(&inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amount_1_1_percent),
        cmocka_unit_test(amount_1_2_per_hour),
        cmocka_unit_test(amount_1_3_none),
        cmocka_unit_test(hook_2_1_checked),
        cmocka_unit_test(line_3_1_percent),
        cmocka_unit_test(line_3_2_per_hour),
        cmocka_unit_test(line_3_3_hook_amount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
