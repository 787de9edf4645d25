/*
 * late_change.c — the correction of an invoice a late stop, pause or
 * price change made partly or wholly unbillable.
 */
#include "decide/late_change.h"

enum late_action late_change_decide(enum late_change mode,
                                    const struct late_period *p,
                                    int64_t *cents, int *full)
{
    /* What was credited already is no longer billed. */
    int64_t less = p->line_cents - p->credited - p->now_cents;
    int64_t left = p->invoice_total - p->credited;
    if (less > left)
        less = left;
    *cents = less > 0 ? less : 0;
    *full = less > 0 && p->n_lines == 1 && p->now_cents == 0 &&
            p->credited == 0;
    if (p->repriced && less < 0) {
        /* An issued invoice is what the patient was told to pay: a higher
         * price is never added to it afterwards, only reported. The
         * invoice's credit notes are this line's own only when it is the
         * invoice's one line. */
        int64_t still = p->line_cents - (p->n_lines == 1 ? p->credited : 0);
        if (p->now_cents > still) {
            *cents = p->now_cents - still;
            return LATE_UNDERBILLED;
        }
    }
    if (less <= 0)
        return LATE_NONE;
    if (p->exported)
        return LATE_EXPORTED;
    return mode == LATE_CHANGE_CREDIT ? LATE_CREDITED : LATE_WARNED;
}
