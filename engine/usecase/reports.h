/*
 * reports.h — read-only reports that are not one table family's own:
 * the runs (one row per tick). Each reads through the stores and leaves
 * formatting to the face.
 */
#ifndef CAREBILL_REPORTS_H
#define CAREBILL_REPORTS_H

#include "store/runs.h"
#include "usecase/engine.h"

/* Every run with its date in from..to (CDATE_NONE: open end), oldest
 * first; *rows is the caller's (run_rows_free). Returns 0 or -1. */
int report_runs(struct engine *eng, cdate from, cdate to,
                struct run_row **rows, size_t *n, struct err *e);

#endif
