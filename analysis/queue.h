/* queue: the review queue: which of the selection's errors a reviewer sees, in which order.
 *   loss         highest loss first (the most confidently wrong);
 *   random       a seeded shuffle (an unbiased sample of the errors);
 *   uncertainty  smallest margin between the top two class scores first (regression: the
 *                errors closest to the failure threshold first);
 *   slice        the errors of the worst slice (highest lift among significant slices,
 *                q < 0.05) first, then those of the next slice not yet queued, ..., then the
 *                rest; by loss within each slice.
 * --sample N draws N of the errors at random (seeded) before ordering them, so a sample
 * stays a fair picture of the errors whatever the order. Ties always go to the lower row,
 * so the same selection, order, sample and seed give the same queue: a reviewer who comes
 * back finds it unchanged, and resumes at its first row that has no tag and no note. */
#ifndef ANALYSIS_QUEUE_H
#define ANALYSIS_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "bitmap.h"
#include "err.h"
#include "outcome.h"
#include "slice.h"
#include "tags.h"

typedef enum { RQ_LOSS, RQ_RANDOM, RQ_UNCERTAINTY, RQ_SLICE } rq_order;

/* "loss", "random", "uncertainty", "slice"; parse returns false for an unknown name. */
const char *rq_order_name(rq_order o);
bool rq_order_parse(const char *name, rq_order *out);

typedef struct rq_opts {
    rq_order order;
    size_t sample;       /* 0: every error */
    unsigned long seed;  /* random order and sampling; default 1 */
} rq_opts;

typedef struct review_queue {
    uint32_t *row;  /* owned; dataset rows in review order */
    size_t len;
} review_queue;

/* Builds the queue of the errors in sel (NULL: all rows). slices and b are needed by
 * RQ_SLICE (the selection's slice table and the binning it was made with) and may be NULL
 * otherwise. E_NOMEM; E_USAGE when RQ_SLICE lacks them. */
err_code rq_build(review_queue *q, const outcome *o, const bitmap *sel, const slice_table *slices,
                  const binning *b, const rq_opts *opt, err *e);
void rq_done(review_queue *q);
/* Where a reviewer resumes: the first position whose row has no tag and no note (q->len when
 * every row has been reviewed). t may be NULL (0). */
size_t rq_resume(const review_queue *q, const tag_state *t);

#endif
