/*
 * cli_billing.c — commands over the ledger, subscriptions, invoices, the
 * tick and the reports. Each validates its arguments, runs in one
 * transaction and prints only after the commit.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "face/cli.h"
#include "face/cli_cmds.h"
#include "decide/run_date.h"
#include "usecase/credit_notes.h"
#include "usecase/invoice_views.h"
#include "usecase/outbox.h"
#include "usecase/payment.h"
#include "usecase/subscription.h"
#include "usecase/admin.h"
#include "usecase/plans.h"
#include "usecase/reports.h"
#include "usecase/tick.h"

/* ================================================================ setup */

int cmd_init(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill init\n"
        "Create the ledger (--db) or upgrade it to this carebill's schema.\n";
    int rc = cli_parse("init", help, NULL, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!c->db_path) {
        fprintf(stderr, "carebill init: give --db FILE or set CAREBILL_DB\n");
        return EXIT_USAGE;
    }
    struct err e;
    int version;
    if (admin_init(c->db_path, &version, &e) != 0)
        return cli_fail("init", &e);
    printf("ledger %s at schema version %d\n", c->db_path, version);
    return EXIT_OK;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill check\n"
        "Validate the rule files (--rules) and their hooks; list every error\n"
        "as file:line:col: message. Exit 3 when there is any. With a ledger\n"
        "(--db), also name every subscription type and package the ledger\n"
        "still uses that no rule file defines.\n";
    int rc = cli_parse("check", help, NULL, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    c->rule_warnings = 1;
    if ((rc = cli_need_rules(c)))
        return rc;
    /* Hooks are compiled too, so a syntax error is found before a run. */
    struct hook_limits lim = {c->rules->practice.hook_instructions,
                              c->rules->practice.hook_memory_kb * 1024};
    struct hooks *h = hooks_new(&lim);
    struct err e;
    int bad = 0;
    for (size_t i = 0; h && i < c->rules->n_hook_files; i++)
        if (hooks_load(h, c->rules->hook_files[i], &e) != 0) {
            fprintf(stderr, "%s\n", e.msg);
            bad++;
        }
    if (h)
        hooks_free(h);
    struct engine probe;
    engine_init(&probe, c->rules, NULL, c->eng.today);
    if (h && !bad && engine_load_hooks(&probe, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        bad++;
    }
    engine_close(&probe);
    if (bad) {
        fprintf(stderr, "carebill: %d error%s in the hooks\n", bad,
                bad == 1 ? "" : "s");
        return EXIT_RULES;
    }
    /* With a ledger (--db, a file or a URL), what it still uses must
     * still be defined; before init there is none to look at. */
    int have = c->db_path ? admin_ledger_exists(c->db_path, &e) : 0;
    if (have < 0)
        return cli_fail("check", &e);
    if (have) {
        char **missing;
        size_t nm;
        if ((rc = cli_need_reader(c)))
            return rc;
        if (subscription_missing_definitions(&c->eng, 1, &missing, &nm, &e))
            return cli_fail("check", &e);
        char **mp;
        size_t np;
        if (plans_missing_definitions(&c->eng, &mp, &np, &e)) {
            for (size_t i = 0; i < nm; i++)
                free(missing[i]);
            free(missing);
            return cli_fail("check", &e);
        }
        missing = xrealloc(missing, (nm + np + 1) * sizeof *missing);
        for (size_t i = 0; i < np; i++)
            missing[nm++] = mp[i];
        free(mp);
        for (size_t i = 0; i < nm; i++) {
            fprintf(stderr, "carebill check: ledger: %s\n", missing[i]);
            free(missing[i]);
        }
        free(missing);
        if (nm) {
            fprintf(stderr, "carebill: %zu definition%s the ledger uses %s "
                            "missing from the rule files\n", nm,
                    nm == 1 ? "" : "s", nm == 1 ? "is" : "are");
            return EXIT_RULES;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < c->rules->n_files; i++)
        n++;
    printf("%s: %zu file%s, rule set %.12s: ok\n", c->rules_dir, n,
           n == 1 ? "" : "s", c->rules->hash);
    return EXIT_OK;
}

static json_t *jstr_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The fields of definition d beyond kind, id, name, file, line and active,
 * for `rules --format json` (amounts in cents, VAT in basis points, a
 * reference by its id); NULL for kinds that show none. */
json_t *plan_def_fields_json(const struct def *d); /* face/cli_plans.c */

static json_t *def_fields_json(const struct def *d)
{
    static const char *const periods[] = {"month", "quarter", "year"};
    static const char *const aligns[] = {"calendar", "anniversary"};
    json_t *o = json_object();
    if (!strcmp(d->kind, "vat_rate")) {
        const struct vat_rate *v = (const struct vat_rate *)d;
        json_object_set_new(o, "basis_points", json_integer(v->bp));
        json_object_set_new(o, "exempt", json_boolean(v->exempt));
        json_object_set_new(o, "exempt_text", jstr_or_null(v->exempt_text));
    } else if (!strcmp(d->kind, "subscription_type")) {
        const struct subscription_type *t = (const struct subscription_type *)d;
        json_object_set_new(o, "period", json_string(periods[t->period]));
        json_object_set_new(o, "alignment", json_string(aligns[t->alignment]));
        json_object_set_new(o, "price_cents", json_integer(t->price_cents));
        json_object_set_new(o, "vat", jstr_or_null(t->vat ? t->vat->d.id
                                                          : NULL));
        json_t *ch = json_array();
        for (size_t i = 0; i < t->n_changes; i++) {
            char day[11];
            json_t *c = json_object();
            json_object_set_new(c, "from",
                                json_string(date_fmt(t->changes[i].from, day)));
            json_object_set_new(c, "price_cents",
                                json_integer(t->changes[i].price_cents));
            json_array_append_new(ch, c);
        }
        json_object_set_new(o, "price_changes", ch);
        json_object_set_new(o, "prorate", jstr_or_null(t->prorate.func));
        json_object_set_new(o, "pause", jstr_or_null(t->pause.func));
    } else if (!strcmp(d->kind, "package")) {
        const struct package *p = (const struct package *)d;
        json_object_set_new(o, "internal_rate_cents",
                            json_integer(p->internal_rate_cents));
        json_object_set_new(o, "ledger_account",
                            jstr_or_null(p->ledger_account));
        json_object_set_new(o, "balance_item", jstr_or_null(p->balance_item));
    } else if (!strcmp(d->kind, "product")) {
        const struct product *p = (const struct product *)d;
        json_object_set_new(o, "price_cents", json_integer(p->price_cents));
        json_object_set_new(o, "vat", jstr_or_null(p->vat ? p->vat->d.id
                                                          : NULL));
        json_object_set_new(o, "package",
                            jstr_or_null(p->package ? p->package->d.id : NULL));
        json_object_set_new(o, "credits", json_integer(p->credits));
    } else if (!strcmp(d->kind, "appointment_type")) {
        const struct appointment_type *a = (const struct appointment_type *)d;
        json_object_set_new(o, "price_cents", json_integer(a->price_cents));
        json_object_set_new(o, "vat", jstr_or_null(a->vat ? a->vat->d.id
                                                          : NULL));
        json_object_set_new(o, "package",
                            jstr_or_null(a->package ? a->package->d.id : NULL));
        json_object_set_new(o, "credits", json_integer(a->credits));
    } else if (!strcmp(d->kind, "template")) {
        const struct template_def *t = (const struct template_def *)d;
        json_object_set_new(o, "event", json_string(event_name(t->event)));
        json_object_set_new(o, "locale", jstr_or_null(t->locale));
        json_object_set_new(o, "subject", jstr_or_null(t->subject));
        json_object_set_new(o, "attach_pdf", json_boolean(t->attach_pdf));
        json_object_set_new(o, "attach_ubl", json_boolean(t->attach_ubl));
        json_object_set_new(o, "delay_hours", json_integer(t->delay_hours));
    } else {
        json_decref(o);
        return NULL;
    }
    return o;
}

struct rules_out {
    struct out_table *t;
    int json;
};

static void rules_row(const struct def *d, void *arg)
{
    struct rules_out *ro = arg;
    char line[16];
    snprintf(line, sizeof line, "%d", d->at.line);
    const char *v[] = {d->kind, d->id, d->name, d->at.file, line,
                       d->active ? "true" : "false"};
    out_row(ro->t, v);
    json_t *fields = ro->json ? def_fields_json(d) : NULL;
    if (ro->json && !fields) /* seat plans and discount codes: cli_plans.c */
        fields = plan_def_fields_json(d);
    if (fields)
        out_attach(ro->t, "fields", fields);
}

int cmd_rules(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill rules [--format table|json|csv]\n"
        "List every loaded definition: kind, id, name, file, line, active.\n"
        "JSON adds each definition's own settings under \"fields\" (VAT\n"
        "rates, subscription types, packages, products, appointment types,\n"
        "templates; amounts in cents).\n";
    const char *format = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL}, {0}};
    enum out_format f;
    int rc = cli_parse("rules", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse("rules", format, &f)) ||
        (rc = cli_need_rules(c)))
        return rc;
    static const struct out_col cols[] = {{"kind", 's'}, {"id", 's'},
                                          {"name", 's'}, {"file", 's'},
                                          {"line", 'i'}, {"active", 'b'}};
    struct out_table *t = out_new(cols, 6);
    char line[16];
    snprintf(line, sizeof line, "%d", c->rules->practice.at.line);
    const char *pv[] = {"practice", "practice", c->rules->practice.name,
                        c->rules->practice.at.file, line, "true"};
    out_row(t, pv);
    struct rules_out ro = {t, f == OUT_JSON};
    rules_each(c->rules, rules_row, &ro);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

/* ================================================================ subscriptions */

struct sub_args {
    const char *account, *type, *note;
    int64_t id, quantity;
    cdate from, until;
    int dd;
    struct late_fix *fixes; /* what a late stop or pause found */
    size_t n_fixes;
};

/* Print what a late stop, pause or price change found on issued
 * invoices, and free it. `why` says what the change made of the amount
 * (for a lower price: "above the price now in force"). */
static void print_late_fixes(struct late_fix **fixes, size_t *n,
                             const char *why)
{
    char s[11], t[11], m[32];
    for (size_t i = 0; i < *n; i++) {
        const struct late_fix *f = &(*fixes)[i];
        printf("invoice %s (period %s..%s) bills %s ", f->number,
               date_fmt(f->start, s), date_fmt(f->end, t),
               money_fmt(f->cents, m));
        if (f->action == LATE_UNDERBILLED)
            printf("below the price now in force: it keeps its price (an "
                   "issued invoice is never raised); the new price applies "
                   "from the next period\n");
        else if (f->action == LATE_CREDITED)
            printf("%s: credit note %s issued\n", why, f->credit_number);
        else if (f->action == LATE_EXPORTED)
            printf("%s: it is in a direct-debit batch already; correct it "
                   "after the bank's result (carebill invoice credit %s%s%s "
                   "once collected)\n", why, f->number,
                   f->full ? "" : " --amount ", f->full ? "" : m);
        else
            printf("%s: correct it with: carebill invoice credit %s%s%s\n",
                   why, f->number, f->full ? "" : " --amount ",
                   f->full ? "" : m);
    }
    late_fixes_free(*fixes, *n);
    *fixes = NULL;
    *n = 0;
}

static int do_sub_start(struct cli *c, void *arg, struct err *e)
{
    struct sub_args *a = arg;
    return subscription_start(&c->eng, a->account, a->type, a->from,
                              a->dd, a->quantity, c->eng.today, &a->id, e);
}

int cmd_subscription_start(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill subscription start --account ID --type T --from D\n"
        "         [--direct-debit] [--quantity N]\n"
        "Start a subscription; prints its id. A past --from catches up at\n"
        "the next tick.\n";
    const char *account = NULL, *type = NULL, *from = NULL, *dd = NULL;
    const char *qty = NULL;
    const struct opt opts[] = {{"--account", 1, &account, NULL},
                               {"--type", 1, &type, NULL},
                               {"--from", 1, &from, NULL},
                               {"--direct-debit", 0, &dd, NULL},
                               {"--quantity", 1, &qty, NULL},
                               {0}};
    struct sub_args a = {.quantity = 1};
    int rc = cli_parse("subscription start", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!account || !type) {
        fprintf(stderr, "carebill subscription start: --account and --type "
                        "are required\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_date("subscription start", "--from", from, &a.from)) ||
        (qty && (rc = cli_int("subscription start", "--quantity", qty, 1,
                              100000, &a.quantity))) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.account = account;
    a.type = type;
    a.dd = dd != NULL;
    struct err e;
    if (cli_tx(c, do_sub_start, &a, &e) != 0)
        return cli_fail("subscription start", &e);
    printf("%lld\n", (long long)a.id);
    return EXIT_OK;
}

static int parse_sub_id(const char *cmd, const char *s, int64_t *id)
{
    return cli_int(cmd, "SUBSCRIPTION", s, 1, INT64_MAX / 2, id);
}

static int do_sub_pause(struct cli *c, void *arg, struct err *e)
{
    struct sub_args *a = arg;
    if (subscription_pause(&c->eng, a->id, a->from, a->until, a->note, e))
        return -1;
    return subscription_late_changes(&c->eng, a->id, a->from, &a->fixes,
                                     &a->n_fixes, e);
}

int cmd_subscription_pause(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill subscription pause SUB --from D --until D [--note T]\n"
        "Pause from D until D (both included); billing resumes by itself the\n"
        "day after. Pauses of one subscription may not overlap.\n";
    const char *from = NULL, *until = NULL, *note = NULL, *pos[1];
    const struct opt opts[] = {{"--from", 1, &from, NULL},
                               {"--until", 1, &until, NULL},
                               {"--note", 1, &note, NULL},
                               {0}};
    struct sub_args a = {0};
    int rc = cli_parse("subscription pause", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = parse_sub_id("subscription pause", pos[0], &a.id)) ||
        (rc = cli_date("subscription pause", "--from", from, &a.from)) ||
        (rc = cli_date("subscription pause", "--until", until, &a.until)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.note = note;
    struct err e;
    if (cli_tx(c, do_sub_pause, &a, &e) != 0)
        return cli_fail("subscription pause", &e);
    print_late_fixes(&a.fixes, &a.n_fixes, "no longer billable");
    return EXIT_OK;
}

static int do_sub_resume(struct cli *c, void *arg, struct err *e)
{
    struct sub_args *a = arg;
    return subscription_resume(&c->eng, a->id, a->from, e);
}

int cmd_subscription_resume(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill subscription resume SUB [--on D]\n"
        "End the pause in force on D (default today): active again from D.\n";
    const char *on = NULL, *pos[1];
    const struct opt opts[] = {{"--on", 1, &on, NULL}, {0}};
    struct sub_args a = {0};
    int rc = cli_parse("subscription resume", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = parse_sub_id("subscription resume", pos[0], &a.id)) ||
        (on && (rc = cli_date("subscription resume", "--on", on, &a.from))) ||
        (rc = cli_need_ledger(c)))
        return rc;
    if (!on)
        a.from = c->eng.today;
    struct err e;
    if (cli_tx(c, do_sub_resume, &a, &e) != 0)
        return cli_fail("subscription resume", &e);
    return EXIT_OK;
}

static int do_sub_stop(struct cli *c, void *arg, struct err *e)
{
    struct sub_args *a = arg;
    if (subscription_stop(&c->eng, a->id, a->from, a->note, c->eng.today, e))
        return -1;
    return subscription_late_changes(&c->eng, a->id, a->from + 1, &a->fixes,
                                     &a->n_fixes, e);
}

int cmd_subscription_stop(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill subscription stop SUB --on D [--note T]\n"
        "Stop with D as the last active day (today or later, or earlier for\n"
        "a stop that is recorded late). A stopped subscription never resumes.\n";
    const char *on = NULL, *note = NULL, *pos[1];
    const struct opt opts[] = {{"--on", 1, &on, NULL},
                               {"--note", 1, &note, NULL}, {0}};
    struct sub_args a = {0};
    int rc = cli_parse("subscription stop", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = parse_sub_id("subscription stop", pos[0], &a.id)) ||
        (rc = cli_date("subscription stop", "--on", on, &a.from)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.note = note;
    struct err e;
    if (cli_tx(c, do_sub_stop, &a, &e) != 0)
        return cli_fail("subscription stop", &e);
    print_late_fixes(&a.fixes, &a.n_fixes, "no longer billable");
    return EXIT_OK;
}

/* ================================================================ prices */

struct price_args {
    const char *type;
    cdate from;
    int64_t price;
    struct late_fix *fixes; /* issued periods the change reprices */
    size_t n_fixes;
};

/* A period invoiced in advance (direct debit, or today's) may start on
 * or after the change: it is settled as a late change. */
static int do_price_schedule(struct cli *c, void *arg, struct err *e)
{
    struct price_args *a = arg;
    if (price_schedule(&c->eng, a->type, a->from, a->price, c->eng.today, e))
        return -1;
    return subscription_type_late_changes(&c->eng, a->type, a->from,
                                          &a->fixes, &a->n_fixes, e);
}

static int do_price_cancel(struct cli *c, void *arg, struct err *e)
{
    struct price_args *a = arg;
    if (price_cancel(&c->eng, a->type, a->from, c->eng.today, e))
        return -1;
    return subscription_type_late_changes(&c->eng, a->type, a->from,
                                          &a->fixes, &a->n_fixes, e);
}

int cmd_price_schedule(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill price schedule TYPE --from D --price AMOUNT\n"
        "From D on, periods of TYPE starting on or after D cost AMOUNT. A\n"
        "period already invoiced that now costs less is settled as the\n"
        "late_change setting says; one that costs more keeps its invoice.\n";
    const char *from = NULL, *price = NULL, *pos[1];
    const struct opt opts[] = {{"--from", 1, &from, NULL},
                               {"--price", 1, &price, NULL}, {0}};
    struct price_args a = {0};
    int rc = cli_parse("price schedule", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_date("price schedule", "--from", from, &a.from)) ||
        (rc = cli_money("price schedule", "--price", price, &a.price)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.type = pos[0];
    struct err e;
    if (cli_tx(c, do_price_schedule, &a, &e) != 0)
        return cli_fail("price schedule", &e);
    print_late_fixes(&a.fixes, &a.n_fixes, "above the price now in force");
    return EXIT_OK;
}

int cmd_price_cancel(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill price cancel TYPE --from D\n"
        "Cancel a scheduled price change before it applies.\n";
    const char *from = NULL, *pos[1];
    const struct opt opts[] = {{"--from", 1, &from, NULL}, {0}};
    struct price_args a = {0};
    int rc = cli_parse("price cancel", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_date("price cancel", "--from", from, &a.from)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.type = pos[0];
    struct err e;
    if (cli_tx(c, do_price_cancel, &a, &e) != 0)
        return cli_fail("price cancel", &e);
    print_late_fixes(&a.fixes, &a.n_fixes, "above the price now in force");
    return EXIT_OK;
}

/* ================================================================ invoices */

struct inv_args {
    const char *number, *apply_to;
    int64_t amount, offset;
    char *out;
};

static int do_credit(struct cli *c, void *arg, struct err *e)
{
    struct inv_args *a = arg;
    return issue_credit_note_to(&c->eng, a->number, a->amount, c->eng.today,
                                a->apply_to, &a->out, &a->offset, e);
}

int cmd_invoice_credit(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill invoice credit NUMBER [--amount AMOUNT] "
        "[--apply-to OTHER]\n"
        "Issue a credit note for invoice NUMBER, in full or for AMOUNT\n"
        "(including VAT); prints the credit note's number. It settles what\n"
        "NUMBER still owes; the rest is owed to the customer (payment\n"
        "refund), or with --apply-to offset against open invoice OTHER of\n"
        "the same account (a second line says how much). NUMBER may be an\n"
        "open credit note with --apply-to alone: what it owes is offset.\n";
    const char *amount = NULL, *apply_to = NULL, *pos[1];
    const struct opt opts[] = {{"--amount", 1, &amount, NULL},
                               {"--apply-to", 1, &apply_to, NULL}, {0}};
    struct inv_args a = {.amount = -1};
    int rc = cli_parse("invoice credit", help, opts, argc, argv, pos, 1, 1);
    if (rc || (amount && (rc = cli_money("invoice credit", "--amount", amount,
                                         &a.amount))))
        return rc;
    if (amount && a.amount <= 0) {
        fprintf(stderr, "carebill invoice credit: --amount must be positive\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_need_ledger(c)))
        return rc;
    a.number = pos[0];
    a.apply_to = apply_to;
    struct err e;
    if (cli_tx(c, do_credit, &a, &e) != 0)
        return cli_fail("invoice credit", &e);
    printf("%s\n", a.out);
    if (apply_to) {
        char x[32];
        printf("%s offset against invoice %s\n", money_fmt(a.offset, x),
               apply_to);
    }
    free(a.out);
    return EXIT_OK;
}

int cmd_invoice_pdf(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill invoice pdf NUMBER --out FILE [--original]\n"
        "Render invoice NUMBER as a PDF in the invoice's language, marked\n"
        "as a copy (KOPIE / COPIE / COPY, with the original's issue date);\n"
        "--original renders the original, as attached to its e-mail.\n";
    const char *out = NULL, *original = NULL, *pos[1];
    const struct opt opts[] = {{"--out", 1, &out, NULL},
                               {"--original", 0, &original, NULL}, {0}};
    int rc = cli_parse("invoice pdf", help, opts, argc, argv, pos, 1, 1);
    if (rc)
        return rc;
    if (!out) {
        fprintf(stderr, "carebill invoice pdf: --out FILE is required\n");
        return EXIT_USAGE;
    }
    struct err e;
    if (out_file_check(out, c->db_path, &e) != 0)
        return cli_fail("invoice pdf", &e);
    if ((rc = cli_need_reader(c)))
        return rc;
    if (invoice_pdf_as(&c->eng, pos[0], out, !original, &e) != 0)
        return cli_fail("invoice pdf", &e);
    return EXIT_OK;
}

int cmd_explain(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill explain NUMBER\n"
        "Say why every line of invoice NUMBER exists: what produced it, the\n"
        "rule that priced it and the rule set in force when it was issued.\n";
    const char *pos[1];
    int rc = cli_parse("explain", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct invoice_explanation x;
    struct err e;
    if (invoice_explain(&c->eng, pos[0], &x, &e) != 0) {
        invoice_free(&x.inv);
        return cli_fail("explain", &e);
    }
    const struct invoice *inv = &x.inv;
    char d1[32], d2[11], a[32], b[32], q[32];
    printf("invoice %s (%s), issued %s, due %s, to %s (%s)\n", inv->number,
           invoice_kind_name(inv->kind), date_fmt(inv->issued, d1),
           date_fmt(inv->due, d2), inv->to.name, inv->to.id);
    if (inv->credit_of)
        printf("corrects invoice %s\n", inv->credit_of);
    printf("rule set %s%s\n", inv->rules_hash,
           x.same_rules ? " (the rules loaded now)"
                        : " (differs from the rules loaded now)");
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        printf("line %zu: %s: %s x %s = %s, VAT %s (%s%%)\n", i + 1,
               l->description, decimal_fmt(l->qty100, 2, q),
               money_fmt(l->unit_cents, a), money_fmt(l->amount_cents, b),
               l->vat_id, decimal_fmt(l->vat_bp, 2, d1));
        printf("  because: %s\n", l->why ? l->why : l->source);
    }
    printf("total %s, VAT %s, %s\n", money_fmt(inv->total_cents, a),
           money_fmt(inv->vat_cents, b), invoice_status_name(inv->status));
    invoice_free(&x.inv);
    return EXIT_OK;
}

struct pay_args {
    const char *number;
    int64_t amount;
    cdate on;
    struct payment_result res;
};

static int do_payment(struct cli *c, void *arg, struct err *e)
{
    struct pay_args *a = arg;
    return payment_register_number(&c->eng, a->number, a->amount, a->on,
                                   "manual", &a->res, e);
}

int cmd_payment_register(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill payment register NUMBER --amount AMOUNT --on D\n"
        "Register a payment (or part of one) on invoice NUMBER. What exceeds\n"
        "the invoice's open amount goes to the account's credit balance\n"
        "(said on one line), which settles the account's open invoices at\n"
        "once and those issued later at their tick (apply_balance, default\n"
        "true).\n";
    const char *amount = NULL, *on = NULL, *pos[1];
    const struct opt opts[] = {{"--amount", 1, &amount, NULL},
                               {"--on", 1, &on, NULL}, {0}};
    struct pay_args a = {0};
    int rc = cli_parse("payment register", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_money("payment register", "--amount", amount,
                              &a.amount)) ||
        (rc = cli_date("payment register", "--on", on, &a.on)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.number = pos[0];
    struct err e;
    if (cli_tx(c, do_payment, &a, &e) != 0)
        return cli_fail("payment register", &e);
    if (a.res.to_balance_cents > 0) {
        char x[32], y[32], z[32];
        printf("%s more than invoice %s had open: to account %s's credit "
               "balance", money_fmt(a.res.to_balance_cents, x), a.number,
               a.res.account);
        if (a.res.balance_used_cents > 0)
            printf(", of which %s settled its open invoices",
                   money_fmt(a.res.balance_used_cents, y));
        printf(" (balance now %s)\n", money_fmt(a.res.balance_cents, z));
    }
    return EXIT_OK;
}

/* ================================================================ tick */

/* --format of tick and simulate: text (or table) and json. */
static int preview_format(const char *cmd, const char *s, enum out_format *f)
{
    if (!strcmp(s, "text") || !strcmp(s, "table"))
        *f = OUT_TABLE;
    else if (!strcmp(s, "json"))
        *f = OUT_JSON;
    else {
        fprintf(stderr, "carebill %s: --format must be text or json, not "
                        "'%s'\n", cmd, s);
        return EXIT_USAGE;
    }
    return 0;
}

/* Print what one simulated day wrote and empty the sink. */
struct sim_print {
    struct run_sink *sink;
    enum out_format f;
    int first;
    struct progress_line *pl;
    cdate from, to;
};

static void sim_day_done(void *arg, cdate day, const struct tick_report *rep)
{
    struct sim_print *sp = arg;
    (void)rep;
    if (sp->pl && sp->pl->shown && sp->sink->n)
        fputs("\r\033[K", stderr); /* the events print on a clean line */
    preview_print(sp->sink, sp->f, &sp->first, stdout);
    run_sink_free(sp->sink);
    if (sp->pl && day < sp->to) {
        fflush(stdout);
        progress_day(sp->pl, day + 1, day + 1 - sp->from + 1,
                     sp->to - sp->from + 1);
    }
}

int cmd_tick(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill tick [--as-of D [--future]] [--dry-run] [--quiet]\n"
        "Do everything due on D (default today): bill subscription periods\n"
        "(catching up on missed days), queue e-mails, reminders. One\n"
        "transaction; a rerun does nothing twice. --dry-run prints what\n"
        "would be written (invoices with lines, messages, reminders,\n"
        "credits, periods not billed) and writes nothing; --format json\n"
        "prints that as one JSON array (README: Preview output). A D after\n"
        "today is refused unless --future is given, and then only up to\n"
        "the practice's direct-debit lead days (dd_days_before) ahead.\n"
        "--quiet: no progress line and no notice when the run waits for\n"
        "another run's lock (it still waits); neither shows when stderr is\n"
        "not a terminal (cron).\n";
    const char *as_of = NULL, *dry = NULL, *quiet = NULL, *future = NULL;
    const char *fmt = NULL;
    const struct opt opts[] = {{"--as-of", 1, &as_of, NULL},
                               {"--future", 0, &future, NULL},
                               {"--dry-run", 0, &dry, NULL},
                               {"--quiet", 0, &quiet, NULL},
                               {"--format", 1, &fmt, NULL}, {0}};
    cdate d;
    enum out_format f = OUT_TABLE;
    int rc = cli_parse("tick", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (as_of && (rc = cli_date("tick", "--as-of", as_of, &d))) ||
        (fmt && (rc = preview_format("tick", fmt, &f))) ||
        (rc = cli_need_hooks(c)))
        return rc;
    if (quiet)
        cli_quiet_lock(c);
    if (!as_of)
        d = c->eng.today;
    struct tick_report rep;
    struct err e;
    if (run_date_check(c->eng.today, d, future != NULL,
                       c->rules->practice.dd_days_before, &e) != 0) {
        fprintf(stderr, "carebill tick: %s\ncarebill tick: nothing was "
                        "written\n", e.msg);
        return EXIT_FAIL;
    }
    struct run_sink sink = {0};
    if (dry || f == OUT_JSON)
        c->eng.sink = &sink;
    c->eng.today = d;
    struct progress_line pl;
    progress_start(c, &pl, "tick", quiet != NULL);
    progress_day(&pl, d, 0, 0);
    rc = tick_run(&c->eng, dry != NULL, NULL, &rep, &e);
    progress_end(c, &pl);
    c->eng.sink = NULL;
    if (rc != 0) {
        run_sink_free(&sink);
        fprintf(stderr, "carebill tick: %s\ncarebill tick: nothing was "
                        "written\n", e.msg);
        return EXIT_FAIL;
    }
    int first = 1;
    preview_print(&sink, f, &first, stdout);
    preview_end(f, first, stdout);
    run_sink_free(&sink);
    char day[11], tot[32];
    if (!quiet && f != OUT_JSON)
        printf("%s %s: %lld invoice%s (%s), %lld period%s not billed, %lld "
               "message%s queued, %lld reminder%s\n",
               dry ? "dry run" : "tick", date_fmt(d, day),
               (long long)rep.invoices, rep.invoices == 1 ? "" : "s",
               money_fmt(rep.total_cents, tot), (long long)rep.skipped_periods,
               rep.skipped_periods == 1 ? "" : "s", (long long)rep.messages,
               rep.messages == 1 ? "" : "s", (long long)rep.reminders,
               rep.reminders == 1 ? "" : "s");
    return EXIT_OK;
}

int cmd_simulate(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill simulate --from D --to D [--format text|json]\n"
        "Run every daily tick from D to D on a copy of the ledger and print\n"
        "the timeline: invoices with lines, messages, reminders, credits,\n"
        "periods not billed, in the order the runs write them (--format\n"
        "json: one JSON array, README: Preview output). The ledger itself\n"
        "is not touched.\n";
    const char *from = NULL, *to = NULL, *fmt = NULL;
    const struct opt opts[] = {{"--from", 1, &from, NULL},
                               {"--to", 1, &to, NULL},
                               {"--format", 1, &fmt, NULL}, {0}};
    cdate a, b;
    enum out_format f = OUT_TABLE;
    int rc = cli_parse("simulate", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = cli_date("simulate", "--from", from, &a)) ||
        (rc = cli_date("simulate", "--to", to, &b)) ||
        (fmt && (rc = preview_format("simulate", fmt, &f))) ||
        (rc = cli_need_hooks(c)))
        return rc;
    if (b < a || b - a > 3660) {
        fprintf(stderr, "carebill simulate: --to must be on or after --from, "
                        "at most ten years later\n");
        return EXIT_USAGE;
    }
    struct err e;
    struct run_sink sink = {0};
    struct progress_line pl;
    progress_start(c, &pl, "simulate", 0);
    progress_day(&pl, a, 1, b - a + 1);
    struct sim_print sp = {&sink, f, 1, &pl, a, b};
    c->eng.sink = &sink;
    rc = admin_simulate_each(&c->eng, a, b, sim_day_done, &sp, &e);
    progress_end(c, &pl);
    c->eng.sink = NULL;
    sp.pl = NULL;
    sim_day_done(&sp, b, NULL);
    if (rc != 0)
        return cli_fail("simulate", &e);
    preview_end(f, sp.first, stdout);
    return EXIT_OK;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill backup FILE\n"
        "Write a consistent copy of the live ledger to FILE.\n";
    const char *pos[1];
    int rc = cli_parse("backup", help, NULL, argc, argv, pos, 1, 1);
    if (rc)
        return rc;
    struct err e;
    if (out_file_check(pos[0], c->db_path, &e) != 0)
        return cli_fail("backup", &e);
    if ((rc = cli_need_reader(c)))
        return rc;
    if (admin_backup(&c->eng, pos[0], &e) != 0)
        return cli_fail("backup", &e);
    return EXIT_OK;
}

/* ================================================================ reports */

/* The options every report takes: --format, --account and the date range
 * --from/--to (either may be left out: an open end; CDATE_NONE). */
struct report_range {
    cdate from, to;
};

static int report_args(const char *cmd, const char *help, int argc,
                       char **argv, enum out_format *f, const char **account,
                       struct report_range *range)
{
    const char *format = NULL, *from = NULL, *to = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--account", 1, account, NULL},
                               {"--from", 1, &from, NULL},
                               {"--to", 1, &to, NULL}, {0}};
    range->from = range->to = CDATE_NONE;
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = cli_range(cmd, from, to, &range->from, &range->to)))
        return rc;
    return out_format_parse(cmd, format, f);
}

/* Whether day d lies in the range (CDATE_NONE days lie in every range
 * that has no start). */
static int in_range(const struct report_range *r, cdate d)
{
    if (r->from != CDATE_NONE && (d == CDATE_NONE || d < r->from))
        return 0;
    return r->to == CDATE_NONE || (d != CDATE_NONE && d <= r->to);
}

int cmd_report_subscriptions(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report subscriptions [--account ID] [--from D] "
        "[--to D]\n"
        "                                     [--format table|json|csv]\n"
        "Every subscription: account, type, status today, start, end, last\n"
        "invoice amount and status. --from/--to: those active on some day\n"
        "of the range.\n";
    static const struct out_col cols[] = {
        {"id", 'i'},    {"account", 's'}, {"type", 's'},
        {"status", 's'}, {"start", 'd'},  {"end", 'd'},
        {"last_invoice_cents", 'm'}, {"last_invoice_status", 's'}};
    enum out_format f;
    const char *account = NULL;
    struct report_range range;
    int rc = report_args("report subscriptions", help, argc, argv, &f, &account,
                         &range);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct subscription_report_row *rows;
    size_t n;
    struct err e;
    if (subscription_report(&c->eng, account, &rows, &n, &e) != 0)
        return cli_fail("report subscriptions", &e);
    struct out_table *t = out_new(cols, 8);
    for (size_t i = 0; i < n; i++) {
        const struct subscription_report_row *r = &rows[i];
        /* in the range: active on some day of it */
        if ((range.to != CDATE_NONE && r->s.start > range.to) ||
            (range.from != CDATE_NONE && r->s.end_on != CDATE_NONE &&
             r->s.end_on < range.from))
            continue;
        char id[24], start[11], end[11], cents[24];
        snprintf(id, sizeof id, "%lld", (long long)r->s.id);
        snprintf(cents, sizeof cents, "%lld", (long long)r->last_invoice_cents);
        const char *v[] = {id, r->s.account, r->s.type, r->status,
                           date_fmt(r->s.start, start),
                           r->s.end_on == CDATE_NONE ? NULL
                                                     : date_fmt(r->s.end_on, end),
                           r->has_last_invoice ? cents : NULL,
                           r->last_invoice_status};
        out_row(t, v);
    }
    subscription_report_free(rows, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

static json_t *invoice_lines_json(const struct invoice *inv)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        char d[11];
        json_t *o = json_object();
        json_object_set_new(o, "description", json_string(l->description));
        json_object_set_new(o, "quantity",
                            json_hundredths(l->qty100));
        json_object_set_new(o, "unit_cents", json_integer(l->unit_cents));
        json_object_set_new(o, "amount_cents", json_integer(l->amount_cents));
        json_object_set_new(o, "vat_rate",
                            json_hundredths(l->vat_bp));
        json_object_set_new(o, "vat_rate_id", json_string(l->vat_id));
        json_object_set_new(o, "subscription",
                            l->subscription ? json_integer(l->subscription)
                                            : json_null());
        json_object_set_new(o, "period_start",
                            l->period_start != CDATE_NONE
                                ? json_string(date_fmt(l->period_start, d))
                                : json_null());
        json_object_set_new(o, "period_end",
                            l->period_end != CDATE_NONE
                                ? json_string(date_fmt(l->period_end, d))
                                : json_null());
        json_object_set_new(o, "source", json_string(l->source));
        if (l->source && !strcmp(l->source, "hours")) {
            /* An hours line: its placement and hours (two decimals). */
            json_object_set_new(o, "placement", json_string(l->ref));
            json_object_set_new(o, "hours",
                                json_hundredths(l->qty100));
        }
        json_object_set_new(o, "ref",
                            l->ref ? json_string(l->ref) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

int cmd_report_invoices(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report invoices [--account ID] [--from D] [--to D]\n"
        "                                [--format table|json|csv]\n"
        "Every invoice and credit note (issued in --from..--to); JSON\n"
        "carries the lines. Amounts: euros in a table and CSV (columns\n"
        "total, vat, paid), integer cents in JSON (total_cents, ...).\n";
    static const struct out_col cols[] = {
        {"number", 's'}, {"kind", 's'},  {"account", 's'},
        {"issued", 'd'}, {"due", 'd'},   {"status", 's'},
        {"total_cents", 'm'}, {"vat_cents", 'm'}, {"paid_cents", 'm'},
        {"credit_of", 's'}};
    enum out_format f;
    const char *account = NULL;
    struct report_range range;
    int rc = report_args("report invoices", help, argc, argv, &f, &account,
                         &range);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct invoice *list;
    size_t n;
    struct err e;
    if (report_invoices(&c->eng, account, f == OUT_JSON, &list, &n, &e) != 0)
        return cli_fail("report invoices", &e);
    struct out_table *t = out_new(cols, 10);
    for (size_t i = 0; i < n; i++) {
        const struct invoice *inv = &list[i];
        if (!in_range(&range, inv->issued))
            continue;
        char issued[11], due[11], total[24], vat[24], paid[24];
        snprintf(total, sizeof total, "%lld", (long long)inv->total_cents);
        snprintf(vat, sizeof vat, "%lld", (long long)inv->vat_cents);
        snprintf(paid, sizeof paid, "%lld", (long long)inv->paid_cents);
        const char *v[] = {inv->number, invoice_kind_name(inv->kind),
                           inv->to.id, date_fmt(inv->issued, issued),
                           date_fmt(inv->due, due),
                           invoice_status_name(inv->status), total, vat, paid,
                           inv->credit_of};
        out_row(t, v);
        if (f == OUT_JSON) {
            /* The numbering series, and whose invoice it is (mediation). */
            out_attach(t, "series", inv->series ? json_string(inv->series)
                                                : json_null());
            out_attach(t, "payment_reference",
                       inv->payment_reference
                           ? json_string(inv->payment_reference)
                           : json_null());
            out_attach(t, "supplier", inv->supplier.id
                                          ? json_string(inv->supplier.id)
                                          : json_null());
            out_attach(t, "lines", invoice_lines_json(inv));
        }
    }
    invoice_views_free(list, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

int cmd_report_runs(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report runs [--from D] [--to D] "
        "[--format table|json|csv]\n"
        "Every tick that was committed: its run date, when it started (UTC),\n"
        "the rule set's hash, the invoices it issued and the messages it\n"
        "queued. --from/--to select by run date.\n";
    static const struct out_col cols[] = {
        {"id", 'i'},         {"as_of", 'd'},    {"started_at", 's'},
        {"rules_hash", 's'}, {"invoices", 'i'}, {"messages", 'i'}};
    enum out_format f;
    const char *account = NULL;
    struct report_range range;
    int rc = report_args("report runs", help, argc, argv, &f, &account,
                         &range);
    if (rc)
        return rc;
    if (account) {
        fprintf(stderr, "carebill report runs: runs are not per account; "
                        "leave out --account\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_need_reader(c)))
        return rc;
    struct run_row *rows;
    size_t n;
    struct err e;
    if (report_runs(&c->eng, range.from, range.to, &rows, &n, &e) != 0)
        return cli_fail("report runs", &e);
    struct out_table *t = out_new(cols, 6);
    for (size_t i = 0; i < n; i++) {
        char id[24], day[11], inv[24], msg[24];
        snprintf(id, sizeof id, "%lld", (long long)rows[i].id);
        snprintf(inv, sizeof inv, "%lld", (long long)rows[i].invoices);
        snprintf(msg, sizeof msg, "%lld", (long long)rows[i].messages);
        const char *v[] = {id, date_fmt(rows[i].as_of, day),
                           rows[i].started_at, rows[i].rules_hash, inv, msg};
        out_row(t, v);
    }
    run_rows_free(rows, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

int cmd_report_outbox(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill outbox list | report outbox [--account ID] "
        "[--from D] [--to D]\n"
        "                                [--format table|json|csv]\n"
        "Every message: scheduled, queued, sending, sent, failed, cancelled,\n"
        "with the server's last reply (--from/--to: by send time).\n";
    static const struct out_col cols[] = {
        {"id", 'i'},      {"template", 's'}, {"to", 's'},
        {"subject", 's'}, {"status", 's'},   {"send_at", 's'},
        {"invoice", 's'}, {"event", 's'},    {"step", 'i'},
        {"attempts", 'i'}, {"last_reply", 's'}};
    enum out_format f;
    const char *account = NULL;
    struct report_range range;
    int rc = report_args("outbox list", help, argc, argv, &f, &account, &range);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct outbox_entry *list;
    size_t n;
    struct err e;
    if (report_outbox(&c->eng, account, &list, &n, &e) != 0)
        return cli_fail("outbox list", &e);
    struct out_table *t = out_new(cols, 11);
    for (size_t i = 0; i < n; i++) {
        const struct outbox_entry *m = &list[i];
        char sday[11] = "";
        cdate sd = CDATE_NONE;
        struct err de;
        if (m->send_at)
            snprintf(sday, sizeof sday, "%s", m->send_at);
        if (sday[0] && date_parse(sday, &sd, &de) != 0)
            sd = CDATE_NONE;
        if (!in_range(&range, sd))
            continue;
        char id[24], step[16], attempts[16];
        snprintf(id, sizeof id, "%lld", (long long)m->id);
        snprintf(step, sizeof step, "%d", m->step);
        snprintf(attempts, sizeof attempts, "%d", m->attempts);
        const char *v[] = {id,        m->template_id,
                           m->to_addr, m->subject,
                           outbox_report_status(m->status), m->send_at,
                           m->invoice, m->event,
                           step,      attempts,
                           m->last_reply};
        out_row(t, v);
    }
    report_outbox_free(list, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

struct cancel_args {
    int64_t id;
};

static int do_outbox_cancel(struct cli *c, void *arg, struct err *e)
{
    return outbox_cancel_message(&c->eng, ((struct cancel_args *)arg)->id, e);
}

int cmd_outbox_cancel(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill outbox cancel ID\n"
        "Cancel a scheduled, queued or failed message.\n";
    const char *pos[1];
    struct cancel_args a;
    int rc = cli_parse("outbox cancel", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_int("outbox cancel", "ID", pos[0], 1, INT64_MAX / 2,
                            &a.id)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_outbox_cancel, &a, &e) != 0)
        return cli_fail("outbox cancel", &e);
    return EXIT_OK;
}
