/*
 * support.h — helpers every carebill unit test may use, included after
 * cmocka.h and base/util.h: P() parses a date that must be valid (the
 * test fails naming it otherwise), fmt() prints one as YYYY-MM-DD into
 * one of four rotating buffers (so up to four fit in one assertion
 * message). Both are static and marked unused, so a test that needs
 * only one of them compiles without warnings.
 */
#ifndef CAREBILL_TEST_SUPPORT_H
#define CAREBILL_TEST_SUPPORT_H

__attribute__((unused)) static cdate P(const char *s)
{
    struct err e = {""};
    cdate d = CDATE_NONE;
    if (date_parse(s, &d, &e) != 0)
        fail_msg("date_parse(\"%s\"): %s", s, e.msg);
    return d;
}

__attribute__((unused)) static const char *fmt(cdate d)
{
    static char buf[4][11];
    static int i;
    i = (i + 1) % 4;
    return date_fmt(d, buf[i]);
}

#endif
