/*
 * subscription.h — the rules of an account's and a subscription's life as
 * pure decisions: what makes an account valid, whether a subscription may
 * start, be paused, resumed or stopped on a date, what a resume does to
 * the pause in force, where the billing cursor starts and when it must
 * move back, and a subscription's status on a day. Each check returns 0,
 * or -1 with e saying what is wrong; none reads the ledger.
 */
#ifndef CAREBILL_DECIDE_SUBSCRIPTION_H
#define CAREBILL_DECIDE_SUBSCRIPTION_H

#include "decide/billing.h"
#include "rules/rules.h"

/* An account as entered (strings borrowed). */
struct account_input {
    const char *id, *name, *email, *kind, *address, *locale, *vat_number;
    const char *iban, *bic, *mandate_id;
    cdate mandate_date;
    int reminders;
    const char *peppol; /* electronic address "SCHEME:ID", or NULL */
};

/* 1 when s is an account id: an external key of 1 to 64 ASCII letters,
 * digits, '-', '_' and '.' (a slug, or a patient number like PAT-00123). */
int account_id_valid(const char *s);

/* Check a new account; *kind receives the kind in force ("patient" when
 * none was given). */
int account_check(const struct account_input *a, const char **kind,
                  struct err *e);

/* Check an electronic address "SCHEME:ID" for e-invoices: the scheme one
 * of 0208 (Belgian enterprise number: 10 digits, mod-97 check), 0106
 * (Dutch KvK: 8 digits), 0190 (Dutch OIN: 20 digits), 9944 (Dutch VAT
 * NL999999999B99), 9925 (Belgian VAT BE + a valid enterprise number),
 * 0088 (GLN: 13 digits, GS1 check digit), 9930 (German VAT DE + 9
 * digits), 0192 (Norwegian organisation number: 9 digits, mod-11 check),
 * and the id in that scheme's format. 0, or -1 with e saying what is
 * expected. */
int peppol_address_check(const char *addr, struct err *e);

/* 1 when the practice's einvoice setting gives the invoices of an
 * account of `kind` a UBL e-invoice: every account with EINVOICE_ALL,
 * business accounts (organisation, client, supplier) with
 * EINVOICE_BUSINESS, none with EINVOICE_NONE. */
int einvoice_wanted(enum einvoice_mode mode, const char *kind);

/* 1 when s is an e-mail address carebill accepts (one '@', a dot in the
 * domain, no spaces or header characters, at most 254 bytes). */
int email_valid(const char *s);

/* A subscription's dates as the checks see them. */
struct sub_dates {
    int64_t id;
    cdate start, end_on; /* end_on: last active day, or CDATE_NONE */
};

/* Whether type t may be started for an account (has_mandate: -1 no such
 * account, 0 no mandate, 1 mandate) with quantity. */
int subscription_start_check(const struct subscription_type *t,
                             const char *type_id, const char *account,
                             int has_mandate, int direct_debit,
                             int64_t quantity, struct err *e);

/* The billing cursor of a subscription starting on `from`: the period
 * containing it and the day its invoice comes due. */
void subscription_first_cursor(const struct practice *pr,
                               const struct subscription_type *t, cdate from,
                               int direct_debit, cdate *next_period,
                               cdate *next_due);

/* Whether s may be paused from..until (overlaps are the caller's: they
 * need the ledger). */
int pause_check(const struct sub_dates *s, cdate from, cdate until,
                const char *note, struct err *e);

/* The error for a pause overlapping another one. */
int pause_overlap_error(const struct sub_dates *s, cdate from, cdate until,
                        const struct pause_span *other, struct err *e);

/* Whether s may be resumed on `on`. */
int resume_check(const struct sub_dates *s, cdate on, struct err *e);

/* What resuming on `on` does to the pause p in force then: 1 = the pause
 * has not begun and goes; 0 = it now ends on *until (the day before). */
int resume_drops_pause(const struct pause_span *p, cdate on, cdate *until);

/* Whether s may be stopped on `on` (today: the run date). */
int stop_check(const struct sub_dates *s, cdate on, cdate today,
               const char *note, struct err *e);

/* After a change effective on day d, the cursor must move back when the
 * period containing d starts before the cursor: returns 1 and the new
 * cursor (*next_period, *next_due), else 0. */
int subscription_rewind(const struct practice *pr,
                        const struct subscription_type *t, cdate start,
                        cdate end_on, int direct_debit, cdate cursor, cdate d,
                        cdate *next_period, cdate *next_due);

/* Status on day d: "active", "paused", "stopped" or "planned" (starts
 * later). */
const char *subscription_status(cdate start, cdate end_on,
                                const struct pause_span *pauses, size_t n,
                                cdate d);

#endif
