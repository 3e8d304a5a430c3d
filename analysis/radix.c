#include "radix.h"

#include <stdlib.h>

#define DIGIT_BITS 11
#define DIGITS 6 /* 6 * 11 >= 64 */
#define BUCKETS (1u << DIGIT_BITS)

err_code rdx_sort(uint64_t *key, uint32_t *val, size_t n, err *e)
{
    if (n < 2)
        return E_OK;
    uint64_t *k2 = malloc(n * sizeof *k2);
    uint32_t *v2 = malloc(n * sizeof *v2);
    size_t(*count)[BUCKETS] = calloc(DIGITS, sizeof *count);
    if (!k2 || !v2 || !count) {
        free(k2);
        free(v2);
        free(count);
        return err_set(e, E_NOMEM, "out of memory");
    }
    /* All six histograms from one reading pass; a digit every key shares needs no pass. */
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < DIGITS; d++)
            count[d][(key[i] >> (d * DIGIT_BITS)) & (BUCKETS - 1)]++;
    uint64_t *ka = key, *kb = k2;
    uint32_t *va = val, *vb = v2;
    for (int d = 0; d < DIGITS; d++) {
        unsigned shift = (unsigned)d * DIGIT_BITS;
        if (count[d][(ka[0] >> shift) & (BUCKETS - 1)] == n)
            continue;
        size_t sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t c = count[d][b];
            count[d][b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = count[d][(ka[i] >> shift) & (BUCKETS - 1)]++;
            kb[at] = ka[i];
            vb[at] = va[i];
        }
        uint64_t *kt = ka;
        ka = kb;
        kb = kt;
        uint32_t *vt = va;
        va = vb;
        vb = vt;
    }
    if (ka != key) {
        memcpy(key, ka, n * sizeof *key);
        memcpy(val, va, n * sizeof *val);
    }
    free(k2);
    free(v2);
    free(count);
    return E_OK;
}

void rdx_sort_u32(uint32_t *key, size_t n, uint32_t *tmp)
{
    enum { PASSES = 3 }; /* 3 * 11 >= 32 */
    if (n < 2)
        return;
    size_t count[PASSES][BUCKETS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < PASSES; d++)
            count[d][(key[i] >> (d * DIGIT_BITS)) & (BUCKETS - 1)]++;
    uint32_t *a = key, *b = tmp;
    for (int d = 0; d < PASSES; d++) {
        unsigned shift = (unsigned)d * DIGIT_BITS;
        if (count[d][(a[0] >> shift) & (BUCKETS - 1)] == n)
            continue;
        size_t sum = 0;
        for (size_t k = 0; k < BUCKETS; k++) {
            size_t c = count[d][k];
            count[d][k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[d][(a[i] >> shift) & (BUCKETS - 1)]++] = a[i];
        uint32_t *t = a;
        a = b;
        b = t;
    }
    if (a != key)
        memcpy(key, a, n * sizeof *key);
}
