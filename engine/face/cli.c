/*
 * cli.c — option parsing, lazy loading, transactions and the three output
 * formats every command shares; on a terminal, the progress line of the
 * runs that count (bank import, outbox send) and the notice of a run
 * waiting for another's write lock.
 */
#define _GNU_SOURCE /* fopencookie: progress_log's stream */
#include "face/cli.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/civil.h"
#include "usecase/tick.h"

/* ================================================================ loading */

int cli_need_rules(struct cli *c)
{
    if (c->rules)
        return 0;
    if (!c->rules_dir) {
        fprintf(stderr, "carebill: no rule files: give --rules DIR or set "
                        "CAREBILL_RULES\n");
        return EXIT_USAGE;
    }
    struct diag dg = {0};
    c->rules = rules_load(c->rules_dir, c->libdir, &dg);
    for (size_t i = 0; c->rule_warnings && i < dg.n_warns; i++)
        fprintf(stderr, "%s\n", dg.warns[i]);
    if (!c->rules) {
        for (size_t i = 0; i < dg.n; i++)
            fprintf(stderr, "%s\n", dg.msgs[i]);
        fprintf(stderr, "carebill: %zu error%s in the rule files; nothing "
                        "was done\n", dg.n, dg.n == 1 ? "" : "s");
        diag_free(&dg);
        return EXIT_RULES;
    }
    diag_free(&dg);
    /* The run date: today in the practice's zone, or CAREBILL_TODAY. */
    cdate today;
    int bad_env;
    struct err e;
    if (civil_today(c->rules->practice.timezone, &today, &bad_env, &e) != 0) {
        fprintf(stderr, "carebill: %s\n", e.msg);
        return bad_env ? EXIT_USAGE : EXIT_RULES;
    }
    engine_init(&c->eng, c->rules, NULL, today);
    return 0;
}

int cli_need_ledger(struct cli *c)
{
    /* Any command that writes may issue an invoice or schedule a
     * reminder, and hooks decide those: load them with the ledger. */
    int rc = cli_need_reader(c);
    return rc ? rc : cli_need_hooks(c);
}

int cli_need_reader(struct cli *c)
{
    int rc = cli_need_rules(c);
    if (rc)
        return rc;
    if (c->eng.lg)
        return 0;
    if (!c->db_path) {
        fprintf(stderr, "carebill: no ledger: give --db FILE or set "
                        "CAREBILL_DB\n");
        return EXIT_USAGE;
    }
    struct err e;
    if (engine_open_ledger(&c->eng, c->db_path, 0, &e) != 0) {
        fprintf(stderr, "carebill: %s\n", e.msg);
        return EXIT_FAIL;
    }
    /* On a terminal, a run that finds the lock held says it waits. */
    if (isatty(STDERR_FILENO))
        engine_on_lock_wait(&c->eng, cli_lock_notice, NULL);
    return 0;
}

void cli_lock_notice(void *arg, int wait_ms)
{
    (void)arg;
    /* on a line of its own, also when a progress line is showing */
    if (wait_ms == INT_MAX)
        fprintf(stderr, "\r\033[Kcarebill: waiting for another run to "
                        "finish\n");
    else
        fprintf(stderr, "\r\033[Kcarebill: waiting for another run to "
                        "finish (up to %d s)\n", (wait_ms + 999) / 1000);
    fflush(stderr);
}

void cli_quiet_lock(struct cli *c)
{
    if (c->eng.lg)
        engine_on_lock_wait(&c->eng, NULL, NULL);
}

/* ================================================================ progress */

static void progress_count_print(void *arg, const char *what, int64_t done)
{
    struct progress_line *pl = arg;
    fprintf(stderr, "\r\033[Kcarebill %s: %s %lld", pl->cmd, what,
            (long long)done);
    fflush(stderr);
    pl->shown = 1;
}

void progress_count_start(struct cli *c, struct progress_line *pl,
                          const char *cmd, int quiet)
{
    *pl = (struct progress_line){.cmd = cmd};
    if (quiet || !isatty(STDERR_FILENO))
        return;
    pl->on = 1;
    c->eng.progress = progress_count_print;
    c->eng.progress_arg = pl;
}

/* The write function of progress_log's stream (line buffered, so it is
 * called with whole lines): clear the progress line, then write. */
static ssize_t progress_log_write(void *arg, const char *buf, size_t n)
{
    struct progress_line *pl = arg;
    if (pl->shown) {
        fputs("\r\033[K", stderr);
        pl->shown = 0;
    }
    size_t k = fwrite(buf, 1, n, stderr);
    fflush(stderr);
    return k == n ? (ssize_t)n : -1;
}

FILE *progress_log(struct progress_line *pl)
{
    if (!pl->on)
        return stderr;
    if (!pl->log) {
        cookie_io_functions_t io = {.write = progress_log_write};
        pl->log = fopencookie(pl, "w", io);
        if (!pl->log)
            return stderr;
        setvbuf(pl->log, NULL, _IOLBF, 0);
    }
    return pl->log;
}

int cli_need_hooks(struct cli *c)
{
    int rc = c->eng.lg ? 0 : cli_need_reader(c);
    if (rc || c->eng.hooks)
        return rc;
    struct err e;
    if (engine_load_hooks(&c->eng, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return EXIT_RULES;
    }
    return 0;
}

/* ================================================================ options */

int cli_parse(const char *cmd, const char *help, const struct opt *opts,
              int argc, char **argv, const char **pos, int max_pos,
              int min_pos)
{
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s", help);
            return -1;
        }
        if (a[0] == '-' && a[1] == '-') {
            const struct opt *o = NULL;
            for (const struct opt *p = opts; p && p->name; p++)
                if (!strcmp(p->name, a))
                    o = p;
            if (!o) {
                fprintf(stderr, "carebill %s: unknown option '%s' (see "
                                "carebill %s --help)\n", cmd, a, cmd);
                return EXIT_USAGE;
            }
            const char *v = "1";
            if (o->has_arg) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "carebill %s: option %s needs a value\n",
                            cmd, a);
                    return EXIT_USAGE;
                }
                v = argv[++i];
            }
            if (o->list) {
                size_t n = 0;
                while (*o->list && (*o->list)[n])
                    n++;
                *o->list = xrealloc(*o->list, (n + 2) * sizeof **o->list);
                (*o->list)[n] = v;
                (*o->list)[n + 1] = NULL;
            } else if (o->value) {
                *o->value = v;
            }
            continue;
        }
        if (npos >= max_pos) {
            fprintf(stderr, "carebill %s: unexpected argument '%s' (see "
                            "carebill %s --help)\n", cmd, a, cmd);
            return EXIT_USAGE;
        }
        pos[npos++] = a;
    }
    if (npos < min_pos) {
        fprintf(stderr, "carebill %s: missing argument (see carebill %s "
                        "--help)\n", cmd, cmd);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_date(const char *cmd, const char *opt, const char *s, cdate *out)
{
    struct err e;
    if (!s) {
        fprintf(stderr, "carebill %s: %s is required (YYYY-MM-DD)\n", cmd, opt);
        return EXIT_USAGE;
    }
    if (date_parse(s, out, &e) != 0) {
        fprintf(stderr, "carebill %s: %s: %s\n", cmd, opt, e.msg);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_range(const char *cmd, const char *from_s, const char *to_s,
              cdate *from, cdate *to)
{
    int rc;
    *from = *to = CDATE_NONE;
    if ((from_s && (rc = cli_date(cmd, "--from", from_s, from))) ||
        (to_s && (rc = cli_date(cmd, "--to", to_s, to))))
        return rc;
    if (from_s && to_s && *to < *from) {
        fprintf(stderr, "carebill %s: --to must be on or after --from\n", cmd);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_money(const char *cmd, const char *opt, const char *s, int64_t *out)
{
    struct err e;
    if (!s) {
        fprintf(stderr, "carebill %s: %s is required (an amount like 45.00)\n",
                cmd, opt);
        return EXIT_USAGE;
    }
    if (money_parse(s, out, &e) != 0) {
        fprintf(stderr, "carebill %s: %s: %s\n", cmd, opt, e.msg);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_int(const char *cmd, const char *opt, const char *s, int64_t min,
            int64_t max, int64_t *out)
{
    struct err e;
    if (!s) {
        fprintf(stderr, "carebill %s: %s is required\n", cmd, opt);
        return EXIT_USAGE;
    }
    if (int_parse(s, min, max, out, &e) != 0) {
        fprintf(stderr, "carebill %s: %s: %s\n", cmd, opt, e.msg);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_fail(const char *cmd, const struct err *e)
{
    fprintf(stderr, "carebill %s: %s\n", cmd, e->msg);
    return EXIT_FAIL;
}

struct tx_call {
    struct cli *c;
    int (*fn)(struct cli *c, void *arg, struct err *e);
    void *arg;
};

static int tx_trampoline(struct engine *eng, void *arg, struct err *e)
{
    struct tx_call *t = arg;
    (void)eng;
    return t->fn(t->c, t->arg, e);
}

int cli_tx(struct cli *c, int (*fn)(struct cli *c, void *arg, struct err *e),
           void *arg, struct err *e)
{
    struct tx_call t = {c, fn, arg};
    return engine_tx(&c->eng, tx_trampoline, &t, e);
}

/* ================================================================ output */

struct out_table {
    const struct out_col *cols;
    size_t n_cols;
    char ***rows;
    json_t **attach; /* per row: object of attached arrays, or NULL */
    size_t n_rows;
};

int out_format_parse(const char *cmd, const char *s, enum out_format *f)
{
    if (!s || !strcmp(s, "table"))
        *f = OUT_TABLE;
    else if (!strcmp(s, "json"))
        *f = OUT_JSON;
    else if (!strcmp(s, "csv"))
        *f = OUT_CSV;
    else {
        fprintf(stderr, "carebill %s: --format must be table, json or csv, "
                        "not '%s'\n", cmd, s);
        return EXIT_USAGE;
    }
    return 0;
}

struct out_table *out_new(const struct out_col *cols, size_t n)
{
    struct out_table *t = xcalloc(1, sizeof *t);
    t->cols = cols;
    t->n_cols = n;
    return t;
}

void out_row(struct out_table *t, const char *const *values)
{
    t->rows = xrealloc(t->rows, (t->n_rows + 1) * sizeof *t->rows);
    t->attach = xrealloc(t->attach, (t->n_rows + 1) * sizeof *t->attach);
    char **row = xcalloc(t->n_cols, sizeof *row);
    for (size_t i = 0; i < t->n_cols; i++)
        row[i] = values[i] ? xstrdup(values[i]) : NULL;
    t->rows[t->n_rows] = row;
    t->attach[t->n_rows] = NULL;
    t->n_rows++;
}

void *json_hundredths(int64_t v)
{
    if (v % 100 == 0)
        return json_integer(v / 100);
    return json_real((double)v / 100.0);
}

void out_attach(struct out_table *t, const char *key, void *json)
{
    if (!t->n_rows) {
        json_decref(json);
        return;
    }
    json_t **a = &t->attach[t->n_rows - 1];
    if (!*a)
        *a = json_object();
    json_object_set_new(*a, key, json);
}

static const char *cell(const struct out_table *t, size_t r, size_t c,
                        char buf[32])
{
    const char *v = t->rows[r][c];
    if (!v)
        return "";
    if (t->cols[c].type == 'm') {
        int64_t cents;
        if (int_parse(v, INT64_MIN / 2, INT64_MAX / 2, &cents, NULL) == 0)
            return money_fmt(cents, buf);
    }
    return v;
}

static size_t utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* A column's title in tables and CSV: an amount column ('m') shows
 * euros there, so a name ending in "_cents" loses that suffix
 * ("total_cents" is "total"), or has "_eur" instead when another column
 * is named so already ("balance_cents" beside "balance" is
 * "balance_eur"); JSON keeps the name and the integer cents. */
static const char *column_title(const struct out_table *t, size_t c,
                             char buf[64])
{
    const char *n = t->cols[c].name;
    size_t len = strlen(n);
    snprintf(buf, 64, "%s", n);
    if (t->cols[c].type != 'm' || len <= 6 || len >= 60 ||
        strcmp(n + len - 6, "_cents"))
        return buf;
    buf[len - 6] = '\0';
    for (size_t k = 0; k < t->n_cols; k++)
        if (k != c && !strcmp(t->cols[k].name, buf)) {
            memcpy(buf + len - 6, "_eur", 5);
            break;
        }
    return buf;
}

void out_print(struct out_table *t, enum out_format f, FILE *fp)
{
    char buf[32];
    if (f == OUT_JSON) {
        json_t *arr = json_array();
        for (size_t r = 0; r < t->n_rows; r++) {
            json_t *o = json_object();
            for (size_t c = 0; c < t->n_cols; c++) {
                const char *v = t->rows[r][c];
                json_t *j;
                int64_t x;
                if (!v)
                    j = json_null();
                else if (t->cols[c].type == 'b' &&
                         (!strcmp(v, "true") || !strcmp(v, "false") ||
                          !strcmp(v, "yes") || !strcmp(v, "no")))
                    j = json_boolean(!strcmp(v, "true") || !strcmp(v, "yes"));
                else if ((t->cols[c].type == 'i' || t->cols[c].type == 'm') &&
                         int_parse(v, INT64_MIN / 2, INT64_MAX / 2, &x,
                                   NULL) == 0)
                    j = json_integer(x);
                else
                    j = json_string(v);
                json_object_set_new(o, t->cols[c].name, j);
            }
            if (t->attach[r])
                json_object_update(o, t->attach[r]);
            json_array_append_new(arr, o);
        }
        char *s = json_dumps(arr, CLI_JSON_FLAGS);
        fprintf(fp, "%s\n", s);
        free(s);
        json_decref(arr);
        return;
    }
    if (f == OUT_CSV) {
        for (size_t c = 0; c < t->n_cols; c++) {
            char nb[64];
            fprintf(fp, "%s%s", c ? "," : "", column_title(t, c, nb));
        }
        fputc('\n', fp);
        for (size_t r = 0; r < t->n_rows; r++) {
            for (size_t c = 0; c < t->n_cols; c++) {
                if (c)
                    fputc(',', fp);
                print_csv_field(fp, cell(t, r, c, buf));
            }
            fputc('\n', fp);
        }
        return;
    }
    size_t *w = xcalloc(t->n_cols, sizeof *w);
    char (*names)[64] = xcalloc(t->n_cols + 1, sizeof *names);
    for (size_t c = 0; c < t->n_cols; c++) {
        column_title(t, c, names[c]);
        w[c] = utf8_width(names[c]);
        for (size_t r = 0; r < t->n_rows; r++) {
            size_t l = utf8_width(cell(t, r, c, buf));
            if (l > w[c])
                w[c] = l;
        }
    }
    for (size_t r = 0; r <= t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *v = r == 0 ? names[c] : cell(t, r - 1, c, buf);
            int right = r > 0 && (t->cols[c].type == 'm' || t->cols[c].type == 'i');
            size_t pad = w[c] - utf8_width(v);
            int last = c + 1 == t->n_cols;
            if (right)
                fprintf(fp, "%*s%s", (int)pad, "", v);
            else
                fprintf(fp, "%s%*s", v, last ? 0 : (int)pad, "");
            if (!last)
                fputs("  ", fp);
        }
        fputc('\n', fp);
    }
    free(w);
    free(names);
}

void out_free(struct out_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
        if (t->attach[r])
            json_decref(t->attach[r]);
    }
    free(t->rows);
    free(t->attach);
    free(t);
}
