/* Tests of the row bitmap against a plain bool array on seeded random data. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>

#include "bitmap.h"

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void fill(bitmap *b, bool *ref, size_t n, uint64_t *seed, unsigned density)
{
    bm_fill(b, false);
    for (size_t i = 0; i < n; i++) {
        ref[i] = next(seed) % 100 < density;
        if (ref[i])
            bm_set(b, i);
    }
}

static void expect_equal(const bitmap *b, const bool *ref, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(bm_get(b, i), ref[i], "bit %zu of %zu", i, n);
        count += ref[i];
    }
    cr_assert_eq(bm_count(b), count, "count of %zu", n);
    size_t i = bm_next(b, 0);
    for (size_t k = 0; k < n; k++)
        if (ref[k]) {
            cr_assert_eq(i, k);
            i = bm_next(b, i + 1);
        }
    cr_assert_eq(i, n);
}

Test(bm, operations_match_a_bool_array)
{
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 127, 128, 129, 1000, 4097};
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        bitmap a, b;
        cr_assert_eq(bm_init(&a, n, false, NULL), E_OK);
        cr_assert_eq(bm_init(&b, n, false, NULL), E_OK);
        bool *ra = calloc(n + 1, 1), *rb = calloc(n + 1, 1);
        for (unsigned density = 0; density <= 100; density += 25) {
            fill(&a, ra, n, &seed, density);
            fill(&b, rb, n, &seed, 50);
            expect_equal(&a, ra, n);
            bm_and(&a, &b);
            for (size_t i = 0; i < n; i++)
                ra[i] = ra[i] && rb[i];
            expect_equal(&a, ra, n);
            bm_or(&a, &b);
            for (size_t i = 0; i < n; i++)
                ra[i] = ra[i] || rb[i];
            expect_equal(&a, ra, n);
            bm_not(&a);
            for (size_t i = 0; i < n; i++)
                ra[i] = !ra[i];
            expect_equal(&a, ra, n);
            for (size_t i = 0; i < n; i += 3) {
                bm_clear(&a, i);
                ra[i] = false;
            }
            expect_equal(&a, ra, n);
        }
        free(ra);
        free(rb);
        bm_done(&a);
        bm_done(&b);
    }
}

Test(bm, tail_is_masked)
{
    static const size_t sizes[] = {1, 63, 64, 65};
    for (size_t s = 0; s < 4; s++) {
        size_t n = sizes[s];
        bitmap b;
        cr_assert_eq(bm_init(&b, n, true, NULL), E_OK);
        cr_assert_eq(bm_count(&b), n);
        cr_assert_eq(bm_words(&b), (n + 63) / 64);
        uint64_t last = b.w[bm_words(&b) - 1];
        cr_assert_eq(last, n % 64 ? ((uint64_t)1 << (n % 64)) - 1 : ~(uint64_t)0);
        bm_not(&b);
        cr_assert_eq(bm_count(&b), 0);
        cr_assert_eq(bm_next(&b, 0), n);
        bm_not(&b);
        cr_assert_eq(bm_count(&b), n);
        cr_assert_eq(bm_next(&b, n - 1), n - 1);
        cr_assert_eq(bm_next(&b, n), n);
        bm_fill(&b, true);
        cr_assert_eq(bm_count(&b), n);
        bitmap c;
        cr_assert_eq(bm_copy(&c, &b, NULL), E_OK);
        cr_assert_eq(bm_count(&c), n);
        bm_done(&c);
        bm_done(&b);
        cr_assert_null(b.w);
    }
}
