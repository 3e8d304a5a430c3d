/* colrank: "which columns matter" - every slicing dimension ranked by the mutual
 * information (bits) between its bins and the error indicator within a selection, with
 * Cramer's V beside it (STATISTICS.md). Missing is a bin like any other; rows in no bin
 * and rows whose outcome is unknown are left out, as in the slice table the figures come
 * from. The "outcome" dimension (TP, FP, TN, FN) is left out: it encodes the error itself,
 * so it would always rank first and say nothing. The ranking owns its array. */
#ifndef ANALYSIS_COLRANK_H
#define ANALYSIS_COLRANK_H

#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "err.h"
#include "slice.h"

typedef struct rank_entry {
    uint32_t dim;     /* into the binning */
    int col;          /* dataset column, -1 for a derived dimension (true class, ...) */
    double mi;        /* mutual information in bits; NAN for an empty selection */
    double cramers_v; /* NAN for an empty selection */
    uint32_t nbins;   /* bins holding rows of the selection */
} rank_entry;

typedef struct col_ranking {
    size_t len;
    rank_entry *v; /* owned; by mutual information descending, then Cramer's V descending,
                    * then dimension order; NAN last */
} col_ranking;

/* Ranks the dimensions of b from a slice table of the selection (its per-bin counts).
 * Cost: a pass over the table's slices plus a sort of the dimensions. E_NOMEM only. */
err_code rank_compute(col_ranking *r, const binning *b, const slice_table *t, err *e);
/* Ranks from counts given per dimension: n_err[d] and n_ok[d] hold b->dim[d].nbins counts.
 * E_NOMEM only. */
err_code rank_from_counts(col_ranking *r, const binning *b, const size_t *const *n_err,
                          const size_t *const *n_ok, err *e);
void rank_done(col_ranking *r);
err_code rank_copy(col_ranking *dst, const col_ranking *src, err *e);

#endif
