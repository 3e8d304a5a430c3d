/* fairness: the model's decisions per group of a protected column (STATISTICS.md): per group
 * the rows, selection rate (share predicted positive), TPR, FPR, precision and error rate;
 * over the groups the demographic-parity difference (max - min selection rate) and ratio
 * (min / max, the four-fifths flag when < 0.8) and the equalised-odds difference (the larger
 * of the TPR spread and the FPR spread), as fairlearn defines them.
 *
 * Groups are the bins of the column's binning dimension (levels of a categorical column,
 * values or quantile bins of a numeric one, a missing group). "Positive" is the binary task's
 * positive class, or a class the caller names for a multiclass task (one against the rest);
 * without one only the per-group error rate is computed (the rate figures are NAN). Rates
 * that are undefined in a group (TPR without positive rows, FPR without negative rows,
 * precision without predicted positives) are NAN there and left out of the spreads. Only
 * evaluated rows count. fair_result owns its group array. */
#ifndef ANALYSIS_FAIRNESS_H
#define ANALYSIS_FAIRNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "err.h"
#include "outcome.h"

#define FAIR_FOUR_FIFTHS 0.8

typedef struct fair_group {
    uint32_t bin;                 /* into the dimension */
    size_t n, nerr;               /* evaluated rows of the group in the selection; errors */
    size_t tp, fp, tn, fn;        /* with a positive class; 0 otherwise */
    double selection_rate;        /* (tp + fp) / n */
    double tpr, fpr, precision;   /* NAN when undefined */
    double error_rate;            /* nerr / n; NAN when n == 0 */
} fair_group;

typedef struct fair_result {
    uint32_t dim;                 /* binning dimension of the protected column */
    bool has_positive;            /* the rate figures exist */
    uint32_t positive;            /* class index, CLASS_NA without one */
    size_t len;
    fair_group *v;                /* owned; every bin of the dimension, in bin order */
    size_t ngroups;               /* groups with n > 0 */
    double dp_diff, dp_ratio;     /* NAN without a positive class or with < 1 group; ratio
                                   * NAN when no group selects anyone */
    double tpr_diff, fpr_diff, eo_diff; /* NAN when fewer than one group defines them */
    double error_diff;            /* max - min error rate over the groups */
    bool four_fifths;             /* dp_ratio < 0.8 */
} fair_result;

/* The binning dimension of dataset column col (not a derived one). E_USAGE when col has none
 * (a column that is not sliced, such as the label or an id). */
err_code fair_find_dim(const binning *b, int col, uint32_t *dim, err *e);
/* Computes the groups of dimension dim over the rows of sel (NULL = all). positive: a class
 * index, or CLASS_NA for the task's positive class (binary) or none. E_RANGE for a bad dim,
 * positive class or selection size; E_USAGE for a regression with a positive class; E_NOMEM.
 * r is overwritten and holds no memory on failure. */
err_code fair_compute(fair_result *r, const outcome *o, const binning *b, uint32_t dim,
                      uint32_t positive, const bitmap *sel, err *e);
void fair_done(fair_result *r);

#endif
