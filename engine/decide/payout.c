/*
 * payout.c — what each supplier is due from the agency: collected minus
 * withheld minus paid. See payout.h.
 */
#include "decide/payout.h"

#include <stdio.h>
#include <string.h>

int payout_collected(const struct payout_month *m)
{
    if (m->commission_pending)
        return 0;
    return m->self_billed ||
           (m->hours_total_cents > 0 &&
            m->hours_paid_cents >= m->hours_total_cents);
}

size_t payout_dues(const struct payout_month *months, size_t n,
                   int64_t (*paid_of)(void *arg, const char *supplier),
                   void *arg, struct payout_due *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct payout_month *m = &months[i];
        size_t j;
        for (j = 0; j < k; j++)
            if (!strcmp(out[j].supplier, m->supplier))
                break;
        if (j == k) {
            if (k == max)
                continue;
            memset(&out[k], 0, sizeof out[k]);
            snprintf(out[k].supplier, sizeof out[k].supplier, "%s",
                     m->supplier);
            k++;
        }
        if (payout_collected(m)) {
            out[j].collected_cents += m->hours_total_cents;
            out[j].withheld_cents += m->commission_cents;
        }
    }
    for (size_t j = 0; j < k; j++) {
        out[j].paid_cents = paid_of ? paid_of(arg, out[j].supplier) : 0;
        int64_t due = out[j].collected_cents - out[j].withheld_cents -
                      out[j].paid_cents;
        out[j].due_cents = due > 0 ? due : 0;
    }
    return k;
}

char *payout_end_to_end(const char *batch, size_t index, char buf[36])
{
    snprintf(buf, 36, "P%.26s-%zu", batch, index + 1);
    return buf;
}
