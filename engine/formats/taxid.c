/*
 * taxid.c — KvK and VAT number formats (taxid.h), on plain strings.
 */
#include "formats/taxid.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* 1 when s[0..n) are all digits. */
static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

/* The value of the n digits at s. */
static uint64_t number(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

/* A Dutch VAT number's 9 digits pass the eleven test (weights 9..2 and
 * -1 for the last digit), as the Belastingdienst's omzetbelastingnummers
 * do; or the whole number (NL, 9 digits, B, 2 digits) passes ISO 7064
 * MOD 97-10 with letters as 10..35, as the btw-id of a sole trader issued
 * since 2020 does. */
static int nl_vat_digits_ok(const char *v)
{
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (v[2 + i] - '0') * (9 - i);
    sum -= v[10] - '0';
    if (sum % 11 == 0)
        return 1;
    unsigned rem = 0;
    for (const char *c = v; *c; c++) {
        unsigned d = is_digit(*c) ? (unsigned)(*c - '0')
                                  : (unsigned)(*c - 'A' + 10);
        rem = (d >= 10 ? rem * 100 + d : rem * 10 + d) % 97;
    }
    return rem == 1;
}

/* s without its spaces and dots, into out[outsz]; 0 when it does not
 * fit. */
static int compact(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '.')
            continue;
        if (n + 1 >= outsz)
            return 0;
        out[n++] = *s;
    }
    out[n] = '\0';
    return 1;
}

const char *kvk_problem(const char *s)
{
    char v[16];
    if (!s || !compact(s, v, sizeof v) || strlen(v) != 8 || !all_digits(v, 8))
        return "must be 8 digits (a KvK number, e.g. 12345678)";
    return NULL;
}

const char *enterprise_number_problem(const char *s)
{
    char v[16];
    if (!s || !compact(s, v, sizeof v) || strlen(v) != 10 ||
        !all_digits(v, 10) || (v[0] != '0' && v[0] != '1'))
        return "must be 10 digits starting with 0 or 1 (a Belgian "
               "enterprise number, e.g. 0123456749)";
    if (97 - number(v, 8) % 97 != number(v + 8, 2))
        return "fails its check digits (the last two are 97 minus the "
               "first eight mod 97)";
    return NULL;
}

const char *vat_number_problem(const char *s)
{
    char v[32];
    if (!s)
        return "is missing";
    if (!compact(s, v, sizeof v))
        return "is too long for a VAT number";
    size_t n = strlen(v);
    if (n < 4 || !is_upper(v[0]) || !is_upper(v[1]))
        return "must start with its country's two capital letters (NL, BE, "
               "FR, ...)";
    const char *b = v + 2;
    size_t bn = n - 2;
    if (!strncmp(v, "NL", 2)) {
        if (bn != 12 || !all_digits(b, 9) || b[9] != 'B' ||
            !all_digits(b + 10, 2))
            return "must be NL, 9 digits, B and 2 digits (e.g. "
                   "NL123456782B01)";
        if (!nl_vat_digits_ok(v))
            return "fails its check digits (the 9 digits pass neither the "
                   "eleven test nor, for a sole trader's btw-id, ISO 7064 "
                   "mod 97)";
    } else if (!strncmp(v, "BE", 2)) {
        if (bn != 10 || !all_digits(b, 10) || (b[0] != '0' && b[0] != '1'))
            return "must be BE and 10 digits starting with 0 or 1 (e.g. "
                   "BE0123456749)";
        if (97 - number(b, 8) % 97 != number(b + 8, 2))
            return "fails its check digits (the last two are 97 minus the "
                   "first eight mod 97)";
    } else if (!strncmp(v, "FR", 2)) {
        if (bn != 11 || !all_digits(b + 2, 9) ||
            !(is_digit(b[0]) || is_upper(b[0])) ||
            !(is_digit(b[1]) || is_upper(b[1])))
            return "must be FR, a two-character key and the 9-digit SIREN "
                   "(e.g. FR40123456824)";
        if (is_digit(b[0]) && is_digit(b[1]) &&
            (12 + 3 * (number(b + 2, 9) % 97)) % 97 != number(b, 2))
            return "fails its check digits (the key is (12 + 3 x (SIREN "
                   "mod 97)) mod 97)";
    } else if (!strncmp(v, "DE", 2)) {
        if (bn != 9 || !all_digits(b, 9))
            return "must be DE and 9 digits (e.g. DE123456789)";
    } else {
        if (bn < 2 || bn > 13)
            return "must be the country code and 2 to 13 letters or digits";
        for (size_t i = 0; i < bn; i++)
            if (!is_digit(b[i]) && !is_upper(b[i]))
                return "must be the country code and 2 to 13 capital "
                       "letters or digits";
    }
    return NULL;
}
