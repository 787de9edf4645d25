/*
 * test_mime.c — mime_compose(): exact ASCII headers, RFC 2047 names and
 * subjects (decoded back here), quoted-printable and base64 round trips,
 * RFC 2231 filenames, CR/LF header injection, refused addresses, and an
 * independent parse of the result by Python's email package.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/mime.h"
#include "base/util.h"

/* ------------------------------------------------------------ decoders */

static int b64_val(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decode base64, skipping CR/LF; appends to out. */
static void b64_decode(struct sbuf *out, const char *s, size_t n)
{
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int d = b64_val(s[i]);
        if (d < 0)
            continue;
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            sb_addc(out, (char)((v >> bits) & 0xff));
        }
    }
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode quoted-printable; asserts every line is at most 76 characters. */
static char *qp_decode(const char *s, size_t n)
{
    struct sbuf out = {0};
    size_t col = 0;
    sb_add(&out, "");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
            sb_add(&out, "\r\n");
            i++;
            col = 0;
            continue;
        }
        col++;
        assert_true(col <= 76);
        if (s[i] == '=') {
            if (s[i + 1] == '\r' && s[i + 2] == '\n') {
                i += 2;
                col = 0;
                continue;
            }
            assert_true(hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0);
            sb_addc(&out, (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2])));
            i += 2;
            col += 2;
            continue;
        }
        assert_true((unsigned char)s[i] >= 0x20 || s[i] == '\t');
        assert_true((unsigned char)s[i] < 0x7f);
        sb_addc(&out, s[i]);
    }
    return sb_steal(&out);
}

/* The unfolded value of header name (case-insensitive) in msg's header
 * block, with RFC 2047 B-words decoded and the blanks between adjacent
 * encoded-words dropped; NULL when absent. Asserts it occurs once. */
static char *header(const char *msg, const char *name)
{
    const char *end = strstr(msg, "\r\n\r\n");
    assert_non_null(end);
    size_t nl = strlen(name);
    const char *found = NULL;
    for (const char *l = msg; l < end; l = strstr(l, "\r\n") + 2)
        if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
            assert_null(found);
            found = l + nl + 1;
        }
    if (!found)
        return NULL;
    struct sbuf raw = {0};
    const char *p = found;
    for (;;) {
        const char *e = strstr(p, "\r\n");
        sb_addn(&raw, p, (size_t)(e - p));
        if (e[2] != ' ' && e[2] != '\t')
            break;
        p = e + 2;
    }
    const char *v = raw.s;
    while (*v == ' ')
        v++;
    struct sbuf out = {0};
    sb_add(&out, "");
    int last_was_word = 0;
    size_t blanks = 0; /* raw blanks after an encoded-word, held back */
    while (*v) {
        if (strncmp(v, "=?UTF-8?B?", 10) == 0) {
            const char *q = strstr(v + 10, "?=");
            assert_non_null(q);
            if (!last_was_word) /* blanks between encoded-words vanish */
                for (; blanks; blanks--)
                    sb_addc(&out, ' ');
            blanks = 0;
            b64_decode(&out, v + 10, (size_t)(q - v - 10));
            v = q + 2;
            last_was_word = 1;
        } else if (*v == ' ' && last_was_word) {
            blanks++;
            v++;
        } else {
            for (; blanks; blanks--)
                sb_addc(&out, ' ');
            last_was_word = 0;
            sb_addc(&out, *v++);
        }
    }
    for (; blanks; blanks--)
        sb_addc(&out, ' ');
    sb_free(&raw);
    return sb_steal(&out);
}

/* Every line of msg ends in CRLF, is at most 76 characters (78 for a
 * line that is one unbreakable token) and 7-bit. */
static void assert_wire_form(const char *msg, size_t len)
{
    assert_int_equal(strlen(msg), len);
    assert_true(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n');
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)msg[i];
        assert_true(c < 0x80);
        if (c == '\n') {
            assert_true(i > 0 && msg[i - 1] == '\r');
            col = 0;
        } else if (c == '\r') {
            assert_true(msg[i + 1] == '\n');
        } else {
            col++;
            assert_true(col <= 76);
        }
    }
}

/* The body (after the first blank line). */
static const char *body_of(const char *msg)
{
    const char *b = strstr(msg, "\r\n\r\n");
    assert_non_null(b);
    return b + 4;
}

static struct mail base_mail(void)
{
    struct mail m = {
        .from_addr = "facturen@praktijk-noord.nl",
        .from_name = "Praktijk Noord",
        .to_addr = "j.devries@example.com",
        .to_name = "Jan de Vries",
        .subject = "Factuur 2026-00042",
        .body_text = "Beste Jan,\n\nIn de bijlage je factuur.\n",
        .message_id = "inv-2026-00042.ev1@praktijk-noord.nl",
        .date_rfc5322 = "Mon, 23 Nov 2026 09:00:00 +0100",
    };
    return m;
}

/* ------------------------------------------------------------ cases */

/* 1.1 an all-ASCII message is exactly this */
static void m1_1_ascii_exact(void **state)
{
    struct mail m = base_mail();
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    assert_string_equal(s,
        "From: \"Praktijk Noord\" <facturen@praktijk-noord.nl>\r\n"
        "To: \"Jan de Vries\" <j.devries@example.com>\r\n"
        "Subject: Factuur 2026-00042\r\n"
        "Date: Mon, 23 Nov 2026 09:00:00 +0100\r\n"
        "Message-ID: <inv-2026-00042.ev1@praktijk-noord.nl>\r\n"
        "MIME-Version: 1.0\r\n"
        "Auto-Submitted: auto-generated\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Beste Jan,\r\n"
        "\r\n"
        "In de bijlage je factuur.\r\n");
    assert_wire_form(s, len);
    free(s);
}

/* 1.2 no display name: the bare address; a name with specials is quoted */
static void m1_2_names_plain(void **state)
{
    struct mail m = base_mail();
    m.from_name = NULL;
    m.to_name = "Vries, Jan de (patiënt)";
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    assert_non_null(strstr(s, "From: facturen@praktijk-noord.nl\r\n"));
    char *to = header(s, "To");
    assert_string_equal(to, "Vries, Jan de (patiënt) <j.devries@example.com>");
    free(to);
    free(s);

    m = base_mail();
    m.to_name = "Vries, Jan de";
    s = mime_compose(&m, &len, &e);
    assert_non_null(strstr(s, "To: \"Vries, Jan de\" <j.devries@example.com>"
                              "\r\n"));
    free(s);

    m.to_name = "Jan \"de\" Vries"; /* a quote inside: encoded */
    s = mime_compose(&m, &len, &e);
    to = header(s, "To");
    assert_string_equal(to, "Jan \"de\" Vries <j.devries@example.com>");
    assert_non_null(strstr(s, "To: =?UTF-8?B?"));
    free(to);
    free(s);
}

/* 1.3 RFC 2047: a non-ASCII name and subject decode back exactly */
static void m1_3_rfc2047(void **state)
{
    struct mail m = base_mail();
    m.to_name = "Zoë Müller-Lefèvre";
    m.subject = "Herinnering: factuur 2026-00042 — nog € 45,00 open";
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    assert_wire_form(s, len);
    assert_non_null(strstr(s, "\r\nTo: =?UTF-8?B?"));
    assert_non_null(strstr(s, "\r\nSubject: =?UTF-8?B?"));
    char *to = header(s, "To"), *subj = header(s, "Subject");
    assert_string_equal(to, "Zoë Müller-Lefèvre <j.devries@example.com>");
    assert_string_equal(subj, m.subject);
    free(to);
    free(subj);
    free(s);
}

/* 1.4 a long non-ASCII subject is split into several encoded-words, folded,
 * never cutting a UTF-8 character, and decodes back exactly */
static void m1_4_long_subject(void **state)
{
    struct sbuf subj = {0};
    for (int i = 0; i < 20; i++)
        sb_add(&subj, "Rappel n° 2 : facture impayée 🧾 ");
    struct mail m = base_mail();
    m.subject = subj.s;
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    assert_wire_form(s, len);
    char *got = header(s, "Subject");
    assert_string_equal(got, subj.s);
    /* each encoded-word holds whole characters: decode words one by one */
    const char *p = strstr(s, "Subject: ");
    int words = 0;
    while ((p = strstr(p, "=?UTF-8?B?")) && p < strstr(s, "\r\nDate:")) {
        const char *q = strstr(p + 10, "?=");
        assert_true(q - p + 2 <= 75);
        struct sbuf w = {0};
        sb_add(&w, "");
        b64_decode(&w, p + 10, (size_t)(q - p - 10));
        assert_true(w.len > 0);
        assert_true(((unsigned char)w.s[0] & 0xC0) != 0x80);
        sb_free(&w);
        words++;
        p = q;
    }
    assert_true(words > 10);
    free(got);
    free(s);
    sb_free(&subj);
}

/* 1.5 a long ASCII subject folds at its own spaces and unfolds exactly */
static void m1_5_long_ascii_subject(void **state)
{
    struct sbuf subj = {0};
    for (int i = 0; i < 12; i++)
        sb_add(&subj, "Invoice  2026-00042 reminder ");
    struct mail m = base_mail();
    m.subject = subj.s;
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_wire_form(s, len);
    assert_null(strstr(s, "=?"));
    char *got = header(s, "Subject");
    assert_string_equal(got, subj.s);
    free(got);
    free(s);
    /* a subject with "=?" in it is encoded so a reader cannot misparse */
    m.subject = "Ref =?x?= 42";
    s = mime_compose(&m, &len, &e);
    assert_non_null(strstr(s, "Subject: =?UTF-8?B?"));
    got = header(s, "Subject");
    assert_string_equal(got, "Ref =?x?= 42");
    free(got);
    free(s);
    sb_free(&subj);
}

/* 1.6 quoted-printable body: UTF-8, '=', trailing blanks, long lines,
 * '.' and "From " at line starts, a lone CR, CRLF input; decoding gives
 * the text back with CRLF line ends */
static void m1_6_qp_roundtrip(void **state)
{
    struct sbuf in = {0}, want = {0};
    sb_add(&in, "Beste Zoë,\n\nU betaalt € 45,00 = 4500 cent.  \n"
                ".\n.punt\nFrom here on\nTab\t\nCR\rinside\r\nwindows line\n");
    for (int i = 0; i < 30; i++)
        sb_add(&in, "lange regel met é en = tekens ");
    sb_add(&in, "\n");
    for (int i = 0; i < 200; i++)
        sb_add(&in, "x");
    sb_add(&in, " \nlaatste regel zonder einde");
    for (const char *p = in.s; *p; p++) {
        if (*p == '\n' && (p == in.s || p[-1] != '\r'))
            sb_add(&want, "\r\n");
        else
            sb_addc(&want, *p);
    }
    sb_add(&want, "\r\n");

    struct mail m = base_mail();
    m.body_text = in.s;
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    assert_wire_form(s, len);
    const char *b = body_of(s);
    char *got = qp_decode(b, strlen(b));
    assert_string_equal(got, want.s);
    /* lines never start with '.' or "From " and never end in a blank */
    for (const char *l = b; *l; l = strstr(l, "\r\n") + 2) {
        assert_true(*l != '.');
        assert_true(strncmp(l, "From ", 5) != 0);
        const char *eol = strstr(l, "\r\n");
        assert_true(eol == l || (eol[-1] != ' ' && eol[-1] != '\t'));
    }
    free(got);
    free(s);
    sb_free(&in);
    sb_free(&want);
}

/* Fill buf with a PDF-like binary: a header, every byte value, noise. */
static unsigned char *fake_pdf(size_t n)
{
    unsigned char *d = xmalloc(n);
    const char *hdr = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
    memcpy(d, hdr, strlen(hdr));
    uint32_t x = 2463534242u;
    for (size_t i = strlen(hdr); i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        d[i] = i < 300 ? (unsigned char)(i - strlen(hdr)) : (unsigned char)x;
    }
    return d;
}

/* Find the part whose headers contain needle; return its decoded base64
 * content (the part ends at the next "\r\n--boundary"). */
static char *part_b64(const char *msg, const char *boundary,
                      const char *needle, size_t *n)
{
    const char *h = strstr(msg, needle);
    assert_non_null(h);
    const char *start = strstr(h, "\r\n\r\n");
    assert_non_null(start);
    start += 4;
    char delim[128];
    snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    const char *end = strstr(start, delim);
    assert_non_null(end);
    for (const char *l = start; l < end; l = strstr(l, "\r\n") + 2) {
        size_t ll = (size_t)(strstr(l, "\r\n") - l);
        const char *next = strstr(l, "\r\n") + 2;
        assert_true(ll == 76 || next >= end); /* full lines but the last */
    }
    struct sbuf out = {0};
    sb_add(&out, "");
    b64_decode(&out, start, (size_t)(end - start));
    *n = out.len;
    return sb_steal(&out);
}

/* 1.7 attachments: multipart/mixed, QP text part, base64 PDF with
 * 76-character lines, exact round trip, boundary absent from the content */
static void m1_7_attachment(void **state)
{
    size_t pn = 20000;
    unsigned char *pdf = fake_pdf(pn);
    const char *csv = "a,b\n1,2\n";
    struct mail_attachment att[] = {
        {"factuur-2026-00042.pdf", "application/pdf", pdf, pn},
        {"regels.csv", NULL, csv, strlen(csv)},
    };
    struct mail m = base_mail();
    m.attachments = att;
    m.n_attachments = 2;
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    assert_wire_form(s, len);

    char *ct = header(s, "Content-Type");
    assert_true(strncmp(ct, "multipart/mixed; boundary=\"", 27) == 0);
    char boundary[80];
    snprintf(boundary, sizeof boundary, "%.*s", (int)(strlen(ct) - 28),
             ct + 27);
    assert_true(strncmp(boundary, "=_", 2) == 0);
    /* the boundary occurs only as delimiter lines */
    char delim[100];
    snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    int count = 0;
    for (const char *p = s; (p = strstr(p, boundary)); p++)
        count++;
    assert_int_equal(count, 1 + 3 + 1); /* header, 3 delimiters, close */
    snprintf(delim, sizeof delim, "\r\n--%s--\r\n", boundary);
    assert_true(len > strlen(delim) &&
                strcmp(s + len - strlen(delim), delim) == 0);

    assert_non_null(strstr(s, "\r\n\r\n--"));
    assert_non_null(strstr(s, "Content-Type: application/pdf; "
                              "name=\"factuur-2026-00042.pdf\"\r\n"
                              "Content-Disposition: attachment; "
                              "filename=\"factuur-2026-00042.pdf\"\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n"
                              "JVBERi0xLjcK"));
    assert_non_null(strstr(s, "Content-Type: application/octet-stream; "
                              "name=\"regels.csv\"\r\n"));
    size_t n;
    char *got = part_b64(s, boundary, "factuur-2026-00042.pdf\"\r\n", &n);
    assert_int_equal(n, pn);
    assert_memory_equal(got, pdf, pn);
    free(got);
    got = part_b64(s, boundary, "name=\"regels.csv\"", &n);
    assert_int_equal(n, strlen(csv));
    assert_memory_equal(got, csv, n);
    free(got);
    /* text part */
    const char *tp = strstr(s, "Content-Type: text/plain; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: quoted-printable"
                               "\r\n\r\nBeste Jan,\r\n\r\nIn de bijlage je "
                               "factuur.\r\n\r\n--=_");
    assert_non_null(tp);
    free(ct);
    free(s);
    free(pdf);
}

/* 1.8 a non-ASCII or long filename goes out per RFC 2231 */
static void m1_8_filename_2231(void **state)
{
    struct mail_attachment att = {"Facture été Zoë.pdf", "application/pdf",
                                  "x", 1};
    struct mail m = base_mail();
    m.attachments = &att;
    m.n_attachments = 1;
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(strstr(s, "Content-Type: application/pdf\r\n"
                              "Content-Disposition: attachment;\r\n"
                              " filename*=UTF-8''Facture%20%C3%A9t%C3%A9%20"
                              "Zo%C3%AB.pdf\r\n"));
    free(s);
    att.filename = "Overzicht van alle facturen en betalingen over het "
                   "jaar 2026 — praktijk.pdf";
    s = mime_compose(&m, &len, &e);
    assert_wire_form(s, len);
    assert_non_null(strstr(s, " filename*0*=UTF-8''Overzicht%20"));
    assert_non_null(strstr(s, ";\r\n filename*1*="));
    free(s);
}

/* 1.9 CR/LF in a subject, a name or a filename never starts a header */
static void m1_9_injection(void **state)
{
    struct mail_attachment att = {"x.pdf\r\nBcc: a@b.c", "application/pdf",
                                  "x", 1};
    const char *subjects[] = {"Hi\r\nBcc: evil@example.com",
                              "Hi\nBcc: evil@example.com",
                              "Hi\rBcc: evil@example.com",
                              "\r\nBcc: evil@example.com\r\n\r\nbody"};
    const char *names[] = {"Eve\nBcc: x@y", "Eve\r\nBcc: x@y",
                           "Zoë\r\nBcc: x@y", "\nBcc: x@y"};
    for (size_t i = 0; i < 4; i++) {
        struct mail m = base_mail();
        m.subject = subjects[i];
        m.to_name = names[i];
        m.from_name = names[(i + 1) % 4];
        m.attachments = i % 2 ? &att : NULL;
        m.n_attachments = i % 2;
        struct err e;
        size_t len;
        char *s = mime_compose(&m, &len, &e);
        assert_non_null(s);
        assert_wire_form(s, len);
        const char *end = strstr(s, "\r\n\r\n");
        for (const char *l = s; l < end; l = strstr(l, "\r\n") + 2) {
            assert_true(strncasecmp(l, "Bcc:", 4) != 0);
            /* every header line is a known header or a continuation */
            assert_true(*l == ' ' || !strncmp(l, "From: ", 6) ||
                        !strncmp(l, "To: ", 4) ||
                        !strncmp(l, "Subject: ", 9) ||
                        !strncmp(l, "Date: ", 6) ||
                        !strncmp(l, "Message-ID: ", 12) ||
                        !strncmp(l, "MIME-Version: ", 14) ||
                        !strncmp(l, "Auto-Submitted: ", 16) ||
                        !strncmp(l, "Content-", 8));
        }
        for (const char *l = s; (l = strstr(l, "\r\n")); l += 2)
            assert_true(strncasecmp(l + 2, "Bcc:", 4) != 0);
        char *subj = header(s, "Subject");
        char want[128];
        snprintf(want, sizeof want, "%s", subjects[i]);
        for (char *p = want; *p; p++)
            if (*p == '\r' || *p == '\n')
                *p = ' ';
        const char *w = want;
        while (*w == ' ') /* leading blanks of a header value are FWS */
            w++;
        assert_string_equal(subj, w);
        free(subj);
        free(s);
    }
}

/* 1.10 invalid addresses, Message-IDs, dates and content types are
 * refused with a message naming them */
static void m1_10_refused(void **state)
{
    const char *bad[] = {
        "", "a", "@example.com", "jan@", "jan@@example.com",
        "jan@a@example.com", "jan example@example.com", "jan@example.com\r\n",
        "jan\n@example.com", "<jan@example.com>", "jan@exam>ple.com",
        "jan,piet@example.com", "jan;@example.com", "\"jan\"@example.com",
        "jän@example.com", "jan@example.com\tx", NULL,
    };
    struct err e;
    size_t len;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mail m = base_mail();
        m.to_addr = bad[i];
        assert_null(mime_compose(&m, &len, &e));
        assert_non_null(strstr(e.msg, "invalid recipient address"));
        m = base_mail();
        m.from_addr = bad[i];
        assert_null(mime_compose(&m, &len, &e));
        assert_non_null(strstr(e.msg, "invalid sender address"));
        assert_false(mime_addr_valid(bad[i]));
    }
    char longaddr[300];
    memset(longaddr, 'a', 250);
    strcpy(longaddr + 250, "@b.c"); /* 254: accepted */
    assert_true(mime_addr_valid(longaddr));
    strcpy(longaddr + 250, "@bb.c"); /* 255: refused */
    assert_false(mime_addr_valid(longaddr));

    struct mail m = base_mail();
    m.to_addr = "jan@example.com\r\nBcc: x@y.z";
    assert_null(mime_compose(&m, &len, &e));
    assert_string_equal(e.msg, "invalid recipient address "
                               "'jan@example.com??Bcc: x@y.z'");
    m = base_mail();
    m.message_id = "<abc@x>";
    assert_null(mime_compose(&m, &len, &e));
    assert_non_null(strstr(e.msg, "invalid Message-ID"));
    m = base_mail();
    m.date_rfc5322 = "Mon, 23 Nov 2026\r\nBcc: x@y";
    assert_null(mime_compose(&m, &len, &e));
    assert_non_null(strstr(e.msg, "invalid Date"));
    struct mail_attachment att = {"a.pdf", "application/pdf\r\nBcc: x@y",
                                  "x", 1};
    m = base_mail();
    m.attachments = &att;
    m.n_attachments = 1;
    assert_null(mime_compose(&m, &len, &e));
    assert_non_null(strstr(e.msg, "invalid attachment content type"));
}

/* 1.11 the same input composes to the same bytes (retries resend the
 * identical message) */
static void m1_11_deterministic(void **state)
{
    unsigned char *pdf = fake_pdf(1000);
    struct mail_attachment att = {"f.pdf", "application/pdf", pdf, 1000};
    struct mail m = base_mail();
    m.attachments = &att;
    m.n_attachments = 1;
    struct err e;
    size_t l1, l2;
    char *a = mime_compose(&m, &l1, &e), *b = mime_compose(&m, &l2, &e);
    assert_int_equal(l1, l2);
    assert_memory_equal(a, b, l1);
    free(a);
    free(b);
    free(pdf);
}

/* 1.12 Python's email package (an independent parser) reads back the
 * names, subject, body and attachment */
static void m1_12_python_parses(void **state)
{
    if (access("/usr/bin/python3", X_OK) != 0) {
        skip();
        return;
    }
    unsigned char *pdf = fake_pdf(5000);
    struct mail_attachment att = {"Facture été.pdf", "application/pdf", pdf,
                                  5000};
    struct mail m = base_mail();
    m.to_name = "Zoë Müller-Lefèvre";
    m.from_name = "Cabinet \"Santé\", Lyon";
    m.subject = "Rappel : facture impayée n° 2026-00042 — 45,00 € — "
                "merci de régler avant le 7 décembre";
    m.body_text = "Bonjour Zoë,\n\nMontant = 45,00 €.\n.\nFrom me\n";
    m.attachments = &att;
    m.n_attachments = 1;
    struct err e;
    size_t len;
    char *s = mime_compose(&m, &len, &e);
    assert_non_null(s);
    char path[] = "/tmp/carebill-mime-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, len), (ssize_t)len);
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "PYTHONIOENCODING=utf-8 /usr/bin/python3 -c '\n"
             "import sys, email, email.policy, hashlib\n"
             "m = email.message_from_bytes(open(sys.argv[1], \"rb\").read(),"
             " policy=email.policy.default)\n"
             "print(m[\"to\"].addresses[0].display_name)\n"
             "print(m[\"from\"].addresses[0].display_name)\n"
             "print(m[\"subject\"])\n"
             "print(m.get_body().get_content()"
             ".replace(\"\\r\\n\", \"\\n\"), end=\"\")\n"
             "for a in m.iter_attachments():\n"
             "    print(a.get_filename(), a.get_content_type(),"
             " hashlib.sha256(a.get_content()).hexdigest())\n"
             "' %s",
             path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[4096];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    char hex[65];
    sha256_hex(pdf, 5000, hex);
    char want[4096];
    snprintf(want, sizeof want,
             "Zoë Müller-Lefèvre\nCabinet \"Santé\", Lyon\n%s\n%s"
             "Facture été.pdf application/pdf %s\n",
             m.subject, m.body_text, hex);
    assert_string_equal(out, want);
    free(s);
    free(pdf);
}

/* 1.13 random subjects and names (any bytes, CR/LF, "=?", long runs,
 * blanks): always 7-bit CRLF lines within 76 columns, never a header the
 * caller did not ask for, and the subject decodes to its input with CR/LF
 * as spaces */
static void m1_13_random(void **state)
{
    static const char *pieces[] = {
        "a", "Factuur", " ", "  ", "\r\n", "\n", "\r", "=?", "?=", "é", "€",
        "🧾", "\"", "\\", ",", "Bcc: x@y", "\t", "\xff", "\x80", "\x01",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    };
    uint32_t x = 12345;
    for (int round = 0; round < 2000; round++) {
        struct sbuf subj = {0}, name = {0};
        sb_add(&subj, "");
        sb_add(&name, "");
        int parts = 1 + (int)(x % 40);
        for (int i = 0; i < parts; i++) {
            x = x * 1103515245u + 12345u;
            sb_add(&subj, pieces[(x >> 8) % (sizeof pieces / sizeof *pieces)]);
            x = x * 1103515245u + 12345u;
            if (i < 8)
                sb_add(&name,
                       pieces[(x >> 8) % (sizeof pieces / sizeof *pieces)]);
        }
        struct mail m = base_mail();
        m.subject = subj.s;
        m.to_name = name.s;
        struct err e;
        size_t len;
        char *s = mime_compose(&m, &len, &e);
        assert_non_null(s);
        assert_wire_form(s, len);
        const char *end = strstr(s, "\r\n\r\n");
        int headers = 0;
        for (const char *l = s; l < end; l = strstr(l, "\r\n") + 2)
            if (*l != ' ')
                headers++;
        assert_int_equal(headers, 9);
        char *got = header(s, "Subject");
        for (char *p = subj.s; *p; p++)
            if (*p == '\r' || *p == '\n')
                *p = ' ';
        /* a subject sent plain loses its leading blanks to the header
         * syntax; an encoded one keeps them */
        if (strcmp(got, subj.s) != 0)
            assert_string_equal(got, subj.s + strspn(subj.s, " "));
        free(got);
        free(s);
        sb_free(&subj);
        sb_free(&name);
    }
}

/* 1.14 Message-IDs: the same for every attempt at one message; a
 * different recipient, subject or body (another ledger's message with
 * the same outbox id and key) gives another id; ':' never appears left
 * of the '@', and the result is one mime_compose accepts. */
static void m1_14_message_id(void **state)
{
    (void)state;
    char *a = mime_message_id(7, "subscription_invoice", "invoice:42",
                              "jan@example.nl", "Factuur 2026-00042",
                              "Beste Jan,\n", "praktijk.example");
    char *again = mime_message_id(7, "subscription_invoice", "invoice:42",
                                  "jan@example.nl", "Factuur 2026-00042",
                                  "Beste Jan,\n", "praktijk.example");
    assert_string_equal(a, again);
    assert_int_equal(strncmp(a, "carebill.7.subscription_invoice.invoice-42.",
                             43), 0);
    assert_int_equal(strlen(a), 43 + 16 + strlen("@praktijk.example"));
    assert_non_null(strstr(a, "@praktijk.example"));
    assert_true(mime_addr_valid(a));
    const char *other[][3] = {
        {"piet@example.nl", "Factuur 2026-00042", "Beste Jan,\n"},
        {"jan@example.nl", "Factuur 2026-00043", "Beste Jan,\n"},
        {"jan@example.nl", "Factuur 2026-00042", "Beste Jan.\n"},
        /* the field boundaries count: "ab" + "c" is not "a" + "bc" */
        {"jan@example.nl", "Factuur 2026-0004", "2Beste Jan,\n"},
    };
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        char *b = mime_message_id(7, "subscription_invoice", "invoice:42",
                                  other[i][0], other[i][1], other[i][2],
                                  "praktijk.example");
        assert_string_not_equal(a, b);
        free(b);
    }
    free(a);
    free(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(m1_1_ascii_exact),
        cmocka_unit_test(m1_2_names_plain),
        cmocka_unit_test(m1_3_rfc2047),
        cmocka_unit_test(m1_4_long_subject),
        cmocka_unit_test(m1_5_long_ascii_subject),
        cmocka_unit_test(m1_6_qp_roundtrip),
        cmocka_unit_test(m1_7_attachment),
        cmocka_unit_test(m1_8_filename_2231),
        cmocka_unit_test(m1_9_injection),
        cmocka_unit_test(m1_10_refused),
        cmocka_unit_test(m1_11_deterministic),
        cmocka_unit_test(m1_12_python_parses),
        cmocka_unit_test(m1_13_random),
        cmocka_unit_test(m1_14_message_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
