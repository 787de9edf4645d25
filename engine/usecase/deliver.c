/*
 * deliver.c — delivering the outbox: claim what is due and mark it
 * sending (committed), compose each message (with the invoice PDF when
 * the template asks), hand a batch to one SMTP session, record each
 * outcome as decide/retry.h says. The outbox rows are read and written
 * through store/deliveries.h; no SQL here.
 */
#include "usecase/deliver.h"

#include "base/civil.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decide/retry.h"
#include "formats/mime.h"
#include "formats/smtp.h"
#include "render/pdf.h"
#include "store/deliveries.h"
#include "store/invoices.h"

#define SEND_BATCH 500

char *deliver_now(const struct rules *r, char buf[17])
{
    const char *fixed = getenv("CAREBILL_TODAY");
    cdate d;
    if (fixed && *fixed && date_parse(fixed, &d, NULL) == 0) {
        char day[11];
        snprintf(buf, 17, "%s 23:59", date_fmt(d, day));
        return buf;
    }
    struct civil_time t;
    char day[11];
    if (civil_time_in(r->practice.timezone, time(NULL), &t, NULL) != 0)
        civil_time_in(NULL, time(NULL), &t, NULL); /* UTC */
    snprintf(buf, 17, "%s %02d:%02d", date_fmt(t.date, day), t.hour, t.minute);
    return buf;
}

/* An RFC 5322 Date header for now in the practice's zone (UTC when the
 * zone cannot be read). */
static void mail_date(const struct rules *r, char buf[64])
{
    struct civil_time ct;
    time_t now = time(NULL);
    if (civil_time_in(r->practice.timezone, now, &ct, NULL) != 0)
        civil_time_in(NULL, now, &ct, NULL);
    time_t local = now + ct.utc_offset;
    struct tm tm;
    gmtime_r(&local, &tm);
    int32_t off = ct.utc_offset / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    char stamp[40];
    strftime(stamp, sizeof stamp, "%a, %d %b %Y %H:%M:%S", &tm);
    snprintf(buf, 64, "%s %c%02d%02d", stamp, sign, (int)(off / 60),
             (int)(off % 60));
}

/* A claimed message and, once composed, its bytes. */
struct pending_msg {
    struct delivery d;
    char *data; /* NULL: it could not be composed */
    size_t len;
};

static void pending_free(struct pending_msg *m)
{
    delivery_free(&m->d);
    free(m->data);
}

/* Messages left 'sending' by an interrupted delivery: never resent by
 * themselves (they may have arrived), marked failed for a person. */
static int settle_interrupted(struct ledger *lg, size_t *n, struct err *e)
{
    static const char reason[] =
        "delivery was interrupted; it may have arrived: check, then outbox "
        "retry or cancel";
    if (ledger_begin(lg, e) != 0)
        return -1;
    if (deliveries_fail_interrupted(lg, reason, n, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    return ledger_commit(lg, e);
}

/* Take up to `max` due messages and mark them sending, in one commit.
 * Returns 0 with *n claimed (msgs[0..*n) filled), or -1 with nothing
 * left to free. */
static int claim(struct ledger *lg, const char *now, size_t max,
                 struct pending_msg *msgs, struct delivery *rows, size_t *n,
                 struct err *e)
{
    *n = 0;
    if (ledger_begin(lg, e) != 0)
        return -1;
    if (deliveries_claim(lg, now, max, rows, n, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    for (size_t i = 0; i < *n; i++)
        msgs[i] = (struct pending_msg){rows[i], NULL, 0};
    if (ledger_commit(lg, e) != 0) {
        for (size_t i = 0; i < *n; i++)
            pending_free(&msgs[i]);
        *n = 0;
        return -1;
    }
    return 0;
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
    const struct delivery *d = &m->d;
    char *pdf = NULL, *fname = NULL;
    size_t pdf_len = 0;
    struct mail_attachment att;
    if (d->attach_pdf && d->invoice) {
        struct invoice inv;
        if (invoices_load_id(lg, d->invoice, &inv, e) != 0) {
            invoice_free(&inv);
            return -1;
        }
        int rc = pdf_invoice_buf(&inv, p, &pdf, &pdf_len, e);
        fname = xasprintf("%s.pdf", inv.number);
        invoice_free(&inv);
        if (rc != 0) {
            free(fname);
            return -1;
        }
        att = (struct mail_attachment){fname, "application/pdf", pdf, pdf_len};
    }
    char *msgid = xasprintf("carebill.%lld.%s.%s@%s", (long long)d->id,
                            d->event, d->key, domain_of(p->mail_from));
    for (char *c = msgid; *c; c++)
        if (*c == ':')
            *c = '-';
    struct mail mail = {p->mail_from, p->mail_from_name ? p->mail_from_name
                                                        : p->name,
                        d->to, d->to_name, d->subject, d->body, msgid,
                        date_hdr, pdf ? &att : NULL, pdf ? 1 : 0};
    m->data = mime_compose(&mail, &m->len, e);
    free(msgid);
    free(pdf);
    free(fname);
    return m->data ? 0 : -1;
}

/* Record the outcome of each of msgs[0..n) in one commit. */
static int record(struct ledger *lg, struct pending_msg *msgs,
                  struct smtp_item *items, size_t n, const char *now,
                  struct deliver_summary *out, FILE *log, struct err *e)
{
    if (ledger_begin(lg, e) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct delivery *m = &msgs[i].d;
        struct smtp_item *it = &items[i];
        int rc;
        if (!msgs[i].data) {
            rc = deliveries_mark_failed(lg, m->id, it->reply, e);
            out->failed++;
            if (rc != 0) {
                ledger_rollback(lg);
                return -1;
            }
            continue;
        }
        switch (retry_outcome(it->outcome, m->attempts)) {
        case DELIVERY_SENT:
            rc = deliveries_mark_sent(lg, m->id, now, it->reply, e);
            out->sent++;
            break;
        case DELIVERY_RETRY: {
            char next[17];
            retry_next_try(now, m->attempts, next);
            rc = deliveries_mark_retry(lg, m->id, next, it->reply, e);
            out->retry++;
            fprintf(log, "message %lld to %s: %s (retry after %s)\n",
                    (long long)m->id, m->to, it->reply, next);
            break;
        }
        default:
            rc = deliveries_mark_failed(lg, m->id, it->reply, e);
            out->failed++;
            fprintf(log, "message %lld to %s failed: %s\n", (long long)m->id,
                    m->to, it->reply);
            break;
        }
        if (rc != 0) {
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
    mail_date(r, date_hdr);

    struct pending_msg *msgs = xcalloc(SEND_BATCH, sizeof *msgs);
    struct delivery *rows = xcalloc(SEND_BATCH, sizeof *rows);
    struct smtp_item *items = xcalloc(SEND_BATCH, sizeof *items);
    size_t total = 0;
    int rc = 0;
    for (;;) {
        size_t want = SEND_BATCH;
        if (limit && limit - total < want)
            want = limit - total;
        if (want == 0)
            break;
        size_t n;
        if (claim(lg, now, want, msgs, rows, &n, e) != 0) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
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
            items[i].rcpt = msgs[i].d.to;
            items[i].data = msgs[i].data;
            items[i].len = msgs[i].len;
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
    free(rows);
    free(items);
    return rc;
}

int deliver_retry(struct ledger *lg, int64_t id, struct err *e)
{
    int rc = deliveries_requeue(lg, id, e);
    if (rc == 1)
        return err_set(e, "message %lld is not a failed message",
                       (long long)id);
    return rc;
}
