/*
 * payments.c — SQL of the payments table.
 */
#include "store/payments.h"

int payments_insert(struct ledger *lg, const struct payment_row *p, int *dup,
                    struct err *e)
{
    static const char *const sql =
        "INSERT INTO payments(invoice, amount_cents, on_date, method, "
        "bank_ref, created) VALUES (?1, ?2, ?3, ?4, ?5, ?3)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, p->invoice);
    bind_int(st, 2, p->amount_cents);
    bind_date(st, 3, p->on);
    bind_text(st, 4, p->method);
    bind_text(st, 5, p->bank_ref);
    return ledger_done(lg, st, dup, e);
}
