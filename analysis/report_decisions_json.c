/* The JSON sections about decisions (report_decisions.h), written with the report's shared
 * helpers (report_int.h). */
#include "report_decisions.h"
#include "report_int.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static err_code done(FILE *f, err *e)
{
    return ferror(f) ? err_set(e, E_IO, "cannot write the report") : E_OK;
}

/* A 0-based row as the report's 1-based row, or null. */
static void kv_row(FILE *f, const char *k, uint32_t row, bool *first)
{
    rj_key(f, k, first);
    if (row == UINT32_MAX)
        fputs("null", f);
    else
        fprintf(f, "%lu", (unsigned long)row + 1);
}

/* "column" and "value" of a slice, as the slices section names them. */
static void slice_id(FILE *f, const binning *b, uint32_t dim, uint32_t bin, bool *first)
{
    const bin_dim *d = &b->dim[dim];
    rj_kv_str(f, "column", d->name, first);
    rj_kv_str(f, "value", d->bins[bin].label, first);
}

/* Which of len points to write: evenly spaced ranks plus the ones in keep. mark is owned by
 * the caller (len bytes). */
static void pick_points(bool *mark, size_t len, const size_t *keep, size_t nkeep)
{
    if (len <= RPT_MAX_POINTS) {
        memset(mark, 1, len);
        return;
    }
    memset(mark, 0, len);
    for (size_t j = 0; j < RPT_MAX_POINTS; j++)
        mark[(size_t)((double)j * (double)(len - 1) / (RPT_MAX_POINTS - 1) + 0.5)] = true;
    for (size_t j = 0; j < nkeep; j++)
        if (keep[j] < len)
            mark[keep[j]] = true;
}

/* ----------------------------------------------------------------------- compare */

static void counts(FILE *f, const cmp_counts *c, bool *first)
{
    rj_kv_size(f, "n", c->n, first);
    rj_kv_size(f, "both_right", c->both_right, first);
    rj_kv_size(f, "fixed", c->fixed, first);
    rj_kv_size(f, "new_errors", c->new_errors, first);
    rj_kv_size(f, "both_wrong", c->both_wrong, first);
    rj_kv_num(f, "error_rate_a", c->rate_a, first);
    rj_kv_num(f, "error_rate_b", c->rate_b, first);
    rj_kv_num(f, "diff", c->diff, first);
    rj_kv_num(f, "ci_lo", c->lo, first);
    rj_kv_num(f, "ci_hi", c->hi, first);
}

err_code rpt_json_compare(FILE *f, const cmp_result *c, const binning *b, err *e)
{
    size_t *order = malloc((c->len ? c->len : 1) * sizeof *order);
    if (!order || cmp_order(c, order, e) != E_OK) {
        free(order);
        return err_set(e, E_NOMEM, "out of memory");
    }
    bool first = true;
    fputs(",\"compare\":{", f);
    counts(f, &c->all, &first);
    rj_kv_num(f, "mcnemar_p", c->all.p, &first);
    rj_kv_size(f, "not_evaluated", c->nunknown, &first);
    rj_kv_str(f, "interval", "newcombe_paired_score", &first);
    rj_kv_num(f, "alpha", c->alpha, &first);
    rj_kv_size(f, "slices_tested", c->ntested, &first);
    rj_kv_size(f, "slices_regressed", c->nregressed, &first);
    rj_key(f, "slices", &first);
    fputc('[', f);
    bool first_slice = true;
    for (size_t i = 0; i < c->len; i++) {
        const cmp_slice *s = &c->v[order[i]];
        if (s->c.n == 0)
            continue;
        fputs(first_slice ? "{" : ",{", f);
        first_slice = false;
        bool fs = true;
        slice_id(f, b, s->dim, s->bin, &fs);
        counts(f, &s->c, &fs);
        rj_kv_num(f, "p_value", s->c.p, &fs);
        rj_kv_num(f, "q_value", s->q, &fs);
        rj_kv_bool(f, "regressed", s->regressed, &fs);
        rj_kv_bool(f, "improved", s->improved, &fs);
        fputc('}', f);
    }
    fputs("]}", f);
    free(order);
    return done(f, e);
}

/* ------------------------------------------------------------------------ costs */

err_code rpt_json_costs(FILE *f, const cost_result *c, const cost_matrix *m,
                        const char *const *classes, const binning *b, err *e)
{
    bool first = true;
    fputs(",\"costs\":{", f);
    rj_key(f, "labels", &first);
    fputc('[', f);
    for (uint32_t k = 0; k < m->k; k++) {
        if (k)
            fputc(',', f);
        rj_str(f, classes[k]);
    }
    fputc(']', f);
    rj_key(f, "matrix", &first);
    fputc('[', f);
    for (uint32_t t = 0; t < m->k; t++) {
        fputs(t ? ",[" : "[", f);
        for (uint32_t p = 0; p < m->k; p++) {
            if (p)
                fputc(',', f);
            rj_num(f, m->c[(size_t)t * m->k + p]);
        }
        fputc(']', f);
    }
    fputc(']', f);
    rj_kv_size(f, "evaluated", c->n, &first);
    rj_kv_num(f, "total", c->total, &first);
    rj_kv_num(f, "expected_cost", c->mean, &first);
    rj_key(f, "slices", &first);
    fputc('[', f);
    bool fs0 = true;
    for (size_t i = 0; i < c->len && b; i++) {
        const cost_slice *s = &c->v[i];
        if (s->n == 0)
            continue;
        fputs(fs0 ? "{" : ",{", f);
        fs0 = false;
        bool fs = true;
        slice_id(f, b, s->dim, s->bin, &fs);
        rj_kv_size(f, "n", s->n, &fs);
        rj_kv_num(f, "total", s->total, &fs);
        rj_kv_num(f, "expected_cost", s->mean, &fs);
        rj_kv_num(f, "share", s->share, &fs);
        fputc('}', f);
    }
    fputs("]}", f);
    return done(f, e);
}

/* ------------------------------------------------------------------- thresholds */

static void point(FILE *f, const cost_point *p)
{
    bool first = true;
    fputc('{', f);
    rj_kv_num(f, "threshold", p->t, &first);
    rj_kv_size(f, "tp", p->tp, &first);
    rj_kv_size(f, "fp", p->fp, &first);
    rj_kv_size(f, "tn", p->tn, &first);
    rj_kv_size(f, "fn", p->fn, &first);
    rj_kv_num(f, "precision", p->precision, &first);
    rj_kv_num(f, "recall", p->recall, &first);
    rj_kv_num(f, "f1", p->f1, &first);
    rj_kv_num(f, "fpr", p->fpr, &first);
    rj_kv_num(f, "youden_j", p->recall - p->fpr, &first);
    rj_kv_num(f, "cost", p->cost, &first);
    fputc('}', f);
}

static void best(FILE *f, const char *k, const cost_sweep *s, size_t i, bool *first)
{
    rj_key(f, k, first);
    if (i == COST_NONE)
        fputs("null", f);
    else
        point(f, &s->v[i]);
}

err_code rpt_json_thresholds(FILE *f, const cost_sweep *s, err *e)
{
    bool *mark = malloc(s->len ? s->len : 1);
    if (!mark)
        return err_set(e, E_NOMEM, "out of memory");
    const size_t keep[3] = {s->best_cost, s->best_f1, s->best_j};
    pick_points(mark, s->len, keep, 3);
    bool first = true;
    fputs(",\"thresholds\":{", f);
    rj_kv_str(f, "rule", "positive when score >= threshold", &first);
    rj_kv_size(f, "n", s->n, &first);
    rj_kv_size(f, "positives", s->npos, &first);
    rj_kv_size(f, "skipped", s->nskipped, &first);
    rj_kv_size(f, "thresholds", s->len, &first);
    best(f, "min_cost", s, s->best_cost, &first);
    best(f, "max_f1", s, s->best_f1, &first);
    best(f, "max_youden_j", s, s->best_j, &first);
    rj_key(f, "points", &first);
    fputc('[', f);
    bool fp = true;
    for (size_t i = 0; i < s->len; i++) {
        if (!mark[i])
            continue;
        if (!fp)
            fputc(',', f);
        fp = false;
        point(f, &s->v[i]);
    }
    fputs("]}", f);
    free(mark);
    return done(f, e);
}

/* -------------------------------------------------------------------- selective */

err_code rpt_json_selective(FILE *f, const cost_selective *s, err *e)
{
    bool *mark = malloc(s->len ? s->len : 1);
    if (!mark)
        return err_set(e, E_NOMEM, "out of memory");
    pick_points(mark, s->len, &s->at_target, 1);
    bool first = true;
    const cost_cov_point *t = s->at_target == COST_NONE ? NULL : &s->v[s->at_target];
    fputs(",\"selective\":{", f);
    rj_kv_size(f, "n", s->total, &first);
    rj_kv_size(f, "skipped", s->nskipped, &first);
    rj_kv_num(f, "target_accuracy", s->target, &first);
    rj_kv_num(f, "threshold_at_target", t ? t->t : NAN, &first);
    rj_kv_num(f, "coverage_at_target", t ? t->coverage : NAN, &first);
    rj_kv_num(f, "accuracy_at_target", t ? t->accuracy : NAN, &first);
    rj_key(f, "points", &first);
    fputc('[', f);
    bool fp = true;
    for (size_t i = 0; i < s->len; i++) {
        if (!mark[i])
            continue;
        const cost_cov_point *p = &s->v[i];
        bool fs = true;
        fputs(fp ? "{" : ",{", f);
        fp = false;
        rj_kv_num(f, "threshold", p->t, &fs);
        rj_kv_size(f, "n", p->n, &fs);
        rj_kv_num(f, "coverage", p->coverage, &fs);
        rj_kv_num(f, "accuracy", p->accuracy, &fs);
        fputc('}', f);
    }
    fputs("]}", f);
    free(mark);
    return done(f, e);
}

/* ------------------------------------------------------------------------ drift */

err_code rpt_json_drift(FILE *f, const drift_result *d, const binning *b, err *e)
{
    const bin_dim *dim = &b->dim[d->dim];
    bool first = true;
    fputs(",\"drift\":{", f);
    rj_kv_str(f, "column", dim->name, &first);
    rj_kv_str(f, "unit", dim->unit, &first);
    rj_kv_str(f, "test", "each bucket against all earlier buckets pooled, two-sided Fisher or "
              "chi-square, Benjamini-Hochberg across buckets", &first);
    rj_kv_num(f, "alpha", d->alpha, &first);
    rj_kv_size(f, "missing_time", d->nmissing_time, &first);
    rj_kv_size(f, "tested", d->ntested, &first);
    rj_kv_size(f, "flagged", d->nflagged, &first);
    rj_kv_str(f, "first_flagged",
              d->first_flagged == DRIFT_NONE ? NULL : dim->bins[d->first_flagged].label, &first);
    rj_key(f, "buckets", &first);
    fputc('[', f);
    for (size_t k = 0; k < d->len; k++) {
        const drift_bucket *u = &d->v[k];
        bool fs = true;
        fputs(k ? ",{" : "{", f);
        rj_kv_str(f, "label", dim->bins[u->bin].label, &fs);
        rj_kv_num(f, "start", u->start, &fs);
        rj_kv_num(f, "end", u->end, &fs);
        rj_kv_size(f, "n", u->n, &fs);
        rj_kv_size(f, "errors", u->nerr, &fs);
        rj_kv_num(f, "error_rate", u->rate, &fs);
        rj_kv_num(f, "ci_lo", u->lo, &fs);
        rj_kv_num(f, "ci_hi", u->hi, &fs);
        rj_kv_num(f, "error_rate_before", u->rate_before, &fs);
        rj_kv_num(f, "p_value", u->p, &fs);
        rj_kv_num(f, "q_value", u->q, &fs);
        rj_kv_bool(f, "flagged", u->flagged, &fs);
        rj_kv_bool(f, "worse", u->worse, &fs);
        fputc('}', f);
    }
    fputs("]}", f);
    return done(f, e);
}

/* --------------------------------------------------------------------- fairness */

static void group(FILE *f, const fair_group *g, const bin_dim *d)
{
    bool fs = true;
    fputc('{', f);
    rj_kv_str(f, "value", d->bins[g->bin].label, &fs);
    rj_kv_size(f, "n", g->n, &fs);
    rj_kv_size(f, "errors", g->nerr, &fs);
    rj_kv_num(f, "selection_rate", g->selection_rate, &fs);
    rj_kv_num(f, "tpr", g->tpr, &fs);
    rj_kv_num(f, "fpr", g->fpr, &fs);
    rj_kv_num(f, "precision", g->precision, &fs);
    rj_kv_num(f, "error_rate", g->error_rate, &fs);
    fputc('}', f);
}

err_code rpt_json_fairness(FILE *f, const fair_result *v, size_t n, const binning *b,
                           const char *const *classes, err *e)
{
    fputs(",\"fairness\":[", f);
    for (size_t i = 0; i < n; i++) {
        const fair_result *r = &v[i];
        const bin_dim *d = &b->dim[r->dim];
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "column", d->name, &first);
        rj_kv_str(f, "positive", r->has_positive ? classes[r->positive] : NULL, &first);
        rj_kv_size(f, "groups_n", r->ngroups, &first);
        rj_kv_num(f, "demographic_parity_difference", r->dp_diff, &first);
        rj_kv_num(f, "demographic_parity_ratio", r->dp_ratio, &first);
        rj_kv_bool(f, "four_fifths", r->four_fifths, &first);
        rj_kv_num(f, "equalized_odds_difference", r->eo_diff, &first);
        rj_kv_num(f, "tpr_difference", r->tpr_diff, &first);
        rj_kv_num(f, "fpr_difference", r->fpr_diff, &first);
        rj_kv_num(f, "error_rate_difference", r->error_diff, &first);
        rj_key(f, "groups", &first);
        fputc('[', f);
        bool fg = true;
        for (size_t k = 0; k < r->len; k++) {
            if (r->v[k].n == 0)
                continue;
            if (!fg)
                fputc(',', f);
            fg = false;
            group(f, &r->v[k], d);
        }
        fputs("]}", f);
    }
    fputc(']', f);
    return done(f, e);
}

/* ------------------------------------------------------------------ data checks */

/* Up to max 1-based rows of a bitmap. */
static void rows_of(FILE *f, const bitmap *bm, size_t max)
{
    fputc('[', f);
    size_t shown = 0;
    for (size_t i = bm_next(bm, 0); i < bm->nbits && shown < max; i = bm_next(bm, i + 1))
        fprintf(f, "%s%zu", shown++ ? "," : "", i + 1);
    fputc(']', f);
}

static void dc_columns_json(FILE *f, const dc_result *d, const dataset *ds, bool *first)
{
    rj_key(f, "columns", first);
    fputc('[', f);
    for (size_t j = 0; j < d->ncols; j++) {
        const dc_column *c = &d->cols[j];
        bool fs = true;
        fputs(j ? ",{" : "{", f);
        rj_kv_str(f, "name", ds->cols[j].name, &fs);
        rj_kv_size(f, "missing", c->nmissing, &fs);
        rj_kv_num(f, "missing_share", c->missing_share, &fs);
        rj_kv_bool(f, "constant", c->constant, &fs);
        if (!isnan(c->median)) {
            rj_kv_num(f, "median", c->median, &fs);
            rj_kv_num(f, "mad", c->mad, &fs);
            rj_kv_size(f, "outliers", c->noutliers, &fs);
        }
        fputc('}', f);
    }
    fputc(']', f);
}

static void dc_dups_json(FILE *f, const dc_result *d, bool *first)
{
    bool fs = true;
    rj_key(f, "duplicates", first);
    fputc('{', f);
    rj_kv_size(f, "features", d->nfeatures, &fs);
    rj_kv_size(f, "rows", d->ndup_rows, &fs);
    rj_kv_size(f, "groups", d->ndup_groups, &fs);
    rj_kv_size(f, "conflicting_labels", d->ndup_conflict, &fs);
    kv_row(f, "example_row", d->dup_example[0], &fs);
    kv_row(f, "example_of", d->dup_example[1], &fs);
    fputc('}', f);
    rj_key(f, "duplicate_ids", first);
    if (!d->has_id) {
        fputs("null", f);
        return;
    }
    fs = true;
    fputc('{', f);
    rj_kv_size(f, "ids", d->ndup_ids, &fs);
    rj_kv_size(f, "rows", d->ndup_id_rows, &fs);
    rj_kv_size(f, "missing", d->nmissing_ids, &fs);
    kv_row(f, "example_row", d->dup_id_example[0], &fs);
    kv_row(f, "example_of", d->dup_id_example[1], &fs);
    fputc('}', f);
}

static void dc_balance_json(FILE *f, const dc_result *d, const char *const *classes,
                            bool *first)
{
    rj_key(f, "class_balance", first);
    if (!classes || d->smallest == CLASS_NA) {
        fputs("null", f);
        return;
    }
    bool fs = true;
    fputc('{', f);
    rj_kv_str(f, "smallest", classes[d->smallest], &fs);
    rj_kv_num(f, "smallest_share", d->smallest_share, &fs);
    rj_kv_str(f, "largest", classes[d->largest], &fs);
    rj_kv_num(f, "largest_share", d->largest_share, &fs);
    rj_kv_num(f, "ratio", d->imbalance_ratio, &fs);
    rj_kv_bool(f, "imbalanced", d->imbalanced, &fs);
    fputc('}', f);
}

static void dc_leak_json(FILE *f, const dc_result *d, const binning *b, bool *first)
{
    rj_key(f, "leakage", first);
    fputc('[', f);
    for (size_t i = 0; i < d->nleak_tested; i++) {
        const dc_leak *l = &d->leak[i];
        bool fs = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "column", b->dim[l->dim].name, &fs);
        rj_kv_num(f, "label_accuracy", l->acc_label, &fs);
        rj_kv_num(f, "label_baseline", l->base_label, &fs);
        rj_kv_bool(f, "predicts_label", l->leaks_label, &fs);
        rj_kv_num(f, "error_accuracy", l->acc_error, &fs);
        rj_kv_num(f, "error_baseline", l->base_error, &fs);
        rj_kv_bool(f, "predicts_error", l->leaks_error, &fs);
        fputc('}', f);
    }
    fputc(']', f);
}

static void dc_labels_json(FILE *f, const dc_result *d, const char *const *classes, size_t k,
                           bool *first)
{
    rj_key(f, "label_issues", first);
    if (!d->has_label_issues) {
        fputs("null", f);
        return;
    }
    bool fs = true;
    fputc('{', f);
    rj_kv_size(f, "candidates", d->nlabel_issue, &fs);
    rj_key(f, "thresholds", &fs);
    fputc('{', f);
    bool ft = true;
    for (size_t c = 0; c < k; c++)
        rj_kv_num(f, classes[c], d->class_threshold[c], &ft);
    fputc('}', f);
    rj_key(f, "rows", &fs);
    rows_of(f, &d->label_issue, 100);
    fputc('}', f);
}

err_code rpt_json_data_checks(FILE *f, const dc_result *d, const dataset *ds,
                              const binning *b, const char *const *classes, err *e)
{
    bool first = true;
    fputs(",\"data_checks\":{", f);
    rj_kv_size(f, "rows", d->nrows, &first);
    dc_columns_json(f, d, ds, &first);
    rj_key(f, "constant_columns", &first);
    fputc('[', f);
    bool fc = true;
    for (size_t j = 0; j < d->ncols; j++)
        if (d->cols[j].constant) {
            if (!fc)
                fputc(',', f);
            fc = false;
            rj_str(f, ds->cols[j].name);
        }
    fputc(']', f);
    dc_dups_json(f, d, &first);
    dc_balance_json(f, d, classes, &first);
    if (b)
        dc_leak_json(f, d, b, &first);
    dc_labels_json(f, d, classes, d->nclass, &first);
    bool fs = true;
    rj_key(f, "outliers", &first);
    fputc('{', f);
    rj_kv_str(f, "rule", "robust z = 0.6745 (x - median) / MAD, |z| > 3.5", &fs);
    rj_kv_size(f, "rows_n", d->noutlier, &fs);
    rj_key(f, "rows", &fs);
    rows_of(f, &d->outlier, 100);
    fputs("}}", f);
    return done(f, e);
}

/* ------------------------------------------------------------------- categories */

static void cat_counts(FILE *f, const size_t *counts)
{
    bool fs = true;
    fputc('{', f);
    for (int k = 0; k < CAT_COUNT; k++)
        rj_kv_size(f, cat_name((cat_kind)k), counts[k], &fs);
    fputc('}', f);
}

err_code rpt_json_categories(FILE *f, const cat_result *c, const bitmap *sel, err *e)
{
    bool first = true;
    fputs(",\"categories\":{", f);
    rj_key(f, "thresholds", &first);
    bool ft = true;
    fputc('{', f);
    rj_kv_num(f, "confident", c->opts.confident, &ft);
    rj_kv_num(f, "unsure", c->opts.unsure, &ft);
    rj_kv_num(f, "margin", c->opts.margin, &ft);
    rj_kv_num(f, "rare_share", c->opts.rare_share, &ft);
    fputc('}', f);
    rj_key(f, "counts", &first);
    cat_counts(f, c->count);
    if (sel) {
        size_t in[CAT_COUNT];
        cat_count_in(c, sel, in);
        rj_key(f, "in_selection", &first);
        cat_counts(f, in);
    }
    fputc('}', f);
    return done(f, e);
}
