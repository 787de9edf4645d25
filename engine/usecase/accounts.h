/*
 * accounts.h — adding an account: checked by decide/subscription.c, then
 * written through store/accounts.h (which also answers whether an account
 * exists and has a mandate).
 */
#ifndef CAREBILL_USECASE_ACCOUNTS_H
#define CAREBILL_USECASE_ACCOUNTS_H

#include "decide/subscription.h"
#include "store/accounts.h"

/* Add account a on day `today`; refuses invalid input and a taken id,
 * writing nothing then. The caller owns the transaction. */
int account_add(struct ledger *lg, const struct account_input *a,
                cdate today, struct err *e);

struct engine;

/* Every account (account_records_free releases *rows). */
int account_list(struct engine *eng, struct account_record **rows, size_t *n,
                 struct err *e);

/* Account `id` and its recorded changes, oldest first (the caller frees
 * both: account_record_free, account_changes_free). Fails when there is no
 * such account. */
int account_show(struct engine *eng, const char *id, struct account_record *a,
                 struct account_change **changes, size_t *n, struct err *e);

/* What `account update` changes; NULL (reminders: -1) leaves a field as
 * it is. */
struct account_patch {
    const char *name, *email, *address, *locale, *iban, *bic, *mandate_id;
    const char *peppol;
    cdate mandate_date;
    int reminders;
    const char *vat_number; /* NULL: unchanged */
};

/* Apply p to account `id` on eng->today. The result is checked by the
 * same rules as account add (account_check); a refusal writes nothing.
 * Each changed field is recorded in the account's history; a new mandate
 * keeps the old one in the mandate history and its first collection is a
 * FRST again. *changed receives the number of fields changed (0: nothing
 * to do). The caller owns the transaction. */
int account_update(struct engine *eng, const char *id,
                   const struct account_patch *p, int *changed,
                   struct err *e);

/* Deactivate account `id` on eng->today: no new subscriptions or product
 * invoices; open items stay collectable and reminders go on unless the
 * account opted out. Fails when there is no such account or it is already
 * inactive. The caller owns the transaction. */
int account_deactivate(struct engine *eng, const char *id, struct err *e);

#endif
