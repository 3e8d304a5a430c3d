/* slice: the error rate of every bin of every dimension within a selection, with its
 * Wilson interval, lift, coverage, two-sided p-value against the rest of the selection and
 * the Benjamini-Hochberg q-value over all slices of the table (STATISTICS.md).
 * Only evaluated rows count (rows whose outcome is OUT_UNKNOWN are left out). */
#ifndef ANALYSIS_SLICE_H
#define ANALYSIS_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "err.h"
#include "outcome.h"

typedef struct slice {
    uint32_t dim, bin;     /* into the binning */
    size_t n, nerr;        /* rows of the slice within the selection; errors among them */
    double rate;           /* nerr / n; NAN when n == 0 */
    double lo, hi;         /* 95% Wilson interval of rate */
    double lift;           /* rate / base rate; NAN when the base rate is 0 */
    double lift_lo, lift_hi; /* the interval divided by the base rate */
    double coverage;       /* nerr / all errors of the selection; NAN when there are none */
    double p, q;           /* two-sided p-value against the rest; BH q-value; NAN when n == 0 */
    bool small;            /* n < min_support */
} slice;

typedef struct slice_table {
    size_t len;
    slice *v;        /* owned; dimension order, then bin order */
    size_t N, E;     /* evaluated rows and errors in the selection */
    double base_err; /* E / N; NAN when N == 0 */
    size_t ntested;  /* slices with n > 0 (the m of Benjamini-Hochberg) */
} slice_table;

/* Counts every bin of every dimension over the rows of sel (NULL = all rows). Empty bins are
 * kept with n = 0 (and no p-value) so that indexes stay stable. */
err_code slc_compute(slice_table *t, const binning *b, const outcome *o, const bitmap *sel,
                     size_t min_support, err *e);
/* The same table from counts made elsewhere (the engine counts every dimension in a few
 * joint passes): n[i] and nerr[i] for slice i in table order (dimension order, then bin
 * order, every bin of every dimension), N and E the evaluated rows and errors of the
 * selection. Equal counts give a table equal to slc_compute's. E_NOMEM only. */
err_code slc_from_counts(slice_table *t, const binning *b, const size_t *n, const size_t *nerr,
                         size_t N, size_t E, size_t min_support, err *e);
void slc_done(slice_table *t);
/* Fills order[0..len) with slice indexes by q-value, then larger lift, then dimension and bin
 * (deterministic). Empty slices last. E_NOMEM only. */
err_code slc_order_by_q(const slice_table *t, size_t *order);

#endif
