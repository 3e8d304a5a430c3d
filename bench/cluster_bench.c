/* cluster_bench: times error clustering on generated data and prints one JSON line per case.
 *   text:    N error rows whose texts have 5-30 tokens (70% from one of 20 themes of 60 words,
 *            30% from a Zipf-distributed background of 5,000 words), plus N/4 correct rows
 *   tabular: N error rows with 6 numeric and 4 categorical features, plus N/4 correct rows
 * Each case is loaded from an in-memory CSV through the real loader, roles, outcomes and
 * binning, then clustered with k chosen by the silhouette (2..12) and with k = 8. Figures:
 * wall seconds of each clustering, the resident memory before it and the process peak.
 * usage: cluster_bench [N]   (default 100000) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_util.h"
#include "binning.h"
#include "cluster.h"
#include "loader.h"
#include "outcome.h"
#include "roles.h"
#include "strbuf.h"

/* A pronounceable word for index w: letters from two alternating alphabets. */
static void word(char *buf, unsigned w)
{
    static const char cons[] = "bcdfghjklmnprstvz", vow[] = "aeiou";
    int n = 0;
    unsigned x = w + 7;
    do {
        buf[n++] = cons[x % 17];
        x /= 17;
        buf[n++] = vow[x % 5];
        x /= 5;
    } while (x > 0 && n < 12);
    buf[n] = '\0';
}

static char *text_csv(size_t n)
{
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "id,label,pred,body\n");
    uint64_t s = 42;
    char w[16];
    size_t total = n + n / 4;
    for (size_t i = 0; i < total; i++) {
        bool error = i < n;
        unsigned theme = (unsigned)(bench_next(&s) % 20), len = 5 + (unsigned)(bench_next(&s) % 26);
        sb_printf(&sb, "t%zu,%s,%s,", i, error ? "pos" : "neg", "neg");
        for (unsigned t = 0; t < len; t++) {
            unsigned id;
            if (error && bench_unit(&s) < 0.7)
                id = 5000 + theme * 60 + (unsigned)(bench_next(&s) % 60);
            else /* Zipf-like: the inverse of a power law on [1, 5000] */
                id = (unsigned)(pow(5000.0, bench_unit(&s))) - 1;
            word(w, id);
            sb_printf(&sb, t ? " %s" : "%s", w);
        }
        sb_puts(&sb, "\n");
    }
    return sb_take(&sb);
}

static char *tabular_csv(size_t n)
{
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "id,label,pred,a,b,c,d,e,f,region,plan,device,channel\n");
    static const char *const region[] = {"north", "south", "east", "west", "central"};
    static const char *const plan[] = {"free", "basic", "pro", "team"};
    static const char *const device[] = {"ios", "android", "web"};
    uint64_t s = 7;
    size_t total = n + n / 4;
    for (size_t i = 0; i < total; i++) {
        bool error = i < n;
        unsigned g = (unsigned)(bench_next(&s) % 6); /* planted groups of errors */
        sb_printf(&sb, "r%zu,%s,neg", i, error ? "pos" : "neg");
        for (int k = 0; k < 6; k++)
            sb_printf(&sb, ",%.3f", (error && (unsigned)k == g ? 3.0 : 0.0) + 2 * bench_unit(&s) - 1);
        sb_printf(&sb, ",%s,%s,%s,ch%u\n", region[(error ? g : bench_next(&s)) % 5],
                  plan[bench_next(&s) % 4], device[bench_next(&s) % 3], (unsigned)(bench_next(&s) % 12));
    }
    return sb_take(&sb);
}

static int run_case(const char *name, char *csv, const char *text_col)
{
    const char *text[] = {text_col};
    ld_opts lo;
    ld_opts_init(&lo);
    if (text_col) {
        lo.text_cols = text;
        lo.ntext_cols = 1;
    }
    dataset *ds = NULL;
    roles r;
    outcome o;
    binning b;
    role_opts ro;
    bin_opts bo;
    role_opts_init(&ro);
    bin_opts_init(&bo);
    err e = {0};
    double t0 = bench_now();
    if (ld_csv_mem(&ds, name, csv, strlen(csv), &lo, &e) || role_detect(&r, ds, &ro, &e) ||
        out_build(&o, ds, &r, &e) || bin_build(&b, ds, &r, &o, &bo, &e)) {
        fprintf(stderr, "cluster_bench: %s\n", e.msg);
        return 1;
    }
    double load_s = bench_now() - t0, before = bench_rss_mb();
    free(csv);
    for (unsigned k = 0; k <= 8; k += 8) {
        clu_opts co;
        clu_opts_init(&co);
        co.k = k;
        clu_result res;
        t0 = bench_now();
        if (clu_run(&res, ds, &r, &o, &b, NULL, &co, &e)) {
            fprintf(stderr, "cluster_bench: %s\n", e.msg);
            return 1;
        }
        double s = bench_now() - t0;
        printf("{\"case\":\"%s\",\"rows_clustered\":%zu,\"k_asked\":%u,\"k\":%u,"
               "\"features\":%zu,\"silhouette\":%.4f,\"seconds\":%.3f,\"load_seconds\":%.3f,"
               "\"rss_before_mb\":%.1f,\"peak_mb\":%.1f}\n",
               name, res.nrows, k, res.k, res.nfeatures, res.silhouette, s, load_s, before,
               bench_peak_mb());
        fflush(stdout);
        clu_done(&res);
    }
    bin_done(&b);
    out_done(&o);
    role_done(&r);
    ds_free(ds);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    if (n < 10) {
        fprintf(stderr, "usage: cluster_bench [N >= 10]\n");
        return 2;
    }
    return run_case("text", text_csv(n), "body") || run_case("tabular", tabular_csv(n), NULL);
}
