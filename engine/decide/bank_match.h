/*
 * bank_match.h — what one bank statement entry is about and what to do
 * with it, as plain values and free of the ledger. An entry is matched by
 * a fixed order of look-ups (probes): its end-to-end id as a collection's
 * end-to-end id, then as an invoice number; its structured reference as a
 * payment reference; then each word of its remittance text as an invoice
 * number, then as a payment reference. The first probe that finds an
 * invoice decides; an entry no probe answers is unmatched, never guessed.
 * The amount is not used to match; it decides only whether a reversal can
 * be taken back from what was paid. The import use case
 * (usecase/collect.c) runs the probes through the collections store and
 * acts on bank_match_action.
 */
#ifndef CAREBILL_DECIDE_BANK_MATCH_H
#define CAREBILL_DECIDE_BANK_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "formats/sepa.h"

/* 1 when the import acts on the entry: a EUR entry that is booked (or
 * carries no status); any other is skipped. */
int bank_entry_booked_eur(const struct bank_entry *be);

/* 1 for money coming in (a credit that is not a reversal); anything else
 * an invoice is matched to takes money back. */
int bank_entry_incoming(const struct bank_entry *be);

/* The key that makes an import idempotent: "ref:<account servicer
 * reference>" when the bank gives one, else "sha:<SHA-256 of the entry's
 * booking date, amount, direction, reversal flag, end-to-end id,
 * reference, remittance text and line>". Caller frees. */
char *bank_entry_key(const struct bank_entry *be);

/* ------------------------------------------------------------ probes */

/* The ledger field a probe looks a value up in. */
enum bank_probe_by {
    BANK_BY_END_TO_END, /* an exported collection's end-to-end id */
    BANK_BY_NUMBER,     /* an invoice number */
    BANK_BY_REFERENCE,  /* an invoice's payment reference */
};

struct bank_probe {
    enum bank_probe_by by;
    char *value;         /* owned; never NULL or "" */
    const char *how;     /* "end-to-end id", "payment reference" or
                            "remittance text": how a match was found */
};

struct bank_probes {
    struct bank_probe *p;
    size_t n;
};

/* The probes for entry be, in the order they are tried (see the top of
 * this file). Absent or empty fields give no probe; the remittance text
 * is split at spaces, commas and semicolons. Free with bank_probes_free. */
void bank_match_probes(const struct bank_entry *be, struct bank_probes *out);
void bank_probes_free(struct bank_probes *p);

/* ------------------------------------------------------------ matching */

/* An invoice a probe found. Strings are owned by the value. */
struct bank_candidate {
    int64_t invoice;
    char *number, *payment_reference;
    char *end_to_end_id; /* of the collection it was found by; NULL when
                            found among the invoices */
    int64_t paid_cents;  /* received on it so far */
};

struct bank_candidates {
    struct bank_candidate *c;
    size_t n;
};

/* Free every candidate's strings and the array, and zero *c. */
void bank_candidates_free(struct bank_candidates *c);

/* 1 when candidate c is an answer to probe p (the field p looks in holds
 * p's value). */
int bank_probe_answers(const struct bank_probe *p,
                       const struct bank_candidate *c);

struct bank_match {
    const struct bank_candidate *c; /* NULL: unmatched */
    const char *how;                /* the answered probe's how; NULL */
};

/* The match among candidates: for the first probe any candidate answers,
 * the answering candidate with the lowest invoice id. Pointers borrow
 * from probes and cands. */
struct bank_match bank_match_find(const struct bank_probes *probes,
                                  const struct bank_candidates *cands);

/* ------------------------------------------------------------ action */

enum bank_action {
    BANK_SKIP,             /* not a booked EUR entry */
    BANK_UNMATCHED,        /* no invoice found: report it */
    BANK_PAYMENT,          /* money in: register a payment on the invoice */
    BANK_REVERSAL,         /* money back: reverse it on the invoice */
    BANK_REVERSAL_EXCEEDS, /* money back, more than was paid on the
                              invoice and not imported before: report it,
                              register nothing */
};

/* What to do with entry be matched to m (NULL: unmatched).
 * key_registered is 1 when a payment of the ledger already carries the
 * entry's key (bank_entry_key): a reversal imported before is taken as
 * such, whatever was paid since. */
enum bank_action bank_match_action(const struct bank_entry *be,
                                   const struct bank_candidate *m,
                                   int key_registered);

#endif
