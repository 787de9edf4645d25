/*
 * sqlite_faultsim.c — the SQLite fault points of the fault-injection build
 * (base/faultsim.h): an allocator that wraps SQLite's default one and a
 * VFS shim, registered as the default, that wraps the real default VFS and
 * its files. Each counts its calls through faultsim_hit and, when told,
 * fails the call the way the system would: the allocator returns NULL,
 * the VFS returns SQLITE_FULL for a write and SQLITE_IOERR_* (or
 * SQLITE_CANTOPEN) for everything else, without doing the operation.
 * As in SQLite's own I/O-error tests, only what a system can refuse is
 * failed: opening, reading, writing, syncing, truncating, sizing,
 * deleting, probing, mapping shared memory and taking a lock. Releasing
 * a lock (SQLite ignores the result, and the lock would stay held behind
 * its back), closing, file controls, sector size, barriers and unmapping
 * always go through. The only file besides ledger/sqlite.c that calls
 * SQLite; compiled out of a build without -DCAREBILL_FAULTSIM.
 */
#include "base/faultsim.h"

#ifdef CAREBILL_FAULTSIM

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ========================================================== allocator */

static sqlite3_mem_methods real_mem;

static void *fs_malloc(int n)
{
    if (faultsim_hit(FAULT_MALLOC, "sqlite3 xMalloc"))
        return NULL;
    return real_mem.xMalloc(n);
}

static void *fs_realloc(void *p, int n)
{
    if (faultsim_hit(FAULT_MALLOC, "sqlite3 xRealloc"))
        return NULL;
    return real_mem.xRealloc(p, n);
}

static void fs_free(void *p)
{
    real_mem.xFree(p);
}

static int fs_size(void *p)
{
    return real_mem.xSize(p);
}

static int fs_roundup(int n)
{
    return real_mem.xRoundup(n);
}

static int fs_mem_init(void *app)
{
    (void)app;
    return real_mem.xInit(real_mem.pAppData);
}

static void fs_mem_shutdown(void *app)
{
    (void)app;
    real_mem.xShutdown(real_mem.pAppData);
}

/* ================================================================ files */

/* A file of the shim: the real file's memory follows it. */
struct fs_file {
    sqlite3_file base;
    sqlite3_file *real;
};

#define REAL(f) (((struct fs_file *)(f))->real)
#define FAIL(site) faultsim_hit(FAULT_IO, site)

static int fs_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int fs_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    if (FAIL("xRead"))
        return SQLITE_IOERR_READ;
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int fs_write(sqlite3_file *f, const void *buf, int n,
                    sqlite3_int64 off)
{
    if (FAIL("xWrite"))
        return SQLITE_FULL;
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int fs_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (FAIL("xTruncate"))
        return SQLITE_IOERR_TRUNCATE;
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int fs_sync(sqlite3_file *f, int flags)
{
    if (FAIL("xSync"))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int fs_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    if (FAIL("xFileSize"))
        return SQLITE_IOERR_FSTAT;
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int fs_lock(sqlite3_file *f, int level)
{
    if (FAIL("xLock"))
        return SQLITE_IOERR_LOCK;
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int fs_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int fs_check_reserved(sqlite3_file *f, int *out)
{
    if (FAIL("xCheckReservedLock"))
        return SQLITE_IOERR_CHECKRESERVEDLOCK;
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int fs_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int fs_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int fs_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int fs_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
                      void volatile **pp)
{
    if (FAIL("xShmMap")) {
        *pp = NULL;
        return SQLITE_IOERR_SHMMAP;
    }
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int fs_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    if ((flags & SQLITE_SHM_LOCK) && FAIL("xShmLock"))
        return SQLITE_IOERR_SHMLOCK;
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void fs_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int fs_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int fs_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int fs_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

/* The file methods, one table per version the real file may have (a
 * version says which of the trailing methods exist). */
#define FS_METHODS(v)                                                      \
    {v, fs_close, fs_read, fs_write, fs_truncate, fs_sync, fs_file_size,  \
     fs_lock, fs_unlock, fs_check_reserved, fs_file_control,              \
     fs_sector_size, fs_device, fs_shm_map, fs_shm_lock, fs_shm_barrier,  \
     fs_shm_unmap, fs_fetch, fs_unfetch}
static const sqlite3_io_methods fs_methods[3] = {
    FS_METHODS(1), FS_METHODS(2), FS_METHODS(3)};

/* ================================================================== vfs */

#define ROOT(v) ((sqlite3_vfs *)(v)->pAppData)

static int fs_open(sqlite3_vfs *v, const char *name, sqlite3_file *f,
                   int flags, int *out_flags)
{
    struct fs_file *ff = (struct fs_file *)f;
    ff->base.pMethods = NULL;
    ff->real = (sqlite3_file *)(ff + 1);
    if (FAIL("xOpen"))
        return SQLITE_CANTOPEN;
    int rc = ROOT(v)->xOpen(ROOT(v), name, ff->real, flags, out_flags);
    const sqlite3_io_methods *m = ff->real->pMethods;
    if (m) {
        int ver = m->iVersion < 1 ? 1 : m->iVersion > 3 ? 3 : m->iVersion;
        ff->base.pMethods = &fs_methods[ver - 1];
    }
    return rc;
}

static int fs_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    if (FAIL("xDelete"))
        return SQLITE_IOERR_DELETE;
    return ROOT(v)->xDelete(ROOT(v), name, sync_dir);
}

static int fs_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    if (FAIL("xAccess"))
        return SQLITE_IOERR_ACCESS;
    return ROOT(v)->xAccess(ROOT(v), name, flags, out);
}

static int fs_full_pathname(sqlite3_vfs *v, const char *name, int n,
                            char *out)
{
    return ROOT(v)->xFullPathname(ROOT(v), name, n, out);
}

static void *fs_dlopen(sqlite3_vfs *v, const char *name)
{
    return ROOT(v)->xDlOpen(ROOT(v), name);
}

static void fs_dlerror(sqlite3_vfs *v, int n, char *msg)
{
    ROOT(v)->xDlError(ROOT(v), n, msg);
}

static void (*fs_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    return ROOT(v)->xDlSym(ROOT(v), h, sym);
}

static void fs_dlclose(sqlite3_vfs *v, void *h)
{
    ROOT(v)->xDlClose(ROOT(v), h);
}

static int fs_randomness(sqlite3_vfs *v, int n, char *out)
{
    return ROOT(v)->xRandomness(ROOT(v), n, out);
}

static int fs_sleep(sqlite3_vfs *v, int us)
{
    return ROOT(v)->xSleep(ROOT(v), us);
}

static int fs_current_time(sqlite3_vfs *v, double *t)
{
    return ROOT(v)->xCurrentTime(ROOT(v), t);
}

static int fs_get_last_error(sqlite3_vfs *v, int n, char *msg)
{
    return ROOT(v)->xGetLastError ? ROOT(v)->xGetLastError(ROOT(v), n, msg)
                                  : 0;
}

static int fs_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
    return ROOT(v)->xCurrentTimeInt64(ROOT(v), t);
}

static int fs_set_syscall(sqlite3_vfs *v, const char *name,
                          sqlite3_syscall_ptr p)
{
    return ROOT(v)->xSetSystemCall(ROOT(v), name, p);
}

static sqlite3_syscall_ptr fs_get_syscall(sqlite3_vfs *v, const char *name)
{
    return ROOT(v)->xGetSystemCall(ROOT(v), name);
}

static const char *fs_next_syscall(sqlite3_vfs *v, const char *name)
{
    return ROOT(v)->xNextSystemCall(ROOT(v), name);
}

static sqlite3_vfs fs_vfs = {
    .zName = "carebill-faultsim",
    .xOpen = fs_open,
    .xDelete = fs_delete,
    .xAccess = fs_access,
    .xFullPathname = fs_full_pathname,
    .xDlOpen = fs_dlopen,
    .xDlError = fs_dlerror,
    .xDlSym = fs_dlsym,
    .xDlClose = fs_dlclose,
    .xRandomness = fs_randomness,
    .xSleep = fs_sleep,
    .xCurrentTime = fs_current_time,
    .xGetLastError = fs_get_last_error,
    .xCurrentTimeInt64 = fs_current_time64,
    .xSetSystemCall = fs_set_syscall,
    .xGetSystemCall = fs_get_syscall,
    .xNextSystemCall = fs_next_syscall,
};

/* ============================================================== install */

static void die(const char *what, int rc)
{
    fprintf(stderr, "carebill faultsim: %s failed (%d)\n", what, rc);
    exit(2);
}

void faultsim_install(void)
{
    faultsim_setup();
    int rc = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem);
    if (rc != SQLITE_OK)
        die("SQLITE_CONFIG_GETMALLOC", rc);
    static const sqlite3_mem_methods wrapped = {
        fs_malloc, fs_free, fs_realloc, fs_size, fs_roundup, fs_mem_init,
        fs_mem_shutdown, NULL};
    rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped);
    if (rc != SQLITE_OK)
        die("SQLITE_CONFIG_MALLOC", rc);
    /* Initialising allocates (mutexes, the page cache): those calls are
     * counted, and a fault among them fails the first open. Finding the
     * real VFS needs it done, so a failure here is reported and left for
     * the open to meet again. */
    rc = sqlite3_initialize();
    if (rc != SQLITE_OK)
        return;
    sqlite3_vfs *root = sqlite3_vfs_find(NULL);
    if (!root)
        die("sqlite3_vfs_find", SQLITE_ERROR);
    fs_vfs.iVersion = root->iVersion < 3 ? root->iVersion : 3;
    fs_vfs.szOsFile = (int)sizeof(struct fs_file) + root->szOsFile;
    fs_vfs.mxPathname = root->mxPathname;
    fs_vfs.pAppData = root;
    rc = sqlite3_vfs_register(&fs_vfs, 1);
    if (rc != SQLITE_OK)
        die("sqlite3_vfs_register", rc);
}

#else

/* A translation unit must declare something. */
typedef int sqlite_faultsim_compiled_out;

#endif /* CAREBILL_FAULTSIM */
