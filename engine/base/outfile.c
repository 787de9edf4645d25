/*
 * outfile.c — the one way carebill writes a requested output file: refuse
 * the live ledger (by inode), write a temporary file beside the target,
 * sync it and rename it into place. See outfile.h.
 */
#define _GNU_SOURCE
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory part of path (malloc'd; "." for a bare name). */
static char *dir_of(const char *path)
{
    char *copy = xstrdup(path);
    char *d = xstrdup(dirname(copy));
    free(copy);
    return d;
}

/* The last component of path (malloc'd). */
static char *base_of(const char *path)
{
    char *copy = xstrdup(path);
    char *b = xstrdup(basename(copy));
    free(copy);
    return b;
}

static int same_inode(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int out_file_check(const char *path, const char *ledger_path, struct err *e)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    if (!ledger_path || !path)
        return 0;
    struct stat o, l, od, ld;
    int out_exists = stat(path, &o) == 0;
    char *odir = dir_of(path), *obase = base_of(path);
    char *ldir = dir_of(ledger_path), *lbase = base_of(ledger_path);
    int same_dir = stat(odir, &od) == 0 && stat(ldir, &ld) == 0 &&
                   same_inode(&od, &ld);
    int rc = 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes && !rc; i++) {
        char *p = xasprintf("%s%s", ledger_path, suffixes[i]);
        char *name = xasprintf("%s%s", lbase, suffixes[i]);
        int hit = out_exists && stat(p, &l) == 0 && same_inode(&o, &l);
        /* A journal that comes and goes: the same name in the same
         * directory (an -wal written now would be replayed later). */
        if (!hit && same_dir && strcmp(obase, name) == 0)
            hit = 1;
        if (hit)
            rc = err_set(e, "%s is the ledger%s (%s), which carebill never "
                            "writes over; write it elsewhere",
                         path, *suffixes[i] ? "'s journal" : "", p);
        free(p);
        free(name);
    }
    free(odir), free(obase), free(ldir), free(lbase);
    return rc;
}

char *out_file_temp(const char *path, struct err *e)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err_set(e, "%s: cannot create a temporary file beside it: %s", path,
                strerror(errno));
        free(tmp);
        return NULL;
    }
    /* mkstemp gives 0600; an output file gets the usual 0666 & ~umask. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || close(fd) != 0) {
        err_set(e, "%s: %s", tmp, strerror(errno));
        unlink(tmp);
        free(tmp);
        return NULL;
    }
    return tmp;
}

int out_file_commit(const char *tmp, const char *path, struct err *e)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    int rc = 0;
    if (fd < 0 || fsync(fd) != 0)
        rc = err_set(e, "%s: %s", tmp, strerror(errno));
    if (fd >= 0)
        close(fd);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = err_set(e, "%s: %s", path, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    return rc;
}

int out_file_write(const char *path, const void *data, size_t len,
                   struct err *e)
{
    char *tmp = out_file_temp(path, e);
    if (!tmp)
        return -1;
    int fd = open(tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
    int rc = fd < 0 ? err_set(e, "%s: %s", tmp, strerror(errno)) : 0;
    const char *p = data;
    while (rc == 0 && len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = err_set(e, "%s: %s", tmp,
                         w < 0 ? strerror(errno) : "short write");
            break;
        }
        p += w;
        len -= (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0 && rc == 0)
        rc = err_set(e, "%s: %s", tmp, strerror(errno));
    if (rc == 0)
        rc = out_file_commit(tmp, path, e);
    else
        unlink(tmp);
    free(tmp);
    return rc;
}
