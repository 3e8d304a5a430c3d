/* explorer: the interactive explorer that `faultline FILE` opens on a terminal. The one
 * entry point of the UI layer. */
#ifndef UI_EXPLORER_H
#define UI_EXPLORER_H

#include <stdbool.h>

#include "binning.h"
#include "dataset.h"
#include "engine.h"
#include "err.h"
#include "outcome.h"
#include "roles.h"
#include "cluster.h"
#include "decisions.h"
#include "search.h"
#include "queue.h"
#include "tags.h"
#include "tagview.h"

typedef struct ui_input {
    const char *file;   /* borrowed; the name shown in the header */
    const dataset *ds;  /* borrowed, as everything below; they outlive the explorer */
    const roles *r;
    const outcome *o;
    const binning *b;
    engine *eng;        /* its filter stack and views change as the user works */
    /* The reviewers' tags (tagui.h); tags NULL: tags are off and tags_off says why. */
    tag_state *tags;    /* open read-write for the explorer (read-only when it could not be) */
    tag_view *tagview;  /* what filters read; the engine was given it (eng_set_tags) */
    const tg_load_report *tag_load; /* what replaying the journal found, reported at start */
    const char *tags_off; /* why tags are off or read-only, NULL when writable */
    bool review;        /* open review mode (`faultline review`): leaving it quits */
    rq_opts queue;      /* the review queue's order, sample and seed (also for V) */
    /* The decision sections (decisions.h), prepared and computed for the first result;
     * NULL for none. The explorer recomputes their selection part as the selection changes. */
    decisions *dec;
    const dec_opts *dec_opts;
} ui_input;

typedef struct ui_opts {
    const char *theme;  /* theme name, NULL = "default" */
    bool mono;          /* no colours */
    bool ascii;         /* ASCII box drawing and bars even in a UTF-8 locale */
    bool search_off;    /* no discovered-slices search */
    srch_opts search;   /* options of the discovered-slices search (progress is ours) */
    double search_min_support_pct; /* NAN, or the search's minimum support as a share (%)
                                    * of the selection's evaluated rows */
    clu_opts cluster;   /* options of the error clustering (progress is ours) */
    bool clusters_off;  /* --clusters 0 */
} ui_opts;

void ui_opts_init(ui_opts *o);

/* Runs the explorer until the user quits. Sets the locale from the environment (numbers stay
 * in the C locale), takes the terminal, and gives it back on return, on exit and on fatal
 * signals. Bad lines in theme or key files are shown on the status line at start. Errors:
 * E_USAGE (unknown theme, unusable terminal), E_NOMEM, E_IO. */
err_code ui_explore(const ui_input *in, const ui_opts *opt, err *e);

#endif
