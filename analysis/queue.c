/* queue: review queues (see queue.h). */
#include "queue.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *rq_order_name(rq_order o)
{
    static const char *const names[] = {"loss", "random", "uncertainty", "slice"};
    return names[o];
}

bool rq_order_parse(const char *name, rq_order *out)
{
    for (int k = RQ_LOSS; k <= RQ_SLICE; k++)
        if (strcmp(name, rq_order_name((rq_order)k)) == 0) {
            *out = (rq_order)k;
            return true;
        }
    return false;
}

typedef struct keyed {
    double key;   /* ascending */
    uint32_t row; /* ties: ascending */
} keyed;

static int by_key(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    /* NAN keys (a missing score) go last */
    bool na = isnan(a->key), nb = isnan(b->key);
    if (na != nb)
        return na ? 1 : -1;
    if (!na && a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* Margin between the two highest class scores of row i; NAN without scores. */
static double margin(const outcome *o, size_t i, double *p)
{
    if (!out_row_scores(o, i, p))
        return NAN;
    double a = -INFINITY, b = -INFINITY;
    for (uint32_t k = 0; k < o->nclass; k++) {
        if (p[k] > a) {
            b = a;
            a = p[k];
        } else if (p[k] > b) {
            b = p[k];
        }
    }
    return o->nclass > 1 ? a - b : NAN;
}

static void sort_by(keyed *k, uint32_t *rows, size_t n)
{
    qsort(k, n, sizeof *k, by_key);
    for (size_t i = 0; i < n; i++)
        rows[i] = k[i].row;
}

/* The worst significant slices first: slices with q < 0.05 and lift > 1, by lift. */
typedef struct ranked_slice {
    double lift;
    size_t index;
} ranked_slice;

static int by_lift_desc(const void *pa, const void *pb)
{
    const ranked_slice *a = pa, *b = pb;
    if (a->lift != b->lift)
        return a->lift > b->lift ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Orders rows by the rank of the first worst slice that holds them, then by loss (higher
 * first); k[i].key holds -loss on entry. */
static err_code slice_order(const slice_table *t, const binning *b, keyed *k, uint32_t *rows,
                            size_t n, err *e)
{
    ranked_slice *rs = malloc((t->len ? t->len : 1) * sizeof *rs);
    if (!rs)
        return err_set(e, E_NOMEM, "out of memory ordering the review queue");
    size_t nr = 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->v[i].q < 0.05 && t->v[i].lift > 1 && b->dim[t->v[i].dim].col >= 0)
            rs[nr++] = (ranked_slice){t->v[i].lift, i};
    qsort(rs, nr, sizeof *rs, by_lift_desc);
    /* -loss lies in [-OUT_MAX_LOSS, 0]: offsetting it by the slice's rank times a span larger
     * than any loss sorts by rank first, then by loss. */
    const double span = 1e6;
    for (size_t i = 0; i < n; i++) {
        size_t rank = nr;
        for (size_t s = 0; s < nr && rank == nr; s++) {
            const slice *sl = &t->v[rs[s].index];
            if (b->dim[sl->dim].code[k[i].row] == sl->bin)
                rank = s;
        }
        double neg_loss = isnan(k[i].key) ? 0 : fmax(k[i].key, -span / 2);
        k[i].key = (double)rank * span + neg_loss;
    }
    free(rs);
    sort_by(k, rows, n);
    return E_OK;
}

err_code rq_build(review_queue *q, const outcome *o, const bitmap *sel, const slice_table *slices,
                  const binning *b, const rq_opts *opt, err *e)
{
    memset(q, 0, sizeof *q);
    if (opt->order == RQ_SLICE && (!slices || !b))
        return err_set(e, E_USAGE, "the slice order needs the slice table");
    size_t n = 0;
    uint32_t *rows = malloc((o->nerr ? o->nerr : 1) * sizeof *rows);
    keyed *k = malloc((o->nerr ? o->nerr : 1) * sizeof *k);
    double *p = malloc((o->nclass ? o->nclass : 1) * sizeof *p);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    err_code rc = E_OK;
    if (!rows || !k || !p || !rng) {
        rc = err_set(e, E_NOMEM, "out of memory building the review queue");
        goto out;
    }
    gsl_rng_set(rng, opt->seed);
    for (size_t i = 0; i < o->n; i++)
        if (o->err[i] == OUT_ERROR && (!sel || bm_get(sel, i)))
            rows[n++] = (uint32_t)i;
    if (opt->sample && opt->sample < n) { /* a uniform sample, kept in row order */
        uint32_t *pick = malloc(opt->sample * sizeof *pick);
        if (!pick) {
            rc = err_set(e, E_NOMEM, "out of memory sampling the review queue");
            goto out;
        }
        gsl_ran_choose(rng, pick, opt->sample, rows, n, sizeof *rows);
        memcpy(rows, pick, opt->sample * sizeof *pick);
        free(pick);
        n = opt->sample;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t r = rows[i];
        double loss = o->loss[r];
        k[i].row = r;
        switch (opt->order) {
        case RQ_LOSS:
        case RQ_SLICE:
            k[i].key = isnan(loss) ? NAN : -loss;
            break;
        case RQ_UNCERTAINTY:
            k[i].key = o->task == TASK_REGRESSION ? fabs(loss - o->fail_above) : margin(o, r, p);
            break;
        case RQ_RANDOM:
            k[i].key = 0;
            break;
        }
    }
    if (opt->order == RQ_RANDOM) {
        gsl_ran_shuffle(rng, rows, n, sizeof *rows);
    } else if (opt->order == RQ_SLICE) {
        rc = slice_order(slices, b, k, rows, n, e);
    } else {
        sort_by(k, rows, n);
    }
    if (rc == E_OK) {
        q->row = rows;
        q->len = n;
        rows = NULL;
    }
out:
    free(rows);
    free(k);
    free(p);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}

void rq_done(review_queue *q)
{
    free(q->row);
    q->row = NULL;
    q->len = 0;
}

size_t rq_resume(const review_queue *q, const tag_state *t)
{
    if (!t)
        return 0;
    for (size_t i = 0; i < q->len; i++)
        if (!tg_get(t, q->row[i]))
            return i;
    return q->len;
}
