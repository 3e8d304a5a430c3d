/* term: the terminal, one of the two singletons of the UI layer and the only file besides
 * the canvas backend that includes curses. It starts and ends curses, restores the terminal on
 * exit and on fatal signals, turns curses' key codes into our own (keys.h), and writes a
 * canvas frame to the screen in one update. */
#ifndef UI_TERM_H
#define UI_TERM_H

#include <stdbool.h>

#include "canvas.h"
#include "err.h"
#include "theme.h"

typedef struct term_opts {
    bool mono;  /* no colours (--mono, NO_COLOR, or a terminal without them) */
    bool mouse; /* report clicks and the wheel */
} term_opts;

/* Starts curses on the controlling terminal. Refuses a terminal that cannot address the
 * cursor (TERM=dumb) with E_USAGE. Installs handlers that restore the terminal on SIGTERM,
 * SIGHUP, SIGQUIT and fatal signals, and an atexit hook. SIGINT does not quit: it counts as
 * a cancel request (term_take_cancel), as Ctrl-C does. */
err_code term_begin(const term_opts *o, err *e);
/* Ends curses and restores the terminal; safe to call twice. */
void term_end(void);
bool term_active(void);
/* Colours the terminal offers us: 256, 8, or 0 for monochrome. */
int term_colors(void);
/* Current size. */
void term_size(int *h, int *w);
/* Sets up the colour pairs of theme t. */
void term_apply_theme(const theme *t);
/* Waits up to timeout_ms (negative: forever) for a key; K_TIMEOUT when none came. */
int term_read_key(int timeout_ms);
/* The last mouse event: cell and kind (1 click, 2 double click, 4 wheel up, 5 wheel down). */
void term_mouse(int *y, int *x, int *kind);
/* Writes the frame and places the cursor at (cy, cx), hidden when cy < 0. */
void term_draw(const canvas *cv, int cy, int cx);
/* Forces a full repaint at the next term_draw (Ctrl-L). */
void term_invalidate(void);
/* True once after a SIGINT arrived. */
bool term_take_cancel(void);
/* Writes raw bytes to the terminal (an OSC 52 sequence), outside curses' buffer. */
void term_write_raw(const char *s, size_t len);

#endif
