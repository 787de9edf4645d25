/*
 * retry.c — the outcome of a delivery attempt and the backoff schedule of
 * the outbox. Pure: no clock, no time zone (timegm/gmtime_r only
 * normalize a civil time).
 */
#include "decide/retry.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

enum delivery_outcome retry_outcome(enum smtp_outcome o, int attempts)
{
    if (o == SMTP_SENT)
        return DELIVERY_SENT;
    if (o == SMTP_RETRY && attempts < RETRY_MAX_ATTEMPTS)
        return DELIVERY_RETRY;
    return DELIVERY_FAILED;
}

int retry_backoff_minutes(int attempts)
{
    static const int steps[] = {5, 15, 60, 240, 720, 1440};
    int i = attempts - 1;
    if (i < 0)
        i = 0;
    if (i >= (int)(sizeof steps / sizeof *steps))
        i = (int)(sizeof steps / sizeof *steps) - 1;
    return steps[i];
}

char *retry_add_minutes(const char *now, int minutes, char out[17])
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(now, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min) != 5) {
        snprintf(out, 17, "%s", now);
        return out;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_min += minutes;
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
    return out;
}

char *retry_next_try(const char *now, int attempts, char out[17])
{
    return retry_add_minutes(now, retry_backoff_minutes(attempts), out);
}
