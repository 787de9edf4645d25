/*
 * seats.h — what one period of an organisation's seat plan (seed 003)
 * bills, as pure decisions: the plan's periods (monthly or yearly,
 * counted from the plan's anchor day), when a plan change takes effect,
 * how many seats and student seats a period bills (the default rule, or
 * the plan's `seats(ctx)` hook), and the invoice lines of one period:
 * seats, student seats, the usage recorded before the period and the
 * discount, in the invoice's language. No ledger, no I/O.
 *
 * The default seat count: a seat is billed for a period when it is
 * active on the period's first day (added on or before it, not removed
 * before it). A seat added during a period is billed from the next
 * period on, at no extra cost; a seat removed during a period stays
 * billed for that period (it was billed at its start).
 */
#ifndef CAREBILL_SEATS_H
#define CAREBILL_SEATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"
#include "decide/period.h"
#include "rules/hooks.h"
#include "rules/rules.h"

enum plan_cycle { CYCLE_MONTHLY, CYCLE_YEARLY };

/* "monthly" or "yearly". */
const char *plan_cycle_name(enum plan_cycle c);
/* Parse "monthly" / "yearly": 0, or -1 for anything else. */
int plan_cycle_parse(const char *s, enum plan_cycle *out);

/* 1 when plan p is offered in cycle c (it has a seat price for it). */
int plan_offers(const struct plan *p, enum plan_cycle c);

/* The price of one seat (student: a student seat) of p per period of
 * cycle c; 0 when p has none (a plan without a student price refuses
 * student seats). */
int64_t plan_seat_price(const struct plan *p, enum plan_cycle c, int student);

/* The usage price of `metric` on p; NULL when p prices no such metric. */
const struct usage_price *plan_usage_price(const struct plan *p,
                                           const char *metric);

/* The first day a plan started on `from` bills: after its trial days. */
cdate plan_first_billed(const struct plan *p, cdate from);

/* The period of cycle c that contains day d, periods counted from
 * `anchor` (a month or a year from the anchor day, clamped to a short
 * month's end as decide/period.h does). */
struct period plan_period(enum plan_cycle c, cdate anchor, cdate d);

/* The day a plan change asked on day `on` takes effect: the start of the
 * period after the one that contains `on` (the first period when `on` is
 * before the anchor), and never a period billed already (next_period is
 * the first period not billed). Monthly -> yearly therefore starts the
 * yearly period at the next monthly boundary. */
cdate plan_change_effective(enum plan_cycle c, cdate anchor,
                            cdate next_period, cdate on);

/* A seat as the decision sees it. */
struct seat_span {
    const char *id;
    int student;
    cdate from, until; /* until: last active day, CDATE_NONE while active */
};

/* The seats of one kind (regular or student) in a period. */
struct seat_tally {
    int64_t first_day; /* active on the period's first day: the default */
    int64_t peak;      /* most active on any one day of the period */
    int64_t seat_days; /* days of the period each was active, summed */
};

/* Tally the seats of kind `student` among s[0..n) in period p. */
void seat_tally(const struct seat_span *s, size_t n, int student,
                struct period p, struct seat_tally *out);

/* What a period bills, per kind ([0] regular, [1] student seats). */
struct seat_count {
    int64_t qty100[2];          /* seats billed x 100 */
    struct seat_tally tally[2];
    const char *rule;           /* which rule decided (static string) */
};

/* Count the seats period p bills: the default (seats active on the
 * first day) or, when `hook` is bound (ref >= 0), the plan's seats hook,
 * called once per kind that has any seat active in the period with
 * ctx: student (bool), first_day, peak, seat_days, period_start,
 * period_end, period_days, billing ("monthly"/"yearly"), plan.id,
 * account.id, run_date; it returns the seats billed x 100 (300: three
 * seats; 150: one and a half), an integer >= 0. Returns 0, or -1 with e
 * naming the hook, account and period when the hook fails. */
int seats_count(const struct plan *pl, const struct hook_ref *hook,
                struct hooks *hooks, const char *account, enum plan_cycle c,
                const struct seat_span *s, size_t n, struct period p,
                cdate run_date, struct seat_count *out, struct err *e);

/* Usage of one metric not billed yet, at the price it was recorded at. */
struct usage_sum {
    const char *metric;
    int64_t quantity;
    int64_t unit_cents;
};

/* One period of an organisation's plan, to be put on its invoice. */
struct plan_bill {
    const struct plan *plan;
    enum plan_cycle cycle;
    struct period p;
    const struct seat_count *seats;
    const struct usage_sum *usage; /* recorded before p.start */
    size_t n_usage;
    const struct discount_code *discount; /* NULL: none this period */
    const char *locale;                   /* "nl", "fr", "en" */
};

/* Append the period's lines to draft, in this order: seats (source
 * "seat", quantity x seat price), student seats ("student_seat"), one
 * line per metric and price ("usage", ref the metric), then the discount
 * ("discount", one negative line, ref the code, never more than the
 * lines before it). Every line carries the plan's VAT rate, and every
 * line but usage the period; descriptions are in b->locale. A student seat billed on a
 * plan without a student price is refused (-1, e says so). *discount_cents
 * receives the discount taken off (0 when none). Returns 0 or -1. */
int plan_lines(const struct plan_bill *b, struct invoice *draft,
               int64_t *discount_cents, struct err *e);

#endif
