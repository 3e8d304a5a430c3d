/* metrics_fast: the figures of met_compute for many selections of the same rows, from terms
 * precomputed once per row, so that a new selection costs one ordered pass for the score
 * figures and one for the ROC AUC instead of re-deriving scores and sorting them.
 * Classification only (regression goes through met_compute). Results equal met_compute's
 * bit for bit: the sums run in row order with the same operations (metrics.c stays the
 * reference, and the tests compare the two).
 *
 * A selection's metrics are assembled from three parts, which a caller may compute on
 * different threads: the confusion matrix (counted by the caller, e.g. together with the
 * slices), mf_sum_scores and mf_auc_count; mf_finish puts them together. mf_compute does it
 * all on the calling thread. The prep is immutable once built: any number of threads may
 * read it at once. */
#ifndef ANALYSIS_METRICS_FAST_H
#define ANALYSIS_METRICS_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "err.h"
#include "metrics.h"
#include "outcome.h"

#define MF_UNSCORED 0xFF /* cbin of a row left out of the score figures */
#define MF_OK_BIT 0x10   /* cbin: the row is correct; the low 4 bits are its calibration bin */

/* Per-row terms of a scored row (evaluated, every class score present, confidence known). */
typedef struct mf_row {
    double brier; /* (p_pos - y)^2, or sum_k (p_k - y_k)^2 for more than two classes */
    double ll;    /* -ln p(true class), scores clipped and renormalised */
    double conf;  /* top-class score */
} mf_row;

typedef struct mf_prep {
    size_t n;        /* rows */
    uint32_t k;      /* classes */
    bool scored;     /* the file has class scores */
    bool binary;     /* two classes with a positive one: the AUC applies */
    mf_row *row;     /* owned; n entries (NULL without scores) */
    uint8_t *cbin;   /* owned; n entries: calibration bin | MF_OK_BIT, or MF_UNSCORED */
    uint32_t *order; /* owned; binary: the scored rows by positive-class score ascending,
                      * negatives before positives among equal scores; each entry is
                      * row | MF_POS (the true class is the positive one) | MF_TIE (the
                      * score equals the previous entry's) */
    size_t norder;
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

/* Builds the per-row terms of a classification outcome. Cost: one pass over the rows and
 * their scores plus a radix sort of the scores (binary). E_NOMEM; E_RANGE with more than
 * MF_MAX_ROWS rows; E_USAGE for a regression outcome. */
err_code mf_prep_build(mf_prep *p, const outcome *o, err *e);
void mf_prep_done(mf_prep *p);

/* Score sums over the rows of sel (NULL = all). rows: [r0, r1), r0 a multiple of 64, for
 * a share of the work; sums of different ranges do not add up bit for bit, so the
 * engine gives this one task the whole range. */
void mf_sum_scores(const mf_prep *p, const bitmap *sel, size_t r0, size_t r1, mf_sums *s);
/* The AUC count over the rows of sel (NULL = all). */
void mf_auc_count(const mf_prep *p, const bitmap *sel, mf_auc *a);
/* Fills m as met_compute(m, o, sel) would, from the selection's confusion matrix
 * (o->nclass squared cells, [truth * k + pred]), its size nsel (selected rows, evaluated or
 * not), its score sums and AUC count (either may be NULL when the file has no scores).
 * E_NOMEM; on failure m holds no memory. */
err_code mf_finish(metrics *m, const outcome *o, const size_t *confusion, size_t nsel,
                   const mf_sums *s, const mf_auc *a, err *e);
/* All of it on the calling thread: met_compute's result for sel (NULL = all). */
err_code mf_compute(metrics *m, const mf_prep *p, const outcome *o, const bitmap *sel, err *e);

#endif
