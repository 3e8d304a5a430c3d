#include "colbuild.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prefault.h"
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
    c->pend = NULL;
    c->pend_len = c->pend_cap = c->pend_row = 0;
    c->pend_hash = 0;
    c->has_pend = false;
    c->utf8_nul = false;
    c->err_row = 0;
    if (mode != INF_STR)
        return E_OK;
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
    free(c->pend);
    c->pend = NULL;
    c->has_pend = false;
}

static colb_status utf8_error(colb *c, const char *s, size_t len, size_t at)
{
    c->utf8_at = at;
    c->utf8_nul = at < len && s[at] == '\0';
    return COLB_UTF8;
}

/* A cell that is neither missing nor of the column's type. Its text is kept only for the
 * first one; every bad cell is checked for UTF-8 since it is a string after all. */
static colb_status bad_cell(colb *c, const char *s, size_t len, size_t row)
{
    size_t at = u8_check(s, len);
    if (at < len)
        return utf8_error(c, s, len, at);
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

static colb_status intern(colb *c, const char *s, size_t len, uint32_t hash, uint32_t *code)
{
    uint32_t before = sd_count(c->dict);
    err_code rc = sd_intern_hashed(c->dict, s, len, hash, code, NULL);
    if (rc != E_OK)
        return rc == E_NOMEM ? COLB_NOMEM : COLB_FULL;
    if (*code == before) {
        size_t at = u8_check(s, len);
        if (at < len)
            return utf8_error(c, s, len, at);
    }
    return COLB_OK;
}

/* Keeps a long string until colb_flush, prefetching its index slot. */
static colb_status defer(colb *c, const char *s, size_t len, size_t row)
{
    if (len > c->pend_cap) {
        size_t cap = c->pend_cap ? c->pend_cap : 256;
        while (cap < len)
            cap *= 2;
        char *p = realloc(c->pend, cap);
        if (!p)
            return COLB_NOMEM;
        c->pend = p;
        c->pend_cap = cap;
    }
    memcpy(c->pend, s, len);
    c->pend_len = len;
    c->pend_row = row;
    c->pend_hash = sd_hash(s, len);
    c->has_pend = true;
    sd_prefetch(c->dict, c->pend_hash);
    return COLB_DEFERRED;
}

colb_status colb_flush(colb *c)
{
    if (!c->has_pend)
        return COLB_OK;
    c->has_pend = false;
    uint32_t code;
    colb_status st = intern(c, c->pend, c->pend_len, c->pend_hash, &code);
    if (st == COLB_OK && vec_push_u32(&c->v, code) != E_OK)
        st = COLB_NOMEM;
    if (st != COLB_OK)
        c->err_row = c->pend_row;
    return st;
}

static colb_status string_cell(colb *c, const char *s, size_t len, size_t row)
{
    uint32_t code = CODE_NA;
    colb_status st = COLB_OK;
    if (c->has_pend && (st = colb_flush(c)) != COLB_OK) /* a skipped flush: keep rows in order */
        return st;
    if (inf_is_na(c->na, s, len)) {
        c->nmissing++;
    } else if (len <= 8) {
        if (!c->cache && !(c->cache = calloc(COLB_CACHE, sizeof *c->cache))) {
            c->err_row = row;
            return COLB_NOMEM;
        }
        uint64_t key = 0;
        memcpy(&key, s, len);
        colb_short *slot =
            &c->cache[((key + len) * 0x9E3779B97F4A7C15ull) >> (64 - COLB_CACHE_BITS)];
        if (slot->len == len + 1 && slot->key == key) {
            code = slot->code;
        } else if ((st = intern(c, s, len, sd_hash(s, len), &code)) == COLB_OK) {
            *slot = (colb_short){key, code, (uint32_t)len + 1};
        }
    } else {
        return defer(c, s, len, row);
    }
    if (st == COLB_OK && vec_push_u32(&c->v, code) != E_OK)
        st = COLB_NOMEM;
    if (st != COLB_OK)
        c->err_row = row;
    return st;
}

colb_status colb_cell_slow(colb *c, const char *s, size_t len, size_t row)
{
    double v = 0;
    bool ok;
    colb_status st = COLB_OK;
    switch (c->mode) {
    case INF_NUM:
        ok = len > 0 && np_parse(s, len, &v);
        st = number_cell(c, s, len, row, ok, v);
        break;
    case INF_TIME:
        ok = len > 0 && inf_parse_time(s, len, c->epoch, &v);
        st = number_cell(c, s, len, row, ok, v);
        break;
    case INF_STR:
        st = string_cell(c, s, len, row);
        break;
    default:
        break;
    }
    if (st >= COLB_NOMEM && c->mode != INF_STR)
        c->err_row = row;
    return st;
}

/* Appends a later piece's values at row off of the column. */
static err_code merge_values(colb *b, size_t off, column *col, err *e)
{
    size_t n = b->v.n;
    pf_write(b->mode == INF_STR ? (void *)(col->code + off) : (void *)(col->num + off),
             n * b->v.size);
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
#ifndef NDEBUG
    size_t total = 0; /* every cell stored, every row accounted for */
    for (size_t i = 0; i < npieces; i++) {
        assert(!pieces[i]->has_pend);
        total += pieces[i]->v.n;
    }
    assert(total == nrows);
#endif
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
