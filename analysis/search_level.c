/* search_level: counts the slices of one level from the extended records of the level
 * above. One item per prefix node P (d1 ... d(k-1)): each selected row gets the code of its
 * record in P (a chain of map lookups from its bins), then one pass over the rows adds the
 * row to a (code, bin) histogram of every later dimension. Cells with min_support rows
 * become the records of the child nodes, with their p-values (and, for the significance
 * ranking, the tests against each parent). Histograms are bounded per thread: wide ones are
 * counted in slices of the code range, so memory does not grow with the number of bins. */
#include "search_int.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define HIST_CAP ((size_t)1 << 21)      /* histogram cells per thread (16 MiB) */
#define DENSE_MAP_MAX ((size_t)1 << 20) /* a dense map up to 4 MiB ... */
#define DENSE_MAP_RATIO 16              /* ... or up to 16 cells per extended record */
#define LIST_RATIO 4                    /* a row list when under 1/4 of the rows count */
#define GROUP_MAX 16                    /* dimensions counted in one pass */

static size_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static inline uint32_t map_get(const srch_map *m, uint32_t code, uint32_t cbin)
{
    uint64_t key = (uint64_t)code * m->width + cbin;
    if (m->dense)
        return m->dense[key];
    for (size_t h = hash64(key) & m->mask;; h = (h + 1) & m->mask) {
        if (m->keys[h] == key)
            return m->vals[h];
        if (m->keys[h] == UINT64_MAX)
            return SRCH_NONE;
    }
}

void srch_node_done(srch_node *nd)
{
    free(nd->rec);
    free(nd->ext_rec);
    free(nd->map.dense);
    free(nd->map.keys);
    free(nd->map.vals);
    free(nd->rp);
    memset(nd, 0, sizeof *nd);
}

void srch_rec_path(const srch_ctx *c, unsigned level, size_t node, size_t rec, uint32_t *sds,
                   uint32_t *cbins)
{
    for (unsigned l = level; l >= 1; l--) {
        const srch_node *nd = &c->lev[l].node[node];
        const srch_rec *r = &nd->rec[rec];
        sds[l - 1] = nd->sd;
        cbins[l - 1] = r->cbin;
        if (l > 1) {
            node = nd->parent;
            rec = c->lev[l - 1].node[node].ext_rec[r->up];
        }
    }
}

/* The child of node nd (at level l) whose last dimension is sd, or NULL. */
static const srch_node *child_of(const srch_ctx *c, unsigned l, const srch_node *nd, uint32_t sd)
{
    const srch_node *kids = c->lev[l + 1].node + nd->first_child;
    size_t lo = 0, hi = nd->nchild;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (kids[mid].sd < sd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nd->nchild && kids[lo].sd == sd ? &kids[lo] : NULL;
}

/* The extended record with these conditions, or NULL. */
static const srch_rec *lookup(const srch_ctx *c, const uint32_t *sds, const uint32_t *cbins,
                              unsigned len)
{
    const srch_node *nd = &c->lev[1].node[sds[0]];
    uint32_t code = map_get(&nd->map, 0, cbins[0]);
    for (unsigned t = 1; t < len && code != SRCH_NONE; t++) {
        nd = child_of(c, t, nd, sds[t]);
        if (!nd)
            return NULL;
        code = map_get(&nd->map, code, cbins[t]);
    }
    return code == SRCH_NONE ? NULL : &nd->rec[nd->ext_rec[code]];
}

/* --------------------------------------------------------------------- row codes */

/* pc[i] = extension code of row i's record in node (level l), or the node's `next` when the
 * row is in none. Returns how many rows are in one. */
static size_t prefix_codes(const srch_ctx *c, unsigned l, uint32_t node, uint32_t *pc)
{
    const uint16_t *code[SRCH_MAX_LEVELS];
    const srch_map *map[SRCH_MAX_LEVELS];
    const srch_node *nd = &c->lev[l].node[node];
    uint32_t none = nd->next;
    for (unsigned t = l; t >= 1; t--) {
        code[t - 1] = c->sd[nd->sd].code;
        map[t - 1] = &nd->map;
        if (t > 1)
            nd = &c->lev[t - 1].node[nd->parent];
    }
    size_t active = 0, N = c->N;
    if (l == 1 && map[0]->dense) { /* the common case, kept tight */
        const uint32_t *m = map[0]->dense;
        const uint16_t *c0 = code[0];
        for (size_t i = 0; i < N; i++) {
            uint32_t v = m[c0[i]];
            active += v != SRCH_NONE;
            pc[i] = v == SRCH_NONE ? none : v;
        }
        return active;
    }
    if (l == 2 && map[0]->dense && map[1]->dense) { /* prefixes of level 3 */
        const uint32_t *m0 = map[0]->dense, *m1 = map[1]->dense;
        const uint16_t *c0 = code[0], *c1 = code[1];
        size_t w1 = map[1]->width;
        for (size_t i = 0; i < N; i++) {
            uint32_t v = m0[c0[i]];
            v = v == SRCH_NONE ? SRCH_NONE : m1[v * w1 + c1[i]];
            active += v != SRCH_NONE;
            pc[i] = v == SRCH_NONE ? none : v;
        }
        return active;
    }
    for (size_t i = 0; i < N; i++) {
        uint32_t v = map_get(map[0], 0, code[0][i]);
        for (unsigned t = 1; t < l && v != SRCH_NONE; t++)
            v = map_get(map[t], v, code[t][i]);
        active += v != SRCH_NONE;
        pc[i] = v == SRCH_NONE ? none : v;
    }
    return active;
}

/* ------------------------------------------------------------------------ counting */

/* Later dimensions counted in one pass. Their histograms are interleaved: the cells of
 * code p are one block of `stride` cells, dimension t's bins at off[t] in it, so that the
 * increments of one row fall close together. */
typedef struct group {
    unsigned g;
    const uint16_t *code[GROUP_MAX];
    uint32_t off[GROUP_MAX];
    uint32_t width[GROUP_MAX]; /* nb + 1 */
    size_t stride;             /* sum of the widths */
} group;

/* One pass over all rows (list == NULL) or the listed ones: the sentinel code of rows in no
 * record lands in the histograms' last block, which is never read, so the loop has no
 * branch. */
static void count_group(const group *gr, uint64_t *h, size_t n, const uint32_t *list,
                        const uint32_t *pc, const uint8_t *iserr)
{
    unsigned g = gr->g;
    size_t stride = gr->stride;
    if (!list) {
        for (size_t i = 0; i < n; i++) {
            uint64_t *row = h + pc[i] * stride;
            uint64_t v = 1 + ((uint64_t)iserr[i] << 32);
            for (unsigned t = 0; t < g; t++)
                row[gr->off[t] + gr->code[t][i]] += v;
        }
        return;
    }
    for (size_t j = 0; j < n; j++) {
        size_t i = list[j];
        uint64_t *row = h + pc[i] * stride;
        uint64_t v = 1 + ((uint64_t)iserr[i] << 32);
        for (unsigned t = 0; t < g; t++)
            row[gr->off[t] + gr->code[t][i]] += v;
    }
}

/* One dimension, codes lo .. lo + span - 1 only (a histogram too wide for one pass). */
static void count_chunk(uint64_t *h, size_t width, const uint16_t *code, size_t n,
                        const uint32_t *list, const uint32_t *pc, const uint8_t *iserr, uint32_t lo,
                        uint32_t span)
{
    for (size_t j = 0; j < n; j++) {
        size_t i = list ? list[j] : j;
        uint32_t p = pc[i] - lo; /* wraps around for codes below lo */
        if (p < span)
            h[(size_t)p * width + code[i]] += 1 + ((uint64_t)iserr[i] << 32);
    }
}

/* ------------------------------------------------------------------- child records */

static err_code push_rec(srch_node *nd, size_t *cap, const srch_rec *r)
{
    if (nd->nrec == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        srch_rec *v = realloc(nd->rec, nc * sizeof *v);
        if (!v)
            return E_NOMEM;
        nd->rec = v;
        *cap = nc;
    }
    nd->rec[nd->nrec++] = *r;
    return E_OK;
}

/* Appends the cells of codes lo .. lo + rows - 1 (histogram blocks 0 .. rows - 1 of
 * `stride` cells, the bins of this dimension first) that have min_support rows, in
 * (code, bin) order. */
static err_code collect(const srch_ctx *c, srch_node *nd, size_t *cap, const uint64_t *h,
                        size_t stride, size_t nb, uint32_t lo, uint32_t rows)
{
    for (uint32_t r = 0; r < rows; r++)
        for (size_t b = 0; b < nb; b++) {
            uint64_t v = h[(size_t)r * stride + b];
            uint32_t n = (uint32_t)v;
            if (n < c->minsup)
                continue;
            srch_rec rec = {.n = n,
                            .e = (uint32_t)(v >> 32),
                            .up = lo + r,
                            .ext = SRCH_NONE,
                            .cbin = (uint32_t)b,
                            .pref = NAN};
            if (push_rec(nd, cap, &rec) != E_OK)
                return E_NOMEM;
        }
    return E_OK;
}

static err_code push_rp(srch_node *nd, size_t *cap, double p)
{
    if (nd->nrp == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        double *v = realloc(nd->rp, nc * sizeof *v);
        if (!v)
            return E_NOMEM;
        nd->rp = v;
        *cap = nc;
    }
    nd->rp[nd->nrp++] = p;
    return E_OK;
}

/* One-sided test of a slice (n, e) against the rest of its parent (pn, pe): P(X >= e) with
 * X ~ Hypergeometric(pn, pe, n). A slice whose rate is not above its parent's has e at most
 * the mean of X, so P(X >= e) >= 1/2 (the median of a hypergeometric law is within one of
 * its mean); such a p-value never reaches q < q_max <= 1/2 whatever m is, and is taken as 1
 * without computing it. */
static double parent_test(uint32_t n, uint32_t e, uint32_t pn, uint32_t pe)
{
    if ((uint64_t)e * pn <= (uint64_t)pe * n)
        return 1;
    return st_hyper_upper(e, n, pe, pn);
}

/* p-values of a new node's records and, for the significance ranking, the tests of each
 * record against each of its parents (the record minus one condition). */
static err_code node_tests(const srch_ctx *c, unsigned k, uint32_t pi, srch_node *nd)
{
    const srch_node *P = &c->lev[k - 1].node[pi];
    bool sig = c->opt->rank == SRCH_SIGNIFICANCE;
    size_t cap = 0;
    uint32_t sds[SRCH_MAX_LEVELS], cbins[SRCH_MAX_LEVELS];
    uint32_t osds[SRCH_MAX_LEVELS], ocbins[SRCH_MAX_LEVELS];
    for (size_t r = 0; r < nd->nrec; r++) {
        srch_rec *t = &nd->rec[r];
        t->p = st_hyper_upper(t->e, t->n, c->E, c->N);
        if (!sig)
            continue;
        uint32_t prec = P->ext_rec[t->up];
        srch_rec_path(c, k - 1, pi, prec, sds, cbins);
        sds[k - 1] = nd->sd;
        cbins[k - 1] = t->cbin;
        double worst = 0;
        for (unsigned drop = 0; drop < k; drop++) {
            const srch_rec *s = NULL;
            if (drop == k - 1) {
                s = &P->rec[prec];
            } else {
                unsigned len = 0;
                for (unsigned j = 0; j < k; j++)
                    if (j != drop) {
                        osds[len] = sds[j];
                        ocbins[len++] = cbins[j];
                    }
                s = lookup(c, osds, ocbins, len);
            }
            /* every parent has at least the child's rows, so it was evaluated and extended */
            assert(s);
            double p = parent_test(t->n, t->e, s->n, s->e);
            nd->ntests++;
            if (p < c->opt->q_max && push_rp(nd, &cap, p) != E_OK)
                return E_NOMEM;
            if (p > worst)
                worst = p;
        }
        t->pref = worst;
    }
    return E_OK;
}

/* ------------------------------------------------------------------------ one item */

typedef struct level_job {
    unsigned k;
    const uint32_t *prefix; /* prefix node (level k - 1) per item */
    srch_node **kids;       /* per item: owned child nodes */
    uint32_t *nkids;
} level_job;

static err_code ensure_scratch(const srch_ctx *c, srch_scratch *s, size_t hist)
{
    size_t n = c->N ? c->N : 1;
    if (!s->pc && !(s->pc = malloc(n * sizeof *s->pc)))
        return E_NOMEM;
    if (hist > s->hist_cap) {
        free(s->hist);
        s->hist_cap = 0;
        if (!(s->hist = malloc(hist * sizeof *s->hist)))
            return E_NOMEM;
        s->hist_cap = hist;
    }
    return E_OK;
}

/* Counts one dimension whose histogram exceeds the cap, in ranges of codes. */
static err_code count_wide(const srch_ctx *c, srch_scratch *s, const srch_node *P, srch_node *kid,
                           size_t *cap, size_t n, const uint32_t *list)
{
    const srch_sdim *d = &c->sd[kid->sd];
    size_t width = (size_t)d->nb + 1;
    uint32_t span = (uint32_t)(HIST_CAP / width);
    if (span == 0)
        span = 1;
    err_code rc = ensure_scratch(c, s, (size_t)span * width);
    for (uint32_t lo = 0; lo < P->next && rc == E_OK; lo += span) {
        uint32_t rows = P->next - lo < span ? P->next - lo : span;
        memset(s->hist, 0, (size_t)rows * width * sizeof *s->hist);
        count_chunk(s->hist, width, d->code, n, list, s->pc, c->err, lo, rows);
        rc = collect(c, kid, cap, s->hist, width, d->nb, lo, rows);
    }
    return rc;
}

static err_code level_item(srch_ctx *c, void *arg, size_t item, srch_scratch *s)
{
    level_job *job = arg;
    unsigned k = job->k;
    uint32_t pi = job->prefix[item];
    const srch_node *P = &c->lev[k - 1].node[pi];
    uint32_t s0 = P->sd + 1, ns = c->nsd - s0;
    err_code rc = ensure_scratch(c, s, 0);
    srch_node *kids = rc == E_OK ? calloc(ns, sizeof *kids) : NULL;
    size_t *caps = kids ? calloc(ns, sizeof *caps) : NULL;
    if (!caps) {
        free(kids);
        return E_NOMEM;
    }
    size_t active = prefix_codes(c, k - 1, pi, s->pc);
    size_t n = c->N;
    const uint32_t *list = NULL;
    if (active * LIST_RATIO < c->N && (s->list || (s->list = malloc(c->N * sizeof *s->list)))) {
        size_t m = 0;
        for (size_t i = 0; i < c->N; i++)
            if (s->pc[i] != P->next)
                s->list[m++] = (uint32_t)i;
        list = s->list;
        n = m;
    }
    for (uint32_t j = 0; j < ns; j++) {
        kids[j].level = k;
        kids[j].sd = s0 + j;
        kids[j].parent = pi;
    }
    size_t rows = (size_t)P->next + 1; /* + the sentinel block */
    for (uint32_t j = 0; j < ns && rc == E_OK;) {
        size_t w = (size_t)c->sd[s0 + j].nb + 1;
        if (rows * w > HIST_CAP) {
            rc = count_wide(c, s, P, &kids[j], &caps[j], n, list);
            j++;
            continue;
        }
        /* as many later dimensions as fit in the cap, counted in one pass */
        group gr = {0};
        uint32_t j0 = j;
        while (j < ns && gr.g < GROUP_MAX) {
            size_t wj = (size_t)c->sd[s0 + j].nb + 1;
            if (rows * (gr.stride + wj) > HIST_CAP)
                break;
            gr.code[gr.g] = c->sd[s0 + j].code;
            gr.off[gr.g] = (uint32_t)gr.stride;
            gr.width[gr.g] = (uint32_t)wj;
            gr.stride += wj;
            gr.g++;
            j++;
        }
        size_t total = rows * gr.stride;
        if ((rc = ensure_scratch(c, s, total)) != E_OK)
            break;
        memset(s->hist, 0, total * sizeof *s->hist);
        count_group(&gr, s->hist, n, list, s->pc, c->err);
        for (unsigned t = 0; t < gr.g && rc == E_OK; t++)
            rc = collect(c, &kids[j0 + t], &caps[j0 + t], s->hist + gr.off[t], gr.stride,
                         gr.width[t] - 1, 0, P->next);
    }
    uint32_t nk = 0;
    for (uint32_t j = 0; j < ns; j++) {
        if (rc == E_OK && kids[j].nrec)
            rc = node_tests(c, k, pi, &kids[j]);
        if (rc == E_OK && kids[j].nrec)
            kids[nk++] = kids[j];
        else
            srch_node_done(&kids[j]);
    }
    free(caps);
    if (rc != E_OK) {
        for (uint32_t j = 0; j < nk; j++)
            srch_node_done(&kids[j]);
        free(kids);
        return rc;
    }
    job->kids[item] = kids;
    job->nkids[item] = nk;
    return E_OK;
}

/* ------------------------------------------------------------------------ one level */

typedef struct work_key {
    double work;
    size_t item;
} work_key;

static int cmp_work_desc(const void *a, const void *b)
{
    const work_key *x = a, *y = b;
    if (x->work != y->work)
        return x->work < y->work ? 1 : -1;
    return (x->item > y->item) - (x->item < y->item);
}

/* Items by decreasing expected work (rows in extended records times later dimensions), so
 * that two threads finish together; the order does not change the result. */
static size_t *work_order(const srch_ctx *c, unsigned k, const uint32_t *prefix, size_t n)
{
    work_key *wk = malloc((n ? n : 1) * sizeof *wk);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!wk || !order) {
        free(wk);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const srch_node *P = &c->lev[k - 1].node[prefix[i]];
        double rows = 0;
        for (uint32_t x = 0; x < P->next; x++)
            rows += P->rec[P->ext_rec[x]].n;
        wk[i] = (work_key){(rows + (double)c->N / 8) * (double)(c->nsd - 1 - P->sd), i};
    }
    qsort(wk, n, sizeof *wk, cmp_work_desc);
    for (size_t i = 0; i < n; i++)
        order[i] = wk[i].item;
    free(wk);
    return order;
}

err_code srch_level_run(srch_ctx *c, unsigned k)
{
    srch_level *up = &c->lev[k - 1];
    size_t np = 0;
    uint32_t *prefix = malloc((up->nnode ? up->nnode : 1) * sizeof *prefix);
    if (!prefix)
        return E_NOMEM;
    for (size_t i = 0; i < up->nnode; i++)
        if (up->node[i].next > 0 && up->node[i].sd + 1 < c->nsd)
            prefix[np++] = (uint32_t)i;
    level_job job = {.k = k, .prefix = prefix};
    job.kids = calloc(np ? np : 1, sizeof *job.kids);
    job.nkids = calloc(np ? np : 1, sizeof *job.nkids);
    size_t *order = work_order(c, k, prefix, np);
    err_code rc = job.kids && job.nkids && order ? E_OK : E_NOMEM;
    if (rc == E_OK)
        rc = srch_pool_run(c, np, order, level_item, &job);
    size_t total = 0;
    for (size_t i = 0; i < np && rc == E_OK; i++)
        total += job.nkids[i];
    srch_level *lv = &c->lev[k];
    if (rc == E_OK && !(lv->node = calloc(total ? total : 1, sizeof *lv->node)))
        rc = E_NOMEM;
    for (size_t i = 0; i < np && job.kids; i++) {
        if (rc == E_OK) {
            srch_node *P = &up->node[prefix[i]];
            P->first_child = (uint32_t)lv->nnode;
            P->nchild = job.nkids[i];
            memcpy(lv->node + lv->nnode, job.kids[i], job.nkids[i] * sizeof *lv->node);
            lv->nnode += job.nkids[i];
        } else {
            for (uint32_t j = 0; j < job.nkids[i]; j++)
                srch_node_done(&job.kids[i][j]);
        }
        free(job.kids[i]);
    }
    free(job.kids);
    free(job.nkids);
    free(order);
    free(prefix);
    return rc;
}

/* ------------------------------------------------------------------ extension codes */

/* Whether the search goes on below a record. The significance ranking counts every
 * conjunction with min_support rows (its m must not depend on what the errors look like);
 * the Sliceline ranking stops where no subset can score above the pruning bar. The margin
 * keeps rounding in the bound from ever pruning a slice that ties the bar. */
static bool extends(const srch_ctx *c, const srch_rec *r)
{
    if (c->opt->rank == SRCH_SIGNIFICANCE)
        return true;
    if (r->e == 0)
        return false;
    double ub =
        srch_sliceline_bound(c->opt->alpha, r->e, r->n, (double)c->N, c->base, (double)c->minsup);
    return !(ub < c->bar - 1e-9 * (1 + fabs(c->bar)));
}

static err_code build_map(srch_node *nd, uint32_t prows, size_t width)
{
    srch_map *m = &nd->map;
    m->width = width;
    size_t cells = (size_t)prows * width;
    if (cells <= DENSE_MAP_MAX || cells <= (size_t)DENSE_MAP_RATIO * nd->next) {
        if (!(m->dense = malloc(cells * sizeof *m->dense)))
            return E_NOMEM;
        memset(m->dense, 0xff, cells * sizeof *m->dense); /* SRCH_NONE */
        for (uint32_t x = 0; x < nd->next; x++) {
            const srch_rec *r = &nd->rec[nd->ext_rec[x]];
            m->dense[(size_t)r->up * width + r->cbin] = x;
        }
        return E_OK;
    }
    size_t slots = 16;
    while (slots < 2 * (size_t)nd->next)
        slots *= 2;
    m->keys = malloc(slots * sizeof *m->keys);
    m->vals = malloc(slots * sizeof *m->vals);
    if (!m->keys || !m->vals)
        return E_NOMEM;
    memset(m->keys, 0xff, slots * sizeof *m->keys);
    m->mask = slots - 1;
    for (uint32_t x = 0; x < nd->next; x++) {
        const srch_rec *r = &nd->rec[nd->ext_rec[x]];
        uint64_t key = (uint64_t)r->up * width + r->cbin;
        size_t h = hash64(key) & m->mask;
        while (m->keys[h] != UINT64_MAX)
            h = (h + 1) & m->mask;
        m->keys[h] = key;
        m->vals[h] = x;
    }
    return E_OK;
}

err_code srch_level_extend(srch_ctx *c, unsigned k)
{
    srch_level *lv = &c->lev[k];
    for (size_t i = 0; i < lv->nnode; i++) {
        srch_node *nd = &lv->node[i];
        /* A node with no later dimension has no children; the significance ranking still
         * looks its records up as the parents of other slices. */
        if (nd->sd + 1 >= c->nsd && c->opt->rank != SRCH_SIGNIFICANCE)
            continue;
        if (!(nd->ext_rec = malloc((nd->nrec ? nd->nrec : 1) * sizeof *nd->ext_rec)))
            return E_NOMEM;
        for (size_t r = 0; r < nd->nrec; r++)
            if (extends(c, &nd->rec[r])) {
                nd->rec[r].ext = nd->next;
                nd->ext_rec[nd->next++] = (uint32_t)r;
            }
        if (nd->next == 0)
            continue;
        uint32_t prows = k == 1 ? 1 : c->lev[k - 1].node[nd->parent].next;
        err_code rc = build_map(nd, prows, (size_t)c->sd[nd->sd].nb + 1);
        if (rc != E_OK)
            return rc;
    }
    return E_OK;
}
