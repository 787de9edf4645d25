/*
 * reference.c — ISO 11649 creditor references and Belgian structured
 * communications: check digits mod 97 over digits and letters (A = 10 ...
 * Z = 35, as in an IBAN), their printed forms, and their derivation from
 * an invoice number's digits.
 */
#include "formats/reference.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The remainder mod 97 of s read as a number, letters as two digits
 * (A = 10 ... Z = 35); -1 when s holds anything else. */
static int mod97(const char *s)
{
    int r = 0;
    for (; *s; s++) {
        int c = toupper((unsigned char)*s);
        if (c >= '0' && c <= '9')
            r = (r * 10 + (c - '0')) % 97;
        else if (c >= 'A' && c <= 'Z')
            r = (r * 100 + (c - 'A' + 10)) % 97;
        else
            return -1;
    }
    return r;
}

/* Copy s without spaces, upper case, into out (at most n - 1 characters).
 * Returns the length, or n when s does not fit. */
static size_t compact(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; s && *s; s++) {
        if (*s == ' ')
            continue;
        if (k + 1 >= n)
            return n;
        out[k++] = (char)toupper((unsigned char)*s);
    }
    out[k] = '\0';
    return k;
}

int rf_reference(const char *body, char out[RF_SIZE])
{
    assert(out);
    out[0] = '\0';
    size_t n = body ? strlen(body) : 0;
    if (n == 0 || n > RF_MAX_BODY)
        return -1;
    char s[RF_SIZE + 4];
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)body[i]) || (unsigned char)body[i] > 0x7f)
            return -1;
        s[i] = (char)toupper((unsigned char)body[i]);
    }
    memcpy(s + n, "RF00", 5);
    int check = 98 - mod97(s);
    s[n] = '\0';
    snprintf(out, RF_SIZE, "RF%02d%s", check, s);
    return 0;
}

int rf_reference_valid(const char *s)
{
    char c[RF_SIZE + 1];
    size_t n = compact(s, c, sizeof c);
    if (n < 5 || n > RF_SIZE - 1 || c[0] != 'R' || c[1] != 'F' ||
        !isdigit((unsigned char)c[2]) || !isdigit((unsigned char)c[3]))
        return 0;
    for (size_t i = 4; i < n; i++)
        if (!isalnum((unsigned char)c[i]))
            return 0;
    char r[RF_SIZE + 1];
    memcpy(r, c + 4, n - 4);
    memcpy(r + n - 4, c, 4);
    r[n] = '\0';
    return mod97(r) == 1;
}

char *rf_reference_pretty(const char *rf, char out[RF_PRETTY_SIZE])
{
    char c[RF_SIZE + 1];
    size_t n = compact(rf, c, sizeof c), k = 0;
    if (n >= sizeof c)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && i % 4 == 0)
            out[k++] = ' ';
        out[k++] = c[i];
    }
    out[k] = '\0';
    return out;
}

char *ogm_reference(uint64_t base, char out[OGM_SIZE])
{
    base %= 10000000000ULL;
    int check = (int)(base % 97);
    if (check == 0)
        check = 97;
    char d[13];
    snprintf(d, sizeof d, "%010llu%02d", (unsigned long long)base, check);
    snprintf(out, OGM_SIZE, "+++%.3s/%.4s/%.5s+++", d, d + 3, d + 7);
    return out;
}

int ogm_reference_valid(const char *s, char *digits)
{
    char c[32];
    size_t n = compact(s, c, sizeof c);
    if (n >= sizeof c)
        return 0;
    const char *p = c, *end = c + n;
    if (n == 20 && (!strncmp(c, "+++", 3) || !strncmp(c, "***", 3))) {
        if (strncmp(end - 3, c, 3) || c[6] != '/' || c[11] != '/')
            return 0;
        p += 3, end -= 3;
    }
    char d[13];
    size_t k = 0;
    for (; p < end; p++) {
        if (*p == '/' && n == 20)
            continue;
        if (!isdigit((unsigned char)*p) || k == 12)
            return 0;
        d[k++] = *p;
    }
    if (k != 12)
        return 0;
    d[12] = '\0';
    uint64_t base = 0;
    for (int i = 0; i < 10; i++)
        base = base * 10 + (uint64_t)(d[i] - '0');
    int check = (d[10] - '0') * 10 + (d[11] - '0');
    int want = (int)(base % 97);
    if (check != (want ? want : 97))
        return 0;
    if (digits)
        memcpy(digits, d, 13);
    return 1;
}

size_t reference_digits(const char *s, size_t max, char *out)
{
    size_t total = 0, k = 0;
    for (const char *p = s; p && *p; p++)
        total += isdigit((unsigned char)*p) != 0;
    size_t skip = total > max ? total - max : 0;
    for (const char *p = s; p && *p; p++) {
        if (!isdigit((unsigned char)*p))
            continue;
        if (skip) {
            skip--;
            continue;
        }
        out[k++] = *p;
    }
    out[k] = '\0';
    return k;
}

int rf_reference_of_number(const char *number, char out[RF_SIZE])
{
    char d[RF_MAX_BODY + 1];
    out[0] = '\0';
    if (reference_digits(number, RF_MAX_BODY, d) == 0)
        return -1;
    return rf_reference(d, out);
}

int ogm_reference_of_number(const char *number, char out[OGM_SIZE])
{
    char d[11];
    out[0] = '\0';
    if (reference_digits(number, 10, d) == 0)
        return -1;
    uint64_t base = 0;
    for (const char *p = d; *p; p++)
        base = base * 10 + (uint64_t)(*p - '0');
    ogm_reference(base, out);
    return 0;
}

uint64_t reference_base_of_number(const char *number, int own_series)
{
    char d[16];
    size_t n = reference_digits(number, own_series ? 14 : 15, d);
    uint64_t base = 0;
    for (size_t i = 0; i < n; i++)
        base = base * 10 + (uint64_t)(d[i] - '0');
    if (own_series)
        base += 900000000000000ULL; /* 9 and 14 digits */
    return base;
}

int reference_next(const char *taken, char *out, size_t outsz)
{
    char digits[13], c[RF_SIZE + 1];
    if (outsz < RF_SIZE)
        return -1;
    out[0] = '\0';
    if (ogm_reference_valid(taken, digits)) {
        /* Up where derived bases hardly go (see reference.h); from there
         * it counts on. */
        uint64_t base = 0;
        for (int i = 0; i < 10; i++)
            base = base * 10 + (uint64_t)(digits[i] - '0');
        if (base < OGM_MOVED)
            base = OGM_MOVED + base % 1000000000ULL;
        else if (++base > 9999999999ULL)
            base = OGM_MOVED;
        ogm_reference(base, out);
        return 0;
    }
    if (!rf_reference_valid(taken))
        return -1;
    size_t n = compact(taken, c, sizeof c);
    char body[RF_MAX_BODY + 2];
    size_t bn = n - 4;
    memcpy(body, c + 4, bn);
    body[bn] = '\0';
    if (strspn(body, "0123456789") == bn) {
        /* A derived body is digits only: one with a letter never meets
         * one. "X" and the digits (their last 20). */
        size_t keep = bn < RF_MAX_BODY ? bn : RF_MAX_BODY - 1;
        memmove(body + 1, body + bn - keep, keep + 1);
        body[0] = 'X';
    } else {
        /* Moved before: count its trailing digits up. */
        size_t i = bn;
        while (i > 1 && body[i - 1] == '9')
            body[--i] = '0';
        if (i > 1 && isdigit((unsigned char)body[i - 1]))
            body[i - 1]++;
        else if (bn + 1 <= RF_MAX_BODY) {
            memmove(body + i + 1, body + i, bn - i + 1);
            body[i] = '1';
        } else
            return -1;
    }
    return rf_reference(body, out);
}
