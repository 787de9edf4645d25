/*
 * plans.h — seat plans of organisations (seed 003): starting a plan,
 * changing it at the next period (or cancelling the change), adding and
 * removing seats, recording usage, redeeming discount codes, the daily
 * run's step that issues one invoice per organisation and period, and the
 * plans overview. Each use case reads through store/plans.h, decides with
 * decide/seats.h and decide/discount.h, and writes nothing when it
 * refuses; the caller owns the transaction.
 */
#ifndef CAREBILL_USECASE_PLANS_H
#define CAREBILL_USECASE_PLANS_H

#include <stdio.h>

#include "decide/seats.h"
#include "usecase/engine.h"

/* Start plan `plan` for organisation `account` on `from`, billed
 * `billing` ("monthly" or "yearly"), redeeming discount code `code` when
 * non-NULL. Refuses an unknown or inactive account or plan, a cycle the
 * plan is not offered in, an account that has a plan already, and a code
 * that cannot be redeemed (decide/discount.h). The first period starts
 * after the plan's trial days. */
int plan_start(struct engine *eng, const char *account, const char *plan,
               const char *billing, cdate from, const char *code,
               struct err *e);

/* Change account's plan (NULL: keep it) and billing (NULL: keep it)
 * from the next period start after `on` (decide/seats.h
 * plan_change_effective), at no extra cost; *effective receives that
 * day. Refuses a change to what is in force, an unknown or inactive
 * plan, a cycle it is not offered in, student seats the new plan has no
 * price for, and a second pending change. */
int plan_change(struct engine *eng, const char *account, const char *plan,
                const char *billing, cdate on, cdate *effective,
                struct err *e);

/* Cancel account's pending plan change on `on`; refuses when there is
 * none. *plan, *billing and *effective receive what was cancelled
 * (*plan malloc'd, the caller's). */
int plan_cancel_change(struct engine *eng, const char *account, cdate on,
                       char **plan, enum plan_cycle *billing,
                       cdate *effective, struct err *e);

/* Add seat `seat` (name may be NULL; student: a student seat) to
 * account's plan from `from`. Refuses an account without a plan, a seat
 * id in use, a student seat on a plan without a student price, and a
 * date before the plan's start. */
int seat_add(struct engine *eng, const char *account, const char *seat,
             const char *name, int student, cdate from, struct err *e);

/* Remove seat `seat` of account on `on`: it is no longer active from
 * that day (its last day is the day before). Refuses a seat that is not
 * active and a day not after it was added. */
int seat_remove(struct engine *eng, const char *account, const char *seat,
                cdate on, struct err *e);

/* One seat of an organisation, as `seat list` shows it. */
struct seat_view {
    char *seat, *name;
    int student;
    cdate from, until; /* until: last active day, CDATE_NONE while active */
};
void seat_views_free(struct seat_view *v, size_t n);

/* Every seat account has had, by start date (*v the caller's:
 * seat_views_free). Refuses an account without a plan. */
int seat_list(struct engine *eng, const char *account, struct seat_view **v,
              size_t *n, struct err *e);

/* Record `quantity` of `metric` used by account on `on`, at the price of
 * the plan in force; billed on the invoice of the first period that
 * starts after `on`. With `key`, a second record of the same key is a
 * no-op (*repeat = 1) when it says the same, and refused when it does
 * not. Refuses an account without a plan, a metric its plan does not
 * price and a day before the plan started. */
int usage_record(struct engine *eng, const char *account, const char *metric,
                 int64_t quantity, cdate on, const char *key, int *repeat,
                 struct err *e);

/* Redeem discount code `code` for account on `on`: it discounts the
 * account's next invoices. Refuses an account without a plan, one whose
 * earlier code still applies to its plan, and a code that cannot be
 * redeemed. */
int discount_apply(struct engine *eng, const char *account, const char *code,
                   cdate on, struct err *e);

/* What plans_tick adds to the run's report (usecase/tick.h). */
struct plans_tally {
    int64_t run;                /* the run's id, stored on its invoices */
    int64_t *invoices, *lines, *skipped_periods, *total_cents;
};

/* The daily run's step: every organisation period that starts on or
 * before eng->today and is not billed yet is invoiced (one invoice per
 * organisation and period, kind "seats"), with its e-mail and reminders
 * queued as for subscriptions; pending plan changes are applied at the
 * period they take effect with. Adds to the counters of t, logs one line
 * per invoice to log (may be NULL). Runs in the caller's transaction. */
int plans_tick(struct engine *eng, FILE *log, const struct plans_tally *t,
               struct err *e);

/* One organisation in the plans overview. */
struct plan_report_row {
    char *account, *plan;
    enum plan_cycle billing;
    cdate start;
    int64_t seats, students;  /* active on eng->today */
    cdate next_invoice;       /* the next period's start (its invoice date) */
    int64_t next_total_cents; /* what that invoice will come to */
    char *change_plan;        /* pending change, or NULL */
    enum plan_cycle change_billing;
    cdate change_effective;
    char *discount;           /* code that applies to the next invoice */
};
void plan_report_free(struct plan_report_row *rows, size_t n);

/* The plans overview (of `account` only when non-NULL): each
 * organisation's plan, cycle, seats, pending change, and the date and
 * total of its next invoice as the next run would issue it. */
int plans_report(struct engine *eng, const char *account,
                 struct plan_report_row **rows, size_t *n, struct err *e);

/* The plans the ledger's organisations are on (or will change to) that
 * no rule file defines: one message per plan naming the organisations,
 * into *msgs (malloc'd strings, *n of them; the caller frees each and
 * the array). Returns 0, or -1 with e filled. `check --db` reports them. */
int plans_missing_definitions(struct engine *eng, char ***msgs, size_t *n,
                              struct err *e);

#endif
