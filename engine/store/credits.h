/*
 * credits.h — the tables of packages and credits (seed 001): grants,
 * their uses by appointments, the appointments themselves and the
 * accountant's journal, with the reads of invoices the credits domain
 * needs (the product lines of an invoice, what its credit notes paid
 * back) and the queries of `report credits` and `report journal`. Plain
 * values in and out; which grant gives what, what is withdrawn and what
 * is booked is decided in decide/credit_plan.c.
 *
 * Every function returns 0, or -1 with e filled when the ledger fails
 * (1 where it says "no such row"). Strings of returned rows are malloc'd
 * and freed by the matching *_free.
 */
#ifndef CAREBILL_STORE_CREDITS_H
#define CAREBILL_STORE_CREDITS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/credit_plan.h"
#include "ledger/ledger.h"

/* ------------------------------------------------------------ grants */

enum credit_source { CREDIT_FROM_INVOICE, CREDIT_FROM_IMPORT };

/* A grant to insert (strings borrowed). */
struct credit_grant_row {
    const char *account, *package;
    int64_t credits, rate_cents;
    cdate granted_on;
    enum credit_source source;
    int64_t invoice_line; /* the invoice line it is for; 0 for an import */
};

/* Insert g. *id receives the new grant's id, or 0 when g's invoice line
 * has its grant already (nothing is written then). */
int credits_grant_insert(struct ledger *lg, const struct credit_grant_row *g,
                         int64_t *id, struct err *e);

/* The codes grant `grant` was booked on, read from its own journal
 * entries (source "grant N"): its first credited code and its first
 * debited code, each malloc'd, NULL when it has no such entry. */
int credits_grant_codes(struct ledger *lg, int64_t grant, char **credited,
                        char **debited, struct err *e);

/* The grants of account in package with their credits left (credits -
 * withdrawn - credits of uses not returned), oldest first (granted_on,
 * id). *out malloc'd. */
int credits_grants_left(struct ledger *lg, const char *account,
                        const char *package, struct credit_grant_left **out,
                        size_t *n, struct err *e);

/* A grant of a product invoice with its consumption. */
struct credit_grant_state {
    int64_t id, credits, withdrawn, rate_cents;
    int64_t used; /* credits of uses not returned */
    char *package;
};
void credit_grant_states_free(struct credit_grant_state *g, size_t n);

/* The grants of the lines of invoice `invoice` (its id), by grant id. */
int credits_grants_of_invoice(struct ledger *lg, int64_t invoice,
                              struct credit_grant_state **out, size_t *n,
                              struct err *e);

/* Set grant's withdrawn count. */
int credits_grant_set_withdrawn(struct ledger *lg, int64_t grant,
                                int64_t withdrawn, struct err *e);

/* ------------------------------------------------------------ invoices */

/* A product line of an invoice. */
struct credit_product_line {
    int64_t line;     /* invoice_lines.id */
    int64_t position; /* 1-based on the invoice */
    char *code;       /* the product code (the line's ref), or NULL */
    int64_t qty100;
};
void credit_product_lines_free(struct credit_product_line *l, size_t n);

/* The lines of invoice `invoice` (its id) that sell a product, by
 * position. */
int credits_product_lines(struct ledger *lg, int64_t invoice,
                          struct credit_product_line **out, size_t *n,
                          struct err *e);

/* An invoice and what its credit notes paid back. */
struct credit_invoice {
    char *number, *account;
    int64_t total_cents;
    int64_t credited_cents;  /* sum of its credit notes, positive */
    char *last_credit_note;  /* number of the latest one, or NULL */
};
void credit_invoice_free(struct credit_invoice *ci);

/* Read invoice `invoice` (its id): 0, 1 when there is none (e says so). */
int credits_invoice_get(struct ledger *lg, int64_t invoice,
                        struct credit_invoice *out, struct err *e);

/* ------------------------------------------------------------ uses */

/* Record that appointment takes `credits` of grant. */
int credits_use_insert(struct ledger *lg, int64_t grant,
                       const char *appointment, int64_t credits,
                       struct err *e);

/* Mark the uses of appointment returned (their credits are back). */
int credits_uses_return(struct ledger *lg, const char *appointment,
                        struct err *e);

/* The invoices (ids, each once) of the grants appointment's uses not
 * returned came from; imported grants have none. *out malloc'd. */
int credits_use_invoices(struct ledger *lg, const char *appointment,
                         int64_t **out, size_t *n, struct err *e);

/* ------------------------------------------------------------ appointments */

enum appointment_status { APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED };

/* An appointment to insert, booked (strings borrowed). */
struct appointment_row {
    const char *id, *account, *type;
    cdate at, created;
};
int credits_appointment_insert(struct ledger *lg,
                               const struct appointment_row *a,
                               struct err *e);

/* 1 when appointment id exists, 0 when not. */
int credits_appointment_exists(struct ledger *lg, const char *id);

/* How many appointments the ledger holds. */
int64_t credits_appointment_count(struct ledger *lg);

/* An appointment with the invoice it caused. */
struct appointment_state {
    enum appointment_status status;
    char *invoice;          /* number of its invoice, or NULL */
    int64_t open_cents;     /* that invoice's total less its credit notes */
};

/* Read appointment id: 0, 1 when there is none (e says so). */
int credits_appointment_get(struct ledger *lg, const char *id,
                            struct appointment_state *out, struct err *e);

int credits_appointment_set_status(struct ledger *lg, const char *id,
                                   enum appointment_status status,
                                   struct err *e);

/* Link appointment id to the invoice (its id) that bills it. */
int credits_appointment_set_invoice(struct ledger *lg, const char *id,
                                    int64_t invoice, struct err *e);

/* ------------------------------------------------------------ journal */

/* Append entry je (strings borrowed). */
int credits_journal_insert(struct ledger *lg, const struct journal_entry *je,
                           struct err *e);

/* The entries of `source`, in the order they were booked. *out malloc'd
 * (journal_entries_free). */
int credits_journal_of_source(struct ledger *lg, const char *source,
                              struct journal_entry **out, size_t *n,
                              struct err *e);


/* Every entry of the credits journal, by date and then in the order
 * booked (*out malloc'd, journal_entries_free). */
int credits_journal_all(struct ledger *lg, struct journal_entry **out,
                        size_t *n, struct err *e);

/* Debits minus credits over the whole journal: 0 when it balances. */
int64_t credits_journal_imbalance(struct ledger *lg);

/* ------------------------------------------------------------ balances */

/* Credits of one account and package. */
struct credit_balance {
    int64_t granted, consumed, withdrawn, balance;
    int64_t balance_cents; /* value of the balance at the grants' rates */
};

/* Balance of `account` in `package` (all zero when it has none). */
int credits_balance(struct ledger *lg, const char *account,
                    const char *package, struct credit_balance *out,
                    struct err *e);

/* Totals of one account in one package, for `report credits`. */
struct credit_totals {
    char *account, *package;
    int64_t granted, consumed, withdrawn, balance, balance_cents;
};
void credit_totals_free(struct credit_totals *t, size_t n);

/* The totals of every account (or only `account` when not NULL) per
 * package, by account and package. */
int credits_totals(struct ledger *lg, const char *account,
                   struct credit_totals **out, size_t *n, struct err *e);

/* ------------------------------------------------------------ history */

/* A grant as `report credits --account` shows it. */
struct credit_grant_history {
    int64_t id;
    cdate granted_on;
    int64_t credits, rate_cents, withdrawn;
    int64_t used;          /* credits of uses not returned */
    char *invoice;         /* number of the invoice it came from, or NULL */
    int64_t total_cents;   /* that invoice's total (0 without one) */
    int64_t credited_cents; /* what its credit notes paid back */
};
void credit_grant_histories_free(struct credit_grant_history *g, size_t n);

/* The grants of account in package, by id. */
int credits_history_grants(struct ledger *lg, const char *account,
                           const char *package,
                           struct credit_grant_history **out, size_t *n,
                           struct err *e);

/* A use of a grant by an appointment. */
struct credit_use_history {
    int64_t id;                /* the use's id */
    int64_t appointment_seq;   /* the appointment's order of recording */
    cdate created;             /* when the appointment was recorded */
    char *appointment, *type;
    cdate at;
    int64_t credits, grant, rate_cents;
    int returned;
};
void credit_use_histories_free(struct credit_use_history *u, size_t n);

/* The uses of the grants of account in package, by use id. */
int credits_history_uses(struct ledger *lg, const char *account,
                         const char *package, struct credit_use_history **out,
                         size_t *n, struct err *e);

/* An appointment of an account that an invoice bills. */
struct credit_invoiced_appointment {
    int64_t seq;   /* order of recording */
    cdate created;
    char *id, *type;
    cdate at;
    char *invoice; /* its number */
    enum appointment_status status;
};
void credit_invoiced_appointments_free(struct credit_invoiced_appointment *a,
                                       size_t n);

/* The invoiced appointments of account, in the order recorded. */
int credits_invoiced_appointments(struct ledger *lg, const char *account,
                                  struct credit_invoiced_appointment **out,
                                  size_t *n, struct err *e);

/* A dated movement of package credits, for the reports of a date range:
 * credits granted (on the grant's day), used (on the later of the
 * booking and the care date, the day the journal books them) or
 * withdrawn by a credit note (on the day of the last credit note of the
 * grant's invoice). */
enum credit_move_kind { CREDIT_GRANTED, CREDIT_USED, CREDIT_WITHDRAWN };
struct credit_move {
    char *account, *package;
    cdate on;
    enum credit_move_kind kind;
    int64_t credits;    /* > 0 */
    int64_t grant;      /* the grant's id */
    int64_t rate_cents; /* the grant's internal rate */
    char *what; /* "invoice N" or "import" (granted), "appointment ID"
                   (used), "credit note N" (withdrawn) */
};
void credit_moves_free(struct credit_move *m, size_t n);

/* Every movement of every account (or of `account` only) dated on or
 * before `to` (CDATE_NONE: all), by account, package and date. */
int credits_moves(struct ledger *lg, const char *account, cdate to,
                  struct credit_move **out, size_t *n, struct err *e);

#endif
