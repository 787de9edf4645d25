/*
 * credits.c — prepaid credit packages on the ledger: grants, imports,
 * consumption and return for appointments, withdrawals by credit notes,
 * the journal pairs each of them books (see credits.h for the
 * accounting), and the credits and journal reports. Reads and writes go
 * through store/credits.h; what to take, withdraw and book comes from
 * decide/credit_plan.h. Every function validates before it writes and
 * leaves the transaction to its caller.
 */
#include "usecase/credits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/accounts.h"
#include "usecase/sink.h"

#define MAX_CREDITS 1000000

/* ================================================================ journal */

/* Book pair p on `on` (nothing when it is 0.00). */
static int journal_book(struct ledger *lg, const struct credit_pair *p,
                        cdate on, const char *desc, const char *source,
                        struct err *e)
{
    struct journal_entry je[2];
    size_t n = credit_pair_entries(p, on, desc, source, je);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = credits_journal_insert(lg, &je[i], e);
    for (size_t i = 0; i < n; i++)
        journal_entry_free(&je[i]);
    return rc;
}

/* The codes grant `grant` (of `package`) was booked on. The strings of
 * out->c live as long as out (grant_codes_free). */
struct grant_codes {
    char *booked_balance, *booked_counter;
    struct credit_codes c;
};

static int grant_codes(struct engine *eng, int64_t grant, const char *package,
                       struct grant_codes *out, struct err *e)
{
    if (credits_grant_codes(eng->lg, grant, &out->booked_balance,
                            &out->booked_counter, e) != 0)
        return -1;
    out->c = credit_plan_grant_codes(out->booked_balance, out->booked_counter,
                                     rules_package(eng->r, package), 0);
    return 0;
}

static void grant_codes_free(struct grant_codes *gc)
{
    free(gc->booked_balance);
    free(gc->booked_counter);
}

/* ================================================================ grants */

/* Insert a grant and book it. `line` 0: an import. Nothing is booked when
 * the invoice line had its grant already. */
static int grant_book(struct ledger *lg, struct run_sink *sink,
                      const char *account,
                      const struct package *pkg, int64_t credits,
                      int64_t rate, cdate on, int64_t line,
                      const char *invoice_number, struct err *e)
{
    struct credit_grant_row g = {
        .account = account,
        .package = pkg->d.id,
        .credits = credits,
        .rate_cents = rate,
        .granted_on = on,
        .source = line ? CREDIT_FROM_INVOICE : CREDIT_FROM_IMPORT,
        .invoice_line = line,
    };
    int64_t id;
    if (credits_grant_insert(lg, &g, &id, e) != 0)
        return -1;
    if (!id)
        return 0;
    run_sink_credit(sink, RUN_CREDIT_GRANT, on, account, pkg->d.id, credits,
                    invoice_number);
    char src[32], amt[32];
    snprintf(src, sizeof src, "grant %lld", (long long)id);
    char *desc;
    if (line)
        desc = xasprintf("%lld credit%s %s (%s) at %s for %s, invoice %s paid",
                         (long long)credits, credit_plan_plural(credits),
                         pkg->d.name, pkg->d.id, money_fmt(rate, amt),
                         account, invoice_number);
    else
        desc = xasprintf("%lld credit%s %s (%s) at %s for %s, imported",
                         (long long)credits, credit_plan_plural(credits),
                         pkg->d.name, pkg->d.id, money_fmt(rate, amt),
                         account);
    /* Bounded here, so what is later used or withdrawn of it (fewer
     * credits at the same rate) is bounded too. */
    int64_t value;
    if (credit_plan_value(credits, rate, &value, e) != 0) {
        free(desc);
        return err_prefix(e, "%lld credits of package %s at %s",
                          (long long)credits, pkg->d.id, amt);
    }
    struct credit_pair p = credit_plan_grant_pair(pkg, !line, credits, rate);
    int rc = journal_book(lg, &p, on, desc, src, e);
    free(desc);
    return rc;
}

int credits_grant_for_invoice(struct engine *eng,
                              const struct invoice *inv, cdate on,
                              struct err *e)
{
    const struct rules *r = eng->r;
    struct credit_product_line *lines;
    size_t n;
    if (credits_product_lines(eng->lg, inv->id, &lines, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *code = lines[i].code ? lines[i].code : "";
        const struct product *p = rules_product(r, code);
        if (!p) {
            rc = err_set(e, "invoice %s line %lld: product '%s' is no longer in "
                            "the rule files, so its credits cannot be granted "
                            "(deactivate definitions instead of deleting them)",
                         inv->number, (long long)lines[i].position, code);
            break;
        }
        int64_t credits = credit_plan_line_credits(p, lines[i].qty100);
        if (!p->package || credits <= 0)
            continue;
        rc = grant_book(eng->lg, eng->sink, inv->to.id, p->package, credits,
                        p->package->internal_rate_cents, on, lines[i].line,
                        inv->number, e);
    }
    credit_product_lines_free(lines, n);
    if (rc == 0)
        rc = credits_withdraw_for_invoice(eng, inv->id, on, e);
    return rc;
}

int credits_withdraw_for_invoice(struct engine *eng,
                                 int64_t invoice, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    struct credit_invoice ci;
    if (credits_invoice_get(lg, invoice, &ci, e) != 0)
        return -1;
    struct credit_grant_state *g = NULL;
    size_t n = 0;
    int rc = 0;
    if (credit_plan_pays_back(ci.total_cents, ci.credited_cents))
        rc = credits_grants_of_invoice(lg, invoice, &g, &n, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct credit_withdrawal w;
        credit_plan_withdraw(g[i].credits, g[i].used, g[i].withdrawn,
                             ci.total_cents, ci.credited_cents, &w);
        if (w.delta == 0)
            continue;
        if ((rc = credits_grant_set_withdrawn(lg, g[i].id, w.withdrawn, e)) != 0)
            break;
        struct grant_codes gc;
        if ((rc = grant_codes(eng, g[i].id, g[i].package, &gc, e)) != 0)
            break;
        const struct package *pkg = rules_package(eng->r, g[i].package);
        char src[32], amt[32];
        snprintf(src, sizeof src, "grant %lld", (long long)g[i].id);
        char *desc = xasprintf("%lld credit%s %s (%s) at %s for %s withdrawn, "
                               "credit note %s on invoice %s",
                               (long long)w.delta, credit_plan_plural(w.delta),
                               pkg ? pkg->d.name : g[i].package, g[i].package,
                               money_fmt(g[i].rate_cents, amt), ci.account,
                               ci.last_credit_note ? ci.last_credit_note : "",
                               ci.number);
        run_sink_credit(eng->sink, RUN_CREDIT_WITHDRAWN, on, ci.account,
                        g[i].package, w.delta, ci.number);
        struct credit_pair p = credit_plan_withdraw_pair(&gc.c, w.delta,
                                                         g[i].rate_cents);
        rc = journal_book(lg, &p, on, desc, src, e);
        free(desc);
        grant_codes_free(&gc);
    }
    credit_grant_states_free(g, n);
    credit_invoice_free(&ci);
    return rc;
}

int credits_import(struct engine *eng,
                   const char *account, const char *package, int64_t credits,
                   int64_t rate_cents, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct package *pkg = rules_package(r, package ? package : "");
    if (!pkg)
        return credit_plan_refuse_unknown(e, "package", package ? package : "",
                                          r->packages, r->n_packages,
                                          sizeof *r->packages);
    if (!pkg->d.active)
        return credit_plan_refuse_inactive(
            &pkg->d, "no credits can be imported into it", e);
    if (credits < 1 || credits > MAX_CREDITS)
        return err_set(e, "credits must be between 1 and %d, not %lld",
                       MAX_CREDITS, (long long)credits);
    if (rate_cents < 0) {
        char a[32];
        return err_set(e, "the internal rate cannot be negative (%s)",
                       money_fmt(rate_cents, a));
    }
    if (!account || !account_exists(lg, account))
        return err_set(e, "no account '%s'", account ? account : "");
    return grant_book(lg, eng->sink, account, pkg, credits, rate_cents, on, 0,
                      NULL, e);
}

/* ================================================================ consumption */

int credits_plan(struct engine *eng, const char *account,
                 const struct package *pkg, int64_t need,
                 struct credit_plan *out, struct err *e)
{
    struct credit_grant_left *g;
    size_t n;
    memset(out, 0, sizeof *out);
    if (credits_grants_left(eng->lg, account, pkg->d.id, &g, &n, e) != 0)
        return -1;
    credit_plan_take(g, n, need, out);
    free(g);
    return 0;
}

int credits_consume(struct engine *eng, const char *account,
                    const struct appointment_type *t, const char *appointment,
                    cdate at, const struct credit_plan *plan, cdate today,
                    struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct package *pkg = t->package;
    char *src = xasprintf("appointment %s", appointment);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < plan->n; i++) {
        const struct credit_take *tk = &plan->takes[i];
        if ((rc = credits_use_insert(lg, tk->grant, appointment, tk->credits,
                                     e)) != 0)
            break;
        run_sink_credit(eng->sink, RUN_CREDIT_USE, today, account, pkg->d.id,
                        tk->credits, NULL);
        struct grant_codes gc;
        if ((rc = grant_codes(eng, tk->grant, pkg->d.id, &gc, e)) != 0)
            break;
        char amt[32], day[11];
        char *desc = xasprintf("%lld credit%s %s (%s) at %s for %s used, "
                               "appointment %s (%s) on %s",
                               (long long)tk->credits,
                               credit_plan_plural(tk->credits), pkg->d.name,
                               pkg->d.id, money_fmt(tk->rate_cents, amt),
                               account, appointment, t->d.id,
                               date_fmt(at, day));
        struct credit_pair p = credit_plan_use_pair(gc.c.balance, pkg,
                                                    tk->credits,
                                                    tk->rate_cents);
        rc = journal_book(lg, &p, today, desc, src, e);
        free(desc);
        grant_codes_free(&gc);
    }
    free(src);
    return rc;
}

int credits_return(struct engine *eng, const char *appointment, cdate today,
                   struct err *e)
{
    struct ledger *lg = eng->lg;
    /* The invoices whose grants get credits back: their credit notes may
     * want those credits withdrawn. */
    int64_t *invs;
    size_t n_invs;
    if (credits_use_invoices(lg, appointment, &invs, &n_invs, e) != 0)
        return -1;
    char *src = xasprintf("appointment %s", appointment);
    struct journal_entry *je;
    size_t n_je;
    int rc = credits_journal_of_source(lg, src, &je, &n_je, e);
    for (size_t i = 0; rc == 0 && i < n_je; i++) {
        struct journal_entry rev;
        credit_plan_reversal(&je[i], today, &rev);
        rc = credits_journal_insert(lg, &rev, e);
        journal_entry_free(&rev);
    }
    journal_entries_free(je, n_je);
    if (rc == 0)
        rc = credits_uses_return(lg, appointment, e);
    for (size_t i = 0; rc == 0 && i < n_invs; i++)
        rc = credits_withdraw_for_invoice(eng, invs[i], today, e);
    free(src);
    free(invs);
    return rc;
}

/* ================================================================ reports */

/* A history line with the keys it sorts by. */
struct hist {
    struct credit_history h;
    int order;        /* grants before appointments on the same day */
    int64_t seq, sub; /* grant id, or appointment order and use id */
};

static int hist_cmp(const void *pa, const void *pb)
{
    const struct hist *a = pa, *b = pb;
    if (a->h.date != b->h.date)
        return a->h.date < b->h.date ? -1 : 1;
    if (a->order != b->order)
        return a->order - b->order;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return a->sub < b->sub ? -1 : a->sub > b->sub;
}

static void hist_add(struct hist **h, size_t *n, cdate date, char *what,
                     char *note, int64_t credits, int64_t grant, int64_t rate,
                     int order, int64_t seq, int64_t sub)
{
    *h = xrealloc(*h, (*n + 1) * sizeof **h);
    (*h)[(*n)++] = (struct hist){
        .h = {date, what, credits, grant, rate, note},
        .order = order,
        .seq = seq,
        .sub = sub,
    };
}

/* The grants, uses and invoiced appointments of account in package, by
 * date, into row. */
static int history(struct engine *eng, const char *account,
                   const char *package, struct credit_report_row *row,
                   struct err *e)
{
    struct ledger *lg = eng->lg;
    struct hist *h = NULL;
    size_t n = 0;
    char day[11];

    struct credit_grant_history *g;
    size_t ng;
    if (credits_history_grants(lg, account, package, &g, &ng, e) != 0)
        return -1;
    for (size_t i = 0; i < ng; i++) {
        struct sbuf note = {0};
        sb_printf(&note, "consumed %lld, withdrawn %lld, left %lld",
                  (long long)g[i].used, (long long)g[i].withdrawn,
                  (long long)(g[i].credits - g[i].withdrawn - g[i].used));
        int64_t spent = credit_plan_credited_consumed(
            g[i].credits, g[i].withdrawn, g[i].total_cents,
            g[i].credited_cents);
        if (g[i].invoice && spent > 0)
            sb_printf(&note, "; %lld credited but already consumed",
                      (long long)spent);
        hist_add(&h, &n, g[i].granted_on,
                 g[i].invoice ? xasprintf("invoice %s", g[i].invoice)
                              : xstrdup("import"),
                 sb_steal(&note), g[i].credits, g[i].id, g[i].rate_cents, 0,
                 g[i].id, 0);
    }
    credit_grant_histories_free(g, ng);

    struct credit_use_history *u;
    size_t nu;
    if (credits_history_uses(lg, account, package, &u, &nu, e) != 0)
        goto fail;
    for (size_t i = 0; i < nu; i++) {
        char *note = xasprintf("%s on %s%s", u[i].type, date_fmt(u[i].at, day),
                               u[i].returned ? ", cancelled: returned" : "");
        hist_add(&h, &n, u[i].created,
                 xasprintf("appointment %s", u[i].appointment), note,
                 -u[i].credits, u[i].grant, u[i].rate_cents, 1,
                 u[i].appointment_seq, u[i].id);
    }
    credit_use_histories_free(u, nu);

    /* Appointments of a type using this package that credits did not pay
     * for: the short-credit invoices. */
    struct credit_invoiced_appointment *a;
    size_t na;
    if (credits_invoiced_appointments(lg, account, &a, &na, e) != 0)
        goto fail;
    for (size_t i = 0; i < na; i++) {
        const struct appointment_type *t =
            rules_appointment_type(eng->r, a[i].type);
        if (!t || !t->package || strcmp(t->package->d.id, package))
            continue;
        char *note = xasprintf("%s on %s, not enough credits: invoice %s%s",
                               a[i].type, date_fmt(a[i].at, day), a[i].invoice,
                               a[i].status == APPOINTMENT_CANCELLED
                                   ? ", cancelled" : "");
        hist_add(&h, &n, a[i].created, xasprintf("appointment %s", a[i].id),
                 note, 0, 0, 0, 1, a[i].seq, 0);
    }
    credit_invoiced_appointments_free(a, na);

    qsort(h, n, sizeof *h, hist_cmp);
    row->history = xmalloc((n ? n : 1) * sizeof *row->history);
    for (size_t i = 0; i < n; i++)
        row->history[i] = h[i].h;
    row->n_history = n;
    free(h);
    return 0;

fail:
    for (size_t i = 0; i < n; i++) {
        free(h[i].h.what);
        free(h[i].h.note);
    }
    free(h);
    return -1;
}

void credit_report_free(struct credit_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct credit_report_row *row = &r->rows[i];
        free(row->t.account);
        free(row->t.package);
        for (size_t j = 0; j < row->n_history; j++) {
            free(row->history[j].what);
            free(row->history[j].note);
        }
        free(row->history);
    }
    free(r->rows);
    memset(r, 0, sizeof *r);
}

int credits_report(struct engine *eng, const char *account,
                   struct credit_report *out, struct err *e)
{
    struct credit_totals *t;
    size_t n;
    memset(out, 0, sizeof *out);
    if (credits_totals(eng->lg, account, &t, &n, e) != 0)
        return -1;
    out->rows = xcalloc(n ? n : 1, sizeof *out->rows);
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        out->rows[i].t = t[i];
        out->rows[i].pkg = rules_package(eng->r, t[i].package);
    }
    free(t); /* the strings moved into the rows */
    for (size_t i = 0; account && i < n; i++)
        if (history(eng, account, out->rows[i].t.package, &out->rows[i],
                    e) != 0) {
            credit_report_free(out);
            return -1;
        }
    return 0;
}
