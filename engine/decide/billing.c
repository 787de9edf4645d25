/*
 * billing.c — the decision for one subscription period. Days are civil
 * dates: a pause from the 10th until the 20th covers 11 days whatever the
 * hour it was entered.
 */
#include "decide/billing.h"

#include <stdlib.h>
#include <string.h>

cdate billing_invoice_date(const struct practice *pr, const struct sub_view *s,
                           struct period p)
{
    /* A first period that began before the start comes due on the start. */
    cdate d = p.start < s->start ? s->start : p.start;
    return s->direct_debit ? d - pr->dd_days_before : d;
}

static int overlap(cdate a0, cdate a1, cdate b0, cdate b1)
{
    cdate lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi >= lo ? (int)(hi - lo) + 1 : 0;
}

static enum hook_failure call_money_hook(struct hooks *hooks,
                                         const struct hook_ref *ref,
                                         const struct sub_view *s,
                                         const struct period_decision *d,
                                         cdate run_date, int64_t *out,
                                         struct err *e)
{
    char ps[11], pe[11], rd[11], st[11];
    int64_t price;
    if (money_mul(d->unit_cents, s->quantity, &price, e) != 0)
        return HOOK_BAD_RESULT;
    struct hook_kv kv[] = {
        HKV_I("price", price),
        HKV_I("unit_price", d->unit_cents),
        HKV_I("quantity", s->quantity),
        HKV_S("period_start", date_fmt(d->p.start, ps)),
        HKV_S("period_end", date_fmt(d->p.end, pe)),
        HKV_I("period_days", d->period_days),
        HKV_I("active_days", d->active_days),
        HKV_I("paused_days", d->paused_days),
        HKV_S("run_date", date_fmt(run_date, rd)),
        HKV_S("account.id", s->account),
        HKV_S("account.name", s->account_name ? s->account_name : ""),
        HKV_I("subscription.id", s->id),
        HKV_S("subscription.type", s->type),
        HKV_S("subscription.start", date_fmt(s->start, st)),
    };
    return hooks_call_int(hooks, ref, kv, sizeof kv / sizeof *kv, out, NULL, e);
}

int billing_decide(const struct practice *pr, const struct subscription_type *t,
                   const struct type_hooks *th, struct hooks *hooks,
                   const struct sub_view *s, struct period p, int64_t price,
                   cdate run_date, struct period_decision *d, struct err *e)
{
    memset(d, 0, sizeof *d);
    d->p = p;
    d->invoice_date = billing_invoice_date(pr, s, p);
    d->period_days = period_days(p);
    d->unit_cents = price;
    int64_t full;
    if (money_mul(price, s->quantity, &full, e) != 0 ||
        money_in_range(full, "price", e) != 0)
        return err_append(e, " (price %lld cents x quantity %lld, account "
                             "%s, subscription %lld)", (long long)price,
                          (long long)s->quantity, s->account,
                          (long long)s->id);

    if (s->end_on != CDATE_NONE && p.start > s->end_on) {
        d->finished = 1;
        d->rule = "stopped before the period";
        return 0;
    }
    cdate lo = p.start > s->start ? p.start : s->start;
    cdate hi = s->end_on != CDATE_NONE && s->end_on < p.end ? s->end_on : p.end;
    int in_range = hi >= lo ? (int)(hi - lo) + 1 : 0;
    for (size_t i = 0; i < s->n_pauses && in_range; i++)
        d->paused_days +=
            overlap(lo, hi, s->pauses[i].from, s->pauses[i].until);
    d->active_days = in_range - d->paused_days;
    if (d->active_days <= 0) {
        d->rule = in_range ? "wholly paused" : "no active day";
        return 0;
    }

    const struct hook_ref *ref = NULL;
    if (d->paused_days > 0 && th && th->pause.ref >= 0) {
        ref = &th->pause;
        d->rule = "pause hook";
    } else if (th && th->prorate.ref >= 0) {
        ref = &th->prorate;
        d->rule = "prorate hook";
    }
    if (ref) {
        int64_t amount;
        if (call_money_hook(hooks, ref, s, d, run_date, &amount, e) != HOOK_OK)
            return err_append(e, " (evaluating account %s, subscription %lld)",
                              s->account, (long long)s->id);
        if (amount < 0)
            return err_set(e, "hook %s (%s): returned %lld, expected an amount "
                              ">= 0 (account %s, subscription %lld)",
                           ref->func, ref->file, (long long)amount, s->account,
                           (long long)s->id);
        if (amount > MONEY_MAX_CENTS)
            return err_set(e, "hook %s (%s): returned %lld, beyond the "
                              "maximum amount of 999999999.99 (account %s, "
                              "subscription %lld)", ref->func, ref->file,
                           (long long)amount, s->account, (long long)s->id);
        d->amount_cents = amount;
    } else {
        d->amount_cents = full;
        d->rule = d->paused_days ? "partly paused, billed in full"
                                 : billing_rule_full;
    }
    d->bill = d->amount_cents > 0;
    (void)t;
    return 0;
}

int billing_lines(const struct practice *pr, const struct billable *b,
                  struct period p, const struct billing_state *st,
                  struct period_decision *d, struct invoice *draft,
                  struct err *e)
{
    const struct subscription_type *t = b->type;
    const struct sub_view *s = b->sub;
    if (billing_decide(pr, t, st->th, st->hooks, s, p, st->price,
                       st->run_date, d, e) != 0)
        return -1;
    if (!d->bill)
        return 0;
    /* A whole number of units when the amount is the full price. */
    int64_t qty100 = 100, unit = d->amount_cents;
    int64_t full;
    if (money_mul(d->unit_cents, s->quantity, &full, e) != 0)
        return -1;
    if (d->amount_cents == full &&
        money_mul(s->quantity, 100, &qty100, NULL) == 0) {
        unit = d->unit_cents;
    }
    char ps[24];
    period_fmt(d->p, ps);
    size_t nl = strlen(t->d.name), np = strlen(ps);
    char *desc = xmalloc(nl + 1 + np + 1);
    memcpy(desc, t->d.name, nl);
    desc[nl] = ' ';
    memcpy(desc + nl + 1, ps, np + 1);
    struct invoice_line *l = invoice_add_line(draft, desc, qty100, unit,
                                              t->vat->d.id, t->vat->bp,
                                              t->vat->exempt,
                                              t->vat->exempt_text);
    free(desc);
    l->source = xstrdup("subscription");
    l->subscription = s->id;
    l->period_start = d->p.start;
    l->period_end = d->p.end;
    l->ref = xstrdup(t->d.id);
    /* The common case, a whole period billed in full, is the sentence the
     * line's own columns rebuild (billing_why_derived): it is not built
     * here nor stored, only made when `explain` asks. */
    if (d->rule == billing_rule_full && d->active_days == d->period_days &&
        d->paused_days == 0 && unit == d->unit_cents)
        l->why_derived = 1;
    else
        l->why = billing_why(s->id, t->d.id, d->p, d->rule, d->unit_cents,
                             d->active_days, d->period_days, d->paused_days);
    return 0;
}

const char billing_rule_full[] = "any active day bills the full period";

/* Append v in decimal. */
static void add_int(struct sbuf *b, int64_t v)
{
    char t[24];
    size_t i = sizeof t;
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    do
        t[--i] = (char)('0' + a % 10);
    while (a /= 10);
    if (v < 0)
        t[--i] = '-';
    sb_addn(b, t + i, sizeof t - i);
}

static void add_date(struct sbuf *b, cdate d)
{
    char t[11];
    sb_add(b, date_fmt(d, t));
}

char *billing_why(int64_t sub, const char *type_id, struct period p,
                  const char *rule, int64_t unit_cents, int active_days,
                  int period_days, int paused_days)
{
    /* Written out rather than printf'd: the daily run builds one per
     * line, and the text is money_fmt's and period_fmt's to the byte. */
    size_t cap = 160 + strlen(type_id) + strlen(rule) + 5 * 24;
    struct sbuf b = {xmalloc(cap), 0, cap};
    b.s[0] = '\0';
    uint64_t a = unit_cents < 0 ? (uint64_t)(-(unit_cents + 1)) + 1
                                : (uint64_t)unit_cents;
    sb_add(&b, "subscription ");
    add_int(&b, sub);
    sb_add(&b, " (");
    sb_add(&b, type_id);
    sb_add(&b, ") period ");
    add_date(&b, p.start);
    sb_add(&b, "..");
    add_date(&b, p.end);
    sb_add(&b, ": ");
    sb_add(&b, rule);
    sb_add(&b, "; price ");
    if (unit_cents < 0)
        sb_addc(&b, '-');
    add_int(&b, (int64_t)(a / 100));
    sb_addc(&b, '.');
    sb_addc(&b, (char)('0' + a % 100 / 10));
    sb_addc(&b, (char)('0' + a % 10));
    sb_add(&b, " in force on ");
    add_date(&b, p.start);
    sb_add(&b, "; ");
    add_int(&b, active_days);
    sb_add(&b, " of ");
    add_int(&b, period_days);
    sb_add(&b, " days active, ");
    add_int(&b, paused_days);
    sb_add(&b, " paused");
    return sb_steal(&b);
}

char *billing_line_why(const struct invoice_line *l)
{
    if (l->why)
        return xstrdup(l->why);
    return l->why_derived ? billing_why_derived(l) : NULL;
}

char *billing_why_derived(const struct invoice_line *l)
{
    if (!l->source || strcmp(l->source, "subscription") != 0 ||
        l->subscription <= 0 || !l->ref || l->period_start == CDATE_NONE ||
        l->period_end == CDATE_NONE || l->period_end < l->period_start)
        return NULL;
    struct period p = {l->period_start, l->period_end};
    int days = period_days(p);
    return billing_why(l->subscription, l->ref, p, billing_rule_full,
                       l->unit_cents, days, days, 0);
}
