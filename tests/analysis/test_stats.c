/* stats: every figure checked against a value derived outside faultline, either by hand
 * (the arithmetic is in the comment) or offline with the Debian 12 packages python3-scipy
 * 1.10.1, python3-numpy 1.24.2, python3-pandas 1.5.3, python3-sklearn 1.2.1 and
 * python3-mpmath 1.2.1 (exact sums at 40 digits where scipy itself is off in the 9th digit;
 * the call used is quoted beside each value). */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats.h"

/* Relative tolerance, for p-values that can be tiny; absolute for the rest. */
#define EXPECT_REL(got, want, rel)                                                                 \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        cr_expect(fabs(g_ - w_) <= (rel)*fabs(w_), "%s = %.17g, expected %.17g (rel %g)", #got,    \
                  g_, w_, (double)(rel));                                                          \
    } while (0)
#define EXPECT_ABS(got, want, tol)                                                                 \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        cr_expect(fabs(g_ - w_) <= (tol), "%s = %.17g, expected %.17g (abs %g)", #got, g_, w_,     \
                  (double)(tol));                                                                  \
    } while (0)

static void init(void)
{
    st_init();
}

TestSuite(st, .init = init);

/* ------------------------------------------------------------------------------ Wilson */

Test(st, wilson_7_of_20)
{
    /* By hand, z^2 = 3.8414588: p = 0.35, den = 1 + z^2/20 = 1.1920729,
     * centre = (0.35 + z^2/40) / den = 0.4460365 / 1.1920729 = 0.3741688,
     * half = z sqrt(0.35 * 0.65 / 20 + z^2 / 1600) / den = 1.959964 * 0.1173708 / 1.1920729
     *      = 0.1929770, so [0.1812, 0.5671] (TOOLCHAIN.md).
     * scipy.stats.binomtest(7, 20).proportion_ci(method="wilson")
     *   = (0.1811918241010821, 0.5671457233147637). */
    double lo, hi;
    st_wilson(7, 20, &lo, &hi);
    EXPECT_ABS(lo, 0.1812, 1e-4);
    EXPECT_ABS(hi, 0.5671, 1e-4);
    EXPECT_ABS(lo, 0.1811918241010821, 1e-12);
    EXPECT_ABS(hi, 0.5671457233147637, 1e-12);
}

Test(st, wilson_none_all_and_empty)
{
    double lo, hi;
    /* binomtest(0, 10).proportion_ci(method="wilson") = (0.0, 0.27753279986288926):
     * hi = (z^2/20 + z^2/20) / (1 + z^2/10) = 0.38414588 / 1.38414588 */
    st_wilson(0, 10, &lo, &hi);
    cr_expect_eq(lo, 0.0);
    EXPECT_ABS(hi, 0.27753279986288926, 1e-12);
    /* binomtest(10, 10): (0.7224672001371109, 1.0), the mirror image */
    st_wilson(10, 10, &lo, &hi);
    EXPECT_ABS(lo, 0.7224672001371109, 1e-12);
    cr_expect_eq(hi, 1.0);
    /* binomtest(1, 1): (0.20654931437723745, 1.0) */
    st_wilson(1, 1, &lo, &hi);
    EXPECT_ABS(lo, 0.20654931437723745, 1e-12);
    cr_expect_eq(hi, 1.0);
    /* binomtest(3, 1000): (0.0010207838811386186, 0.008783014053503173) */
    st_wilson(3, 1000, &lo, &hi);
    EXPECT_REL(lo, 0.0010207838811386186, 1e-10);
    EXPECT_REL(hi, 0.008783014053503173, 1e-10);
    st_wilson(0, 0, &lo, &hi);
    cr_expect(isnan(lo) && isnan(hi));
}

/* ------------------------------------------------------------------------------ Fisher */

Test(st, fisher_small_tables_match_scipy)
{
    /* scipy.stats.fisher_exact(table)[1] */
    EXPECT_REL(st_fisher_two_sided(3, 1, 1, 3), 0.4857142857142857, 1e-12);
    EXPECT_REL(st_fisher_two_sided(1, 9, 11, 3), 0.0027594561852200836, 1e-12);
    EXPECT_REL(st_fisher_two_sided(0, 5, 10, 2), 0.003393665158371041, 1e-12);
    EXPECT_REL(st_fisher_two_sided(8, 2, 1, 5), 0.034965034965034975, 1e-12);
    EXPECT_REL(st_fisher_two_sided(10, 0, 0, 10), 1.082508822446903e-05, 1e-12);
    EXPECT_REL(st_fisher_two_sided(5, 0, 1, 4), 0.047619047619047616, 1e-12);
    EXPECT_REL(st_fisher_two_sided(2, 7, 8, 2), 0.02301413756522116, 1e-12);
    cr_expect_eq(st_fisher_two_sided(2, 2, 2, 2), 1.0);
}

Test(st, fisher_by_hand_symmetric_ties)
{
    /* [[3,1],[1,3]]: margins 4,4 / 4,4, N = 8, C(8,4) = 70. P(a) = C(4,a) C(4,4-a) / 70:
     * a = 0..4 -> 1, 16, 36, 16, 1 (/70). P(3) = 16/70; tables at most as likely: a = 0, 1,
     * 3, 4 (a = 1 ties a = 3 exactly, which the relative tolerance keeps), so
     * p = 34/70 = 0.48571428571428571. */
    EXPECT_REL(st_fisher_two_sided(3, 1, 1, 3), 34.0 / 70.0, 1e-14);
    /* The transposed and the row-swapped table give the same p. */
    EXPECT_REL(st_fisher_two_sided(1, 3, 3, 1), 34.0 / 70.0, 1e-14);
    /* [[1,0],[0,1]]: P(a=1) = P(a=0) = 1/2: both count, p = 1. */
    cr_expect_eq(st_fisher_two_sided(1, 0, 0, 1), 1.0);
}

Test(st, fisher_ties_reached_by_different_products)
{
    /* Ties that only the relative tolerance keeps, since the two probabilities come from
     * different factors and round differently.
     * [[1,4],[3,2]]: rows 5, 5; columns 4, 6; C(10,5) = 252. C(4,a) C(6,5-a) for a = 0..4:
     * 6, 60, 120, 60, 6. P(1) = 60/252 ties P(3) = 60/252: p = 132/252 = 11/21
     * (scipy.stats.fisher_exact: 0.5238095238095238; without the tie: 72/252).
     * [[0,2],[2,3]]: rows 2, 5; columns 2, 5; C(7,2) = 21. C(2,a) C(5,2-a): 10, 10, 1:
     * P(0) ties the mode P(1), so every table counts: p = 1.
     * [[2,2],[1,3]]: rows 4, 4; columns 3, 5; C(8,4) = 70. C(3,a) C(5,4-a): 5, 30, 30, 5:
     * P(2) ties the mode P(1): p = 1. */
    EXPECT_REL(st_fisher_two_sided(1, 4, 3, 2), 11.0 / 21.0, 1e-13);
    cr_expect_eq(st_fisher_two_sided(0, 2, 2, 3), 1.0);
    cr_expect_eq(st_fisher_two_sided(2, 2, 1, 3), 1.0);
}

Test(st, fisher_asymmetric_one_tail_only)
{
    /* [[0,2],[3,1]]: rows 2, 4; columns 3, 3; N = 6, C(6,2) = 15. P(a) = C(3,a) C(3,2-a)/15:
     * a = 0..2 -> 3, 9, 3 (/15). P(0) = 3/15; tables as likely: a = 0 and a = 2: 6/15 = 0.4.
     * [[0,3],[5,1]]: rows 3, 6; columns 5, 4; C(9,3) = 84. P(a) = C(5,a) C(4,3-a)/84:
     * a = 0..3 -> 4, 30, 40, 10. P(0) = 4/84 is the least likely: p = 4/84. */
    EXPECT_REL(st_fisher_two_sided(0, 2, 3, 1), 0.4, 1e-14);
    EXPECT_REL(st_fisher_two_sided(0, 3, 5, 1), 4.0 / 84.0, 1e-14);
}

Test(st, fisher_tiny_p)
{
    /* [[100,0],[0,100]]: only the two extreme tables, each 1 / C(200,100):
     * 2 / 9.054851465610328e58; scipy.stats.fisher_exact = 2.208760693199503e-59. */
    EXPECT_REL(st_fisher_two_sided(100, 0, 0, 100), 2.208760693199503e-59, 1e-11);
}

Test(st, fisher_huge_population_tiny_slice)
{
    /* N = 10^7. Exact values: mpmath (40 digits) summing binomial(K,x) binomial(N-K,n-x) /
     * binomial(N,n) over the tables at most p_obs (1 + 1e-7). scipy.stats.fisher_exact is
     * off in the 9th digit here (0.011503508687196337, 0.001953116209565068,
     * 2.6825010144322156e-08), from its log-gamma pmf. */
    EXPECT_REL(st_fisher_two_sided(3, 7, 499997, 9499993), 0.011503508670266742824, 1e-12);
    EXPECT_REL(st_fisher_two_sided(0, 10, 5000000, 4999990), 0.0019531162109489257799, 1e-12);
    EXPECT_REL(st_fisher_two_sided(4, 9996, 26, 9989974), 2.6825010132739267386e-8, 1e-12);
}

Test(st, fisher_zero_margin_is_one)
{
    cr_expect_eq(st_fisher_two_sided(0, 0, 3, 4), 1.0);
    cr_expect_eq(st_fisher_two_sided(0, 5, 0, 7), 1.0);
    cr_expect_eq(st_fisher_two_sided(5, 0, 7, 0), 1.0);
    cr_expect_eq(st_fisher_two_sided(0, 0, 0, 0), 1.0);
}

/* -------------------------------------------------------------------------- chi-square */

Test(st, chi2_statistic_and_p_match_scipy)
{
    /* scipy.stats.chi2_contingency(table, correction=False)[:2] */
    EXPECT_REL(st_chi2_2x2(10, 20, 30, 40), 0.7936507936507936, 1e-13);
    EXPECT_REL(st_chi2_2x2_p(10, 20, 30, 40), 0.37299848361348686, 1e-12);
    /* by hand: N (ad - bc)^2 / (r1 r2 c1 c2) = 200 (3500 - 1500)^2 / (100 100 80 120)
     *        = 8e8 / 9.6e7 = 8.3333 */
    EXPECT_REL(st_chi2_2x2(50, 50, 30, 70), 25.0 / 3.0, 1e-13);
    EXPECT_REL(st_chi2_2x2_p(50, 50, 30, 70), 0.003892417122778637, 1e-11);
    EXPECT_REL(st_chi2_2x2(500, 100, 200, 800), 611.2169312169312, 1e-13);
    EXPECT_REL(st_chi2_2x2_p(500, 100, 200, 800), 6.082252970677271e-135, 1e-9);
    EXPECT_REL(st_chi2_2x2(12, 5, 7, 9), 2.4305755196815575, 1e-13);
    EXPECT_REL(st_chi2_2x2_p(12, 5, 7, 9), 0.118989205532145, 1e-11);
}

Test(st, chi2_q1_guards)
{
    /* gsl_cdf_chisq_Q(3.841458820694124, 1) = 0.05 (TOOLCHAIN.md, the 95% point);
     * scipy.stats.chi2.sf(10, 1) = 0.001565402258002549 */
    EXPECT_REL(st_chi2_q1(3.841458820694124), 0.05, 1e-12);
    EXPECT_REL(st_chi2_q1(10), 0.001565402258002549, 1e-12);
    cr_expect_eq(st_chi2_q1(0), 1.0);
    cr_expect_eq(st_chi2_q1(INFINITY), 0.0);
    cr_expect_eq(st_chi2_q1(1e4), 0.0);
    cr_expect(isnan(st_chi2_q1(NAN)));
    cr_expect(isnan(st_chi2_q1(-1)));
}

Test(st, chi2_zero_margin)
{
    cr_expect_eq(st_chi2_2x2(0, 0, 3, 4), 0.0);
    cr_expect_eq(st_chi2_2x2_p(0, 0, 3, 4), 1.0);
    cr_expect_eq(st_chi2_2x2_p(3, 0, 4, 0), 1.0);
}

/* ------------------------------------------------------------------ slice two-sided rule */

Test(st, slice_p_switches_at_expected_five)
{
    /* Offline: table = [[e, n-e], [E-e, N-n-(E-e)]]; expected = outer(rows, cols) / N;
     * Fisher when (expected < 5).any(), else chi2_contingency(correction=False).
     * n = 10, E = 25, N = 50: smallest expected 10 * 25 / 50 = 5 exactly -> chi-square. */
    EXPECT_REL(st_slice_p_two_sided(3, 10, 25, 50), 0.15729920705028105, 1e-11);
    EXPECT_REL(st_slice_p_two_sided(8, 10, 25, 50), 0.033894853524689295, 1e-11);
    /* n = 10, E = 24, N = 50: 10 * 24 / 50 = 4.8 -> Fisher (chi-square would give
     * 0.2027301706465188 and 0.023540058261177926) */
    EXPECT_REL(st_slice_p_two_sided(3, 10, 24, 50), 0.29377425533638946, 1e-12);
    EXPECT_REL(st_slice_p_two_sided(8, 10, 24, 50), 0.034586813569516095, 1e-12);
    /* a 3-row slice: 3 * 40 / 100 = 1.2 -> Fisher */
    EXPECT_REL(st_slice_p_two_sided(2, 3, 40, 100), 0.562152133580705, 1e-12);
    /* 60 * 50 / 200 = 15 -> chi-square (Fisher would be 2.7785533474604205e-07) */
    EXPECT_REL(st_slice_p_two_sided(30, 60, 50, 200), 9.030488680364703e-08, 1e-10);
    /* the slice routes to the very same functions */
    cr_expect_eq(st_slice_p_two_sided(3, 10, 24, 50), st_fisher_two_sided(3, 7, 21, 19));
    cr_expect_eq(st_slice_p_two_sided(3, 10, 25, 50), st_chi2_2x2_p(3, 7, 22, 18));
}

Test(st, slice_p_huge_selection_uses_fisher)
{
    /* n = 10 of N = 10^7 with E = 500000: expected errors in the slice 0.5 -> Fisher; the
     * exact value of the same table is in fisher_huge_population_tiny_slice. */
    EXPECT_REL(st_slice_p_two_sided(3, 10, 500000, 10000000), 0.011503508670266742824, 1e-12);
}

Test(st, slice_p_degenerate)
{
    cr_expect_eq(st_slice_p_two_sided(0, 0, 5, 10), 1.0);  /* empty slice */
    cr_expect_eq(st_slice_p_two_sided(3, 10, 3, 10), 1.0); /* slice = selection */
    cr_expect_eq(st_slice_p_two_sided(0, 4, 0, 10), 1.0);  /* no errors */
    cr_expect_eq(st_slice_p_two_sided(4, 4, 10, 10), 1.0); /* all errors */
    cr_expect(isnan(st_slice_p_two_sided(5, 4, 10, 20)));  /* e > n */
    cr_expect(isnan(st_slice_p_two_sided(3, 4, 2, 20)));   /* e > E */
    cr_expect(isnan(st_slice_p_two_sided(0, 8, 10, 12)));  /* E - e > N - n */
}

/* ---------------------------------------------------------------- hypergeometric tail */

Test(st, hyper_upper_matches_scipy)
{
    /* scipy.stats.hypergeom.sf(e - 1, N, E, n) */
    EXPECT_REL(st_hyper_upper(3, 10, 20, 100), 0.3187799361823112, 1e-12);
    EXPECT_REL(st_hyper_upper(1, 10, 20, 100), 0.9048837275692115, 1e-12);
    EXPECT_REL(st_hyper_upper(10, 10, 20, 100), 1.0673177187555408e-08, 1e-11);
    EXPECT_REL(st_hyper_upper(5, 50, 10, 60), 0.99932659618223, 1e-12);
    EXPECT_REL(st_hyper_upper(20, 100, 50, 1000), 6.380389051689728e-09, 1e-11);
    /* by hand: N = 10, E = 3, n = 5: P(X = 0) = C(7,5) / C(10,5) = 21/252, so
     * P(X >= 1) = 231/252 = 0.91666... (scipy: 0.9166666666666666) */
    EXPECT_REL(st_hyper_upper(1, 5, 3, 10), 231.0 / 252.0, 1e-14);
}

Test(st, hyper_upper_edges)
{
    cr_expect_eq(st_hyper_upper(0, 10, 20, 100), 1.0);
    cr_expect_eq(st_hyper_upper(0, 0, 0, 0), 1.0);
    cr_expect_eq(st_hyper_upper(11, 10, 20, 100), 0.0); /* more errors than rows */
    cr_expect_eq(st_hyper_upper(4, 10, 3, 100), 0.0);   /* more errors than E */
    /* n = 9 of N = 10 with E = 5: at least 4 errors always (support 4..5) */
    cr_expect_eq(st_hyper_upper(4, 9, 5, 10), 1.0);
    /* support 4..5: P(X = 5) = C(5,5) C(5,4) / C(10,9) = 5/10 */
    EXPECT_REL(st_hyper_upper(5, 9, 5, 10), 0.5, 1e-14);
    cr_expect(isnan(st_hyper_upper(1, 11, 3, 10)));
}

Test(st, hyper_upper_tiny_tail_at_ten_million)
{
    /* P(X >= 300), N = 10^7, E = 10^5, n = 10^4: mpmath exact 1.9546079098498722324e-59
     * (scipy 1.9546079109832728e-59; GSL's gsl_cdf_hypergeometric_Q 1.95460783e-59). */
    EXPECT_REL(st_hyper_upper(300, 10000, 100000, 10000000), 1.9546079098498722324e-59, 1e-12);
    /* P(X >= 2), N = 10^7, E = 30, n = 10^4: mpmath 0.00042692057612486238681 */
    EXPECT_REL(st_hyper_upper(2, 10000, 30, 10000000), 0.00042692057612486238681, 1e-12);
}

Test(st, hyper_upper_beyond_32_bits)
{
    /* N = 5e9 does not fit an unsigned int. mpmath exact: 1.5002910656987774852e-49 */
    EXPECT_REL(st_hyper_upper(6, 20, 9, 5000000000ULL), 1.5002910656987774852e-49, 1e-12);
}

Test(st, hyper_upper_agrees_with_gsl)
{
    /* GSL's own tail on a grid of moderate sizes, where its log-factorials are still good
     * to ~1e-12: P(X >= e) = gsl_cdf_hypergeometric_Q(e - 1, E, N - E, n). */
    static const unsigned sz[][3] = {
        {20, 7, 60}, {50, 30, 200}, {300, 40, 1000}, {1000, 500, 5000}};
    for (size_t s = 0; s < sizeof sz / sizeof sz[0]; s++) {
        unsigned n = sz[s][0], E = sz[s][1], N = sz[s][2];
        unsigned hi = n < E ? n : E;
        for (unsigned e = 1; e <= hi; e++) {
            double want = gsl_cdf_hypergeometric_Q(e - 1, E, N - E, n);
            double got = st_hyper_upper(e, n, E, N);
            if (want > 1e-290)
                cr_expect(fabs(got - want) <= 1e-9 * want, "e=%u n=%u E=%u N=%u: %.17g vs %.17g", e,
                          n, E, N, got, want);
        }
    }
}

Test(st, slice_tests_are_fast_at_ten_million)
{
    /* Every tail stops where its terms stop mattering, so a slice test costs microseconds
     * however large N is: 2000 calls take about 2 ms (the bound leaves room for valgrind). */
    clock_t t0 = clock();
    double acc = 0;
    for (size_t i = 0; i < 1000; i++) {
        acc += st_slice_p_two_sided(3 + i % 5, 10 + i % 7, 500000, 10000000);
        acc += st_hyper_upper(300 + i % 50, 10000, 100000, 10000000);
    }
    cr_expect(acc > 0 && isfinite(acc));
    cr_expect((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
}

/* --------------------------------------------------------------------------------- BH */

Test(st, bh_ties_nan_and_cap)
{
    /* m = 6 (the NAN is left out). Sorted: 0.005 (i3), 0.01 (i0), 0.03 (i2), 0.04 (i1),
     * 0.04 (i5), 0.5 (i6). m p / j: 0.03, 0.03, 0.06, 0.06, 0.048, 0.5. Running minimum
     * from the end: 0.5, 0.048, 0.048, 0.048, 0.03, 0.03. The tied 0.04s share 0.048. */
    double p[7] = {0.01, 0.04, 0.03, 0.005, NAN, 0.04, 0.5}, q[7];
    cr_assert_eq(st_bh(p, q, 7), E_OK);
    const double want[7] = {0.03, 0.048, 0.048, 0.03, NAN, 0.048, 0.5};
    for (int i = 0; i < 7; i++)
        if (isnan(want[i]))
            cr_expect(isnan(q[i]), "q[%d] = %g", i, q[i]);
        else
            EXPECT_REL(q[i], want[i], 1e-14);
}

Test(st, bh_capped_at_one_and_in_place)
{
    /* m = 3, sorted 0.2 (i2), 0.8 (i1), 0.9 (i0): m p / j = 0.6, 1.2, 0.9; min(1, .) then
     * running minimum from the end: 0.9, 0.9, 0.6. Computed in place (q aliases p). */
    double p[3] = {0.9, 0.8, 0.2};
    cr_assert_eq(st_bh(p, p, 3), E_OK);
    EXPECT_REL(p[0], 0.9, 1e-15);
    EXPECT_REL(p[1], 0.9, 1e-15);
    EXPECT_REL(p[2], 0.6, 1e-15);
    /* a lone p-value is its own q; a huge one is capped at 1 */
    double one[2] = {0.7, NAN};
    cr_assert_eq(st_bh(one, one, 2), E_OK);
    cr_expect_eq(one[0], 0.7);
    cr_expect(isnan(one[1]));
    double all_nan[2] = {NAN, NAN};
    cr_assert_eq(st_bh(all_nan, all_nan, 2), E_OK);
    cr_expect(isnan(all_nan[0]) && isnan(all_nan[1]));
    cr_expect_eq(st_bh(NULL, NULL, 0), E_OK);
}

/* -------------------------------------------------------------------------- quantiles */

Test(st, quantile_matches_numpy_linear)
{
    /* numpy.quantile([1, 2, 4, 7, 11], p): h = 4p; p = 0.1 -> 1 + 0.4 (2 - 1) = 1.4;
     * 0.9 -> h = 3.6, 7 + 0.6 * 4 = 9.4; 0.25 -> x1 = 2; 0.7 -> h = 2.8,
     * 7 - 3 (1 - 0.8) = 6.3999999999999995 (numpy interpolates from the nearer side). */
    const double x[5] = {1, 2, 4, 7, 11};
    cr_expect_eq(st_quantile_sorted(x, 5, 0), 1.0);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.1), 1.4);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.25), 2.0);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.5), 4.0);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.9), 9.4);
    cr_expect_eq(st_quantile_sorted(x, 5, 1), 11.0);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.3), 2.4);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.30000000000000004), 2.4000000000000004);
    cr_expect_eq(st_quantile_sorted(x, 5, 0.7), 6.3999999999999995);
    /* numpy.quantile([-4.8, 8.176], 0.7) = 4.2832: g = 0.7 >= 0.5, so numpy computes
     * 8.176 - 12.976 * 0.3 (a + 12.976 * 0.7 would give 4.283199999999998) */
    const double z[2] = {-4.8, 8.176};
    cr_expect_eq(st_quantile_sorted(z, 2, 0.7), 4.2832);
    /* numpy.quantile([0.1, 0.2, 0.7], [0.25, 0.5, 0.75, 1/3])
     *   = 0.15000000000000002, 0.2, 0.44999999999999996, 0.16666666666666669 */
    const double y[3] = {0.1, 0.2, 0.7};
    cr_expect_eq(st_quantile_sorted(y, 3, 0.25), 0.15000000000000002);
    cr_expect_eq(st_quantile_sorted(y, 3, 0.5), 0.2);
    cr_expect_eq(st_quantile_sorted(y, 3, 0.75), 0.44999999999999996);
    cr_expect_eq(st_quantile_sorted(y, 3, 1.0 / 3.0), 0.16666666666666669);
    const double one = 42;
    cr_expect_eq(st_quantile_sorted(&one, 1, 0.37), 42.0);
    cr_expect(isnan(st_quantile_sorted(x, 0, 0.5)));
}

/* ---------------------------------------------------------------------- qcut and bins */

static void expect_edges(const double *sorted, size_t m, size_t nbins, const double *want,
                         size_t nwant)
{
    double edges[64];
    size_t ne = st_qcut_edges(sorted, m, nbins, edges);
    cr_assert_eq(ne, nwant, "%zu edges, expected %zu", ne, nwant);
    for (size_t i = 0; i < ne; i++)
        cr_expect_eq(edges[i], want[i], "edge %zu = %.17g, expected %.17g", i, edges[i], want[i]);
}

Test(st, qcut_heavy_ties_like_capital_gain)
{
    /* 14 zeros and six gains: pandas.qcut(x, 10, retbins=True, duplicates="drop")[1]
     *   = [0.0, 178.20000000000041, 2359.800000000001, 5429.000000000004, 15024.0]
     * (Q(0) .. Q(0.6) are all 0 and merge; Q(0.7) = 0 + 0.3 * 594 ...) and with 4 bins
     * [0.0, 989.0, 15024.0]. */
    const double x[20] = {0, 0, 0, 0, 0,   0,    0,    0,    0,    0,
                          0, 0, 0, 0, 594, 2174, 3103, 5178, 7688, 15024};
    const double w10[] = {0.0, 178.20000000000041, 2359.800000000001, 5429.000000000004, 15024.0};
    expect_edges(x, 20, 10, w10, 5);
    const double w4[] = {0.0, 989.0, 15024.0};
    expect_edges(x, 20, 4, w4, 3);
}

Test(st, qcut_probabilities_as_numpy_linspace)
{
    /* pandas takes Q(i * 0.1) from numpy.linspace: the third probability is
     * 0.30000000000000004, which lands a hair above the tied 5s, so pandas keeps an edge
     * 5.000000000000001 (and an empty bin):
     * pandas.qcut([0,1,5,5,7,8,9,10,11,12,13], 10, retbins=True, duplicates="drop")[1]
     *   = [0, 1, 5, 5.000000000000001, 7, 8, 9, 10, 11, 12, 13] */
    const double x[11] = {0, 1, 5, 5, 7, 8, 9, 10, 11, 12, 13};
    const double w[] = {0, 1, 5, 5.000000000000001, 7, 8, 9, 10, 11, 12, 13};
    expect_edges(x, 11, 10, w, 11);
    /* pandas.qcut(range(1, 21), 10): [1.0, 2.9000000000000004, 4.800000000000001,
     * 6.700000000000001, 8.600000000000001, 10.5, 12.400000000000002, 14.3,
     * 16.200000000000003, 18.1, 20.0] */
    double r[20];
    for (int i = 0; i < 20; i++)
        r[i] = i + 1;
    const double wr[] = {1.0,
                         2.9000000000000004,
                         4.800000000000001,
                         6.700000000000001,
                         8.600000000000001,
                         10.5,
                         12.400000000000002,
                         14.3,
                         16.200000000000003,
                         18.1,
                         20.0};
    expect_edges(r, 20, 10, wr, 11);
}

Test(st, qcut_small_data)
{
    /* pandas.qcut([3, 1], 4, retbins=True)[1] = [1.0, 1.5, 2.0, 2.5, 3.0] */
    const double two[2] = {1, 3};
    const double w2[] = {1.0, 1.5, 2.0, 2.5, 3.0};
    expect_edges(two, 2, 4, w2, 5);
    /* pandas.qcut([2.5], 3, retbins=True, duplicates="drop")[1] = [2.5] */
    const double one = 2.5;
    const double w1[] = {2.5};
    expect_edges(&one, 1, 3, w1, 1);
    /* all equal: one edge (pandas keeps [5, 5] for a single bin, the same interval) */
    const double same[3] = {5, 5, 5};
    const double w5[] = {5};
    expect_edges(same, 3, 1, w5, 1);
    expect_edges(same, 3, 10, w5, 1);
    double e[4];
    cr_expect_eq(st_qcut_edges(same, 0, 3, e), 0);
    cr_expect_eq(st_qcut_edges(same, 3, 0, e), 0);
}

Test(st, bin_of_first_closed_then_right_closed)
{
    /* pandas.cut([0, 2, 2.0000001, 5, 9, 9.5, -1, 1, 3], [0, 2, 5, 9], include_lowest=True,
     * labels=False) = [0, 0, 1, 1, 2, nan, nan, 0, 1] (qcut's own assignment) */
    const double edges[4] = {0, 2, 5, 9};
    const double x[9] = {0, 2, 2.0000001, 5, 9, 9.5, -1, 1, 3};
    const int want[9] = {0, 0, 1, 1, 2, -1, -1, 0, 1};
    for (int i = 0; i < 9; i++)
        cr_expect_eq(st_bin_of(edges, 4, x[i]), want[i], "x = %g", x[i]);
    cr_expect_eq(st_bin_of(edges, 4, NAN), -1);
    const double single = 5;
    cr_expect_eq(st_bin_of(&single, 1, 5), 0);
    cr_expect_eq(st_bin_of(&single, 1, 4), -1);
    cr_expect_eq(st_bin_of(&single, 1, 6), -1);
    cr_expect_eq(st_bin_of(edges, 0, 1), -1);
}

Test(st, bin_of_covers_every_value_of_its_edges)
{
    /* Each value lands in the bin its edges promise: edges[j] < x <= edges[j+1]. */
    const double x[20] = {0, 0, 0, 0, 0,   0,    0,    0,    0,    0,
                          0, 0, 0, 0, 594, 2174, 3103, 5178, 7688, 15024};
    double edges[11];
    size_t ne = st_qcut_edges(x, 20, 10, edges);
    for (int i = 0; i < 20; i++) {
        int b = st_bin_of(edges, ne, x[i]);
        cr_assert(b >= 0 && (size_t)b + 1 < ne, "x = %g: bin %d", x[i], b);
        cr_expect(x[i] <= edges[b + 1] && (b == 0 ? x[i] >= edges[0] : x[i] > edges[b]));
    }
}

/* ---------------------------------------------------------------------- association */

Test(st, mutual_info_2x2_by_hand)
{
    /* errors [3, 1], ok [1, 3]: N = 8, p(x) = p(y) = 1/2. Cells 3/8 (twice) and 1/8 (twice):
     * I = 2 [3/8 log2((3/8)/(1/4)) + 1/8 log2((1/8)/(1/4))] = 2 [0.375 * 0.5849625 - 0.125]
     *   = 0.18872187554086...; sklearn mutual_info_score / ln 2 = 0.18872187554086672. */
    const size_t ne[2] = {3, 1}, no[2] = {1, 3};
    EXPECT_REL(st_mutual_info_bits(ne, no, 2), 0.18872187554086672, 1e-13);
    /* chi2 = N (ad - bc)^2 / (r1 r2 c1 c2) = 8 * 64 / 256 = 2; V = sqrt(2 / 8) = 0.5 */
    EXPECT_REL(st_cramers_v(ne, no, 2), 0.5, 1e-14);
}

Test(st, mutual_info_3x2_by_hand)
{
    /* errors [4, 1, 0], ok [2, 3, 5]; N = 15, E = 5, rows 6, 4, 5.
     * I = 4/15 log2(4*15/(6*5)) + 1/15 log2(15/(4*5)) + 2/15 log2(2*15/(6*10))
     *   + 3/15 log2(3*15/(4*10)) + 5/15 log2(5*15/(5*10))
     *   = 4/15 - 2/15 + (1/15) log2 0.75 + (3/15) log2 1.125 + (1/3) log2 1.5 = 0.33463667;
     * sklearn mutual_info_score / ln 2 = 0.33463666724359165.
     * chi2 = (4-2)^2/2 + (1-4/3)^2/(4/3) + (0-5/3)^2/(5/3) + (2-4)^2/4 + (3-8/3)^2/(8/3)
     *      + (5-10/3)^2/(10/3) = 2 + 1/12 + 5/3 + 1 + 1/24 + 5/6 = 135/24 = 5.625
     * (scipy chi2_contingency: 5.625); V = sqrt(5.625 / 15) = sqrt(0.375). */
    const size_t ne[3] = {4, 1, 0}, no[3] = {2, 3, 5};
    EXPECT_REL(st_mutual_info_bits(ne, no, 3), 0.33463666724359165, 1e-13);
    EXPECT_REL(st_cramers_v(ne, no, 3), sqrt(0.375), 1e-14);
}

Test(st, association_degenerate)
{
    /* independent: errors [1, 2], ok [3, 6] -> I = 0, V = 0 */
    const size_t ie[2] = {1, 2}, io[2] = {3, 6};
    EXPECT_ABS(st_mutual_info_bits(ie, io, 2), 0, 1e-15);
    EXPECT_ABS(st_cramers_v(ie, io, 2), 0, 1e-15);
    /* no errors at all: nothing to associate */
    const size_t ze[2] = {0, 0}, zo[2] = {4, 5};
    cr_expect_eq(st_mutual_info_bits(ze, zo, 2), 0.0);
    cr_expect_eq(st_cramers_v(ze, zo, 2), 0.0);
    /* an empty level changes nothing: errors [3, 0, 1], ok [1, 0, 3] = the 2x2 above */
    const size_t ee[3] = {3, 0, 1}, eo[3] = {1, 0, 3};
    EXPECT_REL(st_mutual_info_bits(ee, eo, 3), 0.18872187554086672, 1e-13);
    EXPECT_REL(st_cramers_v(ee, eo, 3), 0.5, 1e-14);
    const size_t none[1] = {0};
    cr_expect(isnan(st_mutual_info_bits(none, none, 1)));
    cr_expect(isnan(st_cramers_v(none, none, 1)));
    cr_expect(isnan(st_mutual_info_bits(NULL, NULL, 0)));
}

/* ----------------------------------------------------------------------------- median */

Test(st, median_as_numpy)
{
    /* numpy.median([3, 1, 2]) = 2.0; numpy.median([4, 1, 3, 2]) = 2.5 */
    const double odd[3] = {3, 1, 2}, even[4] = {4, 1, 3, 2};
    cr_expect_eq(st_median(odd, 3), 2.0);
    cr_expect_eq(st_median(even, 4), 2.5);
    cr_expect_eq(even[0], 4.0); /* the input is left alone */
    /* NANs skipped: median of {5, 1, 3} = 3; of {7, 1} = 4 */
    const double with_nan[5] = {5, NAN, 1, NAN, 3}, two[3] = {NAN, 7, 1};
    cr_expect_eq(st_median(with_nan, 5), 3.0);
    cr_expect_eq(st_median(two, 3), 4.0);
    const double only_nan[2] = {NAN, NAN};
    cr_expect(isnan(st_median(only_nan, 2)));
    cr_expect(isnan(st_median(NULL, 0)));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(st, median_inplace_matches_sorting_on_random_ties)
{
    /* Against the plain definition (sort, take the middle or the mean of the two middles)
     * on seeded random data, including mostly-equal values that defeat naive quickselect. */
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int round = 0; round < 60; round++) {
        size_t n = 1 + (size_t)round * 97 % 5001;
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        cr_assert(x && y);
        for (size_t i = 0; i < n; i++) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            unsigned r = (unsigned)(s >> 33);
            x[i] = round % 3 == 0 ? (double)(r % 3) : round % 3 == 1 ? (double)(r % 1000) / 7 : 0;
            y[i] = x[i];
        }
        qsort(y, n, sizeof *y, cmp_double);
        double want = n % 2 ? y[n / 2] : (y[n / 2 - 1] + y[n / 2]) / 2;
        cr_expect_eq(st_median_inplace(x, n), want, "round %d n %zu", round, n);
        free(x);
        free(y);
    }
}
