/* categories: see categories.h. */
#include "categories.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cat_opts_init(cat_opts *o)
{
    o->confident = 0.8;
    o->unsure = 0.6;
    o->margin = 0.1;
    o->rare_share = 0.05;
}

/* Difference between the two largest class scores of row i; NAN when a score is missing or
 * there are fewer than two classes. */
static double row_margin(const outcome *o, size_t i, double *p)
{
    if (o->nclass < 2 || !out_row_scores(o, i, p))
        return NAN;
    double a = -INFINITY, b = -INFINITY;
    for (uint32_t k = 0; k < o->nclass; k++) {
        if (p[k] > a) {
            b = a;
            a = p[k];
        } else if (p[k] > b) {
            b = p[k];
        }
    }
    return a - b;
}

/* rare[k]: class k holds fewer than share of the labelled rows (and at least one). */
static err_code rare_classes(const outcome *o, double share, bool **rare, err *e)
{
    size_t *cnt = calloc(o->nclass ? o->nclass : 1, sizeof *cnt), total = 0;
    *rare = calloc(o->nclass ? o->nclass : 1, sizeof **rare);
    if (!cnt || !*rare) {
        free(cnt);
        free(*rare);
        *rare = NULL;
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < o->n; i++)
        if (o->y[i] != CLASS_NA) {
            cnt[o->y[i]]++;
            total++;
        }
    for (uint32_t k = 0; k < o->nclass; k++)
        (*rare)[k] = cnt[k] && (double)cnt[k] < share * (double)total;
    free(cnt);
    return E_OK;
}

static uint8_t classify_row(const outcome *o, size_t i, const cat_opts *opt, const bool *rare,
                            double *p)
{
    uint8_t bits = 0;
    bool wrong = o->err[i] == OUT_ERROR;
    double conf = o->conf[i];
    if (!isnan(conf)) {
        if (wrong && conf > opt->confident)
            bits |= CAT_BIT(CAT_CONF_WRONG);
        if (conf < opt->unsure)
            bits |= CAT_BIT(CAT_UNSURE);
    }
    if (row_margin(o, i, p) < opt->margin) /* false for NAN */
        bits |= CAT_BIT(CAT_BOUNDARY);
    if (wrong && rare[o->y[i]])
        bits |= CAT_BIT(CAT_RARE_ERROR);
    return bits;
}

err_code cat_compute(cat_result *r, const outcome *o, const bitmap *outliers,
                     const cat_opts *opt, err *e)
{
    memset(r, 0, sizeof *r);
    cat_opts def;
    if (!opt) {
        cat_opts_init(&def);
        opt = &def;
    }
    if (outliers && outliers->nbits != o->n)
        return err_set(e, E_RANGE, "the outlier bitmap must cover every row");
    r->n = o->n;
    r->opts = *opt;
    r->bits = calloc(o->n ? o->n : 1, 1);
    if (!r->bits)
        return err_set(e, E_NOMEM, "out of memory");
    if (o->task != TASK_REGRESSION && o->y && o->conf) {
        bool *rare = NULL;
        double *p = malloc((o->nclass ? o->nclass : 1) * sizeof *p);
        if (!p || rare_classes(o, opt->rare_share, &rare, e) != E_OK) {
            free(p);
            cat_done(r);
            return err_set(e, E_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < o->n; i++)
            r->bits[i] = classify_row(o, i, opt, rare, p);
        free(rare);
        free(p);
    }
    if (outliers)
        for (size_t i = bm_next(outliers, 0); i < o->n; i = bm_next(outliers, i + 1))
            r->bits[i] |= CAT_BIT(CAT_OUTLIER);
    cat_count_in(r, NULL, r->count);
    return E_OK;
}

void cat_done(cat_result *r)
{
    free(r->bits);
    memset(r, 0, sizeof *r);
}

err_code cat_bitmap(const cat_result *r, cat_kind k, bitmap *out, err *e)
{
    if (bm_init(out, r->n, false, e) != E_OK)
        return E_NOMEM;
    for (size_t i = 0; i < r->n; i++)
        if (r->bits[i] & CAT_BIT(k))
            bm_set(out, i);
    return E_OK;
}

void cat_count_in(const cat_result *r, const bitmap *sel, size_t counts[CAT_COUNT])
{
    for (int k = 0; k < CAT_COUNT; k++)
        counts[k] = 0;
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < r->n; i = sel ? bm_next(sel, i + 1) : i + 1)
        for (int k = 0; k < CAT_COUNT; k++)
            counts[k] += (r->bits[i] >> k) & 1u;
}

const char *cat_name(cat_kind k)
{
    static const char *const names[CAT_COUNT] = {"confidently_wrong", "unsure", "boundary",
                                                 "rare_class_error", "outlier"};
    return (unsigned)k < CAT_COUNT ? names[k] : "?";
}

const char *cat_describe(cat_kind k)
{
    static const char *const text[CAT_COUNT] = {
        "errors made with confidence above the threshold",
        "predictions with confidence below the threshold",
        "rows whose two largest class scores are close",
        "errors on a class with few labelled rows",
        "rows with an extreme value in a numeric feature (robust z-score)"};
    return (unsigned)k < CAT_COUNT ? text[k] : "?";
}
