/*
 * accounts.c — the account use cases.
 */
#include "usecase/accounts.h"

int account_add(struct ledger *lg, const struct account_input *a, cdate today,
                struct err *e)
{
    const char *kind;
    if (account_check(a, &kind, e) != 0)
        return -1;
    struct account_row row = {
        a->id,   a->name, a->email,      kind,         a->address,
        a->locale, a->vat_number, a->iban, a->bic, a->mandate_id,
        a->mandate_date, a->reminders, today, a->peppol};
    int dup;
    if (accounts_insert(lg, &row, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "account '%s' already exists", a->id);
    return 0;
}
