/*
 * template.h — e-mail templates with {{placeholder}} fields.
 *
 * A template is UTF-8 text in which "{{ name }}" (spaces or tabs inside the
 * braces allowed) stands for a value the engine fills in when it queues a
 * message. A placeholder never spans a line. `carebill check` runs
 * template_check() over every subject and body so that a misspelt name is a
 * rule-file error, never an empty hole in a sent e-mail; template_render()
 * then runs once per message and must stay cheap.
 *
 * The names a template may use (template_names[]), by what they hold:
 *
 *   account.name               billed-to account's name
 *   account.id                 billed-to account's id (slug)
 *   account.email              billed-to account's e-mail address
 *   invoice.number             invoice number, e.g. "2026-00042"
 *   invoice.date               invoice date (locale format)
 *   invoice.due_date           payment due date
 *   invoice.total              total including VAT, locale money ("€ 45,00")
 *   invoice.subtotal           total excluding VAT
 *   invoice.vat                VAT amount
 *   invoice.open               amount still to be paid
 *   invoice.paid               amount paid so far
 *   invoice.period             period the invoice covers ("1-31 maart 2026")
 *   invoice.payment_reference  reference to quote when paying
 *   invoice.collection_date    direct-debit collection date
 *   invoice.original_number    for a credit note: the invoice it corrects
 *   invoice.url                link to the invoice in the portal
 *   practice.name              practice's name
 *   practice.email             practice's sender address
 *   practice.phone             practice's phone number
 *   practice.address           practice's address on one line
 *   practice.iban              practice's IBAN
 *   practice.bic               practice's BIC
 *   practice.kvk               Chamber of Commerce number
 *   practice.vat_number        VAT number
 *   practice.creditor_id       SEPA creditor id
 *   subscription.name          subscription type's name
 *   subscription.id            subscription id
 *   period.start               first day of the billed period
 *   period.end                 last day of the billed period
 *   mandate.id                 direct-debit mandate id
 *   mandate.iban               account IBAN, masked ("NL** **** **** **12 34")
 *   payment.date               date the payment was registered (invoice paid)
 *   payment.amount             amount of that payment
 *   reminder.step              reminder step number, 1 for the first
 *   reminder.days_overdue      days since the due date
 *   supplier.name              mediation: the freelancer
 *   client.name                mediation: the client
 *   placement.id               mediation: the placement
 *   hours.total                hours in the message (to approve, invoiced)
 *   hours.month                month the hours belong to
 *   hours.deadline             last day to register hours (hours missing)
 *   hours.reason               why the client rejected the hours
 *   portal.url                 link to the account's portal
 *
 * Which values are filled depends on the event; a name the event does not
 * provide renders as the empty string.
 */
#ifndef CAREBILL_TEMPLATE_H
#define CAREBILL_TEMPLATE_H

#include <stddef.h>

/* The known placeholder names, in the order above, NULL-terminated. */
extern const char *const template_names[];

/* One placeholder value. Both strings are borrowed for the call. */
struct tvar {
    const char *name;
    const char *value;
};

/* Problem callback: line and col are 1-based inside the checked text,
 * col counted in UTF-8 characters; msg is a complete sentence fragment
 * such as "unknown placeholder 'invoice.nummer' (did you mean
 * 'invoice.number'?)" and is valid only during the call. */
typedef void (*template_bad_fn)(void *arg, int line, int col, const char *msg);

/* Check text (NUL-terminated UTF-8) and call bad(arg, ...) once per problem:
 * an unknown name (pointing at the name's first character, with a "did you
 * mean" when a known name is at edit distance 2 or less), an empty "{{ }}"
 * or a "{{" with no "}}" before the end of its line (both pointing at the
 * "{{"). bad may be NULL to only count. Returns the number of problems. */
int template_check(const char *text, template_bad_fn bad, void *arg);

/* Known-name callback: name is the template_names[] entry (static), line
 * and col (1-based, col in UTF-8 characters) where it starts in the text. */
typedef void (*template_name_fn)(void *arg, int line, int col,
                                 const char *name);

/* Call fn(arg, ...) once for every placeholder of text whose name is a
 * known one (in template_names[]), in text order; unknown, empty and
 * unterminated fields are left to template_check. Returns how many. Lets
 * `carebill check` ask whether each name is filled for the template's
 * event and by the practice's settings. */
int template_each_name(const char *text, template_name_fn fn, void *arg);

/* Render text, replacing each terminated "{{ name }}" by the value of the
 * first vars[i] with that name (the empty string when none has it or its
 * value is NULL). Text outside placeholders, and an unterminated "{{", are
 * copied unchanged. One linear pass; the only allocation is the result,
 * which the caller frees. Never returns NULL. */
char *template_render(const char *text, const struct tvar *vars, size_t n);

/* For each names[i] (i < n) that text names in a terminated placeholder,
 * set used[i] to 1 (other entries are left as they are). One linear pass,
 * no allocation: lets the caller compute only the values a template
 * shows. */
void template_names_used(const char *text, const char *const *names,
                         size_t n, unsigned char *used);

#endif
