/* Slices pane: the error rate of every bin of every column within the selection (the
 * engine's slice table) and, on a second tab, the conjunctions the slice search discovered.
 * Each row shows a bar with its interval, n and the q-value; small or non-significant rows
 * are dim, so that a bright row is always a real finding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binexpr.h"
#include "fmt.h"
#include "listnav.h"
#include "pane.h"
#include "table.h"
#include "tagview.h"
#include "usort.h"

typedef enum { SORT_Q, SORT_LIFT, SORT_ERRORS, SORT_N, SORT_COUNT } sort_key;
static const char *const SORT_NAMES[] = {"q-value", "lift", "errors", "n"};

typedef enum { TAB_COLUMNS, TAB_DISCOVERED } slices_tab;

/* One row of either tab, in the fields both share. */
typedef struct srow {
    size_t idx; /* into the slice table or the search result */
    size_t n, nerr;
    double rate, lo, hi, lift, q;
    bool dim; /* small or not significant */
    bool is_tag; /* a tag slice (tagview.h): tag holds its index, q its p-value */
    int tag;
} srow;

typedef struct slices_pane {
    pane base;
    slices_tab tab;
    sort_key sort;
    listnav nav[2];
    srow *rows; /* owned; rebuilt for each draw and action */
    size_t nrows, cap;
    tag_slice tagsl[TG_MAX_TAGS + 2]; /* the tags as slices of the selection, cached */
    size_t ntagsl;
    uint64_t tagsl_res, tagsl_tags; /* the result and tags serials they were made for */
} slices_pane;

static int cmp_rows(const void *a, const void *b, void *ctx)
{
    const srow *x = a, *y = b;
    sort_key k = *(const sort_key *)ctx;
    double dx, dy;
    switch (k) {
    case SORT_LIFT:
        dx = -x->lift, dy = -y->lift;
        break;
    case SORT_ERRORS:
        dx = -(double)x->nerr, dy = -(double)y->nerr;
        break;
    case SORT_N:
        dx = -(double)x->n, dy = -(double)y->n;
        break;
    default:
        dx = x->q, dy = y->q;
        break;
    }
    if (isnan(dx) != isnan(dy))
        return isnan(dx) ? 1 : -1;
    if (dx != dy && !isnan(dx))
        return dx < dy ? -1 : 1;
    if (x->lift != y->lift && !isnan(x->lift) && !isnan(y->lift))
        return x->lift > y->lift ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool push_row(slices_pane *sp, srow r)
{
    if (sp->nrows == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 256;
        srow *v = realloc(sp->rows, cap * sizeof *v);
        if (!v)
            return false;
        sp->rows = v;
        sp->cap = cap;
    }
    sp->rows[sp->nrows++] = r;
    return true;
}

/* Rows for the tags (tag = mislabeled), when there are tags and every column is shown. */
static void push_tag_rows(slices_pane *sp, const pane_env *env)
{
    if (!env->tags || env->slice_dim >= 0 || tg_count_rows(env->tags) == 0)
        return;
    if (sp->tagsl_res != env->res->serial || sp->tagsl_tags != env->tags_serial ||
        sp->ntagsl == 0) {
        tv_slices(env->tags, env->o, &env->res->sel, eng_options(env->eng)->min_support,
                  sp->tagsl, &sp->ntagsl);
        sp->tagsl_res = env->res->serial;
        sp->tagsl_tags = env->tags_serial;
    }
    for (size_t k = 0; k < sp->ntagsl; k++) {
        const tag_slice *t = &sp->tagsl[k];
        if (t->tag < 0 || t->n == 0)
            continue;
        srow r = {env->res->slices.len + k, t->n, t->nerr, t->rate, t->lo, t->hi, t->lift,
                  t->p, t->small || !(t->p < 0.05), true, t->tag};
        if (!push_row(sp, r))
            break;
    }
}

/* The rows of the current tab, sorted. */
static void build_rows(slices_pane *sp, const pane_env *env)
{
    sp->nrows = 0;
    if (sp->tab == TAB_COLUMNS) {
        const slice_table *t = &env->res->slices;
        for (size_t i = 0; i < t->len; i++) {
            const slice *s = &t->v[i];
            if (s->n == 0 || env->b->dim[s->dim].kind == DIM_OUTCOME)
                continue; /* the outcome restates the error itself */
            if (env->slice_dim >= 0 && s->dim != (uint32_t)env->slice_dim)
                continue;
            if (!push_row(sp, (srow){i, s->n, s->nerr, s->rate, s->lo, s->hi, s->lift, s->q,
                                     s->small || !(s->q < 0.05), false, 0}))
                break;
        }
        push_tag_rows(sp, env);
    } else if (env->found) {
        for (size_t i = 0; i < env->found->len; i++) {
            const srch_slice *s = &env->found->v[i];
            if (!push_row(sp, (srow){i, s->n, s->nerr, s->rate, s->ci_lo, s->ci_hi, s->lift,
                                     s->q, !(s->q < 0.05), false, 0}))
                break;
        }
    }
    /* the search's own order is its ranking: keep it unless another key was chosen */
    if (sp->tab == TAB_COLUMNS || sp->sort != SORT_Q)
        us_sort(sp->rows, sp->nrows, sizeof *sp->rows, cmp_rows, &sp->sort);
}

static void row_name(const slices_pane *sp, const pane_env *env, const srow *r, char *buf,
                     size_t size)
{
    if (r->is_tag) {
        snprintf(buf, size, "tag = %s", tg_tag_name(env->tags, (size_t)r->tag));
    } else if (sp->tab == TAB_COLUMNS) {
        const slice *s = &env->res->slices.v[r->idx];
        bin_describe(&env->b->dim[s->dim], s->bin, buf, size);
    } else {
        srch_describe(env->b, &env->found->v[r->idx], buf, size);
    }
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    slices_pane *sp = (slices_pane *)p;
    const char *tab = "";
    char colname[160] = "";
    if (sp->tab == TAB_DISCOVERED)
        tab = " · Discovered";
    else if (env->slice_dim >= 0 && (size_t)env->slice_dim < env->b->ndim) {
        snprintf(colname, sizeof colname, " · %s", env->b->dim[env->slice_dim].name);
        tab = colname;
    }
    snprintf(buf, size, "Slices%s (%s ▾)", tab, SORT_NAMES[sp->sort]);
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    slices_pane *sp = (slices_pane *)p;
    build_rows(sp, env);
    listnav *ln = &sp->nav[sp->tab];
    ln_clamp(ln, sp->nrows, (size_t)cv->h);
    if (sp->nrows == 0) {
        const char *why = sp->tab == TAB_COLUMNS ? "no slices in this selection"
                          : env->search_state    ? env->search_state
                                                 : "the search found no significant slice";
        cv_text(cv, 0, 1, why, cv->w - 2, UI_ROW_DIM);
        return;
    }
    bool wide = cv->w >= 72, mid = cv->w >= 50;
    int barw = wide ? 10 : mid ? 8 : 0;
    int right = 7 + (wide ? 14 : 0) + 8 + (mid ? 9 : 0) + (barw ? barw + 1 : 0);
    int namew = cv->w - 2 - right;
    if (namew < 8)
        namew = 8;
    double scale = 0;
    for (size_t i = 0; i < sp->nrows; i++)
        if (sp->rows[i].hi > scale)
            scale = sp->rows[i].hi;
    if (!(scale > 0))
        scale = 1;
    for (int y = 0; y < cv->h && ln->top + (size_t)y < sp->nrows; y++) {
        size_t i = ln->top + (size_t)y;
        const srow *r = &sp->rows[i];
        ui_role role = r->dim ? UI_ROW_DIM : UI_NORMAL;
        char name[512], a[32], b[48];
        row_name(sp, env, r, name, sizeof name);
        int x = 1;
        cv_text_fit(cv, y, x, name, namew, role);
        x += namew + 1;
        if (barw) {
            int lo = (int)(r->lo / scale * barw), hi = (int)ceil(r->hi / scale * barw);
            for (int k = lo; k < hi && k < barw; k++)
                cv_text(cv, y, x + k, "─", 1, r->dim ? UI_ROW_DIM : UI_BAR_CI);
            cv_bar(cv, y, x, barw, r->rate / scale, r->dim ? UI_ROW_DIM : UI_BAR);
            x += barw + 1;
        }
        cv_text_right(cv, y, x, fmt_pct(r->rate, a, sizeof a), 6, role);
        x += 7;
        if (wide) {
            cv_text_fit(cv, y, x, fmt_interval(r->lo, r->hi, b, sizeof b), 13, role);
            x += 14;
        }
        cv_text_right(cv, y, x, fmt_count(r->n, a, sizeof a), 7, role);
        x += 8;
        if (mid) {
            snprintf(b, sizeof b, "%s %s", r->is_tag ? "p" : "q", fmt_q(r->q, a, sizeof a));
            cv_text_right(cv, y, x, b, 9, role);
        }
        if (i == ln->cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
    }
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    slices_pane *sp = (slices_pane *)p;
    build_rows(sp, env);
    listnav *ln = &sp->nav[sp->tab];
    if (ln->cur >= sp->nrows)
        return 0;
    const srow *r = &sp->rows[ln->cur];
    if (r->is_tag)
        return (size_t)snprintf(buf, size, "tag == \"%s\"", tg_tag_name(env->tags,
                                                                        (size_t)r->tag));
    if (sp->tab == TAB_COLUMNS) {
        const slice *s = &env->res->slices.v[r->idx];
        return bx_bin(env->b, env->ds, s->dim, s->bin, buf, size);
    }
    const srch_slice *s = &env->found->v[r->idx];
    size_t len = 0;
    for (unsigned k = 0; k < s->npred; k++) {
        char part[1024];
        size_t n = bx_bin(env->b, env->ds, s->pred[k].dim, s->pred[k].bin, part, sizeof part);
        if (n == 0 || n >= sizeof part)
            return 0;
        len += (size_t)snprintf(buf + (len < size ? len : size), len < size ? size - len : 0,
                                "%s%s", k ? " && " : "", part);
    }
    return len;
}

static unsigned act(pane *p, pane_env *env, action a)
{
    slices_pane *sp = (slices_pane *)p;
    build_rows(sp, env);
    switch (a) {
    case ACT_SORT_CYCLE:
        sp->sort = (sp->sort + 1) % SORT_COUNT;
        snprintf(env->msg, sizeof env->msg, "slices sorted by %s", SORT_NAMES[sp->sort]);
        return R_REDRAW;
    case ACT_TAB_SWITCH:
        if (sp->tab == TAB_COLUMNS && env->slice_dim >= 0) {
            env->slice_dim = -1; /* first back to every column, then to the other tab */
            return R_REDRAW;
        }
        sp->tab = sp->tab == TAB_COLUMNS ? TAB_DISCOVERED : TAB_COLUMNS;
        return R_REDRAW;
    case ACT_DIVE: {
        size_t n = cursor_expr(p, env, env->dive, sizeof env->dive);
        if (n > 0 && n < sizeof env->dive)
            return R_DIVE;
        snprintf(env->msg, sizeof env->msg, "nothing to dive into here");
        return R_REDRAW;
    }
    default:
        return ln_move(&sp->nav[sp->tab], a, sp->nrows, (size_t)(p->h > 0 ? p->h : 1))
                   ? R_REDRAW
                   : R_NONE;
    }
}

static void result_changed(pane *p, pane_env *env)
{
    slices_pane *sp = (slices_pane *)p;
    build_rows(sp, env);
    ln_clamp(&sp->nav[sp->tab], sp->nrows, (size_t)(p->h > 0 ? p->h : 1));
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    slices_pane *sp = (slices_pane *)p;
    build_rows(sp, env);
    static const char *const HEAD[] = {"slice", "n", "errors", "error rate", "ci low",
                                       "ci high", "lift", "q"};
    err_code rc = tbl_row(out, md, true, 8, HEAD, e);
    for (size_t i = 0; i < sp->nrows && rc == E_OK; i++) {
        const srow *r = &sp->rows[i];
        char name[512], n[32], ne[32], rate[32], lo[32], hi[32], lift[32], q[32];
        row_name(sp, env, r, name, sizeof name);
        snprintf(n, sizeof n, "%zu", r->n);
        snprintf(ne, sizeof ne, "%zu", r->nerr);
        snprintf(rate, sizeof rate, "%.4f", r->rate);
        snprintf(lo, sizeof lo, "%.4f", r->lo);
        snprintf(hi, sizeof hi, "%.4f", r->hi);
        snprintf(lift, sizeof lift, "%.3f", r->lift);
        snprintf(q, sizeof q, "%.3g", r->q);
        const char *cells[] = {name, n, ne, rate, lo, hi, lift, q};
        rc = tbl_row(out, md, false, 8, cells, e);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)x;
    slices_pane *sp = (slices_pane *)p;
    build_rows(sp, env);
    listnav *ln = &sp->nav[sp->tab];
    if (ln->top + (size_t)y < sp->nrows)
        ln->cur = ln->top + (size_t)y;
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter dive  s sort  t tab";
}

static void pfree(pane *p)
{
    slices_pane *sp = (slices_pane *)p;
    free(sp->rows);
    free(sp);
}

static const pane_ops SLICES_OPS = {
    .name = "slices",
    .label = "[S]lices",
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

err_code slices_pane_new(pane **out, err *e)
{
    slices_pane *sp = calloc(1, sizeof *sp);
    if (!sp)
        return err_set(e, E_NOMEM, "out of memory");
    sp->base.ops = &SLICES_OPS;
    *out = &sp->base;
    return E_OK;
}
