/* bgtask: one computation on a worker thread, so that the input loop never waits for it.
 * The owner starts it, polls it between keystrokes, may ask it to stop, and reads its status
 * once it is done; the work sees a progress callback whose nonzero return cancels it. */
#ifndef UI_BGTASK_H
#define UI_BGTASK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "err.h"

typedef struct bg_task bg_task;
typedef err_code (*bg_fn)(bg_task *t, void *arg, err *e);

struct bg_task {
    pthread_t th;
    bool running;       /* owner: started and not yet collected */
    atomic_int done;    /* worker: the function returned */
    atomic_int cancel;  /* owner: please stop */
    atomic_int permille; /* worker: progress, 0..1000 */
    bg_fn fn;
    void *arg;          /* borrowed */
    err_code rc;        /* valid after bg_poll returned true */
    err e;
};

/* Starts fn(t, arg, &t->e) on a new thread. E_NOMEM when no thread can be made. */
err_code bg_start(bg_task *t, bg_fn fn, void *arg, err *e);
/* True once the task has finished and been joined (t->rc, t->e then hold its status). */
bool bg_poll(bg_task *t);
/* Asks the task to stop at its next progress report. */
void bg_cancel(bg_task *t);
/* Cancels and joins; a no-op when nothing runs. */
void bg_stop(bg_task *t);
/* A progress callback for the engine and the search: records done (0..1) and returns
 * nonzero once cancellation was asked for. ctx is the bg_task. */
int bg_progress(void *ctx, double done);

#endif
