/*
 * subscription.c — pure checks and cursor arithmetic of accounts and
 * subscriptions (seed 000: start, pause, resume, stop).
 */
#include "decide/subscription.h"

#include <string.h>

#include "decide/invoice.h"
#include "formats/bankid.h"
#include "formats/sepa.h"

int email_valid(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
        strlen(s) > 254)
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p))
            return 0;
    return 1;
}

static int has_control(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n')
            return 1;
    return 0;
}

int account_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

int account_check(const struct account_input *a, const char **kind_out,
                  struct err *e)
{
    const char *kind = a->kind ? a->kind : "patient";
    *kind_out = kind;
    if (!a->id || !account_id_valid(a->id))
        return err_set(e, "account id '%s' must be 1 to 64 letters, digits, "
                          "'-', '_' or '.' (e.g. PAT-00123)",
                       a->id ? a->id : "");
    if (!a->name || !*a->name || strpbrk(a->name, "\r\n") || has_control(a->name))
        return err_set(e, "account name must be one line of text");
    if (!a->email || !email_valid(a->email))
        return err_set(e, "invalid e-mail address '%s'",
                       a->email ? a->email : "");
    if (strcmp(kind, "patient") && strcmp(kind, "organisation") &&
        strcmp(kind, "client") && strcmp(kind, "supplier"))
        return err_set(e, "invalid kind '%s' (expected patient, organisation, "
                          "client or supplier)", kind);
    if (a->locale && strcmp(a->locale, "nl") && strcmp(a->locale, "fr") &&
        strcmp(a->locale, "en"))
        return err_set(e, "invalid locale '%s' (expected nl, fr or en)",
                       a->locale);
    const char *why;
    if (a->iban && (why = iban_problem(a->iban))) {
        int len = iban_country_length(a->iban);
        if (len && strcmp(why, "has the wrong length for its country") == 0)
            return err_set(e, "IBAN '%s' %s (%.2s: %d characters)", a->iban,
                           why, a->iban, len);
        return err_set(e, "IBAN '%s' %s", a->iban, why);
    }
    if (a->bic && *a->bic && (why = bic_problem(a->bic)))
        return err_set(e, "BIC '%s' %s", a->bic, why);
    if ((a->mandate_id != NULL) != (a->mandate_date != CDATE_NONE))
        return err_set(e, "a mandate needs both --mandate and --mandate-date");
    if (a->mandate_id && !a->iban)
        return err_set(e, "a mandate needs the account's --iban");
    if (a->mandate_id && (why = sepa_id_problem(a->mandate_id)))
        return err_set(e, "mandate id '%s' %s", a->mandate_id, why);
    if (a->mandate_id && (why = sepa_name_problem(a->name)))
        return err_set(e, "account name '%s' %s; a direct-debit mandate "
                          "needs a name the bank can read", a->name, why);
    if (a->address && has_control(a->address))
        return err_set(e, "address contains control characters");
    if (a->peppol && peppol_address_check(a->peppol, e) != 0)
        return err_prefix(e, "--peppol");
    return 0;
}

/* 1 when s starts with n ASCII digits. */
static int digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* 1 when s is exactly n ASCII digits. */
static int digits(const char *s, size_t n)
{
    return digits_at(s, n) && s[n] == '\0';
}

/* A Belgian enterprise number: 10 digits, the last two 97 minus the
 * first eight mod 97. */
static int be_enterprise_valid(const char *s)
{
    if (!digits(s, 10))
        return 0;
    long first = 0;
    for (int i = 0; i < 8; i++)
        first = first * 10 + (s[i] - '0');
    return 97 - first % 97 == (s[8] - '0') * 10 + (s[9] - '0');
}

/* A GLN: 13 digits, the last a GS1 check digit (weights 3, 1 from the
 * right of the other twelve). */
static int gln_valid(const char *s)
{
    if (!digits(s, 13))
        return 0;
    int sum = 0;
    for (int i = 11; i >= 0; i--)
        sum += (s[i] - '0') * ((11 - i) % 2 ? 1 : 3);
    return (10 - sum % 10) % 10 == s[12] - '0';
}

/* A Norwegian organisation number: 9 digits, mod 11 with weights
 * 3 2 7 6 5 4 3 2. */
static int no_org_valid(const char *s)
{
    static const int w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
    if (!digits(s, 9))
        return 0;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (s[i] - '0') * w[i];
    int check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == s[8] - '0';
}

int peppol_address_check(const char *addr, struct err *e)
{
    static const struct {
        const char *scheme, *what;
    } schemes[] = {
        {"0208", "a Belgian enterprise number: 10 digits, the last two "
                 "97 - (first eight mod 97)"},
        {"0106", "a Dutch KvK number: 8 digits"},
        {"0190", "a Dutch OIN: 20 digits"},
        {"9944", "a Dutch VAT number: NL, 9 digits, B, 2 digits"},
        {"9925", "a Belgian VAT number: BE and a valid enterprise number"},
        {"0088", "a GLN: 13 digits with a GS1 check digit"},
        {"9930", "a German VAT number: DE and 9 digits"},
        {"0192", "a Norwegian organisation number: 9 digits, mod-11 check"},
    };
    const char *colon = addr ? strchr(addr, ':') : NULL;
    if (!colon || colon - addr != 4)
        return err_set(e, "electronic address '%s' must be SCHEME:ID, e.g. "
                          "0208:0123456749 or 0106:12345678",
                       addr ? addr : "");
    const char *id = colon + 1;
    size_t k, n = sizeof schemes / sizeof *schemes;
    for (k = 0; k < n; k++)
        if (!strncmp(addr, schemes[k].scheme, 4))
            break;
    if (k == n)
        return err_set(e, "electronic address scheme '%.4s' is not one carebill "
                          "knows (0208, 0106, 0190, 9944, 9925, 0088, 9930, "
                          "0192)", addr);
    int ok;
    switch (k) {
    case 0: ok = be_enterprise_valid(id); break;
    case 1: ok = digits(id, 8); break;
    case 2: ok = digits(id, 20); break;
    case 3:
        ok = !strncmp(id, "NL", 2) && digits_at(id + 2, 9) && id[11] == 'B' &&
             digits(id + 12, 2);
        break;
    case 4: ok = !strncmp(id, "BE", 2) && be_enterprise_valid(id + 2); break;
    case 5: ok = gln_valid(id); break;
    case 6: ok = !strncmp(id, "DE", 2) && digits(id + 2, 9); break;
    default: ok = no_org_valid(id); break;
    }
    if (!ok)
        return err_set(e, "'%s' is not %s", id, schemes[k].what);
    return 0;
}

int subscription_start_check(const struct subscription_type *t,
                             const char *type_id, const char *account,
                             int has_mandate, int direct_debit,
                             int64_t quantity, struct err *e)
{
    if (!t)
        return err_set(e, "no subscription type '%s'", type_id);
    if (!t->d.active)
        return err_set(e, "subscription type '%s' is deactivated (%s:%d); it "
                          "cannot be started", type_id, t->d.at.file,
                       t->d.at.line);
    if (has_mandate < 0)
        return err_set(e, "no account '%s'", account);
    if (direct_debit && !has_mandate)
        return err_set(e, "account '%s' has no direct-debit mandate", account);
    if (quantity < 1 || quantity > 100000)
        return err_set(e, "quantity must be between 1 and 100000");
    return 0;
}

void subscription_first_cursor(const struct practice *pr,
                               const struct subscription_type *t, cdate from,
                               int direct_debit, cdate *next_period,
                               cdate *next_due)
{
    struct sub_view s = {.start = from, .end_on = CDATE_NONE,
                         .direct_debit = direct_debit};
    struct period p = period_containing(t->period, t->alignment, from, from);
    *next_period = p.start;
    *next_due = billing_invoice_date(pr, &s, p);
}

int pause_check(const struct sub_dates *s, cdate from, cdate until,
                const char *note, struct err *e)
{
    char a[11], b[11];
    if (until < from)
        return err_set(e, "pause ends (%s) before it starts (%s)",
                       date_fmt(until, a), date_fmt(from, b));
    if (from < s->start)
        return err_set(e, "pause starts (%s) before the subscription (%s)",
                       date_fmt(from, a), date_fmt(s->start, b));
    if (s->end_on != CDATE_NONE && from > s->end_on)
        return err_set(e, "subscription %lld stops on %s; it cannot be paused "
                          "after that", (long long)s->id,
                       date_fmt(s->end_on, a));
    if (note && strpbrk(note, "\r"))
        return err_set(e, "note contains a carriage return");
    return 0;
}

int pause_overlap_error(const struct sub_dates *s, cdate from, cdate until,
                        const struct pause_span *other, struct err *e)
{
    char a[11], b[11], c[11], d[11];
    return err_set(e, "pause %s..%s overlaps the pause %s..%s of subscription "
                      "%lld", date_fmt(from, a), date_fmt(until, b),
                   date_fmt(other->from, c), date_fmt(other->until, d),
                   (long long)s->id);
}

int resume_check(const struct sub_dates *s, cdate on, struct err *e)
{
    char a[11];
    if (s->end_on != CDATE_NONE && s->end_on < on)
        return err_set(e, "subscription %lld was stopped on %s; a stopped "
                          "subscription cannot be resumed (start a new one)",
                       (long long)s->id, date_fmt(s->end_on, a));
    return 0;
}

int resume_drops_pause(const struct pause_span *p, cdate on, cdate *until)
{
    if (p->from >= on)
        return 1;
    *until = on - 1;
    return 0;
}

int stop_check(const struct sub_dates *s, cdate on, cdate today,
               const char *note, struct err *e)
{
    char a[11], b[11];
    if (on < s->start)
        return err_set(e, "stop date %s is before the subscription's start %s",
                       date_fmt(on, a), date_fmt(s->start, b));
    if (s->end_on != CDATE_NONE && s->end_on < today)
        return err_set(e, "subscription %lld was already stopped on %s",
                       (long long)s->id, date_fmt(s->end_on, a));
    if (s->end_on != CDATE_NONE && on > s->end_on)
        return err_set(e, "subscription %lld stops on %s; a stop can be brought "
                          "forward, not extended", (long long)s->id,
                       date_fmt(s->end_on, a));
    if (note && strchr(note, '\r'))
        return err_set(e, "note contains a carriage return");
    return 0;
}

int subscription_rewind(const struct practice *pr,
                        const struct subscription_type *t, cdate start,
                        cdate end_on, int direct_debit, cdate cursor, cdate d,
                        cdate *next_period, cdate *next_due)
{
    struct period p = period_containing(t->period, t->alignment, start, d);
    if (cursor != CDATE_NONE && p.start >= cursor)
        return 0;
    struct sub_view v = {.start = start, .end_on = end_on,
                         .direct_debit = direct_debit};
    *next_period = p.start;
    *next_due = billing_invoice_date(pr, &v, p);
    return 1;
}

const char *subscription_status(cdate start, cdate end_on,
                                const struct pause_span *pauses, size_t n,
                                cdate d)
{
    if (d < start)
        return "planned";
    if (end_on != CDATE_NONE && d > end_on)
        return "stopped";
    for (size_t i = 0; i < n; i++)
        if (pauses[i].from <= d && d <= pauses[i].until)
            return "paused";
    return "active";
}

int einvoice_wanted(enum einvoice_mode mode, const char *kind)
{
    if (mode == EINVOICE_ALL)
        return 1;
    return mode == EINVOICE_BUSINESS && kind && strcmp(kind, "patient") != 0;
}
