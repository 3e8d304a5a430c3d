/* datacheck: properties of the file itself that make a model's figures suspect, computed over
 * every row (not the selection): missing values per column, constant columns, duplicate rows
 * and duplicate ids, class imbalance, a column that predicts the label or the error almost
 * perfectly (leakage hint), label-issue candidates (confident learning) and outlier rows
 * (robust z-score). Definitions are in STATISTICS.md; the rules it leaves open are stated
 * beside each field below.
 *
 * Feature columns are those whose role is ROLE_FEATURE or ROLE_TEXT (not the id, label,
 * prediction, scores or time). dc_result owns every array and bitmap it holds; it borrows
 * nothing, and refers to columns by index and to rows by 0-based index (row i is the file's
 * data row i + 1). */
#ifndef ANALYSIS_DATACHECK_H
#define ANALYSIS_DATACHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "dataset.h"
#include "err.h"
#include "outcome.h"
#include "roles.h"

#define DC_NONE UINT32_MAX

/* Leakage rule: the leave-one-out accuracy of the per-bin majority (each row predicted by
 * the majority of the other rows of its bin; a tie or a bin of one row counts as wrong, so a
 * column of unique values predicts nothing) is at least DC_LEAK_ACC, and its misses are at
 * most DC_LEAK_GAIN times those of always predicting the most frequent value (so a label that
 * is 99% one class does not make every column a suspect). */
#define DC_LEAK_ACC 0.98
#define DC_LEAK_GAIN 0.2
/* Dimensions with more bins x classes than this are not tested for label leakage (memory). */
#define DC_LEAK_MAX_CELLS ((size_t)1 << 24)
/* Class imbalance is flagged when the smallest class holds less than this share of the
 * labelled rows (the same 5% as the rare-class error category). */
#define DC_RARE_SHARE 0.05
/* Robust z-score outlier threshold (Iglewicz and Hoaglin). */
#define DC_OUTLIER_Z 3.5

typedef struct dc_column {
    size_t nmissing;      /* missing cells (bad cells included) */
    double missing_share; /* nmissing / rows; NAN without rows */
    bool constant;        /* at most one distinct non-missing value */
    /* outliers (numeric feature columns; NAN / 0 otherwise) */
    double median, mad;   /* of the non-missing values; MAD = median |x - median| */
    size_t noutliers;     /* rows with |0.6745 (x - median) / MAD| > 3.5; none when MAD = 0
                           * (the z-score is undefined: most values equal the median) */
} dc_column;

typedef struct dc_leak {
    uint32_t dim;         /* binning dimension of a feature column */
    int col;
    double acc_label, base_label; /* leave-one-out majority accuracy and the constant
                                   * baseline for the label; NAN when not tested */
    double acc_error, base_error; /* the same for the error indicator (evaluated rows) */
    bool leaks_label, leaks_error;
} dc_leak;

typedef struct dc_result {
    size_t nrows, ncols;
    dc_column *cols;      /* owned; ncols, in dataset order */
    size_t nconstant;
    /* duplicates: rows whose feature values all equal an earlier row's (missing equals
     * missing); nfeatures = 0 means there was nothing to compare */
    size_t nfeatures;
    size_t ndup_rows;     /* rows that repeat an earlier row */
    size_t ndup_groups;   /* distinct feature tuples that occur more than once */
    size_t ndup_conflict; /* of those, groups whose labels disagree */
    uint32_t dup_example[2]; /* the first repeated row (by row order) and the row it repeats,
                              * DC_NONE when none */
    /* duplicate ids (needs an id column; has_id false otherwise) */
    bool has_id;
    size_t ndup_ids;      /* id values held by more than one row */
    size_t ndup_id_rows;  /* rows holding such an id */
    size_t nmissing_ids;
    uint32_t dup_id_example[2]; /* the first row whose id repeats, and the earlier row */
    /* class balance (classification): over rows with a label, among classes that occur */
    uint32_t smallest, largest;   /* class indexes, CLASS_NA without labels */
    double smallest_share, largest_share, imbalance_ratio; /* ratio = smallest / largest */
    bool imbalanced;      /* smallest_share < DC_RARE_SHARE */
    /* leakage hints: one entry per feature dimension of the binning */
    size_t nleak_tested;
    dc_leak *leak;        /* owned; nleak_tested */
    size_t nleaks;        /* entries with leaks_label or leaks_error */
    /* label-issue candidates (confident learning; classification with scores) */
    bool has_label_issues;    /* false when there are no scores */
    uint32_t nclass;          /* entries of class_threshold */
    double *class_threshold;  /* owned; nclass, t_k = mean p_k over rows labelled k with
                               * complete scores, NAN when no such row */
    bitmap label_issue;       /* owned; rows that are candidates */
    size_t nlabel_issue;
    /* outlier rows: any numeric feature column's robust |z| > 3.5 */
    bitmap outlier;           /* owned */
    size_t noutlier;
} dc_result;

/* Runs every check. b: the binning (for the leakage hints; NULL skips them). o: NULL skips
 * the class balance, leakage and label checks. r is overwritten; on failure it holds no
 * memory. E_NOMEM, E_RANGE (inputs of different row counts). Cost: a few passes per column,
 * a radix sort for duplicates, one median pair per numeric feature column. */
err_code dc_compute(dc_result *r, const dataset *ds, const roles *ro, const outcome *o,
                    const binning *b, err *e);
void dc_done(dc_result *r);

/* The single checks, each filling its part of r (r->nrows and r->ncols set, r->cols
 * allocated for dc_outliers and dc_columns). Same errors as dc_compute. */
void dc_columns(dc_result *r, const dataset *ds);
err_code dc_duplicates(dc_result *r, const dataset *ds, const roles *ro, err *e);
err_code dc_duplicate_ids(dc_result *r, const dataset *ds, const roles *ro, err *e);
err_code dc_balance(dc_result *r, const outcome *o, err *e);
err_code dc_leakage(dc_result *r, const dataset *ds, const outcome *o, const binning *b, err *e);
err_code dc_label_issues(dc_result *r, const outcome *o, err *e);
err_code dc_outliers(dc_result *r, const dataset *ds, err *e);

/* Leave-one-out accuracy of the per-bin majority from counts cnt[bin * k + class] (nbins x k);
 * *base receives the share of the most frequent class. NAN for an empty table. */
double dc_loo_majority(const uint32_t *cnt, size_t nbins, size_t k, double *base);
/* The leakage rule above on an accuracy and its baseline. */
bool dc_is_leak(double acc, double base);

#endif
