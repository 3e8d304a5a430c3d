/* dc_labels: label-issue candidates by the confident-learning rule (STATISTICS.md): with
 * t_k the mean score of class k over the rows labelled k, a row labelled y is a candidate
 * when p_y < t_y and some other class j has p_j >= t_j. Rows without a label or with a
 * missing score take no part, neither in the thresholds nor as candidates. */
#include "datacheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static err_code thresholds(dc_result *r, const outcome *o, double *p, err *e)
{
    uint32_t k = o->nclass;
    size_t *n = calloc(k, sizeof *n);
    if (!n)
        return err_set(e, E_NOMEM, "out of memory");
    for (uint32_t c = 0; c < k; c++)
        r->class_threshold[c] = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (o->y[i] == CLASS_NA || !out_row_scores(o, i, p))
            continue;
        r->class_threshold[o->y[i]] += p[o->y[i]];
        n[o->y[i]]++;
    }
    for (uint32_t c = 0; c < k; c++)
        r->class_threshold[c] = n[c] ? r->class_threshold[c] / (double)n[c] : NAN;
    free(n);
    return E_OK;
}

static bool is_candidate(const double *t, const double *p, uint32_t k, uint32_t y)
{
    if (isnan(t[y]) || !(p[y] < t[y]))
        return false;
    for (uint32_t j = 0; j < k; j++)
        if (j != y && !isnan(t[j]) && p[j] >= t[j])
            return true;
    return false;
}

err_code dc_label_issues(dc_result *r, const outcome *o, err *e)
{
    free(r->class_threshold);
    r->class_threshold = NULL;
    bm_done(&r->label_issue);
    r->nlabel_issue = 0;
    r->nclass = 0;
    r->has_label_issues = o->y && o->nclass > 1 && out_has_scores(o);
    if (bm_init(&r->label_issue, o->n, false, e) != E_OK)
        return E_NOMEM;
    if (!r->has_label_issues)
        return E_OK;
    uint32_t k = o->nclass;
    r->nclass = k;
    r->class_threshold = malloc(k * sizeof *r->class_threshold);
    double *p = malloc(k * sizeof *p);
    err_code rc = E_OK;
    if (!r->class_threshold || !p)
        rc = err_set(e, E_NOMEM, "out of memory");
    else
        rc = thresholds(r, o, p, e);
    for (size_t i = 0; rc == E_OK && i < o->n; i++) {
        if (o->y[i] == CLASS_NA || !out_row_scores(o, i, p))
            continue;
        if (is_candidate(r->class_threshold, p, k, o->y[i])) {
            bm_set(&r->label_issue, i);
            r->nlabel_issue++;
        }
    }
    free(p);
    return rc;
}
