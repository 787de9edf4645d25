/*
 * einvoice.c — the `invoice ubl` use cases: an invoice read through
 * store/invoices.h, its account's kind, electronic address and mandate
 * through store/accounts.h, the einvoice setting applied
 * (decide/subscription.h), and the document written by render/ubl.h.
 */
#include "usecase/einvoice.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decide/subscription.h"
#include "base/outfile.h"
#include "render/ubl.h"
#include "store/accounts.h"
#include "store/invoices.h"

static const char *const mode_names[] = {"none", "business", "all"};

/* Refuse an output path that is the ledger file or one of its journals:
 * replacing it would destroy the ledger (base/outfile.h). */
static int not_the_ledger(const char *out, const char *ledger_path,
                          struct err *e)
{
    return out_file_check(out, ledger_path, e);
}

/* Load invoice `number` and write it to `out` (to *buf, *len when out
 * is NULL), or refuse saying why. */
static int write_one(struct engine *eng, const char *number, const char *out,
                     const char *ledger_path, char **buf, size_t *len,
                     struct err *e)
{
    const struct practice *p = &eng->r->practice;
    if (p->einvoice == EINVOICE_NONE)
        return err_set(e, "e-invoices are off (practice setting einvoice: "
                          "none); set einvoice: business or all");
    if (out && not_the_ledger(out, ledger_path, e) != 0)
        return -1;
    struct invoice inv, orig;
    struct account_einvoice acc;
    memset(&orig, 0, sizeof orig);
    memset(&acc, 0, sizeof acc);
    int rc = invoices_load(eng->lg, number, &inv, e) != 0 ? -1 : 0;
    if (rc == 0 && accounts_einvoice(eng->lg, inv.to.id, &acc, e) != 0)
        rc = -1;
    if (rc == 0 && !einvoice_wanted(p->einvoice, acc.kind))
        rc = err_set(e, "invoice %s is billed to '%s', a %s account: with "
                        "einvoice: %s only business accounts (organisation, "
                        "client, supplier) get e-invoices", number, inv.to.id,
                     acc.kind, mode_names[p->einvoice]);
    if (rc == 0 && !acc.peppol)
        rc = err_set(e, "invoice %s: account '%s' has no electronic address; "
                        "a Peppol e-invoice needs the buyer's (account add "
                        "--peppol SCHEME:ID)", number, inv.to.id);
    cdate corrected = CDATE_NONE;
    if (rc == 0 && inv.kind == INV_CREDIT && inv.credit_of) {
        if (invoices_load(eng->lg, inv.credit_of, &orig, e) != 0)
            rc = -1;
        else
            corrected = orig.issued;
    }
    if (rc == 0) {
        /* A self-billed invoice's seller is the supplier, in whose name
         * the agency (the buyer) issued it. */
        struct practice seller = *p;
        if (inv.kind == INV_SELFBILL) {
            seller.name = inv.supplier.name;
            seller.address = inv.supplier.address;
            seller.kvk = inv.supplier.kvk;
            seller.vat_number = inv.supplier.vat_number;
            seller.iban = inv.supplier.iban;
            seller.bic = seller.siret = seller.creditor_id = NULL;
            seller.country = NULL;
        }
        struct ubl_doc d = {&inv, &seller, acc.peppol, acc.mandate_id,
                            corrected, NULL};
        rc = out ? ubl_write_file(&d, out, e) : ubl_write_buf(&d, buf, len, e);
    }
    invoice_free(&inv);
    invoice_free(&orig);
    account_einvoice_free(&acc);
    return rc;
}

int einvoice_write(struct engine *eng, const char *number, const char *out,
                   const char *ledger_path, struct err *e)
{
    return write_one(eng, number, out, ledger_path, NULL, NULL, e);
}

int einvoice_attachment(struct engine *eng, const char *number, char **buf,
                        size_t *len, struct err *e)
{
    *buf = NULL;
    *len = 0;
    if (eng->r->practice.einvoice == EINVOICE_NONE)
        return 1;
    struct invoice inv;
    struct account_einvoice acc;
    memset(&acc, 0, sizeof acc);
    int rc = invoices_load(eng->lg, number, &inv, e) != 0 ? -1 : 0;
    if (rc == 0 && accounts_einvoice(eng->lg, inv.to.id, &acc, e) != 0)
        rc = -1;
    if (rc == 0 && !einvoice_wanted(eng->r->practice.einvoice, acc.kind))
        rc = 1;
    invoice_free(&inv);
    account_einvoice_free(&acc);
    if (rc != 0)
        return rc;
    return write_one(eng, number, NULL, NULL, buf, len, e);
}

/* dir/NUMBER.xml with the number's unsafe characters replaced. */
static char *file_for(const char *dir, const char *number)
{
    char *name = xstrdup(number);
    for (char *q = name; *q; q++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789.-_", *q) || (q == name && *q == '.'))
            *q = '_';
    size_t n = strlen(dir);
    char *path = xasprintf("%s%s%s.xml", dir, n && dir[n - 1] == '/' ? "" : "/",
                           name);
    free(name);
    return path;
}

static void batch_add(struct einvoice_batch *b, const char *number,
                      char *path, const char *problem)
{
    b->items = xrealloc(b->items, (b->n + 1) * sizeof *b->items);
    struct einvoice_item *it = &b->items[b->n++];
    it->number = xstrdup(number);
    it->path = problem ? NULL : path;
    it->problem = xstrdup(problem);
    if (problem) {
        free(path);
        b->refused++;
    } else {
        b->written++;
    }
}

int einvoice_write_since(struct engine *eng, cdate since, const char *dir,
                         const char *ledger_path, struct einvoice_batch *b,
                         struct err *e)
{
    const struct practice *p = &eng->r->practice;
    memset(b, 0, sizeof *b);
    if (p->einvoice == EINVOICE_NONE)
        return err_set(e, "e-invoices are off (practice setting einvoice: "
                          "none); set einvoice: business or all");
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || mkdir(dir, 0755) != 0)
            return err_set(e, "%s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        return err_set(e, "%s is not a directory", dir);
    }
    struct invoice *v;
    size_t n;
    if (invoices_list(eng->lg, NULL, 0, &v, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (v[i].issued < since)
            continue;
        struct account_einvoice acc;
        if (accounts_einvoice(eng->lg, v[i].to.id, &acc, e) != 0) {
            rc = -1;
            break;
        }
        int wanted = einvoice_wanted(p->einvoice, acc.kind);
        account_einvoice_free(&acc);
        if (!wanted)
            continue;
        char *path = file_for(dir, v[i].number);
        struct err why;
        if (write_one(eng, v[i].number, path, ledger_path, NULL, NULL,
                      &why) != 0)
            batch_add(b, v[i].number, path, why.msg);
        else
            batch_add(b, v[i].number, path, NULL);
    }
    invoices_list_free(v, n);
    return rc;
}

void einvoice_batch_free(struct einvoice_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].number);
        free(b->items[i].path);
        free(b->items[i].problem);
    }
    free(b->items);
    memset(b, 0, sizeof *b);
}
