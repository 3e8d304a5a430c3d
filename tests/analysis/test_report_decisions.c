/* report_decisions: every section written to a stream, the JSON parsed back and compared
 * with the results it was written from, the Markdown checked for its figures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl_pipeline.h"
#include "json_mini.h"
#include "report_decisions.h"

/* 60 rows over 3 days; g alternates; scores are dyadic; B flips every fifth prediction. */
static void file(char *csv, size_t size)
{
    size_t len = (size_t)snprintf(csv, size, "date,g,label,prediction,score,pred2\n");
    for (int i = 0; i < 60; i++) {
        double s = ((i * 7) % 16 + 0.5) / 16;
        const char *y = i % 3 == 0 ? "no" : "yes";
        const char *p = s >= 0.5 ? "yes" : "no", *q = s >= 0.5 ? "no" : "yes";
        len += (size_t)snprintf(csv + len, size - len, "2024-03-%02d,%s,%s,%s,%.17g,%s\n",
                                i / 20 + 1, i % 2 ? "a" : "b", y, p, s, i % 5 ? p : q);
    }
}

typedef struct all {
    fl_pipeline f;
    cmp_second s2;
    cmp_result cmp;
    cost_matrix m;
    cost_result cost;
    cost_sweep sweep;
    cost_selective sel;
    drift_result drift;
    fair_result fair;
    dc_result dc;
    cat_result cat;
} all;

static void build(all *a)
{
    char csv[8192];
    file(csv, sizeof csv);
    fl_pipeline_str(&a->f, csv);
    const outcome *o = &a->f.o;
    const binning *b = &a->f.b;
    err e = {0};
    cr_assert_eq(cmp_second_from_column(&a->s2, a->f.ds, &a->f.r, o,
                                        ds_col_find(a->f.ds, "pred2"), &e), E_OK);
    cr_assert_eq(cmp_compute(&a->cmp, o, &a->s2, b, NULL, 0.05, &e), E_OK);
    cr_assert_eq(cost_matrix_binary(&a->m, o->positive, 1, 4, &e), E_OK);
    cr_assert_eq(cost_compute(&a->cost, &a->m, o, b, NULL, &e), E_OK);
    cr_assert_eq(cost_sweep_compute(&a->sweep, o, &a->m, NULL, &e), E_OK, "%s", e.msg);
    cr_assert_eq(cost_selective_compute(&a->sel, o, NULL, 0.9, &e), E_OK);
    uint32_t dim;
    cr_assert_eq(drift_find_dim(b, a->f.r.time, &dim, &e), E_OK);
    cr_assert_eq(drift_compute(&a->drift, o, b, dim, NULL, 0.05, &e), E_OK);
    cr_assert_eq(fair_find_dim(b, ds_col_find(a->f.ds, "g"), &dim, &e), E_OK);
    cr_assert_eq(fair_compute(&a->fair, o, b, dim, CLASS_NA, NULL, &e), E_OK);
    cr_assert_eq(dc_compute(&a->dc, a->f.ds, &a->f.r, o, b, &e), E_OK);
    cr_assert_eq(cat_compute(&a->cat, o, &a->dc.outlier, NULL, &e), E_OK);
}

static void teardown_all(all *a)
{
    cat_done(&a->cat);
    dc_done(&a->dc);
    fair_done(&a->fair);
    drift_done(&a->drift);
    cost_selective_done(&a->sel);
    cost_sweep_done(&a->sweep);
    cost_done(&a->cost);
    cost_matrix_done(&a->m);
    cmp_done(&a->cmp);
    cmp_second_done(&a->s2);
    fl_pipeline_done(&a->f);
}

/* The stream's whole text (malloc'd). */
static char *slurp(FILE *f)
{
    long n = ftell(f);
    cr_assert_geq(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static char *json_text(all *a)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    const char *const *cls = a->f.o.classes;
    err e = {0};
    fputs("{\"report\":1", f);
    cr_assert_eq(rpt_json_compare(f, &a->cmp, &a->f.b, &e), E_OK);
    cr_assert_eq(rpt_json_costs(f, &a->cost, &a->m, cls, &a->f.b, &e), E_OK);
    cr_assert_eq(rpt_json_thresholds(f, &a->sweep, &e), E_OK);
    cr_assert_eq(rpt_json_selective(f, &a->sel, &e), E_OK);
    cr_assert_eq(rpt_json_drift(f, &a->drift, &a->f.b, &e), E_OK);
    cr_assert_eq(rpt_json_fairness(f, &a->fair, 1, &a->f.b, cls, &e), E_OK);
    cr_assert_eq(rpt_json_data_checks(f, &a->dc, a->f.ds, &a->f.b, cls, &e), E_OK);
    cr_assert_eq(rpt_json_categories(f, &a->cat, NULL, &e), E_OK);
    fputc('}', f);
    return slurp(f);
}

static void expect_num(const jm_node *root, const char *path, double want)
{
    const jm_node *n = jm_path(root, path);
    cr_assert_not_null(n, "no %s", path);
    if (isnan(want) || isinf(want))
        cr_expect_eq(n->type, JM_NULL, "%s should be null", path);
    else
        cr_expect(fabs(jm_num(n) - want) <= 1e-12 * fmax(1, fabs(want)), "%s = %.17g, want %.17g",
                  path, jm_num(n), want);
}

Test(rpt_dec, json_sections_round_trip)
{
    all a;
    build(&a);
    char *txt = json_text(&a);
    char msg[128];
    jm_node *root = jm_parse(txt, strlen(txt), msg, sizeof msg);
    cr_assert_not_null(root, "%s\n%s", msg, txt);
    /* compare: the mandatory keys, and the slices (regressed ones first) */
    expect_num(root, "compare.both_right", (double)a.cmp.all.both_right);
    expect_num(root, "compare.fixed", (double)a.cmp.all.fixed);
    expect_num(root, "compare.new_errors", (double)a.cmp.all.new_errors);
    expect_num(root, "compare.both_wrong", (double)a.cmp.all.both_wrong);
    expect_num(root, "compare.mcnemar_p", a.cmp.all.p);
    cr_expect_eq(jm_len(jm_path(root, "compare.slices")), a.cmp.ntested);
    cr_expect_eq(a.cmp.all.fixed + a.cmp.all.new_errors, 12); /* every fifth row flips */
    /* costs */
    expect_num(root, "costs.expected_cost", a.cost.mean);
    expect_num(root, "costs.matrix[0][1]", a.m.c[1]);
    /* thresholds: 16 distinct scores + the no-positive point (null threshold) */
    cr_expect_eq(jm_len(jm_path(root, "thresholds.points")), 17);
    expect_num(root, "thresholds.points[16].threshold", INFINITY);
    expect_num(root, "thresholds.min_cost.threshold", a.sweep.v[a.sweep.best_cost].t);
    expect_num(root, "thresholds.max_f1.f1", a.sweep.v[a.sweep.best_f1].f1);
    expect_num(root, "thresholds.max_youden_j.threshold", a.sweep.v[a.sweep.best_j].t);
    /* selective */
    cr_expect_eq(jm_len(jm_path(root, "selective.points")), a.sel.len);
    expect_num(root, "selective.target_accuracy", 0.9);
    /* drift: three days */
    cr_expect_eq(jm_len(jm_path(root, "drift.buckets")), 3);
    cr_expect_str_eq(jm_str(jm_path(root, "drift.unit")), "day");
    expect_num(root, "drift.buckets[2].error_rate", a.drift.v[2].rate);
    /* fairness */
    cr_expect_str_eq(jm_str(jm_path(root, "fairness[0].column")), "g");
    expect_num(root, "fairness[0].demographic_parity_ratio", a.fair.dp_ratio);
    cr_expect_eq(jm_len(jm_path(root, "fairness[0].groups")), 2);
    /* data checks and categories */
    cr_expect_eq(jm_len(jm_path(root, "data_checks.columns")), a.f.ds->ncols);
    expect_num(root, "data_checks.label_issues.candidates", (double)a.dc.nlabel_issue);
    expect_num(root, "categories.counts.unsure", (double)a.cat.count[CAT_UNSURE]);
    expect_num(root, "categories.counts.confidently_wrong", (double)a.cat.count[CAT_CONF_WRONG]);
    jm_free(root);
    free(txt);
    teardown_all(&a);
}

Test(rpt_dec, markdown_sections)
{
    all a;
    build(&a);
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    const char *const *cls = a.f.o.classes;
    err e = {0};
    cr_assert_eq(rpt_md_compare(f, &a.cmp, &a.f.b, "`prediction`", "`pred2`", 10, &e), E_OK);
    cr_assert_eq(rpt_md_costs(f, &a.cost, &a.m, cls, &a.f.b, 5, &e), E_OK);
    cr_assert_eq(rpt_md_thresholds(f, &a.sweep, 0.5, &e), E_OK);
    cr_assert_eq(rpt_md_selective(f, &a.sel, &e), E_OK);
    cr_assert_eq(rpt_md_drift(f, &a.drift, &a.f.b, &e), E_OK);
    cr_assert_eq(rpt_md_fairness(f, &a.fair, 1, &a.f.b, cls, &e), E_OK);
    cr_assert_eq(rpt_md_data_checks(f, &a.dc, a.f.ds, &a.f.b, cls, &e), E_OK);
    cr_assert_eq(rpt_md_categories(f, &a.cat, NULL, &e), E_OK);
    char *txt = slurp(f);
    static const char *const heads[] = {"## Model comparison", "## Costs", "## Thresholds",
                                        "## Selective prediction", "## Drift over time",
                                        "## Fairness", "## Data checks", "## Error categories"};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        cr_expect(strstr(txt, heads[i]) != NULL, "no %s", heads[i]);
    char line[160];
    snprintf(line, sizeof line, "| %zu | %zu | %zu | %zu |", a.cmp.all.both_right,
             a.cmp.all.fixed, a.cmp.all.new_errors, a.cmp.all.both_wrong);
    cr_expect(strstr(txt, line) != NULL, "no counts line %s in\n%s", line, txt);
    cr_expect(strstr(txt, "| 2024-03-01 | 20 |") != NULL, "%s", txt);
    cr_expect(strstr(txt, "| current | 0.53125 |") != NULL, "%s", txt); /* first score >= 0.5 */
    free(txt);
    teardown_all(&a);
}

Test(rpt_dec, write_errors_are_reported)
{
    all a;
    build(&a);
    FILE *f = fopen("/dev/null", "r"); /* writes fail */
    cr_assert_not_null(f);
    err e = {0};
    cr_expect_eq(rpt_json_compare(f, &a.cmp, &a.f.b, &e), E_IO);
    cr_expect_eq(rpt_md_categories(f, &a.cat, NULL, &e), E_IO);
    fclose(f);
    teardown_all(&a);
}
