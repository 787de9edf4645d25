/*
 * retry.h — what becomes of an outbox message after one delivery attempt,
 * and when a message that is to be retried is tried again: the backoff
 * schedule of `outbox send` (5 minutes, 15, 1 hour, 4 hours, 12 hours,
 * then daily) up to RETRY_MAX_ATTEMPTS attempts. Pure: times are the
 * outbox's "YYYY-MM-DD HH:MM" strings, read and written as UTC civil time
 * so no time zone or clock is involved.
 */
#ifndef CAREBILL_DECIDE_RETRY_H
#define CAREBILL_DECIDE_RETRY_H

#include "formats/smtp.h"

/* Attempts after which a message the server keeps deferring fails. */
#define RETRY_MAX_ATTEMPTS 10

enum delivery_outcome {
    DELIVERY_SENT,   /* mark it sent */
    DELIVERY_RETRY,  /* keep it queued until the next try */
    DELIVERY_FAILED, /* mark it failed, for a person to look at */
};

/* The outcome of attempt number `attempts` (1 for the first) that the
 * SMTP session reported as o: sent; retry while the server only defers
 * it and fewer than RETRY_MAX_ATTEMPTS attempts were made; failed
 * otherwise. */
enum delivery_outcome retry_outcome(enum smtp_outcome o, int attempts);

/* Minutes to wait after the n-th failed attempt (n < 1 counts as 1;
 * after the 6th and later: a day). */
int retry_backoff_minutes(int attempts);

/* now ("YYYY-MM-DD HH:MM") plus minutes into out, normalized across
 * hours, days, months and years. A now that does not read as such is
 * copied unchanged. Returns out. */
char *retry_add_minutes(const char *now, int minutes, char out[17]);

/* When to try again after attempt number `attempts` failed at now. */
char *retry_next_try(const char *now, int attempts, char out[17]);

#endif
