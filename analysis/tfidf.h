/* tfidf: the bag-of-words matrix that text clustering and keywords work on.
 * Rows are the rows given (in the order given), columns the vocabulary: tokens (tokenize.h,
 * stop words removed) found in at least min_df rows, at most max_terms of them, the most
 * frequent first by document frequency, ties broken by the terms' bytes so that the result
 * never depends on hash order. Values (STATISTICS.md, "Clusters and keywords"):
 *     tf = 1 + ln(count), idf = ln((1 + D) / (1 + df)) + 1, row scaled to unit L2 norm,
 * D being the number of rows given (rows with a missing text count, as empty documents).
 * A row with no vocabulary term is all zero (rowptr[i] == rowptr[i + 1]).
 * Storage is CSR; a text column is dictionary-coded, so each distinct text is tokenised and
 * weighted once however many rows repeat it. */
#ifndef ANALYSIS_TFIDF_H
#define ANALYSIS_TFIDF_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"
#include "strdict.h"
#include "tokenize.h"

#define TFIDF_MIN_DF 2
#define TFIDF_MAX_TERMS 50000

typedef struct tfidf_opts {
    uint32_t min_df;      /* 0 means TFIDF_MIN_DF */
    uint32_t max_terms;   /* 0 means TFIDF_MAX_TERMS */
    const tok_stop *stop; /* borrowed; NULL keeps every token */
    int (*progress)(void *ctx, double done); /* optional; nonzero cancels (E_CANCEL) */
    void *ctx;
} tfidf_opts;

typedef struct tfidf {
    size_t nrows;
    uint32_t nterms;
    strdict *terms;   /* owned; term t is sd_str(terms, t), t < nterms */
    uint32_t *df;     /* owned; nterms: rows that contain the term */
    double *idf;      /* owned; nterms */
    size_t *rowptr;   /* owned; nrows + 1: row i is entries rowptr[i] .. rowptr[i + 1] - 1 */
    uint32_t *col;    /* owned; term of each entry, increasing within a row */
    uint32_t *count;  /* owned; raw occurrences of the term in the row (for keywords) */
    double *val;      /* owned; the normalised TF-IDF weight */
} tfidf;

/* Builds the matrix over rows[0..nrows) of a COL_TEXT column (rows are dataset row indexes;
 * NULL rows means every row of the column, nrows then being the dataset's row count).
 * opts may be NULL. Errors: E_TYPE (not a text column), E_RANGE (a row whose code lies
 * outside the column's dictionary), E_NOMEM, E_CANCEL. *out is owned by the caller (tfidf_free). */
err_code tfidf_build(tfidf **out, const column *text, const uint32_t *rows, size_t nrows,
                     const tfidf_opts *opts, err *e);
void tfidf_free(tfidf *m);
/* The vocabulary index of a folded token, or UINT32_MAX when it is not in the vocabulary. */
uint32_t tfidf_term(const tfidf *m, const char *tok, size_t len);

/* Occurrences of each vocabulary term in rows[0..nrows) of the text column (which need not be
 * the rows the matrix was built on): counts[0..nterms) is overwritten. This is how keywords
 * count the reference rows against the clusters' vocabulary. Errors: E_TYPE, E_NOMEM. */
err_code tfidf_count(const tfidf *m, const column *text, const uint32_t *rows, size_t nrows,
                     double *counts, err *e);

#endif
