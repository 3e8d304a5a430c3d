/* bench_util: what the benchmark programs share: clocks, a seeded generator for their
 * synthetic data (so that every run measures the same input), and memory figures. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

/* Seconds on the given clock (CLOCK_MONOTONIC for wall time, CLOCK_PROCESS_CPUTIME_ID for
 * the CPU of all threads). */
static inline double bench_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double bench_now(void)
{
    return bench_clock(CLOCK_MONOTONIC);
}

/* A 64-bit LCG with an output mix (splitmix-like): fast, and plenty for test data. */
static inline uint64_t bench_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t x = *s;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    return x ^ (x >> 32);
}

/* Uniform in [0, 1). */
static inline double bench_unit(uint64_t *s)
{
    return (double)(bench_next(s) >> 11) / 9007199254740992.0;
}

/* Current resident set in MB, from /proc (getrusage only knows the peak). */
static inline double bench_rss_mb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return (double)res * 4096 / 1e6;
}

/* Peak resident set of the process so far, in MB. */
static inline double bench_peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

#endif
