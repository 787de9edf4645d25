/*
 * placeholders.h — which template placeholders each event fills and
 * which practice setting each `practice.*` placeholder shows, and the
 * checks `carebill check` makes with them: a placeholder the template's
 * event never fills, or that shows a setting the practice does not give,
 * would go out as an empty hole in every e-mail, so both are errors at
 * the placeholder's line:col; an event that can happen in the practice
 * but has no template, two templates for one event and locale, and two
 * active reminder schedules are warnings (the message is then not sent,
 * or only the first is used).
 */
#ifndef CAREBILL_PLACEHOLDERS_H
#define CAREBILL_PLACEHOLDERS_H

#include "rules/rules.h"

/* 1 when placeholder `name` (a template_names[] entry) is filled for
 * event ev, whatever the settings; 0 otherwise (also for unknown names). */
int placeholder_filled_for(const char *name, enum event ev);

/* The practice setting placeholder `name` shows ("kvk", "phone",
 * "mediation.portal_url", ...), or NULL when it shows none. */
const char *placeholder_setting(const char *name);

/* 1 when the practice gives what placeholder `name` shows (always 1 for
 * placeholders that show no setting). */
int placeholder_setting_given(const struct practice *p, const char *name);

/* 1 when event ev can happen with rule set r: there is something that
 * queues it (subscription types or plans for subscription invoices, a
 * creditor id as well for direct debit, products or appointment types
 * for product invoices, placements for the mediation events, an active
 * reminder schedule for payment reminders, anything invoiced for credit
 * notes and invoice_paid). */
int placeholder_event_possible(const struct rules *r, enum event ev);

/* The checks themselves run in rules_load: rules_check_templates,
 * declared in rules/rules.h (so the loader needs no include of this
 * header) and defined in placeholders.c. */

#endif
