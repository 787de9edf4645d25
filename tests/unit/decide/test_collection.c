/*
 * test_collection.c — the decisions behind a direct-debit batch
 * (engine/decide/collection.c), without SQLite: which invoices are due,
 * FRST for a mandate's first collection and RCUR after (within a batch
 * and after a reversal), the collection date (the invoice's due date, at
 * the earliest tomorrow), the end-to-end id (the invoice number when the
 * EPC set allows it, else "CB<id>"), the batch id, and the plan that puts
 * them together. Expected values are written out, not computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/collection.h"
#include "../support.h"

/* ============================================================ helpers */

/* An open direct-debit invoice of 45.00 due 2026-02-10 on account
 * `account`, which has a mandate and an IBAN (borrowed literals: never
 * freed). */
static struct dd_invoice inv(int64_t id, const char *number,
                             const char *account, int mandate_used)
{
    struct dd_invoice d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.number = (char *)number;
    d.kind = INV_SUBSCRIPTION;
    d.status = ST_OPEN;
    d.direct_debit = 1;
    d.total_cents = 4500;
    d.due = P("2026-02-10");
    d.account = (char *)account;
    d.name = (char *)"Zoë Müller";
    d.iban = (char *)"NL91ABNA0417164300";
    d.mandate_id = (char *)"M-1";
    d.mandate_date = P("2025-12-01");
    d.mandate_used = mandate_used;
    return d;
}

/* ============================================================ 1. due */

/* 1.1 An open direct-debit invoice with money open, never collected. */
static void t1_1_due(void **state)
{
    struct dd_invoice d = inv(1, "2026-00001", "zoe", 0);
    assert_int_equal(collection_due(&d), 1);
    d.paid_cents = 4499;
    assert_int_equal(collection_due(&d), 1);
    d.kind = INV_PRODUCT;
    assert_int_equal(collection_due(&d), 1);
    d.kind = INV_SEATS;
    assert_int_equal(collection_due(&d), 1);
}

/* 1.2 Not due: paid in full (or more), not direct debit, not open, a
 * credit note, or collected before (a reversal does not change that). */
static void t1_2_not_due(void **state)
{
    struct dd_invoice d = inv(1, "2026-00001", "zoe", 0);
    d.paid_cents = 4500;
    assert_int_equal(collection_due(&d), 0);
    d.paid_cents = 5000;
    assert_int_equal(collection_due(&d), 0);
    d = inv(1, "2026-00001", "zoe", 0);
    d.direct_debit = 0;
    assert_int_equal(collection_due(&d), 0);
    d = inv(1, "2026-00001", "zoe", 0);
    d.status = ST_PAID;
    assert_int_equal(collection_due(&d), 0);
    d.status = ST_CREDITED;
    assert_int_equal(collection_due(&d), 0);
    d = inv(1, "2026-00001", "zoe", 0);
    d.kind = INV_CREDIT;
    assert_int_equal(collection_due(&d), 0);
    d = inv(1, "2026-00001", "zoe", 0);
    d.collected = 1;
    assert_int_equal(collection_due(&d), 0);
    d = inv(1, "2026-00001", "zoe", 0);
    d.total_cents = 0;
    assert_int_equal(collection_due(&d), 0);
}

/* ============================================================ 2. values */

/* 2.1 FRST only for a mandate never collected on and not earlier in the
 * batch; a reversed first collection leaves the mandate used: RCUR. */
static void t2_1_first(void **state)
{
    assert_int_equal(collection_first(0, 0), 1);
    assert_int_equal(collection_first(0, 1), 0);
    assert_int_equal(collection_first(1, 0), 0);
    assert_int_equal(collection_first(1, 1), 0);
}

/* 2.2 The collection date is the due date, at the earliest tomorrow (all
 * business days here but one). */
static void t2_2_date(void **state)
{
    cdate today = P("2026-01-27");
    assert_string_equal(fmt(collection_date(P("2026-02-10"), today)),
                        "2026-02-10");
    assert_string_equal(fmt(collection_date(P("2026-01-28"), today)),
                        "2026-01-28");
    assert_string_equal(fmt(collection_date(P("2026-01-27"), today)),
                        "2026-01-28");
    assert_string_equal(fmt(collection_date(P("2026-01-01"), today)),
                        "2026-01-28");
    /* tomorrow is 1 January, a TARGET2 closing day: the 2nd (a Friday) */
    assert_string_equal(fmt(collection_date(P("2025-12-31"),
                                            P("2025-12-31"))),
                        "2026-01-02");
    assert_string_equal(fmt(collection_date(CDATE_NONE, today)),
                        "2026-01-28");
}

/* 2.2a TARGET2 closing days: weekends, 1 January, Good Friday, Easter
 * Monday, 1 May, 25 and 26 December; Easter by the computus. */
static void t2_2a_target(void **state)
{
    assert_string_equal(fmt(easter_sunday(2026)), "2026-04-05");
    assert_string_equal(fmt(easter_sunday(2027)), "2027-03-28");
    assert_string_equal(fmt(easter_sunday(2024)), "2024-03-31");
    assert_string_equal(fmt(easter_sunday(2019)), "2019-04-21");
    assert_string_equal(fmt(easter_sunday(2038)), "2038-04-25");
    assert_string_equal(fmt(easter_sunday(2285)), "2285-03-22");
    assert_int_equal(target_business_day(P("2026-12-24")), 1);
    assert_int_equal(target_business_day(P("2026-12-25")), 0);
    assert_int_equal(target_business_day(P("2026-12-26")), 0); /* Sat too */
    assert_int_equal(target_business_day(P("2026-04-03")), 0); /* Good Fri */
    assert_int_equal(target_business_day(P("2026-04-06")), 0); /* Easter Mon */
    assert_int_equal(target_business_day(P("2026-04-07")), 1);
    assert_int_equal(target_business_day(P("2026-05-01")), 0);
    assert_int_equal(target_business_day(P("2027-01-01")), 0);
    assert_int_equal(target_business_day(P("2026-02-14")), 0); /* Saturday */
    assert_int_equal(target_business_day(P("2026-02-15")), 0); /* Sunday */
    assert_int_equal(target_business_day(P("2026-02-16")), 1);
    /* the 2026-12-25 (Friday): 26th a Saturday, so Monday 28th */
    assert_string_equal(fmt(target_next_business_day(P("2026-12-25"))),
                        "2026-12-28");
    assert_string_equal(fmt(target_next_business_day(P("2026-04-03"))),
                        "2026-04-07");
    assert_string_equal(fmt(target_next_business_day(P("2026-02-16"))),
                        "2026-02-16");
    assert_string_equal(fmt(collection_date(P("2026-02-14"), P("2026-01-27"))),
                        "2026-02-16");
    assert_string_equal(fmt(collection_date(P("2026-12-25"), P("2026-12-01"))),
                        "2026-12-28");
}

/* 2.3 The EPC set for ids: letters, digits and / - ? : ( ) . , ' +; no
 * space, at most 35 characters, not empty. */
static void t2_3_epc_id(void **state)
{
    assert_int_equal(collection_epc_id("2026-00001"), 1);
    assert_int_equal(collection_epc_id("A/b-c?d:e(f)g.h,i'j+k"), 1);
    assert_int_equal(collection_epc_id("12345678901234567890123456789012345"),
                     1);
    assert_int_equal(
        collection_epc_id("123456789012345678901234567890123456"), 0);
    assert_int_equal(collection_epc_id("2026 00001"), 0);
    assert_int_equal(collection_epc_id("F_2026"), 0);
    assert_int_equal(collection_epc_id("F&2026"), 0);
    assert_int_equal(collection_epc_id("Fé2026"), 0);
    assert_int_equal(collection_epc_id(""), 0);
    assert_int_equal(collection_epc_id(NULL), 0);
}

/* 2.4 The end-to-end id is the number, or "CB<invoice id>". */
static void t2_4_end_to_end_id(void **state)
{
    char *s = collection_end_to_end_id(7, "2026-00007");
    assert_string_equal(s, "2026-00007");
    free(s);
    s = collection_end_to_end_id(7, "2026 00007");
    assert_string_equal(s, "CB7");
    free(s);
    s = collection_end_to_end_id(123456, "ZZ_1");
    assert_string_equal(s, "CB123456");
    free(s);
    s = collection_end_to_end_id(9, NULL);
    assert_string_equal(s, "CB9");
    free(s);
}

/* 2.5 The batch id counts every batch ever exported, whatever its day. */
static void t2_5_batch_id(void **state)
{
    char b[40];
    assert_string_equal(collection_batch_id(P("2026-01-27"), 0, b),
                        "CB-20260127-1");
    assert_string_equal(collection_batch_id(P("2026-02-24"), 1, b),
                        "CB-20260224-2");
    assert_string_equal(collection_batch_id(P("2027-12-01"), 41, b),
                        "CB-20271201-42");
}

/* ============================================================ 3. plan */

/* 3.1 Two mandates never used: each account's first collection is FRST,
 * a second invoice of the same account in the batch is RCUR; amounts are
 * what is open; the order is the rows' order. */
static void t3_1_plan_frst_rcur(void **state)
{
    struct dd_invoice rows[4] = {
        inv(1, "2026-00001", "zoe", 0), inv(2, "2026-00002", "zoe", 0),
        inv(3, "2026-00003", "bram", 0), inv(4, "2026 00004", "jan", 1)};
    rows[1].paid_cents = 1000;
    rows[2].due = P("2026-01-20");
    struct collection_plan p;
    struct err e = {""};
    assert_int_equal(collection_plan(rows, 4, P("2026-01-27"), &p, &e), 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.total_cents, 4500 + 3500 + 4500 + 4500);
    assert_ptr_equal(p.items[0].inv, &rows[0]);
    assert_string_equal(p.items[0].end_to_end_id, "2026-00001");
    assert_int_equal(p.items[0].first, 1);
    assert_string_equal(fmt(p.items[0].collection_date), "2026-02-10");
    assert_int_equal(p.items[0].amount_cents, 4500);
    assert_ptr_equal(p.items[1].inv, &rows[1]);
    assert_int_equal(p.items[1].first, 0);
    /* zoe's RCUR never shares the FRST's date: the next business day */
    assert_string_equal(fmt(p.items[1].collection_date), "2026-02-11");
    assert_int_equal(p.items[1].amount_cents, 3500);
    assert_ptr_equal(p.items[2].inv, &rows[2]);
    assert_int_equal(p.items[2].first, 1);
    assert_string_equal(fmt(p.items[2].collection_date), "2026-01-28");
    assert_ptr_equal(p.items[3].inv, &rows[3]);
    assert_string_equal(p.items[3].end_to_end_id, "CB4");
    assert_int_equal(p.items[3].first, 0);
    collection_plan_free(&p);
    assert_int_equal(p.n, 0);
    assert_null(p.items);
}

/* 3.1a FRST and RCUR of one mandate on one date: the RCUR moves to the
 * next business day after the FRST (over a weekend), and an RCUR whose
 * own date is earlier than the FRST's still comes after it; other
 * accounts keep their dates. */
static void t3_1a_frst_rcur_dates(void **state)
{
    struct dd_invoice rows[4] = {
        inv(1, "2026-00001", "zoe", 0), inv(2, "2026-00002", "zoe", 0),
        inv(3, "2026-00003", "bram", 0), inv(4, "2026-00004", "bram", 0)};
    rows[0].due = rows[1].due = P("2026-02-13"); /* a Friday */
    rows[2].due = P("2026-02-10");
    rows[3].due = P("2026-02-03"); /* earlier than bram's FRST */
    struct collection_plan p;
    struct err e = {""};
    assert_int_equal(collection_plan(rows, 4, P("2026-01-27"), &p, &e), 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.items[0].first, 1);
    assert_string_equal(fmt(p.items[0].collection_date), "2026-02-13");
    assert_int_equal(p.items[1].first, 0);
    assert_string_equal(fmt(p.items[1].collection_date), "2026-02-16");
    assert_int_equal(p.items[2].first, 1);
    assert_string_equal(fmt(p.items[2].collection_date), "2026-02-10");
    assert_int_equal(p.items[3].first, 0);
    assert_string_equal(fmt(p.items[3].collection_date), "2026-02-11");
    collection_plan_free(&p);
    /* a mandate used before: RCUR on its own date, nothing moves */
    rows[0].mandate_used = rows[1].mandate_used = 1;
    assert_int_equal(collection_plan(rows, 2, P("2026-01-27"), &p, &e), 0);
    assert_string_equal(fmt(p.items[0].collection_date), "2026-02-13");
    assert_string_equal(fmt(p.items[1].collection_date), "2026-02-13");
    collection_plan_free(&p);
}

/* 3.2 Rows that are not due are left out, and do not make a later
 * invoice of the same account RCUR. */
static void t3_2_plan_skips(void **state)
{
    struct dd_invoice rows[3] = {inv(1, "2026-00001", "zoe", 0),
                                 inv(2, "2026-00002", "zoe", 0),
                                 inv(3, "2026-00003", "zoe", 0)};
    rows[0].kind = INV_CREDIT;
    rows[1].paid_cents = 4500;
    struct collection_plan p;
    struct err e = {""};
    assert_int_equal(collection_plan(rows, 3, P("2026-01-27"), &p, &e), 0);
    assert_int_equal(p.n, 1);
    assert_ptr_equal(p.items[0].inv, &rows[2]);
    assert_int_equal(p.items[0].first, 1);
    assert_int_equal(p.total_cents, 4500);
    collection_plan_free(&p);
}

/* 3.3 Nothing due: an empty plan, not an error. */
static void t3_3_plan_empty(void **state)
{
    struct collection_plan p;
    struct err e = {""};
    assert_int_equal(collection_plan(NULL, 0, P("2026-01-27"), &p, &e), 0);
    assert_int_equal(p.n, 0);
    assert_int_equal(p.total_cents, 0);
    collection_plan_free(&p);
}

/* 3.4 A due invoice whose account has no mandate or no IBAN refuses the
 * whole batch, naming the first such invoice and its account; a row that
 * is not due is not checked. */
static void t3_4_plan_refuses(void **state)
{
    struct dd_invoice rows[4] = {
        inv(1, "2026-00001", "zoe", 0), inv(2, "2026-00002", "piet", 0),
        inv(3, "2026-00003", "bram", 0), inv(4, "2026-00004", "jan", 0)};
    rows[1].mandate_id = NULL;
    rows[1].status = ST_PAID;
    rows[2].iban = NULL;
    rows[3].mandate_id = NULL;
    struct collection_plan p;
    struct err e = {""};
    assert_int_equal(collection_plan(rows, 4, P("2026-01-27"), &p, &e), -1);
    assert_string_equal(e.msg, "invoice 2026-00003 is to be collected by "
                               "direct debit but account bram has no "
                               "mandate or IBAN");
    assert_int_equal(p.n, 0);
    assert_null(p.items);
    rows[2].iban = (char *)"BE68539007547034";
    assert_int_equal(collection_plan(rows, 4, P("2026-01-27"), &p, &e), -1);
    assert_string_equal(e.msg, "invoice 2026-00004 is to be collected by "
                               "direct debit but account jan has no "
                               "mandate or IBAN");
    /* An empty IBAN or mandate id is left to the pain.008 checks. */
    rows[3].mandate_id = (char *)"";
    assert_int_equal(collection_plan(rows, 4, P("2026-01-27"), &p, &e), 0);
    assert_int_equal(p.n, 3);
    collection_plan_free(&p);
}

/* 3.5 dd_invoices_free frees owned rows; NULL is fine. */
static void t3_5_free(void **state)
{
    struct dd_invoice *rows = xcalloc(2, sizeof *rows);
    rows[0].number = xstrdup("2026-00001");
    rows[0].account = xstrdup("zoe");
    rows[1].mandate_id = xstrdup("M-1");
    rows[1].bic = xstrdup("ABNANL2A");
    dd_invoices_free(rows, 2);
    dd_invoices_free(NULL, 0);
    collection_plan_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_due),
        cmocka_unit_test(t1_2_not_due),
        cmocka_unit_test(t2_1_first),
        cmocka_unit_test(t2_2_date),
        cmocka_unit_test(t2_2a_target),
        cmocka_unit_test(t2_3_epc_id),
        cmocka_unit_test(t2_4_end_to_end_id),
        cmocka_unit_test(t2_5_batch_id),
        cmocka_unit_test(t3_1_plan_frst_rcur),
        cmocka_unit_test(t3_1a_frst_rcur_dates),
        cmocka_unit_test(t3_2_plan_skips),
        cmocka_unit_test(t3_3_plan_empty),
        cmocka_unit_test(t3_4_plan_refuses),
        cmocka_unit_test(t3_5_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
