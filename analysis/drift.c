/* drift: see drift.h. */
#include "drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

err_code drift_find_dim(const binning *b, int time_col, uint32_t *dim, err *e)
{
    for (size_t d = 0; d < b->ndim; d++)
        if (b->dim[d].kind == DIM_TIME && b->dim[d].col == time_col) {
            *dim = (uint32_t)d;
            return E_OK;
        }
    return err_set(e, E_USAGE, "no time buckets: the file has no time column");
}

/* Pools the earlier buckets, tests each against them, and applies BH. */
static err_code test_buckets(drift_result *r, err *e)
{
    double *p = malloc((r->len ? r->len : 1) * sizeof *p);
    if (!p)
        return err_set(e, E_NOMEM, "out of memory");
    size_t nb = 0, eb = 0;
    for (size_t k = 0; k < r->len; k++) {
        drift_bucket *u = &r->v[k];
        u->n_before = nb;
        u->nerr_before = eb;
        u->rate_before = nb ? (double)eb / (double)nb : NAN;
        u->p = NAN;
        if (u->n && nb)
            u->p = st_slice_p_two_sided(u->nerr, u->n, u->nerr + eb, u->n + nb);
        r->ntested += !isnan(u->p);
        p[k] = u->p;
        nb += u->n;
        eb += u->nerr;
    }
    if (st_bh(p, p, r->len) != E_OK) {
        free(p);
        return err_set(e, E_NOMEM, "out of memory");
    }
    r->first_flagged = DRIFT_NONE;
    for (size_t k = 0; k < r->len; k++) {
        drift_bucket *u = &r->v[k];
        u->q = p[k];
        u->flagged = u->q < r->alpha; /* false for NAN */
        u->worse = u->flagged && u->rate > u->rate_before;
        r->nflagged += u->flagged;
        if (u->flagged && r->first_flagged == DRIFT_NONE)
            r->first_flagged = k;
    }
    free(p);
    return E_OK;
}

err_code drift_compute(drift_result *r, const outcome *o, const binning *b, uint32_t dim,
                       const bitmap *sel, double alpha, err *e)
{
    memset(r, 0, sizeof *r);
    r->alpha = alpha;
    r->first_flagged = DRIFT_NONE;
    if (dim >= b->ndim || b->dim[dim].kind != DIM_TIME)
        return err_set(e, E_USAGE, "dimension %u is not a time column's buckets", dim);
    if (b->nrows != o->n || (sel && sel->nbits != o->n))
        return err_set(e, E_RANGE, "inputs of different sizes");
    const bin_dim *d = &b->dim[dim];
    r->dim = dim;
    /* the calendar buckets come first in the dimension, the missing bin (if any) last */
    uint32_t nperiod = 0;
    while (nperiod < d->nbins && d->bins[nperiod].kind == BIN_PERIOD)
        nperiod++;
    r->len = nperiod;
    r->v = calloc(r->len ? r->len : 1, sizeof *r->v);
    if (!r->v)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        if (o->err[i] == OUT_UNKNOWN)
            continue;
        uint16_t c = d->code[i];
        if (c == BIN_NONE || c >= nperiod) {
            r->nmissing_time++;
            continue;
        }
        r->v[c].n++;
        r->v[c].nerr += o->err[i] == OUT_ERROR;
    }
    for (size_t k = 0; k < r->len; k++) {
        drift_bucket *u = &r->v[k];
        u->bin = (uint32_t)k;
        u->start = d->bins[k].lo;
        u->end = d->bins[k].hi;
        u->rate = u->n ? (double)u->nerr / (double)u->n : NAN;
        st_wilson(u->nerr, u->n, &u->lo, &u->hi);
    }
    err_code rc = test_buckets(r, e);
    if (rc != E_OK)
        drift_done(r);
    return rc;
}

void drift_done(drift_result *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}
