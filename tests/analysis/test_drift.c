/* drift: error rate per day and the drift test, checked with scipy 1.10.1 (fisher_exact,
 * chi2_contingency(correction=False)) and by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "drift.h"
#include "fl_pipeline.h"
#include "stats.h"

/* day 1: 20 rows, 2 errors; day 2: 20 rows, 3 errors; day 3: 20 rows, 15 errors; 2 rows
 * without a date (1 error). */
static void file(char *csv, size_t size)
{
    size_t len = (size_t)snprintf(csv, size, "date,label,prediction\n");
    static const int errs[3] = {2, 3, 15};
    for (int d = 0; d < 3; d++)
        for (int i = 0; i < 20; i++)
            len += (size_t)snprintf(csv + len, size - len, "2024-01-0%d,yes,%s\n", d + 1,
                                    i < errs[d] ? "no" : "yes");
    len += (size_t)snprintf(csv + len, size - len, ",yes,no\n,yes,yes\n");
}

Test(drift, buckets_and_flags)
{
    char csv[4096];
    file(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    cr_assert_geq(f.r.time, 0);
    uint32_t dim;
    err e = {0};
    cr_assert_eq(drift_find_dim(&f.b, f.r.time, &dim, &e), E_OK, "%s", e.msg);
    drift_result r;
    cr_assert_eq(drift_compute(&r, &f.o, &f.b, dim, NULL, 0.05, &e), E_OK, "%s", e.msg);
    cr_assert_eq(r.len, 3);
    cr_expect_eq(r.nmissing_time, 2);
    cr_expect_eq(r.v[0].n, 20);
    cr_expect_float_eq(r.v[0].rate, 0.1, 1e-15);
    double lo, hi;
    st_wilson(2, 20, &lo, &hi);
    cr_expect_float_eq(r.v[0].lo, lo, 1e-15);
    cr_expect_float_eq(r.v[0].hi, hi, 1e-15);
    cr_expect_float_eq(r.v[0].start, 1704067200.0, 0); /* 2024-01-01T00:00:00Z */
    cr_expect(isnan(r.v[0].p)); /* nothing earlier */
    /* day 2 vs day 1: [[3, 17], [2, 18]], expected errors 2.5 < 5: Fisher, p = 1 */
    cr_expect_eq(r.v[1].n_before, 20);
    cr_expect_float_eq(r.v[1].p, 1.0, 1e-12);
    /* day 3 vs days 1-2: [[15, 5], [5, 35]], expected counts >= 5: chi-square
     * 60 (15 * 35 - 5 * 5)^2 / (20 * 40 * 20 * 40) = 23.4375, p = 1.2903844524871997e-06 */
    cr_expect_eq(r.v[2].n_before, 40);
    cr_expect_eq(r.v[2].nerr_before, 5);
    cr_expect_float_eq(r.v[2].rate_before, 0.125, 1e-15);
    cr_expect(fabs(r.v[2].p - 1.2903844524871997e-06) <= 1e-9 * 1.29e-6);
    /* BH over 2 tests: q = min(2 p / 1, 1 / 2 * 2) for the small one */
    cr_expect(fabs(r.v[2].q - 2.5807689049743994e-06) <= 1e-9 * 2.58e-6);
    cr_expect_float_eq(r.v[1].q, 1.0, 1e-12);
    cr_expect_eq(r.ntested, 2);
    cr_expect(r.v[2].flagged && r.v[2].worse);
    cr_expect(!r.v[1].flagged);
    cr_expect_eq(r.nflagged, 1);
    cr_expect_eq(r.first_flagged, 2);
    drift_done(&r);
    fl_pipeline_done(&f);
}

Test(drift, selection_and_empty_buckets)
{
    char csv[4096];
    file(csv, sizeof csv);
    fl_pipeline f;
    fl_pipeline_str(&f, csv);
    uint32_t dim;
    cr_assert_eq(drift_find_dim(&f.b, f.r.time, &dim, NULL), E_OK);
    /* only days 1 and 3: day 2 is empty, day 3 is tested against day 1 alone:
     * [[15, 5], [2, 18]] */
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 62, false, NULL), E_OK);
    for (size_t i = 0; i < 20; i++) {
        bm_set(&sel, i);
        bm_set(&sel, 40 + i);
    }
    drift_result r;
    cr_assert_eq(drift_compute(&r, &f.o, &f.b, dim, &sel, 0.05, NULL), E_OK);
    cr_expect_eq(r.v[1].n, 0);
    cr_expect(isnan(r.v[1].p) && isnan(r.v[1].rate) && isnan(r.v[1].lo));
    cr_expect_eq(r.v[2].n_before, 20);
    cr_expect_float_eq(r.v[2].p, st_slice_p_two_sided(15, 20, 17, 40), 1e-15);
    cr_expect_eq(r.ntested, 1);
    drift_done(&r);
    bm_fill(&sel, false);
    cr_assert_eq(drift_compute(&r, &f.o, &f.b, dim, &sel, 0.05, NULL), E_OK);
    cr_expect_eq(r.ntested, 0);
    cr_expect_eq(r.first_flagged, DRIFT_NONE);
    drift_done(&r);
    bm_done(&sel);
    fl_pipeline_done(&f);
}

Test(drift, no_time_column)
{
    fl_pipeline f;
    fl_pipeline_str(&f, "label,prediction\na,a\nb,a\n");
    uint32_t dim;
    err e = {0};
    cr_expect_eq(drift_find_dim(&f.b, -1, &dim, &e), E_USAGE);
    drift_result r;
    cr_expect_eq(drift_compute(&r, &f.o, &f.b, 0, NULL, 0.05, NULL), E_USAGE);
    fl_pipeline_done(&f);
}
