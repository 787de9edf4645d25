/*
 * suggest.c — edit distance and the closest-word search behind every
 * "did you mean" carebill prints.
 */
#include "base/suggest.h"

#include <assert.h>
#include <string.h>

int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 255;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb] > 255 ? 255 : row[lb];
}

void suggest_init(struct suggest *s, const char *word, int max_distance)
{
    assert(word != NULL && max_distance >= 0);
    s->word = word;
    s->best = NULL;
    s->best_d = max_distance + 1;
}

void suggest_offer(struct suggest *s, const char *candidate)
{
    if (!candidate)
        return;
    int d = edit_distance(s->word, candidate);
    if (d < s->best_d) {
        s->best_d = d;
        s->best = candidate;
    }
}

const char *suggest_best(const struct suggest *s)
{
    return s->best;
}

const char *suggest_from_list(const char *word, const char *const *list,
                              int max_distance)
{
    struct suggest s;
    suggest_init(&s, word, max_distance);
    for (; list && *list; list++)
        suggest_offer(&s, *list);
    return suggest_best(&s);
}

const char *suggest_from_array(const char *word, const void *base, size_t n,
                               size_t size, size_t name_off, int max_distance)
{
    struct suggest s;
    suggest_init(&s, word, max_distance);
    for (size_t i = 0; i < n; i++) {
        const char *rec = (const char *)base + i * size;
        const char *name;
        memcpy(&name, rec + name_off, sizeof name);
        suggest_offer(&s, name);
    }
    return suggest_best(&s);
}
