/*
 * pain001.h — SEPA credit transfer batches out (pain.001.001.03), as
 * plain values: what a mediation agency pays its suppliers. Pure: no
 * ledger, no network; written with libxml2 like the pain.008 batches of
 * formats/sepa.h, and validated against the schema in the tests.
 */
#ifndef CAREBILL_PAIN001_H
#define CAREBILL_PAIN001_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* One transfer. Strings are borrowed for the duration of the call. */
struct ct_tx {
    const char *end_to_end_id; /* <= 35, EPC characters: the key the bank
                                  statement's debit is matched on */
    int64_t amount_cents;      /* > 0, at most 999999999.99 */
    const char *creditor_name; /* any UTF-8; transliterated, cut at 70 */
    const char *creditor_iban; /* spaces allowed; written without them */
    const char *remittance;    /* NULL -> no RmtInf; cut at 140 */
};

/* The debtor of a batch: the agency's name and bank details. */
struct ct_debtor {
    const char *name, *iban, *bic; /* bic NULL or "": NOTPROVIDED */
};

/* Write the n transfers as one pain.001.001.03 message to
 * path: one PmtInf ("<msg_id>-1") executed on `execution`, transfers in
 * input order. created_iso is the CreDtTm, "YYYY-MM-DDThh:mm:ss", passed
 * in so the output is deterministic. Everything is checked first (ids,
 * amounts, names, IBANs, BIC, duplicate end-to-end ids): on the first
 * problem nothing is written and e names the transfer. The file is
 * written atomically (base/outfile.h). 0 or -1 and e. */
int pain001_write(const struct ct_debtor *d, const char *msg_id,
                  const char *created_iso, cdate execution,
                  const struct ct_tx *txs, size_t n, const char *path,
                  struct err *e);

#endif
