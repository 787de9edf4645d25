/*
 * period.c — calendar and anniversary billing periods. Anniversary periods
 * are always computed from the anchor (never from the previous period), so
 * a clamped month end never drifts: the n-th period starts on
 * date_add_months(anchor, n * months).
 */
#include "decide/period.h"

#include <stdio.h>
#include <string.h>

int period_months(enum period_unit u)
{
    return u == PERIOD_YEAR ? 12 : u == PERIOD_QUARTER ? 3 : 1;
}

int period_days(struct period p)
{
    return (int)(p.end - p.start) + 1;
}

char *period_fmt(struct period p, char buf[24])
{
    /* "START..END", each date_fmt's (empty when none): written out, as
     * every billed period's line description holds one. */
    char a[11], b[11];
    size_t na = strlen(date_fmt(p.start, a)), nb = strlen(date_fmt(p.end, b));
    memcpy(buf, a, na);
    memcpy(buf + na, "..", 2);
    memcpy(buf + na + 2, b, nb + 1);
    return buf;
}

/* d's month counted from year 0 (y * 12 + month - 1), so that the
 * difference of two is the number of months between them. */
static int month_index(cdate d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return y * 12 + (m - 1);
}

struct period period_containing(enum period_unit u, enum alignment a,
                                cdate anchor, cdate d)
{
    int k = period_months(u);
    struct period p;
    if (a == ALIGN_CALENDAR) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        int first = ((m - 1) / k) * k + 1; /* 1, 4, 7, 10 / 1 */
        p.start = date_from_ymd(y, first, 1);
        p.end = date_add_months(p.start, k) - 1;
        return p;
    }
    /* Anniversary: find n with start_n <= d < start_{n+1}. */
    int n = (month_index(d) - month_index(anchor)) / k;
    if (n < 0)
        n = 0;
    while (n > 0 && date_add_months(anchor, n * k) > d)
        n--;
    while (date_add_months(anchor, (n + 1) * k) <= d)
        n++;
    p.start = date_add_months(anchor, n * k);
    p.end = date_add_months(anchor, (n + 1) * k) - 1;
    return p;
}

struct period period_after(enum period_unit u, enum alignment a, cdate anchor,
                           struct period p)
{
    return period_containing(u, a, anchor, p.end + 1);
}
