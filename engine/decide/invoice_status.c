/*
 * invoice_status.c — open, paid or credited from an invoice's sums, and
 * the transition between two statuses.
 */
#include "decide/invoice_status.h"

int64_t invoice_settled_cents(const struct invoice_sums *s)
{
    return s->paid_cents + s->credited_cents - s->reversed_cents;
}

enum invoice_status invoice_status_of(const struct invoice_sums *s)
{
    int64_t settled = invoice_settled_cents(s);
    if (s->total_cents < 0)
        return settled <= s->total_cents ? ST_PAID : ST_OPEN;
    if (s->total_cents > 0 && s->credited_cents >= s->total_cents)
        return ST_CREDITED;
    return settled >= s->total_cents ? ST_PAID : ST_OPEN;
}

enum invoice_transition invoice_status_transition(enum invoice_status before,
                                                  enum invoice_status after)
{
    if (before == ST_OPEN && after != ST_OPEN)
        return after == ST_PAID ? INVOICE_BECAME_PAID : INVOICE_BECAME_CREDITED;
    if (before != ST_OPEN && after == ST_OPEN)
        return INVOICE_REOPENED;
    return INVOICE_UNCHANGED;
}
