/* The Markdown sections about decisions (report_decisions.h): short tables a person reads,
 * each saying how its figures were computed. */
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

static void slice_cell(FILE *f, const binning *b, uint32_t dim, uint32_t bin)
{
    char desc[256];
    bin_describe(&b->dim[dim], bin, desc, sizeof desc);
    rm_cell(f, desc, 80);
}

/* "+3.2 pp [-1.0, +7.5]" for a difference of rates. */
static const char *pp(double d, double lo, double hi, char *buf, size_t size)
{
    if (isnan(d))
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "%+.1f pp [%+.1f, %+.1f]", 100 * d, 100 * lo, 100 * hi);
    return buf;
}

/* 1-based rows of a bitmap, at most max, comma separated. */
static void row_list(FILE *f, const bitmap *bm, size_t max)
{
    size_t shown = 0, total = bm_count(bm);
    for (size_t i = bm_next(bm, 0); i < bm->nbits && shown < max; i = bm_next(bm, i + 1))
        fprintf(f, "%s%zu", shown++ ? ", " : "", i + 1);
    if (total > shown)
        fprintf(f, " … (%zu in all)", total);
}

/* ----------------------------------------------------------------------- compare */

err_code rpt_md_compare(FILE *f, const cmp_result *c, const binning *b, const char *name_a,
                        const char *name_b, size_t max_slices, err *e)
{
    size_t *order = malloc((c->len ? c->len : 1) * sizeof *order);
    if (!order || cmp_order(c, order, e) != E_OK) {
        free(order);
        return err_set(e, E_NOMEM, "out of memory");
    }
    const cmp_counts *a = &c->all;
    char x[32], y[32], z[64], p[32];
    fprintf(f, "\n## Model comparison\n\nA = %s, B = %s, on %s rows evaluated by both", name_a,
            name_b, rm_thousands(a->n, x, sizeof x));
    if (c->nunknown)
        fprintf(f, " (%zu more rows could not be evaluated by one of them)", c->nunknown);
    fprintf(f, ".\n\n| both right | fixed (wrong in A, right in B) | new errors (right in A, "
               "wrong in B) | both wrong |\n|---:|---:|---:|---:|\n| %zu | %zu | %zu | %zu |\n\n",
            a->both_right, a->fixed, a->new_errors, a->both_wrong);
    fprintf(f, "Error rate A %s, B %s; B − A %s (95%% interval for paired proportions, "
               "Newcombe). McNemar's exact test: p = %s.\n",
            rm_pct(a->rate_a, x, sizeof x), rm_pct(a->rate_b, y, sizeof y),
            pp(a->diff, a->lo, a->hi, z, sizeof z), rm_pval(a->p, p, sizeof p));
    fprintf(f, "\nSlices whose error rate changed significantly (McNemar per slice, "
               "Benjamini-Hochberg over %zu slices, q < %.2g); regressions first.\n\n"
               "| slice | rows | fixed | new errors | B − A [95%% CI] | q | |\n"
               "|---|---:|---:|---:|---|---:|---|\n",
            c->ntested, c->alpha);
    size_t shown = 0;
    for (size_t i = 0; i < c->len && shown < max_slices; i++) {
        const cmp_slice *s = &c->v[order[i]];
        if (!s->regressed && !s->improved)
            continue;
        fputs("| ", f);
        slice_cell(f, b, s->dim, s->bin);
        fprintf(f, " | %zu | %zu | %zu | %s | %s | %s |\n", s->c.n, s->c.fixed, s->c.new_errors,
                pp(s->c.diff, s->c.lo, s->c.hi, z, sizeof z), rm_pval(s->q, p, sizeof p),
                s->regressed ? "regressed" : "improved");
        shown++;
    }
    if (!shown)
        fputs("| no slice changed significantly | | | | | | |\n", f);
    free(order);
    return done(f, e);
}

/* ------------------------------------------------------------------------ costs */

static int by_total_desc(const void *pa, const void *pb)
{
    const cost_slice *x = *(const cost_slice *const *)pa, *y = *(const cost_slice *const *)pb;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->dim != y->dim ? (x->dim < y->dim ? -1 : 1) : (x->bin < y->bin ? -1 : x->bin > y->bin);
}

err_code rpt_md_costs(FILE *f, const cost_result *c, const cost_matrix *m,
                      const char *const *classes, const binning *b, size_t max_slices, err *e)
{
    fprintf(f, "\n## Costs\n\nCost matrix (rows: true class, columns: predicted class):\n\n|  |");
    for (uint32_t k = 0; k < m->k; k++) {
        fputc(' ', f);
        rm_cell(f, classes[k], 30);
        fputs(" |", f);
    }
    fputs("\n|---|", f);
    for (uint32_t k = 0; k < m->k; k++)
        fputs("---:|", f);
    fputc('\n', f);
    for (uint32_t t = 0; t < m->k; t++) {
        fputs("| ", f);
        rm_cell(f, classes[t], 30);
        fputs(" |", f);
        for (uint32_t p = 0; p < m->k; p++)
            fprintf(f, " %g |", m->c[(size_t)t * m->k + p]);
        fputc('\n', f);
    }
    char x[32];
    fprintf(f, "\nExpected cost of the model's predictions: %s per row (%g in all over %s "
               "rows).\n",
            rm_num(c->mean, x, sizeof x), c->total, rm_thousands(c->n, x + 16, sizeof x - 16));
    const cost_slice **v = malloc((c->len ? c->len : 1) * sizeof *v);
    if (!v)
        return err_set(e, E_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < c->len; i++)
        if (c->v[i].n && c->v[i].total > 0)
            v[n++] = &c->v[i];
    qsort(v, n, sizeof *v, by_total_desc);
    if (n && b) {
        fputs("\nThe slices that cost most:\n\n| slice | rows | total cost | cost per row | "
              "share |\n|---|---:|---:|---:|---:|\n", f);
        for (size_t i = 0; i < n && i < max_slices; i++) {
            char r[32], s[32];
            fputs("| ", f);
            slice_cell(f, b, v[i]->dim, v[i]->bin);
            fprintf(f, " | %zu | %g | %s | %s |\n", v[i]->n, v[i]->total,
                    rm_num(v[i]->mean, r, sizeof r), rm_pct(v[i]->share, s, sizeof s));
        }
    }
    free(v);
    return done(f, e);
}

/* ------------------------------------------------------------------- thresholds */

static void md_point(FILE *f, const char *what, const cost_point *p)
{
    char a[32], b[32], c[32], d[32], g[32];
    fprintf(f, "| %s | ", what);
    if (isinf(p->t))
        fputs("none positive", f);
    else
        fprintf(f, "%.6g", p->t);
    fprintf(f, " | %s | %s | %s | %s | %s |\n", rm_num(p->precision, a, sizeof a),
            rm_num(p->recall, b, sizeof b), rm_num(p->f1, c, sizeof c),
            rm_num(p->recall - p->fpr, d, sizeof d), rm_num(p->cost, g, sizeof g));
}

/* The point whose threshold is the smallest >= t (the rule score >= t then predicts alike). */
static const cost_point *point_at(const cost_sweep *s, double t)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->v[i].t >= t)
            return &s->v[i];
    return NULL;
}

err_code rpt_md_thresholds(FILE *f, const cost_sweep *s, double current, err *e)
{
    char a[32];
    fprintf(f, "\n## Thresholds\n\nThe positive class score swept over its %zu distinct values "
               "(positive when score ≥ threshold) on %s rows (%zu positive)",
            s->len ? s->len - 1 : 0, rm_thousands(s->n, a, sizeof a), s->npos);
    if (s->nskipped)
        fprintf(f, "; %zu rows without a label or a score left out", s->nskipped);
    fputs(".\n\n| choice | threshold | precision | recall | F1 | Youden J | cost per row |\n"
          "|---|---:|---:|---:|---:|---:|---:|\n", f);
    const cost_point *cur = isnan(current) ? NULL : point_at(s, current);
    if (cur)
        md_point(f, "current", cur);
    if (s->best_cost != COST_NONE)
        md_point(f, "lowest cost", &s->v[s->best_cost]);
    if (s->best_f1 != COST_NONE)
        md_point(f, "highest F1", &s->v[s->best_f1]);
    if (s->best_j != COST_NONE)
        md_point(f, "highest Youden J", &s->v[s->best_j]);
    if (cur && s->best_cost != COST_NONE && cur->cost > 0) {
        const cost_point *bp = &s->v[s->best_cost];
        if (bp->cost < cur->cost)
            fprintf(f, "\nMoving the threshold from %.4g to %.4g would cut the expected cost by "
                       "%.0f%%.\n",
                    current, bp->t, 100 * (1 - bp->cost / cur->cost));
    }
    return done(f, e);
}

/* -------------------------------------------------------------------- selective */

err_code rpt_md_selective(FILE *f, const cost_selective *s, err *e)
{
    fprintf(f, "\n## Selective prediction\n\nKeeping only the rows whose confidence (largest "
               "class score) is at least a threshold, on %zu rows with scores.\n\n"
               "| threshold | coverage | accuracy |\n|---:|---:|---:|\n",
            s->total);
    static const double cov[] = {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
    size_t next = 0;
    for (size_t i = 0; i < s->len && next < sizeof cov / sizeof cov[0]; i++) {
        /* one line per coverage step: the first point at or below it */
        if (s->v[i].coverage > cov[next] + 1e-12)
            continue;
        while (next < sizeof cov / sizeof cov[0] && s->v[i].coverage <= cov[next] + 1e-12)
            next++;
        char a[32], b[32];
        fprintf(f, "| %.4g | %s | %s |\n", s->v[i].t, rm_pct(s->v[i].coverage, a, sizeof a),
                rm_pct(s->v[i].accuracy, b, sizeof b));
    }
    if (!isnan(s->target)) {
        char a[32], b[32];
        if (s->at_target == COST_NONE)
            fprintf(f, "\nNo threshold reaches an accuracy of %s.\n",
                    rm_pct(s->target, a, sizeof a));
        else
            fprintf(f, "\nAn accuracy of %s is first reached at threshold %.4g, keeping %s of "
                       "the rows.\n",
                    rm_pct(s->target, a, sizeof a), s->v[s->at_target].t,
                    rm_pct(s->v[s->at_target].coverage, b, sizeof b));
    }
    return done(f, e);
}

/* ------------------------------------------------------------------------ drift */

err_code rpt_md_drift(FILE *f, const drift_result *d, const binning *b, err *e)
{
    const bin_dim *dim = &b->dim[d->dim];
    fprintf(f, "\n## Drift over time\n\nError rate per %s of `%s`. Each %s is tested against "
               "all earlier ones pooled (two-sided Fisher or chi-square test, "
               "Benjamini-Hochberg over %zu tests); flagged when q < %.2g.\n\n"
               "| %s | rows | errors | error rate [95%% CI] | before | q | |\n"
               "|---|---:|---:|---|---:|---:|---|\n",
            dim->unit, dim->name, dim->unit, d->ntested, d->alpha, dim->unit);
    for (size_t k = 0; k < d->len; k++) {
        const drift_bucket *u = &d->v[k];
        if (!u->n)
            continue;
        char a[32], c[32], q[32];
        fprintf(f, "| %s | %zu | %zu | %s [%.1f–%.1f] | %s | %s | %s |\n",
                dim->bins[u->bin].label, u->n, u->nerr, rm_pct(u->rate, a, sizeof a),
                100 * u->lo, 100 * u->hi, rm_pct(u->rate_before, c, sizeof c),
                rm_pval(u->q, q, sizeof q),
                u->flagged ? (u->worse ? "worse" : "better") : "");
    }
    if (d->first_flagged != DRIFT_NONE)
        fprintf(f, "\nThe error rate first shifts in %s.\n",
                dim->bins[d->v[d->first_flagged].bin].label);
    if (d->nmissing_time)
        fprintf(f, "\n%zu rows have no time and are left out.\n", d->nmissing_time);
    return done(f, e);
}

/* --------------------------------------------------------------------- fairness */

err_code rpt_md_fairness(FILE *f, const fair_result *v, size_t n, const binning *b,
                         const char *const *classes, err *e)
{
    fputs("\n## Fairness\n", f);
    for (size_t i = 0; i < n; i++) {
        const fair_result *r = &v[i];
        const bin_dim *d = &b->dim[r->dim];
        char a[32], c[32], g[32], h[32], k[32];
        fprintf(f, "\n### `%s`\n\n", d->name);
        if (r->has_positive)
            fprintf(f, "Positive class `%s`. Demographic parity: difference %s, ratio %s%s; "
                       "equalised odds difference %s.\n\n",
                    classes[r->positive], rm_num(r->dp_diff, a, sizeof a),
                    rm_num(r->dp_ratio, c, sizeof c),
                    r->four_fifths ? " (below four fifths)" : "",
                    rm_num(r->eo_diff, g, sizeof g));
        else
            fputs("No positive class: error rates only.\n\n", f);
        fputs("| group | rows | selection rate | TPR | FPR | precision | error rate |\n"
              "|---|---:|---:|---:|---:|---:|---:|\n", f);
        for (size_t j = 0; j < r->len; j++) {
            const fair_group *q = &r->v[j];
            if (!q->n)
                continue;
            fputs("| ", f);
            rm_cell(f, d->bins[q->bin].label, 60);
            fprintf(f, " | %zu | %s | %s | %s | %s | %s |\n", q->n,
                    rm_pct(q->selection_rate, a, sizeof a), rm_pct(q->tpr, c, sizeof c),
                    rm_pct(q->fpr, g, sizeof g), rm_pct(q->precision, h, sizeof h),
                    rm_pct(q->error_rate, k, sizeof k));
        }
    }
    return done(f, e);
}

/* ------------------------------------------------------------------ data checks */

static void md_columns(FILE *f, const dc_result *d, const dataset *ds)
{
    bool any = false;
    for (size_t j = 0; j < d->ncols; j++) {
        const dc_column *c = &d->cols[j];
        if (!c->nmissing && !c->constant && !c->noutliers)
            continue;
        if (!any)
            fputs("| column | missing | constant | outliers |\n|---|---:|---|---:|\n", f);
        any = true;
        char a[32];
        fputs("| ", f);
        rm_cell(f, ds->cols[j].name, 60);
        fprintf(f, " | %zu (%s) | %s | %zu |\n", c->nmissing,
                rm_pct(c->missing_share, a, sizeof a), c->constant ? "yes" : "",
                c->noutliers);
    }
    if (!any)
        fputs("No column has missing values, a constant value or outliers.\n", f);
}

static void md_leaks(FILE *f, const dc_result *d, const binning *b)
{
    for (size_t i = 0; i < d->nleak_tested; i++) {
        const dc_leak *l = &d->leak[i];
        char a[32], c[32];
        if (l->leaks_label)
            fprintf(f, "- Leakage hint: `%s` predicts the label with accuracy %s (always the "
                       "most frequent label: %s).\n",
                    b->dim[l->dim].name, rm_pct(l->acc_label, a, sizeof a),
                    rm_pct(l->base_label, c, sizeof c));
        if (l->leaks_error)
            fprintf(f, "- Leakage hint: `%s` predicts whether the model errs with accuracy %s "
                       "(baseline %s).\n",
                    b->dim[l->dim].name, rm_pct(l->acc_error, a, sizeof a),
                    rm_pct(l->base_error, c, sizeof c));
    }
}

err_code rpt_md_data_checks(FILE *f, const dc_result *d, const dataset *ds, const binning *b,
                            const char *const *classes, err *e)
{
    fputs("\n## Data checks\n\n", f);
    md_columns(f, d, ds);
    fputc('\n', f);
    if (d->nfeatures)
        fprintf(f, "- Duplicate rows (all %zu feature columns equal): %zu rows repeat %zu "
                   "distinct rows; %zu of those groups disagree on the label.\n",
                d->nfeatures, d->ndup_rows, d->ndup_groups, d->ndup_conflict);
    if (d->has_id)
        fprintf(f, "- Duplicate ids: %zu ids held by %zu rows; %zu rows without an id.\n",
                d->ndup_ids, d->ndup_id_rows, d->nmissing_ids);
    if (classes && d->smallest != CLASS_NA) {
        char a[32], c[32];
        fprintf(f, "- Class balance: smallest `%s` %s, largest `%s` %s%s.\n",
                classes[d->smallest], rm_pct(d->smallest_share, a, sizeof a),
                classes[d->largest], rm_pct(d->largest_share, c, sizeof c),
                d->imbalanced ? " (imbalanced: a class below 5%)" : "");
    }
    if (b)
        md_leaks(f, d, b);
    if (d->has_label_issues) {
        fprintf(f, "- Label-issue candidates (confident learning): %zu rows", d->nlabel_issue);
        if (d->nlabel_issue) {
            fputs(": ", f);
            row_list(f, &d->label_issue, 20);
        }
        fputs(".\n", f);
    }
    fprintf(f, "- Outlier rows (robust z-score above 3.5 on a numeric feature): %zu",
            d->noutlier);
    if (d->noutlier) {
        fputs(": ", f);
        row_list(f, &d->outlier, 20);
    }
    fputs(".\n", f);
    return done(f, e);
}

/* ------------------------------------------------------------------- categories */

err_code rpt_md_categories(FILE *f, const cat_result *c, const bitmap *sel, err *e)
{
    size_t in[CAT_COUNT];
    if (sel)
        cat_count_in(c, sel, in);
    fprintf(f, "\n## Error categories\n\nThresholds: confident > %g, unsure < %g, margin < %g, "
               "rare class < %g of the labelled rows.\n\n| category | rows |%s\n|---|---:|%s\n",
            c->opts.confident, c->opts.unsure, c->opts.margin, c->opts.rare_share,
            sel ? " in selection |" : "", sel ? "---:|" : "");
    for (int k = 0; k < CAT_COUNT; k++) {
        fprintf(f, "| %s: %s | %zu |", cat_name((cat_kind)k), cat_describe((cat_kind)k),
                c->count[k]);
        if (sel)
            fprintf(f, " %zu |", in[k]);
        fputc('\n', f);
    }
    return done(f, e);
}
