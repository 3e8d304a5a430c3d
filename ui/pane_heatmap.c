/* Heatmap pane: the error rate over two columns. Cells are coloured by their lift over the
 * selection's error rate on the theme's gradient (as glyphs in monochrome); a cell under
 * the minimum support shows its n dimmed ("·12"), never a bright rate. x and y pick the
 * columns, b switches numeric axes between quantile and equal-width bins, n shows each
 * cell's rows instead of its rate, and Enter dives into the cell. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"
#include "table.h"

typedef struct heatmap_pane {
    pane base;
    bool show_n;
    uint32_t cx, cy;     /* cursor cell */
    uint32_t left, top;  /* first x bin and y bin shown */
} heatmap_pane;

/* An axis bin as a short head: ranges by their upper edge ("≤212", the last as ">1164"). */
static void short_label(const hm_axis *ax, uint32_t i, char *buf, size_t size)
{
    const hm_bin *b = &ax->bins[i];
    switch (b->kind) {
    case HM_RANGE: {
        bool last = i + 1 == ax->nbins || ax->bins[i + 1].kind != HM_RANGE;
        if (last && i > 0)
            snprintf(buf, size, ">%.4g", b->lo);
        else
            snprintf(buf, size, "≤%.4g", b->hi);
        break;
    }
    case HM_OTHER:
        snprintf(buf, size, "(other)");
        break;
    case HM_MISSING:
        snprintf(buf, size, "(missing)");
        break;
    default:
        snprintf(buf, size, "%s", b->label);
    }
}

/* The gradient step of a cell from its lift (0: far below the selection, 6: far above). */
static int heat_step(double lift)
{
    static const double EDGE[] = {0.5, 0.8, 1.0, 1.25, 1.6, 2.5};
    if (isnan(lift))
        return 0;
    int s = 0;
    while (s < 6 && lift > EDGE[s])
        s++;
    return s;
}

static int cell_width(const heatmap *h)
{
    int w = 7;
    for (uint32_t i = 0; i < h->x.nbins; i++) {
        char buf[128];
        short_label(&h->x, i, buf, sizeof buf);
        int lw = ui_strwidth(buf) + 1;
        if (lw > w)
            w = lw;
    }
    return w > 12 ? 12 : w;
}

static int ylabel_width(const heatmap *h)
{
    int w = 6;
    for (uint32_t i = 0; i < h->y.nbins; i++) {
        char buf[128];
        short_label(&h->y, i, buf, sizeof buf);
        int lw = ui_strwidth(buf);
        if (lw > w)
            w = lw;
    }
    return w > 16 ? 16 : w;
}

static void clamp(heatmap_pane *hp, const heatmap *h)
{
    if (!h->valid || !h->x.nbins || !h->y.nbins) {
        hp->cx = hp->cy = hp->left = hp->top = 0;
        return;
    }
    int cw = cell_width(h), lw = ylabel_width(h);
    uint32_t cols = hp->base.w - lw - 2 >= cw ? (uint32_t)((hp->base.w - lw - 2) / cw) : 1;
    uint32_t rows = hp->base.h > 2 ? (uint32_t)(hp->base.h - 2) : 1;
    if (hp->cx >= h->x.nbins)
        hp->cx = h->x.nbins - 1;
    if (hp->cy >= h->y.nbins)
        hp->cy = h->y.nbins - 1;
    if (hp->cx < hp->left)
        hp->left = hp->cx;
    if (hp->cx >= hp->left + cols)
        hp->left = hp->cx - cols + 1;
    if (hp->cy < hp->top)
        hp->top = hp->cy;
    if (hp->cy >= hp->top + rows)
        hp->top = hp->cy - rows + 1;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    (void)p;
    const heatmap *h = &env->res->hm;
    if (!h->valid) {
        snprintf(buf, size, "Heatmap");
        return;
    }
    bool numeric = h->x.numeric || h->y.numeric;
    snprintf(buf, size, "Heatmap  %s × %s%s", env->b->dim[h->y.dim].name,
             env->b->dim[h->x.dim].name,
             !numeric ? "" : h->x.numeric ? (h->x.equal_width ? " (equal-width)" : " (quantile)")
                           : (h->y.equal_width ? " (equal-width)" : " (quantile)"));
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    heatmap_pane *hp = (heatmap_pane *)p;
    const heatmap *h = &env->res->hm;
    if (!h->valid) {
        cv_text(cv, 0, 1, "no heatmap: press x and y to choose two columns", cv->w - 2,
                UI_ROW_DIM);
        return;
    }
    clamp(hp, h);
    int cw = cell_width(h), lw = ylabel_width(h);
    char buf[128];
    for (uint32_t j = 0; hp->left + j < h->x.nbins; j++) {
        int x = 2 + lw + (int)j * cw;
        if (x + cw > cv->w)
            break;
        short_label(&h->x, hp->left + j, buf, sizeof buf);
        cv_text_right(cv, 0, x, buf, cw - 1, hp->left + j == hp->cx ? UI_KEY : UI_PANE_TITLE);
    }
    for (uint32_t i = 0; hp->top + i < h->y.nbins && (int)i + 1 < cv->h; i++) {
        uint32_t yi = hp->top + i;
        int y = 1 + (int)i;
        short_label(&h->y, yi, buf, sizeof buf);
        cv_text_fit(cv, y, 1, buf, lw, yi == hp->cy ? UI_KEY : UI_PANE_TITLE);
        for (uint32_t j = 0; hp->left + j < h->x.nbins; j++) {
            uint32_t xi = hp->left + j;
            int x = 2 + lw + (int)j * cw;
            if (x + cw > cv->w)
                break;
            const hm_cell *c = &h->cells[(size_t)yi * h->x.nbins + xi];
            char num[32];
            ui_role role;
            int step = heat_step(c->lift);
            if (c->n == 0) {
                snprintf(buf, sizeof buf, "·");
                role = UI_ROW_DIM;
            } else if (c->small) {
                snprintf(buf, sizeof buf, "·%s", fmt_count(c->n, num, sizeof num));
                role = UI_ROW_DIM;
            } else {
                if (hp->show_n)
                    fmt_count(c->n, buf, sizeof buf);
                else
                    fmt_pct(c->rate, buf, sizeof buf);
                role = (ui_role)(UI_HEAT_0 + step);
            }
            cv_text_right(cv, y, x, buf, cw - 1, role);
            if (env->mono && c->n && !c->small) {
                static const char *const GLYPH[] = {" ", " ", "░", "▒", "▓", "▓", "█"};
                cv_text(cv, y, x, GLYPH[step], 1, role);
            }
            if (yi == hp->cy && xi == hp->cx)
                cv_role(cv, y, x, cw - 1, UI_ROW_CURSOR);
        }
    }
    const hm_cell *c = &h->cells[(size_t)hp->cy * h->x.nbins + hp->cx];
    if (cv->h >= 3) {
        char a[32], b[48], n[32], l[32];
        cv_printf(cv, cv->h - 1, 1, UI_ROW_DIM, "cell: %s %s of %s rows, lift %s%s",
                  fmt_pct(c->rate, a, sizeof a), fmt_interval(c->lo, c->hi, b, sizeof b),
                  fmt_count(c->n, n, sizeof n), fmt_lift(c->lift, l, sizeof l),
                  c->small ? " (small)" : "");
    }
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    heatmap_pane *hp = (heatmap_pane *)p;
    const heatmap *h = &env->res->hm;
    if (!h->valid)
        return 0;
    clamp(hp, h);
    return hm_cell_expr(h, env->b, env->ds, hp->cx, hp->cy, buf, size);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    heatmap_pane *hp = (heatmap_pane *)p;
    const heatmap *h = &env->res->hm;
    switch (a) {
    case ACT_HM_PICK_X:
        return R_PICK_X;
    case ACT_HM_PICK_Y:
        return R_PICK_Y;
    case ACT_HM_SHOW_N:
        hp->show_n = !hp->show_n;
        return R_REDRAW;
    case ACT_HM_BINS: {
        if (!h->valid)
            return R_NONE;
        bool eq = !eng_options(env->eng)->hm_equal_width;
        err e = {0};
        if (eng_set_heatmap(env->eng, (int)h->x.dim, (int)h->y.dim, eq, &e) != E_OK) {
            snprintf(env->msg, sizeof env->msg, "%s", e.msg);
            return R_REDRAW;
        }
        snprintf(env->msg, sizeof env->msg, "heatmap: %s bins",
                 eq ? "equal-width" : "quantile");
        return R_RECOMPUTE;
    }
    case ACT_MOVE_UP:
        hp->cy = hp->cy ? hp->cy - 1 : 0;
        break;
    case ACT_MOVE_DOWN:
        hp->cy++;
        break;
    case ACT_MOVE_LEFT:
        hp->cx = hp->cx ? hp->cx - 1 : 0;
        break;
    case ACT_MOVE_RIGHT:
        hp->cx++;
        break;
    case ACT_MOVE_TOP:
        hp->cx = hp->cy = 0;
        break;
    case ACT_MOVE_BOTTOM:
        hp->cx = hp->cy = UINT32_MAX - 1;
        break;
    case ACT_DIVE: {
        size_t n = cursor_expr(p, env, env->dive, sizeof env->dive);
        if (n > 0 && n < sizeof env->dive)
            return R_DIVE;
        snprintf(env->msg, sizeof env->msg, "this cell has no filter expression");
        return R_REDRAW;
    }
    default:
        return R_NONE;
    }
    clamp(hp, h);
    return R_REDRAW;
}

static void result_changed(pane *p, pane_env *env)
{
    clamp((heatmap_pane *)p, &env->res->hm);
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    (void)p;
    const heatmap *h = &env->res->hm;
    if (!h->valid)
        return err_set(e, E_USAGE, "no heatmap to export");
    static const char *const HEAD[] = {"y", "x", "n", "errors", "error rate", "lift", "small"};
    err_code rc = tbl_row(out, md, true, 7, HEAD, e);
    for (uint32_t yi = 0; yi < h->y.nbins && rc == E_OK; yi++)
        for (uint32_t xi = 0; xi < h->x.nbins && rc == E_OK; xi++) {
            const hm_cell *c = &h->cells[(size_t)yi * h->x.nbins + xi];
            char n[32], ne[32], rate[32], lift[32];
            snprintf(n, sizeof n, "%zu", c->n);
            snprintf(ne, sizeof ne, "%zu", c->nerr);
            snprintf(rate, sizeof rate, "%.4f", c->rate);
            snprintf(lift, sizeof lift, "%.3f", c->lift);
            const char *cells[] = {h->y.bins[yi].label, h->x.bins[xi].label, n, ne, rate, lift,
                                   c->small ? "yes" : "no"};
            rc = tbl_row(out, md, false, 7, cells, e);
        }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    heatmap_pane *hp = (heatmap_pane *)p;
    const heatmap *h = &env->res->hm;
    if (!h->valid)
        return;
    int cw = cell_width(h), lw = ylabel_width(h);
    if (y >= 1)
        hp->cy = hp->top + (uint32_t)(y - 1);
    if (x >= 2 + lw)
        hp->cx = hp->left + (uint32_t)((x - 2 - lw) / cw);
    clamp(hp, h);
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter dive  x y columns  b bins  n rows";
}

static void pfree(pane *p)
{
    free(p);
}

static const pane_ops HEATMAP_OPS = {
    .name = "heatmap",
    .label = "[H]eatmap",
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

err_code heatmap_pane_new(pane **out, err *e)
{
    heatmap_pane *hp = calloc(1, sizeof *hp);
    if (!hp)
        return err_set(e, E_NOMEM, "out of memory");
    hp->base.ops = &HEATMAP_OPS;
    hp->base.h = 10;
    hp->base.w = 60;
    *out = &hp->base;
    return E_OK;
}
