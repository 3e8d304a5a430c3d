/* datacheck: the per-column checks, class balance and the leakage rule, and dc_compute,
 * which runs every check (datacheck.h). Duplicates are in dc_dups.c, leakage in dc_leak.c,
 * label issues in dc_labels.c, outliers in dc_outliers.c. */
#include "datacheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* At most one distinct non-missing value. */
static bool is_constant(const column *c, size_t n)
{
    bool seen = false;
    if (c->code) {
        uint32_t first = CODE_NA;
        for (size_t i = 0; i < n; i++) {
            if (c->code[i] == CODE_NA)
                continue;
            if (seen && c->code[i] != first)
                return false;
            first = c->code[i];
            seen = true;
        }
        return true;
    }
    double first = NAN;
    for (size_t i = 0; i < n; i++) {
        if (isnan(c->num[i]))
            continue;
        if (seen && c->num[i] != first)
            return false;
        first = c->num[i];
        seen = true;
    }
    return true;
}

void dc_columns(dc_result *r, const dataset *ds)
{
    r->nconstant = 0;
    for (size_t j = 0; j < ds->ncols; j++) {
        const column *c = &ds->cols[j];
        dc_column *d = &r->cols[j];
        d->nmissing = c->nmissing;
        d->missing_share = ds->nrows ? (double)c->nmissing / (double)ds->nrows : NAN;
        d->constant = is_constant(c, ds->nrows);
        r->nconstant += d->constant;
    }
}

err_code dc_balance(dc_result *r, const outcome *o, err *e)
{
    r->smallest = r->largest = CLASS_NA;
    r->smallest_share = r->largest_share = r->imbalance_ratio = NAN;
    r->imbalanced = false;
    if (!o->y || o->nclass == 0)
        return E_OK;
    size_t *cnt = calloc(o->nclass, sizeof *cnt), total = 0;
    if (!cnt)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < o->n; i++)
        if (o->y[i] != CLASS_NA) {
            cnt[o->y[i]]++;
            total++;
        }
    for (uint32_t k = 0; k < o->nclass; k++) {
        if (!cnt[k])
            continue;
        if (r->smallest == CLASS_NA || cnt[k] < cnt[r->smallest])
            r->smallest = k;
        if (r->largest == CLASS_NA || cnt[k] > cnt[r->largest])
            r->largest = k;
    }
    if (total) {
        r->smallest_share = (double)cnt[r->smallest] / (double)total;
        r->largest_share = (double)cnt[r->largest] / (double)total;
        r->imbalance_ratio = (double)cnt[r->smallest] / (double)cnt[r->largest];
        r->imbalanced = r->smallest_share < DC_RARE_SHARE;
    }
    free(cnt);
    return E_OK;
}

bool dc_is_leak(double acc, double base)
{
    if (isnan(acc) || isnan(base) || base >= 1.0)
        return false;
    return acc >= DC_LEAK_ACC && 1.0 - acc <= DC_LEAK_GAIN * (1.0 - base);
}

double dc_loo_majority(const uint32_t *cnt, size_t nbins, size_t k, double *base)
{
    size_t total = 0, correct = 0;
    for (size_t b = 0; b < nbins; b++) {
        /* a row of class c is predicted right by the others of its bin when c's count less
         * the row itself still beats every other class: only the unique largest count can,
         * and only when it exceeds the second largest by two or more */
        uint32_t m1 = 0, m2 = 0;
        for (size_t c = 0; c < k; c++) {
            uint32_t v = cnt[b * k + c];
            total += v;
            if (v > m1) {
                m2 = m1;
                m1 = v;
            } else if (v > m2) {
                m2 = v;
            }
        }
        if (m1 >= m2 + 2)
            correct += m1;
    }
    size_t top = 0; /* the most frequent class over all bins: the constant baseline */
    for (size_t c = 0; c < k; c++) {
        size_t sum = 0;
        for (size_t b = 0; b < nbins; b++)
            sum += cnt[b * k + c];
        top = sum > top ? sum : top;
    }
    *base = total ? (double)top / (double)total : NAN;
    return total ? (double)correct / (double)total : NAN;
}

err_code dc_compute(dc_result *r, const dataset *ds, const roles *ro, const outcome *o,
                    const binning *b, err *e)
{
    memset(r, 0, sizeof *r);
    if ((o && o->n != ds->nrows) || (b && b->nrows != ds->nrows))
        return err_set(e, E_RANGE, "the outcome and the binning must cover every row");
    r->nrows = ds->nrows;
    r->ncols = ds->ncols;
    r->smallest = r->largest = CLASS_NA;
    r->smallest_share = r->largest_share = r->imbalance_ratio = NAN;
    r->cols = calloc(ds->ncols ? ds->ncols : 1, sizeof *r->cols);
    if (!r->cols)
        return err_set(e, E_NOMEM, "out of memory");
    dc_columns(r, ds);
    err_code rc = dc_duplicates(r, ds, ro, e);
    if (rc == E_OK)
        rc = dc_duplicate_ids(r, ds, ro, e);
    if (rc == E_OK)
        rc = dc_outliers(r, ds, e);
    if (rc == E_OK && o)
        rc = dc_balance(r, o, e);
    if (rc == E_OK && o) {
        rc = dc_label_issues(r, o, e);
        if (rc == E_OK && b)
            rc = dc_leakage(r, ds, o, b, e);
    }
    if (rc != E_OK)
        dc_done(r);
    return rc;
}

void dc_done(dc_result *r)
{
    free(r->cols);
    free(r->leak);
    free(r->class_threshold);
    bm_done(&r->label_issue);
    bm_done(&r->outlier);
    memset(r, 0, sizeof *r);
}
