/*
 * subscription.h — a subscription's life: start, pause, resume and stop.
 * Each reads the subscription through store/subscriptions.h, checks with
 * decide/subscription.h and writes nothing when it refuses; the caller
 * owns the transaction.
 */
#ifndef CAREBILL_SUBSCRIPTION_H
#define CAREBILL_SUBSCRIPTION_H

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

#endif
