/*
 * registry.c — SQL of the practice registry (the practices table of the
 * registry's own database). One statement spelled per engine: the claim,
 * which on PostgreSQL skips the rows other workers have locked and on
 * SQLite needs no lock of its own (BEGIN IMMEDIATE has the whole file).
 */
#include "store/registry.h"

#include <stdlib.h>
#include <string.h>

void registry_entry_free(struct registry_entry *p)
{
    if (!p)
        return;
    free(p->name), free(p->rules), free(p->ledger), free(p->zone);
    free(p->claimed_by), free(p->last_error);
    memset(p, 0, sizeof *p);
}

void registry_entries_free(struct registry_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        registry_entry_free(&v[i]);
    free(v);
}

int registry_init(struct ledger *lg, struct err *e)
{
    return ledger_exec(lg,
                       "CREATE TABLE IF NOT EXISTS practices ("
                       "name TEXT PRIMARY KEY, "
                       "rules TEXT NOT NULL, "
                       "ledger TEXT NOT NULL, "
                       "zone TEXT NOT NULL, "
                       "last_run TEXT, "
                       "claimed_by TEXT, "
                       "failed_on TEXT, "
                       "last_error TEXT)",
                       e);
}

int registry_insert(struct ledger *lg, const struct registry_entry *p,
                    int *dup, struct err *e)
{
    static const char *const sql =
        "INSERT INTO practices(name, rules, ledger, zone) "
        "VALUES (?1, ?2, ?3, ?4)";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, p->name);
    bind_text(st, 2, p->rules);
    bind_text(st, 3, p->ledger);
    bind_text(st, 4, p->zone);
    return ledger_done(lg, st, dup, e);
}

int registry_delete(struct ledger *lg, const char *name, int *found,
                    struct err *e)
{
    static const char *const sql = "DELETE FROM practices WHERE name = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    bind_text(st, 1, name);
    if (ledger_done(lg, st, NULL, e) != 0)
        return -1;
    *found = ledger_changes(lg) > 0;
    return 0;
}

#define PRACTICE_COLS                                                      \
    "name, rules, ledger, zone, last_run, claimed_by, failed_on, last_error"

static void read_entry(struct ledger_stmt *st, struct registry_entry *p)
{
    p->name = col_text(st, 0);
    p->rules = col_text(st, 1);
    p->ledger = col_text(st, 2);
    p->zone = col_text(st, 3);
    p->last_run = col_date(st, 4);
    p->claimed_by = col_text(st, 5);
    p->failed_on = col_date(st, 6);
    p->last_error = col_text(st, 7);
}

int registry_list(struct ledger *lg, struct registry_entry **out, size_t *n,
                  struct err *e)
{
    static const char *const sql =
        "SELECT " PRACTICE_COLS " FROM practices ORDER BY name";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    *out = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        read_entry(st, &(*out)[(*n)++]);
    }
    if (ledger_read_end(st, rc, "the registry", e) != 0) {
        registry_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int registry_zones(struct ledger *lg, char ***zones, size_t *n,
                   struct err *e)
{
    static const char *const sql =
        "SELECT DISTINCT zone FROM practices ORDER BY zone";
    struct ledger_stmt *st = ledger_stmt(lg, sql);
    *zones = NULL;
    *n = 0;
    int rc;
    while ((rc = ledger_step(st)) == LEDGER_ROW) {
        *zones = xrealloc(*zones, (*n + 1) * sizeof **zones);
        (*zones)[(*n)++] = col_text(st, 0);
    }
    if (ledger_read_end(st, rc, "the registry's zones", e) != 0) {
        ledger_tables_free(*zones, *n);
        *zones = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int registry_claim(struct ledger *lg, const char *zone, cdate today,
                   struct registry_entry *out, struct err *e)
{
    static const char *const pg_sql =
        "SELECT " PRACTICE_COLS " FROM practices WHERE zone = ?1 AND "
        "(last_run IS NULL OR last_run < ?2) AND "
        "(failed_on IS NULL OR failed_on < ?2) "
        "ORDER BY last_run NULLS FIRST, name LIMIT 1 FOR UPDATE SKIP LOCKED";
    static const char *const sqlite_sql =
        "SELECT " PRACTICE_COLS " FROM practices WHERE zone = ?1 AND "
        "(last_run IS NULL OR last_run < ?2) AND "
        "(failed_on IS NULL OR failed_on < ?2) "
        "ORDER BY last_run NULLS FIRST, name LIMIT 1";
    int pg = !strcmp(ledger_backend_name(lg), "postgresql");
    struct ledger_stmt *st = ledger_stmt(lg, pg ? pg_sql : sqlite_sql);
    bind_text(st, 1, zone);
    bind_date(st, 2, today);
    int rc = ledger_step(st);
    memset(out, 0, sizeof *out);
    if (rc == LEDGER_ROW)
        read_entry(st, out);
    if (ledger_read_end(st, rc, "the registry", e) != 0)
        return -1;
    return rc == LEDGER_ROW ? 0 : 1;
}

int registry_record(struct ledger *lg, const char *name, cdate today,
                    const char *by, const char *error, struct err *e)
{
    static const char *const done_sql =
        "UPDATE practices SET last_run = ?2, claimed_by = ?3, "
        "failed_on = NULL, last_error = NULL WHERE name = ?1";
    static const char *const failed_sql =
        "UPDATE practices SET claimed_by = ?3, failed_on = ?2, "
        "last_error = ?4 WHERE name = ?1";
    struct ledger_stmt *st = ledger_stmt(lg, error ? failed_sql : done_sql);
    bind_text(st, 1, name);
    bind_date(st, 2, today);
    bind_text(st, 3, by);
    if (error)
        bind_text(st, 4, error);
    return ledger_done(lg, st, NULL, e);
}
