/* app: the explorer's state and its input loop. One key is handled at a time: the key map
 * turns it into an action, the action returns reaction flags, and the flags are carried
 * out in one place (push a filter, open a case, start a recompute). Recomputes and the slice
 * search run on worker threads; the loop polls them every 50 ms while they run, so keys
 * stay answered. frame.c draws the state; app.c changes it. */
#ifndef UI_APP_H
#define UI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "bgtask.h"
#include "canvas.h"
#include "chooser.h"
#include "clusterjob.h"
#include "decjob.h"
#include "explorer.h"
#include "filter.h"
#include "keys.h"
#include "layout.h"
#include "pane.h"
#include "prompt.h"
#include "tagui.h"

typedef enum {
    MODE_MAIN,
    MODE_FILTER,  /* the / prompt */
    MODE_EXPORT,  /* the export file name prompt */
    MODE_PALETTE, /* : */
    MODE_PICK_X,  /* heatmap column pickers */
    MODE_PICK_Y,
    MODE_HELP,
    MODE_NOTE     /* the note prompt of a case (tagui.c) */
} app_mode;

/* What an entry of the undo history changed: the filter stack, or the tags (tagui.c). */
typedef enum { UNDO_FILTER, UNDO_TAG, UNDO_NOTE } undo_kind;

typedef struct undo_op {
    bool push;  /* the change pushed expr (else it popped it); UNDO_TAG: turned the tag on */
    char *expr; /* owned; UNDO_TAG: the tag's name; UNDO_NOTE: the note written ("" cleared) */
    undo_kind kind;
    uint32_t row; /* UNDO_TAG, UNDO_NOTE: the dataset row */
    int tag;      /* UNDO_TAG: the tag's index */
} undo_op;

typedef struct undo_stack {
    undo_op *v; /* owned */
    size_t len, cap;
} undo_stack;

/* The slice search's input and output, owned by the app, used by the worker. */
typedef struct search_job {
    const binning *b;
    const outcome *o;
    bitmap sel;        /* owned copy of the selection searched */
    srch_opts so;
    srch_result out;   /* valid when the task succeeded */
    uint64_t serial;   /* of the result whose selection this is */
} search_job;

typedef struct app {
    pane_env env;
    const char *file;         /* borrowed */
    pane *panes[LAY_MAX_PANES]; /* owned */
    size_t npanes, focus;
    size_t side;              /* the pane shown in the grid's side slot */
    pane *detail;             /* owned; the open case, NULL when none */
    keymap km;
    canvas cv;
    layout lay;
    app_mode mode;
    prompt prm;
    char prm_error[1200];     /* the caret line under the filter being typed, "" when fine */
    chooser ch;
    strbuf help;
    int help_top, help_lines;
    undo_stack undo, redo;
    bg_task job_task;
    eng_job *job;             /* owned while job_task runs */
    bool job_user_cancel;     /* Ctrl-C: the result stays as it was */
    bool stale;               /* a recompute was cancelled or failed: the view lags */
    char pending_dive[2048];  /* reported with its row count once the result is in */
    bg_task search_task;
    search_job *search;       /* owned; the running or finished search */
    bool search_wanted;       /* a new result awaits a search */
    srch_result found;        /* owned; the discovered slices of found_serial */
    bool have_found;
    uint64_t found_serial;
    ui_opts opt;
    char search_state[160];
    cluster_runner clus;      /* the error clusters of the current result */
    dec_runner dec;           /* the decision sections of the current result */
    tag_ui tags;              /* the reviewers' tags and the review queue (tagui.c) */
    char msg[700];
    bool msg_error;
    unsigned spin;
    bool quit;
} app;

err_code app_init(app *a, const ui_input *in, const ui_opts *opt, err *e);
void app_done(app *a);
/* Handles one key (keys.h code); the key script of the tests goes through here too. */
void app_key(app *a, int key);
/* Takes finished background work in (and starts what is due); returns whether any runs. */
bool app_poll(app *a);
/* Sets the screen size (relayout). E_NOMEM. */
err_code app_resize(app *a, int h, int w, err *e);
/* Draws the whole frame into a->cv; *cy, *cx get the text cursor (-1 when hidden). */
void app_draw(app *a, int *cy, int *cx);
/* Which pane index is in grid slot s (SIZE_MAX for none). */
size_t app_slot_pane(const app *a, int s);
/* Records a change in the undo history (op->expr is copied) and forgets the redo history;
 * false when out of memory. */
bool app_record(app *a, const undo_op *op);
/* Sets the status line message. */
void app_say(app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
