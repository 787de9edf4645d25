/*
 * invoices.h — the invoices and invoice_lines tables: an issued invoice
 * written with its lines, read back whole (lines, VAT summary, parties),
 * the billed-to party of an account for a draft, the sums its status is
 * decided from (decide/invoice_status.h) and the status written back, and
 * the lists the invoices report reads. Issued invoices are never changed
 * here except for status and paid_cents. Every function works inside the
 * caller's transaction and returns 0, or -1 with e filled (1 where it
 * says so for "no such invoice").
 */
#ifndef CAREBILL_STORE_INVOICES_H
#define CAREBILL_STORE_INVOICES_H

#include <stddef.h>
#include <stdint.h>

#include "decide/invoice.h"
#include "decide/invoice_status.h"
#include "ledger/ledger.h"

/* Write issued invoice inv and its lines: inv->number, series,
 * payment_reference and rules_hash are set, totals computed; `seq` is
 * its number in the series, `locale` the locale stored (inv->locale or
 * the practice's), `run` the tick's run id or 0. Sets inv->id. A
 * subscription period billed before is refused ("subscription N period
 * starting D is already billed"). */
int invoices_insert(struct ledger *lg, struct invoice *inv, int64_t seq,
                    const char *locale, int64_t run, struct err *e);

/* Read invoice `number` (or id `id`) with its lines, VAT summary (from
 * the stored lines; totals as stored) and parties into *out (overwritten;
 * invoice_free it, also after a failure). Returns 0, 1 when there is no
 * such invoice (e says so), -1 on error. */
int invoices_load(struct ledger *lg, const char *number, struct invoice *out,
                  struct err *e);
int invoices_load_id(struct ledger *lg, int64_t id, struct invoice *out,
                     struct err *e);

/* Fill party p (malloc'd strings, the caller's) from account `account`;
 * *locale gets the account's locale when locale is non-NULL and *locale
 * is NULL. "no account 'X'" when it does not exist. */
int invoices_party(struct ledger *lg, const char *account, struct party *p,
                   char **locale, struct err *e);

/* The id of invoice `number` into *id; 1 when there is none (e says so). */
int invoices_find(struct ledger *lg, const char *number, int64_t *id,
                  struct err *e);

/* An invoice's header fields that bookings look at. */
struct invoice_head {
    int64_t id;
    char number[128];
    enum invoice_kind kind;
    enum invoice_status status;
    int64_t total_cents, paid_cents;
    cdate issued;
    char account[128]; /* the account billed */
};

/* The head of invoice `id` into *h; 1 when there is none (e says so). */
int invoices_head(struct ledger *lg, int64_t id, struct invoice_head *h,
                  struct err *e);

/* What the credit notes of invoice `id` credited so far, as a positive
 * amount, into *cents. */
int invoices_credited(struct ledger *lg, int64_t id, int64_t *cents,
                      struct err *e);

/* The total of invoice `id` and the sums of its payments rows, split by
 * method (decide/invoice_status.h), into *s; 1 when there is no such
 * invoice. */
int invoices_sums(struct ledger *lg, int64_t id, struct invoice_sums *s,
                  struct err *e);

/* Store the decided settlement of invoice `id`: paid_cents and status. */
int invoices_set_status(struct ledger *lg, int64_t id, int64_t paid_cents,
                        enum invoice_status status, struct err *e);

/* *yes = 1 when a direct-debit collection of invoice `id` was reversed
 * by the bank, else 0. */
int invoices_collection_reversed(struct ledger *lg, int64_t id, int *yes,
                                 struct err *e);

/* Every invoice and credit note (of `account` only, when non-NULL), in
 * id order: the header as stored (to.id is the account; credit_of the
 * corrected invoice's number; the payment reference), and the lines
 * when with_lines is 1 (no VAT summary, no party beyond its id). *out is
 * malloc'd (invoices_list_free); *n may be 0. */
int invoices_list(struct ledger *lg, const char *account, int with_lines,
                  struct invoice **out, size_t *n, struct err *e);
void invoices_list_free(struct invoice *v, size_t n);

/* ---- what the daily run asks before it bills */

/* The latest issue date in the ledger into *d (CDATE_NONE when there is
 * no invoice): numbers follow dates. Read from the series' dates
 * (series.last_issued) and the numbers the open transaction took. */
int invoices_last_issued(struct ledger *lg, cdate *d, struct err *e);

/* The issue date of the last-numbered invoice of series `series`
 * (invoices.series, the key usecase/issue.c numbers in; kept by the
 * series, series.last_issued, or by the open transaction's counter when
 * it numbered in the series) into *d; CDATE_NONE when the series has no
 * invoice yet. */
int invoices_last_issued_series(struct ledger *lg, const char *series,
                                cdate *d, struct err *e);

/* *taken = 1 when an invoice of the ledger stores payment reference
 * `ref` (invoices_payment_reference answers it). */
int invoices_reference_taken(struct ledger *lg, const char *ref, int *taken,
                             struct err *e);

/* *any = 1 when account has a direct-debit invoice already (its next
 * collection is not the mandate's first). */
int invoices_any_direct_debit(struct ledger *lg, const char *account,
                              int *any, struct err *e);

/* *billed = 1 when the period of subscription sub starting on `start`
 * has an invoice line. */
int invoices_period_billed(struct ledger *lg, int64_t sub, cdate start,
                           int *billed, struct err *e);

#endif
