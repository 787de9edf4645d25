/*
 * cli_plans.c — the seat-plan commands: plan start, change and
 * cancel-change, seat add, remove and list, usage record, discount apply
 * and report plans. Each parses its options, calls one use case of
 * usecase/plans.h inside one transaction and prints after the commit.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "face/cli.h"
#include "usecase/plans.h"
#include "usecase/reports.h"

int cmd_plan_start(struct cli *c, int argc, char **argv);
int cmd_plan_change(struct cli *c, int argc, char **argv);
int cmd_plan_cancel_change(struct cli *c, int argc, char **argv);
int cmd_seat_add(struct cli *c, int argc, char **argv);
int cmd_seat_remove(struct cli *c, int argc, char **argv);
int cmd_seat_list(struct cli *c, int argc, char **argv);
int cmd_usage_record(struct cli *c, int argc, char **argv);
int cmd_discount_apply(struct cli *c, int argc, char **argv);
int cmd_report_plans(struct cli *c, int argc, char **argv);
json_t *plan_def_fields_json(const struct def *d);

/* Every command's values, filled by its parser. */
struct plan_args {
    const char *account, *plan, *billing, *code, *seat, *name, *metric, *key;
    int student, repeat;
    enum plan_cycle cycle;
    int64_t quantity;
    cdate on, effective;
    char *cancelled;
};

/* "--account is required" and the like. */
static int need(const char *cmd, const char *what, const char *v)
{
    if (v)
        return 0;
    fprintf(stderr, "carebill %s: %s is required\n", cmd, what);
    return EXIT_USAGE;
}

/* --on/--from D, or the run date when absent and `dflt` allows it. */
static int day_arg(struct cli *c, const char *cmd, const char *opt,
                   const char *s, int dflt, cdate *out)
{
    if (!s && dflt) {
        *out = c->eng.today;
        return 0;
    }
    return cli_date(cmd, opt, s, out);
}

/* ================================================================ plan */

static int do_plan_start(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return plan_start(&c->eng, a->account, a->plan, a->billing, a->on,
                      a->code, e);
}

int cmd_plan_start(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill plan start --account ORG --plan P\n"
        "         --billing monthly|yearly --from D [--code CODE]\n"
        "Start organisation ORG on seat plan P from D (one plan per\n"
        "organisation). The first period starts after the plan's trial\n"
        "days; --code redeems a discount code for its invoices.\n";
    struct plan_args a = {0};
    const char *from = NULL;
    const struct opt opts[] = {{"--account", 1, &a.account, NULL},
                               {"--plan", 1, &a.plan, NULL},
                               {"--billing", 1, &a.billing, NULL},
                               {"--from", 1, &from, NULL},
                               {"--code", 1, &a.code, NULL},
                               {0}};
    int rc = cli_parse("plan start", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("plan start", "--account", a.account)) ||
        (rc = need("plan start", "--plan", a.plan)) ||
        (rc = need("plan start", "--billing", a.billing)) ||
        (rc = need("plan start", "--from", from)) ||
        (rc = cli_date("plan start", "--from", from, &a.on)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_plan_start, &a, &e) != 0)
        return cli_fail("plan start", &e);
    char d[11];
    printf("account %s on plan %s (%s) from %s\n", a.account, a.plan,
           a.billing, date_fmt(a.on, d));
    return EXIT_OK;
}

static int do_plan_change(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return plan_change(&c->eng, a->account, a->plan, a->billing, a->on,
                       &a->effective, e);
}

int cmd_plan_change(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill plan change --account ORG [--plan P]\n"
        "         [--billing monthly|yearly] [--on D]\n"
        "Change ORG's plan and/or billing cycle from the start of the next\n"
        "period after D (default: today), at no extra cost; monthly to\n"
        "yearly starts the year at the next monthly boundary. Prints the\n"
        "day it takes effect; cancel it before with plan cancel-change.\n";
    struct plan_args a = {0};
    const char *on = NULL;
    const struct opt opts[] = {{"--account", 1, &a.account, NULL},
                               {"--plan", 1, &a.plan, NULL},
                               {"--billing", 1, &a.billing, NULL},
                               {"--on", 1, &on, NULL},
                               {0}};
    int rc = cli_parse("plan change", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("plan change", "--account", a.account)))
        return rc;
    if (!a.plan && !a.billing) {
        fprintf(stderr, "carebill plan change: give --plan, --billing or "
                        "both\n");
        return EXIT_USAGE;
    }
    if ((on && (rc = cli_date("plan change", "--on", on, &a.on))) ||
        (rc = cli_need_ledger(c)) ||
        (rc = day_arg(c, "plan change", "--on", on, 1, &a.on)))
        return rc;
    struct err e;
    if (cli_tx(c, do_plan_change, &a, &e) != 0)
        return cli_fail("plan change", &e);
    char d[11];
    printf("account %s changes%s%s%s%s from %s\n", a.account,
           a.plan ? " to plan " : "", a.plan ? a.plan : "",
           a.billing ? ", billed " : "", a.billing ? a.billing : "",
           date_fmt(a.effective, d));
    return EXIT_OK;
}

static int do_plan_cancel(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return plan_cancel_change(&c->eng, a->account, a->on, &a->cancelled,
                              &a->cycle, &a->effective, e);
}

int cmd_plan_cancel_change(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill plan cancel-change --account ORG\n"
        "Cancel ORG's pending plan change before it takes effect.\n";
    struct plan_args a = {0};
    const struct opt opts[] = {{"--account", 1, &a.account, NULL}, {0}};
    int rc = cli_parse("plan cancel-change", help, opts, argc, argv, NULL, 0,
                       0);
    if (rc || (rc = need("plan cancel-change", "--account", a.account)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.on = c->eng.today;
    struct err e;
    if (cli_tx(c, do_plan_cancel, &a, &e) != 0)
        return cli_fail("plan cancel-change", &e);
    char d[11];
    printf("account %s: change to plan %s billed %s from %s cancelled\n",
           a.account, a.cancelled, plan_cycle_name(a.cycle),
           date_fmt(a.effective, d));
    free(a.cancelled);
    return EXIT_OK;
}

/* ================================================================ seats */

static int do_seat_add(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return seat_add(&c->eng, a->account, a->seat, a->name, a->student, a->on,
                    e);
}

int cmd_seat_add(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill seat add --account ORG --id S [--name N] [--student]\n"
        "         --from D\n"
        "Add seat S (a practitioner) to ORG's plan from D. A seat is billed\n"
        "for every period it is active on the first day of; one added\n"
        "during a period is billed from the next period.\n";
    struct plan_args a = {0};
    const char *from = NULL, *student = NULL;
    const struct opt opts[] = {{"--account", 1, &a.account, NULL},
                               {"--id", 1, &a.seat, NULL},
                               {"--name", 1, &a.name, NULL},
                               {"--student", 0, &student, NULL},
                               {"--from", 1, &from, NULL},
                               {0}};
    int rc = cli_parse("seat add", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("seat add", "--account", a.account)) ||
        (rc = need("seat add", "--id", a.seat)) ||
        (rc = need("seat add", "--from", from)) ||
        (rc = cli_date("seat add", "--from", from, &a.on)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.student = student != NULL;
    struct err e;
    if (cli_tx(c, do_seat_add, &a, &e) != 0)
        return cli_fail("seat add", &e);
    char d[11];
    printf("account %s: %sseat %s from %s\n", a.account,
           a.student ? "student " : "", a.seat, date_fmt(a.on, d));
    return EXIT_OK;
}

static int do_seat_remove(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return seat_remove(&c->eng, a->account, a->seat, a->on, e);
}

int cmd_seat_remove(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill seat remove --account ORG --id S --on D\n"
        "Remove seat S of ORG on D: it is no longer active from D (a period\n"
        "that started before D was billed with it).\n";
    struct plan_args a = {0};
    const char *on = NULL;
    const struct opt opts[] = {{"--account", 1, &a.account, NULL},
                               {"--id", 1, &a.seat, NULL},
                               {"--on", 1, &on, NULL},
                               {0}};
    int rc = cli_parse("seat remove", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("seat remove", "--account", a.account)) ||
        (rc = need("seat remove", "--id", a.seat)) ||
        (rc = need("seat remove", "--on", on)) ||
        (rc = cli_date("seat remove", "--on", on, &a.on)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_seat_remove, &a, &e) != 0)
        return cli_fail("seat remove", &e);
    char d[11];
    printf("account %s: seat %s removed on %s\n", a.account, a.seat,
           date_fmt(a.on, d));
    return EXIT_OK;
}

int cmd_seat_list(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill seat list --account ORG [--format table|json|csv]\n"
        "Every seat ORG has had: id, name, student, from and until (its last\n"
        "active day; empty while active).\n";
    static const struct out_col cols[] = {
        {"seat", 's'}, {"name", 's'}, {"student", 'b'}, {"from", 'd'},
        {"until", 'd'}};
    const char *account = NULL, *format = NULL;
    const struct opt opts[] = {{"--account", 1, &account, NULL},
                               {"--format", 1, &format, NULL},
                               {0}};
    enum out_format f = OUT_TABLE;
    int rc = cli_parse("seat list", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("seat list", "--account", account)) ||
        (format && (rc = out_format_parse("seat list", format, &f))) ||
        (rc = cli_need_reader(c)))
        return rc;
    struct seat_view *v;
    size_t n;
    struct err e;
    if (seat_list(&c->eng, account, &v, &n, &e) != 0)
        return cli_fail("seat list", &e);
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        char from[11], until[11];
        const char *row[] = {v[i].seat, v[i].name,
                             v[i].student ? "true" : "false",
                             date_fmt(v[i].from, from),
                             v[i].until == CDATE_NONE
                                 ? NULL
                                 : date_fmt(v[i].until, until)};
        out_row(t, row);
    }
    seat_views_free(v, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

/* ================================================================ usage */

static int do_usage(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return usage_record(&c->eng, a->account, a->metric, a->quantity, a->on,
                        a->key, &a->repeat, e);
}

int cmd_usage_record(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill usage record --account ORG --metric M --quantity N\n"
        "         --on D [--id KEY]\n"
        "Record N units of metric M used by ORG on D, at its plan's price;\n"
        "billed on the invoice of the next period. With --id, sending the\n"
        "same event again changes nothing.\n";
    struct plan_args a = {0};
    const char *on = NULL, *qty = NULL;
    const struct opt opts[] = {{"--account", 1, &a.account, NULL},
                               {"--metric", 1, &a.metric, NULL},
                               {"--quantity", 1, &qty, NULL},
                               {"--on", 1, &on, NULL},
                               {"--id", 1, &a.key, NULL},
                               {0}};
    int rc = cli_parse("usage record", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("usage record", "--account", a.account)) ||
        (rc = need("usage record", "--metric", a.metric)) ||
        (rc = need("usage record", "--quantity", qty)) ||
        (rc = need("usage record", "--on", on)) ||
        (rc = cli_int("usage record", "--quantity", qty, 1, 1000000,
                      &a.quantity)) ||
        (rc = cli_date("usage record", "--on", on, &a.on)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_usage, &a, &e) != 0)
        return cli_fail("usage record", &e);
    char d[11];
    if (a.repeat)
        printf("account %s: usage %s recorded before; nothing changed\n",
               a.account, a.key);
    else
        printf("account %s: %lld %s on %s\n", a.account,
               (long long)a.quantity, a.metric, date_fmt(a.on, d));
    return EXIT_OK;
}

/* ================================================================ discount */

static int do_discount(struct cli *c, void *arg, struct err *e)
{
    struct plan_args *a = arg;
    return discount_apply(&c->eng, a->account, a->code, a->on, e);
}

int cmd_discount_apply(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill discount apply --account ORG --code C [--on D]\n"
        "Redeem discount code C for ORG on D (default: today): it\n"
        "discounts ORG's next invoices as the code says.\n";
    struct plan_args a = {0};
    const char *on = NULL;
    const struct opt opts[] = {{"--account", 1, &a.account, NULL},
                               {"--code", 1, &a.code, NULL},
                               {"--on", 1, &on, NULL},
                               {0}};
    int rc = cli_parse("discount apply", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = need("discount apply", "--account", a.account)) ||
        (rc = need("discount apply", "--code", a.code)) ||
        (on && (rc = cli_date("discount apply", "--on", on, &a.on))) ||
        (rc = cli_need_ledger(c)) ||
        (rc = day_arg(c, "discount apply", "--on", on, 1, &a.on)))
        return rc;
    struct err e;
    if (cli_tx(c, do_discount, &a, &e) != 0)
        return cli_fail("discount apply", &e);
    printf("account %s: discount code %s redeemed\n", a.account, a.code);
    return EXIT_OK;
}

/* ================================================================ report */

/* report plans --from/--to: each organisation's seats on the range's
 * last day and the plan invoices issued in the range. */
static int plans_range(struct cli *c, enum out_format f, const char *account,
                       cdate from, cdate to)
{
    static const struct out_col cols[] = {
        {"account", 's'},        {"seats", 'i'},
        {"student_seats", 'i'},  {"invoices", 'i'},
        {"invoiced_cents", 'm'}, {"plans", 's'}};
    struct plan_range_row *rows;
    size_t n;
    struct err e;
    if (report_plan_range(&c->eng, account, from, to, &rows, &n, &e) != 0)
        return cli_fail("report plans", &e);
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        const struct plan_range_row *r = &rows[i];
        char seats[24], students[24], k[24], cents[24];
        snprintf(seats, sizeof seats, "%lld", (long long)r->seats);
        snprintf(students, sizeof students, "%lld", (long long)r->students);
        snprintf(k, sizeof k, "%lld", (long long)r->invoices);
        snprintf(cents, sizeof cents, "%lld", (long long)r->invoiced_cents);
        const char *v[] = {r->account, seats, students, k, cents, r->plans};
        out_row(t, v);
    }
    plan_range_rows_free(rows, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

int cmd_report_plans(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report plans [--account ORG] [--from D] [--to D]\n"
        "                             [--format table|json|csv]\n"
        "Every organisation's plan and billing cycle, its seats and student\n"
        "seats today, a pending plan change, and the date and total of its\n"
        "next invoice. --from/--to: the organisations on a plan by --to,\n"
        "their seats and student seats on --to, the number and total of the\n"
        "plan invoices issued in the range and the plans they were issued\n"
        "under (in the order billed).\n";
    static const struct out_col cols[] = {
        {"account", 's'},         {"plan", 's'},
        {"billing", 's'},         {"seats", 'i'},
        {"student_seats", 'i'},   {"next_invoice", 'd'},
        {"next_total_cents", 'm'}, {"discount", 's'},
        {"change", 's'},          {"change_from", 'd'}};
    const char *account = NULL, *format = NULL, *from_s = NULL, *to_s = NULL;
    const struct opt opts[] = {{"--account", 1, &account, NULL},
                               {"--format", 1, &format, NULL},
                               {"--from", 1, &from_s, NULL},
                               {"--to", 1, &to_s, NULL},
                               {0}};
    enum out_format f = OUT_TABLE;
    cdate first, last;
    int rc = cli_parse("report plans", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (format && (rc = out_format_parse("report plans", format, &f))) ||
        (rc = cli_range("report plans", from_s, to_s, &first, &last)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    if (from_s || to_s)
        return plans_range(c, f, account, first, last);
    struct plan_report_row *rows;
    size_t n;
    struct err e;
    if (plans_report(&c->eng, account, &rows, &n, &e) != 0) {
        plan_report_free(rows, n);
        return cli_fail("report plans", &e);
    }
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        const struct plan_report_row *r = &rows[i];
        char seats[24], students[24], next[11], cents[24], from[11];
        char change[160];
        snprintf(seats, sizeof seats, "%lld", (long long)r->seats);
        snprintf(students, sizeof students, "%lld", (long long)r->students);
        snprintf(cents, sizeof cents, "%lld", (long long)r->next_total_cents);
        if (r->change_plan)
            snprintf(change, sizeof change, "%s %s", r->change_plan,
                     plan_cycle_name(r->change_billing));
        const char *v[] = {r->account, r->plan, plan_cycle_name(r->billing),
                           seats, students, date_fmt(r->next_invoice, next),
                           cents, r->discount,
                           r->change_plan ? change : NULL,
                           r->change_plan ? date_fmt(r->change_effective, from)
                                          : NULL};
        out_row(t, v);
    }
    plan_report_free(rows, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

/* ================================================================ rules */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The settings of a plan or discount code for `rules --format json`
 * (amounts in cents, percentages in basis points, dates as strings);
 * NULL for every other kind of definition. */
json_t *plan_def_fields_json(const struct def *d)
{
    static const char *const durations[] = {"periods", "once", "forever"};
    json_t *o;
    if (!strcmp(d->kind, "plan")) {
        const struct plan *p = (const struct plan *)d;
        o = json_object();
        json_object_set_new(o, "seat_price_month_cents",
                            p->has_month ? json_integer(p->seat_month_cents)
                                         : json_null());
        json_object_set_new(o, "seat_price_year_cents",
                            p->has_year ? json_integer(p->seat_year_cents)
                                        : json_null());
        json_object_set_new(o, "student_seat_price_month_cents",
                            p->student_month_cents
                                ? json_integer(p->student_month_cents)
                                : json_null());
        json_object_set_new(o, "student_seat_price_year_cents",
                            p->student_year_cents
                                ? json_integer(p->student_year_cents)
                                : json_null());
        json_object_set_new(o, "vat", str_or_null(p->vat ? p->vat->d.id
                                                         : NULL));
        json_object_set_new(o, "prices_include_vat",
                            json_boolean(p->prices_include_vat));
        json_object_set_new(o, "trial_days", json_integer(p->trial_days));
        json_object_set_new(o, "seats", str_or_null(p->seats.file
                                                        ? p->seats.func
                                                        : NULL));
        json_t *u = json_array();
        for (size_t i = 0; i < p->n_usage; i++) {
            json_t *m = json_object();
            json_object_set_new(m, "metric", json_string(p->usage[i].metric));
            json_object_set_new(m, "price_cents",
                                json_integer(p->usage[i].price_cents));
            json_array_append_new(u, m);
        }
        json_object_set_new(o, "usage", u);
        return o;
    }
    if (!strcmp(d->kind, "discount_code")) {
        const struct discount_code *dc = (const struct discount_code *)d;
        char day[11];
        o = json_object();
        json_object_set_new(o, "percent_basis_points",
                            dc->percent_bp ? json_integer(dc->percent_bp)
                                           : json_null());
        json_object_set_new(o, "amount_cents",
                            dc->amount_cents ? json_integer(dc->amount_cents)
                                             : json_null());
        json_object_set_new(o, "duration",
                            json_string(durations[dc->duration]));
        json_object_set_new(o, "periods", json_integer(dc->periods));
        json_object_set_new(o, "expires",
                            dc->expires == CDATE_NONE
                                ? json_null()
                                : json_string(date_fmt(dc->expires, day)));
        json_object_set_new(o, "max_redemptions",
                            json_integer(dc->max_redemptions));
        json_object_set_new(o, "plans", str_or_null(dc->plans));
        return o;
    }
    return NULL;
}
