/*
 * bankid.h — check digits of IBANs and SEPA creditor identifiers, the one
 * home of these checks for account input, rule files, SEPA batches, EPC
 * codes and e-invoices.
 */
#ifndef CAREBILL_BANKID_H
#define CAREBILL_BANKID_H

/* 1 when iban has an IBAN's shape and its check digits hold (mod 97 == 1,
 * spaces ignored). */
int iban_valid(const char *iban);

/* 1 when cid has a SEPA creditor identifier's shape and check digits
 * (the business code is ignored). */
int creditor_id_valid(const char *cid);

#endif
