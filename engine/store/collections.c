/*
 * collections.c — SQL of the collections and bank_entries tables, and of
 * the reads of invoices, accounts and payments that direct debit and the
 * bank import need.
 */
#include "store/collections.h"

#include <stdlib.h>
#include <string.h>

static enum invoice_kind kind_of(const char *s)
{
    for (int k = INV_SUBSCRIPTION; k <= INV_CREDIT; k++)
        if (s && !strcmp(invoice_kind_name((enum invoice_kind)k), s))
            return (enum invoice_kind)k;
    return INV_PRODUCT;
}

static enum invoice_status status_of(const char *s)
{
    for (int k = ST_OPEN; k <= ST_CREDITED; k++)
        if (s && !strcmp(invoice_status_name((enum invoice_status)k), s))
            return (enum invoice_status)k;
    return ST_PAID;
}

/* ================================================================ export */

int collections_due_dd(struct ledger *lg, struct dd_invoice **out,
                       size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT i.id, i.number, i.kind, i.status, i.direct_debit, "
        "i.total_cents, i.paid_cents, i.due, a.id, a.name, a.iban, a.bic, "
        "a.mandate_id, a.mandate_date, a.mandate_used "
        "FROM invoices i JOIN accounts a ON a.id = i.account "
        "WHERE i.direct_debit = 1 AND i.status = 'open' AND NOT EXISTS "
        "(SELECT 1 FROM collections c WHERE c.invoice = i.id) ORDER BY i.id";
    struct dd_invoice *rows = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        rows = xrealloc(rows, (k + 1) * sizeof *rows);
        struct dd_invoice *d = &rows[k++];
        memset(d, 0, sizeof *d);
        d->id = col_int(st, 0);
        d->number = col_text(st, 1);
        d->kind = kind_of(col_ctext(st, 2));
        d->status = status_of(col_ctext(st, 3));
        d->direct_debit = (int)col_int(st, 4);
        d->total_cents = col_int(st, 5);
        d->paid_cents = col_int(st, 6);
        d->due = col_date(st, 7);
        d->account = col_text(st, 8);
        d->name = col_text(st, 9);
        d->iban = col_text(st, 10);
        d->bic = col_text(st, 11);
        d->mandate_id = col_text(st, 12);
        d->mandate_date = col_date(st, 13);
        d->mandate_used = (int)col_int(st, 14);
        d->collected = 0;
    }
    if (ledger_read_end(st, rc, "direct-debit invoices", e) != 0) {
        dd_invoices_free(rows, k);
        *out = NULL;
        *n = 0;
        return -1;
    }
    *out = rows;
    *n = k;
    return 0;
}

int collections_batch_count(struct ledger *lg, int64_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT COUNT(DISTINCT batch) FROM collections";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc = ledger_step(st);
    *n = rc == LEDGER_ROW ? col_int(st, 0) : 0;
    return ledger_read_end(st, rc, "collection batches", e);
}

int collections_insert(struct ledger *lg, const struct collection_row *c,
                       struct err *e)
{
    static const char *const sql =
        "INSERT INTO collections(invoice, end_to_end_id, batch, sequence, "
        "amount_cents, collection_date, exported_on) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, c->invoice);
    bind_text(st, 2, c->end_to_end_id);
    bind_text(st, 3, c->batch);
    bind_text(st, 4, c->first ? "FRST" : "RCUR");
    bind_int(st, 5, c->amount_cents);
    bind_date(st, 6, c->collection_date);
    bind_date(st, 7, c->exported_on);
    return ledger_done(lg, st, NULL, e);
}

int collections_mark_mandate_used(struct ledger *lg, const char *account,
                                  struct err *e)
{
    static const char *const sql =
        "UPDATE accounts SET mandate_used = 1 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ import */

int collections_find_candidates(struct ledger *lg, const struct bank_probe *p,
                                struct bank_candidates *into, struct err *e)
{
    /* each uses an index: collections.end_to_end_id and invoices.number
     * are unique, invoices.payment_reference has invoices_payment_reference
     * (schema/006_bank.sql); accounts by primary key */
    static const char *const by_e2e =
        "SELECT c.invoice, i.number, i.payment_reference, c.end_to_end_id, "
        "i.paid_cents, i.total_cents, a.iban FROM collections c "
        "JOIN invoices i ON i.id = c.invoice "
        "LEFT JOIN accounts a ON a.id = i.account "
        "WHERE c.end_to_end_id = ?1 ORDER BY c.invoice";
    static const char *const by_number =
        "SELECT i.id, i.number, i.payment_reference, NULL, i.paid_cents, "
        "i.total_cents, a.iban FROM invoices i "
        "LEFT JOIN accounts a ON a.id = i.account "
        "WHERE i.number = ?1 ORDER BY i.id";
    static const char *const by_ref =
        "SELECT i.id, i.number, i.payment_reference, NULL, i.paid_cents, "
        "i.total_cents, a.iban FROM invoices i "
        "LEFT JOIN accounts a ON a.id = i.account "
        "WHERE i.payment_reference = ?1 ORDER BY i.id";
    const char *sql = p->by == BANK_BY_END_TO_END ? by_e2e
                      : p->by == BANK_BY_NUMBER   ? by_number
                                                  : by_ref;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, p->value);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        into->c = xrealloc(into->c, (into->n + 1) * sizeof *into->c);
        struct bank_candidate *c = &into->c[into->n++];
        c->invoice = col_int(st, 0);
        c->number = col_text(st, 1);
        c->payment_reference = col_text(st, 2);
        c->end_to_end_id = col_text(st, 3);
        c->paid_cents = col_int(st, 4);
        c->total_cents = col_int(st, 5);
        c->account_iban = col_text(st, 6);
    }
    return ledger_read_end(st, rc, "invoices for a bank entry", e);
}

int collections_entry_registered(struct ledger *lg, const char *key,
                                 int *yes, struct err *e)
{
    static const char *const sql = "SELECT 1 FROM payments WHERE bank_ref = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, key);
    int rc = ledger_step(st);
    *yes = rc == LEDGER_ROW;
    return ledger_read_end(st, rc, "payments by bank reference", e);
}

int collections_bank_entry_known(struct ledger *lg, const char *key, int *yes,
                                 struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM bank_entries WHERE entry_key = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, key);
    int rc = ledger_step(st);
    *yes = rc == LEDGER_ROW;
    return ledger_read_end(st, rc, "bank entries by key", e);
}

int collections_mark_reversed(struct ledger *lg, int64_t invoice,
                              struct err *e)
{
    static const char *const sql =
        "UPDATE collections SET reversed = 1 WHERE invoice = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    return ledger_done(lg, st, NULL, e);
}

int collections_insert_bank_entry(struct ledger *lg,
                                  const struct bank_entry_row *b, int *dup,
                                  struct err *e)
{
    static const char *const sql =
        "INSERT INTO bank_entries(entry_key, booking_date, amount_cents, "
        "credit, reversal, end_to_end_id, reference, remittance, invoice, "
        "outcome, imported_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, b->entry_key);
    bind_date(st, 2, b->booking_date);
    bind_int(st, 3, b->amount_cents);
    bind_int(st, 4, b->credit);
    bind_int(st, 5, b->reversal);
    bind_text(st, 6, b->end_to_end_id);
    bind_text(st, 7, b->reference);
    bind_text(st, 8, b->remittance);
    if (b->invoice)
        bind_int(st, 9, b->invoice);
    bind_text(st, 10, b->outcome);
    bind_date(st, 11, b->imported_on);
    return ledger_done(lg, st, dup, e);
}
