/*
 * xmlw.c — xmlTextWriter calls that remember a failure (see xmlw.h).
 */
#include "formats/xmlw.h"

#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "base/util.h"

int xw_start(struct xw *x)
{
    x->bad = 0;
    x->buf = xmlBufferCreate();
    x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
    if (!x->w) {
        if (x->buf)
            xmlBufferFree(x->buf);
        x->buf = NULL;
        return -1;
    }
    xmlTextWriterSetIndent(x->w, 1);
    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
    return 0;
}

char *xw_finish(struct xw *x, size_t *len)
{
    char *out = NULL;
    xmlFreeTextWriter(x->w); /* flushes into buf */
    x->w = NULL;
    *len = 0;
    if (!x->bad) {
        *len = (size_t)xmlBufferLength(x->buf);
        out = xmalloc(*len + 1);
        memcpy(out, xmlBufferContent(x->buf), *len);
        out[*len] = '\0';
    }
    xmlBufferFree(x->buf);
    x->buf = NULL;
    return out;
}

int xw_finish_file(struct xw *x, const char *path, struct err *e)
{
    size_t len;
    char *xml = xw_finish(x, &len);
    if (!xml)
        return err_set(e, "%s: writing the XML failed", path);
    int rc = out_file_write(path, xml, len, e);
    free(xml);
    return rc;
}

void xw_open(struct xw *x, const char *name)
{
    if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
        x->bad = 1;
}

void xw_close(struct xw *x)
{
    if (xmlTextWriterEndElement(x->w) < 0)
        x->bad = 1;
}

void xw_attr(struct xw *x, const char *name, const char *value)
{
    if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
        x->bad = 1;
}

void xw_text(struct xw *x, const char *text)
{
    if (xmlTextWriterWriteString(x->w, BAD_CAST text) < 0)
        x->bad = 1;
}

void xw_el(struct xw *x, const char *name, const char *text)
{
    if (xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST text) < 0)
        x->bad = 1;
}

void xw_el_attr(struct xw *x, const char *name, const char *attr,
                const char *value, const char *text)
{
    xw_open(x, name);
    xw_attr(x, attr, value);
    xw_text(x, text);
    xw_close(x);
}

void xw_iso_party(struct xw *x, const char *name, const char *nm)
{
    xw_open(x, name);
    xw_el(x, "Nm", nm);
    xw_close(x);
}

void xw_iso_account(struct xw *x, const char *name, const char *iban)
{
    xw_open(x, name);
    xw_open(x, "Id");
    xw_el(x, "IBAN", iban);
    xw_close(x);
    xw_close(x);
}

void xw_iso_amount(struct xw *x, const char *name, int64_t cents)
{
    char buf[32];
    xw_el_attr(x, name, "Ccy", "EUR", money_fmt(cents, buf));
}

void xw_iso_remittance(struct xw *x, const char *ustrd)
{
    if (!ustrd || !*ustrd)
        return;
    xw_open(x, "RmtInf");
    xw_el(x, "Ustrd", ustrd);
    xw_close(x);
}
