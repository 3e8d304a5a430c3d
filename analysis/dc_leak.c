/* dc_leak: the leakage hint (datacheck.h): for each feature column's bins, how well the
 * majority of the other rows of a row's bin predicts its label, and its error. */
#include "datacheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Counts [bin][class] of the label (is_error false) or of the error indicator. */
static void count(uint32_t *cnt, const bin_dim *d, const outcome *o, bool is_error, size_t k)
{
    for (size_t i = 0; i < o->n; i++) {
        uint16_t b = d->code[i];
        if (b == BIN_NONE)
            continue;
        if (is_error) {
            if (o->err[i] != OUT_UNKNOWN)
                cnt[(size_t)b * k + (o->err[i] == OUT_ERROR)]++;
        } else if (o->y[i] != CLASS_NA) {
            cnt[(size_t)b * k + o->y[i]]++;
        }
    }
}

static err_code test_dim(dc_leak *l, const bin_dim *d, const outcome *o, err *e)
{
    l->acc_label = l->base_label = l->acc_error = l->base_error = NAN;
    size_t k = o->y ? o->nclass : 0;
    size_t cells = (size_t)d->nbins * (k > 2 ? k : 2);
    if (cells > DC_LEAK_MAX_CELLS)
        k = 0; /* too many bins x classes: the label is not tested, the error still is */
    uint32_t *cnt = calloc(cells ? cells : 1, sizeof *cnt);
    if (!cnt)
        return err_set(e, E_NOMEM, "out of memory");
    if (k) {
        count(cnt, d, o, false, k);
        l->acc_label = dc_loo_majority(cnt, d->nbins, k, &l->base_label);
        memset(cnt, 0, cells * sizeof *cnt);
    }
    count(cnt, d, o, true, 2);
    l->acc_error = dc_loo_majority(cnt, d->nbins, 2, &l->base_error);
    free(cnt);
    l->leaks_label = dc_is_leak(l->acc_label, l->base_label);
    l->leaks_error = dc_is_leak(l->acc_error, l->base_error);
    return E_OK;
}

err_code dc_leakage(dc_result *r, const dataset *ds, const outcome *o, const binning *b, err *e)
{
    free(r->leak);
    r->leak = NULL;
    r->nleak_tested = r->nleaks = 0;
    r->leak = calloc(b->ndim ? b->ndim : 1, sizeof *r->leak);
    if (!r->leak)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t d = 0; d < b->ndim; d++) {
        const bin_dim *bd = &b->dim[d];
        if (bd->col < 0)
            continue;
        col_role role = ds->cols[bd->col].role;
        if (role != ROLE_FEATURE && role != ROLE_TEXT)
            continue;
        dc_leak *l = &r->leak[r->nleak_tested++];
        l->dim = (uint32_t)d;
        l->col = bd->col;
        if (test_dim(l, bd, o, e) != E_OK)
            return E_NOMEM;
        r->nleaks += l->leaks_label || l->leaks_error;
    }
    return E_OK;
}
