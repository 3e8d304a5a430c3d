#include "chunkvec.h"

#include <sys/mman.h>

/* Block header, at the start of each mapping; elements start at BLK_DATA. */
struct chv_blk {
    chv_blk *next; /* owned */
    size_t bytes;  /* size of the mapping */
    size_t used;   /* bytes of elements (set when the block stops being the tail) */
};

#define BLK_DATA 64
#define BLK_FIRST ((size_t)64 << 10)
#define BLK_MAX ((size_t)16 << 20)

static char *blk_data(chv_blk *b)
{
    return (char *)b + BLK_DATA;
}

void chv_init(chv *v, size_t size)
{
    v->head = v->tail = NULL;
    v->cur = v->end = NULL;
    v->n = 0;
    v->size = size;
}

void chv_done(chv *v)
{
    for (chv_blk *b = v->head, *next; b; b = next) {
        next = b->next;
        munmap(b, b->bytes);
    }
    chv_init(v, v->size);
}

err_code chv_grow(chv *v)
{
    /* Blocks double from 64 KiB so that small files stay small, up to 16 MiB so that a
     * large column needs few mappings. */
    size_t bytes = v->tail ? v->tail->bytes * 2 : BLK_FIRST;
    if (bytes > BLK_MAX)
        bytes = BLK_MAX;
    if (bytes < BLK_DATA + v->size)
        bytes = BLK_DATA + v->size;
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return E_NOMEM;
    chv_blk *b = m;
    b->next = NULL;
    b->bytes = bytes;
    b->used = 0;
    if (v->tail) {
        v->tail->used = (size_t)(v->cur - blk_data(v->tail));
        v->tail->next = b;
    } else {
        v->head = b;
    }
    v->tail = b;
    size_t room = (bytes - BLK_DATA) / v->size * v->size;
    v->cur = blk_data(b);
    v->end = v->cur + room;
    return E_OK;
}

static size_t blk_used(const chv *v, chv_blk *b)
{
    return b == v->tail ? (size_t)(v->cur - blk_data(b)) : b->used;
}

void chv_drain(chv *v, void *dst)
{
    char *out = dst;
    for (chv_blk *b = v->head, *next; b; b = next) {
        next = b->next;
        size_t used = blk_used(v, b);
        if (used)
            memcpy(out, blk_data(b), used);
        out += used;
        munmap(b, b->bytes);
    }
    chv_init(v, v->size);
}

void chv_drain_map_u32(chv *v, uint32_t *dst, const uint32_t *map)
{
    for (chv_blk *b = v->head, *next; b; b = next) {
        next = b->next;
        size_t n = blk_used(v, b) / sizeof(uint32_t);
        const char *src = blk_data(b);
        for (size_t i = 0; i < n; i++) {
            uint32_t x;
            memcpy(&x, src + i * sizeof x, sizeof x);
            *dst++ = x == UINT32_MAX ? x : map[x];
        }
        munmap(b, b->bytes);
    }
    chv_init(v, v->size);
}
