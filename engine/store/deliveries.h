/*
 * deliveries.h — the delivery side of the outbox table: claiming the
 * queued messages that are due for one sender, marking each 'sending' as
 * it is handed to the server (counting the attempt), and recording each attempt's end — sent, queued again with
 * the time of the next try, or failed — with the server's reply. What a
 * message becomes after an attempt is decided in decide/retry.h; queueing
 * and cancelling messages is store/outbox.h's. Every function works in
 * the caller's transaction and returns 0, or -1 with e filled.
 */
#ifndef CAREBILL_STORE_DELIVERIES_H
#define CAREBILL_STORE_DELIVERIES_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"

/* A claimed message, as composed into mail. Strings are owned
 * (delivery_free); NULL when the row has none. */
struct delivery {
    int64_t id;
    int64_t invoice;   /* 0: about no invoice */
    int attempts;      /* attempts made, this one included */
    int attach_pdf;    /* 1: attach the invoice's PDF */
    int attach_ubl;    /* 1: and its UBL file, when einvoice gives one */
    char *to, *to_name, *subject, *body, *event, *key;
    /* queued without its text (store/outbox.h struct outbox_row), to be
     * rendered when sent from these and its invoice */
    int deferred;
    char *template_id, *sub_name;
    int64_t paid_cents;
};

/* Free d's strings (not d). */
void delivery_free(struct delivery *d);

/* Mark every message still 'sending' that no sender claims (left by a
 * carebill before claims were recorded) failed with last reply `reason`;
 * *n receives how many there were. */
int deliveries_fail_interrupted(struct ledger *lg, const char *reason,
                                size_t *n, struct err *e);

/* The distinct senders (base/proc.h tokens) that hold claims on
 * messages: *tokens is malloc'd, each string too; free with
 * deliveries_tokens_free. */
int deliveries_claimants(struct ledger *lg, char ***tokens, size_t *n,
                         struct err *e);
void deliveries_tokens_free(char **tokens, size_t n);

/* Settle the claims of a sender that is gone: its messages never handed
 * over stay queued, unclaimed (*requeued of them); those it had handed
 * to the server ('sending') fail with `reason` (*failed of them). */
int deliveries_release(struct ledger *lg, const char *token,
                       const char *reason, size_t *requeued, size_t *failed,
                       struct err *e);

/* Claim up to max queued, unclaimed messages whose send time and next try
 * (if any) are not after now ("YYYY-MM-DD HH:MM"), in send time then id
 * order, for sender `token`: they stay 'queued' (a kill leaves them
 * there) with claimed_by = token, and are filled into out[0..*n) (room
 * for max) with attempts counting this one. On error nothing is left in
 * out (*n = 0). */
int deliveries_claim(struct ledger *lg, const char *now, size_t max,
                     const char *token, struct delivery *out, size_t *n,
                     struct err *e);

/* Message id, claimed by token, is being handed to the server now: it
 * becomes 'sending' with the attempt counted. 0 also when the claim is
 * gone (the message was cancelled meanwhile; nothing changes). */
int deliveries_mark_sending(struct ledger *lg, int64_t id, const char *token,
                            struct err *e);

/* The three below leave a message cancelled while it was claimed (and
 * never handed over) cancelled. */

/* Message id was accepted at sent_at, with the server's reply; attempts
 * is the count including this one. The claim is dropped. subject and
 * body, when non-NULL, are the text it was rendered with as it was sent,
 * written into its row by the same statement; NULL keeps the row's. */
int deliveries_mark_sent(struct ledger *lg, int64_t id, int attempts,
                         const char *sent_at, const char *reply,
                         const char *subject, const char *body,
                         struct err *e);

/* Message id waits in the queue until next_try, with the reply; the claim
 * is dropped. */
int deliveries_mark_retry(struct ledger *lg, int64_t id, int attempts,
                          const char *next_try, const char *reply,
                          struct err *e);

/* Message id failed, with the reply (or why it could not be sent); the
 * claim is dropped. */
int deliveries_mark_failed(struct ledger *lg, int64_t id, int attempts,
                           const char *reply, struct err *e);

/* Queue failed message id again, due at once, its attempts counted
 * anew (so it gets the whole series of retries with backoff, not one
 * attempt past the limit). Returns 0, 1 when there is no failed message
 * with that id (nothing changed), -1 on error. */
int deliveries_requeue(struct ledger *lg, int64_t id, struct err *e);

#endif
