/* kmeans: planted groups on disjoint term sets are recovered exactly, runs are deterministic,
 * the silhouette matches a pairwise computation, and progress can cancel. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kmeans.h"

/* G groups of R rows each over G * 4 columns: a row of group g has weights on two or three of
 * its group's four columns (pattern by row number), normalised. Rows are interleaved
 * (row i is in group i % G) so that input order does not give the groups away. */
typedef struct synth {
    size_t rowptr[301];
    uint32_t col[1200];
    double val[1200];
    skm_csr m;
} synth;

static void make_synth(synth *s, unsigned groups, size_t rows)
{
    size_t nnz = 0;
    s->rowptr[0] = 0;
    for (size_t i = 0; i < rows; i++) {
        unsigned g = (unsigned)(i % groups);
        unsigned skip = (unsigned)((i / groups) % 5); /* 4: keep all but column 3 ... */
        double w[4] = {1.0 + (double)(i % 3), 1.0, 0.5 + (double)(i % 2), 2.0};
        double ss = 0;
        size_t start = nnz;
        for (unsigned t = 0; t < 4; t++) {
            if (t == skip)
                continue;
            s->col[nnz] = g * 4 + t;
            s->val[nnz] = w[t];
            ss += w[t] * w[t];
            nnz++;
        }
        for (size_t p = start; p < nnz; p++)
            s->val[p] /= sqrt(ss);
        s->rowptr[i + 1] = nnz;
    }
    s->m = (skm_csr){rows, groups * 4, s->rowptr, s->col, s->val};
}

Test(km, recovers_planted_groups)
{
    synth s;
    make_synth(&s, 3, 300);
    for (unsigned long seed = 1; seed <= 5; seed++) {
        skm_result *r = NULL;
        err e = {0};
        skm_opts o = {.k = 3, .seed = seed};
        cr_assert_eq(skm_run(&r, &s.m, &o, &e), E_OK, "%s", e.msg);
        cr_assert_eq(r->k, 3);
        cr_expect(r->converged);
        /* Same cluster exactly when same group. */
        for (size_t i = 0; i < 300; i++)
            cr_assert_eq(r->assign[i], r->assign[i % 3], "seed %lu row %zu", seed, i);
        cr_expect_neq(r->assign[0], r->assign[1]);
        cr_expect_neq(r->assign[0], r->assign[2]);
        cr_expect_neq(r->assign[1], r->assign[2]);
        for (unsigned c = 0; c < 3; c++)
            cr_expect_eq(r->size[c], 100);
        double sil;
        cr_assert_eq(skm_silhouette(&s.m, r->assign, r->k, 5000, 7, &sil, &e), E_OK);
        /* Groups share no column: distances across are exactly 1, so s(i) = 1 - a(i) > 0.5. */
        cr_expect_gt(sil, 0.5);
        skm_free(r);
    }
}

Test(km, deterministic)
{
    synth s;
    make_synth(&s, 4, 200);
    skm_result *a = NULL, *b = NULL;
    err e = {0};
    skm_opts o = {.k = 6, .seed = 42};
    cr_assert_eq(skm_run(&a, &s.m, &o, &e), E_OK, "%s", e.msg);
    cr_assert_eq(skm_run(&b, &s.m, &o, &e), E_OK, "%s", e.msg);
    cr_assert_eq(a->k, b->k);
    cr_expect_eq(memcmp(a->assign, b->assign, 200 * sizeof *a->assign), 0);
    cr_expect_eq(memcmp(a->centroid, b->centroid, 16 * a->k * sizeof *a->centroid), 0);
    skm_free(a);
    skm_free(b);
}

/* Silhouette by the definition, pairwise, against the cluster-sum shortcut. */
Test(km, silhouette_matches_pairwise)
{
    synth s;
    make_synth(&s, 3, 60);
    uint32_t assign[60];
    for (size_t i = 0; i < 60; i++)
        assign[i] = (uint32_t)((i * 7) % 4); /* a deliberately poor clustering, k = 4 */
    double dense[60][12] = {{0}};
    for (size_t i = 0; i < 60; i++)
        for (size_t p = s.rowptr[i]; p < s.rowptr[i + 1]; p++)
            dense[i][s.col[p]] = s.val[p];
    double want = 0;
    for (size_t i = 0; i < 60; i++) {
        double sum[4] = {0};
        size_t cnt[4] = {0};
        for (size_t j = 0; j < 60; j++) {
            if (j == i)
                continue;
            double d = 1;
            for (size_t t = 0; t < 12; t++)
                d -= dense[i][t] * dense[j][t];
            sum[assign[j]] += d;
            cnt[assign[j]]++;
        }
        double a = sum[assign[i]] / (double)cnt[assign[i]], b = INFINITY;
        for (unsigned c = 0; c < 4; c++)
            if (c != assign[i] && sum[c] / (double)cnt[c] < b)
                b = sum[c] / (double)cnt[c];
        want += (b - a) / (a > b ? a : b);
    }
    want /= 60;
    double got;
    err e = {0};
    cr_assert_eq(skm_silhouette(&s.m, assign, 4, 5000, 1, &got, &e), E_OK);
    cr_expect(fabs(got - want) < 1e-12, "got %.17g want %.17g", got, want);
}

/* Fewer distinct directions than k: k shrinks instead of leaving empty clusters. */
Test(km, fewer_directions_than_k)
{
    synth s;
    make_synth(&s, 2, 10);
    /* Make every row of a group identical: one column each. */
    for (size_t i = 0; i < 10; i++) {
        s.rowptr[i] = i;
        s.col[i] = (uint32_t)(i % 2);
        s.val[i] = 1;
    }
    s.rowptr[10] = 10;
    skm_result *r = NULL;
    err e = {0};
    skm_opts o = {.k = 5, .seed = 3};
    cr_assert_eq(skm_run(&r, &s.m, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(r->k, 2);
    cr_expect_eq(r->size[0] + r->size[1], 10);
    skm_free(r);
    o.k = 0;
    cr_expect_eq(skm_run(&r, &s.m, &o, &e), E_USAGE);
}

static int cancel_now(void *ctx, double done)
{
    (void)done;
    (*(int *)ctx)++;
    return 1;
}

Test(km, cancel)
{
    synth s;
    make_synth(&s, 3, 90);
    int calls = 0;
    skm_result *r = NULL;
    err e = {0};
    skm_opts o = {.k = 3, .seed = 1, .progress = cancel_now, .ctx = &calls};
    cr_expect_eq(skm_run(&r, &s.m, &o, &e), E_CANCEL);
    cr_expect_null(r);
    cr_expect_eq(calls, 1);
}
