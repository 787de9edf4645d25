/*
 * proc.h — naming a running carebill process so that another run can tell
 * whether it is still alive: the outbox records which sender took a
 * message, and a later run settles only the messages of senders that are
 * gone. A token is "PID:START", START being the process's start time as
 * the kernel counts it, so a recycled process id is not mistaken for the
 * old process.
 */
#ifndef CAREBILL_PROC_H
#define CAREBILL_PROC_H

/* This process's token into buf (at least 48 bytes); returns buf. */
char *proc_token(char buf[48]);

/* 1 when the process the token names is still running, 0 when it is gone
 * (or the token is not one proc_token makes). */
int proc_token_alive(const char *token);

#endif
