/* frame: draws the explorer's state - header, tab bar or grid of framed panes, the case
 * detail, overlays and the status line - into the app's canvas. Reads the state, never
 * changes it (except the panes' last size, which paging needs). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "fmt.h"
#include "help.h"

/* The error rate of each time bucket as a sparkline at the right of the header, drift
 * flags in the hottest colour: "drift ▁▁▂▁▃█▂" (ASCII: the heat glyphs). Only when there is
 * a time column and room; returns the columns it took. */
static int draw_sparkline(app *a, int right)
{
    const decisions *d = a->env.decisions;
    if (!d || !d->has_drift || d->drift.len < 2)
        return 0;
    const drift_result *r = &d->drift;
    static const char *const BLOCKS[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char *const ASCII[] = {"_", "_", ".", "-", "-", "=", "#", "#"};
    size_t n = r->len > 40 ? 40 : r->len, first = r->len - n; /* the most recent buckets */
    int need = (int)n + 7;
    if (right - need < 70)
        return 0;
    double max = 0;
    for (size_t i = first; i < r->len; i++)
        if (!isnan(r->v[i].rate) && r->v[i].rate > max)
            max = r->v[i].rate;
    int x = right - need;
    x = cv_text(&a->cv, 0, x, "drift ", -1, UI_HEADER);
    for (size_t i = first; i < r->len; i++) {
        const drift_bucket *b = &r->v[i];
        int level = max > 0 && !isnan(b->rate) ? (int)floor(b->rate / max * 7 + 0.5) : 0;
        const char *g = a->cv.ascii ? ASCII[level] : BLOCKS[level];
        x = cv_text(&a->cv, 0, x, g, 1, b->flagged && b->worse ? UI_HEAT_6 : UI_HEADER);
    }
    return need;
}

static void draw_header(app *a)
{
    canvas *cv = &a->cv;
    const eng_result *res = a->env.res;
    char sel[32], tot[32], rate[32], ci[48], lift[32], base[32], line[512];
    fmt_count(res->nsel, sel, sizeof sel);
    fmt_count(a->env.ds->nrows, tot, sizeof tot);
    fmt_pct(res->m.error_rate, rate, sizeof rate);
    fmt_interval(res->err_lo, res->err_hi, ci, sizeof ci);
    fmt_lift(res->all_err > 0 ? res->m.error_rate / res->all_err : NAN, lift, sizeof lift);
    fmt_pct(res->all_err, base, sizeof base);
    const char *file = strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
    const char *state = a->job_task.running ? "  (updating)" : a->stale ? "  (stale)" : "";
    if (cv->w >= 100)
        snprintf(line, sizeof line, "  %s   selected %s of %s   error %s %s  %s vs %s%s", file,
                 sel, tot, rate, ci, lift, base, state);
    else
        snprintf(line, sizeof line, "  %s   %s/%s   err %s %s %s%s", file, sel, tot, rate, ci,
                 lift, state);
    canvas row = cv_sub(cv, 0, 0, 1, cv->w);
    cv_fill(&row, UI_HEADER);
    int x = cv_text(cv, 0, 1, "faultline", -1, UI_HEADER);
    int spark = draw_sparkline(a, cv->w - 1);
    cv_text(cv, 0, x, line, cv->w - 1 - spark - x, UI_HEADER);

    canvas frow = cv_sub(cv, 1, 0, 1, cv->w);
    cv_fill(&frow, UI_NORMAL);
    x = cv_text(cv, 1, 1, "filter  ", -1, UI_KEY);
    size_t nf = eng_filter_count(a->env.eng);
    const char *right = "? help   q quit";
    int limit = cv->w - ui_strwidth(right) - 3;
    if (nf == 0)
        cv_text(cv, 1, x, "none: every row", limit - x, UI_ROW_DIM);
    for (size_t i = 0; i < nf && x < limit; i++) {
        if (i)
            x = cv_text(cv, 1, x, "  ›  ", limit - x, UI_ROW_DIM);
        x = cv_text(cv, 1, x, eng_filter_text(a->env.eng, i), limit - x, UI_FILTER);
    }
    cv_text(cv, 1, cv->w - ui_strwidth(right) - 1, right, -1, UI_ROW_DIM);
}

static void draw_pane(app *a, pane *p, const ui_rect *r, bool focus)
{
    canvas box = cv_sub(&a->cv, r->y, r->x, r->h, r->w);
    char title[512];
    p->ops->caption(p, &a->env, title, sizeof title);
    cv_fill(&box, UI_NORMAL);
    cv_box(&box, title, focus ? UI_PANE_TITLE_FOCUS : UI_PANE_TITLE, UI_BORDER);
    canvas in = cv_sub(&box, 1, 1, r->h - 2, r->w - 2);
    p->h = in.h;
    p->w = in.w;
    p->ops->draw(p, &in, &a->env);
}

static void draw_tabs(app *a)
{
    canvas *cv = &a->cv;
    int x = 1, width = 1;
    for (size_t i = 0; i < a->npanes; i++)
        width += ui_strwidth(a->panes[i]->ops->label) + 1;
    /* When the labels do not all fit, those of the last panes shrink to their key ("[D]"),
     * one at a time from the end, the focused one never: every pane stays one keystroke
     * away and visibly so. 9 columns stay free for "› review". */
    bool shrink[LAY_MAX_PANES] = {false};
    for (size_t k = a->npanes; k-- > 0 && width + 9 > cv->w;) {
        const char *l = a->panes[k]->ops->label;
        if ((k == a->focus && !a->detail) || l[0] != '[' || !l[1] || l[2] != ']')
            continue;
        shrink[k] = true;
        width -= ui_strwidth(l) - 3;
    }
    for (size_t i = 0; i < a->npanes; i++) {
        const char *label = a->panes[i]->ops->label;
        bool on = i == a->focus && !a->detail;
        char key[8];
        if (shrink[i]) {
            snprintf(key, sizeof key, "%.3s", label);
            label = key;
        }
        x = cv_text(cv, a->lay.tabbar.y, x, label, -1, on ? UI_PANE_TITLE_FOCUS : UI_NORMAL);
        x = cv_text(cv, a->lay.tabbar.y, x, " ", -1, UI_NORMAL);
    }
    if (a->detail)
        cv_text(cv, a->lay.tabbar.y, x + 1, tu_reviewing(a) ? "› review" : "› case", -1,
                UI_PANE_TITLE_FOCUS);
}

static const char SPIN[][4] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

static void draw_status(app *a, int *cy, int *cx)
{
    canvas *cv = &a->cv;
    int y = cv->h - 1;
    canvas row = cv_sub(cv, y, 0, 1, cv->w);
    cv_fill(&row, UI_STATUS);
    if (a->mode == MODE_FILTER || a->mode == MODE_EXPORT || a->mode == MODE_NOTE) {
        int x = cv_text(cv, y, 1, a->prm.label, -1, UI_KEY);
        x = cv_text(cv, y, x, " ", -1, UI_STATUS);
        int start = x, avail = cv->w - start - 1, col = prm_cursor_col(&a->prm);
        /* long lines scroll so that the cursor stays visible; the caret line follows */
        int shift = col >= avail ? col - avail + 1 : 0;
        canvas line = cv_sub(cv, y, start, 1, avail);
        cv_text(&line, 0, -shift, a->prm.buf, -1, UI_STATUS);
        *cy = y;
        *cx = start + col - shift;
        const char *under = a->prm_error[0] ? a->prm_error : a->prm.note;
        if (under[0] && y > 0) {
            canvas er = cv_sub(cv, y - 1, 0, 1, cv->w);
            cv_fill(&er, a->prm_error[0] ? UI_STATUS_ERR : UI_STATUS);
            canvas txt = cv_sub(cv, y - 1, start, 1, cv->w - start);
            cv_text(&txt, 0, -shift, under, -1, a->prm_error[0] ? UI_STATUS_ERR : UI_STATUS);
        }
        return;
    }
    int right = cv->w - 1;
    char busy[200] = "";
    if (a->job_task.running)
        snprintf(busy, sizeof busy, "%s recomputing %d%%  Ctrl-C cancels",
                 a->cv.ascii ? "*" : SPIN[a->spin % 10],
                 atomic_load(&a->job_task.permille) / 10);
    else if (a->search_task.running)
        snprintf(busy, sizeof busy, "%s %s", a->cv.ascii ? "*" : SPIN[a->spin % 10],
                 a->search_state);
    if (busy[0]) {
        right -= ui_strwidth(busy) + 1;
        cv_text(cv, y, right + 1, busy, -1, UI_KEY);
    }
    if (a->msg[0]) {
        cv_text(cv, y, 1, a->msg, right - 2, a->msg_error ? UI_STATUS_ERR : UI_STATUS);
        return;
    }
    char hint[300];
    pane *p = a->detail ? a->detail : a->panes[a->focus];
    if (a->lay.mode == LAY_TOO_SMALL)
        snprintf(hint, sizeof hint, "q quit");
    else
        snprintf(hint, sizeof hint, "%s  │  / filter  %s pop  u undo  Tab next  ? help",
                 p->ops->hint(p), cv->ascii ? "BS" : "⌫"); /* no ASCII glyph for it */
    cv_text(cv, y, 1, hint, right - 2, UI_STATUS);
}

void app_draw(app *a, int *cy, int *cx)
{
    canvas *cv = &a->cv;
    *cy = *cx = -1;
    cv_fill(cv, UI_NORMAL);
    if (a->lay.mode == LAY_TOO_SMALL) {
        char m[128];
        snprintf(m, sizeof m, "terminal too small: %dx%d, need %dx%d", cv->w, cv->h, LAY_MIN_W,
                 LAY_MIN_H);
        cv_text(cv, cv->h / 2, cv->w > ui_strwidth(m) ? (cv->w - ui_strwidth(m)) / 2 : 0, m, -1,
                UI_STATUS_ERR);
        draw_status(a, cy, cx);
        return;
    }
    draw_header(a);
    if (a->lay.mode == LAY_TABS) {
        draw_tabs(a);
        draw_pane(a, a->detail ? a->detail : a->panes[a->focus], &a->lay.slot[0], true);
    } else if (a->detail) {
        draw_pane(a, a->detail, &a->lay.area, true);
    } else {
        for (int s = 0; s < SLOT_COUNT; s++) {
            size_t i = app_slot_pane(a, s);
            if (i != SIZE_MAX)
                draw_pane(a, a->panes[i], &a->lay.slot[s], i == a->focus);
        }
    }
    if (a->mode == MODE_PALETTE || a->mode == MODE_PICK_X || a->mode == MODE_PICK_Y)
        ch_draw(&a->ch, cv);
    if (a->mode == MODE_HELP)
        a->help_lines = help_draw(cv, sb_str(&a->help), a->help_top);
    draw_status(a, cy, cx);
}
