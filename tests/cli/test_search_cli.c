/* Slice search ("discovered") and `faultline bench`, black-box through the binary.
 *
 * Contract (manual, Slice search; STATISTICS.md, Slice search scores):
 *  - every conjunction of up to L conditions (column = level, or column in bin) with at least
 *    min-support rows is evaluated; --levels L (default 3, 0 = off), --top K (default 10),
 *    --min-support N|P% (default max(20, 0.05% of the selection)), --rank significance|sliceline,
 *    --alpha A (default 0.95).
 *  - significance: one-sided hypergeometric p = P(X >= e), X ~ Hypergeometric(N, E, n); BH over
 *    every evaluated slice; q < 0.05 kept; ordered by the lower bound of the lift; a slice with
 *    more conditions is kept only when significantly worse than each of its parents.
 *  - sliceline: score = alpha*((e/n)/(E/N) - 1) - (1 - alpha)*(N/n - 1); top K by score, ties
 *    with the K-th kept.
 *  - each slice: n, errors (= rows of the selection matching all its predicates), error_rate =
 *    e/n, Wilson 95% ci_lo/ci_hi, lift = rate / (E/N), lift_lo = ci_lo / (E/N), coverage =
 *    e/E, score, p_value, q_value.
 * The data set is written by the test itself from a fixed seed, and every figure is recomputed
 * here from the rows. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

/* ---- the planted data set ----------------------------------------------------------------- */

#define NROWS 2000
#define NCOLS 4
static const char *col_names[NCOLS] = {"a", "b", "c", "num"};
static char cells[NROWS][NCOLS][16];
static int is_err[NROWS];
static char data_path[64];

static unsigned long long rng_state;
static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* 2,000 rows: a in {x,p,q,r}, b in {y,s,t}, c in {k1..k5} (noise), num uniform 0..100 (noise).
 * A row is wrong with probability 0.60 when a == x and b == y, else 0.05. */
static void make_planted(void)
{
    static const char *as[] = {"x", "p", "q", "r"}, *bs[] = {"y", "s", "t"},
                      *cs[] = {"k1", "k2", "k3", "k4", "k5"};
    rng_state = 20240501ULL;
    strcpy(data_path, "/tmp/fl_search_XXXXXX");
    int fd = mkstemp(data_path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fprintf(f, "id,a,b,c,num,y_true,y_pred\n");
    for (int i = 0; i < NROWS; i++) {
        const char *a = as[(int)(rnd() * 4)], *b = bs[(int)(rnd() * 3)], *c = cs[(int)(rnd() * 5)];
        double num = (double)(int)(rnd() * 10000) / 100.0;
        const char *truth = rnd() < 0.5 ? "neg" : "pos";
        double pe = (strcmp(a, "x") == 0 && strcmp(b, "y") == 0) ? 0.60 : 0.05;
        is_err[i] = rnd() < pe;
        const char *pred = is_err[i] ? (truth[0] == 'n' ? "pos" : "neg") : truth;
        snprintf(cells[i][0], 16, "%s", a);
        snprintf(cells[i][1], 16, "%s", b);
        snprintf(cells[i][2], 16, "%s", c);
        snprintf(cells[i][3], 16, "%.2f", num);
        fprintf(f, "%d,%s,%s,%s,%s,%s,%s\n", i + 1, a, b, c, cells[i][3], truth, pred);
    }
    fclose(f);
}

static void drop_planted(void) { unlink(data_path); }

/* ---- naive recount ------------------------------------------------------------------------ */

static int col_index(const char *name)
{
    for (int c = 0; c < NCOLS; c++)
        if (strcmp(col_names[c], name) == 0)
            return c;
    return -1;
}

/* 1 when row i satisfies predicate p (column = level, or column in [lo, hi] with the bounds'
 * closedness as reported; a bin without closedness flags is (lo, hi]). */
static int pred_holds(const jm_node *p, int i)
{
    const char *col = jm_str(jm_get(p, "column"));
    int c = col ? col_index(col) : -1;
    cr_assert(c >= 0, "predicate on an unknown column %s", col ? col : "(null)");
    const char *cell = cells[i][c];
    const jm_node *v = jm_get(p, "value");
    if (v) {
        if (v->type == JM_STR)
            return strcmp(v->str, "(missing)") == 0 ? cell[0] == '\0' : strcmp(v->str, cell) == 0;
        if (v->type == JM_NUM)
            return cell[0] && atof(cell) == v->num;
        cr_assert(0, "predicate value of an unexpected type");
    }
    double lo = jm_num(jm_get(p, "lo")), hi = jm_num(jm_get(p, "hi"));
    cr_assert(!isnan(lo) && !isnan(hi), "predicate has neither a value nor lo/hi");
    if (!cell[0])
        return 0;
    double x = atof(cell);
    const jm_node *lc = jm_get(p, "lo_closed"), *hc = jm_get(p, "hi_closed");
    int lo_closed = lc ? jm_is_true(lc) : 0, hi_closed = hc ? jm_is_true(hc) : 1;
    return (lo_closed ? x >= lo : x > lo) && (hi_closed ? x <= hi : x < hi);
}

/* Rows of the selection (sel[i] != 0) matching every predicate of preds except number skip. */
static void count_slice(const jm_node *preds, size_t skip, const int *sel, int *n, int *e)
{
    *n = *e = 0;
    for (int i = 0; i < NROWS; i++) {
        if (!sel[i])
            continue;
        int ok = 1;
        for (size_t k = 0; k < jm_len(preds) && ok; k++)
            if (k != skip)
                ok = pred_holds(jm_at(preds, k), i);
        if (ok) {
            (*n)++;
            *e += is_err[i];
        }
    }
}

static double lchoose(double n, double k) { return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1); }

/* P(X >= e), X ~ Hypergeometric(population N, E successes, n draws). */
static double hyper_upper(int e, int E, int N, int n)
{
    if (e <= 0)
        return 1.0;
    double s = 0, base = lchoose(N, n);
    int hi = n < E ? n : E;
    for (int k = e; k <= hi; k++) {
        if (n - k > N - E)
            continue;
        s += exp(lchoose(E, k) + lchoose(N - E, n - k) - base);
    }
    return s;
}

static void wilson(double e, double n, double *lo, double *hi)
{
    const double z = 1.959963985;
    double p = e / n, z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    *lo = centre - half;
    *hi = centre + half;
}

/* Checks every discovered slice against the rows: counts, rate, interval, lift, coverage,
 * Sliceline score (with alpha), and, under significance ranking, the p-value, q < 0.05, the
 * order and the refinement rule. Returns the array. */
static const jm_node *check_discovered(const jm_node *root, const int *sel, double alpha,
                                       int significance, int max_levels, double min_support)
{
    int N = 0, E = 0;
    for (int i = 0; i < NROWS; i++)
        if (sel[i]) {
            N++;
            E += is_err[i];
        }
    double base = (double)E / N;
    const jm_node *d = jm_get(root, "discovered");
    cr_assert(d && d->type == JM_ARR, "no \"discovered\" array");
    for (size_t s = 0; s < jm_len(d); s++) {
        const jm_node *sl = jm_at(d, s);
        const jm_node *preds = jm_get(sl, "predicates");
        cr_assert(jm_len(preds) >= 1, "slice %zu has no predicate", s);
        cr_expect((int)jm_len(preds) <= max_levels, "slice %zu has %zu predicates (levels %d)", s,
                  jm_len(preds), max_levels);
        int n, e;
        count_slice(preds, (size_t)-1, sel, &n, &e);
        const char *desc = jm_str(jm_get(sl, "description"));
        if (!desc)
            desc = "?";
        cr_expect(jm_num(jm_get(sl, "n")) == n, "slice %zu (%s): n %g, rows matching %d", s, desc,
                  jm_num(jm_get(sl, "n")), n);
        cr_expect(jm_num(jm_get(sl, "errors")) == e, "slice %zu (%s): errors %g, counted %d", s,
                  desc, jm_num(jm_get(sl, "errors")), e);
        cr_expect(n >= min_support, "slice %zu (%s): %d rows, under the min support %g", s, desc,
                  n, min_support);
        if (n == 0)
            continue;
        double r = (double)e / n, lo, hi;
        wilson(e, n, &lo, &hi);
        CLI_NEAR(jm_num(jm_get(sl, "error_rate")), r, TOL_RATE, "error_rate");
        CLI_NEAR(jm_num(jm_get(sl, "ci_lo")), lo, TOL_RATE, "ci_lo");
        CLI_NEAR(jm_num(jm_get(sl, "ci_hi")), hi, TOL_RATE, "ci_hi");
        CLI_NEAR(jm_num(jm_get(sl, "lift")), r / base, TOL_RATE, "lift");
        if (jm_get(sl, "lift_lo"))
            CLI_NEAR(jm_num(jm_get(sl, "lift_lo")), lo / base, TOL_RATE, "lift_lo");
        CLI_NEAR(jm_num(jm_get(sl, "coverage")), (double)e / E, TOL_RATE, "coverage");
        double score = alpha * (r / base - 1) - (1 - alpha) * ((double)N / n - 1);
        CLI_NEAR(jm_num(jm_get(sl, "score")), score, TOL_RATE, "score");
        if (significance) {
            double p = hyper_upper(e, E, N, n);
            CLI_NEAR_REL(jm_num(jm_get(sl, "p_value")), p, 1e-6, "p_value");
            double q = jm_num(jm_get(sl, "q_value"));
            cr_expect(q < 0.05, "slice %zu (%s): q %g is not below 0.05", s, desc, q);
            cr_expect(q >= jm_num(jm_get(sl, "p_value")) * (1 - 1e-12),
                      "slice %zu: q %g below its p", s, q);
            if (s > 0)
                cr_expect(jm_num(jm_get(sl, "ci_lo")) <=
                              jm_num(jm_get(jm_at(d, s - 1), "ci_lo")) + 1e-12,
                          "slice %zu is ranked below a slice with a lower lift bound", s);
            /* worse than each parent: its rate exceeds the parent's (necessary for being
             * significantly above the parent's remainder) */
            if (jm_len(preds) >= 2) {
                for (size_t k = 0; k < jm_len(preds); k++) {
                    int pn, pe;
                    count_slice(preds, k, sel, &pn, &pe);
                    cr_expect((double)e / n > (double)pe / pn,
                              "slice %zu (%s): rate %g not above its parent's %g (%d/%d)", s,
                              desc, (double)e / n, (double)pe / pn, pe, pn);
                }
            }
        }
    }
    return d;
}

static int all_rows[NROWS];
static void select_all(void)
{
    for (int i = 0; i < NROWS; i++)
        all_rows[i] = 1;
}

static jm_node *search_json(const char *opts)
{
    char args[1024];
    snprintf(args, sizeof args, "report '%s' --format json %s", data_path, opts);
    return cli_json(args);
}

/* Predicate k of a slice is column == level. */
static int is_eq(const jm_node *p, const char *col, const char *val)
{
    const char *c = jm_str(jm_get(p, "column")), *v = jm_str(jm_get(p, "value"));
    const char *op = jm_str(jm_get(p, "op"));
    return c && v && strcmp(c, col) == 0 && strcmp(v, val) == 0 &&
           (!op || strcmp(op, "==") == 0 || strcmp(op, "=") == 0);
}

TestSuite(cli_search, .init = make_planted, .fini = drop_planted);

Test(cli_search, planted_slice_is_found_first)
{
    select_all();
    jm_node *root = search_json("");
    /* default min support: max(20, 0.05% of 2000 = 1) = 20 */
    const jm_node *d = check_discovered(root, all_rows, 0.95, 1, 3, 20);
    cr_assert(jm_len(d) >= 1, "no slice discovered");
    cr_expect(jm_len(d) <= 10, "%zu slices with the default --top 10", jm_len(d));
    const jm_node *preds = jm_get(jm_at(d, 0), "predicates");
    int ok = jm_len(preds) == 2 &&
             ((is_eq(jm_at(preds, 0), "a", "x") && is_eq(jm_at(preds, 1), "b", "y")) ||
              (is_eq(jm_at(preds, 0), "b", "y") && is_eq(jm_at(preds, 1), "a", "x")));
    cr_expect(ok, "the top slice is not {a == x, b == y}: %s",
              jm_str(jm_get(jm_at(d, 0), "description")) ? jm_str(jm_get(jm_at(d, 0), "description"))
                                                         : "?");
    const jm_node *search = jm_get(root, "search");
    if (search) {
        cr_expect_str_eq(jm_str(jm_get(search, "rank")), "significance");
        cr_expect(jm_num(jm_get(search, "levels")) == 3, "search.levels %g, expected 3",
                  jm_num(jm_get(search, "levels")));
        cr_expect(jm_num(jm_get(search, "min_support")) == 20, "search.min_support %g, expected 20",
                  jm_num(jm_get(search, "min_support")));
    }
}

Test(cli_search, levels_one_gives_single_predicates)
{
    select_all();
    jm_node *root = search_json("--levels 1");
    const jm_node *d = check_discovered(root, all_rows, 0.95, 1, 1, 20);
    cr_expect(jm_len(d) >= 1, "no slice discovered with --levels 1 (a == x alone is far worse)");
}

Test(cli_search, levels_zero_turns_the_search_off)
{
    jm_node *root = search_json("--levels 0");
    const jm_node *d = jm_get(root, "discovered");
    cr_expect(d == NULL || jm_len(d) == 0, "--levels 0 still lists %zu slices", jm_len(d));
}

Test(cli_search, sliceline_top3_scores_and_order)
{
    select_all();
    jm_node *root = search_json("--top 3 --rank sliceline");
    const jm_node *d = check_discovered(root, all_rows, 0.95, 0, 3, 20);
    cr_assert(jm_len(d) >= 3, "--top 3 gave %zu slices", jm_len(d));
    for (size_t i = 1; i < jm_len(d); i++)
        cr_expect(jm_num(jm_get(jm_at(d, i), "score")) <= jm_num(jm_get(jm_at(d, i - 1), "score")),
                  "slice %zu scores above slice %zu", i, i - 1);
    /* more than K only for ties with the K-th */
    double kth = jm_num(jm_get(jm_at(d, 2), "score"));
    for (size_t i = 3; i < jm_len(d); i++)
        cr_expect(fabs(jm_num(jm_get(jm_at(d, i), "score")) - kth) <= 1e-12,
                  "slice %zu beyond the top 3 is not tied with the 3rd", i);
    const jm_node *search = jm_get(root, "search");
    if (search)
        cr_expect_str_eq(jm_str(jm_get(search, "rank")), "sliceline");
}

Test(cli_search, sliceline_alpha_changes_scores)
{
    select_all();
    /* alpha 0.8: the planted slice (about 167 rows, 60% wrong against about 9% overall) scores
     * 0.8 * (6.6 - 1) - 0.2 * (12 - 1) > 0, so there is something to report */
    jm_node *root = search_json("--top 5 --rank sliceline --alpha 0.8");
    const jm_node *d = check_discovered(root, all_rows, 0.8, 0, 3, 20);
    cr_assert(jm_len(d) >= 1, "--alpha 0.8 gave no slice");
    for (size_t i = 1; i < jm_len(d); i++)
        cr_expect(jm_num(jm_get(jm_at(d, i), "score")) <= jm_num(jm_get(jm_at(d, i - 1), "score")),
                  "slice %zu scores above slice %zu", i, i - 1);
    /* alpha 0.5: whatever is reported carries the alpha-0.5 score. The Python sliceline package
     * keeps only slices with a positive score; on this data even the planted slice scores
     * 0.5 * (6.6 - 1) - 0.5 * (12 - 1) < 0, so an empty list is a correct answer here. */
    root = search_json("--top 5 --rank sliceline --alpha 0.5");
    check_discovered(root, all_rows, 0.5, 0, 3, 20);
}

Test(cli_search, sliceline_scores_are_positive)
{
    /* as the Python sliceline package: slices with a score <= 0 are not reported */
    select_all();
    jm_node *root = search_json("--top 50 --rank sliceline");
    const jm_node *d = check_discovered(root, all_rows, 0.95, 0, 3, 20);
    for (size_t i = 0; i < jm_len(d); i++)
        cr_expect(jm_num(jm_get(jm_at(d, i), "score")) > 0, "slice %zu has score %g", i,
                  jm_num(jm_get(jm_at(d, i), "score")));
}

Test(cli_search, min_support_percent)
{
    select_all();
    /* 5% of 2000 rows = 100 */
    jm_node *root = search_json("--min-support 5%");
    check_discovered(root, all_rows, 0.95, 1, 3, 100);
    const jm_node *search = jm_get(root, "search");
    if (search)
        cr_expect(jm_num(jm_get(search, "min_support")) == 100, "search.min_support %g, expected 100",
                  jm_num(jm_get(search, "min_support")));
    root = search_json("--min-support 5% --rank sliceline --top 20");
    check_discovered(root, all_rows, 0.95, 0, 3, 100);
}

Test(cli_search, min_support_count)
{
    select_all();
    jm_node *root = search_json("--min-support 150 --rank sliceline");
    check_discovered(root, all_rows, 0.95, 0, 3, 150);
}

Test(cli_search, search_stays_within_the_filter)
{
    static int sel[NROWS];
    int N = 0;
    for (int i = 0; i < NROWS; i++) {
        sel[i] = strcmp(cells[i][2], "k1") != 0;
        N += sel[i];
    }
    jm_node *root = search_json("--filter 'c != \"k1\"'");
    CLI_EXPECT_NUM(root, "selected", N, 0);
    const jm_node *d = check_discovered(root, sel, 0.95, 1, 3, 20);
    cr_expect(jm_len(d) >= 1, "nothing discovered in the selection");
    for (size_t s = 0; s < jm_len(d); s++)
        cr_expect(jm_num(jm_get(jm_at(d, s), "n")) <= N, "slice %zu is larger than the selection",
                  s);
    root = search_json("--filter 'c != \"k1\"' --rank sliceline --top 5");
    check_discovered(root, sel, 0.95, 0, 3, 20);
}

/* ---- bench --------------------------------------------------------------------------------- */

Test(cli_bench, adult_keys_and_sanity)
{
    jm_node *root = cli_json("bench samples/adult_predictions.csv");
    CLI_EXPECT_NUM(root, "rows", 16281, 0);
    static const char *keys[] = {"load_s",           "peak_rss_mb", "recompute_ms",
                                 "recompute_all_ms", "heatmap_ms",  "search_l2_s",
                                 "search_l3_s"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        double v = cli_num(root, keys[i]);
        cr_expect(isfinite(v) && v >= 0, "bench %s = %g, expected a number >= 0", keys[i], v);
    }
    /* the process holds at least the file's 2.2 MB of data in some form */
    cr_expect(cli_num(root, "peak_rss_mb") > 0, "peak_rss_mb is 0");
}
