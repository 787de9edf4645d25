/*
 * accounts.h — the accounts table: who is billed, where mail goes, the
 * direct-debit mandate and the reminder opt-out. Plain values in and out;
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
};

/* Insert a; *dup = 1 (and nothing written) when the id exists. */
int accounts_insert(struct ledger *lg, const struct account_row *a, int *dup,
                    struct err *e);

/* 1 when the account exists. */
int account_exists(struct ledger *lg, const char *id);

/* 1 when the account has a direct-debit mandate, 0 when not, -1 when
 * there is no such account. */
int account_mandate(struct ledger *lg, const char *id);

#endif
