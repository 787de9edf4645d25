/*
 * taxid.h — the formats of a Dutch Chamber of Commerce (KvK) number and
 * of EU VAT numbers, checked where they are entered: `account add` for
 * an account's VAT number and `check` for the practice's kvk and
 * vat_number, so a number that would be printed wrong on every invoice
 * is refused at the door.
 */
#ifndef CAREBILL_TAXID_H
#define CAREBILL_TAXID_H

/* NULL when s is a KvK number (8 digits; spaces and dots ignored), else
 * what is wrong (a static string such as "must be 8 digits ..."). */
const char *kvk_problem(const char *s);

/* NULL when s is a Belgian enterprise number (10 digits starting with 0
 * or 1, the last two 97 minus the first eight mod 97; spaces and dots
 * ignored), else what is wrong (a static string). */
const char *enterprise_number_problem(const char *s);

/* NULL when s is a VAT number in its country's format, else what is
 * wrong (a static string). Spaces and dots are ignored; the two-letter
 * country prefix must be upper case. Checked by country: NL + 9 digits
 * + B + 2 digits; BE + 10 digits starting with 0 or 1 whose last two are
 * 97 minus the first eight mod 97; FR + a two-character key + the
 * 9-digit SIREN, a numeric key being (12 + 3 * (SIREN mod 97)) mod 97;
 * DE + 9 digits; any other prefix: two letters and 2 to 13 letters or
 * digits. */
const char *vat_number_problem(const char *s);

#endif
