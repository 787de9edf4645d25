/*
 * events.c — the consequences of an invoice's changes: e-mails queued,
 * reminders scheduled or stopped, credits granted or withdrawn.
 */
#include "usecase/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usecase/credits.h"
#include "rules/hooks.h"
#include "usecase/issue.h"
#include "usecase/outbox.h"

const struct reminder_schedule *events_reminder_schedule(const struct rules *r)
{
    for (size_t i = 0; i < r->n_reminder_schedules; i++)
        if (r->reminder_schedules[i].d.active)
            return &r->reminder_schedules[i];
    return NULL;
}

cdate events_step_due(const struct reminder_step *st, const struct invoice *inv,
                      int *hours)
{
    cdate base = st->from == FROM_DUE_DATE ? inv->due : inv->issued;
    *hours = 0;
    switch (st->unit) {
    case UNIT_HOURS:
        *hours = st->n % 24;
        return base + st->n / 24;
    case UNIT_DAYS:
        return base + st->n;
    case UNIT_MONTHS:
        return date_add_months(base, st->n);
    }
    return base;
}

/* Ask the reminder_at hook when step i is due; CDATE_NONE drops it. The
 * hook sees the true run date, whenever the step is scheduled. */
static int hook_reminder_at(struct engine *eng, const struct invoice *inv,
                            size_t i, cdate *d, struct err *e)
{
    char issued[11], due[11], at[11], run[11];
    struct hook_kv kv[] = {
        HKV_S("invoice.number", inv->number),
        HKV_S("invoice.issued", date_fmt(inv->issued, issued)),
        HKV_S("invoice.due", date_fmt(inv->due, due)),
        HKV_I("invoice.open_cents", inv->total_cents - inv->paid_cents),
        HKV_I("step", (int64_t)i + 1),
        HKV_S("due_at", date_fmt(*d, at)),
        HKV_S("run_date", date_fmt(eng->today, run)),
        HKV_S("account.id", inv->to.id),
    };
    if (hooks_call_date(eng->hooks, &eng->reminder_at, kv, sizeof kv / sizeof *kv, d, e) !=
        HOOK_OK)
        return err_append(e, " (evaluating invoice %s, reminder step %zu)",
                          inv->number, i + 1);
    return 0;
}

/* A direct-debit invoice gets reminders only once the bank took the
 * collection back: until then the collection is how it is paid. */
static int collection_reversed(struct ledger *lg, int64_t invoice)
{
    static const char *const sql =
        "SELECT 1 FROM collections WHERE invoice = ?1 AND reversed = 1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    return ledger_has_row(st);
}

int events_schedule_reminder(struct engine *eng,
                             const struct invoice *inv, size_t from_step,
                             struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct reminder_schedule *s = events_reminder_schedule(r);
    if (!s || inv->kind == INV_CREDIT || inv->total_cents <= 0 ||
        (inv->direct_debit && !collection_reversed(lg, inv->id)))
        return 0;
    for (size_t i = from_step; i < s->n_steps; i++) {
        const struct reminder_step *st = &s->steps[i];
        if (!st->active)
            continue;
        int hours;
        cdate d = events_step_due(st, inv, &hours);
        if (eng->hooks && eng->reminder_at.ref >= 0) {
            if (hook_reminder_at(eng, inv, i, &d, e) != 0)
                return -1;
            if (d == CDATE_NONE)
                continue; /* the hook dropped this step */
        }
        char key[32], at[17];
        snprintf(key, sizeof key, "invoice:%lld", (long long)inv->id);
        return outbox_queue(lg, EV_PAYMENT_REMINDER, key, (int)i + 1, inv->id,
                            inv->to.id, inv->to.email, inv->to.name,
                            st->template, NULL, 0, outbox_time(d, hours, at),
                            "scheduled", NULL, e);
    }
    return 0;
}

static int queue_invoice_mail(struct engine *eng,
                              const struct invoice *inv, enum event ev,
                              cdate when, const char *sub_name,
                              const char *extra_name, const char *extra_value,
                              struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct template_def *t = rules_template(r, ev, inv->locale);
    if (!t)
        return 0;
    struct outbox_vars ov = {0};
    outbox_vars_invoice(&ov, r, inv, sub_name);
    if (extra_name)
        outbox_vars_add(&ov, extra_name, extra_value);
    char key[32], at[17];
    snprintf(key, sizeof key, "invoice:%lld", (long long)inv->id);
    int rc = outbox_queue(lg, ev, key, 0, inv->id, inv->to.id, inv->to.email,
                          inv->to.name, t, ov.v, ov.n,
                          outbox_time(when, t->delay_hours, at), "queued",
                          NULL, e);
    outbox_vars_free(&ov);
    return rc;
}

int events_invoice_issued(struct engine *eng,
                          const struct invoice *inv, const char *sub_name,
                          int first_dd, struct err *e)
{
    const struct rules *r = eng->r;
    enum event ev;
    switch (inv->kind) {
    case INV_SUBSCRIPTION:
    case INV_SEATS:
        ev = !inv->direct_debit ? EV_SUBSCRIPTION_INVOICE
             : first_dd         ? EV_SUBSCRIPTION_INVOICE_DD_FIRST
                                : EV_SUBSCRIPTION_INVOICE_DD;
        /* Without a template for a mandate's first collection, the
         * ordinary direct-debit template serves. */
        if (ev == EV_SUBSCRIPTION_INVOICE_DD_FIRST &&
            !rules_template(r, ev, inv->locale))
            ev = EV_SUBSCRIPTION_INVOICE_DD;
        break;
    case INV_SELFBILL:
        ev = r->practice.privacy_mode ? EV_INVOICE_READY : EV_SELFBILL_INVOICE;
        break;
    case INV_COMMISSION:
        ev = EV_COMMISSION_INVOICE;
        break;
    case INV_CREDIT:
        return 0; /* events_credit_note, once it is applied */
    default:
        ev = EV_PRODUCT_INVOICE;
        break;
    }
    if (queue_invoice_mail(eng, inv, ev, inv->issued, sub_name, NULL, NULL,
                           e) != 0)
        return -1;
    return events_schedule_reminder(eng, inv, 0, e);
}

int events_invoice_settled(struct engine *eng,
                           int64_t invoice, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice inv;
    if (invoice_load_id(lg, invoice, &inv, e) != 0)
        return -1;
    int rc = outbox_cancel_for_invoice(lg, invoice, EV_PAYMENT_REMINDER, e);
    if (rc == 0)
        rc = credits_grant_for_invoice(eng, &inv, on, e);
    if (rc == 0 && inv.kind != INV_CREDIT) {
        char day[11];
        rc = queue_invoice_mail(eng, &inv, EV_INVOICE_PAID, on, NULL,
                                "payment.date",
                                date_fmt_locale(on, inv.locale, day), e);
    }
    invoice_free(&inv);
    return rc;
}

int events_invoice_withdrawn(struct engine *eng,
                             int64_t invoice, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    if (outbox_cancel_for_invoice(lg, invoice, EV_PAYMENT_REMINDER, e) != 0)
        return -1;
    return credits_withdraw_for_invoice(eng, invoice, on, e);
}

int events_credit_note(struct engine *eng, int64_t orig,
                       int64_t credit, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice inv;
    if (invoice_load_id(lg, credit, &inv, e) != 0)
        return -1;
    int rc = queue_invoice_mail(eng, &inv, EV_CREDIT_NOTE, on, NULL, NULL,
                                NULL, e);
    /* A credit note on a paid invoice settles nothing on it, so the
     * credits it pays back are withdrawn here, not by a status change. */
    if (rc == 0)
        rc = credits_withdraw_for_invoice(eng, orig, on, e);
    invoice_free(&inv);
    return rc;
}

int events_invoice_reopened(struct engine *eng,
                            int64_t invoice, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const sql =
        "UPDATE outbox SET status = 'scheduled', send_at = ?2 WHERE "
        "invoice = ?1 AND event = 'payment_reminder' AND status = "
        "'cancelled' AND id = (SELECT MIN(id) FROM outbox WHERE invoice = ?1 "
        "AND event = 'payment_reminder' AND status = 'cancelled')";
    struct invoice inv;
    if (invoice_load_id(lg, invoice, &inv, e) != 0)
        return -1;
    /* Reminders start again: a cancelled step comes back (due at once),
     * or the first step is scheduled when none had been. */
    char at[17];
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    bind_text(st, 2, outbox_time(on, 0, at));
    int rc = ledger_done(lg, st, NULL, e);
    if (rc == 0 && ledger_changes(lg) == 0)
        rc = events_schedule_reminder(eng, &inv, 0, e);
    invoice_free(&inv);
    return rc;
}

int events_fire_reminder(struct engine *eng, int64_t id,
                         int64_t invoice, int step, int reminders_ok,
                         cdate as_of, int *fired, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const cancel_sql =
        "UPDATE outbox SET status = 'cancelled', last_reply = ?2 WHERE id = ?1";
    static const char *const queue_sql =
        "UPDATE outbox SET status = 'queued', subject = ?2, body = ?3 "
        "WHERE id = ?1";
    const struct reminder_schedule *s = events_reminder_schedule(r);
    struct invoice inv;
    *fired = 0;
    if (invoice_load_id(lg, invoice, &inv, e) != 0)
        return -1;
    const char *why = NULL;
    if (inv.status != ST_OPEN)
        why = "invoice no longer open";
    else if (!reminders_ok)
        why = "account opted out of reminders";
    else if (!s || step < 1 || (size_t)step > s->n_steps ||
             !s->steps[step - 1].active)
        why = "reminder step no longer in the schedule";
    struct ledger_stmt *st;
    int rc;
    if (why) {
        st = ledger_stmt(lg, cancel_sql);
        bind_int(st, 1, id);
        bind_text(st, 2, why);
        rc = ledger_done(lg, st, NULL, e);
        invoice_free(&inv);
        return rc;
    }
    const struct template_def *t = s->steps[step - 1].template;
    struct outbox_vars ov = {0};
    char stepbuf[16], overdue[16];
    snprintf(stepbuf, sizeof stepbuf, "%d", step);
    snprintf(overdue, sizeof overdue, "%d",
             as_of > inv.due ? (int)(as_of - inv.due) : 0);
    outbox_vars_invoice(&ov, r, &inv, NULL);
    outbox_vars_add(&ov, "reminder.step", stepbuf);
    outbox_vars_add(&ov, "reminder.days_overdue", overdue);
    char *subject = template_render(t->subject, ov.v, ov.n);
    char *body = template_render(t->body, ov.v, ov.n);
    st = ledger_stmt(lg, queue_sql);
    bind_int(st, 1, id);
    bind_text(st, 2, subject);
    bind_text(st, 3, body);
    rc = ledger_done(lg, st, NULL, e);
    free(subject);
    free(body);
    outbox_vars_free(&ov);
    if (rc == 0) {
        *fired = 1;
        rc = events_schedule_reminder(eng, &inv, (size_t)step, e);
    }
    invoice_free(&inv);
    return rc;
}
