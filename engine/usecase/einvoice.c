/*
 * einvoice.c — the `invoice ubl` use cases: an invoice read through
 * store/invoices.h, its account's kind, electronic address and mandate
 * through store/accounts.h, a supplier's VAT status through
 * store/hours.h, the einvoice setting applied (decide/subscription.h),
 * and the document written by render/ubl.h.
 */
#include "usecase/einvoice.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decide/subscription.h"
#include "base/outfile.h"
#include "decide/payref.h"
#include "render/ubl.h"
#include "store/accounts.h"
#include "store/hours.h"
#include "store/invoices.h"

static const char *const mode_names[] = {"none", "business", "all"};

/* Refuse an output path that is the ledger file or one of its journals:
 * replacing it would destroy the ledger (base/outfile.h). */
static int not_the_ledger(const char *out, const char *ledger_path,
                          struct err *e)
{
    return out_file_check(out, ledger_path, e);
}

/* The seller of invoice inv issued in the name of its supplier (self-
 * billed, on behalf of it, or a credit note of either): the supplier's
 * name, address, KvK number, VAT number, e-mail and IBAN in place of the
 * practice's. What the document cannot do without is refused here, naming
 * the supplier and the command that records it. */
static int supplier_seller(const struct invoice *inv, int paid_to_supplier,
                           struct practice *seller, struct err *e)
{
    const struct party *s = &inv->supplier;
    const char *id = s->id;
    if (!s->kvk || !*s->kvk)
        return err_set(e, "invoice %s is issued in the name of supplier '%s', "
                          "which has no KvK number for its electronic address "
                          "(Peppol 0106); record it with: carebill account "
                          "mediation --id %s --kvk NUMBER",
                       inv->number, id, id);
    if (!s->vat_number || !*s->vat_number)
        return err_set(e, "invoice %s is issued in the name of supplier '%s', "
                          "which has no VAT number (the seller's VAT id); "
                          "record it with: carebill account update %s "
                          "--vat-number NUMBER", inv->number, id, id);
    if (!s->address || !*s->address)
        return err_set(e, "invoice %s is issued in the name of supplier '%s', "
                          "which has no address; record it with: carebill "
                          "account update %s --address \"STREET\nPOSTCODE "
                          "CITY\"", inv->number, id, id);
    if (paid_to_supplier && (!s->iban || !*s->iban))
        return err_set(e, "invoice %s is self-billed in the name of supplier "
                          "'%s', which has no IBAN to be paid on; record it "
                          "with: carebill account update %s --iban IBAN",
                       inv->number, id, id);
    seller->name = s->name;
    seller->address = s->address;
    seller->kvk = s->kvk;
    seller->vat_number = s->vat_number;
    seller->email = s->email;
    seller->iban = paid_to_supplier ? s->iban : NULL;
    seller->bic = seller->siret = seller->creditor_id = NULL;
    seller->country = NULL;
    return 0;
}

/* The VATEX code of supplier `id`'s exempt lines: none for a supplier in
 * the small-business scheme (KOR is no exemption of care; its text says
 * why no VAT is charged), else the care exemption (NULL). */
static int supplier_exempt_code(struct engine *eng, const char *id,
                                const char **code, struct err *e)
{
    struct mediation_account ma;
    int rc = hours_account_get(eng->lg, id, &ma, e);
    *code = rc >= 0 && ma.vat_status && !strcmp(ma.vat_status, "kor") ? ""
                                                                      : NULL;
    hours_account_free(&ma);
    return rc < 0 ? -1 : 0;
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
    struct practice seller = *p;
    struct ubl_doc d = {&inv, &seller, acc.peppol, acc.mandate_id, corrected,
                        NULL, NULL, 0};
    if (rc == 0 && inv.supplier.id) {
        /* In the supplier's name: self-billed by the agency (the buyer),
         * paid to the supplier; or issued on behalf of the supplier to
         * the client and paid to the agency, which collects. A credit
         * note follows the invoice it corrects. */
        enum invoice_kind k = inv.kind == INV_CREDIT && inv.credit_of
                                  ? orig.kind : inv.kind;
        d.self_billed_credit = inv.kind == INV_CREDIT && k == INV_SELFBILL;
        if (k == INV_ON_BEHALF)
            d.payee = p;
        rc = supplier_seller(&inv, k == INV_SELFBILL && inv.kind != INV_CREDIT,
                             &seller, e);
        if (rc == 0)
            rc = supplier_exempt_code(eng, inv.supplier.id, &d.exempt_code, e);
    }
    if (rc == 0) {
        /* BT-83: the reference the invoice's PDF and QR code carry, also
         * for one stored before the reference followed the country. */
        struct payref pr;
        invoice_payref(&inv, p, &pr);
        free(inv.payment_reference);
        inv.payment_reference = xstrdup(pr.stored);
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
