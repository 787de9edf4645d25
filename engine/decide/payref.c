/*
 * payref.c — which payment reference an invoice carries in its
 * practice's country (payref.h), from the invoice and the practice
 * settings alone.
 */
#include "decide/payref.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "formats/reference.h"

const char *practice_country(const struct practice *p, char out[3])
{
    const char *c = p->country;
    if (!c || strlen(c) != 2) {
        const char *v = p->vat_number;
        while (v && *v == ' ')
            v++;
        c = v && isalpha((unsigned char)v[0]) && isalpha((unsigned char)v[1])
                ? v
                : "NL";
    }
    out[0] = (char)toupper((unsigned char)c[0]);
    out[1] = (char)toupper((unsigned char)c[1]);
    out[2] = '\0';
    if (!strcmp(out, "EL"))
        memcpy(out, "GR", 3);
    return out;
}

/* The Belgian structured communication of inv: as stored, or derived
 * from its number when it was stored in another form. 0, or -1. */
static int belgian_payref(const struct invoice *inv, struct payref *out)
{
    char ogm[OGM_SIZE], digits[13];
    if (!ogm_reference_valid(inv->payment_reference, digits) &&
        (ogm_reference_of_number(inv->number, ogm) != 0 ||
         !ogm_reference_valid(ogm, digits)))
        return -1;
    uint64_t base = 0;
    for (int i = 0; i < 10; i++)
        base = base * 10 + (uint64_t)(digits[i] - '0');
    snprintf(out->printed, sizeof out->printed, "%s", ogm_reference(base, ogm));
    snprintf(out->structured, sizeof out->structured, "%s", digits);
    snprintf(out->stored, sizeof out->stored, "%s", ogm);
    return 0;
}

/* The creditor reference of inv: as stored, or derived from its number
 * when it was stored in another form. 0, or -1. */
static int rf_payref(const struct invoice *inv, struct payref *out)
{
    char rf[RF_SIZE], pretty[RF_PRETTY_SIZE];
    if (rf_reference_valid(inv->payment_reference))
        rf_reference_pretty(inv->payment_reference, pretty);
    else if (rf_reference_of_number(inv->number, rf) == 0)
        rf_reference_pretty(rf, pretty);
    else
        return -1;
    snprintf(out->printed, sizeof out->printed, "%s", pretty);
    size_t k = 0;
    for (const char *c = pretty; *c && k + 1 < sizeof out->structured; c++)
        if (*c != ' ')
            out->structured[k++] = *c;
    out->structured[k] = '\0';
    snprintf(out->stored, sizeof out->stored, "%s", out->structured);
    return 0;
}

enum payref_scheme invoice_payref(const struct invoice *inv,
                                  const struct practice *p,
                                  struct payref *out)
{
    assert(inv && p && out);
    char country[3];
    memset(out, 0, sizeof *out);
    practice_country(p, country);
    if (!strcmp(country, "NL")) {
        if (!inv->payment_reference || !*inv->payment_reference)
            return PAYREF_NONE;
        size_t n = strlen(inv->payment_reference);
        if (n >= sizeof out->printed)
            n = sizeof out->printed - 1;
        memcpy(out->printed, inv->payment_reference, n);
        out->printed[n] = '\0';
        memcpy(out->stored, out->printed, n + 1);
        return out->scheme = PAYREF_NL;
    }
    if (!strcmp(country, "BE"))
        return belgian_payref(inv, out) == 0 ? (out->scheme = PAYREF_BE)
                                             : PAYREF_NONE;
    return rf_payref(inv, out) == 0 ? (out->scheme = PAYREF_RF) : PAYREF_NONE;
}
