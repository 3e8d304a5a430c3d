/* ldreport: a load's errors, kept as data while threads parse and turned into messages
 * with physical line numbers afterwards ("data.csv:41: expected 7 fields, got 6"). The
 * lines come from a rescan of the input (linemap), so the parsing path never counts them. */
#ifndef SRC_LDREPORT_H
#define SRC_LDREPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ldsource.h"

typedef enum {
    LREP_NONE,
    LREP_NOMEM,
    LREP_IO,           /* eno */
    LREP_STRICT,       /* malformed quoting at byte off */
    LREP_RAGGED,       /* record rec has got fields */
    LREP_UTF8,         /* column col of record rec, byte utf8_at of the cell */
    LREP_FULL,         /* column col has too many distinct values */
    LREP_UNTERMINATED, /* the input ends inside quotes */
    LREP_CANCEL
} lrep_kind;

typedef struct lrep_fault {
    lrep_kind kind;
    size_t rec; /* record index within the piece (0 = the header in the first piece) */
    size_t off; /* absolute byte offset */
    size_t col, got, utf8_at;
    int eno;     /* LREP_IO: errno, or -1 when the file shrank */
    bool quoted; /* LREP_STRICT: inside a quoted field (text after the closing quote) */
    bool nul;    /* LREP_UTF8: the bad byte is a NUL */
} lrep_fault;

/* A record boundary whose line and record index are known, where a rescan can start. */
typedef struct lrep_anchor {
    size_t off;  /* absolute byte offset of the record start */
    size_t rec;  /* records before it (the header included) */
    size_t line; /* its physical line */
} lrep_anchor;

/* What a message needs to know about the input. */
typedef struct lrep_where {
    const lsrc *src; /* borrowed */
    char delim;
    size_t start;             /* first byte after the byte-order mark */
    const char *const *names; /* borrowed; column names, or NULL before the header is read */
    size_t ncols;
    const lrep_anchor *anchors; /* borrowed; ascending, may be NULL (then: from the start) */
    size_t nanchors;
} lrep_where;

/* Rescans the input for the start lines of records recs[0..n) (ascending; 0 where a record
 * is not reached), the line of byte off_query (LM_NONE: none) and, when quote_line is
 * given, the line where a quoted field left open at the end began. The rescan starts at the
 * last anchor before everything asked for. E_IO, E_NOMEM. */
err_code lrep_lines(const lrep_where *w, const size_t *recs, size_t *lines, size_t n,
                    size_t off_query, size_t *off_line, size_t *quote_line, err *e);
/* The start line of one record, 0 if the rescan fails. */
size_t lrep_record_line(const lrep_where *w, size_t rec);
/* Sets e from x; rec_base is the number of records before the piece x comes from. Returns
 * the error code (E_PARSE, E_NOMEM, E_IO, E_RANGE or E_CANCEL). */
err_code lrep_fault_msg(const lrep_where *w, const lrep_fault *x, size_t rec_base, err *e);

#endif
