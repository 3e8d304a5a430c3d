/* gen_predictions: writes a synthetic prediction file for the load and analysis benchmarks.
 *
 * usage: gen_predictions ROWS OUT.csv [SEED]
 *
 * Columns (about 210 bytes a row): id, cat_a..cat_f (3, 5, 12, 40, 100, 200 levels, skewed),
 * num_a (amount, 2 decimals), num_b (count), num_c (score, 6 decimals), num_d (normal,
 * 4 decimals), num_e (3 decimals, ~5% empty = missing), num_f (%.5g, some with exponents),
 * text (5-30 pseudo-words from a vocabulary of 4000; quoted when it holds a comma or a
 * quote), ts (ISO-8601 UTC over four months of 2024), label and prediction (neg/pos),
 * prob_neg and prob_pos (6 decimals, summing to exactly 1).
 *
 * The model errs more in planted slices, so that an explorer has something to find:
 *   - cat_b == b_3 and num_a in its top decile: error rate ~35%;
 *   - cat_e == e_7 and num_b >= 95 (about 0.1% of rows): 5x the base error (40%);
 *   - ts in 2024-03-01..2024-03-14 and cat_a == a_2: ~30%;
 *   - elsewhere the base error rate is 8%.
 * Output is a deterministic function of ROWS and SEED (xoshiro256** seeded by splitmix64). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 4000
#define BASE_ERR 0.08

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next_u64(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1) with 53 random bits. */
static double uniform(rng *r)
{
    return (double)(next_u64(r) >> 11) * 0x1.0p-53;
}

static unsigned below(rng *r, unsigned n)
{
    return (unsigned)(uniform(r) * n);
}

static double normal(rng *r)
{
    double u = uniform(r), v = uniform(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* A skewed level: low indexes are the frequent ones. */
static unsigned skewed(rng *r, unsigned levels)
{
    double u = uniform(r);
    return (unsigned)(levels * u * u);
}

typedef struct vocab {
    char word[VOCAB][12];
    unsigned char len[VOCAB];
} vocab;

static void make_vocab(vocab *v, rng *r)
{
    static const char cons[] = "bcdfghjklmnprstvwz", vow[] = "aeiou";
    for (int i = 0; i < VOCAB; i++) {
        unsigned n = 2 + below(r, 5) + (below(r, 4) == 0 ? below(r, 3) : 0); /* 2..8 letters */
        for (unsigned k = 0; k < n; k++)
            v->word[i][k] = k % 2 ? vow[below(r, 5)] : cons[below(r, 18)];
        v->word[i][n] = '\0';
        v->len[i] = (unsigned char)n;
    }
}

/* The text cell, already quoted when needed. */
static size_t make_text(char *out, const vocab *v, rng *r)
{
    char raw[512];
    size_t n = 0;
    unsigned words = 5 + below(r, 26);
    int quote_at = below(r, 100) == 0 ? (int)below(r, words) : -1; /* 1%: a "quoted" word */
    bool special = quote_at >= 0;
    for (unsigned w = 0; w < words; w++) {
        unsigned i = (unsigned)(VOCAB * pow(uniform(r), 2.5));
        if (w)
            raw[n++] = ' ';
        if ((int)w == quote_at)
            raw[n++] = '"';
        memcpy(raw + n, v->word[i], v->len[i]);
        n += v->len[i];
        if ((int)w == quote_at)
            raw[n++] = '"';
        if (w + 1 < words && below(r, 25) == 0) {
            raw[n++] = ',';
            special = true;
        }
    }
    if (!special) {
        memcpy(out, raw, n);
        return n;
    }
    size_t m = 0;
    out[m++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '"')
            out[m++] = '"';
        out[m++] = raw[i];
    }
    out[m++] = '"';
    return m;
}

/* Seconds from 1970 to 2024-01-01T00:00:00Z, and the planted window of March 1-14. */
#define T0 1704067200.0
#define SPAN (121.0 * 86400)
#define WIN_LO 1709251200.0
#define WIN_HI (WIN_LO + 14 * 86400)

static size_t format_ts(char *out, long t)
{
    long days = t / 86400, sec = t % 86400;
    /* civil_from_days (Howard Hinnant), valid for these dates */
    long z = days + 719468, era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return (size_t)sprintf(out, "%04ld-%02ld-%02ldT%02ld:%02ld:%02ldZ", y, m, d, sec / 3600,
                           sec / 60 % 60, sec % 60);
}

static double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* num_a is lognormal(3.5, 1): its top decile starts at exp(3.5 + 1.2816). */
#define NUM_A_P90 119.3

static int write_rows(FILE *f, long rows, uint64_t seed)
{
    static const unsigned levels[6] = {3, 5, 12, 40, 100, 200};
    rng r;
    rng_seed(&r, seed);
    vocab *v = malloc(sizeof *v);
    if (!v)
        return -1;
    make_vocab(v, &r);
    fputs("id,cat_a,cat_b,cat_c,cat_d,cat_e,cat_f,num_a,num_b,num_c,num_d,num_e,num_f,text,ts,"
          "label,prediction,prob_neg,prob_pos\n",
          f);
    char line[1024];
    for (long id = 1; id <= rows; id++) {
        size_t n = (size_t)sprintf(line, "%ld", id);
        unsigned cat[6];
        for (int k = 0; k < 6; k++) {
            cat[k] = skewed(&r, levels[k]);
            n += (size_t)sprintf(line + n, ",%c_%u", 'a' + k, cat[k]);
        }
        double a = exp(3.5 + normal(&r));
        unsigned b = below(&r, 100);
        double c = uniform(&r), d = normal(&r) * 2.0, ev = normal(&r) * 10 + 50;
        double fv = exp(normal(&r) * 6.0);
        n += (size_t)sprintf(line + n, ",%.2f,%u,%.6f,%.4f,", a, b, c, d);
        if (below(&r, 20) != 0)
            n += (size_t)sprintf(line + n, "%.3f", ev);
        n += (size_t)sprintf(line + n, ",%.5g,", fv);
        n += make_text(line + n, v, &r);
        long t = (long)(T0 + uniform(&r) * SPAN);
        line[n++] = ',';
        n += format_ts(line + n, t);

        bool pos = uniform(&r) < sigmoid(2.5 * (c - 0.5) + 0.3 * d);
        double perr = BASE_ERR;
        if (cat[1] == 3 && a >= NUM_A_P90)
            perr = 0.35;
        if (cat[4] == 7 && b >= 95)
            perr = 5 * BASE_ERR;
        if (t >= WIN_LO && t < WIN_HI && cat[0] == 2)
            perr = 0.30;
        bool wrong = uniform(&r) < perr;
        bool pred = wrong ? !pos : pos;
        /* Probability of the predicted class in (0.5, 1), in millionths so that the two
         * columns add up to exactly 1.000000. */
        long conf = 500001 + (long)(499998 * pow(uniform(&r), wrong ? 1.5 : 0.4));
        long ppos = pred ? conf : 1000000 - conf;
        n += (size_t)sprintf(line + n, ",%s,%s,%ld.%06ld,%ld.%06ld\n", pos ? "pos" : "neg",
                             pred ? "pos" : "neg", (1000000 - ppos) / 1000000,
                             (1000000 - ppos) % 1000000, ppos / 1000000, ppos % 1000000);
        if (fwrite(line, 1, n, f) != n) {
            free(v);
            return -1;
        }
    }
    free(v);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: gen_predictions ROWS OUT.csv [SEED]\n");
        return 2;
    }
    char *end;
    long rows = strtol(argv[1], &end, 10);
    if (*end || rows < 0) {
        fprintf(stderr, "gen_predictions: bad row count '%s'\n", argv[1]);
        return 2;
    }
    uint64_t seed = argc == 4 ? strtoull(argv[3], NULL, 10) : 42;
    FILE *f = fopen(argv[2], "wb");
    if (!f) {
        fprintf(stderr, "gen_predictions: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    int rc = write_rows(f, rows, seed);
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "gen_predictions: %s: write error\n", argv[2]);
        return 1;
    }
    return 0;
}
