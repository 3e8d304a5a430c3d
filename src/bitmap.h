/* bitmap: a set of rows, one bit per row (bit i = row i). Held by value: bm_init / bm_done.
 * Bits past nbits in the last word are always zero, so counts and ANDs need no masking. */
#ifndef SRC_BITMAP_H
#define SRC_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct bitmap {
    size_t nbits;
    uint64_t *w; /* owned; (nbits + 63) / 64 words */
} bitmap;

/* All bits clear (or all set when full is true). */
err_code bm_init(bitmap *b, size_t nbits, bool full, err *e);
void bm_done(bitmap *b);
err_code bm_copy(bitmap *dst, const bitmap *src, err *e);
size_t bm_words(const bitmap *b);

static inline bool bm_get(const bitmap *b, size_t i)
{
    return (b->w[i >> 6] >> (i & 63)) & 1u;
}
static inline void bm_set(bitmap *b, size_t i)
{
    b->w[i >> 6] |= (uint64_t)1 << (i & 63);
}
static inline void bm_clear(bitmap *b, size_t i)
{
    b->w[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

void bm_fill(bitmap *b, bool value);
size_t bm_count(const bitmap *b);
/* dst &= src, dst |= src, dst = ~dst (within nbits). Sizes must match. */
void bm_and(bitmap *dst, const bitmap *src);
void bm_or(bitmap *dst, const bitmap *src);
void bm_not(bitmap *dst);
/* The first set bit at or after i, or nbits when there is none. Iterate with
 * for (i = bm_next(b, 0); i < b->nbits; i = bm_next(b, i + 1)). */
size_t bm_next(const bitmap *b, size_t i);

#endif
