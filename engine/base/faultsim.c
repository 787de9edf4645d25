/*
 * faultsim.c — the counter behind fault injection (base/faultsim.h): one
 * call count per fault point, the fault CAREBILL_FAULT asked for, and the
 * line reported at exit. Test harness only: everything here is compiled
 * out of a build without -DCAREBILL_FAULTSIM, and it keeps its state in
 * file-static variables because the fault points (SQLite's allocator and
 * VFS, the Lua allocator) have no carebill context to carry it.
 */
#include "base/faultsim.h"

#ifdef CAREBILL_FAULTSIM

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[FAULT_KINDS] = {"malloc", "io", "lua"};

static struct {
    int ready;            /* faultsim_setup has run */
    int active;           /* CAREBILL_FAULT was set */
    int kind;             /* the kind to fail, -1 for none (count only) */
    long long at;         /* the call number that fails first */
    int once;             /* only that call fails */
    long long calls[FAULT_KINDS];
    long long fired;      /* calls that were made to fail */
    const char *first_site;
} fs = {.kind = -1};

static void report(void)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "carebill faultsim: calls malloc=%lld "
                                      "io=%lld lua=%lld",
                     fs.calls[FAULT_MALLOC], fs.calls[FAULT_IO],
                     fs.calls[FAULT_LUA]);
    if (fs.kind >= 0 && n > 0 && (size_t)n < sizeof buf) {
        if (fs.fired)
            snprintf(buf + n, sizeof buf - (size_t)n,
                     "; %s fault %lld%s fired at %s, %lld time%s",
                     kind_names[fs.kind], fs.at, fs.once ? " (once)" : "",
                     fs.first_site, fs.fired, fs.fired == 1 ? "" : "s");
        else
            snprintf(buf + n, sizeof buf - (size_t)n,
                     "; %s fault %lld%s not reached", kind_names[fs.kind],
                     fs.at, fs.once ? " (once)" : "");
    }
    fprintf(stderr, "%s\n", buf);
}

static void bad_spec(const char *spec)
{
    fprintf(stderr, "carebill: CAREBILL_FAULT='%s': expected KIND:N or "
                    "KIND:N:once (KIND malloc, io or lua; N from 1) or "
                    "count\n", spec);
    exit(2);
}

void faultsim_setup(void)
{
    if (fs.ready)
        return;
    fs.ready = 1;
    const char *spec = getenv("CAREBILL_FAULT");
    if (!spec || !*spec)
        return;
    fs.active = 1;
    if (strcmp(spec, "count") != 0) {
        const char *colon = strchr(spec, ':');
        if (!colon)
            bad_spec(spec);
        size_t len = (size_t)(colon - spec);
        for (int k = 0; k < FAULT_KINDS; k++)
            if (strlen(kind_names[k]) == len &&
                strncmp(spec, kind_names[k], len) == 0)
                fs.kind = k;
        if (fs.kind < 0)
            bad_spec(spec);
        char *end;
        errno = 0;
        fs.at = strtoll(colon + 1, &end, 10);
        if (errno || end == colon + 1 || fs.at < 1)
            bad_spec(spec);
        if (strcmp(end, ":once") == 0)
            fs.once = 1;
        else if (*end)
            bad_spec(spec);
    }
    atexit(report);
}

int faultsim_hit(enum fault_kind kind, const char *site)
{
    long long n = ++fs.calls[kind];
    if ((int)kind != fs.kind || n < fs.at || (fs.once && n > fs.at))
        return 0;
    if (!fs.fired)
        fs.first_site = site;
    fs.fired++;
    return 1;
}

#else

/* A translation unit must declare something. */
typedef int faultsim_compiled_out;

#endif /* CAREBILL_FAULTSIM */
