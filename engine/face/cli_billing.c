/*
 * cli_billing.c — commands over the ledger, subscriptions, invoices, the
 * tick and the reports. Each validates its arguments, runs in one
 * transaction and prints only after the commit.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "face/cli.h"
#include "face/cli_cmds.h"
#include "usecase/credit_notes.h"
#include "usecase/invoice_views.h"
#include "usecase/outbox.h"
#include "usecase/payment.h"
#include "usecase/subscription.h"
#include "usecase/admin.h"
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
        "as file:line:col: message. Exit 3 when there is any.\n";
    int rc = cli_parse("check", help, NULL, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
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
    size_t n = 0;
    for (size_t i = 0; i < c->rules->n_files; i++)
        n++;
    printf("%s: %zu file%s, rule set %.12s: ok\n", c->rules_dir, n,
           n == 1 ? "" : "s", c->rules->hash);
    return EXIT_OK;
}

static void rules_row(const struct def *d, void *arg)
{
    char line[16];
    snprintf(line, sizeof line, "%d", d->at.line);
    const char *v[] = {d->kind, d->id, d->name, d->at.file, line,
                       d->active ? "true" : "false"};
    out_row(arg, v);
}

int cmd_rules(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill rules [--format table|json|csv]\n"
        "List every loaded definition: kind, id, name, file, line, active.\n";
    const char *format = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL}, {0}};
    enum out_format f;
    int rc = cli_parse("rules", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse("rules", format, &f)) ||
        (rc = cli_need_rules(c)))
        return rc;
    static const struct out_col cols[] = {{"kind", 's'}, {"id", 's'},
                                          {"name", 's'}, {"file", 's'},
                                          {"line", 'i'}, {"active", 's'}};
    struct out_table *t = out_new(cols, 6);
    char line[16];
    snprintf(line, sizeof line, "%d", c->rules->practice.at.line);
    const char *pv[] = {"practice", "practice", c->rules->practice.name,
                        c->rules->practice.at.file, line, "true"};
    out_row(t, pv);
    rules_each(c->rules, rules_row, t);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

/* ================================================================ accounts */

struct account_args {
    struct account_input in;
};

static int do_account_add(struct cli *c, void *arg, struct err *e)
{
    return account_add(c->eng.lg, &((struct account_args *)arg)->in, c->eng.today, e);
}

int cmd_account_add(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill account add --id ID --name NAME --email EMAIL\n"
        "         [--kind patient|organisation|client|supplier]\n"
        "         [--address TEXT] [--locale nl|fr|en] [--vat-number N]\n"
        "         [--iban IBAN [--bic BIC] --mandate ID --mandate-date D]\n"
        "         [--no-reminders] [--peppol SCHEME:ID]\n"
        "--peppol is the electronic address e-invoices go to (0208, 0106,\n"
        "0190, 9944, 9925, 0088, 9930 or 0192, e.g. 0208:0123456749).\n";
    const char *id = NULL, *name = NULL, *email = NULL, *kind = NULL;
    const char *address = NULL, *locale = NULL, *vat = NULL, *iban = NULL;
    const char *bic = NULL, *mandate = NULL, *mdate = NULL, *norem = NULL;
    const char *peppol = NULL;
    const struct opt opts[] = {
        {"--id", 1, &id, NULL},           {"--name", 1, &name, NULL},
        {"--email", 1, &email, NULL},     {"--kind", 1, &kind, NULL},
        {"--address", 1, &address, NULL}, {"--locale", 1, &locale, NULL},
        {"--vat-number", 1, &vat, NULL},  {"--iban", 1, &iban, NULL},
        {"--bic", 1, &bic, NULL},         {"--mandate", 1, &mandate, NULL},
        {"--mandate-date", 1, &mdate, NULL},
        {"--no-reminders", 0, &norem, NULL}, {"--peppol", 1, &peppol, NULL},
        {0}};
    int rc = cli_parse("account add", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!id || !name || !email) {
        fprintf(stderr, "carebill account add: --id, --name and --email are "
                        "required\n");
        return EXIT_USAGE;
    }
    struct account_args a = {{id, name, email, kind, address, locale, vat,
                              iban, bic, mandate, CDATE_NONE, !norem, peppol}};
    if (mdate && (rc = cli_date("account add", "--mandate-date", mdate,
                                &a.in.mandate_date)))
        return rc;
    if ((rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_account_add, &a, &e) != 0)
        return cli_fail("account add", &e);
    printf("%s\n", id);
    return EXIT_OK;
}

/* ================================================================ subscriptions */

struct sub_args {
    const char *account, *type, *note;
    int64_t id, quantity;
    cdate from, until;
    int dd;
};

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
    return subscription_pause(&c->eng, a->id, a->from, a->until, a->note, e);
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
    return subscription_stop(&c->eng, a->id, a->from, a->note, c->eng.today, e);
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
    return EXIT_OK;
}

/* ================================================================ prices */

struct price_args {
    const char *type;
    cdate from;
    int64_t price;
};

static int do_price_schedule(struct cli *c, void *arg, struct err *e)
{
    struct price_args *a = arg;
    return price_schedule(&c->eng, a->type, a->from, a->price,
                          c->eng.today, e);
}

static int do_price_cancel(struct cli *c, void *arg, struct err *e)
{
    struct price_args *a = arg;
    return price_cancel(&c->eng, a->type, a->from, c->eng.today, e);
}

int cmd_price_schedule(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill price schedule TYPE --from D --price AMOUNT\n"
        "From D on, periods of TYPE starting on or after D cost AMOUNT.\n";
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
    return EXIT_OK;
}

/* ================================================================ invoices */

struct inv_args {
    const char *number;
    int64_t amount;
    cdate on;
    char *out;
};

static int do_credit(struct cli *c, void *arg, struct err *e)
{
    struct inv_args *a = arg;
    return issue_credit_note(&c->eng, a->number, a->amount, c->eng.today,
                             &a->out, e);
}

int cmd_invoice_credit(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill invoice credit NUMBER [--amount AMOUNT]\n"
        "Issue a credit note for invoice NUMBER, in full or for AMOUNT\n"
        "(including VAT); prints the credit note's number.\n";
    const char *amount = NULL, *pos[1];
    const struct opt opts[] = {{"--amount", 1, &amount, NULL}, {0}};
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
    struct err e;
    if (cli_tx(c, do_credit, &a, &e) != 0)
        return cli_fail("invoice credit", &e);
    printf("%s\n", a.out);
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
    if ((rc = cli_need_reader(c)))
        return rc;
    struct err e;
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

static int do_payment(struct cli *c, void *arg, struct err *e)
{
    struct inv_args *a = arg;
    return payment_register(&c->eng, a->number, a->amount, a->on,
                            "manual", NULL, e);
}

int cmd_payment_register(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill payment register NUMBER --amount AMOUNT --on D\n"
        "Register a payment (or part of one) on invoice NUMBER.\n";
    const char *amount = NULL, *on = NULL, *pos[1];
    const struct opt opts[] = {{"--amount", 1, &amount, NULL},
                               {"--on", 1, &on, NULL}, {0}};
    struct inv_args a = {0};
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
    return EXIT_OK;
}

/* ================================================================ tick */

int cmd_tick(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill tick [--as-of D] [--dry-run] [--quiet]\n"
        "Do everything due on D (default today): bill subscription periods\n"
        "(catching up on missed days), queue e-mails, reminders. One\n"
        "transaction; a rerun does nothing twice. --dry-run prints what\n"
        "would be written and writes nothing.\n";
    const char *as_of = NULL, *dry = NULL, *quiet = NULL;
    const struct opt opts[] = {{"--as-of", 1, &as_of, NULL},
                               {"--dry-run", 0, &dry, NULL},
                               {"--quiet", 0, &quiet, NULL}, {0}};
    cdate d;
    int rc = cli_parse("tick", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (as_of && (rc = cli_date("tick", "--as-of", as_of, &d))) ||
        (rc = cli_need_hooks(c)))
        return rc;
    if (!as_of)
        d = c->eng.today;
    struct tick_report rep;
    struct err e;
    FILE *log = dry ? stdout : NULL;
    c->eng.today = d;
    if (tick_run(&c->eng, dry != NULL, log, &rep, &e) != 0) {
        fprintf(stderr, "carebill tick: %s\ncarebill tick: nothing was "
                        "written\n", e.msg);
        return EXIT_FAIL;
    }
    char day[11], tot[32];
    if (!quiet)
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
        "usage: carebill simulate --from D --to D\n"
        "Run every daily tick from D to D on a copy of the ledger and print\n"
        "the timeline. The ledger itself is not touched.\n";
    const char *from = NULL, *to = NULL;
    const struct opt opts[] = {{"--from", 1, &from, NULL},
                               {"--to", 1, &to, NULL}, {0}};
    cdate a, b;
    int rc = cli_parse("simulate", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = cli_date("simulate", "--from", from, &a)) ||
        (rc = cli_date("simulate", "--to", to, &b)) ||
        (rc = cli_need_hooks(c)))
        return rc;
    if (b < a || b - a > 3660) {
        fprintf(stderr, "carebill simulate: --to must be on or after --from, "
                        "at most ten years later\n");
        return EXIT_USAGE;
    }
    struct err e;
    rc = admin_simulate(&c->eng, a, b, stdout, &e);
    if (rc != 0)
        return cli_fail("simulate", &e);
    return EXIT_OK;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill backup FILE\n"
        "Write a consistent copy of the live ledger to FILE.\n";
    const char *pos[1];
    int rc = cli_parse("backup", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct err e;
    if (admin_backup(&c->eng, pos[0], &e) != 0)
        return cli_fail("backup", &e);
    return EXIT_OK;
}

/* ================================================================ reports */

static int report_args(const char *cmd, const char *help, int argc,
                       char **argv, enum out_format *f, const char **account)
{
    const char *format = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--account", 1, account, NULL}, {0}};
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    return out_format_parse(cmd, format, f);
}

int cmd_report_subscriptions(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report subscriptions [--account ID] "
        "[--format table|json|csv]\n"
        "Every subscription: account, type, status today, start, end, last\n"
        "invoice amount and status.\n";
    static const struct out_col cols[] = {
        {"id", 'i'},    {"account", 's'}, {"type", 's'},
        {"status", 's'}, {"start", 'd'},  {"end", 'd'},
        {"last_invoice_cents", 'm'}, {"last_invoice_status", 's'}};
    enum out_format f;
    const char *account = NULL;
    int rc = report_args("report subscriptions", help, argc, argv, &f, &account);
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
        char q[32], v[32], d[11];
        json_t *o = json_object();
        json_object_set_new(o, "description", json_string(l->description));
        json_object_set_new(o, "quantity",
                            json_string(decimal_fmt(l->qty100, 2, q)));
        json_object_set_new(o, "unit_cents", json_integer(l->unit_cents));
        json_object_set_new(o, "amount_cents", json_integer(l->amount_cents));
        json_object_set_new(o, "vat_rate",
                            json_string(decimal_fmt(l->vat_bp, 2, v)));
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
        json_object_set_new(o, "ref",
                            l->ref ? json_string(l->ref) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

int cmd_report_invoices(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report invoices [--account ID] "
        "[--format table|json|csv]\n"
        "Every invoice and credit note; JSON carries the lines.\n";
    static const struct out_col cols[] = {
        {"number", 's'}, {"kind", 's'},  {"account", 's'},
        {"issued", 'd'}, {"due", 'd'},   {"status", 's'},
        {"total_cents", 'm'}, {"vat_cents", 'm'}, {"paid_cents", 'm'},
        {"credit_of", 's'}};
    enum out_format f;
    const char *account = NULL;
    int rc = report_args("report invoices", help, argc, argv, &f, &account);
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
        if (f == OUT_JSON)
            out_attach(t, "lines", invoice_lines_json(inv));
    }
    invoice_views_free(list, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

int cmd_report_outbox(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill outbox list | report outbox [--account ID] "
        "[--format table|json|csv]\n"
        "Every message: scheduled, queued, sending, sent, failed, cancelled,\n"
        "with the server's last reply.\n";
    static const struct out_col cols[] = {
        {"id", 'i'},      {"template", 's'}, {"to", 's'},
        {"subject", 's'}, {"status", 's'},   {"send_at", 's'},
        {"invoice", 's'}, {"event", 's'},    {"step", 'i'},
        {"attempts", 'i'}, {"last_reply", 's'}};
    enum out_format f;
    const char *account = NULL;
    int rc = report_args("outbox list", help, argc, argv, &f, &account);
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
