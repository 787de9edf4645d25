/*
 * run_date.h — whether a run may be dated after today. A daily run writes
 * invoices, e-mails and reminders dated on its run date, and every later
 * run must be dated on or after it; a run dated ahead by a typo would
 * stop billing until the real date catches up. So a date after today is
 * refused unless the caller asked for it on purpose (--future), and even
 * then only as far ahead as the practice issues direct-debit invoices
 * early (dd_days_before). Pure: no ledger, no clock.
 */
#ifndef CAREBILL_DECIDE_RUN_DATE_H
#define CAREBILL_DECIDE_RUN_DATE_H

#include "base/util.h"

/* 0 when a run dated as_of may go ahead on `today`: as_of on or before
 * today, or with `future` set at most lead_days after today. Otherwise
 * -1 with e saying why and how to run it on purpose. */
int run_date_check(cdate today, cdate as_of, int future, int lead_days,
                   struct err *e);

#endif
