/*
 * mediation.h — a mediation agency's work (seed 002): suppliers register
 * hours on placements, submit a month, clients approve or reject it, and
 * the daily run invoices approved months at the send times the settings
 * choose — the hours invoice in the supplier's series (on behalf of the
 * supplier, or self-billed), then the commission invoices in the
 * agency's series — and sends the hours_missing, hours_to_approve,
 * hours_rejected and invoice e-mails. Every use case here works inside
 * the caller's transaction (engine_tx) and refuses before it writes.
 */
#ifndef CAREBILL_USECASE_MEDIATION_H
#define CAREBILL_USECASE_MEDIATION_H

#include <stdio.h>

#include "decide/hours.h"
#include "store/hours.h"
#include "usecase/engine.h"

/* Register `hours` (see hours_parse) on placement's day `date`, of rate
 * kind `kind` (NULL: hours_default_kind) with an optional note. Refuses
 * an unknown or inactive placement, a day outside it, a kind without a
 * rate, more than 24 hours on a day, and a month that is submitted,
 * approved or invoiced. *id is the new row's id. */
int mediation_hours_add(struct engine *eng, const char *placement, cdate date,
                        const char *hours, const char *kind, const char *note,
                        int64_t *id, struct err *e);

/* Remove row `id` while its month is a draft or rejected. */
int mediation_hours_remove(struct engine *eng, int64_t id, struct err *e);

/* Submit placement's month "YYYY-MM" for approval: its rows become
 * submitted and the client gets hours_to_approve. */
int mediation_hours_submit(struct engine *eng, const char *placement,
                           const char *month, struct err *e);

/* The client approves a submitted month: its rows become approved (and
 * immutable). A self-billing placement's supplier must have signed the
 * self-billing agreement. */
int mediation_hours_approve(struct engine *eng, const char *placement,
                            const char *month, struct err *e);

/* The client rejects a submitted month with a reason: its rows go back
 * to the supplier (rejected), who gets hours_rejected with the reason. */
int mediation_hours_reject(struct engine *eng, const char *placement,
                           const char *month, const char *reason,
                           struct err *e);

/* `report hours`: every placement's month and status (of `placement`
 * only, when non-NULL; of the months with a day in from..to, either end
 * CDATE_NONE: open). hours_months_free releases *out. */
int mediation_report_hours(struct engine *eng, const char *placement,
                           cdate from, cdate to, struct hours_month **out,
                           size_t *n, struct err *e);

/* `report hours --rows`: every registered row (of `placement` and
 * `month` only, when non-NULL; month checked "YYYY-MM"; dated in
 * from..to): its id for `hours remove`, date, kind, minutes, note,
 * status. hours_rows_free releases *out. */
int mediation_report_rows(struct engine *eng, const char *placement,
                          const char *month, cdate from, cdate to,
                          struct hours_row **out, size_t *n, struct err *e);

/* What `account mediation` changes on a supplier or client; NULL (and
 * CDATE_NONE, privacy -1) leaves a field as it is. */
struct mediation_patch {
    const char *account;
    const char *kvk;
    const char *vat_status; /* exempt, kor, standard */
    cdate selfbill_agreement;
    int privacy;
};
/* Apply p to the account's mediation record; refuses an unknown account
 * and a VAT status not listed. */
int mediation_account_update(struct engine *eng,
                             const struct mediation_patch *p, struct err *e);

/* The daily run's mediation step for eng->today, inside the tick's
 * transaction: invoices of approved months whose send time came (hours
 * invoice, the agency's resale invoice when self-billing), commission
 * invoices whose day came, approval reminders, hours_missing reminders.
 * `run` is the tick's run id; log (may be NULL) gets one line per
 * invoice; *invoices and *total_cents grow by what was issued. A second
 * run the same day finds nothing to do. */
int mediation_tick(struct engine *eng, int64_t run, FILE *log,
                   int64_t *invoices, int64_t *total_cents, struct err *e);

#endif
