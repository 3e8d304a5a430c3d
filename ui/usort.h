/* usort: a stable sort with a context pointer for the comparison (the panes sort rows by a
 * key they choose at run time; C11 has no qsort with a context). */
#ifndef UI_USORT_H
#define UI_USORT_H

#include <stdbool.h>
#include <stddef.h>

typedef int (*us_cmp)(const void *a, const void *b, void *ctx);

/* Sorts n elements of size bytes; false when the scratch buffer cannot be allocated (the
 * array is then left as it was). Merge sort: O(n log n), n * size bytes of scratch. */
bool us_sort(void *base, size_t n, size_t size, us_cmp cmp, void *ctx);

#endif
