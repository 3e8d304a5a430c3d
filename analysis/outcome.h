/* outcome: the model's result on every row, derived once from the dataset and its roles:
 * the true and predicted class, whether the row is an error, the class scores, the top-class
 * confidence and the row's loss. Everything the engine and the metrics need per row, in
 * compact arrays. Owns its arrays; borrows the dataset's score columns. */
#ifndef ANALYSIS_OUTCOME_H
#define ANALYSIS_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"
#include "roles.h"

#define OUT_CORRECT 0
#define OUT_ERROR 1
#define OUT_UNKNOWN 2 /* label or prediction missing: not evaluated, counted */

/* Clip for log loss and per-row loss, as STATISTICS.md. */
#define OUT_EPS 1e-15

typedef struct outcome {
    size_t n;           /* rows */
    task_kind task;
    uint32_t nclass;    /* 0 for regression */
    const char *const *classes; /* borrowed from roles */
    uint32_t positive;  /* binary positive class index, else CLASS_NA */
    uint32_t *y;        /* owned; true class per row, CLASS_NA when missing (NULL: regression) */
    uint32_t *yhat;     /* owned; predicted class per row, CLASS_NA when missing */
    const double **score; /* owned array of nclass borrowed columns (entries may be NULL);
                           * NULL when the file has no per-class scores */
    const double *pos_score; /* borrowed; binary single score column (positive class) or NULL */
    const double *ytrue, *ypred; /* borrowed; regression target and estimate, else NULL */
    double fail_above;  /* regression: |error| above this is a failure */
    uint8_t *err;       /* owned; OUT_CORRECT, OUT_ERROR or OUT_UNKNOWN per row */
    double *conf;       /* owned; top-class score (NAN when no scores), NULL for regression */
    double *loss;       /* owned; -ln p(true class) (clipped, renormalised) or |error|; NAN
                         * when it cannot be computed */
    size_t nunknown;    /* rows with OUT_UNKNOWN */
    size_t nerr;        /* rows with OUT_ERROR */
    size_t nloss_missing; /* evaluated rows whose loss is NAN (missing scores) */
} outcome;

/* Builds the outcome of every row. For regression with r->fail_above NAN, the threshold is
 * the 90th percentile (numpy linear) of the absolute errors, written back to o->fail_above. */
err_code out_build(outcome *o, const dataset *ds, const roles *r, err *e);
void out_done(outcome *o);
/* Whether the row has any class score. */
bool out_has_scores(const outcome *o);
/* Score of class k on row i (NAN when missing): from the per-class column, or p / 1 - p for a
 * binary file with a single positive-class column. */
double out_score(const outcome *o, size_t i, uint32_t k);

/* The class scores of row i into p[0..nclass); false when one is missing. A class that has
 * no score column at all counts as 0, as in the per-row loss. */
bool out_row_scores(const outcome *o, size_t i, double *p);
/* -ln p[y] with every score clipped to [OUT_EPS, 1 - OUT_EPS] and the row renormalised
 * (scikit-learn's log_loss for one row). */
double out_log_loss(const double *p, uint32_t k, uint32_t y);

#endif
