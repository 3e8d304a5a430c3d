/* fairness: per-group rates and the parity figures on a file worked out by hand (fairlearn's
 * definitions: demographic_parity_difference / _ratio, equalized_odds_difference). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fairness.h"
#include "fl_pipeline.h"

/* g = m (rows 1-10): 5 positives (TP 4, FN 1), 5 negatives (FP 1, TN 4).
 * g = f (rows 11-20): 5 positives (TP 2, FN 3), 5 negatives (FP 0, TN 5).
 * rows 21-22: g missing, positives predicted negative. */
static void file(char *csv, size_t size)
{
    /* outcome per row: TP, FN, FP, TN counts in order */
    static const char *m[10] = {"TP", "TP", "TP", "TP", "FN", "FP", "TN", "TN", "TN", "TN"};
    static const char *f[10] = {"TP", "TP", "FN", "FN", "FN", "TN", "TN", "TN", "TN", "TN"};
    size_t len = (size_t)snprintf(csv, size, "g,label,prediction\n");
    for (int i = 0; i < 22; i++) {
        const char *o = i < 10 ? m[i] : i < 20 ? f[i - 10] : "FN";
        bool pos = o[1] == 'P' ? o[0] == 'T' : o[0] == 'F'; /* TP, FN are positives */
        bool pred = o[1] == 'P';
        len += (size_t)snprintf(csv + len, size - len, "%s,%s,%s\n",
                                i < 10 ? "m" : i < 20 ? "f" : "", pos ? "yes" : "no",
                                pred ? "yes" : "no");
    }
}

static const fair_group *group(const fair_result *r, const binning *b, const char *label)
{
    const bin_dim *d = &b->dim[r->dim];
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(d->bins[r->v[i].bin].label, label) == 0)
            return &r->v[i];
    cr_assert_fail("no group %s", label);
    return NULL;
}

Test(fair, parity_figures_by_hand)
{
    char csv[2048];
    file(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    uint32_t dim;
    err e = {0};
    cr_assert_eq(fair_find_dim(&f.b, ds_col_find(f.ds, "g"), &dim, &e), E_OK, "%s", e.msg);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 22, false, NULL), E_OK);
    for (size_t i = 0; i < 20; i++)
        bm_set(&sel, i);
    fair_result r;
    cr_assert_eq(fair_compute(&r, &f.o, &f.b, dim, CLASS_NA, &sel, &e), E_OK, "%s", e.msg);
    cr_expect(r.has_positive);
    cr_expect_eq(r.ngroups, 2);
    const fair_group *m = group(&r, &f.b, "m"), *w = group(&r, &f.b, "f");
    /* m: selection 5/10, TPR 4/5, FPR 1/5, precision 4/5, error 2/10 */
    cr_expect_float_eq(m->selection_rate, 0.5, 1e-15);
    cr_expect_float_eq(m->tpr, 0.8, 1e-15);
    cr_expect_float_eq(m->fpr, 0.2, 1e-15);
    cr_expect_float_eq(m->precision, 0.8, 1e-15);
    cr_expect_float_eq(m->error_rate, 0.2, 1e-15);
    /* f: selection 2/10, TPR 2/5, FPR 0/5, precision 2/2, error 3/10 */
    cr_expect_float_eq(w->selection_rate, 0.2, 1e-15);
    cr_expect_float_eq(w->tpr, 0.4, 1e-15);
    cr_expect_float_eq(w->fpr, 0.0, 1e-15);
    cr_expect_float_eq(w->precision, 1.0, 1e-15);
    cr_expect_float_eq(w->error_rate, 0.3, 1e-15);
    /* DP difference 0.5 - 0.2; ratio 0.2 / 0.5 = 0.4 < 0.8; EO = max(0.8 - 0.4, 0.2 - 0) */
    cr_expect_float_eq(r.dp_diff, 0.3, 1e-15);
    cr_expect_float_eq(r.dp_ratio, 0.4, 1e-15);
    cr_expect(r.four_fifths);
    cr_expect_float_eq(r.tpr_diff, 0.4, 1e-15);
    cr_expect_float_eq(r.fpr_diff, 0.2, 1e-15);
    cr_expect_float_eq(r.eo_diff, 0.4, 1e-15);
    cr_expect_float_eq(r.error_diff, 0.1, 1e-15);
    fair_done(&r);
    /* every row: the missing group (2 positives, both missed) selects nobody: ratio 0,
     * TPR spread 0.8 - 0; its FPR and precision are undefined and left out */
    cr_assert_eq(fair_compute(&r, &f.o, &f.b, dim, CLASS_NA, NULL, NULL), E_OK);
    cr_expect_eq(r.ngroups, 3);
    const fair_group *x = &r.v[r.len - 1];
    cr_expect_eq(x->n, 2);
    cr_expect(isnan(x->fpr) && isnan(x->precision));
    cr_expect_float_eq(r.dp_diff, 0.5, 1e-15);
    cr_expect_float_eq(r.dp_ratio, 0.0, 1e-15);
    cr_expect_float_eq(r.eo_diff, 0.8, 1e-15);
    fair_done(&r);
    /* an empty selection: no groups, figures NAN, no flag */
    bm_fill(&sel, false);
    cr_assert_eq(fair_compute(&r, &f.o, &f.b, dim, CLASS_NA, &sel, NULL), E_OK);
    cr_expect_eq(r.ngroups, 0);
    cr_expect(isnan(r.dp_diff) && isnan(r.dp_ratio) && isnan(r.eo_diff));
    cr_expect(!r.four_fifths);
    fair_done(&r);
    bm_done(&sel);
    fl_pipeline_done(&f);
}

Test(fair, multiclass_error_rates_or_one_against_rest)
{
    /* g = u: a->a, b->c, c->c (1 error of 3); g = v: a->b, b->b (1 of 2) */
    fl_pipeline f;
    fl_pipeline_str(&f, "g,label,prediction\nu,a,a\nu,b,c\nu,c,c\nv,a,b\nv,b,b\n");
    uint32_t dim;
    cr_assert_eq(fair_find_dim(&f.b, 0, &dim, NULL), E_OK);
    fair_result r;
    cr_assert_eq(fair_compute(&r, &f.o, &f.b, dim, CLASS_NA, NULL, NULL), E_OK);
    cr_expect(!r.has_positive);
    cr_expect(isnan(r.dp_diff) && isnan(r.v[0].selection_rate));
    cr_expect_float_eq(r.error_diff, 0.5 - 1.0 / 3.0, 1e-15);
    fair_done(&r);
    /* positive = b: u selects 0 of 3 (TPR 0/1, FPR 0/2), v selects 2 of 2 (TPR 1/1, FPR 1/1) */
    uint32_t b = 1;
    cr_assert_str_eq(f.r.classes[b], "b");
    cr_assert_eq(fair_compute(&r, &f.o, &f.b, dim, b, NULL, NULL), E_OK);
    cr_expect_float_eq(r.dp_diff, 1.0, 1e-15);
    cr_expect_float_eq(r.dp_ratio, 0.0, 1e-15);
    cr_expect_float_eq(r.tpr_diff, 1.0, 1e-15);
    cr_expect_float_eq(r.fpr_diff, 1.0, 1e-15);
    cr_expect_float_eq(r.eo_diff, 1.0, 1e-15);
    fair_done(&r);
    cr_expect_eq(fair_compute(&r, &f.o, &f.b, dim, 7, NULL, NULL), E_RANGE);
    cr_expect_eq(fair_find_dim(&f.b, ds_col_find(f.ds, "label"), &dim, NULL), E_USAGE);
    fl_pipeline_done(&f);
}
