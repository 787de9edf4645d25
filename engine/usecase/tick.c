/*
 * tick.c — the daily run. Subscriptions due on or before the run date are
 * read in batches from the index on next_due (so a day with nothing due
 * costs one index probe), each period is decided by billing.c and written
 * by issue.c, and the cursor moves on. Then reminders that came due are
 * rendered and queued. All of it is one transaction.
 */
#include "usecase/tick.h"

#include <stdlib.h>
#include <string.h>

#include "decide/billing.h"
#include "decide/numbering.h"
#include "store/invoices.h"
#include "store/outbox.h"
#include "store/runs.h"
#include "store/subscriptions.h"
#include "usecase/events.h"
#include "usecase/issue.h"
#include "usecase/mediation.h"
#include "usecase/payment.h"
#include "usecase/plans.h"
#include "usecase/prices.h"
#include "usecase/subscription.h"
#include "usecase/sink.h"

#define BATCH 512

struct type_ctx {
    const struct subscription_type *t;
    struct price_list prices;
    struct type_hooks th;
};

struct run {
    struct engine *eng;
    struct ledger *lg;
    const struct rules *r;
    struct hooks *hooks;
    cdate as_of;
    FILE *log;
    struct tick_report *rep;
    struct type_ctx *types;
    size_t n_types;
};

/* ================================================================ billing */

static struct type_ctx *type_of(struct run *run, const char *id)
{
    for (size_t i = 0; i < run->n_types; i++)
        if (!strcmp(run->types[i].t->d.id, id))
            return &run->types[i];
    return NULL;
}

/* Issue the draft of one billed period and queue what follows from it. */
static int issue_period(struct run *run, const struct due_subscription *ds,
                        const struct subscription_type *t,
                        const struct period_decision *d, struct invoice *inv,
                        struct err *e)
{
    int any_dd = 0;
    if (ds->s.direct_debit &&
        invoices_any_direct_debit(run->lg, ds->s.account, &any_dd, e) != 0)
        return -1;
    int first_dd = ds->s.direct_debit && !any_dd;
    /* Its e-mail, when it can, is made when the outbox is next used. */
    inv->mail = events_mail_later(run->eng, inv, t->d.name, first_dd);
    int rc = issue_invoice(run->eng, inv, run->rep->run, e);
    if (rc == 0)
        run_sink_invoice(run->eng->sink, run->as_of, inv, ds->s.id, d->p.start,
                         d->p.end);
    if (rc == 0)
        rc = events_invoice_issued(run->eng, inv, t->d.name, first_dd, e);
    if (rc != 0)
        return -1;
    run->rep->invoices++;
    run->rep->lines += (int64_t)inv->n_lines;
    run->rep->total_cents += inv->total_cents;
    if (run->log) {
        char tot[32], day[11], ps[24];
        fprintf(run->log, "invoice %s %s account %s subscription %lld "
                          "period %s total %s\n", inv->number,
                date_fmt(inv->issued, day), ds->s.account, (long long)ds->s.id,
                period_fmt(d->p, ps), money_fmt(inv->total_cents, tot));
    }
    return 0;
}

/* Bill every period of ds that came due and move its cursor on. */
static int advance_sub(struct run *run, const struct due_subscription *ds,
                       struct err *e)
{
    const struct subscription_row *s = &ds->s;
    const struct practice *pr = &run->r->practice;
    struct type_ctx *tc = type_of(run, s->type);
    if (!tc)
        return err_set(e, "subscription %lld has type '%s', which the rule "
                          "files no longer define", (long long)s->id, s->type);
    struct pause_span *pauses = NULL;
    size_t n_pauses = 0;
    if (ds->has_pauses && pauses_of(run->lg, s->id, &pauses, &n_pauses, e) != 0)
        return -1;
    struct sub_view v = {s->id, s->account, ds->name, s->type, s->start,
                         s->end_on, s->direct_debit, s->quantity, pauses,
                         n_pauses};
    const struct subscription_type *t = tc->t;
    struct billable b = {BILLABLE_SUBSCRIPTION, t, &v};
    struct party to = {.id = s->account, .name = ds->name, .email = ds->email};
    cdate next = s->next_period, due = CDATE_NONE;
    int rc = 0;
    while (next != CDATE_NONE) {
        struct period p = period_containing(t->period, t->alignment, s->start,
                                            next);
        due = billing_invoice_date(pr, &v, p);
        if (due > run->as_of)
            break;
        struct billing_state st = {price_list_on(&tc->prices, p.start),
                                   &tc->th, run->hooks, run->as_of};
        struct period_decision d;
        struct invoice inv;
        invoice_draft(&inv, pr, INV_SUBSCRIPTION, &to, ds->locale, run->as_of,
                      s->direct_debit);
        rc = billing_lines(pr, &b, p, &st, &d, &inv, e);
        if (rc == 0 && d.finished) {
            invoice_free(&inv);
            next = due = CDATE_NONE;
            break;
        }
        /* A rewound cursor (pauses) may walk a period billed before. */
        int billed = 0;
        if (rc == 0 && inv.n_lines && n_pauses)
            rc = invoices_period_billed(run->lg, s->id, p.start, &billed, e);
        if (rc == 0 && inv.n_lines && !billed)
            rc = issue_period(run, ds, t, &d, &inv, e);
        else if (rc == 0) {
            run->rep->skipped_periods++;
            run_sink_not_billed(run->eng->sink, run->as_of, s->account, s->id,
                                p.start, p.end,
                                billed ? "billed before" : d.rule);
        }
        invoice_free(&inv);
        if (rc != 0)
            break;
        next = p.end + 1;
        if (s->end_on != CDATE_NONE && next > s->end_on)
            next = due = CDATE_NONE;
    }
    free(pauses);
    if (rc != 0)
        return -1;
    return subscriptions_set_cursor(run->lg, s->id, next,
                                    next == CDATE_NONE ? CDATE_NONE : due, e);
}

static int bill_subscriptions(struct run *run, struct err *e)
{
    struct due_subscription batch[BATCH];
    int64_t done = 0;
    for (;;) {
        size_t n;
        if (subscriptions_due(run->lg, run->as_of, batch, BATCH, &n, e) != 0)
            return -1;
        int rc = 0;
        for (size_t i = 0; i < n; i++) {
            if (rc == 0)
                rc = advance_sub(run, &batch[i], e);
            due_subscription_free(&batch[i]);
        }
        if (rc != 0)
            return -1;
        done += (int64_t)n;
        if (run->eng->progress && n)
            run->eng->progress(run->eng->progress_arg, "subscriptions", done);
        if (n < BATCH)
            return 0;
    }
}

/* ================================================================ the run */


int tick_run(struct engine *eng, int dry_run, FILE *log,
             struct tick_report *rep, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    cdate as_of = eng->today;
    struct run run = {eng, lg, r, eng->hooks, as_of, log, rep, NULL, 0};
    int64_t queued_before = 0, queued_after = 0;
    memset(rep, 0, sizeof *rep);
    if (ledger_begin(lg, e) != 0)
        return -1;
    cdate last;
    if (invoices_last_issued(lg, &last, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    if (!numbering_date_ok(last, as_of)) {
        char a[11], b[11];
        ledger_rollback(lg);
        return err_set(e, "invoices were already issued on %s; a run for %s "
                          "would number invoices out of date order",
                       date_fmt(last, a), date_fmt(as_of, b));
    }
    char **missing;
    size_t n_missing;
    if (subscription_missing_definitions(eng, 0, &missing, &n_missing, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    if (n_missing) {
        err_set(e, "%s%s", missing[0],
                n_missing > 1 ? " (and more: run carebill check)" : "");
        for (size_t i = 0; i < n_missing; i++)
            free(missing[i]);
        free(missing);
        ledger_rollback(lg);
        return -1;
    }
    run.n_types = r->n_subscription_types;
    run.types = xcalloc(run.n_types + 1, sizeof *run.types);
    int rc = 0;
    for (size_t i = 0; i < run.n_types && rc == 0; i++) {
        run.types[i].t = &r->subscription_types[i];
        run.types[i].th = *engine_type_hooks(eng, run.types[i].t);
        rc = price_list_load(lg, run.types[i].t, &run.types[i].prices, e);
    }
    if (rc == 0)
        rc = runs_insert(lg, as_of, r->hash, &rep->run, e);
    if (rc == 0)
        rc = outbox_count_queued(lg, &queued_before, e);
    if (rc == 0)
        rc = bill_subscriptions(&run, e);
    if (rc == 0) /* placements' hours, commission, hours e-mails */
        rc = mediation_tick(eng, rep->run, log, &rep->invoices,
                            &rep->total_cents, e);
    if (rc == 0) /* seat plans: one invoice per organisation and period */
        rc = plans_tick(eng, log, &(struct plans_tally){rep->run,
                        &rep->invoices, &rep->lines, &rep->skipped_periods,
                        &rep->total_cents}, e);
    if (rc == 0) /* credit balances settle what was just issued */
        rc = payment_apply_balances(eng, as_of, NULL, e);
    if (rc == 0)
        rc = events_fire_due_reminders(eng, as_of, &rep->reminders, e);
    if (rc == 0)
        rc = outbox_count_queued(lg, &queued_after, e);
    rep->messages = queued_after - queued_before;
    if (rc == 0) {
        rc = runs_finish(lg, rep->run, rep->invoices, rep->messages, e);
    }
    for (size_t i = 0; i < run.n_types; i++)
        price_list_free(&run.types[i].prices);
    free(run.types);
    if (rc != 0 || dry_run) {
        ledger_rollback(lg);
        return rc;
    }
    return ledger_commit(lg, e);
}
