/*
 * appointments.c — booking and cancelling appointments: the type checked
 * against the rule files, the credits planned and consumed through
 * usecase/credits.h, the short-credit outcome from decide/credit_plan.h,
 * and the appointment's own invoice (issued through usecase/issue.h, its
 * e-mail queued through usecase/events.h) when credits do not pay for it.
 * The caller owns the transaction; a refusal writes nothing.
 */
#include "usecase/appointments.h"

#include <stdlib.h>
#include <string.h>

#include "decide/credit_plan.h"
#include "decide/invoice.h"
#include "store/accounts.h"
#include "store/invoices.h"
#include "usecase/credits.h"
#include "usecase/events.h"
#include "usecase/credit_notes.h"
#include "usecase/issue.h"

void booking_free(struct booking *b)
{
    free(b->id);
    free(b->invoice);
    memset(b, 0, sizeof *b);
}

/* The next free generated id: "a-N", N one more than the appointments
 * recorded, skipping ids already taken. */
static char *appointment_new_id(struct ledger *lg)
{
    for (int64_t k = credits_appointment_count(lg) + 1;; k++) {
        char *id = xasprintf("a-%lld", (long long)k);
        if (!credits_appointment_exists(lg, id))
            return id;
        free(id);
    }
}

static void party_clear(struct party *p)
{
    free(p->id), free(p->name), free(p->email), free(p->address);
    free(p->vat_number), free(p->kvk), free(p->iban);
    memset(p, 0, sizeof *p);
}

/* Invoice appointment `id` of type t on `at` at its own price, dated
 * `today`; `reason` says why. *number receives the invoice's number. */
static int invoice_appointment(struct engine *eng, const char *account,
                               const struct appointment_type *t,
                               const char *id, cdate at, cdate today,
                               const char *reason, char **number,
                               struct err *e)
{
    struct party to = {0};
    char *locale = NULL;
    if (invoices_party(eng->lg, account, &to, &locale, e) != 0) {
        party_clear(&to);
        free(locale);
        return -1;
    }
    struct invoice inv;
    invoice_draft(&inv, &eng->r->practice, INV_APPOINTMENT, &to, locale,
                  today, 0);
    party_clear(&to);
    free(locale);
    char day[11], a[32];
    char *desc = xasprintf("%s %s", t->d.name, date_fmt(at, day));
    const struct vat_rate *v = t->vat;
    struct invoice_line *l = invoice_add_line(&inv, desc, 100, t->price_cents,
                                              v->d.id, v->bp, v->exempt,
                                              v->exempt_text);
    free(desc);
    l->source = xstrdup("appointment");
    l->ref = xstrdup(id);
    l->why = xasprintf("appointment %s (%s) on %s at %s: %s", id, t->d.id, day,
                       money_fmt(t->price_cents, a), reason);
    int rc = issue_invoice(eng, &inv, 0, e);
    if (rc == 0)
        rc = events_invoice_issued(eng, &inv, NULL, 0, e);
    if (rc == 0) {
        *number = xstrdup(inv.number);
        rc = credits_appointment_set_invoice(eng->lg, id, inv.id, e);
    }
    invoice_free(&inv);
    return rc;
}

int appointment_book(struct engine *eng,
                     const char *account, const char *type, cdate at,
                     const char *id, cdate today, struct booking *out,
                     struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    memset(out, 0, sizeof *out);
    const struct appointment_type *t =
        rules_appointment_type(r, type ? type : "");
    if (!t)
        return credit_plan_refuse_unknown(e, "appointment type",
                                          type ? type : "",
                                          r->appointment_types,
                                          r->n_appointment_types,
                                          sizeof *r->appointment_types);
    if (!t->d.active)
        return credit_plan_refuse_inactive(&t->d, "it cannot be booked", e);
    if (!account || !account_exists(lg, account))
        return err_set(e, "no account '%s'", account ? account : "");
    if (id && !is_slug(id))
        return err_set(e, "appointment id '%s' must be a slug (lowercase "
                          "letters, digits, '-' and '_', at most 64)", id);
    if (id && credits_appointment_exists(lg, id))
        return err_set(e, "appointment '%s' already exists", id);

    /* Decide before writing anything: a refusal leaves the ledger as it
     * was even outside a transaction. */
    struct credit_plan plan = {0};
    if (t->package &&
        credits_plan(eng, account, t->package, t->credits, &plan, e) != 0)
        return -1;
    enum credit_outcome o = credit_plan_outcome(r->practice.short_credit, t,
                                                t->package ? &plan : NULL);
    if (o == CREDIT_REFUSE) {
        err_set(e, "account '%s' has %lld credit%s of package '%s' left and "
                   "appointment type '%s' needs %lld; the practice refuses "
                   "bookings without enough credits (short_credit: refuse)",
                account, (long long)plan.have, credit_plan_plural(plan.have),
                t->package->d.id, t->d.id, (long long)t->credits);
        credit_plan_free(&plan);
        return -1;
    }
    char *why = NULL;
    if (!t->package)
        why = xstrdup("no package pays for this appointment type");
    else if (o != CREDIT_CONSUME)
        why = xasprintf("%lld of the %lld credit%s of package %s it needs "
                        "left, invoiced at its own price (short_credit: "
                        "invoice)", (long long)plan.have,
                        (long long)t->credits, credit_plan_plural(t->credits),
                        t->package->d.id);

    out->id = id ? xstrdup(id) : appointment_new_id(lg);
    struct appointment_row row = {out->id, account, t->d.id, at, today};
    int rc = credits_appointment_insert(lg, &row, e);
    if (rc == 0 && o == CREDIT_CONSUME) {
        rc = credits_consume(eng, account, t, out->id, at, &plan, today, e);
        out->credits = t->credits;
    } else if (rc == 0 && o == CREDIT_INVOICE) {
        rc = invoice_appointment(eng, account, t, out->id, at, today, why,
                                 &out->invoice, e);
    }
    credit_plan_free(&plan);
    free(why);
    if (rc != 0)
        booking_free(out);
    return rc;
}

int appointment_cancel(struct engine *eng,
                       const char *id, cdate today, char **credit_note,
                       struct err *e)
{
    struct ledger *lg = eng->lg;
    *credit_note = NULL;
    struct appointment_state a;
    if (credits_appointment_get(lg, id, &a, e) != 0)
        return -1;
    if (a.status == APPOINTMENT_CANCELLED) {
        free(a.invoice);
        return err_set(e, "appointment '%s' is already cancelled", id);
    }
    int rc = credits_appointment_set_status(lg, id, APPOINTMENT_CANCELLED, e);
    if (rc == 0)
        rc = credits_return(eng, id, today, e);
    if (rc == 0 && a.invoice && a.open_cents > 0)
        rc = issue_credit_note(eng, a.invoice, -1, today, credit_note, e);
    free(a.invoice);
    return rc;
}
