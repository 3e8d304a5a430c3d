#include "par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct par_job {
    par_fn fn;
    void *ctx;
    size_t ntasks;
    atomic_size_t next; /* the next task to hand out */
} par_job;

static void *worker(void *arg)
{
    par_job *j = arg;
    for (;;) {
        size_t t = atomic_fetch_add(&j->next, 1);
        if (t >= j->ntasks)
            return NULL;
        j->fn(j->ctx, t);
    }
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
    par_job j = {fn, ctx, ntasks, 0};
    pthread_t tid[PAR_MAX_THREADS];
    size_t started = 0;
    for (size_t i = 1; i < nthreads; i++) {
        if (pthread_create(&tid[started], NULL, worker, &j) != 0)
            break; /* the threads we have share the work */
        started++;
    }
    worker(&j);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}
