/*
 * deliver.c — delivering the outbox: select what is due, mark it sending
 * (committed), compose each message (with the invoice PDF when the
 * template asks), hand a batch to one SMTP session, record each outcome.
 */
#include "usecase/deliver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "usecase/issue.h"
#include "formats/mime.h"
#include "usecase/outbox.h"
#include "render/pdf.h"
#include "formats/smtp.h"

#define SEND_BATCH 500
#define MAX_ATTEMPTS 10

char *deliver_now(const struct rules *r, char buf[17])
{
    const char *fixed = getenv("CAREBILL_TODAY");
    cdate d;
    if (fixed && *fixed && date_parse(fixed, &d, NULL) == 0) {
        char day[11];
        snprintf(buf, 17, "%s 23:59", date_fmt(d, day));
        return buf;
    }
    date_today(r->practice.timezone); /* sets TZ */
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(buf, 17, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

/* Minutes to wait after the n-th failed attempt. */
static int backoff_minutes(int attempts)
{
    static const int steps[] = {5, 15, 60, 240, 720, 1440};
    int i = attempts - 1;
    if (i < 0)
        i = 0;
    if (i >= (int)(sizeof steps / sizeof *steps))
        i = (int)(sizeof steps / sizeof *steps) - 1;
    return steps[i];
}

static void add_minutes(const char *now, int minutes, char out[17])
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(now, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min) != 5) {
        snprintf(out, 17, "%s", now);
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_min += minutes;
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
}

struct pending_msg {
    int64_t id, invoice;
    int attempts, attach;
    char *to, *to_name, *subject, *body, *event, *key;
    char *data;
    size_t len;
};

static void pending_free(struct pending_msg *m)
{
    free(m->to), free(m->to_name), free(m->subject), free(m->body);
    free(m->event), free(m->key), free(m->data);
}

/* Messages left 'sending' by an interrupted delivery: never resent by
 * themselves (they may have arrived), marked failed for a person. */
static int settle_interrupted(struct ledger *lg, size_t *n, struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'failed', last_reply = 'delivery was "
        "interrupted; it may have arrived: check, then outbox retry or "
        "cancel' WHERE status = 'sending'";
    if (ledger_begin(lg, e) != 0)
        return -1;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    if (ledger_done(lg, st, NULL, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    *n = (size_t)ledger_changes(lg);
    return ledger_commit(lg, e);
}

/* Take up to `max` due messages and mark them sending, in one commit. */
static size_t claim(struct ledger *lg, const char *now, size_t max,
                    struct pending_msg *out, struct err *e, int *failed)
{
    static const char *const sel =
        "SELECT id, invoice, attempts, attach_pdf, to_addr, to_name, "
        "subject, body, event, key FROM outbox WHERE status = 'queued' AND "
        "send_at <= ?1 AND (next_try IS NULL OR next_try <= ?1) "
        "ORDER BY send_at, id LIMIT ?2";
    static const char *const mark =
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1 "
        "WHERE id = ?1";
    size_t n = 0;
    *failed = 0;
    if (ledger_begin(lg, e) != 0) {
        *failed = 1;
        return 0;
    }
    struct ledger_stmt *st = ledger_stmt(lg, sel);
    bind_text(st, 1, now);
    bind_int(st, 2, (int64_t)max);
    while (n < max && ledger_step(st) == LEDGER_ROW) {
        struct pending_msg *m = &out[n++];
        memset(m, 0, sizeof *m);
        m->id = col_int(st, 0);
        m->invoice = col_int(st, 1);
        m->attempts = (int)col_int(st, 2) + 1;
        m->attach = (int)col_int(st, 3);
        m->to = col_text(st, 4);
        m->to_name = col_text(st, 5);
        m->subject = col_text(st, 6);
        m->body = col_text(st, 7);
        m->event = col_text(st, 8);
        m->key = col_text(st, 9);
    }
    ledger_reset(st);
    for (size_t i = 0; i < n; i++) {
        st = ledger_stmt(lg, mark);
        bind_int(st, 1, out[i].id);
        if (ledger_done(lg, st, NULL, e) != 0) {
            ledger_rollback(lg);
            *failed = 1;
            return n;
        }
    }
    if (ledger_commit(lg, e) != 0)
        *failed = 1;
    return n;
}

static const char *domain_of(const char *addr)
{
    const char *at = addr ? strchr(addr, '@') : NULL;
    return at ? at + 1 : "carebill.invalid";
}

/* Compose message m; on failure the message fails with the reason. */
static int compose(struct engine *eng,
                   struct pending_msg *m, const char *date_hdr, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct practice *p = &r->practice;
    char *pdf = NULL, *fname = NULL;
    size_t pdf_len = 0;
    struct mail_attachment att;
    if (m->attach && m->invoice) {
        struct invoice inv;
        if (invoice_load_id(lg, m->invoice, &inv, e) != 0)
            return -1;
        int rc = pdf_invoice_buf(&inv, p, &pdf, &pdf_len, e);
        fname = xasprintf("%s.pdf", inv.number);
        invoice_free(&inv);
        if (rc != 0) {
            free(fname);
            return -1;
        }
        att = (struct mail_attachment){fname, "application/pdf", pdf, pdf_len};
    }
    char *msgid = xasprintf("carebill.%lld.%s.%s@%s", (long long)m->id,
                            m->event, m->key, domain_of(p->mail_from));
    for (char *c = msgid; *c; c++)
        if (*c == ':')
            *c = '-';
    struct mail mail = {p->mail_from, p->mail_from_name ? p->mail_from_name
                                                        : p->name,
                        m->to, m->to_name, m->subject, m->body, msgid,
                        date_hdr, pdf ? &att : NULL, pdf ? 1 : 0};
    m->data = mime_compose(&mail, &m->len, e);
    free(msgid);
    free(pdf);
    free(fname);
    return m->data ? 0 : -1;
}

static int record(struct ledger *lg, struct pending_msg *msgs,
                  struct smtp_item *items, size_t n, const char *now,
                  struct deliver_summary *out, FILE *log, struct err *e)
{
    static const char *const sent_sql =
        "UPDATE outbox SET status = 'sent', sent_at = ?2, last_reply = ?3, "
        "next_try = NULL WHERE id = ?1";
    static const char *const retry_sql =
        "UPDATE outbox SET status = ?4, next_try = ?2, last_reply = ?3 "
        "WHERE id = ?1";
    static const char *const fail_sql =
        "UPDATE outbox SET status = 'failed', last_reply = ?2 WHERE id = ?1";
    if (ledger_begin(lg, e) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct pending_msg *m = &msgs[i];
        struct smtp_item *it = &items[i];
        struct ledger_stmt *st;
        if (!m->data) {
            st = ledger_stmt(lg, fail_sql);
            bind_int(st, 1, m->id);
            bind_text(st, 2, it->reply);
            out->failed++;
        } else if (it->outcome == SMTP_SENT) {
            st = ledger_stmt(lg, sent_sql);
            bind_int(st, 1, m->id);
            bind_text(st, 2, now);
            bind_text(st, 3, it->reply);
            out->sent++;
        } else if (it->outcome == SMTP_RETRY && m->attempts < MAX_ATTEMPTS) {
            char next[17];
            add_minutes(now, backoff_minutes(m->attempts), next);
            st = ledger_stmt(lg, retry_sql);
            bind_int(st, 1, m->id);
            bind_text(st, 2, next);
            bind_text(st, 3, it->reply);
            bind_text(st, 4, "queued");
            out->retry++;
            fprintf(log, "message %lld to %s: %s (retry after %s)\n",
                    (long long)m->id, m->to, it->reply, next);
        } else {
            st = ledger_stmt(lg, fail_sql);
            bind_int(st, 1, m->id);
            bind_text(st, 2, it->reply);
            out->failed++;
            fprintf(log, "message %lld to %s failed: %s\n", (long long)m->id,
                    m->to, it->reply);
        }
        if (ledger_done(lg, st, NULL, e) != 0) {
            ledger_rollback(lg);
            return -1;
        }
    }
    return ledger_commit(lg, e);
}

int deliver_outbox(struct engine *eng, const char *now,
                   size_t limit, FILE *log, struct deliver_summary *out,
                   struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct practice *p = &r->practice;
    memset(out, 0, sizeof *out);
    if (settle_interrupted(lg, &out->interrupted, e) != 0)
        return -1;
    const char *password = p->smtp_password_env ? getenv(p->smtp_password_env)
                                                : NULL;
    struct smtp_config cfg = {.host = p->smtp_host,
                              .port = p->smtp_port,
                              .starttls = (int)p->smtp_tls,
                              .user = p->smtp_user,
                              .password = password,
                              .helo = "carebill",
                              .timeout_s = 30};
    /* Operators may point a practice at another server (staging, a
     * local relay) without editing its rule files. */
    const char *host = getenv("CAREBILL_SMTP_HOST");
    const char *port = getenv("CAREBILL_SMTP_PORT");
    if (host && *host)
        cfg.host = host;
    if (port && atoi(port) > 0)
        cfg.port = atoi(port);
    char date_hdr[64];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(date_hdr, sizeof date_hdr, "%a, %d %b %Y %H:%M:%S %z", &tm);

    struct pending_msg *msgs = xcalloc(SEND_BATCH, sizeof *msgs);
    struct smtp_item *items = xcalloc(SEND_BATCH, sizeof *items);
    size_t total = 0;
    int rc = 0;
    for (;;) {
        size_t want = SEND_BATCH;
        if (limit && limit - total < want)
            want = limit - total;
        if (want == 0)
            break;
        int failed;
        size_t n = claim(lg, now, want, msgs, e, &failed);
        if (failed) {
            rc = -1;
            for (size_t i = 0; i < n; i++)
                pending_free(&msgs[i]);
            break;
        }
        if (n == 0)
            break;
        size_t ready = 0;
        for (size_t i = 0; i < n; i++) {
            struct err ce;
            memset(&items[i], 0, sizeof items[i]);
            if (compose(eng, &msgs[i], date_hdr, &ce) != 0) {
                snprintf(items[i].reply, sizeof items[i].reply,
                         "not sent: %s", ce.msg);
                items[i].outcome = SMTP_FAILED;
                continue;
            }
            items[i].envelope_from = p->mail_from;
            items[i].rcpt = msgs[i].to;
            items[i].data = msgs[i].data;
            items[i].len = msgs[i].len;
            ready++;
        }
        /* Hand only the composed ones to the session, in place. */
        struct smtp_item *batch = xcalloc(n, sizeof *batch);
        size_t *where = xcalloc(n, sizeof *where);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (msgs[i].data) {
                batch[k] = items[i];
                where[k++] = i;
            }
        struct err se;
        if (k > 0)
            smtp_deliver(&cfg, batch, k, &se);
        for (size_t j = 0; j < k; j++)
            items[where[j]] = batch[j];
        free(batch);
        free(where);
        (void)ready;
        rc = record(lg, msgs, items, n, now, out, log, e);
        for (size_t i = 0; i < n; i++)
            pending_free(&msgs[i]);
        total += n;
        if (rc != 0 || n < want)
            break;
        /* Stop early when the server is unreachable: everything waits. */
        if (out->retry == total)
            break;
    }
    free(msgs);
    free(items);
    return rc;
}

int deliver_retry(struct ledger *lg, int64_t id, struct err *e)
{
    static const char *const sql =
        "UPDATE outbox SET status = 'queued', next_try = NULL WHERE id = ?1 "
        "AND status = 'failed'";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    if (ledger_changes(lg) == 0)
        return err_set(e, "message %lld is not a failed message",
                       (long long)id);
    return 0;
}
