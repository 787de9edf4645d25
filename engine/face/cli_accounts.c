/*
 * cli_accounts.c — the account commands: add, list, show, update and
 * deactivate. Each parses its options, calls one use case of
 * usecase/accounts.h (writes inside one transaction) and prints after the
 * commit.
 */
#include <stdlib.h>
#include <string.h>

#include "face/cli.h"
#include "face/cli_payments.h"
#include "face/cli_cmds.h"
#include "usecase/accounts.h"

/* ================================================================ add */

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

/* ================================================================ list */

int cmd_account_list(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill account list [--format table|json|csv]\n"
        "Every account: id, name, e-mail, kind, mandate, reminders, active.\n";
    const char *format = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL}, {0}};
    enum out_format f;
    int rc = cli_parse("account list", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse("account list", format, &f)) ||
        (rc = cli_need_reader(c)))
        return rc;
    struct account_record *rows;
    size_t n;
    struct err e;
    if (account_list(&c->eng, &rows, &n, &e) != 0)
        return cli_fail("account list", &e);
    static const struct out_col cols[] = {
        {"id", 's'},      {"name", 's'},      {"email", 's'},
        {"kind", 's'},    {"mandate", 's'},   {"reminders", 's'},
        {"active", 'b'}};
    struct out_table *t = out_new(cols, 7);
    for (size_t i = 0; i < n; i++) {
        const struct account_record *a = &rows[i];
        const char *v[] = {a->id, a->name, a->email, a->kind, a->mandate_id,
                           a->reminders ? "on" : "off",
                           a->active ? "yes" : "no"};
        out_row(t, v);
    }
    out_print(t, f, stdout);
    out_free(t);
    account_records_free(rows, n);
    return EXIT_OK;
}

/* ================================================================ show */

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

int cmd_account_show(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill account show ID\n"
        "One account's fields and the history of its changes (what, old,\n"
        "new, when).\n";
    const char *pos[1];
    int rc = cli_parse("account show", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct account_record a;
    struct account_change *ch;
    size_t n;
    struct err e;
    if (account_show(&c->eng, pos[0], &a, &ch, &n, &e) != 0)
        return cli_fail("account show", &e);
    char d1[11], d2[11];
    printf("id:         %s\n", a.id);
    printf("name:       %s\n", a.name);
    printf("email:      %s\n", a.email);
    printf("kind:       %s\n", a.kind);
    printf("address:    %s\n", or_dash(a.address));
    printf("locale:     %s\n", or_dash(a.locale));
    printf("vat number: %s\n", or_dash(a.vat_number));
    printf("iban:       %s\n", or_dash(a.iban));
    printf("bic:        %s\n", or_dash(a.bic));
    if (a.mandate_id)
        printf("mandate:    %s signed %s, %s\n", a.mandate_id,
               date_fmt(a.mandate_date, d1),
               a.mandate_used ? "collected before (next RCUR)"
                              : "not collected yet (next FRST)");
    else
        printf("mandate:    -\n");
    printf("reminders:  %s\n", a.reminders ? "on" : "off");
    printf("peppol:     %s\n", or_dash(a.peppol));
    printf("active:     %s\n", a.active ? "yes" : "no");
    printf("created:    %s\n", date_fmt(a.created, d2));
    cli_print_account_balance(c, a.id);
    printf("changes:%s\n", n ? "" : "    none");
    for (size_t i = 0; i < n; i++)
        printf("  %s %s: %s -> %s\n", date_fmt(ch[i].on, d1), ch[i].field,
               or_dash(ch[i].old_value), or_dash(ch[i].new_value));
    account_changes_free(ch, n);
    account_record_free(&a);
    return EXIT_OK;
}

/* ================================================================ update */

struct update_args {
    const char *id;
    struct account_patch p;
    int changed;
};

static int do_account_update(struct cli *c, void *arg, struct err *e)
{
    struct update_args *a = arg;
    return account_update(&c->eng, a->id, &a->p, &a->changed, e);
}

int cmd_account_update(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill account update ID [--email E] [--name N]\n"
        "         [--address A] [--locale nl|fr|en]\n"
        "         [--iban I [--bic B]] [--mandate M --mandate-date D]\n"
        "         [--reminders on|off] [--peppol SCHEME:ID]\n"
        "         [--vat-number N]\n"
        "Change an account; checked as account add is. Every change is kept\n"
        "in the account's history (account show). A new mandate keeps the\n"
        "old one in the history and its first collection is a FRST again.\n";
    const char *email = NULL, *name = NULL, *address = NULL, *locale = NULL;
    const char *iban = NULL, *bic = NULL, *mandate = NULL, *mdate = NULL;
    const char *rem = NULL, *peppol = NULL, *vat = NULL, *pos[1];
    const struct opt opts[] = {
        {"--email", 1, &email, NULL},     {"--name", 1, &name, NULL},
        {"--address", 1, &address, NULL}, {"--locale", 1, &locale, NULL},
        {"--iban", 1, &iban, NULL},       {"--bic", 1, &bic, NULL},
        {"--mandate", 1, &mandate, NULL}, {"--mandate-date", 1, &mdate, NULL},
        {"--reminders", 1, &rem, NULL},   {"--peppol", 1, &peppol, NULL},
        {"--vat-number", 1, &vat, NULL},  {0}};
    int rc = cli_parse("account update", help, opts, argc, argv, pos, 1, 1);
    if (rc)
        return rc;
    struct update_args a = {pos[0],
                            {name, email, address, locale, iban, bic, mandate,
                             peppol, CDATE_NONE, -1, vat},
                            0};
    if (rem && strcmp(rem, "on") && strcmp(rem, "off")) {
        fprintf(stderr, "carebill account update: --reminders: expected on "
                        "or off, not '%s'\n", rem);
        return EXIT_USAGE;
    }
    if (rem)
        a.p.reminders = !strcmp(rem, "on");
    if (mdate && (rc = cli_date("account update", "--mandate-date", mdate,
                                &a.p.mandate_date)))
        return rc;
    if ((rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_account_update, &a, &e) != 0)
        return cli_fail("account update", &e);
    if (a.changed)
        printf("%s: %d change%s recorded\n", a.id, a.changed,
               a.changed == 1 ? "" : "s");
    else
        printf("%s: nothing to change\n", a.id);
    return EXIT_OK;
}

/* ================================================================ deactivate */

static int do_account_deactivate(struct cli *c, void *arg, struct err *e)
{
    return account_deactivate(&c->eng, arg, e);
}

int cmd_account_deactivate(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill account deactivate ID\n"
        "No new subscriptions or product invoices for the account. Open\n"
        "invoices stay collectable and reminders go on unless the account\n"
        "opted out (account update ID --reminders off).\n";
    const char *pos[1];
    int rc = cli_parse("account deactivate", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_account_deactivate, (void *)pos[0], &e) != 0)
        return cli_fail("account deactivate", &e);
    printf("%s: deactivated\n", pos[0]);
    return EXIT_OK;
}
