/* par: runs a numbered list of independent tasks on a few threads. The calling thread is one
 * of the workers; helpers are created per call (tens of microseconds), so that no state
 * outlives a call, and the call returns as soon as every task is done. Tasks start in index
 * order, so putting the longest first balances the load. Each task must write only its own
 * output: results are then the same whatever thread ran which task. */
#ifndef ANALYSIS_PAR_H
#define ANALYSIS_PAR_H

#include <stddef.h>

#define PAR_MAX_THREADS 16

typedef void (*par_fn)(void *ctx, size_t task);

/* Calls fn(ctx, t) once for every t in [0, ntasks) on up to nthreads threads (0 = one per
 * online core, at most PAR_MAX_THREADS). If a helper thread cannot be created, the others
 * (at least the calling thread) run its share: the call cannot fail. */
void par_run(size_t nthreads, size_t ntasks, par_fn fn, void *ctx);

/* Online cores, at least 1, at most PAR_MAX_THREADS. */
size_t par_cores(void);

#endif
