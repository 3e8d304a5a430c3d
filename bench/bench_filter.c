/* bench_filter: compiles and evaluates filters on a prediction file and prints one JSON line
 * per filter with the best of several evaluations.
 * usage: bench_filter FILE [RUNS] [FILTER...]
 * Without filters it times a set made for gen_predictions' columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter.h"
#include "loader.h"
#include "outcome.h"
#include "roles.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const DEFAULTS[] = {
    "cat_b == b_3 && num_a > 100 && label == pos",
    "cat_e == e_7 && num_b >= 90 && error",
    "ts between 2024-03-01 and 2024-03-14 && cat_a in {a_2, a_3} && confidence < 0.9",
    "num_e > 0.5 || missing(num_e)",
    "text =~ /poli/",
    "text =~ /\\bpo[a-z]*li\\b/i",
    "cat_b == b_3 && num_a > 100 && text =~ /\\bpo[a-z]*li\\b/i",
    "len(text) > 100 && tokens(text) < 20",
    "margin < 0.2 && !(cat_c in {c_1, c_2, c_3})",
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_filter FILE [RUNS] [FILTER...]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1)
        runs = 1;
    ld_opts lo;
    ld_opts_init(&lo);
    dataset *ds = NULL;
    err e = {0};
    double t0 = now_s();
    if (ld_csv_file(&ds, argv[1], &lo, &e) != E_OK) {
        fprintf(stderr, "bench_filter: %s\n", e.msg);
        return 1;
    }
    double load_s = now_s() - t0;
    roles r;
    outcome o;
    role_opts ro;
    role_opts_init(&ro);
    if (role_detect(&r, ds, &ro, &e) != E_OK || out_build(&o, ds, &r, &e) != E_OK) {
        fprintf(stderr, "bench_filter: %s\n", e.msg);
        ds_free(ds);
        return 1;
    }
    fprintf(stderr, "loaded %zu rows in %.2f s\n", ds->nrows, load_s);
    flt_ctx ctx = {.ds = ds, .r = &r, .o = &o};
    const char *const *exprs = argc > 3 ? (const char *const *)argv + 3 : DEFAULTS;
    size_t nexpr = argc > 3 ? (size_t)(argc - 3) : sizeof DEFAULTS / sizeof DEFAULTS[0];
    bitmap b;
    if (bm_init(&b, ds->nrows, false, &e) != E_OK)
        return 1;
    int status = 0;
    for (size_t k = 0; k < nexpr; k++) {
        filter *f = NULL;
        flt_error w;
        t0 = now_s();
        if (flt_compile(&f, exprs[k], &ctx, &e, &w) != E_OK) {
            char msg[1024];
            flt_format_error(exprs[k], &e, &w, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            status = 1;
            continue;
        }
        double compile_s = now_s() - t0, best = 1e9;
        for (int i = 0; i < runs; i++) {
            t0 = now_s();
            if (flt_eval(f, &b, &e) != E_OK) {
                fprintf(stderr, "bench_filter: %s\n", e.msg);
                status = 1;
                break;
            }
            double t = now_s() - t0;
            best = t < best ? t : best;
        }
        char quoted[1024];
        flt_quote_string(exprs[k], quoted, sizeof quoted); /* JSON-compatible for these */
        printf("{\"filter\": %s, \"rows\": %zu, \"selected\": %zu, \"compile_ms\": %.3f, "
               "\"eval_ms\": %.2f}\n",
               quoted, ds->nrows, bm_count(&b), compile_s * 1e3, best * 1e3);
        flt_free(f);
    }
    bm_done(&b);
    out_done(&o);
    role_done(&r);
    ds_free(ds);
    return status;
}
