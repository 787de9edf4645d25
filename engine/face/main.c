/*
 * main.c — carebill's entry point: global options, then one command.
 *
 *   carebill [--db FILE] [--rules DIR] COMMAND [ARGS]
 *   carebill --help | carebill GROUP --help | carebill --version
 *
 * Every command word, group and sub-word is one row of `commands`, with
 * its one-line summary: dispatch and every listing read that table.
 *
 * Exit codes: 0 success, 1 refused or failed (nothing changed), 2 usage
 * error, 3 rule-file error.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/suggest.h"
#include "base/version.h"
#include "face/cli.h"
#include "face/cli_cmds.h"
#include "face/cli_mediation.h"
#include "face/cli_payments.h"
#include "face/cli_worker.h"
#include "usecase/admin.h"
/* face/cli_einvoice.c (not yet listed in face/cli_cmds.h) */
int cmd_invoice_ubl(struct cli *c, int argc, char **argv);
/* face/cli_plans.c: seat plans */
int cmd_plan_start(struct cli *c, int argc, char **argv);
int cmd_plan_change(struct cli *c, int argc, char **argv);
int cmd_plan_cancel_change(struct cli *c, int argc, char **argv);
int cmd_seat_add(struct cli *c, int argc, char **argv);
int cmd_seat_remove(struct cli *c, int argc, char **argv);
int cmd_seat_list(struct cli *c, int argc, char **argv);
int cmd_usage_record(struct cli *c, int argc, char **argv);
int cmd_discount_apply(struct cli *c, int argc, char **argv);
int cmd_report_plans(struct cli *c, int argc, char **argv);
#ifdef CAREBILL_FAULTSIM
#include "base/faultsim.h"
#endif

/* ============================================================ commands */

/* A command-line word: a command (fn set, sub NULL), a group's own line
 * (fn NULL, sub NULL: its summary in `carebill --help`) or a command of a
 * group (sub set). fn receives the arguments after the command words;
 * with CMD_PASS_SUB it receives the sub-word too, and answers a missing
 * or unknown one itself. Table order is the order of every listing. */
struct command {
    const char *word, *sub;
    int (*fn)(struct cli *c, int argc, char **argv);
    const char *summary;
    unsigned flags;
};

enum { CMD_PASS_SUB = 1u };

static const struct command commands[] = {
    {"init", NULL, cmd_init, "create the ledger or upgrade its schema", 0},
    {"check", NULL, cmd_check, "validate the rule files and their hooks", 0},
    {"rules", NULL, cmd_rules, "list every loaded definition", 0},
    {"account", NULL, NULL, "accounts to bill", 0},
    {"account", "add", cmd_account_add, "add an account", 0},
    {"account", "list", cmd_account_list, "every account", 0},
    {"account", "show", cmd_account_show,
     "one account and the history of its changes", 0},
    {"account", "update", cmd_account_update,
     "change an account's e-mail, name, address, mandate, reminders", 0},
    {"account", "deactivate", cmd_account_deactivate,
     "no new subscriptions or invoices for an account", 0},
    {"account", "mediation", cmd_account_mediation,
     "a supplier's KvK, VAT status, self-billing agreement; a client's "
     "privacy", 0},
    {"subscription", NULL, NULL, "subscriptions", 0},
    {"subscription", "start", cmd_subscription_start,
     "start a subscription; prints its id", 0},
    {"subscription", "pause", cmd_subscription_pause,
     "pause a subscription from one day until another", 0},
    {"subscription", "resume", cmd_subscription_resume,
     "end the pause in force", 0},
    {"subscription", "stop", cmd_subscription_stop,
     "stop a subscription after its last active day", 0},
    {"subscription", "list", cmd_report_subscriptions,
     "every subscription (as report subscriptions)", 0},
    {"plan", NULL, NULL, "seat plans of organisations", 0},
    {"plan", "start", cmd_plan_start,
     "start an organisation's seat plan", 0},
    {"plan", "change", cmd_plan_change,
     "change plan or billing from the next period", 0},
    {"plan", "cancel-change", cmd_plan_cancel_change,
     "cancel a plan change before it applies", 0},
    {"plan", "list", cmd_report_plans,
     "every organisation's plan (as report plans)", 0},
    {"seat", NULL, NULL, "seats of a plan, one per practitioner", 0},
    {"seat", "add", cmd_seat_add, "add a seat from a day on", 0},
    {"seat", "remove", cmd_seat_remove, "remove a seat from a day on", 0},
    {"seat", "list", cmd_seat_list, "every seat of an organisation", 0},
    {"usage", NULL, NULL, "usage billed on the next plan invoice", 0},
    {"usage", "record", cmd_usage_record,
     "record usage of a metric (idempotent with --id)", 0},
    {"discount", NULL, NULL, "discount codes", 0},
    {"discount", "apply", cmd_discount_apply,
     "redeem a discount code for an organisation", 0},
    {"price", NULL, NULL, "scheduled price changes", 0},
    {"price", "schedule", cmd_price_schedule,
     "a new price for a subscription type from a day on", 0},
    {"price", "cancel", cmd_price_cancel,
     "cancel a scheduled price change before it applies", 0},
    {"invoice", NULL, NULL, "invoices and credit notes", 0},
    {"invoice", "product", cmd_invoice_product,
     "issue a product invoice; prints its number", 0},
    {"invoice", "credit", cmd_invoice_credit,
     "issue a credit note for an invoice", 0},
    {"invoice", "pdf", cmd_invoice_pdf, "render an invoice as a PDF", 0},
    {"invoice", "ubl", cmd_invoice_ubl,
     "write Peppol UBL e-invoices for an access point", 0},
    {"explain", NULL, cmd_explain, "why every line of an invoice exists", 0},
    {"payment", NULL, NULL, "payments on invoices", 0},
    {"payment", "register", cmd_payment_register,
     "register a payment on an invoice", 0},
    {"payment", "list", cmd_payment_list,
     "every payment, refund, reversal and undo", 0},
    {"payment", "undo", cmd_payment_undo,
     "undo a payment (recorded, never deleted)", 0},
    {"payment", "refund", cmd_payment_refund,
     "record money paid back on a credit note or from a balance", 0},
    {"credits", NULL, NULL, "package credits", 0},
    {"credits", "import", cmd_credits,
     "add credits to an account without an invoice", 0},
    {"appointment", NULL, NULL, "appointments and the credits they use", 0},
    {"appointment", "book", cmd_appointment,
     "book an appointment, consuming credits", CMD_PASS_SUB},
    {"appointment", "cancel", cmd_appointment,
     "cancel an appointment, returning its credits", CMD_PASS_SUB},
    {"hours", NULL, NULL, "hours worked on placements (mediation)", 0},
    {"hours", "add", cmd_hours_add, "register hours; prints the row's id", 0},
    {"hours", "remove", cmd_hours_remove,
     "remove a row of a draft or rejected month", 0},
    {"hours", "submit", cmd_hours_submit,
     "submit a month's hours for the client's approval", 0},
    {"hours", "approve", cmd_hours_approve,
     "the client approves a submitted month", 0},
    {"hours", "reject", cmd_hours_reject,
     "the client sends a submitted month back, with the reason", 0},
    {"tick", NULL, cmd_tick, "do everything due today (or --as-of D)", 0},
    {"simulate", NULL, cmd_simulate, "daily ticks on a copy of the ledger", 0},
    {"outbox", NULL, NULL, "e-mail delivery", 0},
    {"outbox", "send", cmd_outbox_send,
     "deliver every queued message that is due", 0},
    {"outbox", "list", cmd_report_outbox,
     "every message and its status (as report outbox)", 0},
    {"outbox", "cancel", cmd_outbox_cancel,
     "cancel a scheduled, queued or failed message", 0},
    {"outbox", "retry", cmd_outbox_retry, "queue a failed message again", 0},
    {"outbox", "show", cmd_outbox_show,
     "one message with its text (as sent, or as it will be sent)", 0},
    {"sepa", NULL, NULL, "SEPA direct debit", 0},
    {"sepa", "export", cmd_sepa_export,
     "write the pain.008 batch of open direct debits", 0},
    {"bank", NULL, NULL, "bank statements", 0},
    {"bank", "import", cmd_bank_import,
     "import a camt.053 statement and match its payments", 0},
    {"payout", NULL, NULL, "payouts to suppliers (mediation)", 0},
    {"payout", "export", cmd_payout_export,
     "write the pain.001 batch paying every supplier what is due", 0},
    {"report", NULL, NULL, "reports", 0},
    {"report", "subscriptions", cmd_report_subscriptions,
     "every subscription, its status and last invoice", 0},
    {"report", "plans", cmd_report_plans,
     "every organisation's plan, seats and next invoice", 0},
    {"report", "invoices", cmd_report_invoices,
     "every invoice and credit note", 0},
    {"report", "credits", cmd_report_credits,
     "credits per account and package", 0},
    {"report", "balances", cmd_report_balances,
     "every account's credit balance and its movements", 0},
    {"report", "outbox", cmd_report_outbox, "every message and its status", 0},
    {"report", "runs", cmd_report_runs,
     "every tick: run date, rule set, invoices, messages", 0},
    {"report", "journal", cmd_report_ledger_journal,
     "every booking for the accountant: sales, VAT, debtors, payments, credits",
     0},
    {"report", "vat", cmd_report_vat,
     "turnover and VAT per rate for a VAT return", 0},
    {"report", "hours", cmd_report_hours,
     "every placement's month of hours and its status", 0},
    {"report", "payouts", cmd_report_payouts,
     "per supplier: collected, withheld, paid and due", 0},
    {"backup", NULL, cmd_backup, "write a consistent copy of the live ledger",
     0},
    {"ledger", NULL, NULL, "the ledger itself", 0},
    {"ledger", "dump", cmd_ledger_dump,
     "every row of every table, in a stable order", 0},
    {"migrate-ledger", NULL, cmd_migrate_ledger,
     "copy a ledger into a new one (SQLite <-> PostgreSQL)", 0},
    {"registry", NULL, NULL, "the practices a host's workers run", 0},
    {"registry", "add", cmd_registry_add, "add a practice to the registry", 0},
    {"registry", "list", cmd_registry_list, "every practice and its last run",
     0},
    {"registry", "remove", cmd_registry_remove,
     "take a practice out of the registry", 0},
    {"worker", NULL, cmd_worker,
     "run the registry's due daily runs (many workers share it)", 0},
};

#define N_COMMANDS (sizeof commands / sizeof *commands)

static const char usage_head[] =
    "usage: carebill [--db FILE] [--rules DIR] COMMAND [ARGS]\n"
    "       (or CAREBILL_DB, CAREBILL_RULES)\n"
    "       carebill --version\n";

static const char usage_tail[] =
    "carebill GROUP --help lists a group's commands; every command takes\n"
    "--help. Formats: table, json, csv. Exit codes: 0 done, 1 refused or\n"
    "failed (nothing changed), 2 usage, 3 rule files.\n";

/* The line of `word` that carebill --help shows: its command or group. */
static const struct command *find_word(const char *word)
{
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (!commands[k].sub && !strcmp(commands[k].word, word))
            return &commands[k];
    return NULL;
}

static const struct command *find_sub(const char *word, const char *sub)
{
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (commands[k].sub && !strcmp(commands[k].word, word) &&
            !strcmp(commands[k].sub, sub))
            return &commands[k];
    return NULL;
}

/* carebill --help: every command and group with its summary; a group's
 * commands in parentheses. */
static void print_usage(FILE *fp)
{
    int w = 0;
    for (size_t k = 0; k < N_COMMANDS; k++)
        if ((int)strlen(commands[k].word) > w)
            w = (int)strlen(commands[k].word);
    fputs(usage_head, fp);
    fputc('\n', fp);
    for (size_t k = 0; k < N_COMMANDS; k++) {
        const struct command *g = &commands[k];
        if (g->sub)
            continue;
        fprintf(fp, "  %-*s  %s", w, g->word, g->summary);
        const char *sep = " (";
        for (size_t j = k + 1; j < N_COMMANDS; j++)
            if (commands[j].sub && !strcmp(commands[j].word, g->word)) {
                fprintf(fp, "%s%s", sep, commands[j].sub);
                sep = ", ";
            }
        fputs(*sep == ',' ? ")\n" : "\n", fp);
    }
    fputc('\n', fp);
    fputs(usage_tail, fp);
}

/* carebill GROUP --help: the group's commands with their summaries. */
static void print_group(FILE *fp, const struct command *g)
{
    int w = 0;
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (commands[k].sub && !strcmp(commands[k].word, g->word) &&
            (int)strlen(commands[k].sub) > w)
            w = (int)strlen(commands[k].sub);
    fprintf(fp, "usage: carebill %s COMMAND [ARGS]\n", g->word);
    fprintf(fp, "Commands for %s:\n", g->summary);
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (commands[k].sub && !strcmp(commands[k].word, g->word))
            fprintf(fp, "  %-*s  %s\n", w, commands[k].sub,
                    commands[k].summary);
    fprintf(fp, "Every command takes --help (carebill %s COMMAND --help).\n",
            g->word);
}

static int is_help(const char *arg)
{
    return arg && (!strcmp(arg, "--help") || !strcmp(arg, "-h"));
}

/* The command of group g that reads its own sub-word (CMD_PASS_SUB), or
 * NULL. */
static const struct command *group_handler(const struct command *g)
{
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (commands[k].sub && !strcmp(commands[k].word, g->word) &&
            (commands[k].flags & CMD_PASS_SUB))
            return &commands[k];
    return NULL;
}

/* A group's word followed by --help (the listing on stdout, exit 0), by
 * nothing (the listing on stderr, exit 2) or by an unknown word (a
 * message, a suggestion when one is close, the listing; exit 2). */
static int group_without_sub(const struct command *g, const char *sub)
{
    if (is_help(sub)) {
        print_group(stdout, g);
        return EXIT_OK;
    }
    if (sub) {
        struct suggest s;
        suggest_init(&s, sub, SUGGEST_DISTANCE);
        for (size_t k = 0; k < N_COMMANDS; k++)
            if (commands[k].sub && !strcmp(commands[k].word, g->word))
                suggest_offer(&s, commands[k].sub);
        if (suggest_best(&s))
            fprintf(stderr, "carebill %s: unknown command '%s'; did you mean "
                            "'%s'?\n", g->word, sub, suggest_best(&s));
        else
            fprintf(stderr, "carebill %s: unknown command '%s'\n", g->word,
                    sub);
    }
    print_group(stderr, g);
    return EXIT_USAGE;
}

static void unknown_command(const char *word)
{
    struct suggest s;
    suggest_init(&s, word, SUGGEST_DISTANCE);
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (!commands[k].sub)
            suggest_offer(&s, commands[k].word);
    if (suggest_best(&s))
        fprintf(stderr, "carebill: unknown command '%s'; did you mean '%s'? "
                        "(see carebill --help)\n", word, suggest_best(&s));
    else
        fprintf(stderr, "carebill: unknown command '%s' (see carebill "
                        "--help)\n", word);
}

/* Run the command argv[i..]: a command, or a group and its sub-word.
 * Returns the exit code. */
static int dispatch(struct cli *c, int argc, char **argv, int i)
{
    const char *word = argv[i];
    const char *sub = i + 1 < argc ? argv[i + 1] : NULL;
    const struct command *cmd = find_word(word);
    if (!cmd) {
        unknown_command(word);
        return EXIT_USAGE;
    }
    int skip = 1;
    if (!cmd->fn) {
        const struct command *s = sub ? find_sub(word, sub) : NULL;
        if (!s) {
            /* A group whose handler reads its own sub-word answers a
             * missing or unknown one itself; --help is the listing. */
            s = group_handler(cmd);
            if (!s || is_help(sub))
                return group_without_sub(cmd, sub);
        }
        cmd = s;
        skip = cmd->flags & CMD_PASS_SUB ? 1 : 2;
    }
    int rc = cmd->fn(c, argc - i - skip, argv + i + skip);
    return rc < 0 ? EXIT_OK : rc; /* -1: it printed its --help */
}

/* Where rules/ and lua/ live: CAREBILL_LIBDIR, else next to the binary
 * (a build tree), else PREFIX/share/carebill beside bin/. */
static char *find_libdir(const char *argv0)
{
    const char *env = getenv("CAREBILL_LIBDIR");
    if (env && *env)
        return xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(exe, sizeof exe, "%s", argv0);
        n = (ssize_t)strlen(exe);
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    char *probe = xasprintf("%s/lua", exe);
    struct stat st;
    int here = stat(probe, &st) == 0;
    free(probe);
    if (here)
        return xstrdup(exe);
    return xasprintf("%s/../share/carebill", exe);
}

int main(int argc, char **argv)
{
#ifdef CAREBILL_FAULTSIM
    faultsim_install(); /* CAREBILL_FAULT: the test harness's faults */
#endif
    struct cli c = {0};
    engine_init(&c.eng, NULL, NULL, CDATE_NONE);
    c.db_path = getenv("CAREBILL_DB");
    c.rules_dir = getenv("CAREBILL_RULES");
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--version")) {
            /* The schema this binary creates and upgrades to. */
            printf("carebill %s (ledger schema version %d)\n",
                   CAREBILL_VERSION, admin_schema_version());
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            c.db_path = argv[++i];
        } else if (!strcmp(argv[i], "--rules") && i + 1 < argc) {
            c.rules_dir = argv[++i];
        } else {
            fprintf(stderr, "carebill: unknown option '%s'\n", argv[i]);
            print_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    char *libdir = find_libdir(argv[0]);
    c.libdir = libdir;
    int rc = dispatch(&c, argc, argv, i);
    engine_close(&c.eng);
    rules_free(c.rules);
    free(libdir);
    return rc;
}
