/* casefmt: how a case (one row of the file) is named and summarised in the cases pane and
 * the case detail: its id, its true and predicted class, its confidence, and its text or
 * the values of the columns that matter most. */
#ifndef UI_CASEFMT_H
#define UI_CASEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "pane.h"

/* The id cell, or "row N" (1-based) when the file has no id column. */
void cf_id(const pane_env *env, uint32_t row, char *buf, size_t size);
/* "spam → ham"; for regression "3.2 → 4.8". */
void cf_outcome(const pane_env *env, uint32_t row, char *buf, size_t size);
/* The first text column's value, else "col=value" of the top-ranked feature columns. */
void cf_summary(const pane_env *env, uint32_t row, char *buf, size_t size);
/* The first text column, -1 when there is none. */
int cf_text_col(const dataset *ds);

#endif
