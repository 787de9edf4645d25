/*
 * test_pdf.c — the invoice PDF and its EPC payment QR code. Invoices are
 * built in C, rendered into a temporary directory and read back with
 * `pdftotext -layout`; the assertions are on the extracted text, the way
 * a customer or an accountant reads the document. Set CAREBILL_KEEP_PDF=1
 * to keep the rendered files for a look.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/epc.h"
#include "decide/invoice.h"
#include "render/pdf.h"
#include "rules/rules.h"
#include "base/util.h"

static char tmpdir[] = "/tmp/carebill-pdf-XXXXXX";

static struct practice practice = {
    .name = "Praktijk De Linde",
    .address = "Lindelaan 12\n3511 AB Utrecht",
    .kvk = "12345678",
    .vat_number = "NL001234567B01",
    .iban = "NL91 ABNA 0417 1643 00",
    .bic = "ABNANL2A",
    .locale = "nl",
    .email = "info@praktijkdelinde.nl",
    .dd_collection_days = 14,
};

#define EXEMPT_TEXT "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)"

/* An open invoice 2026-00042 to Zoë Müller-Lefèvre, issued 2026-11-23,
 * due 2026-12-07, payment reference 2000000000000042, no lines yet. */
static void invoice_init(struct invoice *inv, const char *locale)
{
    memset(inv, 0, sizeof *inv);
    inv->number = xstrdup("2026-00042");
    inv->kind = INV_SUBSCRIPTION;
    inv->status = ST_OPEN;
    inv->locale = xstrdup(locale);
    inv->to.name = xstrdup("Zoë Müller-Lefèvre");
    inv->to.address = xstrdup("Oudegracht 1\n3511 AA Utrecht");
    inv->issued = date_from_ymd(2026, 11, 23);
    inv->due = date_from_ymd(2026, 12, 7);
    char ref[17];
    payment_reference(42, ref);
    inv->payment_reference = xstrdup(ref);
}

/* One exempt consultation of 45.00. */
static void exempt_invoice(struct invoice *inv, const char *locale)
{
    invoice_init(inv, locale);
    struct invoice_line *l = invoice_add_line(inv, "Fysiotherapie november", 100,
                                              4500, "exempt", 0, 1, EXEMPT_TEXT);
    l->period_start = date_from_ymd(2026, 11, 1);
    l->period_end = date_from_ymd(2026, 11, 30);
    invoice_totals(inv);
}

/* Render inv to <tmpdir>/<name>.pdf and return its text (caller frees). */
static char *render_text(const struct invoice *inv, const char *name)
{
    char path[256], cmd[512];
    struct err e = {{0}};
    snprintf(path, sizeof path, "%s/%s.pdf", tmpdir, name);
    if (pdf_invoice(inv, &practice, path, &e) < 0)
        fail_msg("pdf_invoice: %s", e.msg);
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    struct sbuf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&b, chunk, n);
    assert_int_equal(pclose(f), 0);
    return sb_steal(&b);
}

#define assert_has(text, needle)                                              \
    do {                                                                      \
        if (!strstr((text), (needle)))                                        \
            fail_msg("'%s' not found in:\n%s", (needle), (text));             \
    } while (0)

#define assert_lacks(text, needle)                                            \
    do {                                                                      \
        if (strstr((text), (needle)))                                         \
            fail_msg("'%s' unexpectedly found in:\n%s", (needle), (text));    \
    } while (0)

/* True when one line of text holds both a and b. */
static int same_line(const char *text, const char *a, const char *b)
{
    for (const char *p = text; (p = strstr(p, a)); p++) {
        const char *start = p, *end = strchr(p, '\n');
        while (start > text && start[-1] != '\n')
            start--;
        if (!end)
            end = p + strlen(p);
        const char *q = strstr(start, b);
        if (q && q < end)
            return 1;
    }
    return 0;
}

static int count_pages(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\f';
    return n;
}

/* ============================================================ EPC payload */

/* 1.1 The payload of a known invoice, written out by hand from EPC069-12:
 * BCD / 002 / 1 (UTF-8) / SCT / BIC / name / IBAN without spaces /
 * EUR45.00 / purpose empty / structured reference empty / "<payment
 * reference> <number>", and nothing after the last line. The payment
 * reference of 42 is 2000000000000042 (see test_invoice.c). */
static void epc_1_1_exact_payload(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    char *s = epc_payload(&inv, &practice, &e);
    assert_non_null(s);
    assert_string_equal(s, "BCD\n002\n1\nSCT\nABNANL2A\nPraktijk De Linde\n"
                           "NL91ABNA0417164300\nEUR45.00\n\n\n"
                           "2000000000000042 2026-00042");
    assert_true(strlen(s) <= EPC_MAX_BYTES);
    free(s);
    invoice_free(&inv);
}

/* 1.2 Only what is still open is asked for; without a payment reference
 * the remittance is the invoice number alone. */
static void epc_1_2_open_amount_no_reference(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    inv.paid_cents = 1234;
    free(inv.payment_reference);
    inv.payment_reference = NULL;
    char *s = epc_payload(&inv, &practice, &e);
    assert_non_null(s);
    assert_string_equal(s, "BCD\n002\n1\nSCT\nABNANL2A\nPraktijk De Linde\n"
                           "NL91ABNA0417164300\nEUR32.66\n\n\n2026-00042");
    free(s);
    invoice_free(&inv);
}

/* 1.3 A self-billed invoice pays the supplier: its name and IBAN, no BIC. */
static void epc_1_3_selfbill_pays_supplier(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    inv.kind = INV_SELFBILL;
    inv.supplier.id = xstrdup("jan");
    inv.supplier.name = xstrdup("Jan de Vries\r\nZZP");
    inv.supplier.iban = xstrdup("be68 5390 0754 7034");
    char *s = epc_payload(&inv, &practice, &e);
    assert_non_null(s);
    assert_string_equal(s, "BCD\n002\n1\nSCT\n\nJan de Vries  ZZP\n"
                           "BE68539007547034\nEUR45.00\n\n\n"
                           "2000000000000042 2026-00042");
    free(s);
    invoice_free(&inv);
}

/* 1.4 No QR for a credit note, a paid invoice or an amount beyond the
 * standard's maximum; an invalid IBAN is an error naming it. */
static void epc_1_4_refusals(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");

    inv.paid_cents = inv.total_cents;
    assert_null(epc_payload(&inv, &practice, &e));
    assert_non_null(strstr(e.msg, "2026-00042"));

    inv.paid_cents = inv.total_cents + 1;
    assert_null(epc_payload(&inv, &practice, &e));

    inv.paid_cents = 0;
    inv.total_cents = 100000000000LL; /* 1,000,000,000.00 */
    assert_null(epc_payload(&inv, &practice, &e));
    inv.total_cents = 99999999999LL;
    char *s = epc_payload(&inv, &practice, &e);
    assert_non_null(s);
    assert_non_null(strstr(s, "\nEUR999999999.99\n"));
    free(s);
    invoice_free(&inv);

    invoice_init(&inv, "nl");
    inv.kind = INV_CREDIT;
    inv.credit_of = xstrdup("2026-00041");
    invoice_add_line(&inv, "Correctie", 100, -4500, "exempt", 0, 1,
                     EXEMPT_TEXT);
    invoice_totals(&inv);
    assert_null(epc_payload(&inv, &practice, &e));
    assert_non_null(strstr(e.msg, "credit note"));
    inv.kind = INV_PRODUCT; /* negative total: nothing to pay either */
    assert_null(epc_payload(&inv, &practice, &e));
    invoice_free(&inv);

    exempt_invoice(&inv, "nl");
    struct practice bad = practice;
    bad.iban = "NL92ABNA0417164300";
    assert_null(epc_payload(&inv, &bad, &e));
    assert_non_null(strstr(e.msg, "NL92ABNA0417164300"));
    bad.iban = NULL;
    assert_null(epc_payload(&inv, &bad, &e));
    invoice_free(&inv);
}

/* 1.5 The beneficiary name is cut at 70 characters (not bytes), the
 * payload stays within 331 bytes, and a payload that cannot is refused. */
static void epc_1_5_limits(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    struct practice long_name = practice;
    char name[256] = "";
    for (int i = 0; i < 80; i++)
        strcat(name, "é");
    long_name.name = name;
    char *s = epc_payload(&inv, &long_name, &e);
    assert_non_null(s);
    char *line = strstr(s, "\né");
    assert_non_null(line);
    assert_int_equal(strchr(line + 1, '\n') - (line + 1), 70 * 2);
    assert_true(strlen(s) <= EPC_MAX_BYTES);
    free(s);

    /* 70 four-byte characters and 140 of remittance: over 331 bytes. */
    char big[512] = "";
    for (int i = 0; i < 70; i++)
        strcat(big, "\xf0\x9f\x98\x80");
    long_name.name = big;
    free(inv.number);
    inv.number = xstrdup("2026-000000000000000000000000000000000000000000000"
                         "00000000000000000000000000000000000000000000000042");
    assert_null(epc_payload(&inv, &long_name, &e));
    assert_non_null(strstr(e.msg, "331"));
    invoice_free(&inv);
}

/* 1.6 The payload encodes as a QR symbol of level M. */
static void epc_1_6_qr_symbol(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    char *s = epc_payload(&inv, &practice, &e);
    assert_non_null(s);
    unsigned char *m = NULL;
    int w = 0;
    assert_int_equal(epc_qr_modules(s, &m, &w, &e), 0);
    assert_true(w >= 21 && (w - 17) % 4 == 0);
    /* The finder pattern: the top-left corner module is dark, the one
     * inside its white ring is light. */
    assert_int_equal(m[0], 1);
    assert_int_equal(m[1 * w + 1], 0);
    free(m);
    free(s);
    invoice_free(&inv);
}

/* ============================================================ PDF */

/* 2.1 A Dutch exempt invoice: number, UTF-8 customer, total in Dutch
 * notation, the exemption text, dates, payment instruction, QR caption,
 * both lines of a multi-line address, the issuer's numbers. */
static void pdf_2_1_dutch_exempt(void **state)
{
    struct invoice inv;
    exempt_invoice(&inv, "nl");
    char *t = render_text(&inv, "nl-exempt");
    assert_has(t, "Factuur");
    assert_has(t, "2026-00042");
    assert_has(t, "Zoë Müller-Lefèvre");
    assert_has(t, "Oudegracht 1");
    assert_has(t, "3511 AA Utrecht");
    assert_has(t, "€ 45,00");
    assert_has(t, EXEMPT_TEXT);
    assert_has(t, "23-11-2026");
    assert_has(t, "Periode 01-11-2026 – 30-11-2026");
    assert_has(t, "Te betalen voor 07-12-2026");
    assert_has(t, "2000000000000042");
    assert_has(t, "Scan om te betalen");
    assert_has(t, "Praktijk De Linde");
    assert_has(t, "Lindelaan 12");
    assert_has(t, "KvK 12345678");
    assert_has(t, "NL001234567B01");
    assert_has(t, "NL91 ABNA 0417 1643 00");
    assert_has(t, "Pagina 1 van 1");
    assert_int_equal(count_pages(t), 1);
    free(t);
    invoice_free(&inv);
}

/* 2.2 VAT at 21%: the summary row holds the rate and its VAT amount,
 * the totals net, VAT and total; a quantity of 1.5 prints as "1,5". */
static void pdf_2_2_vat_21(void **state)
{
    struct invoice inv;
    invoice_init(&inv, "nl");
    invoice_add_line(&inv, "Trainingsschema", 100, 8000, "high", 2100, 0,
                     NULL);
    invoice_add_line(&inv, "Begeleiding (uur)", 150, 4000, "high", 2100, 0,
                     NULL);
    invoice_totals(&inv);
    assert_int_equal(inv.vat_cents, 2940);
    char *t = render_text(&inv, "nl-vat21");
    assert_true(same_line(t, "21%", "€ 140,00"));
    assert_true(same_line(t, "21%", "€ 29,40"));
    assert_true(same_line(t, "Totaal excl. btw", "€ 140,00"));
    assert_has(t, "€ 169,40");
    assert_true(same_line(t, "Begeleiding (uur)", "1,5"));
    assert_lacks(t, "Vrijgesteld");
    free(t);
    invoice_free(&inv);
}

/* 2.3 The title, dates and amounts follow the locale, one PDF each. */
static void pdf_2_3_locales(void **state)
{
    struct invoice inv;
    exempt_invoice(&inv, "fr");
    char *t = render_text(&inv, "fr");
    assert_has(t, "Facture");
    assert_has(t, "23/11/2026");
    assert_has(t, "À payer avant le 07/12/2026");
    assert_has(t, "Scannez pour payer");
    assert_has(t, "45,00");
    assert_lacks(t, "Factuur");
    free(t);
    invoice_free(&inv);

    exempt_invoice(&inv, "en");
    t = render_text(&inv, "en");
    assert_has(t, "Invoice");
    assert_has(t, "2026-11-23");
    assert_has(t, "Please pay by 2026-12-07");
    assert_has(t, "Scan to pay");
    assert_has(t, "€45.00");
    assert_has(t, "Page 1 of 1");
    free(t);
    invoice_free(&inv);

    /* No locale of its own: the practice's. */
    exempt_invoice(&inv, "nl");
    free(inv.locale);
    inv.locale = NULL;
    t = render_text(&inv, "default");
    assert_has(t, "Factuur");
    free(t);
    invoice_free(&inv);
}

/* 2.4 A credit note: its title, the invoice it corrects, negative
 * amounts, and no payment request or QR code. */
static void pdf_2_4_credit_note(void **state)
{
    static const struct {
        const char *loc, *title, *corrects;
    } cases[] = {
        {"nl", "Creditnota", "Correctie op factuur 2026-00041"},
        {"fr", "Note de crédit", "Correction de la facture 2026-00041"},
        {"en", "Credit note", "Correction of invoice 2026-00041"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct invoice inv;
        invoice_init(&inv, cases[i].loc);
        inv.kind = INV_CREDIT;
        inv.credit_of = xstrdup("2026-00041");
        invoice_add_line(&inv, "Correctie consult", 100, -4500, "exempt", 0,
                         1, EXEMPT_TEXT);
        invoice_totals(&inv);
        char name[32];
        snprintf(name, sizeof name, "credit-%s", cases[i].loc);
        char *t = render_text(&inv, name);
        assert_has(t, cases[i].title);
        assert_has(t, cases[i].corrects);
        assert_has(t, "45");
        assert_lacks(t, "Scan");
        if (i == 0) {
            assert_has(t, "€ -45,00");
            assert_lacks(t, "Te betalen voor");
        }
        free(t);
        invoice_free(&inv);
    }
}

/* 2.5 Self-billing: the supplier issues (name, address, VAT number at
 * the top), the practice appears as the agency, the mandatory text is
 * printed in each language, and the payment goes to the supplier. */
static void pdf_2_5_selfbilling(void **state)
{
    static const struct {
        const char *loc, *text;
    } cases[] = {
        {"nl", "Factuur uitgereikt door afnemer"},
        {"fr", "Autofacturation"},
        {"en", "Self-billing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct invoice inv;
        invoice_init(&inv, cases[i].loc);
        inv.kind = INV_SELFBILL;
        inv.supplier.id = xstrdup("jan");
        inv.supplier.name = xstrdup("Jan de Vries Zorg");
        inv.supplier.address = xstrdup("Dorpsstraat 5\n1234 AB Ergens");
        inv.supplier.vat_number = xstrdup("NL123456789B02");
        inv.supplier.iban = xstrdup("BE68539007547034");
        invoice_add_line(&inv, "Uren oktober", 750, 6000, "high", 2100, 0,
                         NULL);
        invoice_totals(&inv);
        char name[32];
        snprintf(name, sizeof name, "selfbill-%s", cases[i].loc);
        char *t = render_text(&inv, name);
        assert_has(t, cases[i].text);
        assert_has(t, "Jan de Vries Zorg");
        assert_has(t, "Dorpsstraat 5");
        assert_has(t, "NL123456789B02");
        assert_has(t, "Praktijk De Linde");
        assert_has(t, "BE68 5390 0754 7034");
        if (i == 0)
            assert_has(t, "Bemiddelaar");
        free(t);
        invoice_free(&inv);
    }
}

/* 2.6 Direct debit: the collection sentence instead of a payment
 * instruction, and no QR code. */
static void pdf_2_6_direct_debit(void **state)
{
    struct invoice inv;
    exempt_invoice(&inv, "nl");
    inv.direct_debit = 1;
    inv.due = date_from_ymd(2026, 12, 23);
    inv.to.iban = xstrdup("NL91ABNA0417164300");
    char *t = render_text(&inv, "nl-dd");
    assert_has(t, "SEPA-incasso");
    assert_has(t, "07-12-2026"); /* issued + 14 collection days */
    assert_lacks(t, "Te betalen voor");
    assert_lacks(t, "Scan om te betalen");
    free(t);
    invoice_free(&inv);
}

/* 2.7 Partly paid: paid and still due in the totals; paid in full: no
 * QR code. Prices incl. VAT still show the net / VAT split. The
 * practitioner is named. */
static void pdf_2_7_paid_incl_practitioner(void **state)
{
    struct invoice inv;
    invoice_init(&inv, "nl");
    inv.prices_include_vat = 1;
    inv.practitioner = xstrdup("drs. A. Bakker");
    invoice_add_line(&inv, "Sportmassage", 100, 4500, "high", 2100, 0, NULL);
    invoice_totals(&inv);
    inv.paid_cents = 1000;
    char *t = render_text(&inv, "nl-partly");
    assert_true(same_line(t, "21%", "€ 7,81"));
    assert_true(same_line(t, "Totaal excl. btw", "€ 37,19"));
    assert_has(t, "Prijzen zijn inclusief btw.");
    assert_true(same_line(t, "Te betalen", "€ 35,00"));
    assert_has(t, "Scan om te betalen");
    assert_has(t, "drs. A. Bakker");
    free(t);

    inv.paid_cents = inv.total_cents;
    inv.status = ST_PAID;
    t = render_text(&inv, "nl-paid");
    assert_lacks(t, "Scan om te betalen");
    assert_has(t, "betaald");
    free(t);
    invoice_free(&inv);
}

/* 2.8 Sixty lines flow onto further pages: the header and the table
 * head repeat, every line is printed, the totals come after the last. */
static void pdf_2_8_many_lines(void **state)
{
    struct invoice inv;
    invoice_init(&inv, "nl");
    for (int i = 1; i <= 60; i++) {
        char desc[64];
        snprintf(desc, sizeof desc, "Behandeling nummer %02d", i);
        struct invoice_line *l = invoice_add_line(&inv, desc, 100, 4500,
                                                  "exempt", 0, 1, EXEMPT_TEXT);
        l->period_start = l->period_end = date_from_ymd(2026, 10, i % 28 + 1);
    }
    invoice_totals(&inv);
    char *t = render_text(&inv, "nl-60");
    int pages = count_pages(t);
    assert_true(pages >= 2);
    assert_has(t, "Behandeling nummer 01");
    assert_has(t, "Behandeling nummer 60");
    assert_true(strstr(t, "Behandeling nummer 60") < strstr(t, "€ 2.700,00"));
    char last[32];
    snprintf(last, sizeof last, "Pagina %d van %d", pages, pages);
    assert_has(t, last);
    assert_has(t, "Factuur 2026-00042"); /* the repeated header */
    /* Every page that holds lines starts with the table head. */
    int with_lines = 0;
    for (char *p = t, *ff; *p; p = ff + 1) {
        if (!(ff = strchr(p, '\f')))
            break;
        *ff = '\0';
        char *row = strstr(p, "Behandeling nummer");
        if (row) {
            char *head = strstr(p, "Omschrijving");
            assert_true(head && head < row);
            with_lines++;
        }
    }
    assert_true(with_lines >= 2);
    free(t);
    invoice_free(&inv);
}

/* 2.9 The same invoice renders to the same bytes, in memory as on disk;
 * a broken IBAN fails the render and leaves no file behind. */
static void pdf_2_9_deterministic_and_errors(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    char *a, *b;
    size_t na, nb;
    assert_int_equal(pdf_invoice_buf(&inv, &practice, &a, &na, &e), 0);
    assert_int_equal(pdf_invoice_buf(&inv, &practice, &b, &nb, &e), 0);
    assert_true(na > 1000 && memcmp(a, "%PDF-", 5) == 0);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a), free(b);

    struct practice bad = practice;
    bad.iban = "NL00ABNA0417164300";
    char path[256];
    snprintf(path, sizeof path, "%s/bad.pdf", tmpdir);
    assert_int_equal(pdf_invoice(&inv, &bad, path, &e), -1);
    assert_non_null(strstr(e.msg, "2026-00042"));
    assert_int_equal(access(path, F_OK), -1);

    snprintf(path, sizeof path, "%s/no/such/dir.pdf", tmpdir);
    assert_int_equal(pdf_invoice(&inv, &practice, path, &e), -1);
    assert_non_null(strstr(e.msg, path));
    invoice_free(&inv);
}

/* ============================================================ driver */

static int setup(void **state)
{
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    const char *keep = getenv("CAREBILL_KEEP_PDF");
    if (keep && *keep && strcmp(keep, "0") != 0) {
        fprintf(stderr, "PDFs kept in %s\n", tmpdir);
        return 0;
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(epc_1_1_exact_payload),
        cmocka_unit_test(epc_1_2_open_amount_no_reference),
        cmocka_unit_test(epc_1_3_selfbill_pays_supplier),
        cmocka_unit_test(epc_1_4_refusals),
        cmocka_unit_test(epc_1_5_limits),
        cmocka_unit_test(epc_1_6_qr_symbol),
        cmocka_unit_test(pdf_2_1_dutch_exempt),
        cmocka_unit_test(pdf_2_2_vat_21),
        cmocka_unit_test(pdf_2_3_locales),
        cmocka_unit_test(pdf_2_4_credit_note),
        cmocka_unit_test(pdf_2_5_selfbilling),
        cmocka_unit_test(pdf_2_6_direct_debit),
        cmocka_unit_test(pdf_2_7_paid_incl_practitioner),
        cmocka_unit_test(pdf_2_8_many_lines),
        cmocka_unit_test(pdf_2_9_deterministic_and_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
