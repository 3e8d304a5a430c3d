/* dc_outliers: robust z-scores (STATISTICS.md): z = 0.6745 (x - median) / MAD on each numeric
 * feature column; a row is an outlier when |z| > 3.5 on any of them. */
#include "datacheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Median and MAD of column c (scratch: n doubles). */
static void median_mad(const column *c, size_t n, double *tmp, double *med, double *mad)
{
    memcpy(tmp, c->num, n * sizeof *tmp);
    *med = st_median_inplace(tmp, n);
    for (size_t i = 0; i < n; i++)
        tmp[i] = fabs(c->num[i] - *med); /* NAN stays NAN and is skipped */
    *mad = st_median_inplace(tmp, n);
}

err_code dc_outliers(dc_result *r, const dataset *ds, err *e)
{
    bm_done(&r->outlier);
    r->noutlier = 0;
    size_t n = ds->nrows;
    if (bm_init(&r->outlier, n, false, e) != E_OK)
        return E_NOMEM;
    double *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t j = 0; j < ds->ncols; j++) {
        const column *c = &ds->cols[j];
        dc_column *d = &r->cols[j];
        d->median = d->mad = NAN;
        d->noutliers = 0;
        if (c->type != COL_NUM || c->role != ROLE_FEATURE)
            continue;
        median_mad(c, n, tmp, &d->median, &d->mad);
        if (!(d->mad > 0))
            continue; /* no values, or more than half equal to the median */
        for (size_t i = 0; i < n; i++) {
            double z = 0.6745 * (c->num[i] - d->median) / d->mad;
            if (fabs(z) > DC_OUTLIER_Z) { /* false for NAN */
                d->noutliers++;
                bm_set(&r->outlier, i);
            }
        }
    }
    r->noutlier = bm_count(&r->outlier);
    free(tmp);
    return E_OK;
}
