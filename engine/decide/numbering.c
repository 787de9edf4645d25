/*
 * numbering.c — numbers follow dates, and the text of a number: the
 * decisions of decide/numbering.h, on plain values.
 */
#include "decide/numbering.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int numbering_date_ok(cdate last_issued, cdate date)
{
    return last_issued == CDATE_NONE || date >= last_issued;
}

/* The width N of a "{seq:N}" at p (1..NUMBERING_SEQ_WIDTH_MAX digits of
 * N, then '}'), with its length in *len; 0 when p holds no such field. */
static int seq_width(const char *p, size_t *len)
{
    if (strncmp(p, "{seq:", 5) != 0)
        return 0;
    int w = 0;
    size_t i = 5;
    while (p[i] >= '0' && p[i] <= '9' && i < 8)
        w = w * 10 + (p[i++] - '0');
    if (i == 5 || p[i] != '}' || w < 1 || w > NUMBERING_SEQ_WIDTH_MAX)
        return 0;
    *len = i + 1;
    return w;
}

/* Append v in decimal, zero-padded to at least `width` characters, the
 * sign included, as printf's "%0*lld" does. Written out: every issued invoice takes a
 * number, and the run issues a million of them. */
static void add_padded(struct sbuf *b, int64_t v, int width)
{
    char t[24];
    size_t i = sizeof t;
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    do
        t[--i] = (char)('0' + a % 10);
    while (a /= 10);
    while ((int)(sizeof t - i) + (v < 0) < width && i > 1)
        t[--i] = '0';
    if (v < 0)
        t[--i] = '-';
    sb_addn(b, t + i, sizeof t - i);
}

char *numbering_format(const char *pattern, int year, int64_t seq,
                       const char *supplier)
{
    struct sbuf b = {0};
    sb_add(&b, "");
    for (const char *p = pattern; *p;) {
        size_t len;
        int w;
        if (strncmp(p, "{year}", 6) == 0) {
            add_padded(&b, year, 4);
            p += 6;
        } else if (strncmp(p, "{seq}", 5) == 0) {
            add_padded(&b, seq, 1);
            p += 5;
        } else if ((w = seq_width(p, &len)) > 0) {
            add_padded(&b, seq, w);
            p += len;
        } else if (strncmp(p, "{supplier}", 10) == 0) {
            sb_add(&b, supplier ? supplier : "");
            p += 10;
        } else {
            sb_addc(&b, *p++);
        }
    }
    return sb_steal(&b);
}
