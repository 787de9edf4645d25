/*
 * test_pg_sql.c — what the PostgreSQL ledger backend (ledger/postgres.c)
 * does to carebill's statements and locations before libpq sees them,
 * without a server: ?N parameters written $N (never inside a quoted
 * literal or identifier), and a location split into libpq's URL and the
 * practice's schema, with a password never shown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ledger/backend.h"

static char *rw(const char *sql, int *n, char used[100])
{
    memset(used, 0, 100);
    return ledger_pg_rewrite(sql, n, used);
}

/* 1.1 every ?N becomes $N, the highest N counted */
static void rewrite_params(void **state)
{
    char used[100];
    int n = -1;
    char *s = rw("SELECT a FROM t WHERE b = ?1 AND c = ?2", &n, used);
    assert_string_equal(s, "SELECT a FROM t WHERE b = $1 AND c = $2");
    assert_int_equal(n, 2);
    assert_true(used[1] && used[2]);
    free(s);
}

/* 1.2 two-digit numbers, one parameter used twice */
static void rewrite_wide(void **state)
{
    char used[100];
    int n = 0;
    char *s = rw("VALUES (?10, ?3, ?3)", &n, used);
    assert_string_equal(s, "VALUES ($10, $3, $3)");
    assert_int_equal(n, 10);
    assert_true(used[10] && used[3]);
    assert_false(used[4]);
    free(s);
}

/* 1.3 a ? inside a string literal or a quoted name stays as it is */
static void rewrite_quotes(void **state)
{
    char used[100];
    int n = 0;
    char *s = rw("SELECT '?1', \"a?2\" FROM t WHERE x = ?1 AND y = 'it''s ?3'",
                 &n, used);
    assert_string_equal(
        s, "SELECT '?1', \"a?2\" FROM t WHERE x = $1 AND y = 'it''s ?3'");
    assert_int_equal(n, 1);
    assert_false(used[3]);
    free(s);
}

/* 1.4 a ? not followed by a digit is no parameter; no parameter at all */
static void rewrite_none(void **state)
{
    char used[100];
    int n = 7;
    char *s = rw("SELECT 1 WHERE a ? b", &n, used);
    assert_string_equal(s, "SELECT 1 WHERE a ? b");
    assert_int_equal(n, 0);
    free(s);
}

/* 2.1 the schema parameter is carebill's; the others stay libpq's */
static void split_schema(void **state)
{
    char *url = NULL, *schema = NULL;
    struct err e = {0};
    assert_int_equal(ledger_pg_split("postgresql:///db?host=/run/pg&schema="
                                     "delinde&user=cb",
                                     &url, &schema, &e),
                     0);
    assert_string_equal(url, "postgresql:///db?host=/run/pg&user=cb");
    assert_string_equal(schema, "delinde");
    free(url), free(schema);
}

/* 2.2 no schema: "carebill"; schema alone: no query left */
static void split_default(void **state)
{
    char *url = NULL, *schema = NULL;
    struct err e = {0};
    assert_int_equal(ledger_pg_split("postgres://h/db", &url, &schema, &e), 0);
    assert_string_equal(url, "postgres://h/db");
    assert_string_equal(schema, "carebill");
    free(url), free(schema);
    assert_int_equal(ledger_pg_split("postgresql://h/db?schema=p1", &url,
                                     &schema, &e),
                     0);
    assert_string_equal(url, "postgresql://h/db");
    assert_string_equal(schema, "p1");
    free(url), free(schema);
}

/* 2.3 names that are not plain lower-case identifiers are refused */
static void split_refused(void **state)
{
    static const char *const bad[] = {
        "postgresql://h/db?schema=Delinde", "postgresql://h/db?schema=a-b",
        "postgresql://h/db?schema=1abc",    "postgresql://h/db?schema=pg_x",
        "postgresql://h/db?schema=a\"b",    "postgresql://h/db?schema="};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *url = NULL, *schema = NULL;
        struct err e = {0};
        assert_int_equal(ledger_pg_split(bad[i], &url, &schema, &e), -1);
        assert_non_null(strstr(e.msg, "the schema must be"));
        assert_null(url);
    }
}

/* 2.4 a password is never shown; a URL without one is shown as it is */
static void shown(void **state)
{
    char *s = ledger_pg_shown("postgresql://cb:s3cret@h:5432/db?schema=p");
    assert_string_equal(s, "postgresql://cb:***@h:5432/db?schema=p");
    free(s);
    s = ledger_pg_shown("postgresql://cb@h/db");
    assert_string_equal(s, "postgresql://cb@h/db");
    free(s);
    s = ledger_pg_shown("postgresql:///db?host=/run/pg");
    assert_string_equal(s, "postgresql:///db?host=/run/pg");
    free(s);
}

/* 2.5 which locations are PostgreSQL's */
static void locations(void **state)
{
    assert_true(ledger_pg_location("postgresql://h/db"));
    assert_true(ledger_pg_location("postgres:///db"));
    assert_false(ledger_pg_location("ledger.db"));
    assert_false(ledger_pg_location("./postgresql://x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rewrite_params), cmocka_unit_test(rewrite_wide),
        cmocka_unit_test(rewrite_quotes), cmocka_unit_test(rewrite_none),
        cmocka_unit_test(split_schema),   cmocka_unit_test(split_default),
        cmocka_unit_test(split_refused),  cmocka_unit_test(shown),
        cmocka_unit_test(locations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
