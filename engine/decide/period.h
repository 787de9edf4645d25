/*
 * period.h — billing periods of a subscription as pure date arithmetic:
 * calendar months, quarters and years, or periods anchored on the start
 * date (anniversary), which clamp to the month's last day and return to
 * the anchor day afterwards (31 Jan -> 28 Feb -> 31 Mar).
 */
#ifndef CAREBILL_PERIOD_H
#define CAREBILL_PERIOD_H

#include "rules/rules.h"
#include "base/util.h"

struct period {
    cdate start, end; /* inclusive */
};

/* Months in one period of unit u (1, 3 or 12). */
int period_months(enum period_unit u);

/* The period that contains day d, for a subscription anchored on
 * `anchor` (its start date). */
struct period period_containing(enum period_unit u, enum alignment a,
                                cdate anchor, cdate d);

/* The period that follows p. */
struct period period_after(enum period_unit u, enum alignment a, cdate anchor,
                           struct period p);

/* Days in p (end - start + 1). */
int period_days(struct period p);

/* "2026-01-01..2026-01-31" into buf (>= 24 bytes). */
char *period_fmt(struct period p, char buf[24]);

#endif
