#include "colbuild.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

err_code colb_init(colb *c, inf_mode mode, bool epoch, const inf_na *na, err *e)
{
    c->mode = mode;
    c->epoch = epoch;
    c->na = na;
    vec_init(&c->v, mode == INF_STR ? sizeof(uint32_t) : sizeof(double));
    c->dict = NULL;
    c->nmissing = c->nbad = 0;
    c->first_bad = SIZE_MAX;
    c->bad_example = NULL;
    c->utf8_at = 0;
    c->cache = NULL;
    if (mode != INF_STR)
        return E_OK;
    c->cache = calloc(COLB_CACHE, sizeof *c->cache);
    if (!c->cache)
        return err_set(e, E_NOMEM, "out of memory");
    return sd_new(&c->dict, e);
}

void colb_done(colb *c)
{
    vec_done(&c->v);
    sd_free(c->dict);
    c->dict = NULL;
    free(c->bad_example);
    c->bad_example = NULL;
    free(c->cache);
    c->cache = NULL;
}

/* A cell that is neither missing nor of the column's type. Its text is kept only for the
 * first one; every bad cell is checked for UTF-8 since it is a string after all. */
static colb_status bad_cell(colb *c, const char *s, size_t len, size_t row)
{
    size_t at = u8_check(s, len);
    if (at < len) {
        c->utf8_at = at;
        return COLB_UTF8;
    }
    if (c->nbad++ == 0) {
        c->first_bad = row;
        c->bad_example = inf_example(s, len);
        if (!c->bad_example)
            return COLB_NOMEM;
    }
    return COLB_OK;
}

static colb_status number_cell(colb *c, const char *s, size_t len, size_t row, bool ok, double v)
{
    colb_status st = COLB_OK;
    if (!ok) {
        v = NAN;
        if (inf_is_na(c->na, s, len))
            c->nmissing++;
        else
            st = bad_cell(c, s, len, row);
    }
    if (vec_push_f64(&c->v, v) != E_OK)
        return COLB_NOMEM;
    return st;
}

static colb_status intern(colb *c, const char *s, size_t len, uint32_t *code)
{
    uint32_t before = sd_count(c->dict);
    err_code rc = sd_intern(c->dict, s, len, code, NULL);
    if (rc != E_OK)
        return rc == E_NOMEM ? COLB_NOMEM : COLB_FULL;
    if (*code == before) {
        size_t at = u8_check(s, len);
        if (at < len) {
            c->utf8_at = at;
            return COLB_UTF8;
        }
    }
    return COLB_OK;
}

static colb_status string_cell(colb *c, const char *s, size_t len)
{
    uint32_t code = CODE_NA;
    if (inf_is_na(c->na, s, len)) {
        c->nmissing++;
    } else if (len <= 8) {
        uint64_t key = 0;
        memcpy(&key, s, len);
        colb_short *slot =
            &c->cache[((key + len) * 0x9E3779B97F4A7C15ull) >> (64 - 10) & (COLB_CACHE - 1)];
        if (slot->len == len + 1 && slot->key == key) {
            code = slot->code;
        } else {
            colb_status st = intern(c, s, len, &code);
            if (st != COLB_OK)
                return st;
            *slot = (colb_short){key, code, (uint32_t)len + 1};
        }
    } else {
        colb_status st = intern(c, s, len, &code);
        if (st != COLB_OK)
            return st;
    }
    return vec_push_u32(&c->v, code) == E_OK ? COLB_OK : COLB_NOMEM;
}

colb_status colb_cell_slow(colb *c, const char *s, size_t len, size_t row)
{
    double v = 0;
    bool ok;
    switch (c->mode) {
    case INF_NUM:
        ok = len > 0 && np_parse(s, len, &v);
        return number_cell(c, s, len, row, ok, v);
    case INF_TIME:
        ok = len > 0 && inf_parse_time(s, len, c->epoch, &v);
        return number_cell(c, s, len, row, ok, v);
    case INF_STR:
        return string_cell(c, s, len);
    default:
        return COLB_OK;
    }
}

/* Appends a later piece's values at row off of the column. */
static err_code merge_values(colb *b, size_t off, column *col, err *e)
{
    size_t n = b->v.n;
    if (b->mode != INF_STR) {
        if (n)
            memcpy(col->num + off, b->v.p, n * sizeof *col->num);
        vec_done(&b->v);
        return E_OK;
    }
    uint32_t *remap = malloc(((size_t)sd_count(b->dict) + 1) * sizeof *remap);
    if (!remap)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = sd_absorb(col->dict, b->dict, remap, e);
    b->dict = NULL;
    if (rc == E_OK) {
        const uint32_t *src = (const uint32_t *)(const void *)b->v.p;
        uint32_t *dst = col->code + off;
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i] == CODE_NA ? CODE_NA : remap[src[i]];
    }
    free(remap);
    vec_done(&b->v);
    return rc;
}

err_code colb_merge(colb *const *pieces, size_t npieces, size_t nrows, column *col,
                    size_t *first_bad, err *e)
{
    *first_bad = SIZE_MAX;
    colb *b0 = pieces[0];
    size_t n0 = b0->v.n, off = 0;
    void *arr = vec_take(&b0->v, nrows);
    if (!arr)
        return err_set(e, E_NOMEM, "out of memory");
    if (b0->mode == INF_STR) {
        col->code = arr;
        col->dict = b0->dict;
        b0->dict = NULL;
    } else {
        col->num = arr;
    }
    for (size_t i = 0; i < npieces; i++) {
        colb *b = pieces[i];
        size_t n = i == 0 ? n0 : b->v.n;
        col->nmissing += b->nmissing;
        col->nbad += b->nbad;
        if (b->nbad && *first_bad == SIZE_MAX) {
            *first_bad = off + b->first_bad;
            col->bad_example = b->bad_example;
            b->bad_example = NULL;
        }
        if (i > 0) {
            err_code rc = merge_values(b, off, col, e);
            if (rc != E_OK)
                return rc;
        }
        off += n;
    }
    if (!col->dict && b0->mode == INF_STR)
        return sd_new(&col->dict, e);
    return E_OK;
}
