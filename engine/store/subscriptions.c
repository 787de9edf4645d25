/*
 * subscriptions.c — SQL of the subscriptions, cursors, pauses and
 * price_changes tables.
 */
#include "store/subscriptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void subscription_row_free(struct subscription_row *s)
{
    free(s->account);
    free(s->type);
    s->account = s->type = NULL;
}

/* ================================================================ cursors */

/* The id of the cursors row holding (next_period, next_due): 1 with *id,
 * 0 when there is none, -1 on error. */
static int cursor_find(struct ledger *lg, cdate next_period, cdate next_due,
                       int64_t *id, struct err *e)
{
    static const char *const sql =
        "SELECT id FROM cursors WHERE next_period = ?1 AND next_due = ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, next_period);
    bind_date(st, 2, next_due);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        *id = col_int(st, 0);
        ledger_reset(st);
        return 1;
    }
    return ledger_read_end(st, rc, "billing cursors", e);
}

/* The cursors row of (next_period, next_due), made when there is none;
 * *id = 0 (no row) when next_period is NONE: nothing left to bill. */
static int cursor_of(struct ledger *lg, cdate next_period, cdate next_due,
                     int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO cursors(next_period, next_due) VALUES (?1, ?2)";
    *id = 0;
    if (next_period == CDATE_NONE || next_due == CDATE_NONE)
        return 0;
    int rc = cursor_find(lg, next_period, next_due, id, e);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, next_period);
    bind_date(st, 2, next_due);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *id = ledger_last_id(lg);
    return 0;
}

/* Point subscription sub at cursors row cur (0: none). */
static int point_at(struct ledger *lg, int64_t sub, int64_t cur,
                    struct err *e)
{
    static const char *const sql =
        "UPDATE subscriptions SET cursor = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    if (cur)
        bind_int(st, 2, cur);
    else
        bind_null(st, 2);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ subscriptions */

int subscriptions_insert(struct ledger *lg, const struct subscription_row *s,
                         cdate created, int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO subscriptions(account, type, start, direct_debit, "
        "quantity, cursor, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    int64_t cur;
    if (cursor_of(lg, s->next_period, s->next_due, &cur, e) != 0)
        return -1;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, s->account);
    bind_text(st, 2, s->type);
    bind_date(st, 3, s->start);
    bind_int(st, 4, s->direct_debit);
    bind_int(st, 5, s->quantity);
    if (cur)
        bind_int(st, 6, cur);
    else
        bind_null(st, 6);
    bind_date(st, 7, created);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *id = ledger_last_id(lg);
    return 0;
}

int subscriptions_get(struct ledger *lg, int64_t id,
                      struct subscription_row *out, struct err *e)
{
    static const char *const sql =
        "SELECT s.account, s.type, s.start, s.end_on, c.next_period, "
        "c.next_due, s.direct_debit, s.quantity FROM subscriptions s "
        "LEFT JOIN cursors c ON c.id = s.cursor WHERE s.id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW)
        return ledger_read_end(st, rc, "a subscription", e) ? -1 : 1;
    *out = (struct subscription_row){
        .id = id,
        .account = col_text(st, 0),
        .type = col_text(st, 1),
        .start = col_date(st, 2),
        .end_on = col_date(st, 3),
        .next_period = col_date(st, 4),
        .next_due = col_date(st, 5),
        .direct_debit = (int)col_int(st, 6),
        .quantity = col_int(st, 7),
    };
    ledger_reset(st);
    return 0;
}

int subscriptions_set_cursor(struct ledger *lg, int64_t id, cdate next_period,
                             cdate next_due, struct err *e)
{
    static const char *const old_sql =
        "SELECT cursor FROM subscriptions WHERE id = ?1";
    /* The row left behind goes when it was the subscription's alone. */
    static const char *const drop_sql =
        "DELETE FROM cursors WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM "
        "subscriptions WHERE cursor = ?1)";
    struct ledger_stmt *st = ledger_stmt(lg, old_sql);
    bind_int(st, 1, id);
    int rc = ledger_step(st);
    int64_t old = rc == LEDGER_ROW ? col_int(st, 0) : 0;
    if (rc == LEDGER_ROW)
        ledger_reset(st);
    else if (ledger_read_end(st, rc, "a subscription", e) != 0)
        return -1;
    int64_t cur;
    if (cursor_of(lg, next_period, next_due, &cur, e) != 0)
        return -1;
    if (cur == old)
        return 0;
    if (point_at(lg, id, cur, e) != 0)
        return -1;
    if (!old)
        return 0;
    st = ledger_stmt(lg, drop_sql);
    bind_int(st, 1, old);
    return ledger_done(lg, st, NULL, e);
}

int subscriptions_set_end(struct ledger *lg, int64_t id, cdate end_on,
                          const char *note, struct err *e)
{
    static const char *const sql =
        "UPDATE subscriptions SET end_on = ?2, stop_note = ?3 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_date(st, 2, end_on);
    bind_text(st, 3, note);
    return ledger_done(lg, st, NULL, e);
}

void due_subscription_free(struct due_subscription *d)
{
    subscription_row_free(&d->s);
    free(d->name);
    free(d->email);
    free(d->locale);
    d->name = d->email = d->locale = NULL;
}

int cursors_due(struct ledger *lg, cdate as_of, struct due_cursor **out,
                size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id, next_period, next_due FROM cursors WHERE next_due = "
        "(SELECT MIN(next_due) FROM cursors WHERE next_due <= ?1) "
        "ORDER BY next_period, id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, as_of);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[*n].id = col_int(st, 0);
        (*out)[*n].next_period = col_date(st, 1);
        (*out)[*n].next_due = col_date(st, 2);
        (*n)++;
    }
    if (ledger_read_end(st, rc, "due billing cursors", e) != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int cursor_members(struct ledger *lg, const struct due_cursor *c,
                   int64_t after, struct due_subscription *batch, size_t max,
                   size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT s.id, s.account, s.type, s.start, s.end_on, s.direct_debit, "
        "s.quantity, a.name, a.email, a.locale, "
        "EXISTS(SELECT 1 FROM pauses p WHERE p.subscription = s.id) "
        "FROM subscriptions s JOIN accounts a ON a.id = s.account "
        "WHERE s.cursor = ?1 AND s.id > ?2 ORDER BY s.id LIMIT ?3";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, c->id);
    bind_int(st, 2, after);
    bind_int(st, 3, (int64_t)max);
    int rc = LEDGER_DONE;
    *n = 0;
    while (*n < max && (rc = ledger_step(st)) == LEDGER_ROW) {
        struct due_subscription *d = &batch[(*n)++];
        d->s = (struct subscription_row){
            .id = col_int(st, 0),
            .account = col_text(st, 1),
            .type = col_text(st, 2),
            .start = col_date(st, 3),
            .end_on = col_date(st, 4),
            .direct_debit = (int)col_int(st, 5),
            .quantity = col_int(st, 6),
            .next_period = c->next_period,
            .next_due = c->next_due,
        };
        d->name = col_text(st, 7);
        d->email = col_text(st, 8);
        d->locale = col_text(st, 9);
        d->has_pauses = (int)col_int(st, 10);
    }
    if (*n == max)
        rc = LEDGER_DONE;
    if (ledger_read_end(st, rc, "due subscriptions", e) != 0) {
        for (size_t i = 0; i < *n; i++)
            due_subscription_free(&batch[i]);
        *n = 0;
        return -1;
    }
    return 0;
}

int subscriptions_move(struct ledger *lg, int64_t sub, cdate next_period,
                       cdate next_due, struct err *e)
{
    int64_t cur;
    if (cursor_of(lg, next_period, next_due, &cur, e) != 0)
        return -1;
    return point_at(lg, sub, cur, e);
}

int cursors_settle(struct ledger *lg, int64_t id, int64_t stayed,
                   cdate next_period, cdate next_due, struct err *e)
{
    static const char *const drop_sql = "DELETE FROM cursors WHERE id = ?1";
    static const char *const set_sql =
        "UPDATE cursors SET next_period = ?2, next_due = ?3 WHERE id = ?1";
    static const char *const count_sql =
        "SELECT COUNT(*) FROM (SELECT 1 FROM subscriptions WHERE cursor = ?1 "
        "LIMIT ?2) m";
    static const char *const repoint_sql =
        "UPDATE subscriptions SET cursor = ?2 WHERE cursor = ?1";
    struct ledger_stmt *st;
    int64_t keep = id, gone = 0;
    if (stayed > 0) {
        int64_t other;
        int rc = cursor_find(lg, next_period, next_due, &other, e);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            /* Another row holds the value: the cohorts merge, and the
             * smaller one is pointed at the other's row. */
            st = ledger_stmt(lg, count_sql);
            bind_int(st, 1, other);
            bind_int(st, 2, stayed);
            rc = ledger_step(st);
            int64_t theirs = rc == LEDGER_ROW ? col_int(st, 0) : 0;
            if (ledger_read_end(st, rc == LEDGER_ROW ? LEDGER_DONE : rc,
                                "billing cursors", e) != 0)
                return -1;
            if (theirs < stayed)
                gone = other;
            else
                keep = other, gone = id;
            st = ledger_stmt(lg, repoint_sql);
            bind_int(st, 1, gone);
            bind_int(st, 2, keep);
            if (ledger_done(lg, st, NULL, e) != 0)
                return -1;
        }
    } else {
        gone = id;
    }
    if (gone) {
        st = ledger_stmt(lg, drop_sql);
        bind_int(st, 1, gone);
        if (ledger_done(lg, st, NULL, e) != 0)
            return -1;
    }
    if (keep != id || stayed == 0)
        return 0;
    st = ledger_stmt(lg, set_sql);
    bind_int(st, 1, id);
    bind_date(st, 2, next_period);
    bind_date(st, 3, next_due);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ pauses */

int pauses_of(struct ledger *lg, int64_t sub, struct pause_span **out,
              size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT from_date, until FROM pauses WHERE subscription = ?1 "
        "ORDER BY from_date";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[*n].from = col_date(st, 0);
        (*out)[*n].until = col_date(st, 1);
        (*n)++;
    }
    return ledger_read_end(st, rc, "pauses", e);
}

int pauses_overlapping(struct ledger *lg, int64_t sub, cdate from, cdate until,
                       struct pause_span *found, struct err *e)
{
    static const char *const sql =
        "SELECT from_date, until FROM pauses WHERE subscription = ?1 AND "
        "from_date <= ?3 AND until >= ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, from);
    bind_date(st, 3, until);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        found->from = col_date(st, 0);
        found->until = col_date(st, 1);
        ledger_reset(st);
        return 1;
    }
    return ledger_read_end(st, rc, "pauses", e);
}

int pauses_insert(struct ledger *lg, int64_t sub, cdate from, cdate until,
                  const char *note, struct err *e)
{
    static const char *const sql =
        "INSERT INTO pauses(subscription, from_date, until, note) "
        "VALUES (?1, ?2, ?3, ?4)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, from);
    bind_date(st, 3, until);
    bind_text(st, 4, note);
    return ledger_done(lg, st, NULL, e);
}

int pauses_covering(struct ledger *lg, int64_t sub, cdate d, int64_t *pid,
                    struct pause_span *span, struct err *e)
{
    static const char *const sql =
        "SELECT id, from_date, until FROM pauses WHERE subscription = ?1 AND "
        "from_date <= ?2 AND until >= ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, d);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        *pid = col_int(st, 0);
        span->from = col_date(st, 1);
        span->until = col_date(st, 2);
        ledger_reset(st);
        return 1;
    }
    return ledger_read_end(st, rc, "pauses", e);
}

int pauses_set_until(struct ledger *lg, int64_t pid, cdate until,
                     struct err *e)
{
    static const char *const sql = "UPDATE pauses SET until = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, pid);
    bind_date(st, 2, until);
    return ledger_done(lg, st, NULL, e);
}

int pauses_delete(struct ledger *lg, int64_t pid, struct err *e)
{
    static const char *const sql = "DELETE FROM pauses WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, pid);
    return ledger_done(lg, st, NULL, e);
}

int pauses_clip(struct ledger *lg, int64_t sub, cdate on, struct err *e)
{
    static const char *const trim_sql =
        "DELETE FROM pauses WHERE subscription = ?1 AND from_date > ?2";
    static const char *const cut_sql =
        "UPDATE pauses SET until = ?2 WHERE subscription = ?1 AND until > ?2";
    struct ledger_stmt *st = ledger_stmt(lg, trim_sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, on);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    st = ledger_stmt(lg, cut_sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, on);
    return ledger_done(lg, st, NULL, e);
}

/* ========================================================= price changes */

int price_changes_insert(struct ledger *lg, const char *type, cdate from,
                         int64_t price, cdate created, int *dup,
                         struct err *e)
{
    static const char *const sql =
        "INSERT INTO price_changes(type, from_date, price_cents, created) "
        "VALUES (?1, ?2, ?3, ?4)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, type);
    bind_date(st, 2, from);
    bind_int(st, 3, price);
    bind_date(st, 4, created);
    return ledger_done(lg, st, dup, e);
}

int price_changes_cancel(struct ledger *lg, const char *type, cdate from,
                         cdate on, int *found, struct err *e)
{
    static const char *const sql =
        "UPDATE price_changes SET cancelled = ?3 WHERE type = ?1 AND "
        "from_date = ?2 AND cancelled IS NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, type);
    bind_date(st, 2, from);
    bind_date(st, 3, on);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *found = ledger_changes(lg) > 0;
    return 0;
}

int price_changes_of(struct ledger *lg, const char *type,
                     struct price_change **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT from_date, price_cents FROM price_changes WHERE type = ?1 "
        "AND cancelled IS NULL ORDER BY from_date";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, type);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        memset(&(*out)[*n], 0, sizeof **out);
        (*out)[*n].from = col_date(st, 0);
        (*out)[*n].price_cents = col_int(st, 1);
        (*n)++;
    }
    return ledger_read_end(st, rc, "price changes", e);
}

/* ================================================================ report */

void subscription_report_free(struct subscription_report_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        subscription_row_free(&rows[i].s);
        free(rows[i].last_invoice_status);
        free(rows[i].pauses);
    }
    free(rows);
}

int subscriptions_report(struct ledger *lg, const char *account,
                         struct subscription_report_row **out, size_t *n,
                         struct err *e)
{
    static const char *const sql =
        "SELECT s.id, s.account, s.type, s.start, s.end_on, "
        "(SELECT i.total_cents FROM invoice_lines l JOIN invoices i ON "
        "i.id = l.invoice WHERE l.subscription = s.id AND l.credits_line IS "
        "NULL ORDER BY l.period_start DESC LIMIT 1), "
        "(SELECT i.status FROM invoice_lines l JOIN invoices i ON "
        "i.id = l.invoice WHERE l.subscription = s.id AND l.credits_line IS "
        "NULL ORDER BY l.period_start DESC LIMIT 1) "
        "FROM subscriptions s WHERE ?1 IS NULL OR s.account = ?1 "
        "ORDER BY s.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        struct subscription_report_row *r = &(*out)[(*n)++];
        memset(r, 0, sizeof *r);
        r->s.id = col_int(st, 0);
        r->s.account = col_text(st, 1);
        r->s.type = col_text(st, 2);
        r->s.start = col_date(st, 3);
        r->s.end_on = col_date(st, 4);
        r->has_last_invoice = !col_is_null(st, 5);
        r->last_invoice_cents = col_int(st, 5);
        r->last_invoice_status = col_text(st, 6);
    }
    if (ledger_read_end(st, rc, "subscriptions", e) != 0)
        goto fail;
    for (size_t i = 0; i < *n; i++)
        if (pauses_of(lg, (*out)[i].s.id, &(*out)[i].pauses,
                      &(*out)[i].n_pauses, e) != 0)
            goto fail;
    return 0;
fail:
    subscription_report_free(*out, *n);
    *out = NULL;
    *n = 0;
    return -1;
}

/* ================================================================ rules in use */

void definition_uses_free(struct definition_use *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].id), free(rows[i].users);
    free(rows);
}

int subscriptions_definitions_in_use(struct ledger *lg,
                                     struct definition_use **rows, size_t *n,
                                     struct err *e)
{
    /* One row per user, joined here into "3, 7" (group_concat is
     * SQLite's, string_agg PostgreSQL's). */
    static const char *const sql =
        "SELECT 0, type, id FROM subscriptions WHERE cursor IS NOT NULL "
        "UNION ALL "
        "SELECT 1, g.package, g.id FROM credit_grants g WHERE g.withdrawn = "
        "0 AND g.credits > (SELECT COALESCE(SUM(u.credits), 0) FROM "
        "credit_uses u WHERE u.grant_id = g.id AND u.returned = 0) "
        "ORDER BY 1, 2, 3";
    struct definition_use *out = NULL;
    size_t k = 0;
    struct sbuf users = {0}; /* of out[k - 1], appended to: linear in N */
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        int package = (int)col_int(st, 0);
        const char *id = col_ctext(st, 1);
        char user[24];
        snprintf(user, sizeof user, "%lld", (long long)col_int(st, 2));
        if (k && out[k - 1].package == package && !strcmp(out[k - 1].id, id)) {
            sb_add(&users, ", ");
            sb_add(&users, user);
            continue;
        }
        if (k)
            out[k - 1].users = sb_steal(&users);
        out = xrealloc(out, (k + 1) * sizeof *out);
        out[k].package = package;
        out[k].id = xstrdup(id ? id : "");
        out[k].users = NULL;
        sb_add(&users, user);
        k++;
    }
    if (k)
        out[k - 1].users = sb_steal(&users);
    sb_free(&users);
    if (ledger_read_end(st, rc, "definitions in use", e) != 0) {
        definition_uses_free(out, k);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}

int subscriptions_types_in_use(struct ledger *lg, char ***types, size_t *n,
                               struct err *e)
{
    /* A skip over the index on type: one probe per type, however many
     * subscriptions each has. */
    static const char *const first =
        "SELECT type FROM subscriptions WHERE cursor IS NOT NULL "
        "ORDER BY type LIMIT 1";
    static const char *const next =
        "SELECT type FROM subscriptions WHERE type > ?1 AND cursor IS NOT "
        "NULL ORDER BY type LIMIT 1";
    *types = NULL;
    *n = 0;
    for (;;) {
        struct ledger_stmt *st = ledger_stmt(lg, *n ? next : first);
        if (*n)
            bind_text(st, 1, (*types)[*n - 1]);
        int rc = ledger_step(st);
        if (rc != LEDGER_ROW) {
            if (ledger_read_end(st, rc, "subscription types", e) == 0)
                return 0;
            for (size_t i = 0; i < *n; i++)
                free((*types)[i]);
            free(*types);
            *types = NULL;
            *n = 0;
            return -1;
        }
        *types = xrealloc(*types, (*n + 1) * sizeof **types);
        (*types)[(*n)++] = col_text(st, 0);
        ledger_reset(st);
    }
}

/* ================================================================ billed periods */

void billed_periods_free(struct billed_period *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].number);
    free(rows);
}

/* The columns of a billed period and the invoice line it was billed on;
 * the caller adds its WHERE. */
#define BILLED_SELECT                                                      \
    "SELECT l.subscription, i.number, i.total_cents, "                     \
    "COALESCE((SELECT -SUM(c.total_cents) FROM invoices c "                \
    "WHERE c.credit_of = i.id), 0), l.amount_cents, "                      \
    "(SELECT COUNT(*) FROM invoice_lines m WHERE m.invoice = i.id), "      \
    "l.period_start, l.period_end, "                                       \
    "EXISTS (SELECT 1 FROM collections k WHERE k.invoice = i.id AND "      \
    "k.reversed = 0) "                                                     \
    "FROM invoice_lines l JOIN invoices i ON i.id = l.invoice "
#define BILLED_LIVE                                                        \
    "l.credits_line IS NULL AND i.credit_of IS NULL AND "                  \
    "i.status <> 'credited' "

/* Read every row of st (BILLED_SELECT) into *rows. */
static int billed_read(struct ledger_stmt *st, struct billed_period **rows,
                       size_t *n, struct err *e)
{
    struct billed_period *out = NULL;
    size_t k = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        out = xrealloc(out, (k + 1) * sizeof *out);
        struct billed_period *b = &out[k++];
        b->subscription = col_int(st, 0);
        b->number = col_text(st, 1);
        b->invoice_total = col_int(st, 2);
        b->credited = col_int(st, 3);
        b->line_cents = col_int(st, 4);
        b->n_lines = (int)col_int(st, 5);
        b->start = col_date(st, 6);
        b->end = col_date(st, 7);
        b->exported = (int)col_int(st, 8);
    }
    if (ledger_read_end(st, rc, "billed periods", e) != 0) {
        billed_periods_free(out, k);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}

int subscriptions_billed_since(struct ledger *lg, int64_t sub, cdate from,
                               struct billed_period **rows, size_t *n,
                               struct err *e)
{
    static const char *const sql =
        BILLED_SELECT "WHERE l.subscription = ?1 AND " BILLED_LIVE
        "AND l.period_end >= ?2 ORDER BY l.period_start";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, from);
    return billed_read(st, rows, n, e);
}

int subscriptions_billed_of_type(struct ledger *lg, const char *type,
                                 cdate from, struct billed_period **rows,
                                 size_t *n, struct err *e)
{
    static const char *const sql =
        BILLED_SELECT "JOIN subscriptions s ON s.id = l.subscription "
        "WHERE s.type = ?1 AND " BILLED_LIVE "AND l.period_start >= ?2 "
        "ORDER BY l.subscription, l.period_start";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, type);
    bind_date(st, 2, from);
    return billed_read(st, rows, n, e);
}
