/* search: exact discovery of the worst slices, i.e. conjunctions of up to L conditions
 * "dimension in bin" on different dimensions of the binning, within a selection.
 * Slices are counted exactly (no sampling) by histogram passes over compact per-row bin
 * codes, split over the cores. Two rankings (STATISTICS.md, "Slice search scores"):
 *   - SRCH_SIGNIFICANCE: one-sided hypergeometric test of each slice against the rest of the
 *     selection, Benjamini-Hochberg over every evaluated slice, keep q < q_max, order by the
 *     lower end of the lift's interval; a slice with two or more conditions is kept only when
 *     it is significantly worse than each of its parents (the slice minus one condition),
 *     so one failure mode does not come back as narrower copies of itself. Every
 *     conjunction with min_support rows is evaluated: pruning on what the errors look like
 *     would make the number of tests depend on the outcome being tested.
 *   - SRCH_SLICELINE: the Sliceline score, top K as the Python `sliceline` package defines it
 *     (score > 0, min_support rows, every slice tied with the K-th score kept, ties in the
 *     package's order). Below a slice the search stops only when the largest score any of
 *     its subsets could reach is under the K-th best score found at the levels above, so
 *     the top K is exact.
 * Only evaluated rows count: rows whose outcome is OUT_UNKNOWN are left out, as are rows
 * outside the selection. Results are deterministic (same input and options, same output in
 * the same order, whatever the number of threads). The result owns its slices; it borrows
 * nothing. */
#ifndef ANALYSIS_SEARCH_H
#define ANALYSIS_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "err.h"
#include "outcome.h"

#define SRCH_MAX_LEVELS 5 /* most conditions in one slice */

typedef enum {
    SRCH_SIGNIFICANCE, /* --rank significance (default) */
    SRCH_SLICELINE     /* --rank sliceline */
} srch_rank;

/* Called from the calling thread now and then with the fraction done (0..1, never
 * decreasing); a nonzero return cancels the search (srch_run returns E_CANCEL). */
typedef int (*srch_progress_fn)(void *ctx, double done);

typedef struct srch_opts {
    unsigned levels;           /* L: most conditions per slice, 1..SRCH_MAX_LEVELS; default 3 */
    size_t top_k;              /* K, >= 1; default 10 */
    size_t min_support;        /* fewest rows of a slice; 0 = max(20, ceil(0.0005 N)) with N the
                                * evaluated rows of the selection */
    srch_rank rank;            /* default SRCH_SIGNIFICANCE */
    double alpha;              /* Sliceline's weight of the error term, (0, 1]; default 0.95 */
    double q_max;              /* significance: largest q-value kept, (0, 0.5]; default 0.05 */
    int threads;               /* 0 = one per core */
    const bool *use_dim;       /* borrowed; b->ndim flags of the dimensions that take part; NULL =
                                * every dimension of a dataset column (col >= 0). Derived ones
                                * (classes, confidence, outcome) restate the error and stay out. */
    srch_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} srch_opts;

typedef struct srch_pred {
    uint32_t dim, bin; /* into the binning; a bin may be a level, a value, a range, a time
                        * bucket, "(other)" or "(missing)": missing values form a slice of
                        * their own, as a one-hot encoding of the column would */
} srch_pred;

typedef struct srch_slice {
    unsigned npred;                  /* conditions, 1..levels */
    srch_pred pred[SRCH_MAX_LEVELS]; /* ascending dim */
    size_t n, nerr;                  /* rows of the slice within the selection; errors among them */
    double rate;                     /* nerr / n */
    double ci_lo, ci_hi;             /* 95% Wilson interval of rate */
    double lift;                     /* rate / base rate of the selection */
    double lift_lo, lift_hi;         /* the interval divided by the base rate (taken as known) */
    double coverage;                 /* nerr / errors of the selection */
    double score;                    /* Sliceline score with opts.alpha (in both rankings) */
    double p;                        /* one-sided P(X >= nerr), X ~ Hypergeometric(N, E, n) */
    double q;        /* Benjamini-Hochberg q-value of p over srch_result.nevaluated */
    double q_refine; /* significance: the largest q-value of the tests against each
                      * parent (over srch_result.nrefine tests); NAN for one condition
                      * and in the Sliceline ranking */
} srch_slice;

typedef struct srch_result {
    size_t len;
    srch_slice *v; /* owned; best first */
    srch_rank rank;
    size_t N, E;         /* evaluated rows and errors of the selection */
    double base_err;     /* E / N; NAN when N == 0 */
    size_t min_support;  /* the minimum support used */
    unsigned levels;     /* L used */
    size_t nevaluated;   /* slices counted with n >= min_support: the m of Benjamini-Hochberg.
                          * Significance: every conjunction of up to L conditions with that
                          * support (only support prunes). Sliceline: those the score bound
                          * left to count. */
    size_t nrefine;      /* significance: tests of a slice against a parent, one per
                          * condition of every evaluated slice with two or more */
    size_t nsignificant; /* significance: evaluated slices with q < q_max */
    size_t ncandidates;  /* slices that qualify before the cut to K (significance: q < q_max
                          * and worse than every parent; Sliceline: score > 0) */
} srch_result;

/* Defaults as documented on each field. */
void srch_opts_init(srch_opts *o);

/* Searches the rows of sel (NULL = all rows) of b and o. On success *out holds the top
 * slices (at most K, more in the Sliceline ranking when scores tie with the K-th) and the
 * figures of the search; the caller frees it with srch_done. On failure *out is empty and
 * nothing leaks. Errors: E_RANGE (bad option, more than 2^32 - 1 rows), E_NOMEM, E_CANCEL.
 * Cost: for each level, one pass over the selected rows per shape of the level above that
 * still has slices to extend, each pass counting every later dimension: about C(D, L)
 * row-dimension increments per row for D dimensions (the search cannot beat that without
 * giving up exactness). Memory: the selection's codes (2 bytes per row and dimension) plus
 * 4 to 8 bytes per row and thread, and 16 MiB of histograms per thread. Thread-safe for
 * concurrent calls on the same read-only inputs. */
err_code srch_run(srch_result *out, const binning *b, const outcome *o, const bitmap *sel,
                  const srch_opts *opt, err *e);
void srch_done(srch_result *r);

/* Writes the slice's conditions as "a = x and b in (1, 2]" (bin_describe joined). */
void srch_describe(const binning *b, const srch_slice *s, char *buf, size_t size);

#endif
