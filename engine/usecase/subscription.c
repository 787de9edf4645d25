/*
 * subscription.c — the subscription use cases: read, decide, write.
 */
#include "usecase/subscription.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "decide/invoice.h"
#include "store/subscriptions.h"
#include "usecase/credit_notes.h"

int subscription_start(struct engine *eng, const char *account,
                       const char *type, cdate from, int direct_debit,
                       int64_t quantity, cdate today, int64_t *id,
                       struct err *e)
{
    const struct subscription_type *t = rules_subscription_type(eng->r, type);
    int has_mandate = account_mandate(eng->lg, account);
    if (subscription_start_check(t, type, account, has_mandate, direct_debit,
                                 quantity, e) != 0)
        return -1;
    if (account_active(eng->lg, account) == 0)
        return err_set(e, "account '%s' is inactive; it cannot start a new "
                          "subscription", account);
    struct subscription_row s = {
        .account = (char *)account, .type = (char *)type, .start = from,
        .end_on = CDATE_NONE, .direct_debit = direct_debit,
        .quantity = quantity};
    subscription_first_cursor(&eng->r->practice, t, from, direct_debit,
                              &s.next_period, &s.next_due);
    return subscriptions_insert(eng->lg, &s, today, id, e);
}

/* Read subscription id, or fail naming it. */
static int load(struct engine *eng, int64_t id, struct subscription_row *s,
                struct err *e)
{
    int rc = subscriptions_get(eng->lg, id, s, e);
    if (rc > 0)
        return err_set(e, "no subscription %lld", (long long)id);
    return rc;
}

int subscription_pause(struct engine *eng, int64_t id, cdate from,
                       cdate until, const char *note, struct err *e)
{
    struct subscription_row s;
    if (load(eng, id, &s, e) != 0)
        return -1;
    struct sub_dates dates = {id, s.start, s.end_on};
    subscription_row_free(&s);
    if (pause_check(&dates, from, until, note, e) != 0)
        return -1;
    struct pause_span other;
    int rc = pauses_overlapping(eng->lg, id, from, until, &other, e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return pause_overlap_error(&dates, from, until, &other, e);
    return pauses_insert(eng->lg, id, from, until, note, e);
}

int subscription_resume(struct engine *eng, int64_t id, cdate on,
                        struct err *e)
{
    struct subscription_row s;
    char a[11];
    if (load(eng, id, &s, e) != 0)
        return -1;
    struct sub_dates dates = {id, s.start, s.end_on};
    int64_t pid;
    struct pause_span p;
    int rc = resume_check(&dates, on, e);
    if (rc == 0)
        rc = pauses_covering(eng->lg, id, on, &pid, &p, e);
    if (rc == 0)
        rc = err_set(e, "subscription %lld is not paused on %s",
                     (long long)id, date_fmt(on, a));
    if (rc > 0) {
        cdate until;
        rc = resume_drops_pause(&p, on, &until)
                 ? pauses_delete(eng->lg, pid, e)
                 : pauses_set_until(eng->lg, pid, until, e);
    }
    /* A backdated resume can make a period already passed billable. */
    const struct subscription_type *t = rules_subscription_type(eng->r, s.type);
    cdate next, due;
    if (rc == 0 && t &&
        subscription_rewind(&eng->r->practice, t, s.start, s.end_on,
                            s.direct_debit, s.next_period, on, &next, &due))
        rc = subscriptions_set_cursor(eng->lg, id, next, due, e);
    subscription_row_free(&s);
    return rc;
}

int subscription_stop(struct engine *eng, int64_t id, cdate on,
                      const char *note, cdate today, struct err *e)
{
    struct subscription_row s;
    if (load(eng, id, &s, e) != 0)
        return -1;
    struct sub_dates dates = {id, s.start, s.end_on};
    subscription_row_free(&s);
    if (stop_check(&dates, on, today, note, e) != 0 ||
        subscriptions_set_end(eng->lg, id, on, note, e) != 0)
        return -1;
    return pauses_clip(eng->lg, id, on, e);
}

int subscription_report(struct engine *eng, const char *account,
                        struct subscription_report_row **rows, size_t *n,
                        struct err *e)
{
    if (subscriptions_report(eng->lg, account, rows, n, e) != 0)
        return -1;
    for (size_t i = 0; i < *n; i++) {
        struct subscription_report_row *r = &(*rows)[i];
        r->status = subscription_status(r->s.start, r->s.end_on, r->pauses,
                                        r->n_pauses, eng->today);
    }
    return 0;
}

int subscription_missing_definitions(struct engine *eng, int packages,
                                     char ***msgs, size_t *n, struct err *e)
{
    struct definition_use *uses;
    size_t k;
    *msgs = NULL;
    *n = 0;
    if (!packages) {
        /* The daily run: when every type in use is defined (one index
         * probe per type), no subscription need be listed. */
        char **types;
        size_t nt;
        int all = 1;
        if (subscriptions_types_in_use(eng->lg, &types, &nt, e) != 0)
            return -1;
        for (size_t i = 0; i < nt; i++) {
            all &= rules_subscription_type(eng->r, types[i]) != NULL;
            free(types[i]);
        }
        free(types);
        if (all)
            return 0;
    }
    if (subscriptions_definitions_in_use(eng->lg, &uses, &k, e) != 0)
        return -1;
    for (size_t i = 0; i < k; i++) {
        const struct definition_use *u = &uses[i];
        if (u->package ? !packages || rules_package(eng->r, u->id)
                       : rules_subscription_type(eng->r, u->id) != NULL)
            continue;
        const char *what = u->package ? "package" : "subscription type";
        const char *who = u->package ? "the open credit grants"
                                     : "subscriptions";
        int len = snprintf(NULL, 0, "%s '%s' is used by %s %s but no rule "
                           "file defines it", what, u->id, who, u->users);
        char *m = xcalloc(1, (size_t)len + 1);
        snprintf(m, (size_t)len + 1, "%s '%s' is used by %s %s but no rule "
                 "file defines it", what, u->id, who, u->users);
        *msgs = xrealloc(*msgs, (*n + 1) * sizeof **msgs);
        (*msgs)[(*n)++] = m;
    }
    definition_uses_free(uses, k);
    return 0;
}

void late_fixes_free(struct late_fix *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].number), free(f[i].credit_number);
    free(f);
}

/* What period p of s bills now, in cents, into *cents. */
static int rebill(struct engine *eng, const struct subscription_type *t,
                  const struct price_list *pl, const struct sub_view *v,
                  struct period p, int64_t *cents, struct err *e)
{
    const struct practice *pr = &eng->r->practice;
    struct billable b = {BILLABLE_SUBSCRIPTION, t, v};
    struct billing_state st = {price_list_on(pl, p.start),
                               engine_type_hooks(eng, t), eng->hooks,
                               eng->today};
    struct party to = {.id = (char *)v->account, .name = (char *)"",
                       .email = (char *)""};
    struct invoice inv;
    struct period_decision d;
    invoice_draft(&inv, pr, INV_SUBSCRIPTION, &to, NULL, eng->today,
                  v->direct_debit);
    int rc = billing_lines(pr, &b, p, &st, &d, &inv, e);
    *cents = 0;
    for (size_t i = 0; rc == 0 && i < inv.n_lines; i++)
        *cents += inv.lines[i].amount_cents;
    invoice_free(&inv);
    return rc;
}

/* Append f to *fixes. */
static void fix_add(struct late_fix **fixes, size_t *n, struct late_fix f)
{
    *fixes = xrealloc(*fixes, (*n + 1) * sizeof **fixes);
    (*fixes)[(*n)++] = f;
}

/* Bill the nb issued periods bp of subscription s (type t, prices pl)
 * again on the ledger's state and settle each that now bills otherwise,
 * appending to *fixes. `repriced`: the change is a price change. */
static int settle_billed(struct engine *eng, const struct subscription_row *s,
                         const struct subscription_type *t,
                         const struct price_list *pl,
                         const struct billed_period *bp, size_t nb,
                         int repriced, struct late_fix **fixes, size_t *n,
                         struct err *e)
{
    struct pause_span *pauses = NULL;
    size_t np = 0;
    if (pauses_of(eng->lg, s->id, &pauses, &np, e) != 0)
        return -1;
    struct sub_view v = {s->id, s->account, "", s->type, s->start, s->end_on,
                         s->direct_debit, s->quantity, pauses, np};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nb; i++) {
        const struct billed_period *b = &bp[i];
        struct period p = {b->start, b->end};
        int64_t now;
        if ((rc = rebill(eng, t, pl, &v, p, &now, e)) != 0)
            break;
        struct late_period lp = {b->line_cents, now, b->invoice_total,
                                 b->credited, b->n_lines, b->exported,
                                 repriced};
        struct late_fix f = {LATE_NONE, NULL, b->start, b->end, 0, 0, NULL};
        f.action = late_change_decide(eng->r->practice.late_change, &lp,
                                      &f.cents, &f.full);
        if (f.action == LATE_NONE)
            continue;
        f.number = xstrdup(b->number);
        if (f.action == LATE_CREDITED)
            rc = issue_credit_note(eng, b->number, f.full ? -1 : f.cents,
                                   eng->today, &f.credit_number, e);
        fix_add(fixes, n, f);
    }
    free(pauses);
    return rc;
}

/* On failure nothing found is returned (the transaction is undone). */
static int fixes_done(int rc, struct late_fix **fixes, size_t *n)
{
    if (rc != 0) {
        late_fixes_free(*fixes, *n);
        *fixes = NULL;
        *n = 0;
    }
    return rc;
}

int subscription_late_changes(struct engine *eng, int64_t id, cdate from,
                              struct late_fix **fixes, size_t *n,
                              struct err *e)
{
    *fixes = NULL;
    *n = 0;
    struct subscription_row s;
    if (load(eng, id, &s, e) != 0)
        return -1;
    const struct subscription_type *t = rules_subscription_type(eng->r, s.type);
    struct billed_period *bp = NULL;
    size_t nb = 0;
    struct price_list pl;
    int rc = t ? subscriptions_billed_since(eng->lg, id, from, &bp, &nb, e) : 0;
    if (rc == 0 && nb && (rc = price_list_load(eng->lg, t, &pl, e)) == 0) {
        rc = settle_billed(eng, &s, t, &pl, bp, nb, 0, fixes, n, e);
        price_list_free(&pl);
    }
    billed_periods_free(bp, nb);
    subscription_row_free(&s);
    return fixes_done(rc, fixes, n);
}

int subscription_type_late_changes(struct engine *eng, const char *type,
                                   cdate from, struct late_fix **fixes,
                                   size_t *n, struct err *e)
{
    *fixes = NULL;
    *n = 0;
    const struct subscription_type *t = rules_subscription_type(eng->r, type);
    struct billed_period *bp = NULL;
    size_t nb = 0;
    struct price_list pl;
    if (!t)
        return err_set(e, "no subscription type '%s'", type);
    int rc = subscriptions_billed_of_type(eng->lg, type, from, &bp, &nb, e);
    if (rc != 0 || nb == 0)
        return rc;
    if ((rc = price_list_load(eng->lg, t, &pl, e)) == 0) {
        /* The rows come by subscription: settle each one's run of them. */
        for (size_t i = 0, j; rc == 0 && i < nb; i = j) {
            for (j = i + 1; j < nb && bp[j].subscription == bp[i].subscription;)
                j++;
            struct subscription_row s;
            if ((rc = load(eng, bp[i].subscription, &s, e)) != 0)
                break;
            rc = settle_billed(eng, &s, t, &pl, bp + i, j - i, 1, fixes, n, e);
            subscription_row_free(&s);
        }
        price_list_free(&pl);
    }
    billed_periods_free(bp, nb);
    return fixes_done(rc, fixes, n);
}
