#include "bgtask.h"

#include <string.h>

static void *trampoline(void *p)
{
    bg_task *t = p;
    t->rc = t->fn(t, t->arg, &t->e);
    atomic_store(&t->done, 1);
    return NULL;
}

err_code bg_start(bg_task *t, bg_fn fn, void *arg, err *e)
{
    t->fn = fn;
    t->arg = arg;
    t->rc = E_OK;
    memset(&t->e, 0, sizeof t->e);
    atomic_store(&t->done, 0);
    atomic_store(&t->cancel, 0);
    atomic_store(&t->permille, 0);
    if (pthread_create(&t->th, NULL, trampoline, t) != 0)
        return err_set(e, E_NOMEM, "cannot start a worker thread");
    t->running = true;
    return E_OK;
}

bool bg_poll(bg_task *t)
{
    if (!t->running || !atomic_load(&t->done))
        return false;
    pthread_join(t->th, NULL);
    t->running = false;
    return true;
}

void bg_cancel(bg_task *t)
{
    atomic_store(&t->cancel, 1);
}

void bg_stop(bg_task *t)
{
    if (!t->running)
        return;
    bg_cancel(t);
    pthread_join(t->th, NULL);
    t->running = false;
}

int bg_progress(void *ctx, double done)
{
    bg_task *t = ctx;
    int pm = (int)(done * 1000);
    atomic_store(&t->permille, pm < 0 ? 0 : pm > 1000 ? 1000 : pm);
    return atomic_load(&t->cancel);
}
