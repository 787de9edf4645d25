/*
 * payment.c — payments, credit applications, offsets, reversals, refunds
 * and undos written through store/payments.h, the credit balance that
 * takes what exceeds an invoice and settles the account's next open
 * invoices, and the status an invoice derives from its rows
 * (decide/invoice_status.h) written back through store/invoices.h. What
 * may be booked is decided in decide/settlement.h. A status transition
 * calls what hangs on it in usecase/events.h.
 */
#include "usecase/payment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/invoice_status.h"
#include "decide/settlement.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "usecase/events.h"
#include "usecase/sink.h"

/* Decide invoice `invoice`'s status and settled amount from its payments
 * and store them. *transition receives what changed
 * (decide/invoice_status.h). Returns 0 or -1 (e filled; "no invoice with
 * id N" when there is none). */
static int settle(struct ledger *lg, int64_t invoice,
                  enum invoice_transition *transition, struct err *e)
{
    struct invoice_head h;
    struct invoice_sums sums;
    if (invoices_head(lg, invoice, &h, e) != 0 ||
        invoices_sums(lg, invoice, &sums, e) != 0)
        return -1;
    enum invoice_status now = invoice_status_of(&sums);
    if (invoices_set_status(lg, invoice, invoice_settled_cents(&sums), now,
                            e) != 0)
        return -1;
    *transition = invoice_status_transition(h.status, now);
    return 0;
}

/* Add one payments row; *id (may be NULL) gets its id. */
static int insert_payment(struct ledger *lg, int64_t invoice, int64_t amount,
                          cdate on, const char *method, const char *bank_ref,
                          int *dup, int64_t *id, struct err *e)
{
    struct payment_row p = {invoice, amount, on, method, bank_ref, 0};
    return payments_insert(lg, &p, dup, id, e);
}

/* Add one balance movement. */
static int move_balance(struct ledger *lg, const char *account,
                        int64_t amount, cdate on, const char *kind,
                        int64_t invoice, int64_t payment, const char *bank_ref,
                        int *dup, struct err *e)
{
    struct balance_move_row m = {account, amount, on, kind, invoice, payment,
                                 bank_ref};
    return payments_balance_insert(lg, &m, dup, e);
}

/* Settle invoice `invoice` and call what hangs on its closing (paid or
 * credited) or reopening, for an invoice that is not a credit note. */
static int settle_and_tell(struct engine *eng, int64_t invoice, cdate on,
                           struct err *e)
{
    enum invoice_transition transition;
    if (settle(eng->lg, invoice, &transition, e) != 0)
        return -1;
    if (transition == INVOICE_BECAME_PAID ||
        transition == INVOICE_BECAME_CREDITED)
        return events_invoice_settled(eng, invoice, on, e);
    if (transition == INVOICE_REOPENED)
        return events_invoice_reopened(eng, invoice, on, e);
    return 0;
}

/* Refuse a booking dated `on` on an invoice issued on `issued`: before
 * it, or after today. */
static int check_date(const struct engine *eng, const char *what,
                      const char *number, cdate issued, cdate on,
                      struct err *e)
{
    char d1[11], d2[11];
    switch (payment_date_check(issued, eng->today, on)) {
    case PAYMENT_DATE_BEFORE_INVOICE:
        return err_set(e, "%s dated %s is before invoice %s was issued "
                          "on %s", what, date_fmt(on, d1), number,
                       date_fmt(issued, d2));
    case PAYMENT_DATE_AFTER_TODAY:
        return err_set(e, "%s dated %s is after today (%s)", what,
                       date_fmt(on, d1), date_fmt(eng->today, d2));
    case PAYMENT_DATE_OK:
        break;
    }
    return 0;
}

int payment_receive(struct engine *eng, int64_t invoice, int64_t amount,
                    cdate on, const char *method, const char *bank_ref,
                    struct payment_result *res, struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice_head h;
    struct payment_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (invoices_head(lg, invoice, &h, e) != 0)
        return -1;
    snprintf(res->account, sizeof res->account, "%s", h.account);
    if (bank_ref) {
        /* a bank entry booked before: nothing again, and no refusal */
        if (payments_bank_ref_known(lg, bank_ref, &res->dup, e) != 0)
            return -1;
        if (res->dup)
            return 0;
    }
    const char *number = h.number;
    char a[32];
    if (h.kind == INV_CREDIT)
        return err_set(e, "%s is a credit note; register payments on the "
                          "invoice it corrects (money paid back: payment "
                          "refund %s)", number, number);
    if (amount <= 0)
        return err_set(e, "payment amount must be positive, not %s",
                       money_fmt(amount, a));
    if (check_date(eng, "payment", number, h.issued, on, e) != 0)
        return -1;
    if (h.total_cents - h.paid_cents <= 0) {
        char b[32];
        return err_set(e, "payment of %s on invoice %s exceeds the %s still "
                          "open: it is %s; register the money on an open "
                          "invoice of account %s", money_fmt(amount, a),
                       number, money_fmt(h.total_cents - h.paid_cents, b),
                       invoice_status_name(h.status), h.account);
    }
    /* What is open settles the invoice; the rest is the account's. */
    struct payment_split split =
        payment_split_of(amount, h.total_cents - h.paid_cents);
    int64_t id = 0;
    int d = 0;
    if (split.applied_cents > 0 &&
        insert_payment(lg, invoice, split.applied_cents, on, method, bank_ref,
                       &d, &id, e) != 0)
        return -1;
    if (!d && split.excess_cents > 0 &&
        move_balance(lg, h.account, split.excess_cents, on, "overpayment",
                     invoice, id, bank_ref, &d, e) != 0)
        return -1;
    res->dup = d;
    if (d)
        return 0;
    res->applied_cents = split.applied_cents;
    res->to_balance_cents = split.excess_cents;
    if (split.applied_cents > 0 && settle_and_tell(eng, invoice, on, e) != 0)
        return -1;
    if (split.excess_cents > 0 &&
        payment_apply_balance(eng, h.account, on, &res->balance_used_cents,
                              e) != 0)
        return -1;
    return payments_balance(lg, h.account, &res->balance_cents, e);
}

int payment_register_id(struct engine *eng,
                        int64_t invoice, int64_t amount, cdate on,
                        const char *method, const char *bank_ref, int *dup,
                        struct err *e)
{
    struct payment_result res;
    int rc = payment_receive(eng, invoice, amount, on, method, bank_ref, &res,
                             e);
    if (dup)
        *dup = rc == 0 && res.dup;
    return rc;
}

int payment_register_number(struct engine *eng, const char *number,
                            int64_t amount, cdate on, const char *method,
                            struct payment_result *res, struct err *e)
{
    int64_t id;
    if (invoices_find(eng->lg, number, &id, e) != 0)
        return -1;
    return payment_receive(eng, id, amount, on, method, NULL, res, e);
}

int payment_register(struct engine *eng,
                     const char *number, int64_t amount, cdate on,
                     const char *method, const char *bank_ref, struct err *e)
{
    int64_t id;
    if (invoices_find(eng->lg, number, &id, e) != 0)
        return -1;
    return payment_receive(eng, id, amount, on, method, bank_ref, NULL, e);
}

int payment_apply_credit(struct engine *eng,
                         int64_t orig, int64_t credit, int64_t amount, cdate on,
                         struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice_head h;
    if (invoices_head(lg, orig, &h, e) != 0)
        return -1;
    int64_t open = h.total_cents - h.paid_cents;
    /* What the original still owes is settled by the credit note; the rest
     * (the invoice was already paid) stays open on the credit note as a
     * refund the practice owes. */
    int64_t applied = amount < open ? amount : open;
    enum invoice_transition transition;
    if (applied > 0) {
        if (insert_payment(lg, orig, applied, on, "credit_note", NULL, NULL,
                           NULL, e) != 0 ||
            insert_payment(lg, credit, -applied, on, "credit_note", NULL,
                           NULL, NULL, e) != 0)
            return -1;
    }
    if (settle(lg, orig, &transition, e) != 0)
        return -1;
    if (transition != INVOICE_UNCHANGED &&
        events_invoice_withdrawn(eng, orig, on, e) != 0)
        return -1;
    /* The credit note itself: settled when fully applied. */
    if (settle(lg, credit, &transition, e) != 0)
        return -1;
    return events_credit_note(eng, orig, credit, on, e);
}

int payment_reverse(struct engine *eng, int64_t invoice,
                    int64_t amount, cdate on, const char *bank_ref, int *dup,
                    struct err *e)
{
    struct ledger *lg = eng->lg;
    int d = 0;
    enum invoice_transition transition;
    if (insert_payment(lg, invoice, -amount, on, "reversal", bank_ref, &d,
                       NULL, e) != 0)
        return -1;
    if (dup)
        *dup = d;
    if (d)
        return 0;
    if (settle(lg, invoice, &transition, e) != 0)
        return -1;
    if (transition == INVOICE_REOPENED)
        return events_invoice_reopened(eng, invoice, on, e);
    return 0;
}

int payment_offset_credit(struct engine *eng, int64_t credit, int64_t target,
                          cdate on, int64_t *cents, struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice_head hc, ht;
    if (invoices_head(lg, credit, &hc, e) != 0 ||
        invoices_head(lg, target, &ht, e) != 0)
        return -1;
    if (ht.kind == INV_CREDIT)
        return err_set(e, "%s is a credit note; offset a credit note against "
                          "an invoice", ht.number);
    if (strcmp(hc.account, ht.account) != 0)
        return err_set(e, "invoice %s is billed to account %s, credit note %s "
                          "to %s: a credit note offsets only invoices of its "
                          "own account", ht.number, ht.account, hc.number,
                       hc.account);
    int64_t owed = refund_owed_on_credit_note(hc.total_cents, hc.paid_cents);
    int64_t x = settlement_offset(owed, ht.total_cents, ht.paid_cents);
    if (owed <= 0)
        return err_set(e, "credit note %s owes nothing any more: it is "
                          "settled", hc.number);
    if (x <= 0)
        return err_set(e, "invoice %s has nothing open to offset", ht.number);
    if (check_date(eng, "offset", ht.number, ht.issued, on, e) != 0)
        return -1;
    if (insert_payment(lg, target, x, on, "credit_note", NULL, NULL, NULL,
                       e) != 0 ||
        insert_payment(lg, credit, -x, on, "credit_note", NULL, NULL, NULL,
                       e) != 0)
        return -1;
    enum invoice_transition transition;
    if (settle_and_tell(eng, target, on, e) != 0 ||
        settle(lg, credit, &transition, e) != 0)
        return -1;
    if (cents)
        *cents = x;
    return 0;
}

/* Free the strings of one payment_info read by payments_get. */
static void payment_info_clear(struct payment_info *p)
{
    free(p->number);
    free(p->account);
    free(p->method);
    free(p->bank_ref);
    memset(p, 0, sizeof *p);
}

int payment_undo(struct engine *eng, int64_t id, cdate on, int64_t *undo,
                 struct err *e)
{
    struct ledger *lg = eng->lg;
    struct payment_info p;
    int rc = payments_get(lg, id, &p, e);
    if (rc != 0) {
        payment_info_clear(&p);
        return -1;
    }
    if (on == CDATE_NONE)
        on = eng->today;
    int64_t balance = 0;
    char a[32], b[32], d1[11], d2[11];
    rc = payments_balance(lg, p.account, &balance, e);
    struct payment_undo_facts f = {p.method, p.amount_cents,
                                   p.undone_by != 0, p.to_balance_cents,
                                   balance};
    if (rc == 0) {
        switch (payment_undo_check(&f)) {
        case PAYMENT_UNDO_ALREADY:
            rc = err_set(e, "payment %lld was undone already (by payment "
                            "%lld)", (long long)id, (long long)p.undone_by);
            break;
        case PAYMENT_UNDO_NOT_MONEY:
            rc = err_set(e, "payment %lld (method %s) is not money received "
                            "or paid back: it cannot be undone%s", (long long)id,
                         p.method,
                         !strcmp(p.method, "credit_note")
                             ? " (a credit note is corrected by a new "
                               "invoice)"
                             : "");
            break;
        case PAYMENT_UNDO_BALANCE_USED:
            rc = err_set(e, "payment %lld put %s on account %s's credit "
                            "balance, which holds only %s now: undo what the "
                            "balance paid first", (long long)id,
                         money_fmt(p.to_balance_cents, a), p.account,
                         money_fmt(balance, b));
            break;
        case PAYMENT_UNDO_OK:
            break;
        }
    }
    if (rc == 0 && (on < p.on || on > eng->today))
        rc = err_set(e, "an undo dated %s must fall between the payment's "
                        "date (%s) and today", date_fmt(on, d1),
                     date_fmt(p.on, d2));
    int64_t uid = 0;
    if (rc == 0) {
        struct payment_row row = {p.invoice, -p.amount_cents, on, "undo",
                                  NULL, id};
        int dup = 0;
        rc = payments_insert(lg, &row, &dup, &uid, e);
        if (rc == 0 && dup)
            rc = err_set(e, "payment %lld was undone already", (long long)id);
    }
    if (rc == 0 && p.to_balance_cents > 0)
        rc = move_balance(lg, p.account, -p.to_balance_cents, on, "undo",
                          p.invoice, uid, NULL, NULL, e);
    if (rc == 0 && !strcmp(p.method, "balance"))
        rc = move_balance(lg, p.account, p.amount_cents, on, "undo",
                          p.invoice, uid, NULL, NULL, e);
    if (rc == 0) {
        enum invoice_transition transition;
        if (p.credit_note)
            rc = settle(lg, p.invoice, &transition, e);
        else
            rc = settle_and_tell(eng, p.invoice, on, e);
    }
    if (rc == 0 && undo)
        *undo = uid;
    payment_info_clear(&p);
    return rc ? -1 : 0;
}

int payment_refund(struct engine *eng, const char *number, int64_t amount,
                   cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    int64_t id;
    struct invoice_head h;
    char a[32], b[32];
    if (invoices_find(lg, number, &id, e) != 0 ||
        invoices_head(lg, id, &h, e) != 0)
        return -1;
    if (h.kind != INV_CREDIT)
        return err_set(e, "%s is not a credit note: what was paid on it beyond "
                          "its total sits on account %s's credit balance "
                          "(payment refund --account %s)", number, h.account,
                       h.account);
    if (amount <= 0)
        return err_set(e, "refund amount must be positive, not %s",
                       money_fmt(amount, a));
    if (check_date(eng, "refund", number, h.issued, on, e) != 0)
        return -1;
    int64_t owed = refund_owed_on_credit_note(h.total_cents, h.paid_cents);
    if (amount > owed)
        return err_set(e, "credit note %s has %s left to refund; a refund of "
                          "%s is more", number, money_fmt(owed, a),
                       money_fmt(amount, b));
    if (insert_payment(lg, id, -amount, on, "refund", NULL, NULL, NULL, e) != 0)
        return -1;
    enum invoice_transition transition;
    return settle(lg, id, &transition, e);
}

int payment_refund_balance(struct engine *eng, const char *account,
                           int64_t amount, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    int64_t balance;
    char a[32], b[32], d1[11], d2[11];
    if (amount <= 0)
        return err_set(e, "refund amount must be positive, not %s",
                       money_fmt(amount, a));
    if (on > eng->today)
        return err_set(e, "refund dated %s is after today (%s)",
                       date_fmt(on, d1), date_fmt(eng->today, d2));
    if (payments_balance(lg, account, &balance, e) != 0)
        return -1;
    if (amount > balance)
        return err_set(e, "account %s has a credit balance of %s; a refund of "
                          "%s is more", account, money_fmt(balance, a),
                       money_fmt(amount, b));
    return move_balance(lg, account, -amount, on, "refund", 0, 0, NULL, NULL,
                        e);
}

int payment_apply_balance(struct engine *eng, const char *account, cdate on,
                          int64_t *used, struct err *e)
{
    struct ledger *lg = eng->lg;
    int64_t balance, total = 0;
    if (used)
        *used = 0;
    if (!eng->r || !eng->r->practice.apply_balance)
        return 0;
    if (payments_balance(lg, account, &balance, e) != 0)
        return -1;
    if (balance <= 0)
        return 0;
    struct open_invoice *open;
    size_t n;
    if (payments_open_invoices(lg, account, &open, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0 && balance > 0; i++) {
        const struct open_invoice *o = &open[i];
        int64_t x = settlement_offset(balance, o->total_cents, o->paid_cents);
        if (x <= 0)
            continue;
        cdate day = on < o->issued ? o->issued : on;
        int64_t pid = 0;
        rc = insert_payment(lg, o->id, x, day, "balance", NULL, NULL, &pid, e);
        if (rc == 0)
            rc = move_balance(lg, account, -x, day, "applied", o->id, pid,
                              NULL, NULL, e);
        if (rc == 0)
            run_sink_balance(eng->sink, day, account, o->number, x);
        if (rc == 0)
            rc = settle_and_tell(eng, o->id, day, e);
        balance -= x;
        total += x;
    }
    free(open);
    if (rc == 0 && used)
        *used = total;
    return rc;
}

int payment_apply_balances(struct engine *eng, cdate on, int64_t *used,
                           struct err *e)
{
    if (!eng->r || !eng->r->practice.apply_balance)
        return 0;
    char **accounts;
    size_t n;
    if (payments_accounts_in_credit(eng->lg, &accounts, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t x = 0;
        if (rc == 0)
            rc = payment_apply_balance(eng, accounts[i], on, &x, e);
        if (used)
            *used += x;
        free(accounts[i]);
    }
    free(accounts);
    return rc;
}

int payment_list(struct engine *eng, const char *account, cdate from,
                 cdate to, struct payment_info **out, size_t *n,
                 struct err *e)
{
    return payments_list(eng->lg, account, from, to, out, n, e);
}
