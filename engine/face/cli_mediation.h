/*
 * cli_mediation.h — the mediation agency's command handlers
 * (face/cli_mediation.c) main.c dispatches to. Each takes the arguments
 * after its command words and returns an exit code (-1 after --help).
 */
#ifndef CAREBILL_CLI_MEDIATION_H
#define CAREBILL_CLI_MEDIATION_H

#include "face/cli.h"

int cmd_hours_add(struct cli *c, int argc, char **argv);
int cmd_hours_remove(struct cli *c, int argc, char **argv);
int cmd_hours_submit(struct cli *c, int argc, char **argv);
int cmd_hours_approve(struct cli *c, int argc, char **argv);
int cmd_hours_reject(struct cli *c, int argc, char **argv);
int cmd_report_hours(struct cli *c, int argc, char **argv);
int cmd_account_mediation(struct cli *c, int argc, char **argv);
int cmd_payout_export(struct cli *c, int argc, char **argv);
int cmd_report_payouts(struct cli *c, int argc, char **argv);

#endif
