/*
 * outfile.h — writing the files carebill produces on request (`--out` of
 * sepa export, invoice pdf, invoice ubl, backup): a check that the target
 * is not the live ledger or one of its journals, compared by device and
 * inode rather than by name, and one atomic writer (a temporary file in
 * the target's directory, synced, then renamed over the target), so a
 * crash or a full disk never leaves a half-written file where a complete
 * one was expected.
 */
#ifndef CAREBILL_OUTFILE_H
#define CAREBILL_OUTFILE_H

#include <stddef.h>

#include "base/util.h"

/* 0 when writing `path` cannot touch the ledger at `ledger_path` (NULL:
 * no ledger, always 0). -1 with e ("PATH is the ledger (LEDGER), which
 * carebill never writes over; write it elsewhere") when path names the same file (st_dev and st_ino)
 * as the ledger, its -wal, -shm or -journal, through any name, link or
 * "..", or, for a journal that does not exist at the moment, the same
 * name in the same directory (compared by the directory's inode). */
int out_file_check(const char *path, const char *ledger_path, struct err *e);

/* Write len bytes of data to path atomically: into a new temporary file
 * beside it (PATH.XXXXXX, mode 0666 less the umask), fsync, rename over
 * path. On any failure the temporary file is removed, path is left as it
 * was, and -1 is returned with e naming the file and the reason. */
int out_file_write(const char *path, const void *data, size_t len,
                   struct err *e);

/* The temporary name out_file_write would use, for writers that produce
 * the file themselves (a SQLite backup): a new, empty, closed file
 * PATH.XXXXXX created with mkstemp, or NULL with e. Caller frees it and
 * renames it with out_file_commit (or unlinks it). */
char *out_file_temp(const char *path, struct err *e);

/* Sync the finished temporary file tmp and rename it over path; on
 * failure unlinks tmp and returns -1 with e. */
int out_file_commit(const char *tmp, const char *path, struct err *e);

#endif
