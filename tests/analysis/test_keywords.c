/* keywords: the log-odds z against values worked out by hand from the formula in
 * STATISTICS.md, the ranking filters (min count, over-representation), order and ties. */
#include <criterion/criterion.h>
#include <math.h>

#include "keywords.h"

#define EXPECT_NEAR(got, want)                                                                     \
    cr_expect(fabs((got) - (want)) < 1e-12, "%s = %.17g, expected %.17g", #got, (double)(got),    \
              (double)(want))

/* Group counts y = (10, 0, 5, 6), reference y' = (10, 20, 0, 60), background = y + y'
 * = (20, 20, 5, 66), so sum bg = 111, n_c = 21, n' = 90, alpha_0 = 1000:
 *   a_0 = 1000 * 20 / 111 = 180.18018018018017
 *   delta_0 = ln(190.18018 / 830.81982) - ln(190.18018 / 909.81982) = 0.07978159505701843
 *   sigma_0 = sqrt(2 / 190.18018) -> z_0 = 0.7779834247139052
 *   a_2 = 45.04504504504504, delta_2 = 0.17870949197147112, z_2 = 0.8701298065921778
 *   z_1 = -0.473447293974358 (under-represented), z_3 = -0.9032645509410724. */
static const double GROUP[] = {10, 0, 5, 6}, REF[] = {10, 20, 0, 60}, BG[] = {20, 20, 5, 66};

Test(kw, z_matches_hand_values)
{
    double d;
    double z = kw_z(10, 21, 10, 90, 1000.0 * 20 / 111, 1000, &d);
    EXPECT_NEAR(d, 0.07978159505701843);
    EXPECT_NEAR(z, 0.7779834247139052);
    z = kw_z(5, 21, 0, 90, 1000.0 * 5 / 111, 1000, &d);
    EXPECT_NEAR(d, 0.17870949197147112);
    EXPECT_NEAR(z, 0.8701298065921778);
    EXPECT_NEAR(kw_z(0, 21, 20, 90, 1000.0 * 20 / 111, 1000, NULL), -0.473447293974358);
    EXPECT_NEAR(kw_z(6, 21, 60, 90, 1000.0 * 66 / 111, 1000, NULL), -0.9032645509410724);
}

Test(kw, ranks_over_represented_terms_with_enough_occurrences)
{
    kw_input in = {4, GROUP, REF, BG, 0, 0};
    kw_score out[4];
    size_t n = 99;
    err e;
    cr_assert_eq(kw_rank(&in, 4, out, &n, &e), E_OK);
    /* Terms 1 and 3 are under-represented; 0 and 2 have >= 5 occurrences. */
    cr_assert_eq(n, 2);
    cr_expect_eq(out[0].term, 2);
    EXPECT_NEAR(out[0].z, 0.8701298065921778);
    cr_expect_eq(out[0].count, 5);
    cr_expect_eq(out[1].term, 0);
    EXPECT_NEAR(out[1].delta, 0.07978159505701843);
}

Test(kw, min_count_and_top)
{
    kw_input in = {4, GROUP, REF, BG, 0, 6}; /* term 2 has only 5 occurrences */
    kw_score out[4];
    size_t n;
    err e;
    cr_assert_eq(kw_rank(&in, 4, out, &n, &e), E_OK);
    cr_assert_eq(n, 1);
    cr_expect_eq(out[0].term, 0);
    in.min_count = 0; /* default: KW_MIN_COUNT = 5 */
    cr_assert_eq(kw_rank(&in, 1, out, &n, &e), E_OK);
    cr_assert_eq(n, 1);
    cr_expect_eq(out[0].term, 2);
    cr_assert_eq(kw_rank(&in, 0, out, &n, &e), E_OK);
    cr_expect_eq(n, 0);
}

/* Equal counts give equal z: the lower term index comes first. A term absent from the
 * background is never chosen, and an empty background gives nothing. */
Test(kw, ties_and_empty)
{
    const double g[] = {7, 7, 7}, r[] = {1, 1, 50}, bg[] = {8, 8, 0};
    kw_input in = {3, g, r, bg, 0, 0};
    kw_score out[3];
    size_t n;
    err e;
    cr_assert_eq(kw_rank(&in, 3, out, &n, &e), E_OK);
    cr_assert_eq(n, 2);
    cr_expect_eq(out[0].term, 0);
    cr_expect_eq(out[1].term, 1);
    EXPECT_NEAR(out[0].z, out[1].z);
    const double zero[] = {0, 0, 0};
    in.background = zero;
    cr_assert_eq(kw_rank(&in, 3, out, &n, &e), E_OK);
    cr_expect_eq(n, 0);
}
