/* Column ranking: mutual information (bits) and Cramer's V of each dimension against the
 * error indicator, on tables worked out by hand in the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "binning.h"
#include "colrank.h"
#include "fl_pipeline.h"
#include "fl_test.h"
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

static const rank_entry *entry_named(const col_ranking *r, const binning *b, const char *name)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(b->dim[r->v[i].dim].name, name) == 0)
            return &r->v[i];
    return NULL;
}

/* 20 rows: g = a on rows 1-10 with 4 errors, g = b on rows 11-20 with 1 error. */
static void two_groups_csv(char *csv, size_t size)
{
    size_t len = (size_t)snprintf(csv, size, "id,g,label,prediction\n");
    for (int i = 1; i <= 20; i++) {
        bool a = i <= 10;
        bool wrong = a ? i <= 4 : i == 11;
        len += (size_t)snprintf(csv + len, size - len, "%d,%s,yes,%s\n", i, a ? "a" : "b",
                                wrong ? "no" : "yes");
    }
}

Test(rank, two_levels_by_hand)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv);
    fixture f;
    setup(&f, csv);
    slice_table t;
    col_ranking r;
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, NULL, 30, NULL), E_OK);
    cr_assert_eq(rank_compute(&r, &f.b, &t, NULL), E_OK);
    const rank_entry *g = entry_named(&r, &f.b, "g");
    cr_assert_not_null(g);
    /* Table (errors, correct): a (4, 6), b (1, 9); N = 20, E = 5.
     * p(a,err) = 0.2, p(a,ok) = 0.3, p(b,err) = 0.05, p(b,ok) = 0.45; p(a) = p(b) = 0.5,
     * p(err) = 0.25, p(ok) = 0.75.
     * I = 0.2 log2(0.2 / 0.125) + 0.3 log2(0.3 / 0.375) + 0.05 log2(0.05 / 0.125)
     *   + 0.45 log2(0.45 / 0.375)
     *   = 0.2 * 0.678072 - 0.3 * 0.321928 - 0.05 * 1.321928 + 0.45 * 0.263034
     *   = 0.135614 - 0.096578 - 0.066096 + 0.118365 = 0.0913050 bits. */
    double want = 0.2 * log2(1.6) + 0.3 * log2(0.8) + 0.05 * log2(0.4) + 0.45 * log2(1.2);
    cr_assert_float_eq(want, 0.09130503043715794, 1e-15);
    cr_assert_float_eq(g->mi, want, 1e-12);
    /* chi2 = N (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)) = 20 * (36 - 6)^2 / (10 * 10 * 5 * 15)
     *      = 18000 / 7500 = 2.4; V = sqrt(2.4 / 20) = sqrt(0.12) = 0.34641 */
    cr_assert_float_eq(g->cramers_v, sqrt(0.12), 1e-12);
    cr_assert_eq(g->nbins, 2);
    cr_assert_eq(g->col, 1);
    /* the outcome dimension encodes the error itself: left out */
    cr_assert_null(entry_named(&r, &f.b, "outcome"));
    /* predicted class: yes (15 rows, 0 errors), no (5 rows, 5 errors) determines the error:
     * I = H(error) = -(0.25 log2 0.25 + 0.75 log2 0.75) = 0.811278 bits, V = 1. It ranks
     * first, and g after it. */
    const rank_entry *pc = entry_named(&r, &f.b, "predicted class");
    cr_assert_float_eq(pc->mi, -(0.25 * log2(0.25) + 0.75 * log2(0.75)), 1e-12);
    cr_assert_float_eq(pc->cramers_v, 1.0, 1e-12);
    cr_assert_eq(pc, &r.v[0]);
    rank_done(&r);
    slc_done(&t);
    teardown(&f);
}

Test(rank, missing_is_a_bin)
{
    /* x: p on 4 rows (no error), q on 4 rows (2 errors), missing on 4 rows (4 errors).
     * N = 12, E = 6, p(err) = 0.5; p(x) = 1/3 each.
     * I = p(p,ok) log2(p(p,ok) / (1/3 * 1/2)) + p(q,err) log2(...) + p(q,ok) log2(...)
     *   + p(miss,err) log2(...)
     *   = 1/3 log2(2) + 1/6 log2(1) + 1/6 log2(1) + 1/3 log2(2) = 2/3 bits.
     * Expected count of every cell 4 * 0.5 = 2; chi2 = (0-2)^2/2 + (4-2)^2/2 + 0 + 0
     * + (4-2)^2/2 + (0-2)^2/2 = 8; V = sqrt(8 / 12) = sqrt(2/3). */
    const char *csv = "x,label,prediction\n"
                      "p,y,y\np,y,y\np,n,n\np,n,n\n"
                      "q,y,n\nq,n,y\nq,y,y\nq,n,n\n"
                      ",y,n\n,y,n\n,n,y\n,n,y\n";
    fixture f;
    setup(&f, csv);
    slice_table t;
    col_ranking r;
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, NULL, 30, NULL), E_OK);
    cr_assert_eq(rank_compute(&r, &f.b, &t, NULL), E_OK);
    const rank_entry *x = entry_named(&r, &f.b, "x");
    cr_assert_float_eq(x->mi, 2.0 / 3.0, 1e-12);
    cr_assert_float_eq(x->cramers_v, sqrt(2.0 / 3.0), 1e-12);
    cr_assert_eq(x->nbins, 3);
    /* the same from per-dimension counts */
    col_ranking r2;
    size_t ne[3] = {0, 2, 4}, no[3] = {4, 2, 0};
    const size_t *nep[8] = {NULL}, *nop[8] = {NULL};
    size_t zero[16] = {0};
    for (size_t d = 0; d < f.b.ndim; d++) {
        bool is_x = strcmp(f.b.dim[d].name, "x") == 0;
        nep[d] = is_x ? ne : zero;
        nop[d] = is_x ? no : zero;
    }
    cr_assert_eq(rank_from_counts(&r2, &f.b, nep, nop, NULL), E_OK);
    const rank_entry *x2 = entry_named(&r2, &f.b, "x");
    cr_assert_float_eq(x2->mi, 2.0 / 3.0, 1e-12);
    cr_assert_eq(x2, &r2.v[0]); /* the other dimensions have empty tables: NAN, last */
    cr_assert(isnan(r2.v[r2.len - 1].mi));
    rank_done(&r2);
    rank_done(&r);
    slc_done(&t);
    teardown(&f);
}

Test(rank, order_is_descending_and_deterministic)
{
    /* a: errors only where a = 1 (perfectly informative among a's rows);
     * b and c: identical columns (equal figures, so dimension order breaks the tie);
     * d: independent of the error (MI 0). */
    const char *csv = "a,b,c,d,label,prediction\n"
                      "1,u,u,s,y,n\n1,u,u,t,n,y\n0,v,v,s,y,y\n0,u,u,t,n,n\n"
                      "0,v,v,s,y,y\n0,v,v,t,n,n\n1,u,u,s,y,n\n0,v,v,t,n,n\n";
    fixture f;
    setup(&f, csv);
    slice_table t;
    col_ranking r;
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, NULL, 30, NULL), E_OK);
    cr_assert_eq(rank_compute(&r, &f.b, &t, NULL), E_OK);
    for (size_t i = 1; i < r.len; i++) {
        const rank_entry *p = &r.v[i - 1], *q = &r.v[i];
        cr_assert(p->mi > q->mi || (p->mi == q->mi && p->cramers_v > q->cramers_v) ||
                      (p->mi == q->mi && p->cramers_v == q->cramers_v && p->dim < q->dim),
                  "entries %zu and %zu out of order", i - 1, i);
    }
    const rank_entry *b = entry_named(&r, &f.b, "b"), *c = entry_named(&r, &f.b, "c");
    cr_assert_eq(b->mi, c->mi);
    cr_assert(b < c);
    /* d = s on rows 1, 3, 5, 7 (errors on rows 1 and 7), t on rows 2, 4, 6, 8 (an error on
     * row 2): tables (2, 2) and (1, 3), N = 8, E = 3 */
    const rank_entry *d = entry_named(&r, &f.b, "d");
    double N = 8, E = 3;
    double want = 2 / N * log2(2 * N / (4 * E)) + 2 / N * log2(2 * N / (4 * (N - E))) +
                  1 / N * log2(1 * N / (4 * E)) + 3 / N * log2(3 * N / (4 * (N - E)));
    cr_assert_float_eq(d->mi, want, 1e-12);
    rank_done(&r);
    slc_done(&t);
    teardown(&f);
}

Test(rank, selection_changes_the_ranking)
{
    char csv[2048];
    two_groups_csv(csv, sizeof csv);
    fixture f;
    setup(&f, csv);
    bitmap sel;
    cr_assert_eq(bm_init(&sel, 20, false, NULL), E_OK);
    for (size_t i = 0; i < 10; i++) /* only g = a: g carries no information any more */
        bm_set(&sel, i);
    slice_table t;
    col_ranking r;
    cr_assert_eq(slc_compute(&t, &f.b, &f.o, &sel, 30, NULL), E_OK);
    cr_assert_eq(rank_compute(&r, &f.b, &t, NULL), E_OK);
    const rank_entry *g = entry_named(&r, &f.b, "g");
    cr_assert_float_eq(g->mi, 0.0, 1e-15);
    cr_assert_float_eq(g->cramers_v, 0.0, 1e-15);
    cr_assert_eq(g->nbins, 1);
    col_ranking copy;
    cr_assert_eq(rank_copy(&copy, &r, NULL), E_OK);
    cr_assert_eq(copy.len, r.len);
    cr_assert_eq(memcmp(copy.v, r.v, r.len * sizeof *r.v), 0);
    rank_done(&copy);
    rank_done(&r);
    slc_done(&t);
    bm_done(&sel);
    teardown(&f);
}
