/*
 * cli.h — the command line's shared machinery: global options, lazy
 * loading of the rule set, the ledger and the sandbox, option parsing with
 * usage errors, output in table, JSON or CSV, and exit codes:
 * 0 success, 1 refused or failed (nothing changed), 2 usage, 3 rule files.
 */
#ifndef CAREBILL_CLI_H
#define CAREBILL_CLI_H

#include <stdio.h>

#include "rules/rules.h"
#include "usecase/engine.h"
#include "usecase/sink.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_RULES = 3 };

struct cli {
    const char *db_path;    /* --db / CAREBILL_DB */
    const char *rules_dir;  /* --rules / CAREBILL_RULES */
    const char *libdir;     /* where rules/ and lua/ live */
    struct rules *rules;
    struct engine eng;      /* rules, ledger, hooks and today */
    int rule_warnings;      /* 1: loading the rules prints their warnings
                               (carebill check) */
};

/* Load what a command needs. Prints the problem (and, for the rules when
 * c->rule_warnings is 1, their warnings first) and returns the exit code
 * to use (EXIT_RULES for rule-file and hook errors and a zone that cannot
 * be read, EXIT_USAGE for no --rules or --db and for an invalid
 * CAREBILL_TODAY, EXIT_FAIL for the ledger), or 0. Loading the rules also
 * sets the run date, eng.today: CAREBILL_TODAY, else today in the
 * practice's zone. Loading the ledger also loads the rules and binds the
 * hooks (writes may issue invoices). */
int cli_need_rules(struct cli *c);
int cli_need_ledger(struct cli *c);
/* The ledger without hooks, for commands that only read. */
int cli_need_reader(struct cli *c);
int cli_need_hooks(struct cli *c);

/* Options of one command. `value` receives the argument (or "1" for a
 * flag without one); repeatable options collect into `list`. */
struct opt {
    const char *name;   /* "--account" */
    int has_arg;
    const char **value;
    const char ***list; /* NULL-terminated, for repeatable options */
};

/* Parse argv (after the command words) against opts. Positional
 * arguments go to pos (at most max_pos). Prints a usage error naming the
 * command and returns EXIT_USAGE; "--help" prints `help` and returns -1
 * (the caller exits 0). */
int cli_parse(const char *cmd, const char *help, const struct opt *opts,
              int argc, char **argv, const char **pos, int max_pos,
              int min_pos);

/* Argument parsers that print "carebill CMD: OPTION: problem" and
 * return EXIT_USAGE (1 for values that parse but make no sense). */
int cli_date(const char *cmd, const char *opt, const char *s, cdate *out);
/* The date range of a report: --from and --to as given (NULL: an open
 * end, CDATE_NONE), each a valid date and --to not before --from. */
int cli_range(const char *cmd, const char *from_s, const char *to_s,
              cdate *from, cdate *to);
int cli_money(const char *cmd, const char *opt, const char *s, int64_t *out);
int cli_int(const char *cmd, const char *opt, const char *s, int64_t min,
            int64_t max, int64_t *out);

/* Report a failure of a command: "carebill CMD: message", EXIT_FAIL. */
int cli_fail(const char *cmd, const struct err *e);

/* Run `fn` inside one ledger transaction; commits on 0, rolls back
 * otherwise. Returns 0 or -1 (e filled). */
int cli_tx(struct cli *c, int (*fn)(struct cli *c, void *arg, struct err *e),
           void *arg, struct err *e);

/* ---- tabular output: one set of rows, three formats */
enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV };
int out_format_parse(const char *cmd, const char *s, enum out_format *f);

/* Columns: name and type ('s' string, 'i' integer, 'b' boolean: "true"
 * or "false" (or "yes" or "no") in tables and CSV as given, true/false in
 * JSON (any other text stays a string), 'm' cents printed as
 * an amount in tables and CSV, an integer in JSON, 'd' date string).
 * An 'm' column named "*_cents" is titled without the suffix in tables
 * and CSV ("total_cents" shows euros as "total"; "_eur" replaces it when
 * that name is another column's), so a column named *_cents holds cents
 * in every format. */
struct out_col {
    const char *name;
    char type;
};
struct out_table;
struct out_table *out_new(const struct out_col *cols, size_t n);
/* Append a row: one value per column, as text ("" or NULL for null). */
void out_row(struct out_table *t, const char *const *values);
/* Attach a JSON array (jansson json_t*) to the last row under `key`. */
void out_attach(struct out_table *t, const char *key, void *json);
/* A count in hundredths (a quantity × 100, a VAT rate in basis points)
 * as a JSON number (jansson json_t*, new reference): an integer when
 * whole, else the number with its two decimals. Never an amount: money
 * is written as integer cents. */
void *json_hundredths(int64_t v);
/* How every JSON document carebill prints is written (jansson dump
 * flags): two-space indent, keys in order, and numbers with 15
 * significant digits, so a json_hundredths value prints as its two
 * decimals (2.1), not as the double nearest it spelt out in 17 digits
 * (2.1000000000000001); 15 digits hold every hundredth below 10^13. */
#define CLI_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
void out_print(struct out_table *t, enum out_format f, FILE *fp);
void out_free(struct out_table *t);

/* ---- the run's record (face/cli_preview.c), for tick and simulate.
 * preview_print prints s's events as text lines or as elements of the
 * JSON array (*first: no element printed yet; set to 0 once one is);
 * preview_end closes the array ("[]" when empty; nothing for text). */
void preview_print(const struct run_sink *s, enum out_format f, int *first,
                   FILE *fp);
void preview_end(enum out_format f, int first, FILE *fp);

/* ---- the progress line of long runs (tick, simulate): on stderr, only
 * when it is a terminal and not quiet; overwritten in place and cleared
 * at the end. progress_start hooks it into c->eng (eng.progress);
 * progress_day names the day (and n of `of` days, of 0: none);
 * progress_end unhooks it and clears the line. */
struct progress_line {
    const char *cmd;
    char day[11];
    char extra[48];
    int on, shown;
    FILE *log; /* progress_log's stream, or NULL */
};
void progress_start(struct cli *c, struct progress_line *pl, const char *cmd,
                    int quiet);
void progress_day(struct progress_line *pl, cdate day, int64_t n, int64_t of);
void progress_end(struct cli *c, struct progress_line *pl);
/* The progress line of a run that counts (bank import, outbox send;
 * face/cli.c): "carebill CMD: WHAT N" as the use case reports it, on the
 * same terms (a terminal only, not quiet; progress_end ends it). */
void progress_count_start(struct cli *c, struct progress_line *pl,
                          const char *cmd, int quiet);
/* The stream for a run's own lines on stderr while its progress line may
 * show (outbox send's retries and failures): each line it writes first
 * clears the progress line, so no line is ever appended to it (the next
 * update draws it again below); stderr itself when no progress line is
 * on. progress_end closes it. */
FILE *progress_log(struct progress_line *pl);

/* Print that the run waits for another run's write lock (face/cli.c;
 * cli_need_reader hooks it in when stderr is a terminal). */
void cli_lock_notice(void *arg, int wait_ms);
/* A quiet run (tick --quiet): no notice when it waits for another run's
 * lock (it still waits). Call after the ledger is loaded. */
void cli_quiet_lock(struct cli *c);

/* Command handlers, one per noun file (cli_*.c). argv starts after the
 * command words. Return an exit code. */
int cmd_credits(struct cli *c, int argc, char **argv);     /* import */
int cmd_appointment(struct cli *c, int argc, char **argv); /* book, cancel */
int cmd_invoice_product(struct cli *c, int argc, char **argv);
int cmd_report_credits(struct cli *c, int argc, char **argv);

#endif
