#include "par.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* Helpers are detached, and the caller waits for the tasks rather than for the threads: on
 * a busy machine a helper may be scheduled only after the caller has run every task, and
 * joining it would make the caller wait for a thread with nothing left to do. The job lives
 * on the heap until its last thread lets go of it; a helper touches only the job after the
 * caller has returned (it finds no task left), never the caller's context. */
typedef struct par_job {
    par_fn fn;
    void *ctx;
    size_t ntasks;
    atomic_size_t next; /* the next task to hand out */
    atomic_int refs;    /* threads holding the job: the caller and the helpers */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t done; /* tasks finished; under mu */
} par_job;

static void release(par_job *j)
{
    if (atomic_fetch_sub(&j->refs, 1) == 1) {
        pthread_mutex_destroy(&j->mu);
        pthread_cond_destroy(&j->cv);
        free(j);
    }
}

static void run_tasks(par_job *j)
{
    for (;;) {
        size_t t = atomic_fetch_add(&j->next, 1);
        if (t >= j->ntasks)
            return;
        j->fn(j->ctx, t);
        pthread_mutex_lock(&j->mu);
        if (++j->done == j->ntasks)
            pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    }
}

static void *helper(void *arg)
{
    par_job *j = arg;
    run_tasks(j);
    release(j);
    return NULL;
}

size_t par_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > PAR_MAX_THREADS ? PAR_MAX_THREADS : (size_t)n;
}

void par_run(size_t nthreads, size_t ntasks, par_fn fn, void *ctx)
{
    if (nthreads == 0)
        nthreads = par_cores();
    if (nthreads > PAR_MAX_THREADS)
        nthreads = PAR_MAX_THREADS;
    if (nthreads > ntasks)
        nthreads = ntasks;
    par_job *j = nthreads > 1 ? malloc(sizeof *j) : NULL;
    if (!j) { /* one thread, or no memory for the job: all on the calling thread */
        for (size_t t = 0; t < ntasks; t++)
            fn(ctx, t);
        return;
    }
    j->fn = fn;
    j->ctx = ctx;
    j->ntasks = ntasks;
    atomic_init(&j->next, 0);
    atomic_init(&j->refs, 1);
    j->done = 0;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    pthread_attr_t attr;
    bool detach = pthread_attr_init(&attr) == 0;
    if (detach)
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (size_t i = 1; i < nthreads && detach; i++) {
        pthread_t tid;
        atomic_fetch_add(&j->refs, 1);
        if (pthread_create(&tid, &attr, helper, j) != 0) {
            atomic_fetch_sub(&j->refs, 1); /* the threads we have share the work */
            break;
        }
    }
    if (detach)
        pthread_attr_destroy(&attr);
    run_tasks(j);
    pthread_mutex_lock(&j->mu);
    while (j->done < ntasks)
        pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
    release(j);
}
