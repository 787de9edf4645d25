/*
 * sepa.h — the two bank file formats carebill speaks, as plain values:
 * SEPA Core direct-debit batches out (pain.008.001.02) and bank statements
 * in (camt.053.001.02 / .04). Pure: no ledger, no network. The engine turns
 * due invoices into `struct dd_tx` values and a statement into
 * `struct bank_entry` values; matching them to invoices is not done here.
 */
#ifndef CAREBILL_SEPA_H
#define CAREBILL_SEPA_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* ------------------------------------------------------------ pain.008 */

/* One collection. Strings are borrowed for the duration of the call. */
struct dd_tx {
    const char *end_to_end_id; /* <= 35, EPC characters; the engine's key
                                  for matching the bank's answer */
    int64_t amount_cents;      /* > 0, at most 999999999.99 */
    const char *mandate_id;    /* <= 35, EPC characters */
    cdate mandate_date;        /* date signed; not after collection_date */
    const char *debtor_name;   /* any UTF-8; transliterated, cut at 70 */
    const char *debtor_iban;   /* spaces allowed; written without them */
    const char *debtor_bic;    /* NULL or "" -> Othr/Id NOTPROVIDED */
    const char *remittance;    /* invoice number; transliterated, cut at
                                  140; NULL -> no RmtInf */
    int first;                 /* 1 -> FRST, 0 -> RCUR */
    cdate collection_date;
};

/* Longest accepted file for camt053_read, in bytes. */
#define SEPA_CAMT_MAX_BYTES (64u * 1024u * 1024u)

/* Write the n transactions as one pain.008.001.02 message to path.
 * One PmtInf per (collection date, sequence type), ordered by date and
 * FRST before RCUR; transactions keep their input order inside a PmtInf,
 * whose id is "<msg_id>-<k>" (k from 1). created_iso is the CreDtTm,
 * exactly "YYYY-MM-DDThh:mm:ss", passed in so the output is deterministic.
 * Everything is validated first (practice IBAN, BIC and creditor id; each
 * transaction's ids, amount, IBAN, BIC, name and dates; duplicate
 * end-to-end ids): on the first problem the whole batch is refused with
 * an error naming the transaction (end-to-end id and remittance) and
 * nothing is written. The file is written as path.tmp and renamed, so
 * path is either the complete batch or untouched. 0 or -1 and e. */
/* The creditor of a batch: the practice's name and bank details. */
struct sepa_creditor {
    const char *name, *iban, *bic, *creditor_id;
};

int sepa_write_pain008(const struct sepa_creditor *p, const char *msg_id,
                       const char *created_iso, const struct dd_tx *txs,
                       size_t n, const char *path, struct err *e);

/* Transliterate UTF-8 text to the EPC character set
 * (a-z A-Z 0-9 / - ? : ( ) . , ' + space): Latin-1 and Latin Extended-A
 * letters lose their accents (é -> e, ü -> u, ß -> ss, æ -> ae, Œ -> OE),
 * '&' becomes '+', typographic quotes and dashes their ASCII forms,
 * combining marks and invalid UTF-8 are dropped, anything else becomes a
 * space; runs of spaces collapse and the ends are trimmed. The result is
 * cut to at most max characters (0: no limit). NULL -> "". Caller frees. */
char *sepa_text(const char *utf8, size_t max);

/* Why utf8 cannot be a debtor or creditor name of a batch, or NULL: its
 * transliteration (sepa_text) must keep at least one Latin letter. Static
 * text, e.g. "is empty in the SEPA character set". */
const char *sepa_name_problem(const char *utf8);

/* ------------------------------------------------------------ camt.053 */

/* What kind of movement an entry is; `credit` below is 1 for BANK_CREDIT. */
enum bank_entry_kind { BANK_CREDIT, BANK_DEBIT };

/* One movement on the account. An Ntry with several TxDtls carrying their
 * own amounts gives one bank_entry per TxDtls; otherwise one per Ntry with
 * the Ntry amount. Strings are owned by the statement; NULL when absent. */
struct bank_entry {
    int64_t amount_cents;   /* >= 0; hundredths of `currency` */
    char currency[4];       /* "EUR" */
    int credit;             /* CRDT = 1, DBIT = 0 */
    int reversal;           /* Ntry/RvslInd true */
    cdate booking_date;     /* CDATE_NONE when the entry has none (PDNG) */
    cdate value_date;       /* CDATE_NONE when absent */
    char *status;           /* "BOOK", "PDNG", "INFO" */
    char *end_to_end_id;    /* NULL also for the bank's "NOTPROVIDED" */
    char *reference;        /* RmtInf/Strd/CdtrRefInf/Ref (first) */
    char *remittance;       /* RmtInf/Ustrd, several joined by a space */
    char *account_servicer_ref; /* TxDtls/Refs/AcctSvcrRef, else Ntry's */
    char *return_reason;    /* TxDtls/RtrInf/Rsn/Cd or Prtry ("MD06") */
    char *account_iban;     /* Stmt/Acct/Id/IBAN of its statement */
    char *counterparty_iban; /* TxDtls/RltdPties: DbtrAcct of a credit,
                               CdtrAcct of a debit; NULL when absent */
    int own_ref;            /* 1 when account_servicer_ref is the TxDtls's
                               own, 0 when it is the Ntry's (or absent) */
    int tx_index, tx_count; /* position (from 1) of the TxDtls in its Ntry
                               and the Ntry's number of TxDtls (0 and 0
                               for an Ntry without TxDtls) */
    int line;               /* line of the TxDtls (or Ntry) in the file;
                               for messages only, never part of a key */
};

struct bank_statement {
    struct bank_entry *entries;
    size_t n;
    char *iban; /* account of the first Stmt; NULL when not an IBAN */
};

/* Read a camt.053 file (versions 001.02 and 001.04; elements are found by
 * local name, the namespace may be absent or any camt.053 one). The root
 * must be Document/BkToCstmrStmt with at least one Stmt. Amounts are
 * decimals read exactly: more than two decimals are accepted only when
 * the extra digits are zeros ("8.850" -> 885), otherwise refused. Refuses
 * files over SEPA_CAMT_MAX_BYTES, non-regular files, any DOCTYPE (no
 * entities are ever expanded or fetched) and never uses the network.
 * Errors read "PATH:LINE: what is wrong". On success *out is filled (free
 * with bank_statement_free); on error *out is empty. 0 or -1 and e. */
int camt053_read(const char *path, struct bank_statement *out,
                 struct err *e);

/* Free everything a statement owns and zero it; NULL-safe. */
void bank_statement_free(struct bank_statement *s);

#endif
