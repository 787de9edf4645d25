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

#endif
