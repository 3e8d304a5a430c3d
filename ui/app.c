#include "app.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "help.h"
#include "term.h"

void app_say(app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_error = error;
}

/* ---- undo ---- */

/* Pushes a copy of *op whose expr is a copy of expr. */
static bool undo_push_op(undo_stack *s, const undo_op *op, const char *expr)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        undo_op *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    char *copy = strdup(expr);
    if (!copy)
        return false;
    s->v[s->len] = *op;
    s->v[s->len++].expr = copy;
    return true;
}

static bool undo_push(undo_stack *s, bool push, const char *expr)
{
    return undo_push_op(s, &(undo_op){.push = push}, expr);
}

static void undo_clear(undo_stack *s)
{
    for (size_t i = 0; i < s->len; i++)
        free(s->v[i].expr);
    s->len = 0;
}

bool app_record(app *a, const undo_op *op)
{
    if (!undo_push_op(&a->undo, op, op->expr ? op->expr : ""))
        return false;
    undo_clear(&a->redo);
    return true;
}

/* ---- background work ---- */

static err_code run_job(bg_task *t, void *arg, err *e)
{
    return eng_job_run(arg, bg_progress, t, e);
}

static err_code run_search(bg_task *t, void *arg, err *e)
{
    search_job *sj = arg;
    sj->so.progress = bg_progress;
    sj->so.progress_ctx = t;
    return srch_run(&sj->out, sj->b, sj->o, &sj->sel, &sj->so, e);
}

static void search_job_free(search_job *sj)
{
    if (!sj)
        return;
    bm_done(&sj->sel);
    free(sj);
}

static void start_search(app *a)
{
    a->search_wanted = false;
    if (a->opt.search_off) {
        snprintf(a->search_state, sizeof a->search_state,
                 "the slice search is off (--levels 0)");
        return;
    }
    const eng_result *res = a->env.res;
    search_job *sj = calloc(1, sizeof *sj);
    err e = {0};
    if (!sj || bm_copy(&sj->sel, &res->sel, &e) != E_OK) {
        free(sj);
        snprintf(a->search_state, sizeof a->search_state, "the slice search has no memory");
        return;
    }
    sj->b = a->env.b;
    sj->o = a->env.o;
    sj->so = a->opt.search;
    sj->serial = res->serial;
    if (!isnan(a->opt.search_min_support_pct))
        sj->so.min_support = (size_t)ceil(a->opt.search_min_support_pct / 100.0 *
                                          (double)res->m.n);
    if (sj->so.min_support == 0 && !isnan(a->opt.search_min_support_pct))
        sj->so.min_support = 1;
    if (bg_start(&a->search_task, run_search, sj, &e) != E_OK) {
        search_job_free(sj);
        snprintf(a->search_state, sizeof a->search_state, "%.150s", e.msg);
        return;
    }
    a->search = sj;
    snprintf(a->search_state, sizeof a->search_state, "searching slices…");
}

static void notify_panes(app *a)
{
    for (size_t i = 0; i < a->npanes; i++)
        a->panes[i]->ops->result_changed(a->panes[i], &a->env);
    if (a->detail)
        a->detail->ops->result_changed(a->detail, &a->env);
}

static void result_swapped(app *a)
{
    a->env.res = eng_current(a->env.eng);
    a->env.found = a->have_found && a->found_serial == a->env.res->serial ? &a->found : NULL;
    notify_panes(a);
    if (a->pending_dive[0]) {
        char n[32];
        snprintf(n, sizeof n, "%zu", a->env.res->nsel);
        app_say(a, false, "dived: %s (%s rows)", a->pending_dive, n);
        a->pending_dive[0] = '\0';
    }
    if (a->search_task.running)
        bg_cancel(&a->search_task); /* its selection is gone; a new search follows */
    a->search_wanted = true;
    cr_invalidate(&a->clus);
    a->env.clusters = NULL;
    dr_invalidate(&a->dec);
}

static void start_job(app *a)
{
    err e = {0};
    if (eng_job_begin(a->env.eng, &a->job, &e) != E_OK) {
        a->stale = true;
        app_say(a, true, "cannot recompute: %s", e.msg);
        return;
    }
    a->job_user_cancel = false;
    if (bg_start(&a->job_task, run_job, a->job, &e) != E_OK) {
        eng_job_free(a->job);
        a->job = NULL;
        a->stale = true;
        app_say(a, true, "%s", e.msg);
    }
}

static void poll_job(app *a)
{
    if (!bg_poll(&a->job_task))
        return;
    eng_job *j = a->job;
    a->job = NULL;
    if (a->job_task.rc == E_OK) {
        eng_job_commit(a->env.eng, j); /* false: newer changes are dirty and run next */
        a->stale = false;
        result_swapped(a);
        return;
    }
    eng_job_free(j);
    if (a->job_task.rc == E_CANCEL && !a->job_user_cancel)
        return; /* superseded by a newer change, which starts next */
    a->stale = true;
    a->pending_dive[0] = '\0';
    if (a->job_task.rc == E_CANCEL)
        app_say(a, false, "recompute cancelled: the panes show the previous selection "
                          "(Ctrl-L recomputes)");
    else
        app_say(a, true, "recompute failed: %s", a->job_task.e.msg);
}

static void poll_search(app *a)
{
    if (a->search && bg_poll(&a->search_task)) {
        search_job *sj = a->search;
        a->search = NULL;
        if (a->search_task.rc == E_OK) {
            if (a->have_found)
                srch_done(&a->found);
            a->found = sj->out;
            a->have_found = true;
            a->found_serial = sj->serial;
            a->search_state[0] = '\0';
        } else if (a->search_task.rc == E_CANCEL) {
            snprintf(a->search_state, sizeof a->search_state, "the slice search was cancelled");
        } else {
            snprintf(a->search_state, sizeof a->search_state, "slice search: %.140s",
                     a->search_task.e.msg);
        }
        search_job_free(sj);
        a->env.found =
            a->have_found && a->found_serial == a->env.res->serial ? &a->found : NULL;
    }
    if (a->search_wanted && !a->search_task.running && !a->job_task.running)
        start_search(a);
    if (a->search_task.running)
        snprintf(a->search_state, sizeof a->search_state, "searching slices… %d%%",
                 atomic_load(&a->search_task.permille) / 10);
}

bool app_poll(app *a)
{
    tu_poll(a);
    poll_job(a);
    if (!a->job_task.running) {
        if (eng_dirty(a->env.eng) && !a->stale)
            start_job(a);
        else if (!eng_dirty(a->env.eng))
            a->stale = false;
    }
    poll_search(a);
    a->env.search_state = a->search_state[0] ? a->search_state : NULL;
    /* Clustering waits for the recompute and the search: one worker at a time. */
    bool clustering = cr_poll(&a->clus, a->env.ds, a->env.r, a->env.o, a->env.b, a->env.res,
                              !a->job_task.running && !a->search_task.running &&
                                  !a->search_wanted && !eng_dirty(a->env.eng));
    a->env.clusters = cr_current(&a->clus, a->env.res->serial);
    a->env.cluster_state = cr_state(&a->clus)[0] ? cr_state(&a->clus) : NULL;
    /* The decisions are one quick pass each: they go right after the recompute. */
    bool deciding = dr_poll(&a->dec, a->env.res, !a->job_task.running && !eng_dirty(a->env.eng));
    a->env.decisions = dr_current(&a->dec, a->env.res->serial);
    a->env.decisions_state = dr_state(&a->dec)[0] ? dr_state(&a->dec) : NULL;
    a->spin++;
    return a->job_task.running || a->search_task.running || clustering || deciding;
}

/* A change of the filter stack: whatever was being computed is obsolete. */
static void filters_changed(app *a)
{
    a->stale = false;
    if (a->job_task.running)
        bg_cancel(&a->job_task);
}

/* ---- filters ---- */

static bool push_filter(app *a, const char *expr, bool record)
{
    err e = {0};
    flt_error where = {0, 0};
    err_code rc;
    if (cr_repush(&a->clus, a->env.eng, expr, &e, &rc)) { /* a cluster, by its label */
        if (rc != E_OK) {
            app_say(a, true, "%s", e.msg);
            return false;
        }
    } else if (eng_push_filter(a->env.eng, expr, &e, &where) != E_OK) {
        app_say(a, true, "%s", e.msg);
        return false;
    }
    if (record) {
        undo_push(&a->undo, true, expr);
        undo_clear(&a->redo);
    }
    filters_changed(a);
    return true;
}

static bool pop_filter(app *a, bool record)
{
    size_t n = eng_filter_count(a->env.eng);
    if (n == 0) {
        app_say(a, false, "no filter to remove: every row is selected");
        return false;
    }
    char *text = strdup(eng_filter_text(a->env.eng, n - 1));
    if (!text)
        return false;
    eng_pop_filter(a->env.eng);
    if (record) {
        undo_push(&a->undo, false, text);
        undo_clear(&a->redo);
    }
    app_say(a, false, "removed filter: %s", text);
    free(text);
    filters_changed(a);
    return true;
}

/* Undo (or redo, from the other stack): apply the inverse of the last change. */
static void undo_redo(app *a, bool redo)
{
    undo_stack *from = redo ? &a->redo : &a->undo, *to = redo ? &a->undo : &a->redo;
    if (from->len == 0) {
        app_say(a, false, redo ? "nothing to redo" : "nothing to undo");
        return;
    }
    undo_op op = from->v[--from->len];
    if (op.kind != UNDO_FILTER) { /* a tag or note: tagui.c writes its inverse or itself */
        int done = tu_undo_redo(a, &op, redo);
        if (done == 0) {
            from->len++; /* not saved: the entry stays for another try */
            return;
        }
        if (done > 0)
            undo_push_op(to, &op, op.expr);
        free(op.expr);
        return;
    }
    bool ok;
    bool do_push = redo ? op.push : !op.push;
    if (do_push)
        ok = push_filter(a, op.expr, false);
    else
        ok = pop_filter(a, false);
    if (ok) {
        undo_push(to, op.push, op.expr);
        app_say(a, false, "%s: %s %s", redo ? "redone" : "undone", op.push ? "filter" : "removal",
                op.expr);
    }
    free(op.expr);
}

/* ---- the filter prompt ---- */

static size_t complete_column(void *ctx, const char *word, const char **out, size_t max)
{
    app *a = ctx;
    flt_ctx fc = eng_filter_ctx(a->env.eng); /* with the tags, when there are */
    return flt_complete(&fc, word, out, max);
}

static const char *history_entry(void *ctx, size_t i)
{
    app *a = ctx;
    return i < eng_history_count(a->env.eng) ? eng_history(a->env.eng, i) : NULL;
}

/* Compiles the text being typed (no evaluation) so that a mistake shows at once. */
static void check_filter(app *a)
{
    a->prm_error[0] = '\0';
    if (a->prm.len == 0)
        return;
    flt_ctx fc = eng_filter_ctx(a->env.eng); /* with the tags, when there are */
    filter *f = NULL;
    err e = {0};
    flt_error where = {0, 0};
    if (flt_compile(&f, a->prm.buf, &fc, &e, &where) == E_OK) {
        flt_free(f);
        return;
    }
    char two[sizeof a->prm_error];
    flt_format_error(a->prm.buf, &e, &where, two, sizeof two);
    const char *nl = strchr(two, '\n');
    snprintf(a->prm_error, sizeof a->prm_error, "%s", nl ? nl + 1 : two);
}

static void filter_key(app *a, int key)
{
    prm_state st = prm_key(&a->prm, key);
    if (st == PRM_CANCEL) {
        a->mode = MODE_MAIN;
        a->prm_error[0] = '\0';
        return;
    }
    if (st == PRM_EDITING) {
        check_filter(a);
        return;
    }
    if (a->prm.len == 0) {
        a->mode = MODE_MAIN;
        return;
    }
    err e = {0};
    flt_error where = {0, 0};
    if (eng_push_filter(a->env.eng, a->prm.buf, &e, &where) != E_OK) {
        char two[sizeof a->prm_error];
        flt_format_error(a->prm.buf, &e, &where, two, sizeof two);
        const char *nl = strchr(two, '\n');
        snprintf(a->prm_error, sizeof a->prm_error, "%s", nl ? nl + 1 : two);
        return; /* stay in the prompt to fix it */
    }
    undo_push(&a->undo, true, a->prm.buf);
    undo_clear(&a->redo);
    filters_changed(a);
    snprintf(a->pending_dive, sizeof a->pending_dive, "%s", a->prm.buf);
    a->mode = MODE_MAIN;
    a->prm_error[0] = '\0';
}

/* ---- export and copy ---- */

static pane *focused(app *a)
{
    return a->detail ? a->detail : a->panes[a->focus];
}

static void export_key(app *a, int key)
{
    prm_state st = prm_key(&a->prm, key);
    if (st == PRM_CANCEL) {
        a->mode = MODE_MAIN;
        return;
    }
    if (st == PRM_EDITING)
        return;
    a->mode = MODE_MAIN;
    if (a->prm.len == 0)
        return;
    err e = {0};
    size_t n = 0;
    if (ex_write(focused(a), &a->env, a->prm.buf, &n, &e) != E_OK)
        app_say(a, true, "export: %s", e.msg);
    else
        app_say(a, false, "exported %zu rows to %s", n, a->prm.buf);
}

static void copy_expr(app *a)
{
    char expr[2048];
    size_t n = focused(a)->ops->cursor_expr(focused(a), &a->env, expr, sizeof expr);
    if (n == 0 || n >= sizeof expr) {
        /* nothing under the cursor: the whole filter stack */
        size_t len = 0;
        expr[0] = '\0';
        for (size_t i = 0; i < eng_filter_count(a->env.eng) && len < sizeof expr; i++) {
            int k = snprintf(expr + len, sizeof expr - len, "%s(%s)", i ? " && " : "",
                             eng_filter_text(a->env.eng, i));
            if (k < 0)
                break;
            len += (size_t)k;
        }
        if (len == 0 || len >= sizeof expr) {
            app_say(a, false, "nothing to copy");
            return;
        }
    }
    strbuf seq;
    sb_init(&seq);
    err e = {0};
    if (ex_osc52(expr, &seq, &e) == E_OK) {
        term_write_raw(sb_str(&seq), seq.len);
        app_say(a, false, "copied (OSC 52): %s", expr);
    }
    sb_done(&seq);
}

/* ---- choosers ---- */

static void open_palette(app *a)
{
    err e = {0};
    if (ch_open(&a->ch, "Run an action", ACT_COUNT, &e) != E_OK)
        return;
    for (int i = 0; i < ACT_COUNT; i++)
        ch_set(&a->ch, (size_t)i, act_name((action)i), act_help((action)i));
    ch_refilter(&a->ch);
    a->mode = MODE_PALETTE;
}

static const char *dim_kind_name(dim_kind k)
{
    switch (k) {
    case DIM_CATEGORICAL: return "categories";
    case DIM_VALUES: return "values";
    case DIM_QUANTILE: return "numeric";
    case DIM_TOKENS: return "text length (tokens)";
    case DIM_TIME: return "time";
    default: return "derived";
    }
}

static void open_picker(app *a, bool x)
{
    err e = {0};
    const binning *b = a->env.b;
    if (ch_open(&a->ch, x ? "Heatmap: x column" : "Heatmap: y column", b->ndim, &e) != E_OK)
        return;
    for (size_t i = 0; i < b->ndim; i++)
        if (b->dim[i].kind != DIM_OUTCOME)
            ch_set(&a->ch, i, b->dim[i].name, dim_kind_name(b->dim[i].kind));
    ch_refilter(&a->ch);
    a->mode = x ? MODE_PICK_X : MODE_PICK_Y;
}

/* The dimension to pair with `other` when the heatmap had no axes yet: the best-ranked
 * column that is not it. */
static int partner(const app *a, int other)
{
    const col_ranking *rk = &a->env.res->rank;
    for (size_t i = 0; i < rk->len; i++)
        if (rk->v[i].col >= 0 && (int)rk->v[i].dim != other)
            return (int)rk->v[i].dim;
    return other == 0 && a->env.b->ndim > 1 ? 1 : 0;
}

static void dispatch(app *a, action act);

static void chooser_key(app *a, int key)
{
    size_t chosen = 0;
    prm_state st = ch_key(&a->ch, key, &chosen);
    if (st == PRM_EDITING)
        return;
    app_mode mode = a->mode;
    ch_close(&a->ch);
    a->mode = MODE_MAIN;
    if (st == PRM_CANCEL)
        return;
    if (mode == MODE_PALETTE) {
        dispatch(a, (action)chosen);
        return;
    }
    const heatmap *h = &a->env.res->hm;
    int x = h->valid ? (int)h->x.dim : -1, y = h->valid ? (int)h->y.dim : -1;
    if (mode == MODE_PICK_X)
        x = (int)chosen;
    else
        y = (int)chosen;
    if (x < 0)
        x = partner(a, y);
    if (y < 0)
        y = partner(a, x);
    err e = {0};
    if (eng_set_heatmap(a->env.eng, x, y, eng_options(a->env.eng)->hm_equal_width, &e) != E_OK)
        app_say(a, true, "%s", e.msg);
    else
        app_say(a, false, "heatmap: %s × %s", a->env.b->dim[y].name, a->env.b->dim[x].name);
}

/* ---- panes and focus ---- */

static bool in_grid_slot(const app *a, size_t i)
{
    for (int s = 0; s < SLOT_COUNT; s++)
        if (app_slot_pane(a, s) == i)
            return true;
    return false;
}

size_t app_slot_pane(const app *a, int s)
{
    /* the first three panes of the registry fill the top row and the middle left, the cases
     * pane the bottom, and the others take turns in the side slot */
    size_t cases = SIZE_MAX;
    for (size_t i = 0; i < a->npanes; i++)
        if (strcmp(a->panes[i]->ops->name, "cases") == 0)
            cases = i;
    switch (s) {
    case SLOT_BOTTOM:
        return cases;
    case SLOT_SIDE:
        return a->side;
    default: {
        size_t k = 0;
        for (size_t i = 0; i < a->npanes; i++) {
            if (i == cases)
                continue;
            if ((int)k == s)
                return i;
            k++;
        }
        return SIZE_MAX;
    }
    }
}

static void focus_pane(app *a, size_t i)
{
    if (i >= a->npanes)
        return;
    if (a->detail) {
        pane_free(a->detail);
        a->detail = NULL;
    }
    a->focus = i;
    if (!in_grid_slot(a, i))
        a->side = i;
}

static void focus_by_name(app *a, const char *name)
{
    for (size_t i = 0; i < a->npanes; i++)
        if (strcmp(a->panes[i]->ops->name, name) == 0)
            focus_pane(a, i);
}

static void react(app *a, unsigned r)
{
    if (a->env.msg[0]) {
        app_say(a, false, "%s", a->env.msg);
        a->env.msg[0] = '\0';
    }
    if (r & R_DIVE) {
        if (push_filter(a, a->env.dive, true))
            snprintf(a->pending_dive, sizeof a->pending_dive, "%s", a->env.dive);
    }
    if (r & R_DIVE_CLUSTER) {
        char label[512];
        err e = {0};
        if (cr_dive(&a->clus, a->env.eng, a->env.res->serial, a->env.dive_cluster, label,
                    sizeof label, &e) != E_OK) {
            app_say(a, true, "%s", e.msg);
        } else {
            undo_push(&a->undo, true, label);
            undo_clear(&a->redo);
            filters_changed(a);
            snprintf(a->pending_dive, sizeof a->pending_dive, "%s", label);
        }
    }
    if (r & R_OPEN_CASE) {
        pane *d = NULL;
        err e = {0};
        if (detail_pane_new(&d, a->env.open_row, &e) == E_OK) {
            pane_free(a->detail);
            a->detail = d;
        }
    }
    if (r & R_CLOSE) {
        pane_free(a->detail);
        a->detail = NULL;
    }
    if (r & R_PICK_X)
        open_picker(a, true);
    if (r & R_PICK_Y)
        open_picker(a, false);
    if (r & R_SHOW_SLICES)
        focus_by_name(a, "slices");
    if (r & R_RECOMPUTE)
        a->stale = false;
    if (r & R_QUIT)
        a->quit = true;
}

static void open_help(app *a)
{
    sb_clear(&a->help);
    err e = {0};
    if (help_text(&a->km, focused(a)->ops->name, &a->help, &e) != E_OK)
        return;
    a->help_top = 0;
    a->mode = MODE_HELP;
}

static void dispatch(app *a, action act)
{
    if (tu_dispatch(a, act)) /* tags, notes, review mode */
        return;
    switch (act) {
    case ACT_QUIT:
        if (a->detail)
            react(a, R_CLOSE);
        else
            a->quit = true;
        return;
    case ACT_HELP:
        open_help(a);
        return;
    case ACT_PALETTE:
        open_palette(a);
        return;
    case ACT_PANE_NEXT:
    case ACT_PANE_PREV:
        focus_pane(a, (a->focus + (act == ACT_PANE_NEXT ? 1 : a->npanes - 1)) % a->npanes);
        return;
    case ACT_PANE_SLICES:
        focus_by_name(a, "slices");
        return;
    case ACT_PANE_HEATMAP:
        focus_by_name(a, "heatmap");
        return;
    case ACT_PANE_CONFUSION:
        focus_by_name(a, "confusion");
        return;
    case ACT_PANE_CASES:
        focus_by_name(a, "cases");
        return;
    case ACT_PANE_CALIBRATION:
        focus_by_name(a, "calibration");
        return;
    case ACT_PANE_RANK:
        focus_by_name(a, "rank");
        return;
    case ACT_PANE_CLUSTERS:
        focus_by_name(a, "clusters");
        return;
    case ACT_PANE_TAGS:
        focus_by_name(a, "tags");
        return;
    case ACT_PANE_DECISIONS:
        focus_by_name(a, "decisions");
        return;
    case ACT_FILTER_ADD:
        prm_open(&a->prm, "/", "", complete_column, history_entry,
                 eng_history_count(a->env.eng), a);
        a->prm_error[0] = '\0';
        a->mode = MODE_FILTER;
        return;
    case ACT_FILTER_POP:
        pop_filter(a, true);
        return;
    case ACT_UNDO:
    case ACT_REDO:
        undo_redo(a, act == ACT_REDO);
        return;
    case ACT_EXPORT: {
        char name[96];
        snprintf(name, sizeof name, "faultline-%s.tsv", focused(a)->ops->name);
        prm_open(&a->prm, "export to (.tsv .md, or .csv for the rows):", name, NULL, NULL, 0,
                 NULL);
        a->mode = MODE_EXPORT;
        return;
    }
    case ACT_COPY:
        copy_expr(a);
        return;
    case ACT_REDRAW:
        term_invalidate();
        a->stale = false;
        return;
    case ACT_CANCEL:
        if (a->job_task.running) {
            a->job_user_cancel = true;
            bg_cancel(&a->job_task);
        } else if (a->search_task.running) {
            bg_cancel(&a->search_task);
        } else if (a->clus.task.running) {
            cr_cancel(&a->clus);
        } else {
            app_say(a, false, "nothing to cancel (q quits)");
        }
        return;
    default:
        break;
    }
    if (act == ACT_NONE)
        return;
    pane *p = focused(a);
    unsigned r = p->ops->act(p, &a->env, act);
    if (r == R_NONE && !a->env.msg[0])
        app_say(a, false, "%s does nothing in the %s pane", act_name(act), p->ops->name);
    react(a, r);
}

/* ---- mouse ---- */

static void mouse(app *a)
{
    int y, x, kind;
    term_mouse(&y, &x, &kind);
    if (a->lay.mode == LAY_TABS && lay_inside(&a->lay.tabbar, y, x)) {
        int at = 1;
        for (size_t i = 0; i < a->npanes; i++) {
            int w = ui_strwidth(a->panes[i]->ops->label);
            if (x >= at && x < at + w) {
                focus_pane(a, i);
                return;
            }
            at += w + 1;
        }
        return;
    }
    for (int s = 0; s < (a->lay.mode == LAY_GRID ? SLOT_COUNT : 1); s++) {
        size_t i = a->lay.mode == LAY_GRID ? app_slot_pane(a, s) : a->focus;
        const ui_rect *r = &a->lay.slot[s];
        if (i == SIZE_MAX || !lay_inside(r, y, x))
            continue;
        if (a->detail) {
            if (kind == 4 || kind == 5)
                dispatch(a, kind == 4 ? ACT_MOVE_UP : ACT_MOVE_DOWN);
            return;
        }
        a->focus = i;
        if (kind == 4 || kind == 5) {
            for (int k = 0; k < 3; k++)
                dispatch(a, kind == 4 ? ACT_MOVE_UP : ACT_MOVE_DOWN);
            return;
        }
        if (y > r->y && x > r->x)
            a->panes[i]->ops->click(a->panes[i], &a->env, y - r->y - 1, x - r->x - 1);
        if (kind == 2)
            dispatch(a, a->panes[i]->ops->name[0] == 'c' &&
                                strcmp(a->panes[i]->ops->name, "cases") == 0
                            ? ACT_CASE_OPEN
                            : ACT_DIVE);
        return;
    }
}

/* ---- keys ---- */

void app_key(app *a, int key)
{
    if (key == K_RESIZE) {
        int h, w;
        term_size(&h, &w);
        app_resize(a, h, w, NULL);
        return;
    }
    if (key != K_TIMEOUT && a->mode == MODE_MAIN && key != K_MOUSE)
        a->msg[0] = '\0';
    switch (a->mode) {
    case MODE_FILTER:
        filter_key(a, key);
        return;
    case MODE_EXPORT:
        export_key(a, key);
        return;
    case MODE_NOTE:
        tu_note_key(a, key);
        return;
    case MODE_PALETTE:
    case MODE_PICK_X:
    case MODE_PICK_Y:
        chooser_key(a, key);
        return;
    case MODE_HELP: {
        action act = km_lookup(&a->km, "help", key);
        if (act == ACT_MOVE_DOWN || act == ACT_PAGE_DOWN)
            a->help_top += act == ACT_MOVE_DOWN ? 1 : a->cv.h - 4;
        else if (act == ACT_MOVE_UP || act == ACT_PAGE_UP)
            a->help_top -= act == ACT_MOVE_UP ? 1 : a->cv.h - 4;
        else if (act == ACT_QUIT || act == ACT_HELP)
            a->mode = MODE_MAIN;
        if (a->help_top > a->help_lines - 3)
            a->help_top = a->help_lines - 3;
        if (a->help_top < 0)
            a->help_top = 0;
        return;
    }
    default:
        break;
    }
    if (key == K_MOUSE) {
        mouse(a);
        return;
    }
    if (a->lay.mode == LAY_TOO_SMALL && km_lookup(&a->km, NULL, key) != ACT_QUIT)
        return;
    dispatch(a, km_lookup(&a->km, focused(a)->ops->name, key));
}

err_code app_resize(app *a, int h, int w, err *e)
{
    err_code rc = cv_resize(&a->cv, h, w, e);
    if (rc != E_OK)
        return rc;
    lay_compute(&a->lay, h, w);
    return E_OK;
}

err_code app_init(app *a, const ui_input *in, const ui_opts *opt, err *e)
{
    memset(a, 0, sizeof *a);
    a->env = (pane_env){.ds = in->ds, .r = in->r, .o = in->o, .b = in->b, .eng = in->eng,
                        .res = eng_current(in->eng), .slice_dim = -1};
    a->file = in->file;
    a->opt = *opt;
    a->side = SIZE_MAX;
    km_init(&a->km);
    sb_init(&a->help);
    err_code rc = E_OK;
    for (size_t i = 0; i < PANE_REGISTRY_LEN && i < LAY_MAX_PANES && rc == E_OK; i++) {
        rc = PANE_REGISTRY[i](&a->panes[i], e);
        if (rc == E_OK)
            a->npanes++;
    }
    if (rc != E_OK) {
        app_done(a);
        return rc;
    }
    for (size_t i = 0; i < a->npanes; i++)
        if (!in_grid_slot(a, i) && a->side == SIZE_MAX)
            a->side = i;
    a->search_wanted = true;
    cr_init(&a->clus, &opt->cluster, opt->clusters_off);
    dr_init(&a->dec, in->dec, in->dec_opts, in->o, in->b);
    a->env.decisions = dr_current(&a->dec, a->env.res ? a->env.res->serial : 1);
    tu_init(a, in);
    return E_OK;
}

void app_done(app *a)
{
    bg_stop(&a->job_task);
    if (a->job)
        eng_job_free(a->job);
    cr_done(&a->clus);
    dr_done(&a->dec);
    tu_done(a);
    bg_stop(&a->search_task);
    if (a->search) {
        if (a->search_task.rc == E_OK && atomic_load(&a->search_task.done))
            srch_done(&a->search->out);
        search_job_free(a->search);
    }
    if (a->have_found)
        srch_done(&a->found);
    for (size_t i = 0; i < a->npanes; i++)
        pane_free(a->panes[i]);
    pane_free(a->detail);
    if (a->ch.name)
        ch_close(&a->ch);
    undo_clear(&a->undo);
    undo_clear(&a->redo);
    free(a->undo.v);
    free(a->redo.v);
    sb_done(&a->help);
    km_done(&a->km);
    cv_done(&a->cv);
    memset(a, 0, sizeof *a);
}
