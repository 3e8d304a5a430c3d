/* vec: a growable array of fixed-size elements that the loader fills row by row and then
 * hands over as a column array (a plain malloc block, freed with free()).
 * It grows by doubling with realloc. Once an array is large, glibc keeps it in its own
 * mapping and realloc moves pages instead of copying bytes (mremap), so growing costs
 * little, capacity not yet written takes no memory, and handing the array over as the final
 * column needs no copy. Held by value: vec_init / vec_done. Not thread-safe. */
#ifndef SRC_VEC_H
#define SRC_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

typedef struct vec {
    char *p;     /* owned */
    size_t n;    /* elements in use */
    size_t cap;  /* elements allocated */
    size_t size; /* bytes per element */
} vec;

void vec_init(vec *v, size_t size);
void vec_done(vec *v);
/* Doubles the capacity. E_NOMEM only. */
err_code vec_grow(vec *v);

static inline err_code vec_push_f64(vec *v, double x)
{
    if (v->n == v->cap && vec_grow(v) != E_OK)
        return E_NOMEM;
    memcpy(v->p + v->n * sizeof x, &x, sizeof x);
    v->n++;
    return E_OK;
}

static inline err_code vec_push_u32(vec *v, uint32_t x)
{
    if (v->n == v->cap && vec_grow(v) != E_OK)
        return E_NOMEM;
    memcpy(v->p + v->n * sizeof x, &x, sizeof x);
    v->n++;
    return E_OK;
}

/* Hands over the array resized to room elements (room >= n; at least 1), leaving v empty.
 * The caller frees it. NULL when out of memory (v is then unchanged). */
void *vec_take(vec *v, size_t room);

#endif
