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

cdate collection_date(cdate due, cdate today)
{
    return due > today ? due : today + 1;
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
        for (size_t j = 0; j < out->n && !earlier; j++)
            if (!strcmp(out->items[j].inv->account, d->account))
                earlier = 1;
        struct planned_collection *c = &out->items[out->n++];
        c->inv = d;
        c->end_to_end_id = collection_end_to_end_id(d->id, d->number);
        c->first = collection_first(d->mandate_used, earlier);
        c->collection_date = collection_date(d->due, today);
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
