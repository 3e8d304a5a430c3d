#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

/* Fisher's tie tolerance: a table counts as "as extreme" when its probability is at most
 * p_obs * (1 + 1e-7), as R's fisher.test does, so that tables whose probabilities are equal
 * in exact arithmetic are not split by rounding. */
#define FISHER_REL_TOL 1e-7

void st_init(void)
{
    gsl_set_error_handler_off();
}

/* ------------------------------------------------------------------ rates and intervals */

void st_wilson(size_t e, size_t n, double *lo, double *hi)
{
    if (n == 0 || e > n) {
        *lo = *hi = NAN;
        return;
    }
    const double z = ST_Z95, z2 = z * z, nn = (double)n, p = (double)e / nn;
    double den = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / den;
    double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / den;
    /* At e = 0 (e = n) the bound is 0 (1) exactly in real arithmetic; rounding could put it a
     * hair outside [0, 1], so pin it. */
    *lo = e == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = e == n ? 1.0 : fmin(1.0, centre + half);
}

/* ------------------------------------------------------ hypergeometric log-probabilities */

/* The hypergeometric probabilities follow Loader's saddle-point method ("Fast and accurate
 * computation of binomial probabilities", 2000), as R's dhyper: sums of log-factorials
 * lose 1e-9 to 1e-7 of relative accuracy at N = 10^7 (lnfact(10^7) is 1.5e8), the size of
 * Fisher's tie tolerance; the saddle-point form keeps ~1e-14 at any N. */

/* stirlerr(n) = ln(n!) - ln(sqrt(2 pi n) (n / e)^n) for an integer n >= 1. Values up to 15
 * were computed with mpmath at 40 digits; beyond, the asymptotic series (R's cut-offs). */
static double stirlerr(double n)
{
    static const double small[16] = {
        0.0, /* n = 0: never used (x = 0 and x = n are handled apart) */
        0.08106146679532725821967026,
        0.04134069595540929409382208,
        0.02767792568499833914878929,
        0.02079067210376509311152277,
        0.01664469118982119216319487,
        0.01387612882307074799874573,
        0.01189670994589177009505572,
        0.01041126526197209649747857,
        0.009255462182712732917728637,
        0.008330563433362871256469319,
        0.007573675487951840794972024,
        0.006942840107209529865664153,
        0.006408994188004207068439631,
        0.005951370112758847735624416,
        0.00555473355196280137103869,
    };
    const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
    if (n <= 15)
        return small[(int)n];
    double nn = n * n;
    if (n > 500)
        return (s0 - s1 / nn) / n;
    if (n > 80)
        return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35)
        return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* bd0(x, np) = x ln(x / np) + np - x, by its series when x is close to np, where the direct
 * form cancels. */
static double bd0(double x, double np)
{
    if (fabs(x - np) < 0.1 * (x + np)) {
        double v = (x - np) / (x + np);
        double s = (x - np) * v, ej = 2 * x * v;
        v *= v;
        for (int j = 1; j < 1000; j++) {
            ej *= v;
            double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
    }
    return x * log(x / np) + np - x;
}

/* ln P(Binomial(n, p) = x), with q = 1 - p given separately to keep its precision. */
static double ldbinom_raw(double x, double n, double p, double q)
{
    if (p == 0)
        return x == 0 ? 0 : -INFINITY;
    if (q == 0)
        return x == n ? 0 : -INFINITY;
    if (x == 0) {
        if (n == 0)
            return 0;
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
    }
    if (x == n)
        return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
    if (x < 0 || x > n)
        return -INFINITY;
    double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    double lf = log(2 * M_PI) + log(x) + log1p(-x / n);
    return lc - 0.5 * lf;
}

/* A hypergeometric law: `draws` rows taken from a population of good + bad. */
typedef struct hyper {
    double good, bad, draws;
    size_t lo, hi; /* support */
} hyper;

static hyper hyper_make(size_t good, size_t bad, size_t draws)
{
    hyper h = {(double)good, (double)bad, (double)draws, 0, 0};
    h.lo = draws > bad ? draws - bad : 0;
    h.hi = draws < good ? draws : good;
    return h;
}

/* ln P(X = x) (R's dhyper with log = TRUE). */
static double hyper_lpmf(const hyper *h, size_t xs)
{
    double x = (double)xs, n = h->draws, r = h->good, b = h->bad;
    if (xs < h->lo || xs > h->hi)
        return -INFINITY;
    if (n == 0)
        return 0;
    double p = n / (r + b), q = (r + b - n) / (r + b);
    return ldbinom_raw(x, r, p, q) + ldbinom_raw(n - x, b, p, q) - ldbinom_raw(n, r + b, p, q);
}

/* A mode of the law; the closed form is nudged to a local maximum of the computed
 * probabilities so that the two sides of it are monotone. */
static size_t hyper_mode(const hyper *h)
{
    double m = floor((h->draws + 1) * (h->good + 1) / (h->good + h->bad + 2));
    size_t x = m < (double)h->lo ? h->lo : m > (double)h->hi ? h->hi : (size_t)m;
    while (x < h->hi && hyper_lpmf(h, x + 1) > hyper_lpmf(h, x))
        x++;
    while (x > h->lo && hyper_lpmf(h, x - 1) > hyper_lpmf(h, x))
        x--;
    return x;
}

/* P(X = x - 1) / P(X = x) and P(X = x + 1) / P(X = x). */
static double ratio_down(const hyper *h, double x)
{
    return x * (h->bad - h->draws + x) / ((h->good - x + 1) * (h->draws - x + 1));
}

static double ratio_up(const hyper *h, double x)
{
    return (h->good - x) * (h->draws - x) / ((x + 1) * (h->bad - h->draws + x + 1));
}

/* Sum of P(X = x) over x = from, from + dir, ... (dir = +1 or -1) up to the end of the
 * support, where P is non-increasing in that direction (from is on the far side of the
 * mode). Successive terms come from the ratio recurrence, anchored at the saddle-point value
 * of the first. The law is log-concave, so once a term t follows a term t / r with r < 1,
 * everything after it is at most t r / (1 - r): the sum stops when that bound no longer
 * changes the result. Returns the sum as a log. */
static double hyper_tail_log(const hyper *h, size_t from, int dir)
{
    double l0 = hyper_lpmf(h, from);
    if (l0 == -INFINITY)
        return -INFINITY;
    double s = 1, t = 1;
    size_t x = from;
    while (dir > 0 ? x < h->hi : x > h->lo) {
        double r = dir > 0 ? ratio_up(h, (double)x) : ratio_down(h, (double)x);
        x = dir > 0 ? x + 1 : x - 1;
        t *= r;
        s += t;
        if (t == 0 || (r < 1 && t * r / (1 - r) <= s * (DBL_EPSILON / 4)))
            break;
    }
    return l0 + log(s);
}

/* P(X >= e) is summed here rather than taken from gsl_cdf_hypergeometric_Q: GSL builds its
 * terms from lnfact and is off by a few 1e-8 (relative) at N = 10^7 (e.g. P(X >= 300),
 * N = 10^7, 10^5 good, 10^4 draws: GSL 1.95460783e-59, exact 1.95460791e-59), takes
 * 32-bit sizes only, and would disagree in the 8th digit with the Fisher tails below that
 * add the same probabilities. */
double st_hyper_upper(size_t e, size_t n, size_t E, size_t N)
{
    if (n > N || E > N)
        return NAN;
    if (e == 0)
        return 1;
    hyper h = hyper_make(E, N - E, n);
    if (e <= h.lo)
        return 1;
    if (e > h.hi)
        return 0;
    size_t m = hyper_mode(&h);
    if (e > m)
        return exp(hyper_tail_log(&h, e, +1));
    /* e <= mode: the answer is at least P(X >= mode), which is not small, so taking it as
     * 1 - P(X <= e - 1) loses no relative precision */
    double p = 1 - exp(hyper_tail_log(&h, e - 1, -1));
    return p < 0 ? 0 : p;
}

/* ------------------------------------------------------------------------- 2x2 tables */

double st_fisher_two_sided(size_t a, size_t b, size_t c, size_t d)
{
    size_t r1 = a + b, r2 = c + d, c1 = a + c, c2 = b + d;
    if (r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0)
        return 1;
    /* X = a, the top-left cell: r1 draws from c1 "good" and c2 "bad" */
    hyper h = hyper_make(c1, c2, r1);
    double thr = hyper_lpmf(&h, a) + log1p(FISHER_REL_TOL);
    size_t m = hyper_mode(&h);
    if (hyper_lpmf(&h, m) <= thr)
        return 1; /* every table is at most as likely as the observed one */
    /* The tables as extreme as the observed one are two tails, x <= L and x >= U: the
     * probabilities rise up to the mode and fall after it, so each edge is found by
     * bisection and each tail summed from its edge outwards. */
    double lsum = -INFINITY, usum = -INFINITY;
    if (hyper_lpmf(&h, h.lo) <= thr) {
        size_t l = h.lo, r = m; /* lpmf(l) <= thr < lpmf(r) */
        while (r - l > 1) {
            size_t mid = l + (r - l) / 2;
            if (hyper_lpmf(&h, mid) <= thr)
                l = mid;
            else
                r = mid;
        }
        lsum = hyper_tail_log(&h, l, -1);
    }
    if (hyper_lpmf(&h, h.hi) <= thr) {
        size_t l = m, r = h.hi; /* lpmf(l) > thr >= lpmf(r) */
        while (r - l > 1) {
            size_t mid = l + (r - l) / 2;
            if (hyper_lpmf(&h, mid) <= thr)
                r = mid;
            else
                l = mid;
        }
        usum = hyper_tail_log(&h, r, +1);
    }
    double p = exp(lsum) + exp(usum);
    return p > 1 ? 1 : p;
}

double st_chi2_2x2(size_t a, size_t b, size_t c, size_t d)
{
    double r1 = (double)a + (double)b, r2 = (double)c + (double)d;
    double c1 = (double)a + (double)c, c2 = (double)b + (double)d;
    if (r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0)
        return 0;
    /* in double: the products overflow 64-bit integers once N passes ~10^9.5 */
    double det = (double)a * (double)d - (double)b * (double)c;
    return (r1 + r2) * (det / (r1 * c1)) * (det / (r2 * c2));
}

double st_chi2_q1(double x)
{
    if (isnan(x) || x < 0)
        return NAN;
    if (isinf(x))
        return 0; /* GSL answers NaN for an infinite statistic */
    double p = gsl_cdf_chisq_Q(x, 1);
    if (isnan(p))
        return NAN;
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

double st_chi2_2x2_p(size_t a, size_t b, size_t c, size_t d)
{
    if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0)
        return 1;
    return st_chi2_q1(st_chi2_2x2(a, b, c, d));
}

/* Whether the smallest expected count, min(row) * min(column) / N, is below 5 (cmin > 0). Integer
 * arithmetic when the product fits, so that a count of exactly 5 is not misjudged. */
static bool expected_below_5(size_t rmin, size_t cmin, size_t N)
{
    if (rmin <= SIZE_MAX / cmin && N <= SIZE_MAX / 5)
        return rmin * cmin < 5 * N;
    return (long double)rmin * (long double)cmin / (long double)N < 5.0L;
}

double st_slice_p_two_sided(size_t e, size_t n, size_t E, size_t N)
{
    if (e > n || e > E || n > N || E > N || E - e > N - n)
        return NAN;
    size_t a = e, b = n - e, c = E - e, d = (N - n) - (E - e);
    size_t r1 = n, r2 = N - n, c1 = E, c2 = N - E;
    if (r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0)
        return 1;
    if (expected_below_5(r1 < r2 ? r1 : r2, c1 < c2 ? c1 : c2, N))
        return st_fisher_two_sided(a, b, c, d);
    return st_chi2_2x2_p(a, b, c, d);
}

/* ---------------------------------------------------------------- Benjamini-Hochberg */

typedef struct pv {
    double p;
    size_t i; /* position in the caller's array */
} pv;

static int cmp_pv(const void *x, const void *y)
{
    const pv *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

err_code st_bh(const double *p, double *q, size_t m)
{
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        k += !isnan(p[i]);
    pv *v = malloc((k ? k : 1) * sizeof *v);
    if (!v)
        return E_NOMEM;
    k = 0;
    for (size_t i = 0; i < m; i++)
        if (!isnan(p[i]))
            v[k++] = (pv){p[i], i};
    /* v holds copies of the p-values, so writing q (which may alias p) is safe from here */
    for (size_t i = 0; i < m; i++)
        if (isnan(p[i]))
            q[i] = NAN;
    qsort(v, k, sizeof *v, cmp_pv);
    double run = 1;
    for (size_t j = k; j-- > 0;) {
        double r = (double)k * v[j].p / (double)(j + 1);
        if (r < run)
            run = r;
        q[v[j].i] = run;
    }
    free(v);
    return E_OK;
}

/* ------------------------------------------------------------------ quantiles and bins */

double st_quantile_sorted(const double *sorted, size_t m, double prob)
{
    if (m == 0 || isnan(prob))
        return NAN;
    /* numpy "linear": virtual index h = (m - 1) p, then numpy's _lerp, which interpolates
     * from the nearer neighbour (b - (b - a)(1 - g) when g >= 0.5) for symmetric rounding;
     * copied so that edges equal numpy's to the last bit. */
    double h = (double)(m - 1) * prob;
    if (h >= (double)(m - 1))
        return sorted[m - 1];
    if (h <= 0)
        return sorted[0];
    size_t i = (size_t)floor(h);
    double g = h - (double)i, a = sorted[i], b = sorted[i + 1];
    if (g == 0)
        return a; /* numpy gives a + (b - a) * 0, NaN when b is infinite */
    double diff = b - a;
    return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
}

size_t st_qcut_edges(const double *sorted, size_t m, size_t nbins, double *edges)
{
    if (m == 0 || nbins == 0)
        return 0;
    /* pandas takes the probabilities from numpy.linspace(0, 1, nbins + 1), which computes
     * i * (1 / nbins) and sets the last one to 1: 3 * 0.1 is 0.30000000000000004, not 0.3,
     * and that can leave an edge one ulp above a tied value, which pandas keeps as its own
     * (empty) bin. The same products are used here so that the edges agree bit for bit. */
    double step = 1.0 / (double)nbins;
    size_t ne = 0;
    for (size_t i = 0; i <= nbins; i++) {
        double prob = i == nbins ? 1.0 : (double)i * step;
        double q = st_quantile_sorted(sorted, m, prob);
        if (ne == 0 || q != edges[ne - 1])
            edges[ne++] = q;
    }
    return ne;
}

int st_bin_of(const double *edges, size_t nedges, double x)
{
    if (nedges == 0 || isnan(x))
        return -1;
    if (x == edges[0])
        return 0;
    if (x < edges[0] || x > edges[nedges - 1])
        return -1;
    /* pandas: searchsorted(edges, x, side="left") - 1, the first edge >= x closes the bin */
    size_t lo = 0, hi = nedges - 1; /* edges[lo] < x <= edges[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (edges[mid] < x)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo;
}

/* ------------------------------------------------------------------------ association */

double st_mutual_info_bits(const size_t *n_err, const size_t *n_ok, size_t k)
{
    double N = 0, E = 0;
    for (size_t x = 0; x < k; x++) {
        E += (double)n_err[x];
        N += (double)n_err[x] + (double)n_ok[x];
    }
    if (N == 0)
        return NAN;
    double col[2] = {E, N - E}, I = 0;
    for (size_t x = 0; x < k; x++) {
        double cell[2] = {(double)n_err[x], (double)n_ok[x]};
        double nx = cell[0] + cell[1];
        for (int y = 0; y < 2; y++)
            if (cell[y] > 0)
                I += cell[y] / N * log2(cell[y] * N / (nx * col[y]));
    }
    return I > 0 ? I : 0; /* rounding can leave -1e-17 for independent variables */
}

double st_cramers_v(const size_t *n_err, const size_t *n_ok, size_t k)
{
    double N = 0, E = 0;
    for (size_t x = 0; x < k; x++) {
        E += (double)n_err[x];
        N += (double)n_err[x] + (double)n_ok[x];
    }
    if (N == 0)
        return NAN;
    double col[2] = {E, N - E}, chi2 = 0;
    for (size_t x = 0; x < k; x++) {
        double cell[2] = {(double)n_err[x], (double)n_ok[x]};
        double nx = cell[0] + cell[1];
        for (int y = 0; y < 2; y++) {
            double ex = nx * col[y] / N;
            if (ex > 0) /* an empty level or column carries no association */
                chi2 += (cell[y] - ex) * (cell[y] - ex) / ex;
        }
    }
    return sqrt(chi2 / N);
}

/* ----------------------------------------------------------------------------- median */

static double median3(double a, double b, double c)
{
    if (a > b) {
        double t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

/* The k-th smallest of x[0..n) (0-based), leaving every element after position k no
 * smaller than it. Quickselect with a three-way partition, so that heavy ties (many equal
 * errors) cost linear time instead of quadratic. */
static double select_kth(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        double piv = median3(x[lo], x[lo + (hi - lo) / 2], x[hi - 1]);
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double v = x[i];
            if (v < piv) {
                x[i++] = x[lt];
                x[lt++] = v;
            } else if (v > piv) {
                x[i] = x[--gt];
                x[gt] = v;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return piv;
    }
    return x[lo];
}

double st_median_inplace(double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            x[m++] = x[i];
    if (m == 0)
        return NAN;
    if (m % 2)
        return select_kth(x, m, m / 2);
    double a = select_kth(x, m, m / 2 - 1), b = x[m / 2];
    for (size_t i = m / 2 + 1; i < m; i++)
        if (x[i] < b)
            b = x[i];
    return (a + b) / 2; /* numpy.median: the mean of the two middle values */
}

double st_median(const double *x, size_t n)
{
    double *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return NAN;
    if (n)
        memcpy(c, x, n * sizeof *c);
    double r = st_median_inplace(c, n);
    free(c);
    return r;
}
