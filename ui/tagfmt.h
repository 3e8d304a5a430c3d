/* tagfmt: how a case's tags are drawn in the cases pane, the case detail and review mode:
 * each tag's name in its colour role (tag i in tag.(i % 9 + 1)), then a note marker. When
 * the names do not fit they are shortened to four characters. */
#ifndef UI_TAGFMT_H
#define UI_TAGFMT_H

#include <stdbool.h>
#include <stdint.h>

#include "canvas.h"
#include "pane.h"

/* The colour role of tag i. */
ui_role tf_role(int tag);
/* Columns the tags and note marker of row take (0 when it has none), brief: shortened. */
int tf_width(const pane_env *env, uint32_t row, bool brief);
/* Draws them at (y, x) in at most maxw columns, shortened when the full names do not fit;
 * returns the column after. */
int tf_draw(canvas *cv, int y, int x, const pane_env *env, uint32_t row, int maxw);

#endif
