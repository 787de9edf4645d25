/*
 * credits.c — grants, consumption and the accounting journal of prepaid
 * credit packages.
 */
#include "credits.h"

#include <string.h>

int credits_grant_for_invoice(struct ledger *lg, const struct rules *r,
                              const struct invoice *inv, cdate on,
                              struct err *e)
{
    static const char *const lines_sql =
        "SELECT id, ref, qty100 FROM invoice_lines WHERE invoice = ?1 AND "
        "source = 'product' ORDER BY position";
    static const char *const grant_sql =
        "INSERT INTO credit_grants(account, package, credits, rate_cents, "
        "granted_on, source, invoice_line) VALUES (?1, ?2, ?3, ?4, ?5, "
        "'invoice', ?6) ON CONFLICT(invoice_line) DO NOTHING";
    struct {
        int64_t line, credits;
        const struct product *p;
    } todo[64];
    size_t n = 0;
    sqlite3_stmt *st = ledger_stmt(lg, lines_sql);
    bind_int(st, 1, inv->id);
    while (n < 64 && sqlite3_step(st) == SQLITE_ROW) {
        const struct product *p = rules_product(r, col_ctext(st, 1));
        if (!p || !p->package)
            continue;
        todo[n].line = col_int(st, 0);
        todo[n].credits = col_int(st, 2) / 100 * p->credits;
        todo[n].p = p;
        n++;
    }
    sqlite3_reset(st);
    for (size_t i = 0; i < n; i++) {
        if (todo[i].credits <= 0)
            continue;
        st = ledger_stmt(lg, grant_sql);
        bind_text(st, 1, inv->to.id);
        bind_text(st, 2, todo[i].p->package->d.id);
        bind_int(st, 3, todo[i].credits);
        bind_int(st, 4, todo[i].p->package->internal_rate_cents);
        bind_date(st, 5, on);
        bind_int(st, 6, todo[i].line);
        if (ledger_done(lg, st, NULL, e) != 0)
            return -1;
    }
    return 0;
}

int credits_withdraw_for_invoice(struct ledger *lg, const struct rules *r,
                                 int64_t invoice, cdate on, struct err *e)
{
    static const char *const sql =
        "UPDATE credit_grants SET withdrawn = credits - (SELECT "
        "COALESCE(SUM(u.credits), 0) FROM credit_uses u WHERE u.grant_id = "
        "credit_grants.id AND u.returned = 0) WHERE invoice_line IN (SELECT "
        "id FROM invoice_lines WHERE invoice = ?1)";
    (void)r, (void)on;
    sqlite3_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    return ledger_done(lg, st, NULL, e);
}
