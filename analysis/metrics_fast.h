/* metrics_fast: the figures of met_compute for many selections of the same rows, from terms
 * precomputed once per row, so that a new selection costs a few passes over compact arrays
 * instead of re-deriving scores, sorting them, or selecting a median.
 * Results equal met_compute's bit for bit: sums run in row order with the same operations,
 * rows left out add +0.0 (which changes no sum), and orders and counts are integers
 * (metrics.c stays the reference; the tests compare the two).
 *
 * Classification: a selection's metrics are assembled from parts that a caller may compute
 * on different threads - the confusion matrix (counted by the caller, e.g. together with the
 * slices), mf_sum_losses, mf_sum_calibration and the parts of mf_auc_count - and mf_finish
 * puts them together. Regression: mf_reg_sum and mf_reg_median, then mf_finish_regression.
 * mf_compute does it all on the calling thread. The prep is immutable once built: any
 * number of threads may read it at once. */
#ifndef ANALYSIS_METRICS_FAST_H
#define ANALYSIS_METRICS_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "err.h"
#include "metrics.h"
#include "outcome.h"

#define MF_AUC_PARTS 4   /* the AUC pass splits into this many independent parts */
#define MF_UNSCORED 0xFF /* cbin of a row left out of the score figures */
#define MF_OK_BIT 0x10   /* cbin: the row is correct; the low 4 bits are its calibration bin */

/* Per-row terms of a scored row (evaluated, every class score present, confidence known). */
typedef struct mf_row { /* +0.0, +0.0 for a row left out */
    double brier;       /* (p_pos - y)^2, or sum_k (p_k - y_k)^2 for more than two classes */
    double ll;          /* -ln p(true class), scores clipped and renormalised */
} mf_row;

typedef struct mf_prep {
    size_t n; /* rows */
    bool regression;
    uint32_t k;        /* classes */
    bool scored;       /* the file has class scores */
    bool binary;       /* two classes with a positive one: the AUC applies */
    mf_row *row;       /* owned; n entries (NULL without scores) */
    uint8_t *cbin;     /* owned; n entries: calibration bin | MF_OK_BIT, or MF_UNSCORED */
    double *conf;      /* owned; n entries: the top-class score of a scored row */
    uint32_t *cal_row; /* owned; the scored rows grouped by calibration bin, in row order
                        * within a bin; MF_POS set when the row is correct */
    double *cal_conf;  /* owned; their top-class scores, in the same order */
    size_t cal_start[MET_NBINS + 1]; /* bin b is cal_row[cal_start[b] .. cal_start[b + 1]) */
    size_t cal_ok[MET_NBINS];        /* the correct rows of each bin */
    uint32_t *order; /* owned; binary: the scored rows by positive-class score ascending,
                      * negatives before positives among equal scores; each entry is
                      * row | MF_POS (the true class is the positive one) | MF_TIE (the
                      * score equals the previous entry's) */
    size_t norder;
    size_t auc_split[MF_AUC_PARTS + 1]; /* order[auc_split[k] .. auc_split[k + 1]) is part k;
                                         * parts begin with a new score */
    uint32_t *auc_key; /* owned; binary: per row, its tie group's number in order * 2 + 1
                        * for a positive, UINT32_MAX when not scored */
    /* regression (rows with a target and an estimate are "ok"; the others hold +0.0) */
    double *rd;       /* owned; estimate - target */
    double *ry;       /* owned; target */
    uint8_t *rflag;   /* owned; OUT_CORRECT, OUT_ERROR, or OUT_UNKNOWN when not ok */
    bitmap rok;       /* the ok rows */
    uint32_t *rorder; /* owned; the ok rows by |estimate - target| ascending */
    size_t nrorder;
} mf_prep;

#define MF_POS 0x80000000u
#define MF_TIE 0x40000000u
#define MF_ROW 0x3FFFFFFFu
#define MF_MAX_ROWS ((size_t)MF_ROW + 1)

/* The score sums of a selection, in row order. */
typedef struct mf_sums {
    size_t nscored;
    double brier, ll;
    size_t cn[MET_NBINS], cok[MET_NBINS];
    double cconf[MET_NBINS];
} mf_sums;

/* The Mann-Whitney count of a selection in half units: (sum over positives of the
 * negatives below plus half the tied ones) * 2. */
typedef struct mf_auc {
    uint64_t u2;
    size_t npos, nneg;
} mf_auc;

/* Builds the per-row terms of an outcome. Cost: one pass over the rows and their scores
 * plus a radix sort of the scores (binary) or of the absolute errors (regression). Memory
 * per row: 45 bytes for a binary task with scores, 21 for regression. E_NOMEM; E_RANGE with
 * more than MF_MAX_ROWS rows; E_USAGE for an outcome without its per-row arrays. */
err_code mf_prep_build(mf_prep *p, const outcome *o, err *e);
void mf_prep_done(mf_prep *p);

/* Score sums over the rows of sel (NULL = all; nsel = its count, which chooses between a
 * walk of the selected rows and one of every row), in row order: the Brier and log-loss
 * part (brier, ll) and the calibration part (nscored and the bins), which may run on
 * different threads; mf_sum_scores does both. */
void mf_sum_losses(const mf_prep *p, const bitmap *sel, mf_sums *s);
void mf_sum_calibration(const mf_prep *p, const bitmap *sel, size_t nsel, mf_sums *s);
void mf_sum_scores(const mf_prep *p, const bitmap *sel, size_t nsel, mf_sums *s);
/* The AUC count over the rows of sel (NULL = all; nsel its count): part by part (any
 * thread each, then mf_auc_merge in part order), or all at once. Integer counts: the split
 * changes nothing. A sparse selection is done by part 0 alone (the others count nothing):
 * it sorts the selected rows' keys instead of walking every scored row. */
void mf_auc_count_part(const mf_prep *p, const bitmap *sel, size_t nsel, size_t part, mf_auc *a);
void mf_auc_merge(const mf_auc *parts, mf_auc *a);
void mf_auc_count(const mf_prep *p, const bitmap *sel, size_t nsel, mf_auc *a);
/* Fills m as met_compute(m, o, sel) would, from the selection's confusion matrix
 * (o->nclass squared cells, [truth * k + pred]), its size nsel (selected rows, evaluated or
 * not), its score sums and AUC count (either may be NULL when the file has no scores).
 * E_NOMEM; on failure m holds no memory. */
err_code mf_finish(metrics *m, const outcome *o, const size_t *confusion, size_t nsel,
                   const mf_sums *s, const mf_auc *a, err *e);

/* Regression: the sums of a selection in row order (ok rows, errors, sum |d|, sum d^2, sum
 * of targets, then the squares around their mean in a second pass), and the median of |d|
 * from a walk of the global order. */
typedef struct mf_reg_sums {
    size_t n, nerr;
    double sabs, ssq, sy, sstot;
} mf_reg_sums;
void mf_reg_sum(const mf_prep *p, const bitmap *sel, mf_reg_sums *s);
double mf_reg_median(const mf_prep *p, const bitmap *sel);
void mf_finish_regression(metrics *m, const outcome *o, size_t nsel, const mf_reg_sums *s,
                          double median);

/* All of it on the calling thread: met_compute's result for sel (NULL = all). */
err_code mf_compute(metrics *m, const mf_prep *p, const outcome *o, const bitmap *sel, err *e);

#endif
