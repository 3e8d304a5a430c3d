/* srt_doubles against qsort on seeded random data with negatives, zeros, ties and extremes. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sortd.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

Test(srt, matches_qsort)
{
    static const size_t sizes[] = {0, 1, 2, 17, 255, 256, 1000, 100000};
    uint64_t seed = 7;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next(&seed);
            switch (r % 6) {
            case 0: x[i] = -(double)(r % 1000) / 7.0; break;
            case 1: x[i] = (r & 1) ? 0.0 : -0.0; break;
            case 2: x[i] = (double)(r % 5); break; /* ties */
            case 3: x[i] = (r & 1) ? 1e300 : -1e-300; break;
            default: x[i] = ((double)(r >> 11) / 9007199254740992.0 - 0.5) * 1e6;
            }
        }
        memcpy(y, x, n * sizeof *x);
        cr_assert_eq(srt_doubles(x, n, NULL), E_OK);
        qsort(y, n, sizeof *y, cmp);
        for (size_t i = 0; i < n; i++)
            cr_assert(x[i] == y[i], "n=%zu i=%zu: %g vs %g", n, i, x[i], y[i]);
        free(x);
        free(y);
    }
}

Test(srt, infinities_order)
{
    double x[300];
    for (int i = 0; i < 300; i++)
        x[i] = i % 3 == 0 ? INFINITY : i % 3 == 1 ? -INFINITY : (double)(150 - i);
    cr_assert_eq(srt_doubles(x, 300, NULL), E_OK);
    cr_assert(isinf(x[0]) && x[0] < 0);
    cr_assert(isinf(x[299]) && x[299] > 0);
    for (int i = 1; i < 300; i++)
        cr_assert(x[i - 1] <= x[i]);
}
