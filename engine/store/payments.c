/*
 * payments.c — SQL of the payments and balance_moves tables
 * (store/payments.h).
 */
#include "store/payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int payments_insert(struct ledger *lg, const struct payment_row *p, int *dup,
                    int64_t *id, struct err *e)
{
    static const char *const sql =
        "INSERT INTO payments(invoice, amount_cents, on_date, method, "
        "bank_ref, created, undoes) VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, p->invoice);
    bind_int(st, 2, p->amount_cents);
    bind_date(st, 3, p->on);
    bind_text(st, 4, p->method);
    bind_text(st, 5, p->bank_ref);
    if (p->undoes)
        bind_int(st, 6, p->undoes);
    else
        bind_null(st, 6);
    int d = 0;
    if (ledger_done(lg, st, dup ? &d : NULL, e) != 0)
        return -1;
    if (dup)
        *dup = d;
    if (id)
        *id = d ? 0 : ledger_last_id(lg);
    return 0;
}

int payments_bank_ref_known(struct ledger *lg, const char *bank_ref,
                            int *known, struct err *e)
{
    static const char *const sql =
        "SELECT 1 FROM payments WHERE bank_ref = ?1 "
        "UNION ALL SELECT 1 FROM balance_moves WHERE bank_ref = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, bank_ref);
    int rc = ledger_step(st);
    *known = rc == LEDGER_ROW;
    if (rc == LEDGER_ROW) {
        ledger_reset(st);
        return 0;
    }
    return ledger_read_end(st, rc, "payments", e);
}

void payment_infos_free(struct payment_info *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].number);
        free(p[i].account);
        free(p[i].method);
        free(p[i].bank_ref);
    }
    free(p);
}

/* The columns every payment_info query selects, in this order. */
#define PAYMENT_COLS                                                        \
    "p.id, p.invoice, i.number, i.account, i.kind = 'credit', "             \
    "p.amount_cents, p.on_date, p.method, p.bank_ref, "                     \
    "COALESCE(p.undoes, 0), "                                               \
    "COALESCE((SELECT u.id FROM payments u WHERE u.undoes = p.id), 0), "    \
    "COALESCE((SELECT SUM(b.amount_cents) FROM balance_moves b "            \
    "WHERE b.payment = p.id AND b.kind = 'overpayment'), 0) "

static void payment_info_read(struct ledger_stmt *st, struct payment_info *p)
{
    p->id = col_int(st, 0);
    p->invoice = col_int(st, 1);
    p->number = col_text(st, 2);
    p->account = col_text(st, 3);
    p->credit_note = (int)col_int(st, 4);
    p->amount_cents = col_int(st, 5);
    p->on = col_date(st, 6);
    p->method = col_text(st, 7);
    p->bank_ref = col_text(st, 8);
    p->undoes = col_int(st, 9);
    p->undone_by = col_int(st, 10);
    p->to_balance_cents = col_int(st, 11);
}

int payments_get(struct ledger *lg, int64_t id, struct payment_info *out,
                 struct err *e)
{
    static const char *const sql =
        "SELECT " PAYMENT_COLS
        "FROM payments p JOIN invoices i ON i.id = p.invoice WHERE p.id = ?1";
    memset(out, 0, sizeof *out);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        payment_info_read(st, out);
        ledger_reset(st);
        return 0;
    }
    if (ledger_read_end(st, rc, "payments", e) != 0)
        return -1;
    err_set(e, "no payment with id %lld", (long long)id);
    return 1;
}

int payments_list(struct ledger *lg, const char *account, cdate from,
                  cdate to, struct payment_info **out, size_t *n,
                  struct err *e)
{
    static const char *const sql =
        "SELECT " PAYMENT_COLS
        "FROM payments p JOIN invoices i ON i.id = p.invoice "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR i.account = ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR p.on_date >= ?2) "
        "AND (CAST(?3 AS TEXT) IS NULL OR p.on_date <= ?3) ORDER BY p.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, from);
    bind_date(st, 3, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        payment_info_read(st, &(*out)[(*n)++]);
    }
    if (ledger_read_end(st, rc, "payments", e) != 0) {
        payment_infos_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* ================================================================ balances */

int payments_balance_insert(struct ledger *lg, const struct balance_move_row *m,
                            int *dup, struct err *e)
{
    static const char *const sql =
        "INSERT INTO balance_moves(account, amount_cents, on_date, kind, "
        "invoice, payment, bank_ref, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?3)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, m->account);
    bind_int(st, 2, m->amount_cents);
    bind_date(st, 3, m->on);
    bind_text(st, 4, m->kind);
    if (m->invoice)
        bind_int(st, 5, m->invoice);
    else
        bind_null(st, 5);
    if (m->payment)
        bind_int(st, 6, m->payment);
    else
        bind_null(st, 6);
    bind_text(st, 7, m->bank_ref);
    return ledger_done(lg, st, dup, e);
}

int payments_balance(struct ledger *lg, const char *account, int64_t *cents,
                     struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(amount_cents), 0) FROM balance_moves "
        "WHERE account = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    int rc = ledger_step(st);
    if (rc == LEDGER_ROW) {
        *cents = col_int(st, 0);
        ledger_reset(st);
        return 0;
    }
    *cents = 0;
    return ledger_read_end(st, rc == LEDGER_DONE ? LEDGER_ERROR : rc,
                           "balance_moves", e);
}

void balance_moves_free(struct balance_move *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        free(m[i].account);
        free(m[i].kind);
        free(m[i].invoice);
    }
    free(m);
}

int payments_balance_moves(struct ledger *lg, const char *account, cdate from,
                           cdate to, struct balance_move **out, size_t *n,
                           struct err *e)
{
    static const char *const sql =
        "SELECT b.id, b.account, b.amount_cents, b.on_date, b.kind, "
        "i.number, COALESCE(b.payment, 0) "
        "FROM balance_moves b LEFT JOIN invoices i ON i.id = b.invoice "
        "WHERE (CAST(?1 AS TEXT) IS NULL OR b.account = ?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR b.on_date >= ?2) "
        "AND (CAST(?3 AS TEXT) IS NULL OR b.on_date <= ?3) ORDER BY b.on_date, b.id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_date(st, 2, from);
    bind_date(st, 3, to);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (struct balance_move){
            .id = col_int(st, 0),
            .account = col_text(st, 1),
            .amount_cents = col_int(st, 2),
            .on = col_date(st, 3),
            .kind = col_text(st, 4),
            .invoice = col_text(st, 5),
            .payment = col_int(st, 6),
        };
    }
    if (ledger_read_end(st, rc, "balance_moves", e) != 0) {
        balance_moves_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int payments_open_invoices(struct ledger *lg, const char *account,
                           struct open_invoice **out, size_t *n,
                           struct err *e)
{
    static const char *const sql =
        "SELECT id, number, issued, total_cents, paid_cents FROM invoices "
        "WHERE account = ?1 AND status = 'open' AND kind <> 'credit' "
        "AND total_cents > 0 AND supplier IS NULL ORDER BY due, id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        struct open_invoice *o = &(*out)[(*n)++];
        memset(o, 0, sizeof *o);
        o->id = col_int(st, 0);
        const char *num = col_ctext(st, 1);
        snprintf(o->number, sizeof o->number, "%s", num ? num : "");
        o->issued = col_date(st, 2);
        o->total_cents = col_int(st, 3);
        o->paid_cents = col_int(st, 4);
    }
    if (ledger_read_end(st, rc, "invoices", e) != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int payments_accounts_in_credit(struct ledger *lg, char ***out, size_t *n,
                                struct err *e)
{
    static const char *const sql =
        "SELECT account FROM balance_moves GROUP BY account "
        "HAVING SUM(amount_cents) > 0 ORDER BY account";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = col_text(st, 0);
    }
    if (ledger_read_end(st, rc, "balance_moves", e) != 0) {
        for (size_t i = 0; i < *n; i++)
            free((*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
