/*
 * products.h — product invoices (seed 001): a practice sells products,
 * some of which carry a package of credits; the invoice is issued and its
 * e-mail queued here, and the credits follow once it is paid in full
 * (events.h → credits.h).
 */
#ifndef CAREBILL_PRODUCTS_H
#define CAREBILL_PRODUCTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "usecase/engine.h"

struct product_qty {
    const char *code;
    int64_t qty; /* whole units, >= 1 */
};

/* Issue a product invoice for `account` dated `today` with one line per
 * entry of lines, and queue its e-mail. Refuses unknown or deactivated
 * products, products of a deactivated package, unknown accounts and
 * quantities outside 1..10000, writing nothing then. *number is malloc'd
 * (NULL on refusal). The caller owns the transaction. */
int product_invoice(struct engine *eng,
                    const char *account, const struct product_qty *lines,
                    size_t n, cdate today, char **number, struct err *e);

#endif
