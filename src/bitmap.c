#include "bitmap.h"

#include <stdlib.h>
#include <string.h>

size_t bm_words(const bitmap *b)
{
    return (b->nbits + 63) / 64;
}

static void mask_tail(bitmap *b)
{
    size_t nw = bm_words(b);
    if (nw && (b->nbits & 63))
        b->w[nw - 1] &= ((uint64_t)1 << (b->nbits & 63)) - 1;
}

err_code bm_init(bitmap *b, size_t nbits, bool full, err *e)
{
    b->nbits = nbits;
    size_t nw = (nbits + 63) / 64;
    b->w = malloc((nw ? nw : 1) * sizeof *b->w);
    if (!b->w) {
        b->nbits = 0;
        return err_set(e, E_NOMEM, "out of memory for a selection of %zu rows", nbits);
    }
    bm_fill(b, full);
    return E_OK;
}

void bm_done(bitmap *b)
{
    free(b->w);
    b->w = NULL;
    b->nbits = 0;
}

err_code bm_copy(bitmap *dst, const bitmap *src, err *e)
{
    err_code rc = bm_init(dst, src->nbits, false, e);
    if (rc != E_OK)
        return rc;
    memcpy(dst->w, src->w, bm_words(src) * sizeof *src->w);
    return E_OK;
}

void bm_fill(bitmap *b, bool value)
{
    memset(b->w, value ? 0xff : 0, bm_words(b) * sizeof *b->w);
    mask_tail(b);
}

size_t bm_count(const bitmap *b)
{
    size_t n = 0, nw = bm_words(b);
    for (size_t i = 0; i < nw; i++)
        n += (size_t)__builtin_popcountll(b->w[i]);
    return n;
}

void bm_and(bitmap *dst, const bitmap *src)
{
    size_t nw = bm_words(dst);
    for (size_t i = 0; i < nw; i++)
        dst->w[i] &= src->w[i];
}

void bm_or(bitmap *dst, const bitmap *src)
{
    size_t nw = bm_words(dst);
    for (size_t i = 0; i < nw; i++)
        dst->w[i] |= src->w[i];
}

void bm_not(bitmap *dst)
{
    size_t nw = bm_words(dst);
    for (size_t i = 0; i < nw; i++)
        dst->w[i] = ~dst->w[i];
    mask_tail(dst);
}

size_t bm_next(const bitmap *b, size_t i)
{
    if (i >= b->nbits)
        return b->nbits;
    size_t wi = i >> 6;
    uint64_t w = b->w[wi] & (~(uint64_t)0 << (i & 63));
    size_t nw = bm_words(b);
    while (!w) {
        if (++wi >= nw)
            return b->nbits;
        w = b->w[wi];
    }
    return wi * 64 + (size_t)__builtin_ctzll(w);
}
