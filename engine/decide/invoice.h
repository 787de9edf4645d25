/*
 * invoice.h — an issued invoice as a plain value: what the ledger stored,
 * read back whole. The PDF renderer, the e-mail templates, the SEPA writer
 * and `explain` all take this struct; none of them reads SQLite. Also the
 * pure arithmetic of building one: VAT per rate, totals, and the payment
 * reference, so a draft can be computed and tested without a ledger.
 */
#ifndef CAREBILL_INVOICE_H
#define CAREBILL_INVOICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "formats/bankid.h"

enum invoice_kind {
    INV_SUBSCRIPTION,
    INV_PRODUCT,
    INV_APPOINTMENT,
    INV_SEATS,
    INV_SELFBILL,    /* self-billed: issued by the agency to itself in a
                        supplier's name */
    INV_COMMISSION,
    INV_ON_BEHALF,   /* issued by the agency in the name and on behalf of
                        a supplier, to the client */
    INV_RESALE,      /* the agency's own invoice of hours it bought */
    INV_CREDIT,      /* credit note */
};
const char *invoice_kind_name(enum invoice_kind k);

enum invoice_status { ST_OPEN, ST_PAID, ST_CREDITED };
const char *invoice_status_name(enum invoice_status s);

struct invoice_line {
    char *description;
    int64_t qty100;       /* quantity × 100 (hours may be 7.5) */
    int64_t unit_cents;   /* as priced: incl. VAT when the invoice is */
    int64_t amount_cents; /* qty × unit, rounded half away from zero */
    char *vat_id;
    int32_t vat_bp;
    int vat_exempt;
    char *source;         /* "subscription", "product", "appointment",
                             "usage", "seats", "hours", "commission",
                             "credit" */
    int64_t subscription; /* 0 when none */
    cdate period_start, period_end; /* CDATE_NONE when none */
    char *ref;            /* product code, appointment id, metric, ... */
    char *why;            /* one sentence for `explain`; NULL when
                             why_derived says the line rebuilds it */
    int why_derived;      /* 1: the sentence is billing_why_derived's */
};

struct invoice_vat {
    char *vat_id;
    int32_t bp;
    int exempt;
    char *exempt_text;
    int64_t base_cents; /* net amount at this rate */
    int64_t vat_cents;
};

struct party {
    char *id, *name, *email, *address, *vat_number, *kvk, *iban;
};

struct invoice {
    int64_t id;
    char *number;
    char *series;
    enum invoice_kind kind;
    enum invoice_status status;
    struct party to;         /* the "billed to" account */
    struct party supplier;   /* self-billing: whose invoice this is;
                                id NULL when the practice itself */
    char *locale;
    cdate issued, due;
    int prices_include_vat;
    int direct_debit;
    int64_t net_cents, vat_cents, total_cents;
    int64_t paid_cents;
    char *credit_of;         /* number of the corrected invoice */
    char *payment_reference; /* as the practice's country has it: the Dutch
                                betalingskenmerk (16 digits), the Belgian
                                +++ddd/dddd/ddddd+++ or an RF reference */
    char *rules_hash;
    char *practitioner;
    /* The id of the template its e-mail is written with when that
     * message is made when the outbox is next used, not with the
     * invoice (usecase/outbox.h outbox_defer); NULL otherwise. Borrowed
     * from the rules; stored by the invoice's INSERT, never loaded. */
    const char *mail;
    struct invoice_line *lines;
    size_t n_lines;
    struct invoice_vat *vats;
    size_t n_vats;
    char *refused;           /* NULL, or why the arithmetic refused this
                                draft (an amount beyond MONEY_MAX_CENTS,
                                an overflow, too many lines): the first
                                such reason; see invoice_check */
};

void invoice_free(struct invoice *inv); /* frees members, not inv */

struct practice;
/* Start a draft of `kind` for party `to` (strings copied; locale NULL:
 * the practice's), issued on `issued`, with the practice's defaults: due
 * after the payment term, or after the collection term when paid by
 * direct debit; VAT inclusion; the practitioner named. The one place an
 * invoice header is filled, for every kind. inv is overwritten. */
void invoice_draft(struct invoice *inv, const struct practice *p,
                   enum invoice_kind kind, const struct party *to,
                   const char *locale, cdate issued, int direct_debit);

/* Append a line (copies strings). amount = round(qty100 * unit / 100),
 * formed with the checked money arithmetic: when it overflows, or lies
 * beyond MONEY_MAX_CENTS, or the draft already holds INVOICE_MAX_LINES
 * lines, the line is still appended (amount 0 on overflow) and the reason
 * is kept in inv->refused, so invoice_check refuses the draft. */
struct invoice_line *invoice_add_line(struct invoice *inv, const char *desc,
                                      int64_t qty100, int64_t unit_cents,
                                      const char *vat_id, int32_t vat_bp,
                                      int exempt, const char *exempt_text);

/* Compute vats[], net, vat and total from the lines: lines are grouped by
 * VAT rate; per rate the VAT is computed once on the rate's sum, half away
 * from zero (incl.: vat = gross - round(gross * 10000 / (10000 + bp))). */
int invoice_totals(struct invoice *inv);

/* The net amount of a one-line credit at VAT rate bp (prices excluding
 * VAT: the VAT is computed on the net, as invoice_totals does) whose
 * total is exactly `gross` (> 0). Returns 1 with *net set when one
 * exists; 0 when no net amount gives that total, with *below and *above
 * the nearest totals that can be reached (below < gross < above). */
int credit_net_for_gross(int64_t gross, int32_t bp, int64_t *net,
                         int64_t *below, int64_t *above);

/* 0 when the draft may be issued: at most INVOICE_MAX_LINES lines, every
 * line, net, VAT and total within MONEY_MAX_CENTS, nothing overflowed.
 * Otherwise -1 with e naming the first reason. Call after
 * invoice_totals (which returns -1 and records the reason on overflow). */
int invoice_check(const struct invoice *inv, struct err *e);

/* The Dutch payment reference for invoice sequence `seq`: 16 digits, a
 * check digit followed by 15 digits (weights 2,4,8,5,10,9,7,3,6,1 from
 * the right). out >= 17 bytes. */
void payment_reference(uint64_t seq, char out[17]);
int payment_reference_valid(const char *ref);



/* Format an invoice number from a pattern: {year}, {seq}, {seq:N}
 * (zero-padded), {supplier} and literal text. out is malloc'd. */
char *invoice_number_format(const char *pattern, int year, int64_t seq,
                            const char *supplier);

#endif
