/*
 * reminder.c — the schedule, due days and firing of payment reminders.
 */
#include "decide/reminder.h"

const struct reminder_schedule *reminder_active_schedule(const struct rules *r)
{
    for (size_t i = 0; i < r->n_reminder_schedules; i++)
        if (r->reminder_schedules[i].d.active)
            return &r->reminder_schedules[i];
    return NULL;
}

size_t reminder_next_step(const struct reminder_schedule *s, size_t from)
{
    size_t i = from;
    while (i < s->n_steps && !s->steps[i].active)
        i++;
    return i < s->n_steps ? i : s->n_steps;
}

cdate reminder_step_due(const struct reminder_step *st, cdate issued,
                        cdate due, int *hours)
{
    cdate base = st->from == FROM_DUE_DATE ? due : issued;
    *hours = 0;
    switch (st->unit) {
    case UNIT_HOURS:
        *hours = st->n % 24;
        return base + st->n / 24;
    case UNIT_DAYS:
        return base + st->n;
    case UNIT_MONTHS:
        return date_add_months(base, st->n);
    }
    return base;
}

int reminder_step_day(const struct reminder_step *st, cdate issued,
                      cdate due, int hooked, cdate answer, cdate *day,
                      int *hours)
{
    *day = reminder_step_due(st, issued, due, hours);
    if (!hooked)
        return 1;
    if (answer == CDATE_NONE)
        return 0;
    *day = answer;
    return 1;
}

int reminder_applies(enum invoice_kind kind, int64_t total_cents,
                     int direct_debit, int collection_reversed)
{
    return kind != INV_CREDIT && total_cents > 0 &&
           (!direct_debit || collection_reversed);
}

const char *reminder_cancel_reason(const struct reminder_schedule *s,
                                   int step, enum invoice_status status,
                                   int reminders_ok)
{
    if (status != ST_OPEN)
        return "invoice no longer open";
    if (!reminders_ok)
        return "account opted out of reminders";
    if (!s || step < 1 || (size_t)step > s->n_steps ||
        !s->steps[step - 1].active)
        return "reminder step no longer in the schedule";
    return NULL;
}

int reminder_days_overdue(cdate due, cdate on)
{
    return on > due ? (int)(on - due) : 0;
}
