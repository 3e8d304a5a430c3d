/* search: set-up of the slice search (options, the selected rows, level 1, compact codes),
 * the loop over levels, and the result. */
#include "search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search_int.h"
#include "stats.h"

#define DEFAULT_MIN_SUPPORT 20
#define MAX_THREADS 64

void srch_opts_init(srch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->levels = 3;
    o->top_k = 10;
    o->rank = SRCH_SIGNIFICANCE;
    o->alpha = 0.95;
    o->q_max = 0.05;
}

void srch_done(srch_result *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

void srch_describe(const binning *b, const srch_slice *s, char *buf, size_t size)
{
    size_t len = 0;
    if (size)
        buf[0] = '\0';
    for (unsigned i = 0; i < s->npred && len + 1 < size; i++) {
        if (i) {
            snprintf(buf + len, size - len, " and ");
            len += strlen(buf + len);
        }
        if (len + 1 < size)
            bin_describe(&b->dim[s->pred[i].dim], s->pred[i].bin, buf + len, size - len);
        len += strlen(buf + len);
    }
}

static err_code check_opts(const srch_opts *o, const binning *b, const outcome *oc,
                           const bitmap *sel, err *e)
{
    if (o->levels < 1 || o->levels > SRCH_MAX_LEVELS)
        return err_set(e, E_RANGE, "slice search: levels must be 1 to %d, not %u", SRCH_MAX_LEVELS,
                       o->levels);
    if (o->top_k < 1)
        return err_set(e, E_RANGE, "slice search: K must be at least 1");
    if (!(o->alpha > 0 && o->alpha <= 1))
        return err_set(e, E_RANGE, "slice search: alpha must be in (0, 1], not %g", o->alpha);
    if (!(o->q_max > 0 && o->q_max <= 0.5))
        return err_set(e, E_RANGE, "slice search: q must be in (0, 0.5], not %g", o->q_max);
    if (o->threads < 0)
        return err_set(e, E_RANGE, "slice search: negative thread count");
    if (oc->n != b->nrows || (sel && sel->nbits != b->nrows))
        return err_set(e, E_RANGE,
                       "slice search: the binning, outcome and selection differ "
                       "in their numbers of rows");
    if (b->nrows >= UINT32_MAX)
        return err_set(e, E_RANGE, "slice search: more than %u rows", UINT32_MAX - 1);
    return E_OK;
}

/* ------------------------------------------------------------------------ level 1 */

typedef struct l1_job {
    const binning *b;
    const uint32_t *rows; /* selected evaluated rows, or NULL for all rows */
    const uint32_t *dims; /* binning dimension per item */
    srch_sdim *sd;        /* per item */
    srch_node *nd;        /* per item */
} l1_job;

/* One dimension: counts its bins, keeps those with min_support rows, writes the compact code
 * of every selected row and the level-1 records. */
static err_code l1_item(srch_ctx *c, void *arg, size_t item, srch_scratch *s)
{
    (void)s;
    l1_job *job = arg;
    const bin_dim *d = &job->b->dim[job->dims[item]];
    size_t w = (size_t)d->nbins + 1, N = c->N;
    uint64_t *h = calloc(w, sizeof *h);
    uint16_t *lut = malloc(w * sizeof *lut);
    if (!h || !lut) {
        free(h);
        free(lut);
        return E_NOMEM;
    }
    for (size_t j = 0; j < N; j++) {
        uint16_t code = d->code[job->rows ? job->rows[j] : j];
        size_t x = code < d->nbins ? code : d->nbins;
        h[x] += 1 + ((uint64_t)c->err[j] << 32);
    }
    srch_sdim *sd = &job->sd[item];
    srch_node *nd = &job->nd[item];
    sd->dim = job->dims[item];
    for (size_t x = 0; x < d->nbins; x++)
        sd->nb += (uint32_t)h[x] >= c->minsup;
    err_code rc = E_OK;
    if (sd->nb) {
        sd->bin = malloc(sd->nb * sizeof *sd->bin);
        sd->code = malloc((N ? N : 1) * sizeof *sd->code);
        nd->rec = malloc(sd->nb * sizeof *nd->rec);
        rc = sd->bin && sd->code && nd->rec ? E_OK : E_NOMEM;
    }
    if (rc == E_OK && sd->nb) {
        uint32_t nb = 0;
        for (size_t x = 0; x < w; x++) {
            uint32_t n = (uint32_t)h[x];
            if (x == d->nbins || n < c->minsup) {
                lut[x] = (uint16_t)sd->nb;
                continue;
            }
            lut[x] = (uint16_t)nb;
            sd->bin[nb] = (uint32_t)x;
            nd->rec[nb] = (srch_rec){
                .n = n, .e = (uint32_t)(h[x] >> 32), .ext = SRCH_NONE, .cbin = nb, .pref = NAN};
            nd->rec[nb].p = st_hyper_upper(nd->rec[nb].e, n, c->E, c->N);
            nb++;
        }
        nd->nrec = nb;
        nd->level = 1;
        nd->parent = SRCH_NONE;
        for (size_t j = 0; j < N; j++) {
            uint16_t code = d->code[job->rows ? job->rows[j] : j];
            sd->code[j] = lut[code < d->nbins ? code : d->nbins];
        }
    }
    free(h);
    free(lut);
    return rc;
}

/* The rows of the selection whose outcome is known (NULL when that is every row), with N,
 * E and the per-row error flags. */
static err_code select_rows(srch_ctx *c, const outcome *o, const bitmap *sel, uint32_t **rows)
{
    size_t n = o->n;
    *rows = NULL;
    if (sel || o->nunknown) {
        size_t m = 0;
        for (size_t i = sel ? bm_next(sel, 0) : 0; i < n; i = sel ? bm_next(sel, i + 1) : i + 1)
            m += o->err[i] != OUT_UNKNOWN;
        if (!(*rows = malloc((m ? m : 1) * sizeof **rows)))
            return E_NOMEM;
        m = 0;
        for (size_t i = sel ? bm_next(sel, 0) : 0; i < n; i = sel ? bm_next(sel, i + 1) : i + 1)
            if (o->err[i] != OUT_UNKNOWN)
                (*rows)[m++] = (uint32_t)i;
        n = m;
    }
    c->N = n;
    if (!(c->err = malloc(n ? n : 1)))
        return E_NOMEM;
    c->E = 0;
    for (size_t j = 0; j < n; j++) {
        c->err[j] = o->err[*rows ? (*rows)[j] : j] == OUT_ERROR;
        c->E += c->err[j];
    }
    return E_OK;
}

static err_code level_one(srch_ctx *c, const binning *b, const bitmap *sel, const outcome *o,
                          const bool *use_dim)
{
    uint32_t *rows = NULL, *dims = malloc((b->ndim ? b->ndim : 1) * sizeof *dims);
    if (!dims)
        return E_NOMEM;
    err_code rc = select_rows(c, o, sel, &rows);
    size_t nd = 0;
    for (size_t d = 0; d < b->ndim; d++)
        if (use_dim ? use_dim[d] : b->dim[d].col >= 0 && !b->dim[d].restates_outcome)
            dims[nd++] = (uint32_t)d;
    if (rc == E_OK && (c->N == 0 || c->E == 0))
        nd = 0; /* nothing to find: no rows, or no error to find */
    c->minsup = c->opt->min_support;
    if (c->minsup == 0) { /* max(20, ceil(0.0005 N)), in integers */
        c->minsup = (c->N + 1999) / 2000;
        if (c->minsup < DEFAULT_MIN_SUPPORT)
            c->minsup = DEFAULT_MIN_SUPPORT;
    }
    c->base = c->N ? (double)c->E / (double)c->N : NAN;
    l1_job job = {.b = b, .rows = rows, .dims = dims};
    job.sd = calloc(nd ? nd : 1, sizeof *job.sd);
    job.nd = calloc(nd ? nd : 1, sizeof *job.nd);
    if (rc == E_OK && (!job.sd || !job.nd))
        rc = E_NOMEM;
    if (rc == E_OK)
        rc = srch_pool_run(c, nd, NULL, l1_item, &job);
    free(rows);
    free(dims);
    size_t keep = 0;
    for (size_t i = 0; i < nd && rc == E_OK; i++)
        keep += job.sd[i].nb > 0;
    c->sd = rc == E_OK ? calloc(keep ? keep : 1, sizeof *c->sd) : NULL;
    c->lev[1].node = rc == E_OK ? calloc(keep ? keep : 1, sizeof *c->lev[1].node) : NULL;
    if (rc == E_OK && (!c->sd || !c->lev[1].node))
        rc = E_NOMEM;
    /* dimensions with no bin of min_support rows can hold no slice: they are left out */
    for (size_t i = 0; i < nd && job.sd; i++) {
        if (rc == E_OK && job.sd[i].nb) {
            job.nd[i].sd = c->nsd;
            c->sd[c->nsd++] = job.sd[i];
            c->lev[1].node[c->lev[1].nnode++] = job.nd[i];
        } else {
            free(job.sd[i].bin);
            free(job.sd[i].code);
            srch_node_done(&job.nd[i]);
        }
    }
    free(job.sd);
    free(job.nd);
    return rc;
}

/* ------------------------------------------------------------------------ the run */

static void ctx_done(srch_ctx *c)
{
    for (unsigned k = 1; k <= SRCH_MAX_LEVELS; k++) {
        for (size_t i = 0; i < c->lev[k].nnode; i++)
            srch_node_done(&c->lev[k].node[i]);
        free(c->lev[k].node);
    }
    for (uint32_t i = 0; i < c->nsd; i++) {
        free(c->sd[i].bin);
        free(c->sd[i].code);
    }
    free(c->sd);
    free(c->err);
    free(c->best);
    for (int t = 0; c->scratch && t < c->nthreads; t++) {
        free(c->scratch[t].pc);
        free(c->scratch[t].list);
        free(c->scratch[t].hist);
    }
    free(c->scratch);
}

static double choose(double n, unsigned k)
{
    double r = 1;
    for (unsigned i = 0; i < k; i++)
        r = r * (n - i) / (i + 1);
    return r > 0 ? r : 0;
}

/* Progress spans of the levels, in proportion to the shapes each may count. */
static void phase(srch_ctx *c, unsigned k, unsigned L, double nsd)
{
    double total = 0, before = 0;
    for (unsigned j = 1; j <= L; j++) {
        double w = j == 1 ? 1 : choose(nsd, j);
        if (j < k)
            before += w;
        total += w;
    }
    double w = k == 1 ? 1 : choose(nsd, k);
    c->done_lo = 0.99 * before / total;
    c->done_hi = 0.99 * (before + w) / total;
}

static err_code search(srch_ctx *c, const binning *b, const outcome *o, const bitmap *sel)
{
    unsigned L = c->opt->levels;
    phase(c, 1, L, (double)b->ndim);
    err_code rc = level_one(c, b, sel, o, c->opt->use_dim);
    if (rc != E_OK)
        return rc;
    c->L = L < c->nsd ? L : c->nsd;
    bool sl = c->opt->rank == SRCH_SLICELINE;
    if (sl && (rc = srch_sliceline_update(c, 1)) != E_OK)
        return rc;
    for (unsigned k = 2; k <= c->L; k++) {
        if ((rc = srch_level_extend(c, k - 1)) != E_OK)
            return rc;
        phase(c, k, c->L, (double)c->nsd);
        if ((rc = srch_level_run(c, k)) != E_OK)
            return rc;
        if (sl && (rc = srch_sliceline_update(c, k)) != E_OK)
            return rc;
    }
    return srch_report(c, 0.99);
}

err_code srch_run(srch_result *out, const binning *b, const outcome *o, const bitmap *sel,
                  const srch_opts *opt, err *e)
{
    memset(out, 0, sizeof *out);
    err_code rc = check_opts(opt, b, o, sel, e);
    if (rc != E_OK)
        return rc;
    srch_ctx c;
    memset(&c, 0, sizeof c);
    c.opt = opt;
    atomic_init(&c.stop, 0);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    c.nthreads = opt->threads ? opt->threads : ncpu > 0 ? (int)ncpu : 1;
    if (c.nthreads > MAX_THREADS)
        c.nthreads = MAX_THREADS;
    c.scratch = calloc((size_t)c.nthreads, sizeof *c.scratch);
    rc = c.scratch ? search(&c, b, o, sel) : E_NOMEM;
    out->rank = opt->rank;
    out->N = c.N;
    out->E = c.E;
    out->base_err = c.base;
    out->min_support = c.minsup;
    out->levels = c.L;
    if (rc == E_OK)
        rc = srch_rank_fill(&c, out);
    ctx_done(&c);
    if (rc == E_OK)
        rc = srch_report(&c, 1);
    if (rc != E_OK) {
        srch_done(out);
        if (rc == E_CANCEL)
            return err_set(e, E_CANCEL, "slice search cancelled");
        return err_set(e, rc, "slice search: out of memory");
    }
    return E_OK;
}
