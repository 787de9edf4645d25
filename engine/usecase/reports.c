/*
 * reports.c — the reports of reports.h, read through the stores.
 */
#include "usecase/reports.h"

#include <stdlib.h>
#include <string.h>

#include "store/credits.h"
#include "store/payouts.h"

/* 1 when day `on` comes before the range (its movement makes the opening
 * balance); the stores read nothing after the range's end. */
static int before_range(cdate from, cdate on)
{
    return from != CDATE_NONE && on < from;
}

int report_runs(struct engine *eng, cdate from, cdate to,
                struct run_row **rows, size_t *n, struct err *e)
{
    return runs_list(eng->lg, from, to, rows, n, e);
}

void balance_report_free(struct balance_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].account);
    free(r->rows);
    balance_moves_free(r->moves, r->n_moves);
    memset(r, 0, sizeof *r);
}

int report_balances(struct engine *eng, const char *account, cdate from,
                    cdate to, struct balance_report *out, struct err *e)
{
    struct balance_move *m;
    size_t n;
    memset(out, 0, sizeof *out);
    /* every move up to `to`: the balance at the end; the range's own
     * moves make the in and out columns */
    if (payments_balance_moves(eng->lg, account, CDATE_NONE, to, &m, &n, e))
        return -1;
    size_t in_range = 0;
    for (size_t i = 0; i < n; i++) {
        struct balance_report_row *r = NULL;
        for (size_t j = 0; j < out->n && !r; j++)
            if (!strcmp(out->rows[j].account, m[i].account))
                r = &out->rows[j];
        if (!r) {
            /* keep the rows sorted by account */
            size_t at = 0;
            while (at < out->n && strcmp(out->rows[at].account,
                                         m[i].account) < 0)
                at++;
            out->rows = xrealloc(out->rows, (out->n + 1) * sizeof *out->rows);
            memmove(&out->rows[at + 1], &out->rows[at],
                    (out->n - at) * sizeof *out->rows);
            out->rows[at] = (struct balance_report_row){
                .account = xstrdup(m[i].account)};
            out->n++;
            r = &out->rows[at];
        }
        r->balance_cents += m[i].amount_cents;
        if (before_range(from, m[i].on)) {
            r->opening_cents += m[i].amount_cents;
            continue;
        }
        if (m[i].amount_cents > 0)
            r->in_cents += m[i].amount_cents;
        else
            r->out_cents -= m[i].amount_cents;
        in_range++;
    }
    /* the moves of the range, in order */
    out->moves = xcalloc(in_range ? in_range : 1, sizeof *out->moves);
    for (size_t i = 0; i < n; i++) {
        if (before_range(from, m[i].on)) {
            free(m[i].account);
            free(m[i].kind);
            free(m[i].invoice);
            continue;
        }
        out->moves[out->n_moves++] = m[i];
    }
    free(m);
    return 0;
}

/* ------------------------------------------------------------ credits */

static void credit_range_row_clear(struct credit_range_row *r)
{
    free(r->account);
    free(r->package);
    credit_moves_free(r->moves, r->n_moves);
    memset(r, 0, sizeof *r);
}

void credit_range_rows_free(struct credit_range_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        credit_range_row_clear(&r[i]);
    free(r);
}

/* Add movement m to row r: before the range into the opening balance,
 * in it into its column and the row's movements (m moves there: *m is
 * cleared); the balance at the end either way. */
static void credit_range_add(struct credit_range_row *r,
                             struct credit_move *m, cdate from)
{
    int64_t sign = m->kind == CREDIT_GRANTED ? 1 : -1;
    r->balance += sign * m->credits;
    r->balance_cents += sign * m->credits * m->rate_cents;
    if (before_range(from, m->on)) {
        r->opening += sign * m->credits;
        return;
    }
    if (m->kind == CREDIT_GRANTED)
        r->granted += m->credits;
    else if (m->kind == CREDIT_USED)
        r->consumed += m->credits;
    else
        r->withdrawn += m->credits;
    r->moves = xrealloc(r->moves, (r->n_moves + 1) * sizeof *r->moves);
    r->moves[r->n_moves++] = *m;
    memset(m, 0, sizeof *m);
}

int report_credit_range(struct engine *eng, const char *account, cdate from,
                        cdate to, struct credit_range_row **rows, size_t *n,
                        struct err *e)
{
    struct credit_move *m;
    size_t nm;
    *rows = NULL;
    *n = 0;
    if (credits_moves(eng->lg, account, to, &m, &nm, e) != 0)
        return -1;
    struct credit_range_row *v = xcalloc(nm + 1, sizeof *v);
    size_t k = 0;
    /* the moves come by account and package: one row per run of them */
    for (size_t i = 0; i < nm; i++) {
        struct credit_range_row *r = k ? &v[k - 1] : NULL;
        if (!r || strcmp(r->account, m[i].account) ||
            strcmp(r->package, m[i].package)) {
            r = &v[k++];
            r->account = xstrdup(m[i].account);
            r->package = xstrdup(m[i].package);
            r->pkg = rules_package(eng->r, m[i].package);
        }
        credit_range_add(r, &m[i], from);
    }
    credit_moves_free(m, nm);
    /* leave out what had nothing to do with the range */
    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        if (v[i].opening || v[i].n_moves)
            v[kept++] = v[i];
        else
            credit_range_row_clear(&v[i]);
    }
    *rows = v;
    *n = kept;
    return 0;
}

/* ------------------------------------------------------------ payouts */

void payout_range_rows_free(struct payout_range_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        free(r[i].supplier);
    free(r);
}

/* Add movement m to row r (as credit_range_add). */
static void payout_range_add(struct payout_range_row *r,
                             const struct payout_move *m, cdate from)
{
    int64_t owed = m->kind == PAYOUT_INVOICED ? m->cents
                   : m->kind == PAYOUT_BOOKED ? 0 : -m->cents;
    r->owed_cents += owed;
    if (before_range(from, m->on))
        r->opening_cents += owed;
    else if (m->kind == PAYOUT_INVOICED)
        r->invoiced_cents += m->cents;
    else if (m->kind == PAYOUT_WITHHELD)
        r->withheld_cents += m->cents;
    else if (m->kind == PAYOUT_PAID)
        r->paid_cents += m->cents;
    else
        r->booked_cents += m->cents;
}

int report_payout_range(struct engine *eng, cdate from, cdate to,
                        struct payout_range_row **rows, size_t *n,
                        struct err *e)
{
    struct payout_move *m;
    size_t nm;
    *rows = NULL;
    *n = 0;
    if (payouts_moves(eng->lg, to, &m, &nm, e) != 0)
        return -1;
    struct payout_range_row *v = xcalloc(nm + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < nm; i++) {
        struct payout_range_row *r = k ? &v[k - 1] : NULL;
        if (!r || strcmp(r->supplier, m[i].supplier)) {
            r = &v[k++];
            r->supplier = xstrdup(m[i].supplier);
        }
        payout_range_add(r, &m[i], from);
    }
    payout_moves_free(m, nm);
    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        const struct payout_range_row *r = &v[i];
        if (r->opening_cents || r->invoiced_cents || r->withheld_cents ||
            r->paid_cents || r->booked_cents)
            v[kept++] = v[i];
        else
            free(v[i].supplier);
    }
    *rows = v;
    *n = kept;
    return 0;
}

/* ------------------------------------------------------------ plans */

void plan_range_rows_free(struct plan_range_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].account);
        free(r[i].plans);
    }
    free(r);
}

/* Row o of organisation plan p: its seats on `day`, its invoices of
 * from..to. */
static int plan_range_one(struct engine *eng, const struct org_plan_row *p,
                          cdate from, cdate to, cdate day,
                          struct plan_range_row *o, struct err *e)
{
    o->account = xstrdup(p->account);
    struct seat_row *sv;
    size_t ns;
    if (plans_seats(eng->lg, p->account, &sv, &ns, e) != 0)
        return -1;
    for (size_t i = 0; i < ns; i++)
        if (sv[i].from <= day &&
            (sv[i].until == CDATE_NONE || sv[i].until >= day))
            *(sv[i].student ? &o->students : &o->seats) += 1;
    seat_rows_free(sv, ns);
    struct plan_invoiced *pi;
    size_t np;
    if (plans_invoiced(eng->lg, p->account, from, to, &pi, &np, e) != 0)
        return -1;
    struct sbuf names = {0};
    for (size_t i = 0; i < np; i++) {
        sb_printf(&names, "%s%s", i ? ", " : "", pi[i].plan);
        o->invoices += pi[i].count;
        o->invoiced_cents += pi[i].cents;
    }
    o->plans = xstrdup(sb_str(&names));
    sb_free(&names);
    plan_invoiced_free(pi, np);
    return 0;
}

int report_plan_range(struct engine *eng, const char *account, cdate from,
                      cdate to, struct plan_range_row **rows, size_t *n,
                      struct err *e)
{
    struct org_plan_row *v;
    size_t nv;
    *rows = NULL;
    *n = 0;
    if (plans_list(eng->lg, CDATE_NONE, &v, &nv, e) != 0)
        return -1;
    struct plan_range_row *out = xcalloc(nv + 1, sizeof *out);
    size_t k = 0;
    int rc = 0;
    cdate day = to != CDATE_NONE ? to : eng->today;
    for (size_t i = 0; i < nv && rc == 0; i++) {
        if ((account && strcmp(v[i].account, account)) ||
            (to != CDATE_NONE && v[i].start > to))
            continue;
        rc = plan_range_one(eng, &v[i], from, to, day, &out[k++], e);
    }
    org_plan_rows_free(v, nv);
    if (rc != 0) {
        plan_range_rows_free(out, k);
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}

int report_account_balance(struct engine *eng, const char *account,
                           int64_t *cents, struct err *e)
{
    return payments_balance(eng->lg, account, cents, e);
}
