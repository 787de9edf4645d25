/*
 * collect.c — direct-debit batches out, bank statements in. The export
 * reads the direct-debit invoices through the collections store, plans
 * the batch with decide/collection.h and records it; the import matches
 * each statement entry with decide/bank_match.h and registers payments
 * and reversals through usecase/payment.h. No SQL here.
 */
#include "usecase/collect.h"

#include <stdlib.h>
#include <string.h>

#include "decide/bank_match.h"
#include "decide/collection.h"
#include "formats/sepa.h"
#include "store/collections.h"
#include "usecase/payment.h"

/* ================================================================ export */

int collect_export(struct engine *eng, cdate today,
                   const char *created_iso, const char *path,
                   struct collect_summary *out, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    struct dd_invoice *due = NULL;
    size_t n = 0;
    int64_t batches = 0;
    memset(out, 0, sizeof *out);
    if (collections_due_dd(lg, &due, &n, e) != 0)
        return -1;
    if (collections_batch_count(lg, &batches, e) != 0) {
        dd_invoices_free(due, n);
        return -1;
    }
    collection_batch_id(today, batches, out->batch);

    struct collection_plan plan;
    if (collection_plan(due, n, today, &plan, e) != 0) {
        dd_invoices_free(due, n);
        return -1;
    }
    struct dd_tx *txs = xcalloc(plan.n + 1, sizeof *txs);
    int rc = 0;
    for (size_t i = 0; i < plan.n && rc == 0; i++) {
        const struct planned_collection *c = &plan.items[i];
        const struct dd_invoice *d = c->inv;
        txs[i] = (struct dd_tx){c->end_to_end_id, c->amount_cents,
                                d->mandate_id, d->mandate_date, d->name,
                                d->iban, d->bic, d->number, c->first,
                                c->collection_date};
        struct collection_row row = {d->id, c->end_to_end_id, out->batch,
                                     c->first, c->amount_cents,
                                     c->collection_date, today};
        rc = collections_insert(lg, &row, e);
        if (rc == 0 && c->first)
            rc = collections_mark_mandate_used(lg, d->account, e);
        out->n++;
        out->total_cents += c->amount_cents;
    }
    struct sepa_creditor cdtr = {r->practice.name, r->practice.iban,
                                 r->practice.bic, r->practice.creditor_id};
    if (rc == 0 && plan.n > 0)
        rc = sepa_write_pain008(&cdtr, out->batch, created_iso, txs, plan.n,
                                path, e);
    free(txs);
    collection_plan_free(&plan);
    dd_invoices_free(due, n);
    return rc;
}

/* ================================================================ import */

/* Run the entry's probes in order until one finds an invoice; *m is the
 * match (c NULL when none does) and borrows from probes and cands. */
static int match_entry(struct ledger *lg, const struct bank_probes *probes,
                       struct bank_candidates *cands, struct bank_match *m,
                       struct err *e)
{
    m->c = NULL;
    m->how = NULL;
    for (size_t i = 0; i < probes->n; i++) {
        if (collections_find_candidates(lg, &probes->p[i], cands, e) != 0)
            return -1;
        if (cands->n > 0) {
            *m = bank_match_find(probes, cands);
            return 0;
        }
    }
    return 0;
}

int bank_import(struct engine *eng, const char *path,
                cdate today, FILE *log, struct bank_summary *out,
                struct err *e)
{
    struct ledger *lg = eng->lg;
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
        if (!bank_entry_booked_eur(be)) {
            out->skipped++;
            fprintf(log, "line %d: %s %s %s: skipped (not a booked EUR "
                         "entry)\n", be->line, be->credit ? "CRDT" : "DBIT",
                    amount, be->status ? be->status : "");
            continue;
        }
        struct bank_probes probes;
        struct bank_candidates cands = {NULL, 0};
        struct bank_match m;
        bank_match_probes(be, &probes);
        char *key = bank_entry_key(be);
        int registered = 0;
        rc = match_entry(lg, &probes, &cands, &m, e);
        if (rc == 0 && m.c && !bank_entry_incoming(be))
            rc = collections_entry_registered(lg, key, &registered, e);
        enum bank_action act =
            rc == 0 ? bank_match_action(be, m.c, registered) : BANK_UNMATCHED;
        int64_t inv = m.c ? m.c->invoice : 0;
        cdate on = be->booking_date != CDATE_NONE ? be->booking_date : today;
        const char *outcome = "unmatched";
        int dup = 0;
        if (rc == 0 && act == BANK_PAYMENT) {
            struct err pe;
            rc = payment_register_id(eng, inv, be->amount_cents, on, "bank",
                                     key, &dup, &pe);
            if (rc == 0)
                outcome = dup ? "already imported" : "paid";
            else {
                /* overpayment, credit note, ...: report, do not guess */
                fprintf(log, "line %d: not registered: %s\n", be->line, pe.msg);
                outcome = "not registered";
                rc = 0;
            }
        } else if (rc == 0 && act == BANK_REVERSAL_EXCEEDS) {
            char paid[32];
            fprintf(log, "line %d: not registered: reversal of %s exceeds the "
                         "%s paid on the invoice\n", be->line, amount,
                    money_fmt(m.c->paid_cents, paid));
            outcome = "not registered";
        } else if (rc == 0 && act == BANK_REVERSAL) {
            /* The collection is marked first, so the reopened invoice's
             * reminders see it; a duplicate rolls back with the run. */
            rc = collections_mark_reversed(lg, inv, e);
            if (rc == 0)
                rc = payment_reverse(eng, inv, be->amount_cents, on, key,
                                     &dup, e);
            outcome = dup ? "already imported" : "reversed";
        }
        if (rc == 0) {
            struct bank_entry_row row = {
                key, be->booking_date, be->amount_cents, be->credit,
                be->reversal, be->end_to_end_id, be->reference,
                be->remittance, inv, outcome, today};
            int dup2 = 0;
            rc = collections_insert_bank_entry(lg, &row, &dup2, e);
            if (dup2 && !dup && !strcmp(outcome, "unmatched"))
                outcome = "already imported";
            dup |= dup2;
        }
        free(key);
        if (rc == 0) {
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
                fprintf(log, "line %d: %s %s -> invoice %.63s (by %s): %s\n",
                        be->line, be->credit ? "CRDT" : "DBIT", amount,
                        m.c->number, m.how, outcome);
            else
                fprintf(log, "line %d: %s %s: unmatched (end-to-end id %s, "
                             "reference %s, text '%s')\n", be->line,
                        be->credit ? "CRDT" : "DBIT", amount,
                        be->end_to_end_id ? be->end_to_end_id : "-",
                        be->reference ? be->reference : "-",
                        be->remittance ? be->remittance : "");
        }
        bank_candidates_free(&cands);
        bank_probes_free(&probes);
    }
    bank_statement_free(&bs);
    return rc;
}
