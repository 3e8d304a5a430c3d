/* categories: each derived category on rows worked out by hand (dyadic scores, so that the
 * margins are exact). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "categories.h"
#include "fl_pipeline.h"

/* Classes a and r (r: 1 of 25 labelled rows = 4% < 5%: rare).
 * row 1: r predicted a, p = (0.875, 0.125): wrong, confidence 0.875 > 0.8 -> confidently
 *        wrong; rare-class error; margin 0.75.
 * row 2: a, p = (0.5625, 0.4375): right, confidence < 0.6 -> unsure; margin 0.125 >= 0.1.
 * row 3: a predicted r, p = (0.46875, 0.53125): wrong, unsure, margin 0.0625 -> boundary.
 * row 4: a, scores missing: no score-based category.
 * rows 5-25: a, p = (0.75, 0.25), right: none. */
static void file(char *csv, size_t size)
{
    size_t len = (size_t)snprintf(csv, size,
                                  "label,prediction,prob_a,prob_r\n"
                                  "r,a,0.875,0.125\na,a,0.5625,0.4375\na,r,0.46875,0.53125\n"
                                  "a,a,,\n");
    for (int i = 5; i <= 25; i++)
        len += (size_t)snprintf(csv + len, size - len, "a,a,0.75,0.25\n");
}

Test(cat, categories_by_hand)
{
    char csv[2048];
    file(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    bitmap out;
    cr_assert_eq(bm_init(&out, 25, false, NULL), E_OK);
    bm_set(&out, 1);
    bm_set(&out, 4);
    cat_result r;
    err e = {0};
    cr_assert_eq(cat_compute(&r, &f.o, &out, NULL, &e), E_OK, "%s", e.msg);
    cr_expect_eq(r.bits[0], CAT_BIT(CAT_CONF_WRONG) | CAT_BIT(CAT_RARE_ERROR));
    cr_expect_eq(r.bits[1], CAT_BIT(CAT_UNSURE) | CAT_BIT(CAT_OUTLIER));
    cr_expect_eq(r.bits[2], CAT_BIT(CAT_UNSURE) | CAT_BIT(CAT_BOUNDARY));
    cr_expect_eq(r.bits[3], 0);
    cr_expect_eq(r.bits[4], CAT_BIT(CAT_OUTLIER));
    cr_expect_eq(r.count[CAT_CONF_WRONG], 1);
    cr_expect_eq(r.count[CAT_UNSURE], 2);
    cr_expect_eq(r.count[CAT_BOUNDARY], 1);
    cr_expect_eq(r.count[CAT_RARE_ERROR], 1);
    cr_expect_eq(r.count[CAT_OUTLIER], 2);
    /* within rows 2-3 */
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 25, false, NULL), E_OK);
    bm_set(&sel, 1);
    bm_set(&sel, 2);
    size_t counts[CAT_COUNT];
    cat_count_in(&r, &sel, counts);
    cr_expect_eq(counts[CAT_UNSURE], 2);
    cr_expect_eq(counts[CAT_CONF_WRONG], 0);
    cr_expect_eq(counts[CAT_OUTLIER], 1);
    bitmap b;
    cr_assert_eq(cat_bitmap(&r, CAT_BOUNDARY, &b, NULL), E_OK);
    cr_expect_eq(bm_count(&b), 1);
    cr_expect(bm_get(&b, 2));
    bm_done(&b);
    bm_done(&sel);
    cat_done(&r);
    bm_done(&out);
    fl_pipeline_done(&f);
}

Test(cat, thresholds_are_options)
{
    char csv[2048];
    file(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    cat_opts o;
    cat_opts_init(&o);
    o.margin = 0.2;      /* row 2's margin 0.125 now counts */
    o.confident = 0.9;   /* row 1's 0.875 no longer does */
    o.rare_share = 0.03; /* 4% is no longer rare */
    cat_result r;
    cr_assert_eq(cat_compute(&r, &f.o, NULL, &o, NULL), E_OK);
    cr_expect_eq(r.count[CAT_BOUNDARY], 2);
    cr_expect_eq(r.count[CAT_CONF_WRONG], 0);
    cr_expect_eq(r.count[CAT_RARE_ERROR], 0);
    cr_expect_eq(r.count[CAT_OUTLIER], 0);
    cat_done(&r);
    fl_pipeline_done(&f);
}

Test(cat, binary_single_score_margin_and_no_scores)
{
    /* one positive-class score: margin |2p - 1|; p = 0.53125 -> 0.0625 boundary */
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction,score\nyes,yes,0.53125\nno,no,0.125\n");
    cat_result r;
    cr_assert_eq(cat_compute(&r, &f.o, NULL, NULL, NULL), E_OK);
    cr_expect_eq(r.bits[0], CAT_BIT(CAT_UNSURE) | CAT_BIT(CAT_BOUNDARY));
    cr_expect_eq(r.bits[1], 0);
    cat_done(&r);
    fl_pipeline_done(&f);
    /* no scores: only the rare-class rule can fire (b: 1 of 30 rows, wrong) */
    char csv[1024];
    size_t len = (size_t)snprintf(csv, sizeof csv, "label,prediction\nb,a\n");
    for (int i = 0; i < 29; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "a,a\n");
    fl_pipeline_str(&f, csv);
    cr_assert_eq(cat_compute(&r, &f.o, NULL, NULL, NULL), E_OK);
    cr_expect_eq(r.bits[0], CAT_BIT(CAT_RARE_ERROR));
    cr_expect_eq(r.count[CAT_UNSURE], 0);
    cat_done(&r);
    fl_pipeline_done(&f);
}

Test(cat, names)
{
    cr_expect_str_eq(cat_name(CAT_CONF_WRONG), "confidently_wrong");
    cr_expect_str_eq(cat_name(CAT_RARE_ERROR), "rare_class_error");
    cr_expect_str_eq(cat_name(CAT_OUTLIER), "outlier");
}
