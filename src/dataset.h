/* dataset: the loaded prediction file in columnar form.
 * A dataset is built by the loader (loader.h), given roles by role_detect (roles.h), and is
 * read-only from then on: everyone else holds a const dataset *. main owns it and frees it
 * last. Rows are indexed 0..nrows-1; row i is data row i + 1 of the file (1-based, header
 * excluded), which is what reports call "row". */
#ifndef SRC_DATASET_H
#define SRC_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "strdict.h"

typedef enum {
    COL_NUM,  /* double per row, NAN = missing */
    COL_CAT,  /* uint32 code per row into dict, CODE_NA = missing */
    COL_TEXT, /* free text: code per row into dict (identical texts stored once), CODE_NA = missing */
    COL_TIME  /* epoch seconds (UTC) as double per row, NAN = missing */
} col_type;

typedef enum {
    ROLE_FEATURE,
    ROLE_ID,
    ROLE_LABEL,
    ROLE_PRED,
    ROLE_SCORE,
    ROLE_TEXT,
    ROLE_TIME
} col_role;

typedef struct column {
    char *name; /* owned; as written in the header (BOM removed) */
    col_type type;
    col_role role;
    double *num;    /* owned; COL_NUM and COL_TIME, else NULL */
    uint32_t *code; /* owned; COL_CAT and COL_TEXT, else NULL */
    strdict *dict;  /* owned; COL_CAT and COL_TEXT, else NULL */
    size_t nmissing; /* cells that are missing (empty or a missing token), bad cells included */
    size_t nbad;     /* non-missing cells that did not parse as the column's type; stored as missing */
    size_t first_bad_line; /* physical line (1-based) of the first bad cell; 0 when nbad == 0 */
    char *bad_example;     /* owned; the first bad cell's text (truncated), NULL when nbad == 0 */
    bool is_integer;       /* COL_NUM: every non-missing value is a whole number */
} column;

typedef struct dataset {
    char *source;  /* owned; file path as given ("-" for standard input) */
    size_t nrows, ncols;
    column *cols;  /* owned; ncols entries */
    size_t nbytes; /* bytes of input read */
    char delimiter;
} dataset;

/* Frees everything; NULL is a no-op. */
void ds_free(dataset *ds);
/* Index of the column named exactly name, or -1. */
int ds_col_find(const dataset *ds, const char *name);
/* Index of the column whose name equals name ignoring ASCII case, or -1 (first match). */
int ds_col_find_nocase(const dataset *ds, const char *name);
/* True when the cell is missing. */
bool ds_is_missing(const dataset *ds, int col, size_t row);
/* Writes the cell's text into buf (at most size bytes, NUL-terminated): numbers with %.10g,
 * times as ISO-8601 UTC, categories and texts as stored; "" when missing. Returns buf. */
const char *ds_cell_text(const dataset *ds, int col, size_t row, char *buf, size_t size);
/* Approximate bytes held by the dataset (for memory figures). */
size_t ds_bytes(const dataset *ds);
const char *col_type_name(col_type t);
const char *col_role_name(col_role r);

#endif
