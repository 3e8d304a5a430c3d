/* Slice search on data that comes through the loader, roles and binning: agreement with
 * the Python `sliceline` package on a small file (expected slices run offline, embedded
 * below), its order of tied scores, and planted failure slices of different sizes that
 * the default ranking must bring out. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binning.h"
#include "fl_pipeline.h"
#include "fl_test.h"
#include "outcome.h"
#include "roles.h"
#include "search.h"
#include "stats.h"

typedef struct rnd {
    uint64_t s;
} rnd;

static uint64_t rnd_next(rnd *r)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t x = r->s;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    return x ^ (x >> 32);
}

static double rnd_unit(rnd *r)
{
    return (double)(rnd_next(r) >> 11) / 9007199254740992.0;
}

/* A binning of categorical dimensions d0, d1, ... whose codes the caller fills, and an
 * outcome whose errors the caller fills. */
static void make_cat(binning *b, outcome *o, size_t nrows, unsigned nd, const uint32_t *nbins)
{
    memset(b, 0, sizeof *b);
    memset(o, 0, sizeof *o);
    b->nrows = nrows;
    b->ndim = nd;
    b->dim = calloc(nd, sizeof *b->dim);
    for (unsigned d = 0; d < nd; d++) {
        bin_dim *dm = &b->dim[d];
        snprintf(dm->name, sizeof dm->name, "d%u", d);
        dm->col = (int)d;
        dm->kind = DIM_CATEGORICAL;
        dm->nbins = nbins[d];
        dm->bins = calloc(nbins[d], sizeof *dm->bins);
        dm->code = calloc(nrows, sizeof *dm->code);
    }
    o->n = nrows;
    o->err = calloc(nrows, 1);
}

typedef fl_pipeline loaded;

static void load_ds(loaded *f, dataset *ds)
{
    fl_pipeline_from(f, ds);
}

static void unload(loaded *f)
{
    fl_pipeline_done(f);
}

static uint32_t dim_index(const binning *b, const char *name)
{
    for (size_t d = 0; d < b->ndim; d++)
        if (strcmp(b->dim[d].name, name) == 0)
            return (uint32_t)d;
    cr_assert_fail("no dimension %s", name);
    return 0;
}

typedef struct expected_slice {
    size_t k, min_sup;
    double alpha;
    unsigned L, npred;
    struct {
        const char *dim;
        uint32_t bin;
    } pred[3];
    size_t n, e;
    double score;
} expected_slice;

/* The `sliceline` package (DataDome/sliceline 0.3.1 with its numpy fallback, its one
 * scikit-learn >= 1.6 import adapted to scikit-learn 1.2.1), run offline as
 * Slicefinder(alpha, k, max_l = L, min_sup).fit(X, errors) on this file's feature columns
 * binned as faultline bins them (pandas.qcut deciles with duplicates="drop" for age and
 * bonus, whose deciles collapse into one bin; one bin per value for visits; sorted levels
 * with missing last for region and plan), errors = label != prediction: its top slices in
 * its order, with its sizes, errors and scores. Bins are indexes into the dimension's bins.
 * Ties with the K-th score are all kept. */
static const expected_slice sliceline_expected[] = {
    /* K 10, min_sup 20, alpha 0.95, L 1 */
    {10, 20, 0.95, 1, 1, {{"age", 8}}, 50, 15, 0.27647058823529347},
    {10, 20, 0.95, 1, 1, {{"region", 3}}, 117, 29, 0.27144293614881826},
    {10, 20, 0.95, 1, 1, {{"plan", 2}}, 115, 27, 0.19462915601023},
    {10, 20, 0.95, 1, 1, {{"age", 9}}, 50, 14, 0.16470588235294092},
    {10, 20, 0.95, 1, 1, {{"visits", 2}}, 77, 19, 0.15423987776928916},
    {10, 20, 0.95, 1, 1, {{"region", 4}}, 28, 9, 0.003361344537814226},
    /* K 10, min_sup 20, alpha 0.95, L 2 */
    {10, 20, 0.95, 2, 2, {{"region", 3}, {"plan", 2}}, 27, 16, 1.4856209150326785},
    {10, 20, 0.95, 2, 1, {{"age", 8}}, 50, 15, 0.27647058823529347},
    {10, 20, 0.95, 2, 2, {{"age", 8}, {"bonus", 0}}, 50, 15, 0.27647058823529347},
    {10, 20, 0.95, 2, 1, {{"region", 3}}, 117, 29, 0.27144293614881826},
    {10, 20, 0.95, 2, 2, {{"region", 3}, {"bonus", 0}}, 117, 29, 0.27144293614881826},
    {10, 20, 0.95, 2, 1, {{"plan", 2}}, 115, 27, 0.19462915601023},
    {10, 20, 0.95, 2, 2, {{"plan", 2}, {"bonus", 0}}, 115, 27, 0.19462915601023},
    {10, 20, 0.95, 2, 1, {{"age", 9}}, 50, 14, 0.16470588235294092},
    {10, 20, 0.95, 2, 2, {{"age", 9}, {"bonus", 0}}, 50, 14, 0.16470588235294092},
    {10, 20, 0.95, 2, 1, {{"visits", 2}}, 77, 19, 0.15423987776928916},
    {10, 20, 0.95, 2, 2, {{"visits", 2}, {"bonus", 0}}, 77, 19, 0.15423987776928916},
    /* K 10, min_sup 20, alpha 0.95, L 3 */
    {10, 20, 0.95, 3, 2, {{"region", 3}, {"plan", 2}}, 27, 16, 1.4856209150326785},
    {10, 20, 0.95, 3, 3, {{"region", 3}, {"plan", 2}, {"bonus", 0}}, 27, 16, 1.4856209150326785},
    {10, 20, 0.95, 3, 1, {{"age", 8}}, 50, 15, 0.27647058823529347},
    {10, 20, 0.95, 3, 2, {{"age", 8}, {"bonus", 0}}, 50, 15, 0.27647058823529347},
    {10, 20, 0.95, 3, 1, {{"region", 3}}, 117, 29, 0.27144293614881826},
    {10, 20, 0.95, 3, 2, {{"region", 3}, {"bonus", 0}}, 117, 29, 0.27144293614881826},
    {10, 20, 0.95, 3, 1, {{"plan", 2}}, 115, 27, 0.19462915601023},
    {10, 20, 0.95, 3, 2, {{"plan", 2}, {"bonus", 0}}, 115, 27, 0.19462915601023},
    {10, 20, 0.95, 3, 1, {{"age", 9}}, 50, 14, 0.16470588235294092},
    {10, 20, 0.95, 3, 2, {{"age", 9}, {"bonus", 0}}, 50, 14, 0.16470588235294092},
    /* K 3, min_sup 25, alpha 0.9, L 3: the 4th ties the 3rd */
    {3, 25, 0.9, 3, 2, {{"region", 3}, {"plan", 2}}, 27, 16, 0.4854030501089328},
    {3, 25, 0.9, 3, 3, {{"region", 3}, {"plan", 2}, {"bonus", 0}}, 27, 16, 0.4854030501089328},
    {3, 25, 0.9, 3, 1, {{"region", 3}}, 117, 29, 0.08486676721970843},
    {3, 25, 0.9, 3, 2, {{"region", 3}, {"bonus", 0}}, 117, 29, 0.08486676721970843},
};

Test(srch, sliceline_package_agreement)
{
    st_init();
    loaded f;
    load_ds(&f, fl_load_file("tests/data/search/sliceline_fixture.csv"));
    size_t ne = sizeof sliceline_expected / sizeof sliceline_expected[0];
    cr_assert_eq(f.b.dim[dim_index(&f.b, "bonus")].nbins, 1, "bonus deciles collapse");
    for (size_t i = 0; i < ne;) {
        const expected_slice *x = &sliceline_expected[i];
        size_t j = i;
        while (j < ne && sliceline_expected[j].L == x->L && sliceline_expected[j].k == x->k)
            j++;
        srch_opts opt;
        srch_opts_init(&opt);
        opt.rank = SRCH_SLICELINE;
        opt.top_k = x->k;
        opt.min_support = x->min_sup;
        opt.alpha = x->alpha;
        opt.levels = x->L;
        srch_result res;
        err e = {0};
        cr_assert_eq(srch_run(&res, &f.b, &f.o, NULL, &opt, &e), E_OK, "%s", e.msg);
        cr_assert_eq(res.len, j - i, "K %zu L %u: %zu slices, the package %zu", x->k, x->L, res.len,
                     j - i);
        for (size_t t = 0; t < res.len; t++) {
            const expected_slice *w = &sliceline_expected[i + t];
            const srch_slice *s = &res.v[t];
            cr_assert_eq(s->npred, w->npred, "K %zu L %u slice %zu", x->k, x->L, t);
            for (unsigned c = 0; c < w->npred; c++) {
                cr_assert_eq(s->pred[c].dim, dim_index(&f.b, w->pred[c].dim));
                cr_assert_eq(s->pred[c].bin, w->pred[c].bin);
            }
            cr_assert_eq(s->n, w->n);
            cr_assert_eq(s->nerr, w->e);
            cr_assert_eq(s->score, w->score, "score %.17g, the package %.17g", s->score, w->score);
        }
        srch_done(&res);
        i = j;
    }
    unload(&f);
}

/* Equal scores in the package's order. Rows and expected slices from the `sliceline`
 * package (0.3.1) run offline: Slicefinder(alpha=0.95, k=4, max_l=2, min_sup=5) on these
 * three columns gave [B=2], [A=1], [A=1, B=0], [A=0, B=2], all with 30 rows, 15 errors. */
Test(srch, sliceline_tie_order_as_the_package)
{
    st_init();
    static const char *const cols[4] = {
        "111111111111111111111111111111222222222222222000000000000000000000000000000000000000"
        "000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000000000000000000222222222222222222222222"
        "222222111111111100000000000000000000",
        "010101010101010101010101010101010101010101010101010101010101010101010101010101010101"
        "010101010101010101010101010101010101",
        "111111111111111000000000000000000000000000000000000000000000111111111111111000000000"
        "000000000000000011110000000000000000"};
    const uint32_t nbins[3] = {3, 3, 2};
    binning b;
    outcome o;
    make_cat(&b, &o, 120, 3, nbins);
    for (size_t i = 0; i < 120; i++) {
        for (int d = 0; d < 3; d++)
            b.dim[d].code[i] = (uint16_t)(cols[d][i] - '0');
        o.err[i] = cols[3][i] == '1' ? OUT_ERROR : OUT_CORRECT;
        o.nerr += o.err[i] == OUT_ERROR;
    }
    srch_opts opt;
    srch_opts_init(&opt);
    opt.rank = SRCH_SLICELINE;
    opt.top_k = 4;
    opt.levels = 2;
    opt.min_support = 5;
    srch_result res;
    cr_assert_eq(srch_run(&res, &b, &o, NULL, &opt, NULL), E_OK);
    static const struct {
        unsigned npred;
        srch_pred pred[2];
    } want[4] = {{1, {{1, 2}}}, {1, {{0, 1}}}, {2, {{0, 1}, {1, 0}}}, {2, {{0, 0}, {1, 2}}}};
    cr_assert_eq(res.len, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(res.v[i].npred, want[i].npred, "slice %zu", i);
        for (unsigned j = 0; j < want[i].npred; j++) {
            cr_assert_eq(res.v[i].pred[j].dim, want[i].pred[j].dim, "slice %zu", i);
            cr_assert_eq(res.v[i].pred[j].bin, want[i].pred[j].bin, "slice %zu", i);
        }
        cr_assert_eq(res.v[i].n, 30);
        cr_assert_eq(res.v[i].nerr, 15);
        cr_assert_eq(res.v[i].score, 0.5764705882352938);
    }
    srch_done(&res);
    bin_done(&b);
    out_done(&o);
}

/* ------------------------------------------------------------- planted failures */

typedef struct planted {
    const char *name;
    const char *cols[2]; /* the columns it is defined on */
    unsigned ncols;
} planted;

enum { P_LEGACY, P_TABLET_OLD, P_KIOSK, P_WEEK_APP, NPLANTED };

static const planted plants[NPLANTED] = {
    {"plan = legacy (5% of rows, 3x the base rate)", {"plan"}, 1},
    {"device = tablet and age > 73.8 (1.5%, 3.75x)", {"device", "age"}, 2},
    {"device = kiosk (0.1%, 5x)", {"device"}, 1},
    {"week of 2024-03-11 and channel = app (1.3%, 4x)", {"timestamp", "channel"}, 2},
};

/* 200,000 rows over 26 weeks with a base error rate of 8% and four planted failure slices;
 * in[p][i] says whether row i is in planted slice p. */
static char *planted_csv(size_t n, bool *in[NPLANTED])
{
    static const char *const regions[8] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"};
    static const char *const channels[3] = {"web", "app", "store"};
    static const char *const plans[5] = {"basic", "plus", "pro", "team", "legacy"};
    size_t cap = n * 96 + 256, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(
        csv, cap, "id,timestamp,region,device,channel,plan,age,amount,label,prediction\n");
    rnd r = {2024};
    const long t0 = 1704067200; /* 2024-01-01T00:00:00Z, a Monday */
    const long w0 = 1710115200; /* 2024-03-11T00:00:00Z, a Monday */
    for (size_t i = 0; i < n; i++) {
        long t = t0 + (long)(rnd_unit(&r) * 182 * 86400.0);
        const char *region = regions[rnd_next(&r) % 8];
        double u = rnd_unit(&r);
        const char *device = u < 0.001   ? "kiosk"
                             : u < 0.151 ? "tablet"
                             : u < 0.45  ? "phone"
                                         : "desktop";
        const char *channel = channels[rnd_next(&r) % 3];
        u = rnd_unit(&r);
        const char *plan = u < 0.05 ? plans[4] : plans[(size_t)((u - 0.05) / 0.95 * 4) % 4];
        double age = 18 + 62 * rnd_unit(&r);
        double amount = exp(3 + 1.5 * rnd_unit(&r));
        in[P_LEGACY][i] = strcmp(plan, "legacy") == 0;
        in[P_TABLET_OLD][i] = strcmp(device, "tablet") == 0 && age > 73.8;
        in[P_KIOSK][i] = strcmp(device, "kiosk") == 0;
        in[P_WEEK_APP][i] = t >= w0 && t < w0 + 7 * 86400 && strcmp(channel, "app") == 0;
        double p = 0.08;
        p = in[P_LEGACY][i] ? 0.24 : p;
        p = in[P_TABLET_OLD][i] ? 0.30 : p;
        p = in[P_KIOSK][i] ? 0.40 : p;
        p = in[P_WEEK_APP][i] ? 0.32 : p;
        bool yes = rnd_next(&r) & 1, wrong = rnd_unit(&r) < p;
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        char ts[32];
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
        len += (size_t)snprintf(csv + len, cap - len, "%zu,%s,%s,%s,%s,%s,%.2f,%.2f,%s,%s\n", i + 1,
                                ts, region, device, channel, plan, age, amount, yes ? "yes" : "no",
                                yes != wrong ? "yes" : "no");
    }
    return csv;
}

/* Whether row i is in slice s. */
static bool row_in(const binning *b, const srch_slice *s, size_t i)
{
    for (unsigned j = 0; j < s->npred; j++)
        if (b->dim[s->pred[j].dim].code[i] != s->pred[j].bin)
            return false;
    return true;
}

Test(srch, planted_failures_come_out, .timeout = 120)
{
    st_init();
    size_t n = 200000;
    bool *in[NPLANTED];
    for (int p = 0; p < NPLANTED; p++)
        in[p] = calloc(n, sizeof *in[p]);
    char *csv = planted_csv(n, in);
    loaded f;
    load_ds(&f, fl_load_str(csv));
    free(csv);
    cr_assert_str_eq(f.b.dim[dim_index(&f.b, "timestamp")].unit, "week");
    srch_opts opt;
    srch_opts_init(&opt); /* the defaults: significance, L = 3, K = 10 */
    srch_result res;
    err e = {0};
    cr_assert_eq(srch_run(&res, &f.b, &f.o, NULL, &opt, &e), E_OK, "%s", e.msg);
    cr_assert_eq(res.min_support, 100);
    cr_assert_leq(res.len, 10);
    char desc[512];
    for (size_t k = 0; k < res.len; k++) {
        srch_describe(&f.b, &res.v[k], desc, sizeof desc);
        cr_log_info("%zu: %s  n %zu rate %.3f lift_lo %.2f q %.2g", k + 1, desc, res.v[k].n,
                    res.v[k].rate, res.v[k].lift_lo, res.v[k].q);
    }
    for (int p = 0; p < NPLANTED; p++) {
        size_t np = 0;
        for (size_t i = 0; i < n; i++)
            np += in[p][i];
        bool found = false;
        for (size_t k = 0; k < res.len && !found; k++) {
            const srch_slice *s = &res.v[k];
            if (s->npred != plants[p].ncols)
                continue;
            bool same_cols = true;
            for (unsigned c = 0; c < plants[p].ncols; c++) {
                bool has = false;
                for (unsigned j = 0; j < s->npred; j++)
                    has = has || strcmp(f.b.dim[s->pred[j].dim].name, plants[p].cols[c]) == 0;
                same_cols = same_cols && has;
            }
            if (!same_cols)
                continue;
            /* its bins hold most of the planted rows, and few others */
            size_t both = 0;
            for (size_t i = 0; i < n; i++)
                both += in[p][i] && row_in(&f.b, s, i);
            found = both >= 0.8 * (double)np && both >= 0.8 * (double)s->n;
        }
        cr_assert(found, "planted slice not in the top 10: %s (%zu rows)", plants[p].name, np);
    }
    srch_done(&res);
    unload(&f);
    for (int p = 0; p < NPLANTED; p++)
        free(in[p]);
}
