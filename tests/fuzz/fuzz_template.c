/*
 * fuzz_template.c — libFuzzer target for the e-mail template checker and
 * renderer. The input is the template text (made NUL-terminated); it is
 * checked (every problem reported through the callback, whose line and
 * column must lie inside the text) and rendered with a value for every
 * known placeholder, some of them empty or NULL. template_each_name
 * must name only known placeholders, at places inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    size_t size;
    int problems;
};

static void known(void *arg, int line, int col, const char *name)
{
    struct seen *s = arg;
    int ok = 0;
    for (size_t i = 0; template_names[i]; i++)
        ok |= template_names[i] == name;
    if (!ok || line < 1 || col < 1 || (size_t)line > s->size + 1 ||
        (size_t)col > s->size + 1)
        abort();
}

static void bad(void *arg, int line, int col, const char *msg)
{
    struct seen *s = arg;
    /* A position outside the text, or an empty message, is a bug. */
    if (line < 1 || col < 1 || (size_t)line > s->size + 1 ||
        (size_t)col > s->size + 1 || !msg || !*msg)
        abort();
    s->problems++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct seen s = {size, 0};
    int n = template_check(text, bad, &s);
    if (n != s.problems || template_check(text, NULL, NULL) != n)
        abort();
    template_each_name(text, known, &s);

    static struct tvar vars[64];
    size_t nv = 0;
    for (size_t i = 0; template_names[i] && nv < 64; i++, nv++) {
        vars[nv].name = template_names[i];
        vars[nv].value = i % 7 == 3 ? NULL
                         : i % 5 == 1 ? ""
                                      : "Zoë {{ x }} <a@b.nl>\r\n€ 1.234,50";
    }
    char *out = template_render(text, vars, nv);
    if (!out)
        abort();
    free(out);
    out = template_render(text, NULL, 0);
    free(out);
    free(text);
    return 0;
}
