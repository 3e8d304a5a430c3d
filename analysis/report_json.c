/* The JSON report: one object, keys as the report contract in the manual. NAN -> null. */
#include "report.h"
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_columns(FILE *f, const dataset *ds)
{
    fputs("\"columns\":[", f);
    for (size_t i = 0; i < ds->ncols; i++) {
        const column *c = &ds->cols[i];
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "name", c->name, &first);
        rj_kv_str(f, "type", col_type_name(c->type), &first);
        rj_kv_str(f, "role", col_role_name(c->role), &first);
        rj_kv_size(f, "missing", c->nmissing, &first);
        rj_kv_size(f, "bad", c->nbad, &first);
        if (c->nbad) {
            rj_kv_size(f, "first_bad_line", c->first_bad_line, &first);
            rj_kv_str(f, "bad_example", c->bad_example, &first);
        }
        if (c->dict)
            rj_kv_size(f, "distinct", sd_count(c->dict), &first);
        fputc('}', f);
    }
    fputs("]", f);
}

static void write_metrics(FILE *f, const rpt_input *in)
{
    const metrics *m = in->m;
    bool first = true;
    fputs("\"metrics\":{", f);
    rj_kv_size(f, "evaluated", m->n, &first);
    rj_kv_size(f, "errors", m->nerr, &first);
    rj_kv_size(f, "not_evaluated", m->nunknown, &first);
    rj_kv_num(f, "accuracy", m->accuracy, &first);
    rj_kv_num(f, "error_rate", m->error_rate, &first);
    if (in->r->task == TASK_REGRESSION) {
        rj_kv_num(f, "mae", m->mae, &first);
        rj_kv_num(f, "rmse", m->rmse, &first);
        rj_kv_num(f, "r2", m->r2, &first);
        rj_kv_num(f, "median_ae", m->median_ae, &first);
        rj_kv_num(f, "fail_above", m->fail_above, &first);
    } else {
        rj_kv_num(f, "macro_f1", m->macro_f1, &first);
        rj_kv_num(f, "weighted_f1", m->weighted_f1, &first);
        rj_kv_num(f, "roc_auc", m->roc_auc, &first);
        rj_kv_num(f, "brier", m->brier, &first);
        rj_kv_num(f, "log_loss", m->log_loss, &first);
        rj_kv_num(f, "ece", m->ece, &first);
        rj_kv_num(f, "mce", m->mce, &first);
        rj_kv_size(f, "scored", m->nscored, &first);
    }
    fputs("}", f);
}

static void write_classification(FILE *f, const rpt_input *in)
{
    const metrics *m = in->m;
    uint32_t k = in->r->nclass;
    fputs(",\"confusion\":{\"labels\":[", f);
    for (uint32_t i = 0; i < k; i++) {
        if (i)
            fputc(',', f);
        rj_str(f, in->r->classes[i]);
    }
    fputs("],\"matrix\":[", f);
    for (uint32_t t = 0; t < k; t++) {
        fputs(t ? ",[" : "[", f);
        for (uint32_t p = 0; p < k; p++)
            fprintf(f, "%s%zu", p ? "," : "", m->confusion[t * k + p]);
        fputc(']', f);
    }
    fputs("]},\"per_class\":[", f);
    for (uint32_t i = 0; i < k; i++) {
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "class", in->r->classes[i], &first);
        rj_kv_num(f, "precision", m->per_class[i].precision, &first);
        rj_kv_num(f, "recall", m->per_class[i].recall, &first);
        rj_kv_num(f, "f1", m->per_class[i].f1, &first);
        rj_kv_size(f, "support", m->per_class[i].support, &first);
        fputc('}', f);
    }
    fputs("],\"calibration\":[", f);
    for (int i = 0; i < MET_NBINS && m->nscored; i++) {
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_num(f, "lo", m->bins[i].lo, &first);
        rj_kv_num(f, "hi", m->bins[i].hi, &first);
        rj_kv_size(f, "n", m->bins[i].n, &first);
        rj_kv_num(f, "accuracy", m->bins[i].accuracy, &first);
        rj_kv_num(f, "confidence", m->bins[i].confidence, &first);
        fputc('}', f);
    }
    fputs("]", f);
}

static void write_slice(FILE *f, const rpt_input *in, const slice *s)
{
    const bin_dim *d = &in->b->dim[s->dim];
    const bin_def *bd = &d->bins[s->bin];
    bool first = true;
    fputc('{', f);
    rj_kv_str(f, "column", d->name, &first);
    rj_kv_str(f, "kind", d->kind == DIM_TOKENS ? "tokens" : d->kind == DIM_TIME ? "time" : d->col < 0 ? "derived" : "column", &first);
    if (bd->kind == BIN_RANGE || bd->kind == BIN_PERIOD) {
        rj_kv_num(f, "lo", bd->lo, &first);
        rj_kv_num(f, "hi", bd->hi, &first);
        rj_kv_str(f, "label", bd->label, &first);
    } else if (bd->kind == BIN_VALUE) {
        rj_kv_num(f, "value", bd->value, &first);
        rj_kv_str(f, "label", bd->label, &first);
    } else {
        rj_kv_str(f, "value", bd->label, &first);
    }
    rj_kv_size(f, "n", s->n, &first);
    rj_kv_size(f, "errors", s->nerr, &first);
    rj_kv_num(f, "error_rate", s->rate, &first);
    rj_kv_num(f, "ci_lo", s->lo, &first);
    rj_kv_num(f, "ci_hi", s->hi, &first);
    rj_kv_num(f, "lift", s->lift, &first);
    rj_kv_num(f, "coverage", s->coverage, &first);
    rj_kv_num(f, "p_value", s->p, &first);
    rj_kv_num(f, "q_value", s->q, &first);
    rj_kv_bool(f, "small", s->small, &first);
    fputc('}', f);
}

static err_code write_slices(FILE *f, const rpt_input *in, err *e)
{
    const slice_table *t = in->slices;
    size_t *order = malloc((t->len ? t->len : 1) * sizeof *order);
    if (!order || slc_order_by_q(t, order) != E_OK) {
        free(order);
        return err_set(e, E_NOMEM, "out of memory");
    }
    fputs(",\"slices\":[", f);
    bool first = true;
    for (size_t i = 0; i < t->len; i++) {
        const slice *s = &t->v[order[i]];
        if (s->n == 0)
            continue;
        if (!first)
            fputc(',', f);
        first = false;
        write_slice(f, in, s);
    }
    fputs("]", f);
    free(order);
    return E_OK;
}

/* One condition of a discovered slice: {"column","op","value"} or {"column","op","lo","hi"}. */
static void write_predicate(FILE *f, const rpt_input *in, const srch_pred *pr)
{
    const bin_dim *d = &in->b->dim[pr->dim];
    const bin_def *bd = &d->bins[pr->bin];
    bool first = true;
    fputc('{', f);
    rj_kv_str(f, "column", d->name, &first);
    switch (bd->kind) {
    case BIN_RANGE:
    case BIN_PERIOD:
        rj_kv_str(f, "op", d->kind == DIM_TOKENS ? "tokens_in" : "in", &first);
        rj_kv_num(f, "lo", bd->lo, &first);
        rj_kv_num(f, "hi", bd->hi, &first);
        rj_kv_bool(f, "lo_closed", bd->kind == BIN_PERIOD || bd->lo_closed, &first);
        rj_key(f, "hi_closed", &first);
        fputs(bd->kind == BIN_PERIOD ? "false" : "true", f);
        break;
    case BIN_VALUE:
        rj_kv_str(f, "op", d->kind == DIM_TOKENS ? "tokens_eq" : "==", &first);
        rj_kv_num(f, "value", bd->value, &first);
        break;
    case BIN_MISSING:
        rj_kv_str(f, "op", "missing", &first);
        break;
    case BIN_LEVEL:
    case BIN_OTHER:
        rj_kv_str(f, "op", bd->kind == BIN_OTHER ? "other" : "==", &first);
        rj_kv_str(f, "value", bd->label, &first);
        break;
    }
    rj_kv_str(f, "label", bd->label, &first);
    fputc('}', f);
}

static void write_discovered(FILE *f, const rpt_input *in)
{
    const srch_result *s = in->discovered;
    if (!s)
        return;
    fprintf(f, ",\"search\":{\"rank\":\"%s\",\"levels\":%u,\"min_support\":%zu,"
               "\"evaluated\":%zu}",
            s->rank == SRCH_SLICELINE ? "sliceline" : "significance", s->levels, s->min_support,
            s->nevaluated);
    fputs(",\"discovered\":[", f);
    for (size_t i = 0; i < s->len; i++) {
        const srch_slice *sl = &s->v[i];
        bool first = true;
        char desc[512];
        fputs(i ? ",{" : "{", f);
        rj_key(f, "predicates", &first);
        fputc('[', f);
        for (unsigned k = 0; k < sl->npred; k++) {
            if (k)
                fputc(',', f);
            write_predicate(f, in, &sl->pred[k]);
        }
        fputc(']', f);
        srch_describe(in->b, sl, desc, sizeof desc);
        rj_kv_str(f, "description", desc, &first);
        rj_kv_size(f, "n", sl->n, &first);
        rj_kv_size(f, "errors", sl->nerr, &first);
        rj_kv_num(f, "error_rate", sl->rate, &first);
        rj_kv_num(f, "ci_lo", sl->ci_lo, &first);
        rj_kv_num(f, "ci_hi", sl->ci_hi, &first);
        rj_kv_num(f, "lift", sl->lift, &first);
        rj_kv_num(f, "lift_lo", sl->lift_lo, &first);
        rj_kv_num(f, "coverage", sl->coverage, &first);
        rj_kv_num(f, "score", sl->score, &first);
        rj_kv_num(f, "p_value", sl->p, &first);
        rj_kv_num(f, "q_value", sl->q, &first);
        fputc('}', f);
    }
    fputs("]", f);
}

static void write_ranking(FILE *f, const rpt_input *in)
{
    if (!in->rank)
        return;
    fputs(",\"column_ranking\":[", f);
    for (size_t i = 0; i < in->rank->len; i++) {
        const rank_entry *r = &in->rank->v[i];
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "column", in->b->dim[r->dim].name, &first);
        rj_kv_num(f, "mutual_info", r->mi, &first);
        rj_kv_num(f, "cramers_v", r->cramers_v, &first);
        rj_kv_size(f, "bins", r->nbins, &first);
        fputc('}', f);
    }
    fputs("]", f);
}

static void write_axis(FILE *f, const char *name, const hm_axis *ax)
{
    fprintf(f, ",\"%s\":[", name);
    for (uint32_t i = 0; i < ax->nbins; i++) {
        const hm_bin *hb = &ax->bins[i];
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "label", hb->label, &first);
        if (hb->kind == HM_RANGE) {
            rj_kv_num(f, "lo", hb->lo, &first);
            rj_kv_num(f, "hi", hb->hi, &first);
        }
        fputc('}', f);
    }
    fputc(']', f);
}

static void write_heatmap(FILE *f, const rpt_input *in)
{
    const heatmap *hm = in->hm;
    if (!hm || !hm->valid)
        return;
    bool first = true;
    fputs(",\"heatmap\":{", f);
    rj_kv_str(f, "x", in->b->dim[hm->x.dim].name, &first);
    rj_kv_str(f, "y", in->b->dim[hm->y.dim].name, &first);
    rj_kv_str(f, "bins", hm->x.equal_width || hm->y.equal_width ? "equal-width" : "quantile",
           &first);
    write_axis(f, "x_bins", &hm->x);
    write_axis(f, "y_bins", &hm->y);
    fputs(",\"cells\":[", f);
    for (uint32_t yi = 0; yi < hm->y.nbins; yi++) {
        fputs(yi ? ",[" : "[", f);
        for (uint32_t xi = 0; xi < hm->x.nbins; xi++) {
            const hm_cell *c = &hm->cells[yi * hm->x.nbins + xi];
            bool cf = true;
            fputs(xi ? ",{" : "{", f);
            rj_kv_size(f, "n", c->n, &cf);
            rj_kv_size(f, "errors", c->nerr, &cf);
            rj_kv_num(f, "error_rate", c->rate, &cf);
            rj_kv_num(f, "ci_lo", c->lo, &cf);
            rj_kv_num(f, "ci_hi", c->hi, &cf);
            rj_kv_num(f, "coverage", c->coverage, &cf);
            rj_kv_bool(f, "small", c->small, &cf);
            fputc('}', f);
        }
        fputc(']', f);
    }
    fputs("]}", f);
}

static void write_worst(FILE *f, const rpt_input *in)
{
    const dataset *ds = in->ds;
    const outcome *o = in->o;
    fputs(",\"worst\":[", f);
    for (size_t i = 0; i < in->worst->len; i++) {
        uint32_t row = in->worst->row[i];
        bool first = true;
        char buf[512];
        fputs(i ? ",{" : "{", f);
        rj_kv_size(f, "row", (size_t)row + 1, &first);
        if (in->r->id >= 0)
            rj_kv_str(f, "id", ds_cell_text(ds, in->r->id, row, buf, sizeof buf), &first);
        else
            rj_kv_str(f, "id", NULL, &first);
        if (o->task == TASK_REGRESSION) {
            rj_kv_num(f, "label", o->ytrue[row], &first);
            rj_kv_num(f, "prediction", o->ypred[row], &first);
            rj_kv_num(f, "confidence", NAN, &first);
        } else {
            rj_kv_str(f, "label", o->classes[o->y[row]], &first);
            rj_kv_str(f, "prediction", o->classes[o->yhat[row]], &first);
            rj_kv_num(f, "confidence", o->conf[row], &first);
        }
        rj_kv_num(f, "loss", o->loss[row], &first);
        fputc('}', f);
    }
    fputs("]", f);
}

static void write_cluster(FILE *f, const rpt_input *in, const clu_cluster *c, bool all_rows)
{
    bool first = true;
    fputc('{', f);
    rj_kv_size(f, "size", c->size, &first);
    rj_kv_size(f, "errors", c->errors, &first);
    rj_kv_num(f, "error_share", c->error_share, &first);
    if (all_rows)
        rj_kv_num(f, "error_rate", c->error_rate, &first);
    rj_key(f, "top_confusions", &first);
    fputc('[', f);
    for (unsigned t = 0; t < c->ntop; t++) {
        bool f2 = true;
        fputs(t ? ",{" : "{", f);
        rj_kv_str(f, "label", in->o->classes[c->top[t].y], &f2);
        rj_kv_str(f, "pred", in->o->classes[c->top[t].yhat], &f2);
        rj_kv_size(f, "count", c->top[t].count, &f2);
        fputc('}', f);
    }
    fputc(']', f);
    rj_key(f, "keywords", &first);
    fputc('[', f);
    for (unsigned t = 0; t < c->nkw; t++) {
        bool f2 = true;
        fputs(t ? ",{" : "{", f);
        rj_kv_str(f, "term", c->kw[t].text, &f2);
        rj_kv_num(f, "score", c->kw[t].score, &f2);
        rj_kv_num(f, "count", c->kw[t].count, &f2);
        fputc('}', f);
    }
    fputc(']', f);
    rj_key(f, "representatives", &first);
    fputc('[', f);
    for (unsigned j = 0; j < c->nrep; j++)
        fprintf(f, j ? ",%u" : "%u", c->rep[j] + 1);
    fputs("]}", f);
}

/* "clustering" (how) and "clusters" (what). */
static void write_clusters(FILE *f, const rpt_input *in)
{
    const clu_result *cr = in->clusters;
    if (!cr)
        return;
    bool first = true;
    fputs(",\"clustering\":{", f);
    rj_kv_str(f, "method", clu_method_name(cr->method), &first);
    rj_kv_str(f, "column", cr->source_col >= 0 ? in->ds->cols[cr->source_col].name : NULL, &first);
    rj_kv_str(f, "scope", cr->all_rows ? "all" : "errors", &first);
    rj_kv_size(f, "k", cr->k, &first);
    rj_kv_bool(f, "k_chosen", cr->k_chosen, &first);
    rj_kv_size(f, "seed", cr->seed, &first);
    rj_kv_num(f, "silhouette", cr->silhouette, &first);
    if (cr->k_chosen) {
        rj_key(f, "silhouette_by_k", &first);
        fputc('{', f);
        bool f2 = true;
        for (unsigned k = CLU_K_MIN; k <= CLU_K_MAX; k++) {
            if (isnan(cr->sil_by_k[k]))
                continue;
            char name[8];
            snprintf(name, sizeof name, "%u", k);
            rj_kv_num(f, name, cr->sil_by_k[k], &f2);
        }
        fputc('}', f);
    }
    rj_kv_size(f, "rows", cr->nrows, &first);
    rj_kv_size(f, "unclustered", cr->nunclustered, &first);
    rj_kv_size(f, "features", cr->nfeatures, &first);
    rj_kv_size(f, "reference_rows", cr->nreference, &first);
    rj_kv_str(f, "note", cr->note[0] ? cr->note : NULL, &first);
    fputs("},\"clusters\":[", f);
    for (unsigned i = 0; i < cr->k; i++) {
        if (i)
            fputc(',', f);
        write_cluster(f, in, &cr->c[i], cr->all_rows);
    }
    fputc(']', f);
}

err_code rpt_json(FILE *f, const rpt_input *in, const rpt_opts *opt, err *e)
{
    (void)opt;
    const roles *r = in->r;
    bool first = true;
    fputc('{', f);
    rj_kv_str(f, "file", in->ds->source, &first);
    rj_kv_size(f, "rows", in->ds->nrows, &first);
    rj_key(f, "filter", &first);
    fputc('[', f);
    for (size_t i = 0; i < in->nfilters; i++) {
        if (i)
            fputc(',', f);
        rj_str(f, in->filters[i]);
    }
    fputc(']', f);
    rj_kv_size(f, "selected", in->nselected, &first);
    rj_kv_str(f, "task", task_name(r->task), &first);
    rj_key(f, "classes", &first);
    fputc('[', f);
    for (uint32_t k = 0; k < r->nclass; k++) {
        if (k)
            fputc(',', f);
        rj_str(f, r->classes[k]);
    }
    fputc(']', f);
    rj_kv_str(f, "positive", r->task == TASK_BINARY ? r->classes[r->positive] : NULL, &first);
    char roles_text[1024];
    rpt_roles_sentence(in, roles_text, sizeof roles_text);
    rj_kv_str(f, "roles", roles_text, &first);
    fputc(',', f);
    write_columns(f, in->ds);
    fputc(',', f);
    write_metrics(f, in);
    if (r->task != TASK_REGRESSION)
        write_classification(f, in);
    err_code rc = write_slices(f, in, e);
    if (rc != E_OK)
        return rc;
    write_discovered(f, in);
    write_ranking(f, in);
    write_heatmap(f, in);
    write_clusters(f, in);
    rpt_json_tags(f, in);
    if ((rc = rpt_json_decisions(f, in, e)) != E_OK)
        return rc;
    write_worst(f, in);
    fputs("}\n", f);
    if (fflush(f) != 0 || ferror(f))
        return err_set(e, E_IO, "cannot write the report");
    return E_OK;
}
