#include "vec.h"

#include <stdlib.h>

#define FIRST_CAP 1024
#define SMALL ((size_t)256 << 10)
/* glibc serves any request above 32 MiB (its largest mmap threshold) from a mapping of its
 * own. A vec that outgrows SMALL jumps there at once: from then on realloc moves pages
 * (mremap) rather than bytes, unwritten capacity takes no memory, and a freed block goes
 * back to the system instead of staying in a heap (which would raise the peak). */
#define BIG ((size_t)33 << 20)

void vec_init(vec *v, size_t size)
{
    v->p = NULL;
    v->n = v->cap = 0;
    v->size = size;
}

void vec_done(vec *v)
{
    free(v->p);
    vec_init(v, v->size);
}

err_code vec_grow(vec *v)
{
    size_t cap = v->cap ? v->cap * 2 : FIRST_CAP;
    if (cap < v->cap || cap > SIZE_MAX / v->size)
        return E_NOMEM;
    if (cap * v->size > SMALL && cap * v->size < BIG)
        cap = BIG / v->size;
    char *p = realloc(v->p, cap * v->size);
    if (!p)
        return E_NOMEM;
    v->p = p;
    v->cap = cap;
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
