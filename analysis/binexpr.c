#include "binexpr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "filter.h"
#include "metrics.h"

/* An output buffer that keeps counting past its end, as snprintf does. */
typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = o->len < o->size ? o->buf + o->len : NULL;
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

static size_t finish(out *o)
{
    if (o->size)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
    return o->len;
}

/* The shortest text that reads back as the same double (at most 17 digits). */
static void put_num(out *o, double v)
{
    char s[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, v);
        if (strtod(s, NULL) == v)
            break;
    }
    put(o, "%s", s);
}

static void put_string(out *o, const char *s)
{
    size_t need = flt_quote_string(s, NULL, 0);
    char *q = malloc(need + 1);
    if (!q) { /* keeps the length right; the text is lost anyway */
        o->len += need;
        return;
    }
    flt_quote_string(s, q, need + 1);
    put(o, "%s", q);
    free(q);
}

static void put_field(out *o, const binning *b, const dataset *ds, uint32_t dim)
{
    const bin_dim *d = &b->dim[dim];
    switch (d->kind) {
    case DIM_TRUE_CLASS:
        put(o, "label");
        return;
    case DIM_PRED_CLASS:
        put(o, "pred");
        return;
    case DIM_CONFIDENCE:
        put(o, "confidence");
        return;
    case DIM_OUTCOME:
        put(o, "outcome");
        return;
    default:
        break;
    }
    const char *name = d->col >= 0 ? ds->cols[d->col].name : d->name;
    size_t need = flt_quote_name(name, NULL, 0);
    char *q = malloc(need + 1);
    if (!q) {
        o->len += need + (d->kind == DIM_TOKENS ? 8 : 0);
        return;
    }
    flt_quote_name(name, q, need + 1);
    put(o, d->kind == DIM_TOKENS ? "tokens(%s)" : "%s", q);
    free(q);
}

size_t bx_field(const binning *b, const dataset *ds, uint32_t dim, char *buf, size_t size)
{
    out o = {buf, size, 0};
    put_field(&o, b, ds, dim);
    return finish(&o);
}

static void put_range(out *o, const binning *b, const dataset *ds, uint32_t dim, double lo,
                      double hi, bool lo_closed)
{
    put_field(o, b, ds, dim);
    put(o, lo_closed ? " >= " : " > ");
    put_num(o, lo);
    put(o, " && ");
    put_field(o, b, ds, dim);
    put(o, " <= ");
    put_num(o, hi);
}

size_t bx_range(const binning *b, const dataset *ds, uint32_t dim, double lo, double hi,
                bool lo_closed, char *buf, size_t size)
{
    out o = {buf, size, 0};
    put_range(&o, b, ds, dim, lo, hi, lo_closed);
    return finish(&o);
}

size_t bx_missing(const binning *b, const dataset *ds, uint32_t dim, char *buf, size_t size)
{
    out o = {buf, size, 0};
    put(&o, "missing(");
    put_field(&o, b, ds, dim);
    put(&o, ")");
    return finish(&o);
}

size_t bx_bin(const binning *b, const dataset *ds, uint32_t dim, uint32_t bin, char *buf,
              size_t size)
{
    const bin_dim *d = &b->dim[dim];
    const bin_def *bd = &d->bins[bin];
    out o = {buf, size, 0};
    switch (bd->kind) {
    case BIN_LEVEL:
        put_field(&o, b, ds, dim);
        put(&o, " == ");
        put_string(&o, bd->label);
        break;
    case BIN_VALUE:
        put_field(&o, b, ds, dim);
        put(&o, " == ");
        put_num(&o, bd->value);
        break;
    case BIN_RANGE:
        /* calibration bins also hold the scores outside [0, 1] (met_bin_of) */
        if (d->kind == DIM_CONFIDENCE && bin == 0) {
            put(&o, "confidence <= ");
            put_num(&o, bd->hi);
        } else if (d->kind == DIM_CONFIDENCE && bin + 1 == MET_NBINS) {
            put(&o, "confidence > ");
            put_num(&o, bd->lo);
        } else {
            put_range(&o, b, ds, dim, bd->lo, bd->hi, bd->lo_closed);
        }
        break;
    case BIN_PERIOD:
        put_field(&o, b, ds, dim);
        put(&o, " >= ");
        put_num(&o, bd->lo);
        put(&o, " && ");
        put_field(&o, b, ds, dim);
        put(&o, " < ");
        put_num(&o, bd->hi);
        break;
    case BIN_MISSING:
        return bx_missing(b, ds, dim, buf, size);
    case BIN_OTHER:
        return finish(&o); /* tens of thousands of levels: no usable expression */
    }
    return finish(&o);
}

size_t bx_not_in(const binning *b, const dataset *ds, uint32_t dim, const uint32_t *bins,
                 size_t nbins, char *buf, size_t size)
{
    const bin_dim *d = &b->dim[dim];
    out o = {buf, size, 0};
    for (size_t i = 0; i < nbins; i++) {
        bin_kind k = d->bins[bins[i]].kind;
        if (k != BIN_LEVEL && k != BIN_VALUE)
            return finish(&o);
    }
    /* "not in" is false on a missing cell, which "(missing)" holds instead */
    put_field(&o, b, ds, dim);
    put(&o, " not in {");
    for (size_t i = 0; i < nbins; i++) {
        const bin_def *bd = &d->bins[bins[i]];
        if (i)
            put(&o, ", ");
        if (bd->kind == BIN_VALUE)
            put_num(&o, bd->value);
        else
            put_string(&o, bd->label);
    }
    put(&o, "}");
    return finish(&o);
}
