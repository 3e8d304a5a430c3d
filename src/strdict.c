#include "strdict.h"

#include <stdlib.h>
#include <string.h>

#include "prefault.h"

/* Arena chunk: strings are appended until the chunk is full; a new chunk never moves the old
 * ones, so sd_str() pointers stay valid. */
typedef struct chunk {
    struct chunk *next; /* owned */
    size_t used, cap;
    char data[];
} chunk;

/* Index slots hold the string's 32-bit hash in the high half and code + 1 in the low half
 * (0 = empty). Keeping the hash in the slot means a probe never leaves the slot array, which
 * matters for text columns with millions of distinct values: a miss costs one cache line,
 * not one per probed code. */
struct strdict {
    chunk *chunks;    /* owned list, newest first */
    const char **str; /* borrowed from chunks; str[code] */
    uint32_t *len;    /* len[code] */
    uint32_t n, cap;  /* codes used / allocated */
    uint64_t *slot;   /* owned open-addressing index; NULL when dropped */
    uint32_t nslot;   /* power of two */
    uint32_t nlimit;  /* codes the index holds before it grows (3/4 of nslot) */
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

static uint64_t make_slot(uint32_t h, uint32_t code)
{
    return (uint64_t)h << 32 | (uint64_t)(code + 1);
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
    free(d->slot);
    free(d);
}

static void put_slot(uint64_t *slot, uint32_t nslot, uint64_t v)
{
    uint32_t i = (uint32_t)(v >> 32) & (nslot - 1);
    while (slot[i])
        i = (i + 1) & (nslot - 1);
    slot[i] = v;
}

/* Builds an index of nslot slots: from the old index when there is one (the hashes are in
 * it), else by hashing every string again (after sd_drop_index). */
static err_code build_index(strdict *d, uint32_t nslot)
{
    uint64_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return E_NOMEM;
    pf_write(slot, (size_t)nslot * sizeof *slot); /* probes touch it all, at random */
    if (d->slot) {
        for (uint32_t i = 0; i < d->nslot; i++)
            if (d->slot[i])
                put_slot(slot, nslot, d->slot[i]);
    } else {
        for (uint32_t c = 0; c < d->n; c++)
            put_slot(slot, nslot, make_slot(hash_bytes(d->str[c], d->len[c]), c));
    }
    free(d->slot);
    d->slot = slot;
    d->nslot = nslot;
    d->nlimit = nslot / 4 * 3;
    return E_OK;
}

/* Makes the index ready for `extra` more codes. */
static err_code ensure_index_for(strdict *d, uint32_t extra)
{
    if (d->slot && (uint64_t)d->n + extra <= d->nlimit)
        return E_OK;
    uint64_t nslot = d->nslot ? d->nslot : 64;
    while ((uint64_t)d->n + extra > nslot / 4 * 3)
        nslot *= 2;
    if (nslot > ((uint64_t)1 << 31))
        return E_NOMEM;
    return build_index(d, (uint32_t)nslot);
}

static uint32_t lookup(const strdict *d, const char *s, size_t len, uint32_t h, uint32_t *where)
{
    uint32_t mask = d->nslot - 1, i = h & mask;
    for (;;) {
        uint64_t v = d->slot[i];
        if (!v)
            break;
        if ((uint32_t)(v >> 32) == h) {
            uint32_t c = (uint32_t)v - 1;
            if (d->len[c] == len && memcmp(d->str[c], s, len) == 0)
                return c;
        }
        i = (i + 1) & mask;
    }
    *where = i;
    return CODE_NA;
}

static char *arena_put(strdict *d, const char *s, size_t len)
{
    chunk *c = d->chunks;
    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > CHUNK_MIN ? len + 1 : CHUNK_MIN;
        /* zeroed: regex engines may read a few bytes past a string's NUL in vector loads */
        chunk *nc = calloc(1, sizeof *nc + cap);
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

static err_code reserve_entries(strdict *d, uint32_t extra)
{
    if ((uint64_t)d->n + extra <= d->cap)
        return E_OK;
    uint64_t want = (uint64_t)d->n + extra, cap64 = d->cap ? d->cap : 64;
    while (cap64 < want)
        cap64 *= 2;
    if (cap64 > UINT32_MAX)
        cap64 = UINT32_MAX;
    uint32_t cap = (uint32_t)cap64;
    const char **str = realloc(d->str, cap * sizeof *str);
    if (!str)
        return E_NOMEM;
    d->str = str;
    uint32_t *len = realloc(d->len, cap * sizeof *len);
    if (!len)
        return E_NOMEM;
    d->len = len;
    d->cap = cap;
    return E_OK;
}

uint32_t sd_hash(const char *s, size_t len)
{
    return hash_bytes(s, len);
}

void sd_prefetch(const strdict *d, uint32_t hash)
{
    if (d->slot)
        __builtin_prefetch(&d->slot[hash & (d->nslot - 1)]);
}

err_code sd_intern(strdict *d, const char *s, size_t len, uint32_t *code, err *e)
{
    return sd_intern_hashed(d, s, len, hash_bytes(s, len), code, e);
}

err_code sd_intern_hashed(strdict *d, const char *s, size_t len, uint32_t h, uint32_t *code, err *e)
{
    if (len >= UINT32_MAX || d->n >= UINT32_MAX - 1)
        return err_set(e, E_RANGE, "string dictionary is full");
    if ((!d->slot || d->n >= d->nlimit) && ensure_index_for(d, 1) != E_OK)
        return err_set(e, E_NOMEM, "out of memory");
    uint32_t where = 0;
    uint32_t c = lookup(d, s, len, h, &where);
    if (c != CODE_NA) {
        *code = c;
        return E_OK;
    }
    if (d->n == d->cap && reserve_entries(d, 1) != E_OK)
        return err_set(e, E_NOMEM, "out of memory");
    char *p = arena_put(d, s, len);
    if (!p)
        return err_set(e, E_NOMEM, "out of memory");
    c = d->n++;
    d->str[c] = p;
    d->len[c] = (uint32_t)len;
    d->slot[where] = make_slot(h, c);
    d->bytes += len;
    *code = c;
    return E_OK;
}

uint32_t sd_find(const strdict *d, const char *s, size_t len)
{
    if (d->n == 0)
        return CODE_NA;
    if (!d->slot) {
        for (uint32_t c = 0; c < d->n; c++)
            if (d->len[c] == len && memcmp(d->str[c], s, len) == 0)
                return c;
        return CODE_NA;
    }
    uint32_t where;
    return lookup(d, s, len, hash_bytes(s, len), &where);
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
    d->nslot = d->nlimit = 0;
}

/* The hash of every code of d, from its index when it has one. NULL when out of memory. */
static uint32_t *code_hashes(const strdict *d)
{
    uint32_t *h = malloc((d->n ? d->n : 1) * sizeof *h);
    if (!h)
        return NULL;
    if (d->slot) {
        for (uint32_t i = 0; i < d->nslot; i++)
            if (d->slot[i])
                h[(uint32_t)d->slot[i] - 1] = (uint32_t)(d->slot[i] >> 32);
    } else {
        for (uint32_t c = 0; c < d->n; c++)
            h[c] = hash_bytes(d->str[c], d->len[c]);
    }
    return h;
}

err_code sd_build_index(strdict *d, err *e)
{
    if (d->slot)
        return E_OK;
    if (ensure_index_for(d, 0) != E_OK)
        return err_set(e, E_NOMEM, "out of memory");
    return E_OK;
}

err_code sd_absorb(strdict *dst, strdict *src, uint32_t *remap, err *e)
{
    err_code rc = E_OK;
    uint32_t *hash = NULL;
    /* The arena moves first: from here on dst owns the bytes its new codes point to. */
    chunk **tail = &dst->chunks;
    while (*tail)
        tail = &(*tail)->next;
    *tail = src->chunks;
    src->chunks = NULL;
    dst->bytes += src->bytes;
    if ((uint64_t)dst->n + src->n >= UINT32_MAX) {
        rc = err_set(e, E_RANGE, "string dictionary is full");
        goto done;
    }
    hash = code_hashes(src);
    sd_drop_index(src);
    if (!hash || reserve_entries(dst, src->n) != E_OK || ensure_index_for(dst, 0) != E_OK) {
        rc = err_set(e, E_NOMEM, "out of memory");
        goto done;
    }
    /* src's strings are distinct, so each needs a lookup among dst's own strings only: the
     * index is not grown for the new ones (for a large text column that would double it
     * for a moment), and it is dropped afterwards if any were added. */
    uint32_t n0 = dst->n, mask = dst->nslot - 1;
    for (uint32_t c = 0; c < src->n; c++) {
        /* A large dictionary's index is far bigger than the caches, and the hashes are
         * known in advance: fetch the slots a few strings ahead. */
        if (c + 16 < src->n)
            __builtin_prefetch(&dst->slot[hash[c + 16] & mask]);
        uint32_t where = 0;
        uint32_t found = lookup(dst, src->str[c], src->len[c], hash[c], &where);
        if (found == CODE_NA) {
            found = dst->n++;
            dst->str[found] = src->str[c];
            dst->len[found] = src->len[c];
        }
        remap[c] = found;
    }
    if (dst->n != n0)
        sd_drop_index(dst);
done:
    free(hash);
    sd_free(src);
    return rc;
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
