/*
 * rule_sets.c — SQL of the rule_sets table and the packed form of a rule
 * set's files.
 */
#include "store/rule_sets.h"

#include <stdlib.h>
#include <string.h>

char *rule_sets_pack(const struct rules *r, struct err *e)
{
    struct sbuf b = {0};
    for (size_t i = 0; i < r->n_hashed; i++) {
        const struct rules_file *f = &r->hashed[i];
        if (strchr(f->name, '\n')) {
            sb_free(&b);
            err_set(e, "rule file name '%s' holds a line break; the ledger "
                       "cannot keep its rule set", f->name);
            return NULL;
        }
        sb_printf(&b, "%s\n%zu\n", f->name, f->len);
        sb_addn(&b, f->text, f->len);
        sb_addc(&b, '\n');
    }
    return b.len ? sb_steal(&b) : xstrdup("");
}

void rule_sets_files_free(struct rules_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i].name), free(files[i].text);
    free(files);
}

int rule_sets_unpack(const char *packed, struct rules_file **files,
                     size_t *n, struct err *e)
{
    struct rules_file *v = NULL;
    size_t k = 0;
    const char *p = packed, *end = packed + strlen(packed);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = NULL;
        unsigned long long len = nl ? strtoull(nl + 1, &stop, 10) : 0;
        if (!nl || nl == p || !stop || *stop != '\n' ||
            len > (unsigned long long)(end - stop - 1) ||
            stop[1 + len] != '\n') {
            rule_sets_files_free(v, k);
            *files = NULL;
            *n = 0;
            return err_set(e, "the stored rule set is damaged (file %zu)",
                           k + 1);
        }
        v = xrealloc(v, (k + 1) * sizeof *v);
        v[k].name = xstrndup(p, (size_t)(nl - p));
        v[k].text = xstrndup(stop + 1, (size_t)len);
        v[k].len = (size_t)len;
        k++;
        p = stop + 1 + len + 1;
    }
    *files = v;
    *n = k;
    return 0;
}

int rule_sets_ensure(struct ledger *lg, const struct rules *r, struct err *e)
{
    static const char *const probe =
        "SELECT 1 FROM rule_sets WHERE hash = ?1";
    static const char *const ins =
        "INSERT INTO rule_sets(hash, files) VALUES (?1, ?2)";
    struct ledger_stmt *st = ledger_stmt(lg, probe);
    bind_text(st, 1, r->hash);
    if (ledger_has_row(st))
        return 0;
    char *packed = rule_sets_pack(r, e);
    if (!packed)
        return -1;
    st = ledger_stmt(lg, ins);
    bind_text(st, 1, r->hash);
    bind_text(st, 2, packed);
    int rc = ledger_done(lg, st, NULL, e);
    free(packed);
    return rc == 0 ? 0 : err_prefix(e, "storing rule set %.12s", r->hash);
}

int rule_sets_get(struct ledger *lg, const char *hash, char **packed,
                  struct err *e)
{
    static const char *const sql =
        "SELECT files FROM rule_sets WHERE hash = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, hash);
    int rc = ledger_step(st);
    *packed = rc == LEDGER_ROW ? col_text(st, 0) : NULL;
    if (ledger_read_end(st, rc == LEDGER_ROW ? LEDGER_DONE : rc,
                        "the ledger's rule sets", e) != 0)
        return -1;
    if (!*packed) {
        err_set(e, "rule set %.12s is not in the ledger", hash);
        return 1;
    }
    return 0;
}
