#include "ldmerge.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "linemap.h"

#define MAX_PIECES 64

/* Decides a column's type from what was stored; see lmg_take for redo. */
static err_code settle(const lmg_pass *p, size_t c, column *col, size_t *first_bad, bool *redo,
                       err *e)
{
    size_t nrows = p->nrows;
    *redo = false;
    if (p->modes[c] == INF_STR)
        return inf_finish_str(col, nrows, p->forced_text[c], p->forced_time[c], first_bad, e);
    size_t ok = nrows - col->nmissing - col->nbad;
    if (!inf_mostly(ok, col->nbad)) {
        free(col->num);
        col->num = NULL;
        free(col->bad_example);
        col->bad_example = NULL;
        col->nmissing = col->nbad = 0;
        *first_bad = SIZE_MAX;
        *redo = true;
        return E_OK;
    }
    col->type = p->modes[c] == INF_TIME ? COL_TIME : COL_NUM;
    col->nmissing += col->nbad;
    if (col->type == COL_NUM)
        inf_set_integer(col, nrows);
    return E_OK;
}

typedef struct job {
    const lmg_pass *p; /* borrowed */
    dataset *ds;       /* borrowed */
    size_t *first_bad; /* borrowed */
    bool *redo;        /* borrowed */
    size_t *order;     /* owned; columns to take, the costliest first */
    size_t n;
    atomic_size_t next; /* next index into order */
    pthread_mutex_t mu;
    err_code rc; /* first failure, under mu */
    err e;
} job;

static err_code take_column(job *J, size_t c, err *e)
{
    const lmg_pass *p = J->p;
    column *col = &J->ds->cols[c];
    colb *pieces[MAX_PIECES];
    for (size_t i = 0; i < p->npieces; i++)
        pieces[i] = &p->pieces[i][c];
    err_code rc = colb_merge(pieces, p->npieces, p->nrows, col, &J->first_bad[c], e);
    if (rc == E_OK)
        rc = settle(p, c, col, &J->first_bad[c], &J->redo[c], e);
    for (size_t i = 0; i < p->npieces; i++)
        colb_done(pieces[i]);
    /* Categories are looked up by value later (filters, class lists); texts rarely. */
    if (rc == E_OK && col->type == COL_TEXT && col->dict)
        sd_drop_index(col->dict);
    else if (rc == E_OK && col->type == COL_CAT && col->dict)
        rc = sd_build_index(col->dict, e);
    return rc;
}

static void *worker(void *arg)
{
    job *J = arg;
    locale_t old = uselocale(J->p->cloc);
    err e = {0};
    for (size_t i; (i = atomic_fetch_add(&J->next, 1)) < J->n;) {
        err_code rc = take_column(J, J->order[i], &e);
        if (rc != E_OK) {
            pthread_mutex_lock(&J->mu);
            if (J->rc == E_OK) {
                J->rc = rc;
                J->e = e;
            }
            pthread_mutex_unlock(&J->mu);
        }
    }
    uselocale(old);
    return NULL;
}

/* Strings to merge in column c: a rough cost, to start the big columns first. */
static size_t cost(const lmg_pass *p, size_t c)
{
    size_t n = 0;
    for (size_t i = 0; i < p->npieces; i++)
        if (p->pieces[i][c].dict)
            n += sd_count(p->pieces[i][c].dict);
    return n;
}

static int cmp_cost_desc(const void *a, const void *b)
{
    const size_t *x = a, *y = b; /* pairs: cost, column */
    return (x[0] < y[0]) - (x[0] > y[0]);
}

/* The columns to take, costliest first. */
static err_code plan(job *J, err *e)
{
    const lmg_pass *p = J->p;
    size_t *pairs = malloc((p->ncols ? p->ncols : 1) * 2 * sizeof *pairs);
    J->order = malloc((p->ncols ? p->ncols : 1) * sizeof *J->order);
    if (!pairs || !J->order) {
        free(pairs);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < p->ncols; c++)
        if (p->modes[c] != INF_SKIP) {
            pairs[2 * J->n] = cost(p, c);
            pairs[2 * J->n + 1] = c;
            J->n++;
        }
    qsort(pairs, J->n, 2 * sizeof *pairs, cmp_cost_desc);
    for (size_t i = 0; i < J->n; i++)
        J->order[i] = pairs[2 * i + 1];
    free(pairs);
    return E_OK;
}

err_code lmg_take(const lmg_pass *p, dataset *ds, size_t *first_bad, bool *redo, err *e)
{
    if (p->npieces == 0 || p->npieces > MAX_PIECES)
        return err_set(e, E_RANGE, "bad number of pieces: %zu", p->npieces);
    job J = {.p = p, .ds = ds, .first_bad = first_bad, .redo = redo};
    err_code rc = plan(&J, e);
    if (rc != E_OK) {
        free(J.order);
        return rc;
    }
    ds->nrows = p->nrows;
    atomic_init(&J.next, 0);
    pthread_mutex_init(&J.mu, NULL);
    size_t nthreads = p->nthreads < J.n ? p->nthreads : J.n;
    pthread_t tid[MAX_PIECES];
    size_t started = 0;
    for (size_t i = 1; i < nthreads && i < MAX_PIECES; i++)
        if (pthread_create(&tid[started], NULL, worker, &J) == 0)
            started++;
    worker(&J);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&J.mu);
    free(J.order);
    if (J.rc != E_OK && e)
        *e = J.e;
    return J.rc;
}

typedef struct recq {
    size_t rec, col;
} recq;

static int cmp_recq(const void *a, const void *b)
{
    const recq *x = a, *y = b;
    return (x->rec > y->rec) - (x->rec < y->rec);
}

err_code lmg_bad_lines(const lrep_where *w, dataset *ds, const size_t *first_bad, err *e)
{
    size_t n = 0;
    for (size_t c = 0; c < ds->ncols; c++)
        n += first_bad[c] != SIZE_MAX && ds->cols[c].nbad > 0;
    if (n == 0)
        return E_OK;
    recq *q = malloc(n * sizeof *q);
    size_t *recs = malloc(n * sizeof *recs), *lines = malloc(n * sizeof *lines);
    err_code rc = E_OK;
    if (!q || !recs || !lines) {
        rc = err_set(e, E_NOMEM, "out of memory");
        goto done;
    }
    n = 0;
    for (size_t c = 0; c < ds->ncols; c++)
        if (first_bad[c] != SIZE_MAX && ds->cols[c].nbad > 0)
            q[n++] = (recq){first_bad[c] + 1, c}; /* record 0 is the header */
    qsort(q, n, sizeof *q, cmp_recq);
    for (size_t i = 0; i < n; i++)
        recs[i] = q[i].rec;
    rc = lrep_lines(w, recs, lines, n, LM_NONE, NULL, NULL, e);
    for (size_t i = 0; rc == E_OK && i < n; i++)
        ds->cols[q[i].col].first_bad_line = lines[i];
done:
    free(q);
    free(recs);
    free(lines);
    return rc;
}
