/* Heatmap: cells worked out by hand on small files, the "(other)" and "(missing)" bins,
 * quantile edges of a selection against st_qcut_edges, equal-width edges, and the dive
 * expression of every cell against the filter language. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binning.h"
#include "fl_pipeline.h"
#include "fl_test.h"
#include "filter.h"
#include "heatmap.h"
#include "outcome.h"
#include "roles.h"
#include "slice.h"
#include "stats.h"

typedef fl_pipeline fixture;

static void setup(fixture *f, const char *csv)
{
    fl_pipeline_str(f, csv);
}

static void teardown(fixture *f)
{
    fl_pipeline_done(f);
}

static uint32_t dim_of(const fixture *f, const char *name)
{
    int d = hm_dim_find(&f->b, name);
    cr_assert(d >= 0, "no dimension %s", name);
    return (uint32_t)d;
}

static void compute(heatmap *h, const fixture *f, const char *x, const char *y, const bitmap *sel,
                    bool equal_width, size_t min_support, size_t threads)
{
    hm_input in = {f->ds, &f->b, &f->o, sel, NULL, NULL, NULL, NULL};
    hm_opts opt = {dim_of(f, x), dim_of(f, y), equal_width, min_support, threads};
    err e = {0};
    cr_assert_eq(hm_compute(h, &in, &opt, &e), E_OK, "%s", e.msg);
}

static const hm_cell *cell(const heatmap *h, uint32_t xi, uint32_t yi)
{
    cr_assert(xi < h->x.nbins && yi < h->y.nbins);
    return &h->cells[(size_t)yi * h->x.nbins + xi];
}

/* The 95% Wilson interval by the formula of STATISTICS.md. */
static void wilson(double e, double n, double *lo, double *hi)
{
    double z = 1.959963984540054, p = e / n;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    *lo = fmax(0, centre - half);
    *hi = fmin(1, centre + half);
}

static void expect_cell(const heatmap *h, uint32_t xi, uint32_t yi, size_t n, size_t nerr)
{
    const hm_cell *c = cell(h, xi, yi);
    cr_expect_eq(c->n, n, "cell (%u, %u): n %zu, expected %zu", xi, yi, c->n, n);
    cr_expect_eq(c->nerr, nerr, "cell (%u, %u): errors %zu, expected %zu", xi, yi, c->nerr, nerr);
    if (n == 0) {
        cr_expect(isnan(c->rate) && isnan(c->lo) && isnan(c->hi));
        return;
    }
    double lo, hi;
    wilson((double)nerr, (double)n, &lo, &hi);
    cr_expect_float_eq(c->rate, (double)nerr / (double)n, 1e-15);
    cr_expect_float_eq(c->lo, lo, 1e-12, "cell (%u, %u) lo", xi, yi);
    cr_expect_float_eq(c->hi, hi, 1e-12, "cell (%u, %u) hi", xi, yi);
}

/* 20 rows: g = a on rows 1-10 with errors on rows 1-4, g = b on rows 11-20 with an error on
 * row 11; x = the row number, or 100 on row 20 when outlier is set. */
static void two_groups_csv(char *csv, size_t size, bool outlier)
{
    size_t len = (size_t)snprintf(csv, size, "id,g,x,label,prediction\n");
    for (int i = 1; i <= 20; i++) {
        bool a = i <= 10;
        bool wrong = a ? i <= 4 : i == 11;
        len += (size_t)snprintf(csv + len, size - len, "%d,%s,%d,yes,%s\n", i, a ? "a" : "b",
                                outlier && i == 20 ? 100 : i, wrong ? "no" : "yes");
    }
}

Test(hm, quantile_cells_by_hand)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv, false);
    fixture f;
    setup(&f, csv);
    heatmap h;
    compute(&h, &f, "x", "g", NULL, false, 3, 1);
    cr_assert(h.valid);
    cr_assert_eq(h.N, 20);
    cr_assert_eq(h.E, 5);
    /* x = 1..20: Q(p) = 1 + 19p (numpy linear), p = j/8: edges 1, 3.375, 5.75, 8.125, 10.5,
     * 12.875, 15.25, 17.625, 20. Bins [1, 3.375] = {1,2,3}, (3.375, 5.75] = {4,5},
     * (5.75, 8.125] = {6,7,8}, (8.125, 10.5] = {9,10}, (10.5, 12.875] = {11,12},
     * (12.875, 15.25] = {13,14,15}, (15.25, 17.625] = {16,17}, (17.625, 20] = {18,19,20}. */
    cr_assert(h.x.numeric && !h.x.equal_width);
    cr_assert_eq(h.x.nbins, 8);
    double edges[9] = {1, 3.375, 5.75, 8.125, 10.5, 12.875, 15.25, 17.625, 20};
    for (int k = 0; k < 8; k++) {
        cr_expect_float_eq(h.x.bins[k].lo, edges[k], 1e-12);
        cr_expect_float_eq(h.x.bins[k].hi, edges[k + 1], 1e-12);
        cr_expect_eq(h.x.bins[k].lo_closed, k == 0);
        cr_expect_eq(h.x.bins[k].kind, HM_RANGE);
    }
    cr_expect_str_eq(h.x.bins[0].label, "[1, 3.375]");
    cr_expect_str_eq(h.x.bins[7].label, "(17.625, 20]");
    cr_assert_eq(h.y.nbins, 2);
    cr_expect_str_eq(h.y.bins[0].label, "a");
    cr_expect_str_eq(h.y.bins[1].label, "b");
    /* g = a (y 0): {1,2,3} 3 errors; {4,5} 1 error (row 4); {6,7,8}, {9,10} none; nothing
     * above 10. g = b (y 1): {11,12} 1 error (row 11), the rest none, nothing below 11. */
    size_t n[2][8] = {{3, 2, 3, 2, 0, 0, 0, 0}, {0, 0, 0, 0, 2, 3, 2, 3}};
    size_t e[2][8] = {{3, 1, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0, 0, 0}};
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t x = 0; x < 8; x++)
            expect_cell(&h, x, y, n[y][x], e[y][x]);
    const hm_cell *c = cell(&h, 0, 0);
    cr_expect_float_eq(c->coverage, 3.0 / 5.0, 1e-15); /* 3 of the selection's 5 errors */
    cr_expect_float_eq(c->lift, 1.0 / 0.25, 1e-12);    /* rate 1 over the base rate 5/20 */
    cr_expect(!c->small);                              /* n = 3 is not below 3 */
    cr_expect(cell(&h, 1, 0)->small);                  /* n = 2 is */
    cr_expect(cell(&h, 7, 0)->small);                  /* empty */
    cr_expect_float_eq(cell(&h, 7, 0)->coverage, 0.0, 1e-15);
    cr_expect(isnan(cell(&h, 7, 0)->lift));
    hm_done(&h);
    teardown(&f);
}

Test(hm, equal_width_edges_and_empty_bins)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv, true);
    fixture f;
    setup(&f, csv);
    heatmap h;
    compute(&h, &f, "x", "g", NULL, true, 30, 1);
    /* x = 1..19 and 100: width (100 - 1) / 8 = 12.375; edges 1 + 12.375 j.
     * [1, 13.375] holds 1..13, (13.375, 25.75] holds 14..19, five empty bins, then
     * (87.625, 100] holds 100. */
    cr_assert(h.x.equal_width);
    cr_assert_eq(h.x.nbins, 8);
    for (int k = 0; k < 8; k++) {
        cr_expect_float_eq(h.x.bins[k].lo, 1 + 99 * (k / 8.0), 1e-12);
        cr_expect_float_eq(h.x.bins[k].hi, 1 + 99 * ((k + 1) / 8.0), 1e-12);
    }
    cr_expect_str_eq(h.x.bins[0].label, "[1, 13.375]");
    cr_expect_str_eq(h.x.bins[7].label, "(87.625, 100]");
    /* g = a: rows 1-10 all in bin 0 (errors 1-4). g = b: 11-13 in bin 0 (error on 11),
     * 14-19 in bin 1, 20 (x = 100) in bin 7. */
    expect_cell(&h, 0, 0, 10, 4);
    expect_cell(&h, 0, 1, 3, 1);
    expect_cell(&h, 1, 1, 6, 0);
    expect_cell(&h, 7, 1, 1, 0);
    for (uint32_t x = 2; x < 7; x++) {
        expect_cell(&h, x, 0, 0, 0);
        expect_cell(&h, x, 1, 0, 0);
    }
    hm_done(&h);
    teardown(&f);
}

/* 14 levels L01..L14 with 14, 13, ..., 4, 3, 3, 2 rows, then 4 rows with no level; the
 * label is "t" throughout, the prediction "f" on the first row of each level. */
static char *many_levels_csv(void)
{
    size_t size = 1 << 14, len = 0;
    char *csv = malloc(size);
    int counts[14] = {14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 3, 2};
    len += (size_t)snprintf(csv + len, size - len, "lvl,label,prediction\n");
    for (int l = 0; l < 14; l++)
        for (int k = 0; k < counts[l]; k++)
            len +=
                (size_t)snprintf(csv + len, size - len, "L%02d,t,%s\n", l + 1, k == 0 ? "f" : "t");
    for (int k = 0; k < 4; k++)
        len += (size_t)snprintf(csv + len, size - len, ",t,%s\n", k < 3 ? "f" : "t");
    return csv;
}

Test(hm, other_and_missing_levels)
{
    char *csv = many_levels_csv();
    fixture f;
    setup(&f, csv);
    heatmap h;
    compute(&h, &f, "lvl", "predicted class", NULL, false, 30, 2);
    /* the 12 most frequent levels in bin order; L12 and L13 tie at 3 rows, and the earlier
     * bin wins; then "(other)" = L13 + L14 = 5 rows, then "(missing)" = 4 rows. */
    cr_assert_eq(h.x.nbins, 14);
    for (int k = 0; k < 12; k++) {
        char want[8];
        snprintf(want, sizeof want, "L%02d", k + 1);
        cr_expect_str_eq(h.x.bins[k].label, want);
        cr_expect_eq(h.x.bins[k].kind, HM_LEVEL);
    }
    cr_expect_eq(h.x.bins[12].kind, HM_OTHER);
    cr_expect_str_eq(h.x.bins[12].label, "(other)");
    cr_expect_eq(h.x.bins[13].kind, HM_MISSING);
    cr_expect_str_eq(h.x.bins[13].label, "(missing)");
    /* predicted class: f (every error: the label is t), t */
    cr_assert_eq(h.y.nbins, 2);
    cr_expect_str_eq(h.y.bins[0].label, "f");
    expect_cell(&h, 0, 0, 1, 1);  /* L01: one f */
    expect_cell(&h, 0, 1, 13, 0); /* and 13 t */
    expect_cell(&h, 12, 0, 2, 2); /* (other): the first rows of L13 and L14 */
    expect_cell(&h, 12, 1, 3, 0);
    expect_cell(&h, 13, 0, 3, 3); /* (missing): three f */
    expect_cell(&h, 13, 1, 1, 0);
    cr_expect_eq(h.N, 111); /* 14 + 13 + ... + 4 = 99, + 3 + 3 + 2, + 4 missing */
    cr_expect_eq(h.E, 17);
    hm_done(&h);
    teardown(&f);
    free(csv);
}

/* A numeric column with ties and missing values, a categorical one, some rows with no
 * label (not evaluated), and a random selection: the quantile edges equal st_qcut_edges of
 * the selection's evaluated values, every row lands where st_bin_of puts it, and the
 * threads do not change anything. */
Test(hm, selection_quantiles_equal_qcut)
{
    size_t nrows = 6000, size = nrows * 40 + 64, len = 0;
    char *csv = malloc(size);
    len += (size_t)snprintf(csv + len, size - len, "v,c,label,prediction\n");
    unsigned long long s = 12345;
    for (size_t i = 0; i < nrows; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(s >> 33);
        char v[16] = "";
        if (r % 17)
            snprintf(v, sizeof v, "%u", (r / 17) % 97 * (r % 3 ? 1 : 10));
        len += (size_t)snprintf(csv + len, size - len, "%s,c%u,%s,%s\n", v, (r >> 8) % 5,
                                r % 29 ? "y" : "", (r >> 4) % 7 ? "y" : "n");
    }
    fixture f;
    setup(&f, csv);
    free(csv);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, nrows, false, NULL), E_OK);
    for (size_t i = 0; i < nrows; i++)
        if ((i * 2654435761u) % 100 < 37)
            bm_set(&sel, i);
    heatmap h1, h2;
    compute(&h1, &f, "v", "c", &sel, false, 30, 1);
    compute(&h2, &f, "v", "c", &sel, false, 30, 2);
    const double *x = f.ds->cols[0].num;
    double *vals = malloc(nrows * sizeof *vals);
    size_t m = 0, nmiss = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (!bm_get(&sel, i) || f.o.err[i] == OUT_UNKNOWN)
            continue;
        if (isnan(x[i]))
            nmiss++;
        else
            vals[m++] = x[i];
    }
    for (size_t i = 1; i < m; i++) /* insertion sort: small, and independent of the code */
        for (size_t j = i; j > 0 && vals[j - 1] > vals[j]; j--) {
            double t = vals[j];
            vals[j] = vals[j - 1];
            vals[j - 1] = t;
        }
    double edges[HM_NUM_BINS + 1];
    size_t ne = st_qcut_edges(vals, m, HM_NUM_BINS, edges);
    cr_assert(ne > 2);
    cr_assert_eq(h1.x.nbins, ne - 1 + (nmiss > 0));
    for (size_t k = 0; k + 1 < ne; k++) {
        cr_expect_eq(h1.x.bins[k].lo, edges[k]);
        cr_expect_eq(h1.x.bins[k].hi, edges[k + 1]);
    }
    cr_expect_eq(h1.x.bins[ne - 1].kind, HM_MISSING);
    /* each column of cells against a count by st_bin_of */
    size_t *want = calloc(h1.x.nbins, sizeof *want);
    for (size_t i = 0; i < nrows; i++) {
        if (!bm_get(&sel, i) || f.o.err[i] == OUT_UNKNOWN)
            continue;
        int k = isnan(x[i]) ? (int)ne - 1 : st_bin_of(edges, ne, x[i]);
        cr_assert(k >= 0);
        want[k]++;
    }
    for (uint32_t k = 0; k < h1.x.nbins; k++) {
        size_t got = 0;
        for (uint32_t y = 0; y < h1.y.nbins; y++)
            got += cell(&h1, k, y)->n;
        cr_expect_eq(got, want[k], "bin %u: %zu rows, expected %zu", k, got, want[k]);
    }
    cr_assert_eq(h1.x.nbins, h2.x.nbins);
    cr_assert_eq(h1.y.nbins, h2.y.nbins);
    cr_expect_eq(memcmp(h1.cells, h2.cells, (size_t)h1.x.nbins * h1.y.nbins * sizeof *h1.cells), 0);
    /* with the level axis's counts given (as the engine passes the slice counts), the
     * heatmap comes from one joint pass: the same cells */
    slice_table t;
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, &sel, 30, NULL), E_OK);
    size_t off = 0;
    for (uint32_t d = 0; d < dim_of(&f, "c"); d++)
        off += f.b.dim[d].nbins;
    size_t *yc = malloc(f.b.dim[dim_of(&f, "c")].nbins * sizeof *yc);
    for (uint32_t k = 0; k < f.b.dim[dim_of(&f, "c")].nbins; k++)
        yc[k] = t.v[off + k].n;
    for (int flip = 0; flip < 2; flip++) {
        heatmap h3, h4;
        const char *xs = flip ? "c" : "v", *ys = flip ? "v" : "c";
        hm_input in = {f.ds, &f.b, &f.o, &sel, NULL, NULL, flip ? yc : NULL, flip ? NULL : yc};
        hm_opts opt = {dim_of(&f, xs), dim_of(&f, ys), flip == 1, 30, 2};
        cr_assert_eq(hm_compute(&h3, &in, &opt, NULL), E_OK);
        compute(&h4, &f, xs, ys, &sel, flip == 1, 30, 1);
        cr_assert_eq(h3.x.nbins, h4.x.nbins);
        cr_assert_eq(h3.y.nbins, h4.y.nbins);
        cr_expect_eq(memcmp(h3.x.bins, h4.x.bins, h3.x.nbins * sizeof *h3.x.bins), 0);
        cr_expect_eq(memcmp(h3.y.bins, h4.y.bins, h3.y.nbins * sizeof *h3.y.bins), 0);
        cr_expect_eq(memcmp(h3.cells, h4.cells, (size_t)h3.x.nbins * h3.y.nbins * sizeof *h3.cells),
                     0, "joint pass and two passes differ (flip %d)", flip);
        cr_expect_eq(h3.N, h4.N);
        hm_done(&h3);
        hm_done(&h4);
    }
    free(yc);
    slc_done(&t);
    free(want);
    free(vals);
    hm_done(&h1);
    hm_done(&h2);
    bm_done(&sel);
    teardown(&f);
}

/* Every cell's dive expression, compiled and evaluated, selects exactly that cell's rows. */
static void check_dive(const fixture *f, const heatmap *h)
{
    flt_ctx ctx = {.ds = f->ds, .r = &f->r, .o = &f->o};
    for (uint32_t y = 0; y < h->y.nbins; y++)
        for (uint32_t x = 0; x < h->x.nbins; x++) {
            char expr[4096];
            size_t len = hm_cell_expr(h, &f->b, f->ds, x, y, expr, sizeof expr);
            cr_assert(len > 0 && len < sizeof expr, "cell (%u, %u) has no expression", x, y);
            filter *flt;
            err e = {0};
            cr_assert_eq(flt_compile(&flt, expr, &ctx, &e, NULL), E_OK, "%s: %s", expr, e.msg);
            bitmap bm;
            cr_assert_eq(bm_init(&bm, f->ds->nrows, false, NULL), E_OK);
            cr_assert_eq(flt_eval(flt, &bm, &e), E_OK, "%s", e.msg);
            size_t n = 0;
            for (size_t i = 0; i < f->ds->nrows; i++)
                n += bm_get(&bm, i) && f->o.err[i] != OUT_UNKNOWN;
            cr_expect_eq(n, cell(h, x, y)->n, "%s: %zu rows, the cell has %zu", expr, n,
                         cell(h, x, y)->n);
            bm_done(&bm);
            flt_free(flt);
        }
}

Test(hm, dive_expressions_select_the_cells)
{
    char *csv = many_levels_csv();
    fixture f;
    setup(&f, csv);
    free(csv);
    heatmap h;
    compute(&h, &f, "lvl", "true class", NULL, false, 30, 1);
    check_dive(&f, &h);
    hm_done(&h);
    teardown(&f);

    char buf[2048];
    two_groups_csv(buf, sizeof buf, true);
    setup(&f, buf);
    compute(&h, &f, "x", "g", NULL, true, 30, 1);
    check_dive(&f, &h);
    hm_done(&h);
    compute(&h, &f, "g", "x", NULL, false, 30, 1);
    check_dive(&f, &h);
    hm_done(&h);
    teardown(&f);
}

Test(hm, time_axis_by_dates)
{
    /* days 2024-01-01 .. 2024-01-17 (17 values > 12): equal-width edges fall on whole days
     * (16 days / 8 = 2 days), so labels are dates */
    char csv[4096];
    size_t len = (size_t)snprintf(csv, sizeof csv, "when,label,prediction\n");
    for (int d = 1; d <= 17; d++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "2024-01-%02d,a,%s\n", d,
                                d % 4 ? "a" : "b");
    fixture f;
    setup(&f, csv);
    heatmap h;
    compute(&h, &f, "when", "true class", NULL, true, 30, 1);
    cr_assert(h.x.numeric);
    cr_assert_eq(h.x.nbins, 8);
    cr_expect_str_eq(h.x.bins[0].label, "[2024-01-01, 2024-01-03]");
    cr_expect_str_eq(h.x.bins[1].label, "(2024-01-03, 2024-01-05]");
    expect_cell(&h, 0, 0, 3, 0); /* days 1, 2, 3 */
    expect_cell(&h, 1, 0, 2, 1); /* days 4 (wrong), 5 */
    check_dive(&f, &h);
    hm_done(&h);
    teardown(&f);
    /* instants that are not whole days show the time of day */
    len = (size_t)snprintf(csv, sizeof csv, "when,label,prediction\n2024-01-01T06:00:00Z,a,a\n");
    for (int d = 2; d <= 17; d++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "2024-01-%02d,a,a\n", d);
    setup(&f, csv);
    compute(&h, &f, "when", "true class", NULL, true, 30, 1);
    cr_expect(strncmp(h.x.bins[0].label, "[2024-01-01 06:00, ", 19) == 0, "%s", h.x.bins[0].label);
    check_dive(&f, &h);
    hm_done(&h);
    teardown(&f);
}

Test(hm, empty_selection_and_copy)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv, false);
    fixture f;
    setup(&f, csv);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 20, false, NULL), E_OK);
    heatmap h;
    compute(&h, &f, "x", "g", &sel, false, 30, 1);
    cr_expect(h.valid);
    cr_expect_eq(h.x.nbins, 0);
    cr_expect_eq(h.y.nbins, 0);
    cr_expect_eq(h.N, 0);
    cr_expect(isnan(h.base_err));
    hm_done(&h);
    bm_set(&sel, 4); /* row 5: x = 5, g = a, correct */
    compute(&h, &f, "x", "g", &sel, false, 30, 1);
    cr_assert_eq(h.x.nbins, 1);
    cr_expect_str_eq(h.x.bins[0].label, "[5, 5]");
    expect_cell(&h, 0, 0, 1, 0);
    heatmap c;
    cr_assert_eq(hm_copy(&c, &h, NULL), E_OK);
    cr_expect_eq(c.cells[0].n, 1);
    cr_expect_str_eq(c.x.bins[0].label, "[5, 5]");
    cr_expect_neq(c.cells, h.cells);
    hm_done(&c);
    hm_done(&h);
    bm_done(&sel);
    /* a dimension out of range */
    hm_input in = {f.ds, &f.b, &f.o, NULL, NULL, NULL, NULL, NULL};
    hm_opts opt = {99, 0, false, 30, 1};
    err e = {0};
    cr_expect_eq(hm_compute(&h, &in, &opt, &e), E_RANGE);
    teardown(&f);
}
