/*
 * test_billing.c — the decision for one subscription period
 * (engine/billing.c), without SQLite. Part 1 runs with no hooks bound and
 * checks the defaults of seed 000: any active day bills the whole period,
 * a wholly paused period is not billed, pauses are counted by civil date.
 * Part 2 binds real hooks in a sandbox — the standard lua/ library and
 * small hook files written to a temporary directory — and checks what a
 * hook is given, when it is asked, and how its failures are reported.
 * Tests run from the repository root so that lua/ resolves.
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

#include "decide/billing.h"
#include "rules/hooks.h"
#include "decide/period.h"
#include "rules/rules.h"
#include "base/util.h"

/* ============================================================ helpers */

static char tmpdir[] = "/tmp/carebill-billing-XXXXXX";
static int nfile;

static cdate P(const char *s)
{
    struct err e = {""};
    cdate d = CDATE_NONE;
    if (date_parse(s, &d, &e) != 0)
        fail_msg("%s", e.msg);
    return d;
}

static const char *fmt(cdate d)
{
    static char buf[4][11];
    static int i;
    i = (i + 1) % 4;
    return date_fmt(d, buf[i]);
}

static struct period month(const char *first)
{
    cdate d = P(first);
    return period_containing(PERIOD_MONTH, ALIGN_CALENDAR, d, d);
}

static struct practice practice(int dd_days_before)
{
    struct practice pr;
    memset(&pr, 0, sizeof pr);
    pr.dd_days_before = dd_days_before;
    return pr;
}

static struct subscription_type subtype(void)
{
    struct subscription_type t;
    memset(&t, 0, sizeof t);
    t.d.kind = "subscription_type";
    t.d.id = "fysio-fit";
    t.period = PERIOD_MONTH;
    t.price_cents = 3100;
    return t;
}

/* A subscription from `start` (to `end`, or open when NULL). */
static struct sub_view sub(const char *start, const char *end)
{
    struct sub_view s;
    memset(&s, 0, sizeof s);
    s.id = 42;
    s.account = "jan-jansen";
    s.account_name = "Jan Jansen";
    s.type = "fysio-fit";
    s.start = P(start);
    s.end_on = end ? P(end) : CDATE_NONE;
    s.quantity = 1;
    return s;
}

static const struct type_hooks unbound = {{-1, NULL, NULL}, {-1, NULL, NULL}};

/* Decide with no hooks bound; must succeed. */
static struct period_decision decide(const struct sub_view *s,
                                     struct period p, int64_t price)
{
    struct practice pr = practice(0);
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};
    memset(&d, 0x5a, sizeof d);
    if (billing_decide(&pr, &t, &unbound, NULL, s, p, price, p.start, &d, &e))
        fail_msg("billing_decide: %s", e.msg);
    /* The same without a type_hooks struct at all. */
    struct period_decision d2;
    assert_int_equal(
        billing_decide(&pr, &t, NULL, NULL, s, p, price, p.start, &d2, &e), 0);
    assert_int_equal(d2.bill, d.bill);
    assert_int_equal(d2.amount_cents, d.amount_cents);
    assert_string_equal(d2.rule, d.rule);
    return d;
}

static char *write_file(const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static struct hook_ref bind(struct hooks *h, const char *path, const char *fn)
{
    struct hook_ref ref = {-1, NULL, NULL};
    struct err e = {""};
    if (hooks_bind(h, path, fn, &ref, &e) != 0)
        fail_msg("bind %s %s: %s", path, fn, e.msg);
    assert_true(ref.ref >= 0);
    return ref;
}

/* Bind function `fn` of a new hook file with the given source. The path
 * is returned through *path when path is non-NULL (caller frees). */
static struct hook_ref bind_src(struct hooks *h, const char *fn,
                                const char *src, char **path)
{
    char name[32];
    snprintf(name, sizeof name, "h%d.lua", ++nfile);
    char *p = write_file(name, src);
    struct hook_ref ref = bind(h, p, fn);
    if (path)
        *path = p;
    else
        free(p);
    return ref;
}

static int group_setup(void **state)
{
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

/* ============================================================ 1. defaults */

/* 1.1 A whole active month bills the price; the decision records the
 * period, its days and the unit price. */
static void t1_1_full_month(void **state)
{
    struct sub_view s = sub("2025-06-01", NULL);
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.p.start, P("2026-01-01"));
    assert_int_equal(d.p.end, P("2026-01-31"));
    assert_int_equal(d.bill, 1);
    assert_int_equal(d.finished, 0);
    assert_int_equal(d.period_days, 31);
    assert_int_equal(d.active_days, 31);
    assert_int_equal(d.paused_days, 0);
    assert_int_equal(d.unit_cents, 3100);
    assert_int_equal(d.amount_cents, 3100);
    assert_string_equal(d.rule, "any active day bills the full period");
    assert_string_equal(fmt(d.invoice_date), "2026-01-01");
}

/* 1.2 One active day is enough: a start on the period's last day, or a
 * stop on its first day, bills the full price. */
static void t1_2_one_active_day(void **state)
{
    struct sub_view s = sub("2026-01-31", NULL);
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 1);
    assert_int_equal(d.active_days, 1);
    assert_int_equal(d.amount_cents, 3100);
    assert_string_equal(d.rule, "any active day bills the full period");

    s = sub("2025-06-01", "2026-02-01");
    d = decide(&s, month("2026-02-01"), 3100);
    assert_int_equal(d.bill, 1);
    assert_int_equal(d.finished, 0);
    assert_int_equal(d.period_days, 28);
    assert_int_equal(d.active_days, 1);
    assert_int_equal(d.amount_cents, 3100);
}

/* 1.3 A pause covering the whole period: nothing billed, rule "wholly
 * paused"; also when the pause starts before and ends after it. */
static void t1_3_wholly_paused(void **state)
{
    struct pause_span pz[] = {{P("2026-01-01"), P("2026-01-31")}};
    struct sub_view s = sub("2025-06-01", NULL);
    s.pauses = pz;
    s.n_pauses = 1;
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.finished, 0);
    assert_int_equal(d.amount_cents, 0);
    assert_int_equal(d.paused_days, 31);
    assert_int_equal(d.active_days, 0);
    assert_string_equal(d.rule, "wholly paused");

    struct pause_span wide[] = {{P("2025-12-20"), P("2026-02-10")}};
    s.pauses = wide;
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.paused_days, 31);
    assert_string_equal(d.rule, "wholly paused");
    /* The months it only touches are partly paused and billed in full. */
    d = decide(&s, month("2025-12-01"), 3100);
    assert_int_equal(d.bill, 1);
    assert_int_equal(d.paused_days, 12);
    assert_int_equal(d.amount_cents, 3100);
    d = decide(&s, month("2026-02-01"), 3100);
    assert_int_equal(d.paused_days, 10);
    assert_int_equal(d.active_days, 18);
    assert_int_equal(d.amount_cents, 3100);

    /* Started on the 20th and paused from the 20th: no active day. */
    struct pause_span rest[] = {{P("2026-01-20"), P("2026-01-31")}};
    s = sub("2026-01-20", NULL);
    s.pauses = rest;
    s.n_pauses = 1;
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.paused_days, 12);
    assert_string_equal(d.rule, "wholly paused");
}

/* 1.4 Partly paused: billed in full, the paused days counted by civil
 * date (10th to 20th inclusive = 11 days). */
static void t1_4_partly_paused(void **state)
{
    struct pause_span pz[] = {{P("2026-01-10"), P("2026-01-20")}};
    struct sub_view s = sub("2025-06-01", NULL);
    s.pauses = pz;
    s.n_pauses = 1;
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 1);
    assert_int_equal(d.paused_days, 11);
    assert_int_equal(d.active_days, 20);
    assert_int_equal(d.amount_cents, 3100);
    assert_string_equal(d.rule, "partly paused, billed in full");
}

/* 1.5 Two pauses in one period add up; together covering every day they
 * make the period wholly paused (killbill#2306). */
static void t1_5_two_pauses(void **state)
{
    struct pause_span pz[] = {{P("2026-01-01"), P("2026-01-05")},
                              {P("2026-01-25"), P("2026-01-31")}};
    struct sub_view s = sub("2025-06-01", NULL);
    s.pauses = pz;
    s.n_pauses = 2;
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 1);
    assert_int_equal(d.paused_days, 12);
    assert_int_equal(d.active_days, 19);
    assert_int_equal(d.amount_cents, 3100);

    struct pause_span all[] = {{P("2026-01-01"), P("2026-01-15")},
                               {P("2026-01-16"), P("2026-01-31")}};
    s.pauses = all;
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.paused_days, 31);
    assert_string_equal(d.rule, "wholly paused");

    /* Pauses outside the period do not count. */
    struct pause_span out[] = {{P("2025-12-01"), P("2025-12-31")},
                               {P("2026-02-01"), P("2026-02-05")}};
    s.pauses = out;
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.paused_days, 0);
    assert_string_equal(d.rule, "any active day bills the full period");
}

/* 1.6 A pause overlapping the period's boundaries counts only its days
 * inside the period, and only the days the subscription runs. */
static void t1_6_pause_across_boundaries(void **state)
{
    struct pause_span pz[] = {{P("2025-12-25"), P("2026-01-03")}};
    struct sub_view s = sub("2025-06-01", NULL);
    s.pauses = pz;
    s.n_pauses = 1;
    struct period_decision d = decide(&s, month("2025-12-01"), 3100);
    assert_int_equal(d.paused_days, 7);
    assert_int_equal(d.active_days, 24);
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.paused_days, 3);
    assert_int_equal(d.active_days, 28);

    /* Started on the 15th, paused 10th..20th: 6 paused days, 11 active. */
    struct pause_span early[] = {{P("2026-01-10"), P("2026-01-20")}};
    s = sub("2026-01-15", NULL);
    s.pauses = early;
    s.n_pauses = 1;
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.paused_days, 6);
    assert_int_equal(d.active_days, 11);
    assert_int_equal(d.amount_cents, 3100);

    /* Stopped on the 15th, paused 10th..31st: 6 paused, 9 active. */
    struct pause_span late[] = {{P("2026-01-10"), P("2026-01-31")}};
    s = sub("2025-06-01", "2026-01-15");
    s.pauses = late;
    s.n_pauses = 1;
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.paused_days, 6);
    assert_int_equal(d.active_days, 9);
    assert_int_equal(d.bill, 1);
}

/* 1.7 A stop before the period finishes the subscription; a period
 * before the start has no active day. Neither bills. */
static void t1_7_stopped_and_not_started(void **state)
{
    struct sub_view s = sub("2025-06-01", "2025-12-31");
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.finished, 1);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.amount_cents, 0);
    assert_string_equal(d.rule, "stopped before the period");
    /* The period it stops in is not finished. */
    d = decide(&s, month("2025-12-01"), 3100);
    assert_int_equal(d.finished, 0);
    assert_int_equal(d.bill, 1);

    s = sub("2026-02-10", NULL);
    d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.finished, 0);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.active_days, 0);
    assert_string_equal(d.rule, "no active day");
}

/* 1.8 Quantity multiplies the unit price; a zero price bills nothing. */
static void t1_8_quantity_and_zero(void **state)
{
    struct sub_view s = sub("2025-06-01", NULL);
    s.quantity = 3;
    struct period_decision d = decide(&s, month("2026-01-01"), 3100);
    assert_int_equal(d.unit_cents, 3100);
    assert_int_equal(d.amount_cents, 9300);
    assert_int_equal(d.bill, 1);

    s.quantity = 1;
    d = decide(&s, month("2026-01-01"), 0);
    assert_int_equal(d.amount_cents, 0);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.finished, 0);
}

/* 1.9 The invoice date: the period's start; the start date for a first
 * period that began earlier; dd_days_before earlier for direct debit. */
static void t1_9_invoice_date(void **state)
{
    struct practice pr = practice(5);
    struct sub_view s = sub("2026-01-15", NULL);
    assert_string_equal(fmt(billing_invoice_date(&pr, &s, month("2026-02-01"))),
                        "2026-02-01");
    assert_string_equal(fmt(billing_invoice_date(&pr, &s, month("2026-01-01"))),
                        "2026-01-15");
    s.direct_debit = 1;
    assert_string_equal(fmt(billing_invoice_date(&pr, &s, month("2026-02-01"))),
                        "2026-01-27");
    assert_string_equal(fmt(billing_invoice_date(&pr, &s, month("2026-03-01"))),
                        "2026-02-24");
    assert_string_equal(fmt(billing_invoice_date(&pr, &s, month("2026-01-01"))),
                        "2026-01-10");
    pr.dd_days_before = 0;
    assert_string_equal(fmt(billing_invoice_date(&pr, &s, month("2026-02-01"))),
                        "2026-02-01");

    /* billing_decide fills the same date. */
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};
    pr.dd_days_before = 3;
    assert_int_equal(billing_decide(&pr, &t, &unbound, NULL, &s,
                                    month("2026-02-01"), 3100, P("2026-01-29"),
                                    &d, &e),
                     0);
    assert_string_equal(fmt(d.invoice_date), "2026-01-29");
}

/* ============================================================ 2. hooks */

/* 2.1 lua/daily_proration.lua: 3100 for 12 of 31 days is 1200; a whole
 * period is the price; ctx.price is the whole period's price, so
 * quantity 2 gives 2400. */
static void t2_1_daily_proration(void **state)
{
    struct hooks *h = hooks_new(NULL);
    assert_non_null(h);
    struct type_hooks th = unbound;
    th.prorate = bind(h, "lua/daily_proration.lua", "prorate");
    struct practice pr = practice(0);
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};

    struct sub_view s = sub("2026-01-20", NULL);
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-20"), &d, &e),
                     0);
    assert_int_equal(d.active_days, 12);
    assert_int_equal(d.amount_cents, 1200);
    assert_int_equal(d.bill, 1);
    assert_string_equal(d.rule, "prorate hook");

    s.quantity = 2;
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-20"), &d, &e),
                     0);
    assert_int_equal(d.unit_cents, 3100);
    assert_int_equal(d.amount_cents, 2400);

    s.quantity = 1;
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-02-01"),
                                    3100, P("2026-02-01"), &d, &e),
                     0);
    assert_int_equal(d.amount_cents, 3100);
    assert_string_equal(d.rule, "prorate hook");

    /* Stopped on 10 Feb: 10 of 28 days of 45.00 = 1607.14 → 1607. */
    s = sub("2025-06-01", "2026-02-10");
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-02-01"),
                                    4500, P("2026-02-01"), &d, &e),
                     0);
    assert_int_equal(d.amount_cents, 1607);
    hooks_free(h);
}

/* 2.2 What a hook sees: every ctx field, checked inside the hook. */
static void t2_2_context(void **state)
{
    struct hooks *h = hooks_new(NULL);
    struct type_hooks th = unbound;
    th.prorate = bind_src(
        h, "prorate",
        "local want = {price = 9300, unit_price = 3100, quantity = 3,\n"
        "  period_start = '2026-01-01', period_end = '2026-01-31',\n"
        "  period_days = 31, active_days = 16, paused_days = 3,\n"
        "  run_date = '2026-01-02'}\n"
        "function prorate(ctx)\n"
        "  for k, v in pairs(want) do\n"
        "    if ctx[k] ~= v then error(k .. ' = ' .. tostring(ctx[k])) end\n"
        "  end\n"
        "  assert(ctx.account.id == 'jan-jansen', ctx.account.id)\n"
        "  assert(ctx.account.name == 'Jan Jansen', ctx.account.name)\n"
        "  assert(ctx.subscription.id == 42)\n"
        "  assert(ctx.subscription.type == 'fysio-fit')\n"
        "  assert(ctx.subscription.start == '2026-01-13')\n"
        "  assert(math.type(ctx.price) == 'integer')\n"
        "  return 777\n"
        "end\n",
        NULL);
    struct practice pr = practice(0);
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};
    struct pause_span pz[] = {{P("2026-01-20"), P("2026-01-22")}};
    struct sub_view s = sub("2026-01-13", NULL);
    s.quantity = 3;
    s.pauses = pz;
    s.n_pauses = 1;
    if (billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"), 3100,
                       P("2026-01-02"), &d, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(d.amount_cents, 777);
    /* No pause hook bound: the prorate hook decides a paused period. */
    assert_string_equal(d.rule, "prorate hook");

    /* Without an account name the hook sees "". */
    th.prorate = bind_src(h, "prorate",
                          "function prorate(ctx)\n"
                          "  return #ctx.account.name\n"
                          "end\n",
                          NULL);
    s.account_name = NULL;
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-02"), &d, &e),
                     0);
    assert_int_equal(d.amount_cents, 0);
    assert_int_equal(d.bill, 0);
    hooks_free(h);
}

/* 2.3 The pause hook is asked only for a partly paused period; an
 * unpaused period goes to the prorate hook, a wholly paused one to no
 * hook at all (the pause hook here would fail if called). */
static void t2_3_pause_hook_only_when_partly_paused(void **state)
{
    struct hooks *h = hooks_new(NULL);
    struct type_hooks th = unbound;
    th.prorate = bind_src(h, "prorate",
                          "function prorate(ctx) return 1 end\n", NULL);
    th.pause = bind(h, "lua/pause_pro_rata.lua", "pause");
    struct practice pr = practice(0);
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};

    struct sub_view s = sub("2025-06-01", NULL);
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     0);
    assert_int_equal(d.amount_cents, 1);
    assert_string_equal(d.rule, "prorate hook");

    /* Paused 10th..20th (11 days): 3100 × 20 / 31 = 2000. */
    struct pause_span pz[] = {{P("2026-01-10"), P("2026-01-20")}};
    s.pauses = pz;
    s.n_pauses = 1;
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     0);
    assert_int_equal(d.paused_days, 11);
    assert_int_equal(d.amount_cents, 2000);
    assert_string_equal(d.rule, "pause hook");

    th.pause = bind_src(h, "pause",
                        "function pause(ctx) error('must not be called') end\n",
                        NULL);
    struct pause_span all[] = {{P("2025-12-01"), P("2026-02-28")}};
    s.pauses = all;
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     0);
    assert_int_equal(d.bill, 0);
    assert_int_equal(d.amount_cents, 0);
    assert_string_equal(d.rule, "wholly paused");

    /* Only a pause hook bound: an unpaused period bills in full. */
    th.prorate.ref = -1;
    s.n_pauses = 0;
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     0);
    assert_int_equal(d.amount_cents, 3100);
    assert_string_equal(d.rule, "any active day bills the full period");
    hooks_free(h);
}

/* 2.4 A negative amount is an error naming the hook, the account and the
 * subscription. */
static void t2_4_negative_amount(void **state)
{
    struct hooks *h = hooks_new(NULL);
    struct type_hooks th = unbound;
    char *path;
    th.prorate = bind_src(h, "prorate",
                          "function prorate(ctx)\n  return -5\nend\n", &path);
    struct practice pr = practice(0);
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};
    struct sub_view s = sub("2025-06-01", NULL);
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     -1);
    char *want = xasprintf("hook prorate (%s): returned -5, expected an amount "
                           ">= 0 (account jan-jansen, subscription 42)", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    hooks_free(h);
}

/* 2.5 A failing hook: its message (hook, file:line) is followed by the
 * account and subscription being evaluated; non-integer results too. */
static void t2_5_hook_errors(void **state)
{
    struct hooks *h = hooks_new(NULL);
    struct type_hooks th = unbound;
    char *path;
    struct practice pr = practice(0);
    struct subscription_type t = subtype();
    struct period_decision d;
    struct err e = {""};
    struct sub_view s = sub("2025-06-01", NULL);

    th.prorate = bind_src(h, "prorate",
                          "function prorate(ctx)\n"
                          "  error('no tariff for ' .. ctx.subscription.type)\n"
                          "end\n",
                          &path);
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     -1);
    char *want = xasprintf("hook prorate (%s:2): no tariff for fysio-fit "
                           "(evaluating account jan-jansen, subscription 42)",
                           path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    th.prorate = bind_src(h, "prorate",
                          "function prorate(ctx)\n  return ctx.price / 3\nend\n",
                          &path);
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     -1);
    want = xasprintf("hook prorate (%s): returned 1033.3333333333, expected an "
                     "integer number of cents (evaluating account jan-jansen, "
                     "subscription 42)", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    th.prorate = bind_src(h, "prorate",
                          "function prorate(ctx)\n  return nil\nend\n", &path);
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     -1);
    want = xasprintf("hook prorate (%s): returned nil, expected an integer "
                     "number of cents (evaluating account jan-jansen, "
                     "subscription 42)", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    /* The pause hook's failure names the pause hook. */
    th.prorate.ref = -1;
    th.pause = bind_src(h, "pause",
                        "function pause(ctx)\n  local x = nil\n"
                        "  return x.days\nend\n",
                        &path);
    struct pause_span pz[] = {{P("2026-01-10"), P("2026-01-12")}};
    s.pauses = pz;
    s.n_pauses = 1;
    s.id = 7;
    s.account = "marie";
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     -1);
    want = xasprintf("hook pause (%s:3): attempt to index a nil value (local "
                     "'x') (evaluating account marie, subscription 7)", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    /* After the failures the sandbox still decides. */
    th.pause = bind(h, "lua/pause_pro_rata.lua", "pause");
    assert_int_equal(billing_decide(&pr, &t, &th, h, &s, month("2026-01-01"),
                                    3100, P("2026-01-01"), &d, &e),
                     0);
    assert_int_equal(d.amount_cents, 2800); /* 3100 × 28 / 31 */
    hooks_free(h);
}

/* ======================================================= 3. line drafts */

static struct vat_rate vat0 = {.d = {.id = "zorg"}, .bp = 0, .exempt = 1,
                               .exempt_text = "Vrijgesteld"};

/* Bill period p of s into a fresh draft; the draft is returned. */
static struct invoice lines_for(struct sub_view *s, struct period p,
                                int64_t price, struct period_decision *d)
{
    struct practice pr = practice(0);
    static struct subscription_type t;
    t = subtype();
    t.d.name = "Fysio Fit";
    t.vat = &vat0;
    struct billable b = {BILLABLE_SUBSCRIPTION, &t, s};
    struct billing_state st = {price, &unbound, NULL, p.start};
    struct invoice inv;
    struct party to = {.id = "jan-jansen", .name = "Jan Jansen"};
    struct err e = {""};
    pr.locale = "nl";
    pr.payment_term_days = 14;
    invoice_draft(&inv, &pr, INV_SUBSCRIPTION, &to, NULL, p.start, 0);
    if (billing_lines(&pr, &b, p, &st, d, &inv, &e) != 0)
        fail_msg("billing_lines: %s", e.msg);
    return inv;
}

/* 3.1 A billed month is one line: the type's name and the period, the
 * quantity in units at the unit price, its source, subscription, period
 * and reference, and a sentence saying why. */
static void t3_1_one_line(void **state)
{
    struct sub_view s = sub("2026-01-01", NULL);
    s.quantity = 2;
    struct period_decision d;
    struct invoice inv = lines_for(&s, month("2026-03-01"), 3100, &d);
    assert_int_equal(inv.n_lines, 1);
    const struct invoice_line *l = &inv.lines[0];
    assert_string_equal(l->description, "Fysio Fit 2026-03-01..2026-03-31");
    assert_int_equal(l->qty100, 200);
    assert_int_equal(l->unit_cents, 3100);
    assert_int_equal(l->amount_cents, 6200);
    assert_string_equal(l->source, "subscription");
    assert_int_equal(l->subscription, 42);
    assert_string_equal(fmt(l->period_start), "2026-03-01");
    assert_string_equal(fmt(l->period_end), "2026-03-31");
    assert_string_equal(l->ref, "fysio-fit");
    assert_string_equal(l->vat_id, "zorg");
    char *why = billing_line_why(l);
    assert_non_null(strstr(why, "subscription 42 (fysio-fit) period "
                                "2026-03-01..2026-03-31: any active day "
                                "bills the full period; price 31.00"));
    assert_non_null(strstr(why, "31 of 31 days active, 0 paused"));
    free(why);
    /* The header came from the one draft builder. */
    assert_int_equal(inv.kind, INV_SUBSCRIPTION);
    assert_string_equal(fmt(inv.due), "2026-03-15");
    assert_string_equal(inv.locale, "nl");
    invoice_free(&inv);
}

/* 3.2 A period that is not billed adds no line; the decision says why. */
static void t3_2_no_line(void **state)
{
    struct sub_view s = sub("2026-01-01", NULL);
    struct pause_span pz = {P("2026-03-01"), P("2026-03-31")};
    s.pauses = &pz;
    s.n_pauses = 1;
    struct period_decision d;
    struct invoice inv = lines_for(&s, month("2026-03-01"), 3100, &d);
    assert_int_equal(inv.n_lines, 0);
    assert_int_equal(d.bill, 0);
    assert_string_equal(d.rule, "wholly paused");
    invoice_free(&inv);
    /* A price of zero bills nothing either. */
    struct sub_view s2 = sub("2026-01-01", NULL);
    inv = lines_for(&s2, month("2026-04-01"), 0, &d);
    assert_int_equal(inv.n_lines, 0);
    invoice_free(&inv);
}

/* 3.3 The sentence is written out to the byte: money as money_fmt gives
 * it (a sign, whole units, two decimals), periods as period_fmt. */
static void t3_3_why_text(void **state)
{
    struct period p = month("2026-02-01");
    char *w = billing_why(7, "maand", p, billing_rule_full, 4500, 28, 28, 0);
    assert_string_equal(w, "subscription 7 (maand) period "
                           "2026-02-01..2026-02-28: any active day bills the "
                           "full period; price 45.00 in force on 2026-02-01; "
                           "28 of 28 days active, 0 paused");
    free(w);
    w = billing_why(9223372036854775807LL, "t", p, "pause hook", -5, 3, 28,
                    25);
    assert_string_equal(w, "subscription 9223372036854775807 (t) period "
                           "2026-02-01..2026-02-28: pause hook; price -0.05 "
                           "in force on 2026-02-01; 3 of 28 days active, 25 "
                           "paused");
    free(w);
    w = billing_why(1, "t", p, "x", 100000007, 0, 28, 0);
    assert_non_null(strstr(w, "price 1000000.07 in force"));
    free(w);
}

/* 3.4 A month billed in full with every day active: the line's own
 * columns rebuild its sentence exactly, so the ledger need not store it. */
static void t3_4_why_derived(void **state)
{
    struct sub_view s = sub("2026-01-01", NULL);
    s.quantity = 2;
    struct period_decision d;
    struct invoice inv = lines_for(&s, month("2026-03-01"), 3100, &d);
    assert_int_equal(inv.n_lines, 1);
    /* The draft holds no sentence, only that its columns rebuild it: the
     * sentence the decision itself would have written. */
    assert_null(inv.lines[0].why);
    assert_int_equal(inv.lines[0].why_derived, 1);
    char *w = billing_why_derived(&inv.lines[0]);
    char *full = billing_why(42, "fysio-fit", d.p, d.rule, d.unit_cents,
                             d.active_days, d.period_days, d.paused_days);
    assert_non_null(w);
    assert_string_equal(w, full);
    free(w);
    w = billing_line_why(&inv.lines[0]);
    assert_string_equal(w, full);
    free(w);
    free(full);
    invoice_free(&inv);
}

/* 3.5 A sentence the columns do not give (a first month begun on the
 * 20th, a prorated or paused one) differs from the rebuilt one, so the
 * ledger keeps it; a line that is no subscription line rebuilds nothing. */
static void t3_5_why_kept(void **state)
{
    struct sub_view s = sub("2026-03-20", NULL);
    struct period_decision d;
    struct invoice inv = lines_for(&s, month("2026-03-01"), 3100, &d);
    assert_int_equal(inv.n_lines, 1);
    assert_int_equal(inv.lines[0].why_derived, 0);
    assert_non_null(strstr(inv.lines[0].why, "12 of 31 days active"));
    char *w = billing_why_derived(&inv.lines[0]);
    assert_non_null(w);
    assert_string_not_equal(w, inv.lines[0].why);
    free(w);
    struct invoice_line l = inv.lines[0];
    l.source = "product";
    assert_null(billing_why_derived(&l));
    l = inv.lines[0];
    l.ref = NULL;
    assert_null(billing_why_derived(&l));
    l = inv.lines[0];
    l.period_start = CDATE_NONE;
    assert_null(billing_why_derived(&l));
    l = inv.lines[0];
    l.subscription = 0;
    assert_null(billing_why_derived(&l));
    invoice_free(&inv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_full_month),
        cmocka_unit_test(t1_2_one_active_day),
        cmocka_unit_test(t1_3_wholly_paused),
        cmocka_unit_test(t1_4_partly_paused),
        cmocka_unit_test(t1_5_two_pauses),
        cmocka_unit_test(t1_6_pause_across_boundaries),
        cmocka_unit_test(t1_7_stopped_and_not_started),
        cmocka_unit_test(t1_8_quantity_and_zero),
        cmocka_unit_test(t1_9_invoice_date),
        cmocka_unit_test(t2_1_daily_proration),
        cmocka_unit_test(t2_2_context),
        cmocka_unit_test(t2_3_pause_hook_only_when_partly_paused),
        cmocka_unit_test(t2_4_negative_amount),
        cmocka_unit_test(t2_5_hook_errors),
        cmocka_unit_test(t3_1_one_line),
        cmocka_unit_test(t3_2_no_line),
        cmocka_unit_test(t3_3_why_text),
        cmocka_unit_test(t3_4_why_derived),
        cmocka_unit_test(t3_5_why_kept),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
