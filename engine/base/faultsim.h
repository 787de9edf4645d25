/*
 * faultsim.h — fault injection for the test harness, in the manner of
 * SQLite's do_faultsim_test. Compiled only into a build made with
 * -DCAREBILL_FAULTSIM (`make faultsim-build`); a production build
 * declares and contains none of it.
 *
 * In that build the environment variable CAREBILL_FAULT selects one fault:
 *
 *   KIND:N          the N-th call of fault point KIND fails, and every
 *                   later call of it fails too (persistent)
 *   KIND:N:once     only the N-th call fails (transient)
 *   count           nothing fails; the calls are only counted
 *
 * KIND is `malloc` (SQLite's allocator), `io` (SQLite's VFS: open, read,
 * write, sync, truncate, size, lock, shared memory ...) or `lua` (a
 * request of the Lua allocator that grows memory). N counts from 1. When
 * CAREBILL_FAULT is set, the process writes one line to stderr at exit,
 * starting "carebill faultsim:", with the calls made per kind and whether
 * the fault fired ("fired at xWrite, 3 times") or was "not reached".
 * A malformed CAREBILL_FAULT exits with status 2 at start.
 */
#ifndef CAREBILL_FAULTSIM_H
#define CAREBILL_FAULTSIM_H

#ifdef CAREBILL_FAULTSIM

/* The fault points. */
enum fault_kind { FAULT_MALLOC, FAULT_IO, FAULT_LUA, FAULT_KINDS };

/* Read CAREBILL_FAULT (once; later calls do nothing) and arrange the exit
 * report. Exits with status 2 and a message when it is malformed. */
void faultsim_setup(void);

/* Count one call of fault point `kind` made by `site` (a static string
 * naming the method, kept for the report). Returns 1 when that call must
 * fail, 0 otherwise. */
int faultsim_hit(enum fault_kind kind, const char *site);

/* faultsim_setup, then install the SQLite allocator wrapper and the VFS
 * shim (defined in ledger/sqlite_faultsim.c). Call once, first thing in
 * main, before anything opens a ledger. */
void faultsim_install(void);

#endif /* CAREBILL_FAULTSIM */

#endif
