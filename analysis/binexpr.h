/* binexpr: filter expressions (filter.h syntax) that select exactly the rows of a bin of a
 * slicing dimension, so that "dive" on a slice, a heatmap cell or a ranking entry can push
 * a filter, and so that a benchmark can make selective filters for any file. Numbers are
 * written so that they read back as the same double. Every function writes at most size
 * bytes (NUL-terminated when size > 0) and returns the length the whole text needs, as
 * snprintf does; 0 means the bin has no expression. */
#ifndef ANALYSIS_BINEXPR_H
#define ANALYSIS_BINEXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binning.h"
#include "dataset.h"

/* The field a dimension reads: a (quoted) column name, tokens(col), label, pred,
 * confidence or outcome. */
size_t bx_field(const binning *b, const dataset *ds, uint32_t dim, char *buf, size_t size);
/* The rows of bin `bin` of dimension dim; 0 for the pooled "(other)" of a column with
 * tens of thousands of levels. */
size_t bx_bin(const binning *b, const dataset *ds, uint32_t dim, uint32_t bin, char *buf,
              size_t size);
/* Values of dimension dim's field in (lo, hi], or [lo, hi] when lo_closed. */
size_t bx_range(const binning *b, const dataset *ds, uint32_t dim, double lo, double hi,
                bool lo_closed, char *buf, size_t size);
/* Rows whose value is present and in none of the given level or value bins of dim; 0 when
 * the dimension's bins are not levels or values. */
size_t bx_not_in(const binning *b, const dataset *ds, uint32_t dim, const uint32_t *bins,
                 size_t nbins, char *buf, size_t size);
/* Rows where dim's field is missing. */
size_t bx_missing(const binning *b, const dataset *ds, uint32_t dim, char *buf, size_t size);

#endif
