#include "dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void ds_free(dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->ncols; i++) {
        column *c = &ds->cols[i];
        free(c->name);
        free(c->num);
        free(c->code);
        sd_free(c->dict);
        free(c->bad_example);
    }
    free(ds->cols);
    free(ds->source);
    free(ds);
}

int ds_col_find(const dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->ncols; i++)
        if (strcmp(ds->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

int ds_col_find_nocase(const dataset *ds, const char *name)
{
    for (size_t i = 0; i < ds->ncols; i++)
        if (strcasecmp(ds->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool ds_is_missing(const dataset *ds, int col, size_t row)
{
    const column *c = &ds->cols[col];
    if (c->num)
        return isnan(c->num[row]);
    return c->code[row] == CODE_NA;
}

static void format_time(double t, char *buf, size_t size)
{
    time_t s = (time_t)floor(t);
    struct tm tm;
    if (!gmtime_r(&s, &tm)) {
        snprintf(buf, size, "%.0f", t);
        return;
    }
    if (tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0)
        strftime(buf, size, "%Y-%m-%d", &tm);
    else
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *ds_cell_text(const dataset *ds, int col, size_t row, char *buf, size_t size)
{
    const column *c = &ds->cols[col];
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (ds_is_missing(ds, col, row))
        return buf;
    switch (c->type) {
    case COL_NUM:
        snprintf(buf, size, "%.10g", c->num[row]);
        break;
    case COL_TIME:
        format_time(c->num[row], buf, size);
        break;
    case COL_CAT:
    case COL_TEXT: {
        const char *v = sd_str(c->dict, c->code[row]);
        size_t n = sd_len(c->dict, c->code[row]);
        if (n >= size) { /* cut before a UTF-8 sequence, never inside one */
            n = size - 1;
            while (n > 0 && ((unsigned char)v[n] & 0xC0u) == 0x80u)
                n--;
        }
        memcpy(buf, v, n);
        buf[n] = '\0';
        break;
    }
    }
    return buf;
}

size_t ds_bytes(const dataset *ds)
{
    size_t n = sizeof *ds + ds->ncols * sizeof *ds->cols;
    for (size_t i = 0; i < ds->ncols; i++) {
        const column *c = &ds->cols[i];
        if (c->num)
            n += ds->nrows * sizeof *c->num;
        if (c->code)
            n += ds->nrows * sizeof *c->code;
        if (c->dict)
            n += sd_bytes(c->dict) + sd_count(c->dict) * 16;
    }
    return n;
}

const char *col_type_name(col_type t)
{
    static const char *const names[] = {"numeric", "categorical", "text", "time"};
    return names[t];
}

const char *col_role_name(col_role r)
{
    static const char *const names[] = {"feature",    "id",   "label", "prediction",
                                        "score",      "text", "time"};
    return names[r];
}
