/*
 * tick.c — the daily run. Subscriptions due on or before the run date are
 * read cohort by cohort: the billing cursors that came due, earliest date
 * first, from the index on next_due (so a day with nothing due costs one
 * index probe), and each cursor's members in batches. Each period is
 * decided by billing.c and written by issue.c. A cohort's members mostly
 * end on one new cursor: those are not written one by one, the cohort's
 * cursors row moves once; a member that ends elsewhere (a stop, a
 * rewound pause, the end of billing, a longer period) is pointed at the
 * row of its own value. Then
 * reminders that came due are rendered and queued. All of it is one
 * transaction.
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
    int64_t mails_later; /* e-mails left to be made (no outbox row yet) */
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
    run->mails_later += inv->mail != NULL;
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

/* Bill every period of ds that came due; *next_out and *due_out receive
 * its cursor after them (NONE: nothing left to bill), always past the
 * run date. */
static int advance_sub(struct run *run, const struct due_subscription *ds,
                       cdate *next_out, cdate *due_out, struct err *e)
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
    *next_out = next;
    *due_out = next == CDATE_NONE ? CDATE_NONE : due;
    return 0;
}

/* A member billed before its cohort's target was chosen, and its cursor. */
struct pending {
    int64_t id;
    cdate next, due;
};

/* A cohort being billed: its cursor, the batch of its members read and
 * not yet billed, and the cursor its members take: the target, chosen as
 * the cursor most of the first BATCH members billed end on (members of
 * one cursor but of different period lengths part there), so that the
 * cohort's row follows most of them and the others are written. */
struct cohort {
    struct due_cursor c;
    struct due_subscription *batch;
    size_t n, at, cap;
    int64_t last;        /* id of the last member read */
    int more;            /* reading again may find members */
    struct pending *pend; /* billed while no target is chosen */
    size_t n_pend, cap_pend;
    int has_target;
    cdate target_period, target_due;
    int64_t stayed;      /* members on the target, not written */
};

/* Read cohort k's next batch. With one cohort due it reads BATCH at a
 * time; with several, each starts small and doubles up to BATCH, so many
 * small cohorts due on one date do not each hold a full batch. */
static int cohort_read(struct run *run, struct cohort *k, size_t start,
                       struct err *e)
{
    k->cap = k->cap ? (k->cap * 2 > BATCH ? BATCH : k->cap * 2) : start;
    k->batch = xrealloc(k->batch, k->cap * sizeof *k->batch);
    k->at = 0;
    if (cursor_members(run->lg, &k->c, k->last, k->batch, k->cap, &k->n,
                       e) != 0)
        return -1;
    k->more = k->n == k->cap;
    if (k->n)
        k->last = k->batch[k->n - 1].s.id;
    return 0;
}

/* Choose cohort k's target: the cursor most of its pending members end
 * on (the first one on a tie); those stay, the others are written. */
static int cohort_choose(struct run *run, struct cohort *k, struct err *e)
{
    size_t best = 0, best_n = 0;
    for (size_t i = 0; i < k->n_pend; i++) {
        size_t same = 0, seen = 0;
        for (size_t j = 0; j < k->n_pend && !seen; j++) {
            if (k->pend[j].next != k->pend[i].next ||
                k->pend[j].due != k->pend[i].due)
                continue;
            seen = j < i; /* counted already */
            same++;
        }
        if (!seen && same > best_n)
            best = i, best_n = same;
    }
    k->has_target = 1;
    k->target_period = k->pend[best].next;
    k->target_due = k->pend[best].due;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < k->n_pend; i++) {
        const struct pending *p = &k->pend[i];
        if (p->next == k->target_period && p->due == k->target_due)
            k->stayed++;
        else
            rc = subscriptions_move(run->lg, p->id, p->next, p->due, e);
    }
    k->n_pend = 0;
    return rc;
}

/* Bill member ds of cohort k and note where its cursor goes. */
static int bill_member(struct run *run, struct cohort *k,
                       const struct due_subscription *ds, struct err *e)
{
    cdate next = CDATE_NONE, due = CDATE_NONE;
    if (advance_sub(run, ds, &next, &due, e) != 0)
        return -1;
    if (next != CDATE_NONE && due <= run->as_of)
        return err_set(e, "subscription %lld: its cursor did not move past "
                          "the run date", (long long)ds->s.id);
    if (next == CDATE_NONE)
        return subscriptions_move(run->lg, ds->s.id, next, due, e);
    if (k->has_target) {
        if (next == k->target_period && due == k->target_due) {
            k->stayed++;
            return 0;
        }
        return subscriptions_move(run->lg, ds->s.id, next, due, e);
    }
    if (k->n_pend == k->cap_pend) {
        k->cap_pend = k->cap_pend ? 2 * k->cap_pend : 16;
        k->pend = xrealloc(k->pend, k->cap_pend * sizeof *k->pend);
    }
    k->pend[k->n_pend++] = (struct pending){ds->s.id, next, due};
    return k->n_pend == BATCH ? cohort_choose(run, k, e) : 0;
}

/* Bill the members of the n cohorts due on one date, merged by id (the
 * order invoices are numbered in, as subscription by subscription in
 * (next_due, id) order), then settle each cohort's cursors row. A new
 * cursor is past the run date, so no member is met twice. */
static int bill_date(struct run *run, const struct due_cursor *cs, size_t n,
                     int64_t *done, struct err *e)
{
    struct cohort *ks = xcalloc(n, sizeof *ks);
    size_t start = n == 1 ? BATCH : 16;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        ks[i].c = cs[i];
        rc = cohort_read(run, &ks[i], start, e);
    }
    while (rc == 0) {
        struct cohort *k = NULL;
        for (size_t i = 0; i < n; i++)
            if (ks[i].at < ks[i].n &&
                (!k || ks[i].batch[ks[i].at].s.id < k->batch[k->at].s.id))
                k = &ks[i];
        if (!k)
            break;
        struct due_subscription *ds = &k->batch[k->at++];
        rc = bill_member(run, k, ds, e);
        due_subscription_free(ds);
        if (rc == 0 && ++*done % BATCH == 0 && run->eng->progress)
            run->eng->progress(run->eng->progress_arg, "subscriptions", *done);
        if (rc == 0 && k->at == k->n && k->more)
            rc = cohort_read(run, k, start, e);
    }
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && ks[i].n_pend)
            rc = cohort_choose(run, &ks[i], e);
        if (rc == 0)
            rc = cursors_settle(run->lg, ks[i].c.id, ks[i].stayed,
                                ks[i].target_period, ks[i].target_due, e);
        free(ks[i].pend);
        for (size_t j = ks[i].at; j < ks[i].n; j++)
            due_subscription_free(&ks[i].batch[j]);
        free(ks[i].batch);
    }
    free(ks);
    return rc;
}

static int bill_subscriptions(struct run *run, struct err *e)
{
    int64_t done = 0;
    for (;;) {
        struct due_cursor *cs;
        size_t n;
        if (cursors_due(run->lg, run->as_of, &cs, &n, e) != 0)
            return -1;
        int rc = n ? bill_date(run, cs, n, &done, e) : 0;
        free(cs);
        if (rc != 0)
            return -1;
        if (n == 0) {
            if (run->eng->progress && done % BATCH)
                run->eng->progress(run->eng->progress_arg, "subscriptions",
                                   done);
            return 0;
        }
    }
}

/* ================================================================ the run */


int tick_run(struct engine *eng, int dry_run, FILE *log,
             struct tick_report *rep, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    cdate as_of = eng->today;
    struct run run = {eng, lg, r, eng->hooks, as_of, log, rep, NULL, 0, 0};
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
    rep->messages = queued_after - queued_before + run.mails_later;
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
