/*
 * invoice.c — the arithmetic of an invoice, free of any storage: lines,
 * VAT per rate, totals, number formatting, payment references and the
 * check digits of IBANs and SEPA creditor ids.
 */
#include "decide/invoice.h"
#include "decide/numbering.h"

#include "rules/rules.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *invoice_kind_name(enum invoice_kind k)
{
    static const char *const names[] = {"subscription", "product",
                                        "appointment",  "seats",
                                        "self_billing", "commission",
                                        "on_behalf",    "resale",
                                        "credit"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *invoice_status_name(enum invoice_status s)
{
    static const char *const names[] = {"open", "paid", "credited"};
    return (unsigned)s < 3 ? names[s] : "?";
}

static void party_free(struct party *p)
{
    free(p->id), free(p->name), free(p->email), free(p->address);
    free(p->vat_number), free(p->kvk), free(p->iban);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void invoice_draft(struct invoice *inv, const struct practice *p,
                   enum invoice_kind kind, const struct party *to,
                   const char *locale, cdate issued, int direct_debit)
{
    memset(inv, 0, sizeof *inv);
    inv->kind = kind;
    inv->issued = issued;
    inv->direct_debit = direct_debit;
    inv->due = issued + (direct_debit ? p->dd_collection_days
                                      : p->payment_term_days);
    inv->locale = xstrdup(locale ? locale : p->locale);
    inv->prices_include_vat = p->prices_include_vat;
    inv->practitioner = dup_or_null(p->practitioner);
    inv->to = (struct party){
        dup_or_null(to->id),      dup_or_null(to->name),
        dup_or_null(to->email),   dup_or_null(to->address),
        dup_or_null(to->vat_number), dup_or_null(to->kvk),
        dup_or_null(to->iban)};
}

void invoice_free(struct invoice *inv)
{
    if (!inv)
        return;
    for (size_t i = 0; i < inv->n_lines; i++) {
        struct invoice_line *l = &inv->lines[i];
        free(l->description), free(l->vat_id), free(l->source);
        free(l->ref), free(l->why);
    }
    for (size_t i = 0; i < inv->n_vats; i++)
        free(inv->vats[i].vat_id), free(inv->vats[i].exempt_text);
    free(inv->lines), free(inv->vats);
    free(inv->number), free(inv->series), free(inv->locale);
    free(inv->credit_of), free(inv->payment_reference);
    free(inv->rules_hash), free(inv->practitioner), free(inv->refused);
    party_free(&inv->to);
    party_free(&inv->supplier);
    memset(inv, 0, sizeof *inv);
}

/* Keep the first reason the draft's arithmetic refused it. */
static void refuse(struct invoice *inv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void refuse(struct invoice *inv, const char *fmt, ...)
{
    if (inv->refused)
        return;
    struct sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    inv->refused = sb_steal(&b);
}

struct invoice_line *invoice_add_line(struct invoice *inv, const char *desc,
                                      int64_t qty100, int64_t unit_cents,
                                      const char *vat_id, int32_t vat_bp,
                                      int exempt, const char *exempt_text)
{
    inv->lines = xrealloc(inv->lines, (inv->n_lines + 1) * sizeof *inv->lines);
    struct invoice_line *l = &inv->lines[inv->n_lines++];
    memset(l, 0, sizeof *l);
    l->description = xstrdup(desc);
    l->qty100 = qty100;
    l->unit_cents = unit_cents;
    struct err e;
    if (money_muldiv(qty100, unit_cents, 100, &l->amount_cents, &e) != 0) {
        l->amount_cents = 0;
        refuse(inv, "invoice line %zu (%s): %s", inv->n_lines, desc, e.msg);
    } else if (money_in_range(l->amount_cents, "amount", &e) != 0) {
        refuse(inv, "invoice line %zu (%s): %s", inv->n_lines, desc, e.msg);
    } else if (inv->n_lines > INVOICE_MAX_LINES) {
        refuse(inv, "an invoice holds at most %d lines", INVOICE_MAX_LINES);
    }
    l->vat_id = xstrdup(vat_id);
    l->vat_bp = vat_bp;
    l->vat_exempt = exempt;
    l->period_start = l->period_end = CDATE_NONE;
    /* Remember the exemption text in the VAT summary. */
    size_t i;
    for (i = 0; i < inv->n_vats; i++)
        if (strcmp(inv->vats[i].vat_id, vat_id) == 0)
            break;
    if (i == inv->n_vats) {
        inv->vats = xrealloc(inv->vats, (inv->n_vats + 1) * sizeof *inv->vats);
        struct invoice_vat *v = &inv->vats[inv->n_vats++];
        memset(v, 0, sizeof *v);
        v->vat_id = xstrdup(vat_id);
        v->bp = vat_bp;
        v->exempt = exempt;
        v->exempt_text = xstrdup(exempt_text);
    }
    return l;
}

int invoice_totals(struct invoice *inv)
{
    struct err e;
    int64_t net = 0, vat = 0, total = 0;
    inv->net_cents = inv->vat_cents = inv->total_cents = 0;
    for (size_t i = 0; i < inv->n_vats; i++) {
        struct invoice_vat *v = &inv->vats[i];
        int64_t sum = 0;
        for (size_t j = 0; j < inv->n_lines; j++)
            if (strcmp(inv->lines[j].vat_id, v->vat_id) == 0 &&
                money_add(sum, inv->lines[j].amount_cents, &sum, &e) != 0)
                goto overflow;
        v->base_cents = sum;
        v->vat_cents = 0;
        if (v->exempt || v->bp == 0) {
            /* no VAT */
        } else if (inv->prices_include_vat) {
            if (money_muldiv(sum, 10000, 10000 + v->bp, &v->base_cents,
                             &e) != 0 ||
                money_sub(sum, v->base_cents, &v->vat_cents, &e) != 0)
                goto overflow;
        } else if (money_muldiv(sum, v->bp, 10000, &v->vat_cents, &e) != 0) {
            goto overflow;
        }
        if (money_add(net, v->base_cents, &net, &e) != 0 ||
            money_add(vat, v->vat_cents, &vat, &e) != 0)
            goto overflow;
    }
    if (money_add(net, vat, &total, &e) != 0)
        goto overflow;
    inv->net_cents = net, inv->vat_cents = vat, inv->total_cents = total;
    return 0;
overflow:
    refuse(inv, "invoice total: %s", e.msg);
    return -1;
}

static int64_t gross_of_net(int64_t net, int32_t bp)
{
    return net + money_muldiv_round(net, bp, 10000);
}

int credit_net_for_gross(int64_t gross, int32_t bp, int64_t *net,
                         int64_t *below, int64_t *above)
{
    /* gross_of_net rises by 1 or 2 cents for each cent of net (bp < 10000
     * for any VAT rate carebill accepts), so the nearest candidates lie
     * within a cent of the exact quotient. */
    int64_t n = money_muldiv_round(gross, 10000, 10000 + bp);
    for (int64_t c = n - 1; c <= n + 1; c++)
        if (c > 0 && gross_of_net(c, bp) == gross) {
            *net = c;
            return 1;
        }
    int64_t lo = n, hi = n;
    while (lo > 0 && gross_of_net(lo, bp) >= gross)
        lo--;
    while (gross_of_net(hi, bp) <= gross)
        hi++;
    *below = lo > 0 ? gross_of_net(lo, bp) : 0;
    *above = gross_of_net(hi, bp);
    return 0;
}

int invoice_check(const struct invoice *inv, struct err *e)
{
    if (inv->refused)
        return err_set(e, "%s", inv->refused);
    if (inv->n_lines > INVOICE_MAX_LINES)
        return err_set(e, "an invoice holds at most %d lines (this one %zu)",
                       INVOICE_MAX_LINES, inv->n_lines);
    if (money_in_range(inv->net_cents, "invoice net amount", e) != 0 ||
        money_in_range(inv->vat_cents, "invoice VAT", e) != 0 ||
        money_in_range(inv->total_cents, "invoice total", e) != 0)
        return -1;
    return 0;
}

/* ---------------------------------------------------------- references */

void payment_reference(uint64_t seq, char out[17])
{
    static const int w[] = {2, 4, 8, 5, 10, 9, 7, 3, 6, 1};
    /* The 15 digits of the body, zero-padded, written out: every issued
     * invoice takes one. */
    uint64_t v = seq % 1000000000000000ULL;
    for (int i = 15; i >= 1; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    out[16] = '\0';
    int sum = 0;
    for (int i = 0; i < 15; i++)
        sum += (out[15 - i] - '0') * w[i % 10];
    int check = 11 - sum % 11;
    if (check == 10)
        check = 1;
    else if (check == 11)
        check = 0;
    out[0] = (char)('0' + check);
}

int payment_reference_valid(const char *ref)
{
    if (!ref || strlen(ref) != 16)
        return 0;
    for (int i = 0; i < 16; i++)
        if (!isdigit((unsigned char)ref[i]))
            return 0;
    char again[17];
    payment_reference(strtoull(ref + 1, NULL, 10), again);
    return strcmp(again, ref) == 0;
}


char *invoice_number_format(const char *pattern, int year, int64_t seq,
                            const char *supplier)
{
    return numbering_format(pattern, year, seq, supplier); /* one format */
}
