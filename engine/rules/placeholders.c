/*
 * placeholders.c — the placeholder table behind `carebill check`'s
 * template checks (placeholders.h): for every name of template_names[],
 * the events that fill it and the practice setting it shows, as the
 * outbox fills them (usecase/outbox.c outbox_vars_invoice and the event
 * use cases); doc/reference.md shows the same table to the consultant.
 */
#include "rules/placeholders.h"

#include <stddef.h>
#include <string.h>

#include "formats/template.h"

#define EVB(ev) (1u << (ev))
#define EV_ALL ((1u << EV_COUNT) - 1u)
#define EV_SUB                                                         \
    (EVB(EV_SUBSCRIPTION_INVOICE) | EVB(EV_SUBSCRIPTION_INVOICE_DD) |  \
     EVB(EV_SUBSCRIPTION_INVOICE_DD_FIRST))
/* Mediation events that carry an invoice, and all mediation events. */
#define EV_MED_INV (EVB(EV_SELFBILL_INVOICE) | EVB(EV_COMMISSION_INVOICE) | \
                    EVB(EV_INVOICE_READY))
#define EV_MED                                                         \
    (EV_MED_INV | EVB(EV_HOURS_MISSING) | EVB(EV_HOURS_TO_APPROVE) |   \
     EVB(EV_HOURS_REJECTED))
/* Every event whose message is about one invoice. */
#define EV_INV (EV_SUB | EVB(EV_PRODUCT_INVOICE) | EVB(EV_CREDIT_NOTE) | \
                EVB(EV_INVOICE_PAID) | EVB(EV_PAYMENT_REMINDER) | EV_MED_INV)
/* Events whose invoice may have a billed period. */
#define EV_PERIOD (EV_SUB | EVB(EV_CREDIT_NOTE) | EVB(EV_INVOICE_PAID) | \
                   EVB(EV_PAYMENT_REMINDER) | EV_MED_INV)

/* A practice setting a placeholder shows: the char * at off (or at alt,
 * a second setting that serves when the first is not given). */
struct setting {
    const char *key;
    size_t off, alt;
};
#define NO_ALT ((size_t)-1)

struct ph {
    const char *name;
    unsigned events; /* EVB() of the events that fill it; 0: none yet */
    struct setting setting; /* key NULL: shows no setting */
};

#define S(k, m) {k, offsetof(struct practice, m), NO_ALT}
#define NONE {NULL, 0, NO_ALT}
static const struct ph table[] = {
    {"account.name", EV_ALL, NONE},
    {"account.id", EV_ALL, NONE},
    {"account.email", EV_ALL, NONE},
    {"invoice.number", EV_INV, NONE},
    {"invoice.date", EV_INV, NONE},
    {"invoice.due_date", EV_INV, NONE},
    {"invoice.total", EV_INV, NONE},
    {"invoice.subtotal", EV_INV, NONE},
    {"invoice.vat", EV_INV, NONE},
    {"invoice.open", EV_INV, NONE},
    {"invoice.paid", EV_INV, NONE},
    {"invoice.period", EV_PERIOD, NONE},
    {"invoice.payment_reference", EV_INV, NONE},
    {"invoice.collection_date", EV_INV, NONE},
    {"invoice.original_number", EVB(EV_CREDIT_NOTE), NONE},
    {"invoice.url", 0, NONE},
    {"practice.name", EV_ALL, S("name", name)},
    {"practice.email", EV_ALL,
     {"email", offsetof(struct practice, email),
      offsetof(struct practice, mail_from)}},
    {"practice.phone", EV_ALL, S("phone", phone)},
    {"practice.address", EV_ALL, S("address", address)},
    {"practice.iban", EV_ALL, S("iban", iban)},
    {"practice.bic", EV_ALL, S("bic", bic)},
    {"practice.kvk", EV_ALL, S("kvk", kvk)},
    {"practice.vat_number", EV_ALL, S("vat_number", vat_number)},
    {"practice.creditor_id", EV_ALL, S("creditor_id", creditor_id)},
    {"subscription.name", EV_SUB, NONE},
    {"subscription.id", EV_SUB | EVB(EV_CREDIT_NOTE) | EVB(EV_INVOICE_PAID) |
                            EVB(EV_PAYMENT_REMINDER), NONE},
    {"period.start", EV_PERIOD, NONE},
    {"period.end", EV_PERIOD, NONE},
    {"mandate.id", 0, NONE},
    {"mandate.iban", 0, NONE},
    {"payment.date", EVB(EV_INVOICE_PAID), NONE},
    {"payment.amount", 0, NONE},
    {"reminder.step", EVB(EV_PAYMENT_REMINDER), NONE},
    {"reminder.days_overdue", EVB(EV_PAYMENT_REMINDER), NONE},
    {"supplier.name", EV_MED, NONE},
    {"client.name", EV_MED, NONE},
    {"placement.id", EV_MED, NONE},
    {"hours.total", EV_MED, NONE},
    {"hours.month", EV_MED, NONE},
    {"hours.deadline", EV_MED, NONE},
    {"hours.reason", EVB(EV_HOURS_REJECTED), NONE},
    {"portal.url", EV_MED, S("mediation.portal_url", portal_url)},
    {NULL, 0, NONE},
};
#undef S
#undef NONE

static const struct ph *find(const char *name)
{
    for (const struct ph *p = table; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

int placeholder_filled_for(const char *name, enum event ev)
{
    const struct ph *p = find(name);
    return p && (unsigned)ev < EV_COUNT && (p->events & EVB(ev));
}

const char *placeholder_setting(const char *name)
{
    const struct ph *p = find(name);
    return p ? p->setting.key : NULL;
}

static int given(const struct practice *pr, size_t off)
{
    const char *v;
    memcpy(&v, (const char *)pr + off, sizeof v);
    return v && *v;
}

int placeholder_setting_given(const struct practice *pr, const char *name)
{
    const struct ph *p = find(name);
    if (!p || !p->setting.key)
        return 1;
    return given(pr, p->setting.off) ||
           (p->setting.alt != NO_ALT && given(pr, p->setting.alt));
}

int placeholder_event_possible(const struct rules *r, enum event ev)
{
    int subs = r->n_subscription_types > 0 || r->n_plans > 0;
    int med = r->n_placements > 0;
    int invoiced = subs || med || r->n_products > 0 ||
                   r->n_appointment_types > 0;
    switch (ev) {
    case EV_SUBSCRIPTION_INVOICE:
        return subs;
    case EV_SUBSCRIPTION_INVOICE_DD:
    case EV_SUBSCRIPTION_INVOICE_DD_FIRST:
        return subs && r->practice.creditor_id != NULL;
    case EV_PRODUCT_INVOICE:
        return r->n_products > 0 || r->n_appointment_types > 0;
    case EV_CREDIT_NOTE:
    case EV_INVOICE_PAID:
        return invoiced;
    case EV_PAYMENT_REMINDER:
        for (size_t i = 0; i < r->n_reminder_schedules; i++)
            if (r->reminder_schedules[i].d.active)
                return invoiced;
        return 0;
    case EV_INVOICE_READY:
        return med && r->practice.privacy_mode;
    case EV_SELFBILL_INVOICE:
        return med && !r->practice.privacy_mode;
    default:
        return med;
    }
}

/* ------------------------------------------------------------ checks */

/* "a, b and c" of the events in mask. */
static void event_list(struct sbuf *b, unsigned mask)
{
    int n = 0, total = 0;
    for (int i = 0; i < EV_COUNT; i++)
        total += (mask & EVB(i)) != 0;
    for (int i = 0; i < EV_COUNT; i++) {
        if (!(mask & EVB(i)))
            continue;
        n++;
        sb_printf(b, "%s%s", n == 1 ? "" : n == total ? " and " : ", ",
                  event_name((enum event)i));
    }
}

struct tplace {
    const struct rules *r;
    struct diag *dg;
    const struct template_def *t;
    const struct place *at;
    const char *field;
    int possible;
};

static void check_name(void *arg, int line, int col, const char *name)
{
    struct tplace *tp = arg;
    const struct ph *p = find(name);
    struct place at = {tp->at->file, tp->at->line + line - 1,
                       tp->at->col + col - 1};
    if (!p)
        return; /* a name newer than this table: not checked here */
    if (!(p->events & EVB(tp->t->event))) {
        struct sbuf b = {0};
        if (p->events) {
            sb_add(&b, "it is filled only for ");
            event_list(&b, p->events);
        } else {
            sb_add(&b, "carebill does not fill it for any event yet");
        }
        diag_add(tp->dg, &at, "template %s: placeholder '%s' is not filled "
                 "for event '%s' (%s); the e-mail would show nothing there",
                 tp->field, name, event_name(tp->t->event), sb_str(&b));
        sb_free(&b);
        return;
    }
    if (tp->possible && !placeholder_setting_given(&tp->r->practice, name)) {
        if (strcmp(name, "practice.email") == 0)
            diag_add(tp->dg, &at, "template %s: placeholder '%s' would be "
                     "empty: the practice has no 'email' (nor smtp 'from') "
                     "setting", tp->field, name);
        else
            diag_add(tp->dg, &at, "template %s: placeholder '%s' would be "
                     "empty: the practice has no '%s' setting", tp->field,
                     name, p->setting.key);
    }
}

/* What the message of an event is about, for "no template" warnings. */
static const char *event_what(enum event ev)
{
    switch (ev) {
    case EV_SUBSCRIPTION_INVOICE: return "subscription invoices";
    case EV_SUBSCRIPTION_INVOICE_DD:
        return "direct-debit subscription invoices";
    case EV_PRODUCT_INVOICE: return "product and appointment invoices";
    case EV_CREDIT_NOTE: return "credit notes";
    case EV_HOURS_MISSING: return "reminders to register hours";
    case EV_HOURS_TO_APPROVE: return "requests to approve hours";
    case EV_INVOICE_READY: return "notices of a new invoice in the portal";
    case EV_SELFBILL_INVOICE: return "invoices for the suppliers' hours";
    case EV_COMMISSION_INVOICE: return "commission invoices";
    default: return NULL; /* optional messages: no warning */
    }
}

static const char *locale_of(const struct rules *r,
                             const struct template_def *t)
{
    return t->locale ? t->locale : r->practice.locale;
}

void rules_check_templates(const struct rules *r, struct diag *dg,
                           int warn)
{
    for (size_t i = 0; i < r->n_templates; i++) {
        const struct template_def *t = &r->templates[i];
        if ((unsigned)t->event >= EV_COUNT) /* its event was refused */
            continue;
        struct tplace tp = {r, dg, t, &t->subject_at, "subject",
                            placeholder_event_possible(r, t->event)};
        if (t->subject && t->subject_at.file)
            template_each_name(t->subject, check_name, &tp);
        tp.at = &t->body_at;
        tp.field = "body";
        if (t->body && t->body_at.file)
            template_each_name(t->body, check_name, &tp);
    }

    if (!warn)
        return;
    /* A practice with no template at all sends no e-mail, on purpose;
     * one that has some is told which of its invoices go out without. */
    struct place dir = {r->dir, 0, 0};
    for (int ev = 0; r->n_templates && ev < EV_COUNT; ev++) {
        const char *what = event_what((enum event)ev);
        if (!what || !placeholder_event_possible(r, (enum event)ev) ||
            rules_template(r, (enum event)ev, NULL))
            continue;
        diag_warn(dg, &dir, "no template for event '%s': %s go out without "
                  "an e-mail", event_name((enum event)ev), what);
    }

    /* A reminder step names its template; any other event takes the
     * first active template of its locale. */
    for (size_t j = 0; j < r->n_templates; j++) {
        const struct template_def *b = &r->templates[j];
        if (!b->d.active || b->event == EV_PAYMENT_REMINDER)
            continue;
        for (size_t i = 0; i < j; i++) {
            const struct template_def *a = &r->templates[i];
            if (a->d.active && a->event == b->event &&
                strcmp(locale_of(r, a), locale_of(r, b)) == 0) {
                diag_warn(dg, &b->d.at, "template '%s' is for event '%s' "
                          "in locale '%s', as is template '%s' (%s:%d); "
                          "only '%s' is sent", b->d.id,
                          event_name(b->event), locale_of(r, b), a->d.id,
                          a->d.at.file, a->d.at.line, a->d.id);
                break;
            }
        }
    }

    const struct reminder_schedule *first = NULL;
    for (size_t i = 0; i < r->n_reminder_schedules; i++) {
        const struct reminder_schedule *s = &r->reminder_schedules[i];
        if (!s->d.active)
            continue;
        if (!first) {
            first = s;
            continue;
        }
        diag_warn(dg, &s->d.at, "reminder_schedule '%s' is active, as is "
                  "'%s' (%s:%d); only the first active schedule, '%s', is "
                  "used", s->d.id, first->d.id, first->d.at.file,
                  first->d.at.line, first->d.id);
    }
}
