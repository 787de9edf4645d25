/*
 * plans.c — the seat-plan use cases (plans.h): read through store/plans.h
 * and store/accounts.h, decide with decide/seats.h and decide/discount.h,
 * write through the stores. A period is invoiced with the one invoice
 * builder (invoice_draft, usecase/issue.c numbering, usecase/events.c
 * mail and reminders) and recorded in plan_invoices, so a second run
 * issues nothing.
 */
#include "usecase/plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/discount.h"
#include "store/accounts.h"
#include "store/invoices.h"
#include "store/plans.h"
#include "usecase/events.h"
#include "usecase/issue.h"
#include "usecase/sink.h"

/* ================================================================ helpers */

/* The plan definition of an organisation's row, or an error naming it. */
static const struct plan *plan_of(struct engine *eng,
                                  const struct org_plan_row *r, struct err *e)
{
    const struct plan *p = rules_plan(eng->r, r->plan);
    if (!p)
        err_set(e, "account %s is on plan '%s', which the rule files no "
                   "longer define", r->account, r->plan);
    return p;
}

/* The plan row of account, refusing an account without one. */
static int need_plan(struct engine *eng, const char *account,
                     struct org_plan_row *r, struct err *e)
{
    int rc = plans_get(eng->lg, account, r, e);
    if (rc > 0) {
        if (!account_exists(eng->lg, account))
            return err_set(e, "no account '%s'", account);
        return err_set(e, "account '%s' has no plan (start one with: "
                          "carebill plan start --account %s --plan P "
                          "--billing monthly --from D)", account, account);
    }
    return rc;
}

/* A plan that may be newly used in cycle c. */
static const struct plan *usable_plan(struct engine *eng, const char *id,
                                      enum plan_cycle c, struct err *e)
{
    const struct plan *p = rules_plan(eng->r, id);
    if (!p) {
        err_set(e, "no plan '%s'", id);
        return NULL;
    }
    if (!p->d.active) {
        err_set(e, "plan '%s' is no longer offered (%s:%d)", id, p->d.at.file,
                p->d.at.line);
        return NULL;
    }
    if (!plan_offers(p, c)) {
        err_set(e, "plan '%s' has no %s billing (it is billed %s only)", id,
                plan_cycle_name(c),
                plan_cycle_name(c == CYCLE_MONTHLY ? CYCLE_YEARLY
                                                   : CYCLE_MONTHLY));
        return NULL;
    }
    return p;
}

static int parse_cycle(const char *s, enum plan_cycle *c, struct err *e)
{
    if (plan_cycle_parse(s, c) != 0)
        return err_set(e, "billing must be monthly or yearly, not '%s'",
                       s ? s : "");
    return 0;
}

/* Refuse redeeming `code` on plan `plan_id` on day `on`. */
static int redeem_check(struct engine *eng, const char *code,
                        const char *plan_id, cdate on, struct err *e)
{
    int64_t n = 0;
    if (plans_redemptions_count(eng->lg, code, &n, e) != 0)
        return -1;
    return discount_redeem_check(rules_discount_code(eng->r, code), code,
                                 plan_id, on, n, e);
}

/* The redemption of account that discounts its next invoice on plan
 * plan_id: the latest one whose code still applies. *out->id = 0 when
 * none; *dc its definition. */
static int current_redemption(struct engine *eng, const char *account,
                              const char *plan_id, struct redemption_row *out,
                              const struct discount_code **dc, struct err *e)
{
    struct redemption_row *v;
    size_t n;
    memset(out, 0, sizeof *out);
    *dc = NULL;
    if (plans_redemptions_of(eng->lg, account, &v, &n, e) != 0)
        return -1;
    for (size_t i = n; i-- > 0;) {
        const struct discount_code *d = rules_discount_code(eng->r, v[i].code);
        if (d && discount_applies(d, v[i].periods_used) &&
            (!plan_id || discount_for_plan(d, plan_id))) {
            *out = v[i];
            v[i].code = NULL;
            *dc = d;
            break;
        }
    }
    redemption_rows_free(v, n);
    return 0;
}

/* ================================================================ commands */

int plan_start(struct engine *eng, const char *account, const char *plan,
               const char *billing, cdate from, const char *code,
               struct err *e)
{
    enum plan_cycle c;
    if (parse_cycle(billing, &c, e) != 0)
        return -1;
    if (!account_exists(eng->lg, account))
        return err_set(e, "no account '%s'", account);
    if (account_active(eng->lg, account) == 0)
        return err_set(e, "account '%s' is inactive; it cannot start a plan",
                       account);
    struct account_einvoice ai;
    if (accounts_einvoice(eng->lg, account, &ai, e) < 0)
        return -1;
    int org = ai.kind && !strcmp(ai.kind, "organisation");
    char kind[32];
    snprintf(kind, sizeof kind, "%s", ai.kind ? ai.kind : "?");
    account_einvoice_free(&ai);
    if (!org)
        return err_set(e, "account '%s' is a %s; seat plans are for "
                          "organisations (account add --kind organisation)",
                       account, kind);
    const struct plan *p = usable_plan(eng, plan, c, e);
    if (!p)
        return -1;
    struct org_plan_row cur;
    int rc = plans_get(eng->lg, account, &cur, e);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        err_set(e, "account '%s' has plan '%s' already (one plan per "
                   "organisation; change it with: carebill plan change "
                   "--account %s --plan P)", account, cur.plan, account);
        org_plan_row_free(&cur);
        return -1;
    }
    if (code && redeem_check(eng, code, plan, from, e) != 0)
        return -1;
    cdate first = plan_first_billed(p, from);
    struct org_plan_row r = {(char *)account, (char *)plan, c, from, first,
                             first};
    int dup = 0;
    if (plans_insert(eng->lg, &r, eng->today, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "account '%s' has a plan already", account);
    if (code)
        return plans_redemption_insert(eng->lg, account, code, from, e);
    return 0;
}

/* Refuse a plan that has no student price when account has an active or
 * future student seat. */
static int students_fit(struct engine *eng, const char *account,
                        const struct plan *p, enum plan_cycle c, cdate from,
                        struct err *e)
{
    struct seat_row *v;
    size_t n;
    if (plans_seats(eng->lg, account, &v, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (v[i].student && (v[i].until == CDATE_NONE || v[i].until >= from) &&
            plan_seat_price(p, c, 1) == 0)
            rc = err_set(e, "plan '%s' has no %s student seat price, and "
                            "account '%s' has student seat '%s'", p->d.id,
                         plan_cycle_name(c), account, v[i].seat);
    seat_rows_free(v, n);
    return rc;
}

int plan_change(struct engine *eng, const char *account, const char *plan,
                const char *billing, cdate on, cdate *effective,
                struct err *e)
{
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    enum plan_cycle c = r.billing;
    int rc = billing ? parse_cycle(billing, &c, e) : 0;
    const char *to = plan ? plan : r.plan;
    const struct plan *p = rc == 0 ? usable_plan(eng, to, c, e) : NULL;
    if (rc == 0 && !p)
        rc = -1;
    if (rc == 0 && !strcmp(to, r.plan) && c == r.billing)
        rc = err_set(e, "account '%s' is on plan '%s' billed %s already",
                     account, r.plan, plan_cycle_name(c));
    struct plan_change_row pend;
    int has = rc == 0 ? plans_change_pending(eng->lg, account, &pend, e) : 1;
    if (rc == 0 && has < 0)
        rc = -1;
    if (rc == 0 && has == 0) {
        char d[11];
        rc = err_set(e, "account '%s' has a change to plan '%s' pending from "
                        "%s; cancel it first (carebill plan cancel-change "
                        "--account %s)", account, pend.plan,
                     date_fmt(pend.effective, d), account);
        plan_change_row_free(&pend);
    }
    if (rc == 0)
        *effective = plan_change_effective(r.billing, r.anchor, r.next_period,
                                           on);
    if (rc == 0)
        rc = students_fit(eng, account, p, c, *effective, e);
    int dup = 0;
    if (rc == 0)
        rc = plans_change_insert(eng->lg, account, to, c, on, *effective, &dup,
                                 e);
    if (rc == 0 && dup)
        rc = err_set(e, "account '%s' has a plan change pending", account);
    org_plan_row_free(&r);
    return rc;
}

int plan_cancel_change(struct engine *eng, const char *account, cdate on,
                       char **plan, enum plan_cycle *billing,
                       cdate *effective, struct err *e)
{
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    org_plan_row_free(&r);
    struct plan_change_row pend;
    int rc = plans_change_pending(eng->lg, account, &pend, e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return err_set(e, "account '%s' has no pending plan change", account);
    *plan = pend.plan;
    *billing = pend.billing;
    *effective = pend.effective;
    return plans_change_cancel(eng->lg, pend.id, on, e);
}

int seat_add(struct engine *eng, const char *account, const char *seat,
             const char *name, int student, cdate from, struct err *e)
{
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    int rc = 0;
    char d[11];
    const struct plan *p = plan_of(eng, &r, e);
    if (!p)
        rc = -1;
    if (rc == 0 && !is_slug(seat))
        rc = err_set(e, "seat id '%s' must be a slug (lowercase letters, "
                        "digits, '-' and '_')", seat);
    if (rc == 0 && from < r.start)
        rc = err_set(e, "account '%s' started plan '%s' on %s; a seat cannot "
                        "be added before", account, r.plan,
                     date_fmt(r.start, d));
    if (rc == 0 && student && plan_seat_price(p, r.billing, 1) == 0)
        rc = err_set(e, "plan '%s' has no %s student seat price; seat '%s' "
                        "cannot be a student seat", r.plan,
                     plan_cycle_name(r.billing), seat);
    struct plan_change_row pend;
    int has = rc == 0 ? plans_change_pending(eng->lg, account, &pend, e) : 1;
    if (rc == 0 && has < 0)
        rc = -1;
    if (rc == 0 && has == 0) {
        const struct plan *np = rules_plan(eng->r, pend.plan);
        if (student && np && plan_seat_price(np, pend.billing, 1) == 0)
            rc = err_set(e, "plan '%s' (from %s) has no %s student seat "
                            "price; seat '%s' cannot be a student seat",
                         pend.plan, date_fmt(pend.effective, d),
                         plan_cycle_name(pend.billing), seat);
        plan_change_row_free(&pend);
    }
    int dup = 0;
    if (rc == 0)
        rc = plans_seat_insert(eng->lg, account, seat, name, student, from,
                               &dup, e);
    if (rc == 0 && dup)
        rc = err_set(e, "account '%s' has an active seat '%s' already",
                     account, seat);
    org_plan_row_free(&r);
    return rc;
}

int seat_remove(struct engine *eng, const char *account, const char *seat,
                cdate on, struct err *e)
{
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    org_plan_row_free(&r);
    struct seat_row s;
    int rc = plans_seat_active(eng->lg, account, seat, &s, e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return err_set(e, "account '%s' has no active seat '%s'", account,
                       seat);
    char d[11];
    if (on <= s.from)
        rc = err_set(e, "seat '%s' was added on %s; it can be removed from "
                        "the day after", seat, date_fmt(s.from, d));
    else
        rc = plans_seat_end(eng->lg, s.id, on - 1, e);
    free(s.seat);
    free(s.name);
    return rc;
}

void seat_views_free(struct seat_view *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].seat);
        free(v[i].name);
    }
    free(v);
}

int seat_list(struct engine *eng, const char *account, struct seat_view **v,
              size_t *n, struct err *e)
{
    *v = NULL;
    *n = 0;
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    org_plan_row_free(&r);
    struct seat_row *rows;
    size_t nr;
    if (plans_seats(eng->lg, account, &rows, &nr, e) != 0)
        return -1;
    *v = xcalloc(nr + 1, sizeof **v);
    for (size_t i = 0; i < nr; i++) {
        (*v)[i] = (struct seat_view){rows[i].seat, rows[i].name,
                                     rows[i].student, rows[i].from,
                                     rows[i].until};
        rows[i].seat = rows[i].name = NULL;
    }
    *n = nr;
    seat_rows_free(rows, nr);
    return 0;
}

int usage_record(struct engine *eng, const char *account, const char *metric,
                 int64_t quantity, cdate on, const char *key, int *repeat,
                 struct err *e)
{
    *repeat = 0;
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    int rc = 0;
    const struct plan *p = plan_of(eng, &r, e);
    const struct usage_price *up = p ? plan_usage_price(p, metric) : NULL;
    if (!p)
        rc = -1;
    else if (!up)
        rc = err_set(e, "plan '%s' of account '%s' has no usage price for "
                        "'%s'", r.plan, account, metric);
    else if (quantity <= 0)
        rc = err_set(e, "usage quantity must be at least 1, not %lld",
                     (long long)quantity);
    else if (on < r.start) {
        char a[11], b[11];
        rc = err_set(e, "account '%s' started plan '%s' on %s; usage on %s "
                        "is before it", account, r.plan, date_fmt(r.start, a),
                     date_fmt(on, b));
    }
    if (rc == 0 && key) {
        struct usage_row old;
        int k = plans_usage_by_key(eng->lg, account, key, &old, e);
        if (k < 0)
            rc = -1;
        else if (k == 0) {
            char a[11], b[11];
            if (strcmp(old.metric, metric) || old.quantity != quantity ||
                old.on != on)
                rc = err_set(e, "usage '%s' of account '%s' was recorded "
                                "before as %lld %s on %s; not as %lld %s on "
                                "%s", key, account, (long long)old.quantity,
                             old.metric, date_fmt(old.on, a),
                             (long long)quantity, metric, date_fmt(on, b));
            else
                *repeat = 1;
            free(old.metric);
            free(old.key);
        }
    }
    if (rc == 0 && !*repeat) {
        struct usage_row u = {0, (char *)metric, quantity, on, up->price_cents,
                              (char *)key};
        int dup = 0;
        rc = plans_usage_insert(eng->lg, account, &u, &dup, e);
        if (rc == 0 && dup)
            *repeat = 1;
    }
    org_plan_row_free(&r);
    return rc;
}

int discount_apply(struct engine *eng, const char *account, const char *code,
                   cdate on, struct err *e)
{
    struct org_plan_row r;
    if (need_plan(eng, account, &r, e) != 0)
        return -1;
    struct redemption_row cur;
    const struct discount_code *dc;
    int rc = current_redemption(eng, account, r.plan, &cur, &dc, e);
    if (rc == 0 && cur.id)
        rc = err_set(e, "account '%s' has discount code '%s' still applying; "
                        "one code at a time", account, cur.code);
    free(cur.code);
    if (rc == 0)
        rc = redeem_check(eng, code, r.plan, on, e);
    if (rc == 0)
        rc = plans_redemption_insert(eng->lg, account, code, on, e);
    org_plan_row_free(&r);
    return rc;
}

/* ================================================================ one period */

/* A period's draft with what it used, to be marked once it is issued. */
struct period_draft {
    struct invoice inv;
    struct usage_row *usage;
    size_t n_usage;
    size_t *line_of;        /* usage[i] is billed by line line_of[i] (0-based) */
    struct usage_sum *sums;
    size_t n_sums;
    struct redemption_row red; /* red.id 0: no discount */
    int64_t discount_cents;
    struct seat_count seats;
};

static void period_draft_free(struct period_draft *pd)
{
    invoice_free(&pd->inv);
    usage_rows_free(pd->usage, pd->n_usage);
    free(pd->line_of);
    free(pd->sums);
    free(pd->red.code);
    memset(pd, 0, sizeof *pd);
}

/* Bind plan p's seats hook, when it names one and hooks are loaded. */
static int seats_hook(struct engine *eng, const struct plan *p,
                      struct hook_ref *ref, struct err *e)
{
    ref->ref = -1;
    if (!p->seats.file || !eng->hooks)
        return 0;
    if (hooks_load(eng->hooks, p->seats.file, e) != 0 ||
        hooks_bind(eng->hooks, p->seats.file, p->seats.func, ref, e) != 0)
        return err_prefix(e, "%s:%d:%d", p->seats.at.file, p->seats.at.line,
                          p->seats.at.col);
    return 0;
}

/* Draft the invoice of account's period `per` on plan p billed c, dated
 * `issued`. */
static int draft_period(struct engine *eng, const char *account,
                        const struct plan *p, enum plan_cycle c,
                        struct period per, cdate issued,
                        struct period_draft *pd, struct err *e)
{
    memset(pd, 0, sizeof *pd);
    struct party to = {0};
    char *locale = NULL;
    struct seat_row *sv = NULL;
    size_t ns = 0;
    struct seat_span *spans = NULL;
    struct hook_ref hook;
    int rc = invoices_party(eng->lg, account, &to, &locale, e);
    if (rc == 0)
        invoice_draft(&pd->inv, &eng->r->practice, INV_SEATS, &to, locale,
                      issued, 0);
    else
        invoice_draft(&pd->inv, &eng->r->practice, INV_SEATS, &to, NULL,
                      issued, 0);
    pd->inv.prices_include_vat = p->prices_include_vat;
    if (rc == 0)
        rc = plans_seats(eng->lg, account, &sv, &ns, e);
    if (rc == 0) {
        spans = xcalloc(ns + 1, sizeof *spans);
        for (size_t i = 0; i < ns; i++)
            spans[i] = (struct seat_span){sv[i].seat, sv[i].student,
                                          sv[i].from, sv[i].until};
        rc = seats_hook(eng, p, &hook, e);
    }
    if (rc == 0)
        rc = seats_count(p, &hook, eng->hooks, account, c, spans, ns, per,
                         eng->today, &pd->seats, e);
    if (rc == 0)
        rc = plans_usage_unbilled(eng->lg, account, per.start, &pd->usage,
                                  &pd->n_usage, e);
    if (rc == 0) {
        /* One line per metric and price: rows come sorted by both. */
        pd->sums = xcalloc(pd->n_usage + 1, sizeof *pd->sums);
        pd->line_of = xcalloc(pd->n_usage + 1, sizeof *pd->line_of);
        for (size_t i = 0; i < pd->n_usage && rc == 0; i++) {
            const struct usage_row *u = &pd->usage[i];
            struct usage_sum *last = pd->n_sums ? &pd->sums[pd->n_sums - 1]
                                                : NULL;
            if (!last || strcmp(last->metric, u->metric) ||
                last->unit_cents != u->unit_cents) {
                last = &pd->sums[pd->n_sums++];
                *last = (struct usage_sum){u->metric, 0, u->unit_cents};
            }
            rc = money_add(last->quantity, u->quantity, &last->quantity, e);
            pd->line_of[i] = pd->n_sums - 1; /* the sum; lines follow below */
        }
    }
    const struct discount_code *dc = NULL;
    if (rc == 0)
        rc = current_redemption(eng, account, p->d.id, &pd->red, &dc, e);
    if (rc == 0) {
        size_t before = pd->inv.n_lines;
        struct plan_bill b = {p, c, per, &pd->seats, pd->sums, pd->n_sums, dc,
                              pd->inv.locale};
        rc = plan_lines(&b, &pd->inv, &pd->discount_cents, e);
        /* Usage lines are those with source "usage", in the sums' order. */
        size_t first_usage = before;
        while (first_usage < pd->inv.n_lines &&
               strcmp(pd->inv.lines[first_usage].source, "usage"))
            first_usage++;
        for (size_t i = 0; i < pd->n_usage; i++)
            pd->line_of[i] += first_usage;
        if (rc == 0)
            invoice_totals(&pd->inv);
    }
    free(spans);
    seat_rows_free(sv, ns);
    free(to.id), free(to.name), free(to.email), free(to.address);
    free(to.vat_number), free(to.kvk), free(to.iban);
    free(locale);
    return rc;
}

/* Issue the drafted period of account and mark what it used. */
static int issue_period(struct engine *eng, const char *account,
                        const struct plan *p, struct period per,
                        struct period_draft *pd, FILE *log,
                        const struct plans_tally *rep, struct err *e)
{
    struct invoice *inv = &pd->inv;
    int dup = 0;
    if (issue_invoice(eng, inv, rep->run, e) != 0)
        return -1;
    if (plans_period_insert(eng->lg, account, per.start, per.end, p->d.id,
                            inv->id, &dup, e) != 0)
        return -1;
    if (dup) {
        char d[11];
        return err_set(e, "account %s period starting %s is already billed",
                       account, date_fmt(per.start, d));
    }
    for (size_t i = 0; i < pd->n_usage; i++)
        if (plans_usage_billed(eng->lg, pd->usage[i].id, inv->id,
                               (int64_t)pd->line_of[i] + 1, e) != 0)
            return -1;
    if (pd->red.id && pd->discount_cents > 0 &&
        plans_redemption_used(eng->lg, pd->red.id, e) != 0)
        return -1;
    run_sink_invoice(eng->sink, eng->today, inv, 0, per.start, per.end);
    if (events_invoice_issued(eng, inv, p->d.name, 0, e) != 0)
        return -1;
    *rep->invoices += 1;
    *rep->lines += (int64_t)inv->n_lines;
    *rep->total_cents += inv->total_cents;
    if (log) {
        char tot[32], day[11], ps[24];
        fprintf(log, "invoice %s %s account %s plan %s period %s total %s\n",
                inv->number, date_fmt(inv->issued, day), account, p->d.id,
                period_fmt(per, ps), money_fmt(inv->total_cents, tot));
    }
    return 0;
}

/* Apply account's pending change when it takes effect at *r's next
 * period (r is updated to match). */
static int apply_change(struct engine *eng, struct org_plan_row *r,
                        int write, struct err *e)
{
    struct plan_change_row pend;
    int rc = plans_change_pending(eng->lg, r->account, &pend, e);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    if (pend.effective <= r->next_period) {
        free(r->plan);
        r->plan = xstrdup(pend.plan);
        r->billing = pend.billing;
        r->anchor = r->next_period;
        if (write)
            rc = plans_switch(eng->lg, r->account, r->plan, r->billing,
                              r->anchor, e);
        if (rc == 0 && write)
            rc = plans_change_applied(eng->lg, pend.id, eng->today, e);
    }
    plan_change_row_free(&pend);
    return rc;
}

/* Bill every period of organisation r that starts by eng->today. */
static int bill_org(struct engine *eng, struct org_plan_row *r, FILE *log,
                    const struct plans_tally *rep, struct err *e)
{
    int rc = 0;
    while (rc == 0 && r->next_period <= eng->today) {
        rc = apply_change(eng, r, 1, e);
        if (rc != 0)
            break;
        const struct plan *p = plan_of(eng, r, e);
        if (!p)
            return -1;
        struct period per = plan_period(r->billing, r->anchor, r->next_period);
        if (per.start > eng->today)
            break;
        struct period_draft pd;
        rc = draft_period(eng, r->account, p, r->billing, per, eng->today,
                          &pd, e);
        if (rc == 0 && pd.inv.n_lines)
            rc = issue_period(eng, r->account, p, per, &pd, log, rep, e);
        else if (rc == 0) {
            *rep->skipped_periods += 1;
            run_sink_not_billed(eng->sink, eng->today, r->account, 0,
                                per.start, per.end, "no seat and no usage");
        }
        period_draft_free(&pd);
        if (rc == 0) {
            r->next_period = per.end + 1;
            rc = plans_set_cursor(eng->lg, r->account, r->next_period, e);
        }
    }
    return rc;
}

int plans_tick(struct engine *eng, FILE *log, const struct plans_tally *rep,
               struct err *e)
{
    struct org_plan_row *v;
    size_t n;
    if (plans_list(eng->lg, eng->today, &v, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = bill_org(eng, &v[i], log, rep, e);
    org_plan_rows_free(v, n);
    return rc;
}

/* ================================================================ report */

void plan_report_free(struct plan_report_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].account);
        free(rows[i].plan);
        free(rows[i].change_plan);
        free(rows[i].discount);
    }
    free(rows);
}

/* Fill row o from organisation r. */
static int report_one(struct engine *eng, struct org_plan_row *r,
                      struct plan_report_row *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    o->account = xstrdup(r->account);
    o->plan = xstrdup(r->plan);
    o->billing = r->billing;
    o->start = r->start;
    o->change_effective = CDATE_NONE;
    struct seat_row *sv;
    size_t ns;
    if (plans_seats(eng->lg, r->account, &sv, &ns, e) != 0)
        return -1;
    for (size_t i = 0; i < ns; i++)
        if (sv[i].from <= eng->today &&
            (sv[i].until == CDATE_NONE || sv[i].until >= eng->today))
            *(sv[i].student ? &o->students : &o->seats) += 1;
    seat_rows_free(sv, ns);
    struct plan_change_row pend;
    int rc = plans_change_pending(eng->lg, r->account, &pend, e);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        o->change_plan = pend.plan;
        o->change_billing = pend.billing;
        o->change_effective = pend.effective;
    }
    /* The next invoice, as the next run would draft it. */
    struct org_plan_row next = {r->account, xstrdup(r->plan), r->billing,
                                r->start, r->anchor, r->next_period};
    rc = apply_change(eng, &next, 0, e);
    const struct plan *p = rc == 0 ? plan_of(eng, &next, e) : NULL;
    if (rc == 0 && p) {
        struct period per = plan_period(next.billing, next.anchor,
                                        next.next_period);
        struct period_draft pd;
        rc = draft_period(eng, r->account, p, next.billing, per, per.start,
                          &pd, e);
        o->next_invoice = per.start;
        o->next_total_cents = pd.inv.total_cents;
        if (rc == 0 && pd.discount_cents > 0)
            o->discount = xstrdup(pd.red.code);
        period_draft_free(&pd);
    } else if (rc == 0) {
        rc = -1;
    }
    free(next.plan);
    return rc;
}

int plans_report(struct engine *eng, const char *account,
                 struct plan_report_row **rows, size_t *n, struct err *e)
{
    struct org_plan_row *v;
    size_t nv;
    *rows = NULL;
    *n = 0;
    if (plans_list(eng->lg, CDATE_NONE, &v, &nv, e) != 0)
        return -1;
    *rows = xcalloc(nv + 1, sizeof **rows);
    int rc = 0;
    for (size_t i = 0; i < nv && rc == 0; i++) {
        if (account && strcmp(v[i].account, account))
            continue;
        rc = report_one(eng, &v[i], &(*rows)[*n], e);
        (*n)++;
    }
    org_plan_rows_free(v, nv);
    return rc;
}

/* Add account to the message of plan id in msgs/plans (one per plan). */
static void note_missing(char ***msgs, char ***ids, size_t *n, const char *id,
                         const char *account)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*ids)[i], id)) {
            char *m = xasprintf("%s, %s", (*msgs)[i], account);
            free((*msgs)[i]);
            (*msgs)[i] = m;
            return;
        }
    *msgs = xrealloc(*msgs, (*n + 1) * sizeof **msgs);
    *ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
    (*ids)[*n] = xstrdup(id);
    (*msgs)[(*n)++] = xasprintf("plan '%s' is used by organisations %s", id,
                                account);
}

int plans_missing_definitions(struct engine *eng, char ***msgs, size_t *n,
                              struct err *e)
{
    struct org_plan_row *rows;
    size_t nr;
    char **ids = NULL;
    *msgs = NULL;
    *n = 0;
    if (plans_list(eng->lg, CDATE_NONE, &rows, &nr, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nr; i++) {
        if (!rules_plan(eng->r, rows[i].plan))
            note_missing(msgs, &ids, n, rows[i].plan, rows[i].account);
        struct plan_change_row pend;
        int got = plans_change_pending(eng->lg, rows[i].account, &pend, e);
        if (got < 0) {
            rc = -1;
        } else if (got == 0) {
            if (pend.plan && !rules_plan(eng->r, pend.plan))
                note_missing(msgs, &ids, n, pend.plan, rows[i].account);
            plan_change_row_free(&pend);
        }
    }
    org_plan_rows_free(rows, nr);
    for (size_t i = 0; i < *n; i++) {
        if (rc == 0) {
            char *m = xasprintf("%s but no rule file defines it", (*msgs)[i]);
            free((*msgs)[i]);
            (*msgs)[i] = m;
        }
        free(ids[i]);
    }
    free(ids);
    if (rc != 0) {
        for (size_t i = 0; i < *n; i++)
            free((*msgs)[i]);
        free(*msgs);
        *msgs = NULL;
        *n = 0;
    }
    return rc;
}
