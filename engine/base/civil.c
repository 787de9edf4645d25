/*
 * civil.c — wall-clock time in an IANA zone from its TZif file. The file
 * is read whole (a few kilobytes) and its newest data block is used: the
 * 64-bit block of a version 2+ file, the 32-bit one of a version 1 file.
 * The offset in force is looked up among the transitions; past the last
 * transition the footer's POSIX TZ rule decides, evaluated here for the
 * year in question. Leap-second tables ("right/" zones) are not applied:
 * carebill needs dates and minutes, and those zones are not used for
 * practices.
 */
#include "base/civil.h"

#include <stdlib.h>
#include <string.h>

/* Moments carebill can place on the calendar: about ±30,000 years. */
#define CIVIL_LIMIT ((int64_t)1 << 40)

/* ================================================================ helpers */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be_time(const unsigned char *p, int size)
{
    if (size == 4)
        return (int32_t)be32(p);
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Fill out from a moment and the offset in force. */
static void wall_clock(time_t now, int32_t off, int dst, struct civil_time *out)
{
    int64_t local = (int64_t)now + off;
    int64_t days = floor_div(local, 86400), secs = local - days * 86400;
    out->date = (cdate)days;
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->utc_offset = off;
    out->is_dst = dst;
}

/* ============================================================ POSIX rules */

/* A date rule of a POSIX TZ string: Mm.w.d, Jn (1..365, no Feb 29) or n
 * (0..365, counting Feb 29), and the time of day (seconds) it applies. */
struct rule_date {
    char kind; /* 'M', 'J', 'n' */
    int m, w, d, n;
    int32_t time;
};

struct posix_tz {
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    struct rule_date start, end;
};

/* A zone abbreviation: "<...>" or three or more letters. */
static const char *parse_name(const char *p)
{
    if (*p == '<') {
        const char *q = ++p;
        while (*q && *q != '>')
            q++;
        return *q == '>' && q > p ? q + 1 : NULL;
    }
    const char *q = p;
    while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
        q++;
    return q - p >= 3 ? q : NULL;
}

static const char *parse_number(const char *p, int lo, int hi, int *out)
{
    if (*p < '0' || *p > '9')
        return NULL;
    int v = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        if (v > hi)
            return NULL;
    }
    if (v < lo)
        return NULL;
    *out = v;
    return p;
}

/* [+-]hh[:mm[:ss]] with hours up to max_h, as signed seconds. */
static const char *parse_hms(const char *p, int max_h, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!(p = parse_number(p, 0, max_h, &h)))
        return NULL;
    if (*p == ':' && !(p = parse_number(p + 1, 0, 59, &m)))
        return NULL;
    if (*p == ':' && !(p = parse_number(p + 1, 0, 59, &s)))
        return NULL;
    *out = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *parse_rule_date(const char *p, struct rule_date *r)
{
    if (*p == 'M') {
        r->kind = 'M';
        if (!(p = parse_number(p + 1, 1, 12, &r->m)) || *p != '.' ||
            !(p = parse_number(p + 1, 1, 5, &r->w)) || *p != '.' ||
            !(p = parse_number(p + 1, 0, 6, &r->d)))
            return NULL;
    } else if (*p == 'J') {
        r->kind = 'J';
        if (!(p = parse_number(p + 1, 1, 365, &r->n)))
            return NULL;
    } else {
        r->kind = 'n';
        if (!(p = parse_number(p, 0, 365, &r->n)))
            return NULL;
    }
    r->time = 2 * 3600;
    if (*p == '/' && !(p = parse_hms(p + 1, 167, &r->time)))
        return NULL;
    return p;
}

static int parse_posix(const char *s, struct posix_tz *tz)
{
    const char *p = parse_name(s);
    int32_t off;
    memset(tz, 0, sizeof *tz);
    if (!p || !(p = parse_hms(p, 24, &off)))
        return -1;
    tz->std_off = tz->dst_off = -off;
    if (!*p)
        return 0;
    if (!(p = parse_name(p)))
        return -1;
    tz->has_dst = 1;
    tz->dst_off = tz->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = parse_hms(p, 24, &off)))
            return -1;
        tz->dst_off = -off;
    }
    /* A DST name without a rule leaves the dates to the implementation;
     * tzdata never writes one, and carebill does not guess. */
    if (*p != ',' || !(p = parse_rule_date(p + 1, &tz->start)) || *p != ',' ||
        !(p = parse_rule_date(p + 1, &tz->end)) || *p)
        return -1;
    return 0;
}

/* The day a rule date falls on in year y. */
static cdate rule_day(const struct rule_date *r, int y)
{
    int leap = date_days_in_month(y, 2) == 29;
    if (r->kind == 'J')
        return date_from_ymd(y, 1, 1) + r->n - 1 + (leap && r->n >= 60);
    if (r->kind == 'n')
        return date_from_ymd(y, 1, 1) + r->n;
    /* Day d (0 = Sunday) of week w (5 = the last) of month m. */
    cdate first = date_from_ymd(y, r->m, 1);
    int wd = date_weekday(first) % 7; /* 0 = Sunday */
    int day = 1 + (r->d - wd + 7) % 7 + (r->w - 1) * 7;
    int dim = date_days_in_month(y, r->m);
    while (day > dim)
        day -= 7;
    return first + day - 1;
}

/* The UTC moment of a rule date in year y, read on a clock at off. */
static int64_t rule_moment(const struct rule_date *r, int y, int32_t off)
{
    return (int64_t)rule_day(r, y) * 86400 + r->time - off;
}

static void posix_at(const struct posix_tz *tz, int64_t now, int32_t *off,
                     int *dst)
{
    *off = tz->std_off;
    *dst = 0;
    if (!tz->has_dst)
        return;
    int y, m, d;
    date_to_ymd((cdate)floor_div(now + tz->std_off, 86400), &y, &m, &d);
    int64_t start = rule_moment(&tz->start, y, tz->std_off);
    int64_t end = rule_moment(&tz->end, y, tz->dst_off);
    /* Northern zones have DST inside the year; southern ones (and
     * Dublin's winter "DST") around its turn. */
    int in = start < end ? now >= start && now < end
                         : !(now >= end && now < start);
    if (in) {
        *off = tz->dst_off;
        *dst = 1;
    }
}

int civil_posix_offset(const char *rule, time_t now, int32_t *utc_offset,
                       int *is_dst)
{
    struct posix_tz tz;
    if (!rule || (int64_t)now >= CIVIL_LIMIT || (int64_t)now <= -CIVIL_LIMIT ||
        parse_posix(rule, &tz) != 0)
        return -1;
    posix_at(&tz, (int64_t)now, utc_offset, is_dst);
    return 0;
}

/* ================================================================ TZif */

/* The parts of a TZif data block the lookup needs. */
struct tzif {
    const unsigned char *times, *idx, *types;
    uint32_t timecnt, typecnt;
    int tsize;
    char footer[128]; /* "" when the file has none (version 1) */
};

/* Parse the header at p (n bytes left) and size its data block; 0 or -1. */
static int tzif_block(const unsigned char *p, size_t n, int tsize,
                      struct tzif *z, size_t *block_len)
{
    if (n < 44 || memcmp(p, "TZif", 4) != 0)
        return -1;
    uint32_t isutcnt = be32(p + 20), isstdcnt = be32(p + 24);
    uint32_t leapcnt = be32(p + 28), timecnt = be32(p + 32);
    uint32_t typecnt = be32(p + 36), charcnt = be32(p + 40);
    if (typecnt == 0 || typecnt > 256 || timecnt > 100000 ||
        leapcnt > 100000 || charcnt > 100000 ||
        (isutcnt != 0 && isutcnt != typecnt) ||
        (isstdcnt != 0 && isstdcnt != typecnt))
        return -1;
    size_t len = (size_t)timecnt * (size_t)tsize + timecnt + typecnt * 6 +
                 charcnt + (size_t)leapcnt * (size_t)(tsize + 4) + isstdcnt +
                 isutcnt;
    if (len > n - 44)
        return -1;
    z->times = p + 44;
    z->idx = z->times + (size_t)timecnt * (size_t)tsize;
    z->types = z->idx + timecnt;
    z->timecnt = timecnt;
    z->typecnt = typecnt;
    z->tsize = tsize;
    for (uint32_t i = 0; i < timecnt; i++) {
        if (z->idx[i] >= typecnt)
            return -1;
        if (i && be_time(z->times + (size_t)i * tsize, tsize) <=
                     be_time(z->times + (size_t)(i - 1) * tsize, tsize))
            return -1;
    }
    *block_len = 44 + len;
    return 0;
}

static int tzif_parse(const unsigned char *p, size_t n, struct tzif *z)
{
    size_t len;
    memset(z, 0, sizeof *z);
    if (tzif_block(p, n, 4, z, &len) != 0)
        return -1;
    if (p[4] == '\0')
        return 0; /* version 1: the 32-bit block is all there is */
    p += len, n -= len;
    if (tzif_block(p, n, 8, z, &len) != 0)
        return -1;
    p += len, n -= len;
    /* Footer: "\n" POSIX-TZ "\n". */
    if (n >= 2 && p[0] == '\n') {
        const unsigned char *nl = memchr(p + 1, '\n', n - 1);
        size_t fl = nl ? (size_t)(nl - p - 1) : 0;
        if (nl && fl < sizeof z->footer) {
            memcpy(z->footer, p + 1, fl);
            z->footer[fl] = '\0';
        }
    }
    return 0;
}

/* Offset and DST flag of local time type i. */
static void tzif_type(const struct tzif *z, uint32_t i, int32_t *off, int *dst)
{
    const unsigned char *t = z->types + 6 * (size_t)i;
    *off = (int32_t)be32(t);
    *dst = t[4] != 0;
}

static void tzif_at(const struct tzif *z, int64_t now, int32_t *off, int *dst)
{
    struct posix_tz tz;
    int have_rule = z->footer[0] && parse_posix(z->footer, &tz) == 0;
    int64_t first = z->timecnt ? be_time(z->times, z->tsize) : 0;
    if (z->timecnt == 0 || now < first) {
        if (z->timecnt == 0 && have_rule) {
            posix_at(&tz, now, off, dst);
            return;
        }
        /* Before the first transition: the first standard-time type. */
        uint32_t i = 0;
        while (i < z->typecnt && z->types[6 * (size_t)i + 4])
            i++;
        tzif_type(z, i < z->typecnt ? i : 0, off, dst);
        return;
    }
    uint32_t lo = 0, hi = z->timecnt; /* last transition <= now is in [lo, hi) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (be_time(z->times + (size_t)mid * z->tsize, z->tsize) <= now)
            lo = mid;
        else
            hi = mid;
    }
    int64_t last = be_time(z->times + (size_t)(z->timecnt - 1) * z->tsize,
                           z->tsize);
    /* Past the last transition the footer's rule governs; a file without
     * one (version 1, or a rule this reader does not take) keeps the
     * last offset it lists. */
    if (now > last && have_rule) {
        posix_at(&tz, now, off, dst);
        return;
    }
    tzif_type(z, z->idx[lo], off, dst);
}

/* ================================================================ zones */

static int zone_name_ok(const char *tz)
{
    if (tz[0] == '/' || strstr(tz, "..") || strlen(tz) > 200)
        return 0;
    for (const char *p = tz; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || strchr("/_+-.", *p)))
            return 0;
    return 1;
}

int civil_time_in(const char *tz, time_t now, struct civil_time *out,
                  struct err *e)
{
    int32_t off = 0;
    int dst = 0;
    if ((int64_t)now >= CIVIL_LIMIT || (int64_t)now <= -CIVIL_LIMIT)
        return err_set(e, "time %lld is beyond the calendar", (long long)now);
    if (tz && *tz) {
        if (!zone_name_ok(tz))
            return err_set(e, "time zone '%s' is not a zone name (expected "
                              "an IANA name such as Europe/Amsterdam)", tz);
        char *path = xasprintf("%s/%s", CIVIL_ZONEINFO, tz);
        size_t n;
        struct err inner;
        char *data = file_read(path, &n, &inner);
        if (!data) {
            free(path);
            return err_set(e, "unknown time zone '%s' (expected an IANA name "
                              "such as Europe/Amsterdam)", tz);
        }
        struct tzif z;
        int bad = tzif_parse((const unsigned char *)data, n, &z) != 0;
        if (!bad)
            tzif_at(&z, (int64_t)now, &off, &dst);
        free(data);
        if (bad) {
            err_set(e, "time zone '%s': %s is not a TZif file", tz, path);
            free(path);
            return -1;
        }
        free(path);
    }
    wall_clock(now, off, dst, out);
    return 0;
}

int civil_date_in(const char *tz, time_t now, cdate *out, struct err *e)
{
    struct civil_time t;
    if (civil_time_in(tz, now, &t, e) != 0)
        return -1;
    *out = t.date;
    return 0;
}

int civil_today(const char *tz, cdate *out, int *bad_env, struct err *e)
{
    const char *fixed = getenv("CAREBILL_TODAY");
    if (bad_env)
        *bad_env = 0;
    if (fixed && *fixed) {
        if (date_parse(fixed, out, e) != 0) {
            if (bad_env)
                *bad_env = 1;
            return err_prefix(e, "CAREBILL_TODAY");
        }
        return 0;
    }
    return civil_date_in(tz, time(NULL), out, e);
}
