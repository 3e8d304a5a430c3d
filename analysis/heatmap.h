/* heatmap: the error rate over a grid of two slicing dimensions within a selection.
 * Each axis is one dimension of the binning:
 *   - a numeric or time column binned by quantiles (DIM_QUANTILE, DIM_TIME): 8 bins of the
 *     selection's values, quantile (pandas.qcut with duplicates dropped) or equal-width
 *     between the selection's minimum and maximum, plus "(missing)";
 *   - any other dimension (categorical levels, the values of a numeric column with few of
 *     them, token bins, classes, confidence bins, outcomes): its bins that hold rows of the
 *     selection, at most 12 - the most frequent ones - with the rest pooled in "(other)",
 *     and "(missing)" kept apart.
 * Only evaluated rows count (as in the slice table), so the cells add up to the selection's
 * N and E. Every cell has n, errors, rate, Wilson interval, lift, coverage and a flag for
 * n below the minimum support. A heatmap owns its arrays; hm_numeric, the per-column
 * precomputation that makes quantiles of a selection cheap, is immutable once built and
 * may be shared by threads. */
#ifndef ANALYSIS_HEATMAP_H
#define ANALYSIS_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "dataset.h"
#include "err.h"
#include "outcome.h"

#define HM_MAX_LEVELS 12 /* level bins shown per axis before "(other)" */
#define HM_NUM_BINS 8    /* quantile or equal-width bins of a numeric axis */

typedef enum {
    HM_LEVEL,  /* one bin of the dimension (src) */
    HM_RANGE,  /* numeric values in (lo, hi], or [lo, hi] when lo_closed */
    HM_OTHER,  /* the less frequent levels, pooled */
    HM_MISSING /* the cell is missing */
} hm_bin_kind;

typedef struct hm_bin {
    hm_bin_kind kind;
    uint32_t src;   /* HM_LEVEL: bin index in the dimension */
    double lo, hi;  /* HM_RANGE: edges (epoch seconds for a time column) */
    bool lo_closed; /* HM_RANGE: the first bin also holds its lower edge */
    char label[96]; /* what a person reads: "b_3", "(12.5, 20]", "(2024-01-05, 2024-01-19]" */
} hm_bin;

typedef struct hm_axis {
    uint32_t dim;     /* into the binning */
    bool numeric;     /* ranges of the column's values (else bins of the dimension) */
    bool equal_width; /* numeric: equal-width, else quantile bins */
    uint32_t nbins;
    hm_bin *bins; /* owned; nbins; ranges ascending, then (other), then (missing) */
} hm_axis;

typedef struct hm_cell {
    size_t n, nerr;  /* evaluated rows of the selection in the cell; errors among them */
    double rate;     /* nerr / n; NAN when n == 0 */
    double lo, hi;   /* 95% Wilson interval of rate; NAN when n == 0 */
    double lift;     /* rate / the selection's error rate; NAN when either is undefined */
    double coverage; /* nerr / the selection's errors; NAN when there are none */
    bool small;      /* n < min_support */
} hm_cell;

typedef struct heatmap {
    bool valid;      /* false: no pair of dimensions chosen (everything else empty) */
    hm_axis x, y;    /* x across, y down */
    hm_cell *cells;  /* owned; y.nbins * x.nbins, cells[yi * x.nbins + xi] */
    size_t N, E;     /* evaluated rows and errors of the selection */
    double base_err; /* E / N; NAN when N == 0 */
} heatmap;

/* Precomputation for a numeric axis: the column's rows in value order and each row's
 * position among 4096 equal-count buckets, so that the quantiles of any selection cost one
 * pass over 2-byte codes plus a short walk inside the buckets that hold them. 6 bytes per
 * row; built by a radix sort of the column. */
typedef struct hm_numeric hm_numeric;

/* Whether dimension dim is cut into numeric ranges on a heatmap axis. */
bool hm_dim_is_numeric(const binning *b, const dataset *ds, uint32_t dim);
/* The dimension named name (a column name, or "true class", "predicted class",
 * "confidence", "outcome"), or -1. */
int hm_dim_find(const binning *b, const char *name);

/* Builds the precomputation for dimension dim (hm_dim_is_numeric must hold; else E_USAGE).
 * Borrows ds's column, which must outlive it. E_NOMEM. */
err_code hm_numeric_new(hm_numeric **out, const dataset *ds, const binning *b, uint32_t dim,
                        err *e);
void hm_numeric_free(hm_numeric *p); /* NULL is a no-op */
uint32_t hm_numeric_dim(const hm_numeric *p);

typedef struct hm_input {
    const dataset *ds;
    const binning *b;
    const outcome *o;
    const bitmap *sel;      /* NULL = every row */
    const hm_numeric *xnum; /* the x axis's precomputation when numeric; NULL: built and
                             * freed within the call (a sort of the column) */
    const hm_numeric *ynum;
    const size_t *xcount; /* optional: evaluated rows of the selection per bin of the x
                           * dimension (a non-numeric axis), e.g. from the slice table;
                           * saves a pass */
    const size_t *ycount;
} hm_input;

typedef struct hm_opts {
    uint32_t x, y;      /* dimensions */
    bool equal_width;   /* numeric axes: equal-width instead of quantile bins */
    size_t min_support; /* cells with fewer rows are marked small */
    size_t threads;     /* 0 = one per core */
} hm_opts;

/* Computes the heatmap of opt->x by opt->y over in->sel. h is overwritten (hm_done a
 * previous one first); on failure it holds no memory. Cost: one pass over the selection's
 * codes for the cells, one more to find the levels or quantiles of the axes that need
 * them, split over opt->threads. E_NOMEM, E_RANGE (a dimension out of range). */
err_code hm_compute(heatmap *h, const hm_input *in, const hm_opts *opt, err *e);
void hm_done(heatmap *h);
err_code hm_copy(heatmap *dst, const heatmap *src, err *e);

/* A filter expression selecting the rows of bin i of an axis (filter.h syntax), for "dive".
 * Writes at most size bytes (NUL-terminated when size > 0) and returns the length needed,
 * as snprintf; 0 when the bin has no expression (an "(other)" of ranges). */
size_t hm_bin_expr(const heatmap *h, const binning *b, const dataset *ds, bool y_axis, uint32_t i,
                   char *buf, size_t size);
/* The same for cell (xi, yi): both axes' conditions joined by &&. */
size_t hm_cell_expr(const heatmap *h, const binning *b, const dataset *ds, uint32_t xi, uint32_t yi,
                    char *buf, size_t size);

#endif
