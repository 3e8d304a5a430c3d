/* report_nextsteps: the decision sections of the report (comparison, costs, thresholds,
 * selective prediction, drift, fairness, data checks, categories) in both formats, and the
 * next steps built from the whole report input. */
#include <math.h>
#include <stdlib.h>

#include "nextsteps.h"
#include "report.h"
#include "report_decisions.h"
#include "report_int.h"

/* Per cluster and tag, the cluster's rows that hold the tag: the journal's tagged rows looked
 * up in each cluster's sorted rows. *out is malloc'd (free it); E_NOMEM. */
static err_code cluster_tag_counts(const rpt_input *in, ns_cluster_tag **out, size_t *nout,
                                   err *e)
{
    *out = NULL;
    *nout = 0;
    const clu_result *c = in->clusters;
    const tag_state *t = in->tags;
    if (!c || !t || c->k == 0 || tg_ntags(t) == 0)
        return E_OK;
    size_t nt = tg_ntags(t);
    ns_cluster_tag *v = calloc((size_t)c->k * nt, sizeof *v);
    if (!v)
        return err_set(e, E_NOMEM, "out of memory");
    for (unsigned k = 0; k < c->k; k++)
        for (size_t j = 0; j < nt; j++) {
            v[k * nt + j].cluster = k;
            v[k * nt + j].tag = tg_tag_name(t, j);
            v[k * nt + j].size = c->c[k].size;
        }
    for (size_t i = 0; i < tg_count_rows(t); i++) {
        const tg_row *r = tg_row_at(t, i);
        if (!r->mask)
            continue;
        for (unsigned k = 0; k < c->k; k++) {
            const uint32_t *rows = c->c[k].rows;
            size_t lo = 0, hi = c->c[k].size;
            while (lo < hi) { /* rows are increasing */
                size_t mid = lo + (hi - lo) / 2;
                if (rows[mid] < r->row)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == c->c[k].size || rows[lo] != r->row)
                continue;
            for (size_t j = 0; j < nt; j++)
                if (r->mask >> j & 1u)
                    v[k * nt + j].tagged++;
        }
    }
    *out = v;
    *nout = (size_t)c->k * nt;
    return E_OK;
}

static err_code next_steps(const rpt_input *in, ns_list *l, err *e)
{
    ns_input ni;
    ns_input_init(&ni);
    ni.b = in->b;
    ni.ds = in->ds;
    ni.slices = in->slices;
    ni.discovered = in->discovered;
    if (in->r->task != TASK_REGRESSION)
        ni.ece = in->m->ece;
    ni.sweep = in->sweep;
    ni.current_threshold = in->current_threshold;
    ni.cost = in->cost;
    ni.drift = in->drift;
    ni.fair = in->fairness;
    ni.nfair = in->nfairness;
    ni.dc = in->checks;
    ni.cmp = in->compare;
    ni.name_b = in->compare_b;
    ns_cluster_tag *ct;
    err_code rc = cluster_tag_counts(in, &ct, &ni.ncluster_tags, e);
    if (rc != E_OK)
        return rc;
    ni.cluster_tags = ct;
    rc = ns_build(&ni, l, e);
    free(ct);
    return rc;
}

static const char *const *class_names(const rpt_input *in)
{
    return in->r->nclass ? (const char *const *)in->r->classes : NULL;
}

/* The steps are built from the same input for both formats. */
static err_code write_next_steps(FILE *f, const rpt_input *in, bool json, err *e)
{
    ns_list *l = malloc(sizeof *l); /* 32 steps of a few hundred bytes: not on the stack */
    if (!l)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = next_steps(in, l, e);
    if (rc == E_OK)
        rc = json ? ns_write_json(f, l, e) : ns_write_md(f, l, e);
    free(l);
    return rc;
}

err_code rpt_md_decisions(FILE *f, const rpt_input *in, const rpt_opts *opt, err *e)
{
    err_code rc = E_OK;
    const char *const *cls = class_names(in);
    if (in->compare)
        rc = rpt_md_compare(f, in->compare, in->b, in->compare_a ? in->compare_a : "FILE",
                            in->compare_b ? in->compare_b : "OTHER", opt->md_slices, e);
    if (rc == E_OK && in->cost && in->cost_matrix)
        rc = rpt_md_costs(f, in->cost, in->cost_matrix, cls, in->b, 10, e);
    if (rc == E_OK && in->sweep)
        rc = rpt_md_thresholds(f, in->sweep, in->current_threshold, e);
    if (rc == E_OK && in->selective)
        rc = rpt_md_selective(f, in->selective, e);
    if (rc == E_OK && in->drift)
        rc = rpt_md_drift(f, in->drift, in->b, e);
    if (rc == E_OK && in->fairness && in->nfairness)
        rc = rpt_md_fairness(f, in->fairness, in->nfairness, in->b, cls, e);
    if (rc == E_OK && in->checks)
        rc = rpt_md_data_checks(f, in->checks, in->ds, in->b, cls, e);
    if (rc == E_OK && in->categories) {
        rc = rpt_md_categories(f, in->categories, in->sel, e);
        if (rc == E_OK && in->category_slices)
            rc = rpt_md_category_slices(f, in->category_slices, e);
    }
    if (rc == E_OK && in->next_steps)
        rc = write_next_steps(f, in, false, e);
    return rc;
}

err_code rpt_json_decisions(FILE *f, const rpt_input *in, err *e)
{
    err_code rc = E_OK;
    const char *const *cls = class_names(in);
    if (in->compare)
        rc = rpt_json_compare(f, in->compare, in->b, e);
    if (rc == E_OK && in->cost && in->cost_matrix)
        rc = rpt_json_costs(f, in->cost, in->cost_matrix, cls, in->b, e);
    if (rc == E_OK && in->sweep)
        rc = rpt_json_thresholds(f, in->sweep, e);
    if (rc == E_OK && in->selective)
        rc = rpt_json_selective(f, in->selective, e);
    if (rc == E_OK && in->drift)
        rc = rpt_json_drift(f, in->drift, in->b, e);
    if (rc == E_OK && in->fairness && in->nfairness)
        rc = rpt_json_fairness(f, in->fairness, in->nfairness, in->b, cls, e);
    if (rc == E_OK && in->checks)
        rc = rpt_json_data_checks(f, in->checks, in->ds, in->b, cls, e);
    if (rc == E_OK && in->categories) {
        rc = rpt_json_categories(f, in->categories, in->sel, e);
        if (rc == E_OK && in->category_slices)
            rc = rpt_json_category_slices(f, in->category_slices, e);
    }
    if (rc == E_OK && in->next_steps)
        rc = write_next_steps(f, in, true, e);
    return rc;
}
