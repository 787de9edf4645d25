/*
 * template.c — checking and rendering {{placeholder}} templates.
 *
 * Both functions share one scanner (next_field) that finds the next "{{",
 * its closing "}}" on the same line and the trimmed name between them. The
 * scanner remembers the end of a line it already found to hold no "}}", so
 * a line full of "{{" costs one pass, not one pass per "{{": rendering a
 * megabyte of hostile text stays linear.
 */
#include "formats/template.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/suggest.h"
#include "base/util.h"

const char *const template_names[] = {
    "account.name",
    "account.id",
    "account.email",
    "invoice.number",
    "invoice.date",
    "invoice.due_date",
    "invoice.total",
    "invoice.subtotal",
    "invoice.vat",
    "invoice.open",
    "invoice.paid",
    "invoice.period",
    "invoice.payment_reference",
    "invoice.collection_date",
    "invoice.original_number",
    "invoice.url",
    "practice.name",
    "practice.email",
    "practice.phone",
    "practice.address",
    "practice.iban",
    "practice.bic",
    "practice.kvk",
    "practice.vat_number",
    "practice.creditor_id",
    "subscription.name",
    "subscription.id",
    "period.start",
    "period.end",
    "mandate.id",
    "mandate.iban",
    "payment.date",
    "payment.amount",
    "reminder.step",
    "reminder.days_overdue",
    "supplier.name",
    "client.name",
    "placement.id",
    "hours.total",
    "hours.month",
    "hours.deadline",
    "hours.reason",
    "portal.url",
    NULL,
};

/* ------------------------------------------------------------ scanner */

enum field_kind { F_NONE, F_NAME, F_UNTERMINATED };

struct scanner {
    const char *p;        /* where scanning resumes */
    const char *open_eol; /* end of a line known to hold no "}}" after p */
};

struct field {
    enum field_kind kind;
    const char *open;        /* the "{{" */
    const char *name;        /* trimmed name (F_NAME) */
    size_t name_len;
    const char *after;       /* first byte after "}}" (F_NAME) */
};

static int is_eol(char c)
{
    return c == '\n' || c == '\r' || c == '\0';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Find the next "{{" at or after s->p. F_NONE at the end of the text;
 * F_UNTERMINATED when no "}}" follows on the same line (s->p then moves to
 * the end of that line); F_NAME otherwise (s->p moves past the "}}"). */
static void next_field(struct scanner *s, struct field *f)
{
    const char *p = s->p;
    for (;;) {
        p = strchr(p, '{');
        if (!p) {
            f->kind = F_NONE;
            s->p = NULL;
            return;
        }
        if (p[1] == '{')
            break;
        p++;
    }
    f->open = p;
    if (s->open_eol && p < s->open_eol) {
        f->kind = F_UNTERMINATED;
        s->p = s->open_eol;
        return;
    }
    const char *q = p + 2;
    while (!is_eol(*q) && !(q[0] == '}' && q[1] == '}'))
        q++;
    if (is_eol(*q)) {
        f->kind = F_UNTERMINATED;
        s->open_eol = q;
        s->p = q;
        return;
    }
    const char *a = p + 2, *b = q;
    while (a < b && is_blank(*a))
        a++;
    while (b > a && is_blank(b[-1]))
        b--;
    f->kind = F_NAME;
    f->name = a;
    f->name_len = (size_t)(b - a);
    f->after = q + 2;
    s->p = q + 2;
}

/* ------------------------------------------------------------ check */

/* Tracks the 1-based line and column of increasing positions in text. */
struct cursor {
    const char *at;
    int line, col;
};

static void cursor_move(struct cursor *c, const char *to)
{
    for (; c->at < to; c->at++) {
        unsigned char ch = (unsigned char)*c->at;
        if (ch == '\n') {
            c->line++;
            c->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c->col++;
        }
    }
}

static int known_name(const char *name, size_t len)
{
    for (const char *const *k = template_names; *k; k++)
        if (strlen(*k) == len && memcmp(*k, name, len) == 0)
            return 1;
    return 0;
}

static void report(template_bad_fn bad, void *arg, struct cursor *c,
                   const char *where, const char *msg)
{
    if (!bad)
        return;
    cursor_move(c, where);
    bad(arg, c->line, c->col, msg);
}

static void report_unknown(template_bad_fn bad, void *arg, struct cursor *c,
                           const struct field *f)
{
    char name[65], msg[256];
    size_t n = f->name_len < 64 ? f->name_len : 64;
    memcpy(name, f->name, n);
    name[n] = '\0';
    /* A name cut at 64 bytes is no name to suggest for. */
    const char *best =
        f->name_len <= 64
            ? suggest_from_list(name, template_names, SUGGEST_DISTANCE)
            : NULL;
    if (best)
        snprintf(msg, sizeof msg,
                 "unknown placeholder '%s' (did you mean '%s'?)", name, best);
    else
        snprintf(msg, sizeof msg, "unknown placeholder '%s%s'", name,
                 f->name_len > 64 ? "..." : "");
    report(bad, arg, c, f->name, msg);
}

int template_check(const char *text, template_bad_fn bad, void *arg)
{
    assert(text != NULL);
    struct scanner s = {text, NULL};
    struct cursor c = {text, 1, 1};
    struct field f;
    int problems = 0;
    while (s.p) {
        next_field(&s, &f);
        switch (f.kind) {
        case F_NONE:
            break;
        case F_UNTERMINATED:
            problems++;
            report(bad, arg, &c, f.open,
                   "unterminated '{{': expected '}}' before the end of the "
                   "line");
            break;
        case F_NAME:
            if (f.name_len == 0) {
                problems++;
                report(bad, arg, &c, f.open,
                       "empty placeholder: expected a name inside '{{ }}'");
            } else if (!known_name(f.name, f.name_len)) {
                problems++;
                report_unknown(bad, arg, &c, &f);
            }
            break;
        }
    }
    return problems;
}

int template_each_name(const char *text, template_name_fn fn, void *arg)
{
    assert(text != NULL && fn != NULL);
    struct scanner s = {text, NULL};
    struct cursor c = {text, 1, 1};
    struct field f;
    int n = 0;
    while (s.p) {
        next_field(&s, &f);
        if (f.kind != F_NAME || f.name_len == 0)
            continue;
        for (const char *const *k = template_names; *k; k++)
            if (strlen(*k) == f.name_len &&
                memcmp(*k, f.name, f.name_len) == 0) {
                cursor_move(&c, f.name);
                fn(arg, c.line, c.col, *k);
                n++;
                break;
            }
    }
    return n;
}

void template_names_used(const char *text, const char *const *names,
                         size_t n, unsigned char *used)
{
    assert(text != NULL);
    struct scanner s = {text, NULL};
    struct field f;
    while (s.p) {
        next_field(&s, &f);
        if (f.kind != F_NAME || f.name_len == 0)
            continue;
        for (size_t i = 0; i < n; i++)
            if (names[i][0] == f.name[0] &&
                strncmp(names[i], f.name, f.name_len) == 0 &&
                names[i][f.name_len] == '\0')
                used[i] = 1;
    }
}

/* ------------------------------------------------------------ render */

static const char *lookup(const struct tvar *vars, size_t n,
                          const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = vars[i].name;
        if (v && v[0] == name[0] && strncmp(v, name, len) == 0 &&
            v[len] == '\0')
            return vars[i].value ? vars[i].value : "";
    }
    return "";
}

char *template_render(const char *text, const struct tvar *vars, size_t n)
{
    assert(text != NULL);
    assert(vars != NULL || n == 0);
    struct sbuf out = {0};
    size_t tlen = strlen(text);
    out.s = xmalloc(tlen + 256);
    out.cap = tlen + 256;
    out.s[0] = '\0';

    struct scanner s = {text, NULL};
    struct field f;
    const char *copied = text; /* text before this is already in out */
    while (s.p) {
        next_field(&s, &f);
        if (f.kind != F_NAME)
            continue;
        sb_addn(&out, copied, (size_t)(f.open - copied));
        if (f.name_len > 0)
            sb_add(&out, lookup(vars, n, f.name, f.name_len));
        copied = f.after;
    }
    sb_addn(&out, copied, tlen - (size_t)(copied - text));
    return out.s;
}
