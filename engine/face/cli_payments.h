/*
 * cli_payments.h — the command handlers of face/cli_payments.c (payment
 * list, undo and refund; report balances, journal and vat) and the
 * credit-balance line
 * `account show` prints.
 */
#ifndef CAREBILL_CLI_PAYMENTS_H
#define CAREBILL_CLI_PAYMENTS_H

#include "face/cli.h"

int cmd_payment_list(struct cli *c, int argc, char **argv);
int cmd_payment_undo(struct cli *c, int argc, char **argv);
int cmd_payment_refund(struct cli *c, int argc, char **argv);
int cmd_report_balances(struct cli *c, int argc, char **argv);
int cmd_report_ledger_journal(struct cli *c, int argc, char **argv);
int cmd_report_vat(struct cli *c, int argc, char **argv);

/* Print "balance:    AMOUNT in credit ..." for `account` when its credit
 * balance is not zero; nothing otherwise (nor when it cannot be read). */
void cli_print_account_balance(struct cli *c, const char *account);

#endif
