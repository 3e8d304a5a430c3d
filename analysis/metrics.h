/* metrics: headline figures of a selection, with scikit-learn's definitions
 * (see STATISTICS.md): accuracy, confusion matrix, per-class precision / recall / F1,
 * macro and weighted F1, binary ROC AUC, Brier score, log loss, ECE / MCE with their table of
 * 10 calibration bins; MAE, RMSE, R^2 and median absolute error for regression.
 * Rows whose outcome is OUT_UNKNOWN are left out and counted. */
#ifndef ANALYSIS_METRICS_H
#define ANALYSIS_METRICS_H

#include <stddef.h>

#include "bitmap.h"
#include "err.h"
#include "outcome.h"

#define MET_NBINS 10

typedef struct met_class {
    double precision, recall, f1;
    size_t support; /* rows whose true class is this one */
} met_class;

typedef struct met_bin {
    double lo, hi;      /* bin 0 = [0, 0.1], bin i = (i/10, (i+1)/10] */
    size_t n;
    double accuracy;    /* NAN when n == 0 */
    double confidence;  /* mean top-class score, NAN when n == 0 */
} met_bin;

typedef struct metrics {
    size_t n;        /* rows evaluated (selection minus unknown) */
    size_t nerr;     /* errors among them */
    size_t nunknown; /* selected rows not evaluated (missing label or prediction) */
    double accuracy, error_rate;
    /* classification (NAN when not applicable) */
    uint32_t nclass;
    size_t *confusion;   /* owned; nclass * nclass, [truth * nclass + pred] */
    met_class *per_class; /* owned; nclass */
    double macro_f1, weighted_f1;
    double roc_auc;      /* binary with scores, NAN otherwise or when one class is absent */
    size_t nscored;      /* evaluated rows with complete scores (Brier, log loss, ECE use them) */
    double brier, log_loss, ece, mce;
    met_bin bins[MET_NBINS];
    /* regression (NAN when not applicable) */
    double mae, rmse, r2, median_ae, fail_above;
} metrics;

/* Computes the metrics over the rows in sel (NULL = every row; else sel->nbits == o->n, or
 * E_RANGE). m is overwritten (met_done a previous result first); on failure it holds no
 * memory. Rows with any missing class score are left out of the score-based figures (a
 * class without a score column counts as score 0, as in the per-row loss). The calibration
 * confidence is o->conf (the largest score when o->conf is NULL). Accuracy is the share of
 * evaluated rows that are not errors, also for regression (rows within fail_above).
 * Cost: one pass over the selection, two for regression, plus a radix sort of the scores
 * for the binary AUC. E_NOMEM, E_RANGE, E_USAGE (an outcome without its per-row arrays). */
err_code met_compute(metrics *m, const outcome *o, const bitmap *sel, err *e);
/* Fills per_class, macro_f1 and weighted_f1 from m->confusion, m->nclass and m->n: precision,
 * recall and F1 with zero_division = 0, the macro mean over the classes seen (as truth or
 * prediction), the support-weighted mean (scikit-learn's definitions and operation order). */
void met_per_class(metrics *m);
/* Empties m: counts 0, every figure NAN, the calibration bins' edges set. */
void met_reset(metrics *m);
/* Fills the calibration bins, ECE and MCE from per-bin row counts, correct counts and
 * confidence sums (m->nscored must be set). */
void met_finish_calibration(metrics *m, const size_t *n, const size_t *ok, const double *conf);
/* Frees what met_compute allocated; safe on a zeroed struct. */
void met_done(metrics *m);
/* The calibration bin of a confidence c (0..9), as STATISTICS.md: c <= 0.1 (also below 0)
 * is 0, c > 0.9 (also above 1) is 9, edges compared as i / 10.0. -1 for NAN. */
int met_bin_of(double c);

#endif
