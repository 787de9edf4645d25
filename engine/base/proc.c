/*
 * proc.c — process tokens (see proc.h): the process id and its start time
 * from /proc/PID/stat (field 22); without /proc the start time is 0 and
 * only the process id is compared.
 */
#define _GNU_SOURCE
#include "base/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Field 22 of /proc/PID/stat (after the parenthesised command name, which
 * may itself hold spaces and parentheses); 0 when it cannot be read. */
static unsigned long long start_of(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    /* p + 2 is field 3 (state); field 22 is 19 fields further. */
    p += 2;
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return p ? strtoull(p, NULL, 10) : 0;
}

char *proc_token(char buf[48])
{
    long pid = (long)getpid();
    snprintf(buf, 48, "%ld:%llu", pid, start_of(pid));
    return buf;
}

int proc_token_alive(const char *token)
{
    char *end;
    if (!token)
        return 0;
    long pid = strtol(token, &end, 10);
    if (pid <= 0 || *end != ':')
        return 0;
    unsigned long long start = strtoull(end + 1, NULL, 10);
    if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
        return 0;
    unsigned long long now = start_of(pid);
    return start == 0 || now == 0 || now == start;
}
