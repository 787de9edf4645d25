/*
 * journal.h — what the accountant's journal reads (decide/journal.h):
 * the invoices issued in a date range, the payments rows booked in it
 * (with the method of the row an undo takes back), the transfers to
 * suppliers exported in it, and the package
 * credits' own journal entries with the care date of the appointment
 * each use is for. Plain rows out; the bookings are decided in
 * decide/journal.c. Every function returns 0, or -1 with e filled.
 */
#ifndef CAREBILL_STORE_JOURNAL_H
#define CAREBILL_STORE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "decide/credit_plan.h"
#include "ledger/ledger.h"

/* The ids of the invoices and credit notes issued in from..to
 * (CDATE_NONE: an open end), by issue date and id. *ids malloc'd. */
int journal_invoice_ids(struct ledger *lg, cdate from, cdate to,
                        int64_t **ids, size_t *n, struct err *e);

/* A payments row with what the journal needs (strings malloc'd). */
struct journal_payment_row {
    int64_t id;
    cdate on;
    char *method, *undone_method, *number, *account;
    int64_t amount_cents;
};
void journal_payment_rows_free(struct journal_payment_row *r, size_t n);

/* The payments rows dated in from..to, by date and id. */
int journal_payments(struct ledger *lg, cdate from, cdate to,
                     struct journal_payment_row **out, size_t *n,
                     struct err *e);

/* A transfer to a supplier (strings malloc'd). */
struct journal_payout_row {
    cdate exported_on;
    char *supplier, *batch, *end_to_end_id;
    int64_t amount_cents;
};
void journal_payout_rows_free(struct journal_payout_row *r, size_t n);

/* The payouts exported in from..to, by export date and id. */
int journal_payouts(struct ledger *lg, cdate from, cdate to,
                    struct journal_payout_row **out, size_t *n,
                    struct err *e);

/* A package-credits journal entry and, for the entries of an appointment
 * (source "appointment ID"), its care date (else CDATE_NONE). */
struct journal_credit_row {
    struct journal_entry je;
    cdate care;
};
void journal_credit_rows_free(struct journal_credit_row *r, size_t n);

/* Every package-credits journal entry, in the order booked. */
int journal_credit_entries(struct ledger *lg, struct journal_credit_row **out,
                           size_t *n, struct err *e);

#endif
