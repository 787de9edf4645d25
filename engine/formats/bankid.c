/*
 * bankid.c — check digits of the identifiers SEPA payments carry: IBAN
 * (ISO 13616, mod 97) and the SEPA creditor identifier.
 */
#include "formats/bankid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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

int iban_valid(const char *iban)
{
    char s[64];
    size_t n = 0;
    for (const char *p = iban; p && *p; p++) {
        if (*p == ' ')
            continue;
        if (n >= 34 || !isalnum((unsigned char)*p))
            return 0;
        s[n++] = (char)toupper((unsigned char)*p);
    }
    if (n < 15 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]) ||
        !isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]))
        return 0;
    char r[72];
    memcpy(r, s + 4, n - 4);
    memcpy(r + n - 4, s, 4);
    r[n] = '\0';
    return mod97(r) == 1;
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
