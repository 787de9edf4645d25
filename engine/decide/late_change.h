/*
 * late_change.h — what a stop, pause or price change entered after its
 * period was invoiced does to that invoice (issue 11, item 2): how much
 * of it is no longer billable, whether that is the whole invoice, and
 * whether it is credited now, only warned about, or left until the bank's
 * result (an invoice already exported in a direct-debit batch). A price
 * raised after the period was invoiced never raises the invoice: it is
 * reported, and the new price applies from the next period. Pure.
 */
#ifndef CAREBILL_DECIDE_LATE_CHANGE_H
#define CAREBILL_DECIDE_LATE_CHANGE_H

#include <stdint.h>

#include "rules/rules.h"

enum late_action {
    LATE_NONE,     /* every billed day is still billable */
    LATE_WARNED,   /* late_change: warn; the command corrects it */
    LATE_CREDITED, /* late_change: credit; a credit note is issued */
    LATE_EXPORTED, /* in a direct-debit batch: correct it after the bank's
                      result */
    LATE_UNDERBILLED /* a price change: the invoice bills less than the
                        new price; it keeps its price (never raised) */
};

/* An issued period as billed, and what it bills on the new state. */
struct late_period {
    int64_t line_cents;    /* what the period's line charged */
    int64_t now_cents;     /* what billing it again charges now */
    int64_t invoice_total; /* the invoice's total */
    int64_t credited;      /* what its credit notes credited already */
    int n_lines;           /* lines on the invoice */
    int exported;          /* collected in a batch (not reversed) */
    int repriced;          /* 1: the change is a price change, so billing
                              more now is reported (LATE_UNDERBILLED) */
};

/* The action for p under setting mode; *cents receives what is no longer
 * billable (never more than the invoice still holds) and *full 1 when it
 * is the whole invoice (credit it in full). For LATE_UNDERBILLED, *cents
 * is what the period bills below the price now in force. */
enum late_action late_change_decide(enum late_change mode,
                                    const struct late_period *p,
                                    int64_t *cents, int *full);

#endif
