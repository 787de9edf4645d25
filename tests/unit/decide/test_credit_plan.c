/*
 * test_credit_plan.c — the decisions of packages and credits
 * (decide/credit_plan.c), without a ledger: the take plan (oldest grant
 * first by date, then id; short by how many), the booking outcome per
 * short_credit, the credits a product line grants, what credit notes
 * withdraw (rounded down, never consumed credits, never undone), and the
 * journal pairs with their codes. Every expected value is worked out by
 * hand in a comment. Package tienrit books on 0810 (balance item) and
 * 8010 (ledger account) at 45.00 per credit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/credit_plan.h"
#include "rules/rules.h"

/* ============================================================ helpers */

static cdate D(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static struct package package(const char *id, const char *ledger_account,
                              const char *balance_item, int active)
{
    struct package p;
    memset(&p, 0, sizeof p);
    p.d.kind = "package";
    p.d.id = (char *)id;
    p.d.name = (char *)"Tienrittenkaart";
    p.d.active = active;
    p.d.at.file = "practice.yaml";
    p.d.at.line = 12;
    p.internal_rate_cents = 4500;
    p.ledger_account = (char *)ledger_account;
    p.balance_item = (char *)balance_item;
    return p;
}

static struct appointment_type apptype(struct package *pkg, int64_t credits,
                                       int64_t price)
{
    struct appointment_type t;
    memset(&t, 0, sizeof t);
    t.d.kind = "appointment_type";
    t.d.id = (char *)"behandeling";
    t.d.active = 1;
    t.package = pkg;
    t.credits = credits;
    t.price_cents = price;
    return t;
}

/* The plan for need from grants g as "grant:credits@rate ..." plus
 * " have H short S". */
static char *plan_str(const struct credit_grant_left *g, size_t n,
                      int64_t need)
{
    struct credit_plan p;
    credit_plan_take(g, n, need, &p);
    assert_int_equal(p.need, need);
    struct sbuf b = {0};
    for (size_t i = 0; i < p.n; i++)
        sb_printf(&b, "%lld:%lld@%lld ", (long long)p.takes[i].grant,
                  (long long)p.takes[i].credits,
                  (long long)p.takes[i].rate_cents);
    sb_printf(&b, "have %lld short %lld", (long long)p.have,
              (long long)p.shortfall);
    credit_plan_free(&p);
    assert_null(p.takes);
    return sb_steal(&b);
}

#define ASSERT_PLAN(g, n, need, want)             \
    do {                                          \
        char *got_ = plan_str(g, n, need);        \
        assert_string_equal(got_, want);          \
        free(got_);                               \
    } while (0)

/* ============================================================ 1. take plan */

/* 1.1 Nothing needed, nothing held: no takes, nothing short. */
static void take_1_1_zero_no_grants(void **state)
{
    ASSERT_PLAN(NULL, 0, 0, "have 0 short 0");
}

/* 1.2 Nothing needed with credits held: no takes; have counts them
 * (3 + 2 = 5). */
static void take_1_2_zero_need(void **state)
{
    struct credit_grant_left g[] = {{1, D(2026, 1, 5), 3, 4500},
                                    {2, D(2026, 1, 6), 2, 4000}};
    ASSERT_PLAN(g, 2, 0, "have 5 short 0");
}

/* 1.3 Exactly enough: the one grant gives all 3. */
static void take_1_3_exact(void **state)
{
    struct credit_grant_left g[] = {{7, D(2026, 1, 5), 3, 4500}};
    ASSERT_PLAN(g, 1, 3, "7:3@4500 have 3 short 0");
}

/* 1.4 Short by one: 2 held, 3 needed; the takes list the 2 there are. */
static void take_1_4_short_by_one(void **state)
{
    struct credit_grant_left g[] = {{7, D(2026, 1, 5), 2, 4500}};
    ASSERT_PLAN(g, 1, 3, "7:2@4500 have 2 short 1");
}

/* 1.5 No grants at all: short by the whole need. */
static void take_1_5_no_grants(void **state)
{
    ASSERT_PLAN(NULL, 0, 1, "have 0 short 1");
}

/* 1.6 Oldest by date first, whatever the order given: 03-01 (id 3) before
 * 03-02 (id 1) before 03-05 (id 2); need 4 = 1 + 2 + 1. */
static void take_1_6_oldest_by_date(void **state)
{
    struct credit_grant_left g[] = {{1, D(2026, 3, 2), 2, 4000},
                                    {2, D(2026, 3, 5), 5, 4500},
                                    {3, D(2026, 3, 1), 1, 3500}};
    ASSERT_PLAN(g, 3, 4, "3:1@3500 1:2@4000 2:1@4500 have 8 short 0");
}

/* 1.7 Same date: the lower id first. */
static void take_1_7_tie_by_id(void **state)
{
    struct credit_grant_left g[] = {{9, D(2026, 3, 2), 2, 4500},
                                    {4, D(2026, 3, 2), 2, 4000}};
    ASSERT_PLAN(g, 2, 3, "4:2@4000 9:1@4500 have 4 short 0");
}

/* 1.8 Older by date though younger by id (an import dated before a paid
 * invoice): grant 2 of 01-05 goes before grant 1 of 01-07. A dubbel (2)
 * takes grant 2's 2 credits. */
static void take_1_8_date_beats_id(void **state)
{
    struct credit_grant_left g[] = {{1, D(2026, 1, 7), 10, 4500},
                                    {2, D(2026, 1, 5), 2, 4000}};
    ASSERT_PLAN(g, 2, 2, "2:2@4000 have 12 short 0");
    ASSERT_PLAN(g, 2, 3, "2:2@4000 1:1@4500 have 12 short 0");
}

/* 1.9 Grants with nothing left (0, or below 0 after a withdrawal) give
 * nothing and count for nothing: have = 1, short 1. */
static void take_1_9_empty_grants(void **state)
{
    struct credit_grant_left g[] = {{1, D(2026, 1, 1), 0, 4500},
                                    {2, D(2026, 1, 2), -1, 4500},
                                    {3, D(2026, 1, 3), 1, 4000}};
    ASSERT_PLAN(g, 3, 2, "3:1@4000 have 1 short 1");
}

/* 1.10 Once covered, later grants are untouched: need 1 from 3 grants. */
static void take_1_10_stops_when_covered(void **state)
{
    struct credit_grant_left g[] = {{1, D(2026, 1, 1), 4, 4500},
                                    {2, D(2026, 1, 2), 4, 4500},
                                    {3, D(2026, 1, 3), 4, 4500}};
    ASSERT_PLAN(g, 3, 1, "1:1@4500 have 12 short 0");
    /* 9 = 4 + 4 + 1 */
    ASSERT_PLAN(g, 3, 9, "1:4@4500 2:4@4500 3:1@4500 have 12 short 0");
    /* 12: all; 13: all and short by 1 */
    ASSERT_PLAN(g, 3, 12, "1:4@4500 2:4@4500 3:4@4500 have 12 short 0");
    ASSERT_PLAN(g, 3, 13, "1:4@4500 2:4@4500 3:4@4500 have 12 short 1");
}

/* 1.11 The input is left as it was (the plan sorts a copy). */
static void take_1_11_input_untouched(void **state)
{
    struct credit_grant_left g[] = {{2, D(2026, 1, 9), 1, 4500},
                                    {1, D(2026, 1, 1), 1, 4000}};
    struct credit_plan p;
    credit_plan_take(g, 2, 2, &p);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.takes[0].grant, 1);
    assert_int_equal(p.takes[1].grant, 2);
    assert_int_equal(g[0].grant, 2);
    assert_int_equal(g[1].grant, 1);
    credit_plan_free(&p);
}

/* ============================================================ 2. outcome */

/* 2.1 A package type with enough credits consumes, whatever the
 * setting. */
static void outcome_2_1_enough(void **state)
{
    struct package pkg = package("tienrit", "8010", "0810", 1);
    struct appointment_type t = apptype(&pkg, 1, 5000);
    struct credit_grant_left g[] = {{1, D(2026, 1, 1), 1, 4500}};
    struct credit_plan p;
    credit_plan_take(g, 1, 1, &p);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, &p),
                     CREDIT_CONSUME);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_INVOICE, &t, &p),
                     CREDIT_CONSUME);
    credit_plan_free(&p);
}

/* 2.2 Short (1 of 2) with short_credit: refuse: refused. */
static void outcome_2_2_short_refuse(void **state)
{
    struct package pkg = package("tienrit", "8010", "0810", 1);
    struct appointment_type t = apptype(&pkg, 2, 9500);
    struct credit_grant_left g[] = {{1, D(2026, 1, 1), 1, 4500}};
    struct credit_plan p;
    credit_plan_take(g, 1, 2, &p);
    assert_int_equal(p.shortfall, 1);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, &p),
                     CREDIT_REFUSE);
    credit_plan_free(&p);
}

/* 2.3 Short with short_credit: invoice: invoiced at its price (95.00);
 * at price 0 only recorded. */
static void outcome_2_3_short_invoice(void **state)
{
    struct package pkg = package("tienrit", "8010", "0810", 1);
    struct appointment_type t = apptype(&pkg, 2, 9500);
    struct credit_plan p;
    credit_plan_take(NULL, 0, 2, &p);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_INVOICE, &t, &p),
                     CREDIT_INVOICE);
    t.price_cents = 0;
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_INVOICE, &t, &p),
                     CREDIT_RECORD);
    /* refuse still refuses at price 0 */
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, &p),
                     CREDIT_REFUSE);
    credit_plan_free(&p);
}

/* 2.4 A type without a package is invoiced at its price under either
 * setting (no plan), and only recorded when free. */
static void outcome_2_4_no_package(void **state)
{
    struct appointment_type t = apptype(NULL, 0, 5000);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, NULL),
                     CREDIT_INVOICE);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_INVOICE, &t, NULL),
                     CREDIT_INVOICE);
    t.price_cents = 0;
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, NULL),
                     CREDIT_RECORD);
}

/* 2.5 A deactivated package: its remaining credits are still used; short,
 * the setting decides as for an active one. */
static void outcome_2_5_deactivated_package(void **state)
{
    struct package pkg = package("oud", NULL, NULL, 0);
    struct appointment_type t = apptype(&pkg, 1, 5000);
    struct credit_grant_left g[] = {{1, D(2026, 1, 1), 9, 4000}};
    struct credit_plan p;
    credit_plan_take(g, 1, 1, &p);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, &p),
                     CREDIT_CONSUME);
    credit_plan_free(&p);
    credit_plan_take(g, 1, 10, &p);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, &p),
                     CREDIT_REFUSE);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_INVOICE, &t, &p),
                     CREDIT_INVOICE);
    credit_plan_free(&p);
}

/* 2.6 A package type needing 0 credits consumes (nothing), with no
 * grants at all. */
static void outcome_2_6_needs_zero(void **state)
{
    struct package pkg = package("tienrit", "8010", "0810", 1);
    struct appointment_type t = apptype(&pkg, 0, 5000);
    struct credit_plan p;
    credit_plan_take(NULL, 0, 0, &p);
    assert_int_equal(p.n, 0);
    assert_int_equal(credit_plan_outcome(SHORT_CREDIT_REFUSE, &t, &p),
                     CREDIT_CONSUME);
    credit_plan_free(&p);
}

/* ============================================================ 3. grants */

/* 3.1 pk10:3 grants 3 × 10 = 30; half units round down: 1.5 → 1 × 10,
 * 0.99 → 0. */
static void grant_3_1_line_credits(void **state)
{
    struct package pkg = package("tienrit", "8010", "0810", 1);
    struct product p;
    memset(&p, 0, sizeof p);
    p.package = &pkg;
    p.credits = 10;
    assert_int_equal(credit_plan_line_credits(&p, 300), 30);
    assert_int_equal(credit_plan_line_credits(&p, 100), 10);
    assert_int_equal(credit_plan_line_credits(&p, 150), 10);
    assert_int_equal(credit_plan_line_credits(&p, 99), 0);
}

/* 3.2 A product without a package grants nothing. */
static void grant_3_2_no_package(void **state)
{
    struct product p;
    memset(&p, 0, sizeof p);
    p.credits = 10;
    assert_int_equal(credit_plan_line_credits(&p, 200), 0);
}

/* ============================================================ 4. credit notes */

/* 4.1 floor(a × num / den): 10 × 4500 / 45000 = 1; 10 × 9000 / 45000 =
 * 2; 7 × 1 / 3 = 2.33 → 2; 0 × 5 / 7 = 0; 10^12 × 10^12 / 10^13 = 10^11
 * (the product needs 128 bits). */
static void withdraw_4_1_muldiv_floor(void **state)
{
    assert_int_equal(money_muldiv_floor(10, 4500, 45000), 1);
    assert_int_equal(money_muldiv_floor(10, 9000, 45000), 2);
    assert_int_equal(money_muldiv_floor(7, 1, 3), 2);
    assert_int_equal(money_muldiv_floor(0, 5, 7), 0);
    assert_int_equal(money_muldiv_floor(1000000000000LL, 1000000000000LL,
                                              10000000000000LL),
                     100000000000LL);
}

/* 4.2 Credited: 10 credits, 90.00 of 450.00 → 2; 44.99 of 450.00 →
 * 0.9998 → 0; more than the total is capped: 10; nothing credited or an
 * invoice of 0.00 → 0. */
static void withdraw_4_2_credited(void **state)
{
    assert_int_equal(credit_plan_credited(10, 45000, 9000), 2);
    assert_int_equal(credit_plan_credited(10, 45000, 4499), 0);
    assert_int_equal(credit_plan_credited(10, 45000, 4500), 1);
    assert_int_equal(credit_plan_credited(10, 45000, 99999), 10);
    assert_int_equal(credit_plan_credited(10, 45000, 0), 0);
    assert_int_equal(credit_plan_credited(10, 0, 4500), 0);
    assert_int_equal(credit_plan_credited(10, -100, 4500), 0);
    assert_true(credit_plan_pays_back(45000, 1));
    assert_false(credit_plan_pays_back(45000, 0));
    assert_false(credit_plan_pays_back(0, 1));
}

/* 4.3 A full credit note on a grant of 10, none used: all 10 withdrawn. */
static void withdraw_4_3_full_unused(void **state)
{
    struct credit_withdrawal w;
    credit_plan_withdraw(10, 0, 0, 45000, 45000, &w);
    assert_int_equal(w.target, 10);
    assert_int_equal(w.withdrawn, 10);
    assert_int_equal(w.delta, 10);
}

/* 4.4 A full credit note after 3 were used: the 7 unused are withdrawn;
 * rerun, nothing changes; one appointment cancelled (used 2): 1 more. */
static void withdraw_4_4_used_stay(void **state)
{
    struct credit_withdrawal w;
    credit_plan_withdraw(10, 3, 0, 45000, 45000, &w);
    assert_int_equal(w.target, 10);
    assert_int_equal(w.withdrawn, 7);
    assert_int_equal(w.delta, 7);
    credit_plan_withdraw(10, 3, 7, 45000, 45000, &w);
    assert_int_equal(w.withdrawn, 7);
    assert_int_equal(w.delta, 0);
    credit_plan_withdraw(10, 2, 7, 45000, 45000, &w);
    assert_int_equal(w.withdrawn, 8);
    assert_int_equal(w.delta, 1);
}

/* 4.5 Partial: 45.00 of 450.00 → 1 of 10; a second credit note of 45.00
 * (90.00 in all) → 2, 1 more. */
static void withdraw_4_5_partial(void **state)
{
    struct credit_withdrawal w;
    credit_plan_withdraw(10, 0, 0, 45000, 4500, &w);
    assert_int_equal(w.withdrawn, 1);
    assert_int_equal(w.delta, 1);
    credit_plan_withdraw(10, 0, 1, 45000, 9000, &w);
    assert_int_equal(w.target, 2);
    assert_int_equal(w.withdrawn, 2);
    assert_int_equal(w.delta, 1);
}

/* 4.6 Never undone: 5 withdrawn, the credit notes now pay back 3 → stays
 * 5. Nothing credited → stays as it was. */
static void withdraw_4_6_never_lower(void **state)
{
    struct credit_withdrawal w;
    credit_plan_withdraw(10, 0, 5, 45000, 13500, &w);
    assert_int_equal(w.target, 3);
    assert_int_equal(w.withdrawn, 5);
    assert_int_equal(w.delta, 0);
    credit_plan_withdraw(10, 0, 5, 45000, 0, &w);
    assert_int_equal(w.target, 0);
    assert_int_equal(w.withdrawn, 5);
    assert_int_equal(w.delta, 0);
}

/* 4.7 All used: a full credit note withdraws nothing. */
static void withdraw_4_7_all_used(void **state)
{
    struct credit_withdrawal w;
    credit_plan_withdraw(10, 10, 0, 45000, 45000, &w);
    assert_int_equal(w.target, 10);
    assert_int_equal(w.withdrawn, 0);
    assert_int_equal(w.delta, 0);
}

/* 4.8 Credited but already consumed: 10 credited in full, 7 withdrawn →
 * 3; all 10 withdrawn → 0; 90.00 of 450.00 (2) with 0 withdrawn → 2; no
 * credit note → 0. */
static void withdraw_4_8_credited_consumed(void **state)
{
    assert_int_equal(credit_plan_credited_consumed(10, 7, 45000, 45000), 3);
    assert_int_equal(credit_plan_credited_consumed(10, 10, 45000, 45000), 0);
    assert_int_equal(credit_plan_credited_consumed(10, 0, 45000, 9000), 2);
    assert_int_equal(credit_plan_credited_consumed(10, 0, 45000, 0), 0);
    assert_int_equal(credit_plan_credited_consumed(10, 0, 0, 0), 0);
}

/* ============================================================ 5. journal */

/* 5.1 The package's own codes, or the defaults when it names none, names
 * "" or is unknown (NULL). */
static void journal_5_1_codes(void **state)
{
    struct package own = package("tienrit", "8010", "0810", 1);
    struct package none = package("oud", NULL, NULL, 1);
    struct package empty = package("leeg", "", "", 1);
    assert_string_equal(credit_plan_balance_code(&own), "0810");
    assert_string_equal(credit_plan_revenue_code(&own), "8010");
    assert_string_equal(credit_plan_balance_code(&none), "prepaid-credits");
    assert_string_equal(credit_plan_revenue_code(&none), "credit-revenue");
    assert_string_equal(credit_plan_balance_code(&empty), "prepaid-credits");
    assert_string_equal(credit_plan_revenue_code(&empty), "credit-revenue");
    assert_string_equal(credit_plan_balance_code(NULL), "prepaid-credits");
    assert_string_equal(credit_plan_revenue_code(NULL), "credit-revenue");
}

/* 5.2 A grant's codes: what its journal shows wins over the package
 * (changed since to 0999); without entries (rate 0) the package's and
 * debtors, or imported-credits for an import. */
static void journal_5_2_grant_codes(void **state)
{
    struct package pkg = package("tienrit", "8010", "0999", 1);
    struct credit_codes c = credit_plan_grant_codes("0810", "debtors", &pkg, 0);
    assert_string_equal(c.balance, "0810");
    assert_string_equal(c.counter, "debtors");
    c = credit_plan_grant_codes(NULL, NULL, &pkg, 0);
    assert_string_equal(c.balance, "0999");
    assert_string_equal(c.counter, "debtors");
    c = credit_plan_grant_codes(NULL, NULL, &pkg, 1);
    assert_string_equal(c.counter, "imported-credits");
    c = credit_plan_grant_codes(NULL, NULL, NULL, 0);
    assert_string_equal(c.balance, "prepaid-credits");
}

/* 5.3 Granting 10 at 45.00: 450.00 debit debtors, credit 0810; an import
 * of 5 at 40.00: 200.00 debit imported-credits; at rate 0 nothing. */
static void journal_5_3_grant_pair(void **state)
{
    struct package pkg = package("tienrit", "8010", "0810", 1);
    struct credit_pair p = credit_plan_grant_pair(&pkg, 0, 10, 4500);
    assert_string_equal(p.debit, "debtors");
    assert_string_equal(p.credit, "0810");
    assert_int_equal(p.cents, 45000);
    p = credit_plan_grant_pair(&pkg, 1, 5, 4000);
    assert_string_equal(p.debit, "imported-credits");
    assert_string_equal(p.credit, "0810");
    assert_int_equal(p.cents, 20000);
    p = credit_plan_grant_pair(&pkg, 1, 1, 0);
    assert_int_equal(p.cents, 0);
}

/* 5.4 Consuming 2 credits of a grant at 40.00: 80.00 from the grant's
 * balance item to the package's ledger account (revenue). */
static void journal_5_4_use_pair(void **state)
{
    struct package pkg = package("tienrit", "8010", "0999", 1);
    struct credit_pair p = credit_plan_use_pair("0810", &pkg, 2, 4000);
    assert_string_equal(p.debit, "0810");
    assert_string_equal(p.credit, "8010");
    assert_int_equal(p.cents, 8000);
}

/* 5.5 Withdrawing 7 at 45.00: 315.00 debit 0810, credit debtors. */
static void journal_5_5_withdraw_pair(void **state)
{
    struct credit_codes c = {"0810", "debtors"};
    struct credit_pair p = credit_plan_withdraw_pair(&c, 7, 4500);
    assert_string_equal(p.debit, "0810");
    assert_string_equal(p.credit, "debtors");
    assert_int_equal(p.cents, 31500);
}

/* 5.6 A negative amount books the other way round; 0 books nothing. */
static void journal_5_6_pair_make(void **state)
{
    struct credit_pair p = credit_pair_make("a", "b", -500);
    assert_string_equal(p.debit, "b");
    assert_string_equal(p.credit, "a");
    assert_int_equal(p.cents, 500);
    p = credit_pair_make("a", "b", 0);
    assert_int_equal(p.cents, 0);
}

/* 5.7 A pair's two entries: the debit first, then the credit, same day,
 * description and source; a pair of 0.00 gives none. */
static void journal_5_7_entries(void **state)
{
    struct credit_pair p = {"debtors", "0810", 45000};
    struct journal_entry je[2];
    assert_int_equal(credit_pair_entries(&p, D(2026, 1, 8), "10 credits",
                                         "grant 1", je), 2);
    assert_int_equal(je[0].on, D(2026, 1, 8));
    assert_string_equal(je[0].account_code, "debtors");
    assert_int_equal(je[0].debit_cents, 45000);
    assert_int_equal(je[0].credit_cents, 0);
    assert_string_equal(je[1].account_code, "0810");
    assert_int_equal(je[1].debit_cents, 0);
    assert_int_equal(je[1].credit_cents, 45000);
    assert_string_equal(je[1].description, "10 credits");
    assert_string_equal(je[1].source, "grant 1");
    journal_entry_free(&je[0]);
    journal_entry_free(&je[1]);
    assert_null(je[0].account_code);
    p.cents = 0;
    assert_int_equal(credit_pair_entries(&p, D(2026, 1, 8), "x", "y", je), 0);
}

/* 5.8 A reversal: same code and source, amounts swapped, dated on the
 * cancellation, described "cancelled: ...". */
static void journal_5_8_reversal(void **state)
{
    struct journal_entry in = {D(2026, 1, 9), (char *)"0810", 4000, 0,
                               (char *)"1 credit used", (char *)"appointment d-1"};
    struct journal_entry out;
    credit_plan_reversal(&in, D(2026, 1, 10), &out);
    assert_int_equal(out.on, D(2026, 1, 10));
    assert_string_equal(out.account_code, "0810");
    assert_int_equal(out.debit_cents, 0);
    assert_int_equal(out.credit_cents, 4000);
    assert_string_equal(out.description, "cancelled: 1 credit used");
    assert_string_equal(out.source, "appointment d-1");
    journal_entry_free(&out);
}

/* ============================================================ 6. messages */

/* 6.1 "credit" for 1 and -1, "credits" otherwise (0 too). */
static void message_6_1_plural(void **state)
{
    assert_string_equal(credit_plan_plural(1), "");
    assert_string_equal(credit_plan_plural(-1), "");
    assert_string_equal(credit_plan_plural(0), "s");
    assert_string_equal(credit_plan_plural(2), "s");
}

/* 6.2 A deactivated definition is named with its place. */
static void message_6_2_inactive(void **state)
{
    struct package pkg = package("oud", NULL, NULL, 0);
    struct err e;
    assert_int_equal(credit_plan_refuse_inactive(&pkg.d, "it cannot be sold",
                                                 &e), -1);
    assert_string_equal(e.msg, "package 'oud' is deactivated "
                               "(practice.yaml:12); it cannot be sold");
}

/* 6.3 An unknown id suggests one within two edits, else none. */
static void message_6_3_unknown(void **state)
{
    struct package p[] = {package("tienrit", NULL, NULL, 1),
                          package("oud", NULL, NULL, 1)};
    struct err e;
    assert_int_equal(credit_plan_refuse_unknown(&e, "package", "tienritt", p,
                                                2, sizeof *p), -1);
    assert_string_equal(e.msg, "no package 'tienritt'; did you mean "
                               "'tienrit'?");
    credit_plan_refuse_unknown(&e, "package", "vijfrit", p, 2, sizeof *p);
    assert_string_equal(e.msg, "no package 'vijfrit'");
    credit_plan_refuse_unknown(&e, "package", "x", NULL, 0, sizeof *p);
    assert_string_equal(e.msg, "no package 'x'");
}

/* 6.4 The value of credits is checked: 10 × 42.50 = 425.00; a million
 * credits at 99999999999.99 overflows int64 and a value beyond
 * 999999999.99 is refused; the pair functions then book nothing. */
static void message_6_4_value(void **state)
{
    struct err e;
    int64_t v = 0;
    assert_int_equal(credit_plan_value(10, 4250, &v, &e), 0);
    assert_int_equal(v, 42500);
    assert_int_equal(credit_plan_value(1000000, 9999999999999LL, &v, &e), -1);
    assert_int_equal(v, 42500);
    assert_int_equal(credit_plan_value(1000000, 100000, &v, &e), -1);
    assert_string_equal(e.msg, "credits value 1000000000.00 is beyond the "
                               "maximum of 999999999.99");
    struct credit_pair p =
        credit_plan_grant_pair(NULL, 1, 1000000, 9999999999999LL);
    assert_int_equal(p.cents, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(take_1_1_zero_no_grants),
        cmocka_unit_test(take_1_2_zero_need),
        cmocka_unit_test(take_1_3_exact),
        cmocka_unit_test(take_1_4_short_by_one),
        cmocka_unit_test(take_1_5_no_grants),
        cmocka_unit_test(take_1_6_oldest_by_date),
        cmocka_unit_test(take_1_7_tie_by_id),
        cmocka_unit_test(take_1_8_date_beats_id),
        cmocka_unit_test(take_1_9_empty_grants),
        cmocka_unit_test(take_1_10_stops_when_covered),
        cmocka_unit_test(take_1_11_input_untouched),
        cmocka_unit_test(outcome_2_1_enough),
        cmocka_unit_test(outcome_2_2_short_refuse),
        cmocka_unit_test(outcome_2_3_short_invoice),
        cmocka_unit_test(outcome_2_4_no_package),
        cmocka_unit_test(outcome_2_5_deactivated_package),
        cmocka_unit_test(outcome_2_6_needs_zero),
        cmocka_unit_test(grant_3_1_line_credits),
        cmocka_unit_test(grant_3_2_no_package),
        cmocka_unit_test(withdraw_4_1_muldiv_floor),
        cmocka_unit_test(withdraw_4_2_credited),
        cmocka_unit_test(withdraw_4_3_full_unused),
        cmocka_unit_test(withdraw_4_4_used_stay),
        cmocka_unit_test(withdraw_4_5_partial),
        cmocka_unit_test(withdraw_4_6_never_lower),
        cmocka_unit_test(withdraw_4_7_all_used),
        cmocka_unit_test(withdraw_4_8_credited_consumed),
        cmocka_unit_test(journal_5_1_codes),
        cmocka_unit_test(journal_5_2_grant_codes),
        cmocka_unit_test(journal_5_3_grant_pair),
        cmocka_unit_test(journal_5_4_use_pair),
        cmocka_unit_test(journal_5_5_withdraw_pair),
        cmocka_unit_test(journal_5_6_pair_make),
        cmocka_unit_test(journal_5_7_entries),
        cmocka_unit_test(journal_5_8_reversal),
        cmocka_unit_test(message_6_1_plural),
        cmocka_unit_test(message_6_2_inactive),
        cmocka_unit_test(message_6_3_unknown),
        cmocka_unit_test(message_6_4_value),
    };
    return cmocka_run_group_tests_name("credit_plan", tests, NULL, NULL);
}
