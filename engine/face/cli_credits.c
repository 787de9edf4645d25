/*
 * cli_credits.c — the commands of packages and credits: product invoices,
 * credit imports, appointments (book, cancel), the credits report and the
 * accountant's journal. Each validates its arguments (exit 2 naming the
 * option), runs in one transaction (exit 1 with nothing written when the
 * ledger refuses) and prints only after the commit.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "face/cli.h"
#include "usecase/appointments.h"
#include "decide/credit_plan.h"
#include "usecase/credits.h"
#include "usecase/products.h"
#include "usecase/reports.h"

/* ================================================================ invoice product */

struct product_args {
    const char *account;
    struct product_qty *lines;
    size_t n;
    char *number;
};

static int do_invoice_product(struct cli *c, void *arg, struct err *e)
{
    struct product_args *a = arg;
    return product_invoice(&c->eng, a->account, a->lines, a->n,
                           c->eng.today, &a->number, e);
}

/* Split "CODE[:QTY]" into l (the code points into a copy owned by *buf). */
static int parse_line(const char *cmd, const char *s, struct product_qty *l,
                      char **buf)
{
    *buf = xstrdup(s);
    char *colon = strrchr(*buf, ':');
    l->code = *buf;
    l->qty = 1;
    if (colon) {
        *colon = '\0';
        struct err e;
        if (int_parse(colon + 1, 1, 10000, &l->qty, &e) != 0) {
            fprintf(stderr, "carebill %s: --line '%s': the quantity must be a "
                            "whole number from 1 to 10000, not '%s'\n",
                    cmd, s, colon + 1);
            return EXIT_USAGE;
        }
    }
    if (!**buf) {
        fprintf(stderr, "carebill %s: --line '%s': a product code is missing "
                        "(expected CODE or CODE:QTY)\n", cmd, s);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_invoice_product(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill invoice product --account ID --line CODE[:QTY] ...\n"
        "Issue a product invoice to account ID with one line per --line\n"
        "(QTY a whole number, default 1) and queue its e-mail; prints its\n"
        "number. A product that carries a package grants its credits when\n"
        "the invoice is paid in full.\n";
    static const char cmd[] = "invoice product";
    const char *account = NULL, **lines = NULL;
    const struct opt opts[] = {{"--account", 1, &account, NULL},
                               {"--line", 1, NULL, &lines}, {0}};
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc == 0 && !account) {
        fprintf(stderr, "carebill %s: --account is required\n", cmd);
        rc = EXIT_USAGE;
    }
    if (rc == 0 && !lines) {
        fprintf(stderr, "carebill %s: give at least one --line CODE[:QTY]\n",
                cmd);
        rc = EXIT_USAGE;
    }
    struct product_args a = {.account = account};
    char **bufs = NULL;
    for (size_t i = 0; rc == 0 && lines && lines[i]; i++) {
        a.lines = xrealloc(a.lines, (a.n + 1) * sizeof *a.lines);
        bufs = xrealloc(bufs, (a.n + 1) * sizeof *bufs);
        rc = parse_line(cmd, lines[i], &a.lines[a.n], &bufs[a.n]);
        a.n++;
    }
    if (rc == 0)
        rc = cli_need_ledger(c);
    struct err e;
    if (rc == 0) {
        if (cli_tx(c, do_invoice_product, &a, &e) != 0)
            rc = cli_fail(cmd, &e);
        else
            printf("%s\n", a.number);
    }
    for (size_t i = 0; i < a.n; i++)
        free(bufs[i]);
    free(bufs);
    free(a.lines);
    free(lines);
    free(a.number);
    return rc;
}

/* ================================================================ credits import */

struct import_args {
    const char *account, *package;
    int64_t credits, rate;
};

static int do_import(struct cli *c, void *arg, struct err *e)
{
    struct import_args *a = arg;
    return credits_import(&c->eng, a->account, a->package, a->credits,
                          a->rate, c->eng.today, e);
}

int cmd_credits(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill credits import --account ID --package P --credits N\n"
        "         --rate AMOUNT\n"
        "Add N credits of package P to account ID without an invoice, booked\n"
        "at the internal rate AMOUNT per credit (the amount the journal\n"
        "uses for them).\n";
    static const char cmd[] = "credits import";
    /* Dispatched either after "credits" or after "credits import". */
    if (argc > 0 && !strcmp(argv[0], "import"))
        argc--, argv++;
    const char *account = NULL, *package = NULL, *credits = NULL, *rate = NULL;
    const struct opt opts[] = {{"--account", 1, &account, NULL},
                               {"--package", 1, &package, NULL},
                               {"--credits", 1, &credits, NULL},
                               {"--rate", 1, &rate, NULL}, {0}};
    struct import_args a = {0};
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!account || !package) {
        fprintf(stderr, "carebill %s: --account and --package are required\n",
                cmd);
        return EXIT_USAGE;
    }
    if ((rc = cli_int(cmd, "--credits", credits, 1, 1000000, &a.credits)) ||
        (rc = cli_money(cmd, "--rate", rate, &a.rate)))
        return rc;
    if (a.rate < 0) {
        fprintf(stderr, "carebill %s: --rate: the internal rate cannot be "
                        "negative ('%s')\n", cmd, rate);
        return EXIT_USAGE;
    }
    int64_t value;
    struct err ve;
    if (credit_plan_value(a.credits, a.rate, &value, &ve) != 0) {
        fprintf(stderr, "carebill %s: %s\n", cmd, ve.msg);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_ledger(c)))
        return rc;
    a.account = account;
    a.package = package;
    struct err e;
    if (cli_tx(c, do_import, &a, &e) != 0)
        return cli_fail(cmd, &e);
    return EXIT_OK;
}

/* ================================================================ appointments */

struct book_args {
    const char *account, *type, *id;
    cdate at;
    struct booking out;
};

static int do_book(struct cli *c, void *arg, struct err *e)
{
    struct book_args *a = arg;
    return appointment_book(&c->eng, a->account, a->type, a->at,
                            a->id, c->eng.today, &a->out, e);
}

static int appointment_book_cmd(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill appointment book --account ID --type T --at D\n"
        "         [--id ID]\n"
        "Book an appointment of type T on day D; prints its id (generated\n"
        "unless --id gives one). A type linked to a package consumes its\n"
        "credits, oldest grant first. Without enough credits the practice's\n"
        "short_credit setting refuses the booking (exit 1) or invoices the\n"
        "appointment at its own price; the invoice number is then printed\n"
        "on a second line: invoice NUMBER.\n";
    static const char cmd[] = "appointment book";
    const char *account = NULL, *type = NULL, *at = NULL, *id = NULL;
    const struct opt opts[] = {{"--account", 1, &account, NULL},
                               {"--type", 1, &type, NULL},
                               {"--at", 1, &at, NULL},
                               {"--id", 1, &id, NULL}, {0}};
    struct book_args a = {0};
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc)
        return rc;
    if (!account || !type) {
        fprintf(stderr, "carebill %s: --account and --type are required\n",
                cmd);
        return EXIT_USAGE;
    }
    if (id && !is_slug(id)) {
        fprintf(stderr, "carebill %s: --id: '%s' is not a valid id (lowercase "
                        "letters, digits, '-' and '_', at most 64)\n", cmd, id);
        return EXIT_USAGE;
    }
    if ((rc = cli_date(cmd, "--at", at, &a.at)) || (rc = cli_need_ledger(c)))
        return rc;
    a.account = account;
    a.type = type;
    a.id = id;
    struct err e;
    if (cli_tx(c, do_book, &a, &e) != 0)
        return cli_fail(cmd, &e);
    printf("%s\n", a.out.id);
    if (a.out.invoice)
        printf("invoice %s\n", a.out.invoice);
    booking_free(&a.out);
    return EXIT_OK;
}

struct cancel_args {
    const char *id;
    char *credit_note;
};

static int do_cancel(struct cli *c, void *arg, struct err *e)
{
    struct cancel_args *a = arg;
    return appointment_cancel(&c->eng, a->id, c->eng.today,
                              &a->credit_note, e);
}

static int appointment_cancel_cmd(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill appointment cancel ID\n"
        "Cancel appointment ID: its credits go back to the grants they came\n"
        "from and its journal entries are reversed. An appointment that was\n"
        "invoiced gets a credit note for what is left of its invoice; its\n"
        "number is printed: credit note NUMBER.\n";
    static const char cmd[] = "appointment cancel";
    const char *pos[1];
    int rc = cli_parse(cmd, help, NULL, argc, argv, pos, 1, 1);
    if (rc || (rc = cli_need_ledger(c)))
        return rc;
    struct cancel_args a = {pos[0], NULL};
    struct err e;
    if (cli_tx(c, do_cancel, &a, &e) != 0)
        return cli_fail(cmd, &e);
    if (a.credit_note)
        printf("credit note %s\n", a.credit_note);
    free(a.credit_note);
    return EXIT_OK;
}

int cmd_appointment(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill appointment book --account ID --type T --at D "
        "[--id ID]\n"
        "       carebill appointment cancel ID\n";
    if (argc > 0 && !strcmp(argv[0], "book"))
        return appointment_book_cmd(c, argc - 1, argv + 1);
    if (argc > 0 && !strcmp(argv[0], "cancel"))
        return appointment_cancel_cmd(c, argc - 1, argv + 1);
    if (argc > 0 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        fputs(help, stdout);
        return -1;
    }
    fprintf(stderr, "carebill appointment: expected 'book' or 'cancel'%s%s%s\n%s",
            argc > 0 ? ", not '" : "", argc > 0 ? argv[0] : "",
            argc > 0 ? "'" : "", help);
    return EXIT_USAGE;
}

/* ================================================================ report credits */

static const char *opt_int(int64_t v, int present, char buf[24])
{
    if (!present)
        return NULL;
    snprintf(buf, 24, "%lld", (long long)v);
    return buf;
}

/* Print a credits report: its table, or with --history its history
 * alone (JSON carries the history inside each row); an account's table
 * on a terminal is followed by its history. Frees both. */
static int print_credit_tables(struct out_table *t, struct out_table *ht,
                               enum out_format f, int account, int hist)
{
    if (hist && f != OUT_JSON)
        out_print(ht, f, stdout);
    else
        out_print(t, f, stdout);
    if (account && !hist && f == OUT_TABLE) {
        fputc('\n', stdout);
        out_print(ht, f, stdout);
    }
    out_free(t);
    out_free(ht);
    return EXIT_OK;
}

/* One history line as a table row and, for JSON, as an object of arr. */
static void history_row(struct out_table *ht, json_t *arr, const char *pkg_id,
                        const struct credit_history *h)
{
    char day[11], cr[24], gr[24], rate[24];
    date_fmt(h->date, day);
    const char *hv[] = {day, pkg_id, h->what, opt_int(h->credits, 1, cr),
                        opt_int(h->grant, h->grant != 0, gr),
                        opt_int(h->rate_cents, h->grant != 0, rate), h->note};
    out_row(ht, hv);
    if (!arr)
        return;
    json_t *o = json_object();
    json_object_set_new(o, "date", json_string(day));
    json_object_set_new(o, "what", json_string(h->what));
    json_object_set_new(o, "credits", json_integer(h->credits));
    json_object_set_new(o, "grant",
                        h->grant ? json_integer(h->grant) : json_null());
    json_object_set_new(o, "rate_cents",
                        h->grant ? json_integer(h->rate_cents) : json_null());
    json_object_set_new(o, "note", json_string(h->note));
    json_array_append_new(arr, o);
}

/* One movement of a range as a history row and, for JSON, as an object
 * of arr: credits granted (+), used or withdrawn (-), on the day they
 * count. */
static void move_row(struct out_table *ht, json_t *arr,
                     const struct credit_move *m)
{
    static const char *const kinds[] = {"granted", "used", "withdrawn"};
    struct credit_history h = {
        .date = m->on,
        .what = m->what,
        .credits = m->kind == CREDIT_GRANTED ? m->credits : -m->credits,
        .grant = m->grant,
        .rate_cents = m->rate_cents,
        .note = (char *)kinds[m->kind],
    };
    history_row(ht, arr, m->package, &h);
}

/* report credits --from/--to: per account and package the balance
 * before the range (with --from), what was granted, used and withdrawn
 * in it and the balance at its end; the history of the range with
 * --account. Prints as cmd_report_credits does. */
static int credits_range(struct cli *c, enum out_format f, const char *account,
                         int hist, cdate from, cdate to,
                         const struct out_col hcols[7])
{
    static const char cmd[] = "report credits";
    static const struct out_col cols[] = {
        {"account", 's'},  {"package", 's'},   {"opening", 'i'},
        {"granted", 'i'},  {"consumed", 'i'},  {"withdrawn", 'i'},
        {"balance", 'i'},  {"balance_cents", 'm'}, {"active", 'b'}};
    static const struct out_col ncols[] = {
        {"account", 's'},  {"package", 's'},   {"granted", 'i'},
        {"consumed", 'i'}, {"withdrawn", 'i'}, {"balance", 'i'},
        {"balance_cents", 'm'}, {"active", 'b'}};
    struct credit_range_row *rows;
    size_t n;
    struct err e;
    if (report_credit_range(&c->eng, account, from, to, &rows, &n, &e) != 0)
        return cli_fail(cmd, &e);
    /* the opening column only where the range has a start */
    int opening = from != CDATE_NONE;
    struct out_table *t = opening ? out_new(cols, 9) : out_new(ncols, 8);
    struct out_table *ht = out_new(hcols, 7);
    for (size_t i = 0; i < n; i++) {
        const struct credit_range_row *r = &rows[i];
        char o[24], g[24], u[24], w[24], b[24], bc[24];
        const char *active = !r->pkg ? "unknown"
                             : r->pkg->d.active ? "true" : "false";
        const char *v[9];
        size_t k = 0;
        v[k++] = r->account;
        v[k++] = r->package;
        if (opening)
            v[k++] = opt_int(r->opening, 1, o);
        v[k++] = opt_int(r->granted, 1, g);
        v[k++] = opt_int(r->consumed, 1, u);
        v[k++] = opt_int(r->withdrawn, 1, w);
        v[k++] = opt_int(r->balance, 1, b);
        v[k++] = opt_int(r->balance_cents, 1, bc);
        v[k++] = active;
        out_row(t, v);
        if (!account)
            continue;
        json_t *arr = f == OUT_JSON ? json_array() : NULL;
        for (size_t j = 0; j < r->n_moves; j++)
            move_row(ht, arr, &r->moves[j]);
        if (arr)
            out_attach(t, "history", arr);
    }
    credit_range_rows_free(rows, n);
    return print_credit_tables(t, ht, f, account != NULL, hist);
}

int cmd_report_credits(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report credits [--account ID [--history]] "
        "[--from D] [--to D]\n"
        "                               [--format table|json|csv]\n"
        "Credits per account and package: granted, consumed, withdrawn (by\n"
        "credit notes), balance and its value at the internal rates, and\n"
        "whether the package is still active. With --account also the\n"
        "history of that account's grants and uses: in a table as a second\n"
        "block after an empty line, in JSON as each row's 'history'. A CSV\n"
        "holds one table: the totals, or with --history the history only\n"
        "(--history alone prints only the history in a table too).\n"
        "--from/--to: granted, consumed and withdrawn in the range (credits\n"
        "count as used on the care date, as withdrawn on the credit note's\n"
        "date), the balance at its end and, with --from, the balance before\n"
        "it (opening); with --account, the history is the range's\n"
        "movements, each on the day it counts (note: granted, used,\n"
        "withdrawn).\n";
    static const char cmd[] = "report credits";
    static const struct out_col cols[] = {
        {"account", 's'},  {"package", 's'},   {"granted", 'i'},
        {"consumed", 'i'}, {"withdrawn", 'i'}, {"balance", 'i'},
        {"balance_cents", 'm'}, {"active", 'b'}};
    static const struct out_col hcols[] = {
        {"date", 'd'},    {"package", 's'}, {"what", 's'},
        {"credits", 'i'}, {"grant", 'i'},   {"rate_cents", 'm'},
        {"note", 's'}};
    const char *format = NULL, *account = NULL, *hist = NULL;
    const char *from_s = NULL, *to_s = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--account", 1, &account, NULL},
                               {"--history", 0, &hist, NULL},
                               {"--from", 1, &from_s, NULL},
                               {"--to", 1, &to_s, NULL}, {0}};
    enum out_format f;
    cdate from, to;
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse(cmd, format, &f)) ||
        (rc = cli_range(cmd, from_s, to_s, &from, &to)))
        return rc;
    if (hist && !account) {
        fprintf(stderr, "carebill %s: --history needs --account\n", cmd);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_reader(c)))
        return rc;
    if (from_s || to_s)
        return credits_range(c, f, account, hist != NULL, from, to, hcols);
    struct credit_report rep;
    struct err e;
    if (credits_report(&c->eng, account, &rep, &e) != 0)
        return cli_fail(cmd, &e);
    struct out_table *t = out_new(cols, 8);
    struct out_table *ht = out_new(hcols, 7);
    for (size_t i = 0; i < rep.n; i++) {
        const struct credit_report_row *row = &rep.rows[i];
        const struct package *pkg = row->pkg;
        char g[24], u[24], w[24], b[24], bc[24];
        const char *v[] = {row->t.account, row->t.package,
                           opt_int(row->t.granted, 1, g),
                           opt_int(row->t.consumed, 1, u),
                           opt_int(row->t.withdrawn, 1, w),
                           opt_int(row->t.balance, 1, b),
                           opt_int(row->t.balance_cents, 1, bc),
                           !pkg ? "unknown" : pkg->d.active ? "true" : "false"};
        out_row(t, v);
        if (!account)
            continue;
        json_t *arr = f == OUT_JSON ? json_array() : NULL;
        for (size_t j = 0; j < row->n_history; j++)
            history_row(ht, arr, row->t.package, &row->history[j]);
        if (arr)
            out_attach(t, "history", arr);
    }
    credit_report_free(&rep);
    return print_credit_tables(t, ht, f, account != NULL, hist != NULL);
}
