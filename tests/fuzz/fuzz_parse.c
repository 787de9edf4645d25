/*
 * fuzz_parse.c — libFuzzer target for the command line's value parsers:
 * date_parse, money_parse, decimal_parse and int_parse (util.h). The
 * first input byte picks the decimal scale and the integer bounds; the
 * rest (made NUL-terminated) is the text. Beyond "no crash", what a
 * parser accepts must survive a round trip through its formatter:
 * date_fmt, money_fmt and decimal_fmt print something the parser reads
 * back as the same value (and date_fmt gives back the very text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    struct err e;

    cdate d;
    if (date_parse(s, &d, &e) == 0) {
        char buf[11];
        cdate back;
        if (strcmp(date_fmt(d, buf), s) != 0 || date_parse(buf, &back, &e) != 0 ||
            back != d)
            abort();
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        if (!date_valid_ymd(y, m, dd) || date_from_ymd(y, m, dd) != d)
            abort();
    }

    int64_t c;
    if (money_parse(s, &c, &e) == 0) {
        char buf[32], loc[48];
        int64_t back;
        if (money_parse(money_fmt(c, buf), &back, &e) != 0 || back != c)
            abort();
        money_fmt_locale(c, "nl", loc);
        money_fmt_locale(c, "fr", loc);
        money_fmt_locale(c, "en", loc);
    }

    int scale = (int)(sel % 5);
    int64_t v;
    if (decimal_parse(s, scale, &v, &e) == 0) {
        char buf[32];
        int64_t back;
        if (v < 0 || decimal_parse(decimal_fmt(v, scale, buf), scale, &back,
                                   &e) != 0 || back != v)
            abort();
    }

    static const int64_t bounds[][2] = {
        {0, 100}, {1, 100000}, {-1000, 1000}, {INT64_MIN, INT64_MAX},
        {0, INT64_MAX}, {INT64_MIN, 0}, {5, 5}, {1, 31},
    };
    const int64_t *b = bounds[(sel >> 3) % 8];
    int64_t n;
    if (int_parse(s, b[0], b[1], &n, &e) == 0 && (n < b[0] || n > b[1]))
        abort();
    free(s);
    return 0;
}
