/*
 * commission.c — the agency's commission on a placement's hours: the
 * amount by the placement's rule, a hook's answer checked, and the line
 * of a commission invoice. See commission.h.
 */
#include "decide/commission.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/hours.h"

int64_t commission_amount(const struct placement *pl,
                          enum commission_party who, int64_t value_cents,
                          int64_t minutes)
{
    int32_t bp = who == COMMISSION_SUPPLIER ? pl->supplier_commission_bp
                                            : pl->client_commission_bp;
    int64_t per_hour = who == COMMISSION_SUPPLIER
                           ? pl->supplier_commission_hour_cents
                           : pl->client_commission_hour_cents;
    if (bp)
        return money_muldiv_round(value_cents, bp, 10000);
    if (per_hour)
        return money_muldiv_round(hours_qty100(minutes), per_hour, 100);
    return 0;
}

int commission_check_hook(const struct placement *pl, int64_t answer_cents,
                          int64_t value_cents, struct err *e)
{
    char a[32], v[32];
    if (answer_cents < 0)
        return err_set(e, "commission hook: placement '%s': a commission of "
                          "%s is negative", pl->d.id,
                       money_fmt(answer_cents, a));
    if (answer_cents > value_cents)
        return err_set(e, "commission hook: placement '%s': a commission of "
                          "%s is more than the hours' value %s", pl->d.id,
                       money_fmt(answer_cents, a), money_fmt(value_cents, v));
    return 0;
}

static const char *const months[3][12] = {
    {"januari", "februari", "maart", "april", "mei", "juni", "juli",
     "augustus", "september", "oktober", "november", "december"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
     "septembre", "octobre", "novembre", "décembre"},
    {"January", "February", "March", "April", "May", "June", "July",
     "August", "September", "October", "November", "December"}};

void commission_line(struct invoice *inv, const struct placement *pl,
                     enum commission_party who, const char *month,
                     int64_t amount_cents, int64_t value_cents,
                     int64_t minutes)
{
    const char *loc = inv->locale ? inv->locale : "nl";
    int li = !strcmp(loc, "fr") ? 1 : !strcmp(loc, "en") ? 2 : 0;
    static const char *const word[3] = {"Bemiddelingsprovisie",
                                        "Commission de mise en relation",
                                        "Mediation commission"};
    static const char *const over[3] = {"over", "sur", "on"};
    static const char *const per[3] = {"per uur", "par heure", "per hour"};
    int y = atoi(month), m = atoi(month + 5);
    const char *mon = months[li][(m - 1 + 12) % 12];
    const char *name = pl->d.name ? pl->d.name : pl->d.id;
    int32_t bp = who == COMMISSION_SUPPLIER ? pl->supplier_commission_bp
                                            : pl->client_commission_bp;
    int64_t per_hour = who == COMMISSION_SUPPLIER
                           ? pl->supplier_commission_hour_cents
                           : pl->client_commission_hour_cents;
    int64_t qty100 = 100, unit = amount_cents;
    char *desc;
    char vbuf[48];
    if (!bp && per_hour &&
        money_muldiv_round(hours_qty100(minutes), per_hour, 100) ==
            amount_cents) {
        qty100 = hours_qty100(minutes);
        unit = per_hour;
        desc = xasprintf("%s %s, %s %d (%s)", word[li], per[li], mon, y, name);
    } else if (bp && money_muldiv_round(value_cents, bp, 10000) ==
                         amount_cents) {
        char pct[16];
        if (bp % 100)
            snprintf(pct, sizeof pct, "%d%c%02d%%", bp / 100,
                     li == 2 ? '.' : ',', bp % 100);
        else
            snprintf(pct, sizeof pct, "%d%%", bp / 100);
        desc = xasprintf("%s %s %s %s, %s %d (%s)", word[li], pct, over[li],
                         money_fmt_locale(value_cents, loc, vbuf), mon, y,
                         name);
    } else {
        desc = xasprintf("%s, %s %d (%s)", word[li], mon, y, name);
    }
    const struct vat_rate *v = pl->commission_vat;
    inv->prices_include_vat = 0;
    struct invoice_line *l = invoice_add_line(
        inv, desc, qty100, unit, v ? v->d.id : "hoog", v ? v->bp : 2100,
        v ? v->exempt : 0, v ? v->exempt_text : NULL);
    free(desc);
    l->source = xstrdup("commission");
    l->ref = xstrdup(pl->d.id);
    l->why = xasprintf("%s commission on placement %s for %s",
                       who == COMMISSION_SUPPLIER ? "supplier" : "client",
                       pl->d.id, month);
}
