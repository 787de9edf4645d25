/*
 * mime.h — composing one e-mail as an RFC 5322 / MIME message.
 *
 * mime_compose() turns plain values (addresses, names, a UTF-8 subject and
 * body, optional attachments) into the exact bytes handed to SMTP: 7-bit,
 * CRLF line endings, no line longer than 76 characters. It does no I/O and
 * reads no clock: the caller passes the Date and a Message-ID that stays the
 * same for every attempt to send the same message, so a retry is the same
 * message and a receiving system can drop duplicates.
 *
 * Header safety: a CR or LF inside any value that ends up in a header
 * (names, subject, date, attachment filename) becomes a space before
 * anything else is done with it, so no value can start a header of its own.
 */
#ifndef CAREBILL_MIME_H
#define CAREBILL_MIME_H

#include <stddef.h>

#include "base/util.h"

struct mail_attachment {
    const char *filename;     /* UTF-8; any bytes, made safe */
    const char *content_type; /* "type/subtype", e.g. "application/pdf";
                                 NULL for application/octet-stream */
    const void *data;
    size_t len;
};

struct mail {
    const char *from_addr, *from_name; /* name may be NULL or "" */
    const char *to_addr, *to_name;
    const char *subject;     /* UTF-8; NULL is "" */
    const char *body_text;   /* UTF-8, lines ending in "\n" or "\r\n" */
    const char *message_id;  /* without <>, e.g. "inv-42.r1@praktijk.nl";
                                caller keeps it stable per message */
    const char *date_rfc5322; /* e.g. "Mon, 23 Nov 2026 09:00:00 +0100" */
    const struct mail_attachment *attachments;
    size_t n_attachments;
};

/* The Message-ID (without <>) of outbox message `id` (its event and key)
 * sent from `domain`: "carebill.ID.EVENT.KEY.HASH@DOMAIN", where HASH is
 * 16 hex digits of the SHA-256 of the recipient, subject and body. The
 * same for every attempt to send the message (its stored text does not
 * change), and different between ledgers sending under one domain (their
 * message ids and keys repeat, what they send to whom does not), so a
 * receiving system's duplicate filter never drops another ledger's mail.
 * ':' in the key becomes '-'. malloc'd; the caller frees. */
char *mime_message_id(long long id, const char *event, const char *key,
                      const char *to, const char *subject, const char *body,
                      const char *domain);

/* True when addr is an address carebill sends to or from: 1 to 254
 * printable ASCII characters, exactly one '@' with text on both sides, and
 * none of space, CR, LF, '<', '>', '(', ')', ',', ';', ':', '\\', '"',
 * '[' or ']'. */
int mime_addr_valid(const char *addr);

/* Compose m. Returns the whole message (headers, blank line, body; CRLF
 * line endings; ending in CRLF) as a NUL-terminated malloc'd buffer the
 * caller frees, its length in *len (may be NULL). Headers, in order: From,
 * To, Subject, Date, Message-ID, MIME-Version, Auto-Submitted
 * (auto-generated), then the content headers. Display names and subjects
 * go out as-is when short printable ASCII, else as RFC 2047 "=?UTF-8?B?"
 * encoded-words folded with CRLF SP. The body is text/plain; charset=UTF-8
 * in quoted-printable; with attachments the message is multipart/mixed and
 * each attachment is base64 in 76-character lines with Content-Disposition
 * attachment and its filename (RFC 2231 when not plain ASCII).
 * Returns NULL with e set when an address or the Message-ID is invalid, a
 * content type is not "type/subtype", or the date is missing or not
 * printable ASCII. */
char *mime_compose(const struct mail *m, size_t *len, struct err *e);

#endif
