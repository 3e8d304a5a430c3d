#include "sortd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIGIT_BITS 11
#define DIGITS 6 /* 6 x 11 bits cover the 64-bit key */
#define BUCKETS (1u << DIGIT_BITS)

/* An unsigned key with the same order as the double: flip every bit of negatives, only the
 * sign bit of non-negatives. */
static uint64_t key_of(double x)
{
    if (x == 0)
        x = 0.0;
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u | ((uint64_t)1 << 63);
}

static double double_of(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

err_code srt_doubles(double *x, size_t n, err *e)
{
    if (n < 2)
        return E_OK;
    if (n < 256) { /* insertion sort: radix passes cost more than they save */
        for (size_t i = 1; i < n; i++) {
            double v = x[i];
            size_t j = i;
            for (; j > 0 && x[j - 1] > v; j--)
                x[j] = x[j - 1];
            x[j] = v;
        }
        return E_OK;
    }
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    size_t(*hist)[BUCKETS] = calloc(DIGITS, sizeof *hist);
    if (!a || !b || !hist) {
        free(a);
        free(b);
        free(hist);
        return err_set(e, E_NOMEM, "out of memory sorting %zu values", n);
    }
    for (size_t i = 0; i < n; i++) {
        a[i] = key_of(x[i]);
        for (int d = 0; d < DIGITS; d++)
            hist[d][(a[i] >> (d * DIGIT_BITS)) & (BUCKETS - 1)]++;
    }
    for (int d = 0; d < DIGITS; d++) {
        size_t *h = hist[d];
        if (h[(a[0] >> (d * DIGIT_BITS)) & (BUCKETS - 1)] == n)
            continue; /* every key has the same digit: the pass would move nothing */
        size_t sum = 0;
        for (size_t k = 0; k < BUCKETS; k++) {
            size_t c = h[k];
            h[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[h[(a[i] >> (d * DIGIT_BITS)) & (BUCKETS - 1)]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = double_of(a[i]);
    free(a);
    free(b);
    free(hist);
    return E_OK;
}
