/*
 * smtp.h — delivering a batch of composed messages over SMTP (libesmtp).
 *
 * The outbox hands smtp_deliver() a batch of messages already composed by
 * mime_compose(); they go out over one connection (a few for a large
 * batch), one SMTP transaction each, and every item comes back with an
 * outcome the outbox can act on: sent (mark it sent), retry (keep it
 * queued, try again later) or failed (the server refused it for good). The message bytes are sent unchanged:
 * carebill's headers (From, To, Date, Message-ID, ...) are all present, so
 * libesmtp neither adds nor rewrites any. Nothing here touches the ledger.
 */
#ifndef CAREBILL_SMTP_H
#define CAREBILL_SMTP_H

#include <stddef.h>

#include "base/util.h"

struct smtp_item;

struct smtp_config {
    const char *host;     /* name or IPv4 address */
    int port;             /* 0 means 587 */
    int starttls;         /* 0 never, 1 when offered, 2 required */
    const char *user;     /* NULL or "": no AUTH */
    const char *password; /* from the environment, never from YAML */
    const char *helo;     /* name for EHLO; NULL: this host's name */
    int timeout_s;        /* per protocol step; 0: RFC 5321 defaults */
    int max_connections;  /* sessions run side by side for a large batch;
                             0: SMTP_DEFAULT_CONNECTIONS, 1: strictly one */
    /* Optional hooks, so the caller can record each message as it goes
     * (NULL: none). Called on the session's thread, several sessions at
     * once for a large batch: the callee serialises what it shares.
     * handover(hook_arg, it): its data is about to be written, the
     * server having answered DATA with 354: from now on it may arrive.
     * Called at most once per item, before any of its bytes leave.
     * done(hook_arg, it): the server's reply to its data came
     * (it->outcome and it->reply are set, as smtp_deliver returns them).
     * An item handed over whose reply never comes gets no done call. */
    void (*handover)(void *hook_arg, struct smtp_item *it);
    void (*done)(void *hook_arg, struct smtp_item *it);
    void *hook_arg;
};

/* A batch is shared out over ceil(n / SMTP_MIN_PER_CONNECTION) sessions,
 * at most max_connections: small batches use one connection, large ones a
 * few, each carrying many messages, so round-trip waits overlap. */
#define SMTP_DEFAULT_CONNECTIONS 4
#define SMTP_MIN_PER_CONNECTION 100

enum smtp_outcome {
    SMTP_SENT,   /* the server accepted the message (2xx after DATA) */
    SMTP_RETRY,  /* no connection, dropped connection, 4xx, or an
                    authentication/TLS problem: keep it queued */
    SMTP_FAILED  /* 5xx for this recipient or message, or an item carebill
                    cannot send (invalid address): do not retry */
};

struct smtp_item {
    const char *envelope_from; /* MAIL FROM; NULL or "" for <> */
    const char *rcpt;          /* RCPT TO, one recipient */
    const char *data;          /* the message, from mime_compose() */
    size_t len;
    enum smtp_outcome outcome; /* out */
    char reply[256];           /* out: the server's reply that decided the
                                  outcome ("550 5.1.1 <x@y>: no such user",
                                  "250 2.0.0 OK queued as 42"), or why no
                                  reply came ("connection refused") */
};

/* Deliver items[0..n) over SMTP: one session (one connection, one
 * transaction per item, commands pipelined when the server offers
 * PIPELINING) per share of the batch, the shares side by side (see
 * max_connections), with STARTTLS and AUTH as cfg says. Sets every item's
 * outcome and reply; the bytes are sent as they are. An item whose addresses are not valid (see
 * mime_addr_valid) is SMTP_FAILED without being sent.
 * Returns 0 when a session ran, even if some or all items were refused or
 * a connection dropped part-way (those items say SMTP_RETRY with the
 * reason). Returns -1 with e set when no transaction could start: the
 * server could not be reached, refused the session (greeting or EHLO),
 * required STARTTLS was not available, or the session could not be set
 * up; every item not already refused as invalid is then SMTP_RETRY and
 * its reply holds the same reason.
 * A server reply saying authentication is required or failed (530, 534,
 * 535, 538, 5.7.0, 5.7.8) makes items SMTP_RETRY, not SMTP_FAILED: it is
 * a configuration problem, not the message's. A message the server
 * accepted but whose final reply was lost (connection dropped after the
 * data) comes back SMTP_RETRY; SMTP cannot tell, so a resend may
 * duplicate it and its Message-ID lets the receiver notice. SIGPIPE is
 * held off while a session runs. Safe to call from several threads. */
int smtp_deliver(const struct smtp_config *cfg, struct smtp_item *items,
                 size_t n, struct err *e);

#endif
