/*
 * sink.h — the run's record: what a tick writes, as structured events, in
 * the order it writes them. When eng->sink is set, the use cases a run
 * goes through append one event per thing they write: an invoice (with
 * its lines), a message queued or scheduled, a reminder fired or
 * cancelled, a credit grant, use or withdrawal, a period not billed and
 * why. `tick --dry-run` and `simulate` print them as text or as the JSON
 * array README.md documents (face/cli_billing.c). Strings are owned by
 * the sink; nothing here touches the ledger.
 */
#ifndef CAREBILL_SINK_H
#define CAREBILL_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"

enum run_event_kind {
    RUN_INVOICE,
    RUN_MESSAGE,
    RUN_REMINDER,
    RUN_CREDIT_GRANT,
    RUN_CREDIT_USE,
    RUN_CREDIT_WITHDRAWN,
    RUN_NOT_BILLED,
    RUN_BALANCE_APPLIED,
};

struct run_line {
    char *description;
    int64_t qty100, unit_cents, amount_cents;
    char *vat_id;
    int32_t vat_bp;
};

struct run_event {
    enum run_event_kind kind;
    cdate date;          /* the run date */
    char *invoice;       /* invoice number, or NULL */
    char *account;
    int64_t subscription; /* 0: none */
    cdate period_start, period_end; /* CDATE_NONE: none */
    /* RUN_INVOICE: its kind, dates, amounts and lines */
    int64_t invoice_id;
    const char *kind_name;
    cdate issued, due;
    int64_t total_cents, vat_cents;
    struct run_line *lines;
    size_t n_lines;
    /* RUN_MESSAGE: the event, template, recipient, send time, status
     * ("queued" or "scheduled") and reminder step (0: none) */
    char *event, *template_id, *to_addr, *send_at, *status;
    int step;
    /* RUN_NOT_BILLED, a cancelled RUN_REMINDER: why */
    char *reason;
    /* RUN_CREDIT_*: package and number of credits */
    char *package;
    int64_t credits;
    /* RUN_BALANCE_APPLIED: the credit balance that settled `invoice` */
    int64_t amount_cents;
};

struct run_sink {
    struct run_event *v;
    size_t n, cap;
};

/* Append to the sink (a NULL sink ignores every call). */
void run_sink_invoice(struct run_sink *s, cdate date, const struct invoice *inv,
                      int64_t subscription, cdate start, cdate end);
void run_sink_message(struct run_sink *s, cdate date, const char *event,
                      const char *template_id, const char *account,
                      int64_t invoice, const char *to_addr,
                      const char *send_at, const char *status, int step);
void run_sink_reminder(struct run_sink *s, cdate date, int64_t invoice_id,
                       const char *invoice, const char *account, int step,
                       const char *template_id, const char *reason);
void run_sink_credit(struct run_sink *s, enum run_event_kind kind, cdate date,
                     const char *account, const char *package,
                     int64_t credits, const char *invoice);
void run_sink_not_billed(struct run_sink *s, cdate date, const char *account,
                         int64_t subscription, cdate start, cdate end,
                         const char *reason);
void run_sink_balance(struct run_sink *s, cdate date, const char *account,
                      const char *invoice, int64_t cents);
/* Free every event (the sink itself is the caller's). */
void run_sink_free(struct run_sink *s);
/* The name of kind k in the JSON schema: "invoice", "message", ... */
const char *run_event_name(enum run_event_kind k);

#endif
