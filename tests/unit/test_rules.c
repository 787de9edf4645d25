/*
 * test_rules.c — the rule loader (engine/rules/rules.c). Small practices are
 * written into temporary directories and loaded with libdir "." (the
 * repository root, from which the tests run), so `include:` finds rules/
 * and hooks fall back to lua/. Part 1 loads valid practices and checks
 * what they hold; part 2 provokes one error of each kind and compares the
 * exact "file:line:col: message" strings (in an expected string "$D"
 * stands for the practice directory); part 3 checks the rule-set hash,
 * part 4 the limits, part 5 the placeholders a template's event and the
 * practice's settings fill (rules/placeholders.c) and the warnings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/template.h"
#include "rules/placeholders.h"
#include "rules/rules.h"
#include "base/util.h"
#include "support.h"

/* ============================================================ helpers */

static char root[] = "/tmp/carebill-rules-XXXXXX";
static int ndirs;

static void write_at(const char *dir, const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755); /* for "hooks/x.lua" */
    *slash = '/';
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
    free(path);
}

/* A new practice directory holding the files given as name, text pairs
 * (NULL-terminated). Caller frees the path. */
static char *practice_dir(const char *name, ...)
{
    char *dir = xasprintf("%s/p%d", root, ++ndirs);
    assert_int_equal(mkdir(dir, 0755), 0);
    va_list ap;
    va_start(ap, name);
    for (const char *n = name; n; n = va_arg(ap, const char *))
        write_at(dir, n, va_arg(ap, const char *));
    va_end(ap);
    return dir;
}

static struct rules *load_ok(const char *dir)
{
    struct diag dg = {0};
    struct rules *r = rules_load(dir, ".", &dg);
    if (!r || dg.n) {
        for (size_t i = 0; i < dg.n; i++)
            print_error("%s\n", dg.msgs[i]);
        fail_msg("%s did not load (%zu errors)", dir, dg.n);
    }
    return r;
}

/* s with every "$D" replaced by dir (caller frees). */
static char *subst(const char *s, const char *dir)
{
    struct sbuf b = {0};
    for (const char *p = s; *p; p++) {
        if (p[0] == '$' && p[1] == 'D') {
            sb_add(&b, dir);
            p++;
        } else {
            sb_addc(&b, *p);
        }
    }
    return sb_steal(&b);
}

/* Load dir, which must fail with exactly the n messages in want (in
 * order, "$D" standing for dir; a want ending in '*' matches every
 * message that starts with the text before it). */
static void expect_errors(const char *dir, size_t n, const char *const *want)
{
    struct diag dg = {0};
    struct rules *r = rules_load(dir, ".", &dg);
    assert_null(r);
    int bad = dg.n != n;
    for (size_t i = 0; i < n && i < dg.n; i++) {
        char *w = subst(want[i], dir);
        size_t wl = strlen(w);
        if (wl && w[wl - 1] == '*' ? strncmp(w, dg.msgs[i], wl - 1) != 0
                                   : strcmp(w, dg.msgs[i]) != 0) {
            print_error("message %zu:\n  got:      %s\n  expected: %s\n", i + 1,
                        dg.msgs[i], w);
            bad = 1;
        }
        free(w);
    }
    if (bad) {
        for (size_t i = 0; i < dg.n; i++)
            print_error("  [%zu] %s\n", i + 1, dg.msgs[i]);
        fail_msg("%zu messages, expected %zu", dg.n, n);
    }
    diag_free(&dg);
}

static void expect_error(const char *dir, const char *want)
{
    expect_errors(dir, 1, &want);
}

/* The one-file practice "practice.yaml" = MINIMAL followed by extra. */
#define MINIMAL            \
    "practice:\n"          \
    "  name: Praktijk\n"   \
    "vat_rates:\n"         \
    "  - id: hoog\n"       \
    "    name: Hoog\n"     \
    "    percent: 21\n"
/* Lines 1-6 above; extra text starts on line 7. */

static void expect_extra(const char *extra, const char *want)
{
    char *text = xasprintf("%s%s", MINIMAL, extra);
    char *dir = practice_dir("practice.yaml", text, NULL);
    expect_error(dir, want);
    free(text);
    free(dir);
}

static int group_setup(void **state)
{
    return mkdtemp(root) ? 0 : -1;
}

static int group_teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", root);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

/* ============================================================ 1. loading */

/* A practice with one of every kind of definition. */
static const char practice_yaml[] =
    "practice:\n"                                   /* 1 */
    "  name: Fysiotherapie De Linde\n"
    "  iban: NL91ABNA0417164300\n"
    "  creditor_id: NL69ZZZ123456780000\n"
    "vat_rates:\n"                                  /* 5 */
    "  - id: hoog\n"
    "    name: Hoog tarief\n"
    "    percent: 21\n"
    "  - id: laag\n"
    "    name: Laag tarief\n"                       /* 10 */
    "    percent: 5.5\n"
    "  - id: vrij\n"
    "    name: Vrijgesteld\n"
    "    percent: 0\n"
    "    exempt: true\n"                            /* 15 */
    "    exempt_text: Vrijgesteld van btw\n"
    "subscription_types:\n"
    "  - id: fit\n"
    "    name: Fysio Fit\n"
    "    price: 45.00\n"                            /* 20 */
    "    vat: vrij\n"
    "    price_changes:\n"
    "      - from: 2027-01-01\n"
    "        price: 47.50\n"
    "      - from: 2026-07-01\n"                    /* 25 */
    "        price: 46\n"
    "  - id: jaar\n"
    "    name: Jaarplan\n"
    "    period: year\n"
    "    alignment: anniversary\n"                  /* 30 */
    "    price: 480\n"
    "    vat: vrij\n"
    "    prorate: daily_proration\n"
    "    active: false\n";

static const char catalog_yaml[] =
    "packages:\n"                                   /* 1 */
    "  - id: tienrittenkaart\n"
    "    name: Tienrittenkaart\n"
    "    internal_rate: 4.50\n"
    "    ledger_account: \"8010\"\n"                /* 5 */
    "    balance_item: \"1600\"\n"
    "products:\n"
    "  - code: kaart10\n"
    "    name: Tienrittenkaart\n"
    "    price: 45.00\n"                            /* 10 */
    "    vat: vrij\n"
    "    package: tienrittenkaart\n"
    "    credits: 10\n"
    "appointment_types:\n"
    "  - id: training\n"                            /* 15 */
    "    name: Training\n"
    "    price: 5.00\n"
    "    vat: vrij\n"
    "    package: tienrittenkaart\n"
    "    credits: 1\n"                              /* 20 */
    "plans:\n"
    "  - id: team\n"
    "    name: Team\n"
    "    seat_price_month: 12.50\n"
    "    seat_price_year: 125\n"                    /* 25 */
    "    vat: hoog\n"
    "    usage:\n"
    "      - metric: dossier\n"
    "        price: 0.75\n"
    "discount_codes:\n"                             /* 30 */
    "  - code: welkom\n"
    "    name: Welkom\n"
    "    percent: 10\n"
    "    periods: 3\n"
    "placements:\n"                                 /* 35 */
    "  - id: anna-at-acme\n"
    "    name: Anna bij Acme\n"
    "    supplier: anna\n"
    "    client: acme\n"
    "    hourly_rate: 65.00\n"                      /* 40 */
    "    supplier_commission: 7.5\n"
    "    vat: hoog\n";

static const char mail_yaml[] =
    "templates:\n"                                  /* 1 */
    "  - id: factuur-nl\n"
    "    name: Factuur\n"
    "    event: subscription_invoice\n"
    "    subject: \"Factuur {{ invoice.number }}\"\n" /* 5 */
    "    body: |\n"
    "      Beste {{ account.name }},\n"
    "  - id: factuur-fr\n"
    "    name: Facture\n"
    "    event: subscription_invoice\n"             /* 10 */
    "    locale: fr\n"
    "    subject: \"Facture {{ invoice.number }}\"\n"
    "    body: Bonjour\n"
    "  - id: factuur-en-oud\n"
    "    name: Invoice (old)\n"                     /* 15 */
    "    event: subscription_invoice\n"
    "    locale: en\n"
    "    active: false\n"
    "    subject: Invoice\n"
    "    body: Hello\n"                             /* 20 */
    "  - id: herinnering\n"
    "    name: Herinnering\n"
    "    event: payment_reminder\n"
    "    locale: fr\n"
    "    subject: Rappel\n"                         /* 25 */
    "    body: Rappel {{ reminder.step }}\n"
    "    delay_hours: 2\n"
    "    attach_pdf: yes\n"
    "reminder_schedules:\n"
    "  - id: standaard\n"                           /* 30 */
    "    name: Standaard\n"
    "    steps:\n"
    "      - after: 14 days\n"
    "        from: due_date\n"
    "        template: herinnering\n"               /* 35 */
    "      - after: 1 month\n"
    "        template: herinnering\n"
    "        active: false\n"
    "    reminder_at: skip_weekends\n";

static char *full_practice(void)
{
    return practice_dir("practice.yaml", practice_yaml, "catalog.yaml",
                        catalog_yaml, "mail.yaml", mail_yaml, NULL);
}

/* 1.1 A practice that sets only its name gets the documented defaults. */
static void t1_1_defaults(void **state)
{
    char *dir = practice_dir("practice.yaml", MINIMAL, NULL);
    struct rules *r = load_ok(dir);
    const struct practice *p = &r->practice;
    assert_true(r->have_practice);
    assert_string_equal(p->name, "Praktijk");
    assert_string_equal(p->currency, "EUR");
    assert_string_equal(p->locale, "nl");
    assert_string_equal(p->timezone, "Europe/Amsterdam");
    assert_string_equal(p->number_format, "{year}-{seq:5}");
    assert_null(p->credit_number_format);
    assert_int_equal(p->payment_term_days, 14);
    assert_int_equal(p->prices_include_vat, 1);
    assert_int_equal(p->dd_collection_days, 14);
    assert_int_equal(p->dd_days_before, 0);
    assert_int_equal(p->short_credit, SHORT_CREDIT_REFUSE);
    assert_int_equal(p->smtp_port, 25);
    assert_int_equal(p->smtp_tls, SMTP_TLS_NO);
    assert_string_equal(p->smtp_password_env, "CAREBILL_SMTP_PASSWORD");
    assert_int_equal(p->hook_instructions, 10000000);
    assert_int_equal(p->hook_memory_kb, 32768);
    assert_null(p->iban);
    assert_null(p->prorate.file);
    assert_string_equal(r->dir, dir);
    assert_int_equal(r->n_files, 1);
    char *f = xasprintf("%s/practice.yaml", dir);
    assert_string_equal(r->files[0], f);
    assert_string_equal(p->at.file, f);
    assert_int_equal(p->at.line, 1);
    assert_int_equal(p->at.col, 1);
    free(f);
    assert_int_equal(strlen(r->hash), 64);
    assert_int_equal(r->n_vat_rates, 1);
    assert_int_equal(r->vat_rates[0].bp, 2100);
    assert_int_equal(r->vat_rates[0].d.active, 1);
    assert_string_equal(r->vat_rates[0].d.kind, "vat_rate");
    rules_free(r);
    free(dir);
}

/* 1.2 Settings given in YAML override the defaults, nested maps too. */
static void t1_2_settings(void **state)
{
    char *dir = practice_dir(
        "practice.yaml",
        "practice:\n"
        "  name: Cabinet Dupont\n"
        "  address: |-\n"
        "    1 rue de la Paix\n"
        "    75002 Paris\n"
        "  locale: fr\n"
        "  timezone: Europe/Paris\n"
        "  invoice_number_format: \"F{year}-{seq:4}\"\n"
        "  credit_note_number_format: \"A{seq}\"\n"
        "  payment_term_days: 30\n"
        "  prices_include_vat: false\n"
        "  short_credit: invoice\n"
        "  direct_debit:\n"
        "    collection_days: 5\n"
        "    days_before_period: 7\n"
        "  smtp:\n"
        "    host: mail.example\n"
        "    port: 587\n"
        "    tls: required\n"
        "    from: cabinet@example.fr\n"
        "  hooks:\n"
        "    prorate: daily_proration\n"
        "    instruction_limit: 5000\n"
        "  mediation:\n"
        "    hours_reminder_day: 20\n"
        "    privacy_mode: true\n",
        NULL);
    struct rules *r = load_ok(dir);
    const struct practice *p = &r->practice;
    assert_string_equal(p->address, "1 rue de la Paix\n75002 Paris");
    assert_string_equal(p->locale, "fr");
    assert_string_equal(p->timezone, "Europe/Paris");
    assert_string_equal(p->number_format, "F{year}-{seq:4}");
    assert_string_equal(p->credit_number_format, "A{seq}");
    assert_int_equal(p->payment_term_days, 30);
    assert_int_equal(p->prices_include_vat, 0);
    assert_int_equal(p->short_credit, SHORT_CREDIT_INVOICE);
    assert_int_equal(p->dd_collection_days, 5);
    assert_int_equal(p->dd_days_before, 7);
    assert_string_equal(p->smtp_host, "mail.example");
    assert_int_equal(p->smtp_port, 587);
    assert_int_equal(p->smtp_tls, SMTP_TLS_REQUIRED);
    assert_string_equal(p->mail_from, "cabinet@example.fr");
    assert_string_equal(p->prorate.file, "./lua/daily_proration.lua");
    assert_string_equal(p->prorate.func, "prorate");
    assert_int_equal(p->prorate.at.line, 22);
    assert_int_equal(p->prorate.at.col, 14);
    assert_int_equal(p->hook_instructions, 5000);
    assert_int_equal(p->hook_memory_kb, 32768);
    assert_int_equal(p->hours_reminder_day, 20);
    assert_int_equal(p->privacy_mode, 1);
    rules_free(r);
    free(dir);
}

/* 1.3 Definitions of every kind, their values and resolved references;
 * price changes sorted by date whatever their order in the file. */
static void t1_3_definitions(void **state)
{
    char *dir = full_practice();
    struct rules *r = load_ok(dir);
    assert_int_equal(r->n_files, 3); /* catalog, mail, practice: sorted */
    char *f = xasprintf("%s/catalog.yaml", dir);
    assert_string_equal(r->files[0], f);
    free(f);

    const struct vat_rate *hoog = rules_vat_rate(r, "hoog");
    const struct vat_rate *laag = rules_vat_rate(r, "laag");
    const struct vat_rate *vrij = rules_vat_rate(r, "vrij");
    assert_non_null(hoog);
    assert_int_equal(laag->bp, 550);
    assert_int_equal(vrij->exempt, 1);
    assert_string_equal(vrij->exempt_text, "Vrijgesteld van btw");
    assert_null(rules_vat_rate(r, "midden"));

    const struct subscription_type *fit = rules_subscription_type(r, "fit");
    assert_non_null(fit);
    assert_string_equal(fit->d.name, "Fysio Fit");
    assert_ptr_equal(fit->vat, vrij);
    assert_int_equal(fit->period, PERIOD_MONTH);
    assert_int_equal(fit->alignment, ALIGN_CALENDAR);
    assert_int_equal(fit->price_cents, 4500);
    assert_int_equal(fit->d.active, 1);
    assert_int_equal(fit->d.at.line, 18);
    assert_int_equal(fit->d.at.col, 5);
    assert_int_equal(fit->n_changes, 2);
    assert_int_equal(fit->changes[0].from, P("2026-07-01"));
    assert_int_equal(fit->changes[0].price_cents, 4600);
    assert_int_equal(fit->changes[1].from, P("2027-01-01"));
    assert_int_equal(fit->changes[1].price_cents, 4750);
    assert_null(fit->prorate.file);

    const struct subscription_type *jaar = rules_subscription_type(r, "jaar");
    assert_int_equal(jaar->period, PERIOD_YEAR);
    assert_int_equal(jaar->alignment, ALIGN_ANNIVERSARY);
    assert_int_equal(jaar->d.active, 0);
    assert_string_equal(jaar->prorate.file, "./lua/daily_proration.lua");
    assert_int_equal(jaar->n_changes, 0);

    const struct package *pk = rules_package(r, "tienrittenkaart");
    assert_int_equal(pk->internal_rate_cents, 450);
    assert_string_equal(pk->ledger_account, "8010");
    assert_string_equal(pk->balance_item, "1600");
    const struct product *pr = rules_product(r, "kaart10");
    assert_int_equal(pr->price_cents, 4500);
    assert_ptr_equal(pr->package, pk);
    assert_ptr_equal(pr->vat, vrij);
    assert_int_equal(pr->credits, 10);
    const struct appointment_type *at = rules_appointment_type(r, "training");
    assert_ptr_equal(at->package, pk);
    assert_int_equal(at->credits, 1);
    const struct plan *pl = rules_plan(r, "team");
    assert_int_equal(pl->seat_month_cents, 1250);
    assert_int_equal(pl->seat_year_cents, 12500);
    assert_true(pl->has_month);
    assert_true(pl->has_year);
    assert_int_equal(pl->n_usage, 1);
    assert_string_equal(pl->usage[0].metric, "dossier");
    assert_int_equal(pl->usage[0].price_cents, 75);
    const struct discount_code *dc = rules_discount_code(r, "welkom");
    assert_int_equal(dc->percent_bp, 1000);
    assert_int_equal(dc->periods, 3);
    const struct placement *plc = rules_placement(r, "anna-at-acme");
    assert_string_equal(plc->supplier, "anna");
    assert_int_equal(plc->hourly_rate_cents, 6500);
    assert_int_equal(plc->supplier_commission_bp, 750);
    assert_ptr_equal(plc->vat, hoog);
    assert_null(plc->commission_vat);

    const struct reminder_schedule *rs = rules_reminder_schedule(r, "standaard");
    assert_int_equal(rs->n_steps, 2);
    assert_int_equal(rs->steps[0].n, 14);
    assert_int_equal(rs->steps[0].unit, UNIT_DAYS);
    assert_int_equal(rs->steps[0].from, FROM_DUE_DATE);
    assert_string_equal(rs->steps[0].template->d.id, "herinnering");
    assert_int_equal(rs->steps[1].n, 1);
    assert_int_equal(rs->steps[1].unit, UNIT_MONTHS);
    assert_int_equal(rs->steps[1].from, FROM_INVOICE_DATE);
    assert_int_equal(rs->steps[1].active, 0);
    assert_ptr_equal(rs->steps[1].template, rs->steps[0].template);
    assert_string_equal(rs->reminder_at.file, "./lua/skip_weekends.lua");
    assert_string_equal(rs->reminder_at.func, "reminder_at");

    assert_int_equal(r->n_templates, 4);
    const struct template_def *t = &r->templates[0];
    assert_int_equal(t->event, EV_SUBSCRIPTION_INVOICE);
    assert_null(t->locale);
    assert_string_equal(t->subject, "Factuur {{ invoice.number }}");
    assert_string_equal(t->body, "Beste {{ account.name }},\n");
    assert_int_equal(r->templates[3].delay_hours, 2);
    assert_int_equal(r->templates[3].attach_pdf, 1);
    rules_free(r);
    free(dir);
}

/* 1.4 The price in force on a day: the base price until the first
 * change, each change from its date on. */
static void t1_4_price_on(void **state)
{
    char *dir = full_practice();
    struct rules *r = load_ok(dir);
    const struct subscription_type *fit = rules_subscription_type(r, "fit");
    assert_int_equal(subscription_type_price_on(fit, P("2026-01-01")), 4500);
    assert_int_equal(subscription_type_price_on(fit, P("2026-06-30")), 4500);
    assert_int_equal(subscription_type_price_on(fit, P("2026-07-01")), 4600);
    assert_int_equal(subscription_type_price_on(fit, P("2026-12-31")), 4600);
    assert_int_equal(subscription_type_price_on(fit, P("2027-01-01")), 4750);
    assert_int_equal(subscription_type_price_on(fit, P("2099-01-01")), 4750);
    const struct subscription_type *jaar = rules_subscription_type(r, "jaar");
    assert_int_equal(subscription_type_price_on(jaar, P("2026-01-01")), 48000);
    rules_free(r);
    free(dir);
}

/* 1.5 rules_template: the asked locale, else the practice's, else any;
 * never an inactive one; NULL for an event without templates. */
static void t1_5_template_fallback(void **state)
{
    char *dir = full_practice();
    struct rules *r = load_ok(dir);
    const struct template_def *t;
    t = rules_template(r, EV_SUBSCRIPTION_INVOICE, "fr");
    assert_string_equal(t->d.id, "factuur-fr");
    t = rules_template(r, EV_SUBSCRIPTION_INVOICE, "nl");
    assert_string_equal(t->d.id, "factuur-nl"); /* no locale = practice's */
    t = rules_template(r, EV_SUBSCRIPTION_INVOICE, "en"); /* en inactive */
    assert_string_equal(t->d.id, "factuur-nl");
    t = rules_template(r, EV_SUBSCRIPTION_INVOICE, NULL);
    assert_string_equal(t->d.id, "factuur-nl");
    t = rules_template(r, EV_PAYMENT_REMINDER, "nl"); /* only fr exists */
    assert_string_equal(t->d.id, "herinnering");
    assert_null(rules_template(r, EV_INVOICE_PAID, "nl"));
    rules_free(r);
    free(dir);
}

struct visit {
    char seen[1024];
    int n;
};

static void visit(const struct def *d, void *arg)
{
    struct visit *v = arg;
    size_t n = strlen(v->seen);
    snprintf(v->seen + n, sizeof v->seen - n, "%s%s:%s", v->n ? " " : "",
             d->kind, d->id);
    v->n++;
}

/* 1.6 rules_each visits every definition once, kinds in a fixed order,
 * definitions in load order. */
static void t1_6_each(void **state)
{
    char *dir = full_practice();
    struct rules *r = load_ok(dir);
    struct visit v = {"", 0};
    rules_each(r, visit, &v);
    assert_int_equal(v.n, 16);
    assert_string_equal(
        v.seen,
        "vat_rate:hoog vat_rate:laag vat_rate:vrij subscription_type:fit "
        "subscription_type:jaar package:tienrittenkaart product:kaart10 "
        "appointment_type:training plan:team discount_code:welkom "
        "template:factuur-nl template:factuur-fr template:factuur-en-oud "
        "template:herinnering reminder_schedule:standaard "
        "placement:anna-at-acme");
    rules_free(r);
    free(dir);
}

/* 1.7 include: a rule set from rules/ is read as the practice's own; its
 * files are listed; hooks/ in the practice win over lua/. */
static void t1_7_include(void **state)
{
    char *dir = practice_dir(
        "practice.yaml",
        "include: nl-zorg\n"
        "practice:\n"
        "  name: Praktijk\n"
        "  hooks:\n"
        "    prorate: daily_proration\n"
        "subscription_types:\n"
        "  - id: fit\n"
        "    name: Fit\n"
        "    price: 45\n"
        "    vat: vrijgesteld\n"
        "    pause: mine.lua\n",
        "hooks/daily_proration.lua", "function prorate(ctx) return 1 end\n",
        "hooks/mine.lua", "function pause(ctx) return 0 end\n", NULL);
    struct rules *r = load_ok(dir);
    const struct vat_rate *v = rules_vat_rate(r, "vrijgesteld");
    assert_non_null(v);
    assert_int_equal(v->exempt, 1);
    assert_ptr_equal(rules_subscription_type(r, "fit")->vat, v);
    assert_int_equal(r->n_files, 2);
    assert_string_equal(r->files[1], "./rules/nl-zorg/vat.yaml");
    assert_string_equal(v->d.at.file, "./rules/nl-zorg/vat.yaml");
    char *h = xasprintf("%s/hooks/daily_proration.lua", dir);
    assert_string_equal(r->practice.prorate.file, h);
    free(h);
    h = xasprintf("%s/hooks/mine.lua", dir);
    assert_string_equal(rules_subscription_type(r, "fit")->pause.file, h);
    assert_int_equal(r->n_hook_files, 2);
    assert_string_equal(r->hook_files[1], h);
    free(h);
    rules_free(r);
    free(dir);

    /* A list of rule sets, one named twice: read once. */
    dir = practice_dir("practice.yaml",
                       "include: [nl-zorg, nl-zorg]\n"
                       "practice:\n"
                       "  name: Praktijk\n",
                       NULL);
    r = load_ok(dir);
    assert_int_equal(r->n_files, 2);
    assert_int_equal(r->n_vat_rates, 3);
    rules_free(r);
    free(dir);
}

/* 1.8 A reminder step is active unless it says `active: false`, like
 * every definition: the first step of 'standaard' (no `active:` key) and
 * every step of the nl-mail rule set's schedule are active (list entries
 * get their defaults too, or a step without `active: true` is never
 * sent). */
static void t1_8_reminder_steps_active_by_default(void **state)
{
    char *dir = full_practice();
    struct rules *r = load_ok(dir);
    const struct reminder_schedule *rs = rules_reminder_schedule(r, "standaard");
    assert_int_equal(rs->steps[1].active, 0); /* active: false */
    assert_int_equal(rs->steps[0].active, 1);
    rules_free(r);
    free(dir);

    dir = practice_dir("practice.yaml",
                       "include: [nl-zorg, nl-mail]\n"
                       "practice:\n"
                       "  name: Praktijk\n",
                       NULL);
    r = load_ok(dir);
    rs = rules_reminder_schedule(r, "standaard");
    assert_non_null(rs);
    assert_int_equal(rs->n_steps, 3);
    for (size_t i = 0; i < rs->n_steps; i++)
        if (!rs->steps[i].active)
            fail_msg("step %zu of nl-mail's 'standaard' is inactive", i + 1);
    rules_free(r);
    free(dir);
}

/* ============================================================ 2. errors */

/* 2.1 Unknown keys: a close one gets "did you mean", others the list of
 * keys the definition takes. */
static void t2_1_unknown_key(void **state)
{
    char *dir = practice_dir("practice.yaml",
                             "practice:\n"
                             "  name: Praktijk\n"
                             "  payment_term_day: 30\n",
                             NULL);
    expect_error(dir, "$D/practice.yaml:3:3: unknown key 'payment_term_day' in "
                      "practice; did you mean 'payment_term_days'?");
    free(dir);

    char *text = xasprintf("%s%s", MINIMAL,
                           "subscription_types:\n"
                           "  - id: fit\n"
                           "    name: Fit\n"
                           "    prise: 45\n"
                           "    vat: hoog\n");
    dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:10:5: unknown key 'prise' in subscription_type; did "
        "you mean 'price'?",
        "$D/practice.yaml:8:5: subscription_type is missing required key "
        "'price'"});
    free(dir);
    free(text);
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    colour: blue\n",
                 "$D/practice.yaml:12:5: unknown key 'colour' in "
                 "subscription_type (expected one of: id, name, active, "
                 "period, alignment, price, vat, price_changes, prorate, "
                 "pause)");
    text = xasprintf("%s%s", MINIMAL,
                     "subscription_types:\n"
                     "  - id: fit\n"
                     "    name: Fit\n"
                     "    price: 45\n"
                     "    vat: hoog\n"
                     "    price_changes:\n"
                     "      - from: 2027-01-01\n"
                     "        prijs: 50\n");
    dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:14:9: unknown key 'prijs' in price change; did you "
        "mean 'price'?",
        "$D/practice.yaml:13:9: price change is missing required key "
        "'price'"});
    free(dir);
    free(text);
    /* A key given twice. */
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    price: 46\n"
                 "    vat: hoog\n",
                 "$D/practice.yaml:11:5: duplicate key 'price' in "
                 "subscription_type");
}

/* 2.2 Unknown sections. */
static void t2_2_unknown_section(void **state)
{
    expect_extra("vat_rate:\n  - id: laag\n",
                 "$D/practice.yaml:7:1: unknown section 'vat_rate'; did you "
                 "mean 'vat_rates'?");
    expect_extra("customers: []\n",
                 "$D/practice.yaml:7:1: unknown section 'customers' (expected "
                 "practice, vat_rates, subscription_types, packages, products, "
                 "appointment_types, plans, discount_codes, templates, "
                 "reminder_schedules, placements or include)");
    char *dir = practice_dir("practice.yaml", "- practice\n", NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:1:1: a rule file must be a mapping of sections "
        "(practice, vat_rates, subscription_types, ...)",
        "$D: no 'practice' settings in any rule file"});
    free(dir);
}

/* 2.3 A wrong value for each type of field says what was expected. */
static void t2_3_wrong_types(void **state)
{
    /* money */
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45,00\n"
                 "    vat: hoog\n",
                 "$D/practice.yaml:10:12: 'price' must be an amount like "
                 "45.00, not '45,00'");
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: -5\n"
                 "    vat: hoog\n",
                 "$D/practice.yaml:10:12: 'price' must be an amount like "
                 "45.00, not '-5'");
    /* int */
    char *dir = practice_dir("practice.yaml",
                             "practice:\n"
                             "  name: Praktijk\n"
                             "  payment_term_days: two weeks\n",
                             NULL);
    expect_error(dir, "$D/practice.yaml:3:22: 'payment_term_days' must be a "
                      "whole number >= 0, not 'two weeks'");
    free(dir);
    dir = practice_dir("practice.yaml",
                       "practice:\n"
                       "  name: Praktijk\n"
                       "  direct_debit:\n"
                       "    days_before_period: -3\n",
                       NULL);
    expect_error(dir, "$D/practice.yaml:4:25: 'days_before_period' must be a "
                      "whole number >= 0, not '-3'");
    free(dir);
    /* bool */
    dir = practice_dir("practice.yaml",
                       "practice:\n"
                       "  name: Praktijk\n"
                       "  prices_include_vat: maybe\n",
                       NULL);
    expect_error(dir, "$D/practice.yaml:3:23: 'prices_include_vat' must be "
                      "true or false, not 'maybe'");
    free(dir);
    /* date */
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    price_changes:\n"
                 "      - from: 2026-02-30\n"
                 "        price: 50\n",
                 "$D/practice.yaml:13:15: 'from': invalid date '2026-02-30' "
                 "(no such day)");
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    price_changes:\n"
                 "      - from: 1-1-2027\n"
                 "        price: 50\n",
                 "$D/practice.yaml:13:15: 'from': invalid date '1-1-2027' "
                 "(expected YYYY-MM-DD)");
    /* percent */
    expect_extra("  - id: luxe\n"
                 "    name: Luxe\n"
                 "    percent: 120\n",
                 "$D/practice.yaml:9:14: 'percent' must be a percentage "
                 "between 0 and 100 (e.g. 21 or 5.5), not '120'");
    expect_extra("  - id: luxe\n"
                 "    name: Luxe\n"
                 "    percent: 21%\n",
                 "$D/practice.yaml:9:14: 'percent' must be a percentage "
                 "between 0 and 100 (e.g. 21 or 5.5), not '21%'");
    /* enum */
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    period: week\n"
                 "    price: 45\n"
                 "    vat: hoog\n",
                 "$D/practice.yaml:10:13: 'period' must be one of month, "
                 "quarter, year, not 'week'");
    /* slug */
    expect_extra("subscription_types:\n"
                 "  - id: Fit Plus\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n",
                 "$D/practice.yaml:8:9: 'id' must be a slug (lowercase "
                 "letters, digits, '-' and '_', starting with a letter or "
                 "digit), not 'Fit Plus'");
    /* locale */
    dir = practice_dir("practice.yaml",
                       "practice:\n"
                       "  name: Praktijk\n"
                       "  locale: de\n",
                       NULL);
    expect_error(dir, "$D/practice.yaml:3:11: 'locale' must be nl, fr or en, "
                      "not 'de'");
    free(dir);
    /* a list where one value belongs, a scalar where a mapping does */
    dir = practice_dir("practice.yaml",
                       "practice:\n"
                       "  name: [a, b]\n"
                       "  smtp: localhost\n",
                       NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:2:9: 'name' in practice must be a single value, "
        "not a list",
        "$D/practice.yaml:3:9: 'smtp' must be a mapping, not a scalar"});
    free(dir);
    /* delay */
    char *text = xasprintf("%s%s", MINIMAL,
                           "templates:\n"
                           "  - id: herinnering\n"
                           "    name: Herinnering\n"
                           "    event: payment_reminder\n"
                           "    subject: Herinnering\n"
                           "    body: Betaal a.u.b.\n"
                           "reminder_schedules:\n"
                           "  - id: standaard\n"
                           "    name: Standaard\n"
                           "    steps:\n"
                           "      - after: 2 weeks\n"
                           "        template: herinnering\n"
                           "      - after: soon\n"
                           "        template: herinnering\n");
    dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:17:16: unknown unit 'weeks' in 'after' (expected "
        "hours, days or months)",
        "$D/practice.yaml:19:16: 'after' must be a delay like '3 days', "
        "'12 hours' or '1 month', not 'soon'"});
    free(dir);
    free(text);
}

/* 2.4 A missing required key is reported at the definition. */
static void t2_4_missing_required(void **state)
{
    expect_extra("  - id: laag\n"
                 "    name: Laag\n",
                 "$D/practice.yaml:7:5: vat_rate is missing required key "
                 "'percent'");
    char *text = xasprintf("%s%s", MINIMAL,
                           "subscription_types:\n"
                           "  - id: fit\n"
                           "    name: Fit\n");
    char *dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:8:5: subscription_type is missing required key "
        "'price'",
        "$D/practice.yaml:8:5: subscription_type is missing required key "
        "'vat'"});
    free(dir);
    free(text);
    dir = practice_dir("practice.yaml", "practice:\n  kvk: \"12345678\"\n", NULL);
    expect_error(dir, "$D/practice.yaml:2:3: practice is missing required key "
                      "'name'");
    free(dir);
}

/* 2.5 An id defined twice, in one file or across files. */
static void t2_5_duplicate_id(void **state)
{
    expect_extra("  - id: hoog\n"
                 "    name: Hoog bis\n"
                 "    percent: 21\n",
                 "$D/practice.yaml:7:9: vat_rate 'hoog' is defined twice "
                 "(first at $D/practice.yaml:4)");
    char *dir = practice_dir("a.yaml",
                             "vat_rates:\n"
                             "  - id: vrijgesteld\n"
                             "    name: Mijn vrijstelling\n"
                             "    percent: 0\n",
                             "b.yaml",
                             "include: nl-zorg\n"
                             "practice:\n"
                             "  name: Praktijk\n",
                             NULL);
    expect_error(dir, "./rules/nl-zorg/vat.yaml:3:9: vat_rate 'vrijgesteld' is "
                      "defined twice (first at $D/a.yaml:2)");
    free(dir);
}

/* 2.6 A reference to an undefined id, with a suggestion when one is
 * close; references are checked after every file is read. */
static void t2_6_undefined_reference(void **state)
{
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hogg\n",
                 "$D/practice.yaml:11:10: 'vat' refers to undefined vat_rate "
                 "'hogg'; did you mean 'hoog'?");
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: standard\n",
                 "$D/practice.yaml:11:10: 'vat' refers to undefined vat_rate "
                 "'standard'");
    expect_extra("reminder_schedules:\n"
                 "  - id: standaard\n"
                 "    name: Standaard\n"
                 "    steps:\n"
                 "      - after: 3 days\n"
                 "        template: herinering\n",
                 "$D/practice.yaml:12:19: 'template' refers to undefined "
                 "template 'herinering'");
    /* Defined in a later file: fine. */
    char *dir = practice_dir("a.yaml",
                             "subscription_types:\n"
                             "  - id: fit\n"
                             "    name: Fit\n"
                             "    price: 45\n"
                             "    vat: hoog\n",
                             "b.yaml", MINIMAL, NULL);
    struct rules *r = load_ok(dir);
    assert_ptr_equal(rules_subscription_type(r, "fit")->vat,
                     rules_vat_rate(r, "hoog"));
    rules_free(r);
    free(dir);
}

/* 2.7 An exempt VAT rate needs the text printed on invoices, and no
 * percentage. */
static void t2_7_exempt(void **state)
{
    expect_extra("  - id: vrij\n"
                 "    name: Vrij\n"
                 "    percent: 0\n"
                 "    exempt: true\n",
                 "$D/practice.yaml:10:13: vat_rate 'vrij' is exempt: give "
                 "the exempt_text printed on invoices");
    expect_extra("  - id: vrij\n"
                 "    name: Vrij\n"
                 "    percent: 9\n"
                 "    exempt: true\n"
                 "    exempt_text: Vrijgesteld\n",
                 "$D/practice.yaml:9:14: vat_rate 'vrij' is exempt but has a "
                 "percent other than 0");
}

/* 2.8 An IBAN or creditor id that fails its check digits is reported
 * where the value is written, not at the 'practice:' key. */
static void t2_8_iban_creditor_id(void **state)
{
    char *dir = practice_dir("practice.yaml",
                             "practice:\n"
                             "  name: Praktijk\n"
                             "  iban: NL91ABNA0417164301\n"
                             "  creditor_id: NL00ZZZ123456780000\n",
                             NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:3:9: practice iban 'NL91ABNA0417164301' fails its "
        "check digits",
        "$D/practice.yaml:4:16: practice creditor_id 'NL00ZZZ123456780000' "
        "fails its check digits"});
    free(dir);
}

/* 2.9 A hook naming a file that exists neither in the practice's hooks/
 * nor in lua/. */
static void t2_9_unknown_hook_file(void **state)
{
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    prorate: daily_prorating\n",
                 "$D/practice.yaml:12:14: hook 'daily_prorating': no file "
                 "hooks/daily_prorating.lua in the practice nor "
                 "lua/daily_prorating.lua in the standard library; did you "
                 "mean 'daily_proration'?");
}

/* 2.10 An unknown template placeholder, at its line and column: in a
 * quoted subject (column past the quote), in a plain body, on the first
 * text line of a block scalar `body: |` (the line after the '|'), and an
 * unterminated "{{". */
static void t2_10_template_placeholder(void **state)
{
    char *text = xasprintf("%s%s", MINIMAL,
                           "templates:\n"
                           "  - id: betaald\n"
                           "    name: Betaald\n"
                           "    event: invoice_paid\n"
                           "    subject: \"Betaald: {{ invoice.nummer }}\"\n"
                           "    body: |\n"
                           "      Beste {{ account.nam }},\n"
                           "      Dank u.\n");
    char *dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:11:27: template subject: unknown placeholder "
        "'invoice.nummer' (did you mean 'invoice.number'?)",
        "$D/practice.yaml:13:16: template body: unknown placeholder "
        "'account.nam' (did you mean 'account.name'?)"});
    free(dir);
    free(text);

    text = xasprintf("%s%s", MINIMAL,
                     "templates:\n"
                     "  - id: betaald\n"
                     "    name: Betaald\n"
                     "    event: invoice_paid\n"
                     "    subject: Betaald {{ invoice.number\n"
                     "    body: Hallo {{ }}\n");
    dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:11:22: template subject: unterminated '{{': "
        "expected '}}' before the end of the line",
        "$D/practice.yaml:12:17: template body: empty placeholder: expected a "
        "name inside '{{ }}'"});
    free(dir);
    free(text);
    expect_extra("templates:\n"
                 "  - id: betaald\n"
                 "    name: Betaald\n"
                 "    event: invoice_paid\n"
                 "    subject: Betaald\n"
                 "    body: Hallo {{ klant }}\n",
                 "$D/practice.yaml:12:20: template body: unknown "
                 "placeholder 'klant'");
    expect_extra("templates:\n"
                 "  - id: betaald\n"
                 "    name: Betaald\n"
                 "    event: invoice_paid\n"
                 "    subject: \"Betaald\\r\\nBcc: x@example.org\"\n"
                 "    body: Dank u\n",
                 "$D/practice.yaml:11:15: template subject must be one line");
}

/* 2.11 A placeholder on a later line of a block scalar: the column in the
 * file is the block's indentation plus the column in the text, on every
 * line of the block, not only its first. Here
 * "      Uw factuur {{ invoice.numbr }}" is line 15; the name starts at
 * column 6 + 15 = 21. */
static void t2_11_block_scalar_later_line(void **state)
{
    expect_extra("templates:\n"
                 "  - id: betaald\n"
                 "    name: Betaald\n"
                 "    event: invoice_paid\n"
                 "    subject: Betaald\n"
                 "    body: |\n"
                 "      Beste {{ account.name }},\n"
                 "\n"
                 "      Uw factuur {{ invoice.numbr }} is betaald.\n",
                 "$D/practice.yaml:15:21: template body: unknown placeholder "
                 "'invoice.numbr' (did you mean 'invoice.number'?)");
}

/* 2.12 The same in a block scalar indented four spaces deeper than its
 * key (a file written with four-space indentation): the indentation is
 * read from the text, not assumed to be the key's plus 2; '{{' is at
 * column 24, the name at 27. */
static void t2_12_block_scalar_deep_indent(void **state)
{
    char *dir = practice_dir("practice.yaml",
                             "practice:\n"
                             "    name: Praktijk\n"
                             "templates:\n"
                             "    -   id: betaald\n"
                             "        name: Betaald\n"
                             "        event: invoice_paid\n"
                             "        subject: Betaald\n"
                             "        body: |\n"
                             "            Uw factuur {{ invoice.numbr }}.\n",
                             NULL);
    expect_error(dir, "$D/practice.yaml:9:27: template body: unknown "
                      "placeholder 'invoice.numbr' (did you mean "
                      "'invoice.number'?)");
    free(dir);
}

/* 2.13 An unknown event, with a suggestion. */
static void t2_13_unknown_event(void **state)
{
    expect_extra("templates:\n"
                 "  - id: betaald\n"
                 "    name: Betaald\n"
                 "    event: invoice_payed\n"
                 "    subject: Betaald\n"
                 "    body: Dank u\n",
                 "$D/practice.yaml:10:12: unknown event 'invoice_payed'; did "
                 "you mean 'invoice_paid'?");
    expect_extra("templates:\n"
                 "  - id: betaald\n"
                 "    name: Betaald\n"
                 "    event: birthday\n"
                 "    subject: Gefeliciteerd\n"
                 "    body: Hoera\n",
                 "$D/practice.yaml:10:12: unknown event 'birthday'");
}

/* 2.14 A YAML syntax error names the place libyaml stopped; the other
 * files are still read and checked. */
static void t2_14_yaml_syntax(void **state)
{
    char *dir = practice_dir("a.yaml",
                             "vat_rates:\n"
                             "  - id: laag\n"
                             "    name: [Laag\n"
                             "    percent: 9\n",
                             "b.yaml",
                             "practice:\n"
                             "  name: Praktijk\n"
                             "  kleur: rood\n",
                             NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/a.yaml:4:12: YAML syntax error: the '[' at line 3, column 11 is "
        "not closed on its line\n"
        "      4 |     percent: 9\n"
        "        |            ^\n"
        "  hint: entries in brackets are separated by ',' and the brackets "
        "close with ']' or '}' (or write the list one '- ' entry a line)",
        "$D/b.yaml:3:3: unknown key 'kleur' in practice (expected one of: "
        "name, address, kvk, vat_number, siret, country, iban, bic, "
        "creditor_id, currency, "
        "locale, timezone, email, *"});
    free(dir);
    dir = practice_dir("practice.yaml",
                       "practice:\n"
                       "  name: Praktijk\n"
                       "   kvk: 1\n",
                       NULL);
    /* The practice settings are in the file that does not parse: no
     * second message that there are none. */
    expect_errors(dir, 1, (const char *const[]){
        "$D/practice.yaml:3:7: YAML syntax error: this line is indented "
        "deeper than the key above it\n"
        "      3 |    kvk: 1\n"
        "        |       ^\n"
        "  hint: the keys of one mapping start in the same column (the line "
        "above starts at column 3); a value that goes on over several lines "
        "must be quoted or written as a block ('|')"});
    free(dir);
}

/* 2.15 Practice settings given in two files. */
static void t2_15_practice_twice(void **state)
{
    char *dir = practice_dir("a.yaml", MINIMAL, "b.yaml",
                             "practice:\n  name: Andere praktijk\n", NULL);
    expect_error(dir, "$D/b.yaml:1:1: practice settings are defined twice "
                      "(first at $D/a.yaml:1)");
    free(dir);
}

/* 2.16 Every error in a file is reported, in file order, then the
 * cross-file checks. */
static void t2_16_all_errors(void **state)
{
    char *text = xasprintf("%s%s", MINIMAL,
                           "  - id: laag\n"
                           "    name: Laag\n"
                           "    percent: 9,5\n"
                           "subscription_types:\n"
                           "  - id: fit\n"
                           "    name: Fit\n"
                           "    price: 45\n"
                           "    vat: laagg\n"
                           "    perod: month\n");
    char *dir = practice_dir("practice.yaml", text, NULL);
    expect_errors(dir, 3, (const char *const[]){
        "$D/practice.yaml:9:14: 'percent' must be a percentage between 0 and "
        "100 (e.g. 21 or 5.5), not '9,5'",
        "$D/practice.yaml:15:5: unknown key 'perod' in subscription_type; did "
        "you mean 'period'?",
        "$D/practice.yaml:14:10: 'vat' refers to undefined vat_rate 'laagg'; "
        "did you mean 'laag'?"});
    free(dir);
    free(text);
}

/* 2.17 Semantic checks of the settings and definitions. */
static void t2_17_semantics(void **state)
{
    char *dir = practice_dir("practice.yaml",
                             "practice:\n"
                             "  name: Praktijk\n"
                             "  currency: USD\n"
                             "  invoice_number_format: \"{year}-nr\"\n"
                             "  timezone: Europe/Utrecht\n",
                             NULL);
    expect_errors(dir, 3, (const char *const[]){
        "$D/practice.yaml:3:13: currency must be EUR, not 'USD'",
        "$D/practice.yaml:4:26: invoice_number_format '{year}-nr' has no {seq}",
        "$D/practice.yaml:5:13: unknown timezone 'Europe/Utrecht' (expected an "
        "IANA name such as Europe/Amsterdam)"});
    free(dir);
    expect_extra("products:\n"
                 "  - code: los\n"
                 "    name: Los\n"
                 "    price: 5\n"
                 "    vat: hoog\n"
                 "    credits: 2\n",
                 "$D/practice.yaml:12:14: product 'los' has credits but no "
                 "package");
    expect_extra("discount_codes:\n"
                 "  - code: dubbel\n"
                 "    name: Dubbel\n"
                 "    percent: 10\n"
                 "    amount: 5\n",
                 "$D/practice.yaml:11:13: discount_code 'dubbel' needs exactly "
                 "one of percent and amount");
    expect_extra("plans:\n"
                 "  - id: leeg\n"
                 "    name: Leeg\n"
                 "    vat: hoog\n",
                 "$D/practice.yaml:8:5: plan 'leeg' needs seat_price_month or "
                 "seat_price_year");
    dir = practice_dir("x.yaml", "vat_rates: []\n", NULL);
    expect_error(dir, "$D: no 'practice' settings in any rule file");
    free(dir);
}

/* 2.18 Includes that cannot be read. */
static void t2_18_bad_include(void **state)
{
    char *dir = practice_dir("practice.yaml",
                             "include: [nl-zorg, nl-tandarts, ../etc]\n"
                             "practice:\n"
                             "  name: Praktijk\n",
                             NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:1:20: include: no rule set 'nl-tandarts' (looked in "
        "./rules/nl-tandarts)",
        "$D/practice.yaml:1:33: include: '../etc' is not a rule-set name"});
    free(dir);
}

/* 2.19 Errors about an entry of a list (a reminder step, a price change)
 * name the entry's place ("file:line:col: "), like every other rule-file
 * error: each entry records where it is written. */
static void t2_19_list_entry_places(void **state)
{
    expect_extra("templates:\n"
                 "  - id: betaald\n"
                 "    name: Betaald\n"
                 "    event: invoice_paid\n"
                 "    subject: Betaald\n"
                 "    body: Dank u\n"
                 "reminder_schedules:\n"
                 "  - id: standaard\n"
                 "    name: Standaard\n"
                 "    steps:\n"
                 "      - after: 3 days\n"
                 "        template: betaald\n",
                 "$D/practice.yaml:18:19: reminder step template 'betaald' "
                 "has event 'invoice_paid', expected 'payment_reminder'");
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    price_changes:\n"
                 "      - from: 2027-01-01\n"
                 "        price: 50\n"
                 "      - from: 2027-01-01\n"
                 "        price: 55\n",
                 "$D/practice.yaml:15:9: two price changes of 'fit' on the "
                 "same date");
    char *dir = full_practice();
    struct rules *r = load_ok(dir);
    const struct subscription_type *fit = rules_subscription_type(r, "fit");
    char *f = xasprintf("%s/practice.yaml", dir);
    assert_non_null(fit->changes[0].at.file);
    assert_string_equal(fit->changes[0].at.file, f);
    assert_int_equal(fit->changes[0].at.line, 25); /* 2026-07-01, sorted */
    assert_int_equal(fit->changes[0].at.col, 9);
    assert_int_equal(fit->changes[1].at.line, 23);
    free(f);
    rules_free(r);
    free(dir);
}

/* 2.20 The practice's time zone must be a zone file civil_today can
 * read: a directory of zones, an absolute path and a name leaving the
 * zone directory are refused like an unknown name; real zones load. */
static void t2_20_timezone_files(void **state)
{
    static const char *const bad[] = {"Europe", "/etc/passwd",
                                      "../zoneinfo/UTC", "Europe/Amster dam"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *text = xasprintf("practice:\n"
                               "  name: Praktijk\n"
                               "  timezone: \"%s\"\n", bad[i]);
        char *dir = practice_dir("practice.yaml", text, NULL);
        /* A near miss of a zone file's name gets "did you mean". */
        char *want = i == 3 ? xasprintf("$D/practice.yaml:3:13: unknown "
                                        "timezone '%s'; did you mean "
                                        "'Europe/Amsterdam'?", bad[i])
                            : xasprintf("$D/practice.yaml:3:13: unknown "
                                        "timezone '%s' (expected an IANA "
                                        "name such as Europe/Amsterdam)",
                                        bad[i]);
        expect_error(dir, want);
        free(want);
        free(dir);
        free(text);
    }
    static const char *const good[] = {"Pacific/Kiritimati", "UTC",
                                       "America/New_York"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char *text = xasprintf("practice:\n"
                               "  name: Praktijk\n"
                               "  timezone: %s\n", good[i]);
        char *dir = practice_dir("practice.yaml", text, NULL);
        struct rules *r = load_ok(dir);
        assert_string_equal(r->practice.timezone, good[i]);
        rules_free(r);
        free(dir);
        free(text);
    }
}

/* ============================================================ 3. hash */

static char *hash_of(const char *dir)
{
    struct rules *r = load_ok(dir);
    char *h = xstrdup(r->hash);
    rules_free(r);
    return h;
}

static void set_file(const char *dir, const char *name, const char *text)
{
    write_at(dir, name, text);
}

/* 3.1 The hash covers every rule file and hook file: unchanged files give
 * the same hash, one changed byte anywhere gives another, and changing it
 * back gives the first again. */
static void t3_1_hash_changes_with_one_byte(void **state)
{
    char *dir = practice_dir("practice.yaml", MINIMAL, "hooks/h.lua",
                             "function prorate(ctx) return 1 end\n", NULL);
    char *h0 = hash_of(dir);
    char *h1 = hash_of(dir);
    assert_string_equal(h0, h1);
    free(h1);

    set_file(dir, "practice.yaml",
             "practice:\n  name: Praktijk\nvat_rates:\n  - id: hoog\n"
             "    name: Hoog\n    percent: 22\n");
    h1 = hash_of(dir);
    assert_string_not_equal(h0, h1);
    free(h1);
    set_file(dir, "practice.yaml", MINIMAL);
    h1 = hash_of(dir);
    assert_string_equal(h0, h1);
    free(h1);

    /* A hook file is part of the rule set. */
    set_file(dir, "hooks/h.lua", "function prorate(ctx) return 2 end\n");
    h1 = hash_of(dir);
    assert_string_not_equal(h0, h1);
    free(h1);
    set_file(dir, "hooks/h.lua", "function prorate(ctx) return 1 end\n");
    h1 = hash_of(dir);
    assert_string_equal(h0, h1);
    free(h1);

    /* A comment is a byte like any other. */
    char *text = xasprintf("%s# note\n", MINIMAL);
    set_file(dir, "practice.yaml", text);
    free(text);
    h1 = hash_of(dir);
    assert_string_not_equal(h0, h1);
    free(h1);

    /* A file that is not a rule file is not part of the rule set. */
    set_file(dir, "practice.yaml", MINIMAL);
    set_file(dir, "NOTES.txt", "anything\n");
    h1 = hash_of(dir);
    assert_string_equal(h0, h1);
    free(h1);
    free(h0);
    free(dir);
}

/* 3.2 The same rule files give the same hash wherever the practice
 * directory lives (a copy, or the same directory named by another path):
 * each file is hashed under its name relative to the practice (or
 * rule-set) directory, so the hash identifies the rules in force, not
 * the path they were read from. */
static void t3_2_hash_independent_of_location(void **state)
{
    char *a = practice_dir("practice.yaml", MINIMAL, NULL);
    char *b = practice_dir("practice.yaml", MINIMAL, NULL);
    char *ha = hash_of(a), *hb = hash_of(b);
    assert_string_equal(ha, hb);
    /* The same directory through "dir/." */
    char *a2 = xasprintf("%s/.", a);
    char *ha2 = hash_of(a2);
    assert_string_equal(ha, ha2);
    free(ha);
    free(hb);
    free(ha2);
    free(a2);
    free(a);
    free(b);
}

/* ============================================================ 4. limits */

/* 4.1 An alias bomb: nine levels of nine aliases each (a few KB of text)
 * expand to 387 million nodes; the load stops at the node budget, at
 * once, with one message. */
static void t4_1_alias_bomb(void **state)
{
    (void)state;
    struct sbuf b = {0};
    sb_add(&b, MINIMAL);
    sb_add(&b, "packages:\n  - id: p\n    name: P\n    internal_rate: 1\n"
               "    ledger_account: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++)
        sb_printf(&b, "    balance_item%d: &a%d [*a%d, *a%d, *a%d, *a%d, "
                      "*a%d, *a%d, *a%d, *a%d, *a%d]\n",
                  i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                  i - 1, i - 1);
    char *dir = practice_dir("practice.yaml", MINIMAL, "x.yaml",
                             sb_str(&b) + strlen(MINIMAL), NULL);
    struct diag dg = {0};
    assert_null(rules_load(dir, ".", &dg));
    assert_int_equal(dg.n, 1);
    assert_non_null(strstr(dg.msgs[0], "the YAML expands to more than "
                                       "200000 nodes (aliases are counted "
                                       "each time they are used)"));
    diag_free(&dg);
    sb_free(&b);
    free(dir);
}

/* 4.2 Nesting deeper than 32 levels, and an alias inside itself. */
static void t4_2_depth(void **state)
{
    (void)state;
    struct sbuf b = {0};
    sb_add(&b, "packages: ");
    for (int i = 0; i < 40; i++)
        sb_add(&b, "[");
    for (int i = 0; i < 40; i++)
        sb_add(&b, "]");
    sb_add(&b, "\n");
    char *dir = practice_dir("practice.yaml", MINIMAL, "x.yaml", sb_str(&b),
                             NULL);
    expect_error(dir, "$D/x.yaml:1:42: the YAML nests deeper than 32 "
                      "levels (or an alias contains itself)");
    free(dir);
    sb_free(&b);
    dir = practice_dir("practice.yaml", MINIMAL, "x.yaml",
                       "packages: &l [*l]\n", NULL);
    expect_error(dir, "$D/x.yaml:1:11: the YAML nests deeper than 32 "
                      "levels (or an alias contains itself)");
    free(dir);
}

/* 4.3 A second document is refused, not silently dropped. */
static void t4_3_multi_document(void **state)
{
    (void)state;
    expect_extra("---\n"
                 "packages:\n"
                 "  - id: p\n",
                 "$D/practice.yaml:7:1: a second YAML document ('---'): a "
                 "rule file holds one document; put the definitions in "
                 "another file or remove the '---'");
}

/* 4.4 A NUL in a string (the "\0" escape) is refused. */
static void t4_4_nul(void **state)
{
    (void)state;
    char *dir = practice_dir("practice.yaml", MINIMAL, "x.yaml",
                             "packages:\n"
                             "  - id: p\n"
                             "    name: \"Pak\\0ket\"\n"
                             "    internal_rate: 1\n", NULL);
    expect_error(dir, "$D/x.yaml:3:11: a NUL character (\\0) in a string "
                      "is refused");
    free(dir);
}

/* 4.5 Files that are too large or not regular files. */
static void t4_5_file_size_and_kind(void **state)
{
    (void)state;
    char *dir = practice_dir("practice.yaml", MINIMAL, NULL);
    char *link = xasprintf("%s/zero.yaml", dir);
    assert_int_equal(symlink("/dev/zero", link), 0);
    expect_error(dir, "$D/zero.yaml: not a regular file (rule and hook files "
                      "must be plain files)");
    unlink(link);
    free(link);

    char *big = xasprintf("%s/big.yaml", dir);
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    for (int i = 0; i < 1024 * 1024 / 8 + 1; i++)
        fputs("# 45678\n", f);
    fclose(f);
    expect_error(dir, "$D/big.yaml: 1048584 bytes, more than the 1048576 a "
                      "rule or hook file may have");
    unlink(big);
    free(big);

    /* Nine files of 1 MiB less a little: the total runs out. */
    for (int n = 0; n < 9; n++) {
        char *p = xasprintf("%s/c%d.yaml", dir, n);
        f = fopen(p, "w");
        assert_non_null(f);
        for (int i = 0; i < 1024 * 1024 / 8 - 1; i++)
            fputs("# 45678\n", f);
        fclose(f);
        free(p);
    }
    static const char *const total[] = {
        "$D/c8.yaml: the rule and hook files together exceed 8388608 bytes",
        "$D/practice.yaml: the rule and hook files together exceed 8388608 "
        "bytes",
        "$D: no 'practice' settings in any rule file",
    };
    expect_errors(dir, 3, total);
    free(dir);

    dir = practice_dir("practice.yaml", MINIMAL, "hooks/ok.lua", "", NULL);
    link = xasprintf("%s/hooks/zero.lua", dir);
    assert_int_equal(symlink("/dev/zero", link), 0);
    expect_error(dir, "$D/hooks/zero.lua: not a regular file (rule and hook "
                      "files must be plain files)");
    free(link);
    free(dir);
}

/* 4.6 A hook is named by a file in hooks/ or lua/, never by a path. */
static void t4_6_hook_outside(void **state)
{
    (void)state;
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    prorate: ../../outside/evil\n",
                 "$D/practice.yaml:12:14: hook '../../outside/evil': a hook "
                 "is named by its file in the practice's hooks/ or the "
                 "standard lua/ library (a name like daily_proration, no "
                 "'/' or '..')");
    expect_extra("subscription_types:\n"
                 "  - id: fit\n"
                 "    name: Fit\n"
                 "    price: 45\n"
                 "    vat: hoog\n"
                 "    prorate: /etc/passwd\n",
                 "$D/practice.yaml:12:14: hook '/etc/passwd': a hook "
                 "is named by its file in the practice's hooks/ or the "
                 "standard lua/ library (a name like daily_proration, no "
                 "'/' or '..')");
}

/* 4.7 A standard-library hook is part of the rule-set hash: the same
 * practice binding it or not hashes differently, and its text counts. */
static void t4_7_library_hook_in_hash(void **state)
{
    (void)state;
    const char *types = "subscription_types:\n"
                        "  - id: fit\n"
                        "    name: Fit\n"
                        "    price: 45\n"
                        "    vat: hoog\n";
    char *a = xasprintf("%s%s", MINIMAL, types);
    char *b = xasprintf("%s%s    prorate: daily_proration\n", MINIMAL, types);
    char *da = practice_dir("practice.yaml", a, NULL);
    char *db = practice_dir("practice.yaml", b, NULL);
    struct rules *ra = load_ok(da), *rb = load_ok(db);
    assert_string_not_equal(ra->hash, rb->hash);
    rules_free(ra);
    rules_free(rb);
    free(a);
    free(b);
    free(da);
    free(db);
}

/* 4.8 Every number setting within its range, reported at the value: the
 * issue's lead days of a million, a reminder two billion days late, a
 * {seq:40} number width. */
static void t4_8_number_ranges(void **state)
{
    (void)state;
    char *dir = practice_dir(
        "practice.yaml",
        "practice:\n"
        "  name: Praktijk\n"
        "  payment_term_days: 400\n"
        "  invoice_number_format: \"{year}-{seq:40}\"\n"
        "  credit_note_number_format: \"C{yaer}-{seq}\"\n"
        "  direct_debit:\n"
        "    days_before_period: 1000000\n"
        "  hooks:\n"
        "    instruction_limit: 0\n"
        "  smtp:\n"
        "    port: 70000\n"
        "vat_rates:\n"
        "  - id: hoog\n"
        "    name: Hoog\n"
        "    percent: 21\n"
        "templates:\n"
        "  - id: herinnering\n"
        "    name: Herinnering\n"
        "    event: payment_reminder\n"
        "    subject: Herinnering\n"
        "    body: Betaal\n"
        "    delay_hours: 9000\n"
        "reminder_schedules:\n"
        "  - id: standaard\n"
        "    name: Standaard\n"
        "    steps:\n"
        "      - after: 2147483647 days\n"
        "        template: herinnering\n"
        "      - after: 25 months\n"
        "        template: herinnering\n"
        "      - after: 99999999999999999999 days\n"
        "        template: herinnering\n",
        NULL);
    static const char *const want[] = {
        "$D/practice.yaml:3:22: 'payment_term_days' must be between 0 and "
        "365 (days to pay an invoice), not 400",
        "$D/practice.yaml:7:25: 'days_before_period' must be between 0 and "
        "60 (days a direct-debit invoice is made before its period), not "
        "1000000",
        "$D/practice.yaml:9:24: 'instruction_limit' must be between 1000 and "
        "1000000000 (Lua instructions per hook call), not 0",
        "$D/practice.yaml:11:11: 'port' must be between 1 and 65535 (a TCP "
        "port), not 70000",
        "$D/practice.yaml:22:18: 'delay_hours' must be between 0 and 8760 "
        "(hours, at most a year), not 9000",
        "$D/practice.yaml:27:16: 'after' must be at most 730 days (two "
        "years), not '2147483647 days'",
        "$D/practice.yaml:29:16: 'after' must be at most 24 months (two "
        "years), not '25 months'",
        "$D/practice.yaml:31:16: 'after' must be at most 730 days (two "
        "years), not '99999999999999999999 days'",
        "$D/practice.yaml:4:26: invoice_number_format '{year}-{seq:40}': "
        "{seq:N} takes a width N from 1 to 18, not '40'",
        "$D/practice.yaml:5:30: credit_note_number_format 'C{yaer}-{seq}': "
        "unknown placeholder {yaer}; did you mean {year}?",
    };
    expect_errors(dir, sizeof want / sizeof want[0], want);
    free(dir);
}

/* 4.9 A Lua syntax error is reported in the same pass as YAML errors. */
static void t4_9_lua_and_yaml_in_one_pass(void **state)
{
    (void)state;
    char *text = xasprintf("%s%s", MINIMAL, "vat_ratez: []\n");
    char *dir = practice_dir("practice.yaml", text, "hooks/bad.lua",
                             "function prorate(ctx)\n  return ctx.price +\n"
                             "end\n", NULL);
    static const char *const want[] = {
        "$D/practice.yaml:7:1: unknown section 'vat_ratez'; did you mean "
        "'vat_rates'?",
        "$D/hooks/bad.lua:3: unexpected symbol near 'end'",
    };
    expect_errors(dir, 2, want);
    free(text);
    free(dir);
}

/* ============================================================ 5. placeholders */

/* 5.1 Which events fill a placeholder: every event the account and the
 * practice; invoice amounts for invoice events only; the subscription's
 * name for subscription invoices only; names nothing fills yet for none. */
static void t5_1_filled_for(void **state)
{
    (void)state;
    assert_true(placeholder_filled_for("account.name", EV_HOURS_MISSING));
    assert_true(placeholder_filled_for("practice.iban", EV_CREDIT_NOTE));
    assert_true(placeholder_filled_for("invoice.total", EV_PRODUCT_INVOICE));
    assert_false(placeholder_filled_for("invoice.total", EV_HOURS_MISSING));
    assert_true(placeholder_filled_for("subscription.name",
                                       EV_SUBSCRIPTION_INVOICE_DD_FIRST));
    assert_false(placeholder_filled_for("subscription.name",
                                        EV_PRODUCT_INVOICE));
    assert_true(placeholder_filled_for("payment.date", EV_INVOICE_PAID));
    assert_false(placeholder_filled_for("payment.date", EV_CREDIT_NOTE));
    assert_true(placeholder_filled_for("invoice.original_number",
                                       EV_CREDIT_NOTE));
    assert_false(placeholder_filled_for("mandate.id",
                                        EV_SUBSCRIPTION_INVOICE_DD));
    assert_false(placeholder_filled_for("invoice.nummer",
                                        EV_SUBSCRIPTION_INVOICE));
    /* every known name is in the table */
    for (const char *const *k = template_names; *k; k++) {
        int any = 0;
        for (int ev = 0; ev < EV_COUNT; ev++)
            any |= placeholder_filled_for(*k, (enum event)ev);
        assert_true(any || !strcmp(*k, "mandate.id") ||
                    !strcmp(*k, "mandate.iban") ||
                    !strcmp(*k, "payment.amount") ||
                    !strcmp(*k, "invoice.url"));
    }
}

/* 5.2 The setting a practice.* placeholder shows, and whether the
 * practice gives it (practice.email also from smtp.from). */
static void t5_2_settings(void **state)
{
    (void)state;
    struct practice p;
    memset(&p, 0, sizeof p);
    assert_string_equal(placeholder_setting("practice.phone"), "phone");
    assert_null(placeholder_setting("invoice.number"));
    assert_false(placeholder_setting_given(&p, "practice.phone"));
    assert_true(placeholder_setting_given(&p, "invoice.number"));
    p.phone = "030 123 45 67";
    assert_true(placeholder_setting_given(&p, "practice.phone"));
    assert_false(placeholder_setting_given(&p, "practice.email"));
    p.mail_from = "info@praktijk.example";
    assert_true(placeholder_setting_given(&p, "practice.email"));
    p.kvk = "";
    assert_false(placeholder_setting_given(&p, "practice.kvk"));
}

/* 5.3 A placeholder of the wrong event and one whose setting is missing
 * are errors at the placeholder; practice.phone loads with `phone`. */
static void t5_3_load(void **state)
{
    (void)state;
    char *dir = practice_dir("practice.yaml",
                             MINIMAL
                             "products:\n"
                             "  - code: band\n"
                             "    name: Band\n"
                             "    price: 5\n"
                             "    vat: hoog\n"
                             "templates:\n"
                             "  - id: p\n"
                             "    name: P\n"
                             "    event: product_invoice\n"
                             "    subject: \"{{ subscription.name }}\"\n"
                             "    body: \"Bel {{ practice.phone }}\"\n",
                             NULL);
    expect_errors(dir, 2, (const char *const[]){
        "$D/practice.yaml:16:18: template subject: placeholder "
        "'subscription.name' is not filled for event 'product_invoice' (it "
        "is filled only for subscription_invoice, "
        "subscription_invoice_direct_debit and "
        "subscription_invoice_direct_debit_first); the e-mail would show "
        "nothing there",
        "$D/practice.yaml:17:19: template body: placeholder "
        "'practice.phone' would be empty: the practice has no 'phone' "
        "setting"});
    free(dir);
    dir = practice_dir("practice.yaml",
                             "practice:\n"
                             "  name: Praktijk\n"
                             "  phone: 030 123 45 67\n"
                             "vat_rates:\n"
                             "  - id: hoog\n"
                             "    name: Hoog\n"
                             "    percent: 21\n"
                             "templates:\n"
                             "  - id: p\n"
                             "    name: P\n"
                             "    event: credit_note\n"
                             "    subject: \"Bel {{ practice.phone }}\"\n"
                             "    body: x\n",
                             NULL);
    struct rules *r = load_ok(dir);
    assert_string_equal(r->practice.phone, "030 123 45 67");
    rules_free(r);
    free(dir);
}

/* 5.4 Warnings do not refuse the rule set: a practice with a template
 * but none for credit notes loads, with the warning in dg.warns. */
static void t5_4_warnings(void **state)
{
    (void)state;
    char *dir = practice_dir("practice.yaml",
                             MINIMAL
                             "products:\n"
                             "  - code: band\n"
                             "    name: Band\n"
                             "    price: 5\n"
                             "    vat: hoog\n"
                             "templates:\n"
                             "  - id: p\n"
                             "    name: P\n"
                             "    event: product_invoice\n"
                             "    subject: x\n"
                             "    body: x\n",
                             NULL);
    struct diag dg = {0};
    struct rules *r = rules_load(dir, ".", &dg);
    assert_non_null(r);
    assert_int_equal(dg.n, 0);
    assert_int_equal(dg.n_warns, 1);
    char *want = xasprintf("%s: warning: no template for event "
                           "'credit_note': credit notes go out without an "
                           "e-mail", dir);
    assert_string_equal(dg.warns[0], want);
    free(want);
    diag_free(&dg);
    rules_free(r);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_defaults),
        cmocka_unit_test(t1_2_settings),
        cmocka_unit_test(t1_3_definitions),
        cmocka_unit_test(t1_4_price_on),
        cmocka_unit_test(t1_5_template_fallback),
        cmocka_unit_test(t1_6_each),
        cmocka_unit_test(t1_7_include),
        cmocka_unit_test(t1_8_reminder_steps_active_by_default),
        cmocka_unit_test(t2_1_unknown_key),
        cmocka_unit_test(t2_2_unknown_section),
        cmocka_unit_test(t2_3_wrong_types),
        cmocka_unit_test(t2_4_missing_required),
        cmocka_unit_test(t2_5_duplicate_id),
        cmocka_unit_test(t2_6_undefined_reference),
        cmocka_unit_test(t2_7_exempt),
        cmocka_unit_test(t2_8_iban_creditor_id),
        cmocka_unit_test(t2_9_unknown_hook_file),
        cmocka_unit_test(t2_10_template_placeholder),
        cmocka_unit_test(t2_11_block_scalar_later_line),
        cmocka_unit_test(t2_12_block_scalar_deep_indent),
        cmocka_unit_test(t2_13_unknown_event),
        cmocka_unit_test(t2_14_yaml_syntax),
        cmocka_unit_test(t2_15_practice_twice),
        cmocka_unit_test(t2_16_all_errors),
        cmocka_unit_test(t2_17_semantics),
        cmocka_unit_test(t2_18_bad_include),
        cmocka_unit_test(t2_19_list_entry_places),
        cmocka_unit_test(t2_20_timezone_files),
        cmocka_unit_test(t3_1_hash_changes_with_one_byte),
        cmocka_unit_test(t3_2_hash_independent_of_location),
        cmocka_unit_test(t4_1_alias_bomb),
        cmocka_unit_test(t4_2_depth),
        cmocka_unit_test(t4_3_multi_document),
        cmocka_unit_test(t4_4_nul),
        cmocka_unit_test(t4_5_file_size_and_kind),
        cmocka_unit_test(t4_6_hook_outside),
        cmocka_unit_test(t4_7_library_hook_in_hash),
        cmocka_unit_test(t4_8_number_ranges),
        cmocka_unit_test(t4_9_lua_and_yaml_in_one_pass),
        cmocka_unit_test(t5_1_filled_for),
        cmocka_unit_test(t5_2_settings),
        cmocka_unit_test(t5_3_load),
        cmocka_unit_test(t5_4_warnings),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
