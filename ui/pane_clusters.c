/* Clusters pane: the selection's errors grouped into themes, each named by its keywords,
 * with its size, share of the errors, top true -> predicted pairs and the reviewers' tags
 * among its rows; below the list, the cluster under the cursor in full (keywords with
 * scores, representative rows).
 * The clustering runs off the input loop (app.c) and arrives in env->clusters; until then
 * the pane says what is happening. Enter dives into the cluster's rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefmt.h"
#include "fmt.h"
#include "listnav.h"
#include "pane.h"
#include "table.h"

typedef struct clusters_pane {
    pane base;
    listnav nav;
} clusters_pane;

static size_t count(const pane_env *env)
{
    return env->clusters ? env->clusters->k : 0;
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    (void)p;
    const clu_result *c = env->clusters;
    if (!c)
        snprintf(buf, size, "Clusters");
    else
        snprintf(buf, size, "Clusters (%u of %zu %s, %s)", c->k, c->nrows - c->nunclustered,
                 c->all_rows ? "rows" : "errors", clu_method_name(c->method));
}

/* "spam → ham 41" */
static void confusions(const pane_env *env, const clu_cluster *c, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned t = 0; t < c->ntop && used + 1 < size; t++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s → %s %zu", t ? ", " : "",
                                 env->o->classes[c->top[t].y], env->o->classes[c->top[t].yhat],
                                 c->top[t].count);
}

static void keywords(const clu_cluster *c, unsigned max, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned t = 0; t < c->nkw && t < max && used + 1 < size; t++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", t ? "  " : "", c->kw[t].text);
    if (c->nkw == 0)
        snprintf(buf, size, "(no word stands out)");
}

/* "3 mislabeled, 1 ambiguous" over the cluster's rows: what reviewers found in it; "" when
 * tags are off or none of its rows is tagged. */
static void tag_mix(const pane_env *env, const clu_cluster *c, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!env->tags)
        return;
    size_t n[TG_MAX_TAGS] = {0}, nt = tg_ntags(env->tags), used = 0, tagged = 0;
    for (size_t i = 0; i < c->size; i++) {
        const tg_row *r = tg_get(env->tags, c->rows[i]);
        if (!r || !r->mask)
            continue;
        tagged++;
        for (size_t k = 0; k < nt; k++)
            n[k] += r->mask >> k & 1u;
    }
    if (!tagged)
        return;
    used = (size_t)snprintf(buf, size, "%zu of %zu rows tagged:", tagged, c->size);
    for (size_t k = 0; k < nt && used + 1 < size; k++)
        if (n[k])
            used += (size_t)snprintf(buf + used, size - used, " %zu %s%s", n[k],
                                     tg_tag_name(env->tags, k), ",");
    if (used > 0 && buf[used - 1] == ',')
        buf[used - 1] = '\0';
}

static int draw_list(clusters_pane *cp, canvas *cv, const pane_env *env, int rows)
{
    const clu_result *cr = env->clusters;
    cv_text(cv, 0, 1, "  #   rows  share  keywords", -1, UI_PANE_TITLE);
    int kwx = 22;
    for (int y = 1; y <= rows && cp->nav.top + (size_t)(y - 1) < cr->k; y++) {
        size_t i = cp->nav.top + (size_t)(y - 1);
        const clu_cluster *c = &cr->c[i];
        char share[32], kw[512], cnt[32];
        cv_printf(cv, y, 1, UI_NORMAL, "%3zu %7s %6s", i + 1, fmt_count(c->size, cnt, sizeof cnt),
                  fmt_pct(cr->all_rows ? c->error_rate : c->error_share, share, sizeof share));
        keywords(c, 8, kw, sizeof kw);
        cv_text_fit(cv, y, kwx, kw, cv->w - kwx - 1, c->nkw ? UI_NORMAL : UI_ROW_DIM);
        if (i == cp->nav.cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
    }
    return rows + 1;
}

/* The cluster under the cursor in full, from line y down. */
static void draw_detail(clusters_pane *cp, canvas *cv, const pane_env *env, int y)
{
    const clu_result *cr = env->clusters;
    if (cp->nav.cur >= cr->k || y >= cv->h)
        return;
    const clu_cluster *c = &cr->c[cp->nav.cur];
    char buf[1024], a[32], b[32];
    cv_printf(cv, y++, 1, UI_HEADER, "cluster %zu: %zu rows, %zu errors (%s of the errors, "
                                     "error rate %s)", cp->nav.cur + 1, c->size, c->errors,
              fmt_pct(c->error_share, a, sizeof a), fmt_pct(c->error_rate, b, sizeof b));
    confusions(env, c, buf, sizeof buf);
    if (buf[0] && y < cv->h)
        cv_printf(cv, y++, 1, UI_NORMAL, "confusions: %s", buf);
    tag_mix(env, c, buf, sizeof buf);
    if (buf[0] && y < cv->h)
        cv_printf(cv, y++, 1, UI_NORMAL, "tags: %s", buf);
    if (y < cv->h) {
        size_t used = 0;
        buf[0] = '\0';
        for (unsigned t = 0; t < c->nkw && used + 1 < sizeof buf; t++)
            used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s %.1f", t ? ", " : "",
                                     c->kw[t].text, c->kw[t].score);
        cv_text_fit(cv, y++, 1, c->nkw ? buf : "keywords: none with 5 or more occurrences",
                    cv->w - 2, c->nkw ? UI_NORMAL : UI_ROW_DIM);
    }
    for (unsigned j = 0; j < c->nrep && y < cv->h; j++) {
        char id[128], oc[128], sum[768], line[1100];
        cf_id(env, c->rep[j], id, sizeof id);
        cf_outcome(env, c->rep[j], oc, sizeof oc);
        cf_summary(env, c->rep[j], sum, sizeof sum);
        snprintf(line, sizeof line, "%s  %s  %s", id, oc, sum);
        cv_text_fit(cv, y++, 1, line, cv->w - 2, UI_ROW_DIM);
    }
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    clusters_pane *cp = (clusters_pane *)p;
    const clu_result *cr = env->clusters;
    if (!cr || cr->k == 0) {
        const char *why = env->cluster_state ? env->cluster_state
                          : cr && cr->note[0] ? cr->note
                                              : "no clusters";
        cv_text_fit(cv, 0, 1, why, cv->w - 2, UI_ROW_DIM);
        return;
    }
    /* The list takes what it needs and leaves the detail its 8 lines when it can, never
     * less than half the pane. */
    int list = (int)cr->k, room = cv->h - 1, detail = 8;
    if (list > room - detail)
        list = room - detail > room / 2 ? room - detail : room / 2;
    if (list < 1)
        list = 1;
    ln_clamp(&cp->nav, cr->k, (size_t)(list > 0 ? list : 1));
    int y = draw_list(cp, cv, env, list);
    if (env->cluster_state && y < cv->h)
        cv_text_fit(cv, y++, 1, env->cluster_state, cv->w - 2, UI_ROW_DIM);
    draw_detail(cp, cv, env, y + (y < cv->h - 3));
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    (void)p, (void)env, (void)buf, (void)size;
    return 0; /* a cluster is a set of rows, not an expression */
}

static unsigned act(pane *p, pane_env *env, action a)
{
    clusters_pane *cp = (clusters_pane *)p;
    size_t n = count(env), page = (size_t)(p->h > 2 ? p->h / 2 : 1);
    switch (a) {
    case ACT_DIVE:
        if (cp->nav.cur >= n)
            return R_NONE;
        env->dive_cluster = (int)cp->nav.cur;
        return R_DIVE_CLUSTER;
    default:
        return ln_move(&cp->nav, a, n, page) ? R_REDRAW : R_NONE;
    }
}

static void result_changed(pane *p, pane_env *env)
{
    clusters_pane *cp = (clusters_pane *)p;
    ln_clamp(&cp->nav, count(env), (size_t)(p->h > 2 ? p->h / 2 : 1));
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    (void)p;
    const clu_result *cr = env->clusters;
    static const char *const HEAD[] = {"cluster", "rows", "errors", "share of errors",
                                       "error rate", "top confusions", "keywords"};
    err_code rc = tbl_row(out, md, true, 7, HEAD, e);
    for (unsigned i = 0; cr && i < cr->k && rc == E_OK; i++) {
        const clu_cluster *c = &cr->c[i];
        char id[16], size[32], errs[32], share[32], rate[32], conf[512], kw[1024];
        snprintf(id, sizeof id, "%u", i + 1);
        snprintf(size, sizeof size, "%zu", c->size);
        snprintf(errs, sizeof errs, "%zu", c->errors);
        snprintf(share, sizeof share, "%.4f", c->error_share);
        snprintf(rate, sizeof rate, "%.4f", c->error_rate);
        confusions(env, c, conf, sizeof conf);
        keywords(c, CLU_KEYWORDS, kw, sizeof kw);
        const char *cells[] = {id, size, errs, share, rate, conf, kw};
        rc = tbl_row(out, md, false, 7, cells, e);
    }
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)x;
    clusters_pane *cp = (clusters_pane *)p;
    if (y >= 1 && cp->nav.top + (size_t)(y - 1) < count(env))
        cp->nav.cur = cp->nav.top + (size_t)(y - 1);
}

static const char *hint(pane *p)
{
    (void)p;
    return "Enter dive into the cluster";
}

static void pane_destroy(pane *p)
{
    free(p);
}

static const pane_ops OPS = {
    .name = "clusters",
    .label = "[K]lusters",
    .caption = caption,
    .draw = draw,
    .act = act,
    .result_changed = result_changed,
    .cursor_expr = cursor_expr,
    .export = export,
    .click = click,
    .hint = hint,
    .free = pane_destroy,
};

err_code clusters_pane_new(pane **out, err *e)
{
    clusters_pane *cp = calloc(1, sizeof *cp);
    if (!cp)
        return err_set(e, E_NOMEM, "out of memory");
    cp->base.ops = &OPS;
    *out = &cp->base;
    return E_OK;
}
