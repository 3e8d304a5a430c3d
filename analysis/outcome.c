#include "outcome.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sortd.h"
#include "stats.h"

void out_done(outcome *o)
{
    free(o->y);
    free(o->yhat);
    free((void *)o->score);
    free(o->err);
    free(o->conf);
    free(o->loss);
    memset(o, 0, sizeof *o);
}

bool out_has_scores(const outcome *o)
{
    return o->score != NULL || o->pos_score != NULL;
}

double out_score(const outcome *o, size_t i, uint32_t k)
{
    if (o->score)
        return o->score[k] ? o->score[k][i] : NAN;
    if (o->pos_score)
        return k == o->positive ? o->pos_score[i] : 1.0 - o->pos_score[i];
    return NAN;
}

/* Class index of every row of a label or prediction column. Dictionary columns translate
 * each distinct code once, so the per-row work is one table lookup. */
static err_code map_classes(const roles *r, const dataset *ds, int col, uint32_t *out, err *e)
{
    const column *c = &ds->cols[col];
    if (!c->dict) {
        for (size_t i = 0; i < ds->nrows; i++)
            out[i] = role_class_of(r, ds, col, i);
        return E_OK;
    }
    uint32_t nd = sd_count(c->dict);
    uint32_t *map = malloc((nd ? nd : 1) * sizeof *map);
    if (!map)
        return err_set(e, E_NOMEM, "out of memory");
    for (uint32_t k = 0; k < nd; k++)
        map[k] = sd_find(r->class_dict, sd_str(c->dict, k), sd_len(c->dict, k));
    for (size_t i = 0; i < ds->nrows; i++)
        out[i] = c->code[i] == CODE_NA ? CLASS_NA : map[c->code[i]];
    free(map);
    return E_OK;
}

/* -ln p(true class) with each score clipped to [eps, 1 - eps] and the row renormalised, as
 * scikit-learn's log_loss. A class without a score column counts as score 0. */
static double row_loss(const outcome *o, size_t i)
{
    double sum = 0, ptrue = NAN;
    for (uint32_t k = 0; k < o->nclass; k++) {
        double p = out_score(o, i, k);
        if (isnan(p)) {
            if (o->score && !o->score[k])
                p = 0;
            else
                return NAN;
        }
        p = p < OUT_EPS ? OUT_EPS : p > 1 - OUT_EPS ? 1 - OUT_EPS : p;
        sum += p;
        if (k == o->y[i])
            ptrue = p;
    }
    return -log(ptrue / sum);
}

/* Largest class score of the row, or NAN when a scored class is missing; also its arg-max
 * (first maximum, as numpy.argmax). */
static double row_top(const outcome *o, size_t i, uint32_t *arg)
{
    double best = -INFINITY;
    *arg = CLASS_NA;
    for (uint32_t k = 0; k < o->nclass; k++) {
        if (o->score && !o->score[k])
            continue;
        double p = out_score(o, i, k);
        if (isnan(p)) {
            *arg = CLASS_NA;
            return NAN;
        }
        if (p > best) {
            best = p;
            *arg = k;
        }
    }
    return *arg == CLASS_NA ? NAN : best;
}

static err_code build_regression(outcome *o, const dataset *ds, const roles *r, err *e)
{
    o->ytrue = ds->cols[r->label].num;
    o->ypred = ds->cols[r->pred].num;
    double *abserr = malloc((o->n ? o->n : 1) * sizeof *abserr);
    if (!abserr)
        return err_set(e, E_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < o->n; i++) {
        double d = fabs(o->ytrue[i] - o->ypred[i]);
        o->loss[i] = d;
        if (!isnan(d))
            abserr[m++] = d;
    }
    o->fail_above = r->fail_above;
    if (isnan(o->fail_above) && m) {
        /* numpy's linear 90th percentile of the absolute errors */
        if (srt_doubles(abserr, m, e) != E_OK) {
            free(abserr);
            return E_NOMEM;
        }
        o->fail_above = st_quantile_sorted(abserr, m, 0.9);
    }
    free(abserr);
    for (size_t i = 0; i < o->n; i++) {
        if (isnan(o->loss[i])) {
            o->err[i] = OUT_UNKNOWN;
            o->nunknown++;
        } else if (o->loss[i] > o->fail_above) {
            o->err[i] = OUT_ERROR;
            o->nerr++;
        }
    }
    return E_OK;
}

static err_code build_classification(outcome *o, const dataset *ds, const roles *r, err *e)
{
    o->nclass = r->nclass;
    o->classes = (const char *const *)r->classes;
    o->positive = r->positive;
    o->y = malloc((o->n ? o->n : 1) * sizeof *o->y);
    o->yhat = malloc((o->n ? o->n : 1) * sizeof *o->yhat);
    o->conf = malloc((o->n ? o->n : 1) * sizeof *o->conf);
    if (!o->y || !o->yhat || !o->conf)
        return err_set(e, E_NOMEM, "out of memory");
    if (r->score_col) {
        o->score = calloc(o->nclass, sizeof *o->score);
        if (!o->score)
            return err_set(e, E_NOMEM, "out of memory");
        for (uint32_t k = 0; k < o->nclass; k++)
            if (r->score_col[k] >= 0)
                o->score[k] = ds->cols[r->score_col[k]].num;
    } else if (r->positive_score_col >= 0) {
        o->pos_score = ds->cols[r->positive_score_col].num;
    }
    err_code rc = map_classes(r, ds, r->label, o->y, e);
    if (rc == E_OK && r->pred >= 0)
        rc = map_classes(r, ds, r->pred, o->yhat, e);
    if (rc != E_OK)
        return rc;
    bool scored = out_has_scores(o);
    for (size_t i = 0; i < o->n; i++) {
        uint32_t arg = CLASS_NA;
        o->conf[i] = scored ? row_top(o, i, &arg) : NAN;
        if (r->pred_from_scores)
            o->yhat[i] = arg;
        if (o->y[i] == CLASS_NA || o->yhat[i] == CLASS_NA) {
            o->err[i] = OUT_UNKNOWN;
            o->nunknown++;
            o->loss[i] = NAN;
            continue;
        }
        o->err[i] = o->y[i] != o->yhat[i] ? OUT_ERROR : OUT_CORRECT;
        o->nerr += o->err[i] == OUT_ERROR;
        o->loss[i] = scored ? row_loss(o, i) : NAN;
        o->nloss_missing += isnan(o->loss[i]);
    }
    return E_OK;
}

err_code out_build(outcome *o, const dataset *ds, const roles *r, err *e)
{
    memset(o, 0, sizeof *o);
    o->n = ds->nrows;
    o->task = r->task;
    o->positive = CLASS_NA;
    o->fail_above = NAN;
    o->err = calloc(o->n ? o->n : 1, sizeof *o->err);
    o->loss = malloc((o->n ? o->n : 1) * sizeof *o->loss);
    if (!o->err || !o->loss) {
        out_done(o);
        return err_set(e, E_NOMEM, "out of memory");
    }
    err_code rc = r->task == TASK_REGRESSION ? build_regression(o, ds, r, e)
                                             : build_classification(o, ds, r, e);
    if (rc != E_OK)
        out_done(o);
    return rc;
}

bool out_row_scores(const outcome *o, size_t i, double *p)
{
    for (uint32_t k = 0; k < o->nclass; k++) {
        double v = out_score(o, i, k);
        if (isnan(v)) {
            if (!(o->score && !o->score[k]))
                return false;
            v = 0;
        }
        p[k] = v;
    }
    return true;
}

double out_log_loss(const double *p, uint32_t k, uint32_t y)
{
    double sum = 0, pt = 0;
    for (uint32_t j = 0; j < k; j++) {
        double v = p[j] < OUT_EPS ? OUT_EPS : p[j] > 1 - OUT_EPS ? 1 - OUT_EPS : p[j];
        sum += v;
        if (j == y)
            pt = v;
    }
    return -log(pt / sum);
}
