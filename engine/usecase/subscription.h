/*
 * subscription.h — accounts, subscriptions, pauses, stops and scheduled
 * price changes as ledger writes. Every function validates first and
 * writes nothing when it refuses; the caller owns the transaction.
 */
#ifndef CAREBILL_SUBSCRIPTION_H
#define CAREBILL_SUBSCRIPTION_H

#include "decide/billing.h"
#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

struct account_input {
    const char *id, *name, *email, *kind, *address, *locale, *vat_number;
    const char *iban, *bic, *mandate_id;
    cdate mandate_date;
    int reminders;
};

int account_add(struct ledger *lg, const struct account_input *a,
                cdate today, struct err *e);

/* 1 when the account exists. */
int account_exists(struct ledger *lg, const char *id);

/* 1 when the account has a direct-debit mandate, 0 when not, -1 when
 * there is no such account. */
int account_mandate(struct ledger *lg, const char *id);

/* Start a subscription of type `type` (a subscription type or a plan) for
 * `account` on `from`; *id receives its id. Past dates catch up at the
 * next tick. */
int subscription_start(struct engine *eng,
                       const char *account, const char *type, cdate from,
                       int direct_debit, int64_t quantity, cdate today,
                       int64_t *id, struct err *e);

/* Pause from..until (inclusive). Refuses overlapping pauses, pauses after
 * the stop date, and stopped subscriptions. */
int subscription_pause(struct ledger *lg, int64_t id, cdate from, cdate until,
                       const char *note, struct err *e);

/* End the pause in force or planned on `on`: the subscription is active
 * again from `on` (a pause that has not begun yet is cancelled). */
int subscription_resume(struct engine *eng, int64_t id,
                        cdate on, struct err *e);

/* Stop: `on` is the last active day. A stopped subscription never
 * resumes; a later stop date may be brought forward, never extended. */
int subscription_stop(struct ledger *lg, int64_t id, cdate on,
                      const char *note, cdate today, struct err *e);

int price_schedule(struct engine *eng, const char *type,
                   cdate from, int64_t price, cdate today, struct err *e);
int price_cancel(struct engine *eng, const char *type,
                 cdate from, cdate today, struct err *e);

/* Price of type t on day d: the rule files' schedule, overridden by the
 * ledger's live changes (loaded into `changes`, sorted by date). */
struct price_list {
    int64_t base;                 /* the type's price before any change */
    struct price_change *changes; /* merged, sorted */
    size_t n;
};
int price_list_load(struct ledger *lg, const struct subscription_type *t,
                    struct price_list *out, struct err *e);
int64_t price_list_on(const struct price_list *pl, cdate d);
void price_list_free(struct price_list *pl);

/* Status of subscription on day d: "active", "paused", "stopped" or
 * "planned" (starts later). */
const char *subscription_status(cdate start, cdate end_on,
                                const struct pause_span *pauses, size_t n,
                                cdate d);

#endif
