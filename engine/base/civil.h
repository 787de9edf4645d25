/*
 * civil.h — the practice's civil date and time, read from the IANA time
 * zone files (TZif, RFC 8536, in /usr/share/zoneinfo) without touching
 * the process's own time zone: no TZ, no tzset, no localtime. Billing
 * days are civil dates in the practice's zone (a period starts on the
 * 1st there, whatever the hour in UTC), so this is where "today" comes
 * from. Nothing here keeps state; each call reads the zone's file.
 */
#ifndef CAREBILL_CIVIL_H
#define CAREBILL_CIVIL_H

#include <stdint.h>
#include <time.h>

#include "base/util.h"

/* Where the zone files live. */
#define CIVIL_ZONEINFO "/usr/share/zoneinfo"

/* A moment as a wall clock in one zone shows it. */
struct civil_time {
    cdate date;
    int hour, minute, second;
    int32_t utc_offset; /* seconds east of UTC in force */
    int is_dst;
};

/* The wall clock in zone tz (an IANA name such as "Europe/Amsterdam";
 * NULL or "" means UTC) at `now`. The offset in force is the one of the
 * last transition at or before now; before the first transition, the
 * zone's first standard-time offset; after the last one, the zone's
 * POSIX TZ rule (the file's footer). Returns 0, or -1 with e filled:
 * "time zone 'x' is not a zone name" for a name that is absolute or
 * contains "..", "unknown time zone 'x'" when there is no such file,
 * "time zone 'x': ... is not a TZif file" when the file is damaged. */
int civil_time_in(const char *tz, time_t now, struct civil_time *out,
                  struct err *e);

/* The civil date in zone tz at now; as civil_time_in. */
int civil_date_in(const char *tz, time_t now, cdate *out, struct err *e);

/* The run date: CAREBILL_TODAY=YYYY-MM-DD when that variable is set and
 * not empty (so a test or a consultant can fix the clock), otherwise
 * today in zone tz. Returns 0, or -1 with e filled: an invalid
 * CAREBILL_TODAY is refused ("CAREBILL_TODAY: invalid date 'tomorrow'
 * (expected YYYY-MM-DD)") with *bad_env set to 1 when bad_env is not
 * NULL; a zone error as civil_time_in, *bad_env 0. */
int civil_today(const char *tz, cdate *out, int *bad_env, struct err *e);

/* The UTC offset (seconds east) and DST flag that a POSIX TZ rule such
 * as "CET-1CEST,M3.5.0,M10.5.0/3" gives at now. Understands a standard
 * name and offset ("<+14>-14", "UTC0"), optionally a DST name, offset
 * (default one hour ahead) and rule with Mm.w.d, Jn or n dates and
 * optional /time (default 02:00, hours -167..167). Returns 0, or -1 for
 * a rule it cannot read (including a DST name without a rule). */
int civil_posix_offset(const char *rule, time_t now, int32_t *utc_offset,
                       int *is_dst);

#endif
