/*
 * cli_delivery.c — commands that talk to the outside: outbox delivery,
 * SEPA direct-debit export, bank statement import.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/outfile.h"
#include "face/cli.h"
#include "face/cli_cmds.h"
#include "usecase/collect.h"
#include "usecase/deliver.h"
#include "usecase/outbox.h"

int cmd_outbox_send(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill outbox send [--limit N]\n"
        "Deliver every queued message that is due over SMTP (practice.smtp;\n"
        "the password from the environment variable smtp.password_env).\n"
        "Refusals (5xx) fail the message with the server's reply; connection\n"
        "trouble and 4xx keep it queued for a retry with backoff.\n";
    const char *limit = NULL;
    const struct opt opts[] = {{"--limit", 1, &limit, NULL}, {0}};
    int64_t lim = 0;
    int rc = cli_parse("outbox send", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (limit && (rc = cli_int("outbox send", "--limit", limit, 1,
                                      100000000, &lim))) ||
        (rc = cli_need_ledger(c)))
        return rc;
    if (!c->rules->practice.smtp_host) {
        fprintf(stderr, "carebill outbox send: the practice has no smtp.host "
                        "in its settings\n");
        return EXIT_FAIL;
    }
    char now[17];
    struct deliver_summary s;
    struct err e;
    struct progress_line pl;
    progress_count_start(c, &pl, "outbox send", 0);
    int drc = deliver_outbox(&c->eng, deliver_now(c->rules, now), (size_t)lim,
                             progress_log(&pl), &s, &e);
    progress_end(c, &pl);
    if (drc != 0)
        return cli_fail("outbox send", &e);
    printf("outbox: %zu sent, %zu to retry, %zu failed", s.sent, s.retry,
           s.failed);
    if (s.interrupted)
        printf(", %zu interrupted earlier (marked failed)", s.interrupted);
    printf("\n");
    return s.retry || s.failed ? EXIT_FAIL : EXIT_OK;
}

/* Where message m's text comes from, as `outbox show` says it. */
static void print_text_origin(const struct outbox_entry *m, const char *from)
{
    if (from)
        printf("text: rendered now from rule set %.12s, the one its invoice "
               "was issued under: %s\n", from,
               m->status == OUTBOX_CANCELLED ? "it is not going to be sent"
                                             : "it will be sent as shown");
    else if (m->status == OUTBOX_SENT)
        printf("text: as sent\n");
    else if (m->status == OUTBOX_SCHEDULED)
        printf("text: none yet: a reminder is rendered when it comes due\n");
    else
        printf("text: as queued\n");
}

int cmd_outbox_show(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill outbox show ID\n"
        "One message with its text: as sent for a sent message; a message\n"
        "queued without its text (an issued invoice's e-mail) is rendered\n"
        "as it will be sent, by the rule set its invoice was issued under.\n";
    const char *pos[1];
    int64_t id;
    int rc = cli_parse("outbox show", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_int("outbox show", "ID", pos[0], 1, INT64_MAX / 2,
                            &id)) ||
        (rc = cli_need_reader(c)))
        return rc;
    struct outbox_entry m;
    char *from = NULL;
    struct err e;
    if (outbox_show(&c->eng, id, &m, &from, &e) != 0)
        return cli_fail("outbox show", &e);
    printf("message %lld: %s, send at %s", (long long)m.id,
           outbox_report_status(m.status), m.send_at);
    if (m.sent_at)
        printf(", sent %s", m.sent_at);
    printf("\nevent: %s, template %s", m.event, m.template_id);
    if (m.invoice)
        printf(", invoice %s", m.invoice);
    printf("\nto: %s <%s>\n", m.to_name ? m.to_name : "", m.to_addr);
    if (m.last_reply)
        printf("last reply: %s\n", m.last_reply);
    print_text_origin(&m, from);
    if (m.subject || m.body)
        printf("subject: %s\n\n%s", m.subject ? m.subject : "",
               m.body ? m.body : "");
    if (m.body && *m.body && m.body[strlen(m.body) - 1] != '\n')
        printf("\n");
    free(from);
    outbox_entry_free(&m);
    return EXIT_OK;
}

struct retry_args {
    int64_t id;
};

static int do_retry(struct cli *c, void *arg, struct err *e)
{
    if (outbox_make_deferred(&c->eng, e) != 0)
        return -1;
    return deliver_retry(c->eng.lg, ((struct retry_args *)arg)->id, e);
}

int cmd_outbox_retry(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill outbox retry ID\n"
        "Queue a failed message again.\n";
    const char *pos[1];
    struct retry_args a;
    int rc = cli_parse("outbox retry", help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_int("outbox retry", "ID", pos[0], 1, INT64_MAX / 2,
                            &a.id)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_retry, &a, &e) != 0)
        return cli_fail("outbox retry", &e);
    return EXIT_OK;
}

struct export_args {
    const char *out;
    char created[24];
    struct collect_summary s;
};

static int do_export(struct cli *c, void *arg, struct err *e)
{
    struct export_args *a = arg;
    return collect_export(&c->eng, c->eng.today, a->created, a->out, &a->s,
                          e);
}

int cmd_sepa_export(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill sepa export --out FILE\n"
        "Write every open direct-debit invoice not collected yet as one SEPA\n"
        "Core pain.008.001.02 batch: FRST for a mandate's first collection,\n"
        "RCUR after; collection date = invoice date + collection term (at\n"
        "the earliest tomorrow).\n";
    const char *out = NULL;
    const struct opt opts[] = {{"--out", 1, &out, NULL}, {0}};
    int rc = cli_parse("sepa export", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!out) {
        fprintf(stderr, "carebill sepa export: --out FILE is required\n");
        return EXIT_USAGE;
    }
    struct err e;
    if (out_file_check(out, c->db_path, &e) != 0)
        return cli_fail("sepa export", &e);
    if ((rc = cli_need_ledger(c)))
        return rc;
    if (!c->rules->practice.creditor_id || !c->rules->practice.iban) {
        fprintf(stderr, "carebill sepa export: the practice needs iban and "
                        "creditor_id in its settings\n");
        return EXIT_FAIL;
    }
    struct export_args a = {.out = out};
    char day[11];
    snprintf(a.created, sizeof a.created, "%sT00:00:00",
             date_fmt(c->eng.today, day));
    if (cli_tx(c, do_export, &a, &e) != 0) {
        remove(out);
        return cli_fail("sepa export", &e);
    }
    char tot[32];
    if (a.s.n == 0)
        printf("nothing to collect\n");
    else
        printf("batch %s: %zu collection%s, %s, written to %s\n", a.s.batch,
               a.s.n, a.s.n == 1 ? "" : "s", money_fmt(a.s.total_cents, tot),
               out);
    return EXIT_OK;
}

struct import_args {
    const char *path;
    int any_account;
    struct bank_summary s;
};

static int do_import(struct cli *c, void *arg, struct err *e)
{
    struct import_args *a = arg;
    return bank_import_from(&c->eng, a->path, c->eng.today, a->any_account,
                            stdout, &a->s, e);
}

/* Exit code of an import in which some entries need a person. */
#define EXIT_BANK_REVIEW 4

int cmd_bank_import(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill bank import FILE [--any-account]\n"
        "Import a camt.053 bank statement: payments are registered on the\n"
        "invoices they match (end-to-end id, payment reference with valid\n"
        "check digits, invoice number with its series in the text), the\n"
        "bank's returns of collections reopen invoices and their reminders,\n"
        "anything else is reported. Each transaction of a batch entry is its\n"
        "own payment. Importing again is safe. A statement for another\n"
        "account than the practice's IBAN is refused unless --any-account.\n"
        "Exit 0 when nothing needs a person, 4 when some entry does.\n";
    const char *pos[1];
    const char *any = NULL;
    const struct opt opts[] = {{"--any-account", 0, &any, NULL},
                               {NULL, 0, NULL, NULL}};
    int rc = cli_parse("bank import", help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_need_ledger(c)))
        return rc;
    struct import_args a = {.path = pos[0], .any_account = any != NULL};
    struct err e;
    struct progress_line pl;
    /* its entry lines on a terminal show how far it is already */
    progress_count_start(c, &pl, "bank import", isatty(STDOUT_FILENO));
    rc = cli_tx(c, do_import, &a, &e);
    progress_end(c, &pl);
    if (rc != 0)
        return cli_fail("bank import", &e);
    char p[32], r[32];
    printf("%zu entries: %zu paid, %zu partly paid, %zu overpaid (%s received), "
           "%zu reversed (%s), %zu unmatched, %zu not registered, "
           "%zu outgoing, %zu credit reversals, %zu skipped, "
           "%zu already imported; %zu need a person\n", a.s.entries,
           a.s.paid, a.s.partly_paid, a.s.overpaid,
           money_fmt(a.s.paid_cents, p), a.s.reversed,
           money_fmt(a.s.reversed_cents, r), a.s.unmatched,
           a.s.not_registered, a.s.outgoing, a.s.credit_reversals,
           a.s.skipped, a.s.duplicates, a.s.needs_person);
    return a.s.needs_person ? EXIT_BANK_REVIEW : EXIT_OK;
}
