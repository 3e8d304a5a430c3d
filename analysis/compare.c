/* compare: see compare.h. The joins intern cell keys in a strdict (codes in first-seen
 * order), so a code below the count before interning is a repeat. */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "strdict.h"

/* ------------------------------------------------------------------------------ joins */

/* The bytes a cell is matched on: a category's or text's string, a number written with
 * 17 significant digits (exact, and 7.0 and 7 agree). NULL when the cell is missing. */
static const char *cell_key(const dataset *ds, int col, size_t row, char *buf, size_t size,
                            size_t *len)
{
    const column *c = &ds->cols[col];
    if (c->dict) {
        uint32_t code = c->code[row];
        if (code == CODE_NA)
            return NULL;
        *len = sd_len(c->dict, code);
        return sd_str(c->dict, code);
    }
    double v = c->num[row];
    if (isnan(v))
        return NULL;
    *len = (size_t)snprintf(buf, size, "%.17g", v == 0 ? 0.0 : v);
    return buf;
}

/* Label cells of A's row i and B's row j agree: both missing, or the same key. */
static bool labels_agree(const dataset *a, int la, size_t i, const dataset *b, int lb, size_t j)
{
    char ba[64], bb[64];
    size_t na = 0, nb = 0;
    const char *ka = cell_key(a, la, i, ba, sizeof ba, &na);
    const char *kb = cell_key(b, lb, j, bb, sizeof bb, &nb);
    if (!ka || !kb)
        return !ka && !kb;
    return na == nb && memcmp(ka, kb, na) == 0;
}

static err_code label_error(const dataset *a, int la, size_t i, const dataset *b, int lb,
                            size_t j, err *e)
{
    char ta[128], tb[128];
    ds_cell_text(a, la, i, ta, sizeof ta);
    ds_cell_text(b, lb, j, tb, sizeof tb);
    return err_set(e, E_PARSE, "%s: row %zu: label '%s' differs from '%s' in %s row %zu",
                   b->source, j + 1, tb, ta, a->source, i + 1);
}

static err_code map_alloc(cmp_map *m, size_t n, err *e)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    m->b_row = malloc((n ? n : 1) * sizeof *m->b_row);
    if (!m->b_row)
        return err_set(e, E_NOMEM, "out of memory");
    return E_OK;
}

/* Interns every id of B; b_code_row[code] = B's row holding that id. */
static err_code index_b_ids(strdict *d, const dataset *b, int idb, uint32_t *b_code_row, err *e)
{
    char buf[64];
    for (size_t j = 0; j < b->nrows; j++) {
        size_t len = 0;
        const char *k = cell_key(b, idb, j, buf, sizeof buf, &len);
        if (!k)
            return err_set(e, E_PARSE, "%s: row %zu: the id '%s' is missing", b->source, j + 1,
                           b->cols[idb].name);
        uint32_t before = sd_count(d), code;
        if (sd_intern(d, k, len, &code, e) != E_OK)
            return E_NOMEM;
        if (code < before)
            return err_set(e, E_PARSE, "%s: rows %u and %zu have the same id '%.*s'", b->source,
                           b_code_row[code] + 1, j + 1, (int)(len > 200 ? 200 : len), k);
        b_code_row[code] = (uint32_t)j;
    }
    return E_OK;
}

/* Finds each A id in B; a second A row with an id already used is a repeat in A. */
static err_code match_a_ids(cmp_map *m, const strdict *d, const uint32_t *b_code_row,
                            const dataset *a, int ida, const dataset *b, uint32_t *a_of_code,
                            err *e)
{
    char buf[64];
    for (size_t i = 0; i < a->nrows; i++) {
        size_t len = 0;
        const char *k = cell_key(a, ida, i, buf, sizeof buf, &len);
        if (!k)
            return err_set(e, E_PARSE, "%s: row %zu: the id '%s' is missing", a->source, i + 1,
                           a->cols[ida].name);
        int shown = (int)(len > 200 ? 200 : len);
        uint32_t code = sd_find(d, k, len);
        if (code == CODE_NA)
            return err_set(e, E_PARSE, "%s: row %zu: id '%.*s' is not in %s", a->source, i + 1,
                           shown, k, b->source);
        if (a_of_code[code] != CMP_NONE)
            return err_set(e, E_PARSE, "%s: rows %u and %zu have the same id '%.*s'", a->source,
                           a_of_code[code] + 1, i + 1, shown, k);
        a_of_code[code] = (uint32_t)i;
        m->b_row[i] = b_code_row[code];
    }
    return E_OK;
}

err_code cmp_join_by_id(cmp_map *m, const dataset *a, const roles *ra, const dataset *b,
                        const roles *rb, err *e)
{
    if (ra->id < 0 || rb->id < 0)
        return err_set(e, E_USAGE, "%s has no id column; use --id COL",
                       ra->id < 0 ? a->source : b->source);
    if (a->nrows >= CMP_NONE || b->nrows >= CMP_NONE)
        return err_set(e, E_RANGE, "too many rows to join");
    if (map_alloc(m, a->nrows, e) != E_OK)
        return E_NOMEM;
    strdict *d = NULL;
    uint32_t *b_code_row = malloc((b->nrows ? b->nrows : 1) * sizeof *b_code_row);
    uint32_t *a_of_code = malloc((b->nrows ? b->nrows : 1) * sizeof *a_of_code);
    err_code rc = E_NOMEM;
    if (!b_code_row || !a_of_code || sd_new(&d, e) != E_OK) {
        err_set(e, E_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t j = 0; j < b->nrows; j++)
        a_of_code[j] = CMP_NONE;
    m->by_id = true;
    if ((rc = index_b_ids(d, b, rb->id, b_code_row, e)) != E_OK)
        goto fail;
    if ((rc = match_a_ids(m, d, b_code_row, a, ra->id, b, a_of_code, e)) != E_OK)
        goto fail;
    for (size_t i = 0; i < a->nrows; i++)
        if (!labels_agree(a, ra->label, i, b, rb->label, m->b_row[i])) {
            rc = label_error(a, ra->label, i, b, rb->label, m->b_row[i], e);
            goto fail;
        }
    m->nb_unused = b->nrows - a->nrows; /* every A row took a distinct B row */
    sd_free(d);
    free(b_code_row);
    free(a_of_code);
    return E_OK;
fail:
    sd_free(d);
    free(b_code_row);
    free(a_of_code);
    cmp_map_done(m);
    return rc;
}

err_code cmp_join_by_order(cmp_map *m, const dataset *a, const roles *ra, const dataset *b,
                           const roles *rb, err *e)
{
    if (a->nrows != b->nrows)
        return err_set(e, E_PARSE, "%s has %zu rows and %s %zu: without an id column the rows "
                       "are paired by order", a->source, a->nrows, b->source, b->nrows);
    if (a->nrows >= CMP_NONE)
        return err_set(e, E_RANGE, "too many rows to join");
    for (size_t i = 0; i < a->nrows; i++)
        if (!labels_agree(a, ra->label, i, b, rb->label, i))
            return label_error(a, ra->label, i, b, rb->label, i, e);
    if (map_alloc(m, a->nrows, e) != E_OK)
        return E_NOMEM;
    for (size_t i = 0; i < a->nrows; i++)
        m->b_row[i] = (uint32_t)i;
    return E_OK;
}

err_code cmp_join(cmp_map *m, const dataset *a, const roles *ra, const dataset *b,
                  const roles *rb, err *e)
{
    if (ra->id >= 0 && rb->id >= 0)
        return cmp_join_by_id(m, a, ra, b, rb, e);
    return cmp_join_by_order(m, a, ra, b, rb, e);
}

void cmp_map_done(cmp_map *m)
{
    free(m->b_row);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------- second predictions */

static err_code second_alloc(cmp_second *s, size_t n, bool classes, err *e)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->err = malloc(n ? n : 1);
    if (classes)
        s->yhat = malloc((n ? n : 1) * sizeof *s->yhat);
    if (!s->err || (classes && !s->yhat)) {
        cmp_second_done(s);
        return err_set(e, E_NOMEM, "out of memory");
    }
    return E_OK;
}

/* Row i's state from A's truth and B's prediction; has_pred: B predicted something (perhaps
 * a class A does not know, which is then wrong). */
static void judge_class(cmp_second *s, const outcome *a, size_t i, uint32_t k, bool has_pred)
{
    s->yhat[i] = k;
    if (a->y[i] == CLASS_NA || !has_pred)
        s->err[i] = OUT_UNKNOWN;
    else
        s->err[i] = k == a->y[i] ? OUT_CORRECT : OUT_ERROR;
}

static void judge_value(cmp_second *s, const outcome *a, size_t i, double v)
{
    double d = fabs(a->ytrue[i] - v);
    s->err[i] = isnan(d) ? OUT_UNKNOWN : d > a->fail_above ? OUT_ERROR : OUT_CORRECT;
}

static void second_count(cmp_second *s)
{
    s->nerr = s->nunknown = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->nerr += s->err[i] == OUT_ERROR;
        s->nunknown += s->err[i] == OUT_UNKNOWN;
    }
}

err_code cmp_second_from_column(cmp_second *s, const dataset *ds, const roles *r,
                                const outcome *a, int col, err *e)
{
    if (col < 0 || (size_t)col >= ds->ncols)
        return err_set(e, E_RANGE, "no column %d", col);
    const column *c = &ds->cols[col];
    bool regression = a->task == TASK_REGRESSION;
    if (regression && c->type != COL_NUM)
        return err_set(e, E_TYPE, "--pred2 %s: a regression needs a numeric column", c->name);
    if (second_alloc(s, ds->nrows, !regression, e) != E_OK)
        return E_NOMEM;
    for (size_t i = 0; i < ds->nrows; i++) {
        if (regression)
            judge_value(s, a, i, c->num[i]);
        else
            judge_class(s, a, i, role_class_of(r, ds, col, i), !ds_is_missing(ds, col, i));
    }
    second_count(s);
    return E_OK;
}

err_code cmp_second_from_other(cmp_second *s, const outcome *a, const roles *ra,
                               const outcome *ob, const roles *rb, const cmp_map *m, err *e)
{
    bool regression = a->task == TASK_REGRESSION;
    if (regression != (ob->task == TASK_REGRESSION))
        return err_set(e, E_USAGE, "cannot compare a %s with a %s", task_name(a->task),
                       task_name(ob->task));
    uint32_t *cls = NULL; /* B's class index -> A's */
    if (!regression) {
        cls = malloc((rb->nclass ? rb->nclass : 1) * sizeof *cls);
        if (!cls)
            return err_set(e, E_NOMEM, "out of memory");
        for (uint32_t k = 0; k < rb->nclass; k++)
            cls[k] = sd_find(ra->class_dict, rb->classes[k], strlen(rb->classes[k]));
    }
    if (second_alloc(s, m->n, !regression, e) != E_OK) {
        free(cls);
        return E_NOMEM;
    }
    for (size_t i = 0; i < m->n; i++) {
        uint32_t j = m->b_row[i];
        if (regression) {
            judge_value(s, a, i, ob->ypred[j]);
            continue;
        }
        uint32_t kb = ob->yhat[j];
        judge_class(s, a, i, kb == CLASS_NA ? CLASS_NA : cls[kb], kb != CLASS_NA);
    }
    free(cls);
    second_count(s);
    return E_OK;
}

void cmp_second_done(cmp_second *s)
{
    free(s->yhat);
    free(s->err);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------------- statistics */

double cmp_mcnemar_exact(size_t b, size_t c)
{
    size_t n = b + c, m = b < c ? b : c;
    if (n == 0 || 2 * m >= n)
        return 1.0; /* the lower tail holds at least half the mass */
    /* ln P(X = m) = ln C(n, m) - n ln 2; lower terms from P(k-1) = P(k) k / (n - k + 1) */
    int sign;
    double lt = lgamma_r((double)n + 1, &sign) - lgamma_r((double)m + 1, &sign) -
                lgamma_r((double)(n - m) + 1, &sign) - (double)n * M_LN2;
    double sum = 1.0, t = 1.0;
    for (size_t k = m; k > 0; k--) {
        t *= (double)k / (double)(n - k + 1);
        sum += t;
        if (t < 1e-17 * sum)
            break;
    }
    double p = 2.0 * exp(lt) * sum;
    return p > 1.0 ? 1.0 : p;
}

void cmp_paired_interval(size_t both_right, size_t fixed, size_t new_errors, size_t both_wrong,
                         double *lo, double *hi)
{
    size_t n = both_right + fixed + new_errors + both_wrong;
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double p1 = (double)(fixed + both_wrong) / (double)n;      /* A's error rate */
    double p2 = (double)(new_errors + both_wrong) / (double)n; /* B's error rate */
    double l1, u1, l2, u2;
    st_wilson(fixed + both_wrong, n, &l1, &u1);
    st_wilson(new_errors + both_wrong, n, &l2, &u2);
    /* phi of [[both_wrong, fixed], [new_errors, both_right]] (rows: A wrong / right, columns:
     * B wrong / right), 0 when a margin is empty */
    double a = (double)both_wrong, bb = (double)fixed, c = (double)new_errors;
    double d = (double)both_right;
    double den = sqrt((a + bb) * (c + d) * (a + c) * (bb + d));
    double phi = den > 0 ? (a * d - bb * c) / den : 0.0;
    double dl = (p2 - l2) * (p2 - l2) - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) * (u1 - p1);
    double du = (u2 - p2) * (u2 - p2) - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) * (p1 - l1);
    double diff = p2 - p1;
    *lo = fmax(-1.0, diff - sqrt(fmax(0.0, dl)));
    *hi = fmin(1.0, diff + sqrt(fmax(0.0, du)));
}

void cmp_counts_finish(cmp_counts *c)
{
    c->n = c->both_right + c->fixed + c->new_errors + c->both_wrong;
    if (c->n == 0) {
        c->rate_a = c->rate_b = c->diff = c->lo = c->hi = c->p = NAN;
        return;
    }
    c->rate_a = (double)(c->fixed + c->both_wrong) / (double)c->n;
    c->rate_b = (double)(c->new_errors + c->both_wrong) / (double)c->n;
    c->diff = ((double)c->new_errors - (double)c->fixed) / (double)c->n;
    cmp_paired_interval(c->both_right, c->fixed, c->new_errors, c->both_wrong, &c->lo, &c->hi);
    c->p = cmp_mcnemar_exact(c->fixed, c->new_errors);
}

static void counts_add(cmp_counts *c, cmp_state st)
{
    switch (st) {
    case CMP_BOTH_RIGHT:
        c->both_right++;
        break;
    case CMP_FIXED:
        c->fixed++;
        break;
    case CMP_NEW_ERROR:
        c->new_errors++;
        break;
    case CMP_BOTH_WRONG:
        c->both_wrong++;
        break;
    case CMP_UNKNOWN:
        break;
    }
}

/* ------------------------------------------------------------------------ compute */

/* Slices of one dimension: counts per bin from the per-row states of the selected rows. */
static void count_dim(cmp_slice *v, const bin_dim *d, const uint8_t *state, const bitmap *sel,
                      size_t n)
{
    if (sel) {
        for (size_t i = bm_next(sel, 0); i < n; i = bm_next(sel, i + 1))
            if (d->code[i] != BIN_NONE)
                counts_add(&v[d->code[i]].c, (cmp_state)state[i]);
    } else {
        for (size_t i = 0; i < n; i++)
            if (d->code[i] != BIN_NONE)
                counts_add(&v[d->code[i]].c, (cmp_state)state[i]);
    }
}

static err_code compute_slices(cmp_result *r, const binning *b, const uint8_t *state,
                               const bitmap *sel, size_t n, err *e)
{
    for (size_t d = 0; d < b->ndim; d++)
        r->len += b->dim[d].nbins;
    r->v = calloc(r->len ? r->len : 1, sizeof *r->v);
    double *p = malloc((r->len ? r->len : 1) * sizeof *p);
    if (!r->v || !p) {
        free(p);
        return err_set(e, E_NOMEM, "out of memory");
    }
    size_t at = 0;
    for (size_t d = 0; d < b->ndim; d++) {
        cmp_slice *v = r->v + at;
        for (uint32_t k = 0; k < b->dim[d].nbins; k++) {
            v[k].dim = (uint32_t)d;
            v[k].bin = k;
        }
        count_dim(v, &b->dim[d], state, sel, n);
        at += b->dim[d].nbins;
    }
    for (size_t i = 0; i < r->len; i++) {
        cmp_counts_finish(&r->v[i].c);
        p[i] = r->v[i].c.p; /* NAN for empty slices: left out of BH */
        r->ntested += r->v[i].c.n > 0;
    }
    if (st_bh(p, p, r->len) != E_OK) {
        free(p);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->len; i++) {
        cmp_slice *s = &r->v[i];
        s->q = p[i];
        s->regressed = s->c.n > 0 && s->c.diff > 0 && s->q < r->alpha;
        s->improved = s->c.n > 0 && s->c.diff < 0 && s->q < r->alpha;
        r->nregressed += s->regressed;
    }
    free(p);
    return E_OK;
}

err_code cmp_compute(cmp_result *r, const outcome *a, const cmp_second *s, const binning *b,
                     const bitmap *sel, double alpha, err *e)
{
    memset(r, 0, sizeof *r);
    r->alpha = alpha;
    if (s->n != a->n || (sel && sel->nbits != a->n) || (b && b->nrows != a->n))
        return err_set(e, E_RANGE, "the two predictions, the selection and the binning must "
                       "cover the same rows");
    uint8_t *state = malloc(a->n ? a->n : 1);
    if (!state)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < a->n; i++) {
        state[i] = (uint8_t)cmp_row_state(a, s, i);
        if (sel && !bm_get(sel, i))
            continue;
        if (state[i] == CMP_UNKNOWN)
            r->nunknown++;
        counts_add(&r->all, (cmp_state)state[i]);
    }
    cmp_counts_finish(&r->all);
    err_code rc = b ? compute_slices(r, b, state, sel, a->n, e) : E_OK;
    free(state);
    if (rc != E_OK)
        cmp_done(r);
    return rc;
}

void cmp_done(cmp_result *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

typedef struct order_key {
    size_t idx;
    int group; /* 0 regressed, 1 other tested, 2 empty */
    double q, diff;
    uint32_t dim, bin;
} order_key;

static int cmp_double_asc(double x, double y)
{
    return x < y ? -1 : x > y ? 1 : 0;
}

static int order_cmp(const void *pa, const void *pb)
{
    const order_key *x = pa, *y = pb;
    if (x->group != y->group)
        return x->group - y->group;
    int c = cmp_double_asc(x->q, y->q);
    if (c == 0)
        c = cmp_double_asc(y->diff, x->diff); /* larger difference first */
    if (c == 0)
        c = x->dim < y->dim ? -1 : x->dim > y->dim;
    if (c == 0)
        c = x->bin < y->bin ? -1 : x->bin > y->bin;
    return c;
}

err_code cmp_order(const cmp_result *r, size_t *order, err *e)
{
    order_key *k = malloc((r->len ? r->len : 1) * sizeof *k);
    if (!k)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < r->len; i++) {
        const cmp_slice *s = &r->v[i];
        k[i] = (order_key){i, s->regressed ? 0 : s->c.n > 0 ? 1 : 2, s->q, s->c.diff, s->dim,
                           s->bin};
        if (k[i].group == 2)
            k[i].q = k[i].diff = 0;
    }
    qsort(k, r->len, sizeof *k, order_cmp);
    for (size_t i = 0; i < r->len; i++)
        order[i] = k[i].idx;
    free(k);
    return E_OK;
}
