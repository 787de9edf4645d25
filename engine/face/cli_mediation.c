/*
 * cli_mediation.c — the commands of a mediation agency: hours add,
 * remove, submit, approve and reject; report hours; account mediation
 * (a supplier's KvK, VAT status and self-billing agreement, a client's
 * privacy); payout export and report payouts. Each parses its options,
 * calls one use case of usecase/mediation.h or usecase/payouts.h (writes
 * inside one transaction) and prints after the commit.
 */
#include <stdlib.h>
#include <string.h>

#include "face/cli.h"
#include "face/cli_mediation.h"
#include "usecase/mediation.h"
#include "usecase/payouts.h"
#include "usecase/reports.h"

/* ================================================================ hours */

struct hours_args {
    const char *placement, *month, *hours, *kind, *note, *reason;
    cdate date;
    int64_t id;
    int action; /* enum hours_action */
};

static int do_hours(struct cli *c, void *arg, struct err *e)
{
    struct hours_args *a = arg;
    switch (a->action) {
    case HA_ADD:
        return mediation_hours_add(&c->eng, a->placement, a->date, a->hours,
                                   a->kind, a->note, &a->id, e);
    case HA_REMOVE:
        return mediation_hours_remove(&c->eng, a->id, e);
    case HA_SUBMIT:
        return mediation_hours_submit(&c->eng, a->placement, a->month, e);
    case HA_APPROVE:
        return mediation_hours_approve(&c->eng, a->placement, a->month, e);
    default:
        return mediation_hours_reject(&c->eng, a->placement, a->month,
                                      a->reason, e);
    }
}

int cmd_hours_add(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill hours add --placement P --date YYYY-MM-DD --hours H\n"
        "         [--kind weekday|evening|weekend|holiday] [--note TEXT]\n"
        "Register hours worked on a placement; prints the row's id. H is\n"
        "7.5, 7:30, 7h30 or 450m: whole quarters of an hour unless the\n"
        "mediation settings say hours_unit: minute. Without --kind, hours\n"
        "on a Saturday or Sunday are weekend hours when the placement has\n"
        "a weekend rate.\n";
    struct hours_args a = {0};
    a.action = HA_ADD;
    const char *date = NULL;
    const struct opt opts[] = {
        {"--placement", 1, &a.placement, NULL}, {"--date", 1, &date, NULL},
        {"--hours", 1, &a.hours, NULL},         {"--kind", 1, &a.kind, NULL},
        {"--note", 1, &a.note, NULL},           {0}};
    int rc = cli_parse("hours add", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!a.placement || !date || !a.hours) {
        fprintf(stderr, "carebill hours add: --placement, --date and --hours "
                        "are required\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_date("hours add", "--date", date, &a.date)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_hours, &a, &e) != 0)
        return cli_fail("hours add", &e);
    printf("%lld\n", (long long)a.id);
    return EXIT_OK;
}

int cmd_hours_remove(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill hours remove ID\n"
        "Remove a registered row while its month is a draft or rejected.\n";
    const char *pos[1];
    int rc = cli_parse("hours remove", help, NULL, argc, argv, pos, 1, 1);
    struct hours_args a = {0};
    a.action = HA_REMOVE;
    if (rc || (rc = cli_int("hours remove", "ID", pos[0], 1, INT64_MAX,
                            &a.id)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_hours, &a, &e) != 0)
        return cli_fail("hours remove", &e);
    return EXIT_OK;
}

/* submit, approve, reject: --placement P --month YYYY-MM. */
static int month_command(struct cli *c, const char *cmd, const char *help,
                         int action, int argc, char **argv)
{
    struct hours_args a = {0};
    a.action = action;
    const struct opt opts[] = {
        {"--placement", 1, &a.placement, NULL}, {"--month", 1, &a.month, NULL},
        {"--reason", 1, &a.reason, NULL}, {0}};
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!a.placement || !a.month || (action == HA_REJECT && !a.reason)) {
        fprintf(stderr, "carebill %s: --placement%s --month%s are "
                        "required\n", cmd,
                action == HA_REJECT ? "," : " and",
                action == HA_REJECT ? " and --reason" : "");
        return EXIT_USAGE;
    }
    int y, m;
    struct err me;
    if (month_parse(a.month, &y, &m, &me) != 0) {
        fprintf(stderr, "carebill %s: --month: %s\n", cmd, me.msg);
        return EXIT_USAGE;
    }
    if (action != HA_REJECT && a.reason) {
        fprintf(stderr, "carebill %s: --reason is for hours reject\n", cmd);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_hours, &a, &e) != 0)
        return cli_fail(cmd, &e);
    return EXIT_OK;
}

int cmd_hours_submit(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill hours submit --placement P --month YYYY-MM\n"
        "Submit a month's hours for approval; the client gets\n"
        "hours_to_approve.\n";
    return month_command(c, "hours submit", help, HA_SUBMIT, argc, argv);
}

int cmd_hours_approve(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill hours approve --placement P --month YYYY-MM\n"
        "The client approves a submitted month; approved hours never change\n"
        "and are invoiced by the daily run at the send time.\n";
    return month_command(c, "hours approve", help, HA_APPROVE, argc, argv);
}

int cmd_hours_reject(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill hours reject --placement P --month YYYY-MM "
        "--reason TEXT\n"
        "The client sends a submitted month back; the supplier gets\n"
        "hours_rejected with the reason, corrects and submits again.\n";
    return month_command(c, "hours reject", help, HA_REJECT, argc, argv);
}

/* report hours --rows: one line per registered row. */
static int report_rows(struct cli *c, const char *placement,
                       const char *month, cdate from, cdate to,
                       enum out_format f)
{
    struct hours_row *v;
    size_t n;
    struct err e;
    if (mediation_report_rows(&c->eng, placement, month, from, to, &v, &n,
                              &e) != 0)
        return cli_fail("report hours", &e);
    static const struct out_col cols[] = {
        {"id", 'i'},    {"placement", 's'}, {"date", 'd'}, {"kind", 's'},
        {"hours", 's'}, {"minutes", 'i'},   {"note", 's'}, {"status", 's'}};
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        char id[24], day[11], hrs[16], mins[16];
        snprintf(id, sizeof id, "%lld", (long long)v[i].id);
        snprintf(mins, sizeof mins, "%d", v[i].minutes);
        const char *vals[] = {id, v[i].placement, date_fmt(v[i].date, day),
                              rate_kind_name(v[i].kind),
                              hours_fmt(v[i].minutes, hrs), mins, v[i].note,
                              hours_status_name(v[i].status)};
        out_row(t, vals);
    }
    out_print(t, f, stdout);
    out_free(t);
    hours_rows_free(v, n);
    return EXIT_OK;
}

int cmd_report_hours(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report hours [--placement P] [--rows [--month M]]\n"
        "         [--from D] [--to D] [--format table|json|csv]\n"
        "Every placement's month: status, rows, hours, when it was\n"
        "submitted, approved or rejected, and why. --rows lists the\n"
        "registered rows instead (of month M): id (for hours remove), date,\n"
        "kind, hours, note, status. --from/--to: the months with a day in\n"
        "the range (with --rows: the rows dated in it).\n";
    const char *format = NULL, *placement = NULL, *rows_opt = NULL;
    const char *month = NULL, *from_s = NULL, *to_s = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--placement", 1, &placement, NULL},
                               {"--rows", 0, &rows_opt, NULL},
                               {"--month", 1, &month, NULL},
                               {"--from", 1, &from_s, NULL},
                               {"--to", 1, &to_s, NULL},
                               {0}};
    cdate from, to;
    enum out_format f;
    int rc = cli_parse("report hours", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse("report hours", format, &f)))
        return rc;
    if (month && !rows_opt) {
        fprintf(stderr, "carebill report hours: --month goes with --rows\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_range("report hours", from_s, to_s, &from, &to)))
        return rc;
    if ((rc = cli_need_reader(c)))
        return rc;
    if (rows_opt)
        return report_rows(c, placement, month, from, to, f);
    struct hours_month *v;
    size_t n;
    struct err e;
    if (mediation_report_hours(&c->eng, placement, from, to, &v, &n, &e) != 0)
        return cli_fail("report hours", &e);
    static const struct out_col cols[] = {
        {"placement", 's'}, {"month", 's'},    {"status", 's'},
        {"rows", 'i'},      {"hours", 's'},    {"minutes", 'i'},
        {"submitted", 'd'}, {"approved", 'd'}, {"rejected", 'd'},
        {"reason", 's'}};
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        char rows[16], hrs[16], mins[24], d1[11], d2[11], d3[11];
        snprintf(rows, sizeof rows, "%d", v[i].rows);
        snprintf(mins, sizeof mins, "%lld", (long long)v[i].minutes);
        const char *vals[] = {
            v[i].placement, v[i].month, hours_status_name(v[i].status), rows,
            hours_fmt((int)v[i].minutes, hrs), mins,
            v[i].submitted != CDATE_NONE ? date_fmt(v[i].submitted, d1) : "",
            v[i].approved != CDATE_NONE ? date_fmt(v[i].approved, d2) : "",
            v[i].rejected != CDATE_NONE ? date_fmt(v[i].rejected, d3) : "",
            v[i].status == HS_REJECTED ? v[i].reason : ""};
        out_row(t, vals);
    }
    out_print(t, f, stdout);
    out_free(t);
    hours_months_free(v, n);
    return EXIT_OK;
}

/* ================================================================ accounts */

static int do_account_mediation(struct cli *c, void *arg, struct err *e)
{
    return mediation_account_update(&c->eng, arg, e);
}

int cmd_account_mediation(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill account mediation --id ID [--kvk NUMBER]\n"
        "         [--vat-status exempt|kor|standard]\n"
        "         [--self-billing-agreement YYYY-MM-DD] [--privacy yes|no]\n"
        "What a mediation agency records of a supplier (KvK number, VAT\n"
        "status, the day the self-billing agreement was signed) or a client\n"
        "(privacy: an e-mail that the invoice is in the portal, never the\n"
        "invoice itself).\n";
    const char *id = NULL, *kvk = NULL, *vat = NULL, *agreement = NULL;
    const char *privacy = NULL;
    const struct opt opts[] = {
        {"--id", 1, &id, NULL},
        {"--kvk", 1, &kvk, NULL},
        {"--vat-status", 1, &vat, NULL},
        {"--self-billing-agreement", 1, &agreement, NULL},
        {"--privacy", 1, &privacy, NULL},
        {0}};
    int rc = cli_parse("account mediation", help, opts, argc, argv, NULL, 0,
                       0);
    if (rc)
        return rc;
    if (!id) {
        fprintf(stderr, "carebill account mediation: --id is required\n");
        return EXIT_USAGE;
    }
    struct mediation_patch p = {id, kvk, vat, CDATE_NONE, -1};
    if (agreement && (rc = cli_date("account mediation",
                                    "--self-billing-agreement", agreement,
                                    &p.selfbill_agreement)))
        return rc;
    if (privacy) {
        if (!strcmp(privacy, "yes") || !strcmp(privacy, "true"))
            p.privacy = 1;
        else if (!strcmp(privacy, "no") || !strcmp(privacy, "false"))
            p.privacy = 0;
        else {
            fprintf(stderr, "carebill account mediation: --privacy: expected "
                            "yes or no, not '%s'\n", privacy);
            return EXIT_USAGE;
        }
    }
    if ((rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_account_mediation, &p, &e) != 0)
        return cli_fail("account mediation", &e);
    return EXIT_OK;
}

/* ================================================================ payouts */

struct export_args {
    const char *out;
    size_t count;
    int64_t total;
    char batch[36];
};

static int do_payout_export(struct cli *c, void *arg, struct err *e)
{
    struct export_args *a = arg;
    return payouts_export(&c->eng, a->out, &a->count, &a->total, a->batch, e);
}

int cmd_payout_export(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill payout export --out FILE\n"
        "Write a SEPA credit-transfer batch (pain.001.001.03) paying every\n"
        "supplier what is due: the hours invoices collected (paid in full\n"
        "by the client, or self-billed) minus their commission, minus what\n"
        "earlier payouts transferred. Refused, with nothing written, when a\n"
        "supplier due money has no valid IBAN. The bank statement's debits\n"
        "(bank import) book the transfers.\n";
    struct export_args a = {0};
    const struct opt opts[] = {{"--out", 1, &a.out, NULL}, {0}};
    int rc = cli_parse("payout export", help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!a.out) {
        fprintf(stderr, "carebill payout export: --out is required\n");
        return EXIT_USAGE;
    }
    if ((rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_payout_export, &a, &e) != 0)
        return cli_fail("payout export", &e);
    char tot[32];
    printf("%s: %zu transfer%s, %s, batch %s\n", a.out, a.count,
           a.count == 1 ? "" : "s", money_fmt(a.total, tot), a.batch);
    return EXIT_OK;
}

/* report payouts --from/--to: each supplier's account with the agency
 * over the range. */
static int payouts_range(struct cli *c, enum out_format f, cdate from,
                         cdate to)
{
    static const struct out_col cols[] = {
        {"supplier", 's'},       {"opening_cents", 'm'},
        {"invoiced_cents", 'm'}, {"withheld_cents", 'm'},
        {"paid_cents", 'm'},     {"booked_cents", 'm'},
        {"owed_cents", 'm'}};
    static const struct out_col ncols[] = {
        {"supplier", 's'},       {"invoiced_cents", 'm'},
        {"withheld_cents", 'm'}, {"paid_cents", 'm'},
        {"booked_cents", 'm'},   {"owed_cents", 'm'}};
    struct payout_range_row *rows;
    size_t n;
    struct err e;
    if (report_payout_range(&c->eng, from, to, &rows, &n, &e) != 0)
        return cli_fail("report payouts", &e);
    /* the opening column only where the range has a start */
    int opening = from != CDATE_NONE;
    struct out_table *t = opening ? out_new(cols, 7) : out_new(ncols, 6);
    for (size_t i = 0; i < n; i++) {
        const struct payout_range_row *r = &rows[i];
        const int64_t cents[] = {r->opening_cents,  r->invoiced_cents,
                                 r->withheld_cents, r->paid_cents,
                                 r->booked_cents,   r->owed_cents};
        char buf[6][24];
        const char *v[7] = {r->supplier};
        size_t k = 1;
        for (size_t j = opening ? 0 : 1; j < 6; j++) {
            snprintf(buf[j], sizeof buf[j], "%lld", (long long)cents[j]);
            v[k++] = buf[j];
        }
        out_row(t, v);
    }
    payout_range_rows_free(rows, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

int cmd_report_payouts(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report payouts [--from D] [--to D] "
        "[--format table|json|csv]\n"
        "Per supplier: the hours invoices collected, the commission\n"
        "withheld, what payouts transferred (and of that, what the bank\n"
        "statement booked), and what is still due.\n"
        "--from/--to: each supplier's account over the range, as the\n"
        "journal books it: what it was owed before the range (with --from,\n"
        "opening), its hours invoices and their credit notes issued in it\n"
        "(invoiced), the commission withheld, the transfers exported (paid;\n"
        "of them, booked: shown on a bank statement in the range) and what\n"
        "it is owed at the end (owed: invoiced, collected or not, less\n"
        "withheld and paid).\n";
    const char *format = NULL, *from_s = NULL, *to_s = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--from", 1, &from_s, NULL},
                               {"--to", 1, &to_s, NULL}, {0}};
    enum out_format f;
    cdate from, to;
    int rc = cli_parse("report payouts", help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse("report payouts", format, &f)) ||
        (rc = cli_range("report payouts", from_s, to_s, &from, &to)) ||
        (rc = cli_need_reader(c)))
        return rc;
    if (from_s || to_s)
        return payouts_range(c, f, from, to);
    struct payout_report *v;
    size_t n;
    struct err e;
    if (payouts_report(&c->eng, &v, &n, &e) != 0)
        return cli_fail("report payouts", &e);
    static const struct out_col cols[] = {
        {"supplier", 's'},       {"collected_cents", 'm'},
        {"withheld_cents", 'm'}, {"paid_cents", 'm'},
        {"booked_cents", 'm'},   {"due_cents", 'm'}};
    struct out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        char a[24], b[24], p[24], bk[24], d[24];
        snprintf(a, sizeof a, "%lld", (long long)v[i].due.collected_cents);
        snprintf(b, sizeof b, "%lld", (long long)v[i].due.withheld_cents);
        snprintf(p, sizeof p, "%lld", (long long)v[i].due.paid_cents);
        snprintf(bk, sizeof bk, "%lld", (long long)v[i].booked_cents);
        snprintf(d, sizeof d, "%lld", (long long)v[i].due.due_cents);
        const char *vals[] = {v[i].due.supplier, a, b, p, bk, d};
        out_row(t, vals);
    }
    out_print(t, f, stdout);
    out_free(t);
    free(v);
    return EXIT_OK;
}
