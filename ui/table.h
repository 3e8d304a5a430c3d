/* table: writing a pane's rows as TSV or as a Markdown table, for export. */
#ifndef UI_TABLE_H
#define UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "strbuf.h"

/* Appends one row of n cells. In Markdown, header rows are followed by the --- line and '|'
 * in cells is escaped; in TSV, tabs and line breaks in cells become spaces. E_NOMEM. */
err_code tbl_row(strbuf *out, bool md, bool header, size_t n, const char *const *cells, err *e);

#endif
