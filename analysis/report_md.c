/* The Markdown report: what a person reads first, in the order they need it: which columns
 * were taken for what, how good the model is overall, where it fails, and its worst rows. */
#include "report.h"
#include "report_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void rpt_opts_init(rpt_opts *o)
{
    o->md_slices = 25;
    o->min_support = 30;
    o->alpha = 0.05;
}

/* 1234567 -> "1,234,567". */
static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

void rpt_roles_sentence(const rpt_input *in, char *buf, size_t size)
{
    const dataset *ds = in->ds;
    const roles *r = in->r;
    buf[0] = '\0';
    append(buf, size, "label `%s`", ds->cols[r->label].name);
    if (r->pred >= 0)
        append(buf, size, ", prediction `%s`", ds->cols[r->pred].name);
    else
        append(buf, size, ", prediction: the arg-max of the scores");
    if (r->score_desc[0])
        append(buf, size, ", scores %s", r->score_desc);
    if (r->id >= 0)
        append(buf, size, ", id `%s`", ds->cols[r->id].name);
    for (size_t i = 0; i < ds->ncols; i++)
        if (ds->cols[i].role == ROLE_TEXT)
            append(buf, size, ", text `%s`", ds->cols[i].name);
    if (r->time >= 0)
        append(buf, size, ", time `%s`", ds->cols[r->time].name);
}

static void md_header(FILE *f, const rpt_input *in)
{
    const dataset *ds = in->ds;
    const roles *r = in->r;
    char roles_text[1024], a[32];
    rpt_roles_sentence(in, roles_text, sizeof roles_text);
    fprintf(f, "# faultline report: %s\n\n", ds->source);
    fprintf(f, "- Roles: %s.\n", roles_text);
    fprintf(f, "- Task: %s", task_name(r->task));
    if (r->task == TASK_BINARY)
        fprintf(f, ", positive class `%s`", r->classes[r->positive]);
    if (r->nclass) {
        fprintf(f, "; classes:");
        for (uint32_t k = 0; k < r->nclass && k < 40; k++)
            fprintf(f, " `%s`", r->classes[k]);
        if (r->nclass > 40)
            fprintf(f, " … (%u in all)", r->nclass);
    }
    fprintf(f, ".\n- %s rows, %zu columns.\n", rm_thousands(ds->nrows, a, sizeof a), ds->ncols);
    if (in->nfilters) {
        fprintf(f, "- Filter: ");
        for (size_t i = 0; i < in->nfilters; i++) {
            fprintf(f, "%s`` ", i ? " && " : ""); /* double backquotes: names may hold one */
            rm_cell(f, in->filters[i], 400);
            fputs(" ``", f);
        }
        fprintf(f, " selects %s rows; every figure below is about them.\n",
                rm_thousands(in->nselected, a, sizeof a));
    }
    if (in->o->nunknown)
        fprintf(f, "- %s row%s no label or prediction and %s not evaluated.\n",
                rm_thousands(in->o->nunknown, a, sizeof a), in->o->nunknown == 1 ? " has" : "s have",
                in->o->nunknown == 1 ? "is" : "are");
    if (in->o->nloss_missing && out_has_scores(in->o))
        fprintf(f, "- %s evaluated row%s missing scores: no loss for %s.\n",
                rm_thousands(in->o->nloss_missing, a, sizeof a),
                in->o->nloss_missing == 1 ? " has" : "s have",
                in->o->nloss_missing == 1 ? "it" : "them");
    if (r->task == TASK_REGRESSION)
        fprintf(f, "- A row fails when its absolute error exceeds %.6g%s.\n", in->o->fail_above,
                isnan(r->fail_above) ? " (the 90th percentile of absolute error)" : "");
}

static void md_columns(FILE *f, const dataset *ds)
{
    char a[32], b[32];
    fprintf(f, "\n## Columns\n\n| column | type | role | missing | bad |\n|---|---|---|---:|---:|\n");
    for (size_t i = 0; i < ds->ncols; i++) {
        const column *c = &ds->cols[i];
        fputs("| ", f);
        rm_cell(f, c->name, 80);
        fprintf(f, " | %s | %s | %s | %s |\n", col_type_name(c->type), col_role_name(c->role),
                rm_thousands(c->nmissing, a, sizeof a), rm_thousands(c->nbad, b, sizeof b));
    }
    for (size_t i = 0; i < ds->ncols; i++) {
        const column *c = &ds->cols[i];
        if (!c->nbad)
            continue;
        fprintf(f, "\n> Column `%s`: %s cell%s did not parse as %s and %s stored as missing "
                   "(first at line %zu: `",
                c->name, rm_thousands(c->nbad, a, sizeof a), c->nbad == 1 ? "" : "s",
                col_type_name(c->type), c->nbad == 1 ? "is" : "are", c->first_bad_line);
        rm_cell(f, c->bad_example ? c->bad_example : "", 40);
        fputs("`).\n", f);
    }
}

static void md_metrics(FILE *f, const rpt_input *in)
{
    const metrics *m = in->m;
    char a[32], b[32], c[32];
    fprintf(f, "\n## Headline metrics\n\n| metric | value |\n|---|---:|\n");
    fprintf(f, "| rows evaluated | %s |\n| errors | %s |\n", rm_thousands(m->n, a, sizeof a),
            rm_thousands(m->nerr, b, sizeof b));
    double lo, hi;
    st_wilson(m->nerr, m->n, &lo, &hi);
    fprintf(f, "| error rate [95%% CI] | %s [%.1f–%.1f] |\n", rm_pct(m->error_rate, c, sizeof c),
            100 * lo, 100 * hi);
    if (in->r->task == TASK_REGRESSION) {
        fprintf(f, "| MAE | %s |\n| RMSE | %s |\n", rm_num(m->mae, a, sizeof a), rm_num(m->rmse, b, sizeof b));
        fprintf(f, "| R² | %s |\n| median absolute error | %s |\n", rm_num(m->r2, a, sizeof a),
                rm_num(m->median_ae, b, sizeof b));
        fprintf(f, "| fails above (absolute error) | %s |\n", rm_num(m->fail_above, a, sizeof a));
        return;
    }
    fprintf(f, "| accuracy | %s |\n| macro F1 | %s |\n", rm_num(m->accuracy, a, sizeof a),
            rm_num(m->macro_f1, b, sizeof b));
    fprintf(f, "| weighted F1 | %s |\n", rm_num(m->weighted_f1, a, sizeof a));
    if (in->r->task == TASK_BINARY)
        fprintf(f, "| ROC AUC | %s |\n", rm_num(m->roc_auc, a, sizeof a));
    if (m->nscored)
        fprintf(f, "| Brier score | %s |\n| log loss | %s |\n| ECE | %s |\n| MCE | %s |\n",
                rm_num(m->brier, a, sizeof a), rm_num(m->log_loss, b, sizeof b),
                rm_num(m->ece, c, sizeof c), rm_num(m->mce, c + 16, sizeof c - 16));
}

static void md_confusion(FILE *f, const rpt_input *in)
{
    const metrics *m = in->m;
    uint32_t k = in->r->nclass;
    fprintf(f, "\n## Confusion matrix\n\nRows are the true class, columns the prediction.\n\n| true \\ predicted |");
    for (uint32_t p = 0; p < k; p++) {
        fputc(' ', f);
        rm_cell(f, in->r->classes[p], 24);
        fputs(" |", f);
    }
    fputs("\n|---|", f);
    for (uint32_t p = 0; p < k; p++)
        fputs("---:|", f);
    fputc('\n', f);
    for (uint32_t t = 0; t < k; t++) {
        fputs("| ", f);
        rm_cell(f, in->r->classes[t], 24);
        fputs(" |", f);
        for (uint32_t p = 0; p < k; p++)
            fprintf(f, t == p ? " **%zu** |" : " %zu |", m->confusion[t * k + p]);
        fputc('\n', f);
    }
    char a[32], b[32], c[32];
    fprintf(f, "\n## Per class\n\n| class | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n");
    for (uint32_t i = 0; i < k; i++) {
        fputs("| ", f);
        rm_cell(f, in->r->classes[i], 40);
        fprintf(f, " | %s | %s | %s | %zu |\n", rm_num(m->per_class[i].precision, a, sizeof a),
                rm_num(m->per_class[i].recall, b, sizeof b), rm_num(m->per_class[i].f1, c, sizeof c),
                m->per_class[i].support);
    }
}

static void md_calibration(FILE *f, const rpt_input *in)
{
    const metrics *m = in->m;
    if (!m->nscored)
        return;
    char a[32], b[32];
    fprintf(f, "\n## Calibration\n\nTop-class score in 10 equal-width bins; a calibrated model "
               "has accuracy close to confidence in every bin.\n\n"
               "| confidence | rows | accuracy | mean confidence | gap |\n|---|---:|---:|---:|---:|\n");
    for (int i = 0; i < MET_NBINS; i++) {
        const met_bin *bn = &m->bins[i];
        fprintf(f, "| %s%.1f, %.1f] | %zu | %s | %s | %s |\n", i ? "(" : "[", bn->lo, bn->hi,
                bn->n, rm_num(bn->accuracy, a, sizeof a), rm_num(bn->confidence, b, sizeof b),
                bn->n ? (fabs(bn->accuracy - bn->confidence) >= 0.1 ? "**large**" : "") : "");
    }
}

static err_code md_slices(FILE *f, const rpt_input *in, const rpt_opts *opt, err *e)
{
    const slice_table *t = in->slices;
    size_t *order = malloc((t->len ? t->len : 1) * sizeof *order);
    if (!order || slc_order_by_q(t, order) != E_OK) {
        free(order);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t nsig = 0, nworse = 0;
    for (size_t i = 0; i < t->len; i++) {
        bool sig = t->v[i].n && t->v[i].q < opt->alpha;
        nsig += sig;
        nworse += sig && t->v[i].lift > 1;
    }
    char a[32], b[32], c[32], d[32], g[32];
    fprintf(f, "\n## Slices\n\n%s slices tested against the rest of the rows (two-sided Fisher or "
               "chi-square test, Benjamini-Hochberg q-values); %zu differ significantly at "
               "q < %.2g, %zu of them with more errors than the rest. Those are listed here, most "
               "significant first; lift = slice error rate / overall error rate (%s).\n\n",
            rm_thousands(t->ntested, a, sizeof a), nsig, opt->alpha, nworse,
            rm_pct(t->base_err, b, sizeof b));
    fprintf(f, "| slice | rows | errors | error rate [95%% CI] | lift | coverage | p | q | |\n"
               "|---|---:|---:|---|---:|---:|---:|---:|---|\n");
    size_t shown = 0;
    for (size_t i = 0; i < t->len && shown < opt->md_slices; i++) {
        const slice *s = &t->v[order[i]];
        if (s->n == 0 || !(s->q < opt->alpha) || !(s->lift > 1))
            continue;
        char desc[256];
        bin_describe(&in->b->dim[s->dim], s->bin, desc, sizeof desc);
        fputs("| ", f);
        rm_cell(f, desc, 80);
        fprintf(f, " | %s | %s | %s [%.1f–%.1f] | %.2f | %s | %s | %s | %s |\n",
                rm_thousands(s->n, a, sizeof a), rm_thousands(s->nerr, b, sizeof b),
                rm_pct(s->rate, c, sizeof c), 100 * s->lo, 100 * s->hi, s->lift,
                rm_pct(s->coverage, d, sizeof d), rm_pval(s->p, g, sizeof g),
                rm_pval(s->q, g + 16, sizeof g - 16), s->small ? "small" : "");
        shown++;
    }
    if (shown == 0)
        fprintf(f, "| no slice fails significantly more often than the rest | | | | | | | | |\n");
    if (nsig > shown)
        fprintf(f, "\nThe JSON report (`--format json`) lists every slice, including %zu more "
                   "significant ones.\n",
                nsig - shown);
    free(order);
    return E_OK;
}

static void md_discovered(FILE *f, const rpt_input *in)
{
    const srch_result *s = in->discovered;
    if (!s)
        return;
    char a[32], b[32], c[32], g[32];
    if (s->rank == SRCH_SLICELINE)
        fprintf(f, "\n## Discovered slices\n\nThe %zu conjunctions of up to %u conditions with "
                   "the highest Sliceline score (at least %s rows each; %s slices evaluated).\n\n",
                s->len, s->levels, rm_thousands(s->min_support, a, sizeof a),
                rm_thousands(s->nevaluated, b, sizeof b));
    else
        fprintf(f, "\n## Discovered slices\n\nConjunctions of up to %u conditions whose error "
                   "rate is significantly above the rest (one-sided hypergeometric test, "
                   "Benjamini-Hochberg over all %s slices with at least %s rows, q < 0.05), a "
                   "refinement only when it is significantly worse than its parent; ordered by "
                   "the lower bound of the lift.\n\n",
                s->levels, rm_thousands(s->nevaluated, b, sizeof b),
                rm_thousands(s->min_support, a, sizeof a));
    if (s->len == 0) {
        fprintf(f, "No slice qualifies.\n");
        return;
    }
    fprintf(f, "| slice | rows | errors | error rate [95%% CI] | lift | coverage | %s |\n"
               "|---|---:|---:|---|---:|---:|---:|\n",
            s->rank == SRCH_SLICELINE ? "score" : "q");
    for (size_t i = 0; i < s->len; i++) {
        const srch_slice *sl = &s->v[i];
        char desc[512];
        srch_describe(in->b, sl, desc, sizeof desc);
        fputs("| ", f);
        rm_cell(f, desc, 160);
        fprintf(f, " | %s | %s | %s [%.1f–%.1f] | %.2f | %s | ", rm_thousands(sl->n, a, sizeof a),
                rm_thousands(sl->nerr, b, sizeof b), rm_pct(sl->rate, c, sizeof c), 100 * sl->ci_lo,
                100 * sl->ci_hi, sl->lift, rm_pct(sl->coverage, g, sizeof g));
        if (s->rank == SRCH_SLICELINE)
            fprintf(f, "%.4f |\n", sl->score);
        else
            fprintf(f, "%s |\n", rm_pval(sl->q, a, sizeof a));
    }
}

static void md_ranking(FILE *f, const rpt_input *in)
{
    if (!in->rank || in->rank->len == 0)
        return;
    fprintf(f, "\n## Which columns matter\n\nMutual information between each column's bins and "
               "whether the row is an error (bits), and Cramér's V; the columns that explain "
               "most of the errors come first.\n\n| column | mutual information | Cramér's V |\n"
               "|---|---:|---:|\n");
    for (size_t i = 0; i < in->rank->len && i < 15; i++) {
        const rank_entry *r = &in->rank->v[i];
        fputs("| ", f);
        rm_cell(f, in->b->dim[r->dim].name, 60);
        fprintf(f, " | %.4f | %.3f |\n", r->mi, r->cramers_v);
    }
}

static void md_heatmap(FILE *f, const rpt_input *in, const rpt_opts *opt)
{
    const heatmap *hm = in->hm;
    if (!hm || !hm->valid)
        return;
    fprintf(f, "\n## Heatmap: %s × %s\n\nError rate per cell (rows in parentheses); cells with "
               "fewer than %zu rows are in italics.\n\n| %s \\ %s |",
            in->b->dim[hm->y.dim].name, in->b->dim[hm->x.dim].name, opt->min_support,
            in->b->dim[hm->y.dim].name, in->b->dim[hm->x.dim].name);
    for (uint32_t xi = 0; xi < hm->x.nbins; xi++) {
        fputc(' ', f);
        rm_cell(f, hm->x.bins[xi].label, 24);
        fputs(" |", f);
    }
    fputs("\n|---|", f);
    for (uint32_t xi = 0; xi < hm->x.nbins; xi++)
        fputs("---:|", f);
    fputc('\n', f);
    for (uint32_t yi = 0; yi < hm->y.nbins; yi++) {
        fputs("| ", f);
        rm_cell(f, hm->y.bins[yi].label, 24);
        fputs(" |", f);
        for (uint32_t xi = 0; xi < hm->x.nbins; xi++) {
            const hm_cell *c = &hm->cells[yi * hm->x.nbins + xi];
            char a[32];
            if (c->n == 0)
                fputs(" · |", f);
            else if (c->small)
                fprintf(f, " *%s (%zu)* |", rm_pct(c->rate, a, sizeof a), c->n);
            else
                fprintf(f, " %s (%zu) |", rm_pct(c->rate, a, sizeof a), c->n);
        }
        fputc('\n', f);
    }
}

static void md_worst(FILE *f, const rpt_input *in)
{
    const dataset *ds = in->ds;
    const outcome *o = in->o;
    int text = -1;
    for (size_t i = 0; i < ds->ncols && text < 0; i++)
        if (ds->cols[i].role == ROLE_TEXT)
            text = (int)i;
    fprintf(f, "\n## Worst errors\n\nThe %zu error%s with the highest loss (%s).\n\n",
            in->worst->len, in->worst->len == 1 ? "" : "s",
            o->task == TASK_REGRESSION ? "absolute error" : "-ln p(true class)");
    if (in->worst->len == 0)
        return;
    fprintf(f, "| row | id | label | prediction | confidence | loss |%s\n|---:|---|---|---|---:|---:|%s\n",
            text >= 0 ? " text |" : "", text >= 0 ? "---|" : "");
    for (size_t i = 0; i < in->worst->len; i++) {
        uint32_t row = in->worst->row[i];
        char buf[512], a[32], b[32];
        fprintf(f, "| %u | ", row + 1);
        rm_cell(f, in->r->id >= 0 ? ds_cell_text(ds, in->r->id, row, buf, sizeof buf) : "", 40);
        if (o->task == TASK_REGRESSION) {
            fprintf(f, " | %.6g | %.6g | – | %s |", o->ytrue[row], o->ypred[row],
                    rm_num(o->loss[row], a, sizeof a));
        } else {
            fputs(" | ", f);
            rm_cell(f, o->classes[o->y[row]], 30);
            fputs(" | ", f);
            rm_cell(f, o->classes[o->yhat[row]], 30);
            fprintf(f, " | %s | %s |", rm_num(o->conf[row], a, sizeof a), rm_num(o->loss[row], b, sizeof b));
        }
        if (text >= 0) {
            fputc(' ', f);
            rm_cell(f, ds_cell_text(ds, text, row, buf, sizeof buf), 80);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
}

/* "spam → ham (41), ham → spam (3)" */
static void md_confusions(FILE *f, const rpt_input *in, const clu_cluster *c)
{
    for (unsigned t = 0; t < c->ntop; t++) {
        if (t)
            fputs(", ", f);
        rm_cell(f, in->o->classes[c->top[t].y], 30);
        fputs(" → ", f);
        rm_cell(f, in->o->classes[c->top[t].yhat], 30);
        fprintf(f, " (%zu)", c->top[t].count);
    }
    if (c->ntop == 0)
        fputs("–", f);
}

static void md_clusters(FILE *f, const rpt_input *in)
{
    const clu_result *cr = in->clusters;
    if (!cr)
        return;
    const dataset *ds = in->ds;
    char a[32], b[32];
    fprintf(f, "\n## Clusters\n\n");
    if (cr->k == 0) {
        fprintf(f, "No clusters: %s.\n", cr->note[0] ? cr->note : "nothing to cluster");
        return;
    }
    fprintf(f, "%zu %s of the selection in %u clusters by %s", cr->nrows - cr->nunclustered,
            cr->all_rows ? "rows" : "errors", cr->k,
            cr->method == CLU_METHOD_TEXT ? "their text (" : clu_method_name(cr->method));
    if (cr->method == CLU_METHOD_TEXT)
        fprintf(f, "%s, %zu terms)", ds->cols[cr->source_col].name, cr->nfeatures);
    else
        fprintf(f, " features (%zu dimensions)", cr->nfeatures);
    fprintf(f, "; k = %u %s, mean silhouette %s, seed %lu. Keywords are what is most "
               "over-represented in the cluster against the %zu correctly predicted rows "
               "(z of the log-odds ratio).",
            cr->k, cr->k_chosen ? "chosen by silhouette" : "as asked",
            rm_num(cr->silhouette, a, sizeof a), cr->seed, cr->nreference);
    if (cr->nunclustered)
        fprintf(f, " %zu rows with nothing to cluster on (empty text) are left out.",
                cr->nunclustered);
    fprintf(f, "\n\n| # | rows | errors | share of errors |%s top confusions | keywords |\n"
               "|---:|---:|---:|---:|%s---|---|\n",
            cr->all_rows ? " error rate |" : "", cr->all_rows ? "---:|" : "");
    for (unsigned i = 0; i < cr->k; i++) {
        const clu_cluster *c = &cr->c[i];
        fprintf(f, "| %u | %zu | %zu | %s |", i + 1, c->size, c->errors,
                rm_pct(c->error_share, a, sizeof a));
        if (cr->all_rows)
            fprintf(f, " %s |", rm_pct(c->error_rate, b, sizeof b));
        fputc(' ', f);
        md_confusions(f, in, c);
        fputs(" | ", f);
        for (unsigned t = 0; t < c->nkw; t++) {
            if (t)
                fputs(", ", f);
            rm_cell(f, c->kw[t].text, 60);
        }
        if (c->nkw == 0)
            fputs("–", f);
        fputs(" |\n", f);
    }
    int text = cr->method == CLU_METHOD_TEXT ? cr->source_col : -1;
    fprintf(f, "\nRepresentative rows (nearest each cluster's centre):\n\n");
    for (unsigned i = 0; i < cr->k; i++) {
        const clu_cluster *c = &cr->c[i];
        for (unsigned j = 0; j < c->nrep; j++) {
            uint32_t row = c->rep[j];
            char buf[512];
            fprintf(f, "- cluster %u, row %u", i + 1, row + 1);
            if (in->r->id >= 0)
                fprintf(f, " (%s)", ds_cell_text(ds, in->r->id, row, buf, sizeof buf));
            if (text >= 0) {
                fputs(": ", f);
                rm_cell(f, ds_cell_text(ds, text, row, buf, sizeof buf), 100);
            }
            fputc('\n', f);
        }
    }
}

err_code rpt_markdown(FILE *f, const rpt_input *in, const rpt_opts *opt, err *e)
{
    md_header(f, in);
    md_columns(f, in->ds);
    md_metrics(f, in);
    if (in->r->task != TASK_REGRESSION) {
        md_confusion(f, in);
        md_calibration(f, in);
    }
    err_code rc = md_slices(f, in, opt, e);
    if (rc != E_OK)
        return rc;
    md_discovered(f, in);
    md_ranking(f, in);
    md_heatmap(f, in, opt);
    md_clusters(f, in);
    rpt_md_tags(f, in);
    if ((rc = rpt_md_decisions(f, in, opt, e)) != E_OK)
        return rc;
    md_worst(f, in);
    if (fflush(f) != 0 || ferror(f))
        return err_set(e, E_IO, "cannot write the report");
    return E_OK;
}
