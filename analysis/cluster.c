/* cluster: the clustering driver: rows, vectors, k, k-means, and what names each cluster
 * (see cluster.h). */
#include "cluster.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clufeat.h"
#include "keywords.h"
#include "kmeans.h"
#include "tfidf.h"
#include "tokenize.h"

void clu_opts_init(clu_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->text_col = CLU_TEXT_AUTO;
}

const char *clu_method_name(clu_method m)
{
    switch (m) {
    case CLU_METHOD_TEXT:
        return "text";
    case CLU_METHOD_EMBEDDING:
        return "embedding";
    default:
        return "tabular";
    }
}

/* Progress of one stage mapped into [base, base + span) of the whole run. */
typedef struct stage {
    const clu_opts *o;
    double base, span;
} stage;

static int stage_progress(void *ctx, double done)
{
    const stage *s = ctx;
    return s->o->progress ? s->o->progress(s->o->ctx, s->base + s->span * done) : 0;
}

static bool report(const clu_opts *o, double done)
{
    return o->progress && o->progress(o->ctx, done);
}

/* Everything the run allocates, freed in one place. */
typedef struct run {
    uint32_t *rows;   /* rows to cluster, increasing */
    size_t nrows;
    uint32_t *ref;    /* the selection's correct rows: the keywords' reference */
    size_t nref;
    tok_stop *stop;
    tfidf *text;      /* text method */
    cf_matrix feat;   /* tabular and embedding methods */
    skm_csr all;      /* the vectors of rows[] */
    size_t *live;     /* indexes into rows[] of the non-empty vectors */
    size_t nlive;
    skm_csr vec;      /* the non-empty vectors (aliases all when none is empty) */
    size_t *vptr;     /* owned arrays of vec when it is a copy */
    uint32_t *vcol;
    double *vval;
    skm_result *km;
} run;

static void run_done(run *w)
{
    free(w->rows);
    free(w->ref);
    tok_stop_free(w->stop);
    tfidf_free(w->text);
    cf_done(&w->feat);
    free(w->live);
    free(w->vptr);
    free(w->vcol);
    free(w->vval);
    skm_free(w->km);
}

/* The rows to cluster and the reference rows, in row order. */
static err_code collect_rows(run *w, clu_result *res, const outcome *o, const bitmap *sel,
                             err *e)
{
    w->rows = malloc((o->n ? o->n : 1) * sizeof *w->rows);
    w->ref = malloc((o->n ? o->n : 1) * sizeof *w->ref);
    if (!w->rows || !w->ref)
        return err_set(e, E_NOMEM, "out of memory choosing rows to cluster");
    for (size_t i = 0; i < o->n; i++) {
        if (sel && !bm_get(sel, i))
            continue;
        if (o->err[i] == OUT_ERROR) {
            res->nerrors++;
            w->rows[w->nrows++] = (uint32_t)i;
        } else if (o->err[i] == OUT_CORRECT) {
            w->ref[w->nref++] = (uint32_t)i;
            if (res->all_rows)
                w->rows[w->nrows++] = (uint32_t)i;
        }
    }
    res->nrows = w->nrows;
    res->nreference = w->nref;
    return E_OK;
}

/* The text column to cluster on: the one asked for, else the text column with the most
 * text among the rows (a body says more than a subject line). */
static int find_text_column(const dataset *ds, const clu_opts *o, const uint32_t *rows,
                            size_t nrows, err *e, err_code *rc)
{
    *rc = E_OK;
    if (o->text_col == CLU_TEXT_NONE)
        return -1;
    if (o->text_col >= 0) {
        if ((size_t)o->text_col >= ds->ncols || ds->cols[o->text_col].type != COL_TEXT) {
            *rc = err_set(e, E_USAGE, "column %d is not a text column", o->text_col);
            return -1;
        }
        return o->text_col;
    }
    int best = -1;
    size_t best_bytes = 0;
    for (size_t c = 0; c < ds->ncols; c++) {
        const column *col = &ds->cols[c];
        if (col->role != ROLE_TEXT || col->type != COL_TEXT)
            continue;
        size_t bytes = 0;
        for (size_t i = 0; i < nrows; i++)
            if (col->code[rows[i]] != CODE_NA)
                bytes += sd_len(col->dict, col->code[rows[i]]);
        if (best < 0 || bytes > best_bytes)
            best = (int)c, best_bytes = bytes;
    }
    return best;
}

/* Builds the vectors of w->rows by the method the data and options call for. */
static err_code build_vectors(run *w, clu_result *res, const dataset *ds, const clu_opts *o,
                              err *e)
{
    err_code rc;
    int tc = find_text_column(ds, o, w->rows, w->nrows, e, &rc);
    if (rc)
        return rc;
    if (o->embedding) {
        res->method = CLU_METHOD_EMBEDDING;
        if ((rc = cf_embedding(&w->feat, ds, o->embedding, w->rows, w->nrows, e)))
            return rc;
        w->all = cf_view(&w->feat);
    } else if (tc >= 0) {
        res->method = CLU_METHOD_TEXT;
        res->source_col = tc;
        if ((rc = tok_stop_english(&w->stop, e)))
            return rc;
        stage st = {o, 0.0, 0.3};
        tfidf_opts to = {.stop = w->stop, .progress = stage_progress, .ctx = &st};
        if ((rc = tfidf_build(&w->text, &ds->cols[tc], w->rows, w->nrows, &to, e)))
            return rc;
        w->all = (skm_csr){w->text->nrows, w->text->nterms, w->text->rowptr, w->text->col,
                           w->text->val};
    } else {
        res->method = CLU_METHOD_TABULAR;
        if ((rc = cf_tabular(&w->feat, ds, w->rows, w->nrows, e)) == E_RANGE) {
            /* Nothing varies: no clusters, which is an answer, not a failure. */
            snprintf(res->note, sizeof res->note, "%s", e->msg);
            return E_OK;
        }
        if (rc)
            return rc;
        w->all = cf_view(&w->feat);
    }
    res->nfeatures = w->all.ncols;
    return E_OK;
}

/* k-means from CLU_INITS seedings (seed, seed + 1, ...), keeping the run whose rows are
 * closest to their centroids (the largest sum of cosines, the spherical k-means objective):
 * one k-means++ seeding now and then splits a theme and merges two others, and a few tries
 * make that rare at a small cost. Ties keep the earlier run, so the result stays a function
 * of the seed. */
static err_code best_of(skm_result **out, const skm_csr *m, unsigned k, unsigned long seed,
                        stage *st, err *e)
{
    *out = NULL;
    double best = -INFINITY;
    for (unsigned t = 0; t < CLU_INITS; t++) {
        stage sub = {st->o, st->base + st->span * t / CLU_INITS, st->span / CLU_INITS};
        skm_opts so = {.k = k, .seed = seed + t, .progress = stage_progress, .ctx = &sub};
        skm_result *r = NULL;
        err_code rc = skm_run(&r, m, &so, e);
        if (rc) {
            skm_free(*out);
            *out = NULL;
            return rc;
        }
        double total = 0;
        for (size_t i = 0; i < r->nrows; i++)
            total += r->sim[i];
        if (!*out || total > best + 1e-9 * fabs(best)) {
            best = total;
            skm_free(*out);
            *out = r;
        } else {
            skm_free(r);
        }
    }
    return E_OK;
}

/* Copies rows idx[0..n) of m into a new CSR (arrays owned by the caller). */
static err_code subset(const skm_csr *m, const size_t *idx, size_t n, skm_csr *out,
                       size_t **ptr, uint32_t **col, double **val, err *e)
{
    size_t nnz = 0;
    for (size_t i = 0; i < n; i++)
        nnz += m->rowptr[idx[i] + 1] - m->rowptr[idx[i]];
    *ptr = malloc((n + 1) * sizeof **ptr);
    *col = malloc((nnz ? nnz : 1) * sizeof **col);
    *val = malloc((nnz ? nnz : 1) * sizeof **val);
    if (!*ptr || !*col || !*val)
        return err_set(e, E_NOMEM, "out of memory sampling rows to cluster");
    size_t k = 0;
    (*ptr)[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = m->rowptr[idx[i]], b = m->rowptr[idx[i] + 1];
        memcpy(*col + k, m->col + a, (b - a) * sizeof **col);
        memcpy(*val + k, m->val + a, (b - a) * sizeof **val);
        k += b - a;
        (*ptr)[i + 1] = k;
    }
    *out = (skm_csr){n, m->ncols, *ptr, *col, *val};
    return E_OK;
}

/* Sets aside the empty vectors: k-means would put them all in cluster 0. */
static err_code keep_live(run *w, clu_result *res, err *e)
{
    w->live = malloc((w->nrows ? w->nrows : 1) * sizeof *w->live);
    if (!w->live)
        return err_set(e, E_NOMEM, "out of memory choosing rows to cluster");
    for (size_t i = 0; i < w->nrows; i++)
        if (w->all.rowptr[i + 1] > w->all.rowptr[i])
            w->live[w->nlive++] = i;
    res->nunclustered = w->nrows - w->nlive;
    if (w->nlive == w->nrows) {
        w->vec = w->all;
        return E_OK;
    }
    return subset(&w->all, w->live, w->nlive, &w->vec, &w->vptr, &w->vcol, &w->vval, e);
}

/* The vectors that take part in choosing k: for text, one row per distinct text. Exact
 * duplicates (a mail sent many times) would otherwise reward a k that gives each repeated
 * text a cluster of its own, where the silhouette is a perfect 1. */
static err_code distinct_pool(run *w, const clu_result *res, const dataset *ds, size_t **pool,
                              size_t *npool, err *e)
{
    *pool = malloc((w->nlive ? w->nlive : 1) * sizeof **pool);
    if (!*pool)
        return err_set(e, E_NOMEM, "out of memory choosing k");
    if (res->method != CLU_METHOD_TEXT) {
        for (size_t i = 0; i < w->nlive; i++)
            (*pool)[i] = i;
        *npool = w->nlive;
        return E_OK;
    }
    const column *c = &ds->cols[res->source_col];
    uint32_t ncodes = sd_count(c->dict);
    unsigned char *seen = calloc(ncodes ? ncodes : 1, 1);
    if (!seen)
        return err_set(e, E_NOMEM, "out of memory choosing k");
    size_t n = 0;
    for (size_t i = 0; i < w->nlive; i++) {
        uint32_t code = c->code[w->rows[w->live[i]]];
        if (code < ncodes && !seen[code]) {
            seen[code] = 1;
            (*pool)[n++] = i;
        }
    }
    free(seen);
    *npool = n;
    return E_OK;
}

/* Chooses k by the mean silhouette over a sample of at most CLU_SAMPLE vectors. */
static err_code choose_k(run *w, clu_result *res, const dataset *ds, const clu_opts *o,
                         unsigned *k, err *e)
{
    size_t *all = NULL, npool = 0;
    size_t *ptr = NULL;
    uint32_t *col = NULL;
    double *val = NULL;
    gsl_rng *rng = NULL;
    err_code rc = distinct_pool(w, res, ds, &all, &npool, e);
    size_t n = npool < CLU_SAMPLE ? npool : CLU_SAMPLE;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (rc == E_OK && !idx)
        rc = err_set(e, E_NOMEM, "out of memory choosing k");
    if (rc)
        goto out;
    *k = 1;
    if (n < 3) /* nothing to choose between */
        goto out;
    if (n == npool) {
        memcpy(idx, all, n * sizeof *idx);
    } else {
        if (!(rng = gsl_rng_alloc(gsl_rng_mt19937))) {
            rc = err_set(e, E_NOMEM, "out of memory choosing k");
            goto out;
        }
        gsl_rng_set(rng, o->seed);
        gsl_ran_choose(rng, idx, n, all, npool, sizeof *all); /* keeps the order */
    }
    skm_csr sample;
    if ((rc = subset(&w->vec, idx, n, &sample, &ptr, &col, &val, e)))
        goto out;
    unsigned kmax = n - 1 < CLU_K_MAX ? (unsigned)(n - 1) : CLU_K_MAX;
    double best = -INFINITY;
    for (unsigned kk = CLU_K_MIN; kk <= kmax; kk++) {
        stage st = {o, 0.3 + 0.4 * (kk - CLU_K_MIN) / (kmax - CLU_K_MIN + 1.0),
                    0.4 / (kmax - CLU_K_MIN + 1.0)};
        skm_result *r = NULL;
        if ((rc = best_of(&r, &sample, kk, o->seed, &st, e)))
            goto out;
        double s = 0;
        unsigned made = r->k;
        rc = skm_silhouette(&sample, r->assign, r->k, n, o->seed, &s, e);
        skm_free(r);
        if (rc)
            goto out;
        res->sil_by_k[kk] = s;
        if (s > best) {
            best = s;
            *k = made;
        }
        if (made < kk) /* no more distinct directions to split */
            break;
    }
out:
    free(idx);
    free(all);
    free(ptr);
    free(col);
    free(val);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}

/* --- describing the clusters -------------------------------------------------------- */

typedef struct order_key {
    unsigned cluster;
    size_t size;
    uint32_t first; /* first row, for a stable order among equal sizes */
} order_key;

static int by_size_desc(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

/* Fills each cluster's rows, in the order of clusters by size; rank[c] is the place of
 * k-means cluster c. */
static err_code assign_rows(run *w, clu_result *res, unsigned *rank, err *e)
{
    unsigned k = w->km->k;
    order_key *ord = calloc(k, sizeof *ord);
    if (!ord)
        return err_set(e, E_NOMEM, "out of memory describing clusters");
    for (unsigned c = 0; c < k; c++)
        ord[c] = (order_key){c, 0, UINT32_MAX};
    for (size_t i = 0; i < w->nlive; i++) {
        order_key *ok = &ord[w->km->assign[i]];
        uint32_t row = w->rows[w->live[i]];
        if (ok->size++ == 0)
            ok->first = row;
    }
    qsort(ord, k, sizeof *ord, by_size_desc);
    for (unsigned c = 0; c < k; c++) {
        rank[ord[c].cluster] = c;
        res->c[c].size = 0;
        res->c[c].rows = malloc((ord[c].size ? ord[c].size : 1) * sizeof *res->c[c].rows);
        if (!res->c[c].rows) {
            free(ord);
            return err_set(e, E_NOMEM, "out of memory describing clusters");
        }
    }
    free(ord);
    for (size_t i = 0; i < w->nlive; i++) {
        clu_cluster *c = &res->c[rank[w->km->assign[i]]];
        c->rows[c->size++] = w->rows[w->live[i]];
    }
    return E_OK;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* Errors, shares and the most common true -> predicted pairs of one cluster. */
static err_code describe_errors(clu_cluster *c, const outcome *o, size_t nerrors, err *e)
{
    uint64_t *pairs = malloc((c->size ? c->size : 1) * sizeof *pairs);
    if (!pairs)
        return err_set(e, E_NOMEM, "out of memory describing clusters");
    size_t np = 0;
    for (size_t i = 0; i < c->size; i++) {
        uint32_t row = c->rows[i];
        if (o->err[row] != OUT_ERROR)
            continue;
        c->errors++;
        if (o->y && o->yhat)
            pairs[np++] = ((uint64_t)o->y[row] << 32) | o->yhat[row];
    }
    c->error_share = nerrors ? (double)c->errors / (double)nerrors : 0.0;
    c->error_rate = c->size ? (double)c->errors / (double)c->size : 0.0;
    qsort(pairs, np, sizeof *pairs, cmp_u64);
    c->ntop = 0;
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && pairs[j] == pairs[i])
            j++;
        clu_pair p = {(uint32_t)(pairs[i] >> 32), (uint32_t)pairs[i], j - i};
        /* Insert into the top list: more rows first, then the lower pair (already sorted). */
        unsigned at = c->ntop;
        while (at > 0 && c->top[at - 1].count < p.count)
            at--;
        if (at < CLU_CONFUSIONS) {
            unsigned last = c->ntop < CLU_CONFUSIONS ? c->ntop : CLU_CONFUSIONS - 1;
            for (unsigned t = last; t > at; t--)
                c->top[t] = c->top[t - 1];
            c->top[at] = p;
            if (c->ntop < CLU_CONFUSIONS)
                c->ntop++;
        }
        i = j;
    }
    free(pairs);
    return E_OK;
}

/* The rows most similar to their centroid, per cluster. */
static void pick_representatives(run *w, clu_result *res, const unsigned *rank)
{
    double best[CLU_REPS];
    for (unsigned c = 0; c < res->k; c++) {
        clu_cluster *cl = &res->c[c];
        cl->nrep = 0;
        for (size_t i = 0; i < w->nlive; i++) {
            if (rank[w->km->assign[i]] != c)
                continue;
            double s = w->km->sim[i];
            uint32_t row = w->rows[w->live[i]];
            /* Rows come in increasing order, so a tie keeps the earlier row first. */
            unsigned at = cl->nrep;
            while (at > 0 && best[at - 1] < s)
                at--;
            if (at >= CLU_REPS)
                continue;
            unsigned last = cl->nrep < CLU_REPS ? cl->nrep : CLU_REPS - 1;
            for (unsigned t = last; t > at; t--) {
                best[t] = best[t - 1];
                cl->rep[t] = cl->rep[t - 1];
            }
            best[at] = s;
            cl->rep[at] = row;
            if (cl->nrep < CLU_REPS)
                cl->nrep++;
        }
    }
}

/* Ranks the terms of each cluster (counts[c * nterms + t]) against the reference counts;
 * label(t) names a term. */
typedef void (*term_label)(const void *ctx, uint32_t t, char *buf, size_t size);

static err_code rank_terms(clu_result *res, const double *counts, const double *ref,
                           size_t nterms, term_label label, const void *ctx, err *e)
{
    double *bg = calloc(nterms ? nterms : 1, sizeof *bg);
    kw_score *top = malloc(CLU_KEYWORDS * sizeof *top);
    err_code rc = E_OK;
    if (!bg || !top) {
        rc = err_set(e, E_NOMEM, "out of memory ranking keywords");
        goto out;
    }
    /* The background is every row involved: the clustered rows plus, when only errors were
     * clustered, the correct rows (with all rows clustered they are already in). */
    for (unsigned c = 0; c < res->k; c++)
        for (size_t t = 0; t < nterms; t++)
            bg[t] += counts[c * nterms + t];
    if (!res->all_rows)
        for (size_t t = 0; t < nterms; t++)
            bg[t] += ref[t];
    for (unsigned c = 0; c < res->k; c++) {
        kw_input in = {nterms, counts + c * nterms, ref, bg, 0, 0};
        size_t n = 0;
        if ((rc = kw_rank(&in, CLU_KEYWORDS, top, &n, e)))
            goto out;
        res->c[c].nkw = (unsigned)n;
        for (size_t i = 0; i < n; i++) {
            clu_term *t = &res->c[c].kw[i];
            label(ctx, top[i].term, t->text, sizeof t->text);
            t->score = top[i].z;
            t->count = top[i].count;
        }
    }
out:
    free(bg);
    free(top);
    return rc;
}

static void word_label(const void *ctx, uint32_t t, char *buf, size_t size)
{
    const tfidf *m = ctx;
    snprintf(buf, size, "%s", sd_str(m->terms, t));
}

static err_code text_keywords(run *w, clu_result *res, const dataset *ds, const unsigned *rank,
                              err *e)
{
    size_t nt = w->text->nterms;
    double *counts = calloc((size_t)res->k * (nt ? nt : 1), sizeof *counts);
    double *ref = calloc(nt ? nt : 1, sizeof *ref);
    err_code rc = E_OK;
    if (!counts || !ref) {
        rc = err_set(e, E_NOMEM, "out of memory counting keywords");
        goto out;
    }
    for (size_t i = 0; i < w->nlive; i++) {
        double *cc = counts + (size_t)rank[w->km->assign[i]] * nt;
        size_t r = w->live[i];
        for (size_t p = w->text->rowptr[r]; p < w->text->rowptr[r + 1]; p++)
            cc[w->text->col[p]] += w->text->count[p];
    }
    if ((rc = tfidf_count(w->text, &ds->cols[res->source_col], w->ref, w->nref, ref, e)))
        goto out;
    rc = rank_terms(res, counts, ref, nt, word_label, w->text, e);
out:
    free(counts);
    free(ref);
    return rc;
}

/* Conditions of the binning: which dimensions can name a cluster. */
typedef struct cond_terms {
    const binning *b;
    size_t ndim;
    size_t *dim;      /* binning dimensions used */
    size_t *offset;   /* first term of each */
    size_t nterms;
} cond_terms;

static void cond_label(const void *ctx, uint32_t t, char *buf, size_t size)
{
    const cond_terms *ct = ctx;
    size_t d = 0;
    while (d + 1 < ct->ndim && ct->offset[d + 1] <= t)
        d++;
    bin_describe(&ct->b->dim[ct->dim[d]], (uint32_t)(t - ct->offset[d]), buf, size);
}

/* A dimension names clusters when it is a feature column's (not the label, prediction,
 * scores or id, which restate the error, nor an embedding coordinate, which no one reads). */
static bool names_clusters(const dataset *ds, const bin_dim *d, const char *embedding)
{
    if (d->col < 0 || ds->cols[d->col].role != ROLE_FEATURE)
        return false;
    return !embedding || strncmp(ds->cols[d->col].name, embedding, strlen(embedding)) != 0;
}

static err_code condition_keywords(run *w, clu_result *res, const dataset *ds,
                                   const binning *b, const clu_opts *o, const unsigned *rank,
                                   err *e)
{
    cond_terms ct = {b, 0, NULL, NULL, 0};
    double *counts = NULL, *ref = NULL;
    err_code rc = E_OK;
    ct.dim = malloc((b->ndim ? b->ndim : 1) * sizeof *ct.dim);
    ct.offset = malloc((b->ndim ? b->ndim : 1) * sizeof *ct.offset);
    if (!ct.dim || !ct.offset) {
        rc = err_set(e, E_NOMEM, "out of memory counting conditions");
        goto out;
    }
    for (size_t d = 0; d < b->ndim; d++) {
        if (!names_clusters(ds, &b->dim[d], o->embedding))
            continue;
        ct.dim[ct.ndim] = d;
        ct.offset[ct.ndim++] = ct.nterms;
        ct.nterms += b->dim[d].nbins;
    }
    if (ct.nterms == 0)
        goto out;
    counts = calloc((size_t)res->k * ct.nterms, sizeof *counts);
    ref = calloc(ct.nterms, sizeof *ref);
    if (!counts || !ref) {
        rc = err_set(e, E_NOMEM, "out of memory counting conditions");
        goto out;
    }
    for (size_t j = 0; j < ct.ndim; j++) {
        const uint16_t *code = b->dim[ct.dim[j]].code;
        for (size_t i = 0; i < w->nlive; i++) {
            uint16_t v = code[w->rows[w->live[i]]];
            if (v != BIN_NONE)
                counts[(size_t)rank[w->km->assign[i]] * ct.nterms + ct.offset[j] + v] += 1;
        }
        for (size_t i = 0; i < w->nref; i++) {
            uint16_t v = code[w->ref[i]];
            if (v != BIN_NONE)
                ref[ct.offset[j] + v] += 1;
        }
    }
    rc = rank_terms(res, counts, ref, ct.nterms, cond_label, &ct, e);
out:
    free(ct.dim);
    free(ct.offset);
    free(counts);
    free(ref);
    return rc;
}

static err_code describe(run *w, clu_result *res, const dataset *ds, const outcome *o,
                         const binning *b, const clu_opts *opt, err *e)
{
    unsigned *rank = malloc(w->km->k * sizeof *rank);
    if (!rank)
        return err_set(e, E_NOMEM, "out of memory describing clusters");
    err_code rc = assign_rows(w, res, rank, e);
    for (unsigned c = 0; rc == E_OK && c < res->k; c++)
        rc = describe_errors(&res->c[c], o, res->nerrors, e);
    if (rc == E_OK) {
        pick_representatives(w, res, rank);
        if (res->method == CLU_METHOD_TEXT)
            rc = text_keywords(w, res, ds, rank, e);
        else
            rc = condition_keywords(w, res, ds, b, opt, rank, e);
    }
    free(rank);
    return rc;
}

err_code clu_run(clu_result *res, const dataset *ds, const roles *r, const outcome *o,
                 const binning *b, const bitmap *sel, const clu_opts *opt, err *e)
{
    (void)r;
    clu_opts defaults;
    if (!opt) {
        clu_opts_init(&defaults);
        opt = &defaults;
    }
    memset(res, 0, sizeof *res);
    res->source_col = -1;
    res->all_rows = opt->all_rows;
    res->seed = opt->seed;
    res->silhouette = NAN;
    for (unsigned k = 0; k <= CLU_K_MAX; k++)
        res->sil_by_k[k] = NAN;
    if (opt->k > CLU_K_LIMIT)
        return err_set(e, E_USAGE, "at most %d clusters, not %u", CLU_K_LIMIT, opt->k);
    run w;
    memset(&w, 0, sizeof w);
    err_code rc = collect_rows(&w, res, o, sel, e);
    if (rc == E_OK && w.nrows > 0)
        rc = build_vectors(&w, res, ds, opt, e);
    if (rc == E_OK && w.nrows > 0 && w.all.rowptr)
        rc = keep_live(&w, res, e);
    if (rc == E_OK && w.nlive == 0 && !res->note[0])
        snprintf(res->note, sizeof res->note, "%s",
                 w.nrows == 0 ? (opt->all_rows ? "no evaluated row in the selection"
                                               : "no error in the selection")
                              : "no row has anything to cluster on (empty texts or features)");
    if (rc != E_OK || w.nlive == 0)
        goto out;
    unsigned k = opt->k;
    if (k == 0) {
        res->k_chosen = true;
        rc = choose_k(&w, res, ds, opt, &k, e);
        if (rc)
            goto out;
    }
    if (k > w.nlive)
        k = (unsigned)w.nlive;
    stage st = {opt, 0.7, 0.2};
    if ((rc = best_of(&w.km, &w.vec, k, opt->seed, &st, e)))
        goto out;
    res->k = w.km->k;
    if ((rc = skm_silhouette(&w.vec, w.km->assign, w.km->k, CLU_SAMPLE, opt->seed,
                             &res->silhouette, e)))
        goto out;
    res->c = calloc(res->k, sizeof *res->c);
    if (!res->c) {
        rc = err_set(e, E_NOMEM, "out of memory describing clusters");
        goto out;
    }
    rc = describe(&w, res, ds, o, b, opt, e);
    if (rc == E_OK && report(opt, 1.0))
        rc = err_set(e, E_CANCEL, "cancelled");
out:
    run_done(&w);
    if (rc != E_OK)
        clu_done(res);
    return rc;
}

void clu_done(clu_result *c)
{
    if (c->c)
        for (unsigned i = 0; i < c->k; i++)
            free(c->c[i].rows);
    free(c->c);
    c->c = NULL;
    c->k = 0;
}
