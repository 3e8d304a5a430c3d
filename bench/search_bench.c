/* search_bench: times the slice search on N generated rows of 12 dimensions (built in
 * memory, no CSV) for L = 2 and L = 3 in both rankings, and prints one JSON line with the
 * seconds (wall and CPU: CPU above wall means more than one core worked), the resident
 * memory before the searches and the peak (getrusage).
 * usage: search_bench N [THREADS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_util.h"
#include "binning.h"
#include "outcome.h"
#include "search.h"
#include "stats.h"

#define NDIM 12

/* Dimensions like a prediction file's: a few small categoricals, quantile deciles of
 * numeric columns (one with a missing bin), a skewed 24-level categorical, 26 weeks. */
static int generate(binning *b, outcome *o, size_t n)
{
    static const uint32_t nbins[NDIM] = {2, 3, 4, 5, 7, 8, 10, 10, 11, 10, 24, 26};
    memset(b, 0, sizeof *b);
    memset(o, 0, sizeof *o);
    b->nrows = n;
    b->ndim = NDIM;
    b->dim = calloc(NDIM, sizeof *b->dim);
    o->n = n;
    o->err = malloc(n);
    if (!b->dim || !o->err)
        return -1;
    uint64_t s = 42;
    for (int d = 0; d < NDIM; d++) {
        bin_dim *dm = &b->dim[d];
        snprintf(dm->name, sizeof dm->name, "f%d", d);
        dm->col = d;
        dm->kind = d >= 6 && d < 10 ? DIM_QUANTILE : d == 11 ? DIM_TIME : DIM_CATEGORICAL;
        dm->nbins = nbins[d];
        dm->bins = calloc(nbins[d], sizeof *dm->bins);
        dm->code = malloc(n * sizeof *dm->code);
        if (!dm->bins || !dm->code)
            return -1;
        for (uint32_t k = 0; k < nbins[d]; k++)
            snprintf(dm->bins[k].label, sizeof dm->bins[k].label, "b%u", k);
        for (size_t i = 0; i < n; i++) {
            double u = bench_unit(&s);
            uint32_t c = d == 10 ? (uint32_t)(u * u * nbins[d]) : (uint32_t)(u * nbins[d]);
            dm->code[i] = (uint16_t)(c < nbins[d] ? c : nbins[d] - 1);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const uint16_t *c[NDIM];
        for (int d = 0; d < NDIM; d++)
            c[d] = &b->dim[d].code[i];
        double p = 0.1;
        if (*c[3] == 1)
            p = 0.2;
        if (*c[1] == 2 && *c[7] == 9)
            p = 0.35;
        if (*c[10] == 23 && *c[4] == 0)
            p = 0.5;
        if (*c[11] == 17 && *c[2] == 3)
            p = 0.4;
        o->err[i] = bench_unit(&s) < p ? OUT_ERROR : OUT_CORRECT;
        o->nerr += o->err[i] == OUT_ERROR;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: search_bench N [THREADS]\n");
        return 2;
    }
    size_t n = strtoull(argv[1], NULL, 10);
    int threads = argc > 2 ? atoi(argv[2]) : 0;
    st_init();
    binning b;
    outcome o;
    if (generate(&b, &o, n) != 0) {
        fprintf(stderr, "search_bench: out of memory\n");
        return 1;
    }
    double base_mb = bench_rss_mb();
    printf("{\"rows\": %zu, \"dims\": %d, \"threads\": %d, \"data_rss_mb\": %.0f", n, NDIM, threads,
           base_mb);
    for (unsigned L = 2; L <= 3; L++)
        for (int rk = 0; rk < 2; rk++) {
            srch_opts opt;
            srch_opts_init(&opt);
            opt.levels = L;
            opt.rank = rk ? SRCH_SLICELINE : SRCH_SIGNIFICANCE;
            opt.threads = threads;
            srch_result res;
            err e = {0};
            double t0 = bench_clock(CLOCK_MONOTONIC), c0 = bench_clock(CLOCK_PROCESS_CPUTIME_ID);
            if (srch_run(&res, &b, &o, NULL, &opt, &e) != E_OK) {
                fprintf(stderr, "search_bench: %s\n", e.msg);
                return 1;
            }
            double t = bench_clock(CLOCK_MONOTONIC) - t0;
            double cpu = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
            const char *name = rk ? "sliceline" : "significance";
            printf(", \"L%u_%s_s\": %.3f, \"L%u_%s_cpu_s\": %.3f, \"L%u_%s_evaluated\": %zu", L,
                   name, t, L, name, cpu, L, name, res.nevaluated);
            srch_done(&res);
        }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf(", \"peak_rss_mb\": %.0f, \"search_extra_mb\": %.0f}\n", (double)ru.ru_maxrss / 1e3,
           (double)ru.ru_maxrss / 1e3 - base_mb);
    bin_done(&b);
    out_done(&o);
    return 0;
}
