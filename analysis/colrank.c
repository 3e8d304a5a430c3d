#include "colrank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void rank_done(col_ranking *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

err_code rank_copy(col_ranking *dst, const col_ranking *src, err *e)
{
    memset(dst, 0, sizeof *dst);
    dst->v = malloc((src->len ? src->len : 1) * sizeof *dst->v);
    if (!dst->v)
        return err_set(e, E_NOMEM, "out of memory");
    memcpy(dst->v, src->v, src->len * sizeof *dst->v);
    dst->len = src->len;
    return E_OK;
}

/* NAN last, then the larger value first. */
static int cmp_desc(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a < b) - (a > b);
}

static int cmp_entry(const void *pa, const void *pb)
{
    const rank_entry *a = pa, *b = pb;
    int c = cmp_desc(a->mi, b->mi);
    if (!c)
        c = cmp_desc(a->cramers_v, b->cramers_v);
    if (!c)
        c = (a->dim > b->dim) - (a->dim < b->dim);
    return c;
}

err_code rank_from_counts(col_ranking *r, const binning *b, const size_t *const *n_err,
                          const size_t *const *n_ok, err *e)
{
    memset(r, 0, sizeof *r);
    r->v = malloc((b->ndim ? b->ndim : 1) * sizeof *r->v);
    if (!r->v)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t d = 0; d < b->ndim; d++) {
        const bin_dim *dim = &b->dim[d];
        if (dim->kind == DIM_OUTCOME)
            continue;
        rank_entry *x = &r->v[r->len++];
        x->dim = (uint32_t)d;
        x->col = dim->col;
        x->mi = st_mutual_info_bits(n_err[d], n_ok[d], dim->nbins);
        x->cramers_v = st_cramers_v(n_err[d], n_ok[d], dim->nbins);
        x->nbins = 0;
        for (uint32_t k = 0; k < dim->nbins; k++)
            x->nbins += n_err[d][k] + n_ok[d][k] > 0;
    }
    qsort(r->v, r->len, sizeof *r->v, cmp_entry);
    return E_OK;
}

err_code rank_compute(col_ranking *r, const binning *b, const slice_table *t, err *e)
{
    memset(r, 0, sizeof *r);
    size_t total = 0;
    for (size_t d = 0; d < b->ndim; d++)
        total += b->dim[d].nbins;
    if (t->len != total)
        return err_set(e, E_USAGE, "column ranking: the slice table does not match the bins");
    size_t *cnt = malloc((total ? 2 * total : 1) * sizeof *cnt);
    const size_t **ne = malloc((b->ndim ? b->ndim : 1) * sizeof *ne);
    const size_t **no = malloc((b->ndim ? b->ndim : 1) * sizeof *no);
    if (!cnt || !ne || !no) {
        free(cnt);
        free(ne);
        free(no);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t at = 0;
    for (size_t d = 0; d < b->ndim; d++) {
        ne[d] = cnt + at;
        no[d] = cnt + total + at;
        at += b->dim[d].nbins;
    }
    for (size_t i = 0; i < t->len; i++) {
        cnt[i] = t->v[i].nerr;
        cnt[total + i] = t->v[i].n - t->v[i].nerr;
    }
    err_code rc = rank_from_counts(r, b, ne, no, e);
    free(cnt);
    free(ne);
    free(no);
    return rc;
}
