/* dc_dups: duplicate rows and duplicate ids (datacheck.h). Rows are hashed on their feature
 * cells, sorted by hash (radix), and rows of equal hash compared cell by cell, so a hash
 * collision never merges two different rows. Dictionary codes stand for strings (one code
 * per distinct string in a column), numbers compare by value with missing equal to missing. */
#include "datacheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"

static bool is_feature(const column *c)
{
    return c->role == ROLE_FEATURE || c->role == ROLE_TEXT;
}

/* A 64-bit image of a cell: equal cells give equal images. */
static uint64_t cell_bits(const column *c, size_t i)
{
    if (c->code)
        return c->code[i];
    double v = c->num[i];
    if (isnan(v))
        return UINT64_MAX; /* every missing number alike */
    return rdx_key_double(v);  /* -0 and +0 alike */
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

static bool rows_equal(const dataset *ds, const int *cols, size_t ncols, size_t a, size_t b)
{
    for (size_t j = 0; j < ncols; j++) {
        const column *c = &ds->cols[cols[j]];
        if (cell_bits(c, a) != cell_bits(c, b))
            return false;
    }
    return true;
}

/* Scratch for one run of rows of equal hash: its distinct rows so far. */
typedef struct run_state {
    uint32_t *rep;       /* first row of each distinct tuple in the run */
    size_t *count;       /* rows holding it */
    bool *conflict;      /* its rows disagree on the label */
} run_state;

/* Rows val[lo..hi) share a hash; sorted by hash then row (the radix sort is stable). */
static void scan_run(dc_result *r, const dataset *ds, const int *cols, size_t ncols, int label,
                     const uint32_t *val, size_t lo, size_t hi, run_state *st)
{
    size_t nrep = 0;
    for (size_t i = lo; i < hi; i++) {
        size_t k = 0;
        while (k < nrep && !rows_equal(ds, cols, ncols, st->rep[k], val[i]))
            k++;
        if (k == nrep) {
            st->rep[nrep] = val[i];
            st->count[nrep] = 1;
            st->conflict[nrep++] = false;
            continue;
        }
        if (st->count[k]++ == 1)
            r->ndup_groups++;
        r->ndup_rows++;
        if (label >= 0 && !st->conflict[k] &&
            cell_bits(&ds->cols[label], st->rep[k]) != cell_bits(&ds->cols[label], val[i])) {
            st->conflict[k] = true;
            r->ndup_conflict++;
        }
        if (r->dup_example[0] == DC_NONE || val[i] < r->dup_example[0]) {
            r->dup_example[0] = val[i];
            r->dup_example[1] = st->rep[k];
        }
    }
}

err_code dc_duplicates(dc_result *r, const dataset *ds, const roles *ro, err *e)
{
    r->ndup_rows = r->ndup_groups = r->ndup_conflict = 0;
    r->dup_example[0] = r->dup_example[1] = DC_NONE;
    size_t n = ds->nrows;
    int *cols = malloc((ds->ncols ? ds->ncols : 1) * sizeof *cols);
    uint64_t *key = malloc((n ? n : 1) * sizeof *key);
    uint32_t *val = malloc((n ? n : 1) * sizeof *val);
    run_state st = {malloc((n ? n : 1) * sizeof *st.rep), malloc((n ? n : 1) * sizeof *st.count),
                    malloc((n ? n : 1) * sizeof *st.conflict)};
    err_code rc = E_OK;
    if (!cols || !key || !val || !st.rep || !st.count || !st.conflict) {
        rc = err_set(e, E_NOMEM, "out of memory");
        goto out;
    }
    r->nfeatures = 0;
    for (size_t j = 0; j < ds->ncols; j++)
        if (is_feature(&ds->cols[j]))
            cols[r->nfeatures++] = (int)j;
    if (r->nfeatures == 0 || n < 2)
        goto out;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = 0;
        for (size_t j = 0; j < r->nfeatures; j++)
            h = mix(h, cell_bits(&ds->cols[cols[j]], i));
        key[i] = h;
        val[i] = (uint32_t)i;
    }
    if ((rc = rdx_sort(key, val, n, e)) != E_OK)
        goto out;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1; hi < n && key[hi] == key[lo]; hi++)
            ;
        if (hi - lo > 1)
            scan_run(r, ds, cols, r->nfeatures, ro ? ro->label : -1, val, lo, hi, &st);
    }
out:
    free(cols);
    free(key);
    free(val);
    free(st.rep);
    free(st.count);
    free(st.conflict);
    return rc;
}

err_code dc_duplicate_ids(dc_result *r, const dataset *ds, const roles *ro, err *e)
{
    r->has_id = ro && ro->id >= 0;
    r->ndup_ids = r->ndup_id_rows = r->nmissing_ids = 0;
    r->dup_id_example[0] = r->dup_id_example[1] = DC_NONE;
    if (!r->has_id)
        return E_OK;
    const column *c = &ds->cols[ro->id];
    size_t n = ds->nrows, m = 0;
    uint64_t *key = malloc((n ? n : 1) * sizeof *key);
    uint32_t *val = malloc((n ? n : 1) * sizeof *val);
    if (!key || !val) {
        free(key);
        free(val);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        if (ds_is_missing(ds, ro->id, i)) {
            r->nmissing_ids++;
            continue;
        }
        key[m] = cell_bits(c, i);
        val[m++] = (uint32_t)i;
    }
    err_code rc = rdx_sort(key, val, m, e);
    for (size_t lo = 0, hi; rc == E_OK && lo < m; lo = hi) {
        for (hi = lo + 1; hi < m && key[hi] == key[lo]; hi++)
            ;
        if (hi - lo < 2)
            continue;
        r->ndup_ids++;
        r->ndup_id_rows += hi - lo;
        if (r->dup_id_example[0] == DC_NONE || val[lo + 1] < r->dup_id_example[0]) {
            r->dup_id_example[0] = val[lo + 1]; /* stable sort: rows ascend within the run */
            r->dup_id_example[1] = val[lo];
        }
    }
    free(key);
    free(val);
    return rc;
}
