/*
 * cli_cmds.h — the command handlers main.c dispatches to, one file per
 * area: cli_billing.c (ledger, subscriptions, invoices, tick, reports),
 * cli_credits.c (packages and appointments), cli_delivery.c (outbox,
 * SEPA, bank statements). Each takes the arguments after its command
 * words and returns an exit code (-1 after --help).
 */
#ifndef CAREBILL_CLI_CMDS_H
#define CAREBILL_CLI_CMDS_H

#include "face/cli.h"

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_rules(struct cli *c, int argc, char **argv);
int cmd_account_add(struct cli *c, int argc, char **argv); /* cli_accounts.c */
int cmd_account_list(struct cli *c, int argc, char **argv);
int cmd_account_show(struct cli *c, int argc, char **argv);
int cmd_account_update(struct cli *c, int argc, char **argv);
int cmd_account_deactivate(struct cli *c, int argc, char **argv);
int cmd_subscription_start(struct cli *c, int argc, char **argv);
int cmd_subscription_pause(struct cli *c, int argc, char **argv);
int cmd_subscription_resume(struct cli *c, int argc, char **argv);
int cmd_subscription_stop(struct cli *c, int argc, char **argv);
int cmd_price_schedule(struct cli *c, int argc, char **argv);
int cmd_price_cancel(struct cli *c, int argc, char **argv);
int cmd_invoice_credit(struct cli *c, int argc, char **argv);
int cmd_invoice_pdf(struct cli *c, int argc, char **argv);
int cmd_explain(struct cli *c, int argc, char **argv);
int cmd_payment_register(struct cli *c, int argc, char **argv);
int cmd_tick(struct cli *c, int argc, char **argv);
int cmd_simulate(struct cli *c, int argc, char **argv);
int cmd_report_subscriptions(struct cli *c, int argc, char **argv);
int cmd_report_invoices(struct cli *c, int argc, char **argv);
int cmd_report_outbox(struct cli *c, int argc, char **argv);
int cmd_report_runs(struct cli *c, int argc, char **argv);
int cmd_outbox_cancel(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_outbox_send(struct cli *c, int argc, char **argv);
int cmd_outbox_retry(struct cli *c, int argc, char **argv);
int cmd_outbox_show(struct cli *c, int argc, char **argv);
int cmd_sepa_export(struct cli *c, int argc, char **argv);
int cmd_bank_import(struct cli *c, int argc, char **argv);

#endif
