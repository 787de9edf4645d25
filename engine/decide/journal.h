/*
 * journal.h — the accountant's journal as a decision on plain values:
 * the double-entry bookings each thing in the ledger implies. An invoice
 * books its total on the debtors account against sales per VAT rate and
 * the VAT payable (a credit note the other way round); money received
 * books bank against debtors, a bank reversal and a refund the other way;
 * a credit balance applied books the customers' balances against debtors;
 * an overpayment bank against those balances, a balance refund back; a
 * payout to a supplier what is owed to suppliers against bank;
 * the package credits' own entries (store/credits.h) follow with credits
 * used dated on the care date and "debtors" read as the sales account the
 * invoice was booked on (credits paid for move from sales to the
 * package's balance item, and to its ledger account as they are used).
 * Every booking is a balanced pair of lines, so any set of them balances.
 * Descriptions are in the practice's language (nl, fr, en).
 */
#ifndef CAREBILL_DECIDE_JOURNAL_H
#define CAREBILL_DECIDE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/credit_plan.h"
#include "decide/invoice.h"

/* The ledger account codes the journal books on (practice settings
 * `accounts:`; journal_codes_default gives carebill's defaults). */
struct journal_codes {
    const char *debtors;   /* trade debtors: what customers owe */
    const char *bank;      /* money in and out */
    const char *vat;       /* VAT payable */
    const char *revenue;   /* sales */
    const char *balances;  /* customers' credit balances (a liability) */
    const char *suppliers; /* what is owed to suppliers for the invoices
                              issued in their name (mediation) */
    const char *purchases; /* hours bought from suppliers (self-billed) */
    const char *vat_input; /* VAT on them, to deduct */
};

/* carebill's default codes: 1300 debtors, 1100 bank, 1500 VAT payable,
 * 8000 sales, 1700 credit balances, 1600 owed to suppliers, 7000
 * purchases, 1520 VAT to deduct. */
struct journal_codes journal_codes_default(void);

/* One journal line; strings are owned by the line. */
struct jline {
    cdate on;
    char *code;
    int64_t debit_cents, credit_cents; /* one of them is 0, both >= 0 */
    char *description;
    char *source;   /* "invoice N", "payment ID", "balance ID", "grant N",
                       "appointment ID", "payout END-TO-END-ID" */
};

/* A growing list of lines (zero-initialise; jlines_free). */
struct jlines {
    struct jline *v;
    size_t n;
};
void jlines_free(struct jlines *l);

/* Book invoice or credit note inv (its totals and VAT summary as stored,
 * inv->vats filled) on its issue date: debtors against sales per VAT
 * rate and VAT payable; a credit note (negative amounts) the other way
 * round. A difference between the total and the rates' sums (none for an
 * invoice carebill issued) goes to the sales of the first rate. An
 * invoice issued in a supplier's name on its behalf to a client (its sale
 * and VAT are the supplier's) books debtors against what is owed to
 * suppliers; a self-billed invoice (the practice buys the supplier's
 * hours) books purchases per rate and the VAT to deduct against what is
 * owed to the supplier. */
void journal_book_invoice(const struct journal_codes *c, const char *locale,
                          const struct invoice *inv, struct jlines *out);

/* A payments row as the journal reads it (strings borrowed). */
struct journal_payment {
    int64_t id;
    cdate on;
    const char *method;        /* as stored */
    const char *undone_method; /* for an undo: the method of the row it
                                  undoes; else NULL */
    int64_t amount_cents;
    const char *number;        /* the invoice's number */
    const char *account;
};

/* Book payments row p: money received (manual, bank, direct_debit) bank
 * against debtors; a reversal and a refund (negative amounts) the other
 * way; a balance applied (balance) balances against debtors; a
 * commission withheld from a payout (withheld) what is owed to suppliers
 * against debtors; an undo as the row it undoes with its own (opposite)
 * amount. Credit-note applications book nothing (both sides are
 * debtors), nor does a self-billed invoice settled by a payout (payout:
 * the invoice and the transfer are both on what is owed to suppliers;
 * the money leaves the bank with the transfer, journal_book_payout).
 * Returns the number of lines added (0 or 2). */
size_t journal_book_payment(const struct journal_codes *c, const char *locale,
                            const struct journal_payment *p,
                            struct jlines *out);

/* A transfer to a supplier (payout export) as the journal reads it
 * (strings borrowed). */
struct journal_payout {
    cdate on;                  /* the day it was exported */
    const char *supplier;
    const char *batch;
    const char *end_to_end_id; /* the transfer's id at the bank */
    int64_t amount_cents;
};

/* Book payout p: what is owed to suppliers against bank, on the day the
 * transfer was exported (what the supplier's invoices left owed once
 * the commission was withheld). Returns the number of lines added (0 or
 * 2). */
size_t journal_book_payout(const struct journal_codes *c, const char *locale,
                           const struct journal_payout *p, struct jlines *out);

/* A credit-balance movement as the journal reads it (strings borrowed). */
struct journal_balance_move {
    int64_t id;
    cdate on;
    const char *kind;      /* overpayment, applied, refund, undo, ... */
    int64_t amount_cents;  /* > 0 into the balance, < 0 out */
    const char *account;
    const char *number;    /* the invoice it goes with, or NULL */
};

/* Book balance move m: an overpayment bank against balances, a refund and
 * the undo of an overpayment (negative) the other way. Applications and
 * their undos are booked through their payments rows: nothing here.
 * Returns the number of lines added (0 or 2). */
size_t journal_book_balance_move(const struct journal_codes *c,
                                 const char *locale,
                                 const struct journal_balance_move *m,
                                 struct jlines *out);

/* Copy a package-credits entry je (store/credits.h) into the journal:
 * dated `care` when that is a day after je->on (credits are used on the
 * care date; CDATE_NONE keeps je->on), with the code "debtors" read as
 * the sales code c->revenue. */
void journal_book_credit_entry(const struct journal_codes *c,
                               const struct journal_entry *je, cdate care,
                               struct jlines *out);

/* Debits minus credits of the lines: 0 when they balance. */
int64_t journal_imbalance(const struct jlines *l);

/* Order the lines by date, keeping the order they were booked within a
 * day. */
void journal_sort(struct jlines *l);

/* The total debit and credit of `code` over the lines whose source
 * starts with `source_prefix` (NULL: every line). */
void journal_code_totals(const struct jlines *l, const char *code,
                         const char *source_prefix, int64_t *debit,
                         int64_t *credit);

#endif
