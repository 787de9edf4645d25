/*
 * outbox.c — queueing messages in the ledger and the placeholder values of
 * invoice events. Delivery (outbox send) lives in deliver.c.
 */
#include "usecase/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *outbox_time(cdate d, int hours, char buf[17])
{
    char day[11];
    d += hours / 24;
    snprintf(buf, 17, "%s %02d:00", date_fmt(d, day), hours % 24);
    return buf;
}

int outbox_queue(struct ledger *lg, enum event ev, const char *key, int step,
                 int64_t invoice, const char *account, const char *to_addr,
                 const char *to_name, const struct template_def *t,
                 const struct tvar *vars, size_t n, const char *send_at,
                 const char *status, int *queued, struct err *e)
{
    static const char *const sql =
        "INSERT INTO outbox(event, key, step, invoice, account, template, "
        "to_addr, to_name, subject, body, attach_pdf, status, send_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
        "ON CONFLICT(event, key, step) DO NOTHING";
    char *subject = NULL, *body = NULL;
    if (strcmp(status, "scheduled") != 0) {
        subject = template_render(t->subject, vars, n);
        body = template_render(t->body, vars, n);
    }
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, event_name(ev));
    bind_text(st, 2, key);
    bind_int(st, 3, step);
    if (invoice)
        bind_int(st, 4, invoice);
    bind_text(st, 5, account);
    bind_text(st, 6, t->d.id);
    bind_text(st, 7, to_addr);
    bind_text(st, 8, to_name);
    bind_text(st, 9, subject);
    bind_text(st, 10, body);
    bind_int(st, 11, t->attach_pdf);
    bind_text(st, 12, status);
    bind_text(st, 13, send_at);
    int rc = ledger_done(lg, st, NULL, e);
    if (queued)
        *queued = rc == 0 && ledger_changes(lg) > 0;
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

void outbox_vars_invoice(struct outbox_vars *ov, const struct rules *r,
                         const struct invoice *inv, const char *sub_name)
{
    const struct practice *p = &r->practice;
    const char *loc = inv->locale ? inv->locale : p->locale;
    outbox_vars_add(ov, "account.name", inv->to.name);
    outbox_vars_add(ov, "account.id", inv->to.id);
    outbox_vars_add(ov, "account.email", inv->to.email);
    outbox_vars_add(ov, "invoice.number", inv->number);
    outbox_vars_add(ov, "invoice.date", day(ov, inv->issued, loc));
    outbox_vars_add(ov, "invoice.due_date", day(ov, inv->due, loc));
    outbox_vars_add(ov, "invoice.collection_date", day(ov, inv->due, loc));
    outbox_vars_add(ov, "invoice.total", money(ov, inv->total_cents, loc));
    outbox_vars_add(ov, "invoice.subtotal", money(ov, inv->net_cents, loc));
    outbox_vars_add(ov, "invoice.vat", money(ov, inv->vat_cents, loc));
    outbox_vars_add(ov, "invoice.open",
                    money(ov, inv->total_cents - inv->paid_cents, loc));
    outbox_vars_add(ov, "invoice.paid", money(ov, inv->paid_cents, loc));
    outbox_vars_add(ov, "invoice.payment_reference", inv->payment_reference);
    outbox_vars_add(ov, "invoice.original_number", inv->credit_of);
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        if (l->period_start == CDATE_NONE)
            continue;
        const char *a = day(ov, l->period_start, loc);
        const char *b = day(ov, l->period_end, loc);
        outbox_vars_add(ov, "period.start", a);
        outbox_vars_add(ov, "period.end", b);
        outbox_vars_add(ov, "invoice.period",
                        keep(ov, xasprintf("%s - %s", a, b)));
        if (l->subscription)
            outbox_vars_add(ov, "subscription.id",
                            keep(ov, xasprintf("%lld", (long long)l->subscription)));
        break;
    }
    outbox_vars_add(ov, "subscription.name", sub_name);
    outbox_vars_add(ov, "practice.name", p->name);
    outbox_vars_add(ov, "practice.email", p->email ? p->email : p->mail_from);
    outbox_vars_add(ov, "practice.iban", p->iban);
    outbox_vars_add(ov, "practice.bic", p->bic);
    outbox_vars_add(ov, "practice.kvk", p->kvk);
    outbox_vars_add(ov, "practice.vat_number", p->vat_number);
    outbox_vars_add(ov, "practice.creditor_id", p->creditor_id);
    if (p->address) {
        char *one = xstrdup(p->address);
        for (char *c = one; *c; c++)
            if (*c == '\n')
                *c = ',';
        outbox_vars_add(ov, "practice.address", keep(ov, one));
    }
}

int outbox_cancel_for_invoice(struct ledger *lg, int64_t invoice, int ev,
                              struct err *e)
{
    static const char *const all =
        "UPDATE outbox SET status = 'cancelled' WHERE invoice = ?1 AND "
        "status IN ('scheduled', 'queued')";
    static const char *const one =
        "UPDATE outbox SET status = 'cancelled' WHERE invoice = ?1 AND "
        "event = ?2 AND status IN ('scheduled', 'queued')";
    struct ledger_stmt *st = ledger_stmt(lg, ev < 0 ? all : one);
    bind_int(st, 1, invoice);
    if (ev >= 0)
        bind_text(st, 2, event_name((enum event)ev));
    return ledger_done(lg, st, NULL, e);
}

int outbox_cancel(struct ledger *lg, int64_t id, struct err *e)
{
    static const char *const get =
        "SELECT status FROM outbox WHERE id = ?1";
    static const char *const upd =
        "UPDATE outbox SET status = 'cancelled' WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, get);
    bind_int(st, 1, id);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no message %lld in the outbox", (long long)id);
    }
    char status[16];
    snprintf(status, sizeof status, "%s", col_ctext(st, 0));
    ledger_reset(st);
    if (strcmp(status, "scheduled") && strcmp(status, "queued") &&
        strcmp(status, "failed"))
        return err_set(e, "message %lld is %s; only scheduled, queued or "
                          "failed messages can be cancelled", (long long)id,
                       status);
    st = ledger_stmt(lg, upd);
    bind_int(st, 1, id);
    return ledger_done(lg, st, NULL, e);
}
