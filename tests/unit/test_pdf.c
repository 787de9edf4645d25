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
    .vat_number = "NL001234560B01",
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

/* The text of <tmpdir>/<name>.pdf: `pdftotext -layout` (the page as
 * laid out, columns side by side) or, when flat, pdftotext's reading
 * order with every run of white space made one space, so a wrapped
 * sentence reads whole (caller frees). */
static char *pdf_text(const char *name, int flat)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext %s '%s/%s.pdf' -",
             flat ? "" : "-layout", tmpdir, name);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    struct sbuf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&b, chunk, n);
    assert_int_equal(pclose(f), 0);
    char *t = sb_steal(&b);
    if (flat) {
        size_t k = 0;
        for (size_t i = 0; t[i]; i++) {
            int space = t[i] == ' ' || t[i] == '\n' || t[i] == '\f';
            if (!space || (k && t[k - 1] != ' '))
                t[k++] = space ? ' ' : t[i];
        }
        t[k] = '\0';
    }
    return t;
}

/* The words of <tmpdir>/<name>.pdf as `pdftotext -bbox` finds them, one
 * <word ...>TEXT</word> element each (caller frees). A text cut with an
 * ellipsis keeps its hidden rest as the ellipsis's text: one "word" with
 * spaces in it, which no wrapped text has. */
static char *pdf_words(const char *name)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -bbox '%s/%s.pdf' -", tmpdir, name);
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

/* True when the word element holding exactly w is in words. */
static int has_word(const char *words, const char *w)
{
    char *tag = xasprintf(">%s</word>", w);
    int found = strstr(words, tag) != NULL;
    free(tag);
    return found;
}

/* The first word element with a space in it, or NULL when none. */
static const char *word_with_space(const char *words)
{
    for (const char *p = words; (p = strstr(p, "<word ")); p++) {
        const char *t = strchr(p, '>'), *end = t ? strstr(t, "</word>") : NULL;
        if (!end)
            break;
        for (const char *c = t; c < end; c++)
            if (*c == ' ')
                return t + 1;
    }
    return NULL;
}

/* Render inv for practice p with options o (NULL: the original) to
 * <tmpdir>/<name>.pdf and return its text (caller frees). */
static char *render_with(const struct invoice *inv, const struct practice *p,
                         const struct pdf_options *o, const char *name,
                         int flat)
{
    char path[256];
    struct err e = {{0}};
    snprintf(path, sizeof path, "%s/%s.pdf", tmpdir, name);
    if (pdf_invoice_opts(inv, p, o, path, &e) < 0)
        fail_msg("pdf_invoice: %s", e.msg);
    return pdf_text(name, flat);
}

/* Render inv to <tmpdir>/<name>.pdf and return its text (caller frees). */
static char *render_text(const struct invoice *inv, const char *name)
{
    char path[256];
    struct err e = {{0}};
    snprintf(path, sizeof path, "%s/%s.pdf", tmpdir, name);
    if (pdf_invoice(inv, &practice, path, &e) < 0)
        fail_msg("pdf_invoice: %s", e.msg);
    return pdf_text(name, 0);
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
    assert_has(t, "Periode 1 – 30 november 2026");
    assert_has(t, "Te betalen voor 07-12-2026");
    assert_has(t, "2000000000000042");
    assert_has(t, "Scan om te betalen");
    assert_has(t, "Praktijk De Linde");
    assert_has(t, "Lindelaan 12");
    assert_has(t, "KvK 12345678");
    assert_has(t, "NL001234560B01");
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
        inv.supplier.vat_number = xstrdup("NL123456782B02");
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
        assert_has(t, "NL123456782B02");
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
    assert_has(t, "Prijzen per eenheid zijn exclusief btw, bedragen "
                  "inclusief btw.");
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

/* ============================================================ documents */

/* A French practice: SIRET, a French VAT number (so RF references), a
 * French IBAN. */
static struct practice practice_fr = {
    .name = "Cabinet de psychologie Rive Gauche",
    .address = "14 rue des Écoles\n75005 Paris",
    .vat_number = "FR40123456824",
    .siret = "123 456 789 00012",
    .iban = "FR7630006000011234567890189",
    .bic = "AGRIFRPP",
    .locale = "fr",
    .email = "secretariat@rivegauche.example",
};

/* A Belgian practice: structured communications. */
static struct practice practice_be = {
    .name = "Kinepraktijk De Schelde",
    .address = "Kaai 3\n2000 Antwerpen",
    .vat_number = "BE0123456749",
    .iban = "BE68 5390 0754 7034",
    .bic = "GKCCBEBB",
    .locale = "nl",
};

/* 3.1 Legal text wraps and is never cut: the practitioner with the BIG
 * number on one line beside the issuer; a longer one, a customer name of
 * three lines, an eight-line address and a description of twenty-odd
 * lines whole, in order, every word on the page. (Before, the
 * practitioner was squeezed into the right-hand column and broken, and
 * practitioners and names were cut with an ellipsis after two lines,
 * descriptions after twenty: the text extracts whole, but as the hidden
 * text of the ellipsis, which the word check sees.) */
static void doc_3_1_wrap_never_cut(void **state)
{
    struct invoice inv;
    exempt_invoice(&inv, "nl");
    inv.practitioner = xstrdup("M. de Vries, fysiotherapeut (BIG 12345678901)");
    char *t = render_text(&inv, "wrap-big");
    assert_has(t, "M. de Vries, fysiotherapeut (BIG 12345678901)");
    assert_has(t, "Behandelaar");
    free(t);
    invoice_free(&inv);

    exempt_invoice(&inv, "nl");
    const char *big = "drs. A. B. C. van der Heijden-Vermeulen, "
                      "fysiotherapeut en manueel therapeut, BIG-registratie "
                      "19012345601 en 29012345601";
    const char *name = "Stichting Gezondheidscentrum De Binnenstad van "
                       "Utrecht en Omstreken, afdeling Fysiotherapie en "
                       "Revalidatie voor Kinderen en Jongeren tot achttien "
                       "jaar";
    inv.practitioner = xstrdup(big);
    free(inv.to.name);
    inv.to.name = xstrdup(name);
    free(inv.to.address);
    inv.to.address = xstrdup("t.a.v. de financiële administratie\n"
                             "Afdeling crediteuren\nPostbus 1234\n"
                             "Gebouw C, derde verdieping\nOudegracht 1\n"
                             "3511 AA Utrecht\nNederland\n"
                             "Adresregel acht van acht");
    struct sbuf desc = {0};
    for (int i = 1; i <= 40; i++)
        sb_printf(&desc, "Behandeldeel %02d van de reeks, ", i);
    sb_add(&desc, "SLOTWOORD");
    free(inv.lines[0].description);
    inv.lines[0].description = sb_steal(&desc);
    t = render_with(&inv, &practice, NULL, "wrap-long", 1);
    assert_has(t, big);
    assert_has(t, name);
    assert_has(t, "Adresregel acht van acht");
    assert_has(t, "Behandeldeel 40 van de reeks, SLOTWOORD");
    assert_true(strstr(t, "Behandeldeel 01") < strstr(t, "SLOTWOORD"));
    assert_lacks(t, "…");
    free(t);
    /* Each of those ends as a word of its own on the page, not as the
     * hidden text of an ellipsis. */
    char *words = pdf_words("wrap-long");
    assert_true(has_word(words, "29012345601"));
    assert_true(has_word(words, "jaar"));
    assert_true(has_word(words, "SLOTWOORD"));
    const char *joined = word_with_space(words);
    if (joined)
        fail_msg("text hidden behind an ellipsis: %.80s", joined);
    free(words);
    invoice_free(&inv);
}

/* 3.2 A line bearing VAT shows its unit price excluding VAT, taken out of
 * the stored price as the VAT summary takes the base out of the gross
 * (45.00 incl. 21% -> 37.19; 10.00 incl. 9% -> 9.17); the amount stays
 * as stored and the VAT per rate stays. With prices excluding VAT the
 * stored price is printed; an invoice without VAT keeps "Prijs". */
static void doc_3_2_unit_price_excl_vat(void **state)
{
    struct invoice inv;
    invoice_init(&inv, "nl");
    inv.prices_include_vat = 1;
    invoice_add_line(&inv, "Sportmassage", 100, 4500, "high", 2100, 0, NULL);
    invoice_add_line(&inv, "Sportdrank", 300, 1000, "low", 900, 0, NULL);
    invoice_totals(&inv);
    char *t = render_text(&inv, "unit-excl");
    assert_has(t, "Prijs excl. btw");
    assert_true(same_line(t, "Sportmassage", "€ 37,19"));
    assert_true(same_line(t, "Sportmassage", "€ 45,00"));
    assert_true(same_line(t, "Sportdrank", "€ 9,17"));
    assert_true(same_line(t, "Sportdrank", "€ 30,00"));
    assert_true(same_line(t, "21%", "€ 7,81"));
    assert_true(same_line(t, "9%", "€ 27,52"));
    assert_true(same_line(t, "9%", "€ 2,48"));
    free(t);
    invoice_free(&inv);

    invoice_init(&inv, "en");
    invoice_add_line(&inv, "Training plan", 100, 8000, "high", 2100, 0, NULL);
    invoice_totals(&inv);
    t = render_text(&inv, "unit-excl-net");
    assert_has(t, "Price excl. VAT");
    assert_true(same_line(t, "Training plan", "€80.00"));
    assert_lacks(t, "€66.12");
    free(t);
    invoice_free(&inv);

    exempt_invoice(&inv, "nl");
    t = render_text(&inv, "unit-exempt");
    assert_lacks(t, "Prijs excl. btw");
    assert_has(t, "Prijs");
    free(t);
    invoice_free(&inv);
}

/* A subscription line as billing stores it: description with the
 * period, the period, and the sentence with list price and days. */
static struct invoice_line *sub_line(struct invoice *inv, int64_t unit,
                                     int32_t bp, const char *list,
                                     int active, int days)
{
    struct invoice_line *l = invoice_add_line(
        inv, "Sportmassage abonnement 2026-02-01..2026-02-28", 100, unit,
        bp ? "high" : "exempt", bp, !bp, bp ? NULL : EXEMPT_TEXT);
    l->source = xstrdup("subscription");
    l->subscription = 3;
    l->period_start = date_from_ymd(2026, 2, 1);
    l->period_end = date_from_ymd(2026, 2, 28);
    l->ref = xstrdup("sportmassage");
    l->why = xasprintf("subscription 3 (sportmassage) period "
                       "2026-02-01..2026-02-28: prorate hook; price %s in "
                       "force on 2026-02-01; %d of %d days active, 0 paused",
                       list, active, days);
    return l;
}

/* 3.3 A prorated line (amount 41.05, not 1 x the list price 60.50) says
 * the days and the list price it comes from, read from what the line
 * stored: excl. VAT like the unit column, and incl. VAT as the type
 * priced it. A line billed at its list price says nothing of the kind. */
static void doc_3_3_prorated_line(void **state)
{
    struct invoice inv;
    invoice_init(&inv, "nl");
    inv.prices_include_vat = 1;
    sub_line(&inv, 4105, 2100, "60.50", 19, 28);
    invoice_totals(&inv);
    char *t = render_with(&inv, &practice, NULL, "prorated", 1);
    assert_has(t, "Naar rato: 19 van 28 dagen, lijstprijs € 50,00 per "
                  "periode (€ 60,50 incl. btw)");
    free(t);
    invoice_free(&inv);

    invoice_init(&inv, "fr");
    sub_line(&inv, 1500, 0, "45.00", 10, 30);
    sub_line(&inv, 4500, 0, "45.00", 28, 28);
    invoice_totals(&inv);
    t = render_with(&inv, &practice, NULL, "prorated-fr", 1);
    assert_has(t, "Au prorata : 10 jours sur 30, prix catalogue 45,00 € par "
                  "période");
    assert_lacks(t, "TTC)");
    assert_lacks(t, "28 jours sur 28");
    free(t);
    invoice_free(&inv);
}

/* 3.4 The period of supply is printed once, in words in the invoice's
 * language: the period written at the end of a description is not
 * repeated (it was: "... 2026-02-01..2026-02-28" and "Periode
 * 01-02-2026 – 28-02-2026"); an appointment's date at the end of its
 * description becomes its date of supply. */
static void doc_3_4_period_once(void **state)
{
    static const struct {
        const char *loc, *period, *date;
    } cases[] = {
        {"nl", "Periode 1 – 28 februari 2026", "Datum 1 januari 2026"},
        {"fr", "Période 1 – 28 février 2026", "Date 1 janvier 2026"},
        {"en", "Period 1 – 28 February 2026", "Date 1 January 2026"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct invoice inv;
        invoice_init(&inv, cases[i].loc);
        sub_line(&inv, 4500, 0, "45.00", 28, 28);
        invoice_add_line(&inv, "Behandeling 2026-01-01", 100, 4500, "exempt",
                         0, 1, EXEMPT_TEXT);
        struct invoice_line *q = invoice_add_line(
            &inv, "Kwartaal", 100, 12000, "exempt", 0, 1, EXEMPT_TEXT);
        q->period_start = date_from_ymd(2026, 11, 1);
        q->period_end = date_from_ymd(2027, 1, 31);
        struct invoice_line *m = invoice_add_line(
            &inv, "Blok", 100, 9000, "exempt", 0, 1, EXEMPT_TEXT);
        m->period_start = date_from_ymd(2026, 10, 15);
        m->period_end = date_from_ymd(2026, 11, 14);
        invoice_totals(&inv);
        char name[32];
        snprintf(name, sizeof name, "period-%s", cases[i].loc);
        char *t = render_text(&inv, name);
        assert_has(t, cases[i].period);
        assert_has(t, cases[i].date);
        assert_lacks(t, "2026-02-01..2026-02-28");
        assert_lacks(t, "2026-01-01");
        assert_lacks(t, "01-02-2026");
        assert_has(t, "Sportmassage abonnement");
        assert_has(t, "Behandeling");
        if (i == 0) {
            assert_has(t, "Periode 1 november 2026 – 31 januari 2027");
            assert_has(t, "Periode 15 oktober – 14 november 2026");
        }
        free(t);
        invoice_free(&inv);
    }
}

/* A credit note of 45.00 on invoice 2026-00041, of which `settled` was
 * set against what the invoice still owed (the rest is refunded). */
static void credit_note(struct invoice *inv, const char *loc, int64_t settled)
{
    invoice_init(inv, loc);
    inv->kind = INV_CREDIT;
    inv->credit_of = xstrdup("2026-00041");
    invoice_add_line(inv, "Correctie consult", 100, -4500, "exempt", 0, 1,
                     EXEMPT_TEXT);
    invoice_totals(inv);
    inv->paid_cents = -settled;
    inv->status = settled == 4500 ? ST_PAID : ST_OPEN;
}

/* 3.5 A credit note says what becomes of its amount: on an unpaid
 * invoice nothing is left to pay; on a paid one it is refunded; on a
 * partly paid one both, each amount named. (Before, the unpaid case read
 * "Het bedrag van € 0,00 wordt met u verrekend of aan u
 * terugbetaald.") */
static void doc_3_5_credit_wording(void **state)
{
    static const struct {
        const char *loc;
        int64_t settled;
        const char *say, *not;
    } cases[] = {
        {"nl", 4500, "Op factuur 2026-00041 is € 45,00 niet meer verschuldigd. "
                     "U hoeft hiervoor niets te betalen.", "terugbetaald"},
        {"nl", 0, "Factuur 2026-00041 is al betaald: € 45,00 wordt aan u "
                  "terugbetaald.", "niet meer verschuldigd"},
        {"nl", 3000, "Op factuur 2026-00041 is € 30,00 niet meer verschuldigd "
                     "en € 15,00 wordt aan u terugbetaald.", "al betaald"},
        {"fr", 4500, "Facture 2026-00041 : le montant de 45,00 € n'est plus "
                     "dû. Vous n'avez rien à payer.", "remboursé"},
        {"fr", 0, "Facture 2026-00041 déjà réglée : le montant de 45,00 € "
                  "vous sera remboursé.", "plus dû"},
        {"en", 4500, "Invoice 2026-00041: the amount of €45.00 is no longer "
                     "due. You have nothing to pay.", "refunded"},
        {"en", 0, "Invoice 2026-00041 was paid: the amount of €45.00 will be "
                  "refunded to you.", "no longer due"},
        {"en", 1000, "Invoice 2026-00041: the amount of €10.00 is no longer "
                     "due and €35.00 will be refunded to you.", "was paid"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct invoice inv;
        credit_note(&inv, cases[i].loc, cases[i].settled);
        char name[32];
        snprintf(name, sizeof name, "credit-say-%zu", i);
        char *t = render_with(&inv, &practice, NULL, name, 1);
        assert_has(t, cases[i].say);
        assert_lacks(t, cases[i].not);
        assert_lacks(t, "verrekend of");
        free(t);
        invoice_free(&inv);
    }
}

/* 3.6 A copy says so, with the original's issue date, on every page; the
 * original (no options, or copy 0) does not and is the same document as
 * pdf_invoice renders. */
static void doc_3_6_copy_mark(void **state)
{
    static const struct {
        const char *loc, *mark, *date;
    } cases[] = {
        {"nl", "KOPIE", "Kopie van het origineel van 23 november 2026"},
        {"fr", "COPIE", "Copie de l'original du 23 novembre 2026"},
        {"en", "COPY", "Copy of the original of 23 November 2026"},
    };
    struct pdf_options copy = {.copy = 1}, original = {0};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct invoice inv;
        exempt_invoice(&inv, cases[i].loc);
        char name[32];
        snprintf(name, sizeof name, "copy-%s", cases[i].loc);
        char *t = render_with(&inv, &practice, &copy, name, 1);
        assert_has(t, cases[i].mark);
        assert_has(t, cases[i].date);
        free(t);
        snprintf(name, sizeof name, "original-%s", cases[i].loc);
        t = render_with(&inv, &practice, &original, name, 1);
        assert_lacks(t, cases[i].mark);
        assert_lacks(t, cases[i].date);
        free(t);
        invoice_free(&inv);
    }

    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    char *a, *b;
    size_t na, nb;
    assert_int_equal(pdf_invoice_buf_opts(&inv, &practice, &original, &a, &na,
                                          &e), 0);
    assert_int_equal(pdf_invoice_buf(&inv, &practice, &b, &nb, &e), 0);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a), free(b);
    invoice_free(&inv);
}

/* 3.7 A French practice: the SIRET among the issuer's numbers (top and
 * foot), and an RF creditor reference made from the invoice number's
 * digits (F2026-0002 -> RF04 2026 0002) instead of the stored Dutch
 * reference, in the header, the payment sentence and the QR code's
 * structured line (with no remittance text, one of the two). */
static void doc_3_7_siret_and_rf(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "fr");
    free(inv.number);
    inv.number = xstrdup("F2026-0002");
    char *t = render_with(&inv, &practice_fr, NULL, "fr-siret", 0);
    assert_has(t, "SIRET 123 456 789 00012");
    assert_true(same_line(t, "Référence de paiement", "RF04 2026 0002"));
    assert_lacks(t, "2000000000000042");
    free(t);
    t = pdf_text("fr-siret", 1);
    assert_has(t, "avec la référence de paiement RF04 2026 0002.");
    assert_has(t, "Cabinet de psychologie Rive Gauche · SIRET 123 456 789 "
                  "00012");
    free(t);
    char *s = epc_payload(&inv, &practice_fr, &e);
    assert_non_null(s);
    assert_string_equal(s, "BCD\n002\n1\nSCT\nAGRIFRPP\n"
                           "Cabinet de psychologie Rive Gauche\n"
                           "FR7630006000011234567890189\nEUR45.00\n\n"
                           "RF0420260002");
    free(s);

    /* A number without digits has no reference: the number is quoted. */
    free(inv.number);
    inv.number = xstrdup("AVOIR");
    s = epc_payload(&inv, &practice_fr, &e);
    assert_non_null(s);
    assert_non_null(strstr(s, "EUR45.00\n\n\nAVOIR"));
    free(s);
    t = render_with(&inv, &practice_fr, NULL, "fr-noref", 1);
    assert_has(t, "avec le numéro de facture AVOIR en communication.");
    free(t);
    invoice_free(&inv);

    /* The Dutch practice prints no SIRET. */
    exempt_invoice(&inv, "fr");
    t = render_text(&inv, "nl-nosiret");
    assert_lacks(t, "SIRET");
    assert_has(t, "2000000000000042");
    free(t);
    invoice_free(&inv);
}

/* 3.8 A Belgian practice: the structured communication of the number's
 * last ten digits (2026-00042 -> +++020/2600/04222+++), as the
 * "Mededeling" and in the payment sentence, and its twelve digits as the
 * QR code's structured reference. */
static void doc_3_8_belgian_ogm(void **state)
{
    struct invoice inv;
    struct err e = {{0}};
    exempt_invoice(&inv, "nl");
    char *t = render_with(&inv, &practice_be, NULL, "be-ogm", 0);
    assert_true(same_line(t, "Mededeling", "+++020/2600/04222+++"));
    assert_lacks(t, "Betalingskenmerk");
    assert_lacks(t, "2000000000000042");
    free(t);
    t = pdf_text("be-ogm", 1);
    assert_has(t, "met de gestructureerde mededeling +++020/2600/04222+++.");
    free(t);
    char *s = epc_payload(&inv, &practice_be, &e);
    assert_non_null(s);
    assert_string_equal(s, "BCD\n002\n1\nSCT\nGKCCBEBB\n"
                           "Kinepraktijk De Schelde\nBE68539007547034\n"
                           "EUR45.00\n\n020260004222");
    free(s);
    invoice_free(&inv);
}

/* 3.9 The practice's country: its `country` setting first (any case),
 * else its VAT number's prefix (EL is Greece), else NL; it picks the
 * reference. */
static void doc_3_9_country(void **state)
{
    char c[3];
    struct practice p = practice;
    assert_string_equal(practice_country(&p, c), "NL");
    p.country = "be";
    assert_string_equal(practice_country(&p, c), "BE");
    p.country = NULL;
    p.vat_number = "EL123456789";
    assert_string_equal(practice_country(&p, c), "GR");
    p.vat_number = NULL;
    assert_string_equal(practice_country(&p, c), "NL");
    p.vat_number = " FR40123456824";
    assert_string_equal(practice_country(&p, c), "FR");

    struct invoice inv;
    struct payref r;
    exempt_invoice(&inv, "nl");
    p = practice;
    assert_int_equal(invoice_payref(&inv, &p, &r), PAYREF_NL);
    assert_string_equal(r.printed, "2000000000000042");
    assert_string_equal(r.structured, "");
    p.country = "DE";
    assert_int_equal(invoice_payref(&inv, &p, &r), PAYREF_RF);
    assert_string_equal(r.printed, "RF89 2026 0004 2");
    assert_string_equal(r.structured, "RF89202600042");
    p.country = "BE";
    assert_int_equal(invoice_payref(&inv, &p, &r), PAYREF_BE);
    assert_string_equal(r.printed, "+++020/2600/04222+++");
    p.country = NULL;
    free(inv.payment_reference);
    inv.payment_reference = NULL;
    assert_int_equal(invoice_payref(&inv, &p, &r), PAYREF_NONE);
    assert_string_equal(r.printed, "");
    invoice_free(&inv);
}

/* 3.10 Sixty lines whose descriptions wrap over three lines run onto
 * further pages: every line whole, rows never split between pages, the
 * copy mark and the table head on every page with lines. */
static void doc_3_10_long_lines_across_pages(void **state)
{
    struct invoice inv;
    invoice_init(&inv, "nl");
    for (int i = 1; i <= 60; i++) {
        char desc[200];
        snprintf(desc, sizeof desc,
                 "Behandeling nummer %02d: oefentherapie met begeleiding "
                 "en een schriftelijk verslag aan de huisarts, einde %02d",
                 i, i);
        invoice_add_line(&inv, desc, 100, 4500, "exempt", 0, 1, EXEMPT_TEXT);
    }
    invoice_totals(&inv);
    struct pdf_options copy = {.copy = 1};
    char *t = render_with(&inv, &practice, &copy, "nl-60-long", 0);
    int pages = count_pages(t);
    assert_true(pages >= 3);
    int with_lines = 0;
    for (char *p = t, *ff; *p; p = ff + 1) {
        if (!(ff = strchr(p, '\f')))
            break;
        *ff = '\0';
        assert_has(p, "KOPIE");
        char *row = strstr(p, "Behandeling nummer");
        if (row) {
            char *head = strstr(p, "Omschrijving");
            assert_true(head && head < row);
            with_lines++;
            /* A row starts and ends on this page. */
            int start = 0, end = 0;
            for (char *q = p; (q = strstr(q, "Behandeling nummer")); q++)
                start++;
            for (char *q = p; (q = strstr(q, ", einde ")); q++)
                end++;
            assert_int_equal(start, end);
        }
    }
    assert_true(with_lines >= 3);
    free(t);
    t = pdf_text("nl-60-long", 1);
    for (int i = 1; i <= 60; i++) {
        char whole[200];
        snprintf(whole, sizeof whole,
                 "Behandeling nummer %02d: oefentherapie met begeleiding "
                 "en een schriftelijk verslag aan de huisarts, einde %02d",
                 i, i);
        assert_has(t, whole);
    }
    free(t);
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
        cmocka_unit_test(doc_3_1_wrap_never_cut),
        cmocka_unit_test(doc_3_2_unit_price_excl_vat),
        cmocka_unit_test(doc_3_3_prorated_line),
        cmocka_unit_test(doc_3_4_period_once),
        cmocka_unit_test(doc_3_5_credit_wording),
        cmocka_unit_test(doc_3_6_copy_mark),
        cmocka_unit_test(doc_3_7_siret_and_rf),
        cmocka_unit_test(doc_3_8_belgian_ogm),
        cmocka_unit_test(doc_3_9_country),
        cmocka_unit_test(doc_3_10_long_lines_across_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
