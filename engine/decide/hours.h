/*
 * hours.h — the hours a supplier registers on a placement, as pure
 * decisions: a duration read as whole minutes (never a float), the rate
 * kinds a placement prices (weekday, evening, weekend, holiday), the life
 * of a placement's month (draft -> submitted -> approved | rejected ->
 * invoiced) and which command each state allows, the months and send
 * times of the mediation settings, and the lines of an hours invoice
 * grouped per rate kind. Nothing here reads the ledger.
 */
#ifndef CAREBILL_DECIDE_HOURS_H
#define CAREBILL_DECIDE_HOURS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"
#include "rules/rules.h"

/* The life of registered hours; all rows of a placement's month share it. */
enum hours_status {
    HS_DRAFT,
    HS_SUBMITTED,
    HS_APPROVED,
    HS_REJECTED,
    HS_INVOICED,
    HS_COUNT
};
/* "draft", "submitted", ... as the ledger spells them; "?" otherwise. */
const char *hours_status_name(enum hours_status s);
/* 0 and *out set, or -1 for an unknown name. */
int hours_status_from_name(const char *s, enum hours_status *out);

enum rate_kind { RATE_WEEKDAY, RATE_EVENING, RATE_WEEKEND, RATE_HOLIDAY,
                 RATE_KINDS };
const char *rate_kind_name(enum rate_kind k); /* "weekday", ... */
int rate_kind_from_name(const char *s, enum rate_kind *out);

/* The placement's hourly rate for kind k in cents; 0 when it has none
 * (weekday is always the hourly_rate). */
int64_t hours_rate(const struct placement *pl, enum rate_kind k);

/* The kind hours on day d get when none is given: weekend on a Saturday
 * or Sunday when the placement has a weekend rate, else weekday. */
enum rate_kind hours_default_kind(const struct placement *pl, cdate d);

/* Read a duration into whole minutes: "7.5" or "7,5" (hours, at most two
 * decimals), "7:30" (hours:minutes), "450m" (minutes), "7h" or "7h30".
 * With quarters (in_minutes 0) it must be a whole number of quarters of
 * an hour. Refuses zero, negative and malformed values, and more than 24
 * hours. Returns 0, or -1 with e filled. */
int hours_parse(const char *s, int in_minutes, int *minutes, struct err *e);

/* Minutes as hours with two decimals ("7.50"); buf >= 16 bytes. */
char *hours_fmt(int minutes, char buf[16]);

/* Minutes as the invoice's quantity × 100 (hours to two decimals),
 * rounded half up: 90 -> 150, 20 -> 33. */
int64_t hours_qty100(int64_t minutes);

/* ---- months: "YYYY-MM" */

/* Parse "YYYY-MM" into *y, *m; 0 or -1 with e filled. */
int month_parse(const char *s, int *y, int *m, struct err *e);
/* The month of day d as "YYYY-MM"; buf >= 8 bytes. */
char *month_of(cdate d, char buf[8]);
/* The first and last day of month "YYYY-MM" (already valid). */
cdate month_first(const char *month);
cdate month_last(const char *month);
/* 1 when some day of month "YYYY-MM" (already valid) lies in from..to
 * (either end CDATE_NONE: open). */
int month_in_range(const char *month, cdate from, cdate to);

/* 1 when placement pl runs on day d (from/until, when set, included). */
int placement_active_on(const struct placement *pl, cdate d);
/* 1 when pl runs on some day of month "YYYY-MM". */
int placement_active_in(const struct placement *pl, const char *month);

/* ---- the state machine */

enum hours_action { HA_ADD, HA_REMOVE, HA_SUBMIT, HA_APPROVE, HA_REJECT };

/* How many rows of a placement's month are in each state. */
struct month_state {
    int n[HS_COUNT];
};
/* The month's status: that of its rows (draft when it has none). */
enum hours_status month_status(const struct month_state *s);

/* NULL when action a is allowed on a month in state s, else why not
 * (a sentence naming the state: "the hours of 2027-01 are approved ...").
 * `month` is used in the sentence. */
const char *hours_refusal(enum hours_action a, const struct month_state *s,
                          const char *month, char *buf, size_t len);

/* Refuse hours on day d of `minutes` when the placement does not run
 * then, the kind has no rate, or the day would hold more than 24 hours
 * with `day_minutes` already registered on it. 0 or -1 with e filled. */
int hours_add_check(const struct placement *pl, cdate d, int minutes,
                    enum rate_kind kind, int day_minutes, struct err *e);

/* ---- send times (the mediation settings) */

/* The month a hours_missing reminder on day `today` is about ("YYYY-MM",
 * the month before today's), or NULL when today is before the reminder
 * day of the month. buf >= 8 bytes. */
const char *hours_missing_month(const struct practice *p, cdate today,
                                char buf[8]);

/* The day the client invoice of `month`, approved on `approved`, is due:
 * the approval day (client_invoice_day 0), else that day of the month
 * after `month` (never before the approval). */
cdate hours_invoice_day(const struct practice *p, const char *month,
                        cdate approved);

/* The day the commission invoices follow a client invoice of `issued`. */
cdate hours_commission_day(const struct practice *p, cdate issued);

/* 1 when the approval reminder for hours submitted on `submitted` is due
 * on `today` (approval_reminder_days > 0). */
int hours_approval_reminder_due(const struct practice *p, cdate submitted,
                                cdate today);

/* ---- the hours invoice */

/* One registered row, as the invoice needs it. */
struct hours_entry {
    int64_t id;
    cdate date;
    int minutes;
    enum rate_kind kind;
};

/* Append to inv one line per rate kind with hours in rows[0..n): hours ×
 * the placement's rate at its VAT, source "hours", ref the placement id,
 * described "<what> <month> (<placement name>)" in inv->locale. Returns
 * the total minutes. */
int64_t hours_invoice_lines(struct invoice *inv, const struct placement *pl,
                            const char *month, const struct hours_entry *rows,
                            size_t n);

/* ---- the supplier's number series */

/* When inv is numbered in its supplier's series (self-billed or on
 * behalf, or a credit note of one, with inv->supplier.id set): writes
 * the series key
 * ("supplier:ID:YEAR", or "supplier:ID" when the format has no {year})
 * into key and returns the practice's supplier_number_format; else NULL. */
const char *supplier_series(const struct practice *p,
                            const struct invoice *inv, int year, char *key,
                            size_t keylen);

/* The 15 digits a supplier-series invoice's payment reference is made
 * of: a digest of the supplier's id (7 digits) before the number's last
 * 8 digits, so two suppliers' invoice 2027-0001 get different ones. */
uint64_t supplier_reference_digits(const char *supplier, const char *number);

#endif
