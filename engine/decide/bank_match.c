/*
 * bank_match.c — the probes a bank entry is matched by, the pick among
 * the invoices they found, and the action on the entry. Pure: values in,
 * values out.
 */
#include "decide/bank_match.h"

#include <stdlib.h>
#include <string.h>

#include "decide/invoice.h"
#include "formats/reference.h"

int bank_entry_booked_eur(const struct bank_entry *be)
{
    return strcmp(be->currency, "EUR") == 0 &&
           (!be->status || strcmp(be->status, "BOOK") == 0);
}

int bank_entry_incoming(const struct bank_entry *be)
{
    return be->credit && !be->reversal;
}

int bank_entry_dd_return(const struct bank_entry *be)
{
    return !be->credit &&
           (be->reversal || (be->return_reason && *be->return_reason));
}

char *bank_entry_key(const struct bank_entry *be)
{
    const char *ref = be->account_servicer_ref;
    if (ref && *ref && (be->own_ref || be->tx_count <= 1))
        return xasprintf("ref:%s", ref);
    if (ref && *ref)
        return xasprintf("ref:%s#%d", ref, be->tx_index);
    char d[11], hex[65];
    char *raw = xasprintf("%s|%lld|%d|%d|%s|%s|%s|%s",
                          date_fmt(be->booking_date, d),
                          (long long)be->amount_cents, be->credit,
                          be->reversal,
                          be->counterparty_iban ? be->counterparty_iban : "",
                          be->end_to_end_id ? be->end_to_end_id : "",
                          be->reference ? be->reference : "",
                          be->remittance ? be->remittance : "");
    sha256_hex(raw, strlen(raw), hex);
    free(raw);
    return xasprintf("sha:%s", hex);
}

char *bank_entry_legacy_key(const struct bank_entry *be)
{
    const char *ref = be->account_servicer_ref;
    if (ref && *ref)
        return !be->own_ref && be->tx_count > 1 && be->tx_index == 1
                   ? xasprintf("ref:%s", ref)
                   : NULL;
    char d[11], hex[65];
    char *raw = xasprintf("%s|%lld|%d|%d|%s|%s|%s|%d",
                          date_fmt(be->booking_date, d),
                          (long long)be->amount_cents, be->credit,
                          be->reversal,
                          be->end_to_end_id ? be->end_to_end_id : "",
                          be->reference ? be->reference : "",
                          be->remittance ? be->remittance : "", be->line);
    sha256_hex(raw, strlen(raw), hex);
    free(raw);
    return xasprintf("sha:%s", hex);
}

/* s without spaces, upper case, into out[cap] (cut to fit). */
static void compact(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if (*s != ' ')
            out[n++] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
    out[n] = '\0';
}

int bank_statement_for(const char *statement_iban, const char *practice_iban)
{
    char a[48], b[48];
    compact(statement_iban, a, sizeof a);
    compact(practice_iban, b, sizeof b);
    return a[0] && b[0] && strcmp(a, b) == 0;
}

/* ================================================================ probes */

static struct bank_probe *probe_add(struct bank_probes *ps,
                                    enum bank_probe_by by, const char *v,
                                    size_t len, const char *how)
{
    if (!v || len == 0)
        return NULL;
    ps->p = xrealloc(ps->p, (ps->n + 1) * sizeof *ps->p);
    ps->p[ps->n] = (struct bank_probe){by, xstrndup(v, len), how,
                                       BANK_CHECK_NONE, NULL, NULL};
    return &ps->p[ps->n++];
}

/* A probe by the stored payment reference `ref`, unless an unchecked one
 * asks the same already (the entry's reference field, as it is). */
static void stored_reference_probe(struct bank_probes *ps, const char *ref,
                                   const char *how)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->p[i].by == BANK_BY_REFERENCE &&
            ps->p[i].check == BANK_CHECK_NONE && !strcmp(ps->p[i].value, ref))
            return;
    probe_add(ps, BANK_BY_REFERENCE, ref, strlen(ref), how);
}

/* 1 when w[0..len) holds a digit and a character that is not one: an
 * invoice number with its series ("2026-00003"), never a bare "1". */
static int has_series(const char *w, size_t len)
{
    int digit = 0, other = 0;
    for (size_t i = 0; i < len; i++) {
        if (w[i] >= '0' && w[i] <= '9')
            digit = 1;
        else
            other = 1;
    }
    return digit && other;
}

/* The Dutch payment reference an invoice whose number has these digits
 * carries (the last 15 digits as a number), into ref[17]. */
static void dutch_of_digits(const char *digits, char ref[17])
{
    uint64_t v = 0;
    for (const char *p = digits; *p; p++)
        v = (v * 10 + (uint64_t)(*p - '0')) % 1000000000000000ULL;
    payment_reference(v, ref);
}

/* The probes of one word that cannot be confused: a payment reference
 * with valid check digits, or (when numbers is 1) an invoice number with
 * its series. An RF reference or a Belgian structured communication is
 * looked up as stored (render/epc.h: the reference follows the
 * practice's country), then as the Dutch reference of its digits that
 * invoices issued before that were stored with, checked against their
 * numbers. */
static void word_probes(struct bank_probes *ps, const char *w, size_t len,
                        const char *how, const char *counterparty,
                        int numbers)
{
    char *word = xstrndup(w, len);
    char ref[17], digits[24], ogm[13];
    if (payment_reference_valid(word)) {
        probe_add(ps, BANK_BY_REFERENCE, word, len, how);
    } else if (rf_reference_valid(word)) {
        char rf[RF_SIZE + 8];
        compact(word, rf, sizeof rf);
        stored_reference_probe(ps, rf, how);
        if (reference_digits(rf + 4, RF_MAX_BODY, digits) > 0) {
            dutch_of_digits(digits, ref);
            struct bank_probe *p =
                probe_add(ps, BANK_BY_REFERENCE, ref, strlen(ref), how);
            p->check = BANK_CHECK_RF;
            p->expect = xstrdup(rf);
        }
    } else if (ogm_reference_valid(word, ogm)) {
        char base[11], stored[OGM_SIZE];
        memcpy(base, ogm, 10);
        base[10] = '\0';
        ogm_reference(strtoull(base, NULL, 10), stored);
        stored_reference_probe(ps, stored, how);
        dutch_of_digits(base, ref);
        struct bank_probe *p =
            probe_add(ps, BANK_BY_REFERENCE, ref, strlen(ref), how);
        p->check = BANK_CHECK_OGM;
        p->expect = xstrdup(ogm);
    } else if (numbers && has_series(w, len)) {
        struct bank_probe *p = probe_add(ps, BANK_BY_NUMBER, w, len, how);
        p->check = BANK_CHECK_ACCOUNT;
        p->counterparty = counterparty;
    }
    free(word);
}

void bank_match_probes(const struct bank_entry *be, struct bank_probes *out)
{
    static const char *const e2e = "end-to-end id";
    static const char *const ref = "payment reference";
    static const char *const text = "remittance text";
    static const char *const sep = " ,;";
    memset(out, 0, sizeof *out);
    const char *v = be->end_to_end_id;
    size_t n = v ? strlen(v) : 0;
    probe_add(out, BANK_BY_END_TO_END, v, n, e2e);
    if (v && has_series(v, n))
        probe_add(out, BANK_BY_NUMBER, v, n, e2e);
    v = be->reference;
    n = v ? strlen(v) : 0;
    probe_add(out, BANK_BY_REFERENCE, v, n, ref);
    if (v && n)
        word_probes(out, v, n, ref, be->counterparty_iban, 0);
    for (const char *s = be->remittance; s && *s;) {
        s += strspn(s, sep);
        size_t len = strcspn(s, sep);
        if (len)
            word_probes(out, s, len, text, be->counterparty_iban, 1);
        s += len;
    }
}

void bank_probes_free(struct bank_probes *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->p[i].value);
        free(p->p[i].expect);
    }
    free(p->p);
    memset(p, 0, sizeof *p);
}

/* ================================================================ matching */

void bank_candidates_free(struct bank_candidates *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->c[i].number);
        free(c->c[i].payment_reference);
        free(c->c[i].end_to_end_id);
        free(c->c[i].account_iban);
    }
    free(c->c);
    memset(c, 0, sizeof *c);
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* 1 when c also satisfies p's check. */
static int check_holds(const struct bank_probe *p,
                       const struct bank_candidate *c)
{
    char rf[RF_SIZE], ogm[OGM_SIZE], d[13], a[48], b[48];
    switch (p->check) {
    case BANK_CHECK_NONE:
        return 1;
    case BANK_CHECK_RF:
        return c->number && rf_reference_of_number(c->number, rf) == 0 &&
               same(rf, p->expect);
    case BANK_CHECK_OGM:
        return c->number && ogm_reference_of_number(c->number, ogm) == 0 &&
               ogm_reference_valid(ogm, d) && same(d, p->expect);
    case BANK_CHECK_ACCOUNT:
        compact(p->counterparty, a, sizeof a);
        compact(c->account_iban, b, sizeof b);
        return !a[0] || !b[0] || strcmp(a, b) == 0;
    }
    return 0;
}

int bank_probe_answers(const struct bank_probe *p,
                       const struct bank_candidate *c)
{
    if (!check_holds(p, c))
        return 0;
    switch (p->by) {
    case BANK_BY_END_TO_END:
        return same(c->end_to_end_id, p->value);
    case BANK_BY_NUMBER:
        return same(c->number, p->value);
    case BANK_BY_REFERENCE:
        return same(c->payment_reference, p->value);
    }
    return 0;
}

struct bank_match bank_match_find(const struct bank_probes *probes,
                                  const struct bank_candidates *cands)
{
    struct bank_match m = {NULL, NULL};
    for (size_t i = 0; i < probes->n; i++) {
        for (size_t j = 0; j < cands->n; j++) {
            const struct bank_candidate *c = &cands->c[j];
            if (bank_probe_answers(&probes->p[i], c) &&
                (!m.c || c->invoice < m.c->invoice))
                m.c = c;
        }
        if (m.c) {
            m.how = probes->p[i].how;
            return m;
        }
    }
    return m;
}

/* ================================================================ action */

enum bank_action bank_match_action(const struct bank_entry *be,
                                   const struct bank_candidate *m,
                                   int key_registered)
{
    if (!bank_entry_booked_eur(be))
        return BANK_SKIP;
    if (be->credit && be->reversal)
        return BANK_CREDIT_REVERSAL;
    if (!be->credit && !(m && m->end_to_end_id && bank_entry_dd_return(be)))
        return BANK_OUTGOING;
    if (!m)
        return BANK_UNMATCHED;
    if (bank_entry_incoming(be))
        return BANK_PAYMENT;
    if (m->paid_cents < be->amount_cents && !key_registered)
        return BANK_REVERSAL_EXCEEDS;
    return BANK_REVERSAL;
}

enum bank_paid_kind bank_paid_kind(int64_t total, int64_t paid_before,
                                   int64_t amount)
{
    int64_t open = total - paid_before;
    return amount == open ? BANK_PAID
           : amount < open ? BANK_PARTLY_PAID
                           : BANK_OVERPAID;
}
