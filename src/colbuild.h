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
    COLB_DEFERRED, /* a long string kept for colb_flush, which must run before the row ends */
    COLB_NOMEM,
    COLB_UTF8, /* a string cell is not valid UTF-8; colb.utf8_at says where */
    COLB_FULL  /* more distinct strings than codes */
} colb_status;

/* A direct-mapped cache of short strings (up to 8 bytes, the usual category label) to
 * their codes: a hit costs one 64-bit compare instead of a hash, a probe and a memcmp.
 * Allocated on first use, so that a file with thousands of columns pays only for those
 * that hold short strings. */
#define COLB_CACHE_BITS 9
#define COLB_CACHE (1u << COLB_CACHE_BITS)

typedef struct colb_short {
    uint64_t key; /* the string's bytes, zero-padded */
    uint32_t code;
    uint32_t len; /* length + 1; 0 = empty entry */
} colb_short;

typedef struct colb {
    inf_mode mode;
    bool epoch;        /* INF_TIME: plain numbers are epoch seconds */
    const inf_na *na;  /* borrowed */
    vec v;             /* doubles (INF_NUM, INF_TIME) or uint32 codes (INF_STR), one per row */
    strdict *dict;     /* owned; INF_STR */
    size_t nmissing;   /* empty cells and missing tokens */
    size_t nbad;       /* non-missing cells that did not parse (stored as NAN) */
    size_t first_bad;  /* row of the first bad cell within this piece; SIZE_MAX if none */
    char *bad_example; /* owned; its text, shortened (inf_example) */
    size_t utf8_at;    /* after COLB_UTF8: offset of the invalid byte in the cell */
    bool utf8_nul;     /* after COLB_UTF8: the invalid byte is a NUL */
    size_t err_row;    /* after an error: the row of the cell */
    colb_short *cache; /* owned; INF_STR, COLB_CACHE entries once a short string came */
    /* A long string waits here while the rest of its row is parsed: its index slot is
     * fetched meanwhile, which hides a cache miss per cell in a large text column. */
    char *pend; /* owned; the string's bytes */
    size_t pend_len, pend_cap, pend_row;
    uint32_t pend_hash;
    bool has_pend;
} colb;

err_code colb_init(colb *c, inf_mode mode, bool epoch, const inf_na *na, err *e);
void colb_done(colb *c);

/* Adds the cell of row `row` (the rows of a piece arrive in order, from 0). s[len] must be
 * readable and NUL (libcsv's CSV_APPEND_NULL). String cells are checked for UTF-8 once per
 * distinct value, when first interned. COLB_DEFERRED: the cell is stored by colb_flush,
 * which the caller runs before the next cell of this column (at the end of the row). */
colb_status colb_cell_slow(colb *c, const char *s, size_t len, size_t row);

/* Stores a deferred cell, if any. Errors as colb_cell. */
colb_status colb_flush(colb *c);

static inline colb_status colb_cell(colb *c, const char *s, size_t len, size_t row)
{
    double v;
    /* The common case, a number in a numeric column, without a call. */
    if (c->mode == INF_NUM && np_parse(s, len, &v)) {
        if (vec_push_f64(&c->v, v) == E_OK)
            return COLB_OK;
        c->err_row = row;
        return COLB_NOMEM;
    }
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
