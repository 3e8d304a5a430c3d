/* tagui: tags, notes and review mode in the explorer (see tagui.h). */
#include "tagui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "casefmt.h"

#define REFRESH_S 2.0 /* how often the journal is looked at for other reviewers' lines */

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static pane *focused(app *a)
{
    return a->detail ? a->detail : a->panes[a->focus];
}

bool tu_reviewing(const app *a)
{
    return a->detail && strcmp(a->detail->ops->name, "review") == 0;
}

size_t tu_reviewed(const review_state *rv, const tag_state *t)
{
    size_t n = 0;
    for (size_t i = 0; t && rv->built && i < rv->q.len; i++) {
        const tg_row *r = tg_get(t, rv->q.row[i]);
        n += r && (r->mask || r->note);
    }
    return n;
}

/* ---- after every change of the tags ---- */

/* The filter view follows the state, filters on tags are evaluated again (a recompute
 * starts from app_poll when the selection changed) and the panes see a new serial. */
static void tags_changed(app *a)
{
    tag_ui *tu = &a->tags;
    err e = {0};
    err_code rc = tv_sync(tu->view, tu->t, &e);
    if (rc == E_OK)
        rc = eng_tags_changed(a->env.eng, &e);
    if (rc != E_OK)
        app_say(a, true, "the tags were saved, but the view could not follow: %s", e.msg);
    if (eng_dirty(a->env.eng))
        a->stale = false; /* a filter on tags changed: recompute even after a cancel */
    tu->serial++;
    a->env.tags_serial = tu->serial;
}

/* Whether tags can be changed; says why not. */
static bool writable(app *a)
{
    if (a->tags.t && !a->tags.off_why[0])
        return true;
    app_say(a, true, "%s", a->tags.off_why[0] ? a->tags.off_why : "tags are off");
    return false;
}

/* The row the tag keys act on: the case under the cursor of the focused pane. */
static bool target_row(app *a, uint32_t *row)
{
    pane *p = focused(a);
    if (p->ops->cursor_row && p->ops->cursor_row(p, &a->env, row))
        return true;
    if (tu_reviewing(a))
        app_say(a, false, "the end of the queue: ← goes back, q leaves review mode");
    else
        app_say(a, false, "tags go on a case: open the error cases (E) or review them (V)");
    return false;
}

/* ---- review mode ---- */

static void review_goto_row(app *a, uint32_t row)
{
    review_state *rv = &a->tags.rv;
    if (!tu_reviewing(a))
        return;
    for (size_t i = 0; i < rv->q.len; i++)
        if (rv->q.row[i] == row) {
            rv->pos = i;
            return;
        }
}

static void review_open(app *a, const rq_opts *opt, bool quit_on_leave)
{
    tag_ui *tu = &a->tags;
    review_state *rv = &tu->rv;
    if (!tu->t) {
        app_say(a, true, "review needs tags: %s", tu->off_why[0] ? tu->off_why : "tags are off");
        return;
    }
    const eng_result *res = a->env.res;
    review_queue q = {0};
    err e = {0};
    if (rq_build(&q, a->env.o, &res->sel, &res->slices, a->env.b, opt, &e) != E_OK) {
        app_say(a, true, "cannot build the review queue: %s", e.msg);
        return;
    }
    if (q.len == 0) {
        rq_done(&q);
        app_say(a, false, "no errors to review in this selection");
        return;
    }
    pane *p = NULL;
    if (review_pane_new(&p, rv, &e) != E_OK) {
        rq_done(&q);
        app_say(a, true, "%s", e.msg);
        return;
    }
    if (rv->built)
        rq_done(&rv->q);
    rv->q = q;
    rv->built = true;
    rv->opt = *opt;
    rv->nerr = res->m.nerr;
    rv->quit_on_leave = quit_on_leave;
    rv->scope[0] = '\0';
    size_t len = 0, nf = eng_filter_count(a->env.eng);
    for (size_t i = 0; i < nf && len < sizeof rv->scope; i++) {
        int k = snprintf(rv->scope + len, sizeof rv->scope - len, "%s%s", i ? " › " : "",
                         eng_filter_text(a->env.eng, i));
        if (k < 0)
            break;
        len += (size_t)k;
    }
    rv->pos = rq_resume(&rv->q, tu->t);
    pane_free(a->detail);
    a->detail = p;
    a->env.review = rv;
    if (rv->pos == rv->q.len)
        app_say(a, false, "review: every one of the %zu cases has a tag or note already", q.len);
    else if (rv->pos > 0)
        app_say(a, false, "review: resuming at %zu / %zu (the first case without a tag or note)",
                rv->pos + 1, q.len);
    else
        app_say(a, false, "review: %zu errors by %s; 1-9 tag and go on, Space skips", q.len,
                rq_order_name(opt->order));
}

static void review_leave(app *a)
{
    review_state *rv = &a->tags.rv;
    pane_free(a->detail);
    a->detail = NULL;
    if (rv->quit_on_leave) {
        a->quit = true;
        return;
    }
    app_say(a, false, "left the review at %zu / %zu (V resumes)",
            rv->pos < rv->q.len ? rv->pos + 1 : rv->q.len, rv->q.len);
}

static void review_move(app *a, bool forward)
{
    review_state *rv = &a->tags.rv;
    if (!tu_reviewing(a)) {
        app_say(a, false, "not reviewing: V starts a review of the selection's errors");
        return;
    }
    if (forward && rv->pos < rv->q.len)
        rv->pos++;
    else if (!forward && rv->pos > 0)
        rv->pos--;
    else
        app_say(a, false, forward ? "the end of the queue" : "the first case of the queue");
}

/* ---- tag keys and notes ---- */

static void tag_key(app *a, int tag)
{
    tag_ui *tu = &a->tags;
    uint32_t row;
    if (!writable(a) || !target_row(a, &row))
        return;
    if ((size_t)tag >= tg_ntags(tu->t)) {
        app_say(a, false, "no tag %d: the tag set has %zu (--tagset FILE names them)", tag + 1,
                tg_ntags(tu->t));
        return;
    }
    bool on = !tg_has(tu->t, row, tag);
    err e = {0};
    if (tg_toggle(tu->t, row, tag, &e) != E_OK) {
        app_say(a, true, "%s", e.msg);
        return;
    }
    tu->applied_seen++;
    const char *name = tg_tag_name(tu->t, (size_t)tag);
    undo_op op = {.push = on, .expr = NULL, .kind = UNDO_TAG, .row = row, .tag = tag};
    char copy[JR_TAG_MAX];
    snprintf(copy, sizeof copy, "%s", name);
    op.expr = copy;
    app_record(a, &op);
    tags_changed(a);
    char id[128];
    cf_id(&a->env, row, id, sizeof id);
    if (tu_reviewing(a)) {
        review_state *rv = &tu->rv;
        if (rv->pos < rv->q.len)
            rv->pos++;
        app_say(a, false, "%s %s (saved): %s  · next %zu / %zu", on ? "tagged" : "untagged", name,
                id, rv->pos < rv->q.len ? rv->pos + 1 : rv->q.len, rv->q.len);
    } else {
        app_say(a, false, "%s %s (saved): %s", on ? "tagged" : "untagged", name, id);
    }
}

static void note_open(app *a)
{
    tag_ui *tu = &a->tags;
    uint32_t row;
    if (!writable(a) || !target_row(a, &row))
        return;
    const tg_row *r = tg_get(tu->t, row);
    tu->note_row = row;
    char id[128], label[sizeof a->prm.label];
    cf_id(&a->env, row, id, sizeof id);
    snprintf(label, sizeof label, "note %.24s:", id);
    prm_open(&a->prm, label, r && r->note ? r->note : "", NULL, NULL, 0, NULL);
    snprintf(a->prm.note, sizeof a->prm.note,
             "Enter saves, an empty note clears it, Esc keeps "
             "the note as it was");
    a->mode = MODE_NOTE;
}

void tu_note_key(app *a, int key)
{
    tag_ui *tu = &a->tags;
    prm_state st = prm_key(&a->prm, key);
    if (st == PRM_EDITING)
        return;
    a->mode = MODE_MAIN;
    a->prm.note[0] = '\0';
    if (st == PRM_CANCEL) {
        app_say(a, false, "note not changed");
        return;
    }
    uint32_t row = tu->note_row;
    const tg_row *r = tg_get(tu->t, row);
    const char *old = r && r->note ? r->note : "";
    if (strcmp(old, a->prm.buf) == 0) {
        app_say(a, false, "note unchanged");
        return;
    }
    err e = {0};
    if (tg_set_note(tu->t, row, a->prm.buf, &e) != E_OK) {
        app_say(a, true, "%s", e.msg);
        return;
    }
    tu->applied_seen++;
    undo_op op = {.push = true, .expr = a->prm.buf, .kind = UNDO_NOTE, .row = row, .tag = -1};
    app_record(a, &op);
    tags_changed(a);
    char id[128];
    cf_id(&a->env, row, id, sizeof id);
    app_say(a, false, "%s: %s", a->prm.len ? "note saved" : "note cleared", id);
}

int tu_undo_redo(app *a, const undo_op *op, bool redo)
{
    tag_ui *tu = &a->tags;
    if (!tu->t || tu->off_why[0]) {
        app_say(a, true, "cannot %s a tag: %s", redo ? "redo" : "undo",
                tu->off_why[0] ? tu->off_why : "tags are off");
        return 0;
    }
    char id[128], what[256];
    cf_id(&a->env, op->row, id, sizeof id);
    if (op->kind == UNDO_TAG)
        snprintf(what, sizeof what, "%s %s on %s", op->push ? "tagged" : "untagged", op->expr, id);
    else
        snprintf(what, sizeof what, "the note on %s", id);
    err e = {0};
    err_code rc = E_OK;
    if (!redo) {
        bool done = false;
        rc = tg_undo_last(tu->t, &done, &e);
        if (rc == E_OK && !done) {
            app_say(a, false, "nothing to undo");
            return -1;
        }
    } else if (op->kind == UNDO_TAG) {
        int tag = tg_tag_index(tu->t, op->expr);
        if (tag < 0 || tg_has(tu->t, op->row, tag) == op->push) {
            app_say(a, false, "nothing to redo: %s already (another reviewer)", what);
            return -1;
        }
        rc = tg_toggle(tu->t, op->row, tag, &e);
    } else {
        rc = tg_set_note(tu->t, op->row, op->expr, &e);
    }
    if (rc != E_OK) {
        app_say(a, true, "%s", e.msg);
        return 0;
    }
    tu->applied_seen++;
    tags_changed(a);
    review_goto_row(a, op->row);
    app_say(a, false, "%s: %s (saved)", redo ? "redone" : "undone", what);
    return 1;
}

/* ---- other reviewers ---- */

static void refresh(app *a, bool by_hand)
{
    tag_ui *tu = &a->tags;
    tu->last_refresh = mono_now();
    if (!tu->t)
        return;
    bool changed = false;
    tg_load_report rep;
    err e = {0};
    if (tg_refresh(tu->t, &changed, &rep, &e) != E_OK) {
        app_say(a, true, "cannot re-read the tags: %s", e.msg);
        return;
    }
    if (!changed) {
        if (by_hand)
            app_say(a, false, "no new tag operations");
        return;
    }
    size_t fresh =
        rep.replay.applied > tu->applied_seen ? rep.replay.applied - tu->applied_seen : 0;
    tu->applied_seen = rep.replay.applied;
    /* a last line without its line break may be another reviewer's write under way: only
     * complete bad lines are worth a warning */
    size_t bad = rep.replay.bad - (rep.replay.torn_tail ? 1 : 0);
    if (bad > tu->bad_seen) {
        char skipped[512];
        jr_describe_skipped(&rep.replay, skipped, sizeof skipped);
        app_say(a, true, "%s: %s", tg_journal_path(tu->t), skipped);
        tu->bad_seen = bad;
    }
    /* the replay rebuilt the state: the view follows even when only our lines were new */
    tags_changed(a);
    if (fresh)
        app_say(a, false, "%zu new tag operation%s from other reviewers", fresh,
                fresh == 1 ? "" : "s");
    else if (by_hand)
        app_say(a, false, "no new tag operations");
}

void tu_poll(app *a)
{
    if (a->tags.t && mono_now() - a->tags.last_refresh >= REFRESH_S)
        refresh(a, false);
}

/* ---- actions ---- */

bool tu_dispatch(app *a, action act)
{
    switch (act) {
    case ACT_TAG_1:
    case ACT_TAG_2:
    case ACT_TAG_3:
    case ACT_TAG_4:
    case ACT_TAG_5:
    case ACT_TAG_6:
    case ACT_TAG_7:
    case ACT_TAG_8:
    case ACT_TAG_9:
        tag_key(a, (int)(act - ACT_TAG_1));
        return true;
    case ACT_NOTE_EDIT:
        note_open(a);
        return true;
    case ACT_REVIEW_START:
        review_open(a, &a->tags.default_opt, false);
        return true;
    case ACT_REVIEW_SKIP:
    case ACT_REVIEW_BACK:
        review_move(a, act == ACT_REVIEW_SKIP);
        return true;
    case ACT_QUIT:
        if (!tu_reviewing(a))
            return false;
        review_leave(a);
        return true;
    case ACT_REDRAW:
        refresh(a, true);
        return false; /* the app redraws */
    default:
        return false;
    }
}

/* ---- start and end ---- */

/* What loading the journal found, for the status line: "" when nothing is worth saying. */
static void load_note(const tag_ui *tu, const tg_load_report *rep, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    const char *path = tg_journal_path(tu->t);
    if (rep->replay.bad) {
        char skipped[512];
        jr_describe_skipped(&rep->replay, skipped, sizeof skipped);
        len += (size_t)snprintf(buf + len, size - len, "%s: %s", path, skipped);
    }
    if (rep->unresolved && len < size)
        len += (size_t)snprintf(buf + len, size - len,
                                "%s%zu tag operation%s rows this file no longer has (first: %s)",
                                len ? "; " : "", rep->unresolved,
                                rep->unresolved == 1 ? " names" : "s name", rep->first_unresolved);
    if (rep->other_fingerprint && len < size)
        snprintf(buf + len, size - len,
                 "%s%zu tag operation%s made on another version of the "
                 "data file",
                 len ? "; " : "", rep->other_fingerprint,
                 rep->other_fingerprint == 1 ? " was" : "s were");
}

void tu_init(app *a, const ui_input *in)
{
    tag_ui *tu = &a->tags;
    memset(tu, 0, sizeof *tu);
    tu->t = in->tags;
    tu->view = in->tagview;
    tu->default_opt = in->queue;
    tu->last_refresh = mono_now();
    if (in->tags_off)
        snprintf(tu->off_why, sizeof tu->off_why, "%s", in->tags_off);
    else if (!in->tags)
        snprintf(tu->off_why, sizeof tu->off_why, "tags are off");
    if (tu->t && !tu->view) { /* a caller without a view: tags are shown but not filtered */
        tu->t = NULL;
        snprintf(tu->off_why, sizeof tu->off_why, "tags are off (no tag view)");
    }
    a->env.tags = tu->t;
    a->env.tags_off = tu->off_why[0] ? tu->off_why : NULL;
    a->env.review = NULL;
    if (tu->t && in->tag_load) {
        tu->applied_seen = in->tag_load->replay.applied;
        tu->bad_seen = in->tag_load->replay.bad;
        char note[600];
        load_note(tu, in->tag_load, note, sizeof note);
        if (note[0])
            app_say(a, true, "%s", note);
    }
    if (tu->off_why[0] && (in->tags_off || in->review))
        app_say(a, true, "%s", tu->off_why);
    if (in->review)
        review_open(a, &in->queue, true);
}

void tu_done(app *a)
{
    tag_ui *tu = &a->tags;
    if (tu->rv.built)
        rq_done(&tu->rv.q);
    memset(tu, 0, sizeof *tu);
}
