/* sortd: sorts arrays of doubles in linear time (LSD radix sort on the bit pattern), for the
 * quantiles, distinct values and orders computed once per column after load, where qsort
 * would dominate the time to the first report on millions of rows. */
#ifndef SRC_SORTD_H
#define SRC_SORTD_H

#include <stddef.h>

#include "err.h"

/* Sorts x[0..n) ascending. x must hold no NAN. -0.0 sorts with +0.0. Uses 8n bytes of
 * scratch; E_NOMEM leaves x unchanged. */
err_code srt_doubles(double *x, size_t n, err *e);

#endif
