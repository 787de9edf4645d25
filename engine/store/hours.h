/*
 * hours.h — the mediation tables of migration 008 but payouts: the hours
 * rows suppliers register, the reviews of a placement's month (submit,
 * approve, reject with its reason), what the agency records of its
 * suppliers and clients (mediation_accounts), and the invoices made from
 * a placement's month (mediation_invoices, one per role, by a unique
 * key). Every function works inside the caller's transaction and returns
 * 0, or -1 with e filled (1 where it says so for "no such row").
 */
#ifndef CAREBILL_STORE_HOURS_H
#define CAREBILL_STORE_HOURS_H

#include <stddef.h>
#include <stdint.h>

#include "decide/hours.h"
#include "ledger/ledger.h"

/* One registered row. Strings owned (hours_row_free). */
struct hours_row {
    int64_t id;
    char *placement;
    cdate date;
    char month[8];
    int minutes;
    enum rate_kind kind;
    char *note;
    enum hours_status status;
    int64_t invoice; /* 0 until invoiced */
};
void hours_row_free(struct hours_row *r);

/* Add a draft row; *id its id. */
int hours_insert(struct ledger *lg, const char *placement, cdate date,
                 int minutes, enum rate_kind kind, const char *note,
                 cdate today, int64_t *id, struct err *e);

/* Row `id` into *out; 1 when there is none ("no hours with id N"). */
int hours_get(struct ledger *lg, int64_t id, struct hours_row *out,
              struct err *e);

/* Every row (of `placement` only, when non-NULL; of `month` only, when
 * non-NULL), by placement, date and id. *out is malloc'd
 * (hours_rows_free). */
int hours_rows(struct ledger *lg, const char *placement, const char *month,
               struct hours_row **out, size_t *n, struct err *e);
void hours_rows_free(struct hours_row *v, size_t n);

/* Delete row `id`. */
int hours_delete(struct ledger *lg, int64_t id, struct err *e);

/* How many rows of placement's month are in each state. */
int hours_month_state(struct ledger *lg, const char *placement,
                      const char *month, struct month_state *s,
                      struct err *e);

/* The minutes registered on placement's day d into *minutes. */
int hours_day_minutes(struct ledger *lg, const char *placement, cdate d,
                      int *minutes, struct err *e);

/* Every row of placement's month goes to status `to`. */
int hours_set_status(struct ledger *lg, const char *placement,
                     const char *month, enum hours_status to, struct err *e);

/* The approved rows of placement's month, by date (malloc'd *out). */
int hours_approved_entries(struct ledger *lg, const char *placement,
                           const char *month, struct hours_entry **out,
                           size_t *n, struct err *e);

/* The approved rows of placement's month become invoiced on `invoice`. */
int hours_mark_invoiced(struct ledger *lg, const char *placement,
                        const char *month, int64_t invoice, struct err *e);

/* The minutes of placement's month invoiced on invoice `invoice` into
 * *minutes. */
int hours_invoiced_minutes(struct ledger *lg, const char *placement,
                           const char *month, int64_t invoice,
                           int64_t *minutes, struct err *e);

/* ---- reviews */

enum hours_review { HR_SUBMIT, HR_APPROVE, HR_REJECT };

/* Record a review of placement's month on day `on` (reason NULL but for
 * a rejection); *id (may be NULL) its id. */
int hours_review_add(struct ledger *lg, const char *placement,
                     const char *month, enum hours_review action, cdate on,
                     const char *reason, int64_t *id, struct err *e);

/* ---- months, as the report and the daily run see them */

struct hours_month {
    char placement[128];
    char month[8];
    enum hours_status status;
    int rows;
    int64_t minutes;
    int64_t submit_id;        /* the last submit's review id, 0: none */
    cdate submitted, approved, rejected; /* the last of each, or NONE */
    char *reason;             /* the last rejection's reason, or NULL */
};

/* Every placement's month (of `placement` only, when non-NULL; of status
 * `status` only, when >= 0), by placement and month. *out is malloc'd
 * (hours_months_free). */
int hours_months(struct ledger *lg, const char *placement, int status,
                 struct hours_month **out, size_t *n, struct err *e);
void hours_months_free(struct hours_month *v, size_t n);

/* *any = 1 when placement has any row in month. */
int hours_any_in_month(struct ledger *lg, const char *placement,
                       const char *month, int *any, struct err *e);

/* ---- what the agency records of its suppliers and clients */

struct mediation_account {
    char *account;
    char *kvk;
    char *vat_status;        /* "exempt", "kor", "standard" or NULL */
    cdate selfbill_agreement; /* CDATE_NONE: none signed */
    int privacy;             /* -1: the practice's privacy_mode */
};
void hours_account_free(struct mediation_account *a);

/* Account `account`'s record into *out (zeroed, privacy -1, when it has
 * none: then 1). */
int hours_account_get(struct ledger *lg, const char *account,
                      struct mediation_account *out, struct err *e);

/* Write a's record whole (insert or replace). */
int hours_account_put(struct ledger *lg, const struct mediation_account *a,
                      struct err *e);

/* ---- invoices made from a placement's month */

enum hours_role {
    ROLE_HOURS,               /* the supplier's invoice (supplier series) */
    ROLE_RESALE,              /* self-billing: the agency's to the client */
    ROLE_COMMISSION_SUPPLIER,
    ROLE_COMMISSION_CLIENT
};
const char *hours_role_name(enum hours_role r);

/* Link invoice `invoice` to placement's month in role r. *dup = 1 (and
 * nothing written) when the month has an invoice in that role already. */
int hours_invoice_link(struct ledger *lg, const char *placement,
                       const char *month, enum hours_role r,
                       const char *supplier, int64_t invoice, int *dup,
                       struct err *e);

/* The invoice of placement's month in role r into *invoice; 1 when none. */
int hours_invoice_of(struct ledger *lg, const char *placement,
                     const char *month, enum hours_role r, int64_t *invoice,
                     struct err *e);

/* A month invoiced in role `hours` whose commission is still to come. */
struct hours_pending {
    char placement[128];
    char month[8];
    int64_t invoice;   /* the hours invoice */
    cdate issued;
    int64_t net_cents; /* its net amount: the commission's basis */
    int has_supplier_commission, has_client_commission;
};

/* Every hours invoice lacking a commission invoice in either role, by
 * invoice id (malloc'd *out). */
int hours_pending_commissions(struct ledger *lg, struct hours_pending **out,
                              size_t *n, struct err *e);

#endif
