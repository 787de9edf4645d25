/*
 * collection.h — the decisions behind a SEPA direct-debit batch, as plain
 * values and free of the ledger: which invoices are due for collection,
 * whether a collection is a mandate's first (FRST) or a recurring one
 * (RCUR), its collection date, its end-to-end id and the batch's message
 * id. The export use case (usecase/collect.c) reads the rows, asks
 * collection_plan and writes what it returns.
 */
#ifndef CAREBILL_DECIDE_COLLECTION_H
#define CAREBILL_DECIDE_COLLECTION_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"

/* An invoice the export considers, with the account it is collected from.
 * Strings are owned by the value (dd_invoice_free); NULL when absent. */
struct dd_invoice {
    int64_t id;
    char *number;
    enum invoice_kind kind;
    enum invoice_status status;
    int direct_debit;        /* the invoice is paid by direct debit */
    int collected;           /* a collection of it was exported before
                                (reversed or not) */
    int64_t total_cents, paid_cents;
    cdate due;               /* invoice date + collection term */
    char *account, *name, *iban, *bic, *mandate_id;
    cdate mandate_date;
    int mandate_used;        /* the mandate was collected on before */
};

/* Free the strings of n rows and the array itself; NULL-safe. */
void dd_invoices_free(struct dd_invoice *rows, size_t n);

/* 1 when inv goes into the next batch: an open direct-debit invoice (not
 * a credit note) with money still open and no collection exported yet. A
 * reversed collection still counts: the reopened invoice is paid by other
 * means (its reminders ask for it), not collected again. */
int collection_due(const struct dd_invoice *inv);

/* 1 for FRST, 0 for RCUR: a collection is the mandate's first when the
 * mandate was never collected on (a reversal does not undo that) and no
 * earlier collection of the same batch is on the same account. */
int collection_first(int mandate_used, int account_earlier_in_batch);

/* The date asked of the bank: the invoice's due date (its date plus the
 * collection term), at the earliest the day after `today`, moved to the
 * next TARGET2 business day (target_next_business_day). */
cdate collection_date(cdate due, cdate today);

/* Easter Sunday of year y (Gregorian computus, 1583 and later). */
cdate easter_sunday(int y);

/* 1 when TARGET2 settles on d: not a Saturday or Sunday, not 1 January,
 * Good Friday, Easter Monday, 1 May, 25 or 26 December. */
int target_business_day(cdate d);

/* d when it is a TARGET2 business day, else the next one. */
cdate target_next_business_day(cdate d);

/* 1 when s can be an end-to-end id as it is: 1 to 35 characters of the
 * EPC set without the space (a-z A-Z 0-9 / - ? : ( ) . , ' +). */
int collection_epc_id(const char *s);

/* The end-to-end id of invoice `id` numbered `number`: the number when
 * collection_epc_id accepts it, else "CB<id>". Caller frees. */
char *collection_end_to_end_id(int64_t id, const char *number);

/* The batch's message id "CB-YYYYMMDD-<k>", k = batches exported before
 * (ever) + 1. out >= 40 bytes; returns out. */
char *collection_batch_id(cdate today, int64_t batches_before, char out[40]);

/* One collection of a planned batch. `inv` points into the rows given to
 * collection_plan; end_to_end_id is owned by the plan. */
struct planned_collection {
    const struct dd_invoice *inv;
    char *end_to_end_id;
    int first;               /* 1 FRST, 0 RCUR */
    cdate collection_date;
    int64_t amount_cents;    /* what is open on the invoice */
};

struct collection_plan {
    struct planned_collection *items;
    size_t n;
    int64_t total_cents;
};

/* Plan the batch from rows[0..n) in their order, keeping the ones
 * collection_due accepts. A mandate's FRST and RCUR never share a date:
 * an RCUR of an account whose FRST is in the same batch is collected on
 * the first TARGET2 business day after the FRST's date, at the earliest
 * (its own date when that is later). Returns 0 with *out filled (free with
 * collection_plan_free; n may be 0), or -1 with e naming the first due
 * invoice whose account has no mandate or no IBAN (*out is then empty). */
int collection_plan(const struct dd_invoice *rows, size_t n, cdate today,
                    struct collection_plan *out, struct err *e);

/* Free what collection_plan made and zero it; NULL-safe. */
void collection_plan_free(struct collection_plan *p);

#endif
