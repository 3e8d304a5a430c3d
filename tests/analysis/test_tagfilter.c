/* Tags in the analysis: the filter language's tag, tagged, untagged and note; the engine
 * re-evaluating tag filters when tags change; and tag slices against hand-counted values. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "fl_pipeline.h"
#include "fl_test.h"
#include "stats.h"
#include "tags.h"
#include "tagview.h"

/* Eight rows; rows 1, 3, 4, 6 (0-based) are errors. */
static const char DATA[] = "id,label,pred,x\n"
                           "a,p,p,1\nb,p,n,2\nc,n,n,3\nd,n,p,4\n"
                           "e,p,n,5\nf,n,n,6\ng,p,n,7\nh,n,n,8\n";

typedef struct fixture {
    char dir[64], data[96], journal[96];
    fl_pipeline p;
    tag_state *t;
    tag_view v;
} fixture;

static void setup(fixture *f)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/fl-tagfilter-XXXXXX");
    cr_assert_not_null(mkdtemp(f->dir));
    snprintf(f->data, sizeof f->data, "%s/d.csv", f->dir);
    snprintf(f->journal, sizeof f->journal, "%s/j.jsonl", f->dir);
    FILE *fp = fopen(f->data, "w");
    cr_assert_not_null(fp);
    fputs(DATA, fp);
    fclose(fp);
    fl_pipeline_from(&f->p, fl_load_file(f->data));
    tg_opts o = {f->journal, NULL, "ana", 0, false};
    tg_load_report rep;
    err e = {0};
    cr_assert_eq(tg_open(&f->t, f->p.ds, &o, &rep, &e), E_OK, "%s", e.msg);
    cr_assert_eq(tv_init(&f->v, f->p.ds->nrows, &e), E_OK);
    /* b: mislabeled; d: mislabeled + ambiguous; e: ambiguous; f: note only; g: data-issue */
    cr_assert_eq(tg_toggle(f->t, 1, 0, &e), E_OK);
    cr_assert_eq(tg_toggle(f->t, 3, 0, &e), E_OK);
    cr_assert_eq(tg_toggle(f->t, 3, 1, &e), E_OK);
    cr_assert_eq(tg_toggle(f->t, 4, 1, &e), E_OK);
    cr_assert_eq(tg_set_note(f->t, 5, "Label looks WRONG to me", &e), E_OK);
    cr_assert_eq(tg_toggle(f->t, 6, 4, &e), E_OK);
    cr_assert_eq(tv_sync(&f->v, f->t, &e), E_OK);
}

static void teardown(fixture *f)
{
    tv_done(&f->v);
    tg_close(f->t);
    fl_pipeline_done(&f->p);
    unlink(f->data);
    unlink(f->journal);
    rmdir(f->dir);
}

/* The rows a filter selects, as a string of 0/1 per row. */
static void selects(fixture *f, const char *expr, const char *want)
{
    flt_ctx c = {.ds = f->p.ds, .r = &f->p.r, .o = &f->p.o, .tags = &f->v.ft};
    filter *flt = NULL;
    err e = {0};
    cr_assert_eq(flt_compile(&flt, expr, &c, &e, NULL), E_OK, "%s: %s", expr, e.msg);
    bitmap bm;
    cr_assert_eq(bm_init(&bm, f->p.ds->nrows, false, &e), E_OK);
    cr_assert_eq(flt_eval(flt, &bm, &e), E_OK);
    char got[16] = "";
    for (size_t i = 0; i < f->p.ds->nrows; i++)
        got[i] = bm_get(&bm, i) ? '1' : '0';
    cr_expect_str_eq(got, want, "%s", expr);
    cr_expect(flt_uses_tags(flt), "%s", expr);
    bm_done(&bm);
    flt_free(flt);
}

static void refused(fixture *f, const char *expr, err_code code, const char *part)
{
    flt_ctx c = {.ds = f->p.ds, .r = &f->p.r, .o = &f->p.o, .tags = &f->v.ft};
    filter *flt = NULL;
    err e = {0};
    cr_expect_eq(flt_compile(&flt, expr, &c, &e, NULL), code, "%s: %s", expr, e.msg);
    cr_expect(strstr(e.msg, part) != NULL, "%s: %s", expr, e.msg);
}

Test(tagfilter, tag_tagged_untagged_note)
{
    fixture f;
    setup(&f);
    selects(&f, "tag == \"mislabeled\"", "01010000");
    selects(&f, "tag == mislabeled", "01010000");
    selects(&f, "tag != \"mislabeled\"", "10101111");
    selects(&f, "tag in {ambiguous, data-issue}", "00011010");
    selects(&f, "tag not in {mislabeled}", "10101111");
    selects(&f, "tagged", "01011010"); /* a note alone does not tag a row */
    selects(&f, "untagged", "10100101");
    selects(&f, "note =~ /wrong/i", "00000100");
    selects(&f, "tagged && error", "01011010");
    selects(&f, "!tagged && x > 2", "00100101");
    teardown(&f);
}

Test(tagfilter, mistakes_are_explained)
{
    fixture f;
    setup(&f);
    refused(&f, "tag == \"mislabelled\"", E_PARSE, "the tags are mislabeled, ambiguous");
    refused(&f, "tag > \"a\"", E_TYPE, "tag takes ==, != or in");
    refused(&f, "tag =~ /mis/", E_TYPE, "note =~");
    refused(&f, "len(tag) > 3", E_TYPE, "tagged or untagged");
    refused(&f, "tag == label", E_TYPE, "tag names");
    flt_ctx c = {.ds = f.p.ds, .r = &f.p.r, .o = &f.p.o};
    filter *flt = NULL;
    err e = {0};
    cr_expect_eq(flt_compile(&flt, "tagged", &c, &e, NULL), E_TYPE);
    cr_expect(strstr(e.msg, "tag journal") != NULL, "%s", e.msg);
    teardown(&f);
}

/* A pushed tag filter follows the tags once the engine is told they changed. */
Test(tagfilter, engine_follows_tag_changes)
{
    fixture f;
    setup(&f);
    eng_opts o;
    eng_opts_init(&o);
    engine *eng = NULL;
    err e = {0};
    cr_assert_eq(eng_new(&eng, f.p.ds, &f.p.r, &f.p.o, &f.p.b, &o, &e), E_OK, "%s", e.msg);
    eng_set_tags(eng, &f.v.ft);
    cr_assert_eq(eng_push_filter(eng, "tag == mislabeled", &e, NULL), E_OK, "%s", e.msg);
    cr_assert_eq(eng_push_filter(eng, "x > 0", &e, NULL), E_OK);
    cr_assert_eq(eng_recompute(eng, &e), E_OK);
    cr_expect_eq(eng_current(eng)->nsel, 2);
    cr_assert_eq(tg_toggle(f.t, 6, 0, &e), E_OK); /* g becomes mislabeled too */
    cr_assert_eq(tv_sync(&f.v, f.t, &e), E_OK);
    cr_assert_eq(eng_tags_changed(eng, &e), E_OK);
    cr_expect_eq(eng_dirty(eng) & ENG_DIRTY_SEL, ENG_DIRTY_SEL);
    cr_assert_eq(eng_recompute(eng, &e), E_OK);
    cr_expect_eq(eng_current(eng)->nsel, 3);
    cr_expect_eq(eng_filter_rows(eng, 0), 3);
    eng_free(eng);
    teardown(&f);
}

/* Tag slices over all 8 rows (E = 4 errors, N = 8): mislabeled holds b and d, both errors:
 * rate 1, lift 1 / 0.5 = 2; ambiguous holds d and e (errors): the same; data-issue g (error);
 * any tag: b, d, e, g = 4 rows, 4 errors; untagged: 4 rows, 0 errors (f's note is no tag). */
Test(tagfilter, slices_by_tag)
{
    fixture f;
    setup(&f);
    tag_slice s[TG_MAX_TAGS + 2];
    size_t n;
    tv_slices(f.t, &f.p.o, NULL, 3, s, &n);
    cr_assert_eq(n, 8);
    cr_expect_eq(s[0].tag, 0);
    cr_expect_eq(s[0].n, 2);
    cr_expect_eq(s[0].nerr, 2);
    cr_expect(fabs(s[0].lift - 2.0) < 1e-12);
    cr_expect(s[0].small);
    double lo, hi;
    st_wilson(2, 2, &lo, &hi);
    cr_expect(fabs(s[0].lo - lo) < 1e-12 && fabs(s[0].hi - hi) < 1e-12);
    cr_expect(fabs(s[0].p - st_slice_p_two_sided(2, 2, 4, 8)) < 1e-15);
    cr_expect_eq(s[1].n, 2);
    cr_expect_eq(s[4].n, 1);
    cr_expect_eq(s[2].n, 0);
    cr_expect(isnan(s[2].rate));
    cr_expect_eq(s[6].tag, -1);
    cr_expect_eq(s[6].n, 4);
    cr_expect_eq(s[6].nerr, 4);
    cr_expect_eq(s[7].tag, -2);
    cr_expect_eq(s[7].n, 4);
    cr_expect_eq(s[7].nerr, 0);
    /* Within a selection of rows a..d (two errors: b, d): mislabeled = both. */
    bitmap sel;
    err e = {0};
    cr_assert_eq(bm_init(&sel, 8, false, &e), E_OK);
    for (size_t i = 0; i < 4; i++)
        bm_set(&sel, i);
    tv_slices(f.t, &f.p.o, &sel, 3, s, &n);
    cr_expect_eq(s[0].n, 2);
    cr_expect(fabs(s[0].lift - 2.0) < 1e-12); /* 1 / (2 / 4) */
    cr_expect_eq(s[7].n, 2);
    bm_done(&sel);
    teardown(&f);
}
