/*
 * test_rule_sets.c — the packed form in which the ledger keeps a rule set
 * (store/rule_sets.h): what the loader hashed (struct rules' hashed
 * files, the library's included files among them) packs and unpacks to
 * the same names and bytes, and a damaged text is refused, never read as
 * a shorter rule set. Runs from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "rules/rules.h"
#include "store/rule_sets.h"

static struct rules *load_physio(void)
{
    struct diag dg = {0};
    struct rules *r = rules_load("examples/physio", ".", &dg);
    if (!r)
        for (size_t i = 0; i < dg.n; i++)
            print_error("%s\n", dg.msgs[i]);
    diag_free(&dg);
    assert_non_null(r);
    return r;
}

/* The hashed files are every file that went into the hash: hashing
 * them again in order gives the rule set's hash. */
static void hashed_files_give_the_hash(void **state)
{
    (void)state;
    struct rules *r = load_physio();
    assert_true(r->n_hashed >= 3);
    int from_library = 0;
    struct sha256 h;
    sha256_init(&h);
    for (size_t i = 0; i < r->n_hashed; i++) {
        sha256_update(&h, r->hashed[i].name, strlen(r->hashed[i].name) + 1);
        sha256_update(&h, r->hashed[i].text, r->hashed[i].len);
        from_library |= !strncmp(r->hashed[i].name, "rules/", 6);
    }
    char hex[65];
    sha256_final_hex(&h, hex);
    assert_string_equal(hex, r->hash);
    assert_true(from_library); /* practice.yaml includes a library set */
    rules_free(r);
}

static void pack_unpack_round_trip(void **state)
{
    (void)state;
    struct rules *r = load_physio();
    struct err e;
    char *packed = rule_sets_pack(r, &e);
    assert_non_null(packed);
    struct rules_file *files;
    size_t n;
    assert_int_equal(rule_sets_unpack(packed, &files, &n, &e), 0);
    assert_int_equal(n, r->n_hashed);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(files[i].name, r->hashed[i].name);
        assert_int_equal(files[i].len, r->hashed[i].len);
        assert_memory_equal(files[i].text, r->hashed[i].text, files[i].len);
    }
    rule_sets_files_free(files, n);
    free(packed);
    rules_free(r);
}

static void damaged_text_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "a.yaml\n5\nabc\n",         /* shorter than its length */
        "a.yaml\n3\nabcd\n",        /* no line break after the bytes */
        "a.yaml\nx\nabc\n",         /* no length */
        "\n3\nabc\n",               /* no name */
        "a.yaml\n3\nabc\nb.yaml\n", /* a second file cut short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct rules_file *files = (struct rules_file *)1;
        size_t n = 9;
        struct err e;
        assert_int_equal(rule_sets_unpack(bad[i], &files, &n, &e), -1);
        assert_null(files);
        assert_int_equal(n, 0);
        assert_non_null(strstr(e.msg, "damaged"));
    }
    struct rules_file *files;
    size_t n;
    struct err e;
    assert_int_equal(rule_sets_unpack("a.yaml\n3\nabc\nb.lua\n0\n\n", &files,
                                      &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(files[1].name, "b.lua");
    assert_int_equal(files[1].len, 0);
    rule_sets_files_free(files, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hashed_files_give_the_hash),
        cmocka_unit_test(pack_unpack_round_trip),
        cmocka_unit_test(damaged_text_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
