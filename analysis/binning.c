#include "binning.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "par.h"
#include "sortd.h"
#include "timeparse.h"
#include "stats.h"

void bin_opts_init(bin_opts *o)
{
    o->quantile_bins = 10;
    o->max_values = 12;
}

void bin_done(binning *b)
{
    for (size_t i = 0; i < b->ndim; i++) {
        free(b->dim[i].bins);
        free(b->dim[i].code);
    }
    free(b->dim);
    memset(b, 0, sizeof *b);
}

/* A value as a person reads it: the shortest text that reads back as the same number, but
 * never more than 6 significant digits (quantile edges carry floating-point noise such as
 * 6052.356000000004; the exact edges stay in the bin's lo and hi). */
static void fmt_num(double v, char *buf, size_t size)
{
    /* %g switches to exponents when the precision is below the number of integer digits
     * (30 as "3e+01"): accept an exponent only for very large or very small magnitudes */
    bool plain = fabs(v) >= 1e-4 && fabs(v) < 1e15;
    for (int prec = 1; prec <= 6; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v && !(plain && strchr(buf, 'e')))
            return;
    }
    snprintf(buf, size, plain && fabs(v) >= 1e6 ? "%.0f" : "%.6g", v);
}

static bin_dim *add_dim(binning *b, const char *name, int col, dim_kind kind, uint32_t nbins,
                        err *e)
{
    bin_dim *dims = realloc(b->dim, (b->ndim + 1) * sizeof *dims);
    if (!dims) {
        err_set(e, E_NOMEM, "out of memory");
        return NULL;
    }
    b->dim = dims;
    bin_dim *d = &dims[b->ndim];
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    d->col = col;
    d->kind = kind;
    d->bins = calloc(nbins ? nbins : 1, sizeof *d->bins);
    d->code = malloc((b->nrows ? b->nrows : 1) * sizeof *d->code);
    b->ndim++;
    if (!d->bins || !d->code) {
        err_set(e, E_NOMEM, "out of memory");
        return NULL;
    }
    return d;
}

static void set_missing_bin(bin_dim *d)
{
    bin_def *bd = &d->bins[d->nbins++];
    bd->kind = BIN_MISSING;
    snprintf(bd->label, sizeof bd->label, "(missing)");
}

/* A numeric variable (column values, token counts): one bin per value when there are few,
 * else quantile bins as pandas.qcut(duplicates="drop"); missing values get their own bin. */
static err_code bin_numeric(binning *b, const char *name, int col, dim_kind qkind,
                            const double *x, const bin_opts *opt, err *e)
{
    size_t n = b->nrows, m = 0;
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            sorted[m++] = x[i];
    if (srt_doubles(sorted, m, e) != E_OK) {
        free(sorted);
        return E_NOMEM;
    }
    size_t ndistinct = 0;
    for (size_t i = 0; i < m && ndistinct <= opt->max_values; i++)
        if (i == 0 || sorted[i] != sorted[i - 1])
            ndistinct++;
    bool has_missing = m < n;
    err_code rc = E_OK;
    if (ndistinct <= opt->max_values) {
        bin_dim *d = add_dim(b, name, col, qkind == DIM_TOKENS ? DIM_TOKENS : DIM_VALUES,
                             (uint32_t)ndistinct + 1, e);
        if (!d) {
            free(sorted);
            return E_NOMEM;
        }
        double vals[64];
        for (size_t i = 0; i < m; i++)
            if (d->nbins == 0 || sorted[i] != vals[d->nbins - 1]) {
                vals[d->nbins] = sorted[i];
                bin_def *bd = &d->bins[d->nbins++];
                bd->kind = BIN_VALUE;
                bd->value = sorted[i];
                fmt_num(sorted[i], bd->label, sizeof bd->label);
            }
        uint32_t nval = d->nbins;
        if (has_missing)
            set_missing_bin(d);
        for (size_t i = 0; i < n; i++) {
            uint16_t c = (uint16_t)nval; /* missing */
            if (!isnan(x[i]))
                for (uint32_t k = 0; k < nval; k++)
                    if (vals[k] == x[i]) {
                        c = (uint16_t)k;
                        break;
                    }
            d->code[i] = c;
        }
    } else {
        double *edges = malloc((opt->quantile_bins + 1) * sizeof *edges);
        if (!edges) {
            free(sorted);
            return err_set(e, E_NOMEM, "out of memory");
        }
        size_t ne = st_qcut_edges(sorted, m, opt->quantile_bins, edges);
        uint32_t nb = ne > 1 ? (uint32_t)(ne - 1) : 1;
        bin_dim *d = add_dim(b, name, col, qkind, nb + 1, e);
        if (!d) {
            free(edges);
            free(sorted);
            return E_NOMEM;
        }
        for (uint32_t j = 0; j < nb; j++) {
            bin_def *bd = &d->bins[d->nbins++];
            bd->kind = BIN_RANGE;
            bd->lo = edges[j];
            bd->hi = ne > 1 ? edges[j + 1] : edges[0];
            bd->lo_closed = j == 0;
            char lo[40], hi[40];
            fmt_num(bd->lo, lo, sizeof lo);
            fmt_num(bd->hi, hi, sizeof hi);
            snprintf(bd->label, sizeof bd->label, "%s%s, %s]", j == 0 ? "[" : "(", lo, hi);
        }
        if (has_missing)
            set_missing_bin(d);
        for (size_t i = 0; i < n; i++) {
            if (isnan(x[i])) {
                d->code[i] = (uint16_t)nb;
                continue;
            }
            int k = st_bin_of(edges, ne, x[i]);
            d->code[i] = k < 0 ? BIN_NONE : (uint16_t)k;
        }
        free(edges);
    }
    free(sorted);
    return rc;
}

typedef struct code_count {
    size_t count;
    uint32_t code;
} code_count;

static int cmp_count_desc(const void *a, const void *b)
{
    const code_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return (x->code > y->code) - (x->code < y->code);
}

/* Marks in keep[] the BIN_MAX_LEVELS - 1 most frequent codes of a column. */
static err_code frequent_levels(const column *c, size_t nrows, uint32_t nd, uint8_t *keep)
{
    code_count *cc = calloc(nd, sizeof *cc);
    if (!cc)
        return E_NOMEM;
    for (uint32_t k = 0; k < nd; k++)
        cc[k].code = k;
    for (size_t i = 0; i < nrows; i++)
        if (c->code[i] != CODE_NA)
            cc[c->code[i]].count++;
    qsort(cc, nd, sizeof *cc, cmp_count_desc);
    for (uint32_t k = 0; k < nd; k++)
        keep[cc[k].code] = k < BIN_MAX_LEVELS - 1;
    free(cc);
    return E_OK;
}

/* One bin per level in byte order; a column with more than BIN_MAX_LEVELS levels keeps the
 * most frequent ones and pools the rest in "(other)". */
static err_code bin_categorical(binning *b, const dataset *ds, int col, err *e)
{
    const column *c = &ds->cols[col];
    uint32_t nd = sd_count(c->dict);
    uint32_t *order = malloc((nd ? nd : 1) * sizeof *order);
    uint32_t *map = malloc((nd ? nd : 1) * sizeof *map);
    uint8_t *keep = malloc(nd ? nd : 1);
    err_code rc = order && map && keep ? sd_sorted_codes(c->dict, order) : E_NOMEM;
    bool pooled = nd > BIN_MAX_LEVELS;
    if (rc == E_OK) {
        memset(keep, 1, nd ? nd : 1);
        if (pooled)
            rc = frequent_levels(c, ds->nrows, nd, keep);
    }
    bin_dim *d = NULL;
    if (rc == E_OK)
        d = add_dim(b, c->name, col, DIM_CATEGORICAL, (pooled ? BIN_MAX_LEVELS : nd) + 1, e);
    if (!d) {
        free(order);
        free(map);
        free(keep);
        return rc == E_OK ? E_NOMEM : err_set(e, E_NOMEM, "out of memory");
    }
    for (uint32_t k = 0; k < nd; k++) {
        uint32_t code = order[k];
        if (!keep[code])
            continue;
        bin_def *bd = &d->bins[d->nbins];
        bd->kind = BIN_LEVEL;
        snprintf(bd->label, sizeof bd->label, "%s", sd_str(c->dict, code));
        map[code] = d->nbins++;
    }
    if (pooled) {
        for (uint32_t k = 0; k < nd; k++)
            if (!keep[k])
                map[k] = d->nbins;
        bin_def *bd = &d->bins[d->nbins++];
        bd->kind = BIN_OTHER;
        snprintf(bd->label, sizeof bd->label, "(other)");
    }
    uint32_t missing = d->nbins;
    if (c->nmissing)
        set_missing_bin(d);
    for (size_t i = 0; i < ds->nrows; i++)
        d->code[i] = (uint16_t)(c->code[i] == CODE_NA ? missing : map[c->code[i]]);
    free(order);
    free(map);
    free(keep);
    return E_OK;
}

/* Number of white-space separated words. */
static double count_tokens(const char *s)
{
    size_t n = 0;
    bool in_word = false;
    for (; *s; s++) {
        bool space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
                     *s == '\v';
        n += !space && !in_word;
        in_word = !space;
    }
    return (double)n;
}

/* Text: bins of the number of words, counted once per distinct text. */
static err_code bin_text(binning *b, const dataset *ds, int col, const bin_opts *opt, err *e)
{
    const column *c = &ds->cols[col];
    uint32_t nd = sd_count(c->dict);
    double *per_code = malloc((nd ? nd : 1) * sizeof *per_code);
    double *x = malloc((ds->nrows ? ds->nrows : 1) * sizeof *x);
    if (!per_code || !x) {
        free(per_code);
        free(x);
        return err_set(e, E_NOMEM, "out of memory");
    }
    for (uint32_t k = 0; k < nd; k++)
        per_code[k] = count_tokens(sd_str(c->dict, k));
    for (size_t i = 0; i < ds->nrows; i++)
        x[i] = c->code[i] == CODE_NA ? NAN : per_code[c->code[i]];
    char name[160];
    snprintf(name, sizeof name, "%s", c->name);
    err_code rc = bin_numeric(b, name, col, DIM_TOKENS, x, opt, e);
    if (rc == E_OK)
        snprintf(b->dim[b->ndim - 1].unit, sizeof b->dim[0].unit, "tokens");
    free(per_code);
    free(x);
    return rc;
}

/* Proleptic Gregorian calendar (H. Hinnant's algorithms): days since 1970-01-01. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}


typedef enum { UNIT_DAY, UNIT_WEEK, UNIT_MONTH } time_unit;

/* The start (epoch seconds) of the bucket holding t. Weeks start on Monday. */
static double bucket_start(double t, time_unit u)
{
    int64_t days = (int64_t)floor(t / 86400.0);
    if (u == UNIT_DAY)
        return (double)days * 86400.0;
    if (u == UNIT_WEEK) { /* 1970-01-01 was a Thursday: Monday is 3 days before */
        int64_t w = days + 3;
        int64_t monday = (w >= 0 ? w / 7 : (w - 6) / 7) * 7 - 3;
        return (double)monday * 86400.0;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    return (double)tp_days_from_civil(y, m, 1) * 86400.0;
}

static double bucket_end(double start, time_unit u)
{
    if (u == UNIT_DAY)
        return start + 86400.0;
    if (u == UNIT_WEEK)
        return start + 7 * 86400.0;
    int64_t y;
    unsigned m, d;
    civil_from_days((int64_t)floor(start / 86400.0), &y, &m, &d);
    return (double)tp_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * 86400.0;
}

static void bucket_label(double start, time_unit u, char *buf, size_t size)
{
    int64_t y;
    unsigned m, d;
    civil_from_days((int64_t)floor(start / 86400.0), &y, &m, &d);
    if (u == UNIT_MONTH)
        snprintf(buf, size, "%04lld-%02u", (long long)y, m);
    else if (u == UNIT_WEEK)
        snprintf(buf, size, "week of %04lld-%02u-%02u", (long long)y, m, d);
    else
        snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* Calendar buckets: days when the span is at most 60 days, weeks up to a year, else months.
 * Only buckets that hold rows become bins. */
static err_code bin_time(binning *b, const dataset *ds, int col, err *e)
{
    const column *c = &ds->cols[col];
    size_t n = ds->nrows, m = 0;
    double *starts = malloc((n ? n : 1) * sizeof *starts);
    if (!starts)
        return err_set(e, E_NOMEM, "out of memory");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!isnan(c->num[i])) {
            lo = fmin(lo, c->num[i]);
            hi = fmax(hi, c->num[i]);
        }
    double span = hi - lo;
    time_unit u = span <= 60 * 86400.0 ? UNIT_DAY : span <= 366 * 86400.0 ? UNIT_WEEK : UNIT_MONTH;
    for (size_t i = 0; i < n; i++)
        if (!isnan(c->num[i]))
            starts[m++] = bucket_start(c->num[i], u);
    if (srt_doubles(starts, m, e) != E_OK) {
        free(starts);
        return E_NOMEM;
    }
    size_t nb = 0;
    for (size_t i = 0; i < m; i++)
        if (nb == 0 || starts[i] != starts[nb - 1])
            starts[nb++] = starts[i];
    if (nb > BIN_MAX_LEVELS) { /* centuries of days cannot happen: the unit grows with span */
        free(starts);
        return err_set(e, E_RANGE, "column '%s': too many time buckets", c->name);
    }
    bin_dim *d = add_dim(b, c->name, col, DIM_TIME, (uint32_t)nb + 1, e);
    if (!d) {
        free(starts);
        return E_NOMEM;
    }
    snprintf(d->unit, sizeof d->unit, "%s",
             u == UNIT_DAY ? "day" : u == UNIT_WEEK ? "week" : "month");
    for (size_t k = 0; k < nb; k++) {
        bin_def *bd = &d->bins[d->nbins++];
        bd->kind = BIN_PERIOD;
        bd->lo = starts[k];
        bd->hi = bucket_end(starts[k], u);
        bucket_label(starts[k], u, bd->label, sizeof bd->label);
    }
    if (m < n)
        set_missing_bin(d);
    for (size_t i = 0; i < n; i++) {
        if (isnan(c->num[i])) {
            d->code[i] = (uint16_t)nb;
            continue;
        }
        double s = bucket_start(c->num[i], u);
        size_t lo_i = 0, hi_i = nb; /* binary search for the bucket */
        while (lo_i < hi_i) {
            size_t mid = (lo_i + hi_i) / 2;
            if (starts[mid] < s)
                lo_i = mid + 1;
            else
                hi_i = mid;
        }
        d->code[i] = (uint16_t)lo_i;
    }
    free(starts);
    return E_OK;
}

/* True or predicted class of every evaluated row. */
static err_code bin_classes(binning *b, const outcome *o, bool predicted, err *e)
{
    if (o->nclass > BIN_MAX_LEVELS)
        return E_OK;
    bin_dim *d = add_dim(b, predicted ? "predicted class" : "true class", -1,
                         predicted ? DIM_PRED_CLASS : DIM_TRUE_CLASS, o->nclass, e);
    if (!d)
        return E_NOMEM;
    for (uint32_t k = 0; k < o->nclass; k++) {
        bin_def *bd = &d->bins[d->nbins++];
        bd->kind = BIN_LEVEL;
        snprintf(bd->label, sizeof bd->label, "%s", o->classes[k]);
    }
    const uint32_t *cls = predicted ? o->yhat : o->y;
    for (size_t i = 0; i < b->nrows; i++)
        d->code[i] = cls[i] == CLASS_NA ? BIN_NONE : (uint16_t)cls[i];
    return E_OK;
}

static err_code bin_confidence(binning *b, const outcome *o, err *e)
{
    bin_dim *d = add_dim(b, "confidence", -1, DIM_CONFIDENCE, MET_NBINS + 1, e);
    if (!d)
        return E_NOMEM;
    for (int k = 0; k < MET_NBINS; k++) {
        bin_def *bd = &d->bins[d->nbins++];
        bd->kind = BIN_RANGE;
        bd->lo = k / (double)MET_NBINS;
        bd->hi = (k + 1) / (double)MET_NBINS;
        bd->lo_closed = k == 0;
        snprintf(bd->label, sizeof bd->label, "%s%.1f, %.1f]", k == 0 ? "[" : "(", bd->lo, bd->hi);
    }
    bool missing = false;
    for (size_t i = 0; i < b->nrows; i++) {
        if (isnan(o->conf[i])) {
            d->code[i] = MET_NBINS;
            missing = true;
        } else {
            d->code[i] = (uint16_t)met_bin_of(o->conf[i]);
        }
    }
    if (missing)
        set_missing_bin(d);
    return E_OK;
}

static err_code bin_outcome(binning *b, const outcome *o, err *e)
{
    static const char *const names[] = {"TP", "FP", "TN", "FN"};
    bin_dim *d = add_dim(b, "outcome", -1, DIM_OUTCOME, 4, e);
    if (!d)
        return E_NOMEM;
    for (int k = 0; k < 4; k++) {
        bin_def *bd = &d->bins[d->nbins++];
        bd->kind = BIN_LEVEL;
        snprintf(bd->label, sizeof bd->label, "%s", names[k]);
    }
    for (size_t i = 0; i < b->nrows; i++) {
        if (o->err[i] == OUT_UNKNOWN) {
            d->code[i] = BIN_NONE;
            continue;
        }
        bool pos_true = o->y[i] == o->positive, pos_pred = o->yhat[i] == o->positive;
        d->code[i] = pos_pred ? (pos_true ? 0 : 1) : (pos_true ? 3 : 2);
    }
    return E_OK;
}

static err_code bin_column(binning *b, const dataset *ds, int col, const bin_opts *opt, err *e)
{
    const column *c = &ds->cols[col];
    switch (c->type) {
    case COL_CAT:
        return bin_categorical(b, ds, col, e);
    case COL_NUM:
        return bin_numeric(b, c->name, col, DIM_QUANTILE, c->num, opt, e);
    case COL_TEXT:
        return bin_text(b, ds, col, opt, e);
    case COL_TIME:
        return bin_time(b, ds, col, e);
    }
    return E_OK;
}

/* Columns are binned independently (each one sorts its values), so they are spread over the
 * cores, each into a binning of its own, then appended in column order: the result does not
 * depend on which thread binned what. */
typedef struct column_jobs {
    const dataset *ds;
    const bin_opts *opt;
    const int *cols;  /* the columns to bin */
    binning *part;    /* one per column */
    err_code *rc;     /* one per column */
    err *errs;        /* one per column */
} column_jobs;

static void bin_one_column(void *ctx, size_t t)
{
    column_jobs *j = ctx;
    j->part[t].nrows = j->ds->nrows;
    j->rc[t] = bin_column(&j->part[t], j->ds, j->cols[t], j->opt, &j->errs[t]);
}

static err_code bin_columns(binning *b, const dataset *ds, const roles *r, const bin_opts *opt,
                            err *e)
{
    size_t n = 0, total = 0;
    int *cols = malloc((ds->ncols ? ds->ncols : 1) * sizeof *cols);
    binning *part = calloc(ds->ncols ? ds->ncols : 1, sizeof *part);
    err_code *rc = calloc(ds->ncols ? ds->ncols : 1, sizeof *rc);
    err *errs = calloc(ds->ncols ? ds->ncols : 1, sizeof *errs);
    err_code status = cols && part && rc && errs ? E_OK : err_set(e, E_NOMEM, "out of memory");
    for (size_t i = 0; i < ds->ncols && status == E_OK; i++) {
        col_role role = ds->cols[i].role;
        bool regression_target = r->task == TASK_REGRESSION &&
                                 ((int)i == r->label || (int)i == r->pred);
        if (role == ROLE_FEATURE || role == ROLE_TEXT || role == ROLE_TIME || regression_target)
            cols[n++] = (int)i;
    }
    if (status == E_OK) {
        column_jobs jobs = {ds, opt, cols, part, rc, errs};
        par_run(0, n, bin_one_column, &jobs);
    }
    for (size_t t = 0; t < n && status == E_OK; t++) {
        if (rc[t] != E_OK) {
            if (e)
                *e = errs[t];
            status = rc[t];
        }
        total += part[t].ndim;
    }
    bin_dim *dims = status == E_OK ? realloc(b->dim, (b->ndim + total + 1) * sizeof *dims) : NULL;
    if (status == E_OK && !dims)
        status = err_set(e, E_NOMEM, "out of memory");
    for (size_t t = 0; t < n; t++) {
        if (status == E_OK) { /* the parts' dimensions move into b */
            bool target = r->task == TASK_REGRESSION && (cols[t] == r->label || cols[t] == r->pred);
            for (size_t k = 0; k < part[t].ndim; k++)
                part[t].dim[k].restates_outcome = target;
            memcpy(dims + b->ndim, part[t].dim, part[t].ndim * sizeof *dims);
            b->ndim += part[t].ndim;
            free(part[t].dim);
        } else {
            bin_done(&part[t]);
        }
    }
    if (dims)
        b->dim = dims;
    free(cols);
    free(part);
    free(rc);
    free(errs);
    return status;
}

err_code bin_build(binning *b, const dataset *ds, const roles *r, const outcome *o,
                   const bin_opts *opt, err *e)
{
    memset(b, 0, sizeof *b);
    b->nrows = ds->nrows;
    bin_opts local = *opt;
    if (local.max_values > 60) /* one bin per value is for a handful of values */
        local.max_values = 60;
    if (local.quantile_bins < 1)
        local.quantile_bins = 1;
    err_code rc = bin_columns(b, ds, r, &local, e);
    if (rc == E_OK && r->task != TASK_REGRESSION) {
        rc = bin_classes(b, o, false, e);
        if (rc == E_OK)
            rc = bin_classes(b, o, true, e);
        if (rc == E_OK && out_has_scores(o))
            rc = bin_confidence(b, o, e);
        if (rc == E_OK && r->task == TASK_BINARY)
            rc = bin_outcome(b, o, e);
    }
    if (rc != E_OK)
        bin_done(b);
    return rc;
}

void bin_describe(const bin_dim *d, uint32_t bin, char *buf, size_t size)
{
    const bin_def *bd = &d->bins[bin];
    switch (bd->kind) {
    case BIN_MISSING:
        snprintf(buf, size, "%s is missing", d->name);
        break;
    case BIN_RANGE:
        snprintf(buf, size, "%s%s in %s", d->name, d->kind == DIM_TOKENS ? " tokens" : "",
                 bd->label);
        break;
    case BIN_PERIOD:
        snprintf(buf, size, "%s in %s", d->name, bd->label);
        break;
    case BIN_VALUE:
        snprintf(buf, size, "%s%s = %s", d->name, d->kind == DIM_TOKENS ? " tokens" : "",
                 bd->label);
        break;
    case BIN_LEVEL:
    case BIN_OTHER:
        snprintf(buf, size, "%s = %s", d->name, bd->label);
        break;
    }
}
