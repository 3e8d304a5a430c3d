/* --heatmap X,Y and "column_ranking", black-box through the binary.
 *
 * Contract (manual, --heatmap / JSON keys; STATISTICS.md):
 *  - "heatmap": {"x","y","x_bins","y_bins","cells"}; cells[y][x] = {n, errors, error_rate,
 *    ci_lo, ci_hi, small}; a categorical axis shows its 12 most frequent levels, then (other)
 *    and (missing); a numeric axis 8 quantile bins (pandas.qcut(x, 8, duplicates="drop") of the
 *    selection's values: right-closed, lowest edge included) or, with --heatmap-bins equal, 8
 *    equal-width bins from min to max; the Wilson 95% interval with z = 1.959963985; small when
 *    n < min support. An unknown column is a usage error (exit 2).
 *  - "column_ranking": [{"column","mutual_info","cramers_v"}], every column ranked by the mutual
 *    information in bits between its bins (missing is a bin) and the error indicator over the
 *    selection, descending; Cramér's V = sqrt(chi2/N) of the k x 2 table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

#define HEAT_CSV "tests/data/cli3/heatmap.csv"
#define RANK_CSV "tests/data/cli3/rank.csv"

/* ---- a naive reader for the fixtures (no quoted fields in them) -------------------------- */

typedef struct {
    int ncol, nrow;
    char *cell[256][8]; /* [row][col]; "" for a missing cell */
    char *head[8];
} table;

static table *read_table(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", FL_SOURCE_DIR, rel);
    char *text = cli_own(fl_read_file(path, NULL));
    cr_assert(text, "cannot read %s", path);
    table *t = cli_own(calloc(1, sizeof *t));
    int row = -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        int c = 0;
        char *p = line;
        for (;;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            cr_assert(c < 8 && row < 256);
            if (row < 0)
                t->head[c] = p;
            else
                t->cell[row][c] = p;
            c++;
            if (!comma)
                break;
            p = comma + 1;
        }
        if (row < 0)
            t->ncol = c;
        row++;
    }
    t->nrow = row;
    return t;
}

static int col_of(const table *t, const char *name)
{
    for (int c = 0; c < t->ncol; c++)
        if (strcmp(t->head[c], name) == 0)
            return c;
    cr_assert(0, "fixture has no column %s", name);
    return -1;
}

/* Wilson 95% interval (STATISTICS.md). */
static void wilson(double e, double n, double *lo, double *hi)
{
    const double z = 1.959963985;
    double p = e / n, z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    *lo = centre - half;
    *hi = centre + half;
}

/* Index of the bin labelled label in bins; -1 when none. */
static int bin_index(const jm_node *bins, const char *label)
{
    for (size_t i = 0; i < jm_len(bins); i++) {
        const char *l = jm_str(jm_get(jm_at(bins, i), "label"));
        if (l && strcmp(l, label) == 0)
            return (int)i;
    }
    return -1;
}

/* Checks every cell's rate, Wilson bounds and small flag against its own n and errors, and
 * that the cells hold `total` rows; returns the cell grid. */
static const jm_node *check_cells(const jm_node *hm, double total, double min_support)
{
    const jm_node *xb = jm_get(hm, "x_bins"), *yb = jm_get(hm, "y_bins");
    const jm_node *cells = jm_get(hm, "cells");
    cr_assert_eq(jm_len(cells), jm_len(yb), "cells has %zu rows, y_bins %zu", jm_len(cells),
                 jm_len(yb));
    double sum = 0;
    for (size_t y = 0; y < jm_len(cells); y++) {
        const jm_node *row = jm_at(cells, y);
        cr_assert_eq(jm_len(row), jm_len(xb), "cells[%zu] has %zu cells, x_bins %zu", y,
                     jm_len(row), jm_len(xb));
        for (size_t x = 0; x < jm_len(row); x++) {
            const jm_node *c = jm_at(row, x);
            double n = jm_num(jm_get(c, "n")), e = jm_num(jm_get(c, "errors"));
            cr_assert(!isnan(n) && !isnan(e), "cell [%zu][%zu] lacks n or errors", y, x);
            sum += n;
            int small = jm_is_true(jm_get(c, "small"));
            cr_expect(small == (n < min_support), "cell [%zu][%zu]: n %g, small %d (min support %g)",
                      y, x, n, small, min_support);
            if (n == 0)
                continue; /* undefined rate and interval */
            double lo, hi;
            wilson(e, n, &lo, &hi);
            CLI_NEAR(jm_num(jm_get(c, "error_rate")), e / n, TOL_RATE, "cell error_rate");
            CLI_NEAR(jm_num(jm_get(c, "ci_lo")), lo, TOL_RATE, "cell ci_lo");
            CLI_NEAR(jm_num(jm_get(c, "ci_hi")), hi, TOL_RATE, "cell ci_hi");
        }
    }
    cr_expect(sum == total, "cells hold %g rows, expected %g", sum, total);
    return cells;
}

/* heatmap.csv (200 rows, written by a seeded generator): color in {a,b,c} with 9 missing cells,
 * shape in {p,q}; errors depend on both. Every cell is recounted here from the file. */
Test(cli_heatmap, two_categorical_axes_cells_by_naive_count)
{
    jm_node *root = cli_json("report '" HEAT_CSV "' --format json --levels 0 "
                             "--heatmap color,shape --min-support 25");
    const jm_node *hm = jm_get(root, "heatmap");
    cr_assert(hm, "no \"heatmap\" in the report");
    cr_expect_str_eq(jm_str(jm_get(hm, "x")), "color");
    cr_expect_str_eq(jm_str(jm_get(hm, "y")), "shape");
    const jm_node *xb = jm_get(hm, "x_bins"), *yb = jm_get(hm, "y_bins");
    cr_expect_eq(jm_len(xb), 4, "color: a, b, c and (missing), got %zu bins", jm_len(xb));
    cr_expect_eq(jm_len(yb), 2, "shape: p and q, got %zu bins", jm_len(yb));
    const jm_node *cells = check_cells(hm, 200, 25);

    table *t = read_table(HEAT_CSV);
    int cc = col_of(t, "color"), cs = col_of(t, "shape"), ct = col_of(t, "y_true"),
        cp = col_of(t, "y_pred");
    const char *xs[] = {"a", "b", "c", ""}, *ys[] = {"p", "q"};
    for (int yi = 0; yi < 2; yi++) {
        for (int xi = 0; xi < 4; xi++) {
            int n = 0, e = 0;
            for (int r = 0; r < t->nrow; r++) {
                if (strcmp(t->cell[r][cc], xs[xi]) || strcmp(t->cell[r][cs], ys[yi]))
                    continue;
                n++;
                e += strcmp(t->cell[r][ct], t->cell[r][cp]) != 0;
            }
            int bx = bin_index(xb, xi == 3 ? "(missing)" : xs[xi]);
            int by = bin_index(yb, ys[yi]);
            cr_assert(bx >= 0 && by >= 0, "no bin for color %s / shape %s", xs[xi], ys[yi]);
            const jm_node *c = jm_at(jm_at(cells, (size_t)by), (size_t)bx);
            cr_expect(jm_num(jm_get(c, "n")) == n, "cell color=%s shape=%s: n %g, expected %d",
                      xs[xi], ys[yi], jm_num(jm_get(c, "n")), n);
            cr_expect(jm_num(jm_get(c, "errors")) == e,
                      "cell color=%s shape=%s: errors %g, expected %d", xs[xi], ys[yi],
                      jm_num(jm_get(c, "errors")), e);
        }
    }
}

/* Default min support is 30 (manual, --min-support under Report). */
Test(cli_heatmap, small_flag_default_threshold)
{
    jm_node *root = cli_json("report '" HEAT_CSV "' --format json --levels 0 --heatmap color,shape");
    check_cells(jm_get(root, "heatmap"), 200, 30);
}

/* many: 15 levels with counts 30,25,20,18,16,14,12,11,10,9,8,7 (the top 12: zeta alpha mango
 * kiwi delta omega beta fig plum echo gamma lime), then pear 6, apple 5, nut 4 (15 rows in
 * (other)) and 5 missing cells. */
Test(cli_heatmap, categorical_axis_top12_other_missing)
{
    jm_node *root = cli_json("report '" HEAT_CSV "' --format json --levels 0 --heatmap many,shape");
    const jm_node *hm = jm_get(root, "heatmap");
    cr_assert(hm);
    const jm_node *xb = jm_get(hm, "x_bins");
    cr_expect_eq(jm_len(xb), 14, "12 levels + (other) + (missing), got %zu bins", jm_len(xb));
    static const char *top[] = {"zeta", "alpha", "mango", "kiwi", "delta", "omega",
                                "beta", "fig",   "plum",  "echo", "gamma", "lime"};
    for (size_t i = 0; i < 12; i++)
        cr_expect(bin_index(xb, top[i]) >= 0, "level %s (top 12 by count) has no bin", top[i]);
    cr_expect(bin_index(xb, "pear") < 0 && bin_index(xb, "apple") < 0 && bin_index(xb, "nut") < 0,
              "a level outside the top 12 has its own bin");
    int other = bin_index(xb, "(other)"), miss = bin_index(xb, "(missing)");
    cr_assert(other >= 0, "no (other) bin");
    cr_assert(miss >= 0, "no (missing) bin");
    const jm_node *cells = check_cells(hm, 200, 30);
    double n_other = 0, n_miss = 0, n_zeta = 0;
    int z = bin_index(xb, "zeta");
    for (size_t y = 0; y < jm_len(cells); y++) {
        n_other += jm_num(jm_get(jm_at(jm_at(cells, y), (size_t)other), "n"));
        n_miss += jm_num(jm_get(jm_at(jm_at(cells, y), (size_t)miss), "n"));
        n_zeta += jm_num(jm_get(jm_at(jm_at(cells, y), (size_t)z), "n"));
    }
    cr_expect(n_other == 15, "(other) holds %g rows, expected 15", n_other);
    cr_expect(n_miss == 5, "(missing) holds %g rows, expected 5", n_miss);
    cr_expect(n_zeta == 30, "zeta holds %g rows, expected 30", n_zeta);
}

/* Edges of a numeric axis and a naive recount of its bins. */
static void check_numeric_axis(const jm_node *bins, const jm_node *cells, int axis_is_y,
                               const double *edges, const table *t, const char *keep_shape)
{
    int cn = col_of(t, "num"), cs = col_of(t, "shape");
    cr_assert(jm_len(bins) >= 8, "numeric axis has %zu bins, expected 8 (+ missing)",
              jm_len(bins));
    for (size_t b = 0; b < 8; b++) {
        const jm_node *bn = jm_at(bins, b);
        CLI_NEAR(jm_num(jm_get(bn, "lo")), edges[b], 1e-9, "bin lo");
        CLI_NEAR(jm_num(jm_get(bn, "hi")), edges[b + 1], 1e-9, "bin hi");
        int n = 0;
        for (int r = 0; r < t->nrow; r++) {
            if (keep_shape && strcmp(t->cell[r][cs], keep_shape) != 0)
                continue;
            if (!t->cell[r][cn][0])
                continue;
            double v = atof(t->cell[r][cn]);
            if ((v > edges[b] || (b == 0 && v >= edges[0])) && v <= edges[b + 1])
                n++;
        }
        double got = 0;
        size_t other_len = axis_is_y ? jm_len(jm_at(cells, 0)) : jm_len(cells);
        for (size_t o = 0; o < other_len; o++) {
            const jm_node *c = axis_is_y ? jm_at(jm_at(cells, b), o) : jm_at(jm_at(cells, o), b);
            got += jm_num(jm_get(c, "n"));
        }
        cr_expect(got == n, "numeric bin %zu (%g, %g]: %g rows, expected %d", b, edges[b],
                  edges[b + 1], got, n);
    }
}

/* Quantile edges of num computed offline with numpy.quantile(num.dropna(), k/8) (= pandas.qcut
 * edges), pandas 1.5.3 / numpy: all 194 values (6 missing), and the 95 values of shape == "p"
 * (99 rows, 4 missing). */
static const double q_all[9] = {21.22,   33.193749999999994, 40.480000000000004,
                                47.21375, 53.275,            57.78125,
                                62.1125, 68.39500000000001,  102.63};
static const double q_p[9] = {21.22, 33.4875, 39.2,  47.917500000000004, 53.72,
                              58.655, 62.935, 68.22, 102.63};

Test(cli_heatmap, numeric_axis_quantile_edges)
{
    jm_node *root = cli_json("report '" HEAT_CSV "' --format json --levels 0 --heatmap color,num");
    const jm_node *hm = jm_get(root, "heatmap");
    cr_assert(hm);
    const jm_node *cells = check_cells(hm, 200, 30);
    table *t = read_table(HEAT_CSV);
    check_numeric_axis(jm_get(hm, "y_bins"), cells, 1, q_all, t, NULL);
}

Test(cli_heatmap, numeric_axis_edges_follow_the_selection)
{
    jm_node *root = cli_json("report '" HEAT_CSV "' --format json --levels 0 --heatmap color,num "
                             "--filter 'shape == \"p\"'");
    CLI_EXPECT_NUM(root, "selected", 99, 0);
    const jm_node *hm = jm_get(root, "heatmap");
    cr_assert(hm);
    const jm_node *cells = check_cells(hm, 99, 30);
    table *t = read_table(HEAT_CSV);
    check_numeric_axis(jm_get(hm, "y_bins"), cells, 1, q_p, t, "p");
}

Test(cli_heatmap, numeric_axis_equal_width_edges)
{
    /* min 21.22, max 102.63: edges 21.22 + k * (102.63 - 21.22) / 8 */
    jm_node *root = cli_json("report '" HEAT_CSV "' --format json --levels 0 --heatmap num,color "
                             "--heatmap-bins equal");
    const jm_node *hm = jm_get(root, "heatmap");
    cr_assert(hm);
    double edges[9];
    for (int k = 0; k <= 8; k++)
        edges[k] = 21.22 + k * (102.63 - 21.22) / 8;
    edges[8] = 102.63;
    const jm_node *cells = check_cells(hm, 200, 30);
    table *t = read_table(HEAT_CSV);
    check_numeric_axis(jm_get(hm, "x_bins"), cells, 0, edges, t, NULL);
}

Test(cli_heatmap, adult_cells_sum_to_selection)
{
    jm_node *root = cli_json("report samples/adult_predictions.csv --format json --levels 0 "
                             "--heatmap sex,age --filter 'race == \"White\"'");
    double sel = cli_num(root, "selected");
    check_cells(jm_get(root, "heatmap"), sel, 30);
    /* age quantiles are a function of the selection; sex has two levels and no missing */
    cr_expect_eq(jm_len(jm_path(root, "heatmap.x_bins")), 2);
}

Test(cli_heatmap, unknown_column_is_a_usage_error)
{
    char *out = NULL, *serr = NULL;
    int rc = cli_run("report '" HEAT_CSV "' --format json --heatmap color,nosuch", &out, &serr);
    cr_expect_eq(rc, 2, "exit %d, expected 2; stderr: %s", rc, serr ? serr : "");
    cr_expect(out == NULL || out[0] == '\0', "stdout is not empty");
    cr_expect(serr && strstr(serr, "nosuch"), "message does not name the column: %s",
              serr ? serr : "");
    rc = cli_run("report '" HEAT_CSV "' --format json --heatmap color", &out, &serr);
    cr_expect_eq(rc, 2, "--heatmap with one column: exit %d, expected 2", rc);
}

/* ---- column ranking --------------------------------------------------------------------- */

static const jm_node *ranking_entry(const jm_node *root, const char *col)
{
    const jm_node *cr = jm_get(root, "column_ranking");
    cr_assert(cr && cr->type == JM_ARR, "no \"column_ranking\" array");
    const jm_node *e = jm_find(cr, "column", col);
    cr_assert(e, "column_ranking has no entry for %s", col);
    return e;
}

static void check_ranking_sorted(const jm_node *root)
{
    const jm_node *cr = jm_get(root, "column_ranking");
    for (size_t i = 1; i < jm_len(cr); i++)
        cr_expect(jm_num(jm_get(jm_at(cr, i - 1), "mutual_info")) >=
                      jm_num(jm_get(jm_at(cr, i), "mutual_info")),
                  "column_ranking not in descending mutual information at %zu", i);
}

/* rank.csv, 40 rows, 10 errors:
 *   grp: A (10 rows, all wrong), B (30 rows, all right): the error is a function of grp, so
 *        MI = H(error) = -(0.25 log2 0.25 + 0.75 log2 0.75) = 0.8112781244591328 bits and
 *        chi2 = N for a perfect 2x2 association, V = 1.
 *   noise: u/v, 5 errors in each of 20 rows: independent, MI = 0, V = 0.
 *   part: p (6 wrong / 6 right), q (2 / 16), missing (2 / 8):
 *        MI = .15 log2(.15/.075) + .15 log2(.15/.225) + .05 log2(.05/.1125) + .4 log2(.4/.3375)
 *           + .05 log2(.05/.0625) + .2 log2(.2/.1875) = 0.10432985008825 bits;
 *        expected counts 3/9, 4.5/13.5, 2.5/7.5: chi2 = 3 + 1 + 1.3889 + 0.4630 + 0.1 + 0.0333
 *           = 5.985185, V = sqrt(5.985185/40) = 0.38681989301176.
 *   (pandas crosstab + scipy chi2_contingency(correction=False) agree to 1e-15.) */
Test(cli_ranking, crafted_columns_by_hand)
{
    jm_node *root = cli_json("report '" RANK_CSV "' --format json --levels 0");
    const jm_node *g = ranking_entry(root, "grp"), *nz = ranking_entry(root, "noise"),
                  *pt = ranking_entry(root, "part");
    CLI_NEAR(jm_num(jm_get(g, "mutual_info")), 0.8112781244591328, 1e-9, "grp mutual_info");
    CLI_NEAR(jm_num(jm_get(g, "cramers_v")), 1.0, 1e-9, "grp cramers_v");
    CLI_NEAR(jm_num(jm_get(nz, "mutual_info")), 0.0, 1e-9, "noise mutual_info");
    CLI_NEAR(jm_num(jm_get(nz, "cramers_v")), 0.0, 1e-9, "noise cramers_v");
    CLI_NEAR(jm_num(jm_get(pt, "mutual_info")), 0.1043298500882518, 1e-9, "part mutual_info");
    CLI_NEAR(jm_num(jm_get(pt, "cramers_v")), 0.38681989301176023, 1e-9, "part cramers_v");
    check_ranking_sorted(root);
    /* grp explains the error completely: nothing can rank above it */
    const jm_node *first = jm_at(jm_get(root, "column_ranking"), 0);
    CLI_NEAR(jm_num(jm_get(first, "mutual_info")), 0.8112781244591328, 1e-9,
             "top mutual_info");
}

/* Within noise == "u" (20 rows, 5 errors): grp still determines the error (MI = H(0.25)),
 * part becomes p (5 wrong / 6 right) and q (0 / 9): pandas/scipy give MI 0.26456150814680679,
 * V 0.5222329678670935; noise has one level, MI 0. */
Test(cli_ranking, ranking_is_over_the_selection)
{
    jm_node *root = cli_json("report '" RANK_CSV "' --format json --levels 0 "
                             "--filter 'noise == \"u\"'");
    CLI_EXPECT_NUM(root, "selected", 20, 0);
    CLI_NEAR(jm_num(jm_get(ranking_entry(root, "grp"), "mutual_info")), 0.8112781244591328, 1e-9,
             "grp mutual_info");
    CLI_NEAR(jm_num(jm_get(ranking_entry(root, "part"), "mutual_info")), 0.26456150814680679,
             1e-9, "part mutual_info");
    CLI_NEAR(jm_num(jm_get(ranking_entry(root, "part"), "cramers_v")), 0.5222329678670935, 1e-9,
             "part cramers_v");
    CLI_NEAR(jm_num(jm_get(ranking_entry(root, "noise"), "mutual_info")), 0.0, 1e-9,
             "noise mutual_info");
    check_ranking_sorted(root);
}

/* adult: MI (bits) and Cramér's V between a categorical column (missing as its own level) and
 * y_true != y_pred over all 16,281 rows, computed offline with pandas 1.5.3 crosstab and scipy
 * 1.10 chi2_contingency(correction=False), reading "?" as missing like faultline does. */
Test(cli_ranking, adult_categorical_columns_vs_pandas)
{
    static const struct {
        const char *col;
        double mi, v;
    } ref[] = {
        {"relationship", 0.0686464056098501, 0.292355122225018},
        {"marital-status", 0.0639499656735622, 0.287614543971787},
        {"occupation", 0.0229368817695403, 0.167067767463512},  /* 966 missing */
        {"workclass", 0.00528564105717598, 0.0839035513544341}, /* 963 missing */
        {"sex", 0.0157441106618263, 0.139966806253982},
        {"race", 0.00310421527401626, 0.0615211653842114},
        {"native-country", 0.00473686168192958, 0.0777121499019038},
    };
    jm_node *root = cli_json("report samples/adult_predictions.csv --format json --levels 0");
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        const jm_node *e = ranking_entry(root, ref[i].col);
        CLI_NEAR(jm_num(jm_get(e, "mutual_info")), ref[i].mi, 1e-9, ref[i].col);
        CLI_NEAR(jm_num(jm_get(e, "cramers_v")), ref[i].v, 1e-9, ref[i].col);
    }
    check_ranking_sorted(root);
}
