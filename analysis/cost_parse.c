/* cost_parse: reads a cost matrix file (format in costs.h). Cost files are a few lines, so a
 * small hand-written splitter that knows each cell's line and column serves better than the
 * bulk loader, whose messages are about data rows. */
#include "costs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COST_FILE (16u << 20) /* a matrix of 1,000 classes is ~10 MB of text */

typedef struct cell {
    char *s;     /* owned; unquoted text, trimmed of spaces around unquoted cells */
    size_t col;  /* 1-based byte column of the cell's first byte */
} cell;

typedef struct parser {
    const char *name;
    const char *p, *end;
    size_t line;   /* line of p (1-based) */
    size_t cur;    /* line of the cells read last */
    char delim;
    cell *cells;   /* owned; the current line's cells */
    size_t ncells, cap;
} parser;

static void free_cells(parser *ps)
{
    for (size_t i = 0; i < ps->ncells; i++)
        free(ps->cells[i].s);
    ps->ncells = 0;
}

static err_code push_cell(parser *ps, const char *s, size_t len, size_t col, err *e)
{
    if (ps->ncells == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 16;
        cell *c = realloc(ps->cells, cap * sizeof *c);
        if (!c)
            return err_set(e, E_NOMEM, "out of memory");
        ps->cells = c;
        ps->cap = cap;
    }
    char *t = malloc(len + 1);
    if (!t)
        return err_set(e, E_NOMEM, "out of memory");
    memcpy(t, s, len);
    t[len] = '\0';
    ps->cells[ps->ncells++] = (cell){t, col};
    return E_OK;
}

/* A quoted cell starting at q (the opening quote); *out receives the text, *next the byte
 * after the closing quote. */
static err_code quoted_cell(parser *ps, const char *q, const char *line_start, const char **next,
                            size_t *len_out, char *buf, err *e)
{
    size_t len = 0;
    const char *p = q + 1;
    for (;;) {
        if (p >= ps->end || *p == '\n' || *p == '\r')
            return err_set(e, E_PARSE, "%s:%zu:%zu: unterminated quoted cell", ps->name,
                           ps->cur, (size_t)(q - line_start) + 1);
        if (*p == '"') {
            if (p + 1 < ps->end && p[1] == '"') {
                buf[len++] = '"';
                p += 2;
                continue;
            }
            break;
        }
        buf[len++] = *p++;
    }
    *next = p + 1;
    *len_out = len;
    return E_OK;
}

/* Splits the line [start, eol) into cells. */
static err_code split_line(parser *ps, const char *start, const char *eol, err *e)
{
    free_cells(ps);
    char *buf = malloc((size_t)(eol - start) + 1);
    if (!buf)
        return err_set(e, E_NOMEM, "out of memory");
    const char *p = start;
    err_code rc = E_OK;
    for (;;) {
        while (p < eol && *p == ' ')
            p++;
        const char *cs = p;
        size_t len = 0;
        if (p < eol && *p == '"') {
            if ((rc = quoted_cell(ps, p, start, &p, &len, buf, e)) != E_OK)
                break;
            while (p < eol && *p == ' ')
                p++;
            if (p < eol && *p != ps->delim) {
                rc = err_set(e, E_PARSE, "%s:%zu:%zu: text after a closing quote", ps->name,
                             ps->cur, (size_t)(p - start) + 1);
                break;
            }
        } else {
            const char *q = p;
            while (q < eol && *q != ps->delim)
                q++;
            const char *t = q;
            while (t > p && (t[-1] == ' ' || t[-1] == '\r'))
                t--;
            len = (size_t)(t - p);
            memcpy(buf, p, len);
            p = q;
        }
        if ((rc = push_cell(ps, buf, len, (size_t)(cs - start) + 1, e)) != E_OK)
            break;
        if (p >= eol)
            break;
        p++; /* the delimiter */
    }
    free(buf);
    return rc;
}

/* The next line that is neither blank nor a comment, split into cells; false at the end. */
static err_code next_line(parser *ps, bool *got, err *e)
{
    *got = false;
    while (ps->p < ps->end) {
        const char *start = ps->p, *eol = memchr(start, '\n', (size_t)(ps->end - start));
        if (!eol)
            eol = ps->end;
        ps->p = eol < ps->end ? eol + 1 : ps->end;
        ps->cur = ps->line++;
        const char *q = start;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == eol || *q == '#')
            continue;
        *got = true;
        if (eol > start && eol[-1] == '\r') /* CRLF line ends */
            eol--;
        return split_line(ps, start, eol, e);
    }
    return E_OK;
}

static uint32_t class_index(const char *s, const char *const *classes, uint32_t nclass)
{
    for (uint32_t k = 0; k < nclass; k++)
        if (strcmp(s, classes[k]) == 0)
            return k;
    return UINT32_MAX;
}

static err_code unknown_class(const parser *ps, const cell *c, const char *const *classes,
                              uint32_t nclass, err *e)
{
    char list[200] = "";
    size_t len = 0;
    for (uint32_t k = 0; k < nclass && len + 1 < sizeof list; k++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "",
                                classes[k]);
    return err_set(e, E_PARSE, "%s:%zu:%zu: unknown class '%s' (classes: %s)", ps->name,
                   ps->cur, c->col, c->s, list);
}

/* Header: col_class[j] = class of the (j+1)-th cell. */
static err_code read_header(parser *ps, uint32_t *col_class, const char *const *classes,
                            uint32_t nclass, err *e)
{
    bool *seen = calloc(nclass ? nclass : 1, sizeof *seen);
    if (!seen)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = E_OK;
    if (ps->ncells - 1 != nclass)
        rc = err_set(e, E_PARSE, "%s:%zu:1: the header names %zu classes, the data has %u",
                     ps->name, ps->cur, ps->ncells - 1, nclass);
    for (size_t j = 1; rc == E_OK && j < ps->ncells; j++) {
        const cell *c = &ps->cells[j];
        uint32_t k = class_index(c->s, classes, nclass);
        if (k == UINT32_MAX)
            rc = unknown_class(ps, c, classes, nclass, e);
        else if (seen[k])
            rc = err_set(e, E_PARSE, "%s:%zu:%zu: class '%s' has a second column", ps->name,
                         ps->cur, c->col, c->s);
        else
            seen[k] = true;
        col_class[j - 1] = k;
    }
    free(seen);
    return rc;
}

static err_code read_row(parser *ps, cost_matrix *m, const uint32_t *col_class, bool *row_seen,
                         const char *const *classes, err *e)
{
    if (ps->ncells != m->k + 1) {
        size_t col = ps->ncells > m->k + 1 ? ps->cells[m->k + 1].col : 1;
        return err_set(e, E_PARSE, "%s:%zu:%zu: expected %u cells, got %zu", ps->name,
                       ps->cur, col, m->k + 1, ps->ncells);
    }
    const cell *name = &ps->cells[0];
    uint32_t t = class_index(name->s, classes, m->k);
    if (t == UINT32_MAX)
        return unknown_class(ps, name, classes, m->k, e);
    if (row_seen[t])
        return err_set(e, E_PARSE, "%s:%zu:%zu: class '%s' has a second row", ps->name,
                       ps->cur, name->col, name->s);
    row_seen[t] = true;
    for (uint32_t j = 0; j < m->k; j++) {
        const cell *c = &ps->cells[j + 1];
        char *endp;
        errno = 0;
        double v = strtod(c->s, &endp);
        if (!c->s[0] || *endp || errno == ERANGE || !isfinite(v))
            return err_set(e, E_PARSE, "%s:%zu:%zu: expected a finite number, got '%s'",
                           ps->name, ps->cur, c->col, c->s);
        m->c[(size_t)t * m->k + col_class[j]] = v;
    }
    return E_OK;
}

static char detect_delim(const char *buf, size_t len)
{
    const char *eol = memchr(buf, '\n', len);
    size_t n = eol ? (size_t)(eol - buf) : len;
    const char cand[] = {',', ';', '\t'};
    for (size_t i = 0; i < sizeof cand; i++)
        if (memchr(buf, cand[i], n))
            return cand[i];
    return ',';
}

static err_code parse_all(parser *ps, cost_matrix *m, const char *const *classes,
                          uint32_t *col_class, bool *row_seen, err *e)
{
    bool got;
    err_code rc = next_line(ps, &got, e);
    if (rc != E_OK)
        return rc;
    if (!got)
        return err_set(e, E_PARSE, "%s: no header line", ps->name);
    if ((rc = read_header(ps, col_class, classes, m->k, e)) != E_OK)
        return rc;
    for (;;) {
        if ((rc = next_line(ps, &got, e)) != E_OK || !got)
            break;
        if ((rc = read_row(ps, m, col_class, row_seen, classes, e)) != E_OK)
            return rc;
    }
    if (rc != E_OK)
        return rc;
    for (uint32_t k = 0; k < m->k; k++)
        if (!row_seen[k])
            return err_set(e, E_PARSE, "%s: no row for true class '%s'", ps->name,
                           classes[k]);
    return E_OK;
}

err_code cost_matrix_parse(cost_matrix *m, const char *name, const char *buf, size_t len,
                           const char *const *classes, uint32_t nclass, err *e)
{
    memset(m, 0, sizeof *m);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte-order mark */
        buf += 3;
        len -= 3;
    }
    parser ps = {.name = name, .p = buf, .end = buf + len, .line = 1,
                 .delim = detect_delim(buf, len)};
    m->k = nclass;
    m->c = calloc((size_t)nclass * nclass + 1, sizeof *m->c);
    uint32_t *col_class = malloc((nclass + 1) * sizeof *col_class);
    bool *row_seen = calloc(nclass + 1, sizeof *row_seen);
    err_code rc = E_NOMEM;
    if (!m->c || !col_class || !row_seen)
        err_set(e, E_NOMEM, "out of memory");
    else
        rc = parse_all(&ps, m, classes, col_class, row_seen, e);
    free_cells(&ps);
    free(ps.cells);
    free(col_class);
    free(row_seen);
    if (rc != E_OK)
        cost_matrix_done(m);
    return rc;
}

err_code cost_matrix_load(cost_matrix *m, const char *path, const char *const *classes,
                          uint32_t nclass, err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, E_IO, "%s: %s", path, strerror(errno));
    size_t len = 0, cap = 0;
    char *buf = NULL;
    bool nomem = false;
    while (!feof(f) && !ferror(f) && len <= MAX_COST_FILE) {
        if (len == cap) {
            char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (!nb) {
                nomem = true;
                break;
            }
            buf = nb;
        }
        len += fread(buf + len, 1, cap - len, f);
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    err_code rc;
    if (nomem)
        rc = err_set(e, E_NOMEM, "out of memory");
    else if (bad)
        rc = err_set(e, E_IO, "%s: read error", path);
    else if (len > MAX_COST_FILE)
        rc = err_set(e, E_RANGE, "%s: larger than %u bytes; a cost matrix is a small table",
                     path, MAX_COST_FILE);
    else
        rc = cost_matrix_parse(m, path, buf ? buf : "", len, classes, nclass, e);
    free(buf);
    return rc;
}
