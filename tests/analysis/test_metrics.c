/* metrics: headline figures of small outcomes built by hand (class per row, error flag,
 * top-class confidence, score columns). Expected values are worked out in the comments or
 * computed offline with Debian 12's python3-sklearn 1.2.1 / numpy 1.24.2 (the call is quoted
 * beside each value). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "metrics.h"
#include "outcome.h"
#include "stats.h"

#define NA CLASS_NA

#define EXPECT_NEAR(got, want, tol)                                                                \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        cr_expect(fabs(g_ - w_) <= (tol), "%s = %.17g, expected %.17g", #got, g_, w_);             \
    } while (0)

static void init(void)
{
    st_init();
}

TestSuite(met, .init = init);

/* The error flag of every row, as the outcome defines it. */
static void flag_rows(outcome *o)
{
    o->nerr = o->nunknown = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (o->y[i] == NA || o->yhat[i] == NA)
            o->err[i] = OUT_UNKNOWN;
        else
            o->err[i] = o->y[i] != o->yhat[i] ? OUT_ERROR : OUT_CORRECT;
        o->nerr += o->err[i] == OUT_ERROR;
        o->nunknown += o->err[i] == OUT_UNKNOWN;
    }
}

static outcome classes_outcome(task_kind task, uint32_t nclass, uint32_t positive, size_t n,
                               uint32_t *y, uint32_t *yhat, uint8_t *flags, double *conf)
{
    outcome o;
    memset(&o, 0, sizeof o);
    o.n = n;
    o.task = task;
    o.nclass = nclass;
    o.positive = positive;
    o.y = y;
    o.yhat = yhat;
    o.err = flags;
    o.conf = conf;
    o.fail_above = NAN;
    flag_rows(&o);
    return o;
}

/* ------------------------------------------------------------- binary: the base table */

/* 11 rows, positive class 1, one score column p = P(class 1).
 *  row   0    1    2    3    4    5    6    7    8    9    10
 *  y     1    1    1    1    0    0    0    0    1    0    0
 *  p     0.9  0.8  0.4  0.8  0.8  0.2  0.1  0.0  0.0  0.5  0.3
 *  yhat  1    1    0    1    1    0    0    0    0    0    0
 *  conf  0.9  0.8  0.6  0.8  0.8  0.8  0.9  1.0  1.0  0.5  0.7   (max(p, 1 - p))
 *  error           x         x                   x
 */
#define BN 11
static const uint32_t bin_y[BN] = {1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0};
static const uint32_t bin_yhat[BN] = {1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0};
static const double bin_p[BN] = {0.9, 0.8, 0.4, 0.8, 0.8, 0.2, 0.1, 0.0, 0.0, 0.5, 0.3};
static const double bin_conf[BN] = {0.9, 0.8, 0.6, 0.8, 0.8, 0.8, 0.9, 1.0, 1.0, 0.5, 0.7};

typedef struct binfix {
    uint32_t y[BN + 4], yhat[BN + 4];
    uint8_t err[BN + 4];
    double p[BN + 4], q[BN + 4], conf[BN + 4];
    const double *cols[2];
    outcome o;
} binfix;

/* The base table; per_class: two score columns (1 - p, p) instead of the single column. */
static void bin_setup(binfix *f, bool per_class)
{
    memcpy(f->y, bin_y, sizeof bin_y);
    memcpy(f->yhat, bin_yhat, sizeof bin_yhat);
    memcpy(f->p, bin_p, sizeof bin_p);
    memcpy(f->conf, bin_conf, sizeof bin_conf);
    for (size_t i = 0; i < BN; i++)
        f->q[i] = 1 - f->p[i];
    f->o = classes_outcome(TASK_BINARY, 2, 1, BN, f->y, f->yhat, f->err, f->conf);
    if (per_class) {
        f->cols[0] = f->q;
        f->cols[1] = f->p;
        f->o.score = f->cols;
    } else {
        f->o.pos_score = f->p;
    }
}

/* scikit-learn 1.2.1 on the base table:
 *   accuracy_score = 0.7272727272727273 (8/11)
 *   precision_recall_fscore_support(y, yhat, zero_division=0):
 *     P = [0.7142857142857143, 0.75], R = [0.8333333333333334, 0.6],
 *     F = [0.7692307692307692, 0.6666666666666665], support = [6, 5]
 *   f1_score macro = 0.7179487179487178, weighted = 0.7226107226107225
 *   roc_auc_score(y, p) = 0.7166666666666666; by hand, each positive counts the negatives
 *     below it plus half the ties: 0.9 -> 6, 0.8 -> 5.5 (twice), 0.4 -> 4, 0.0 -> 0.5;
 *     21.5 / (5 * 6) = 0.716666...
 *   brier_score_loss(y, p) = 0.22545454545454546 (2.48 / 11)
 *   log_loss(y, p, eps=1e-15) = 3.544952622634173 (row 8 gives its true class 0, clipped
 *     to 1e-15: -ln 1e-15 = 34.538776394910684; row 7 gives it 1, clipped to 1 - 1e-15)
 *   confusion_matrix = [[5, 1], [2, 3]] */
static void expect_base_binary(const metrics *m)
{
    cr_expect_eq(m->n, 11);
    cr_expect_eq(m->nerr, 3);
    cr_expect_eq(m->nclass, 2);
    EXPECT_NEAR(m->accuracy, 0.7272727272727273, 1e-15);
    EXPECT_NEAR(m->error_rate, 3.0 / 11.0, 1e-15);
    const size_t cm[4] = {5, 1, 2, 3};
    for (int i = 0; i < 4; i++)
        cr_expect_eq(m->confusion[i], cm[i], "confusion[%d] = %zu", i, m->confusion[i]);
    EXPECT_NEAR(m->per_class[0].precision, 0.7142857142857143, 1e-15);
    EXPECT_NEAR(m->per_class[1].precision, 0.75, 1e-15);
    EXPECT_NEAR(m->per_class[0].recall, 0.8333333333333334, 1e-15);
    EXPECT_NEAR(m->per_class[1].recall, 0.6, 1e-15);
    EXPECT_NEAR(m->per_class[0].f1, 0.7692307692307692, 1e-15);
    EXPECT_NEAR(m->per_class[1].f1, 0.6666666666666665, 1e-15);
    cr_expect_eq(m->per_class[0].support, 6);
    cr_expect_eq(m->per_class[1].support, 5);
    EXPECT_NEAR(m->macro_f1, 0.7179487179487178, 1e-15);
    EXPECT_NEAR(m->weighted_f1, 0.7226107226107225, 1e-15);
    EXPECT_NEAR(m->roc_auc, 0.7166666666666666, 1e-15);
    cr_expect_eq(m->nscored, 11);
    EXPECT_NEAR(m->brier, 0.22545454545454546, 1e-15);
    EXPECT_NEAR(m->log_loss, 3.544952622634173, 1e-13);
    /* regression figures do not apply */
    cr_expect(isnan(m->mae) && isnan(m->rmse) && isnan(m->r2) && isnan(m->median_ae));
}

/* Calibration of the base table, by hand (bins (i/10, (i+1)/10], the first closed):
 *   bin 4 (0.4, 0.5]: row 9            n 1, acc 1,    conf 0.5, gap 0.5
 *   bin 5 (0.5, 0.6]: row 2            n 1, acc 0,    conf 0.6, gap 0.6
 *   bin 6 (0.6, 0.7]: row 10           n 1, acc 1,    conf 0.7, gap 0.3
 *   bin 7 (0.7, 0.8]: rows 1, 3, 4, 5  n 4, acc 0.75, conf 0.8, gap 0.05
 *   bin 8 (0.8, 0.9]: rows 0, 6        n 2, acc 1,    conf 0.9, gap 0.1
 *   bin 9 (0.9, 1]:   rows 7, 8        n 2, acc 0.5,  conf 1,   gap 0.5
 *   ECE = (0.5 + 0.6 + 0.3 + 4 * 0.05 + 2 * 0.1 + 2 * 0.5) / 11 = 2.8 / 11; MCE = 0.6 */
static void expect_base_calibration(const metrics *m)
{
    EXPECT_NEAR(m->ece, 2.8 / 11.0, 1e-15);
    EXPECT_NEAR(m->mce, 0.6, 1e-15);
    const size_t n[MET_NBINS] = {0, 0, 0, 0, 1, 1, 1, 4, 2, 2};
    const double acc[MET_NBINS] = {NAN, NAN, NAN, NAN, 1, 0, 1, 0.75, 1, 0.5};
    const double conf[MET_NBINS] = {NAN, NAN, NAN, NAN, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    for (int b = 0; b < MET_NBINS; b++) {
        cr_expect_eq(m->bins[b].n, n[b], "bin %d n = %zu", b, m->bins[b].n);
        EXPECT_NEAR(m->bins[b].lo, b / 10.0, 1e-15);
        EXPECT_NEAR(m->bins[b].hi, (b + 1) / 10.0, 1e-15);
        if (isnan(acc[b])) {
            cr_expect(isnan(m->bins[b].accuracy) && isnan(m->bins[b].confidence), "bin %d", b);
        } else {
            EXPECT_NEAR(m->bins[b].accuracy, acc[b], 1e-15);
            EXPECT_NEAR(m->bins[b].confidence, conf[b], 1e-15);
        }
    }
}

Test(met, binary_single_score_column_matches_sklearn)
{
    binfix f;
    bin_setup(&f, false);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, NULL, &e), E_OK, "%s", e.msg);
    expect_base_binary(&m);
    expect_base_calibration(&m);
    cr_expect_eq(m.nunknown, 0);
    met_done(&m);
}

Test(met, binary_two_score_columns_same_figures)
{
    binfix f;
    bin_setup(&f, true);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, NULL, &e), E_OK, "%s", e.msg);
    expect_base_binary(&m);
    expect_base_calibration(&m);
    met_done(&m);
}

Test(met, binary_selection_subset)
{
    /* rows {0, 2, 4, 5, 7, 8}: y = 1 1 0 0 0 1, p = 0.9 0.4 0.8 0.2 0.0 0.0,
     * yhat = 1 0 1 0 0 0. scikit-learn on the subset:
     *   accuracy 0.5; P = [0.5, 0.5], R = [0.6666666666666666, 0.3333333333333333],
     *   F = [0.5714285714285715, 0.4]; macro = weighted = 0.48571428571428577;
     *   roc_auc 0.6111111111111112; brier 0.34166666666666673;
     *   log_loss(eps=1e-15) 6.232168184365162; confusion [[2, 1], [2, 1]].
     * Calibration by hand: conf 0.9 0.6 0.8 0.8 1.0 1.0 -> bin 8 (row 0, ok), bin 5 (row 2,
     * err), bin 7 (rows 4 err, 5 ok), bin 9 (rows 7 ok, 8 err):
     * ECE = (0.1 + 0.6 + 2 * 0.3 + 2 * 0.5) / 6 = 2.3 / 6; MCE = 0.6. */
    binfix f;
    bin_setup(&f, false);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, BN, false, NULL), E_OK);
    const size_t rows[6] = {0, 2, 4, 5, 7, 8};
    for (int i = 0; i < 6; i++)
        bm_set(&sel, rows[i]);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, &sel, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.n, 6);
    cr_expect_eq(m.nerr, 3);
    EXPECT_NEAR(m.accuracy, 0.5, 1e-15);
    const size_t cm[4] = {2, 1, 2, 1};
    for (int i = 0; i < 4; i++)
        cr_expect_eq(m.confusion[i], cm[i]);
    EXPECT_NEAR(m.per_class[0].precision, 0.5, 1e-15);
    EXPECT_NEAR(m.per_class[1].precision, 0.5, 1e-15);
    EXPECT_NEAR(m.per_class[0].recall, 0.6666666666666666, 1e-15);
    EXPECT_NEAR(m.per_class[1].recall, 0.3333333333333333, 1e-15);
    EXPECT_NEAR(m.per_class[0].f1, 0.5714285714285715, 1e-15);
    EXPECT_NEAR(m.per_class[1].f1, 0.4, 1e-15);
    EXPECT_NEAR(m.macro_f1, 0.48571428571428577, 1e-15);
    EXPECT_NEAR(m.weighted_f1, 0.48571428571428577, 1e-15);
    EXPECT_NEAR(m.roc_auc, 0.6111111111111112, 1e-15);
    EXPECT_NEAR(m.brier, 0.34166666666666673, 1e-15);
    EXPECT_NEAR(m.log_loss, 6.232168184365162, 1e-13);
    EXPECT_NEAR(m.ece, 2.3 / 6.0, 1e-15);
    EXPECT_NEAR(m.mce, 0.6, 1e-15);
    met_done(&m);
    bm_done(&sel);
}

Test(met, unknown_rows_excluded_and_counted)
{
    /* The base table plus a row without a label and a row without a prediction: both are
     * counted as not evaluated and change nothing else. */
    binfix f;
    bin_setup(&f, false);
    f.y[BN] = NA, f.yhat[BN] = 1, f.p[BN] = 0.7, f.conf[BN] = 0.7;
    f.y[BN + 1] = 0, f.yhat[BN + 1] = NA, f.p[BN + 1] = 0.9, f.conf[BN + 1] = 0.9;
    f.o.n = BN + 2;
    flag_rows(&f.o);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, NULL, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.nunknown, 2);
    expect_base_binary(&m);
    expect_base_calibration(&m);
    met_done(&m);
}

Test(met, row_with_missing_score_counts_for_accuracy_only)
{
    /* A 12th row, y = 1, yhat = 1 (correct), with no score: accuracy becomes 9/12, while
     * the score figures still cover the 11 scored rows (nscored = 11). */
    binfix f;
    bin_setup(&f, false);
    f.y[BN] = 1, f.yhat[BN] = 1, f.p[BN] = NAN, f.conf[BN] = NAN;
    f.o.n = BN + 1;
    flag_rows(&f.o);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, NULL, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.n, 12);
    EXPECT_NEAR(m.accuracy, 9.0 / 12.0, 1e-15);
    cr_expect_eq(m.nscored, 11);
    EXPECT_NEAR(m.roc_auc, 0.7166666666666666, 1e-15);
    EXPECT_NEAR(m.brier, 0.22545454545454546, 1e-15);
    EXPECT_NEAR(m.log_loss, 3.544952622634173, 1e-13);
    expect_base_calibration(&m);
    met_done(&m);
}

Test(met, auc_undefined_with_one_class)
{
    /* Only negatives selected (rows 4..7): no ROC curve; the other figures still exist. */
    binfix f;
    bin_setup(&f, false);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, BN, false, NULL), E_OK);
    for (size_t i = 4; i <= 7; i++)
        bm_set(&sel, i);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, &sel, &e), E_OK, "%s", e.msg);
    cr_expect(isnan(m.roc_auc));
    cr_expect_eq(m.nscored, 4);
    /* brier (0.8^2 + 0.2^2 + 0.1^2 + 0) / 4 = 0.69 / 4 */
    EXPECT_NEAR(m.brier, 0.69 / 4, 1e-15);
    /* class 1 never true but predicted once: precision 0, recall 0 (zero_division),
     * and it is present (a prediction), so the macro mean is (F1 of class 0 + 0) / 2:
     * class 0: P = 3/3, R = 3/4, F1 = 2 * 0.75 / 1.75 = 6/7. */
    EXPECT_NEAR(m.per_class[0].f1, 6.0 / 7.0, 1e-15);
    EXPECT_NEAR(m.per_class[1].f1, 0.0, 0);
    EXPECT_NEAR(m.macro_f1, 3.0 / 7.0, 1e-15);
    EXPECT_NEAR(m.weighted_f1, 6.0 / 7.0, 1e-15);
    met_done(&m);
    bm_done(&sel);
}

Test(met, empty_selection)
{
    binfix f;
    bin_setup(&f, false);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, BN, false, NULL), E_OK);
    metrics m;
    cr_assert_eq(met_compute(&m, &f.o, &sel, NULL), E_OK);
    cr_expect_eq(m.n, 0);
    cr_expect_eq(m.nscored, 0);
    cr_expect(isnan(m.accuracy) && isnan(m.error_rate) && isnan(m.macro_f1));
    cr_expect(isnan(m.weighted_f1) && isnan(m.roc_auc) && isnan(m.brier));
    cr_expect(isnan(m.log_loss) && isnan(m.ece) && isnan(m.mce));
    for (int i = 0; i < 4; i++)
        cr_expect_eq(m.confusion[i], 0);
    met_done(&m);
    bm_done(&sel);
}

Test(met, selection_of_the_wrong_size_is_an_error)
{
    binfix f;
    bin_setup(&f, false);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, BN - 1, true, NULL), E_OK);
    metrics m;
    err e = {0};
    cr_expect_eq(met_compute(&m, &f.o, &sel, &e), E_RANGE);
    cr_expect_eq(e.code, E_RANGE);
    cr_expect(m.confusion == NULL && m.per_class == NULL);
    met_done(&m);
    bm_done(&sel);
}

Test(met, done_is_safe_on_zeroed_and_twice)
{
    metrics m;
    memset(&m, 0, sizeof m);
    met_done(&m);
    met_done(&m);
    /* a zeroed outcome has no rows: nothing evaluated, nothing allocated that leaks */
    outcome o;
    memset(&o, 0, sizeof o);
    cr_assert_eq(met_compute(&m, &o, NULL, NULL), E_OK);
    cr_expect_eq(m.n, 0);
    met_done(&m);
    met_done(&m);
}

/* -------------------------------------------------------------------------- multiclass */

/* 4 classes a, b, c, d; d occurs nowhere and has no score column; c is never predicted.
 *  row     0    1    2    3    4    5    6    7
 *  y       0    0    0    1    1    2    2    2
 *  yhat    0    0    1    1    1    0    1    1
 *  p(a)    0.7  0.5  0.3  0.1  0.2  0.6  0.2  0.0
 *  p(b)    0.2  0.3  0.6  0.8  0.5  0.1  0.4  1.0
 *  p(c)    0.1  0.2  0.1  0.1  0.3  0.3  0.4  0.0
 *  conf    0.7  0.5  0.6  0.8  0.5  0.6  0.4  1.0 */
Test(met, multiclass_zero_division_and_macro_over_present_classes)
{
    uint32_t y[8] = {0, 0, 0, 1, 1, 2, 2, 2}, yhat[8] = {0, 0, 1, 1, 1, 0, 1, 1};
    uint8_t fl[8];
    double pa[8] = {0.7, 0.5, 0.3, 0.1, 0.2, 0.6, 0.2, 0.0};
    double pb[8] = {0.2, 0.3, 0.6, 0.8, 0.5, 0.1, 0.4, 1.0};
    double pc[8] = {0.1, 0.2, 0.1, 0.1, 0.3, 0.3, 0.4, 0.0};
    double conf[8] = {0.7, 0.5, 0.6, 0.8, 0.5, 0.6, 0.4, 1.0};
    const double *cols[4] = {pa, pb, pc, NULL};
    outcome o = classes_outcome(TASK_MULTICLASS, 4, NA, 8, y, yhat, fl, conf);
    o.score = cols;
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &o, NULL, &e), E_OK, "%s", e.msg);
    /* scikit-learn, labels=[0, 1, 2, 3], zero_division=0:
     *   accuracy 0.5; P = [0.6666666666666666, 0.4, 0.0, 0.0],
     *   R = [0.6666666666666666, 1.0, 0.0, 0.0], F = [0.6666666666666666,
     *   0.5714285714285715, 0.0, 0.0], support = [3, 2, 3, 0];
     *   f1_score(average="macro") = 0.41269841269841273 (labels present: a, b, c);
     *   f1_score(average="weighted") = 0.3928571428571429;
     *   log_loss(y, [pa, pb, pc, 0], labels=[0, 1, 2, 3], eps=1e-15) = 4.978640698976194;
     *   confusion_matrix = [[2,1,0,0],[0,2,0,0],[1,2,0,0],[0,0,0,0]]. */
    cr_expect_eq(m.n, 8);
    cr_expect_eq(m.nerr, 4);
    EXPECT_NEAR(m.accuracy, 0.5, 1e-15);
    const size_t cm[16] = {2, 1, 0, 0, 0, 2, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 16; i++)
        cr_expect_eq(m.confusion[i], cm[i], "confusion[%d]", i);
    const double P[4] = {0.6666666666666666, 0.4, 0, 0}, R[4] = {0.6666666666666666, 1, 0, 0},
                 F[4] = {0.6666666666666666, 0.5714285714285715, 0, 0};
    const size_t S[4] = {3, 2, 3, 0};
    for (int k = 0; k < 4; k++) {
        EXPECT_NEAR(m.per_class[k].precision, P[k], 1e-15);
        EXPECT_NEAR(m.per_class[k].recall, R[k], 1e-15);
        EXPECT_NEAR(m.per_class[k].f1, F[k], 1e-15);
        cr_expect_eq(m.per_class[k].support, S[k]);
    }
    EXPECT_NEAR(m.macro_f1, 0.41269841269841273, 1e-15);
    EXPECT_NEAR(m.weighted_f1, 0.3928571428571429, 1e-15);
    cr_expect(isnan(m.roc_auc));
    cr_expect_eq(m.nscored, 8);
    /* Brier, by hand, sum over classes of (p_k - y_k)^2 per row:
     * 0.14, 0.38, 0.86, 0.06, 0.38, 0.86, 0.56, 2 -> 5.24 / 8 = 0.655 */
    EXPECT_NEAR(m.brier, 0.655, 1e-15);
    EXPECT_NEAR(m.log_loss, 4.978640698976194, 1e-13);
    /* calibration by hand: bin 3 (row 6, err, 0.4): gap 0.4; bin 4 (rows 1, 4 ok, 0.5):
     * 0.5; bin 5 (rows 2, 5 err, 0.6): 0.6; bin 6 (row 0 ok, 0.7): 0.3; bin 7 (row 3 ok,
     * 0.8): 0.2; bin 9 (row 7 err, 1.0): 1.
     * ECE = (0.4 + 2 * 0.5 + 2 * 0.6 + 0.3 + 0.2 + 1) / 8 = 4.1 / 8; MCE = 1. */
    EXPECT_NEAR(m.ece, 4.1 / 8, 1e-15);
    EXPECT_NEAR(m.mce, 1.0, 1e-15);
    met_done(&m);
}

/* ------------------------------------------------------------------------- calibration */

Test(met, bin_of_edges)
{
    /* bin 0 = [0, 0.1], bin i = (i/10, (i+1)/10] */
    cr_expect_eq(met_bin_of(0.0), 0);
    cr_expect_eq(met_bin_of(0.05), 0);
    cr_expect_eq(met_bin_of(0.1), 0);
    cr_expect_eq(met_bin_of(nextafter(0.1, 1)), 1);
    cr_expect_eq(met_bin_of(0.2), 1);
    cr_expect_eq(met_bin_of(0.3), 2);
    cr_expect_eq(met_bin_of(0.7), 6); /* 0.7 * 10 rounds to 7.0 */
    cr_expect_eq(met_bin_of(0.9), 8);
    cr_expect_eq(met_bin_of(0.95), 9);
    cr_expect_eq(met_bin_of(1.0), 9);
    cr_expect_eq(met_bin_of(-0.5), 0);
    cr_expect_eq(met_bin_of(1.5), 9);
    cr_expect_eq(met_bin_of(NAN), -1);
    for (int k = 1; k <= 10; k++) {
        double edge = k / 10.0;
        cr_expect_eq(met_bin_of(edge), k - 1, "edge %d/10", k);
        if (k < 10)
            cr_expect_eq(met_bin_of(nextafter(edge, 2)), k, "just above %d/10", k);
        cr_expect_eq(met_bin_of(nextafter(edge, 0)), k - 1, "just below %d/10", k);
    }
}

Test(met, calibration_on_bin_edges_and_zero)
{
    /* 3 classes; confidences on the edges 0.0, 0.1, 0.2 and 0.7:
     *  row  scores             y  yhat  conf  bin   correct
     *  0    (0, 0, 0)          0  0     0.0   0     yes
     *  1    (0.1, 0.05, 0.05)  1  0     0.1   0     no
     *  2    (0.2, 0.1, 0.1)    0  0     0.2   1     yes
     *  3    (0.15, 0.1, 0.05)  1  0     0.15  1     no
     *  4    (0.1, 0.7, 0.2)    1  1     0.7   6     yes
     *  5    (0.05, 0.05, 0.9)  2  2     0.9   8     yes
     * bin 0: n 2, acc 0.5, conf 0.05, gap 0.45; bin 1: n 2, acc 0.5, conf 0.175,
     * gap 0.325; bin 6: gap 0.3; bin 8: gap 0.1.
     * ECE = (2 * 0.45 + 2 * 0.325 + 0.3 + 0.1) / 6 = 1.95 / 6 = 0.325; MCE = 0.45.
     * log_loss(y, scores, labels=[0, 1, 2], eps=1e-15) = 0.7897835964354356 (row 0 is
     * clipped to 1e-15 each and renormalised to 1/3). */
    uint32_t y[6] = {0, 1, 0, 1, 1, 2}, yhat[6] = {0, 0, 0, 0, 1, 2};
    uint8_t fl[6];
    double p0[6] = {0, 0.1, 0.2, 0.15, 0.1, 0.05};
    double p1[6] = {0, 0.05, 0.1, 0.1, 0.7, 0.05};
    double p2[6] = {0, 0.05, 0.1, 0.05, 0.2, 0.9};
    double conf[6] = {0.0, 0.1, 0.2, 0.15, 0.7, 0.9};
    const double *cols[3] = {p0, p1, p2};
    outcome o = classes_outcome(TASK_MULTICLASS, 3, NA, 6, y, yhat, fl, conf);
    o.score = cols;
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &o, NULL, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.bins[0].n, 2);
    cr_expect_eq(m.bins[1].n, 2);
    cr_expect_eq(m.bins[6].n, 1);
    cr_expect_eq(m.bins[8].n, 1);
    EXPECT_NEAR(m.bins[0].confidence, 0.05, 1e-15);
    EXPECT_NEAR(m.bins[0].accuracy, 0.5, 1e-15);
    EXPECT_NEAR(m.bins[1].confidence, 0.175, 1e-15);
    EXPECT_NEAR(m.ece, 0.325, 1e-15);
    EXPECT_NEAR(m.mce, 0.45, 1e-15);
    EXPECT_NEAR(m.log_loss, 0.7897835964354356, 1e-13);
    /* without a confidence array, the largest score is used: the same figures */
    metrics m2;
    o.conf = NULL;
    cr_assert_eq(met_compute(&m2, &o, NULL, &e), E_OK, "%s", e.msg);
    EXPECT_NEAR(m2.ece, 0.325, 1e-15);
    EXPECT_NEAR(m2.mce, 0.45, 1e-15);
    met_done(&m2);
    met_done(&m);
}

Test(met, large_auc_with_heavy_ties_matches_counting)
{
    /* 200000 rows, scores on 21 levels k/20, label drawn with P(1) rising with the score.
     * Expected AUC by counting per level, no sorting: each positive at level v counts the
     * negatives below v and half of those at v. */
    enum { N = 200000, L = 21 };
    uint32_t *y = malloc(N * sizeof *y), *yhat = malloc(N * sizeof *yhat);
    uint8_t *fl = malloc(N);
    double *p = malloc(N * sizeof *p), *conf = malloc(N * sizeof *conf);
    cr_assert(y && yhat && fl && p && conf);
    double pos[L] = {0}, neg[L] = {0};
    uint64_t s = 12345;
    for (size_t i = 0; i < N; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        int v = (int)((s >> 33) % L);
        s = s * 6364136223846793005u + 1442695040888963407u;
        double u = (double)(s >> 11) / 9007199254740992.0;
        y[i] = u < 0.2 + 0.6 * v / (L - 1) ? 1 : 0;
        p[i] = v / 20.0;
        yhat[i] = p[i] >= 0.5;
        conf[i] = p[i] > 0.5 ? p[i] : 1 - p[i];
        (y[i] ? pos : neg)[v]++;
    }
    double below = 0, u2 = 0, P = 0, Nn = 0;
    for (int v = 0; v < L; v++) {
        u2 += pos[v] * (below + 0.5 * neg[v]);
        below += neg[v];
        P += pos[v];
        Nn += neg[v];
    }
    outcome o = classes_outcome(TASK_BINARY, 2, 1, N, y, yhat, fl, conf);
    o.pos_score = p;
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &o, NULL, &e), E_OK, "%s", e.msg);
    EXPECT_NEAR(m.roc_auc, u2 / (P * Nn), 1e-12);
    met_done(&m);
    free(y);
    free(yhat);
    free(fl);
    free(p);
    free(conf);
}

Test(met, auc_random_scores_match_pairwise_count)
{
    /* 3000 rows with continuous scores of both signs and magnitudes from 1e-3 to 1e3 (a
     * few repeated): the AUC must equal the plain definition, the share of
     * (positive, negative) pairs ordered right, ties counting half. */
    enum { N = 3000 };
    static uint32_t y[N], yhat[N];
    static uint8_t fl[N];
    static double p[N];
    uint64_t s = 777;
    for (size_t i = 0; i < N; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        double u = (double)(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005u + 1442695040888963407u;
        double w = (double)(s >> 11) / 9007199254740992.0;
        p[i] = i % 10 == 0 ? p[i / 2] : (u - 0.5) * pow(10, 6 * w - 3);
        y[i] = w < 0.5 + (u - 0.5) * 0.8;
        yhat[i] = p[i] > 0;
    }
    double good = 0, pairs = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++)
            if (y[i] == 1 && y[j] == 0) {
                pairs++;
                good += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
            }
    outcome o = classes_outcome(TASK_BINARY, 2, 1, N, y, yhat, fl, NULL);
    o.pos_score = p;
    metrics m;
    cr_assert_eq(met_compute(&m, &o, NULL, NULL), E_OK);
    cr_expect_eq(m.nscored, N);
    EXPECT_NEAR(m.roc_auc, good / pairs, 1e-13);
    met_done(&m);
}

Test(met, auc_with_negative_and_signed_zero_scores)
{
    /* Scores need not be probabilities: margins -2, -0.0, 0.0, 3. Positives {-0.0, 3},
     * negatives {-2, 0.0}: -0.0 ties 0.0 (half) and beats -2 -> 1.5; 3 beats both -> 2.
     * AUC = 3.5 / 4. */
    uint32_t y[4] = {0, 1, 0, 1}, yhat[4] = {0, 1, 1, 1};
    uint8_t fl[4];
    double p[4] = {-2, -0.0, 0.0, 3}, conf[4] = {NAN, NAN, NAN, NAN};
    outcome o = classes_outcome(TASK_BINARY, 2, 1, 4, y, yhat, fl, conf);
    o.pos_score = p;
    metrics m;
    cr_assert_eq(met_compute(&m, &o, NULL, NULL), E_OK);
    /* no confidence: the rows leave the score figures, AUC included */
    cr_expect_eq(m.nscored, 0);
    cr_expect(isnan(m.roc_auc));
    met_done(&m);
    o.conf = NULL; /* the largest score stands in for it */
    cr_assert_eq(met_compute(&m, &o, NULL, NULL), E_OK);
    cr_expect_eq(m.nscored, 4);
    EXPECT_NEAR(m.roc_auc, 3.5 / 4, 1e-15);
    met_done(&m);
}

/* -------------------------------------------------------------------------- regression */

/* y = 3, -0.5, 2, 7, 4, (missing); estimate 2.5, 0, 2, 8, 6, 1; fails above 0.75.
 * d = estimate - y = -0.5, 0.5, 0, 1, 2; |d| = 0.5, 0.5, 0, 1, 2: rows 3 and 4 fail. */
typedef struct regfix {
    double yt[6], yp[6];
    uint8_t err[6];
    outcome o;
} regfix;

static void reg_setup(regfix *f)
{
    const double yt[6] = {3, -0.5, 2, 7, 4, NAN}, yp[6] = {2.5, 0, 2, 8, 6, 1};
    const uint8_t fl[6] = {OUT_CORRECT, OUT_CORRECT, OUT_CORRECT,
                           OUT_ERROR,   OUT_ERROR,   OUT_UNKNOWN};
    memcpy(f->yt, yt, sizeof yt);
    memcpy(f->yp, yp, sizeof yp);
    memcpy(f->err, fl, sizeof fl);
    memset(&f->o, 0, sizeof f->o);
    f->o.n = 6;
    f->o.task = TASK_REGRESSION;
    f->o.positive = NA;
    f->o.ytrue = f->yt;
    f->o.ypred = f->yp;
    f->o.err = f->err;
    f->o.fail_above = 0.75;
    f->o.nerr = 2;
    f->o.nunknown = 1;
}

Test(met, regression_by_hand)
{
    /* MAE = 4 / 5 = 0.8; MSE = (0.25 + 0.25 + 0 + 1 + 4) / 5 = 1.1, RMSE = sqrt(1.1);
     * mean y = 15.5 / 5 = 3.1, SS_tot = 0.01 + 12.96 + 1.21 + 15.21 + 0.81 = 30.2,
     * R^2 = 1 - 5.5 / 30.2 = 0.81788079...; median |d| of {0, 0.5, 0.5, 1, 2} = 0.5.
     * scikit-learn: 0.8, 1.0488088481701516, 0.8178807947019867, 0.5. */
    regfix f;
    reg_setup(&f);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, NULL, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.n, 5);
    cr_expect_eq(m.nerr, 2);
    cr_expect_eq(m.nunknown, 1);
    EXPECT_NEAR(m.error_rate, 0.4, 1e-15);
    EXPECT_NEAR(m.accuracy, 0.6, 1e-15);
    EXPECT_NEAR(m.mae, 0.8, 1e-15);
    EXPECT_NEAR(m.rmse, 1.0488088481701516, 1e-15);
    EXPECT_NEAR(m.r2, 0.8178807947019867, 1e-15);
    EXPECT_NEAR(m.median_ae, 0.5, 0);
    EXPECT_NEAR(m.fail_above, 0.75, 0);
    /* classification figures do not apply */
    cr_expect_eq(m.nclass, 0);
    cr_expect(m.confusion == NULL && m.per_class == NULL);
    cr_expect(isnan(m.macro_f1) && isnan(m.roc_auc) && isnan(m.brier) && isnan(m.ece));
    met_done(&m);
}

Test(met, regression_selection_even_median)
{
    /* rows {0, 2, 3, 4, 5}: the missing row 5 is counted, the others give |d| = 0.5, 0, 1,
     * 2: MAE 3.5 / 4 = 0.875; MSE 5.25 / 4, RMSE 1.14564392373896; mean y 4,
     * SS_tot = 1 + 4 + 9 + 0 = 14, R^2 = 1 - 5.25 / 14 = 0.625; median (0.5 + 1) / 2 = 0.75.
     * scikit-learn on the four rows: 0.875, 1.14564392373896, 0.625, 0.75. */
    regfix f;
    reg_setup(&f);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 6, true, NULL), E_OK);
    bm_clear(&sel, 1);
    metrics m;
    err e = {0};
    cr_assert_eq(met_compute(&m, &f.o, &sel, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.n, 4);
    cr_expect_eq(m.nunknown, 1);
    EXPECT_NEAR(m.error_rate, 0.5, 1e-15);
    EXPECT_NEAR(m.mae, 0.875, 1e-15);
    EXPECT_NEAR(m.rmse, 1.14564392373896, 1e-14);
    EXPECT_NEAR(m.r2, 0.625, 1e-15);
    EXPECT_NEAR(m.median_ae, 0.75, 0);
    met_done(&m);
    bm_done(&sel);
}

Test(met, regression_constant_target_has_no_r2)
{
    /* rows {0}: SS_tot = 0, R^2 undefined (NAN) */
    regfix f;
    reg_setup(&f);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 6, false, NULL), E_OK);
    bm_set(&sel, 0);
    metrics m;
    cr_assert_eq(met_compute(&m, &f.o, &sel, NULL), E_OK);
    cr_expect_eq(m.n, 1);
    EXPECT_NEAR(m.mae, 0.5, 0);
    cr_expect(isnan(m.r2));
    met_done(&m);
    bm_done(&sel);
}
