#include "usort.h"

#include <stdlib.h>
#include <string.h>

static void merge_sort(char *a, char *tmp, size_t n, size_t size, us_cmp cmp, void *ctx)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(a, tmp, h, size, cmp, ctx);
    merge_sort(a + h * size, tmp, n - h, size, cmp, ctx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (cmp(a + j * size, a + i * size, ctx) < 0)
            memcpy(tmp + k++ * size, a + j++ * size, size);
        else
            memcpy(tmp + k++ * size, a + i++ * size, size);
    }
    while (i < h)
        memcpy(tmp + k++ * size, a + i++ * size, size);
    memcpy(a, tmp, k * size); /* the rest of the right half is in place already */
}

bool us_sort(void *base, size_t n, size_t size, us_cmp cmp, void *ctx)
{
    if (n < 2)
        return true;
    char *tmp = malloc(n * size);
    if (!tmp)
        return false;
    merge_sort(base, tmp, n, size, cmp, ctx);
    free(tmp);
    return true;
}
