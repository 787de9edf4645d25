/*
 * collections.h — the ledger's side of direct debit and bank statements:
 * the collections exported in pain.008 batches, the bank_entries already
 * imported, the account's mandate flag they move, and the reads the
 * export and the import need (the direct-debit invoices with their
 * account's mandate; the invoices a statement entry's probes find). Plain
 * values in and out (decide/collection.h, decide/bank_match.h); what is
 * due, FRST or RCUR and which invoice an entry is about are decided
 * there, not here. Every function works inside the caller's transaction
 * and returns 0, or -1 with e filled.
 */
#ifndef CAREBILL_STORE_COLLECTIONS_H
#define CAREBILL_STORE_COLLECTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/bank_match.h"
#include "decide/collection.h"
#include "ledger/ledger.h"

/* ------------------------------------------------------------ export */

/* The open direct-debit invoices no collection was exported for, each
 * with its account's name, IBAN, BIC and mandate, in invoice id order
 * (the rows collection_due may accept; a narrowing for speed, not the
 * rule). *out is malloc'd (dd_invoices_free); *n may be 0. */
int collections_due_dd(struct ledger *lg, struct dd_invoice **out,
                       size_t *n, struct err *e);

/* Number of distinct batches ever exported into *n. */
int collections_batch_count(struct ledger *lg, int64_t *n, struct err *e);

/* One exported collection; strings are borrowed. */
struct collection_row {
    int64_t invoice;
    const char *end_to_end_id; /* unique over the ledger */
    const char *batch;         /* the pain.008 message id */
    int first;                 /* 1 FRST, 0 RCUR */
    int64_t amount_cents;
    cdate collection_date, exported_on;
};

/* Record collection c. A repeated end-to-end id is an error. */
int collections_insert(struct ledger *lg, const struct collection_row *c,
                       struct err *e);

/* Mark the mandate of account `account` as collected on (its next
 * collection is RCUR). */
int collections_mark_mandate_used(struct ledger *lg, const char *account,
                                  struct err *e);

/* ------------------------------------------------------------ import */

/* Append to *into the invoices probe p finds (a collection's end-to-end
 * id, an invoice number or a payment reference equal to p->value), in
 * invoice id order, each with what bank_match needs (number, payment
 * reference, the collection's end-to-end id for BANK_BY_END_TO_END,
 * what was paid). Finding none is not an error. */
int collections_find_candidates(struct ledger *lg, const struct bank_probe *p,
                                struct bank_candidates *into, struct err *e);

/* *yes = 1 when a payment (or reversal) already carries bank reference
 * key (bank_entry_key), 0 when none does. */
int collections_entry_registered(struct ledger *lg, const char *key,
                                 int *yes, struct err *e);

/* Mark the collections of invoice `invoice` reversed (its reminders then
 * ask for payment). */
int collections_mark_reversed(struct ledger *lg, int64_t invoice,
                              struct err *e);

/* One imported statement entry; strings are borrowed, NULL when absent. */
/* *yes = 1 when bank_entries holds an entry with key (its unique index). */
int collections_bank_entry_known(struct ledger *lg, const char *key, int *yes,
                                 struct err *e);

struct bank_entry_row {
    const char *entry_key;     /* bank_entry_key; unique over the ledger */
    cdate booking_date;        /* CDATE_NONE when the entry has none */
    int64_t amount_cents;
    int credit, reversal;
    const char *end_to_end_id, *reference, *remittance;
    int64_t invoice;           /* 0: matched to none */
    const char *outcome;       /* "paid", "reversed", "unmatched", ... */
    cdate imported_on;
};

/* Record entry b; an entry_key imported before sets *dup = 1 and writes
 * nothing. */
int collections_insert_bank_entry(struct ledger *lg,
                                  const struct bank_entry_row *b, int *dup,
                                  struct err *e);

#endif
