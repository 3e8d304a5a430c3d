#include "vec.h"

#include <stdlib.h>

#include "prefault.h"

#define FIRST_CAP 1024
#define SMALL ((size_t)256 << 10)
/* glibc serves any request above 32 MiB (its largest mmap threshold) from a mapping of its
 * own. A vec that outgrows SMALL jumps there at once: from then on realloc moves pages
 * (mremap) rather than bytes, unwritten capacity takes no memory, and a freed block goes
 * back to the system instead of staying in a heap (which would raise the peak). */
#define BIG ((size_t)33 << 20)
#define STEP ((size_t)2 << 20) /* bytes populated ahead of the writes in a large array */

void vec_init(vec *v, size_t size)
{
    v->p = NULL;
    v->n = v->cap = v->real = 0;
    v->size = size;
}

void vec_done(vec *v)
{
    free(v->p);
    vec_init(v, v->size);
}

/* Extends cap by one populated step within the allocation. */
static void populate_step(vec *v)
{
    size_t step = STEP / v->size, cap = v->real - v->cap < step ? v->real : v->cap + step;
    pf_write(v->p + v->cap * v->size, (cap - v->cap) * v->size);
    v->cap = cap;
}

err_code vec_grow(vec *v)
{
    if (v->cap < v->real) {
        populate_step(v);
        return E_OK;
    }
    size_t real = v->real ? v->real * 2 : FIRST_CAP;
    if (real < v->real || real > SIZE_MAX / v->size)
        return E_NOMEM;
    if (real * v->size > SMALL && real * v->size < BIG)
        real = BIG / v->size;
    char *p = realloc(v->p, real * v->size);
    if (!p)
        return E_NOMEM;
    v->p = p;
    v->real = real;
    if (real * v->size < BIG)
        v->cap = real;
    else
        populate_step(v);
    return E_OK;
}

void *vec_take(vec *v, size_t room)
{
    if (room < v->n)
        room = v->n;
    if (room == 0)
        room = 1;
    if (room > SIZE_MAX / v->size)
        return NULL;
    char *p = realloc(v->p, room * v->size);
    if (!p)
        return NULL;
    vec_init(v, v->size);
    return p;
}
