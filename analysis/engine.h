/* engine: the filter stack, the options of the views, and the one result every pane reads.
 *
 * The selection is the AND of the pushed filters; each filter is compiled and evaluated once,
 * when pushed, and its bitmap kept. eng_recompute builds a complete new eng_result for the
 * current selection - headline metrics, confusion matrix and calibration bins, the slice
 * table of every dimension with q-values within the selection, the worst error cases, the
 * heatmap of the chosen pair of dimensions and the column ranking - and swaps it in only
 * when all of it succeeded: a reader never sees half a result, and a failure leaves the
 * previous one in place. Dirty flags limit the work: a filter change recomputes everything,
 * a heatmap change only the heatmap, a new minimum support only the small flags, a new
 * number of cases only the cases; the other parts are carried over.
 *
 * Speed comes from work done once in eng_new (a recompute is bound by the bytes it reads):
 * every dimension's bin code is folded with the row's error bit into a few joint codes per
 * row (one counting pass then serves several dimensions, the confusion matrix included);
 * the per-row Brier and log-loss terms, confidences and calibration bins are stored; the
 * rows are ordered by positive-class score (the ROC AUC of a selection is one ordered pass,
 * or a sort of the selected rows' keys when few are selected), the error rows by loss (the
 * worst cases are one filtered walk) and, for regression, by absolute error (the median is a
 * walk to the middle). Passes run as independent tasks over the cores and merge in a fixed
 * order, so results do not depend on the thread count, and they equal met_compute,
 * slc_compute, cs_top_errors, rank_compute and hm_compute over the same selection exactly.
 *
 * Threads: an engine is used from one thread (the owner). To keep the input loop free, the
 * owner may take a job with eng_job_begin, run it on any thread with eng_job_run, and hand
 * it back with eng_job_commit; while it runs, the owner may read the current result and may
 * even change the filters (the job works on a snapshot). The engine borrows the dataset,
 * roles, outcome and binning (they must outlive it and any job) and owns everything else.
 * Panes borrow the result until the next swap. */
#ifndef ANALYSIS_ENGINE_H
#define ANALYSIS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "cases.h"
#include "colrank.h"
#include "dataset.h"
#include "err.h"
#include "filter.h"
#include "heatmap.h"
#include "metrics.h"
#include "outcome.h"
#include "roles.h"
#include "slice.h"

#define ENG_DIM_AUTO (-1)   /* heatmap axis: picked from the column ranking by eng_new */
#define ENG_DIM_NONE (-2)   /* no heatmap */
#define ENG_HISTORY_MAX 200 /* filter expressions remembered */

typedef struct eng_opts {
    size_t min_support;  /* slices and cells with fewer rows are marked small; default 30 */
    int hm_x, hm_y;      /* heatmap dimensions, or ENG_DIM_AUTO (default) / ENG_DIM_NONE */
    bool hm_equal_width; /* numeric heatmap axes: equal-width instead of quantile bins */
    size_t ncases;       /* worst error cases kept; default 200, SIZE_MAX for all */
    size_t threads;      /* 0 = one per core */
} eng_opts;

void eng_opts_init(eng_opts *o);

typedef struct eng_result {
    bitmap sel;            /* owned; the selection (every row when no filter is pushed) */
    size_t nsel;           /* rows selected, evaluated or not */
    double err_lo, err_hi; /* 95% Wilson interval of m.error_rate; NAN when no row counts */
    double all_err;        /* the error rate over every evaluated row: the header's baseline */
    metrics m;             /* owned arrays; as met_compute over sel */
    slice_table slices;    /* owned; as slc_compute over sel */
    case_list cases;       /* owned; as cs_top_errors over sel, ncases of them */
    heatmap hm;            /* owned; hm.valid false when no pair is chosen */
    col_ranking rank;      /* owned */
    uint64_t serial;       /* 1 for the first result, one more for each swap */
} eng_result;

/* Parts of the result that are out of date. */
enum {
    ENG_DIRTY_SEL = 1u,     /* the filters changed: everything */
    ENG_DIRTY_SUPPORT = 2u, /* min_support changed: the small flags */
    ENG_DIRTY_HEATMAP = 4u, /* heatmap axes or binning changed */
    ENG_DIRTY_CASES = 8u,   /* the number of cases changed */
    ENG_DIRTY_ALL = 15u
};

typedef struct engine engine;

/* Precomputes the per-row tables and computes the first result (all rows; with
 * ENG_DIM_AUTO axes, the heatmap of the two top-ranked feature columns). Cost: a few passes
 * over the rows and two or three radix sorts. Memory: 1-2 bytes per row for each group of
 * dimensions (about five groups for twenty dimensions), 45 per row for the metrics of a
 * binary file with scores (21 for regression), 4 per error row, and 6 per row for each
 * numeric column used as a heatmap axis (kept once built). E_NOMEM, E_RANGE (more than
 * 2^30 rows, a dimension out of range). */
err_code eng_new(engine **out, const dataset *ds, const roles *r, const outcome *o,
                 const binning *b, const eng_opts *opt, err *e);
/* NULL is a no-op. No job may be running. */
void eng_free(engine *eng);

/* Compiles and evaluates expr now, so that a mistake is reported at once: E_PARSE, E_TYPE,
 * E_REGEX with *where (may be NULL) the offending byte range, E_NOMEM. On success the filter
 * is on top of the stack, its expression is the newest in the history, and the selection is
 * dirty. On failure nothing changes. Cost: one flt_eval over all rows. */
err_code eng_push_filter(engine *eng, const char *expr, err *e, flt_error *where);
/* Pushes a filter that is a set of rows rather than an expression (a cluster, a review
 * queue): rows must span the file's rows; label is what the filter stack shows (eng_filter_text)
 * and is not added to the history. Cost: a copy of the bitmap. E_RANGE, E_NOMEM. */
err_code eng_push_rows(engine *eng, const char *label, const bitmap *rows, err *e);
/* Lets filters use tag, tagged, untagged and note (filter.h): tags is borrowed and must
 * outlive the engine's filters; NULL turns them off for filters pushed afterwards. */
void eng_set_tags(engine *eng, const flt_tags *tags);
/* After the tags changed: evaluates again every pushed filter that reads them and marks the
 * selection dirty when there was one. E_NOMEM. */
err_code eng_tags_changed(engine *eng, err *e);
/* Lets filters use pred2, error2, fixed and broken (a second model's per-row results) and
 * the error categories (per-row CAT_BIT bits, categories.h). Both are borrowed and must
 * outlive the engine's filters; NULL turns the fields off for filters pushed afterwards. */
void eng_set_compare(engine *eng, const flt_compare *compare);
void eng_set_categories(engine *eng, const uint8_t *categories);
/* The context the engine compiles filters in (for completion and one-off compiles). */
flt_ctx eng_filter_ctx(const engine *eng);
/* Removes the top filter; false when there is none. */
bool eng_pop_filter(engine *eng);
size_t eng_filter_count(const engine *eng);
/* Filter i (0 = bottom) as typed (a row set's label), and the rows it matches on its own. */
const char *eng_filter_text(const engine *eng, size_t i);
size_t eng_filter_rows(const engine *eng, size_t i);
/* Pushed expressions, oldest first, each once (a repeat moves to the end), at most
 * ENG_HISTORY_MAX. Borrowed until the next push. */
size_t eng_history_count(const engine *eng);
const char *eng_history(const engine *eng, size_t i);

/* Chooses the heatmap's dimensions (ENG_DIM_NONE for none) and binning of numeric axes.
 * E_RANGE for a dimension out of range. */
err_code eng_set_heatmap(engine *eng, int x, int y, bool equal_width, err *e);
/* The same by dimension name (a column, or "true class", "predicted class", "confidence");
 * E_USAGE naming the unknown one. */
err_code eng_set_heatmap_names(engine *eng, const char *x, const char *y, bool equal_width, err *e);
void eng_set_min_support(engine *eng, size_t min_support);
void eng_set_ncases(engine *eng, size_t ncases);
/* Marks parts out of date by hand (ENG_DIRTY_* bits), e.g. to time a recompute. */
void eng_touch(engine *eng, unsigned dirty);
unsigned eng_dirty(const engine *eng);
const eng_opts *eng_options(const engine *eng);
const binning *eng_binning(const engine *eng);

/* Brings the result up to date on the calling thread (a no-op when nothing is dirty).
 * On failure the previous result stays and e says why. */
err_code eng_recompute(engine *eng, err *e);
/* The current result; never NULL after eng_new. Borrowed until the next swap. */
const eng_result *eng_current(const engine *eng);

/* Off the input loop. eng_job_begin (owner thread) snapshots what the recompute needs: the
 * selection, the options, the parts to carry over. eng_job_run may then run on any thread;
 * progress (may be NULL) is called between stages with the share done, and a nonzero return
 * cancels it (E_CANCEL). eng_job_commit (owner thread) swaps the job's result in and frees the
 * job; it returns true when the result matches the engine's current state, false when
 * something changed after begin (the parts changed stay dirty). A job that failed, was
 * cancelled or is no longer wanted is freed with eng_job_free. */
typedef struct eng_job eng_job;
typedef int (*eng_progress)(void *ctx, double done);
err_code eng_job_begin(engine *eng, eng_job **out, err *e);
err_code eng_job_run(eng_job *j, eng_progress progress, void *ctx, err *e);
bool eng_job_commit(engine *eng, eng_job *j);
void eng_job_free(eng_job *j);

/* Timings for `faultline bench`, in milliseconds, medians over reps runs each. */
typedef struct eng_bench_figures {
    size_t rows;
    double recompute_all_ms; /* full recompute with no filter */
    double recompute_ms;     /* full recompute with one of the selective filters (NAN when
                              * no selective filter was found, as filter_ms and
                              * selected_share) */
    double heatmap_ms;       /* a heatmap-only recompute with no filter */
    double filter_ms;        /* compiling and evaluating one of the selective filters */
    double selected_share;   /* mean share of rows the selective filters select */
    size_t nfilters;         /* selective filters found (single bins with 2-40% of rows) */
} eng_bench_figures;

/* Times recomputes on eng: with no filter; with each of up to 10 filters made from single
 * bins of different dimensions that hold 5-20% of the rows (2-40% when too few do); and the
 * heatmap of the current axes alone. Needs an empty filter stack (else E_USAGE) and leaves the
 * engine as found. E_NOMEM and the errors of a recompute. */
err_code eng_bench(engine *eng, size_t reps, eng_bench_figures *out, err *e);

#endif
