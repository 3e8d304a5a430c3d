#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binexpr.h"
#include "metrics_fast.h"
#include "par.h"
#include "radix.h"
#include "rowiter.h"
#include "stats.h"

/* A group's joint histogram has 2 * GROUP_PROD_MAX + 1 cells: 64 KB of counts, which stays
 * in the second-level cache while millions of rows are counted into it. Packing several
 * dimensions into one code means one increment per row serves all of them, and a pass
 * reads one or two bytes a row for all of them: a recompute is bound by the bytes it
 * reads. */
#define GROUP_PROD_MAX 8192
#define GROUP_DIMS_MAX 8
#define SPLIT_CELLS                                                                                \
    1024 /* below this, counts go to 4 interleaved histograms: rows of equal                       \
          * code in a row would otherwise wait on each other's increment */

/* ------------------------------------------------------------------ structures */

typedef struct group {
    uint32_t ndim;
    uint32_t dim[GROUP_DIMS_MAX];  /* dimensions, slowest-varying first */
    uint32_t card[GROUP_DIMS_MAX]; /* their bins, plus one "no bin" when an evaluated row has
                                    * none (BIN_NONE) */
    size_t prod;                   /* product of card */
    size_t ncell;                  /* 2 * prod + 1: the error bit, then one cell for the rows
                                    * that are not evaluated */
    uint8_t *c8;                   /* owned; per row joint code when ncell <= 256 */
    uint16_t *c16;                 /* owned; per row joint code when ncell <= 65536 */
    uint32_t *c32;                 /* owned; else */
} group;

typedef struct prep { /* immutable once eng_new returns */
    size_t ngroups;
    group *g;                  /* owned */
    int cm_group;              /* the group holding true and predicted class, or -1 */
    uint32_t cm_true, cm_pred; /* their places in that group */
    size_t nslices;
    size_t *slice_off; /* owned; ndim + 1: each dimension's first slice */
    mf_prep mf;        /* the per-row terms of the metrics */
    uint32_t *worst;   /* owned; the error rows by loss, worst first */
    size_t nworst;
    double all_err; /* the error rate over every evaluated row */
} prep;

typedef struct eng_filter {
    filter *f;   /* owned; NULL for a row set */
    char *label; /* owned; a row set's description, NULL for an expression */
    bitmap bm;   /* owned; the rows it matches */
    size_t count;
} eng_filter;

struct engine {
    const dataset *ds; /* borrowed, as the next three */
    const roles *r;
    const outcome *o;
    const binning *b;
    eng_opts opt;
    prep p;
    eng_filter *filters; /* owned; nfilters, bottom first */
    size_t nfilters, capfilters;
    char **history; /* owned strings; nhistory, oldest first */
    size_t nhistory;
    unsigned dirty;
    uint64_t gen; /* one more for every change of state */
    uint64_t serial;
    eng_result *res;  /* owned */
    hm_numeric **num; /* owned; ndim entries, each built when first needed */
    const flt_tags *tags; /* borrowed; NULL when no tag journal is open */
    const flt_compare *compare; /* borrowed; NULL without a second model */
    const uint8_t *categories;  /* borrowed; per-row category bits, NULL without them */
};

struct eng_job {
    const engine *eng; /* borrowed: only the data, prep and options are read */
    eng_opts opt;
    unsigned dirty;
    uint64_t gen;
    bool sel_all;             /* the selection holds every row */
    eng_result *res;          /* owned; being built */
    const hm_numeric *num[2]; /* the heatmap axes' precomputation (borrowed or own) */
    hm_numeric *own[2];       /* owned; built by this job, handed to the engine */
};

/* --------------------------------------------------------------------- results */

static void result_free(eng_result *r)
{
    if (!r)
        return;
    bm_done(&r->sel);
    met_done(&r->m);
    slc_done(&r->slices);
    cs_done(&r->cases);
    hm_done(&r->hm);
    rank_done(&r->rank);
    free(r);
}

static err_code metrics_copy(metrics *dst, const metrics *src, err *e)
{
    *dst = *src;
    size_t cells = (size_t)src->nclass * src->nclass;
    dst->confusion = NULL;
    dst->per_class = NULL;
    if (!src->confusion && !src->per_class)
        return E_OK;
    dst->confusion = malloc((cells ? cells : 1) * sizeof *dst->confusion);
    dst->per_class = malloc((src->nclass ? src->nclass : 1) * sizeof *dst->per_class);
    if (!dst->confusion || !dst->per_class) {
        met_done(dst);
        return err_set(e, E_NOMEM, "out of memory");
    }
    if (src->confusion)
        memcpy(dst->confusion, src->confusion, cells * sizeof *dst->confusion);
    if (src->per_class)
        memcpy(dst->per_class, src->per_class, src->nclass * sizeof *dst->per_class);
    return E_OK;
}

static err_code slices_copy(slice_table *dst, const slice_table *src, err *e)
{
    *dst = *src;
    dst->v = malloc((src->len ? src->len : 1) * sizeof *dst->v);
    if (!dst->v) {
        memset(dst, 0, sizeof *dst);
        return err_set(e, E_NOMEM, "out of memory");
    }
    memcpy(dst->v, src->v, src->len * sizeof *dst->v);
    return E_OK;
}

static err_code cases_copy(case_list *dst, const case_list *src, err *e)
{
    dst->len = src->len;
    dst->row = malloc((src->len ? src->len : 1) * sizeof *dst->row);
    if (!dst->row) {
        dst->len = 0;
        return err_set(e, E_NOMEM, "out of memory");
    }
    memcpy(dst->row, src->row, src->len * sizeof *dst->row);
    return E_OK;
}

/* The worst k error rows of sel: the global order filtered, so a selection costs a walk
 * until k are found instead of a pass with a heap. */
static err_code walk_cases(case_list *c, const prep *p, const bitmap *sel, size_t k, err *e)
{
    memset(c, 0, sizeof *c);
    size_t cap = k < p->nworst ? k : p->nworst;
    c->row = malloc((cap ? cap : 1) * sizeof *c->row);
    if (!c->row)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t j = 0; j < p->nworst && c->len < cap; j++) {
        uint32_t r = p->worst[j];
        if (!sel || bm_get(sel, r))
            c->row[c->len++] = r;
    }
    return E_OK;
}

/* ------------------------------------------------------------------------ prep */

static void prep_done(prep *p)
{
    for (size_t g = 0; g < p->ngroups; g++) {
        free(p->g[g].c8);
        free(p->g[g].c16);
        free(p->g[g].c32);
    }
    free(p->g);
    free(p->slice_off);
    mf_prep_done(&p->mf);
    free(p->worst);
    memset(p, 0, sizeof *p);
}

typedef struct dim_card {
    uint32_t dim, card;
} dim_card;

static int cmp_card_desc(const void *pa, const void *pb)
{
    const dim_card *a = pa, *b = pb;
    if (a->card != b->card)
        return a->card < b->card ? 1 : -1;
    return (a->dim > b->dim) - (a->dim < b->dim);
}

static void group_add(group *g, uint32_t dim, uint32_t card)
{
    g->dim[g->ndim] = dim;
    g->card[g->ndim++] = card;
    g->prod *= card;
}

/* First-fit decreasing: the largest dimensions first, each into the first group it fits.
 * True and predicted class start the first group together, so that the confusion matrix is
 * a marginal of it. */
static err_code pack_groups(prep *p, const binning *b, const outcome *o, err *e)
{
    size_t nd = b->ndim;
    dim_card *dc = malloc((nd ? nd : 1) * sizeof *dc);
    p->g = calloc(nd ? nd : 1, sizeof *p->g);
    if (!dc || !p->g) {
        free(dc);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t d = 0; d < nd; d++) {
        const bin_dim *dim = &b->dim[d];
        bool none = false;
        for (size_t i = 0; i < b->nrows && !none; i++)
            none = dim->code[i] == BIN_NONE && o->err[i] != OUT_UNKNOWN;
        uint32_t card = dim->nbins + none;
        dc[d] = (dim_card){(uint32_t)d, card ? card : 1};
    }
    p->cm_group = -1;
    int dt = -1, dp = -1;
    for (size_t d = 0; d < nd; d++) {
        if (b->dim[d].kind == DIM_TRUE_CLASS)
            dt = (int)d;
        if (b->dim[d].kind == DIM_PRED_CLASS)
            dp = (int)d;
    }
    p->ngroups = 1; /* group 0 always exists: it also gives the selection's totals */
    p->g[0].prod = 1;
    if (dt >= 0 && dp >= 0 && (size_t)dc[dt].card * dc[dp].card <= GROUP_PROD_MAX &&
        o->nclass == dc[dt].card && o->nclass == dc[dp].card) {
        p->cm_group = 0;
        p->cm_true = 0;
        p->cm_pred = 1;
        group_add(&p->g[0], (uint32_t)dt, dc[dt].card);
        group_add(&p->g[0], (uint32_t)dp, dc[dp].card);
    }
    qsort(dc, nd, sizeof *dc, cmp_card_desc);
    for (size_t k = 0; k < nd; k++) {
        if (p->cm_group == 0 && ((int)dc[k].dim == dt || (int)dc[k].dim == dp))
            continue;
        size_t g = 0;
        while (g < p->ngroups &&
               (p->g[g].ndim == GROUP_DIMS_MAX || p->g[g].prod * dc[k].card > GROUP_PROD_MAX))
            g++;
        if (g == p->ngroups && p->g[0].ndim == 0) /* the empty first group takes anything */
            g = 0;
        if (g == p->ngroups) {
            p->ngroups++;
            p->g[g].prod = 1;
        }
        group_add(&p->g[g], dc[k].dim, dc[k].card);
    }
    for (size_t g = 0; g < p->ngroups; g++)
        p->g[g].ncell = 2 * p->g[g].prod + 1;
    free(dc);
    return E_OK;
}

typedef struct code_ctx {
    prep *p;
    const binning *b;
    const outcome *o;
} code_ctx;

static inline size_t joint_code(const group *g, const binning *b, const outcome *o, size_t i)
{
    if (o->err[i] == OUT_UNKNOWN)
        return g->ncell - 1;
    size_t idx = 0;
    for (uint32_t d = 0; d < g->ndim; d++) {
        uint16_t c = b->dim[g->dim[d]].code[i];
        idx = idx * g->card[d] + (c == BIN_NONE ? g->card[d] - 1 : c);
    }
    return idx * 2 + (o->err[i] == OUT_ERROR);
}

static void code_task(void *ctx, size_t t)
{
    code_ctx *c = ctx;
    group *g = &c->p->g[t];
    for (size_t i = 0; i < c->b->nrows; i++) {
        size_t v = joint_code(g, c->b, c->o, i);
        if (g->c8)
            g->c8[i] = (uint8_t)v;
        else if (g->c16)
            g->c16[i] = (uint16_t)v;
        else
            g->c32[i] = (uint32_t)v;
    }
}

/* Every error row, worst first, as cs_top_errors orders them: larger loss first, a missing
 * loss last, then by row (a stable sort of rows fed in order). */
static err_code order_worst(prep *p, const outcome *o, err *e)
{
    size_t m = 0;
    for (size_t i = 0; i < o->n; i++)
        m += o->err[i] == OUT_ERROR;
    uint64_t *key = malloc((m ? m : 1) * sizeof *key);
    p->worst = malloc((m ? m : 1) * sizeof *p->worst);
    if (!key || !p->worst) {
        free(key);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < o->n; i++) {
        if (o->err[i] != OUT_ERROR)
            continue;
        double l = o->loss[i];
        key[p->nworst] = isnan(l) ? UINT64_MAX : ~rdx_key_double(l);
        p->worst[p->nworst++] = (uint32_t)i;
    }
    err_code rc = rdx_sort(key, p->worst, m, e);
    free(key);
    return rc;
}

static err_code prep_build(prep *p, const binning *b, const outcome *o, size_t threads, err *e)
{
    memset(p, 0, sizeof *p);
    p->slice_off = malloc((b->ndim + 1) * sizeof *p->slice_off);
    if (!p->slice_off)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t d = 0; d < b->ndim; d++) {
        p->slice_off[d] = p->nslices;
        p->nslices += b->dim[d].nbins;
    }
    p->slice_off[b->ndim] = p->nslices;
    err_code rc = pack_groups(p, b, o, e);
    for (size_t g = 0; g < p->ngroups && rc == E_OK; g++) {
        size_t n = b->nrows ? b->nrows : 1;
        if (p->g[g].ncell <= 256)
            p->g[g].c8 = malloc(n * sizeof *p->g[g].c8);
        else if (p->g[g].ncell <= 65536)
            p->g[g].c16 = malloc(n * sizeof *p->g[g].c16);
        else
            p->g[g].c32 = malloc(n * sizeof *p->g[g].c32);
        if (!p->g[g].c8 && !p->g[g].c16 && !p->g[g].c32)
            rc = err_set(e, E_NOMEM, "out of memory");
    }
    if (rc == E_OK) {
        code_ctx cc = {p, b, o};
        par_run(threads, p->ngroups, code_task, &cc);
    }
    if (rc == E_OK)
        rc = mf_prep_build(&p->mf, o, e);
    if (rc == E_OK)
        rc = order_worst(p, o, e);
    size_t nev = o->n - o->nunknown;
    p->all_err = nev ? (double)o->nerr / (double)nev : NAN;
    if (rc != E_OK)
        prep_done(p);
    return rc;
}

/* ---------------------------------------------------------------- full recompute */

enum { T_LOSSES, T_CALIBRATION, T_AUC, T_CASES, T_REG_SUMS, T_REG_MEDIAN, T_CONFUSION, T_KINDS };

typedef struct count_ctx {
    const engine *eng;
    const bitmap *sel; /* NULL = every row */
    size_t nsel;       /* rows in sel */
    size_t ncases;
    int fixed[T_KINDS + MF_AUC_PARTS]; /* the tasks before the group tasks, longest first */
    size_t fixed_arg[T_KINDS + MF_AUC_PARTS];
    size_t nfixed;
    size_t nchunks, chunk; /* row ranges per group */
    uint32_t *hist;        /* owned; one histogram per group task */
    size_t *hoff;          /* owned; ngroups: each group's first histogram */
    mf_sums sums;
    mf_auc auc_part[MF_AUC_PARTS];
    case_list cases;
    mf_reg_sums reg;
    double reg_median;
    size_t *cm; /* owned; k * k when counted apart from the groups */
    err_code rc[T_KINDS];
    err e[T_KINDS];
} count_ctx;

/* One row range of a group's joint histogram. A small histogram is kept four times over,
 * interleaved by row, so that rows of the same code in a row do not wait on each other's
 * increment. */
#define COUNT_CODES(c)                                                                             \
    do {                                                                                           \
        if (g->ncell <= SPLIT_CELLS) {                                                             \
            size_t n_ = g->ncell;                                                                  \
            ROWS_FOR(sel, r0, r1, i, h[(i & 3) * n_ + (c)[i]]++;);                                 \
            for (size_t k_ = 0; k_ < n_; k_++)                                                     \
                h[k_] += h[n_ + k_] + h[2 * n_ + k_] + h[3 * n_ + k_];                             \
        } else {                                                                                   \
            ROWS_FOR(sel, r0, r1, i, h[(c)[i]]++;);                                                \
        }                                                                                          \
    } while (0)

static void count_group(const group *g, const bitmap *sel, size_t r0, size_t r1, uint32_t *h)
{
    if (g->c8)
        COUNT_CODES(g->c8);
    else if (g->c16)
        COUNT_CODES(g->c16);
    else
        COUNT_CODES(g->c32);
}

static size_t hist_len(const group *g)
{
    return g->ncell <= SPLIT_CELLS ? 4 * g->ncell : g->ncell;
}

static void fixed_task(count_ctx *c, int kind, size_t arg)
{
    const engine *eng = c->eng;
    const outcome *o = eng->o;
    switch (kind) {
    case T_LOSSES:
        mf_sum_losses(&eng->p.mf, c->sel, &c->sums);
        break;
    case T_CALIBRATION:
        mf_sum_calibration(&eng->p.mf, c->sel, c->nsel, &c->sums);
        break;
    case T_AUC:
        mf_auc_count_part(&eng->p.mf, c->sel, c->nsel, arg, &c->auc_part[arg]);
        break;
    case T_CASES:
        c->rc[kind] = walk_cases(&c->cases, &eng->p, c->sel, c->ncases, &c->e[kind]);
        break;
    case T_REG_SUMS:
        mf_reg_sum(&eng->p.mf, c->sel, &c->reg);
        break;
    case T_REG_MEDIAN:
        c->reg_median = mf_reg_median(&eng->p.mf, c->sel);
        break;
    case T_CONFUSION: {
        uint32_t k = o->nclass;
        size_t *cm = c->cm;
        ROWS_FOR(c->sel, 0, o->n, i, {
            if (o->err[i] != OUT_UNKNOWN && o->y[i] < k && o->yhat[i] < k)
                cm[(size_t)o->y[i] * k + o->yhat[i]]++;
        });
        break;
    }
    }
}

static void count_task(void *ctx, size_t t)
{
    count_ctx *c = ctx;
    if (t < c->nfixed) {
        fixed_task(c, c->fixed[t], c->fixed_arg[t]);
        return;
    }
    t -= c->nfixed;
    size_t g = t / c->nchunks, k = t % c->nchunks;
    const group *gr = &c->eng->p.g[g];
    size_t len = hist_len(gr);
    uint32_t *h = c->hist + c->hoff[g] + k * len;
    memset(h, 0, len * sizeof *h);
    size_t r0 = k * c->chunk, r1 = r0 + c->chunk;
    size_t n = c->eng->b->nrows;
    if (r0 < n)
        count_group(gr, c->sel, r0, r1 < n ? r1 : n, h);
}

/* The per-slice counts of one group's joint histogram, walking its cells in order with the
 * digits of each dimension kept like an odometer (no division per cell). Group 0 also gives
 * the selection's totals, and the confusion group the confusion matrix. */
static void marginalize(const engine *eng, size_t gi, const uint32_t *h, size_t *n, size_t *nerr,
                        size_t *cm, size_t *N, size_t *E)
{
    const prep *p = &eng->p;
    const group *g = &p->g[gi];
    uint32_t digit[GROUP_DIMS_MAX] = {0};
    size_t off[GROUP_DIMS_MAX];
    uint32_t nb[GROUP_DIMS_MAX];
    for (uint32_t d = 0; d < g->ndim; d++) {
        off[d] = p->slice_off[g->dim[d]];
        nb[d] = eng->b->dim[g->dim[d]].nbins;
    }
    bool is_cm = (int)gi == p->cm_group;
    uint32_t k = eng->o->nclass;
    for (size_t j = 0; j + 1 < g->ncell; j += 2) {
        size_t ok = h[j], bad = h[j + 1];
        if (ok | bad) {
            for (uint32_t d = 0; d < g->ndim; d++)
                if (digit[d] < nb[d]) {
                    n[off[d] + digit[d]] += ok + bad;
                    nerr[off[d] + digit[d]] += bad;
                }
            if (is_cm)
                cm[(size_t)digit[p->cm_true] * k + digit[p->cm_pred]] += ok + bad;
            if (gi == 0) {
                *N += ok + bad;
                *E += bad;
            }
        }
        for (uint32_t d = g->ndim; d-- > 0;) {
            if (++digit[d] < g->card[d])
                break;
            digit[d] = 0;
        }
    }
}

static void count_ctx_done(count_ctx *c)
{
    free(c->hist);
    free(c->hoff);
    free(c->cm);
    cs_done(&c->cases);
}

static err_code heatmap_step(eng_job *j, const size_t *n_all, err *e);

/* Stage 1: every counting pass at once (score sums, AUC, cases, the groups' histograms),
 * over the cores. Stage 2: the figures from the counts, then the heatmap. */
static err_code full_recompute(eng_job *j, eng_progress progress, void *pctx, err *e)
{
    const engine *eng = j->eng;
    const prep *p = &eng->p;
    const outcome *o = eng->o;
    eng_result *res = j->res;
    size_t threads = j->opt.threads ? j->opt.threads : par_cores();
    count_ctx c;
    memset(&c, 0, sizeof c);
    c.eng = eng;
    c.sel = j->sel_all ? NULL : &res->sel;
    c.nsel = res->nsel;
    c.ncases = j->opt.ncases;
    bool reg = p->mf.regression;
    if (p->mf.scored) {
        c.fixed[c.nfixed++] = T_CALIBRATION;
        c.fixed[c.nfixed++] = T_LOSSES;
    }
    for (size_t k = 0; p->mf.binary && k < MF_AUC_PARTS; k++) {
        c.fixed_arg[c.nfixed] = k;
        c.fixed[c.nfixed++] = T_AUC;
    }
    if (reg) {
        c.fixed[c.nfixed++] = T_REG_SUMS;
        c.fixed[c.nfixed++] = T_REG_MEDIAN;
    }
    if (!reg && p->cm_group < 0)
        c.fixed[c.nfixed++] = T_CONFUSION;
    c.fixed[c.nfixed++] = T_CASES;
    size_t nrows = eng->b->nrows;
    c.nchunks = threads > 1 && nrows >= ((size_t)1 << 16) ? 2 * threads : 1;
    c.chunk = ((nrows + c.nchunks - 1) / c.nchunks + 63) / 64 * 64;
    if (!c.chunk)
        c.chunk = 64;
    c.hoff = malloc(p->ngroups * sizeof *c.hoff);
    size_t total = 0;
    for (size_t g = 0; g < p->ngroups && c.hoff; g++) {
        c.hoff[g] = total;
        total += c.nchunks * hist_len(&p->g[g]);
    }
    uint32_t k = o->nclass;
    size_t cells = (size_t)k * k;
    c.hist = malloc((total ? total : 1) * sizeof *c.hist);
    c.cm = calloc(cells ? cells : 1, sizeof *c.cm);
    size_t *n_all = calloc(2 * p->nslices + 1, sizeof *n_all);
    if (!c.hoff || !c.hist || !c.cm || !n_all) {
        count_ctx_done(&c);
        free(n_all);
        return err_set(e, E_NOMEM, "out of memory");
    }
    par_run(threads, c.nfixed + p->ngroups * c.nchunks, count_task, &c);
    err_code rc = E_OK;
    for (size_t t = 0; t < c.nfixed && rc == E_OK; t++)
        if (c.rc[c.fixed[t]] != E_OK) {
            rc = c.rc[c.fixed[t]];
            if (e)
                *e = c.e[c.fixed[t]];
        }
    if (rc == E_OK && progress && progress(pctx, 0.6))
        rc = err_set(e, E_CANCEL, "cancelled");
    size_t *nerr_all = n_all + p->nslices, N = 0, E = 0;
    for (size_t g = 0; g < p->ngroups && rc == E_OK; g++) {
        uint32_t *h = c.hist + c.hoff[g];
        size_t len = hist_len(&p->g[g]);
        for (size_t ch = 1; ch < c.nchunks; ch++)
            for (size_t x = 0; x < p->g[g].ncell; x++)
                h[x] += h[ch * len + x];
        marginalize(eng, g, h, n_all, nerr_all, c.cm, &N, &E);
    }
    if (rc == E_OK) {
        if (reg) {
            mf_finish_regression(&res->m, o, res->nsel, &c.reg, c.reg_median);
        } else {
            mf_auc auc;
            mf_auc_merge(c.auc_part, &auc);
            rc = mf_finish(&res->m, o, c.cm, res->nsel, p->mf.scored ? &c.sums : NULL,
                           p->mf.binary ? &auc : NULL, e);
        }
    }
    if (rc == E_OK) {
        st_wilson(res->m.nerr, res->m.n, &res->err_lo, &res->err_hi);
        res->cases = c.cases;
        memset(&c.cases, 0, sizeof c.cases);
        rc = slc_from_counts(&res->slices, eng->b, n_all, nerr_all, N, E, j->opt.min_support, e);
    }
    if (rc == E_OK)
        rc = rank_compute(&res->rank, eng->b, &res->slices, e);
    count_ctx_done(&c);
    if (rc == E_OK && progress && progress(pctx, 0.8))
        rc = err_set(e, E_CANCEL, "cancelled");
    if (rc == E_OK)
        rc = heatmap_step(j, n_all, e);
    free(n_all);
    return rc;
}

/* --------------------------------------------------------------- partial steps */

static bool heatmap_wanted(const eng_opts *opt, const binning *b)
{
    return opt->hm_x >= 0 && opt->hm_y >= 0 && (size_t)opt->hm_x < b->ndim &&
           (size_t)opt->hm_y < b->ndim;
}

/* The heatmap of the job's axes; level axes take their counts from n_all (the slices'
 * counts of the selection) when given, else from the result's slice table. */
static err_code heatmap_step(eng_job *j, const size_t *n_all, err *e)
{
    const engine *eng = j->eng;
    eng_result *res = j->res;
    hm_done(&res->hm);
    if (!heatmap_wanted(&j->opt, eng->b))
        return E_OK;
    uint32_t dims[2] = {(uint32_t)j->opt.hm_x, (uint32_t)j->opt.hm_y};
    size_t *cnt[2] = {NULL, NULL};
    err_code rc = E_OK;
    for (int a = 0; a < 2 && rc == E_OK; a++) {
        if (hm_dim_is_numeric(eng->b, eng->ds, dims[a])) {
            if (!j->num[a] && a == 1 && dims[0] == dims[1])
                j->num[a] = j->num[0];
            if (!j->num[a]) {
                rc = hm_numeric_new(&j->own[a], eng->ds, eng->b, dims[a], e);
                j->num[a] = j->own[a];
            }
            continue;
        }
        if (n_all)
            continue;
        size_t off = eng->p.slice_off[dims[a]], nb = eng->b->dim[dims[a]].nbins;
        cnt[a] = malloc((nb ? nb : 1) * sizeof *cnt[a]);
        if (!cnt[a]) {
            rc = err_set(e, E_NOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < nb; k++)
            cnt[a][k] = res->slices.v[off + k].n;
    }
    if (rc == E_OK) {
        hm_input in = {eng->ds,   eng->b,    eng->o, j->sel_all ? NULL : &res->sel,
                       j->num[0], j->num[1], NULL,   NULL};
        in.xcount = n_all ? n_all + eng->p.slice_off[dims[0]] : cnt[0];
        in.ycount = n_all ? n_all + eng->p.slice_off[dims[1]] : cnt[1];
        hm_opts ho = {dims[0], dims[1], j->opt.hm_equal_width, j->opt.min_support, j->opt.threads};
        rc = hm_compute(&res->hm, &in, &ho, e);
    }
    free(cnt[0]);
    free(cnt[1]);
    return rc;
}

static void refresh_small(eng_result *res, size_t min_support)
{
    for (size_t i = 0; i < res->slices.len; i++)
        res->slices.v[i].small = res->slices.v[i].n < min_support;
    size_t nc = (size_t)res->hm.x.nbins * res->hm.y.nbins;
    for (size_t i = 0; i < nc; i++)
        res->hm.cells[i].small = res->hm.cells[i].n < min_support;
}

/* ------------------------------------------------------------------------ jobs */

void eng_job_free(eng_job *j)
{
    if (!j)
        return;
    result_free(j->res);
    hm_numeric_free(j->own[0]);
    hm_numeric_free(j->own[1]);
    free(j);
}

/* The selection: the AND of the filters' bitmaps, every row when there are none. */
static err_code build_selection(const engine *eng, eng_result *res, err *e)
{
    if (eng->nfilters == 0) {
        res->nsel = eng->b->nrows;
        return bm_init(&res->sel, eng->b->nrows, true, e);
    }
    err_code rc = bm_copy(&res->sel, &eng->filters[0].bm, e);
    for (size_t i = 1; i < eng->nfilters && rc == E_OK; i++)
        bm_and(&res->sel, &eng->filters[i].bm);
    if (rc == E_OK)
        res->nsel = bm_count(&res->sel);
    return rc;
}

/* Copies the parts of the current result that the job will not recompute. */
static err_code carry_over(const eng_result *old, eng_result *res, unsigned dirty, err *e)
{
    err_code rc = bm_copy(&res->sel, &old->sel, e);
    res->nsel = old->nsel;
    res->err_lo = old->err_lo;
    res->err_hi = old->err_hi;
    if (rc == E_OK)
        rc = metrics_copy(&res->m, &old->m, e);
    if (rc == E_OK)
        rc = slices_copy(&res->slices, &old->slices, e);
    if (rc == E_OK)
        rc = rank_copy(&res->rank, &old->rank, e);
    if (rc == E_OK && !(dirty & ENG_DIRTY_CASES))
        rc = cases_copy(&res->cases, &old->cases, e);
    if (rc == E_OK && !(dirty & ENG_DIRTY_HEATMAP))
        rc = hm_copy(&res->hm, &old->hm, e);
    return rc;
}

err_code eng_job_begin(engine *eng, eng_job **out, err *e)
{
    eng_job *j = calloc(1, sizeof *j);
    if (!j || !(j->res = calloc(1, sizeof *j->res))) {
        free(j);
        return err_set(e, E_NOMEM, "out of memory");
    }
    j->eng = eng;
    j->res->all_err = eng->p.all_err;
    j->opt = eng->opt;
    j->dirty = eng->dirty;
    j->gen = eng->gen;
    if (!eng->res)
        j->dirty = ENG_DIRTY_ALL;
    err_code rc = j->dirty & ENG_DIRTY_SEL ? build_selection(eng, j->res, e)
                                           : carry_over(eng->res, j->res, j->dirty, e);
    if (rc != E_OK) {
        eng_job_free(j);
        return rc;
    }
    j->sel_all = j->res->nsel == eng->b->nrows;
    if (heatmap_wanted(&j->opt, eng->b)) {
        j->num[0] = eng->num[j->opt.hm_x];
        j->num[1] = eng->num[j->opt.hm_y];
    }
    *out = j;
    return E_OK;
}

err_code eng_job_run(eng_job *j, eng_progress progress, void *ctx, err *e)
{
    if (progress && progress(ctx, 0.0))
        return err_set(e, E_CANCEL, "cancelled");
    err_code rc = E_OK;
    if (j->dirty & ENG_DIRTY_SEL) {
        rc = full_recompute(j, progress, ctx, e);
    } else {
        const engine *eng = j->eng;
        eng_result *res = j->res;
        if (j->dirty & ENG_DIRTY_CASES)
            rc = walk_cases(&res->cases, &eng->p, j->sel_all ? NULL : &res->sel, j->opt.ncases, e);
        if (rc == E_OK && (j->dirty & ENG_DIRTY_HEATMAP))
            rc = heatmap_step(j, NULL, e);
        if (rc == E_OK && (j->dirty & ENG_DIRTY_SUPPORT))
            refresh_small(res, j->opt.min_support);
    }
    if (rc == E_OK && progress && progress(ctx, 1.0))
        rc = err_set(e, E_CANCEL, "cancelled");
    return rc;
}

bool eng_job_commit(engine *eng, eng_job *j)
{
    for (int a = 0; a < 2; a++) {
        hm_numeric *p = j->own[a];
        if (p && !eng->num[hm_numeric_dim(p)]) {
            eng->num[hm_numeric_dim(p)] = p;
            j->own[a] = NULL;
        }
    }
    eng_result *old = eng->res;
    eng->res = j->res;
    j->res = NULL;
    eng->res->serial = ++eng->serial;
    result_free(old);
    bool current = eng->gen == j->gen;
    if (current)
        eng->dirty = 0;
    eng_job_free(j);
    return current;
}

err_code eng_recompute(engine *eng, err *e)
{
    if (!eng->dirty && eng->res)
        return E_OK;
    eng_job *j;
    err_code rc = eng_job_begin(eng, &j, e);
    if (rc != E_OK)
        return rc;
    rc = eng_job_run(j, NULL, NULL, e);
    if (rc != E_OK) {
        eng_job_free(j);
        return rc;
    }
    eng_job_commit(eng, j);
    return E_OK;
}

/* --------------------------------------------------------------------- engine */

void eng_opts_init(eng_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_support = 30;
    o->hm_x = o->hm_y = ENG_DIM_AUTO;
    o->ncases = 200;
}

static void touch(engine *eng, unsigned dirty)
{
    eng->dirty |= dirty;
    eng->gen++;
}

void eng_touch(engine *eng, unsigned dirty)
{
    touch(eng, dirty & ENG_DIRTY_ALL);
}

unsigned eng_dirty(const engine *eng)
{
    return eng->dirty;
}

const eng_opts *eng_options(const engine *eng)
{
    return &eng->opt;
}

const binning *eng_binning(const engine *eng)
{
    return eng->b;
}

const eng_result *eng_current(const engine *eng)
{
    return eng->res;
}

void eng_free(engine *eng)
{
    if (!eng)
        return;
    while (eng_pop_filter(eng))
        ;
    free(eng->filters);
    for (size_t i = 0; i < eng->nhistory; i++)
        free(eng->history[i]);
    free(eng->history);
    result_free(eng->res);
    for (size_t d = 0; eng->num && d < eng->b->ndim; d++)
        hm_numeric_free(eng->num[d]);
    free(eng->num);
    prep_done(&eng->p);
    free(eng);
}

/* How good a default heatmap axis a dimension makes: feature columns first, then the
 * label and prediction columns (binned for regression), then derived dimensions. */
static int axis_tier(const engine *eng, const rank_entry *r)
{
    if (r->col < 0)
        return 2;
    col_role role = eng->ds->cols[r->col].role;
    return role == ROLE_LABEL || role == ROLE_PRED ? 1 : 0;
}

/* The two top-ranked dimensions of the best tier; a numeric one goes across. */
static void pick_axes(engine *eng)
{
    const col_ranking *rk = &eng->res->rank;
    int pick[2] = {-1, -1}, n = 0;
    for (int tier = 0; tier < 3 && n < 2; tier++)
        for (size_t i = 0; i < rk->len && n < 2; i++)
            if (axis_tier(eng, &rk->v[i]) == tier && !isnan(rk->v[i].mi))
                pick[n++] = (int)rk->v[i].dim;
    if (n < 2) {
        eng->opt.hm_x = eng->opt.hm_y = ENG_DIM_NONE;
        return;
    }
    int y = pick[0], x = pick[1];
    if (hm_dim_is_numeric(eng->b, eng->ds, (uint32_t)y) &&
        !hm_dim_is_numeric(eng->b, eng->ds, (uint32_t)x)) {
        y = pick[1];
        x = pick[0];
    }
    eng->opt.hm_x = x;
    eng->opt.hm_y = y;
}

err_code eng_new(engine **out, const dataset *ds, const roles *r, const outcome *o,
                 const binning *b, const eng_opts *opt, err *e)
{
    if (b->nrows > MF_MAX_ROWS || o->n != b->nrows || ds->nrows != b->nrows)
        return err_set(e, E_RANGE, "engine: %zu rows (at most %zu, and the same everywhere)",
                       b->nrows, MF_MAX_ROWS);
    bool auto_axes = opt->hm_x == ENG_DIM_AUTO || opt->hm_y == ENG_DIM_AUTO;
    if ((opt->hm_x >= 0 && (size_t)opt->hm_x >= b->ndim) ||
        (opt->hm_y >= 0 && (size_t)opt->hm_y >= b->ndim))
        return err_set(e, E_RANGE, "engine: no heatmap dimension %d",
                       opt->hm_x >= 0 && (size_t)opt->hm_x >= b->ndim ? opt->hm_x : opt->hm_y);
    engine *eng = calloc(1, sizeof *eng);
    if (!eng || !(eng->num = calloc(b->ndim ? b->ndim : 1, sizeof *eng->num))) {
        free(eng);
        return err_set(e, E_NOMEM, "out of memory");
    }
    eng->ds = ds;
    eng->r = r;
    eng->o = o;
    eng->b = b;
    eng->opt = *opt;
    if (auto_axes)
        eng->opt.hm_x = eng->opt.hm_y = ENG_DIM_NONE;
    err_code rc = prep_build(&eng->p, b, o, opt->threads, e);
    if (rc == E_OK) {
        eng->dirty = ENG_DIRTY_ALL;
        rc = eng_recompute(eng, e);
    }
    if (rc == E_OK && auto_axes) {
        pick_axes(eng);
        if (heatmap_wanted(&eng->opt, b)) {
            touch(eng, ENG_DIRTY_HEATMAP);
            rc = eng_recompute(eng, e);
        }
    }
    if (rc != E_OK) {
        eng_free(eng);
        return rc;
    }
    *out = eng;
    return E_OK;
}

/* ------------------------------------------------------------------- filters */

static void history_add(engine *eng, const char *expr)
{
    for (size_t i = 0; i < eng->nhistory; i++)
        if (strcmp(eng->history[i], expr) == 0) {
            char *s = eng->history[i];
            memmove(&eng->history[i], &eng->history[i + 1],
                    (eng->nhistory - i - 1) * sizeof *eng->history);
            eng->history[eng->nhistory - 1] = s;
            return;
        }
    char *s = strdup(expr);
    if (!s)
        return; /* the history is a convenience: losing an entry is no failure */
    if (eng->nhistory == ENG_HISTORY_MAX) {
        free(eng->history[0]);
        memmove(&eng->history[0], &eng->history[1], (eng->nhistory - 1) * sizeof *eng->history);
        eng->nhistory--;
    }
    if (!eng->history) {
        eng->history = malloc(ENG_HISTORY_MAX * sizeof *eng->history);
        if (!eng->history) {
            free(s);
            return;
        }
    }
    eng->history[eng->nhistory++] = s;
}

static err_code reserve_filter(engine *eng, err *e)
{
    if (eng->nfilters == eng->capfilters) {
        size_t cap = eng->capfilters ? 2 * eng->capfilters : 8;
        eng_filter *f = realloc(eng->filters, cap * sizeof *f);
        if (!f)
            return err_set(e, E_NOMEM, "out of memory");
        eng->filters = f;
        eng->capfilters = cap;
    }
    return E_OK;
}

err_code eng_push_rows(engine *eng, const char *label, const bitmap *rows, err *e)
{
    if (rows->nbits != eng->b->nrows)
        return err_set(e, E_RANGE, "a row set of %zu rows for a file of %zu", rows->nbits,
                       eng->b->nrows);
    err_code rc = reserve_filter(eng, e);
    if (rc != E_OK)
        return rc;
    eng_filter nf = {NULL, strdup(label), {0, NULL}, 0};
    if (!nf.label)
        return err_set(e, E_NOMEM, "out of memory");
    if ((rc = bm_copy(&nf.bm, rows, e)) != E_OK) {
        free(nf.label);
        return rc;
    }
    nf.count = bm_count(&nf.bm);
    eng->filters[eng->nfilters++] = nf;
    touch(eng, ENG_DIRTY_SEL);
    return E_OK;
}

err_code eng_push_filter(engine *eng, const char *expr, err *e, flt_error *where)
{
    err_code rc0 = reserve_filter(eng, e);
    if (rc0 != E_OK)
        return rc0;
    flt_ctx ctx = eng_filter_ctx(eng);
    eng_filter nf = {NULL, NULL, {0, NULL}, 0};
    err_code rc = flt_compile(&nf.f, expr, &ctx, e, where);
    if (rc != E_OK)
        return rc;
    rc = bm_init(&nf.bm, eng->b->nrows, false, e);
    if (rc == E_OK)
        rc = flt_eval(nf.f, &nf.bm, e);
    if (rc != E_OK) {
        if (where)
            *where = (flt_error){0, strlen(expr)};
        bm_done(&nf.bm);
        flt_free(nf.f);
        return rc;
    }
    nf.count = bm_count(&nf.bm);
    eng->filters[eng->nfilters++] = nf;
    history_add(eng, expr);
    touch(eng, ENG_DIRTY_SEL);
    return E_OK;
}

void eng_set_tags(engine *eng, const flt_tags *tags)
{
    eng->tags = tags;
}

void eng_set_compare(engine *eng, const flt_compare *compare)
{
    eng->compare = compare;
}

void eng_set_categories(engine *eng, const uint8_t *categories)
{
    eng->categories = categories;
}

flt_ctx eng_filter_ctx(const engine *eng)
{
    return (flt_ctx){.ds = eng->ds, .r = eng->r, .o = eng->o, .tags = eng->tags,
                     .compare = eng->compare, .categories = eng->categories};
}

err_code eng_tags_changed(engine *eng, err *e)
{
    bool any = false;
    for (size_t i = 0; i < eng->nfilters; i++) {
        eng_filter *f = &eng->filters[i];
        if (!f->f || !flt_uses_tags(f->f))
            continue;
        err_code rc = flt_eval(f->f, &f->bm, e);
        if (rc != E_OK)
            return rc;
        f->count = bm_count(&f->bm);
        any = true;
    }
    if (any)
        touch(eng, ENG_DIRTY_SEL);
    return E_OK;
}

bool eng_pop_filter(engine *eng)
{
    if (!eng->nfilters)
        return false;
    eng_filter *f = &eng->filters[--eng->nfilters];
    flt_free(f->f);
    free(f->label);
    bm_done(&f->bm);
    touch(eng, ENG_DIRTY_SEL);
    return true;
}

size_t eng_filter_count(const engine *eng)
{
    return eng->nfilters;
}

const char *eng_filter_text(const engine *eng, size_t i)
{
    if (i >= eng->nfilters)
        return NULL;
    return eng->filters[i].f ? flt_text(eng->filters[i].f) : eng->filters[i].label;
}

size_t eng_filter_rows(const engine *eng, size_t i)
{
    return i < eng->nfilters ? eng->filters[i].count : 0;
}

size_t eng_history_count(const engine *eng)
{
    return eng->nhistory;
}

const char *eng_history(const engine *eng, size_t i)
{
    return i < eng->nhistory ? eng->history[i] : NULL;
}

/* -------------------------------------------------------------------- options */

err_code eng_set_heatmap(engine *eng, int x, int y, bool equal_width, err *e)
{
    size_t nd = eng->b->ndim;
    if ((x >= 0 && (size_t)x >= nd) || (y >= 0 && (size_t)y >= nd) ||
        (x < 0 && x != ENG_DIM_NONE) || (y < 0 && y != ENG_DIM_NONE))
        return err_set(e, E_RANGE, "heatmap: no dimension %d", x >= 0 && (size_t)x < nd ? y : x);
    eng->opt.hm_x = x;
    eng->opt.hm_y = y;
    eng->opt.hm_equal_width = equal_width;
    touch(eng, ENG_DIRTY_HEATMAP);
    return E_OK;
}

err_code eng_set_heatmap_names(engine *eng, const char *x, const char *y, bool equal_width, err *e)
{
    int dx = hm_dim_find(eng->b, x), dy = hm_dim_find(eng->b, y);
    if (dx < 0 || dy < 0)
        return err_set(e, E_USAGE, "heatmap: no column '%s' to slice on", dx < 0 ? x : y);
    return eng_set_heatmap(eng, dx, dy, equal_width, e);
}

void eng_set_min_support(engine *eng, size_t min_support)
{
    eng->opt.min_support = min_support;
    touch(eng, ENG_DIRTY_SUPPORT);
}

void eng_set_ncases(engine *eng, size_t ncases)
{
    eng->opt.ncases = ncases;
    touch(eng, ENG_DIRTY_CASES);
}

/* ---------------------------------------------------------------------- bench */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Times reps recomputes after marking `dirty`; the figures go to t[0..reps). */
static err_code time_recomputes(engine *eng, unsigned dirty, size_t reps, double *t, err *e)
{
    for (size_t i = 0; i < reps; i++) {
        eng_touch(eng, dirty);
        double t0 = now_ms();
        err_code rc = eng_recompute(eng, e);
        t[i] = now_ms() - t0;
        if (rc != E_OK)
            return rc;
    }
    return E_OK;
}

#define BENCH_FILTERS 10
#define BENCH_PER_FILTER 3

/* Up to BENCH_FILTERS expressions, each one bin of a different dimension holding between
 * lo and hi of the rows (the bin nearest 10% of the rows in each dimension). */
static size_t bench_filters(const engine *eng, double lo, double hi, char (*expr)[512], bool *used,
                            size_t n)
{
    const slice_table *t = &eng->res->slices;
    double N = (double)eng->b->nrows;
    for (size_t d = 0; d < eng->b->ndim && n < BENCH_FILTERS; d++) {
        if (used[d])
            continue;
        size_t off = eng->p.slice_off[d], best = SIZE_MAX;
        double best_gap = INFINITY;
        for (size_t k = 0; k < eng->b->dim[d].nbins; k++) {
            double share = (double)t->v[off + k].n / N;
            if (share >= lo && share <= hi && fabs(share - 0.1) < best_gap) {
                best_gap = fabs(share - 0.1);
                best = k;
            }
        }
        if (best == SIZE_MAX)
            continue;
        size_t len = bx_bin(eng->b, eng->ds, (uint32_t)d, (uint32_t)best, expr[n], 512);
        if (len && len < 512) {
            used[d] = true;
            n++;
        }
    }
    return n;
}

err_code eng_bench(engine *eng, size_t reps, eng_bench_figures *out, err *e)
{
    memset(out, 0, sizeof *out);
    out->rows = eng->b->nrows;
    if (eng->nfilters)
        return err_set(e, E_USAGE, "bench: the filter stack must be empty");
    if (reps < 1)
        reps = 1;
    char(*expr)[512] = malloc(BENCH_FILTERS * sizeof *expr);
    bool *used = calloc(eng->b->ndim ? eng->b->ndim : 1, sizeof *used);
    double *t = malloc((reps + BENCH_FILTERS * BENCH_PER_FILTER) * sizeof *t);
    double *tf = malloc(BENCH_FILTERS * sizeof *tf);
    if (!expr || !used || !t || !tf) {
        free(expr);
        free(used);
        free(t);
        free(tf);
        return err_set(e, E_NOMEM, "out of memory");
    }
    err_code rc = eng_recompute(eng, e);
    if (rc == E_OK)
        rc = time_recomputes(eng, ENG_DIRTY_SEL, reps, t, e);
    out->recompute_all_ms = median(t, reps);
    if (rc == E_OK)
        rc = time_recomputes(eng, ENG_DIRTY_HEATMAP, reps, t, e);
    out->heatmap_ms = median(t, reps);
    size_t nf = rc == E_OK ? bench_filters(eng, 0.05, 0.20, expr, used, 0) : 0;
    if (rc == E_OK && nf < BENCH_FILTERS)
        nf = bench_filters(eng, 0.02, 0.40, expr, used, nf);
    size_t nt = 0;
    double share = 0;
    for (size_t i = 0; i < nf && rc == E_OK; i++) {
        double t0 = now_ms();
        rc = eng_push_filter(eng, expr[i], e, NULL);
        tf[i] = now_ms() - t0;
        if (rc != E_OK)
            break;
        share += (double)eng_filter_rows(eng, 0) / (double)(out->rows ? out->rows : 1);
        rc = time_recomputes(eng, ENG_DIRTY_SEL, BENCH_PER_FILTER, t + nt, e);
        nt += BENCH_PER_FILTER;
        eng_pop_filter(eng);
    }
    out->nfilters = nf;
    out->recompute_ms = median(t, nt);
    out->filter_ms = median(tf, nf);
    out->selected_share = nf ? share / (double)nf : NAN;
    while (eng->nfilters)
        eng_pop_filter(eng);
    err_code rc2 = eng_recompute(eng, rc == E_OK ? e : NULL);
    free(expr);
    free(used);
    free(t);
    free(tf);
    return rc != E_OK ? rc : rc2;
}
