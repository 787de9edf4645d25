/*
 * util.c — dates, money, strings, errors and allocation shared by every
 * module. Dates use Howard Hinnant's days-from-civil arithmetic; money is
 * int64 cents throughout, formatted and parsed without floating point.
 */
#define _GNU_SOURCE
#include "base/util.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ================================================================ errors */

int err_set(struct err *e, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    if (e) {
        char pre[512], old[sizeof e->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(pre, sizeof pre, fmt, ap);
        va_end(ap);
        memcpy(old, e->msg, sizeof old);
        snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old);
    }
    return -1;
}

int err_append(struct err *e, const char *fmt, ...)
{
    if (e) {
        size_t n = strlen(e->msg);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg + n, sizeof e->msg - n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ============================================================ allocation */

static void oom(void)
{
    fputs("carebill: out of memory\n", stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    return b.s ? b.s : xstrdup("");
}

/* ============================================================ strings */

static void sb_grow(struct sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_add(struct sbuf *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

void sb_addc(struct sbuf *b, char c)
{
    sb_addn(b, &c, 1);
}

void sb_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    sb_grow(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

void sb_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

void sb_free(struct sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

char *sb_steal(struct sbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *sb_str(const struct sbuf *b)
{
    return b->s ? b->s : "";
}

int is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    if (!(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(islower(c) || isdigit(c) || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

/* ============================================================ civil dates */

cdate date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 +
                         (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (cdate)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(cdate z0, int *y, int *m, int *d)
{
    int z = z0 + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int yy = (int)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

int date_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

int date_valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= date_days_in_month(y, m);
}

int date_parse(const char *s, cdate *out, struct err *e)
{
    if (!s)
        return err_set(e, "missing date (expected YYYY-MM-DD)");
    /* Digit by digit: every date column the ledger gives back is parsed
     * here, a million times in a large run. */
    int ok = 1, v[10];
    for (int i = 0; ok && i < 10; i++) {
        if (i == 4 || i == 7)
            ok = s[i] == '-';
        else if (s[i] >= '0' && s[i] <= '9')
            v[i] = s[i] - '0';
        else
            ok = 0;
    }
    if (!ok || s[10] != '\0')
        return err_set(e, "invalid date '%s' (expected YYYY-MM-DD)", s);
    int y = ((v[0] * 10 + v[1]) * 10 + v[2]) * 10 + v[3];
    int m = v[5] * 10 + v[6], d = v[8] * 10 + v[9];
    if (!date_valid_ymd(y, m, d))
        return err_set(e, "invalid date '%s' (no such day)", s);
    *out = date_from_ymd(y, m, d);
    return 0;
}

char *date_fmt(cdate d, char buf[11])
{
    int y, m, dd;
    if (d == CDATE_NONE) {
        buf[0] = '\0';
        return buf;
    }
    date_to_ymd(d, &y, &m, &dd);
    y %= 10000;
    buf[0] = (char)('0' + y / 1000), buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10), buf[3] = (char)('0' + y % 10);
    buf[4] = '-', buf[5] = (char)('0' + m / 10), buf[6] = (char)('0' + m % 10);
    buf[7] = '-', buf[8] = (char)('0' + dd / 10), buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
    return buf;
}

char *date_fmt_locale(cdate d, const char *locale, char buf[11])
{
    int y, m, dd;
    if (d == CDATE_NONE) {
        buf[0] = '\0';
        return buf;
    }
    date_to_ymd(d, &y, &m, &dd);
    if (locale && !strcmp(locale, "fr"))
        snprintf(buf, 11, "%02d/%02d/%04d", dd, m, y % 10000);
    else if (locale && !strcmp(locale, "en"))
        snprintf(buf, 11, "%04d-%02d-%02d", y % 10000, m, dd);
    else
        snprintf(buf, 11, "%02d-%02d-%04d", dd, m, y % 10000);
    return buf;
}

cdate date_month_start(cdate d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, 1);
}

cdate date_month_end(cdate d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, date_days_in_month(y, m));
}

cdate date_add_months(cdate anchor, int n)
{
    int y, m, d;
    date_to_ymd(anchor, &y, &m, &d);
    int mi = (m - 1) + n;
    y += mi >= 0 ? mi / 12 : -((11 - mi) / 12);
    mi = ((mi % 12) + 12) % 12;
    int dim = date_days_in_month(y, mi + 1);
    return date_from_ymd(y, mi + 1, d > dim ? dim : d);
}

int date_weekday(cdate d)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((d % 7 + 7 + 3) % 7);
    return w + 1;
}


/* ============================================================ money */

#define MONEY_LIMIT 10000000000000LL /* 10^13 cents */

int decimal_parse(const char *s, int scale, int64_t *out, struct err *e)
{
    const char *p = s;
    int64_t v = 0;
    int digits = 0, frac = -1;
    if (!s || !*s)
        return err_set(e, "missing number");
    for (; *p; p++) {
        if (*p == '.' && frac < 0) {
            if (digits == 0)
                return err_set(e, "invalid number '%s'", s);
            frac = 0;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return err_set(e, "invalid number '%s' (expected digits with an "
                              "optional '.' and at most %d decimals)", s, scale);
        if (frac >= 0 && ++frac > scale)
            return err_set(e, "invalid number '%s' (at most %d decimals)", s,
                           scale);
        if (v > MONEY_LIMIT)
            return err_set(e, "number '%s' is too large", s);
        v = v * 10 + (*p - '0');
        digits++;
    }
    if (digits == 0 || frac == 0)
        return err_set(e, "invalid number '%s'", s);
    for (int i = frac < 0 ? 0 : frac; i < scale; i++)
        v *= 10;
    if (v > MONEY_LIMIT)
        return err_set(e, "number '%s' is too large", s);
    *out = v;
    return 0;
}

int money_parse(const char *s, int64_t *cents, struct err *e)
{
    struct err inner;
    int neg = s && s[0] == '-';
    int64_t v;
    if (!s || !*s)
        return err_set(e, "missing amount (expected e.g. 45.00)");
    if (decimal_parse(s + neg, 2, &v, &inner) != 0)
        return err_set(e, "invalid amount '%s' (expected a decimal with a dot "
                          "and at most two decimals, e.g. 45.00)", s);
    *cents = neg ? -v : v;
    return 0;
}

char *money_fmt(int64_t cents, char buf[32])
{
    uint64_t a = cents < 0 ? (uint64_t)(-(cents + 1)) + 1 : (uint64_t)cents;
    snprintf(buf, 32, "%s%llu.%02llu", cents < 0 ? "-" : "",
             (unsigned long long)(a / 100), (unsigned long long)(a % 100));
    return buf;
}

char *decimal_fmt(int64_t v, int scale, char buf[32])
{
    int64_t div = 1;
    for (int i = 0; i < scale; i++)
        div *= 10;
    int64_t whole = v / div, frac = v % div;
    if (frac < 0)
        frac = -frac;
    int n = snprintf(buf, 32, "%s%lld", v < 0 && whole == 0 ? "-" : "",
                     (long long)whole);
    if (frac) {
        char f[24];
        snprintf(f, sizeof f, "%0*lld", scale, (long long)frac);
        for (int i = (int)strlen(f) - 1; i >= 0 && f[i] == '0'; i--)
            f[i] = '\0';
        snprintf(buf + n, (size_t)(32 - n), ".%s", f);
    }
    return buf;
}

char *money_fmt_locale(int64_t cents, const char *locale, char buf[48])
{
    uint64_t a = cents < 0 ? (uint64_t)(-(cents + 1)) + 1 : (uint64_t)cents;
    const char *thou = ".", *dec = ",";
    if (locale && strcmp(locale, "fr") == 0)
        thou = "\xe2\x80\xaf", dec = ","; /* narrow no-break space */
    else if (locale && strcmp(locale, "en") == 0)
        thou = ",", dec = ".";
    char digits[32], grouped[64];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100));
    size_t n = strlen(digits), g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            g += (size_t)snprintf(grouped + g, sizeof grouped - g, "%s", thou);
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    const char *sign = cents < 0 ? "-" : "";
    unsigned frac = (unsigned)(a % 100);
    if (locale && strcmp(locale, "fr") == 0)
        snprintf(buf, 48, "%s%s%s%02u\xc2\xa0\xe2\x82\xac", sign, grouped, dec,
                 frac);
    else if (locale && strcmp(locale, "en") == 0)
        snprintf(buf, 48, "%s\xe2\x82\xac%s%s%02u", sign, grouped, dec, frac);
    else
        snprintf(buf, 48, "\xe2\x82\xac %s%s%s%02u", sign, grouped, dec, frac);
    return buf;
}

/* p / d rounded half away from zero, d > 0. */
static __int128 div_round(__int128 p, __int128 d)
{
    __int128 q = p / d, r = p % d;
    if (r < 0)
        r = -r;
    if (2 * r >= d)
        q += p < 0 ? -1 : 1;
    return q;
}

int64_t money_muldiv_round(int64_t a, int64_t num, int64_t den)
{
    assert(den > 0);
    return (int64_t)div_round((__int128)a * num, den);
}

int64_t money_muldiv_floor(int64_t a, int64_t num, int64_t den)
{
    assert(den > 0);
    __int128 p = (__int128)a * num;
    __int128 q = p / den;
    if (p % den != 0 && p < 0)
        q--;
    return (int64_t)q;
}

int money_muldiv_round_checked(int64_t a, int64_t num, int64_t den,
                               int64_t *out)
{
    assert(den != 0);
    __int128 p = (__int128)a * num, d = den;
    if (d < 0) {
        p = -p;
        d = -d;
    }
    __int128 q = div_round(p, d);
    if (q > INT64_MAX || q < INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}

static int money_overflow(struct err *e, const char *op, int64_t a,
                          int64_t b)
{
    return err_set(e, "amount out of range: %lld %s %lld does not fit in "
                      "64 bits (the maximum per line and per invoice is "
                      "999999999.99)", (long long)a, op, (long long)b);
}

int money_add(int64_t a, int64_t b, int64_t *out, struct err *e)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return money_overflow(e, "+", a, b);
    *out = r;
    return 0;
}

int money_sub(int64_t a, int64_t b, int64_t *out, struct err *e)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return money_overflow(e, "-", a, b);
    *out = r;
    return 0;
}

int money_mul(int64_t a, int64_t b, int64_t *out, struct err *e)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r))
        return money_overflow(e, "*", a, b);
    *out = r;
    return 0;
}

int money_muldiv(int64_t a, int64_t num, int64_t den, int64_t *out,
                 struct err *e)
{
    if (den == 0)
        return err_set(e, "amount out of range: division by zero");
    /* |a * num| < 2^126: the 128-bit product cannot overflow. */
    if (money_muldiv_round_checked(a, num, den, out) != 0)
        return money_overflow(e, "*", a, num);
    return 0;
}

int money_in_range(int64_t cents, const char *what, struct err *e)
{
    if (cents >= -MONEY_MAX_CENTS && cents <= MONEY_MAX_CENTS)
        return 0;
    char a[32];
    return err_set(e, "%s %s is beyond the maximum of 999999999.99", what,
                   money_fmt(cents, a));
}

int round_half_away(double x, int64_t *out)
{
    if (!isfinite(x))
        return -1;
    double r = round(x);
    /* -2^63 is exact in a double; 2^63 is the first value past INT64_MAX. */
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return -1;
    *out = (int64_t)r;
    return 0;
}

int int_parse(const char *s, int64_t min, int64_t max, int64_t *out,
              struct err *e)
{
    char *end;
    if (!s || !*s)
        return err_set(e, "missing number");
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || (!isdigit((unsigned char)s[0]) && s[0] != '-'))
        return err_set(e, "invalid whole number '%s'", s);
    if (v < min || v > max)
        return err_set(e, "number %lld out of range (expected %lld..%lld)", v,
                       (long long)min, (long long)max);
    *out = v;
    return 0;
}

/* ============================================================ files */

char *file_read(const char *path, size_t *len, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, "%s: %s", path, strerror(errno)), NULL;
    struct sbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        sb_free(&b);
        return err_set(e, "%s: read error", path), NULL;
    }
    if (len)
        *len = b.len;
    return sb_steal(&b);
}

/* ---- SHA-256 (FIPS 180-4); written here to keep the core free of a crypto
 * library for the one digest it needs (the rule-set hash). */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(struct sha256 *c, const unsigned char *p)
{
    uint32_t w[64], a, b, cc, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                      ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                      ((a & b) ^ (a & cc) ^ (b & cc));
        h = g, g = f, f = e, e = d + t1, d = cc, cc = b, b = a, a = t1 + t2;
    }
    c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
    c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

void sha256_init(struct sha256 *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->n = 0;
}

void sha256_update(struct sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->len += len;
    while (len) {
        size_t take = 64 - c->n < len ? 64 - c->n : len;
        memcpy(c->buf + c->n, p, take);
        c->n += take, p += take, len -= take;
        if (c->n == 64) {
            sha256_block(c, c->buf);
            c->n = 0;
        }
    }
}

void sha256_final_hex(struct sha256 *c, char hex[65])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80, zero = 0, lenb[8];
    sha256_update(c, &pad, 1);
    while (c->n != 56)
        sha256_update(c, &zero, 1);
    for (int i = 0; i < 8; i++)
        lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, lenb, 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", c->h[i]);
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
    struct sha256 c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final_hex(&c, hex);
}
