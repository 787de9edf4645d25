/*
 * events.c — the consequences of an invoice's changes: e-mails queued
 * (usecase/outbox.h), reminders scheduled, fired or stopped
 * (decide/reminder.h, store/outbox.h), credits granted or withdrawn
 * (usecase/credits.h). Invoices are read through store/invoices.h.
 */
#include "usecase/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/reminder.h"
#include "rules/hooks.h"
#include "store/invoices.h"
#include "store/outbox.h"
#include "usecase/credits.h"
#include "usecase/outbox.h"

/* ================================================================ reminders */

/* Ask the reminder_at hook when step i is due; *d comes in as the step's
 * own day and goes out as the hook's answer (CDATE_NONE drops it). The
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


int events_schedule_reminder(struct engine *eng,
                             const struct invoice *inv, size_t from_step,
                             struct err *e)
{
    const struct reminder_schedule *s = reminder_active_schedule(eng->r);
    if (!s)
        return 0;
    int reversed = 0;
    if (inv->direct_debit && inv->kind != INV_CREDIT && inv->total_cents > 0 &&
        invoices_collection_reversed(eng->lg, inv->id, &reversed, e) != 0)
        return -1;
    if (!reminder_applies(inv->kind, inv->total_cents, inv->direct_debit,
                          reversed))
        return 0;
    int hooked = eng->hooks && eng->reminder_at.ref >= 0;
    for (size_t i = reminder_next_step(s, from_step); i < s->n_steps;
         i = reminder_next_step(s, i + 1)) {
        const struct reminder_step *st = &s->steps[i];
        int hours;
        cdate answer = reminder_step_due(st, inv->issued, inv->due, &hours);
        if (hooked && hook_reminder_at(eng, inv, i, &answer, e) != 0)
            return -1;
        cdate day;
        if (!reminder_step_day(st, inv->issued, inv->due, hooked, answer, &day,
                               &hours))
            continue; /* the hook dropped this step */
        char key[32], at[17];
        return outbox_queue(eng, EV_PAYMENT_REMINDER,
                            outbox_invoice_key(inv->id, key),
                            (int)i + 1, inv->id, inv->to.id, inv->to.email,
                            inv->to.name, st->template, NULL, 0,
                            outbox_time(day, hours, at), OUTBOX_SCHEDULED,
                            NULL, e);
    }
    return 0;
}

int events_fire_reminder(struct engine *eng, int64_t id,
                         int64_t invoice, int step, int reminders_ok,
                         cdate as_of, int *fired, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct reminder_schedule *s = reminder_active_schedule(r);
    struct invoice inv;
    *fired = 0;
    if (invoices_load_id(lg, invoice, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
    const char *why = reminder_cancel_reason(s, step, inv.status,
                                             reminders_ok);
    if (why) {
        run_sink_reminder(eng->sink, as_of, inv.id, inv.number, inv.to.id,
                          step, NULL, why);
        int rc = outbox_cancel(lg, id, why, e);
        invoice_free(&inv);
        return rc;
    }
    const struct template_def *t = s->steps[step - 1].template;
    struct outbox_vars ov = {0};
    char stepbuf[16], overdue[16];
    snprintf(stepbuf, sizeof stepbuf, "%d", step);
    snprintf(overdue, sizeof overdue, "%d",
             reminder_days_overdue(inv.due, as_of));
    outbox_vars_invoice(&ov, r, &inv, NULL);
    outbox_vars_add(&ov, "reminder.step", stepbuf);
    outbox_vars_add(&ov, "reminder.days_overdue", overdue);
    char *subject = template_render(t->subject, ov.v, ov.n);
    char *body = template_render(t->body, ov.v, ov.n);
    int rc = outbox_set_queued(lg, id, subject, body, e);
    free(subject);
    free(body);
    outbox_vars_free(&ov);
    if (rc == 0) {
        *fired = 1;
        run_sink_reminder(eng->sink, as_of, inv.id, inv.number, inv.to.id,
                          step, t->d.id, NULL);
        rc = events_schedule_reminder(eng, &inv, (size_t)step, e);
    }
    invoice_free(&inv);
    return rc;
}

int events_fire_due_reminders(struct engine *eng, cdate as_of,
                              int64_t *fired, struct err *e)
{
    enum { BATCH = 256 };
    char until[17];
    outbox_time(as_of, 23, until);
    for (;;) {
        struct outbox_reminder batch[BATCH];
        size_t n = 0;
        if (outbox_due_reminders(eng->lg, until, batch, BATCH, &n, e) != 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            int one = 0;
            if (events_fire_reminder(eng, batch[i].id, batch[i].invoice,
                                     batch[i].step, batch[i].reminders_ok,
                                     as_of, &one, e) != 0)
                return -1;
            *fired += one;
        }
        if (n < BATCH)
            return 0;
    }
}

/* ================================================================ e-mails */

/* Queue the e-mail of event ev about inv, rendered now. */
static int queue_invoice_mail(struct engine *eng,
                              const struct invoice *inv, enum event ev,
                              cdate when, const char *sub_name,
                              const char *extra_name, const char *extra_value,
                              struct err *e)
{
    const struct rules *r = eng->r;
    const struct template_def *t = rules_template(r, ev, inv->locale);
    if (!t)
        return 0;
    struct outbox_vars ov = {0};
    outbox_vars_invoice_for(&ov, r, inv, sub_name, t);
    if (extra_name)
        outbox_vars_add(&ov, extra_name, extra_value);
    char key[32], at[17];
    int rc = outbox_queue(eng, ev, outbox_invoice_key(inv->id, key), 0, inv->id,
                          inv->to.id, inv->to.email, inv->to.name, t, ov.v,
                          ov.n, outbox_time(when, t->delay_hours, at),
                          OUTBOX_QUEUED, NULL, e);
    outbox_vars_free(&ov);
    return rc;
}

/* The event of issued invoice inv's e-mail; 0 when it has none (a credit
 * note's goes out once it is applied: events_credit_note). */
static int issued_event(const struct rules *r, const struct invoice *inv,
                        int first_dd, enum event *ev)
{
    switch (inv->kind) {
    case INV_SUBSCRIPTION:
    case INV_SEATS:
        *ev = !inv->direct_debit ? EV_SUBSCRIPTION_INVOICE
              : first_dd         ? EV_SUBSCRIPTION_INVOICE_DD_FIRST
                                 : EV_SUBSCRIPTION_INVOICE_DD;
        /* Without a template for a mandate's first collection, the
         * ordinary direct-debit template serves. */
        if (*ev == EV_SUBSCRIPTION_INVOICE_DD_FIRST &&
            !rules_template(r, *ev, inv->locale))
            *ev = EV_SUBSCRIPTION_INVOICE_DD;
        return 1;
    case INV_SELFBILL:
        *ev = r->practice.privacy_mode ? EV_INVOICE_READY : EV_SELFBILL_INVOICE;
        return 1;
    case INV_COMMISSION:
        *ev = EV_COMMISSION_INVOICE;
        return 1;
    case INV_CREDIT:
        return 0;
    default:
        *ev = EV_PRODUCT_INVOICE;
        return 1;
    }
}

const char *events_mail_later(struct engine *eng, const struct invoice *inv,
                              const char *sub_name, int first_dd)
{
    enum event ev;
    if (!issued_event(eng->r, inv, first_dd, &ev))
        return NULL;
    const struct template_def *t = rules_template(eng->r, ev, inv->locale);
    return t && outbox_can_defer(eng, inv, sub_name) ? t->d.id : NULL;
}

/* Queue the e-mail of issued invoice inv: left to be made later when its
 * INSERT named the template (events_mail_later), else queued without its
 * text, rendered when it is sent by the rule set inv was issued under
 * (the daily run issues thousands; rendering them is most of its work). */
static int queue_issued_mail(struct engine *eng, const struct invoice *inv,
                             enum event ev, const char *sub_name,
                             struct err *e)
{
    const struct template_def *t = rules_template(eng->r, ev, inv->locale);
    if (!t)
        return 0;
    char key[32], at[17];
    outbox_time(inv->issued, t->delay_hours, at);
    if (inv->mail)
        return outbox_defer(eng, ev, inv, at, e);
    return outbox_queue_deferred(eng, ev, outbox_invoice_key(inv->id, key),
                                 inv, t, sub_name, at, e);
}

/* ================================================================ events */

int events_invoice_issued(struct engine *eng,
                          const struct invoice *inv, const char *sub_name,
                          int first_dd, struct err *e)
{
    enum event ev;
    if (!issued_event(eng->r, inv, first_dd, &ev))
        return 0; /* events_credit_note, once it is applied */
    if (queue_issued_mail(eng, inv, ev, sub_name, e) != 0)
        return -1;
    return events_schedule_reminder(eng, inv, 0, e);
}

int events_invoice_settled(struct engine *eng,
                           int64_t invoice, cdate on, struct err *e)
{
    struct invoice inv;
    if (invoices_load_id(eng->lg, invoice, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
    int rc = outbox_cancel_for_invoice(eng->lg, invoice, EV_PAYMENT_REMINDER,
                                       e);
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
    if (outbox_cancel_for_invoice(eng->lg, invoice, EV_PAYMENT_REMINDER,
                                  e) != 0)
        return -1;
    return credits_withdraw_for_invoice(eng, invoice, on, e);
}

int events_credit_note(struct engine *eng, int64_t orig,
                       int64_t credit, cdate on, struct err *e)
{
    struct invoice inv;
    if (invoices_load_id(eng->lg, credit, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
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
    struct invoice inv;
    if (invoices_load_id(eng->lg, invoice, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
    /* Reminders start again: a cancelled step comes back (due at once),
     * or the first step is scheduled when none had been. */
    char at[17];
    int changed = 0;
    int rc = outbox_reschedule_reminder(eng->lg, invoice,
                                        outbox_time(on, 0, at), &changed, e);
    if (rc == 0 && !changed)
        rc = events_schedule_reminder(eng, &inv, 0, e);
    invoice_free(&inv);
    return rc;
}
