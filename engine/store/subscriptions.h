/*
 * subscriptions.h — the subscriptions table with its pauses and the
 * ledger's scheduled price changes: rows in and out as plain values, and
 * the billing cursors. A subscription's cursor (the first period not yet
 * decided and the date it comes due) is a row of cursors that every
 * subscription with the same cursor points at, so a run moves a cohort
 * with one write; the rows here carry the cursor's values as if they
 * were the subscription's own. No rule here: what a pause or a stop may
 * do is decided in decide/subscription.c, what a period costs in
 * decide/billing.c.
 */
#ifndef CAREBILL_STORE_SUBSCRIPTIONS_H
#define CAREBILL_STORE_SUBSCRIPTIONS_H

#include <stddef.h>

#include "decide/billing.h"
#include "ledger/ledger.h"
#include "rules/rules.h"

/* A subscription row (strings owned; subscription_row_free). */
struct subscription_row {
    int64_t id;
    char *account, *type;
    cdate start, end_on;          /* end_on: last active day, or NONE */
    cdate next_period, next_due;  /* the billing cursor; NONE when done */
    int direct_debit;
    int64_t quantity;
};
void subscription_row_free(struct subscription_row *s);

/* Insert s (its id is ignored); *id receives the new id. */
int subscriptions_insert(struct ledger *lg, const struct subscription_row *s,
                         cdate created, int64_t *id, struct err *e);

/* Read subscription id: 0, 1 when there is none, -1 on error. */
int subscriptions_get(struct ledger *lg, int64_t id,
                      struct subscription_row *out, struct err *e);

/* Move the billing cursor (next_period NONE: nothing left to bill): the
 * subscription points at the cursors row of that value, made when there
 * is none, and the row it leaves goes when no other subscription points
 * at it. */
int subscriptions_set_cursor(struct ledger *lg, int64_t id, cdate next_period,
                             cdate next_due, struct err *e);

/* Set the stop date and its note. */
int subscriptions_set_end(struct ledger *lg, int64_t id, cdate end_on,
                          const char *note, struct err *e);

/* A subscription due for billing, with what its invoice needs of the
 * account (strings owned; due_subscription_free). */
struct due_subscription {
    struct subscription_row s;
    char *name, *email, *locale;
    int has_pauses;
};
void due_subscription_free(struct due_subscription *d);

/* A cursors row: the cursor a cohort of subscriptions shares. */
struct due_cursor {
    int64_t id;
    cdate next_period, next_due;
};

/* The cursors whose next_due is the earliest one on or before as_of, in
 * (next_period, id) order (*out malloc'd; *n = 0: nothing is due). A run
 * moves each of them past as_of or deletes it, so calling again yields
 * the cursors of the next due date. */
int cursors_due(struct ledger *lg, cdate as_of, struct due_cursor **out,
                size_t *n, struct err *e);

/* Up to max subscriptions pointing at cursor c whose id is above `after`,
 * by id, their cursor filled from c; *n receives how many. */
int cursor_members(struct ledger *lg, const struct due_cursor *c,
                   int64_t after, struct due_subscription *batch, size_t max,
                   size_t *n, struct err *e);

/* Point subscription sub at the cursors row of (next_period, next_due),
 * made when there is none, or at none when next_period is NONE. The row
 * it leaves stays (the run settles it: cursors_settle). */
int subscriptions_move(struct ledger *lg, int64_t sub, cdate next_period,
                       cdate next_due, struct err *e);

/* After a run billed every member of cursor id: the `stayed` members
 * still pointing at it take (next_period, next_due) together. The row is
 * moved to that value with one write, or, when another row holds it
 * already, the smaller of the two cohorts is pointed at the other's row
 * and its row deleted; with no member left (stayed 0) the row goes. */
int cursors_settle(struct ledger *lg, int64_t id, int64_t stayed,
                   cdate next_period, cdate next_due, struct err *e);

/* The pauses of subscription sub in date order (*out malloc'd). */
int pauses_of(struct ledger *lg, int64_t sub, struct pause_span **out,
              size_t *n, struct err *e);

/* A pause of sub overlapping from..until: 1 (copied to *found), 0 none,
 * -1 on error. */
int pauses_overlapping(struct ledger *lg, int64_t sub, cdate from, cdate until,
                       struct pause_span *found, struct err *e);

int pauses_insert(struct ledger *lg, int64_t sub, cdate from, cdate until,
                  const char *note, struct err *e);

/* The pause of sub in force on day d: 1 (*pid, *span), 0 none, -1 error. */
int pauses_covering(struct ledger *lg, int64_t sub, cdate d, int64_t *pid,
                    struct pause_span *span, struct err *e);

int pauses_set_until(struct ledger *lg, int64_t pid, cdate until,
                     struct err *e);
int pauses_delete(struct ledger *lg, int64_t pid, struct err *e);

/* Cut sub's pauses at day `on`: those starting later go, those running
 * past it end on it. */
int pauses_clip(struct ledger *lg, int64_t sub, cdate on, struct err *e);

/* A price change of type on `from`; *dup = 1 when one is live already. */
int price_changes_insert(struct ledger *lg, const char *type, cdate from,
                         int64_t price, cdate created, int *dup,
                         struct err *e);

/* Cancel the live change of type on `from`; *found = 0 when none. */
int price_changes_cancel(struct ledger *lg, const char *type, cdate from,
                         cdate on, int *found, struct err *e);

/* The live price changes of type in date order (*out malloc'd). */
int price_changes_of(struct ledger *lg, const char *type,
                     struct price_change **out, size_t *n, struct err *e);

/* A subscription as the subscriptions report shows it. */
struct subscription_report_row {
    struct subscription_row s;
    int has_last_invoice;
    int64_t last_invoice_cents;
    char *last_invoice_status;
    struct pause_span *pauses;
    size_t n_pauses;
    const char *status; /* not stored: the report's use case fills it */
};
void subscription_report_free(struct subscription_report_row *rows, size_t n);

/* Every subscription (of `account` when non-NULL) in id order, with the
 * amount and status of the invoice of its latest billed period. */
int subscriptions_report(struct ledger *lg, const char *account,
                         struct subscription_report_row **out, size_t *n,
                         struct err *e);

/* A period of a subscription billed on an issued invoice. */
struct billed_period {
    int64_t subscription;  /* the subscription billed */
    char *number;          /* the invoice */
    int64_t invoice_total; /* its total */
    int64_t credited;      /* what its credit notes credited, positive */
    int64_t line_cents;    /* what the period's line charged */
    int n_lines;           /* lines of the invoice */
    cdate start, end;      /* the period */
    int exported;          /* 1: in a pain.008 batch, not reversed */
};
void billed_periods_free(struct billed_period *rows, size_t n);

/* The periods of subscription `sub` ending on or after `from` that are
 * billed on an invoice that is not credited in full, by period. */
int subscriptions_billed_since(struct ledger *lg, int64_t sub, cdate from,
                               struct billed_period **rows, size_t *n,
                               struct err *e);

/* The periods starting on or after `from` of every subscription of type
 * `type`, billed as subscriptions_billed_since bills them, by
 * subscription and period: what a price change from `from` may touch. */
int subscriptions_billed_of_type(struct ledger *lg, const char *type,
                                 cdate from, struct billed_period **rows,
                                 size_t *n, struct err *e);

/* A definition of the rule files the ledger still uses: a subscription
 * type of subscriptions still to be billed (with a cursor), or a
 * package of grants not withdrawn that still hold credits. */
struct definition_use {
    int package; /* 0: subscription type, 1: package */
    char *id;    /* the type or package id */
    char *users; /* "3, 7": the subscription or grant ids */
};
void definition_uses_free(struct definition_use *rows, size_t n);

/* Every definition in use, subscription types first, each by id; *rows
 * is the caller's (definition_uses_free). */
int subscriptions_definitions_in_use(struct ledger *lg,
                                     struct definition_use **rows, size_t *n,
                                     struct err *e);

/* The distinct subscription types of subscriptions still to be billed
 * (with a cursor), in order: *types is malloc'd, each entry too (the
 * caller frees both). One index probe per type, so the daily run asks
 * it cheaply whatever the number of subscriptions. 0 or -1 (e filled). */
int subscriptions_types_in_use(struct ledger *lg, char ***types, size_t *n,
                               struct err *e);

#endif
