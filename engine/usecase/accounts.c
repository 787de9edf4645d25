/*
 * accounts.c — the account use cases: add, list, show, update (checked by
 * the same account_check as add, every change recorded) and deactivate.
 */
#include "usecase/accounts.h"

#include <stdlib.h>
#include <string.h>

#include "formats/taxid.h"
#include "usecase/engine.h"

/* The account's VAT number in its country's format (formats/taxid.h),
 * and its mandate signed by `today`: every collection is made on or
 * after the day the mandate is entered, and sepa export refuses one
 * dated before its mandate, so a later mandate date is refused here. */
static int account_tax_check(const struct account_input *a, cdate today,
                             struct err *e)
{
    const char *why;
    if (a->vat_number && (why = vat_number_problem(a->vat_number)))
        return err_set(e, "VAT number '%s' %s", a->vat_number, why);
    if (a->mandate_id && a->mandate_date != CDATE_NONE &&
        today != CDATE_NONE && a->mandate_date > today) {
        char md[11], td[11];
        return err_set(e, "mandate date %s is after today (%s): enter a "
                          "mandate once it is signed (a collection before "
                          "the mandate's date is refused)",
                       date_fmt(a->mandate_date, md), date_fmt(today, td));
    }
    return 0;
}

int account_add(struct ledger *lg, const struct account_input *a, cdate today,
                struct err *e)
{
    const char *kind;
    if (account_check(a, &kind, e) != 0 ||
        account_tax_check(a, today, e) != 0)
        return -1;
    struct account_row row = {
        a->id,   a->name, a->email,      kind,         a->address,
        a->locale, a->vat_number, a->iban, a->bic, a->mandate_id,
        a->mandate_date, a->reminders, today, a->peppol};
    int dup;
    if (accounts_insert(lg, &row, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "account '%s' already exists", a->id);
    return 0;
}

int account_list(struct engine *eng, struct account_record **rows, size_t *n,
                 struct err *e)
{
    return accounts_list(eng->lg, rows, n, e);
}

int account_show(struct engine *eng, const char *id, struct account_record *a,
                 struct account_change **changes, size_t *n, struct err *e)
{
    *changes = NULL;
    *n = 0;
    if (accounts_get(eng->lg, id, a, e) != 0)
        return -1;
    if (account_changes_list(eng->lg, id, changes, n, e) != 0) {
        account_record_free(a);
        return -1;
    }
    return 0;
}

/* Record field's change from old to new when they differ; *n counts it. */
static int note_change(struct engine *eng, const char *id, const char *field,
                       const char *old, const char *new, int *n,
                       struct err *e)
{
    if ((!old && !new) || (old && new && !strcmp(old, new)))
        return 0;
    (*n)++;
    return account_changes_insert(eng->lg, id, field, old, new, eng->today, e);
}

/* A copy of s, or of keep when s is NULL. */
static char *pick(const char *s, const char *keep)
{
    return s ? xstrdup(s) : keep ? xstrdup(keep) : NULL;
}

int account_update(struct engine *eng, const char *id,
                   const struct account_patch *p, int *changed,
                   struct err *e)
{
    struct account_record old, nw;
    *changed = 0;
    if (accounts_get(eng->lg, id, &old, e) != 0)
        return -1;
    memset(&nw, 0, sizeof nw);
    nw.id = xstrdup(old.id);
    nw.kind = pick(NULL, old.kind);
    nw.vat_number = pick(p->vat_number, old.vat_number);
    nw.name = pick(p->name, old.name);
    nw.email = pick(p->email, old.email);
    nw.address = pick(p->address, old.address);
    nw.locale = pick(p->locale, old.locale);
    nw.iban = pick(p->iban, old.iban);
    nw.bic = pick(p->bic, old.bic);
    nw.mandate_id = pick(p->mandate_id, old.mandate_id);
    nw.peppol = pick(p->peppol, old.peppol);
    nw.mandate_date = p->mandate_date != CDATE_NONE ? p->mandate_date
                                                    : old.mandate_date;
    nw.reminders = p->reminders >= 0 ? p->reminders : old.reminders;
    nw.created = old.created;
    nw.active = old.active;
    int new_mandate = p->mandate_id && (!old.mandate_id ||
                                        strcmp(p->mandate_id, old.mandate_id));
    nw.mandate_used = new_mandate ? 0 : old.mandate_used;
    int rc = 0;
    if (p->mandate_id && p->mandate_date == CDATE_NONE)
        rc = err_set(e, "a new mandate needs --mandate and --mandate-date");
    if (rc == 0 && p->mandate_date != CDATE_NONE && !p->mandate_id)
        rc = err_set(e, "--mandate-date needs --mandate");
    struct account_input in = {nw.id, nw.name, nw.email, nw.kind, nw.address,
                               nw.locale, nw.vat_number, nw.iban, nw.bic,
                               nw.mandate_id, nw.mandate_date, nw.reminders,
                               nw.peppol};
    const char *kind;
    if (rc == 0)
        rc = account_check(&in, &kind, e);
    /* Only what this update enters is checked against the new rules: a
     * VAT number entered before them must not block a new e-mail. */
    struct account_input entered = in;
    entered.vat_number = p->vat_number;
    if (rc == 0)
        rc = account_tax_check(&entered,
                               p->mandate_id ? eng->today : CDATE_NONE, e);
    char od[11], ndt[11];
    const char *ro = old.reminders ? "on" : "off";
    const char *rn = nw.reminders ? "on" : "off";
    int n = 0;
    if (rc == 0)
        rc = note_change(eng, id, "name", old.name, nw.name, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "email", old.email, nw.email, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "address", old.address, nw.address, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "locale", old.locale, nw.locale, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "iban", old.iban, nw.iban, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "bic", old.bic, nw.bic, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "mandate", old.mandate_id, nw.mandate_id, &n,
                         e);
    if (rc == 0)
        rc = note_change(eng, id, "mandate_date",
                         old.mandate_date == CDATE_NONE
                             ? NULL : date_fmt(old.mandate_date, od),
                         nw.mandate_date == CDATE_NONE
                             ? NULL : date_fmt(nw.mandate_date, ndt), &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "reminders", ro, rn, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "peppol", old.peppol, nw.peppol, &n, e);
    if (rc == 0)
        rc = note_change(eng, id, "vat_number", old.vat_number, nw.vat_number,
                         &n, e);
    if (rc == 0 && new_mandate && old.mandate_id)
        rc = account_mandates_insert(eng->lg, &old, eng->today, e);
    if (rc == 0 && n)
        rc = accounts_update(eng->lg, &nw, e);
    if (rc == 0)
        *changed = n;
    account_record_free(&old);
    account_record_free(&nw);
    return rc;
}

int account_deactivate(struct engine *eng, const char *id, struct err *e)
{
    struct account_record a;
    if (accounts_get(eng->lg, id, &a, e) != 0)
        return -1;
    int rc = 0;
    if (!a.active)
        rc = err_set(e, "account '%s' is already inactive", id);
    if (rc == 0)
        rc = account_changes_insert(eng->lg, id, "active", "yes", "no",
                                    eng->today, e);
    a.active = 0;
    if (rc == 0)
        rc = accounts_update(eng->lg, &a, e);
    account_record_free(&a);
    return rc;
}
