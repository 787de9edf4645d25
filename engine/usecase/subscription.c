/*
 * subscription.c — the subscription use cases: read, decide, write.
 */
#include "usecase/subscription.h"

#include "store/subscriptions.h"

int subscription_start(struct engine *eng, const char *account,
                       const char *type, cdate from, int direct_debit,
                       int64_t quantity, cdate today, int64_t *id,
                       struct err *e)
{
    const struct subscription_type *t = rules_subscription_type(eng->r, type);
    int has_mandate = account_mandate(eng->lg, account);
    if (subscription_start_check(t, type, account, has_mandate, direct_debit,
                                 quantity, e) != 0)
        return -1;
    struct subscription_row s = {
        .account = (char *)account, .type = (char *)type, .start = from,
        .end_on = CDATE_NONE, .direct_debit = direct_debit,
        .quantity = quantity};
    subscription_first_cursor(&eng->r->practice, t, from, direct_debit,
                              &s.next_period, &s.next_due);
    return subscriptions_insert(eng->lg, &s, today, id, e);
}

/* Read subscription id, or fail naming it. */
static int load(struct engine *eng, int64_t id, struct subscription_row *s,
                struct err *e)
{
    int rc = subscriptions_get(eng->lg, id, s, e);
    if (rc > 0)
        return err_set(e, "no subscription %lld", (long long)id);
    return rc;
}

int subscription_pause(struct engine *eng, int64_t id, cdate from,
                       cdate until, const char *note, struct err *e)
{
    struct subscription_row s;
    if (load(eng, id, &s, e) != 0)
        return -1;
    struct sub_dates dates = {id, s.start, s.end_on};
    subscription_row_free(&s);
    if (pause_check(&dates, from, until, note, e) != 0)
        return -1;
    struct pause_span other;
    int rc = pauses_overlapping(eng->lg, id, from, until, &other, e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return pause_overlap_error(&dates, from, until, &other, e);
    return pauses_insert(eng->lg, id, from, until, note, e);
}

int subscription_resume(struct engine *eng, int64_t id, cdate on,
                        struct err *e)
{
    struct subscription_row s;
    char a[11];
    if (load(eng, id, &s, e) != 0)
        return -1;
    struct sub_dates dates = {id, s.start, s.end_on};
    int64_t pid;
    struct pause_span p;
    int rc = resume_check(&dates, on, e);
    if (rc == 0)
        rc = pauses_covering(eng->lg, id, on, &pid, &p, e);
    if (rc == 0)
        rc = err_set(e, "subscription %lld is not paused on %s",
                     (long long)id, date_fmt(on, a));
    if (rc > 0) {
        cdate until;
        rc = resume_drops_pause(&p, on, &until)
                 ? pauses_delete(eng->lg, pid, e)
                 : pauses_set_until(eng->lg, pid, until, e);
    }
    /* A backdated resume can make a period already passed billable. */
    const struct subscription_type *t = rules_subscription_type(eng->r, s.type);
    cdate next, due;
    if (rc == 0 && t &&
        subscription_rewind(&eng->r->practice, t, s.start, s.end_on,
                            s.direct_debit, s.next_period, on, &next, &due))
        rc = subscriptions_set_cursor(eng->lg, id, next, due, e);
    subscription_row_free(&s);
    return rc;
}

int subscription_stop(struct engine *eng, int64_t id, cdate on,
                      const char *note, cdate today, struct err *e)
{
    struct subscription_row s;
    if (load(eng, id, &s, e) != 0)
        return -1;
    struct sub_dates dates = {id, s.start, s.end_on};
    subscription_row_free(&s);
    if (stop_check(&dates, on, today, note, e) != 0 ||
        subscriptions_set_end(eng->lg, id, on, note, e) != 0)
        return -1;
    return pauses_clip(eng->lg, id, on, e);
}

int subscription_report(struct engine *eng, const char *account,
                        struct subscription_report_row **rows, size_t *n,
                        struct err *e)
{
    if (subscriptions_report(eng->lg, account, rows, n, e) != 0)
        return -1;
    for (size_t i = 0; i < *n; i++) {
        struct subscription_report_row *r = &(*rows)[i];
        r->status = subscription_status(r->s.start, r->s.end_on, r->pauses,
                                        r->n_pauses, eng->today);
    }
    return 0;
}
