/*
 * test_reminder.c — the decisions of payment reminders
 * (engine/decide/reminder.c), without SQLite or hooks: part 1 which
 * schedule applies and which step comes next, part 2 when a step is due
 * (hours, days, months, from the invoice date or the due date), part 3
 * where a step lands once the reminder_at hook answered, part 4 which
 * invoices get reminders, part 5 whether a due reminder goes out and why
 * it is cancelled otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/util.h"
#include "decide/reminder.h"
#include "../support.h"

/* ============================================================ helpers */

static struct reminder_step step(int n, enum delay_unit unit,
                                 enum reminder_base from, int active)
{
    struct reminder_step st;
    memset(&st, 0, sizeof st);
    st.n = n;
    st.unit = unit;
    st.from = from;
    st.active = active;
    return st;
}

static struct reminder_schedule schedule(const char *id, int active,
                                         struct reminder_step *steps,
                                         size_t n)
{
    struct reminder_schedule s;
    memset(&s, 0, sizeof s);
    s.d.kind = "reminder_schedule";
    s.d.id = (char *)id;
    s.d.active = active;
    s.steps = steps;
    s.n_steps = n;
    return s;
}

/* ============================================================ schedule */

/* 1.1 The first active schedule applies; none when there is none. */
static void schedule_1_1_active(void **state)
{
    struct reminder_schedule ss[3] = {schedule("old", 0, NULL, 0),
                                      schedule("std", 1, NULL, 0),
                                      schedule("alt", 1, NULL, 0)};
    struct rules r;
    memset(&r, 0, sizeof r);
    assert_null(reminder_active_schedule(&r));
    r.reminder_schedules = ss;
    r.n_reminder_schedules = 3;
    assert_ptr_equal(reminder_active_schedule(&r), &ss[1]);
    r.n_reminder_schedules = 1;
    assert_null(reminder_active_schedule(&r));
}

/* 1.2 The next active step at or after an index skips inactive ones;
 * n_steps when none is left. */
static void schedule_1_2_next_step(void **state)
{
    struct reminder_step st[4] = {
        step(7, UNIT_DAYS, FROM_DUE_DATE, 1),
        step(14, UNIT_DAYS, FROM_DUE_DATE, 0),
        step(21, UNIT_DAYS, FROM_DUE_DATE, 1),
        step(28, UNIT_DAYS, FROM_DUE_DATE, 0)};
    struct reminder_schedule s = schedule("std", 1, st, 4);
    assert_int_equal(reminder_next_step(&s, 0), 0);
    assert_int_equal(reminder_next_step(&s, 1), 2);
    assert_int_equal(reminder_next_step(&s, 2), 2);
    assert_int_equal(reminder_next_step(&s, 3), 4);
    assert_int_equal(reminder_next_step(&s, 4), 4);
    assert_int_equal(reminder_next_step(&s, 9), 4);
}

/* ============================================================ due */

/* 2.1 Days after the due date or after the invoice date. Invoice of
 * 2026-01-01, due 2026-01-15: 7 days after due = 2026-01-22, 7 days after
 * the date = 2026-01-08. */
static void due_2_1_days(void **state)
{
    int h = -1;
    struct reminder_step a = step(7, UNIT_DAYS, FROM_DUE_DATE, 1);
    struct reminder_step b = step(7, UNIT_DAYS, FROM_INVOICE_DATE, 1);
    assert_string_equal(
        fmt(reminder_step_due(&a, P("2026-01-01"), P("2026-01-15"), &h)),
        "2026-01-22");
    assert_int_equal(h, 0);
    assert_string_equal(
        fmt(reminder_step_due(&b, P("2026-01-01"), P("2026-01-15"), &h)),
        "2026-01-08");
    assert_int_equal(h, 0);
}

/* 2.2 Hours: whole days move the day, the rest is the hour. 50 hours
 * after 2026-01-15 = 2026-01-17 at 02:00; 6 hours = the same day, 06:00;
 * 24 hours = the next day, 00:00. */
static void due_2_2_hours(void **state)
{
    int h = -1;
    struct reminder_step a = step(50, UNIT_HOURS, FROM_DUE_DATE, 1);
    struct reminder_step b = step(6, UNIT_HOURS, FROM_DUE_DATE, 1);
    struct reminder_step c = step(24, UNIT_HOURS, FROM_DUE_DATE, 1);
    cdate due = P("2026-01-15");
    assert_string_equal(fmt(reminder_step_due(&a, 0, due, &h)), "2026-01-17");
    assert_int_equal(h, 2);
    assert_string_equal(fmt(reminder_step_due(&b, 0, due, &h)), "2026-01-15");
    assert_int_equal(h, 6);
    assert_string_equal(fmt(reminder_step_due(&c, 0, due, &h)), "2026-01-16");
    assert_int_equal(h, 0);
}

/* 2.3 Months clamp to the month's last day: 1 month after 2026-01-31 is
 * 2026-02-28; 2 months is 2026-03-31; 1 month after 2028-01-31 (a leap
 * year) is 2028-02-29. */
static void due_2_3_months(void **state)
{
    int h = -1;
    struct reminder_step a = step(1, UNIT_MONTHS, FROM_DUE_DATE, 1);
    struct reminder_step b = step(2, UNIT_MONTHS, FROM_DUE_DATE, 1);
    assert_string_equal(fmt(reminder_step_due(&a, 0, P("2026-01-31"), &h)),
                        "2026-02-28");
    assert_int_equal(h, 0);
    assert_string_equal(fmt(reminder_step_due(&b, 0, P("2026-01-31"), &h)),
                        "2026-03-31");
    assert_string_equal(fmt(reminder_step_due(&a, 0, P("2028-01-31"), &h)),
                        "2028-02-29");
}

/* 2.4 Zero after the base is the base itself. */
static void due_2_4_zero(void **state)
{
    int h = -1;
    struct reminder_step a = step(0, UNIT_DAYS, FROM_INVOICE_DATE, 1);
    assert_string_equal(
        fmt(reminder_step_due(&a, P("2026-03-02"), P("2026-03-16"), &h)),
        "2026-03-02");
    assert_int_equal(h, 0);
}

/* ============================================================ hook */

/* 3.1 No hook asked: the step's own day and hour. */
static void hook_3_1_none(void **state)
{
    struct reminder_step a = step(30, UNIT_HOURS, FROM_DUE_DATE, 1);
    cdate day = CDATE_NONE;
    int h = -1;
    assert_int_equal(reminder_step_day(&a, P("2026-01-01"), P("2026-01-15"),
                                       0, CDATE_NONE, &day, &h),
                     1);
    assert_string_equal(fmt(day), "2026-01-16");
    assert_int_equal(h, 6);
}

/* 3.2 The hook's answer moves the day; the step's hour stays. */
static void hook_3_2_moved(void **state)
{
    struct reminder_step a = step(30, UNIT_HOURS, FROM_DUE_DATE, 1);
    cdate day = CDATE_NONE;
    int h = -1;
    assert_int_equal(reminder_step_day(&a, P("2026-01-01"), P("2026-01-15"),
                                       1, P("2026-01-19"), &day, &h),
                     1);
    assert_string_equal(fmt(day), "2026-01-19");
    assert_int_equal(h, 6);
}

/* 3.3 The hook answering no date drops the step. */
static void hook_3_3_dropped(void **state)
{
    struct reminder_step a = step(7, UNIT_DAYS, FROM_DUE_DATE, 1);
    cdate day = CDATE_NONE;
    int h = -1;
    assert_int_equal(reminder_step_day(&a, P("2026-01-01"), P("2026-01-15"),
                                       1, CDATE_NONE, &day, &h),
                     0);
}

/* 3.4 The hook may answer the step's own day. */
static void hook_3_4_same(void **state)
{
    struct reminder_step a = step(7, UNIT_DAYS, FROM_DUE_DATE, 1);
    cdate day = CDATE_NONE;
    int h = -1;
    assert_int_equal(reminder_step_day(&a, P("2026-01-01"), P("2026-01-15"),
                                       1, P("2026-01-22"), &day, &h),
                     1);
    assert_string_equal(fmt(day), "2026-01-22");
    assert_int_equal(h, 0);
}

/* ============================================================ applies */

/* 4.1 An ordinary invoice with money on it gets reminders. */
static void applies_4_1_ordinary(void **state)
{
    assert_true(reminder_applies(INV_SUBSCRIPTION, 4500, 0, 0));
    assert_true(reminder_applies(INV_PRODUCT, 1, 0, 0));
}

/* 4.2 Credit notes and invoices of zero or less do not. */
static void applies_4_2_credit_zero(void **state)
{
    assert_false(reminder_applies(INV_CREDIT, 4500, 0, 0));
    assert_false(reminder_applies(INV_CREDIT, -4500, 0, 0));
    assert_false(reminder_applies(INV_PRODUCT, 0, 0, 0));
    assert_false(reminder_applies(INV_PRODUCT, -100, 0, 0));
}

/* 4.3 A direct-debit invoice only once a collection was reversed. */
static void applies_4_3_direct_debit(void **state)
{
    assert_false(reminder_applies(INV_SUBSCRIPTION, 4500, 1, 0));
    assert_true(reminder_applies(INV_SUBSCRIPTION, 4500, 1, 1));
    assert_false(reminder_applies(INV_CREDIT, 4500, 1, 1));
}

/* ============================================================ fire */

/* 5.1 Open invoice, account accepting reminders, active step: it goes. */
static void fire_5_1_goes(void **state)
{
    struct reminder_step st[2] = {step(7, UNIT_DAYS, FROM_DUE_DATE, 1),
                                  step(14, UNIT_DAYS, FROM_DUE_DATE, 1)};
    struct reminder_schedule s = schedule("std", 1, st, 2);
    assert_null(reminder_cancel_reason(&s, 1, ST_OPEN, 1));
    assert_null(reminder_cancel_reason(&s, 2, ST_OPEN, 1));
}

/* 5.2 Paid or credited meanwhile: cancelled, whatever else holds. */
static void fire_5_2_not_open(void **state)
{
    struct reminder_step st[1] = {step(7, UNIT_DAYS, FROM_DUE_DATE, 1)};
    struct reminder_schedule s = schedule("std", 1, st, 1);
    assert_string_equal(reminder_cancel_reason(&s, 1, ST_PAID, 1),
                        "invoice no longer open");
    assert_string_equal(reminder_cancel_reason(&s, 1, ST_CREDITED, 0),
                        "invoice no longer open");
    assert_string_equal(reminder_cancel_reason(NULL, 9, ST_PAID, 0),
                        "invoice no longer open");
}

/* 5.3 The account opted out. */
static void fire_5_3_opted_out(void **state)
{
    struct reminder_step st[1] = {step(7, UNIT_DAYS, FROM_DUE_DATE, 1)};
    struct reminder_schedule s = schedule("std", 1, st, 1);
    assert_string_equal(reminder_cancel_reason(&s, 1, ST_OPEN, 0),
                        "account opted out of reminders");
}

/* 5.4 The step left the schedule: no schedule, out of range, or made
 * inactive since it was scheduled. */
static void fire_5_4_step_gone(void **state)
{
    struct reminder_step st[2] = {step(7, UNIT_DAYS, FROM_DUE_DATE, 1),
                                  step(14, UNIT_DAYS, FROM_DUE_DATE, 0)};
    struct reminder_schedule s = schedule("std", 1, st, 2);
    const char *gone = "reminder step no longer in the schedule";
    assert_string_equal(reminder_cancel_reason(NULL, 1, ST_OPEN, 1), gone);
    assert_string_equal(reminder_cancel_reason(&s, 0, ST_OPEN, 1), gone);
    assert_string_equal(reminder_cancel_reason(&s, 3, ST_OPEN, 1), gone);
    assert_string_equal(reminder_cancel_reason(&s, 2, ST_OPEN, 1), gone);
}

/* 5.5 Days overdue: 0 up to the due date, then counted in days. */
static void fire_5_5_days_overdue(void **state)
{
    cdate due = P("2026-01-15");
    assert_int_equal(reminder_days_overdue(due, P("2026-01-10")), 0);
    assert_int_equal(reminder_days_overdue(due, due), 0);
    assert_int_equal(reminder_days_overdue(due, P("2026-01-22")), 7);
    assert_int_equal(reminder_days_overdue(due, P("2026-03-01")), 45);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedule_1_1_active),
        cmocka_unit_test(schedule_1_2_next_step),
        cmocka_unit_test(due_2_1_days),
        cmocka_unit_test(due_2_2_hours),
        cmocka_unit_test(due_2_3_months),
        cmocka_unit_test(due_2_4_zero),
        cmocka_unit_test(hook_3_1_none),
        cmocka_unit_test(hook_3_2_moved),
        cmocka_unit_test(hook_3_3_dropped),
        cmocka_unit_test(hook_3_4_same),
        cmocka_unit_test(applies_4_1_ordinary),
        cmocka_unit_test(applies_4_2_credit_zero),
        cmocka_unit_test(applies_4_3_direct_debit),
        cmocka_unit_test(fire_5_1_goes),
        cmocka_unit_test(fire_5_2_not_open),
        cmocka_unit_test(fire_5_3_opted_out),
        cmocka_unit_test(fire_5_4_step_gone),
        cmocka_unit_test(fire_5_5_days_overdue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
