/* cost_sweep: the binary threshold sweep (costs.h). One radix sort of the scores, then one
 * pass upwards: at a threshold t the rows below t are the predicted negatives, so the
 * confusion counts follow from running sums. */
#include "costs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost_int.h"
#include "radix.h"

typedef struct sweep_rows {
    uint64_t *key;  /* owned; radix keys of the scores */
    uint32_t *pos;  /* owned; 1 for a positive row */
    size_t n;
} sweep_rows;

static void rows_free(sweep_rows *r)
{
    free(r->key);
    free(r->pos);
}

static err_code collect(sweep_rows *r, cost_sweep *s, const outcome *o, const bitmap *sel,
                        err *e)
{
    size_t cap = sel ? bm_count(sel) : o->n;
    r->key = malloc((cap ? cap : 1) * sizeof *r->key);
    r->pos = malloc((cap ? cap : 1) * sizeof *r->pos);
    if (!r->key || !r->pos)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        double sc = out_score(o, i, o->positive);
        if (o->y[i] == CLASS_NA || isnan(sc)) {
            s->nskipped++;
            continue;
        }
        r->key[r->n] = rdx_key_double(sc);
        r->pos[r->n] = o->y[i] == o->positive;
        s->npos += r->pos[r->n];
        r->n++;
    }
    s->n = r->n;
    if (rdx_sort(r->key, r->pos, r->n, e) != E_OK)
        return E_NOMEM;
    return E_OK;
}

static void fill_point(cost_point *p, size_t P, size_t N, const cost_matrix *m, uint32_t pos)
{
    size_t n = P + N;
    p->precision = p->tp + p->fp ? (double)p->tp / (double)(p->tp + p->fp) : 0.0;
    p->recall = P ? (double)p->tp / (double)P : 0.0;
    size_t f1_den = 2 * p->tp + p->fp + p->fn;
    p->f1 = f1_den ? 2.0 * (double)p->tp / (double)f1_den : 0.0;
    p->fpr = N ? (double)p->fp / (double)N : NAN;
    p->cost = NAN;
    if (m && n) {
        uint32_t neg = 1 - pos;
        const double *c = m->c;
        p->cost = ((double)p->tp * c[pos * 2 + pos] + (double)p->fn * c[pos * 2 + neg] +
                   (double)p->fp * c[neg * 2 + pos] + (double)p->tn * c[neg * 2 + neg]) /
                  (double)n;
    }
}

/* Best indexes; >= keeps the last of equal values, the largest threshold. */
static void pick_best(cost_sweep *s, bool has_costs)
{
    s->best_cost = s->best_f1 = s->best_j = COST_NONE;
    if (s->n == 0)
        return;
    bool both = s->npos > 0 && s->npos < s->n;
    double bc = INFINITY, bf = -INFINITY, bj = -INFINITY;
    for (size_t i = 0; i < s->len; i++) {
        const cost_point *p = &s->v[i];
        if (has_costs && p->cost <= bc) {
            bc = p->cost;
            s->best_cost = i;
        }
        if (p->f1 >= bf) {
            bf = p->f1;
            s->best_f1 = i;
        }
        double j = p->recall - p->fpr;
        if (both && j >= bj) {
            bj = j;
            s->best_j = i;
        }
    }
}

err_code cost_sweep_compute(cost_sweep *s, const outcome *o, const cost_matrix *m,
                            const bitmap *sel, err *e)
{
    memset(s, 0, sizeof *s);
    if (o->task != TASK_BINARY || !out_has_scores(o) || o->positive > 1)
        return err_set(e, E_USAGE, "the threshold sweep needs a binary task with scores");
    if (m && m->k != 2)
        return err_set(e, E_USAGE, "the threshold sweep needs a 2 x 2 cost matrix");
    if (sel && sel->nbits != o->n)
        return err_set(e, E_RANGE, "the selection must cover every row");
    sweep_rows r = {0};
    if (collect(&r, s, o, sel, e) != E_OK) {
        rows_free(&r);
        memset(s, 0, sizeof *s);
        return E_NOMEM;
    }
    s->v = malloc((r.n + 1) * sizeof *s->v);
    if (!s->v) {
        rows_free(&r);
        memset(s, 0, sizeof *s);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t P = s->npos, N = r.n - s->npos, below_pos = 0, below_neg = 0;
    for (size_t i = 0; i < r.n;) {
        cost_point *p = &s->v[s->len++];
        *p = (cost_point){.t = cost_key_value(r.key[i]), .tp = P - below_pos, .fp = N - below_neg,
                          .fn = below_pos, .tn = below_neg};
        fill_point(p, P, N, m, o->positive);
        size_t j = i;
        for (; j < r.n && r.key[j] == r.key[i]; j++) {
            below_pos += r.pos[j];
            below_neg += !r.pos[j];
        }
        i = j;
    }
    cost_point *last = &s->v[s->len++];
    *last = (cost_point){.t = INFINITY, .tp = 0, .fp = 0, .fn = P, .tn = N};
    fill_point(last, P, N, m, o->positive);
    rows_free(&r);
    pick_best(s, m != NULL);
    return E_OK;
}

void cost_sweep_done(cost_sweep *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
