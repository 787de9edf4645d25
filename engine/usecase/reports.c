/*
 * reports.c — the reports of reports.h, read through the stores.
 */
#include "usecase/reports.h"

int report_runs(struct engine *eng, cdate from, cdate to,
                struct run_row **rows, size_t *n, struct err *e)
{
    return runs_list(eng->lg, from, to, rows, n, e);
}
