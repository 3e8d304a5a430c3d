/* Calibration pane: the ten reliability bins of the top-class score - how often the model is
 * right at each level of confidence - with the share of rows in each bin as a histogram.
 * Empty bins are dim. Enter dives into the bin. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "binexpr.h"
#include "fmt.h"
#include "listnav.h"
#include "pane.h"
#include "table.h"

typedef struct calibration_pane {
    pane base;
    listnav nav;
} calibration_pane;

static bool has_bins(const pane_env *env)
{
    return env->res->m.nscored > 0;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    (void)p;
    const metrics *m = &env->res->m;
    if (has_bins(env))
        snprintf(buf, size, "Calibration  ECE %.3f  MCE %.3f", m->ece, m->mce);
    else
        snprintf(buf, size, "Calibration");
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    calibration_pane *cp = (calibration_pane *)p;
    const metrics *m = &env->res->m;
    if (!has_bins(env)) {
        cv_text(cv, 0, 1, "no class scores in the selection: calibration needs them",
                cv->w - 2, UI_ROW_DIM);
        return;
    }
    ln_clamp(&cp->nav, MET_NBINS, (size_t)(cv->h > 1 ? cv->h - 1 : 1));
    int barw = cv->w - 46;
    if (barw > 30)
        barw = 30;
    size_t maxn = 1;
    for (int i = 0; i < MET_NBINS; i++)
        if (m->bins[i].n > maxn)
            maxn = m->bins[i].n;
    cv_text(cv, 0, 1, "confidence       n  accuracy   conf    gap", -1, UI_PANE_TITLE);
    if (barw >= 6)
        cv_text(cv, 0, 45, "accuracy ▏ rows", -1, UI_PANE_TITLE);
    for (size_t k = 0; k + cp->nav.top < MET_NBINS && (int)k + 1 < cv->h; k++) {
        size_t i = k + cp->nav.top;
        const met_bin *b = &m->bins[i];
        int y = 1 + (int)k;
        ui_role role = b->n == 0 ? UI_ROW_DIM : UI_NORMAL;
        char n[32], acc[32], conf[32], gap[32];
        fmt_count(b->n, n, sizeof n);
        fmt_pct(b->accuracy, acc, sizeof acc);
        fmt_pct(b->confidence, conf, sizeof conf);
        if (b->n)
            snprintf(gap, sizeof gap, "%+.1f", (b->accuracy - b->confidence) * 100);
        else
            snprintf(gap, sizeof gap, "–");
        cv_printf(cv, y, 1, role, "%s%.1f, %.1f]", i == 0 ? "[" : "(", b->lo, b->hi);
        cv_text_right(cv, y, 12, n, 7, role);
        cv_text_right(cv, y, 21, acc, 7, role);
        cv_text_right(cv, y, 29, conf, 7, role);
        cv_text_right(cv, y, 37, gap, 6, role);
        if (barw >= 6 && b->n) {
            cv_bar(cv, y, 45, barw / 2, b->accuracy, UI_BAR);
            cv_bar(cv, y, 46 + barw / 2, barw / 2, (double)b->n / (double)maxn, UI_BAR_CI);
        }
        if (i == cp->nav.cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
    }
}

static int confidence_dim(const binning *b)
{
    for (size_t d = 0; d < b->ndim; d++)
        if (b->dim[d].kind == DIM_CONFIDENCE)
            return (int)d;
    return -1;
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    calibration_pane *cp = (calibration_pane *)p;
    int d = confidence_dim(env->b);
    if (d < 0 || !has_bins(env) || cp->nav.cur >= env->b->dim[d].nbins)
        return 0;
    return bx_bin(env->b, env->ds, (uint32_t)d, (uint32_t)cp->nav.cur, buf, size);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    calibration_pane *cp = (calibration_pane *)p;
    if (a == ACT_DIVE) {
        size_t n = cursor_expr(p, env, env->dive, sizeof env->dive);
        return n > 0 && n < sizeof env->dive ? R_DIVE : R_NONE;
    }
    return ln_move(&cp->nav, a, MET_NBINS, (size_t)(p->h > 1 ? p->h - 1 : 1)) ? R_REDRAW
                                                                             : R_NONE;
}

static void result_changed(pane *p, pane_env *env)
{
    (void)p;
    (void)env;
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    (void)p;
    const metrics *m = &env->res->m;
    static const char *const HEAD[] = {"low", "high", "n", "accuracy", "confidence"};
    err_code rc = tbl_row(out, md, true, 5, HEAD, e);
    for (int i = 0; i < MET_NBINS && rc == E_OK; i++) {
        const met_bin *b = &m->bins[i];
        char lo[32], hi[32], n[32], acc[32], conf[32];
        snprintf(lo, sizeof lo, "%.1f", b->lo);
        snprintf(hi, sizeof hi, "%.1f", b->hi);
        snprintf(n, sizeof n, "%zu", b->n);
        snprintf(acc, sizeof acc, "%.4f", b->accuracy);
        snprintf(conf, sizeof conf, "%.4f", b->confidence);
        const char *cells[] = {lo, hi, n, acc, conf};
        rc = tbl_row(out, md, false, 5, cells, e);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)env, (void)x;
    calibration_pane *cp = (calibration_pane *)p;
    if (y >= 1 && cp->nav.top + (size_t)(y - 1) < MET_NBINS)
        cp->nav.cur = cp->nav.top + (size_t)(y - 1);
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter dive into the bin";
}

static void pfree(pane *p)
{
    free(p);
}

static const pane_ops CALIBRATION_OPS = {
    .name = "calibration",
    .label = "[B]ins",
    .caption = caption,
    .draw = draw,
    .act = act,
    .result_changed = result_changed,
    .cursor_expr = cursor_expr,
    .export = export,
    .click = click,
    .hint = hint,
    .free = pfree,
};

err_code calibration_pane_new(pane **out, err *e)
{
    calibration_pane *cp = calloc(1, sizeof *cp);
    if (!cp)
        return err_set(e, E_NOMEM, "out of memory");
    cp->base.ops = &CALIBRATION_OPS;
    *out = &cp->base;
    return E_OK;
}
