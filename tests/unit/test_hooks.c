/*
 * test_hooks.c — unit tests of the Lua sandbox (engine/hooks.c) and the
 * standard hook library (lua/). Hook files are written into a fresh
 * temporary directory; the lua/ files are opened relative to the
 * repository root, from which the tests run. Every failure kind is
 * provoked and its exact message checked, and after each failure the
 * same sandbox must serve a normal call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "rules/hooks.h"
#include "base/util.h"

/* ============================================================ helpers */

static char tmpdir[] = "/tmp/carebill-hooks-XXXXXX";
static int nfile;

/* Write text to a new file in tmpdir; returns its path (caller frees). */
static char *write_file(const char *name, const char *text, size_t len)
{
    char *path = xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

static char *write_hook(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

#define assert_contains(hay, needle)                                        \
    do {                                                                    \
        if (!strstr((hay), (needle)))                                       \
            fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle));    \
    } while (0)

static struct hooks *sandbox(int64_t instructions, int64_t memory)
{
    struct hook_limits lim = {instructions, memory};
    struct hooks *h = hooks_new(&lim);
    assert_non_null(h);
    return h;
}

static void bind_ok(struct hooks *h, const char *path, const char *func,
                    struct hook_ref *ref)
{
    struct err e = {""};
    if (hooks_bind(h, path, func, ref, &e) != 0)
        fail_msg("bind %s %s: %s", path, func, e.msg);
}

/* Bind `f` of a new file "function f(ctx) <body> end". */
static struct hook_ref fn_hook(struct hooks *h, const char *body)
{
    char name[32];
    struct hook_ref ref;
    snprintf(name, sizeof name, "f%d.lua", ++nfile);
    char *src = xasprintf("function f(ctx)\n  %s\nend\n", body);
    char *path = write_hook(name, src);
    bind_ok(h, path, "f", &ref);
    free(src);
    free(path);
    return ref;
}

static int64_t eval_int(struct hooks *h, const char *expr)
{
    struct err e = {""};
    int64_t v;
    char *body = xasprintf("return %s", expr);
    struct hook_ref ref = fn_hook(h, body);
    free(body);
    if (hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e) != HOOK_OK)
        fail_msg("%s: %s", expr, e.msg);
    return v;
}

static const char *eval_date(struct hooks *h, const char *expr)
{
    static char buf[11];
    struct err e = {""};
    cdate d;
    char *body = xasprintf("return %s", expr);
    struct hook_ref ref = fn_hook(h, body);
    free(body);
    if (hooks_call_date(h, &ref, NULL, 0, &d, &e) != HOOK_OK)
        fail_msg("%s: %s", expr, e.msg);
    return date_fmt(d, buf);
}

/* Run `body` as a hook; expect failure kind f with a message containing
 * want. */
static void expect_fail(struct hooks *h, const char *body,
                        enum hook_failure f, const char *want)
{
    struct err e = {""};
    int64_t v;
    struct hook_ref ref = fn_hook(h, body);
    enum hook_failure got = hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e);
    if (got != f)
        fail_msg("%s: got %s (%s), expected %s", body,
                 hooks_failure_name(got), e.msg, hooks_failure_name(f));
    assert_contains(e.msg, want);
}

/* The sandbox still answers a plain call. */
static void still_works(struct hooks *h)
{
    assert_int_equal(eval_int(h, "cb.muldiv(4500, 10, 30)"), 1500);
}

static int group_setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    (void)state;
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

/* ============================================================ 1. cb */

/* 1.1 cb.weekday */
static void test_cb_weekday(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_int_equal(eval_int(h, "cb.weekday('2026-01-05')"), 1);
    assert_int_equal(eval_int(h, "cb.weekday('2026-01-01')"), 4);
    assert_int_equal(eval_int(h, "cb.weekday('2026-03-07')"), 6);
    assert_int_equal(eval_int(h, "cb.weekday('2026-03-08')"), 7);
    assert_int_equal(eval_int(h, "cb.weekday('2024-02-29')"), 4);
    expect_fail(h, "return cb.weekday('2026-02-30')", HOOK_SCRIPT_ERROR,
                "bad argument #1 to 'cb.weekday' (invalid date "
                "'2026-02-30' (no such day))");
    expect_fail(h, "return cb.weekday(20260101)", HOOK_SCRIPT_ERROR,
                "bad argument #1 to 'cb.weekday' (date string "
                "\"YYYY-MM-DD\" expected, got number)");
    expect_fail(h, "return cb.weekday('1.1.2026')", HOOK_SCRIPT_ERROR,
                "invalid date '1.1.2026' (expected YYYY-MM-DD)");
    expect_fail(h, "return cb.weekday()", HOOK_SCRIPT_ERROR,
                "got no value");
    hooks_free(h);
}

/* 1.2 cb.add_days */
static void test_cb_add_days(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_string_equal(eval_date(h, "cb.add_days('2026-01-31', 1)"),
                        "2026-02-01");
    assert_string_equal(eval_date(h, "cb.add_days('2024-03-01', -1)"),
                        "2024-02-29");
    assert_string_equal(eval_date(h, "cb.add_days('2026-12-31', 0)"),
                        "2026-12-31");
    assert_string_equal(eval_date(h, "cb.add_days('2026-01-01', 365)"),
                        "2027-01-01");
    assert_string_equal(eval_date(h, "cb.add_days('2026-01-01', 2.0)"),
                        "2026-01-03");
    expect_fail(h, "return cb.add_days('2026-01-01', 1.5)", HOOK_SCRIPT_ERROR,
                "bad argument #2 to 'cb.add_days' (number has no integer "
                "representation)");
    expect_fail(h, "return cb.add_days('2026-01-01', '1')", HOOK_SCRIPT_ERROR,
                "bad argument #2 to 'cb.add_days' (integer expected, got "
                "string)");
    expect_fail(h, "return cb.add_days('2999-12-31', 1)", HOOK_SCRIPT_ERROR,
                "bad result of 'cb.add_days' (date out of range, years "
                "1900..2999)");
    expect_fail(h, "return cb.add_days('2026-01-01', math.mininteger)",
                HOOK_SCRIPT_ERROR, "date out of range");
    hooks_free(h);
}

/* 1.3 cb.add_months clamps to the month's last day */
static void test_cb_add_months(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_string_equal(eval_date(h, "cb.add_months('2026-01-31', 1)"),
                        "2026-02-28");
    assert_string_equal(eval_date(h, "cb.add_months('2024-01-31', 1)"),
                        "2024-02-29");
    assert_string_equal(eval_date(h, "cb.add_months('2026-01-31', 2)"),
                        "2026-03-31");
    assert_string_equal(eval_date(h, "cb.add_months('2026-03-31', -1)"),
                        "2026-02-28");
    assert_string_equal(eval_date(h, "cb.add_months('2026-11-15', 3)"),
                        "2027-02-15");
    assert_string_equal(eval_date(h, "cb.add_months('2026-01-15', -13)"),
                        "2024-12-15");
    expect_fail(h, "return cb.add_months('2026-01-15', 12000)",
                HOOK_SCRIPT_ERROR, "bad result of 'cb.add_months' (date out "
                                   "of range");
    expect_fail(h, "return cb.add_months('2026-01-15')", HOOK_SCRIPT_ERROR,
                "bad argument #2 to 'cb.add_months' (integer expected, got "
                "no value)");
    hooks_free(h);
}

/* 1.4 cb.days and cb.days_in_month */
static void test_cb_days(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_int_equal(eval_int(h, "cb.days('2026-01-01', '2026-02-01')"), 31);
    assert_int_equal(eval_int(h, "cb.days('2026-02-01', '2026-01-01')"), -31);
    assert_int_equal(eval_int(h, "cb.days('2026-05-05', '2026-05-05')"), 0);
    assert_int_equal(eval_int(h, "cb.days('2024-01-01', '2025-01-01')"), 366);
    assert_int_equal(eval_int(h, "cb.days_in_month('2026-02-10')"), 28);
    assert_int_equal(eval_int(h, "cb.days_in_month('2024-02-01')"), 29);
    assert_int_equal(eval_int(h, "cb.days_in_month('2026-04-30')"), 30);
    assert_int_equal(eval_int(h, "cb.days_in_month('2026-12-01')"), 31);
    expect_fail(h, "return cb.days('2026-01-01')", HOOK_SCRIPT_ERROR,
                "bad argument #2 to 'cb.days'");
    expect_fail(h, "return cb.days_in_month('2026-13-01')",
                HOOK_SCRIPT_ERROR, "bad argument #1 to 'cb.days_in_month' "
                                   "(invalid date '2026-13-01' (no such "
                                   "day))");
    hooks_free(h);
}

/* 1.5 cb.round: halves away from zero */
static void test_cb_round(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_int_equal(eval_int(h, "cb.round(2.5)"), 3);
    assert_int_equal(eval_int(h, "cb.round(-2.5)"), -3);
    assert_int_equal(eval_int(h, "cb.round(0.5)"), 1);
    assert_int_equal(eval_int(h, "cb.round(2.4999)"), 2);
    assert_int_equal(eval_int(h, "cb.round(-0.4)"), 0);
    assert_int_equal(eval_int(h, "cb.round(7)"), 7);
    assert_int_equal(eval_int(h, "cb.round(4500 * 15 / 31)"), 2177);
    assert_int_equal(eval_int(h, "math.type(cb.round(2.5)) == 'integer' "
                                 "and 1 or 0"), 1);
    expect_fail(h, "return cb.round('2.5')", HOOK_SCRIPT_ERROR,
                "bad argument #1 to 'cb.round' (number expected, got "
                "string)");
    expect_fail(h, "return cb.round(0/0)", HOOK_SCRIPT_ERROR,
                "bad argument #1 to 'cb.round' (not a finite number)");
    expect_fail(h, "return cb.round(math.huge)", HOOK_SCRIPT_ERROR,
                "not a finite number");
    expect_fail(h, "return cb.round(1e300)", HOOK_SCRIPT_ERROR,
                "bad argument #1 to 'cb.round' (out of integer range)");
    /* 2^63 is just past the integers; -2^63 is the smallest of them. */
    expect_fail(h, "return cb.round(2^63)", HOOK_SCRIPT_ERROR,
                "bad argument #1 to 'cb.round' (out of integer range)");
    assert_int_equal(eval_int(h, "cb.round(-2^63)"), INT64_MIN);
    hooks_free(h);
}

/* 1.6 cb.muldiv: exact, halves away from zero */
static void test_cb_muldiv(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_int_equal(eval_int(h, "cb.muldiv(4500, 10, 30)"), 1500);
    assert_int_equal(eval_int(h, "cb.muldiv(4500, 15, 31)"), 2177);
    assert_int_equal(eval_int(h, "cb.muldiv(4500, 16, 31)"), 2323);
    assert_int_equal(eval_int(h, "cb.muldiv(1, 1, 2)"), 1);
    assert_int_equal(eval_int(h, "cb.muldiv(-1, 1, 2)"), -1);
    assert_int_equal(eval_int(h, "cb.muldiv(1, 1, 3)"), 0);
    assert_int_equal(eval_int(h, "cb.muldiv(5, 1, -2)"), -3);
    assert_int_equal(eval_int(h, "cb.muldiv(0, 7, 9)"), 0);
    assert_int_equal(eval_int(h, "cb.muldiv(math.maxinteger, 3, 3)"),
                     INT64_MAX);
    assert_int_equal(eval_int(h, "cb.muldiv(math.mininteger, 2, 2)"),
                     INT64_MIN);
    assert_int_equal(eval_int(h, "cb.muldiv(4500.0, 10, 30)"), 1500);
    expect_fail(h, "return cb.muldiv(1, 1, 0)", HOOK_SCRIPT_ERROR,
                "bad argument #3 to 'cb.muldiv' (division by zero)");
    expect_fail(h, "return cb.muldiv(math.maxinteger, 3, 1)",
                HOOK_SCRIPT_ERROR, "bad result of 'cb.muldiv' (out of "
                                   "integer range)");
    /* A negative divisor moves the sign; -2^63 / -1 does not fit. */
    assert_int_equal(eval_int(h, "cb.muldiv(4500, 15, -31)"), -2177);
    assert_int_equal(eval_int(h, "cb.muldiv(-1, 1, -2)"), 1);
    expect_fail(h, "return cb.muldiv(math.mininteger, 1, -1)",
                HOOK_SCRIPT_ERROR, "bad result of 'cb.muldiv' (out of "
                                   "integer range)");
    expect_fail(h, "return cb.muldiv(4500, 0.5, 1)", HOOK_SCRIPT_ERROR,
                "bad argument #2 to 'cb.muldiv' (number has no integer "
                "representation)");
    expect_fail(h, "return cb.muldiv(4500, 1)", HOOK_SCRIPT_ERROR,
                "bad argument #3 to 'cb.muldiv' (integer expected, got no "
                "value)");
    hooks_free(h);
}

/* ============================================================ 2. lua/ */

static int64_t call_period(struct hooks *h, const char *file,
                           const char *func, int64_t price, int64_t active,
                           int64_t paused, int64_t days)
{
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;
    struct hook_kv ctx[] = {
        HKV_I("price", price),
        HKV_I("quantity", 1),
        HKV_S("period_start", "2026-01-01"),
        HKV_S("period_end", "2026-01-31"),
        HKV_I("period_days", days),
        HKV_I("active_days", active),
        HKV_I("paused_days", paused),
        HKV_S("run_date", "2026-01-01"),
        HKV_I("account.id", 7),
        HKV_S("account.name", "Jansen"),
        HKV_I("subscription.id", 12),
        HKV_S("subscription.type", "fysio-maand"),
        HKV_S("subscription.start", "2025-06-15"),
    };
    bind_ok(h, file, func, &ref);
    if (hooks_call_int(h, &ref, ctx, sizeof ctx / sizeof ctx[0], &v, NULL,
                       &e) != HOOK_OK)
        fail_msg("%s: %s", file, e.msg);
    return v;
}

/* 2.1 lua/daily_proration.lua */
static void test_lua_daily_proration(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    const char *f = "lua/daily_proration.lua";
    assert_int_equal(call_period(h, f, "prorate", 4500, 10, 0, 30), 1500);
    assert_int_equal(call_period(h, f, "prorate", 4500, 15, 0, 31), 2177);
    assert_int_equal(call_period(h, f, "prorate", 4500, 16, 0, 31), 2323);
    assert_int_equal(call_period(h, f, "prorate", 3, 1, 0, 2), 2);
    assert_int_equal(call_period(h, f, "prorate", 4500, 31, 0, 31), 4500);
    assert_int_equal(call_period(h, f, "prorate", 4500, 0, 0, 31), 0);
    assert_int_equal(call_period(h, f, "prorate", 4500, 1, 0, 28), 161);
    hooks_free(h);
}

/* 2.2 lua/pause_pro_rata.lua */
static void test_lua_pause_pro_rata(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    const char *f = "lua/pause_pro_rata.lua";
    assert_int_equal(call_period(h, f, "pause", 4500, 20, 10, 30), 3000);
    assert_int_equal(call_period(h, f, "pause", 4500, 16, 15, 31), 2323);
    assert_int_equal(call_period(h, f, "pause", 4500, 1, 30, 31), 145);
    assert_int_equal(call_period(h, f, "pause", 4500, 0, 30, 30), 0);
    assert_int_equal(call_period(h, f, "pause", 4500, 30, 0, 30), 4500);
    hooks_free(h);
}

static const char *call_reminder(struct hooks *h, const char *due_at)
{
    static char buf[11];
    struct hook_ref ref;
    struct err e = {""};
    cdate d;
    struct hook_kv ctx[] = {
        HKV_S("invoice.number", "2026-00042"),
        HKV_S("invoice.issued", "2026-02-01"),
        HKV_S("invoice.due", "2026-02-15"),
        HKV_I("invoice.open_cents", 4500),
        HKV_I("step", 1),
        HKV_S("due_at", due_at),
        HKV_S("run_date", "2026-03-01"),
        HKV_I("account.id", 7),
    };
    bind_ok(h, "lua/skip_weekends.lua", "reminder_at", &ref);
    if (hooks_call_date(h, &ref, ctx, sizeof ctx / sizeof ctx[0], &d, &e) !=
        HOOK_OK)
        fail_msg("skip_weekends %s: %s", due_at, e.msg);
    return date_fmt(d, buf);
}

/* 2.3 lua/skip_weekends.lua */
static void test_lua_skip_weekends(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    cdate sat, sun, wed;
    assert_int_equal(date_parse("2026-03-07", &sat, NULL), 0);
    assert_int_equal(date_parse("2026-03-08", &sun, NULL), 0);
    assert_int_equal(date_parse("2026-03-04", &wed, NULL), 0);
    assert_int_equal(date_weekday(sat), 6);
    assert_int_equal(date_weekday(sun), 7);
    assert_int_equal(date_weekday(wed), 3);
    assert_string_equal(call_reminder(h, "2026-03-07"), "2026-03-09");
    assert_string_equal(call_reminder(h, "2026-03-08"), "2026-03-09");
    assert_string_equal(call_reminder(h, "2026-03-04"), "2026-03-04");
    assert_string_equal(call_reminder(h, "2026-01-31"), "2026-02-02");
    assert_string_equal(call_reminder(h, "2026-03-09"), "2026-03-09");
    hooks_free(h);
}

/* ============================================================ 3. errors */

/* 3.1 a runtime error names the hook and file:line */
static void test_error_runtime(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;
    struct hook_kv ctx[] = {HKV_I("price", 4500)};

    char *path = write_hook("bad.lua", "-- a broken hook\n"
                                       "function prorate(ctx)\n"
                                       "  return ctx.price + ctx.nope\n"
                                       "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, ctx, 1, &v, NULL, &e),
                     HOOK_SCRIPT_ERROR);
    char *want = xasprintf("hook prorate (%s:3): attempt to perform "
                           "arithmetic on a nil value (field 'nope')", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    path = write_hook("raise.lua", "function prorate(ctx)\n"
                                   "  error('no price for ' .. ctx.price)\n"
                                   "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, ctx, 1, &v, NULL, &e),
                     HOOK_SCRIPT_ERROR);
    want = xasprintf("hook prorate (%s:2): no price for 4500", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    /* Error values without a position still get the line. */
    path = write_hook("raise0.lua", "function prorate(ctx)\n"
                                    "  local x = 1\n"
                                    "  error({code = 7})\n"
                                    "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, ctx, 1, &v, NULL, &e),
                     HOOK_SCRIPT_ERROR);
    want = xasprintf("hook prorate (%s:3): (error object is a table value)",
                     path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    /* A hook calling a local function: the line is where it failed. */
    path = write_hook("deep.lua", "local function half(x)\n"
                                  "  return x.amount // 2\n"
                                  "end\n"
                                  "function prorate(ctx)\n"
                                  "  return half(ctx)\n"
                                  "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, ctx, 1, &v, NULL, &e),
                     HOOK_SCRIPT_ERROR);
    want = xasprintf("hook prorate (%s:2): attempt to perform arithmetic on "
                     "a nil value (field 'amount')", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);
    hooks_free(h);
}

/* 3.2 a syntax error reports file:line at load and at bind */
static void test_error_syntax(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    char *path = write_hook("syntax.lua", "function prorate(ctx)\n"
                                          "  return 1 +\n"
                                          "end\n");
    assert_int_equal(hooks_load(h, path, &e), -1);
    char *want = xasprintf("%s:3: unexpected symbol near 'end'", path);
    assert_string_equal(e.msg, want);
    assert_int_equal(hooks_bind(h, path, "prorate", &ref, &e), -1);
    assert_string_equal(e.msg, want);
    assert_int_equal(ref.ref, -1);
    free(want);
    free(path);

    /* A path longer than Lua's chunk ids is still reported whole. */
    char *dir = xasprintf("%s/a-rather-long-directory-name-for-practice-"
                          "hooks-0123456789", tmpdir);
    char *cmd = xasprintf("mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    path = xasprintf("%s/syntax.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("x = = 1\n", f);
    fclose(f);
    assert_true(strlen(path) > LUA_IDSIZE);
    assert_int_equal(hooks_load(h, path, &e), -1);
    want = xasprintf("%s:1: unexpected symbol near '='", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    /* At run time too, also where a message carries a second position
     * (an error caught and raised again): Lua would cut the path to its
     * last LUA_IDSIZE bytes ("...ooks-0123456789/rethrow.lua:2:"). */
    path = xasprintf("%s/rethrow.lua", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("function prorate(ctx)\n"
          "  local ok, err = pcall(function() error('no price') end)\n"
          "  error(err)\n"
          "end\n", f);
    fclose(f);
    struct hook_kv ctx[] = {HKV_I("price", 4500)};
    int64_t v;
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, ctx, 1, &v, NULL, &e),
                     HOOK_SCRIPT_ERROR);
    want = xasprintf("hook prorate (%s:3): %s:2: no price", path, path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    free(cmd);
    free(dir);

    /* A runtime error at the top level. */
    path = write_hook("top.lua", "local x = nil\nlocal y = x.field\n");
    assert_int_equal(hooks_load(h, path, &e), -1);
    want = xasprintf("%s:2: attempt to index a nil value (local 'x')", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);
    hooks_free(h);
}

/* 3.3 binding what a file does not define */
static void test_error_bind(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref, ref2;
    struct err e = {""};
    char *path = write_hook("defs.lua", "price = 5\n"
                                        "function prorate(ctx) return 1 end\n");
    assert_int_equal(hooks_bind(h, path, "pause", &ref, &e), -1);
    char *want = xasprintf("%s: defines no function 'pause'", path);
    assert_string_equal(e.msg, want);
    free(want);
    assert_int_equal(hooks_bind(h, path, "price", &ref, &e), -1);
    want = xasprintf("%s: 'price' is a number, expected a function", path);
    assert_string_equal(e.msg, want);
    free(want);

    /* Loading twice is a no-op; binding twice gives the same ref. */
    assert_int_equal(hooks_load(h, path, &e), 0);
    bind_ok(h, path, "prorate", &ref);
    bind_ok(h, path, "prorate", &ref2);
    assert_int_equal(ref.ref, ref2.ref);
    assert_string_equal(ref.file, path);
    assert_string_equal(ref.func, "prorate");
    free(path);

    path = xasprintf("%s/missing.lua", tmpdir);
    assert_int_equal(hooks_load(h, path, &e), -1);
    assert_contains(e.msg, "missing.lua");
    assert_contains(e.msg, "No such file");
    free(path);
    hooks_free(h);
}

/* ============================================================ 4. limits */

/* 4.1 an endless loop hits the instruction limit, pcall or not */
static void test_limit_instructions(void **state)
{
    (void)state;
    struct hooks *h = sandbox(100000, 0);
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;

    char *path = write_hook("loop.lua", "function prorate(ctx)\n"
                                        "  while true do end\n"
                                        "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                     HOOK_INSTRUCTIONS);
    char *want = xasprintf("hook prorate (%s:2): exceeded the instruction "
                           "limit of 100000", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);

    expect_fail(h, "local ok = pcall(function() while true do end end)\n"
                   "  return 1",
                HOOK_INSTRUCTIONS, "exceeded the instruction limit of 100000");
    still_works(h);
    expect_fail(h, "while true do pcall(function() while true do end end) "
                   "end",
                HOOK_INSTRUCTIONS, "exceeded the instruction limit");
    expect_fail(h, "for i = 1, 10 do\n"
                   "    pcall(function() while true do end end)\n"
                   "  end\n"
                   "  return 1",
                HOOK_INSTRUCTIONS, "exceeded the instruction limit");
    expect_fail(h, "local function f() return f() + 1 end\n"
                   "  for i = 1, 1e9 do pcall(f) end",
                HOOK_INSTRUCTIONS, "exceeded the instruction limit");
    expect_fail(h, "xpcall(function() while true do end end,\n"
                   "         function() while true do end end)\n"
                   "  return 1",
                HOOK_INSTRUCTIONS, "exceeded the instruction limit");
    still_works(h);

    /* The budget is per call: many short calls add up to nothing. */
    struct hook_ref ok = fn_hook(h, "local s = 0\n"
                                    "  for i = 1, 2000 do s = s + i end\n"
                                    "  return s");
    for (int i = 0; i < 200; i++) {
        assert_int_equal(hooks_call_int(h, &ok, NULL, 0, &v, NULL, &e),
                         HOOK_OK);
        assert_int_equal(v, 2001000);
    }

    /* A file whose top level never ends does not load. */
    path = write_hook("toploop.lua", "local n = 0\n"
                                     "while true do n = n + 1 end\n");
    assert_int_equal(hooks_load(h, path, &e), -1);
    want = xasprintf("%s:2: exceeded the instruction limit of 100000", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);
    hooks_free(h);
}

/* 4.2 eating memory hits the memory limit; the state recovers */
static void test_limit_memory(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 4 * 1024 * 1024);
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;

    char *path = write_hook("mem.lua",
                            "function prorate(ctx)\n"
                            "  local t = {}\n"
                            "  for i = 1, 1e9 do t[i] = string.rep('x', 1000) "
                            "end\n"
                            "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                     HOOK_MEMORY);
    char *want = xasprintf("hook prorate (%s): exceeded the memory limit of "
                           "4194304 bytes", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);
    /* Again, to be sure the first failure left nothing behind. */
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                     HOOK_MEMORY);
    still_works(h);

    /* One allocation past the limit. */
    expect_fail(h, "local s = string.rep('x', 1048576)\n"
                   "  return #table.concat({s, s, s, s, s})", HOOK_MEMORY,
                "exceeded the memory limit of 4194304 bytes");
    still_works(h);
    /* Caught by pcall, it is still a memory failure. */
    expect_fail(h, "local s = string.rep('x', 1048576)\n"
                   "  pcall(table.concat, {s, s, s, s, s})\n  return 1",
                HOOK_MEMORY, "exceeded the memory limit");
    expect_fail(h, "local ok = pcall(function()\n"
                   "    local t = {}\n"
                   "    for i = 1, 1e9 do t[i] = {i} end\n"
                   "  end)\n"
                   "  return 1",
                HOOK_MEMORY, "exceeded the memory limit");
    expect_fail(h, "local s = string.rep('x', 1048576)\n"
                   "  while true do pcall(table.concat, {s, s, s, s, s}) end",
                HOOK_MEMORY, "exceeded the memory limit");
    still_works(h);

    /* Garbage is collected: allocating far more than the limit in total
     * is fine when little is live at a time. */
    assert_int_equal(eval_int(h, "(function() local n = 0\n"
                                 "  for i = 1, 20000 do\n"
                                 "    n = n + #string.rep('y', 1000)\n"
                                 "  end return n end)()"),
                     20000000);

    /* A file whose top level eats memory does not load. */
    path = write_hook("topmem.lua", "local t = {}\n"
                                    "for i = 1, 1e9 do t[i] = {} end\n");
    assert_int_equal(hooks_load(h, path, &e), -1);
    want = xasprintf("%s: exceeded the memory limit of 4194304 bytes", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);
    hooks_free(h);
}

/* ============================================================ 5. sandbox */

/* 5.1 what the sandbox withholds is refused as blocked */
static void test_sandbox_blocked(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;

    char *path = write_hook("clock.lua", "function prorate(ctx)\n"
                                         "  return os.time()\n"
                                         "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                     HOOK_BLOCKED);
    char *want = xasprintf("hook prorate (%s:2): undefined global 'os' (not "
                           "available to hooks)", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);

    expect_fail(h, "return io.open('/etc/passwd')", HOOK_BLOCKED,
                "undefined global 'io'");
    expect_fail(h, "return require 'x'", HOOK_BLOCKED,
                "undefined global 'require'");
    expect_fail(h, "return load('return 1')()", HOOK_BLOCKED,
                "undefined global 'load'");
    expect_fail(h, "return dofile('/etc/passwd')", HOOK_BLOCKED,
                "undefined global 'dofile'");
    expect_fail(h, "return loadfile('/etc/passwd')", HOOK_BLOCKED,
                "undefined global 'loadfile'");
    expect_fail(h, "return collectgarbage('count')", HOOK_BLOCKED,
                "undefined global 'collectgarbage'");
    expect_fail(h, "return debug.getinfo(1)", HOOK_BLOCKED,
                "undefined global 'debug'");
    expect_fail(h, "return package.loaded", HOOK_BLOCKED,
                "undefined global 'package'");
    expect_fail(h, "return coroutine.create(print)", HOOK_BLOCKED,
                "undefined global 'coroutine'");
    expect_fail(h, "return _G.os", HOOK_BLOCKED, "undefined global '_G'");
    expect_fail(h, "return pirce", HOOK_BLOCKED, "undefined global 'pirce'");
    /* Caught and re-raised, it is still blocked. */
    expect_fail(h, "local ok, err = pcall(function() return os.clock() end)\n"
                   "  error(err, 0)",
                HOOK_BLOCKED, "undefined global 'os'");
    /* A hook call may not create globals. */
    expect_fail(h, "total = 1\n  return total", HOOK_BLOCKED,
                "assignment to undeclared global 'total'");
    /* Removed library functions are absent. */
    expect_fail(h, "return math.random(10)", HOOK_SCRIPT_ERROR,
                "attempt to call a nil value (field 'random')");
    expect_fail(h, "math.randomseed(1) return 1", HOOK_SCRIPT_ERROR,
                "attempt to call a nil value (field 'randomseed')");
    expect_fail(h, "return #string.dump(f)", HOOK_SCRIPT_ERROR,
                "attempt to call a nil value (field 'dump')");
    expect_fail(h, "return #(''):dump()", HOOK_SCRIPT_ERROR,
                "attempt to call a nil value (method 'dump')");
    expect_fail(h, "setmetatable({}, {__gc = function() end}) return 1",
                HOOK_SCRIPT_ERROR, "__gc metamethods are not available");
    expect_fail(h, "setmetatable(_ENV, {}) return 1", HOOK_SCRIPT_ERROR,
                "cannot change a protected metatable");

    /* What stays: print does nothing, string methods work, the string
     * metatable and the env's are hidden. */
    assert_int_equal(eval_int(h, "(function() print('x') return 7 end)()"), 7);
    assert_int_equal(eval_int(h, "#('abc'):rep(3)"), 9);
    assert_int_equal(eval_int(h, "getmetatable('') == false and "
                                 "getmetatable(_ENV) == false and 1 or 0"),
                     1);
    assert_int_equal(eval_int(h, "utf8.len('\xc3\xa9t\xc3\xa9')"), 3);
    assert_int_equal(eval_int(h, "select('#', table.unpack({1, 2, 3}))"), 3);
    assert_int_equal(eval_int(h, "math.max(3, 9, 4)"), 9);
    assert_int_equal(eval_int(h, "tonumber(string.format('%d', 42))"), 42);
    assert_int_equal(eval_int(h, "rawlen({1, 2})"), 2);

    /* The top level of a file cannot reach them either. */
    path = write_hook("topos.lua", "local now = os.time()\n"
                                   "function prorate(ctx) return now end\n");
    assert_int_equal(hooks_load(h, path, &e), -1);
    want = xasprintf("%s:1: undefined global 'os' (not available to hooks)",
                     path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    still_works(h);
    hooks_free(h);
}

/* lua_Writer collecting a dump into an sbuf. */
static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    sb_addn(ud, p, n);
    return 0;
}

/* 5.2 binary chunks are refused */
static void test_sandbox_binary_chunk(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    struct sbuf b = {0};

    /* What string.dump would produce, made on a plain Lua state. */
    lua_State *L = luaL_newstate();
    assert_int_equal(luaL_loadstring(L, "function prorate(ctx) return 1 end"),
                     LUA_OK);
    assert_int_equal(lua_dump(L, dump_writer, &b, 0), 0);
    lua_close(L);
    assert_true(b.len > 4 && b.s[0] == '\x1b');

    char *path = write_file("binary.lua", b.s, b.len);
    assert_int_equal(hooks_load(h, path, &e), -1);
    char *want = xasprintf("%s: binary chunks are refused (hook files must be "
                           "Lua source text)", path);
    assert_string_equal(e.msg, want);
    assert_int_equal(hooks_bind(h, path, "prorate", &ref, &e), -1);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    sb_free(&b);
    still_works(h);
    hooks_free(h);
}

/* 5.3 two files defining the same names stay apart */
static void test_sandbox_own_env(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ra, rb;
    struct err e = {""};
    int64_t v;

    char *a = write_hook("a.lua", "rate = 100\n"
                                  "function helper() return 1 end\n"
                                  "string.shout = string.upper\n"
                                  "function prorate(ctx) return rate + "
                                  "helper() end\n");
    char *b = write_hook("b.lua", "rate = 200\n"
                                  "function prorate(ctx) return rate end\n"
                                  "function pause(ctx) return helper() end\n"
                                  "function shout(ctx) return string.shout and "
                                  "1 or 0 end\n");
    bind_ok(h, a, "prorate", &ra);
    bind_ok(h, b, "prorate", &rb);
    assert_int_not_equal(ra.ref, rb.ref);
    assert_int_equal(hooks_call_int(h, &ra, NULL, 0, &v, NULL, &e), HOOK_OK);
    assert_int_equal(v, 101);
    assert_int_equal(hooks_call_int(h, &rb, NULL, 0, &v, NULL, &e), HOOK_OK);
    assert_int_equal(v, 200);

    /* a.lua's helper is not b.lua's global. */
    bind_ok(h, b, "pause", &rb);
    assert_int_equal(hooks_call_int(h, &rb, NULL, 0, &v, NULL, &e),
                     HOOK_BLOCKED);
    assert_contains(e.msg, "undefined global 'helper'");
    /* What a.lua did to its string table, b.lua does not see. */
    bind_ok(h, b, "shout", &rb);
    assert_int_equal(hooks_call_int(h, &rb, NULL, 0, &v, NULL, &e), HOOK_OK);
    assert_int_equal(v, 0);
    free(a);
    free(b);
    hooks_free(h);
}

/* 5.4 pairs visits keys in a fixed order */
static void test_sandbox_pairs_order(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    assert_int_equal(
        eval_int(h, "(function()\n"
                    "  local s = ''\n"
                    "  local t = {c = 3, a = 1, b = 2, [2] = 20, [1] = 10,\n"
                    "             [1.5] = 15, ab = 4, [true] = 0}\n"
                    "  for k, v in pairs(t) do s = s .. tostring(k) .. '=' "
                    ".. v .. ',' end\n"
                    "  assert(s == '1=10,1.5=15,2=20,a=1,ab=4,b=2,c=3,true=0,',"
                    " s)\n"
                    "  for k in pairs(t) do t[k] = nil end\n"
                    "  assert(next(t) == nil)\n"
                    "  return 1 end)()"),
        1);
    hooks_free(h);
}

/* 5.5 nothing persists between calls: file-level locals, globals the
 * top level sets and rawset(_ENV, ...) start anew on every call */
static void test_sandbox_stateless(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref, ref2;
    struct err e = {""};
    int64_t v;

    char *path = write_hook("count.lua",
                            "local calls = 0\n"
                            "total = 0\n"
                            "function prorate(ctx)\n"
                            "  calls = calls + 1\n"
                            "  total = total + 1\n"
                            "  rawset(_ENV, 'seen', (rawget(_ENV, 'seen') or 0)"
                            " + 1)\n"
                            "  return calls * 100 + total * 10 + seen\n"
                            "end\n"
                            "function other(ctx) return calls end\n");
    bind_ok(h, path, "prorate", &ref);
    bind_ok(h, path, "other", &ref2);
    for (int i = 0; i < 4; i++) {
        if (hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e) != HOOK_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(v, 111);
        assert_int_equal(hooks_call_int(h, &ref2, NULL, 0, &v, NULL, &e),
                         HOOK_OK);
        assert_int_equal(v, 0);
    }
    /* A table kept in an upvalue is new each call too. */
    free(path);
    path = write_hook("memo.lua", "local memo = {}\n"
                                  "function prorate(ctx)\n"
                                  "  memo[#memo + 1] = 1\n"
                                  "  string.extra = (string.extra or 0) + 1\n"
                                  "  return #memo * 10 + string.extra\n"
                                  "end\n");
    bind_ok(h, path, "prorate", &ref);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                         HOOK_OK);
        assert_int_equal(v, 11);
    }
    free(path);
    still_works(h);
    hooks_free(h);
}

/* 5.6 no addresses: tostring of tables and functions shows the type only,
 * %s does the same, %p is refused */
static void test_sandbox_no_addresses(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);

    assert_int_equal(eval_int(h, "(function()\n"
        "  assert(tostring({}) == 'table', tostring({}))\n"
        "  assert(tostring(print) == 'function')\n"
        "  assert(tostring(function() end) == 'function')\n"
        "  assert(string.format('%s|%s', {}, print) == 'table|function')\n"
        "  assert(('%s'):format(setmetatable({}, {__name = 'x'})) == 'table')\n"
        "  local t = setmetatable({}, {__tostring = function() return 'T' end})\n"
        "  assert(tostring(t) == 'T' and string.format('%s', t) == 'T')\n"
        "  assert(tostring(12) == '12' and tostring(nil) == 'nil')\n"
        "  assert(tostring(true) == 'true' and tostring('s') == 's')\n"
        "  assert(string.format('%5.1f%%|%d|%s', 2.25, 3, 'x') == "
        "'  2.2%|3|x')\n"
        "  return 1 end)()"), 1);
    expect_fail(h, "return #string.format('%p', {})", HOOK_BLOCKED,
                "string.format: '%p' is not available to hooks (addresses "
                "differ between runs)");
    expect_fail(h, "return #('%-10p'):format(print)", HOOK_BLOCKED,
                "'%p' is not available");
    still_works(h);
    hooks_free(h);
}

/* 5.7 string functions that run in one C call are bounded */
static void test_sandbox_string_bounds(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);

    /* The classic backtracking pattern: refused at once, not run. */
    expect_fail(h, "local s = string.rep('a', 40)\n"
                   "  return s:find(string.rep('a-', 20) .. 'b') or 0",
                HOOK_BLOCKED,
                "string.find: pattern too costly for a subject of 40 bytes "
                "(worst case about 7.2e+18 steps, limit 1e+08); use a "
                "simpler pattern or a plain find");
    expect_fail(h, "return #string.rep('a', 5000):match(('.-'):rep(5))",
                HOOK_BLOCKED, "string.match: pattern too costly");
    expect_fail(h, "for w in string.rep('ab', 3000):gmatch('(.-)(.-)(.-)b')"
                   " do end return 0",
                HOOK_BLOCKED, "string.gmatch: pattern too costly");
    expect_fail(h, "return select(2, string.rep('x', 1000):gsub("
                   "'(x*)(x*)(x*)%1', ''))",
                HOOK_BLOCKED, "string.gsub: pattern too costly");
    expect_fail(h, "return #string.rep('x', 2000000)", HOOK_SCRIPT_ERROR,
                "string.rep: result longer than 1048576 bytes");
    expect_fail(h, "return #string.rep('xy', 600000, ',')", HOOK_SCRIPT_ERROR,
                "string.rep: result longer than 1048576 bytes");
    /* Caught by pcall, the refusal does not hang either. */
    assert_int_equal(eval_int(h, "pcall(string.find, string.rep('a', 40), "
                                 "string.rep('a-', 20) .. 'b') and 1 or 2"),
                     2);
    still_works(h);

    /* What hooks really do still works, on long subjects too. */
    assert_int_equal(eval_int(h, "(function()\n"
        "  local y, m, d = ('2026-03-09'):match('^(%d+)-(%d+)-(%d+)$')\n"
        "  assert(y == '2026' and m == '03' and d == '09')\n"
        "  local first, last = ('Anna  de Vries'):match('^(%a+)%s+(.+)$')\n"
        "  assert(first == 'Anna' and last == 'de Vries')\n"
        "  assert(('fysio-maand'):find('-', 1, true) == 6)\n"
        "  assert(select(2, ('a,b,c'):gsub(',', ';')) == 2)\n"
        "  local n = 0\n"
        "  for w in ('een twee drie'):gmatch('%a+') do n = n + 1 end\n"
        "  assert(n == 3)\n"
        "  local long = string.rep('ab', 50000)\n"
        "  assert(long:find('ba', 1, true) == 2)\n"
        "  assert(#long:gsub('a', '') == 50000)\n"
        "  assert(long:match('^(a)') == 'a')\n"
        "  assert(#string.rep('x', 1048576) == 1048576)\n"
        "  assert(('(a(b))c'):match('%b()') == '(a(b))')\n"
        "  return 1 end)()"), 1);
    hooks_free(h);
}

/* ============================================================ 6. calls */

/* 6.1 results that are not integers are refused */
static void test_call_bad_result(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;
    int is_nil;

    char *path = write_hook("half.lua", "function prorate(ctx)\n"
                                        "  return 2.5\n"
                                        "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                     HOOK_BAD_RESULT);
    char *want = xasprintf("hook prorate (%s): returned 2.5, expected an "
                           "integer number of cents", path);
    assert_string_equal(e.msg, want);
    free(want);

    expect_fail(h, "return '4500'", HOOK_BAD_RESULT,
                "returned the string \"4500\", expected an integer number "
                "of cents");
    expect_fail(h, "return {}", HOOK_BAD_RESULT,
                "returned a table, expected an integer number of cents");
    expect_fail(h, "return nil", HOOK_BAD_RESULT,
                "returned nil, expected an integer number of cents");
    expect_fail(h, "return", HOOK_BAD_RESULT, "returned nil");
    expect_fail(h, "return true", HOOK_BAD_RESULT, "returned true");
    expect_fail(h, "return 0/0", HOOK_BAD_RESULT, "returned nan");
    expect_fail(h, "return math.huge", HOOK_BAD_RESULT, "returned inf");
    expect_fail(h, "return -math.huge", HOOK_BAD_RESULT, "returned -inf");
    expect_fail(h, "return 1e300", HOOK_BAD_RESULT, "returned 1e+300");
    expect_fail(h, "return print", HOOK_BAD_RESULT, "returned a function");

    /* Money is integer cents: even an integral float is refused. */
    free(path);
    path = write_hook("float.lua", "function prorate(ctx)\n"
                                   "  return 4500.0\n"
                                   "end\n");
    bind_ok(h, path, "prorate", &ref);
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, NULL, &e),
                     HOOK_BAD_RESULT);
    want = xasprintf("hook prorate (%s): returned 4500.0, a float; money "
                     "must be an integer number of cents (use cb.round(x) "
                     "or math.tointeger(x))", path);
    assert_string_equal(e.msg, want);
    free(want);
    free(path);
    expect_fail(h, "return -0.0", HOOK_BAD_RESULT, "returned -0.0, a float");
    expect_fail(h, "return 9 / 3", HOOK_BAD_RESULT, "returned 3.0, a float");
    expect_fail(h, "return 9.0 // 2", HOOK_BAD_RESULT,
                "returned 4.0, a float");
    assert_int_equal(eval_int(h, "9 // 2"), 4);
    assert_int_equal(eval_int(h, "math.tointeger(4500.0)"), 4500);
    assert_int_equal(eval_int(h, "cb.round(4500.0)"), 4500);
    /* nil is allowed when asked for. */
    ref = fn_hook(h, "return nil");
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, &is_nil, &e),
                     HOOK_OK);
    assert_int_equal(is_nil, 1);
    ref = fn_hook(h, "return 12, 'extra'");
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, &is_nil, &e),
                     HOOK_OK);
    assert_int_equal(is_nil, 0);
    assert_int_equal(v, 12);
    ref = fn_hook(h, "return 'x'");
    assert_int_equal(hooks_call_int(h, &ref, NULL, 0, &v, &is_nil, &e),
                     HOOK_BAD_RESULT);
    assert_contains(e.msg, "expected an integer number of cents or nil");
    hooks_free(h);
}

/* 6.2 date results */
static void test_call_date(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    cdate d;

    assert_string_equal(eval_date(h, "'2026-03-09'"), "2026-03-09");
    ref = fn_hook(h, "return nil");
    assert_int_equal(hooks_call_date(h, &ref, NULL, 0, &d, &e), HOOK_OK);
    assert_int_equal(d, CDATE_NONE);

    ref = fn_hook(h, "return 20260309");
    assert_int_equal(hooks_call_date(h, &ref, NULL, 0, &d, &e),
                     HOOK_BAD_RESULT);
    assert_contains(e.msg, "hook f (");
    assert_contains(e.msg, "): returned 20260309, expected a date "
                           "\"YYYY-MM-DD\" or nil");
    ref = fn_hook(h, "return '2026-02-30'");
    assert_int_equal(hooks_call_date(h, &ref, NULL, 0, &d, &e),
                     HOOK_BAD_RESULT);
    assert_contains(e.msg, "): returned invalid date '2026-02-30' (no such "
                           "day)");
    ref = fn_hook(h, "return '9 March'");
    assert_int_equal(hooks_call_date(h, &ref, NULL, 0, &d, &e),
                     HOOK_BAD_RESULT);
    assert_contains(e.msg, "invalid date '9 March' (expected YYYY-MM-DD)");
    ref = fn_hook(h, "return os.date()");
    assert_int_equal(hooks_call_date(h, &ref, NULL, 0, &d, &e), HOOK_BLOCKED);
    assert_contains(e.msg, "undefined global 'os'");
    hooks_free(h);
}

/* 6.3 the context: dotted keys nest, booleans, strings, integers */
static void test_call_context(void **state)
{
    (void)state;
    struct hooks *h = sandbox(0, 0);
    struct hook_ref ref;
    struct err e = {""};
    int64_t v;
    struct hook_kv ctx[] = {
        HKV_I("price", 4500),
        HKV_I("account.id", 7),
        HKV_S("account.name", "Jansen"),
        HKV_I("subscription.id", 12),
        HKV_S("subscription.type", "fysio-maand"),
        HKV_B("flags.first", 1),
        HKV_B("flags.last", 0),
        HKV_I("a.b.c", -3),
        HKV_S("none", NULL),
    };
    char *path = write_hook(
        "ctx.lua",
        "function prorate(ctx)\n"
        "  assert(math.type(ctx.price) == 'integer')\n"
        "  assert(ctx.account.name == 'Jansen', ctx.account.name)\n"
        "  assert(ctx.subscription.type == 'fysio-maand')\n"
        "  assert(ctx.flags.first == true and ctx.flags.last == false)\n"
        "  assert(ctx.none == nil)\n"
        "  assert(ctx['account.id'] == nil)\n"
        "  return ctx.price + ctx.account.id * 100 + ctx.subscription.id *"
        " 10000 + ctx.a.b.c\n"
        "end\n");
    bind_ok(h, path, "prorate", &ref);
    if (hooks_call_int(h, &ref, ctx, sizeof ctx / sizeof ctx[0], &v, NULL,
                       &e) != HOOK_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(v, 4500 + 700 + 120000 - 3);

    /* Each call gets a fresh table: changes do not carry over. */
    free(path);
    path = write_hook("mutate.lua", "function prorate(ctx)\n"
                                    "  ctx.price = ctx.price + 1\n"
                                    "  return ctx.price\n"
                                    "end\n");
    bind_ok(h, path, "prorate", &ref);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(hooks_call_int(h, &ref, ctx, 1, &v, NULL, &e),
                         HOOK_OK);
        assert_int_equal(v, 4501);
    }
    free(path);
    hooks_free(h);
}

/* 6.4 failure names; NULL limits take the defaults */
static void test_call_misc(void **state)
{
    (void)state;
    assert_string_equal(hooks_failure_name(HOOK_OK), "ok");
    assert_string_equal(hooks_failure_name(HOOK_SCRIPT_ERROR), "script error");
    assert_string_equal(hooks_failure_name(HOOK_BLOCKED), "blocked");
    assert_string_equal(hooks_failure_name(HOOK_INSTRUCTIONS),
                        "instruction limit");
    assert_string_equal(hooks_failure_name(HOOK_MEMORY), "memory limit");
    assert_string_equal(hooks_failure_name(HOOK_BAD_RESULT), "bad result");

    struct hooks *h = hooks_new(NULL);
    assert_non_null(h);
    expect_fail(h, "while true do end", HOOK_INSTRUCTIONS,
                "exceeded the instruction limit of 10000000");
    still_works(h);
    hooks_free(h);
    hooks_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cb_weekday),
        cmocka_unit_test(test_cb_add_days),
        cmocka_unit_test(test_cb_add_months),
        cmocka_unit_test(test_cb_days),
        cmocka_unit_test(test_cb_round),
        cmocka_unit_test(test_cb_muldiv),
        cmocka_unit_test(test_lua_daily_proration),
        cmocka_unit_test(test_lua_pause_pro_rata),
        cmocka_unit_test(test_lua_skip_weekends),
        cmocka_unit_test(test_error_runtime),
        cmocka_unit_test(test_error_syntax),
        cmocka_unit_test(test_error_bind),
        cmocka_unit_test(test_limit_instructions),
        cmocka_unit_test(test_limit_memory),
        cmocka_unit_test(test_sandbox_blocked),
        cmocka_unit_test(test_sandbox_binary_chunk),
        cmocka_unit_test(test_sandbox_own_env),
        cmocka_unit_test(test_sandbox_pairs_order),
        cmocka_unit_test(test_sandbox_stateless),
        cmocka_unit_test(test_sandbox_no_addresses),
        cmocka_unit_test(test_sandbox_string_bounds),
        cmocka_unit_test(test_call_bad_result),
        cmocka_unit_test(test_call_date),
        cmocka_unit_test(test_call_context),
        cmocka_unit_test(test_call_misc),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
