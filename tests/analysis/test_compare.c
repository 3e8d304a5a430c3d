/* compare: McNemar's exact test, Newcombe's paired interval, the joins and their errors, and
 * per-slice comparisons on small files worked out by hand. Reference values come from the
 * arithmetic in the comments or offline from scipy 1.10.1 (the call is quoted). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "fl_pipeline.h"
#include "fl_test.h"
#include "stats.h"

#define EXPECT_REL(got, want, rel)                                                                 \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        cr_expect(fabs(g_ - w_) <= (rel)*fabs(w_), "%s = %.17g, expected %.17g", #got, g_, w_);   \
    } while (0)
#define EXPECT_ABS(got, want, tol)                                                                 \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        cr_expect(fabs(g_ - w_) <= (tol), "%s = %.17g, expected %.17g", #got, g_, w_);            \
    } while (0)

static void init(void)
{
    st_init();
}

TestSuite(cmp, .init = init);

/* --------------------------------------------------------------------------- McNemar */

Test(cmp, mcnemar_small_by_hand)
{
    /* b = 1, c = 7: P(X <= 1), X ~ Bin(8, 1/2) = (1 + 8) / 256; p = 18 / 256 */
    EXPECT_REL(cmp_mcnemar_exact(1, 7), 18.0 / 256.0, 1e-14);
    EXPECT_REL(cmp_mcnemar_exact(7, 1), 18.0 / 256.0, 1e-14);
    /* b = 0, c = 3: 2 / 8 */
    EXPECT_REL(cmp_mcnemar_exact(0, 3), 0.25, 1e-14);
    /* b = c, b + c = 0, and b = 4, c = 5 (P(X <= 4 | 9) = 256 / 512, doubled = 1) */
    EXPECT_REL(cmp_mcnemar_exact(3, 3), 1.0, 0);
    EXPECT_REL(cmp_mcnemar_exact(0, 0), 1.0, 0);
    EXPECT_REL(cmp_mcnemar_exact(4, 5), 1.0, 0);
}

Test(cmp, mcnemar_against_scipy)
{
    /* scipy.stats.binomtest(100, 250, 0.5).pvalue */
    EXPECT_REL(cmp_mcnemar_exact(100, 150), 0.0018833009350761704, 1e-11);
    /* binomtest(3, 43, 0.5).pvalue */
    EXPECT_REL(cmp_mcnemar_exact(3, 40), 3.0213413992896676e-09, 1e-11);
    /* binomtest(4900, 10000, 0.5).pvalue */
    EXPECT_REL(cmp_mcnemar_exact(4900, 5100), 0.046585527704947234, 1e-9);
    /* 0 vs 1000: 2 * 2^-1000 = 2^-999, near the bottom of the doubles */
    EXPECT_REL(cmp_mcnemar_exact(0, 1000), ldexp(1.0, -999), 1e-9);
}

/* ---------------------------------------------------------------- Newcombe interval */

Test(cmp, paired_interval_no_errors_by_hand)
{
    /* 10 rows both right: p1 = p2 = 0, Wilson(0, 10) = [0, z^2 / (10 + z^2)] = [0, 0.27753];
     * phi = 0 (empty margin), so lo = -u1, hi = u2 */
    double lo, hi, z2 = ST_Z95 * ST_Z95;
    cmp_paired_interval(10, 0, 0, 0, &lo, &hi);
    EXPECT_ABS(lo, -z2 / (10 + z2), 1e-14);
    EXPECT_ABS(hi, z2 / (10 + z2), 1e-14);
    cmp_paired_interval(0, 0, 0, 0, &lo, &hi);
    cr_expect(isnan(lo) && isnan(hi));
}

Test(cmp, paired_interval_against_formula)
{
    /* Newcombe 1998 method 10 written out in Python (Wilson with z = 1.959963984540054,
     * phi of [[both_wrong, fixed], [new, both_right]]). */
    double lo, hi;
    cmp_paired_interval(8, 4, 5, 3, &lo, &hi);
    EXPECT_ABS(lo, -0.22679538229570273, 1e-12);
    EXPECT_ABS(hi, 0.31638327221826468, 1e-12);
    cmp_paired_interval(6, 3, 0, 1, &lo, &hi);
    EXPECT_ABS(lo, -0.56464006861803773, 1e-12);
    EXPECT_ABS(hi, -0.0022113317487015838, 1e-12);
    cmp_paired_interval(50, 2, 20, 10, &lo, &hi);
    EXPECT_ABS(lo, 0.1164740029263341, 1e-12);
    EXPECT_ABS(hi, 0.31995485230401549, 1e-12);
}

/* ------------------------------------------------------------------------- pipelines */

/* Row states per group: 0 both right, 1 fixed, 2 new error, 3 both wrong.
 * g = a (rows 1-10): 2 both right, 1 fixed, 5 new, 2 both wrong.
 * g = b (rows 11-20): 6 both right, 3 fixed, 0 new, 1 both wrong. */
static const int STATES[20] = {0, 0, 1, 2, 2, 2, 2, 2, 3, 3, 0, 0, 0, 0, 0, 0, 1, 1, 1, 3};

static const char *other_class(const char *c)
{
    return strcmp(c, "yes") == 0 ? "no" : "yes";
}

/* File A: id, g, label, prediction (model A), pred2 (model B). Labels alternate. */
static void file_a(char *csv, size_t size)
{
    size_t len = (size_t)snprintf(csv, size, "id,g,label,prediction,pred2\n");
    for (int i = 0; i < 20; i++) {
        const char *y = i % 2 ? "yes" : "no";
        bool a_wrong = STATES[i] == 1 || STATES[i] == 3;
        bool b_wrong = STATES[i] == 2 || STATES[i] == 3;
        len += (size_t)snprintf(csv + len, size - len, "r%d,%s,%s,%s,%s\n", i + 1,
                                i < 10 ? "a" : "b", y, a_wrong ? other_class(y) : y,
                                b_wrong ? other_class(y) : y);
    }
}

/* File B: model B's predictions alone, rows in reverse order. */
static void file_b(char *csv, size_t size, bool reversed)
{
    size_t len = (size_t)snprintf(csv, size, "id,label,prediction\n");
    for (int k = 0; k < 20; k++) {
        int i = reversed ? 19 - k : k;
        const char *y = i % 2 ? "yes" : "no";
        bool b_wrong = STATES[i] == 2 || STATES[i] == 3;
        len += (size_t)snprintf(csv + len, size - len, "r%d,%s,%s\n", i + 1, y,
                                b_wrong ? other_class(y) : y);
    }
}

static dataset *load_named(const char *name, const char *csv)
{
    ld_opts lo;
    ld_opts_init(&lo);
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_mem(&ds, name, csv, strlen(csv), &lo, &e), E_OK, "%s", e.msg);
    return ds;
}

static const cmp_slice *find(const cmp_result *r, const binning *b, const char *dim,
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

static void check_result(const cmp_result *r, const binning *b)
{
    /* overall: both right 8, fixed 4, new 5, both wrong 3; A errs 7 / 20, B 8 / 20 */
    cr_expect_eq(r->all.n, 20);
    cr_expect_eq(r->all.both_right, 8);
    cr_expect_eq(r->all.fixed, 4);
    cr_expect_eq(r->all.new_errors, 5);
    cr_expect_eq(r->all.both_wrong, 3);
    EXPECT_ABS(r->all.rate_a, 0.35, 1e-15);
    EXPECT_ABS(r->all.rate_b, 0.40, 1e-15);
    EXPECT_ABS(r->all.diff, 0.05, 1e-15);
    EXPECT_ABS(r->all.p, 1.0, 0); /* b = 4, c = 5: see mcnemar_small_by_hand */
    EXPECT_ABS(r->all.lo, -0.22679538229570273, 1e-12);
    const cmp_slice *a = find(r, b, "g", "a");
    /* g = a: fixed 1, new 5: P(X <= 1 | 6) = 7 / 64, p = 14 / 64; diff = (5 - 1) / 10 */
    cr_expect_eq(a->c.n, 10);
    EXPECT_REL(a->c.p, 14.0 / 64.0, 1e-14);
    EXPECT_ABS(a->c.diff, 0.4, 1e-15);
    EXPECT_ABS(a->c.lo, -0.038911730018917179, 1e-12);
    EXPECT_ABS(a->c.hi, 0.67822093507140502, 1e-12);
    const cmp_slice *bs = find(r, b, "g", "b");
    /* g = b: fixed 3, new 0: p = 2 / 8 */
    EXPECT_REL(bs->c.p, 0.25, 1e-14);
    EXPECT_ABS(bs->c.diff, -0.3, 1e-15);
    cr_expect(!a->regressed && !bs->improved); /* nothing is significant on 20 rows */
}

Test(cmp, second_column_counts_and_slices)
{
    char csv[4096];
    file_a(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    err e = {0};
    cmp_second s;
    int col = ds_col_find(f.ds, "pred2");
    cr_assert_eq(cmp_second_from_column(&s, f.ds, &f.r, &f.o, col, &e), E_OK, "%s", e.msg);
    cr_expect_eq(s.nerr, 8);
    cr_expect_eq(s.nunknown, 0);
    cmp_result r;
    cr_assert_eq(cmp_compute(&r, &f.o, &s, &f.b, NULL, 0.05, &e), E_OK, "%s", e.msg);
    check_result(&r, &f.b);
    /* q-values: BH over the 12 non-empty slices of the table (g: a, b; pred2: no, yes; true
     * class: 2; predicted class: 2; outcome: TP, FP, TN, FN). Their McNemar p-values, from the
     * counts, sorted: 0.21875 (g = a), 0.25 (g = b, TP: fixed 0 new 3, FP: fixed 3 new 0),
     * 0.5 (TN), 0.625 (true class yes), then 1s. q(g = a) = min_j 12 p_(j) / j, smallest at
     * j = 4: 12 * 0.25 / 4 = 0.75. */
    EXPECT_ABS(find(&r, &f.b, "g", "a")->q, 0.75, 1e-12);
    EXPECT_ABS(find(&r, &f.b, "g", "b")->q, 0.75, 1e-12);
    cr_expect_eq(r.ntested, 12);
    for (size_t i = 0; i < r.len; i++)
        if (r.v[i].c.n)
            cr_expect(r.v[i].q >= r.v[i].c.p - 1e-15);
    cmp_done(&r);
    cmp_second_done(&s);
    fl_pipeline_done(&f);
}

Test(cmp, other_file_joined_by_id_gives_the_same)
{
    char csv_a[4096], csv_b[4096];
    file_a(csv_a, sizeof csv_a);
    file_b(csv_b, sizeof csv_b, true);
    fl_pipeline fa, fb;
    fl_pipeline_str(&fa, csv_a);
    fl_pipeline_from(&fb, load_named("other.csv", csv_b));
    err e = {0};
    cmp_map m;
    cr_assert_eq(cmp_join(&m, fa.ds, &fa.r, fb.ds, &fb.r, &e), E_OK, "%s", e.msg);
    cr_expect(m.by_id);
    cr_expect_eq(m.b_row[0], 19); /* r1 is B's last row */
    cr_expect_eq(m.nb_unused, 0);
    cmp_second s;
    cr_assert_eq(cmp_second_from_other(&s, &fa.o, &fa.r, &fb.o, &fb.r, &m, &e), E_OK);
    cmp_result r;
    cr_assert_eq(cmp_compute(&r, &fa.o, &s, &fa.b, NULL, 0.05, &e), E_OK, "%s", e.msg);
    check_result(&r, &fa.b);
    cr_expect_eq(cmp_row_state(&fa.o, &s, 2), CMP_FIXED);
    cr_expect_eq(cmp_row_state(&fa.o, &s, 3), CMP_NEW_ERROR);
    cmp_done(&r);
    cmp_second_done(&s);
    cmp_map_done(&m);
    fl_pipeline_done(&fb);
    fl_pipeline_done(&fa);
}

Test(cmp, selection_restricts_counts)
{
    char csv[4096];
    file_a(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    cmp_second s;
    cr_assert_eq(cmp_second_from_column(&s, f.ds, &f.r, &f.o, ds_col_find(f.ds, "pred2"), NULL),
                 E_OK);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 20, false, NULL), E_OK);
    for (size_t i = 10; i < 20; i++)
        bm_set(&sel, i);
    cmp_result r;
    cr_assert_eq(cmp_compute(&r, &f.o, &s, &f.b, &sel, 0.05, NULL), E_OK);
    cr_expect_eq(r.all.n, 10);
    cr_expect_eq(r.all.fixed, 3);
    cr_expect_eq(r.all.both_right, 6);
    cr_expect_eq(find(&r, &f.b, "g", "a")->c.n, 0);
    cr_expect(isnan(find(&r, &f.b, "g", "a")->q));
    cmp_done(&r);
    /* an empty selection: no rows, figures NAN */
    bm_fill(&sel, false);
    cr_assert_eq(cmp_compute(&r, &f.o, &s, &f.b, &sel, 0.05, NULL), E_OK);
    cr_expect_eq(r.all.n, 0);
    cr_expect(isnan(r.all.p) && isnan(r.all.diff));
    cr_expect_eq(r.ntested, 0);
    cmp_done(&r);
    bm_done(&sel);
    cmp_second_done(&s);
    fl_pipeline_done(&f);
}

/* 60 rows: g = c (rows 1-30) where B errs on every row A got right; g = d (rows 31-60)
 * where both are right. The regressed slice comes first in the order. */
Test(cmp, significant_regression_is_listed_first)
{
    char csv[8192];
    size_t len = (size_t)snprintf(csv, sizeof csv, "id,g,label,prediction,pred2\n");
    for (int i = 0; i < 60; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "%d,%s,yes,yes,%s\n", i,
                                i < 30 ? "c" : "d", i < 30 ? "no" : "yes");
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    cmp_second s;
    cr_assert_eq(cmp_second_from_column(&s, f.ds, &f.r, &f.o, ds_col_find(f.ds, "pred2"), NULL),
                 E_OK);
    cmp_result r;
    cr_assert_eq(cmp_compute(&r, &f.o, &s, &f.b, NULL, 0.05, NULL), E_OK);
    /* overall: new errors 30, fixed 0: p = 2 * 2^-30 */
    EXPECT_REL(r.all.p, ldexp(1.0, -29), 1e-12);
    const cmp_slice *c = find(&r, &f.b, "g", "c");
    EXPECT_REL(c->c.p, ldexp(1.0, -29), 1e-12);
    EXPECT_ABS(c->c.diff, 1.0, 0);
    cr_expect(c->regressed);
    cr_expect(!find(&r, &f.b, "g", "d")->regressed);
    size_t *order = malloc(r.len * sizeof *order);
    cr_assert_eq(cmp_order(&r, order, NULL), E_OK);
    cr_expect(r.v[order[0]].regressed);
    for (size_t i = 1; i < r.len; i++) /* regressed ones form a prefix */
        cr_expect(!(r.v[order[i]].regressed && !r.v[order[i - 1]].regressed));
    cr_expect_gt(r.nregressed, 0);
    free(order);
    cmp_done(&r);
    cmp_second_done(&s);
    fl_pipeline_done(&f);
}

/* ------------------------------------------------------------------------ join errors */

/* A file with its roles; the id column is named explicitly (detection takes only unique
 * columns as ids, and these tests need repeated ones). */
typedef struct loaded {
    dataset *ds;
    roles r;
} loaded;

static void load_roles(loaded *l, const char *name, const char *csv)
{
    l->ds = load_named(name, csv);
    role_opts ro;
    role_opts_init(&ro);
    if (ds_col_find(l->ds, "id") >= 0)
        ro.id = "id";
    err e = {0};
    cr_assert_eq(role_detect(&l->r, l->ds, &ro, &e), E_OK, "%s", e.msg);
}

static void expect_join_error(const char *a_csv, const char *b_csv, const char *needle)
{
    loaded a, b;
    load_roles(&a, "a.csv", a_csv);
    load_roles(&b, "b.csv", b_csv);
    err e = {0};
    cmp_map m;
    cr_expect_neq(cmp_join(&m, a.ds, &a.r, b.ds, &b.r, &e), E_OK);
    cr_expect(strstr(e.msg, needle) != NULL, "message '%s' lacks '%s'", e.msg, needle);
    role_done(&b.r);
    ds_free(b.ds);
    role_done(&a.r);
    ds_free(a.ds);
}

Test(cmp, join_errors_name_file_and_row)
{
    const char *a = "id,label,prediction\n1,x,x\n2,y,x\n3,x,y\n";
    expect_join_error(a, "id,label,prediction\n1,x,x\n2,y,y\n2,x,x\n",
                      "b.csv: rows 2 and 3 have the same id '2'");
    expect_join_error(a, "id,label,prediction\n1,x,x\n2,y,y\n4,x,x\n",
                      "a.csv: row 3: id '3' is not in b.csv");
    expect_join_error(a, "id,label,prediction\n3,x,x\n2,x,y\n1,x,x\n",
                      "b.csv: row 2: label 'x' differs from 'y' in a.csv row 2");
    expect_join_error("id,label,prediction\n1,x,x\n1,y,x\n", "id,label,prediction\n1,x,x\n",
                      "a.csv: rows 1 and 2 have the same id '1'");
    /* by order (no id in B) */
    expect_join_error(a, "label,prediction\nx,x\ny,y\n", "a.csv has 3 rows and b.csv 2");
    expect_join_error(a, "label,prediction\nx,x\ny,y\ny,y\n",
                      "b.csv: row 3: label 'y' differs from 'x' in a.csv row 3");
}

Test(cmp, join_by_id_ignores_extra_rows_of_b_and_matches_numbers)
{
    fl_pipeline fa, fb;
    fl_pipeline_from(&fa, load_named("a.csv", "id,label,prediction\n7,x,x\n8,y,x\n"));
    fl_pipeline_from(&fb, load_named("b.csv", "id,label,prediction\n9,x,x\n8.0,y,y\n7,x,y\n"));
    err e = {0};
    cmp_map m;
    cr_assert_eq(cmp_join(&m, fa.ds, &fa.r, fb.ds, &fb.r, &e), E_OK, "%s", e.msg);
    cr_expect_eq(m.b_row[0], 2);
    cr_expect_eq(m.b_row[1], 1);
    cr_expect_eq(m.nb_unused, 1);
    cmp_second s;
    cr_assert_eq(cmp_second_from_other(&s, &fa.o, &fa.r, &fb.o, &fb.r, &m, &e), E_OK);
    cr_expect_eq(cmp_row_state(&fa.o, &s, 0), CMP_NEW_ERROR);
    cr_expect_eq(cmp_row_state(&fa.o, &s, 1), CMP_FIXED);
    cmp_second_done(&s);
    cmp_map_done(&m);
    fl_pipeline_done(&fb);
    fl_pipeline_done(&fa);
}

Test(cmp, unknown_class_in_b_is_wrong_and_missing_is_unknown)
{
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction,pred2\nx,x,zebra\ny,y,\nx,y,x\n");
    cmp_second s;
    cr_assert_eq(cmp_second_from_column(&s, f.ds, &f.r, &f.o, 2, NULL), E_OK);
    cr_expect_eq(s.err[0], OUT_ERROR);
    cr_expect_eq(s.err[1], OUT_UNKNOWN);
    cr_expect_eq(s.err[2], OUT_CORRECT);
    cmp_result r;
    cr_assert_eq(cmp_compute(&r, &f.o, &s, NULL, NULL, 0.05, NULL), E_OK);
    cr_expect_eq(r.all.n, 2);
    cr_expect_eq(r.nunknown, 1);
    cr_expect_eq(r.all.new_errors, 1);
    cr_expect_eq(r.all.fixed, 1);
    cr_expect_eq(r.len, 0);
    cmp_done(&r);
    cmp_second_done(&s);
    fl_pipeline_done(&f);
}

Test(cmp, regression_second_column)
{
    /* fail_above NAN -> p90 of |errors| {0, 1, 2, 10} = 2 + 0.7 * 8 = 7.6 (fractional
     * labels make it a regression) */
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction,pred2\n0.5,0.5,9.5\n1.5,2.5,1.5\n2.5,4.5,2.5\n"
                        "3.5,13.5,3.5\n");
    cr_assert_float_eq(f.o.fail_above, 7.6, 1e-12);
    cmp_second s;
    cr_assert_eq(cmp_second_from_column(&s, f.ds, &f.r, &f.o, 2, NULL), E_OK);
    /* B's errors: 9, 0, 0, 0 -> row 1 wrong in B; A wrong on row 4 only */
    cmp_result r;
    cr_assert_eq(cmp_compute(&r, &f.o, &s, NULL, NULL, 0.05, NULL), E_OK);
    cr_expect_eq(r.all.new_errors, 1);
    cr_expect_eq(r.all.fixed, 1);
    cr_expect_eq(r.all.both_right, 2);
    cmp_done(&r);
    cmp_second_done(&s);
    fl_pipeline_done(&f);
}
