#include "colbuild.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "utf8.h"

err_code colb_init(colb *c, inf_mode mode, bool epoch, const inf_na *na, err *e)
{
    c->mode = mode;
    c->epoch = epoch;
    c->na = na;
    chv_init(&c->v, mode == INF_STR ? sizeof(uint32_t) : sizeof(double));
    c->dict = NULL;
    c->nmissing = c->nbad = 0;
    c->first_bad = SIZE_MAX;
    c->bad_example = NULL;
    c->utf8_at = 0;
    if (mode == INF_STR)
        return sd_new(&c->dict, e);
    return E_OK;
}

void colb_done(colb *c)
{
    chv_done(&c->v);
    sd_free(c->dict);
    c->dict = NULL;
    free(c->bad_example);
    c->bad_example = NULL;
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
    if (chv_push_f64(&c->v, v) != E_OK)
        return COLB_NOMEM;
    return st;
}

static colb_status string_cell(colb *c, const char *s, size_t len)
{
    uint32_t code = CODE_NA;
    if (inf_is_na(c->na, s, len)) {
        c->nmissing++;
    } else {
        uint32_t before = sd_count(c->dict);
        err_code rc = sd_intern(c->dict, s, len, &code, NULL);
        if (rc != E_OK)
            return rc == E_NOMEM ? COLB_NOMEM : COLB_FULL;
        if (code == before) {
            size_t at = u8_check(s, len);
            if (at < len) {
                c->utf8_at = at;
                return COLB_UTF8;
            }
        }
    }
    return chv_push_u32(&c->v, code) == E_OK ? COLB_OK : COLB_NOMEM;
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
