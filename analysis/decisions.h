/* decisions: runs the computations of the decision sections (issue 7) for the command line
 * and holds their results: a second model (another file joined to this one, or a second
 * prediction column), costs and the threshold sweep, selective prediction, drift over time,
 * fairness per protected column, data checks, error categories and their slices.
 *
 * Two phases, because filters read part of the results: dec_prepare works on every row
 * (the second model's per-row results, data checks, categories: what the filter fields
 * pred2, error2, fixed, broken and the categories read) and checks the options against the
 * file; dec_compute then works on the selection (comparison per slice, costs, sweep,
 * coverage, drift, fairness, category slices). A section that does not apply to the file
 * (a sweep without scores, drift without a time column) is left out, not an error.
 * decisions owns everything it holds (the other file included); it borrows the caller's
 * dataset, roles, outcome and binning, which must outlive it. */
#ifndef ANALYSIS_DECISIONS_H
#define ANALYSIS_DECISIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "binning.h"
#include "bitmap.h"
#include "catslice.h"
#include "categories.h"
#include "compare.h"
#include "costs.h"
#include "datacheck.h"
#include "dataset.h"
#include "drift.h"
#include "err.h"
#include "fairness.h"
#include "filter.h"
#include "loader.h"
#include "outcome.h"
#include "roles.h"

#define DEC_MAX_PROTECTED 16

typedef struct dec_opts {
    const char *compare_path;  /* --compare OTHER.csv, NULL for none */
    const ld_opts *load;       /* how to load it (the file's own options) */
    const role_opts *roles;    /* its roles (the file's own options, without pred2) */
    const char *costs_path;    /* --costs FILE, NULL for none */
    double cost_fp, cost_fn;   /* --cost-fp, --cost-fn; NAN when not given (the other is 1) */
    double target_accuracy;    /* --target-accuracy, NAN for none */
    const char *protected_cols; /* --protected COL[,COL], NULL for none */
    bool data_checks;          /* false: --no-data-checks (no outlier category either) */
    double alpha;              /* significance level of the comparison and drift (0.05) */
    size_t min_support;        /* category slices with fewer rows are marked small */
} dec_opts;

void dec_opts_init(dec_opts *o);

typedef struct decisions {
    /* phase 1: every row */
    bool has_second;           /* a second model, from another file or a column */
    dataset *other;            /* owned; the --compare file, NULL otherwise */
    roles other_roles;
    outcome other_out;
    cmp_map map;
    cmp_second second;
    double *ypred2;            /* owned; regression from another file: its estimate per row */
    flt_compare filter_cmp;    /* what filters read of the second model */
    char name_a[300], name_b[300]; /* how the report names the two models */
    bool has_dc;               /* dc holds results (to free) */
    bool dc_full;              /* every check ran (else only the outliers: --no-data-checks) */
    dc_result dc;
    bool has_cats;
    cat_result cats;
    bool has_costs;
    cost_matrix costs;
    size_t nprotected;
    uint32_t protected_dim[DEC_MAX_PROTECTED];
    double current_threshold;  /* the threshold the binary predictions follow, NAN unknown */
    bool has_time;
    uint32_t time_dim;         /* the time column's calendar buckets (has_time) */
    /* phase 2: the selection */
    bool has_cmp;
    cmp_result cmp;
    bool has_cost;
    cost_result cost;
    bool has_sweep;
    cost_sweep sweep;
    bool has_selective;
    cost_selective selective;
    bool has_drift;
    drift_result drift;
    size_t nfair;
    fair_result fair[DEC_MAX_PROTECTED];
    cat_slice cat_slices[CAT_COUNT];
} decisions;

/* Phase 1. file: the file's name for the report. Errors: E_IO and E_PARSE from the other
 * file or the cost file (messages name the file; a cost cell as file:line:column), E_USAGE
 * for an option that does not fit the file (messages start with the flag: "--protected
 * x: no such column ..."), E_NOMEM. On failure d still needs dec_done. */
err_code dec_prepare(decisions *d, const dec_opts *o, const char *file, const dataset *ds,
                     const roles *r, const outcome *out, const binning *b, err *e);
/* Phase 2 over the rows of sel (NULL = all); may be called again for another selection. */
err_code dec_compute(decisions *d, const dec_opts *o, const outcome *out, const binning *b,
                     const bitmap *sel, err *e);
void dec_done(decisions *d);

/* The threshold a binary file's predictions follow: 0.5 when every row with a prediction
 * and a positive-class score is predicted positive exactly when its score is >= 0.5 (and
 * there is at least one such row), else NAN. */
double dec_current_threshold(const outcome *o);

#endif
