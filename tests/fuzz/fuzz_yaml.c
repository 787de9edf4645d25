/*
 * fuzz_yaml.c — libFuzzer target for the rule loader. Each input is
 * written as practice.yaml into a private temporary practice directory
 * and loaded with rules_load (libdir = the source tree, so `include:` of
 * the shipped rule sets and hook look-ups behave as in production). A
 * load either returns a rule set or lists errors; either way everything
 * is freed, so LeakSanitizer sees every leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef CAREBILL_TOP
#define CAREBILL_TOP "."
#endif

static char dir[256], file[300];

static void setup(void)
{
    if (dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/carebill-fuzz-yaml.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(file, sizeof file, "%s/practice.yaml", dir);
}

static void cleanup(void)
{
    unlink(file);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int registered;
    setup();
    if (!registered) {
        atexit(cleanup);
        registered = 1;
    }
    FILE *f = fopen(file, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    const char *libdir = getenv("CAREBILL_LIBDIR");
    struct diag dg = {0};
    struct rules *r = rules_load(dir, libdir && *libdir ? libdir : CAREBILL_TOP,
                                 &dg);
    rules_free(r);
    diag_free(&dg);
    return 0;
}
