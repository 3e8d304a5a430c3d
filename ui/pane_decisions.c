/* Decisions pane: what to do about the model, one tab at a time (t cycles):
 *   Next steps  the report's recommendations for this selection, each with its figures;
 *   Thresholds  the cost / F1 curve over the positive score as a text plot, with the
 *               current, cheapest, best-F1 and best-Youden thresholds (binary, scores);
 *   Reliability accuracy against confidence per calibration bin, beside the diagonal;
 *   Coverage    accuracy against coverage as the confidence threshold rises, and the
 *               point that reaches --target-accuracy;
 *   Compare     the second model (--compare, --pred2): the four counts, McNemar, and the
 *               slices where it regressed first;
 *   Drift       the error rate of each time bucket, flagged buckets marked;
 *   Fairness    per group of each --protected column, with the parity figures;
 *   Checks      data checks and the error categories as slices.
 * Tabs whose data this file does not have are skipped. Enter on a slice, bucket or group
 * dives into it. The selection part is computed off the input loop (decjob.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binexpr.h"
#include "fmt.h"
#include "listnav.h"
#include "nextsteps.h"
#include "pane.h"
#include "table.h"

typedef enum {
    T_STEPS,
    T_THRESH,
    T_RELIAB,
    T_COVER,
    T_COMPARE,
    T_DRIFT,
    T_FAIR,
    T_CHECKS,
    T_COUNT
} tab;

static const char *const TAB_NAME[T_COUNT] = {"Next steps", "Thresholds", "Reliability",
                                              "Coverage",   "Compare",    "Drift",
                                              "Fairness",   "Checks"};

typedef struct row_ref { /* a list row that can be dived into */
    uint32_t dim, bin;
} row_ref;

typedef struct decisions_pane {
    pane base;
    tab t;
    listnav nav;
    row_ref *rows; /* owned; the divable rows of the current tab, as drawn */
    size_t nrows, caprows;
} decisions_pane;

static bool tab_applies(const decisions *d, tab t)
{
    switch (t) {
    case T_THRESH:
        return d->has_sweep;
    case T_COVER:
    case T_RELIAB:
        return d->has_selective; /* both need class scores */
    case T_COMPARE:
        return d->has_cmp;
    case T_DRIFT:
        return d->has_drift;
    case T_FAIR:
        return d->nfair > 0;
    default:
        return true;
    }
}

static void add_row(decisions_pane *dp, uint32_t dim, uint32_t bin)
{
    if (dp->nrows == dp->caprows) {
        size_t cap = dp->caprows ? 2 * dp->caprows : 64;
        row_ref *r = realloc(dp->rows, cap * sizeof *r);
        if (!r)
            return;
        dp->rows = r;
        dp->caprows = cap;
    }
    dp->rows[dp->nrows++] = (row_ref){dim, bin};
}

static void caption(pane *p, const pane_env *env, char *buf, size_t size)
{
    const decisions_pane *dp = (const decisions_pane *)p;
    size_t used = (size_t)snprintf(buf, size, "Decisions ·");
    for (int k = 0; k < T_COUNT && used + 1 < size; k++) {
        if (env->decisions && !tab_applies(env->decisions, (tab)k))
            continue;
        used += (size_t)snprintf(buf + used, size - used, k == (int)dp->t ? " [%s]" : " %s",
                                 TAB_NAME[k]);
    }
}

/* ---- text plots ---- */

/* Plots points (x, y), both in [0, 1], into the h x w box at (y0, x0): one mark per column
 * (the mean of the points that fall in it), y = 1 at the top. */
static void plot(canvas *cv, int y0, int x0, int h, int w, const double *xs, const double *ys,
                 size_t n, const char *mark, ui_role role)
{
    if (h < 2 || w < 4)
        return;
    for (int c = 0; c < w; c++) {
        double sum = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (isnan(xs[i]) || isnan(ys[i]))
                continue;
            int col = (int)floor(xs[i] * (w - 1) + 0.5);
            if (col == c)
                sum += ys[i], k++;
        }
        if (!k)
            continue;
        double y = sum / (double)k;
        int row = y0 + (h - 1) - (int)floor(y * (h - 1) + 0.5);
        cv_text(cv, row, x0 + c, mark, 1, role);
    }
}

/* The frame of a plot whose y runs from lo (bottom) to 1 (top). */
static void axes(canvas *cv, int y0, int x0, int h, int w, const char *xlabel, double lo)
{
    for (int r = 0; r < h; r++)
        cv_text(cv, y0 + r, x0 - 1, "│", 1, UI_BORDER);
    cv_printf(cv, y0, x0 - 5, UI_ROW_DIM, "1.0");
    cv_printf(cv, y0 + h - 1, x0 - 5, UI_ROW_DIM, "%.2f", lo);
    for (int c = 0; c < w; c++)
        cv_text(cv, y0 + h, x0 + c, "─", 1, UI_BORDER);
    cv_printf(cv, y0 + h + 1, x0, UI_ROW_DIM, "0");
    cv_text_right(cv, y0 + h + 1, x0, xlabel, w, UI_ROW_DIM);
}

/* Writes text from (y, x) in lines of at most w columns, broken at spaces, on at most max
 * lines; returns the lines used. */
static int wrap(canvas *cv, int y, int x, int w, const char *text, int max, ui_role role)
{
    int used = 0;
    const char *p = text;
    while (*p && used < max && y + used < cv->h) {
        size_t len = strlen(p), cut = len;
        if (ui_strwidth(p) > w) { /* the last space that keeps the line within w */
            cut = 0;
            for (size_t i = 0; i < len; i++) {
                char save[1024];
                if (i >= sizeof save)
                    break;
                memcpy(save, p, i);
                save[i] = '\0';
                if (ui_strwidth(save) > w)
                    break;
                if (p[i] == ' ')
                    cut = i;
            }
            if (cut == 0)
                cut = (size_t)w;
        }
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)cut, p);
        bool last = used + 1 == max && cut < len;
        cv_text_fit(cv, y + used, x, line, w, role);
        if (last)
            cv_text(cv, y + used, x + w - 1, "…", 1, role);
        used++;
        p += cut;
        while (*p == ' ')
            p++;
    }
    return used;
}

/* ---- tabs ---- */

static int draw_steps(decisions_pane *dp, canvas *cv, const pane_env *env, int y)
{
    const decisions *d = env->decisions;
    ns_input in;
    ns_input_init(&in);
    in.b = env->b;
    in.ds = env->ds;
    in.slices = &env->res->slices;
    in.discovered = env->found;
    in.ece = env->res->m.ece;
    in.sweep = d->has_sweep ? &d->sweep : NULL;
    in.current_threshold = d->current_threshold;
    in.cost = d->has_cost ? &d->cost : NULL;
    in.drift = d->has_drift ? &d->drift : NULL;
    in.fair = d->nfair ? d->fair : NULL;
    in.nfair = d->nfair;
    in.dc = d->has_dc && d->dc_full ? &d->dc : NULL;
    in.cmp = d->has_cmp ? &d->cmp : NULL;
    in.name_b = d->name_b;
    ns_list *l = malloc(sizeof *l);
    err e = {0};
    if (!l || ns_build(&in, l, &e) != E_OK) {
        free(l);
        cv_text(cv, y, 1, "no memory for the next steps", cv->w - 2, UI_STATUS_ERR);
        return y + 1;
    }
    if (l->len == 0)
        cv_text(cv, y++, 1, "nothing in this selection calls for action", cv->w - 2, UI_ROW_DIM);
    ln_clamp(&dp->nav, l->len, (size_t)(cv->h > y ? cv->h - y : 1));
    for (size_t i = dp->nav.top; i < l->len && y < cv->h; i++) {
        char text[700];
        /* the report writes names as `code`; the screen shows them plain */
        size_t k = 0;
        for (const char *s = l->v[i].text; *s && k + 1 < sizeof text; s++)
            if (*s != '`')
                text[k++] = *s;
        text[k] = '\0';
        cv_printf(cv, y, 1, l->v[i].level == 1 ? UI_STATUS_ERR : UI_HEADER, "%zu.", i + 1);
        int lines = wrap(cv, y, 5, cv->w - 6, text, 3, UI_NORMAL);
        if (i == dp->nav.cur)
            for (int ln = 0; ln < lines; ln++)
                cv_role(cv, y + ln, 0, cv->w, UI_ROW_CURSOR);
        y += lines > 0 ? lines : 1;
    }
    free(l);
    return y;
}

static void mark_point(canvas *cv, int y0, int x0, int h, int w, double x, double y,
                       const char *m, ui_role role)
{
    if (isnan(x) || isnan(y) || isinf(x))
        return;
    plot(cv, y0, x0, h, w, &x, &y, 1, m, role);
}

static void draw_thresholds(canvas *cv, const pane_env *env, int y)
{
    const cost_sweep *s = &env->decisions->sweep;
    int h = cv->h - y - 6, w = cv->w - 10;
    if (h > 16)
        h = 16;
    double *xs = malloc((s->len ? s->len : 1) * sizeof *xs);
    double *f1 = malloc((s->len ? s->len : 1) * sizeof *f1);
    double *cost = malloc((s->len ? s->len : 1) * sizeof *cost);
    double maxc = 0;
    for (size_t i = 0; xs && f1 && cost && i < s->len; i++)
        if (!isnan(s->v[i].cost) && s->v[i].cost > maxc)
            maxc = s->v[i].cost;
    for (size_t i = 0; xs && f1 && cost && i < s->len; i++) {
        xs[i] = isinf(s->v[i].t) ? NAN : fmin(fmax(s->v[i].t, 0), 1);
        f1[i] = s->v[i].f1;
        cost[i] = maxc > 0 ? s->v[i].cost / maxc : NAN;
    }
    if (xs && f1 && cost && h >= 3 && w >= 10) {
        axes(cv, y, 6, h, w, "threshold on the positive score  1", 0.0);
        plot(cv, y, 6, h, w, xs, f1, s->len, "*", UI_BAR);
        plot(cv, y, 6, h, w, xs, cost, s->len, "+", UI_HEAT_5);
        if (s->best_cost != COST_NONE)
            mark_point(cv, y, 6, h, w, xs[s->best_cost], cost[s->best_cost], "C", UI_KEY);
        if (s->best_f1 != COST_NONE)
            mark_point(cv, y, 6, h, w, xs[s->best_f1], f1[s->best_f1], "F", UI_KEY);
        y += h + 2;
    }
    free(xs);
    free(f1);
    free(cost);
    if (y < cv->h && maxc > 0)
        cv_printf(cv, y++, 1, UI_ROW_DIM, "* F1   + expected cost (scaled to its maximum %.4g)   "
                                          "C cheapest   F best F1", maxc);
    else if (y < cv->h)
        cv_text(cv, y++, 1, "* F1   F best F1   (--costs, --cost-fp or --cost-fn add the "
                            "expected-cost curve)", cv->w - 2, UI_ROW_DIM);
    const struct {
        const char *what;
        size_t i;
    } best[] = {{"cheapest", s->best_cost}, {"best F1", s->best_f1}, {"best Youden J", s->best_j}};
    for (size_t k = 0; k < 3 && y < cv->h; k++) {
        if (best[k].i == COST_NONE)
            continue;
        const cost_point *pt = &s->v[best[k].i];
        char ctext[48] = "";
        if (!isnan(pt->cost))
            snprintf(ctext, sizeof ctext, "  cost %.4g", pt->cost);
        cv_printf(cv, y++, 1, UI_NORMAL,
                  "%-14s t %.4f  precision %.3f  recall %.3f  F1 %.3f  FPR %.3f%s",
                  best[k].what, pt->t, pt->precision, pt->recall, pt->f1, pt->fpr, ctext);
    }
    double cur = env->decisions->current_threshold;
    if (!isnan(cur) && y < cv->h)
        cv_printf(cv, y++, 1, UI_ROW_DIM, "the file's predictions follow the threshold %.2f",
                  cur);
}

static void draw_coverage(canvas *cv, const pane_env *env, int y)
{
    const cost_selective *s = &env->decisions->selective;
    int h = cv->h - y - 5, w = cv->w - 10;
    if (h > 16)
        h = 16;
    double *xs = malloc((s->len ? s->len : 1) * sizeof *xs);
    double *ys = malloc((s->len ? s->len : 1) * sizeof *ys);
    if (xs && ys && h >= 3 && w >= 10) {
        /* accuracies of a good model crowd near 1: the y axis starts at the lowest one,
         * rounded down to a twentieth */
        double lo = 1;
        for (size_t i = 0; i < s->len; i++)
            if (!isnan(s->v[i].accuracy) && s->v[i].accuracy < lo)
                lo = s->v[i].accuracy;
        lo = floor(lo * 20) / 20;
        if (lo >= 1)
            lo = 0.95;
        for (size_t i = 0; i < s->len; i++) {
            xs[i] = s->v[i].coverage;
            ys[i] = (s->v[i].accuracy - lo) / (1 - lo);
        }
        axes(cv, y, 6, h, w, "coverage (share of rows kept)  1", lo);
        plot(cv, y, 6, h, w, xs, ys, s->len, "*", UI_BAR);
        if (s->at_target != COST_NONE)
            mark_point(cv, y, 6, h, w, xs[s->at_target], ys[s->at_target], "T", UI_KEY);
        y += h + 2;
    }
    free(xs);
    free(ys);
    if (y < cv->h)
        cv_text(cv, y++, 1, "* accuracy of the rows kept when only rows at least this confident "
                            "are kept", cv->w - 2, UI_ROW_DIM);
    if (y < cv->h) {
        if (isnan(s->target))
            cv_text(cv, y, 1, "give --target-accuracy A to find the threshold that reaches A",
                    cv->w - 2, UI_ROW_DIM);
        else if (s->at_target == COST_NONE)
            cv_printf(cv, y, 1, UI_NORMAL, "no confidence threshold reaches accuracy %.3f",
                      s->target);
        else
            cv_printf(cv, y, 1, UI_NORMAL,
                      "T accuracy %.3f reached at confidence >= %.4f, keeping %.1f%% of rows",
                      s->v[s->at_target].accuracy, s->v[s->at_target].t,
                      100 * s->v[s->at_target].coverage);
    }
}

/* The reliability diagram: accuracy against mean confidence per calibration bin, with the
 * diagonal a calibrated model would follow. */
static void draw_reliability(canvas *cv, const pane_env *env, int y)
{
    const metrics *m = &env->res->m;
    int h = cv->h - y - 5, w = cv->w - 10;
    if (h > 16)
        h = 16;
    if (h >= 3 && w >= 10) {
        double xs[MET_NBINS], ys[MET_NBINS], diag[256], dx[256];
        size_t n = 0;
        for (size_t i = 0; i < MET_NBINS; i++)
            if (m->bins[i].n) {
                xs[n] = m->bins[i].confidence;
                ys[n++] = m->bins[i].accuracy;
            }
        for (int k = 0; k < 256; k++)
            dx[k] = diag[k] = k / 255.0;
        axes(cv, y, 6, h, w, "mean confidence of the bin  1", 0.0);
        plot(cv, y, 6, h, w, dx, diag, 256, "·", UI_ROW_DIM);
        plot(cv, y, 6, h, w, xs, ys, n, "●", UI_BAR);
        y += h + 2;
    }
    char ece[32], mce[32];
    if (y < cv->h)
        cv_printf(cv, y++, 1, UI_ROW_DIM, "● accuracy of each confidence bin   · calibrated   "
                                          "ECE %s   MCE %s", fmt_pct(m->ece, ece, sizeof ece),
                  fmt_pct(m->mce, mce, sizeof mce));
}

static int by_regression(const void *pa, const void *pb, const cmp_result *c)
{
    const cmp_slice *a = &c->v[*(const size_t *)pa], *b = &c->v[*(const size_t *)pb];
    if (a->regressed != b->regressed)
        return a->regressed ? -1 : 1;
    if (a->improved != b->improved)
        return a->improved ? -1 : 1;
    double qa = isnan(a->q) ? 2 : a->q, qb = isnan(b->q) ? 2 : b->q;
    return (qa > qb) - (qa < qb);
}

static const cmp_result *sort_ctx;
static int cmp_sort(const void *a, const void *b)
{
    return by_regression(a, b, sort_ctx);
}

static void draw_compare(decisions_pane *dp, canvas *cv, const pane_env *env, int y)
{
    const decisions *d = env->decisions;
    const cmp_result *c = &d->cmp;
    char a[32], b[32], pv[32];
    cv_printf(cv, y++, 1, UI_HEADER, "A %s   B %s", d->name_a, d->name_b);
    cv_printf(cv, y++, 1, UI_NORMAL,
              "both right %zu   fixed by B %zu   new errors in B %zu   both wrong %zu",
              c->all.both_right, c->all.fixed, c->all.new_errors, c->all.both_wrong);
    cv_printf(cv, y++, 1, UI_NORMAL,
              "error rate A %s  B %s   B - A %+.2f pt [%+.2f, %+.2f]   McNemar p %s",
              fmt_pct(c->all.rate_a, a, sizeof a), fmt_pct(c->all.rate_b, b, sizeof b),
              100 * c->all.diff, 100 * c->all.lo, 100 * c->all.hi,
              fmt_q(c->all.p, pv, sizeof pv));
    y++;
    size_t *order = malloc((c->len ? c->len : 1) * sizeof *order), n = 0;
    if (!order)
        return;
    for (size_t i = 0; i < c->len; i++)
        if (c->v[i].c.n > 0)
            order[n++] = i;
    sort_ctx = c;
    qsort(order, n, sizeof *order, cmp_sort); /* one thread draws: the context is safe */
    cv_text(cv, y++, 1, "slice                                  A rate   B rate    B - A      q",
            -1, UI_PANE_TITLE);
    dp->nrows = 0;
    int page = cv->h - y;
    ln_clamp(&dp->nav, n, (size_t)(page > 0 ? page : 1));
    for (size_t k = 0; k < n; k++)
        add_row(dp, c->v[order[k]].dim, c->v[order[k]].bin);
    for (size_t k = dp->nav.top; k < n && y < cv->h; k++) {
        const cmp_slice *s = &c->v[order[k]];
        char name[512], q[32];
        bin_describe(&env->b->dim[s->dim], s->bin, name, sizeof name);
        ui_role role = s->regressed ? UI_STATUS_ERR : s->improved ? UI_NORMAL : UI_ROW_DIM;
        cv_text_fit(cv, y, 1, name, 36, role);
        cv_printf(cv, y, 38, role, "%8s %8s %+8.2f pt %6s", fmt_pct(s->c.rate_a, a, sizeof a),
                  fmt_pct(s->c.rate_b, b, sizeof b), 100 * s->c.diff, fmt_q(s->q, q, sizeof q));
        if (k == dp->nav.cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
        y++;
    }
    free(order);
}

static void draw_drift(decisions_pane *dp, canvas *cv, const pane_env *env, int y)
{
    const drift_result *r = &env->decisions->drift;
    cv_printf(cv, y++, 1, UI_NORMAL, "%zu buckets, %zu tested against the ones before, %zu "
                                     "flagged (q < %.2f)", r->len, r->ntested, r->nflagged,
              r->alpha);
    double maxr = 0;
    for (size_t i = 0; i < r->len; i++)
        if (!isnan(r->v[i].rate) && r->v[i].rate > maxr)
            maxr = r->v[i].rate;
    dp->nrows = 0;
    int page = cv->h - y;
    ln_clamp(&dp->nav, r->len, (size_t)(page > 0 ? page : 1));
    for (size_t i = 0; i < r->len; i++)
        add_row(dp, r->dim, r->v[i].bin);
    for (size_t i = dp->nav.top; i < r->len && y < cv->h; i++) {
        const drift_bucket *bk = &r->v[i];
        char rate[32], q[32];
        ui_role role = bk->flagged ? UI_STATUS_ERR : bk->n ? UI_NORMAL : UI_ROW_DIM;
        cv_text_fit(cv, y, 1, env->b->dim[r->dim].bins[bk->bin].label, 14, role);
        cv_printf(cv, y, 16, role, "%7s %7zu", fmt_pct(bk->rate, rate, sizeof rate), bk->n);
        int bw = cv->w - 50;
        if (bw > 4 && maxr > 0 && !isnan(bk->rate))
            cv_bar(cv, y, 33, bw, bk->rate / maxr, bk->flagged ? UI_HEAT_6 : UI_BAR);
        cv_printf(cv, y, cv->w - 16, role, "%s%s", bk->flagged ? (bk->worse ? "worse " : "better ")
                                                               : "", fmt_q(bk->q, q, sizeof q));
        if (i == dp->nav.cur)
            cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
        y++;
    }
}

static void draw_fairness(decisions_pane *dp, canvas *cv, const pane_env *env, int y)
{
    const decisions *d = env->decisions;
    dp->nrows = 0;
    for (size_t f = 0; f < d->nfair; f++)
        for (size_t g = 0; g < d->fair[f].len; g++)
            if (d->fair[f].v[g].n)
                add_row(dp, d->fair[f].dim, d->fair[f].v[g].bin);
    ln_clamp(&dp->nav, dp->nrows, (size_t)(cv->h > y + 2 ? cv->h - y - 2 : 1));
    size_t k = 0;
    for (size_t f = 0; f < d->nfair && y < cv->h; f++) {
        const fair_result *fr = &d->fair[f];
        cv_printf(cv, y++, 1, fr->four_fifths ? UI_STATUS_ERR : UI_HEADER,
                  "%s: parity difference %.3f, ratio %.3f%s, equalised odds %.3f",
                  env->b->dim[fr->dim].name, fr->dp_diff, fr->dp_ratio,
                  fr->four_fifths ? " (under four fifths)" : "", fr->eo_diff);
        if (y < cv->h)
            cv_text(cv, y++, 1, "group                          n  selected     TPR     FPR  "
                                "precision  error", -1, UI_PANE_TITLE);
        for (size_t g = 0; g < fr->len && y < cv->h; g++) {
            const fair_group *gr = &fr->v[g];
            if (!gr->n)
                continue;
            if (k >= dp->nav.top) {
                cv_text_fit(cv, y, 1, env->b->dim[fr->dim].bins[gr->bin].label, 24, UI_NORMAL);
                cv_printf(cv, y, 26, UI_NORMAL, "%7zu %9.3f %7.3f %7.3f %10.3f %6.3f", gr->n,
                          gr->selection_rate, gr->tpr, gr->fpr, gr->precision, gr->error_rate);
                if (k == dp->nav.cur)
                    cv_role(cv, y, 0, cv->w, UI_ROW_CURSOR);
                y++;
            }
            k++;
        }
    }
}

static void draw_checks(canvas *cv, const pane_env *env, int y)
{
    const decisions *d = env->decisions;
    char a[32];
    if (d->has_dc && d->dc_full) {
        const dc_result *dc = &d->dc;
        cv_printf(cv, y++, 1, UI_NORMAL, "duplicate rows %zu (%zu groups, %zu with labels that "
                                         "disagree)   duplicate ids %zu", dc->ndup_rows,
                  dc->ndup_groups, dc->ndup_conflict, dc->ndup_ids);
        cv_printf(cv, y++, 1, UI_NORMAL, "constant columns %zu   leakage hints %zu   "
                                         "label-issue candidates %zu   outlier rows %zu",
                  dc->nconstant, dc->nleaks, dc->nlabel_issue, dc->noutlier);
        if (dc->smallest != CLASS_NA && env->o->classes)
            cv_printf(cv, y++, 1, dc->imbalanced ? UI_STATUS_ERR : UI_NORMAL,
                      "smallest class %s %s of the labels, largest %s %s",
                      env->o->classes[dc->smallest], fmt_pct(dc->smallest_share, a, sizeof a),
                      env->o->classes[dc->largest],
                      fmt_pct(dc->largest_share, a + 16, sizeof a - 16));
        for (size_t i = 0; i < dc->nleak_tested && y < cv->h; i++)
            if (dc->leak[i].leaks_label || dc->leak[i].leaks_error)
                cv_printf(cv, y++, 1, UI_STATUS_ERR, "leakage hint: %s predicts the %s",
                          env->b->dim[dc->leak[i].dim].name,
                          dc->leak[i].leaks_label ? "label" : "error");
    } else {
        cv_text(cv, y++, 1, "data checks are off (--no-data-checks)", cv->w - 2, UI_ROW_DIM);
    }
    if (!d->has_cats || y + 2 >= cv->h)
        return;
    y++;
    cv_text(cv, y++, 1, "category                 rows   errors   error rate     lift", -1,
            UI_PANE_TITLE);
    for (int k = 0; k < CAT_COUNT && y < cv->h; k++) {
        const cat_slice *s = &d->cat_slices[k];
        char lift[32];
        cv_printf(cv, y++, 1, s->n ? UI_NORMAL : UI_ROW_DIM, "%-20s %8zu %8zu %12s %8s",
                  cat_name((cat_kind)k), s->n, s->nerr, fmt_pct(s->rate, a, sizeof a),
                  fmt_lift(s->lift, lift, sizeof lift));
    }
}

static void draw(pane *p, canvas *cv, pane_env *env)
{
    decisions_pane *dp = (decisions_pane *)p;
    const decisions *d = env->decisions;
    if (!d) {
        cv_text_fit(cv, 0, 1, env->decisions_state ? env->decisions_state
                                                  : "no decision sections for this file",
                    cv->w - 2, UI_ROW_DIM);
        return;
    }
    if (!tab_applies(d, dp->t))
        dp->t = T_STEPS;
    if (dp->t != T_COMPARE && dp->t != T_DRIFT && dp->t != T_FAIR)
        dp->nrows = 0;
    switch (dp->t) {
    case T_STEPS:
        draw_steps(dp, cv, env, 0);
        break;
    case T_THRESH:
        draw_thresholds(cv, env, 0);
        break;
    case T_COVER:
        draw_coverage(cv, env, 0);
        break;
    case T_RELIAB:
        draw_reliability(cv, env, 0);
        break;
    case T_COMPARE:
        draw_compare(dp, cv, env, 0);
        break;
    case T_DRIFT:
        draw_drift(dp, cv, env, 0);
        break;
    case T_FAIR:
        draw_fairness(dp, cv, env, 0);
        break;
    default:
        draw_checks(cv, env, 0);
        break;
    }
}

static size_t cursor_expr(pane *p, pane_env *env, char *buf, size_t size)
{
    decisions_pane *dp = (decisions_pane *)p;
    if (!env->decisions || dp->nav.cur >= dp->nrows)
        return 0;
    return bx_bin(env->b, env->ds, dp->rows[dp->nav.cur].dim, dp->rows[dp->nav.cur].bin, buf,
                  size);
}

static unsigned act(pane *p, pane_env *env, action a)
{
    decisions_pane *dp = (decisions_pane *)p;
    if (a == ACT_TAB_SWITCH) { /* t: the next tab this file has */
        for (int k = 1; k <= T_COUNT; k++) {
            tab t = (tab)(((int)dp->t + k) % T_COUNT);
            if (!env->decisions || tab_applies(env->decisions, t)) {
                dp->t = t;
                break;
            }
        }
        dp->nav = (listnav){0, 0};
        return R_REDRAW;
    }
    if (a == ACT_DIVE) {
        if (cursor_expr(p, env, env->dive, sizeof env->dive) == 0)
            return R_NONE;
        return R_DIVE;
    }
    size_t n = dp->t == T_STEPS ? NS_MAX_STEPS : dp->nrows;
    return ln_move(&dp->nav, a, n, (size_t)(p->h > 2 ? p->h - 2 : 1)) ? R_REDRAW : R_NONE;
}

static void result_changed(pane *p, pane_env *env)
{
    (void)env;
    decisions_pane *dp = (decisions_pane *)p;
    dp->nav = (listnav){0, 0};
}

static err_code export(pane *p, pane_env *env, strbuf *out, bool md, err *e)
{
    (void)p;
    const decisions *d = env->decisions;
    static const char *const HEAD[] = {"section", "figure", "value"};
    err_code rc = tbl_row(out, md, true, 3, HEAD, e);
    if (!d)
        return rc;
    char v[64];
#define ROW(sec, name, fmt, val)                                                                   \
    do {                                                                                           \
        snprintf(v, sizeof v, fmt, val);                                                           \
        const char *cells_[] = {sec, name, v};                                                     \
        if (rc == E_OK)                                                                            \
            rc = tbl_row(out, md, false, 3, cells_, e);                                            \
    } while (0)
    if (d->has_cmp) {
        ROW("compare", "both_right", "%zu", d->cmp.all.both_right);
        ROW("compare", "fixed", "%zu", d->cmp.all.fixed);
        ROW("compare", "new_errors", "%zu", d->cmp.all.new_errors);
        ROW("compare", "both_wrong", "%zu", d->cmp.all.both_wrong);
        ROW("compare", "mcnemar_p", "%.6g", d->cmp.all.p);
    }
    if (d->has_sweep && d->sweep.best_f1 != COST_NONE)
        ROW("thresholds", "best_f1_threshold", "%.6g", d->sweep.v[d->sweep.best_f1].t);
    if (d->has_sweep && d->sweep.best_cost != COST_NONE)
        ROW("thresholds", "cheapest_threshold", "%.6g", d->sweep.v[d->sweep.best_cost].t);
    if (d->has_drift)
        ROW("drift", "flagged_buckets", "%zu", d->drift.nflagged);
    for (size_t f = 0; f < d->nfair; f++)
        ROW(env->b->dim[d->fair[f].dim].name, "dp_ratio", "%.6g", d->fair[f].dp_ratio);
    for (int k = 0; k < CAT_COUNT && d->has_cats; k++)
        ROW("categories", cat_name((cat_kind)k), "%zu", d->cat_slices[k].n);
#undef ROW
    return rc;
}

static void click(pane *p, pane_env *env, int y, int x)
{
    (void)env, (void)x;
    decisions_pane *dp = (decisions_pane *)p;
    if (y >= 0 && dp->nav.top + (size_t)y < dp->nrows)
        dp->nav.cur = dp->nav.top + (size_t)y;
}

static const char *hint(pane *p)
{
    decisions_pane *dp = (decisions_pane *)p;
    return dp->t == T_COMPARE || dp->t == T_DRIFT || dp->t == T_FAIR ? "Enter dive  t next tab"
                                                                     : "t next tab";
}

static void pfree(pane *p)
{
    decisions_pane *dp = (decisions_pane *)p;
    free(dp->rows);
    free(dp);
}

static const pane_ops DECISIONS_OPS = {
    .name = "decisions",
    .label = "[D]ecisions",
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

err_code decisions_pane_new(pane **out, err *e)
{
    decisions_pane *dp = calloc(1, sizeof *dp);
    if (!dp)
        return err_set(e, E_NOMEM, "out of memory");
    dp->base.ops = &DECISIONS_OPS;
    *out = &dp->base;
    return E_OK;
}
