/* The engine: every part of its result equals the reference functions (met_compute,
 * slc_compute, cs_top_errors, hm_compute, rank_compute) over the same selection, bit for
 * bit, for random files (binary with tied scores and missing values, multiclass,
 * regression), random filter stacks and pops; the filter stack, history and dirty flags;
 * a failed filter or recompute leaves the previous result in place; jobs on a worker
 * thread. */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binning.h"
#include "cases.h"
#include "colrank.h"
#include "engine.h"
#include "fl_pipeline.h"
#include "fl_test.h"
#include "heatmap.h"
#include "metrics.h"
#include "metrics_fast.h"
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

/* ------------------------------------------------------------------ random files */

typedef enum { GEN_BINARY, GEN_MULTI, GEN_REGRESSION } gen_kind;

typedef struct rng {
    unsigned long long s;
} rng;

static unsigned next(rng *r)
{
    r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(r->s >> 33);
}

static double uniform(rng *r)
{
    return next(r) / 2147483648.0;
}

/* Columns: g (5 levels), h (30 levels, skewed, some missing), u (uniform, 3 decimals), v
 * (numeric, ties, some missing), k (0-5: one bin per value), day (a date), then the label,
 * prediction and scores. Binary scores have two decimals (many ties for the AUC); a few
 * rows lack the label (not evaluated) or a score (left out of the score figures). */
static char *gen_csv(gen_kind kind, size_t nrows, unsigned long long seed)
{
    size_t size = nrows * 160 + 256, len = 0;
    char *csv = malloc(size);
    rng r = {seed};
    const char *head = kind == GEN_BINARY  ? "label,prediction,prob_neg,prob_pos"
                       : kind == GEN_MULTI ? "label,prediction,prob_a,prob_b,prob_c"
                                           : "label,prediction";
    len += (size_t)snprintf(csv + len, size - len, "g,h,u,v,k,day,%s\n", head);
    for (size_t i = 0; i < nrows; i++) {
        unsigned g = next(&r) % 5, hh = next(&r) % 30;
        hh = hh * hh / 30;
        double u = uniform(&r);
        char h[8] = "", v[16] = "";
        if (next(&r) % 20)
            snprintf(h, sizeof h, "h%u", hh);
        if (next(&r) % 15)
            snprintf(v, sizeof v, "%u", next(&r) % 40 * (g + 1));
        len += (size_t)snprintf(csv + len, size - len, "g%u,%s,%.3f,%s,%u,2024-03-%02u,", g, h, u,
                                v, next(&r) % 6, 1 + next(&r) % 28);
        /* errors more likely in g0 and for large u */
        bool wrong = uniform(&r) < 0.08 + 0.2 * (g == 0) + 0.2 * u;
        if (kind == GEN_BINARY) {
            bool pos = next(&r) % 3 == 0, pred = wrong ? !pos : pos;
            double p = (double)(next(&r) % 50) / 100.0;
            double pp = pred ? 0.5 + p : 0.5 - p;
            pp = round(pp * 100) / 100;
            if (pp >= 1)
                pp = 0.99;
            const char *label = next(&r) % 50 ? (pos ? "pos" : "neg") : "";
            if (next(&r) % 60)
                len += (size_t)snprintf(csv + len, size - len, "%s,%s,%.2f,%.2f\n", label,
                                        pred ? "pos" : "neg", 1 - pp, pp);
            else
                len += (size_t)snprintf(csv + len, size - len, "%s,%s,,%.2f\n", label,
                                        pred ? "pos" : "neg", pp);
        } else if (kind == GEN_MULTI) {
            unsigned y = next(&r) % 3, yh = wrong ? (y + 1 + next(&r) % 2) % 3 : y;
            double s[3], tot = 0;
            for (int c = 0; c < 3; c++)
                tot += s[c] = 0.05 + uniform(&r) * (c == (int)yh ? 2 : 0.5);
            char lab[2] = {(char)('a' + y), 0};
            len += (size_t)snprintf(csv + len, size - len, "%s,%c,%.4f,%.4f,%.4f\n",
                                    next(&r) % 70 ? lab : "", 'a' + yh, s[0] / tot, s[1] / tot,
                                    s[2] / tot);
        } else {
            double y = 100 * uniform(&r), d = (wrong ? 30 : 3) * (uniform(&r) - 0.5);
            len += (size_t)snprintf(csv + len, size - len, "%.2f,%.2f\n", y, y + d);
        }
    }
    return csv;
}

/* ------------------------------------------------------------------ comparisons */

static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

#define EXPECT_SAME(a, b, what)                                                                    \
    cr_expect(same((a), (b)), "%s: %s = %.17g, reference %.17g", what, #a, (a), (b))

static void check_metrics(const metrics *got, const metrics *want, const char *what)
{
    cr_expect_eq(got->n, want->n, "%s: n", what);
    cr_expect_eq(got->nerr, want->nerr, "%s: nerr", what);
    cr_expect_eq(got->nunknown, want->nunknown, "%s: nunknown", what);
    cr_expect_eq(got->nscored, want->nscored, "%s: nscored", what);
    cr_expect_eq(got->nclass, want->nclass, "%s: nclass", what);
    EXPECT_SAME(got->accuracy, want->accuracy, what);
    EXPECT_SAME(got->error_rate, want->error_rate, what);
    EXPECT_SAME(got->macro_f1, want->macro_f1, what);
    EXPECT_SAME(got->weighted_f1, want->weighted_f1, what);
    EXPECT_SAME(got->roc_auc, want->roc_auc, what);
    EXPECT_SAME(got->brier, want->brier, what);
    EXPECT_SAME(got->log_loss, want->log_loss, what);
    EXPECT_SAME(got->ece, want->ece, what);
    EXPECT_SAME(got->mce, want->mce, what);
    EXPECT_SAME(got->mae, want->mae, what);
    EXPECT_SAME(got->rmse, want->rmse, what);
    EXPECT_SAME(got->r2, want->r2, what);
    EXPECT_SAME(got->median_ae, want->median_ae, what);
    EXPECT_SAME(got->fail_above, want->fail_above, what);
    size_t k = want->nclass;
    for (size_t c = 0; c < k * k; c++)
        cr_expect_eq(got->confusion[c], want->confusion[c], "%s: confusion cell %zu", what, c);
    for (size_t c = 0; c < k; c++) {
        cr_expect_eq(got->per_class[c].support, want->per_class[c].support, "%s", what);
        EXPECT_SAME(got->per_class[c].precision, want->per_class[c].precision, what);
        EXPECT_SAME(got->per_class[c].recall, want->per_class[c].recall, what);
        EXPECT_SAME(got->per_class[c].f1, want->per_class[c].f1, what);
    }
    for (int b = 0; b < MET_NBINS; b++) {
        cr_expect_eq(got->bins[b].n, want->bins[b].n, "%s: calibration bin %d", what, b);
        EXPECT_SAME(got->bins[b].accuracy, want->bins[b].accuracy, what);
        EXPECT_SAME(got->bins[b].confidence, want->bins[b].confidence, what);
        EXPECT_SAME(got->bins[b].lo, want->bins[b].lo, what);
    }
}

static void check_slices(const slice_table *got, const slice_table *want, const char *what)
{
    cr_assert_eq(got->len, want->len, "%s: slices", what);
    cr_expect_eq(got->N, want->N, "%s: N", what);
    cr_expect_eq(got->E, want->E, "%s: E", what);
    cr_expect_eq(got->ntested, want->ntested, "%s: ntested", what);
    EXPECT_SAME(got->base_err, want->base_err, what);
    for (size_t i = 0; i < want->len; i++) {
        const slice *a = &got->v[i], *b = &want->v[i];
        cr_expect(a->dim == b->dim && a->bin == b->bin && a->n == b->n && a->nerr == b->nerr &&
                      a->small == b->small,
                  "%s: slice %zu counts (%zu/%zu vs %zu/%zu)", what, i, a->nerr, a->n, b->nerr,
                  b->n);
        cr_expect(same(a->rate, b->rate) && same(a->lo, b->lo) && same(a->hi, b->hi) &&
                      same(a->lift, b->lift) && same(a->lift_lo, b->lift_lo) &&
                      same(a->lift_hi, b->lift_hi) && same(a->coverage, b->coverage) &&
                      same(a->p, b->p) && same(a->q, b->q),
                  "%s: slice %zu figures", what, i);
    }
}

static void check_heatmap(const heatmap *got, const heatmap *want, const char *what)
{
    cr_assert_eq(got->valid, want->valid, "%s: heatmap", what);
    cr_assert_eq(got->x.nbins, want->x.nbins, "%s: heatmap x bins", what);
    cr_assert_eq(got->y.nbins, want->y.nbins, "%s: heatmap y bins", what);
    cr_expect_eq(got->N, want->N, "%s", what);
    cr_expect_eq(got->E, want->E, "%s", what);
    cr_expect_eq(memcmp(got->x.bins, want->x.bins, got->x.nbins * sizeof *got->x.bins), 0,
                 "%s: heatmap x axis", what);
    cr_expect_eq(memcmp(got->y.bins, want->y.bins, got->y.nbins * sizeof *got->y.bins), 0,
                 "%s: heatmap y axis", what);
    size_t nc = (size_t)got->x.nbins * got->y.nbins;
    for (size_t c = 0; c < nc; c++) {
        const hm_cell *a = &got->cells[c], *b = &want->cells[c];
        cr_expect(a->n == b->n && a->nerr == b->nerr && a->small == b->small &&
                      same(a->rate, b->rate) && same(a->lo, b->lo) && same(a->hi, b->hi) &&
                      same(a->lift, b->lift) && same(a->coverage, b->coverage),
                  "%s: heatmap cell %zu", what, c);
    }
}

/* The engine's current result against the reference functions over its selection. */
static void check_result(const engine *eng, const fixture *f, const char *what)
{
    const eng_result *r = eng_current(eng);
    const eng_opts *opt = eng_options(eng);
    cr_assert_not_null(r);
    cr_assert_eq(eng_dirty(eng), 0u, "%s: still dirty", what);
    /* the selection itself: the AND of the filters */
    size_t count = 0;
    for (size_t i = 0; i < f->ds->nrows; i++)
        count += bm_get(&r->sel, i);
    cr_expect_eq(count, r->nsel, "%s: nsel", what);
    err e = {0};
    metrics m;
    cr_assert_eq(met_compute(&m, &f->o, &r->sel, &e), E_OK, "%s", e.msg);
    check_metrics(&r->m, &m, what);
    double lo, hi;
    st_wilson(m.nerr, m.n, &lo, &hi);
    EXPECT_SAME(r->err_lo, lo, what);
    EXPECT_SAME(r->err_hi, hi, what);
    size_t nev = f->o.n - f->o.nunknown;
    EXPECT_SAME(r->all_err, (double)f->o.nerr / (double)nev, what);
    met_done(&m);
    slice_table t;
    cr_assert_eq(slc_compute(&t, &f->b, &f->o, &r->sel, opt->min_support, &e), E_OK);
    check_slices(&r->slices, &t, what);
    col_ranking rk;
    cr_assert_eq(rank_compute(&rk, &f->b, &t, &e), E_OK);
    cr_assert_eq(r->rank.len, rk.len);
    for (size_t i = 0; i < rk.len; i++)
        cr_expect(r->rank.v[i].dim == rk.v[i].dim && r->rank.v[i].col == rk.v[i].col &&
                      r->rank.v[i].nbins == rk.v[i].nbins && same(r->rank.v[i].mi, rk.v[i].mi) &&
                      same(r->rank.v[i].cramers_v, rk.v[i].cramers_v),
                  "%s: ranking entry %zu", what, i);
    rank_done(&rk);
    slc_done(&t);
    case_list c;
    cr_assert_eq(cs_top_errors(&c, &f->o, &r->sel, opt->ncases, &e), E_OK);
    cr_assert_eq(r->cases.len, c.len, "%s: cases %zu vs %zu", what, r->cases.len, c.len);
    cr_expect_eq(memcmp(r->cases.row, c.row, c.len * sizeof *c.row), 0, "%s: cases", what);
    cs_done(&c);
    if (opt->hm_x >= 0 && opt->hm_y >= 0) {
        heatmap h;
        hm_input in = {f->ds, &f->b, &f->o, &r->sel, NULL, NULL, NULL, NULL};
        hm_opts ho = {(uint32_t)opt->hm_x, (uint32_t)opt->hm_y, opt->hm_equal_width,
                      opt->min_support, 1};
        cr_assert_eq(hm_compute(&h, &in, &ho, &e), E_OK);
        check_heatmap(&r->hm, &h, what);
        hm_done(&h);
    } else {
        cr_expect(!r->hm.valid, "%s: a heatmap nobody asked for", what);
    }
}

static engine *new_engine(const fixture *f, size_t threads, size_t ncases)
{
    eng_opts opt;
    eng_opts_init(&opt);
    opt.threads = threads;
    opt.ncases = ncases;
    engine *eng = NULL;
    err e = {0};
    cr_assert_eq(eng_new(&eng, f->ds, &f->r, &f->o, &f->b, &opt, &e), E_OK, "%s", e.msg);
    return eng;
}

static void push(engine *eng, const char *expr)
{
    err e = {0};
    cr_assert_eq(eng_push_filter(eng, expr, &e, NULL), E_OK, "%s: %s", expr, e.msg);
}

static void recompute(engine *eng)
{
    err e = {0};
    cr_assert_eq(eng_recompute(eng, &e), E_OK, "%s", e.msg);
}

static const char *const FILTERS[] = {
    "u < 0.3",    "g != \"g0\"",       "h in {\"h0\", \"h1\", \"h3\"} || v > 60",
    "missing(v)", "label == \"pos\"",  "u >= 0.15 && k != 2",
    "error",      "day >= 2024-03-10", "u > 2",
};
#define NFILTERS (sizeof FILTERS / sizeof *FILTERS)

/* A seeded walk of pushes and pops, checked against the references after each step. */
static void random_walk(const fixture *f, engine *eng, unsigned long long seed, int steps)
{
    rng r = {seed};
    for (int s = 0; s < steps; s++) {
        if (eng_filter_count(eng) && next(&r) % 3 == 0) {
            eng_pop_filter(eng);
        } else {
            push(eng, FILTERS[next(&r) % NFILTERS]);
        }
        recompute(eng);
        char what[64];
        snprintf(what, sizeof what, "step %d, %zu filters", s, eng_filter_count(eng));
        check_result(eng, f, what);
    }
}

/* ----------------------------------------------------------------------- tests */

Test(eng, binary_equals_references_with_filters)
{
    char *csv = gen_csv(GEN_BINARY, 3000, 7);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 50);
    cr_assert(eng_current(eng)->hm.valid, "eng_new picks two axes");
    check_result(eng, &f, "no filter");
    random_walk(&f, eng, 11, 14);
    eng_free(eng);
    teardown(&f);
}

Test(eng, multiclass_and_regression_equal_references)
{
    char *csv = gen_csv(GEN_MULTI, 2500, 3);
    fixture f;
    setup(&f, csv);
    free(csv);
    cr_assert_eq(f.o.nclass, 3);
    engine *eng = new_engine(&f, 2, SIZE_MAX);
    check_result(eng, &f, "multiclass");
    random_walk(&f, eng, 5, 8);
    eng_free(eng);
    teardown(&f);

    csv = gen_csv(GEN_REGRESSION, 2500, 4);
    setup(&f, csv);
    free(csv);
    cr_assert_eq(f.o.task, TASK_REGRESSION);
    eng = new_engine(&f, 2, 10);
    check_result(eng, &f, "regression");
    push(eng, "u < 0.5");
    push(eng, "g == \"g0\"");
    recompute(eng);
    check_result(eng, &f, "regression, two filters");
    eng_free(eng);
    teardown(&f);
}

Test(eng, large_file_splits_work_the_same)
{
    /* enough rows for the passes to split into chunks over threads: the figures must not
     * depend on the thread count */
    char *csv = gen_csv(GEN_BINARY, 140000, 99);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *one = new_engine(&f, 1, 100), *two = new_engine(&f, 2, 100);
    check_result(two, &f, "two threads");
    const char *exprs[] = {"u < 0.4", "h == \"h2\" || g == \"g4\"", "error"};
    for (size_t i = 0; i < 3; i++) {
        push(one, exprs[i]);
        push(two, exprs[i]);
        recompute(one);
        recompute(two);
        check_result(two, &f, exprs[i]);
        const eng_result *a = eng_current(one), *b = eng_current(two);
        check_metrics(&a->m, &b->m, "one thread vs two");
        check_slices(&a->slices, &b->slices, "one thread vs two");
        check_heatmap(&a->hm, &b->hm, "one thread vs two");
    }
    eng_free(one);
    eng_free(two);
    teardown(&f);
}

Test(eng, fast_metrics_equal_met_compute)
{
    char *csv = gen_csv(GEN_BINARY, 5000, 21);
    fixture f;
    setup(&f, csv);
    free(csv);
    mf_prep p;
    err e = {0};
    cr_assert_eq(mf_prep_build(&p, &f.o, &e), E_OK, "%s", e.msg);
    cr_assert(p.binary);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, f.ds->nrows, false, NULL), E_OK);
    rng r = {5};
    for (int round = 0; round < 6; round++) {
        bm_fill(&sel, false);
        unsigned share = 1 + next(&r) % 100;
        for (size_t i = 0; i < f.ds->nrows; i++)
            if (next(&r) % 100 < share)
                bm_set(&sel, i);
        metrics a, b;
        cr_assert_eq(mf_compute(&a, &p, &f.o, &sel, &e), E_OK);
        cr_assert_eq(met_compute(&b, &f.o, &sel, &e), E_OK);
        check_metrics(&a, &b, "random selection");
        met_done(&a);
        met_done(&b);
    }
    metrics a, b;
    cr_assert_eq(mf_compute(&a, &p, &f.o, NULL, &e), E_OK);
    cr_assert_eq(met_compute(&b, &f.o, NULL, &e), E_OK);
    check_metrics(&a, &b, "all rows");
    met_done(&a);
    met_done(&b);
    bm_done(&sel);
    mf_prep_done(&p);
    teardown(&f);
}

Test(eng, fast_regression_metrics_equal_met_compute)
{
    char *csv = gen_csv(GEN_REGRESSION, 4001, 31);
    fixture f;
    setup(&f, csv);
    free(csv);
    mf_prep p;
    err e = {0};
    cr_assert_eq(mf_prep_build(&p, &f.o, &e), E_OK, "%s", e.msg);
    cr_assert(p.regression);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, f.ds->nrows, false, NULL), E_OK);
    rng r = {9};
    /* shares from none to all, odd and even counts (the median of an even count is the
     * mean of the two middle values) */
    for (int round = 0; round < 8; round++) {
        bm_fill(&sel, false);
        unsigned share = round == 0 ? 0 : 1 + next(&r) % 100;
        for (size_t i = 0; i < f.ds->nrows; i++)
            if (next(&r) % 100 < share)
                bm_set(&sel, i);
        metrics a, b;
        cr_assert_eq(mf_compute(&a, &p, &f.o, &sel, &e), E_OK);
        cr_assert_eq(met_compute(&b, &f.o, &sel, &e), E_OK);
        check_metrics(&a, &b, "regression selection");
        met_done(&a);
        met_done(&b);
    }
    bm_done(&sel);
    mf_prep_done(&p);
    teardown(&f);
}

Test(eng, auc_by_hand_with_ties)
{
    /* positive class pos. Scores of positives 0.8, 0.4, 0.4; negatives 0.4, 0.1.
     * Pairs: 0.8 beats both (2); each 0.4 beats 0.1 and ties 0.4 (1.5 each): 5 of 6.
     * AUC = 5 / 6. */
    const char *csv = "label,prediction,prob_neg,prob_pos\n"
                      "pos,pos,0.2,0.8\npos,neg,0.6,0.4\nneg,neg,0.6,0.4\n"
                      "pos,neg,0.6,0.4\nneg,neg,0.9,0.1\n";
    fixture f;
    setup(&f, csv);
    engine *eng = new_engine(&f, 1, 10);
    cr_expect_float_eq(eng_current(eng)->m.roc_auc, 5.0 / 6.0, 1e-15);
    check_result(eng, &f, "ties");
    push(eng, "prob_pos > 0.3"); /* drops the 0.1 negative: 0.8 beats 0.4 (1), the 0.4s tie
                                  * (0.5 each): 2 of 3 */
    recompute(eng);
    cr_expect_float_eq(eng_current(eng)->m.roc_auc, 2.0 / 3.0, 1e-15);
    eng_free(eng);
    teardown(&f);
}

Test(eng, failed_filter_keeps_the_result)
{
    char *csv = gen_csv(GEN_BINARY, 500, 1);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 20);
    push(eng, "u < 0.5");
    recompute(eng);
    const eng_result *before = eng_current(eng);
    uint64_t serial = before->serial;
    size_t nsel = before->nsel;
    err e = {0};
    flt_error where = {0, 0};
    cr_assert_neq(eng_push_filter(eng, "u < 0.5 && nosuch > 3", &e, &where), E_OK);
    cr_expect_eq(where.pos, 11, "the error points at the unknown column");
    cr_expect_eq(where.len, 6);
    cr_expect_eq(eng_filter_count(eng), 1);
    cr_expect_eq(eng_dirty(eng), 0u);
    cr_expect_eq(eng_history_count(eng), 1);
    recompute(eng); /* nothing to do */
    cr_expect_eq(eng_current(eng), before);
    cr_expect_eq(eng_current(eng)->serial, serial);
    cr_expect_eq(eng_current(eng)->nsel, nsel);
    cr_expect_neq(eng_push_filter(eng, "label =~ /(/", &e, &where), E_OK);
    cr_expect_eq(e.code, E_REGEX);
    check_result(eng, &f, "after failed pushes");
    eng_free(eng);
    teardown(&f);
}

static int cancel_at_half(void *ctx, double done)
{
    (void)ctx;
    return done > 0.5;
}

Test(eng, cancelled_recompute_keeps_the_result)
{
    char *csv = gen_csv(GEN_BINARY, 800, 2);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 20);
    const eng_result *before = eng_current(eng);
    uint64_t serial = before->serial;
    push(eng, "g == \"g1\"");
    eng_job *j;
    err e = {0};
    cr_assert_eq(eng_job_begin(eng, &j, &e), E_OK);
    cr_assert_eq(eng_job_run(j, cancel_at_half, NULL, &e), E_CANCEL);
    eng_job_free(j);
    cr_expect_eq(eng_current(eng), before, "the old result stays");
    cr_expect_eq(eng_current(eng)->serial, serial);
    cr_expect_eq(eng_current(eng)->nsel, f.ds->nrows);
    cr_expect(eng_dirty(eng) & ENG_DIRTY_SEL, "still to do");
    recompute(eng);
    cr_expect_eq(eng_current(eng)->serial, serial + 1, "replaced whole, once");
    check_result(eng, &f, "after the cancelled job");
    eng_free(eng);
    teardown(&f);
}

typedef struct worker_arg {
    eng_job *job;
    err_code rc;
    err e;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    w->rc = eng_job_run(w->job, NULL, NULL, &w->e);
    return NULL;
}

Test(eng, job_on_a_worker_thread)
{
    char *csv = gen_csv(GEN_BINARY, 20000, 8);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 20);
    const eng_result *old = eng_current(eng);
    size_t old_n = old->m.n;
    push(eng, "u < 0.25");
    worker_arg w = {NULL, E_OK, {0}};
    err e = {0};
    cr_assert_eq(eng_job_begin(eng, &w.job, &e), E_OK);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, worker, &w), 0);
    /* meanwhile the owner reads the old result and changes the stack: the job works on
     * its snapshot */
    size_t seen = 0;
    for (size_t i = 0; i < old->slices.len; i++)
        seen += old->slices.v[i].n;
    push(eng, "g == \"g2\"");
    eng_pop_filter(eng);
    pthread_join(t, NULL);
    cr_assert_eq(w.rc, E_OK, "%s", w.e.msg);
    cr_expect(seen > 0);
    cr_expect_eq(eng_current(eng)->m.n, old_n);
    cr_expect(!eng_job_commit(eng, w.job), "the stack changed after begin");
    cr_expect(eng_dirty(eng) & ENG_DIRTY_SEL);
    recompute(eng);
    cr_expect(eng_current(eng)->nsel < f.ds->nrows);
    check_result(eng, &f, "after the worker's job");
    eng_free(eng);
    teardown(&f);
}

Test(eng, stack_history_and_partial_recomputes)
{
    char *csv = gen_csv(GEN_BINARY, 1500, 4);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 30);
    push(eng, "u < 0.5");
    push(eng, "g != \"g3\"");
    push(eng, "u < 0.5");
    cr_expect_eq(eng_filter_count(eng), 3);
    cr_expect_str_eq(eng_filter_text(eng, 1), "g != \"g3\"");
    cr_expect_eq(eng_history_count(eng), 2, "a repeat is remembered once");
    cr_expect_str_eq(eng_history(eng, 0), "g != \"g3\"");
    cr_expect_str_eq(eng_history(eng, 1), "u < 0.5", "newest last");
    size_t alone = eng_filter_rows(eng, 0);
    cr_expect(alone > 0 && alone < f.ds->nrows);
    cr_expect(eng_pop_filter(eng));
    recompute(eng);
    check_result(eng, &f, "two filters");
    const eng_result *r = eng_current(eng);
    uint64_t serial = r->serial;
    slice_table before;
    cr_assert_eq(slc_compute(&before, &f.b, &f.o, &r->sel, 30, NULL), E_OK);

    /* a heatmap change: only the heatmap is recomputed; the rest is carried over */
    err e = {0};
    cr_assert_eq(eng_set_heatmap_names(eng, "u", "h", true, &e), E_OK, "%s", e.msg);
    cr_expect_eq(eng_dirty(eng), (unsigned)ENG_DIRTY_HEATMAP);
    recompute(eng);
    r = eng_current(eng);
    cr_expect_eq(r->serial, serial + 1);
    cr_expect(r->hm.x.equal_width);
    check_result(eng, &f, "heatmap u x h, equal width");
    cr_expect_eq(eng_set_heatmap_names(eng, "u", "nosuch", false, &e), E_USAGE);
    cr_expect_eq(eng_set_heatmap(eng, 0, 999, false, &e), E_RANGE);

    /* min support: the small flags only */
    eng_set_min_support(eng, 200);
    cr_expect_eq(eng_dirty(eng), (unsigned)ENG_DIRTY_SUPPORT);
    recompute(eng);
    check_result(eng, &f, "min support 200");
    /* the number of cases */
    eng_set_ncases(eng, 3);
    recompute(eng);
    cr_expect_eq(eng_current(eng)->cases.len, 3);
    check_result(eng, &f, "3 cases");
    /* no heatmap */
    cr_assert_eq(eng_set_heatmap(eng, ENG_DIM_NONE, ENG_DIM_NONE, false, &e), E_OK);
    recompute(eng);
    check_result(eng, &f, "no heatmap");
    /* everything popped: back to all rows */
    while (eng_pop_filter(eng))
        ;
    cr_expect(!eng_pop_filter(eng));
    recompute(eng);
    cr_expect_eq(eng_current(eng)->nsel, f.ds->nrows);
    check_result(eng, &f, "all popped");
    slc_done(&before);
    eng_free(eng);
    teardown(&f);
}

Test(eng, bench_leaves_the_engine_as_found)
{
    char *csv = gen_csv(GEN_BINARY, 4000, 12);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 20);
    eng_bench_figures fig;
    err e = {0};
    cr_assert_eq(eng_bench(eng, 3, &fig, &e), E_OK, "%s", e.msg);
    cr_expect_eq(fig.rows, 4000);
    cr_expect(fig.nfilters >= 3, "%zu selective filters", fig.nfilters);
    cr_expect(fig.recompute_all_ms >= 0 && fig.recompute_ms >= 0 && fig.heatmap_ms >= 0);
    cr_expect(fig.selected_share > 0.02 && fig.selected_share < 0.4);
    cr_expect_eq(eng_filter_count(eng), 0);
    check_result(eng, &f, "after the bench");
    push(eng, "u < 0.5");
    cr_expect_eq(eng_bench(eng, 3, &fig, &e), E_USAGE);
    eng_free(eng);
    teardown(&f);
}

/* A row set (a cluster, a review queue) is a filter like any other: it ANDs with the
 * expressions, shows its label, stays out of the history, and pops; a set for another file
 * size is refused. */
Test(eng, row_set_filters)
{
    char *csv = gen_csv(GEN_BINARY, 1200, 5);
    fixture f;
    setup(&f, csv);
    free(csv);
    engine *eng = new_engine(&f, 2, 30);
    bitmap rows;
    err e = {0};
    cr_assert_eq(bm_init(&rows, f.ds->nrows, false, &e), E_OK);
    for (size_t i = 0; i < f.ds->nrows; i += 3) /* every third row: 400 */
        bm_set(&rows, i);
    push(eng, "u < 0.3");
    size_t hist = eng_history_count(eng);
    cr_assert_eq(eng_push_rows(eng, "cluster 2: refund invoice", &rows, &e), E_OK, "%s", e.msg);
    cr_expect_eq(eng_filter_count(eng), 2);
    cr_expect_str_eq(eng_filter_text(eng, 1), "cluster 2: refund invoice");
    cr_expect_eq(eng_filter_rows(eng, 1), 400);
    cr_expect_eq(eng_history_count(eng), hist);
    recompute(eng);
    check_result(eng, &f, "expression and row set");
    size_t want = 0;
    for (size_t i = 0; i < f.ds->nrows; i += 3)
        want += f.ds->cols[ds_col_find(f.ds, "u")].num[i] < 0.3;
    cr_expect_eq(eng_current(eng)->nsel, want);
    cr_expect(eng_pop_filter(eng));
    recompute(eng);
    check_result(eng, &f, "row set popped");
    bitmap small;
    cr_assert_eq(bm_init(&small, 10, true, &e), E_OK);
    cr_expect_eq(eng_push_rows(eng, "wrong", &small, &e), E_RANGE);
    cr_expect_eq(eng_filter_count(eng), 1);
    bm_done(&small);
    bm_done(&rows);
    eng_free(eng);
    teardown(&f);
}
