/*
 * test_ubl.c — the Peppol UBL writer (render/ubl.h) and the checks it
 * relies on (electronic addresses, the einvoice setting). Invoices are
 * built in C as the ledger would return them, written into memory, parsed
 * back with libxml2 and asked for single elements by XPath, so each case
 * states the exact amounts and codes a receiving system reads. The
 * validation kit's verdict on whole documents is tests/scripts/einvoice.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "base/util.h"
#include "decide/invoice.h"
#include "decide/subscription.h"
#include "render/ubl.h"
#include "rules/rules.h"

#define EXEMPT_TEXT "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)"

static struct practice practice = {
    .name = "Fysiotherapie De Linde",
    .address = "Lindelaan 12\n3511 AB Utrecht",
    .kvk = "12345678",
    .vat_number = "NL001234560B01",
    .iban = "NL91 ABNA 0417 1643 00",
    .bic = "ABNANL2A",
    .creditor_id = "NL69ZZZ123456780000",
    .currency = "EUR",
    .email = "administratie@delinde.example",
    .prices_include_vat = 1,
};

/* ================================================================ helpers */

/* Invoice `number` to Sportclub De Linde (Utrecht), issued 2026-01-01,
 * due 2026-01-15, prices including VAT, no lines yet. */
static void invoice_init(struct invoice *inv, const char *number,
                         enum invoice_kind kind)
{
    memset(inv, 0, sizeof *inv);
    inv->number = xstrdup(number);
    inv->kind = kind;
    inv->to.id = xstrdup("linde");
    inv->to.name = xstrdup("Sportclub De Linde");
    inv->to.email = xstrdup("fin@linde.example");
    inv->to.address = xstrdup("Parkweg 3\n3512 AB Utrecht");
    inv->to.vat_number = xstrdup("NL123456782B01");
    inv->issued = date_from_ymd(2026, 1, 1);
    inv->due = date_from_ymd(2026, 1, 15);
    inv->prices_include_vat = 1;
    inv->payment_reference = xstrdup("2000000202600001");
}

static xmlDocPtr doc;
static xmlXPathContextPtr xpc;

/* Write d and parse the result for xp(); the error text when refused. */
static const char *write_doc(const struct ubl_doc *d)
{
    static struct err e;
    char *buf;
    size_t len;
    if (xpc)
        xmlXPathFreeContext(xpc), xpc = NULL;
    if (doc)
        xmlFreeDoc(doc), doc = NULL;
    memset(&e, 0, sizeof e);
    if (ubl_write_buf(d, &buf, &len, &e) != 0) {
        assert_null(buf);
        return e.msg;
    }
    assert_int_equal(strlen(buf), len);
    doc = xmlReadMemory(buf, (int)len, "ubl.xml", NULL, XML_PARSE_NONET);
    free(buf);
    assert_non_null(doc);
    xpc = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(xpc, BAD_CAST "inv",
                       BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
    xmlXPathRegisterNs(xpc, BAD_CAST "cn",
                       BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2");
    xmlXPathRegisterNs(xpc, BAD_CAST "cac",
                       BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:"
                                "CommonAggregateComponents-2");
    xmlXPathRegisterNs(xpc, BAD_CAST "cbc",
                       BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:"
                                "CommonBasicComponents-2");
    return NULL;
}

/* The string value of XPath expression `path` (printf-style) in the
 * document last written; "" when it selects nothing. */
static const char *xp(const char *fmt, ...)
{
    static char out[4][512];
    static int k;
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    char expr[600];
    snprintf(expr, sizeof expr, "string(%s)", path);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xpc);
    assert_non_null(o);
    k = (k + 1) % 4;
    snprintf(out[k], sizeof out[k], "%s", o->stringval ? (char *)o->stringval : "");
    xmlXPathFreeObject(o);
    return out[k];
}

/* The refusal of d (fails when d is written). */
static const char *why(const struct ubl_doc *d)
{
    const char *msg = write_doc(d);
    if (!msg)
        fail_msg("invoice %s was written, a refusal was expected", d->inv->number);
    return msg;
}

static int count(const char *path)
{
    char expr[600];
    snprintf(expr, sizeof expr, "count(%s)", path);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xpc);
    assert_non_null(o);
    int n = (int)o->floatval;
    xmlXPathFreeObject(o);
    return n;
}

#define LMT "/inv:Invoice/cac:LegalMonetaryTotal/"
#define TAX "/inv:Invoice/cac:TaxTotal/"
#define LINE(n) "/inv:Invoice/cac:InvoiceLine[" #n "]/"

static int teardown(void **state)
{
    (void)state;
    if (xpc)
        xmlXPathFreeContext(xpc), xpc = NULL;
    if (doc)
        xmlFreeDoc(doc), doc = NULL;
    return 0;
}

/* ================================================================ 1 21% */

/* 3 x 12.99 and 60.50 at 21%, prices including VAT: stored VAT summary
 * base round(99.47 / 1.21) = 82.21, VAT 17.26. */
static void invoice_21(struct invoice *inv)
{
    invoice_init(inv, "2026-00001", INV_PRODUCT);
    invoice_add_line(inv, "Kinesiotape (rol)", 300, 1299, "hoog", 2100, 0, NULL)
        ->ref = xstrdup("tape");
    struct invoice_line *l = invoice_add_line(inv, "Sportmassage januari", 100,
                                              6050, "hoog", 2100, 0, NULL);
    l->source = xstrdup("subscription");
    l->period_start = date_from_ymd(2026, 1, 1);
    l->period_end = date_from_ymd(2026, 1, 31);
    invoice_totals(inv);
}

/* 1.1 the document: Peppol identifiers, number, dates, type, currency */
static void t_21_header(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp("/inv:Invoice/cbc:CustomizationID"),
                        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:"
                        "2017:poacc:billing:3.0");
    assert_string_equal(xp("/inv:Invoice/cbc:ProfileID"),
                        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
    assert_string_equal(xp("/inv:Invoice/cbc:ID"), "2026-00001");
    assert_string_equal(xp("/inv:Invoice/cbc:IssueDate"), "2026-01-01");
    assert_string_equal(xp("/inv:Invoice/cbc:DueDate"), "2026-01-15");
    assert_string_equal(xp("/inv:Invoice/cbc:InvoiceTypeCode"), "380");
    assert_string_equal(xp("/inv:Invoice/cbc:DocumentCurrencyCode"), "EUR");
    assert_string_equal(xp("/inv:Invoice/cbc:BuyerReference"), "linde");
    assert_int_equal(count("//cac:BillingReference"), 0);
    invoice_free(&inv);
}

/* 1.2 the parties: endpoints with schemes, addresses, VAT and KvK ids */
static void t_21_parties(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
#define SP "/inv:Invoice/cac:AccountingSupplierParty/cac:Party/"
#define BP "/inv:Invoice/cac:AccountingCustomerParty/cac:Party/"
    assert_string_equal(xp(SP "cbc:EndpointID/@schemeID"), "0106");
    assert_string_equal(xp(SP "cbc:EndpointID"), "12345678");
    assert_string_equal(xp(SP "cac:PostalAddress/cbc:StreetName"), "Lindelaan 12");
    assert_string_equal(xp(SP "cac:PostalAddress/cbc:PostalZone"), "3511 AB");
    assert_string_equal(xp(SP "cac:PostalAddress/cbc:CityName"), "Utrecht");
    assert_string_equal(xp(SP "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
                        "NL");
    assert_string_equal(xp(SP "cac:PartyTaxScheme/cbc:CompanyID"), "NL001234560B01");
    assert_string_equal(xp(SP "cac:PartyLegalEntity/cbc:CompanyID/@schemeID"), "0106");
    assert_string_equal(xp(SP "cac:PartyLegalEntity/cbc:RegistrationName"),
                        "Fysiotherapie De Linde");
    assert_string_equal(xp(BP "cbc:EndpointID/@schemeID"), "0106");
    assert_string_equal(xp(BP "cbc:EndpointID"), "87654321");
    assert_string_equal(xp(BP "cac:PartyName/cbc:Name"), "Sportclub De Linde");
    assert_string_equal(xp(BP "cac:PostalAddress/cbc:PostalZone"), "3512 AB");
    assert_string_equal(xp(BP "cac:PartyTaxScheme/cbc:CompanyID"), "NL123456782B01");
    assert_string_equal(xp(BP "cac:Contact/cbc:ElectronicMail"), "fin@linde.example");
    invoice_free(&inv);
}

/* 1.3 the amounts: net per line from the stored summary, one S 21%
 * breakdown, totals; prices net of VAT */
static void t_21_amounts(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    assert_int_equal(inv.vats[0].base_cents, 8221);
    assert_int_equal(inv.vats[0].vat_cents, 1726);
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(TAX "cbc:TaxAmount"), "17.26");
    assert_string_equal(xp(TAX "cbc:TaxAmount/@currencyID"), "EUR");
    assert_int_equal(count(TAX "cac:TaxSubtotal"), 1);
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cbc:TaxableAmount"), "82.21");
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cbc:TaxAmount"), "17.26");
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cac:TaxCategory/cbc:ID"), "S");
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cac:TaxCategory/cbc:Percent"), "21");
    assert_int_equal(count("//cbc:TaxExemptionReasonCode"), 0);
    assert_string_equal(xp(LMT "cbc:LineExtensionAmount"), "82.21");
    assert_string_equal(xp(LMT "cbc:TaxExclusiveAmount"), "82.21");
    assert_string_equal(xp(LMT "cbc:TaxInclusiveAmount"), "99.47");
    assert_string_equal(xp(LMT "cbc:PayableAmount"), "99.47");
    assert_int_equal(count(LMT "cbc:PayableRoundingAmount"), 0);
    /* 38.97 / 1.21 = 32.206..., 60.50 / 1.21 = 50: 32.21 + 50.00 */
    assert_string_equal(xp(LINE(1) "cbc:InvoicedQuantity"), "3");
    assert_string_equal(xp(LINE(1) "cbc:InvoicedQuantity/@unitCode"), "C62");
    assert_string_equal(xp(LINE(1) "cbc:LineExtensionAmount"), "32.21");
    assert_string_equal(xp(LINE(1) "cac:Price/cbc:PriceAmount"), "10.736667");
    assert_string_equal(xp(LINE(1) "cac:Item/cbc:Name"), "Kinesiotape (rol)");
    assert_string_equal(xp(LINE(1) "cac:Item/cac:SellersItemIdentification/cbc:ID"),
                        "tape");
    assert_string_equal(xp(LINE(1) "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"), "S");
    assert_string_equal(xp(LINE(1) "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
                        "21");
    assert_int_equal(count(LINE(1) "cac:InvoicePeriod"), 0);
    assert_string_equal(xp(LINE(2) "cbc:LineExtensionAmount"), "50.00");
    assert_string_equal(xp(LINE(2) "cac:Price/cbc:PriceAmount"), "50.00");
    assert_string_equal(xp(LINE(2) "cac:InvoicePeriod/cbc:StartDate"), "2026-01-01");
    assert_string_equal(xp(LINE(2) "cac:InvoicePeriod/cbc:EndDate"), "2026-01-31");
    invoice_free(&inv);
}

/* 1.4 credit transfer: code 58, the practice's IBAN without spaces, its
 * BIC, the payment reference */
static void t_21_payment(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
#define PM "/inv:Invoice/cac:PaymentMeans/"
    assert_string_equal(xp(PM "cbc:PaymentMeansCode"), "58");
    assert_string_equal(xp(PM "cbc:PaymentID"), "2000000202600001");
    assert_string_equal(xp(PM "cac:PayeeFinancialAccount/cbc:ID"), "NL91ABNA0417164300");
    assert_string_equal(xp(PM "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
                        "ABNANL2A");
    assert_int_equal(count(PM "cac:PaymentMandate"), 0);
    invoice_free(&inv);
}

/* 1.5 prices excluding VAT: the stored net amounts and unit prices, VAT
 * round(base x 21%) */
static void t_21_excl(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_init(&inv, "2026-00002", INV_PRODUCT);
    inv.prices_include_vat = 0;
    invoice_add_line(&inv, "Kinesiotape (rol)", 700, 1299, "hoog", 2100, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.vats[0].vat_cents, 1910); /* 90.93 x 0.21 = 19.0953 */
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(LINE(1) "cbc:LineExtensionAmount"), "90.93");
    assert_string_equal(xp(LINE(1) "cac:Price/cbc:PriceAmount"), "12.99");
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cbc:TaxableAmount"), "90.93");
    assert_string_equal(xp(TAX "cbc:TaxAmount"), "19.10");
    assert_string_equal(xp(LMT "cbc:PayableAmount"), "110.03");
    invoice_free(&inv);
}

/* 1.6 direct debit: code 59, mandate, the debtor's IBAN, the creditor id
 * as the seller's SEPA identification */
static void t_21_direct_debit(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    inv.direct_debit = 1;
    inv.to.iban = xstrdup("NL91ABNA0417164300");
    struct ubl_doc d = {&inv, &practice, "0106:87654321", "M-ZUID-1", CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(PM "cbc:PaymentMeansCode"), "59");
    assert_string_equal(xp(PM "cac:PaymentMandate/cbc:ID"), "M-ZUID-1");
    assert_string_equal(xp(PM "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
                        "NL91ABNA0417164300");
    assert_string_equal(xp(SP "cac:PartyIdentification/cbc:ID"), "NL69ZZZ123456780000");
    assert_string_equal(xp(SP "cac:PartyIdentification/cbc:ID/@schemeID"), "SEPA");
    /* without the mandate it is refused */
    d.mandate_id = NULL;
    assert_non_null(strstr(why(&d), "no mandate"));
    invoice_free(&inv);
}

/* ================================================================ 2 exempt */

/* 2.1 exempt care: category E at 0%, the exemption code and the stored
 * text, no VAT */
static void t_exempt(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_init(&inv, "2026-00003", INV_SUBSCRIPTION);
    invoice_add_line(&inv, "Fysio Fit januari", 100, 4500, "vrijgesteld", 0, 1,
                     EXEMPT_TEXT);
    invoice_add_line(&inv, "Tienrittenkaart", 100, 42500, "vrijgesteld", 0, 1,
                     EXEMPT_TEXT);
    invoice_totals(&inv);
    struct ubl_doc d = {&inv, &practice, "0208:0123456749", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(TAX "cbc:TaxAmount"), "0.00");
    assert_int_equal(count(TAX "cac:TaxSubtotal"), 1);
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cbc:TaxableAmount"), "470.00");
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cbc:TaxAmount"), "0.00");
#define TC TAX "cac:TaxSubtotal/cac:TaxCategory/"
    assert_string_equal(xp(TC "cbc:ID"), "E");
    assert_string_equal(xp(TC "cbc:Percent"), "0");
    assert_string_equal(xp(TC "cbc:TaxExemptionReasonCode"), "VATEX-EU-132-1C");
    assert_string_equal(xp(TC "cbc:TaxExemptionReason"), EXEMPT_TEXT);
    assert_string_equal(xp(TC "cac:TaxScheme/cbc:ID"), "VAT");
    assert_string_equal(xp(LINE(2) "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"), "E");
    assert_int_equal(count("//cac:ClassifiedTaxCategory/cbc:TaxExemptionReason"), 0);
    assert_string_equal(xp(LINE(2) "cbc:LineExtensionAmount"), "425.00");
    assert_string_equal(xp(LMT "cbc:TaxInclusiveAmount"), "470.00");
    assert_string_equal(xp(LMT "cbc:PayableAmount"), "470.00");
    /* a Belgian buyer: its enterprise number is also its legal id */
    assert_string_equal(xp(BP "cbc:EndpointID/@schemeID"), "0208");
    assert_string_equal(xp(BP "cac:PartyLegalEntity/cbc:CompanyID"), "0123456749");
    invoice_free(&inv);
}

/* 2.2 another exemption code when the caller gives one; a zero rate that
 * is not exempt is Z without a reason */
static void t_exempt_code_and_zero(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_init(&inv, "2026-00004", INV_PRODUCT);
    invoice_add_line(&inv, "Behandeling", 100, 4750, "vrijgesteld", 0, 1,
                     EXEMPT_TEXT);
    invoice_add_line(&inv, "Export", 100, 1000, "nul", 0, 0, NULL);
    invoice_totals(&inv);
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        "VATEX-EU-132-1B", NULL, 0};
    assert_null(write_doc(&d));
    assert_int_equal(count(TAX "cac:TaxSubtotal"), 2);
    assert_string_equal(xp(TAX "cac:TaxSubtotal[1]/cac:TaxCategory/cbc:TaxExemptionReasonCode"),
                        "VATEX-EU-132-1B");
    assert_string_equal(xp(TAX "cac:TaxSubtotal[2]/cac:TaxCategory/cbc:ID"), "Z");
    assert_int_equal(count(TAX "cac:TaxSubtotal[2]/cac:TaxCategory/cbc:TaxExemptionReason"), 0);
    assert_string_equal(xp(TAX "cac:TaxSubtotal[2]/cbc:TaxableAmount"), "10.00");
    invoice_free(&inv);
}

/* ================================================================ 3 credit */

/* 3.1 a full credit note of invoice_21's invoice: CreditNote 381 with
 * the corrected invoice and its date, every amount positive, no payment
 * means, no due date */
static void t_credit_note(void **state)
{
    (void)state;
    struct invoice orig, cn;
    invoice_21(&orig);
    invoice_init(&cn, "2026-00009", INV_CREDIT);
    cn.credit_of = xstrdup("2026-00001");
    cn.issued = cn.due = date_from_ymd(2026, 1, 20);
    for (size_t i = 0; i < orig.n_lines; i++) {
        const struct invoice_line *l = &orig.lines[i];
        struct invoice_line *c = invoice_add_line(&cn, l->description, l->qty100,
                                                  -l->unit_cents, l->vat_id,
                                                  l->vat_bp, 0, NULL);
        c->amount_cents = -l->amount_cents;
    }
    invoice_totals(&cn);
    assert_int_equal(cn.total_cents, -9947);
    struct ubl_doc d = {&cn, &practice, "0106:87654321", NULL,
                        date_from_ymd(2026, 1, 1), NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_int_equal(count("/cn:CreditNote"), 1);
    assert_string_equal(xp("/cn:CreditNote/cbc:CreditNoteTypeCode"), "381");
    assert_string_equal(xp("/cn:CreditNote/cbc:IssueDate"), "2026-01-20");
    assert_int_equal(count("/cn:CreditNote/cbc:DueDate"), 0);
    assert_string_equal(xp("/cn:CreditNote/cac:BillingReference/"
                           "cac:InvoiceDocumentReference/cbc:ID"), "2026-00001");
    assert_string_equal(xp("/cn:CreditNote/cac:BillingReference/"
                           "cac:InvoiceDocumentReference/cbc:IssueDate"), "2026-01-01");
    assert_int_equal(count("/cn:CreditNote/cac:PaymentMeans"), 0);
    assert_string_equal(xp("/cn:CreditNote/cac:TaxTotal/cbc:TaxAmount"), "17.26");
    assert_string_equal(xp("/cn:CreditNote/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"),
                        "82.21");
    assert_string_equal(xp("/cn:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount"),
                        "99.47");
    assert_string_equal(xp("/cn:CreditNote/cac:CreditNoteLine[1]/cbc:CreditedQuantity"),
                        "3");
    assert_string_equal(xp("/cn:CreditNote/cac:CreditNoteLine[1]/cbc:LineExtensionAmount"),
                        "32.21");
    assert_string_equal(xp("/cn:CreditNote/cac:CreditNoteLine[1]/cac:Price/cbc:PriceAmount"),
                        "10.736667");
    assert_string_equal(xp("/cn:CreditNote/cac:CreditNoteLine[2]/cbc:LineExtensionAmount"),
                        "50.00");
    assert_int_equal(count("//cbc:InvoicedQuantity"), 0);
    invoice_free(&orig);
    invoice_free(&cn);
}

/* 3.2 a partial credit note (one line "Correction", exempt) */
static void t_credit_partial(void **state)
{
    (void)state;
    struct invoice cn;
    invoice_init(&cn, "2026-00010", INV_CREDIT);
    cn.credit_of = xstrdup("2026-00003");
    invoice_add_line(&cn, "Correction to invoice 2026-00003", 100, -1000,
                     "vrijgesteld", 0, 1, EXEMPT_TEXT);
    invoice_totals(&cn);
    struct ubl_doc d = {&cn, &practice, "0106:87654321", NULL,
                        date_from_ymd(2026, 1, 1), NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp("/cn:CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity"), "1");
    assert_string_equal(xp("/cn:CreditNote/cac:CreditNoteLine/cac:Price/cbc:PriceAmount"),
                        "10.00");
    assert_string_equal(xp("/cn:CreditNote/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/"
                           "cbc:TaxExemptionReason"), EXEMPT_TEXT);
    assert_string_equal(xp("/cn:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount"),
                        "10.00");
    invoice_free(&cn);
}

/* ================================================================ 4 sums */

/* 4.1 the cents of a rate are shared so the lines add up to its stored
 * net: three lines of 0.01 incl. 21% have a net of round(0.03 / 1.21) =
 * 0.02, not 3 x round(0.01 / 1.21) = 0.03 */
static void t_nets_add_up(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_init(&inv, "2026-00005", INV_PRODUCT);
    for (int i = 0; i < 3; i++)
        invoice_add_line(&inv, "Kleinigheid", 100, 1, "hoog", 2100, 0, NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.vats[0].base_cents, 2);
    int64_t net[3];
    ubl_line_nets(&inv, net);
    assert_int_equal(net[0], 0);
    assert_int_equal(net[1], 1);
    assert_int_equal(net[2], 1);
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(LMT "cbc:LineExtensionAmount"), "0.02");
    assert_string_equal(xp(TAX "cbc:TaxAmount"), "0.01");
    assert_string_equal(xp(LINE(1) "cbc:LineExtensionAmount"), "0.00");
    assert_string_equal(xp(LINE(1) "cac:Price/cbc:PriceAmount"), "0.00");
    invoice_free(&inv);
}

/* 4.2 many lines at two rates: for each rate the line nets add up to
 * the stored net, each within a cent of its exact share */
static void t_nets_many(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_init(&inv, "2026-00006", INV_PRODUCT);
    for (int i = 1; i <= 40; i++)
        invoice_add_line(&inv, "Artikel", 100 * (i % 3 + 1), 7 * i + 3,
                         i % 2 ? "hoog" : "laag", i % 2 ? 2100 : 900, 0, NULL);
    invoice_totals(&inv);
    int64_t net[40], sum[2] = {0, 0};
    ubl_line_nets(&inv, net);
    for (int i = 0; i < 40; i++) {
        const struct invoice_line *l = &inv.lines[i];
        int32_t bp = l->vat_bp;
        sum[bp == 2100] += net[i];
        /* |net - amount / (1 + rate)| < 1 cent */
        int64_t diff = net[i] * (10000 + bp) - l->amount_cents * 10000;
        assert_true(diff < 10000 + bp && diff > -(10000 + bp));
    }
    assert_int_equal(sum[1], inv.vats[0].base_cents);
    assert_int_equal(sum[0], inv.vats[1].base_cents);
    invoice_free(&inv);
}

/* 4.3 a stored total that differs from net + VAT keeps the ledger's
 * amount due through PayableRoundingAmount */
static void t_rounding_field(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    inv.total_cents += 1; /* as if an older release had rounded otherwise */
    struct ubl_doc d = {&inv, &practice, "0106:87654321", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(LMT "cbc:TaxInclusiveAmount"), "99.47");
    assert_string_equal(xp(LMT "cbc:PayableRoundingAmount"), "0.01");
    assert_string_equal(xp(LMT "cbc:PayableAmount"), "99.48");
    invoice_free(&inv);
}

/* ================================================================ 5 refusals */

/* 5.1 what cannot become a valid e-invoice is refused, saying why */
static void t_refusals(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    struct ubl_doc d = {&inv, &practice, NULL, NULL, CDATE_NONE, NULL, NULL, 0};
    assert_non_null(strstr(why(&d), "has no electronic address"));
    d.buyer_endpoint = "0106:1234";
    assert_non_null(strstr(why(&d), "not a Dutch KvK number"));
    d.buyer_endpoint = "0106:87654321";

    struct practice p = practice;
    p.vat_number = NULL;
    d.p = &p;
    assert_non_null(strstr(why(&d), "vat_number"));
    p = practice;
    p.kvk = "123";
    assert_non_null(strstr(why(&d), "practice kvk"));
    p = practice;
    p.address = "Utrecht";
    assert_non_null(strstr(why(&d), "postcode city"));
    p = practice;
    p.iban = NULL;
    assert_non_null(strstr(why(&d), "iban"));
    d.p = &practice;

    free(inv.to.address);
    inv.to.address = NULL;
    assert_non_null(strstr(why(&d), "street, postcode and city"));
    inv.to.address = xstrdup("Parkweg 3\n3512 AB Utrecht");
    free(inv.to.vat_number);
    inv.to.vat_number = xstrdup("123456789B01");
    assert_non_null(strstr(why(&d), "country code"));
    invoice_free(&inv);
}

/* ======================================================= 6 a supplier's */

/* The supplier in whose name the agency invoices, as usecase/einvoice.c
 * puts it in the seller's place. */
static const struct practice supplier = {
    .name = "Anna de Wit",
    .address = "Kade 2\n3512 AB Utrecht",
    .kvk = "34567812",
    .vat_number = "NL002345675B01",
    .iban = "NL56 AGDH 9619 0084 21",
    .currency = "EUR",
    .email = "anna@example.nl",
};

/* 6.1 on behalf of a supplier: an ordinary invoice (380) with the
 * supplier as seller and the agency (the practice) as payee: PayeeParty,
 * the agency's IBAN; exempt care without an exemption code ("", the
 * small-business scheme) keeps its text */
static void t_on_behalf(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_init(&inv, "anna-2027-0001", INV_ON_BEHALF);
    inv.prices_include_vat = 0;
    invoice_add_line(&inv, "Zorguren januari 2027", 400, 4250, "vrijgesteld", 0,
                     1, EXEMPT_TEXT)->source = xstrdup("hours");
    invoice_totals(&inv);
    struct ubl_doc d = {&inv, &supplier, "0106:45678901", NULL, CDATE_NONE, "",
                        &practice, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp("/inv:Invoice/cbc:InvoiceTypeCode"), "380");
    assert_string_equal(xp("/inv:Invoice/cbc:ProfileID"),
                        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
    assert_string_equal(xp(SP "cbc:EndpointID"), "34567812");
    assert_string_equal(xp(SP "cac:PartyName/cbc:Name"), "Anna de Wit");
    assert_string_equal(xp(SP "cac:PartyTaxScheme/cbc:CompanyID"), "NL002345675B01");
    assert_string_equal(xp("/inv:Invoice/cac:PayeeParty/cac:PartyName/cbc:Name"),
                        "Fysiotherapie De Linde");
    assert_string_equal(xp("/inv:Invoice/cac:PayeeParty/cac:PartyLegalEntity/"
                           "cbc:CompanyID"), "12345678");
#define PM "/inv:Invoice/cac:PaymentMeans/"
    assert_string_equal(xp(PM "cac:PayeeFinancialAccount/cbc:ID"),
                        "NL91ABNA0417164300");
    assert_string_equal(xp(PM "cac:PayeeFinancialAccount/cbc:Name"),
                        "Fysiotherapie De Linde");
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cac:TaxCategory/cbc:ID"), "E");
    assert_int_equal(count("//cbc:TaxExemptionReasonCode"), 0);
    assert_string_equal(xp(TAX "cac:TaxSubtotal/cac:TaxCategory/"
                               "cbc:TaxExemptionReason"), EXEMPT_TEXT);
    assert_string_equal(xp(LMT "cbc:PayableAmount"), "170.00");

    /* a self-billed invoice is paid to the supplier: no payee party */
    inv.kind = INV_SELFBILL;
    d.payee = NULL;
    assert_null(write_doc(&d));
    assert_string_equal(xp("/inv:Invoice/cbc:InvoiceTypeCode"), "389");
    assert_int_equal(count("//cac:PayeeParty"), 0);
    assert_string_equal(xp(PM "cac:PayeeFinancialAccount/cbc:ID"),
                        "NL56AGDH9619008421");
    invoice_free(&inv);
}

/* 6.2 the credit note of a self-billed invoice: a self-billing CreditNote
 * (261) under the self-billing identifiers, referring to the invoice it
 * corrects, the supplier still the seller */
static void t_self_billed_credit(void **state)
{
    (void)state;
    struct invoice cn;
    invoice_init(&cn, "bram-2027-0002", INV_CREDIT);
    cn.prices_include_vat = 0;
    cn.credit_of = xstrdup("bram-2027-0001");
    invoice_add_line(&cn, "Correctie", 100, -827, "hoog", 2100, 0, NULL);
    invoice_totals(&cn);
    struct ubl_doc d = {&cn, &supplier, "0106:87654321", NULL,
                        date_from_ymd(2027, 1, 31), NULL, NULL, 1};
    assert_null(write_doc(&d));
    assert_string_equal(xp("/cn:CreditNote/cbc:CreditNoteTypeCode"), "261");
    assert_string_equal(xp("/cn:CreditNote/cbc:CustomizationID"),
                        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:"
                        "2017:poacc:selfbilling:3.0");
    assert_string_equal(xp("/cn:CreditNote/cbc:ProfileID"),
                        "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0");
    assert_string_equal(xp("/cn:CreditNote/cac:BillingReference/"
                           "cac:InvoiceDocumentReference/cbc:ID"), "bram-2027-0001");
    assert_string_equal(xp("/cn:CreditNote/cac:AccountingSupplierParty/cac:Party/"
                           "cac:PartyName/cbc:Name"), "Anna de Wit");
    assert_string_equal(xp("/cn:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount"),
                        "10.01");
    /* a credit note of an ordinary invoice stays 381 */
    d.self_billed_credit = 0;
    assert_null(write_doc(&d));
    assert_string_equal(xp("/cn:CreditNote/cbc:CreditNoteTypeCode"), "381");
    assert_string_equal(xp("/cn:CreditNote/cbc:ProfileID"),
                        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
    invoice_free(&cn);
}

/* 5.2 a Belgian buyer without a Dutch address rule; an address with a
 * country line and a "B-1000" postcode */
static void t_belgian_address(void **state)
{
    (void)state;
    struct invoice inv;
    invoice_21(&inv);
    free(inv.to.address);
    inv.to.address = xstrdup("Kiné Bruxelles\nRue Haute 5\nB-1000 Bruxelles\nBelgique");
    free(inv.to.vat_number);
    inv.to.vat_number = xstrdup("BE 0123.456.749");
    struct ubl_doc d = {&inv, &practice, "9925:BE0123456749", NULL, CDATE_NONE,
                        NULL, NULL, 0};
    assert_null(write_doc(&d));
    assert_string_equal(xp(BP "cac:PostalAddress/cbc:StreetName"), "Kiné Bruxelles");
    assert_string_equal(xp(BP "cac:PostalAddress/cbc:AdditionalStreetName"), "Rue Haute 5");
    assert_string_equal(xp(BP "cac:PostalAddress/cbc:PostalZone"), "1000");
    assert_string_equal(xp(BP "cac:PostalAddress/cbc:CityName"), "Bruxelles");
    assert_string_equal(xp(BP "cac:PostalAddress/cac:Country/cbc:IdentificationCode"), "BE");
    assert_string_equal(xp(BP "cac:PartyTaxScheme/cbc:CompanyID"), "BE0123456749");
    assert_int_equal(count(BP "cac:PartyLegalEntity/cbc:CompanyID"), 0);
    /* a Belgian practice without kvk: its VAT number is its address */
    struct practice p = practice;
    p.kvk = NULL;
    p.vat_number = "BE0403170701";
    d.p = &p;
    assert_null(write_doc(&d));
    assert_string_equal(xp(SP "cbc:EndpointID/@schemeID"), "9925");
    assert_string_equal(xp(SP "cbc:EndpointID"), "BE0403170701");
    p.kvk = "0403.170.701";
    assert_null(write_doc(&d));
    assert_string_equal(xp(SP "cbc:EndpointID/@schemeID"), "0208");
    assert_string_equal(xp(SP "cbc:EndpointID"), "0403170701");
    invoice_free(&inv);
}

/* ================================================================ 6 checks */

static const char *addr_error(const char *a)
{
    static struct err e;
    memset(&e, 0, sizeof e);
    return peppol_address_check(a, &e) == 0 ? "" : e.msg;
}

/* 6.1 electronic addresses: each scheme's format and check digits */
static void t_peppol_addresses(void **state)
{
    (void)state;
    assert_string_equal(addr_error("0208:0123456749"), "");
    assert_string_equal(addr_error("0208:0403170701"), "");
    assert_non_null(strstr(addr_error("0208:0123456789"), "enterprise number"));
    assert_string_equal(addr_error("0106:12345678"), "");
    assert_non_null(strstr(addr_error("0106:1234567"), "KvK"));
    assert_string_equal(addr_error("0190:12345678901234567890"), "");
    assert_non_null(strstr(addr_error("0190:1234"), "OIN"));
    assert_string_equal(addr_error("9944:NL123456782B01"), "");
    assert_non_null(strstr(addr_error("9944:NL123456789X01"), "Dutch VAT"));
    assert_non_null(strstr(addr_error("9944:nl123456789B01"), "Dutch VAT"));
    assert_string_equal(addr_error("9925:BE0123456749"), "");
    assert_non_null(strstr(addr_error("9925:BE0123456789"), "Belgian VAT"));
    assert_string_equal(addr_error("0088:5790000435951"), "");
    assert_non_null(strstr(addr_error("0088:5790000435952"), "GLN"));
    assert_string_equal(addr_error("9930:DE123456789"), "");
    assert_string_equal(addr_error("0192:974760673"), "");
    assert_non_null(strstr(addr_error("0192:974760674"), "Norwegian"));
    assert_non_null(strstr(addr_error("0007:5567321707"), "not one carebill knows"));
    assert_non_null(strstr(addr_error("12345678"), "SCHEME:ID"));
    assert_non_null(strstr(addr_error("0106:"), "KvK"));
}

/* 6.2 which accounts get e-invoices under each setting */
static void t_einvoice_wanted(void **state)
{
    (void)state;
    assert_false(einvoice_wanted(EINVOICE_NONE, "organisation"));
    assert_true(einvoice_wanted(EINVOICE_BUSINESS, "organisation"));
    assert_true(einvoice_wanted(EINVOICE_BUSINESS, "client"));
    assert_true(einvoice_wanted(EINVOICE_BUSINESS, "supplier"));
    assert_false(einvoice_wanted(EINVOICE_BUSINESS, "patient"));
    assert_true(einvoice_wanted(EINVOICE_ALL, "patient"));
}

/* 6.3 an account with an invalid electronic address is refused */
static void t_account_check(void **state)
{
    (void)state;
    struct account_input a;
    memset(&a, 0, sizeof a);
    a.id = "linde";
    a.name = "Sportclub De Linde";
    a.email = "fin@linde.example";
    a.kind = "organisation";
    a.mandate_date = CDATE_NONE;
    a.peppol = "0208:0123456749";
    const char *kind;
    struct err e = {{0}};
    assert_int_equal(account_check(&a, &kind, &e), 0);
    a.peppol = "0208:0123456789";
    assert_int_equal(account_check(&a, &kind, &e), -1);
    assert_non_null(strstr(e.msg, "--peppol: '0123456789' is not a Belgian"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(t_21_header, teardown),
        cmocka_unit_test_teardown(t_21_parties, teardown),
        cmocka_unit_test_teardown(t_21_amounts, teardown),
        cmocka_unit_test_teardown(t_21_payment, teardown),
        cmocka_unit_test_teardown(t_21_excl, teardown),
        cmocka_unit_test_teardown(t_21_direct_debit, teardown),
        cmocka_unit_test_teardown(t_exempt, teardown),
        cmocka_unit_test_teardown(t_exempt_code_and_zero, teardown),
        cmocka_unit_test_teardown(t_credit_note, teardown),
        cmocka_unit_test_teardown(t_credit_partial, teardown),
        cmocka_unit_test_teardown(t_nets_add_up, teardown),
        cmocka_unit_test_teardown(t_nets_many, teardown),
        cmocka_unit_test_teardown(t_rounding_field, teardown),
        cmocka_unit_test_teardown(t_refusals, teardown),
        cmocka_unit_test_teardown(t_belgian_address, teardown),
        cmocka_unit_test_teardown(t_on_behalf, teardown),
        cmocka_unit_test_teardown(t_self_billed_credit, teardown),
        cmocka_unit_test(t_peppol_addresses),
        cmocka_unit_test(t_einvoice_wanted),
        cmocka_unit_test(t_account_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
