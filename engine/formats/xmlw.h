/*
 * xmlw.h — the XML writers' common part: libxml2's xmlTextWriter calls
 * that remember whether any of them failed, so a writer (SEPA pain.008
 * and pain.001 in formats/, UBL in render/) builds its whole document
 * and checks once at the end, and the ISO 20022 elements the SEPA
 * messages share (a party's name, an account's IBAN, an amount in euro).
 */
#ifndef CAREBILL_FORMATS_XMLW_H
#define CAREBILL_FORMATS_XMLW_H

#include <stdint.h>

#include <libxml/xmlwriter.h>

#include "base/util.h"

struct xw {
    xmlTextWriterPtr w;
    const char *currency; /* the document's currency code, where it has one */
    int bad;              /* 1 after any call failed */
    xmlBufferPtr buf;     /* where the document is written (xw_start) */
};

/* Start a document in memory, indented by two spaces. Returns 0, or -1
 * when libxml2 had no memory (nothing to free then). */
int xw_start(struct xw *x);
/* End the document started by xw_start and free the writer: the whole
 * text (malloc'd, NUL-terminated, *len bytes), or NULL when any call
 * failed on the way. */
char *xw_finish(struct xw *x, size_t *len);
/* xw_finish, then the text written to `path` (base/outfile.h: a new file
 * in place at once, never half a document). 0, or -1 with e naming path. */
int xw_finish_file(struct xw *x, const char *path, struct err *e);

/* <name> ... </name>: open and close an element. */
void xw_open(struct xw *x, const char *name);
void xw_close(struct xw *x);
/* An attribute of the element just opened. */
void xw_attr(struct xw *x, const char *name, const char *value);
/* Text inside the element just opened. */
void xw_text(struct xw *x, const char *text);
/* <name>text</name>, written even when text is "". */
void xw_el(struct xw *x, const char *name, const char *text);
/* <name attr="value">text</name> */
void xw_el_attr(struct xw *x, const char *name, const char *attr,
                const char *value, const char *text);

/* ISO 20022 (pain.008, pain.001): <NAME><Nm>nm</Nm></NAME>,
 * <NAME><Id><IBAN>iban</IBAN></Id></NAME> and <NAME Ccy="EUR">1.00</NAME>. */
void xw_iso_party(struct xw *x, const char *name, const char *nm);
void xw_iso_account(struct xw *x, const char *name, const char *iban);
void xw_iso_amount(struct xw *x, const char *name, int64_t cents);
/* <RmtInf><Ustrd>text</Ustrd></RmtInf>; nothing for NULL or "". */
void xw_iso_remittance(struct xw *x, const char *ustrd);

#endif
