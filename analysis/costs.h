/* costs: what the model's decisions cost, and which decision rule would cost less.
 * - A cost matrix (rows true class, columns predicted class) read from a small CSV file or
 *   made from two binary costs; the expected cost (mean cost per evaluated row) overall and
 *   per slice (costs.c, cost_parse.c).
 * - The binary threshold sweep over the positive class score (cost_sweep.c): every distinct
 *   score t is a threshold and a row is predicted positive when score >= t, as scikit-learn's
 *   roc_curve(drop_intermediate=False) and precision_recall_curve count; a last point at
 *   t = +inf predicts no positive. Per threshold: confusion counts, precision, recall (TPR),
 *   F1 (zero_division = 0, as STATISTICS.md), FPR and the expected cost; the thresholds that
 *   minimise the cost, maximise F1 and maximise Youden's J = TPR - FPR (ties: the largest
 *   threshold, which predicts the fewest positives).
 * - Selective prediction (cost_selective.c): accuracy against coverage as the confidence
 *   threshold rises (keep the rows whose top-class score is >= t), and the lowest threshold
 *   whose kept rows reach a target accuracy (the largest coverage that does).
 * Every result owns its arrays; inputs are borrowed for the call only. */
#ifndef ANALYSIS_COSTS_H
#define ANALYSIS_COSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "err.h"
#include "outcome.h"

#define COST_NONE SIZE_MAX

typedef struct cost_matrix {
    uint32_t k;  /* classes, in the outcome's class order */
    double *c;   /* owned; k * k, c[true * k + predicted] */
} cost_matrix;

/* Parses a cost matrix from buf[0..len) (name is used in messages). Format: a header line
 * whose first cell is ignored (e.g. "true\pred") and whose other cells name the predicted
 * classes; then one line per true class: its name, then one cost per header class. Cells are
 * separated by the first of , ; or TAB found in the header; a cell may be double-quoted
 * ("" inside for a quote); blank lines and lines starting with # are skipped. Every one of the
 * nclass classes must appear once as a row and once as a column; costs are finite numbers
 * (negative ones are gains). Errors (E_PARSE) read "name:line:column: message" with 1-based
 * byte columns: an unknown or repeated class, a cell that is not a number, a line with the
 * wrong number of cells, a class without a row or a column. E_NOMEM. */
err_code cost_matrix_parse(cost_matrix *m, const char *name, const char *buf, size_t len,
                           const char *const *classes, uint32_t nclass, err *e);
/* The same from a file (E_IO when it cannot be read). */
err_code cost_matrix_load(cost_matrix *m, const char *path, const char *const *classes,
                          uint32_t nclass, err *e);
/* Binary: cost_fp for a negative predicted positive, cost_fn for a positive predicted
 * negative, 0 on the diagonal. E_USAGE when positive is not 0 or 1, E_RANGE for a cost that
 * is not finite, E_NOMEM. */
err_code cost_matrix_binary(cost_matrix *m, uint32_t positive, double cost_fp, double cost_fn,
                            err *e);
void cost_matrix_done(cost_matrix *m);

typedef struct cost_slice {
    uint32_t dim, bin;   /* into the binning */
    size_t n;            /* evaluated rows of the slice in the selection */
    double total, mean;  /* summed and mean cost; mean NAN when n == 0 */
    double share;        /* total / the selection's total; NAN when that is 0 */
} cost_slice;

typedef struct cost_result {
    size_t n;            /* evaluated rows in the selection */
    double total, mean;  /* mean NAN when n == 0 */
    size_t len;
    cost_slice *v;       /* owned; every bin of every dimension, binning order */
} cost_result;

/* Expected cost of the model's own predictions over the rows of sel (NULL = all), overall
 * and per slice of b (NULL: none). E_USAGE when m does not match the outcome's classes (or
 * the task is a regression), E_RANGE for a selection of the wrong size, E_NOMEM. r is
 * overwritten and holds no memory on failure. */
err_code cost_compute(cost_result *r, const cost_matrix *m, const outcome *o, const binning *b,
                      const bitmap *sel, err *e);
void cost_done(cost_result *r);

typedef struct cost_point {
    double t;                 /* threshold: predicted positive when score >= t; +inf last */
    size_t tp, fp, tn, fn;
    double precision, recall; /* recall is the TPR; 0 when undefined (zero_division = 0) */
    double f1, fpr;           /* fpr NAN when there is no negative row */
    double cost;              /* mean cost per row; NAN without a cost matrix */
} cost_point;

typedef struct cost_sweep {
    size_t n, npos;        /* rows swept (label and score known), positives among them */
    size_t nskipped;       /* selected rows left out: label missing or score missing */
    size_t len;
    cost_point *v;         /* owned; ascending thresholds, the +inf point last */
    size_t best_cost;      /* index of the cheapest point, COST_NONE without costs or rows */
    size_t best_f1;        /* index of the largest F1, COST_NONE without rows */
    size_t best_j;         /* index of the largest Youden J, COST_NONE without both classes */
} cost_sweep;

/* Sweeps the positive class score (out_score(o, i, o->positive)) over the rows of sel (NULL =
 * all) whose label and score are known. m: costs per threshold (NULL for none). E_USAGE for a
 * task that is not binary or has no scores, E_RANGE, E_NOMEM. Cost: a radix sort. */
err_code cost_sweep_compute(cost_sweep *s, const outcome *o, const cost_matrix *m,
                            const bitmap *sel, err *e);
void cost_sweep_done(cost_sweep *s);

typedef struct cost_cov_point {
    double t;          /* keep rows whose confidence is >= t */
    size_t n, ncorrect;
    double coverage;   /* n / rows with a confidence */
    double accuracy;   /* ncorrect / n */
} cost_cov_point;

typedef struct cost_selective {
    size_t total;      /* evaluated rows of the selection with a confidence */
    size_t nskipped;   /* evaluated rows without one (missing scores) */
    size_t len;
    cost_cov_point *v; /* owned; one point per distinct confidence, ascending (coverage falls) */
    double target;     /* the accuracy asked for; NAN for none */
    size_t at_target;  /* first point whose accuracy >= target, COST_NONE when none is */
} cost_selective;

/* Accuracy against coverage over the evaluated rows of sel (NULL = all) with a confidence
 * (o->conf). target: an accuracy in (0, 1], or NAN. E_USAGE for a regression or an outcome
 * without scores, E_RANGE (selection size, target outside (0, 1]), E_NOMEM. */
err_code cost_selective_compute(cost_selective *s, const outcome *o, const bitmap *sel,
                                double target, err *e);
void cost_selective_done(cost_selective *s);

#endif
