/*
 * journal.c — the reads of store/journal.h.
 */
#include "store/journal.h"

#include <stdlib.h>
#include <string.h>

int journal_invoice_ids(struct ledger *lg, cdate from, cdate to,
                        int64_t **ids, size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT id FROM invoices "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR issued >= ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR issued <= ?2) ORDER BY issued, id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, from);
    bind_date(st, 2, to);
    return ledger_read_ints(st, "invoices", ids, n, e);
}

void journal_payment_rows_free(struct journal_payment_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].method);
        free(r[i].undone_method);
        free(r[i].number);
        free(r[i].account);
    }
    free(r);
}

int journal_payments(struct ledger *lg, cdate from, cdate to,
                     struct journal_payment_row **out, size_t *n,
                     struct err *e)
{
    static const char *const sql =
        "SELECT p.id, p.on_date, p.method, u.method, i.number, i.account, "
        "p.amount_cents FROM payments p JOIN invoices i ON i.id = p.invoice "
        "LEFT JOIN payments u ON u.id = p.undoes "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR p.on_date >= ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR p.on_date <= ?2) "
        "ORDER BY p.on_date, p.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, from);
    bind_date(st, 2, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct journal_payment_row){
            .id = col_int(st, 0),
            .on = col_date(st, 1),
            .method = col_text(st, 2),
            .undone_method = col_text(st, 3),
            .number = col_text(st, 4),
            .account = col_text(st, 5),
            .amount_cents = col_int(st, 6),
        };
    }
    if (ledger_read_end(st, rc, "payments", e) != 0) {
        journal_payment_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void journal_payout_rows_free(struct journal_payout_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].supplier);
        free(r[i].batch);
        free(r[i].end_to_end_id);
    }
    free(r);
}

int journal_payouts(struct ledger *lg, cdate from, cdate to,
                    struct journal_payout_row **out, size_t *n,
                    struct err *e)
{
    static const char *const sql =
        "SELECT exported_on, supplier, batch, end_to_end_id, amount_cents "
        "FROM payouts WHERE (CAST(?1 AS TEXT) IS NULL OR exported_on >= ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR exported_on <= ?2) "
        "ORDER BY exported_on, id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, from);
    bind_date(st, 2, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct journal_payout_row){
            .exported_on = col_date(st, 0),
            .supplier = col_text(st, 1),
            .batch = col_text(st, 2),
            .end_to_end_id = col_text(st, 3),
            .amount_cents = col_int(st, 4),
        };
    }
    if (ledger_read_end(st, rc, "payouts", e) != 0) {
        journal_payout_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void journal_credit_rows_free(struct journal_credit_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        journal_entry_free(&r[i].je);
    free(r);
}

int journal_credit_entries(struct ledger *lg, struct journal_credit_row **out,
                           size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT j.on_date, j.account_code, j.debit_cents, j.credit_cents, "
        "j.description, j.source, a.at FROM journal j "
        "LEFT JOIN appointments a ON j.source = 'appointment ' || a.id "
        "ORDER BY j.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        struct journal_credit_row *r = &(*out)[(*n)++];
        r->je = (struct journal_entry){
            .on = col_date(st, 0),
            .account_code = col_text(st, 1),
            .debit_cents = col_int(st, 2),
            .credit_cents = col_int(st, 3),
            .description = col_text(st, 4),
            .source = col_text(st, 5),
        };
        r->care = col_is_null(st, 6) ? CDATE_NONE : col_date(st, 6);
    }
    if (ledger_read_end(st, rc, "journal", e) != 0) {
        journal_credit_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
