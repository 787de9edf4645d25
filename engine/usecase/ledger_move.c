/*
 * ledger_move.c — `ledger dump` and `migrate-ledger`: the dump's text
 * format over store/dump.h, and the copy (ledger_copy) checked by
 * comparing the dumps of both ledgers.
 */
#include "usecase/ledger_move.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "store/dump.h"

struct text_out {
    FILE *out;
    const char *table; /* the table whose header line is written */
    size_t tables;
};

static void put_value(FILE *out, const char *v)
{
    if (!v) {
        fputs("\\N", out);
        return;
    }
    for (; *v; v++)
        if (*v == '\\' || *v == '|')
            fprintf(out, "\\%c", *v);
        else if (*v == '\n')
            fputs("\\n", out);
        else
            putc(*v, out);
}

static int text_table(void *arg, const char *table)
{
    struct text_out *t = arg;
    fprintf(t->out, "== %s\n", table);
    t->table = NULL;
    t->tables++;
    return 0;
}

static int text_row(void *arg, const char *table, int n,
                    const char *const *names, const char *const *vals)
{
    struct text_out *t = arg;
    if (t->table != table) {
        for (int i = 0; i < n; i++)
            fprintf(t->out, "%s%s", i ? "|" : "", names[i]);
        putc('\n', t->out);
        t->table = table;
    }
    for (int i = 0; i < n; i++) {
        if (i)
            putc('|', t->out);
        put_value(t->out, vals[i]);
    }
    putc('\n', t->out);
    return 0;
}

static int dump_into(struct ledger *lg, FILE *out, size_t *tables,
                     struct err *e)
{
    struct text_out t = {out, NULL, 0};
    struct dump_sink sink = {text_table, text_row, &t};
    int rc = dump_ledger(lg, &sink, e);
    if (tables)
        *tables = t.tables;
    return rc;
}

int move_dump(const char *where, FILE *out, struct err *e)
{
    struct ledger *lg = ledger_open(where, 0, e);
    if (!lg)
        return -1;
    int rc = dump_into(lg, out, NULL, e);
    ledger_close(lg);
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = err_set(e, "cannot write the dump");
    return rc;
}

/* The dump of lg in memory (malloc'd), or NULL with e. */
static char *dump_text(struct ledger *lg, size_t *tables, struct err *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        err_set(e, "out of memory");
        return NULL;
    }
    int rc = dump_into(lg, f, tables, e);
    fclose(f);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int move_ledger(const char *from, const char *to, struct move_report *rep,
                struct err *e)
{
    memset(rep, 0, sizeof *rep);
    struct ledger *src = ledger_open(from, 0, e);
    if (!src)
        return -1;
    struct ledger *dst = ledger_open(to, 1, e);
    if (!dst) {
        ledger_close(src);
        return -1;
    }
    int rc = ledger_copy(src, dst, &rep->rows, e);
    char *a = NULL, *b = NULL;
    if (rc == 0 && (!(a = dump_text(src, &rep->tables, e)) ||
                    !(b = dump_text(dst, NULL, e))))
        rc = -1;
    if (rc == 0 && strcmp(a, b) != 0)
        rc = err_set(e, "the copy in %s does not hold the same rows as %s "
                        "(a write to %s since the copy?): compare `carebill "
                        "ledger dump` of both",
                     to, from, from);
    free(a);
    free(b);
    ledger_close(dst);
    ledger_close(src);
    return rc;
}
