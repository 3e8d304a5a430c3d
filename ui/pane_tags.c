/* Tag summary pane: the review work so far. One row per tag with its key, the rows holding it
 * in the whole file, and the tag as a slice of the selection (rows, errors, error rate, lift,
 * p against the rest of the selection; dim when small or not significant), then "any tag" and
 * "untagged"; the rows each reviewer changed and when last; how many rows have a note; and
 * the progress of the current review queue. Enter on a tag row dives into it
 * (tag == "mislabeled", tagged, untagged). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "listnav.h"
#include "pane.h"
#include "table.h"
#include "tagfmt.h"
#include "tagui.h"
#include "tagview.h"

#define MAX_REVIEWERS 32

typedef struct reviewer {
    char name[JR_NAME_MAX];
    size_t rows;
    char last[32]; /* the latest change this reviewer made last on a row */
} reviewer;

typedef struct tags_pane {
    pane base;
    listnav nav;                   /* over the tag rows */
    tag_slice sl[TG_MAX_TAGS + 2]; /* tags as slices of the selection */
    size_t nsl;
    reviewer rev[MAX_REVIEWERS];
    size_t nrev, nnotes;
    uint64_t res_serial, tags_serial; /* what the figures were made from; 0: not yet */
} tags_pane;

/* Counts the rows each reviewer changed (every name in a row's reviewer list). */
static void count_reviewers(tags_pane *tp, const tag_state *t)
{
    tp->nrev = tp->nnotes = 0;
    for (size_t i = 0; i < tg_count_rows(t); i++) {
        const tg_row *r = tg_row_at(t, i);
        tp->nnotes += r->note != NULL;
        for (const char *p = r->reviewers ? r->reviewers : ""; *p;) {
            size_t n = strcspn(p, ",");
            char name[JR_NAME_MAX];
            snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), p);
            p += n;
            while (*p == ',' || *p == ' ')
                p++;
            size_t k = 0;
            while (k < tp->nrev && strcmp(tp->rev[k].name, name) != 0)
                k++;
            if (k == tp->nrev) {
                if (tp->nrev == MAX_REVIEWERS)
                    continue;
                memset(&tp->rev[tp->nrev], 0, sizeof tp->rev[0]);
                snprintf(tp->rev[tp->nrev].name, sizeof tp->rev[0].name, "%s", name);
                tp->nrev++;
            }
            tp->rev[k].rows++;
            if (strcmp(r->last_reviewer, name) == 0 && strcmp(r->last_ts, tp->rev[k].last) > 0)
                snprintf(tp->rev[k].last, sizeof tp->rev[k].last, "%s", r->last_ts);
        }
    }
}

static void update(tags_pane *tp, const pane_env *env)
{
    if (!env->tags) {
        tp->nsl = tp->nrev = tp->nnotes = 0;
        return;
    }
    if (tp->res_serial == env->res->serial && tp->tags_serial == env->tags_serial && tp->res_serial)
        return;
    tv_slices(env->tags, env->o, &env->res->sel, eng_options(env->eng)->min_support, tp->sl,
              &tp->nsl);
    count_reviewers(tp, env->tags);
    tp->res_serial = env->res->serial;
    tp->tags_serial = env->tags_serial;
}

static void sl_name(const pane_env *env, const tag_slice *s, char *buf, size_t size)
{
    if (s->tag >= 0)
        snprintf(buf, size, "%s", tg_tag_name(env->tags, (size_t)s->tag));
    else
        snprintf(buf, size, "%s", s->tag == -1 ? "any tag" : "untagged");
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    tags_pane *tp = (tags_pane *)p;
    if (!env->tags) {
        snprintf(buf, size, "Tags (off)");
        return;
    }
    update(tp, env);
    char n[32];
    snprintf(buf, size, "Tags · %s rows reviewed · %zu note%s",
             fmt_count(tg_count_rows(env->tags), n, sizeof n), tp->nnotes,
             tp->nnotes == 1 ? "" : "s");
}

/* One row of the tag table at line y. */
static void draw_tag_row(canvas *cv, int y, const pane_env *env, const tag_slice *s, bool cur)
{
    char name[JR_TAG_MAX], key[16] = "", all[32], n[32], ne[32], rate[32], lift[32], pv[32];
    sl_name(env, s, name, sizeof name);
    if (s->tag >= 0 && s->tag < 9)
        snprintf(key, sizeof key, "%d", s->tag + 1);
    size_t total = s->tag >= 0    ? tg_tag_count(env->tags, s->tag)
                   : s->tag == -1 ? tg_count_rows(env->tags)
                                  : 0;
    ui_role role = s->small || !(s->p < 0.05) ? UI_ROW_DIM : UI_NORMAL;
    cv_text(cv, y, 0, cur ? "▶" : " ", 1, UI_KEY);
    cv_text(cv, y, 2, key, 1, UI_KEY);
    cv_text_fit(cv, y, 4, name, 16, s->tag >= 0 ? tf_role(s->tag) : UI_NORMAL);
    int x = 21;
    if (s->tag == -2)
        snprintf(all, sizeof all, "–");
    else
        fmt_count(total, all, sizeof all);
    cv_text_right(cv, y, x, all, 7, UI_NORMAL);
    x += 8;
    cv_text_right(cv, y, x, fmt_count(s->n, n, sizeof n), 8, role);
    x += 9;
    cv_text_right(cv, y, x, fmt_count(s->nerr, ne, sizeof ne), 7, role);
    x += 8;
    cv_text_right(cv, y, x, fmt_pct(s->rate, rate, sizeof rate), 7, role);
    x += 8;
    cv_text_right(cv, y, x, fmt_lift(s->lift, lift, sizeof lift), 6, role);
    x += 7;
    snprintf(pv, sizeof pv, "p %s", fmt_q(s->p, n, sizeof n));
    cv_text_right(cv, y, x, pv, 9, role);
    if (cur)
        cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
}

static void draw_queue(canvas *cv, int y, const pane_env *env)
{
    const review_state *rv = env->review;
    if (!rv || !rv->built) {
        cv_text(cv, y, 1, "No review queue yet: V reviews the selection's errors one by one.",
                cv->w - 2, UI_ROW_DIM);
        return;
    }
    size_t done = tu_reviewed(rv, env->tags);
    char line[600];
    snprintf(line, sizeof line, "Review queue  %zu / %zu  by %s%s  ·  %zu reviewed (%.0f%%)",
             rv->pos < rv->q.len ? rv->pos + 1 : rv->q.len, rv->q.len, rq_order_name(rv->opt.order),
             rv->opt.sample ? ", sampled" : "", done,
             rv->q.len ? 100.0 * (double)done / (double)rv->q.len : 0.0);
    int x = cv_text(cv, y, 1, line, cv->w - 2, UI_NORMAL);
    if (x + 12 < cv->w)
        cv_bar(cv, y, x + 2, cv->w - x - 3 < 20 ? cv->w - x - 3 : 20,
               rv->q.len ? (double)done / (double)rv->q.len : 0, UI_BAR);
    if (rv->scope[0])
        cv_printf(cv, y + 1, 3, UI_ROW_DIM, "errors of: %s", rv->scope);
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    tags_pane *tp = (tags_pane *)p;
    if (!env->tags) {
        cv_text(cv, 0, 1, env->tags_off ? env->tags_off : "tags are off", cv->w - 2, UI_STATUS_ERR);
        return;
    }
    update(tp, env);
    ln_clamp(&tp->nav, tp->nsl, tp->nsl);
    int y = 0;
    static const struct {
        int x, w;
        const char *label;
    } HEAD[] = {{21, 7, "file"}, {29, 8, "selected"}, {38, 7, "errors"},
                {46, 7, "rate"}, {54, 6, "lift"},     {61, 9, "p"}};
    cv_text(cv, y, 4, "tag", -1, UI_HEADER);
    for (size_t k = 0; k < sizeof HEAD / sizeof HEAD[0]; k++)
        cv_text_right(cv, y, HEAD[k].x, HEAD[k].label, HEAD[k].w, UI_HEADER);
    y++;
    for (size_t i = 0; i < tp->nsl && y < cv->h; i++)
        draw_tag_row(cv, y++, env, &tp->sl[i], i == tp->nav.cur);
    y++;
    if (y < cv->h) {
        char notes[32];
        cv_printf(cv, y++, 1, UI_HEADER, "Reviewers (%zu)   notes on %s row%s", tp->nrev,
                  fmt_count(tp->nnotes, notes, sizeof notes), tp->nnotes == 1 ? "" : "s");
    }
    for (size_t k = 0; k < tp->nrev && y < cv->h; k++) {
        char n[32];
        cv_text_fit(cv, y, 3, tp->rev[k].name, 16, UI_NORMAL);
        cv_printf(cv, y++, 20, UI_NORMAL, "%6s rows   last %s",
                  fmt_count(tp->rev[k].rows, n, sizeof n),
                  tp->rev[k].last[0] ? tp->rev[k].last : "–");
    }
    if (tp->nrev == 0 && y < cv->h)
        cv_text(cv, y++, 3, "nobody has tagged a row yet", -1, UI_ROW_DIM);
    y++;
    if (y < cv->h)
        draw_queue(cv, y, env);
    if (env->tags_off && cv->h > 1)
        cv_text(cv, cv->h - 1, 1, env->tags_off, cv->w - 2, UI_STATUS_ERR);
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    tags_pane *tp = (tags_pane *)p;
    if (!env->tags)
        return 0;
    update(tp, env);
    if (tp->nav.cur >= tp->nsl)
        return 0;
    const tag_slice *s = &tp->sl[tp->nav.cur];
    if (s->tag >= 0)
        return (size_t)snprintf(buf, size, "tag == \"%s\"", tg_tag_name(env->tags, (size_t)s->tag));
    return (size_t)snprintf(buf, size, "%s", s->tag == -1 ? "tagged" : "untagged");
}

static unsigned act(pane *p, pane_env *env, action a)
{
    tags_pane *tp = (tags_pane *)p;
    update(tp, env);
    if (a == ACT_DIVE) {
        size_t n = cursor_expr(p, env, env->dive, sizeof env->dive);
        if (n > 0 && n < sizeof env->dive)
            return R_DIVE;
        snprintf(env->msg, sizeof env->msg, "%s",
                 env->tags ? "nothing to dive into here" : "tags are off");
        return R_REDRAW;
    }
    return ln_move(&tp->nav, a, tp->nsl, tp->nsl ? tp->nsl : 1) ? R_REDRAW : R_NONE;
}

static void result_changed(pane *p, pane_env *env)
{
    tags_pane *tp = (tags_pane *)p;
    tp->res_serial = 0;
    update(tp, env);
    ln_clamp(&tp->nav, tp->nsl, tp->nsl ? tp->nsl : 1);
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    tags_pane *tp = (tags_pane *)p;
    if (!env->tags)
        return err_set(e, E_USAGE, "tags are off: nothing to export");
    update(tp, env);
    static const char *const HEAD[] = {"tag",        "rows", "selected", "errors",
                                       "error rate", "lift", "p"};
    err_code rc = tbl_row(out, md, true, 7, HEAD, e);
    for (size_t i = 0; i < tp->nsl && rc == E_OK; i++) {
        const tag_slice *s = &tp->sl[i];
        char name[JR_TAG_MAX], all[32], n[32], ne[32], rate[32], lift[32], pv[32];
        sl_name(env, s, name, sizeof name);
        snprintf(all, sizeof all, "%zu",
                 s->tag >= 0    ? tg_tag_count(env->tags, s->tag)
                 : s->tag == -1 ? tg_count_rows(env->tags)
                                : (size_t)0);
        snprintf(n, sizeof n, "%zu", s->n);
        snprintf(ne, sizeof ne, "%zu", s->nerr);
        snprintf(rate, sizeof rate, "%.4f", s->rate);
        snprintf(lift, sizeof lift, "%.3f", s->lift);
        snprintf(pv, sizeof pv, "%.3g", s->p);
        const char *cells[] = {name, all, n, ne, rate, lift, pv};
        rc = tbl_row(out, md, false, 7, cells, e);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)x;
    tags_pane *tp = (tags_pane *)p;
    update(tp, env);
    if (y >= 1 && (size_t)(y - 1) < tp->nsl)
        tp->nav.cur = (size_t)(y - 1);
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter dive into the tag  V review";
}

static void pfree(pane *p)
{
    free(p);
}

static const pane_ops TAGS_OPS = {
    .name = "tags",
    .label = "[T]ags",
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

err_code tags_pane_new(pane **out, err *e)
{
    tags_pane *tp = calloc(1, sizeof *tp);
    if (!tp)
        return err_set(e, E_NOMEM, "out of memory");
    tp->base.ops = &TAGS_OPS;
    *out = &tp->base;
    return E_OK;
}
