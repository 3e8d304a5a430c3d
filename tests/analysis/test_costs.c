/* costs: the cost matrix parser and its messages, expected cost overall and per slice, the
 * binary threshold sweep and selective prediction, on a 10-row file worked out by hand and
 * checked offline with scikit-learn 1.2.1 (roc_curve(drop_intermediate=False),
 * precision_recall_curve, f1_score(zero_division=0)). Scores are dyadic fractions, so every
 * confidence 1 - p is exact. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "costs.h"
#include "fl_pipeline.h"
#include "fl_test.h"

static const char *const CLASSES3[] = {"cat", "dog", "emu"};
static const char *const CLASSES2[] = {"cat", "dog"};

/* ----------------------------------------------------------------------------- parser */

Test(cost, parse_permuted_columns_quotes_comments_semicolons)
{
    const char *txt = "true\\pred;dog;cat;emu\n# costs of the zoo model\n\n"
                      "cat;1;0;2\r\n\"dog\"; 0 ;3;4.5\nemu;1e1;-1;0";
    cost_matrix m;
    err e = {0};
    cr_assert_eq(cost_matrix_parse(&m, "c.csv", txt, strlen(txt), CLASSES3, 3, &e), E_OK, "%s",
                 e.msg);
    cr_assert_eq(m.k, 3);
    const double want[9] = {0, 1, 2, /* cat */ 3, 0, 4.5, /* dog */ -1, 10, 0 /* emu */};
    for (int i = 0; i < 9; i++)
        cr_expect_eq(m.c[i], want[i], "cell %d: %g", i, m.c[i]);
    cost_matrix_done(&m);
}

static void expect_parse_error(const char *txt, const char *msg)
{
    cost_matrix m;
    err e = {0};
    cr_expect_eq(cost_matrix_parse(&m, "c.csv", txt, strlen(txt), CLASSES2, 2, &e), E_PARSE,
                 "accepted: %s", txt);
    cr_expect_str_eq(e.msg, msg);
    cr_expect_null(m.c);
}

Test(cost, parse_errors_name_line_and_column)
{
    expect_parse_error("x,cat,dog\ncat,0,1\ndog,zero,0\n",
                       "c.csv:3:5: expected a finite number, got 'zero'");
    expect_parse_error("x,cat,dog\ncat,0,1\ndog,nan,0\n",
                       "c.csv:3:5: expected a finite number, got 'nan'");
    expect_parse_error("x,cat,dog\ncat,0,\ndog,1,0\n",
                       "c.csv:2:7: expected a finite number, got ''");
    expect_parse_error("x,cat,cow\n", "c.csv:1:7: unknown class 'cow' (classes: cat, dog)");
    expect_parse_error("x,cat,cat\n", "c.csv:1:7: class 'cat' has a second column");
    expect_parse_error("x,cat\n", "c.csv:1:1: the header names 1 classes, the data has 2");
    expect_parse_error("x,cat,dog\ncat,0,1\n", "c.csv: no row for true class 'dog'");
    expect_parse_error("x,cat,dog\ncat,0,1,2\n", "c.csv:2:9: expected 3 cells, got 4");
    expect_parse_error("x,cat,dog\ncat,0,1\n\ncat,0,1\n",
                       "c.csv:4:1: class 'cat' has a second row");
    expect_parse_error("x,cat,dog\n\"cat,0,1\n", "c.csv:2:1: unterminated quoted cell");
    expect_parse_error("# nothing\n\n", "c.csv: no header line");
}

Test(cost, load_missing_file_is_io_error)
{
    cost_matrix m;
    err e = {0};
    cr_expect_eq(cost_matrix_load(&m, "/nonexistent/costs.csv", CLASSES2, 2, &e), E_IO);
    cr_expect(strstr(e.msg, "/nonexistent/costs.csv") != NULL);
}

Test(cost, binary_matrix)
{
    cost_matrix m;
    cr_assert_eq(cost_matrix_binary(&m, 1, 2.0, 7.0, NULL), E_OK);
    /* positive = 1: c[neg][pos] = fp, c[pos][neg] = fn */
    cr_expect_eq(m.c[0 * 2 + 1], 2.0);
    cr_expect_eq(m.c[1 * 2 + 0], 7.0);
    cr_expect_eq(m.c[0], 0.0);
    cr_expect_eq(m.c[3], 0.0);
    cost_matrix_done(&m);
    cr_expect_eq(cost_matrix_binary(&m, 1, INFINITY, 1, NULL), E_RANGE);
    cr_expect_eq(cost_matrix_binary(&m, CLASS_NA, 1, 1, NULL), E_USAGE);
}

/* ------------------------------------------------------------------- the 10-row file */

/* y: pos pos pos neg pos | neg neg pos neg neg, score descending with ties at 0.625 and 0.25;
 * predicted pos when score >= 0.5 (rows 1-5). g = a on rows 1-5, b on rows 6-10.
 * Errors: row 4 (a negative predicted positive), row 8 (a positive predicted negative). */
static const char *TEN =
    "g,label,prediction,score\n"
    "a,pos,pos,0.875\na,pos,pos,0.75\na,pos,pos,0.625\na,neg,pos,0.625\na,pos,pos,0.5625\n"
    "b,neg,neg,0.375\nb,neg,neg,0.25\nb,pos,neg,0.25\nb,neg,neg,0.125\nb,neg,neg,0.0625\n";

static const cost_slice *find(const cost_result *r, const binning *b, const char *dim,
                              const char *label)
{
    for (size_t i = 0; i < r->len; i++) {
        const bin_dim *d = &b->dim[r->v[i].dim];
        if (strcmp(d->name, dim) == 0 && strcmp(d->bins[r->v[i].bin].label, label) == 0)
            return &r->v[i];
    }
    cr_assert_fail("no slice %s = %s", dim, label);
    return NULL;
}

Test(cost, expected_cost_overall_and_per_slice)
{
    fl_pipeline f;
    fl_pipeline_str(&f, TEN);
    cr_assert_eq(f.o.task, TASK_BINARY);
    cost_matrix m;
    cr_assert_eq(cost_matrix_binary(&m, f.o.positive, 1.0, 5.0, NULL), E_OK);
    cost_result r;
    err e = {0};
    cr_assert_eq(cost_compute(&r, &m, &f.o, &f.b, NULL, &e), E_OK, "%s", e.msg);
    /* one false positive (1) and one false negative (5): total 6, mean 6 / 10 */
    cr_expect_eq(r.n, 10);
    cr_expect_float_eq(r.total, 6.0, 1e-12);
    cr_expect_float_eq(r.mean, 0.6, 1e-12);
    const cost_slice *a = find(&r, &f.b, "g", "a"), *b = find(&r, &f.b, "g", "b");
    cr_expect_float_eq(a->mean, 0.2, 1e-12);      /* 1 / 5 */
    cr_expect_float_eq(b->mean, 1.0, 1e-12);      /* 5 / 5 */
    cr_expect_float_eq(b->share, 5.0 / 6.0, 1e-12);
    cost_done(&r);
    /* a selection of rows 1-3: no errors, cost 0; share NAN (nothing to share) */
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 10, false, NULL), E_OK);
    for (size_t i = 0; i < 3; i++)
        bm_set(&sel, i);
    cr_assert_eq(cost_compute(&r, &m, &f.o, NULL, &sel, NULL), E_OK);
    cr_expect_eq(r.n, 3);
    cr_expect_eq(r.mean, 0.0);
    cr_expect_eq(r.len, 0);
    cost_done(&r);
    bm_fill(&sel, false);
    cr_assert_eq(cost_compute(&r, &m, &f.o, &f.b, &sel, NULL), E_OK);
    cr_expect(isnan(r.mean));
    cr_expect(isnan(find(&r, &f.b, "g", "a")->mean));
    cost_done(&r);
    bm_done(&sel);
    cost_matrix_done(&m);
    fl_pipeline_done(&f);
}

Test(cost, sweep_matches_sklearn)
{
    fl_pipeline f;
    fl_pipeline_str(&f, TEN);
    cost_matrix m;
    cr_assert_eq(cost_matrix_binary(&m, f.o.positive, 1.0, 5.0, NULL), E_OK);
    cost_sweep s;
    err e = {0};
    cr_assert_eq(cost_sweep_compute(&s, &f.o, &m, NULL, &e), E_OK, "%s", e.msg);
    cr_assert_eq(s.n, 10);
    cr_assert_eq(s.npos, 5);
    cr_assert_eq(s.len, 9); /* 8 distinct scores + the +inf point */
    /* threshold, tp, fp, tn, fn, precision, recall, f1, fpr, cost (fp * 1 + fn * 5) / 10 */
    static const double want[9][10] = {
        {0.0625, 5, 5, 0, 0, 0.5, 1.0, 0.6666666666666666, 1.0, 0.5},
        {0.125, 5, 4, 1, 0, 0.5555555555555556, 1.0, 0.7142857142857143, 0.8, 0.4},
        {0.25, 5, 3, 2, 0, 0.625, 1.0, 0.7692307692307693, 0.6, 0.3},
        {0.375, 4, 2, 3, 1, 0.6666666666666666, 0.8, 0.7272727272727272, 0.4, 0.7},
        {0.5625, 4, 1, 4, 1, 0.8, 0.8, 0.8, 0.2, 0.6},
        {0.625, 3, 1, 4, 2, 0.75, 0.6, 0.6666666666666666, 0.2, 1.1},
        {0.75, 2, 0, 5, 3, 1.0, 0.4, 0.5714285714285715, 0.0, 1.5},
        {0.875, 1, 0, 5, 4, 1.0, 0.2, 0.3333333333333333, 0.0, 2.0},
        {INFINITY, 0, 0, 5, 5, 0.0, 0.0, 0.0, 0.0, 2.5},
    };
    for (size_t i = 0; i < 9; i++) {
        const cost_point *p = &s.v[i];
        cr_expect_eq(p->t, want[i][0], "point %zu: t %g", i, p->t);
        cr_expect_eq(p->tp, (size_t)want[i][1], "point %zu", i);
        cr_expect_eq(p->fp, (size_t)want[i][2], "point %zu", i);
        cr_expect_eq(p->tn, (size_t)want[i][3], "point %zu", i);
        cr_expect_eq(p->fn, (size_t)want[i][4], "point %zu", i);
        cr_expect_float_eq(p->precision, want[i][5], 1e-12, "point %zu", i);
        cr_expect_float_eq(p->recall, want[i][6], 1e-12, "point %zu", i);
        cr_expect_float_eq(p->f1, want[i][7], 1e-12, "point %zu", i);
        cr_expect_float_eq(p->fpr, want[i][8], 1e-12, "point %zu", i);
        cr_expect_float_eq(p->cost, want[i][9], 1e-12, "point %zu", i);
    }
    /* cheapest 0.3 at t = 0.25; best F1 0.8 and best J = 0.8 - 0.2 = 0.6 at t = 0.5625 */
    cr_expect_eq(s.best_cost, 2);
    cr_expect_eq(s.best_f1, 4);
    cr_expect_eq(s.best_j, 4);
    cost_sweep_done(&s);
    cost_matrix_done(&m);
    fl_pipeline_done(&f);
}

Test(cost, sweep_ties_one_class_and_missing_scores)
{
    /* One class only (every label pos): no J; NaN score and missing label skipped. F1 at the
     * lowest threshold is 1 (tp 2, fp 0); ties at cost 0 go to the largest threshold with
     * that cost, t = 0.25 (tp 2 of 2). */
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction,score\npos,pos,0.75\npos,neg,0.25\npos,pos,\n"
                        ",pos,0.5\nneg,neg,\n");
    cost_matrix m;
    cr_assert_eq(cost_matrix_binary(&m, f.o.positive, 1.0, 1.0, NULL), E_OK);
    cost_sweep s;
    cr_assert_eq(cost_sweep_compute(&s, &f.o, &m, NULL, NULL), E_OK);
    cr_expect_eq(s.n, 2);
    cr_expect_eq(s.nskipped, 3);
    cr_expect_eq(s.len, 3);
    cr_expect_eq(s.best_j, COST_NONE);
    cr_expect(isnan(s.v[0].fpr));
    cr_expect_eq(s.best_cost, 0);
    cr_expect_eq(s.best_f1, 0);
    cost_sweep_done(&s);
    /* without a matrix: no costs, no cheapest point */
    cr_assert_eq(cost_sweep_compute(&s, &f.o, NULL, NULL, NULL), E_OK);
    cr_expect_eq(s.best_cost, COST_NONE);
    cr_expect(isnan(s.v[0].cost));
    cost_sweep_done(&s);
    /* an empty selection: only the +inf point */
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 5, false, NULL), E_OK);
    cr_assert_eq(cost_sweep_compute(&s, &f.o, &m, &sel, NULL), E_OK);
    cr_expect_eq(s.len, 1);
    cr_expect_eq(s.best_f1, COST_NONE);
    cr_expect(isnan(s.v[0].cost));
    cost_sweep_done(&s);
    bm_done(&sel);
    cost_matrix_done(&m);
    fl_pipeline_done(&f);
}

Test(cost, sweep_refuses_multiclass)
{
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction\na,b\nb,c\nc,a\n");
    cost_sweep s;
    err e = {0};
    cr_expect_eq(cost_sweep_compute(&s, &f.o, NULL, NULL, &e), E_USAGE);
    cost_selective c;
    cr_expect_eq(cost_selective_compute(&c, &f.o, NULL, NAN, &e), E_USAGE);
    fl_pipeline_done(&f);
}

/* ------------------------------------------------------------------------ selective */

Test(cost, selective_coverage_curve_by_hand)
{
    /* confidence = max(p, 1 - p): 0.875 0.75 0.625 0.625 0.5625 | 0.625 0.75 0.75 0.875 0.9375,
     * wrong rows 4 (0.625) and 8 (0.75). Keeping conf >= t:
     *   0.5625: 10 rows, 8 right -> 0.8      0.625: 9 rows, 7 -> 7/9
     *   0.75: 6 rows (1 2 7 8 9 10), 5 -> 5/6  0.875: 3 rows, 3 -> 1   0.9375: 1 row -> 1
     * Target 0.9: first reached at t = 0.875 (coverage 0.3), although 0.8 comes earlier. */
    fl_pipeline f;
    fl_pipeline_str(&f, TEN);
    cost_selective s;
    err e = {0};
    cr_assert_eq(cost_selective_compute(&s, &f.o, NULL, 0.9, &e), E_OK, "%s", e.msg);
    cr_assert_eq(s.total, 10);
    cr_assert_eq(s.len, 5);
    static const double want[5][4] = {{0.5625, 10, 1.0, 0.8},
                                      {0.625, 9, 0.9, 7.0 / 9.0},
                                      {0.75, 6, 0.6, 5.0 / 6.0},
                                      {0.875, 3, 0.3, 1.0},
                                      {0.9375, 1, 0.1, 1.0}};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_eq(s.v[i].t, want[i][0]);
        cr_expect_eq(s.v[i].n, (size_t)want[i][1]);
        cr_expect_float_eq(s.v[i].coverage, want[i][2], 1e-12);
        cr_expect_float_eq(s.v[i].accuracy, want[i][3], 1e-12);
    }
    cr_expect_eq(s.at_target, 3);
    cost_selective_done(&s);
    cr_assert_eq(cost_selective_compute(&s, &f.o, NULL, 0.8, NULL), E_OK);
    cr_expect_eq(s.at_target, 0);
    cost_selective_done(&s);
    cr_assert_eq(cost_selective_compute(&s, &f.o, NULL, NAN, NULL), E_OK);
    cr_expect_eq(s.at_target, COST_NONE);
    cost_selective_done(&s);
    cr_expect_eq(cost_selective_compute(&s, &f.o, NULL, 1.5, NULL), E_RANGE);
    fl_pipeline_done(&f);
}

Test(cost, selective_unreachable_target_and_missing_confidence)
{
    /* rows: right at 0.9, wrong at 0.8 (scores of pos), missing score: skipped */
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction,score\npos,pos,0.875\nneg,pos,0.875\npos,pos,\n");
    cost_selective s;
    cr_assert_eq(cost_selective_compute(&s, &f.o, NULL, 0.75, NULL), E_OK);
    cr_expect_eq(s.total, 2);
    cr_expect_eq(s.nskipped, 1);
    cr_expect_eq(s.len, 1);
    cr_expect_float_eq(s.v[0].accuracy, 0.5, 1e-15);
    cr_expect_eq(s.at_target, COST_NONE);
    cost_selective_done(&s);
    fl_pipeline_done(&f);
}
