/* keywords: log-odds with an informative Dirichlet prior (see keywords.h). */
#include "keywords.h"

#include <math.h>
#include <stdlib.h>

double kw_z(double y, double n_c, double y_ref, double n_ref, double a_w, double alpha0,
            double *delta)
{
    double d = log((y + a_w) / (n_c + alpha0 - y - a_w)) -
               log((y_ref + a_w) / (n_ref + alpha0 - y_ref - a_w));
    if (delta)
        *delta = d;
    return d / sqrt(1.0 / (y + a_w) + 1.0 / (y_ref + a_w));
}

/* Higher z first, then the lower term index. */
static int by_z(const void *pa, const void *pb)
{
    const kw_score *a = pa, *b = pb;
    if (a->z != b->z)
        return a->z > b->z ? -1 : 1;
    return (a->term > b->term) - (a->term < b->term);
}

err_code kw_rank(const kw_input *in, size_t top, kw_score *out, size_t *nout, err *e)
{
    *nout = 0;
    double alpha0 = in->alpha0 > 0 ? in->alpha0 : KW_ALPHA0;
    double min_count = in->min_count > 0 ? in->min_count : KW_MIN_COUNT;
    double n_c = 0, n_ref = 0, n_bg = 0;
    for (size_t t = 0; t < in->nterms; t++) {
        n_c += in->group[t];
        n_ref += in->reference[t];
        n_bg += in->background[t];
    }
    if (top == 0 || n_bg <= 0)
        return E_OK;
    kw_score *cand = malloc((in->nterms ? in->nterms : 1) * sizeof *cand);
    if (!cand)
        return err_set(e, E_NOMEM, "out of memory ranking keywords");
    size_t nc = 0;
    for (size_t t = 0; t < in->nterms; t++) {
        double y = in->group[t];
        if (y < min_count || in->background[t] <= 0)
            continue;
        double a_w = alpha0 * in->background[t] / n_bg, delta;
        double z = kw_z(y, n_c, in->reference[t], n_ref, a_w, alpha0, &delta);
        if (!(z > 0))
            continue;
        cand[nc++] = (kw_score){(uint32_t)t, z, delta, y};
    }
    qsort(cand, nc, sizeof *cand, by_z);
    if (nc > top)
        nc = top;
    for (size_t i = 0; i < nc; i++)
        out[i] = cand[i];
    *nout = nc;
    free(cand);
    return E_OK;
}
