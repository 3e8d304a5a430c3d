#include "cases.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void cs_done(case_list *c)
{
    free(c->row);
    memset(c, 0, sizeof *c);
}

/* Whether row a ranks before row b: larger loss first, NAN last, then lower row. */
static bool worse(const outcome *o, uint32_t a, uint32_t b)
{
    double la = o->loss[a], lb = o->loss[b];
    if (isnan(la) != isnan(lb))
        return !isnan(la);
    if (!isnan(la) && la != lb)
        return la > lb;
    return a < b;
}

/* Min-heap on "worse": the root is the mildest of the k kept, the one to evict. */
static void sift_down(const outcome *o, uint32_t *h, size_t len, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < len && worse(o, h[m], h[l]))
            m = l;
        if (r < len && worse(o, h[m], h[r]))
            m = r;
        if (m == i)
            return;
        uint32_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void sift_up(const outcome *o, uint32_t *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!worse(o, h[parent], h[i]))
            return;
        uint32_t t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

err_code cs_top_errors(case_list *c, const outcome *o, const bitmap *sel, size_t k, err *e)
{
    memset(c, 0, sizeof *c);
    size_t cap = k < o->nerr ? k : o->nerr;
    c->row = malloc((cap ? cap : 1) * sizeof *c->row);
    if (!c->row)
        return err_set(e, E_NOMEM, "out of memory");
    if (cap == 0)
        return E_OK;
    for (size_t i = sel ? bm_next(sel, 0) : 0; i < o->n; i = sel ? bm_next(sel, i + 1) : i + 1) {
        if (o->err[i] != OUT_ERROR)
            continue;
        uint32_t row = (uint32_t)i;
        if (c->len < cap) {
            c->row[c->len++] = row;
            sift_up(o, c->row, c->len - 1);
        } else if (worse(o, row, c->row[0])) {
            c->row[0] = row;
            sift_down(o, c->row, c->len, 0);
        }
    }
    /* Heap sort in place: repeatedly move the mildest to the end. */
    for (size_t n = c->len; n > 1; n--) {
        uint32_t t = c->row[0];
        c->row[0] = c->row[n - 1];
        c->row[n - 1] = t;
        sift_down(o, c->row, n - 1, 0);
    }
    return E_OK;
}
