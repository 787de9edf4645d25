/*
 * test_seats.c — seat plans (engine/decide/seats.c) without a ledger:
 * plan prices per cycle, trial days, monthly and yearly periods counted
 * from the anchor, when a plan change takes effect (the next period
 * start; monthly -> yearly at the next monthly boundary), the default
 * seat count (seats active on the period's first day: a seat added
 * mid-period bills from the next period), the tally a seats hook sees,
 * the hook itself in a real sandbox, and the invoice lines of a period:
 * seats, student seats, usage and the discount, in nl, fr and en.
 * Expected values are written out. Tests run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "decide/seats.h"
#include "rules/hooks.h"

/* ============================================================ helpers */

static cdate P(const char *s)
{
    struct err e = {""};
    cdate d = CDATE_NONE;
    if (date_parse(s, &d, &e) != 0)
        fail_msg("%s", e.msg);
    return d;
}

static const char *pf(struct period p)
{
    static char buf[4][24];
    static int i;
    i = (i + 1) % 4;
    return period_fmt(p, buf[i]);
}

static const char *df(cdate d)
{
    static char buf[4][11];
    static int i;
    i = (i + 1) % 4;
    return date_fmt(d, buf[i]);
}

static struct vat_rate vat21 = {{"vat_rate", "btw21", "BTW 21%", 1, {0}},
                                2100, 0, NULL};
static struct usage_price usage_std[] = {{"vragenlijst", 150}};

/* The seed's standard plan: 39 a month, 390 a year, students half. */
static struct plan standard(void)
{
    struct plan p;
    memset(&p, 0, sizeof p);
    p.d.kind = "plan";
    p.d.id = "standaard";
    p.d.name = "Standaard";
    p.d.active = 1;
    p.seat_month_cents = 3900;
    p.seat_year_cents = 39000;
    p.student_month_cents = 1950;
    p.student_year_cents = 19500;
    p.has_month = p.has_year = 1;
    p.vat = &vat21;
    p.usage = usage_std;
    p.n_usage = 1;
    p.seats.at.file = NULL;
    return p;
}

/* The seed's starter plan: monthly only, no student price. */
static struct plan starter(void)
{
    struct plan p = standard();
    p.d.id = "starter";
    p.d.name = "Starter";
    p.seat_month_cents = 1500;
    p.seat_year_cents = p.student_month_cents = p.student_year_cents = 0;
    p.has_year = 0;
    return p;
}

static struct seat_span seat(const char *id, int student, const char *from,
                             const char *until)
{
    return (struct seat_span){id, student, P(from),
                              until ? P(until) : CDATE_NONE};
}

static struct seat_count count(const struct seat_span *s, size_t n,
                               struct period p)
{
    struct plan pl = standard();
    struct seat_count c;
    struct err e = {""};
    if (seats_count(&pl, NULL, NULL, "delinde", CYCLE_MONTHLY, s, n, p,
                    p.start, &c, &e) != 0)
        fail_msg("seats_count: %s", e.msg);
    return c;
}

static char tmpdir[] = "/tmp/carebill-seats-XXXXXX";

static int setup_dir(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static char *write_hook(const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* ============================================================ 1 plans */

/* 1.1 Prices per cycle and kind; a missing price is 0 (not offered). */
static void t1_1_prices(void **state)
{
    (void)state;
    struct plan s = standard(), st = starter();
    assert_int_equal(plan_offers(&s, CYCLE_MONTHLY), 1);
    assert_int_equal(plan_offers(&s, CYCLE_YEARLY), 1);
    assert_int_equal(plan_offers(&st, CYCLE_MONTHLY), 1);
    assert_int_equal(plan_offers(&st, CYCLE_YEARLY), 0);
    assert_int_equal(plan_seat_price(&s, CYCLE_MONTHLY, 0), 3900);
    assert_int_equal(plan_seat_price(&s, CYCLE_YEARLY, 0), 39000);
    assert_int_equal(plan_seat_price(&s, CYCLE_MONTHLY, 1), 1950);
    assert_int_equal(plan_seat_price(&s, CYCLE_YEARLY, 1), 19500);
    assert_int_equal(plan_seat_price(&st, CYCLE_MONTHLY, 1), 0);
    assert_non_null(plan_usage_price(&s, "vragenlijst"));
    assert_int_equal(plan_usage_price(&s, "vragenlijst")->price_cents, 150);
    assert_null(plan_usage_price(&s, "nieuw_dossier"));
}

/* 1.2 Cycle names parse both ways; anything else is refused. */
static void t1_2_cycle_names(void **state)
{
    (void)state;
    enum plan_cycle c = CYCLE_YEARLY;
    assert_int_equal(plan_cycle_parse("monthly", &c), 0);
    assert_int_equal(c, CYCLE_MONTHLY);
    assert_int_equal(plan_cycle_parse("yearly", &c), 0);
    assert_int_equal(c, CYCLE_YEARLY);
    assert_int_equal(plan_cycle_parse("weekly", &c), -1);
    assert_int_equal(plan_cycle_parse(NULL, &c), -1);
    assert_string_equal(plan_cycle_name(CYCLE_MONTHLY), "monthly");
    assert_string_equal(plan_cycle_name(CYCLE_YEARLY), "yearly");
}

/* 1.3 Trial days move the first billed day. */
static void t1_3_trial(void **state)
{
    (void)state;
    struct plan s = standard();
    assert_string_equal(df(plan_first_billed(&s, P("2027-01-10"))),
                        "2027-01-10");
    s.trial_days = 30;
    assert_string_equal(df(plan_first_billed(&s, P("2027-01-10"))),
                        "2027-02-09");
}

/* 1.4 Periods are a month or a year from the anchor, clamped at a short
 * month's end and back on the anchor day after. */
static void t1_4_periods(void **state)
{
    (void)state;
    cdate a = P("2027-01-01");
    assert_string_equal(pf(plan_period(CYCLE_MONTHLY, a, P("2027-01-01"))),
                        "2027-01-01..2027-01-31");
    assert_string_equal(pf(plan_period(CYCLE_MONTHLY, a, P("2027-02-14"))),
                        "2027-02-01..2027-02-28");
    assert_string_equal(pf(plan_period(CYCLE_YEARLY, a, P("2027-12-31"))),
                        "2027-01-01..2027-12-31");
    cdate b = P("2027-01-31");
    assert_string_equal(pf(plan_period(CYCLE_MONTHLY, b, P("2027-02-28"))),
                        "2027-02-28..2027-03-30");
    assert_string_equal(pf(plan_period(CYCLE_MONTHLY, b, P("2027-03-31"))),
                        "2027-03-31..2027-04-29");
    cdate c = P("2027-06-01");
    assert_string_equal(pf(plan_period(CYCLE_YEARLY, c, P("2028-05-31"))),
                        "2027-06-01..2028-05-31");
}

/* 1.5 A change takes effect at the next period start after the day it
 * is asked; monthly -> yearly at the next monthly boundary; never in a
 * period billed already; before the first period: from the first. */
static void t1_5_change_effective(void **state)
{
    (void)state;
    cdate a = P("2027-01-01");
    assert_string_equal(df(plan_change_effective(CYCLE_MONTHLY, a,
                                                 P("2027-05-01"),
                                                 P("2027-05-10"))),
                        "2027-06-01");
    assert_string_equal(df(plan_change_effective(CYCLE_MONTHLY, a,
                                                 P("2027-05-01"),
                                                 P("2027-05-01"))),
                        "2027-06-01");
    /* May and June billed already: July. */
    assert_string_equal(df(plan_change_effective(CYCLE_MONTHLY, a,
                                                 P("2027-07-01"),
                                                 P("2027-05-10"))),
                        "2027-07-01");
    /* Yearly -> monthly at the end of the year. */
    assert_string_equal(df(plan_change_effective(CYCLE_YEARLY, P("2027-02-01"),
                                                 P("2028-02-01"),
                                                 P("2027-09-15"))),
                        "2028-02-01");
    /* Before the first period (a trial): from the first. */
    assert_string_equal(df(plan_change_effective(CYCLE_MONTHLY, P("2027-02-01"),
                                                 P("2027-02-01"),
                                                 P("2027-01-15"))),
                        "2027-02-01");
}

/* ============================================================ 2 seats */

/* 2.1 The default: seats active on the first day. Added mid-period:
 * from the next period. Removed during a period (its last day inside):
 * billed for that period, not the next. */
static void t2_1_default_first_day(void **state)
{
    (void)state;
    struct seat_span s[] = {
        seat("an", 0, "2027-01-01", NULL),
        seat("bert", 0, "2027-01-01", "2027-03-31"),
        seat("gert", 0, "2027-03-15", NULL),
        seat("fien", 1, "2027-01-01", NULL),
    };
    struct period mar = {P("2027-03-01"), P("2027-03-31")};
    struct period apr = {P("2027-04-01"), P("2027-04-30")};
    struct seat_count c = count(s, 4, mar);
    assert_int_equal(c.qty100[0], 200);
    assert_int_equal(c.qty100[1], 100);
    assert_string_equal(c.rule, "seats active on the period's first day");
    c = count(s, 4, apr);
    assert_int_equal(c.qty100[0], 200); /* an, gert */
    assert_int_equal(c.qty100[1], 100);
}

/* 2.2 The tally a hook sees: first day, peak and seat-days. */
static void t2_2_tally(void **state)
{
    (void)state;
    struct seat_span s[] = {
        seat("an", 0, "2027-01-01", NULL),
        seat("bert", 0, "2027-01-01", "2027-03-10"),
        seat("gert", 0, "2027-03-15", NULL),
        seat("hans", 0, "2027-03-20", "2027-03-25"),
        seat("fien", 1, "2027-03-31", NULL),
    };
    struct period mar = {P("2027-03-01"), P("2027-03-31")};
    struct seat_tally t;
    seat_tally(s, 5, 0, mar, &t);
    assert_int_equal(t.first_day, 2);
    assert_int_equal(t.peak, 3);   /* an, gert, hans on the 20th */
    assert_int_equal(t.seat_days, 31 + 10 + 17 + 6);
    seat_tally(s, 5, 1, mar, &t);
    assert_int_equal(t.first_day, 0);
    assert_int_equal(t.peak, 1);
    assert_int_equal(t.seat_days, 1);
    /* A period before every seat: nothing. */
    struct period dec = {P("2026-12-01"), P("2026-12-31")};
    seat_tally(s, 5, 0, dec, &t);
    assert_int_equal(t.first_day, 0);
    assert_int_equal(t.peak, 0);
    assert_int_equal(t.seat_days, 0);
}

/* 2.3 The seats hook: pro rata seat-days (hundredths of a seat), peak
 * count, and its failures. Not called for a kind with no seat. */
static void t2_3_hook(void **state)
{
    (void)state;
    char *path = write_hook("seats.lua",
        "function seats(ctx)\n"
        "  if ctx.plan.id == 'peak' then return ctx.peak * 100 end\n"
        "  if ctx.plan.id == 'bad' then return -1 end\n"
        "  if ctx.plan.id == 'nil' then return nil end\n"
        "  return cb.muldiv(ctx.seat_days, 100, ctx.period_days)\n"
        "end\n");
    struct hooks *h = hooks_new(NULL);
    struct hook_ref ref;
    struct err e = {""};
    if (hooks_bind(h, path, "seats", &ref, &e) != 0)
        fail_msg("bind: %s", e.msg);
    struct seat_span s[] = {
        seat("an", 0, "2027-03-01", NULL),
        seat("gert", 0, "2027-03-16", NULL),
    };
    struct period mar = {P("2027-03-01"), P("2027-03-31")};
    struct plan pl = standard();
    struct seat_count c;
    assert_int_equal(seats_count(&pl, &ref, h, "delinde", CYCLE_MONTHLY, s, 2,
                                 mar, mar.start, &c, &e), 0);
    assert_int_equal(c.qty100[0], 152); /* (31 + 16) / 31 = 1.516 */
    assert_int_equal(c.qty100[1], 0);
    assert_string_equal(c.rule, "seats hook");
    pl.d.id = "peak";
    assert_int_equal(seats_count(&pl, &ref, h, "delinde", CYCLE_MONTHLY, s, 2,
                                 mar, mar.start, &c, &e), 0);
    assert_int_equal(c.qty100[0], 200);
    pl.d.id = "bad";
    assert_int_equal(seats_count(&pl, &ref, h, "delinde", CYCLE_MONTHLY, s, 2,
                                 mar, mar.start, &c, &e), -1);
    char *want = xasprintf("hook seats (%s): returned -1, expected seats x "
                           "100 between 0 and 100000000 (account delinde, "
                           "period 2027-03-01..2027-03-31)", ref.file);
    assert_string_equal(e.msg, want);
    free(want);
    pl.d.id = "nil";
    assert_int_equal(seats_count(&pl, &ref, h, "delinde", CYCLE_MONTHLY, s, 2,
                                 mar, mar.start, &c, &e), -1);
    assert_non_null(strstr(e.msg, "(counting the seats of account delinde, "
                                  "period 2027-03-01..2027-03-31)"));
    hooks_free(h);
    free(path);
}

/* ============================================================ 3 lines */

static struct invoice draft(const char *locale)
{
    struct invoice inv;
    memset(&inv, 0, sizeof inv);
    inv.locale = xstrdup(locale);
    return inv;
}

/* 3.1 Seats, student seats, usage and a 20% discount, in Dutch: the
 * seed's invoice of a five-seat organisation with a student. */
static void t3_1_lines_nl(void **state)
{
    (void)state;
    struct plan pl = standard();
    struct discount_code dc;
    memset(&dc, 0, sizeof dc);
    dc.d.id = "welkom3";
    dc.d.name = "Welkomstkorting";
    dc.percent_bp = 2000;
    struct seat_count sc = {{500, 100}, {{5, 6, 172}, {1, 1, 31}}, "default"};
    struct usage_sum u[] = {{"vragenlijst", 12, 150}};
    struct period mar = {P("2027-03-01"), P("2027-03-31")};
    struct plan_bill b = {&pl, CYCLE_MONTHLY, mar, &sc, u, 1, &dc, "nl"};
    struct invoice inv = draft("nl");
    int64_t off = -1;
    struct err e = {""};
    assert_int_equal(plan_lines(&b, &inv, &off, &e), 0);
    assert_int_equal(inv.n_lines, 4);
    assert_string_equal(inv.lines[0].description,
                        "Licentie Standaard (maandelijks) "
                        "2027-03-01..2027-03-31");
    assert_string_equal(inv.lines[0].source, "seat");
    assert_int_equal(inv.lines[0].qty100, 500);
    assert_int_equal(inv.lines[0].unit_cents, 3900);
    assert_int_equal(inv.lines[0].amount_cents, 19500);
    assert_string_equal(inv.lines[1].description,
                        "Studentenlicentie Standaard (maandelijks) "
                        "2027-03-01..2027-03-31");
    assert_string_equal(inv.lines[1].source, "student_seat");
    assert_int_equal(inv.lines[1].amount_cents, 1950);
    assert_string_equal(inv.lines[2].description, "Verbruik vragenlijst");
    assert_string_equal(inv.lines[2].source, "usage");
    assert_string_equal(inv.lines[2].ref, "vragenlijst");
    assert_int_equal(inv.lines[2].qty100, 1200);
    assert_int_equal(inv.lines[2].amount_cents, 1800);
    assert_string_equal(inv.lines[3].description, "Korting Welkomstkorting");
    assert_string_equal(inv.lines[3].source, "discount");
    assert_string_equal(inv.lines[3].ref, "welkom3");
    assert_int_equal(inv.lines[3].amount_cents, -4650);
    assert_int_equal(off, 4650);
    assert_string_equal(inv.lines[3].vat_id, "btw21");
    assert_int_equal(inv.lines[0].period_start, mar.start);
    assert_int_equal(inv.lines[2].period_start, CDATE_NONE);
    assert_int_equal(inv.lines[3].period_end, mar.end);
    invoice_totals(&inv);
    assert_int_equal(inv.net_cents, 18600);
    assert_int_equal(inv.vat_cents, 3906);
    assert_int_equal(inv.total_cents, 22506);
    invoice_free(&inv);
}

/* 3.2 French and English words; yearly; no student line when none. */
static void t3_2_lines_fr_en(void **state)
{
    (void)state;
    struct plan pl = standard();
    pl.d.name = "Blended";
    struct seat_count sc = {{300, 0}, {{3, 3, 0}, {0, 0, 0}}, "default"};
    struct period y = {P("2027-02-01"), P("2028-01-31")};
    struct plan_bill b = {&pl, CYCLE_YEARLY, y, &sc, NULL, 0, NULL, "fr"};
    struct invoice inv = draft("fr");
    int64_t off;
    struct err e = {""};
    assert_int_equal(plan_lines(&b, &inv, &off, &e), 0);
    assert_int_equal(inv.n_lines, 1);
    assert_string_equal(inv.lines[0].description,
                        "Licence Blended (annuel) 2027-02-01..2028-01-31");
    assert_int_equal(inv.lines[0].amount_cents, 117000);
    assert_int_equal(off, 0);
    invoice_free(&inv);
    b.locale = "en";
    inv = draft("en");
    assert_int_equal(plan_lines(&b, &inv, &off, &e), 0);
    assert_string_equal(inv.lines[0].description,
                        "Seat Blended (yearly) 2027-02-01..2028-01-31");
    invoice_free(&inv);
}

/* 3.3 An amount discount never takes the invoice below zero; on an
 * invoice with nothing to discount there is no discount line. */
static void t3_3_discount_capped(void **state)
{
    (void)state;
    struct plan pl = starter();
    struct discount_code dc;
    memset(&dc, 0, sizeof dc);
    dc.d.id = "groot";
    dc.d.name = "Grote korting";
    dc.amount_cents = 5000;
    struct seat_count sc = {{200, 0}, {{2, 2, 62}, {0, 0, 0}}, "default"};
    struct period jan = {P("2027-01-01"), P("2027-01-31")};
    struct plan_bill b = {&pl, CYCLE_MONTHLY, jan, &sc, NULL, 0, &dc, "nl"};
    struct invoice inv = draft("nl");
    int64_t off;
    struct err e = {""};
    assert_int_equal(plan_lines(&b, &inv, &off, &e), 0);
    assert_int_equal(inv.n_lines, 2);
    assert_int_equal(inv.lines[1].amount_cents, -3000);
    assert_int_equal(off, 3000);
    invoice_totals(&inv);
    assert_int_equal(inv.total_cents, 0);
    invoice_free(&inv);
    struct seat_count none = {{0, 0}, {{0, 0, 0}, {0, 0, 0}}, "default"};
    b.seats = &none;
    inv = draft("nl");
    assert_int_equal(plan_lines(&b, &inv, &off, &e), 0);
    assert_int_equal(inv.n_lines, 0);
    assert_int_equal(off, 0);
    invoice_free(&inv);
}

/* 3.4 Student seats on a plan without a student price are refused. */
static void t3_4_student_without_price(void **state)
{
    (void)state;
    struct plan pl = starter();
    struct seat_count sc = {{100, 100}, {{1, 1, 31}, {1, 1, 31}}, "default"};
    struct period jan = {P("2027-01-01"), P("2027-01-31")};
    struct plan_bill b = {&pl, CYCLE_MONTHLY, jan, &sc, NULL, 0, NULL, "nl"};
    struct invoice inv = draft("nl");
    int64_t off;
    struct err e = {""};
    assert_int_equal(plan_lines(&b, &inv, &off, &e), -1);
    assert_string_equal(e.msg, "plan 'starter' has no monthly student seat "
                               "price, but period 2027-01-01..2027-01-31 "
                               "bills student seats");
    invoice_free(&inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_prices),
        cmocka_unit_test(t1_2_cycle_names),
        cmocka_unit_test(t1_3_trial),
        cmocka_unit_test(t1_4_periods),
        cmocka_unit_test(t1_5_change_effective),
        cmocka_unit_test(t2_1_default_first_day),
        cmocka_unit_test(t2_2_tally),
        cmocka_unit_test(t2_3_hook),
        cmocka_unit_test(t3_1_lines_nl),
        cmocka_unit_test(t3_2_lines_fr_en),
        cmocka_unit_test(t3_3_discount_capped),
        cmocka_unit_test(t3_4_student_without_price),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
