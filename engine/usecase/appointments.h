/*
 * appointments.h — booking and cancelling appointments (seed 001). A type
 * linked to a package consumes its credits (usecase/credits.h, oldest
 * grant first); without enough credits the practice's short_credit
 * refuses the booking or invoices the appointment at its own price, as a
 * type without a package is. Cancelling gives the credits back and
 * credits what is left of the appointment's invoice.
 */
#ifndef CAREBILL_APPOINTMENTS_H
#define CAREBILL_APPOINTMENTS_H

#include <stdint.h>

#include "base/util.h"
#include "usecase/engine.h"

/* What a booking did. Strings are malloc'd; booking_free releases them. */
struct booking {
    char *id;        /* the appointment id, given or generated ("a-N") */
    int64_t credits; /* credits consumed (0 when invoiced) */
    char *invoice;   /* number of the appointment's invoice, or NULL */
};
void booking_free(struct booking *b);

/* Book an appointment of `type` for `account` on day `at`, recorded on
 * `today`. A type linked to a package consumes its credits from the
 * account's grants, oldest first (granted_on, then id), across grants when
 * needed. Without enough credits the practice's short_credit decides:
 * refuse (-1, nothing written), or invoice the appointment at its own
 * price without consuming any credit. A type without a package is invoiced
 * at its price (no invoice when that is 0). `id` NULL generates one; a
 * given id must be a slug not used before. Deactivated types are refused;
 * the remaining credits of a deactivated package can still be used. */
int appointment_book(struct engine *eng,
                     const char *account, const char *type, cdate at,
                     const char *id, cdate today, struct booking *out,
                     struct err *e);

/* Cancel appointment `id` on `today`: its credits go back to the grants
 * they came from, its journal entries are reversed, and an invoice it
 * caused is credited for what is left of it (*credit_note receives the
 * credit note's number, malloc'd, or NULL). An appointment is cancelled
 * once; a second cancellation is refused. */
int appointment_cancel(struct engine *eng,
                       const char *id, cdate today, char **credit_note,
                       struct err *e);

#endif
