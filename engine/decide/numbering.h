/*
 * numbering.h — the one rule that keeps invoice numbers in date order:
 * within a series an invoice may not be dated before the latest invoice
 * already issued, or a later number would carry an earlier date. Every
 * command that issues a number (the daily run, product and appointment
 * invoices, credit notes) asks this through usecase/issue.c.
 */
#ifndef CAREBILL_DECIDE_NUMBERING_H
#define CAREBILL_DECIDE_NUMBERING_H

#include "base/util.h"

/* 1 when an invoice dated `date` may take the next number after the
 * latest issue date `last_issued` (CDATE_NONE: nothing issued yet, always
 * 1), i.e. when date >= last_issued; 0 when it would number out of date
 * order. */
int numbering_date_ok(cdate last_issued, cdate date);

#endif
