/* costs: the binary cost matrix and the expected cost of the model's predictions overall
 * and per slice (costs.h). */
#include "costs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

err_code cost_matrix_binary(cost_matrix *m, uint32_t positive, double cost_fp, double cost_fn,
                            err *e)
{
    if (positive > 1)
        return err_set(e, E_USAGE, "binary costs need a binary task");
    if (!isfinite(cost_fp) || !isfinite(cost_fn))
        return err_set(e, E_RANGE, "costs must be finite numbers");
    m->k = 2;
    m->c = calloc(4, sizeof *m->c);
    if (!m->c)
        return err_set(e, E_NOMEM, "out of memory");
    uint32_t neg = 1 - positive;
    m->c[neg * 2 + positive] = cost_fp;
    m->c[positive * 2 + neg] = cost_fn;
    return E_OK;
}

void cost_matrix_done(cost_matrix *m)
{
    free(m->c);
    m->c = NULL;
    m->k = 0;
}

/* Adds row i's cost to the slice of every dimension. */
static void add_row_to_slices(cost_result *r, const binning *b, const size_t *base, size_t i,
                              double c)
{
    for (size_t d = 0; d < b->ndim; d++) {
        uint16_t code = b->dim[d].code[i];
        if (code == BIN_NONE)
            continue;
        cost_slice *s = &r->v[base[d] + code];
        s->n++;
        s->total += c;
    }
}

static err_code alloc_slices(cost_result *r, const binning *b, size_t **base, err *e)
{
    *base = malloc((b->ndim ? b->ndim : 1) * sizeof **base);
    if (!*base)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t d = 0; d < b->ndim; d++) {
        (*base)[d] = r->len;
        r->len += b->dim[d].nbins;
    }
    r->v = calloc(r->len ? r->len : 1, sizeof *r->v);
    if (!r->v)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t d = 0; d < b->ndim; d++)
        for (uint32_t k = 0; k < b->dim[d].nbins; k++) {
            r->v[(*base)[d] + k].dim = (uint32_t)d;
            r->v[(*base)[d] + k].bin = k;
        }
    return E_OK;
}

err_code cost_compute(cost_result *r, const cost_matrix *m, const outcome *o, const binning *b,
                      const bitmap *sel, err *e)
{
    memset(r, 0, sizeof *r);
    if (o->task == TASK_REGRESSION || m->k != o->nclass)
        return err_set(e, E_USAGE, "the cost matrix has %u classes, the predictions %u", m->k,
                       o->nclass);
    if ((sel && sel->nbits != o->n) || (b && b->nrows != o->n))
        return err_set(e, E_RANGE, "the selection and the binning must cover every row");
    size_t *base = NULL;
    if (b && alloc_slices(r, b, &base, e) != E_OK) {
        free(base);
        cost_done(r);
        return E_NOMEM;
    }
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        if (o->err[i] == OUT_UNKNOWN)
            continue;
        double c = m->c[(size_t)o->y[i] * m->k + o->yhat[i]];
        r->n++;
        r->total += c;
        if (b)
            add_row_to_slices(r, b, base, i, c);
    }
    free(base);
    r->mean = r->n ? r->total / (double)r->n : NAN;
    for (size_t i = 0; i < r->len; i++) {
        cost_slice *s = &r->v[i];
        s->mean = s->n ? s->total / (double)s->n : NAN;
        s->share = r->total != 0 ? s->total / r->total : NAN;
    }
    return E_OK;
}

void cost_done(cost_result *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}
