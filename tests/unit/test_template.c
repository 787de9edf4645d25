/*
 * test_template.c — template_check() and template_render(): rendering,
 * blanks inside braces, unknown and misspelt names with their line and
 * column, unterminated and empty fields, and a megabyte of text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "formats/template.h"
#include "base/util.h"

/* Collects every problem as "line:col: msg\n". */
static void collect(void *arg, int line, int col, const char *msg)
{
    sb_printf(arg, "%d:%d: %s\n", line, col, msg);
}

static char *check(const char *text, int *n)
{
    struct sbuf b = {0};
    *n = template_check(text, collect, &b);
    return sb_steal(&b);
}

static const struct tvar vars[] = {
    {"account.name", "Zoë Müller"},
    {"invoice.number", "2026-00042"},
    {"invoice.total", "€ 45,00"},
    {"invoice.due_date", "2026-12-07"},
};
#define NVARS (sizeof vars / sizeof vars[0])

/* 1.1 plain substitution, text around fields kept byte for byte */
static void t1_1_render(void **state)
{
    char *s = template_render("Beste {{account.name}},\nfactuur "
                              "{{invoice.number}} van {{invoice.total}}.",
                              vars, NVARS);
    assert_string_equal(s, "Beste Zoë Müller,\nfactuur 2026-00042 van "
                           "€ 45,00.");
    free(s);
}

/* 1.2 spaces and tabs inside the braces */
static void t1_2_blanks(void **state)
{
    char *s = template_render("[{{ invoice.number }}][{{\tinvoice.number\t}}]"
                              "[{{invoice.number   }}]",
                              vars, NVARS);
    assert_string_equal(s, "[2026-00042][2026-00042][2026-00042]");
    free(s);
}

/* 1.3 a known name without a value renders empty; NULL value too */
static void t1_3_missing(void **state)
{
    struct tvar v[] = {{"practice.name", NULL}};
    char *s = template_render("<{{practice.iban}}><{{practice.name}}>", v, 1);
    assert_string_equal(s, "<><>");
    free(s);
    s = template_render("no fields", NULL, 0);
    assert_string_equal(s, "no fields");
    free(s);
    s = template_render("", NULL, 0);
    assert_string_equal(s, "");
    free(s);
}

/* 1.4 single braces, unterminated fields and a value holding "{{" are
 * copied, not re-expanded */
static void t1_4_literal(void **state)
{
    struct tvar v[] = {{"account.name", "{{invoice.number}}"}};
    char *s = template_render("{a} {{account.name}} {{ open\nx }} y", v, 1);
    assert_string_equal(s, "{a} {{invoice.number}} {{ open\nx }} y");
    free(s);
}

/* 1.5 a name that is a prefix of a variable does not match it */
static void t1_5_prefix(void **state)
{
    struct tvar v[] = {{"invoice.number", "1"}, {"invoice", "2"}};
    char *s = template_render("{{invoice}}", v, 2);
    assert_string_equal(s, "2");
    free(s);
}

/* 2.1 a clean template has no problems */
static void t2_1_clean(void **state)
{
    for (const char *const *k = template_names; *k; k++) {
        char buf[128];
        snprintf(buf, sizeof buf, "x {{ %s }} y", *k);
        assert_int_equal(template_check(buf, NULL, NULL), 0);
    }
}

/* 2.2 misspelt name: suggestion, line and column of the name, columns
 * counted in characters ("ë" is one) */
static void t2_2_misspelt(void **state)
{
    int n;
    char *m = check("Beste Zoë,\n  dag {{ invoice.nubmer }} en {{acount.name}}"
                    ".\n{{practice.iabn}}",
                    &n);
    assert_int_equal(n, 3);
    assert_string_equal(m,
        "2:10: unknown placeholder 'invoice.nubmer' (did you mean "
        "'invoice.number'?)\n"
        "2:33: unknown placeholder 'acount.name' (did you mean "
        "'account.name'?)\n"
        "3:3: unknown placeholder 'practice.iabn' (did you mean "
        "'practice.iban'?)\n");
    free(m);
}

/* 2.3 unknown name with nothing close: no suggestion */
static void t2_3_unknown(void **state)
{
    int n;
    char *m = check("é{{ bankrekeningnummer }}", &n);
    assert_int_equal(n, 1);
    assert_string_equal(m, "1:5: unknown placeholder 'bankrekeningnummer'\n");
    free(m);
}

/* 2.4 unterminated "{{" (end of text, end of line), one report per line */
static void t2_4_unterminated(void **state)
{
    int n;
    char *m = check("ok {{account.name}}\nab {{ invoice.number\n"
                    "{{ {{ {{\n  {{", &n);
    assert_int_equal(n, 3);
    assert_string_equal(m,
        "2:4: unterminated '{{': expected '}}' before the end of the line\n"
        "3:1: unterminated '{{': expected '}}' before the end of the line\n"
        "4:3: unterminated '{{': expected '}}' before the end of the line\n");
    free(m);
}

/* 2.5 empty names */
static void t2_5_empty(void **state)
{
    int n;
    char *m = check("a{{}}b{{   }}", &n);
    assert_int_equal(n, 2);
    assert_string_equal(m,
        "1:2: empty placeholder: expected a name inside '{{ }}'\n"
        "1:7: empty placeholder: expected a name inside '{{ }}'\n");
    free(m);
}

/* 2.6 CRLF text: a line ends at "\r\n", the next line restarts at col 1 */
static void t2_6_crlf(void **state)
{
    int n;
    char *m = check("a {{x\r\n{{ invoice.totl }}", &n);
    assert_int_equal(n, 2);
    assert_string_equal(m,
        "1:3: unterminated '{{': expected '}}' before the end of the line\n"
        "2:4: unknown placeholder 'invoice.totl' (did you mean "
        "'invoice.total'?)\n");
    free(m);
}

/* 2.7 a very long name is reported truncated, without a suggestion */
static void t2_7_long_name(void **state)
{
    char text[300] = "{{";
    memset(text + 2, 'a', 200);
    strcpy(text + 202, "}}");
    int n;
    char *m = check(text, &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(m, "...'"));
    assert_null(strstr(m, "did you mean"));
    free(m);
}

/* 3.1 one megabyte of fields renders, and a megabyte-long line of "{{"
 * is checked and rendered in linear time */
static void t3_1_megabyte(void **state)
{
    const char *unit = "{{ invoice.number }} ";
    size_t ul = strlen(unit), reps = (1u << 20) / ul;
    char *big = xmalloc(reps * ul + 1);
    for (size_t i = 0; i < reps; i++)
        memcpy(big + i * ul, unit, ul);
    big[reps * ul] = '\0';
    assert_int_equal(template_check(big, NULL, NULL), 0);
    char *s = template_render(big, vars, NVARS);
    assert_int_equal(strlen(s), reps * strlen("2026-00042 "));
    free(s);

    memset(big, '{', reps * ul);
    assert_int_equal(template_check(big, NULL, NULL), 1);
    s = template_render(big, vars, NVARS);
    assert_string_equal(s, big);
    free(s);

    for (size_t i = 0; i + 1 < reps * ul; i += 2)
        big[i] = '\n';
    int n = template_check(big, NULL, NULL);
    assert_int_equal(n, 0); /* single '{' per line */
    free(big);
}

/* 3.2 rendering speed: one invoice e-mail body a million times would be
 * too slow for a unit test; 100,000 renders must finish quickly enough
 * not to matter next to SQLite (printed, not asserted) */
static void t3_2_speed(void **state)
{
    const char *body =
        "Beste {{ account.name }},\n\nHierbij factuur {{ invoice.number }} "
        "van {{ invoice.date }} voor {{ subscription.name }} over "
        "{{ invoice.period }}. Het bedrag van {{ invoice.total }} wordt op "
        "{{ invoice.collection_date }} afgeschreven.\n\n"
        "Met vriendelijke groet,\n{{ practice.name }}\n";
    struct tvar v[] = {
        {"account.name", "J. de Vries"}, {"invoice.number", "2026-00042"},
        {"invoice.date", "1 maart 2026"}, {"subscription.name", "Fysio"},
        {"invoice.period", "maart 2026"}, {"invoice.total", "€ 45,00"},
        {"invoice.collection_date", "8 maart 2026"},
        {"practice.name", "Praktijk Noord"},
    };
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    size_t total = 0;
    for (int i = 0; i < 100000; i++) {
        char *s = template_render(body, v, sizeof v / sizeof v[0]);
        total += strlen(s);
        free(s);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double dt = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    fprintf(stderr, "template: 100000 renders in %.3f s = %.0f renders/s\n",
            dt, 100000 / dt);
    assert_true(total > 0);
}

/* Collects every known name as "line:col name\n". */
static void names(void *arg, int line, int col, const char *name)
{
    sb_printf(arg, "%d:%d %s\n", line, col, name);
}

/* 2.8 template_each_name: every known placeholder with its place, in
 * text order (UTF-8 counted as characters); unknown, empty and
 * unterminated fields are not named. */
static void t2_8_each_name(void **state)
{
    (void)state;
    struct sbuf b = {0};
    int n = template_each_name("Zoë {{ account.name }}, {{nope}} {{ }}\n"
                               "  {{invoice.number}} {{ practice.phone\n",
                               names, &b);
    assert_int_equal(n, 2);
    assert_string_equal(sb_str(&b), "1:8 account.name\n2:5 invoice.number\n");
    sb_free(&b);
    assert_int_equal(template_each_name("no fields", names, &b), 0);
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_render),     cmocka_unit_test(t1_2_blanks),
        cmocka_unit_test(t1_3_missing),    cmocka_unit_test(t1_4_literal),
        cmocka_unit_test(t1_5_prefix),     cmocka_unit_test(t2_1_clean),
        cmocka_unit_test(t2_2_misspelt),   cmocka_unit_test(t2_3_unknown),
        cmocka_unit_test(t2_4_unterminated), cmocka_unit_test(t2_5_empty),
        cmocka_unit_test(t2_6_crlf),       cmocka_unit_test(t2_7_long_name),
        cmocka_unit_test(t2_8_each_name),
        cmocka_unit_test(t3_1_megabyte),   cmocka_unit_test(t3_2_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
