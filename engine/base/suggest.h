/*
 * suggest.h — "did you mean": the known word closest to a misspelt one,
 * by Levenshtein distance. Every message that refuses an unknown name
 * (rule-file keys, sections, events and references, template
 * placeholders, command words, ids given on the command line) finds its
 * suggestion here, so they all agree on what counts as a typo.
 */
#ifndef CAREBILL_SUGGEST_H
#define CAREBILL_SUGGEST_H

#include <stddef.h>

/* The largest distance that still reads as a typo of a known word. */
#define SUGGEST_DISTANCE 2

/* Levenshtein distance between a and b, capped at 255 (also the answer
 * when either is longer than 64 bytes). Counts bytes, not characters. */
int edit_distance(const char *a, const char *b);

/* A running search over candidates offered one at a time. The first
 * candidate at the smallest distance wins; a candidate further than
 * max_distance never does. Borrowed strings: word and the candidates
 * must outlive the search. */
struct suggest {
    const char *word;
    const char *best; /* NULL until a candidate is close enough */
    int best_d;
};

void suggest_init(struct suggest *s, const char *word, int max_distance);
/* Offer one candidate; NULL is ignored. */
void suggest_offer(struct suggest *s, const char *candidate);
/* The closest candidate offered, or NULL when none is close enough. */
const char *suggest_best(const struct suggest *s);

/* The closest word of a NULL-terminated list, or NULL. */
const char *suggest_from_list(const char *word, const char *const *list,
                              int max_distance);

/* The closest name among n records `size` bytes apart starting at base,
 * whose name is the `const char *` at byte offset name_off of each (for
 * definitions: offsetof(struct def, id)); NULL names are skipped.
 * Returns the record's own string, or NULL. */
const char *suggest_from_array(const char *word, const void *base, size_t n,
                               size_t size, size_t name_off, int max_distance);

#endif
