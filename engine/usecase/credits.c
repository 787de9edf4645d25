/*
 * credits.c — prepaid credit packages on the ledger: product invoices,
 * grants, imports, consumption by appointments, returns, withdrawals by
 * credit notes, and the journal entries each of them books (see credits.h
 * for the accounting). Every function validates before it writes and
 * leaves the transaction to its caller.
 */
#include "usecase/credits.h"
#include "usecase/subscription.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usecase/events.h"
#include "usecase/issue.h"

#define MAX_CREDITS 1000000
#define MAX_PRODUCT_QTY 10000

/* ================================================================ helpers */

static const char *balance_code(const struct package *p)
{
    return p && p->balance_item && *p->balance_item ? p->balance_item
                                                     : CREDITS_CODE_BALANCE;
}

static const char *revenue_code(const struct package *p)
{
    return p && p->ledger_account && *p->ledger_account ? p->ledger_account
                                                         : CREDITS_CODE_REVENUE;
}

static const char *plural(int64_t n)
{
    return n == 1 || n == -1 ? "" : "s";
}

/* Refuse new use of a deactivated definition, naming where it is. */
static int refuse_inactive(const struct def *d, const char *what,
                           struct err *e)
{
    return err_set(e, "%s '%s' is deactivated (%s:%d); %s", d->kind, d->id,
                   d->at.file, d->at.line, what);
}

/* The id among n definitions (each starting with struct def, `size`
 * bytes apart) closest to s, when one is close enough to be a typo. */
static const char *closest(const void *defs, size_t n, size_t size,
                           const char *s)
{
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; i < n; i++) {
        const struct def *d = (const void *)((const char *)defs + i * size);
        int dist = edit_distance(s, d->id);
        if (dist < best_d) {
            best_d = dist;
            best = d->id;
        }
    }
    return best;
}

/* "no KIND 'id'", with a suggestion when one is close. */
static int err_unknown(struct err *e, const char *kind, const char *id,
                       const void *defs, size_t n, size_t size)
{
    const char *near = closest(defs, n, size, id);
    if (near)
        return err_set(e, "no %s '%s'; did you mean '%s'?", kind, id, near);
    return err_set(e, "no %s '%s'", kind, id);
}

/* floor(a * num / den) for a, num >= 0 and den > 0. */
static int64_t muldiv_floor(int64_t a, int64_t num, int64_t den)
{
    assert(a >= 0 && num >= 0 && den > 0);
    return (int64_t)((__int128)a * num / den);
}

/* ================================================================ journal */

/* Book `amount` cents as a balanced pair: debit one code, credit the
 * other. A negative amount books the pair the other way round; 0 books
 * nothing. */
static int journal_pair(struct ledger *lg, cdate on, const char *debit_code,
                        const char *credit_code, int64_t amount,
                        const char *desc, const char *source, struct err *e)
{
    static const char *const sql =
        "INSERT INTO journal(on_date, account_code, debit_cents, "
        "credit_cents, description, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    if (amount == 0)
        return 0;
    if (amount < 0) {
        const char *t = debit_code;
        debit_code = credit_code;
        credit_code = t;
        amount = -amount;
    }
    for (int side = 0; side < 2; side++) {
        struct ledger_stmt *st = ledger_stmt(lg, sql);
        bind_date(st, 1, on);
        bind_text(st, 2, side == 0 ? debit_code : credit_code);
        bind_int(st, 3, side == 0 ? amount : 0);
        bind_int(st, 4, side == 0 ? 0 : amount);
        bind_text(st, 5, desc);
        bind_text(st, 6, source);
        if (ledger_done(lg, st, NULL, e) != 0)
            return err_prefix(e, "journal");
    }
    return 0;
}

/* The codes a grant was booked on: its balance item and the account it
 * was paid from (debtors or imported credits). Read from the grant's own
 * journal entries, so later changes to the package do not strand a
 * balance; a grant booked at rate 0 has none and takes the package's. The
 * strings are malloc'd. */
struct grant_codes {
    char *balance, *counter;
};

static void grant_codes(struct engine *eng,
                        int64_t grant, const char *package, int imported,
                        struct grant_codes *out)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "SELECT (SELECT account_code FROM journal WHERE source = ?1 AND "
        "credit_cents > 0 ORDER BY id LIMIT 1), (SELECT account_code FROM "
        "journal WHERE source = ?1 AND debit_cents > 0 ORDER BY id LIMIT 1)";
    char src[32];
    snprintf(src, sizeof src, "grant %lld", (long long)grant);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, src);
    ledger_step(st);
    out->balance = col_text(st, 0);
    out->counter = col_text(st, 1);
    ledger_reset(st);
    if (!out->balance)
        out->balance = xstrdup(balance_code(rules_package(r, package)));
    if (!out->counter)
        out->counter = xstrdup(imported ? CREDITS_CODE_IMPORTED
                                        : CREDITS_CODE_DEBTORS);
}

static void grant_codes_free(struct grant_codes *c)
{
    free(c->balance);
    free(c->counter);
}

int64_t credits_journal_imbalance(struct ledger *lg)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(debit_cents), 0) - COALESCE(SUM(credit_cents), "
        "0) FROM journal";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    ledger_step(st);
    int64_t d = col_int(st, 0);
    ledger_reset(st);
    return d;
}

/* ================================================================ grants */

/* Insert a grant and book it. `line` 0: an import. *inserted = 0 when the
 * invoice line had its grant already (nothing is booked then). */
static int grant_insert(struct ledger *lg, const char *account,
                        const struct package *pkg, int64_t credits,
                        int64_t rate, cdate on, int64_t line,
                        const char *invoice_number, int *inserted,
                        struct err *e)
{
    static const char *const sql =
        "INSERT INTO credit_grants(account, package, credits, rate_cents, "
        "granted_on, source, invoice_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7) ON CONFLICT(invoice_line) DO NOTHING RETURNING id";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, pkg->d.id);
    bind_int(st, 3, credits);
    bind_int(st, 4, rate);
    bind_date(st, 5, on);
    bind_text(st, 6, line ? "invoice" : "import");
    if (line)
        bind_int(st, 7, line);
    int rc = ledger_step(st);
    int64_t id = rc == LEDGER_ROW ? col_int(st, 0) : 0;
    if (rc == LEDGER_ROW)
        rc = ledger_step(st);
    ledger_reset(st);
    if (rc != LEDGER_DONE)
        return err_set(e, "ledger write failed: %s", ledger_errmsg(lg));
    *inserted = id != 0;
    if (!id)
        return 0;
    char src[32], amt[32];
    snprintf(src, sizeof src, "grant %lld", (long long)id);
    char *desc;
    if (line)
        desc = xasprintf("%lld credit%s %s (%s) at %s for %s, invoice %s paid",
                         (long long)credits, plural(credits), pkg->d.name,
                         pkg->d.id, money_fmt(rate, amt), account,
                         invoice_number);
    else
        desc = xasprintf("%lld credit%s %s (%s) at %s for %s, imported",
                         (long long)credits, plural(credits), pkg->d.name,
                         pkg->d.id, money_fmt(rate, amt), account);
    rc = journal_pair(lg, on, line ? CREDITS_CODE_DEBTORS : CREDITS_CODE_IMPORTED,
                      balance_code(pkg), credits * rate, desc, src, e);
    free(desc);
    return rc;
}

struct line_grant {
    int64_t line, position, qty100;
    char *code;
};

int credits_grant_for_invoice(struct engine *eng,
                              const struct invoice *inv, cdate on,
                              struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "SELECT id, position, ref, qty100 FROM invoice_lines WHERE invoice = "
        "?1 AND source = 'product' ORDER BY position";
    struct line_grant *lines = NULL;
    size_t n = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_int(st, 1, inv->id);
    while (ledger_step(st) == LEDGER_ROW) {
        lines = xrealloc(lines, (n + 1) * sizeof *lines);
        lines[n].line = col_int(st, 0);
        lines[n].position = col_int(st, 1);
        lines[n].code = col_text(st, 2);
        lines[n].qty100 = col_int(st, 3);
        n++;
    }
    ledger_reset(st);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct product *p = rules_product(r, lines[i].code ? lines[i].code : "");
        if (!p) {
            rc = err_set(e, "invoice %s line %lld: product '%s' is no longer in "
                            "the rule files, so its credits cannot be granted "
                            "(deactivate definitions instead of deleting them)",
                         inv->number, (long long)lines[i].position,
                         lines[i].code ? lines[i].code : "");
            break;
        }
        int64_t credits = lines[i].qty100 / 100 * p->credits;
        if (!p->package || credits <= 0)
            continue;
        int inserted;
        rc = grant_insert(lg, inv->to.id, p->package, credits,
                          p->package->internal_rate_cents, on, lines[i].line,
                          inv->number, &inserted, e);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i].code);
    free(lines);
    if (rc == 0)
        rc = credits_withdraw_for_invoice(eng, inv->id, on, e);
    return rc;
}

struct grant_row {
    int64_t id, credits, withdrawn, rate, used;
    char *package;
};

static void grant_rows_free(struct grant_row *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(g[i].package);
    free(g);
}

int credits_withdraw_for_invoice(struct engine *eng,
                                 int64_t invoice, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const inv_sql =
        "SELECT i.number, i.account, i.total_cents, (SELECT COALESCE(SUM("
        "-c.total_cents), 0) FROM invoices c WHERE c.credit_of = i.id), "
        "(SELECT c.number FROM invoices c WHERE c.credit_of = i.id ORDER BY "
        "c.id DESC LIMIT 1) FROM invoices i WHERE i.id = ?1";
    static const char *const grants_sql =
        "SELECT g.id, g.credits, g.withdrawn, g.rate_cents, (SELECT "
        "COALESCE(SUM(u.credits), 0) FROM credit_uses u WHERE u.grant_id = "
        "g.id AND u.returned = 0), g.package FROM credit_grants g JOIN "
        "invoice_lines l ON l.id = g.invoice_line WHERE l.invoice = ?1 "
        "ORDER BY g.id";
    static const char *const upd_sql =
        "UPDATE credit_grants SET withdrawn = ?2 WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, inv_sql);
    bind_int(st, 1, invoice);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no invoice with id %lld", (long long)invoice);
    }
    char *number = col_text(st, 0), *account = col_text(st, 1);
    int64_t total = col_int(st, 2), credited = col_int(st, 3);
    char *note = col_text(st, 4);
    ledger_reset(st);

    struct grant_row *g = NULL;
    size_t n = 0;
    if (total > 0 && credited > 0) {
        if (credited > total)
            credited = total;
        st = ledger_stmt(lg, grants_sql);
        bind_int(st, 1, invoice);
        while (ledger_step(st) == LEDGER_ROW) {
            g = xrealloc(g, (n + 1) * sizeof *g);
            g[n].id = col_int(st, 0);
            g[n].credits = col_int(st, 1);
            g[n].withdrawn = col_int(st, 2);
            g[n].rate = col_int(st, 3);
            g[n].used = col_int(st, 4);
            g[n].package = col_text(st, 5);
            n++;
        }
        ledger_reset(st);
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t target = muldiv_floor(g[i].credits, credited, total);
        int64_t room = g[i].credits - g[i].used;
        int64_t want = target < room ? target : room;
        if (want <= g[i].withdrawn)
            continue;
        int64_t delta = want - g[i].withdrawn;
        st = ledger_stmt(lg, upd_sql);
        bind_int(st, 1, g[i].id);
        bind_int(st, 2, want);
        if ((rc = ledger_done(lg, st, NULL, e)) != 0)
            break;
        struct grant_codes gc;
        grant_codes(eng, g[i].id, g[i].package, 0, &gc);
        const struct package *pkg = rules_package(r, g[i].package);
        char src[32], amt[32];
        snprintf(src, sizeof src, "grant %lld", (long long)g[i].id);
        char *desc = xasprintf("%lld credit%s %s (%s) at %s for %s withdrawn, "
                               "credit note %s on invoice %s",
                               (long long)delta, plural(delta),
                               pkg ? pkg->d.name : g[i].package, g[i].package,
                               money_fmt(g[i].rate, amt), account,
                               note ? note : "", number);
        rc = journal_pair(lg, on, gc.balance, gc.counter, delta * g[i].rate,
                          desc, src, e);
        free(desc);
        grant_codes_free(&gc);
    }
    grant_rows_free(g, n);
    free(number);
    free(account);
    free(note);
    return rc;
}

int credits_import(struct engine *eng,
                   const char *account, const char *package, int64_t credits,
                   int64_t rate_cents, cdate on, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct package *pkg = rules_package(r, package ? package : "");
    if (!pkg)
        return err_unknown(e, "package", package ? package : "", r->packages,
                           r->n_packages, sizeof *r->packages);
    if (!pkg->d.active)
        return refuse_inactive(&pkg->d, "no credits can be imported into it",
                               e);
    if (credits < 1 || credits > MAX_CREDITS)
        return err_set(e, "credits must be between 1 and %d, not %lld",
                       MAX_CREDITS, (long long)credits);
    if (rate_cents < 0) {
        char a[32];
        return err_set(e, "the internal rate cannot be negative (%s)",
                       money_fmt(rate_cents, a));
    }
    if (!account || !account_exists(lg, account))
        return err_set(e, "no account '%s'", account ? account : "");
    int inserted;
    return grant_insert(lg, account, pkg, credits, rate_cents, on, 0, NULL,
                        &inserted, e);
}

int credits_balance(struct ledger *lg, const char *account,
                    const char *package, struct credit_balance *out,
                    struct err *e)
{
    static const char *const sql =
        "SELECT COALESCE(SUM(g.credits), 0), COALESCE(SUM(u.used), 0), "
        "COALESCE(SUM(g.withdrawn), 0), COALESCE(SUM((g.credits - "
        "g.withdrawn - COALESCE(u.used, 0)) * g.rate_cents), 0) FROM "
        "credit_grants g LEFT JOIN (SELECT grant_id, SUM(credits) AS used "
        "FROM credit_uses WHERE returned = 0 GROUP BY grant_id) u ON "
        "u.grant_id = g.id WHERE g.account = ?1 AND g.package = ?2";
    (void)e;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    ledger_step(st);
    out->granted = col_int(st, 0);
    out->consumed = col_int(st, 1);
    out->withdrawn = col_int(st, 2);
    out->balance_cents = col_int(st, 3);
    out->balance = out->granted - out->consumed - out->withdrawn;
    ledger_reset(st);
    return 0;
}

/* ================================================================ invoices */

/* A new invoice for `account` dated `today`, its party and terms filled. */
static int invoice_start(struct engine *eng,
                         enum invoice_kind kind, const char *account,
                         cdate today, struct invoice *inv, struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    const struct practice *p = &r->practice;
    memset(inv, 0, sizeof *inv);
    inv->kind = kind;
    inv->issued = today;
    inv->due = today + p->payment_term_days;
    inv->prices_include_vat = p->prices_include_vat;
    inv->practitioner = xstrdup(p->practitioner);
    if (invoice_set_party(lg, account, &inv->to, &inv->locale, e) != 0)
        return -1;
    if (!inv->locale)
        inv->locale = xstrdup(p->locale);
    return 0;
}

/* Issue inv and queue its e-mail; *number receives its number. */
static int invoice_finish(struct engine *eng,
                          struct invoice *inv, char **number, struct err *e)
{
    if (issue_invoice(eng, inv, 0, e) != 0 ||
        events_invoice_issued(eng, inv, NULL, 0, e) != 0)
        return -1;
    *number = xstrdup(inv->number);
    return 0;
}

int product_invoice(struct engine *eng,
                    const char *account, const struct product_qty *lines,
                    size_t n, cdate today, char **number, struct err *e)
{
    const struct rules *r = eng->r;
    *number = NULL;
    if (n == 0)
        return err_set(e, "a product invoice needs at least one line");
    for (size_t i = 0; i < n; i++) {
        const struct product *p = rules_product(r, lines[i].code);
        if (!p)
            return err_unknown(e, "product with code", lines[i].code,
                               r->products, r->n_products, sizeof *r->products);
        if (!p->d.active)
            return refuse_inactive(&p->d, "it cannot be sold", e);
        if (p->package && !p->package->d.active)
            return err_set(e, "product '%s' carries package '%s', which is "
                              "deactivated (%s:%d); it cannot be sold",
                           p->d.id, p->package->d.id, p->package->d.at.file,
                           p->package->d.at.line);
        if (lines[i].qty < 1 || lines[i].qty > MAX_PRODUCT_QTY)
            return err_set(e, "quantity of '%s' must be between 1 and %d, not "
                              "%lld", lines[i].code, MAX_PRODUCT_QTY,
                           (long long)lines[i].qty);
    }
    struct invoice inv;
    if (invoice_start(eng, INV_PRODUCT, account, today, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct product *p = rules_product(r, lines[i].code);
        const struct vat_rate *v = p->vat;
        struct invoice_line *l = invoice_add_line(
            &inv, p->d.name, lines[i].qty * 100, p->price_cents, v->d.id,
            v->bp, v->exempt, v->exempt_text);
        l->source = xstrdup("product");
        l->ref = xstrdup(p->d.id);
        char a[32];
        if (p->package)
            l->why = xasprintf("product %s at %s per unit; grants %lld credit%s "
                               "of package %s per unit once paid in full",
                               p->d.id, money_fmt(p->price_cents, a),
                               (long long)p->credits, plural(p->credits),
                               p->package->d.id);
        else
            l->why = xasprintf("product %s at %s per unit", p->d.id,
                               money_fmt(p->price_cents, a));
    }
    int rc = invoice_finish(eng, &inv, number, e);
    invoice_free(&inv);
    return rc;
}

/* ================================================================ appointments */

void booking_free(struct booking *b)
{
    free(b->id);
    free(b->invoice);
    memset(b, 0, sizeof *b);
}

static int appointment_exists(struct ledger *lg, const char *id)
{
    static const char *const sql = "SELECT 1 FROM appointments WHERE id = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, id);
    return ledger_has_row(st);
}

/* The next free generated id: "a-N", N one more than the appointments
 * recorded, skipping ids already taken. */
static char *appointment_new_id(struct ledger *lg)
{
    static const char *const sql = "SELECT COUNT(*) FROM appointments";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    ledger_step(st);
    int64_t k = col_int(st, 0) + 1;
    ledger_reset(st);
    for (;; k++) {
        char *id = xasprintf("a-%lld", (long long)k);
        if (!appointment_exists(lg, id))
            return id;
        free(id);
    }
}

/* Credits a grant still has (credits - withdrawn - used), at its rate. */
struct take {
    int64_t grant, credits, rate;
};

/* The account's grants of package with credits left, oldest first. */
static struct take *grants_available(struct ledger *lg, const char *account,
                                     const char *package, size_t *n,
                                     int64_t *total)
{
    static const char *const sql =
        "SELECT g.id, g.credits - g.withdrawn - (SELECT COALESCE(SUM("
        "u.credits), 0) FROM credit_uses u WHERE u.grant_id = g.id AND "
        "u.returned = 0), g.rate_cents FROM credit_grants g WHERE "
        "g.account = ?1 AND g.package = ?2 ORDER BY g.granted_on, g.id";
    struct take *t = NULL;
    *n = 0;
    *total = 0;
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, account);
    bind_text(st, 2, package);
    while (ledger_step(st) == LEDGER_ROW) {
        int64_t left = col_int(st, 1);
        if (left <= 0)
            continue;
        t = xrealloc(t, (*n + 1) * sizeof *t);
        t[*n].grant = col_int(st, 0);
        t[*n].credits = left;
        t[*n].rate = col_int(st, 2);
        *total += left;
        (*n)++;
    }
    ledger_reset(st);
    return t;
}

/* Consume `need` credits from the available grants, oldest first. */
static int consume(struct engine *eng,
                   const char *account, const struct appointment_type *t,
                   const char *id, cdate at, const struct take *avail,
                   size_t n, int64_t need, cdate today, struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const sql =
        "INSERT INTO credit_uses(grant_id, appointment, credits) VALUES (?1, "
        "?2, ?3)";
    const struct package *pkg = t->package;
    char *src = xasprintf("appointment %s", id);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n && need > 0; i++) {
        int64_t take = avail[i].credits < need ? avail[i].credits : need;
        need -= take;
        struct ledger_stmt *st = ledger_stmt(lg, sql);
        bind_int(st, 1, avail[i].grant);
        bind_text(st, 2, id);
        bind_int(st, 3, take);
        if ((rc = ledger_done(lg, st, NULL, e)) != 0)
            break;
        struct grant_codes gc;
        grant_codes(eng, avail[i].grant, pkg->d.id, 0, &gc);
        char amt[32], day[11];
        char *desc = xasprintf("%lld credit%s %s (%s) at %s for %s used, "
                               "appointment %s (%s) on %s",
                               (long long)take, plural(take), pkg->d.name,
                               pkg->d.id, money_fmt(avail[i].rate, amt),
                               account, id, t->d.id, date_fmt(at, day));
        rc = journal_pair(lg, today, gc.balance, revenue_code(pkg),
                          take * avail[i].rate, desc, src, e);
        free(desc);
        grant_codes_free(&gc);
    }
    free(src);
    return rc;
}

/* Invoice the appointment at its own price; `reason` says why. */
static int invoice_appointment(struct engine *eng,
                               const char *account,
                               const struct appointment_type *t,
                               const char *id, cdate at, cdate today,
                               const char *reason, char **number,
                               struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const sql =
        "UPDATE appointments SET invoice = ?2 WHERE id = ?1";
    struct invoice inv;
    if (invoice_start(eng, INV_APPOINTMENT, account, today, &inv, e) != 0) {
        invoice_free(&inv);
        return -1;
    }
    char day[11], a[32];
    char *desc = xasprintf("%s %s", t->d.name, date_fmt(at, day));
    const struct vat_rate *v = t->vat;
    struct invoice_line *l = invoice_add_line(&inv, desc, 100, t->price_cents,
                                              v->d.id, v->bp, v->exempt,
                                              v->exempt_text);
    free(desc);
    l->source = xstrdup("appointment");
    l->ref = xstrdup(id);
    l->why = xasprintf("appointment %s (%s) on %s at %s: %s", id, t->d.id, day,
                       money_fmt(t->price_cents, a), reason);
    int rc = invoice_finish(eng, &inv, number, e);
    if (rc == 0) {
        struct ledger_stmt *st = ledger_stmt(lg, sql);
        bind_text(st, 1, id);
        bind_int(st, 2, inv.id);
        rc = ledger_done(lg, st, NULL, e);
    }
    invoice_free(&inv);
    return rc;
}

int appointment_book(struct engine *eng,
                     const char *account, const char *type, cdate at,
                     const char *id, cdate today, struct booking *out,
                     struct err *e)
{
    struct ledger *lg = eng->lg;
    const struct rules *r = eng->r;
    static const char *const sql =
        "INSERT INTO appointments(id, account, type, at, status, created) "
        "VALUES (?1, ?2, ?3, ?4, 'booked', ?5)";
    memset(out, 0, sizeof *out);
    const struct appointment_type *t = rules_appointment_type(r, type ? type : "");
    if (!t)
        return err_unknown(e, "appointment type", type ? type : "",
                           r->appointment_types, r->n_appointment_types,
                           sizeof *r->appointment_types);
    if (!t->d.active)
        return refuse_inactive(&t->d, "it cannot be booked", e);
    if (!account || !account_exists(lg, account))
        return err_set(e, "no account '%s'", account ? account : "");
    if (id && !is_slug(id))
        return err_set(e, "appointment id '%s' must be a slug (lowercase "
                          "letters, digits, '-' and '_', at most 64)", id);
    if (id && appointment_exists(lg, id))
        return err_set(e, "appointment '%s' already exists", id);

    /* Decide before writing anything: a refusal leaves the ledger as it
     * was even outside a transaction. */
    size_t n = 0;
    int64_t have = 0;
    struct take *avail = NULL;
    const char *reason = NULL;
    char *why = NULL;
    if (t->package) {
        avail = grants_available(lg, account, t->package->d.id, &n, &have);
        if (have < t->credits) {
            if (r->practice.short_credit == SHORT_CREDIT_REFUSE) {
                free(avail);
                return err_set(e, "account '%s' has %lld credit%s of package "
                                  "'%s' left and appointment type '%s' needs "
                                  "%lld; the practice refuses bookings without "
                                  "enough credits (short_credit: refuse)",
                               account, (long long)have, plural(have),
                               t->package->d.id, t->d.id,
                               (long long)t->credits);
            }
            why = xasprintf("%lld of the %lld credit%s of package %s it needs "
                            "left, invoiced at its own price (short_credit: "
                            "invoice)", (long long)have, (long long)t->credits,
                            plural(t->credits), t->package->d.id);
            reason = why;
        }
    } else {
        reason = "no package pays for this appointment type";
    }

    out->id = id ? xstrdup(id) : appointment_new_id(lg);
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, out->id);
    bind_text(st, 2, account);
    bind_text(st, 3, t->d.id);
    bind_date(st, 4, at);
    bind_date(st, 5, today);
    int rc = ledger_done(lg, st, NULL, e);
    if (rc == 0 && !reason) {
        rc = consume(eng, account, t, out->id, at, avail, n, t->credits,
                     today, e);
        out->credits = t->credits;
    } else if (rc == 0 && t->price_cents > 0) {
        rc = invoice_appointment(eng, account, t, out->id, at, today, reason,
                                 &out->invoice, e);
    }
    free(avail);
    free(why);
    if (rc != 0)
        booking_free(out);
    return rc;
}

int appointment_cancel(struct engine *eng,
                       const char *id, cdate today, char **credit_note,
                       struct err *e)
{
    struct ledger *lg = eng->lg;
    static const char *const get_sql =
        "SELECT a.status, i.number, i.total_cents - (SELECT COALESCE(SUM("
        "-c.total_cents), 0) FROM invoices c WHERE c.credit_of = i.id) FROM "
        "appointments a LEFT JOIN invoices i ON i.id = a.invoice WHERE "
        "a.id = ?1";
    static const char *const status_sql =
        "UPDATE appointments SET status = 'cancelled' WHERE id = ?1";
    static const char *const reverse_sql =
        "INSERT INTO journal(on_date, account_code, debit_cents, "
        "credit_cents, description, source) SELECT ?2, account_code, "
        "credit_cents, debit_cents, 'cancelled: ' || description, source "
        "FROM journal WHERE source = ?1 ORDER BY id";
    static const char *const invoices_sql =
        "SELECT DISTINCT l.invoice FROM credit_uses u JOIN credit_grants g ON "
        "g.id = u.grant_id JOIN invoice_lines l ON l.id = g.invoice_line "
        "WHERE u.appointment = ?1 AND u.returned = 0";
    static const char *const return_sql =
        "UPDATE credit_uses SET returned = 1 WHERE appointment = ?1 AND "
        "returned = 0";
    *credit_note = NULL;
    struct ledger_stmt *st = ledger_stmt(lg, get_sql);
    bind_text(st, 1, id);
    if (ledger_step(st) != LEDGER_ROW) {
        ledger_reset(st);
        return err_set(e, "no appointment '%s'", id);
    }
    int cancelled = !strcmp(col_ctext(st, 0), "cancelled");
    char *number = col_text(st, 1);
    int64_t creditable = col_int(st, 2);
    ledger_reset(st);
    if (cancelled) {
        free(number);
        return err_set(e, "appointment '%s' is already cancelled", id);
    }

    /* The invoices whose grants get credits back: their credit notes may
     * want those credits withdrawn. */
    int64_t *invs = NULL;
    size_t n = 0;
    st = ledger_stmt(lg, invoices_sql);
    bind_text(st, 1, id);
    while (ledger_step(st) == LEDGER_ROW) {
        invs = xrealloc(invs, (n + 1) * sizeof *invs);
        invs[n++] = col_int(st, 0);
    }
    ledger_reset(st);

    char *src = xasprintf("appointment %s", id);
    st = ledger_stmt(lg, status_sql);
    bind_text(st, 1, id);
    int rc = ledger_done(lg, st, NULL, e);
    if (rc == 0) {
        st = ledger_stmt(lg, reverse_sql);
        bind_text(st, 1, src);
        bind_date(st, 2, today);
        rc = ledger_done(lg, st, NULL, e);
    }
    if (rc == 0) {
        st = ledger_stmt(lg, return_sql);
        bind_text(st, 1, id);
        rc = ledger_done(lg, st, NULL, e);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = credits_withdraw_for_invoice(eng, invs[i], today, e);
    if (rc == 0 && number && creditable > 0)
        rc = issue_credit_note(eng, number, -1, today, credit_note, e);
    free(src);
    free(invs);
    free(number);
    return rc;
}
