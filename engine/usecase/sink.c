/*
 * sink.c — the run's record (sink.h): appending events and freeing them.
 */
#include "usecase/sink.h"

#include <stdio.h>
#include <stdlib.h>

/* ================================================================ events */

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static struct run_event *sink_add(struct run_sink *s, enum run_event_kind k,
                                  cdate date, const char *account)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    struct run_event *ev = &s->v[s->n++];
    *ev = (struct run_event){.kind = k, .date = date,
                             .account = dup_or_null(account),
                             .period_start = CDATE_NONE,
                             .period_end = CDATE_NONE,
                             .issued = CDATE_NONE, .due = CDATE_NONE};
    return ev;
}

void run_sink_invoice(struct run_sink *s, cdate date, const struct invoice *inv,
                      int64_t subscription, cdate start, cdate end)
{
    if (!s)
        return;
    struct run_event *ev = sink_add(s, RUN_INVOICE, date, inv->to.id);
    ev->invoice = dup_or_null(inv->number);
    ev->invoice_id = inv->id;
    ev->kind_name = invoice_kind_name(inv->kind);
    ev->subscription = subscription;
    ev->period_start = start;
    ev->period_end = end;
    ev->issued = inv->issued;
    ev->due = inv->due;
    ev->total_cents = inv->total_cents;
    ev->vat_cents = inv->vat_cents;
    ev->n_lines = inv->n_lines;
    ev->lines = xcalloc(inv->n_lines + 1, sizeof *ev->lines);
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        ev->lines[i] = (struct run_line){dup_or_null(l->description), l->qty100,
                                         l->unit_cents, l->amount_cents,
                                         dup_or_null(l->vat_id), l->vat_bp};
    }
}

void run_sink_message(struct run_sink *s, cdate date, const char *event,
                      const char *template_id, const char *account,
                      int64_t invoice, const char *to_addr,
                      const char *send_at, const char *status, int step)
{
    if (!s)
        return;
    const char *number = NULL;
    for (size_t i = s->n; i-- > 0 && invoice;)
        if ((s->v[i].kind == RUN_INVOICE || s->v[i].kind == RUN_REMINDER) &&
            s->v[i].invoice_id == invoice) {
            number = s->v[i].invoice;
            break;
        }
    char *num = number ? xstrdup(number)
                : invoice ? xasprintf("#%lld", (long long)invoice) : NULL;
    struct run_event *ev = sink_add(s, RUN_MESSAGE, date, account);
    ev->invoice = num;
    ev->invoice_id = invoice;
    ev->event = dup_or_null(event);
    ev->template_id = dup_or_null(template_id);
    ev->to_addr = dup_or_null(to_addr);
    ev->send_at = dup_or_null(send_at);
    ev->status = dup_or_null(status);
    ev->step = step;
}

void run_sink_reminder(struct run_sink *s, cdate date, int64_t invoice_id,
                       const char *invoice, const char *account, int step,
                       const char *template_id, const char *reason)
{
    if (!s)
        return;
    struct run_event *ev = sink_add(s, RUN_REMINDER, date, account);
    ev->invoice = dup_or_null(invoice);
    ev->invoice_id = invoice_id;
    ev->step = step;
    ev->template_id = dup_or_null(template_id);
    ev->reason = dup_or_null(reason);
    ev->status = xstrdup(reason ? "cancelled" : "queued");
}

void run_sink_credit(struct run_sink *s, enum run_event_kind kind, cdate date,
                     const char *account, const char *package,
                     int64_t credits, const char *invoice)
{
    if (!s)
        return;
    struct run_event *ev = sink_add(s, kind, date, account);
    ev->package = dup_or_null(package);
    ev->credits = credits;
    ev->invoice = dup_or_null(invoice);
}

void run_sink_not_billed(struct run_sink *s, cdate date, const char *account,
                         int64_t subscription, cdate start, cdate end,
                         const char *reason)
{
    if (!s)
        return;
    struct run_event *ev = sink_add(s, RUN_NOT_BILLED, date, account);
    ev->subscription = subscription;
    ev->period_start = start;
    ev->period_end = end;
    ev->reason = dup_or_null(reason);
}

void run_sink_balance(struct run_sink *s, cdate date, const char *account,
                      const char *invoice, int64_t cents)
{
    if (!s)
        return;
    struct run_event *ev = sink_add(s, RUN_BALANCE_APPLIED, date, account);
    ev->invoice = dup_or_null(invoice);
    ev->amount_cents = cents;
}

void run_sink_free(struct run_sink *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct run_event *ev = &s->v[i];
        for (size_t j = 0; j < ev->n_lines; j++) {
            free(ev->lines[j].description);
            free(ev->lines[j].vat_id);
        }
        free(ev->lines);
        free(ev->invoice);
        free(ev->account);
        free(ev->event);
        free(ev->template_id);
        free(ev->to_addr);
        free(ev->send_at);
        free(ev->status);
        free(ev->reason);
        free(ev->package);
    }
    free(s->v);
    *s = (struct run_sink){0};
}

const char *run_event_name(enum run_event_kind k)
{
    switch (k) {
    case RUN_INVOICE:
        return "invoice";
    case RUN_MESSAGE:
        return "message";
    case RUN_REMINDER:
        return "reminder";
    case RUN_CREDIT_GRANT:
        return "credit_grant";
    case RUN_CREDIT_USE:
        return "credit_use";
    case RUN_CREDIT_WITHDRAWN:
        return "credit_withdrawn";
    case RUN_NOT_BILLED:
        return "not_billed";
    case RUN_BALANCE_APPLIED:
        return "balance_applied";
    }
    return "?";
}
