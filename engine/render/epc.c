/*
 * epc.c — the EPC069-12 payment QR payload of an invoice and its QR
 * symbol (libqrencode), with the payment reference decide/payref.h
 * chooses. The payload is built line by line, then empty
 * trailing lines are dropped: the standard allows nothing after the last
 * line.
 */
#include "render/epc.h"

#include <assert.h>
#include <ctype.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/reference.h"

int64_t epc_amount_open(const struct invoice *inv)
{
    return inv->total_cents - inv->paid_cents;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static int utf8_len(const unsigned char *s)
{
    int n;
    if (s[0] < 0x80)
        return 1;
    else if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
        n = 2;
    else if ((s[0] & 0xf0) == 0xe0)
        n = 3;
    else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* Append s to b as one payload field: surrounding blanks trimmed, control
 * characters turned into spaces, invalid UTF-8 into '?', at most max
 * characters. */
static void add_field(struct sbuf *b, const char *s, int max)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *end = p + strlen((const char *)p);
    while (*p && isspace(*p))
        p++;
    while (end > p && isspace(end[-1]))
        end--;
    for (int n = 0; p < end && n < max; n++) {
        int len = utf8_len(p);
        if (len == 0 || p + len > end) {
            sb_addc(b, '?');
            p++;
        } else if (len == 1 && (*p < 0x20 || *p == 0x7f)) {
            sb_addc(b, ' ');
            p++;
        } else {
            sb_addn(b, (const char *)p, (size_t)len);
            p += len;
        }
    }
}

/* Copy an IBAN or BIC without spaces, upper case, into out[64]. */
static void compact(const char *s, char out[64])
{
    size_t n = 0;
    for (; s && *s && n < 63; s++)
        if (!isspace((unsigned char)*s))
            out[n++] = (char)toupper((unsigned char)*s);
    out[n] = '\0';
}

char *epc_payload(const struct invoice *inv, const struct practice *p,
                  struct err *e)
{
    assert(inv && p);
    int selfbill = inv->kind == INV_SELFBILL;
    const char *name = selfbill ? inv->supplier.name : p->name;
    const char *iban_in = selfbill ? inv->supplier.iban : p->iban;
    const char *who = selfbill ? "supplier" : "practice";
    int64_t open = epc_amount_open(inv);

    if (inv->kind == INV_CREDIT)
        return err_set(e, "no payment QR for credit note %s",
                       inv->number ? inv->number : "?"), NULL;
    if (open < 1 || open > 99999999999LL)
        return err_set(e, "no payment QR for invoice %s: amount open %lld "
                          "cents is outside 0.01..999999999.99",
                       inv->number ? inv->number : "?", (long long)open),
               NULL;
    if (!name || !*name)
        return err_set(e, "payment QR: the %s has no name", who), NULL;
    char iban[64], bic[64];
    compact(iban_in, iban);
    compact(selfbill ? NULL : p->bic, bic);
    if (!*iban)
        return err_set(e, "payment QR: the %s '%s' has no IBAN", who, name),
               NULL;
    if (!iban_valid(iban))
        return err_set(e, "payment QR: the %s's IBAN '%s' is not valid", who,
                       iban_in),
               NULL;
    if (strlen(bic) != 0 && strlen(bic) != 8 && strlen(bic) != 11)
        return err_set(e, "payment QR: BIC '%s' is not 8 or 11 characters",
                       p->bic),
               NULL;

    /* A structured reference (RF, Belgian), else the remittance
     * "<payment reference> <invoice number>". */
    struct payref ref;
    enum payref_scheme scheme = invoice_payref(inv, p, &ref);
    struct sbuf remit = {0};
    if (scheme == PAYREF_NL)
        sb_add(&remit, ref.printed);
    if (scheme != PAYREF_BE && scheme != PAYREF_RF && inv->number &&
        *inv->number) {
        if (remit.len)
            sb_addc(&remit, ' ');
        sb_add(&remit, inv->number);
    }

    /* Lines 1..11; the note to the payer (line 12) is never written. */
    struct sbuf b = {0};
    sb_add(&b, "BCD\n002\n1\nSCT\n");
    sb_add(&b, bic);
    sb_addc(&b, '\n');
    add_field(&b, name, EPC_MAX_NAME);
    sb_addc(&b, '\n');
    sb_add(&b, iban);
    sb_printf(&b, "\nEUR%lld.%02lld\n", (long long)(open / 100),
              (long long)(open % 100));
    sb_addc(&b, '\n'); /* purpose: none */
    sb_add(&b, ref.structured);
    sb_addc(&b, '\n');
    add_field(&b, sb_str(&remit), EPC_MAX_REMIT);
    sb_free(&remit);
    while (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = '\0';
    if (b.len > EPC_MAX_BYTES) {
        err_set(e, "payment QR payload is %zu bytes, more than %d", b.len,
                EPC_MAX_BYTES);
        sb_free(&b);
        return NULL;
    }
    return sb_steal(&b);
}

int epc_qr_modules(const char *payload, unsigned char **modules, int *width,
                   struct err *e)
{
    assert(payload && modules && width);
    QRcode *qr = QRcode_encodeData((int)strlen(payload),
                                   (const unsigned char *)payload, 0,
                                   QR_ECLEVEL_M);
    if (!qr)
        return err_set(e, "cannot encode the payment QR code (%zu bytes)",
                       strlen(payload));
    int w = qr->width;
    unsigned char *m = xmalloc((size_t)w * (size_t)w);
    for (int i = 0; i < w * w; i++)
        m[i] = qr->data[i] & 1;
    QRcode_free(qr);
    *modules = m;
    *width = w;
    return 0;
}
