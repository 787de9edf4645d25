/*
 * commission.h — what the agency charges for mediation, as pure
 * decisions: the supplier's commission (a percentage of the hours' value,
 * or an amount per hour), optionally the client's, the answer of a
 * `commission(ctx)` hook checked before it is used, and the lines of a
 * commission invoice.
 */
#ifndef CAREBILL_DECIDE_COMMISSION_H
#define CAREBILL_DECIDE_COMMISSION_H

#include <stdint.h>

#include "base/util.h"
#include "decide/invoice.h"
#include "rules/rules.h"

/* Whom a commission is charged to. */
enum commission_party { COMMISSION_SUPPLIER, COMMISSION_CLIENT };

/* The commission in cents (excluding VAT) on hours worth value_cents
 * (the hours invoice's net amount) over `minutes`: value × percent
 * (basis points) rounded half away from zero, or the hours (to two
 * decimals, hours_qty100) × the amount per hour. 0 when the placement
 * charges this party nothing. */
int64_t commission_amount(const struct placement *pl,
                          enum commission_party who, int64_t value_cents,
                          int64_t minutes);

/* A commission hook's answer checked: whole cents from 0 up to the hours'
 * value (a commission never exceeds what it is charged on). Returns 0, or
 * -1 with e naming the placement and the answer. */
int commission_check_hook(const struct placement *pl, int64_t answer_cents,
                          int64_t value_cents, struct err *e);

/* Append the commission line to draft inv: `amount_cents` (excluding
 * VAT) at the placement's commission_vat, 21% when it names none; the
 * description names the placement, the month and, when the amount is
 * the placement's rule (not a hook's answer), the basis; source
 * "commission", ref the placement id. The draft's prices are made
 * exclusive of VAT (inv->prices_include_vat = 0): a commission is agreed
 * excluding VAT. */
void commission_line(struct invoice *inv, const struct placement *pl,
                     enum commission_party who, const char *month,
                     int64_t amount_cents, int64_t value_cents,
                     int64_t minutes);

#endif
