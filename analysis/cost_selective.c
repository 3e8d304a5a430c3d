/* cost_selective: accuracy against coverage (costs.h). The rows are sorted by confidence
 * once; keeping the rows at or above each distinct confidence is then a suffix whose counts
 * are running sums from the top. */
#include "costs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost_int.h"
#include "radix.h"

/* Radix keys and correctness of the rows to sweep; *n receives their count. */
static err_code collect(cost_selective *s, const outcome *o, const bitmap *sel, uint64_t **key,
                        uint32_t **ok, size_t *n, err *e)
{
    size_t cap = sel ? bm_count(sel) : o->n;
    *key = malloc((cap ? cap : 1) * sizeof **key);
    *ok = malloc((cap ? cap : 1) * sizeof **ok);
    if (!*key || !*ok)
        return err_set(e, E_NOMEM, "out of memory");
    *n = 0;
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        if (o->err[i] == OUT_UNKNOWN)
            continue;
        if (isnan(o->conf[i])) {
            s->nskipped++;
            continue;
        }
        (*key)[*n] = rdx_key_double(o->conf[i]);
        (*ok)[*n] = o->err[i] == OUT_CORRECT;
        (*n)++;
    }
    return rdx_sort(*key, *ok, *n, e);
}

err_code cost_selective_compute(cost_selective *s, const outcome *o, const bitmap *sel,
                                double target, err *e)
{
    memset(s, 0, sizeof *s);
    s->target = target;
    s->at_target = COST_NONE;
    if (o->task == TASK_REGRESSION || !o->conf || !out_has_scores(o))
        return err_set(e, E_USAGE, "selective prediction needs class scores");
    if (sel && sel->nbits != o->n)
        return err_set(e, E_RANGE, "the selection must cover every row");
    if (!isnan(target) && !(target > 0 && target <= 1))
        return err_set(e, E_RANGE, "the target accuracy must be in (0, 1], not %g", target);
    uint64_t *key = NULL;
    uint32_t *ok = NULL;
    size_t n = 0;
    err_code rc = collect(s, o, sel, &key, &ok, &n, e);
    if (rc == E_OK && !(s->v = malloc((n ? n : 1) * sizeof *s->v)))
        rc = err_set(e, E_NOMEM, "out of memory");
    if (rc != E_OK) {
        free(key);
        free(ok);
        cost_selective_done(s);
        return rc;
    }
    size_t correct = 0;
    for (size_t i = 0; i < n; i++)
        correct += ok[i];
    s->total = n;
    size_t below = 0, below_ok = 0;
    for (size_t i = 0; i < n;) {
        cost_cov_point *p = &s->v[s->len++];
        p->t = cost_key_value(key[i]);
        p->n = n - below;
        p->ncorrect = correct - below_ok;
        p->coverage = (double)p->n / (double)n;
        p->accuracy = (double)p->ncorrect / (double)p->n;
        if (s->at_target == COST_NONE && p->accuracy >= target)
            s->at_target = s->len - 1;
        size_t j = i;
        for (; j < n && key[j] == key[i]; j++) {
            below++;
            below_ok += ok[j];
        }
        i = j;
    }
    free(key);
    free(ok);
    return E_OK;
}

void cost_selective_done(cost_selective *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}
