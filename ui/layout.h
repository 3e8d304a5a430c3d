/* layout: where the header, the panes and the status line go for a terminal size. Narrow
 * terminals show one pane with a tab bar; from 132x40 on, a grid shows five panes at once;
 * below 60x16 nothing but a note of the size needed. */
#ifndef UI_LAYOUT_H
#define UI_LAYOUT_H

#include <stddef.h>

#define LAY_MIN_W 60
#define LAY_MIN_H 16
#define LAY_GRID_W 132
#define LAY_GRID_H 40
#define LAY_MAX_PANES 16

typedef struct ui_rect {
    int y, x, h, w;
} ui_rect;

typedef enum { LAY_TOO_SMALL, LAY_TABS, LAY_GRID } lay_mode;

/* The grid's slots; a pane that is not in the grid replaces the one in the side slot when
 * it takes the focus. */
enum { SLOT_TOP_LEFT, SLOT_TOP_RIGHT, SLOT_MID_LEFT, SLOT_SIDE, SLOT_BOTTOM, SLOT_COUNT };

typedef struct layout {
    lay_mode mode;
    int h, w;
    ui_rect tabbar;             /* LAY_TABS only (h = 0 otherwise) */
    ui_rect area;               /* everything between the header and the status line */
    ui_rect slot[SLOT_COUNT];   /* LAY_GRID; in LAY_TABS only slot 0 (the pane) is used */
} layout;

void lay_compute(layout *l, int h, int w);
/* Whether (y, x) lies in r. */
int lay_inside(const ui_rect *r, int y, int x);

#endif
