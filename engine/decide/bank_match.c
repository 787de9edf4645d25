/*
 * bank_match.c — the probes a bank entry is matched by, the pick among
 * the invoices they found, and the action on the entry. Pure: values in,
 * values out.
 */
#include "decide/bank_match.h"

#include <stdlib.h>
#include <string.h>

int bank_entry_booked_eur(const struct bank_entry *be)
{
    return strcmp(be->currency, "EUR") == 0 &&
           (!be->status || strcmp(be->status, "BOOK") == 0);
}

int bank_entry_incoming(const struct bank_entry *be)
{
    return be->credit && !be->reversal;
}

char *bank_entry_key(const struct bank_entry *be)
{
    if (be->account_servicer_ref && *be->account_servicer_ref)
        return xasprintf("ref:%s", be->account_servicer_ref);
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

/* ================================================================ probes */

static void probe_add(struct bank_probes *ps, enum bank_probe_by by,
                      const char *v, size_t len, const char *how)
{
    if (!v || len == 0)
        return;
    ps->p = xrealloc(ps->p, (ps->n + 1) * sizeof *ps->p);
    ps->p[ps->n++] = (struct bank_probe){by, xstrndup(v, len), how};
}

void bank_match_probes(const struct bank_entry *be, struct bank_probes *out)
{
    static const char *const e2e = "end-to-end id";
    static const char *const ref = "payment reference";
    static const char *const text = "remittance text";
    static const char *const sep = " ,;";
    memset(out, 0, sizeof *out);
    const char *v = be->end_to_end_id;
    probe_add(out, BANK_BY_END_TO_END, v, v ? strlen(v) : 0, e2e);
    probe_add(out, BANK_BY_NUMBER, v, v ? strlen(v) : 0, e2e);
    v = be->reference;
    probe_add(out, BANK_BY_REFERENCE, v, v ? strlen(v) : 0, ref);
    for (const char *s = be->remittance; s && *s;) {
        s += strspn(s, sep);
        size_t len = strcspn(s, sep);
        probe_add(out, BANK_BY_NUMBER, s, len, text);
        probe_add(out, BANK_BY_REFERENCE, s, len, text);
        s += len;
    }
}

void bank_probes_free(struct bank_probes *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->p[i].value);
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
    }
    free(c->c);
    memset(c, 0, sizeof *c);
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

int bank_probe_answers(const struct bank_probe *p,
                       const struct bank_candidate *c)
{
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
    if (!m)
        return BANK_UNMATCHED;
    if (bank_entry_incoming(be))
        return BANK_PAYMENT;
    if (m->paid_cents < be->amount_cents && !key_registered)
        return BANK_REVERSAL_EXCEEDS;
    return BANK_REVERSAL;
}
