/* fairness: see fairness.h. */
#include "fairness.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

err_code fair_find_dim(const binning *b, int col, uint32_t *dim, err *e)
{
    for (size_t d = 0; d < b->ndim; d++)
        if (b->dim[d].col == col) {
            *dim = (uint32_t)d;
            return E_OK;
        }
    return err_set(e, E_USAGE, "column %d is not sliced, so it cannot name groups", col);
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : NAN;
}

static void count_row(fair_group *g, const outcome *o, size_t i, uint32_t pos)
{
    g->n++;
    g->nerr += o->err[i] == OUT_ERROR;
    if (pos == CLASS_NA)
        return;
    bool t = o->y[i] == pos, p = o->yhat[i] == pos;
    g->tp += t && p;
    g->fp += !t && p;
    g->tn += !t && !p;
    g->fn += t && !p;
}

static void finish_group(fair_group *g, bool has_pos)
{
    g->error_rate = ratio(g->nerr, g->n);
    g->selection_rate = g->tpr = g->fpr = g->precision = NAN;
    if (!has_pos)
        return;
    g->selection_rate = ratio(g->tp + g->fp, g->n);
    g->tpr = ratio(g->tp, g->tp + g->fn);
    g->fpr = ratio(g->fp, g->fp + g->tn);
    g->precision = ratio(g->tp, g->tp + g->fp);
}

/* Max - min of a field over the groups where it is defined; lo_out and hi_out get the ends. */
static double spread(const fair_result *r, size_t off, double *lo_out, double *hi_out)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < r->len; i++) {
        double v;
        memcpy(&v, (const char *)&r->v[i] + off, sizeof v);
        if (r->v[i].n == 0 || isnan(v))
            continue;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    if (lo_out)
        *lo_out = lo;
    if (hi_out)
        *hi_out = hi;
    return hi >= lo ? hi - lo : NAN;
}

static void summarise(fair_result *r)
{
    r->dp_diff = r->dp_ratio = r->tpr_diff = r->fpr_diff = r->eo_diff = NAN;
    r->error_diff = spread(r, offsetof(fair_group, error_rate), NULL, NULL);
    r->four_fifths = false;
    if (!r->has_positive)
        return;
    double lo, hi;
    r->dp_diff = spread(r, offsetof(fair_group, selection_rate), &lo, &hi);
    if (!isnan(r->dp_diff) && hi > 0)
        r->dp_ratio = lo / hi;
    r->four_fifths = r->dp_ratio < FAIR_FOUR_FIFTHS; /* false for NAN */
    r->tpr_diff = spread(r, offsetof(fair_group, tpr), NULL, NULL);
    r->fpr_diff = spread(r, offsetof(fair_group, fpr), NULL, NULL);
    if (isnan(r->tpr_diff))
        r->eo_diff = r->fpr_diff;
    else if (isnan(r->fpr_diff))
        r->eo_diff = r->tpr_diff;
    else
        r->eo_diff = fmax(r->tpr_diff, r->fpr_diff);
}

err_code fair_compute(fair_result *r, const outcome *o, const binning *b, uint32_t dim,
                      uint32_t positive, const bitmap *sel, err *e)
{
    memset(r, 0, sizeof *r);
    if (dim >= b->ndim || b->nrows != o->n || (sel && sel->nbits != o->n))
        return err_set(e, E_RANGE, "no such dimension, or inputs of different sizes");
    if (positive != CLASS_NA && (o->task == TASK_REGRESSION || positive >= o->nclass))
        return err_set(e, o->task == TASK_REGRESSION ? E_USAGE : E_RANGE,
                       "the positive class must be one of the task's classes");
    if (positive == CLASS_NA && o->task == TASK_BINARY)
        positive = o->positive;
    const bin_dim *d = &b->dim[dim];
    r->dim = dim;
    r->positive = positive;
    r->has_positive = positive != CLASS_NA;
    r->len = d->nbins;
    r->v = calloc(r->len ? r->len : 1, sizeof *r->v);
    if (!r->v)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t k = 0; k < r->len; k++)
        r->v[k].bin = (uint32_t)k;
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1)
        if (o->err[i] != OUT_UNKNOWN && d->code[i] != BIN_NONE)
            count_row(&r->v[d->code[i]], o, i, positive);
    for (size_t k = 0; k < r->len; k++) {
        finish_group(&r->v[k], r->has_positive);
        r->ngroups += r->v[k].n > 0;
    }
    summarise(r);
    return E_OK;
}

void fair_done(fair_result *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}
