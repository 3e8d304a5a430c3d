/* Review pane: review mode's screen. A header with the place in the queue ("37 / 200"), its
 * order and how much of it has a tag or note, the keys, and below them the case detail of the
 * current item (a detail pane it owns and re-creates when the item changes). Moving through
 * the queue and tagging are the app's (tagui.c); this pane only shows the state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "pane.h"
#include "tagui.h"

#define HEAD_LINES 3

typedef struct review_pane {
    pane base;
    const review_state *rv; /* borrowed from the app */
    pane *detail;           /* owned; the detail of row, NULL before the first draw */
    uint32_t row;
} review_pane;

static bool current(const review_pane *rp, uint32_t *row)
{
    const review_state *rv = rp->rv;
    if (!rv->built || rv->pos >= rv->q.len)
        return false;
    *row = rv->q.row[rv->pos];
    return true;
}

/* The detail pane of the current item (made anew when the item changed); NULL at the end. */
static pane *sync_detail(review_pane *rp)
{
    uint32_t row;
    if (!current(rp, &row))
        return NULL;
    if (rp->detail && rp->row == row)
        return rp->detail;
    pane *d = NULL;
    if (detail_pane_new(&d, row, NULL) != E_OK)
        return rp->detail;
    pane_free(rp->detail);
    rp->detail = d;
    rp->row = row;
    return d;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    (void)env;
    const review_state *rv = ((review_pane *)p)->rv;
    if (rv->pos < rv->q.len)
        snprintf(buf, size, "Review %zu / %zu · by %s", rv->pos + 1, rv->q.len,
                 rq_order_name(rv->opt.order));
    else
        snprintf(buf, size, "Review · done (%zu cases)", rv->q.len);
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    review_pane *rp = (review_pane *)p;
    const review_state *rv = rp->rv;
    size_t done = tu_reviewed(rv, env->tags);
    char pos[64], of[32], nerr[32], line[700];
    if (rv->pos < rv->q.len)
        snprintf(pos, sizeof pos, "%zu / %zu", rv->pos + 1, rv->q.len);
    else
        snprintf(pos, sizeof pos, "done / %zu", rv->q.len);
    int x = cv_text(cv, 0, 1, pos, -1, UI_HEADER);
    size_t len = (size_t)snprintf(line, sizeof line, "   by %s", rq_order_name(rv->opt.order));
    if (rv->opt.sample)
        len += (size_t)snprintf(line + len, sizeof line - len, ", a sample of %s of %s errors",
                                fmt_count(rv->q.len, of, sizeof of),
                                fmt_count(rv->nerr, nerr, sizeof nerr));
    if (rv->opt.order == RQ_RANDOM || rv->opt.sample)
        len += (size_t)snprintf(line + len, sizeof line - len, " (seed %lu)", rv->opt.seed);
    if (len < sizeof line)
        snprintf(line + len, sizeof line - len, "   %zu reviewed   errors of: %s", done,
                 rv->scope[0] ? rv->scope : "every row");
    cv_text(cv, 0, x, line, cv->w - x - 1, UI_NORMAL);
    cv_text(cv, 1, 1,
            cv->ascii ? "1-9 tag and next   Space/Right skip   Left/BS back   n note   u undo   "
                        "q leave"
                      : "1-9 tag and next   Space/→ skip   ←/⌫ back   n note   u undo   "
                        "q leave",
            cv->w - 2, UI_ROW_DIM);
    if (env->tags_off)
        cv_text(cv, 1, 1, env->tags_off, cv->w - 2, UI_STATUS_ERR);
    pane *d = sync_detail(rp);
    if (!d) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "The end of the queue: %zu of its %zu cases have a tag or a "
                 "note.",
                 done, rv->q.len);
        cv_text(cv, HEAD_LINES, 1, msg, cv->w - 2, UI_NORMAL);
        cv_text(cv, HEAD_LINES + 1, 1, "← goes back, q leaves review mode.", cv->w - 2, UI_ROW_DIM);
        return;
    }
    canvas in = cv_sub(cv, HEAD_LINES, 0, cv->h - HEAD_LINES, cv->w);
    d->h = in.h;
    d->w = in.w;
    d->ops->draw(d, &in, env);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    review_pane *rp = (review_pane *)p;
    pane *d = sync_detail(rp);
    if (!d || a == ACT_QUIT)
        return R_NONE;
    return d->ops->act(d, env, a) == R_REDRAW ? R_REDRAW : R_NONE; /* scrolling */
}

static void result_changed(pane *p, pane_env *env)
{
    (void)p;
    (void)env;
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    (void)env;
    uint32_t row;
    if (!current((review_pane *)p, &row))
        return 0;
    return (size_t)snprintf(buf, size, "row == %u", row + 1);
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    pane *d = sync_detail((review_pane *)p);
    if (!d)
        return err_set(e, E_USAGE, "the end of the queue: nothing to export");
    return d->ops->export(d, env, out, md, e);
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)p, (void)env, (void)y, (void)x;
}

static bool cursor_row(pane *p, pane_env *env, uint32_t *row)
{
    (void)env;
    return current((review_pane *)p, row);
}

static const char *hint(pane *p)
{
    (void)p;
    return "1-9 tag+next  Space skip  ← back  n note  q leave";
}

static void pfree(pane *p)
{
    review_pane *rp = (review_pane *)p;
    pane_free(rp->detail);
    free(rp);
}

static const pane_ops REVIEW_OPS = {
    .name = "review",
    .label = "Review",
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

err_code review_pane_new(pane **out, const review_state *rv, err *e)
{
    review_pane *rp = calloc(1, sizeof *rp);
    if (!rp)
        return err_set(e, E_NOMEM, "out of memory");
    rp->base.ops = &REVIEW_OPS;
    rp->rv = rv;
    *out = &rp->base;
    return E_OK;
}
