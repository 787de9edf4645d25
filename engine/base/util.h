/*
 * util.h — the small vocabulary every carebill module shares: civil dates,
 * money in integer cents, growable strings, error values and checked
 * allocation. Nothing here touches SQLite, Lua, YAML or the network.
 */
#ifndef CAREBILL_UTIL_H
#define CAREBILL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* "Did you mean" (edit_distance, suggest_*) belongs to the same shared
 * vocabulary. */
#include "base/suggest.h"

/* ---------------------------------------------------------------- errors */

/* An error value: a message and, when it has one, the place it came from.
 * Functions that can fail take a `struct err *` and return -1 (or NULL)
 * after filling it; 0 (or a value) on success. */
struct err {
    char msg[1024];
};

/* Format a message into e (printf-style); always returns -1. */
int err_set(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prepend "prefix: " to the message already in e; returns -1. */
int err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append " (suffix)"-style text to the message already in e; returns -1. */
int err_append(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------ allocation */

/* Allocation that never returns NULL: on exhaustion the process exits
 * with status 1 before anything is committed. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ strings */

/* A growable NUL-terminated byte string. Zero-initialise, append, then
 * take `s` (owned by the buffer until sb_free or sb_steal). */
struct sbuf {
    char *s;
    size_t len, cap;
};

void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_addc(struct sbuf *b, char c);
void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap);
void sb_reset(struct sbuf *b);           /* keeps the memory */
void sb_free(struct sbuf *b);
char *sb_steal(struct sbuf *b);          /* caller frees; buffer reset */
const char *sb_str(const struct sbuf *b); /* "" when empty */

/* True when s is a slug: [a-z0-9] first, then [a-z0-9_-], at most 64. */
int is_slug(const char *s);

/* ------------------------------------------------------------ civil dates */

/* A civil date in the practice's time zone as days since 1970-01-01.
 * Dates never carry a time of day; billing never subtracts timestamps. */
typedef int32_t cdate;

#define CDATE_NONE INT32_MIN

cdate date_from_ymd(int y, int m, int d);       /* no validation */
void date_to_ymd(cdate d, int *y, int *m, int *dd);
int date_days_in_month(int y, int m);
int date_valid_ymd(int y, int m, int d);

/* Parse exactly "YYYY-MM-DD" (years 1900..2999); -1 and err on failure. */
int date_parse(const char *s, cdate *out, struct err *e);

/* Write "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *date_fmt(cdate d, char buf[11]);

/* A date as its locale writes it: nl "23-11-2026", fr "23/11/2026",
 * en "2026-11-23"; "" for CDATE_NONE. */
char *date_fmt_locale(cdate d, const char *locale, char buf[11]);

/* The first of d's month, the last of d's month. */
cdate date_month_start(cdate d);
cdate date_month_end(cdate d);

/* Add n months to the anchor's day of month, clamping to the month's last
 * day (Jan 31 + 1 month = Feb 28/29; + 2 months = Mar 31). */
cdate date_add_months(cdate anchor, int n);

/* 1 = Monday ... 7 = Sunday. */
int date_weekday(cdate d);

/* ------------------------------------------------------------ money */

/* Parse a decimal amount with a dot and at most two decimals ("45", "45.5",
 * "45.00", "-3.20") into cents. Rejects anything else, and amounts beyond
 * +-10^13 cents. */
int money_parse(const char *s, int64_t *cents, struct err *e);

/* "1234.50" / "-0.05": plain, machine-readable. buf >= 32 bytes. */
char *money_fmt(int64_t cents, char buf[32]);

/* Locale-formatted with the euro sign: nl "€ 1.234,50", fr "1 234,50 €",
 * en "€1,234.50". buf >= 48 bytes. */
char *money_fmt_locale(int64_t cents, const char *locale, char buf[48]);

/* a * num / den rounded half away from zero (2.5 -> 3, -2.5 -> -3);
 * den > 0. Exact: the product is formed in 128 bits, so any a and num
 * whose quotient fits in int64 are right. This is the rounding of every
 * invoice amount: line amounts, VAT, prices net of VAT. */
int64_t money_muldiv_round(int64_t a, int64_t num, int64_t den);

/* a * num / den rounded down (towards minus infinity); den > 0. Exact,
 * as money_muldiv_round. For shares that must never add up to more than
 * the whole (credits given back pro rata). */
int64_t money_muldiv_floor(int64_t a, int64_t num, int64_t den);

/* money_muldiv_round for values that come from outside (a hook): den may
 * be negative (the sign moves to the product) but not 0. Returns 0 with
 * the result in *out, or -1 (out untouched) when it does not fit in
 * int64. */
int money_muldiv_round_checked(int64_t a, int64_t num, int64_t den,
                               int64_t *out);

/* x rounded to a whole number, halves away from zero (as C's round()).
 * Returns 0 with *out, or -1 when x is not finite or the result lies
 * outside int64 ([-2^63, 2^63)). */
int round_half_away(double x, int64_t *out);

/* ---- checked money arithmetic: the one place sums, products and
 * roundings of amounts are formed. Each returns 0 with the result in *out,
 * or -1 with e filled ("amount out of range ...") and *out untouched when
 * the exact result does not fit in int64. e may be NULL. */
int money_add(int64_t a, int64_t b, int64_t *out, struct err *e);
int money_sub(int64_t a, int64_t b, int64_t *out, struct err *e);
int money_mul(int64_t a, int64_t b, int64_t *out, struct err *e);
/* a * num / den rounded half away from zero; den != 0 (a den of 0 is an
 * error, not a crash). */
int money_muldiv(int64_t a, int64_t num, int64_t den, int64_t *out,
                 struct err *e);

/* The largest amount carebill accepts, in cents, for one invoice line and
 * for one invoice (net, VAT and total): 999 999 999.99, the largest amount
 * a SEPA instruction can carry (pain.008/pain.001 allow 11 digits with two
 * decimals), so every invoice can be collected and every amount is exact
 * in a double (JSON readers, Lua). A practice's real invoices are many
 * orders of magnitude below it. */
#define MONEY_MAX_CENTS 99999999999LL
/* The most lines on one invoice: far above any real care invoice (a
 * month of daily sessions is about 31), small enough that a PDF stays a
 * few dozen pages, and 1000 lines of MONEY_MAX_CENTS sum to 10^14, well
 * inside int64, before the total limit refuses them. */
#define INVOICE_MAX_LINES 1000

/* 0 when |cents| <= MONEY_MAX_CENTS; otherwise -1 with e saying
 * "<what> <amount> is beyond the maximum of 999999999.99". */
int money_in_range(int64_t cents, const char *what, struct err *e);

/* The name older callers use for money_muldiv_round. */
static inline int64_t muldiv_round(int64_t a, int64_t num, int64_t den)
{
    return money_muldiv_round(a, num, den);
}

/* Parse a non-negative decimal with up to `scale` decimals into an integer
 * scaled by 10^scale ("1.5" scale 2 -> 150). Used for hours and VAT
 * percentages. */
int decimal_parse(const char *s, int scale, int64_t *out, struct err *e);

/* Format a scaled integer without trailing zeros ("2100" scale 2 -> "21",
 * "550" -> "5.5"). buf >= 32 bytes. */
char *decimal_fmt(int64_t v, int scale, char buf[32]);

/* Parse a whole number in [min, max]. */
int int_parse(const char *s, int64_t min, int64_t max, int64_t *out,
              struct err *e);

/* ------------------------------------------------------------ files */

/* Read a whole file into a NUL-terminated buffer; caller frees. */
char *file_read(const char *path, size_t *len, struct err *e);

/* SHA-256 of data as 64 lowercase hex characters into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/* Streaming SHA-256. */
struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t n;
};
void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final_hex(struct sha256 *c, char hex[65]);

#endif
