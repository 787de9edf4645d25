/*
 * outbox.c — queueing messages in the ledger, the placeholder values of
 * invoice events, cancelling a message by hand and the outbox report.
 * Delivery (outbox send) lives in deliver.c.
 */
#include "usecase/outbox.h"

#include <stdio.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "usecase/sink.h"

char *outbox_time(cdate d, int hours, char buf[17])
{
    char day[11];
    d += hours / 24;
    snprintf(buf, 17, "%s %02d:00", date_fmt(d, day), hours % 24);
    return buf;
}

int outbox_queue(struct engine *eng, enum event ev, const char *key,
                 int step, int64_t invoice, const char *account,
                 const char *to_addr, const char *to_name,
                 const struct template_def *t, const struct tvar *vars,
                 size_t n, const char *send_at, enum outbox_status status,
                 int *queued, struct err *e)
{
    char *subject = NULL, *body = NULL;
    if (status != OUTBOX_SCHEDULED) {
        subject = template_render(t->subject, vars, n);
        body = template_render(t->body, vars, n);
    }
    struct outbox_row m = {ev,      key,     step,    invoice,
                           account, t->d.id, to_addr, to_name,
                           subject, body,    t->attach_pdf, status,
                           send_at, t->attach_ubl};
    int added = 0;
    int rc = outbox_insert(eng->lg, &m, &added, e);
    if (queued)
        *queued = added;
    if (rc == 0 && added)
        run_sink_message(eng->sink, eng->today, event_name(ev), t->d.id,
                         account, invoice, to_addr, send_at,
                         outbox_status_name(status), step);
    free(subject);
    free(body);
    return rc;
}

static const char *keep(struct outbox_vars *ov, char *s)
{
    if (ov->n_store < sizeof ov->store / sizeof *ov->store)
        ov->store[ov->n_store++] = s;
    return s;
}

void outbox_vars_add(struct outbox_vars *ov, const char *name, const char *value)
{
    for (size_t i = 0; i < ov->n; i++)
        if (!strcmp(ov->v[i].name, name)) {
            ov->v[i].value = value;
            return;
        }
    if (ov->n < sizeof ov->v / sizeof *ov->v) {
        ov->v[ov->n].name = name;
        ov->v[ov->n].value = value;
        ov->n++;
    }
}

/* Append a value known not to be set yet. */
static void vars_append(struct outbox_vars *ov, const char *name,
                        const char *value)
{
    if (ov->n < sizeof ov->v / sizeof *ov->v) {
        ov->v[ov->n].name = name;
        ov->v[ov->n].value = value;
        ov->n++;
    }
}

void outbox_vars_free(struct outbox_vars *ov)
{
    for (size_t i = 0; i < ov->n_store; i++)
        free(ov->store[i]);
    ov->n = ov->n_store = 0;
}

static const char *money(struct outbox_vars *ov, int64_t c, const char *loc)
{
    char buf[48];
    return keep(ov, xstrdup(money_fmt_locale(c, loc, buf)));
}

static const char *day(struct outbox_vars *ov, cdate d, const char *loc)
{
    char buf[11];
    return keep(ov, xstrdup(date_fmt_locale(d, loc, buf)));
}

/* The values outbox_vars_invoice formats, by index into `used`. */
enum {
    FV_DATE, FV_DUE, FV_COLLECTION, FV_TOTAL, FV_SUBTOTAL, FV_VAT, FV_OPEN,
    FV_PAID, FV_PERIOD_START, FV_PERIOD_END, FV_PERIOD, FV_SUB_ID,
    FV_ADDRESS, FV_N
};
static const char *const formatted_names[FV_N] = {
    "invoice.date", "invoice.due_date", "invoice.collection_date",
    "invoice.total", "invoice.subtotal", "invoice.vat", "invoice.open",
    "invoice.paid", "period.start", "period.end", "invoice.period",
    "subscription.id", "practice.address",
};

/* Fill ov; used[FV_x] 0 leaves value x out (formatting is most of the
 * cost of an invoice's values). */
static void vars_invoice(struct outbox_vars *ov, const struct rules *r,
                         const struct invoice *inv, const char *sub_name,
                         const unsigned char used[FV_N])
{
    const struct practice *p = &r->practice;
    const char *loc = inv->locale ? inv->locale : p->locale;
    assert(ov->n == 0); /* every name below is set once: append */
    vars_append(ov, "account.name", inv->to.name);
    vars_append(ov, "account.id", inv->to.id);
    vars_append(ov, "account.email", inv->to.email);
    vars_append(ov, "invoice.number", inv->number);
    if (used[FV_DATE])
        vars_append(ov, "invoice.date", day(ov, inv->issued, loc));
    if (used[FV_DUE])
        vars_append(ov, "invoice.due_date", day(ov, inv->due, loc));
    if (used[FV_COLLECTION])
        vars_append(ov, "invoice.collection_date", day(ov, inv->due, loc));
    if (used[FV_TOTAL])
        vars_append(ov, "invoice.total", money(ov, inv->total_cents, loc));
    if (used[FV_SUBTOTAL])
        vars_append(ov, "invoice.subtotal", money(ov, inv->net_cents, loc));
    if (used[FV_VAT])
        vars_append(ov, "invoice.vat", money(ov, inv->vat_cents, loc));
    if (used[FV_OPEN])
        vars_append(ov, "invoice.open",
                    money(ov, inv->total_cents - inv->paid_cents, loc));
    if (used[FV_PAID])
        vars_append(ov, "invoice.paid", money(ov, inv->paid_cents, loc));
    vars_append(ov, "invoice.payment_reference", inv->payment_reference);
    vars_append(ov, "invoice.original_number", inv->credit_of);
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        if (l->period_start == CDATE_NONE)
            continue;
        if (used[FV_PERIOD_START] || used[FV_PERIOD_END] || used[FV_PERIOD]) {
            const char *a = day(ov, l->period_start, loc);
            const char *b = day(ov, l->period_end, loc);
            vars_append(ov, "period.start", a);
            vars_append(ov, "period.end", b);
            if (used[FV_PERIOD])
                vars_append(ov, "invoice.period",
                            keep(ov, xasprintf("%s - %s", a, b)));
        }
        if (l->subscription && used[FV_SUB_ID])
            vars_append(ov, "subscription.id",
                        keep(ov, xasprintf("%lld", (long long)l->subscription)));
        break;
    }
    vars_append(ov, "subscription.name", sub_name);
    vars_append(ov, "practice.name", p->name);
    vars_append(ov, "practice.email", p->email ? p->email : p->mail_from);
    vars_append(ov, "practice.phone", p->phone);
    vars_append(ov, "practice.iban", p->iban);
    vars_append(ov, "practice.bic", p->bic);
    vars_append(ov, "practice.kvk", p->kvk);
    vars_append(ov, "practice.vat_number", p->vat_number);
    vars_append(ov, "practice.creditor_id", p->creditor_id);
    if (p->address && used[FV_ADDRESS]) {
        char *one = xstrdup(p->address);
        for (char *c = one; *c; c++)
            if (*c == '\n')
                *c = ',';
        vars_append(ov, "practice.address", keep(ov, one));
    }
}

void outbox_vars_invoice(struct outbox_vars *ov, const struct rules *r,
                         const struct invoice *inv, const char *sub_name)
{
    unsigned char all[FV_N];
    memset(all, 1, sizeof all);
    vars_invoice(ov, r, inv, sub_name, all);
}

void outbox_vars_invoice_for(struct outbox_vars *ov, const struct rules *r,
                             const struct invoice *inv, const char *sub_name,
                             const struct template_def *t)
{
    unsigned char used[FV_N] = {0};
    template_names_used(t->subject, formatted_names, FV_N, used);
    template_names_used(t->body, formatted_names, FV_N, used);
    vars_invoice(ov, r, inv, sub_name, used);
}

int outbox_cancel_message(struct engine *eng, int64_t id, struct err *e)
{
    enum outbox_status s;
    if (outbox_status(eng->lg, id, &s, e) != 0)
        return -1;
    if (s != OUTBOX_SCHEDULED && s != OUTBOX_QUEUED && s != OUTBOX_FAILED)
        return err_set(e, "message %lld is %s; only scheduled, queued or "
                          "failed messages can be cancelled", (long long)id,
                       outbox_status_name(s));
    return outbox_cancel(eng->lg, id, NULL, e);
}

int report_outbox(struct engine *eng, const char *account,
                  struct outbox_entry **out, size_t *n, struct err *e)
{
    return outbox_list(eng->lg, account, out, n, e);
}

void report_outbox_free(struct outbox_entry *v, size_t n)
{
    outbox_list_free(v, n);
}

const char *outbox_report_status(enum outbox_status s)
{
    return outbox_status_name(s);
}
