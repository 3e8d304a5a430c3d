/* kmeans: spherical k-means, k-means++ seeding and silhouette (see kmeans.h). */
#include "kmeans.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Dot products of row i with every cluster column of a transposed dense matrix t (ncols x k). */
static void row_dots(const skm_csr *m, size_t i, const double *t, unsigned k, double *dots)
{
    for (unsigned c = 0; c < k; c++)
        dots[c] = 0;
    for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) {
        const double *w = t + (size_t)m->col[p] * k;
        double v = m->val[p];
        for (unsigned c = 0; c < k; c++)
            dots[c] += v * w[c];
    }
}

/* k-means++: each next seed is drawn with probability proportional to (1 - best cosine)^2,
 * best[i] being row i's highest cosine to the seeds so far. Zero rows get weight 0: they
 * carry no direction. Returns the number of seeds placed (fewer than k when every remaining
 * row coincides with a seed). Seeds are copied into r->centroid. */
static unsigned seed_centroids(const skm_csr *m, skm_result *r, unsigned k, gsl_rng *rng,
                               double *best, double *dense)
{
    for (size_t i = 0; i < m->nrows; i++)
        best[i] = 0;
    unsigned placed = 0;
    while (placed < k) {
        double total = 0;
        for (size_t i = 0; i < m->nrows; i++)
            if (m->rowptr[i + 1] > m->rowptr[i]) {
                double d = 1 - best[i];
                total += d > 0 ? d * d : 0;
            }
        if (!(total > 1e-12))
            break;
        double u = gsl_rng_uniform(rng) * total, acc = 0;
        size_t s = SIZE_MAX, last = SIZE_MAX;
        for (size_t i = 0; i < m->nrows && s == SIZE_MAX; i++) {
            if (m->rowptr[i + 1] == m->rowptr[i])
                continue;
            double d = 1 - best[i];
            if (!(d > 0))
                continue;
            last = i;
            acc += d * d;
            if (acc > u)
                s = i;
        }
        if (s == SIZE_MAX) /* rounding left u at the very end */
            s = last;
        for (size_t p = m->rowptr[s]; p < m->rowptr[s + 1]; p++) {
            dense[m->col[p]] = m->val[p];
            r->centroid[(size_t)m->col[p] * k + placed] = m->val[p];
        }
        for (size_t i = 0; i < m->nrows; i++) {
            double d = 0;
            for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++)
                d += m->val[p] * dense[m->col[p]];
            if (d > best[i])
                best[i] = d;
        }
        for (size_t p = m->rowptr[s]; p < m->rowptr[s + 1]; p++)
            dense[m->col[p]] = 0;
        placed++;
    }
    return placed;
}

/* Assigns every row to its most similar centroid (ties: lowest cluster). Returns how many
 * rows changed cluster. */
static size_t assign_rows(const skm_csr *m, skm_result *r, double *dots)
{
    size_t changed = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        row_dots(m, i, r->centroid, r->k, dots);
        uint32_t bc = 0;
        for (unsigned c = 1; c < r->k; c++)
            if (dots[c] > dots[bc])
                bc = c;
        if (r->assign[i] != bc)
            changed++;
        r->assign[i] = bc;
        r->sim[i] = dots[bc];
    }
    for (unsigned c = 0; c < r->k; c++)
        r->size[c] = 0;
    for (size_t i = 0; i < m->nrows; i++)
        r->size[r->assign[i]]++;
    return changed;
}

/* An empty cluster takes the row least similar to its own centroid (lowest index on ties)
 * from a cluster that can spare it, so k clusters survive every round. */
static void refill_empty(skm_result *r)
{
    for (unsigned c = 0; c < r->k; c++) {
        if (r->size[c])
            continue;
        size_t w = SIZE_MAX;
        for (size_t i = 0; i < r->nrows; i++)
            if (r->size[r->assign[i]] > 1 && (w == SIZE_MAX || r->sim[i] < r->sim[w]))
                w = i;
        if (w == SIZE_MAX)
            return;
        r->size[r->assign[w]]--;
        r->assign[w] = c;
        r->sim[w] = 1;
        r->size[c] = 1;
    }
}

/* Centroids become the normalised sums of their rows. */
static void update_centroids(const skm_csr *m, skm_result *r, double *norm)
{
    unsigned k = r->k;
    memset(r->centroid, 0, (size_t)m->ncols * k * sizeof *r->centroid);
    for (size_t i = 0; i < m->nrows; i++) {
        double *base = r->centroid + r->assign[i];
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++)
            base[(size_t)m->col[p] * k] += m->val[p];
    }
    for (unsigned c = 0; c < k; c++)
        norm[c] = 0;
    for (size_t j = 0; j < (size_t)m->ncols * k; j++)
        norm[j % k] += r->centroid[j] * r->centroid[j];
    for (unsigned c = 0; c < k; c++)
        norm[c] = norm[c] > 0 ? 1 / sqrt(norm[c]) : 0;
    for (size_t j = 0; j < (size_t)m->ncols * k; j++)
        r->centroid[j] *= norm[j % k];
}

err_code skm_run(skm_result **out, const skm_csr *m, const skm_opts *o, err *e)
{
    if (o->k == 0)
        return err_set(e, E_USAGE, "the number of clusters must be at least 1");
    unsigned k = o->k, max_rounds = o->max_rounds ? o->max_rounds : SKM_MAX_ROUNDS;
    err_code rc = E_OK;
    skm_result *r = calloc(1, sizeof *r);
    double *best = malloc((m->nrows ? m->nrows : 1) * sizeof *best);
    double *dense = calloc(m->ncols ? m->ncols : 1, sizeof *dense);
    double *dots = malloc(k * sizeof *dots);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r || !best || !dense || !dots || !rng)
        goto nomem;
    r->nrows = m->nrows;
    r->ncols = m->ncols;
    r->assign = malloc((m->nrows ? m->nrows : 1) * sizeof *r->assign);
    r->sim = malloc((m->nrows ? m->nrows : 1) * sizeof *r->sim);
    r->size = calloc(k, sizeof *r->size);
    r->centroid = calloc(((size_t)m->ncols ? m->ncols : 1) * k, sizeof *r->centroid);
    if (!r->assign || !r->sim || !r->size || !r->centroid)
        goto nomem;
    gsl_rng_set(rng, o->seed);
    unsigned placed = seed_centroids(m, r, k, rng, best, dense);
    if (placed == 0) {
        rc = err_set(e, E_RANGE, "no row has any term to cluster on");
        goto fail;
    }
    if (placed < k) {
        /* Fewer distinct directions than clusters: compact the seed columns to width placed. */
        for (size_t j = 0; j < m->ncols; j++)
            for (unsigned c = 0; c < placed; c++)
                r->centroid[j * placed + c] = r->centroid[j * k + c];
    }
    r->k = placed;
    for (size_t i = 0; i < m->nrows; i++)
        r->assign[i] = UINT32_MAX;
    for (unsigned round = 0; round < max_rounds; round++) {
        size_t changed = assign_rows(m, r, dots);
        r->rounds = round + 1;
        if (changed == 0) {
            r->converged = true;
            break;
        }
        refill_empty(r);
        update_centroids(m, r, dots);
        if (o->progress && o->progress(o->ctx, (double)(round + 1) / max_rounds)) {
            rc = err_set(e, E_CANCEL, "cancelled");
            goto fail;
        }
    }
    if (o->progress && o->progress(o->ctx, 1.0)) {
        rc = err_set(e, E_CANCEL, "cancelled");
        goto fail;
    }
    free(best);
    free(dense);
    free(dots);
    gsl_rng_free(rng);
    *out = r;
    return E_OK;
nomem:
    rc = err_set(e, E_NOMEM, "out of memory for k-means");
fail:
    free(best);
    free(dense);
    free(dots);
    if (rng)
        gsl_rng_free(rng);
    skm_free(r);
    return rc;
}

void skm_free(skm_result *r)
{
    if (!r)
        return;
    free(r->assign);
    free(r->sim);
    free(r->size);
    free(r->centroid);
    free(r);
}

err_code skm_silhouette(const skm_csr *m, const uint32_t *assign, unsigned k, size_t max_sample,
                       unsigned long seed, double *out, err *e)
{
    size_t n = m->nrows < max_sample ? m->nrows : max_sample;
    size_t *all = malloc((m->nrows ? m->nrows : 1) * sizeof *all);
    size_t *pick = malloc((n ? n : 1) * sizeof *pick);
    double *sum = calloc(((size_t)m->ncols ? m->ncols : 1) * (k ? k : 1), sizeof *sum);
    double *dots = malloc((k ? k : 1) * sizeof *dots);
    size_t *cnt = calloc(k ? k : 1, sizeof *cnt);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    err_code rc = E_OK;
    *out = 0;
    if (!all || !pick || !sum || !dots || !cnt || !rng) {
        rc = err_set(e, E_NOMEM, "out of memory for the silhouette");
        goto out;
    }
    for (size_t i = 0; i < m->nrows; i++)
        all[i] = i;
    if (n < m->nrows) {
        gsl_rng_set(rng, seed);
        gsl_ran_choose(rng, pick, n, all, m->nrows, sizeof *all); /* keeps row order */
    } else {
        memcpy(pick, all, n * sizeof *pick);
    }
    for (size_t s = 0; s < n; s++) {
        size_t i = pick[s];
        cnt[assign[i]]++;
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++)
            sum[(size_t)m->col[p] * k + assign[i]] += m->val[p];
    }
    unsigned nonempty = 0;
    for (unsigned c = 0; c < k; c++)
        nonempty += cnt[c] > 0;
    if (nonempty < 2 || n == 0)
        goto out;
    double total = 0;
    for (size_t s = 0; s < n; s++) {
        size_t i = pick[s];
        uint32_t c = assign[i];
        if (cnt[c] < 2)
            continue; /* a lone row scores 0 */
        row_dots(m, i, sum, k, dots);
        double self = 0;
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++)
            self += m->val[p] * m->val[p];
        double a = 1 - (dots[c] - self) / (double)(cnt[c] - 1);
        double b = INFINITY;
        for (unsigned c2 = 0; c2 < k; c2++)
            if (c2 != c && cnt[c2] > 0) {
                double d = 1 - dots[c2] / (double)cnt[c2];
                if (d < b)
                    b = d;
            }
        double mx = a > b ? a : b;
        if (mx > 0)
            total += (b - a) / mx;
    }
    *out = total / (double)n;
out:
    free(all);
    free(pick);
    free(sum);
    free(dots);
    free(cnt);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}
