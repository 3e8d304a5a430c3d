/* kmeans: spherical k-means on sparse unit rows (cosine similarity), k-means++ seeding, and
 * the silhouette on cosine distance (STATISTICS.md, "Clusters and keywords").
 * Randomness comes from a gsl_rng_mt19937 seeded by the caller, so a run is a pure function
 * of its input and seed. This file is, with cluster.c, the home of GSL for clustering.
 * Rows must have unit L2 norm or be all zero (tfidf.h produces them); a zero row is equally
 * far from every centroid and goes to the lowest-numbered cluster. */
#ifndef ANALYSIS_KMEANS_H
#define ANALYSIS_KMEANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SKM_MAX_ROUNDS 100

/* A CSR matrix view; owns nothing. */
typedef struct skm_csr {
    size_t nrows;
    uint32_t ncols;
    const size_t *rowptr;  /* nrows + 1 */
    const uint32_t *col;   /* column of each entry, < ncols */
    const double *val;
} skm_csr;

typedef struct skm_opts {
    unsigned k;            /* wanted clusters, >= 1 */
    unsigned max_rounds;   /* 0 means SKM_MAX_ROUNDS */
    unsigned long seed;
    int (*progress)(void *ctx, double done); /* optional; nonzero cancels (E_CANCEL) */
    void *ctx;
} skm_opts;

typedef struct skm_result {
    unsigned k;        /* clusters made: less than asked when fewer distinct directions exist */
    size_t nrows;
    uint32_t *assign;  /* owned; nrows: cluster of each row */
    double *sim;       /* owned; nrows: cosine to the centroid it was last assigned against */
    size_t *size;      /* owned; k: rows per cluster */
    uint32_t ncols;
    double *centroid;  /* owned; ncols * k, transposed: weight of column j in cluster c is
                        * centroid[j * k + c] (this layout makes the assignment step read
                        * one contiguous run per matrix entry) */
    unsigned rounds;   /* assignment rounds run */
    bool converged;    /* assignments stopped changing before max_rounds */
} skm_result;

/* Clusters the rows. Errors: E_USAGE (k == 0), E_RANGE (no row has any entry), E_NOMEM,
 * E_CANCEL. *out is owned by the caller (skm_free). */
err_code skm_run(skm_result **out, const skm_csr *m, const skm_opts *o, err *e);
void skm_free(skm_result *r);

/* Mean silhouette on cosine distance (1 - cosine) of a clustering, over a sample of at most
 * max_sample rows drawn with a gsl_rng_mt19937 seeded by seed (every row when nrows <=
 * max_sample). Exact on the sample: with unit rows, the mean distance from x to a set S is
 * 1 - x . sum(S) / |S|, so cluster sums replace the pairwise loop (O(sample * nnz * k)).
 * A row alone in its cluster scores 0; fewer than two non-empty clusters in the sample give
 * 0. Errors: E_NOMEM. */
err_code skm_silhouette(const skm_csr *m, const uint32_t *assign, unsigned k, size_t max_sample,
                       unsigned long seed, double *out, err *e);

#endif
