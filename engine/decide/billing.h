/*
 * billing.h — what one subscription period is worth: the decision, free of
 * SQLite. Given the subscription as plain values (dates, pauses, quantity),
 * its type and the price in force on the period's first day, it counts
 * active and paused days and asks the type's hooks (or applies the
 * defaults of seed 000: any active day bills the full period; a wholly
 * paused period is not billed).
 */
#ifndef CAREBILL_BILLING_H
#define CAREBILL_BILLING_H

#include <stddef.h>
#include <stdint.h>

#include "decide/invoice.h"
#include "decide/period.h"
#include "rules/hooks.h"
#include "rules/rules.h"

struct pause_span {
    cdate from, until; /* inclusive */
};

/* A subscription as the decision sees it. */
struct sub_view {
    int64_t id;
    const char *account;
    const char *account_name;
    const char *type;
    cdate start;
    cdate end_on; /* CDATE_NONE: open-ended */
    int direct_debit;
    int64_t quantity;
    const struct pause_span *pauses;
    size_t n_pauses;
};

/* Hooks bound for a type, resolved once per run (ref < 0: unbound). */
struct type_hooks {
    struct hook_ref prorate, pause;
};

struct period_decision {
    struct period p;
    cdate invoice_date;   /* when it comes due */
    int bill;             /* 1: issue an invoice line */
    int finished;         /* the period starts after the stop date */
    int period_days, active_days, paused_days;
    int64_t unit_cents;   /* price in force on p.start */
    int64_t amount_cents; /* what the line charges */
    const char *rule;     /* which rule decided: "full", "prorate hook",
                             "pause hook", "wholly paused", ... */
};

/* The invoice date of period p: its start, or `days_before` earlier for
 * direct-debit subscriptions. */
cdate billing_invoice_date(const struct practice *pr, const struct sub_view *s,
                           struct period p);

/* Decide period p of subscription s. `hooks` may be NULL when th binds
 * none. Returns 0, or -1 with e naming the hook, the account and the
 * subscription when a hook fails. */
int billing_decide(const struct practice *pr, const struct subscription_type *t,
                   const struct type_hooks *th, struct hooks *hooks,
                   const struct sub_view *s, struct period p, int64_t price,
                   cdate run_date, struct period_decision *out, struct err *e);

/* What is billed per period. A subscription of a type today; seat plans
 * and placements are further kinds of the same shape. */
enum billable_kind { BILLABLE_SUBSCRIPTION };
struct billable {
    enum billable_kind kind;
    const struct subscription_type *type;
    const struct sub_view *sub;
};

/* What a period is billed under: the price in force on its first day,
 * the type's bound hooks (hooks may be NULL when th binds none) and the
 * run date the hooks see. */
struct billing_state {
    int64_t price;
    const struct type_hooks *th;
    struct hooks *hooks;
    cdate run_date;
};

/* Decide period p of b and append the lines it bills to draft (none when
 * the decision is not to bill); *d receives the decision. Each line
 * carries its source, subscription, period, reference and a sentence for
 * `explain`. Returns 0, or -1 as billing_decide. */
int billing_lines(const struct practice *pr, const struct billable *b,
                  struct period p, const struct billing_state *st,
                  struct period_decision *d, struct invoice *draft,
                  struct err *e);

/* The rule that bills a whole period at the price in force. */
extern const char billing_rule_full[];

/* The `explain` sentence of a subscription line: "subscription ID (TYPE)
 * period START..END: RULE; price P in force on START; A of D days active,
 * N paused". Malloc'd. */
char *billing_why(int64_t sub, const char *type_id, struct period p,
                  const char *rule, int64_t unit_cents, int active_days,
                  int period_days, int paused_days);

/* The sentence of line l rebuilt from what the line itself holds (its
 * subscription, reference, period and unit price) for a period billed in
 * full with every day active: malloc'd, or NULL when l is no
 * subscription line. A stored sentence equal to it need not be stored
 * (store/invoices.c keeps "" and rebuilds it when the line is read). */
char *billing_why_derived(const struct invoice_line *l);

/* The sentence of line l, whether it holds it or rebuilds it (a draft's
 * line billed in full holds none: why_derived): malloc'd, or NULL. */
char *billing_line_why(const struct invoice_line *l);

#endif
