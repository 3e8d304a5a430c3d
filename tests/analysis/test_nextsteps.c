/* Next steps on hand-made inputs: each rule fires exactly when its figures meet the rule (and
 * cites them), stays silent just below it and when its input is missing, and the steps come
 * out in severity order; the writers produce the section and the JSON array. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_mini.h"
#include "nextsteps.h"

/* A binning of three dimensions: city (a feature column), week (a time column) and the
 * derived true class. */
static bin_def city_bins[3] = {
    {.kind = BIN_LEVEL, .label = "Oslo"},
    {.kind = BIN_LEVEL, .label = "Lima"},
    {.kind = BIN_LEVEL, .label = "Pune"},
};
static bin_def week_bins[3] = {
    {.kind = BIN_PERIOD, .label = "2024-05-06"},
    {.kind = BIN_PERIOD, .label = "2024-05-13"},
    {.kind = BIN_PERIOD, .label = "2024-05-20"},
};
static bin_def class_bins[2] = {
    {.kind = BIN_LEVEL, .label = "no"},
    {.kind = BIN_LEVEL, .label = "yes"},
};
static bin_dim dims[3] = {
    {.name = "city", .col = 0, .kind = DIM_CATEGORICAL, .nbins = 3, .bins = city_bins},
    {.name = "week", .col = 1, .kind = DIM_TIME, .nbins = 3, .bins = week_bins},
    {.name = "true class", .col = -1, .kind = DIM_TRUE_CLASS, .nbins = 2, .bins = class_bins},
};
static const binning B = {.nrows = 1000, .ndim = 3, .dim = dims};

static const ns_step *find(const ns_list *l, ns_kind k)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->v[i].kind == k)
            return &l->v[i];
    return NULL;
}

static double figure(const ns_step *s, const char *name)
{
    for (size_t i = 0; s && i < s->nfig; i++)
        if (strcmp(s->fig[i].name, name) == 0)
            return s->fig[i].value;
    cr_assert_fail("no figure %s", name);
    return NAN;
}

static void build(const ns_input *in, ns_list *l)
{
    err e = {0};
    cr_assert_eq(ns_build(in, l, &e), E_OK, "%s", e.msg);
}

Test(nextsteps, nothing_in_nothing_out)
{
    ns_input in;
    ns_input_init(&in);
    ns_list l;
    build(&in, &l);
    cr_expect_eq(l.len, 0);
}

/* Slices: the significant, not-small feature slice with the highest lift; small ones,
 * derived dimensions, time buckets and q >= alpha are passed over. */
static slice slices[] = {
    {.dim = 0, .bin = 0, .n = 200, .nerr = 50, .rate = 0.25, .lift = 2.5, .q = 0.001},
    {.dim = 0, .bin = 1, .n = 10, .nerr = 6, .rate = 0.6, .lift = 6, .q = 0.01, .small = true},
    {.dim = 0, .bin = 2, .n = 100, .nerr = 30, .rate = 0.3, .lift = 3, .q = 0.2},
    {.dim = 1, .bin = 2, .n = 300, .nerr = 120, .rate = 0.4, .lift = 4, .q = 1e-9},
    {.dim = 2, .bin = 1, .n = 400, .nerr = 200, .rate = 0.5, .lift = 5, .q = 1e-12},
};

Test(nextsteps, worst_significant_slice)
{
    slice_table t = {.len = 5, .v = slices, .N = 1000, .E = 100, .base_err = 0.1};
    ns_input in;
    ns_input_init(&in);
    in.b = &B;
    in.slices = &t;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    const ns_step *s = find(&l, NS_SLICE);
    cr_assert_not_null(s);
    cr_expect(strstr(s->text, "`city = Oslo`"), "%s", s->text);
    cr_expect(strstr(s->text, "25.0%"), "%s", s->text);
    cr_expect(strstr(s->text, "lift 2.50"), "%s", s->text);
    cr_expect_eq(figure(s, "lift"), 2.5);
    cr_expect_eq(figure(s, "error_rate"), 0.25);
    cr_expect_eq(figure(s, "rows"), 200);
    /* the same table with that slice not significant: no step at all */
    slices[0].q = 0.06;
    build(&in, &l);
    slices[0].q = 0.001;
    cr_expect_eq(l.len, 0);
}

Test(nextsteps, calibration_above_005_only)
{
    ns_input in;
    ns_input_init(&in);
    in.ece = 0.12;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    cr_expect_eq(l.v[0].kind, NS_CALIBRATION);
    cr_expect(strstr(l.v[0].text, "0.120"), "%s", l.v[0].text);
    cr_expect_eq(figure(&l.v[0], "ece"), 0.12);
    in.ece = 0.05; /* not above */
    build(&in, &l);
    cr_expect_eq(l.len, 0);
}

/* Four thresholds: 0.2, 0.5, 0.8 and +inf (predict no positive). */
static cost_point points[4] = {
    {.t = 0.2, .f1 = 0.80, .precision = 0.7, .recall = 0.93, .cost = 0.20},
    {.t = 0.5, .f1 = 0.70, .precision = 0.8, .recall = 0.62, .cost = 0.40},
    {.t = 0.8, .f1 = 0.50, .precision = 0.9, .recall = 0.35, .cost = 0.55},
    {.t = INFINITY, .f1 = 0, .cost = 0.60},
};

Test(nextsteps, threshold_by_cost)
{
    cost_sweep s = {.n = 100, .npos = 40, .len = 4, .v = points, .best_cost = 0, .best_f1 = 0,
                    .best_j = 0};
    ns_input in;
    ns_input_init(&in);
    in.sweep = &s;
    in.current_threshold = 0.5;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    const ns_step *st = &l.v[0];
    cr_expect_eq(st->kind, NS_THRESHOLD);
    cr_expect(strstr(st->text, "from 0.5 to 0.2"), "%s", st->text);
    cr_expect(strstr(st->text, "50% less"), "%s", st->text); /* 0.4 -> 0.2 */
    cr_expect_float_eq(figure(st, "cost_cut"), 0.5, 1e-12);
    cr_expect_eq(figure(st, "best_threshold"), 0.2);
    /* the current threshold unknown: against the file's own predictions' cost */
    cost_result own = {.n = 100, .total = 25, .mean = 0.25};
    in.current_threshold = NAN;
    in.cost = &own;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    cr_expect_float_eq(figure(&l.v[0], "cost_cut"), 0.2, 1e-12); /* 0.25 -> 0.2 */
    /* a cut under 5% is no finding */
    own.mean = 0.205;
    build(&in, &l);
    cr_expect_eq(l.len, 0);
}

Test(nextsteps, threshold_by_f1_without_costs)
{
    cost_sweep s = {.n = 100, .npos = 40, .len = 4, .v = points, .best_cost = COST_NONE,
                    .best_f1 = 0, .best_j = 0};
    ns_input in;
    ns_input_init(&in);
    in.sweep = &s;
    in.current_threshold = 0.5;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    cr_expect(strstr(l.v[0].text, "F1 rises from 0.700 to 0.800"), "%s", l.v[0].text);
    cr_expect_float_eq(figure(&l.v[0], "best_f1"), 0.8, 1e-12);
    /* without a known current threshold there is nothing to compare with */
    in.current_threshold = NAN;
    build(&in, &l);
    cr_expect_eq(l.len, 0);
    /* a gain below 0.02 is no finding */
    in.current_threshold = 0.5;
    points[0].f1 = 0.715;
    build(&in, &l);
    points[0].f1 = 0.80;
    cr_expect_eq(l.len, 0);
}

Test(nextsteps, drift_earliest_worse_bucket)
{
    drift_bucket v[3] = {
        {.bin = 0, .n = 100, .nerr = 10, .rate = 0.10, .p = NAN, .q = NAN},
        {.bin = 1, .n = 100, .nerr = 2, .rate = 0.02, .rate_before = 0.10, .q = 0.03,
         .flagged = true, .worse = false},
        {.bin = 2, .n = 100, .nerr = 30, .rate = 0.30, .rate_before = 0.06, .q = 0.0004,
         .flagged = true, .worse = true},
    };
    drift_result d = {.dim = 1, .len = 3, .v = v, .ntested = 2, .nflagged = 2,
                      .first_flagged = 1, .alpha = 0.05};
    ns_input in;
    ns_input_init(&in);
    in.b = &B;
    in.drift = &d;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    cr_expect(strstr(l.v[0].text, "since 2024-05-20"), "%s", l.v[0].text);
    cr_expect(strstr(l.v[0].text, "30.00% against 6.00%"), "%s", l.v[0].text);
    cr_expect_eq(figure(&l.v[0], "q"), 0.0004);
    v[2].flagged = false; /* only an improvement left: nothing to investigate */
    build(&in, &l);
    cr_expect_eq(l.len, 0);
}

Test(nextsteps, fairness_four_fifths)
{
    fair_group g[3] = {
        {.bin = 0, .n = 100, .selection_rate = 0.40},
        {.bin = 1, .n = 100, .selection_rate = 0.10},
        {.bin = 2, .n = 0, .selection_rate = NAN},
    };
    fair_result r = {.dim = 0, .has_positive = true, .positive = 1, .len = 3, .v = g,
                     .ngroups = 2, .dp_diff = 0.30, .dp_ratio = 0.25, .eo_diff = 0.2,
                     .four_fifths = true};
    ns_input in;
    ns_input_init(&in);
    in.b = &B;
    in.fair = &r;
    in.nfair = 1;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    cr_expect(strstr(l.v[0].text, "ratio 0.25"), "%s", l.v[0].text);
    cr_expect(strstr(l.v[0].text, "10.0% selected in `Lima`, 40.0% in `Oslo`"), "%s",
              l.v[0].text);
    cr_expect_eq(figure(&l.v[0], "dp_ratio"), 0.25);
    r.four_fifths = false;
    build(&in, &l);
    cr_expect_eq(l.len, 0);
}

Test(nextsteps, cluster_tag_share)
{
    ns_cluster_tag ct[] = {
        {.cluster = 0, .tag = "ambiguous", .tagged = 4, .size = 20},   /* 20%: below */
        {.cluster = 1, .tag = "mislabeled", .tagged = 4, .size = 10},  /* 40% */
        {.cluster = 2, .tag = "mislabeled", .tagged = 2, .size = 4},   /* 50%, 2 rows */
        {.cluster = 3, .tag = "data-issue", .tagged = 6, .size = 12},  /* 50% */
    };
    ns_input in;
    ns_input_init(&in);
    in.cluster_tags = ct;
    in.ncluster_tags = 4;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 2);
    /* the larger share first; clusters are numbered from 1 */
    cr_expect(strstr(l.v[0].text, "Review cluster 4: 50.0% of its 12 rows are tagged "
                                  "`data-issue`"), "%s", l.v[0].text);
    cr_expect(strstr(l.v[1].text, "Review cluster 2: 40.0% of its 10 rows are tagged "
                                  "`mislabeled`"), "%s", l.v[1].text);
    cr_expect_float_eq(figure(&l.v[1], "share"), 0.4, 1e-12);
}

Test(nextsteps, data_checks)
{
    char amount[] = "amount", refund[] = "refund_flag";
    column cols[2] = {{.name = amount}, {.name = refund}};
    dataset ds = {.ncols = 2, .cols = cols};
    dc_leak leak[2] = {
        {.dim = 0, .col = 0, .acc_label = 0.7, .base_label = 0.6, .acc_error = NAN,
         .base_error = NAN},
        {.dim = 0, .col = 1, .acc_label = 0.995, .base_label = 0.6, .acc_error = NAN,
         .base_error = NAN, .leaks_label = true},
    };
    dc_result d = {.nrows = 1000, .ndup_rows = 12, .ndup_groups = 10, .ndup_conflict = 3,
                   .has_id = true, .ndup_ids = 0, .nleak_tested = 2, .leak = leak,
                   .nleaks = 1, .has_label_issues = true, .nlabel_issue = 40};
    ns_input in;
    ns_input_init(&in);
    in.ds = &ds;
    in.dc = &d;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 3);
    cr_expect_eq(l.v[0].kind, NS_LEAKAGE); /* level 1 */
    cr_expect(strstr(l.v[0].text, "`refund_flag`"), "%s", l.v[0].text);
    cr_expect(strstr(l.v[0].text, "99.5%"), "%s", l.v[0].text);
    cr_expect_eq(l.v[1].kind, NS_LABEL_ISSUES); /* level 2 */
    cr_expect(strstr(l.v[1].text, "40 label-issue candidates (4.0% of the rows)"), "%s",
              l.v[1].text);
    cr_expect_eq(l.v[2].kind, NS_DUPLICATES); /* level 3 */
    cr_expect(strstr(l.v[2].text, "12 rows repeat"), "%s", l.v[2].text);
    cr_expect(strstr(l.v[2].text, "3 of them with conflicting labels"), "%s", l.v[2].text);
    cr_expect_eq(figure(&l.v[2], "duplicate_rows"), 12);
    /* clean data: nothing */
    dc_result clean = {.nrows = 1000, .has_id = true, .has_label_issues = true};
    in.dc = &clean;
    build(&in, &l);
    cr_expect_eq(l.len, 0);
}

Test(nextsteps, comparison_regressions_first)
{
    cmp_slice v[3] = {
        {.dim = 0, .bin = 0, .c = {.n = 100, .fixed = 1, .new_errors = 15, .rate_a = 0.05,
                                   .rate_b = 0.19, .diff = 0.14, .lo = 0.07, .hi = 0.21},
         .q = 0.002, .regressed = true},
        {.dim = 0, .bin = 1, .c = {.n = 100, .fixed = 9, .new_errors = 1, .rate_a = 0.2,
                                   .rate_b = 0.12, .diff = -0.08, .lo = -0.14, .hi = -0.02},
         .q = 0.03, .improved = true},
        {.dim = 0, .bin = 2, .c = {.n = 50, .fixed = 2, .new_errors = 3, .rate_a = 0.1,
                                   .rate_b = 0.12, .diff = 0.02, .lo = -0.05, .hi = 0.09},
         .q = 0.8},
    };
    cmp_result c = {.all = {.n = 250, .both_right = 200, .fixed = 12, .new_errors = 19,
                            .both_wrong = 19, .rate_a = 0.124, .rate_b = 0.152, .diff = 0.028,
                            .p = 0.28},
                    .len = 3, .v = v, .ntested = 3, .nregressed = 1, .alpha = 0.05};
    ns_input in;
    ns_input_init(&in);
    in.b = &B;
    in.cmp = &c;
    in.name_b = "`new.csv`";
    in.ece = 0.2; /* a level-3 step, to check the order */
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 2); /* McNemar p 0.28 overall: no overall step */
    cr_expect_eq(l.v[0].kind, NS_COMPARE_SLICE);
    cr_expect(strstr(l.v[0].text, "`new.csv` regressed on `city = Oslo`"), "%s", l.v[0].text);
    cr_expect(strstr(l.v[0].text, "19.00% there against 5.00%"), "%s", l.v[0].text);
    cr_expect_eq(figure(&l.v[0], "q"), 0.002);
    cr_expect_eq(l.v[1].kind, NS_CALIBRATION);
    /* significant overall and worse: a level-1 step citing McNemar */
    c.all.p = 0.01;
    c.all.fixed = 5;
    build(&in, &l);
    const ns_step *s = find(&l, NS_COMPARE);
    cr_assert_not_null(s);
    cr_expect_eq(s->level, 1);
    cr_expect(strstr(s->text, "makes 19 new errors and fixes only 5"), "%s", s->text);
    cr_expect_eq(figure(s, "mcnemar_p"), 0.01);
}

Test(nextsteps, conjunction_needs_two_conditions)
{
    srch_slice v[2] = {
        {.npred = 1, .pred = {{0, 0}}, .n = 50, .nerr = 30, .rate = 0.6, .lift = 6, .q = 1e-6},
        {.npred = 2, .pred = {{0, 1}, {2, 1}}, .n = 40, .nerr = 20, .rate = 0.5, .lift = 5,
         .coverage = 0.2, .q = 1e-4},
    };
    srch_result r = {.len = 2, .v = v, .N = 1000, .E = 100, .base_err = 0.1};
    ns_input in;
    ns_input_init(&in);
    in.b = &B;
    in.discovered = &r;
    ns_list l;
    build(&in, &l);
    cr_assert_eq(l.len, 1);
    cr_expect(strstr(l.v[0].text, "city = Lima"), "%s", l.v[0].text);
    cr_expect(strstr(l.v[0].text, "true class = yes"), "%s", l.v[0].text);
    cr_expect_eq(figure(&l.v[0], "lift"), 5);
}

Test(nextsteps, writers)
{
    ns_input in;
    ns_input_init(&in);
    in.ece = 0.12;
    ns_list l;
    build(&in, &l);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    err e = {0};
    fputc('{', f);
    fputs("\"x\":1", f);
    cr_assert_eq(ns_write_json(f, &l, &e), E_OK);
    fputc('}', f);
    fclose(f);
    char why[128];
    jm_node *doc = jm_parse(buf, len, why, sizeof why);
    cr_assert_not_null(doc, "%s: %s", why, buf);
    const jm_node *steps = jm_get(doc, "next_steps");
    cr_assert_eq(jm_len(steps), 1);
    cr_expect_str_eq(jm_str(jm_get(jm_at(steps, 0), "kind")), "calibration");
    cr_expect_eq(jm_num(jm_path(jm_at(steps, 0), "figures.ece")), 0.12);
    jm_free(doc);
    free(buf);
    /* an empty list says so in Markdown */
    l.len = 0;
    f = open_memstream(&buf, &len);
    cr_assert_eq(ns_write_md(f, &l, &e), E_OK);
    fclose(f);
    cr_expect(strstr(buf, "## Next steps"));
    cr_expect(strstr(buf, "Nothing in this report calls for action"));
    free(buf);
}
