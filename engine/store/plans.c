/*
 * plans.c — SQL of the seat-plan tables: org_plans, seats, usage,
 * discount_redemptions, plan_changes and plan_invoices.
 */
#include "store/plans.h"

#include <stdlib.h>
#include <string.h>

/* Grow *v (of element size sz) so that index n fits. */
static void *grow(void *v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 8;
    return xrealloc(v, *cap * sz);
}

static enum plan_cycle cycle_of(const char *s)
{
    enum plan_cycle c = CYCLE_MONTHLY;
    plan_cycle_parse(s, &c);
    return c;
}

/* ================================================================ org_plans */

void org_plan_row_free(struct org_plan_row *r)
{
    if (!r)
        return;
    free(r->account);
    free(r->plan);
    memset(r, 0, sizeof *r);
}

void org_plan_rows_free(struct org_plan_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        org_plan_row_free(&v[i]);
    free(v);
}

int plans_insert(struct ledger *lg, const struct org_plan_row *r, cdate today,
                 int *dup, struct err *e)
{
    static const char *const sql =
        "INSERT INTO org_plans(account, plan, billing, start, anchor, "
        "next_period, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, r->account);
    bind_text(st, 2, r->plan);
    bind_text(st, 3, plan_cycle_name(r->billing));
    bind_date(st, 4, r->start);
    bind_date(st, 5, r->anchor);
    bind_date(st, 6, r->next_period);
    bind_date(st, 7, today);
    *dup = 0;
    return ledger_done(lg, st, dup, e);
}

static void read_plan(struct ledger_stmt *st, struct org_plan_row *r)
{
    r->account = col_text(st, 0);
    r->plan = col_text(st, 1);
    r->billing = cycle_of(col_ctext(st, 2));
    r->start = col_date(st, 3);
    r->anchor = col_date(st, 4);
    r->next_period = col_date(st, 5);
}

int plans_get(struct ledger *lg, const char *account, struct org_plan_row *out,
              struct err *e)
{
    static const char *const sql =
        "SELECT account, plan, billing, start, anchor, next_period FROM "
        "org_plans WHERE account = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW)
        read_plan(st, out);
    if (ledger_read_end(st, rc, "the organisation's plan", e) != 0)
        return -1;
    return rc == LEDGER_ROW ? 0 : 1;
}

int plans_list(struct ledger *lg, cdate due_by, struct org_plan_row **out,
               size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT account, plan, billing, start, anchor, next_period FROM "
        "org_plans WHERE ?1 IS NULL OR next_period <= ?1 ORDER BY account";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, due_by);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = grow(*out, *n, &cap, sizeof **out);
        read_plan(st, &(*out)[(*n)++]);
    }
    return ledger_read_end(st, rc, "the organisations' plans", e);
}

int plans_set_cursor(struct ledger *lg, const char *account,
                     cdate next_period, struct err *e)
{
    static const char *const sql =
        "UPDATE org_plans SET next_period = ?2 WHERE account = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, next_period);
    return ledger_done(lg, st, NULL, e);
}

int plans_switch(struct ledger *lg, const char *account, const char *plan,
                 enum plan_cycle billing, cdate anchor, struct err *e)
{
    static const char *const sql =
        "UPDATE org_plans SET plan = ?2, billing = ?3, anchor = ?4 "
        "WHERE account = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, plan);
    bind_text(st, 3, plan_cycle_name(billing));
    bind_date(st, 4, anchor);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ seats */

void seat_rows_free(struct seat_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].seat);
        free(v[i].name);
    }
    free(v);
}

int plans_seat_insert(struct ledger *lg, const char *account, const char *seat,
                      const char *name, int student, cdate from, int *dup,
                      struct err *e)
{
    static const char *const sql =
        "INSERT INTO seats(account, seat, name, student, from_date) "
        "VALUES (?1, ?2, ?3, ?4, ?5)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, seat);
    bind_text(st, 3, name);
    bind_int(st, 4, student);
    bind_date(st, 5, from);
    *dup = 0;
    return ledger_done(lg, st, dup, e);
}

static void read_seat(struct ledger_stmt *st, struct seat_row *r)
{
    r->id = col_int(st, 0);
    r->seat = col_text(st, 1);
    r->name = col_text(st, 2);
    r->student = (int)col_int(st, 3);
    r->from = col_date(st, 4);
    r->until = col_date(st, 5);
}

int plans_seat_active(struct ledger *lg, const char *account,
                      const char *seat, struct seat_row *out, struct err *e)
{
    static const char *const sql =
        "SELECT id, seat, name, student, from_date, until FROM seats "
        "WHERE account = ?1 AND seat = ?2 AND until IS NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, seat);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW)
        read_seat(st, out);
    if (ledger_read_end(st, rc, "the seat", e) != 0)
        return -1;
    return rc == LEDGER_ROW ? 0 : 1;
}

int plans_seat_end(struct ledger *lg, int64_t id, cdate until, struct err *e)
{
    static const char *const sql = "UPDATE seats SET until = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_date(st, 2, until);
    return ledger_done(lg, st, NULL, e);
}

int plans_seats(struct ledger *lg, const char *account, struct seat_row **out,
                size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id, seat, name, student, from_date, until FROM seats "
        "WHERE account = ?1 ORDER BY from_date, id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = grow(*out, *n, &cap, sizeof **out);
        read_seat(st, &(*out)[(*n)++]);
    }
    return ledger_read_end(st, rc, "the seats", e);
}

/* ================================================================ usage */

void usage_rows_free(struct usage_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].metric);
        free(v[i].key);
    }
    free(v);
}

int plans_usage_insert(struct ledger *lg, const char *account,
                       const struct usage_row *u, int *dup, struct err *e)
{
    static const char *const sql =
        "INSERT INTO usage(account, metric, quantity, on_date, event_key, "
        "unit_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, u->metric);
    bind_int(st, 3, u->quantity);
    bind_date(st, 4, u->on);
    bind_text(st, 5, u->key);
    bind_int(st, 6, u->unit_cents);
    *dup = 0;
    return ledger_done(lg, st, dup, e);
}

static void read_usage(struct ledger_stmt *st, struct usage_row *u)
{
    u->id = col_int(st, 0);
    u->metric = col_text(st, 1);
    u->quantity = col_int(st, 2);
    u->on = col_date(st, 3);
    u->unit_cents = col_int(st, 4);
    u->key = col_text(st, 5);
}

int plans_usage_by_key(struct ledger *lg, const char *account,
                       const char *key, struct usage_row *out, struct err *e)
{
    static const char *const sql =
        "SELECT id, metric, quantity, on_date, unit_cents, event_key FROM "
        "usage WHERE account = ?1 AND event_key = ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, key);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW)
        read_usage(st, out);
    if (ledger_read_end(st, rc, "the usage", e) != 0)
        return -1;
    return rc == LEDGER_ROW ? 0 : 1;
}

int plans_usage_unbilled(struct ledger *lg, const char *account, cdate before,
                         struct usage_row **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id, metric, quantity, on_date, unit_cents, event_key FROM "
        "usage WHERE account = ?1 AND invoice_line IS NULL AND on_date < ?2 "
        "AND unit_cents IS NOT NULL ORDER BY metric, unit_cents, on_date, id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, before);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = grow(*out, *n, &cap, sizeof **out);
        read_usage(st, &(*out)[(*n)++]);
    }
    return ledger_read_end(st, rc, "the usage to bill", e);
}

int plans_usage_billed(struct ledger *lg, int64_t id, int64_t invoice,
                       int64_t position, struct err *e)
{
    static const char *const sql =
        "UPDATE usage SET invoice_line = (SELECT id FROM invoice_lines "
        "WHERE invoice = ?2 AND position = ?3) WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_int(st, 2, invoice);
    bind_int(st, 3, position);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ redemptions */

void redemption_rows_free(struct redemption_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].code);
    free(v);
}

int plans_redemption_insert(struct ledger *lg, const char *account,
                            const char *code, cdate on, struct err *e)
{
    static const char *const sql =
        "INSERT INTO discount_redemptions(account, code, redeemed_on) "
        "VALUES (?1, ?2, ?3)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, code);
    bind_date(st, 3, on);
    return ledger_done(lg, st, NULL, e);
}

int plans_redemptions_count(struct ledger *lg, const char *code, int64_t *n,
                            struct err *e)
{
    static const char *const sql =
        "SELECT COUNT(*) FROM discount_redemptions WHERE code = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, code);
    int rc = ledger_step(st);
    *n = rc == LEDGER_ROW ? col_int(st, 0) : 0;
    return ledger_read_end(st, rc, "the redemptions", e);
}

int plans_redemptions_of(struct ledger *lg, const char *account,
                         struct redemption_row **out, size_t *n,
                         struct err *e)
{
    static const char *const sql =
        "SELECT id, code, redeemed_on, periods_used FROM "
        "discount_redemptions WHERE account = ?1 ORDER BY id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = grow(*out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (struct redemption_row){
            col_int(st, 0), col_text(st, 1), col_date(st, 2), col_int(st, 3)};
    }
    return ledger_read_end(st, rc, "the redemptions", e);
}

int plans_redemption_used(struct ledger *lg, int64_t id, struct err *e)
{
    static const char *const sql =
        "UPDATE discount_redemptions SET periods_used = periods_used + 1 "
        "WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ changes */

void plan_change_row_free(struct plan_change_row *r)
{
    if (!r)
        return;
    free(r->plan);
    memset(r, 0, sizeof *r);
}

int plans_change_insert(struct ledger *lg, const char *account,
                        const char *plan, enum plan_cycle billing, cdate asked,
                        cdate effective, int *dup, struct err *e)
{
    static const char *const sql =
        "INSERT INTO plan_changes(account, plan, billing, asked_on, "
        "effective) VALUES (?1, ?2, ?3, ?4, ?5)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, plan);
    bind_text(st, 3, plan_cycle_name(billing));
    bind_date(st, 4, asked);
    bind_date(st, 5, effective);
    *dup = 0;
    return ledger_done(lg, st, dup, e);
}

int plans_change_pending(struct ledger *lg, const char *account,
                         struct plan_change_row *out, struct err *e)
{
    static const char *const sql =
        "SELECT id, plan, billing, asked_on, effective FROM plan_changes "
        "WHERE account = ?1 AND cancelled IS NULL AND applied IS NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    memset(out, 0, sizeof *out);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW)
        *out = (struct plan_change_row){col_int(st, 0), col_text(st, 1),
                                        cycle_of(col_ctext(st, 2)),
                                        col_date(st, 3), col_date(st, 4)};
    if (ledger_read_end(st, rc, "the pending plan change", e) != 0)
        return -1;
    return rc == LEDGER_ROW ? 0 : 1;
}

int plans_change_cancel(struct ledger *lg, int64_t id, cdate on,
                        struct err *e)
{
    static const char *const sql =
        "UPDATE plan_changes SET cancelled = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_date(st, 2, on);
    return ledger_done(lg, st, NULL, e);
}

int plans_change_applied(struct ledger *lg, int64_t id, cdate on,
                         struct err *e)
{
    static const char *const sql =
        "UPDATE plan_changes SET applied = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_date(st, 2, on);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ periods */

int plans_period_insert(struct ledger *lg, const char *account, cdate start,
                        cdate end, const char *plan, int64_t invoice, int *dup,
                        struct err *e)
{
    static const char *const sql =
        "INSERT INTO plan_invoices(account, period_start, period_end, plan, "
        "invoice) VALUES (?1, ?2, ?3, ?4, ?5)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, start);
    bind_date(st, 3, end);
    bind_text(st, 4, plan);
    bind_int(st, 5, invoice);
    *dup = 0;
    return ledger_done(lg, st, dup, e);
}

void plan_invoiced_free(struct plan_invoiced *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].plan);
    free(v);
}

int plans_invoiced(struct ledger *lg, const char *account, cdate from,
                   cdate to, struct plan_invoiced **out, size_t *n,
                   struct err *e)
{
    static const char *const sql =
        "SELECT p.plan, COUNT(*), COALESCE(SUM(i.total_cents), 0) FROM "
        "plan_invoices p JOIN invoices i ON i.id = p.invoice WHERE "
        "p.account = ?1 AND (CAST(?2 AS TEXT) IS NULL OR i.issued >= ?2) "
        "AND (CAST(?3 AS TEXT) IS NULL OR i.issued <= ?3) "
        "GROUP BY p.plan ORDER BY MIN(p.period_start), p.plan";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, from);
    bind_date(st, 3, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct plan_invoiced){col_text(st, 0),
                                                col_int(st, 1),
                                                col_int(st, 2)};
    }
    if (ledger_read_end(st, rc, "plan invoices", e) != 0) {
        plan_invoiced_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
