/*
 * einvoice.h — `invoice ubl`: issued invoices and credit notes written as
 * Peppol BIS Billing 3.0 UBL files (render/ubl.h) for the practice to
 * hand to its Peppol access point, one by number or a batch of every
 * invoice issued since a day. Which invoices get one is the practice's
 * `einvoice` setting (none, business, all); the buyer's electronic
 * address and direct-debit mandate come from its account. Read-only: no
 * hooks, no transaction; nothing in the ledger changes.
 */
#ifndef CAREBILL_USECASE_EINVOICE_H
#define CAREBILL_USECASE_EINVOICE_H

#include <stddef.h>

#include "base/util.h"
#include "usecase/engine.h"

/* Write invoice `number` as UBL to the file `out` (replaced atomically).
 * `ledger_path` is the ledger's file (NULL when unknown): out may be
 * neither it nor its journal files. Refuses, writing nothing, when the
 * setting is einvoice: none, when it is business and the invoice is
 * billed to a patient account, when the account has no electronic
 * address, an invoice in a supplier's name (self-billed, on behalf of
 * it, a credit note of either: the supplier is the seller) whose supplier
 * has no KvK number, VAT number or address (or IBAN, when self-billed),
 * naming the command that records it, and whatever render/ubl.h refuses.
 * The payment reference written is the one render/epc.h gives the
 * invoice. 0, or -1 with e filled. */
int einvoice_write(struct engine *eng, const char *number, const char *out,
                   const char *ledger_path, struct err *e);

/* The UBL file of invoice `number`, as einvoice_write writes it, into
 * *buf (malloc'd, the caller frees it) and *len: 0. 1 with *buf NULL
 * when the einvoice setting gives the invoice none (einvoice: none, or
 * business and the invoice is billed to a patient account). -1 with e
 * filled when the invoice cannot be read or its UBL file refused (an
 * account without an electronic address, what render/ubl.h refuses). */
int einvoice_attachment(struct engine *eng, const char *number, char **buf,
                        size_t *len, struct err *e);

/* One invoice of a batch: written to `path`, or refused for `problem`. */
struct einvoice_item {
    char *number;
    char *path;    /* NULL when refused */
    char *problem; /* NULL when written */
};

struct einvoice_batch {
    struct einvoice_item *items; /* in invoice order */
    size_t n, written, refused;
};

/* Write every invoice and credit note issued on or after `since` that
 * the einvoice setting gives a UBL file to dir/NUMBER.xml (dir is
 * created when missing; characters other than letters, digits, '.', '-'
 * and '_' in a number become '_'). One invoice refused does not stop the
 * others: *b lists each, written or refused and why (einvoice_batch_free
 * it, also after a failure). Returns 0 when the batch ran, -1 with e
 * filled when it could not start (einvoice: none, dir unusable, the
 * ledger unreadable). */
int einvoice_write_since(struct engine *eng, cdate since, const char *dir,
                         const char *ledger_path, struct einvoice_batch *b,
                         struct err *e);
void einvoice_batch_free(struct einvoice_batch *b);

#endif
