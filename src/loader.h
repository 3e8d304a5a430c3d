/* loader: reads a delimited text file (RFC 4180 CSV through libcsv) into a dataset.
 * Types are inferred from all rows: numeric (a column whose cells parse as numbers, allowing
 * a few bad cells that are stored as missing, counted and reported), time (ISO-8601 dates or
 * date-times; plain epoch numbers only in the column named by opts->time_col), text (free
 * text: most values contain white space and there are many distinct ones, or named by
 * opts->text_col) and categorical (the rest). Large files are parsed on all cores.
 * Errors name the file, the physical line and the column: "data.csv:41: expected 7 fields,
 * got 6". */
#ifndef SRC_LOADER_H
#define SRC_LOADER_H

#include <stddef.h>

#include "dataset.h"
#include "err.h"

/* Called now and then during a load (from the calling thread); a nonzero return cancels
 * the load with E_CANCEL. bytes_total is 0 when unknown (standard input). */
typedef int (*ld_progress_fn)(void *ctx, size_t bytes_done, size_t bytes_total, size_t rows);

typedef struct ld_opts {
    char delimiter;          /* 0: detect among , ; TAB | from the header line */
    const char *const *na;   /* borrowed; extra missing-value tokens (case-insensitive) */
    size_t nna;
    const char *const *time_cols; /* borrowed; columns that are time even as plain epoch numbers */
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
 * UTF-8, duplicate or empty header, no data rows), E_NOMEM, E_CANCEL. */
err_code ld_csv_file(dataset **out, const char *path, const ld_opts *o, err *e);

/* The same from memory; name is used in messages and as the dataset's source. */
err_code ld_csv_mem(dataset **out, const char *name, const char *buf, size_t len,
                    const ld_opts *o, err *e);

#endif
