/* bench_load: loads a prediction file and prints one JSON line with the figures.
 * usage: bench_load [-v] FILE [THREADS]   (-v: one line per column on standard error) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "dataset.h"
#include "loader.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void describe(const dataset *ds)
{
    for (size_t c = 0; c < ds->ncols; c++) {
        const column *col = &ds->cols[c];
        fprintf(stderr, "%-24s %-11s missing %-8zu bad %-6zu", col->name, col_type_name(col->type),
                col->nmissing, col->nbad);
        if (col->dict)
            fprintf(stderr, " levels %u", sd_count(col->dict));
        if (col->type == COL_NUM && col->is_integer)
            fprintf(stderr, " integer");
        if (col->nbad)
            fprintf(stderr, " first bad line %zu '%s'", col->first_bad_line, col->bad_example);
        fputc('\n', stderr);
    }
}

int main(int argc, char **argv)
{
    int a = 1;
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    a += verbose;
    if (argc - a < 1) {
        fprintf(stderr, "usage: bench_load [-v] FILE [THREADS]\n");
        return 2;
    }
    ld_opts o;
    ld_opts_init(&o);
    if (argc - a > 1)
        o.threads = atoi(argv[a + 1]);
    dataset *ds = NULL;
    err e = {0};
    double t0 = now_s();
    err_code rc = ld_csv_file(&ds, argv[a], &o, &e);
    double t = now_s() - t0;
    if (rc != E_OK) {
        fprintf(stderr, "bench_load: %s\n", e.msg);
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mb = (double)ds->nbytes / 1e6;
    printf("{\"file\": \"%s\", \"bytes\": %zu, \"rows\": %zu, \"cols\": %zu, \"load_s\": %.3f, "
           "\"mb_per_s\": %.1f, \"rows_per_s\": %.0f, \"peak_rss_mb\": %.1f, \"threads\": %d, "
           "\"dataset_mb\": %.1f}\n",
           argv[a], ds->nbytes, ds->nrows, ds->ncols, t, mb / t, (double)ds->nrows / t,
           (double)ru.ru_maxrss / 1024.0, o.threads, (double)ds_bytes(ds) / 1e6);
    if (verbose)
        describe(ds);
    ds_free(ds);
    return 0;
}
