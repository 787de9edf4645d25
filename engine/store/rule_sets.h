/*
 * rule_sets.h — the rule sets invoices were issued under, kept in the
 * ledger (table rule_sets): each under its hash (invoices.rules_hash),
 * with the files that hash covers as the rules loader read them
 * (struct rules' hashed files), packed into one text. A message queued
 * without its text is rendered later by its invoice's rule set, never by
 * files changed since (usecase/outbox.h). Every function works inside the
 * caller's transaction.
 */
#ifndef CAREBILL_STORE_RULE_SETS_H
#define CAREBILL_STORE_RULE_SETS_H

#include <stddef.h>

#include "ledger/ledger.h"
#include "rules/rules.h"

/* Store rule set r unless the ledger holds its hash already (one probe).
 * 0, or -1 with e filled. */
int rule_sets_ensure(struct ledger *lg, const struct rules *r, struct err *e);

/* The packed files of rule set `hash` into *packed (malloc'd): 0, 1 when
 * the ledger does not hold it ("rule set H is not in the ledger"), -1 on
 * a ledger error. */
int rule_sets_get(struct ledger *lg, const char *hash, char **packed,
                  struct err *e);

/* r's hashed files as one text: for each file "NAME\nLENGTH\n" then its
 * LENGTH bytes and "\n". NULL (e filled) when a name cannot be packed. */
char *rule_sets_pack(const struct rules *r, struct err *e);

/* The files of a packed text into *files[0..*n) (malloc'd, each name and
 * text too; rule_sets_files_free). -1 with e filled when it is damaged. */
int rule_sets_unpack(const char *packed, struct rules_file **files,
                     size_t *n, struct err *e);
void rule_sets_files_free(struct rules_file *files, size_t n);

#endif
