/* cluster: groups the errors of a selection (or all its rows) into themes and names each
 * theme by what sets it apart from the rows the model gets right.
 *
 * What is clustered: the text column when there is one (TF-IDF, tfidf.h), else the
 * precomputed embedding columns when asked for (clufeat.h), else the tabular features
 * (clufeat.h); always with the spherical k-means of kmeans.h. k is given, or chosen from
 * CLU_K_MIN..CLU_K_MAX by the mean silhouette: each candidate k is clustered on the same
 * sample of at most CLU_SAMPLE rows (so choosing costs the same on a million rows as on five
 * thousand), the best k wins (the smaller on a tie), and the final clustering runs on every
 * row with it. Each clustering keeps the best of CLU_INITS k-means++ seedings.
 *
 * Each cluster gets: its rows and errors, its share of the selection's errors, its error rate,
 * its most common true -> predicted pairs, its keywords (keywords.h: words for text, the
 * `column = level` / `column in (a, b]` conditions of the binning for tabular and embedding
 * rows, each against the correctly predicted rows of the selection) and its representative
 * rows (most similar to the centroid). Clusters are numbered by size, largest first.
 *
 * Rows whose vector is empty (a missing text, or one with no vocabulary word) cannot be
 * placed and are counted as unclustered rather than lumped into a cluster of their own.
 * Deterministic: the same input, options and seed give the same result, on any thread count. */
#ifndef ANALYSIS_CLUSTER_H
#define ANALYSIS_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "dataset.h"
#include "err.h"
#include "outcome.h"
#include "roles.h"

#define CLU_K_MIN 2
#define CLU_K_MAX 12
#define CLU_K_LIMIT 50     /* largest k a user may ask for */
#define CLU_SAMPLE 5000    /* rows that choose k and score the silhouette */
#define CLU_INITS 4        /* k-means++ seedings tried for each k; the best one is kept */
#define CLU_KEYWORDS 10
#define CLU_CONFUSIONS 3
#define CLU_REPS 3
#define CLU_TEXT_AUTO (-1) /* text_col: the first column with the text role */
#define CLU_TEXT_NONE (-2) /* text_col: ignore text, cluster the tabular features */

typedef enum { CLU_METHOD_TEXT, CLU_METHOD_TABULAR, CLU_METHOD_EMBEDDING } clu_method;

typedef struct clu_opts {
    unsigned k;              /* clusters wanted; 0 chooses k by the silhouette */
    unsigned long seed;      /* seeds k-means++ and the samples; default 1 */
    bool all_rows;           /* cluster every evaluated row of the selection, not only errors */
    int text_col;            /* a COL_TEXT column, CLU_TEXT_AUTO or CLU_TEXT_NONE */
    const char *embedding;   /* column prefix (emb_ for emb_0 .. emb_383), or NULL */
    int (*progress)(void *ctx, double done); /* optional; nonzero cancels (E_CANCEL) */
    void *ctx;
} clu_opts;

void clu_opts_init(clu_opts *o);

typedef struct clu_pair {
    uint32_t y, yhat;  /* class indexes (roles.classes) */
    size_t count;      /* error rows of the cluster with this pair */
} clu_pair;

typedef struct clu_term {
    char text[192];    /* a word, or a condition such as "age in (36, 41]" */
    double score;      /* z of the log-odds ratio against the correct rows */
    double count;      /* occurrences in the cluster (rows, for conditions) */
} clu_term;

typedef struct clu_cluster {
    size_t size;        /* rows */
    size_t errors;      /* error rows */
    double error_share; /* errors / the selection's errors (0 when it has none) */
    double error_rate;  /* errors / size */
    clu_pair top[CLU_CONFUSIONS];
    unsigned ntop;      /* empty for regression */
    clu_term kw[CLU_KEYWORDS];
    unsigned nkw;
    uint32_t rep[CLU_REPS]; /* dataset rows nearest the centroid, nearest first */
    unsigned nrep;
    uint32_t *rows;     /* owned; size dataset rows, increasing */
} clu_cluster;

typedef struct clu_result {
    clu_method method;
    int source_col;      /* the text column (text), else -1 */
    bool all_rows;
    bool k_chosen;       /* k came from the silhouette */
    unsigned k;          /* clusters made (may be fewer than asked: fewer distinct rows) */
    unsigned long seed;
    double silhouette;   /* mean silhouette of the final clustering (on the sample) */
    double sil_by_k[CLU_K_MAX + 1]; /* when k_chosen: the score of each k tried, else NAN */
    size_t nfeatures;    /* vocabulary terms, or vector dimensions */
    size_t nrows;        /* rows to cluster: the selection's errors, or its evaluated rows */
    size_t nunclustered; /* of those, rows with an empty vector */
    size_t nerrors;      /* errors in the selection */
    size_t nreference;   /* correct rows in the selection (the keywords' reference) */
    clu_cluster *c;      /* owned; k clusters, largest first */
    char note[sizeof(((err *)0)->msg)]; /* why there are no clusters when k == 0, else empty */
} clu_result;

/* Clusters the rows of sel (NULL: every row). b supplies the conditions that name tabular
 * clusters. Errors: E_USAGE (k over CLU_K_LIMIT, a bad text column, an embedding prefix that
 * matches no column), E_NOMEM, E_CANCEL. A selection with nothing to cluster is not an error:
 * the result has k == 0. *out is filled either way and freed with clu_done. */
err_code clu_run(clu_result *out, const dataset *ds, const roles *r, const outcome *o,
                 const binning *b, const bitmap *sel, const clu_opts *opt, err *e);
void clu_done(clu_result *c);
const char *clu_method_name(clu_method m);

#endif
