/*
 * cli_payments.c — the commands of money after the invoice and of the
 * accountant: `payment list`, `payment undo`, `payment refund`, `report
 * balances`, `report journal`, `report vat`, and the credit-balance line
 * of `account show`. Each validates its arguments,
 * runs in one transaction (the writers) through usecase/payment.h or
 * reads through usecase/reports.h, and prints only after the commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "face/cli.h"
#include "face/cli_payments.h"
#include "usecase/journal.h"
#include "usecase/payment.h"
#include "usecase/reports.h"

/* The options of the listings: --format, --account, --from, --to. */
static int list_args(const char *cmd, const char *help, int argc, char **argv,
                     enum out_format *f, const char **account, cdate *from,
                     cdate *to)
{
    const char *format = NULL, *a = NULL, *b = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--account", 1, account, NULL},
                               {"--from", 1, &a, NULL},
                               {"--to", 1, &b, NULL}, {0}};
    *from = *to = CDATE_NONE;
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = cli_range(cmd, a, b, from, to)))
        return rc;
    return out_format_parse(cmd, format, f);
}

/* ================================================================ list */

int cmd_payment_list(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill payment list [--account ID] [--from D] [--to D]\n"
        "                             [--format table|json|csv]\n"
        "Every payments row, by id: money received (manual, bank,\n"
        "direct_debit), a credit balance applied (balance), credit notes\n"
        "applied (credit_note), bank reversals (reversal), refunds paid out\n"
        "(refund) and undos (undo, naming the row it undoes). to_balance is\n"
        "what a payment put on the account's credit balance beyond the\n"
        "invoice's open amount. --from/--to select by payment date.\n";
    static const char cmd[] = "payment list";
    static const struct out_col cols[] = {
        {"id", 'i'},           {"date", 'd'},         {"invoice", 's'},
        {"account", 's'},      {"method", 's'},       {"amount_cents", 'm'},
        {"to_balance_cents", 'm'}, {"undoes", 'i'},  {"undone_by", 'i'},
        {"bank_ref", 's'}};
    enum out_format f;
    const char *account = NULL;
    cdate from, to;
    int rc = list_args(cmd, help, argc, argv, &f, &account, &from, &to);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct payment_info *p;
    size_t n;
    struct err e;
    if (payment_list(&c->eng, account, from, to, &p, &n, &e) != 0)
        return cli_fail(cmd, &e);
    struct out_table *t = out_new(cols, 10);
    for (size_t i = 0; i < n; i++) {
        char id[24], day[11], amt[24], bal[24], und[24], by[24];
        snprintf(id, sizeof id, "%lld", (long long)p[i].id);
        snprintf(amt, sizeof amt, "%lld", (long long)p[i].amount_cents);
        snprintf(bal, sizeof bal, "%lld", (long long)p[i].to_balance_cents);
        snprintf(und, sizeof und, "%lld", (long long)p[i].undoes);
        snprintf(by, sizeof by, "%lld", (long long)p[i].undone_by);
        const char *v[] = {id, date_fmt(p[i].on, day), p[i].number,
                           p[i].account, p[i].method, amt, bal,
                           p[i].undoes ? und : NULL,
                           p[i].undone_by ? by : NULL, p[i].bank_ref};
        out_row(t, v);
    }
    payment_infos_free(p, n);
    out_print(t, f, stdout);
    out_free(t);
    return EXIT_OK;
}

/* ================================================================ undo */

struct undo_args {
    int64_t id, undo;
    cdate on;
};

static int do_undo(struct cli *c, void *arg, struct err *e)
{
    struct undo_args *a = arg;
    return payment_undo(&c->eng, a->id, a->on, &a->undo, e);
}

int cmd_payment_undo(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill payment undo ID [--on D]\n"
        "Undo payments row ID (see payment list), dated D (default today):\n"
        "a new row (method undo) takes its amount back, and what it put on\n"
        "the credit balance; nothing is deleted. The invoice is open (or\n"
        "partly paid) again and its reminders start again. Money received,\n"
        "a balance applied and a refund can be undone, once; credit-note\n"
        "applications, bank reversals and undos cannot. Prints the undo's\n"
        "id.\n";
    static const char cmd[] = "payment undo";
    const char *on = NULL, *pos[1];
    const struct opt opts[] = {{"--on", 1, &on, NULL}, {0}};
    struct undo_args a = {0, 0, CDATE_NONE};
    int rc = cli_parse(cmd, help, opts, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_int(cmd, "ID", pos[0], 1, INT64_MAX / 2, &a.id)) ||
        (on && (rc = cli_date(cmd, "--on", on, &a.on))) ||
        (rc = cli_need_ledger(c)))
        return rc;
    struct err e;
    if (cli_tx(c, do_undo, &a, &e) != 0)
        return cli_fail(cmd, &e);
    printf("%lld\n", (long long)a.undo);
    return EXIT_OK;
}

/* ================================================================ refund */

struct refund_args {
    const char *number, *account;
    int64_t amount;
    cdate on;
};

static int do_refund(struct cli *c, void *arg, struct err *e)
{
    struct refund_args *a = arg;
    if (a->account)
        return payment_refund_balance(&c->eng, a->account, a->amount, a->on,
                                      e);
    return payment_refund(&c->eng, a->number, a->amount, a->on, e);
}

int cmd_payment_refund(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill payment refund NUMBER --amount AMOUNT --on D\n"
        "       carebill payment refund --account ID --amount AMOUNT --on D\n"
        "Record money paid back: on credit note NUMBER (settles what it\n"
        "owes), or out of account ID's credit balance. More than is owed\n"
        "or on the balance is refused.\n";
    static const char cmd[] = "payment refund";
    const char *amount = NULL, *on = NULL, *account = NULL, *pos[1] = {NULL};
    const struct opt opts[] = {{"--amount", 1, &amount, NULL},
                               {"--on", 1, &on, NULL},
                               {"--account", 1, &account, NULL}, {0}};
    struct refund_args a = {0};
    int rc = cli_parse(cmd, help, opts, argc, argv, pos, 1, 0);
    if (rc)
        return rc;
    if (!pos[0] == !account) {
        fprintf(stderr, "carebill %s: give a credit note's NUMBER or "
                        "--account ID (not both)\n", cmd);
        return EXIT_USAGE;
    }
    if ((rc = cli_money(cmd, "--amount", amount, &a.amount)) ||
        (rc = cli_date(cmd, "--on", on, &a.on)) ||
        (rc = cli_need_ledger(c)))
        return rc;
    a.number = pos[0];
    a.account = account;
    struct err e;
    if (cli_tx(c, do_refund, &a, &e) != 0)
        return cli_fail(cmd, &e);
    return EXIT_OK;
}

/* ================================================================ balances */

int cmd_report_balances(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report balances [--account ID] [--from D] [--to D]\n"
        "                                [--format table|json|csv]\n"
        "Every account's credit balance (money of the account that belongs\n"
        "to no invoice: overpayments, balances not applied yet): what came\n"
        "in and went out in --from..--to and the balance at the end of it\n"
        "(with --from, the balance before it first: opening). Accounts that\n"
        "never had a balance are left out. With --account, each movement\n"
        "of the range follows (date, kind, amount, invoice).\n";
    static const char cmd[] = "report balances";
    static const struct out_col cols[] = {{"account", 's'}, {"in_cents", 'm'},
                                          {"out_cents", 'm'},
                                          {"balance_cents", 'm'}};
    static const struct out_col ocols[] = {{"account", 's'},
                                           {"opening_cents", 'm'},
                                           {"in_cents", 'm'},
                                           {"out_cents", 'm'},
                                           {"balance_cents", 'm'}};
    static const struct out_col mcols[] = {{"date", 'd'}, {"kind", 's'},
                                           {"amount_cents", 'm'},
                                           {"invoice", 's'}};
    enum out_format f;
    const char *account = NULL;
    cdate from, to;
    int rc = list_args(cmd, help, argc, argv, &f, &account, &from, &to);
    if (rc || (rc = cli_need_reader(c)))
        return rc;
    struct balance_report r;
    struct err e;
    if (report_balances(&c->eng, account, from, to, &r, &e) != 0)
        return cli_fail(cmd, &e);
    /* the opening column only where the range has a start: before an
     * open start every balance is 0 */
    int opening = from != CDATE_NONE;
    struct out_table *t = opening ? out_new(ocols, 5) : out_new(cols, 4);
    for (size_t i = 0; i < r.n; i++) {
        char op[24], in[24], out[24], bal[24];
        snprintf(op, sizeof op, "%lld", (long long)r.rows[i].opening_cents);
        snprintf(in, sizeof in, "%lld", (long long)r.rows[i].in_cents);
        snprintf(out, sizeof out, "%lld", (long long)r.rows[i].out_cents);
        snprintf(bal, sizeof bal, "%lld", (long long)r.rows[i].balance_cents);
        const char *v5[] = {r.rows[i].account, op, in, out, bal};
        const char *v4[] = {r.rows[i].account, in, out, bal};
        out_row(t, opening ? v5 : v4);
    }
    struct out_table *mt = NULL;
    if (account) {
        mt = out_new(mcols, 4);
        for (size_t i = 0; i < r.n_moves; i++) {
            char day[11], amt[24];
            snprintf(amt, sizeof amt, "%lld",
                     (long long)r.moves[i].amount_cents);
            const char *v[] = {date_fmt(r.moves[i].on, day), r.moves[i].kind,
                               amt, r.moves[i].invoice};
            out_row(mt, v);
        }
    }
    /* one table per output, except the table format that shows both */
    if (mt && f != OUT_TABLE)
        out_print(mt, f, stdout);
    else
        out_print(t, f, stdout);
    if (mt && f == OUT_TABLE) {
        fputc('\n', stdout);
        out_print(mt, f, stdout);
    }
    out_free(t);
    if (mt)
        out_free(mt);
    balance_report_free(&r);
    return EXIT_OK;
}

void cli_print_account_balance(struct cli *c, const char *account)
{
    int64_t cents = 0;
    struct err e;
    char a[32];
    if (report_account_balance(&c->eng, account, &cents, &e) == 0 && cents)
        printf("balance:    %s in credit (report balances --account %s)\n",
               money_fmt(cents, a), account);
}

/* ================================================================ journal */

int cmd_report_ledger_journal(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report journal [--from D] [--to D] "
        "[--format table|json|csv]\n"
        "Every booking the ledger implies in --from..--to, by date: invoices\n"
        "(debtors against sales per VAT rate and VAT payable), credit notes\n"
        "(the other way round), money received, bank reversals, refunds,\n"
        "credit balances (overpayments, applied, refunded), payouts to\n"
        "suppliers (what is owed to them against bank, on the export day)\n"
        "and package credits (sold: from sales to the package's balance\n"
        "item; used, on the care date: to its ledger account; withdrawn),\n"
        "each line with its account code, debit, credit, description (in\n"
        "the practice's language) and source. Codes: the practice's\n"
        "accounts: settings (debtors, bank, vat, revenue, balances;\n"
        "suppliers, purchases and vat_input for invoices issued in a\n"
        "supplier's name, mediation).\n"
        "Debits equal credits for any range. The table ends with the totals\n"
        "and their reconciliation with report invoices over the same range.\n"
        "CSV columns: date, account_code, debit, credit, description,\n"
        "source (amounts with a dot); JSON amounts are cents (debit_cents,\n"
        "credit_cents).\n";
    static const char cmd[] = "report journal";
    static const struct out_col cols[] = {
        {"date", 'd'},         {"account_code", 's'}, {"debit_cents", 'm'},
        {"credit_cents", 'm'}, {"description", 's'},  {"source", 's'}};
    enum out_format f;
    const char *account = NULL;
    cdate from, to;
    int rc = list_args(cmd, help, argc, argv, &f, &account, &from, &to);
    if (rc)
        return rc;
    if (account) {
        fprintf(stderr, "carebill %s: the journal is the practice's, not an "
                        "account's; leave out --account\n", cmd);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_reader(c)))
        return rc;
    struct ledger_journal j;
    struct err e;
    if (journal_build(&c->eng, from, to, &j, &e) != 0)
        return cli_fail(cmd, &e);
    struct out_table *t = out_new(cols, 6);
    for (size_t i = 0; i < j.lines.n; i++) {
        const struct jline *l = &j.lines.v[i];
        char day[11], d[24], k[24];
        snprintf(d, sizeof d, "%lld", (long long)l->debit_cents);
        snprintf(k, sizeof k, "%lld", (long long)l->credit_cents);
        const char *v[] = {date_fmt(l->on, day), l->code, d, k,
                           l->description, l->source};
        out_row(t, v);
    }
    out_print(t, f, stdout);
    out_free(t);
    if (f == OUT_TABLE) {
        char a[32], b[32], x[32], y[32], z[32], w[32];
        printf("total debit %s, credit %s: %s\n", money_fmt(j.debit_cents, a),
               money_fmt(j.credit_cents, b),
               j.debit_cents == j.credit_cents ? "balanced" : "NOT BALANCED");
        int ok = j.invoiced_cents == j.debtors_cents &&
                 j.invoiced_vat_cents == j.vat_cents;
        printf("invoices and credit notes: %zu, total %s, VAT %s; booked on "
               "debtors (%s) %s, on VAT payable (%s) %s: %s\n", j.n_invoices,
               money_fmt(j.invoiced_cents, x), money_fmt(j.invoiced_vat_cents, y),
               j.codes.debtors, money_fmt(j.debtors_cents, z), j.codes.vat,
               money_fmt(j.vat_cents, w), ok ? "reconciled" : "DIFFERENT");
    }
    ledger_journal_free(&j);
    return EXIT_OK;
}

/* ================================================================ vat */

/* --quarter YYYYQn into the quarter's first and last day. */
static int parse_quarter(const char *cmd, const char *s, cdate *from,
                         cdate *to)
{
    int y = 0, q = 0;
    char tail;
    if (sscanf(s, "%4dQ%1d%c", &y, &q, &tail) != 2 || y < 1900 ||
        y > 9999 || q < 1 || q > 4 || strlen(s) != 6) {
        fprintf(stderr, "carebill %s: --quarter: '%s' is not a quarter such "
                        "as 2026Q4\n", cmd, s);
        return EXIT_USAGE;
    }
    *from = date_from_ymd(y, 3 * q - 2, 1);
    *to = (q == 4 ? date_from_ymd(y + 1, 1, 1)
                  : date_from_ymd(y, 3 * q + 1, 1)) - 1;
    return 0;
}

int cmd_report_vat(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report vat [--quarter YYYYQn | --from D --to D]\n"
        "                           [--format table|json|csv]\n"
        "What a VAT return needs from the practice's own invoices and credit\n"
        "notes issued in the quarter (or range; not those issued in a\n"
        "supplier's name): per VAT rate the net turnover and its VAT\n"
        "(credit notes count negative), and in the table the totals:\n"
        "turnover, of which exempt (healthcare) and taxed, and the VAT due.\n";
    static const char cmd[] = "report vat";
    static const struct out_col cols[] = {
        {"vat_rate", 's'},   {"percent", 's'},   {"exempt", 'b'},
        {"turnover_cents", 'm'}, {"vat_cents", 'm'}};
    const char *format = NULL, *quarter = NULL, *a = NULL, *b = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--quarter", 1, &quarter, NULL},
                               {"--from", 1, &a, NULL},
                               {"--to", 1, &b, NULL}, {0}};
    enum out_format f;
    cdate from = CDATE_NONE, to = CDATE_NONE;
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse(cmd, format, &f)))
        return rc;
    if (quarter && (a || b)) {
        fprintf(stderr, "carebill %s: give --quarter or --from/--to, not "
                        "both\n", cmd);
        return EXIT_USAGE;
    }
    if ((quarter && (rc = parse_quarter(cmd, quarter, &from, &to))) ||
        (!quarter && (rc = cli_range(cmd, a, b, &from, &to))))
        return rc;
    if ((rc = cli_need_reader(c)))
        return rc;
    struct vat_report r;
    struct err e;
    if (journal_vat_report(&c->eng, from, to, &r, &e) != 0)
        return cli_fail(cmd, &e);
    struct out_table *t = out_new(cols, 5);
    for (size_t i = 0; i < r.n; i++) {
        char pct[32], base[24], vat[24];
        decimal_fmt(r.rates[i].bp, 2, pct);
        snprintf(base, sizeof base, "%lld", (long long)r.rates[i].base_cents);
        snprintf(vat, sizeof vat, "%lld", (long long)r.rates[i].vat_cents);
        const char *v[] = {r.rates[i].vat_id, pct,
                           r.rates[i].exempt ? "true" : "false", base, vat};
        out_row(t, v);
    }
    out_print(t, f, stdout);
    out_free(t);
    if (f == OUT_TABLE) {
        char w[32], x[32], y[32], z[32], d1[11], d2[11];
        if (from != CDATE_NONE || to != CDATE_NONE)
            printf("%s..%s: ", from != CDATE_NONE ? date_fmt(from, d1) : "",
                   to != CDATE_NONE ? date_fmt(to, d2) : "");
        printf("%zu invoices and credit notes; turnover %s, of which exempt "
               "%s and taxed %s; VAT due %s\n", r.n_invoices,
               money_fmt(r.base_cents, w), money_fmt(r.exempt_cents, x),
               money_fmt(r.taxed_cents, y), money_fmt(r.vat_cents, z));
    }
    vat_report_free(&r);
    return EXIT_OK;
}
