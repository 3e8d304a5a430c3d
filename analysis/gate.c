/* gate: --fail-if conditions over report figures (see gate.h). */
#include "gate.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tagview.h"

static void add(gate_figure *out, size_t max, size_t *n, const char *name, double v)
{
    if (*n < max) {
        snprintf(out[*n].name, sizeof out[*n].name, "%s", name);
        out[*n].value = v;
    }
    (*n)++;
}

/* Per-column slices of feature columns that are significant and not small. */
static void slice_figures(const rpt_input *in, gate_figure *out, size_t max, size_t *n)
{
    double best = NAN;
    size_t count = 0;
    for (size_t i = 0; in->slices && i < in->slices->len; i++) {
        const slice *s = &in->slices->v[i];
        if (in->b->dim[s->dim].col < 0 || in->b->dim[s->dim].restates_outcome || s->small ||
            !(s->q < 0.05) || !(s->lift > 1))
            continue;
        count++;
        if (isnan(best) || s->lift > best)
            best = s->lift;
    }
    add(out, max, n, "significant_slices", (double)count);
    add(out, max, n, "max_slice_lift", count ? best : 1.0);
}

/* The decision sections' figures (issue 7), each only when its section was computed. */
static void decision_figures(const rpt_input *in, gate_figure *out, size_t max, size_t *n)
{
    if (in->compare) {
        const cmp_counts *c = &in->compare->all;
        add(out, max, n, "both_right", (double)c->both_right);
        add(out, max, n, "fixed", (double)c->fixed);
        add(out, max, n, "new_errors", (double)c->new_errors);
        add(out, max, n, "both_wrong", (double)c->both_wrong);
        add(out, max, n, "mcnemar_p", c->p);
        add(out, max, n, "error_rate_b", c->rate_b);
        add(out, max, n, "regressed_slices", (double)in->compare->nregressed);
    }
    if (in->cost)
        add(out, max, n, "expected_cost", in->cost->mean);
    if (in->sweep) {
        const cost_sweep *s = in->sweep;
        /* the cheapest threshold with costs, else the one with the best F1 */
        size_t best = s->best_cost != COST_NONE ? s->best_cost : s->best_f1;
        add(out, max, n, "best_threshold", best != COST_NONE ? s->v[best].t : NAN);
        add(out, max, n, "best_f1", s->best_f1 != COST_NONE ? s->v[s->best_f1].f1 : NAN);
        add(out, max, n, "best_cost",
            s->best_cost != COST_NONE ? s->v[s->best_cost].cost : NAN);
    }
    if (in->selective && !isnan(in->selective->target)) {
        const cost_selective *s = in->selective;
        /* no threshold reaching the target keeps nothing: coverage 0 */
        add(out, max, n, "coverage_at_target",
            s->at_target != COST_NONE ? s->v[s->at_target].coverage : 0.0);
    }
    if (in->drift)
        add(out, max, n, "drift_flags", (double)in->drift->nflagged);
    if (in->fairness && in->nfairness) {
        double dp_diff = NAN, dp_ratio = NAN, eo = NAN;
        size_t flags = 0;
        for (size_t i = 0; i < in->nfairness; i++) { /* the worst protected column */
            const fair_result *f = &in->fairness[i];
            if (!isnan(f->dp_diff) && !(f->dp_diff <= dp_diff))
                dp_diff = f->dp_diff;
            if (!isnan(f->dp_ratio) && !(f->dp_ratio >= dp_ratio))
                dp_ratio = f->dp_ratio;
            if (!isnan(f->eo_diff) && !(f->eo_diff <= eo))
                eo = f->eo_diff;
            flags += f->four_fifths;
        }
        add(out, max, n, "dp_difference", dp_diff);
        add(out, max, n, "dp_ratio", dp_ratio);
        add(out, max, n, "eo_difference", eo);
        add(out, max, n, "four_fifths_flags", (double)flags);
    }
    if (in->checks) {
        const dc_result *d = in->checks;
        add(out, max, n, "label_issues", d->has_label_issues ? (double)d->nlabel_issue : NAN);
        add(out, max, n, "duplicate_rows", (double)d->ndup_rows);
        add(out, max, n, "duplicate_ids", d->has_id ? (double)d->ndup_ids : NAN);
        add(out, max, n, "leakage_hints", (double)d->nleaks);
        add(out, max, n, "constant_columns", (double)d->nconstant);
        add(out, max, n, "outlier_rows", (double)d->noutlier);
    }
    if (in->categories) {
        size_t cnt[CAT_COUNT];
        cat_count_in(in->categories, in->sel, cnt);
        for (int k = 0; k < CAT_COUNT; k++)
            add(out, max, n, cat_name((cat_kind)k), (double)cnt[k]);
    }
}

size_t gate_figures(const rpt_input *in, gate_figure *out, size_t max)
{
    size_t n = 0;
    const metrics *m = in->m;
    add(out, max, &n, "rows", (double)in->ds->nrows);
    add(out, max, &n, "selected", (double)in->nselected);
    add(out, max, &n, "evaluated", (double)m->n);
    add(out, max, &n, "errors", (double)m->nerr);
    add(out, max, &n, "error_rate", m->error_rate);
    if (in->r->task == TASK_REGRESSION) {
        add(out, max, &n, "mae", m->mae);
        add(out, max, &n, "rmse", m->rmse);
        add(out, max, &n, "r2", m->r2);
        add(out, max, &n, "median_ae", m->median_ae);
    } else {
        add(out, max, &n, "accuracy", m->accuracy);
        add(out, max, &n, "macro_f1", m->macro_f1);
        add(out, max, &n, "weighted_f1", m->weighted_f1);
        add(out, max, &n, "roc_auc", m->roc_auc);
        add(out, max, &n, "brier", m->brier);
        add(out, max, &n, "log_loss", m->log_loss);
        add(out, max, &n, "ece", m->ece);
        add(out, max, &n, "mce", m->mce);
    }
    slice_figures(in, out, max, &n);
    if (in->discovered) {
        double best = NAN;
        for (size_t i = 0; i < in->discovered->len; i++)
            if (isnan(best) || in->discovered->v[i].lift > best)
                best = in->discovered->v[i].lift;
        add(out, max, &n, "discovered_slices", (double)in->discovered->len);
        add(out, max, &n, "max_discovered_lift", in->discovered->len ? best : 1.0);
    }
    if (in->clusters) {
        double share = 0;
        for (unsigned c = 0; c < in->clusters->k; c++)
            if (in->clusters->c[c].error_share > share)
                share = in->clusters->c[c].error_share;
        add(out, max, &n, "clusters", (double)in->clusters->k);
        add(out, max, &n, "largest_cluster_share", share);
    }
    if (in->tags) {
        add(out, max, &n, "tagged_rows", (double)tg_count_rows(in->tags));
        for (size_t k = 0; k < tg_ntags(in->tags); k++) {
            char name[80];
            snprintf(name, sizeof name, "tag_%s", tg_tag_name(in->tags, k));
            for (char *p = name; *p; p++)
                if (*p == '-')
                    *p = '_';
            add(out, max, &n, name, (double)tg_tag_count(in->tags, (int)k));
        }
    }
    decision_figures(in, out, max, &n);
    return n < max ? n : max;
}

typedef enum { G_LT, G_LE, G_GT, G_GE, G_EQ, G_NE } gate_op;

static const char *const OP_TEXT[] = {"<", "<=", ">", ">=", "==", "!="};

static bool holds(gate_op op, double a, double b)
{
    switch (op) {
    case G_LT: return a < b;
    case G_LE: return a <= b;
    case G_GT: return a > b;
    case G_GE: return a >= b;
    case G_EQ: return a == b;
    default: return a != b;
    }
}

static void list_names(const gate_figure *fig, size_t nfig, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nfig && used + 1 < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", fig[i].name);
}

err_code gate_check(const char *cond, const gate_figure *fig, size_t nfig, bool *failed,
                    char *what, size_t size, err *e)
{
    *failed = false;
    const char *p = cond;
    while (isspace((unsigned char)*p))
        p++;
    const char *name = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    size_t nlen = (size_t)(p - name);
    while (isspace((unsigned char)*p))
        p++;
    /* two-character operators first, so that "<=" is not read as "<" */
    static const gate_op TRY[] = {G_LE, G_GE, G_EQ, G_NE, G_LT, G_GT};
    int op = -1;
    for (size_t k = 0; k < sizeof TRY / sizeof TRY[0] && op < 0; k++) {
        size_t l = strlen(OP_TEXT[TRY[k]]);
        if (strncmp(p, OP_TEXT[TRY[k]], l) == 0) {
            op = (int)TRY[k];
            p += l;
        }
    }
    char *end = NULL;
    double limit = op >= 0 ? strtod(p, &end) : NAN;
    if (end)
        while (isspace((unsigned char)*end))
            end++;
    if (nlen == 0 || op < 0 || !end || end == p || *end)
        return err_set(e, E_USAGE, "--fail-if '%s': write FIGURE OP NUMBER, as in "
                                   "'error_rate > 0.1' (OP: < <= > >= == !=)", cond);
    char names[4096];
    for (size_t i = 0; i < nfig; i++) {
        if (strlen(fig[i].name) != nlen || strncmp(fig[i].name, name, nlen) != 0)
            continue;
        if (isnan(fig[i].value))
            return err_set(e, E_USAGE, "--fail-if '%s': %s is not available for this file",
                           cond, fig[i].name);
        *failed = holds((gate_op)op, fig[i].value, limit);
        snprintf(what, size, "%s = %.6g %s %.6g", fig[i].name, fig[i].value, OP_TEXT[op], limit);
        return E_OK;
    }
    list_names(fig, nfig, names, sizeof names);
    return err_set(e, E_USAGE, "--fail-if '%s': unknown figure '%.*s'; the figures are %s", cond,
                   (int)nlen, name, names);
}
