/*
 * hooks.c — the Lua sandbox. One Lua state per `struct hooks`, opened with
 * an allow-list (base, table, string, math, utf8) minus everything that
 * reaches files, the clock, the collector or other code (load, dofile,
 * require, collectgarbage, math.random, string.dump; print is a no-op,
 * setmetatable refuses __gc, xpcall runs its handler after unwinding,
 * pairs has a fixed order, tostring and format never show addresses,
 * pattern functions refuse patterns too costly for their subject), plus
 * the pure `cb` helpers. A hook file is compiled once; its top level runs
 * at load and again before every call, each time in a new _ENV whose
 * metatable resolves the allowed globals from a private copy and raises
 * "undefined global 'x'" for anything else, so no state survives a call;
 * after the top level has run, new globals are refused. A
 * capped allocator bounds the state's memory and a count hook bounds the
 * instructions of each call; both limits, once hit, keep raising until
 * the call is over, so a pcall inside a hook cannot swallow them.
 * Failures are sorted into script error / blocked / instructions / memory
 * / bad result and reported as "hook FUNC (file:line): message".
 */
#include "rules/hooks.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "base/faultsim.h"

#define DEFAULT_INSTRUCTIONS 10000000
#define DEFAULT_MEMORY (32 * 1024 * 1024)
#define COUNT_STEP 1000 /* instructions between two count-hook calls */

/* A hook file that has been loaded: its compiled main chunk and the
 * _ENV of the run that checked it, both kept in the registry. Every call
 * runs the chunk again in a new _ENV, so nothing a call leaves in a
 * file-level local or in _ENV is seen by the next one. */
struct hook_file {
    char *path;
    int chunk_ref;
    int env_ref;
};

/* A bound function, so binding the same one twice gives the same ref. */
struct hook_bound {
    struct hook_file *file;
    char *func;
    int ref;
};

struct hooks {
    lua_State *L;
    /* Memory: bytes held by the state, the cap and whether it applies. */
    size_t mem_used, mem_limit;
    int cap_on;
    /* The last refused request, which Lua may retry once. */
    int pending, pend_tentative;
    void *pend_ptr;
    size_t pend_osize, pend_nsize;
    /* Instructions of the current run. */
    int64_t instr_limit, instr_count;
    int step;
    /* The limit the current run hit first (HOOK_OK when none), the line
     * it was running when the instruction limit was hit. */
    enum hook_failure limit_hit;
    int limit_line;
    /* The innermost Lua line when the last error was raised. */
    int err_line;
    /* The last "undefined global" message (maybe cut short), to
     * recognise it again. */
    char blocked[512];
    struct hook_file **files;
    size_t n_files;
    struct hook_bound **bound;
    size_t n_bound;
    /* Registry reference of the table of allowed base functions. */
    int allowed_ref;
};

static struct hooks *H(lua_State *L)
{
    return *(struct hooks **)lua_getextraspace(L);
}

const char *hooks_failure_name(enum hook_failure f)
{
    switch (f) {
    case HOOK_OK: return "ok";
    case HOOK_SCRIPT_ERROR: return "script error";
    case HOOK_BLOCKED: return "blocked";
    case HOOK_INSTRUCTIONS: return "instruction limit";
    case HOOK_MEMORY: return "memory limit";
    case HOOK_BAD_RESULT: return "bad result";
    }
    return "unknown";
}

/* ============================================================ limits */

/* The lua_Alloc of every state: plain realloc, refusing to grow the state
 * past mem_limit while cap_on. A refusal marks the run as over the memory
 * limit, unless the very next request is the same one and succeeds: that
 * is Lua retrying after an emergency collection that freed enough. */
static void *cap_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct hooks *h = ud;
    size_t old = ptr ? osize : 0;

    if (nsize == 0) {
        free(ptr);
        h->mem_used -= old;
        return NULL;
    }
    int retry = h->pending && ptr == h->pend_ptr && osize == h->pend_osize &&
                nsize == h->pend_nsize;
    h->pending = 0;
    void *p = NULL;
    size_t others = h->mem_used - old; /* what the rest of the state holds */
    int grant = !h->cap_on || nsize <= old ||
                (others <= h->mem_limit && nsize <= h->mem_limit - others);
#ifdef CAREBILL_FAULTSIM
    /* The fault-injection build refuses growing requests on demand, as an
     * exhausted system would (base/faultsim.h). */
    if (grant && nsize > old && faultsim_hit(FAULT_LUA, "lua_Alloc"))
        grant = 0;
#endif
    if (grant)
        p = realloc(ptr, nsize);
    if (!p) {
        if (nsize <= old)
            return ptr; /* Lua assumes shrinking never fails */
        h->pend_tentative = !retry && h->limit_hit == HOOK_OK;
        if (h->limit_hit == HOOK_OK)
            h->limit_hit = HOOK_MEMORY;
        h->pending = !retry;
        h->pend_ptr = ptr;
        h->pend_osize = osize;
        h->pend_nsize = nsize;
        return NULL;
    }
    if (retry && h->pend_tentative)
        h->limit_hit = HOOK_OK;
    h->pend_tentative = 0;
    h->mem_used = h->mem_used - old + nsize;
    return p;
}

/* The count hook: adds up instructions and, once past the limit (or once
 * the memory limit was hit), raises an error at every later count. After
 * the first raise it fires at every instruction, so no instruction that
 * follows a pcall escapes it. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
    struct hooks *h = H(L);

    if (h->limit_hit == HOOK_OK) {
        h->instr_count += h->step;
        if (h->instr_count <= h->instr_limit)
            return;
        h->limit_hit = HOOK_INSTRUCTIONS;
        if (lua_getinfo(L, "Sl", ar))
            h->limit_line = ar->currentline;
    }
    if (h->step != 1) {
        h->step = 1;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    }
    luaL_where(L, 0);
    lua_pushstring(L, h->limit_hit == HOOK_MEMORY
                          ? "exceeded the memory limit"
                          : "exceeded the instruction limit");
    lua_concat(L, 2);
    lua_error(L);
}

/* Make the state ready for one run: fresh budget, no limit hit. */
static void limits_reset(struct hooks *h)
{
    h->instr_count = 0;
    h->limit_hit = HOOK_OK;
    h->limit_line = 0;
    h->pending = 0;
    h->pend_tentative = 0;
    h->err_line = 0;
    h->blocked[0] = '\0';
    h->step = h->instr_limit < COUNT_STEP ? (int)h->instr_limit : COUNT_STEP;
    lua_sethook(h->L, count_hook, LUA_MASKCOUNT, h->step);
}

static int on_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "carebill: Lua: %s\n", msg ? msg : "unprotected error");
    exit(1);
}

/* ============================================================ sandbox */

/* Raise a "blocked" error at the Lua line that caused it, remembering the
 * message so the run can tell it apart from a script's own errors. */
static int raise_blocked(lua_State *L, const char *fmt, ...)
{
    struct hooks *h = H(L);
    va_list ap;

    luaL_where(L, 1);
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    snprintf(h->blocked, sizeof h->blocked, "%s", lua_tostring(L, -1));
    return lua_error(L);
}

/* Names a hook might reach for that the sandbox deliberately lacks. */
static int is_withheld(const char *name)
{
    static const char *const names[] = {
        "os", "io", "debug", "package", "require", "load", "loadfile",
        "dofile", "loadstring", "collectgarbage", "coroutine", "_G", "warn",
        "module", "setfenv", "getfenv", NULL,
    };
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

static void push_lib_copy(lua_State *L, const char *name);

/* __index of a file's _ENV: the allowed global (upvalue 1: the base
 * functions, shared, out of the hooks' reach), a library (copied into
 * this _ENV at its first use, so whatever a call does to it dies with
 * the call) or an error. */
static int env_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    if (lua_type(L, 2) == LUA_TSTRING) {
        static const char *const libs[] = {"string", "table", "math", "utf8",
                                           "cb", NULL};
        for (int i = 0; libs[i]; i++)
            if (strcmp(lua_tostring(L, 2), libs[i]) == 0) {
                push_lib_copy(L, libs[i]);
                lua_pushvalue(L, 2);
                lua_pushvalue(L, -2);
                lua_rawset(L, 1);
                return 1;
            }
    }
    if (lua_type(L, 2) != LUA_TSTRING)
        return raise_blocked(L, "undefined global (a %s key)",
                             luaL_typename(L, 2));
    const char *name = lua_tostring(L, 2);
    return raise_blocked(L, "undefined global '%s'%s", name,
                         is_withheld(name) ? " (not available to hooks)" : "");
}

/* __newindex of a file's _ENV once its top level has run. */
static int env_newindex(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING)
        return raise_blocked(L, "assignment to an undeclared global");
    return raise_blocked(L, "assignment to undeclared global '%s' "
                            "(hooks keep no state between calls; use local)",
                         lua_tostring(L, 2));
}

static int sb_print(lua_State *L)
{
    (void)L;
    return 0;
}

/* setmetatable without __gc: finalizers would run at times no hook call
 * controls. Otherwise as the standard one. */
static int sb_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_argerror(L, 2, "__gc metamethods are not available "
                                       "to hooks");
        lua_pop(L, 1);
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* xpcall whose handler runs after the stack has unwound. The standard
 * one runs it at the point of the error, which for a limit error is
 * inside the count hook, where Lua disables hooks: a looping handler
 * would never be stopped. Returns true and f's results, or false and
 * what the handler returns (or the handler's own error). */
static int sb_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_insert(L, 1); /* handler, f, handler, args... */
    lua_remove(L, 3); /* handler, f, args... */
    if (lua_pcall(L, n - 2, LUA_MULTRET, 0) == LUA_OK) {
        lua_pushboolean(L, 1);
        lua_replace(L, 1);
        return lua_gettop(L);
    }
    lua_pcall(L, 1, 1, 0); /* handler(error) */
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* Key order of the deterministic pairs: numbers, strings, booleans, then
 * the rest (in no particular order). */
static int key_rank(lua_State *L, int i)
{
    switch (lua_type(L, i)) {
    case LUA_TNUMBER: return 0;
    case LUA_TSTRING: return 1;
    case LUA_TBOOLEAN: return 2;
    default: return 3;
    }
}

static int key_less(lua_State *L)
{
    int ra = key_rank(L, 1), rb = key_rank(L, 2);
    if (ra != rb) {
        lua_pushboolean(L, ra < rb);
        return 1;
    }
    switch (ra) {
    case 0:
        lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
        break;
    case 1: {
        size_t la, lb;
        const char *a = lua_tolstring(L, 1, &la);
        const char *b = lua_tolstring(L, 2, &lb);
        int c = memcmp(a, b, la < lb ? la : lb);
        lua_pushboolean(L, c < 0 || (c == 0 && la < lb));
        break;
    }
    case 2:
        lua_pushboolean(L, !lua_toboolean(L, 1) && lua_toboolean(L, 2));
        break;
    default:
        lua_pushboolean(L, 0);
    }
    return 1;
}

/* Iterator of the deterministic pairs: upvalue 1 the sorted keys,
 * upvalue 2 the position; keys whose value became nil are skipped. */
static int sorted_next(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
    for (;;) {
        if (lua_rawgeti(L, lua_upvalueindex(1), ++i) == LUA_TNIL)
            return 1;
        lua_pushinteger(L, i);
        lua_replace(L, lua_upvalueindex(2));
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL)
            return 2;
        lua_pop(L, 2);
    }
}

/* pairs in a fixed key order: Lua's own order depends on a per-process
 * hash seed, which would make a hook's output vary between runs.
 * Upvalue 1 is table.sort. A __pairs metamethod is honoured. */
static int sb_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_pushcfunction(L, key_less);
    lua_call(L, 2, 0);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sorted_next, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* ============================================================ cb helpers */

#define YEAR_MIN 1900
#define YEAR_MAX 2999

/* Argument errors name the helper as the hook wrote it: 'cb.weekday'. */
static int cb_argerror(lua_State *L, int arg, const char *fname,
                       const char *msg)
{
    return luaL_error(L, "bad argument #%d to 'cb.%s' (%s)", arg, fname,
                      msg);
}

static int cb_typeerror(lua_State *L, int arg, const char *fname,
                        const char *expected)
{
    const char *got = lua_type(L, arg) == LUA_TNONE ? "no value"
                                                    : luaL_typename(L, arg);
    lua_pushfstring(L, "%s expected, got %s", expected, got);
    return cb_argerror(L, arg, fname, lua_tostring(L, -1));
}

static lua_Integer check_int(lua_State *L, int arg, const char *fname)
{
    int ok;
    if (lua_type(L, arg) != LUA_TNUMBER)
        cb_typeerror(L, arg, fname, "integer");
    lua_Integer v = lua_tointegerx(L, arg, &ok);
    if (!ok)
        cb_argerror(L, arg, fname, "number has no integer representation");
    return v;
}

static cdate check_date(lua_State *L, int arg, const char *fname)
{
    struct err e;
    cdate d;
    if (lua_type(L, arg) != LUA_TSTRING)
        cb_typeerror(L, arg, fname, "date string \"YYYY-MM-DD\"");
    if (date_parse(lua_tostring(L, arg), &d, &e) < 0)
        cb_argerror(L, arg, fname, e.msg);
    return d;
}

/* Push d as "YYYY-MM-DD"; an error when it falls outside the years dates
 * may take. */
static int push_date(lua_State *L, int64_t d, const char *fname)
{
    char buf[11];
    if (d < date_from_ymd(YEAR_MIN, 1, 1) ||
        d > date_from_ymd(YEAR_MAX, 12, 31))
        return luaL_error(L, "bad result of 'cb.%s' (date out of range, "
                             "years %d..%d)", fname, YEAR_MIN, YEAR_MAX);
    lua_pushstring(L, date_fmt((cdate)d, buf));
    return 1;
}

/* cb.weekday(date) -> 1 (Monday) .. 7 (Sunday) */
static int cb_weekday(lua_State *L)
{
    lua_pushinteger(L, date_weekday(check_date(L, 1, "weekday")));
    return 1;
}

/* cb.add_days(date, n) -> date */
static int cb_add_days(lua_State *L)
{
    cdate d = check_date(L, 1, "add_days");
    lua_Integer n = check_int(L, 2, "add_days");
    if (n < -2000000 || n > 2000000)
        return push_date(L, INT64_MAX, "add_days");
    return push_date(L, (int64_t)d + n, "add_days");
}

/* cb.add_months(date, n) -> date, clamped to the month's last day */
static int cb_add_months(lua_State *L)
{
    cdate d = check_date(L, 1, "add_months");
    lua_Integer n = check_int(L, 2, "add_months");
    if (n < -24000 || n > 24000)
        return push_date(L, INT64_MAX, "add_months");
    return push_date(L, date_add_months(d, (int)n), "add_months");
}

/* cb.days(from, to) -> to - from in days */
static int cb_days(lua_State *L)
{
    cdate from = check_date(L, 1, "days"), to = check_date(L, 2, "days");
    lua_pushinteger(L, (lua_Integer)to - from);
    return 1;
}

/* cb.days_in_month(date) -> 28..31 */
static int cb_days_in_month(lua_State *L)
{
    int y, m, d;
    date_to_ymd(check_date(L, 1, "days_in_month"), &y, &m, &d);
    lua_pushinteger(L, date_days_in_month(y, m));
    return 1;
}

/* cb.round(x) -> integer, halves away from zero */
static int cb_round(lua_State *L)
{
    int64_t i;
    if (lua_type(L, 1) != LUA_TNUMBER)
        return cb_typeerror(L, 1, "round", "number");
    if (lua_isinteger(L, 1)) {
        lua_settop(L, 1);
        return 1;
    }
    lua_Number x = lua_tonumber(L, 1);
    if (!isfinite(x))
        return cb_argerror(L, 1, "round", "not a finite number");
    if (round_half_away(x, &i) != 0)
        return cb_argerror(L, 1, "round", "out of integer range");
    lua_pushinteger(L, (lua_Integer)i);
    return 1;
}

/* cb.muldiv(a, num, den) -> a * num / den, halves away from zero, exact */
static int cb_muldiv(lua_State *L)
{
    lua_Integer a = check_int(L, 1, "muldiv");
    lua_Integer num = check_int(L, 2, "muldiv");
    lua_Integer den = check_int(L, 3, "muldiv");
    if (den == 0)
        return cb_argerror(L, 3, "muldiv", "division by zero");
    int64_t q;
    if (money_muldiv_round_checked(a, num, den, &q) != 0)
        return luaL_error(L, "bad result of 'cb.muldiv' (out of integer "
                             "range)");
    lua_pushinteger(L, (lua_Integer)q);
    return 1;
}

static int open_cb(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"weekday", cb_weekday},
        {"add_days", cb_add_days},
        {"add_months", cb_add_months},
        {"days", cb_days},
        {"days_in_month", cb_days_in_month},
        {"round", cb_round},
        {"muldiv", cb_muldiv},
        {NULL, NULL},
    };
    luaL_newlib(L, fns);
    return 1;
}

/* ============================================================ string guards */

/* Lua's pattern matcher, string.rep and string.format run inside one C
 * call, which the instruction count never sees: a backtracking pattern
 * such as ("a"):rep(40):find(("a-"):rep(20) .. "b") would run for ages
 * holding the ledger's write lock. Each pattern function therefore first
 * estimates the matcher's worst case for its subject and pattern and
 * refuses (HOOK_BLOCKED) what exceeds PATTERN_BUDGET steps. For a subject
 * of n bytes and a pattern of m bytes with q variable quantifiers (* + -),
 * o optional items (?) and r items that scan the subject again (%b and
 * back-references %1..%9), the matcher tries n + 1 start positions, and
 * from each at most C(n + q, q) ways to split the subject among the
 * quantifiers (their lengths add up to at most n), each doubled per ?,
 * each of which costs at most m steps and n more per rescanning item:
 *     cost <= (n + 1) * C(n + q, q) * 2^o * (n + 1)^r * (m + 1)
 * A plain find (the 4th argument, or a pattern without specials) costs at
 * most (n + 1) * (m + 1). A budget of 10^8 steps is a few tenths of a
 * second; it still allows a date pattern "^(%d+)-(%d+)-(%d+)$" on 10 KB,
 * a one-quantifier pattern on 100 KB and "(%a+)%s+(%a+)" on 1 KB. gmatch
 * and gsub are estimated once for the whole subject: every later step
 * starts where the previous match ended, so their total stays within
 * twice the estimate. string.rep is refused past REP_MAX bytes (a hook
 * has no use for longer strings; the memory cap would stop it anyway).
 * tostring and string.format("%s") show tables and functions by their
 * type only, and "%p" is refused: addresses differ from run to run. */
#define PATTERN_BUDGET 1e8
#define REP_MAX (1024 * 1024)

/* The worst-case estimate above for subject length n and pattern p. */
static double pattern_cost(size_t n, const char *p, size_t m, int plain)
{
    static const char specials[] = "^$*+?.([%-";
    int has_special = 0;
    for (size_t i = 0; i < m && !has_special; i++)
        if (p[i] == '\0' || strchr(specials, p[i]))
            has_special = p[i] != '\0';
    if (plain || !has_special)
        return ((double)n + 1) * ((double)m + 1);

    int q = 0, o = 0, r = 0;
    size_t i = 0;
    if (i < m && p[i] == '^')
        i++;
    while (i < m) {
        char c = p[i];
        if (c == '(' || c == ')') {
            i++;
            continue;
        }
        if (c == '$' && i + 1 == m)
            break;
        if (c == '%' && i + 1 < m) {
            char d = p[i + 1];
            if (d == 'b') {
                r++;
                i += 4;
                continue;
            }
            if (d >= '1' && d <= '9') {
                r++;
                i += 2;
                continue;
            }
            if (d == 'f') {
                i += 2;
                if (i < m && p[i] == '[') {
                    i++;
                    if (i < m && p[i] == '^')
                        i++;
                    do {
                        if (i < m && p[i] == '%')
                            i++;
                        i++;
                    } while (i < m && p[i] != ']');
                    i++;
                }
                continue;
            }
            i += 2;
        } else if (c == '[') {
            i++;
            if (i < m && p[i] == '^')
                i++;
            do { /* the first ']' belongs to the set */
                if (i < m && p[i] == '%')
                    i++;
                i++;
            } while (i < m && p[i] != ']');
            i++;
        } else {
            i++;
        }
        if (i < m) {
            if (p[i] == '*' || p[i] == '+' || p[i] == '-') {
                q++;
                i++;
            } else if (p[i] == '?') {
                o++;
                i++;
            }
        }
    }
    double cost = ((double)n + 1) * ((double)m + 1);
    /* Built up factor by factor; past 1e30 the exact size of a refusal
     * no longer matters. */
    for (int k = 1; k <= q && cost <= 1e30; k++)
        cost *= ((double)n + k) / k; /* C(n + q, q) */
    for (int k = 0; k < o && cost <= 1e30; k++)
        cost *= 2;
    for (int k = 0; k < r && cost <= 1e30; k++)
        cost *= (double)n + 1;
    return cost;
}

/* Refuse a call of string.NAME whose pattern (argument 2) may backtrack
 * past the budget on its subject (argument 1); then call the original
 * (upvalue 1) with all arguments. */
static int guarded_pattern(lua_State *L, const char *name, int plain)
{
    size_t n, m;
    const char *s = luaL_checklstring(L, 1, &n);
    const char *p = luaL_checklstring(L, 2, &m);
    (void)s;
    double cost = pattern_cost(n, p, m, plain);
    if (cost > PATTERN_BUDGET) {
        char why[160];
        snprintf(why, sizeof why, "worst case about %.1e steps, limit %.0e",
                 cost, PATTERN_BUDGET);
        return raise_blocked(L, "string.%s: pattern too costly for a "
                                "subject of %d bytes (%s); use a simpler "
                                "pattern or a plain find",
                             name, (int)(n > INT32_MAX ? INT32_MAX : n), why);
    }
    int top = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, LUA_MULTRET);
    return lua_gettop(L);
}

static int sb_find(lua_State *L)
{
    return guarded_pattern(L, "find", lua_toboolean(L, 4));
}
static int sb_match(lua_State *L) { return guarded_pattern(L, "match", 0); }
static int sb_gmatch(lua_State *L) { return guarded_pattern(L, "gmatch", 0); }
static int sb_gsub(lua_State *L) { return guarded_pattern(L, "gsub", 0); }

/* string.rep refusing results longer than REP_MAX bytes. */
static int sb_rep(lua_State *L)
{
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0 && (double)l * (double)n + (double)lsep * (double)(n - 1) >
                     REP_MAX)
        return luaL_error(L, "string.rep: result longer than %d bytes "
                             "(hooks work on short strings)", REP_MAX);
    int top = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, 1);
    return 1;
}

/* Push what tostring shows of the value at idx: as Lua's own for nil,
 * booleans, numbers, strings and values with __tostring; only the type
 * ("table", "function") for the rest, never an address. */
static const char *det_tostring(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
    case LUA_TBOOLEAN:
    case LUA_TNUMBER:
    case LUA_TSTRING:
        return luaL_tolstring(L, idx, NULL);
    default:
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            return luaL_tolstring(L, idx, NULL);
        }
        lua_pushstring(L, luaL_typename(L, idx));
        return lua_tostring(L, -1);
    }
}

static int sb_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    det_tostring(L, 1);
    return 1;
}

/* string.format (upvalue 1) with "%p" refused and "%s" of a table or
 * function shown as det_tostring shows it. */
static int sb_format(lua_State *L)
{
    size_t len;
    const char *f = luaL_checklstring(L, 1, &len);
    int arg = 1;
    for (size_t i = 0; i < len; i++) {
        if (f[i] != '%')
            continue;
        if (++i < len && f[i] == '%')
            continue;
        while (i < len && strchr("-+ #0123456789.", f[i]))
            i++;
        if (i >= len)
            break;
        arg++;
        if (f[i] == 'p')
            return raise_blocked(L, "string.format: '%%p' is not available "
                                    "to hooks (addresses differ between "
                                    "runs)");
        if (f[i] == 's' && arg <= lua_gettop(L) &&
            lua_type(L, arg) != LUA_TSTRING &&
            lua_type(L, arg) != LUA_TNUMBER) {
            det_tostring(L, arg);
            lua_replace(L, arg);
        }
    }
    int top = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, 1);
    return 1;
}

/* Replace field name of the table on top by fn with the original as its
 * upvalue. */
static void wrap_field(lua_State *L, const char *name, lua_CFunction fn)
{
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, -2, name);
}

/* ============================================================ the state */

/* Globals of the base library a hook may use (the libraries are listed
 * in env_index). */
static const char *const allowed_base[] = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
    "print", "rawequal", "rawget", "rawlen", "rawset", "select",
    "setmetatable", "tonumber", "tostring", "type", "xpcall", "_VERSION",
    NULL,
};

/* Open the allow-listed libraries and replace or remove what a hook must
 * not have. Runs unprotected with the cap off, on a fresh state. */
static void sandbox_open(lua_State *L)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},
        {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},
        {"cb", open_cb},
        {NULL, NULL},
    };
    static const char *const removed[] = {
        "dofile", "loadfile", "load", "require", "collectgarbage", "warn",
        NULL,
    };

    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, removed[i]);
    }
    lua_pushcfunction(L, sb_print);
    lua_setfield(L, -2, "print");
    lua_pushcfunction(L, sb_setmetatable);
    lua_setfield(L, -2, "setmetatable");
    lua_pushcfunction(L, sb_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_getfield(L, -1, LUA_TABLIBNAME);
    lua_getfield(L, -1, "sort");
    lua_pushcclosure(L, sb_pairs, 1);
    lua_setfield(L, -3, "pairs");
    lua_pop(L, 1);

    lua_getfield(L, -1, LUA_MATHLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "random");
    lua_pushnil(L);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);

    /* Strings keep their methods, but the string table behind them is
     * out of reach: getmetatable("") answers false. */
    lua_getfield(L, -1, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    wrap_field(L, "find", sb_find);
    wrap_field(L, "match", sb_match);
    wrap_field(L, "gmatch", sb_gmatch);
    wrap_field(L, "gsub", sb_gsub);
    wrap_field(L, "rep", sb_rep);
    wrap_field(L, "format", sb_format);
    lua_pop(L, 1);
    lua_pushcfunction(L, sb_tostring);
    lua_setfield(L, -2, "tostring");
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 3);
}

/* Push a new table of the base functions a hook may read (the
 * libraries come from push_lib_copy). */
static void push_allowed(lua_State *L)
{
    lua_newtable(L);
    lua_pushglobaltable(L);
    for (int i = 0; allowed_base[i]; i++) {
        lua_getfield(L, -1, allowed_base[i]);
        lua_setfield(L, -3, allowed_base[i]);
    }
    lua_pop(L, 1);
}

/* Push a private shallow copy of library `name`, so whatever a call does
 * to `string` or `cb` stays in that call. */
static void push_lib_copy(lua_State *L, const char *name)
{
    lua_pushglobaltable(L);
    lua_getfield(L, -1, name);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_replace(L, -3);
    lua_pop(L, 1);
}

struct hooks *hooks_new(const struct hook_limits *lim)
{
    struct hooks *h = xcalloc(1, sizeof *h);
    h->instr_limit = lim && lim->instructions > 0 ? lim->instructions
                                                  : DEFAULT_INSTRUCTIONS;
    h->mem_limit = lim && lim->memory_bytes > 0 ? (size_t)lim->memory_bytes
                                                : DEFAULT_MEMORY;
    h->L = lua_newstate(cap_alloc, h);
    if (!h->L) {
        free(h);
        return NULL;
    }
    *(struct hooks **)lua_getextraspace(h->L) = h;
    lua_atpanic(h->L, on_panic);
    sandbox_open(h->L);
    push_allowed(h->L);
    h->allowed_ref = luaL_ref(h->L, LUA_REGISTRYINDEX);
    limits_reset(h);
    h->cap_on = 1;
    return h;
}

void hooks_free(struct hooks *h)
{
    if (!h)
        return;
    h->cap_on = 0;
    lua_close(h->L);
    for (size_t i = 0; i < h->n_files; i++) {
        free(h->files[i]->path);
        free(h->files[i]);
    }
    for (size_t i = 0; i < h->n_bound; i++) {
        free(h->bound[i]->func);
        free(h->bound[i]);
    }
    free(h->files);
    free(h->bound);
    free(h);
}

/* ============================================================ runs */

/* Message handler of every run (lua.c's msghandler): remembers the
 * innermost Lua line and turns the error object into a string. */
static int msghandler(lua_State *L)
{
    struct hooks *h = H(L);
    lua_Debug ar;

    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            h->err_line = ar.currentline;
            break;
        }
    }
    if (lua_type(L, 1) == LUA_TSTRING)
        return 1;
    if (lua_type(L, 1) == LUA_TNUMBER) {
        luaL_tolstring(L, 1, NULL);
        return 1;
    }
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
        return 1;
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

/* Run fn(ud) protected, with fresh limits. Returns HOOK_OK with fn's one
 * result on top of an otherwise empty stack, or the failure with its
 * message in msg (the stack then empty). */
static enum hook_failure run(struct hooks *h, lua_CFunction fn, void *ud,
                             char *msg, size_t msgsz)
{
    lua_State *L = h->L;
    enum hook_failure f = HOOK_OK;

    lua_settop(L, 0);
    limits_reset(h);
    lua_pushcfunction(L, msghandler);
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, ud);
    int st = lua_pcall(L, 1, 1, 1);

    msg[0] = '\0';
    if (st != LUA_OK) {
        const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                       : "unknown error";
        snprintf(msg, msgsz, "%s", m);
        if (h->limit_hit != HOOK_OK)
            f = h->limit_hit;
        else if (st == LUA_ERRMEM)
            f = HOOK_MEMORY;
        else if (h->blocked[0] &&
                 strncmp(m, h->blocked, sizeof h->blocked - 1) == 0)
            f = HOOK_BLOCKED;
        else
            f = HOOK_SCRIPT_ERROR;
    } else if (h->limit_hit != HOOK_OK) {
        f = h->limit_hit; /* the hook caught the error and carried on */
    }
    if (f != HOOK_OK) {
        lua_settop(L, 0);
        if (f == HOOK_MEMORY)
            lua_gc(L, LUA_GCCOLLECT);
    } else {
        lua_remove(L, 1);
    }
    return f;
}

/* Every hook file is compiled under the chunk name "=" CHUNK_MARK: Lua
 * puts the source name in front of its messages ("SRC:LINE: ...") and
 * cuts a long "@path" to its last LUA_IDSIZE bytes, so the messages name
 * the file by this mark instead, and expand_mark puts the whole path in
 * its place. */
#define CHUNK_MARK "\x01"

/* msg with every CHUNK_MARK replaced by path, into out[outsz]. */
static const char *expand_mark(const char *msg, const char *path, char *out,
                               size_t outsz)
{
    struct sbuf b = {0};
    for (const char *p = msg; *p; p++)
        if (*p == CHUNK_MARK[0])
            sb_add(&b, path);
        else
            sb_addc(&b, *p);
    snprintf(out, outsz, "%s", sb_str(&b));
    sb_free(&b);
    return out;
}

/* When msg starts with "MARK:LINE: " (the chunk's own position), store
 * LINE in *line and return the text after it; otherwise return msg. */
static const char *strip_position(const char *path, const char *msg,
                                  int *line)
{
    (void)path;
    size_t n = strlen(CHUNK_MARK);
    if (strncmp(msg, CHUNK_MARK, n) != 0 || msg[n] != ':' ||
        !isdigit((unsigned char)msg[n + 1]))
        return msg;
    const char *p = msg + n + 1;
    int l = 0;
    for (; isdigit((unsigned char)*p); p++)
        l = l < 100000000 ? l * 10 + (*p - '0') : l;
    if (p[0] != ':' || p[1] != ' ')
        return msg;
    *line = l;
    return p + 2;
}

/* Fill place with "path:line" (or "path" when line is 0) and return the
 * text of a failed run's message. */
static const char *failure_text(struct hooks *h, enum hook_failure f,
                                const char *path, const char *msg,
                                char *text, size_t textsz,
                                char *place, size_t placesz)
{
    int line = 0;
    switch (f) {
    case HOOK_INSTRUCTIONS:
        line = h->limit_line;
        snprintf(text, textsz, "exceeded the instruction limit of %lld",
                 (long long)h->instr_limit);
        break;
    case HOOK_MEMORY:
        snprintf(text, textsz, "exceeded the memory limit of %zu bytes",
                 h->mem_limit);
        break;
    default:
        line = h->err_line;
        expand_mark(strip_position(path, msg, &line), path, text, textsz);
        break;
    }
    if (line > 0)
        snprintf(place, placesz, "%s:%d", path, line);
    else
        snprintf(place, placesz, "%s", path);
    return text;
}

/* ============================================================ loading */

static struct hook_file *file_find(struct hooks *h, const char *path)
{
    for (size_t i = 0; i < h->n_files; i++)
        if (strcmp(h->files[i]->path, path) == 0)
            return h->files[i];
    return NULL;
}

struct load_job {
    const char *path, *buf;
    size_t len;
};

/* Run the main chunk at index chunk in a new _ENV, then close the env to
 * new globals. Pushes the env. */
static void run_chunk(lua_State *L, int chunk)
{
    chunk = lua_absindex(L, chunk);
    lua_newtable(L); /* the env */
    int env = lua_gettop(L);
    lua_createtable(L, 0, 3); /* its metatable */
    lua_rawgeti(L, LUA_REGISTRYINDEX, H(L)->allowed_ref);
    lua_pushcclosure(L, env_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushvalue(L, -1);
    lua_setmetatable(L, env);
    int mt = lua_gettop(L);

    lua_pushvalue(L, env);
    if (!lua_setupvalue(L, chunk, 1)) /* a main chunk's 1st is _ENV */
        lua_pop(L, 1);
    lua_pushvalue(L, chunk);
    lua_call(L, 0, 0);

    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, mt, "__newindex");
    lua_pushvalue(L, env);
    lua_replace(L, chunk + 1);
    lua_settop(L, chunk + 1);
}

/* Compile a file as text and run its top level once (run_chunk). Returns
 * a table {env, chunk}. */
static int load_chunk(lua_State *L)
{
    struct load_job *j = lua_touserdata(L, 1);
    int st = luaL_loadbufferx(L, j->buf, j->len, "=" CHUNK_MARK, "t");
    if (st != LUA_OK) {
        if (j->len > 0 && j->buf[0] == LUA_SIGNATURE[0])
            lua_pushfstring(L, "%s: binary chunks are refused (hook files "
                               "must be Lua source text)", j->path);
        return lua_error(L);
    }
    int chunk = lua_gettop(L);
    run_chunk(L, chunk);
    lua_createtable(L, 2, 0);
    lua_insert(L, chunk);
    lua_rawseti(L, chunk, 1);
    lua_rawseti(L, chunk, 2);
    return 1;
}

int hooks_load(struct hooks *h, const char *path, struct err *e)
{
    char msg[1024], text[1024], place[1100];
    struct load_job j;
    size_t len;

    assert(h && path);
    if (file_find(h, path))
        return 0;
    char *buf = file_read(path, &len, e);
    if (!buf)
        return -1;
    j.path = path;
    j.buf = buf;
    j.len = len;
    enum hook_failure f = run(h, load_chunk, &j, msg, sizeof msg);
    free(buf);
    if (f != HOOK_OK) {
        failure_text(h, f, path, msg, text, sizeof text, place, sizeof place);
        /* A message that names no place of its own ("path: ...") keeps
         * its wording. */
        if (strncmp(text, path, strlen(path)) == 0)
            return err_set(e, "%s", text);
        return err_set(e, "%s: %s", place, text);
    }
    struct hook_file *hf = xcalloc(1, sizeof *hf);
    hf->path = xstrdup(path);
    h->cap_on = 0; /* bookkeeping must not fail on the cap */
    lua_rawgeti(h->L, 1, 2);
    hf->chunk_ref = luaL_ref(h->L, LUA_REGISTRYINDEX);
    lua_rawgeti(h->L, 1, 1);
    hf->env_ref = luaL_ref(h->L, LUA_REGISTRYINDEX);
    lua_settop(h->L, 0);
    h->cap_on = 1;
    h->files = xrealloc(h->files, (h->n_files + 1) * sizeof *h->files);
    h->files[h->n_files++] = hf;
    return 0;
}

int hooks_bind(struct hooks *h, const char *path, const char *func,
               struct hook_ref *out, struct err *e)
{
    lua_State *L = h->L;

    assert(h && path && func && out);
    out->ref = -1;
    out->file = NULL;
    out->func = NULL;
    if (hooks_load(h, path, e) < 0)
        return -1;
    struct hook_file *hf = file_find(h, path);
    for (size_t i = 0; i < h->n_bound; i++) {
        struct hook_bound *b = h->bound[i];
        if (b->file == hf && strcmp(b->func, func) == 0) {
            out->ref = b->ref;
            out->file = hf->path;
            out->func = b->func;
            return 0;
        }
    }
    h->cap_on = 0;
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, hf->env_ref);
    lua_pushstring(L, func);
    int t = lua_rawget(L, 1);
    if (t != LUA_TFUNCTION) {
        lua_settop(L, 0);
        h->cap_on = 1;
        if (t == LUA_TNIL)
            return err_set(e, "%s: defines no function '%s'", path, func);
        return err_set(e, "%s: '%s' is a %s, expected a function", path,
                       func, lua_typename(L, t));
    }
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_settop(L, 0);
    h->cap_on = 1;

    struct hook_bound *b = xcalloc(1, sizeof *b);
    b->file = hf;
    b->func = xstrdup(func);
    b->ref = ref;
    h->bound = xrealloc(h->bound, (h->n_bound + 1) * sizeof *h->bound);
    h->bound[h->n_bound++] = b;
    out->ref = ref;
    out->file = hf->path;
    out->func = b->func;
    return 0;
}

/* ============================================================ calls */

/* Push the context table; dotted keys make nested tables. */
static void push_ctx(lua_State *L, const struct hook_kv *kv, size_t n)
{
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        char key[256], *seg = key, *dot;
        assert(kv[i].key && strlen(kv[i].key) < sizeof key);
        snprintf(key, sizeof key, "%s", kv[i].key);
        lua_pushvalue(L, -1);
        while ((dot = strchr(seg, '.'))) {
            *dot = '\0';
            int t = lua_getfield(L, -1, seg);
            if (t != LUA_TTABLE) {
                assert(t == LUA_TNIL); /* "a" and "a.b" both given */
                lua_pop(L, 1);
                lua_newtable(L);
                lua_pushvalue(L, -1);
                lua_setfield(L, -3, seg);
            }
            lua_remove(L, -2);
            seg = dot + 1;
        }
        switch (kv[i].type) {
        case HKV_INT: lua_pushinteger(L, kv[i].i); break;
        case HKV_BOOL: lua_pushboolean(L, kv[i].i != 0); break;
        case HKV_STR:
            if (kv[i].s)
                lua_pushstring(L, kv[i].s);
            else
                lua_pushnil(L);
            break;
        }
        lua_setfield(L, -2, seg);
        lua_pop(L, 1);
    }
}

struct call_job {
    int chunk_ref;
    const char *func;
    const struct hook_kv *ctx;
    size_t n;
};

/* Run the file's top level in a fresh _ENV (so file-level locals and
 * globals start anew on every call), then call its function. */
static int call_hook(lua_State *L)
{
    struct call_job *j = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, j->chunk_ref);
    run_chunk(L, -1);
    lua_pushstring(L, j->func);
    if (lua_rawget(L, -2) != LUA_TFUNCTION)
        return luaL_error(L, "'%s' is no longer a function", j->func);
    push_ctx(L, j->ctx, j->n);
    lua_call(L, 1, 1);
    return 1;
}

/* Run a bound hook; on failure fill e and return the kind. */
static enum hook_failure call(struct hooks *h, const struct hook_ref *ref,
                              const struct hook_kv *ctx, size_t n,
                              struct err *e)
{
    char msg[1024], text[1024], place[1100];
    struct call_job j = {-1, NULL, ctx, n};

    assert(h && ref && ref->ref >= 0 && (ctx || n == 0));
    for (size_t i = 0; i < h->n_bound && !j.func; i++)
        if (h->bound[i]->ref == ref->ref) {
            j.chunk_ref = h->bound[i]->file->chunk_ref;
            j.func = h->bound[i]->func;
        }
    assert(j.func);
    enum hook_failure f = run(h, call_hook, &j, msg, sizeof msg);
    if (f != HOOK_OK) {
        failure_text(h, f, ref->file, msg, text, sizeof text, place,
                     sizeof place);
        err_set(e, "hook %s (%s): %s", ref->func, place, text);
    }
    return f;
}

/* Describe the value on top for a bad-result message. */
static void describe_top(lua_State *L, char *buf, size_t sz)
{
    switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, -1)) {
            snprintf(buf, sz, "%lld", (long long)lua_tointeger(L, -1));
        } else {
            double x = lua_tonumber(L, -1);
            if (isnan(x))
                snprintf(buf, sz, "nan");
            else if (isinf(x))
                snprintf(buf, sz, "%sinf", x < 0 ? "-" : "");
            else
                snprintf(buf, sz, "%.14g", x);
        }
        break;
    case LUA_TSTRING:
        snprintf(buf, sz, "the string \"%.60s\"", lua_tostring(L, -1));
        break;
    case LUA_TBOOLEAN:
        snprintf(buf, sz, "%s", lua_toboolean(L, -1) ? "true" : "false");
        break;
    case LUA_TNIL:
        snprintf(buf, sz, "nil");
        break;
    default:
        snprintf(buf, sz, "a %s", luaL_typename(L, -1));
    }
}

enum hook_failure hooks_call_int(struct hooks *h, const struct hook_ref *ref,
                                 const struct hook_kv *ctx, size_t n,
                                 int64_t *out, int *is_nil, struct err *e)
{
    char what[128];
    int ok = 0;

    *out = 0;
    if (is_nil)
        *is_nil = 0;
    enum hook_failure f = call(h, ref, ctx, n, e);
    if (f != HOOK_OK)
        return f;
    lua_State *L = h->L;
    if (lua_isinteger(L, -1)) {
        *out = lua_tointeger(L, -1);
        ok = 1;
    } else if (lua_type(L, -1) == LUA_TNUMBER &&
               (lua_tointegerx(L, -1, &ok), ok)) {
        /* An integral float such as 4500.0: money stays integer cents
         * from start to end, so a float is refused even when whole. */
        err_set(e, "hook %s (%s): returned %.1f, a float; money must be an "
                   "integer number of cents (use cb.round(x) or "
                   "math.tointeger(x))",
                ref->func, ref->file, lua_tonumber(L, -1));
        lua_settop(L, 0);
        return HOOK_BAD_RESULT;
    } else if (lua_isnil(L, -1) && is_nil) {
        *is_nil = 1;
        ok = 1;
    }
    if (!ok) {
        describe_top(L, what, sizeof what);
        err_set(e, "hook %s (%s): returned %s, expected an integer number "
                   "of cents%s", ref->func, ref->file, what,
                is_nil ? " or nil" : "");
        f = HOOK_BAD_RESULT;
    }
    lua_settop(L, 0);
    return f;
}

enum hook_failure hooks_call_date(struct hooks *h, const struct hook_ref *ref,
                                  const struct hook_kv *ctx, size_t n,
                                  cdate *out, struct err *e)
{
    char what[128];
    struct err pe;

    *out = CDATE_NONE;
    enum hook_failure f = call(h, ref, ctx, n, e);
    if (f != HOOK_OK)
        return f;
    lua_State *L = h->L;
    if (lua_type(L, -1) == LUA_TSTRING) {
        if (date_parse(lua_tostring(L, -1), out, &pe) < 0) {
            err_set(e, "hook %s (%s): returned %s", ref->func, ref->file,
                    pe.msg);
            f = HOOK_BAD_RESULT;
        }
    } else if (!lua_isnil(L, -1)) {
        describe_top(L, what, sizeof what);
        err_set(e, "hook %s (%s): returned %s, expected a date "
                   "\"YYYY-MM-DD\" or nil", ref->func, ref->file, what);
        f = HOOK_BAD_RESULT;
    }
    lua_settop(L, 0);
    return f;
}

int hooks_compile_check(const char *path, const char *text, size_t len,
                        struct err *e)
{
    lua_State *L = luaL_newstate();
    if (!L)
        return err_set(e, "%s: cannot start Lua to compile it", path);
    /* A one-character chunk name, replaced by the whole path below: Lua
     * shortens long chunk names to LUA_IDSIZE, and the message must name
     * the file whatever its length. */
    int st = luaL_loadbufferx(L, text, len, "=" CHUNK_MARK, "t");
    if (st != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (len > 0 && text[0] == LUA_SIGNATURE[0])
            err_set(e, "%s: binary chunks are refused (hook files must be "
                       "Lua source text)", path);
        else if (msg && msg[0] == CHUNK_MARK[0])
            err_set(e, "%s%s", path, msg + 1);
        else
            err_set(e, "%s: %s", path, msg ? msg : "cannot compile");
    }
    lua_close(L);
    return st == LUA_OK ? 0 : -1;
}
