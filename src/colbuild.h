/* colbuild: one thread's values of one column while a file is read.
 * Numbers and times go into a vec of doubles, strings into a thread-local strdict plus a
 * vec of codes; missing and bad cells are counted. The loader merges the
 * pieces of all threads at the end. Held by value: colb_init / colb_done. */
#ifndef SRC_COLBUILD_H
#define SRC_COLBUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "dataset.h"
#include "err.h"
#include "infer.h"
#include "numparse.h"
#include "strdict.h"
#include "vec.h"

typedef enum {
    COLB_OK = 0,
    COLB_NOMEM,
    COLB_UTF8, /* a string cell is not valid UTF-8; colb.utf8_at says where */
    COLB_FULL  /* more distinct strings than codes */
} colb_status;

/* A direct-mapped cache of short strings (up to 8 bytes, the usual category label) to
 * their codes: a hit costs one 64-bit compare instead of a hash, a probe and a memcmp. */
#define COLB_CACHE 1024

typedef struct colb_short {
    uint64_t key; /* the string's bytes, zero-padded */
    uint32_t code;
    uint32_t len; /* length + 1; 0 = empty entry */
} colb_short;

typedef struct colb {
    inf_mode mode;
    bool epoch;           /* INF_TIME: plain numbers are epoch seconds */
    const inf_na *na;     /* borrowed */
    vec v;                /* doubles (INF_NUM, INF_TIME) or uint32 codes (INF_STR), one per row */
    strdict *dict;        /* owned; INF_STR */
    size_t nmissing;      /* empty cells and missing tokens */
    size_t nbad;          /* non-missing cells that did not parse (stored as NAN) */
    size_t first_bad;     /* row of the first bad cell within this piece; SIZE_MAX if none */
    char *bad_example;    /* owned; its text, shortened (inf_example) */
    size_t utf8_at;       /* after COLB_UTF8: offset of the invalid byte in the cell */
    colb_short *cache;    /* owned; INF_STR, COLB_CACHE entries */
} colb;

err_code colb_init(colb *c, inf_mode mode, bool epoch, const inf_na *na, err *e);
void colb_done(colb *c);

/* Adds the cell of row `row` (the rows of a piece arrive in order, from 0). s[len] must be
 * readable and NUL (libcsv's CSV_APPEND_NULL). String cells are checked for UTF-8 once per
 * distinct value, when first interned. */
colb_status colb_cell_slow(colb *c, const char *s, size_t len, size_t row);

static inline colb_status colb_cell(colb *c, const char *s, size_t len, size_t row)
{
    double v;
    /* The common case, a number in a numeric column, without a call. */
    if (c->mode == INF_NUM && np_parse(s, len, &v))
        return vec_push_f64(&c->v, v) == E_OK ? COLB_OK : COLB_NOMEM;
    return colb_cell_slow(c, s, len, row);
}

/* Joins one column's pieces (in file order) into col: col->num, or col->code and col->dict
 * (the first piece's dictionary absorbs the others', whose codes are remapped), plus
 * nmissing, nbad and bad_example. *first_bad receives the row of the first bad cell, or
 * SIZE_MAX. The pieces are emptied (colb_done still frees what is left). The first piece's
 * array becomes the column without a copy. E_NOMEM (or E_RANGE from the dictionary). */
err_code colb_merge(colb *const *pieces, size_t npieces, size_t nrows, column *col,
                    size_t *first_bad, err *e);

#endif
