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

/* What an import did, every entry counted once in exactly one of
 * paid .. duplicates: entries = paid + partly_paid + overpaid + reversed
 * + unmatched + not_registered + outgoing + credit_reversals + skipped
 * + duplicates. */
struct bank_summary {
    size_t entries, paid, reversed, unmatched, skipped, duplicates;
    int64_t paid_cents, reversed_cents; /* paid_cents: every registered
                                           payment, partly paid and
                                           overpaid included */
    size_t partly_paid, overpaid;       /* registered, money still open /
                                           more than was open */
    size_t not_registered;              /* matched but refused, with why
                                           on the log */
    size_t outgoing;                    /* debits that are not the bank's
                                           return of a collection:
                                           refunds, payouts, costs */
    size_t outgoing_matched;            /* of which name an invoice (a
                                           refund to record by hand) */
    size_t credit_reversals;            /* credits with the reversal flag */
    size_t needs_person;                /* entries a person must look at:
                                           unmatched credits, not
                                           registered, credit reversals,
                                           outgoing that name an invoice */
};

/* Inside the caller's transaction: import the statement at path, one
 * line per entry to `log`. An entry imported before is counted as
 * already imported. A statement whose account is not the practice's IBAN
 * is refused (nothing is done, -1 and e) unless any_account is 1. */
int bank_import_from(struct engine *eng, const char *path, cdate today,
                     int any_account, FILE *log, struct bank_summary *out,
                     struct err *e);

/* bank_import_from with any_account 0. */
int bank_import(struct engine *eng, const char *path,
                cdate today, FILE *log, struct bank_summary *out,
                struct err *e);

#endif
