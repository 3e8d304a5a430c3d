/* chooser: pick one item of a list by typing part of its name - the command palette (every
 * action) and the heatmap's column pickers. Matching is fuzzy: the typed characters must
 * appear in order; contiguous runs, word starts and short names rank first. */
#ifndef UI_CHOOSER_H
#define UI_CHOOSER_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "err.h"
#include "prompt.h"

typedef struct chooser {
    char title[64];
    size_t nitems;
    const char **name;  /* owned array of borrowed strings */
    const char **note;  /* owned array of borrowed strings (may hold NULLs): shown beside */
    size_t *match;      /* owned; item indexes that match the query, best first */
    size_t nmatch;
    size_t cur, top;
    prompt query;
} chooser;

err_code ch_open(chooser *c, const char *title, size_t nitems, err *e);
void ch_close(chooser *c);
/* Sets item i (both strings borrowed; note may be NULL). Call ch_refilter after the last. */
void ch_set(chooser *c, size_t i, const char *name, const char *note);
void ch_refilter(chooser *c);
/* Handles a key: PRM_ACCEPT with *chosen the item index, PRM_CANCEL, or PRM_EDITING. */
prm_state ch_key(chooser *c, int key, size_t *chosen);
/* Draws the chooser as a framed box on cv (the whole screen). */
void ch_draw(chooser *c, canvas *cv);
/* The fuzzy score of query against name: -1 when it does not match, higher is better. */
int ch_score(const char *query, const char *name);

#endif
