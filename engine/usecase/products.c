/*
 * products.c — issuing a product invoice: each line checked against the
 * rule files, the header built by invoice_draft() for the account's
 * party, one line per product with its `explain` sentence, then issued
 * (usecase/issue.h) with its e-mail queued (usecase/events.h).
 */
#include "usecase/products.h"

#include <stdlib.h>
#include <string.h>

#include "decide/credit_plan.h"
#include "decide/invoice.h"
#include "store/accounts.h"
#include "store/invoices.h"
#include "usecase/events.h"
#include "usecase/issue.h"

#define MAX_PRODUCT_QTY 10000

/* Refuse a line that cannot be sold. */
static int check_line(const struct rules *r, const struct product_qty *l,
                      struct err *e)
{
    const struct product *p = rules_product(r, l->code);
    if (!p)
        return credit_plan_refuse_unknown(e, "product with code", l->code,
                                          r->products, r->n_products,
                                          sizeof *r->products);
    if (!p->d.active)
        return credit_plan_refuse_inactive(&p->d, "it cannot be sold", e);
    if (p->package && !p->package->d.active)
        return err_set(e, "product '%s' carries package '%s', which is "
                          "deactivated (%s:%d); it cannot be sold",
                       p->d.id, p->package->d.id, p->package->d.at.file,
                       p->package->d.at.line);
    if (l->qty < 1 || l->qty > MAX_PRODUCT_QTY)
        return err_set(e, "quantity of '%s' must be between 1 and %d, not "
                          "%lld", l->code, MAX_PRODUCT_QTY, (long long)l->qty);
    return 0;
}

static void party_clear(struct party *p)
{
    free(p->id), free(p->name), free(p->email), free(p->address);
    free(p->vat_number), free(p->kvk), free(p->iban);
    memset(p, 0, sizeof *p);
}

int product_invoice(struct engine *eng,
                    const char *account, const struct product_qty *lines,
                    size_t n, cdate today, char **number, struct err *e)
{
    const struct rules *r = eng->r;
    *number = NULL;
    if (n == 0)
        return err_set(e, "a product invoice needs at least one line");
    for (size_t i = 0; i < n; i++)
        if (check_line(r, &lines[i], e) != 0)
            return -1;
    if (account_active(eng->lg, account) == 0)
        return err_set(e, "account '%s' is inactive; no new invoices can be "
                          "made for it", account);
    struct party to = {0};
    char *locale = NULL;
    if (invoices_party(eng->lg, account, &to, &locale, e) != 0) {
        party_clear(&to);
        free(locale);
        return -1;
    }
    struct invoice inv;
    invoice_draft(&inv, &r->practice, INV_PRODUCT, &to, locale, today, 0);
    party_clear(&to);
    free(locale);
    for (size_t i = 0; i < n; i++) {
        const struct product *p = rules_product(r, lines[i].code);
        const struct vat_rate *v = p->vat;
        struct invoice_line *l = invoice_add_line(
            &inv, p->d.name, lines[i].qty * 100, p->price_cents, v->d.id,
            v->bp, v->exempt, v->exempt_text);
        l->source = xstrdup("product");
        l->ref = xstrdup(p->d.id);
        char a[32];
        if (p->package)
            l->why = xasprintf("product %s at %s per unit; grants %lld credit%s "
                               "of package %s per unit once paid in full",
                               p->d.id, money_fmt(p->price_cents, a),
                               (long long)p->credits,
                               credit_plan_plural(p->credits),
                               p->package->d.id);
        else
            l->why = xasprintf("product %s at %s per unit", p->d.id,
                               money_fmt(p->price_cents, a));
    }
    int rc = issue_invoice(eng, &inv, 0, e);
    if (rc == 0)
        rc = events_invoice_issued(eng, &inv, NULL, 0, e);
    if (rc == 0)
        *number = xstrdup(inv.number);
    invoice_free(&inv);
    return rc;
}
