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

/* ================================================================ changes */

void account_record_free(struct account_record *a)
{
    free(a->id), free(a->name), free(a->email), free(a->kind);
    free(a->address), free(a->locale), free(a->vat_number), free(a->iban);
    free(a->bic), free(a->mandate_id), free(a->peppol);
    memset(a, 0, sizeof *a);
}

void account_records_free(struct account_record *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        account_record_free(&rows[i]);
    free(rows);
}

#define ACCOUNT_COLS                                                          \
    "id, name, email, kind, address, locale, vat_number, iban, bic, "        \
    "mandate_id, peppol, mandate_date, created, reminders, mandate_used, "   \
    "active"

static void read_record(struct ledger_stmt *st, struct account_record *a)
{
    a->id = col_text(st, 0);
    a->name = col_text(st, 1);
    a->email = col_text(st, 2);
    a->kind = col_text(st, 3);
    a->address = col_text(st, 4);
    a->locale = col_text(st, 5);
    a->vat_number = col_text(st, 6);
    a->iban = col_text(st, 7);
    a->bic = col_text(st, 8);
    a->mandate_id = col_text(st, 9);
    a->peppol = col_text(st, 10);
    a->mandate_date = col_date(st, 11);
    a->created = col_date(st, 12);
    a->reminders = (int)col_int(st, 13);
    a->mandate_used = (int)col_int(st, 14);
    a->active = (int)col_int(st, 15);
}

int accounts_get(struct ledger *lg, const char *id, struct account_record *out,
                 struct err *e)
{
    static const char *const sql =
        "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?1";
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
    read_record(st, out);
    ledger_reset(st);
    return 0;
}

int accounts_list(struct ledger *lg, struct account_record **rows, size_t *n,
                  struct err *e)
{
    static const char *const sql =
        "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY id";
    struct account_record *out = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        out = xrealloc(out, (k + 1) * sizeof *out);
        memset(&out[k], 0, sizeof *out);
        read_record(st, &out[k++]);
    }
    if (ledger_read_end(st, rc, "accounts", e) != 0) {
        account_records_free(out, k);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}

int accounts_update(struct ledger *lg, const struct account_record *a,
                    struct err *e)
{
    static const char *const sql =
        "UPDATE accounts SET name = ?2, email = ?3, address = ?4, "
        "locale = ?5, iban = ?6, bic = ?7, mandate_id = ?8, "
        "mandate_date = ?9, reminders = ?10, peppol = ?11, "
        "mandate_used = ?12, active = ?13, vat_number = ?14 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, a->id);
    bind_text(st, 2, a->name);
    bind_text(st, 3, a->email);
    bind_text(st, 4, a->address);
    bind_text(st, 5, a->locale);
    bind_text(st, 6, a->iban);
    bind_text(st, 7, a->bic);
    bind_text(st, 8, a->mandate_id);
    bind_date(st, 9, a->mandate_date);
    bind_int(st, 10, a->reminders);
    bind_text(st, 11, a->peppol);
    bind_int(st, 12, a->mandate_used);
    bind_int(st, 13, a->active);
    bind_text(st, 14, a->vat_number);
    return ledger_done(lg, st, NULL, e);
}

int account_active(struct ledger *lg, const char *id)
{
    static const char *const sql = "SELECT active FROM accounts WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    return (int)ledger_first_int(st, -1);
}

void account_changes_free(struct account_change *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].field), free(rows[i].old_value), free(rows[i].new_value);
    free(rows);
}

int account_changes_insert(struct ledger *lg, const char *account,
                           const char *field, const char *old_value,
                           const char *new_value, cdate on, struct err *e)
{
    static const char *const sql =
        "INSERT INTO account_changes(account, field, old_value, new_value, "
        "changed_on) VALUES (?1, ?2, ?3, ?4, ?5)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, field);
    bind_text(st, 3, old_value);
    bind_text(st, 4, new_value);
    bind_date(st, 5, on);
    return ledger_done(lg, st, NULL, e);
}

int account_changes_list(struct ledger *lg, const char *account,
                         struct account_change **rows, size_t *n,
                         struct err *e)
{
    static const char *const sql =
        "SELECT field, old_value, new_value, changed_on FROM account_changes "
        "WHERE account = ?1 ORDER BY id";
    struct account_change *out = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        out = xrealloc(out, (k + 1) * sizeof *out);
        out[k].field = col_text(st, 0);
        out[k].old_value = col_text(st, 1);
        out[k].new_value = col_text(st, 2);
        out[k].on = col_date(st, 3);
        k++;
    }
    if (ledger_read_end(st, rc, "account changes", e) != 0) {
        account_changes_free(out, k);
        *rows = NULL;
        *n = 0;
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}

int account_mandates_insert(struct ledger *lg, const struct account_record *a,
                            cdate on, struct err *e)
{
    static const char *const sql =
        "INSERT INTO account_mandates(account, mandate_id, mandate_date, "
        "iban, bic, mandate_used, replaced_on) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, a->id);
    bind_text(st, 2, a->mandate_id);
    bind_date(st, 3, a->mandate_date);
    bind_text(st, 4, a->iban);
    bind_text(st, 5, a->bic);
    bind_int(st, 6, a->mandate_used);
    bind_date(st, 7, on);
    return ledger_done(lg, st, NULL, e);
}
