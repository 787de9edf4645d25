/*
 * reference.h — the check-digit arithmetic of the two structured payment
 * references carebill prints besides the Dutch betalingskenmerk
 * (decide/invoice.h): the ISO 11649 creditor reference ("RF" + 2 check
 * digits + up to 21 letters and digits, mod 97 as an IBAN), the
 * cross-border form, and the Belgian structured communication
 * (+++123/4567/89012+++: 10 digits and their remainder mod 97). Both are
 * made, validated and printed here, and derived from an invoice number
 * the one way every caller shares (its digits, in order). Pure: no I/O.
 */
#ifndef CAREBILL_REFERENCE_H
#define CAREBILL_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#define RF_MAX_BODY 21 /* letters and digits after "RFcc" */
#define RF_SIZE 26     /* "RF" + 2 + 21 + NUL */
#define RF_PRETTY_SIZE 32
#define OGM_SIZE 21    /* "+++ddd/dddd/ddddd+++" + NUL */

/* The creditor reference for body (1..21 ASCII letters and digits, any
 * case): "RF", the two check digits and body in upper case, no spaces,
 * into out. Returns 0, or -1 (out "") when body is empty, longer than 21
 * or holds another character. */
int rf_reference(const char *body, char out[RF_SIZE]);

/* 1 when s is a valid creditor reference: "RF", two digits, 1..21
 * letters and digits, the whole mod 97 == 1 once the first four
 * characters are moved to the end; spaces are ignored and letters may be
 * lower case. 0 otherwise (also for NULL). */
int rf_reference_valid(const char *s);

/* The printed form of a creditor reference: spaces removed, upper case,
 * in groups of four ("RF18 5390 0754 7034"). Returns out. */
char *rf_reference_pretty(const char *rf, char out[RF_PRETTY_SIZE]);

/* The Belgian structured communication for base (taken mod 10^10):
 * "+++", the 10 digits with the 2-digit check (base mod 97, 97 when 0)
 * grouped 3/4/5, "+++". Returns out. */
char *ogm_reference(uint64_t base, char out[OGM_SIZE]);

/* 1 when s is a valid structured communication: 12 digits whose last two
 * are the first ten mod 97 (97 when 0), written bare or as
 * +++ddd/dddd/ddddd+++ (or with *** delimiters); spaces are ignored. 0
 * otherwise. When valid and digits is not NULL, the 12 digits are copied
 * there (13 bytes). */
int ogm_reference_valid(const char *s, char *digits);

/* The digits of s in order, the last `max` of them when there are more,
 * into out (max + 1 bytes). Returns how many were written. */
size_t reference_digits(const char *s, size_t max, char *out);

/* The references of invoice `number`, derived from its digits (as the
 * Dutch payment reference is): the creditor reference of its last 21
 * digits, and the structured communication of its last 10 digits as a
 * number. Each returns 0, or -1 (out "") when number has no digit. */
int rf_reference_of_number(const char *number, char out[RF_SIZE]);
int ogm_reference_of_number(const char *number, char out[OGM_SIZE]);

/* The structured reference to use when the ledger holds `taken` (a
 * Belgian structured communication or an RF reference, as stored)
 * already, chosen where references made from invoice numbers' digits do
 * not go, so later invoices keep theirs: the communication of base
 * 9 x 10^9 + (base mod 10^9) (a number's last ten digits start with 9
 * only in a format of ten or more digits that far on), the RF reference
 * of "X" and the body's digits (a derived body has no letter); given one
 * of those again it counts on (the base by one; the body's trailing digits). 0, or -1
 * (out "") when taken is neither or has no room left. out is RF_SIZE
 * bytes at least. */
#define OGM_MOVED 9000000000ULL
int reference_next(const char *taken, char *out, size_t outsz);

/* The 15-digit base of the Dutch payment reference of invoice `number`:
 * its last 15 digits as a number. A number of a series of its own beside
 * the invoice series (own_series = 1: credit notes with their own
 * credit_note_number_format) has the same digits as an invoice
 * ("CN2026-00004", "2026-00004"), so its base is 9 followed by its last
 * 14 digits instead: an invoice number reaches that only with 15 digits
 * of its own, and no two references of one ledger are then the same. */
uint64_t reference_base_of_number(const char *number, int own_series);

#endif
