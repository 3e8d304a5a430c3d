/* cases: the error rows of a selection ordered by loss, worst first: for classification
 * -ln p(true class), for regression the absolute error. Rows without a loss (missing scores)
 * come after those with one; ties go by row number, so the order is deterministic. */
#ifndef ANALYSIS_CASES_H
#define ANALYSIS_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "err.h"
#include "outcome.h"

typedef struct case_list {
    size_t len;
    uint32_t *row; /* owned; row indexes (0-based), worst first */
} case_list;

/* The at most k worst error rows of sel (NULL = all rows); k = SIZE_MAX for all of them.
 * Cost: one pass, plus O(errors log k). */
err_code cs_top_errors(case_list *c, const outcome *o, const bitmap *sel, size_t k, err *e);
void cs_done(case_list *c);

#endif
