/* ldmerge: turns what the loader's threads stored into the dataset's columns. Each column's
 * pieces are joined (colb_merge) and its type settled (infer); columns are independent, so
 * several threads share the work, the costliest (large dictionaries) first. A column read
 * as numbers that turned out to hold strings is flagged for a second read. */
#ifndef SRC_LDMERGE_H
#define SRC_LDMERGE_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#include "colbuild.h"
#include "dataset.h"
#include "err.h"
#include "infer.h"
#include "ldreport.h"

typedef struct lmg_pass {
    colb *const *pieces; /* borrowed; npieces arrays of ncols builders, in file order */
    size_t npieces, ncols, nrows;
    const inf_mode *modes;   /* borrowed; how each column was read (INF_SKIP: not read) */
    const bool *forced_text; /* borrowed; per column */
    const bool *forced_time; /* borrowed; per column */
    locale_t cloc;           /* borrowed; the C numeric locale, for the helper threads */
    size_t nthreads;         /* threads to use, the calling one included */
} lmg_pass;

/* Fills ds->cols[c] for every column read in p (ds->nrows = p->nrows), emptying the
 * builders. first_bad[c] receives the row of the column's first bad cell (SIZE_MAX: none);
 * redo[c] is set when the column must be read again as strings (it is then left empty).
 * E_NOMEM or E_RANGE; the columns filled so far stay in ds, for ds_free. */
err_code lmg_take(const lmg_pass *p, dataset *ds, size_t *first_bad, bool *redo, err *e);

/* Sets first_bad_line of every column with bad cells, in one rescan of the input. */
err_code lmg_bad_lines(const lrep_where *w, dataset *ds, const size_t *first_bad, err *e);

#endif
