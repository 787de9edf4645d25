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

/* The widest {seq:N}: 18 digits hold any sequence number carebill can
 * reach (an int64 has 19), and a wider field is a typo `check` refuses. */
#define NUMBERING_SEQ_WIDTH_MAX 18

/* The invoice number `pattern` gives for sequence number seq in `year`:
 * {year} (four digits), {seq}, {seq:N} (zero-padded to N digits, N from
 * 1 to NUMBERING_SEQ_WIDTH_MAX, however many digits N has), {supplier}
 * (supplier's id; "" for NULL) and literal text; any other brace stays
 * as written (check refuses it first). Returns a malloc'd string the
 * caller frees. */
char *numbering_format(const char *pattern, int year, int64_t seq,
                       const char *supplier);

#endif
