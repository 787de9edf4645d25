/*
 * deliver.h — `outbox send`: the messages that are due leave the outbox
 * over SMTP, many per connection. Each message is marked 'sending' (and
 * committed) before it is handed to the server and 'sent', 'queued' for a
 * retry with backoff, or 'failed' after, with the server's reply. A
 * message found still 'sending' (the previous delivery was interrupted)
 * is never sent again by itself: it is marked failed, with that reason,
 * for a person to retry or cancel, so a crash can never send twice.
 */
#ifndef CAREBILL_DELIVER_H
#define CAREBILL_DELIVER_H

#include <stdio.h>

#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

struct deliver_summary {
    size_t sent, retry, failed, interrupted;
};

/* Deliver every queued message due by `now` ("YYYY-MM-DD HH:MM"); at
 * most `limit` (0: all). The server is the practice's smtp settings;
 * CAREBILL_SMTP_HOST and CAREBILL_SMTP_PORT override them. Runs its own transactions. -1 only when the
 * ledger fails; SMTP trouble is recorded per message. */
int deliver_outbox(struct engine *eng, const char *now,
                   size_t limit, FILE *log, struct deliver_summary *out,
                   struct err *e);

/* Inside the caller's transaction: put failed message id back in the
 * queue, due at once. -1 with "message N is not a failed message" when
 * there is none. */
int deliver_retry(struct ledger *lg, int64_t id, struct err *e);

/* "YYYY-MM-DD HH:MM" now in the practice's zone (CAREBILL_TODAY: that day,
 * 23:59). */
char *deliver_now(const struct rules *r, char buf[17]);

#endif
