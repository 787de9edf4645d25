/*
 * accounts.c — SQL of the accounts table.
 */
#include "store/accounts.h"

#include <stdlib.h>
#include <string.h>

int accounts_insert(struct ledger *lg, const struct account_row *a, int *dup,
                    struct err *e)
{
    static const char *const sql =
        "INSERT INTO accounts(id, name, email, kind, address, locale, "
        "vat_number, iban, bic, mandate_id, mandate_date, reminders, created, "
        "peppol) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
        "?13, ?14)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, a->id);
    bind_text(st, 2, a->name);
    bind_text(st, 3, a->email);
    bind_text(st, 4, a->kind);
    bind_text(st, 5, a->address);
    bind_text(st, 6, a->locale);
    bind_text(st, 7, a->vat_number);
    bind_text(st, 8, a->iban);
    bind_text(st, 9, a->bic);
    bind_text(st, 10, a->mandate_id);
    bind_date(st, 11, a->mandate_date);
    bind_int(st, 12, a->reminders);
    bind_date(st, 13, a->created);
    bind_text(st, 14, a->peppol);
    return ledger_done(lg, st, dup, e);
}

int account_exists(struct ledger *lg, const char *id)
{
    return account_mandate(lg, id) >= 0;
}

int account_mandate(struct ledger *lg, const char *id)
{
    static const char *const sql =
        "SELECT mandate_id IS NOT NULL FROM accounts WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    return (int)ledger_first_int(st, -1);
}

int accounts_einvoice(struct ledger *lg, const char *id,
                      struct account_einvoice *out, struct err *e)
{
    static const char *const sql =
        "SELECT kind, peppol, mandate_id FROM accounts WHERE id = ?1";
    memset(out, 0, sizeof *out);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    int rc = ledger_step(st);
    if (rc != LEDGER_ROW) {
        ledger_reset(st);
        if (rc == LEDGER_ERROR)
            return err_set(e, "reading account '%s': %s", id,
                           ledger_errmsg(lg));
        err_set(e, "no account '%s'", id);
        return 1;
    }
    out->kind = col_text(st, 0);
    out->peppol = col_text(st, 1);
    out->mandate_id = col_text(st, 2);
    ledger_reset(st);
    return 0;
}

void account_einvoice_free(struct account_einvoice *a)
{
    free(a->kind), free(a->peppol), free(a->mandate_id);
    memset(a, 0, sizeof *a);
}
