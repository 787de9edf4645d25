/*
 * seats.c — periods, seat counts and invoice lines of seat plans
 * (seats.h). Periods are anniversary periods of decide/period.c counted
 * from the plan's anchor; amounts go through invoice_add_line's checked
 * arithmetic.
 */
#include "decide/seats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/discount.h"

const char *plan_cycle_name(enum plan_cycle c)
{
    return c == CYCLE_YEARLY ? "yearly" : "monthly";
}

int plan_cycle_parse(const char *s, enum plan_cycle *out)
{
    if (s && !strcmp(s, "monthly"))
        *out = CYCLE_MONTHLY;
    else if (s && !strcmp(s, "yearly"))
        *out = CYCLE_YEARLY;
    else
        return -1;
    return 0;
}

int plan_offers(const struct plan *p, enum plan_cycle c)
{
    return c == CYCLE_YEARLY ? p->has_year : p->has_month;
}

int64_t plan_seat_price(const struct plan *p, enum plan_cycle c, int student)
{
    if (c == CYCLE_YEARLY)
        return student ? p->student_year_cents : p->seat_year_cents;
    return student ? p->student_month_cents : p->seat_month_cents;
}

const struct usage_price *plan_usage_price(const struct plan *p,
                                           const char *metric)
{
    for (size_t i = 0; i < p->n_usage; i++)
        if (!strcmp(p->usage[i].metric, metric))
            return &p->usage[i];
    return NULL;
}

cdate plan_first_billed(const struct plan *p, cdate from)
{
    return from + p->trial_days;
}

struct period plan_period(enum plan_cycle c, cdate anchor, cdate d)
{
    return period_containing(c == CYCLE_YEARLY ? PERIOD_YEAR : PERIOD_MONTH,
                             ALIGN_ANNIVERSARY, anchor, d);
}

cdate plan_change_effective(enum plan_cycle c, cdate anchor,
                            cdate next_period, cdate on)
{
    cdate eff = on < anchor ? anchor : plan_period(c, anchor, on).end + 1;
    return eff < next_period ? next_period : eff;
}

/* ================================================================ seats */

static int active_on(const struct seat_span *s, cdate d)
{
    return s->from <= d && (s->until == CDATE_NONE || s->until >= d);
}

void seat_tally(const struct seat_span *s, size_t n, int student,
                struct period p, struct seat_tally *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (!s[i].student != !student)
            continue;
        if (active_on(&s[i], p.start))
            out->first_day++;
        cdate lo = s[i].from > p.start ? s[i].from : p.start;
        cdate hi = s[i].until == CDATE_NONE || s[i].until > p.end ? p.end
                                                                  : s[i].until;
        if (hi >= lo)
            out->seat_days += (int64_t)(hi - lo) + 1;
    }
    /* The peak is reached on the first day or on a day a seat came. */
    for (size_t i = 0; i <= n; i++) {
        cdate d = i == n ? p.start : s[i].from;
        if (d < p.start || d > p.end)
            continue;
        int64_t k = 0;
        for (size_t j = 0; j < n; j++)
            if (!s[j].student == !student && active_on(&s[j], d))
                k++;
        if (k > out->peak)
            out->peak = k;
    }
}

int seats_count(const struct plan *pl, const struct hook_ref *hook,
                struct hooks *hooks, const char *account, enum plan_cycle c,
                const struct seat_span *s, size_t n, struct period p,
                cdate run_date, struct seat_count *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    int hooked = hook && hook->ref >= 0 && hooks;
    out->rule = hooked ? "seats hook" : "seats active on the period's first day";
    for (int k = 0; k < 2; k++) {
        seat_tally(s, n, k, p, &out->tally[k]);
        out->qty100[k] = out->tally[k].first_day * 100;
        if (!hooked || out->tally[k].seat_days == 0)
            continue;
        char ps[11], pe[11], rd[11];
        struct hook_kv kv[] = {
            HKV_B("student", k),
            HKV_I("first_day", out->tally[k].first_day),
            HKV_I("peak", out->tally[k].peak),
            HKV_I("seat_days", out->tally[k].seat_days),
            HKV_S("period_start", date_fmt(p.start, ps)),
            HKV_S("period_end", date_fmt(p.end, pe)),
            HKV_I("period_days", period_days(p)),
            HKV_S("billing", plan_cycle_name(c)),
            HKV_S("plan.id", pl->d.id),
            HKV_S("account.id", account),
            HKV_S("run_date", date_fmt(run_date, rd)),
        };
        int64_t q;
        char pf[24];
        if (hooks_call_int(hooks, hook, kv, sizeof kv / sizeof *kv, &q, NULL,
                           e) != HOOK_OK)
            return err_append(e, " (counting the seats of account %s, period "
                                 "%s)", account, period_fmt(p, pf));
        if (q < 0 || q > 100000000)
            return err_set(e, "hook %s (%s): returned %lld, expected seats x "
                              "100 between 0 and 100000000 (account %s, "
                              "period %s)", hook->func, hook->file,
                           (long long)q, account, period_fmt(p, pf));
        out->qty100[k] = q;
    }
    return 0;
}

/* ================================================================ lines */

struct words {
    const char *seat, *student, *usage, *discount, *monthly, *yearly;
};

static const struct words *words_of(const char *locale)
{
    static const struct words nl = {"Licentie", "Studentenlicentie",
                                    "Verbruik", "Korting", "maandelijks",
                                    "jaarlijks"};
    static const struct words fr = {"Licence", "Licence étudiant",
                                    "Consommation", "Réduction", "mensuel",
                                    "annuel"};
    static const struct words en = {"Seat", "Student seat", "Usage",
                                    "Discount", "monthly", "yearly"};
    if (locale && !strcmp(locale, "fr"))
        return &fr;
    if (locale && !strcmp(locale, "en"))
        return &en;
    return &nl;
}

static struct invoice_line *add(struct invoice *inv, const struct plan *pl,
                                const char *desc, int64_t qty100,
                                int64_t unit, const char *source,
                                const char *ref, struct period p)
{
    const struct vat_rate *v = pl->vat;
    struct invoice_line *l = invoice_add_line(inv, desc, qty100, unit,
                                              v->d.id, v->bp, v->exempt,
                                              v->exempt_text);
    l->source = xstrdup(source);
    l->ref = xstrdup(ref);
    l->period_start = p.start;
    l->period_end = p.end;
    return l;
}

int plan_lines(const struct plan_bill *b, struct invoice *draft,
               int64_t *discount_cents, struct err *e)
{
    const struct plan *pl = b->plan;
    const struct words *w = words_of(b->locale);
    const char *cyc = b->cycle == CYCLE_YEARLY ? w->yearly : w->monthly;
    char ps[24], a[32];
    size_t first = draft->n_lines;
    *discount_cents = 0;
    period_fmt(b->p, ps);
    for (int k = 0; k < 2; k++) {
        int64_t q = b->seats->qty100[k];
        if (q == 0)
            continue;
        int64_t price = plan_seat_price(pl, b->cycle, k);
        if (k && price == 0)
            return err_set(e, "plan '%s' has no %s student seat price, but "
                              "period %s bills student seats", pl->d.id,
                           plan_cycle_name(b->cycle), ps);
        char *desc = xasprintf("%s %s (%s) %s", k ? w->student : w->seat,
                               pl->d.name, cyc, ps);
        struct invoice_line *l = add(draft, pl, desc, q, price,
                                     k ? "student_seat" : "seat", pl->d.id,
                                     b->p);
        free(desc);
        l->why = xasprintf("%s %s period %s: %s; %lld on the first day, peak "
                           "%lld, %lld seat-days; %s per seat",
                           k ? "student seats" : "seats", pl->d.id, ps,
                           b->seats->rule,
                           (long long)b->seats->tally[k].first_day,
                           (long long)b->seats->tally[k].peak,
                           (long long)b->seats->tally[k].seat_days,
                           money_fmt(price, a));
    }
    for (size_t i = 0; i < b->n_usage; i++) {
        const struct usage_sum *u = &b->usage[i];
        char *desc = xasprintf("%s %s", w->usage, u->metric);
        int64_t q;
        if (money_mul(u->quantity, 100, &q, e) != 0)
            return err_prefix(e, "usage of %s", u->metric);
        struct invoice_line *l = add(draft, pl, desc, q, u->unit_cents,
                                     "usage", u->metric, b->p);
        free(desc);
        /* Usage belongs to the days it was recorded on, not this period. */
        l->period_start = l->period_end = CDATE_NONE;
        char d[11];
        l->why = xasprintf("usage of %s recorded before %s and not billed "
                           "before: %lld at %s", u->metric,
                           date_fmt(b->p.start, d), (long long)u->quantity,
                           money_fmt(u->unit_cents, a));
    }
    if (b->discount) {
        int64_t base = 0;
        for (size_t i = first; i < draft->n_lines; i++)
            if (money_add(base, draft->lines[i].amount_cents, &base, e) != 0)
                return -1;
        int64_t off = discount_amount(b->discount, base);
        if (off > 0) {
            const struct discount_code *dc = b->discount;
            char *desc = xasprintf("%s %s", w->discount,
                                   dc->d.name ? dc->d.name : dc->d.id);
            struct invoice_line *l = add(draft, pl, desc, 100, -off,
                                         "discount", dc->d.id, b->p);
            free(desc);
            char pc[16], bs[32];
            if (dc->percent_bp)
                snprintf(pc, sizeof pc, "%d.%02d%%", dc->percent_bp / 100,
                         dc->percent_bp % 100);
            l->why = xasprintf("discount code %s: %s of %s", dc->d.id,
                               dc->percent_bp ? pc : money_fmt(dc->amount_cents, a),
                               money_fmt(base, bs));
            *discount_cents = off;
        }
    }
    return 0;
}
