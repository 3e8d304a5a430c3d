/* listnav: the cursor and scroll position of a list of rows, and how the move actions change
 * them; shared by every pane that shows rows. */
#ifndef UI_LISTNAV_H
#define UI_LISTNAV_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"

typedef struct listnav {
    size_t cur; /* the row under the cursor */
    size_t top; /* the first row shown */
} listnav;

/* Applies a move action over n rows with page rows visible; false for other actions. */
bool ln_move(listnav *ln, action a, size_t n, size_t page);
/* Keeps cur within n rows and visible in page rows. */
void ln_clamp(listnav *ln, size_t n, size_t page);

#endif
