/*
 * hours.c — SQL of the hours, hours_reviews, mediation_accounts and
 * mediation_invoices tables (migration 008). See hours.h.
 */
#include "store/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hours_row_free(struct hours_row *r)
{
    free(r->placement);
    free(r->note);
    memset(r, 0, sizeof *r);
}

int hours_insert(struct ledger *lg, const char *placement, cdate date,
                 int minutes, enum rate_kind kind, const char *note,
                 cdate today, int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO hours(placement, work_date, month, minutes, rate_kind, "
        "note, status, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7)";
    char month[8];
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_date(st, 2, date);
    bind_text(st, 3, month_of(date, month));
    bind_int(st, 4, minutes);
    bind_text(st, 5, rate_kind_name(kind));
    bind_text(st, 6, note);
    bind_date(st, 7, today);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "registering hours");
    *id = ledger_last_id(lg);
    return 0;
}

int hours_get(struct ledger *lg, int64_t id, struct hours_row *out,
              struct err *e)
{
    static const char *const sql =
        "SELECT placement, work_date, month, minutes, rate_kind, note, "
        "status, invoice FROM hours WHERE id = ?1";
    memset(out, 0, sizeof *out);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW) {
        ledger_reset(st);
        if (rc == LEDGER_ERROR)
            return err_set(e, "reading hours: %s", ledger_errmsg(lg));
        err_set(e, "no hours with id %lld", (long long)id);
        return 1;
    }
    out->id = id;
    out->placement = col_text(st, 0);
    out->date = col_date(st, 1);
    snprintf(out->month, sizeof out->month, "%s", col_ctext(st, 2));
    out->minutes = (int)col_int(st, 3);
    if (rate_kind_from_name(col_ctext(st, 4), &out->kind) != 0)
        out->kind = RATE_WEEKDAY;
    out->note = col_text(st, 5);
    if (hours_status_from_name(col_ctext(st, 6), &out->status) != 0)
        out->status = HS_DRAFT;
    out->invoice = col_int(st, 7);
    ledger_reset(st);
    return 0;
}

int hours_rows(struct ledger *lg, const char *placement, const char *month,
               struct hours_row **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id, placement, work_date, month, minutes, rate_kind, note, "
        "status, invoice FROM hours WHERE (CAST(?1 AS TEXT) IS NULL OR "
        "placement = ?1) AND (CAST(?2 AS TEXT) IS NULL OR month = ?2) "
        "ORDER BY placement, work_date, id";
    struct hours_row *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        struct hours_row *r = &v[k++];
        memset(r, 0, sizeof *r);
        r->id = col_int(st, 0);
        r->placement = col_text(st, 1);
        r->date = col_date(st, 2);
        snprintf(r->month, sizeof r->month, "%s", col_ctext(st, 3));
        r->minutes = (int)col_int(st, 4);
        if (rate_kind_from_name(col_ctext(st, 5), &r->kind) != 0)
            r->kind = RATE_WEEKDAY;
        r->note = col_text(st, 6);
        if (hours_status_from_name(col_ctext(st, 7), &r->status) != 0)
            r->status = HS_DRAFT;
        r->invoice = col_int(st, 8);
    }
    if (ledger_read_end(st, rc, "the hours", e) != 0) {
        hours_rows_free(v, k);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

void hours_rows_free(struct hours_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hours_row_free(&v[i]);
    free(v);
}

int hours_delete(struct ledger *lg, int64_t id, struct err *e)
{
    static const char *const sql = "DELETE FROM hours WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "removing hours %lld", (long long)id);
    return 0;
}

int hours_month_state(struct ledger *lg, const char *placement,
                      const char *month, struct month_state *s,
                      struct err *e)
{
    static const char *const sql =
        "SELECT status, COUNT(*) FROM hours WHERE placement = ?1 AND "
        "month = ?2 GROUP BY status";
    memset(s, 0, sizeof *s);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        enum hours_status hs;
        if (hours_status_from_name(col_ctext(st, 0), &hs) == 0)
            s->n[hs] = (int)col_int(st, 1);
    }
    return ledger_read_end(st, rc, "the hours of a month", e);
}

int hours_day_minutes(struct ledger *lg, const char *placement, cdate d,
                      int *minutes, struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(minutes), 0) FROM hours WHERE placement = ?1 "
        "AND work_date = ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_date(st, 2, d);
    *minutes = (int)ledger_first_int(st, 0);
    return 0;
}

int hours_set_status(struct ledger *lg, const char *placement,
                     const char *month, enum hours_status to, struct err *e)
{
    static const char *const sql =
        "UPDATE hours SET status = ?3 WHERE placement = ?1 AND month = ?2 "
        "AND status <> 'invoiced'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    bind_text(st, 3, hours_status_name(to));
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "hours of %s", month);
    return 0;
}

int hours_approved_entries(struct ledger *lg, const char *placement,
                           const char *month, struct hours_entry **out,
                           size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id, work_date, minutes, rate_kind FROM hours WHERE "
        "placement = ?1 AND month = ?2 AND status = 'approved' "
        "ORDER BY work_date, id";
    struct hours_entry *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        v[k].id = col_int(st, 0);
        v[k].date = col_date(st, 1);
        v[k].minutes = (int)col_int(st, 2);
        if (rate_kind_from_name(col_ctext(st, 3), &v[k].kind) != 0)
            v[k].kind = RATE_WEEKDAY;
        k++;
    }
    if (ledger_read_end(st, rc, "approved hours", e) != 0) {
        free(v);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

int hours_mark_invoiced(struct ledger *lg, const char *placement,
                        const char *month, int64_t invoice, struct err *e)
{
    static const char *const sql =
        "UPDATE hours SET status = 'invoiced', invoice = ?3 WHERE "
        "placement = ?1 AND month = ?2 AND status = 'approved'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    bind_int(st, 3, invoice);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "invoicing the hours of %s", month);
    return 0;
}

int hours_invoiced_minutes(struct ledger *lg, const char *placement,
                           const char *month, int64_t invoice,
                           int64_t *minutes, struct err *e)
{
    /* Through the (placement, month) index, not a scan of every row. */
    static const char *const sql =
        "SELECT COALESCE(SUM(minutes), 0) FROM hours WHERE placement = ?1 "
        "AND month = ?2 AND invoice = ?3";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    bind_int(st, 3, invoice);
    *minutes = ledger_first_int(st, 0);
    return 0;
}

/* ================================================================ reviews */

int hours_review_add(struct ledger *lg, const char *placement,
                     const char *month, enum hours_review action, cdate on,
                     const char *reason, int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO hours_reviews(placement, month, action, on_date, reason) "
        "VALUES (?1, ?2, ?3, ?4, ?5)";
    static const char *const names[] = {"submit", "approve", "reject"};
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    bind_text(st, 3, names[action]);
    bind_date(st, 4, on);
    bind_text(st, 5, reason);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "recording the review of %s", month);
    if (id)
        *id = ledger_last_id(lg);
    return 0;
}

/* ================================================================ months */

int hours_months(struct ledger *lg, const char *placement, int status,
                 struct hours_month **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT h.placement, h.month, h.status, COUNT(*), SUM(h.minutes), "
        "(SELECT MAX(id) FROM hours_reviews r WHERE r.placement = "
        " h.placement AND r.month = h.month AND r.action = 'submit'), "
        "(SELECT on_date FROM hours_reviews r WHERE r.placement = "
        " h.placement AND r.month = h.month AND r.action = 'submit' "
        " ORDER BY id DESC LIMIT 1), "
        "(SELECT on_date FROM hours_reviews r WHERE r.placement = "
        " h.placement AND r.month = h.month AND r.action = 'approve' "
        " ORDER BY id DESC LIMIT 1), "
        "(SELECT on_date FROM hours_reviews r WHERE r.placement = "
        " h.placement AND r.month = h.month AND r.action = 'reject' "
        " ORDER BY id DESC LIMIT 1), "
        "(SELECT reason FROM hours_reviews r WHERE r.placement = "
        " h.placement AND r.month = h.month AND r.action = 'reject' "
        " ORDER BY id DESC LIMIT 1) "
        "FROM hours h WHERE (CAST(?1 AS TEXT) IS NULL OR h.placement = ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR h.status = ?2) "
        "GROUP BY h.placement, h.month, h.status "
        "ORDER BY h.placement, h.month, h.status";
    struct hours_month *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, status >= 0 ? hours_status_name((enum hours_status)status)
                                 : NULL);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        struct hours_month *m = &v[k++];
        memset(m, 0, sizeof *m);
        snprintf(m->placement, sizeof m->placement, "%s", col_ctext(st, 0));
        snprintf(m->month, sizeof m->month, "%s", col_ctext(st, 1));
        if (hours_status_from_name(col_ctext(st, 2), &m->status) != 0)
            m->status = HS_DRAFT;
        m->rows = (int)col_int(st, 3);
        m->minutes = col_int(st, 4);
        m->submit_id = col_int(st, 5);
        m->submitted = col_date(st, 6);
        m->approved = col_date(st, 7);
        m->rejected = col_date(st, 8);
        m->reason = col_text(st, 9);
    }
    if (ledger_read_end(st, rc, "the months of hours", e) != 0) {
        hours_months_free(v, k);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

void hours_months_free(struct hours_month *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].reason);
    free(v);
}

int hours_any_in_month(struct ledger *lg, const char *placement,
                       const char *month, int *any, struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM hours WHERE placement = ?1 AND month = ?2 LIMIT 1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    *any = ledger_has_row(st);
    return 0;
}

/* ================================================================ accounts */

void hours_account_free(struct mediation_account *a)
{
    free(a->account);
    free(a->kvk);
    free(a->vat_status);
    memset(a, 0, sizeof *a);
}

int hours_account_get(struct ledger *lg, const char *account,
                      struct mediation_account *out, struct err *e)
{
    static const char *const sql =
        "SELECT kvk, vat_status, selfbill_agreement, privacy FROM "
        "mediation_accounts WHERE account = ?1";
    memset(out, 0, sizeof *out);
    out->account = xstrdup(account);
    out->selfbill_agreement = CDATE_NONE;
    out->privacy = -1;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW) {
        ledger_reset(st);
        if (rc == LEDGER_ERROR)
            return err_set(e, "reading account %s: %s", account,
                           ledger_errmsg(lg));
        return 1;
    }
    out->kvk = col_text(st, 0);
    out->vat_status = col_text(st, 1);
    out->selfbill_agreement = col_date(st, 2);
    out->privacy = col_is_null(st, 3) ? -1 : (int)col_int(st, 3);
    ledger_reset(st);
    return 0;
}

int hours_account_put(struct ledger *lg, const struct mediation_account *a,
                      struct err *e)
{
    static const char *const sql =
        "INSERT INTO mediation_accounts(account, kvk, vat_status, "
        "selfbill_agreement, privacy) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(account) DO UPDATE SET kvk = excluded.kvk, "
        "vat_status = excluded.vat_status, selfbill_agreement = "
        "excluded.selfbill_agreement, privacy = excluded.privacy";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, a->account);
    bind_text(st, 2, a->kvk);
    bind_text(st, 3, a->vat_status);
    bind_date(st, 4, a->selfbill_agreement);
    if (a->privacy >= 0)
        bind_int(st, 5, a->privacy);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "account %s", a->account);
    return 0;
}

/* ================================================================ invoices */

static const char *const role_names[] = {"hours", "resale",
                                         "commission_supplier",
                                         "commission_client"};

const char *hours_role_name(enum hours_role r)
{
    return (unsigned)r < 4 ? role_names[r] : "?";
}

int hours_invoice_link(struct ledger *lg, const char *placement,
                       const char *month, enum hours_role r,
                       const char *supplier, int64_t invoice, int *dup,
                       struct err *e)
{
    static const char *const sql =
        "INSERT INTO mediation_invoices(placement, month, role, supplier, "
        "invoice) VALUES (?1, ?2, ?3, ?4, ?5)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    bind_text(st, 3, hours_role_name(r));
    bind_text(st, 4, supplier);
    bind_int(st, 5, invoice);
    *dup = 0;
    if (ledger_done(lg, st, dup, e) != 0)
        return err_prefix(e, "placement %s month %s", placement, month);
    return 0;
}

int hours_invoice_of(struct ledger *lg, const char *placement,
                     const char *month, enum hours_role r, int64_t *invoice,
                     struct err *e)
{
    static const char *const sql =
        "SELECT invoice FROM mediation_invoices WHERE placement = ?1 AND "
        "month = ?2 AND role = ?3";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, placement);
    bind_text(st, 2, month);
    bind_text(st, 3, hours_role_name(r));
    *invoice = ledger_first_int(st, 0);
    return *invoice ? 0 : 1;
}

int hours_pending_commissions(struct ledger *lg, struct hours_pending **out,
                              size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT m.placement, m.month, i.id, i.issued, i.net_cents, "
        "CASE WHEN EXISTS (SELECT 1 FROM mediation_invoices c WHERE "
        " c.placement = m.placement AND c.month = m.month AND c.role = "
        " 'commission_supplier') THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM mediation_invoices c WHERE "
        " c.placement = m.placement AND c.month = m.month AND c.role = "
        " 'commission_client') THEN 1 ELSE 0 END "
        "FROM mediation_invoices m JOIN invoices i ON i.id = m.invoice "
        "WHERE m.role = 'hours' ORDER BY i.id";
    struct hours_pending *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        if (col_int(st, 5) && col_int(st, 6))
            continue;
        v = xrealloc(v, (k + 1) * sizeof *v);
        struct hours_pending *p = &v[k++];
        memset(p, 0, sizeof *p);
        snprintf(p->placement, sizeof p->placement, "%s", col_ctext(st, 0));
        snprintf(p->month, sizeof p->month, "%s", col_ctext(st, 1));
        p->invoice = col_int(st, 2);
        p->issued = col_date(st, 3);
        p->net_cents = col_int(st, 4);
        p->has_supplier_commission = (int)col_int(st, 5);
        p->has_client_commission = (int)col_int(st, 6);
    }
    if (ledger_read_end(st, rc, "invoices awaiting commission", e) != 0) {
        free(v);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}
