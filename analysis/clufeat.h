/* clufeat: the vectors that clustering works on when there is no text to cluster.
 * Tabular rows: every feature column (role feature) becomes dimensions: a numeric or time
 * column one dimension, standardised over the rows given (z = (x - mean) / sd; a missing
 * value is the mean, 0); a categorical column one 0/1 dimension per level, for its
 * CF_MAX_LEVELS most common levels among the rows (rarer levels and missing cells are all
 * zero: a column with thousands of levels, such as a free-text field typed as categorical,
 * would otherwise drown the rest). Embeddings: the numeric columns named PREFIX<digits>,
 * in the order of their numbers, missing values 0.
 * Each row is then scaled to unit L2 norm, so the spherical k-means of kmeans.h clusters it
 * by cosine, like the texts. Zero entries are not stored. */
#ifndef ANALYSIS_CLUFEAT_H
#define ANALYSIS_CLUFEAT_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"
#include "kmeans.h"

#define CF_MAX_LEVELS 30

typedef struct cf_matrix {
    size_t nrows;
    uint32_t ncols;
    size_t *rowptr;   /* owned; nrows + 1 */
    uint32_t *col;    /* owned */
    double *val;      /* owned */
    uint32_t nsource; /* dataset columns used */
} cf_matrix;

/* Tabular vectors of rows[0..nrows) (dataset row indexes). Columns with an id, label,
 * prediction, score, text or time role, and constant numeric columns, are left out.
 * E_RANGE when no column is usable; E_NOMEM. Free with cf_done. */
err_code cf_tabular(cf_matrix *out, const dataset *ds, const uint32_t *rows, size_t nrows,
                    err *e);
/* Embedding vectors from the columns PREFIX0, PREFIX1, ... (numeric). E_USAGE naming the
 * prefix when no numeric column matches; E_NOMEM. */
err_code cf_embedding(cf_matrix *out, const dataset *ds, const char *prefix,
                      const uint32_t *rows, size_t nrows, err *e);
void cf_done(cf_matrix *m);
/* A view for skm_run. */
skm_csr cf_view(const cf_matrix *m);

#endif
