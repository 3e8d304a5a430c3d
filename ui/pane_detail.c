/* Case detail pane: one row of the file in full. The outcome and confidence first, then why
 * the case matters (the significant slices it falls in, with their lifts, and how its
 * confidence compares with the accuracy of its calibration bin), the score of every class as
 * bars, and every field, long text wrapped with the matches of the active regex filters
 * highlighted. The content is laid out on a tall canvas and scrolled. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefmt.h"
#include "filter.h"
#include "fmt.h"
#include "pane.h"
#include "regex.h"
#include "table.h"
#include "tagfmt.h"

#define MAX_RX 16
#define MAX_MATCHES 256

typedef struct detail_pane {
    pane base;
    uint32_t row;
    int top;    /* first content line shown */
    int nlines; /* content lines at the last draw */
} detail_pane;

typedef struct span {
    size_t off, len;
} span;

/* The matches of the active filters' regexes in column col of the row. */
static size_t find_matches(const pane_env *env, int col, const char *s, size_t len, span *out,
                           size_t max)
{
    size_t n = 0;
    flt_ctx ctx = eng_filter_ctx(env->eng); /* filters may test tags too */
    for (size_t i = 0; i < eng_filter_count(env->eng) && n < max; i++) {
        filter *f = NULL;
        if (flt_compile(&f, eng_filter_text(env->eng, i), &ctx, NULL, NULL) != E_OK)
            continue;
        const rx *re[MAX_RX];
        int rcol[MAX_RX];
        size_t nre = flt_regexes(f, re, rcol, MAX_RX);
        for (size_t k = 0; k < nre && k < MAX_RX; k++) {
            if (rcol[k] != col)
                continue;
            for (size_t at = 0; at <= len && n < max;) {
                size_t off, mlen;
                if (rx_first_match(re[k], NULL, s + at, len - at, &off, &mlen) != 1)
                    break;
                out[n++] = (span){at + off, mlen};
                at += off + (mlen ? mlen : 1);
            }
        }
        flt_free(f);
    }
    return n;
}

static bool in_match(const span *m, size_t n, size_t off)
{
    for (size_t i = 0; i < n; i++)
        if (off >= m[i].off && off < m[i].off + m[i].len)
            return true;
    return false;
}

/* Draws s wrapped into columns [x0, w) from line y on; returns the line after it. Breaks at
 * the last blank that fits, keeps line breaks, highlights bytes inside matches. */
static int wrap(canvas *cv, int y, int x0, int w, const char *s, const span *m, size_t nm)
{
    size_t len = strlen(s);
    int width = w - x0;
    if (width < 8)
        width = 8;
    size_t i = 0;
    while (i < len) {
        /* find the end of this visual line */
        size_t j = i, brk = 0;
        int col = 0;
        while (j < len && s[j] != '\n') {
            uint32_t cp;
            size_t n = ui_utf8_next(s + j, len - j, &cp);
            int cw = cp < 0x20 ? 1 : ui_cpwidth(cp);
            if (col + cw > width)
                break;
            col += cw;
            j += n;
            if (cp == ' ')
                brk = j;
        }
        size_t end = j;
        if (j < len && s[j] != '\n' && brk > i)
            end = brk;
        int x = x0;
        for (size_t k = i; k < end;) {
            uint32_t cp;
            size_t n = ui_utf8_next(s + k, end - k, &cp);
            char ch[8];
            memcpy(ch, s + k, n);
            ch[n] = '\0';
            x = cv_text(cv, y, x, ch, -1, in_match(m, nm, k) ? UI_MATCH : UI_NORMAL);
            k += n;
        }
        y++;
        i = end;
        if (i < len && s[i] == '\n')
            i++;
        else
            while (i < len && s[i] == ' ')
                i++;
    }
    return y;
}

/* The cluster of the row (clusters keep their rows in increasing order), or -1. */
static int cluster_of(const clu_result *cr, uint32_t row)
{
    for (unsigned c = 0; cr && c < cr->k; c++) {
        const uint32_t *r = cr->c[c].rows;
        size_t lo = 0, hi = cr->c[c].size;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (r[mid] < row)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < cr->c[c].size && r[lo] == row)
            return (int)c;
    }
    return -1;
}

/* "in cluster 3 of 12 (22% of the errors): refund, invoice, payment" */
static int cluster_line(canvas *cv, int y, const pane_env *env, uint32_t row)
{
    const clu_result *cr = env->clusters;
    int c = cluster_of(cr, row);
    if (c < 0)
        return y;
    const clu_cluster *cl = &cr->c[c];
    char line[1024], share[32];
    size_t used = (size_t)snprintf(line, sizeof line, "in cluster %d of %u (%s of the errors)%s",
                                   c + 1, cr->k, fmt_pct(cl->error_share, share, sizeof share),
                                   cl->nkw ? ":" : "");
    for (unsigned t = 0; t < cl->nkw && t < 6 && used + 1 < sizeof line; t++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s %s", t ? "," : "",
                                 cl->kw[t].text);
    cv_text_fit(cv, y++, 2, line, cv->w - 3, UI_NORMAL);
    return y;
}

/* The significant slices the row falls in, worst lift first. */
static int why(canvas *cv, int y, const pane_env *env, uint32_t row)
{
    const slice_table *t = &env->res->slices;
    size_t *hit = malloc((t->len ? t->len : 1) * sizeof *hit);
    size_t nhit = 0;
    if (!hit)
        return y;
    for (size_t i = 0; i < t->len; i++) {
        const slice *s = &t->v[i];
        const bin_dim *d = &env->b->dim[s->dim];
        if (d->kind == DIM_OUTCOME || d->kind == DIM_TRUE_CLASS || d->kind == DIM_PRED_CLASS)
            continue; /* they restate the case's own outcome */
        if (d->code[row] == s->bin && !s->small && s->q < 0.05 && s->lift > 1)
            hit[nhit++] = i;
    }
    for (size_t a = 1; a < nhit; a++) /* few entries: insertion sort by lift */
        for (size_t b = a; b > 0 && t->v[hit[b]].lift > t->v[hit[b - 1]].lift; b--) {
            size_t tmp = hit[b];
            hit[b] = hit[b - 1];
            hit[b - 1] = tmp;
        }
    if (nhit == 0)
        cv_text(cv, y++, 2, "it falls in no significantly worse slice of this selection", -1,
                UI_ROW_DIM);
    for (size_t k = 0; k < nhit && k < 8; k++) {
        const slice *s = &t->v[hit[k]];
        char name[512], rate[32], lift[32], q[32];
        bin_describe(&env->b->dim[s->dim], s->bin, name, sizeof name);
        cv_text_fit(cv, y, 2, name, 36, UI_NORMAL);
        cv_printf(cv, y++, 40, UI_NORMAL, "%6s  %s  q %s", fmt_pct(s->rate, rate, sizeof rate),
                  fmt_lift(s->lift, lift, sizeof lift), fmt_q(s->q, q, sizeof q));
    }
    free(hit);
    y = cluster_line(cv, y, env, row);
    double c = env->o->conf ? env->o->conf[row] : NAN;
    int bin = met_bin_of(c);
    if (bin >= 0) {
        const met_bin *mb = &env->res->m.bins[bin];
        char acc[32];
        cv_printf(cv, y++, 2, UI_NORMAL,
                  "confidence %.2f: rows this confident are right %s of the time%s", c,
                  fmt_pct(mb->accuracy, acc, sizeof acc),
                  c >= 0.8 ? " - a confident mistake" : c < 0.6 ? " - the model hesitated" : "");
    }
    return y;
}

static int scores(canvas *cv, int y, const pane_env *env, uint32_t row)
{
    if (!out_has_scores(env->o) || env->o->nclass == 0)
        return y;
    int lw = 6;
    for (uint32_t k = 0; k < env->o->nclass; k++)
        if (ui_strwidth(env->o->classes[k]) > lw)
            lw = ui_strwidth(env->o->classes[k]);
    if (lw > 20)
        lw = 20;
    cv_text(cv, y++, 0, "Class scores", -1, UI_HEADER);
    for (uint32_t k = 0; k < env->o->nclass; k++) {
        double s = out_score(env->o, row, k);
        bool truth = env->o->y && env->o->y[row] == k, pred = env->o->yhat[row] == k;
        cv_text_fit(cv, y, 2, env->o->classes[k], lw, truth ? UI_CM_DIAG : pred ? UI_CM_OFF
                                                                                : UI_NORMAL);
        cv_bar(cv, y, 3 + lw, 20, s, UI_BAR);
        char v[32];
        if (isnan(s))
            snprintf(v, sizeof v, "–");
        else
            snprintf(v, sizeof v, "%.3f", s);
        cv_printf(cv, y++, 24 + lw, UI_NORMAL, "%s%s%s", v, truth ? "  true" : "",
                  pred ? "  predicted" : "");
    }
    return y + 1;
}

static int fields(canvas *cv, int y, const pane_env *env, uint32_t row)
{
    const dataset *ds = env->ds;
    int nw = 8;
    for (size_t i = 0; i < ds->ncols; i++)
        if (ui_strwidth(ds->cols[i].name) > nw)
            nw = ui_strwidth(ds->cols[i].name);
    if (nw > 24)
        nw = 24;
    cv_text(cv, y++, 0, "Fields", -1, UI_HEADER);
    for (size_t i = 0; i < ds->ncols; i++) {
        const column *c = &ds->cols[i];
        size_t size = 256;
        if (c->type == COL_TEXT || c->type == COL_CAT)
            size = 1 << 16;
        char *v = malloc(size);
        if (!v)
            break;
        ds_cell_text(ds, (int)i, row, v, size);
        cv_text_fit(cv, y, 2, c->name, nw, UI_KEY);
        if (!v[0]) {
            cv_text(cv, y++, 3 + nw, "(missing)", -1, UI_ROW_DIM);
        } else if (c->type == COL_TEXT) {
            span m[MAX_MATCHES];
            size_t nm = find_matches(env, (int)i, v, strlen(v), m, MAX_MATCHES);
            y = wrap(cv, y + 1, 4, cv->w - 1, v, m, nm);
        } else {
            span m[MAX_MATCHES];
            size_t nm = find_matches(env, (int)i, v, strlen(v), m, MAX_MATCHES);
            y = wrap(cv, y, 3 + nw, cv->w - 1, v, m, nm);
        }
        free(v);
    }
    return y;
}

/* The review state of the row: every tag of keys 1-9 with its key (those on in their colour,
 * the others dim), tags past the ninth that are on, the note, who changed the row and when. */
static int tags_section(canvas *cv, int y, const pane_env *env, uint32_t row)
{
    if (!env->tags) {
        if (env->tags_off)
            cv_printf(cv, y++, 0, UI_ROW_DIM, "Tags    %s", env->tags_off);
        return env->tags_off ? y + 1 : y;
    }
    const tg_row *r = tg_get(env->tags, row);
    cv_text(cv, y, 0, "Tags", -1, UI_HEADER);
    int x = 8;
    for (size_t t = 0; t < tg_ntags(env->tags); t++) {
        bool on = r && (r->mask >> t & 1u);
        if (t >= 9 && !on)
            continue;
        char item[JR_TAG_MAX + 8];
        if (t < 9)
            snprintf(item, sizeof item, "%zu %s", t + 1, tg_tag_name(env->tags, t));
        else
            snprintf(item, sizeof item, "%s", tg_tag_name(env->tags, t));
        int w = ui_strwidth(item);
        if (x > 8 && x + w > cv->w - 1) {
            y++;
            x = 8;
        }
        x = cv_text(cv, y, x, item, -1, on ? tf_role((int)t) : UI_ROW_DIM) + 2;
    }
    y++;
    if (r && r->note) {
        cv_text(cv, y, 0, "Note", -1, UI_HEADER);
        y = wrap(cv, y, 8, cv->w - 1, r->note, NULL, 0);
    }
    if (r)
        cv_printf(cv, y++, 8, UI_ROW_DIM, "by %s · last change %s by %s", r->reviewers,
                  r->last_ts, r->last_reviewer);
    else
        cv_text(cv, y++, 8, "not reviewed yet: 1-9 tag it, n adds a note", -1, UI_ROW_DIM);
    return y + 1;
}

/* Lays the whole case out from line 0; returns the number of lines. */
static int layout(canvas *cv, const pane_env *env, uint32_t row)
{
    char id[256], out[512];
    cf_id(env, row, id, sizeof id);
    cf_outcome(env, row, out, sizeof out);
    int y = 0;
    cv_printf(cv, y++, 0, UI_HEADER, "%s  (row %u)", id, row + 1);
    const char *st = env->o->err[row] == OUT_ERROR     ? "error"
                     : env->o->err[row] == OUT_CORRECT ? "correct"
                                                       : "not evaluated";
    double c = env->o->conf ? env->o->conf[row] : NAN;
    if (isnan(c))
        cv_printf(cv, y++, 0, UI_NORMAL, "%s  %s  loss %.3g", out, st, env->o->loss[row]);
    else
        cv_printf(cv, y++, 0, UI_NORMAL, "%s  %s  confidence %.2f  loss %.3g", out, st, c,
                  env->o->loss[row]);
    y++;
    y = tags_section(cv, y, env, row);
    cv_text(cv, y++, 0, "Why it matters", -1, UI_HEADER);
    y = why(cv, y, env, row);
    y++;
    y = scores(cv, y, env, row);
    y = fields(cv, y, env, row);
    return y;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    detail_pane *dp = (detail_pane *)p;
    char id[200];
    cf_id(env, dp->row, id, sizeof id);
    snprintf(buf, size, "Case %s", id);
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    detail_pane *dp = (detail_pane *)p;
    canvas probe;
    /* first pass on a canvas with no rows: every drawing call is clipped away, only the
     * line count comes back */
    if (cv_init(&probe, 0, cv->w, cv->ascii, NULL) != E_OK)
        return;
    int n = layout(&probe, env, dp->row);
    cv_done(&probe);
    canvas tall;
    if (cv_init(&tall, n, cv->w, cv->ascii, NULL) != E_OK)
        return;
    layout(&tall, env, dp->row);
    dp->nlines = n;
    if (dp->top > n - cv->h)
        dp->top = n - cv->h;
    if (dp->top < 0)
        dp->top = 0;
    cv_blit(cv, &tall, dp->top);
    cv_done(&tall);
    if (n > cv->h)
        cv_printf(cv, cv->h - 1, cv->w - 12, UI_ROW_DIM, " %d/%d ▾", dp->top + cv->h, n);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    (void)env;
    detail_pane *dp = (detail_pane *)p;
    int page = p->h > 1 ? p->h - 1 : 1;
    switch (a) {
    case ACT_MOVE_UP:
        dp->top--;
        break;
    case ACT_MOVE_DOWN:
        dp->top++;
        break;
    case ACT_PAGE_UP:
        dp->top -= page;
        break;
    case ACT_PAGE_DOWN:
        dp->top += page;
        break;
    case ACT_MOVE_TOP:
        dp->top = 0;
        break;
    case ACT_MOVE_BOTTOM:
        dp->top = dp->nlines;
        break;
    case ACT_QUIT:
        return R_CLOSE;
    default:
        return R_NONE;
    }
    if (dp->top > dp->nlines - p->h)
        dp->top = dp->nlines - p->h;
    if (dp->top < 0)
        dp->top = 0;
    return R_REDRAW;
}

static void result_changed(pane *p, pane_env *env)
{
    (void)p;
    (void)env;
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    (void)env;
    return (size_t)snprintf(buf, size, "row == %u", ((detail_pane *)p)->row + 1);
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    detail_pane *dp = (detail_pane *)p;
    static const char *const HEAD[] = {"field", "value"};
    err_code rc = tbl_row(out, md, true, 2, HEAD, e);
    for (size_t i = 0; i < env->ds->ncols && rc == E_OK; i++) {
        char *v = malloc(1 << 16);
        if (!v)
            return err_set(e, E_NOMEM, "out of memory exporting");
        ds_cell_text(env->ds, (int)i, dp->row, v, 1 << 16);
        const char *cells[] = {env->ds->cols[i].name, v};
        rc = tbl_row(out, md, false, 2, cells, e);
        free(v);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)p, (void)env, (void)y, (void)x;
}

static bool cursor_row(pane *p, pane_env *env, uint32_t *row)
{
    (void)env;
    *row = ((detail_pane *)p)->row;
    return true;
}

static const char *hint(pane *p)
{
    (void)p;
    return "↑↓ scroll  1-9 tag  n note  q close";
}

static void pfree(pane *p)
{
    free(p);
}

static const pane_ops DETAIL_OPS = {
    .name = "detail",
    .label = "Case",
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

err_code detail_pane_new(pane **out, uint32_t row, err *e)
{
    detail_pane *dp = calloc(1, sizeof *dp);
    if (!dp)
        return err_set(e, E_NOMEM, "out of memory");
    dp->base.ops = &DETAIL_OPS;
    dp->row = row;
    *out = &dp->base;
    return E_OK;
}
