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
#include "usecase/events.h"
#include "usecase/issue.h"
#include "usecase/outbox.h"
#include "usecase/subscription.h"

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

/* A due subscription as read from the ledger (strings owned here). */
struct due_sub {
    int64_t id;
    char *account, *type, *name, *email, *locale;
    cdate start, end_on, next_period;
    int direct_debit, has_pauses;
    int64_t quantity;
};

static void due_free(struct due_sub *d)
{
    free(d->account), free(d->type), free(d->name), free(d->email);
    free(d->locale);
}

/* ================================================================ billing */

static struct type_ctx *type_of(struct run *run, const char *id)
{
    for (size_t i = 0; i < run->n_types; i++)
        if (!strcmp(run->types[i].t->d.id, id))
            return &run->types[i];
    return NULL;
}

static int load_pauses(struct ledger *lg, int64_t sub, struct pause_span **out,
                       size_t *n)
{
    static const char *const sql =
        "SELECT from_date, until FROM pauses WHERE subscription = ?1 "
        "ORDER BY from_date";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    *n = 0;
    while (ledger_step(st) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[*n].from = col_date(st, 0);
        (*out)[*n].until = col_date(st, 1);
        (*n)++;
    }
    ledger_reset(st);
    return 0;
}

static int period_billed(struct ledger *lg, int64_t sub, cdate start)
{
    static const char *const sql =
        "SELECT 1 FROM invoice_lines WHERE subscription = ?1 AND "
        "period_start = ?2 AND credits_line IS NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, sub);
    bind_date(st, 2, start);
    int found = ledger_step(st) == LEDGER_ROW;
    ledger_reset(st);
    return found;
}

static int first_direct_debit(struct ledger *lg, const char *account)
{
    static const char *const sql =
        "SELECT 1 FROM invoices WHERE account = ?1 AND direct_debit = 1 "
        "LIMIT 1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int found = ledger_step(st) == LEDGER_ROW;
    ledger_reset(st);
    return !found;
}

static int bill_period(struct run *run, const struct due_sub *s,
                       const struct type_ctx *tc,
                       const struct period_decision *d, struct err *e)
{
    const struct rules *r = run->r;
    const struct subscription_type *t = tc->t;
    const struct practice *p = &r->practice;
    struct invoice inv;
    char ps[24], first[11], a[32];
    struct party to = {.id = s->account, .name = s->name, .email = s->email};
    invoice_draft(&inv, p, INV_SUBSCRIPTION, &to, s->locale, run->as_of,
                  s->direct_debit);

    int64_t qty100, unit;
    if (d->amount_cents == d->unit_cents * s->quantity) {
        qty100 = s->quantity * 100;
        unit = d->unit_cents;
    } else {
        qty100 = 100;
        unit = d->amount_cents;
    }
    char *desc = xasprintf("%s %s", t->d.name, period_fmt(d->p, ps));
    struct invoice_line *l = invoice_add_line(&inv, desc, qty100, unit,
                                              t->vat->d.id, t->vat->bp,
                                              t->vat->exempt,
                                              t->vat->exempt_text);
    free(desc);
    l->source = xstrdup("subscription");
    l->subscription = s->id;
    l->period_start = d->p.start;
    l->period_end = d->p.end;
    l->ref = xstrdup(t->d.id);
    l->why = xasprintf("subscription %lld (%s) period %s: %s; price %s in "
                       "force on %s; %d of %d days active, %d paused",
                       (long long)s->id, t->d.id, period_fmt(d->p, ps), d->rule,
                       money_fmt(d->unit_cents, a),
                       date_fmt(d->p.start, first), d->active_days,
                       d->period_days, d->paused_days);
    int first_dd = s->direct_debit && first_direct_debit(run->lg, s->account);
    int rc = issue_invoice(run->eng, &inv, run->rep->run, e);
    if (rc == 0)
        rc = events_invoice_issued(run->eng, &inv, t->d.name, first_dd, e);
    if (rc == 0) {
        run->rep->invoices++;
        run->rep->lines += (int64_t)inv.n_lines;
        run->rep->total_cents += inv.total_cents;
        if (run->log) {
            char tot[32], day[11];
            fprintf(run->log, "invoice %s %s account %s subscription %lld "
                              "period %s total %s\n", inv.number,
                    date_fmt(inv.issued, day), s->account, (long long)s->id,
                    period_fmt(d->p, ps), money_fmt(inv.total_cents, tot));
        }
    }
    invoice_free(&inv);
    return rc;
}

/* Bill every period of s that came due; returns the new cursor. */
static int advance_sub(struct run *run, struct due_sub *s, struct err *e)
{
    static const char *const upd =
        "UPDATE subscriptions SET next_period = ?2, next_due = ?3 "
        "WHERE id = ?1";
    struct type_ctx *tc = type_of(run, s->type);
    if (!tc)
        return err_set(e, "subscription %lld has type '%s', which the rule "
                          "files no longer define", (long long)s->id, s->type);
    struct pause_span *pauses = NULL;
    size_t n_pauses = 0;
    if (s->has_pauses)
        load_pauses(run->lg, s->id, &pauses, &n_pauses);
    struct sub_view v = {s->id, s->account, s->name, s->type, s->start,
                         s->end_on, s->direct_debit, s->quantity, pauses,
                         n_pauses};
    const struct subscription_type *t = tc->t;
    cdate next = s->next_period, due = CDATE_NONE;
    int rc = 0;
    while (next != CDATE_NONE) {
        struct period p = period_containing(t->period, t->alignment, s->start,
                                            next);
        due = billing_invoice_date(&run->r->practice, &v, p);
        if (due > run->as_of)
            break;
        struct period_decision d;
        rc = billing_decide(&run->r->practice, t, &tc->th, run->hooks, &v, p,
                            price_list_on(&tc->prices, p.start), run->as_of,
                            &d, e);
        if (rc != 0)
            break;
        if (d.finished) {
            next = due = CDATE_NONE;
            break;
        }
        if (d.bill && !(n_pauses && period_billed(run->lg, s->id, p.start)))
            rc = bill_period(run, s, tc, &d, e);
        else
            run->rep->skipped_periods++;
        if (rc != 0)
            break;
        next = p.end + 1;
        if (s->end_on != CDATE_NONE && next > s->end_on)
            next = due = CDATE_NONE;
    }
    free(pauses);
    if (rc != 0)
        return -1;
    struct ledger_stmt *st = ledger_stmt(run->lg, upd);
    bind_int(st, 1, s->id);
    bind_date(st, 2, next);
    bind_date(st, 3, next == CDATE_NONE ? CDATE_NONE : due);
    return ledger_done(run->lg, st, NULL, e);
}

static int bill_subscriptions(struct run *run, struct err *e)
{
    static const char *const sql =
        "SELECT s.id, s.account, s.type, s.start, s.end_on, s.direct_debit, "
        "s.quantity, s.next_period, a.name, a.email, a.locale, "
        "EXISTS(SELECT 1 FROM pauses p WHERE p.subscription = s.id) "
        "FROM subscriptions s JOIN accounts a ON a.id = s.account "
        "WHERE s.next_due IS NOT NULL AND s.next_due <= ?1 "
        "ORDER BY s.next_due, s.id LIMIT 512";
    struct due_sub batch[BATCH];
    for (;;) {
        size_t n = 0;
        struct ledger_stmt *st = ledger_stmt(run->lg, sql);
        bind_date(st, 1, run->as_of);
        while (n < BATCH && ledger_step(st) == LEDGER_ROW) {
            struct due_sub *s = &batch[n++];
            s->id = col_int(st, 0);
            s->account = col_text(st, 1);
            s->type = col_text(st, 2);
            s->start = col_date(st, 3);
            s->end_on = col_date(st, 4);
            s->direct_debit = (int)col_int(st, 5);
            s->quantity = col_int(st, 6);
            s->next_period = col_date(st, 7);
            s->name = col_text(st, 8);
            s->email = col_text(st, 9);
            s->locale = col_text(st, 10);
            s->has_pauses = (int)col_int(st, 11);
        }
        ledger_reset(st);
        int rc = 0;
        for (size_t i = 0; i < n; i++) {
            if (rc == 0)
                rc = advance_sub(run, &batch[i], e);
            due_free(&batch[i]);
        }
        if (rc != 0)
            return -1;
        if (n < BATCH)
            return 0;
    }
}

/* ================================================================ reminders */

static int promote_reminders(struct run *run, struct err *e)
{
    static const char *const sql =
        "SELECT o.id, o.invoice, o.step, a.reminders FROM outbox o "
        "JOIN accounts a ON a.id = o.account WHERE o.status = 'scheduled' "
        "AND o.send_at <= ?1 ORDER BY o.send_at, o.id LIMIT 256";
    char until[17];
    outbox_time(run->as_of, 23, until);
    for (;;) {
        struct {
            int64_t id, invoice;
            int step, reminders;
        } batch[256];
        size_t n = 0;
        struct ledger_stmt *st = ledger_stmt(run->lg, sql);
        bind_text(st, 1, until);
        while (n < 256 && ledger_step(st) == LEDGER_ROW) {
            batch[n].id = col_int(st, 0);
            batch[n].invoice = col_int(st, 1);
            batch[n].step = (int)col_int(st, 2);
            batch[n].reminders = (int)col_int(st, 3);
            n++;
        }
        ledger_reset(st);
        for (size_t i = 0; i < n; i++) {
            int fired = 0;
            if (events_fire_reminder(run->eng, batch[i].id,
                                     batch[i].invoice, batch[i].step,
                                     batch[i].reminders, run->as_of, &fired,
                                     e) != 0)
                return -1;
            run->rep->reminders += fired;
        }
        if (n < 256)
            return 0;
    }
}

/* ================================================================ the run */

static int count_queued(struct ledger *lg, int64_t *n)
{
    static const char *const sql =
        "SELECT COUNT(*) FROM outbox WHERE status = 'queued'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    ledger_step(st);
    *n = col_int(st, 0);
    ledger_reset(st);
    return 0;
}

/* The latest issue date in the ledger (numbers follow dates). */
static cdate last_issue_date(struct ledger *lg)
{
    static const char *const sql = "SELECT MAX(issued) FROM invoices";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    cdate d = ledger_step(st) == LEDGER_ROW ? col_date(st, 0) : CDATE_NONE;
    ledger_reset(st);
    return d;
}

int tick_run(struct engine *eng, int dry_run, FILE *log,
             struct tick_report *rep, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const ins_run =
        "INSERT INTO runs(as_of, started_at, rules_hash) "
        "VALUES (?1, datetime('now'), ?2)";
    static const char *const fin_run =
        "UPDATE runs SET invoices = ?2, messages = ?3 WHERE id = ?1";
    cdate as_of = eng->today;
    struct run run = {eng, lg, r, eng->hooks, as_of, log, rep, NULL, 0};
    int64_t queued_before = 0, queued_after = 0;
    memset(rep, 0, sizeof *rep);
    if (ledger_begin(lg, e) != 0)
        return -1;
    cdate last = last_issue_date(lg);
    if (last != CDATE_NONE && last > as_of) {
        char a[11], b[11];
        ledger_rollback(lg);
        return err_set(e, "invoices were already issued on %s; a run for %s "
                          "would number invoices out of date order",
                       date_fmt(last, a), date_fmt(as_of, b));
    }
    run.n_types = r->n_subscription_types;
    run.types = xcalloc(run.n_types + 1, sizeof *run.types);
    int rc = 0;
    for (size_t i = 0; i < run.n_types && rc == 0; i++) {
        run.types[i].t = &r->subscription_types[i];
        run.types[i].th = *engine_type_hooks(eng, run.types[i].t);
        rc = price_list_load(lg, run.types[i].t, &run.types[i].prices, e);
    }
    struct ledger_stmt *st = ledger_stmt(lg, ins_run);
    bind_date(st, 1, as_of);
    bind_text(st, 2, r->hash);
    if (rc == 0)
        rc = ledger_done(lg, st, NULL, e);
    rep->run = ledger_last_id(lg);
    if (rc == 0)
        rc = count_queued(lg, &queued_before);
    if (rc == 0)
        rc = bill_subscriptions(&run, e);
    if (rc == 0)
        rc = promote_reminders(&run, e);
    if (rc == 0)
        rc = count_queued(lg, &queued_after);
    rep->messages = queued_after - queued_before;
    if (rc == 0) {
        st = ledger_stmt(lg, fin_run);
        bind_int(st, 1, rep->run);
        bind_int(st, 2, rep->invoices);
        bind_int(st, 3, rep->messages);
        rc = ledger_done(lg, st, NULL, e);
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
