/*
 * rules.h — a practice's rule set: every definition loaded from its YAML
 * files (and the rule sets they include), with the place each came from.
 * The loader (rules.c) validates everything `carebill check` promises:
 * types, unknown keys, references, template placeholders. After a
 * successful load the rule set is read-only; decisions read it, never the
 * YAML. Money is int64 cents, VAT rates are basis points (21% = 2100).
 */
#ifndef CAREBILL_RULES_H
#define CAREBILL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* Where a definition or value was written. */
struct place {
    const char *file; /* owned by the rule set */
    int line, col;    /* 1-based */
};

/* Every definition starts with this header. */
struct def {
    const char *kind; /* "subscription_type", ... (static string) */
    char *id;
    char *name;
    int active; /* 0 when `active: false`: no new use, history kept */
    struct place at;
};

/* A reference to a Lua hook: `file.lua` in the practice's hooks/ (or the
 * standard library in lua/), and the function it defines. */
struct hook_binding {
    char *file; /* resolved path; NULL when no hook is bound */
    char *func; /* "prorate", "pause", "reminder_at", ... */
    struct place at;
};

/* ------------------------------------------------------------ settings */

enum smtp_tls { SMTP_TLS_NO, SMTP_TLS_TRY, SMTP_TLS_REQUIRED };
enum short_credit { SHORT_CREDIT_REFUSE, SHORT_CREDIT_INVOICE };
/* What a stop or pause entered after its period was invoiced does:
 * print the invoices and the command that corrects them, or credit. */
enum late_change { LATE_CHANGE_WARN, LATE_CHANGE_CREDIT };
/* Which invoices get a Peppol UBL e-invoice: none, those of business
 * accounts (organisation, client, supplier), or all. */
enum einvoice_mode { EINVOICE_NONE, EINVOICE_BUSINESS, EINVOICE_ALL };

struct practice {
    char *name;
    char *address;       /* multi-line, as printed on invoices */
    char *kvk;           /* Chamber of Commerce number */
    char *vat_number;
    char *siret;         /* French SIRET (14 digits), printed on invoices */
    char *country;       /* ISO 3166 alpha-2 of the seat; NULL: from the
                            VAT number's prefix, else NL */
    char *iban, *bic;
    char *creditor_id;   /* SEPA creditor identifier */
    char *currency;      /* "EUR" */
    char *locale;        /* "nl", "fr", "en" */
    char *timezone;      /* IANA, e.g. "Europe/Amsterdam" */
    char *email;         /* practice contact address */
    char *phone;         /* practice phone number ({{ practice.phone }}) */
    char *number_format; /* e.g. "{year}-{seq:5}" */
    char *credit_number_format; /* NULL: credit notes share the series */
    int payment_term_days;
    int prices_include_vat;
    int dd_collection_days;  /* collection date = invoice date + this */
    int dd_days_before;      /* DD invoices issued this many days early */
    char *practitioner;      /* user named on subscription invoices */
    enum short_credit short_credit;
    enum late_change late_change; /* `late_change:` warn (default), credit */
    enum einvoice_mode einvoice; /* `einvoice:` none (default), business, all */
    int apply_balance;   /* `apply_balance:` a credit balance settles the
                            account's next open invoices (default true) */
    /* `accounts:` the ledger account codes of `report journal`; NULL:
     * carebill's defaults (decide/journal.h journal_codes_default). */
    char *acct_debtors, *acct_bank, *acct_vat, *acct_revenue, *acct_balances;
    char *acct_suppliers, *acct_purchases, *acct_vat_input;
    /* SMTP delivery; the password comes from the environment variable
     * named by smtp_password_env, never from YAML. */
    char *smtp_host;
    int smtp_port;
    enum smtp_tls smtp_tls;
    char *smtp_user;
    char *smtp_password_env;
    char *mail_from, *mail_from_name;
    int mail_rate_limit; /* messages per run, 0 = unlimited */
    /* Mediation (seed 002). */
    int hours_reminder_day;   /* day of month suppliers are reminded */
    int privacy_mode;         /* client gets a notice, not the invoice */
    int approval_reminder_days; /* hours_to_approve again after N days, 0: no */
    int client_invoice_day;   /* 0: client invoices on approval; else the
                                 day of the month after the hours' month */
    int commission_days_after; /* commission invoices N days after the
                                  client invoice */
    int hours_in_minutes;     /* `hours_unit: minute`; default quarter */
    char *supplier_number_format; /* e.g. "{supplier}-{year}-{seq:4}" */
    char *agency_account;     /* the account self-billed invoices go to */
    char *portal_url;         /* privacy notices link here ({{portal.url}}) */
    struct hook_binding commission; /* `commission(ctx)`: replaces the
                                       placements' commission rule */
    /* Lua limits. */
    int64_t hook_instructions;
    int64_t hook_memory_kb;
    /* Practice-wide default hooks (a type may bind its own). */
    struct hook_binding prorate, pause, reminder_at;
    struct place at;
};

/* ------------------------------------------------------------ definitions */

struct vat_rate {
    struct def d;
    int32_t bp;           /* basis points: 2100 = 21% */
    int exempt;           /* healthcare exemption: no VAT, text printed */
    char *exempt_text;    /* e.g. "Vrijgesteld van btw (art. 11 ...)" */
};

enum period_unit { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR };
enum alignment { ALIGN_CALENDAR, ALIGN_ANNIVERSARY };

struct price_change {
    cdate from;
    int64_t price_cents;
    struct place at;
};

struct subscription_type {
    struct def d;
    enum period_unit period;
    enum alignment alignment;
    int64_t price_cents;
    struct vat_rate *vat;
    struct price_change *changes; /* sorted by date */
    size_t n_changes;
    struct hook_binding prorate, pause; /* override the practice's */
};

struct package {
    struct def d;
    int64_t internal_rate_cents; /* per credit */
    char *ledger_account;        /* revenue account (grootboekrekening) */
    char *balance_item;          /* liability account (balanspost) */
};

struct product {
    struct def d; /* id is the product code */
    int64_t price_cents;
    struct vat_rate *vat;
    struct package *package; /* NULL: no credits */
    int64_t credits;         /* per unit */
};

struct appointment_type {
    struct def d;
    int64_t price_cents;
    struct vat_rate *vat;
    struct package *package; /* NULL: consumes nothing */
    int64_t credits;
};

struct usage_price {
    char *metric;
    int64_t price_cents; /* per unit */
};

/* A seat plan (seed 003): a price per seat for each billing cycle it is
 * offered in (monthly, yearly or both), optionally a student seat price,
 * usage prices per metric, and whether its prices include VAT (they do
 * not unless prices_include_vat: true, whatever the practice's own
 * prices do). trial_days free days before the first billed period. The
 * seats hook (function seats) replaces the default seat count. */
struct plan {
    struct def d;
    int64_t seat_month_cents;     /* 0 with has_month = 0: no monthly */
    int64_t seat_year_cents;
    int64_t student_month_cents;  /* 0: no student seats monthly */
    int64_t student_year_cents;   /* 0: no student seats yearly */
    int has_month, has_year;
    struct vat_rate *vat;
    struct usage_price *usage;
    size_t n_usage;
    int prices_include_vat;
    int trial_days;
    struct hook_binding seats;
};

/* How long a redeemed discount code lasts: `periods` invoices (0 =
 * forever, the default when periods is not given), once (one invoice) or
 * forever. */
enum discount_duration { DISCOUNT_PERIODS, DISCOUNT_ONCE, DISCOUNT_FOREVER };

struct discount_code {
    struct def d;
    int32_t percent_bp; /* 0 when amount */
    int64_t amount_cents;
    int periods;        /* number of periods it applies to; 0 = forever */
    enum discount_duration duration;
    cdate expires;      /* last day it can be redeemed; CDATE_NONE: never */
    int max_redemptions; /* 0: unlimited */
    char *plans;        /* plan ids, comma or space separated; NULL: all */
};

/* Events a template can be bound to. */
enum event {
    EV_SUBSCRIPTION_INVOICE,     /* subscription invoice, unpaid */
    EV_SUBSCRIPTION_INVOICE_DD,  /* subscription invoice by direct debit */
    EV_SUBSCRIPTION_INVOICE_DD_FIRST,
    EV_INVOICE_PAID,
    EV_PRODUCT_INVOICE,
    EV_CREDIT_NOTE,
    EV_PAYMENT_REMINDER,
    EV_HOURS_MISSING,
    EV_HOURS_TO_APPROVE,
    EV_INVOICE_READY,            /* privacy mode: invoice in the portal */
    EV_SELFBILL_INVOICE,         /* invoice to the client for a supplier */
    EV_COMMISSION_INVOICE,
    EV_HOURS_REJECTED,           /* mediation: hours sent back to the supplier */
    EV_COUNT
};

const char *event_name(enum event ev);
int event_from_name(const char *s, enum event *out);

struct template_def {
    struct def d;
    enum event event;
    char *locale;  /* "nl", "fr", "en" */
    char *subject; /* with {{placeholders}} */
    char *body;
    int attach_pdf;
    int attach_ubl;  /* 1: also the invoice's UBL file (einvoice setting) */
    int delay_hours; /* 0 = queued on creation */
    struct place subject_at, body_at;
};

enum reminder_base { FROM_INVOICE_DATE, FROM_DUE_DATE };
enum delay_unit { UNIT_HOURS, UNIT_DAYS, UNIT_MONTHS };

struct reminder_step {
    int n;
    enum delay_unit unit;
    enum reminder_base from;
    struct template_def *template; /* event payment_reminder */
    int active;
    struct place at;
};

struct reminder_schedule {
    struct def d;
    struct reminder_step *steps;
    size_t n_steps;
    struct hook_binding reminder_at;
};

/* How a placement's hours are invoiced: by the agency in the name and on
 * behalf of the supplier, to the client (third-party invoicing), or
 * self-billed: the agency buys the care and issues the supplier's invoice
 * to itself, then invoices the client in its own name. */
enum invoice_mode { MODE_ON_BEHALF, MODE_SELF_BILLING };

struct placement {
    struct def d;
    char *supplier; /* account ids: checked against the ledger */
    char *client;
    int64_t hourly_rate_cents;       /* the weekday rate */
    int32_t supplier_commission_bp; /* of the hours' value */
    int32_t client_commission_bp;
    struct vat_rate *vat;            /* on the hours invoice */
    struct vat_rate *commission_vat; /* on commission invoices; NULL: 21% */
    cdate from, until;               /* CDATE_NONE: open-ended */
    int64_t evening_rate_cents, weekend_rate_cents, holiday_rate_cents;
                                     /* 0: the placement has no such rate */
    int64_t supplier_commission_hour_cents; /* per hour, instead of a % */
    int64_t client_commission_hour_cents;
    enum invoice_mode invoice_mode;
};

/* ------------------------------------------------------------ the set */

/* A file the rule set's hash covers, as it was hashed: its name (relative
 * to the practice directory or to libdir) and its bytes. */
struct rules_file {
    char *name;
    char *text;
    size_t len;
};

struct rules {
    char *dir;  /* the practice directory */
    char *hash; /* SHA-256 over every loaded file, in load order */
    /* What the hash covers, in the same order: the ledger keeps it
     * (store/rule_sets.h), so a message can be rendered later by the
     * rule set it was queued under. */
    struct rules_file *hashed;
    size_t n_hashed;
    struct practice practice;
    int have_practice;

#define RULES_ARRAY(type, name) \
    type *name;                 \
    size_t n_##name
    RULES_ARRAY(struct vat_rate, vat_rates);
    RULES_ARRAY(struct subscription_type, subscription_types);
    RULES_ARRAY(struct package, packages);
    RULES_ARRAY(struct product, products);
    RULES_ARRAY(struct appointment_type, appointment_types);
    RULES_ARRAY(struct plan, plans);
    RULES_ARRAY(struct discount_code, discount_codes);
    RULES_ARRAY(struct template_def, templates);
    RULES_ARRAY(struct reminder_schedule, reminder_schedules);
    RULES_ARRAY(struct placement, placements);
#undef RULES_ARRAY

    char **files; /* every file loaded, in order */
    size_t n_files;
    char **hook_files; /* the practice's hooks/NAME.lua files */
    size_t n_hook_files;
};

/* A list of rule-file errors, each "file:line:col: message". */
struct diag {
    char **msgs;
    size_t n;
    /* Warnings, each "file:line:col: warning: message": what `check`
     * shows but does not refuse (a load with only warnings succeeds). */
    char **warns;
    size_t n_warns;
};
void diag_add(struct diag *dg, const struct place *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warn(struct diag *dg, const struct place *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_free(struct diag *dg);

/* Check every template of r against its event and the practice's
 * settings (errors, through diag_add: a placeholder the event never
 * fills, or showing a setting the practice does not give) and, when warn
 * is 1 (the rest of the rule set loaded without errors), warn about
 * events without a template, two templates for one event and locale and
 * two active reminder schedules (diag_warn). rules_load runs it; defined
 * in rules/placeholders.c (which says which events fill what). */
void rules_check_templates(const struct rules *r, struct diag *dg, int warn);

/* Load the practice in dir. `libdir` is where rule sets (rules/) and the
 * standard Lua library (lua/) live. Returns the rule set, or NULL with
 * every problem found listed in dg (never stops at the first). */
struct rules *rules_load(const char *dir, const char *libdir, struct diag *dg);
void rules_free(struct rules *r);

/* Look-ups by id; NULL when absent. Inactive definitions (`active:
 * false`) are returned too, so history that names them still resolves;
 * it is the caller that refuses new use of one (a subscription start, a
 * sale, a booking), with a message naming the file and line that
 * deactivated it. */
const struct subscription_type *rules_subscription_type(const struct rules *r,
                                                        const char *id);
const struct vat_rate *rules_vat_rate(const struct rules *r, const char *id);
const struct package *rules_package(const struct rules *r, const char *id);
const struct product *rules_product(const struct rules *r, const char *id);
const struct appointment_type *rules_appointment_type(const struct rules *r,
                                                      const char *id);
const struct plan *rules_plan(const struct rules *r, const char *id);
const struct discount_code *rules_discount_code(const struct rules *r,
                                                const char *id);
const struct placement *rules_placement(const struct rules *r, const char *id);
const struct reminder_schedule *rules_reminder_schedule(const struct rules *r,
                                                        const char *id);

/* The template for an event in a locale, falling back to the practice's
 * locale and then to any locale; NULL when the event has none (or only
 * inactive ones): no message is sent for it. */
const struct template_def *rules_template(const struct rules *r,
                                          enum event ev, const char *locale);

/* Price of a subscription type on day d from its YAML schedule. */
int64_t subscription_type_price_on(const struct subscription_type *t, cdate d);

/* Visit every definition (for `carebill rules`). */
typedef void (*rules_visit_fn)(const struct def *d, void *arg);
void rules_each(const struct rules *r, rules_visit_fn fn, void *arg);

#endif
