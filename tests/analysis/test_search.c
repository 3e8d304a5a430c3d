/* Slice search: against a brute-force enumeration (every conjunction of every subset of
 * dimensions, grouped by sorting, ranked by the rules of STATISTICS.md written out again
 * here), determinism, cancellation, defaults, and the per-column slices. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binning.h"
#include "outcome.h"
#include "search.h"
#include "slice.h"
#include "stats.h"

/* ------------------------------------------------------------------ brute force */

typedef struct ref_slice {
    unsigned k;
    srch_pred pred[SRCH_MAX_LEVELS];
    size_t n, e;
    double p, q, score, lift_lo, lift, q_refine;
    bool refined; /* worse than every parent (q of each parent test < q_max) */
    bool eval;    /* counted by the search (Sliceline prunes; significance counts all) */
} ref_slice;

typedef struct ref_set {
    size_t len, cap;
    ref_slice *v;
    size_t N, E, m, mref;
} ref_set;

typedef struct row_key {
    uint32_t bin[SRCH_MAX_LEVELS];
    uint8_t k; /* conditions (the same in every key of one sort) */
    uint8_t err;
} row_key;

static int cmp_row_key(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    for (unsigned i = 0; i < x->k; i++)
        if (x->bin[i] != y->bin[i])
            return x->bin[i] < y->bin[i] ? -1 : 1;
    return 0;
}

static void ref_push(ref_set *s, const ref_slice *r)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        cr_assert(s->v);
    }
    s->v[s->len++] = *r;
}

static int cmp_pred_list(const ref_slice *a, const ref_slice *b)
{
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    for (unsigned i = 0; i < a->k; i++) {
        if (a->pred[i].dim != b->pred[i].dim)
            return a->pred[i].dim < b->pred[i].dim ? -1 : 1;
        if (a->pred[i].bin != b->pred[i].bin)
            return a->pred[i].bin < b->pred[i].bin ? -1 : 1;
    }
    return 0;
}

static int cmp_ref_lookup(const void *a, const void *b)
{
    return cmp_pred_list(a, b);
}

/* Every conjunction of up to L conditions (dimensions from dims[0..nd)) with min_support
 * rows among the selected rows whose outcome is known. */
static void ref_enumerate(ref_set *s, const binning *b, const outcome *o, const bitmap *sel,
                          const uint32_t *dims, unsigned nd, unsigned L, size_t minsup)
{
    size_t nr = b->nrows;
    row_key *keys = malloc((nr ? nr : 1) * sizeof *keys);
    s->N = s->E = 0;
    for (size_t i = 0; i < nr; i++)
        if ((!sel || bm_get(sel, i)) && o->err[i] != OUT_UNKNOWN) {
            s->N++;
            s->E += o->err[i] == OUT_ERROR;
        }
    for (unsigned mask = 1; mask < (1u << nd); mask++) {
        unsigned k = (unsigned)__builtin_popcount(mask);
        if (k > L)
            continue;
        uint32_t sub[SRCH_MAX_LEVELS];
        unsigned t = 0;
        for (unsigned d = 0; d < nd; d++)
            if (mask & (1u << d))
                sub[t++] = dims[d];
        size_t m = 0;
        for (size_t i = 0; i < nr; i++) {
            if ((sel && !bm_get(sel, i)) || o->err[i] == OUT_UNKNOWN)
                continue;
            bool in = true;
            for (unsigned j = 0; j < k; j++) {
                keys[m].bin[j] = b->dim[sub[j]].code[i];
                in = in && keys[m].bin[j] != BIN_NONE;
            }
            keys[m].err = o->err[i] == OUT_ERROR;
            keys[m].k = (uint8_t)k;
            m += in;
        }
        qsort(keys, m, sizeof *keys, cmp_row_key);
        for (size_t i = 0; i < m;) {
            size_t j = i, e = 0;
            while (j < m && cmp_row_key(&keys[i], &keys[j]) == 0)
                e += keys[j++].err;
            if (j - i >= minsup) {
                ref_slice r = {.k = k, .n = j - i, .e = e};
                for (unsigned x = 0; x < k; x++)
                    r.pred[x] = (srch_pred){sub[x], keys[i].bin[x]};
                ref_push(s, &r);
            }
            i = j;
        }
    }
    free(keys);
}

static double ref_score(double alpha, double e, double n, double N, double base)
{
    return alpha * ((e / n) / base - 1) - (1 - alpha) * (N / n - 1);
}

/* Sliceline's pruning, level by level: a slice is counted when its parent without the last
 * condition was counted, has errors, and the best score any subset of it with min_support
 * rows can reach (probed at minsup, its errors, its rows) is not below the K-th best
 * positive score counted so far (0 until there are K). */
static void ref_sliceline_eval(ref_set *s, unsigned L, size_t K, double alpha, size_t minsup)
{
    double base = (double)s->E / (double)s->N, bar = 0;
    double *best = malloc((s->len + 1) * sizeof *best);
    size_t nbest = 0;
    for (unsigned k = 1; k <= L; k++) {
        for (size_t i = 0; i < s->len; i++) {
            ref_slice *r = &s->v[i];
            if (r->k != k)
                continue;
            r->eval = k == 1;
            if (k == 1)
                continue;
            ref_slice key = {.k = k - 1};
            memcpy(key.pred, r->pred, (k - 1) * sizeof *key.pred);
            const ref_slice *par = bsearch(&key, s->v, s->len, sizeof key, cmp_ref_lookup);
            cr_assert(par);
            if (!par->eval || par->e == 0)
                continue;
            double ub = -INFINITY,
                   probe[3] = {(double)minsup, par->e > minsup ? (double)par->e : (double)minsup,
                               (double)par->n};
            for (int t = 0; t < 3; t++) {
                double x = probe[t], ex = x < par->e ? x : (double)par->e;
                double sc = ref_score(alpha, ex, x, (double)s->N, base);
                ub = sc > ub ? sc : ub;
            }
            r->eval = !(ub < bar - 1e-9 * (1 + fabs(bar)));
        }
        nbest = 0;
        for (size_t i = 0; i < s->len; i++)
            if (s->v[i].eval && s->v[i].k <= k && s->v[i].score > 0)
                best[nbest++] = s->v[i].score;
        /* the K-th largest */
        for (size_t a = 0; a < nbest && a < K; a++)
            for (size_t b2 = a + 1; b2 < nbest; b2++)
                if (best[b2] > best[a]) {
                    double t = best[a];
                    best[a] = best[b2];
                    best[b2] = t;
                }
        bar = nbest >= K ? best[K - 1] : 0;
    }
    free(best);
}

/* p, q, score, lift bound, and the parent tests with their own BH family. */
static void ref_stats(ref_set *s, srch_rank rank, unsigned L, size_t K, double alpha, double q_max,
                      size_t minsup)
{
    double base = (double)s->E / (double)s->N;
    qsort(s->v, s->len, sizeof *s->v, cmp_ref_lookup);
    for (size_t i = 0; i < s->len; i++) {
        ref_slice *r = &s->v[i];
        r->p = st_hyper_upper(r->e, r->n, s->E, s->N);
        r->score = ref_score(alpha, (double)r->e, (double)r->n, (double)s->N, base);
        double lo, hi;
        st_wilson(r->e, r->n, &lo, &hi);
        r->lift_lo = lo / base;
        r->lift = ((double)r->e / (double)r->n) / base;
        r->eval = true;
    }
    if (rank == SRCH_SLICELINE)
        ref_sliceline_eval(s, L, K, alpha, minsup);
    /* Benjamini-Hochberg over the counted slices */
    double *p = malloc((s->len ? s->len : 1) * sizeof *p);
    size_t m = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->v[i].eval)
            p[m++] = s->v[i].p;
    s->m = m;
    cr_assert_eq(st_bh(p, p, m), E_OK);
    m = 0;
    for (size_t i = 0; i < s->len; i++)
        s->v[i].q = s->v[i].eval ? p[m++] : NAN;
    free(p);
    /* parent tests: every slice with two or more conditions against each parent */
    size_t nt = 0;
    for (size_t i = 0; i < s->len; i++)
        nt += s->v[i].k > 1 ? s->v[i].k : 0;
    double *tp = malloc((nt ? nt : 1) * sizeof *tp);
    size_t t = 0;
    for (size_t i = 0; i < s->len; i++) {
        ref_slice *r = &s->v[i];
        for (unsigned drop = 0; r->k > 1 && drop < r->k; drop++) {
            ref_slice key = {.k = r->k - 1};
            unsigned l = 0;
            for (unsigned j = 0; j < r->k; j++)
                if (j != drop)
                    key.pred[l++] = r->pred[j];
            ref_slice *par = bsearch(&key, s->v, s->len, sizeof key, cmp_ref_lookup);
            cr_assert(par, "parent of a supported slice not found");
            tp[t++] = st_hyper_upper(r->e, r->n, par->e, par->n);
        }
    }
    s->mref = nt;
    double *tq = malloc((nt ? nt : 1) * sizeof *tq);
    cr_assert_eq(st_bh(tp, tq, nt), E_OK);
    t = 0;
    for (size_t i = 0; i < s->len; i++) {
        ref_slice *r = &s->v[i];
        r->refined = true;
        r->q_refine = NAN;
        if (r->k < 2)
            continue;
        double worst = 0;
        for (unsigned drop = 0; drop < r->k; drop++, t++) {
            r->refined = r->refined && tq[t] < q_max;
            worst = tq[t] > worst ? tq[t] : worst;
        }
        r->q_refine = worst;
    }
    free(tp);
    free(tq);
}

static int cmp_sig(const void *pa, const void *pb)
{
    const ref_slice *a = pa, *b = pb;
    if (a->lift_lo != b->lift_lo)
        return a->lift_lo < b->lift_lo ? 1 : -1;
    if (a->lift != b->lift)
        return a->lift < b->lift ? 1 : -1;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    return cmp_pred_list(a, b);
}

/* numpy.lexsort over one-hot rows: at the first one-hot column held by only one of the two
 * slices, the slice without it comes first. */
static int cmp_sl(const void *pa, const void *pb)
{
    const ref_slice *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    uint64_t ka[SRCH_MAX_LEVELS], kb[SRCH_MAX_LEVELS];
    for (unsigned i = 0; i < a->k; i++)
        ka[i] = (uint64_t)a->pred[i].dim << 32 | a->pred[i].bin;
    for (unsigned i = 0; i < b->k; i++)
        kb[i] = (uint64_t)b->pred[i].dim << 32 | b->pred[i].bin;
    unsigned i = 0;
    while (i < a->k && i < b->k && ka[i] == kb[i])
        i++;
    if (i < a->k && i < b->k)
        return ka[i] < kb[i] ? 1 : -1;
    return (i < a->k) - (i < b->k);
}

/* The expected result: significance (q < q_max, worse than every parent, ordered, top K) or
 * Sliceline (score > 0, ordered, all tied with the K-th). */
static size_t ref_rank(ref_set *s, srch_rank rank, size_t K, double q_max, ref_slice **out)
{
    ref_slice *v = malloc((s->len ? s->len : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < s->len; i++) {
        const ref_slice *r = &s->v[i];
        if (rank == SRCH_SIGNIFICANCE ? r->q < q_max && r->refined : r->score > 0)
            v[n++] = *r;
    }
    qsort(v, n, sizeof *v, rank == SRCH_SIGNIFICANCE ? cmp_sig : cmp_sl);
    size_t keep = n;
    if (rank == SRCH_SIGNIFICANCE && keep > K)
        keep = K;
    if (rank == SRCH_SLICELINE && n > K) {
        keep = K;
        while (keep < n && v[keep].score == v[K - 1].score)
            keep++;
    }
    *out = v;
    return keep;
}

/* ------------------------------------------------------------ random test data */

typedef struct rnd {
    uint64_t s;
} rnd;

static uint64_t rnd_next(rnd *r)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t x = r->s;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    return x ^ (x >> 32);
}

static double rnd_unit(rnd *r)
{
    return (double)(rnd_next(r) >> 11) / 9007199254740992.0;
}

/* nrows rows, nd dimensions of nbins[d] bins (a few rows in no bin), errors at rate base
 * plus a planted pattern on dims 0 and 2, and some rows of unknown outcome. */
static void make_random(binning *b, outcome *o, size_t nrows, unsigned nd, const uint32_t *nbins,
                        double base, uint64_t seed, bool unknowns)
{
    rnd r = {seed * 2654435761u + 17};
    memset(b, 0, sizeof *b);
    memset(o, 0, sizeof *o);
    b->nrows = nrows;
    b->ndim = nd;
    b->dim = calloc(nd, sizeof *b->dim);
    for (unsigned d = 0; d < nd; d++) {
        bin_dim *dm = &b->dim[d];
        snprintf(dm->name, sizeof dm->name, "d%u", d);
        dm->col = (int)d;
        dm->kind = DIM_CATEGORICAL;
        dm->nbins = nbins[d];
        dm->bins = calloc(nbins[d], sizeof *dm->bins);
        for (uint32_t k = 0; k < nbins[d]; k++) {
            dm->bins[k].kind = BIN_LEVEL;
            snprintf(dm->bins[k].label, sizeof dm->bins[k].label, "v%u", k);
        }
        dm->code = malloc(nrows * sizeof *dm->code);
        for (size_t i = 0; i < nrows; i++) {
            /* skewed levels, so that some are below min support */
            double u = rnd_unit(&r);
            uint32_t c = (uint32_t)(u * u * nbins[d]);
            dm->code[i] = rnd_unit(&r) < 0.01 ? BIN_NONE : (uint16_t)(c < nbins[d] ? c : 0);
        }
    }
    o->n = nrows;
    o->err = malloc(nrows);
    for (size_t i = 0; i < nrows; i++) {
        double pr = base;
        if (nd > 2 && b->dim[0].code[i] == 1 && b->dim[2].code[i] == 0)
            pr = 0.6;
        if (nd > 1 && b->dim[1].code[i] == 2)
            pr += 0.15;
        o->err[i] = rnd_unit(&r) < pr ? OUT_ERROR : OUT_CORRECT;
        if (unknowns && rnd_unit(&r) < 0.03)
            o->err[i] = OUT_UNKNOWN;
        o->nerr += o->err[i] == OUT_ERROR;
        o->nunknown += o->err[i] == OUT_UNKNOWN;
    }
}

static void free_random(binning *b, outcome *o)
{
    bin_done(b);
    out_done(o);
}

/* --------------------------------------------------------------- comparison */

static void expect_same(const srch_result *res, ref_set *s, srch_rank rank, size_t K, double q_max,
                        const char *what)
{
    ref_slice *v;
    size_t n = ref_rank(s, rank, K, q_max, &v);
    cr_assert_eq(res->nevaluated, s->m, "%s: evaluated %zu, expected %zu", what, res->nevaluated,
                 s->m);
    cr_assert_eq(res->len, n, "%s: %zu slices, expected %zu", what, res->len, n);
    for (size_t i = 0; i < n; i++) {
        const srch_slice *x = &res->v[i];
        const ref_slice *r = &v[i];
        cr_assert_eq(x->npred, r->k, "%s: slice %zu has %u conditions, expected %u", what, i,
                     x->npred, r->k);
        for (unsigned j = 0; j < r->k; j++) {
            cr_assert_eq(x->pred[j].dim, r->pred[j].dim, "%s: slice %zu condition %u", what, i, j);
            cr_assert_eq(x->pred[j].bin, r->pred[j].bin, "%s: slice %zu condition %u", what, i, j);
        }
        cr_assert_eq(x->n, r->n, "%s: slice %zu", what, i);
        cr_assert_eq(x->nerr, r->e, "%s: slice %zu", what, i);
        cr_assert_eq(x->score, r->score, "%s: slice %zu", what, i);
        cr_assert_eq(x->p, r->p, "%s: slice %zu", what, i);
        cr_assert_eq(x->q, r->q, "%s: slice %zu q %g expected %g", what, i, x->q, r->q);
        cr_assert_float_eq(x->lift_lo, r->lift_lo, 1e-12, "%s: slice %zu", what, i);
        if (rank == SRCH_SIGNIFICANCE && r->k > 1)
            cr_assert_eq(x->q_refine, r->q_refine, "%s: slice %zu q_refine %g expected %g", what, i,
                         x->q_refine, r->q_refine);
    }
    if (rank == SRCH_SIGNIFICANCE)
        cr_assert_eq(res->nrefine, s->mref, "%s: %zu parent tests, expected %zu", what,
                     res->nrefine, s->mref);
    free(v);
}

static void all_dims(const binning *b, uint32_t *dims)
{
    for (size_t d = 0; d < b->ndim; d++)
        dims[d] = (uint32_t)d;
}

static void run_case(const binning *b, const outcome *o, const bitmap *sel, unsigned L,
                     srch_rank rank, size_t K, size_t minsup, int threads, const char *what)
{
    srch_opts opt;
    srch_opts_init(&opt);
    opt.levels = L;
    opt.rank = rank;
    opt.top_k = K;
    opt.min_support = minsup;
    opt.threads = threads;
    srch_result res;
    err e = {0};
    cr_assert_eq(srch_run(&res, b, o, sel, &opt, &e), E_OK, "%s: %s", what, e.msg);
    uint32_t dims[32];
    all_dims(b, dims);
    ref_set s = {0};
    ref_enumerate(&s, b, o, sel, dims, (unsigned)b->ndim, L, res.min_support);
    ref_stats(&s, rank, L, K, opt.alpha, opt.q_max, res.min_support);
    cr_assert_eq(res.N, s.N, "%s", what);
    cr_assert_eq(res.E, s.E, "%s", what);
    expect_same(&res, &s, rank, K, opt.q_max, what);
    free(s.v);
    srch_done(&res);
}

/* ------------------------------------------------------------------------- tests */

Test(srch, brute_force_random_data)
{
    st_init();
    const uint32_t nbins[5] = {2, 3, 4, 5, 6};
    for (uint64_t seed = 1; seed <= 6; seed++) {
        binning b;
        outcome o;
        make_random(&b, &o, 300, 5, nbins, 0.2, seed, seed % 2 == 0);
        char what[96];
        for (unsigned L = 1; L <= 3; L++)
            for (int rk = 0; rk < 2; rk++)
                for (int ms = 0; ms < 2; ms++) {
                    srch_rank rank = rk ? SRCH_SLICELINE : SRCH_SIGNIFICANCE;
                    size_t minsup = ms ? 5 : 0, K = ms ? 10 : 5;
                    snprintf(what, sizeof what, "seed %llu L %u %s minsup %zu",
                             (unsigned long long)seed, L, rk ? "sliceline" : "significance",
                             minsup);
                    run_case(&b, &o, NULL, L, rank, K, minsup, 2, what);
                }
        free_random(&b, &o);
    }
}

Test(srch, brute_force_with_selection)
{
    st_init();
    const uint32_t nbins[6] = {3, 2, 5, 4, 6, 3};
    for (uint64_t seed = 11; seed <= 14; seed++) {
        binning b;
        outcome o;
        make_random(&b, &o, 500, 6, nbins, 0.25, seed, true);
        bitmap sel;
        cr_assert_eq(bm_init(&sel, b.nrows, false, NULL), E_OK);
        rnd r = {seed};
        for (size_t i = 0; i < b.nrows; i++)
            if (rnd_unit(&r) < 0.6)
                bm_set(&sel, i);
        char what[96];
        for (unsigned L = 2; L <= 4; L++)
            for (int rk = 0; rk < 2; rk++) {
                snprintf(what, sizeof what, "selection seed %llu L %u %s", (unsigned long long)seed,
                         L, rk ? "sliceline" : "significance");
                run_case(&b, &o, &sel, L, rk ? SRCH_SLICELINE : SRCH_SIGNIFICANCE, 8, 4, 2, what);
            }
        bm_done(&sel);
        free_random(&b, &o);
    }
}

/* Many bins and a support of 2: histograms too wide for one pass (counted in ranges of
 * codes), maps too wide to be dense (hashed), and rows mostly outside supported cells
 * (counted from a row list). */
Test(srch, brute_force_wide_dimensions)
{
    st_init();
    const uint32_t nbins[3] = {1800, 1900, 5};
    binning b;
    outcome o;
    make_random(&b, &o, 30000, 3, nbins, 0.3, 99, false);
    for (int rk = 0; rk < 2; rk++)
        run_case(&b, &o, NULL, 3, rk ? SRCH_SLICELINE : SRCH_SIGNIFICANCE, 10, 2, 2,
                 rk ? "wide sliceline" : "wide significance");
    free_random(&b, &o);
}

static void expect_identical(const srch_result *a, const srch_result *b)
{
    cr_assert_eq(a->len, b->len);
    cr_assert_eq(a->nevaluated, b->nevaluated);
    cr_assert_eq(a->nrefine, b->nrefine);
    cr_assert_eq(a->ncandidates, b->ncandidates);
    for (size_t i = 0; i < a->len; i++)
        cr_assert(memcmp(&a->v[i], &b->v[i], sizeof a->v[i]) == 0, "slice %zu differs", i);
}

Test(srch, deterministic_across_runs_and_threads)
{
    st_init();
    const uint32_t nbins[8] = {3, 4, 5, 6, 7, 8, 9, 10};
    binning b;
    outcome o;
    make_random(&b, &o, 20000, 8, nbins, 0.1, 5, true);
    for (int rk = 0; rk < 2; rk++) {
        srch_opts opt;
        srch_opts_init(&opt);
        opt.rank = rk ? SRCH_SLICELINE : SRCH_SIGNIFICANCE;
        srch_result r1, r2, r3;
        err e = {0};
        opt.threads = 1;
        cr_assert_eq(srch_run(&r1, &b, &o, NULL, &opt, &e), E_OK, "%s", e.msg);
        opt.threads = 2;
        cr_assert_eq(srch_run(&r2, &b, &o, NULL, &opt, &e), E_OK, "%s", e.msg);
        opt.threads = 5;
        cr_assert_eq(srch_run(&r3, &b, &o, NULL, &opt, &e), E_OK, "%s", e.msg);
        cr_assert_gt(r1.len, 0);
        expect_identical(&r1, &r2);
        expect_identical(&r1, &r3);
        srch_done(&r1);
        srch_done(&r2);
        srch_done(&r3);
    }
    free_random(&b, &o);
}

typedef struct progress_log {
    int calls;
    int cancel_at; /* 0: never */
    double last;
    bool monotone;
} progress_log;

static int on_progress(void *ctx, double done)
{
    progress_log *p = ctx;
    p->calls++;
    if (done < p->last || done < 0 || done > 1)
        p->monotone = false;
    p->last = done;
    return p->cancel_at && p->calls >= p->cancel_at;
}

Test(srch, progress_reaches_one_and_cancel_frees_everything)
{
    st_init();
    const uint32_t nbins[8] = {3, 4, 5, 6, 7, 8, 9, 10};
    binning b;
    outcome o;
    make_random(&b, &o, 5000, 8, nbins, 0.1, 8, false);
    srch_opts opt;
    srch_opts_init(&opt);
    progress_log log = {.monotone = true};
    opt.progress = on_progress;
    opt.progress_ctx = &log;
    srch_result res;
    err e = {0};
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, &e), E_OK, "%s", e.msg);
    cr_assert(log.monotone);
    cr_assert_eq(log.last, 1.0);
    cr_assert_gt(log.calls, 3);
    srch_done(&res);
    /* cancel at every point of the run in turn (leaks show under the sanitizers) */
    for (int t = 1; t <= 2; t++) {
        progress_log count = {.monotone = true};
        opt.progress_ctx = &count;
        opt.threads = t;
        cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, &e), E_OK, "%s", e.msg);
        srch_done(&res);
        for (int at = 1; at <= count.calls; at++) {
            progress_log c = {.cancel_at = at, .monotone = true};
            opt.progress_ctx = &c;
            err_code rc = srch_run(&res, &b, &o, NULL, &opt, &e);
            if (rc == E_OK && c.calls < at) {
                /* with two threads the calling thread may take fewer items this time */
                srch_done(&res);
                continue;
            }
            cr_assert_eq(rc, E_CANCEL, "threads %d, cancel at call %d of %d: %s", t, at,
                         count.calls, err_name(rc));
            cr_assert_eq(e.code, E_CANCEL);
            cr_assert_eq(res.len, 0);
            cr_assert_null(res.v);
        }
    }
    free_random(&b, &o);
}

Test(srch, default_min_support)
{
    st_init();
    const uint32_t nbins[2] = {3, 4};
    binning b;
    outcome o;
    make_random(&b, &o, 100000, 2, nbins, 0.1, 3, false);
    srch_opts opt;
    srch_opts_init(&opt);
    srch_result res;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, NULL), E_OK);
    cr_assert_eq(res.min_support, 50); /* ceil(0.0005 * 100000) */
    srch_done(&res);
    /* the selection's rows count, not the file's */
    const size_t sizes[3] = {30001, 40000, 40002}, want[3] = {20, 20, 21};
    for (int t = 0; t < 3; t++) {
        bitmap sel;
        bm_init(&sel, b.nrows, false, NULL);
        for (size_t i = 0; i < sizes[t]; i++)
            bm_set(&sel, i * 2);
        cr_assert_eq(srch_run(&res, &b, &o, &sel, &opt, NULL), E_OK);
        cr_assert_eq(res.N, sizes[t]);
        cr_assert_eq(res.min_support, want[t], "%zu rows: %zu", sizes[t], res.min_support);
        srch_done(&res);
        bm_done(&sel);
    }
    opt.min_support = 7; /* given: used as is */
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, NULL), E_OK);
    cr_assert_eq(res.min_support, 7);
    srch_done(&res);
    free_random(&b, &o);
}

/* One condition per slice: the counts of the per-column slice table, bin for bin. */
Test(srch, level_one_equals_slice_table)
{
    st_init();
    const uint32_t nbins[4] = {2, 5, 7, 3};
    binning b;
    outcome o;
    make_random(&b, &o, 4000, 4, nbins, 0.3, 21, true);
    slice_table t;
    cr_assert_eq(slc_compute(&t, &b, &o, NULL, 1, NULL), E_OK);
    srch_opts opt;
    srch_opts_init(&opt);
    opt.levels = 1;
    opt.min_support = 1;
    opt.rank = SRCH_SLICELINE;
    opt.alpha = 1; /* every slice above the base rate scores > 0 */
    opt.top_k = 1000;
    srch_result res;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, NULL), E_OK);
    cr_assert_eq(res.N, t.N);
    cr_assert_eq(res.E, t.E);
    size_t above = 0;
    for (size_t i = 0; i < t.len; i++) {
        const slice *s = &t.v[i];
        if (s->n == 0 || !(s->rate > t.base_err))
            continue;
        above++;
        bool found = false;
        for (size_t j = 0; j < res.len; j++)
            if (res.v[j].pred[0].dim == s->dim && res.v[j].pred[0].bin == s->bin) {
                cr_assert_eq(res.v[j].n, s->n);
                cr_assert_eq(res.v[j].nerr, s->nerr);
                cr_assert_float_eq(res.v[j].ci_lo, s->lo, 1e-15);
                cr_assert_float_eq(res.v[j].lift, s->lift, 1e-12);
                found = true;
            }
        cr_assert(found, "slice %u/%u missing", s->dim, s->bin);
    }
    cr_assert_eq(res.len, above);
    cr_assert_eq(res.nevaluated, t.ntested);
    srch_done(&res);
    slc_done(&t);
    free_random(&b, &o);
}

Test(srch, bad_options_and_empty_inputs)
{
    st_init();
    const uint32_t nbins[2] = {3, 4};
    binning b;
    outcome o;
    make_random(&b, &o, 1000, 2, nbins, 0.1, 3, false);
    srch_opts opt;
    srch_result res;
    err e = {0};
    srch_opts_init(&opt);
    opt.levels = 6;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, &e), E_RANGE);
    srch_opts_init(&opt);
    opt.alpha = 0;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, &e), E_RANGE);
    srch_opts_init(&opt);
    opt.top_k = 0;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, &e), E_RANGE);
    srch_opts_init(&opt);
    bitmap sel;
    bm_init(&sel, b.nrows + 1, true, NULL);
    cr_assert_eq(srch_run(&res, &b, &o, &sel, &opt, &e), E_RANGE);
    bm_done(&sel);
    /* an empty selection, then no error at all: nothing to report, no failure */
    bm_init(&sel, b.nrows, false, NULL);
    cr_assert_eq(srch_run(&res, &b, &o, &sel, &opt, &e), E_OK);
    cr_assert_eq(res.len, 0);
    cr_assert_eq(res.N, 0);
    srch_done(&res);
    bm_done(&sel);
    for (size_t i = 0; i < o.n; i++)
        o.err[i] = OUT_CORRECT;
    for (int rk = 0; rk < 2; rk++) {
        opt.rank = rk ? SRCH_SLICELINE : SRCH_SIGNIFICANCE;
        cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, &e), E_OK);
        cr_assert_eq(res.len, 0);
        cr_assert_eq(res.E, 0);
        srch_done(&res);
    }
    free_random(&b, &o);
}

/* Derived dimensions (the classes, the outcome) restate the error and take no part unless
 * asked for. */
Test(srch, derived_dimensions_stay_out)
{
    st_init();
    const uint32_t nbins[3] = {3, 4, 2};
    binning b;
    outcome o;
    make_random(&b, &o, 3000, 3, nbins, 0.2, 4, false);
    b.dim[2].col = -1;
    snprintf(b.dim[2].name, sizeof b.dim[2].name, "outcome");
    for (size_t i = 0; i < b.nrows; i++)
        b.dim[2].code[i] = o.err[i] == OUT_ERROR;
    srch_opts opt;
    srch_opts_init(&opt);
    srch_result res;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, NULL), E_OK);
    for (size_t i = 0; i < res.len; i++)
        for (unsigned j = 0; j < res.v[i].npred; j++)
            cr_assert_neq(res.v[i].pred[j].dim, 2);
    srch_done(&res);
    bool use[3] = {true, true, true};
    opt.use_dim = use;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, NULL), E_OK);
    cr_assert_gt(res.len, 0);
    cr_assert_eq(res.v[0].npred, 1);
    cr_assert_eq(res.v[0].pred[0].dim, 2); /* the tautology comes first when allowed */
    srch_done(&res);
    free_random(&b, &o);
}
