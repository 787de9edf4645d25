/*
 * subscription.h — a subscription's life: start, pause, resume and stop.
 * Each reads the subscription through store/subscriptions.h, checks with
 * decide/subscription.h and writes nothing when it refuses; the caller
 * owns the transaction.
 */
#ifndef CAREBILL_SUBSCRIPTION_H
#define CAREBILL_SUBSCRIPTION_H

#include "decide/late_change.h"
#include "decide/subscription.h"
#include "store/subscriptions.h"
#include "usecase/accounts.h"
#include "usecase/engine.h"
#include "usecase/prices.h"

/* Start a subscription of type `type` for `account` on `from`; *id
 * receives its id. Past dates catch up at the next tick. */
int subscription_start(struct engine *eng, const char *account,
                       const char *type, cdate from, int direct_debit,
                       int64_t quantity, cdate today, int64_t *id,
                       struct err *e);

/* Pause from..until (inclusive). Refuses overlapping pauses, pauses after
 * the stop date, and stopped subscriptions. */
int subscription_pause(struct engine *eng, int64_t id, cdate from,
                       cdate until, const char *note, struct err *e);

/* End the pause in force or planned on `on`: the subscription is active
 * again from `on` (a pause that has not begun yet is cancelled). A
 * backdated resume moves the billing cursor back so a period it makes
 * billable is billed at the next tick. */
int subscription_resume(struct engine *eng, int64_t id, cdate on,
                        struct err *e);

/* Stop: `on` is the last active day. A stopped subscription never
 * resumes; a later stop date may be brought forward, never extended. */
int subscription_stop(struct engine *eng, int64_t id, cdate on,
                      const char *note, cdate today, struct err *e);

/* The subscriptions report: every subscription (of `account` when
 * non-NULL) with its status on eng->today and its latest invoice.
 * subscription_report_free releases *rows. */
int subscription_report(struct engine *eng, const char *account,
                        struct subscription_report_row **rows, size_t *n,
                        struct err *e);

/* What a late change did to one issued invoice (the action decided by
 * decide/late_change.h, never LATE_NONE here). For LATE_UNDERBILLED,
 * cents is what the invoice bills below the price now in force. */
struct late_fix {
    enum late_action action;
    char *number;        /* the invoice */
    cdate start, end;    /* its period */
    int64_t cents;       /* what is no longer billable */
    int full;            /* 1: the whole invoice */
    char *credit_number; /* LATE_CREDITED: the credit note */
};
void late_fixes_free(struct late_fix *f, size_t n);

/* After a stop or pause of subscription `id` effective from `from` was
 * written: every issued invoice of a period from then on is billed again
 * (billing_lines on the new state); where it now bills less, the
 * practice's late_change setting decides: credit the difference
 * (issue_credit_note, which stops the invoice's reminders) or warn. An
 * invoice already exported in a direct-debit batch is never credited
 * here. *fixes (the caller's, late_fixes_free) lists what was found. Runs
 * in the caller's transaction. */
int subscription_late_changes(struct engine *eng, int64_t id, cdate from,
                              struct late_fix **fixes, size_t *n,
                              struct err *e);

/* After a price change of type `type` from `from` was scheduled or
 * cancelled: the same for every issued period starting on or after
 * `from` of a subscription of that type (a period is billed at the price
 * of its first day). Where the period now bills more, the invoice keeps
 * its price and the fix is LATE_UNDERBILLED: an issued invoice is never
 * raised, the new price applies from the next period. */
int subscription_type_late_changes(struct engine *eng, const char *type,
                                   cdate from, struct late_fix **fixes,
                                   size_t *n, struct err *e);

/* The definitions the ledger still uses that the rule files in eng->r no
 * longer define (subscription types of subscriptions still to be billed;
 * with `packages`, also packages of grants that still hold credits), one
 * message each: "subscription type 'x' is used by subscriptions 3, 7 but
 * no rule file defines it". *msgs (malloc'd strings in a malloc'd array)
 * is the caller's; *n = 0 when nothing is missing. */
int subscription_missing_definitions(struct engine *eng, int packages,
                                     char ***msgs, size_t *n, struct err *e);

#endif
