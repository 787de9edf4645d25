/*
 * ubl.c — Peppol BIS Billing 3.0 UBL 2.1 Invoice and CreditNote writer
 * (render/ubl.h): the figures are worked out first (line nets, one VAT
 * breakdown per category and rate, totals), the parties and the payment
 * means checked, and only then is the document written, element by
 * element in the order the UBL 2.1 schemas require, through libxml2's
 * xmlTextWriter into memory.
 */
#include "render/ubl.h"
#include "base/outfile.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "decide/subscription.h"
#include "formats/xmlw.h"

#define NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDIT "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define NS_CAC \
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
#define CUSTOMIZATION_ID \
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#define PROFILE_ID "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
/* Peppol BIS Self-Billing 3.0: a self-billed invoice (type 389), issued
 * by the buyer in the seller's name. */
#define SB_CUSTOMIZATION_ID \
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"
#define SB_PROFILE_ID "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"

/* ================================================================ amounts */

void ubl_line_nets(const struct invoice *inv, int64_t *net)
{
    for (size_t i = 0; i < inv->n_lines; i++)
        net[i] = inv->lines[i].amount_cents;
    if (!inv->prices_include_vat)
        return;
    for (size_t k = 0; k < inv->n_vats; k++) {
        const struct invoice_vat *v = &inv->vats[k];
        if (v->exempt || v->bp == 0)
            continue;
        const int64_t den = 10000 + v->bp;
        int64_t sum = 0;
        for (size_t i = 0; i < inv->n_lines; i++)
            if (!strcmp(inv->lines[i].vat_id, v->vat_id)) {
                net[i] = money_muldiv_round(inv->lines[i].amount_cents, 10000, den);
                sum += net[i];
            }
        /* The rate's stored net is round(sum of amounts / (1 + rate)):
         * the rounded shares miss it by at most half a cent per line.
         * Each missing cent goes to the line whose exact share is
         * furthest on that side of its rounded one (remainder in units
         * of 1/den cent; the first such line on a tie). */
        for (int64_t diff = v->base_cents - sum; diff != 0;
             diff += diff > 0 ? -1 : 1) {
            size_t best = inv->n_lines;
            int64_t best_rem = 0;
            for (size_t i = 0; i < inv->n_lines; i++) {
                if (strcmp(inv->lines[i].vat_id, v->vat_id))
                    continue;
                int64_t rem = inv->lines[i].amount_cents * 10000 - net[i] * den;
                if (best == inv->n_lines || (diff > 0 ? rem > best_rem
                                                      : rem < best_rem))
                    best = i, best_rem = rem;
            }
            if (best == inv->n_lines)
                break; /* a rate without lines: nothing to share */
            net[best] += diff > 0 ? 1 : -1;
        }
    }
}

/* One VAT breakdown: a category (S, E, Z) at one rate. */
struct breakdown {
    char cat;
    int32_t bp;
    int64_t base, tax; /* signed as stored */
    struct sbuf reason; /* E: the stored exemption texts, "; "-joined */
};

/* The figures of a document, signed as stored. */
struct figures {
    int64_t *net;           /* per line */
    struct breakdown *b;
    size_t n_b;
    int64_t lines, tax;     /* sum of line nets, sum of breakdown taxes */
    int64_t rounding;       /* stored total - (lines + tax) */
};

static char category(int exempt, int32_t bp)
{
    return exempt ? 'E' : bp == 0 ? 'Z' : 'S';
}

static void figures_free(struct figures *f)
{
    for (size_t i = 0; i < f->n_b; i++)
        sb_free(&f->b[i].reason);
    free(f->b);
    free(f->net);
    memset(f, 0, sizeof *f);
}

/* Work out f from inv: line nets, the stored VAT summary merged per
 * (category, rate), and the totals. */
static void figures_make(const struct invoice *inv, struct figures *f)
{
    memset(f, 0, sizeof *f);
    f->net = xcalloc(inv->n_lines ? inv->n_lines : 1, sizeof *f->net);
    ubl_line_nets(inv, f->net);
    for (size_t k = 0; k < inv->n_vats; k++) {
        const struct invoice_vat *v = &inv->vats[k];
        char cat = category(v->exempt, v->bp);
        size_t j;
        for (j = 0; j < f->n_b; j++)
            if (f->b[j].cat == cat && f->b[j].bp == (cat == 'S' ? v->bp : 0))
                break;
        if (j == f->n_b) {
            f->b = xrealloc(f->b, (f->n_b + 1) * sizeof *f->b);
            memset(&f->b[j], 0, sizeof *f->b);
            f->b[j].cat = cat;
            f->b[j].bp = cat == 'S' ? v->bp : 0;
            f->n_b++;
        }
        struct breakdown *b = &f->b[j];
        b->base += v->base_cents;
        b->tax += v->vat_cents;
        const char *t = v->exempt_text;
        if (cat == 'E' && t && *t && !strstr(sb_str(&b->reason), t)) {
            if (b->reason.len)
                sb_add(&b->reason, "; ");
            sb_add(&b->reason, t);
        }
    }
    for (size_t i = 0; i < inv->n_lines; i++)
        f->lines += f->net[i];
    for (size_t j = 0; j < f->n_b; j++)
        f->tax += f->b[j].tax;
    f->rounding = inv->total_cents - (f->lines + f->tax);
}

/* ================================================================ parties */

/* s without spaces and dots, upper-cased, into out[cap]; "" for NULL. */
static void compact(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if (*s != ' ' && *s != '.')
            out[n++] = (char)toupper((unsigned char)*s);
    out[n] = '\0';
}

/* A postal address as UBL wants it. */
struct postal {
    char *street, *extra, *zone, *city;
    char country[3]; /* "" when the text names none */
};

static void postal_free(struct postal *a)
{
    free(a->street), free(a->extra), free(a->zone), free(a->city);
    memset(a, 0, sizeof *a);
}

/* The country a line names, or NULL. */
static const char *country_named(const char *line)
{
    static const struct {
        const char *name, *code;
    } names[] = {
        {"nederland", "NL"},  {"the netherlands", "NL"}, {"netherlands", "NL"},
        {"pays-bas", "NL"},   {"belgie", "BE"},          {"belgië", "BE"},
        {"belgique", "BE"},   {"belgium", "BE"},         {"belgien", "BE"},
        {"deutschland", "DE"}, {"duitsland", "DE"},      {"germany", "DE"},
        {"allemagne", "DE"},  {"france", "FR"},          {"frankrijk", "FR"},
        {"luxembourg", "LU"}, {"luxemburg", "LU"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcasecmp(line, names[i].name))
            return names[i].code;
    return NULL;
}

/* Split a printed address ("Lindelaan 12\n3511 AB Utrecht", perhaps a
 * second street line, perhaps a country line) into *a. The last line
 * that is not a country is "postcode city" when it starts with a digit
 * (or a country letter and '-', as in "B-1000"): a Dutch postcode is
 * four digits and two letters, others the digits; otherwise it is the
 * city alone. The first of several lines is the street, a middle one
 * the additional street line. */
static void postal_parse(const char *text, struct postal *a)
{
    memset(a, 0, sizeof *a);
    char *lines[8];
    size_t n = 0;
    for (const char *p = text ? text : ""; *p && n < 8;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && isspace((unsigned char)*p))
            p++, len--;
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len)
            lines[n++] = xstrndup(p, len);
        p = end ? end + 1 : p + strlen(p);
    }
    if (n > 1 && country_named(lines[n - 1])) {
        snprintf(a->country, sizeof a->country, "%s",
                 country_named(lines[n - 1]));
        free(lines[--n]);
    }
    if (n == 0)
        return;
    const char *last = lines[n - 1];
    const char *q = last;
    if (isalpha((unsigned char)q[0]) && (q[1] == '-' ||
                                         (isalpha((unsigned char)q[1]) &&
                                          q[2] == '-')))
        q = strchr(q, '-') + 1;
    if (isdigit((unsigned char)*q)) {
        size_t d = 0;
        while (isdigit((unsigned char)q[d]))
            d++;
        size_t z = d;
        /* Dutch: 1234 AB or 1234AB */
        size_t s = q[z] == ' ' ? z + 1 : z;
        if (d == 4 && isalpha((unsigned char)q[s]) &&
            isalpha((unsigned char)q[s + 1]) &&
            (q[s + 2] == ' ' || q[s + 2] == '\0')) {
            a->zone = xasprintf("%.4s %c%c", q, toupper((unsigned char)q[s]),
                                toupper((unsigned char)q[s + 1]));
            z = s + 2;
        } else {
            a->zone = xstrndup(q, d);
        }
        while (q[z] == ' ')
            z++;
        if (q[z])
            a->city = xstrdup(q + z);
    } else {
        a->city = xstrdup(last);
    }
    if (n >= 2)
        a->street = xstrdup(lines[0]);
    if (n >= 3) {
        struct sbuf b = {0};
        for (size_t i = 1; i + 1 < n; i++)
            sb_printf(&b, "%s%s", i > 1 ? ", " : "", lines[i]);
        a->extra = sb_steal(&b);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
}

/* The country of a VAT number's prefix ("EL" is Greece), or "". */
static void vat_country(const char *vat, char out[3])
{
    out[0] = '\0';
    if (vat && isupper((unsigned char)vat[0]) && isupper((unsigned char)vat[1]))
        snprintf(out, 3, "%.2s", !strncmp(vat, "EL", 2) ? "GR" : vat);
}

/* The Peppol scheme of a practice's kvk setting (compacted): a Belgian
 * enterprise number has 10 digits (0208), a KvK number 8 (0106). */
static const char *registration_scheme(const char *kvk)
{
    return strlen(kvk) == 10 ? "0208" : "0106";
}

/* The seller's electronic address and legal registration id from the
 * practice: its KvK number (0106), a Belgian enterprise number in kvk
 * (0208), else its Dutch (9944) or Belgian (9925) VAT number. legal_*
 * is "" when the practice has no registration number. */
static int seller_ids(const struct practice *p, char scheme[5], char id[40],
                      char legal_scheme[5], char legal[40], struct err *e)
{
    char kvk[40], vat[40], addr[64];
    struct err ignore;
    compact(p->kvk, kvk, sizeof kvk);
    compact(p->vat_number, vat, sizeof vat);
    legal_scheme[0] = legal[0] = '\0';
    if (*kvk) {
        const char *sch = registration_scheme(kvk);
        snprintf(addr, sizeof addr, "%s:%s", sch, kvk);
        if (peppol_address_check(addr, e) != 0)
            return err_prefix(e, "practice kvk (a KvK number or a Belgian "
                                 "enterprise number)");
        snprintf(legal_scheme, 5, "%s", sch);
        snprintf(legal, 40, "%s", kvk);
        snprintf(scheme, 5, "%s", sch);
        snprintf(id, 40, "%s", kvk);
        return 0;
    }
    const char *sch = !strncmp(vat, "NL", 2) ? "9944"
                      : !strncmp(vat, "BE", 2) ? "9925" : NULL;
    snprintf(addr, sizeof addr, "%s:%s", sch ? sch : "", vat);
    if (!sch || peppol_address_check(addr, &ignore) != 0)
        return err_set(e, "the practice needs a kvk (Peppol scheme 0106, or a "
                          "Belgian enterprise number: 0208) or a valid Dutch or "
                          "Belgian vat_number (9944, 9925) as its electronic "
                          "address");
    snprintf(scheme, 5, "%s", sch);
    snprintf(id, 40, "%s", vat);
    return 0;
}

/* The country an electronic address scheme belongs to, or "". */
static const char *scheme_country(const char *scheme)
{
    if (!strcmp(scheme, "0208") || !strcmp(scheme, "9925"))
        return "BE";
    if (!strcmp(scheme, "0106") || !strcmp(scheme, "0190") ||
        !strcmp(scheme, "9944"))
        return "NL";
    if (!strcmp(scheme, "9930"))
        return "DE";
    if (!strcmp(scheme, "0192"))
        return "NO";
    return "";
}

/* Everything the document says about its parties, checked. */
struct parties {
    char s_scheme[5], s_id[40], s_legal_scheme[5], s_legal[40];
    char s_vat[40], s_country[3], iban[40], bic[16], cid[40];
    struct postal s_addr;
    char b_scheme[5], b_id[64], b_vat[40], b_country[3], b_iban[40];
    struct postal b_addr;
};

static void parties_free(struct parties *x)
{
    postal_free(&x->s_addr);
    postal_free(&x->b_addr);
}

static int parties_make(const struct ubl_doc *d, int credit, struct parties *x,
                        struct err *e)
{
    const struct practice *p = d->p;
    const struct invoice *inv = d->inv;
    memset(x, 0, sizeof *x);
    if (!p->name || !*p->name)
        return err_set(e, "the practice has no name");
    compact(p->vat_number, x->s_vat, sizeof x->s_vat);
    if (!*x->s_vat)
        return err_set(e, "the practice needs its vat_number on an e-invoice "
                          "(the seller's VAT id)");
    if (!isupper((unsigned char)x->s_vat[0]) ||
        !isupper((unsigned char)x->s_vat[1]))
        return err_set(e, "practice vat_number '%s' must start with its country "
                          "code", p->vat_number);
    if (seller_ids(p, x->s_scheme, x->s_id, x->s_legal_scheme, x->s_legal, e))
        return -1;
    postal_parse(p->address, &x->s_addr);
    if (!x->s_addr.street || !x->s_addr.zone || !x->s_addr.city)
        return err_set(e, "the practice address must be a street line and a "
                          "'postcode city' line for an e-invoice");
    vat_country(x->s_vat, x->s_country);
    const struct practice *payee = d->payee ? d->payee : p;
    compact(payee->iban, x->iban, sizeof x->iban);
    compact(payee->bic, x->bic, sizeof x->bic);
    compact(payee->creditor_id, x->cid, sizeof x->cid);
    if (!credit && !inv->direct_debit && !iban_valid(x->iban))
        return err_set(e, "the practice needs a valid iban for the payment "
                          "means of an e-invoice");

    const char *who = inv->to.id ? inv->to.id : "?";
    const char *ep = d->buyer_endpoint;
    if (!ep || !*ep)
        return err_set(e, "account '%s' has no electronic address (Peppol id, "
                          "account add --peppol SCHEME:ID)", who);
    if (peppol_address_check(ep, e) != 0)
        return err_prefix(e, "account '%s'", who);
    snprintf(x->b_scheme, sizeof x->b_scheme, "%.4s", ep);
    snprintf(x->b_id, sizeof x->b_id, "%s", ep + 5);
    compact(inv->to.vat_number, x->b_vat, sizeof x->b_vat);
    if (*x->b_vat && (!isupper((unsigned char)x->b_vat[0]) ||
                      !isupper((unsigned char)x->b_vat[1])))
        return err_set(e, "account '%s' VAT number '%s' must start with its "
                          "country code (NL..., BE...)", who,
                       inv->to.vat_number);
    postal_parse(inv->to.address, &x->b_addr);
    vat_country(x->b_vat, x->b_country);
    if (!*x->b_country)
        snprintf(x->b_country, 3, "%s",
                 *x->b_addr.country ? x->b_addr.country
                 : *scheme_country(x->b_scheme) ? scheme_country(x->b_scheme)
                                                 : x->s_country);
    if (!strcmp(x->s_country, "NL") && !strcmp(x->b_country, "NL") &&
        (!x->b_addr.street || !x->b_addr.zone || !x->b_addr.city))
        return err_set(e, "account '%s' needs an address with street, postcode "
                          "and city on a Dutch e-invoice", who);
    if (!inv->to.name || !*inv->to.name)
        return err_set(e, "account '%s' has no name", who);

    if (!credit && inv->direct_debit) {
        compact(inv->to.iban, x->b_iban, sizeof x->b_iban);
        if (!d->mandate_id || !*d->mandate_id || !*x->b_iban)
            return err_set(e, "invoice %s is paid by direct debit, but account "
                              "'%s' has no mandate and IBAN", inv->number, who);
        if (!*x->cid)
            return err_set(e, "invoice %s is paid by direct debit: the practice "
                              "needs its creditor_id", inv->number);
    }
    return 0;
}

/* ================================================================ writer */

/* <name>text</name>; nothing for NULL or "" (no empty elements). */
static void x_el(struct xw *x, const char *name, const char *text)
{
    if (text && *text)
        xw_el(x, name, text);
}

static void x_amount(struct xw *x, const char *name, int64_t cents)
{
    char buf[32];
    xw_el_attr(x, name, "currencyID", x->currency, money_fmt(cents, buf));
}

static void x_date(struct xw *x, const char *name, cdate d)
{
    char buf[11];
    if (d != CDATE_NONE)
        x_el(x, name, date_fmt(d, buf));
}

/* v / 10^scale with at least `min` decimals and no trailing zeros
 * beyond them ("1", "7.5", "-1", "41.322314"). buf >= 40 bytes. */
static char *scaled_fmt(int64_t v, int scale, int min, char *buf)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t p = 1;
    for (int i = 0; i < scale; i++)
        p *= 10;
    int n = snprintf(buf, 40, "%s%llu", v < 0 ? "-" : "",
                     (unsigned long long)(u / p));
    uint64_t frac = u % p;
    int digits = scale;
    while (digits > min && frac % 10 == 0)
        frac /= 10, digits--;
    if (digits > 0)
        snprintf(buf + n, (size_t)(40 - n), ".%0*llu", digits,
                 (unsigned long long)frac);
    return buf;
}

/* <cac:TaxCategory> or <cac:ClassifiedTaxCategory> for a category and
 * rate; the exemption code and text for E. */
static void x_tax_category(struct xw *x, const char *el, char cat, int32_t bp,
                           const char *code, const char *reason)
{
    char buf[40], id[2] = {cat, '\0'};
    xw_open(x, el);
    x_el(x, "cbc:ID", id);
    x_el(x, "cbc:Percent", scaled_fmt(bp, 2, 0, buf));
    if (cat == 'E') {
        x_el(x, "cbc:TaxExemptionReasonCode", code);
        x_el(x, "cbc:TaxExemptionReason", reason);
    }
    xw_open(x, "cac:TaxScheme");
    x_el(x, "cbc:ID", "VAT");
    xw_close(x);
    xw_close(x);
}

static void x_address(struct xw *x, const struct postal *a,
                      const char *country)
{
    xw_open(x, "cac:PostalAddress");
    x_el(x, "cbc:StreetName", a->street);
    x_el(x, "cbc:AdditionalStreetName", a->extra);
    x_el(x, "cbc:CityName", a->city);
    x_el(x, "cbc:PostalZone", a->zone);
    xw_open(x, "cac:Country");
    x_el(x, "cbc:IdentificationCode", country);
    xw_close(x);
    xw_close(x);
}

static void x_tax_scheme(struct xw *x, const char *vat)
{
    if (!*vat)
        return;
    xw_open(x, "cac:PartyTaxScheme");
    x_el(x, "cbc:CompanyID", vat);
    xw_open(x, "cac:TaxScheme");
    x_el(x, "cbc:ID", "VAT");
    xw_close(x);
    xw_close(x);
}

static void x_seller(struct xw *x, const struct ubl_doc *d,
                     const struct parties *pt, int credit)
{
    const struct practice *p = d->p;
    xw_open(x, "cac:AccountingSupplierParty");
    xw_open(x, "cac:Party");
    xw_el_attr(x, "cbc:EndpointID", "schemeID", pt->s_scheme, pt->s_id);
    if (!credit && d->inv->direct_debit) {
        /* BT-90: the SEPA creditor identifier */
        xw_open(x, "cac:PartyIdentification");
        xw_el_attr(x, "cbc:ID", "schemeID", "SEPA", pt->cid);
        xw_close(x);
    }
    xw_open(x, "cac:PartyName");
    x_el(x, "cbc:Name", p->name);
    xw_close(x);
    x_address(x, &pt->s_addr, pt->s_country);
    x_tax_scheme(x, pt->s_vat);
    xw_open(x, "cac:PartyLegalEntity");
    x_el(x, "cbc:RegistrationName", p->name);
    if (*pt->s_legal)
        xw_el_attr(x, "cbc:CompanyID", "schemeID", pt->s_legal_scheme,
                  pt->s_legal);
    xw_close(x);
    if (p->email && *p->email) {
        xw_open(x, "cac:Contact");
        x_el(x, "cbc:ElectronicMail", p->email);
        xw_close(x);
    }
    xw_close(x);
    xw_close(x);
}

static void x_buyer(struct xw *x, const struct invoice *inv,
                    const struct parties *pt)
{
    xw_open(x, "cac:AccountingCustomerParty");
    xw_open(x, "cac:Party");
    xw_el_attr(x, "cbc:EndpointID", "schemeID", pt->b_scheme, pt->b_id);
    xw_open(x, "cac:PartyName");
    x_el(x, "cbc:Name", inv->to.name);
    xw_close(x);
    x_address(x, &pt->b_addr, pt->b_country);
    x_tax_scheme(x, pt->b_vat);
    xw_open(x, "cac:PartyLegalEntity");
    x_el(x, "cbc:RegistrationName", inv->to.name);
    /* A registration-number address is also the legal entity id. */
    if (!strcmp(pt->b_scheme, "0106") || !strcmp(pt->b_scheme, "0190") ||
        !strcmp(pt->b_scheme, "0208"))
        xw_el_attr(x, "cbc:CompanyID", "schemeID", pt->b_scheme, pt->b_id);
    xw_close(x);
    if (inv->to.email && *inv->to.email) {
        xw_open(x, "cac:Contact");
        x_el(x, "cbc:ElectronicMail", inv->to.email);
        xw_close(x);
    }
    xw_close(x);
    xw_close(x);
}

/* BG-10, the payee when it is not the seller: the agency that collects
 * what its supplier invoiced, with its KvK number as legal id. */
static void x_payee(struct xw *x, const struct practice *payee)
{
    char kvk[40];
    compact(payee->kvk, kvk, sizeof kvk);
    xw_open(x, "cac:PayeeParty");
    xw_open(x, "cac:PartyName");
    x_el(x, "cbc:Name", payee->name);
    xw_close(x);
    if (*kvk) {
        xw_open(x, "cac:PartyLegalEntity");
        xw_el_attr(x, "cbc:CompanyID", "schemeID", registration_scheme(kvk),
                   kvk);
        xw_close(x);
    }
    xw_close(x);
}

/* 58 SEPA credit transfer to the payee's IBAN, or 59 SEPA direct
 * debit under the account's mandate; the payment reference either way. */
static void x_payment_means(struct xw *x, const struct ubl_doc *d,
                            const struct parties *pt)
{
    const struct invoice *inv = d->inv;
    xw_open(x, "cac:PaymentMeans");
    if (inv->direct_debit) {
        xw_el_attr(x, "cbc:PaymentMeansCode", "name", "SEPA direct debit", "59");
        x_el(x, "cbc:PaymentID", inv->payment_reference);
        xw_open(x, "cac:PaymentMandate");
        x_el(x, "cbc:ID", d->mandate_id);
        xw_open(x, "cac:PayerFinancialAccount");
        x_el(x, "cbc:ID", pt->b_iban);
        xw_close(x);
        xw_close(x);
    } else {
        xw_el_attr(x, "cbc:PaymentMeansCode", "name", "SEPA credit transfer",
                  "58");
        x_el(x, "cbc:PaymentID", inv->payment_reference);
        xw_open(x, "cac:PayeeFinancialAccount");
        x_el(x, "cbc:ID", pt->iban);
        x_el(x, "cbc:Name", d->payee ? d->payee->name : d->p->name);
        if (*pt->bic) {
            xw_open(x, "cac:FinancialInstitutionBranch");
            x_el(x, "cbc:ID", pt->bic);
            xw_close(x);
        }
        xw_close(x);
    }
    xw_close(x);
}

/* One InvoiceLine / CreditNoteLine. a = the line's net in the document's
 * sign (net_as_stored: the stored amount, not a share of a rate's net);
 * the quantity carries a's sign so that the price stays positive (BR-27).
 * The price is the stored unit price when the amount is as stored and
 * that price gives it to the cent (PEPPOL-EN16931-R120 allows 0.02),
 * else the net divided by the quantity to 6 (8 for large quantities)
 * decimals. */
static void x_line(struct xw *x, const struct invoice_line *l, size_t pos,
                   int64_t a, int net_as_stored, int credit)
{
    char buf[40];
    int64_t q = l->qty100 < 0 ? -l->qty100 : l->qty100;
    int64_t abs_a = a < 0 ? -a : a;
    int64_t unit = l->unit_cents < 0 ? -l->unit_cents : l->unit_cents;
    int64_t price;
    int scale;
    int64_t approx = money_muldiv_round(q, unit, 100);
    if (net_as_stored && approx - abs_a <= 1 && abs_a - approx <= 1) {
        price = unit, scale = 2;
    } else if (q == 0) {
        price = 0, scale = 2;
    } else {
        scale = q > 1000000 ? 8 : 6;
        int64_t pow = scale == 8 ? 1000000 : 10000;
        price = money_muldiv_round(abs_a, pow * 100, q);
    }
    xw_open(x, credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
    snprintf(buf, sizeof buf, "%zu", pos);
    x_el(x, "cbc:ID", buf);
    xw_el_attr(x, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity",
              "unitCode", l->source && !strcmp(l->source, "hours") ? "HUR"
                                                                   : "C62",
              scaled_fmt(a < 0 ? -q : q, 2, 0, buf));
    x_amount(x, "cbc:LineExtensionAmount", a);
    if (l->period_start != CDATE_NONE && l->period_end != CDATE_NONE) {
        xw_open(x, "cac:InvoicePeriod");
        x_date(x, "cbc:StartDate", l->period_start);
        x_date(x, "cbc:EndDate", l->period_end);
        xw_close(x);
    }
    xw_open(x, "cac:Item");
    x_el(x, "cbc:Name", l->description);
    if (l->ref && *l->ref) {
        xw_open(x, "cac:SellersItemIdentification");
        x_el(x, "cbc:ID", l->ref);
        xw_close(x);
    }
    x_tax_category(x, "cac:ClassifiedTaxCategory",
                   category(l->vat_exempt, l->vat_bp), l->vat_bp, NULL, NULL);
    xw_close(x);
    xw_open(x, "cac:Price");
    xw_el_attr(x, "cbc:PriceAmount", "currencyID", x->currency,
              scaled_fmt(price, scale, 2, buf));
    xw_close(x);
    xw_close(x);
}

static void write_document(struct xw *x, const struct ubl_doc *d,
                           const struct parties *pt, const struct figures *f,
                           int credit)
{
    const struct invoice *inv = d->inv;
    const int64_t s = credit ? -1 : 1; /* a credit note's amounts are positive */
    const char *code = d->exempt_code ? d->exempt_code : UBL_EXEMPT_CODE;

    if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
        x->bad = 1;
    xw_open(x, credit ? "CreditNote" : "Invoice");
    xw_attr(x, "xmlns", credit ? NS_CREDIT : NS_INVOICE);
    xw_attr(x, "xmlns:cac", NS_CAC);
    xw_attr(x, "xmlns:cbc", NS_CBC);
    int self = inv->kind == INV_SELFBILL || (credit && d->self_billed_credit);
    x_el(x, "cbc:CustomizationID", self ? SB_CUSTOMIZATION_ID
                                        : CUSTOMIZATION_ID);
    x_el(x, "cbc:ProfileID", self ? SB_PROFILE_ID : PROFILE_ID);
    x_el(x, "cbc:ID", inv->number);
    x_date(x, "cbc:IssueDate", inv->issued);
    if (!credit)
        x_date(x, "cbc:DueDate", inv->due);
    x_el(x, credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode",
         credit ? (self ? "261" : "381") : self ? "389" : "380");
    x_el(x, "cbc:DocumentCurrencyCode", x->currency);
    /* BT-10: carebill's account id, the buyer's customer number here */
    x_el(x, "cbc:BuyerReference", inv->to.id);
    if (credit && inv->credit_of) {
        xw_open(x, "cac:BillingReference");
        xw_open(x, "cac:InvoiceDocumentReference");
        x_el(x, "cbc:ID", inv->credit_of);
        x_date(x, "cbc:IssueDate", d->corrected_issued);
        xw_close(x);
        xw_close(x);
    }
    x_seller(x, d, pt, credit);
    x_buyer(x, inv, pt);
    if (!credit && d->payee)
        x_payee(x, d->payee);
    if (!credit)
        x_payment_means(x, d, pt);

    xw_open(x, "cac:TaxTotal");
    x_amount(x, "cbc:TaxAmount", s * f->tax);
    for (size_t j = 0; j < f->n_b; j++) {
        const struct breakdown *b = &f->b[j];
        xw_open(x, "cac:TaxSubtotal");
        x_amount(x, "cbc:TaxableAmount", s * b->base);
        x_amount(x, "cbc:TaxAmount", s * b->tax);
        x_tax_category(x, "cac:TaxCategory", b->cat, b->bp, code,
                       sb_str(&b->reason));
        xw_close(x);
    }
    xw_close(x);

    xw_open(x, "cac:LegalMonetaryTotal");
    x_amount(x, "cbc:LineExtensionAmount", s * f->lines);
    x_amount(x, "cbc:TaxExclusiveAmount", s * f->lines);
    x_amount(x, "cbc:TaxInclusiveAmount", s * (f->lines + f->tax));
    if (f->rounding)
        x_amount(x, "cbc:PayableRoundingAmount", s * f->rounding);
    x_amount(x, "cbc:PayableAmount", s * inv->total_cents);
    xw_close(x);

    for (size_t i = 0; i < inv->n_lines; i++)
        x_line(x, &inv->lines[i], i + 1, s * f->net[i],
               f->net[i] == inv->lines[i].amount_cents &&
                   (!inv->prices_include_vat || inv->lines[i].vat_exempt ||
                    inv->lines[i].vat_bp == 0),
               credit);

    xw_close(x); /* Invoice / CreditNote */
    if (xmlTextWriterEndDocument(x->w) < 0)
        x->bad = 1;
}

/* The kinds written as UBL; why not, for the others. */
static int kind_check(const struct invoice *inv, struct err *e)
{
    switch (inv->kind) {
    case INV_SUBSCRIPTION:
    case INV_PRODUCT:
    case INV_APPOINTMENT:
    case INV_SEATS:
    case INV_SELFBILL:   /* the seller is the supplier (see ubl.h) */
    case INV_ON_BEHALF:  /* the seller is the supplier, the agency is paid */
    case INV_COMMISSION: /* the agency's own invoices: an ordinary sale */
    case INV_RESALE:
    case INV_CREDIT:
        break;
    default:
        return err_set(e, "invoice %s is a %s invoice: carebill writes no UBL "
                          "for that kind yet", inv->number,
                       invoice_kind_name(inv->kind));
    }
    if (inv->n_lines == 0)
        return err_set(e, "invoice %s has no lines", inv->number);
    return 0;
}

int ubl_write_buf(const struct ubl_doc *d, char **buf, size_t *len,
                  struct err *e)
{
    assert(d && d->inv && d->p && buf && len && e);
    const struct invoice *inv = d->inv;
    *buf = NULL;
    *len = 0;
    if (kind_check(inv, e) != 0)
        return -1;
    int credit = inv->kind == INV_CREDIT;
    struct parties pt;
    if (parties_make(d, credit, &pt, e) != 0) {
        parties_free(&pt);
        return err_prefix(e, "invoice %s", inv->number);
    }
    struct figures f;
    figures_make(inv, &f);

    int rc = 0;
    struct xw x = {.currency = d->p->currency ? d->p->currency : "EUR"};
    if (xw_start(&x) != 0) {
        rc = err_set(e, "invoice %s: cannot start the XML writer", inv->number);
    } else {
        write_document(&x, d, &pt, &f, credit);
        *buf = xw_finish(&x, len);
        if (!*buf)
            rc = err_set(e, "invoice %s: writing the XML failed (text that is "
                            "not UTF-8?)", inv->number);
    }
    figures_free(&f);
    parties_free(&pt);
    return rc;
}

int ubl_write_file(const struct ubl_doc *d, const char *path, struct err *e)
{
    char *buf;
    size_t len;
    if (ubl_write_buf(d, &buf, &len, e) != 0)
        return -1;
    int rc = out_file_write(path, buf, len, e);
    free(buf);
    return rc;
}
