/* engine_bench: loads a prediction file with the real pipeline and times the analysis
 * engine: a full recompute with no filter, a full recompute under each of a series of
 * selective filters, and the heatmap alone (medians). Prints one JSON line.
 *
 * usage: engine_bench [--reps N] [--threads N] [--reference] FILE
 *   --reference  also times the one-shot functions (met_compute + slc_compute +
 *                cs_top_errors over all rows) that a recompute replaces, and checks that
 *                both give the same figures (exit status 1 when they differ). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "binning.h"
#include "cases.h"
#include "engine.h"
#include "loader.h"
#include "metrics.h"
#include "outcome.h"
#include "par.h"
#include "roles.h"
#include "slice.h"
#include "stats.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Whether the engine's result equals the one-shot functions' over the same selection. */
static bool same_as_reference(const eng_result *r, const metrics *m, const slice_table *t,
                              const case_list *c)
{
    bool ok = r->m.n == m->n && r->m.nerr == m->nerr && r->m.nscored == m->nscored &&
              same_double(r->m.roc_auc, m->roc_auc) && same_double(r->m.brier, m->brier) &&
              same_double(r->m.log_loss, m->log_loss) && same_double(r->m.ece, m->ece) &&
              same_double(r->m.macro_f1, m->macro_f1) && r->slices.len == t->len &&
              r->cases.len == c->len;
    for (size_t i = 0; ok && i < t->len; i++)
        ok = r->slices.v[i].n == t->v[i].n && r->slices.v[i].nerr == t->v[i].nerr &&
             same_double(r->slices.v[i].q, t->v[i].q);
    for (size_t i = 0; ok && i < c->len; i++)
        ok = r->cases.row[i] == c->row[i];
    return ok;
}

int main(int argc, char **argv)
{
    size_t reps = 21, threads = 0;
    bool reference = false;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = (size_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = (size_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--reference") == 0)
            reference = true;
        else
            file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "usage: engine_bench [--reps N] [--threads N] [--reference] FILE\n");
        return 2;
    }
    st_init();
    err e = {0};
    ld_opts lo;
    ld_opts_init(&lo);
    dataset *ds = NULL;
    double t0 = now_s();
    if (ld_csv_file(&ds, file, &lo, &e) != E_OK) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        return 1;
    }
    double load_s = now_s() - t0;
    role_opts ro;
    role_opts_init(&ro);
    roles r;
    outcome o;
    binning b;
    bin_opts bo;
    bin_opts_init(&bo);
    t0 = now_s();
    if (role_detect(&r, ds, &ro, &e) != E_OK || out_build(&o, ds, &r, &e) != E_OK ||
        bin_build(&b, ds, &r, &o, &bo, &e) != E_OK) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        return 1;
    }
    double prepare_s = now_s() - t0;
    eng_opts eo;
    eng_opts_init(&eo);
    eo.threads = threads;
    engine *eng = NULL;
    t0 = now_s();
    if (eng_new(&eng, ds, &r, &o, &b, &eo, &e) != E_OK) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        return 1;
    }
    double eng_new_s = now_s() - t0;
    eng_bench_figures f;
    if (eng_bench(eng, reps, &f, &e) != E_OK) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        return 1;
    }
    int status = 0;
    double ref_ms = NAN;
    const char *same = "null";
    if (reference) {
        metrics m;
        slice_table t;
        case_list c;
        t0 = now_s();
        if (met_compute(&m, &o, NULL, &e) != E_OK ||
            slc_compute(&t, &b, &o, NULL, eo.min_support, &e) != E_OK ||
            cs_top_errors(&c, &o, NULL, eo.ncases, &e) != E_OK) {
            fprintf(stderr, "engine_bench: %s\n", e.msg);
            return 1;
        }
        ref_ms = (now_s() - t0) * 1e3;
        bool ok = same_as_reference(eng_current(eng), &m, &t, &c);
        same = ok ? "true" : "false";
        status = !ok;
        met_done(&m);
        slc_done(&t);
        cs_done(&c);
    }
    const eng_result *res = eng_current(eng);
    const binning *eb = eng_binning(eng);
    char ref[32] = "null";
    if (reference)
        snprintf(ref, sizeof ref, "%.2f", ref_ms);
    /* figures that do not exist (no selective filter found) print as null, not nan */
    char rec[32] = "null", share[32] = "null", flt[32] = "null";
    if (f.nfilters) {
        snprintf(rec, sizeof rec, "%.2f", f.recompute_ms);
        snprintf(share, sizeof share, "%.3f", f.selected_share);
        snprintf(flt, sizeof flt, "%.2f", f.filter_ms);
    }
    printf("{\"file\":\"%s\",\"rows\":%zu,\"dims\":%zu,\"threads\":%zu,\"load_s\":%.3f,"
           "\"prepare_s\":%.3f,\"eng_new_s\":%.3f,\"recompute_all_ms\":%.2f,"
           "\"recompute_ms\":%s,\"heatmap_ms\":%.2f,\"filter_ms\":%s,\"filters\":%zu,"
           "\"selected_share\":%s,\"heatmap\":\"%s x %s\",\"reference_ms\":%s,"
           "\"same_as_reference\":%s,\"peak_rss_mb\":%.1f}\n",
           file, f.rows, eb->ndim, threads ? threads : par_cores(), load_s, prepare_s, eng_new_s,
           f.recompute_all_ms, rec, f.heatmap_ms, flt, f.nfilters, share,
           res->hm.valid ? eb->dim[res->hm.x.dim].name : "-",
           res->hm.valid ? eb->dim[res->hm.y.dim].name : "-", ref, same, peak_rss_mb());
    eng_free(eng);
    bin_done(&b);
    out_done(&o);
    role_done(&r);
    ds_free(ds);
    return status;
}
