/*
 * collect.c — direct-debit batches out, bank statements in.
 */
#include "usecase/collect.h"

#include <stdlib.h>
#include <string.h>

#include "usecase/payment.h"
#include "formats/sepa.h"

/* ================================================================ export */

struct due_dd {
    int64_t invoice;
    char *number, *account, *name, *iban, *bic, *mandate;
    cdate mandate_date, due;
    int64_t open;
    int mandate_used;
};

static int epc_id(const char *s)
{
    if (!s || !*s || strlen(s) > 35)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789/-?:().,'+", *s))
            return 0;
    return 1;
}

int collect_export(struct engine *eng, cdate today,
                   const char *created_iso, const char *path,
                   struct collect_summary *out, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const due_sql =
        "SELECT i.id, i.number, i.total_cents - i.paid_cents, i.due, a.id, "
        "a.name, a.iban, a.bic, a.mandate_id, a.mandate_date, a.mandate_used "
        "FROM invoices i JOIN accounts a ON a.id = i.account "
        "WHERE i.direct_debit = 1 AND i.status = 'open' AND i.kind != 'credit' "
        "AND i.total_cents > i.paid_cents AND NOT EXISTS (SELECT 1 FROM "
        "collections c WHERE c.invoice = i.id) ORDER BY i.id";
    static const char *const batches_sql =
        "SELECT COUNT(DISTINCT batch) FROM collections";
    static const char *const ins_sql =
        "INSERT INTO collections(invoice, end_to_end_id, batch, sequence, "
        "amount_cents, collection_date, exported_on) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7)";
    static const char *const used_sql =
        "UPDATE accounts SET mandate_used = 1 WHERE id = ?1";
    struct due_dd *due = NULL;
    size_t n = 0;
    memset(out, 0, sizeof *out);

    struct ledger_stmt *st = ledger_stmt(lg, due_sql);
    while (ledger_step(st) == LEDGER_ROW) {
        due = xrealloc(due, (n + 1) * sizeof *due);
        struct due_dd *d = &due[n++];
        d->invoice = col_int(st, 0);
        d->number = col_text(st, 1);
        d->open = col_int(st, 2);
        d->due = col_date(st, 3);
        d->account = col_text(st, 4);
        d->name = col_text(st, 5);
        d->iban = col_text(st, 6);
        d->bic = col_text(st, 7);
        d->mandate = col_text(st, 8);
        d->mandate_date = col_date(st, 9);
        d->mandate_used = (int)col_int(st, 10);
    }
    ledger_reset(st);
    st = ledger_stmt(lg, batches_sql);
    ledger_step(st);
    int64_t batches = col_int(st, 0);
    ledger_reset(st);
    int y, m, dd;
    date_to_ymd(today, &y, &m, &dd);
    snprintf(out->batch, sizeof out->batch, "CB-%04d%02d%02d-%lld", y, m, dd,
             (long long)batches + 1);

    struct dd_tx *txs = xcalloc(n + 1, sizeof *txs);
    char **ids = xcalloc(n + 1, sizeof *ids);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct due_dd *d = &due[i];
        if (!d->mandate || !d->iban) {
            rc = err_set(e, "invoice %s is to be collected by direct debit but "
                            "account %s has no mandate or IBAN", d->number,
                         d->account);
            break;
        }
        /* A mandate's first collection is FRST, the rest RCUR. */
        int first = !d->mandate_used;
        for (size_t j = 0; j < i && first; j++)
            if (!strcmp(due[j].account, d->account))
                first = 0;
        ids[i] = epc_id(d->number) ? xstrdup(d->number)
                                   : xasprintf("CB%lld", (long long)d->invoice);
        txs[i] = (struct dd_tx){ids[i], d->open, d->mandate, d->mandate_date,
                                d->name, d->iban, d->bic, d->number, first,
                                d->due > today ? d->due : today + 1};
        st = ledger_stmt(lg, ins_sql);
        bind_int(st, 1, d->invoice);
        bind_text(st, 2, ids[i]);
        bind_text(st, 3, out->batch);
        bind_text(st, 4, first ? "FRST" : "RCUR");
        bind_int(st, 5, d->open);
        bind_date(st, 6, txs[i].collection_date);
        bind_date(st, 7, today);
        rc = ledger_done(lg, st, NULL, e);
        if (rc == 0 && first) {
            st = ledger_stmt(lg, used_sql);
            bind_text(st, 1, d->account);
            rc = ledger_done(lg, st, NULL, e);
        }
        out->n++;
        out->total_cents += d->open;
    }
    if (rc == 0 && n > 0)
        rc = sepa_write_pain008(&r->practice, out->batch, created_iso, txs, n,
                                path, e);
    for (size_t i = 0; i < n; i++) {
        struct due_dd *d = &due[i];
        free(d->number), free(d->account), free(d->name), free(d->iban);
        free(d->bic), free(d->mandate), free(ids[i]);
    }
    free(due);
    free(txs);
    free(ids);
    return rc;
}

/* ================================================================ import */

static int64_t invoice_by(struct ledger *lg, const char *sql, const char *v)
{
    if (!v || !*v)
        return 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, v);
    return ledger_first_int(st, 0);
}

/* Find the invoice an entry is about, and say how it was found. */
static int64_t match_entry(struct ledger *lg, const struct bank_entry *be,
                           const char **how)
{
    static const char *const by_e2e =
        "SELECT invoice FROM collections WHERE end_to_end_id = ?1";
    static const char *const by_number =
        "SELECT id FROM invoices WHERE number = ?1";
    static const char *const by_ref =
        "SELECT id FROM invoices WHERE payment_reference = ?1";
    int64_t id;
    *how = "end-to-end id";
    if ((id = invoice_by(lg, by_e2e, be->end_to_end_id)) ||
        (id = invoice_by(lg, by_number, be->end_to_end_id)))
        return id;
    *how = "payment reference";
    if ((id = invoice_by(lg, by_ref, be->reference)))
        return id;
    *how = "remittance text";
    if (be->remittance) {
        char *copy = xstrdup(be->remittance);
        for (char *tok = strtok(copy, " ,;"); tok; tok = strtok(NULL, " ,;")) {
            if ((id = invoice_by(lg, by_number, tok)) ||
                (id = invoice_by(lg, by_ref, tok)))
                break;
        }
        free(copy);
        if (id)
            return id;
    }
    *how = NULL;
    return 0;
}

static int64_t paid_of(struct ledger *lg, int64_t invoice)
{
    static const char *const sql = "SELECT paid_cents FROM invoices WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, invoice);
    return ledger_first_int(st, 0);
}

static int payments_has_ref(struct ledger *lg, const char *key)
{
    static const char *const sql = "SELECT 1 FROM payments WHERE bank_ref = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, key);
    return ledger_has_row(st);
}

static char *entry_key(const struct bank_entry *be)
{
    if (be->account_servicer_ref && *be->account_servicer_ref)
        return xasprintf("ref:%s", be->account_servicer_ref);
    char d[11], hex[65];
    char *raw = xasprintf("%s|%lld|%d|%d|%s|%s|%s|%d", date_fmt(be->booking_date, d),
                          (long long)be->amount_cents, be->credit, be->reversal,
                          be->end_to_end_id ? be->end_to_end_id : "",
                          be->reference ? be->reference : "",
                          be->remittance ? be->remittance : "", be->line);
    sha256_hex(raw, strlen(raw), hex);
    free(raw);
    return xasprintf("sha:%s", hex);
}

int bank_import(struct engine *eng, const char *path,
                cdate today, FILE *log, struct bank_summary *out,
                struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const ins_sql =
        "INSERT INTO bank_entries(entry_key, booking_date, amount_cents, "
        "credit, reversal, end_to_end_id, reference, remittance, invoice, "
        "outcome, imported_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11)";
    static const char *const number_sql =
        "SELECT number FROM invoices WHERE id = ?1";
    static const char *const reversed_sql =
        "UPDATE collections SET reversed = 1 WHERE invoice = ?1";
    struct bank_statement bs;
    memset(out, 0, sizeof *out);
    if (camt053_read(path, &bs, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < bs.n && rc == 0; i++) {
        const struct bank_entry *be = &bs.entries[i];
        char amount[32];
        money_fmt(be->amount_cents, amount);
        out->entries++;
        if (strcmp(be->currency, "EUR") != 0 ||
            (be->status && strcmp(be->status, "BOOK") != 0)) {
            out->skipped++;
            fprintf(log, "line %d: %s %s %s: skipped (not a booked EUR "
                         "entry)\n", be->line, be->credit ? "CRDT" : "DBIT",
                    amount, be->status ? be->status : "");
            continue;
        }
        const char *how;
        int64_t inv = match_entry(lg, be, &how);
        int incoming = be->credit && !be->reversal;
        const char *outcome = "unmatched";
        char *key = entry_key(be);
        int dup = 0;
        if (inv && incoming) {
            struct err pe;
            rc = payment_register_id(eng, inv, be->amount_cents,
                                     be->booking_date != CDATE_NONE
                                         ? be->booking_date : today,
                                     "bank", key, &dup, &pe);
            if (rc == 0)
                outcome = dup ? "already imported" : "paid";
            else {
                /* overpayment, credit note, ...: report, do not guess */
                fprintf(log, "line %d: not registered: %s\n", be->line, pe.msg);
                outcome = "not registered";
                rc = 0;
            }
        } else if (inv && paid_of(lg, inv) < be->amount_cents &&
                   !payments_has_ref(lg, key)) {
            char paid[32];
            fprintf(log, "line %d: not registered: reversal of %s exceeds the "
                         "%s paid on the invoice\n", be->line, amount,
                    money_fmt(paid_of(lg, inv), paid));
            outcome = "not registered";
        } else if (inv) {
            /* The collection is marked first, so the reopened invoice's
             * reminders see it; a duplicate rolls back with the run. */
            struct ledger_stmt *st = ledger_stmt(lg, reversed_sql);
            bind_int(st, 1, inv);
            rc = ledger_done(lg, st, NULL, e);
            if (rc == 0)
                rc = payment_reverse(eng, inv, be->amount_cents,
                                     be->booking_date != CDATE_NONE
                                         ? be->booking_date : today,
                                     key, &dup, e);
            outcome = dup ? "already imported" : "reversed";
        }
        if (rc == 0) {
            struct ledger_stmt *st = ledger_stmt(lg, ins_sql);
            bind_text(st, 1, key);
            bind_date(st, 2, be->booking_date);
            bind_int(st, 3, be->amount_cents);
            bind_int(st, 4, be->credit);
            bind_int(st, 5, be->reversal);
            bind_text(st, 6, be->end_to_end_id);
            bind_text(st, 7, be->reference);
            bind_text(st, 8, be->remittance);
            if (inv)
                bind_int(st, 9, inv);
            bind_text(st, 10, outcome);
            bind_date(st, 11, today);
            int dup2 = 0;
            rc = ledger_done(lg, st, &dup2, e);
            if (dup2 && !dup && !strcmp(outcome, "unmatched"))
                outcome = "already imported";
            dup |= dup2;
        }
        free(key);
        if (rc != 0)
            break;
        char number[64] = "";
        if (inv) {
            struct ledger_stmt *st = ledger_stmt(lg, number_sql);
            bind_int(st, 1, inv);
            if (ledger_step(st) == LEDGER_ROW)
                snprintf(number, sizeof number, "%s", col_ctext(st, 0));
            ledger_reset(st);
        }
        if (dup) {
            out->duplicates++;
            outcome = "already imported";
        } else if (!strcmp(outcome, "paid")) {
            out->paid++;
            out->paid_cents += be->amount_cents;
        } else if (!strcmp(outcome, "reversed")) {
            out->reversed++;
            out->reversed_cents += be->amount_cents;
        } else if (!strcmp(outcome, "unmatched")) {
            out->unmatched++;
        }
        if (inv)
            fprintf(log, "line %d: %s %s -> invoice %s (by %s): %s\n", be->line,
                    be->credit ? "CRDT" : "DBIT", amount, number, how, outcome);
        else
            fprintf(log, "line %d: %s %s: unmatched (end-to-end id %s, "
                         "reference %s, text '%s')\n", be->line,
                    be->credit ? "CRDT" : "DBIT", amount,
                    be->end_to_end_id ? be->end_to_end_id : "-",
                    be->reference ? be->reference : "-",
                    be->remittance ? be->remittance : "");
    }
    bank_statement_free(&bs);
    return rc;
}
