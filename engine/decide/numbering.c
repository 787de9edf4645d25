/*
 * numbering.c — numbers follow dates: the decision of
 * decide/numbering.h, on plain dates.
 */
#include "decide/numbering.h"

int numbering_date_ok(cdate last_issued, cdate date)
{
    return last_issued == CDATE_NONE || date >= last_issued;
}
