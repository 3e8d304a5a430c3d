#include "slice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void slc_done(slice_table *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* Per-dimension counts over the selection, one pass over each compact code array. */
static void count_dim(const bin_dim *d, const outcome *o, const bitmap *sel, size_t nrows,
                      size_t *n, size_t *nerr)
{
    if (!sel) {
        for (size_t i = 0; i < nrows; i++) {
            uint16_t c = d->code[i];
            if (c == BIN_NONE || o->err[i] == OUT_UNKNOWN)
                continue;
            n[c]++;
            nerr[c] += o->err[i] == OUT_ERROR;
        }
        return;
    }
    for (size_t i = bm_next(sel, 0); i < nrows; i = bm_next(sel, i + 1)) {
        uint16_t c = d->code[i];
        if (c == BIN_NONE || o->err[i] == OUT_UNKNOWN)
            continue;
        n[c]++;
        nerr[c] += o->err[i] == OUT_ERROR;
    }
}

static void selection_totals(const outcome *o, const bitmap *sel, size_t *N, size_t *E)
{
    *N = *E = 0;
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        if (o->err[i] == OUT_UNKNOWN)
            continue;
        (*N)++;
        *E += o->err[i] == OUT_ERROR;
    }
}

static void fill_stats(slice *s, size_t N, size_t E, double base, size_t min_support)
{
    s->small = s->n < min_support;
    if (s->n == 0) {
        s->rate = s->lo = s->hi = s->lift = s->lift_lo = s->lift_hi = s->p = s->q = NAN;
        s->coverage = E ? 0 : NAN;
        return;
    }
    s->rate = (double)s->nerr / (double)s->n;
    st_wilson(s->nerr, s->n, &s->lo, &s->hi);
    bool has_base = base > 0;
    s->lift = has_base ? s->rate / base : NAN;
    s->lift_lo = has_base ? s->lo / base : NAN;
    s->lift_hi = has_base ? s->hi / base : NAN;
    s->coverage = E ? (double)s->nerr / (double)E : NAN;
    s->p = st_slice_p_two_sided(s->nerr, s->n, E, N);
}

/* The figures of every slice from its counts, then the q-values over the table. */
static err_code finish_table(slice_table *t, size_t min_support, err *e)
{
    t->base_err = t->N ? (double)t->E / (double)t->N : NAN;
    double *p = malloc((t->len ? t->len : 1) * sizeof *p);
    if (!p) {
        slc_done(t);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->len; i++) {
        fill_stats(&t->v[i], t->N, t->E, t->base_err, min_support);
        p[i] = t->v[i].p;
        t->ntested += t->v[i].n > 0;
    }
    err_code rc = st_bh(p, p, t->len);
    for (size_t i = 0; i < t->len && rc == E_OK; i++)
        t->v[i].q = p[i];
    free(p);
    if (rc != E_OK) {
        slc_done(t);
        return err_set(e, rc, "out of memory");
    }
    return E_OK;
}

static size_t total_bins(const binning *b, size_t *maxbins)
{
    size_t total = 0;
    *maxbins = 1;
    for (size_t d = 0; d < b->ndim; d++) {
        total += b->dim[d].nbins;
        if (b->dim[d].nbins > *maxbins)
            *maxbins = b->dim[d].nbins;
    }
    return total;
}

err_code slc_compute(slice_table *t, const binning *b, const outcome *o, const bitmap *sel,
                     size_t min_support, err *e)
{
    memset(t, 0, sizeof *t);
    size_t maxbins, total = total_bins(b, &maxbins);
    t->v = calloc(total ? total : 1, sizeof *t->v);
    size_t *n = calloc(maxbins, sizeof *n), *nerr = calloc(maxbins, sizeof *nerr);
    if (!t->v || !n || !nerr) {
        free(n);
        free(nerr);
        slc_done(t);
        return err_set(e, E_NOMEM, "out of memory");
    }
    selection_totals(o, sel, &t->N, &t->E);
    for (size_t d = 0; d < b->ndim; d++) {
        const bin_dim *dim = &b->dim[d];
        memset(n, 0, dim->nbins * sizeof *n);
        memset(nerr, 0, dim->nbins * sizeof *nerr);
        count_dim(dim, o, sel, b->nrows, n, nerr);
        for (uint32_t k = 0; k < dim->nbins; k++) {
            slice *s = &t->v[t->len++];
            s->dim = (uint32_t)d;
            s->bin = k;
            s->n = n[k];
            s->nerr = nerr[k];
        }
    }
    free(n);
    free(nerr);
    return finish_table(t, min_support, e);
}

err_code slc_from_counts(slice_table *t, const binning *b, const size_t *n, const size_t *nerr,
                         size_t N, size_t E, size_t min_support, err *e)
{
    memset(t, 0, sizeof *t);
    size_t maxbins, total = total_bins(b, &maxbins);
    t->v = calloc(total ? total : 1, sizeof *t->v);
    if (!t->v)
        return err_set(e, E_NOMEM, "out of memory");
    t->N = N;
    t->E = E;
    for (size_t d = 0; d < b->ndim; d++)
        for (uint32_t k = 0; k < b->dim[d].nbins; k++) {
            slice *s = &t->v[t->len];
            s->dim = (uint32_t)d;
            s->bin = k;
            s->n = n[t->len];
            s->nerr = nerr[t->len];
            t->len++;
        }
    return finish_table(t, min_support, e);
}

typedef struct keyed_slice {
    const slice *s;
    size_t index;
} keyed_slice;

/* NAN sorts last. */
static int cmp_nan_last(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

static int cmp_by_q(const void *pa, const void *pb)
{
    const keyed_slice *a = pa, *b = pb;
    int c = cmp_nan_last(a->s->q, b->s->q);
    if (c)
        return c;
    c = cmp_nan_last(-a->s->lift, -b->s->lift);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

err_code slc_order_by_q(const slice_table *t, size_t *order)
{
    keyed_slice *k = malloc((t->len ? t->len : 1) * sizeof *k);
    if (!k)
        return E_NOMEM;
    for (size_t i = 0; i < t->len; i++)
        k[i] = (keyed_slice){&t->v[i], i};
    qsort(k, t->len, sizeof *k, cmp_by_q);
    for (size_t i = 0; i < t->len; i++)
        order[i] = k[i].index;
    free(k);
    return E_OK;
}
