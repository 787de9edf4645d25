/*
 * deliveries.c — SQL of the outbox table's delivery columns (status,
 * attempts, next_try, last_reply, sent_at).
 */
#include "store/deliveries.h"

#include <stdlib.h>
#include <string.h>

void delivery_free(struct delivery *d)
{
    free(d->to), free(d->to_name), free(d->subject), free(d->body);
    free(d->event), free(d->key);
    free(d->template_id), free(d->sub_name);
}

int deliveries_fail_interrupted(struct ledger *lg, const char *reason,
                                size_t *n, struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'failed', last_reply = ?1 "
        "WHERE status = 'sending' AND claimed_by IS NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, reason);
    *n = 0;
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *n = (size_t)ledger_changes(lg);
    return 0;
}

void deliveries_tokens_free(char **tokens, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(tokens[i]);
    free(tokens);
}

int deliveries_claimants(struct ledger *lg, char ***tokens, size_t *n,
                         struct err *e)
{
    static const char *const sql =
        "SELECT DISTINCT claimed_by FROM outbox WHERE claimed_by IS NOT NULL "
        "ORDER BY claimed_by";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    char **v = NULL;
    size_t k = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        v[k++] = col_text(st, 0);
    }
    if (ledger_read_end(st, rc, "the outbox's senders", e) != 0) {
        deliveries_tokens_free(v, k);
        *tokens = NULL;
        *n = 0;
        return -1;
    }
    *tokens = v;
    *n = k;
    return 0;
}

int deliveries_release(struct ledger *lg, const char *token,
                       const char *reason, size_t *requeued, size_t *failed,
                       struct err *e)
{
    static const char *const unclaim =
        "UPDATE outbox SET claimed_by = NULL WHERE claimed_by = ?1 AND "
        "status <> 'sending'";
    static const char *const fail =
        "UPDATE outbox SET status = 'failed', last_reply = ?2, "
        "claimed_by = NULL WHERE claimed_by = ?1 AND status = 'sending'";
    struct ledger_stmt *st = ledger_stmt(lg, fail);
    bind_text(st, 1, token);
    bind_text(st, 2, reason);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *failed = (size_t)ledger_changes(lg);
    st = ledger_stmt(lg, unclaim);
    bind_text(st, 1, token);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *requeued = (size_t)ledger_changes(lg);
    return 0;
}

int deliveries_claim(struct ledger *lg, const char *now, size_t max,
                     const char *token, struct delivery *out, size_t *n,
                     struct err *e)
{
    static const char *const sel =
        "SELECT id, invoice, attempts, attach_pdf, to_addr, to_name, "
        "subject, body, event, key, attach_ubl, template, sub_name, "
        "paid_cents, paid_cents IS NOT NULL AND subject IS NULL "
        "FROM outbox WHERE "
        "status = 'queued' AND "
        "claimed_by IS NULL AND "
        "send_at <= ?1 AND (next_try IS NULL OR next_try <= ?1) "
        "ORDER BY send_at, id LIMIT ?2";
    static const char *const mark =
        "UPDATE outbox SET claimed_by = ?2 WHERE id = ?1";
    size_t k = 0;
    *n = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sel);
    bind_text(st, 1, now);
    bind_int(st, 2, (int64_t)max);
    int rc = LEDGER_DONE;
    while (k < max && (rc = ledger_step(st)) == LEDGER_ROW) {
        struct delivery *m = &out[k++];
        memset(m, 0, sizeof *m);
        m->id = col_int(st, 0);
        m->invoice = col_int(st, 1);
        m->attempts = (int)col_int(st, 2) + 1;
        m->attach_pdf = (int)col_int(st, 3);
        m->to = col_text(st, 4);
        m->to_name = col_text(st, 5);
        m->subject = col_text(st, 6);
        m->body = col_text(st, 7);
        m->event = col_text(st, 8);
        m->key = col_text(st, 9);
        m->attach_ubl = (int)col_int(st, 10);
        m->template_id = col_text(st, 11);
        m->sub_name = col_text(st, 12);
        m->paid_cents = col_int(st, 13);
        m->deferred = (int)col_int(st, 14);
    }
    ledger_reset(st);
    if (rc == LEDGER_ERROR) {
        err_set(e, "reading the outbox: %s", ledger_errmsg(lg));
        goto fail;
    }
    for (size_t i = 0; i < k; i++) {
        st = ledger_stmt(lg, mark);
        bind_int(st, 1, out[i].id);
        bind_text(st, 2, token);
        if (ledger_done(lg, st, NULL, e) != 0)
            goto fail;
    }
    *n = k;
    return 0;
fail:
    for (size_t i = 0; i < k; i++)
        delivery_free(&out[i]);
    return -1;
}

int deliveries_mark_sending(struct ledger *lg, int64_t id, const char *token,
                            struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
        "WHERE id = ?1 AND claimed_by = ?2 AND status = 'queued'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_text(st, 2, token);
    return ledger_done(lg, st, NULL, e);
}

int deliveries_mark_sent(struct ledger *lg, int64_t id, int attempts,
                         const char *sent_at, const char *reply,
                         const char *subject, const char *body,
                         struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'sent', sent_at = ?2, last_reply = ?3, "
        "next_try = NULL, attempts = ?4, claimed_by = NULL, "
        "subject = COALESCE(?5, subject), body = COALESCE(?6, body) "
        "WHERE id = ?1 AND status <> 'cancelled'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_text(st, 2, sent_at);
    bind_text(st, 3, reply);
    bind_int(st, 4, attempts);
    bind_text(st, 5, subject);
    bind_text(st, 6, body);
    return ledger_done(lg, st, NULL, e);
}

int deliveries_mark_retry(struct ledger *lg, int64_t id, int attempts,
                          const char *next_try, const char *reply,
                          struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'queued', next_try = ?2, last_reply = ?3, "
        "attempts = ?4, claimed_by = NULL WHERE id = ?1 "
        "AND status <> 'cancelled'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_text(st, 2, next_try);
    bind_text(st, 3, reply);
    bind_int(st, 4, attempts);
    return ledger_done(lg, st, NULL, e);
}

int deliveries_mark_failed(struct ledger *lg, int64_t id, int attempts,
                           const char *reply, struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'failed', last_reply = ?2, "
        "attempts = ?3, claimed_by = NULL WHERE id = ?1 "
        "AND status <> 'cancelled'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_text(st, 2, reply);
    bind_int(st, 3, attempts);
    return ledger_done(lg, st, NULL, e);
}

int deliveries_requeue(struct ledger *lg, int64_t id, struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'queued', next_try = NULL, attempts = 0 "
        "WHERE id = ?1 AND status = 'failed'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    return ledger_changes(lg) == 0 ? 1 : 0;
}
