#include "heatmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binexpr.h"
#include "par.h"
#include "radix.h"
#include "rowiter.h"
#include "stats.h"

#define FINE 4096              /* equal-count buckets of a numeric column */
#define SKIP UINT16_MAX        /* the row is in no axis bin */
#define SPLIT (UINT16_MAX - 1) /* the bucket straddles an edge: compare the value itself */
#define CHUNK_ROWS ((size_t)1 << 16)

struct hm_numeric {
    uint32_t dim;
    bool is_time;
    size_t nrows, m;           /* rows; rows with a value */
    const double *x;           /* borrowed; the column's values */
    uint32_t *perm;            /* owned; the m rows with a value, by value (ties by row) */
    uint16_t *fine;            /* owned; per row: the bucket of its place in perm, FINE when
                                * the value is missing */
    size_t start[FINE + 1];    /* the first place in perm of each bucket; start[FINE] = m */
    double lo[FINE], hi[FINE]; /* each bucket's smallest and largest value (NAN when empty),
                                * so that mapping buckets to bins reads no rows */
};

/* ------------------------------------------------------------------ dimensions */

bool hm_dim_is_numeric(const binning *b, const dataset *ds, uint32_t dim)
{
    if (dim >= b->ndim)
        return false;
    const bin_dim *d = &b->dim[dim];
    if (d->col < 0 || (size_t)d->col >= ds->ncols || !ds->cols[d->col].num)
        return false;
    return d->kind == DIM_QUANTILE || d->kind == DIM_TIME;
}

int hm_dim_find(const binning *b, const char *name)
{
    for (size_t d = 0; d < b->ndim; d++)
        if (strcmp(b->dim[d].name, name) == 0)
            return (int)d;
    return -1;
}

uint32_t hm_numeric_dim(const hm_numeric *p)
{
    return p->dim;
}

void hm_numeric_free(hm_numeric *p)
{
    if (!p)
        return;
    free(p->perm);
    free(p->fine);
    free(p);
}

err_code hm_numeric_new(hm_numeric **out, const dataset *ds, const binning *b, uint32_t dim, err *e)
{
    if (!hm_dim_is_numeric(b, ds, dim))
        return err_set(e, E_USAGE, "heatmap: dimension %u is not numeric", dim);
    if (ds->nrows > UINT32_MAX)
        return err_set(e, E_RANGE, "heatmap: more than %u rows", UINT32_MAX);
    const column *c = &ds->cols[b->dim[dim].col];
    hm_numeric *p = calloc(1, sizeof *p);
    size_t n = ds->nrows;
    uint64_t *key = malloc((n ? n : 1) * sizeof *key);
    if (!p || !key) {
        free(p);
        free(key);
        return err_set(e, E_NOMEM, "out of memory");
    }
    p->dim = dim;
    p->is_time = c->type == COL_TIME;
    p->nrows = n;
    p->x = c->num;
    p->perm = malloc((n ? n : 1) * sizeof *p->perm);
    p->fine = malloc((n ? n : 1) * sizeof *p->fine);
    err_code rc = p->perm && p->fine ? E_OK : err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == E_OK; i++) {
        if (isnan(p->x[i])) {
            p->fine[i] = FINE;
            continue;
        }
        key[p->m] = rdx_key_double(p->x[i]);
        p->perm[p->m++] = (uint32_t)i;
    }
    if (rc == E_OK)
        rc = rdx_sort(key, p->perm, p->m, e);
    free(key);
    if (rc != E_OK) {
        hm_numeric_free(p);
        return rc;
    }
    /* place j goes to bucket j * FINE / m: equal counts, whatever the ties */
    size_t f = 0;
    for (size_t j = 0; j < p->m; j++) {
        size_t fj = (size_t)((uint64_t)j * FINE / p->m);
        while (f <= fj)
            p->start[f++] = j;
        p->fine[p->perm[j]] = (uint16_t)fj;
    }
    while (f <= FINE)
        p->start[f++] = p->m;
    for (f = 0; f < FINE; f++) {
        bool empty = p->start[f] == p->start[f + 1];
        p->lo[f] = empty ? NAN : p->x[p->perm[p->start[f]]];
        p->hi[f] = empty ? NAN : p->x[p->perm[p->start[f + 1] - 1]];
    }
    *out = p;
    return E_OK;
}

/* ------------------------------------------------------------------- row passes */

static inline bool row_counts(const outcome *o, size_t i)
{
    return o->err[i] != OUT_UNKNOWN;
}

/* How an axis maps a row to its bin. */
typedef struct axis_map {
    const uint16_t *code;  /* level axis: the dimension's per-row codes */
    uint32_t ncode;        /* level axis: the dimension's bins */
    const hm_numeric *num; /* numeric axis */
    uint16_t *map;         /* owned; level: code -> axis bin (ncode + 1 entries, the last for
                            * rows in no bin); numeric: bucket -> axis bin (FINE + 1 entries,
                            * the last for missing values); SKIP or SPLIT */
    double edges[HM_NUM_BINS + 1];
    size_t nedges;
} axis_map;

/* The same, flattened into locals for the row loops. */
typedef struct axis_view {
    const uint16_t *src; /* codes or buckets per row */
    const uint16_t *map;
    uint32_t nsrc;   /* level: codes at or above it are "no bin" */
    const double *x; /* numeric: values per row */
    const double *edges;
    size_t nedges;
} axis_view;

static axis_view view_of(const axis_map *a)
{
    axis_view v = {a->code, a->map, a->ncode, NULL, a->edges, a->nedges};
    if (a->num) {
        v.src = a->num->fine;
        v.nsrc = FINE + 1;
        v.x = a->num->x;
    }
    return v;
}

static __attribute__((noinline)) uint32_t split_bin(const axis_view *v, size_t i)
{
    int k = st_bin_of(v->edges, v->nedges, v->x[i]);
    return k < 0 ? SKIP : (uint32_t)k;
}

static inline __attribute__((always_inline)) uint32_t bin_at(const axis_view *v, bool num, size_t i)
{
    if (num) {
        uint32_t b = v->map[v->src[i]];
        return b == SPLIT ? split_bin(v, i) : b;
    }
    uint32_t c = v->src[i];
    return v->map[c < v->nsrc ? c : v->nsrc];
}

#define WAYS 4 /* interleaved tables: equal codes in a row do not wait on each other */

typedef struct job {
    const hm_input *in;
    size_t ntasks, chunk;
    const axis_map *ax[2];
    /* counting pass: per axis that needs it */
    bool need_count[2];
    size_t count_len[2];  /* entries of one table */
    size_t count_ways[2]; /* 1 or WAYS tables per task */
    uint32_t *count[2];   /* owned; ntasks * ways * count_len */
    /* cells pass */
    uint32_t nx, ny;
    size_t cells_len; /* entries of one table: (nx * ny + 1) * 4, [cell * 4 + error flag] */
    uint32_t *cells;  /* owned; ntasks * WAYS * cells_len */
    /* joint pass (one numeric axis, one level axis known beforehand) */
    int num_axis;     /* 0 (x) or 1 (y) */
    size_t nl;        /* bins of the level axis; slot nl holds rows in none */
    size_t joint_len; /* (FINE + 1) * (nl + 1) * 4: [(bucket * (nl + 1) + bin) * 4 + flag] */
    uint32_t *joint;  /* owned; ntasks * joint_len */
} job;

static void range_of(const job *j, size_t t, size_t *r0, size_t *r1)
{
    size_t n = j->in->b->nrows;
    *r0 = t * j->chunk;
    *r1 = *r0 + j->chunk < n ? *r0 + j->chunk : n;
}

/* Evaluated rows of the selection per bucket (numeric) or per code (level), for one axis or
 * for both in the same loop. */
static void count_task(void *ctx, size_t t)
{
    job *j = ctx;
    size_t r0, r1;
    range_of(j, t, &r0, &r1);
    const uint8_t *flag = j->in->o->err;
    const uint16_t *src[2] = {NULL, NULL};
    uint32_t *h[2] = {NULL, NULL};
    size_t len[2] = {0, 0}, mask[2] = {0, 0};
    uint32_t top[2] = {0, 0};
    for (int a = 0; a < 2; a++) {
        if (!j->need_count[a])
            continue;
        len[a] = j->count_len[a];
        mask[a] = j->count_ways[a] - 1;
        h[a] = j->count[a] + t * j->count_ways[a] * len[a];
        src[a] = view_of(j->ax[a]).src;
        top[a] = (uint32_t)len[a] - 1; /* the "no bin" (level) or missing (numeric) slot */
    }
    if (h[0] && h[1]) {
        ROWS_FOR(j->in->sel, r0, r1, i, {
            if (flag[i] != OUT_UNKNOWN) {
                uint32_t c0 = src[0][i], c1 = src[1][i];
                h[0][(i & mask[0]) * len[0] + (c0 < top[0] ? c0 : top[0])]++;
                h[1][(i & mask[1]) * len[1] + (c1 < top[1] ? c1 : top[1])]++;
            }
        });
        return;
    }
    int a = h[0] ? 0 : 1;
    const uint16_t *s = src[a];
    uint32_t *ha = h[a], tp = top[a];
    size_t la = len[a], ma = mask[a];
    ROWS_FOR(j->in->sel, r0, r1, i, {
        uint32_t c = s[i];
        if (flag[i] != OUT_UNKNOWN)
            ha[(i & ma) * la + (c < tp ? c : tp)]++;
    });
}

static inline __attribute__((always_inline)) void cells_loop(const job *j, bool xnum, bool ynum,
                                                             size_t r0, size_t r1, uint32_t *h)
{
    const uint8_t *flag = j->in->o->err;
    axis_view vx = view_of(j->ax[0]), vy = view_of(j->ax[1]);
    size_t ncell = (size_t)j->nx * j->ny, len = j->cells_len;
    uint32_t nx = j->nx;
    ROWS_FOR(j->in->sel, r0, r1, i, {
        uint32_t x = bin_at(&vx, xnum, i), y = bin_at(&vy, ynum, i);
        size_t cell = x == SKIP || y == SKIP ? ncell : (size_t)y * nx + x;
        h[(i & (WAYS - 1)) * len + cell * 4 + flag[i]]++;
    });
}

static void cells_task(void *ctx, size_t t)
{
    job *j = ctx;
    size_t r0, r1;
    range_of(j, t, &r0, &r1);
    uint32_t *h = j->cells + t * WAYS * j->cells_len;
    bool xnum = j->ax[0]->num != NULL, ynum = j->ax[1]->num != NULL;
    if (xnum && ynum)
        cells_loop(j, true, true, r0, r1, h);
    else if (xnum)
        cells_loop(j, true, false, r0, r1, h);
    else if (ynum)
        cells_loop(j, false, true, r0, r1, h);
    else
        cells_loop(j, false, false, r0, r1, h);
}

/* Sums ntables consecutive tables of len entries into the first. */
static void merge(uint32_t *h, size_t len, size_t ntables)
{
    for (size_t t = 1; t < ntables; t++)
        for (size_t k = 0; k < len; k++)
            h[k] += h[t * len + k];
}

/* Counts by (bucket of the numeric axis, bin of the level axis, error flag) in one pass:
 * the numeric axis's quantiles and the cells both come out of this table. */
static void joint_task(void *ctx, size_t t)
{
    job *j = ctx;
    size_t r0, r1;
    range_of(j, t, &r0, &r1);
    const uint8_t *flag = j->in->o->err;
    const uint16_t *fine = j->ax[j->num_axis]->num->fine;
    axis_view vl = view_of(j->ax[1 - j->num_axis]);
    size_t nl = j->nl, nl1 = nl + 1;
    uint32_t *h = j->joint + t * j->joint_len;
    ROWS_FOR(j->in->sel, r0, r1, i, {
        uint32_t l = bin_at(&vl, false, i);
        h[((size_t)fine[i] * nl1 + (l == SKIP ? nl : l)) * 4 + flag[i]]++;
    });
}

/* ------------------------------------------------------------------------ labels */

/* The shortest text of up to 6 significant digits that reads back as v, else 6 digits;
 * no exponent where 6 digits need none ("20", not "2e+01"). */
static void fmt_num(double v, char *buf, size_t size)
{
    char full[40];
    snprintf(full, sizeof full, "%.6g", v);
    bool exp_ok = strchr(full, 'e') != NULL;
    for (int prec = 1; prec <= 6; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v && (exp_ok || !strchr(buf, 'e')))
            return;
    }
}

static void fmt_time(double v, bool with_time, char *buf, size_t size)
{
    time_t t = (time_t)floor(v);
    struct tm tm;
    if (!isfinite(v) || !gmtime_r(&t, &tm)) {
        fmt_num(v, buf, size);
        return;
    }
    strftime(buf, size, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", &tm);
}

static void range_labels(hm_axis *ax, bool is_time)
{
    bool with_time = false;
    for (uint32_t k = 0; k < ax->nbins; k++) {
        const hm_bin *bn = &ax->bins[k];
        if (bn->kind == HM_RANGE)
            with_time |= fmod(bn->lo, 86400.0) != 0 || fmod(bn->hi, 86400.0) != 0;
    }
    for (uint32_t k = 0; k < ax->nbins; k++) {
        hm_bin *bn = &ax->bins[k];
        if (bn->kind != HM_RANGE)
            continue;
        char lo[40], hi[40];
        if (is_time) {
            fmt_time(bn->lo, with_time, lo, sizeof lo);
            fmt_time(bn->hi, with_time, hi, sizeof hi);
        } else {
            fmt_num(bn->lo, lo, sizeof lo);
            fmt_num(bn->hi, hi, sizeof hi);
        }
        snprintf(bn->label, sizeof bn->label, "%s%s, %s]", bn->lo_closed ? "[" : "(", lo, hi);
    }
}

/* ------------------------------------------------------------------- level axes */

typedef struct level_count {
    size_t n;
    uint32_t bin;
} level_count;

static int cmp_level(const void *pa, const void *pb)
{
    const level_count *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    return (a->bin > b->bin) - (a->bin < b->bin);
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

/* The most frequent level bins (at most HM_MAX_LEVELS, in bin order), then "(other)" for
 * the rest when it holds rows, then "(missing)" when it holds rows. */
static err_code level_axis(hm_axis *ax, axis_map *am, const bin_dim *d, const size_t *cnt, err *e)
{
    uint32_t nb = d->nbins;
    level_count *lc = malloc((nb ? nb : 1) * sizeof *lc);
    uint32_t kept[HM_MAX_LEVELS];
    am->map = malloc((nb + 1) * sizeof *am->map);
    ax->bins = calloc(HM_MAX_LEVELS + 2, sizeof *ax->bins);
    if (!lc || !am->map || !ax->bins) {
        free(lc);
        return err_set(e, E_NOMEM, "out of memory");
    }
    uint32_t ncand = 0;
    size_t nother = 0, nmissing = 0;
    am->map[nb] = SKIP;
    for (uint32_t k = 0; k < nb; k++) {
        am->map[k] = SKIP;
        bin_kind kind = d->bins[k].kind;
        if (kind == BIN_MISSING)
            nmissing += cnt[k];
        else if (kind == BIN_OTHER)
            nother += cnt[k];
        else if (cnt[k])
            lc[ncand++] = (level_count){cnt[k], k};
    }
    uint32_t nkept = ncand;
    if (ncand > HM_MAX_LEVELS) {
        qsort(lc, ncand, sizeof *lc, cmp_level);
        nkept = HM_MAX_LEVELS;
        for (uint32_t k = nkept; k < ncand; k++)
            nother += lc[k].n;
    }
    for (uint32_t k = 0; k < nkept; k++)
        kept[k] = lc[k].bin;
    qsort(kept, nkept, sizeof *kept, cmp_u32);
    for (uint32_t k = 0; k < nkept; k++) {
        hm_bin *bn = &ax->bins[ax->nbins];
        bn->kind = HM_LEVEL;
        bn->src = kept[k];
        snprintf(bn->label, sizeof bn->label, "%s", d->bins[kept[k]].label);
        am->map[kept[k]] = (uint16_t)ax->nbins++;
    }
    if (nother) {
        uint16_t at = (uint16_t)ax->nbins;
        for (uint32_t k = nkept; k < ncand; k++)
            am->map[lc[k].bin] = at;
        for (uint32_t k = 0; k < nb; k++)
            if (d->bins[k].kind == BIN_OTHER)
                am->map[k] = at;
        ax->bins[ax->nbins].kind = HM_OTHER;
        snprintf(ax->bins[ax->nbins++].label, sizeof ax->bins[0].label, "(other)");
    }
    if (nmissing) {
        for (uint32_t k = 0; k < nb; k++)
            if (d->bins[k].kind == BIN_MISSING)
                am->map[k] = (uint16_t)ax->nbins;
        ax->bins[ax->nbins].kind = HM_MISSING;
        snprintf(ax->bins[ax->nbins++].label, sizeof ax->bins[0].label, "(missing)");
    }
    free(lc);
    return E_OK;
}

/* ----------------------------------------------------------------- numeric axes */

/* The t-th smallest value (0-based) among the selection's evaluated rows: the bucket from
 * the counts, then a walk through that bucket's rows in value order. */
typedef struct order_stat {
    const hm_numeric *p;
    const size_t *cum; /* FINE + 1: counted rows in the buckets before each one */
    const bitmap *sel;
    const outcome *o;
} order_stat;

static double nth_value(const order_stat *os, size_t t)
{
    size_t lo = 0, hi = FINE; /* the last bucket f with cum[f] <= t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (os->cum[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    size_t left = t - os->cum[lo];
    const hm_numeric *p = os->p;
    for (size_t j = p->start[lo]; j < p->start[lo + 1]; j++) {
        uint32_t r = p->perm[j];
        if ((os->sel && !bm_get(os->sel, r)) || !row_counts(os->o, r))
            continue;
        if (left-- == 0)
            return p->x[r];
    }
    return NAN; /* counts and walk disagree: a bug */
}

/* st_quantile_sorted's arithmetic on a virtual sorted array, so that the edges equal
 * st_qcut_edges of the selection's sorted values bit for bit. */
static double quantile(const order_stat *os, size_t m, double prob)
{
    double h = (double)(m - 1) * prob;
    if (h >= (double)(m - 1))
        return nth_value(os, m - 1);
    if (h <= 0)
        return nth_value(os, 0);
    size_t i = (size_t)floor(h);
    double g = h - (double)i, a = nth_value(os, i);
    if (g == 0)
        return a;
    double b = nth_value(os, i + 1), diff = b - a;
    return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
}

static size_t add_edge(double *edges, size_t ne, double q)
{
    if (ne == 0 || q != edges[ne - 1])
        edges[ne++] = q;
    return ne;
}

static size_t numeric_edges(const order_stat *os, size_t m, bool equal_width, double *edges)
{
    size_t ne = 0;
    double lo = nth_value(os, 0), hi = nth_value(os, m - 1);
    if (equal_width && isfinite(lo) && isfinite(hi)) {
        for (int j = 0; j <= HM_NUM_BINS; j++) {
            double q = j == HM_NUM_BINS ? hi : lo + (hi - lo) * ((double)j / HM_NUM_BINS);
            ne = add_edge(edges, ne, q);
        }
        return ne;
    }
    /* as st_qcut_edges: numpy.linspace's products i * (1 / nbins) */
    double step = 1.0 / HM_NUM_BINS;
    for (size_t i = 0; i <= HM_NUM_BINS; i++) {
        double prob = i == HM_NUM_BINS ? 1.0 : (double)i * step;
        ne = add_edge(edges, ne, quantile(os, m, prob));
    }
    return ne;
}

static err_code numeric_axis(hm_axis *ax, axis_map *am, const hm_input *in, const uint32_t *h,
                             bool equal_width, err *e)
{
    const hm_numeric *p = am->num;
    size_t *cum = malloc((FINE + 1) * sizeof *cum);
    am->map = malloc((FINE + 1) * sizeof *am->map);
    ax->bins = calloc(HM_NUM_BINS + 1, sizeof *ax->bins);
    if (!cum || !am->map || !ax->bins) {
        free(cum);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t f = 0; f < FINE; f++) {
        cum[f] = m;
        m += h[f];
    }
    cum[FINE] = m;
    ax->numeric = true;
    ax->equal_width = equal_width;
    am->nedges = 0;
    if (m) {
        order_stat os = {p, cum, in->sel, in->o};
        am->nedges = numeric_edges(&os, m, equal_width, am->edges);
        uint32_t nr = am->nedges > 1 ? (uint32_t)am->nedges - 1 : 1;
        for (uint32_t k = 0; k < nr; k++) {
            hm_bin *bn = &ax->bins[ax->nbins++];
            bn->kind = HM_RANGE;
            bn->lo = am->edges[k];
            bn->hi = am->edges[am->nedges > 1 ? k + 1 : 0];
            bn->lo_closed = k == 0;
        }
        range_labels(ax, p->is_time);
    }
    /* a bucket whose values all fall in one bin maps straight to it */
    for (size_t f = 0; f < FINE; f++) {
        am->map[f] = SKIP;
        if (!h[f])
            continue;
        int blo = st_bin_of(am->edges, am->nedges, p->lo[f]);
        int bhi = st_bin_of(am->edges, am->nedges, p->hi[f]);
        am->map[f] = blo >= 0 && blo == bhi ? (uint16_t)blo : SPLIT;
    }
    am->map[FINE] = SKIP;
    if (h[FINE]) {
        am->map[FINE] = (uint16_t)ax->nbins;
        ax->bins[ax->nbins].kind = HM_MISSING;
        snprintf(ax->bins[ax->nbins++].label, sizeof ax->bins[0].label, "(missing)");
    }
    free(cum);
    return E_OK;
}

/* ------------------------------------------------------------------------ public */

void hm_done(heatmap *h)
{
    free(h->x.bins);
    free(h->y.bins);
    free(h->cells);
    memset(h, 0, sizeof *h);
}

err_code hm_copy(heatmap *dst, const heatmap *src, err *e)
{
    *dst = *src;
    dst->x.bins = dst->y.bins = NULL;
    dst->cells = NULL;
    size_t nc = (size_t)src->x.nbins * src->y.nbins;
    dst->x.bins = malloc((src->x.nbins ? src->x.nbins : 1) * sizeof *dst->x.bins);
    dst->y.bins = malloc((src->y.nbins ? src->y.nbins : 1) * sizeof *dst->y.bins);
    dst->cells = malloc((nc ? nc : 1) * sizeof *dst->cells);
    if (!dst->x.bins || !dst->y.bins || !dst->cells) {
        hm_done(dst);
        return err_set(e, E_NOMEM, "out of memory");
    }
    memcpy(dst->x.bins, src->x.bins, src->x.nbins * sizeof *dst->x.bins);
    memcpy(dst->y.bins, src->y.bins, src->y.nbins * sizeof *dst->y.bins);
    memcpy(dst->cells, src->cells, nc * sizeof *dst->cells);
    return E_OK;
}

static void fill_cell(hm_cell *c, size_t n, size_t nerr, const heatmap *h, size_t min_support)
{
    c->n = n;
    c->nerr = nerr;
    c->small = n < min_support;
    c->coverage = h->E ? (double)nerr / (double)h->E : NAN;
    if (!n) {
        c->rate = c->lo = c->hi = c->lift = NAN;
        return;
    }
    c->rate = (double)nerr / (double)n;
    st_wilson(nerr, n, &c->lo, &c->hi);
    c->lift = h->base_err > 0 ? c->rate / h->base_err : NAN;
}

static void free_job(job *j, axis_map *am)
{
    free(j->count[0]);
    free(j->count[1]);
    free(j->cells);
    free(j->joint);
    free(am[0].map);
    free(am[1].map);
}

/* Prepares both axes: counts where needed (one pass), then levels or edges. */
static err_code build_axes(heatmap *h, job *j, axis_map *am, const hm_opts *opt, err *e)
{
    const hm_input *in = j->in;
    const size_t *given[2] = {in->xcount, in->ycount};
    hm_axis *axes[2] = {&h->x, &h->y};
    bool any = false;
    for (int a = 0; a < 2; a++) {
        j->ax[a] = &am[a];
        j->need_count[a] = am[a].num || !given[a];
        j->count_len[a] = am[a].num ? FINE + 1 : (size_t)am[a].ncode + 1;
        j->count_ways[a] = j->count_len[a] <= 8192 ? WAYS : 1;
        if (j->need_count[a]) {
            j->count[a] =
                calloc(j->ntasks * j->count_ways[a] * j->count_len[a], sizeof *j->count[a]);
            if (!j->count[a])
                return err_set(e, E_NOMEM, "out of memory");
            any = true;
        }
    }
    if (any)
        par_run(opt->threads, j->ntasks, count_task, j);
    for (int a = 0; a < 2; a++) {
        err_code rc;
        if (j->need_count[a])
            merge(j->count[a], j->count_len[a], j->ntasks * j->count_ways[a]);
        if (am[a].num) {
            rc = numeric_axis(axes[a], &am[a], in, j->count[a], opt->equal_width, e);
        } else {
            const size_t *cnt = given[a];
            size_t *tmp = NULL;
            if (!cnt) {
                tmp = malloc(j->count_len[a] * sizeof *tmp);
                if (!tmp)
                    return err_set(e, E_NOMEM, "out of memory");
                for (size_t k = 0; k < j->count_len[a]; k++)
                    tmp[k] = j->count[a][k];
                cnt = tmp;
            }
            rc = level_axis(axes[a], &am[a], &in->b->dim[axes[a]->dim], cnt, e);
            free(tmp);
        }
        if (rc != E_OK)
            return rc;
    }
    return E_OK;
}

/* The cells' figures from the merged table of counts j->cells. */
static void finish_cells(heatmap *h, const job *j, const hm_opts *opt)
{
    size_t ncell = (size_t)j->nx * j->ny;
    h->N = h->E = 0;
    for (size_t c = 0; c <= ncell; c++) {
        h->N += (size_t)j->cells[c * 4 + OUT_CORRECT] + j->cells[c * 4 + OUT_ERROR];
        h->E += j->cells[c * 4 + OUT_ERROR];
    }
    h->base_err = h->N ? (double)h->E / (double)h->N : NAN;
    for (size_t c = 0; c < ncell; c++) {
        size_t ok = j->cells[c * 4 + OUT_CORRECT], bad = j->cells[c * 4 + OUT_ERROR];
        fill_cell(&h->cells[c], ok + bad, bad, h, opt->min_support);
    }
}

static err_code alloc_cells(heatmap *h, job *j, size_t tables, err *e)
{
    j->nx = h->x.nbins;
    j->ny = h->y.nbins;
    size_t ncell = (size_t)j->nx * j->ny;
    j->cells_len = (ncell + 1) * 4;
    j->cells = calloc(tables * j->cells_len, sizeof *j->cells);
    h->cells = calloc(ncell ? ncell : 1, sizeof *h->cells);
    if (!j->cells || !h->cells)
        return err_set(e, E_NOMEM, "out of memory");
    return E_OK;
}

static err_code count_cells(heatmap *h, job *j, const hm_opts *opt, err *e)
{
    err_code rc = alloc_cells(h, j, j->ntasks * WAYS, e);
    if (rc != E_OK)
        return rc;
    par_run(opt->threads, j->ntasks, cells_task, j);
    merge(j->cells, j->cells_len, j->ntasks * WAYS);
    finish_cells(h, j, opt);
    return E_OK;
}

/* One numeric axis and one level axis whose counts were given: the level bins first, then
 * one joint pass, then the quantiles from its margin and the cells from its entries. Rows
 * in a bucket that straddles an edge are placed one by one, walking that bucket in value
 * order. */
static err_code joint_heatmap(heatmap *h, job *j, axis_map *am, const hm_opts *opt, err *e)
{
    int an = j->num_axis, al = 1 - an;
    hm_axis *axes[2] = {&h->x, &h->y};
    const hm_input *in = j->in;
    j->ax[0] = &am[0];
    j->ax[1] = &am[1];
    err_code rc = level_axis(axes[al], &am[al], &in->b->dim[axes[al]->dim],
                             al == 0 ? in->xcount : in->ycount, e);
    if (rc != E_OK)
        return rc;
    j->nl = axes[al]->nbins;
    size_t nl1 = j->nl + 1;
    j->joint_len = (FINE + 1) * nl1 * 4;
    j->joint = calloc(j->ntasks * j->joint_len, sizeof *j->joint);
    uint32_t *hf = calloc(FINE + 1, sizeof *hf);
    if (!j->joint || !hf) {
        free(hf);
        return err_set(e, E_NOMEM, "out of memory");
    }
    par_run(opt->threads, j->ntasks, joint_task, j);
    merge(j->joint, j->joint_len, j->ntasks);
    const uint32_t *J = j->joint;
    for (size_t f = 0; f <= FINE; f++)
        for (size_t l = 0; l < nl1; l++)
            hf[f] += J[(f * nl1 + l) * 4 + OUT_CORRECT] + J[(f * nl1 + l) * 4 + OUT_ERROR];
    rc = numeric_axis(axes[an], &am[an], in, hf, opt->equal_width, e);
    free(hf);
    if (rc == E_OK)
        rc = alloc_cells(h, j, 1, e);
    if (rc != E_OK)
        return rc;
    size_t nx = j->nx, ncell = (size_t)j->nx * j->ny;
    const axis_map *mn = &am[an];
    for (size_t f = 0; f <= FINE; f++) {
        uint32_t b = mn->map[f];
        if (b == SPLIT)
            continue;
        for (size_t l = 0; l < nl1; l++)
            for (int fl = 0; fl < 4; fl++) {
                uint32_t cnt = J[(f * nl1 + l) * 4 + (size_t)fl];
                if (!cnt)
                    continue;
                size_t x = an == 0 ? b : l, y = an == 0 ? l : b;
                size_t cell = b == SKIP || l == j->nl ? ncell : y * nx + x;
                j->cells[cell * 4 + (size_t)fl] += cnt;
            }
    }
    const hm_numeric *p = mn->num;
    axis_view vn = view_of(mn), vl = view_of(&am[al]);
    for (size_t f = 0; f < FINE; f++) {
        if (mn->map[f] != SPLIT)
            continue;
        for (size_t k = p->start[f]; k < p->start[f + 1]; k++) {
            uint32_t r = p->perm[k];
            if ((in->sel && !bm_get(in->sel, r)) || !row_counts(in->o, r))
                continue;
            uint32_t b = split_bin(&vn, r), l = bin_at(&vl, false, r);
            size_t x = an == 0 ? b : l, y = an == 0 ? l : b;
            size_t cell = b == SKIP || l == SKIP ? ncell : y * nx + x;
            j->cells[cell * 4 + in->o->err[r]]++;
        }
    }
    finish_cells(h, j, opt);
    return E_OK;
}

err_code hm_compute(heatmap *h, const hm_input *in, const hm_opts *opt, err *e)
{
    memset(h, 0, sizeof *h);
    const binning *b = in->b;
    if (opt->x >= b->ndim || opt->y >= b->ndim)
        return err_set(e, E_RANGE, "heatmap: no dimension %u", opt->x >= b->ndim ? opt->x : opt->y);
    if (in->sel && in->sel->nbits != b->nrows)
        return err_set(e, E_RANGE, "heatmap: the selection covers %zu rows, the data has %zu",
                       in->sel->nbits, b->nrows);
    h->x.dim = opt->x;
    h->y.dim = opt->y;
    axis_map am[2];
    memset(am, 0, sizeof am);
    hm_numeric *own[2] = {NULL, NULL};
    const hm_numeric *given[2] = {in->xnum, in->ynum};
    uint32_t dims[2] = {opt->x, opt->y};
    err_code rc = E_OK;
    for (int a = 0; a < 2 && rc == E_OK; a++) {
        if (hm_dim_is_numeric(b, in->ds, dims[a])) {
            am[a].num = given[a] && given[a]->dim == dims[a] ? given[a] : NULL;
            if (!am[a].num && a == 1 && dims[0] == dims[1])
                am[a].num = am[0].num;
            if (!am[a].num) {
                rc = hm_numeric_new(&own[a], in->ds, b, dims[a], e);
                am[a].num = own[a];
            }
        } else {
            am[a].code = b->dim[dims[a]].code;
            am[a].ncode = b->dim[dims[a]].nbins;
        }
    }
    size_t threads = opt->threads ? opt->threads : par_cores();
    job j = {.in = in, .ntasks = 1, .chunk = b->nrows ? b->nrows : 1};
    if (threads > 1 && b->nrows > CHUNK_ROWS) {
        /* ranges start on whole bitmap words */
        j.ntasks = threads;
        j.chunk = ((b->nrows + threads - 1) / threads + 63) / 64 * 64;
        j.ntasks = (b->nrows + j.chunk - 1) / j.chunk;
    }
    /* one numeric axis and a level axis with its counts given: a single pass */
    bool joint =
        (am[0].num != NULL) != (am[1].num != NULL) && (am[0].num ? in->ycount : in->xcount) != NULL;
    j.num_axis = am[0].num ? 0 : 1;
    if (rc == E_OK && joint) {
        rc = joint_heatmap(h, &j, am, opt, e);
    } else {
        if (rc == E_OK)
            rc = build_axes(h, &j, am, opt, e);
        if (rc == E_OK)
            rc = count_cells(h, &j, opt, e);
    }
    free_job(&j, am);
    hm_numeric_free(own[0]);
    hm_numeric_free(own[1]);
    if (rc != E_OK) {
        hm_done(h);
        return rc;
    }
    h->valid = true;
    return E_OK;
}

/* ------------------------------------------------------------------- expressions */

size_t hm_bin_expr(const heatmap *h, const binning *b, const dataset *ds, bool y_axis, uint32_t i,
                   char *buf, size_t size)
{
    const hm_axis *ax = y_axis ? &h->y : &h->x;
    if (size)
        buf[0] = '\0';
    if (!h->valid || i >= ax->nbins)
        return 0;
    const hm_bin *bn = &ax->bins[i];
    switch (bn->kind) {
    case HM_LEVEL:
        return bx_bin(b, ds, ax->dim, bn->src, buf, size);
    case HM_RANGE:
        return bx_range(b, ds, ax->dim, bn->lo, bn->hi, bn->lo_closed, buf, size);
    case HM_MISSING:
        return bx_missing(b, ds, ax->dim, buf, size);
    case HM_OTHER: {
        uint32_t kept[HM_MAX_LEVELS];
        size_t n = 0;
        for (uint32_t k = 0; k < ax->nbins && n < HM_MAX_LEVELS; k++)
            if (ax->bins[k].kind == HM_LEVEL)
                kept[n++] = ax->bins[k].src;
        return n ? bx_not_in(b, ds, ax->dim, kept, n, buf, size) : 0;
    }
    }
    return 0;
}

size_t hm_cell_expr(const heatmap *h, const binning *b, const dataset *ds, uint32_t xi, uint32_t yi,
                    char *buf, size_t size)
{
    size_t nx = hm_bin_expr(h, b, ds, false, xi, NULL, 0);
    size_t ny = hm_bin_expr(h, b, ds, true, yi, NULL, 0);
    if (size)
        buf[0] = '\0';
    if (!nx || !ny)
        return 0;
    size_t need = nx + 4 + ny;
    if (size > need) {
        hm_bin_expr(h, b, ds, false, xi, buf, nx + 1);
        memcpy(buf + nx, " && ", 4);
        hm_bin_expr(h, b, ds, true, yi, buf + nx + 4, ny + 1);
    } else if (size) {
        buf[0] = '\0'; /* a cut expression would not parse: give none */
    }
    return need;
}
