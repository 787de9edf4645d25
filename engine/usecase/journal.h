/*
 * journal.h — the accountant's reports: `report journal` (every booking
 * the ledger implies in a date range, decide/journal.h, with the totals
 * that reconcile it with `report invoices`) and `report vat` (turnover
 * and VAT per rate, the exempt turnover, the VAT due), read through
 * store/journal.h, store/invoices.h and store/payments.h. Nothing is
 * written.
 */
#ifndef CAREBILL_USECASE_JOURNAL_H
#define CAREBILL_USECASE_JOURNAL_H

#include "decide/journal.h"
#include "usecase/engine.h"

/* The journal of a date range and its reconciliation. */
struct ledger_journal {
    struct journal_codes codes; /* the practice's (borrowed from rules) */
    struct jlines lines;        /* by date, then as booked */
    int64_t debit_cents, credit_cents;
    /* reconciliation with `report invoices --from --to` */
    size_t n_invoices;          /* invoices and credit notes issued */
    int64_t invoiced_cents;     /* their totals summed */
    int64_t invoiced_vat_cents; /* their VAT summed */
    int64_t debtors_cents;      /* debtors debit - credit of their bookings */
    int64_t vat_cents;          /* VAT payable credit - debit of them */
};

/* Build the journal of from..to (CDATE_NONE: an open end) into *out
 * (ledger_journal_free). Returns 0 or -1 (e filled). */
int journal_build(struct engine *eng, cdate from, cdate to,
                  struct ledger_journal *out, struct err *e);
void ledger_journal_free(struct ledger_journal *j);

/* Turnover and VAT of one VAT rate. */
struct vat_rate_total {
    char *vat_id;
    int32_t bp;
    int exempt;
    int64_t base_cents, vat_cents; /* net turnover and its VAT; credit
                                      notes count negative */
};

struct vat_report {
    struct vat_rate_total *rates; /* by rate (basis points), then id */
    size_t n;
    size_t n_invoices;
    int64_t base_cents;     /* all turnover, net */
    int64_t taxed_cents;    /* turnover at a rate that is not exempt */
    int64_t exempt_cents;   /* exempt turnover (healthcare) */
    int64_t vat_cents;      /* VAT due */
};

/* Turnover and VAT per rate of the invoices and credit notes issued in
 * from..to into *out (vat_report_free). Returns 0 or -1. */
int journal_vat_report(struct engine *eng, cdate from, cdate to,
                       struct vat_report *out, struct err *e);
void vat_report_free(struct vat_report *r);

#endif
