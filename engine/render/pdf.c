/*
 * pdf.c — renders an invoice as an A4 PDF with cairo and pango. Every
 * text goes through pango (DejaVu Sans), so any UTF-8 name renders and
 * survives text extraction. Text wraps at words and grows its block; it
 * is never cut (amounts and references are kept whole on one line). The
 * document is laid out top to bottom by a cursor (doc.y); every block is
 * measured before it is drawn and starts a new page (footer, compact
 * header, table header) when it does not fit, so nothing runs off a
 * page. What a line shows beyond its stored fields — the unit price
 * excluding VAT, the proration, the period in words — is derived from
 * the stored line alone, never from today's rules. The document is
 * rendered twice: once to count the pages for "page n of N", once for
 * real.
 */
#include "render/pdf.h"
#include "base/outfile.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/epc.h"

/* ------------------------------------------------------------ geometry */

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 50.0
#define TOP 48.0
#define BOTTOM (PAGE_H - 64.0) /* content ends here; the footer is below */
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define RIGHT_W 205.0 /* the right-hand column of the first page's header */
#define RIGHT_X (PAGE_W - MARGIN - RIGHT_W)
#define PAD 4.0       /* inner padding of a table cell */
#define QR_SIZE 92.0  /* the QR symbol, quiet zone excluded */

#define FONT_BODY "DejaVu Sans 8.5"
#define FONT_BOLD "DejaVu Sans Bold 8.5"
#define FONT_SMALL "DejaVu Sans 7"
#define FONT_SMALL_BOLD "DejaVu Sans Bold 7"
#define FONT_NAME "DejaVu Sans Bold 13"
#define FONT_PARTY "DejaVu Sans Bold 10"
#define FONT_TITLE "DejaVu Sans Bold 20"
#define FONT_STAMP "DejaVu Sans Bold 14"

enum colour { INK, MUTED, ACCENT, RULE, FILL, STAMP };

/* ------------------------------------------------------------ words */

struct words {
    const char *invoice, *credit_note, *corrects, *selfbill;
    const char *number, *number_credit, *issued, *due, *payref, *payref_be;
    const char *practitioner, *bill_to, *agency, *kvk, *vat_no;
    const char *desc, *qty, *price, *price_excl, *vat, *amount, *exempt;
    const char *period, *date, *prices_incl, *units_excl;
    const char *prorated;    /* active days, period days, list price */
    const char *list_incl;   /* the list price incl. VAT */
    const char *rate, *base, *vat_amount;
    const char *net_total, *vat_total, *total, *paid, *to_pay;
    const char *pay_by;      /* due date */
    const char *pay_ref;     /* amount, account, name, payment reference */
    const char *pay_be;      /* amount, account, name, structured comm. */
    const char *pay_num;     /* amount, account, name, invoice number */
    const char *dd_title;
    const char *dd_acct;     /* amount, date, debtor's account */
    const char *dd_noacct;   /* amount, date */
    const char *credit_title;
    const char *credit_void;   /* invoice, amount no longer due */
    const char *credit_refund; /* invoice, amount refunded */
    const char *credit_both;   /* invoice, no longer due, refunded */
    const char *paid_title, *paid_text;
    const char *credited_text;
    const char *copy, *copy_of; /* copy_of: the original's issue date */
    const char *scan, *page; /* page: n, N */
    const char *months[12];
    char decimal;            /* in quantities and rates */
    const char *on_behalf;   /* third-party invoicing: agency, supplier */
};

static const struct words nl = {
    "Factuur", "Creditnota", "Correctie op factuur %s",
    "Factuur uitgereikt door afnemer",
    "Factuurnummer", "Creditnotanummer", "Factuurdatum", "Vervaldatum",
    "Betalingskenmerk", "Mededeling",
    "Behandelaar", "Factuur aan", "Bemiddelaar", "KvK", "Btw-nummer",
    "Omschrijving", "Aantal", "Prijs", "Prijs excl. btw", "Btw", "Bedrag",
    "vrijgesteld",
    "Periode", "Datum", "Prijzen zijn inclusief btw.",
    "Prijzen per eenheid zijn exclusief btw, bedragen inclusief btw.",
    "Naar rato: %d van %d dagen, lijstprijs %s per periode",
    " (%s incl. btw)",
    "Btw-tarief", "Grondslag", "Btw",
    "Totaal excl. btw", "Btw", "Totaal", "Betaald", "Te betalen",
    "Te betalen voor %s",
    "Graag %s overmaken op rekening %s t.n.v. %s, onder vermelding van "
    "betalingskenmerk %s.",
    "Graag %s overmaken op rekening %s t.n.v. %s, met de gestructureerde "
    "mededeling %s.",
    "Graag %s overmaken op rekening %s t.n.v. %s, onder vermelding van "
    "factuurnummer %s.",
    "Automatische incasso",
    "Het bedrag van %s wordt op of rond %s via SEPA-incasso afgeschreven "
    "van uw rekening %s. U hoeft niets over te maken.",
    "Het bedrag van %s wordt op of rond %s via SEPA-incasso van uw "
    "rekening afgeschreven. U hoeft niets over te maken.",
    "Creditnota",
    "Op factuur %s is %s niet meer verschuldigd. U hoeft hiervoor niets te "
    "betalen.",
    "Factuur %s is al betaald: %s wordt aan u terugbetaald.",
    "Op factuur %s is %s niet meer verschuldigd en %s wordt aan u "
    "terugbetaald.",
    "Voldaan", "Deze factuur is betaald. Dank u wel.",
    "Deze factuur is gecorrigeerd met een creditnota.",
    "KOPIE", "Kopie van het origineel van %s",
    "Scan om te betalen", "Pagina %d van %d",
    {"januari", "februari", "maart", "april", "mei", "juni", "juli",
     "augustus", "september", "oktober", "november", "december"},
    ',',
    "Factuur opgemaakt door %s in naam en voor rekening van %s",
};

static const struct words fr = {
    "Facture", "Note de crédit", "Correction de la facture %s",
    "Autofacturation",
    "N° de facture", "N° de note de crédit", "Date de facture", "Échéance",
    "Référence de paiement", "Communication",
    "Praticien", "Facturé à", "Intermédiaire", "N° d'entreprise", "N° TVA",
    "Description", "Qté", "Prix unit.", "Prix unit. HT", "TVA", "Montant",
    "exonéré",
    "Période", "Date", "Prix TVA comprise.",
    "Prix unitaires hors TVA, montants TVA comprise.",
    "Au prorata : %d jours sur %d, prix catalogue %s par période",
    " (%s TTC)",
    "Taux de TVA", "Base HT", "TVA",
    "Total HT", "TVA", "Total TTC", "Déjà payé", "Reste à payer",
    "À payer avant le %s",
    "Merci de virer %s sur le compte %s au nom de %s, avec la référence "
    "de paiement %s.",
    "Merci de virer %s sur le compte %s au nom de %s, avec la "
    "communication structurée %s.",
    "Merci de virer %s sur le compte %s au nom de %s, avec le numéro de "
    "facture %s en communication.",
    "Domiciliation SEPA",
    "Le montant de %s sera prélevé par domiciliation SEPA le %s ou vers "
    "cette date sur votre compte %s. Vous n'avez rien à virer.",
    "Le montant de %s sera prélevé par domiciliation SEPA le %s ou vers "
    "cette date sur votre compte. Vous n'avez rien à virer.",
    "Note de crédit",
    "Facture %s : le montant de %s n'est plus dû. Vous n'avez rien à payer.",
    "Facture %s déjà réglée : le montant de %s vous sera remboursé.",
    "Facture %s : le montant de %s n'est plus dû et %s vous sera remboursé.",
    "Réglée", "Cette facture est réglée. Merci.",
    "Cette facture a été corrigée par une note de crédit.",
    "COPIE", "Copie de l'original du %s",
    "Scannez pour payer", "Page %d sur %d",
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
     "août", "septembre", "octobre", "novembre", "décembre"},
    ',',
    "Facture établie par %s au nom et pour le compte de %s",
};

static const struct words en = {
    "Invoice", "Credit note", "Correction of invoice %s", "Self-billing",
    "Invoice number", "Credit note number", "Invoice date", "Due date",
    "Payment reference", "Communication",
    "Practitioner", "Bill to", "Agency", "CoC no.", "VAT no.",
    "Description", "Qty", "Unit price", "Price excl. VAT", "VAT",
    "Amount", "exempt",
    "Period", "Date", "Prices include VAT.",
    "Unit prices exclude VAT; amounts include VAT.",
    "Prorated: %d of %d days, list price %s per period",
    " (%s incl. VAT)",
    "VAT rate", "Net amount", "VAT",
    "Total excl. VAT", "VAT", "Total", "Paid", "Amount due",
    "Please pay by %s",
    "Please transfer %s to account %s in the name of %s, quoting payment "
    "reference %s.",
    "Please transfer %s to account %s in the name of %s, quoting "
    "structured communication %s.",
    "Please transfer %s to account %s in the name of %s, quoting invoice "
    "number %s.",
    "SEPA direct debit",
    "The amount of %s will be collected by SEPA direct debit on or around "
    "%s from your account %s. No transfer is needed.",
    "The amount of %s will be collected by SEPA direct debit on or around "
    "%s from your account. No transfer is needed.",
    "Credit note",
    "Invoice %s: the amount of %s is no longer due. You have nothing to "
    "pay.",
    "Invoice %s was paid: the amount of %s will be refunded to you.",
    "Invoice %s: the amount of %s is no longer due and %s will be refunded "
    "to you.",
    "Paid", "This invoice has been paid. Thank you.",
    "This invoice has been corrected by a credit note.",
    "COPY", "Copy of the original of %s",
    "Scan to pay", "Page %d of %d",
    {"January", "February", "March", "April", "May", "June", "July",
     "August", "September", "October", "November", "December"},
    '.',
    "Invoice issued by %s in the name and on behalf of %s",
};

/* The locale an invoice is printed in: its own, else the practice's,
 * else Dutch. */
static const char *doc_locale(const struct invoice *inv,
                              const struct practice *p)
{
    const char *l = inv->locale && *inv->locale ? inv->locale : p->locale;
    if (l && (strcmp(l, "fr") == 0 || strcmp(l, "en") == 0))
        return l;
    return "nl";
}

static const struct words *words_for(const char *loc)
{
    return strcmp(loc, "fr") == 0 ? &fr : strcmp(loc, "en") == 0 ? &en : &nl;
}


/* A scaled decimal (quantity, rate) with the locale's decimal mark. */
static char *number_fmt(int64_t v, char mark, char buf[32])
{
    decimal_fmt(v, 2, buf);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = mark;
    return buf;
}

/* An IBAN in groups of four for reading: "NL91 ABNA 0417 1643 00". */
static char *iban_pretty(const char *iban, char out[64])
{
    size_t n = 0, k = 0;
    for (; iban && *iban && n < 60; iban++) {
        if (*iban == ' ')
            continue;
        if (k && k % 4 == 0)
            out[n++] = ' ';
        out[n++] = *iban;
        k++;
    }
    out[n] = '\0';
    return out;
}

#define NBSP "\xc2\xa0" /* U+00A0: a space no line breaks at */

/* An amount in the locale's notation ("€ 1.234,50"), its spaces made
 * non-breaking so it never wraps. Returns out. */
static char *money_nb(int64_t cents, const char *loc, char out[48])
{
    char plain[48];
    money_fmt_locale(cents, loc, plain);
    size_t k = 0;
    for (const char *c = plain; *c && k + 3 < 48; c++) {
        if (*c == ' ') {
            memcpy(out + k, NBSP, 2);
            k += 2;
        } else {
            out[k++] = *c;
        }
    }
    out[k] = '\0';
    return out;
}

/* A date in words: "1 januari 2026", "1 janvier 2026", "1 January 2026",
 * in one piece (non-breaking spaces). Returns out. */
static char *date_long(const struct words *w, cdate d, char out[48])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, 48, "%d" NBSP "%s" NBSP "%d", dd, w->months[(m - 1) % 12],
             y);
    return out;
}

/* The date or period of supply in words, once: "Periode 1 – 30 november
 * 2026", "Periode 1 november – 31 december 2026", "Datum 5 maart 2026".
 * Returns a malloc'd string. */
static char *supply_text(const struct words *w, cdate a, cdate b)
{
    char da[48], db[48];
    int ya, ma, xa, yb, mb, xb;
    if (b == CDATE_NONE || b == a)
        return xasprintf("%s %s", w->date, date_long(w, a, da));
    date_to_ymd(a, &ya, &ma, &xa);
    date_to_ymd(b, &yb, &mb, &xb);
    if (ya == yb && ma == mb)
        return xasprintf("%s %d – %s", w->period, xa, date_long(w, b, db));
    if (ya == yb)
        return xasprintf("%s %d %s – %s", w->period, xa,
                         w->months[(ma - 1) % 12], date_long(w, b, db));
    return xasprintf("%s %s – %s", w->period, date_long(w, a, da),
                     date_long(w, b, db));
}

/* Read "YYYY-MM-DD" at s (exactly ten characters, a valid date) into *d;
 * returns 1, or 0 when s holds something else. */
static int ymd_at(const char *s, cdate *d)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            return 0;
    int y = atoi(s), m = atoi(s + 5), dd = atoi(s + 8);
    if (!date_valid_ymd(y, m, dd))
        return 0;
    *d = date_from_ymd(y, m, dd);
    return 1;
}

/* The part of l's description printed above its period of supply. Lines
 * store their period in the description too (" 2026-11-01..2026-11-30"
 * for a subscription period, " 2026-03-05" for an appointment); that
 * trailing period is left out and printed once, in words, below. *from
 * and *to receive the period to print: the line's own, else the one at
 * the end of its description (CDATE_NONE when neither). A trailing
 * period other than the line's own stays part of the description.
 * Returns the length of the description to print. */
static size_t desc_period(const struct invoice_line *l, cdate *from,
                          cdate *to)
{
    const char *s = l->description ? l->description : "";
    size_t n = strlen(s), cut = n;
    cdate a = CDATE_NONE, b = CDATE_NONE;
    *from = l->period_start;
    *to = l->period_end;
    if (n >= 23 && s[n - 23] == ' ' && s[n - 12] == '.' &&
        s[n - 11] == '.' && ymd_at(s + n - 22, &a) && ymd_at(s + n - 10, &b))
        cut = n - 23;
    else if (n >= 11 && s[n - 11] == ' ' && ymd_at(s + n - 10, &a))
        b = a, cut = n - 11;
    if (cut == n)
        return n;
    if (*from == CDATE_NONE) {
        *from = a;
        *to = b;
        return cut;
    }
    cdate last = *to == CDATE_NONE ? *from : *to;
    return a == *from && b == last ? cut : n;
}

/* A prorated subscription line: one whose amount is not its quantity
 * times the list price it was billed from. The list price and the days
 * are those billing stored with the line when it was issued (its `why`:
 * "...; price 60.50 in force on 2026-02-01; 19 of 28 days active, 0
 * paused"), never today's definitions. Returns 1 with *list (cents, as
 * the type's price was written: incl. VAT when the invoice's prices
 * are), *active and *days filled; 0 for any other line. */
static int line_proration(const struct invoice_line *l, int64_t *list,
                          int *active, int *days)
{
    if (!l->why || !l->source || strcmp(l->source, "subscription") != 0)
        return 0;
    const char *p = strstr(l->why, "; price ");
    if (!p)
        return 0;
    p += strlen("; price ");
    const char *q = strstr(p, " in force on ");
    if (!q || q - p >= 31)
        return 0;
    char m[32];
    memcpy(m, p, (size_t)(q - p));
    m[q - p] = '\0';
    struct err e;
    const char *r = strstr(q, "; ");
    if (money_parse(m, list, &e) != 0 || !r ||
        sscanf(r, "; %d of %d days active", active, days) != 2 || *days <= 0)
        return 0;
    return l->amount_cents != money_muldiv_round(l->qty100, *list, 100);
}

/* A line bears VAT: neither exempt nor at 0%. */
static int line_has_vat(const struct invoice_line *l)
{
    return !l->vat_exempt && l->vat_bp > 0;
}

/* An amount of line l excluding VAT: as stored when the invoice's prices
 * exclude VAT or the line bears none, else cents × 10000 / (10000 +
 * rate), half away from zero — the way invoice_totals takes the base out
 * of a rate's gross sum. */
static int64_t excl_vat(const struct invoice *inv,
                        const struct invoice_line *l, int64_t cents)
{
    if (!inv->prices_include_vat || !line_has_vat(l))
        return cents;
    return money_muldiv_round(cents, 10000, 10000 + l->vat_bp);
}

/* ------------------------------------------------------------ the cursor */

struct doc {
    cairo_t *cr;
    PangoContext *pc;
    const struct invoice *inv;
    const struct practice *p;
    const struct words *w;
    const char *loc;
    const char *title;
    int copy;             /* a copy: marked so, with the original's date */
    int has_vat;          /* some line bears VAT: unit prices excl. VAT */
    struct payref ref;    /* the payment reference printed */
    struct party issuer;  /* borrowed: the practice, or the supplier */
    struct party payee;   /* borrowed: whom the invoice is paid to */
    const char *issuer_bic, *issuer_siret;
    unsigned char *qr;    /* EPC QR modules, NULL when none is printed */
    int qr_w;
    double y;             /* top of the next block */
    int page, pages;      /* pages: the total, 0 while counting */
};

/* Set the source colour for what is drawn next. */
static void colour(struct doc *d, enum colour c)
{
    static const double rgb[][3] = {
        {0.13, 0.13, 0.15}, /* INK */
        {0.42, 0.43, 0.46}, /* MUTED */
        {0.10, 0.27, 0.45}, /* ACCENT */
        {0.78, 0.80, 0.83}, /* RULE */
        {0.94, 0.95, 0.96}, /* FILL */
        {0.68, 0.12, 0.12}, /* STAMP: the copy mark */
    };
    cairo_set_source_rgb(d->cr, rgb[c][0], rgb[c][1], rgb[c][2]);
}

/* Marks around a part of a text that must not be broken across lines
 * (a payment reference in a sentence); text() removes them. */
#define KEEP_ON "\x01"
#define KEEP_OFF "\x02"

/* Lay out s in font within width w at x, y, wrapped at words (inside a
 * word only when one alone is wider than w), never cut, and never inside
 * a part between KEEP_ON and KEEP_OFF; draw it when draw is set. Returns
 * the height the text takes. NULL or "" takes no room. */
static double text(struct doc *d, int draw, double x, double y, double w,
                   PangoAlignment align, const char *font, const char *s)
{
    if (!s || !*s)
        return 0;
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    char *v = g_utf8_make_valid(s, -1);
    if (strchr(v, KEEP_ON[0])) {
        PangoAttrList *attrs = pango_attr_list_new();
        size_t k = 0, on = 0;
        for (size_t i = 0; v[i]; i++) {
            if (v[i] == KEEP_ON[0]) {
                on = k;
            } else if (v[i] == KEEP_OFF[0]) {
                PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
                a->start_index = (guint)on;
                a->end_index = (guint)k;
                pango_attr_list_insert(attrs, a);
            } else {
                v[k++] = v[i];
            }
        }
        v[k] = '\0';
        pango_layout_set_attributes(l, attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(l, v, -1);
    g_free(v);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    if (draw) {
        cairo_move_to(d->cr, x, y);
        pango_cairo_show_layout(d->cr, l);
    }
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

/* The width s takes in font on one line, unwrapped. */
static double text_width(struct doc *d, const char *font, const char *s)
{
    if (!s || !*s)
        return 0;
    PangoLayout *l = pango_layout_new(d->pc);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    char *v = g_utf8_make_valid(s, -1);
    pango_layout_set_text(l, v, -1);
    g_free(v);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    g_object_unref(l);
    return (double)pw / PANGO_SCALE;
}

/* A horizontal line from x0 to x1 at y. */
static void hrule(struct doc *d, double x0, double x1, double y, double width,
                  enum colour c)
{
    colour(d, c);
    cairo_set_line_width(d->cr, width);
    cairo_move_to(d->cr, x0, y);
    cairo_line_to(d->cr, x1, y);
    cairo_stroke(d->cr);
}

static double dmax(double a, double b)
{
    return a > b ? a : b;
}

/* ------------------------------------------------------------ page frame */

/* The issuer's numbers on separate lines: KvK, SIRET, VAT number, IBAN /
 * BIC. */
static void issuer_ids(struct doc *d, struct sbuf *b, const char *sep)
{
    char iban[64];
    const char *parts[4] = {NULL, NULL, NULL, NULL};
    char *kvk = NULL, *siret = NULL, *vat = NULL, *acct = NULL;
    if (d->issuer.kvk && *d->issuer.kvk)
        parts[0] = kvk = xasprintf("%s %s", d->w->kvk, d->issuer.kvk);
    if (d->issuer_siret && *d->issuer_siret)
        parts[1] = siret = xasprintf("SIRET %s", d->issuer_siret);
    if (d->issuer.vat_number && *d->issuer.vat_number)
        parts[2] = vat =
            xasprintf("%s %s", d->w->vat_no, d->issuer.vat_number);
    if (d->issuer.iban && *d->issuer.iban)
        parts[3] = acct = xasprintf(
            "IBAN %s%s%s", iban_pretty(d->issuer.iban, iban),
            d->issuer_bic && *d->issuer_bic ? " · BIC " : "",
            d->issuer_bic && *d->issuer_bic ? d->issuer_bic : "");
    for (int i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        if (b->len)
            sb_add(b, sep);
        sb_add(b, parts[i]);
    }
    free(kvk), free(siret), free(vat), free(acct);
}

/* A party's block: label, name, address, VAT and KvK numbers. */
static double party_block(struct doc *d, int draw, double x, double y,
                          double w, const char *label,
                          const struct party *pt)
{
    double y0 = y;
    colour(d, MUTED);
    y += text(d, draw, x, y, w, PANGO_ALIGN_LEFT, FONT_SMALL_BOLD, label);
    y += 2;
    colour(d, INK);
    y += text(d, draw, x, y, w, PANGO_ALIGN_LEFT, FONT_PARTY, pt->name);
    y += 1;
    y += text(d, draw, x, y, w, PANGO_ALIGN_LEFT, FONT_BODY, pt->address);
    struct sbuf b = {0};
    if (pt->vat_number && *pt->vat_number)
        sb_printf(&b, "%s %s", d->w->vat_no, pt->vat_number);
    if (pt->kvk && *pt->kvk)
        sb_printf(&b, "%s%s %s", b.len ? "\n" : "", d->w->kvk, pt->kvk);
    if (b.len) {
        y += 2;
        colour(d, MUTED);
        y += text(d, draw, x, y, w, PANGO_ALIGN_LEFT, FONT_BODY, sb_str(&b));
    }
    sb_free(&b);
    return y - y0;
}

/* One "label  value" row of the header's right-hand column: the label
 * on the left, the value on the right, on one line when both fit; else
 * the value goes below the label, wrapped on the column's width. */
static double meta_row(struct doc *d, double y, const char *label,
                       const char *value)
{
    if (!value || !*value)
        return 0;
    int stacked = text_width(d, FONT_BODY, label) + 8 +
                      text_width(d, FONT_BOLD, value) >
                  RIGHT_W;
    colour(d, MUTED);
    double h1 = text(d, 1, RIGHT_X, y, RIGHT_W, PANGO_ALIGN_LEFT, FONT_BODY,
                     label);
    colour(d, INK);
    double h2 = text(d, 1, RIGHT_X, stacked ? y + h1 + 1 : y, RIGHT_W,
                     PANGO_ALIGN_RIGHT, FONT_BOLD, value);
    return (stacked ? h1 + 1 + h2 : dmax(h1, h2)) + 2.5;
}

/* The first page's head: issuer, title and facts (and the copy mark),
 * customer (and for self-billing the agency). Leaves d->y below it. */
static void header_first(struct doc *d)
{
    const struct invoice *inv = d->inv;
    const struct words *w = d->w;
    double lw = RIGHT_X - MARGIN - 20, y = TOP;

    colour(d, ACCENT);
    y += text(d, 1, MARGIN, y, lw, PANGO_ALIGN_LEFT, FONT_NAME,
              d->issuer.name);
    y += 3;
    colour(d, INK);
    y += text(d, 1, MARGIN, y, lw, PANGO_ALIGN_LEFT, FONT_BODY,
              d->issuer.address);
    struct sbuf ids = {0};
    issuer_ids(d, &ids, "\n");
    if (d->inv->kind != INV_SELFBILL && d->inv->kind != INV_ON_BEHALF &&
        !d->inv->supplier.id && d->p->email && *d->p->email)
        sb_printf(&ids, "%s%s", ids.len ? "\n" : "", d->p->email);
    y += 4;
    colour(d, MUTED);
    y += text(d, 1, MARGIN, y, lw, PANGO_ALIGN_LEFT, FONT_BODY, sb_str(&ids));
    sb_free(&ids);
    if (inv->practitioner && *inv->practitioner) {
        /* On the issuer's side and its whole width: the practitioner with
         * the registration number (BIG) is legal text, never cut. */
        y += 6;
        colour(d, MUTED);
        y += text(d, 1, MARGIN, y, lw, PANGO_ALIGN_LEFT, FONT_SMALL_BOLD,
                  w->practitioner);
        y += 1;
        colour(d, INK);
        y += text(d, 1, MARGIN, y, lw, PANGO_ALIGN_LEFT, FONT_BODY,
                  inv->practitioner);
    }

    double ry = TOP - 4;
    colour(d, ACCENT);
    ry += text(d, 1, RIGHT_X, ry, RIGHT_W, PANGO_ALIGN_RIGHT, FONT_TITLE,
               d->title);
    if (d->copy) {
        char day[48];
        char *s = xasprintf(w->copy_of, date_long(w, inv->issued, day));
        colour(d, STAMP);
        ry += 2;
        ry += text(d, 1, RIGHT_X, ry, RIGHT_W, PANGO_ALIGN_RIGHT, FONT_STAMP,
                   w->copy);
        ry += text(d, 1, RIGHT_X, ry, RIGHT_W, PANGO_ALIGN_RIGHT, FONT_SMALL,
                   s);
        ry += 2;
        free(s);
    }
    colour(d, INK);
    if (inv->kind == INV_CREDIT && inv->credit_of) {
        char *s = xasprintf(w->corrects, inv->credit_of);
        ry += text(d, 1, RIGHT_X, ry, RIGHT_W, PANGO_ALIGN_RIGHT, FONT_BOLD,
                   s);
        free(s);
    }
    if (inv->kind == INV_SELFBILL)
        ry += text(d, 1, RIGHT_X, ry, RIGHT_W, PANGO_ALIGN_RIGHT, FONT_BOLD,
                   w->selfbill);
    if (inv->kind == INV_ON_BEHALF ||
        (inv->kind == INV_CREDIT && inv->supplier.id)) {
        char *s = xasprintf(w->on_behalf, d->p->name, d->issuer.name);
        ry += text(d, 1, RIGHT_X, ry, RIGHT_W, PANGO_ALIGN_RIGHT, FONT_BOLD,
                   s);
        free(s);
    }
    ry += 10;
    char issued[11], due[11];
    date_fmt_locale(inv->issued, d->loc, issued);
    date_fmt_locale(inv->due, d->loc, due);
    int credit = inv->kind == INV_CREDIT;
    ry += meta_row(d, ry, credit ? w->number_credit : w->number, inv->number);
    ry += meta_row(d, ry, w->issued, issued);
    if (!credit) {
        ry += meta_row(d, ry, w->due, due);
        ry += meta_row(d, ry,
                       d->ref.scheme == PAYREF_BE ? w->payref_be : w->payref,
                       d->ref.printed);
    }

    d->y = dmax(y, ry) + 26;
    double h = party_block(d, 1, MARGIN, d->y, lw, w->bill_to, &inv->to);
    /* The agency's name and role, unless it is the buyer itself. */
    if (inv->kind == INV_ON_BEHALF ||
        (inv->kind == INV_CREDIT && inv->supplier.id) ||
        (inv->kind == INV_SELFBILL &&
         !(inv->to.name && d->p->name && !strcmp(inv->to.name, d->p->name)))) {
        struct party agency = {
            .name = d->p->name, .address = d->p->address,
            .vat_number = d->p->vat_number, .kvk = d->p->kvk};
        h = dmax(h, party_block(d, 1, RIGHT_X, d->y, RIGHT_W, w->agency,
                                &agency));
    }
    d->y += h + 24;
}

/* Later pages' head: issuer and "title number" (and the copy mark). */
static void header_next(struct doc *d)
{
    char *s = xasprintf("%s %s%s%s", d->title,
                        d->inv->number ? d->inv->number : "",
                        d->copy ? " · " : "", d->copy ? d->w->copy : "");
    colour(d, ACCENT);
    double h = text(d, 1, MARGIN, TOP, CONTENT_W * 0.55, PANGO_ALIGN_LEFT,
                    FONT_PARTY, d->issuer.name);
    colour(d, d->copy ? STAMP : INK);
    h = dmax(h, text(d, 1, MARGIN + CONTENT_W * 0.55, TOP, CONTENT_W * 0.45,
                     PANGO_ALIGN_RIGHT, FONT_PARTY, s));
    free(s);
    hrule(d, MARGIN, PAGE_W - MARGIN, TOP + h + 6, 0.6, RULE);
    d->y = TOP + h + 20;
}

/* Issuer and numbers at the foot of every page, and "page n of N". */
static void footer(struct doc *d)
{
    double y = PAGE_H - 44;
    hrule(d, MARGIN, PAGE_W - MARGIN, y - 6, 0.6, RULE);
    struct sbuf b = {0};
    sb_add(&b, d->issuer.name ? d->issuer.name : "");
    issuer_ids(d, &b, " · ");
    colour(d, MUTED);
    text(d, 1, MARGIN, y, CONTENT_W - 90, PANGO_ALIGN_LEFT, FONT_SMALL,
         sb_str(&b));
    sb_free(&b);
    char page[64];
    snprintf(page, sizeof page, d->w->page, d->page,
             d->pages ? d->pages : d->page);
    text(d, 1, PAGE_W - MARGIN - 85, y, 85, PANGO_ALIGN_RIGHT, FONT_SMALL,
         page);
}

/* ------------------------------------------------------------ the lines */

static const struct column {
    double x, w;
    PangoAlignment align;
} cols[5] = {
    {0, 220, PANGO_ALIGN_LEFT},   /* description and period */
    {220, 45, PANGO_ALIGN_RIGHT}, /* quantity */
    {265, 80, PANGO_ALIGN_RIGHT}, /* unit price */
    {345, 60, PANGO_ALIGN_RIGHT}, /* VAT rate */
    {405, 90, PANGO_ALIGN_RIGHT}, /* amount */
};

/* Text in column c of the lines table, padded; returns its height. */
static double cell(struct doc *d, int draw, int c, double y, const char *font,
                   const char *s)
{
    return text(d, draw, MARGIN + cols[c].x + PAD, y, cols[c].w - 2 * PAD,
                cols[c].align, font, s);
}

/* The lines table's head on a grey band; returns its height. The price
 * column says "excl. VAT" once any line bears VAT. */
static double table_header(struct doc *d, int draw)
{
    const struct words *w = d->w;
    const char *heads[5] = {w->desc, w->qty,
                            d->has_vat ? w->price_excl : w->price, w->vat,
                            w->amount};
    double h = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass && draw) {
            colour(d, FILL);
            cairo_rectangle(d->cr, MARGIN, d->y, CONTENT_W, h);
            cairo_fill(d->cr);
            colour(d, MUTED);
        }
        for (int c = 0; c < 5; c++)
            h = dmax(h, cell(d, pass && draw, c, d->y + 5, FONT_SMALL_BOLD,
                             heads[c]) +
                            10);
        if (!draw)
            break;
    }
    return h;
}

/* The small print under a line's description: its date or period of
 * supply, and for a prorated line the days and the list price it comes
 * from. Returns a malloc'd string, or NULL when there is none. */
static char *line_notes(struct doc *d, const struct invoice_line *l,
                        cdate from, cdate to)
{
    const struct words *w = d->w;
    struct sbuf b = {0};
    if (from != CDATE_NONE) {
        char *s = supply_text(w, from, to);
        sb_add(&b, s);
        free(s);
    }
    int64_t list;
    int active, days;
    if (line_proration(l, &list, &active, &days)) {
        char excl[48], incl[48];
        if (b.len)
            sb_addc(&b, '\n');
        sb_printf(&b, w->prorated, active, days,
                  money_nb(excl_vat(d->inv, l, list), d->loc, excl));
        if (excl_vat(d->inv, l, list) != list)
            sb_printf(&b, w->list_incl,
                      money_nb(list, d->loc, incl));
    }
    return b.len ? sb_steal(&b) : NULL;
}

/* One invoice line: description with its period of supply (and
 * proration), quantity, unit price (excl. VAT when the line bears VAT),
 * VAT rate, amount as stored, and a rule below; returns its height. */
static double line_row(struct doc *d, int draw, const struct invoice_line *l)
{
    const struct words *w = d->w;
    double y = d->y + 4, h;
    char qty[32], num[32], rate[40], unit[48], amount[48];
    cdate from, to;

    colour(d, INK);
    char *desc = xstrndup(l->description ? l->description : "",
                          desc_period(l, &from, &to));
    h = cell(d, draw, 0, y, FONT_BODY, desc);
    free(desc);
    char *notes = line_notes(d, l, from, to);
    if (notes) {
        colour(d, MUTED);
        h += 1 + cell(d, draw, 0, y + h + 1, FONT_SMALL, notes);
        free(notes);
    }
    colour(d, INK);
    number_fmt(l->qty100, w->decimal, qty);
    if (l->vat_exempt)
        snprintf(rate, sizeof rate, "%s", w->exempt);
    else
        snprintf(rate, sizeof rate, "%s%%",
                 number_fmt(l->vat_bp, w->decimal, num));
    money_nb(excl_vat(d->inv, l, l->unit_cents), d->loc, unit);
    h = dmax(h, cell(d, draw, 1, y, FONT_BODY, qty));
    h = dmax(h, cell(d, draw, 2, y, FONT_BODY, unit));
    h = dmax(h, cell(d, draw, 3, y, FONT_BODY, rate));
    h = dmax(h, cell(d, draw, 4, y, FONT_BODY,
                     money_nb(l->amount_cents, d->loc, amount)));
    h += 8;
    if (draw)
        hrule(d, MARGIN, PAGE_W - MARGIN, d->y + h, 0.4, RULE);
    return h;
}

/* Close the page (footer) and open the next one with the compact head,
 * and the table head when lines are still being printed. */
static void new_page(struct doc *d, int with_table_header)
{
    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    header_next(d);
    if (with_table_header)
        d->y += table_header(d, 1);
}

/* Make room for a block of height h: a new page when it does not fit. */
static void need(struct doc *d, double h)
{
    if (d->y + h > BOTTOM)
        new_page(d, 0);
}

/* ------------------------------------------------------------ summary */

/* VAT per rate: rate, base, VAT amount (or the exemption text). */
static double vat_block(struct doc *d, int draw)
{
    const struct words *w = d->w;
    const double x = MARGIN + PAD, wr = 95, wb = 100, xv = MARGIN + 205;
    const double wv = CONTENT_W - 205 - PAD;
    double y = d->y, h;
    char rate[40], base[48], vat[48];

    colour(d, MUTED);
    h = text(d, draw, x, y, wr, PANGO_ALIGN_LEFT, FONT_SMALL_BOLD, w->rate);
    text(d, draw, x + wr, y, wb, PANGO_ALIGN_RIGHT, FONT_SMALL_BOLD, w->base);
    text(d, draw, xv, y, wv, PANGO_ALIGN_RIGHT, FONT_SMALL_BOLD,
         w->vat_amount);
    y += h + 3;
    if (draw)
        hrule(d, MARGIN, PAGE_W - MARGIN, y, 0.4, RULE);
    y += 3;
    for (size_t i = 0; i < d->inv->n_vats; i++) {
        const struct invoice_vat *v = &d->inv->vats[i];
        char num[32];
        if (v->exempt)
            snprintf(rate, sizeof rate, "%s", w->exempt);
        else
            snprintf(rate, sizeof rate, "%s%%",
                     number_fmt(v->bp, w->decimal, num));
        colour(d, INK);
        h = text(d, draw, x, y, wr, PANGO_ALIGN_LEFT, FONT_BODY, rate);
        h = dmax(h, text(d, draw, x + wr, y, wb, PANGO_ALIGN_RIGHT, FONT_BODY,
                         money_nb(v->base_cents, d->loc, base)));
        const char *right = v->exempt
                                ? (v->exempt_text && *v->exempt_text
                                       ? v->exempt_text
                                       : w->exempt)
                                : money_nb(v->vat_cents, d->loc, vat);
        h = dmax(h, text(d, draw, xv, y, wv, PANGO_ALIGN_RIGHT, FONT_BODY,
                         right));
        y += h + 3;
    }
    return y - d->y;
}

/* Totals on the right: net, VAT, total; paid and still due when paid. */
static double totals_block(struct doc *d, int draw)
{
    const struct invoice *inv = d->inv;
    const struct words *w = d->w;
    const double xl = PAGE_W - MARGIN - 240, wl = 140;
    const double xa = xl + wl, wa = 100 - PAD;
    double y = d->y;
    char buf[48];
    struct total_row {
        const char *label;
        int64_t cents;
        int bold;
    } rows[5];
    int n = 0;
    rows[n++] = (struct total_row){w->net_total, inv->net_cents, 0};
    rows[n++] = (struct total_row){w->vat_total, inv->vat_cents, 0};
    rows[n++] = (struct total_row){w->total, inv->total_cents, 1};
    if (inv->paid_cents && inv->kind != INV_CREDIT) {
        rows[n++] = (struct total_row){w->paid, -inv->paid_cents, 0};
        rows[n++] = (struct total_row){w->to_pay, epc_amount_open(inv), 1};
    }
    for (int i = 0; i < n; i++) {
        if (rows[i].bold) {
            y += 2;
            if (draw)
                hrule(d, xl, PAGE_W - MARGIN, y, 0.8, INK);
            y += 4;
        }
        const char *font = rows[i].bold ? "DejaVu Sans Bold 9.5" : FONT_BODY;
        colour(d, rows[i].bold ? INK : MUTED);
        double h = text(d, draw, xl, y, wl, PANGO_ALIGN_LEFT, font,
                        rows[i].label);
        colour(d, INK);
        h = dmax(h, text(d, draw, xa, y, wa, PANGO_ALIGN_RIGHT, font,
                         money_nb(rows[i].cents, d->loc, buf)));
        y += h + 3;
    }
    return y - d->y;
}

/* What becomes of a credit note's amount. The credit is applied to what
 * the corrected invoice still owed when it was issued (booked on the
 * credit note as its settled amount, -paid_cents: payments on a credit
 * note are refused, so nothing else is); the rest was already paid and
 * is refunded (what stays open on the credit note, -open). Returns a
 * malloc'd sentence. */
static char *credit_sentence(struct doc *d)
{
    const struct invoice *inv = d->inv;
    const struct words *w = d->w;
    const char *orig = inv->credit_of ? inv->credit_of : "";
    int64_t settled = -inv->paid_cents, refund = -epc_amount_open(inv);
    char a[48], b[48];
    if (settled < 0)
        settled = 0;
    if (refund < 0)
        refund = 0;
    if (settled > 0 && refund > 0)
        return xasprintf(w->credit_both, orig,
                         money_nb(settled, d->loc, a),
                         money_nb(refund, d->loc, b));
    if (refund > 0)
        return xasprintf(w->credit_refund, orig,
                         money_nb(refund, d->loc, a));
    if (settled == 0)
        settled = inv->total_cents < 0 ? -inv->total_cents : inv->total_cents;
    return xasprintf(w->credit_void, orig,
                     money_nb(settled, d->loc, a));
}

/* How to settle: a transfer with the payment reference (and the QR code),
 * the direct debit, the credit, or nothing left to pay. */
static double payment_block(struct doc *d, int draw)
{
    const struct invoice *inv = d->inv;
    const struct words *w = d->w;
    int64_t open = epc_amount_open(inv);
    char amount[48], date[11], acct[64], due[11];
    char *title = NULL, *body = NULL;

    if (inv->kind == INV_CREDIT) {
        title = xstrdup(w->credit_title);
        body = credit_sentence(d);
    } else if (inv->status == ST_CREDITED) {
        body = xstrdup(w->credited_text);
    } else if (open <= 0) {
        title = xstrdup(w->paid_title);
        body = xstrdup(w->paid_text);
    } else if (inv->direct_debit) {
        title = xstrdup(w->dd_title);
        date_fmt_locale(inv->issued + d->p->dd_collection_days, d->loc, date);
        money_nb(open, d->loc, amount);
        if (inv->to.iban && *inv->to.iban)
            body = xasprintf(w->dd_acct, amount, date,
                             iban_pretty(inv->to.iban, acct));
        else
            body = xasprintf(w->dd_noacct, amount, date);
    } else {
        title = xasprintf(w->pay_by, date_fmt_locale(inv->due, d->loc, due));
        money_nb(open, d->loc, amount);
        struct sbuf a = {0};
        sb_add(&a, iban_pretty(d->payee.iban, acct));
        if (d->issuer_bic && *d->issuer_bic)
            sb_printf(&a, " (BIC %s)", d->issuer_bic);
        char *ref = xasprintf(KEEP_ON "%s" KEEP_OFF,
                              d->ref.scheme != PAYREF_NONE ? d->ref.printed
                              : inv->number                ? inv->number
                                                           : "");
        body = xasprintf(d->ref.scheme == PAYREF_NONE ? w->pay_num
                         : d->ref.scheme == PAYREF_BE ? w->pay_be
                                                      : w->pay_ref,
                         amount, sb_str(&a), d->payee.name, ref);
        free(ref);
        sb_free(&a);
    }

    const double box_pad = 10, qr_box = d->qr ? QR_SIZE + 24 : 0;
    double tw = CONTENT_W - 2 * box_pad - qr_box;
    double x = MARGIN + box_pad, y = d->y + box_pad;
    double th = 0;
    for (int pass = 0; pass < 2; pass++) {
        int on = pass && draw;
        if (on) {
            colour(d, FILL);
            cairo_rectangle(d->cr, MARGIN, d->y, CONTENT_W, th + 2 * box_pad);
            cairo_fill(d->cr);
        }
        double ty = y;
        colour(d, ACCENT);
        ty += text(d, on, x, ty, tw, PANGO_ALIGN_LEFT, "DejaVu Sans Bold 10",
                   title);
        if (title)
            ty += 4;
        colour(d, INK);
        ty += text(d, on, x, ty, tw, PANGO_ALIGN_LEFT, FONT_BODY, body);
        th = ty - y;
        if (d->qr) {
            /* The symbol with a quiet zone of four modules, then the
             * caption. */
            double m = QR_SIZE / d->qr_w, q = 4 * m;
            double qx = PAGE_W - MARGIN - box_pad - QR_SIZE - q;
            double qy = y;
            if (on) {
                cairo_set_source_rgb(d->cr, 1, 1, 1);
                cairo_rectangle(d->cr, qx - q, qy, QR_SIZE + 2 * q,
                                QR_SIZE + 2 * q);
                cairo_fill(d->cr);
                cairo_set_source_rgb(d->cr, 0, 0, 0);
                for (int r = 0; r < d->qr_w; r++)
                    for (int c = 0; c < d->qr_w;) {
                        if (!d->qr[r * d->qr_w + c]) {
                            c++;
                            continue;
                        }
                        int c0 = c;
                        while (c < d->qr_w && d->qr[r * d->qr_w + c])
                            c++;
                        cairo_rectangle(d->cr, qx + c0 * m, qy + q + r * m,
                                        (c - c0) * m, m);
                    }
                cairo_fill(d->cr);
            }
            colour(d, MUTED);
            double ch = text(d, on, qx - q, qy + QR_SIZE + 2 * q + 1,
                             QR_SIZE + 2 * q, PANGO_ALIGN_CENTER, FONT_SMALL,
                             w->scan);
            th = dmax(th, QR_SIZE + 2 * q + 1 + ch);
        }
        if (!draw)
            break;
    }
    free(title), free(body);
    return th + 2 * box_pad;
}

/* ------------------------------------------------------------ document */

/* Lay the whole invoice out on surface; returns the number of pages. */
static int render(struct doc *d, cairo_surface_t *surface)
{
    d->cr = cairo_create(surface);
    d->pc = pango_cairo_create_context(d->cr);
    pango_cairo_context_set_resolution(d->pc, 72);
    pango_context_set_round_glyph_positions(d->pc, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(d->pc, fo);
    cairo_font_options_destroy(fo);

    d->page = 1;
    header_first(d);
    d->y += table_header(d, 1);
    for (size_t i = 0; i < d->inv->n_lines; i++) {
        double h = line_row(d, 0, &d->inv->lines[i]);
        if (d->y + h > BOTTOM)
            new_page(d, 1);
        line_row(d, 1, &d->inv->lines[i]);
        d->y += h;
    }
    if (d->inv->prices_include_vat) {
        d->y += 4;
        colour(d, MUTED);
        d->y += text(d, 1, MARGIN, d->y, CONTENT_W, PANGO_ALIGN_LEFT,
                     FONT_SMALL,
                     d->has_vat ? d->w->units_excl : d->w->prices_incl);
    }
    d->y += 16;
    double h = vat_block(d, 0);
    need(d, h);
    vat_block(d, 1);
    d->y += h + 8;
    h = totals_block(d, 0);
    need(d, h);
    totals_block(d, 1);
    d->y += h + 18;
    h = payment_block(d, 0);
    need(d, h);
    payment_block(d, 1);
    d->y += h;
    footer(d);
    cairo_show_page(d->cr);

    g_object_unref(d->pc);
    cairo_destroy(d->cr);
    d->pc = NULL;
    d->cr = NULL;
    return d->page;
}

/* A cairo writer that drops the bytes: the page-counting pass. */
static cairo_status_t discard(void *closure, const unsigned char *data,
                              unsigned int len)
{
    return CAIRO_STATUS_SUCCESS;
}

/* Render inv through the write function wf(closure). */
static int render_to(const struct invoice *inv, const struct practice *p,
                     const struct pdf_options *o, cairo_write_func_t wf,
                     void *closure, struct err *e)
{
    assert(inv && p);
    struct doc d = {.inv = inv, .p = p, .copy = o && o->copy};
    d.loc = doc_locale(inv, p);
    d.w = words_for(d.loc);
    d.title = inv->kind == INV_CREDIT ? d.w->credit_note : d.w->invoice;
    if (inv->kind == INV_SELFBILL) {
        d.issuer = inv->supplier;
    } else if (inv->kind == INV_ON_BEHALF ||
               (inv->kind == INV_CREDIT && inv->supplier.id)) {
        /* In the supplier's name; paid to the agency, which collects
         * (a credit note of such an invoice too). */
        d.issuer = inv->supplier;
        d.issuer.iban = NULL;
        d.issuer_bic = p->bic;
    } else {
        d.issuer = (struct party){.name = p->name, .address = p->address,
                                  .vat_number = p->vat_number, .kvk = p->kvk,
                                  .iban = p->iban};
        d.issuer_bic = p->bic;
        d.issuer_siret = p->siret;
    }
    d.payee = d.issuer;
    if (inv->kind == INV_ON_BEHALF ||
        (inv->kind == INV_CREDIT && inv->supplier.id))
        d.payee = (struct party){.name = p->name, .iban = p->iban};
    for (size_t i = 0; i < inv->n_lines; i++)
        d.has_vat |= line_has_vat(&inv->lines[i]);
    invoice_payref(inv, p, &d.ref);

    /* The QR code goes on invoices still open and paid by transfer. */
    if (inv->kind != INV_CREDIT && inv->status == ST_OPEN &&
        !inv->direct_debit && epc_amount_open(inv) > 0) {
        char *payload = epc_payload(inv, p, e);
        if (!payload || epc_qr_modules(payload, &d.qr, &d.qr_w, e) < 0) {
            free(payload);
            return err_prefix(e, "invoice %s",
                              inv->number ? inv->number : "?");
        }
        free(payload);
    }

    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
    d.pages = render(&d, s);
    cairo_surface_destroy(s);

    s = cairo_pdf_surface_create_for_stream(wf, closure, PAGE_W, PAGE_H);
    char *title = xasprintf("%s %s%s%s%s", d.title,
                            inv->number ? inv->number : "",
                            d.copy ? " (" : "", d.copy ? d.w->copy : "",
                            d.copy ? ")" : "");
    char created[32], ymd[11];
    snprintf(created, sizeof created, "%sT00:00:00",
             date_fmt(inv->issued, ymd));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    if (d.issuer.name)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR,
                                       d.issuer.name);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "carebill");
    if (inv->issued != CDATE_NONE) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                       created);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
                                       created);
    }
    free(title);
    render(&d, s);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    free(d.qr);
    if (st != CAIRO_STATUS_SUCCESS)
        return err_set(e, "invoice %s: cannot write the PDF: %s",
                       inv->number ? inv->number : "?",
                       cairo_status_to_string(st));
    return 0;
}

/* Cairo writers into a FILE and into an sbuf. */
static cairo_status_t write_buf(void *closure, const unsigned char *data,
                                unsigned int len)
{
    sb_addn(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

int pdf_invoice_opts(const struct invoice *inv, const struct practice *p,
                     const struct pdf_options *o, const char *path,
                     struct err *e)
{
    /* Rendered whole, then written atomically: a failure never leaves a
     * truncated PDF at path, nor replaces what was there. */
    struct sbuf b = {0};
    int rc = render_to(inv, p, o, write_buf, &b, e);
    if (rc == 0)
        rc = out_file_write(path, b.s ? b.s : "", b.len, e);
    sb_free(&b);
    return rc;
}

int pdf_invoice(const struct invoice *inv, const struct practice *p,
                const char *path, struct err *e)
{
    return pdf_invoice_opts(inv, p, NULL, path, e);
}

int pdf_invoice_buf_opts(const struct invoice *inv, const struct practice *p,
                         const struct pdf_options *o, char **buf, size_t *len,
                         struct err *e)
{
    struct sbuf b = {0};
    if (render_to(inv, p, o, write_buf, &b, e) < 0) {
        sb_free(&b);
        return -1;
    }
    *len = b.len;
    *buf = sb_steal(&b);
    return 0;
}

int pdf_invoice_buf(const struct invoice *inv, const struct practice *p,
                    char **buf, size_t *len, struct err *e)
{
    return pdf_invoice_buf_opts(inv, p, NULL, buf, len, e);
}
