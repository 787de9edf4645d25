/*
 * mediation.c — hours commands and the daily run's mediation step. The
 * rules of hours (durations, states, send times, invoice lines) and of
 * commission are decide/hours.h's and decide/commission.h's; the rows are
 * store/hours.h's; invoices are drafted with invoice_draft and issued by
 * usecase/issue.h in the supplier's series (a series name, see
 * decide/hours.h supplier_series) or the agency's; e-mails go through the
 * outbox (usecase/outbox.h), keyed so that a rerun never sends twice.
 */
#include "usecase/mediation.h"

#include <stdlib.h>
#include <string.h>

#include "decide/commission.h"
#include "rules/hooks.h"
#include "store/invoices.h"
#include "usecase/events.h"
#include "usecase/issue.h"
#include "usecase/outbox.h"
#include "usecase/sink.h"

/* ================================================================ helpers */

static const struct placement *placement_of(struct engine *eng,
                                            const char *id, struct err *e)
{
    const struct placement *pl = id ? rules_placement(eng->r, id) : NULL;
    if (!pl)
        err_set(e, "no placement '%s' in the rule files (see carebill rules)",
                id ? id : "");
    return pl;
}

static void party_clear(struct party *p)
{
    free(p->id), free(p->name), free(p->email), free(p->address);
    free(p->vat_number), free(p->kvk), free(p->iban);
    memset(p, 0, sizeof *p);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void party_copy(struct party *to, const struct party *from)
{
    *to = (struct party){dup_or_null(from->id),      dup_or_null(from->name),
                         dup_or_null(from->email),   dup_or_null(from->address),
                         dup_or_null(from->vat_number), dup_or_null(from->kvk),
                         dup_or_null(from->iban)};
}

/* Account `id` as a party (with the KvK number of its mediation record);
 * *locale (when non-NULL) the account's locale, malloc'd or NULL. */
static int load_party(struct engine *eng, const char *id, const char *role,
                      struct party *p, char **locale, struct err *e)
{
    memset(p, 0, sizeof *p);
    if (invoices_party(eng->lg, id, p, locale, e) != 0)
        return err_prefix(e, "%s", role);
    return 0;
}

/* 1 when client `id` gets a notice instead of the invoice. */
static int client_private(struct engine *eng, const char *id, int *priv,
                          struct err *e)
{
    struct mediation_account ma;
    int rc = hours_account_get(eng->lg, id, &ma, e);
    *priv = ma.privacy >= 0 ? ma.privacy : eng->r->practice.privacy_mode;
    hours_account_free(&ma);
    return rc < 0 ? -1 : 0;
}

/* The placeholders of a mediation message; the strings live in `buf`
 * and the parties until the message is queued. */
struct hours_buf {
    char total[16];
    char deadline[11];
};

static void hours_vars(struct outbox_vars *ov, const struct rules *r,
                       const struct placement *pl, const struct party *to,
                       const struct party *sup, const struct party *cli,
                       const char *month, int64_t minutes,
                       struct hours_buf *b)
{
    const struct practice *p = &r->practice;
    outbox_vars_add(ov, "account.name", to->name);
    outbox_vars_add(ov, "account.id", to->id);
    outbox_vars_add(ov, "account.email", to->email);
    outbox_vars_add(ov, "supplier.name", sup ? sup->name : NULL);
    outbox_vars_add(ov, "client.name", cli ? cli->name : NULL);
    outbox_vars_add(ov, "placement.id", pl->d.id);
    outbox_vars_add(ov, "hours.month", month);
    if (minutes > 0)
        outbox_vars_add(ov, "hours.total", hours_fmt((int)minutes, b->total));
    outbox_vars_add(ov, "practice.name", p->name);
    outbox_vars_add(ov, "practice.email", p->email ? p->email : p->mail_from);
    outbox_vars_add(ov, "portal.url", p->portal_url);
}

/* Queue event ev for `to` now (plus the template's delay); nothing when
 * the rule set has no template for it. no_pdf forces no attachment. */
static int queue_mail(struct engine *eng, enum event ev, const char *key,
                      int step, int64_t invoice, const struct party *to,
                      const char *locale, const struct outbox_vars *ov,
                      int no_pdf, struct err *e)
{
    const struct template_def *t = rules_template(eng->r, ev, locale);
    if (!t)
        return 0;
    struct template_def tc = *t;
    if (no_pdf)
        tc.attach_pdf = 0;
    char at[17];
    return outbox_queue(eng, ev, key, step, invoice, to->id, to->email,
                        to->name, &tc, ov->v, ov->n,
                        outbox_time(eng->today, t->delay_hours, at),
                        OUTBOX_QUEUED, NULL, e);
}

/* The month's state, refusing action a when it is not allowed. */
static int month_allows(struct engine *eng, const char *placement,
                        const char *month, enum hours_action a,
                        struct month_state *s, struct err *e)
{
    if (hours_month_state(eng->lg, placement, month, s, e) != 0)
        return -1;
    char why[160];
    const char *no = hours_refusal(a, s, month, why, sizeof why);
    if (no)
        return err_set(e, "placement '%s': %s", placement, no);
    return 0;
}

static int check_month(const char *month, struct err *e)
{
    int y, m;
    return month_parse(month, &y, &m, e);
}

/* ================================================================ commands */

int mediation_hours_add(struct engine *eng, const char *placement, cdate date,
                        const char *hours, const char *kind, const char *note,
                        int64_t *id, struct err *e)
{
    const struct placement *pl = placement_of(eng, placement, e);
    if (!pl)
        return -1;
    if (!pl->d.active)
        return err_set(e, "placement '%s' is inactive (%s:%d); no new hours",
                       pl->d.id, pl->d.at.file, pl->d.at.line);
    if (date > eng->today) {
        char a[11], b[11];
        return err_set(e, "hours on %s lie in the future (today is %s)",
                       date_fmt(date, a), date_fmt(eng->today, b));
    }
    int minutes;
    if (hours_parse(hours, eng->r->practice.hours_in_minutes, &minutes, e) != 0)
        return -1;
    enum rate_kind k = hours_default_kind(pl, date);
    if (kind && rate_kind_from_name(kind, &k) != 0)
        return err_set(e, "unknown kind '%s' (expected weekday, evening, "
                          "weekend or holiday)", kind);
    if (note && (strlen(note) > 500 || strpbrk(note, "\r\n")))
        return err_set(e, "a note is one line of at most 500 characters");
    /* The placement's accounts must exist before it takes hours: the
     * run invoices and mails them. */
    struct party who;
    for (int i = 0; i < 2; i++) {
        int rc = load_party(eng, i ? pl->client : pl->supplier,
                            i ? "placement's client" : "placement's supplier",
                            &who, NULL, e);
        party_clear(&who);
        if (rc != 0)
            return err_prefix(e, "placement '%s'", pl->d.id);
    }
    int day = 0;
    if (hours_day_minutes(eng->lg, pl->d.id, date, &day, e) != 0)
        return -1;
    if (hours_add_check(pl, date, minutes, k, day, e) != 0)
        return -1;
    char month[8];
    struct month_state s;
    month_of(date, month);
    if (month_allows(eng, pl->d.id, month, HA_ADD, &s, e) != 0)
        return -1;
    if (hours_insert(eng->lg, pl->d.id, date, minutes, k, note, eng->today, id,
                     e) != 0)
        return -1;
    /* A rejected month being corrected is a draft again. */
    if (s.n[HS_REJECTED])
        return hours_set_status(eng->lg, pl->d.id, month, HS_DRAFT, e);
    return 0;
}

int mediation_hours_remove(struct engine *eng, int64_t id, struct err *e)
{
    struct hours_row row;
    int rc = hours_get(eng->lg, id, &row, e);
    if (rc != 0) {
        hours_row_free(&row);
        return -1;
    }
    struct month_state s;
    rc = month_allows(eng, row.placement, row.month, HA_REMOVE, &s, e);
    if (rc == 0)
        rc = hours_delete(eng->lg, id, e);
    if (rc == 0 && s.n[HS_REJECTED])
        rc = hours_set_status(eng->lg, row.placement, row.month, HS_DRAFT, e);
    hours_row_free(&row);
    return rc;
}

/* The month summary of placement's month, for a message. */
static int month_minutes(struct engine *eng, const char *placement,
                         const char *month, int64_t *minutes, int64_t *submit,
                         struct err *e)
{
    struct hours_month *v;
    size_t n;
    *minutes = 0;
    if (submit)
        *submit = 0;
    if (hours_months(eng->lg, placement, -1, &v, &n, e) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].month, month)) {
            *minutes += v[i].minutes;
            if (submit && v[i].submit_id > *submit)
                *submit = v[i].submit_id;
        }
    hours_months_free(v, n);
    return 0;
}

/* Queue hours_to_approve (step 0 at submit, 1 as the reminder) for the
 * month submitted by review `review`. */
static int queue_to_approve(struct engine *eng, const struct placement *pl,
                            const char *month, int64_t minutes,
                            int64_t review, int step, struct err *e)
{
    struct party sup, cli;
    char *loc = NULL;
    int rc = load_party(eng, pl->supplier, "supplier", &sup, NULL, e);
    if (rc == 0)
        rc = load_party(eng, pl->client, "client", &cli, &loc, e);
    else
        memset(&cli, 0, sizeof cli);
    if (rc == 0) {
        struct outbox_vars ov = {0};
        struct hours_buf b;
        hours_vars(&ov, eng->r, pl, &cli, &sup, &cli, month, minutes, &b);
        char *key = xasprintf("hours:%s:%s:%lld", pl->d.id, month,
                              (long long)review);
        rc = queue_mail(eng, EV_HOURS_TO_APPROVE, key, step, 0, &cli, loc,
                        &ov, 1, e);
        free(key);
        outbox_vars_free(&ov);
    }
    party_clear(&sup);
    party_clear(&cli);
    free(loc);
    return rc;
}

int mediation_hours_submit(struct engine *eng, const char *placement,
                           const char *month, struct err *e)
{
    const struct placement *pl = placement_of(eng, placement, e);
    struct month_state s;
    if (!pl || check_month(month, e) != 0 ||
        month_allows(eng, pl->d.id, month, HA_SUBMIT, &s, e) != 0)
        return -1;
    int64_t review, minutes;
    if (hours_set_status(eng->lg, pl->d.id, month, HS_SUBMITTED, e) != 0 ||
        hours_review_add(eng->lg, pl->d.id, month, HR_SUBMIT, eng->today, NULL,
                         &review, e) != 0 ||
        month_minutes(eng, pl->d.id, month, &minutes, NULL, e) != 0)
        return -1;
    return queue_to_approve(eng, pl, month, minutes, review, 0, e);
}

int mediation_hours_approve(struct engine *eng, const char *placement,
                            const char *month, struct err *e)
{
    const struct placement *pl = placement_of(eng, placement, e);
    struct month_state s;
    if (!pl || check_month(month, e) != 0 ||
        month_allows(eng, pl->d.id, month, HA_APPROVE, &s, e) != 0)
        return -1;
    struct mediation_account ma;
    int rc = hours_account_get(eng->lg, pl->supplier, &ma, e);
    int signed_ = ma.selfbill_agreement != CDATE_NONE;
    /* A supplier outside VAT (exempt, or the small-business scheme KOR)
     * charges none: its invoice cannot carry the placement's VAT. */
    int no_vat = ma.vat_status && (!strcmp(ma.vat_status, "exempt") ||
                                   !strcmp(ma.vat_status, "kor"));
    char status[16];
    snprintf(status, sizeof status, "%s", ma.vat_status ? ma.vat_status : "");
    hours_account_free(&ma);
    if (rc < 0)
        return -1;
    if (no_vat && pl->vat && !pl->vat->exempt && pl->vat->bp > 0)
        return err_set(e, "placement '%s' charges VAT (%s), but supplier '%s' "
                          "has VAT status %s and charges none; give the "
                          "placement an exempt vat or correct the supplier "
                          "(account mediation --vat-status)", pl->d.id,
                       pl->vat->d.id, pl->supplier, status);
    if (pl->invoice_mode == MODE_SELF_BILLING) {
        if (!signed_)
            return err_set(e, "placement '%s' is self-billing, but supplier "
                              "'%s' has no signed self-billing agreement "
                              "(carebill account mediation --id %s "
                              "--self-billing-agreement DATE)",
                           pl->d.id, pl->supplier, pl->supplier);
    }
    if (hours_set_status(eng->lg, pl->d.id, month, HS_APPROVED, e) != 0)
        return -1;
    return hours_review_add(eng->lg, pl->d.id, month, HR_APPROVE, eng->today,
                            NULL, NULL, e);
}

int mediation_hours_reject(struct engine *eng, const char *placement,
                           const char *month, const char *reason,
                           struct err *e)
{
    const struct placement *pl = placement_of(eng, placement, e);
    struct month_state s;
    if (!pl || check_month(month, e) != 0)
        return -1;
    if (!reason || !*reason || strlen(reason) > 500 ||
        strpbrk(reason, "\r\n"))
        return err_set(e, "a rejection needs --reason: one line of at most "
                          "500 characters");
    if (month_allows(eng, pl->d.id, month, HA_REJECT, &s, e) != 0)
        return -1;
    int64_t review, minutes;
    if (hours_set_status(eng->lg, pl->d.id, month, HS_REJECTED, e) != 0 ||
        hours_review_add(eng->lg, pl->d.id, month, HR_REJECT, eng->today,
                         reason, &review, e) != 0 ||
        month_minutes(eng, pl->d.id, month, &minutes, NULL, e) != 0)
        return -1;
    struct party sup, cli;
    char *loc = NULL;
    int rc = load_party(eng, pl->supplier, "supplier", &sup, &loc, e);
    if (rc == 0)
        rc = load_party(eng, pl->client, "client", &cli, NULL, e);
    else
        memset(&cli, 0, sizeof cli);
    if (rc == 0) {
        struct outbox_vars ov = {0};
        struct hours_buf b;
        hours_vars(&ov, eng->r, pl, &sup, &sup, &cli, month, minutes, &b);
        outbox_vars_add(&ov, "hours.reason", reason);
        char *key = xasprintf("hours_rejected:%lld", (long long)review);
        rc = queue_mail(eng, EV_HOURS_REJECTED, key, 0, 0, &sup, loc, &ov, 1,
                        e);
        free(key);
        outbox_vars_free(&ov);
    }
    party_clear(&sup);
    party_clear(&cli);
    free(loc);
    return rc;
}

int mediation_report_hours(struct engine *eng, const char *placement,
                           cdate from, cdate to, struct hours_month **out,
                           size_t *n, struct err *e)
{
    if (hours_months(eng->lg, placement, -1, out, n, e) != 0)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        if (month_in_range((*out)[i].month, from, to))
            (*out)[k++] = (*out)[i];
        else
            free((*out)[i].reason);
    }
    *n = k;
    return 0;
}

int mediation_report_rows(struct engine *eng, const char *placement,
                          const char *month, cdate from, cdate to,
                          struct hours_row **out, size_t *n, struct err *e)
{
    if (month && check_month(month, e) != 0)
        return -1;
    if (hours_rows(eng->lg, placement, month, out, n, e) != 0)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        cdate d = (*out)[i].date;
        if ((from == CDATE_NONE || d >= from) && (to == CDATE_NONE || d <= to))
            (*out)[k++] = (*out)[i];
        else
            hours_row_free(&(*out)[i]);
    }
    *n = k;
    return 0;
}

int mediation_account_update(struct engine *eng,
                             const struct mediation_patch *p, struct err *e)
{
    struct party who = {0};
    if (invoices_party(eng->lg, p->account, &who, NULL, e) != 0) {
        party_clear(&who);
        return -1;
    }
    party_clear(&who);
    if (p->vat_status && strcmp(p->vat_status, "exempt") &&
        strcmp(p->vat_status, "kor") && strcmp(p->vat_status, "standard"))
        return err_set(e, "invalid VAT status '%s' (expected exempt, kor or "
                          "standard)", p->vat_status);
    if (p->kvk && (strlen(p->kvk) != 8 ||
                   strspn(p->kvk, "0123456789") != 8))
        return err_set(e, "KvK number '%s' is not 8 digits", p->kvk);
    struct mediation_account ma;
    if (hours_account_get(eng->lg, p->account, &ma, e) < 0) {
        hours_account_free(&ma);
        return -1;
    }
    if (p->kvk) {
        free(ma.kvk);
        ma.kvk = xstrdup(p->kvk);
    }
    if (p->vat_status) {
        free(ma.vat_status);
        ma.vat_status = xstrdup(p->vat_status);
    }
    if (p->selfbill_agreement != CDATE_NONE)
        ma.selfbill_agreement = p->selfbill_agreement;
    if (p->privacy >= 0)
        ma.privacy = p->privacy;
    int rc = hours_account_put(eng->lg, &ma, e);
    hours_account_free(&ma);
    return rc;
}

/* ================================================================ the run */

struct step {
    struct engine *eng;
    int64_t run;
    FILE *log;
    int64_t *invoices, *total_cents;
    struct hook_ref commission; /* the commission hook; ref -1: none */
};

/* Bind the practice's commission hook, when it names one. */
static int load_commission_hook(struct step *st, struct err *e)
{
    const struct hook_binding *b = &st->eng->r->practice.commission;
    st->commission.ref = -1;
    if (!b->file)
        return 0;
    if (!st->eng->hooks)
        return err_set(e, "%s:%d:%d: the commission hook needs the Lua "
                          "sandbox, which is not loaded", b->at.file,
                       b->at.line, b->at.col);
    if (hooks_load(st->eng->hooks, b->file, e) != 0 ||
        hooks_bind(st->eng->hooks, b->file, b->func, &st->commission, e) != 0)
        return err_prefix(e, "%s:%d:%d", b->at.file, b->at.line, b->at.col);
    return 0;
}

/* Ask the commission hook for the month's commission to `who`; *amount
 * comes in as the placement's rule and goes out as the hook's answer
 * (checked: decide/commission.h), unchanged when it returns nil. */
static int ask_commission_hook(struct step *st, const struct placement *pl,
                               const struct hours_pending *hp,
                               enum commission_party who, int64_t minutes,
                               int64_t *amount, struct err *e)
{
    if (st->commission.ref < 0)
        return 0;
    int sup = who == COMMISSION_SUPPLIER;
    char run[11];
    struct hook_kv kv[] = {
        HKV_S("placement.id", pl->d.id),
        HKV_S("supplier.id", pl->supplier),
        HKV_S("client.id", pl->client),
        HKV_S("party", sup ? "supplier" : "client"),
        HKV_S("month", hp->month),
        HKV_I("minutes", minutes),
        HKV_I("hours100", hours_qty100(minutes)),
        HKV_I("value", hp->net_cents),
        HKV_I("rule", *amount),
        HKV_I("percent_bp", sup ? pl->supplier_commission_bp
                                : pl->client_commission_bp),
        HKV_I("per_hour", sup ? pl->supplier_commission_hour_cents
                              : pl->client_commission_hour_cents),
        HKV_S("run_date", date_fmt(st->eng->today, run)),
    };
    int64_t answer = 0;
    int is_nil = 0;
    if (hooks_call_int(st->eng->hooks, &st->commission, kv,
                       sizeof kv / sizeof *kv, &answer, &is_nil, e) != HOOK_OK)
        return err_append(e, " (placement %s, %s, %s commission)", pl->d.id,
                          hp->month, sup ? "supplier" : "client");
    if (is_nil)
        return 0;
    if (commission_check_hook(pl, answer, hp->net_cents, e) != 0)
        return -1;
    *amount = answer;
    return 0;
}

/* Issue draft inv, link it to the month in role r and note it. */
static int issue_linked(struct step *st, struct invoice *inv,
                        const struct placement *pl, const char *month,
                        enum hours_role r, struct err *e)
{
    if (issue_invoice(st->eng, inv, st->run, e) != 0)
        return err_prefix(e, "placement %s, %s", pl->d.id, month);
    int dup = 0;
    if (hours_invoice_link(st->eng->lg, pl->d.id, month, r, pl->supplier,
                           inv->id, &dup, e) != 0)
        return -1;
    if (dup)
        return err_set(e, "placement %s, %s has its %s invoice already",
                       pl->d.id, month, hours_role_name(r));
    run_sink_invoice(st->eng->sink, st->eng->today, inv, 0, month_first(month),
                     month_last(month));
    (*st->invoices)++;
    *st->total_cents += inv->total_cents;
    if (st->log) {
        char day[11], tot[32];
        fprintf(st->log, "invoice %s %s account %s placement %s month %s "
                         "kind %s total %s\n", inv->number,
                date_fmt(inv->issued, day), inv->to.id, pl->d.id, month,
                invoice_kind_name(inv->kind), money_fmt(inv->total_cents, tot));
    }
    return 0;
}

/* The e-mail of an issued mediation invoice to inv->to (or `to`). A
 * private client gets invoice_ready: no PDF, no amounts, no care. */
static int invoice_mail(struct step *st, const struct invoice *inv,
                        const struct placement *pl, const char *month,
                        int64_t minutes, const struct party *to,
                        const struct party *sup, const struct party *cli,
                        enum event ev, int private_, struct err *e)
{
    struct engine *eng = st->eng;
    struct outbox_vars ov = {0};
    struct hours_buf b;
    char key[40];
    snprintf(key, sizeof key, "invoice:%lld", (long long)inv->id);
    if (private_) {
        outbox_vars_add(&ov, "invoice.number", inv->number);
        outbox_vars_add(&ov, "account.name", to->name);
        outbox_vars_add(&ov, "account.id", to->id);
        outbox_vars_add(&ov, "practice.name", eng->r->practice.name);
        outbox_vars_add(&ov, "portal.url", eng->r->practice.portal_url);
        ev = EV_INVOICE_READY;
    } else {
        outbox_vars_invoice(&ov, eng->r, inv, NULL);
        hours_vars(&ov, eng->r, pl, to, sup, cli, month, minutes, &b);
    }
    int rc = queue_mail(eng, ev, key, 0, inv->id, to, inv->locale, &ov,
                        private_, e);
    outbox_vars_free(&ov);
    return rc;
}

/* Invoice placement pl's approved month. */
static int invoice_month(struct step *st, const struct placement *pl,
                         const char *month, struct err *e)
{
    struct engine *eng = st->eng;
    const struct practice *p = &eng->r->practice;
    struct hours_entry *rows = NULL;
    size_t n = 0;
    if (hours_approved_entries(eng->lg, pl->d.id, month, &rows, &n, e) != 0)
        return -1;
    if (n == 0) {
        free(rows);
        return 0;
    }
    struct party sup, cli, agency;
    memset(&agency, 0, sizeof agency);
    memset(&cli, 0, sizeof cli);
    char *cloc = NULL, *sloc = NULL, *aloc = NULL;
    int priv = 0;
    int self = pl->invoice_mode == MODE_SELF_BILLING;
    int rc = load_party(eng, pl->supplier, "supplier", &sup, &sloc, e);
    if (rc == 0)
        rc = load_party(eng, pl->client, "client", &cli, &cloc, e);
    if (rc == 0 && self)
        rc = load_party(eng, p->agency_account, "agency_account", &agency,
                        &aloc, e);
    if (rc == 0)
        rc = client_private(eng, pl->client, &priv, e);

    struct invoice inv;
    memset(&inv, 0, sizeof inv);
    int64_t minutes = 0;
    if (rc == 0) {
        invoice_draft(&inv, p, self ? INV_SELFBILL : INV_ON_BEHALF,
                      self ? &agency : &cli, self ? aloc : cloc, eng->today,
                      0);
        party_copy(&inv.supplier, &sup);
        minutes = hours_invoice_lines(&inv, pl, month, rows, n);
        rc = issue_linked(st, &inv, pl, month, ROLE_HOURS, e);
    }
    if (rc == 0)
        rc = hours_mark_invoiced(eng->lg, pl->d.id, month, inv.id, e);
    if (rc == 0 && !self) {
        rc = invoice_mail(st, &inv, pl, month, minutes, &cli, &sup, &cli,
                          EV_SELFBILL_INVOICE, priv, e);
        if (rc == 0)
            rc = events_schedule_reminder(eng, &inv, 0, e);
    } else if (rc == 0) {
        /* The supplier gets the invoice issued in its name. */
        rc = invoice_mail(st, &inv, pl, month, minutes, &sup, &sup, &cli,
                          EV_SELFBILL_INVOICE, 0, e);
    }
    if (rc == 0 && self) {
        /* The agency sells the care it bought to the client. */
        struct invoice resale;
        invoice_draft(&resale, p, INV_RESALE, &cli, cloc, eng->today, 0);
        hours_invoice_lines(&resale, pl, month, rows, n);
        rc = issue_linked(st, &resale, pl, month, ROLE_RESALE, e);
        if (rc == 0)
            rc = invoice_mail(st, &resale, pl, month, minutes, &cli, &sup,
                              &cli, EV_SELFBILL_INVOICE, priv, e);
        if (rc == 0)
            rc = events_schedule_reminder(eng, &resale, 0, e);
        invoice_free(&resale);
    }
    invoice_free(&inv);
    party_clear(&sup);
    party_clear(&cli);
    party_clear(&agency);
    free(cloc), free(sloc), free(aloc);
    free(rows);
    return rc;
}

/* The commission invoice of the month to `who`, when there is one. */
static int invoice_commission(struct step *st, const struct placement *pl,
                              const struct hours_pending *hp,
                              enum commission_party who, struct err *e)
{
    struct engine *eng = st->eng;
    int64_t minutes = 0;
    if (hours_invoiced_minutes(eng->lg, hp->placement, hp->month,
                               hp->invoice, &minutes, e) != 0)
        return -1;
    int64_t amount = commission_amount(pl, who, hp->net_cents, minutes);
    if (ask_commission_hook(st, pl, hp, who, minutes, &amount, e) != 0)
        return -1;
    if (amount <= 0)
        return 0;
    const char *account = who == COMMISSION_SUPPLIER ? pl->supplier
                                                     : pl->client;
    struct party to;
    char *loc = NULL;
    if (load_party(eng, account, who == COMMISSION_SUPPLIER ? "supplier"
                                                            : "client",
                   &to, &loc, e) != 0) {
        party_clear(&to);
        return -1;
    }
    struct invoice inv;
    invoice_draft(&inv, &eng->r->practice, INV_COMMISSION, &to, loc,
                  eng->today, 0);
    commission_line(&inv, pl, who, hp->month, amount, hp->net_cents, minutes);
    int rc = issue_linked(st, &inv, pl, hp->month,
                          who == COMMISSION_SUPPLIER ? ROLE_COMMISSION_SUPPLIER
                                                     : ROLE_COMMISSION_CLIENT,
                          e);
    if (rc == 0)
        rc = invoice_mail(st, &inv, pl, hp->month, minutes, &to,
                          who == COMMISSION_SUPPLIER ? &to : NULL,
                          who == COMMISSION_CLIENT ? &to : NULL,
                          EV_COMMISSION_INVOICE, 0, e);
    /* The supplier's commission is withheld from the payout; a client's
     * is paid as any invoice, with its reminders. */
    if (rc == 0 && who == COMMISSION_CLIENT)
        rc = events_schedule_reminder(eng, &inv, 0, e);
    invoice_free(&inv);
    party_clear(&to);
    free(loc);
    return rc;
}

static int bill_approved(struct step *st, struct err *e)
{
    struct engine *eng = st->eng;
    struct hours_month *v;
    size_t n;
    if (hours_months(eng->lg, NULL, HS_APPROVED, &v, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct placement *pl = placement_of(eng, v[i].placement, e);
        if (!pl) {
            rc = err_prefix(e, "approved hours of %s", v[i].month);
            break;
        }
        cdate day = hours_invoice_day(&eng->r->practice, v[i].month,
                                      v[i].approved != CDATE_NONE
                                          ? v[i].approved
                                          : eng->today);
        if (day <= eng->today)
            rc = invoice_month(st, pl, v[i].month, e);
    }
    hours_months_free(v, n);
    return rc;
}

static int bill_commissions(struct step *st, struct err *e)
{
    struct engine *eng = st->eng;
    struct hours_pending *v;
    size_t n;
    if (hours_pending_commissions(eng->lg, &v, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct placement *pl = rules_placement(eng->r, v[i].placement);
        if (!pl ||
            hours_commission_day(&eng->r->practice, v[i].issued) > eng->today)
            continue;
        if (!v[i].has_supplier_commission)
            rc = invoice_commission(st, pl, &v[i], COMMISSION_SUPPLIER, e);
        if (rc == 0 && !v[i].has_client_commission)
            rc = invoice_commission(st, pl, &v[i], COMMISSION_CLIENT, e);
    }
    free(v);
    return rc;
}

static int approval_reminders(struct step *st, struct err *e)
{
    struct engine *eng = st->eng;
    if (eng->r->practice.approval_reminder_days <= 0)
        return 0;
    struct hours_month *v;
    size_t n;
    if (hours_months(eng->lg, NULL, HS_SUBMITTED, &v, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct placement *pl = rules_placement(eng->r, v[i].placement);
        if (pl && v[i].submitted != CDATE_NONE &&
            hours_approval_reminder_due(&eng->r->practice, v[i].submitted,
                                        eng->today))
            rc = queue_to_approve(eng, pl, v[i].month, v[i].minutes,
                                  v[i].submit_id, 1, e);
    }
    hours_months_free(v, n);
    return rc;
}

static int missing_reminders(struct step *st, struct err *e)
{
    struct engine *eng = st->eng;
    const struct rules *r = eng->r;
    char month[8];
    if (!hours_missing_month(&r->practice, eng->today, month))
        return 0;
    int y, m, d;
    date_to_ymd(eng->today, &y, &m, &d);
    for (size_t i = 0; i < r->n_placements; i++) {
        const struct placement *pl = &r->placements[i];
        if (!pl->d.active || !placement_active_in(pl, month))
            continue;
        int any = 0;
        if (hours_any_in_month(eng->lg, pl->d.id, month, &any, e) != 0)
            return -1;
        if (any)
            continue;
        struct party sup;
        char *loc = NULL;
        if (load_party(eng, pl->supplier, "supplier", &sup, &loc, e) != 0) {
            party_clear(&sup);
            return err_prefix(e, "placement %s", pl->d.id);
        }
        struct outbox_vars ov = {0};
        struct hours_buf b;
        hours_vars(&ov, r, pl, &sup, &sup, NULL, month, 0, &b);
        outbox_vars_add(&ov, "hours.deadline",
                        date_fmt_locale(date_from_ymd(y, m,
                                                      r->practice
                                                          .hours_reminder_day),
                                        loc ? loc : r->practice.locale,
                                        b.deadline));
        char *key = xasprintf("hours_missing:%s:%s", pl->d.id, month);
        int rc = queue_mail(eng, EV_HOURS_MISSING, key, 0, 0, &sup, loc, &ov,
                            1, e);
        free(key);
        outbox_vars_free(&ov);
        party_clear(&sup);
        free(loc);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int mediation_tick(struct engine *eng, int64_t run, FILE *log,
                   int64_t *invoices, int64_t *total_cents, struct err *e)
{
    if (eng->r->n_placements == 0)
        return 0;
    struct step st = {eng, run, log, invoices, total_cents, {-1, 0, 0}};
    if (load_commission_hook(&st, e) != 0 || bill_approved(&st, e) != 0 ||
        bill_commissions(&st, e) != 0 ||
        approval_reminders(&st, e) != 0 || missing_reminders(&st, e) != 0)
        return -1;
    return 0;
}
