/*
 * payouts.c — SQL of the payouts table and of the reads of
 * mediation_invoices and invoices the payout decision needs. See
 * payouts.h.
 */
#include "store/payouts.h"

#include <stdlib.h>
#include <string.h>

int payouts_months(struct ledger *lg, struct payout_month **out, size_t *n,
                   struct err *e)
{
    static const char *const sql =
        "SELECT m.supplier, i.kind, i.total_cents, i.paid_cents, "
        "m.placement, "
        "(SELECT COALESCE(SUM(c.total_cents), 0) FROM mediation_invoices mc "
        " JOIN invoices c ON c.id = mc.invoice WHERE mc.placement = "
        " m.placement AND mc.month = m.month AND mc.role = "
        " 'commission_supplier'), "
        "(SELECT mc.invoice FROM mediation_invoices mc WHERE mc.placement = "
        " m.placement AND mc.month = m.month AND mc.role = "
        " 'commission_supplier'), i.id "
        "FROM mediation_invoices m JOIN invoices i ON i.id = m.invoice "
        "WHERE m.role = 'hours' AND i.status <> 'credited' ORDER BY i.id";
    struct payout_month *v = NULL;
    size_t k = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        v = xrealloc(v, (k + 1) * sizeof *v);
        struct payout_month *m = &v[k++];
        m->supplier = col_text(st, 0);
        m->self_billed = !strcmp(col_ctext(st, 1), "self_billing");
        m->hours_total_cents = col_int(st, 2);
        m->hours_paid_cents = col_int(st, 3);
        m->placement = col_text(st, 4);
        m->commission_cents = col_int(st, 5);
        m->commission_pending = 0;
        m->commission_invoice = col_int(st, 6);
        m->hours_invoice = col_int(st, 7);
    }
    if (ledger_read_end(st, rc, "the invoiced months of hours", e) != 0) {
        payouts_months_free(v, k);
        return -1;
    }
    *out = v;
    *n = k;
    return 0;
}

void payouts_months_free(struct payout_month *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)v[i].supplier), free((char *)v[i].placement);
    free(v);
}

int payouts_paid(struct ledger *lg, const char *supplier, int64_t *cents,
                 struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(amount_cents), 0) FROM payouts WHERE "
        "supplier = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, supplier);
    *cents = ledger_first_int(st, 0);
    return 0;
}

int payouts_booked(struct ledger *lg, const char *supplier, int64_t *cents,
                   struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(amount_cents), 0) FROM payouts WHERE "
        "supplier = ?1 AND booked_on IS NOT NULL";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, supplier);
    *cents = ledger_first_int(st, 0);
    return 0;
}

int payouts_batches_on(struct ledger *lg, cdate day, int64_t *n,
                       struct err *e)
{
    static const char *const sql =
        "SELECT COUNT(DISTINCT batch) FROM payouts WHERE exported_on = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, day);
    *n = ledger_first_int(st, 0);
    return 0;
}

int payouts_insert(struct ledger *lg, const struct payout_row *p,
                   struct err *e)
{
    static const char *const sql =
        "INSERT INTO payouts(supplier, batch, end_to_end_id, amount_cents, "
        "iban, exported_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, p->supplier);
    bind_text(st, 2, p->batch);
    bind_text(st, 3, p->end_to_end_id);
    bind_int(st, 4, p->amount_cents);
    bind_text(st, 5, p->iban);
    bind_date(st, 6, p->exported_on);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "payout to %s", p->supplier);
    return 0;
}

int payouts_book(struct ledger *lg, const char *e2e, int64_t cents, cdate on,
                 int *booked, struct err *e)
{
    static const char *const sql =
        "UPDATE payouts SET booked_on = ?3 WHERE end_to_end_id = ?1 AND "
        "amount_cents = ?2 AND booked_on IS NULL";
    *booked = 0;
    if (!e2e || !*e2e)
        return 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, e2e);
    bind_int(st, 2, cents);
    bind_date(st, 3, on);
    if (ledger_done(lg, st, NULL, e) != 0)
        return err_prefix(e, "booking payout %s", e2e);
    *booked = ledger_changes(lg) > 0;
    return 0;
}

void payout_moves_free(struct payout_move *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++)
        free(m[i].supplier);
    free(m);
}

int payouts_moves(struct ledger *lg, cdate to, struct payout_move **out,
                  size_t *n, struct err *e)
{
    static const char *const sql =
        "SELECT supplier, on_date, kind, cents FROM ("
        "SELECT m.supplier, i.issued AS on_date, 0 AS kind, "
        "i.total_cents AS cents FROM mediation_invoices m JOIN invoices i "
        "ON i.id = m.invoice OR i.credit_of = m.invoice WHERE m.role = "
        "'hours' "
        "UNION ALL SELECT m.supplier, p.on_date, 1, p.amount_cents "
        "FROM payments p JOIN mediation_invoices m ON m.invoice = p.invoice "
        "AND m.role = 'commission_supplier' LEFT JOIN payments u ON u.id = "
        "p.undoes WHERE p.method = 'withheld' OR (p.method = 'undo' AND "
        "u.method = 'withheld') "
        "UNION ALL SELECT supplier, exported_on, 2, amount_cents FROM payouts "
        "UNION ALL SELECT supplier, booked_on, 3, amount_cents FROM payouts "
        "WHERE booked_on IS NOT NULL) v "
        "WHERE CAST(?1 AS TEXT) IS NULL OR on_date <= ?1 "
        "ORDER BY supplier, on_date, kind";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_date(st, 1, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct payout_move){
            .supplier = col_text(st, 0),
            .on = col_date(st, 1),
            .kind = (enum payout_move_kind)col_int(st, 2),
            .cents = col_int(st, 3),
        };
    }
    if (ledger_read_end(st, rc, "the movements of the suppliers' accounts",
                        e) != 0) {
        payout_moves_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
