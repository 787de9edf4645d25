/*
 * outbox.c — queueing messages in the ledger, the placeholder values of
 * invoice events, cancelling a message by hand and the outbox report.
 * Delivery (outbox send) lives in deliver.c.
 */
#include "usecase/outbox.h"

#include <stdio.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decide/payref.h"
#include "store/invoices.h"
#include "store/rule_sets.h"
#include "usecase/sink.h"

char *outbox_time(cdate d, int hours, char buf[17])
{
    /* "YYYY-MM-DD HH:00", written out: every queued message has one. */
    d += hours / 24;
    date_fmt(d, buf);
    int h = hours % 24;
    if (h < 0) { /* not one a template or hook can give; as printf would */
        char day[11];
        snprintf(buf, 17, "%s %02d:00", date_fmt(d, day), h);
        return buf;
    }
    buf[10] = ' ';
    buf[11] = (char)('0' + h / 10);
    buf[12] = (char)('0' + h % 10);
    memcpy(buf + 13, ":00", 4);
    return buf;
}

/* Add row m (unless its event, key and step are queued already) and
 * tell the run's record. */
static int insert_row(struct engine *eng, const struct outbox_row *m,
                      int *queued, struct err *e)
{
    int added = 0;
    int rc = outbox_insert(eng->lg, m, &added, e);
    if (queued)
        *queued = added;
    if (rc == 0 && added)
        run_sink_message(eng->sink, eng->today, event_name(m->event),
                         m->template_id, m->account, m->invoice, m->to_addr,
                         m->send_at, outbox_status_name(m->status), m->step);
    return rc;
}

int outbox_queue(struct engine *eng, enum event ev, const char *key,
                 int step, int64_t invoice, const char *account,
                 const char *to_addr, const char *to_name,
                 const struct template_def *t, const struct tvar *vars,
                 size_t n, const char *send_at, enum outbox_status status,
                 int *queued, struct err *e)
{
    char *subject = NULL, *body = NULL;
    if (status != OUTBOX_SCHEDULED) {
        subject = template_render(t->subject, vars, n);
        body = template_render(t->body, vars, n);
    }
    struct outbox_row m = {
        .event = ev, .key = key, .step = step, .invoice = invoice,
        .account = account, .template_id = t->d.id, .to_addr = to_addr,
        .to_name = to_name, .subject = subject, .body = body,
        .attach_pdf = t->attach_pdf, .status = status, .send_at = send_at,
        .attach_ubl = t->attach_ubl};
    int rc = insert_row(eng, &m, queued, e);
    free(subject);
    free(body);
    return rc;
}

static int deferred_entry(const struct outbox_entry *m);
static struct outbox_source source_of(const struct outbox_entry *m);

static const char *keep(struct outbox_vars *ov, char *s)
{
    if (ov->n_store < sizeof ov->store / sizeof *ov->store)
        ov->store[ov->n_store++] = s;
    return s;
}

void outbox_vars_add(struct outbox_vars *ov, const char *name, const char *value)
{
    for (size_t i = 0; i < ov->n; i++)
        if (!strcmp(ov->v[i].name, name)) {
            ov->v[i].value = value;
            return;
        }
    if (ov->n < sizeof ov->v / sizeof *ov->v) {
        ov->v[ov->n].name = name;
        ov->v[ov->n].value = value;
        ov->n++;
    }
}

/* Append a value known not to be set yet. */
static void vars_append(struct outbox_vars *ov, const char *name,
                        const char *value)
{
    if (ov->n < sizeof ov->v / sizeof *ov->v) {
        ov->v[ov->n].name = name;
        ov->v[ov->n].value = value;
        ov->n++;
    }
}

void outbox_vars_free(struct outbox_vars *ov)
{
    for (size_t i = 0; i < ov->n_store; i++)
        free(ov->store[i]);
    ov->n = ov->n_store = 0;
}

static const char *money(struct outbox_vars *ov, int64_t c, const char *loc)
{
    char buf[48];
    return keep(ov, xstrdup(money_fmt_locale(c, loc, buf)));
}

static const char *day(struct outbox_vars *ov, cdate d, const char *loc)
{
    char buf[11];
    return keep(ov, xstrdup(date_fmt_locale(d, loc, buf)));
}

/* The values outbox_vars_invoice formats, by index into `used`. */
enum {
    FV_DATE, FV_DUE, FV_COLLECTION, FV_TOTAL, FV_SUBTOTAL, FV_VAT, FV_OPEN,
    FV_PAID, FV_PERIOD_START, FV_PERIOD_END, FV_PERIOD, FV_SUB_ID,
    FV_ADDRESS, FV_N
};
static const char *const formatted_names[FV_N] = {
    "invoice.date", "invoice.due_date", "invoice.collection_date",
    "invoice.total", "invoice.subtotal", "invoice.vat", "invoice.open",
    "invoice.paid", "period.start", "period.end", "invoice.period",
    "subscription.id", "practice.address",
};

/* Fill ov; used[FV_x] 0 leaves value x out (formatting is most of the
 * cost of an invoice's values). */
static void vars_invoice(struct outbox_vars *ov, const struct rules *r,
                         const struct invoice *inv, const char *sub_name,
                         const unsigned char used[FV_N])
{
    const struct practice *p = &r->practice;
    const char *loc = inv->locale ? inv->locale : p->locale;
    assert(ov->n == 0); /* every name below is set once: append */
    vars_append(ov, "account.name", inv->to.name);
    vars_append(ov, "account.id", inv->to.id);
    vars_append(ov, "account.email", inv->to.email);
    vars_append(ov, "invoice.number", inv->number);
    if (used[FV_DATE])
        vars_append(ov, "invoice.date", day(ov, inv->issued, loc));
    if (used[FV_DUE])
        vars_append(ov, "invoice.due_date", day(ov, inv->due, loc));
    if (used[FV_COLLECTION])
        vars_append(ov, "invoice.collection_date", day(ov, inv->due, loc));
    if (used[FV_TOTAL])
        vars_append(ov, "invoice.total", money(ov, inv->total_cents, loc));
    if (used[FV_SUBTOTAL])
        vars_append(ov, "invoice.subtotal", money(ov, inv->net_cents, loc));
    if (used[FV_VAT])
        vars_append(ov, "invoice.vat", money(ov, inv->vat_cents, loc));
    if (used[FV_OPEN])
        vars_append(ov, "invoice.open",
                    money(ov, inv->total_cents - inv->paid_cents, loc));
    if (used[FV_PAID])
        vars_append(ov, "invoice.paid", money(ov, inv->paid_cents, loc));
    struct payref pr;
    invoice_payref(inv, p, &pr); /* as the invoice's documents show it */
    vars_append(ov, "invoice.payment_reference",
                pr.scheme != PAYREF_NONE ? keep(ov, xstrdup(pr.stored)) : NULL);
    vars_append(ov, "invoice.original_number", inv->credit_of);
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        if (l->period_start == CDATE_NONE)
            continue;
        if (used[FV_PERIOD_START] || used[FV_PERIOD_END] || used[FV_PERIOD]) {
            const char *a = day(ov, l->period_start, loc);
            const char *b = day(ov, l->period_end, loc);
            vars_append(ov, "period.start", a);
            vars_append(ov, "period.end", b);
            if (used[FV_PERIOD])
                vars_append(ov, "invoice.period",
                            keep(ov, xasprintf("%s - %s", a, b)));
        }
        if (l->subscription && used[FV_SUB_ID])
            vars_append(ov, "subscription.id",
                        keep(ov, xasprintf("%lld", (long long)l->subscription)));
        break;
    }
    vars_append(ov, "subscription.name", sub_name);
    vars_append(ov, "practice.name", p->name);
    vars_append(ov, "practice.email", p->email ? p->email : p->mail_from);
    vars_append(ov, "practice.phone", p->phone);
    vars_append(ov, "practice.iban", p->iban);
    vars_append(ov, "practice.bic", p->bic);
    vars_append(ov, "practice.kvk", p->kvk);
    vars_append(ov, "practice.vat_number", p->vat_number);
    vars_append(ov, "practice.creditor_id", p->creditor_id);
    if (p->address && used[FV_ADDRESS]) {
        char *one = xstrdup(p->address);
        for (char *c = one; *c; c++)
            if (*c == '\n')
                *c = ',';
        vars_append(ov, "practice.address", keep(ov, one));
    }
}

void outbox_vars_invoice(struct outbox_vars *ov, const struct rules *r,
                         const struct invoice *inv, const char *sub_name)
{
    unsigned char all[FV_N];
    memset(all, 1, sizeof all);
    vars_invoice(ov, r, inv, sub_name, all);
}

void outbox_vars_invoice_for(struct outbox_vars *ov, const struct rules *r,
                             const struct invoice *inv, const char *sub_name,
                             const struct template_def *t)
{
    unsigned char used[FV_N] = {0};
    template_names_used(t->subject, formatted_names, FV_N, used);
    template_names_used(t->body, formatted_names, FV_N, used);
    vars_invoice(ov, r, inv, sub_name, used);
}

int outbox_cancel_message(struct engine *eng, int64_t id, struct err *e)
{
    enum outbox_status s;
    if (outbox_make_deferred(eng, e) != 0 ||
        outbox_status(eng->lg, id, &s, e) != 0)
        return -1;
    if (s != OUTBOX_SCHEDULED && s != OUTBOX_QUEUED && s != OUTBOX_FAILED)
        return err_set(e, "message %lld is %s; only scheduled, queued or "
                          "failed messages can be cancelled", (long long)id,
                       outbox_status_name(s));
    return outbox_cancel(eng->lg, id, NULL, e);
}

int report_outbox(struct engine *eng, const char *account,
                  struct outbox_entry **out, size_t *n, struct err *e)
{
    if (outbox_make_deferred_now(eng, e) != 0 ||
        outbox_list(eng->lg, account, out, n, e) != 0)
        return -1;
    /* A message queued without its text shows the subject it will be
     * sent with (none when it cannot be rendered: outbox show says why). */
    struct rule_shelf shelf;
    rule_shelf_init(&shelf, eng->r);
    for (size_t i = 0; i < *n; i++) {
        struct outbox_entry *m = &(*out)[i];
        if (!deferred_entry(m))
            continue;
        struct outbox_source src = source_of(m);
        struct invoice inv;
        char *body = NULL;
        struct err re;
        outbox_render(&shelf, eng->lg, &src, &inv, &m->subject, &body, NULL,
                      &re);
        free(body);
        invoice_free(&inv);
    }
    rule_shelf_free(&shelf);
    return 0;
}

void report_outbox_free(struct outbox_entry *v, size_t n)
{
    outbox_list_free(v, n);
}

const char *outbox_report_status(enum outbox_status s)
{
    return outbox_status_name(s);
}

/* ================================================================ rendered when sent */

/* The subscription name inv's lines give in rule set r: the name of the
 * type of its first subscription line (decide/billing.c keeps the type's
 * id as the line's ref). NULL when it has none. */
static const char *lines_sub_name(const struct rules *r,
                                  const struct invoice *inv)
{
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        if (l->source && !strcmp(l->source, "subscription") && l->ref) {
            const struct subscription_type *t =
                rules_subscription_type(r, l->ref);
            return t ? t->d.name : NULL;
        }
    }
    return NULL;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

char *outbox_invoice_key(int64_t invoice, char key[32])
{
    snprintf(key, 32, "invoice:%lld", (long long)invoice);
    return key;
}

/* eng's rule set is in the ledger, once per transaction of eng's. */
static int keep_rule_set(struct engine *eng, struct err *e)
{
    const struct rules *r = eng->r;
    if (eng->rule_set_kept == r->hash && eng->rule_set_kept_in == eng->lg)
        return 0;
    if (rule_sets_ensure(eng->lg, r, e) != 0)
        return -1;
    eng->rule_set_kept = r->hash;
    eng->rule_set_kept_in = eng->lg;
    return 0;
}

int outbox_queue_deferred(struct engine *eng, enum event ev, const char *key,
                          const struct invoice *inv,
                          const struct template_def *t, const char *sub_name,
                          const char *send_at, struct err *e)
{
    const struct rules *r = eng->r;
    const char *derived = lines_sub_name(r, inv);
    /* The row can say "the lines' name" (NULL) or a name, not "none"
     * where the lines give one; and only eng's rule set is kept here. */
    if ((!sub_name && derived) || !inv->rules_hash ||
        strcmp(inv->rules_hash, r->hash) != 0) {
        struct outbox_vars ov = {0};
        outbox_vars_invoice_for(&ov, r, inv, sub_name, t);
        int rc = outbox_queue(eng, ev, key, 0, inv->id, inv->to.id,
                              inv->to.email, inv->to.name, t, ov.v, ov.n,
                              send_at, OUTBOX_QUEUED, NULL, e);
        outbox_vars_free(&ov);
        return rc;
    }
    if (keep_rule_set(eng, e) != 0)
        return -1;
    int same = sub_name && derived && !strcmp(derived, sub_name);
    struct outbox_row m = {
        .event = ev, .key = key, .invoice = inv->id, .account = inv->to.id,
        .template_id = t->d.id, .to_addr = inv->to.email,
        .to_name = inv->to.name, .attach_pdf = t->attach_pdf,
        .status = OUTBOX_QUEUED, .send_at = send_at,
        .attach_ubl = t->attach_ubl, .deferred = 1,
        .sub_name = same ? NULL : sub_name, .paid_cents = inv->paid_cents};
    return insert_row(eng, &m, NULL, e);
}

/* ============================================== e-mails made later */

int outbox_can_defer(const struct engine *eng, const struct invoice *inv,
                     const char *sub_name)
{
    const struct rules *r = eng->r;
    if (inv->paid_cents || inv->supplier.id ||
        (inv->rules_hash && strcmp(inv->rules_hash, r->hash) != 0))
        return 0;
    /* Made from the invoice and its account alone: the name its lines
     * give is the name the template is given. */
    const char *derived = lines_sub_name(r, inv);
    return sub_name ? derived && !strcmp(derived, sub_name) : !derived;
}

int outbox_defer(struct engine *eng, enum event ev, const struct invoice *inv,
                 const char *send_at, struct err *e)
{
    if (keep_rule_set(eng, e) != 0)
        return -1;
    run_sink_message(eng->sink, eng->today, event_name(ev), inv->mail,
                     inv->to.id, inv->id, inv->to.email, send_at,
                     outbox_status_name(OUTBOX_QUEUED), 0);
    return 0;
}

static const struct template_def *template_by_id(const struct rules *r,
                                                 const char *id);

#define MAKE_BATCH 512

int outbox_make_deferred(struct engine *eng, struct err *e)
{
    struct ledger *lg = eng->lg;
    int64_t mark, last;
    if (outbox_made_mark(lg, &mark, &last, e) != 0)
        return -1;
    if (last <= mark)
        return 0;
    struct rule_shelf shelf;
    rule_shelf_init(&shelf, eng->r);
    struct deferred_mail batch[MAKE_BATCH];
    int64_t after = mark;
    int rc = 0;
    for (;;) {
        size_t n;
        if (outbox_deferred_after(lg, after, last, batch, MAKE_BATCH, &n,
                                  e) != 0) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < n; i++) {
            struct deferred_mail *d = &batch[i];
            /* The event, attachments and send time are the template's in
             * the invoice's own rule set; one that cannot be read leaves
             * the message queued, and sending it fails it with the
             * reason (outbox_render). */
            const struct rules *r = NULL;
            const struct template_def *t = NULL;
            struct err ignored;
            if (d->rules_hash &&
                rule_shelf_get(&shelf, lg, d->rules_hash, &r, &ignored) == 0)
                t = template_by_id(r, d->template_id);
            char key[32], at[17];
            struct outbox_row m = {
                .event = t ? t->event : EV_SUBSCRIPTION_INVOICE,
                .key = outbox_invoice_key(d->invoice, key),
                .invoice = d->invoice, .account = d->account,
                .template_id = d->template_id, .to_addr = d->to_addr,
                .to_name = d->to_name, .attach_pdf = t ? t->attach_pdf : 0,
                .status = OUTBOX_QUEUED,
                .send_at = outbox_time(d->issued, t ? t->delay_hours : 0, at),
                .attach_ubl = t ? t->attach_ubl : 0, .deferred = 1};
            if (rc == 0)
                rc = outbox_insert(lg, &m, NULL, e);
            after = d->invoice;
            deferred_mail_free(d);
        }
        if (rc != 0 || n < MAKE_BATCH)
            break;
    }
    rule_shelf_free(&shelf);
    if (rc == 0)
        rc = outbox_made_set(lg, last, e);
    return rc;
}

int outbox_make_deferred_now(struct engine *eng, struct err *e)
{
    struct ledger *lg = eng->lg;
    int64_t mark, last;
    /* Nothing to make: no transaction (a read-only look at the outbox
     * writes nothing). */
    if (outbox_made_mark(lg, &mark, &last, e) != 0)
        return -1;
    if (last <= mark)
        return 0;
    if (ledger_begin(lg, e) != 0)
        return -1;
    if (outbox_make_deferred(eng, e) != 0) {
        ledger_rollback(lg);
        return -1;
    }
    return ledger_commit(lg, e);
}

void rule_shelf_init(struct rule_shelf *s, const struct rules *own)
{
    *s = (struct rule_shelf){.own = own};
}

void rule_shelf_free(struct rule_shelf *s)
{
    for (size_t i = 0; i < s->n; i++)
        rules_free(s->loaded[i]);
    free(s->loaded);
    *s = (struct rule_shelf){0};
}

/* A stored file name is relative and stays inside its directory. */
static int safe_name(const char *name)
{
    if (!*name || name[0] == '/')
        return 0;
    for (const char *c = name; *c;) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 0 || (n == 2 && !strncmp(c, "..", 2)) ||
            (n == 1 && c[0] == '.'))
            return 0;
        c += n + (slash != NULL);
    }
    return 1;
}

/* The directories made while writing a rule set out, to remove after. */
struct made {
    char **paths;
    size_t n;
};

static int make_dir(struct made *m, char *path)
{
    if (mkdir(path, 0700) != 0) {
        free(path);
        return -1;
    }
    m->paths = xrealloc(m->paths, (m->n + 1) * sizeof *m->paths);
    m->paths[m->n++] = path;
    return 0;
}

/* Write f under root: the practice's files in root/practice, the
 * standard library's (rules/SET/..., lua/...) in root/lib, as the loader
 * names them (rules/rules.c rel_name). */
static int write_rule_file(const char *root, const struct rules_file *f,
                           struct made *m, struct err *e)
{
    if (!safe_name(f->name))
        return err_set(e, "the stored rule set names a file '%s'", f->name);
    int lib = !strncmp(f->name, "rules/", 6) || !strncmp(f->name, "lua/", 4);
    char *path = xasprintf("%s/%s/%s", root, lib ? "lib" : "practice",
                           f->name);
    /* every directory on the way, from the top */
    for (char *c = path + strlen(root) + 1; (c = strchr(c, '/')); c++) {
        *c = '\0';
        struct stat st;
        if (stat(path, &st) != 0 && make_dir(m, xstrdup(path)) != 0) {
            err_set(e, "cannot make %s", path);
            free(path);
            return -1;
        }
        *c = '/';
    }
    FILE *fp = fopen(path, "wb");
    int ok = fp && fwrite(f->text, 1, f->len, fp) == f->len;
    if (fp && fclose(fp) != 0)
        ok = 0;
    int rc = ok ? 0 : err_set(e, "cannot write %s", path);
    free(path);
    return rc;
}

/* Load the rule set of packed files: written out to a private temporary
 * directory, loaded as any practice is, and the directory removed. */
static struct rules *load_packed(const char *packed, struct err *e)
{
    struct rules_file *files = NULL;
    size_t n = 0;
    if (rule_sets_unpack(packed, &files, &n, e) != 0)
        return NULL;
    char *root = xstrdup("/tmp/carebill-rules-XXXXXX"); /* as simulate's */
    struct rules *r = NULL;
    struct made m = {0};
    if (!mkdtemp(root)) {
        err_set(e, "cannot make a temporary directory in /tmp");
        goto out;
    }
    int rc = make_dir(&m, xasprintf("%s/practice", root)) == 0 &&
                     make_dir(&m, xasprintf("%s/lib", root)) == 0
                 ? 0
                 : err_set(e, "cannot write to %s", root);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = write_rule_file(root, &files[i], &m, e);
    if (rc == 0) {
        struct diag dg = {0};
        char *pdir = xasprintf("%s/practice", root);
        char *ldir = xasprintf("%s/lib", root);
        r = rules_load(pdir, ldir, &dg);
        if (!r)
            err_set(e, "the stored rule set no longer loads: %s",
                    dg.n ? dg.msgs[0] : "?");
        diag_free(&dg);
        free(pdir);
        free(ldir);
    }
    for (size_t i = 0; i < n; i++) {
        int lib = !strncmp(files[i].name, "rules/", 6) ||
                  !strncmp(files[i].name, "lua/", 4);
        char *path = xasprintf("%s/%s/%s", root, lib ? "lib" : "practice",
                               files[i].name);
        unlink(path);
        free(path);
    }
    for (size_t i = m.n; i-- > 0;) {
        rmdir(m.paths[i]);
        free(m.paths[i]);
    }
    free(m.paths);
    rmdir(root);
out:
    free(root);
    rule_sets_files_free(files, n);
    return r;
}

int rule_shelf_get(struct rule_shelf *s, struct ledger *lg, const char *hash,
                   const struct rules **out, struct err *e)
{
    if (s->own && !strcmp(s->own->hash, hash)) {
        *out = s->own;
        return 0;
    }
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->loaded[i]->hash, hash)) {
            *out = s->loaded[i];
            return 0;
        }
    char *packed = NULL;
    if (rule_sets_get(lg, hash, &packed, e) != 0)
        return -1;
    struct rules *r = load_packed(packed, e);
    free(packed);
    if (!r)
        return err_prefix(e, "rule set %.12s", hash);
    if (strcmp(r->hash, hash) != 0) {
        err_set(e, "rule set %.12s read back from the ledger hashes to %.12s",
                hash, r->hash);
        rules_free(r);
        return -1;
    }
    s->loaded = xrealloc(s->loaded, (s->n + 1) * sizeof *s->loaded);
    s->loaded[s->n++] = r;
    *out = r;
    return 0;
}

static const struct template_def *template_by_id(const struct rules *r,
                                                 const char *id)
{
    for (size_t i = 0; id && i < r->n_templates; i++)
        if (r->templates[i].d.id && !strcmp(r->templates[i].d.id, id))
            return &r->templates[i];
    return NULL;
}

int outbox_render(struct rule_shelf *shelf, struct ledger *lg,
                  const struct outbox_source *src, struct invoice *inv,
                  char **subject, char **body, const struct rules **used,
                  struct err *e)
{
    *subject = *body = NULL;
    const struct rules *r = NULL;
    const struct template_def *t = NULL;
    int rc = invoices_load_id(lg, src->invoice, inv, e) != 0 ? -1 : 0;
    if (rc == 0 && !inv->rules_hash)
        rc = err_set(e, "its invoice names no rule set");
    if (rc == 0)
        rc = rule_shelf_get(shelf, lg, inv->rules_hash, &r, e);
    if (rc == 0 && !(t = template_by_id(r, src->template_id)))
        rc = err_set(e, "rule set %.12s has no template '%s'",
                     inv->rules_hash, or_empty(src->template_id));
    if (rc != 0)
        return err_prefix(e, "message %lld cannot be rendered",
                          (long long)src->id);
    /* The invoice as the message was queued: to whom, and what was paid
     * then (a payment since does not change the text). */
    struct invoice as_queued = *inv;
    as_queued.to.name = (char *)src->to_name;
    as_queued.to.email = (char *)src->to_addr;
    as_queued.paid_cents = src->paid_cents;
    const char *sub = src->sub_name ? src->sub_name
                                    : lines_sub_name(r, &as_queued);
    struct outbox_vars ov = {0};
    outbox_vars_invoice_for(&ov, r, &as_queued, sub, t);
    *subject = template_render(t->subject, ov.v, ov.n);
    *body = template_render(t->body, ov.v, ov.n);
    outbox_vars_free(&ov);
    if (used)
        *used = r;
    return 0;
}

/* A message queued without its text, not sent yet. */
static int deferred_entry(const struct outbox_entry *m)
{
    return m->deferred && m->invoice_id;
}

static struct outbox_source source_of(const struct outbox_entry *m)
{
    return (struct outbox_source){
        .id = m->id, .invoice = m->invoice_id, .paid_cents = m->paid_cents,
        .event = m->event, .template_id = m->template_id,
        .to_addr = m->to_addr, .to_name = m->to_name,
        .sub_name = m->sub_name};
}

int outbox_show(struct engine *eng, int64_t id, struct outbox_entry *out,
                char **from, struct err *e)
{
    *from = NULL;
    int rc = outbox_make_deferred_now(eng, e);
    if (rc == 0)
        rc = outbox_get(eng->lg, id, out, e);
    if (rc != 0 || !deferred_entry(out))
        return rc;
    struct rule_shelf shelf;
    rule_shelf_init(&shelf, eng->r);
    struct invoice inv;
    const struct rules *used = NULL;
    struct outbox_source src = source_of(out);
    rc = outbox_render(&shelf, eng->lg, &src, &inv, &out->subject,
                       &out->body, &used, e);
    if (rc == 0)
        *from = xstrdup(used->hash);
    invoice_free(&inv);
    rule_shelf_free(&shelf);
    if (rc != 0)
        outbox_entry_free(out);
    return rc;
}
