/*
 * accounts.h — the accounts table: who is billed, where mail goes, the
 * direct-debit mandate, the reminder opt-out and the electronic address
 * e-invoices go to. Plain values in and out;
 * validation is the use case's (usecase/accounts.c).
 */
#ifndef CAREBILL_STORE_ACCOUNTS_H
#define CAREBILL_STORE_ACCOUNTS_H

#include "ledger/ledger.h"

/* An account as stored; strings are borrowed on insert. */
struct account_row {
    const char *id, *name, *email, *kind, *address, *locale, *vat_number;
    const char *iban, *bic, *mandate_id;
    cdate mandate_date;
    int reminders; /* 0: the account opted out of payment reminders */
    cdate created;
    const char *peppol; /* electronic address "SCHEME:ID", or NULL */
};

/* Insert a; *dup = 1 (and nothing written) when the id exists. */
int accounts_insert(struct ledger *lg, const struct account_row *a, int *dup,
                    struct err *e);

/* 1 when the account exists. */
int account_exists(struct ledger *lg, const char *id);

/* 1 when the account has a direct-debit mandate, 0 when not, -1 when
 * there is no such account. */
int account_mandate(struct ledger *lg, const char *id);

/* What an e-invoice needs of an account beyond the invoice's party. */
struct account_einvoice {
    char *kind;       /* "patient", "organisation", "client", "supplier" */
    char *peppol;     /* "SCHEME:ID", or NULL */
    char *mandate_id; /* NULL without a direct-debit mandate */
};

/* Read account `id`'s kind, electronic address and mandate into *out
 * (malloc'd strings: account_einvoice_free). Returns 0, 1 when there is
 * no such account (e says so), -1 on error. */
int accounts_einvoice(struct ledger *lg, const char *id,
                      struct account_einvoice *out, struct err *e);
void account_einvoice_free(struct account_einvoice *a);

/* An account as read back: every stored field (malloc'd strings, NULL
 * when unset; account_record_free). */
struct account_record {
    char *id, *name, *email, *kind, *address, *locale, *vat_number;
    char *iban, *bic, *mandate_id, *peppol;
    cdate mandate_date, created;
    int reminders;
    int mandate_used; /* 1 after the mandate's first collection */
    int active;       /* 0 after account deactivate */
};
void account_record_free(struct account_record *a);
void account_records_free(struct account_record *rows, size_t n);

/* Read account `id` into *out. 0, 1 when there is no such account (e says
 * so), -1 on error. */
int accounts_get(struct ledger *lg, const char *id, struct account_record *out,
                 struct err *e);

/* Every account, ordered by id; *rows is the caller's
 * (account_records_free). */
int accounts_list(struct ledger *lg, struct account_record **rows, size_t *n,
                  struct err *e);

/* Write every changeable field of a (name, email, address, locale, iban,
 * bic, mandate_id, mandate_date, reminders, peppol, mandate_used, active)
 * to the account a->id. */
int accounts_update(struct ledger *lg, const struct account_record *a,
                    struct err *e);

/* 1 when the account is active, 0 when deactivated, -1 when there is no
 * such account. */
int account_active(struct ledger *lg, const char *id);

/* One recorded change of an account (malloc'd strings). */
struct account_change {
    char *field, *old_value, *new_value; /* values NULL when unset */
    cdate on;
};
void account_changes_free(struct account_change *rows, size_t n);

/* Record that `field` of `account` went from old_value to new_value on
 * `on` (either value may be NULL). */
int account_changes_insert(struct ledger *lg, const char *account,
                           const char *field, const char *old_value,
                           const char *new_value, cdate on, struct err *e);

/* The changes of `account`, oldest first; *rows is the caller's. */
int account_changes_list(struct ledger *lg, const char *account,
                         struct account_change **rows, size_t *n,
                         struct err *e);

/* Keep the mandate a (its mandate_id, mandate_date, iban, bic,
 * mandate_used) that is replaced on `on`. */
int account_mandates_insert(struct ledger *lg, const struct account_record *a,
                            cdate on, struct err *e);

#endif
