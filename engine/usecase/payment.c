/*
 * payment.c — payments, credit applications and reversals, and the status
 * an invoice derives from them.
 */
#include "usecase/payment.h"

#include <stdio.h>
#include <string.h>

#include "usecase/events.h"

/* Recompute paid_cents and status from the payments table. Returns the
 * status transition: +1 became paid, -1 reopened, 0 unchanged. */
static int settle(struct ledger *lg, int64_t invoice, struct err *e,
                  int *transition)
{
    static const char *const sql =
        "UPDATE invoices SET paid_cents = (SELECT COALESCE(SUM(amount_cents), "
        "0) FROM payments WHERE invoice = ?1), status = CASE "
        "WHEN total_cents < 0 THEN CASE WHEN (SELECT COALESCE(SUM("
        "amount_cents), 0) FROM payments WHERE invoice = ?1) <= total_cents "
        "THEN 'paid' ELSE 'open' END "
        "WHEN (SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE "
        "invoice = ?1 AND method = 'credit_note') >= total_cents AND "
        "total_cents > 0 THEN 'credited' "
        "WHEN (SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE "
        "invoice = ?1) >= total_cents THEN 'paid' ELSE 'open' END "
        "WHERE id = ?1 RETURNING status";
    static const char *const before_sql =
        "SELECT status FROM invoices WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, before_sql);
    bind_int(st, 1, invoice);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no invoice with id %lld", (long long)invoice);
    }
    int was_open = !strcmp(col_ctext(st, 0), "open");
    ledger_reset(st);
    st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "settling invoice: %s", ledger_errmsg(lg));
    }
    int is_open = !strcmp(col_ctext(st, 0), "open");
    int paid = !strcmp(col_ctext(st, 0), "paid");
    ledger_reset(st);
    *transition = was_open && !is_open ? (paid ? 1 : 2) : !was_open && is_open ? -1 : 0;
    return 0;
}

static int insert_payment(struct ledger *lg, int64_t invoice, int64_t amount,
                          cdate on, const char *method, const char *bank_ref,
                          int *dup, struct err *e)
{
    static const char *const sql =
        "INSERT INTO payments(invoice, amount_cents, on_date, method, "
        "bank_ref, created) VALUES (?1, ?2, ?3, ?4, ?5, ?3)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    bind_int(st, 2, amount);
    bind_date(st, 3, on);
    bind_text(st, 4, method);
    bind_text(st, 5, bank_ref);
    return ledger_done(lg, st, dup, e);
}

int payment_register_id(struct engine *eng,
                        int64_t invoice, int64_t amount, cdate on,
                        const char *method, const char *bank_ref, int *dup,
                        struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const sql =
        "SELECT number, kind, total_cents - paid_cents, status FROM invoices "
        "WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no invoice with id %lld", (long long)invoice);
    }
    char number[128];
    snprintf(number, sizeof number, "%s", col_ctext(st, 0));
    int is_credit = !strcmp(col_ctext(st, 1), "credit");
    int64_t open = col_int(st, 2);
    ledger_reset(st);
    char a[32], b[32];
    if (is_credit)
        return err_set(e, "%s is a credit note; register payments on the "
                          "invoice it corrects", number);
    if (amount <= 0)
        return err_set(e, "payment amount must be positive, not %s",
                       money_fmt(amount, a));
    if (amount > open)
        return err_set(e, "payment of %s on invoice %s exceeds the %s still "
                          "open", money_fmt(amount, a), number,
                       money_fmt(open, b));
    int d = 0;
    if (insert_payment(lg, invoice, amount, on, method, bank_ref, &d, e) != 0)
        return -1;
    if (dup)
        *dup = d;
    if (d)
        return 0;
    int transition;
    if (settle(lg, invoice, e, &transition) != 0)
        return -1;
    if (transition > 0)
        return events_invoice_settled(eng, invoice, on, e);
    return 0;
}

int payment_register(struct engine *eng,
                     const char *number, int64_t amount, cdate on,
                     const char *method, const char *bank_ref, struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const sql = "SELECT id FROM invoices WHERE number = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, number);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no invoice '%s'", number);
    }
    int64_t id = col_int(st, 0);
    ledger_reset(st);
    return payment_register_id(eng, id, amount, on, method, bank_ref, NULL, e);
}

int payment_apply_credit(struct engine *eng,
                         int64_t orig, int64_t credit, int64_t amount, cdate on,
                         struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const open_sql =
        "SELECT total_cents - paid_cents FROM invoices WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, open_sql);
    bind_int(st, 1, orig);
    ledger_step(st);
    int64_t open = col_int(st, 0);
    ledger_reset(st);
    /* What the original still owes is settled by the credit note; the rest
     * (the invoice was already paid) stays open on the credit note as a
     * refund the practice owes. */
    int64_t applied = amount < open ? amount : open;
    int transition;
    if (applied > 0) {
        if (insert_payment(lg, orig, applied, on, "credit_note", NULL, NULL, e) != 0 ||
            insert_payment(lg, credit, -applied, on, "credit_note", NULL, NULL, e) != 0)
            return -1;
    }
    if (settle(lg, orig, e, &transition) != 0)
        return -1;
    if (transition != 0 && events_invoice_withdrawn(eng, orig, on, e) != 0)
        return -1;
    /* The credit note itself: settled when fully applied. */
    if (settle(lg, credit, e, &transition) != 0)
        return -1;
    return events_credit_note(eng, orig, credit, on, e);
}

int payment_reverse(struct engine *eng, int64_t invoice,
                    int64_t amount, cdate on, const char *bank_ref, int *dup,
                    struct err *e)
{
    struct ledger *lg = eng->lg;
    int d = 0, transition;
    if (insert_payment(lg, invoice, -amount, on, "reversal", bank_ref, &d, e) != 0)
        return -1;
    if (dup)
        *dup = d;
    if (d)
        return 0;
    if (settle(lg, invoice, e, &transition) != 0)
        return -1;
    if (transition < 0)
        return events_invoice_reopened(eng, invoice, on, e);
    return 0;
}
