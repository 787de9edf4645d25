/*
 * subscription.c — the ledger side of accounts and subscriptions: start,
 * pause, resume, stop and price changes, each validated before it writes.
 */
#include "usecase/subscription.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/invoice.h"

/* ================================================================ accounts */

static int valid_email(const char *s)
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

int account_add(struct ledger *lg, const struct account_input *a, cdate today,
                struct err *e)
{
    static const char *const sql =
        "INSERT INTO accounts(id, name, email, kind, address, locale, "
        "vat_number, iban, bic, mandate_id, mandate_date, reminders, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    const char *kind = a->kind ? a->kind : "patient";
    if (!a->id || !is_slug(a->id))
        return err_set(e, "account id '%s' must be a slug (lowercase letters, "
                          "digits, '-' and '_')", a->id ? a->id : "");
    if (!a->name || !*a->name || strpbrk(a->name, "\r\n") || has_control(a->name))
        return err_set(e, "account name must be one line of text");
    if (!a->email || !valid_email(a->email))
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
    if (a->iban && !iban_valid(a->iban))
        return err_set(e, "IBAN '%s' fails its check digits", a->iban);
    if ((a->mandate_id != NULL) != (a->mandate_date != CDATE_NONE))
        return err_set(e, "a mandate needs both --mandate and --mandate-date");
    if (a->mandate_id && !a->iban)
        return err_set(e, "a mandate needs the account's --iban");
    if (a->mandate_id && (strlen(a->mandate_id) > 35 || !*a->mandate_id))
        return err_set(e, "mandate id must be 1 to 35 characters");
    if (a->address && has_control(a->address))
        return err_set(e, "address contains control characters");
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, a->id);
    bind_text(st, 2, a->name);
    bind_text(st, 3, a->email);
    bind_text(st, 4, kind);
    bind_text(st, 5, a->address);
    bind_text(st, 6, a->locale);
    bind_text(st, 7, a->vat_number);
    bind_text(st, 8, a->iban);
    bind_text(st, 9, a->bic);
    bind_text(st, 10, a->mandate_id);
    bind_date(st, 11, a->mandate_date);
    bind_int(st, 12, a->reminders);
    bind_date(st, 13, today);
    int dup;
    if (ledger_done(lg, st, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "account '%s' already exists", a->id);
    return 0;
}

/* ================================================================ start */

int account_exists(struct ledger *lg, const char *id)
{
    return account_mandate(lg, id) >= 0;
}

int account_mandate(struct ledger *lg, const char *id)
{
    static const char *const sql =
        "SELECT mandate_id IS NOT NULL FROM accounts WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    return (int)ledger_first_int(st, -1);
}

int subscription_start(struct engine *eng,
                       const char *account, const char *type, cdate from,
                       int direct_debit, int64_t quantity, cdate today,
                       int64_t *id, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "INSERT INTO subscriptions(account, type, start, direct_debit, "
        "quantity, next_period, next_due, created) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7, ?8)";
    const struct subscription_type *t = rules_subscription_type(r, type);
    int has_mandate = account_mandate(lg, account);
    if (!t)
        return err_set(e, "no subscription type '%s'", type);
    if (!t->d.active)
        return err_set(e, "subscription type '%s' is deactivated (%s:%d); it "
                          "cannot be started", type, t->d.at.file,
                       t->d.at.line);
    if (has_mandate < 0)
        return err_set(e, "no account '%s'", account);
    if (direct_debit && !has_mandate)
        return err_set(e, "account '%s' has no direct-debit mandate", account);
    if (quantity < 1 || quantity > 100000)
        return err_set(e, "quantity must be between 1 and 100000");

    struct sub_view s = {.start = from, .end_on = CDATE_NONE,
                         .direct_debit = direct_debit};
    struct period p = period_containing(t->period, t->alignment, from, from);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, type);
    bind_date(st, 3, from);
    bind_int(st, 4, direct_debit);
    bind_int(st, 5, quantity);
    bind_date(st, 6, p.start);
    bind_date(st, 7, billing_invoice_date(&r->practice, &s, p));
    bind_date(st, 8, today);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *id = ledger_last_id(lg);
    return 0;
}

/* ================================================================ pauses */

struct sub_row {
    int64_t id;
    char type[128];
    cdate start, end_on, next_period;
    int direct_debit;
};

static int load_sub(struct ledger *lg, int64_t id, struct sub_row *s,
                    struct err *e)
{
    static const char *const sql =
        "SELECT type, start, end_on, next_period, direct_debit "
        "FROM subscriptions WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no subscription %lld", (long long)id);
    }
    s->id = id;
    snprintf(s->type, sizeof s->type, "%s", col_ctext(st, 0));
    s->start = col_date(st, 1);
    s->end_on = col_date(st, 2);
    s->next_period = col_date(st, 3);
    s->direct_debit = (int)col_int(st, 4);
    ledger_reset(st);
    return 0;
}

int subscription_pause(struct ledger *lg, int64_t id, cdate from, cdate until,
                       const char *note, struct err *e)
{
    static const char *const overlap_sql =
        "SELECT from_date, until FROM pauses WHERE subscription = ?1 AND "
        "from_date <= ?3 AND until >= ?2";
    static const char *const ins_sql =
        "INSERT INTO pauses(subscription, from_date, until, note) "
        "VALUES (?1, ?2, ?3, ?4)";
    struct sub_row s;
    char a[11], b[11];
    if (load_sub(lg, id, &s, e) != 0)
        return -1;
    if (until < from)
        return err_set(e, "pause ends (%s) before it starts (%s)",
                       date_fmt(until, a), date_fmt(from, b));
    if (from < s.start)
        return err_set(e, "pause starts (%s) before the subscription (%s)",
                       date_fmt(from, a), date_fmt(s.start, b));
    if (s.end_on != CDATE_NONE && from > s.end_on)
        return err_set(e, "subscription %lld stops on %s; it cannot be paused "
                          "after that", (long long)id, date_fmt(s.end_on, a));
    if (note && strpbrk(note, "\r"))
        return err_set(e, "note contains a carriage return");
    struct ledger_stmt *st = ledger_stmt(lg, overlap_sql);
    bind_int(st, 1, id);
    bind_date(st, 2, from);
    bind_date(st, 3, until);
    if (ledger_step(st) == LEDGER_ROW) {
        err_set(e, "pause %s..%s overlaps the pause %s..%s of subscription "
                   "%lld", date_fmt(from, a), date_fmt(until, b),
                col_ctext(st, 0), col_ctext(st, 1), (long long)id);
        ledger_reset(st);
        return -1;
    }
    ledger_reset(st);
    st = ledger_stmt(lg, ins_sql);
    bind_int(st, 1, id);
    bind_date(st, 2, from);
    bind_date(st, 3, until);
    bind_text(st, 4, note);
    return ledger_done(lg, st, NULL, e);
}

/* Move the billing cursor back to the period containing `d` when that
 * period was already decided: a backdated resume can make a skipped
 * period billable. Periods that did get an invoice stay billed once (the
 * tick checks the ledger's unique key for rewound subscriptions). */
static int rewind_cursor(struct engine *eng,
                         const struct sub_row *s, cdate d, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "UPDATE subscriptions SET next_period = ?2, next_due = ?3 "
        "WHERE id = ?1";
    const struct subscription_type *t = rules_subscription_type(r, s->type);
    if (!t)
        return 0;
    struct period p = period_containing(t->period, t->alignment, s->start, d);
    if (s->next_period != CDATE_NONE && p.start >= s->next_period)
        return 0;
    struct sub_view v = {.start = s->start, .end_on = s->end_on,
                         .direct_debit = s->direct_debit};
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, s->id);
    bind_date(st, 2, p.start);
    bind_date(st, 3, billing_invoice_date(&r->practice, &v, p));
    return ledger_done(lg, st, NULL, e);
}

int subscription_resume(struct engine *eng, int64_t id,
                        cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const find_sql =
        "SELECT id, from_date FROM pauses WHERE subscription = ?1 AND "
        "from_date <= ?2 AND until >= ?2";
    static const char *const end_sql =
        "UPDATE pauses SET until = ?2 WHERE id = ?1";
    static const char *const del_sql = "DELETE FROM pauses WHERE id = ?1";
    struct sub_row s;
    char a[11];
    if (load_sub(lg, id, &s, e) != 0)
        return -1;
    if (s.end_on != CDATE_NONE && s.end_on < on)
        return err_set(e, "subscription %lld was stopped on %s; a stopped "
                          "subscription cannot be resumed (start a new one)",
                       (long long)id, date_fmt(s.end_on, a));
    struct ledger_stmt *st = ledger_stmt(lg, find_sql);
    bind_int(st, 1, id);
    bind_date(st, 2, on);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "subscription %lld is not paused on %s",
                       (long long)id, date_fmt(on, a));
    }
    int64_t pid = col_int(st, 0);
    cdate from = col_date(st, 1);
    ledger_reset(st);
    if (from >= on) {
        st = ledger_stmt(lg, del_sql);
        bind_int(st, 1, pid);
    } else {
        st = ledger_stmt(lg, end_sql);
        bind_int(st, 1, pid);
        bind_date(st, 2, on - 1);
    }
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    return rewind_cursor(eng, &s, on, e);
}

int subscription_stop(struct ledger *lg, int64_t id, cdate on,
                      const char *note, cdate today, struct err *e)
{
    static const char *const sql =
        "UPDATE subscriptions SET end_on = ?2, stop_note = ?3 WHERE id = ?1";
    static const char *const trim_sql =
        "DELETE FROM pauses WHERE subscription = ?1 AND from_date > ?2";
    static const char *const cut_sql =
        "UPDATE pauses SET until = ?2 WHERE subscription = ?1 AND until > ?2";
    struct sub_row s;
    char a[11], b[11];
    if (load_sub(lg, id, &s, e) != 0)
        return -1;
    if (on < s.start)
        return err_set(e, "stop date %s is before the subscription's start %s",
                       date_fmt(on, a), date_fmt(s.start, b));
    if (s.end_on != CDATE_NONE && s.end_on < today)
        return err_set(e, "subscription %lld was already stopped on %s",
                       (long long)id, date_fmt(s.end_on, a));
    if (s.end_on != CDATE_NONE && on > s.end_on)
        return err_set(e, "subscription %lld stops on %s; a stop can be brought "
                          "forward, not extended", (long long)id,
                       date_fmt(s.end_on, a));
    if (note && strchr(note, '\r'))
        return err_set(e, "note contains a carriage return");
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, id);
    bind_date(st, 2, on);
    bind_text(st, 3, note);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    st = ledger_stmt(lg, trim_sql);
    bind_int(st, 1, id);
    bind_date(st, 2, on);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    st = ledger_stmt(lg, cut_sql);
    bind_int(st, 1, id);
    bind_date(st, 2, on);
    return ledger_done(lg, st, NULL, e);
}

/* ================================================================ prices */

int price_schedule(struct engine *eng, const char *type,
                   cdate from, int64_t price, cdate today, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "INSERT INTO price_changes(type, from_date, price_cents, created) "
        "VALUES (?1, ?2, ?3, ?4)";
    char a[11];
    if (!rules_subscription_type(r, type))
        return err_set(e, "no subscription type '%s'", type);
    if (price < 0)
        return err_set(e, "price must not be negative");
    if (from < today)
        return err_set(e, "a price change cannot take effect in the past (%s); "
                          "use today's date for an immediate change",
                       date_fmt(from, a));
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, type);
    bind_date(st, 2, from);
    bind_int(st, 3, price);
    bind_date(st, 4, today);
    int dup;
    if (ledger_done(lg, st, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "a price change of '%s' on %s is already scheduled; "
                          "cancel it first", type, date_fmt(from, a));
    return 0;
}

int price_cancel(struct engine *eng, const char *type,
                 cdate from, cdate today, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "UPDATE price_changes SET cancelled = ?3 WHERE type = ?1 AND "
        "from_date = ?2 AND cancelled IS NULL";
    char a[11];
    if (!rules_subscription_type(r, type))
        return err_set(e, "no subscription type '%s'", type);
    if (from <= today)
        return err_set(e, "the price change of %s on %s already applies; it "
                          "can only be cancelled before that day", type,
                       date_fmt(from, a));
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, type);
    bind_date(st, 2, from);
    bind_date(st, 3, today);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    if (ledger_changes(lg) == 0)
        return err_set(e, "no price change of '%s' scheduled on %s", type,
                       date_fmt(from, a));
    return 0;
}

static int cmp_change(const void *x, const void *y)
{
    const struct price_change *a = x, *b = y;
    return (a->from > b->from) - (a->from < b->from);
}

int price_list_load(struct ledger *lg, const struct subscription_type *t,
                    struct price_list *out, struct err *e)
{
    static const char *const sql =
        "SELECT from_date, price_cents FROM price_changes WHERE type = ?1 "
        "AND cancelled IS NULL ORDER BY from_date";
    out->base = t->price_cents;
    out->n = t->n_changes;
    out->changes = xcalloc(out->n + 1, sizeof *out->changes);
    if (t->n_changes)
        memcpy(out->changes, t->changes, t->n_changes * sizeof *t->changes);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, t->d.id);
    while (ledger_step(st) == LEDGER_ROW) {
        cdate d = col_date(st, 0);
        size_t i;
        for (i = 0; i < out->n; i++)
            if (out->changes[i].from == d)
                break; /* the ledger's change overrides the file's */
        if (i == out->n) {
            out->changes = xrealloc(out->changes,
                                    (out->n + 1) * sizeof *out->changes);
            memset(&out->changes[i], 0, sizeof out->changes[i]);
            out->n++;
        }
        out->changes[i].from = d;
        out->changes[i].price_cents = col_int(st, 1);
    }
    ledger_reset(st);
    qsort(out->changes, out->n, sizeof *out->changes, cmp_change);
    (void)e;
    return 0;
}

int64_t price_list_on(const struct price_list *pl, cdate d)
{
    int64_t price = pl->base;
    for (size_t i = 0; i < pl->n && pl->changes[i].from <= d; i++)
        price = pl->changes[i].price_cents;
    return price;
}

void price_list_free(struct price_list *pl)
{
    free(pl->changes);
    pl->changes = NULL;
    pl->n = 0;
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
