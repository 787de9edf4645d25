/*
 * deliveries.h — the delivery side of the outbox table: claiming the
 * queued messages that are due (marking them 'sending' and counting the
 * attempt), and recording each attempt's end — sent, queued again with
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
    char *to, *to_name, *subject, *body, *event, *key;
};

/* Free d's strings (not d). */
void delivery_free(struct delivery *d);

/* Mark every message still 'sending' failed with last reply `reason`;
 * *n receives how many there were. */
int deliveries_fail_interrupted(struct ledger *lg, const char *reason,
                                size_t *n, struct err *e);

/* Claim up to max queued messages whose send time and next try (if any)
 * are not after now ("YYYY-MM-DD HH:MM"), in send time then id order:
 * each is marked 'sending' with one more attempt, and filled into
 * out[0..*n) (room for max). On error nothing is left in out (*n = 0). */
int deliveries_claim(struct ledger *lg, const char *now, size_t max,
                     struct delivery *out, size_t *n, struct err *e);

/* Message id was accepted at sent_at, with the server's reply. */
int deliveries_mark_sent(struct ledger *lg, int64_t id, const char *sent_at,
                         const char *reply, struct err *e);

/* Message id waits in the queue until next_try, with the reply. */
int deliveries_mark_retry(struct ledger *lg, int64_t id, const char *next_try,
                          const char *reply, struct err *e);

/* Message id failed, with the reply (or why it could not be sent). */
int deliveries_mark_failed(struct ledger *lg, int64_t id, const char *reply,
                           struct err *e);

/* Queue failed message id again, due at once. Returns 0, 1 when there is
 * no failed message with that id (nothing changed), -1 on error. */
int deliveries_requeue(struct ledger *lg, int64_t id, struct err *e);

#endif
