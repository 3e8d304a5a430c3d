/* cluster: the driver on planted data: text groups with disjoint vocabularies, tabular
 * groups, embedding directions; k chosen by the silhouette; keywords, confusions, shares and
 * representatives checked against what was planted; determinism; empty and bad cases. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "fl_pipeline.h"
#include "loader.h"
#include "strbuf.h"

/* Three themes of error texts, 12 rows each, interleaved; plus 40 correct rows that talk
 * about something else. Theme words repeat so that each passes the 5-occurrence floor. */
static const char *const THEME[3][4] = {
    {"refund", "invoice", "payment", "charged"},
    {"password", "login", "locked", "reset"},
    {"delivery", "parcel", "courier", "tracking"},
};
/* Labels: theme 0 rows are billing -> account errors, theme 1 account -> shipping, theme 2
 * shipping -> billing; correct rows are "other". */
static const char *const TRUE_OF[3] = {"billing", "account", "shipping"};
static const char *const PRED_OF[3] = {"account", "shipping", "billing"};

static char *planted_text_csv(void)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "id,label,pred,body\n");
    for (int i = 0; i < 36; i++) {
        int g = i % 3;
        const char *const *w = THEME[g];
        /* Each row uses its theme's four words, repeated by a pattern that differs for each
         * of the theme's 12 rows, so that rows of a theme are alike, never identical. */
        int j = i / 3, times[4] = {1 + j % 4, 1 + (j / 4) % 3, 1 + j % 3, 2};
        sb_printf(&sb, "r%d,%s,%s,\"", i, TRUE_OF[g], PRED_OF[g]);
        for (int t = 0; t < 4; t++)
            for (int k = 0; k < times[t]; k++)
                sb_printf(&sb, "%s ", w[t]);
        sb_printf(&sb, "\"\n");
    }
    for (int i = 0; i < 40; i++)
        sb_printf(&sb, "c%d,other,other,\"general question about opening hours and weather %d\"\n",
                   i, i % 2);
    return sb_take(&sb);
}

/* Loads csv with "body" as the free-text column (short planted texts would otherwise be
 * read as categories). */
static void load_text(fl_pipeline *p, const char *csv)
{
    static const char *const text[] = {"body"};
    ld_opts lo;
    ld_opts_init(&lo);
    lo.text_cols = text;
    lo.ntext_cols = 1;
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_mem(&ds, "planted.csv", csv, strlen(csv), &lo, &e), E_OK, "%s", e.msg);
    fl_pipeline_from(p, ds);
}

static void run_text(fl_pipeline *p, clu_result *res, unsigned k, unsigned long seed)
{
    clu_opts o;
    clu_opts_init(&o);
    o.k = k;
    o.seed = seed;
    err e = {0};
    cr_assert_eq(clu_run(res, p->ds, &p->r, &p->o, &p->b, NULL, &o, &e), E_OK, "%s", e.msg);
}

/* Which planted theme a data row belongs to (rows 0..35 are errors, row i in theme i % 3). */
static int theme_of(uint32_t row)
{
    return (int)(row % 3);
}

static void expect_planted(const clu_result *res, const char *const *p_classes)
{
    cr_assert_eq(res->k, 3);
    cr_expect_eq(res->method, CLU_METHOD_TEXT);
    cr_expect_eq(res->nrows, 36);
    cr_expect_eq(res->nerrors, 36);
    cr_expect_eq(res->nreference, 40);
    cr_expect_eq(res->nunclustered, 0);
    bool seen[3] = {false, false, false};
    for (unsigned c = 0; c < 3; c++) {
        const clu_cluster *cl = &res->c[c];
        cr_assert_eq(cl->size, 12, "cluster %u has %zu rows", c, cl->size);
        int g = theme_of(cl->rows[0]);
        for (size_t i = 0; i < cl->size; i++)
            cr_expect_eq(theme_of(cl->rows[i]), g, "cluster %u mixes themes", c);
        cr_expect(!seen[g]);
        seen[g] = true;
        cr_expect_eq(cl->errors, 12);
        cr_expect(fabs(cl->error_share - 1.0 / 3.0) < 1e-12);
        cr_expect(fabs(cl->error_rate - 1.0) < 1e-12);
        /* One confusion pair per theme, all 12 rows. */
        cr_assert_eq(cl->ntop, 1);
        cr_expect_eq(cl->top[0].count, 12);
        cr_expect_str_eq(p_classes[cl->top[0].y], TRUE_OF[g]);
        cr_expect_str_eq(p_classes[cl->top[0].yhat], PRED_OF[g]);
        /* Keywords: the theme's own words, and only those (each occurs >= 9 times). */
        cr_assert_geq(cl->nkw, 1);
        for (unsigned t = 0; t < cl->nkw; t++) {
            bool own = false;
            for (int w = 0; w < 4; w++)
                own |= strcmp(cl->kw[t].text, THEME[g][w]) == 0;
            cr_expect(own, "cluster of theme %d has keyword %s", g, cl->kw[t].text);
            cr_expect_gt(cl->kw[t].score, 0);
            cr_expect_geq(cl->kw[t].count, 5);
        }
        cr_assert_eq(cl->nrep, 3);
        for (unsigned j = 0; j < 3; j++)
            cr_expect_eq(theme_of(cl->rep[j]), g);
    }
}

Test(cluster, text_groups_recovered_with_fixed_k)
{
    char *csv = planted_text_csv();
    fl_pipeline p;
    load_text(&p, csv);
    clu_result res;
    run_text(&p, &res, 3, 1);
    expect_planted(&res, (const char *const *)p.r.classes);
    cr_expect(!res.k_chosen);
    clu_done(&res);
    fl_pipeline_done(&p);
    free(csv);
}

Test(cluster, k_chosen_by_silhouette_is_three)
{
    char *csv = planted_text_csv();
    fl_pipeline p;
    load_text(&p, csv);
    clu_result res;
    run_text(&p, &res, 0, 1);
    cr_expect(res.k_chosen);
    cr_expect_eq(res.k, 3, "k %u, silhouettes %g %g %g %g", res.k, res.sil_by_k[2],
                 res.sil_by_k[3], res.sil_by_k[4], res.sil_by_k[5]);
    expect_planted(&res, (const char *const *)p.r.classes);
    /* Three orthogonal themes: silhouette of k = 3 beats every other k tried. */
    for (unsigned k = CLU_K_MIN; k <= CLU_K_MAX; k++)
        if (k != 3 && !isnan(res.sil_by_k[k]))
            cr_expect_lt(res.sil_by_k[k], res.sil_by_k[3], "k = %u", k);
    clu_done(&res);
    fl_pipeline_done(&p);
    free(csv);
}

Test(cluster, deterministic_for_a_seed)
{
    char *csv = planted_text_csv();
    fl_pipeline p;
    load_text(&p, csv);
    clu_result a, b;
    run_text(&p, &a, 4, 7);
    run_text(&p, &b, 4, 7);
    cr_assert_eq(a.k, b.k);
    for (unsigned c = 0; c < a.k; c++) {
        cr_assert_eq(a.c[c].size, b.c[c].size);
        cr_expect_eq(memcmp(a.c[c].rows, b.c[c].rows, a.c[c].size * sizeof(uint32_t)), 0);
        cr_assert_eq(a.c[c].nkw, b.c[c].nkw);
        for (unsigned t = 0; t < a.c[c].nkw; t++) {
            cr_expect_str_eq(a.c[c].kw[t].text, b.c[c].kw[t].text);
            cr_expect_eq(a.c[c].kw[t].score, b.c[c].kw[t].score);
        }
        cr_expect_eq(memcmp(a.c[c].rep, b.c[c].rep, sizeof a.c[c].rep), 0);
    }
    cr_expect_eq(a.silhouette, b.silhouette);
    clu_done(&a);
    clu_done(&b);
    fl_pipeline_done(&p);
    free(csv);
}

/* All rows: the 40 correct rows form their own cluster, error rate 0; the themes keep 1. */
Test(cluster, all_rows_have_error_rates)
{
    char *csv = planted_text_csv();
    fl_pipeline p;
    load_text(&p, csv);
    clu_opts o;
    clu_opts_init(&o);
    o.k = 4;
    o.all_rows = true;
    clu_result res;
    err e = {0};
    cr_assert_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_OK, "%s", e.msg);
    cr_assert_eq(res.k, 4);
    cr_expect_eq(res.nrows, 76);
    size_t total = 0, errors = 0;
    for (unsigned c = 0; c < 4; c++) {
        total += res.c[c].size;
        errors += res.c[c].errors;
        cr_expect(fabs(res.c[c].error_rate - (double)res.c[c].errors / res.c[c].size) < 1e-12);
    }
    cr_expect_eq(total, 76);
    cr_expect_eq(errors, 36);
    cr_expect_eq(res.c[0].size, 40); /* largest first */
    cr_expect_eq(res.c[0].errors, 0);
    clu_done(&res);
    fl_pipeline_done(&p);
    free(csv);
}

/* A selection: only the rows of theme 1 are selected, so one error pair, shares over 12. */
Test(cluster, selection_limits_rows)
{
    char *csv = planted_text_csv();
    fl_pipeline p;
    load_text(&p, csv);
    bitmap sel;
    err e = {0};
    cr_assert_eq(bm_init(&sel, p.ds->nrows, false, &e), E_OK);
    for (uint32_t i = 0; i < 36; i++)
        if (theme_of(i) == 1)
            bm_set(&sel, i);
    clu_opts o;
    clu_opts_init(&o);
    o.k = 2;
    clu_result res;
    cr_assert_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, &sel, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(res.nerrors, 12);
    cr_expect_eq(res.nreference, 0);
    size_t total = 0;
    double share = 0;
    for (unsigned c = 0; c < res.k; c++) {
        total += res.c[c].size;
        share += res.c[c].error_share;
        for (size_t i = 0; i < res.c[c].size; i++)
            cr_expect_eq(theme_of(res.c[c].rows[i]), 1);
    }
    cr_expect_eq(total, 12);
    cr_expect(fabs(share - 1.0) < 1e-12);
    clu_done(&res);
    bm_done(&sel);
    fl_pipeline_done(&p);
    free(csv);
}

/* Tabular: two planted groups of errors, one in region "north" with small x, one in "south"
 * with large x; the keywords are the planted conditions. */
Test(cluster, tabular_groups_and_conditions)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "label,pred,region,x\n");
    for (int i = 0; i < 60; i++) {
        bool north = i % 2 == 0;
        sb_printf(&sb, "a,b,%s,%d\n", north ? "north" : "south", north ? 1 + i % 3 : 100 + i % 4);
    }
    for (int i = 0; i < 60; i++)
        sb_printf(&sb, "a,a,%s,%d\n", i % 3 == 0 ? "north" : (i % 3 == 1 ? "south" : "east"),
                   40 + i % 7);
    char *csv = sb_take(&sb);
    fl_pipeline p;
    fl_pipeline_str(&p, csv);
    clu_opts o;
    clu_opts_init(&o);
    o.k = 2;
    clu_result res;
    err e = {0};
    cr_assert_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(res.method, CLU_METHOD_TABULAR);
    cr_assert_eq(res.k, 2);
    for (unsigned c = 0; c < 2; c++) {
        cr_assert_eq(res.c[c].size, 30);
        int parity = (int)(res.c[c].rows[0] % 2);
        for (size_t i = 0; i < 30; i++)
            cr_expect_eq((int)(res.c[c].rows[i] % 2), parity);
        const char *want = parity == 0 ? "region = north" : "region = south";
        bool found = false;
        for (unsigned t = 0; t < res.c[c].nkw; t++)
            found |= strcmp(res.c[c].kw[t].text, want) == 0;
        cr_expect(found, "cluster %u lacks the keyword %s", c, want);
    }
    clu_done(&res);
    fl_pipeline_done(&p);
    free(csv);
}

/* Embedding columns e_0, e_1, e_2, e_10 (the prefix takes any number; e_10 is all zero):
 * three planted directions. "other" is not part of the embedding. */
Test(cluster, embedding_directions)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "label,pred,e_0,e_1,e_2,e_10,other\n");
    for (int i = 0; i < 30; i++) {
        int g = i % 3;
        /* Every row a different point near its group's axis. */
        double v[3] = {0.1 * (i % 4), 0.1 * ((i / 3) % 5), 0.1 * ((i * 7) % 6)};
        v[g] = 5.0 + 0.3 * (i % 7);
        sb_printf(&sb, "a,b,%g,%g,%g,0,%d\n", v[0], v[1], v[2], i);
    }
    char *csv = sb_take(&sb);
    fl_pipeline p;
    fl_pipeline_str(&p, csv);
    clu_opts o;
    clu_opts_init(&o);
    o.embedding = "e_";
    clu_result res;
    err e = {0};
    cr_assert_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(res.method, CLU_METHOD_EMBEDDING);
    cr_expect_eq(res.nfeatures, 4);
    cr_assert_eq(res.k, 3, "k %u, silhouettes %g %g %g %g", res.k, res.sil_by_k[2], res.sil_by_k[3],
                 res.sil_by_k[4], res.sil_by_k[5]); /* chosen */
    for (unsigned c = 0; c < 3; c++) {
        cr_assert_eq(res.c[c].size, 10);
        for (size_t i = 0; i < 10; i++)
            cr_expect_eq(res.c[c].rows[i] % 3, res.c[c].rows[0] % 3);
    }
    clu_done(&res);
    o.embedding = "emb_";
    cr_expect_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_USAGE);
    cr_expect(strstr(e.msg, "emb_") != NULL, "%s", e.msg);
    clu_done(&res);
    fl_pipeline_done(&p);
    free(csv);
}

/* No errors: no clusters and a note; too many clusters asked: E_USAGE; k larger than the
 * rows: one cluster per distinct row at most. Empty texts are unclustered. */
Test(cluster, edge_cases)
{
    fl_pipeline p;
    load_text(&p, "label,pred,body\na,a,hello world\nb,b,other words\n");
    clu_result res;
    clu_opts o;
    clu_opts_init(&o);
    err e = {0};
    cr_assert_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(res.k, 0);
    cr_expect_str_eq(res.note, "no error in the selection");
    clu_done(&res);
    o.k = CLU_K_LIMIT + 1;
    cr_expect_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_USAGE);
    clu_done(&res);
    fl_pipeline_done(&p);

    load_text(&p, "label,pred,body\n"
                        "a,b,alpha beta\na,b,alpha beta\na,b,\na,b,\"!!! ...\"\nb,b,zeta\n");
    clu_opts_init(&o);
    o.k = 5;
    cr_assert_eq(clu_run(&res, p.ds, &p.r, &p.o, &p.b, NULL, &o, &e), E_OK, "%s", e.msg);
    cr_expect_eq(res.nrows, 4);
    cr_expect_eq(res.nunclustered, 2); /* the missing text and the one with no word */
    cr_expect_eq(res.k, 1);            /* two identical texts: one direction */
    cr_expect_eq(res.c[0].size, 2);
    clu_done(&res);
    fl_pipeline_done(&p);
}
