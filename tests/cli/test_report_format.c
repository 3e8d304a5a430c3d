/* `faultline report` output contract on small crafted files (tests/data/cli/): slice figures
 * worked by hand or offline, role detection and its override flags, delimiters, stdin, missing
 * tokens, -o, Markdown layout; plus self-tests of the JSON reader the suites rely on.
 *
 * Offline figures come from python3-pandas 1.5.3 and python3-scipy 1.10.1 (Debian 12 packages,
 * `apt-get install -y python3-scipy python3-pandas`, run with /usr/bin/python3); the snippets
 * are quoted in the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli_common.h"

/* ===================================================================== crafted slice file */

/* tests/data/cli/slices.csv: 48 rows, label/prediction in {no, yes} (no scores), features
 *   color  categorical red/green/blue, 2 empty + 2 "NA" cells (both missing tokens)
 *   size   numeric 1/2/3 (<= 12 distinct values: one slice per value)
 *   weight numeric, ten 0s, 35 distinct other values, 3 empty (> 12 distinct: quantile bins)
 * N = 48 rows, E = 15 errors, so the selection's error rate is 15/48 = 0.3125.
 *
 * Offline (pandas/scipy), per slice mask:
 *   n = mask.sum(); e = err[mask].sum(); wilson with z = 1.959963985;
 *   table = [[e, n-e], [E-e, N-n-(E-e)]]; expected = outer(row sums, col sums) / N;
 *   p = scipy.stats.fisher_exact(table)[1] if (expected < 5).any()
 *       else scipy.stats.chi2_contingency(table, correction=False)[1]
 *   weight bins: pd.qcut(weight, 10, duplicates="drop", retbins=True).
 */
#define SLICES_FILE CLI_DATA "slices.csv"

typedef struct {
    const char *col, *value; /* value NULL: a bin given by lo/hi */
    double lo, hi;           /* bin edges, or (for numeric levels) lo = the level */
    double n, e, lo95, hi95, p, q;
} slice_ref;

/* All 16 feature slices of slices.csv (derived slices are checked separately). */
static const slice_ref feature_slices[] = {
    {"color", "blue", 0, 0, 18, 3, 0.05836576804502552, 0.3922203810980989, 0.09132228416008377,
     0.21917348198420106},
    {"color", "green", 0, 0, 14, 2, 0.04009392126064107, 0.39941379503716734, 0.17127277993023848,
     0.3725111847106923},
    {"color", "red", 0, 0, 12, 10, 0.5519691376768493, 0.9530348578288478, 2.3412061305081504e-05,
     0.00028094473566097803},
    {"color", "(missing)", 0, 0, 4, 0, 0.0, 0.48989083657188465, 0.29448041936478575,
     0.40929180799671094},
    {"size", NULL, 1, 1, 16, 3, 0.06591599069891824, 0.4300888096809016, 0.18644918121997753,
     0.3725111847106923},
    {"size", NULL, 2, 2, 16, 10, 0.38641040540478067, 0.8151876744432914, 0.0009569347564412696,
     0.005741608538647618},
    {"size", NULL, 3, 3, 16, 2, 0.03497748773381029, 0.36022827272197355, 0.04750893270660894,
     0.16288776927980209},
    /* qcut edges: Q(0) = Q(0.1) = Q(0.2) = 0 (ten zeros among 45 values) merge into one edge,
     * so 8 bins remain; the first, [0, 19.8], also holds the lowest edge. */
    {"weight", NULL, 0.0, 19.800000000000004, 14, 4, 0.1172137864214107, 0.5464908433572745, 1.0,
     1.0},
    {"weight", NULL, 19.800000000000004, 26.400000000000002, 4, 1, 0.04558726079439873,
     0.6993581574915435, 1.0, 1.0},
    {"weight", NULL, 26.400000000000002, 34.5, 5, 1, 0.036224108620327655, 0.6244653703187697, 1.0,
     1.0},
    {"weight", NULL, 34.5, 41.10000000000001, 4, 1, 0.04558726079439873, 0.6993581574915435, 1.0,
     1.0},
    {"weight", NULL, 41.10000000000001, 49.2, 4, 1, 0.04558726079439873, 0.6993581574915435, 1.0,
     1.0},
    {"weight", NULL, 49.2, 55.800000000000004, 5, 3, 0.23072428122047123, 0.8823792257998295,
     0.3069688559975332, 0.40929180799671094},
    {"weight", NULL, 55.800000000000004, 62.400000000000006, 4, 0, 0.0, 0.48989083657188465,
     0.29448041936478575, 0.40929180799671094},
    {"weight", NULL, 62.400000000000006, 70.5, 5, 3, 0.23072428122047123, 0.8823792257998295,
     0.3069688559975332, 0.40929180799671094},
    {"weight", "(missing)", 0, 0, 3, 1, 0.061491944699586576, 0.792340399257282, 1.0, 1.0},
};
#define N_FEATURE_SLICES (sizeof feature_slices / sizeof feature_slices[0])

/* Derived slices: true class, predicted class, binary outcome (positive class "yes"). There
 * are no scores, hence no confidence bins. Identified by value, n and errors (the column
 * names of derived slices are not part of the contract). */
static const slice_ref derived_slices[] = {
    {NULL, "no", 0, 0, 29, 11, 0, 0, 0.21729819108123716, 0.3725111847106923},  /* true no */
    {NULL, "yes", 0, 0, 19, 4, 0, 0, 0.2172981910812371, 0.3725111847106923},   /* true yes */
    {NULL, "no", 0, 0, 22, 4, 0, 0, 0.07236780194608639, 0.1929808051895637},   /* pred no */
    {NULL, "yes", 0, 0, 26, 11, 0, 0, 0.07236780194608601, 0.1929808051895637}, /* pred yes */
    {NULL, "TP", 0, 0, 15, 0, 0, 0, 0.001654018634875094, 0.007939289447400452},
    {NULL, "FP", 0, 0, 11, 11, 0, 0, 6.041105977237335e-08, 1.4498654345369603e-06},
    {NULL, "TN", 0, 0, 18, 0, 0, 0, 0.0002967323112931406, 0.0023738584903451247},
    {NULL, "FN", 0, 0, 4, 4, 0, 0, 0.007015109466543325, 0.028060437866173304},
};
#define N_DERIVED_SLICES (sizeof derived_slices / sizeof derived_slices[0])

static const jm_node *find_feature_slice(const jm_node *r, const slice_ref *want)
{
    const jm_node *sl = jm_get(r, "slices");
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        const char *c = jm_str(jm_get(s, "column"));
        if (!c || strcmp(c, want->col) != 0)
            continue;
        const char *v = jm_str(jm_get(s, "value"));
        if (want->value) {
            if (v && strcmp(v, want->value) == 0)
                return s;
        } else if (want->lo == want->hi) { /* a numeric level */
            if (cli_slice_level_num(s) == want->lo)
                return s;
        } else {
            double lo = jm_num(jm_get(s, "lo")), hi = jm_num(jm_get(s, "hi"));
            if (fabs(lo - want->lo) < 1e-9 && fabs(hi - want->hi) < 1e-9)
                return s;
        }
    }
    return NULL;
}

static void describe(const slice_ref *w, char *buf, size_t len)
{
    if (w->value)
        snprintf(buf, len, "%s=%s", w->col ? w->col : "(derived)", w->value);
    else if (w->lo == w->hi)
        snprintf(buf, len, "%s=%g", w->col, w->lo);
    else
        snprintf(buf, len, "%s in (%.17g, %.17g]", w->col, w->lo, w->hi);
}

static void check_slice_figures(const jm_node *s, const slice_ref *w)
{
    const double N = 48, E = 15;
    char d[128], what[192];
    describe(w, d, sizeof d);
    snprintf(what, sizeof what, "%s: n", d);
    CLI_NEAR(jm_num(jm_get(s, "n")), w->n, TOL_RATE, what);
    snprintf(what, sizeof what, "%s: errors", d);
    CLI_NEAR(jm_num(jm_get(s, "errors")), w->e, TOL_RATE, what);
    snprintf(what, sizeof what, "%s: error_rate", d);
    CLI_NEAR(jm_num(jm_get(s, "error_rate")), w->e / w->n, TOL_RATE, what);
    snprintf(what, sizeof what, "%s: ci_lo", d);
    CLI_NEAR(jm_num(jm_get(s, "ci_lo")), w->lo95, TOL_FIG, what);
    snprintf(what, sizeof what, "%s: ci_hi", d);
    CLI_NEAR(jm_num(jm_get(s, "ci_hi")), w->hi95, TOL_FIG, what);
    snprintf(what, sizeof what, "%s: lift", d);
    CLI_NEAR(jm_num(jm_get(s, "lift")), (w->e / w->n) / (E / N), TOL_RATE, what);
    snprintf(what, sizeof what, "%s: coverage", d);
    CLI_NEAR(jm_num(jm_get(s, "coverage")), w->e / E, TOL_RATE, what);
    snprintf(what, sizeof what, "%s: p_value", d);
    CLI_NEAR_REL(jm_num(jm_get(s, "p_value")), w->p, 1e-6, what);
    snprintf(what, sizeof what, "%s: q_value", d);
    CLI_NEAR_REL(jm_num(jm_get(s, "q_value")), w->q, 1e-6, what);
}

Test(cli_slices, categorical_levels_and_missing_match_hand_figures)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    /* One slice per level plus (missing): "" and "NA" are both missing tokens. */
    cr_expect_eq(cli_slice_count(r, "color"), 4, "color: %zu slices, expected 4",
                 cli_slice_count(r, "color"));
    for (size_t i = 0; i < 4; i++) {
        const jm_node *s = find_feature_slice(r, &feature_slices[i]);
        cr_assert(s != NULL, "no slice color=%s", feature_slices[i].value);
        check_slice_figures(s, &feature_slices[i]);
    }
}

Test(cli_slices, red_slice_worked_by_hand)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    const jm_node *s = cli_slice(r, "color", "red");
    cr_assert(s != NULL, "no slice color=red");
    /* n = 12, e = 10, r = 10/12; selection E/N = 15/48 = 0.3125.
     * Wilson: z^2 = 3.841458820, z^2/n = 0.320121568;
     *   centre = (0.833333 + 0.160060784) / 1.320121568 = 0.752502,
     *   half = 1.959964 * sqrt(0.833333*0.166667/12 + 3.841459/576) / 1.320121568 = 0.200533,
     *   interval [0.551969, 0.953035].
     * lift = 0.833333 / 0.3125 = 2.666667; coverage = 10/15.
     * Table [[10, 2], [5, 31]]: expected count of the first cell 12*15/48 = 3.75 < 5, so
     * Fisher's exact test: p = 2.3412e-05 (scipy.stats.fisher_exact).
     * BH over the 24 slices of the report (16 feature + 2 true-class + 2 predicted-class
     * + 4 outcome): red has the 2nd smallest p (FP's 6.04e-08 is smaller), the 3rd is
     * TN's 2.967e-04, so q = min(24*2.3412e-05/2, 24*2.967e-04/3, ...) = 2.8094e-04. */
    CLI_NEAR(jm_num(jm_get(s, "n")), 12, TOL_RATE, "n");
    CLI_NEAR(jm_num(jm_get(s, "errors")), 10, TOL_RATE, "errors");
    CLI_NEAR(jm_num(jm_get(s, "error_rate")), 10.0 / 12.0, TOL_RATE, "error_rate");
    CLI_NEAR(jm_num(jm_get(s, "ci_lo")), 0.551969, 1e-6, "ci_lo");
    CLI_NEAR(jm_num(jm_get(s, "ci_hi")), 0.953035, 1e-6, "ci_hi");
    CLI_NEAR(jm_num(jm_get(s, "lift")), 8.0 / 3.0, TOL_RATE, "lift");
    CLI_NEAR(jm_num(jm_get(s, "coverage")), 10.0 / 15.0, TOL_RATE, "coverage");
    CLI_NEAR_REL(jm_num(jm_get(s, "p_value")), 2.3412061305081504e-05, 1e-6, "p_value (Fisher)");
    CLI_NEAR_REL(jm_num(jm_get(s, "q_value")), 24 * 2.3412061305081504e-05 / 2, 1e-6, "q_value");
}

Test(cli_slices, chi_square_case_worked_by_hand)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    const jm_node *s = cli_slice(r, "color", "blue");
    cr_assert(s != NULL, "no slice color=blue");
    /* Table [[3, 15], [12, 18]]; expected counts 5.625, 12.375, 9.375, 20.625 are all >= 5, so
     * Pearson without correction: chi2 = 48*(3*18 - 15*12)^2 / (18*30*15*33)
     * = 48*15876/267300 = 2.850909; p = Q_chi2(2.850909, 1) = 0.0913223. */
    CLI_NEAR_REL(jm_num(jm_get(s, "p_value")), 0.09132228416008377, 1e-6, "p_value (chi-square)");
}

Test(cli_slices, numeric_few_values_one_slice_per_value)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    /* size has 3 distinct values and no missing cell: exactly 3 non-empty slices. */
    size_t nonempty = 0;
    const jm_node *sl = jm_get(r, "slices");
    for (size_t i = 0; i < jm_len(sl); i++) {
        const char *c = jm_str(jm_get(jm_at(sl, i), "column"));
        if (c && strcmp(c, "size") == 0 && jm_num(jm_get(jm_at(sl, i), "n")) > 0)
            nonempty++;
    }
    cr_expect_eq(nonempty, 3, "size: %zu non-empty slices, expected 3", nonempty);
    for (size_t i = 4; i < 7; i++) {
        const jm_node *s = find_feature_slice(r, &feature_slices[i]);
        cr_assert(s != NULL, "no slice size=%g", feature_slices[i].lo);
        check_slice_figures(s, &feature_slices[i]);
    }
}

Test(cli_slices, numeric_quantile_bins_match_pandas_qcut)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    /* 8 bins (3 of the 11 deciles coincide at 0 and merge) plus (missing). */
    size_t nonempty = 0;
    const jm_node *sl = jm_get(r, "slices");
    for (size_t i = 0; i < jm_len(sl); i++) {
        const char *c = jm_str(jm_get(jm_at(sl, i), "column"));
        if (c && strcmp(c, "weight") == 0 && jm_num(jm_get(jm_at(sl, i), "n")) > 0)
            nonempty++;
    }
    cr_expect_eq(nonempty, 9, "weight: %zu non-empty slices, expected 8 bins + (missing)",
                 nonempty);
    for (size_t i = 7; i < N_FEATURE_SLICES; i++) {
        const jm_node *s = find_feature_slice(r, &feature_slices[i]);
        char d[128];
        describe(&feature_slices[i], d, sizeof d);
        cr_assert(s != NULL, "no slice %s", d);
        check_slice_figures(s, &feature_slices[i]);
    }
}

Test(cli_slices, bins_flag_sets_quantile_count)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json --bins 4");
    /* pd.qcut(weight, 4, duplicates="drop", retbins=True): edges [0, 16.5, 34.5, 52.5, 70.5];
     * 16.5 and 34.5 are data values and fall in the bin they close (right-closed);
     * rows per bin 12, 11, 11, 11 with 3, 3, 4, 4 errors. */
    static const double edges[] = {0, 16.5, 34.5, 52.5, 70.5}, n[] = {12, 11, 11, 11},
                        e[] = {3, 3, 4, 4};
    for (size_t b = 0; b < 4; b++) {
        slice_ref w = {"weight", NULL, edges[b], edges[b + 1], n[b], e[b], 0, 0, 0, 0};
        const jm_node *s = find_feature_slice(r, &w);
        cr_assert(s != NULL, "--bins 4: no slice weight in (%g, %g]", edges[b], edges[b + 1]);
        char what[64];
        snprintf(what, sizeof what, "bin %zu n", b);
        CLI_NEAR(jm_num(jm_get(s, "n")), n[b], TOL_RATE, what);
        snprintf(what, sizeof what, "bin %zu errors", b);
        CLI_NEAR(jm_num(jm_get(s, "errors")), e[b], TOL_RATE, what);
    }
}

Test(cli_slices, derived_slices_true_pred_outcome)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    const jm_node *sl = jm_get(r, "slices");
    for (size_t k = 0; k < N_DERIVED_SLICES; k++) {
        const slice_ref *w = &derived_slices[k];
        const jm_node *found = NULL;
        for (size_t i = 0; i < jm_len(sl) && !found; i++) {
            const jm_node *s = jm_at(sl, i);
            const char *v = jm_str(jm_get(s, "value"));
            const char *c = jm_str(jm_get(s, "column"));
            if (c && (!strcmp(c, "color") || !strcmp(c, "size") || !strcmp(c, "weight")))
                continue;
            if (v && strcmp(v, w->value) == 0 && jm_num(jm_get(s, "n")) == w->n &&
                jm_num(jm_get(s, "errors")) == w->e)
                found = s;
        }
        cr_expect(found != NULL, "no derived slice with value %s, n %g, errors %g", w->value, w->n,
                  w->e);
        if (found) {
            char what[64];
            snprintf(what, sizeof what, "derived %s (n %g): p_value", w->value, w->n);
            CLI_NEAR_REL(jm_num(jm_get(found, "p_value")), w->p, 1e-6, what);
            snprintf(what, sizeof what, "derived %s (n %g): q_value", w->value, w->n);
            CLI_NEAR_REL(jm_num(jm_get(found, "q_value")), w->q, 1e-6, what);
        }
    }
    /* 16 feature slices + 8 derived ones; empty slices, if listed at all, do not count. */
    size_t nonempty = 0;
    for (size_t i = 0; i < jm_len(sl); i++)
        if (jm_num(jm_get(jm_at(sl, i), "n")) > 0)
            nonempty++;
    cr_expect_eq(nonempty, N_FEATURE_SLICES + N_DERIVED_SLICES,
                 "%zu non-empty slices, expected %zu", nonempty,
                 N_FEATURE_SLICES + N_DERIVED_SLICES);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(cli_slices, q_values_are_bh_of_the_reported_p_values)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    const jm_node *sl = jm_get(r, "slices");
    size_t m = 0;
    double *p = cli_own(calloc(jm_len(sl) + 1, sizeof *p));
    cr_assert(p);
    for (size_t i = 0; i < jm_len(sl); i++) {
        double v = jm_num(jm_get(jm_at(sl, i), "p_value"));
        if (!isnan(v))
            p[m++] = v;
    }
    cr_assert(m > 0, "no slice has a p_value");
    /* Benjamini-Hochberg: q_(i) = min over j >= i of min(1, m p_(j) / j); a slice's q is the
     * q of its p's rank (equal p values share the same q). */
    double *sorted = cli_own(malloc(m * sizeof *sorted)), *q = cli_own(malloc(m * sizeof *q));
    cr_assert(sorted && q);
    memcpy(sorted, p, m * sizeof *p);
    qsort(sorted, m, sizeof *sorted, cmp_dbl);
    double run = 1.0;
    for (size_t j = m; j-- > 0;) {
        double v = (double)m * sorted[j] / (double)(j + 1);
        if (v < run)
            run = v;
        q[j] = run;
    }
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        double pv = jm_num(jm_get(s, "p_value"));
        if (isnan(pv))
            continue;
        size_t last = 0; /* last position holding this p: ties take the smallest q */
        for (size_t j = 0; j < m; j++)
            if (sorted[j] == pv)
                last = j;
        double got = jm_num(jm_get(s, "q_value"));
        cr_expect(fabs(got - q[last]) <= 1e-9 + 1e-9 * q[last],
                  "slice %zu (%s): q_value %.12g, BH of the reported p-values gives %.12g", i,
                  jm_str(jm_get(s, "column")) ? jm_str(jm_get(s, "column")) : "?", got, q[last]);
    }
}

Test(cli_slices, slices_ordered_by_q_then_lift)
{
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    const jm_node *sl = jm_get(r, "slices");
    cr_assert(jm_len(sl) > 1);
    for (size_t i = 1; i < jm_len(sl); i++) {
        double q0 = jm_num(jm_get(jm_at(sl, i - 1), "q_value"));
        double q1 = jm_num(jm_get(jm_at(sl, i), "q_value"));
        double l0 = jm_num(jm_get(jm_at(sl, i - 1), "lift"));
        double l1 = jm_num(jm_get(jm_at(sl, i), "lift"));
        if (isnan(q0) || isnan(q1))
            continue;
        cr_expect(q0 <= q1 + 1e-12, "slices[%zu] q %.9g before slices[%zu] q %.9g", i - 1, q0, i,
                  q1);
        if (fabs(q0 - q1) <= 1e-12 && !isnan(l0) && !isnan(l1))
            cr_expect(l0 >= l1 - 1e-12, "equal q: slices[%zu] lift %.9g before lift %.9g", i - 1,
                      l0, l1);
    }
}

Test(cli_slices, small_flag_follows_min_support)
{
    /* Default --min-support 30: every slice of this 48-row file has n < 30. */
    jm_node *r = cli_json("report " SLICES_FILE " --format json");
    const jm_node *sl = jm_get(r, "slices");
    cr_assert(jm_len(sl) > 0);
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i), *small = jm_get(s, "small");
        cr_assert(small != NULL, "slices[%zu] has no \"small\"", i);
        double n = jm_num(jm_get(s, "n"));
        cr_expect(jm_is_true(small) == (n < 30), "default: slices[%zu] n %g small %d", i, n,
                  jm_is_true(small));
    }
    r = cli_json("report " SLICES_FILE " --format json --min-support 10");
    sl = jm_get(r, "slices");
    size_t nsmall = 0;
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        double n = jm_num(jm_get(s, "n"));
        if (n <= 0)
            continue;
        int is_small = jm_is_true(jm_get(s, "small"));
        nsmall += (size_t)is_small;
        cr_expect(is_small == (n < 10), "--min-support 10: slices[%zu] n %g small %d", i, n,
                  is_small);
    }
    /* Expected: the slices of the tables above with n < 10 (color (missing), seven weight bins
     * of 4-5 rows, weight (missing), FN). */
    size_t want = 0;
    for (size_t i = 0; i < N_FEATURE_SLICES; i++)
        want += feature_slices[i].n < 10;
    for (size_t i = 0; i < N_DERIVED_SLICES; i++)
        want += derived_slices[i].n < 10;
    cr_expect_eq(nsmall, want, "--min-support 10: %zu small slices, expected %zu", nsmall, want);
}

/* ====================================================================== roles and flags */

#define UNCONV CLI_DATA "unconventional.csv"

static const char *role_of(const jm_node *r, const char *col)
{
    const char *s = jm_str(jm_get(cli_column(r, col), "role"));
    return s ? s : "(none)";
}

Test(cli_roles, unconventional_names_fail_and_name_the_flag)
{
    char *out = NULL, *serr = NULL;
    int rc = cli_run("report " UNCONV " --format json", &out, &serr);
    /* Neither truth_col nor guess matches a known name: a usage or input error whose message
     * says which flag settles it. */
    cr_expect(rc == 2 || rc == 3, "exit %d, expected 2 or 3", rc);
    cr_expect(serr && *serr, "no message on stderr");
    cr_expect(serr && strstr(serr, "--label"), "stderr does not name --label: %s", serr ? serr : "");
}

Test(cli_roles, label_and_pred_flags_settle_the_roles)
{
    jm_node *r = cli_json("report " UNCONV " --format json --label truth_col --pred guess");
    /* 10 rows, 3 wrong (rows 3, 4, 10). */
    CLI_EXPECT_NUM(r, "rows", 10, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.accuracy", 0.7, TOL_RATE);
    cr_expect(strcmp(cli_str(r, "task"), "binary") == 0, "task %s", cli_str(r, "task"));
    cr_expect(strcmp(cli_str(r, "positive"), "pos") == 0, "positive %s", cli_str(r, "positive"));
    cr_expect(strcmp(role_of(r, "truth_col"), "label") == 0, "truth_col: %s", role_of(r, "truth_col"));
    cr_expect(strcmp(role_of(r, "guess"), "prediction") == 0, "guess: %s", role_of(r, "guess"));
    /* "conf" is none of the score names: a plain feature. */
    cr_expect(strcmp(role_of(r, "conf"), "feature") == 0, "conf: %s", role_of(r, "conf"));
}

Test(cli_roles, score_flag_single_positive_column)
{
    jm_node *r = cli_json("report " UNCONV " --format json --label truth_col --pred guess --score conf");
    cr_expect(strcmp(role_of(r, "conf"), "score") == 0, "conf: %s", role_of(r, "conf"));
    /* Positives (pos) score 0.9, 0.8, 0.6, 0.4; negatives 0.7, 0.3, 0.2, 0.1, 0.35, 0.55.
     * Pairs with the positive ranked higher: 6 + 6 + 5 + 4 = 21 of 24, AUC = 0.875.
     * Brier: positives 0.01 + 0.04 + 0.16 + 0.36 = 0.57, negatives 0.49 + 0.09 + 0.04 + 0.01
     * + 0.1225 + 0.3025 = 1.055; (0.57 + 1.055) / 10 = 0.1625.
     * Log loss: sklearn.metrics.log_loss(y, conf) = 0.48740628501591116. */
    CLI_EXPECT_NUM(r, "metrics.roc_auc", 0.875, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.brier", 0.1625, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.log_loss", 0.48740628501591116, TOL_FIG);
}

Test(cli_roles, positive_flag_picks_the_positive_class)
{
    jm_node *r = cli_json("report " UNCONV " --format json --label truth_col --pred guess --positive neg");
    cr_expect(strcmp(cli_str(r, "positive"), "neg") == 0, "positive %s", cli_str(r, "positive"));
    /* Class order stays byte order. */
    cr_expect(strcmp(cli_str(r, "classes[0]"), "neg") == 0 &&
                  strcmp(cli_str(r, "classes[1]"), "pos") == 0,
              "classes are not [neg, pos]");
    cr_expect(strcmp(cli_str(r, "confusion.labels[0]"), "neg") == 0, "confusion.labels[0]");
    /* With neg positive, FP = truth pos predicted neg: row 4 only; TP = rows 5, 6, 8, 9. */
    const jm_node *sl = jm_get(r, "slices");
    int fp_ok = 0, tp_ok = 0;
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        const char *v = jm_str(jm_get(s, "value"));
        if (v && !strcmp(v, "FP") && jm_num(jm_get(s, "n")) == 1)
            fp_ok = 1;
        if (v && !strcmp(v, "TP") && jm_num(jm_get(s, "n")) == 4)
            tp_ok = 1;
    }
    cr_expect(fp_ok, "no outcome slice FP with n = 1 (positive = neg)");
    cr_expect(tp_ok, "no outcome slice TP with n = 4 (positive = neg)");
}

Test(cli_roles, ambiguous_label_lists_candidates_and_flag)
{
    char *out = NULL, *serr = NULL;
    int rc = cli_run("report " CLI_DATA "ambiguous.csv --format json", &out, &serr);
    /* Both "label" and "target" are label names. */
    cr_expect(rc == 2 || rc == 3, "exit %d, expected 2 or 3", rc);
    cr_expect(serr && strstr(serr, "--label"), "stderr does not name --label: %s", serr ? serr : "");
    cr_expect(serr && strstr(serr, "target") && strstr(serr, "label"),
              "stderr does not list both candidates: %s", serr ? serr : "");
    /* And the flag settles it. */
    jm_node *r = cli_json("report " CLI_DATA "ambiguous.csv --format json --label target");
    cr_expect(strcmp(role_of(r, "target"), "label") == 0, "target: %s", role_of(r, "target"));
}

Test(cli_roles, missing_prediction_names_pred_flag)
{
    char *out = NULL, *serr = NULL;
    int rc = cli_run("report " CLI_DATA "nopred.csv --format json", &out, &serr);
    cr_expect(rc == 2 || rc == 3, "exit %d, expected 2 or 3", rc);
    cr_expect(serr && strstr(serr, "--pred"), "stderr does not name --pred: %s", serr ? serr : "");
}

Test(cli_roles, argmax_of_scores_when_no_prediction_column)
{
    jm_node *r = cli_json("report " CLI_DATA "scores_only.csv --format json");
    /* Arg-max predictions x, x, z, y, y, z against labels x, y, z, y, x, z: 4 of 6 right. */
    cr_expect(strcmp(cli_str(r, "task"), "multiclass") == 0, "task %s", cli_str(r, "task"));
    CLI_EXPECT_NUM(r, "metrics.accuracy", 4.0 / 6.0, TOL_RATE);
    static const double m[3][3] = {{1, 1, 0}, {1, 1, 0}, {0, 0, 2}};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            char path[64];
            snprintf(path, sizeof path, "confusion.matrix[%zu][%zu]", i, j);
            CLI_EXPECT_NUM(r, path, m[i][j], TOL_RATE);
        }
    /* Log loss: -(ln .7 + ln .3 + ln .8 + ln .6 + ln .3 + ln .5)/6 = 0.6986228180384583;
     * Brier: mean over rows of sum_k (p_k - y_k)^2 = 0.38916666666666666. */
    CLI_EXPECT_NUM(r, "metrics.log_loss",
                   -(log(.7) + log(.3) + log(.8) + log(.6) + log(.3) + log(.5)) / 6, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.brier", 0.38916666666666666, TOL_FIG);
}

Test(cli_roles, class_suffix_prob_columns_and_argmax)
{
    /* <class>_prob names the per-class scores; with no prediction column the prediction is the
     * arg-max: cat, dog, dog, cat, dog against cat, dog, cat, dog, dog, 3 of 5 right.
     * ROC AUC over dog_prob: dog rows 0.7, 0.1, 0.8 against cat rows 0.2, 0.6: 4 of 6 pairs
     * ordered right (sklearn.metrics.roc_auc_score gives 0.6666666666666666);
     * log loss -mean(ln .8, ln .7, ln .4, ln .1, ln .8) = 0.8043675742870704. */
    jm_node *r = cli_json("report " CLI_DATA "suffix_prob.csv --format json");
    cr_expect(strcmp(role_of(r, "cat_prob"), "score") == 0, "cat_prob: %s", role_of(r, "cat_prob"));
    cr_expect(strcmp(role_of(r, "dog_prob"), "score") == 0, "dog_prob: %s", role_of(r, "dog_prob"));
    cr_expect(strcmp(cli_str(r, "positive"), "dog") == 0, "positive %s", cli_str(r, "positive"));
    CLI_EXPECT_NUM(r, "metrics.accuracy", 0.6, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.roc_auc", 4.0 / 6.0, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.log_loss",
                   -(log(.8) + log(.7) + log(.4) + log(.1) + log(.8)) / 5, TOL_FIG);
}

Test(cli_roles, single_probability_column_is_the_positive_score)
{
    /* unconventional.csv with the names label, prediction, probability: the same figures as
     * --score conf (AUC 0.875, Brier 0.1625), found by name this time. */
    jm_node *r = cli_json("report " CLI_DATA "probability.csv --format json");
    cr_expect(strcmp(role_of(r, "probability"), "score") == 0, "probability: %s",
              role_of(r, "probability"));
    CLI_EXPECT_NUM(r, "metrics.roc_auc", 0.875, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.brier", 0.1625, TOL_FIG);
}

Test(cli_roles, classes_sorted_by_bytes_not_by_locale)
{
    /* 'Z' (0x5A) sorts before 'a' (0x61): [Zebra, apple, banana], whatever the locale or case. */
    jm_node *r = cli_json("report " CLI_DATA "case.csv --format json");
    static const char *const want[] = {"Zebra", "apple", "banana"};
    const jm_node *cls = jm_get(r, "classes"), *lab = jm_path(r, "confusion.labels");
    cr_assert_eq(jm_len(cls), 3, "%zu classes", jm_len(cls));
    for (size_t i = 0; i < 3; i++) {
        const char *c = jm_str(jm_at(cls, i)), *l = jm_str(jm_at(lab, i));
        cr_expect(c && strcmp(c, want[i]) == 0, "classes[%zu] = %s, expected %s", i,
                  c ? c : "(none)", want[i]);
        cr_expect(l && strcmp(l, want[i]) == 0, "confusion.labels[%zu] = %s, expected %s", i,
                  l ? l : "(none)", want[i]);
    }
    /* Rows true, columns predicted: Zebra -> Zebra, apple; apple -> apple, banana;
     * banana -> apple, banana. */
    static const double m[3][3] = {{1, 1, 0}, {0, 1, 1}, {0, 1, 1}};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            char path[64];
            snprintf(path, sizeof path, "confusion.matrix[%zu][%zu]", i, j);
            CLI_EXPECT_NUM(r, path, m[i][j], TOL_RATE);
        }
    CLI_EXPECT_NUM(r, "metrics.accuracy", 0.5, TOL_RATE);
}

Test(cli_roles, id_and_text_flags_assign_roles)
{
    /* --id takes a column out of the slices; --text makes it a text column. */
    jm_node *r = cli_json("report " CLI_DATA "basic.csv --format json --id city");
    cr_expect(strcmp(role_of(r, "city"), "id") == 0, "--id city: role %s", role_of(r, "city"));
    cr_expect_eq(cli_slice_count(r, "city"), 0, "an id column must not be sliced");
    r = cli_json("report " CLI_DATA "basic.csv --format json --text city");
    cr_expect(strcmp(role_of(r, "city"), "text") == 0, "--text city: role %s", role_of(r, "city"));
}

/* A class name as text, whether the JSON writes it as a string or as a number. */
static void class_text(const jm_node *n, char *buf, size_t len)
{
    if (n && n->type == JM_STR)
        snprintf(buf, len, "%s", n->str);
    else if (n && n->type == JM_NUM)
        snprintf(buf, len, "%g", n->num);
    else
        snprintf(buf, len, "(none)");
}

Test(cli_roles, few_numeric_values_are_classes_and_task_flag_forces_regression)
{
    /* numeric.csv: y, yhat in 1..4, 4 distinct values: a multiclass task, 6 of 10 right. */
    jm_node *r = cli_json("report " CLI_DATA "numeric.csv --format json");
    cr_expect(strcmp(cli_str(r, "task"), "multiclass") == 0, "task %s", cli_str(r, "task"));
    const jm_node *cls = jm_get(r, "classes");
    cr_expect_eq(jm_len(cls), 4, "%zu classes", jm_len(cls));
    for (size_t i = 0; i < jm_len(cls) && i < 4; i++) {
        char buf[32], want[8];
        class_text(jm_at(cls, i), buf, sizeof buf);
        snprintf(want, sizeof want, "%zu", i + 1);
        cr_expect(strcmp(buf, want) == 0, "classes[%zu] = %s, expected %s", i, buf, want);
    }
    CLI_EXPECT_NUM(r, "metrics.accuracy", 0.6, TOL_RATE);

    r = cli_json("report " CLI_DATA "numeric.csv --format json --task regression");
    cr_expect(strcmp(cli_str(r, "task"), "regression") == 0, "task %s", cli_str(r, "task"));
    /* |errors| 0 0 1 0 1 0 0 1 0 2: MAE 0.5, MSE 0.7, RMSE sqrt(0.7); mean y 2.5, SS_tot 10.5,
     * R^2 = 1 - 7/10.5 = 1/3; median |error| 0. P90 (numpy linear) of the sorted errors
     * 0 0 0 0 0 0 1 1 1 2: h = 8.1, 1 + 0.1*(2-1) = 1.1; one row (|error| 2) fails. */
    CLI_EXPECT_NUM(r, "metrics.mae", 0.5, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.rmse", sqrt(0.7), TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.r2", 1.0 / 3.0, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.median_ae", 0, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.fail_above", 1.1, TOL_FIG);
    CLI_EXPECT_NUM(r, "metrics.error_rate", 0.1, TOL_RATE);
}

/* ===================================================================== loading variants */

/* basic.csv and its ;, TAB and | twins: 10 rows, 3 wrong (rows 2, 6, 9); city "Paris, FR"
 * (with a comma inside the field) on rows 2, 4, 7, one of them wrong. */
static void check_basic(const jm_node *r, const char *how)
{
    char what[128];
    snprintf(what, sizeof what, "%s: rows", how);
    CLI_NEAR(cli_num(r, "rows"), 10, TOL_RATE, what);
    snprintf(what, sizeof what, "%s: accuracy", how);
    CLI_NEAR(cli_num(r, "metrics.accuracy"), 0.7, TOL_RATE, what);
    cr_expect_eq(jm_len(jm_get(r, "columns")), 3, "%s: %zu columns, expected 3", how,
                 jm_len(jm_get(r, "columns")));
    const jm_node *s = cli_slice(r, "city", "Paris, FR");
    cr_expect(s != NULL, "%s: no slice city = \"Paris, FR\"", how);
    if (s) {
        snprintf(what, sizeof what, "%s: Paris n", how);
        CLI_NEAR(jm_num(jm_get(s, "n")), 3, TOL_RATE, what);
        snprintf(what, sizeof what, "%s: Paris errors", how);
        CLI_NEAR(jm_num(jm_get(s, "errors")), 1, TOL_RATE, what);
    }
}

Test(cli_load, comma_with_quoted_comma)
{
    jm_node *r = cli_json("report " CLI_DATA "basic.csv --format json");
    check_basic(r, "comma");
}

Test(cli_load, semicolon_detected)
{
    jm_node *r = cli_json("report " CLI_DATA "semi.csv --format json");
    check_basic(r, "auto ;");
}

Test(cli_load, semicolon_by_flag)
{
    jm_node *r = cli_json("report " CLI_DATA "semi.csv --format json --delimiter ';'");
    check_basic(r, "--delimiter ;");
}

Test(cli_load, tab_detected)
{
    jm_node *r = cli_json("report " CLI_DATA "tab.csv --format json");
    check_basic(r, "auto TAB");
}

Test(cli_load, pipe_detected)
{
    jm_node *r = cli_json("report " CLI_DATA "pipe.csv --format json");
    check_basic(r, "auto |");
}

Test(cli_load, stdin_dash)
{
    char *out = NULL, *serr = NULL;
    int rc = cli_sh("cat " CLI_DATA "basic.csv | @BIN@ report - --format json", &out, &serr);
    cr_assert(rc == 0, "exit %d, stderr %s", rc, serr ? serr : "");
    char perr[128];
    jm_node *r = cli_parse(out, perr, sizeof perr);
    cr_assert(r != NULL, "stdout is not JSON: %s", perr);
    check_basic(r, "stdin");
}

Test(cli_load, bom_and_crlf)
{
    /* UTF-8 BOM before the header, CRLF records, a quoted CRLF inside a field. */
    jm_node *r = cli_json("report " CLI_DATA "bom_crlf.csv --format json");
    CLI_EXPECT_NUM(r, "rows", 4, TOL_RATE);
    CLI_EXPECT_NUM(r, "metrics.accuracy", 0.75, TOL_RATE);
    /* The BOM is not part of the first name, so "label" is found by its name. */
    cr_expect(strcmp(role_of(r, "label"), "label") == 0, "label: %s", role_of(r, "label"));
    const jm_node *s = cli_slice(r, "city", "Nice\r\nsud");
    cr_expect(s != NULL, "no slice for the quoted value \"Nice<CR><LF>sud\"");
    if (s)
        CLI_NEAR(jm_num(jm_get(s, "n")), 1, TOL_RATE, "Nice\\r\\nsud n");
}

Test(cli_load, default_missing_tokens_case_insensitive)
{
    jm_node *r = cli_json("report " CLI_DATA "na.csv --format json");
    /* amount: NA, n/a, NULL, none, nan, ?, and an empty cell: 7 missing, nothing bad. */
    const jm_node *a = cli_column(r, "amount");
    cr_expect(strcmp(jm_str(jm_get(a, "type")) ? jm_str(jm_get(a, "type")) : "", "numeric") == 0,
              "amount is not numeric");
    CLI_NEAR(jm_num(jm_get(a, "missing")), 7, TOL_RATE, "amount missing");
    CLI_NEAR(jm_num(jm_get(a, "bad")), 0, TOL_RATE, "amount bad");
    /* city: one "?"; "unknown" is an ordinary level. */
    CLI_NEAR(jm_num(jm_get(cli_column(r, "city"), "missing")), 1, TOL_RATE, "city missing");
    CLI_EXPECT_NUM(r, "metrics.accuracy", 0.75, TOL_RATE);
}

Test(cli_load, na_flag_adds_a_token)
{
    jm_node *r = cli_json("report " CLI_DATA "na.csv --format json --na unknown");
    CLI_NEAR(jm_num(jm_get(cli_column(r, "city"), "missing")), 3, TOL_RATE,
             "city missing with --na unknown");
    CLI_NEAR(jm_num(jm_get(cli_column(r, "amount"), "missing")), 7, TOL_RATE, "amount missing");
    const jm_node *s = cli_slice(r, "city", "(missing)");
    cr_expect(s && jm_num(jm_get(s, "n")) == 3, "city (missing) slice should hold 3 rows");
}

/* =========================================================================== output */

Test(cli_output, o_flag_writes_the_file)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fl_cli_o_%ld.json", (long)getpid());
    unlink(path);
    char args[256], *out = NULL, *serr = NULL;
    snprintf(args, sizeof args, "report " CLI_DATA "basic.csv --format json -o '%s'", path);
    int rc = cli_run(args, &out, &serr);
    cr_assert(rc == 0, "exit %d: %s", rc, serr ? serr : "");
    size_t len = 0;
    char *text = cli_own(fl_read_file(path, &len));
    cr_assert(text != NULL, "-o %s: no file written", path);
    jm_node *r = cli_parse(text, NULL, 0);
    cr_assert(r != NULL, "-o file is not JSON");
    check_basic(r, "-o");
    unlink(path);
}

Test(cli_output, o_flag_markdown_matches_stdout)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fl_cli_o_%ld.md", (long)getpid());
    unlink(path);
    char args[256], *out = NULL, *serr = NULL, *out2 = NULL;
    snprintf(args, sizeof args, "report " CLI_DATA "basic.csv -o '%s'", path);
    int rc = cli_run(args, &out, &serr);
    cr_assert(rc == 0, "exit %d: %s", rc, serr ? serr : "");
    char *text = cli_own(fl_read_file(path, NULL));
    cr_assert(text != NULL, "-o %s: no file written", path);
    rc = cli_run("report " CLI_DATA "basic.csv", &out2, NULL);
    cr_assert(rc == 0);
    cr_expect(strcmp(text, out2) == 0, "-o file differs from the report on stdout");
    unlink(path);
}

#define MD_ARGS "report " UNCONV " --label truth_col --pred guess --score conf"

Test(cli_output, markdown_is_default_and_has_the_sections)
{
    char *md = NULL, *md2 = NULL;
    cr_assert(cli_run(MD_ARGS, &md, NULL) == 0);
    cr_assert(cli_run(MD_ARGS " --format md", &md2, NULL) == 0);
    cr_expect(strcmp(md, md2) == 0, "default output differs from --format md");
    cr_expect(md[0] == '#' || strstr(md, "\n#"), "no Markdown heading");
    /* Sections of the contract: dataset summary, headline metrics, confusion matrix, per-class
     * table, calibration table, slices, most confidently wrong rows. */
    cr_expect(cli_icontains(md, "accuracy"), "no headline metrics");
    cr_expect(cli_icontains(md, "confusion"), "no confusion matrix section");
    /* The per-class table is recognised by its columns, not by a heading. */
    int per_class = 0;
    for (const char *line = md; line && *line && !per_class;) {
        const char *nl = strchr(line, '\n');
        char *one = strndup(line, nl ? (size_t)(nl - line) : strlen(line));
        per_class = one && one[0] == '|' && cli_icontains(one, "precision") &&
                    cli_icontains(one, "recall") && cli_icontains(one, "support");
        free(one);
        line = nl ? nl + 1 : NULL;
    }
    cr_expect(per_class, "no per-class table (a header row with precision, recall, support)");
    cr_expect(cli_icontains(md, "calibration"), "no calibration section");
    cr_expect(cli_icontains(md, "slice"), "no slices section");
    cr_expect(cli_icontains(md, "wrong") || cli_icontains(md, "worst"), "no worst-rows section");
    cr_expect(strstr(md, "|") != NULL, "no Markdown table");
    /* Dataset summary: each column with its type, role and missing count. */
    cr_expect(cli_icontains(md, "numeric") && cli_icontains(md, "categorical"),
              "dataset summary lacks column types");
    cr_expect(cli_icontains(md, "role") && cli_icontains(md, "missing"),
              "dataset summary lacks roles or missing counts");
}

Test(cli_output, markdown_states_chosen_roles_at_the_top)
{
    char *md = NULL;
    cr_assert(cli_run(MD_ARGS, &md, NULL) == 0);
    /* The roles come before the metrics and the confusion matrix. */
    const char *conf = NULL;
    for (const char *p = md; *p && !conf; p++)
        if (strncasecmp(p, "confusion", 9) == 0)
            conf = p;
    cr_assert(conf != NULL, "no confusion section");
    size_t head = (size_t)(conf - md);
    char *top = cli_own(strndup(md, head));
    cr_assert(top);
    cr_expect(strstr(top, "truth_col") != NULL, "label column not named before the confusion matrix");
    cr_expect(strstr(top, "guess") != NULL, "prediction column not named before the confusion matrix");
    cr_expect(strstr(top, "conf") != NULL, "score column not named before the confusion matrix");
    cr_expect(cli_icontains(top, "label") && cli_icontains(top, "prediction"),
              "role names not stated at the top");
}

/* ============================================================= JSON reader self-tests */

Test(json_mini, parses_nested_document)
{
    const char *t = " {\"a\": [1, -2.5e1, {\"b\": \"x\\u00e9\\ud83d\\ude00\\n\"}], \"c\": null,"
                    " \"d\": true, \"e\": false, \"f\": {}} ";
    jm_node *r = jm_parse(t, strlen(t), NULL, 0);
    cr_assert(r != NULL);
    cr_expect_eq(jm_len(jm_get(r, "a")), 3);
    cr_expect(jm_num(jm_path(r, "a[0]")) == 1.0);
    cr_expect(jm_num(jm_path(r, "a[1]")) == -25.0);
    cr_expect_str_eq(jm_str(jm_path(r, "a[2].b")), "x\xc3\xa9\xf0\x9f\x98\x80\n");
    cr_expect(jm_path(r, "c") && jm_path(r, "c")->type == JM_NULL);
    cr_expect(jm_is_true(jm_get(r, "d")) && !jm_is_true(jm_get(r, "e")));
    cr_expect_eq(jm_len(jm_get(r, "f")), 0);
    cr_expect(jm_path(r, "a[3]") == NULL && jm_path(r, "zz.y") == NULL);
    jm_free(r);
}

Test(json_mini, rejects_malformed_text)
{
    static const char *const bad[] = {
        "",           "{",        "[1,]",          "{\"a\":1,}", "{\"a\" 1}", "[NaN]",
        "[Infinity]", "[01]",     "[1.]",          "\"abc",      "[1] 2",     "{'a':1}",
        "[\"\\x\"]",  "[\"\\ud800\"]", "[-]",      "[1e]",       "tru",       "[\"a\tb\"]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[64];
        jm_node *r = jm_parse(bad[i], strlen(bad[i]), msg, sizeof msg);
        cr_expect(r == NULL, "accepted malformed JSON: %s", bad[i]);
        jm_free(r);
    }
}

Test(json_mini, bounded_depth)
{
    size_t k = 100000;
    char *t = malloc(2 * k + 1);
    cr_assert(t);
    memset(t, '[', k);
    memset(t + k, ']', k);
    t[2 * k] = '\0';
    jm_node *r = jm_parse(t, 2 * k, NULL, 0);
    cr_expect(r == NULL, "100000 nested arrays should be refused, not overflow the stack");
    jm_free(r);
    free(t);
}
