/* clufeat: dense-in-spirit feature rows for tabular and embedding clustering (see clufeat.h). */
#include "clufeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One source of dimensions. */
typedef struct feat {
    int col;
    bool numeric;
    double mean, sd;    /* numeric */
    uint32_t nlev;      /* categorical: levels kept */
    uint32_t *dim_of;   /* categorical: owned; per dictionary code, its dimension offset
                         * or UINT32_MAX */
    uint32_t first;     /* first dimension */
} feat;

static void feats_free(feat *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].dim_of);
    free(f);
}

/* Mean and standard deviation (population) of a numeric column over the rows, missing
 * values skipped. Returns false when the column is constant or empty there. */
static bool moments(const double *x, const uint32_t *rows, size_t nrows, double *mean,
                    double *sd)
{
    double s = 0, n = 0;
    for (size_t i = 0; i < nrows; i++) {
        double v = x[rows[i]];
        if (!isnan(v))
            s += v, n++;
    }
    if (n < 2)
        return false;
    double m = s / n, ss = 0;
    for (size_t i = 0; i < nrows; i++) {
        double v = x[rows[i]];
        if (!isnan(v))
            ss += (v - m) * (v - m);
    }
    *mean = m;
    *sd = sqrt(ss / n);
    return *sd > 0 && isfinite(*sd);
}

typedef struct level_count {
    uint32_t code;
    size_t n;
} level_count;

static int by_count_desc(const void *pa, const void *pb)
{
    const level_count *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return (a->code > b->code) - (a->code < b->code);
}

/* Keeps the CF_MAX_LEVELS most common levels of a categorical column among the rows. */
static err_code pick_levels(feat *f, const column *c, const uint32_t *rows, size_t nrows,
                            err *e)
{
    uint32_t ncodes = sd_count(c->dict);
    level_count *lc = calloc(ncodes ? ncodes : 1, sizeof *lc);
    f->dim_of = malloc((ncodes ? ncodes : 1) * sizeof *f->dim_of);
    if (!lc || !f->dim_of) {
        free(lc);
        return err_set(e, E_NOMEM, "out of memory choosing levels of %s", c->name);
    }
    for (uint32_t k = 0; k < ncodes; k++) {
        lc[k].code = k;
        f->dim_of[k] = UINT32_MAX;
    }
    for (size_t i = 0; i < nrows; i++) {
        uint32_t k = c->code[rows[i]];
        if (k < ncodes)
            lc[k].n++;
    }
    qsort(lc, ncodes, sizeof *lc, by_count_desc);
    f->nlev = 0;
    for (uint32_t k = 0; k < ncodes && f->nlev < CF_MAX_LEVELS && lc[k].n > 0; k++)
        f->dim_of[lc[k].code] = f->nlev++;
    free(lc);
    return E_OK;
}

static bool usable_role(col_role r)
{
    return r == ROLE_FEATURE;
}

/* Writes the rows: each row's non-zero entries, then scales it to unit norm. */
static err_code fill(cf_matrix *m, const dataset *ds, const feat *f, size_t nf,
                     const uint32_t *rows, size_t nrows, err *e)
{
    size_t cap = nrows * (nf ? nf : 1);
    m->rowptr = malloc((nrows + 1) * sizeof *m->rowptr);
    m->col = malloc((cap ? cap : 1) * sizeof *m->col);
    m->val = malloc((cap ? cap : 1) * sizeof *m->val);
    if (!m->rowptr || !m->col || !m->val)
        return err_set(e, E_NOMEM, "out of memory building feature vectors");
    size_t k = 0;
    m->rowptr[0] = 0;
    for (size_t i = 0; i < nrows; i++) {
        size_t start = k;
        double norm = 0;
        for (size_t j = 0; j < nf; j++) {
            const column *c = &ds->cols[f[j].col];
            uint32_t d;
            double v;
            if (f[j].numeric) {
                double x = c->num[rows[i]];
                if (isnan(x))
                    continue;
                v = (x - f[j].mean) / f[j].sd;
                d = f[j].first;
            } else {
                uint32_t code = c->code[rows[i]];
                if (code == CODE_NA || code >= sd_count(c->dict) ||
                    f[j].dim_of[code] == UINT32_MAX)
                    continue;
                v = 1.0;
                d = f[j].first + f[j].dim_of[code];
            }
            if (v == 0)
                continue;
            m->col[k] = d;
            m->val[k++] = v;
            norm += v * v;
        }
        norm = sqrt(norm);
        for (size_t t = start; t < k; t++)
            m->val[t] /= norm;
        m->rowptr[i + 1] = k;
    }
    return E_OK;
}

err_code cf_tabular(cf_matrix *out, const dataset *ds, const uint32_t *rows, size_t nrows,
                    err *e)
{
    memset(out, 0, sizeof *out);
    feat *f = calloc(ds->ncols ? ds->ncols : 1, sizeof *f);
    if (!f)
        return err_set(e, E_NOMEM, "out of memory building feature vectors");
    size_t nf = 0;
    uint32_t dims = 0;
    err_code rc = E_OK;
    for (size_t c = 0; c < ds->ncols; c++) {
        const column *col = &ds->cols[c];
        if (!usable_role(col->role))
            continue;
        feat *g = &f[nf];
        g->col = (int)c;
        g->first = dims;
        if (col->type == COL_NUM || col->type == COL_TIME) {
            g->numeric = true;
            if (!moments(col->num, rows, nrows, &g->mean, &g->sd))
                continue;
            dims++;
        } else if (col->type == COL_CAT) {
            if ((rc = pick_levels(g, col, rows, nrows, e)) != E_OK) {
                nf++;
                goto fail;
            }
            if (g->nlev < 2) { /* one level everywhere says nothing */
                free(g->dim_of);
                g->dim_of = NULL;
                continue;
            }
            dims += g->nlev;
        } else {
            continue;
        }
        nf++;
    }
    if (nf == 0) {
        rc = err_set(e, E_RANGE, "no feature column varies among the rows to cluster");
        goto fail;
    }
    out->nrows = nrows;
    out->ncols = dims;
    out->nsource = (uint32_t)nf;
    if ((rc = fill(out, ds, f, nf, rows, nrows, e)) != E_OK)
        goto fail;
    feats_free(f, nf);
    return E_OK;
fail:
    feats_free(f, nf);
    cf_done(out);
    return rc;
}

/* The number after prefix in name, or -1 when name is not PREFIX<digits>. */
static long suffix_number(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0 || name[n] == '\0')
        return -1;
    long v = 0;
    for (const char *p = name + n; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000L)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

typedef struct numbered {
    long number;
    int col;
} numbered;

static int by_number(const void *pa, const void *pb)
{
    const numbered *a = pa, *b = pb;
    return (a->number > b->number) - (a->number < b->number);
}

err_code cf_embedding(cf_matrix *out, const dataset *ds, const char *prefix,
                      const uint32_t *rows, size_t nrows, err *e)
{
    memset(out, 0, sizeof *out);
    numbered *cols = malloc((ds->ncols ? ds->ncols : 1) * sizeof *cols);
    if (!cols)
        return err_set(e, E_NOMEM, "out of memory building embedding vectors");
    size_t nc = 0;
    for (size_t c = 0; c < ds->ncols; c++) {
        long num = suffix_number(ds->cols[c].name, prefix);
        if (num >= 0 && ds->cols[c].type == COL_NUM)
            cols[nc++] = (numbered){num, (int)c};
    }
    if (nc == 0) {
        free(cols);
        return err_set(e, E_USAGE,
                       "--embedding %s: no numeric column is named %s followed by a number",
                       prefix, prefix);
    }
    qsort(cols, nc, sizeof *cols, by_number);
    feat *f = calloc(nc, sizeof *f);
    if (!f) {
        free(cols);
        return err_set(e, E_NOMEM, "out of memory building embedding vectors");
    }
    /* Raw values: mean 0 and sd 1 make fill() write them unchanged. */
    for (size_t j = 0; j < nc; j++)
        f[j] = (feat){.col = cols[j].col, .numeric = true, .mean = 0, .sd = 1,
                      .first = (uint32_t)j};
    free(cols);
    out->nrows = nrows;
    out->ncols = (uint32_t)nc;
    out->nsource = (uint32_t)nc;
    err_code rc = fill(out, ds, f, nc, rows, nrows, e);
    free(f);
    if (rc)
        cf_done(out);
    return rc;
}

void cf_done(cf_matrix *m)
{
    free(m->rowptr);
    free(m->col);
    free(m->val);
    memset(m, 0, sizeof *m);
}

skm_csr cf_view(const cf_matrix *m)
{
    return (skm_csr){m->nrows, m->ncols, m->rowptr, m->col, m->val};
}
