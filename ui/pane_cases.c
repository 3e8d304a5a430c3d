/* Error cases pane: the selection's error rows, worst loss first (o cycles to highest
 * confidence first, then file order), with id, true → predicted class, confidence and the
 * text or the values of the columns that matter. Enter opens the case detail. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefmt.h"
#include "fmt.h"
#include "listnav.h"
#include "pane.h"
#include "table.h"
#include "tagfmt.h"
#include "usort.h"

typedef enum { ORD_LOSS, ORD_CONFIDENCE, ORD_ROW, ORD_COUNT } case_order;
static const char *const ORDER_NAMES[] = {"by loss", "by confidence", "by row"};

typedef struct cases_pane {
    pane base;
    case_order order;
    listnav nav;
    uint32_t *rows; /* owned; the result's cases in the chosen order */
    size_t nrows;
    uint64_t serial; /* of the result rows was built from; 0 = stale */
} cases_pane;

static int cmp_conf(const void *a, const void *b, void *ctx)
{
    const double *conf = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    double cx = conf ? conf[x] : NAN, cy = conf ? conf[y] : NAN;
    if (isnan(cx) != isnan(cy))
        return isnan(cx) ? 1 : -1;
    if (cx != cy && !isnan(cx))
        return cx > cy ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int cmp_row(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void build(cases_pane *cp, const pane_env *env)
{
    const case_list *c = &env->res->cases;
    if (cp->serial == env->res->serial && cp->nrows == c->len)
        return;
    uint32_t *v = realloc(cp->rows, (c->len ? c->len : 1) * sizeof *v);
    if (!v)
        return; /* keep the previous order; drawing clamps to it */
    cp->rows = v;
    memcpy(v, c->row, c->len * sizeof *v);
    cp->nrows = c->len;
    if (cp->order == ORD_CONFIDENCE)
        us_sort(v, c->len, sizeof *v, cmp_conf, env->o->conf);
    else if (cp->order == ORD_ROW)
        qsort(v, c->len, sizeof *v, cmp_row);
    cp->serial = env->res->serial;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    cases_pane *cp = (cases_pane *)p;
    char n[32], all[32];
    size_t nerr = env->res->m.nerr;
    if (nerr > env->res->cases.len)
        snprintf(buf, size, "Error cases · %s (worst %s shown, %s)",
                 fmt_count(nerr, all, sizeof all), fmt_count(env->res->cases.len, n, sizeof n),
                 ORDER_NAMES[cp->order]);
    else
        snprintf(buf, size, "Error cases · %s (%s)", fmt_count(nerr, all, sizeof all),
                 ORDER_NAMES[cp->order]);
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    cases_pane *cp = (cases_pane *)p;
    build(cp, env);
    ln_clamp(&cp->nav, cp->nrows, (size_t)cv->h);
    if (cp->nrows == 0) {
        cv_text(cv, 0, 1, "no errors in this selection", cv->w - 2, UI_ROW_DIM);
        return;
    }
    int idw = 8;
    for (size_t i = cp->nav.top; i < cp->nrows && i < cp->nav.top + (size_t)cv->h; i++) {
        char id[128];
        cf_id(env, cp->rows[i], id, sizeof id);
        int w = ui_strwidth(id);
        if (w > idw)
            idw = w;
    }
    if (idw > cv->w / 4)
        idw = cv->w / 4;
    int outw = 12;
    for (size_t i = cp->nav.top; i < cp->nrows && i < cp->nav.top + (size_t)cv->h; i++) {
        char o[256];
        cf_outcome(env, cp->rows[i], o, sizeof o);
        int w = ui_strwidth(o);
        if (w > outw)
            outw = w;
    }
    if (outw > cv->w / 4)
        outw = cv->w / 4;
    int tagw = 0; /* the tags column at the right end, as wide as the visible rows need */
    for (size_t i = cp->nav.top; i < cp->nrows && i < cp->nav.top + (size_t)cv->h; i++) {
        int w = tf_width(env, cp->rows[i], false);
        if (w > tagw)
            tagw = w;
    }
    if (tagw > cv->w / 4)
        tagw = cv->w / 4;
    for (int y = 0; y < cv->h && cp->nav.top + (size_t)y < cp->nrows; y++) {
        size_t i = cp->nav.top + (size_t)y;
        uint32_t row = cp->rows[i];
        char id[128], out[256], conf[32], sum[1200];
        cf_id(env, row, id, sizeof id);
        cf_outcome(env, row, out, sizeof out);
        double c = env->o->conf ? env->o->conf[row] : NAN;
        if (isnan(c))
            snprintf(conf, sizeof conf, "–");
        else
            snprintf(conf, sizeof conf, "%.2f", c);
        cf_summary(env, row, sum, sizeof sum);
        int x = 0;
        cv_text(cv, y, x, i == cp->nav.cur ? "▶" : " ", 1, UI_KEY);
        x += 2;
        cv_text_fit(cv, y, x, id, idw, UI_NORMAL);
        x += idw + 2;
        cv_text_fit(cv, y, x, out, outw, UI_CM_OFF);
        x += outw + 2;
        cv_text_right(cv, y, x, conf, 4, UI_NORMAL);
        x += 6;
        int sumw = cv->w - 1 - x - (tagw ? tagw + 2 : 0);
        if (sumw > 0)
            cv_text_fit(cv, y, x, sum, sumw, UI_ROW_DIM);
        if (tagw)
            tf_draw(cv, y, cv->w - 1 - tagw, env, row, tagw);
        if (i == cp->nav.cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
    }
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    cases_pane *cp = (cases_pane *)p;
    build(cp, env);
    if (cp->nav.cur >= cp->nrows)
        return 0;
    return (size_t)snprintf(buf, size, "row == %u", cp->rows[cp->nav.cur] + 1);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    cases_pane *cp = (cases_pane *)p;
    build(cp, env);
    switch (a) {
    case ACT_ORDER_CYCLE:
        cp->order = (cp->order + 1) % ORD_COUNT;
        cp->serial = 0;
        cp->nav.cur = cp->nav.top = 0;
        snprintf(env->msg, sizeof env->msg, "cases ordered %s", ORDER_NAMES[cp->order]);
        return R_REDRAW;
    case ACT_CASE_OPEN:
    case ACT_DIVE:
        if (cp->nav.cur >= cp->nrows)
            return R_NONE;
        env->open_row = cp->rows[cp->nav.cur];
        return R_OPEN_CASE;
    default:
        return ln_move(&cp->nav, a, cp->nrows, (size_t)(p->h > 0 ? p->h : 1)) ? R_REDRAW
                                                                              : R_NONE;
    }
}

static void result_changed(pane *p, pane_env *env)
{
    cases_pane *cp = (cases_pane *)p;
    cp->serial = 0;
    build(cp, env);
    ln_clamp(&cp->nav, cp->nrows, (size_t)(p->h > 0 ? p->h : 1));
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    cases_pane *cp = (cases_pane *)p;
    build(cp, env);
    static const char *const HEAD[] = {"row", "id", "label → predicted", "confidence", "loss",
                                       "text or features"};
    err_code rc = tbl_row(out, md, true, 6, HEAD, e);
    for (size_t i = 0; i < cp->nrows && rc == E_OK; i++) {
        uint32_t row = cp->rows[i];
        char r[32], id[128], o[256], conf[32], loss[32], sum[1200];
        snprintf(r, sizeof r, "%u", row + 1);
        cf_id(env, row, id, sizeof id);
        cf_outcome(env, row, o, sizeof o);
        snprintf(conf, sizeof conf, "%.4f", env->o->conf ? env->o->conf[row] : NAN);
        snprintf(loss, sizeof loss, "%.4f", env->o->loss[row]);
        cf_summary(env, row, sum, sizeof sum);
        const char *cells[] = {r, id, o, conf, loss, sum};
        rc = tbl_row(out, md, false, 6, cells, e);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)x;
    cases_pane *cp = (cases_pane *)p;
    build(cp, env);
    if (cp->nav.top + (size_t)y < cp->nrows)
        cp->nav.cur = cp->nav.top + (size_t)y;
}

static bool cursor_row(pane *p, pane_env *env, uint32_t *row)
{
    cases_pane *cp = (cases_pane *)p;
    build(cp, env);
    if (cp->nav.cur >= cp->nrows)
        return false;
    *row = cp->rows[cp->nav.cur];
    return true;
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter open case  o order  1-9 tag  n note  V review";
}

static void pfree(pane *p)
{
    cases_pane *cp = (cases_pane *)p;
    free(cp->rows);
    free(cp);
}

static const pane_ops CASES_OPS = {
    .name = "cases",
    .label = "[E]rrors",
    .caption = caption,
    .draw = draw,
    .act = act,
    .result_changed = result_changed,
    .cursor_expr = cursor_expr,
    .export = export,
    .click = click,
    .cursor_row = cursor_row,
    .hint = hint,
    .free = pfree,
};

err_code cases_pane_new(pane **out, err *e)
{
    cases_pane *cp = calloc(1, sizeof *cp);
    if (!cp)
        return err_set(e, E_NOMEM, "out of memory");
    cp->base.ops = &CASES_OPS;
    *out = &cp->base;
    return E_OK;
}
