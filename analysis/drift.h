/* drift: the error rate per time bucket (the binning's calendar buckets of the time column:
 * days, weeks or months), each with its 95% Wilson interval, and drift flags
 * (STATISTICS.md): each bucket's errors against all earlier buckets pooled, by the
 * two-sided slice test (Fisher's exact test when an expected count is below 5, else
 * Pearson's chi-square), Benjamini-Hochberg across the buckets tested; a bucket is flagged
 * when its q-value is below alpha. The first non-empty bucket has nothing to be compared
 * with and is not tested; nor are empty buckets. Rows without a time are counted apart.
 * drift_result owns its bucket array. */
#ifndef ANALYSIS_DRIFT_H
#define ANALYSIS_DRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "err.h"
#include "outcome.h"

#define DRIFT_NONE SIZE_MAX

typedef struct drift_bucket {
    uint32_t bin;            /* into the time dimension */
    double start, end;       /* [start, end) in epoch seconds */
    size_t n, nerr;          /* evaluated rows of the selection in the bucket; errors */
    double rate, lo, hi;     /* error rate and Wilson interval; NAN when n == 0 */
    size_t n_before, nerr_before; /* the earlier buckets pooled */
    double rate_before;      /* nerr_before / n_before; NAN when n_before == 0 */
    double p, q;             /* NAN when not tested */
    bool flagged;            /* q < alpha */
    bool worse;              /* flagged with rate > rate_before */
} drift_bucket;

typedef struct drift_result {
    uint32_t dim;            /* the time dimension */
    size_t len;
    drift_bucket *v;         /* owned; the calendar buckets in time order */
    size_t nmissing_time;    /* evaluated rows of the selection without a time */
    size_t ntested, nflagged;
    size_t first_flagged;    /* index of the earliest flagged bucket, DRIFT_NONE */
    double alpha;
} drift_result;

/* The DIM_TIME dimension of dataset column time_col. E_USAGE when there is none. */
err_code drift_find_dim(const binning *b, int time_col, uint32_t *dim, err *e);
/* Buckets of dimension dim (which must be a DIM_TIME one, else E_USAGE) over the rows of
 * sel (NULL = all). E_RANGE for sizes that differ, E_NOMEM. r is overwritten and holds no
 * memory on failure. */
err_code drift_compute(drift_result *r, const outcome *o, const binning *b, uint32_t dim,
                       const bitmap *sel, double alpha, err *e);
void drift_done(drift_result *r);

#endif
