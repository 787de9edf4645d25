/*
 * cli_worker.h — the host commands of face/cli_worker.c: the ledger as
 * text, moving a ledger between engines, the practice registry and the
 * workers.
 */
#ifndef CAREBILL_CLI_WORKER_H
#define CAREBILL_CLI_WORKER_H

#include "face/cli.h"

int cmd_ledger_dump(struct cli *c, int argc, char **argv);
int cmd_migrate_ledger(struct cli *c, int argc, char **argv);
int cmd_worker(struct cli *c, int argc, char **argv);
int cmd_registry_add(struct cli *c, int argc, char **argv);
int cmd_registry_list(struct cli *c, int argc, char **argv);
int cmd_registry_remove(struct cli *c, int argc, char **argv);

#endif
