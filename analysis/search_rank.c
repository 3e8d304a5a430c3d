/* search_rank: the two rankings over the evaluated slices, and the figures of each reported
 * slice (STATISTICS.md, "Slice search scores"). */
#include "search_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Written in the order of the `sliceline` package's own expression, so that equal counts
 * give bit-identical scores there and here, and ties at the K-th score are the same ties. */
double srch_sliceline_score(double alpha, double e, double n, double N, double base)
{
    return alpha * ((e / n) / base - 1) - (1 - alpha) * (N / n - 1);
}

/* A subset of s rows (minsup <= s <= n) has at most min(s, e) errors. At that error count
 * the score rises with s while s <= e, and for s >= e it is a + b / s, monotone, so its
 * largest value is at s = minsup, max(e, minsup) or n (the probes of Sagadeeva and Boehm,
 * with the true row count where the package puts the number of one-hot columns, which only
 * loosens its bound). */
double srch_sliceline_bound(double alpha, double e, double n, double N, double base, double minsup)
{
    double probe[3] = {minsup, e > minsup ? e : minsup, n};
    double best = -INFINITY;
    for (int i = 0; i < 3; i++) {
        double s = probe[i];
        if (s < minsup || s > n || s <= 0)
            continue;
        double sc = srch_sliceline_score(alpha, s < e ? s : e, s, N, base);
        if (sc > best)
            best = sc;
    }
    return best;
}

static int cmp_double_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static int cmp_double_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The positive scores of level k's records that are not below floor_: written to out when
 * it is not NULL; returns how many. */
static size_t level_scores(const srch_ctx *c, unsigned k, double floor_, double *out)
{
    const srch_level *lv = &c->lev[k];
    size_t n = 0;
    for (size_t i = 0; i < lv->nnode; i++)
        for (size_t r = 0; r < lv->node[i].nrec; r++) {
            const srch_rec *x = &lv->node[i].rec[r];
            double sc = srch_sliceline_score(c->opt->alpha, x->e, x->n, (double)c->N, c->base);
            if (!(sc > 0) || sc < floor_)
                continue;
            if (out)
                out[n] = sc;
            n++;
        }
    return n;
}

err_code srch_sliceline_update(srch_ctx *c, unsigned k)
{
    size_t K = c->opt->top_k;
    double floor_ = c->nbest == K ? c->best[K - 1] : 0;
    size_t add = level_scores(c, k, floor_, NULL);
    double *v = malloc((c->nbest + add + 1) * sizeof *v);
    if (!v)
        return E_NOMEM;
    if (c->nbest)
        memcpy(v, c->best, c->nbest * sizeof *v);
    level_scores(c, k, floor_, v + c->nbest);
    size_t n = c->nbest + add;
    qsort(v, n, sizeof *v, cmp_double_desc);
    free(c->best);
    c->best = v;
    c->nbest = n > K ? K : n;
    /* Until K slices score above 0, any positive score can still enter the top K. */
    c->bar = c->nbest == K ? c->best[K - 1] : 0;
    return E_OK;
}

/* ------------------------------------------------------------- Benjamini-Hochberg */

/* The q-values of a family of m tests, from the p-values that can matter (those below
 * q_max; all of them when q is wanted for any p): sorted p and the running minimum of
 * m p_(j) / j from the top, exactly as st_bh computes it. */
typedef struct bh {
    size_t n;
    double *p; /* owned; ascending */
    double *q; /* owned; q of p[j] */
} bh;

static err_code bh_build(bh *h, double *p, size_t n, size_t m)
{
    h->n = n;
    h->p = p;
    h->q = malloc((n ? n : 1) * sizeof *h->q);
    if (!h->q)
        return E_NOMEM;
    qsort(p, n, sizeof *p, cmp_double_asc);
    double run = 1;
    for (size_t j = n; j-- > 0;) {
        double r = (double)m * p[j] / (double)(j + 1);
        if (r < run)
            run = r;
        h->q[j] = run;
    }
    return E_OK;
}

/* q of a p-value of the family: that of its first occurrence (ties share one q). */
static double bh_q(const bh *h, double p)
{
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h->p[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->n && h->p[lo] == p ? h->q[lo] : NAN;
}

static void bh_done(bh *h)
{
    free(h->p);
    free(h->q);
    memset(h, 0, sizeof *h);
}

/* --------------------------------------------------------------------- candidates */

typedef struct cand {
    unsigned level;
    uint32_t node, rec;
    double key; /* lift_lo (significance) or score (Sliceline) */
    double lift, p;
    uint32_t n;
    srch_pred pred[SRCH_MAX_LEVELS];
} cand;

static void cand_preds(const srch_ctx *c, cand *x)
{
    uint32_t sds[SRCH_MAX_LEVELS], cbins[SRCH_MAX_LEVELS];
    srch_rec_path(c, x->level, x->node, x->rec, sds, cbins);
    for (unsigned t = 0; t < x->level; t++) {
        x->pred[t].dim = c->sd[sds[t]].dim;
        x->pred[t].bin = c->sd[sds[t]].bin[cbins[t]];
    }
}

static int cmp_pred(const srch_pred *a, const srch_pred *b)
{
    if (a->dim != b->dim)
        return a->dim < b->dim ? -1 : 1;
    return (a->bin > b->bin) - (a->bin < b->bin);
}

/* The `sliceline` package's order of equal scores: numpy.lexsort over the one-hot rows of
 * the slices, column 0 first, so at the first one-hot column (dimension, then bin) held by
 * one slice only, the slice without it comes first. */
static int cmp_onehot(const cand *a, const cand *b)
{
    unsigned i = 0, j = 0;
    while (i < a->level && j < b->level) {
        int d = cmp_pred(&a->pred[i], &b->pred[j]);
        if (d < 0)
            return 1; /* a holds the earlier column */
        if (d > 0)
            return -1;
        i++;
        j++;
    }
    return (i < a->level) - (j < b->level);
}

static int cmp_sliceline(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? 1 : -1;
    return cmp_onehot(a, b);
}

/* Significance: larger lower bound of the lift, then larger lift, smaller p, more rows,
 * fewer conditions, then the conditions in order. */
static int cmp_significance(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? 1 : -1;
    if (a->lift != b->lift)
        return a->lift < b->lift ? 1 : -1;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    for (unsigned t = 0; t < a->level; t++) {
        int d = cmp_pred(&a->pred[t], &b->pred[t]);
        if (d)
            return d;
    }
    return 0;
}

typedef struct cand_vec {
    size_t len, cap;
    cand *v; /* owned */
} cand_vec;

static err_code cand_push(cand_vec *cv, const cand *x)
{
    if (cv->len == cv->cap) {
        size_t nc = cv->cap ? 2 * cv->cap : 256;
        cand *v = realloc(cv->v, nc * sizeof *v);
        if (!v)
            return E_NOMEM;
        cv->v = v;
        cv->cap = nc;
    }
    cv->v[cv->len++] = *x;
    return E_OK;
}

/* ------------------------------------------------------------------------- figures */

static void fill_slice(const srch_ctx *c, const cand *x, const bh *main, const bh *ref,
                       srch_slice *s)
{
    const srch_rec *r = &c->lev[x->level].node[x->node].rec[x->rec];
    memset(s, 0, sizeof *s);
    s->npred = x->level;
    memcpy(s->pred, x->pred, x->level * sizeof *s->pred);
    s->n = r->n;
    s->nerr = r->e;
    s->rate = (double)r->e / (double)r->n;
    st_wilson(r->e, r->n, &s->ci_lo, &s->ci_hi);
    s->lift = s->rate / c->base;
    s->lift_lo = s->ci_lo / c->base;
    s->lift_hi = s->ci_hi / c->base;
    s->coverage = (double)r->e / (double)c->E;
    s->score = srch_sliceline_score(c->opt->alpha, r->e, r->n, (double)c->N, c->base);
    s->p = r->p;
    s->q = bh_q(main, r->p);
    s->q_refine = ref && x->level > 1 ? bh_q(ref, r->pref) : NAN;
}

/* Every p-value of the search (the family of Benjamini-Hochberg). */
static err_code main_family(const srch_ctx *c, bh *h, size_t *m)
{
    size_t n = 0;
    for (unsigned k = 1; k <= c->L; k++)
        for (size_t i = 0; i < c->lev[k].nnode; i++)
            n += c->lev[k].node[i].nrec;
    double *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return E_NOMEM;
    n = 0;
    for (unsigned k = 1; k <= c->L; k++)
        for (size_t i = 0; i < c->lev[k].nnode; i++)
            for (size_t r = 0; r < c->lev[k].node[i].nrec; r++)
                p[n++] = c->lev[k].node[i].rec[r].p;
    *m = n;
    return bh_build(h, p, n, n);
}

/* The tests of slices against their parents: those below q_max, and how many there were. */
static err_code refine_family(const srch_ctx *c, bh *h, size_t *m)
{
    size_t n = 0, tests = 0;
    for (unsigned k = 2; k <= c->L; k++)
        for (size_t i = 0; i < c->lev[k].nnode; i++) {
            n += c->lev[k].node[i].nrp;
            tests += c->lev[k].node[i].ntests;
        }
    double *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return E_NOMEM;
    n = 0;
    for (unsigned k = 2; k <= c->L; k++)
        for (size_t i = 0; i < c->lev[k].nnode; i++) {
            const srch_node *nd = &c->lev[k].node[i];
            if (nd->nrp)
                memcpy(p + n, nd->rp, nd->nrp * sizeof *p);
            n += nd->nrp;
        }
    *m = tests;
    return bh_build(h, p, n, tests);
}

static err_code significance_cands(const srch_ctx *c, const bh *main, const bh *ref, cand_vec *cv,
                                   size_t *nsig)
{
    double qmax = c->opt->q_max;
    *nsig = 0;
    for (unsigned k = 1; k <= c->L; k++)
        for (size_t i = 0; i < c->lev[k].nnode; i++)
            for (size_t r = 0; r < c->lev[k].node[i].nrec; r++) {
                const srch_rec *x = &c->lev[k].node[i].rec[r];
                if (!(x->p < qmax) || !(bh_q(main, x->p) < qmax))
                    continue;
                (*nsig)++;
                /* a refinement must be worse than each parent: its largest parent-test p
                 * is below q_max (so it is in the family) and its q too */
                if (k > 1 && (!(x->pref < qmax) || !(bh_q(ref, x->pref) < qmax)))
                    continue;
                double lo, hi;
                st_wilson(x->e, x->n, &lo, &hi);
                cand cd = {.level = k,
                           .node = (uint32_t)i,
                           .rec = (uint32_t)r,
                           .key = lo / c->base,
                           .lift = ((double)x->e / x->n) / c->base,
                           .p = x->p,
                           .n = x->n};
                cand_preds(c, &cd);
                if (cand_push(cv, &cd) != E_OK)
                    return E_NOMEM;
            }
    return E_OK;
}

static err_code sliceline_cands(const srch_ctx *c, cand_vec *cv, size_t *npos)
{
    size_t K = c->opt->top_k;
    double kth = c->nbest == K ? c->best[K - 1] : 0;
    *npos = 0;
    for (unsigned k = 1; k <= c->L; k++)
        for (size_t i = 0; i < c->lev[k].nnode; i++)
            for (size_t r = 0; r < c->lev[k].node[i].nrec; r++) {
                const srch_rec *x = &c->lev[k].node[i].rec[r];
                double sc = srch_sliceline_score(c->opt->alpha, x->e, x->n, (double)c->N, c->base);
                if (!(sc > 0))
                    continue;
                (*npos)++;
                if (sc < kth) /* everything tied with the K-th score stays */
                    continue;
                cand cd = {.level = k,
                           .node = (uint32_t)i,
                           .rec = (uint32_t)r,
                           .key = sc,
                           .p = x->p,
                           .n = x->n};
                cand_preds(c, &cd);
                if (cand_push(cv, &cd) != E_OK)
                    return E_NOMEM;
            }
    return E_OK;
}

err_code srch_rank_fill(srch_ctx *c, srch_result *out)
{
    bh main = {0}, ref = {0};
    cand_vec cv = {0};
    bool sig = c->opt->rank == SRCH_SIGNIFICANCE;
    err_code rc = main_family(c, &main, &out->nevaluated);
    if (rc == E_OK && sig)
        rc = refine_family(c, &ref, &out->nrefine);
    if (rc == E_OK)
        rc = sig ? significance_cands(c, &main, &ref, &cv, &out->nsignificant)
                 : sliceline_cands(c, &cv, &out->ncandidates);
    size_t keep = 0;
    if (rc == E_OK) {
        if (sig)
            out->ncandidates = cv.len;
        if (cv.len)
            qsort(cv.v, cv.len, sizeof *cv.v, sig ? cmp_significance : cmp_sliceline);
        keep = sig && cv.len > c->opt->top_k ? c->opt->top_k : cv.len;
        if (keep && !(out->v = calloc(keep, sizeof *out->v)))
            rc = E_NOMEM;
    }
    for (size_t i = 0; i < keep && rc == E_OK; i++)
        fill_slice(c, &cv.v[i], &main, sig ? &ref : NULL, &out->v[i]);
    if (rc == E_OK)
        out->len = keep;
    free(cv.v);
    bh_done(&main);
    bh_done(&ref);
    return rc;
}
