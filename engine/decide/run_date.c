/*
 * run_date.c — the rule for runs dated after today (issue 11, item 1).
 */
#include "decide/run_date.h"

int run_date_check(cdate today, cdate as_of, int future, int lead_days,
                   struct err *e)
{
    char a[11], b[11], c[11];
    if (as_of <= today)
        return 0;
    if (!future)
        return err_set(e, "--as-of %s is after today (%s); a run dated ahead "
                          "would block every run until then. To run ahead "
                          "on purpose, add --future (at most %d day%s, the "
                          "direct-debit lead days)",
                       date_fmt(as_of, a), date_fmt(today, b), lead_days,
                       lead_days == 1 ? "" : "s");
    if (as_of - today > lead_days)
        return err_set(e, "--as-of %s is %lld days after today (%s); --future "
                          "allows at most %d day%s ahead (dd_days_before), up "
                          "to %s", date_fmt(as_of, a),
                       (long long)(as_of - today), date_fmt(today, b),
                       lead_days, lead_days == 1 ? "" : "s",
                       date_fmt(today + lead_days, c));
    return 0;
}
