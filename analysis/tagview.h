/* tagview: the review state (tags.h) as the analysis sees it: the per-row arrays that let the
 * filter language test tags and notes (filter.h, flt_tags), and tags as a slice dimension
 * (the error rate of the rows holding each tag, against the rest of the selection).
 * tv_sync brings the view up to date after tags change; its cost is proportional to the
 * tagged rows, not to the file. */
#ifndef ANALYSIS_TAGVIEW_H
#define ANALYSIS_TAGVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "err.h"
#include "filter.h"
#include "outcome.h"
#include "tags.h"

typedef struct tag_view {
    flt_tags ft;            /* what filters read; its arrays are the ones below */
    size_t nrows;
    uint32_t *combo;        /* owned; nrows */
    uint64_t *combo_mask;   /* owned; ncombo */
    size_t ncombo, capcombo;
    uint32_t *note;         /* owned; nrows */
    strdict *notes;         /* owned */
    const char *names[TG_MAX_TAGS]; /* borrowed from the tag state */
    uint32_t *marked;       /* owned; rows set by the last sync, to reset at the next */
    size_t nmarked, capmarked;
} tag_view;

/* E_NOMEM. The view starts empty (no row tagged). Free with tv_done. */
err_code tv_init(tag_view *v, size_t nrows, err *e);
void tv_done(tag_view *v);
/* Copies the tags and notes of t into the view. E_NOMEM. */
err_code tv_sync(tag_view *v, const tag_state *t, err *e);

/* One row of the tags slice table. */
typedef struct tag_slice {
    int tag;            /* tag index; -1 for "any tag", -2 for "untagged" */
    size_t n, nerr;     /* rows of the selection with it; errors among them */
    double rate, lo, hi; /* error rate and its 95% Wilson interval; NAN when n == 0 */
    double lift;        /* rate / the selection's error rate */
    double p;           /* two-sided p against the rest of the selection (STATISTICS.md) */
    bool small;         /* n < min_support */
} tag_slice;

/* Slices of the selection sel (NULL: all rows) by tag: one per tag (in tag order), then "any
 * tag" and "untagged". out must hold tg_ntags(t) + 2 entries; *nout is set. Only evaluated
 * rows count, as for every slice. */
void tv_slices(const tag_state *t, const outcome *o, const bitmap *sel, size_t min_support,
               tag_slice *out, size_t *nout);

#endif
