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
#include "usecase/credits.h"

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

/* One line of an account's history in one package. */
struct hist {
    char date[11];
    char *what, *note;
    int64_t credits, grant, rate;
    int order;        /* grants before appointments on the same day */
    int64_t seq, sub; /* grant id, or appointment rowid and use id */
};

static int hist_cmp(const void *pa, const void *pb)
{
    const struct hist *a = pa, *b = pb;
    int d = strcmp(a->date, b->date);
    if (d)
        return d;
    if (a->order != b->order)
        return a->order - b->order;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return a->sub < b->sub ? -1 : a->sub > b->sub;
}

static void hist_add(struct hist **h, size_t *n, const char *date, char *what,
                     char *note, int64_t credits, int64_t grant, int64_t rate,
                     int order, int64_t seq, int64_t sub)
{
    *h = xrealloc(*h, (*n + 1) * sizeof **h);
    struct hist *x = &(*h)[(*n)++];
    snprintf(x->date, sizeof x->date, "%s", date ? date : "");
    x->what = what;
    x->note = note;
    x->credits = credits;
    x->grant = grant;
    x->rate = rate;
    x->order = order;
    x->seq = seq;
    x->sub = sub;
}

/* The grants, uses and invoiced appointments of one account in one
 * package, by date. */
static struct hist *history(struct cli *c, const char *account,
                            const char *package, size_t *n)
{
    static const char *const grants_sql =
        "SELECT g.id, g.granted_on, g.credits, g.rate_cents, g.withdrawn, "
        "(SELECT COALESCE(SUM(u.credits), 0) FROM credit_uses u WHERE "
        "u.grant_id = g.id AND u.returned = 0), i.number, i.total_cents, "
        "(SELECT COALESCE(SUM(-x.total_cents), 0) FROM invoices x WHERE "
        "x.credit_of = i.id) FROM credit_grants g LEFT JOIN invoice_lines l "
        "ON l.id = g.invoice_line LEFT JOIN invoices i ON i.id = l.invoice "
        "WHERE g.account = ?1 AND g.package = ?2 ORDER BY g.id";
    static const char *const uses_sql =
        "SELECT u.id, a.created, a.id, a.type, a.at, u.credits, u.grant_id, "
        "g.rate_cents, u.returned, a.rowid FROM credit_uses u JOIN credit_grants g ON "
        "g.id = u.grant_id JOIN appointments a ON a.id = u.appointment "
        "WHERE g.account = ?1 AND g.package = ?2 ORDER BY u.id";
    static const char *const invoiced_sql =
        "SELECT a.rowid, a.created, a.id, a.type, a.at, i.number, a.status "
        "FROM appointments a JOIN invoices i ON i.id = a.invoice WHERE "
        "a.account = ?1 ORDER BY a.rowid";
    struct hist *h = NULL;
    *n = 0;
    struct ledger_stmt *st = ledger_stmt(c->eng.lg, grants_sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    while (ledger_step(st) == LEDGER_ROW) {
        int64_t id = col_int(st, 0), credits = col_int(st, 2);
        int64_t withdrawn = col_int(st, 4), used = col_int(st, 5);
        const char *number = col_ctext(st, 6);
        int64_t total = col_int(st, 7), credited = col_int(st, 8);
        struct sbuf note = {0};
        sb_printf(&note, "consumed %lld, withdrawn %lld, left %lld",
                  (long long)used, (long long)withdrawn,
                  (long long)(credits - withdrawn - used));
        /* Credits a credit note paid back that were spent already. */
        if (number && total > 0 && credited > 0) {
            int64_t target = (int64_t)((__int128)credits *
                                       (credited < total ? credited : total) /
                                       total);
            if (target > withdrawn)
                sb_printf(&note, "; %lld credited but already consumed",
                          (long long)(target - withdrawn));
        }
        hist_add(&h, n, col_ctext(st, 1),
                 number ? xasprintf("invoice %s", number) : xstrdup("import"),
                 sb_steal(&note), credits, id, col_int(st, 3), 0, id, 0);
    }
    ledger_reset(st);

    st = ledger_stmt(c->eng.lg, uses_sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    while (ledger_step(st) == LEDGER_ROW) {
        char *note = xasprintf("%s on %s%s", col_ctext(st, 3), col_ctext(st, 4),
                               col_int(st, 8) ? ", cancelled: returned" : "");
        hist_add(&h, n, col_ctext(st, 1),
                 xasprintf("appointment %s", col_ctext(st, 2)), note,
                 -col_int(st, 5), col_int(st, 6), col_int(st, 7), 1,
                 col_int(st, 9), col_int(st, 0));
    }
    ledger_reset(st);

    /* Appointments of a type using this package that credits did not pay
     * for: the short-credit invoices. */
    st = ledger_stmt(c->eng.lg, invoiced_sql);
    bind_text(st, 1, account);
    while (ledger_step(st) == LEDGER_ROW) {
        const struct appointment_type *t =
            rules_appointment_type(c->rules, col_ctext(st, 3));
        if (!t || !t->package || strcmp(t->package->d.id, package))
            continue;
        char *note = xasprintf("%s on %s, not enough credits: invoice %s%s",
                               col_ctext(st, 3), col_ctext(st, 4),
                               col_ctext(st, 5),
                               strcmp(col_ctext(st, 6), "cancelled")
                                   ? "" : ", cancelled");
        hist_add(&h, n, col_ctext(st, 1),
                 xasprintf("appointment %s", col_ctext(st, 2)), note, 0, 0, 0,
                 1, col_int(st, 0), 0);
    }
    ledger_reset(st);
    qsort(h, *n, sizeof *h, hist_cmp);
    return h;
}

static void hist_free(struct hist *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].what);
        free(h[i].note);
    }
    free(h);
}

int cmd_report_credits(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report credits [--account ID] "
        "[--format table|json|csv]\n"
        "Credits per account and package: granted, consumed, withdrawn (by\n"
        "credit notes), balance and its value at the internal rates, and\n"
        "whether the package is still active. With --account also the\n"
        "history of that account's grants and uses: in a table or CSV as a\n"
        "second block after an empty line, in JSON as each row's 'history'.\n";
    static const char cmd[] = "report credits";
    static const char *const sql =
        "SELECT g.account, g.package, SUM(g.credits), SUM(COALESCE(u.used, "
        "0)), SUM(g.withdrawn), SUM(g.credits - g.withdrawn - COALESCE("
        "u.used, 0)), SUM((g.credits - g.withdrawn - COALESCE(u.used, 0)) * "
        "g.rate_cents) FROM credit_grants g LEFT JOIN (SELECT grant_id, "
        "SUM(credits) AS used FROM credit_uses WHERE returned = 0 GROUP BY "
        "grant_id) u ON u.grant_id = g.id WHERE ?1 IS NULL OR g.account = "
        "?1 GROUP BY g.account, g.package ORDER BY g.account, g.package";
    static const struct out_col cols[] = {
        {"account", 's'},  {"package", 's'},   {"granted", 'i'},
        {"consumed", 'i'}, {"withdrawn", 'i'}, {"balance", 'i'},
        {"balance_cents", 'm'}, {"active", 's'}};
    static const struct out_col hcols[] = {
        {"date", 'd'},    {"package", 's'}, {"what", 's'},
        {"credits", 'i'}, {"grant", 'i'},   {"rate_cents", 'm'},
        {"note", 's'}};
    const char *format = NULL, *account = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL},
                               {"--account", 1, &account, NULL}, {0}};
    enum out_format f;
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse(cmd, format, &f)) ||
        (rc = cli_need_reader(c)))
        return rc;
    struct out_table *t = out_new(cols, 8);
    struct out_table *ht = out_new(hcols, 7);
    struct ledger_stmt *st = ledger_stmt(c->eng.lg, sql);
    bind_text(st, 1, account);
    while (ledger_step(st) == LEDGER_ROW) {
        const char *pkg_id = col_ctext(st, 1);
        const struct package *pkg = rules_package(c->rules, pkg_id);
        const char *v[] = {col_ctext(st, 0), pkg_id,           col_ctext(st, 2),
                           col_ctext(st, 3), col_ctext(st, 4), col_ctext(st, 5),
                           col_ctext(st, 6),
                           !pkg ? "unknown" : pkg->d.active ? "true" : "false"};
        out_row(t, v);
        if (!account)
            continue;
        size_t n;
        struct hist *h = history(c, account, pkg_id, &n);
        json_t *arr = f == OUT_JSON ? json_array() : NULL;
        for (size_t i = 0; i < n; i++) {
            char cr[24], gr[24], rate[24];
            snprintf(cr, sizeof cr, "%lld", (long long)h[i].credits);
            snprintf(gr, sizeof gr, "%lld", (long long)h[i].grant);
            snprintf(rate, sizeof rate, "%lld", (long long)h[i].rate);
            const char *hv[] = {h[i].date, pkg_id, h[i].what, cr,
                                h[i].grant ? gr : NULL,
                                h[i].grant ? rate : NULL, h[i].note};
            out_row(ht, hv);
            if (arr) {
                json_t *o = json_object();
                json_object_set_new(o, "date", json_string(h[i].date));
                json_object_set_new(o, "what", json_string(h[i].what));
                json_object_set_new(o, "credits", json_integer(h[i].credits));
                json_object_set_new(o, "grant", h[i].grant
                                                    ? json_integer(h[i].grant)
                                                    : json_null());
                json_object_set_new(o, "rate_cents",
                                    h[i].grant ? json_integer(h[i].rate)
                                               : json_null());
                json_object_set_new(o, "note", json_string(h[i].note));
                json_array_append_new(arr, o);
            }
        }
        if (arr)
            out_attach(t, "history", arr);
        hist_free(h, n);
    }
    ledger_reset(st);
    out_print(t, f, stdout);
    if (account && f != OUT_JSON) {
        fputc('\n', stdout);
        out_print(ht, f, stdout);
    }
    out_free(t);
    out_free(ht);
    return EXIT_OK;
}

/* ================================================================ report journal */

int cmd_report_journal(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill report journal [--format table|json|csv]\n"
        "The accounting journal of packages and credits, by date: each\n"
        "entry's account code, debit, credit, description and source (grant\n"
        "N, appointment ID). Credits sold sit on the package's balance item\n"
        "until used, then move to its ledger account. CSV columns: date,\n"
        "account_code,debit,credit,description,source (amounts with a dot);\n"
        "JSON amounts are cents. The table ends with the totals.\n";
    static const char cmd[] = "report journal";
    static const char *const sql =
        "SELECT on_date, account_code, debit_cents, credit_cents, "
        "description, source FROM journal ORDER BY on_date, id";
    static const struct out_col cols[] = {
        {"date", 'd'},  {"account_code", 's'}, {"debit", 'm'},
        {"credit", 'm'}, {"description", 's'}, {"source", 's'}};
    static const struct out_col jcols[] = {
        {"date", 'd'},        {"account_code", 's'}, {"debit_cents", 'm'},
        {"credit_cents", 'm'}, {"description", 's'}, {"source", 's'}};
    const char *format = NULL;
    const struct opt opts[] = {{"--format", 1, &format, NULL}, {0}};
    enum out_format f;
    int rc = cli_parse(cmd, help, opts, argc, argv, NULL, 0, 0);
    if (rc || (rc = out_format_parse(cmd, format, &f)) ||
        (rc = cli_need_reader(c)))
        return rc;
    struct out_table *t = out_new(f == OUT_JSON ? jcols : cols, 6);
    int64_t debit = 0, credit = 0;
    struct ledger_stmt *st = ledger_stmt(c->eng.lg, sql);
    while (ledger_step(st) == LEDGER_ROW) {
        const char *v[6];
        for (int i = 0; i < 6; i++)
            v[i] = col_ctext(st, i);
        debit += col_int(st, 2);
        credit += col_int(st, 3);
        out_row(t, v);
    }
    ledger_reset(st);
    out_print(t, f, stdout);
    out_free(t);
    if (f == OUT_TABLE) {
        char d[32], k[32];
        printf("total debit %s, credit %s: %s\n", money_fmt(debit, d),
               money_fmt(credit, k),
               debit == credit ? "balanced" : "NOT BALANCED");
    }
    return EXIT_OK;
}
