/* search_pool: the slice search's threads. Items (a dimension, a prefix node) are taken
 * from a shared counter; each writes only its own output slot, so the result does not
 * depend on which thread ran what. The calling thread works too and is the only one that
 * calls the progress callback. */
#include "search_int.h"

#include <pthread.h>

typedef struct pool {
    srch_ctx *c;
    size_t n;
    const size_t *order;
    srch_item_fn fn;
    void *arg;
    atomic_size_t next;     /* next position in order to take */
    atomic_size_t finished; /* items done */
    atomic_int rc;          /* first failure */
} pool;

typedef struct worker {
    pool *p;
    int t; /* thread index: scratch slot */
} worker;

err_code srch_report(srch_ctx *c, double done)
{
    if (done < c->done_last)
        done = c->done_last;
    if (done > 1)
        done = 1;
    c->done_last = done;
    if (c->opt->progress && c->opt->progress(c->opt->progress_ctx, done) != 0) {
        atomic_store(&c->stop, 1);
        return E_CANCEL;
    }
    return E_OK;
}

/* Takes items until none is left or the search stops; thread 0 reports progress after
 * each item it finishes. */
static void work(pool *p, int t)
{
    srch_ctx *c = p->c;
    for (;;) {
        if (atomic_load(&c->stop))
            return;
        size_t pos = atomic_fetch_add(&p->next, 1);
        if (pos >= p->n)
            return;
        size_t item = p->order ? p->order[pos] : pos;
        err_code rc = p->fn(c, p->arg, item, &c->scratch[t]);
        if (rc != E_OK) {
            int none = E_OK;
            atomic_compare_exchange_strong(&p->rc, &none, (int)rc);
            atomic_store(&c->stop, 1);
            return;
        }
        size_t fin = atomic_fetch_add(&p->finished, 1) + 1;
        if (t == 0) {
            double f = c->done_lo + (c->done_hi - c->done_lo) * (double)fin / (double)p->n;
            if (srch_report(c, f) != E_OK) {
                int none = E_OK;
                atomic_compare_exchange_strong(&p->rc, &none, (int)E_CANCEL);
                return;
            }
        }
    }
}

static void *work_thread(void *arg)
{
    worker *w = arg;
    work(w->p, w->t);
    return NULL;
}

err_code srch_pool_run(srch_ctx *c, size_t n, const size_t *order, srch_item_fn fn, void *arg)
{
    pool p = {.c = c, .n = n, .order = order, .fn = fn, .arg = arg};
    atomic_init(&p.next, 0);
    atomic_init(&p.finished, 0);
    atomic_init(&p.rc, E_OK);
    int nt = c->nthreads;
    if ((size_t)nt > n)
        nt = n ? (int)n : 1;
    pthread_t tid[64];
    worker w[64];
    int started = 0;
    /* Helpers that fail to start leave their share to the others: same result, slower. */
    for (int t = 1; t < nt && t < 64; t++) {
        w[t] = (worker){&p, t};
        if (pthread_create(&tid[t], NULL, work_thread, &w[t]) != 0)
            break;
        started = t;
    }
    work(&p, 0);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return (err_code)atomic_load(&p.rc);
}
