/*
 * collect.c — direct-debit batches out, bank statements in. The export
 * reads the direct-debit invoices through the collections store, plans
 * the batch with decide/collection.h and records it; the import matches
 * each statement entry with decide/bank_match.h and registers payments
 * and reversals through usecase/payment.h. No SQL here.
 */
#include "usecase/collect.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decide/bank_match.h"
#include "decide/collection.h"
#include "formats/sepa.h"
#include "store/collections.h"
#include "store/invoices.h"
#include "usecase/payment.h"
#include "usecase/payouts.h"

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
    /* A batch is dated today. Invoices dated after it are a run ahead on
     * purpose (tick --future, at most the direct-debit lead days); any
     * later ones mean a clock or CAREBILL_TODAY behind the ledger, and
     * the batch would collect invoices before they were issued. */
    cdate last;
    if (invoices_last_issued(lg, &last, e) != 0)
        return -1;
    if (last != CDATE_NONE &&
        last > today + r->practice.dd_days_before) {
        char a[11], b[11];
        return err_set(e, "invoices were already issued on %s; a direct-debit "
                          "batch dated %s would collect invoices before they "
                          "were issued (is the date, or CAREBILL_TODAY, "
                          "right?)", date_fmt(last, a), date_fmt(today, b));
    }
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

/* The progress line (eng->progress) is told after every this many
 * statement entries, and at the end. */
#define BANK_PROGRESS_EVERY 100

/* Run the entry's probes in order until one finds an invoice; *m is the
 * match (c NULL when none does) and borrows from probes and cands. */
static int match_entry(struct ledger *lg, const struct bank_probes *probes,
                       struct bank_candidates *cands, struct bank_match *m,
                       struct err *e)
{
    m->c = NULL;
    m->how = NULL;
    for (size_t i = 0; i < probes->n; i++) {
        size_t before = cands->n;
        if (collections_find_candidates(lg, &probes->p[i], cands, e) != 0)
            return -1;
        if (cands->n > before) {
            /* a found invoice may fail the probe's check: go on then */
            *m = bank_match_find(probes, cands);
            if (m->c)
                return 0;
        }
    }
    return 0;
}

/* The summary count an outcome goes to; registered payments add their
 * amount. needs_person is counted by the caller. */
static void count(struct bank_summary *out, const char *outcome,
                  int64_t amount)
{
    static const struct {
        const char *outcome;
        size_t offset;
    } by[] = {
        {"paid", offsetof(struct bank_summary, paid)},
        {"partly paid", offsetof(struct bank_summary, partly_paid)},
        {"overpaid", offsetof(struct bank_summary, overpaid)},
        {"reversed", offsetof(struct bank_summary, reversed)},
        {"unmatched", offsetof(struct bank_summary, unmatched)},
        {"not registered", offsetof(struct bank_summary, not_registered)},
        {"outgoing", offsetof(struct bank_summary, outgoing)},
        {"credit reversal", offsetof(struct bank_summary, credit_reversals)},
        {"already imported", offsetof(struct bank_summary, duplicates)},
    };
    for (size_t i = 0; i < sizeof by / sizeof by[0]; i++)
        if (!strcmp(outcome, by[i].outcome))
            ++*(size_t *)((char *)out + by[i].offset);
    if (!strcmp(outcome, "paid") || !strcmp(outcome, "partly paid") ||
        !strcmp(outcome, "overpaid"))
        out->paid_cents += amount;
    else if (!strcmp(outcome, "reversed"))
        out->reversed_cents += amount;
}

/* Register an incoming payment; the outcome says how it left the
 * invoice, or "not registered" (with why on the log). */
static int register_payment(struct engine *eng, const struct bank_entry *be,
                            const struct bank_candidate *c, cdate on,
                            const char *key, FILE *log, const char **outcome,
                            int *dup, struct err *e)
{
    struct err pe;
    if (payment_register_id(eng, c->invoice, be->amount_cents, on, "bank", key,
                            dup, &pe) != 0) {
        /* a credit note, a date out of range, ...: report, do not guess
         * (what exceeds the open amount goes to the credit balance) */
        fprintf(log, "line %d: not registered: %s\n", be->line, pe.msg);
        *outcome = "not registered";
        return 0;
    }
    switch (bank_paid_kind(c->total_cents, c->paid_cents, be->amount_cents)) {
    case BANK_PAID: *outcome = "paid"; break;
    case BANK_PARTLY_PAID: *outcome = "partly paid"; break;
    case BANK_OVERPAID: *outcome = "overpaid"; break;
    }
    (void)e;
    return 0;
}

int bank_import_from(struct engine *eng, const char *path, cdate today,
                     int any_account, FILE *log, struct bank_summary *out,
                     struct err *e)
{
    struct ledger *lg = eng->lg;
    struct bank_statement bs;
    memset(out, 0, sizeof *out);
    if (camt053_read(path, &bs, e) != 0)
        return -1;
    const char *mine = eng->r->practice.iban;
    if (!any_account && !bank_statement_for(bs.iban, mine)) {
        err_set(e, "%s: the statement is for account %s, not the practice's "
                   "IBAN %s; nothing was imported (--any-account imports it "
                   "anyway)", path, bs.iban ? bs.iban : "(none given)",
                mine && *mine ? mine : "(none set)");
        bank_statement_free(&bs);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < bs.n && rc == 0; i++) {
        const struct bank_entry *be = &bs.entries[i];
        if (eng->progress && i && i % BANK_PROGRESS_EVERY == 0)
            eng->progress(eng->progress_arg, "entries", (int64_t)i);
        const char *dir = be->credit ? "CRDT" : "DBIT";
        char amount[32];
        money_fmt(be->amount_cents, amount);
        out->entries++;
        if (!bank_entry_booked_eur(be)) {
            out->skipped++;
            fprintf(log, "line %d: %s %s %s: skipped (not a booked EUR "
                         "entry)\n", be->line, dir, amount,
                    be->status ? be->status : "");
            continue;
        }
        char *legacy = bank_entry_legacy_key(be);
        int known = 0;
        if (legacy)
            rc = collections_bank_entry_known(lg, legacy, &known, e);
        free(legacy);
        if (rc == 0 && known) {
            out->duplicates++;
            fprintf(log, "line %d: %s %s: already imported\n", be->line, dir,
                    amount);
            continue;
        }
        if (rc != 0)
            break;
        struct bank_probes probes;
        struct bank_candidates cands = {NULL, 0};
        struct bank_match m;
        bank_match_probes(be, &probes);
        char *key = bank_entry_key(be);
        int registered = 0;
        rc = match_entry(lg, &probes, &cands, &m, e);
        if (rc == 0 && m.c && bank_entry_dd_return(be))
            rc = collections_entry_registered(lg, key, &registered, e);
        enum bank_action act =
            rc == 0 ? bank_match_action(be, m.c, registered) : BANK_UNMATCHED;
        int64_t inv = m.c ? m.c->invoice : 0;
        cdate on = be->booking_date != CDATE_NONE ? be->booking_date : today;
        const char *outcome = "unmatched";
        int dup = 0;
        if (rc == 0 && act == BANK_PAYMENT) {
            rc = register_payment(eng, be, m.c, on, key, log, &outcome, &dup, e);
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
            outcome = "reversed";
        } else if (rc == 0 && act == BANK_CREDIT_REVERSAL) {
            outcome = "credit reversal";
        } else if (rc == 0 && act == BANK_OUTGOING) {
            outcome = "outgoing";
            int booked = 0; /* a transfer of a supplier payout? */
            rc = payouts_book_debit(eng, be->end_to_end_id, be->amount_cents,
                                    on, &booked, e);
            if (rc == 0 && booked)
                outcome = "payout";
        }
        if (rc == 0) {
            struct bank_entry_row row = {
                key, be->booking_date, be->amount_cents, be->credit,
                be->reversal, be->end_to_end_id, be->reference,
                be->remittance, inv, outcome, today};
            int dup2 = 0;
            rc = collections_insert_bank_entry(lg, &row, &dup2, e);
            dup |= dup2;
        }
        free(key);
        if (rc == 0) {
            if (dup)
                outcome = "already imported";
            count(out, outcome, be->amount_cents);
            int person = !dup && (!strcmp(outcome, "not registered") ||
                                  !strcmp(outcome, "credit reversal") ||
                                  (!strcmp(outcome, "unmatched") && be->credit) ||
                                  (!strcmp(outcome, "outgoing") && inv));
            if (!dup && !strcmp(outcome, "outgoing") && inv)
                out->outgoing_matched++;
            out->needs_person += (size_t)person;
            const char *why = "";
            if (!strcmp(outcome, "overpaid"))
                why = " (the rest to the account's credit balance)";
            else if (!strcmp(outcome, "credit reversal"))
                why = " (money coming back in, not a customer reversal)";
            else if (!strcmp(outcome, "outgoing"))
                why = inv ? " (a refund or payout, not a reversal: record a "
                            "refund with payment refund)"
                          : " (not about an invoice)";
            if (inv)
                fprintf(log, "line %d: %s %s -> invoice %.63s (by %s): %s%s%s\n",
                        be->line, dir, amount, m.c->number, m.how, outcome,
                        dup ? "" : why, person ? "; needs a person" : "");
            else if (!strcmp(outcome, "unmatched"))
                fprintf(log, "line %d: %s %s: unmatched (end-to-end id %s, "
                             "reference %s, text '%s')%s\n", be->line, dir,
                        amount,
                        be->end_to_end_id ? be->end_to_end_id : "-",
                        be->reference ? be->reference : "-",
                        be->remittance ? be->remittance : "",
                        person ? "; needs a person" : "");
            else
                fprintf(log, "line %d: %s %s: %s%s%s\n", be->line, dir, amount,
                        outcome, dup ? "" : why,
                        person ? "; needs a person" : "");
        }
        bank_candidates_free(&cands);
        bank_probes_free(&probes);
    }
    if (eng->progress && rc == 0 && bs.n)
        eng->progress(eng->progress_arg, "entries", (int64_t)bs.n);
    bank_statement_free(&bs);
    return rc;
}

int bank_import(struct engine *eng, const char *path,
                cdate today, FILE *log, struct bank_summary *out,
                struct err *e)
{
    return bank_import_from(eng, path, today, 0, log, out, e);
}
