#include "strdict.h"

#include <stdlib.h>
#include <string.h>

/* Arena chunk: strings are appended until the chunk is full; a new chunk never moves the old
 * ones, so sd_str() pointers stay valid. */
typedef struct chunk {
    struct chunk *next; /* owned */
    size_t used, cap;
    char data[];
} chunk;

struct strdict {
    chunk *chunks;   /* owned list, newest first */
    const char **str; /* borrowed from chunks; str[code] */
    uint32_t *len;   /* len[code] */
    uint32_t *hash;  /* hash[code], kept so that growing the index needs no rehash of bytes */
    uint32_t n, cap; /* codes used / allocated */
    uint32_t *slot;  /* owned open-addressing index: code + 1, 0 = empty; NULL when dropped */
    uint32_t nslot;  /* power of two */
    size_t bytes;
};

#define CHUNK_MIN (1u << 20)

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* A fast 64-bit hash over 8-byte words (multiply-xorshift mixing); quality is ample for an
 * open-addressing table and it runs at several GB/s on long texts. */
static uint32_t hash_bytes(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xC2B2AE3D27D4EB4Full);
    while (len >= 8) {
        h ^= rd64(p) * 0x87C37B91114253D5ull;
        h = (h << 31 | h >> 33) * 0x4CF5AD432745937Full;
        p += 8;
        len -= 8;
    }
    uint64_t t = 0;
    for (size_t i = 0; i < len; i++)
        t |= (uint64_t)p[i] << (8 * i);
    h ^= t * 0x87C37B91114253D5ull;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return (uint32_t)h;
}

err_code sd_new(strdict **out, err *e)
{
    strdict *d = calloc(1, sizeof *d);
    if (!d)
        return err_set(e, E_NOMEM, "out of memory");
    *out = d;
    return E_OK;
}

void sd_free(strdict *d)
{
    if (!d)
        return;
    for (chunk *c = d->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(d->str);
    free(d->len);
    free(d->hash);
    free(d->slot);
    free(d);
}

static err_code build_index(strdict *d, uint32_t nslot)
{
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return E_NOMEM;
    for (uint32_t c = 0; c < d->n; c++) {
        uint32_t i = d->hash[c] & (nslot - 1);
        while (slot[i])
            i = (i + 1) & (nslot - 1);
        slot[i] = c + 1;
    }
    free(d->slot);
    d->slot = slot;
    d->nslot = nslot;
    return E_OK;
}

static err_code ensure_index(strdict *d)
{
    if (d->slot && (uint64_t)(d->n + 1) * 4 <= (uint64_t)d->nslot * 3)
        return E_OK;
    uint32_t nslot = d->nslot ? d->nslot : 64;
    while ((uint64_t)(d->n + 1) * 4 > (uint64_t)nslot * 3)
        nslot *= 2;
    return build_index(d, nslot);
}

static uint32_t lookup(const strdict *d, const char *s, size_t len, uint32_t h, uint32_t *where)
{
    uint32_t i = h & (d->nslot - 1);
    for (;;) {
        uint32_t v = d->slot[i];
        if (!v)
            break;
        uint32_t c = v - 1;
        if (d->hash[c] == h && d->len[c] == len && memcmp(d->str[c], s, len) == 0)
            return c;
        i = (i + 1) & (d->nslot - 1);
    }
    *where = i;
    return CODE_NA;
}

static char *arena_put(strdict *d, const char *s, size_t len)
{
    chunk *c = d->chunks;
    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > CHUNK_MIN ? len + 1 : CHUNK_MIN;
        chunk *nc = malloc(sizeof *nc + cap);
        if (!nc)
            return NULL;
        nc->next = d->chunks;
        nc->used = 0;
        nc->cap = cap;
        d->chunks = c = nc;
    }
    char *p = c->data + c->used;
    memcpy(p, s, len);
    p[len] = '\0';
    c->used += len + 1;
    return p;
}

static err_code grow_entries(strdict *d)
{
    uint32_t cap = d->cap ? d->cap * 2 : 64;
    const char **str = realloc(d->str, cap * sizeof *str);
    if (!str)
        return E_NOMEM;
    d->str = str;
    uint32_t *len = realloc(d->len, cap * sizeof *len);
    if (!len)
        return E_NOMEM;
    d->len = len;
    uint32_t *hash = realloc(d->hash, cap * sizeof *hash);
    if (!hash)
        return E_NOMEM;
    d->hash = hash;
    d->cap = cap;
    return E_OK;
}

err_code sd_intern(strdict *d, const char *s, size_t len, uint32_t *code, err *e)
{
    if (len >= UINT32_MAX || d->n >= UINT32_MAX - 1)
        return err_set(e, E_RANGE, "string dictionary is full");
    if (ensure_index(d) != E_OK)
        return err_set(e, E_NOMEM, "out of memory");
    uint32_t h = hash_bytes(s, len), where = 0;
    uint32_t c = lookup(d, s, len, h, &where);
    if (c != CODE_NA) {
        *code = c;
        return E_OK;
    }
    if (d->n == d->cap && grow_entries(d) != E_OK)
        return err_set(e, E_NOMEM, "out of memory");
    char *p = arena_put(d, s, len);
    if (!p)
        return err_set(e, E_NOMEM, "out of memory");
    c = d->n++;
    d->str[c] = p;
    d->len[c] = (uint32_t)len;
    d->hash[c] = h;
    d->slot[where] = c + 1;
    d->bytes += len;
    *code = c;
    return E_OK;
}

uint32_t sd_find(const strdict *d, const char *s, size_t len)
{
    if (d->n == 0)
        return CODE_NA;
    uint32_t h = hash_bytes(s, len);
    if (!d->slot) {
        for (uint32_t c = 0; c < d->n; c++)
            if (d->hash[c] == h && d->len[c] == len && memcmp(d->str[c], s, len) == 0)
                return c;
        return CODE_NA;
    }
    uint32_t where;
    return lookup(d, s, len, h, &where);
}

uint32_t sd_count(const strdict *d)
{
    return d->n;
}

const char *sd_str(const strdict *d, uint32_t code)
{
    return d->str[code];
}

size_t sd_len(const strdict *d, uint32_t code)
{
    return d->len[code];
}

size_t sd_bytes(const strdict *d)
{
    return d->bytes;
}

void sd_drop_index(strdict *d)
{
    free(d->slot);
    d->slot = NULL;
    d->nslot = 0;
}

static int cmp_bytes(const char *a, size_t la, const char *b, size_t lb)
{
    int r = memcmp(a, b, la < lb ? la : lb);
    if (r)
        return r;
    return (la > lb) - (la < lb);
}

typedef struct keyed {
    const char *s;
    size_t len;
    uint32_t code;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    return cmp_bytes(a->s, a->len, b->s, b->len);
}

err_code sd_sorted_codes(const strdict *d, uint32_t *order)
{
    keyed *k = malloc((d->n ? d->n : 1) * sizeof *k);
    if (!k)
        return E_NOMEM;
    for (uint32_t c = 0; c < d->n; c++)
        k[c] = (keyed){d->str[c], d->len[c], c};
    qsort(k, d->n, sizeof *k, cmp_keyed);
    for (uint32_t c = 0; c < d->n; c++)
        order[c] = k[c].code;
    free(k);
    return E_OK;
}
