/* compare: two models' predictions of the same rows, model A (the file's own prediction) and
 * model B (another file joined to it, or a second prediction column of the same file).
 * Counts both-right / fixed (wrong in A, right in B) / new errors (right in A, wrong in B) /
 * both-wrong, McNemar's exact test (STATISTICS.md), and per slice the error-rate difference
 * B - A with a 95% interval for paired proportions and a per-slice McNemar p-value, BH
 * q-values over all slices.
 *
 * The difference interval is Newcombe's hybrid score interval for paired data (Newcombe 1998,
 * Stat Med 17:2635, method 10; "Newcombe square-and-add" in Fagerland et al. 2014): the two
 * Wilson intervals combined through the phi correlation of the paired 2x2 table, so that the
 * pairing of the rows narrows (or widens) the interval as it should.
 *
 * Everything is indexed by A's rows. cmp_map and cmp_second own their arrays; cmp_result
 * owns its slice array and borrows nothing. */
#ifndef ANALYSIS_COMPARE_H
#define ANALYSIS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "dataset.h"
#include "err.h"
#include "outcome.h"
#include "roles.h"

#define CMP_NONE UINT32_MAX

/* Which of B's rows holds each of A's rows. */
typedef struct cmp_map {
    size_t n;          /* A's rows */
    uint32_t *b_row;   /* owned; n entries, B's row index of each A row */
    size_t nb_unused;  /* B's rows that no A row refers to (ignored) */
    bool by_id;        /* joined on the id columns (else by row order) */
} cmp_map;

/* Joins B to A on their id columns (cells compared as ds_cell_text writes them, so 7 and 7.0
 * match). Every A row needs an id found exactly once in B; B's other rows are counted in
 * nb_unused and ignored. Then the label cells of each pair must agree (as text).
 * Errors (E_PARSE), naming the file and its data row (row 1 = first line after the header):
 * a missing id, an id repeated in either file, an A id absent from B, a label that differs.
 * E_USAGE when a file has no id column; E_NOMEM. On failure m holds no memory. */
err_code cmp_join_by_id(cmp_map *m, const dataset *a, const roles *ra, const dataset *b,
                        const roles *rb, err *e);
/* Pairs row i of A with row i of B: the row counts must match and every pair of label cells
 * must agree (a missing label must be missing in both), else E_PARSE naming the first
 * disagreeing row. E_NOMEM. */
err_code cmp_join_by_order(cmp_map *m, const dataset *a, const roles *ra, const dataset *b,
                           const roles *rb, err *e);
/* By id when both files have an id column, else by row order. */
err_code cmp_join(cmp_map *m, const dataset *a, const roles *ra, const dataset *b,
                  const roles *rb, err *e);
void cmp_map_done(cmp_map *m);

/* Model B's result on A's rows, judged against A's labels (and A's fail_above for
 * regression). A predicted class name that is not one of A's classes is simply wrong. */
typedef struct cmp_second {
    size_t n;        /* A's rows */
    uint32_t *yhat;  /* owned; B's predicted class in A's class indexes, CLASS_NA when missing
                      * or not one of A's classes; NULL for regression */
    uint8_t *err;    /* owned; OUT_CORRECT, OUT_ERROR or OUT_UNKNOWN per A row */
    size_t nerr, nunknown;
} cmp_second;

/* B from column col of A's own file (--pred2): class names for classification (looked up
 * in A's classes), numbers for regression. E_TYPE when the column cannot hold predictions
 * of the task (text for regression, numbers that are not class values), E_RANGE for a bad
 * index, E_NOMEM. */
err_code cmp_second_from_column(cmp_second *s, const dataset *ds, const roles *r,
                                const outcome *a, int col, err *e);
/* B from another file's outcome ob (built with that file's own roles rb) through a join map.
 * Classes are matched by name. E_USAGE when the two tasks differ, E_NOMEM. */
err_code cmp_second_from_other(cmp_second *s, const outcome *a, const roles *ra,
                               const outcome *ob, const roles *rb, const cmp_map *m, err *e);
void cmp_second_done(cmp_second *s);

typedef enum {
    CMP_BOTH_RIGHT,
    CMP_FIXED,      /* wrong in A, right in B */
    CMP_NEW_ERROR,  /* right in A, wrong in B ("broken") */
    CMP_BOTH_WRONG,
    CMP_UNKNOWN     /* not evaluated in A or in B */
} cmp_state;

/* The pair state of row i (for filter terms and slices). */
static inline cmp_state cmp_row_state(const outcome *a, const cmp_second *b, size_t i)
{
    uint8_t ea = a->err[i], eb = b->err[i];
    if (ea == OUT_UNKNOWN || eb == OUT_UNKNOWN)
        return CMP_UNKNOWN;
    if (ea == OUT_ERROR)
        return eb == OUT_ERROR ? CMP_BOTH_WRONG : CMP_FIXED;
    return eb == OUT_ERROR ? CMP_NEW_ERROR : CMP_BOTH_RIGHT;
}

/* Counts of a set of rows and the figures derived from them. */
typedef struct cmp_counts {
    size_t n;                   /* rows evaluated by both models */
    size_t both_right, fixed, new_errors, both_wrong;
    double rate_a, rate_b;      /* error rates; NAN when n == 0 */
    double diff, lo, hi;        /* rate_b - rate_a and its 95% paired interval */
    double p;                   /* McNemar's exact p on (fixed, new_errors); NAN when n == 0 */
} cmp_counts;

typedef struct cmp_slice {
    uint32_t dim, bin;          /* into the binning */
    cmp_counts c;
    double q;                   /* BH q-value over the slices with n > 0; NAN when n == 0 */
    bool regressed;             /* diff > 0 and q < alpha */
    bool improved;              /* diff < 0 and q < alpha */
} cmp_slice;

typedef struct cmp_result {
    cmp_counts all;             /* the whole selection */
    size_t nunknown;            /* selected rows not evaluated by one of the models */
    size_t len;
    cmp_slice *v;               /* owned; every bin of every dimension, binning order */
    size_t ntested;             /* slices with n > 0 (the m of BH) */
    size_t nregressed;          /* slices with regressed set */
    double alpha;
} cmp_result;

/* McNemar's exact two-sided p: b rows wrong only in A, c rows wrong only in B,
 * p = min(1, 2 P(Binomial(b + c, 1/2) <= min(b, c))); 1 when b + c == 0. Summed in log space
 * from the tail's edge, so it keeps its relative accuracy for tiny p and any b + c. */
double cmp_mcnemar_exact(size_t b, size_t c);
/* Newcombe's paired interval of rate_b - rate_a from the four counts (n = their sum):
 * writes lo and hi, NAN when n == 0. */
void cmp_paired_interval(size_t both_right, size_t fixed, size_t new_errors, size_t both_wrong,
                         double *lo, double *hi);
/* Fills every figure of c from its four counts. */
void cmp_counts_finish(cmp_counts *c);

/* Compares over the rows of sel (NULL = all; else sel->nbits == a->n, or E_RANGE), overall
 * and per slice of b (NULL: no slices). alpha: significance level for regressed/improved.
 * r is overwritten; on failure it holds no memory. Cost: one pass per dimension. E_NOMEM,
 * E_RANGE. */
err_code cmp_compute(cmp_result *r, const outcome *a, const cmp_second *s, const binning *b,
                     const bitmap *sel, double alpha, err *e);
void cmp_done(cmp_result *r);
/* Fills order[0..r->len) with slice indexes: significantly regressed slices first (by q,
 * then larger diff), then the other tested slices by q, then larger diff, then empty slices;
 * ties by dimension and bin. E_NOMEM. */
err_code cmp_order(const cmp_result *r, size_t *order, err *e);

#endif
