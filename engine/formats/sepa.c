/*
 * sepa.c — pain.008.001.02 direct-debit batches out, camt.053 statements
 * in, both through libxml2. The writer validates the whole batch before
 * writing a byte and replaces the target file atomically; the reader
 * treats its input as hostile: size-capped, DOCTYPE refused (so no entity
 * is ever expanded or fetched), no network, and every problem reported as
 * "file:line: message" without crashing.
 */
#include "formats/sepa.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "formats/bankid.h"
#include "formats/xmlw.h"

#define PAIN008_NS "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
#define CAMT053_NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:camt.053."
#define SEPA_NAME_MAX 70
#define SEPA_USTRD_MAX 140
#define SEPA_ID_MAX 35
#define SEPA_AMOUNT_MAX INT64_C(99999999999) /* 999,999,999.99 */

/* ================================================================ text */

/* Decode one UTF-8 sequence at *pp and advance; -1 (one byte skipped) for
 * anything that is not well-formed, shortest-form UTF-8. */
static long utf8_next(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    unsigned c = p[0];
    long cp;
    int n;
    if (c < 0x80) {
        *pp = p + 1;
        return (long)c;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3, cp = c & 0x07;
    else {
        *pp = p + 1;
        return -1;
    }
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *pp = p + 1;
            return -1;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pp = p + 1;
        return -1;
    }
    *pp = p + n + 1;
    return cp;
}

/* U+00C0 .. U+00FF without their accents; " " for × and ÷. */
static const char *const latin1_map[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O",  " ", "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  " ", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* U+0100 .. U+017F, one letter each; Ĳ ĳ Œ œ are handled apart. */
static const char latin_ext_a_map[] =
    "AaAaAaCcCcCcCcDd"
    "DdEeEeEeEeEeGgGg"
    "GgGgHhHhIiIiIiIi"
    "IiIiJjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOo"
    "OoOoRrRrRrSsSsSs"
    "SsTtTtTtUuUuUuUu"
    "UuUuWwYyYZzZzZzs";

static int epc_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c != '\0' && strchr("/-?:().,'+ ", c));
}

/* The EPC replacement for code point cp: a string, "" to drop it, or NULL
 * for "becomes a space". */
static const char *epc_replacement(long cp, char one[2])
{
    if (cp < 0x80) {
        if (cp == ' ' || !epc_char((int)cp)) {
            if (cp == '&')
                return "+";
            if (cp == '"')
                return "'";
            return NULL;
        }
        one[0] = (char)cp, one[1] = '\0';
        return one;
    }
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1_map[cp - 0xC0];
    switch (cp) {
    case 0x0132: return "IJ";
    case 0x0133: return "ij";
    case 0x0152: return "OE";
    case 0x0153: return "oe";
    case 0x0218: return "S";
    case 0x0219: return "s";
    case 0x021A: return "T";
    case 0x021B: return "t";
    case 0x2018: case 0x2019: case 0x201A: case 0x201B:
    case 0x201C: case 0x201D: case 0x201E: case 0x2032:
        return "'";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2212:
        return "-";
    case 0x20AC: return "EUR";
    default: break;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        one[0] = latin_ext_a_map[cp - 0x100], one[1] = '\0';
        return one;
    }
    if (cp >= 0x300 && cp <= 0x36F) /* combining marks of decomposed text */
        return "";
    return NULL;
}

char *sepa_text(const char *utf8, size_t max)
{
    struct sbuf b = {0};
    int space = 0;
    const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
    while (*p && (max == 0 || b.len < max)) {
        long cp = utf8_next(&p);
        if (cp < 0)
            continue;
        char one[2];
        const char *r = epc_replacement(cp, one);
        if (!r) {
            space = b.len > 0;
            continue;
        }
        for (; *r && (max == 0 || b.len < max); r++) {
            if (*r == ' ') {
                space = b.len > 0;
                continue;
            }
            if (space) {
                sb_addc(&b, ' ');
                space = 0;
                if (max && b.len >= max)
                    break;
            }
            sb_addc(&b, *r);
        }
    }
    while (b.len > 0 && b.s[b.len - 1] == ' ')
        b.s[--b.len] = '\0';
    return b.s ? sb_steal(&b) : xstrdup("");
}

const char *sepa_name_problem(const char *utf8)
{
    char *t = sepa_text(utf8, 0);
    int letters = 0;
    for (const char *q = t; *q; q++)
        if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
            letters++;
    const char *why = !*t ? "is empty in the SEPA character set"
                      : !letters ? "has no Latin letter in the SEPA character set"
                                 : NULL;
    free(t);
    return why;
}

/* ================================================================ checks */

/* Why an identifier (message, end-to-end, mandate id) is unusable, or
 * NULL: the one rule of formats/bankid.h. */
static const char *id_problem(const char *s)
{
    return sepa_id_problem(s);
}

/* Copy s without spaces, upper-cased, into out[cap]; -1 when it does not
 * fit or is empty. */
static int compact_upper(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s; s++) {
        if (*s == ' ')
            continue;
        if (n + 1 >= cap)
            return -1;
        char c = *s;
        out[n++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    out[n] = '\0';
    return n ? 0 : -1;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum_upper(char c) { return is_upper(c) || is_digit(c); }

/* IBAN check digits plus the XSD's shape [A-Z]{2}[0-9]{2}[A-Z0-9]+. */
static int iban_ok(const char *iban)
{
    if (!iban_valid(iban))
        return 0;
    for (size_t i = 0; iban[i]; i++)
        if (!is_alnum_upper(iban[i]))
            return 0;
    return 1;
}

/* Creditor id shape (CCdd + 3-character business code + national id) and
 * check digits. */
static int creditor_id_ok(const char *cid)
{
    size_t n = strlen(cid);
    if (n < 8 || n > SEPA_ID_MAX || !is_upper(cid[0]) || !is_upper(cid[1]) ||
        !is_digit(cid[2]) || !is_digit(cid[3]))
        return 0;
    for (size_t i = 4; i < n; i++)
        if (!is_alnum_upper(cid[i]))
            return 0;
    return creditor_id_valid(cid);
}

/* Exactly "YYYY-MM-DDThh:mm:ss" with a real date and time. */
static int iso_datetime_ok(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    if (!s || strlen(s) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
            return 0;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    int h = atoi(s + 11), mi = atoi(s + 14), se = atoi(s + 17);
    return y >= 1900 && date_valid_ymd(y, mo, d) && h < 24 && mi < 60 && se < 60;
}

/* ================================================================ writer */

/* One transaction, checked and normalised for output. */
struct dd_out {
    const struct dd_tx *tx;
    size_t index; /* position in the input: ties keep input order */
    char iban[40], bic[12];
    char *name, *ustrd;
};

/* Fill e with "direct debit 'E2E' (REMITTANCE): what"; returns -1. */
static int tx_fail(struct err *e, const struct dd_tx *t, size_t i,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int tx_fail(struct err *e, const struct dd_tx *t, size_t i,
                   const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char who[160];
    if (t->end_to_end_id && *t->end_to_end_id)
        snprintf(who, sizeof who, "direct debit '%.40s'", t->end_to_end_id);
    else
        snprintf(who, sizeof who, "direct debit #%zu", i + 1);
    if (t->remittance && *t->remittance)
        return err_set(e, "%s (%.60s): %s; batch refused", who, t->remittance,
                       what);
    return err_set(e, "%s: %s; batch refused", who, what);
}

static int tx_check(const struct dd_tx *t, size_t i, struct dd_out *o,
                    struct err *e)
{
    const char *why;
    if ((why = id_problem(t->end_to_end_id)))
        return tx_fail(e, t, i, "end-to-end id '%.40s' %s",
                       t->end_to_end_id ? t->end_to_end_id : "", why);
    if (t->amount_cents <= 0)
        return tx_fail(e, t, i, "amount must be more than 0.00");
    if (t->amount_cents > SEPA_AMOUNT_MAX)
        return tx_fail(e, t, i, "amount is above 999999999.99");
    if ((why = id_problem(t->mandate_id)))
        return tx_fail(e, t, i, "mandate id '%.40s' %s",
                       t->mandate_id ? t->mandate_id : "", why);
    if (t->collection_date == CDATE_NONE)
        return tx_fail(e, t, i, "collection date is missing");
    if (t->mandate_date == CDATE_NONE)
        return tx_fail(e, t, i, "mandate signature date is missing");
    if (t->mandate_date > t->collection_date) {
        char a[11], b[11];
        return tx_fail(e, t, i, "mandate signed %s, after the collection date %s",
                       date_fmt(t->mandate_date, a),
                       date_fmt(t->collection_date, b));
    }
    if (compact_upper(t->debtor_iban, o->iban, sizeof o->iban) < 0 ||
        !iban_ok(o->iban))
        return tx_fail(e, t, i, "debtor IBAN '%.40s' is not valid",
                       t->debtor_iban ? t->debtor_iban : "");
    o->bic[0] = '\0';
    if (t->debtor_bic && *t->debtor_bic &&
        (compact_upper(t->debtor_bic, o->bic, sizeof o->bic) < 0 ||
         !bic_valid(o->bic)))
        return tx_fail(e, t, i, "debtor BIC '%.20s' is not valid", t->debtor_bic);
    o->name = sepa_text(t->debtor_name, SEPA_NAME_MAX);
    if ((why = sepa_name_problem(t->debtor_name)))
        return tx_fail(e, t, i, "debtor name '%.70s' %s",
                       t->debtor_name ? t->debtor_name : "", why);
    o->ustrd = t->remittance ? sepa_text(t->remittance, SEPA_USTRD_MAX) : NULL;
    o->tx = t;
    o->index = i;
    return 0;
}

static int by_e2e(const void *a, const void *b)
{
    const struct dd_out *x = a, *y = b;
    return strcmp(x->tx->end_to_end_id, y->tx->end_to_end_id);
}

/* Payment-information order: collection date, FRST before RCUR, input. */
static int by_group(const void *a, const void *b)
{
    const struct dd_out *x = a, *y = b;
    if (x->tx->collection_date != y->tx->collection_date)
        return x->tx->collection_date < y->tx->collection_date ? -1 : 1;
    if (!x->tx->first != !y->tx->first)
        return x->tx->first ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int same_group(const struct dd_out *a, const struct dd_out *b)
{
    return a->tx->collection_date == b->tx->collection_date &&
           !a->tx->first == !b->tx->first;
}

/* <NAME><FinInstnId><BIC/> or <Othr><Id>NOTPROVIDED</Id></Othr></...> */
static void x_agent(struct xw *x, const char *name, const char *bic)
{
    xw_open(x, name);
    xw_open(x, "FinInstnId");
    if (bic[0]) {
        xw_el(x, "BIC", bic);
    } else {
        xw_open(x, "Othr");
        xw_el(x, "Id", "NOTPROVIDED");
        xw_close(x);
    }
    xw_close(x);
    xw_close(x);
}

/* The whole document for the sorted, checked transactions. */
static void write_document(struct xw *x, const char *msg_id,
                           const char *created, const char *cdtr_name,
                           const char *cdtr_iban, const char *cdtr_bic,
                           const char *cid, const struct dd_out *o, size_t n)
{
    char buf[32], date[11];
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += o[i].tx->amount_cents;

    if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
        x->bad = 1;
    xw_open(x, "Document");
    if (xmlTextWriterWriteAttribute(x->w, BAD_CAST "xmlns", BAD_CAST PAIN008_NS) < 0)
        x->bad = 1;
    xw_open(x, "CstmrDrctDbtInitn");

    xw_open(x, "GrpHdr");
    xw_el(x, "MsgId", msg_id);
    xw_el(x, "CreDtTm", created);
    snprintf(buf, sizeof buf, "%zu", n);
    xw_el(x, "NbOfTxs", buf);
    xw_el(x, "CtrlSum", money_fmt(total, buf));
    xw_iso_party(x, "InitgPty", cdtr_name);
    xw_close(x);

    size_t group = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int64_t sum = 0;
        while (j < n && same_group(&o[i], &o[j]))
            sum += o[j++].tx->amount_cents;
        char id[64];
        snprintf(id, sizeof id, "%s-%zu", msg_id, ++group);

        xw_open(x, "PmtInf");
        xw_el(x, "PmtInfId", id);
        xw_el(x, "PmtMtd", "DD");
        snprintf(buf, sizeof buf, "%zu", j - i);
        xw_el(x, "NbOfTxs", buf);
        xw_el(x, "CtrlSum", money_fmt(sum, buf));
        xw_open(x, "PmtTpInf");
        xw_open(x, "SvcLvl");
        xw_el(x, "Cd", "SEPA");
        xw_close(x);
        xw_open(x, "LclInstrm");
        xw_el(x, "Cd", "CORE");
        xw_close(x);
        xw_el(x, "SeqTp", o[i].tx->first ? "FRST" : "RCUR");
        xw_close(x);
        xw_el(x, "ReqdColltnDt", date_fmt(o[i].tx->collection_date, date));
        xw_iso_party(x, "Cdtr", cdtr_name);
        xw_iso_account(x, "CdtrAcct", cdtr_iban);
        x_agent(x, "CdtrAgt", cdtr_bic);
        xw_el(x, "ChrgBr", "SLEV");
        xw_open(x, "CdtrSchmeId");
        xw_open(x, "Id");
        xw_open(x, "PrvtId");
        xw_open(x, "Othr");
        xw_el(x, "Id", cid);
        xw_open(x, "SchmeNm");
        xw_el(x, "Prtry", "SEPA");
        xw_close(x); /* SchmeNm */
        xw_close(x); /* Othr */
        xw_close(x); /* PrvtId */
        xw_close(x); /* Id */
        xw_close(x); /* CdtrSchmeId */

        for (; i < j; i++) {
            const struct dd_tx *t = o[i].tx;
            xw_open(x, "DrctDbtTxInf");
            xw_open(x, "PmtId");
            xw_el(x, "EndToEndId", t->end_to_end_id);
            xw_close(x);
            xw_iso_amount(x, "InstdAmt", t->amount_cents);
            xw_open(x, "DrctDbtTx");
            xw_open(x, "MndtRltdInf");
            xw_el(x, "MndtId", t->mandate_id);
            xw_el(x, "DtOfSgntr", date_fmt(t->mandate_date, date));
            xw_close(x);
            xw_close(x);
            x_agent(x, "DbtrAgt", o[i].bic);
            xw_iso_party(x, "Dbtr", o[i].name);
            xw_iso_account(x, "DbtrAcct", o[i].iban);
            xw_iso_remittance(x, o[i].ustrd);
            xw_close(x); /* DrctDbtTxInf */
        }
        xw_close(x); /* PmtInf */
    }
    xw_close(x); /* CstmrDrctDbtInitn */
    xw_close(x); /* Document */
    if (xmlTextWriterEndDocument(x->w) < 0)
        x->bad = 1;
}

int sepa_write_pain008(const struct sepa_creditor *p, const char *msg_id,
                       const char *created_iso, const struct dd_tx *txs,
                       size_t n, const char *path, struct err *e)
{
    assert(p && path && e);
    assert(txs || n == 0);
    const char *why;
    if ((why = id_problem(msg_id)))
        return err_set(e, "message id '%.40s' %s", msg_id ? msg_id : "", why);
    if (!iso_datetime_ok(created_iso))
        return err_set(e, "creation time '%.40s' is not YYYY-MM-DDThh:mm:ss",
                       created_iso ? created_iso : "");
    if (n == 0)
        return err_set(e, "no direct debits to export; a batch needs at least one");
    /* the last PmtInfId is "<msg_id>-<groups>" and must fit in 35 */
    if (strlen(msg_id) + 1 + (size_t)snprintf(NULL, 0, "%zu", n) > SEPA_ID_MAX)
        return err_set(e, "message id '%s' leaves no room for the payment "
                       "information ids (at most %zu characters for %zu "
                       "direct debits)", msg_id,
                       SEPA_ID_MAX - 1 - (size_t)snprintf(NULL, 0, "%zu", n), n);

    char cdtr_iban[40], cdtr_bic[12] = "", cid[40];
    if (compact_upper(p->iban, cdtr_iban, sizeof cdtr_iban) < 0 ||
        !iban_ok(cdtr_iban))
        return err_set(e, "practice IBAN '%.40s' is not valid",
                       p->iban ? p->iban : "");
    if (p->bic && *p->bic &&
        (compact_upper(p->bic, cdtr_bic, sizeof cdtr_bic) < 0 ||
         !bic_valid(cdtr_bic)))
        return err_set(e, "practice BIC '%.20s' is not valid", p->bic);
    if (compact_upper(p->creditor_id, cid, sizeof cid) < 0 || !creditor_id_ok(cid))
        return err_set(e, "creditor id '%.40s' is not a valid SEPA creditor "
                       "identifier (check digits or format)",
                       p->creditor_id ? p->creditor_id : "");
    char *cdtr_name = sepa_text(p->name, SEPA_NAME_MAX);
    struct dd_out *o = xcalloc(n, sizeof *o);
    int rc = 0;
    if (!*cdtr_name)
        rc = err_set(e, "practice name '%.70s' is empty in the SEPA character set",
                     p->name ? p->name : "");

    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = tx_check(&txs[i], i, &o[i], e);
    if (rc == 0) {
        qsort(o, n, sizeof *o, by_e2e);
        for (size_t i = 1; rc == 0 && i < n; i++)
            if (strcmp(o[i - 1].tx->end_to_end_id, o[i].tx->end_to_end_id) == 0)
                rc = tx_fail(e, o[i].tx, o[i].index,
                             "end-to-end id is used twice in the batch");
    }
    if (rc == 0) {
        qsort(o, n, sizeof *o, by_group);
        struct xw x = {0};
        if (xw_start(&x) != 0) {
            rc = err_set(e, "%s: cannot start the XML writer", path);
        } else {
            write_document(&x, msg_id, created_iso, cdtr_name, cdtr_iban,
                           cdtr_bic, cid, o, n);
            rc = xw_finish_file(&x, path, e);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(o[i].name);
        free(o[i].ustrd);
    }
    free(o);
    free(cdtr_name);
    return rc;
}

/* ================================================================ reader */

struct camt {
    const char *path;
    struct err *e;
    struct bank_statement *st;
    size_t cap;
    int doctype_line;    /* > 0 when a DOCTYPE was met (and refused) */
    int xml_line;        /* first parser error */
    char xml_msg[256];
};

static int node_line(xmlNodePtr n)
{
    long l = n ? xmlGetLineNo(n) : 0;
    return l > 0 && l < INT32_MAX ? (int)l : 0;
}

/* "PATH:LINE: message" from node n; returns -1. */
static int camt_fail(struct camt *c, xmlNodePtr n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int camt_fail(struct camt *c, xmlNodePtr n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(c->e, "%s:%d: %s", c->path, node_line(n), msg);
}

static int is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcmp((const char *)n->name, name) == 0;
}

/* First child element of n called name, or NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (is_el(k, name))
            return k;
    return NULL;
}

/* Follow a '/'-separated path of first children: "AmtDtls/TxAmt/Amt". */
static xmlNodePtr descend(xmlNodePtr n, const char *path)
{
    char step[32];
    while (n && *path) {
        size_t k = strcspn(path, "/");
        if (k >= sizeof step)
            return NULL;
        memcpy(step, path, k);
        step[k] = '\0';
        n = child(n, step);
        path += k + (path[k] == '/');
    }
    return n;
}

/* The text of n with surrounding white space removed; NULL when n is. */
static char *text(xmlNodePtr n)
{
    if (!n)
        return NULL;
    xmlChar *raw = xmlNodeGetContent(n);
    const char *s = raw ? (const char *)raw : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                       s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *out = xstrndup(s, len);
    xmlFree(raw);
    return out;
}

/* Text of the element at path under n, NULL when absent or empty. */
static char *text_at(xmlNodePtr n, const char *path)
{
    char *s = text(descend(n, path));
    if (s && !*s) {
        free(s);
        s = NULL;
    }
    return s;
}

/* An ActiveOrHistoricCurrencyAndAmount element into cents, exactly. */
static int read_amount(struct camt *c, xmlNodePtr amt, int64_t *cents,
                       char ccy[4])
{
    xmlChar *cur = xmlGetNoNsProp(amt, BAD_CAST "Ccy");
    int ok = cur && strlen((const char *)cur) == 3 && is_upper((char)cur[0]) &&
             is_upper((char)cur[1]) && is_upper((char)cur[2]);
    if (ok)
        memcpy(ccy, cur, 4);
    xmlFree(cur);
    if (!ok)
        return camt_fail(c, amt, "Amt needs a Ccy attribute of three capital "
                         "letters (\"EUR\")");

    char *s = text(amt);
    const char *q = s;
    int64_t whole = 0, frac = 0;
    int int_digits = 0, frac_digits = 0, extra = 0;
    if (*q == '+')
        q++;
    while (*q == '0' && is_digit(q[1]))
        q++;
    for (; is_digit(*q); q++, int_digits++)
        if (int_digits < 16)
            whole = whole * 10 + (*q - '0');
    if (*q == '.') {
        for (q++; is_digit(*q); q++, frac_digits++) {
            if (frac_digits < 2)
                frac = frac * 10 + (*q - '0');
            else if (*q != '0')
                extra = 1;
        }
    }
    int rc = 0;
    if (*q || int_digits + frac_digits == 0)
        rc = camt_fail(c, amt, "amount '%.40s' is not a decimal number", s);
    else if (int_digits > 15)
        rc = camt_fail(c, amt, "amount '%.40s' is too large", s);
    else if (extra)
        rc = camt_fail(c, amt, "amount '%.40s' has more than two decimals "
                       "that are not zero; carebill books whole cents", s);
    else {
        if (frac_digits == 1)
            frac *= 10;
        *cents = whole * 100 + frac;
    }
    free(s);
    return rc;
}

/* CdtDbtInd text to 1 (CRDT) / 0 (DBIT). */
static int read_credit(struct camt *c, xmlNodePtr n, int *credit)
{
    char *s = text(n);
    int rc = 0;
    if (strcmp(s, "CRDT") == 0)
        *credit = 1;
    else if (strcmp(s, "DBIT") == 0)
        *credit = 0;
    else
        rc = camt_fail(c, n, "CdtDbtInd must be CRDT or DBIT, found '%.20s'", s);
    free(s);
    return rc;
}

/* A DateAndDateTimeChoice (Dt or DtTm) into a civil date. */
static int read_date(struct camt *c, xmlNodePtr n, cdate *out)
{
    *out = CDATE_NONE;
    if (!n)
        return 0;
    xmlNodePtr d = child(n, "Dt");
    int datetime = 0;
    if (!d) {
        d = child(n, "DtTm");
        datetime = 1;
    }
    if (!d)
        return camt_fail(c, n, "%s has neither Dt nor DtTm", (const char *)n->name);
    char *s = text(d);
    size_t len = strlen(s);
    /* xs:date may carry a zone ("2014-12-31+01:00"); the day is what counts */
    int ok = len >= 10 && (datetime ? s[10] == 'T'
                                    : (s[10] == '\0' || s[10] == 'Z' ||
                                       s[10] == '+' || s[10] == '-'));
    char day[11];
    struct err ignored;
    if (ok) {
        memcpy(day, s, 10);
        day[10] = '\0';
        ok = date_parse(day, out, &ignored) == 0;
    }
    int rc = ok ? 0 : camt_fail(c, d, "bad date '%.40s' (expected %s)", s,
                                datetime ? "YYYY-MM-DDThh:mm:ss" : "YYYY-MM-DD");
    free(s);
    return rc;
}

static void entry_free(struct bank_entry *b)
{
    free(b->status);
    free(b->end_to_end_id);
    free(b->reference);
    free(b->remittance);
    free(b->account_servicer_ref);
    free(b->return_reason);
    free(b->account_iban);
    free(b->counterparty_iban);
    memset(b, 0, sizeof *b);
}

static void push_entry(struct camt *c, struct bank_entry *b)
{
    struct bank_statement *st = c->st;
    if (st->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        st->entries = xrealloc(st->entries, c->cap * sizeof *st->entries);
    }
    st->entries[st->n++] = *b;
    memset(b, 0, sizeof *b);
}

/* The references, remittance and return reason of one TxDtls into b. */
static void read_tx_refs(xmlNodePtr tx, struct bank_entry *b)
{
    char *e2e = text_at(tx, "Refs/EndToEndId");
    if (e2e && strcmp(e2e, "NOTPROVIDED") == 0) {
        free(e2e);
        e2e = NULL;
    }
    b->end_to_end_id = e2e;
    char *asr = text_at(tx, "Refs/AcctSvcrRef");
    if (asr && *asr) {
        free(b->account_servicer_ref);
        b->account_servicer_ref = asr;
        b->own_ref = 1;
    } else {
        free(asr);
    }
    b->counterparty_iban = text_at(tx, b->credit ? "RltdPties/DbtrAcct/Id/IBAN"
                                                 : "RltdPties/CdtrAcct/Id/IBAN");
    xmlNodePtr rmt = child(tx, "RmtInf");
    struct sbuf u = {0};
    for (xmlNodePtr k = rmt ? rmt->children : NULL; k; k = k->next) {
        if (is_el(k, "Ustrd")) {
            char *s = text(k);
            if (*s) {
                if (u.len)
                    sb_addc(&u, ' ');
                sb_add(&u, s);
            }
            free(s);
        } else if (is_el(k, "Strd") && !b->reference) {
            b->reference = text_at(k, "CdtrRefInf/Ref");
        }
    }
    b->remittance = u.len ? sb_steal(&u) : NULL;
    sb_free(&u);
    b->return_reason = text_at(tx, "RtrInf/Rsn/Cd");
    if (!b->return_reason)
        b->return_reason = text_at(tx, "RtrInf/Rsn/Prtry");
}

/* Everything an entry and its transactions share. */
static int read_entry_head(struct camt *c, xmlNodePtr ntry, struct bank_entry *h)
{
    xmlNodePtr amt = child(ntry, "Amt");
    if (!amt)
        return camt_fail(c, ntry, "entry (Ntry) has no Amt");
    if (read_amount(c, amt, &h->amount_cents, h->currency) < 0)
        return -1;
    xmlNodePtr cd = child(ntry, "CdtDbtInd");
    if (!cd)
        return camt_fail(c, ntry, "entry (Ntry) has no CdtDbtInd");
    if (read_credit(c, cd, &h->credit) < 0)
        return -1;
    xmlNodePtr rv = child(ntry, "RvslInd");
    if (rv) {
        char *s = text(rv);
        int bad = 0;
        if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
            h->reversal = 1;
        else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
            h->reversal = 0;
        else
            bad = 1;
        if (bad)
            camt_fail(c, rv, "RvslInd must be true or false, found '%.20s'", s);
        free(s);
        if (bad)
            return -1;
    }
    xmlNodePtr sts = child(ntry, "Sts");
    h->status = text_at(sts, "Cd"); /* 001.08 and later: Sts/Cd */
    if (!h->status && sts && !child(sts, "Cd"))
        h->status = text_at(ntry, "Sts");
    if (!h->status)
        return camt_fail(c, sts ? sts : ntry, "entry (Ntry) has no Sts");
    if (read_date(c, child(ntry, "BookgDt"), &h->booking_date) < 0 ||
        read_date(c, child(ntry, "ValDt"), &h->value_date) < 0)
        return -1;
    h->account_servicer_ref = text_at(ntry, "AcctSvcrRef");
    return 0;
}

/* The amount a TxDtls carries itself: Amt (001.04), else AmtDtls/TxAmt or
 * AmtDtls/InstdAmt (001.02); NULL when none. */
static xmlNodePtr tx_amount(xmlNodePtr tx)
{
    xmlNodePtr a = child(tx, "Amt");
    if (!a)
        a = descend(tx, "AmtDtls/TxAmt/Amt");
    if (!a)
        a = descend(tx, "AmtDtls/InstdAmt/Amt");
    return a;
}

/* One Ntry: one bank_entry per TxDtls, or one for the entry. */
static int read_entry(struct camt *c, xmlNodePtr ntry, const char *iban)
{
    struct bank_entry h = {0};
    if (read_entry_head(c, ntry, &h) < 0) {
        entry_free(&h);
        return -1;
    }
    size_t ntx = 0;
    for (xmlNodePtr d = ntry->children; d; d = d->next)
        if (is_el(d, "NtryDtls"))
            for (xmlNodePtr t = d->children; t; t = t->next)
                ntx += is_el(t, "TxDtls");
    if (ntx == 0) {
        h.line = node_line(ntry);
        h.account_iban = xstrdup(iban);
        push_entry(c, &h);
        return 0;
    }
    size_t tx_seen = 0;
    for (xmlNodePtr d = ntry->children; d; d = d->next) {
        if (!is_el(d, "NtryDtls"))
            continue;
        for (xmlNodePtr t = d->children; t; t = t->next) {
            if (!is_el(t, "TxDtls"))
                continue;
            struct bank_entry b = h;
            b.status = xstrdup(h.status);
            b.account_servicer_ref = xstrdup(h.account_servicer_ref);
            b.account_iban = xstrdup(iban);
            b.line = node_line(t);
            xmlNodePtr amt = tx_amount(t);
            xmlNodePtr cd = child(t, "CdtDbtInd");
            int rc = 0;
            if (amt)
                rc = read_amount(c, amt, &b.amount_cents, b.currency);
            else if (ntx > 1)
                rc = camt_fail(c, t, "TxDtls has no amount of its own in an "
                               "entry with %zu transactions; the entry amount "
                               "cannot be split", ntx);
            if (rc == 0 && cd)
                rc = read_credit(c, cd, &b.credit);
            b.tx_index = (int)++tx_seen;
            b.tx_count = (int)ntx;
            if (rc < 0) {
                entry_free(&b);
                entry_free(&h);
                return -1;
            }
            read_tx_refs(t, &b);
            push_entry(c, &b);
        }
    }
    entry_free(&h);
    return 0;
}

/* SAX hook: any DOCTYPE ends the parse (entities are never wanted). */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
                           const xmlChar *sys)
{
    xmlParserCtxtPtr p = ctx;
    struct camt *c = p->_private;
    int line = xmlSAX2GetLineNumber(ctx);
    if (c && !c->doctype_line)
        c->doctype_line = line > 0 ? line : 1;
    xmlStopParser(p);
}

/* Parser errors: keep the first, print nothing. */
static void capture_error(void *ctx, xmlErrorPtr err)
{
    xmlParserCtxtPtr p = ctx;
    struct camt *c = p ? p->_private : NULL;
    if (!c || c->xml_msg[0] || !err || err->level < XML_ERR_ERROR)
        return;
    c->xml_line = err->line > 0 ? err->line : 1;
    snprintf(c->xml_msg, sizeof c->xml_msg, "%s",
             err->message ? err->message : "malformed XML");
    size_t len = strlen(c->xml_msg);
    while (len > 0 && (c->xml_msg[len - 1] == '\n' || c->xml_msg[len - 1] == ' '))
        c->xml_msg[--len] = '\0';
}

/* Read a regular file of at most SEPA_CAMT_MAX_BYTES. */
static char *read_capped(const char *path, size_t *len, struct err *e)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, "%s: %s", path, strerror(errno)), NULL;
    struct stat sb;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return err_set(e, "%s: not a regular file", path), NULL;
    }
    if ((uint64_t)sb.st_size > SEPA_CAMT_MAX_BYTES) {
        close(fd);
        return err_set(e, "%s: %lld bytes, more than the %u a statement may have",
                       path, (long long)sb.st_size, SEPA_CAMT_MAX_BYTES), NULL;
    }
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r < 0) {
            err_set(e, "%s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap) { /* grew while we read */
            free(buf);
            close(fd);
            return err_set(e, "%s: changed while being read", path), NULL;
        }
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Parse the bytes into a tree; no DOCTYPE, no network, no entities. */
static xmlDocPtr camt_parse(struct camt *c, const char *data, size_t len)
{
    xmlParserCtxtPtr p = xmlNewParserCtxt();
    if (!p)
        return err_set(c->e, "%s: cannot start the XML parser", c->path), NULL;
    p->_private = c;
    p->sax->internalSubset = refuse_doctype;
    p->sax->serror = capture_error;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(p, data, (int)len, NULL, NULL, opts);
    if (c->doctype_line) {
        err_set(c->e, "%s:%d: DOCTYPE is not allowed in a bank statement "
                "(entities are never expanded)", c->path, c->doctype_line);
    } else if (!doc || c->xml_msg[0]) {
        if (c->xml_msg[0]) {
            err_set(c->e, "%s:%d: malformed XML: %s", c->path, c->xml_line,
                    c->xml_msg);
        } else {
            xmlErrorPtr le = xmlCtxtGetLastError(p);
            err_set(c->e, "%s:%d: malformed XML: %s", c->path,
                    le && le->line > 0 ? le->line : 1,
                    le && le->message ? le->message : "cannot parse");
        }
    } else if (doc->intSubset || doc->extSubset) {
        err_set(c->e, "%s:1: DOCTYPE is not allowed in a bank statement",
                c->path);
    } else {
        xmlFreeParserCtxt(p);
        return doc;
    }
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(p);
    return NULL;
}

/* Document/BkToCstmrStmt/Stmt+ into c->st. */
static int camt_walk(struct camt *c, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return err_set(c->e, "%s:1: no root element", c->path);
    if (!is_el(root, "Document"))
        return camt_fail(c, root, "not a camt.053 statement: the root element "
                         "is <%.60s>, expected <Document>", (const char *)root->name);
    if (root->ns && root->ns->href &&
        strncmp((const char *)root->ns->href, CAMT053_NS_PREFIX,
                strlen(CAMT053_NS_PREFIX)) != 0)
        return camt_fail(c, root, "not a camt.053 statement: namespace '%.100s'",
                         (const char *)root->ns->href);
    xmlNodePtr bk = root->children;
    while (bk && bk->type != XML_ELEMENT_NODE)
        bk = bk->next;
    if (!is_el(bk, "BkToCstmrStmt"))
        return camt_fail(c, bk ? bk : root, "not a camt.053 statement: "
                         "Document contains <%.60s>, expected <BkToCstmrStmt>",
                         bk ? (const char *)bk->name : "nothing");
    size_t nstmt = 0;
    for (xmlNodePtr s = bk->children; s; s = s->next) {
        if (!is_el(s, "Stmt"))
            continue;
        nstmt++;
        char *iban = text_at(s, "Acct/Id/IBAN");
        if (nstmt == 1)
            c->st->iban = xstrdup(iban);
        int rc = 0;
        for (xmlNodePtr n = s->children; rc == 0 && n; n = n->next)
            if (is_el(n, "Ntry"))
                rc = read_entry(c, n, iban);
        free(iban);
        if (rc < 0)
            return -1;
    }
    if (nstmt == 0)
        return camt_fail(c, bk, "BkToCstmrStmt has no Stmt; a bank statement "
                         "must contain at least one");
    return 0;
}

int camt053_read(const char *path, struct bank_statement *out, struct err *e)
{
    assert(path && out && e);
    memset(out, 0, sizeof *out);
    size_t len;
    char *data = read_capped(path, &len, e);
    if (!data)
        return -1;
    if (len == 0) {
        free(data);
        return err_set(e, "%s:1: empty file, expected a camt.053 statement", path);
    }
    if (len > INT32_MAX) { /* the parser takes an int length */
        free(data);
        return err_set(e, "%s: too large", path);
    }
    xmlInitParser();
    struct camt c = {.path = path, .e = e, .st = out};
    xmlDocPtr doc = camt_parse(&c, data, len);
    free(data);
    if (!doc)
        return -1;
    int rc = camt_walk(&c, doc);
    xmlFreeDoc(doc);
    if (rc < 0)
        bank_statement_free(out);
    return rc;
}

void bank_statement_free(struct bank_statement *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        entry_free(&s->entries[i]);
    free(s->entries);
    free(s->iban);
    memset(s, 0, sizeof *s);
}
