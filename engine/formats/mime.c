/*
 * mime.c — composing an RFC 5322 / MIME message from plain values.
 *
 * Headers are written through a small line writer (struct hw) that knows
 * the current column and folds with CRLF SP before a token that would pass
 * column 76. Text that is not short printable ASCII goes out as RFC 2047
 * "B" encoded-words, each cut at a UTF-8 character boundary. Every header
 * value is first copied with CR and LF turned into spaces (clean()), which
 * is what keeps a name or subject from ever starting a header of its own.
 * The body is quoted-printable; attachments are base64 under a boundary that
 * starts with "=_", which neither encoding can produce.
 */
#include "formats/mime.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_COL 76

/* ------------------------------------------------------------ helpers */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex_digits[] = "0123456789ABCDEF";

/* Append the base64 of data[0..n) to b, no line breaks. */
static void b64_append(struct sbuf *b, const unsigned char *d, size_t n)
{
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        q[0] = b64_alphabet[(v >> 18) & 63];
        q[1] = b64_alphabet[(v >> 12) & 63];
        q[2] = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? b64_alphabet[v & 63] : '=';
        sb_addn(b, q, 4);
    }
}

/* A copy of s ("" for NULL) with CR and LF replaced by spaces; caller
 * frees. This runs before any other use of a header value. */
static char *clean(const char *s)
{
    char *c = xstrdup(s ? s : "");
    for (char *p = c; *p; p++)
        if (*p == '\r' || *p == '\n')
            *p = ' ';
    return c;
}

/* True when s can stand in a header as it is: printable ASCII and no "=?"
 * that a reader would take for the start of an encoded-word. */
static int plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e || (p[0] == '=' && p[1] == '?'))
            return 0;
    return 1;
}

char *mime_message_id(long long id, const char *event, const char *key,
                      const char *to, const char *subject, const char *body,
                      const char *domain)
{
    struct sha256 h;
    char hex[65];
    const char *parts[] = {to, subject, body};
    sha256_init(&h);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *v = parts[i] ? parts[i] : "";
        sha256_update(&h, v, strlen(v) + 1); /* with its NUL: a separator */
    }
    sha256_final_hex(&h, hex);
    char *msgid = xasprintf("carebill.%lld.%s.%s.%.16s@%s", id,
                            event ? event : "", key ? key : "", hex,
                            domain ? domain : "");
    for (char *c = msgid; *c; c++)
        if (*c == ':')
            *c = '-';
    return msgid;
}

int mime_addr_valid(const char *addr)
{
    if (!addr)
        return 0;
    size_t n = strlen(addr), at = 0, ats = 0;
    if (n < 3 || n > 254)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)addr[i];
        if (c <= 0x20 || c >= 0x7f || strchr("<>(),;:\\\"[]", c))
            return 0;
        if (c == '@') {
            ats++;
            at = i;
        }
    }
    return ats == 1 && at > 0 && at + 1 < n;
}

/* A printable copy of s for an error message, at most 80 bytes. */
static void shown(char out[96], const char *s)
{
    size_t j = 0;
    for (; s && *s && j < 80; s++)
        out[j++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    if (s && *s) {
        memcpy(out + j, "...", 3);
        j += 3;
    }
    out[j] = '\0';
}

/* ------------------------------------------------------------ header writer */

struct hw {
    struct sbuf *b;
    size_t col;   /* characters on the current line */
    int fresh;    /* nothing written after "Name: " yet */
};

static void hw_start(struct hw *w, const char *name)
{
    sb_add(w->b, name);
    sb_add(w->b, ": ");
    w->col = strlen(name) + 2;
    w->fresh = 1;
}

static void hw_end(struct hw *w)
{
    sb_add(w->b, "\r\n");
}

static void hw_fold(struct hw *w)
{
    sb_add(w->b, "\r\n");
    w->col = 0;
    w->fresh = 0;
}

/* Room for a token on the current line, after its separating space. */
static size_t hw_room(const struct hw *w)
{
    size_t used = w->col + (w->fresh ? 0 : 1);
    return used < LINE_MAX_COL ? LINE_MAX_COL - used : 0;
}

/* Write a token that must not be broken, preceded by one space (a fold
 * when it does not fit and the line already holds something). */
static void hw_token(struct hw *w, const char *t, size_t n)
{
    if (n > hw_room(w) && w->col > 0 && !w->fresh)
        hw_fold(w);
    if (!w->fresh) {
        sb_addc(w->b, ' ');
        w->col++;
    }
    sb_addn(w->b, t, n);
    w->col += n;
    w->fresh = 0;
}

/* Write s as a sequence of "=?UTF-8?B?...?=" words, each cut at a UTF-8
 * boundary and sized to what is left of its line (whitespace between
 * encoded-words disappears on decoding, so folding between them is free). */
static void hw_encoded(struct hw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    struct sbuf word = {0};
    if (left == 0) {
        hw_token(w, "=?UTF-8?B?" "?=", 12);
        return;
    }
    while (left > 0) {
        size_t room = hw_room(w);
        size_t max = room > 12 ? (room - 12) / 4 * 3 : 0;
        size_t k = max < left ? max : left;
        while (k > 0 && k < left && (p[k] & 0xC0) == 0x80)
            k--;
        if (k < left && k < 12 && w->col > 1) {
            hw_fold(w); /* too little room here: start a new line */
            continue;
        }
        if (k == 0) /* no boundary in a whole line: invalid UTF-8 */
            k = max < left ? max : left;
        sb_reset(&word);
        sb_add(&word, "=?UTF-8?B?");
        b64_append(&word, p, k);
        sb_add(&word, "?=");
        hw_token(w, word.s, word.len);
        p += k;
        left -= k;
    }
    sb_free(&word);
}

/* Write plain ASCII text folded before its own spaces (unfolding gives the
 * text back exactly). Returns 0, writing nothing, when some run without a
 * space is too long for a line or a fold would leave a line of blanks. */
static int hw_plain_folded(struct hw *w, const char *s)
{
    size_t col = w->col;
    for (const char *p = s; *p;) {
        const char *q = strchr(p + 1, ' ');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (col + n > LINE_MAX_COL) {
            if (*p != ' ' || n == 1 || n > LINE_MAX_COL)
                return 0;
            col = 0;
        }
        col += n;
        p += n;
    }
    col = w->col;
    for (const char *p = s; *p;) {
        const char *q = strchr(p + 1, ' ');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (col + n > LINE_MAX_COL) {
            sb_add(w->b, "\r\n");
            col = 0;
        }
        sb_addn(w->b, p, n);
        col += n;
        p += n;
    }
    w->col = col;
    w->fresh = 0;
    return 1;
}

/* Unstructured text (Subject): as it is when plain, else encoded. */
static void hw_text(struct hw *w, const char *raw)
{
    char *s = clean(raw);
    if (!plain_ascii(s) || !hw_plain_folded(w, s))
        hw_encoded(w, s);
    free(s);
}

/* A mailbox: addr alone, "Name" <addr>, or =?UTF-8?B?...?= <addr>. */
static void hw_mailbox(struct hw *w, const char *raw_name, const char *addr)
{
    char *name = clean(raw_name);
    size_t an = strlen(addr);
    char *angle = xmalloc(an + 3);
    angle[0] = '<';
    memcpy(angle + 1, addr, an);
    memcpy(angle + 1 + an, ">", 2);
    if (!*name) {
        hw_token(w, addr, an);
    } else {
        size_t nn = strlen(name);
        if (plain_ascii(name) && !strpbrk(name, "\"\\") &&
            nn + 2 <= hw_room(w)) {
            struct sbuf q = {0};
            sb_addc(&q, '"');
            sb_add(&q, name);
            sb_addc(&q, '"');
            hw_token(w, q.s, q.len);
            sb_free(&q);
        } else {
            hw_encoded(w, name);
        }
        hw_token(w, angle, an + 2);
    }
    free(angle);
    free(name);
}

/* ------------------------------------------------------------ body */

/* Append text as quoted-printable with CRLF hard breaks ("\n" and "\r\n"
 * in the text both end a line; a lone CR is encoded). Lines stay within 76
 * characters using "=" soft breaks; a '.' or "From " at the start of a line
 * and whitespace at its end are encoded so no transport can alter them. */
static void qp_body(struct sbuf *b, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t col = 0;
    while (*p) {
        const unsigned char *eol =
            (const unsigned char *)strchr((const char *)p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen((const char *)p);
        if (eol && n > 0 && p[n - 1] == '\r')
            n--;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = p[i];
            int enc = c == '=' || c > 126 || (c < 32 && c != '\t') ||
                      ((c == ' ' || c == '\t') && i + 1 == n) ||
                      (col == 0 && c == '.') ||
                      (col == 0 && c == 'F' && n - i >= 5 &&
                       memcmp(p + i, "From ", 5) == 0);
            size_t tl = enc ? 3 : 1;
            /* keep a trailing blank from being exposed by a soft break */
            size_t reserve = (i + 1 < n) ? 1 : 0;
            if (col + tl + reserve > LINE_MAX_COL) {
                sb_add(b, "=\r\n");
                col = 0;
                if (c == '.' || (c == 'F' && n - i >= 5 &&
                                 memcmp(p + i, "From ", 5) == 0)) {
                    enc = 1;
                    tl = 3;
                }
            }
            if (enc) {
                char e3[3] = {'=', hex_digits[c >> 4], hex_digits[c & 15]};
                sb_addn(b, e3, 3);
            } else {
                sb_addc(b, (char)c);
            }
            col += tl;
        }
        sb_add(b, "\r\n");
        col = 0;
        p += eol ? (size_t)(eol - p) + 1 : strlen((const char *)p);
    }
}

/* Append data as base64 in lines of 76 characters. */
static void b64_lines(struct sbuf *b, const unsigned char *d, size_t n)
{
    for (size_t i = 0; i < n; i += 57) {
        b64_append(b, d + i, n - i < 57 ? n - i : 57);
        sb_add(b, "\r\n");
    }
}

/* ------------------------------------------------------------ attachments */

static int is_token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?=", c);
}

/* True for "type/subtype" made of MIME token characters. */
static int content_type_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t a = 0, b = 0;
    while (is_token_char(*p))
        p++, a++;
    if (*p++ != '/')
        return 0;
    while (is_token_char(*p))
        p++, b++;
    return *p == '\0' && a > 0 && b > 0;
}

static int attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c);
}

/* The Content-Type and Content-Disposition of one attachment. A plain
 * short filename is quoted; any other is percent-encoded UTF-8 per RFC
 * 2231, split into numbered sections when long. */
static void attachment_headers(struct sbuf *b, const char *type,
                               const char *raw_name)
{
    char *name = clean(raw_name && *raw_name ? raw_name : "attachment");
    size_t nn = strlen(name);
    if (plain_ascii(name) && !strpbrk(name, "\"\\") && nn <= 40) {
        size_t start = b->len;
        sb_printf(b, "Content-Type: %s;", type);
        sb_add(b, b->len - start + nn + 9 > LINE_MAX_COL ? "\r\n " : " ");
        sb_printf(b, "name=\"%s\"\r\n", name);
        sb_add(b, nn > 32 ? "Content-Disposition: attachment;\r\n "
                          : "Content-Disposition: attachment; ");
        sb_printf(b, "filename=\"%s\"\r\n", name);
        free(name);
        return;
    }
    sb_printf(b, "Content-Type: %s\r\n", type);
    sb_add(b, "Content-Disposition: attachment");
    struct sbuf enc = {0};
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (attr_char(*p)) {
            sb_addc(&enc, (char)*p);
        } else {
            char e3[3] = {'%', hex_digits[*p >> 4], hex_digits[*p & 15]};
            sb_addn(&enc, e3, 3);
        }
    }
    if (enc.len <= 50) {
        sb_printf(b, ";\r\n filename*=UTF-8''%s\r\n", enc.s);
    } else {
        size_t off = 0;
        for (int sec = 0; off < enc.len; sec++) {
            size_t k = enc.len - off < 54 ? enc.len - off : 54;
            if (off + k < enc.len) /* never split a %XX */
                for (size_t j = 1; j <= 2 && k > j; j++)
                    if (enc.s[off + k - j] == '%')
                        k -= j;
            sb_printf(b, ";\r\n filename*%d*=%s%.*s", sec,
                      sec == 0 ? "UTF-8''" : "", (int)k, enc.s + off);
            off += k;
        }
        sb_add(b, "\r\n");
    }
    sb_free(&enc);
    free(name);
}

/* ------------------------------------------------------------ compose */

static char *refuse(struct err *e, const char *what, const char *value)
{
    char v[96];
    shown(v, value);
    err_set(e, "invalid %s '%s'", what, v);
    return NULL;
}

char *mime_compose(const struct mail *m, size_t *len, struct err *e)
{
    assert(m != NULL && e != NULL);
    if (!mime_addr_valid(m->from_addr))
        return refuse(e, "sender address", m->from_addr);
    if (!mime_addr_valid(m->to_addr))
        return refuse(e, "recipient address", m->to_addr);
    if (!mime_addr_valid(m->message_id))
        return refuse(e, "Message-ID (expected left@right, without <>)",
                      m->message_id);
    if (!m->date_rfc5322 || !*m->date_rfc5322 ||
        !plain_ascii(m->date_rfc5322))
        return refuse(e, "Date (expected RFC 5322 date-time)",
                      m->date_rfc5322);
    for (size_t i = 0; i < m->n_attachments; i++) {
        const char *t = m->attachments[i].content_type;
        if (t && !content_type_valid(t))
            return refuse(e, "attachment content type", t);
        assert(m->attachments[i].data || m->attachments[i].len == 0);
    }

    struct sbuf b = {0};
    struct hw w = {&b, 0, 1};

    hw_start(&w, "From");
    hw_mailbox(&w, m->from_name, m->from_addr);
    hw_end(&w);
    hw_start(&w, "To");
    hw_mailbox(&w, m->to_name, m->to_addr);
    hw_end(&w);
    hw_start(&w, "Subject");
    hw_text(&w, m->subject);
    hw_end(&w);
    sb_printf(&b, "Date: %s\r\n", m->date_rfc5322);
    sb_printf(&b, "Message-ID: <%s>\r\n", m->message_id);
    sb_add(&b, "MIME-Version: 1.0\r\n");
    sb_add(&b, "Auto-Submitted: auto-generated\r\n");

    const char *text_headers = "Content-Type: text/plain; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: quoted-printable"
                               "\r\n";
    const char *body = m->body_text ? m->body_text : "";
    if (m->n_attachments == 0) {
        sb_add(&b, text_headers);
        sb_add(&b, "\r\n");
        qp_body(&b, body);
    } else {
        char hex[65], boundary[40];
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, m->message_id, strlen(m->message_id));
        sha256_update(&h, "\n", 1);
        sha256_update(&h, m->date_rfc5322, strlen(m->date_rfc5322));
        sha256_final_hex(&h, hex);
        snprintf(boundary, sizeof boundary, "=_cb_%.24s", hex);
        sb_printf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n",
                  boundary);
        sb_add(&b, "\r\nThis is a multi-part message in MIME format.\r\n");
        sb_printf(&b, "\r\n--%s\r\n", boundary);
        sb_add(&b, text_headers);
        sb_add(&b, "\r\n");
        qp_body(&b, body);
        for (size_t i = 0; i < m->n_attachments; i++) {
            const struct mail_attachment *a = &m->attachments[i];
            sb_printf(&b, "\r\n--%s\r\n", boundary);
            attachment_headers(&b, a->content_type ? a->content_type
                                                   : "application/octet-stream",
                               a->filename);
            sb_add(&b, "Content-Transfer-Encoding: base64\r\n\r\n");
            b64_lines(&b, a->data, a->len);
        }
        sb_printf(&b, "\r\n--%s--\r\n", boundary);
    }
    if (len)
        *len = b.len;
    return sb_steal(&b);
}
