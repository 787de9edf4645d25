/*
 * price.c — merging and reading a type's price schedule.
 */
#include "decide/price.h"

#include <stdlib.h>
#include <string.h>

static int cmp_change(const void *x, const void *y)
{
    const struct price_change *a = x, *b = y;
    return (a->from > b->from) - (a->from < b->from);
}

void price_list_build(const struct subscription_type *t,
                      const struct price_change *ledger, size_t n,
                      struct price_list *out)
{
    out->base = t->price_cents;
    out->n = t->n_changes;
    out->changes = xcalloc(out->n + n + 1, sizeof *out->changes);
    if (t->n_changes)
        memcpy(out->changes, t->changes, t->n_changes * sizeof *t->changes);
    for (size_t k = 0; k < n; k++) {
        size_t i;
        for (i = 0; i < out->n; i++)
            if (out->changes[i].from == ledger[k].from)
                break; /* the ledger's change overrides the file's */
        if (i == out->n) {
            memset(&out->changes[i], 0, sizeof out->changes[i]);
            out->n++;
        }
        out->changes[i].from = ledger[k].from;
        out->changes[i].price_cents = ledger[k].price_cents;
    }
    qsort(out->changes, out->n, sizeof *out->changes, cmp_change);
}

int64_t price_list_on(const struct price_list *pl, cdate d)
{
    int64_t price = pl->base;
    for (size_t i = 0; i < pl->n && pl->changes[i].from <= d; i++)
        price = pl->changes[i].price_cents;
    return price;
}

void price_list_free(struct price_list *pl)
{
    free(pl->changes);
    pl->changes = NULL;
    pl->n = 0;
}
