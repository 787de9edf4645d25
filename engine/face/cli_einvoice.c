/*
 * cli_einvoice.c — `invoice ubl`: one invoice, or every invoice issued
 * since a day, written as Peppol BIS Billing 3.0 UBL files for an access
 * point (usecase/einvoice.h). Reads the ledger only.
 */
#include <stdio.h>

#include "base/outfile.h"
#include "face/cli.h"
#include "usecase/einvoice.h"

/* The handler main.c's command table names (face/cli_cmds.h lists the
 * others). */
int cmd_invoice_ubl(struct cli *c, int argc, char **argv);

int cmd_invoice_ubl(struct cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: carebill invoice ubl NUMBER --out FILE\n"
        "       carebill invoice ubl --all --since D --out DIR\n"
        "Write an invoice or credit note as a Peppol BIS Billing 3.0 UBL 2.1\n"
        "e-invoice, or every one issued on or after D to DIR/NUMBER.xml, for\n"
        "the practice's Peppol access point. The practice setting einvoice\n"
        "(none, business, all) says which invoices get one; the buyer's\n"
        "electronic address is its account's --peppol. A batch lists each\n"
        "file written and each invoice refused (exit 1 when any is).\n";
    const char *out = NULL, *all = NULL, *since = NULL, *pos[1] = {NULL};
    const struct opt opts[] = {{"--out", 1, &out, NULL},
                               {"--all", 0, &all, NULL},
                               {"--since", 1, &since, NULL},
                               {0}};
    int rc = cli_parse("invoice ubl", help, opts, argc, argv, pos, 1, 0);
    if (rc)
        return rc;
    if (!out) {
        fprintf(stderr, "carebill invoice ubl: --out is required\n");
        return EXIT_USAGE;
    }
    if (all ? pos[0] != NULL || !since : pos[0] == NULL || since != NULL) {
        fprintf(stderr, "carebill invoice ubl: give NUMBER, or --all with "
                        "--since D (not both)\n");
        return EXIT_USAGE;
    }
    cdate from = CDATE_NONE;
    if (since && (rc = cli_date("invoice ubl", "--since", since, &from)))
        return rc;
    if ((rc = cli_need_reader(c)))
        return rc;
    struct err e;
    if (!all) {
        if (out_file_check(out, c->db_path, &e) != 0)
            return cli_fail("invoice ubl", &e);
        if (einvoice_write(&c->eng, pos[0], out, c->db_path, &e) != 0)
            return cli_fail("invoice ubl", &e);
        return EXIT_OK;
    }
    struct einvoice_batch b;
    if (einvoice_write_since(&c->eng, from, out, c->db_path, &b, &e) != 0) {
        einvoice_batch_free(&b);
        return cli_fail("invoice ubl", &e);
    }
    for (size_t i = 0; i < b.n; i++) {
        const struct einvoice_item *it = &b.items[i];
        if (it->path)
            printf("%s %s\n", it->number, it->path);
        else
            fprintf(stderr, "carebill invoice ubl: %s\n", it->problem);
    }
    printf("%zu written, %zu refused\n", b.written, b.refused);
    rc = b.refused ? EXIT_FAIL : EXIT_OK;
    einvoice_batch_free(&b);
    return rc;
}
