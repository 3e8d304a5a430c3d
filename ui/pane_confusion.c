/* Confusion pane: true class down, predicted class across, as counts, row percentages
 * (recall) or column percentages (precision). The diagonal is drawn apart from the errors.
 * With many classes the grid scrolls both ways and keeps its row and column labels, so 26
 * classes stay usable at 80x24. Enter dives into label == a && pred == b. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "fmt.h"
#include "pane.h"
#include "table.h"

typedef enum { CM_COUNTS, CM_ROWPCT, CM_COLPCT } cm_mode;

typedef struct confusion_pane {
    pane base;
    cm_mode mode;
    uint32_t cy, cx;     /* cursor: true class, predicted class */
    uint32_t top, left;  /* first class row and column shown */
} confusion_pane;

#define CELL_W 7

static uint32_t nclass(const pane_env *env)
{
    return env->res->m.confusion ? env->res->m.nclass : 0;
}

static size_t count(const pane_env *env, uint32_t t, uint32_t p)
{
    return env->res->m.confusion[(size_t)t * env->res->m.nclass + p];
}

/* The cell's text in the current mode; "·" for an empty cell. */
static void cell_text(const confusion_pane *cp, const pane_env *env, uint32_t t, uint32_t p,
                      char *buf, size_t size)
{
    uint32_t k = nclass(env);
    size_t c = count(env, t, p);
    if (c == 0) {
        snprintf(buf, size, "·");
        return;
    }
    if (cp->mode == CM_COUNTS) {
        fmt_count(c, buf, size);
        return;
    }
    size_t tot = 0;
    for (uint32_t i = 0; i < k; i++)
        tot += cp->mode == CM_ROWPCT ? count(env, t, i) : count(env, i, p);
    fmt_pct(tot ? (double)c / (double)tot : NAN, buf, size);
}

static int label_width(const pane_env *env)
{
    int w = 4;
    for (uint32_t i = 0; i < nclass(env); i++) {
        int cw = ui_strwidth(env->o->classes[i]);
        if (cw > w)
            w = cw;
    }
    return w > 14 ? 14 : w;
}

/* Rows and columns of classes that fit. */
static void visible(const pane *p, const pane_env *env, uint32_t *rows, uint32_t *cols)
{
    int h = p->h - 1, w = p->w - 2 - label_width(env) - 1;
    *rows = h > 0 ? (uint32_t)h : 1;
    *cols = w >= CELL_W ? (uint32_t)(w / CELL_W) : 1;
}

static void clamp(confusion_pane *cp, const pane_env *env)
{
    uint32_t k = nclass(env), rows, cols;
    visible(&cp->base, env, &rows, &cols);
    if (k == 0) {
        cp->cy = cp->cx = cp->top = cp->left = 0;
        return;
    }
    if (cp->cy >= k)
        cp->cy = k - 1;
    if (cp->cx >= k)
        cp->cx = k - 1;
    if (cp->cy < cp->top)
        cp->top = cp->cy;
    if (cp->cy >= cp->top + rows)
        cp->top = cp->cy - rows + 1;
    if (cp->cx < cp->left)
        cp->left = cp->cx;
    if (cp->cx >= cp->left + cols)
        cp->left = cp->cx - cols + 1;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    confusion_pane *cp = (confusion_pane *)p;
    static const char *const M[] = {"counts", "row %", "column %"};
    snprintf(buf, size, "Confusion (%s%s)", M[cp->mode], nclass(env) ? "" : ", none");
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    confusion_pane *cp = (confusion_pane *)p;
    uint32_t k = nclass(env);
    if (k == 0) {
        cv_text(cv, 0, 1, "regression: no confusion matrix", cv->w - 2, UI_ROW_DIM);
        return;
    }
    clamp(cp, env);
    uint32_t rows, cols;
    visible(p, env, &rows, &cols);
    int lw = label_width(env);
    char buf[64];
    /* column heads: the predicted classes */
    cv_text_fit(cv, 0, 1, lw >= 9 ? "true\\pred" : "t\\p", lw, UI_ROW_DIM);
    for (uint32_t j = 0; j < cols && cp->left + j < k; j++) {
        uint32_t c = cp->left + j;
        cv_text_right(cv, 0, 2 + lw + (int)j * CELL_W, env->o->classes[c], CELL_W - 1,
                      c == cp->cx ? UI_KEY : UI_PANE_TITLE);
    }
    if (cp->left + cols < k)
        cv_text(cv, 0, cv->w - 1, "›", 1, UI_ROW_DIM);
    for (uint32_t i = 0; i < rows && cp->top + i < k; i++) {
        uint32_t t = cp->top + i;
        int y = 1 + (int)i;
        cv_text_fit(cv, y, 1, env->o->classes[t], lw, t == cp->cy ? UI_KEY : UI_PANE_TITLE);
        for (uint32_t j = 0; j < cols && cp->left + j < k; j++) {
            uint32_t c = cp->left + j;
            cell_text(cp, env, t, c, buf, sizeof buf);
            ui_role role = count(env, t, c) == 0 ? UI_ROW_DIM : t == c ? UI_CM_DIAG : UI_CM_OFF;
            int x = 2 + lw + (int)j * CELL_W;
            cv_text_right(cv, y, x, buf, CELL_W - 1, role);
            if (t == cp->cy && c == cp->cx)
                cv_role(cv, y, x, CELL_W - 1, UI_ROW_CURSOR);
        }
    }
    if (cp->top + rows < k && cv->h > 1)
        cv_printf(cv, cv->h - 1, cv->w - 12 > 0 ? cv->w - 12 : 0, UI_ROW_DIM, "%u more ▾",
                  k - cp->top - rows);
}

/* label == "a" && pred == "b" with the file's own column names where it has them. */
static size_t side(const pane_env *env, int col, const char *derived, uint32_t cls, char *buf,
                   size_t size)
{
    char name[256], val[512];
    if (col >= 0)
        flt_quote_name(env->ds->cols[col].name, name, sizeof name);
    else
        snprintf(name, sizeof name, "%s", derived);
    const char *c = env->o->classes[cls];
    bool numeric = col >= 0 ? env->ds->cols[col].type == COL_NUM : env->r->class_value != NULL;
    if (numeric)
        snprintf(val, sizeof val, "%s", c);
    else
        flt_quote_string(c, val, sizeof val);
    return (size_t)snprintf(buf, size, "%s == %s", name, val);
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    confusion_pane *cp = (confusion_pane *)p;
    if (nclass(env) == 0)
        return 0;
    clamp(cp, env);
    char a[1024], b[1024];
    side(env, env->r->label, "label", cp->cy, a, sizeof a);
    /* a real column named like the derived field would win in the filter language, so the
     * derived prediction is only named when there is no prediction column */
    side(env, env->r->pred, "pred", cp->cx, b, sizeof b);
    return (size_t)snprintf(buf, size, "%s && %s", a, b);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    confusion_pane *cp = (confusion_pane *)p;
    uint32_t k = nclass(env), rows, cols;
    visible(p, env, &rows, &cols);
    switch (a) {
    case ACT_CM_COUNTS:
    case ACT_CM_ROW:
    case ACT_CM_COL:
        cp->mode = a == ACT_CM_COUNTS ? CM_COUNTS : a == ACT_CM_ROW ? CM_ROWPCT : CM_COLPCT;
        return R_REDRAW;
    case ACT_MOVE_UP:
        cp->cy = cp->cy ? cp->cy - 1 : 0;
        break;
    case ACT_MOVE_DOWN:
        cp->cy++;
        break;
    case ACT_MOVE_LEFT:
        cp->cx = cp->cx ? cp->cx - 1 : 0;
        break;
    case ACT_MOVE_RIGHT:
        cp->cx++;
        break;
    case ACT_PAGE_UP:
        cp->cy = cp->cy > rows ? cp->cy - rows : 0;
        break;
    case ACT_PAGE_DOWN:
        cp->cy += rows;
        break;
    case ACT_MOVE_TOP:
        cp->cy = cp->cx = 0;
        break;
    case ACT_MOVE_BOTTOM:
        cp->cy = cp->cx = k ? k - 1 : 0;
        break;
    case ACT_DIVE: {
        size_t n = cursor_expr(p, env, env->dive, sizeof env->dive);
        if (n > 0 && n < sizeof env->dive)
            return R_DIVE;
        return R_NONE;
    }
    default:
        return R_NONE;
    }
    clamp(cp, env);
    return R_REDRAW;
}

static void result_changed(pane *p, pane_env *env)
{
    clamp((confusion_pane *)p, env);
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    confusion_pane *cp = (confusion_pane *)p;
    uint32_t k = nclass(env);
    const char **cells = calloc((size_t)k + 1, sizeof *cells);
    char(*txt)[32] = calloc((size_t)k + 1, sizeof *txt);
    err_code rc = cells && txt ? E_OK : err_set(e, E_NOMEM, "out of memory exporting");
    if (rc == E_OK) {
        cells[0] = "true \\ predicted";
        for (uint32_t j = 0; j < k; j++)
            cells[j + 1] = env->o->classes[j];
        rc = tbl_row(out, md, true, (size_t)k + 1, cells, e);
    }
    for (uint32_t i = 0; i < k && rc == E_OK; i++) {
        cells[0] = env->o->classes[i];
        for (uint32_t j = 0; j < k; j++) {
            cell_text(cp, env, i, j, txt[j], sizeof txt[j]);
            if (strcmp(txt[j], "·") == 0)
                snprintf(txt[j], sizeof txt[j], "0");
            cells[j + 1] = txt[j];
        }
        rc = tbl_row(out, md, false, (size_t)k + 1, cells, e);
    }
    free(cells);
    free(txt);
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    confusion_pane *cp = (confusion_pane *)p;
    int lw = label_width(env);
    if (y >= 1)
        cp->cy = cp->top + (uint32_t)(y - 1);
    if (x >= 2 + lw)
        cp->cx = cp->left + (uint32_t)((x - 2 - lw) / CELL_W);
    clamp(cp, env);
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter dive  n r c counts/row%/col%";
}

static void pfree(pane *p)
{
    free(p);
}

static const pane_ops CONFUSION_OPS = {
    .name = "confusion",
    .label = "[C]onfusion",
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

err_code confusion_pane_new(pane **out, err *e)
{
    confusion_pane *cp = calloc(1, sizeof *cp);
    if (!cp)
        return err_set(e, E_NOMEM, "out of memory");
    cp->base.ops = &CONFUSION_OPS;
    cp->base.h = 10;
    cp->base.w = 40;
    *out = &cp->base;
    return E_OK;
}
