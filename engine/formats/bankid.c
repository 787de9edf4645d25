/*
 * bankid.c — the identifiers SEPA payments carry: IBAN (ISO 13616: the
 * registry's country lengths and BBAN formats, mod 97), BIC (ISO 9362
 * shape), the SEPA creditor identifier and the EPC identifiers.
 */
#include "formats/bankid.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One country of the IBAN registry: its total IBAN length and, where
 * given, the BBAN format as runs "<count><kind>" with kind n (digits),
 * a (upper-case letters) or c (letters and digits). NULL: alphanumeric. */
struct iban_country {
    char cc[3];
    unsigned char len;
    const char *bban;
};

/* Sorted by country code. Every SEPA country has its BBAN format. */
static const struct iban_country iban_registry[] = {
    {"AD", 24, "4n4n12c"},  {"AE", 23, "3n16n"},    {"AL", 28, "8n16c"},
    {"AT", 20, "5n11n"},    {"AZ", 28, "4a20c"},    {"BA", 20, "3n3n8n2n"},
    {"BE", 16, "3n7n2n"},   {"BG", 22, "4a4n2n8c"}, {"BH", 22, "4a14c"},
    {"BR", 29, "8n5n10n1a1c"}, {"BY", 28, "4c4n16c"}, {"CH", 21, "5n12c"},
    {"CR", 22, "4n14n"},    {"CY", 28, "3n5n16c"},  {"CZ", 24, "4n6n10n"},
    {"DE", 22, "8n10n"},    {"DK", 18, "4n9n1n"},   {"DO", 28, "4c20n"},
    {"EE", 20, "2n2n11n1n"}, {"EG", 29, "4n4n17n"}, {"ES", 24, "4n4n1n1n10n"},
    {"FI", 18, "3n11n"},    {"FO", 18, "4n9n1n"},   {"FR", 27, "5n5n11c2n"},
    {"GB", 22, "4a6n8n"},   {"GE", 22, "2a16n"},    {"GI", 23, "4a15c"},
    {"GL", 18, "4n9n1n"},   {"GR", 27, "3n4n16c"},  {"GT", 28, "4c20c"},
    {"HR", 21, "7n10n"},    {"HU", 28, "3n4n1n15n1n"}, {"IE", 22, "4a6n8n"},
    {"IL", 23, "3n3n13n"},  {"IQ", 23, "4a3n12n"},  {"IS", 26, "4n2n6n10n"},
    {"IT", 27, "1a5n5n12c"}, {"JO", 30, "4a4n18c"}, {"KW", 30, "4a22c"},
    {"KZ", 20, "3n13c"},    {"LB", 28, "4n20c"},    {"LC", 32, "4a24c"},
    {"LI", 21, "5n12c"},    {"LT", 20, "5n11n"},    {"LU", 20, "3n13c"},
    {"LV", 21, "4a13c"},    {"MC", 27, "5n5n11c2n"}, {"MD", 24, "2c18c"},
    {"ME", 22, "3n13n2n"},  {"MK", 19, "3n10c2n"},  {"MR", 27, "5n5n11n2n"},
    {"MT", 31, "4a5n18c"},  {"MU", 30, "4a2n2n12n3n3a"}, {"NL", 18, "4a10n"},
    {"NO", 15, "4n6n1n"},   {"PK", 24, "4a16c"},    {"PL", 28, "8n16n"},
    {"PS", 29, "4a21c"},    {"PT", 25, "4n4n11n2n"}, {"QA", 29, "4a21c"},
    {"RO", 24, "4a16c"},    {"RS", 22, "3n13n2n"},  {"SA", 24, "2n18c"},
    {"SC", 31, "4a2n2n16n3a"}, {"SE", 24, "3n16n1n"}, {"SI", 19, "5n8n2n"},
    {"SK", 24, "4n6n10n"},  {"SM", 27, "1a5n5n12c"}, {"ST", 25, "4n4n11n2n"},
    {"SV", 28, "4a20n"},    {"TL", 23, "3n14n2n"},  {"TN", 24, "2n3n13n2n"},
    {"TR", 26, "5n1n16c"},  {"UA", 29, "6n19c"},    {"VA", 22, "3n15n"},
    {"VG", 24, "4a16n"},    {"XK", 20, "4n10n2n"},
};

static const struct iban_country *iban_country_of(const char *cc)
{
    size_t lo = 0, hi = sizeof iban_registry / sizeof iban_registry[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(iban_registry[mid].cc, cc, 2);
        if (c == 0)
            return &iban_registry[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* 1 when bban (upper case) follows the registry format fmt. */
static int bban_follows(const char *bban, const char *fmt)
{
    const char *s = bban;
    while (*fmt) {
        char *end;
        long k = strtol(fmt, &end, 10);
        char kind = *end;
        fmt = end + 1;
        for (long i = 0; i < k; i++, s++) {
            int c = (unsigned char)*s;
            if (!c)
                return 0;
            if (kind == 'n' && !isdigit(c))
                return 0;
            if (kind == 'a' && !(c >= 'A' && c <= 'Z'))
                return 0;
            if (kind == 'c' && !(isdigit(c) || (c >= 'A' && c <= 'Z')))
                return 0;
        }
    }
    return *s == '\0';
}

/* Remainder mod 97 of a string of digits and letters (A=10 ... Z=35). */
static int mod97(const char *s)
{
    int r = 0;
    for (; *s; s++) {
        int c = toupper((unsigned char)*s);
        if (isdigit(c))
            r = (r * 10 + (c - '0')) % 97;
        else if (c >= 'A' && c <= 'Z')
            r = (r * 100 + (c - 'A' + 10)) % 97;
        else
            return -1;
    }
    return r;
}

int iban_country_length(const char *iban)
{
    char cc[3] = "";
    size_t n = 0;
    for (const char *p = iban; p && *p && n < 2; p++)
        if (*p != ' ')
            cc[n++] = (char)toupper((unsigned char)*p);
    const struct iban_country *c = n == 2 ? iban_country_of(cc) : NULL;
    return c ? c->len : 0;
}

const char *iban_problem(const char *iban)
{
    char s[40];
    size_t n = 0;
    if (!iban || !*iban)
        return "is missing";
    for (const char *p = iban; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isalnum((unsigned char)*p))
            return "may hold only letters, digits and spaces";
        if (n >= 34)
            return "is longer than 34 characters";
        s[n++] = (char)toupper((unsigned char)*p);
    }
    s[n] = '\0';
    if (n < 5 || !isalpha((unsigned char)s[0]) ||
        !isalpha((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
        !isdigit((unsigned char)s[3]))
        return "must start with a country code and two check digits";
    const struct iban_country *c = iban_country_of(s);
    if (!c)
        return "has a country code that does not use IBANs";
    if (n != c->len)
        return "has the wrong length for its country";
    if (c->bban && !bban_follows(s + 4, c->bban))
        return "does not follow its country's IBAN format";
    char r[40];
    memcpy(r, s + 4, n - 4);
    memcpy(r + n - 4, s, 4);
    r[n] = '\0';
    if (mod97(r) != 1)
        return "fails its check digits";
    return NULL;
}

int iban_valid(const char *iban)
{
    return iban_problem(iban) == NULL;
}

const char *bic_problem(const char *bic)
{
    char b[12];
    size_t n = 0;
    if (!bic || !*bic)
        return "is missing";
    for (const char *p = bic; *p; p++) {
        if (*p == ' ')
            continue;
        if (n >= 11)
            return "must be 8 or 11 characters";
        b[n++] = (char)toupper((unsigned char)*p);
    }
    b[n] = '\0';
    if (n != 8 && n != 11)
        return "must be 8 or 11 characters";
    for (int i = 0; i < 6; i++)
        if (!(b[i] >= 'A' && b[i] <= 'Z'))
            return "must start with 4 letters of the bank and 2 of the "
                   "country";
    if (!((b[6] >= 'A' && b[6] <= 'Z') || (b[6] >= '2' && b[6] <= '9')) ||
        !((b[7] >= 'A' && b[7] <= 'Z') || isdigit((unsigned char)b[7])) ||
        b[7] == 'O')
        return "has an invalid location code (characters 7 and 8)";
    for (size_t i = 8; i < n; i++)
        if (!((b[i] >= 'A' && b[i] <= 'Z') || isdigit((unsigned char)b[i])))
            return "has an invalid branch code (characters 9 to 11)";
    return NULL;
}

int bic_valid(const char *bic)
{
    return bic_problem(bic) == NULL;
}

int creditor_id_valid(const char *cid)
{
    size_t n = cid ? strlen(cid) : 0;
    if (n < 8 || n > 35)
        return 0;
    /* Letters in place of the country or check digits would still give a
     * number mod 97; only the shape defined by the scheme counts. */
    if (!isalpha((unsigned char)cid[0]) || !isalpha((unsigned char)cid[1]) ||
        !isdigit((unsigned char)cid[2]) || !isdigit((unsigned char)cid[3]))
        return 0;
    char r[64];
    /* national id + country + check digits, business code skipped */
    snprintf(r, sizeof r, "%s%.2s%.2s", cid + 7, cid, cid + 2);
    return mod97(r) == 1;
}

const char *sepa_id_problem(const char *s)
{
    if (!s || !*s)
        return "is missing";
    size_t n = strlen(s);
    if (n > 35)
        return "is longer than 35 characters";
    for (const char *q = s; *q; q++) {
        int c = (unsigned char)*q;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("/-?:().,'+ ", c)))
            return "contains a character outside the SEPA set "
                   "(a-z A-Z 0-9 / - ? : ( ) . , ' + space)";
    }
    if (s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
        return "must not start or end with '/' nor contain '//'";
    if (s[0] == ' ' || s[n - 1] == ' ')
        return "must not start or end with a space";
    return NULL;
}
