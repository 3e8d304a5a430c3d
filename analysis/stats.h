/* stats: the statistical building blocks, exactly as ../docs STATISTICS.md defines them
 * (Wilson intervals, Fisher / chi-square 2x2 tests, the hypergeometric tail, Benjamini-
 * Hochberg, numpy-linear quantiles, pandas-qcut edges, mutual information, Cramer's V).
 * GSL lives here; its aborting error handler must be off (st_init does it) and every
 * result is checked. Pure functions of their arguments; thread-safe. */
#ifndef ANALYSIS_STATS_H
#define ANALYSIS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define ST_Z95 1.959963984540054

/* Turns GSL's abort-on-error handler off. Call once at start-up (idempotent). */
void st_init(void);

/* 95% Wilson score interval of e successes in n trials. n == 0 gives NAN, NAN. */
void st_wilson(size_t e, size_t n, double *lo, double *hi);

/* Two-sided p-value of a slice (n rows, e errors) against the rest of a selection (N rows,
 * E errors): Fisher's exact test when any expected count is below 5, else Pearson's
 * chi-square without continuity correction. Degenerate tables (a zero margin) give 1;
 * inconsistent counts (e > n, e > E, E - e > N - n, n > N) give NAN. Microseconds at any N. */
double st_slice_p_two_sided(size_t e, size_t n, size_t E, size_t N);
/* Fisher's exact two-sided p-value of [[a, b], [c, d]]: the tables with the same margins
 * whose probability is at most p_obs (1 + 1e-7), as R (scipy uses 1e-14). Probabilities by
 * Loader's saddle-point method, good to ~1e-13 relative up to N = 10^7 and beyond; only the
 * two tails are summed, from their edges outwards, until the terms stop counting. */
double st_fisher_two_sided(size_t a, size_t b, size_t c, size_t d);
/* Pearson chi-square (no correction) p-value of [[a, b], [c, d]]; 1 for a zero margin. */
double st_chi2_2x2_p(size_t a, size_t b, size_t c, size_t d);
/* Chi-square statistic of the same table; 0 for a zero margin. */
double st_chi2_2x2(size_t a, size_t b, size_t c, size_t d);
/* Upper tail of a chi-square statistic x with 1 degree of freedom (gsl_cdf_chisq_Q),
 * guarded: NAN for a NAN or negative x, 0 for an infinite one. */
double st_chi2_q1(double x);
/* One-sided P(X >= e), X ~ Hypergeometric(N population, E successes, n draws); e = 0 gives 1,
 * n > N or E > N NAN. Same method and accuracy as Fisher's test (tiny tails included). */
double st_hyper_upper(size_t e, size_t n, size_t E, size_t N);

/* Benjamini-Hochberg q-values of m p-values (q may alias p). NAN p-values are ignored
 * (their q is NAN) and do not count in m. E_NOMEM only. */
err_code st_bh(const double *p, double *q, size_t m);

/* Quantile at probability prob of sorted[0..m) (numpy "linear"). m > 0. */
double st_quantile_sorted(const double *sorted, size_t m, double prob);
/* Quantile bin edges as pandas.qcut(x, nbins, duplicates="drop") on sorted[0..m):
 * writes up to nbins + 1 distinct ascending edges to edges and returns how many (>= 1 when
 * m > 0). Bin j is (edges[j], edges[j+1]], the first also holds edges[0]. */
size_t st_qcut_edges(const double *sorted, size_t m, size_t nbins, double *edges);
/* The bin of x for such edges (0-based), or -1 when x is outside [edges[0], edges[last]]. */
int st_bin_of(const double *edges, size_t nedges, double x);

/* Mutual information in bits between a k-level variable and a binary one, from the table
 * n_err[x] and n_ok[x] (x = 0..k-1). NAN for an empty table. */
double st_mutual_info_bits(const size_t *n_err, const size_t *n_ok, size_t k);
/* Cramer's V of the same k x 2 table: sqrt(chi2 / N), cells with a zero expected count left
 * out (0 when every row is an error or none is). NAN for an empty table. */
double st_cramers_v(const size_t *n_err, const size_t *n_ok, size_t k);

/* Median of x[0..n) as numpy.median (copies; NANs skipped). NAN when empty. E_NOMEM via NAN. */
double st_median(const double *x, size_t n);
/* The same without a copy: reorders and overwrites x (its non-NAN values are packed to the
 * front, then partially ordered). Expected linear time, also with heavy ties. */
double st_median_inplace(double *x, size_t n);

#endif
