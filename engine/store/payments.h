/*
 * payments.h — the payments and balance_moves tables: money received
 * against an invoice, credit notes applied to what they correct,
 * reversals from the bank, refunds paid out on a credit note and undos
 * of earlier rows (all payments rows; negative amounts where money goes
 * back), and every movement in and out of an account's credit balance
 * (balance_moves: overpayments in, applications to invoices and refunds
 * out). Rows are only ever added; an invoice's status is decided from
 * the sums of its payments rows (store/invoices.h invoices_sums,
 * decide/invoice_status.h), a balance is the sum of its moves. Works
 * inside the caller's transaction; every function returns 0, or -1 with
 * e filled (1 where it says so for "no such row").
 */
#ifndef CAREBILL_STORE_PAYMENTS_H
#define CAREBILL_STORE_PAYMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/ledger.h"

/* One payments row; strings are borrowed. */
struct payment_row {
    int64_t invoice;
    int64_t amount_cents; /* < 0 for a reversal, a refund, on a credit note */
    cdate on;             /* also stored as the row's creation date */
    const char *method;   /* "manual", "bank", "direct_debit", "balance",
                             "credit_note", "reversal", "refund", "undo" */
    const char *bank_ref; /* NULL, or unique: a statement entry */
    int64_t undoes;       /* the payments row an undo takes back, or 0 */
};

/* Add row p; *id (when non-NULL) gets the new row's id. A bank_ref or an
 * undo recorded before sets *dup = 1 (when dup is non-NULL) and writes
 * nothing; with dup NULL it is an error. */
int payments_insert(struct ledger *lg, const struct payment_row *p, int *dup,
                    int64_t *id, struct err *e);

/* *known = 1 when bank entry `bank_ref` was booked before (on a payments
 * row or a balance movement), else 0. */
int payments_bank_ref_known(struct ledger *lg, const char *bank_ref,
                            int *known, struct err *e);

/* A payments row as `payment list` and `payment undo` read it. */
struct payment_info {
    int64_t id;
    int64_t invoice;      /* its id */
    char *number;         /* the invoice's number */
    char *account;        /* the account billed */
    int credit_note;      /* 1 when the invoice is a credit note */
    int64_t amount_cents;
    cdate on;
    char *method;
    char *bank_ref;       /* or NULL */
    int64_t undoes;       /* the row it undoes, or 0 */
    int64_t undone_by;    /* the undo row that took it back, or 0 */
    int64_t to_balance_cents; /* what went to the credit balance with it */
};
void payment_infos_free(struct payment_info *p, size_t n);

/* Payments row `id` into *out (the caller frees with payment_infos_free
 * (out, 1)); 1 when there is none (e says so). */
int payments_get(struct ledger *lg, int64_t id, struct payment_info *out,
                 struct err *e);

/* Every payments row (of `account` only when non-NULL; booked in
 * from..to, CDATE_NONE for an open end), by id. *out malloc'd. */
int payments_list(struct ledger *lg, const char *account, cdate from,
                  cdate to, struct payment_info **out, size_t *n,
                  struct err *e);

/* ---- credit balances */

/* One movement of a credit balance to add (strings borrowed). */
struct balance_move_row {
    const char *account;
    int64_t amount_cents; /* > 0 into the balance, < 0 out of it */
    cdate on;
    const char *kind;     /* "overpayment", "applied", "refund", "undo",
                             "credit_note" */
    int64_t invoice;      /* the invoice it came from or settled, or 0 */
    int64_t payment;      /* the payments row it goes with, or 0 */
    const char *bank_ref; /* NULL, or unique: a statement entry */
};

/* Add move m. A bank_ref recorded before sets *dup = 1 (when dup is
 * non-NULL) and writes nothing. */
int payments_balance_insert(struct ledger *lg, const struct balance_move_row *m,
                            int *dup, struct err *e);

/* The credit balance of `account` (the sum of its moves) into *cents. */
int payments_balance(struct ledger *lg, const char *account, int64_t *cents,
                     struct err *e);

/* A balance movement as the reports read it. */
struct balance_move {
    int64_t id;
    char *account;
    int64_t amount_cents;
    cdate on;
    char *kind;
    char *invoice;        /* the invoice's number, or NULL */
    int64_t payment;      /* or 0 */
};
void balance_moves_free(struct balance_move *m, size_t n);

/* Every balance movement (of `account` only when non-NULL; dated in
 * from..to, CDATE_NONE for an open end), by date and id. *out malloc'd. */
int payments_balance_moves(struct ledger *lg, const char *account, cdate from,
                           cdate to, struct balance_move **out, size_t *n,
                           struct err *e);

/* An open invoice a balance may settle. */
struct open_invoice {
    int64_t id;
    char number[128];
    cdate issued;
    int64_t total_cents, paid_cents;
};

/* The practice's own open invoices (not credit notes, total > 0, not
 * issued in a supplier's name) of `account`, oldest due date first, then
 * by id. *out malloc'd (free()). */
int payments_open_invoices(struct ledger *lg, const char *account,
                           struct open_invoice **out, size_t *n,
                           struct err *e);

/* The accounts whose credit balance is positive, by id; *out is a
 * malloc'd array of malloc'd ids (free each and the array). */
int payments_accounts_in_credit(struct ledger *lg, char ***out, size_t *n,
                                struct err *e);

#endif
