/*
 * hours.c — registered hours as pure decisions: durations in whole
 * minutes, rate kinds, the state machine of a placement's month, the
 * months and send times of the mediation settings, and the lines of an
 * hours invoice. See hours.h.
 */
#include "decide/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[HS_COUNT] = {
    "draft", "submitted", "approved", "rejected", "invoiced"};

const char *hours_status_name(enum hours_status s)
{
    return (unsigned)s < HS_COUNT ? status_names[s] : "?";
}

int hours_status_from_name(const char *s, enum hours_status *out)
{
    for (int i = 0; s && i < HS_COUNT; i++)
        if (!strcmp(status_names[i], s)) {
            *out = (enum hours_status)i;
            return 0;
        }
    return -1;
}

static const char *const kind_names[RATE_KINDS] = {"weekday", "evening",
                                                   "weekend", "holiday"};

const char *rate_kind_name(enum rate_kind k)
{
    return (unsigned)k < RATE_KINDS ? kind_names[k] : "?";
}

int rate_kind_from_name(const char *s, enum rate_kind *out)
{
    for (int i = 0; s && i < RATE_KINDS; i++)
        if (!strcmp(kind_names[i], s)) {
            *out = (enum rate_kind)i;
            return 0;
        }
    return -1;
}

int64_t hours_rate(const struct placement *pl, enum rate_kind k)
{
    switch (k) {
    case RATE_WEEKDAY: return pl->hourly_rate_cents;
    case RATE_EVENING: return pl->evening_rate_cents;
    case RATE_WEEKEND: return pl->weekend_rate_cents;
    case RATE_HOLIDAY: return pl->holiday_rate_cents;
    default: return 0;
    }
}

enum rate_kind hours_default_kind(const struct placement *pl, cdate d)
{
    return date_weekday(d) >= 6 && pl->weekend_rate_cents > 0 ? RATE_WEEKEND
                                                              : RATE_WEEKDAY;
}

/* Digits s[0..n) as a number into *v; 0 when there are none or too many. */
static int digits(const char *s, size_t n, long *v)
{
    if (n == 0 || n > 5)
        return 0;
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

int hours_parse(const char *s, int in_minutes, int *minutes, struct err *e)
{
    long h = 0, m = 0, total = -1;
    size_t len = s ? strlen(s) : 0;
    const char *sep = s ? strpbrk(s, ".,:h") : NULL;
    if (!s || !*s)
        return err_set(e, "no hours given");
    if (s[0] == '-')
        return err_set(e, "hours '%s' are negative", s);
    if (len > 1 && s[len - 1] == 'm' && digits(s, len - 1, &m)) {
        total = m;
    } else if (!sep && digits(s, len, &h)) {
        total = h * 60;
    } else if (sep && digits(s, (size_t)(sep - s), &h)) {
        const char *f = sep + 1;
        size_t fl = strlen(f);
        if (*sep == '.' || *sep == ',') {
            long frac;
            if (fl >= 1 && fl <= 2 && digits(f, fl, &frac)) {
                long hundredths = fl == 1 ? frac * 10 : frac;
                if ((hundredths * 60) % 100 == 0)
                    total = h * 60 + hundredths * 60 / 100;
                else
                    return err_set(e, "hours '%s' are not whole minutes "
                                      "(write 7:20 or 440m)", s);
            }
        } else if (*sep == ':' || *sep == 'h') {
            if (fl == 0 && *sep == 'h')
                total = h * 60;
            else if (fl >= 1 && fl <= 2 && digits(f, fl, &m) && m < 60)
                total = h * 60 + m;
        }
    }
    if (total < 0)
        return err_set(e, "hours '%s' are not a duration (expected e.g. 7.5, "
                          "7:30, 7h30 or 450m)", s);
    if (total == 0)
        return err_set(e, "hours '%s' are zero", s);
    if (total > 24 * 60)
        return err_set(e, "hours '%s' are more than a day holds (24)", s);
    if (!in_minutes && total % 15)
        return err_set(e, "hours '%s' are not whole quarters of an hour "
                          "(the agency registers hours per quarter)", s);
    *minutes = (int)total;
    return 0;
}

char *hours_fmt(int minutes, char buf[16])
{
    int64_t q = hours_qty100(minutes);
    snprintf(buf, 16, "%lld.%02lld", (long long)(q / 100),
             (long long)(q % 100));
    return buf;
}

int64_t hours_qty100(int64_t minutes)
{
    return (minutes * 100 + 30) / 60;
}

/* ---------------------------------------------------------------- months */

int month_parse(const char *s, int *y, int *m, struct err *e)
{
    long yy, mm;
    if (!s || strlen(s) != 7 || s[4] != '-' || !digits(s, 4, &yy) ||
        !digits(s + 5, 2, &mm) || yy < 1900 || yy > 2999 || mm < 1 || mm > 12)
        return err_set(e, "month '%s' is not YYYY-MM", s ? s : "");
    *y = (int)yy;
    *m = (int)mm;
    return 0;
}

char *month_of(cdate d, char buf[8])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, 8, "%04d-%02d", y % 10000, m % 100);
    return buf;
}

cdate month_first(const char *month)
{
    int y = atoi(month), m = atoi(month + 5);
    return date_from_ymd(y, m, 1);
}

cdate month_last(const char *month)
{
    return date_month_end(month_first(month));
}

int month_in_range(const char *month, cdate from, cdate to)
{
    return (to == CDATE_NONE || month_first(month) <= to) &&
           (from == CDATE_NONE || month_last(month) >= from);
}

int placement_active_on(const struct placement *pl, cdate d)
{
    return (pl->from == CDATE_NONE || d >= pl->from) &&
           (pl->until == CDATE_NONE || d <= pl->until);
}

int placement_active_in(const struct placement *pl, const char *month)
{
    cdate a = month_first(month), b = month_last(month);
    return (pl->from == CDATE_NONE || b >= pl->from) &&
           (pl->until == CDATE_NONE || a <= pl->until);
}

/* ---------------------------------------------------------- state machine */

enum hours_status month_status(const struct month_state *s)
{
    /* A month's rows share one status; should they not, the furthest
     * along wins, so nothing later is allowed by mistake. */
    static const enum hours_status order[] = {HS_INVOICED, HS_APPROVED,
                                              HS_SUBMITTED, HS_REJECTED,
                                              HS_DRAFT};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (s->n[order[i]])
            return order[i];
    return HS_DRAFT;
}

static int month_rows(const struct month_state *s)
{
    int n = 0;
    for (int i = 0; i < HS_COUNT; i++)
        n += s->n[i];
    return n;
}

const char *hours_refusal(enum hours_action a, const struct month_state *s,
                          const char *month, char *buf, size_t len)
{
    enum hours_status st = month_status(s);
    const char *name = hours_status_name(st);
    switch (a) {
    case HA_ADD:
    case HA_REMOVE:
        if (st == HS_DRAFT || st == HS_REJECTED)
            return NULL;
        if (st == HS_SUBMITTED)
            snprintf(buf, len, "the hours of %s are submitted for approval; "
                               "they change only after a rejection", month);
        else if (st == HS_APPROVED)
            snprintf(buf, len, "the hours of %s are approved and can no "
                               "longer change", month);
        else
            snprintf(buf, len, "the hours of %s are invoiced; only a credit "
                               "note corrects them", month);
        return buf;
    case HA_SUBMIT:
        if ((st == HS_DRAFT || st == HS_REJECTED) && month_rows(s))
            return NULL;
        if (!month_rows(s))
            snprintf(buf, len, "no hours registered for %s", month);
        else
            snprintf(buf, len, "the hours of %s are already %s", month, name);
        return buf;
    case HA_APPROVE:
    case HA_REJECT:
        if (st == HS_SUBMITTED)
            return NULL;
        if (!month_rows(s))
            snprintf(buf, len, "no hours registered for %s", month);
        else if (st == HS_DRAFT || st == HS_REJECTED)
            snprintf(buf, len, "the hours of %s are %s, not submitted", month,
                     name);
        else
            snprintf(buf, len, "the hours of %s are already %s", month, name);
        return buf;
    }
    snprintf(buf, len, "unknown action");
    return buf;
}

int hours_add_check(const struct placement *pl, cdate d, int minutes,
                    enum rate_kind kind, int day_minutes, struct err *e)
{
    char a[11], b[11], c[11];
    if (!placement_active_on(pl, d)) {
        if (pl->from != CDATE_NONE && d < pl->from)
            return err_set(e, "placement '%s' starts on %s; no hours on %s",
                           pl->d.id, date_fmt(pl->from, a), date_fmt(d, b));
        return err_set(e, "placement '%s' ended on %s; no hours on %s",
                       pl->d.id, date_fmt(pl->until, a), date_fmt(d, c));
    }
    if (hours_rate(pl, kind) <= 0)
        return err_set(e, "placement '%s' has no %s rate", pl->d.id,
                       rate_kind_name(kind));
    if (minutes <= 0)
        return err_set(e, "hours must be more than zero");
    if (day_minutes + minutes > 24 * 60) {
        char h[16];
        return err_set(e, "placement '%s' would hold more than 24 hours on %s "
                          "(%s registered already)", pl->d.id,
                       date_fmt(d, a), hours_fmt(day_minutes, h));
    }
    return 0;
}

/* ------------------------------------------------------------ send times */

const char *hours_missing_month(const struct practice *p, cdate today,
                                char buf[8])
{
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    if (d < p->hours_reminder_day)
        return NULL;
    return month_of(date_month_start(today) - 1, buf);
}

cdate hours_invoice_day(const struct practice *p, const char *month,
                        cdate approved)
{
    if (p->client_invoice_day <= 0)
        return approved;
    cdate next = month_last(month) + 1;
    int y, m, d;
    date_to_ymd(next, &y, &m, &d);
    cdate day = date_from_ymd(y, m, p->client_invoice_day);
    return day > approved ? day : approved;
}

cdate hours_commission_day(const struct practice *p, cdate issued)
{
    return issued + p->commission_days_after;
}

int hours_approval_reminder_due(const struct practice *p, cdate submitted,
                                cdate today)
{
    return p->approval_reminder_days > 0 &&
           today >= submitted + p->approval_reminder_days;
}

/* ------------------------------------------------------------ the invoice */

static const char *const month_nl[12] = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli",
    "augustus", "september", "oktober", "november", "december"};
static const char *const month_fr[12] = {
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"};
static const char *const month_en[12] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

static const char *const what_nl[RATE_KINDS] = {
    "Zorguren", "Zorguren avond", "Zorguren weekend", "Zorguren feestdag"};
static const char *const what_fr[RATE_KINDS] = {
    "Heures de soins", "Heures de soins en soirée",
    "Heures de soins le week-end", "Heures de soins un jour férié"};
static const char *const what_en[RATE_KINDS] = {
    "Care hours", "Care hours, evening", "Care hours, weekend",
    "Care hours, holiday"};

int64_t hours_invoice_lines(struct invoice *inv, const struct placement *pl,
                            const char *month, const struct hours_entry *rows,
                            size_t n)
{
    int64_t per_kind[RATE_KINDS] = {0}, total = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)rows[i].kind < RATE_KINDS) {
            per_kind[rows[i].kind] += rows[i].minutes;
            total += rows[i].minutes;
        }
    const char *loc = inv->locale ? inv->locale : "nl";
    const char *const *months = !strcmp(loc, "fr")   ? month_fr
                                : !strcmp(loc, "en") ? month_en
                                                     : month_nl;
    const char *const *what = !strcmp(loc, "fr")   ? what_fr
                              : !strcmp(loc, "en") ? what_en
                                                   : what_nl;
    int y = atoi(month), m = atoi(month + 5);
    const struct vat_rate *v = pl->vat;
    for (int k = 0; k < RATE_KINDS; k++) {
        if (!per_kind[k])
            continue;
        char *desc = xasprintf("%s %s %d (%s)", what[k],
                               months[(m - 1) % 12], y,
                               pl->d.name ? pl->d.name : pl->d.id);
        struct invoice_line *l = invoice_add_line(
            inv, desc, hours_qty100(per_kind[k]),
            hours_rate(pl, (enum rate_kind)k), v ? v->d.id : "none",
            v ? v->bp : 0, v ? v->exempt : 0, v ? v->exempt_text : NULL);
        free(desc);
        l->source = xstrdup("hours");
        l->ref = xstrdup(pl->d.id);
        l->period_start = month_first(month);
        l->period_end = month_last(month);
        l->why = xasprintf("%lld minutes of %s hours on placement %s in %s, "
                           "approved by the client",
                           (long long)per_kind[k],
                           rate_kind_name((enum rate_kind)k), pl->d.id, month);
    }
    return total;
}

/* -------------------------------------------------------- supplier series */

const char *supplier_series(const struct practice *p,
                            const struct invoice *inv, int year, char *key,
                            size_t keylen)
{
    if ((inv->kind != INV_SELFBILL && inv->kind != INV_ON_BEHALF &&
         inv->kind != INV_CREDIT) ||
        !inv->supplier.id)
        return NULL;
    const char *pattern = p->supplier_number_format
                              ? p->supplier_number_format
                              : "{supplier}-{year}-{seq:4}";
    if (strstr(pattern, "{year}"))
        snprintf(key, keylen, "supplier:%s:%d", inv->supplier.id, year);
    else
        snprintf(key, keylen, "supplier:%s", inv->supplier.id);
    return pattern;
}

uint64_t supplier_reference_digits(const char *supplier, const char *number)
{
    uint64_t h = 1469598103934665603ULL, digits = 0;
    for (const char *s = supplier; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    for (const char *s = number; s && *s; s++)
        if (*s >= '0' && *s <= '9')
            digits = (digits * 10 + (uint64_t)(*s - '0')) % 100000000ULL;
    return (h % 10000000ULL) * 100000000ULL + digits;
}
