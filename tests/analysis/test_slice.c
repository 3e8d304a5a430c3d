/* Binning, slices, error cases and per-row outcomes on small files whose every figure is
 * worked out by hand in the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "binning.h"
#include "cases.h"
#include "fl_pipeline.h"
#include "fl_test.h"
#include "outcome.h"
#include "roles.h"
#include "slice.h"
#include "stats.h"

typedef fl_pipeline fixture;

/* text_col: a column to load as free text whatever its values look like. */
static void setup(fixture *f, const char *csv, const char *text_col)
{
    ld_opts lo;
    ld_opts_init(&lo);
    const char *texts[1] = {text_col};
    if (text_col) {
        lo.text_cols = texts;
        lo.ntext_cols = 1;
    }
    err e = {0};
    dataset *ds = NULL;
    cr_assert_eq(ld_csv_mem(&ds, "t.csv", csv, strlen(csv), &lo, &e), E_OK, "%s", e.msg);
    fl_pipeline_from(f, ds);
}

static void teardown(fixture *f)
{
    fl_pipeline_done(f);
}

static const bin_dim *dim_named(const binning *b, const char *name)
{
    for (size_t i = 0; i < b->ndim; i++)
        if (strcmp(b->dim[i].name, name) == 0)
            return &b->dim[i];
    cr_assert_fail("no dimension %s", name);
    return NULL;
}

static const slice *find_slice(const slice_table *t, const binning *b, const char *dim,
                               const char *label)
{
    for (size_t i = 0; i < t->len; i++) {
        const bin_dim *d = &b->dim[t->v[i].dim];
        if (strcmp(d->name, dim) == 0 && strcmp(d->bins[t->v[i].bin].label, label) == 0)
            return &t->v[i];
    }
    cr_assert_fail("no slice %s = %s", dim, label);
    return NULL;
}

/* 20 rows: g = a on rows 1-10 with 4 errors, g = b on rows 11-20 with 1 error; x = 1..20. */
static void two_groups_csv(char *csv, size_t size)
{
    size_t len = (size_t)snprintf(csv, size, "id,g,x,label,prediction\n");
    for (int i = 1; i <= 20; i++) {
        bool a = i <= 10;
        bool wrong = a ? i <= 4 : i == 11;
        len += (size_t)snprintf(csv + len, size - len, "%d,%s,%d,yes,%s\n", i, a ? "a" : "b", i,
                                wrong ? "no" : "yes");
    }
}

Test(slc, categorical_slice_figures_by_hand)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv);
    fixture f;
    setup(&f, csv, NULL);
    slice_table t;
    err e = {0};
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, NULL, 30, &e), E_OK);
    cr_assert_eq(t.N, 20);
    cr_assert_eq(t.E, 5);
    const slice *a = find_slice(&t, &f.b, "g", "a");
    cr_assert_eq(a->n, 10);
    cr_assert_eq(a->nerr, 4);
    cr_assert_float_eq(a->rate, 0.4, 1e-12);
    cr_assert_float_eq(a->lift, 1.6, 1e-12);      /* 0.4 / 0.25 */
    cr_assert_float_eq(a->coverage, 0.8, 1e-12);  /* 4 / 5 */
    /* Wilson 4/10: centre (0.4 + z^2/20) / (1 + z^2/10), computed by the formula */
    cr_assert_float_eq(a->lo, 0.16818032970623614, 1e-12);
    cr_assert_float_eq(a->hi, 0.6873262302663417, 1e-12);
    /* expected count 10 * 5 / 20 = 2.5 < 5: Fisher. Hypergeometric(20, 5, 10) tables as or
     * less likely than x = 4: x in {0, 1, 4, 5} -> (3003 + 25025 + 25025 + 3003) / 184756 */
    cr_assert_float_eq(a->p, 56056.0 / 184756.0, 1e-12);
    cr_assert(a->small); /* n = 10 < 30 */
    const slice *b = find_slice(&t, &f.b, "g", "b");
    cr_assert_eq(b->nerr, 1);
    cr_assert_float_eq(b->p, 56056.0 / 184756.0, 1e-12);
    slc_done(&t);
    teardown(&f);
}

Test(slc, selection_restricts_counts)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv);
    fixture f;
    setup(&f, csv, NULL);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 20, false, NULL), E_OK);
    for (size_t i = 0; i < 6; i++) /* rows 1-6: all in g = a, errors on rows 1-4 */
        bm_set(&sel, i);
    slice_table t;
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, &sel, 2, NULL), E_OK);
    cr_assert_eq(t.N, 6);
    cr_assert_eq(t.E, 4);
    const slice *a = find_slice(&t, &f.b, "g", "a");
    cr_assert_eq(a->n, 6);
    cr_assert_float_eq(a->lift, 1.0, 1e-12);
    const slice *b = find_slice(&t, &f.b, "g", "b");
    cr_assert_eq(b->n, 0);
    cr_assert(isnan(b->p));
    slc_done(&t);
    bm_done(&sel);
    teardown(&f);
}

Test(bin, quantile_bins_of_one_to_twenty)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv);
    fixture f;
    setup(&f, csv, NULL);
    /* x = 1..20 has 20 distinct values (> 12): deciles Q(p) = 1 + 19p, edges 1, 2.9, ..., 20;
     * each bin holds two values: [1, 2.9] = {1, 2}, (2.9, 4.8] = {3, 4}, ... */
    const bin_dim *d = dim_named(&f.b, "x");
    cr_assert_eq(d->kind, DIM_QUANTILE);
    cr_assert_eq(d->nbins, 10); /* no missing values: no (missing) bin */
    cr_assert_float_eq(d->bins[0].lo, 1.0, 1e-12);
    cr_assert_float_eq(d->bins[0].hi, 2.9, 1e-12);
    cr_assert(d->bins[0].lo_closed);
    cr_assert_float_eq(d->bins[9].hi, 20.0, 1e-12);
    cr_assert_str_eq(d->bins[0].label, "[1, 2.9]");
    cr_assert_str_eq(d->bins[1].label, "(2.9, 4.8]");
    for (int i = 0; i < 20; i++)
        cr_assert_eq(d->code[i], i / 2, "row %d", i);
    teardown(&f);
}

Test(bin, few_values_one_bin_each_and_missing)
{
    fixture f;
    setup(&f, "n,label,prediction\n3,a,a\n1,a,b\n3,b,b\n,a,a\n1,b,a\n", NULL);
    const bin_dim *d = dim_named(&f.b, "n");
    cr_assert_eq(d->kind, DIM_VALUES);
    cr_assert_eq(d->nbins, 3);
    cr_assert_str_eq(d->bins[0].label, "1");
    cr_assert_str_eq(d->bins[1].label, "3");
    cr_assert_eq(d->bins[2].kind, BIN_MISSING);
    cr_assert_eq(d->code[0], 1);
    cr_assert_eq(d->code[1], 0);
    cr_assert_eq(d->code[3], 2);
    /* derived dimensions of a binary task without scores */
    cr_assert_eq(dim_named(&f.b, "true class")->nbins, 2);
    const bin_dim *out = dim_named(&f.b, "outcome");
    /* positive class b: row 2 (a -> b) is FP, row 5 (b -> a) FN, row 3 TP, rows 1 and 4 TN */
    cr_assert_eq(out->code[1], 1);
    cr_assert_eq(out->code[4], 3);
    cr_assert_eq(out->code[2], 0);
    cr_assert_eq(out->code[0], 2);
    teardown(&f);
}

Test(bin, time_buckets_by_day_and_month)
{
    fixture f;
    setup(&f,
          "ts,label,prediction\n2024-05-01T10:00:00Z,a,a\n2024-05-01T23:59:59Z,a,b\n"
          "2024-05-03,b,b\n2024-05-10T00:00:00+02:00,a,a\n",
          NULL);
    /* span 9 days: day buckets. 2024-05-10T00:00+02:00 is 2024-05-09T22:00Z. */
    const bin_dim *d = dim_named(&f.b, "ts");
    cr_assert_eq(d->kind, DIM_TIME);
    cr_assert_str_eq(d->unit, "day");
    cr_assert_eq(d->nbins, 3);
    cr_assert_str_eq(d->bins[0].label, "2024-05-01");
    cr_assert_str_eq(d->bins[1].label, "2024-05-03");
    cr_assert_str_eq(d->bins[2].label, "2024-05-09");
    cr_assert_float_eq(d->bins[0].lo, 1714521600.0, 1e-6); /* 2024-05-01T00:00Z */
    cr_assert_eq(d->code[1], 0);
    cr_assert_eq(d->code[3], 2);
    teardown(&f);

    /* span 2001-06-30 .. 2002-08-21 is over a year: months */
    setup(&f, "ts,label,prediction\n2001-06-30,a,a\n2002-01-15,a,b\n2002-08-21,b,b\n", NULL);
    d = dim_named(&f.b, "ts");
    cr_assert_str_eq(d->unit, "month");
    cr_assert_str_eq(d->bins[0].label, "2001-06");
    cr_assert_str_eq(d->bins[2].label, "2002-08");
    teardown(&f);

    /* under a year: weeks, starting on Monday (2002-01-15 is a Tuesday) */
    setup(&f, "ts,label,prediction\n2001-12-31,a,a\n2002-01-15,a,b\n2002-08-21,b,b\n", NULL);
    d = dim_named(&f.b, "ts");
    cr_assert_str_eq(d->unit, "week");
    cr_assert_str_eq(d->bins[0].label, "week of 2001-12-31");
    cr_assert_str_eq(d->bins[1].label, "week of 2002-01-14");
    teardown(&f);
}

Test(bin, text_token_counts)
{
    fixture f;
    setup(&f, "body,label,prediction\n\"one two\",a,a\n\"one  two\nthree\",a,b\n,b,b\nsolo,a,a\n",
          "body");
    const bin_dim *d = dim_named(&f.b, "body");
    cr_assert_eq(d->kind, DIM_TOKENS);
    cr_assert_eq(d->nbins, 4); /* 1, 2, 3 tokens and (missing) */
    cr_assert_eq(d->code[0], 1);
    cr_assert_eq(d->code[1], 2);
    cr_assert_eq(d->code[2], 3);
    cr_assert_eq(d->code[3], 0);
    teardown(&f);
}

Test(out, loss_confidence_and_worst_order)
{
    fixture f;
    /* positive class spam. Row losses, -ln p(true): r1 ln(1/0.9), r2 (wrong) ln(1/0.25),
     * r3 (wrong) ln(1/0.4), r4 ln(1/0.8); a score of 0 is clipped to 1e-15 in r5 (wrong). */
    setup(&f,
          "label,prediction,prob_spam,prob_ham\nspam,spam,0.9,0.1\nspam,ham,0.25,0.75\n"
          "ham,spam,0.6,0.4\nham,ham,0.2,0.8\nspam,ham,0,1\n",
          NULL);
    cr_assert_eq(f.o.nerr, 3);
    cr_assert_float_eq(f.o.loss[0], -log(0.9), 1e-12);
    cr_assert_float_eq(f.o.loss[1], -log(0.25), 1e-12);
    cr_assert_float_eq(f.o.loss[2], -log(0.4), 1e-12);
    /* clipped scores 1e-15 and 1 - 1e-15 renormalised: p = 1e-15 / 1 */
    cr_assert_float_eq(f.o.loss[4], -log(1e-15), 1e-9);
    cr_assert_float_eq(f.o.conf[1], 0.75, 1e-12);
    case_list c;
    cr_assert_eq(cs_top_errors(&c, &f.o, NULL, 2, NULL), E_OK);
    cr_assert_eq(c.len, 2);
    cr_assert_eq(c.row[0], 4);
    cr_assert_eq(c.row[1], 1);
    cs_done(&c);
    cr_assert_eq(cs_top_errors(&c, &f.o, NULL, SIZE_MAX, NULL), E_OK);
    cr_assert_eq(c.len, 3);
    cr_assert_eq(c.row[2], 2);
    cs_done(&c);
    teardown(&f);
}

Test(out, regression_fails_above_p90)
{
    /* |errors| 1..10: numpy's linear 90th percentile = 9 + 0.1 * (10 - 9) = 9.1, so only the
     * row with error 10 fails. */
    char csv[2048];
    size_t len = (size_t)snprintf(csv, sizeof csv, "target,pred_target\n");
    for (int i = 1; i <= 30; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "%d.5,%d.5\n", 100 + i,
                                100 + i + (i <= 10 ? i : 0));
    fixture f;
    setup(&f, csv, NULL);
    cr_assert_eq(f.r.task, TASK_REGRESSION);
    /* rows 11..30 have error 0: sorted errors are twenty 0s then 1..10; m = 30,
     * h = 29 * 0.9 = 26.1 -> x[26] + 0.1 * (x[27] - x[26]) = 7 + 0.1 = 7.1 */
    cr_assert_float_eq(f.o.fail_above, 7.1, 1e-9);
    cr_assert_eq(f.o.nerr, 3); /* errors 8, 9, 10 */
    teardown(&f);
}
