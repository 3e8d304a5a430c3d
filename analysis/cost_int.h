/* cost_int: a helper shared by cost_sweep.c and cost_selective.c; not a public API. */
#ifndef ANALYSIS_COST_INT_H
#define ANALYSIS_COST_INT_H

#include <stdint.h>
#include <string.h>

/* The double whose rdx_key_double is k (the sorted keys give back their thresholds). */
static inline double cost_key_value(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~((uint64_t)1 << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#endif
