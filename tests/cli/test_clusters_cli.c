/* Error clusters with keywords (issue 4), black-box through the binary.
 *
 * Written from the contract only (issue 4, the manual's "Error clusters" options, REPORT and
 * JSON keys, STATISTICS.md "Clusters and keywords"), never from the implementation:
 *   - `faultline report FILE` clusters the errors of the selection (every selected row with
 *     --cluster-all) into k clusters: --clusters K (2..50; 0 = off), default k from 2..12 by
 *     the mean silhouette (the smaller k on a tie), --seed S (unsigned, default 1),
 *     --embedding PREFIX (numeric columns PREFIX<number>), --filter narrows the selection.
 *   - Text column present: TF-IDF + spherical k-means on it; rows with nothing to cluster on
 *     (empty text) are counted as "unclustered". No text: standardised numeric + one-hot.
 *   - JSON "clusters": ordered by size descending, each {size, errors, error_share (= errors /
 *     all errors of the selection), error_rate (only with --cluster-all: errors/size),
 *     top_confusions (<= 3 true -> predicted pairs, most common first), keywords (<= 10,
 *     {term, score, count}, score descending, >= 5 occurrences in the cluster),
 *     representatives (1-based data rows, 3 or fewer when the cluster is smaller)}, and
 *     "clustering" {method, column, scope, k, seed, silhouette, rows, unclustered, ...}.
 *   - Markdown: a "## Clusters" section.
 *   - Bad --clusters / --seed values and an --embedding prefix matching no column: exit 2 with
 *     a message naming the flag (or the prefix), never a crash.
 *   - Same input and seed: identical clusters.
 *
 * Every expected value is computed here, independently, from the CSV files (a small RFC 4180
 * reader below) or from synthetic files whose groups are planted by construction. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "cli_common.h"

#define SPAM "samples/spam_predictions.csv"
#define ADULT "samples/adult_predictions.csv"
#define LETTERS "samples/letters_predictions.csv"
#define DIAMONDS "samples/diamonds_predictions.csv"

/* ---- temporary files, removed when the test's worker exits (also after a failed assert) -- */

#define CLU_TMP_MAX 16
static char tmp_paths[CLU_TMP_MAX][64];
static int tmp_count, tmp_armed;

static void tmp_cleanup(void)
{
    for (int i = 0; i < tmp_count; i++)
        unlink(tmp_paths[i]);
    tmp_count = 0;
}

/* Writes text to a new /tmp/fl_clu_XXXXXX.csv; returns its path (static storage). */
static const char *tmp_csv(const char *text)
{
    cr_assert(tmp_count < CLU_TMP_MAX);
    char *p = tmp_paths[tmp_count];
    snprintf(p, 64, "/tmp/fl_clu_XXXXXX.csv");
    int fd = mkstemps(p, 4);
    cr_assert(fd >= 0, "cannot create a temporary file");
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    tmp_count++;
    if (!tmp_armed) {
        tmp_armed = 1;
        atexit(tmp_cleanup);
    }
    return p;
}

/* ---- a small RFC 4180 reader (quoted fields with commas, "" and line breaks; LF or CRLF) -- */

typedef struct {
    size_t ncols, nrows; /* nrows: data rows, the header not counted */
    char **cells;        /* (nrows + 1) * ncols, row 0 is the header */
} csv_table;

static csv_table *csv_read(const char *rel)
{
    char full[4096];
    if (rel[0] == '/')
        snprintf(full, sizeof full, "%s", rel);
    else
        snprintf(full, sizeof full, "%s/%s", FL_SOURCE_DIR, rel);
    size_t len = 0;
    char *src = cli_own(fl_read_file(full, &len));
    cr_assert(src, "cannot read %s", full);
    char *buf = cli_own(malloc(len + 1)); /* unescaped fields are never longer than the input */
    size_t maxf = 2;
    for (size_t i = 0; i < len; i++)
        if (src[i] == ',' || src[i] == '\n')
            maxf++;
    char **cells = cli_own(malloc(maxf * sizeof *cells));
    cr_assert(buf && cells);
    size_t nf = 0, o = 0, i = 0, ncols = 0, fields_in_rec = 0, nrec = 0;
    while (i < len) {
        cells[nf] = buf + o;
        if (src[i] == '"') {
            i++;
            for (;;) {
                cr_assert(i < len, "%s: unterminated quoted field", rel);
                if (src[i] == '"') {
                    if (i + 1 < len && src[i + 1] == '"') {
                        buf[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[o++] = src[i++];
            }
        } else {
            while (i < len && src[i] != ',' && src[i] != '\n' && src[i] != '\r')
                buf[o++] = src[i++];
        }
        buf[o++] = '\0';
        nf++;
        fields_in_rec++;
        cr_assert(nf < maxf);
        if (i < len && src[i] == ',') {
            i++;
            if (i == len) { /* a trailing comma: one more empty field */
                cells[nf++] = buf + o;
                buf[o++] = '\0';
                fields_in_rec++;
            }
            continue;
        }
        if (i < len && src[i] == '\r')
            i++;
        if (i < len && src[i] == '\n')
            i++;
        if (nrec == 0)
            ncols = fields_in_rec;
        cr_assert(fields_in_rec == ncols, "%s: record %zu has %zu fields, header %zu", rel,
                  nrec, fields_in_rec, ncols);
        nrec++;
        fields_in_rec = 0;
    }
    csv_table *t = cli_own(malloc(sizeof *t));
    t->ncols = ncols;
    t->nrows = nrec - 1;
    t->cells = cells;
    return t;
}

/* Cell of data row r (1-based, as the report's row numbers) and column c; r = 0: the header. */
static const char *cell(const csv_table *t, size_t r, size_t c)
{
    return t->cells[r * t->ncols + c];
}

static size_t col_index(const csv_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(cell(t, 0, c), name) == 0)
            return c;
    cr_assert(0, "no column %s", name);
    return 0;
}

/* A selection of rows of a table and its label / prediction columns. sel[r] for r = 1..nrows. */
typedef struct {
    const csv_table *t;
    size_t lab, pred;
    unsigned char *sel;
    size_t nsel, nerr;
} selection;

static int is_error(const selection *s, size_t r)
{
    return strcmp(cell(s->t, r, s->lab), cell(s->t, r, s->pred)) != 0;
}

/* Every row selected; keep() may narrow it (NULL: all rows). */
static selection *select_rows(const csv_table *t, const char *lab, const char *pred,
                              int (*keep)(const csv_table *, size_t))
{
    selection *s = cli_own(calloc(1, sizeof *s));
    s->t = t;
    s->lab = col_index(t, lab);
    s->pred = col_index(t, pred);
    s->sel = cli_own(calloc(t->nrows + 1, 1));
    for (size_t r = 1; r <= t->nrows; r++) {
        if (keep && !keep(t, r))
            continue;
        s->sel[r] = 1;
        s->nsel++;
        if (is_error(s, r))
            s->nerr++;
    }
    return s;
}

/* Number of selected errors with this true -> predicted pair. */
static size_t pair_count(const selection *s, const char *lab, const char *pred)
{
    size_t k = 0;
    for (size_t r = 1; r <= s->t->nrows; r++)
        if (s->sel[r] && strcmp(cell(s->t, r, s->lab), lab) == 0 &&
            strcmp(cell(s->t, r, s->pred), pred) == 0 && strcmp(lab, pred) != 0)
            k++;
    return k;
}

/* Number of distinct true -> predicted pairs among the selected errors. */
static size_t distinct_error_pairs(const selection *s)
{
    size_t n = 0;
    const char **la = cli_own(malloc((s->nerr + 1) * sizeof *la));
    const char **pa = cli_own(malloc((s->nerr + 1) * sizeof *pa));
    for (size_t r = 1; r <= s->t->nrows; r++) {
        if (!s->sel[r] || !is_error(s, r))
            continue;
        const char *l = cell(s->t, r, s->lab), *p = cell(s->t, r, s->pred);
        size_t j = 0;
        while (j < n && !(strcmp(la[j], l) == 0 && strcmp(pa[j], p) == 0))
            j++;
        if (j == n) {
            la[n] = l;
            pa[n] = p;
            n++;
        }
    }
    return n;
}

/* ---- raw JSON text of a top-level member, for byte comparisons ------------------------- */

/* The raw text of the value of the first member "key" (searched as "\"key\":"), bracket-matched
 * outside strings; malloc'd (pool-owned), NULL when absent. */
static char *raw_member(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = json ? strstr(json, pat) : NULL;
    if (!p)
        return NULL;
    p += strlen(pat);
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    const char *q = p;
    int depth = 0, in_str = 0;
    for (; *q; q++) {
        if (in_str) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '"')
                in_str = 0;
            continue;
        }
        if (*q == '"')
            in_str = 1;
        else if (*q == '[' || *q == '{')
            depth++;
        else if (*q == ']' || *q == '}') {
            if (depth == 0)
                break;
            depth--;
            if (depth == 0) {
                q++;
                break;
            }
        } else if (*q == ',' && depth == 0)
            break;
    }
    size_t n = (size_t)(q - p);
    char *r = cli_own(malloc(n + 1));
    memcpy(r, p, n);
    r[n] = '\0';
    return r;
}

/* ---- words, as the manual defines them: runs of Unicode letters and digits, lower-cased --- */

/* Decodes UTF-8 into lower-cased wide characters (invalid bytes become U+FFFD). */
static size_t to_wide_lower(const char *s, wchar_t *out, size_t cap)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = 0, len = strlen(s);
    while (len > 0 && n + 1 < cap) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s, len, &st);
        if (k == (size_t)-1 || k == (size_t)-2) {
            memset(&st, 0, sizeof st);
            wc = 0xFFFD;
            k = 1;
        } else if (k == 0) {
            break;
        }
        out[n++] = (wchar_t)towlower((wint_t)wc);
        s += k;
        len -= k;
    }
    out[n] = 0;
    return n;
}

/* Occurrences of term as a whole word in text, case-insensitively. */
static size_t word_count(const char *text, const wchar_t *term, size_t tlen)
{
    size_t cap = strlen(text) + 1;
    wchar_t *w = malloc(cap * sizeof *w);
    cr_assert(w);
    size_t n = to_wide_lower(text, w, cap), hits = 0;
    for (size_t i = 0; i < n;) {
        if (!iswalnum((wint_t)w[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && iswalnum((wint_t)w[j]))
            j++;
        if (j - i == tlen && wmemcmp(w + i, term, tlen) == 0)
            hits++;
        i = j;
    }
    free(w);
    return hits;
}

/* ---- common checks of the clusters section --------------------------------------------- */

typedef struct {
    size_t nclusters, sum_size, sum_errors, unclustered;
} cluster_totals;

/* Checks everything that must hold whatever the clustering found:
 *   sizes descending and summing (with "unclustered") to the rows clustered (the selection's
 *   errors, or every selected row with all = 1); errors == size for error clusters;
 *   error_share = errors / selected errors; error_rate = errors / size only with all;
 *   representatives: min(3, size) distinct valid rows, selected, errors (unless all), never
 *   shared between clusters; top_confusions: <= 3 real error pairs, counts descending, each
 *   no more than its count in the selection, summing to at most the cluster's errors (exactly,
 *   when the selection has no more than 3 distinct error pairs); keywords: <= 10, scores
 *   descending, terms distinct, count >= 5 when given. */
static cluster_totals check_clusters(const jm_node *root, const selection *s, int all)
{
    cluster_totals tot = {0};
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert(cl && cl->type == JM_ARR, "JSON has no \"clusters\" array");
    const jm_node *cg = jm_get(root, "clustering");
    cr_assert(cg && cg->type == JM_OBJ, "JSON has no \"clustering\" object");
    cr_expect_str_eq(jm_str(jm_get(cg, "scope")), all ? "all" : "errors",
                     "clustering.scope should be %s", all ? "all" : "errors");
    const jm_node *unc = jm_get(cg, "unclustered");
    if (unc && unc->type == JM_NUM)
        tot.unclustered = (size_t)unc->num;
    size_t scope_rows = all ? s->nsel : s->nerr;
    tot.nclusters = jm_len(cl);
    unsigned char *used = cli_own(calloc(s->t->nrows + 1, 1));
    size_t pairs_in_selection = distinct_error_pairs(s);
    double prev_size = INFINITY;
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *c = jm_at(cl, i);
        double size = jm_num(jm_get(c, "size")), errors = jm_num(jm_get(c, "errors"));
        cr_assert(!isnan(size) && !isnan(errors), "cluster %zu lacks size or errors", i);
        cr_expect(size >= 1, "cluster %zu is empty (size %g)", i, size);
        cr_expect(size <= prev_size, "clusters are not ordered by size: %g after %g", size,
                  prev_size);
        prev_size = size;
        cr_expect(errors >= 0 && errors <= size, "cluster %zu: errors %g, size %g", i, errors,
                  size);
        if (!all)
            cr_expect(errors == size, "cluster %zu of errors: errors %g != size %g", i, errors,
                      size);
        tot.sum_size += (size_t)size;
        tot.sum_errors += (size_t)errors;
        CLI_NEAR(jm_num(jm_get(c, "error_share")), s->nerr ? errors / (double)s->nerr : 0,
                 TOL_RATE, "error_share = errors / errors of the selection");
        const jm_node *er = jm_get(c, "error_rate");
        if (all)
            CLI_NEAR(jm_num(er), errors / size, TOL_RATE, "error_rate = errors / size");
        else
            cr_expect(er == NULL || er->type == JM_NULL,
                      "cluster %zu has an error_rate without --cluster-all", i);

        /* representatives */
        const jm_node *rep = jm_get(c, "representatives");
        cr_expect(rep && rep->type == JM_ARR, "cluster %zu: no representatives array", i);
        size_t want_reps = size < 3 ? (size_t)size : 3;
        cr_expect(jm_len(rep) == want_reps, "cluster %zu (size %g): %zu representatives, "
                  "expected %zu", i, size, jm_len(rep), want_reps);
        for (size_t j = 0; j < jm_len(rep); j++) {
            double r = jm_num(jm_at(rep, j));
            cr_expect(r >= 1 && r <= (double)s->t->nrows && r == floor(r),
                      "cluster %zu: representative %g is not a data row (1..%zu)", i, r,
                      s->t->nrows);
            if (!(r >= 1 && r <= (double)s->t->nrows))
                continue;
            size_t ri = (size_t)r;
            cr_expect(s->sel[ri], "cluster %zu: representative row %zu is not selected", i, ri);
            if (!all)
                cr_expect(is_error(s, ri),
                          "cluster %zu: representative row %zu is not an error (label %s, "
                          "prediction %s)", i, ri, cell(s->t, ri, s->lab),
                          cell(s->t, ri, s->pred));
            cr_expect(!used[ri], "row %zu represents two clusters (a row is in one cluster)",
                      ri);
            used[ri] = 1;
        }

        /* top confusions */
        const jm_node *tc = jm_get(c, "top_confusions");
        cr_expect(tc && tc->type == JM_ARR, "cluster %zu: no top_confusions array", i);
        cr_expect(jm_len(tc) <= 3, "cluster %zu: %zu top confusions, at most 3", i,
                  jm_len(tc));
        double csum = 0, prev = INFINITY;
        for (size_t j = 0; j < jm_len(tc); j++) {
            const jm_node *p = jm_at(tc, j);
            const char *l = jm_str(jm_get(p, "label")), *pr = jm_str(jm_get(p, "pred"));
            double n = jm_num(jm_get(p, "count"));
            cr_expect(l && pr, "cluster %zu: confusion %zu lacks label/pred", i, j);
            if (!l || !pr)
                continue;
            cr_expect(strcmp(l, pr) != 0, "cluster %zu: confusion %s -> %s is not an error", i,
                      l, pr);
            cr_expect(n >= 1 && n <= errors, "cluster %zu: confusion count %g (errors %g)", i,
                      n, errors);
            cr_expect(n <= prev, "cluster %zu: confusions not most common first", i);
            prev = n;
            size_t real = pair_count(s, l, pr);
            cr_expect(n <= (double)real, "cluster %zu: %s -> %s counted %g, the selection has "
                      "%zu", i, l, pr, n, real);
            csum += n;
        }
        cr_expect(csum <= errors, "cluster %zu: confusions sum to %g > errors %g", i, csum,
                  errors);
        if (pairs_in_selection <= 3)
            cr_expect(csum == errors, "cluster %zu: the selection has %zu error pairs, so the "
                      "3 listed cover every error: sum %g, errors %g", i, pairs_in_selection,
                      csum, errors);

        /* keywords */
        const jm_node *kw = jm_get(c, "keywords");
        cr_expect(kw && kw->type == JM_ARR, "cluster %zu: no keywords array", i);
        cr_expect(jm_len(kw) <= 10, "cluster %zu: %zu keywords, at most 10", i, jm_len(kw));
        double prev_score = INFINITY;
        for (size_t j = 0; j < jm_len(kw); j++) {
            const jm_node *k = jm_at(kw, j);
            const char *term = jm_str(jm_get(k, "term"));
            double sc = jm_num(jm_get(k, "score"));
            cr_expect(term && term[0], "cluster %zu: keyword %zu has no term", i, j);
            cr_expect(!isnan(sc), "cluster %zu: keyword %zu has no score", i, j);
            cr_expect(sc <= prev_score, "cluster %zu: keyword scores not descending", i);
            prev_score = sc;
            const jm_node *cnt = jm_get(k, "count");
            if (cnt)
                cr_expect(jm_num(cnt) >= 5, "cluster %zu: keyword %s has %g occurrences, at "
                          "least 5 required", i, term ? term : "?", jm_num(cnt));
            for (size_t m = 0; m < j && term; m++) {
                const char *o = jm_str(jm_get(jm_at(kw, m), "term"));
                cr_expect(!o || strcmp(o, term) != 0, "cluster %zu: keyword %s twice", i, term);
            }
        }
    }
    /* every row of the scope is in one cluster or counted as unclustered */
    if (tot.nclusters > 0)
        cr_expect(tot.sum_size + tot.unclustered == scope_rows,
                  "sizes sum to %zu + %zu unclustered, expected %zu rows (%s)", tot.sum_size,
                  tot.unclustered, scope_rows, all ? "selected rows" : "selected errors");
    if (!all)
        cr_expect(tot.sum_errors == tot.sum_size);
    else
        cr_expect(tot.sum_errors <= s->nerr && tot.sum_errors + tot.unclustered >= s->nerr,
                  "cluster errors sum to %zu, selection has %zu errors (%zu unclustered)",
                  tot.sum_errors, s->nerr, tot.unclustered);
    /* shares: errors / all errors, so they sum to the clustered share (1 when all are) */
    double share_sum = 0;
    for (size_t i = 0; i < jm_len(cl); i++)
        share_sum += jm_num(jm_get(jm_at(cl, i), "error_share"));
    if (tot.nclusters > 0 && s->nerr > 0) {
        CLI_NEAR(share_sum, tot.sum_errors / (double)s->nerr, TOL_RATE,
                 "sum of error_share = clustered errors / errors");
        if (tot.sum_errors == s->nerr)
            CLI_NEAR(share_sum, 1.0, TOL_RATE, "sum of error_share when every error is "
                     "clustered");
    }
    /* k and rows of the clustering object */
    if (tot.nclusters > 0) {
        cr_expect(jm_num(jm_get(cg, "k")) == (double)tot.nclusters,
                  "clustering.k %g, but %zu clusters listed", jm_num(jm_get(cg, "k")),
                  tot.nclusters);
        double rows = jm_num(jm_get(cg, "rows"));
        cr_expect(rows == (double)scope_rows || rows == (double)tot.sum_size,
                  "clustering.rows %g: neither the %zu rows in scope nor the %zu clustered",
                  rows, scope_rows, tot.sum_size);
        /* keywords are scored against the correctly predicted rows of the selection */
        const jm_node *ref = jm_get(cg, "reference_rows");
        if (ref && ref->type == JM_NUM)
            cr_expect(ref->num == (double)(s->nsel - s->nerr),
                      "clustering.reference_rows %g, the selection has %zu correct rows",
                      ref->num, s->nsel - s->nerr);
        double sil = jm_num(jm_get(cg, "silhouette"));
        cr_expect(!(sil < -1 || sil > 1), "silhouette %g outside [-1, 1]", sil);
    }
    return tot;
}

/* Runs a report in JSON with the slice search off (these tests are about the clusters). */
static jm_node *run_json(const char *file, const char *flags, char **raw)
{
    char args[4096];
    snprintf(args, sizeof args, "report '%s' --format json --levels 0 %s", file, flags);
    char *out = NULL, *serr = NULL;
    int rc = cli_run(args, &out, &serr);
    cr_assert(rc == 0, "faultline %s: exit %d, stderr: %s", args, rc, serr ? serr : "");
    char why[128];
    jm_node *root = cli_parse(out, why, sizeof why);
    cr_assert(root && root->type == JM_OBJ, "faultline %s: stdout is not a JSON object (%s)",
              args, why);
    if (raw)
        *raw = out;
    return root;
}

/* ---- spam: text clustering on the real file ------------------------------------------- */

/* The 6 errors whose body is empty (computed from the CSV: rows 1938, 1939, 1941, 1944, 1945,
 * 2079) have nothing to cluster on, so at least 6 errors are "unclustered". */
static size_t empty_text_errors(const selection *s, size_t textcol)
{
    size_t k = 0;
    for (size_t r = 1; r <= s->t->nrows; r++)
        if (s->sel[r] && is_error(s, r) && cell(s->t, r, textcol)[0] == '\0')
            k++;
    return k;
}

/* Checks every text keyword of every cluster against the selection's error bodies: a term is
 * a word of at least two characters (single characters are left out), not an English stop
 * word, and occurs (as a whole word, any case) at least max(5, count) times in the bodies of
 * the selected errors (the cluster's rows are some of them, and need 5 occurrences). */
static void check_text_keywords(const jm_node *root, const selection *s, size_t textcol,
                                int all)
{
    static const char *stop[] = {"the", "and", "of", "to", "is", "in", "it", "that", "this",
                                 "for", "you", "are", "be", "was", "with", "on", "as", "by",
                                 "or", "an", "at", "from"};
    const jm_node *cl = jm_get(root, "clusters");
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *kw = jm_get(jm_at(cl, i), "keywords");
        for (size_t j = 0; j < jm_len(kw); j++) {
            const char *term = jm_str(jm_get(jm_at(kw, j), "term"));
            if (!term)
                continue;
            for (size_t m = 0; m < sizeof stop / sizeof stop[0]; m++)
                cr_expect(strcmp(term, stop[m]) != 0, "cluster %zu: stop word \"%s\" as a "
                          "keyword", i, term);
            wchar_t wt[256];
            size_t tl = to_wide_lower(term, wt, 256);
            cr_expect(tl >= 2, "cluster %zu: keyword \"%s\" is a single character", i, term);
            size_t occ = 0;
            for (size_t r = 1; r <= s->t->nrows; r++)
                if (s->sel[r] && (all || is_error(s, r)))
                    occ += word_count(cell(s->t, r, textcol), wt, tl);
            double cnt = jm_num(jm_get(jm_at(kw, j), "count"));
            double need = isnan(cnt) || cnt < 5 ? 5 : cnt;
            cr_expect((double)occ >= need,
                      "cluster %zu: keyword \"%s\" occurs %zu times in the selected %s' text, "
                      "the cluster alone should hold %g", i, term, occ, all ? "rows" : "errors",
                      need);
        }
    }
}

/* The spam file: 2,419 rows, 70 errors (label != prediction; data README: 7 ham -> spam, 63
 * spam -> ham). Default k: 2..12, chosen by the silhouette. */
Test(cli_clusters, spam_default_k_invariants)
{
    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", NULL);
    cr_assert_eq(s->nerr, 70, "my reading of the spam file: %zu errors, README says 70",
                 s->nerr);
    cr_assert_eq(pair_count(s, "ham", "spam"), 7);
    cr_assert_eq(pair_count(s, "spam", "ham"), 63);
    jm_node *root = run_json(SPAM, "", NULL);
    const jm_node *cg = jm_get(root, "clustering");
    cr_assert(cg, "no \"clustering\" object");
    cr_expect_str_eq(jm_str(jm_get(cg, "method")), "text");
    /* body is the text column with the most text (subject is shorter) */
    cr_expect_str_eq(jm_str(jm_get(cg, "column")), "body");
    CLI_EXPECT_NUM(cg, "seed", 1, 0);
    double k = jm_num(jm_get(cg, "k"));
    cr_expect(k >= 2 && k <= 12, "default k %g outside 2..12", k);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect(tot.nclusters == (size_t)k, "%zu clusters, k = %g", tot.nclusters, k);
    size_t empty = empty_text_errors(s, col_index(t, "body"));
    cr_assert_eq(empty, 6);
    cr_expect(tot.unclustered >= empty, "%zu unclustered, but %zu errors have an empty body",
              tot.unclustered, empty);
    /* an error with an empty body cannot be a representative of a text cluster */
    const jm_node *cl = jm_get(root, "clusters");
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *rep = jm_get(jm_at(cl, i), "representatives");
        for (size_t j = 0; j < jm_len(rep); j++) {
            size_t r = (size_t)jm_num(jm_at(rep, j));
            if (r >= 1 && r <= t->nrows)
                cr_expect(cell(t, r, col_index(t, "body"))[0] != '\0',
                          "representative row %zu has an empty body", r);
        }
    }
    check_text_keywords(root, s, col_index(t, "body"), 0);
    /* the chosen k is the best mean silhouette (smaller k on a tie), when the figures are
     * given */
    const jm_node *byk = jm_get(cg, "silhouette_by_k");
    if (byk && byk->type == JM_OBJ && jm_len(byk) > 0) {
        double best = -INFINITY;
        int bestk = 0;
        for (int kk = 2; kk <= 12; kk++) {
            char key[8];
            snprintf(key, sizeof key, "%d", kk);
            const jm_node *v = jm_get(byk, key);
            if (v && v->type == JM_NUM && v->num > best) {
                best = v->num;
                bestk = kk;
            }
        }
        cr_expect(bestk == (int)k, "silhouette_by_k is best at k = %d, but k = %g", bestk, k);
    }
}

/* --clusters 4: exactly 4 clusters, same invariants. */
Test(cli_clusters, spam_fixed_k4)
{
    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", NULL);
    jm_node *root = run_json(SPAM, "--clusters 4", NULL);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect_eq(tot.nclusters, 4, "--clusters 4 gave %zu clusters", tot.nclusters);
    CLI_EXPECT_NUM(root, "clustering.k", 4, 0);
    check_text_keywords(root, s, col_index(t, "body"), 0);
    /* every clustered error is a ham -> spam or spam -> ham error: the confusions of a
     * cluster cover all its errors, and over the clusters each pair is counted at most as
     * often as in the file (7 and 63) */
    const jm_node *cl = jm_get(root, "clusters");
    double hs = 0, sh = 0;
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *tc = jm_get(jm_at(cl, i), "top_confusions");
        for (size_t j = 0; j < jm_len(tc); j++) {
            const jm_node *p = jm_at(tc, j);
            if (strcmp(jm_str(jm_get(p, "label")), "ham") == 0)
                hs += jm_num(jm_get(p, "count"));
            else
                sh += jm_num(jm_get(p, "count"));
        }
    }
    cr_expect(hs <= 7 && sh <= 63, "confusions over the clusters: ham->spam %g (max 7), "
              "spam->ham %g (max 63)", hs, sh);
    cr_expect(hs + sh == (double)tot.sum_size);
}

/* --clusters 50 is the largest allowed value: valid, never an empty cluster. */
Test(cli_clusters, spam_k50_is_accepted)
{
    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", NULL);
    jm_node *root = run_json(SPAM, "--clusters 50", NULL);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect(tot.nclusters >= 2 && tot.nclusters <= 50, "%zu clusters", tot.nclusters);
}

/* --text subject: the subject is clustered instead of the body. */
Test(cli_clusters, spam_text_flag_picks_the_column)
{
    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", NULL);
    jm_node *root = run_json(SPAM, "--text subject --clusters 3", NULL);
    cr_expect_str_eq(jm_str(jm_path(root, "clustering.method")), "text");
    const char *col = jm_str(jm_path(root, "clustering.column"));
    cr_expect_str_eq(col, "subject", "--text subject, but the clusters are on %s",
                     col ? col : "(none)");
    check_clusters(root, s, 0);
    /* the keywords are words of the column actually clustered (checked on that one, so that a
     * wrong column gives one failure above, not one per keyword) */
    if (col && (strcmp(col, "subject") == 0 || strcmp(col, "body") == 0))
        check_text_keywords(root, s, col_index(t, col), 0);
}

static int keep_spam_group(const csv_table *t, size_t r)
{
    return strcmp(cell(t, r, col_index(t, "corpus_group")), "spam") == 0;
}

static int keep_html_long(const csv_table *t, size_t r)
{
    return strcmp(cell(t, r, col_index(t, "has_html")), "1") == 0 &&
           atof(cell(t, r, col_index(t, "body_length"))) > 1000;
}

/* --filter narrows the selection first: sizes sum to the filtered error count. */
Test(cli_clusters, spam_filter_corpus_group)
{
    csv_table *t = csv_read(SPAM);
    /* corpus_group == "spam": the 759 true-spam rows, 63 of them wrong (all spam -> ham) */
    selection *s = select_rows(t, "label", "prediction", keep_spam_group);
    cr_assert_eq(s->nsel, 759);
    cr_assert_eq(s->nerr, 63);
    jm_node *root = run_json(SPAM, "--filter 'corpus_group == \"spam\"' --clusters 3", NULL);
    CLI_EXPECT_NUM(root, "selected", 759, 0);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect_eq(tot.nclusters, 3);
    /* only spam -> ham errors exist in this selection */
    const jm_node *cl = jm_get(root, "clusters");
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *tc = jm_get(jm_at(cl, i), "top_confusions");
        cr_expect_eq(jm_len(tc), 1, "cluster %zu: %zu confusion pairs, only spam->ham exists",
                     i, jm_len(tc));
        cr_expect_str_eq(jm_str(jm_path(tc, "[0].label")), "spam");
        cr_expect_str_eq(jm_str(jm_path(tc, "[0].pred")), "ham");
    }
    check_text_keywords(root, s, col_index(t, "body"), 0);
}

Test(cli_clusters, spam_two_filters_anded)
{
    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", keep_html_long);
    cr_assert(s->nerr >= 4, "selection too small for the test: %zu errors", s->nerr);
    jm_node *root = run_json(SPAM, "--filter 'has_html == 1' --filter 'body_length > 1000' "
                             "--clusters 2", NULL);
    CLI_EXPECT_NUM(root, "selected", (double)s->nsel, 0);
    CLI_EXPECT_NUM(root, "metrics.errors", (double)s->nerr, 0);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect_eq(tot.nclusters, 2);
}

/* --cluster-all: every selected row is clustered; error_rate = errors / size. */
Test(cli_clusters, spam_cluster_all)
{
    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", NULL);
    jm_node *root = run_json(SPAM, "--cluster-all --clusters 5", NULL);
    cluster_totals tot = check_clusters(root, s, 1);
    cr_expect_eq(tot.nclusters, 5);
    /* the 10 empty bodies of the file (README) cannot be clustered */
    size_t empty = 0, bc = col_index(t, "body");
    for (size_t r = 1; r <= t->nrows; r++)
        empty += cell(t, r, bc)[0] == '\0';
    cr_assert_eq(empty, 10);
    cr_expect(tot.unclustered >= empty, "%zu unclustered, %zu empty bodies", tot.unclustered,
              empty);
}

/* Determinism: the same input and seed give the same clusters, also with another number of
 * parser threads; another seed is still a valid clustering and is echoed. */
Test(cli_clusters, spam_deterministic)
{
    char *a = NULL, *b = NULL, *c = NULL;
    run_json(SPAM, "--clusters 4 --seed 7", &a);
    run_json(SPAM, "--clusters 4 --seed 7", &b);
    run_json(SPAM, "--clusters 4 --seed 7 --threads 1", &c);
    char *ca = raw_member(a, "clusters"), *cb = raw_member(b, "clusters"),
         *cc = raw_member(c, "clusters");
    cr_assert(ca && cb && cc, "no clusters member");
    cr_expect_str_eq(ca, cb, "two runs with seed 7 differ");
    cr_expect_str_eq(ca, cc, "--threads 1 changes the clusters");
    cr_expect_str_eq(raw_member(a, "clustering"), raw_member(b, "clustering"));
    cr_expect_str_eq(a, b, "two identical runs give different reports");
    /* default k (silhouette on a sample) is deterministic too */
    char *d1 = NULL, *d2 = NULL;
    run_json(SPAM, "", &d1);
    run_json(SPAM, "", &d2);
    cr_expect_str_eq(raw_member(d1, "clusters"), raw_member(d2, "clusters"),
                     "default-k clusters differ between two runs");

    csv_table *t = csv_read(SPAM);
    selection *s = select_rows(t, "label", "prediction", NULL);
    jm_node *root = run_json(SPAM, "--clusters 4 --seed 2", NULL);
    CLI_EXPECT_NUM(root, "clustering.seed", 2, 0);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect_eq(tot.nclusters, 4);
    root = run_json(SPAM, "--clusters 4 --seed 4294967297", NULL); /* > 32 bits: still valid */
    check_clusters(root, s, 0);
}

/* Standard input gives the same clusters as the file (the same rows, the same numbers). */
Test(cli_clusters, stdin_same_clusters)
{
    char *a = NULL, *b = NULL, *e = NULL;
    run_json(SPAM, "--clusters 4", &a);
    int rc = cli_sh("@BIN@ report - --format json --levels 0 --clusters 4 < " SPAM, &b, &e);
    cr_assert(rc == 0, "report - < file: exit %d: %s", rc, e ? e : "");
    char *ca = raw_member(a, "clusters"), *cb = raw_member(b, "clusters");
    cr_assert(ca && cb);
    cr_expect_str_eq(ca, cb, "clusters from standard input differ from the file's");
}

/* -o FILE writes the same JSON as standard output. */
Test(cli_clusters, output_file_has_the_same_clusters)
{
    char *out = NULL;
    run_json(SPAM, "--clusters 3", &out);
    char path[] = "/tmp/fl_clu_outXXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    char args[512], *o2 = NULL, *e2 = NULL;
    snprintf(args, sizeof args, "report " SPAM " --format json --levels 0 --clusters 3 -o '%s'",
             path);
    int rc = cli_run(args, &o2, &e2);
    char *file = cli_own(fl_read_file(path, NULL));
    unlink(path);
    cr_assert(rc == 0, "exit %d: %s", rc, e2 ? e2 : "");
    cr_assert(file, "-o wrote nothing");
    cr_expect_str_eq(raw_member(file, "clusters"), raw_member(out, "clusters"));
}

/* --clusters 0 turns clustering off: no clusters listed. */
Test(cli_clusters, clusters_zero_turns_it_off)
{
    jm_node *root = run_json(SPAM, "--clusters 0", NULL);
    const jm_node *cl = jm_get(root, "clusters");
    cr_expect(cl == NULL || cl->type == JM_NULL || jm_len(cl) == 0,
              "--clusters 0 still lists %zu clusters", jm_len(cl));
}

/* ---- Markdown ------------------------------------------------------------------------- */

/* The Markdown report has a "## Clusters" section naming each cluster's keywords and
 * representative rows (the same clusters as the JSON report of the same run). */
Test(cli_clusters, markdown_section)
{
    jm_node *root = run_json(SPAM, "--clusters 3", NULL);
    char *md = NULL, *serr = NULL;
    int rc = cli_run("report " SPAM " --levels 0 --clusters 3", &md, &serr);
    cr_assert(rc == 0, "exit %d: %s", rc, serr ? serr : "");
    const char *sec = md ? strstr(md, "## Clusters") : NULL;
    cr_assert(sec, "no \"## Clusters\" section in the Markdown report");
    /* the section ends at the next second-level heading */
    const char *end = strstr(sec + 3, "\n## ");
    size_t n = end ? (size_t)(end - sec) : strlen(sec);
    char *body = cli_own(strndup(sec, n));
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert(jm_len(cl) == 3);
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *c = jm_at(cl, i);
        const char *kw = jm_str(jm_path(c, "keywords[0].term"));
        if (kw)
            cr_expect(strstr(body, kw), "cluster %zu's first keyword \"%s\" is not in the "
                      "Markdown section", i, kw);
        const jm_node *rep = jm_get(c, "representatives");
        for (size_t j = 0; j < jm_len(rep); j++)
            cr_expect(cli_has_number(body, (long)jm_num(jm_at(rep, j))),
                      "representative row %g of cluster %zu is not in the Markdown section",
                      jm_num(jm_at(rep, j)), i);
        cr_expect(cli_has_number(body, (long)jm_num(jm_get(c, "size"))),
                  "the size %g of cluster %zu is not in the Markdown section",
                  jm_num(jm_get(c, "size")), i);
    }
    /* `faultline FILE` without a terminal writes the same kind of report */
    char *md2 = NULL;
    rc = cli_run(SPAM, &md2, NULL);
    cr_assert(rc == 0);
    cr_expect(md2 && strstr(md2, "## Clusters"), "`faultline FILE` has no clusters section");
}

/* ---- tabular clustering --------------------------------------------------------------- */

/* Splits a tabular keyword "COL = LEVEL" or "COL in (lo, hi]" (any brackets) against the
 * header: the longest column name followed by " = " or " in ". Returns the column or -1. */
static long split_condition(const csv_table *t, const char *term, const char **rest, int *is_in)
{
    long best = -1;
    size_t bestlen = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = cell(t, 0, c);
        size_t k = strlen(name);
        if (k <= bestlen || strncmp(term, name, k) != 0)
            continue;
        if (strncmp(term + k, " = ", 3) == 0) {
            best = (long)c, bestlen = k, *rest = term + k + 3, *is_in = 0;
        } else if (strncmp(term + k, " in ", 4) == 0) {
            best = (long)c, bestlen = k, *rest = term + k + 4, *is_in = 1;
        }
    }
    return best;
}

/* Checks the tabular keywords: each names a feature column (not one of the role columns
 * given), and its condition holds for at least max(5, count) selected errors (bin edges as
 * printed may be rounded, so they are widened by 0.5% of their magnitude). */
static void check_tabular_keywords(const jm_node *root, const selection *s,
                                   const char *const *roles, size_t nroles)
{
    const csv_table *t = s->t;
    const jm_node *cl = jm_get(root, "clusters");
    size_t nkw = 0;
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *kw = jm_get(jm_at(cl, i), "keywords");
        for (size_t j = 0; j < jm_len(kw); j++) {
            const char *term = jm_str(jm_get(jm_at(kw, j), "term"));
            if (!term)
                continue;
            nkw++;
            const char *rest = NULL;
            int is_in = 0;
            long c = split_condition(t, term, &rest, &is_in);
            cr_expect(c >= 0, "cluster %zu: keyword \"%s\" is not \"column = level\" or "
                      "\"column in bin\" of a real column", i, term);
            if (c < 0)
                continue;
            for (size_t m = 0; m < nroles; m++)
                cr_expect(strcmp(cell(t, 0, (size_t)c), roles[m]) != 0,
                          "cluster %zu: keyword \"%s\" is on the role column %s", i, term,
                          roles[m]);
            double lo = NAN, hi = NAN;
            if (is_in) {
                char o = 0, cbr = 0;
                int got = sscanf(rest, "%c%lf, %lf%c", &o, &lo, &hi, &cbr);
                cr_expect(got == 4 && (o == '(' || o == '[') && (cbr == ')' || cbr == ']') &&
                              lo <= hi,
                          "cluster %zu: bin of \"%s\" unreadable", i, term);
                if (got != 4)
                    continue;
                double w = 0.005 * fmax(fmax(fabs(lo), fabs(hi)), 1.0);
                lo -= w;
                hi += w;
            }
            size_t hits = 0;
            for (size_t r = 1; r <= t->nrows; r++) {
                if (!s->sel[r] || !is_error(s, r))
                    continue;
                const char *v = cell(t, r, (size_t)c);
                if (is_in) {
                    char *e;
                    double x = strtod(v, &e);
                    if (v[0] && *e == '\0' && x >= lo && x <= hi)
                        hits++;
                } else if (strcmp(rest, "(missing)") == 0) {
                    hits += v[0] == '\0';
                } else {
                    char *e1, *e2;
                    double a = strtod(v, &e1), b = strtod(rest, &e2);
                    if (strcmp(v, rest) == 0 ||
                        (v[0] && rest[0] && *e1 == '\0' && *e2 == '\0' && a == b))
                        hits++;
                }
            }
            double cnt = jm_num(jm_get(jm_at(kw, j), "count"));
            double need = isnan(cnt) || cnt < 5 ? 5 : cnt;
            cr_expect((double)hits >= need, "cluster %zu: \"%s\" holds for %zu selected "
                      "errors, the cluster alone should have %g", i, term, hits, need);
        }
    }
    cr_expect(nkw > 0, "no keyword at all in the tabular clusters");
}

/* adult has no text column: tabular clustering of its 2,099 errors. */
Test(cli_clusters, adult_tabular_k3)
{
    csv_table *t = csv_read(ADULT);
    selection *s = select_rows(t, "y_true", "y_pred", NULL);
    cr_assert_eq(s->nerr, 2099, "my reading: %zu errors, README says 2099", s->nerr);
    jm_node *root = run_json(ADULT, "--clusters 3", NULL);
    cr_expect_str_eq(jm_str(jm_path(root, "clustering.method")), "tabular");
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect_eq(tot.nclusters, 3);
    /* nothing is missing in a standardised/one-hot row: every error is clustered */
    cr_expect_eq(tot.unclustered, 0);
    cr_expect_eq(tot.sum_size, 2099);
    static const char *const roles[] = {"row_id", "y_true", "y_pred", "proba_<=50K",
                                        "proba_>50K"};
    check_tabular_keywords(root, s, roles, 5);
}

static int keep_female(const csv_table *t, size_t r)
{
    return strcmp(cell(t, r, col_index(t, "sex")), "Female") == 0;
}

/* A filter on the tabular file: sex == "Female" (computed here), cluster-all. */
Test(cli_clusters, adult_filter_cluster_all)
{
    csv_table *t = csv_read(ADULT);
    selection *s = select_rows(t, "y_true", "y_pred", keep_female);
    jm_node *root = run_json(ADULT, "--filter 'sex == \"Female\"' --cluster-all --clusters 4",
                             NULL);
    CLI_EXPECT_NUM(root, "selected", (double)s->nsel, 0);
    cluster_totals tot = check_clusters(root, s, 1);
    cr_expect_eq(tot.nclusters, 4);
    cr_expect_eq(tot.sum_size, s->nsel, "cluster-all sizes %zu, selection %zu", tot.sum_size,
                 s->nsel);
    cr_expect_eq(tot.sum_errors, s->nerr, "cluster-all errors %zu, selection %zu",
                 tot.sum_errors, s->nerr);
}

/* letters: 26 classes, 563 errors; many distinct error pairs, so the top 3 need not cover a
 * cluster, but each listed pair is real. */
Test(cli_clusters, letters_multiclass_confusions)
{
    csv_table *t = csv_read(LETTERS);
    selection *s = select_rows(t, "target", "predicted", NULL);
    cr_assert_eq(s->nerr, 563);
    jm_node *root = run_json(LETTERS, "--clusters 5", NULL);
    cluster_totals tot = check_clusters(root, s, 0);
    cr_expect_eq(tot.nclusters, 5);
    cr_expect_eq(tot.sum_size, 563);
    static const char *const roles[] = {"id", "target", "predicted"};
    check_tabular_keywords(root, s, roles, 3);
}

/* diamonds (regression): the errors are the rows whose absolute error exceeds the failure
 * threshold; the clusters hold exactly metrics.errors rows. */
Test(cli_clusters, diamonds_regression)
{
    jm_node *root = run_json(DIAMONDS, "--clusters 2", NULL);
    double nerr = cli_num(root, "metrics.errors");
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert_eq(jm_len(cl), 2);
    double sum = 0, unc = jm_num(jm_path(root, "clustering.unclustered"));
    for (size_t i = 0; i < jm_len(cl); i++) {
        sum += jm_num(jm_get(jm_at(cl, i), "size"));
        CLI_NEAR(jm_num(jm_get(jm_at(cl, i), "error_share")),
                 jm_num(jm_get(jm_at(cl, i), "errors")) / nerr, TOL_RATE, "error_share");
    }
    cr_expect(sum + (isnan(unc) ? 0 : unc) == nerr, "sizes %g + unclustered %g != errors %g",
              sum, unc, nerr);
}

/* ---- synthetic text with planted groups ----------------------------------------------- */

/* Three groups of error rows whose texts use disjoint vocabularies, and correct rows with a
 * fourth vocabulary. Each row is 5 distinct words of its group's 10; rows are distinct
 * (different 5-of-10 subsets). Group sizes 30, 25, 20 (different, so the order by size is
 * known) and 40 correct rows. Each group has its own confusion: A cat -> dog, B dog -> fox,
 * C fox -> cat, so a cluster's top_confusions tell which rows it holds. Rows are shuffled by
 * a fixed LCG so that file order says nothing. */
static const char *const VOCAB[4][10] = {
    {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
     "juliet"},
    {"mercury", "venus", "earth", "mars", "jupiter", "saturn", "uranus", "neptune", "pluto",
     "ceres"},
    {"red", "orange", "yellow", "green", "blue", "indigo", "violet", "purple", "magenta",
     "cyan"},
    {"apple", "banana", "cherry", "grape", "lemon", "mango", "melon", "peach", "pear", "plum"},
};
static const int GROUP_N[4] = {30, 25, 20, 40};
static const char *const GROUP_LABEL[4] = {"cat", "dog", "fox", NULL};
static const char *const GROUP_PRED[4] = {"dog", "fox", "cat", NULL};

#define SYN_MAX 200
static int syn_group[SYN_MAX + 1];  /* group of data row r (1-based) */
static int syn_words[SYN_MAX + 1];  /* bit mask of the row's words in its vocabulary */
static int syn_rows;

/* The i-th 5-of-10 subset (i < 252) as a bit mask, in increasing mask order. */
static int subset5(int i)
{
    int seen = 0;
    for (int m = 0; m < 1024; m++)
        if (__builtin_popcount((unsigned)m) == 5 && seen++ == i)
            return m;
    return 0;
}

static void syn_layout(void)
{
    int order[SYN_MAX], n = 0;
    for (int g = 0; g < 4; g++)
        for (int j = 0; j < GROUP_N[g]; j++)
            order[n++] = g;
    uint64_t st = 12345;
    for (int i = n - 1; i > 0; i--) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        int j = (int)((st >> 33) % (uint64_t)(i + 1));
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    int used[4] = {0};
    for (int r = 1; r <= n; r++) {
        int g = order[r - 1];
        syn_group[r] = g;
        /* 37 is prime to 252: the subsets of one group are all different */
        syn_words[r] = subset5((used[g]++ * 37) % 252);
    }
    syn_rows = n;
}

/* Label / prediction of row r: the group's confusion, or a correct row of class cat/dog/fox. */
static const char *syn_label(int r)
{
    static const char *cls[3] = {"cat", "dog", "fox"};
    return syn_group[r] < 3 ? GROUP_LABEL[syn_group[r]] : cls[r % 3];
}
static const char *syn_pred(int r)
{
    return syn_group[r] < 3 ? GROUP_PRED[syn_group[r]] : syn_label(r);
}

/* The synthetic text file, with extra (already formatted) rows appended after the
 * syn_rows planted ones. */
static const char *syn_text_csv_with(const char *extra)
{
    syn_layout();
    static char buf[64 * 1024];
    size_t n = (size_t)snprintf(buf, sizeof buf, "id,text,label,pred\n");
    for (int r = 1; r <= syn_rows; r++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "r%03d,", r);
        int first = 1;
        for (int w = 0; w < 10; w++)
            if (syn_words[r] & (1 << w)) {
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", first ? "" : " ",
                                      VOCAB[syn_group[r]][w]);
                first = 0;
            }
        n += (size_t)snprintf(buf + n, sizeof buf - n, ",%s,%s\n", syn_label(r), syn_pred(r));
        cr_assert(n < sizeof buf);
    }
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", extra);
    cr_assert(n < sizeof buf);
    return tmp_csv(buf);
}

static const char *syn_text_csv(void)
{
    return syn_text_csv_with("");
}

/* Group (0..3) of vocabulary word term, -1 when none. */
static int vocab_group(const char *term)
{
    for (int g = 0; g < 4; g++)
        for (int w = 0; w < 10; w++)
            if (strcmp(VOCAB[g][w], term) == 0)
                return g;
    return -1;
}

/* Rows of group g holding word w. */
static int rows_with(int g, int w)
{
    int k = 0;
    for (int r = 1; r <= syn_rows; r++)
        k += syn_group[r] == g && (syn_words[r] & (1 << w));
    return k;
}

/* z of the log-odds ratio with an informative Dirichlet prior (STATISTICS.md): counts y in the
 * cluster (n_c tokens), y2 in the correct rows (n2 tokens), prior a = a0 * background
 * frequency bg of the term. */
static double dirichlet_z(double y, double nc, double y2, double n2, double bg)
{
    double a0 = 1000.0, a = a0 * bg;
    double d = log((y + a) / (nc + a0 - y - a)) - log((y2 + a) / (n2 + a0 - y2 - a));
    return d / sqrt(1.0 / (y + a) + 1.0 / (y2 + a));
}

/* Checks a clustering of the synthetic error rows (errors of groups 0..ngroups-1 only):
 * cluster i holds exactly planted group want[i]: its size is the group's size, its only
 * confusion is the group's pair with count = size, its representatives are rows of that
 * group, its keywords are words of the group's own vocabulary (the only words its rows
 * contain). */
static void expect_planted(const jm_node *root, const int *want, size_t k)
{
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert_eq(jm_len(cl), k, "%zu clusters, %zu planted groups", jm_len(cl), k);
    for (size_t i = 0; i < k; i++) {
        const jm_node *c = jm_at(cl, i);
        int g = want[i];
        CLI_EXPECT_NUM(c, "size", GROUP_N[g], 0);
        const jm_node *tc = jm_get(c, "top_confusions");
        cr_expect_eq(jm_len(tc), 1, "cluster %zu: %zu confusion pairs; planted group %d has "
                     "one (%s -> %s), so the cluster mixes groups", i, jm_len(tc), g,
                     GROUP_LABEL[g], GROUP_PRED[g]);
        cr_expect_str_eq(jm_str(jm_path(tc, "[0].label")), GROUP_LABEL[g]);
        cr_expect_str_eq(jm_str(jm_path(tc, "[0].pred")), GROUP_PRED[g]);
        CLI_EXPECT_NUM(tc, "[0].count", GROUP_N[g], 0);
        const jm_node *rep = jm_get(c, "representatives");
        cr_expect_eq(jm_len(rep), 3);
        for (size_t j = 0; j < jm_len(rep); j++) {
            int r = (int)jm_num(jm_at(rep, j));
            cr_expect(r >= 1 && r <= syn_rows && syn_group[r] == g,
                      "cluster %zu: representative row %d is not in planted group %d", i, r, g);
        }
    }
}

Test(cli_clusters, synthetic_text_exact_recovery)
{
    const char *path = syn_text_csv();
    char args[256];
    snprintf(args, sizeof args, "--text text --clusters 3");
    jm_node *root = run_json(path, args, NULL);
    cr_expect_str_eq(jm_str(jm_path(root, "clustering.method")), "text");
    CLI_EXPECT_NUM(root, "clustering.unclustered", 0, 0);
    /* sizes 30 > 25 > 20: the order by size is A, B, C */
    static const int want[3] = {0, 1, 2};
    expect_planted(root, want, 3);
    const jm_node *cl = jm_get(root, "clusters");
    for (size_t i = 0; i < jm_len(cl); i++) {
        const jm_node *kw = jm_get(jm_at(cl, i), "keywords");
        cr_expect(jm_len(kw) > 0, "cluster %zu has no keyword", i);
        for (size_t j = 0; j < jm_len(kw); j++) {
            const char *term = jm_str(jm_get(jm_at(kw, j), "term"));
            cr_expect(term && vocab_group(term) == want[i],
                      "cluster %zu (group %d): keyword %zu \"%s\" is not from its vocabulary",
                      i, want[i], j, term ? term : "?");
        }
        /* the top keyword is the most frequent word of the group... or one tied with it */
        const char *top = jm_str(jm_path(kw, "[0].term"));
        if (!top || vocab_group(top) != want[i])
            continue;
        int g = want[i], best = 0, wtop = -1;
        for (int w = 0; w < 10; w++) {
            best = rows_with(g, w) > best ? rows_with(g, w) : best;
            if (strcmp(VOCAB[g][w], top) == 0)
                wtop = w;
        }
        cr_expect(rows_with(g, wtop) == best, "cluster %zu: top keyword \"%s\" occurs %d "
                  "times, the group's most frequent word %d", i, top, rows_with(g, wtop), best);
        /* count = occurrences of the word in the cluster (each row has it at most once) */
        const jm_node *cnt = jm_path(kw, "[0].count");
        if (cnt)
            cr_expect(jm_num(cnt) == rows_with(g, wtop), "cluster %zu: count of \"%s\" %g, "
                      "expected %d", i, top, jm_num(cnt), rows_with(g, wtop));
    }
}

/* The keyword score by hand (STATISTICS.md): for a word w of group A in cluster A, y = rows of
 * A with w (one occurrence each, n_c = 5 * 30 = 150 tokens in the cluster), y' = 0 in the
 * correct rows. Two points the contract leaves open, so every combination is accepted:
 *   - the vocabulary the totals run over: every word of the rows involved (then the 40 correct
 *     rows hold n' = 5 * 40 = 200 tokens), or the clustering vocabulary, the words of the
 *     clustered rows (the correct rows' fruit words are not in it: n' = 0);
 *   - the rows whose frequencies make the background of the prior ("all rows involved"): the
 *     cluster and the correct rows, or every clustered row and the correct rows; in tokens of
 *     that vocabulary: 150 + n' or 75 * 5 + n'.
 * What is checked exactly is the formula: alpha_w = 1000 * background frequency, delta_w the
 * difference of the two log-odds, z = delta_w / sqrt(1/(y + alpha_w) + 1/(y' + alpha_w)). */
Test(cli_clusters, synthetic_keyword_scores_by_hand)
{
    const char *path = syn_text_csv();
    jm_node *root = run_json(path, "--text text --clusters 3", NULL);
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert(jm_len(cl) == 3);
    for (size_t i = 0; i < 3; i++) {
        const jm_node *c = jm_at(cl, i);
        const char *l = jm_str(jm_path(c, "top_confusions[0].label"));
        int g = -1;
        for (int gg = 0; gg < 3; gg++)
            if (l && strcmp(l, GROUP_LABEL[gg]) == 0)
                g = gg;
        cr_assert(g >= 0);
        double nc = 5.0 * GROUP_N[g], nall = 5.0 * (GROUP_N[0] + GROUP_N[1] + GROUP_N[2]);
        const jm_node *kw = jm_get(c, "keywords");
        for (size_t j = 0; j < jm_len(kw); j++) {
            const char *term = jm_str(jm_get(jm_at(kw, j), "term"));
            double got = jm_num(jm_get(jm_at(kw, j), "score"));
            int w = -1;
            for (int ww = 0; ww < 10; ww++)
                if (term && strcmp(VOCAB[g][ww], term) == 0)
                    w = ww;
            if (w < 0)
                continue; /* reported by synthetic_text_exact_recovery */
            double y = rows_with(g, w), z[4];
            int ok = 0;
            for (int v = 0; v < 4; v++) {
                double n2 = (v & 1) ? 0.0 : 5.0 * GROUP_N[3];
                double bgtot = ((v & 2) ? nall : nc) + n2;
                z[v] = dirichlet_z(y, nc, 0, n2, y / bgtot);
                ok |= fabs(got - z[v]) < 1e-6;
            }
            cr_expect(ok, "cluster %zu, \"%s\" (y = %g of %g tokens, none in the correct rows): "
                      "score %.10g, expected one of %.10g / %.10g (n' = 200 / 0, background "
                      "cluster + correct) or %.10g / %.10g (n' = 200 / 0, background all "
                      "clustered + correct)", i, term, y, nc, got, z[0], z[1], z[2], z[3]);
        }
    }
}

/* Errors with nothing to cluster on are "unclustered", not forced into a cluster: 6 more
 * errors (their own confusion cat -> fox, rows 116..121) whose text is empty (2 rows), only
 * English stop words (2), a single character per word (1), or one word found in no other row
 * (1; words in fewer than 2 rows are dropped). The planted groups are still recovered, with
 * one confusion each (none of the 6 joined them); shares are over all 81 errors. */
Test(cli_clusters, synthetic_text_unclusterable_rows)
{
    const char *path = syn_text_csv_with("x116,,cat,fox\n"
                                         "x117,the of and to,cat,fox\n"
                                         "x118,,cat,fox\n"
                                         "x119,and the to of the,cat,fox\n"
                                         "x120,x y z,cat,fox\n"
                                         "x121,qwertyuiopasdf,cat,fox\n");
    jm_node *root = run_json(path, "--text text --clusters 3", NULL);
    CLI_EXPECT_NUM(root, "metrics.errors", 81, 0);
    CLI_EXPECT_NUM(root, "clustering.unclustered", 6, 0);
    static const int want[3] = {0, 1, 2};
    expect_planted(root, want, 3);
    const jm_node *cl = jm_get(root, "clusters");
    for (size_t i = 0; i < jm_len(cl); i++)
        CLI_NEAR(jm_num(jm_get(jm_at(cl, i), "error_share")), GROUP_N[i] / 81.0, TOL_RATE,
                 "error_share = size / 81 errors");
}

/* Default k on three well-separated groups: the silhouette picks 3. */
Test(cli_clusters, synthetic_text_default_k_is_3)
{
    const char *path = syn_text_csv();
    jm_node *root = run_json(path, "--text text", NULL);
    CLI_EXPECT_NUM(root, "clustering.k", 3, 0);
    static const int want[3] = {0, 1, 2};
    expect_planted(root, want, 3);
}

/* A filter that drops group C's errors (label fox) and the correct fox rows: 2 groups left,
 * error_share = size / 55. */
Test(cli_clusters, synthetic_text_filter)
{
    const char *path = syn_text_csv();
    jm_node *root = run_json(path, "--text text --filter 'label != \"fox\"' --clusters 2", NULL);
    static const int want[2] = {0, 1};
    expect_planted(root, want, 2);
    const jm_node *cl = jm_get(root, "clusters");
    CLI_NEAR(jm_num(jm_path(cl, "[0].error_share")), 30.0 / 55.0, TOL_RATE, "share of A");
    CLI_NEAR(jm_num(jm_path(cl, "[1].error_share")), 25.0 / 55.0, TOL_RATE, "share of B");
}

/* --cluster-all on the same data: the 40 correct rows form the 4th group (their own
 * vocabulary), error rate 0; the planted error groups have error rate 1. Order by size:
 * correct (40), A (30), B (25), C (20). */
Test(cli_clusters, synthetic_text_cluster_all)
{
    const char *path = syn_text_csv();
    jm_node *root = run_json(path, "--text text --cluster-all --clusters 4", NULL);
    cr_expect_str_eq(jm_str(jm_path(root, "clustering.scope")), "all");
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert_eq(jm_len(cl), 4);
    static const int sizes[4] = {40, 30, 25, 20};
    static const double errs[4] = {0, 30, 25, 20};
    /* first the partition as a whole (one message), then the figures of each cluster */
    char got[256] = "";
    int same = 1;
    for (size_t i = 0; i < 4; i++) {
        const jm_node *c = jm_at(cl, i);
        double sz = jm_num(jm_get(c, "size")), er = jm_num(jm_get(c, "errors"));
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%g/%g", i ? ", " : "", sz, er);
        same &= sz == sizes[i] && er == errs[i];
    }
    cr_assert(same, "--cluster-all --clusters 4: clusters (size/errors) %s; planted: 40/0 "
              "(correct rows), 30/30, 25/25, 20/20", got);
    for (size_t i = 0; i < 4; i++) {
        const jm_node *c = jm_at(cl, i);
        CLI_EXPECT_NUM(c, "error_rate", errs[i] / sizes[i], TOL_RATE);
        CLI_EXPECT_NUM(c, "error_share", errs[i] / 75.0, TOL_RATE);
    }
    cr_expect_eq(jm_len(jm_path(cl, "[0].top_confusions")), 0,
                 "the cluster of correct rows lists confusions");
}

/* ---- synthetic embeddings --------------------------------------------------------------- */

/* Columns e_0..e_3: group A along e_0, B along e_1, C along e_2, the correct rows along e_3,
 * each row = direction + noise in the other three coordinates. In every group 3 rows sit
 * exactly on the direction and the noisy rows come in pairs with opposite noise, so the mean
 * of the unit vectors, the spherical centroid, is exactly the direction: the 3 exact rows
 * (cosine 1) are the ones nearest the centre, the representatives. Group sizes 31, 25, 21
 * (3 + an even number) and 30 correct rows. A column e_scale (not PREFIX + number) holds
 * +-1000 at random: if it were used it would swamp the directions. A text column of shared
 * random words must not be used either. */
static const int EMB_N[4] = {31, 25, 21, 30};
static int emb_group[SYN_MAX + 1], emb_exact[SYN_MAX + 1], emb_rows;
static double emb_v[SYN_MAX + 1][4]; /* e_0..e_3 of each row, as written in the file */

static const char *syn_embedding_csv(void)
{
    int order[SYN_MAX], n = 0;
    for (int g = 0; g < 4; g++)
        for (int j = 0; j < EMB_N[g]; j++)
            order[n++] = g * 1000 + j;
    uint64_t st = 987654321;
    for (int i = n - 1; i > 0; i--) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        int j = (int)((st >> 33) % (uint64_t)(i + 1));
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    static char buf[64 * 1024];
    static const char *shared[6] = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur"};
    static const char *cls[3] = {"cat", "dog", "fox"};
    size_t len = (size_t)snprintf(buf, sizeof buf,
                                  "id,note,e_0,e_1,e_2,e_3,e_scale,label,pred\n");
    for (int r = 1; r <= n; r++) {
        int g = order[r - 1] / 1000, j = order[r - 1] % 1000;
        emb_group[r] = g;
        emb_exact[r] = j < 3;
        double v[4] = {0, 0, 0, 0};
        v[g] = 1.0;
        if (j >= 3) {
            /* pair p = (j - 3) / 2, sign by parity: noise -(+) the same vector */
            int p = (j - 3) / 2;
            double sign = ((j - 3) % 2) ? -1.0 : 1.0;
            int o = 0;
            for (int d = 0; d < 4; d++)
                if (d != g) {
                    v[d] = sign * (0.05 + 0.02 * ((p * (o + 3) + o) % 7));
                    o++;
                }
        }
        for (int d = 0; d < 4; d++) {
            char num[32];
            snprintf(num, sizeof num, "%.6f", v[d]);
            emb_v[r][d] = strtod(num, NULL);
        }
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        double scale = ((st >> 40) & 1) ? 1000.0 : -1000.0;
        const char *lab = g < 3 ? GROUP_LABEL[g] : cls[r % 3];
        const char *pred = g < 3 ? GROUP_PRED[g] : lab;
        len += (size_t)snprintf(buf + len, sizeof buf - len,
                                "r%03d,%s %s %s %s,%.6f,%.6f,%.6f,%.6f,%.1f,%s,%s\n", r,
                                shared[r % 6], shared[(r / 6) % 6], shared[(r / 2) % 6],
                                shared[(r * 7) % 6], v[0], v[1], v[2], v[3], scale, lab, pred);
        cr_assert(len < sizeof buf);
    }
    emb_rows = n;
    return tmp_csv(buf);
}

static void expect_embedding_planted(const jm_node *root)
{
    cr_expect_str_eq(jm_str(jm_path(root, "clustering.method")), "embedding");
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert_eq(jm_len(cl), 3, "%zu clusters", jm_len(cl));
    for (size_t i = 0; i < 3; i++) {
        const jm_node *c = jm_at(cl, i);
        int g = (int)i; /* 31 > 25 > 21: A, B, C */
        CLI_EXPECT_NUM(c, "size", EMB_N[g], 0);
        const jm_node *tc = jm_get(c, "top_confusions");
        cr_expect_eq(jm_len(tc), 1, "cluster %zu mixes planted groups (%zu confusion pairs)", i,
                     jm_len(tc));
        cr_expect_str_eq(jm_str(jm_path(tc, "[0].label")), GROUP_LABEL[g]);
        cr_expect_str_eq(jm_str(jm_path(tc, "[0].pred")), GROUP_PRED[g]);
        CLI_EXPECT_NUM(tc, "[0].count", EMB_N[g], 0);
        const jm_node *rep = jm_get(c, "representatives");
        cr_expect_eq(jm_len(rep), 3);
        for (size_t j = 0; j < jm_len(rep); j++) {
            int r = (int)jm_num(jm_at(rep, j));
            cr_expect(r >= 1 && r <= emb_rows && emb_group[r] == g,
                      "cluster %zu: representative row %d is not in planted group %d", i, r, g);
            cr_expect(r >= 1 && r <= emb_rows && emb_exact[r],
                      "cluster %zu: representative row %d is not one of the 3 rows exactly on "
                      "the centre's direction (cosine 1)", i, r);
        }
    }
}

Test(cli_clusters, synthetic_embedding_exact_recovery)
{
    const char *path = syn_embedding_csv();
    jm_node *root = run_json(path, "--embedding e_ --clusters 3", NULL);
    expect_embedding_planted(root);
    CLI_EXPECT_NUM(root, "clustering.unclustered", 0, 0);
}

Test(cli_clusters, synthetic_embedding_default_k_is_3)
{
    const char *path = syn_embedding_csv();
    jm_node *root = run_json(path, "--embedding e_", NULL);
    CLI_EXPECT_NUM(root, "clustering.k", 3, 0);
    expect_embedding_planted(root);
}

/* The planted groups are recovered whatever the seed: the seed only changes the k-means++
 * start, and on groups this far apart (cosine 0 between groups) the contract promises exact
 * recovery, not recovery for lucky seeds. Seeds 1..10, text and embeddings. */
Test(cli_clusters, synthetic_recovery_for_every_seed)
{
    const char *tpath = syn_text_csv();
    static const int want[3] = {0, 1, 2};
    for (int seed = 1; seed <= 10; seed++) {
        char flags[128];
        snprintf(flags, sizeof flags, "--text text --clusters 3 --seed %d", seed);
        jm_node *root = run_json(tpath, flags, NULL);
        const jm_node *cl = jm_get(root, "clusters");
        int exact = jm_len(cl) == 3;
        for (size_t i = 0; exact && i < 3; i++)
            exact = jm_num(jm_path(jm_at(cl, i), "size")) == GROUP_N[want[i]] &&
                    jm_len(jm_get(jm_at(cl, i), "top_confusions")) == 1;
        char sizes[128] = "";
        for (size_t i = 0; i < jm_len(cl); i++)
            snprintf(sizes + strlen(sizes), sizeof sizes - strlen(sizes), "%s%g/%zu",
                     i ? ", " : "", jm_num(jm_get(jm_at(cl, i), "size")),
                     jm_len(jm_get(jm_at(cl, i), "top_confusions")));
        cr_expect(exact, "text, --seed %d: clusters (size/confusion pairs) %s, planted 30/1, "
                  "25/1, 20/1", seed, sizes);
    }
    const char *epath = syn_embedding_csv();
    for (int seed = 1; seed <= 10; seed++) {
        char flags[128];
        snprintf(flags, sizeof flags, "--embedding e_ --clusters 3 --seed %d", seed);
        jm_node *root = run_json(epath, flags, NULL);
        const jm_node *cl = jm_get(root, "clusters");
        int exact = jm_len(cl) == 3;
        for (size_t i = 0; exact && i < 3; i++)
            exact = jm_num(jm_path(jm_at(cl, i), "size")) == EMB_N[i] &&
                    jm_len(jm_get(jm_at(cl, i), "top_confusions")) == 1;
        cr_expect(exact, "embedding, --seed %d: the planted groups 31, 25, 21 are not "
                  "recovered", seed);
    }
}

/* --cluster-all on the embeddings: the 30 correct rows (along e_3) are the 4th group. Order
 * by size: A 31 (error rate 1), correct 30 (0), B 25 (1), C 21 (1); 77 errors in all. */
Test(cli_clusters, synthetic_embedding_cluster_all)
{
    const char *path = syn_embedding_csv();
    jm_node *root = run_json(path, "--embedding e_ --cluster-all --clusters 4", NULL);
    const jm_node *cl = jm_get(root, "clusters");
    static const double sizes[4] = {31, 30, 25, 21}, errs[4] = {31, 0, 25, 21};
    char got[256] = "";
    int same = jm_len(cl) == 4;
    for (size_t i = 0; i < jm_len(cl); i++) {
        double sz = jm_num(jm_get(jm_at(cl, i), "size")), er = jm_num(jm_get(jm_at(cl, i),
                                                                             "errors"));
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%g/%g", i ? ", " : "", sz, er);
        if (i < 4)
            same &= sz == sizes[i] && er == errs[i];
    }
    cr_assert(same, "clusters (size/errors) %s; planted 31/31, 30/0, 25/25, 21/21", got);
    for (size_t i = 0; i < 4; i++) {
        CLI_EXPECT_NUM(jm_at(cl, i), "error_rate", errs[i] / sizes[i], TOL_RATE);
        CLI_EXPECT_NUM(jm_at(cl, i), "error_share", errs[i] / 77.0, TOL_RATE);
    }
}

/* Mean silhouette with cosine distance, s(i) = (b_i - a_i) / max(a_i, b_i) (STATISTICS.md),
 * of a labelled set of n rows, dist(i, j) given. */
static double mean_silhouette(int n, const int *lab, double (*dist)(int, int))
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double within = 0, other[8] = {0};
        int nw = 0, no[8] = {0};
        for (int j = 0; j < n; j++) {
            if (j == i)
                continue;
            double d = dist(i, j);
            if (lab[j] == lab[i]) {
                within += d;
                nw++;
            } else {
                other[lab[j]] += d;
                no[lab[j]]++;
            }
        }
        double a = nw ? within / nw : 0, b = INFINITY;
        for (int g = 0; g < 8; g++)
            if (no[g] && other[g] / no[g] < b)
                b = other[g] / no[g];
        sum += nw ? (b - a) / fmax(a, b) : 0;
    }
    return sum / n;
}

/* The error rows of the synthetic text file, in file order, and their TF-IDF weights: every
 * word once per row, tf = 1 + ln 1 = 1, idf = ln((1 + D) / (1 + df)) + 1 over the D = 75
 * clustered rows; rows scaled to unit length. */
static int st_row[SYN_MAX], st_n;
static double st_idf[3][10], st_norm[SYN_MAX];

static double text_dist(int i, int j)
{
    int ri = st_row[i], rj = st_row[j], g = syn_group[ri];
    if (syn_group[rj] != g)
        return 1.0; /* disjoint vocabularies: cosine 0 */
    double dot = 0;
    for (int w = 0; w < 10; w++)
        if ((syn_words[ri] & syn_words[rj]) & (1 << w))
            dot += st_idf[g][w] * st_idf[g][w];
    return 1.0 - dot / (st_norm[i] * st_norm[j]);
}

static int se_row[SYN_MAX], se_n;

static double emb_dist(int i, int j)
{
    const double *a = emb_v[se_row[i]], *b = emb_v[se_row[j]];
    double dot = 0, na = 0, nb = 0;
    for (int d = 0; d < 4; d++) {
        dot += a[d] * b[d];
        na += a[d] * a[d];
        nb += b[d] * b[d];
    }
    return 1.0 - dot / sqrt(na * nb);
}

/* The reported silhouette of the planted (recovered) partition, by hand. The rows are all
 * distinct, fewer than 5,000: the sample is every clustered row. */
Test(cli_clusters, synthetic_silhouette_by_hand)
{
    const char *path = syn_text_csv();
    int lab[SYN_MAX];
    st_n = 0;
    for (int r = 1; r <= syn_rows; r++)
        if (syn_group[r] < 3)
            st_row[st_n++] = r;
    for (int g = 0; g < 3; g++)
        for (int w = 0; w < 10; w++)
            st_idf[g][w] = log((1.0 + st_n) / (1.0 + rows_with(g, w))) + 1.0;
    for (int i = 0; i < st_n; i++) {
        int r = st_row[i], g = syn_group[r];
        double s2 = 0;
        for (int w = 0; w < 10; w++)
            if (syn_words[r] & (1 << w))
                s2 += st_idf[g][w] * st_idf[g][w];
        st_norm[i] = sqrt(s2);
        lab[i] = g;
    }
    double want = mean_silhouette(st_n, lab, text_dist);
    jm_node *root = run_json(path, "--text text --clusters 3", NULL);
    CLI_EXPECT_NUM(root, "clustering.silhouette", want, 1e-9);
    /* default k: the figure for k = 3 is the same partition's */
    root = run_json(path, "--text text", NULL);
    const jm_node *k3 = jm_path(root, "clustering.silhouette_by_k.3");
    if (k3)
        CLI_NEAR(jm_num(k3), want, 1e-9, "silhouette_by_k[3]");

    path = syn_embedding_csv();
    se_n = 0;
    for (int r = 1; r <= emb_rows; r++)
        if (emb_group[r] < 3) {
            lab[se_n] = emb_group[r];
            se_row[se_n++] = r;
        }
    want = mean_silhouette(se_n, lab, emb_dist);
    root = run_json(path, "--embedding e_ --clusters 3", NULL);
    CLI_EXPECT_NUM(root, "clustering.silhouette", want, 1e-9);
}

/* Representatives are the rows nearest the cluster's centre. For the recovered text groups the
 * centre of spherical k-means is the mean of the rows' unit TF-IDF vectors (its direction is
 * all that matters); the 3 rows of highest cosine to it are computed here (the margin to the
 * 4th is checked to be clear of rounding). */
Test(cli_clusters, synthetic_text_representatives_nearest_centre)
{
    const char *path = syn_text_csv();
    jm_node *root = run_json(path, "--text text --clusters 3", NULL);
    st_n = 0;
    for (int r = 1; r <= syn_rows; r++)
        if (syn_group[r] < 3)
            st_row[st_n++] = r;
    for (int g = 0; g < 3; g++)
        for (int w = 0; w < 10; w++)
            st_idf[g][w] = log((1.0 + st_n) / (1.0 + rows_with(g, w))) + 1.0;
    const jm_node *cl = jm_get(root, "clusters");
    cr_assert_eq(jm_len(cl), 3);
    for (int g = 0; g < 3; g++) {
        /* centre: sum over the group's rows of the unit vectors, per word */
        double cen[10] = {0}, cos_row[SYN_MAX + 1];
        for (int r = 1; r <= syn_rows; r++) {
            if (syn_group[r] != g)
                continue;
            double s2 = 0;
            for (int w = 0; w < 10; w++)
                if (syn_words[r] & (1 << w))
                    s2 += st_idf[g][w] * st_idf[g][w];
            for (int w = 0; w < 10; w++)
                if (syn_words[r] & (1 << w))
                    cen[w] += st_idf[g][w] / sqrt(s2);
        }
        double cn = 0;
        for (int w = 0; w < 10; w++)
            cn += cen[w] * cen[w];
        cn = sqrt(cn);
        double top[4] = {-2, -2, -2, -2};
        for (int r = 1; r <= syn_rows; r++) {
            cos_row[r] = -2;
            if (syn_group[r] != g)
                continue;
            double dot = 0, s2 = 0;
            for (int w = 0; w < 10; w++)
                if (syn_words[r] & (1 << w)) {
                    dot += st_idf[g][w] * cen[w];
                    s2 += st_idf[g][w] * st_idf[g][w];
                }
            cos_row[r] = dot / (sqrt(s2) * cn);
            for (int k = 0; k < 4; k++)
                if (cos_row[r] > top[k]) {
                    memmove(top + k + 1, top + k, (size_t)(3 - k) * sizeof top[0]);
                    top[k] = cos_row[r];
                    break;
                }
        }
        cr_assert(top[2] - top[3] > 1e-9, "group %d: 3rd and 4th nearest tie, test data unfit",
                  g);
        const jm_node *rep = jm_get(jm_at(cl, (size_t)g), "representatives"); /* A, B, C */
        cr_expect_eq(jm_len(rep), 3);
        for (size_t j = 0; j < jm_len(rep); j++) {
            int r = (int)jm_num(jm_at(rep, j));
            cr_expect(r >= 1 && r <= syn_rows && cos_row[r] >= top[2] - 1e-12,
                      "cluster %d: representative row %d has cosine %.9f to the centre, the 3 "
                      "nearest have %.9f, %.9f, %.9f", g, r,
                      r >= 1 && r <= syn_rows ? cos_row[r] : NAN, top[0], top[1], top[2]);
        }
    }
}

/* ---- small and degenerate selections: no crash ---------------------------------------- */

/* No error in the selection: nothing to cluster, exit 0. */
Test(cli_clusters, no_errors_selected)
{
    jm_node *root = run_json(SPAM, "--filter correct --clusters 3", NULL);
    const jm_node *cl = jm_get(root, "clusters");
    cr_expect(cl == NULL || cl->type == JM_NULL || jm_len(cl) == 0,
              "%zu clusters without a single error", jm_len(cl));
}

/* Fewer errors than k: exit 0, never an empty cluster, sizes still add up. */
Test(cli_clusters, fewer_errors_than_k)
{
    const char *path = syn_text_csv();
    /* rows 1..20 of the shuffled file: count the errors by hand */
    int nerr = 0;
    for (int r = 1; r <= 20; r++)
        nerr += syn_group[r] < 3;
    cr_assert(nerr >= 1);
    jm_node *root = run_json(path, "--text text --filter 'row <= 20' --clusters 40", NULL);
    const jm_node *cl = jm_get(root, "clusters");
    double sum = 0;
    for (size_t i = 0; i < jm_len(cl); i++) {
        double sz = jm_num(jm_get(jm_at(cl, i), "size"));
        cr_expect(sz >= 1, "cluster %zu is empty", i);
        sum += sz;
    }
    double unc = jm_num(jm_path(root, "clustering.unclustered"));
    cr_expect(jm_len(cl) <= (size_t)nerr, "%zu clusters for %d errors", jm_len(cl), nerr);
    if (jm_len(cl) > 0)
        cr_expect(sum + (isnan(unc) ? 0 : unc) == nerr, "sizes %g + %g unclustered, %d errors",
                  sum, unc, nerr);
}

/* Every error has the same text: k-means cannot make 3 different clusters; exit 0, no empty
 * cluster reported, sizes add up. */
Test(cli_clusters, identical_texts)
{
    char buf[8192];
    size_t n = (size_t)snprintf(buf, sizeof buf, "id,text,label,pred\n");
    for (int r = 1; r <= 60; r++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "r%d,%s,%s,%s\n", r,
                              r % 2 ? "same words every time here" : "other fruit apple pear",
                              r % 2 ? "a" : "b", r % 2 ? "b" : "b");
    const char *path = tmp_csv(buf);
    jm_node *root = run_json(path, "--text text --clusters 3", NULL);
    const jm_node *cl = jm_get(root, "clusters");
    double sum = 0;
    for (size_t i = 0; i < jm_len(cl); i++) {
        double sz = jm_num(jm_get(jm_at(cl, i), "size"));
        cr_expect(sz >= 1, "cluster %zu is empty", i);
        sum += sz;
    }
    double unc = jm_num(jm_path(root, "clustering.unclustered"));
    cr_expect(sum + (isnan(unc) ? 0 : unc) == 30, "sizes %g + %g unclustered, 30 errors", sum,
              unc);
    /* default k on the same data: a valid answer too */
    run_json(path, "--text text", NULL);
}

/* ---- bad flags ------------------------------------------------------------------------ */

/* Exit 2, nothing on stdout, stderr naming what. */
static void expect_usage(const char *file, const char *flags, const char *what)
{
    char args[1024], *out = NULL, *serr = NULL;
    snprintf(args, sizeof args, "report '%s' --format json --levels 0 %s", file, flags);
    int rc = cli_run(args, &out, &serr);
    cr_expect(rc < 128, "%s: killed by signal %d", flags, rc - 128);
    cr_expect(rc == 2, "faultline %s: exit %d, expected 2 (usage error); stderr: %.300s", args,
              rc, serr ? serr : "");
    cr_expect(out == NULL || out[0] == '\0', "%s: stdout not empty: %.200s", flags,
              out ? out : "");
    cr_expect(serr && strstr(serr, what), "%s: the message does not name %s: %.300s", flags,
              what, serr ? serr : "");
}

Test(cli_clusters, bad_clusters_values)
{
    static const char *bad[] = {"abc", "-1", "1", "51", "2.5", "3x", "''", "1000",
                                "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char flags[128];
        snprintf(flags, sizeof flags, "--clusters %s", bad[i]);
        expect_usage(SPAM, flags, "--clusters");
    }
    /* the flag without its value, as the last argument */
    expect_usage(SPAM, "--clusters", "--clusters");
}

Test(cli_clusters, bad_seed_values)
{
    static const char *bad[] = {"abc", "-3", "1.5", "''", "7z", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char flags[128];
        snprintf(flags, sizeof flags, "--clusters 3 --seed %s", bad[i]);
        expect_usage(SPAM, flags, "--seed");
    }
    expect_usage(SPAM, "--clusters 3 --seed", "--seed");
}

/* An embedding prefix that names no column PREFIX<number>: nosuch_ matches nothing; prob_
 * and body only match prob_spam / prob_ham / body_length, which are not PREFIX + number. */
Test(cli_clusters, bad_embedding_prefix)
{
    expect_usage(SPAM, "--embedding nosuch_", "nosuch_");
    expect_usage(SPAM, "--embedding prob_", "prob_");
    expect_usage(SPAM, "--embedding body", "body");
    expect_usage(SPAM, "--embedding", "--embedding");
}
