/*
 * plans.h — the tables of seat plans (schema/009_seats.sql): an
 * organisation's plan and billing cursor (org_plans), its seats, its
 * usage (with the caller's event key and the price recorded), the
 * discount codes it redeemed, its pending plan change and the periods
 * invoiced. Plain rows in, plain rows out; no business rule. Every
 * function works inside the caller's transaction and returns 0, or -1
 * with e filled (1 where it says so for "no such row"). Strings in rows
 * read back are malloc'd and freed by the matching *_free.
 */
#ifndef CAREBILL_STORE_PLANS_H
#define CAREBILL_STORE_PLANS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/seats.h"
#include "ledger/ledger.h"

/* ---- org_plans */

struct org_plan_row {
    char *account;
    char *plan;
    enum plan_cycle billing;
    cdate start;       /* the day the plan was started */
    cdate anchor;      /* periods are counted from here */
    cdate next_period; /* the first period not billed */
};
void org_plan_row_free(struct org_plan_row *r);
void org_plan_rows_free(struct org_plan_row *v, size_t n);

/* Write the plan of r->account (created on `today`); *dup = 1 (nothing
 * written) when the account has a plan already. */
int plans_insert(struct ledger *lg, const struct org_plan_row *r, cdate today,
                 int *dup, struct err *e);

/* The plan of `account` into *out; 1 when it has none. */
int plans_get(struct ledger *lg, const char *account, struct org_plan_row *out,
              struct err *e);

/* Every organisation's plan (due_by != CDATE_NONE: only those whose next
 * period starts on or before due_by), by account. *out may be empty. */
int plans_list(struct ledger *lg, cdate due_by, struct org_plan_row **out,
               size_t *n, struct err *e);

/* Move account's billing cursor to next_period. */
int plans_set_cursor(struct ledger *lg, const char *account,
                     cdate next_period, struct err *e);

/* Put account on plan/billing with periods counted from anchor. */
int plans_switch(struct ledger *lg, const char *account, const char *plan,
                 enum plan_cycle billing, cdate anchor, struct err *e);

/* ---- seats */

struct seat_row {
    int64_t id;
    char *seat, *name;
    int student;
    cdate from, until; /* until: last active day, CDATE_NONE while active */
};
void seat_rows_free(struct seat_row *v, size_t n);

/* Add seat `seat` of account from `from`; *dup = 1 (nothing written)
 * when that seat id is active already. */
int plans_seat_insert(struct ledger *lg, const char *account, const char *seat,
                      const char *name, int student, cdate from, int *dup,
                      struct err *e);

/* The active row of seat `seat` of account into *out (its strings the
 * caller's, seat_rows_free(out, 0) is not needed: free seat and name);
 * 1 when that seat is not active. */
int plans_seat_active(struct ledger *lg, const char *account,
                      const char *seat, struct seat_row *out, struct err *e);

/* End seat row `id`: `until` is its last active day. */
int plans_seat_end(struct ledger *lg, int64_t id, cdate until, struct err *e);

/* Every seat row of account, by start date. */
int plans_seats(struct ledger *lg, const char *account, struct seat_row **out,
                size_t *n, struct err *e);

/* ---- usage */

struct usage_row {
    int64_t id;
    char *metric;
    int64_t quantity;
    cdate on;
    int64_t unit_cents; /* the plan's price when it was recorded */
    char *key;          /* the caller's event key, or NULL */
};
void usage_rows_free(struct usage_row *v, size_t n);

/* Record usage u of account; *dup = 1 (nothing written) when u->key is
 * recorded for the account already. */
int plans_usage_insert(struct ledger *lg, const char *account,
                       const struct usage_row *u, int *dup, struct err *e);

/* The usage of account recorded with event key `key` into *out; 1 when
 * there is none. */
int plans_usage_by_key(struct ledger *lg, const char *account,
                       const char *key, struct usage_row *out, struct err *e);

/* The usage of account recorded before `before` and not billed yet, by
 * metric, price and date. */
int plans_usage_unbilled(struct ledger *lg, const char *account, cdate before,
                         struct usage_row **out, size_t *n, struct err *e);

/* Mark usage row `id` billed by line `position` (1-based) of invoice
 * `invoice`. */
int plans_usage_billed(struct ledger *lg, int64_t id, int64_t invoice,
                       int64_t position, struct err *e);

/* ---- discount redemptions */

struct redemption_row {
    int64_t id;
    char *code;
    cdate redeemed_on;
    int64_t periods_used; /* invoices it has discounted */
};
void redemption_rows_free(struct redemption_row *v, size_t n);

/* Record that account redeemed `code` on `on`. */
int plans_redemption_insert(struct ledger *lg, const char *account,
                            const char *code, cdate on, struct err *e);

/* How many times `code` has been redeemed, by every account. */
int plans_redemptions_count(struct ledger *lg, const char *code, int64_t *n,
                            struct err *e);

/* Every redemption of account, oldest first. */
int plans_redemptions_of(struct ledger *lg, const char *account,
                         struct redemption_row **out, size_t *n,
                         struct err *e);

/* Count one more invoice discounted by redemption `id`. */
int plans_redemption_used(struct ledger *lg, int64_t id, struct err *e);

/* ---- plan changes */

struct plan_change_row {
    int64_t id;
    char *plan;
    enum plan_cycle billing;
    cdate asked_on, effective;
};
void plan_change_row_free(struct plan_change_row *r);

/* Record a change of account to plan/billing from `effective`, asked on
 * `asked`; *dup = 1 (nothing written) when one is pending already. */
int plans_change_insert(struct ledger *lg, const char *account,
                        const char *plan, enum plan_cycle billing, cdate asked,
                        cdate effective, int *dup, struct err *e);

/* The pending change of account into *out; 1 when there is none. */
int plans_change_pending(struct ledger *lg, const char *account,
                         struct plan_change_row *out, struct err *e);

/* Mark change `id` cancelled (or applied) on `on`. */
int plans_change_cancel(struct ledger *lg, int64_t id, cdate on,
                        struct err *e);
int plans_change_applied(struct ledger *lg, int64_t id, cdate on,
                         struct err *e);

/* ---- periods invoiced */

/* Record that account's period start..end was invoiced by `invoice`
 * under `plan`; *dup = 1 (nothing written) when it was invoiced before. */
int plans_period_insert(struct ledger *lg, const char *account, cdate start,
                        cdate end, const char *plan, int64_t invoice, int *dup,
                        struct err *e);

/* Account's plan invoices issued in from..to (CDATE_NONE: an open end)
 * under one plan: their number and total. */
struct plan_invoiced {
    char *plan;
    int64_t count, cents;
};
void plan_invoiced_free(struct plan_invoiced *v, size_t n);

/* One row per plan, in the order the plans were first billed. */
int plans_invoiced(struct ledger *lg, const char *account, cdate from,
                   cdate to, struct plan_invoiced **out, size_t *n,
                   struct err *e);

#endif
