/*
 * smtp.c — libesmtp sessions for a batch of composed messages.
 *
 * smtp_deliver() shares a batch out over a few sessions run on threads side
 * by side (one for a small batch; see SMTP_MIN_PER_CONNECTION), so that
 * round-trip waits overlap. Each session (run_session) adds one libesmtp
 * message (one recipient) per item, feeds
 * each item's bytes through a message callback in a single chunk, runs the
 * session, and then reads three statuses per item: MAIL FROM, RCPT TO and
 * the end of DATA. The first that is not 2xx decides the outcome; a status
 * never reached means the connection was lost before it (retry).
 *
 * libesmtp adds Date, From and Message-Id only when the message lacks
 * them, passes MIME-* and Content-* through untouched and leaves unknown
 * headers alone; mime_compose() writes all of them, so the message arrives
 * byte for byte as composed (test_smtp checks this).
 *
 * Two libesmtp hooks give the reasons libesmtp has no API for: the monitor
 * callback keeps the server's last reply line (for a refused greeting or
 * EHLO) and the reply to AUTH; the event callback notes STARTTLS and
 * certificate problems, and reports each message's outcome as soon as the
 * server answered its data (the done hook); the message callback's first
 * call, after the server's 354, is the hand-over (the handover hook). Neither sees the message data or records what
 * carebill writes (the AUTH exchange carries the password).
 */
#include "formats/smtp.h"

#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <auth-client.h> /* before libesmtp.h: declares smtp_auth_set_context */
#include <libesmtp.h>

#include "formats/mime.h"

/* What the callbacks learn during one session. */
struct session_state {
    const struct smtp_config *cfg;
    char last_reply[256];   /* last reply line read from the server */
    int in_auth;            /* AUTH written, final reply not yet read */
    char auth_failure[256]; /* reply that refused AUTH */
    char event_reason[256]; /* STARTTLS / certificate problem */
};

/* One item's handles in the session (NULL when the item was not sent). */
struct slot {
    smtp_message_t msg;
    smtp_recipient_t rcpt;
    struct smtp_item *item;
    const struct session_state *st;
    int handed; /* its data has begun to be written */
};

/* ------------------------------------------------------------ replies */

/* Copy s into out[256]: CR, LF and other controls as spaces, trailing
 * blanks dropped. */
static void copy_line(char out[256], const char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n && j < 255; i++)
        out[j++] = ((unsigned char)s[i] < 0x20) ? ' ' : s[i];
    while (j > 0 && out[j - 1] == ' ')
        j--;
    out[j] = '\0';
}

/* "550 5.1.1 text" (or "550 text" without an enhanced code). */
static void status_text(char out[256], const smtp_status_t *st)
{
    char text[256];
    copy_line(text, st->text ? st->text : "", st->text ? strlen(st->text)
                                                       : 0);
    if (st->enh_class > 0)
        snprintf(out, 256, "%d %d.%d.%d %s", st->code, st->enh_class,
                 st->enh_subject, st->enh_detail, text);
    else
        snprintf(out, 256, "%d %s", st->code, text);
}

/* True for replies that mean "authenticate first" or "authentication
 * failed": a configuration problem, never the message's fault. */
static int auth_problem(const smtp_status_t *st)
{
    if (st->code == 530 || st->code == 534 || st->code == 535 ||
        st->code == 538 || st->code == 454)
        return 1;
    if (st->enh_class > 0)
        return st->enh_subject == 7 &&
               (st->enh_detail == 0 || st->enh_detail == 8);
    const char *t = st->text ? st->text : "";
    return strncmp(t, "5.7.0", 5) == 0 || strncmp(t, "5.7.8", 5) == 0 ||
           strncmp(t, "4.7.0", 5) == 0;
}

static enum smtp_outcome outcome_of(const smtp_status_t *st)
{
    if (st->code >= 200 && st->code < 300)
        return SMTP_SENT;
    if (st->code >= 500 && st->code < 600 && !auth_problem(st))
        return SMTP_FAILED;
    return SMTP_RETRY;
}

/* ------------------------------------------------------------ callbacks */

/* Feeds one item's bytes in a single chunk. ctx is allocated here and
 * freed by libesmtp; len == NULL means rewind. */
static const char *message_cb(void **ctx, int *len, void *arg)
{
    struct slot *sl = arg;
    const struct smtp_item *it = sl->item;
    if (!sl->handed) {
        /* libesmtp asks for the data only once the server said 354. */
        sl->handed = 1;
        if (sl->st->cfg->handover)
            sl->st->cfg->handover(sl->st->cfg->hook_arg, sl->item);
    }
    if (*ctx == NULL)
        *ctx = xcalloc(1, sizeof(int));
    int *done = *ctx;
    if (len == NULL) {
        *done = 0;
        return NULL;
    }
    if (*done) {
        *len = 0;
        return NULL;
    }
    *done = 1;
    *len = (int)it->len;
    return it->data;
}

/* Sees protocol traffic except message data. Keeps the last reply line
 * read and the reply to AUTH; of what is written only the verb is looked
 * at. */
static void monitor_cb(const char *buf, int buflen, int writing, void *arg)
{
    struct session_state *st = arg;
    size_t n = buflen > 0 ? (size_t)buflen : 0;
    if (writing == SMTP_CB_WRITING) {
        if (n >= 5 && strncasecmp(buf, "AUTH ", 5) == 0)
            st->in_auth = 1;
        else if (n >= 4 && (strncasecmp(buf, "MAIL", 4) == 0 ||
                            strncasecmp(buf, "QUIT", 4) == 0))
            st->in_auth = 0;
        return;
    }
    if (writing != SMTP_CB_READING)
        return;
    /* last complete line in buf */
    const char *end = buf + n;
    while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    const char *line = end;
    while (line > buf && line[-1] != '\n')
        line--;
    if (end - line < 3 || !isdigit((unsigned char)line[0]))
        return;
    copy_line(st->last_reply, line, (size_t)(end - line));
    if (st->in_auth && line[0] != '3') {
        if (line[0] == '4' || line[0] == '5')
            copy_line(st->auth_failure, line, (size_t)(end - line));
        st->in_auth = 0;
    }
}

static void judge(struct smtp_item *it, const struct slot *sl,
                  const struct session_state *st, const char *lost);

static void event_cb(smtp_session_t s, int event, void *arg, ...)
{
    struct session_state *st = arg;
    const char *why = NULL;
    switch (event) {
    case SMTP_EV_MESSAGESENT: {
        va_list ap;
        va_start(ap, arg);
        smtp_message_t m = va_arg(ap, smtp_message_t);
        va_end(ap);
        struct slot *sl = m ? smtp_message_get_application_data(m) : NULL;
        if (sl && sl->handed && st->cfg->done &&
            smtp_message_transfer_status(m)->code != 0) {
            judge(sl->item, sl, st, "connection lost after the data");
            st->cfg->done(st->cfg->hook_arg, sl->item);
        }
        return;
    }
    case SMTP_EV_EXTNA_STARTTLS:
        why = "server does not offer STARTTLS, which the configuration "
              "requires";
        break;
    case SMTP_EV_INVALID_PEER_CERTIFICATE:
        why = "server's TLS certificate did not verify";
        break;
    case SMTP_EV_NO_PEER_CERTIFICATE:
        why = "server sent no TLS certificate";
        break;
    case SMTP_EV_WRONG_PEER_CERTIFICATE:
        why = "server's TLS certificate is for another host";
        break;
    case SMTP_EV_UNUSABLE_CA_LIST:
        why = "no usable list of certificate authorities for TLS";
        break;
    default:
        return;
    }
    if (!st->event_reason[0])
        snprintf(st->event_reason, sizeof st->event_reason, "%s", why);
}

static int interact_cb(auth_client_request_t req, char **result, int fields,
                       void *arg)
{
    const struct smtp_config *cfg = arg;
    static char empty[] = "";
    for (int i = 0; i < fields; i++) {
        if (req[i].flags & AUTH_USER)
            result[i] = (char *)cfg->user;
        else if (req[i].flags & AUTH_PASS)
            result[i] = cfg->password ? (char *)cfg->password : empty;
        else if (req[i].flags & AUTH_REALM)
            result[i] = empty;
        else
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ deliver */

/* A server that closes the connection while libesmtp writes raises
 * SIGPIPE, which would end the process. The session runs with SIGPIPE
 * blocked; one raised meanwhile is taken off the pending set before the
 * old mask returns, unless it was already pending before. */
struct sigpipe_guard {
    sigset_t old;
    int was_pending;
};

static void sigpipe_block(struct sigpipe_guard *g)
{
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

static void sigpipe_restore(struct sigpipe_guard *g)
{
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigpending(&pending);
    if (!g->was_pending && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&set, NULL, &zero) == SIGPIPE)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* Why the session as a whole failed, best explanation first. */
static void session_reason(char out[256], const struct session_state *st,
                           const char *hostport)
{
    char sys[128];
    if (st->event_reason[0]) {
        snprintf(out, 256, "%s", st->event_reason);
    } else if (st->auth_failure[0]) {
        snprintf(out, 256, "authentication failed: %s", st->auth_failure);
    } else if (st->last_reply[0] == '4' || st->last_reply[0] == '5') {
        snprintf(out, 256, "server refused the session: %s",
                 st->last_reply);
    } else {
        int en = smtp_errno();
        if (en == 0)
            snprintf(sys, sizeof sys, "no reply");
        else
            smtp_strerror(en, sys, sizeof sys);
        if (st->last_reply[0])
            snprintf(out, 256, "connection to %s lost: %s", hostport, sys);
        else
            snprintf(out, 256, "cannot connect to %s: %s", hostport, sys);
    }
}

static void set_item(struct smtp_item *it, enum smtp_outcome o,
                     const char *reply)
{
    it->outcome = o;
    snprintf(it->reply, sizeof it->reply, "%s", reply);
}

/* Outcome of one item that took part in a session that ran. */
static void judge(struct smtp_item *it, const struct slot *sl,
                  const struct session_state *st, const char *lost)
{
    const smtp_status_t *mail = smtp_reverse_path_status(sl->msg);
    const smtp_status_t *rcpt = smtp_recipient_status(sl->rcpt);
    const smtp_status_t *data = smtp_message_transfer_status(sl->msg);
    const smtp_status_t *decisive;
    char reply[256];
    if (mail->code == 0) {
        set_item(it, SMTP_RETRY, lost);
        return;
    }
    if (mail->code / 100 != 2)
        decisive = mail;
    else if (rcpt->code == 0) {
        set_item(it, SMTP_RETRY, lost);
        return;
    } else if (rcpt->code / 100 != 2)
        decisive = rcpt;
    else if (data->code / 100 == 2 && !smtp_recipient_check_complete(sl->rcpt))
        decisive = NULL;
    else if (data->code / 100 == 2 || data->code / 100 == 4 ||
             data->code / 100 == 5)
        decisive = data;
    else
        decisive = NULL; /* lost after DATA (maybe after its 354) */
    if (!decisive) {
        set_item(it, SMTP_RETRY, lost);
        return;
    }
    status_text(reply, decisive);
    if (auth_problem(decisive) && st->auth_failure[0]) {
        size_t l = strlen(reply);
        snprintf(reply + l, sizeof reply - l, " (AUTH refused: %s)",
                 st->auth_failure);
    }
    set_item(it, outcome_of(decisive), reply);
}

/* Run one libesmtp session for items[0..n), whose outcomes are preset to
 * SMTP_RETRY. Returns 0 when it ran (or had nothing valid to send), -1
 * with reason set when no transaction could start. */
static int run_session(const struct smtp_config *cfg, struct smtp_item *items,
                       size_t n, char reason[256])
{
    struct session_state st = {.cfg = cfg};
    char hostport[300];
    snprintf(hostport, sizeof hostport, "%s:%d", cfg->host,
             cfg->port > 0 ? cfg->port : 587);

    smtp_session_t s = smtp_create_session();
    auth_context_t actx = NULL;
    struct slot *slots = xcalloc(n, sizeof *slots);
    size_t queued = 0, reached = 0;
    int rc = 0;
    if (!s || !smtp_set_server(s, hostport) ||
        (cfg->helo && !smtp_set_hostname(s, cfg->helo))) {
        snprintf(reason, 256, "cannot set up an SMTP session");
        goto fail_all;
    }
    if (cfg->timeout_s > 0)
        for (int w = Timeout_GREETING; w <= Timeout_DATA2; w++)
            smtp_set_timeout(s, w | Timeout_OVERRIDE_RFC2822_MINIMUM,
                             cfg->timeout_s * 1000L);
    if (cfg->starttls &&
        !smtp_starttls_enable(s, cfg->starttls >= 2 ? Starttls_REQUIRED
                                                    : Starttls_ENABLED) &&
        cfg->starttls >= 2) {
        snprintf(reason, 256, "STARTTLS is required but this libesmtp "
                 "cannot do TLS");
        goto fail_all;
    }
    if (cfg->user && *cfg->user) {
        actx = auth_create_context();
        if (!actx) {
            snprintf(reason, 256, "cannot set up SMTP AUTH");
            goto fail_all;
        }
        auth_set_mechanism_flags(actx, AUTH_PLUGIN_PLAIN, 0);
        auth_set_interact_cb(actx, interact_cb, (void *)cfg);
        smtp_auth_set_context(s, actx);
    }
    smtp_set_eventcb(s, event_cb, &st);
    smtp_set_monitorcb(s, monitor_cb, &st, 0);

    for (size_t i = 0; i < n; i++) {
        struct smtp_item *it = &items[i];
        const char *from = it->envelope_from;
        if (!mime_addr_valid(it->rcpt)) {
            set_item(it, SMTP_FAILED, "invalid recipient address");
            continue;
        }
        if (from && *from && !mime_addr_valid(from)) {
            set_item(it, SMTP_FAILED, "invalid sender address");
            continue;
        }
        if (!it->data || it->len == 0 || it->len > INT_MAX) {
            set_item(it, SMTP_FAILED, "no message data, or too large");
            continue;
        }
        smtp_message_t m = smtp_add_message(s);
        if (!m || !smtp_set_reverse_path(m, from && *from ? from : NULL) ||
            !smtp_set_messagecb(m, message_cb, &slots[i]) ||
            !(slots[i].rcpt = smtp_add_recipient(m, it->rcpt))) {
            snprintf(reason, 256, "cannot set up an SMTP session");
            goto fail_all;
        }
        slots[i].msg = m;
        slots[i].item = it;
        slots[i].st = &st;
        smtp_message_set_application_data_release(m, &slots[i], NULL);
        queued++;
    }
    if (queued == 0)
        goto done;

    struct sigpipe_guard guard;
    sigpipe_block(&guard);
    int ran = smtp_start_session(s);
    sigpipe_restore(&guard);
    for (size_t i = 0; i < n; i++)
        if (slots[i].msg && smtp_reverse_path_status(slots[i].msg)->code)
            reached++;
    session_reason(reason, &st, hostport);
    if (!ran || reached == 0)
        goto fail_all;
    for (size_t i = 0; i < n; i++)
        if (slots[i].msg)
            judge(&items[i], &slots[i], &st, reason);
    goto done;

fail_all:
    for (size_t i = 0; i < n; i++)
        if (items[i].outcome == SMTP_RETRY) /* not refused as invalid */
            set_item(&items[i], SMTP_RETRY, reason);
    rc = -1;
done:
    if (s)
        smtp_destroy_session(s);
    if (actx)
        auth_destroy_context(actx);
    free(slots);
    return rc;
}

/* One share of a batch, run on its own thread. */
struct share {
    const struct smtp_config *cfg;
    struct smtp_item *items;
    size_t n;
    int rc;
    char reason[256];
};

static void *run_share(void *arg)
{
    struct share *sh = arg;
    sh->rc = run_session(sh->cfg, sh->items, sh->n, sh->reason);
    return NULL;
}

static pthread_once_t auth_once = PTHREAD_ONCE_INIT;

static void auth_init(void)
{
    auth_client_init();
}

int smtp_deliver(const struct smtp_config *cfg, struct smtp_item *items,
                 size_t n, struct err *e)
{
    assert(cfg != NULL && cfg->host != NULL && e != NULL);
    assert(items != NULL || n == 0);
    for (size_t i = 0; i < n; i++)
        set_item(&items[i], SMTP_RETRY, "not sent: the session ended first");
    if (n == 0)
        return 0;
    if (cfg->user && *cfg->user)
        pthread_once(&auth_once, auth_init);

    size_t max = cfg->max_connections > 0 ? (size_t)cfg->max_connections
                                          : SMTP_DEFAULT_CONNECTIONS;
    size_t k = (n + SMTP_MIN_PER_CONNECTION - 1) / SMTP_MIN_PER_CONNECTION;
    if (k > max)
        k = max;
    if (k < 1)
        k = 1;
    struct share *sh = xcalloc(k, sizeof *sh);
    pthread_t *th = xcalloc(k, sizeof *th);
    int *started = xcalloc(k, sizeof *started);
    for (size_t j = 0, off = 0; j < k; j++) {
        size_t cnt = n / k + (j < n % k);
        sh[j] = (struct share){cfg, items + off, cnt, 0, ""};
        off += cnt;
    }
    for (size_t j = 1; j < k; j++)
        started[j] = pthread_create(&th[j], NULL, run_share, &sh[j]) == 0;
    run_share(&sh[0]);
    for (size_t j = 1; j < k; j++) {
        if (started[j])
            pthread_join(th[j], NULL);
        else /* no thread: run it here */
            run_share(&sh[j]);
    }
    int rc = -1;
    for (size_t j = 0; j < k; j++)
        if (sh[j].rc == 0)
            rc = 0;
    if (rc < 0)
        err_set(e, "SMTP %s:%d: %s", cfg->host,
                cfg->port > 0 ? cfg->port : 587, sh[0].reason);
    free(sh);
    free(th);
    free(started);
    return rc;
}
