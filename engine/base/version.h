/*
 * version.h — carebill's release number, the one place it is written
 * (`carebill --version` prints it beside the ledger schema it knows).
 */
#ifndef CAREBILL_VERSION_H
#define CAREBILL_VERSION_H

#define CAREBILL_VERSION "0.16.0"

#endif
