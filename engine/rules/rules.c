/*
 * rules.c — loads a practice's rule files (YAML, with libyaml's document
 * API) into a `struct rules`. Every kind of definition is described by a
 * table of fields; one walker checks types, required and unknown keys
 * (with "did you mean"), collects references by id, and a second pass
 * resolves them once every file is read. All problems are reported, each
 * as "file:line:col: message", never only the first.
 */
#define _GNU_SOURCE
#include "rules/rules.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "base/civil.h"
#include "base/suggest.h"
#include "formats/bankid.h"
#include "formats/taxid.h"
#include "formats/template.h"
#include "rules/hooks.h"

/* ================================================================ diag */

void diag_add(struct diag *dg, const struct place *at, const char *fmt, ...)
{
    struct sbuf b = {0};
    va_list ap;
    if (at && at->file)
        sb_printf(&b, "%s:%d:%d: ", at->file, at->line, at->col);
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    dg->msgs = xrealloc(dg->msgs, (dg->n + 1) * sizeof *dg->msgs);
    dg->msgs[dg->n++] = sb_steal(&b);
}

void diag_warn(struct diag *dg, const struct place *at, const char *fmt, ...)
{
    struct sbuf b = {0};
    va_list ap;
    if (at && at->file && at->line > 0)
        sb_printf(&b, "%s:%d:%d: ", at->file, at->line, at->col);
    else if (at && at->file)
        sb_printf(&b, "%s: ", at->file);
    sb_add(&b, "warning: ");
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    dg->warns = xrealloc(dg->warns, (dg->n_warns + 1) * sizeof *dg->warns);
    dg->warns[dg->n_warns++] = sb_steal(&b);
}

void diag_free(struct diag *dg)
{
    for (size_t i = 0; i < dg->n; i++)
        free(dg->msgs[i]);
    free(dg->msgs);
    dg->msgs = NULL;
    dg->n = 0;
    for (size_t i = 0; i < dg->n_warns; i++)
        free(dg->warns[i]);
    free(dg->warns);
    dg->warns = NULL;
    dg->n_warns = 0;
}

/* ================================================================ events */

static const char *const event_names[EV_COUNT] = {
    [EV_SUBSCRIPTION_INVOICE] = "subscription_invoice",
    [EV_SUBSCRIPTION_INVOICE_DD] = "subscription_invoice_direct_debit",
    [EV_SUBSCRIPTION_INVOICE_DD_FIRST] = "subscription_invoice_direct_debit_first",
    [EV_INVOICE_PAID] = "invoice_paid",
    [EV_PRODUCT_INVOICE] = "product_invoice",
    [EV_CREDIT_NOTE] = "credit_note",
    [EV_PAYMENT_REMINDER] = "payment_reminder",
    [EV_HOURS_MISSING] = "hours_missing",
    [EV_HOURS_TO_APPROVE] = "hours_to_approve",
    [EV_INVOICE_READY] = "invoice_ready",
    [EV_SELFBILL_INVOICE] = "selfbill_invoice",
    [EV_COMMISSION_INVOICE] = "commission_invoice",
    [EV_HOURS_REJECTED] = "hours_rejected",
};

const char *event_name(enum event ev)
{
    return (unsigned)ev < EV_COUNT ? event_names[ev] : "?";
}

int event_from_name(const char *s, enum event *out)
{
    for (int i = 0; i < EV_COUNT; i++)
        if (strcmp(event_names[i], s) == 0) {
            *out = (enum event)i;
            return 0;
        }
    return -1;
}

/* ================================================================ schema */

enum ftype {
    FT_STR,     /* char * */
    FT_ID,      /* char *, a slug */
    FT_MONEY,   /* int64_t cents, "45.00" */
    FT_INT,     /* int, whole number >= 0 */
    FT_INT64,   /* int64_t, whole number >= 0 */
    FT_BOOL,    /* int */
    FT_DATE,    /* cdate */
    FT_PERCENT, /* int32_t basis points, "21" or "5.5" */
    FT_ENUM,    /* int, index into choices */
    FT_REF,     /* pointer to a definition of kind `ref`, by id */
    FT_HOOK,    /* struct hook_binding; arg = function name */
    FT_MAP,     /* nested mapping whose fields write into the same struct */
    FT_LIST,    /* array of `sub` structs at off, count (size_t) at aux */
    FT_DELAY,   /* "3 days": int n at off, enum delay_unit at aux */
    FT_LOCALE,  /* char *, one of nl fr en */
    FT_WORDS,   /* char *: one value or a list of values, kept as "a, b" */
    FT_EVENT,   /* enum event */
};

#define REQ 1u

struct kind;
struct field {
    const char *key;
    enum ftype type;
    size_t off;
    unsigned flags;
    const char *const *choices; /* FT_ENUM, NULL-terminated */
    int ref;                    /* FT_REF: index into kinds[] */
    const struct kind *sub;     /* FT_MAP, FT_LIST */
    size_t aux;
    const char *arg;            /* FT_HOOK: function name */
};

struct kind {
    const char *section; /* top-level key, e.g. "subscription_types" */
    const char *name;    /* singular, e.g. "subscription_type" */
    size_t size;
    const struct field *fields;
    size_t arr_off, count_off; /* in struct rules; 0 for sub-structures */
};

enum {
    K_VAT, K_SUBTYPE, K_PACKAGE, K_PRODUCT, K_APPTYPE, K_PLAN, K_DISCOUNT,
    K_TEMPLATE, K_SCHEDULE, K_PLACEMENT, K_COUNT
};

static const char *const periods[] = {"month", "quarter", "year", NULL};
static const char *const alignments[] = {"calendar", "anniversary", NULL};
static const char *const tls_modes[] = {"no", "try", "required", NULL};
static const char *const short_credit_modes[] = {"refuse", "invoice", NULL};
static const char *const late_change_modes[] = {"warn", "credit", NULL};
static const char *const einvoice_modes[] = {"none", "business", "all", NULL};
static const char *const bases[] = {"invoice_date", "due_date", NULL};
static const char *const invoice_modes[] = {"on_behalf", "self_billing", NULL};
static const char *const hours_units[] = {"quarter", "minute", NULL};
static const char *const durations[] = {"periods", "once", "forever", NULL};

#define DEF_FIELDS(T)                                                    \
    {"id", FT_ID, offsetof(T, d.id), REQ, 0, 0, 0, 0, 0},                \
    {"name", FT_STR, offsetof(T, d.name), REQ, 0, 0, 0, 0, 0},           \
    {"active", FT_BOOL, offsetof(T, d.active), 0, 0, 0, 0, 0, 0}
#define F(k, t, T, m) {k, t, offsetof(T, m), 0, 0, 0, 0, 0, 0}
#define FR(k, t, T, m) {k, t, offsetof(T, m), REQ, 0, 0, 0, 0, 0}
#define FENUM(k, T, m, c, fl) {k, FT_ENUM, offsetof(T, m), fl, c, 0, 0, 0, 0}
#define FREF(k, T, m, kd, fl) {k, FT_REF, offsetof(T, m), fl, 0, kd, 0, 0, 0}
#define FHOOK(k, T, m, fn) {k, FT_HOOK, offsetof(T, m), 0, 0, 0, 0, 0, fn}
#define FMAP(k, s) {k, FT_MAP, 0, 0, 0, 0, &s, 0, 0}
#define FLIST(k, T, m, c, s) {k, FT_LIST, offsetof(T, m), 0, 0, 0, &s, offsetof(T, c), 0}
#define FEND {NULL, 0, 0, 0, 0, 0, 0, 0, 0}

/* --- practice settings */
static const struct field dd_fields[] = {
    F("collection_days", FT_INT, struct practice, dd_collection_days),
    F("days_before_period", FT_INT, struct practice, dd_days_before),
    FEND};
static const struct kind dd_kind = {NULL, "direct_debit", 0, dd_fields, 0, 0};

static const struct field smtp_fields[] = {
    F("host", FT_STR, struct practice, smtp_host),
    F("port", FT_INT, struct practice, smtp_port),
    FENUM("tls", struct practice, smtp_tls, tls_modes, 0),
    F("user", FT_STR, struct practice, smtp_user),
    F("password_env", FT_STR, struct practice, smtp_password_env),
    F("from", FT_STR, struct practice, mail_from),
    F("from_name", FT_STR, struct practice, mail_from_name),
    F("rate_limit", FT_INT, struct practice, mail_rate_limit),
    FEND};
static const struct kind smtp_kind = {NULL, "smtp", 0, smtp_fields, 0, 0};

static const struct field hooks_fields[] = {
    FHOOK("prorate", struct practice, prorate, "prorate"),
    FHOOK("pause", struct practice, pause, "pause"),
    FHOOK("reminder_at", struct practice, reminder_at, "reminder_at"),
    F("instruction_limit", FT_INT64, struct practice, hook_instructions),
    F("memory_limit_kb", FT_INT64, struct practice, hook_memory_kb),
    FEND};
static const struct kind hooks_kind = {NULL, "hooks", 0, hooks_fields, 0, 0};

static const struct field accounts_fields[] = {
    F("debtors", FT_STR, struct practice, acct_debtors),
    F("bank", FT_STR, struct practice, acct_bank),
    F("vat", FT_STR, struct practice, acct_vat),
    F("revenue", FT_STR, struct practice, acct_revenue),
    F("balances", FT_STR, struct practice, acct_balances),
    F("suppliers", FT_STR, struct practice, acct_suppliers),
    F("purchases", FT_STR, struct practice, acct_purchases),
    F("vat_input", FT_STR, struct practice, acct_vat_input),
    FEND};
static const struct kind accounts_kind = {NULL, "accounts", 0, accounts_fields,
                                          0, 0};

static const struct field mediation_fields[] = {
    F("hours_reminder_day", FT_INT, struct practice, hours_reminder_day),
    F("privacy_mode", FT_BOOL, struct practice, privacy_mode),
    F("approval_reminder_days", FT_INT, struct practice,
      approval_reminder_days),
    F("client_invoice_day", FT_INT, struct practice, client_invoice_day),
    F("commission_days_after", FT_INT, struct practice,
      commission_days_after),
    FENUM("hours_unit", struct practice, hours_in_minutes, hours_units, 0),
    F("supplier_number_format", FT_STR, struct practice,
      supplier_number_format),
    F("agency_account", FT_ID, struct practice, agency_account),
    F("portal_url", FT_STR, struct practice, portal_url),
    FHOOK("commission", struct practice, commission, "commission"),
    FEND};
static const struct kind mediation_kind = {NULL, "mediation", 0,
                                           mediation_fields, 0, 0};

static const struct field practice_fields[] = {
    FR("name", FT_STR, struct practice, name),
    F("address", FT_STR, struct practice, address),
    F("kvk", FT_STR, struct practice, kvk),
    F("vat_number", FT_STR, struct practice, vat_number),
    F("siret", FT_STR, struct practice, siret),
    F("country", FT_STR, struct practice, country),
    F("iban", FT_STR, struct practice, iban),
    F("bic", FT_STR, struct practice, bic),
    F("creditor_id", FT_STR, struct practice, creditor_id),
    F("currency", FT_STR, struct practice, currency),
    F("locale", FT_LOCALE, struct practice, locale),
    F("timezone", FT_STR, struct practice, timezone),
    F("email", FT_STR, struct practice, email),
    F("phone", FT_STR, struct practice, phone),
    F("invoice_number_format", FT_STR, struct practice, number_format),
    F("credit_note_number_format", FT_STR, struct practice,
      credit_number_format),
    F("payment_term_days", FT_INT, struct practice, payment_term_days),
    F("prices_include_vat", FT_BOOL, struct practice, prices_include_vat),
    F("practitioner", FT_STR, struct practice, practitioner),
    FENUM("short_credit", struct practice, short_credit, short_credit_modes, 0),
    FENUM("late_change", struct practice, late_change, late_change_modes, 0),
    FENUM("einvoice", struct practice, einvoice, einvoice_modes, 0),
    F("apply_balance", FT_BOOL, struct practice, apply_balance),
    FMAP("direct_debit", dd_kind),
    FMAP("smtp", smtp_kind),
    FMAP("hooks", hooks_kind),
    FMAP("mediation", mediation_kind),
    FMAP("accounts", accounts_kind),
    FEND};
static const struct kind practice_kind = {"practice", "practice",
                                          sizeof(struct practice),
                                          practice_fields, 0, 0};

/* --- definitions */
static const struct field vat_fields[] = {
    DEF_FIELDS(struct vat_rate),
    FR("percent", FT_PERCENT, struct vat_rate, bp),
    F("exempt", FT_BOOL, struct vat_rate, exempt),
    F("exempt_text", FT_STR, struct vat_rate, exempt_text),
    FEND};

static const struct field change_fields[] = {
    FR("from", FT_DATE, struct price_change, from),
    FR("price", FT_MONEY, struct price_change, price_cents),
    FEND};
static const struct kind change_kind = {NULL, "price change",
                                        sizeof(struct price_change),
                                        change_fields, 0, 0};

static const struct field subtype_fields[] = {
    DEF_FIELDS(struct subscription_type),
    FENUM("period", struct subscription_type, period, periods, 0),
    FENUM("alignment", struct subscription_type, alignment, alignments, 0),
    FR("price", FT_MONEY, struct subscription_type, price_cents),
    FREF("vat", struct subscription_type, vat, K_VAT, REQ),
    FLIST("price_changes", struct subscription_type, changes, n_changes,
          change_kind),
    FHOOK("prorate", struct subscription_type, prorate, "prorate"),
    FHOOK("pause", struct subscription_type, pause, "pause"),
    FEND};

static const struct field package_fields[] = {
    DEF_FIELDS(struct package),
    FR("internal_rate", FT_MONEY, struct package, internal_rate_cents),
    F("ledger_account", FT_STR, struct package, ledger_account),
    F("balance_item", FT_STR, struct package, balance_item),
    FEND};

static const struct field product_fields[] = {
    {"code", FT_ID, offsetof(struct product, d.id), REQ, 0, 0, 0, 0, 0},
    FR("name", FT_STR, struct product, d.name),
    F("active", FT_BOOL, struct product, d.active),
    FR("price", FT_MONEY, struct product, price_cents),
    FREF("vat", struct product, vat, K_VAT, REQ),
    FREF("package", struct product, package, K_PACKAGE, 0),
    F("credits", FT_INT64, struct product, credits),
    FEND};

static const struct field apptype_fields[] = {
    DEF_FIELDS(struct appointment_type),
    FR("price", FT_MONEY, struct appointment_type, price_cents),
    FREF("vat", struct appointment_type, vat, K_VAT, REQ),
    FREF("package", struct appointment_type, package, K_PACKAGE, 0),
    F("credits", FT_INT64, struct appointment_type, credits),
    FEND};

static const struct field usage_fields[] = {
    FR("metric", FT_ID, struct usage_price, metric),
    FR("price", FT_MONEY, struct usage_price, price_cents),
    FEND};
static const struct kind usage_kind = {NULL, "usage price",
                                       sizeof(struct usage_price),
                                       usage_fields, 0, 0};

static const struct field plan_fields[] = {
    DEF_FIELDS(struct plan),
    F("seat_price_month", FT_MONEY, struct plan, seat_month_cents),
    F("seat_price_year", FT_MONEY, struct plan, seat_year_cents),
    F("student_seat_price_month", FT_MONEY, struct plan, student_month_cents),
    F("student_seat_price_year", FT_MONEY, struct plan, student_year_cents),
    FREF("vat", struct plan, vat, K_VAT, REQ),
    FLIST("usage", struct plan, usage, n_usage, usage_kind),
    F("prices_include_vat", FT_BOOL, struct plan, prices_include_vat),
    F("trial_days", FT_INT, struct plan, trial_days),
    FHOOK("seats", struct plan, seats, "seats"),
    FEND};

static const struct field discount_fields[] = {
    {"code", FT_ID, offsetof(struct discount_code, d.id), REQ, 0, 0, 0, 0, 0},
    FR("name", FT_STR, struct discount_code, d.name),
    F("active", FT_BOOL, struct discount_code, d.active),
    F("percent", FT_PERCENT, struct discount_code, percent_bp),
    F("amount", FT_MONEY, struct discount_code, amount_cents),
    F("periods", FT_INT, struct discount_code, periods),
    FENUM("duration", struct discount_code, duration, durations, 0),
    F("expires", FT_DATE, struct discount_code, expires),
    F("max_redemptions", FT_INT, struct discount_code, max_redemptions),
    F("plans", FT_WORDS, struct discount_code, plans),
    FEND};

static const struct field template_fields[] = {
    DEF_FIELDS(struct template_def),
    {"event", FT_EVENT, offsetof(struct template_def, event), REQ, 0, 0, 0, 0, 0},
    F("locale", FT_LOCALE, struct template_def, locale),
    FR("subject", FT_STR, struct template_def, subject),
    FR("body", FT_STR, struct template_def, body),
    F("attach_pdf", FT_BOOL, struct template_def, attach_pdf),
    F("attach_ubl", FT_BOOL, struct template_def, attach_ubl),
    F("delay_hours", FT_INT, struct template_def, delay_hours),
    FEND};

static const struct field step_fields[] = {
    {"after", FT_DELAY, offsetof(struct reminder_step, n), REQ, 0, 0, 0,
     offsetof(struct reminder_step, unit), 0},
    FENUM("from", struct reminder_step, from, bases, 0),
    FREF("template", struct reminder_step, template, K_TEMPLATE, REQ),
    F("active", FT_BOOL, struct reminder_step, active),
    FEND};
static const struct kind step_kind = {NULL, "reminder step",
                                      sizeof(struct reminder_step),
                                      step_fields, 0, 0};

static const struct field schedule_fields[] = {
    DEF_FIELDS(struct reminder_schedule),
    FLIST("steps", struct reminder_schedule, steps, n_steps, step_kind),
    FHOOK("reminder_at", struct reminder_schedule, reminder_at, "reminder_at"),
    FEND};

static const struct field placement_fields[] = {
    DEF_FIELDS(struct placement),
    FR("supplier", FT_ID, struct placement, supplier),
    FR("client", FT_ID, struct placement, client),
    FR("hourly_rate", FT_MONEY, struct placement, hourly_rate_cents),
    F("supplier_commission", FT_PERCENT, struct placement,
      supplier_commission_bp),
    F("client_commission", FT_PERCENT, struct placement, client_commission_bp),
    FREF("vat", struct placement, vat, K_VAT, REQ),
    FREF("commission_vat", struct placement, commission_vat, K_VAT, 0),
    F("from", FT_DATE, struct placement, from),
    F("until", FT_DATE, struct placement, until),
    F("evening_rate", FT_MONEY, struct placement, evening_rate_cents),
    F("weekend_rate", FT_MONEY, struct placement, weekend_rate_cents),
    F("holiday_rate", FT_MONEY, struct placement, holiday_rate_cents),
    F("supplier_commission_per_hour", FT_MONEY, struct placement,
      supplier_commission_hour_cents),
    F("client_commission_per_hour", FT_MONEY, struct placement,
      client_commission_hour_cents),
    FENUM("invoice_mode", struct placement, invoice_mode, invoice_modes, 0),
    FEND};

#define KIND(sec, nm, T, fl, arr) \
    {sec, nm, sizeof(T), fl, offsetof(struct rules, arr), \
     offsetof(struct rules, n_##arr)}
static const struct kind kinds[K_COUNT] = {
    [K_VAT] = KIND("vat_rates", "vat_rate", struct vat_rate, vat_fields,
                   vat_rates),
    [K_SUBTYPE] = KIND("subscription_types", "subscription_type",
                       struct subscription_type, subtype_fields,
                       subscription_types),
    [K_PACKAGE] = KIND("packages", "package", struct package, package_fields,
                       packages),
    [K_PRODUCT] = KIND("products", "product", struct product, product_fields,
                       products),
    [K_APPTYPE] = KIND("appointment_types", "appointment_type",
                       struct appointment_type, apptype_fields,
                       appointment_types),
    [K_PLAN] = KIND("plans", "plan", struct plan, plan_fields, plans),
    [K_DISCOUNT] = KIND("discount_codes", "discount_code",
                        struct discount_code, discount_fields, discount_codes),
    [K_TEMPLATE] = KIND("templates", "template", struct template_def,
                        template_fields, templates),
    [K_SCHEDULE] = KIND("reminder_schedules", "reminder_schedule",
                        struct reminder_schedule, schedule_fields,
                        reminder_schedules),
    [K_PLACEMENT] = KIND("placements", "placement", struct placement,
                         placement_fields, placements),
};

/* ================================================================ loader */

/* A reference waiting for every file to be read: the pointer lives at
 * `off` inside element `index` of a top-level array (or of a list inside
 * it: sub_off/sub_index). */
struct pending {
    int owner_kind;   /* top-level kind holding the element */
    size_t index;     /* element in that kind's array */
    size_t list_off;  /* 0, or offset of the FT_LIST array in the element */
    size_t list_size; /* element size of that list */
    size_t list_index;
    size_t off;       /* offset of the pointer */
    int target_kind;
    char *id;
    struct place at;
    const char *key;
};

/* Where a field was written: the element (as for pending references;
 * owner_kind -1 for the practice settings), the field's offset, the
 * places of its key and its value. Lets a check that looks at several
 * fields at once point at the key it is about. */
struct fplace {
    int owner_kind;
    size_t index, list_off, list_index, off;
    struct place key, val;
};

struct loader {
    struct rules *r;
    struct diag *dg;
    const char *libdir;
    struct pending *pend;
    size_t n_pend;
    struct sha256 hash;
    const char *file; /* current file, owned by r->files */
    /* where the element being read lives, for pending references */
    int cur_kind;
    size_t cur_index;
    size_t cur_list_off, cur_list_size, cur_list_index;
    char **included;
    size_t n_included;
    const char *text; /* the current file's text */
    size_t total_bytes; /* of the rule and hook files read so far */
    int syntax_errors;  /* files that are not valid YAML */
    struct fplace *fp; /* where each field read was written */
    size_t n_fp, cap_fp;
    struct place iban_at, creditor_at, siret_at, country_at, bic_at;
    struct place numfmt_at, crednumfmt_at, currency_at, timezone_at;
    struct place supnumfmt_at; /* mediation: supplier_number_format */
};

static struct place place_of(const struct loader *ld, const yaml_node_t *n)
{
    struct place p = {ld->file, (int)n->start_mark.line + 1,
                      (int)n->start_mark.column + 1};
    return p;
}

/* Remember where the field at offset off of the element being read was
 * written (its key kn and value vn). */
static void note_field(struct loader *ld, size_t off, const yaml_node_t *kn,
                       const yaml_node_t *vn)
{
    if (ld->n_fp == ld->cap_fp) {
        ld->cap_fp = ld->cap_fp ? 2 * ld->cap_fp : 64;
        ld->fp = xrealloc(ld->fp, ld->cap_fp * sizeof *ld->fp);
    }
    struct fplace *f = &ld->fp[ld->n_fp++];
    f->owner_kind = ld->cur_kind;
    f->index = ld->cur_index;
    f->list_off = ld->cur_list_off;
    f->list_index = ld->cur_list_index;
    f->off = off;
    f->key = place_of(ld, kn);
    f->val = place_of(ld, vn);
}

/* Where field `off` of element `index` of kind ki (-1: the practice
 * settings) was written, or of entry list_index of its list at list_off
 * (0: the element itself): its value's place, or `fallback` when the
 * field was not given. */
static const struct place *field_at(const struct loader *ld, int ki,
                                    size_t index, size_t list_off,
                                    size_t list_index, size_t off,
                                    const struct place *fallback)
{
    /* A search per message: past a few hundred messages (a hostile file)
     * the definition's own place has to do, so the load stays quick. */
    if (ld->dg->n > 200)
        return fallback;
    for (size_t i = 0; i < ld->n_fp; i++) {
        const struct fplace *f = &ld->fp[i];
        if (f->owner_kind == ki && f->index == index &&
            f->list_off == list_off &&
            (!list_off || f->list_index == list_index) && f->off == off &&
            f->val.file)
            return &f->val;
    }
    return fallback;
}

/* The place of practice setting `member`, else of the practice key. */
#define PRACTICE_AT(ld, member)                                           \
    field_at((ld), -1, 0, 0, 0, offsetof(struct practice, member),         \
             &(ld)->r->practice.at)
/* The place of field `member` of definition *elem (of kind ki, type T),
 * else of the definition. */
#define DEF_AT(ld, ki, T, elem, member)                                   \
    field_at((ld), (ki), def_index((ld)->r, (ki), &(elem)->d), 0, 0,       \
             offsetof(T, member), &(elem)->d.at)

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

static const char *node_type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* The closest known key to `key` among the fields (or NULL). */
static const char *suggest_key(const struct field *fields, const char *key)
{
    struct suggest s;
    suggest_init(&s, key, SUGGEST_DISTANCE);
    for (const struct field *f = fields; f->key; f++)
        suggest_offer(&s, f->key);
    return suggest_best(&s);
}

static void unknown_key(struct loader *ld, const yaml_node_t *kn,
                        const char *what, const struct field *fields)
{
    struct place at = place_of(ld, kn);
    const char *key = scalar(kn) ? scalar(kn) : "?";
    const char *s = suggest_key(fields, key);
    struct sbuf allowed = {0};
    for (const struct field *f = fields; f->key; f++)
        sb_printf(&allowed, "%s%s", allowed.len ? ", " : "", f->key);
    if (s)
        diag_add(ld->dg, &at, "unknown key '%s' in %s; did you mean '%s'?",
                 key, what, s);
    else
        diag_add(ld->dg, &at, "unknown key '%s' in %s (expected one of: %s)",
                 key, what, sb_str(&allowed));
    sb_free(&allowed);
}

static const char *rel_name(const struct loader *ld, const char *path);
static char *read_limited(const char *path, size_t *len, size_t *total,
                          struct err *e);

/* Hash file `name` into the rule set and keep it beside the hash. */
static void hash_file(struct loader *ld, const char *name, const char *text,
                      size_t len)
{
    struct rules *r = ld->r;
    sha256_update(&ld->hash, name, strlen(name) + 1);
    sha256_update(&ld->hash, text, len);
    r->hashed = xrealloc(r->hashed, (r->n_hashed + 1) * sizeof *r->hashed);
    struct rules_file *f = &r->hashed[r->n_hashed++];
    f->name = xstrdup(name);
    f->text = xstrndup(text, len);
    f->len = len;
}

/* A hook name is a file name: a slug, optionally ending in ".lua", so it
 * can only name a file directly inside hooks/ or lua/. */
static int hook_name_ok(const char *name)
{
    size_t n = strlen(name);
    char stem[128];
    if (n > 4 && strcmp(name + n - 4, ".lua") == 0)
        n -= 4;
    if (n == 0 || n >= sizeof stem)
        return 0;
    memcpy(stem, name, n);
    stem[n] = '\0';
    return is_slug(stem);
}

/* The file a hook name stands for: the practice's hooks/NAME.lua, else the
 * standard library's lua/NAME.lua (whose text then joins the rule-set
 * hash, as hooks/ files always do); NULL when neither is a regular file. */
static char *resolve_hook_file(struct loader *ld, const char *name)
{
    const char *base = name;
    size_t n = strlen(base);
    int has_ext = n > 4 && strcmp(base + n - 4, ".lua") == 0;
    char *p = xasprintf("%s/hooks/%s%s", ld->r->dir, base, has_ext ? "" : ".lua");
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
        return p;
    free(p);
    p = xasprintf("%s/lua/%s%s", ld->libdir, base, has_ext ? "" : ".lua");
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
        struct err e;
        size_t len;
        char *text = read_limited(p, &len, &ld->total_bytes, &e);
        if (text) {
            hash_file(ld, rel_name(ld, p), text, len);
            free(text);
        }
        return p;
    }
    free(p);
    return NULL;
}

static void read_struct(struct loader *ld, yaml_document_t *doc,
                        yaml_node_t *map, const struct kind *k, char *base);

/* The hook name closest to `name` among the practice's hooks/NAME.lua
 * and the standard library's lua/NAME.lua files (by NAME), copied into
 * out; 0 when none is close enough. */
static int suggest_hook(const struct loader *ld, const char *name, char *out,
                        size_t outsz)
{
    char stem[128];
    size_t n = strlen(name);
    if (n > 4 && strcmp(name + n - 4, ".lua") == 0)
        n -= 4;
    snprintf(stem, sizeof stem, "%.*s", (int)(n < 127 ? n : 127), name);
    int best_d = SUGGEST_DISTANCE + 1;
    for (int pass = 0; pass < 2; pass++) {
        char *dir = pass == 0 ? xasprintf("%s/hooks", ld->r->dir)
                              : xasprintf("%s/lua", ld->libdir);
        struct dirent **ents;
        int ne = scandir(dir, &ents, NULL, alphasort);
        for (int i = 0; i < ne; i++) {
            char cand[128];
            size_t l = strlen(ents[i]->d_name);
            if (l > 4 && l - 4 < sizeof cand &&
                strcmp(ents[i]->d_name + l - 4, ".lua") == 0) {
                snprintf(cand, sizeof cand, "%.*s", (int)(l - 4),
                         ents[i]->d_name);
                int d = edit_distance(stem, cand);
                /* "dayly" for daily_proration: a typo of its first word. */
                size_t sl = strlen(stem);
                if (d > SUGGEST_DISTANCE && sl >= 4 && strlen(cand) > sl &&
                    (cand[sl] == '_' || cand[sl] == '-')) {
                    char head[128];
                    snprintf(head, sizeof head, "%.*s", (int)sl, cand);
                    if (edit_distance(stem, head) <= 1)
                        d = SUGGEST_DISTANCE;
                }
                if (d < best_d) {
                    best_d = d;
                    snprintf(out, outsz, "%s", cand);
                }
            }
            free(ents[i]);
        }
        if (ne >= 0)
            free(ents);
        free(dir);
    }
    return best_d <= SUGGEST_DISTANCE;
}

/* The zone name closest to `tz` (an IANA name such as Europe/Amsterdam)
 * among the zone files of CIVIL_ZONEINFO, in the region directories
 * close to tz's region (or among the top-level names when tz has none),
 * copied into out; 0 when none is close enough. */
static int suggest_zone(const char *tz, char *out, size_t outsz)
{
    const char *slash = strchr(tz, '/');
    int best_d = SUGGEST_DISTANCE + 1;
    struct dirent **top;
    int nt = scandir(CIVIL_ZONEINFO, &top, NULL, alphasort);
    for (int i = 0; i < nt; i++) {
        const char *region = top[i]->d_name;
        if (region[0] == '.' || strlen(region) > 64) {
            free(top[i]);
            continue;
        }
        if (!slash) {
            int d = top[i]->d_type == DT_DIR ? 255
                                             : edit_distance(tz, region);
            if (d < best_d) {
                best_d = d;
                snprintf(out, outsz, "%s", region);
            }
        } else if ((size_t)(slash - tz) < 64) {
            char want[65];
            snprintf(want, sizeof want, "%.*s", (int)(slash - tz), tz);
            if (edit_distance(want, region) <= SUGGEST_DISTANCE) {
                char *dir = xasprintf("%s/%s", CIVIL_ZONEINFO, region);
                struct dirent **ents;
                int ne = scandir(dir, &ents, NULL, alphasort);
                for (int j = 0; j < ne; j++) {
                    char cand[140];
                    if (ents[j]->d_name[0] != '.' &&
                        ents[j]->d_type != DT_DIR &&
                        strlen(ents[j]->d_name) < 64) {
                        snprintf(cand, sizeof cand, "%s/%s", region,
                                 ents[j]->d_name);
                        int d = edit_distance(tz, cand);
                        if (d < best_d) {
                            best_d = d;
                            snprintf(out, outsz, "%s", cand);
                        }
                    }
                    free(ents[j]);
                }
                if (ne >= 0)
                    free(ents);
                free(dir);
            }
        }
        free(top[i]);
    }
    if (nt >= 0)
        free(top);
    return best_d <= SUGGEST_DISTANCE;
}

/* Set the defaults every element of a kind starts from. */
static void init_defaults(const struct kind *k, char *base)
{
    if (k->size == 0)
        return;
    for (const struct field *f = k->fields; f->key; f++) {
        if (f->type == FT_BOOL && strcmp(f->key, "active") == 0)
            *(int *)(base + f->off) = 1;
        else if (f->type == FT_DATE) /* an optional date left out */
            *(cdate *)(base + f->off) = CDATE_NONE;
        if (f->type == FT_DATE)
            *(cdate *)(base + f->off) = CDATE_NONE; /* not given */
    }
}


/* The range of every whole-number setting, by the kind it belongs to and
 * its key. A setting outside it is an error at its own line:col: a lead
 * time of a million days or a limit that wraps would be accepted and go
 * wrong much later, in a run. Settings not listed take 0..1,000,000. */
struct int_range {
    const char *kind, *key;
    int64_t min, max;
    const char *what;
};
static const struct int_range int_ranges[] = {
    {"direct_debit", "collection_days", 0, 90,
     "days from the invoice to the collection"},
    {"direct_debit", "days_before_period", 0, 60,
     "days a direct-debit invoice is made before its period"},
    {"smtp", "port", 1, 65535, "a TCP port"},
    {"smtp", "rate_limit", 0, 100000, "messages per minute"},
    {"hooks", "instruction_limit", 1000, 1000000000,
     "Lua instructions per hook call"},
    {"hooks", "memory_limit_kb", 1024, 1048576,
     "KiB of memory for the hooks, 1 MiB to 1 GiB"},
    {"mediation", "hours_reminder_day", 1, 28, "a day of the month"},
    {"mediation", "approval_reminder_days", 0, 60,
     "days before the approval reminder"},
    {"mediation", "client_invoice_day", 0, 28,
     "a day of the month (0: on approval)"},
    {"mediation", "commission_days_after", 0, 60,
     "days from the client invoice to the commission invoice"},
    {"practice", "payment_term_days", 0, 365, "days to pay an invoice"},
    {"discount_code", "periods", 0, 120, "periods a discount applies to"},
    {"discount_code", "max_redemptions", 0, 1000000,
     "times a code can be redeemed, 0 for no limit"},
    {"plan", "trial_days", 0, 365, "free days before the first period"},
    {"template", "delay_hours", 0, 8760, "hours, at most a year"},
    {"product", "credits", 0, 10000, "credits a product carries"},
    {"appointment_type", "credits", 0, 10000,
     "credits an appointment uses"},
    {NULL, NULL, 0, 0, NULL},
};

static const struct int_range *int_range_of(const char *kind, const char *key)
{
    for (const struct int_range *r = int_ranges; r->kind; r++)
        if (strcmp(r->kind, kind) == 0 && strcmp(r->key, key) == 0)
            return r;
    return NULL;
}

/* Read one value into the field at base + f->off. */
static void read_field(struct loader *ld, yaml_document_t *doc,
                       const struct field *f, yaml_node_t *v, char *base,
                       const char *what)
{
    struct place at = place_of(ld, v);
    const char *s = scalar(v);
    struct err e;
    void *dst = base + f->off;

    if (f->type == FT_WORDS && v->type == YAML_SEQUENCE_NODE) {
        struct sbuf b = {0};
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++) {
            yaml_node_t *item = yaml_document_get_node(doc, *it);
            const char *w = scalar(item);
            if (!w) {
                struct place ip = place_of(ld, item);
                diag_add(ld->dg, &ip, "each entry of '%s' must be a single "
                         "value, not %s", f->key, node_type_name(item));
                sb_free(&b);
                return;
            }
            if (b.len)
                sb_add(&b, ", ");
            sb_add(&b, w);
        }
        free(*(char **)dst);
        *(char **)dst = sb_steal(&b);
        return;
    }
    if (f->type != FT_MAP && f->type != FT_LIST && !s) {
        diag_add(ld->dg, &at, "'%s' in %s must be a single value, not %s",
                 f->key, what, node_type_name(v));
        return;
    }
    switch (f->type) {
    case FT_STR:
    case FT_WORDS:
        free(*(char **)dst);
        *(char **)dst = xstrdup(s);
        break;
    case FT_LOCALE:
        if (strcmp(s, "nl") && strcmp(s, "fr") && strcmp(s, "en")) {
            static const char *const locales[] = {"nl", "fr", "en", NULL};
            const char *best = suggest_from_list(s, locales, 1);
            diag_add(ld->dg, &at, "'%s' must be nl, fr or en, not '%s'%s%s%s",
                     f->key, s, best ? "; did you mean '" : "",
                     best ? best : "", best ? "'?" : "");
            return;
        }
        free(*(char **)dst);
        *(char **)dst = xstrdup(s);
        break;
    case FT_ID:
        if (!is_slug(s)) {
            diag_add(ld->dg, &at,
                     "'%s' must be a slug (lowercase letters, digits, '-' "
                     "and '_', starting with a letter or digit), not '%s'",
                     f->key, s);
            return;
        }
        free(*(char **)dst);
        *(char **)dst = xstrdup(s);
        break;
    case FT_MONEY: {
        int64_t c;
        if (money_parse(s, &c, &e) != 0 || c < 0) {
            diag_add(ld->dg, &at, "'%s' must be an amount like 45.00, not '%s'",
                     f->key, s);
            return;
        }
        *(int64_t *)dst = c;
        break;
    }
    case FT_INT:
    case FT_INT64: {
        int64_t x;
        const struct int_range *rg = int_range_of(what, f->key);
        if (int_parse(s, 0, INT64_MAX / 2, &x, &e) != 0) {
            diag_add(ld->dg, &at, "'%s' must be a whole number >= 0, not '%s'",
                     f->key, s);
            return;
        }
        if (rg && (x < rg->min || x > rg->max)) {
            diag_add(ld->dg, &at, "'%s' must be between %lld and %lld (%s), "
                     "not %s", f->key, (long long)rg->min,
                     (long long)rg->max, rg->what, s);
            return;
        }
        if (!rg && x > 1000000) {
            diag_add(ld->dg, &at, "'%s' must be between 0 and 1000000, not "
                     "%s", f->key, s);
            return;
        }
        if (f->type == FT_INT)
            *(int *)dst = (int)x;
        else
            *(int64_t *)dst = x;
        break;
    }
    case FT_BOOL:
        if (!strcmp(s, "true") || !strcmp(s, "yes"))
            *(int *)dst = 1;
        else if (!strcmp(s, "false") || !strcmp(s, "no"))
            *(int *)dst = 0;
        else {
            static const char *const bools[] = {"true", "false", NULL};
            const char *best = suggest_from_list(s, bools, SUGGEST_DISTANCE);
            diag_add(ld->dg, &at, "'%s' must be true or false, not '%s'%s%s%s",
                     f->key, s, best ? "; did you mean '" : "",
                     best ? best : "", best ? "'?" : "");
        }
        break;
    case FT_DATE:
        if (date_parse(s, (cdate *)dst, &e) != 0)
            diag_add(ld->dg, &at, "'%s': %s", f->key, e.msg);
        break;
    case FT_PERCENT: {
        int64_t bp;
        if (decimal_parse(s, 2, &bp, &e) != 0 || bp > 10000) {
            diag_add(ld->dg, &at,
                     "'%s' must be a percentage between 0 and 100 (e.g. 21 "
                     "or 5.5), not '%s'", f->key, s);
            return;
        }
        *(int32_t *)dst = (int32_t)bp;
        break;
    }
    case FT_ENUM: {
        for (int i = 0; f->choices[i]; i++)
            if (strcmp(f->choices[i], s) == 0) {
                *(int *)dst = i;
                return;
            }
        struct sbuf b = {0};
        for (int i = 0; f->choices[i]; i++)
            sb_printf(&b, "%s%s", i ? ", " : "", f->choices[i]);
        const char *best = suggest_from_list(s, f->choices, SUGGEST_DISTANCE);
        diag_add(ld->dg, &at, "'%s' must be one of %s, not '%s'%s%s%s",
                 f->key, sb_str(&b), s, best ? "; did you mean '" : "",
                 best ? best : "", best ? "'?" : "");
        sb_free(&b);
        break;
    }
    case FT_EVENT: {
        enum event ev;
        if (event_from_name(s, &ev) != 0) {
            /* Event names are long: one more edit still reads as a typo. */
            struct suggest sg;
            suggest_init(&sg, s, SUGGEST_DISTANCE + 1);
            for (int i = 0; i < EV_COUNT; i++)
                suggest_offer(&sg, event_names[i]);
            const char *best = suggest_best(&sg);
            if (best)
                diag_add(ld->dg, &at, "unknown event '%s'; did you mean '%s'?",
                         s, best);
            else
                diag_add(ld->dg, &at, "unknown event '%s'", s);
            /* No event: the placeholder checks leave the template be. */
            *(enum event *)dst = EV_COUNT;
            return;
        }
        *(enum event *)dst = ev;
        break;
    }
    case FT_REF: {
        ld->pend = xrealloc(ld->pend, (ld->n_pend + 1) * sizeof *ld->pend);
        struct pending *p = &ld->pend[ld->n_pend++];
        p->owner_kind = ld->cur_kind;
        p->index = ld->cur_index;
        p->list_off = ld->cur_list_off;
        p->list_size = ld->cur_list_size;
        p->list_index = ld->cur_list_index;
        p->off = f->off;
        p->target_kind = f->ref;
        p->id = xstrdup(s);
        p->at = at;
        p->key = f->key;
        break;
    }
    case FT_HOOK: {
        struct hook_binding *hb = dst;
        if (!hook_name_ok(s)) {
            diag_add(ld->dg, &at,
                     "hook '%s': a hook is named by its file in the "
                     "practice's hooks/ or the standard lua/ library (a "
                     "name like daily_proration, no '/' or '..')", s);
            return;
        }
        char *path = resolve_hook_file(ld, s);
        if (!path) {
            char best[128];
            if (suggest_hook(ld, s, best, sizeof best))
                diag_add(ld->dg, &at,
                         "hook '%s': no file hooks/%s.lua in the practice nor "
                         "lua/%s.lua in the standard library; did you mean "
                         "'%s'?", s, s, s, best);
            else
                diag_add(ld->dg, &at,
                         "hook '%s': no file hooks/%s.lua in the practice nor "
                         "lua/%s.lua in the standard library", s, s, s);
            return;
        }
        free(hb->file);
        free(hb->func);
        hb->file = path;
        hb->func = xstrdup(f->arg);
        hb->at = at;
        break;
    }
    case FT_DELAY: {
        char unit[16];
        int n = 0, used = 0;
        size_t nd = strspn(s, "0123456789");
        long long ln = 0;
        /* The count is read digit by digit: a long one saturates (and is
         * refused below as too long) instead of overflowing. */
        for (size_t i = 0; i < nd; i++)
            ln = ln > 100000000000LL ? ln : ln * 10 + (s[i] - '0');
        if (nd == 0 || sscanf(s + nd, " %15s%n", unit, &used) != 1 ||
            nd + (size_t)used != strlen(s) || s[nd] != ' ') {
            diag_add(ld->dg, &at,
                     "'%s' must be a delay like '3 days', '12 hours' or "
                     "'1 month', not '%s'", f->key, s);
            return;
        }
        enum delay_unit u;
        if (!strcmp(unit, "hour") || !strcmp(unit, "hours"))
            u = UNIT_HOURS;
        else if (!strcmp(unit, "day") || !strcmp(unit, "days"))
            u = UNIT_DAYS;
        else if (!strcmp(unit, "month") || !strcmp(unit, "months"))
            u = UNIT_MONTHS;
        else {
            static const char *const units[] = {"hours", "days", "months",
                                                NULL};
            const char *best = suggest_from_list(unit, units,
                                                 SUGGEST_DISTANCE);
            diag_add(ld->dg, &at,
                     "unknown unit '%s' in '%s' (expected hours, days or "
                     "months)%s%s%s", unit, f->key,
                     best ? "; did you mean '" : "", best ? best : "",
                     best ? "'?" : "");
            return;
        }
        /* Two years at most: a reminder later than that is a typo, and a
         * huge count would overflow the date arithmetic. */
        static const long long delay_max[] = {
            [UNIT_HOURS] = 17520, [UNIT_DAYS] = 730, [UNIT_MONTHS] = 24};
        static const char *const unit_name[] = {
            [UNIT_HOURS] = "hours", [UNIT_DAYS] = "days",
            [UNIT_MONTHS] = "months"};
        if (ln > delay_max[u]) {
            diag_add(ld->dg, &at, "'%s' must be at most %lld %s (two years), "
                     "not '%s'", f->key, delay_max[u], unit_name[u], s);
            return;
        }
        n = (int)ln;
        *(int *)dst = n;
        *(enum delay_unit *)(base + f->aux) = u;
        break;
    }
    case FT_MAP:
        if (v->type != YAML_MAPPING_NODE) {
            diag_add(ld->dg, &at, "'%s' must be a mapping, not %s", f->key,
                     node_type_name(v));
            return;
        }
        read_struct(ld, doc, v, f->sub, base);
        break;
    case FT_LIST: {
        if (v->type != YAML_SEQUENCE_NODE) {
            diag_add(ld->dg, &at, "'%s' must be a list, not %s", f->key,
                     node_type_name(v));
            return;
        }
        size_t n = (size_t)(v->data.sequence.items.top -
                            v->data.sequence.items.start);
        char *arr = xcalloc(n ? n : 1, f->sub->size);
        *(char **)dst = arr;
        *(size_t *)(base + f->aux) = n;
        size_t saved_off = ld->cur_list_off, saved_size = ld->cur_list_size;
        size_t saved_idx = ld->cur_list_index;
        ld->cur_list_off = f->off;
        ld->cur_list_size = f->sub->size;
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *item =
                yaml_document_get_node(doc, v->data.sequence.items.start[i]);
            ld->cur_list_index = i;
            if (item->type != YAML_MAPPING_NODE) {
                struct place ip = place_of(ld, item);
                diag_add(ld->dg, &ip, "each entry of '%s' must be a mapping",
                         f->key);
                continue;
            }
            init_defaults(f->sub, arr + i * f->sub->size);
            if (f->sub == &change_kind)
                ((struct price_change *)(arr + i * f->sub->size))->at =
                    place_of(ld, item);
            else if (f->sub == &step_kind)
                ((struct reminder_step *)(arr + i * f->sub->size))->at =
                    place_of(ld, item);
            read_struct(ld, doc, item, f->sub, arr + i * f->sub->size);
        }
        ld->cur_list_off = saved_off;
        ld->cur_list_size = saved_size;
        ld->cur_list_index = saved_idx;
        break;
    }
    }
}

/* Remember where a template's subject or body text starts, so that a
 * placeholder error points at its line and column inside the file. */
static void note_text_place(struct loader *ld, const yaml_node_t *kn,
                            const yaml_node_t *vn, char *base, const char *key)
{
    struct template_def *t = (struct template_def *)base;
    struct place p = place_of(ld, vn);
    yaml_scalar_style_t st = vn->data.scalar.style;
    if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) {
        /* The text starts below the '|', at the block's indentation:
         * that of its first line that is not blank. */
        const char *s = ld->text + vn->start_mark.index;
        int indent = 0;
        while (*s && *s != '\n')
            s++;
        while (*s == '\n') {
            s++;
            for (indent = 0; s[indent] == ' '; indent++)
                ;
            if (s[indent] != '\n')
                break;
            s += indent;
        }
        p.line += 1;
        p.col = indent + 1;
    } else if (st != YAML_PLAIN_SCALAR_STYLE) {
        p.col += 1;                       /* skip the opening quote */
    }
    if (strcmp(key, "subject") == 0)
        t->subject_at = p;
    else if (strcmp(key, "body") == 0)
        t->body_at = p;
}

static void read_struct(struct loader *ld, yaml_document_t *doc,
                        yaml_node_t *map, const struct kind *k, char *base)
{
    uint64_t seen = 0; /* bit per field index (< 64 fields per kind) */
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
         pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(doc, pr->value);
        const char *key = scalar(kn);
        const struct field *f = NULL;
        int idx = 0;
        for (const struct field *g = k->fields; key && g->key; g++, idx++)
            if (strcmp(g->key, key) == 0) {
                f = g;
                break;
            }
        if (!f) {
            unknown_key(ld, kn, k->name, k->fields);
            continue;
        }
        if (seen & ((uint64_t)1 << idx)) {
            struct place at = place_of(ld, kn);
            diag_add(ld->dg, &at, "duplicate key '%s' in %s", key, k->name);
            continue;
        }
        seen |= (uint64_t)1 << idx;
        read_field(ld, doc, f, vn, base, k->name);
        if (f->type != FT_MAP)
            note_field(ld, f->off, kn, vn);
        if (k == &practice_kind && strcmp(key, "iban") == 0)
            ld->iban_at = place_of(ld, vn);
        else if (k == &practice_kind && strcmp(key, "creditor_id") == 0)
            ld->creditor_at = place_of(ld, vn);
        else if (k == &practice_kind && strcmp(key, "bic") == 0)
            ld->bic_at = place_of(ld, vn);
        else if (k == &practice_kind && strcmp(key, "siret") == 0)
            ld->siret_at = place_of(ld, vn);
        else if (k == &practice_kind && strcmp(key, "country") == 0)
            ld->country_at = place_of(ld, vn);
        else if (k == &practice_kind && strcmp(key, "currency") == 0)
            ld->currency_at = place_of(ld, vn);
        else if (k == &practice_kind && strcmp(key, "timezone") == 0)
            ld->timezone_at = place_of(ld, vn);
        else if (k == &practice_kind &&
                 strcmp(key, "invoice_number_format") == 0)
            ld->numfmt_at = place_of(ld, vn);
        else if (k == &practice_kind &&
                 strcmp(key, "credit_note_number_format") == 0)
            ld->crednumfmt_at = place_of(ld, vn);
        else if (k == &mediation_kind &&
                 strcmp(key, "supplier_number_format") == 0)
            ld->supnumfmt_at = place_of(ld, vn);
        if (k->fields == template_fields && vn->type == YAML_SCALAR_NODE)
            note_text_place(ld, kn, vn, base, key);
    }
    int idx = 0;
    for (const struct field *f = k->fields; f->key; f++, idx++)
        if ((f->flags & REQ) && !(seen & ((uint64_t)1 << idx))) {
            struct place at = place_of(ld, map);
            diag_add(ld->dg, &at, "%s is missing required key '%s'", k->name,
                     f->key);
        }
}

static void load_file(struct loader *ld, const char *path);

static void read_include(struct loader *ld, yaml_document_t *doc,
                         yaml_node_t *v)
{
    yaml_node_item_t *start = NULL, *top = NULL;
    yaml_node_item_t one;
    if (v->type == YAML_SCALAR_NODE) {
        one = (yaml_node_item_t)(v - doc->nodes.start + 1);
        start = &one, top = &one + 1;
    } else if (v->type == YAML_SEQUENCE_NODE) {
        start = v->data.sequence.items.start;
        top = v->data.sequence.items.top;
    } else {
        struct place at = place_of(ld, v);
        diag_add(ld->dg, &at, "'include' must be a rule-set name or a list");
        return;
    }
    for (yaml_node_item_t *it = start; it < top; it++) {
        yaml_node_t *n = yaml_document_get_node(doc, *it);
        const char *name = scalar(n);
        struct place at = place_of(ld, n);
        if (!name || !is_slug(name)) {
            diag_add(ld->dg, &at, "include: '%s' is not a rule-set name",
                     name ? name : "?");
            continue;
        }
        int dup = 0;
        for (size_t i = 0; i < ld->n_included; i++)
            dup |= strcmp(ld->included[i], name) == 0;
        if (dup)
            continue;
        ld->included = xrealloc(ld->included,
                                (ld->n_included + 1) * sizeof *ld->included);
        ld->included[ld->n_included++] = xstrdup(name);
        char *dir = xasprintf("%s/rules/%s", ld->libdir, name);
        struct dirent **ents;
        int ne = scandir(dir, &ents, NULL, alphasort);
        if (ne < 0) {
            diag_add(ld->dg, &at, "include: no rule set '%s' (looked in %s)",
                     name, dir);
            free(dir);
            continue;
        }
        const char *saved = ld->file;
        for (int i = 0; i < ne; i++) {
            size_t l = strlen(ents[i]->d_name);
            if (l > 5 && strcmp(ents[i]->d_name + l - 5, ".yaml") == 0) {
                char *p = xasprintf("%s/%s", dir, ents[i]->d_name);
                load_file(ld, p);
                free(p);
            }
            free(ents[i]);
        }
        free(ents);
        ld->file = saved;
        free(dir);
    }
}

static void read_section(struct loader *ld, yaml_document_t *doc, int ki,
                         yaml_node_t *v)
{
    const struct kind *k = &kinds[ki];
    if (v->type != YAML_SEQUENCE_NODE) {
        struct place at = place_of(ld, v);
        diag_add(ld->dg, &at, "'%s' must be a list of %s definitions",
                 k->section, k->name);
        return;
    }
    char **arr = (char **)((char *)ld->r + k->arr_off);
    size_t *count = (size_t *)((char *)ld->r + k->count_off);
    for (yaml_node_item_t *it = v->data.sequence.items.start;
         it < v->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(doc, *it);
        struct place at = place_of(ld, item);
        if (item->type != YAML_MAPPING_NODE) {
            diag_add(ld->dg, &at, "each entry of '%s' must be a mapping",
                     k->section);
            continue;
        }
        *arr = xrealloc(*arr, (*count + 1) * k->size);
        char *base = *arr + *count * k->size;
        memset(base, 0, k->size);
        struct def *d = (struct def *)base;
        d->kind = k->name;
        d->at = at;
        init_defaults(k, base);
        ld->cur_kind = ki;
        ld->cur_index = *count;
        ld->cur_list_off = 0;
        read_struct(ld, doc, item, k, base);
        (*count)++;
    }
}

static const char *const top_keys[] = {
    "include", "practice", "vat_rates", "subscription_types", "packages",
    "products", "appointment_types", "plans", "discount_codes", "templates",
    "reminder_schedules", "placements", NULL};

/* The name a file is hashed under: relative to the practice directory
 * or to libdir, so the hash does not depend on where they live. */
static const char *rel_name(const struct loader *ld, const char *path)
{
    size_t n = strlen(ld->r->dir);
    if (strncmp(path, ld->r->dir, n) == 0 && path[n] == '/')
        return path + n + 1;
    n = strlen(ld->libdir);
    if (strncmp(path, ld->libdir, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* ================================================================ limits */

/* Rule files come from a consultant's hand, sometimes a careless or
 * hostile one, and every command loads them: nothing in them may make a
 * load slow or large. A practice's YAML and hook files are small (the
 * example practice has 6 KB of YAML in all), so the limits leave ample
 * room and still bound the work:
 *   RULE_FILE_MAX   bytes of one rule or hook file (1 MiB)
 *   RULE_TOTAL_MAX  bytes of all of them together (8 MiB)
 *   NODE_BUDGET     YAML nodes a file may hold once its aliases are
 *                   expanded, as the reader walks it (200,000: a rule set
 *                   with a thousand definitions uses a few percent; a
 *                   36 KB alias bomb expands to hundreds of millions)
 *   DEPTH_MAX       nesting of mappings and lists (32; rule files use 6)
 * Files must be regular files (a symlink to /dev/zero or a FIFO is
 * refused before it is read), hold one YAML document, and no string may
 * contain a NUL (it would cut the string short). */
#define RULE_FILE_MAX (1024 * 1024)
#define RULE_TOTAL_MAX (8 * 1024 * 1024)
#define NODE_BUDGET 200000
#define DEPTH_MAX 32

/* Read a rule or hook file within the limits above; NULL with e set
 * otherwise. *total adds up the bytes read so far (NULL: not counted). */
static char *read_limited(const char *path, size_t *len, size_t *total,
                          struct err *e)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        err_set(e, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        err_set(e, "%s: not a regular file (rule and hook files must be "
                   "plain files)", path);
        return NULL;
    }
    if (st.st_size > RULE_FILE_MAX) {
        err_set(e, "%s: %lld bytes, more than the %d a rule or hook file "
                   "may have", path, (long long)st.st_size, RULE_FILE_MAX);
        return NULL;
    }
    if (total && *total + (size_t)st.st_size > RULE_TOTAL_MAX) {
        err_set(e, "%s: the rule and hook files together exceed %d bytes",
                path, RULE_TOTAL_MAX);
        return NULL;
    }
    char *text = file_read(path, len, e);
    if (text && *len > RULE_FILE_MAX) { /* it grew while we looked */
        err_set(e, "%s: more than %d bytes", path, RULE_FILE_MAX);
        free(text);
        return NULL;
    }
    if (text && total)
        *total += *len;
    return text;
}

struct walk {
    struct loader *ld;
    yaml_document_t *doc;
    long nodes;
    int failed;
};

/* Walk the document as the reader will (aliases expanded): refuse it when
 * it exceeds NODE_BUDGET nodes or DEPTH_MAX levels, or holds a NUL in a
 * string. Reports one problem and stops. */
static void walk_node(struct walk *w, yaml_node_t *n, int depth)
{
    if (w->failed || !n)
        return;
    struct place at = place_of(w->ld, n);
    if (++w->nodes > NODE_BUDGET) {
        diag_add(w->ld->dg, &at, "the YAML expands to more than %d nodes "
                 "(aliases are counted each time they are used); rule "
                 "files are limited to keep every load quick", NODE_BUDGET);
        w->failed = 1;
        return;
    }
    if (depth > DEPTH_MAX) {
        diag_add(w->ld->dg, &at, "the YAML nests deeper than %d levels "
                 "(or an alias contains itself)", DEPTH_MAX);
        w->failed = 1;
        return;
    }
    switch (n->type) {
    case YAML_SCALAR_NODE:
        if (memchr(n->data.scalar.value, '\0', n->data.scalar.length)) {
            diag_add(w->ld->dg, &at, "a NUL character (\\0) in a string is "
                     "refused");
            w->failed = 1;
        }
        break;
    case YAML_SEQUENCE_NODE:
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top && !w->failed; it++)
            walk_node(w, yaml_document_get_node(w->doc, *it), depth + 1);
        break;
    case YAML_MAPPING_NODE:
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
             pr < n->data.mapping.pairs.top && !w->failed; pr++) {
            walk_node(w, yaml_document_get_node(w->doc, pr->key), depth + 1);
            walk_node(w, yaml_document_get_node(w->doc, pr->value),
                      depth + 1);
        }
        break;
    default:
        break;
    }
}

/* 0 when the document is within the limits, -1 (reported) otherwise. */
static int doc_within_limits(struct loader *ld, yaml_document_t *doc)
{
    struct walk w = {ld, doc, 0, 0};
    walk_node(&w, yaml_document_get_root_node(doc), 1);
    return w.failed ? -1 : 0;
}

/* Line `line` (0-based) of the current file's text: its start, and its
 * length in *n (without the line end); NULL past the end. */
static const char *source_line(const struct loader *ld, size_t len,
                               size_t line, size_t *n)
{
    const char *s = ld->text, *end = ld->text + len;
    for (size_t i = 0; i < line && s < end; i++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            return NULL;
        s = nl + 1;
    }
    if (s >= end)
        return NULL;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    *n = (size_t)((nl ? nl : end) - s);
    if (*n && s[*n - 1] == '\r')
        (*n)--;
    return s;
}

/* The innermost '[' or '{' the text leaves open at its end (outside
 * quotes and comments): 1 with its 0-based line and column, else 0. */
static int open_bracket(const char *t, size_t len, size_t *line, size_t *col)
{
    size_t stack_l[64], stack_c[64], depth = 0, l = 0, c = 0;
    char quote = 0;
    int comment = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = t[i];
        if (ch == '\n') {
            l++, c = 0, comment = 0;
            continue;
        }
        if (comment) {
        } else if (quote) {
            if (ch == quote)
                quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '#' && (i == 0 || t[i - 1] == ' ' ||
                                 t[i - 1] == '\t')) {
            comment = 1;
        } else if (ch == '[' || ch == '{') {
            if (depth < 64) {
                stack_l[depth] = l;
                stack_c[depth] = c;
            }
            depth++;
        } else if ((ch == ']' || ch == '}') && depth) {
            depth--;
        }
        if (((unsigned char)ch & 0xC0) != 0x80)
            c++;
    }
    if (!depth || depth > 64)
        return 0;
    *line = stack_l[depth - 1];
    *col = stack_c[depth - 1];
    return 1;
}

/* What libyaml says, in words a consultant can act on, with a hint: tabs
 * in the indentation, keys or list entries out of line, an unquoted ':',
 * a quote or bracket not closed. mk is where the parser stopped, ctx
 * where the construct it was reading started. */
static void yaml_explain(const yaml_parser_t *ps, const char *src, size_t n,
                         int prev_indent, const yaml_mark_t *open,
                         struct sbuf *msg, struct sbuf *hint)
{
    const char *problem = ps->problem ? ps->problem : "unknown problem";
    const char *context = ps->context ? ps->context : "";
    size_t col = ps->problem_mark.column;
    int ctx_line = (int)ps->context_mark.line + 1;
    int ctx_col = (int)ps->context_mark.column + 1;
    size_t lead = 0;
    int tab = 0;
    for (; src && lead < n && (src[lead] == ' ' || src[lead] == '\t'); lead++)
        tab |= src[lead] == '\t';
    if (src && col < n && src[col] == '\t')
        tab = 1;
    if (tab) {
        sb_add(msg, "a tab character in the indentation");
        sb_add(hint, "YAML indents with spaces only: replace the tabs at the "
                     "start of this line with spaces");
    } else if (strstr(problem, "mapping values are not allowed") &&
               prev_indent >= 0 && (int)lead > prev_indent &&
               src && lead < n && src[lead] != '-') {
        sb_add(msg, "this line is indented deeper than the key above it");
        sb_printf(hint, "the keys of one mapping start in the same column "
                        "(the line above starts at column %d); a value that "
                        "goes on over several lines must be quoted or "
                        "written as a block ('|')", prev_indent + 1);
    } else if (strstr(problem, "mapping values are not allowed")) {
        sb_add(msg, "a ': ' inside a value");
        sb_add(hint, "a value that contains ': ' must be quoted "
                     "(\"...\")");
    } else if (strstr(problem, "did not find expected key")) {
        sb_add(msg, "this line does not line up with the keys of its "
                    "mapping");
        sb_printf(hint, "the keys of one mapping start in the same column: "
                        "the mapping begun at line %d starts at column %d",
                  ctx_line, ctx_col);
    } else if (strstr(problem, "did not find expected '-' indicator")) {
        sb_add(msg, "this line does not line up with the entries of its "
                    "list");
        sb_printf(hint, "every '- ' entry of one list starts in the same "
                        "column: the list begun at line %d starts at column "
                        "%d", ctx_line, ctx_col);
    } else if (strstr(problem, "found unexpected end of stream") &&
               strstr(context, "quoted scalar")) {
        sb_add(msg, "a quoted value is not closed");
        sb_printf(hint, "the quote opened at line %d, column %d has no "
                        "closing quote", ctx_line, ctx_col);
    } else if (strstr(context, "flow")) {
        if (!src && open)
            sb_printf(msg, "the '%c' at line %d, column %d is never closed",
                      open->index ? '{' : '[', (int)open->line + 1,
                      (int)open->column + 1);
        else if (open && open->line < ps->problem_mark.line)
            sb_printf(msg, "the '%c' at line %d, column %d is not closed "
                           "on its line", open->index ? '{' : '[',
                      (int)open->line + 1, (int)open->column + 1);
        else if (!src)
            sb_add(msg, "a '[' or '{' is never closed");
        else
            sb_add(msg, "a stray character in a list or mapping in "
                        "brackets");
        sb_add(hint, "entries in brackets are separated by ',' and the "
                     "brackets close with ']' or '}' (or write the list "
                     "one '- ' entry a line)");
    } else if (strstr(problem, "cannot start any token")) {
        char c = src && col < n ? src[col] : '?';
        sb_printf(msg, "a value cannot start with '%c'", c);
        sb_add(hint, "put the value in quotes (\"...\")");
    } else if (strstr(problem, "found undefined alias")) {
        sb_add(msg, "an alias ('*name') refers to no anchor ('&name')");
        sb_add(hint, "define the anchor before the alias, or quote a value "
                     "that starts with '*'");
    } else {
        sb_printf(msg, "%s%s%s", problem, *context ? " " : "", context);
    }
}

/* Report the parser's syntax error at its line:col, with the source line,
 * a caret under the column and a hint. len: the text's length. */
static void yaml_syntax_error(struct loader *ld, const yaml_parser_t *ps,
                              size_t len)
{
    struct place at = {ld->file, (int)ps->problem_mark.line + 1,
                       (int)ps->problem_mark.column + 1};
    size_t n = 0;
    const char *src = source_line(ld, len, ps->problem_mark.line, &n);
    struct sbuf msg = {0}, hint = {0}, out = {0};
    /* Past the last line (a bracket or quote left open): show where the
     * unfinished part starts. */
    yaml_mark_t mk = ps->problem_mark, open = {0, 0, 0};
    size_t ol, oc;
    /* The bracket left open before the place the parser stopped. */
    size_t upto = len;
    if (src) {
        size_t b = 0;
        for (size_t c = 0; b < n && c < ps->problem_mark.column; c++)
            for (b++; b < n && ((unsigned char)src[b] & 0xC0) == 0x80; b++)
                ;
        upto = (size_t)(src - ld->text) + b;
    }
    int have_open = (!src || (ps->context && strstr(ps->context, "flow"))) &&
                    open_bracket(ld->text, upto, &ol, &oc);
    if (have_open) {
        size_t on;
        open.line = ol;
        open.column = oc;
        const char *os = source_line(ld, len, ol, &on);
        open.index = os && oc < on && os[oc] == '{'; /* 1: a '{' */
    }
    /* The indentation of the closest line above that holds a key. */
    int prev_indent = -1;
    for (size_t l = ps->problem_mark.line; src && l > 0 && prev_indent < 0;
         l--) {
        size_t pn;
        const char *pl = source_line(ld, len, l - 1, &pn);
        size_t k = 0;
        while (pl && k < pn && pl[k] == ' ')
            k++;
        if (pl && k < pn && pl[k] != '#')
            prev_indent = (int)k + (pl[k] == '-' ? 2 : 0);
    }
    yaml_explain(ps, src, n, prev_indent, have_open ? &open : NULL, &msg,
                 &hint);
    if (!src && have_open) {
        mk = open;
        src = source_line(ld, len, mk.line, &n);
        at.line = (int)mk.line + 1;
        at.col = (int)mk.column + 1;
    } else if (!src && ps->context) {
        mk = ps->context_mark;
        src = source_line(ld, len, mk.line, &n);
        at.line = (int)mk.line + 1;
        at.col = (int)mk.column + 1;
    }
    ld->syntax_errors++;
    sb_printf(&out, "YAML syntax error: %s", sb_str(&msg));
    if (src) {
        /* The line as it is (tabs shown as one space, so the caret lines
         * up), cut at 160 bytes. */
        sb_printf(&out, "\n  %5d | ", (int)mk.line + 1);
        size_t shown = n < 160 ? n : 160, caret = 0, col = 0;
        for (size_t i = 0; i < shown; i++) {
            unsigned char c = (unsigned char)src[i];
            if ((c & 0xC0) != 0x80 && col++ < mk.column)
                caret++;
            sb_addc(&out, c == '\t' || c < 0x20 ? ' ' : (char)c);
        }
        sb_add(&out, "\n        | ");
        for (size_t i = 0; i < caret; i++)
            sb_addc(&out, ' ');
        sb_addc(&out, '^');
    }
    if (hint.len)
        sb_printf(&out, "\n  hint: %s", sb_str(&hint));
    diag_add(ld->dg, &at, "%s", sb_str(&out));
    sb_free(&msg);
    sb_free(&hint);
    sb_free(&out);
}

static void load_file(struct loader *ld, const char *path)
{
    struct err e;
    size_t len;
    char *text = read_limited(path, &len, &ld->total_bytes, &e);
    struct rules *r = ld->r;
    r->files = xrealloc(r->files, (r->n_files + 1) * sizeof *r->files);
    r->files[r->n_files++] = xstrdup(path);
    ld->file = r->files[r->n_files - 1];
    if (!text) {
        diag_add(ld->dg, NULL, "%s", e.msg);
        return;
    }
    hash_file(ld, rel_name(ld, path), text, len);
    const char *saved_text = ld->text;
    ld->text = text;

    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_syntax_error(ld, &parser, len);
        yaml_parser_delete(&parser);
        ld->text = saved_text;
        free(text);
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_document_t next;
    if (root && doc_within_limits(ld, &doc) != 0) {
        root = NULL; /* reported; read nothing of it */
    } else if (yaml_parser_load(&parser, &next)) {
        /* Definitions after a second '---' would be silently ignored. */
        if (yaml_document_get_root_node(&next)) {
            struct place at = {ld->file, (int)next.start_mark.line + 1,
                               (int)next.start_mark.column + 1};
            diag_add(ld->dg, &at, "a second YAML document ('---'): a rule "
                     "file holds one document; put the definitions in "
                     "another file or remove the '---'");
        }
        yaml_document_delete(&next);
    } else {
        yaml_syntax_error(ld, &parser, len);
    }
    if (!root) {
        /* an empty file defines nothing */
    } else if (root->type != YAML_MAPPING_NODE) {
        struct place at = place_of(ld, root);
        diag_add(ld->dg, &at, "a rule file must be a mapping of sections "
                              "(practice, vat_rates, subscription_types, ...)");
    } else {
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
             pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *kn = yaml_document_get_node(&doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(&doc, pr->value);
            const char *key = scalar(kn);
            struct place at = place_of(ld, kn);
            if (key && strcmp(key, "include") == 0) {
                const char *saved = ld->file;
                read_include(ld, &doc, vn);
                ld->file = saved;
            } else if (key && strcmp(key, "practice") == 0) {
                if (r->have_practice) {
                    diag_add(ld->dg, &at, "practice settings are defined "
                             "twice (first at %s:%d)", r->practice.at.file,
                             r->practice.at.line);
                } else if (vn->type != YAML_MAPPING_NODE) {
                    diag_add(ld->dg, &at, "'practice' must be a mapping");
                } else {
                    r->have_practice = 1;
                    r->practice.at = at;
                    ld->cur_kind = -1;
                    ld->cur_index = 0;
                    ld->cur_list_off = 0;
                    read_struct(ld, &doc, vn, &practice_kind,
                                (char *)&r->practice);
                }
            } else {
                int found = -1;
                for (int i = 0; key && i < K_COUNT; i++)
                    if (strcmp(kinds[i].section, key) == 0)
                        found = i;
                if (found >= 0) {
                    read_section(ld, &doc, found, vn);
                } else {
                    const char *best =
                        key ? suggest_from_list(key, top_keys,
                                                SUGGEST_DISTANCE)
                            : NULL;
                    if (best)
                        diag_add(ld->dg, &at, "unknown section '%s'; did you "
                                 "mean '%s'?", key ? key : "?", best);
                    else
                        diag_add(ld->dg, &at, "unknown section '%s' (expected "
                                 "practice, vat_rates, subscription_types, "
                                 "packages, products, appointment_types, "
                                 "plans, discount_codes, templates, "
                                 "reminder_schedules, placements or include)",
                                 key ? key : "?");
                }
            }
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    ld->text = saved_text;
    free(text);
}

/* ================================================================ checks */

static struct def *def_at(struct rules *r, int ki, size_t i)
{
    char *arr = *(char **)((char *)r + kinds[ki].arr_off);
    return (struct def *)(arr + i * kinds[ki].size);
}

static size_t def_count(const struct rules *r, int ki)
{
    return *(const size_t *)((const char *)r + kinds[ki].count_off);
}

/* The index of definition d in its kind's array. */
static size_t def_index(const struct rules *r, int ki, const struct def *d)
{
    const char *arr = *(char *const *)((const char *)r + kinds[ki].arr_off);
    return (size_t)((const char *)d - arr) / kinds[ki].size;
}

static struct def *find_def(struct rules *r, int ki, const char *id)
{
    size_t n = def_count(r, ki);
    for (size_t i = 0; i < n; i++) {
        struct def *d = def_at(r, ki, i);
        if (d->id && strcmp(d->id, id) == 0)
            return d;
    }
    return NULL;
}

static void resolve_refs(struct loader *ld)
{
    for (size_t i = 0; i < ld->n_pend; i++) {
        struct pending *p = &ld->pend[i];
        struct def *target = find_def(ld->r, p->target_kind, p->id);
        if (!target) {
            size_t n = def_count(ld->r, p->target_kind);
            const char *best =
                n ? suggest_from_array(p->id, def_at(ld->r, p->target_kind, 0),
                                       n, kinds[p->target_kind].size,
                                       offsetof(struct def, id),
                                       SUGGEST_DISTANCE)
                  : NULL;
            if (best)
                diag_add(ld->dg, &p->at, "'%s' refers to undefined %s '%s'; "
                         "did you mean '%s'?", p->key,
                         kinds[p->target_kind].name, p->id, best);
            else
                diag_add(ld->dg, &p->at, "'%s' refers to undefined %s '%s'",
                         p->key, kinds[p->target_kind].name, p->id);
            continue;
        }
        char *base = (char *)def_at(ld->r, p->owner_kind, p->index);
        if (p->list_off)
            base = *(char **)(base + p->list_off) + p->list_index * p->list_size;
        *(void **)(base + p->off) = target;
    }
}

struct tcheck {
    struct diag *dg;
    const struct place *at;
    const char *field;
};

static void template_bad(void *arg, int line, int col, const char *msg)
{
    struct tcheck *tc = arg;
    /* Block scalars start on the line after the key; plain ones on it. */
    struct place p = {tc->at->file, tc->at->line + line - 1,
                      tc->at->col + col - 1};
    diag_add(tc->dg, &p, "template %s: %s", tc->field, msg);
}

static void check_unique_ids(struct loader *ld)
{
    for (int ki = 0; ki < K_COUNT; ki++) {
        size_t n = def_count(ld->r, ki);
        for (size_t i = 0; i < n; i++) {
            struct def *a = def_at(ld->r, ki, i);
            for (size_t j = 0; a->id && j < i; j++) {
                struct def *b = def_at(ld->r, ki, j);
                if (b->id && strcmp(a->id, b->id) == 0) {
                    diag_add(ld->dg,
                             field_at(ld, ki, i, 0, 0,
                                      offsetof(struct def, id), &a->at),
                             "%s '%s' is defined twice (first at %s:%d)",
                             kinds[ki].name, a->id, b->at.file, b->at.line);
                    break;
                }
            }
        }
    }
}

static int cmp_change(const void *a, const void *b)
{
    const struct price_change *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

/* 1 when s is NULL or only white space. */
static int blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return 0;
    return 1;
}

/* What a practice with e-invoices on must give for every UBL file to be
 * valid Peppol BIS Billing 3.0: the seller's VAT id, an electronic
 * address (KvK 0106, Belgian enterprise number 0208 in kvk, or a Dutch
 * or Belgian VAT number 9944/9925), the IBAN of the payment means, a
 * postal address "street" + "postcode city", and an exemption text
 * (the exemption reason) on every exempt rate. */
static void check_einvoice(struct loader *ld)
{
    const struct rules *r = ld->r;
    const struct practice *p = &r->practice;
    const char *mode = einvoice_modes[p->einvoice];
    const struct place *at = PRACTICE_AT(ld, einvoice);
    if (blank(p->vat_number))
        diag_add(ld->dg, at, "einvoice: %s needs the practice's "
                 "vat_number (the seller's VAT id on every e-invoice)", mode);
    if (blank(p->kvk) && (blank(p->vat_number) ||
                          (strncmp(p->vat_number, "NL", 2) &&
                           strncmp(p->vat_number, "BE", 2))))
        diag_add(ld->dg, at, "einvoice: %s needs the practice's kvk "
                 "(Peppol scheme 0106, or a Belgian enterprise number: 0208) "
                 "or a Dutch or Belgian vat_number (9944, 9925) as its "
                 "electronic address", mode);
    if (blank(p->iban))
        diag_add(ld->dg, at, "einvoice: %s needs the practice's iban "
                 "(the payment means of every e-invoice)", mode);
    const char *nl = p->address ? strrchr(p->address, '\n') : NULL;
    if (!nl || nl[1] < '0' || nl[1] > '9' || !strchr(nl + 1, ' '))
        diag_add(ld->dg, PRACTICE_AT(ld, address), "einvoice: %s needs "
                 "the practice's address as a street line and a last line 'postcode city' (e.g. "
                 "\"Lindelaan 12\\n3511 AB Utrecht\")", mode);
    for (size_t i = 0; i < r->n_vat_rates; i++) {
        const struct vat_rate *v = &r->vat_rates[i];
        if (v->exempt && v->exempt_text && blank(v->exempt_text))
            diag_add(ld->dg, DEF_AT(ld, K_VAT, struct vat_rate, v,
                                    exempt_text),
                     "vat_rate '%s' is exempt: e-invoices (einvoice: %s) need its exempt_text as the exemption "
                     "reason", v->d.id, mode);
    }
}

/* The practice's seat: `country` is two letters (ISO 3166 alpha-2) and
 * `siret` 14 digits (spaces allowed), as printed on French invoices. */
static void check_seat(struct loader *ld, const struct practice *p)
{
    static const char LETTERS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "abcdefghijklmnopqrstuvwxyz";
    const char *c = p->country;
    if (c && (strlen(c) != 2 || !strchr(LETTERS, c[0]) ||
              !strchr(LETTERS, c[1])))
        diag_add(ld->dg, &ld->country_at, "practice country '%s' is not a "
                 "two-letter country code (NL, BE, FR, ...)", c);
    if (p->siret) {
        int digits = 0, other = 0;
        for (const char *s = p->siret; *s; s++)
            if (*s >= '0' && *s <= '9')
                digits++;
            else if (*s != ' ')
                other++;
        if (digits != 14 || other)
            diag_add(ld->dg, &ld->siret_at,
                     "practice siret '%s' is not 14 digits", p->siret);
    }
}

/* The practice's kvk (a KvK number, or a Belgian enterprise number of
 * 10 digits) and vat_number in their formats (formats/taxid.h). */
static void check_tax_ids(struct loader *ld, const struct practice *p)
{
    const char *why;
    if (p->kvk) {
        size_t digits = 0;
        for (const char *s = p->kvk; *s; s++)
            digits += *s >= '0' && *s <= '9';
        why = digits == 10 ? enterprise_number_problem(p->kvk)
                           : kvk_problem(p->kvk);
        if (why)
            diag_add(ld->dg, PRACTICE_AT(ld, kvk), "practice kvk '%s' %s%s",
                     p->kvk, why, digits == 10 ? "" : ", or a Belgian "
                     "enterprise number of 10 digits");
    }
    if (p->vat_number && (why = vat_number_problem(p->vat_number)))
        diag_add(ld->dg, PRACTICE_AT(ld, vat_number),
                 "practice vat_number '%s' %s", p->vat_number, why);
}

/* The widest {seq:N} an invoice number may ask for: the number
 * formatter's limit (NUMBERING_SEQ_WIDTH_MAX of decide/numbering.h, which
 * reads N of any number of digits); 18 digits hold any sequence number. */
#define SEQ_WIDTH_MAX 18

/* A number format may hold {year}, {seq}, {seq:N} (N = 1..SEQ_WIDTH_MAX)
 * and {supplier}; anything else in braces is an error at its place. */
static void check_number_format(struct loader *ld, const char *fmt,
                                const struct place *at, const char *key)
{
    static const char *const names[] = {"year", "seq", "supplier", NULL};
    const struct place *where = at->file ? at : &ld->r->practice.at;
    for (const char *p = strchr(fmt, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end) {
            diag_add(ld->dg, where, "%s '%s' has a '{' without '}'", key, fmt);
            return;
        }
        char tok[40];
        size_t n = (size_t)(end - p - 1);
        snprintf(tok, sizeof tok, "%.*s", (int)(n < 39 ? n : 39), p + 1);
        if (strncmp(tok, "seq:", 4) == 0) {
            const char *d = tok + 4;
            int ok = *d && strspn(d, "0123456789") == strlen(d);
            long w = ok ? strtol(d, NULL, 10) : 0;
            if (!ok || w < 1 || w > SEQ_WIDTH_MAX)
                diag_add(ld->dg, where, "%s '%s': {seq:N} takes a width N "
                         "from 1 to %d, not '%s'", key, fmt, SEQ_WIDTH_MAX, d);
            continue;
        }
        int known = 0;
        for (int i = 0; names[i]; i++)
            known |= strcmp(tok, names[i]) == 0;
        if (!known) {
            const char *best = suggest_from_list(tok, names, SUGGEST_DISTANCE);
            if (best)
                diag_add(ld->dg, where, "%s '%s': unknown placeholder "
                         "{%s}; did you mean {%s}?", key, fmt, tok, best);
            else
                diag_add(ld->dg, where, "%s '%s': unknown placeholder {%s} "
                         "(expected {year}, {seq}, {seq:N} or {supplier})",
                         key, fmt, tok);
        }
    }
}

/* A placement's dates, rates and commission make sense together. */
static void check_placement(struct loader *ld, const struct placement *pl)
{
    if (pl->from != CDATE_NONE && pl->until != CDATE_NONE &&
        pl->until < pl->from)
        diag_add(ld->dg, &pl->d.at, "placement '%s' ends (until) before it "
                 "starts (from)", pl->d.id);
    if (pl->hourly_rate_cents <= 0)
        diag_add(ld->dg, &pl->d.at, "placement '%s' needs an hourly_rate "
                 "above 0", pl->d.id);
    if (pl->supplier_commission_bp && pl->supplier_commission_hour_cents)
        diag_add(ld->dg, &pl->d.at, "placement '%s' has both "
                 "supplier_commission and supplier_commission_per_hour; give "
                 "one", pl->d.id);
    if (pl->client_commission_bp && pl->client_commission_hour_cents)
        diag_add(ld->dg, &pl->d.at, "placement '%s' has both "
                 "client_commission and client_commission_per_hour; give "
                 "one", pl->d.id);
    if (pl->invoice_mode == MODE_SELF_BILLING &&
        !ld->r->practice.agency_account)
        diag_add(ld->dg, &pl->d.at, "placement '%s' is self_billing: the "
                 "mediation settings need agency_account (the account the "
                 "self-billed invoices are addressed to)", pl->d.id);
}

static void check_semantics(struct loader *ld)
{
    struct rules *r = ld->r;
    struct practice *p = &r->practice;
    if (!r->have_practice && !ld->syntax_errors) /* else perhaps in it */
        diag_add(ld->dg, NULL, "%s: no 'practice' settings in any rule file",
                 r->dir);
    if (p->iban && iban_problem(p->iban))
        diag_add(ld->dg, &ld->iban_at, "practice iban '%s' %s", p->iban,
                 iban_problem(p->iban));
    if (p->bic && *p->bic && bic_problem(p->bic))
        diag_add(ld->dg, &ld->bic_at, "practice bic '%s' %s", p->bic,
                 bic_problem(p->bic));
    if (p->creditor_id && !creditor_id_valid(p->creditor_id))
        diag_add(ld->dg, &ld->creditor_at, "practice creditor_id '%s' fails its check "
                 "digits", p->creditor_id);
    check_seat(ld, p);
    check_tax_ids(ld, p);
    if (p->currency && strcmp(p->currency, "EUR") != 0)
        diag_add(ld->dg, ld->currency_at.file ? &ld->currency_at : &p->at,
                 "currency must be EUR, not '%s'", p->currency);
    if (p->number_format && !strstr(p->number_format, "{seq"))
        diag_add(ld->dg, ld->numfmt_at.file ? &ld->numfmt_at : &p->at,
                 "invoice_number_format '%s' has no {seq}", p->number_format);
    if (p->number_format)
        check_number_format(ld, p->number_format, &ld->numfmt_at,
                            "invoice_number_format");
    if (p->credit_number_format)
        check_number_format(ld, p->credit_number_format, &ld->crednumfmt_at,
                            "credit_note_number_format");
    if (p->timezone) {
        /* The zone must be one civil_today can read: a TZif file. */
        cdate day;
        char best[160];
        if (civil_date_in(p->timezone, 0, &day, NULL) != 0 &&
            suggest_zone(p->timezone, best, sizeof best) &&
            strcmp(best, p->timezone) != 0)
            diag_add(ld->dg,
                     ld->timezone_at.file ? &ld->timezone_at : &p->at,
                     "unknown timezone '%s'; did you mean '%s'?",
                     p->timezone, best);
        else if (civil_date_in(p->timezone, 0, &day, NULL) != 0)
            diag_add(ld->dg,
                     ld->timezone_at.file ? &ld->timezone_at : &p->at,
                     "unknown timezone '%s' (expected an IANA "
                     "name such as Europe/Amsterdam)", p->timezone);
    }
    for (size_t i = 0; i < r->n_vat_rates; i++) {
        struct vat_rate *v = &r->vat_rates[i];
        if (v->exempt && v->bp)
            diag_add(ld->dg, DEF_AT(ld, K_VAT, struct vat_rate, v, bp),
                     "vat_rate '%s' is exempt but has a percent other than "
                     "0", v->d.id);
        if (v->exempt && !v->exempt_text)
            diag_add(ld->dg, DEF_AT(ld, K_VAT, struct vat_rate, v, exempt),
                     "vat_rate '%s' is exempt: give the exempt_text printed "
                     "on invoices", v->d.id);
    }
    if (p->einvoice != EINVOICE_NONE)
        check_einvoice(ld);
    for (size_t i = 0; i < r->n_subscription_types; i++) {
        struct subscription_type *t = &r->subscription_types[i];
        if (t->n_changes > 1)
            qsort(t->changes, t->n_changes, sizeof *t->changes, cmp_change);
        for (size_t j = 1; j < t->n_changes; j++)
            if (t->changes[j].from == t->changes[j - 1].from)
                diag_add(ld->dg, &t->changes[j].at, "two price changes of "
                         "'%s' on the same date", t->d.id);
    }
    for (size_t i = 0; i < r->n_products; i++) {
        struct product *pr = &r->products[i];
        if (pr->package && pr->credits <= 0)
            diag_add(ld->dg, DEF_AT(ld, K_PRODUCT, struct product, pr, package),
                     "product '%s' carries package '%s' but no credits "
                     "(expected credits: N > 0)", pr->d.id,
                     pr->package->d.id);
        if (!pr->package && pr->credits)
            diag_add(ld->dg, DEF_AT(ld, K_PRODUCT, struct product, pr, credits),
                     "product '%s' has credits but no package", pr->d.id);
    }
    for (size_t i = 0; i < r->n_appointment_types; i++) {
        struct appointment_type *a = &r->appointment_types[i];
        if (a->package && a->credits <= 0)
            diag_add(ld->dg, DEF_AT(ld, K_APPTYPE, struct appointment_type, a,
                                    package),
                     "appointment_type '%s' uses package '%s' but consumes "
                     "no credits (expected credits: N > 0)", a->d.id,
                     a->package->d.id);
        if (!a->package && a->credits)
            diag_add(ld->dg, DEF_AT(ld, K_APPTYPE, struct appointment_type, a,
                                    credits),
                     "appointment_type '%s' has credits but no package",
                     a->d.id);
    }
    for (size_t i = 0; i < r->n_plans; i++) {
        struct plan *pl = &r->plans[i];
        pl->has_month = pl->seat_month_cents > 0;
        pl->has_year = pl->seat_year_cents > 0;
        if (!pl->has_month && !pl->has_year)
            diag_add(ld->dg, &pl->d.at, "plan '%s' needs seat_price_month or "
                     "seat_price_year", pl->d.id);
    }
    for (size_t i = 0; i < r->n_discount_codes; i++) {
        struct discount_code *dc = &r->discount_codes[i];
        if (!!dc->percent_bp == !!dc->amount_cents)
            diag_add(ld->dg, DEF_AT(ld, K_DISCOUNT, struct discount_code, dc,
                                    amount_cents),
                     "discount_code '%s' needs exactly one of percent and "
                     "amount", dc->d.id);
        if (dc->duration != DISCOUNT_PERIODS && dc->periods)
            diag_add(ld->dg, &dc->d.at, "discount_code '%s': 'periods' goes "
                     "only with duration: periods (not %s)", dc->d.id,
                     durations[dc->duration]);
        /* plans: ids of plans, separated by commas or spaces. */
        for (const char *q = dc->plans; q && *q;) {
            size_t n = strcspn(q, ", ");
            if (n) {
                char id[128];
                snprintf(id, sizeof id, "%.*s", (int)n, q);
                if (!rules_plan(r, id))
                    diag_add(ld->dg, &dc->d.at, "discount_code '%s' names "
                             "plan '%s', which no rule file defines",
                             dc->d.id, id);
            }
            q += n;
            q += strspn(q, ", ");
        }
    }
    for (size_t i = 0; i < r->n_templates; i++) {
        struct template_def *t = &r->templates[i];
        struct tcheck tc = {ld->dg, &t->subject_at, "subject"};
        if (t->subject)
            template_check(t->subject, template_bad, &tc);
        tc.at = &t->body_at;
        tc.field = "body";
        if (t->body)
            template_check(t->body, template_bad, &tc);
        if (t->subject && strpbrk(t->subject, "\r\n"))
            diag_add(ld->dg, &t->subject_at, "template subject must be one "
                     "line");
        if (t->attach_ubl && r->practice.einvoice == EINVOICE_NONE)
            diag_warn(ld->dg, DEF_AT(ld, K_TEMPLATE, struct template_def, t,
                                     attach_ubl),
                      "template '%s' has attach_ubl but the practice's "
                      "einvoice is none: no UBL file is attached", t->d.id);
    }
    for (size_t i = 0; i < r->n_reminder_schedules; i++) {
        struct reminder_schedule *s = &r->reminder_schedules[i];
        for (size_t j = 0; j < s->n_steps; j++)
            if (s->steps[j].template &&
                s->steps[j].template->event != EV_PAYMENT_REMINDER)
                diag_add(ld->dg,
                         field_at(ld, K_SCHEDULE,
                                  def_index(r, K_SCHEDULE, &s->d),
                                  offsetof(struct reminder_schedule, steps), j,
                                  offsetof(struct reminder_step, template),
                                  &s->steps[j].at),
                         "reminder step template "
                         "'%s' has event '%s', expected 'payment_reminder'",
                         s->steps[j].template->d.id,
                         event_name(s->steps[j].template->event));
    }
    for (size_t i = 0; i < r->n_placements; i++) {
        struct placement *pl = &r->placements[i];
        if (pl->supplier && pl->client && !strcmp(pl->supplier, pl->client))
            diag_add(ld->dg, DEF_AT(ld, K_PLACEMENT, struct placement, pl,
                                    client),
                     "placement '%s' has the same account as supplier and "
                     "client", pl->d.id);
        check_placement(ld, pl);
    }
    if (p->supplier_number_format) {
        check_number_format(ld, p->supplier_number_format, &ld->supnumfmt_at,
                            "supplier_number_format");
        if (!strstr(p->supplier_number_format, "{supplier}") ||
            !strstr(p->supplier_number_format, "{seq"))
            diag_add(ld->dg, ld->supnumfmt_at.file ? &ld->supnumfmt_at : &p->at,
                     "supplier_number_format '%s' needs "
                     "{supplier} and {seq} (one gapless series per supplier)",
                     p->supplier_number_format);
    }
}

static void set_practice_defaults(struct practice *p)
{
    p->currency = xstrdup("EUR");
    p->locale = xstrdup("nl");
    p->timezone = xstrdup("Europe/Amsterdam");
    p->number_format = xstrdup("{year}-{seq:5}");
    p->payment_term_days = 14;
    p->prices_include_vat = 1;
    p->dd_collection_days = 14;
    p->dd_days_before = 0;
    p->short_credit = SHORT_CREDIT_REFUSE;
    p->apply_balance = 1;
    p->smtp_port = 25;
    p->smtp_tls = SMTP_TLS_NO;
    p->smtp_password_env = xstrdup("CAREBILL_SMTP_PASSWORD");
    p->hours_reminder_day = 25;
    p->supplier_number_format = xstrdup("{supplier}-{year}-{seq:4}");
    p->hook_instructions = 10000000;
    p->hook_memory_kb = 32768;
}

struct rules *rules_load(const char *dir, const char *libdir, struct diag *dg)
{
    struct rules *r = xcalloc(1, sizeof *r);
    struct loader ld = {.r = r, .dg = dg, .libdir = libdir};
    size_t before = dg->n;
    r->dir = xstrdup(dir);
    set_practice_defaults(&r->practice);
    sha256_init(&ld.hash);

    struct dirent **ents;
    int ne = scandir(dir, &ents, NULL, alphasort);
    if (ne < 0) {
        diag_add(dg, NULL, "%s: cannot read the practice directory", dir);
        rules_free(r);
        return NULL;
    }
    for (int i = 0; i < ne; i++) {
        size_t l = strlen(ents[i]->d_name);
        if (l > 5 && strcmp(ents[i]->d_name + l - 5, ".yaml") == 0) {
            char *p = xasprintf("%s/%s", dir, ents[i]->d_name);
            load_file(&ld, p);
            free(p);
        }
        free(ents[i]);
    }
    free(ents);

    /* Hooks: every hooks/NAME.lua is part of the rule set's hash. */
    struct diag lua = {0};
    char *hdir = xasprintf("%s/hooks", dir);
    ne = scandir(hdir, &ents, NULL, alphasort);
    for (int i = 0; i < ne; i++) {
        size_t l = strlen(ents[i]->d_name);
        if (l > 4 && strcmp(ents[i]->d_name + l - 4, ".lua") == 0) {
            char *p = xasprintf("%s/%s", hdir, ents[i]->d_name);
            size_t len;
            struct err e;
            char *text = read_limited(p, &len, &ld.total_bytes, &e);
            if (text) {
                hash_file(&ld, rel_name(&ld, p), text, len);
                /* A syntax error stops only what loads the file (check,
                 * and the commands whose hooks it holds: engine_load_hooks
                 * refuses it); with YAML errors it is listed with them,
                 * so check shows every problem in one pass. */
                if (hooks_compile_check(p, text, len, &e) != 0)
                    diag_add(&lua, NULL, "%s", e.msg);
                free(text);
            } else {
                diag_add(dg, NULL, "%s", e.msg);
            }
            r->hook_files = xrealloc(r->hook_files,
                                     (r->n_hook_files + 1) * sizeof(char *));
            r->hook_files[r->n_hook_files++] = p;
        }
        free(ents[i]);
    }
    if (ne >= 0)
        free(ents);
    free(hdir);

    check_unique_ids(&ld);
    resolve_refs(&ld);
    check_semantics(&ld);
    rules_check_templates(r, dg, dg->n == before);
    for (size_t i = 0; i < lua.n; i++)
        if (dg->n > before)
            diag_add(dg, NULL, "%s", lua.msgs[i]);
    diag_free(&lua);

    char hex[65];
    sha256_final_hex(&ld.hash, hex);
    r->hash = xstrdup(hex);

    for (size_t i = 0; i < ld.n_pend; i++)
        free(ld.pend[i].id);
    free(ld.pend);
    free(ld.fp);
    for (size_t i = 0; i < ld.n_included; i++)
        free(ld.included[i]);
    free(ld.included);
    if (dg->n > before) {
        rules_free(r);
        return NULL;
    }
    return r;
}

/* ================================================================ free */

static void free_struct(const struct kind *k, char *base)
{
    for (const struct field *f = k->fields; f->key; f++) {
        void *p = base + f->off;
        switch (f->type) {
        case FT_STR:
        case FT_WORDS:
        case FT_ID:
        case FT_LOCALE:
            free(*(char **)p);
            break;
        case FT_HOOK:
            free(((struct hook_binding *)p)->file);
            free(((struct hook_binding *)p)->func);
            break;
        case FT_MAP:
            free_struct(f->sub, base);
            break;
        case FT_LIST: {
            char *arr = *(char **)p;
            size_t n = *(size_t *)(base + f->aux);
            for (size_t i = 0; i < n; i++)
                free_struct(f->sub, arr + i * f->sub->size);
            free(arr);
            break;
        }
        default:
            break;
        }
    }
}

void rules_free(struct rules *r)
{
    if (!r)
        return;
    free_struct(&practice_kind, (char *)&r->practice);
    for (int ki = 0; ki < K_COUNT; ki++) {
        size_t n = def_count(r, ki);
        for (size_t i = 0; i < n; i++)
            free_struct(&kinds[ki], (char *)def_at(r, ki, i));
        free(*(char **)((char *)r + kinds[ki].arr_off));
    }
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i]);
    free(r->files);
    for (size_t i = 0; i < r->n_hook_files; i++)
        free(r->hook_files[i]);
    free(r->hook_files);
    for (size_t i = 0; i < r->n_hashed; i++)
        free(r->hashed[i].name), free(r->hashed[i].text);
    free(r->hashed);
    free(r->dir);
    free(r->hash);
    free(r);
}

/* ================================================================ look-up */

#define LOOKUP(fn, T, ki)                                        \
    const T *fn(const struct rules *r, const char *id)           \
    {                                                            \
        return (const T *)find_def((struct rules *)r, ki, id);   \
    }
LOOKUP(rules_subscription_type, struct subscription_type, K_SUBTYPE)
LOOKUP(rules_vat_rate, struct vat_rate, K_VAT)
LOOKUP(rules_package, struct package, K_PACKAGE)
LOOKUP(rules_product, struct product, K_PRODUCT)
LOOKUP(rules_appointment_type, struct appointment_type, K_APPTYPE)
LOOKUP(rules_plan, struct plan, K_PLAN)
LOOKUP(rules_discount_code, struct discount_code, K_DISCOUNT)
LOOKUP(rules_placement, struct placement, K_PLACEMENT)
LOOKUP(rules_reminder_schedule, struct reminder_schedule, K_SCHEDULE)

const struct template_def *rules_template(const struct rules *r,
                                          enum event ev, const char *locale)
{
    const struct template_def *fallback = NULL, *any = NULL;
    for (size_t i = 0; i < r->n_templates; i++) {
        const struct template_def *t = &r->templates[i];
        if (t->event != ev || !t->d.active)
            continue;
        const char *tl = t->locale ? t->locale : r->practice.locale;
        if (locale && strcmp(tl, locale) == 0)
            return t;
        if (!fallback && strcmp(tl, r->practice.locale) == 0)
            fallback = t;
        if (!any)
            any = t;
    }
    return fallback ? fallback : any;
}

int64_t subscription_type_price_on(const struct subscription_type *t, cdate d)
{
    int64_t price = t->price_cents;
    for (size_t i = 0; i < t->n_changes; i++)
        if (t->changes[i].from <= d)
            price = t->changes[i].price_cents;
    return price;
}

void rules_each(const struct rules *r, rules_visit_fn fn, void *arg)
{
    for (int ki = 0; ki < K_COUNT; ki++) {
        size_t n = def_count(r, ki);
        for (size_t i = 0; i < n; i++)
            fn(def_at((struct rules *)r, ki, i), arg);
    }
}
