/*
 * test_outfile.c — base/outfile.c and base/proc.c: the live ledger and
 * its journals are refused as an output whatever the name (the same
 * file, a hard link, a symbolic link, a journal not there yet), other
 * files are not; the atomic writer replaces a file whole and leaves no
 * temporary file, and leaves the target alone when it cannot write;
 * process tokens tell a running process from one that is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/proc.h"
#include "base/util.h"

static char *in_dir(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* How many entries dir holds (without . and ..). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *de; (de = readdir(d));)
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

static void rm_rf(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* 1.1 The ledger, a hard link to it, a symbolic link, "dir/../ledger",
 * its -wal (there) and -shm (not there yet) are refused with a message
 * naming the ledger; another file, or any file without a ledger, is not. */
static void check_1_1_ledger_refused(void **state)
{
    char tmpl[] = "/tmp/carebill-outfile.XXXXXX";
    char *dir = mkdtemp(tmpl);
    char *lg = in_dir(dir, "ledger.db"), *wal = in_dir(dir, "ledger.db-wal");
    char *hard = in_dir(dir, "hard.db"), *soft = in_dir(dir, "soft.db");
    char *shm = in_dir(dir, "ledger.db-shm"), *other = in_dir(dir, "x.pdf");
    char *dotdot = xasprintf("%s/../%s/ledger.db", dir, strrchr(dir, '/') + 1);
    struct err e;
    put(lg, "ledger");
    put(wal, "wal");
    assert_int_equal(link(lg, hard), 0);
    assert_int_equal(symlink(lg, soft), 0);
    const char *bad[] = {lg, hard, soft, dotdot, wal, shm};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(out_file_check(bad[i], lg, &e), -1);
        assert_non_null(strstr(e.msg, "is the ledger"));
    }
    assert_int_equal(out_file_check(other, lg, &e), 0);
    put(other, "x");
    assert_int_equal(out_file_check(other, lg, &e), 0);
    assert_int_equal(out_file_check(lg, NULL, &e), 0);
    free(lg), free(wal), free(hard), free(soft), free(shm), free(other);
    free(dotdot);
    rm_rf(dir);
}

/* 1.2 The atomic writer replaces the file whole and leaves nothing
 * beside it; writing into a directory that does not exist fails with the
 * reason and creates nothing. */
static void write_1_2_atomic(void **state)
{
    char tmpl[] = "/tmp/carebill-outfile.XXXXXX";
    char *dir = mkdtemp(tmpl);
    char *p = in_dir(dir, "out.xml"), *bad = in_dir(dir, "no/such/out.xml");
    struct err e;
    put(p, "old contents, longer than the new");
    assert_int_equal(out_file_write(p, "new", 3, &e), 0);
    size_t len;
    char *got = file_read(p, &len, &e);
    assert_string_equal(got, "new");
    free(got);
    assert_int_equal(entries(dir), 1);
    assert_int_equal(out_file_write(bad, "x", 1, &e), -1);
    assert_non_null(strstr(e.msg, "No such file or directory"));
    assert_int_equal(entries(dir), 1);
    free(p), free(bad);
    rm_rf(dir);
}

/* 1.3 This process's token is alive; a child that has exited and been
 * reaped is not; text that is no token is not. */
static void proc_1_3_tokens(void **state)
{
    char mine[48];
    proc_token(mine);
    assert_int_equal(proc_token_alive(mine), 1);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    char *gone = xasprintf("%ld:%s", (long)pid, strchr(mine, ':') + 1);
    assert_int_equal(proc_token_alive(gone), 0);
    free(gone);
    assert_int_equal(proc_token_alive("garbage"), 0);
    assert_int_equal(proc_token_alive(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_1_1_ledger_refused),
        cmocka_unit_test(write_1_2_atomic),
        cmocka_unit_test(proc_1_3_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
