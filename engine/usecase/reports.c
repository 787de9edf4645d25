/*
 * reports.c — the reports of reports.h, read through the stores.
 */
#include "usecase/reports.h"

#include <stdlib.h>
#include <string.h>

int report_runs(struct engine *eng, cdate from, cdate to,
                struct run_row **rows, size_t *n, struct err *e)
{
    return runs_list(eng->lg, from, to, rows, n, e);
}

void balance_report_free(struct balance_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].account);
    free(r->rows);
    balance_moves_free(r->moves, r->n_moves);
    memset(r, 0, sizeof *r);
}

int report_balances(struct engine *eng, const char *account, cdate from,
                    cdate to, struct balance_report *out, struct err *e)
{
    struct balance_move *m;
    size_t n;
    memset(out, 0, sizeof *out);
    /* every move up to `to`: the balance at the end; the range's own
     * moves make the in and out columns */
    if (payments_balance_moves(eng->lg, account, CDATE_NONE, to, &m, &n, e))
        return -1;
    size_t in_range = 0;
    for (size_t i = 0; i < n; i++) {
        struct balance_report_row *r = NULL;
        for (size_t j = 0; j < out->n && !r; j++)
            if (!strcmp(out->rows[j].account, m[i].account))
                r = &out->rows[j];
        if (!r) {
            /* keep the rows sorted by account */
            size_t at = 0;
            while (at < out->n && strcmp(out->rows[at].account,
                                         m[i].account) < 0)
                at++;
            out->rows = xrealloc(out->rows, (out->n + 1) * sizeof *out->rows);
            memmove(&out->rows[at + 1], &out->rows[at],
                    (out->n - at) * sizeof *out->rows);
            out->rows[at] = (struct balance_report_row){
                xstrdup(m[i].account), 0, 0, 0};
            out->n++;
            r = &out->rows[at];
        }
        r->balance_cents += m[i].amount_cents;
        if (from != CDATE_NONE && m[i].on < from)
            continue;
        if (m[i].amount_cents > 0)
            r->in_cents += m[i].amount_cents;
        else
            r->out_cents -= m[i].amount_cents;
        in_range++;
    }
    /* the moves of the range, in order */
    out->moves = xcalloc(in_range ? in_range : 1, sizeof *out->moves);
    for (size_t i = 0; i < n; i++) {
        if (from != CDATE_NONE && m[i].on < from) {
            free(m[i].account);
            free(m[i].kind);
            free(m[i].invoice);
            continue;
        }
        out->moves[out->n_moves++] = m[i];
    }
    free(m);
    return 0;
}

int report_account_balance(struct engine *eng, const char *account,
                           int64_t *cents, struct err *e)
{
    return payments_balance(eng->lg, account, cents, e);
}
