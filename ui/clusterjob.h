/* clusterjob: the error clustering of the current selection, run on a worker thread after
 * each new result (and after the slice search, so that two cores are never both taken from
 * the input loop), and the "dive into a cluster" filters it makes possible: a cluster is a
 * set of rows, pushed with eng_push_rows under a label such as "cluster 2: refund invoice";
 * the sets stay known by label so that undo and redo can push them again. */
#ifndef UI_CLUSTERJOB_H
#define UI_CLUSTERJOB_H

#include <stdbool.h>
#include <stdint.h>

#include "bgtask.h"
#include "cluster.h"
#include "engine.h"

typedef struct cluster_job cluster_job;

typedef struct pushed_rows {
    char *label;   /* owned */
    bitmap rows;   /* owned */
} pushed_rows;

typedef struct cluster_runner {
    clu_opts opt;          /* k, seed, all_rows, embedding (progress is ours) */
    bool off;              /* --clusters 0 */
    bg_task task;
    cluster_job *job;      /* owned while the task runs */
    bool wanted;           /* a new result awaits clustering */
    clu_result result;     /* owned when have */
    bool have;
    uint64_t serial;       /* the engine result the clusters belong to */
    char state[160];       /* "clustering… 40%", an error, or "" */
    pushed_rows *pushed;   /* owned; every cluster dived into, for undo and redo */
    size_t npushed, cappushed;
} cluster_runner;

void cr_init(cluster_runner *c, const clu_opts *opt, bool off);
void cr_done(cluster_runner *c);
/* A new result was swapped in: the clusters are out of date (a running job is cancelled). */
void cr_invalidate(cluster_runner *c);
/* Collects a finished job and starts one when wanted and may_start (nothing else runs).
 * Returns whether a job runs. */
bool cr_poll(cluster_runner *c, const dataset *ds, const roles *r, const outcome *o,
             const binning *b, const eng_result *res, bool may_start);
/* The clusters of result serial, or NULL (not ready, or out of date). */
const clu_result *cr_current(const cluster_runner *c, uint64_t serial);
/* The status text ("" when none). */
const char *cr_state(const cluster_runner *c);
/* Asks a running job to stop (Ctrl-C). */
void cr_cancel(cluster_runner *c);

/* Pushes the rows of cluster idx of the current clusters onto eng, labelled; the label is
 * written to label. E_RANGE (no such cluster), E_NOMEM. */
err_code cr_dive(cluster_runner *c, engine *eng, uint64_t serial, int idx, char *label,
                 size_t size, err *e);
/* Pushes a row set dived into earlier, by its label (undo/redo): true when label was one. */
bool cr_repush(cluster_runner *c, engine *eng, const char *label, err *e, err_code *rc);

#endif
