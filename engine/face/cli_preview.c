/*
 * cli_preview.c — printing the run's record (usecase/sink.h) for
 * `tick --dry-run` and `simulate`: the text lines (the invoice line as it
 * always was, then its lines, messages, reminders, credits and periods not
 * billed, in the order the run wrote them) and the JSON array whose schema
 * README.md documents ("Preview output"); and the progress line long
 * runs print on stderr when it is a terminal. Nothing here decides
 * anything.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "face/cli.h"

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jdate(cdate d)
{
    char buf[11];
    return d == CDATE_NONE ? json_null() : json_string(date_fmt(d, buf));
}

static json_t *event_json(const struct run_event *ev)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(run_event_name(ev->kind)));
    json_object_set_new(o, "date", jdate(ev->date));
    json_object_set_new(o, "account", jstr(ev->account));
    switch (ev->kind) {
    case RUN_INVOICE: {
        json_object_set_new(o, "number", jstr(ev->invoice));
        json_object_set_new(o, "invoice_kind", jstr(ev->kind_name));
        json_object_set_new(o, "subscription",
                            ev->subscription ? json_integer(ev->subscription)
                                             : json_null());
        json_object_set_new(o, "period_start", jdate(ev->period_start));
        json_object_set_new(o, "period_end", jdate(ev->period_end));
        json_object_set_new(o, "issued", jdate(ev->issued));
        json_object_set_new(o, "due", jdate(ev->due));
        json_object_set_new(o, "total_cents", json_integer(ev->total_cents));
        json_object_set_new(o, "vat_cents", json_integer(ev->vat_cents));
        json_t *lines = json_array();
        for (size_t i = 0; i < ev->n_lines; i++) {
            const struct run_line *l = &ev->lines[i];
            json_t *lo = json_object();
            json_object_set_new(lo, "description", jstr(l->description));
            json_object_set_new(lo, "quantity", json_hundredths(l->qty100));
            json_object_set_new(lo, "unit_cents", json_integer(l->unit_cents));
            json_object_set_new(lo, "amount_cents",
                                json_integer(l->amount_cents));
            json_object_set_new(lo, "vat_rate_id", jstr(l->vat_id));
            json_object_set_new(lo, "vat_basis_points",
                                json_integer(l->vat_bp));
            json_array_append_new(lines, lo);
        }
        json_object_set_new(o, "lines", lines);
        break;
    }
    case RUN_MESSAGE:
        json_object_set_new(o, "event", jstr(ev->event));
        json_object_set_new(o, "template", jstr(ev->template_id));
        json_object_set_new(o, "invoice", jstr(ev->invoice));
        json_object_set_new(o, "to", jstr(ev->to_addr));
        json_object_set_new(o, "send_at", jstr(ev->send_at));
        json_object_set_new(o, "status", jstr(ev->status));
        json_object_set_new(o, "step", json_integer(ev->step));
        break;
    case RUN_REMINDER:
        json_object_set_new(o, "invoice", jstr(ev->invoice));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "template", jstr(ev->template_id));
        json_object_set_new(o, "status", jstr(ev->status));
        json_object_set_new(o, "reason", jstr(ev->reason));
        break;
    case RUN_CREDIT_GRANT:
    case RUN_CREDIT_USE:
    case RUN_CREDIT_WITHDRAWN:
        json_object_set_new(o, "package", jstr(ev->package));
        json_object_set_new(o, "credits", json_integer(ev->credits));
        json_object_set_new(o, "invoice", jstr(ev->invoice));
        break;
    case RUN_NOT_BILLED:
        json_object_set_new(o, "subscription", json_integer(ev->subscription));
        json_object_set_new(o, "period_start", jdate(ev->period_start));
        json_object_set_new(o, "period_end", jdate(ev->period_end));
        json_object_set_new(o, "reason", jstr(ev->reason));
        break;
    case RUN_BALANCE_APPLIED:
        json_object_set_new(o, "invoice", jstr(ev->invoice));
        json_object_set_new(o, "amount_cents", json_integer(ev->amount_cents));
        break;
    }
    return o;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void event_text(const struct run_event *ev, FILE *fp)
{
    char day[11], d2[32], d3[11], a[32], b[32], q[32];
    date_fmt(ev->date, day);
    switch (ev->kind) {
    case RUN_INVOICE:
        fprintf(fp, "invoice %s %s account %s ", or_empty(ev->invoice),
                date_fmt(ev->issued, d2), or_empty(ev->account));
        if (ev->subscription) /* a seat plan's invoice names its kind */
            fprintf(fp, "subscription %lld", (long long)ev->subscription);
        else
            fprintf(fp, "%s", or_empty(ev->kind_name));
        fprintf(fp, " period %s..%s total %s\n",
                date_fmt(ev->period_start, d3), date_fmt(ev->period_end, a),
                money_fmt(ev->total_cents, b));
        for (size_t i = 0; i < ev->n_lines; i++) {
            const struct run_line *l = &ev->lines[i];
            fprintf(fp, "  line %zu: %s: %s x %s = %s, VAT %s (%s%%)\n", i + 1,
                    or_empty(l->description), decimal_fmt(l->qty100, 2, q),
                    money_fmt(l->unit_cents, a), money_fmt(l->amount_cents, b),
                    or_empty(l->vat_id), decimal_fmt(l->vat_bp, 2, d2));
        }
        break;
    case RUN_MESSAGE:
        fprintf(fp, "message %s %s template %s to %s at %s (%s)", day,
                or_empty(ev->event), or_empty(ev->template_id),
                or_empty(ev->to_addr), or_empty(ev->send_at),
                or_empty(ev->status));
        if (ev->invoice)
            fprintf(fp, " invoice %s", ev->invoice);
        if (ev->step)
            fprintf(fp, " step %d", ev->step);
        fputc('\n', fp);
        break;
    case RUN_REMINDER:
        if (ev->reason)
            fprintf(fp, "reminder %s invoice %s step %d cancelled: %s\n", day,
                    or_empty(ev->invoice), ev->step, ev->reason);
        else
            fprintf(fp, "reminder %s invoice %s step %d template %s queued\n",
                    day, or_empty(ev->invoice), ev->step,
                    or_empty(ev->template_id));
        break;
    case RUN_CREDIT_GRANT:
    case RUN_CREDIT_USE:
    case RUN_CREDIT_WITHDRAWN:
        fprintf(fp, "credit %s %s account %s package %s credits %lld",
                ev->kind == RUN_CREDIT_GRANT ? "grant"
                : ev->kind == RUN_CREDIT_USE ? "use"
                                             : "withdrawn",
                day, or_empty(ev->account), or_empty(ev->package),
                (long long)ev->credits);
        if (ev->invoice)
            fprintf(fp, " invoice %s", ev->invoice);
        fputc('\n', fp);
        break;
    case RUN_NOT_BILLED:
        fprintf(fp, "not billed %s account %s ", day, or_empty(ev->account));
        if (ev->subscription)
            fprintf(fp, "subscription %lld ", (long long)ev->subscription);
        else /* a seat plan's period */
            fputs("plan ", fp);
        fprintf(fp, "period %s..%s: %s\n", date_fmt(ev->period_start, d2),
                date_fmt(ev->period_end, d3), or_empty(ev->reason));
        break;
    case RUN_BALANCE_APPLIED:
        fprintf(fp, "balance %s account %s applied %s to invoice %s\n", day,
                or_empty(ev->account), money_fmt(ev->amount_cents, a),
                or_empty(ev->invoice));
        break;
    }
}

void preview_print(const struct run_sink *s, enum out_format f, int *first,
                   FILE *fp)
{
    for (size_t i = 0; i < s->n; i++) {
        if (f != OUT_JSON) {
            event_text(&s->v[i], fp);
            continue;
        }
        json_t *o = event_json(&s->v[i]);
        char *txt = json_dumps(o, CLI_JSON_FLAGS);
        /* indent the object one level inside the array */
        fputs(*first ? "[\n  " : ",\n  ", fp);
        for (const char *p = txt; *p; p++) {
            fputc(*p, fp);
            if (*p == '\n')
                fputs("  ", fp);
        }
        free(txt);
        json_decref(o);
        *first = 0;
    }
}

void preview_end(enum out_format f, int first, FILE *fp)
{
    if (f == OUT_JSON)
        fputs(first ? "[]\n" : "\n]\n", fp);
}

/* ================================================================ progress */

static void progress_print(void *arg, const char *what, int64_t done)
{
    struct progress_line *pl = arg;
    fprintf(stderr, "\r\033[Kcarebill %s %s: %s %lld%s", pl->cmd, pl->day,
            what, (long long)done, pl->extra);
    fflush(stderr);
    pl->shown = 1;
}

void progress_start(struct cli *c, struct progress_line *pl, const char *cmd,
                    int quiet)
{
    *pl = (struct progress_line){.cmd = cmd};
    if (quiet || !isatty(STDERR_FILENO))
        return;
    pl->on = 1;
    c->eng.progress = progress_print;
    c->eng.progress_arg = pl;
}

void progress_day(struct progress_line *pl, cdate day, int64_t n, int64_t of)
{
    date_fmt(day, pl->day);
    if (of)
        snprintf(pl->extra, sizeof pl->extra, " (day %lld of %lld)",
                 (long long)n, (long long)of);
    if (!pl->on)
        return;
    fprintf(stderr, "\r\033[Kcarebill %s %s%s", pl->cmd, pl->day, pl->extra);
    fflush(stderr);
    pl->shown = 1;
}

void progress_end(struct cli *c, struct progress_line *pl)
{
    c->eng.progress = NULL;
    c->eng.progress_arg = NULL;
    if (pl->log)
        fclose(pl->log); /* writes what it holds first */
    pl->log = NULL;
    if (pl->shown)
        fputs("\r\033[K", stderr);
}
