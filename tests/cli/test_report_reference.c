/* `faultline report FILE --format json` on the four shared prediction files, checked against
 * figures derived without faultline:
 *  - the reference figures of samples/README.md (scikit-learn 1.2.1 / pandas 1.5.3);
 *  - numbers computed offline from the same CSV files with the Debian 12 packages
 *    python3-pandas 1.5.3, python3-numpy 1.24.2, python3-sklearn 1.2.1 and python3-scipy
 *    1.10.1 (the snippet used is quoted beside each figure).
 * Counts and rates are compared within 1e-9, everything else within 1e-6. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_common.h"

static jm_node *report_json(const char *file, const char *extra)
{
    char args[4096];
    snprintf(args, sizeof args, "report '%s' --format json %s", fl_shared(file), extra);
    return cli_json(args);
}

/* Headline classification figures shared by the three classification files. */
typedef struct {
    double rows, errors, accuracy, macro_f1, weighted_f1, brier, log_loss, ece, mce, roc_auc;
} classif_ref;

static void check_classification(const jm_node *r, const classif_ref *ref)
{
    CLI_EXPECT_NUM(r, "rows", ref->rows, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.accuracy", ref->accuracy, TOL_RATE);
    /* error_rate = errors / rows (exact ratio). */
    CLI_EXPECT_NUM(r, "metrics.error_rate", ref->errors / ref->rows, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.macro_f1", ref->macro_f1, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.weighted_f1", ref->weighted_f1, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.brier", ref->brier, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.log_loss", ref->log_loss, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.ece", ref->ece, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.mce", ref->mce, TOL_FIG);
    if (!isnan(ref->roc_auc))
        CLI_EXPECT_NUM(r, "metrics.roc_auc", ref->roc_auc, TOL_FIG);
}

static void check_strings(const jm_node *arr, const char *what, const char *const *want, size_t n)
{
    cr_assert(arr && arr->type == JM_ARR, "%s is not an array", what);
    cr_assert_eq(jm_len(arr), n, "%s: expected %zu entries, got %zu", what, n, jm_len(arr));
    for (size_t i = 0; i < n; i++) {
        const char *s = jm_str(jm_at(arr, i));
        cr_expect(s && strcmp(s, want[i]) == 0, "%s[%zu]: expected \"%s\", got \"%s\"", what, i,
                  want[i], s ? s : "(not a string)");
    }
}

static void check_matrix(const jm_node *r, const double *want, size_t k)
{
    const jm_node *m = jm_path(r, "confusion.matrix");
    cr_assert(m && m->type == JM_ARR, "confusion.matrix is not an array");
    cr_assert_eq(jm_len(m), k, "confusion.matrix: expected %zu rows, got %zu", k, jm_len(m));
    for (size_t i = 0; i < k; i++) {
        const jm_node *row = jm_at(m, i);
        cr_assert_eq(jm_len(row), k, "confusion.matrix[%zu]: expected %zu cells", i, k);
        for (size_t j = 0; j < k; j++) {
            char what[64];
            snprintf(what, sizeof what, "confusion.matrix[%zu][%zu]", i, j);
            CLI_NEAR(jm_num(jm_at(row, j)), want[i * k + j], TOL_RATE, what);
        }
    }
}

/* Expected role, type (NULL: not checked), missing count (-1: not checked) of one column. */
typedef struct {
    const char *name, *role, *type;
    double missing;
} col_ref;

static void check_columns(const jm_node *r, const col_ref *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const jm_node *c = cli_column(r, want[i].name);
        const char *role = jm_str(jm_get(c, "role"));
        cr_expect(role && strcmp(role, want[i].role) == 0, "column %s: role \"%s\", expected \"%s\"",
                  want[i].name, role ? role : "(none)", want[i].role);
        if (want[i].type) {
            const char *type = jm_str(jm_get(c, "type"));
            cr_expect(type && strcmp(type, want[i].type) == 0,
                      "column %s: type \"%s\", expected \"%s\"", want[i].name,
                      type ? type : "(none)", want[i].type);
        }
        if (want[i].missing >= 0) {
            char what[160];
            snprintf(what, sizeof what, "column %s: missing", want[i].name);
            CLI_NEAR(jm_num(jm_get(c, "missing")), want[i].missing, TOL_RATE, what);
        }
    }
}

/* Per-class precision, recall, F1, support of one class. */
static void check_class(const jm_node *r, const char *cls, double p, double rc, double f1,
                        double support)
{
    const jm_node *c = jm_find(jm_get(r, "per_class"), "class", cls);
    cr_assert(c != NULL, "per_class has no entry for class \"%s\"", cls);
    char what[96];
    snprintf(what, sizeof what, "per_class[%s].precision", cls);
    CLI_NEAR(jm_num(jm_get(c, "precision")), p, TOL_RATE, what);
    snprintf(what, sizeof what, "per_class[%s].recall", cls);
    CLI_NEAR(jm_num(jm_get(c, "recall")), rc, TOL_RATE, what);
    snprintf(what, sizeof what, "per_class[%s].f1", cls);
    CLI_NEAR(jm_num(jm_get(c, "f1")), f1, TOL_RATE, what);
    snprintf(what, sizeof what, "per_class[%s].support", cls);
    CLI_NEAR(jm_num(jm_get(c, "support")), support, TOL_RATE, what);
}

/* One calibration bin: (lo, hi], n rows, accuracy, mean confidence. */
typedef struct {
    double lo, hi, n, accuracy, confidence;
} calib_ref;

/* The non-empty bins of "calibration" must be exactly the expected ones (empty bins may be
 * listed with n = 0 or left out). */
static void check_calibration(const jm_node *r, const calib_ref *want, size_t n)
{
    const jm_node *cal = jm_get(r, "calibration");
    cr_assert(cal && cal->type == JM_ARR, "calibration is not an array");
    size_t nonempty = 0;
    for (size_t i = 0; i < jm_len(cal); i++)
        if (jm_num(jm_get(jm_at(cal, i), "n")) > 0)
            nonempty++;
    cr_expect_eq(nonempty, n, "calibration: %zu non-empty bins, expected %zu", nonempty, n);
    for (size_t k = 0; k < n; k++) {
        const jm_node *b = NULL;
        for (size_t i = 0; i < jm_len(cal) && !b; i++)
            if (fabs(jm_num(jm_get(jm_at(cal, i), "lo")) - want[k].lo) < 1e-9)
                b = jm_at(cal, i);
        cr_assert(b != NULL, "calibration has no bin with lo = %g", want[k].lo);
        char what[64];
        snprintf(what, sizeof what, "calibration bin %g: hi", want[k].lo);
        CLI_NEAR(jm_num(jm_get(b, "hi")), want[k].hi, TOL_RATE, what);
        snprintf(what, sizeof what, "calibration bin %g: n", want[k].lo);
        CLI_NEAR(jm_num(jm_get(b, "n")), want[k].n, TOL_RATE, what);
        snprintf(what, sizeof what, "calibration bin %g: accuracy", want[k].lo);
        CLI_NEAR(jm_num(jm_get(b, "accuracy")), want[k].accuracy, TOL_RATE, what);
        snprintf(what, sizeof what, "calibration bin %g: confidence", want[k].lo);
        CLI_NEAR(jm_num(jm_get(b, "confidence")), want[k].confidence, TOL_FIG, what);
    }
}

/* ---------------------------------------------------------------- spam (binary, text, time) */

Test(cli_ref, spam_task_classes_positive)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    cr_expect(strcmp(cli_str(r, "task"), "binary") == 0, "task: %s", cli_str(r, "task"));
    static const char *const cls[] = {"ham", "spam"};
    check_strings(jm_get(r, "classes"), "classes", cls, 2);
    /* No --positive: the second class in byte order. */
    cr_expect(strcmp(cli_str(r, "positive"), "spam") == 0, "positive: %s", cli_str(r, "positive"));
}

Test(cli_ref, spam_metrics_match_sklearn)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    classif_ref ref = {2419, 70, 0.9710624225, 0.9656928929, 0.9707482180, 0.0285176984,
                       0.1393482704, 0.0855956494, 0.1664805904, 0.9978268806};
    check_classification(r, &ref);
}

Test(cli_ref, spam_confusion_matrix_rows_true_cols_predicted)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    static const char *const lab[] = {"ham", "spam"};
    check_strings(jm_path(r, "confusion.labels"), "confusion.labels", lab, 2);
    static const double m[] = {1653, 7, 63, 696};
    check_matrix(r, m, 2);
}

Test(cli_ref, spam_column_roles_types_and_missing)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    /* Missing counts from the data README: 1 date, 5 sender domains, 10 bodies and 11 subjects
     * are empty. One more subject is the word "none" (data row 2254, spam-2:01018), and
     * "None" is a missing token, case-insensitive, so subject has 12 missing cells. Checked
     * with pandas: d.subject.str.lower().isin(["", "na", "n/a", "nan", "null", "none", "?"]).
     * The 28 dates of year 0102 are valid ISO-8601 timestamps and must not become missing. */
    static const col_ref cols[] = {
        {"msg_id", "id", NULL, 0},
        {"subject", "text", "text", 12},
        {"body", "text", "text", 10},
        {"corpus_group", "feature", "categorical", 0},
        {"corpus_part", "feature", "categorical", 0},
        {"date", "time", "time", 1},
        {"sender_domain", "feature", NULL, 5},
        {"body_length", "feature", "numeric", 0},
        {"num_links", "feature", "numeric", 0},
        {"has_html", "feature", "numeric", 0},
        {"label", "label", NULL, 0},
        {"prediction", "prediction", NULL, 0},
        {"prob_spam", "score", "numeric", 0},
        {"prob_ham", "score", "numeric", 0},
    };
    check_columns(r, cols, sizeof cols / sizeof cols[0]);
    cr_expect_eq(jm_len(jm_get(r, "columns")), 14, "spam has 14 columns, JSON lists %zu",
                 jm_len(jm_get(r, "columns")));
}

Test(cli_ref, spam_per_class_matches_sklearn)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    /* sklearn.metrics.precision_recall_fscore_support(label, prediction, labels=[ham, spam]) */
    check_class(r, "ham", 0.9632867132867133, 0.9957831325301205, 0.9792654028436019, 1660);
    check_class(r, "spam", 0.9900426742532006, 0.9169960474308301, 0.9521203830369357, 759);
}

Test(cli_ref, spam_calibration_bins_match_pandas)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    /* conf = max(prob_spam, prob_ham); bin 0 = [0, 0.1], bin i = (i/10, (i+1)/10]; per bin the
     * row count, the share of correct rows and the mean conf (pandas). No confidence sits on a
     * bin edge in this file; the top-class probability is always >= 0.5. */
    static const calib_ref bins[] = {
        {0.5, 0.6, 76, 0.4868421052631579, 0.5536469605263159},
        {0.6, 0.7, 87, 0.8045977011494253, 0.656977367816092},
        {0.7, 0.8, 166, 0.927710843373494, 0.7612302530120483},
        {0.8, 0.9, 581, 0.9982788296041308, 0.8614627745266781},
        {0.9, 1.0, 1509, 0.9993373094764745, 0.944990170974155},
    };
    check_calibration(r, bins, sizeof bins / sizeof bins[0]);
}

/* ------------------------------------------------------------------------- adult (binary) */

Test(cli_ref, adult_task_classes_positive)
{
    jm_node *r = report_json("adult_predictions.csv", "");
    cr_expect(strcmp(cli_str(r, "task"), "binary") == 0, "task: %s", cli_str(r, "task"));
    /* Byte order: '<' (0x3C) sorts before '>' (0x3E). */
    static const char *const cls[] = {"<=50K", ">50K"};
    check_strings(jm_get(r, "classes"), "classes", cls, 2);
    cr_expect(strcmp(cli_str(r, "positive"), ">50K") == 0, "positive: %s", cli_str(r, "positive"));
}

Test(cli_ref, adult_metrics_and_confusion_match_sklearn)
{
    jm_node *r = report_json("adult_predictions.csv", "");
    classif_ref ref = {16281, 2099, 0.8710767152, 0.8112903566, 0.8673253887, 0.0887596245,
                       0.2782289747, 0.0088851076, 0.0227813716, 0.9267311601};
    check_classification(r, &ref);
    static const char *const lab[] = {"<=50K", ">50K"};
    check_strings(jm_path(r, "confusion.labels"), "confusion.labels", lab, 2);
    static const double m[] = {11673, 762, 1337, 2509};
    check_matrix(r, m, 2);
    /* precision_recall_fscore_support(y_true, y_pred, labels=["<=50K", ">50K"]) */
    check_class(r, "<=50K", 0.8972328977709454, 0.9387213510253317, 0.9175083513460405, 12435);
    check_class(r, ">50K", 0.7670437175175787, 0.6523660946437857, 0.7050723619502599, 3846);
}

Test(cli_ref, adult_column_roles_types_and_missing)
{
    jm_node *r = report_json("adult_predictions.csv", "");
    /* Missing: README (workclass 963, occupation 966, native-country 274); every other column
     * is complete (no empty cell and no missing token anywhere else, checked with pandas). */
    static const col_ref cols[] = {
        {"row_id", "id", NULL, 0},
        {"age", "feature", "numeric", 0},
        {"workclass", "feature", "categorical", 963},
        {"fnlwgt", "feature", "numeric", 0},
        {"education", "feature", "categorical", 0},
        {"education-num", "feature", "numeric", 0},
        {"marital-status", "feature", "categorical", 0},
        {"occupation", "feature", "categorical", 966},
        {"relationship", "feature", "categorical", 0},
        {"race", "feature", "categorical", 0},
        {"sex", "feature", "categorical", 0},
        {"capital-gain", "feature", "numeric", 0},
        {"capital-loss", "feature", "numeric", 0},
        {"hours-per-week", "feature", "numeric", 0},
        {"native-country", "feature", "categorical", 274},
        {"y_true", "label", NULL, 0},
        {"y_pred", "prediction", NULL, 0},
        {"proba_<=50K", "score", "numeric", 0},
        {"proba_>50K", "score", "numeric", 0},
    };
    check_columns(r, cols, sizeof cols / sizeof cols[0]);
    cr_expect_eq(jm_len(jm_get(r, "columns")), 19, "adult has 19 columns, JSON lists %zu",
                 jm_len(jm_get(r, "columns")));
}

Test(cli_ref, adult_calibration_bins_match_pandas)
{
    jm_node *r = report_json("adult_predictions.csv", "");
    /* Same computation as for spam, over max(proba_<=50K, proba_>50K). */
    static const calib_ref bins[] = {
        {0.5, 0.6, 1335, 0.5453183520599251, 0.5502505213483145},
        {0.6, 0.7, 1406, 0.6351351351351351, 0.6510532247510669},
        {0.7, 0.8, 1661, 0.7290788681517159, 0.7506066514148103},
        {0.8, 0.9, 1741, 0.829408385985066, 0.8521897576105687},
        {0.9, 1.0, 10138, 0.9771158019333201, 0.981088295620438},
    };
    check_calibration(r, bins, sizeof bins / sizeof bins[0]);
}

/* ---------------------------------------------------------------- letters (26 classes) */

Test(cli_ref, letters_task_classes_metrics)
{
    jm_node *r = report_json("letters_predictions.csv", "");
    cr_expect(strcmp(cli_str(r, "task"), "multiclass") == 0, "task: %s", cli_str(r, "task"));
    const char *cls[26];
    static char names[26][2];
    for (int i = 0; i < 26; i++) {
        names[i][0] = (char)('A' + i);
        names[i][1] = '\0';
        cls[i] = names[i];
    }
    check_strings(jm_get(r, "classes"), "classes", cls, 26);
    check_strings(jm_path(r, "confusion.labels"), "confusion.labels", cls, 26);
    classif_ref ref = {4000, 563, 0.8592500000, 0.8629545282, 0.8625612676, 0.3403346609,
                       0.8820659752, 0.3037764347, 0.5466780212, NAN};
    check_classification(r, &ref);
}

Test(cli_ref, letters_confusion_and_per_class)
{
    jm_node *r = report_json("letters_predictions.csv", "");
    /* sklearn.metrics.confusion_matrix(target, predicted, labels=A..Z): row sums (supports),
     * diagonal, and the largest off-diagonal cell (true Q predicted O: 17). */
    static const double rows[26] = {156, 136, 142, 167, 152, 153, 164, 151, 165, 148, 146, 157, 144,
                                    166, 139, 168, 168, 161, 161, 151, 168, 136, 139, 159, 145, 158};
    static const double diag[26] = {137, 122, 126, 153, 126, 138, 137, 84,  138, 124, 124, 137, 139,
                                    135, 121, 141, 140, 146, 132, 127, 137, 123, 135, 143, 133, 139};
    const jm_node *m = jm_path(r, "confusion.matrix");
    cr_assert_eq(jm_len(m), 26, "confusion.matrix has %zu rows", jm_len(m));
    for (size_t i = 0; i < 26; i++) {
        const jm_node *row = jm_at(m, i);
        cr_assert_eq(jm_len(row), 26, "confusion.matrix[%zu] has %zu cells", i, jm_len(row));
        double sum = 0;
        for (size_t j = 0; j < 26; j++)
            sum += jm_num(jm_at(row, j));
        char what[64];
        snprintf(what, sizeof what, "row sum of class %c", (char)('A' + i));
        CLI_NEAR(sum, rows[i], TOL_RATE, what);
        snprintf(what, sizeof what, "diagonal of class %c", (char)('A' + i));
        CLI_NEAR(jm_num(jm_at(row, i)), diag[i], TOL_RATE, what);
    }
    CLI_EXPECT_NUM(r, "confusion.matrix[16][14]", 17, TOL_RATE);
    cr_expect_eq(jm_len(jm_get(r, "per_class")), 26, "per_class has %zu entries",
                 jm_len(jm_get(r, "per_class")));
    check_class(r, "A", 1.0, 0.8782051282051282, 0.9351535836177475, 156);
    check_class(r, "Z", 0.9455782312925171, 0.879746835443038, 0.9114754098360656, 158);
}

Test(cli_ref, letters_column_roles)
{
    jm_node *r = report_json("letters_predictions.csv", "");
    static const col_ref cols[] = {
        {"id", "id", NULL, 0},          {"x.box", "feature", "numeric", 0},
        {"yegvx", "feature", "numeric", 0}, {"target", "label", NULL, 0},
        {"predicted", "prediction", NULL, 0},
    };
    check_columns(r, cols, sizeof cols / sizeof cols[0]);
    for (int i = 0; i < 26; i++) {
        char name[16];
        snprintf(name, sizeof name, "score_%c", 'A' + i);
        const char *role = jm_str(jm_get(cli_column(r, name), "role"));
        cr_expect(role && strcmp(role, "score") == 0, "column %s: role %s", name,
                  role ? role : "(none)");
    }
}

/* ------------------------------------------------------------------ diamonds (regression) */

/* "price" and "pred_price" are not in the plain name lists; the figures below name the roles
 * with flags so that they test the regression numbers alone, and diamonds_column_roles checks
 * the detection of the pair (the prediction named pred_<label column>) on its own. */
#define DIAMONDS_ROLES "--label price --pred pred_price"

Test(cli_ref, diamonds_regression_metrics)
{
    jm_node *r = report_json("diamonds_predictions.csv", DIAMONDS_ROLES);
    cr_expect(strcmp(cli_str(r, "task"), "regression") == 0, "task: %s", cli_str(r, "task"));
    CLI_EXPECT_NUM(r, "rows", 16182, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.mae", 404.3223204795, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.rmse", 813.7660665517, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.r2", 0.9584115776, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.median_ae", 171.74, TOL_FIG);
}

Test(cli_ref, diamonds_roles_detected_without_flags)
{
    /* The data README names price the target and pred_price the prediction: a column "X"
     * next to "pred_X" is a common convention, and the report must work on the shared files
     * as they are. Trap: diamonds also has a column "y" (width in mm), which is on the list of
     * label names; it is a feature here, and taking it for the label would be wrong. */
    jm_node *r = report_json("diamonds_predictions.csv", "");
    static const col_ref cols[] = {
        {"diamond_id", "id", NULL, 0},   {"carat", "feature", "numeric", 0},
        {"cut", "feature", "categorical", 0}, {"color", "feature", "categorical", 0},
        {"clarity", "feature", "categorical", 0}, {"depth", "feature", "numeric", 0},
        {"price", "label", "numeric", 0}, {"pred_price", "prediction", "numeric", 0},
        {"x", "feature", "numeric", 0},  {"y", "feature", "numeric", 0},
    };
    check_columns(r, cols, sizeof cols / sizeof cols[0]);
}

/* Sum of "errors" (and "n") over the slices of one column that partitions the rows. */
static void slice_sums(const jm_node *r, const char *col, double *n, double *e)
{
    const jm_node *sl = jm_get(r, "slices");
    *n = *e = 0;
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        const char *c = jm_str(jm_get(s, "column"));
        if (c && strcmp(c, col) == 0) {
            *n += jm_num(jm_get(s, "n"));
            *e += jm_num(jm_get(s, "errors"));
        }
    }
}

Test(cli_ref, diamonds_default_fail_above_is_p90_of_abs_error)
{
    jm_node *r = report_json("diamonds_predictions.csv", DIAMONDS_ROLES);
    /* numpy: ae = |price - pred_price|; np.percentile(ae, 90) = 1020.1389999999988;
     * (ae > that).sum() = 1619 of 16182 rows. */
    CLI_EXPECT_NUM(r, "metrics.fail_above", 1020.139, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.error_rate", 1619.0 / 16182.0, TOL_RATE);
    /* The five cut levels partition the rows; their errors add up to the failing rows. */
    double n, e;
    slice_sums(r, "cut", &n, &e);
    CLI_NEAR(n, 16182, TOL_RATE, "sum of n over cut slices");
    CLI_NEAR(e, 1619, TOL_RATE, "sum of errors over cut slices");
}

Test(cli_ref, diamonds_fail_above_flag_sets_threshold)
{
    jm_node *r = report_json("diamonds_predictions.csv", DIAMONDS_ROLES " --fail-above 1000");
    /* numpy: (|price - pred_price| > 1000).sum() = 1656. */
    CLI_EXPECT_NUM(r, "metrics.fail_above", 1000, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.error_rate", 1656.0 / 16182.0, TOL_RATE);
    double n, e;
    slice_sums(r, "cut", &n, &e);
    CLI_NEAR(e, 1656, TOL_RATE, "sum of errors over cut slices");
    /* The fit figures do not depend on the threshold. */
    CLI_EXPECT_NUM(r, "metrics.mae", 404.3223204795, TOL_FIG);
}

/* ------------------------------------------------------------------ slices on real data */

Test(cli_ref, adult_sex_slices_match_pandas)
{
    jm_node *r = report_json("adult_predictions.csv", "");
    /* pandas: d.assign(err=d.y_true != d.y_pred).groupby("sex").err.agg(["size", "sum"]):
     * Female 5421 / 339, Male 10860 / 1760; overall 2099 errors in 16281 rows. Both tables have
     * all expected counts >= 5, so the p-value is Pearson's chi-square without correction:
     * scipy.stats.chi2_contingency([[e, n-e], [E-e, N-n-(E-e)]], correction=False) gives
     * 2.4448e-71 for both (the two tables are transposes of each other). */
    const double N = 16281, E = 2099;
    static const struct {
        const char *v;
        double n, e;
    } want[] = {{"Female", 5421, 339}, {"Male", 10860, 1760}};
    cr_expect_eq(cli_slice_count(r, "sex"), 2, "sex: %zu slices, expected 2 (no missing sex)",
                 cli_slice_count(r, "sex"));
    for (size_t i = 0; i < 2; i++) {
        const jm_node *s = cli_slice(r, "sex", want[i].v);
        cr_assert(s != NULL, "no slice sex = %s", want[i].v);
        char what[64];
        snprintf(what, sizeof what, "sex=%s n", want[i].v);
        CLI_NEAR(jm_num(jm_get(s, "n")), want[i].n, TOL_RATE, what);
        snprintf(what, sizeof what, "sex=%s errors", want[i].v);
        CLI_NEAR(jm_num(jm_get(s, "errors")), want[i].e, TOL_RATE, what);
        snprintf(what, sizeof what, "sex=%s error_rate", want[i].v);
        CLI_NEAR(jm_num(jm_get(s, "error_rate")), want[i].e / want[i].n, TOL_RATE, what);
        snprintf(what, sizeof what, "sex=%s lift", want[i].v);
        CLI_NEAR(jm_num(jm_get(s, "lift")), (want[i].e / want[i].n) / (E / N), TOL_RATE, what);
        snprintf(what, sizeof what, "sex=%s coverage", want[i].v);
        CLI_NEAR(jm_num(jm_get(s, "coverage")), want[i].e / E, TOL_RATE, what);
        snprintf(what, sizeof what, "sex=%s p_value", want[i].v);
        CLI_NEAR_REL(jm_num(jm_get(s, "p_value")), 2.444799318976698e-71, 1e-6, what);
        cr_expect(!jm_is_true(jm_get(s, "small")), "sex=%s is not small (n >= 30)", want[i].v);
    }
}

Test(cli_ref, adult_workclass_missing_slice)
{
    jm_node *r = report_json("adult_predictions.csv", "");
    /* pandas: the 963 rows with an empty workclass hold 55 errors. */
    const jm_node *s = cli_slice(r, "workclass", "(missing)");
    cr_assert(s != NULL, "no slice workclass = (missing)");
    CLI_NEAR(jm_num(jm_get(s, "n")), 963, TOL_RATE, "workclass (missing) n");
    CLI_NEAR(jm_num(jm_get(s, "errors")), 55, TOL_RATE, "workclass (missing) errors");
    CLI_NEAR(jm_num(jm_get(s, "error_rate")), 55.0 / 963.0, TOL_RATE, "workclass (missing) rate");
}

Test(cli_ref, spam_slices_cover_every_feature_and_no_role_column)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    /* Slices are made for every column that is not label, prediction, score or id; each
     * column's slices (its levels, values or bins, plus (missing)) partition the 2419 rows. */
    static const char *const no_slices[] = {"msg_id", "label", "prediction", "prob_spam",
                                            "prob_ham"};
    for (size_t i = 0; i < sizeof no_slices / sizeof no_slices[0]; i++)
        cr_expect_eq(cli_slice_count(r, no_slices[i]), 0, "%s (not a feature) has slices",
                     no_slices[i]);
    static const char *const features[] = {"subject",       "body",        "corpus_group",
                                           "corpus_part",   "date",        "sender_domain",
                                           "body_length",   "num_links",   "has_html"};
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
        double n, e;
        slice_sums(r, features[i], &n, &e);
        char what[96];
        snprintf(what, sizeof what, "%s: sum of n over its slices", features[i]);
        CLI_NEAR(n, 2419, TOL_RATE, what);
        snprintf(what, sizeof what, "%s: sum of errors over its slices", features[i]);
        CLI_NEAR(e, 70, TOL_RATE, what);
    }
    /* pandas groupby: has_html 0 -> 1916 rows / 30 errors, 1 -> 503 / 40 (two values: one
     * slice per value); corpus_group hard_ham 90 / 7; sender_domain empty 5 / 2. */
    const jm_node *sl = jm_get(r, "slices");
    int h0 = 0, h1 = 0;
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        const char *c = jm_str(jm_get(s, "column"));
        if (!c || strcmp(c, "has_html") != 0)
            continue;
        double v = cli_slice_level_num(s), n = jm_num(jm_get(s, "n")), e = jm_num(jm_get(s, "errors"));
        if (v == 0)
            h0 = n == 1916 && e == 30;
        if (v == 1)
            h1 = n == 503 && e == 40;
    }
    cr_expect(h0, "no slice has_html = 0 with n 1916, errors 30");
    cr_expect(h1, "no slice has_html = 1 with n 503, errors 40");
    const jm_node *hh = cli_slice(r, "corpus_group", "hard_ham");
    cr_expect(hh && jm_num(jm_get(hh, "n")) == 90 && jm_num(jm_get(hh, "errors")) == 7,
              "corpus_group = hard_ham should hold 90 rows, 7 errors");
    const jm_node *sm = cli_slice(r, "sender_domain", "(missing)");
    cr_expect(sm && jm_num(jm_get(sm, "n")) == 5 && jm_num(jm_get(sm, "errors")) == 2,
              "sender_domain = (missing) should hold 5 rows, 2 errors");
}

/* ---------------------------------------------------------------------- worst rows (spam) */

Test(cli_ref, spam_worst_rows_are_the_most_confident_errors)
{
    jm_node *r = report_json("spam_predictions.csv", "");
    /* pandas: among the 70 rows with label != prediction, loss = -ln p(true class) (the two
     * probabilities of a row already sum to 1 and none is 0 or 1, so clipping and
     * renormalising change nothing), sorted descending; the 20 largest are these data rows
     * (1-based). No two of the 21 largest losses tie. */
    static const double rows[20] = {2166, 1693, 2324, 2034, 1939, 1760, 1749, 2225, 2387, 1660,
                                    2127, 1945, 1814, 1941, 1773, 1629, 1748, 1962, 2416, 2079};
    const jm_node *w = jm_get(r, "worst");
    cr_assert(w && w->type == JM_ARR, "worst is not an array");
    cr_assert_eq(jm_len(w), 20, "worst: %zu entries, expected 20 (there are 70 errors)",
                 jm_len(w));
    double prev = INFINITY;
    for (size_t i = 0; i < jm_len(w); i++) {
        const jm_node *x = jm_at(w, i);
        double loss = jm_num(jm_get(x, "loss"));
        cr_expect(loss <= prev, "worst[%zu]: loss %.9g after %.9g (not descending)", i, loss, prev);
        prev = loss;
        const char *lab = jm_str(jm_get(x, "label")), *pred = jm_str(jm_get(x, "prediction"));
        cr_expect(lab && pred && strcmp(lab, pred) != 0, "worst[%zu] is not an error", i);
        char what[64];
        snprintf(what, sizeof what, "worst[%zu].row", i);
        CLI_NEAR(jm_num(jm_get(x, "row")), rows[i], TOL_RATE, what);
    }
    /* First entry: msg spam-2:00789, data row 2166, spam predicted ham with prob_spam 0.042322,
     * prob_ham 0.957678; loss = -ln(0.042322); confidence = the top probability. */
    const jm_node *x = jm_at(w, 0);
    const char *id = jm_str(jm_get(x, "id"));
    cr_expect(id && strcmp(id, "spam-2:00789") == 0, "worst[0].id: %s", id ? id : "(none)");
    const char *lab = jm_str(jm_get(x, "label")), *pred = jm_str(jm_get(x, "prediction"));
    cr_expect(lab && strcmp(lab, "spam") == 0, "worst[0].label: %s", lab ? lab : "(none)");
    cr_expect(pred && strcmp(pred, "ham") == 0, "worst[0].prediction: %s", pred ? pred : "(none)");
    CLI_NEAR(jm_num(jm_get(x, "loss")), -log(0.042322), TOL_FIG, "worst[0].loss");
    CLI_NEAR(jm_num(jm_get(x, "confidence")), 0.957678, TOL_FIG, "worst[0].confidence");
}
