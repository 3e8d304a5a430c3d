/* datacheck: each check on a small file whose figures are worked out by hand in the
 * comments. Scores are dyadic fractions so that means and comparisons are exact. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "datacheck.h"
#include "fl_pipeline.h"
#include "fl_test.h"

/* A pipeline whose id column is named explicitly (detection takes only unique columns). */
static void setup_with_id(fl_pipeline *p, const char *csv, const char *id)
{
    p->ds = fl_load_str(csv);
    role_opts ro;
    role_opts_init(&ro);
    ro.id = id;
    err e = {0};
    cr_assert_eq(role_detect(&p->r, p->ds, &ro, &e), E_OK, "%s", e.msg);
    cr_assert_eq(out_build(&p->o, p->ds, &p->r, &e), E_OK, "%s", e.msg);
    bin_opts bo;
    bin_opts_init(&bo);
    cr_assert_eq(bin_build(&p->b, p->ds, &p->r, &p->o, &bo, &e), E_OK, "%s", e.msg);
}

static void run(dc_result *r, fl_pipeline *f)
{
    err e = {0};
    cr_assert_eq(dc_compute(r, f->ds, &f->r, &f->o, &f->b, &e), E_OK, "%s", e.msg);
}

/* f = 1..19 and 100; c has 2 missing cells; k is constant. */
Test(dc, missing_constant_and_outliers)
{
    char csv[2048];
    size_t len = (size_t)snprintf(csv, sizeof csv, "f,c,k,label,prediction\n");
    for (int i = 1; i <= 20; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "%d,%s,z,%s,yes\n",
                                i == 20 ? 100 : i, i <= 2 ? "" : i % 2 ? "p" : "q",
                                i % 3 ? "yes" : "no");
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    dc_result r;
    run(&r, &f);
    int c = ds_col_find(f.ds, "c"), k = ds_col_find(f.ds, "k"), fc = ds_col_find(f.ds, "f");
    cr_expect_eq(r.cols[c].nmissing, 2);
    cr_expect_float_eq(r.cols[c].missing_share, 0.1, 1e-15);
    cr_expect(r.cols[k].constant);
    cr_expect(!r.cols[c].constant && !r.cols[fc].constant);
    /* prediction is constant too ("yes" on every row) */
    cr_expect_eq(r.nconstant, 2);
    /* median of {1..19, 100} = (10 + 11) / 2 = 10.5; deviations sorted: 0.5 0.5 1.5 1.5 ...
     * 8.5 8.5 9.5 89.5, median (4.5 + 5.5) / 2 = 5. z(100) = 0.6745 * 89.5 / 5 = 12.07;
     * z(1) = 0.6745 * 9.5 / 5 = 1.28: one outlier, row 20 */
    cr_expect_float_eq(r.cols[fc].median, 10.5, 1e-15);
    cr_expect_float_eq(r.cols[fc].mad, 5.0, 1e-15);
    cr_expect_eq(r.cols[fc].noutliers, 1);
    cr_expect_eq(r.noutlier, 1);
    cr_expect(bm_get(&r.outlier, 19));
    cr_expect(isnan(r.cols[c].median));
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, outliers_skip_a_column_whose_mad_is_zero)
{
    /* x = 5 on 6 of 8 rows: MAD = 0, the z-score is undefined, no outlier is reported */
    fl_pipeline f;
    fl_pipeline_str(&f, "x,label,prediction\n5,a,a\n5,a,b\n5,b,b\n5,a,a\n5,b,a\n5,a,a\n9,b,b\n"
                        "1000,a,a\n");
    dc_result r;
    run(&r, &f);
    cr_expect_float_eq(r.cols[0].mad, 0.0, 0);
    cr_expect_eq(r.noutlier, 0);
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, duplicate_rows_and_ids)
{
    /* features (a, b): (1,x) rows 1 3 4, (2,y) rows 2 5, (missing,x) rows 7 8, (3,x) row 6.
     * Repeats: rows 3 4 5 8 -> 4 rows in 3 groups; (1,x) has labels yes yes no: 1 conflict.
     * ids 1 2 3 3 4 5 5 5: ids 3 and 5 repeat (2 ids, 5 rows); first repeat row 4 of row 3 */
    fl_pipeline f;
    setup_with_id(&f,
                  "id,a,b,label,prediction\n1,1,x,yes,yes\n2,2,y,yes,no\n3,1,x,yes,yes\n"
                  "3,1,x,no,yes\n4,2,y,yes,yes\n5,3,x,no,no\n5,,x,yes,yes\n5,,x,yes,no\n",
                  "id");
    dc_result r;
    run(&r, &f);
    cr_expect_eq(r.nfeatures, 2);
    cr_expect_eq(r.ndup_rows, 4);
    cr_expect_eq(r.ndup_groups, 3);
    cr_expect_eq(r.ndup_conflict, 1);
    cr_expect_eq(r.dup_example[0], 2);
    cr_expect_eq(r.dup_example[1], 0);
    cr_expect(r.has_id);
    cr_expect_eq(r.ndup_ids, 2);
    cr_expect_eq(r.ndup_id_rows, 5);
    cr_expect_eq(r.dup_id_example[0], 3);
    cr_expect_eq(r.dup_id_example[1], 2);
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, no_duplicates_without_features_or_ids)
{
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction\na,a\na,a\nb,a\n");
    dc_result r;
    run(&r, &f);
    cr_expect_eq(r.nfeatures, 0);
    cr_expect_eq(r.ndup_rows, 0);
    cr_expect_eq(r.dup_example[0], DC_NONE);
    cr_expect(!r.has_id);
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, class_imbalance)
{
    /* 39 rows of a, 1 of b: smallest share 1/40 = 0.025 < 0.05, ratio 1/39 */
    char csv[1024];
    size_t len = (size_t)snprintf(csv, sizeof csv, "label,prediction\n");
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "%s,a\n", i == 7 ? "b" : "a");
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    dc_result r;
    run(&r, &f);
    cr_expect_str_eq(f.r.classes[r.smallest], "b");
    cr_expect_str_eq(f.r.classes[r.largest], "a");
    cr_expect_float_eq(r.smallest_share, 0.025, 1e-15);
    cr_expect_float_eq(r.largest_share, 0.975, 1e-15);
    cr_expect_float_eq(r.imbalance_ratio, 1.0 / 39.0, 1e-15);
    cr_expect(r.imbalanced);
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, loo_majority_by_hand)
{
    /* bins [3,1]: the 3 rows of class 0 are right (the others of the bin hold 2 vs 1); the
     * class-1 row is wrong. [2,1]: a class-0 row sees 1 vs 1 (a tie: wrong), the class-1 row
     * sees 2 class-0: wrong. [2,2]: all wrong. [1,0]: a bin of one row: wrong.
     * 3 right of 12; class 0 totals 3 + 2 + 2 + 1 = 8 of 12 */
    const uint32_t cnt[] = {3, 1, 2, 1, 2, 2, 1, 0};
    double base;
    cr_expect_float_eq(dc_loo_majority(cnt, 4, 2, &base), 0.25, 1e-15);
    cr_expect_float_eq(base, 8.0 / 12.0, 1e-15);
    cr_expect(isnan(dc_loo_majority(cnt, 0, 2, &base)));
    /* the rule: 0.99 vs a baseline of 0.5 leaks; 0.98 vs 0.95 does not (0.02 > 0.2 * 0.05) */
    cr_expect(dc_is_leak(0.99, 0.5));
    cr_expect(!dc_is_leak(0.98, 0.95));
    cr_expect(dc_is_leak(1.0, 0.95));
    cr_expect(!dc_is_leak(1.0, 1.0));
    cr_expect(!dc_is_leak(0.97, 0.5));
}

static const dc_leak *leak_of(const dc_result *r, const dataset *ds, const char *name)
{
    int col = ds_col_find(ds, name);
    for (size_t i = 0; i < r->nleak_tested; i++)
        if (r->leak[i].col == col)
            return &r->leak[i];
    cr_assert_fail("column %s not tested", name);
    return NULL;
}

Test(dc, leakage_hints)
{
    /* 50 rows, label yes on even rows; the model is wrong on rows 0-9.
     * leak = the label itself: LOO accuracy 1, baseline 0.5 -> leaks the label. For the error:
     *   each bin holds 5 errors and 20 right rows -> 20 right each, 40 / 50 = 0.8 = baseline.
     * errflag = the error itself: error accuracy 1 vs baseline 0.8 -> leaks the error; for the
     *   label each bin is half yes: 0.
     * almost = the label with rows 10 and 11 swapped: bins 24 + 1 -> 48 / 50 = 0.96 < 0.98.
     * code = unique per row: bins of one row -> 0. */
    char csv[8192];
    size_t len = (size_t)snprintf(csv, sizeof csv, "leak,errflag,almost,code,label,prediction\n");
    for (int i = 0; i < 50; i++) {
        const char *y = i % 2 ? "no" : "yes", *other = i % 2 ? "yes" : "no";
        bool wrong = i < 10;
        const char *almost = (i == 10 || i == 11) ? other : y;
        len += (size_t)snprintf(csv + len, sizeof csv - len, "L%s,%s,A%s,u%d,%s,%s\n", y,
                                wrong ? "e" : "ok", almost, i, y, wrong ? other : y);
    }
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    dc_result r;
    run(&r, &f);
    const dc_leak *l = leak_of(&r, f.ds, "leak");
    cr_expect_float_eq(l->acc_label, 1.0, 1e-15);
    cr_expect_float_eq(l->base_label, 0.5, 1e-15);
    cr_expect(l->leaks_label);
    cr_expect_float_eq(l->acc_error, 0.8, 1e-15);
    cr_expect(!l->leaks_error);
    const dc_leak *ef = leak_of(&r, f.ds, "errflag");
    cr_expect_float_eq(ef->acc_error, 1.0, 1e-15);
    cr_expect_float_eq(ef->base_error, 0.8, 1e-15);
    cr_expect(ef->leaks_error);
    cr_expect_float_eq(ef->acc_label, 0.0, 1e-15);
    cr_expect(!ef->leaks_label);
    const dc_leak *al = leak_of(&r, f.ds, "almost");
    cr_expect_float_eq(al->acc_label, 0.96, 1e-15);
    cr_expect(!al->leaks_label);
    const dc_leak *u = leak_of(&r, f.ds, "code");
    cr_expect_float_eq(u->acc_label, 0.0, 1e-15);
    cr_expect_eq(r.nleaks, 2);
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, label_issues_confident_learning)
{
    /* t_a = (0.75 + 0.625 + 0.125 + 0.5) / 4 = 0.5; t_b = (0.625 + 0.875) / 2 = 0.75;
     * t_c = (0.5 + 0.75 + 0.125) / 3 = 1.375 / 3. Candidates:
     *   row 3 (a): p_a 0.125 < 0.5 and p_b 0.75 >= 0.75 (ties count)
     *   row 4 (a): p_a 0.5 is not < 0.5
     *   row 5 (b): p_b 0.625 < 0.75, but p_a 0.25 < 0.5 and p_c 0.125 < t_c
     *   row 7 (c): p_c 0.5 >= t_c = 0.458
     *   row 9 (c): p_c 0.125 < t_c and p_b 0.8125 >= 0.75
     * Row 10 (missing score) and row 11 (missing label) take no part. */
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prob_a,prob_b,prob_c\n"
                        "a,0.75,0.125,0.125\na,0.625,0.25,0.125\na,0.125,0.75,0.125\n"
                        "a,0.5,0.375,0.125\nb,0.25,0.625,0.125\nb,0.125,0.875,0\n"
                        "c,0.25,0.25,0.5\nc,0.125,0.125,0.75\nc,0.0625,0.8125,0.125\n"
                        "b,,0.5,0.5\n,0.0625,0.0625,0.875\n");
    dc_result r;
    run(&r, &f);
    cr_assert(r.has_label_issues);
    cr_expect_float_eq(r.class_threshold[0], 0.5, 1e-15);
    cr_expect_float_eq(r.class_threshold[1], 0.75, 1e-15);
    cr_expect_float_eq(r.class_threshold[2], 1.375 / 3.0, 1e-15);
    cr_expect_eq(r.nlabel_issue, 2);
    cr_expect(bm_get(&r.label_issue, 2));
    cr_expect(bm_get(&r.label_issue, 8));
    dc_done(&r);
    fl_pipeline_done(&f);
}

Test(dc, label_issues_need_scores_and_empty_file_is_fine)
{
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction\na,b\n");
    dc_result r;
    run(&r, &f);
    cr_expect(!r.has_label_issues);
    cr_expect_eq(r.nlabel_issue, 0);
    cr_expect_eq(r.noutlier, 0);
    dc_done(&r);
    fl_pipeline_done(&f);
}
