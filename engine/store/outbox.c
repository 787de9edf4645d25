/*
 * outbox.c — SQL of the outbox table on the queueing side.
 */
#include "store/outbox.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"scheduled", "queued", "sending",
                                           "sent",      "failed", "cancelled"};

const char *outbox_status_name(enum outbox_status s)
{
    return (unsigned)s < sizeof status_names / sizeof *status_names
               ? status_names[s]
               : "?";
}

static enum outbox_status status_from_name(const char *s)
{
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
        if (s && !strcmp(status_names[i], s))
            return (enum outbox_status)i;
    return OUTBOX_CANCELLED;
}

/* ================================================================ queueing */

int outbox_insert(struct ledger *lg, const struct outbox_row *m, int *added,
                  struct err *e)
{
    static const char *const sql =
        "INSERT INTO outbox(event, key, step, invoice, account, template, "
        "to_addr, to_name, subject, body, attach_pdf, status, send_at, "
        "attach_ubl, sub_name, paid_cents) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16) ON CONFLICT(event, key, step) DO NOTHING";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, event_name(m->event));
    bind_text(st, 2, m->key);
    bind_int(st, 3, m->step);
    if (m->invoice)
        bind_int(st, 4, m->invoice);
    bind_text(st, 5, m->account);
    bind_text(st, 6, m->template_id);
    bind_text(st, 7, m->to_addr);
    bind_text(st, 8, m->to_name);
    bind_text(st, 9, m->subject);
    bind_text(st, 10, m->body);
    bind_int(st, 11, m->attach_pdf);
    bind_text(st, 12, outbox_status_name(m->status));
    bind_text(st, 13, m->send_at);
    bind_int(st, 14, m->attach_ubl);
    if (m->deferred) {
        bind_text(st, 15, m->sub_name);
        bind_int(st, 16, m->paid_cents);
    }
    int rc = ledger_done(lg, st, NULL, e);
    if (added)
        *added = rc == 0 && ledger_changes(lg) > 0;
    return rc;
}

/* ================================================================ cancelling */

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

int outbox_status(struct ledger *lg, int64_t id, enum outbox_status *s,
                  struct err *e)
{
    static const char *const sql = "SELECT status FROM outbox WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        err_set(e, "no message %lld in the outbox", (long long)id);
        return 1;
    }
    *s = status_from_name(col_ctext(st, 0));
    ledger_reset(st);
    return 0;
}

int outbox_cancel(struct ledger *lg, int64_t id, const char *why,
                  struct err *e)
{
    static const char *const plain =
        "UPDATE outbox SET status = 'cancelled' WHERE id = ?1";
    static const char *const with_reply =
        "UPDATE outbox SET status = 'cancelled', last_reply = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, why ? with_reply : plain);
    bind_int(st, 1, id);
    if (why)
        bind_text(st, 2, why);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ reminders */

int outbox_reschedule_reminder(struct ledger *lg, int64_t invoice,
                               const char *send_at, int *changed,
                               struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'scheduled', send_at = ?2 WHERE "
        "invoice = ?1 AND event = 'payment_reminder' AND status = "
        "'cancelled' AND id = (SELECT MIN(id) FROM outbox WHERE invoice = ?1 "
        "AND event = 'payment_reminder' AND status = 'cancelled')";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    bind_text(st, 2, send_at);
    int rc = ledger_done(lg, st, NULL, e);
    *changed = rc == 0 && ledger_changes(lg) > 0;
    return rc;
}

int outbox_set_queued(struct ledger *lg, int64_t id, const char *subject,
                      const char *body, struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'queued', subject = ?2, body = ?3 "
        "WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_text(st, 2, subject);
    bind_text(st, 3, body);
    return ledger_done(lg, st, NULL, e);
}

int outbox_due_reminders(struct ledger *lg, const char *until,
                         struct outbox_reminder *out, size_t max, size_t *n,
                         struct err *e)
{
    static const char *const sql =
        "SELECT o.id, o.invoice, o.step, a.reminders FROM outbox o "
        "JOIN accounts a ON a.id = o.account WHERE o.status = 'scheduled' "
        "AND o.send_at <= ?1 ORDER BY o.send_at, o.id LIMIT ?2";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, until);
    bind_int(st, 2, (int64_t)max);
    size_t k = 0;
    int rc = LEDGER_DONE;
    while (k < max && (rc = ledger_step(st)) == LEDGER_ROW) {
        out[k].id = col_int(st, 0);
        out[k].invoice = col_int(st, 1);
        out[k].step = (int)col_int(st, 2);
        out[k].reminders_ok = (int)col_int(st, 3);
        k++;
    }
    ledger_reset(st);
    *n = k;
    if (k < max && rc == LEDGER_ERROR) {
        *n = 0;
        return err_set(e, "reading due reminders: %s", ledger_errmsg(lg));
    }
    return 0;
}

int outbox_count_queued(struct ledger *lg, int64_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT COUNT(*) FROM outbox WHERE status = 'queued'";
    /* Asked before and after a run's work: a run that wrote nothing
     * reads the count once. */
    *n = ledger_first_int_kept(ledger_stmt(lg, sql), 0);
    return 0;
}

/* ================================================ e-mails made later */

int outbox_made_mark(struct ledger *lg, int64_t *mark, int64_t *last,
                     struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE((SELECT invoice FROM outbox_made), 0), "
        "(SELECT COALESCE(MAX(id), 0) FROM invoices)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        *mark = col_int(st, 0);
        *last = col_int(st, 1);
    }
    ledger_reset(st);
    if (rc != LEDGER_ROW)
        return err_set(e, "reading the outbox's mark: %s",
                       rc == LEDGER_ERROR ? ledger_errmsg(lg) : "no answer");
    return 0;
}

int outbox_made_set(struct ledger *lg, int64_t mark, struct err *e)
{
    static const char *const sql =
        "INSERT INTO outbox_made(id, invoice) VALUES (1, ?1) "
        "ON CONFLICT(id) DO UPDATE SET invoice = excluded.invoice";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, mark);
    return ledger_done(lg, st, NULL, e);
}

void deferred_mail_free(struct deferred_mail *d)
{
    free(d->template_id);
    free(d->rules_hash);
    free(d->account);
    free(d->to_addr);
    free(d->to_name);
    *d = (struct deferred_mail){0};
}

int outbox_deferred_after(struct ledger *lg, int64_t after, int64_t upto,
                          struct deferred_mail *batch, size_t max, size_t *n,
                          struct err *e)
{
    static const char *const sql =
        "SELECT i.id, i.mail, i.issued, i.rules_hash, i.account, a.email, "
        "a.name FROM invoices i JOIN accounts a ON a.id = i.account "
        "WHERE i.id > ?1 AND i.id <= ?2 AND i.mail IS NOT NULL "
        "ORDER BY i.id LIMIT ?3";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, after);
    bind_int(st, 2, upto);
    bind_int(st, 3, (int64_t)max);
    int rc = LEDGER_DONE;
    *n = 0;
    while (*n < max && (rc = ledger_step(st)) == LEDGER_ROW)
        batch[(*n)++] = (struct deferred_mail){
            .invoice = col_int(st, 0),
            .template_id = col_text(st, 1),
            .issued = col_date(st, 2),
            .rules_hash = col_text(st, 3),
            .account = col_text(st, 4),
            .to_addr = col_text(st, 5),
            .to_name = col_text(st, 6),
        };
    if (*n == max)
        rc = LEDGER_DONE;
    if (ledger_read_end(st, rc, "invoice e-mails to make", e) != 0) {
        for (size_t i = 0; i < *n; i++)
            deferred_mail_free(&batch[i]);
        *n = 0;
        return -1;
    }
    return 0;
}

/* ================================================================ the list */

/* The columns read_entry reads, then the body (or NULL). A row queued
 * without its text is the one with paid_cents (outbox_insert). */
#define ENTRY_COLUMNS                                                      \
    "o.id, o.template, o.to_addr, o.subject, o.status, o.send_at, "        \
    "i.number, o.event, o.step, o.attempts, o.last_reply, o.invoice, "     \
    "o.paid_cents, o.to_name, o.sub_name, o.sent_at, "                    \
    "o.paid_cents IS NOT NULL AND o.subject IS NULL"

static void read_entry(struct ledger_stmt *st, struct outbox_entry *m)
{
    m->id = col_int(st, 0);
    m->template_id = col_text(st, 1);
    m->to_addr = col_text(st, 2);
    m->subject = col_text(st, 3);
    m->status = status_from_name(col_ctext(st, 4));
    m->send_at = col_text(st, 5);
    m->invoice = col_text(st, 6);
    m->event = col_text(st, 7);
    m->step = (int)col_int(st, 8);
    m->attempts = (int)col_int(st, 9);
    m->last_reply = col_text(st, 10);
    m->invoice_id = col_int(st, 11);
    m->paid_cents = col_int(st, 12);
    m->to_name = col_text(st, 13);
    m->sub_name = col_text(st, 14);
    m->sent_at = col_text(st, 15);
    m->deferred = (int)col_int(st, 16);
    m->body = col_text(st, 17);
}

int outbox_get(struct ledger *lg, int64_t id, struct outbox_entry *out,
               struct err *e)
{
    static const char *const sql =
        "SELECT " ENTRY_COLUMNS ", o.body FROM outbox o "
        "LEFT JOIN invoices i ON i.id = o.invoice WHERE o.id = ?1";
    memset(out, 0, sizeof *out);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW)
        read_entry(st, out);
    if (ledger_read_end(st, rc == LEDGER_ROW ? LEDGER_DONE : rc,
                        "the outbox", e) != 0)
        return -1;
    if (rc != LEDGER_ROW) {
        err_set(e, "no message %lld in the outbox", (long long)id);
        return 1;
    }
    return 0;
}

void outbox_entry_free(struct outbox_entry *m)
{
    free(m->template_id), free(m->to_addr), free(m->subject);
    free(m->send_at), free(m->invoice), free(m->event);
    free(m->last_reply), free(m->to_name), free(m->sub_name);
    free(m->body), free(m->sent_at);
}

int outbox_list(struct ledger *lg, const char *account,
                struct outbox_entry **out, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT " ENTRY_COLUMNS ", NULL FROM outbox o "
        "LEFT JOIN invoices i ON i.id = o.invoice "
        "WHERE ?1 IS NULL OR o.account = ?1 ORDER BY o.id";
    struct outbox_entry *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        read_entry(st, &v[k++]);
    }
    ledger_reset(st);
    if (rc == LEDGER_ERROR) {
        outbox_list_free(v, k);
        return err_set(e, "listing the outbox: %s", ledger_errmsg(lg));
    }
    *out = v;
    *n = k;
    return 0;
}

void outbox_list_free(struct outbox_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        outbox_entry_free(&v[i]);
    free(v);
}
