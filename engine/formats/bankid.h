/*
 * bankid.h — the identifiers SEPA payments carry, checked in one place for
 * account input, rule files, SEPA batches, EPC codes and e-invoices: the
 * IBAN (ISO 13616: the country's registered length and BBAN format, and
 * mod-97 check digits), the BIC (ISO 9362 shape), the SEPA creditor
 * identifier and the SEPA identifiers (mandate, end-to-end and message
 * ids) in the EPC character set.
 */
#ifndef CAREBILL_BANKID_H
#define CAREBILL_BANKID_H

/* Why iban is not a usable IBAN, or NULL when it is. Spaces are ignored
 * and letters may be lower case. The country must be in the IBAN registry
 * (every SEPA country and the other registered ones), the length the
 * country's, the BBAN of the country's format where the registry gives one
 * (digits, letters, alphanumerics in their places), and the check digits
 * must hold (mod 97 == 1). The text returned is static. */
const char *iban_problem(const char *iban);

/* The registered IBAN length of iban's country (its first two
 * characters other than spaces), or 0 when the country has none. */
int iban_country_length(const char *iban);

/* 1 when iban_problem(iban) is NULL. */
int iban_valid(const char *iban);

/* Why bic is not a BIC of ISO 9362 shape, or NULL: 8 or 11 characters
 * (spaces ignored, letters of any case), 4 letters of the bank, 2 letters
 * of the country, 2 of the location (first not 0 or 1, second not 'O'),
 * an optional 3-character branch. Static text. */
const char *bic_problem(const char *bic);

/* 1 when bic_problem(bic) is NULL. */
int bic_valid(const char *bic);

/* 1 when cid has a SEPA creditor identifier's shape and check digits
 * (the business code is ignored). */
int creditor_id_valid(const char *cid);

/* Why s is unusable as a SEPA identifier (mandate id, end-to-end id,
 * message id), or NULL: 1 to 35 characters of the EPC set
 * (a-z A-Z 0-9 / - ? : ( ) . , ' + space), not starting or ending with
 * '/' or a space, no "//". Static text. */
const char *sepa_id_problem(const char *s);

#endif
