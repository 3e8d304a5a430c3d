/* cfgfile: the line format shared by key maps and themes. One directive per line, words
 * separated by blanks, '#' starts a comment, a word may be double-quoted. The reader hands
 * each line's words to a callback; a callback that rejects a line returns a message, which
 * is kept as "name:line: message" and reading goes on, so one bad line never loses the rest
 * of a file. */
#ifndef UI_CFGFILE_H
#define UI_CFGFILE_H

#include <stddef.h>

#include "err.h"
#include "strbuf.h"

#define CFG_MAX_WORDS 16

/* Returns NULL when the line is fine, else a message (may point into msg, size msgsize). */
typedef const char *(*cfg_line_fn)(void *ctx, int argc, char **argv, char *msg, size_t msgsize);

/* Reads text[0..len) named name (for the messages). Each rejected line appends
 * "name:LINE: message\n" to diag (may be NULL). Returns the number of rejected lines;
 * E_NOMEM is the only failure and leaves *nbad untouched. */
err_code cfg_read(const char *name, const char *text, size_t len, cfg_line_fn fn, void *ctx,
                  strbuf *diag, size_t *nbad, err *e);

#endif
