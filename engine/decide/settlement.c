/*
 * settlement.c — payment dates and the split of a payment into what
 * settles an invoice and what is left over, undo and refund limits
 * (decide/settlement.h), on plain values.
 */
#include "decide/settlement.h"

#include <string.h>

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

enum payment_undo_verdict payment_undo_check(const struct payment_undo_facts *f)
{
    static const char *const money[] = {"manual", "bank", "direct_debit",
                                        "balance", "refund"};
    if (f->undone)
        return PAYMENT_UNDO_ALREADY;
    int ok = 0;
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
        if (f->method && !strcmp(f->method, money[i]))
            ok = 1;
    if (!ok || f->amount_cents == 0)
        return PAYMENT_UNDO_NOT_MONEY;
    if (f->to_balance_cents > 0 && f->balance_cents < f->to_balance_cents)
        return PAYMENT_UNDO_BALANCE_USED;
    return PAYMENT_UNDO_OK;
}

int64_t refund_owed_on_credit_note(int64_t total, int64_t settled)
{
    if (total >= 0 || settled <= total)
        return 0;
    return settled - total;
}

int64_t settlement_offset(int64_t available, int64_t total, int64_t paid)
{
    int64_t open = total - paid;
    if (available <= 0 || open <= 0)
        return 0;
    return available < open ? available : open;
}
