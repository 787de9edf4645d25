/*
 * payment.c — payments, credit applications and reversals written
 * through store/payments.h, and the status an invoice derives from them
 * (decide/invoice_status.h) written back through store/invoices.h. A
 * status transition calls what hangs on it in usecase/events.h.
 */
#include "usecase/payment.h"

#include <stdio.h>
#include <string.h>

#include "decide/invoice_status.h"
#include "decide/settlement.h"
#include "store/invoices.h"
#include "store/payments.h"
#include "usecase/events.h"

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

/* Add one payments row. */
static int insert_payment(struct ledger *lg, int64_t invoice, int64_t amount,
                          cdate on, const char *method, const char *bank_ref,
                          int *dup, struct err *e)
{
    struct payment_row p = {invoice, amount, on, method, bank_ref};
    return payments_insert(lg, &p, dup, e);
}

int payment_register_id(struct engine *eng,
                        int64_t invoice, int64_t amount, cdate on,
                        const char *method, const char *bank_ref, int *dup,
                        struct err *e)
{
    struct ledger *lg = eng->lg;
    struct invoice_head h;
    if (invoices_head(lg, invoice, &h, e) != 0)
        return -1;
    const char *number = h.number;
    int is_credit = h.kind == INV_CREDIT;
    int64_t open = h.total_cents - h.paid_cents;
    char a[32], b[32];
    if (is_credit)
        return err_set(e, "%s is a credit note; register payments on the "
                          "invoice it corrects", number);
    if (amount <= 0)
        return err_set(e, "payment amount must be positive, not %s",
                       money_fmt(amount, a));
    char d1[11], d2[11];
    switch (payment_date_check(h.issued, eng->today, on)) {
    case PAYMENT_DATE_BEFORE_INVOICE:
        return err_set(e, "payment dated %s is before invoice %s was issued "
                          "on %s", date_fmt(on, d1), number,
                       date_fmt(h.issued, d2));
    case PAYMENT_DATE_AFTER_TODAY:
        return err_set(e, "payment dated %s is after today (%s)",
                       date_fmt(on, d1), date_fmt(eng->today, d2));
    case PAYMENT_DATE_OK:
        break;
    }
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
    enum invoice_transition transition;
    if (settle(lg, invoice, &transition, e) != 0)
        return -1;
    if (transition == INVOICE_BECAME_PAID ||
        transition == INVOICE_BECAME_CREDITED)
        return events_invoice_settled(eng, invoice, on, e);
    return 0;
}

int payment_register(struct engine *eng,
                     const char *number, int64_t amount, cdate on,
                     const char *method, const char *bank_ref, struct err *e)
{
    int64_t id;
    if (invoices_find(eng->lg, number, &id, e) != 0)
        return -1;
    return payment_register_id(eng, id, amount, on, method, bank_ref, NULL, e);
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
        if (insert_payment(lg, orig, applied, on, "credit_note", NULL, NULL, e) != 0 ||
            insert_payment(lg, credit, -applied, on, "credit_note", NULL, NULL, e) != 0)
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
    if (insert_payment(lg, invoice, -amount, on, "reversal", bank_ref, &d, e) != 0)
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
