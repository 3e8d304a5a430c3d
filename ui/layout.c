#include "layout.h"

#include <string.h>

void lay_compute(layout *l, int h, int w)
{
    memset(l, 0, sizeof *l);
    l->h = h;
    l->w = w;
    if (h < LAY_MIN_H || w < LAY_MIN_W) {
        l->mode = LAY_TOO_SMALL;
        return;
    }
    /* header: rows 0-1; status: the last row */
    l->area = (ui_rect){2, 0, h - 3, w};
    if (h < LAY_GRID_H || w < LAY_GRID_W) {
        l->mode = LAY_TABS;
        l->tabbar = (ui_rect){2, 0, 1, w};
        l->slot[0] = (ui_rect){3, 0, h - 4, w};
        return;
    }
    l->mode = LAY_GRID;
    int ah = l->area.h, top = ah * 2 / 5, mid = ah * 3 / 10, bottom = ah - top - mid;
    int left = w / 2;
    l->slot[SLOT_TOP_LEFT] = (ui_rect){2, 0, top, left};
    l->slot[SLOT_TOP_RIGHT] = (ui_rect){2, left, top, w - left};
    l->slot[SLOT_MID_LEFT] = (ui_rect){2 + top, 0, mid, left};
    l->slot[SLOT_SIDE] = (ui_rect){2 + top, left, mid, w - left};
    l->slot[SLOT_BOTTOM] = (ui_rect){2 + top + mid, 0, bottom, w};
}

int lay_inside(const ui_rect *r, int y, int x)
{
    return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}
