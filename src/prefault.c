#include "prefault.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void pf_write(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    if (len == 0)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)p & ~(page - 1);
    uintptr_t b = ((uintptr_t)p + len + page - 1) & ~(page - 1);
    madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)len;
#endif
}
