/* decjob: the decision sections (decisions.h: comparison, costs and thresholds, coverage,
 * drift, fairness, category slices) of the current selection, recomputed on a worker thread
 * after each new result, as the clusters are. The whole-file part (the second model, data
 * checks, categories) was prepared once before the explorer opened and is never touched here.
 * While a recompute runs, the selection part of the decisions belongs to the worker, so
 * dr_current returns NULL and the pane says it is computing. */
#ifndef UI_DECJOB_H
#define UI_DECJOB_H

#include <stdbool.h>
#include <stdint.h>

#include "bgtask.h"
#include "decisions.h"
#include "engine.h"

typedef struct dec_runner {
    decisions *d;          /* borrowed; NULL when the explorer has none */
    const dec_opts *opt;   /* borrowed */
    const outcome *o;      /* borrowed */
    const binning *b;      /* borrowed */
    bg_task task;
    bitmap sel;            /* owned; the selection being computed */
    bool valid;            /* d's selection part belongs to the result `serial` */
    uint64_t serial, job_serial;
    bool wanted;
    char state[160];       /* "computing the decisions…", an error, or "" */
} dec_runner;

/* d was computed for the engine's first result (serial 1) before the explorer opened. */
void dr_init(dec_runner *r, decisions *d, const dec_opts *opt, const outcome *o,
             const binning *b);
void dr_done(dec_runner *r);
void dr_invalidate(dec_runner *r);
bool dr_poll(dec_runner *r, const eng_result *res, bool may_start);
const decisions *dr_current(const dec_runner *r, uint64_t serial);
const char *dr_state(const dec_runner *r);

#endif
