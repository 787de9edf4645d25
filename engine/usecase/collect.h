/*
 * collect.h — the ledger's side of the bank: exporting open direct-debit
 * invoices as a SEPA pain.008 batch (FRST for a mandate's first
 * collection, RCUR after), and importing a camt.053 statement to register
 * payments and reversals. Matching is by end-to-end id (a collection's,
 * then an invoice number), then payment reference, then each word of the
 * remittance text as an invoice number or payment reference
 * (decide/bank_match.h); anything else is reported as unmatched, never
 * guessed.
 */
#ifndef CAREBILL_COLLECT_H
#define CAREBILL_COLLECT_H

#include <stdio.h>

#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

struct collect_summary {
    size_t n;
    int64_t total_cents;
    char batch[40];
};

/* Inside the caller's transaction: record every open, not yet collected
 * direct-debit invoice and write the batch to path (nothing is written
 * when none is due: n = 0). created_iso is the batch's creation time. */
int collect_export(struct engine *eng, cdate today,
                   const char *created_iso, const char *path,
                   struct collect_summary *out, struct err *e);

struct bank_summary {
    size_t entries, paid, reversed, unmatched, skipped, duplicates;
    int64_t paid_cents, reversed_cents;
};

/* Inside the caller's transaction: import the statement at path, one
 * line per entry to `log`. An entry imported before is skipped. */
int bank_import(struct engine *eng, const char *path,
                cdate today, FILE *log, struct bank_summary *out,
                struct err *e);

#endif
