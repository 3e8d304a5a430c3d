/* catslice: the error categories (categories.h) as slices of a selection: for each category
 * its rows, errors, error rate with the 95% Wilson interval, lift and the two-sided p-value
 * against the rest of the selection (the slice test of STATISTICS.md), as per-column slices
 * and tag slices have them. Categories overlap (a row can be unsure and on the boundary), so
 * they are not a binning dimension: each is its own two-way split of the selection, kept out
 * of the slice search, where "confidently wrong" (errors by definition) would crowd out the
 * slices worth finding. */
#ifndef ANALYSIS_CATSLICE_H
#define ANALYSIS_CATSLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bitmap.h"
#include "categories.h"
#include "err.h"
#include "outcome.h"

typedef struct cat_slice {
    size_t n, nerr;       /* evaluated rows of the selection in the category; errors */
    double rate, lo, hi;  /* error rate and its Wilson interval; NAN when n == 0 */
    double lift;          /* rate / the selection's error rate; NAN when that is 0 */
    double p;             /* NAN when n == 0 */
    bool small;           /* n < min_support */
} cat_slice;

/* out[k] for each category k over the evaluated rows of sel (NULL = all). */
void cat_slices(const cat_result *c, const outcome *o, const bitmap *sel, size_t min_support,
                cat_slice out[CAT_COUNT]);

/* Report writers: Markdown "### By category" table (to follow rpt_md_categories) and the
 * JSON fragment ',"category_slices":[{"category","rows","errors","error_rate","ci_lo",
 * "ci_hi","lift","p_value","small"},...]'. E_IO on a write error. */
err_code rpt_md_category_slices(FILE *f, const cat_slice s[CAT_COUNT], err *e);
err_code rpt_json_category_slices(FILE *f, const cat_slice s[CAT_COUNT], err *e);

#endif
