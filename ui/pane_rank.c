/* Column ranking pane: which columns say most about the errors in the selection, by the
 * mutual information between a column's bins and the error (with Cramer's V beside it).
 * Enter shows that column's slices in the slices pane. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "listnav.h"
#include "pane.h"
#include "table.h"
#include "usort.h"

typedef struct rank_pane {
    pane base;
    listnav nav;
    bool by_v; /* sorted by Cramer's V instead of mutual information */
    size_t *order; /* owned */
    size_t norder;
} rank_pane;

static int cmp_v(const void *a, const void *b, void *ctx)
{
    const rank_entry *v = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    double vx = v[x].cramers_v, vy = v[y].cramers_v;
    if (isnan(vx) != isnan(vy))
        return isnan(vx) ? 1 : -1;
    if (vx != vy && !isnan(vx))
        return vx > vy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void build(rank_pane *rp, const pane_env *env)
{
    const col_ranking *rk = &env->res->rank;
    size_t *o = realloc(rp->order, (rk->len ? rk->len : 1) * sizeof *o);
    if (!o)
        return;
    rp->order = o;
    for (size_t i = 0; i < rk->len; i++)
        o[i] = i;
    rp->norder = rk->len;
    if (rp->by_v)
        us_sort(o, rk->len, sizeof *o, cmp_v, rk->v);
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    (void)env;
    snprintf(buf, size, "Column ranking (%s ▾)",
             ((rank_pane *)p)->by_v ? "Cramér's V" : "mutual information");
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    rank_pane *rp = (rank_pane *)p;
    build(rp, env);
    const col_ranking *rk = &env->res->rank;
    ln_clamp(&rp->nav, rp->norder, (size_t)(cv->h > 1 ? cv->h - 1 : 1));
    int namew = cv->w - 40;
    if (namew > 30)
        namew = 30;
    if (namew < 8)
        namew = 8;
    double maxmi = 0;
    for (size_t i = 0; i < rk->len; i++)
        if (rk->v[i].mi > maxmi)
            maxmi = rk->v[i].mi;
    cv_text_fit(cv, 0, 1, "column", namew, UI_PANE_TITLE);
    cv_text(cv, 0, namew + 2, "    MI bits       V  bins", -1, UI_PANE_TITLE);
    int barx = namew + 28, barw = cv->w - barx - 1;
    for (int y = 1; y < cv->h && rp->nav.top + (size_t)(y - 1) < rp->norder; y++) {
        size_t i = rp->nav.top + (size_t)(y - 1);
        const rank_entry *r = &rk->v[rp->order[i]];
        ui_role role = isnan(r->mi) || r->nbins < 2 ? UI_ROW_DIM : UI_NORMAL;
        cv_text_fit(cv, y, 1, env->b->dim[r->dim].name, namew, role);
        cv_printf(cv, y, namew + 2, role, "%11.4f %7.3f %5u", r->mi, r->cramers_v, r->nbins);
        if (barw >= 4 && maxmi > 0 && !isnan(r->mi))
            cv_bar(cv, y, barx, barw, r->mi / maxmi, UI_BAR);
        if (i == rp->nav.cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
    }
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    (void)p, (void)env, (void)buf, (void)size;
    return 0; /* a column is not a condition */
}

static unsigned act(pane *p, pane_env *env, action a)
{
    rank_pane *rp = (rank_pane *)p;
    build(rp, env);
    switch (a) {
    case ACT_SORT_CYCLE:
        rp->by_v = !rp->by_v;
        return R_REDRAW;
    case ACT_DIVE:
        if (rp->nav.cur >= rp->norder)
            return R_NONE;
        env->slice_dim = (int)env->res->rank.v[rp->order[rp->nav.cur]].dim;
        return R_SHOW_SLICES;
    default:
        return ln_move(&rp->nav, a, rp->norder, (size_t)(p->h > 1 ? p->h - 1 : 1)) ? R_REDRAW
                                                                                  : R_NONE;
    }
}

static void result_changed(pane *p, pane_env *env)
{
    rank_pane *rp = (rank_pane *)p;
    build(rp, env);
    ln_clamp(&rp->nav, rp->norder, (size_t)(p->h > 1 ? p->h - 1 : 1));
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    rank_pane *rp = (rank_pane *)p;
    build(rp, env);
    static const char *const HEAD[] = {"column", "mutual information (bits)", "cramers v",
                                       "bins"};
    err_code rc = tbl_row(out, md, true, 4, HEAD, e);
    for (size_t i = 0; i < rp->norder && rc == E_OK; i++) {
        const rank_entry *r = &env->res->rank.v[rp->order[i]];
        char mi[32], v[32], nb[32];
        snprintf(mi, sizeof mi, "%.6f", r->mi);
        snprintf(v, sizeof v, "%.4f", r->cramers_v);
        snprintf(nb, sizeof nb, "%u", r->nbins);
        const char *cells[] = {env->b->dim[r->dim].name, mi, v, nb};
        rc = tbl_row(out, md, false, 4, cells, e);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)x;
    rank_pane *rp = (rank_pane *)p;
    build(rp, env);
    if (y >= 1 && rp->nav.top + (size_t)(y - 1) < rp->norder)
        rp->nav.cur = rp->nav.top + (size_t)(y - 1);
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter that column's slices  s sort";
}

static void pfree(pane *p)
{
    rank_pane *rp = (rank_pane *)p;
    free(rp->order);
    free(rp);
}

static const pane_ops RANK_OPS = {
    .name = "rank",
    .label = "[R]ank",
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

err_code rank_pane_new(pane **out, err *e)
{
    rank_pane *rp = calloc(1, sizeof *rp);
    if (!rp)
        return err_set(e, E_NOMEM, "out of memory");
    rp->base.ops = &RANK_OPS;
    *out = &rp->base;
    return E_OK;
}
