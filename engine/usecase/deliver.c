/*
 * deliver.c — delivering the outbox: claim what is due for this sender
 * (committed; the messages stay queued), compose each message (its text
 * rendered now when it was queued without one, by its invoice's rule set:
 * usecase/outbox.h; with the invoice PDF, and its UBL file when the
 * einvoice setting gives one, when the template asks), hand a batch to
 * one SMTP session,
 * mark each message 'sending' in its own commit at the moment it is
 * handed to the server, and record each outcome as soon as the server
 * answers it, as decide/retry.h says. A kill therefore leaves queued
 * every message never handed over, and "may have arrived" only for the
 * ones in flight. Recording waits for the ledger's lock as long as it
 * takes, so a message the server accepted is never recorded as failed.
 * The outbox rows are read and written through store/deliveries.h; no
 * SQL here.
 */
#include "usecase/deliver.h"

#include "base/civil.h"
#include "base/proc.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decide/retry.h"
#include "formats/mime.h"
#include "formats/smtp.h"
#include "render/pdf.h"
#include "store/deliveries.h"
#include "store/invoices.h"
#include "usecase/einvoice.h"
#include "usecase/outbox.h"

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
    int recorded; /* its outcome is committed already */
    int rendered; /* its text was rendered now: recorded when it is sent */
};

/* The ledger's usual wait for another run's lock (ledger/sqlite.c), and
 * the wait while messages the server may have accepted are recorded:
 * as long as it takes. */
#define LOCK_WAIT_MS 30000
#define LOCK_WAIT_FOREVER INT_MAX

static void pending_free(struct pending_msg *m)
{
    delivery_free(&m->d);
    free(m->data);
}

/* Settle what interrupted deliveries left: the messages of senders that
 * are gone. Those never handed over are simply queued again; those
 * handed over ('sending') may have arrived and are marked failed for a
 * person, never resent by themselves. A sender still running (another
 * `outbox send` now) keeps its messages. *n: how many were marked failed. */
static int settle_interrupted(struct ledger *lg, size_t *n, struct err *e)
{
    static const char reason[] =
        "delivery was interrupted; it may have arrived: check, then outbox "
        "retry or cancel";
    char **tokens = NULL;
    size_t nt = 0, legacy = 0;
    *n = 0;
    if (ledger_begin(lg, e) != 0)
        return -1;
    int rc = deliveries_fail_interrupted(lg, reason, &legacy, e);
    if (rc == 0)
        rc = deliveries_claimants(lg, &tokens, &nt, e);
    *n = legacy;
    for (size_t i = 0; rc == 0 && i < nt; i++) {
        size_t requeued, failed;
        if (proc_token_alive(tokens[i]))
            continue;
        rc = deliveries_release(lg, tokens[i], reason, &requeued, &failed, e);
        *n += failed;
    }
    deliveries_tokens_free(tokens, nt);
    if (rc != 0) {
        ledger_rollback(lg);
        *n = 0;
        return -1;
    }
    return ledger_commit(lg, e);
}

/* Take up to `max` due messages for sender `token`, in one commit (they
 * stay queued). Returns 0 with *n claimed (msgs[0..*n) filled), or -1
 * with nothing left to free. */
static int claim(struct ledger *lg, const char *now, size_t max,
                 const char *token, struct pending_msg *msgs,
                 struct delivery *rows, size_t *n, struct err *e)
{
    *n = 0;
    if (ledger_begin(lg, e) != 0)
        return -1;
    if (deliveries_claim(lg, now, max, token, rows, n, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    for (size_t i = 0; i < *n; i++)
        msgs[i] = (struct pending_msg){rows[i], NULL, 0, 0, 0};
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

/* The attachments of message d into att[0..*n) (at most two: the
 * invoice's PDF when the template asks, then its UBL file NUMBER.xml
 * when the template asks and the einvoice setting gives the invoice
 * one); their names and bytes are malloc'd into bufs[0..3], which the
 * caller frees, also after a failure. inv is the invoice when the text
 * was rendered (loaded here otherwise), p the practice of the rule set
 * the text was rendered by. 0, or -1 with e filled. */
static int attachments(struct engine *eng, const struct delivery *d,
                       const struct invoice *rendered_inv,
                       const struct practice *p,
                       struct mail_attachment att[2], size_t *n,
                       char *bufs[4], struct err *e)
{
    *n = 0;
    if (!d->invoice || (!d->attach_pdf && !d->attach_ubl))
        return 0;
    struct invoice loaded = {0};
    const struct invoice *inv = rendered_inv;
    if (!inv) {
        if (invoices_load_id(eng->lg, d->invoice, &loaded, e) != 0) {
            invoice_free(&loaded);
            return -1;
        }
        inv = &loaded;
    }
    int rc = 0;
    if (d->attach_pdf) {
        size_t len = 0;
        rc = pdf_invoice_buf(inv, p, &bufs[1], &len, e);
        bufs[0] = xasprintf("%s.pdf", inv->number);
        if (rc == 0)
            att[(*n)++] = (struct mail_attachment){bufs[0], "application/pdf",
                                                   bufs[1], len};
    }
    if (rc == 0 && d->attach_ubl) {
        size_t len = 0;
        rc = einvoice_attachment(eng, inv->number, &bufs[3], &len, e);
        if (rc == 0) {
            bufs[2] = xasprintf("%s.xml", inv->number);
            att[(*n)++] = (struct mail_attachment){bufs[2], "application/xml",
                                                   bufs[3], len};
        }
        rc = rc < 0 ? -1 : 0;
    }
    invoice_free(&loaded);
    return rc;
}

/* A message queued without its text: rendered now (usecase/outbox.h). */
static int text_deferred(const struct delivery *d)
{
    return d->deferred && d->invoice;
}

/* Render the text of m, queued without it, into m->d by its invoice's rule
 * set (*p becomes that set's practice); inv receives the invoice. */
static int render_text(struct engine *eng, struct rule_shelf *shelf,
                       struct pending_msg *m, struct invoice *inv,
                       const struct practice **p, struct err *e)
{
    struct delivery *d = &m->d;
    struct outbox_source src = {
        .id = d->id, .invoice = d->invoice, .paid_cents = d->paid_cents,
        .event = d->event, .template_id = d->template_id, .to_addr = d->to,
        .to_name = d->to_name, .sub_name = d->sub_name};
    const struct rules *used;
    if (outbox_render(shelf, eng->lg, &src, inv, &d->subject, &d->body,
                      &used, e) != 0)
        return -1;
    *p = &used->practice;
    m->rendered = 1;
    return 0;
}

/* Compose message m; on failure the message fails with the reason. The
 * sender (From, the Message-ID's domain, the SMTP server) is today's
 * practice; the text and the PDF are the rule set's it was rendered by. */
static int compose(struct engine *eng, struct rule_shelf *shelf,
                   struct pending_msg *m, const char *date_hdr, struct err *e)
{
    const struct practice *p = &eng->r->practice;
    const struct practice *doc_p = p;
    const struct delivery *d = &m->d;
    char *bufs[4] = {NULL, NULL, NULL, NULL};
    struct mail_attachment att[2];
    size_t n_att = 0;
    struct invoice inv = {0};
    int deferred = text_deferred(d);
    int rc = deferred ? render_text(eng, shelf, m, &inv, &doc_p, e) : 0;
    if (rc == 0)
        rc = attachments(eng, d, deferred ? &inv : NULL, doc_p, att, &n_att,
                         bufs, e);
    invoice_free(&inv);
    if (rc != 0) {
        for (size_t i = 0; i < 4; i++)
            free(bufs[i]);
        return -1;
    }
    char *msgid = mime_message_id((long long)d->id, d->event, d->key, d->to,
                                  d->subject, d->body, domain_of(p->mail_from));
    struct mail mail = {p->mail_from, p->mail_from_name ? p->mail_from_name
                                                        : p->name,
                        d->to, d->to_name, d->subject, d->body, msgid,
                        date_hdr, n_att ? att : NULL, n_att};
    m->data = mime_compose(&mail, &m->len, e);
    free(msgid);
    for (size_t i = 0; i < 4; i++)
        free(bufs[i]);
    return m->data ? 0 : -1;
}

/* Record the outcome of message m (in the caller's transaction). */
static int record_one(struct ledger *lg, struct pending_msg *pm,
                      const struct smtp_item *it, const char *now,
                      struct deliver_summary *out, FILE *log, struct err *e)
{
    const struct delivery *m = &pm->d;
    if (!pm->data) {
        out->failed++;
        return deliveries_mark_failed(lg, m->id, m->attempts, it->reply, e);
    }
    switch (retry_outcome(it->outcome, m->attempts)) {
    case DELIVERY_SENT:
        out->sent++;
        return deliveries_mark_sent(lg, m->id, m->attempts, now, it->reply,
                                    pm->rendered ? m->subject : NULL,
                                    pm->rendered ? m->body : NULL, e);
    case DELIVERY_RETRY: {
        char next[17];
        retry_next_try(now, m->attempts, next);
        out->retry++;
        fprintf(log, "message %lld to %s: %s (retry after %s)\n",
                (long long)m->id, m->to, it->reply, next);
        return deliveries_mark_retry(lg, m->id, m->attempts, next, it->reply,
                                     e);
    }
    default:
        out->failed++;
        fprintf(log, "message %lld to %s failed: %s\n", (long long)m->id,
                m->to, it->reply);
        return deliveries_mark_failed(lg, m->id, m->attempts, it->reply, e);
    }
}

/* Record the outcome of each of msgs[0..n) not recorded yet, in one
 * commit. */
static int record(struct ledger *lg, struct pending_msg *msgs,
                  struct smtp_item *items, size_t n, const char *now,
                  struct deliver_summary *out, FILE *log, struct err *e)
{
    if (ledger_begin(lg, e) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (msgs[i].recorded)
            continue;
        if (record_one(lg, &msgs[i], &items[i], now, out, log, e) != 0) {
            ledger_rollback(lg);
            return -1;
        }
    }
    return ledger_commit(lg, e);
}

/* What the SMTP hooks need: the batch as handed to the session, where
 * each of its items came from, and a lock, as sessions run on threads. */
struct send_run {
    struct ledger *lg;
    const char *token, *now;
    struct pending_msg *msgs;
    struct smtp_item *batch; /* as handed to smtp_deliver */
    size_t *where;           /* batch[k] is msgs[where[k]] */
    struct deliver_summary *out;
    FILE *log;
    /* the engine's progress line (eng->progress), told per message
     * handed over; handed counts them */
    void (*progress)(void *arg, const char *what, int64_t done);
    void *progress_arg;
    int64_t handed;
    pthread_mutex_t mu;
};

/* The server answered DATA for it: mark it 'sending' in its own commit
 * before any byte of it leaves. A failure to write is logged; the message
 * then stays claimed and is recorded with the others at the end. */
static void on_handover(void *arg, struct smtp_item *it)
{
    struct send_run *run = arg;
    struct err e;
    pthread_mutex_lock(&run->mu);
    const struct delivery *d = &run->msgs[run->where[it - run->batch]].d;
    int rc = ledger_begin(run->lg, &e);
    if (rc == 0 && deliveries_mark_sending(run->lg, d->id, run->token,
                                           &e) != 0) {
        ledger_rollback(run->lg);
        rc = -1;
    } else if (rc == 0) {
        rc = ledger_commit(run->lg, &e);
    }
    if (rc != 0)
        fprintf(run->log, "message %lld to %s: cannot mark it sending: %s\n",
                (long long)d->id, d->to, e.msg);
    run->handed++;
    if (run->progress)
        run->progress(run->progress_arg, "messages handed over", run->handed);
    pthread_mutex_unlock(&run->mu);
}

/* The server answered its data: record the outcome now, in its own
 * commit. On failure it is recorded with the others at the end. */
static void on_done(void *arg, struct smtp_item *it)
{
    struct send_run *run = arg;
    struct err e;
    pthread_mutex_lock(&run->mu);
    struct pending_msg *pm = &run->msgs[run->where[it - run->batch]];
    struct deliver_summary before = *run->out;
    if (ledger_begin(run->lg, &e) == 0) {
        if (record_one(run->lg, pm, it, run->now, run->out, run->log,
                       &e) == 0 &&
            ledger_commit(run->lg, &e) == 0)
            pm->recorded = 1;
        else
            ledger_rollback(run->lg);
    }
    if (!pm->recorded)
        *run->out = before;
    pthread_mutex_unlock(&run->mu);
}

int deliver_outbox(struct engine *eng, const char *now,
                   size_t limit, FILE *log, struct deliver_summary *out,
                   struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct practice *p = &r->practice;
    memset(out, 0, sizeof *out);
    /* The e-mails the daily runs left to be made become rows first. */
    if (outbox_make_deferred_now(eng, e) != 0 ||
        settle_interrupted(lg, &out->interrupted, e) != 0)
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

    char token[48];
    proc_token(token);
    struct send_run run = {.lg = lg, .token = token, .now = now,
                           .out = out, .log = log,
                           .progress = eng->progress,
                           .progress_arg = eng->progress_arg};
    pthread_mutex_init(&run.mu, NULL);
    cfg.handover = on_handover;
    cfg.done = on_done;
    cfg.hook_arg = &run;

    /* the rule sets messages queued without their text are rendered by */
    struct rule_shelf shelf;
    rule_shelf_init(&shelf, r);
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
        ledger_set_wait(lg, LOCK_WAIT_MS);
        if (claim(lg, now, want, token, msgs, rows, &n, e) != 0) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        /* From here on a message may reach the server: its recording
         * waits for the lock as long as it takes. */
        ledger_set_wait(lg, LOCK_WAIT_FOREVER);
        for (size_t i = 0; i < n; i++) {
            struct err ce;
            memset(&items[i], 0, sizeof items[i]);
            if (compose(eng, &shelf, &msgs[i], date_hdr, &ce) != 0) {
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
        run.msgs = msgs;
        run.batch = batch;
        run.where = where;
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
    ledger_set_wait(lg, LOCK_WAIT_MS);
    pthread_mutex_destroy(&run.mu);
    rule_shelf_free(&shelf);
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
