/*
 * test_sepa.c — sepa.c: EPC transliteration; a pain.008 batch with FRST
 * and RCUR on two collection dates, validated by xmllint against the ISO
 * schema and read back with XPath; refused batches leave no file; the
 * camt.053 samples in tests/xsd (copied from the reference shelf) with their exact entries; a
 * hand-written 001.04 statement with a reversal, structured references
 * and split transactions; every kind of bad input as "file:line: message";
 * XXE and entity bombs refused; mutated and truncated files never crash.
 * Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "formats/sepa.h"
#include "base/util.h"

#define SAMPLES "tests/xsd/camt053-samples/"
#define PAIN_XSD "tests/xsd/pain.008.001.02.xsd"

static char tmpdir[64];

/* A path inside the test's temporary directory (static buffer rotation). */
static const char *tpath(const char *name)
{
    static char bufs[4][256];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
    return b;
}

static const char *write_tmp(const char *name, const char *text, size_t len)
{
    const char *p = tpath(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    return p;
}

static const char *write_str(const char *name, const char *text)
{
    return write_tmp(name, text, strlen(text));
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/carebill-sepa-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static cdate D(const char *s)
{
    cdate d;
    struct err e;
    assert_int_equal(date_parse(s, &d, &e), 0);
    return d;
}

/* ================================================================ 1 text */

/* 1.1 names lose their accents, other characters become spaces */
static void t1_1_text(void **state)
{
    static const struct {
        const char *in;
        size_t max;
        const char *out;
    } cases[] = {
        {"Zoë Müller-Lefèvre", 0, "Zoe Muller-Lefevre"},
        {"Straße 7", 0, "Strasse 7"},
        {"Œuvre Ærø Łódź Ħal Şişli", 0, "OEuvre AEro Lodz Hal Sisli"},
        {"Ĳsselmeer Ÿvette Ñandú Çà", 0, "IJsselmeer Yvette Nandu Ca"},
        {"Jansen & Zn", 0, "Jansen + Zn"},
        {"Zoe\xcc\x88 (decomposed)", 0, "Zoe (decomposed)"},
        {"Иван Petrov", 0, "Petrov"},
        {"O’Brien – “Dr.”", 0, "O'Brien - 'Dr.'"},
        {"a\xff\xc3" "b\xed\xa0\x80" "c", 0, "abc"},
        {"  tab\there\nnew  line_x@y;  ", 0, "tab here new line x y"},
        {"abcdef", 3, "abc"},
        {"ab cd", 3, "ab"},
        {"Müß", 3, "Mus"},
        {"€ 12,50", 0, "EUR 12,50"},
        {"", 0, ""},
        {NULL, 5, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = sepa_text(cases[i].in, cases[i].max);
        if (strcmp(s, cases[i].out) != 0)
            fail_msg("case %zu: '%s' != '%s'", i, s, cases[i].out);
        free(s);
    }
    /* 70 characters at most for a name */
    char *s = sepa_text("Praktijk voor Fysiotherapie en Manuele Therapie "
                        "Zoë Müller-Lefèvre en Partners", 70);
    assert_string_equal(s, "Praktijk voor Fysiotherapie en Manuele Therapie "
                           "Zoe Muller-Lefevre en");
    assert_true(strlen(s) <= 70);
    free(s);
}

/* ================================================================ 2 writer */

static struct sepa_creditor practice(void)
{
    struct sepa_creditor p = {0};
    p.name = "Fysiotherapie Zoë & Co";
    p.iban = "NL91 ABNA 0417 1643 00";
    p.bic = "ABNANL2A";
    p.creditor_id = "NL69ZZZ123456780000";
    return p;
}

/* Five collections, deliberately out of order. */
static void batch(struct dd_tx tx[5])
{
    cdate d1 = D("2026-12-01"), d2 = D("2026-12-08"), m = D("2025-03-14");
    struct dd_tx t[5] = {
        {"CB-2026-0004", 1999, "MND-0004", m, "Pieter de Vries",
         "NL91ABNA0417164300", "ABNANL2A", "2026-0004", 0, d2},
        {"CB-2026-0001", 2500, "MND-0001", m, "Zoë Müller-Lefèvre",
         "BE68 5390 0754 7034", NULL, "2026-0001", 1, d1},
        {"CB-2026-0003", 4500, "MND-0003", m, "Jan Janssen",
         "NL91ABNA0417164300", "", "2026-0003", 0, d1},
        {"CB-2026-0005", 1, "MND-0005", m, "Anna Smit", "BE68539007547034",
         NULL, "2026-0005", 0, d2},
        {"CB-2026-0002", 3250, "MND-0002", D("2026-11-20"), "Kees Bakker",
         "NL91ABNA0417164300", NULL, "2026-0002", 1, d1},
    };
    memcpy(tx, t, sizeof t);
}

static char *xp(xmlXPathContextPtr ctx, const char *expr)
{
    char full[512];
    snprintf(full, sizeof full, "string(%s)", expr);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST full, ctx);
    assert_non_null(o);
    char *s = xstrdup(o->stringval ? (const char *)o->stringval : "");
    xmlXPathFreeObject(o);
    return s;
}

#define XP_EQ(ctx, expr, want)                                               \
    do {                                                                     \
        char *got_ = xp(ctx, expr);                                          \
        if (strcmp(got_, want) != 0)                                         \
            fail_msg("%s: '%s', expected '%s'", expr, got_, want);           \
        free(got_);                                                          \
    } while (0)

#define DOC "/p:Document/p:CstmrDrctDbtInitn"

static int xmllint_ok(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema %s %s >/dev/null 2>&1",
             PAIN_XSD, path);
    if (system(cmd) == 0)
        return 1;
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema %s %s", PAIN_XSD, path);
    (void)system(cmd); /* show why */
    return 0;
}

/* 2.1 FRST and RCUR on two dates: schema-valid, grouped, exact sums */
static void t2_1_batch(void **state)
{
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];
    batch(tx);
    struct err e;
    const char *out = tpath("batch.xml");
    if (sepa_write_pain008(&p, "CB-20261123-1", "2026-11-23T09:00:00", tx, 5,
                           out, &e) < 0)
        fail_msg("%s", e.msg);
    assert_true(xmllint_ok(out));
    assert_false(exists(tpath("batch.xml.tmp")));

    xmlDocPtr doc = xmlReadFile(out, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(x, BAD_CAST "p",
                       BAD_CAST "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02");

    XP_EQ(x, DOC "/p:GrpHdr/p:MsgId", "CB-20261123-1");
    XP_EQ(x, DOC "/p:GrpHdr/p:CreDtTm", "2026-11-23T09:00:00");
    XP_EQ(x, DOC "/p:GrpHdr/p:NbOfTxs", "5");
    XP_EQ(x, DOC "/p:GrpHdr/p:CtrlSum", "122.50");
    XP_EQ(x, DOC "/p:GrpHdr/p:InitgPty/p:Nm", "Fysiotherapie Zoe + Co");
    XP_EQ(x, "count(" DOC "/p:PmtInf)", "3");

    /* 2026-12-01 FRST: 25.00 + 32.50 */
    XP_EQ(x, DOC "/p:PmtInf[1]/p:PmtInfId", "CB-20261123-1-1");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:PmtMtd", "DD");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:NbOfTxs", "2");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:CtrlSum", "57.50");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:PmtTpInf/p:SvcLvl/p:Cd", "SEPA");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:PmtTpInf/p:LclInstrm/p:Cd", "CORE");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:PmtTpInf/p:SeqTp", "FRST");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:ReqdColltnDt", "2026-12-01");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:Cdtr/p:Nm", "Fysiotherapie Zoe + Co");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:CdtrAcct/p:Id/p:IBAN", "NL91ABNA0417164300");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:CdtrAgt/p:FinInstnId/p:BIC", "ABNANL2A");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:ChrgBr", "SLEV");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id",
          "NL69ZZZ123456780000");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:SchmeNm/p:Prtry",
          "SEPA");
#define TX1 DOC "/p:PmtInf[1]/p:DrctDbtTxInf[1]"
    XP_EQ(x, TX1 "/p:PmtId/p:EndToEndId", "CB-2026-0001");
    XP_EQ(x, TX1 "/p:InstdAmt", "25.00");
    XP_EQ(x, TX1 "/p:InstdAmt/@Ccy", "EUR");
    XP_EQ(x, TX1 "/p:DrctDbtTx/p:MndtRltdInf/p:MndtId", "MND-0001");
    XP_EQ(x, TX1 "/p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", "2025-03-14");
    XP_EQ(x, TX1 "/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", "NOTPROVIDED");
    XP_EQ(x, TX1 "/p:Dbtr/p:Nm", "Zoe Muller-Lefevre");
    XP_EQ(x, TX1 "/p:DbtrAcct/p:Id/p:IBAN", "BE68539007547034");
    XP_EQ(x, TX1 "/p:RmtInf/p:Ustrd", "2026-0001");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:DrctDbtTxInf[2]/p:PmtId/p:EndToEndId",
          "CB-2026-0002");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:DrctDbtTxInf[2]/p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr",
          "2026-11-20");

    /* 2026-12-01 RCUR: 45.00 (an empty BIC is NOTPROVIDED too) */
    XP_EQ(x, DOC "/p:PmtInf[2]/p:PmtInfId", "CB-20261123-1-2");
    XP_EQ(x, DOC "/p:PmtInf[2]/p:NbOfTxs", "1");
    XP_EQ(x, DOC "/p:PmtInf[2]/p:CtrlSum", "45.00");
    XP_EQ(x, DOC "/p:PmtInf[2]/p:PmtTpInf/p:SeqTp", "RCUR");
    XP_EQ(x, DOC "/p:PmtInf[2]/p:ReqdColltnDt", "2026-12-01");
    XP_EQ(x, DOC "/p:PmtInf[2]/p:DrctDbtTxInf/p:PmtId/p:EndToEndId", "CB-2026-0003");
    XP_EQ(x, DOC "/p:PmtInf[2]/p:DrctDbtTxInf/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id",
          "NOTPROVIDED");

    /* 2026-12-08 RCUR: 19.99 + 0.01, input order kept */
    XP_EQ(x, DOC "/p:PmtInf[3]/p:NbOfTxs", "2");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:CtrlSum", "20.00");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:PmtTpInf/p:SeqTp", "RCUR");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:ReqdColltnDt", "2026-12-08");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:DrctDbtTxInf[1]/p:PmtId/p:EndToEndId", "CB-2026-0004");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:DrctDbtTxInf[1]/p:InstdAmt", "19.99");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:DrctDbtTxInf[1]/p:DbtrAgt/p:FinInstnId/p:BIC",
          "ABNANL2A");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:DrctDbtTxInf[2]/p:PmtId/p:EndToEndId", "CB-2026-0005");
    XP_EQ(x, DOC "/p:PmtInf[3]/p:DrctDbtTxInf[2]/p:InstdAmt", "0.01");

    xmlXPathFreeContext(x);
    xmlFreeDoc(doc);
}

/* 2.2 the same input gives the same bytes; no practice BIC -> NOTPROVIDED,
 * no remittance -> no RmtInf, still schema-valid */
static void t2_2_deterministic(void **state)
{
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];
    batch(tx);
    struct err e;
    assert_int_equal(sepa_write_pain008(&p, "M1", "2026-11-23T09:00:00", tx, 5,
                                        tpath("a.xml"), &e), 0);
    assert_int_equal(sepa_write_pain008(&p, "M1", "2026-11-23T09:00:00", tx, 5,
                                        tpath("b.xml"), &e), 0);
    char *a = file_read(tpath("a.xml"), NULL, &e);
    char *b = file_read(tpath("b.xml"), NULL, &e);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);

    p.bic = NULL;
    tx[1].remittance = NULL;
    const char *out = tpath("nobic.xml");
    assert_int_equal(sepa_write_pain008(&p, "M2", "2026-11-23T09:00:00", tx, 5,
                                        out, &e), 0);
    assert_true(xmllint_ok(out));
    xmlDocPtr doc = xmlReadFile(out, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(x, BAD_CAST "p",
                       BAD_CAST "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02");
    XP_EQ(x, DOC "/p:PmtInf[1]/p:CdtrAgt/p:FinInstnId/p:Othr/p:Id", "NOTPROVIDED");
    XP_EQ(x, "count(" TX1 "/p:RmtInf)", "0");
    xmlXPathFreeContext(x);
    xmlFreeDoc(doc);
}

/* Write a batch expecting refusal: the message contains want, and neither
 * the file nor its .tmp exists afterwards. */
static void refused(const struct sepa_creditor *p, const struct dd_tx *tx, size_t n,
                    const char *want)
{
    struct err e;
    const char *out = tpath("refused.xml");
    unlink(out);
    int rc = sepa_write_pain008(p, "CB-20261123-1", "2026-11-23T09:00:00", tx, n,
                                out, &e);
    if (rc != -1)
        fail_msg("accepted, expected refusal: %s", want);
    if (!strstr(e.msg, want))
        fail_msg("'%s' does not contain '%s'", e.msg, want);
    assert_false(exists(out));
    assert_false(exists(tpath("refused.xml.tmp")));
}

/* 2.3 a bad debtor IBAN refuses the batch and names the transaction */
static void t2_3_bad_iban(void **state)
{
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];
    batch(tx);
    tx[2].debtor_iban = "NL92ABNA0417164300";
    refused(&p, tx, 5, "direct debit 'CB-2026-0003' (2026-0003): debtor IBAN "
                       "'NL92ABNA0417164300' is not valid; batch refused");
    tx[2].debtor_iban = NULL;
    refused(&p, tx, 5, "direct debit 'CB-2026-0003' (2026-0003): debtor IBAN '' "
                       "is not valid");
}

/* 2.4 a bad creditor id (wrong check digits, wrong shape) */
static void t2_4_bad_creditor(void **state)
{
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];
    batch(tx);
    p.creditor_id = "NL70ZZZ123456780000";
    refused(&p, tx, 5, "creditor id 'NL70ZZZ123456780000' is not a valid SEPA "
                       "creditor identifier");
    p.creditor_id = "NL69";
    refused(&p, tx, 5, "creditor id 'NL69' is not a valid");
    p.creditor_id = NULL;
    refused(&p, tx, 5, "creditor id '' is not a valid");
}

/* 2.5 a zero (or negative) amount */
static void t2_5_zero_amount(void **state)
{
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];
    batch(tx);
    tx[3].amount_cents = 0;
    refused(&p, tx, 5, "direct debit 'CB-2026-0005' (2026-0005): amount must be "
                       "more than 0.00; batch refused");
    tx[3].amount_cents = -100;
    refused(&p, tx, 5, "'CB-2026-0005' (2026-0005): amount must be more than 0.00");
}

/* 2.6 the other refusals, and a refused batch leaves an existing file be */
static void t2_6_other_refusals(void **state)
{
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];

    batch(tx);
    tx[4].end_to_end_id = "CB-2026-0001";
    refused(&p, tx, 5, "direct debit 'CB-2026-0001' (2026-0002): end-to-end id is "
                       "used twice in the batch");
    batch(tx);
    tx[0].mandate_id = "M-1234567890123456789012345678901234"; /* 36 */
    refused(&p, tx, 5, "'CB-2026-0004' (2026-0004): mandate id "
                       "'M-1234567890123456789012345678901234' is longer than 35");
    batch(tx);
    tx[0].mandate_id = NULL;
    refused(&p, tx, 5, "mandate id '' is missing");
    batch(tx);
    tx[0].end_to_end_id = "CB_2026<0004>";
    refused(&p, tx, 5, "end-to-end id 'CB_2026<0004>' contains a character "
                       "outside the SEPA set");
    batch(tx);
    tx[0].end_to_end_id = "CB-2026-0004-0123456789-0123456789-X"; /* 36 */
    refused(&p, tx, 5, "is longer than 35 characters");
    batch(tx);
    tx[0].end_to_end_id = "/CB";
    refused(&p, tx, 5, "must not start or end with '/'");
    batch(tx);
    tx[0].mandate_date = D("2026-12-09");
    refused(&p, tx, 5, "mandate signed 2026-12-09, after the collection date "
                       "2026-12-08");
    batch(tx);
    tx[0].debtor_bic = "ABNA";
    refused(&p, tx, 5, "debtor BIC 'ABNA' is not valid");
    batch(tx);
    tx[0].debtor_name = "Иван";
    refused(&p, tx, 5, "debtor name 'Иван' is empty in the SEPA character set");
    batch(tx);
    refused(&p, tx, 0, "no direct debits to export");
    p.iban = "NL91ABNA0417164301";
    refused(&p, tx, 5, "practice IBAN 'NL91ABNA0417164301' is not valid");
    p = practice();

    struct err e;
    assert_int_equal(sepa_write_pain008(&p, "M", "2026-11-23 09:00", tx, 5,
                                        tpath("x.xml"), &e), -1);
    assert_string_equal(e.msg, "creation time '2026-11-23 09:00' is not "
                               "YYYY-MM-DDThh:mm:ss");
    assert_int_equal(sepa_write_pain008(&p, "CB-0123456789-0123456789-012345678",
                                        "2026-11-23T09:00:00", tx, 5,
                                        tpath("x.xml"), &e), -1);
    assert_string_equal(e.msg, "message id 'CB-0123456789-0123456789-012345678' "
                               "leaves no room for the payment information ids "
                               "(at most 33 characters for 5 direct debits)");
    assert_false(exists(tpath("x.xml")));

    /* an existing batch survives a refused rewrite byte for byte */
    const char *out = tpath("keep.xml");
    assert_int_equal(sepa_write_pain008(&p, "K", "2026-11-23T09:00:00", tx, 5,
                                        out, &e), 0);
    char *before = file_read(out, NULL, &e);
    tx[1].amount_cents = 0;
    assert_int_equal(sepa_write_pain008(&p, "K", "2026-11-23T09:00:00", tx, 5,
                                        out, &e), -1);
    char *after = file_read(out, NULL, &e);
    assert_non_null(before);
    assert_non_null(after);
    assert_string_equal(before, after);
    assert_false(exists(tpath("keep.xml.tmp")));
    free(before);
    free(after);
}

/* ================================================================ 3 reader */

static void read_ok(const char *path, struct bank_statement *s)
{
    struct err e;
    if (camt053_read(path, s, &e) < 0)
        fail_msg("%s", e.msg);
}

/* Expect refusal with exactly want (after the path and a colon). */
static void read_fails(const char *path, const char *want)
{
    struct err e;
    struct bank_statement s;
    memset(&s, 0xAB, sizeof s);
    assert_int_equal(camt053_read(path, &s, &e), -1);
    assert_int_equal(s.n, 0);
    assert_null(s.entries);
    assert_null(s.iban);
    char full[1200];
    snprintf(full, sizeof full, "%s:%s", path, want);
    assert_string_equal(e.msg, full);
}

#define STR_OR_NULL(got, want)                                               \
    do {                                                                     \
        if ((want) == NULL)                                                  \
            assert_null(got);                                                \
        else                                                                 \
            assert_string_equal(got, want);                                  \
    } while (0)

static void entry_is(const struct bank_entry *b, int64_t cents, int credit,
                     int reversal, const char *booked, const char *e2e,
                     const char *ref, const char *rmt, int line)
{
    assert_int_equal(b->amount_cents, cents);
    assert_string_equal(b->currency, "EUR");
    assert_int_equal(b->credit, credit);
    assert_int_equal(b->reversal, reversal);
    assert_int_equal(b->booking_date, D(booked));
    assert_string_equal(b->status, "BOOK");
    STR_OR_NULL(b->end_to_end_id, e2e);
    STR_OR_NULL(b->reference, ref);
    STR_OR_NULL(b->remittance, rmt);
    assert_int_equal(b->line, line);
}

/* 3.1 minimal: one credit of 8.85 with a structured reference, no E2E */
static void t3_1_minimal(void **state)
{
    struct bank_statement s;
    read_ok(SAMPLES "camt053.v2.minimal.xml", &s);
    assert_string_equal(s.iban, "NL26VAYB8060476890");
    assert_int_equal(s.n, 1);
    entry_is(&s.entries[0], 885, 1, 0, "2014-12-31", NULL, "4654654654654654",
             NULL, 107);
    assert_int_equal(s.entries[0].value_date, D("2015-01-02"));
    assert_string_equal(s.entries[0].account_iban, "NL26VAYB8060476890");
    assert_null(s.entries[0].account_servicer_ref);
    assert_null(s.entries[0].return_reason);
    bank_statement_free(&s);
    assert_int_equal(s.n, 0);
    bank_statement_free(&s); /* twice is harmless */
}

/* 3.2 two statements: a credit of 8.85 and a debit of 7.00 */
static void t3_2_multi_statement(void **state)
{
    struct bank_statement s;
    read_ok(SAMPLES "camt053.v2.multi.statement.xml", &s);
    assert_string_equal(s.iban, "NL26VAYB8060476890");
    assert_int_equal(s.n, 2);
    entry_is(&s.entries[0], 885, 1, 0, "2014-12-31", "000000001", NULL,
             "Transaction Description 1", 83);
    entry_is(&s.entries[1], 700, 0, 0, "2014-12-31", "000000002", NULL,
             "Transaction Description 2", 162);
    bank_statement_free(&s);
}

/* 3.3 party ids (and non-ASCII names) around one entry of 8.85 */
static void t3_3_party_ids(void **state)
{
    struct bank_statement s;
    read_ok(SAMPLES "camt053.v2.with-party-ids.xml", &s);
    assert_int_equal(s.n, 1);
    entry_is(&s.entries[0], 885, 1, 0, "2014-12-31", NULL, "4654654654654654",
             NULL, 107);
    bank_statement_free(&s);
}

/* 3.4 "8.850": extra decimals that are zeros are exact and accepted;
 * "8.855" is refused with its line */
static void t3_4_five_decimals(void **state)
{
    struct bank_statement s;
    read_ok(SAMPLES "camt053.v2.five.decimals.xml", &s);
    assert_int_equal(s.n, 1);
    entry_is(&s.entries[0], 885, 1, 0, "2014-12-31", "000000001", NULL,
             "Transaction Description", 78);
    bank_statement_free(&s);

    struct err e;
    char *text = file_read(SAMPLES "camt053.v2.five.decimals.xml", NULL, &e);
    assert_non_null(text);
    char *amt = strstr(text, ">8.850<");
    assert_non_null(amt);
    memcpy(amt, ">8.855<", 7);
    read_fails(write_tmp("five.xml", text, strlen(text)),
               "62: amount '8.855' has more than two decimals that are not "
               "zero; carebill books whole cents");
    free(text);
}

/* 3.5 wrong.xml is well-formed but its BkToCstmrStmt has no Stmt (the
 * schema requires one): refused, pointing at line 3 */
static void t3_5_wrong(void **state)
{
    read_fails(SAMPLES "camt053.v2.wrong.xml",
               "3: BkToCstmrStmt has no Stmt; a bank statement must contain "
               "at least one");
}

/* A 001.04 statement: a reversed (returned) direct debit with a return
 * reason, a credit with a structured reference and two Ustrd lines, an
 * entry split into two transactions, a pending entry without TxDtls. */
static const char camt04[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\">\n"
    "<BkToCstmrStmt>\n"
    "<GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-12-10T06:00:00</CreDtTm></GrpHdr>\n"
    "<Stmt><Id>1</Id><CreDtTm>2026-12-10T06:00:00</CreDtTm>\n"
    "<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>\n"
    "<Ntry><Amt Ccy=\"EUR\">25.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>\n"     /* 7 */
    "<RvslInd>true</RvslInd><Sts>BOOK</Sts>\n"
    "<BookgDt><Dt>2026-12-09</Dt></BookgDt><ValDt><DtTm>2026-12-09T00:00:00"
    "</DtTm></ValDt>\n"
    "<AcctSvcrRef>BANK-1</AcctSvcrRef><BkTxCd/>\n"
    "<NtryDtls><TxDtls>\n"                                                /* 11 */
    "<Refs><EndToEndId>CB-2026-0001</EndToEndId></Refs>\n"
    "<Amt Ccy=\"EUR\">25.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>\n"
    "<RmtInf><Ustrd>2026-0001</Ustrd></RmtInf>\n"
    "<RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf>\n"
    "</TxDtls></NtryDtls></Ntry>\n"
    "<Ntry><Amt Ccy=\"EUR\">45</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"        /* 17 */
    "<Sts>BOOK</Sts><BookgDt><DtTm>2026-12-08T14:30:00+01:00</DtTm></BookgDt>\n"
    "<BkTxCd/><NtryDtls><TxDtls>\n"                                       /* 19 */
    "<Refs><AcctSvcrRef>TX-9</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId>"
    "</Refs>\n"
    "<Amt Ccy=\"EUR\">45.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"
    "<RmtInf><Ustrd>Factuur 2026-0003</Ustrd><Ustrd>bedankt</Ustrd>\n"
    "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
    "<Ref>5000000000000017</Ref></CdtrRefInf></Strd></RmtInf>\n"
    "</TxDtls></NtryDtls></Ntry>\n"
    "<Ntry><Amt Ccy=\"EUR\">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"     /* 25 */
    "<Sts>BOOK</Sts><BookgDt><Dt>2026-12-08</Dt></BookgDt><BkTxCd/>\n"
    "<NtryDtls><TxDtls><Refs><EndToEndId>CB-2026-0004</EndToEndId></Refs>\n"
    "<Amt Ccy=\"EUR\">19.99</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>\n"
    "<TxDtls><Refs><EndToEndId>CB-2026-0005</EndToEndId></Refs>\n"       /* 29 */
    "<Amt Ccy=\"EUR\">.01</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>"
    "</NtryDtls></Ntry>\n"
    "<Ntry><Amt Ccy=\"EUR\">3.5</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"       /* 31 */
    "<Sts>PDNG</Sts><BkTxCd/></Ntry>\n"
    "</Stmt>\n"
    "</BkToCstmrStmt>\n"
    "</Document>\n";

/* 3.6 reversal, structured reference, split entry, pending entry */
static void t3_6_handwritten(void **state)
{
    struct bank_statement s;
    read_ok(write_tmp("camt04.xml", camt04, sizeof camt04 - 1), &s);
    assert_string_equal(s.iban, "NL91ABNA0417164300");
    assert_int_equal(s.n, 5);

    const struct bank_entry *b = &s.entries[0];
    entry_is(b, 2500, 0, 1, "2026-12-09", "CB-2026-0001", NULL, "2026-0001", 11);
    assert_int_equal(b->value_date, D("2026-12-09"));
    assert_string_equal(b->account_servicer_ref, "BANK-1");
    assert_string_equal(b->return_reason, "MD06");

    b = &s.entries[1];
    entry_is(b, 4500, 1, 0, "2026-12-08", NULL, "5000000000000017",
             "Factuur 2026-0003 bedankt", 19);
    assert_string_equal(b->account_servicer_ref, "TX-9");
    assert_int_equal(b->value_date, CDATE_NONE);
    assert_null(b->return_reason);

    entry_is(&s.entries[2], 1999, 1, 0, "2026-12-08", "CB-2026-0004", NULL,
             NULL, 27);
    entry_is(&s.entries[3], 1, 1, 0, "2026-12-08", "CB-2026-0005", NULL, NULL, 29);

    b = &s.entries[4];
    assert_int_equal(b->amount_cents, 350);
    assert_string_equal(b->status, "PDNG");
    assert_int_equal(b->booking_date, CDATE_NONE);
    assert_null(b->end_to_end_id);
    assert_int_equal(b->line, 31);
    bank_statement_free(&s);
}

/* Write camt04 with one substring replaced, return its path. */
static const char *variant(const char *name, const char *from, const char *to)
{
    const char *at = strstr(camt04, from);
    assert_non_null(at);
    struct sbuf b = {0};
    sb_addn(&b, camt04, (size_t)(at - camt04));
    sb_add(&b, to);
    sb_add(&b, at + strlen(from));
    const char *p = write_tmp(name, b.s, b.len);
    sb_free(&b);
    return p;
}

/* 3.7 bad input: every error says file, line and what is wrong */
static void t3_7_errors(void **state)
{
    read_fails(write_str("garbage.xml", "garbage\x01\xff"),
               "1: malformed XML: Start tag expected, '<' not found");
    read_fails(write_str("empty.xml", ""),
               "1: empty file, expected a camt.053 statement");
    read_fails(write_tmp("trunc.xml", camt04, 600),
               "12: malformed XML: Premature end of data in tag TxDtls line 11");
    read_fails(write_str("mismatch.xml", "<Document>\n<BkToCstmrStmt>\n"
                                        "</Document>\n"),
               "3: malformed XML: Opening and ending tag mismatch: "
               "BkToCstmrStmt line 2 and Document");
    read_fails(variant("noamt.xml", "<Amt Ccy=\"EUR\">45</Amt>", ""),
               "17: entry (Ntry) has no Amt");
    read_fails(variant("noccy.xml", "<Amt Ccy=\"EUR\">45</Amt>", "<Amt>45</Amt>"),
               "17: Amt needs a Ccy attribute of three capital letters (\"EUR\")");
    read_fails(variant("neg.xml", ">45<", ">-45<"),
               "17: amount '-45' is not a decimal number");
    read_fails(variant("exp.xml", ">45<", ">4.5e1<"),
               "17: amount '4.5e1' is not a decimal number");
    read_fails(variant("huge.xml", ">45<", ">1234567890123456<"),
               "17: amount '1234567890123456' is too large");
    read_fails(variant("baddate.xml", "<Dt>2026-12-09</Dt>", "<Dt>2026-02-30</Dt>"),
               "9: bad date '2026-02-30' (expected YYYY-MM-DD)");
    read_fails(variant("baddttm.xml", "<DtTm>2026-12-08T14:30:00+01:00</DtTm>",
                       "<DtTm>08-12-2026</DtTm>"),
               "18: bad date '08-12-2026' (expected YYYY-MM-DDThh:mm:ss)");
    read_fails(variant("nodate.xml", "<Dt>2026-12-09</Dt>", ""),
               "9: BookgDt has neither Dt nor DtTm");
    read_fails(variant("cdi.xml", "<CdtDbtInd>DBIT</CdtDbtInd>\n<RvslInd>",
                       "<CdtDbtInd>DEBIT</CdtDbtInd>\n<RvslInd>"),
               "7: CdtDbtInd must be CRDT or DBIT, found 'DEBIT'");
    read_fails(variant("rvsl.xml", "<RvslInd>true</RvslInd>",
                       "<RvslInd>yes</RvslInd>"),
               "8: RvslInd must be true or false, found 'yes'");
    read_fails(variant("nosts.xml", "<Sts>PDNG</Sts>", ""),
               "31: entry (Ntry) has no Sts");
    read_fails(variant("split.xml", "<Amt Ccy=\"EUR\">.01</Amt>", ""),
               "29: TxDtls has no amount of its own in an entry with 2 "
               "transactions; the entry amount cannot be split");
    read_fails(variant("ns.xml", "camt.053.001.04", "camt.052.001.04"),
               "2: not a camt.053 statement: namespace "
               "'urn:iso:std:iso:20022:tech:xsd:camt.052.001.04'");
    read_fails(write_str("root.xml", "<?xml version=\"1.0\"?>\n<Invoice/>\n"),
               "2: not a camt.053 statement: the root element is <Invoice>, "
               "expected <Document>");
    read_fails(write_str("pain.xml", "<Document>\n  <CstmrDrctDbtInitn/>\n"
                                    "</Document>\n"),
               "2: not a camt.053 statement: Document contains "
               "<CstmrDrctDbtInitn>, expected <BkToCstmrStmt>");

    /* our own pain.008 is not a statement either */
    struct sepa_creditor p = practice();
    struct dd_tx tx[5];
    struct err e;
    batch(tx);
    const char *out = tpath("pain008.xml");
    assert_int_equal(sepa_write_pain008(&p, "M", "2026-11-23T09:00:00", tx, 5,
                                        out, &e), 0);
    read_fails(out, "2: not a camt.053 statement: namespace "
                    "'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02'");

    struct bank_statement s;
    assert_int_equal(camt053_read(tpath("missing.xml"), &s, &e), -1);
    assert_non_null(strstr(e.msg, "missing.xml: No such file or directory"));
    assert_int_equal(camt053_read(tmpdir, &s, &e), -1);
    assert_non_null(strstr(e.msg, ": not a regular file"));
}

/* 3.8 a DOCTYPE is refused before any entity is read or expanded */
static void t3_8_xxe(void **state)
{
    static const char xxe[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE Document [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n"
        "<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"EUR\">1.00</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls><TxDtls>"
        "<Refs><EndToEndId>&x;</EndToEndId></Refs><RmtInf><Ustrd>&x;</Ustrd>"
        "</RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt>"
        "</Document>\n";
    static const char ext[] =
        "<?xml version=\"1.0\"?>\n\n"
        "<!DOCTYPE Document SYSTEM \"file:///etc/passwd\">\n"
        "<Document><BkToCstmrStmt><Stmt/></BkToCstmrStmt></Document>\n";
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;"
        "&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
        "<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"EUR\">1</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Sts>&c;</Sts></Ntry></Stmt>"
        "</BkToCstmrStmt></Document>\n";
    static const char undefined[] =
        "<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy=\"EUR\">1</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Sts>&x;</Sts></Ntry></Stmt>"
        "</BkToCstmrStmt></Document>\n";
    const char *msg = "DOCTYPE is not allowed in a bank statement (entities "
                      "are never expanded)";
    char want[256];

    snprintf(want, sizeof want, "2: %s", msg);
    read_fails(write_tmp("xxe.xml", xxe, sizeof xxe - 1), want);
    snprintf(want, sizeof want, "3: %s", msg);
    read_fails(write_tmp("ext.xml", ext, sizeof ext - 1), want);
    snprintf(want, sizeof want, "2: %s", msg);
    read_fails(write_tmp("bomb.xml", bomb, sizeof bomb - 1), want);
    read_fails(write_tmp("undef.xml", undefined, sizeof undefined - 1),
               "1: malformed XML: Entity 'x' not defined");

    /* nothing of the file reached the message */
    struct err e;
    struct bank_statement s;
    assert_int_equal(camt053_read(tpath("xxe.xml"), &s, &e), -1);
    assert_null(strstr(e.msg, "root:"));
}

/* 3.9 robustness: truncated at every length and randomly mutated copies
 * of a real statement either parse or fail with "file:line: ..." */
static void t3_9_fuzz(void **state)
{
    struct err e;
    size_t len;
    char *orig = file_read(SAMPLES "camt053.v2.multi.statement.xml", &len, &e);
    assert_non_null(orig);
    char *buf = xmalloc(len + 1);
    const char *path = tpath("fuzz.xml");
    size_t plen = strlen(path);
    size_t ok = 0, failed = 0;
    uint32_t seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 8))

    for (size_t cut = 0; cut < len; cut += 37) {
        write_tmp("fuzz.xml", orig, cut);
        struct bank_statement s;
        if (camt053_read(path, &s, &e) == 0) {
            ok++;
            bank_statement_free(&s);
        } else {
            failed++;
            assert_memory_equal(e.msg, path, plen);
            assert_true(e.msg[plen] == ':' && e.msg[plen + 1] >= '1' &&
                        e.msg[plen + 1] <= '9');
        }
    }
    static const char *const junk[] = {
        "<", ">", "&", "&amp;", "]]>", "<![CDATA[", "\"", "\xff", "\xc3",
        "<Ntry>", "</Ntry>", "<TxDtls>", "<Amt Ccy=\"EUR\">", "99999999999999999",
        ".", "0", "<!DOCTYPE x>", "<?pi?>", "<!--", "-->", "\n",
    };
    for (int iter = 0; iter < 1500; iter++) {
        memcpy(buf, orig, len);
        struct sbuf b = {0};
        size_t pos = 0;
        int edits = 1 + (int)(RND() % 4);
        for (int k = 0; k < edits && pos < len; k++) {
            size_t at = pos + RND() % (len - pos);
            sb_addn(&b, buf + pos, at - pos);
            switch (RND() % 3) {
            case 0: sb_addc(&b, (char)(RND() & 0xFF)); at++; break;
            case 1: sb_add(&b, junk[RND() % (sizeof junk / sizeof junk[0])]); break;
            default: at += RND() % 64; break; /* delete a run */
            }
            pos = at < len ? at : len;
        }
        sb_addn(&b, buf + pos, len - pos);
        write_tmp("fuzz.xml", b.s, b.len);
        sb_free(&b);
        struct bank_statement s;
        if (camt053_read(path, &s, &e) == 0) {
            ok++;
            bank_statement_free(&s);
        } else {
            failed++;
            assert_memory_equal(e.msg, path, plen);
            assert_true(e.msg[plen] == ':' && e.msg[plen + 1] >= '1' &&
                        e.msg[plen + 1] <= '9');
        }
    }
    assert_true(ok > 0 && failed > 0);
    free(buf);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t1_1_text),
        cmocka_unit_test(t2_1_batch),
        cmocka_unit_test(t2_2_deterministic),
        cmocka_unit_test(t2_3_bad_iban),
        cmocka_unit_test(t2_4_bad_creditor),
        cmocka_unit_test(t2_5_zero_amount),
        cmocka_unit_test(t2_6_other_refusals),
        cmocka_unit_test(t3_1_minimal),
        cmocka_unit_test(t3_2_multi_statement),
        cmocka_unit_test(t3_3_party_ids),
        cmocka_unit_test(t3_4_five_decimals),
        cmocka_unit_test(t3_5_wrong),
        cmocka_unit_test(t3_6_handwritten),
        cmocka_unit_test(t3_7_errors),
        cmocka_unit_test(t3_8_xxe),
        cmocka_unit_test(t3_9_fuzz),
    };
    return cmocka_run_group_tests_name("sepa", tests, setup, teardown);
}
