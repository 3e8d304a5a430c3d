/* chunkvec: an append-only array of fixed-size elements kept in blocks mapped straight from
 * the kernel. Growing never copies, pages are resident only once written, and draining
 * returns each block to the system at once (malloc may keep large freed blocks resident).
 * The loader keeps each thread's column values here and copies them once into the final
 * arrays. Held by value: chv_init / chv_done. Not thread-safe. */
#ifndef SRC_CHUNKVEC_H
#define SRC_CHUNKVEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

typedef struct chv_blk chv_blk;

typedef struct chv {
    chv_blk *head, *tail; /* owned list of blocks, oldest first */
    char *cur, *end;      /* free space in the tail block */
    size_t n;             /* elements appended */
    size_t size;          /* bytes per element */
} chv;

void chv_init(chv *v, size_t size);
/* Unmaps every block; the vector is then empty. */
void chv_done(chv *v);
/* Adds a block so that at least one more element fits. E_NOMEM only. */
err_code chv_grow(chv *v);

static inline err_code chv_push_f64(chv *v, double x)
{
    if (v->cur == v->end && chv_grow(v) != E_OK)
        return E_NOMEM;
    memcpy(v->cur, &x, sizeof x);
    v->cur += sizeof x;
    v->n++;
    return E_OK;
}

static inline err_code chv_push_u32(chv *v, uint32_t x)
{
    if (v->cur == v->end && chv_grow(v) != E_OK)
        return E_NOMEM;
    memcpy(v->cur, &x, sizeof x);
    v->cur += sizeof x;
    v->n++;
    return E_OK;
}

/* Copies the n elements into dst (n * size bytes) and frees the blocks as it goes. */
void chv_drain(chv *v, void *dst);
/* The same for uint32 elements, each replaced by map[x] (CODE_NA = UINT32_MAX is kept). */
void chv_drain_map_u32(chv *v, uint32_t *dst, const uint32_t *map);

#endif
