#include "ldreport.h"

#include <stdlib.h>

#include "linemap.h"

#define SCAN_CHUNK ((size_t)1 << 20)

err_code lrep_lines(const lrep_where *w, const size_t *recs, size_t *lines, size_t n,
                    size_t off_query, size_t *off_line, size_t *quote_line, err *e)
{
    const lsrc *src = w->src;
    lrep_anchor from = {w->start, 0, 1};
    for (size_t i = 0; i < w->nanchors; i++) {
        const lrep_anchor *a = &w->anchors[i];
        if ((n > 0 && a->rec > recs[0]) || (off_query != LM_NONE && a->off > off_query))
            break;
        from = *a;
    }
    lm_scan s;
    lm_init(&s, w->delim, from.off, recs, lines, n, off_query);
    s.line = from.line;
    s.rec = from.rec;
    s.to_end = quote_line != NULL;
    char *buf = src->mem ? NULL : malloc(SCAN_CHUNK);
    if (!src->mem && !buf)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = E_OK;
    for (size_t off = from.off; off < src->size && !lm_done(&s);) {
        size_t k = src->size - off < SCAN_CHUNK ? src->size - off : SCAN_CHUNK;
        const char *data = NULL;
        int eno = lsrc_get(src, off, k, buf, &data);
        if (eno) {
            rc = lsrc_io_error(src, eno, e);
            break;
        }
        lm_feed(&s, data, k);
        off += k;
    }
    free(buf);
    if (off_line)
        *off_line = s.off_line;
    if (quote_line)
        *quote_line = lm_open_quote_line(&s);
    return rc;
}

size_t lrep_record_line(const lrep_where *w, size_t rec)
{
    size_t line = 0;
    lrep_lines(w, &rec, &line, 1, LM_NONE, NULL, NULL, NULL);
    return line;
}

static const char *col_name(const lrep_where *w, size_t c)
{
    return w->names && c < w->ncols && w->names[c] ? w->names[c] : "?";
}

err_code lrep_fault_msg(const lrep_where *w, const lrep_fault *x, size_t rec_base, err *e)
{
    const char *name = w->src->name;
    size_t line = 0;
    switch (x->kind) {
    case LREP_NOMEM:
        return err_set(e, E_NOMEM, "%s: out of memory", name);
    case LREP_IO:
        return lsrc_io_error(w->src, x->eno, e);
    case LREP_CANCEL:
        return err_set(e, E_CANCEL, "%s: loading cancelled", name);
    case LREP_STRICT:
        lrep_lines(w, NULL, NULL, 0, x->off, &line, NULL, NULL);
        if (x->quoted)
            return err_set(e, E_PARSE,
                           "%s:%zu: unexpected text after a closing quote (inside a quoted "
                           "field a quote must be doubled)",
                           name, line);
        return err_set(e, E_PARSE,
                       "%s:%zu: quote inside an unquoted field (quote the whole field and "
                       "double the quote)",
                       name, line);
    case LREP_RAGGED:
        line = lrep_record_line(w, rec_base + x->rec);
        return err_set(e, E_PARSE, "%s:%zu: expected %zu fields, got %zu", name, line, w->ncols,
                       x->got);
    case LREP_UTF8:
        line = lrep_record_line(w, rec_base + x->rec);
        return err_set(e, E_PARSE,
                       "%s:%zu: column %zu ('%s'): invalid UTF-8 (%s at byte %zu of the cell)",
                       name, line, x->col + 1, col_name(w, x->col),
                       x->nul ? "a NUL byte" : "bad byte", x->utf8_at + 1);
    case LREP_FULL:
        return err_set(e, E_RANGE, "%s: column %zu ('%s') has too many distinct values", name,
                       x->col + 1, col_name(w, x->col));
    case LREP_UNTERMINATED:
        lrep_lines(w, NULL, NULL, 0, LM_NONE, NULL, &line, NULL);
        return err_set(e, E_PARSE, "%s:%zu: unterminated quoted field (opened here, never closed)",
                       name, line);
    default:
        return E_OK;
    }
}
