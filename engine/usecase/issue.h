/*
 * issue.h — writing invoices into the ledger and reading them back.
 * Issuing takes the next number of the invoice's series inside the
 * caller's transaction, so numbers are gapless whatever happens: a crash
 * rolls the number back with the invoice. Issued invoices are never
 * changed; corrections are credit notes.
 */
#ifndef CAREBILL_ISSUE_H
#define CAREBILL_ISSUE_H

#include "decide/invoice.h"
#include "ledger/ledger.h"
#include "usecase/engine.h"
#include "rules/rules.h"

/* Issue inv (lines filled, totals computed here). Sets inv->id, number,
 * series and payment_reference. `run` is the tick's run id or 0. */
int issue_invoice(struct engine *eng,
                  struct invoice *inv, int64_t run, struct err *e);

/* Read an invoice with its lines and VAT summary. Returns 0, 1 when no
 * such invoice exists (e says so), -1 on error. */
int invoice_load(struct ledger *lg, const char *number, struct invoice *out,
                 struct err *e);
int invoice_load_id(struct ledger *lg, int64_t id, struct invoice *out,
                    struct err *e);

/* Issue a credit note for invoice `number`: in full (amount < 0) or for
 * `amount` cents (then the invoice must have one VAT rate). Applies it to
 * the invoice's open amount. Prints nothing; *out_number is malloc'd. */
int issue_credit_note(struct engine *eng,
                      const char *number, int64_t amount, cdate today,
                      char **out_number, struct err *e);

/* Fill an invoice's "billed to" party from the accounts table. */
int invoice_set_party(struct ledger *lg, const char *account, struct party *p,
                      char **locale, struct err *e);

#endif
