/* export: the focused view to a file (a .md name gives a Markdown table, .csv the selected
 * rows of the file with every column, anything else TSV), and text to the terminal's
 * clipboard with OSC 52, which works over SSH and inside tmux where the terminal allows it. */
#ifndef UI_EXPORT_H
#define UI_EXPORT_H

#include <stddef.h>

#include "pane.h"

/* Writes the export to path; *nrows (may be NULL) gets the data lines written. E_IO with
 * the path and reason, E_NOMEM, or a pane's own error. */
err_code ex_write(pane *p, pane_env *env, const char *path, size_t *nrows, err *e);
/* The selection's rows as CSV (RFC 4180 quoting) with the header line. */
err_code ex_selection_csv(const pane_env *env, strbuf *out, err *e);
/* The OSC 52 sequence that puts text on the clipboard: ESC ] 52 ; c ; base64 BEL. */
err_code ex_osc52(const char *text, strbuf *out, err *e);

#endif
