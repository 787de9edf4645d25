/*
 * settlement.c — payment dates and the split of a payment into what
 * settles an invoice and what is left over (decide/settlement.h), on
 * plain values.
 */
#include "decide/settlement.h"

enum payment_date_verdict payment_date_check(cdate issued, cdate today,
                                             cdate on)
{
    if (issued != CDATE_NONE && on < issued)
        return PAYMENT_DATE_BEFORE_INVOICE;
    if (today != CDATE_NONE && on > today)
        return PAYMENT_DATE_AFTER_TODAY;
    return PAYMENT_DATE_OK;
}

struct payment_split payment_split_of(int64_t amount, int64_t open)
{
    struct payment_split s;
    if (open < 0)
        open = 0;
    s.applied_cents = amount < open ? amount : open;
    s.excess_cents = amount - s.applied_cents;
    return s;
}
