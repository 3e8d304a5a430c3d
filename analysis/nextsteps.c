/* nextsteps: findings turned into recommendations (see nextsteps.h). Each rule reads one
 * input and adds at most a few steps; ns_build orders them. */
#include "nextsteps.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const char *const KIND_NAME[NS_KIND_COUNT] = {
    "leakage", "compare_slice", "compare",     "drift",     "fairness",    "slice",
    "conjunction", "cluster",   "label_issues", "threshold", "calibration", "duplicates",
};

const char *ns_kind_name(ns_kind k)
{
    return k < NS_KIND_COUNT ? KIND_NAME[k] : "unknown";
}

void ns_input_init(ns_input *in)
{
    memset(in, 0, sizeof *in);
    in->alpha = 0.05;
    in->ece = NAN;
    in->current_threshold = NAN;
}

/* A new step at the end of the list, or NULL when it is full. */
static ns_step *add_step(ns_list *l, ns_kind kind, int level, double size, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static ns_step *add_step(ns_list *l, ns_kind kind, int level, double size, const char *fmt, ...)
{
    if (l->len == NS_MAX_STEPS)
        return NULL;
    ns_step *s = &l->v[l->len++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->level = level;
    s->size = size;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->text, sizeof s->text, fmt, ap);
    va_end(ap);
    return s;
}

static void fig(ns_step *s, const char *name, double v)
{
    if (!s || s->nfig == NS_MAX_FIGURES)
        return;
    snprintf(s->fig[s->nfig].name, sizeof s->fig[s->nfig].name, "%s", name);
    s->fig[s->nfig++].value = v;
}

/* A percentage for text: "12.3%". */
static const char *pct(double v, char *buf, size_t size)
{
    return rm_pct(v, buf, size);
}

/* ---- data checks ---- */

static void leakage(const ns_input *in, ns_list *l)
{
    const dc_result *d = in->dc;
    if (!d || !in->ds)
        return;
    for (size_t i = 0; i < d->nleak_tested; i++) {
        const dc_leak *k = &d->leak[i];
        if (!k->leaks_label && !k->leaks_error)
            continue;
        bool label = k->leaks_label;
        double acc = label ? k->acc_label : k->acc_error;
        double base = label ? k->base_label : k->base_error;
        char a[32], b[32];
        ns_step *s = add_step(l, NS_LEAKAGE, 1, acc,
                              "Check `%s` for leakage: its value alone predicts the %s with %s "
                              "accuracy (always guessing the most common value: %s). A column "
                              "known only after the outcome makes every figure here optimistic.",
                              in->ds->cols[k->col].name, label ? "label" : "model's errors",
                              pct(acc, a, sizeof a), pct(base, b, sizeof b));
        fig(s, "accuracy", acc);
        fig(s, "baseline", base);
    }
}

static void label_issues(const ns_input *in, ns_list *l)
{
    const dc_result *d = in->dc;
    if (!d || !d->has_label_issues || d->nlabel_issue == 0)
        return;
    double share = d->nrows ? (double)d->nlabel_issue / (double)d->nrows : NAN;
    char a[32], b[32];
    ns_step *s = add_step(l, NS_LABEL_ISSUES, 2, share,
                          "Review the %s label-issue candidates (%s of the rows): their given "
                          "label scores below that class's mean while another class scores "
                          "above its own (confident learning); relabel the wrong ones before "
                          "trusting the error figures.",
                          rm_thousands(d->nlabel_issue, a, sizeof a), pct(share, b, sizeof b));
    fig(s, "label_issues", (double)d->nlabel_issue);
    fig(s, "share", share);
}

static void duplicates(const ns_input *in, ns_list *l)
{
    const dc_result *d = in->dc;
    if (!d || (d->ndup_rows == 0 && (!d->has_id || d->ndup_ids == 0)))
        return;
    char a[32], b[200] = "";
    if (d->ndup_rows)
        snprintf(b, sizeof b, "%s rows repeat an earlier row's features (%zu groups, %zu of them "
                              "with conflicting labels)",
                 rm_thousands(d->ndup_rows, a, sizeof a), d->ndup_groups, d->ndup_conflict);
    char c[160] = "";
    if (d->has_id && d->ndup_ids)
        snprintf(c, sizeof c, "%s%zu ids are held by more than one row (%zu rows)",
                 d->ndup_rows ? "; " : "", d->ndup_ids, d->ndup_id_rows);
    ns_step *s = add_step(l, NS_DUPLICATES, 3, (double)(d->ndup_rows + d->ndup_id_rows),
                          "Deduplicate the data: %s%s. Repeated rows weigh twice in every rate "
                          "and can leak between training and test splits.", b, c);
    fig(s, "duplicate_rows", (double)d->ndup_rows);
    fig(s, "duplicate_groups", (double)d->ndup_groups);
    fig(s, "conflicting_groups", (double)d->ndup_conflict);
    if (d->has_id)
        fig(s, "duplicate_ids", (double)d->ndup_ids);
}

/* ---- where the model fails ---- */

static void worst_slice(const ns_input *in, ns_list *l)
{
    const slice_table *t = in->slices;
    if (!t || !in->b)
        return;
    const slice *best = NULL;
    for (size_t i = 0; i < t->len; i++) {
        const slice *s = &t->v[i];
        /* feature columns only; a time bucket is the drift rule's */
        if (in->b->dim[s->dim].col < 0 || in->b->dim[s->dim].restates_outcome ||
            in->b->dim[s->dim].kind == DIM_TIME || s->small ||
            !(s->q < in->alpha) || !(s->lift > 1))
            continue;
        if (!best || s->lift > best->lift)
            best = s;
    }
    if (!best)
        return;
    char desc[256], a[32], b[32], c[32], q[32];
    bin_describe(&in->b->dim[best->dim], best->bin, desc, sizeof desc);
    ns_step *s = add_step(l, NS_SLICE, 2, best->lift,
                          "Collect more data (or a feature that explains it) for `%s`: its error "
                          "rate is %s against %s overall (lift %.2f, q %s) on %s rows.",
                          desc, pct(best->rate, a, sizeof a), pct(t->base_err, b, sizeof b),
                          best->lift, rm_pval(best->q, q, sizeof q),
                          rm_thousands(best->n, c, sizeof c));
    fig(s, "rows", (double)best->n);
    fig(s, "errors", (double)best->nerr);
    fig(s, "error_rate", best->rate);
    fig(s, "base_error_rate", t->base_err);
    fig(s, "lift", best->lift);
    fig(s, "q", best->q);
}

static void conjunction(const ns_input *in, ns_list *l)
{
    const srch_result *r = in->discovered;
    if (!r || !in->b)
        return;
    for (size_t i = 0; i < r->len; i++) {
        const srch_slice *sl = &r->v[i];
        if (sl->npred < 2 || !(sl->q < in->alpha) || !(sl->lift > 1))
            continue;
        char desc[512], a[32], b[32], c[32], g[32], q[32];
        srch_describe(in->b, sl, desc, sizeof desc);
        ns_step *s = add_step(l, NS_CONJUNCTION, 2, sl->lift,
                              "Look into `%s`, the worst combination the slice search found: "
                              "error rate %s against %s (lift %.2f, q %s) on %s rows, %s of "
                              "the errors.",
                              desc, pct(sl->rate, a, sizeof a), pct(r->base_err, b, sizeof b),
                              sl->lift, rm_pval(sl->q, q, sizeof q),
                              rm_thousands(sl->n, c, sizeof c), pct(sl->coverage, g, sizeof g));
        fig(s, "rows", (double)sl->n);
        fig(s, "error_rate", sl->rate);
        fig(s, "lift", sl->lift);
        fig(s, "coverage", sl->coverage);
        fig(s, "q", sl->q);
        return;
    }
}

static int by_share(const void *a, const void *b)
{
    const ns_cluster_tag *x = *(const ns_cluster_tag *const *)a;
    const ns_cluster_tag *y = *(const ns_cluster_tag *const *)b;
    double sx = (double)x->tagged / (double)x->size, sy = (double)y->tagged / (double)y->size;
    if (sx != sy)
        return sx > sy ? -1 : 1;
    if (x->cluster != y->cluster)
        return x->cluster < y->cluster ? -1 : 1;
    return strcmp(x->tag, y->tag);
}

static void cluster_tags(const ns_input *in, ns_list *l)
{
    const ns_cluster_tag *ok[NS_MAX_STEPS];
    size_t n = 0;
    for (size_t i = 0; i < in->ncluster_tags && n < NS_MAX_STEPS; i++) {
        const ns_cluster_tag *c = &in->cluster_tags[i];
        if (c->size && c->tagged >= NS_TAG_MIN &&
            (double)c->tagged / (double)c->size >= NS_TAG_SHARE)
            ok[n++] = c;
    }
    qsort(ok, n, sizeof ok[0], by_share);
    for (size_t i = 0; i < n && i < 3; i++) {
        double share = (double)ok[i]->tagged / (double)ok[i]->size;
        char a[32];
        ns_step *s = add_step(l, NS_CLUSTER, 2, share,
                              "Review cluster %u: %s of its %zu rows are tagged `%s` (%zu rows); "
                              "a theme that reviewers agree on is worth fixing at its source.",
                              ok[i]->cluster + 1, pct(share, a, sizeof a), ok[i]->size,
                              ok[i]->tag, ok[i]->tagged);
        fig(s, "cluster", ok[i]->cluster + 1);
        fig(s, "tagged", (double)ok[i]->tagged);
        fig(s, "size", (double)ok[i]->size);
        fig(s, "share", share);
    }
}

/* ---- comparison ---- */

static void comparison(const ns_input *in, ns_list *l, err *e, err_code *rc)
{
    const cmp_result *c = in->cmp;
    if (!c)
        return;
    const char *b = in->name_b ? in->name_b : "the second model";
    const cmp_counts *k = &c->all;
    if (k->n && k->p < in->alpha && k->fixed != k->new_errors) {
        bool worse = k->new_errors > k->fixed;
        char q[32];
        ns_step *s = add_step(l, NS_COMPARE, worse ? 1 : 2, fabs(k->diff),
                              worse ? "Keep the current model: %s makes %zu new errors and fixes "
                                      "only %zu (McNemar p %s; error rate %.2f%% against %.2f%%)."
                                    : "Prefer %s: it fixes %zu errors and makes only %zu new ones "
                                      "(McNemar p %s; error rate %.2f%% against %.2f%%).",
                              b, worse ? k->new_errors : k->fixed,
                              worse ? k->fixed : k->new_errors, rm_pval(k->p, q, sizeof q),
                              100 * k->rate_b, 100 * k->rate_a);
        fig(s, "fixed", (double)k->fixed);
        fig(s, "new_errors", (double)k->new_errors);
        fig(s, "mcnemar_p", k->p);
        fig(s, "error_rate_a", k->rate_a);
        fig(s, "error_rate_b", k->rate_b);
    }
    if (!c->nregressed || !in->b)
        return;
    size_t *order = malloc(c->len * sizeof *order);
    if (!order) {
        *rc = err_set(e, E_NOMEM, "out of memory");
        return;
    }
    if ((*rc = cmp_order(c, order, e)) != E_OK) {
        free(order);
        return;
    }
    for (size_t i = 0, shown = 0; i < c->len && shown < 3; i++) {
        const cmp_slice *sl = &c->v[order[i]];
        if (!sl->regressed)
            break; /* regressed slices come first */
        char desc[256], q[32];
        bin_describe(&in->b->dim[sl->dim], sl->bin, desc, sizeof desc);
        ns_step *s = add_step(l, NS_COMPARE_SLICE, 1, sl->c.diff,
                              "%s regressed on `%s`: error rate %.2f%% there against %.2f%% "
                              "(+%.1f points, 95%% CI %.1f to %.1f; q %s; %zu new errors, %zu "
                              "fixed).",
                              b, desc, 100 * sl->c.rate_b, 100 * sl->c.rate_a, 100 * sl->c.diff,
                              100 * sl->c.lo, 100 * sl->c.hi, rm_pval(sl->q, q, sizeof q),
                              sl->c.new_errors, sl->c.fixed);
        fig(s, "rows", (double)sl->c.n);
        fig(s, "error_rate_a", sl->c.rate_a);
        fig(s, "error_rate_b", sl->c.rate_b);
        fig(s, "difference", sl->c.diff);
        fig(s, "q", sl->q);
        shown++;
    }
    free(order);
}

/* ---- drift and fairness ---- */

static void drift(const ns_input *in, ns_list *l)
{
    const drift_result *d = in->drift;
    if (!d || !in->b)
        return;
    for (size_t i = 0; i < d->len; i++) {
        const drift_bucket *k = &d->v[i];
        if (!k->flagged || !k->worse)
            continue;
        char q[32];
        const char *label = in->b->dim[d->dim].bins[k->bin].label;
        ns_step *s = add_step(l, NS_DRIFT, 1, k->rate - k->rate_before,
                              "Investigate the drift since %s: the error rate there is %.2f%% "
                              "against %.2f%% in the buckets before (q %s; %zu of %zu tested "
                              "buckets flagged).",
                              label, 100 * k->rate, 100 * k->rate_before,
                              rm_pval(k->q, q, sizeof q), d->nflagged, d->ntested);
        fig(s, "error_rate", k->rate);
        fig(s, "error_rate_before", k->rate_before);
        fig(s, "q", k->q);
        fig(s, "flagged_buckets", (double)d->nflagged);
        return; /* the earliest one: where to start looking */
    }
}

static void fairness(const ns_input *in, ns_list *l)
{
    for (size_t i = 0; in->b && i < in->nfair; i++) {
        const fair_result *r = &in->fair[i];
        if (!r->four_fifths)
            continue;
        const bin_dim *dim = &in->b->dim[r->dim];
        const fair_group *lo = NULL, *hi = NULL;
        for (size_t j = 0; j < r->len; j++) {
            const fair_group *g = &r->v[j];
            if (!g->n || isnan(g->selection_rate))
                continue;
            if (!lo || g->selection_rate < lo->selection_rate)
                lo = g;
            if (!hi || g->selection_rate > hi->selection_rate)
                hi = g;
        }
        if (!lo || !hi)
            continue;
        char a[32], b[32];
        ns_step *s = add_step(l, NS_FAIRNESS, 1, 1 - r->dp_ratio,
                              "Check `%s` for disparate impact: the selection-rate ratio %.2f is "
                              "below four fifths (%s selected in `%s`, %s in `%s`); equalised-"
                              "odds difference %.2f.",
                              dim->name, r->dp_ratio, pct(lo->selection_rate, a, sizeof a),
                              dim->bins[lo->bin].label, pct(hi->selection_rate, b, sizeof b),
                              dim->bins[hi->bin].label, r->eo_diff);
        fig(s, "dp_ratio", r->dp_ratio);
        fig(s, "dp_difference", r->dp_diff);
        fig(s, "eo_difference", r->eo_diff);
    }
}

/* ---- tuning ---- */

/* The sweep point of the current threshold t: predicted positive when score >= t is the
 * point of the smallest swept threshold >= t (the +inf point when none is). */
static const cost_point *point_at(const cost_sweep *s, double t)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->v[i].t >= t)
            return &s->v[i];
    return NULL;
}

static void threshold(const ns_input *in, ns_list *l)
{
    const cost_sweep *s = in->sweep;
    if (!s || !s->n)
        return;
    const cost_point *cur = isnan(in->current_threshold) ? NULL
                                                         : point_at(s, in->current_threshold);
    char from[64];
    if (cur)
        snprintf(from, sizeof from, "from %.4g ", in->current_threshold);
    else
        from[0] = '\0';
    if (s->best_cost != COST_NONE) {
        const cost_point *bp = &s->v[s->best_cost];
        double now = cur ? cur->cost : in->cost ? in->cost->mean : NAN;
        if (!(now > 0) || !(bp->cost <= now * (1 - NS_COST_GAIN)))
            return;
        double cut = 1 - bp->cost / now;
        ns_step *st = add_step(l, NS_THRESHOLD, 3, cut,
                               "Move the threshold %sto %.4g: the expected cost per row falls "
                               "from %.4g to %.4g (%.0f%% less)%s.",
                               from, bp->t, now, bp->cost, 100 * cut,
                               cur ? "" : " than the file's own predictions");
        if (cur)
            fig(st, "current_threshold", in->current_threshold);
        fig(st, "best_threshold", bp->t);
        fig(st, "cost", now);
        fig(st, "best_cost", bp->cost);
        fig(st, "cost_cut", cut);
        return;
    }
    if (!cur || s->best_f1 == COST_NONE)
        return;
    const cost_point *bp = &s->v[s->best_f1];
    if (!(bp->f1 >= cur->f1 + NS_F1_GAIN))
        return;
    ns_step *st = add_step(l, NS_THRESHOLD, 3, bp->f1 - cur->f1,
                           "Move the threshold %sto %.4g: F1 rises from %.3f to %.3f (precision "
                           "%.3f, recall %.3f); give --cost-fp and --cost-fn to choose by cost.",
                           from, bp->t, cur->f1, bp->f1, bp->precision, bp->recall);
    fig(st, "current_threshold", in->current_threshold);
    fig(st, "best_threshold", bp->t);
    fig(st, "f1", cur->f1);
    fig(st, "best_f1", bp->f1);
}

static void calibration(const ns_input *in, ns_list *l)
{
    if (!(in->ece > NS_ECE_MAX))
        return;
    ns_step *s = add_step(l, NS_CALIBRATION, 3, in->ece,
                          "Recalibrate the scores (Platt scaling or isotonic regression on held-"
                          "out data): the expected calibration error is %.3f, above %.2f.",
                          in->ece, NS_ECE_MAX);
    fig(s, "ece", in->ece);
}

/* ---- order and output ---- */

static int by_severity(const void *a, const void *b)
{
    const ns_step *x = a, *y = b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->text, y->text);
}

err_code ns_build(const ns_input *in, ns_list *out, err *e)
{
    out->len = 0;
    err_code rc = E_OK;
    leakage(in, out);
    comparison(in, out, e, &rc);
    if (rc != E_OK)
        return rc;
    drift(in, out);
    fairness(in, out);
    worst_slice(in, out);
    conjunction(in, out);
    cluster_tags(in, out);
    label_issues(in, out);
    threshold(in, out);
    calibration(in, out);
    duplicates(in, out);
    qsort(out->v, out->len, sizeof out->v[0], by_severity);
    return E_OK;
}

err_code ns_write_md(FILE *f, const ns_list *l, err *e)
{
    fputs("\n## Next steps\n\n", f);
    if (l->len == 0)
        fputs("Nothing in this report calls for action by the rules of faultline(1): no "
              "significant slice, drift, disparity, regression or data problem.\n", f);
    for (size_t i = 0; i < l->len; i++)
        fprintf(f, "%zu. %s\n", i + 1, l->v[i].text);
    return ferror(f) ? err_set(e, E_IO, "cannot write the report") : E_OK;
}

err_code ns_write_json(FILE *f, const ns_list *l, err *e)
{
    fputs(",\"next_steps\":[", f);
    for (size_t i = 0; i < l->len; i++) {
        const ns_step *s = &l->v[i];
        bool first = true;
        fputs(i ? ",{" : "{", f);
        rj_kv_str(f, "kind", ns_kind_name(s->kind), &first);
        rj_kv_size(f, "level", (size_t)s->level, &first);
        rj_kv_str(f, "text", s->text, &first);
        rj_key(f, "figures", &first);
        fputc('{', f);
        bool ff = true;
        for (size_t k = 0; k < s->nfig; k++)
            rj_kv_num(f, s->fig[k].name, s->fig[k].value, &ff);
        fputs("}}", f);
    }
    fputc(']', f);
    return ferror(f) ? err_set(e, E_IO, "cannot write the report") : E_OK;
}
