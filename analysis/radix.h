/* radix: a stable LSD radix sort of (64-bit key, 32-bit value) pairs, for the orders the
 * engine and the heatmap precompute once per column (rows by score, by loss, by value).
 * Millions of doubles sort in tens of milliseconds, several times faster than qsort. */
#ifndef ANALYSIS_RADIX_H
#define ANALYSIS_RADIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

/* An unsigned key that orders as the double does (negative numbers reversed). -0.0 is
 * mapped as +0.0, since the two compare equal; NAN must be handled by the caller. */
static inline uint64_t rdx_key_double(double x)
{
    if (x == 0)
        x = 0.0;
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

/* Sorts key[0..n) ascending and moves val[] with it; equal keys keep their order. Uses 12n
 * bytes of scratch. E_NOMEM only (the arrays are then unchanged). */
err_code rdx_sort(uint64_t *key, uint32_t *val, size_t n, err *e);
/* Sorts key[0..n) ascending using tmp (n entries) as scratch. Cannot fail. */
void rdx_sort_u32(uint32_t *key, size_t n, uint32_t *tmp);

#endif
