/*
 * collection.c — which invoices a direct-debit batch collects, FRST or
 * RCUR, on which date and under which end-to-end id. Pure: values in,
 * values out.
 */
#include "decide/collection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dd_invoices_free(struct dd_invoice *rows, size_t n)
{
    if (!rows)
        return;
    for (size_t i = 0; i < n; i++) {
        struct dd_invoice *d = &rows[i];
        free(d->number), free(d->account), free(d->name), free(d->iban);
        free(d->bic), free(d->mandate_id);
    }
    free(rows);
}

int collection_due(const struct dd_invoice *inv)
{
    return inv->direct_debit && inv->status == ST_OPEN &&
           inv->kind != INV_CREDIT && inv->total_cents > inv->paid_cents &&
           !inv->collected;
}

int collection_first(int mandate_used, int account_earlier_in_batch)
{
    return !mandate_used && !account_earlier_in_batch;
}

cdate easter_sunday(int y)
{
    /* the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return date_from_ymd(y, month, day);
}

int target_business_day(cdate d)
{
    int y, m, dd;
    if (date_weekday(d) >= 6)
        return 0;
    date_to_ymd(d, &y, &m, &dd);
    if ((m == 1 && dd == 1) || (m == 5 && dd == 1) ||
        (m == 12 && (dd == 25 || dd == 26)))
        return 0;
    cdate easter = easter_sunday(y);
    return d != easter - 2 && d != easter + 1;
}

cdate target_next_business_day(cdate d)
{
    while (!target_business_day(d))
        d++;
    return d;
}

cdate collection_date(cdate due, cdate today)
{
    return target_next_business_day(due > today ? due : today + 1);
}

int collection_epc_id(const char *s)
{
    if (!s || !*s || strlen(s) > 35)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789/-?:().,'+", *s))
            return 0;
    return 1;
}

char *collection_end_to_end_id(int64_t id, const char *number)
{
    return collection_epc_id(number) ? xstrdup(number)
                                     : xasprintf("CB%lld", (long long)id);
}

char *collection_batch_id(cdate today, int64_t batches_before, char out[40])
{
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    snprintf(out, 40, "CB-%04d%02d%02d-%lld", y, m, d,
             (long long)batches_before + 1);
    return out;
}

int collection_plan(const struct dd_invoice *rows, size_t n, cdate today,
                    struct collection_plan *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->items = xcalloc(n + 1, sizeof *out->items);
    for (size_t i = 0; i < n; i++) {
        const struct dd_invoice *d = &rows[i];
        if (!collection_due(d))
            continue;
        if (!d->mandate_id || !d->iban) {
            err_set(e, "invoice %s is to be collected by direct debit but "
                       "account %s has no mandate or IBAN", d->number,
                    d->account);
            collection_plan_free(out);
            return -1;
        }
        int earlier = 0;
        cdate first_on = CDATE_NONE; /* the account's FRST in this batch */
        for (size_t j = 0; j < out->n; j++)
            if (!strcmp(out->items[j].inv->account, d->account)) {
                earlier = 1;
                if (out->items[j].first)
                    first_on = out->items[j].collection_date;
            }
        struct planned_collection *c = &out->items[out->n++];
        c->inv = d;
        c->end_to_end_id = collection_end_to_end_id(d->id, d->number);
        c->first = collection_first(d->mandate_used, earlier);
        c->collection_date = collection_date(d->due, today);
        if (!c->first && first_on != CDATE_NONE &&
            c->collection_date <= first_on)
            c->collection_date = target_next_business_day(first_on + 1);
        c->amount_cents = d->total_cents - d->paid_cents;
        out->total_cents += c->amount_cents;
    }
    return 0;
}

void collection_plan_free(struct collection_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i].end_to_end_id);
    free(p->items);
    memset(p, 0, sizeof *p);
}
