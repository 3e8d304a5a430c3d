/* canvas: what panes draw into - a grid of cells, each a character and a colour role.
 * The explorer draws a whole frame into one memory canvas and term.c writes it to curses in
 * one go; tests draw a pane into a canvas of their own and compare cv_dump's text with
 * expected screens. Text is UTF-8; each character takes one cell, or two for East Asian wide
 * ones. In ASCII mode (non-UTF-8 locale, --ascii) box drawing, arrows and blocks turn into
 * ASCII look-alikes and other non-ASCII characters into '?', in this one place.
 *
 * A canvas is either a root, which owns its cells, or a view of a rectangle of another
 * canvas (cv_sub), which borrows them: drawing is clipped to the view. */
#ifndef UI_CANVAS_H
#define UI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "strbuf.h"
#include "theme.h"

#define CV_WIDE_TAIL 0xFFFFFFFFu /* the right half of a wide character */

typedef struct cv_cell {
    uint32_t ch; /* code point, or CV_WIDE_TAIL */
    uint8_t role; /* ui_role */
} cv_cell;

typedef struct canvas {
    cv_cell *cells; /* owned by a root, borrowed by a view */
    int stride;     /* cells per row of the root */
    int y0, x0;     /* the view's origin in the root */
    int h, w;       /* the view's size */
    bool owned;
    bool ascii;
} canvas;

/* A root canvas of h x w blank cells. E_NOMEM. */
err_code cv_init(canvas *cv, int h, int w, bool ascii, err *e);
void cv_done(canvas *cv);
/* Resizes a root canvas (contents cleared). E_NOMEM leaves it as it was. */
err_code cv_resize(canvas *cv, int h, int w, err *e);
/* A view of the rectangle (y, x, h, w) of cv, clipped to cv. */
canvas cv_sub(const canvas *cv, int y, int x, int h, int w);

/* Blanks the whole view with role r. */
void cv_fill(canvas *cv, ui_role r);
/* Draws s at (y, x), clipped to the view and to at most maxw columns (maxw < 0: no limit);
 * returns the column after the text. Control characters become spaces. */
int cv_text(canvas *cv, int y, int x, const char *s, int maxw, ui_role r);
int cv_printf(canvas *cv, int y, int x, ui_role r, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Like cv_text, but ends with "…" when s is wider than w, and pads with blanks to w. */
void cv_text_fit(canvas *cv, int y, int x, const char *s, int w, ui_role r);
/* The same, right-aligned in w columns. */
void cv_text_right(canvas *cv, int y, int x, const char *s, int w, ui_role r);
/* Sets the role of n cells from (y, x). */
void cv_role(canvas *cv, int y, int x, int n, ui_role r);
/* A horizontal bar of frac (0..1) of w columns, with eighth-blocks (ASCII: '#'). */
void cv_bar(canvas *cv, int y, int x, int w, double frac, ui_role r);
/* A frame around the view with a title in its top border. */
void cv_box(canvas *cv, const char *title, ui_role title_role, ui_role border_role);

/* Copies src's rows from src_y on into dst, as many as fit. */
void cv_blit(canvas *dst, const canvas *src, int src_y);
/* The cell at (y, x) of the view; NULL outside it. */
const cv_cell *cv_at(const canvas *cv, int y, int x);
/* Appends the view's text, one line per row with trailing blanks removed, to text; and when
 * roles is non-NULL the role layer, one character per cell ('.' for normal, else 'a' + role,
 * 'A' + role - 26 past 'z')
 * with trailing '.' removed. E_NOMEM. */
err_code cv_dump(const canvas *cv, strbuf *text, strbuf *roles, err *e);

/* Columns that s takes (UTF-8; wide characters count 2). */
int ui_strwidth(const char *s);
/* Decodes the UTF-8 character at s (at most len bytes) into *cp; returns bytes used (an
 * invalid byte is one U+FFFD). */
size_t ui_utf8_next(const char *s, size_t len, uint32_t *cp);
/* Columns of code point cp: 0 for combining marks, 2 for wide ones, else 1. */
int ui_cpwidth(uint32_t cp);

#endif
