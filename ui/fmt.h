/* fmt: numbers as people read them in the explorer: 1,412 / 14.2% / [6.5–10.5] / 3e-9.
 * Every function writes into buf (NUL-terminated) and returns it. */
#ifndef UI_FMT_H
#define UI_FMT_H

#include <stddef.h>

const char *fmt_count(size_t n, char *buf, size_t size);
/* A share as a percentage with one decimal ("14.2%"); "–" for NAN. */
const char *fmt_pct(double v, char *buf, size_t size);
/* An interval of shares, "[6.5–10.5]"; "" when either end is NAN. */
const char *fmt_interval(double lo, double hi, char *buf, size_t size);
/* A p- or q-value: "0.012", "3e-9", "<1e-300"; "–" for NAN. */
const char *fmt_q(double q, char *buf, size_t size);
/* A ratio such as a lift: "×2.9"; "–" for NAN. */
const char *fmt_lift(double v, char *buf, size_t size);

#endif
