/* binning: every slicing dimension of the file, with each row's bin computed once.
 * A dimension is a feature column cut into bins (categorical levels, the values of a numeric
 * column with few distinct values, quantile bins, token-count bins of a text column,
 * calendar buckets of a time column) or a derived one (true class, predicted class,
 * confidence bins, binary outcome). Slices, heatmaps and the slice search are counts over
 * these compact per-row codes, so a new selection costs a few passes over uint16 arrays.
 * Built once after load; read-only afterwards. */
#ifndef ANALYSIS_BINNING_H
#define ANALYSIS_BINNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"
#include "outcome.h"
#include "roles.h"

#define BIN_NONE UINT16_MAX /* the row is in no bin of this dimension */
#define BIN_MAX_LEVELS 65000 /* beyond this many levels the rarest share one "(other)" bin */

typedef enum {
    BIN_LEVEL,   /* a categorical level, a class, an outcome: label is the value */
    BIN_VALUE,   /* one numeric value: value */
    BIN_RANGE,   /* numeric interval (lo, hi], or [lo, hi] when lo_closed */
    BIN_PERIOD,  /* a calendar bucket [lo, hi) in epoch seconds */
    BIN_MISSING, /* the cell is missing */
    BIN_OTHER    /* the rarest levels of a very high-cardinality column */
} bin_kind;

typedef enum {
    DIM_CATEGORICAL, /* levels of a categorical column */
    DIM_VALUES,      /* distinct values of a numeric column with few of them */
    DIM_QUANTILE,    /* quantile bins of a numeric column */
    DIM_TOKENS,      /* token-count bins of a text column (values or quantiles) */
    DIM_TIME,        /* calendar buckets of a time column */
    DIM_TRUE_CLASS,
    DIM_PRED_CLASS,
    DIM_CONFIDENCE,  /* the calibration bins of the top-class score */
    DIM_OUTCOME      /* TP, FP, TN, FN */
} dim_kind;

typedef struct bin_def {
    bin_kind kind;
    double value;       /* BIN_VALUE */
    double lo, hi;      /* BIN_RANGE, BIN_PERIOD */
    bool lo_closed;     /* BIN_RANGE: the first bin also holds its lower edge */
    char label[96];     /* what a person reads: "spam_2", "12", "(0.5, 0.75]", "2002-08" */
} bin_def;

typedef struct bin_dim {
    char name[128];     /* column name, or "true class", "predicted class", "confidence",
                         * "outcome" for derived dimensions */
    int col;            /* dataset column, -1 when derived */
    dim_kind kind;
    char unit[16];      /* time buckets: "day", "week" or "month"; tokens: "tokens" */
    uint32_t nbins;
    bin_def *bins;      /* owned; nbins */
    uint16_t *code;     /* owned; per row: bin index or BIN_NONE */
    bool restates_outcome; /* the target or estimate of a regression: like the true and
                            * predicted class, sliced but not searched nor recommended */
} bin_dim;

typedef struct binning {
    size_t nrows;
    size_t ndim;
    bin_dim *dim;       /* owned; ndim */
} binning;

typedef struct bin_opts {
    uint32_t quantile_bins; /* --bins, default 10 */
    uint32_t max_values;    /* numeric columns with at most this many distinct values get one
                             * bin per value; default 12 */
} bin_opts;

void bin_opts_init(bin_opts *o);
/* Builds every dimension: each feature, text and time column, then the derived ones. */
err_code bin_build(binning *b, const dataset *ds, const roles *r, const outcome *o,
                   const bin_opts *opt, err *e);
void bin_done(binning *b);
/* Writes "column = level", "column in (lo, hi]" or "column is missing" for a bin. */
void bin_describe(const bin_dim *d, uint32_t bin, char *buf, size_t size);

#endif
