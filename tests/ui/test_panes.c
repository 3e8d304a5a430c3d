/* Pane goldens: each pane drawn into a memory canvas over the fixture, compared with
 * tests/golden/<pane>_<case>.txt (UPDATE_GOLDEN=1 rewrites them), and the expressions the
 * panes dive into checked against the counts they were drawn from. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "filter.h"
#include "fl_golden.h"
#include "ui_fixture.h"

static ui_fix F;

static void setup(void)
{
    fix_init(&F);
}

static void teardown(void)
{
    fix_done(&F);
}

TestSuite(pane, .init = setup, .fini = teardown);

/* Rows a filter expression selects. */
static size_t count_rows(const char *expr)
{
    flt_ctx ctx = {.ds = F.p.ds, .r = &F.p.r, .o = &F.p.o};
    filter *f = NULL;
    err e = {0};
    flt_error where;
    cr_assert_eq(flt_compile(&f, expr, &ctx, &e, &where), E_OK, "%s: %s", expr, e.msg);
    bitmap b;
    bm_init(&b, F.p.ds->nrows, false, NULL);
    cr_assert_eq(flt_eval(f, &b, &e), E_OK);
    size_t n = bm_count(&b);
    bm_done(&b);
    flt_free(f);
    return n;
}

Test(pane, slices_golden)
{
    pane *p = NULL;
    cr_assert_eq(slices_pane_new(&p, NULL), E_OK);
    fl_golden_check("slices_default.txt", fix_draw(&F, p, 14, 90, true));
    p->ops->act(p, &F.env, ACT_SORT_CYCLE);
    fl_golden_check("slices_by_lift.txt", fix_draw(&F, p, 14, 60, false));
    pane_free(p);
}

Test(pane, slices_dive_selects_the_slice)
{
    pane *p = NULL;
    cr_assert_eq(slices_pane_new(&p, NULL), E_OK);
    fix_draw(&F, p, 14, 90, false);
    unsigned r = p->ops->act(p, &F.env, ACT_DIVE);
    cr_assert(r & R_DIVE);
    /* the first row by q-value is the worst slice; its expression selects its rows */
    size_t order[512];
    const slice_table *t = &F.env.res->slices;
    cr_assert_eq(slc_order_by_q(t, order), E_OK);
    size_t n = count_rows(F.env.dive);
    bool found = false;
    for (size_t i = 0; i < t->len; i++)
        if (t->v[i].n == n)
            found = true;
    cr_assert(found, "dive '%s' selects %zu rows, no slice has that many", F.env.dive, n);
    pane_free(p);
}

Test(pane, confusion_modes_golden)
{
    pane *p = NULL;
    cr_assert_eq(confusion_pane_new(&p, NULL), E_OK);
    fl_golden_check("confusion_counts.txt", fix_draw(&F, p, 6, 40, true));
    p->ops->act(p, &F.env, ACT_CM_ROW);
    fl_golden_check("confusion_row.txt", fix_draw(&F, p, 6, 40, false));
    pane_free(p);
}

Test(pane, confusion_dive_matches_the_cell)
{
    pane *p = NULL;
    cr_assert_eq(confusion_pane_new(&p, NULL), E_OK);
    fix_draw(&F, p, 6, 40, false);
    p->ops->act(p, &F.env, ACT_MOVE_RIGHT); /* true ham, predicted spam */
    cr_assert(p->ops->act(p, &F.env, ACT_DIVE) & R_DIVE);
    cr_assert_str_eq(F.env.dive, "label == \"ham\" && prediction == \"spam\"");
    const metrics *m = &F.env.res->m;
    cr_assert_eq(count_rows(F.env.dive), m->confusion[0 * m->nclass + 1]);
    pane_free(p);
}

Test(pane, heatmap_golden_and_dive)
{
    err e = {0};
    int g = hm_dim_find(&F.p.b, "grp"), l = hm_dim_find(&F.p.b, "length");
    cr_assert(g >= 0 && l >= 0);
    cr_assert_eq(eng_set_heatmap(F.eng, l, g, false, &e), E_OK, "%s", e.msg);
    eng_set_min_support(F.eng, 5); /* so that some cells show rates, others stay small */
    fix_recompute(&F);
    pane *p = NULL;
    cr_assert_eq(heatmap_pane_new(&p, NULL), E_OK);
    fl_golden_check("heatmap_rate.txt", fix_draw(&F, p, 8, 80, true));
    p->ops->act(p, &F.env, ACT_HM_SHOW_N);
    fl_golden_check("heatmap_n.txt", fix_draw(&F, p, 8, 80, false));
    p->ops->act(p, &F.env, ACT_MOVE_DOWN);
    p->ops->act(p, &F.env, ACT_MOVE_RIGHT);
    cr_assert(p->ops->act(p, &F.env, ACT_DIVE) & R_DIVE);
    const heatmap *h = &F.env.res->hm;
    cr_assert_eq(count_rows(F.env.dive), h->cells[1 * h->x.nbins + 1].n, "%s", F.env.dive);
    pane_free(p);
}

Test(pane, heatmap_without_axes_says_how_to_pick)
{
    pane *p = NULL;
    cr_assert_eq(heatmap_pane_new(&p, NULL), E_OK);
    cr_assert(strstr(fix_draw(&F, p, 6, 70, false), "press x and y") != NULL);
    cr_assert_eq(p->ops->act(p, &F.env, ACT_HM_PICK_X), R_PICK_X);
    pane_free(p);
}

Test(pane, cases_golden)
{
    pane *p = NULL;
    cr_assert_eq(cases_pane_new(&p, NULL), E_OK);
    fl_golden_check("cases_by_loss.txt", fix_draw(&F, p, 8, 80, false));
    p->ops->act(p, &F.env, ACT_ORDER_CYCLE);
    fl_golden_check("cases_by_confidence.txt", fix_draw(&F, p, 8, 80, false));
    cr_assert_eq(p->ops->act(p, &F.env, ACT_CASE_OPEN), R_OPEN_CASE);
    pane_free(p);
}

Test(pane, detail_highlights_regex_matches)
{
    err e = {0};
    cr_assert_eq(eng_push_filter(F.eng, "body =~ /refund/", &e, NULL), E_OK, "%s", e.msg);
    fix_recompute(&F);
    pane *cases = NULL, *d = NULL;
    cr_assert_eq(cases_pane_new(&cases, NULL), E_OK);
    fix_draw(&F, cases, 8, 80, false);
    cr_assert_eq(cases->ops->act(cases, &F.env, ACT_CASE_OPEN), R_OPEN_CASE);
    cr_assert_eq(detail_pane_new(&d, F.env.open_row, NULL), E_OK);
    const char *s = fix_draw(&F, d, 30, 80, true);
    fl_golden_check("detail_regex.txt", s);
    /* the role layer marks "refund" with the match role */
    const char *layer = strstr(s, "-- roles\n");
    cr_assert(layer);
    char mark[8];
    memset(mark, 'a' + UI_MATCH, 6);
    mark[6] = '\0';
    cr_assert(strstr(layer, mark) != NULL, "no highlighted match");
    pane_free(d);
    pane_free(cases);
}

Test(pane, calibration_and_rank_golden)
{
    pane *c = NULL, *r = NULL;
    cr_assert_eq(calibration_pane_new(&c, NULL), E_OK);
    cr_assert_eq(rank_pane_new(&r, NULL), E_OK);
    fl_golden_check("calibration.txt", fix_draw(&F, c, 14, 80, false));
    fl_golden_check("rank.txt", fix_draw(&F, r, 10, 80, false));
    cr_assert_eq(r->ops->act(r, &F.env, ACT_DIVE), R_SHOW_SLICES);
    cr_assert(F.env.slice_dim >= 0);
    pane_free(c);
    pane_free(r);
}

Test(pane, export_tables)
{
    pane *p = NULL;
    cr_assert_eq(confusion_pane_new(&p, NULL), E_OK);
    strbuf out;
    sb_init(&out);
    cr_assert_eq(p->ops->export(p, &F.env, &out, true, NULL), E_OK);
    cr_assert(strncmp(sb_str(&out), "| true \\ predicted | ham | spam |\n|---|---|---|\n", 46) == 0,
              "%s", sb_str(&out));
    sb_clear(&out);
    cr_assert_eq(p->ops->export(p, &F.env, &out, false, NULL), E_OK);
    cr_assert(strncmp(sb_str(&out), "true \\ predicted\tham\tspam\n", 26) == 0);
    sb_done(&out);
    pane_free(p);
}

/* The clusters pane before clustering says what is happening; with clusters it lists them by
 * size with keywords, and the detail of the cursor's cluster; Enter asks to dive into it. */
Test(pane, clusters_golden_and_dive)
{
    pane *p = NULL;
    cr_assert_eq(clusters_pane_new(&p, NULL), E_OK);
    F.env.cluster_state = "clustering the errors… 40%";
    cr_assert(strstr(fix_draw(&F, p, 6, 70, false), "clustering the errors") != NULL);
    clu_result cr;
    clu_opts o;
    clu_opts_init(&o);
    o.k = 2;
    err e = {0};
    cr_assert_eq(clu_run(&cr, F.p.ds, &F.p.r, &F.p.o, &F.p.b, NULL, &o, &e), E_OK, "%s", e.msg);
    F.env.clusters = &cr;
    F.env.cluster_state = NULL;
    fl_golden_check("clusters_k2.txt", fix_draw(&F, p, 14, 90, true));
    size_t total = 0;
    for (unsigned c = 0; c < cr.k; c++)
        total += cr.c[c].size;
    cr_expect_eq(total, F.p.o.nerr); /* every error of the fixture has words to cluster on */
    cr_expect_eq(p->ops->act(p, &F.env, ACT_MOVE_DOWN), R_REDRAW);
    cr_expect_eq(p->ops->act(p, &F.env, ACT_DIVE), R_DIVE_CLUSTER);
    cr_expect_eq(F.env.dive_cluster, 1);
    pane_free(p);
    clu_done(&cr);
}

/* The decisions pane over the fixture (binary, with scores, no time column): its tabs are
 * the ones the file has, the threshold tab plots the sweep and names the best points, and
 * the checks tab lists the error categories with their counts. */
Test(pane, decisions_tabs)
{
    decisions d;
    dec_opts o;
    dec_opts_init(&o);
    err e = {0};
    cr_assert_eq(dec_prepare(&d, &o, "fixture.csv", F.p.ds, &F.p.r, &F.p.o, &F.p.b, &e), E_OK,
                 "%s", e.msg);
    cr_assert_eq(dec_compute(&d, &o, &F.p.o, &F.p.b, NULL, &e), E_OK, "%s", e.msg);
    F.env.decisions = &d;
    pane *p = NULL;
    cr_assert_eq(decisions_pane_new(&p, NULL), E_OK);
    const char *s = fix_draw(&F, p, 30, 100, false);
    cr_expect(strstr(s, "[Next steps] Thresholds Reliability Coverage Checks") != NULL, "%s", s);
    cr_expect(strstr(s, "Drift") == NULL && strstr(s, "Compare") == NULL); /* no data for them */
    cr_expect_eq(p->ops->act(p, &F.env, ACT_TAB_SWITCH), R_REDRAW);
    s = fix_draw(&F, p, 30, 100, false);
    cr_expect(strstr(s, "[Thresholds]") && strstr(s, "best F1") && strstr(s, "*"), "%s", s);
    char want[128];
    snprintf(want, sizeof want, "t %.4f", d.sweep.v[d.sweep.best_f1].t);
    cr_expect(strstr(s, want) != NULL, "%s not in\n%s", want, s);
    p->ops->act(p, &F.env, ACT_TAB_SWITCH); /* reliability */
    s = fix_draw(&F, p, 30, 100, false);
    cr_expect(strstr(s, "[Reliability]") && strstr(s, "ECE"), "%s", s);
    p->ops->act(p, &F.env, ACT_TAB_SWITCH); /* coverage */
    p->ops->act(p, &F.env, ACT_TAB_SWITCH); /* checks */
    s = fix_draw(&F, p, 30, 100, false);
    cr_expect(strstr(s, "[Checks]") && strstr(s, "confidently_wrong"), "%s", s);
    pane_free(p);
    F.env.decisions = NULL;
    dec_done(&d);
}
