/* tagui: the reviewers' tags in the explorer. Tag keys, the note prompt, undo and redo of
 * tag operations, the periodic re-read of the journal (other reviewers' work) and review
 * mode: a queue of the selection's errors walked one case at a time. Every operation goes
 * through the tag state (tags.h), which writes and fsyncs the journal line before the state
 * changes, so the status line's "(saved)" is always true; then the filter view is synced, the
 * engine told (filters on tags are evaluated again) and the panes redraw.
 *
 * The tag state and its view belong to main.c (ui_input); this module borrows them. The
 * review queue belongs to the app's tag_ui. */
#ifndef UI_TAGUI_H
#define UI_TAGUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "err.h"
#include "queue.h"
#include "tags.h"
#include "tagview.h"

/* The current review queue. */
typedef struct review_state {
    bool built;         /* a queue exists (it stays after review mode is left) */
    review_queue q;     /* owned */
    size_t pos;         /* the item shown; q.len once past the last */
    rq_opts opt;        /* the order, sample and seed it was built with */
    size_t nerr;        /* errors of the selection it was built from */
    char scope[256];    /* the filters of that selection, "" for every row */
    bool quit_on_leave; /* `faultline review`: leaving review mode quits */
} review_state;

typedef struct tag_ui {
    tag_state *t;        /* borrowed; NULL when tags are off */
    tag_view *view;      /* borrowed; what filters read, synced after each change */
    char off_why[512];   /* why tags are off or read-only; "" when they are writable */
    uint64_t serial;     /* one more after every change of the tags */
    size_t applied_seen; /* journal operations the state has taken in */
    size_t bad_seen;     /* skipped journal lines already reported */
    double last_refresh; /* monotonic seconds of the last look at the journal */
    uint32_t note_row;   /* the row the note prompt edits */
    rq_opts default_opt; /* the queue options of the command line */
    review_state rv;
} tag_ui;

typedef struct app app;
typedef struct ui_input ui_input;
struct undo_op;

/* Takes the tag state of in (may be NULL), reports what loading found on the status line,
 * and opens review mode when in->review is set. Called at the end of app_init. */
void tu_init(app *a, const ui_input *in);
void tu_done(app *a);
/* Handles the tag and review actions (and q in review mode); false for the others, which
 * the app handles (Ctrl-L also re-reads the journal, then returns false). */
bool tu_dispatch(app *a, action act);
/* A key while the note prompt is open. */
void tu_note_key(app *a, int key);
/* Re-reads the journal every 2 s (other reviewers' operations). */
void tu_poll(app *a);
/* Undoes (or redoes) a tag operation of the app's history: 1 done, 0 failed (the entry
 * stays where it was), -1 nothing to do (the entry is dropped). */
int tu_undo_redo(app *a, const struct undo_op *op, bool redo);
/* Whether the review pane is open. */
bool tu_reviewing(const app *a);

/* Rows of the queue with a tag or a note. */
size_t tu_reviewed(const review_state *rv, const tag_state *t);

#endif
