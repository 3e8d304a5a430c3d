/* The filter fields of issue 7 on a hand-made file: pred2, error2, fixed and broken from a
 * second prediction column (compare.h's cmp_second, as --pred2 builds it), the error
 * categories as true/false fields (categories.h), the engine passing both to the filters it
 * compiles, and the errors when they are not there. Results are one character per row. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "categories.h"
#include "compare.h"
#include "engine.h"
#include "filter.h"
#include "fl_pipeline.h"

/* Eight rows. A = pred, B = pred_b:
 *   row  label pred pred_b  A  B   state         conf  margin
 *   1    p     p    p       ok ok  both right    0.9   0.8
 *   2    p     n    p       x  ok  fixed         0.7   0.4   (pred n with prob_p 0.3)
 *   3    n     n    p       ok x   broken        0.55  0.1   (not < 0.1: not boundary)
 *   4    n     p    p       x  x   both wrong    0.85  0.7   confidently wrong
 *   5    p     p    n       ok x   broken        0.52  0.04  unsure, boundary
 *   6    n     n    n       ok ok  both right    0.95  0.9
 *   7    p     n    n       x  x   both wrong    0.58  0.16  unsure
 *   8    n     n              ok ?  unknown B    0.6   0.2   (0.6 is not < 0.6) */
static const char CSV[] = "id,label,pred,pred_b,prob_p,prob_n\n"
                          "1,p,p,p,0.9,0.1\n"
                          "2,p,n,p,0.3,0.7\n"
                          "3,n,n,p,0.45,0.55\n"
                          "4,n,p,p,0.85,0.15\n"
                          "5,p,p,n,0.52,0.48\n"
                          "6,n,n,n,0.05,0.95\n"
                          "7,p,n,n,0.42,0.58\n"
                          "8,n,n,,0.4,0.6\n";

typedef struct fixture {
    fl_pipeline p;
    cmp_second s;
    cat_result c;
    flt_compare fc;
    flt_ctx ctx;
    char bits[64];
} fixture;

static void setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    fl_pipeline_str(&f->p, CSV);
    err e = {0};
    int col = ds_col_find(f->p.ds, "pred_b");
    cr_assert_geq(col, 0);
    cr_assert_eq(cmp_second_from_column(&f->s, f->p.ds, &f->p.r, &f->p.o, col, &e), E_OK, "%s",
                 e.msg);
    cr_assert_eq(cat_compute(&f->c, &f->p.o, NULL, NULL, &e), E_OK, "%s", e.msg);
    f->fc = (flt_compare){.yhat = f->s.yhat, .err = f->s.err, .col = col};
    f->ctx = (flt_ctx){.ds = f->p.ds, .r = &f->p.r, .o = &f->p.o, .compare = &f->fc,
                       .categories = f->c.bits};
}

static void teardown(fixture *f)
{
    cat_done(&f->c);
    cmp_second_done(&f->s);
    fl_pipeline_done(&f->p);
}

static const char *sel(fixture *f, const flt_ctx *ctx, const char *expr)
{
    filter *flt = NULL;
    err e = {0};
    flt_error w = {0};
    cr_assert_eq(flt_compile(&flt, expr, ctx, &e, &w), E_OK, "%s -> %s", expr, e.msg);
    bitmap bm;
    cr_assert_eq(bm_init(&bm, f->p.ds->nrows, false, &e), E_OK);
    cr_assert_eq(flt_eval(flt, &bm, &e), E_OK, "%s", e.msg);
    for (size_t i = 0; i < f->p.ds->nrows; i++)
        f->bits[i] = bm_get(&bm, i) ? '1' : '0';
    f->bits[f->p.ds->nrows] = '\0';
    bm_done(&bm);
    flt_free(flt);
    return f->bits;
}

Test(filter_decisions, second_model_fields)
{
    fixture f;
    setup(&f);
    cr_expect_str_eq(sel(&f, &f.ctx, "fixed"), "01000000");
    cr_expect_str_eq(sel(&f, &f.ctx, "broken"), "00101000");
    cr_expect_str_eq(sel(&f, &f.ctx, "error2"), "00111010");
    cr_expect_str_eq(sel(&f, &f.ctx, "!error2"), "11000101"); /* row 8: unknown, negated */
    cr_expect_str_eq(sel(&f, &f.ctx, "pred2 == p"), "11110000");
    cr_expect_str_eq(sel(&f, &f.ctx, "pred2 != pred"), "01101000"); /* row 8: missing */
    cr_expect_str_eq(sel(&f, &f.ctx, "missing(pred2)"), "00000001");
    cr_expect_str_eq(sel(&f, &f.ctx, "error && error2"), "00010010");
    cr_expect_str_eq(sel(&f, &f.ctx, "fixed || broken"), "01101000");
    teardown(&f);
}

Test(filter_decisions, category_fields)
{
    fixture f;
    setup(&f);
    cr_expect_str_eq(sel(&f, &f.ctx, "confidently_wrong"), "00010000");
    cr_expect_str_eq(sel(&f, &f.ctx, "unsure"), "00101010");
    cr_expect_str_eq(sel(&f, &f.ctx, "boundary"), "00001000");
    cr_expect_str_eq(sel(&f, &f.ctx, "unsure && !boundary"), "00100010");
    /* no class under 5% of the labelled rows, no outlier bitmap given */
    cr_expect_str_eq(sel(&f, &f.ctx, "rare_class_error || outlier"), "00000000");
    teardown(&f);
}

/* The filter names of the categories are the categories' own names. */
Test(filter_decisions, category_names_match)
{
    fixture f;
    setup(&f);
    for (int k = 0; k < CAT_COUNT; k++) {
        const char *out[4];
        size_t n = flt_complete(&f.ctx, cat_name((cat_kind)k), out, 4);
        cr_expect_geq(n, 1, "%s", cat_name((cat_kind)k));
        cr_expect_str_eq(out[0], cat_name((cat_kind)k));
    }
    const char *out[4];
    cr_expect_eq(flt_complete(&f.ctx, "fix", out, 4), 1);
    cr_expect_str_eq(out[0], "fixed");
    teardown(&f);
}

Test(filter_decisions, unavailable_without_context)
{
    fixture f;
    setup(&f);
    flt_ctx bare = {.ds = f.p.ds, .r = &f.p.r, .o = &f.p.o};
    static const char *const names[] = {"fixed", "broken", "error2", "pred2 == p", "unsure",
                                        "outlier"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        filter *flt = NULL;
        err e = {0};
        flt_error w = {0};
        cr_expect_eq(flt_compile(&flt, names[i], &bare, &e, &w), E_TYPE, "%s", names[i]);
        cr_expect(strstr(e.msg, "not available"), "%s: %s", names[i], e.msg);
        cr_expect_eq(w.pos, 0);
    }
    const char *out[4];
    cr_expect_eq(flt_complete(&bare, "fix", out, 4), 0);
    teardown(&f);
}

/* A real column named like a field wins, as for label. */
Test(filter_decisions, column_named_fixed_wins)
{
    fl_pipeline p;
    fl_pipeline_str(&p, "label,pred,fixed\na,a,1\nb,a,0\na,b,1\n");
    cat_result c;
    err e = {0};
    cr_assert_eq(cat_compute(&c, &p.o, NULL, NULL, &e), E_OK);
    uint8_t err2[3] = {OUT_ERROR, OUT_CORRECT, OUT_ERROR};
    uint32_t yhat2[3] = {1, 0, 1};
    flt_compare fc = {.yhat = yhat2, .err = err2, .col = -1};
    flt_ctx ctx = {.ds = p.ds, .r = &p.r, .o = &p.o, .compare = &fc, .categories = c.bits};
    filter *flt = NULL;
    cr_assert_eq(flt_compile(&flt, "fixed == 1", &ctx, &e, NULL), E_OK, "%s", e.msg);
    bitmap bm;
    cr_assert_eq(bm_init(&bm, 3, false, &e), E_OK);
    cr_assert_eq(flt_eval(flt, &bm, &e), E_OK);
    cr_expect(bm_get(&bm, 0) && !bm_get(&bm, 1) && bm_get(&bm, 2));
    bm_done(&bm);
    flt_free(flt);
    /* broken: right in A (row 1: a -> a), wrong in B */
    cr_assert_eq(flt_compile(&flt, "broken", &ctx, &e, NULL), E_OK, "%s", e.msg);
    cr_assert_eq(bm_init(&bm, 3, false, &e), E_OK);
    cr_assert_eq(flt_eval(flt, &bm, &e), E_OK);
    cr_expect(bm_get(&bm, 0) && !bm_get(&bm, 1) && !bm_get(&bm, 2));
    bm_done(&bm);
    flt_free(flt);
    cat_done(&c);
    fl_pipeline_done(&p);
}

/* The engine hands the comparison and the categories to the filters it compiles. */
Test(filter_decisions, engine_context)
{
    fixture f;
    setup(&f);
    engine *eng;
    eng_opts eo;
    eng_opts_init(&eo);
    err e = {0};
    cr_assert_eq(eng_new(&eng, f.p.ds, &f.p.r, &f.p.o, &f.p.b, &eo, &e), E_OK, "%s", e.msg);
    flt_error w;
    cr_expect_eq(eng_push_filter(eng, "fixed", &e, &w), E_TYPE);
    eng_set_compare(eng, &f.fc);
    eng_set_categories(eng, f.c.bits);
    cr_assert_eq(eng_push_filter(eng, "broken || unsure", &e, &w), E_OK, "%s", e.msg);
    cr_assert_eq(eng_recompute(eng, &e), E_OK, "%s", e.msg);
    cr_expect_eq(eng_current(eng)->nsel, 3); /* rows 3, 5 broken and unsure, 7 unsure */
    flt_ctx ctx = eng_filter_ctx(eng);
    cr_expect_eq(ctx.compare, &f.fc);
    cr_expect_eq(ctx.categories, f.c.bits);
    eng_free(eng);
    teardown(&f);
}
