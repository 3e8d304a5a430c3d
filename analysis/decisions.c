/* decisions: the decision sections' computations for the command line (see decisions.h). */
#include "decisions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dec_opts_init(dec_opts *o)
{
    memset(o, 0, sizeof *o);
    o->cost_fp = o->cost_fn = o->target_accuracy = NAN;
    o->data_checks = true;
    o->alpha = 0.05;
    o->min_support = 30;
}

double dec_current_threshold(const outcome *o)
{
    if (o->task != TASK_BINARY || o->positive == CLASS_NA || !out_has_scores(o))
        return NAN;
    size_t seen = 0;
    for (size_t i = 0; i < o->n; i++) {
        double s = out_score(o, i, o->positive);
        if (o->yhat[i] == CLASS_NA || isnan(s))
            continue;
        if ((o->yhat[i] == o->positive) != (s >= 0.5))
            return NAN;
        seen++;
    }
    return seen ? 0.5 : NAN;
}

/* ---- the second model ---- */

/* --compare: loads the other file with the same options, joins it and judges its
 * predictions against this file's labels. */
static err_code load_other(decisions *d, const dec_opts *o, const dataset *ds, const roles *r,
                           const outcome *out, err *e)
{
    ld_opts lo = *o->load;
    lo.progress = NULL;
    lo.progress_ctx = NULL;
    err_code rc = ld_csv_file(&d->other, o->compare_path, &lo, e);
    if (rc != E_OK) {
        err_prefix(e, "--compare");
        return rc;
    }
    role_opts ro = *o->roles;
    ro.pred2 = NULL;
    if ((rc = role_detect(&d->other_roles, d->other, &ro, e)) != E_OK) {
        err_prefix(e, "--compare %s", o->compare_path);
        return rc;
    }
    if ((rc = out_build(&d->other_out, d->other, &d->other_roles, e)) != E_OK)
        return rc;
    if ((rc = cmp_join(&d->map, ds, r, d->other, &d->other_roles, e)) != E_OK)
        return rc;
    if ((rc = cmp_second_from_other(&d->second, out, r, &d->other_out, &d->other_roles,
                                    &d->map, e)) != E_OK)
        return rc;
    if (out->task == TASK_REGRESSION) {
        /* pred2 of a regression reads the other file's estimate of each joined row */
        if (!(d->ypred2 = malloc((ds->nrows ? ds->nrows : 1) * sizeof *d->ypred2)))
            return err_set(e, E_NOMEM, "out of memory");
        for (size_t i = 0; i < ds->nrows; i++)
            d->ypred2[i] = d->map.b_row[i] == CMP_NONE ? NAN
                                                        : d->other_out.ypred[d->map.b_row[i]];
    }
    snprintf(d->name_b, sizeof d->name_b, "%s", o->compare_path);
    d->filter_cmp.ypred = d->ypred2;
    d->filter_cmp.col = -1;
    return E_OK;
}

static err_code prepare_second(decisions *d, const dec_opts *o, const char *file,
                               const dataset *ds, const roles *r, const outcome *out, err *e)
{
    err_code rc;
    if (o->compare_path && r->pred2 >= 0)
        return err_set(e, E_USAGE, "--compare and --pred2: give one second model, not two");
    if (o->compare_path) {
        if ((rc = load_other(d, o, ds, r, out, e)) != E_OK)
            return rc;
        snprintf(d->name_a, sizeof d->name_a, "%s", file);
    } else if (r->pred2 >= 0) {
        if ((rc = cmp_second_from_column(&d->second, ds, r, out, r->pred2, e)) != E_OK) {
            err_prefix(e, "--pred2 %s", ds->cols[r->pred2].name);
            return rc;
        }
        snprintf(d->name_a, sizeof d->name_a, "`%s`",
                 r->pred >= 0 ? ds->cols[r->pred].name : "the scores' arg-max");
        snprintf(d->name_b, sizeof d->name_b, "`%s`", ds->cols[r->pred2].name);
        d->filter_cmp.col = r->pred2;
        if (out->task == TASK_REGRESSION)
            d->filter_cmp.ypred = ds->cols[r->pred2].num;
    } else {
        return E_OK;
    }
    d->filter_cmp.yhat = d->second.yhat;
    d->filter_cmp.err = d->second.err;
    d->has_second = true;
    return E_OK;
}

/* ---- costs and protected columns: checked against the file before any work ---- */

static err_code prepare_costs(decisions *d, const dec_opts *o, const roles *r,
                              const outcome *out, err *e)
{
    bool binary_costs = !isnan(o->cost_fp) || !isnan(o->cost_fn);
    if (!o->costs_path && !binary_costs)
        return E_OK;
    if (o->costs_path && binary_costs)
        return err_set(e, E_USAGE, "--cost-fp and --cost-fn: not with --costs FILE, which "
                                   "holds every cost");
    if (out->task == TASK_REGRESSION)
        return err_set(e, E_USAGE, "%s: costs need a classification task",
                       o->costs_path ? "--costs" : "--cost-fp");
    err_code rc;
    if (o->costs_path) {
        rc = cost_matrix_load(&d->costs, o->costs_path, (const char *const *)r->classes,
                              r->nclass, e);
    } else {
        if (out->task != TASK_BINARY)
            return err_set(e, E_USAGE, "--cost-fp and --cost-fn need a binary task; give a "
                                       "cost matrix with --costs FILE");
        rc = cost_matrix_binary(&d->costs, out->positive, isnan(o->cost_fp) ? 1.0 : o->cost_fp,
                                isnan(o->cost_fn) ? 1.0 : o->cost_fn, e);
        if (rc != E_OK)
            err_prefix(e, "--cost-fp/--cost-fn");
    }
    d->has_costs = rc == E_OK;
    return rc;
}

static err_code prepare_protected(decisions *d, const dec_opts *o, const dataset *ds,
                                  const binning *b, err *e)
{
    if (!o->protected_cols)
        return E_OK;
    const char *p = o->protected_cols;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        p += len + (comma != NULL);
        if (!name[0])
            continue;
        if (d->nprotected == DEC_MAX_PROTECTED)
            return err_set(e, E_USAGE, "--protected: at most %d columns", DEC_MAX_PROTECTED);
        int col = ds_col_find(ds, name);
        if (col < 0)
            col = ds_col_find_nocase(ds, name);
        if (col < 0) {
            char list[512];
            size_t used = 0;
            list[0] = '\0';
            for (size_t k = 0; k < ds->ncols && used + 1 < sizeof list; k++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
                                         ds->cols[k].name);
            return err_set(e, E_USAGE, "--protected %s: no such column (columns: %s)", name,
                           list);
        }
        err_code rc = fair_find_dim(b, col, &d->protected_dim[d->nprotected], e);
        if (rc != E_OK) {
            err_prefix(e, "--protected %s", name);
            return rc;
        }
        d->nprotected++;
    }
    if (d->nprotected == 0)
        return err_set(e, E_USAGE, "--protected needs a column name");
    return E_OK;
}

/* --no-data-checks: the outlier rows alone, which the outlier category needs (the costly
 * checks are the duplicates' sort and the leakage tables). */
static err_code outliers_only(dc_result *r, const dataset *ds, err *e)
{
    memset(r, 0, sizeof *r);
    r->nrows = ds->nrows;
    r->ncols = ds->ncols;
    if (!(r->cols = calloc(ds->ncols ? ds->ncols : 1, sizeof *r->cols)))
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = dc_outliers(r, ds, e);
    if (rc != E_OK)
        dc_done(r);
    return rc;
}

err_code dec_prepare(decisions *d, const dec_opts *o, const char *file, const dataset *ds,
                     const roles *r, const outcome *out, const binning *b, err *e)
{
    memset(d, 0, sizeof *d);
    d->current_threshold = dec_current_threshold(out);
    /* drift when role detection found a time column that the binning cut into buckets */
    err none = {0};
    d->has_time = r->time >= 0 && drift_find_dim(b, r->time, &d->time_dim, &none) == E_OK;
    /* the cheap checks of the options first, so that a typo fails before the long work */
    err_code rc = prepare_protected(d, o, ds, b, e);
    if (rc == E_OK && !isnan(o->target_accuracy) &&
        !(o->target_accuracy > 0 && o->target_accuracy <= 1))
        rc = err_set(e, E_USAGE, "--target-accuracy %g: needs a number in (0, 1]",
                     o->target_accuracy);
    if (rc == E_OK)
        rc = prepare_costs(d, o, r, out, e);
    if (rc == E_OK)
        rc = prepare_second(d, o, file, ds, r, out, e);
    if (rc == E_OK && o->data_checks) {
        rc = dc_compute(&d->dc, ds, r, out, b, e);
        d->has_dc = d->dc_full = rc == E_OK;
    } else if (rc == E_OK) {
        rc = outliers_only(&d->dc, ds, e);
        d->has_dc = rc == E_OK;
    }
    if (rc == E_OK) {
        rc = cat_compute(&d->cats, out, d->has_dc ? &d->dc.outlier : NULL, NULL, e);
        d->has_cats = rc == E_OK;
    }
    return rc;
}

/* ---- phase 2 ---- */

static void done_selection(decisions *d)
{
    if (d->has_cmp)
        cmp_done(&d->cmp);
    if (d->has_cost)
        cost_done(&d->cost);
    if (d->has_sweep)
        cost_sweep_done(&d->sweep);
    if (d->has_selective)
        cost_selective_done(&d->selective);
    if (d->has_drift)
        drift_done(&d->drift);
    for (size_t i = 0; i < d->nfair; i++)
        fair_done(&d->fair[i]);
    d->has_cmp = d->has_cost = d->has_sweep = d->has_selective = d->has_drift = false;
    d->nfair = 0;
}

err_code dec_compute(decisions *d, const dec_opts *o, const outcome *out, const binning *b,
                     const bitmap *sel, err *e)
{
    done_selection(d);
    err_code rc = E_OK;
    if (d->has_second) {
        rc = cmp_compute(&d->cmp, out, &d->second, b, sel, o->alpha, e);
        d->has_cmp = rc == E_OK;
    }
    if (rc == E_OK && d->has_costs) {
        rc = cost_compute(&d->cost, &d->costs, out, b, sel, e);
        d->has_cost = rc == E_OK;
    }
    if (rc == E_OK && out->task == TASK_BINARY && out_has_scores(out)) {
        rc = cost_sweep_compute(&d->sweep, out, d->has_costs ? &d->costs : NULL, sel, e);
        d->has_sweep = rc == E_OK;
    }
    if (rc == E_OK && out->task != TASK_REGRESSION && out_has_scores(out)) {
        rc = cost_selective_compute(&d->selective, out, sel, o->target_accuracy, e);
        d->has_selective = rc == E_OK;
    }
    if (rc == E_OK && d->has_time) {
        rc = drift_compute(&d->drift, out, b, d->time_dim, sel, o->alpha, e);
        d->has_drift = rc == E_OK;
    }
    for (size_t i = 0; rc == E_OK && i < d->nprotected; i++) {
        rc = fair_compute(&d->fair[i], out, b, d->protected_dim[i], CLASS_NA, sel, e);
        if (rc == E_OK)
            d->nfair++;
    }
    if (rc == E_OK && d->has_cats)
        cat_slices(&d->cats, out, sel, o->min_support, d->cat_slices);
    return rc;
}

void dec_done(decisions *d)
{
    done_selection(d);
    if (d->has_cats)
        cat_done(&d->cats);
    if (d->has_dc)
        dc_done(&d->dc);
    if (d->has_costs)
        cost_matrix_done(&d->costs);
    cmp_second_done(&d->second);
    cmp_map_done(&d->map);
    free(d->ypred2);
    if (d->other) {
        out_done(&d->other_out);
        role_done(&d->other_roles);
        ds_free(d->other);
    }
    memset(d, 0, sizeof *d);
}
