/*
 * main.c — carebill's entry point: global options, then one command.
 *
 *   carebill [--db FILE] [--rules DIR] COMMAND [ARGS]
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

#include "face/cli.h"
#include "face/cli_cmds.h"

static const char usage[] =
    "usage: carebill [--db FILE] [--rules DIR] COMMAND [ARGS]\n"
    "       (or CAREBILL_DB, CAREBILL_RULES)\n"
    "\n"
    "  init                         create or upgrade the ledger\n"
    "  check                        validate the rule files\n"
    "  rules [--format F]           list every loaded definition\n"
    "  account add ...              add an account\n"
    "  subscription start|pause|resume|stop|list ...\n"
    "  price schedule|cancel ...    scheduled price changes\n"
    "  invoice product|credit|pdf ...\n"
    "  explain NUMBER               why every line of an invoice exists\n"
    "  payment register NUMBER --amount A --on D\n"
    "  credits import ...           credits without an invoice\n"
    "  appointment book|cancel ...  consume or return credits\n"
    "  tick [--as-of D] [--dry-run] everything due on D\n"
    "  simulate --from D --to D     daily ticks on a copy of the ledger\n"
    "  outbox send|list|cancel|retry  e-mail delivery\n"
    "  sepa export --out FILE       pain.008 direct-debit batch\n"
    "  bank import FILE             camt.053 statement\n"
    "  report subscriptions|invoices|credits|outbox|journal [--format F]\n"
    "  backup FILE                  consistent copy of the live ledger\n"
    "\n"
    "Every command takes --help. Formats: table, json, csv.\n";

struct command {
    const char *word, *sub;
    int (*fn)(struct cli *c, int argc, char **argv);
};

static const struct command commands[] = {
    {"init", NULL, cmd_init},
    {"check", NULL, cmd_check},
    {"rules", NULL, cmd_rules},
    {"account", "add", cmd_account_add},
    {"subscription", "start", cmd_subscription_start},
    {"subscription", "pause", cmd_subscription_pause},
    {"subscription", "resume", cmd_subscription_resume},
    {"subscription", "stop", cmd_subscription_stop},
    {"subscription", "list", cmd_report_subscriptions},
    {"price", "schedule", cmd_price_schedule},
    {"price", "cancel", cmd_price_cancel},
    {"invoice", "product", cmd_invoice_product},
    {"invoice", "credit", cmd_invoice_credit},
    {"invoice", "pdf", cmd_invoice_pdf},
    {"explain", NULL, cmd_explain},
    {"payment", "register", cmd_payment_register},
    {"credits", "import", cmd_credits},
    {"appointment", NULL, cmd_appointment},
    {"tick", NULL, cmd_tick},
    {"simulate", NULL, cmd_simulate},
    {"outbox", "send", cmd_outbox_send},
    {"outbox", "retry", cmd_outbox_retry},
    {"outbox", "list", cmd_report_outbox},
    {"outbox", "cancel", cmd_outbox_cancel},
    {"sepa", "export", cmd_sepa_export},
    {"bank", "import", cmd_bank_import},
    {"report", "subscriptions", cmd_report_subscriptions},
    {"report", "invoices", cmd_report_invoices},
    {"report", "credits", cmd_report_credits},
    {"report", "outbox", cmd_report_outbox},
    {"report", "journal", cmd_report_journal},
    {"backup", NULL, cmd_backup},
};

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
    struct cli c = {0};
    engine_init(&c.eng, NULL, NULL, CDATE_NONE);
    c.db_path = getenv("CAREBILL_DB");
    c.rules_dir = getenv("CAREBILL_RULES");
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            c.db_path = argv[++i];
        } else if (!strcmp(argv[i], "--rules") && i + 1 < argc) {
            c.rules_dir = argv[++i];
        } else {
            fprintf(stderr, "carebill: unknown option '%s'\n%s", argv[i], usage);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    char *libdir = find_libdir(argv[0]);
    c.libdir = libdir;
    const char *word = argv[i];
    const char *sub = i + 1 < argc ? argv[i + 1] : NULL;
    int rc = -2;
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++) {
        const struct command *cmd = &commands[k];
        if (strcmp(cmd->word, word) != 0)
            continue;
        if (cmd->sub && (!sub || strcmp(cmd->sub, sub) != 0))
            continue;
        int skip = cmd->sub ? 2 : 1;
        rc = cmd->fn(&c, argc - i - skip, argv + i + skip);
        break;
    }
    if (rc == -2) {
        int known = 0;
        for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
            known |= !strcmp(commands[k].word, word);
        if (known)
            fprintf(stderr, "carebill %s: unknown or missing subcommand "
                            "'%s' (see carebill --help)\n", word,
                    sub ? sub : "");
        else
            fprintf(stderr, "carebill: unknown command '%s' (see carebill "
                            "--help)\n", word);
        rc = EXIT_USAGE;
    }
    if (rc < 0)
        rc = EXIT_OK; /* --help */
    engine_close(&c.eng);
    rules_free(c.rules);
    free(libdir);
    return rc;
}
