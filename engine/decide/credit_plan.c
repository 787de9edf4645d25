/*
 * credit_plan.c — the pure arithmetic of packages and credits: the take
 * plan (oldest grant first), the booking outcome per short_credit, the
 * withdrawal of credited credits (rounded down), and the balanced journal
 * pairs with their codes. See credit_plan.h for the contracts and
 * usecase/credits.h for the accounting they implement.
 */
#include "decide/credit_plan.h"

#include "base/suggest.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ take plan */

/* Oldest first: granted_on, then id. */
static int grant_older(const struct credit_grant_left *a,
                       const struct credit_grant_left *b)
{
    if (a->granted_on != b->granted_on)
        return a->granted_on < b->granted_on;
    return a->grant < b->grant;
}

void credit_plan_take(const struct credit_grant_left *g, size_t n,
                      int64_t need, struct credit_plan *out)
{
    assert(need >= 0);
    memset(out, 0, sizeof *out);
    out->need = need;
    /* The grants with credits left, sorted oldest first (insertion sort:
     * an account holds a handful of grants per package). */
    const struct credit_grant_left **order = xmalloc((n ? n : 1) *
                                                     sizeof *order);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].left <= 0)
            continue;
        size_t j = k++;
        while (j > 0 && grant_older(&g[i], order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = &g[i];
        out->have += g[i].left;
    }
    int64_t still = need;
    for (size_t i = 0; i < k && still > 0; i++) {
        int64_t take = order[i]->left < still ? order[i]->left : still;
        still -= take;
        out->takes = xrealloc(out->takes, (out->n + 1) * sizeof *out->takes);
        out->takes[out->n++] = (struct credit_take){order[i]->grant, take,
                                                    order[i]->rate_cents};
    }
    out->shortfall = still;
    free(order);
}

void credit_plan_free(struct credit_plan *p)
{
    free(p->takes);
    memset(p, 0, sizeof *p);
}

/* ================================================================ booking */

enum credit_outcome credit_plan_outcome(enum short_credit setting,
                                        const struct appointment_type *t,
                                        const struct credit_plan *plan)
{
    if (t->package && plan && plan->shortfall == 0)
        return CREDIT_CONSUME;
    if (t->package && setting == SHORT_CREDIT_REFUSE)
        return CREDIT_REFUSE;
    return t->price_cents > 0 ? CREDIT_INVOICE : CREDIT_RECORD;
}

/* ================================================================ grants */

int64_t credit_plan_line_credits(const struct product *p, int64_t qty100)
{
    if (!p->package)
        return 0;
    return qty100 / 100 * p->credits;
}

/* ================================================================ credit notes */

int credit_plan_pays_back(int64_t total_cents, int64_t credited_cents)
{
    return total_cents > 0 && credited_cents > 0;
}

int64_t credit_plan_credited(int64_t credits, int64_t total_cents,
                             int64_t credited_cents)
{
    if (!credit_plan_pays_back(total_cents, credited_cents))
        return 0;
    if (credited_cents > total_cents)
        credited_cents = total_cents;
    return money_muldiv_floor(credits, credited_cents, total_cents);
}

void credit_plan_withdraw(int64_t credits, int64_t used, int64_t withdrawn,
                          int64_t total_cents, int64_t credited_cents,
                          struct credit_withdrawal *out)
{
    out->target = credit_plan_credited(credits, total_cents, credited_cents);
    out->withdrawn = withdrawn;
    out->delta = 0;
    int64_t room = credits - used;
    int64_t want = out->target < room ? out->target : room;
    if (want <= withdrawn)
        return;
    out->delta = want - withdrawn;
    out->withdrawn = want;
}

int64_t credit_plan_credited_consumed(int64_t credits, int64_t withdrawn,
                                      int64_t total_cents,
                                      int64_t credited_cents)
{
    int64_t target = credit_plan_credited(credits, total_cents,
                                          credited_cents);
    return target > withdrawn ? target - withdrawn : 0;
}

/* ================================================================ journal */

void journal_entry_free(struct journal_entry *je)
{
    free(je->account_code);
    free(je->description);
    free(je->source);
    memset(je, 0, sizeof *je);
}

void journal_entries_free(struct journal_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        journal_entry_free(&v[i]);
    free(v);
}

struct credit_pair credit_pair_make(const char *debit, const char *credit,
                                    int64_t amount)
{
    if (amount < 0)
        return (struct credit_pair){credit, debit, -amount};
    return (struct credit_pair){debit, credit, amount};
}

const char *credit_plan_balance_code(const struct package *p)
{
    return p && p->balance_item && *p->balance_item ? p->balance_item
                                                     : CREDITS_CODE_BALANCE;
}

const char *credit_plan_revenue_code(const struct package *p)
{
    return p && p->ledger_account && *p->ledger_account ? p->ledger_account
                                                         : CREDITS_CODE_REVENUE;
}

struct credit_codes credit_plan_grant_codes(const char *booked_balance,
                                            const char *booked_counter,
                                            const struct package *pkg,
                                            int imported)
{
    struct credit_codes c;
    c.balance = booked_balance ? booked_balance : credit_plan_balance_code(pkg);
    c.counter = booked_counter ? booked_counter
                : imported     ? CREDITS_CODE_IMPORTED
                               : CREDITS_CODE_DEBTORS;
    return c;
}

int credit_plan_value(int64_t credits, int64_t rate_cents, int64_t *out,
                      struct err *e)
{
    int64_t v;
    if (money_mul(credits, rate_cents, &v, e) != 0 ||
        money_in_range(v, "credits value", e) != 0)
        return -1;
    *out = v;
    return 0;
}

/* credits × rate, or 0 when credit_plan_value refuses it. */
static int64_t value_or_zero(int64_t credits, int64_t rate_cents)
{
    int64_t v = 0;
    return credit_plan_value(credits, rate_cents, &v, NULL) == 0 ? v : 0;
}

struct credit_pair credit_plan_grant_pair(const struct package *pkg,
                                          int imported, int64_t credits,
                                          int64_t rate_cents)
{
    return credit_pair_make(imported ? CREDITS_CODE_IMPORTED
                                     : CREDITS_CODE_DEBTORS,
                            credit_plan_balance_code(pkg),
                            value_or_zero(credits, rate_cents));
}

struct credit_pair credit_plan_use_pair(const char *balance,
                                        const struct package *pkg,
                                        int64_t credits, int64_t rate_cents)
{
    return credit_pair_make(balance, credit_plan_revenue_code(pkg),
                            value_or_zero(credits, rate_cents));
}

struct credit_pair credit_plan_withdraw_pair(const struct credit_codes *c,
                                             int64_t credits,
                                             int64_t rate_cents)
{
    return credit_pair_make(c->balance, c->counter,
                            value_or_zero(credits, rate_cents));
}

size_t credit_pair_entries(const struct credit_pair *p, cdate on,
                           const char *desc, const char *source,
                           struct journal_entry out[2])
{
    if (p->cents == 0)
        return 0;
    for (int side = 0; side < 2; side++)
        out[side] = (struct journal_entry){
            .on = on,
            .account_code = xstrdup(side == 0 ? p->debit : p->credit),
            .debit_cents = side == 0 ? p->cents : 0,
            .credit_cents = side == 0 ? 0 : p->cents,
            .description = xstrdup(desc),
            .source = xstrdup(source)};
    return 2;
}

void credit_plan_reversal(const struct journal_entry *in, cdate on,
                          struct journal_entry *out)
{
    *out = (struct journal_entry){
        .on = on,
        .account_code = xstrdup(in->account_code),
        .debit_cents = in->credit_cents,
        .credit_cents = in->debit_cents,
        .description = xasprintf("cancelled: %s",
                                 in->description ? in->description : ""),
        .source = xstrdup(in->source)};
}

/* ================================================================ messages */

const char *credit_plan_plural(int64_t n)
{
    return n == 1 || n == -1 ? "" : "s";
}

int credit_plan_refuse_inactive(const struct def *d, const char *what,
                                struct err *e)
{
    return err_set(e, "%s '%s' is deactivated (%s:%d); %s", d->kind, d->id,
                   d->at.file, d->at.line, what);
}

int credit_plan_refuse_unknown(struct err *e, const char *kind,
                               const char *id, const void *defs, size_t n,
                               size_t size)
{
    const char *best = suggest_from_array(id, defs, n, size,
                                          offsetof(struct def, id),
                                          SUGGEST_DISTANCE);
    if (best)
        return err_set(e, "no %s '%s'; did you mean '%s'?", kind, id, best);
    return err_set(e, "no %s '%s'", kind, id);
}
