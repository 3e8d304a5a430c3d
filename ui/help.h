/* help: the help overlay, generated from the action table and the key map: the keys of the
 * focused pane first, then the global ones, each with its action's name and help text. */
#ifndef UI_HELP_H
#define UI_HELP_H

#include "canvas.h"
#include "err.h"
#include "keys.h"
#include "strbuf.h"

/* Appends the help text for context (a pane's name) as lines "KEYS  action  help", under
 * two headings. E_NOMEM. */
err_code help_text(const keymap *km, const char *context, strbuf *out, err *e);
/* Draws the text as a framed overlay on cv from line top on; returns the number of lines. */
int help_draw(canvas *cv, const char *text, int top);

#endif
