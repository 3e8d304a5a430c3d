/* infer: what a cell is (missing, a number, a time, a string) and which type a column gets.
 * Rules (all rows count, not a prefix):
 * - Missing: empty (also a quoted ""), NA, N/A, NaN, null, None, ? in any case, plus the
 *   caller's extra tokens.
 * - Numeric (or time): at least one non-missing cell parses and the cells that do not are
 *   at most 5% of the non-missing ones; those are stored as missing and counted as bad.
 * - Text: more than half of the distinct values contain white space and there are more
 *   than max(20, 10% of the non-missing cells) of them, or the column is named as text.
 * - Categorical: every other column of strings.
 * Plain numbers are times only in a column named as time. */
#ifndef SRC_INFER_H
#define SRC_INFER_H

#include <stdbool.h>
#include <stddef.h>

#include "dataset.h"
#include "err.h"

/* How the loader stores a column's cells while reading. */
typedef enum {
    INF_SKIP, /* not stored (a second pass over a few columns) */
    INF_NUM,  /* parsed as numbers; the text of numeric cells is not kept */
    INF_TIME, /* parsed as times */
    INF_STR   /* interned strings: lossless, decided at the end */
} inf_mode;

typedef struct inf_na {
    const char *const *extra; /* borrowed; the caller's extra missing tokens */
    size_t nextra;
} inf_na;

/* The full check; inf_is_na is the cheap filter in front of it. */
bool inf_is_na_token(const inf_na *na, const char *s, size_t len);

static inline bool inf_is_na(const inf_na *na, const char *s, size_t len)
{
    if (len == 0)
        return true;
    /* Every built-in token is at most 4 bytes and starts with n, N or ?. */
    if (na->nextra == 0 && (len > 4 || ((s[0] | 0x20) != 'n' && s[0] != '?')))
        return false;
    return inf_is_na_token(na, s, len);
}
/* A time cell: ISO-8601, or (epoch true) a plain number of seconds. Same contract on s[len]
 * as np_parse. */
bool inf_parse_time(const char *s, size_t len, bool epoch, double *out);
/* The numeric rule: ok >= 1 parsed cells and bad <= 5% of ok + bad. */
bool inf_mostly(size_t ok, size_t bad);

/* Counts from the first rows, to choose how a column is read. */
typedef struct inf_sniff {
    size_t nonmissing, num, time;
} inf_sniff;

void inf_sniff_cell(inf_sniff *k, const inf_na *na, bool epoch, const char *s, size_t len);
/* NUM or TIME when the first rows follow the numeric rule, else STR (forced text: STR,
 * forced time: TIME). With no evidence it picks STR, which never loses text. */
inf_mode inf_sniff_mode(const inf_sniff *k, bool forced_text, bool forced_time);

/* Settles a column read as strings (code and dict set, nmissing counted): converts it to
 * COL_NUM or COL_TIME when the numeric rule holds (setting nbad, nmissing, bad_example and
 * *first_bad_row, else SIZE_MAX), or types it COL_TEXT or COL_CAT. E_NOMEM only; on error
 * the column is left as it was. Cost: one pass over the rows plus one parse per distinct
 * value. */
err_code inf_finish_str(column *col, size_t nrows, bool forced_text, bool forced_time,
                        size_t *first_bad_row, err *e);
/* Sets col->is_integer for a COL_NUM column. */
void inf_set_integer(column *col, size_t nrows);
/* A copy of a bad cell for messages: at most about 40 bytes, cut on a character boundary,
 * "..." appended when cut. NULL when out of memory. */
char *inf_example(const char *s, size_t len);

#endif
