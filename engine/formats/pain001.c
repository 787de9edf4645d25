/*
 * pain001.c — the pain.001.001.03 writer (SEPA credit transfers) with
 * libxml2's text writer. Names and remittance text are transliterated to
 * the EPC character set by formats/sepa.h's sepa_text; IBANs and BICs are
 * checked by formats/bankid.h. See pain001.h.
 */
#include "formats/pain001.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "formats/bankid.h"
#include "formats/sepa.h"
#include "formats/xmlw.h"

#define PAIN001_NS "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
#define NAME_MAX_CHARS 70
#define ID_MAX_CHARS 35
#define USTRD_MAX_CHARS 140
#define AMOUNT_MAX_CENTS 99999999999LL

/* Spaces out, upper case; -1 when it does not fit in cap. */
static int compact_upper(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s; s++) {
        if (*s == ' ')
            continue;
        if (n + 1 >= cap)
            return -1;
        out[n++] = (char)toupper((unsigned char)*s);
    }
    out[n] = '\0';
    return 0;
}

/* Why s cannot be a SEPA id (1..35 of a-z A-Z 0-9 / - ? : ( ) . , ' +,
 * not starting or ending with '/' nor holding "//"), or NULL. */
static const char *id_problem(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > ID_MAX_CHARS)
        return "must be 1 to 35 characters";
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/-?:().,'+", *p))
            return "holds a character SEPA does not allow";
    if (s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
        return "may not start or end with '/' nor hold '//'";
    return NULL;
}

struct ct_out {
    const struct ct_tx *tx;
    char iban[40];
    char *name, *ustrd;
};

static int tx_fail(struct err *e, const struct ct_tx *t, size_t i,
                   const char *what)
{
    return err_set(e, "transfer %zu (%s): %s", i + 1,
                   t->end_to_end_id ? t->end_to_end_id : "no id", what);
}

static int tx_check(const struct ct_tx *t, size_t i, struct ct_out *o,
                    struct err *e)
{
    const char *why;
    o->tx = t;
    if ((why = id_problem(t->end_to_end_id)))
        return tx_fail(e, t, i, "end-to-end id is not valid");
    if (t->amount_cents < 1 || t->amount_cents > AMOUNT_MAX_CENTS)
        return tx_fail(e, t, i, "amount must be from 0.01 to 999999999.99");
    if (!t->creditor_iban || !*t->creditor_iban)
        return tx_fail(e, t, i, "the creditor has no IBAN");
    if (compact_upper(t->creditor_iban, o->iban, sizeof o->iban) < 0 ||
        (why = iban_problem(o->iban)))
        return tx_fail(e, t, i, "the creditor's IBAN is not valid");
    if ((why = sepa_name_problem(t->creditor_name)))
        return tx_fail(e, t, i, "the creditor's name is empty in the SEPA "
                                "character set");
    o->name = sepa_text(t->creditor_name, NAME_MAX_CHARS);
    o->ustrd = t->remittance ? sepa_text(t->remittance, USTRD_MAX_CHARS) : NULL;
    return 0;
}

static int iso_datetime_ok(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    if (!s || strlen(s) != sizeof pat - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
            return 0;
    return 1;
}

static void write_document(struct xw *x, const char *msg_id,
                           const char *created, cdate execution,
                           const char *name, const char *iban,
                           const char *bic, const struct ct_out *o, size_t n)
{
    char buf[32], date[11], id[64];
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += o[i].tx->amount_cents;
    if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
        x->bad = 1;
    xw_open(x, "Document");
    if (xmlTextWriterWriteAttribute(x->w, BAD_CAST "xmlns",
                                    BAD_CAST PAIN001_NS) < 0)
        x->bad = 1;
    xw_open(x, "CstmrCdtTrfInitn");
    xw_open(x, "GrpHdr");
    xw_el(x, "MsgId", msg_id);
    xw_el(x, "CreDtTm", created);
    snprintf(buf, sizeof buf, "%zu", n);
    xw_el(x, "NbOfTxs", buf);
    xw_el(x, "CtrlSum", money_fmt(total, buf));
    xw_iso_party(x, "InitgPty", name);
    xw_close(x); /* GrpHdr */

    xw_open(x, "PmtInf");
    snprintf(id, sizeof id, "%s-1", msg_id);
    xw_el(x, "PmtInfId", id);
    xw_el(x, "PmtMtd", "TRF");
    snprintf(buf, sizeof buf, "%zu", n);
    xw_el(x, "NbOfTxs", buf);
    xw_el(x, "CtrlSum", money_fmt(total, buf));
    xw_open(x, "PmtTpInf");
    xw_open(x, "SvcLvl");
    xw_el(x, "Cd", "SEPA");
    xw_close(x);
    xw_close(x);
    xw_el(x, "ReqdExctnDt", date_fmt(execution, date));
    xw_iso_party(x, "Dbtr", name);
    xw_iso_account(x, "DbtrAcct", iban);
    xw_open(x, "DbtrAgt");
    xw_open(x, "FinInstnId");
    if (bic[0]) {
        xw_el(x, "BIC", bic);
    } else {
        xw_open(x, "Othr");
        xw_el(x, "Id", "NOTPROVIDED");
        xw_close(x);
    }
    xw_close(x);
    xw_close(x); /* DbtrAgt */
    xw_el(x, "ChrgBr", "SLEV");
    for (size_t i = 0; i < n; i++) {
        xw_open(x, "CdtTrfTxInf");
        xw_open(x, "PmtId");
        xw_el(x, "EndToEndId", o[i].tx->end_to_end_id);
        xw_close(x);
        xw_open(x, "Amt");
        xw_iso_amount(x, "InstdAmt", o[i].tx->amount_cents);
        xw_close(x); /* Amt */
        xw_iso_party(x, "Cdtr", o[i].name);
        xw_iso_account(x, "CdtrAcct", o[i].iban);
        xw_iso_remittance(x, o[i].ustrd);
        xw_close(x); /* CdtTrfTxInf */
    }
    xw_close(x); /* PmtInf */
    xw_close(x); /* CstmrCdtTrfInitn */
    xw_close(x); /* Document */
    if (xmlTextWriterEndDocument(x->w) < 0)
        x->bad = 1;
}

int pain001_write(const struct ct_debtor *d, const char *msg_id,
                  const char *created_iso, cdate execution,
                  const struct ct_tx *txs, size_t n, const char *path,
                  struct err *e)
{
    assert(d && path && e);
    assert(txs || n == 0);
    const char *why;
    if ((why = id_problem(msg_id)) || strlen(msg_id) + 2 > ID_MAX_CHARS)
        return err_set(e, "message id '%.40s' %s", msg_id ? msg_id : "",
                       why ? why : "leaves no room for the payment id");
    if (!iso_datetime_ok(created_iso))
        return err_set(e, "creation time '%.40s' is not YYYY-MM-DDThh:mm:ss",
                       created_iso ? created_iso : "");
    if (n == 0)
        return err_set(e, "no transfers to export; a batch needs at least "
                          "one");
    char iban[40], bic[16] = "";
    if (compact_upper(d->iban, iban, sizeof iban) < 0 || !d->iban ||
        iban_problem(iban))
        return err_set(e, "the agency's IBAN '%.40s' is not valid",
                       d->iban ? d->iban : "");
    if (d->bic && *d->bic &&
        (compact_upper(d->bic, bic, sizeof bic) < 0 || bic_problem(bic)))
        return err_set(e, "the agency's BIC '%.20s' is not valid", d->bic);
    if (sepa_name_problem(d->name))
        return err_set(e, "the agency's name '%.70s' is empty in the SEPA "
                          "character set", d->name ? d->name : "");
    char *name = sepa_text(d->name, NAME_MAX_CHARS);
    struct ct_out *o = xcalloc(n, sizeof *o);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = tx_check(&txs[i], i, &o[i], e);
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t j = i + 1; rc == 0 && j < n; j++)
            if (!strcmp(txs[i].end_to_end_id, txs[j].end_to_end_id))
                rc = tx_fail(e, &txs[j], j,
                             "end-to-end id is used twice in the batch");
    if (rc == 0) {
        struct xw x = {0};
        if (xw_start(&x) != 0) {
            rc = err_set(e, "%s: cannot start the XML writer", path);
        } else {
            write_document(&x, msg_id, created_iso, execution, name, iban,
                           bic, o, n);
            rc = xw_finish_file(&x, path, e);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(o[i].name);
        free(o[i].ustrd);
    }
    free(o);
    free(name);
    return rc;
}
