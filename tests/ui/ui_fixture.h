/* The explorer's test fixture: a small binary classification file made from a formula
 * (errors concentrate in group gamma with long messages), loaded through ld_csv_mem, with
 * its engine and a pane_env as the explorer builds them. Header-only: each tests/ui file is
 * its own executable. */
#ifndef TESTS_UI_FIXTURE_H
#define TESTS_UI_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "canvas.h"
#include "engine.h"
#include "fl_pipeline.h"
#include "loader.h"
#include "pane.h"

typedef struct ui_fix {
    fl_pipeline p;
    engine *eng;
    pane_env env;
} ui_fix;

static inline void fix_csv(char *buf, size_t size)
{
    static const char *const G[] = {"alpha", "beta", "gamma"};
    size_t len = (size_t)snprintf(buf, size, "id,grp,length,body,label,prediction,prob_spam,prob_ham\n");
    for (int i = 0; i < 120; i++) {
        const char *g = G[i % 3];
        int length = (i * 37) % 500;
        bool spam = i % 2;
        bool wrong = (i % 3 == 2 && length > 250) || i % 17 == 0;
        bool pspam = wrong ? !spam : spam;
        double p = pspam ? 0.55 + (i % 4) * 0.12 : 0.45 - (i % 4) * 0.12;
        len += (size_t)snprintf(buf + len, size - len,
                                "m%03d,%s,%d,\"msg %d: %s%s\",%s,%s,%.2f,%.2f\n", i, g, length, i,
                                spam ? "free offer, click now" : "meeting notes for thursday",
                                i % 5 == 0 ? " refund due" : "", spam ? "spam" : "ham",
                                pspam ? "spam" : "ham", p, 1 - p);
    }
}

static inline void fix_init(ui_fix *f)
{
    static char csv[32768];
    fix_csv(csv, sizeof csv);
    ld_opts lo;
    ld_opts_init(&lo);
    static const char *const text[] = {"body"};
    lo.text_cols = text;
    lo.ntext_cols = 1;
    lo.threads = 1;
    dataset *ds = NULL;
    err e = {0};
    cr_assert_eq(ld_csv_mem(&ds, "fixture.csv", csv, strlen(csv), &lo, &e), E_OK, "%s", e.msg);
    fl_pipeline_from(&f->p, ds);
    eng_opts eo;
    eng_opts_init(&eo);
    eo.min_support = 10;
    eo.threads = 1;
    eo.hm_x = eo.hm_y = ENG_DIM_NONE;
    cr_assert_eq(eng_new(&f->eng, f->p.ds, &f->p.r, &f->p.o, &f->p.b, &eo, &e), E_OK, "%s",
                 e.msg);
    memset(&f->env, 0, sizeof f->env);
    f->env = (pane_env){.ds = f->p.ds, .r = &f->p.r, .o = &f->p.o, .b = &f->p.b, .eng = f->eng,
                        .res = eng_current(f->eng), .slice_dim = -1};
}

static inline void fix_recompute(ui_fix *f)
{
    err e = {0};
    cr_assert_eq(eng_recompute(f->eng, &e), E_OK, "%s", e.msg);
    f->env.res = eng_current(f->eng);
}

static inline void fix_done(ui_fix *f)
{
    eng_free(f->eng);
    fl_pipeline_done(&f->p);
}

/* Draws pane p framed at h x w as the explorer does and returns the text dump (static). */
static inline const char *fix_draw(ui_fix *f, pane *p, int h, int w, bool with_roles)
{
    static strbuf out;
    sb_done(&out);
    sb_init(&out);
    canvas cv;
    err e = {0};
    cr_assert_eq(cv_init(&cv, h, w, false, &e), E_OK);
    char title[512];
    p->ops->caption(p, &f->env, title, sizeof title);
    cv_box(&cv, title, UI_PANE_TITLE_FOCUS, UI_BORDER);
    canvas in = cv_sub(&cv, 1, 1, h - 2, w - 2);
    p->h = in.h;
    p->w = in.w;
    p->ops->draw(p, &in, &f->env);
    strbuf rl;
    sb_init(&rl);
    cr_assert_eq(cv_dump(&cv, &out, with_roles ? &rl : NULL, &e), E_OK);
    if (with_roles) {
        sb_puts(&out, "-- roles\n");
        sb_puts(&out, sb_str(&rl));
    }
    sb_done(&rl);
    cv_done(&cv);
    return sb_str(&out);
}

#endif
