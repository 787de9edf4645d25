/*
 * hooks.h — the Lua sandbox in which a practice's hooks decide amounts and
 * dates. One `struct hooks` is one Lua state with an allow-listed library
 * (base without load/dofile/require, table, string, math, utf8, and the
 * `cb` helpers), a capped allocator and an instruction budget per call.
 * Each hook file is compiled once; every call runs its top level again in
 * a fresh _ENV with fresh copies of the libraries, so nothing persists
 * between calls (file-level locals, globals, rawset(_ENV, ...), changes to
 * `string`): a hook is a function of its context alone. Hooks see values,
 * never handles: the context is a table of integers and strings built
 * from `struct hook_kv`, the result an integer (cents) or a date. Nothing
 * in here reads a clock or a file other than the hook files it is asked
 * to load.
 *
 * Globals a hook file sees: assert error getmetatable ipairs next pairs
 * pcall print (does nothing) rawequal rawget rawlen rawset select
 * setmetatable (no __gc) tonumber tostring type xpcall (its handler runs
 * after the stack has unwound) _VERSION, and the tables string (no dump),
 * table, math (no random, randomseed), utf8 and cb. `pairs` visits keys
 * in a fixed order (numbers, then strings by bytes, then booleans) so
 * results never depend on Lua's hash seed; tostring and
 * string.format("%s") show a table or function as "table" / "function"
 * (never an address) and "%p" is refused. string.find/match/gmatch/gsub
 * refuse (HOOK_BLOCKED) a pattern whose worst-case backtracking on its
 * subject exceeds 10^8 steps, as those run in one C call the instruction
 * limit cannot interrupt; string.rep refuses results over 1 MiB. Reading any other global
 * raises "undefined global 'x'" (HOOK_BLOCKED); a file's top level may
 * define globals, a hook call may not.
 *
 * cb helpers (dates are "YYYY-MM-DD" strings, years 1900..2999; bad
 * arguments raise an error):
 *   cb.weekday(d)          1 = Monday .. 7 = Sunday
 *   cb.add_days(d, n)      date n days later (n may be negative)
 *   cb.add_months(d, n)    as date_add_months: Jan 31 + 1 = Feb 28/29
 *   cb.days(from, to)      to - from, in days
 *   cb.days_in_month(d)    28..31
 *   cb.round(x)            integer, halves away from zero
 *   cb.muldiv(a, num, den) a * num / den for integers, exact, halves away
 *                          from zero (cb.muldiv(4500, 15, 31) == 2177)
 *
 * Context the engine passes (ctx.<field>; dates are strings, money is
 * integer cents):
 *   prorate(ctx), pause(ctx) -> cents the whole period is billed at:
 *     price          the period's price: unit price in force on its first
 *                    day times quantity
 *     unit_price     that unit price
 *     quantity       units subscribed
 *     period_start, period_end   first and last day of the period
 *     period_days    days in the period
 *     active_days    days of the period the subscription runs (started,
 *                    not stopped, not paused); always >= 1: a period
 *                    without an active day is not billed and calls no hook
 *     paused_days    days of the period it is paused, counted only among
 *                    the days it runs (from its start, until its stop)
 *     run_date       the day the run is for (tick --as-of, else today)
 *     account.id, account.name
 *     subscription.id, subscription.type, subscription.start
 *   The pause hook is called when paused_days > 0 and one is bound, the
 *   prorate hook otherwise; the result must be cents >= 0 (nil or a
 *   negative amount is refused, naming the account and subscription).
 *   reminder_at(ctx) -> "YYYY-MM-DD" when the reminder is due, nil to drop
 *   it:
 *     invoice.number, invoice.issued, invoice.due, invoice.open_cents
 *     step           which reminder of the schedule, 1-based
 *     due_at         the date the YAML schedule gives for this step
 *     run_date, account.id
 */
#ifndef CAREBILL_HOOKS_H
#define CAREBILL_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

struct hooks;

/* Why a call failed; each is reported on its own. */
enum hook_failure {
    HOOK_OK = 0,
    HOOK_SCRIPT_ERROR,   /* the hook raised an error (or a syntax error) */
    HOOK_BLOCKED,        /* it used something the sandbox does not offer */
    HOOK_INSTRUCTIONS,   /* it ran past the instruction limit */
    HOOK_MEMORY,         /* it allocated past the memory limit */
    HOOK_BAD_RESULT,     /* it returned something that is not allowed */
};

struct hook_limits {
    int64_t instructions; /* per call; 0 = default (10,000,000) */
    int64_t memory_bytes; /* whole state; 0 = default (32 MiB) */
};

/* A compiled hook function: which file, which function. */
struct hook_ref {
    int ref;            /* registry reference; -1 when unbound */
    const char *file;   /* chunk name used in messages (owned by hooks) */
    const char *func;
};

/* One entry of a context table. Keys may be dotted ("account.id") to
 * build nested tables: {account = {id = ...}}. */
enum hook_kv_type { HKV_INT, HKV_STR, HKV_BOOL };
struct hook_kv {
    const char *key;
    enum hook_kv_type type;
    int64_t i;         /* HKV_INT, HKV_BOOL */
    const char *s;     /* HKV_STR */
};

#define HKV_I(k, v) ((struct hook_kv){(k), HKV_INT, (v), NULL})
#define HKV_S(k, v) ((struct hook_kv){(k), HKV_STR, 0, (v)})
#define HKV_B(k, v) ((struct hook_kv){(k), HKV_BOOL, (v), NULL})

/* "script error", "blocked", "instruction limit", "memory limit",
 * "bad result" ("ok" for HOOK_OK); a static string. */
const char *hooks_failure_name(enum hook_failure f);

/* A new sandbox; NULL only when Lua cannot start. lim may be NULL. */
struct hooks *hooks_new(const struct hook_limits *lim);
void hooks_free(struct hooks *h);

/* Load (once) the hook file at path as a text chunk in its own _ENV and
 * run its top level (under the same limits as a call). Loading the same
 * path twice is a no-op. On failure fills e with "file:line: message". */
int hooks_load(struct hooks *h, const char *path, struct err *e);

/* Compile (without running) the hook source `text` of the file at path,
 * in a state of its own: 0 when it is valid Lua text, else -1 with e set
 * to "path:line: message" as hooks_load would report it. Lets the rule
 * loader report Lua syntax errors together with the YAML ones. */
int hooks_compile_check(const char *path, const char *text, size_t len,
                        struct err *e);

/* Bind function `func` of the loaded file at `path` (loading it first
 * when it is not yet). Returns 0 and fills out (its strings are owned by
 * h); -1 with e set when the file defines no such function. */
int hooks_bind(struct hooks *h, const char *path, const char *func,
               struct hook_ref *out, struct err *e);

/* Call a bound hook with a context table. The result must be a Lua
 * integer (a float, even 4500.0, is a bad result); nil is reported through
 * *is_nil when is_nil is non-NULL, otherwise it is a bad result.
 * On failure returns the failure kind and fills e with
 * "hook FUNC (file:line): message". After any failure the sandbox stays
 * usable for the next call. */
enum hook_failure hooks_call_int(struct hooks *h, const struct hook_ref *ref,
                                 const struct hook_kv *ctx, size_t n,
                                 int64_t *out, int *is_nil, struct err *e);

/* As hooks_call_int for hooks that return a date: a "YYYY-MM-DD" string,
 * or nil (*out = CDATE_NONE) meaning "drop this". */
enum hook_failure hooks_call_date(struct hooks *h, const struct hook_ref *ref,
                                  const struct hook_kv *ctx, size_t n,
                                  cdate *out, struct err *e);

#endif
