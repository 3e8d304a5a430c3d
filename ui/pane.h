/* pane: one view of the selection (slices, heatmap, confusion matrix, error cases, case
 * detail, calibration, column ranking). Each pane_*.c exports one constructor and keeps the
 * rest static behind a const ops table. Panes read the current engine result through the
 * pane_env they are handed, never hold it past a swap (result_changed tells them to clamp
 * their cursors), and never draw or recompute on their own: act returns reaction flags and
 * leaves requests (an expression to dive into, a row to open, a status message) in the env,
 * which the loop carries out in one place. */
#ifndef UI_PANE_H
#define UI_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "binning.h"
#include "canvas.h"
#include "cluster.h"
#include "decisions.h"
#include "dataset.h"
#include "engine.h"
#include "err.h"
#include "outcome.h"
#include "roles.h"
#include "search.h"
#include "strbuf.h"
#include "tags.h"

typedef enum {
    R_NONE = 0,
    R_REDRAW = 1,       /* draw again */
    R_RECOMPUTE = 2,    /* the engine has dirty parts: start a job */
    R_QUIT = 4,         /* leave the explorer */
    R_DIVE = 8,         /* push env->dive as a filter */
    R_OPEN_CASE = 16,   /* open the case detail of env->open_row */
    R_PICK_X = 32,      /* choose the heatmap's x dimension */
    R_PICK_Y = 64,      /* choose the heatmap's y dimension */
    R_SHOW_SLICES = 128, /* focus the slices pane, restricted to env->slice_dim */
    R_CLOSE = 256,      /* close this pane (the case detail) */
    R_DIVE_CLUSTER = 512 /* push the rows of cluster env->dive_cluster as a filter */
} reaction;

typedef struct pane_env {
    const dataset *ds;      /* borrowed, as the four below */
    const roles *r;
    const outcome *o;
    const binning *b;
    engine *eng;            /* borrowed; view options (heatmap axes) are set through it */
    const eng_result *res;  /* borrowed until the next swap */
    const srch_result *found; /* borrowed; the discovered slices of res, NULL until ready */
    const char *search_state; /* borrowed; "searching 40%", an error, or NULL when done */
    const clu_result *clusters; /* borrowed; the clusters of res, NULL until ready */
    const decisions *decisions; /* borrowed; the decision sections of res, NULL until ready */
    const char *decisions_state; /* borrowed; "computing…", an error, or NULL */
    const char *cluster_state;  /* borrowed; "clustering 40%", an error, or NULL when done */
    int dive_cluster;       /* out, with R_DIVE_CLUSTER: index into clusters */
    bool mono;              /* no colours: heat steps drawn as glyphs */
    int slice_dim;          /* the dimension the per-column slices are restricted to, -1 all */
    uint32_t open_row;      /* out, with R_OPEN_CASE */
    char dive[2048];        /* out, with R_DIVE: a filter expression */
    char msg[640];          /* out: a status line message (empty: none) */
    const tag_state *tags;  /* borrowed; the reviewers' tags, NULL when tags are off */
    uint64_t tags_serial;   /* changes whenever the tags change (for panes that cache) */
    const char *tags_off;   /* borrowed; why tags are off or read-only, NULL when writable */
    const struct review_state *review; /* borrowed; the review queue (tagui.h), NULL if none */
} pane_env;

typedef struct pane pane;

typedef struct pane_ops {
    const char *name;  /* key-map context, e.g. "heatmap" */
    const char *label; /* tab bar label with its key in brackets, e.g. "[H]eatmap" */
    /* The title in the frame: "Slices (q-value ▾)". */
    void (*caption)(pane *p, const pane_env *env, char *buf, size_t size);
    /* Draws the inside of the frame (cv is exactly the pane's interior). */
    void (*draw)(pane *p, canvas *cv, pane_env *env);
    /* Handles a pane action; ACT_NONE-like actions it does not know return R_NONE. */
    unsigned (*act)(pane *p, pane_env *env, action a);
    /* The result was swapped: clamp cursors, drop cached orders. */
    void (*result_changed)(pane *p, pane_env *env);
    /* The filter expression of the row or cell under the cursor (for dive and copy), as
     * snprintf; 0 when there is none. */
    size_t (*cursor_expr)(pane *p, pane_env *env, char *buf, size_t size);
    /* Appends the view as a table: TSV, or Markdown when md. E_NOMEM. */
    err_code (*export)(pane *p, pane_env *env, strbuf *out, bool md, err *e);
    /* A click at (y, x) inside the interior: move the cursor there. */
    void (*click)(pane *p, pane_env *env, int y, int x);
    /* The dataset row under the cursor, for the tag keys; NULL for panes without rows. */
    bool (*cursor_row)(pane *p, pane_env *env, uint32_t *row);
    /* What Enter does here, for the status line ("Enter dive"). */
    const char *(*hint)(pane *p);
    void (*free)(pane *p);
} pane_ops;

struct pane {
    const pane_ops *ops;
    int h, w; /* the interior at the last draw: page size for the moves */
};

/* Constructors, one per pane file. E_NOMEM. */
err_code slices_pane_new(pane **out, err *e);
err_code heatmap_pane_new(pane **out, err *e);
err_code confusion_pane_new(pane **out, err *e);
err_code cases_pane_new(pane **out, err *e);
err_code calibration_pane_new(pane **out, err *e);
err_code rank_pane_new(pane **out, err *e);
err_code clusters_pane_new(pane **out, err *e);
err_code decisions_pane_new(pane **out, err *e);
err_code tags_pane_new(pane **out, err *e);
/* The detail of one case (row of the dataset). */
err_code detail_pane_new(pane **out, uint32_t row, err *e);
/* Review mode: the place in the queue rv (tagui.h; borrowed, it outlives the pane) over the
 * detail of its current case. */
err_code review_pane_new(pane **out, const struct review_state *rv, err *e);

/* The registry of the panes the explorer opens with, in tab order; one line per pane. */
typedef err_code (*pane_ctor)(pane **out, err *e);
extern const pane_ctor PANE_REGISTRY[];
extern const size_t PANE_REGISTRY_LEN;

void pane_free(pane *p); /* NULL is a no-op */

#endif
