/* queue: review queues in each order, sampling, determinism and where a reviewer resumes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fl_pipeline.h"
#include "fl_test.h"
#include "queue.h"
#include "slice.h"

/* Rows (0-based) 1, 2, 4, 5, 7 are errors. Scores of the true class give the losses:
 * row 1: p(true) = 0.1 (loss 2.303), row 2: 0.45 (0.799), row 4: 0.3 (1.204),
 * row 5: 0.05 (2.996), row 7: 0.4 (0.916). Margins |p_a - p_b|: 0.8, 0.1, 0.4, 0.9, 0.2. */
static const char CSV[] = "label,pred,prob_a,prob_b,g\n"
                          "a,a,0.9,0.1,x\n"
                          "a,b,0.1,0.9,y\n"
                          "b,a,0.55,0.45,y\n"
                          "b,b,0.2,0.8,x\n"
                          "a,b,0.3,0.7,x\n"
                          "b,a,0.95,0.05,y\n"
                          "a,a,0.6,0.4,x\n"
                          "b,a,0.6,0.4,y\n";

static void expect_rows(const review_queue *q, const uint32_t *want, size_t n)
{
    cr_assert_eq(q->len, n);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(q->row[i], want[i], "position %zu: row %u, want %u", i, q->row[i], want[i]);
}

static void build(fl_pipeline *p, rq_order order, size_t sample, unsigned long seed,
                  review_queue *q)
{
    rq_opts o = {order, sample, seed};
    err e = {0};
    cr_assert_eq(rq_build(q, &p->o, NULL, NULL, NULL, &o, &e), E_OK, "%s", e.msg);
}

Test(queue, loss_and_uncertainty_orders)
{
    fl_pipeline p;
    fl_pipeline_str(&p, CSV);
    review_queue q;
    build(&p, RQ_LOSS, 0, 1, &q);
    const uint32_t by_loss[] = {5, 1, 4, 7, 2};
    expect_rows(&q, by_loss, 5);
    rq_done(&q);
    build(&p, RQ_UNCERTAINTY, 0, 1, &q);
    const uint32_t by_margin[] = {2, 7, 4, 1, 5};
    expect_rows(&q, by_margin, 5);
    rq_done(&q);
    fl_pipeline_done(&p);
}

Test(queue, random_is_a_seeded_permutation)
{
    fl_pipeline p;
    fl_pipeline_str(&p, CSV);
    review_queue a, b, c;
    build(&p, RQ_RANDOM, 0, 9, &a);
    build(&p, RQ_RANDOM, 0, 9, &b);
    cr_assert_eq(a.len, 5);
    cr_expect_eq(memcmp(a.row, b.row, 5 * sizeof *a.row), 0);
    unsigned seen = 0;
    for (size_t i = 0; i < a.len; i++)
        seen |= 1u << a.row[i];
    cr_expect_eq(seen, (1u << 1) | (1u << 2) | (1u << 4) | (1u << 5) | (1u << 7));
    /* Some seed among the first few orders the rows differently. */
    bool differs = false;
    for (unsigned long s = 1; s < 6 && !differs; s++) {
        build(&p, RQ_RANDOM, 0, s, &c);
        differs = memcmp(a.row, c.row, 5 * sizeof *a.row) != 0;
        rq_done(&c);
    }
    cr_expect(differs);
    rq_done(&a);
    rq_done(&b);
    fl_pipeline_done(&p);
}

/* A sample of 3 errors, ordered by loss: the same three for the same seed, each an error. */
Test(queue, sample_then_order)
{
    fl_pipeline p;
    fl_pipeline_str(&p, CSV);
    review_queue a, b;
    build(&p, RQ_LOSS, 3, 4, &a);
    build(&p, RQ_LOSS, 3, 4, &b);
    cr_assert_eq(a.len, 3);
    cr_expect_eq(memcmp(a.row, b.row, 3 * sizeof *a.row), 0);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(p.o.err[a.row[i]], OUT_ERROR);
        if (i)
            cr_expect_geq(p.o.loss[a.row[i - 1]], p.o.loss[a.row[i]]);
    }
    rq_done(&a);
    rq_done(&b);
    build(&p, RQ_LOSS, 50, 4, &a); /* a sample larger than the errors: all of them */
    cr_expect_eq(a.len, 5);
    rq_done(&a);
    fl_pipeline_done(&p);
}

/* Slice order: 40 rows, errors concentrated where g == "hot" (q < 0.05, lift > 1); those come
 * first (by loss), then the other errors (by loss). */
Test(queue, slice_order_puts_the_worst_slice_first)
{
    char csv[4096] = "label,pred,prob_a,prob_b,g\n";
    size_t used = strlen(csv);
    for (int i = 0; i < 40; i++) {
        bool hot = i < 12, wrong = hot ? i % 4 != 3 : i % 9 == 0;
        double pa = 0.5 + 0.01 * (i % 7);
        used += (size_t)snprintf(csv + used, sizeof csv - used, "a,%s,%.2f,%.2f,%s\n",
                                 wrong ? "b" : "a", wrong ? 1 - pa : pa, wrong ? pa : 1 - pa,
                                 hot ? "hot" : (i % 2 ? "cold" : "mild"));
    }
    fl_pipeline p;
    fl_pipeline_str(&p, csv);
    slice_table t;
    err e = {0};
    cr_assert_eq(slc_compute(&t, &p.b, &p.o, NULL, 1, &e), E_OK, "%s", e.msg);
    rq_opts o = {RQ_SLICE, 0, 1};
    review_queue q;
    cr_assert_eq(rq_build(&q, &p.o, NULL, &t, &p.b, &o, &e), E_OK, "%s", e.msg);
    /* 9 hot errors (i < 12, i % 4 != 3), then the others: i = 18, 27, 36 (i % 9 == 0, i >= 12) */
    cr_assert_eq(q.len, 12);
    for (size_t i = 0; i < 9; i++)
        cr_expect_lt(q.row[i], 12, "position %zu is row %u", i, q.row[i]);
    for (size_t i = 9; i < 12; i++)
        cr_expect_geq(q.row[i], 12);
    for (size_t i = 1; i < 9; i++)
        cr_expect_geq(p.o.loss[q.row[i - 1]], p.o.loss[q.row[i]]);
    rq_done(&q);
    cr_expect_eq(rq_build(&q, &p.o, NULL, NULL, NULL, &o, &e), E_USAGE);
    slc_done(&t);
    fl_pipeline_done(&p);
}

/* Resuming: the first queued row without a tag or note. */
Test(queue, resume_after_tags)
{
    char dir[] = "/tmp/fl-queue-XXXXXX", data[64], jpath[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(data, sizeof data, "%s/d.csv", dir);
    snprintf(jpath, sizeof jpath, "%s/j.jsonl", dir);
    FILE *f = fopen(data, "w");
    fputs(CSV, f);
    fclose(f);
    fl_pipeline p;
    fl_pipeline_from(&p, fl_load_file(data));
    review_queue q;
    build(&p, RQ_LOSS, 0, 1, &q); /* 5, 1, 4, 7, 2 */
    cr_expect_eq(rq_resume(&q, NULL), 0);
    tg_opts to = {jpath, NULL, "ana", -1, false};
    tag_state *t = NULL;
    tg_load_report rep;
    err e = {0};
    cr_assert_eq(tg_open(&t, p.ds, &to, &rep, &e), E_OK, "%s", e.msg);
    cr_expect_eq(rq_resume(&q, t), 0);
    cr_assert_eq(tg_toggle(t, 5, 0, &e), E_OK);
    cr_assert_eq(tg_set_note(t, 1, "odd", &e), E_OK);
    cr_expect_eq(rq_resume(&q, t), 2);
    cr_assert_eq(tg_toggle(t, 7, 0, &e), E_OK); /* out of order: resume stays at the gap */
    cr_expect_eq(rq_resume(&q, t), 2);
    cr_assert_eq(tg_toggle(t, 4, 1, &e), E_OK);
    cr_assert_eq(tg_toggle(t, 2, 1, &e), E_OK);
    cr_expect_eq(rq_resume(&q, t), 5);
    tg_close(t);
    rq_done(&q);
    fl_pipeline_done(&p);
    unlink(jpath);
    unlink(data);
    rmdir(dir);
}
