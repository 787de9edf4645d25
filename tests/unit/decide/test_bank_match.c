/*
 * test_bank_match.c — matching a bank statement entry to an invoice
 * (engine/decide/bank_match.c), without SQLite: which entries the import
 * acts on, the idempotency key, the probes in the order they are tried
 * (end-to-end id as a collection's, then as an invoice number; the
 * structured reference; then each word of the remittance text as a number,
 * then as a payment reference), the pick among the invoices they found
 * (first answered probe, lowest invoice id), and the action: payment,
 * reversal, a reversal larger than what was paid, unmatched, skipped.
 * Expected values are written out, not computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/bank_match.h"
#include "../support.h"

/* ============================================================ helpers */

/* A booked EUR credit of 45.00 on 2026-02-18 at line 17 (strings are
 * borrowed literals). */
static struct bank_entry entry(const char *e2e, const char *ref,
                               const char *text)
{
    struct bank_entry be;
    memset(&be, 0, sizeof be);
    be.amount_cents = 4500;
    strcpy(be.currency, "EUR");
    be.credit = 1;
    be.booking_date = P("2026-02-18");
    be.value_date = CDATE_NONE;
    be.status = (char *)"BOOK";
    be.end_to_end_id = (char *)e2e;
    be.reference = (char *)ref;
    be.remittance = (char *)text;
    be.line = 17;
    return be;
}

/* A candidate with borrowed literals (never freed). */
static struct bank_candidate cand(int64_t id, const char *number,
                                  const char *ref, const char *e2e,
                                  int64_t paid)
{
    return (struct bank_candidate){id, (char *)number, (char *)ref,
                                   (char *)e2e, paid, 4500, NULL};
}

/* The probes of be as "by:value:how" lines, for exact comparison. */
static char *probes_str(const struct bank_entry *be)
{
    static const char *const by[] = {"e2e", "number", "ref"};
    struct bank_probes ps;
    struct sbuf b = {0};
    bank_match_probes(be, &ps);
    for (size_t i = 0; i < ps.n; i++)
        sb_printf(&b, "%s%s:%s:%s", i ? "\n" : "", by[ps.p[i].by],
                  ps.p[i].value, ps.p[i].how);
    bank_probes_free(&ps);
    assert_int_equal(ps.n, 0);
    return sb_steal(&b);
}

static void probes_are(const struct bank_entry *be, const char *want)
{
    char *got = probes_str(be);
    assert_string_equal(got ? got : "", want);
    free(got);
}

/* Match be among cands[0..n): the id found (0: none) and how. */
static int64_t match(const struct bank_entry *be, struct bank_candidate *cands,
                     size_t n, const char **how)
{
    struct bank_probes ps;
    bank_match_probes(be, &ps);
    struct bank_candidates cs = {cands, n};
    struct bank_match m = bank_match_find(&ps, &cs);
    int64_t id = m.c ? m.c->invoice : 0;
    if (m.c)
        assert_non_null(m.how);
    else
        assert_null(m.how);
    /* how points at a literal, still valid once the probes are gone */
    *how = m.how;
    bank_probes_free(&ps);
    return id;
}

/* ============================================================ 1. entry */

/* 1.1 Only booked (or status-less) EUR entries are acted on. */
static void t1_1_booked_eur(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    assert_int_equal(bank_entry_booked_eur(&be), 1);
    be.status = NULL;
    assert_int_equal(bank_entry_booked_eur(&be), 1);
    be.status = (char *)"PDNG";
    assert_int_equal(bank_entry_booked_eur(&be), 0);
    be.status = (char *)"INFO";
    assert_int_equal(bank_entry_booked_eur(&be), 0);
    be.status = (char *)"book";
    assert_int_equal(bank_entry_booked_eur(&be), 0);
    be.status = (char *)"BOOK";
    strcpy(be.currency, "USD");
    assert_int_equal(bank_entry_booked_eur(&be), 0);
    strcpy(be.currency, "eur");
    assert_int_equal(bank_entry_booked_eur(&be), 0);
    be.currency[0] = '\0';
    assert_int_equal(bank_entry_booked_eur(&be), 0);
}

/* 1.2 Money in is a credit that is not a reversal; a direct-debit return
 * is a debit with the reversal flag or a return reason, nothing else. */
static void t1_2_incoming(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    assert_int_equal(bank_entry_incoming(&be), 1);
    assert_int_equal(bank_entry_dd_return(&be), 0);
    be.reversal = 1;
    assert_int_equal(bank_entry_incoming(&be), 0);
    assert_int_equal(bank_entry_dd_return(&be), 0); /* CRDT reversal */
    be.credit = 0;
    assert_int_equal(bank_entry_incoming(&be), 0);
    assert_int_equal(bank_entry_dd_return(&be), 1);
    be.reversal = 0;
    assert_int_equal(bank_entry_incoming(&be), 0);
    assert_int_equal(bank_entry_dd_return(&be), 0); /* a plain transfer out */
    be.return_reason = (char *)"MD06";
    assert_int_equal(bank_entry_dd_return(&be), 1);
}

/* 1.3 The key: the transaction's own servicer reference, the entry's
 * for an entry of one transaction, else a content digest (absent fields
 * as empty text, no booking date as ""), never the line. */
static void t1_3_key(void **state)
{
    struct bank_entry be = entry("2026-00001", NULL, NULL);
    be.account_servicer_ref = (char *)"TX-1";
    be.own_ref = 1;
    char *k = bank_entry_key(&be);
    assert_string_equal(k, "ref:TX-1");
    free(k);
    be.own_ref = 0; /* the Ntry's reference, one TxDtls */
    be.tx_index = be.tx_count = 1;
    k = bank_entry_key(&be);
    assert_string_equal(k, "ref:TX-1");
    free(k);
    be.account_servicer_ref = (char *)"";
    k = bank_entry_key(&be);
    /* sha256("2026-02-18|4500|1|0||2026-00001||") */
    assert_string_equal(k, "sha:527b067b999c5b42546f11b6e2f788d6b024fae11490"
                           "9dde76b8f54b55991e66");
    free(k);
    be.line = 900; /* the same transfer elsewhere in a reformatted file */
    k = bank_entry_key(&be);
    assert_string_equal(k, "sha:527b067b999c5b42546f11b6e2f788d6b024fae11490"
                           "9dde76b8f54b55991e66");
    free(k);
    be = entry(NULL, "RF18", "gift");
    be.booking_date = CDATE_NONE;
    be.amount_cents = 1234;
    be.credit = 0;
    be.reversal = 1;
    be.line = 3;
    k = bank_entry_key(&be);
    /* sha256("|1234|0|1|||RF18|gift") */
    assert_string_equal(k, "sha:dfe8418a859920da80e00507aa3c08c8a159f2b7f13f"
                           "0179cb31bf10805ec6d4");
    free(k);
    /* the counterparty is part of the content */
    be = entry(NULL, NULL, "1 behandeling");
    be.counterparty_iban = (char *)"NL91ABNA0417164300";
    k = bank_entry_key(&be);
    /* sha256("2026-02-18|4500|1|0|NL91ABNA0417164300|||1 behandeling") */
    assert_string_equal(k, "sha:8b00b209de3e8b2a60504cff14ef7f24774afb459a34"
                           "de611370838ea69b569e");
    free(k);
}

/* 1.4 A batch entry (one Ntry reference, N TxDtls without their own):
 * one key per transaction, by position. */
static void t1_4_batch_keys(void **state)
{
    struct bank_entry be = entry("2026-00001", NULL, NULL);
    be.account_servicer_ref = (char *)"BATCH-1";
    be.tx_count = 3;
    be.tx_index = 1;
    char *k = bank_entry_key(&be);
    assert_string_equal(k, "ref:BATCH-1#1");
    free(k);
    be.tx_index = 3;
    k = bank_entry_key(&be);
    assert_string_equal(k, "ref:BATCH-1#3");
    free(k);
    be.own_ref = 1; /* a TxDtls reference of its own wins */
    be.account_servicer_ref = (char *)"TX-9";
    k = bank_entry_key(&be);
    assert_string_equal(k, "ref:TX-9");
    free(k);
}

/* 1.5 The legacy key: the first TxDtls of a batch under the old entry
 * key; the old line-based digest of an entry without reference; none for
 * the others. */
static void t1_5_legacy_key(void **state)
{
    struct bank_entry be = entry("2026-00001", NULL, NULL);
    be.account_servicer_ref = (char *)"BATCH-1";
    be.tx_count = 2;
    be.tx_index = 1;
    char *k = bank_entry_legacy_key(&be);
    assert_string_equal(k, "ref:BATCH-1");
    free(k);
    be.tx_index = 2;
    assert_null(bank_entry_legacy_key(&be));
    be.tx_count = 1;
    be.tx_index = 1;
    assert_null(bank_entry_legacy_key(&be));
    be.account_servicer_ref = NULL;
    k = bank_entry_legacy_key(&be);
    /* sha256("2026-02-18|4500|1|0|2026-00001|||17") */
    assert_string_equal(k, "sha:e3fdfca70b3ae45d8789ab4e8f16c66b5043e2f7e5d00"
                           "82cc9c9104735f86541");
    free(k);
}

/* 1.6 The statement's account is the practice's, spaces and case aside. */
static void t1_6_statement_for(void **state)
{
    assert_int_equal(bank_statement_for("NL91ABNA0417164300",
                                        "NL91 ABNA 0417 1643 00"), 1);
    assert_int_equal(bank_statement_for("nl91abna0417164300",
                                        "NL91ABNA0417164300"), 1);
    assert_int_equal(bank_statement_for("BE68539007547034",
                                        "NL91ABNA0417164300"), 0);
    assert_int_equal(bank_statement_for(NULL, "NL91ABNA0417164300"), 0);
    assert_int_equal(bank_statement_for("NL91ABNA0417164300", NULL), 0);
}

/* ============================================================ 2. probes */

/* 2.1 All fields: end-to-end id as a collection's and (with a series) a
 * number, the reference, then the words of the text that cannot be
 * confused: "factuur" has no digit and gives none. */
static void t2_1_probes_all(void **state)
{
    struct bank_entry be = entry("2026-00001", "RF18", "factuur 2026-00003");
    probes_are(&be, "e2e:2026-00001:end-to-end id\n"
                    "number:2026-00001:end-to-end id\n"
                    "ref:RF18:payment reference\n"
                    "number:2026-00003:remittance text");
}

/* 2.2 Absent and empty fields give no probe; an end-to-end id without a
 * digit, or a bare number, is no invoice number. */
static void t2_2_probes_absent(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    probes_are(&be, "");
    be = entry("", "", "");
    probes_are(&be, "");
    be = entry(NULL, "RF18", NULL);
    probes_are(&be, "ref:RF18:payment reference");
    be = entry("E2E", NULL, NULL);
    probes_are(&be, "e2e:E2E:end-to-end id\nnumber:E2E:end-to-end id");
    be = entry("END", NULL, NULL);
    probes_are(&be, "e2e:END:end-to-end id");
    be = entry("1", NULL, NULL);
    probes_are(&be, "e2e:1:end-to-end id");
}

/* 2.3 Words are split at spaces, commas and semicolons; only those with
 * a digit and a series, or with valid check digits, are probes. The
 * issue's "1 behandeling" gives none. */
static void t2_3_probes_words(void **state)
{
    struct bank_entry be = entry(NULL, NULL, " ,a1;;b , c.d:e\t ;");
    probes_are(&be, "number:a1:remittance text");
    be = entry(NULL, NULL, " ;, ");
    probes_are(&be, "");
    be = entry(NULL, NULL, "1 behandeling");
    probes_are(&be, "");
    be = entry(NULL, NULL, "12345 2026");
    probes_are(&be, "");
    be = entry(NULL, NULL, "2026-00003");
    probes_are(&be, "number:2026-00003:remittance text");
}

/* 2.4 Payment references in the text count only with valid check
 * digits: the Dutch 16-digit one as it is, an RF and a structured
 * communication as stored (the structured communication in its
 * +++ddd/dddd/ddddd+++ form), then as the Dutch reference of the same
 * digits. */
static void t2_4_probes_references(void **state)
{
    struct bank_entry be = entry(NULL, NULL, "0000000202600004");
    probes_are(&be, "ref:0000000202600004:remittance text");
    be = entry(NULL, NULL, "0000000202600005"); /* check digit wrong */
    probes_are(&be, "");
    be = entry(NULL, NULL, "RF48202600004");
    probes_are(&be, "ref:RF48202600004:remittance text\n"
                    "ref:0000000202600004:remittance text");
    be = entry(NULL, NULL, "RF47202600004");
    probes_are(&be, "number:RF47202600004:remittance text");
    be = entry(NULL, NULL, "+++020/2600/00481+++");
    probes_are(&be, "ref:+++020/2600/00481+++:remittance text\n"
                    "ref:0000000202600004:remittance text");
    be = entry(NULL, NULL, "020260000481");
    probes_are(&be, "ref:+++020/2600/00481+++:remittance text\n"
                    "ref:0000000202600004:remittance text");
    be = entry(NULL, NULL, "020260000482");
    probes_are(&be, "");
    /* the entry's reference as it is asks for the stored RF already */
    be = entry(NULL, "RF48202600004", NULL);
    probes_are(&be, "ref:RF48202600004:payment reference\n"
                    "ref:0000000202600004:payment reference");
}

/* ============================================================ 3. find */

/* 3.1 An end-to-end id is a collection's before it is an invoice number. */
static void t3_1_e2e_first(void **state)
{
    struct bank_entry be = entry("2026-00001", NULL, NULL);
    struct bank_candidate c[] = {
        cand(1, "2026-00001", "6000000202600001", NULL, 0),
        cand(9, "2026-00009", "1000000202600009", "2026-00001", 0)};
    const char *how;
    assert_int_equal(match(&be, c, 2, &how), 9);
    assert_string_equal(how, "end-to-end id");
    /* Without the collection the invoice numbered so is found, still
     * "by end-to-end id". */
    assert_int_equal(match(&be, c, 1, &how), 1);
    assert_string_equal(how, "end-to-end id");
}

/* 3.2 The end-to-end id wins over the reference and the text, the
 * reference over the text. */
static void t3_2_order(void **state)
{
    struct bank_entry be = entry("2026-00002", "6000000202600001",
                                 "2026-00003");
    struct bank_candidate c[] = {
        cand(3, "2026-00003", "2000000202600003", NULL, 0),
        cand(1, "2026-00001", "6000000202600001", NULL, 0),
        cand(2, "2026-00002", "4000000202600002", NULL, 0)};
    const char *how;
    assert_int_equal(match(&be, c, 3, &how), 2);
    assert_string_equal(how, "end-to-end id");
    assert_int_equal(match(&be, c, 2, &how), 1);
    assert_string_equal(how, "payment reference");
    assert_int_equal(match(&be, c, 1, &how), 3);
    assert_string_equal(how, "remittance text");
}

/* 3.3 Words are tried in their order; a word is an invoice number only
 * with its series, never a payment reference without check digits. */
static void t3_3_words(void **state)
{
    struct bank_entry be = entry(NULL, NULL, "x 2026-00005 y");
    struct bank_candidate c[] = {
        cand(4, "2026-00004", "2026-00005", NULL, 0),
        cand(5, "2026-00005", "9000000202600005", NULL, 0),
        cand(7, "y", "0", NULL, 0),
        cand(8, "1", "1", NULL, 0)};
    const char *how;
    assert_int_equal(match(&be, c, 3, &how), 5);
    assert_string_equal(how, "remittance text");
    assert_int_equal(match(&be, c, 1, &how), 0);
    be = entry(NULL, NULL, "y 2026-00005");
    assert_int_equal(match(&be, c, 3, &how), 5);
    be = entry(NULL, NULL, "1 behandeling");
    assert_int_equal(match(&be, c, 4, &how), 0);
}

/* 3.3a RF and structured communication answer only the invoice whose
 * number gives them; the account must match when both IBANs are known. */
static void t3_3a_checked(void **state)
{
    struct bank_candidate c[] = {
        cand(4, "2026-00004", "0000000202600004", NULL, 0),
        cand(6, "X-2026-00004", "0000000202600004", NULL, 0)};
    const char *how;
    struct bank_entry be = entry(NULL, NULL, "RF48202600004");
    assert_int_equal(match(&be, c, 2, &how), 4);
    assert_string_equal(how, "remittance text");
    be = entry(NULL, NULL, "+++020/2600/00481+++");
    assert_int_equal(match(&be, c, 2, &how), 4);
    /* invoices stored with the reference they carry (a Belgian and a
     * French practice's): found by it, written bare or in its form */
    struct bank_candidate s[] = {
        cand(7, "2026-00004", "+++020/2600/00481+++", NULL, 0),
        cand(8, "F2026-0004", "RF4720260004", NULL, 0)};
    be = entry(NULL, NULL, "020260000481");
    assert_int_equal(match(&be, s, 2, &how), 7);
    be = entry(NULL, NULL, "+++020/2600/00481+++");
    assert_int_equal(match(&be, s, 2, &how), 7);
    be = entry(NULL, NULL, "rf4720260004");
    assert_int_equal(match(&be, s, 2, &how), 8);
    /* the RF of another number: no answer */
    struct bank_candidate d[] = {cand(9, "2026-00009", "0000000202600004",
                                      NULL, 0)};
    be = entry(NULL, NULL, "RF48202600004");
    assert_int_equal(match(&be, d, 1, &how), 0);
    /* number with its series and the account */
    c[0].account_iban = (char *)"NL91ABNA0417164300";
    be = entry(NULL, NULL, "factuur 2026-00004");
    be.counterparty_iban = (char *)"BE68539007547034";
    assert_int_equal(match(&be, c, 2, &how), 0);
    be.counterparty_iban = (char *)"nl91 abna 0417 1643 00";
    assert_int_equal(match(&be, c, 2, &how), 4);
    be.counterparty_iban = NULL; /* not known: the number decides */
    assert_int_equal(match(&be, c, 2, &how), 4);
}

/* 3.4 Invoices sharing a payment reference (a credit note and its
 * invoice: same digits): the lowest invoice id, wherever it is listed. */
static void t3_4_lowest_id(void **state)
{
    struct bank_entry be = entry(NULL, "0000000202600004", NULL);
    struct bank_candidate c[] = {
        cand(12, "CN-2026-00004", "0000000202600004", NULL, 0),
        cand(4, "2026-00004", "0000000202600004", NULL, 0),
        cand(30, "S-2026-00004", "0000000202600004", NULL, 0)};
    const char *how;
    assert_int_equal(match(&be, c, 3, &how), 4);
    assert_string_equal(how, "payment reference");
    assert_int_equal(match(&be, c + 2, 1, &how), 30);
}

/* 3.5 Nothing answers: unmatched. Candidates that answer no probe of the
 * entry (a collection id taken for a number, a number for a reference)
 * are never picked. */
static void t3_5_unmatched(void **state)
{
    struct bank_entry be = entry("CB2", "RF18", "gift");
    struct bank_candidate c[] = {
        cand(2, "2026-00002", "4000000202600002", "2026-00002", 0),
        cand(3, "CB3", "RF18X", NULL, 0),
        cand(5, "RF18 ", "gift ", NULL, 0)};
    const char *how;
    assert_int_equal(match(&be, c, 3, &how), 0);
    assert_int_equal(match(&be, NULL, 0, &how), 0);
    /* A collection's id in the text is not a number. */
    be = entry(NULL, NULL, "2026-00002");
    struct bank_candidate d[] = {cand(2, "X", "Y", "2026-00002", 0)};
    assert_int_equal(match(&be, d, 1, &how), 0);
}

/* 3.6 bank_probe_answers looks only in the probe's field, exactly. */
static void t3_6_answers(void **state)
{
    struct bank_candidate c = cand(1, "2026-00001", "RF18", "E1", 0);
    struct bank_probe p = {BANK_BY_NUMBER, (char *)"2026-00001", "x",
                           BANK_CHECK_NONE, NULL, NULL};
    assert_int_equal(bank_probe_answers(&p, &c), 1);
    p.by = BANK_BY_REFERENCE;
    assert_int_equal(bank_probe_answers(&p, &c), 0);
    p.value = (char *)"RF18";
    assert_int_equal(bank_probe_answers(&p, &c), 1);
    p.value = (char *)"rf18";
    assert_int_equal(bank_probe_answers(&p, &c), 0);
    p.by = BANK_BY_END_TO_END;
    p.value = (char *)"E1";
    assert_int_equal(bank_probe_answers(&p, &c), 1);
    c.end_to_end_id = NULL;
    assert_int_equal(bank_probe_answers(&p, &c), 0);
}

/* ============================================================ 4. action */

/* 4.1 Skipped before anything else; unmatched without an invoice. */
static void t4_1_skip_unmatched(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    struct bank_candidate c = cand(1, "2026-00001", "R", NULL, 0);
    be.status = (char *)"PDNG";
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_SKIP);
    assert_int_equal(bank_match_action(&be, NULL, 0), BANK_SKIP);
    be.status = (char *)"BOOK";
    assert_int_equal(bank_match_action(&be, NULL, 0), BANK_UNMATCHED);
    be.credit = 0; /* money out about no invoice */
    assert_int_equal(bank_match_action(&be, NULL, 1), BANK_OUTGOING);
}

/* 4.2 Money in is a payment, whatever was paid already (the payment
 * refuses an overpayment itself). */
static void t4_2_payment(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    struct bank_candidate c = cand(1, "2026-00001", "R", NULL, 4500);
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_PAYMENT);
    assert_int_equal(bank_match_action(&be, &c, 1), BANK_PAYMENT);
    c.paid_cents = 0;
    be.amount_cents = 999999;
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_PAYMENT);
}

/* 4.3 The bank's return of a collection (a debit with the reversal flag
 * or a return reason, found by the collection's end-to-end id) is a
 * reversal up to what was paid; more is refused unless the entry was
 * imported before. */
static void t4_3_reversal(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    struct bank_candidate c = cand(1, "2026-00001", "R", "2026-00001", 4500);
    be.credit = 0;
    be.reversal = 1;
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_REVERSAL);
    c.paid_cents = 4499;
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_REVERSAL_EXCEEDS);
    assert_int_equal(bank_match_action(&be, &c, 1), BANK_REVERSAL);
    c.paid_cents = 6000;
    be.reversal = 0;
    be.return_reason = (char *)"MD06";
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_REVERSAL);
    c.paid_cents = 0;
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_REVERSAL_EXCEEDS);
}

/* 4.3a An outgoing entry is never a customer reversal unless it is the
 * bank's return of a collection: a refund transfer found by the invoice
 * number or reference is outgoing; a credit with the reversal flag is
 * money coming back in. */
static void t4_3a_not_reversals(void **state)
{
    struct bank_entry be = entry(NULL, NULL, NULL);
    struct bank_candidate c = cand(1, "2026-00001", "R", NULL, 4500);
    be.credit = 0;
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_OUTGOING);
    be.reversal = 1; /* return flag, but not found as a collection */
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_OUTGOING);
    c.end_to_end_id = (char *)"2026-00001";
    be.reversal = 0; /* a collection's id, but a plain transfer out */
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_OUTGOING);
    be.credit = 1;
    be.reversal = 1;
    assert_int_equal(bank_match_action(&be, &c, 0), BANK_CREDIT_REVERSAL);
    assert_int_equal(bank_match_action(&be, NULL, 0), BANK_CREDIT_REVERSAL);
}

/* 4.3b How a payment leaves its invoice. */
static void t4_3b_paid_kind(void **state)
{
    assert_int_equal(bank_paid_kind(4500, 0, 4500), BANK_PAID);
    assert_int_equal(bank_paid_kind(4500, 1500, 3000), BANK_PAID);
    assert_int_equal(bank_paid_kind(4500, 0, 2000), BANK_PARTLY_PAID);
    assert_int_equal(bank_paid_kind(4500, 0, 5000), BANK_OVERPAID);
    assert_int_equal(bank_paid_kind(4500, 4500, 1), BANK_OVERPAID);
}

/* 4.4 Owned candidates and probes are freed and zeroed; NULL is fine. */
static void t4_4_free(void **state)
{
    struct bank_candidates cs = {xcalloc(2, sizeof *cs.c), 2};
    cs.c[0].number = xstrdup("2026-00001");
    cs.c[0].payment_reference = xstrdup("R");
    cs.c[1].end_to_end_id = xstrdup("E");
    bank_candidates_free(&cs);
    assert_null(cs.c);
    assert_int_equal(cs.n, 0);
    bank_candidates_free(NULL);
    bank_probes_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_booked_eur),
        cmocka_unit_test(t1_2_incoming),
        cmocka_unit_test(t1_3_key),
        cmocka_unit_test(t1_4_batch_keys),
        cmocka_unit_test(t1_5_legacy_key),
        cmocka_unit_test(t1_6_statement_for),
        cmocka_unit_test(t2_1_probes_all),
        cmocka_unit_test(t2_2_probes_absent),
        cmocka_unit_test(t2_3_probes_words),
        cmocka_unit_test(t2_4_probes_references),
        cmocka_unit_test(t3_1_e2e_first),
        cmocka_unit_test(t3_2_order),
        cmocka_unit_test(t3_3_words),
        cmocka_unit_test(t3_3a_checked),
        cmocka_unit_test(t3_4_lowest_id),
        cmocka_unit_test(t3_5_unmatched),
        cmocka_unit_test(t3_6_answers),
        cmocka_unit_test(t4_1_skip_unmatched),
        cmocka_unit_test(t4_2_payment),
        cmocka_unit_test(t4_3_reversal),
        cmocka_unit_test(t4_3a_not_reversals),
        cmocka_unit_test(t4_3b_paid_kind),
        cmocka_unit_test(t4_4_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
