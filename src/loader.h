/* loader: reads a delimited text file (RFC 4180 CSV through libcsv) into a dataset.
 * Types are inferred from all rows: numeric (a column whose cells parse as numbers, allowing
 * a few bad cells that are stored as missing, counted and reported), time (ISO-8601 dates or
 * date-times; plain epoch numbers only in the columns named in opts->time_cols), text (free
 * text: most values contain white space and there are many distinct ones, or named in
 * opts->text_cols) and categorical (the rest); infer.h has the exact rules. Large files are
 * parsed on all cores.
 * Errors name the file, the physical line and the column: "data.csv:41: expected 7 fields,
 * got 6". Input rules: a UTF-8 byte-order mark is dropped; blank lines (and lines of spaces)
 * are skipped, as libcsv does, so a one-column file cannot hold an unquoted empty cell;
 * spaces around unquoted fields are trimmed; an empty header name becomes column_N (N its
 * 1-based position); every string cell must be valid UTF-8 without NUL bytes. */
#ifndef SRC_LOADER_H
#define SRC_LOADER_H

#include <stddef.h>

#include "dataset.h"
#include "err.h"

/* Called now and then during a load (from the calling thread); a nonzero return cancels
 * the load with E_CANCEL. bytes_total is 0 when unknown (standard input). */
typedef int (*ld_progress_fn)(void *ctx, size_t bytes_done, size_t bytes_total, size_t rows);

typedef struct ld_opts {
    char delimiter;        /* 0: detect among , ; TAB | from the header line */
    const char *const *na; /* borrowed; extra missing-value tokens (case-insensitive) */
    size_t nna;
    const char *const *time_cols; /* borrowed; columns that are time even as plain epoch numbers
                                   * (names match exactly, else ignoring ASCII case) */
    size_t ntime_cols;
    const char *const *text_cols; /* borrowed; columns forced to free text */
    size_t ntext_cols;
    int threads;             /* 0: one per core */
    ld_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} ld_opts;

/* Sets the defaults (auto delimiter, no extra tokens, all cores, no progress). */
void ld_opts_init(ld_opts *o);

/* Loads path ("-" reads standard input). On success *out is a new dataset owned by the
 * caller. Errors: E_IO (cannot open or read), E_PARSE (malformed CSV, ragged row, invalid
 * UTF-8, duplicate header names, empty file, no data rows), E_USAGE (a column named in
 * time_cols or text_cols does not exist; a quote or line end given as delimiter), E_RANGE
 * (more than 2^32 - 2 rows or distinct values), E_NOMEM, E_CANCEL. Standard input is read
 * once, as it arrives, and copied to an unlinked file in $TMPDIR (default /tmp) for line
 * numbers and for a second read of columns that need one. */
err_code ld_csv_file(dataset **out, const char *path, const ld_opts *o, err *e);

/* The same from memory; name is used in messages and as the dataset's source. */
err_code ld_csv_mem(dataset **out, const char *name, const char *buf, size_t len, const ld_opts *o,
                    err *e);

#endif
