/*
 * bank_match.h — what one bank statement entry is about and what to do
 * with it, as plain values and free of the ledger. An entry is matched by
 * a fixed order of look-ups (probes): its end-to-end id as a collection's
 * end-to-end id, then as an invoice number; its structured reference as a
 * payment reference; then each word of its remittance text that cannot be
 * confused: a payment reference whose check digits hold (the Dutch
 * 16-digit one, an RF creditor reference or a Belgian structured
 * communication, the last two compared with the ones derived from the
 * invoice's number), or an invoice number with its series (a word with a
 * digit and another character, never a bare number like "1"; when both
 * the entry's counterparty IBAN and the invoice's account IBAN are known
 * they must be the same). The first probe that finds an invoice decides;
 * an entry no probe answers is unmatched, never guessed.
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

/* 1 for money coming in from a customer (a credit that is not a
 * reversal). */
int bank_entry_incoming(const struct bank_entry *be);

/* 1 when the entry is the bank taking a direct-debit collection back: a
 * debit with the reversal flag or a return reason. Only such an entry,
 * matched to an exported collection, reverses a payment. */
int bank_entry_dd_return(const struct bank_entry *be);

/* The key that makes an import idempotent, one per transaction and never
 * from the file's layout: "ref:<TxDtls account servicer reference>" when
 * the transaction has its own; "ref:<Ntry reference>" for an entry of one
 * transaction; "ref:<Ntry reference>#<k>" for the k-th TxDtls (from 1) of
 * a batch entry; else "sha:<SHA-256 of booking date, amount, direction,
 * reversal flag, counterparty IBAN, end-to-end id, structured reference
 * and remittance text>" (a content key: the same transfer in a
 * reformatted file has the same key). Caller frees. */
char *bank_entry_key(const struct bank_entry *be);

/* The key an earlier carebill gave the same entry when it differs from
 * bank_entry_key and could have registered it: "ref:<servicer reference>"
 * for the first TxDtls of a batch without references of its own (the
 * others were never registered), "sha:" of the entry with its line for an
 * entry without a reference; NULL otherwise. An entry whose legacy key
 * the ledger holds was imported before. Caller frees. */
char *bank_entry_legacy_key(const struct bank_entry *be);

/* 1 when the statement's account (iban, spaces and case ignored) is the
 * practice's; 0 when it is another or either is missing. */
int bank_statement_for(const char *statement_iban, const char *practice_iban);

/* ------------------------------------------------------------ probes */

/* The ledger field a probe looks a value up in. */
enum bank_probe_by {
    BANK_BY_END_TO_END, /* an exported collection's end-to-end id */
    BANK_BY_NUMBER,     /* an invoice number */
    BANK_BY_REFERENCE,  /* an invoice's payment reference */
};

/* What a found invoice must also satisfy to answer a probe. */
enum bank_probe_check {
    BANK_CHECK_NONE,
    BANK_CHECK_RF,      /* expect = the RF reference of its number */
    BANK_CHECK_OGM,     /* expect = the 12 digits of the structured
                           communication of its number */
    BANK_CHECK_ACCOUNT, /* its account's IBAN, when known, is the
                           counterparty's, when known */
};

struct bank_probe {
    enum bank_probe_by by;
    char *value;         /* owned; never NULL or "" */
    const char *how;     /* "end-to-end id", "payment reference" or
                            "remittance text": how a match was found */
    enum bank_probe_check check;
    char *expect;        /* owned; NULL unless check is RF or OGM */
    const char *counterparty; /* borrowed from the entry; may be NULL */
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
    int64_t total_cents; /* its total */
    char *account_iban;  /* of its account; NULL when none */
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
    BANK_CREDIT_REVERSAL,  /* a credit with the reversal flag: money coming
                              back in (a returned refund or payout); never
                              a customer reversal: report it for a person */
    BANK_OUTGOING,         /* a debit that is not the bank's return of a
                              collection (a refund or payout): report it
                              (for a person when it names an invoice) */
};

/* What to do with entry be matched to m (NULL: unmatched).
 * key_registered is 1 when a payment of the ledger already carries the
 * entry's key (bank_entry_key): a reversal imported before is taken as
 * such, whatever was paid since. A debit reverses only when it is a
 * direct-debit return (bank_entry_dd_return) matched by a collection's
 * end-to-end id (m->end_to_end_id set). */
enum bank_action bank_match_action(const struct bank_entry *be,
                                   const struct bank_candidate *m,
                                   int key_registered);

/* How a payment of amount leaves an invoice of total with paid before. */
enum bank_paid_kind {
    BANK_PAID,        /* exactly settled */
    BANK_PARTLY_PAID, /* money still open */
    BANK_OVERPAID,    /* more than was open */
};
enum bank_paid_kind bank_paid_kind(int64_t total, int64_t paid_before,
                                   int64_t amount);

#endif
