/* Shared helpers for the command-line suites (tests/cli/test_*.c): run the binary, parse its
 * JSON, compare numbers, look for line numbers in messages. Header-only (static inline) so
 * that each suite stays one translation unit. */
#ifndef TESTS_CLI_COMMON_H
#define TESTS_CLI_COMMON_H

#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fl_test.h"
#include "json_mini.h"

/* Fixtures of this suite, relative to the source tree (fl_run runs from there). */
#define CLI_DATA "tests/data/cli/"

/* Tolerances of the reference checks: counts and rates are exact ratios of integers, the rest
 * go through sums of logs, ranks or interpolation. */
#define TOL_RATE 1e-9
#define TOL_FIG 1e-6

/* Everything a test allocates through these helpers is owned by this pool and freed when the
 * test's worker process exits, also when a failed cr_assert ends the test early (so that a
 * failing test does not add a leak report to its failure). */
#define CLI_POOL_MAX 512
static struct {
    void *p;
    int doc; /* 1: a jm_node tree, 0: plain malloc'd memory */
} cli_pool[CLI_POOL_MAX];
static size_t cli_pool_len;
static int cli_pool_armed;

static inline void cli_pool_drain(void)
{
    while (cli_pool_len > 0) {
        cli_pool_len--;
        if (cli_pool[cli_pool_len].doc)
            jm_free(cli_pool[cli_pool_len].p);
        else
            free(cli_pool[cli_pool_len].p);
    }
}

static inline void *cli_pool_add(void *p, int doc)
{
    if (!p)
        return NULL;
    if (!cli_pool_armed) {
        cli_pool_armed = 1;
        atexit(cli_pool_drain);
    }
    cr_assert(cli_pool_len < CLI_POOL_MAX, "test allocates too much");
    cli_pool[cli_pool_len].p = p;
    cli_pool[cli_pool_len].doc = doc;
    cli_pool_len++;
    return p;
}

/* Hands malloc'd memory (or a jm_parse tree) to the pool; returns it. */
static inline void *cli_own(void *p) { return cli_pool_add(p, 0); }
static inline jm_node *cli_own_doc(jm_node *doc) { return cli_pool_add(doc, 1); }

/* fl_run with both outputs owned by the pool. */
static inline int cli_run(const char *args, char **out, char **serr)
{
    char *o = NULL, *e = NULL;
    int rc = fl_run(args, &o, &e);
    cli_own(o);
    cli_own(e);
    *out = o;
    if (serr)
        *serr = e;
    return rc;
}

/* Parses JSON text into a pool-owned tree; NULL (and a reason in why) when malformed. */
static inline jm_node *cli_parse(const char *text, char *why, size_t whylen)
{
    return cli_own_doc(jm_parse(text, text ? strlen(text) : 0, why, whylen));
}

/* Runs `faultline ARGS`, requires exit 0 and a well-formed JSON object on stdout, returns its
 * tree (pool-owned). */
static inline jm_node *cli_json(const char *args)
{
    char *out = NULL, *serr = NULL;
    int rc = cli_run(args, &out, &serr);
    cr_assert(rc == 0, "faultline %s: exit %d, stderr: %s", args, rc, serr ? serr : "(none)");
    cr_assert(out != NULL, "faultline %s: no stdout captured", args);
    char why[128];
    jm_node *root = cli_parse(out, why, sizeof why);
    cr_assert(root != NULL, "faultline %s: stdout is not JSON (%s); it starts: %.300s", args,
              why, out);
    cr_assert(root->type == JM_OBJ, "faultline %s: JSON root is not an object", args);
    return root;
}

/* Runs a shell command line in the source tree, in which every "@BIN@" stands for the quoted
 * path of the binary; outputs are pool-owned. Used where fl_run's fixed "</dev/null" is in the
 * way (input on stdin). */
static inline int cli_sh(const char *line, char **out, char **errout)
{
    char outp[] = "/tmp/fl_cli_outXXXXXX", errp[] = "/tmp/fl_cli_errXXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char expanded[8192];
    size_t n = 0;
    for (const char *s = line; *s && n + 1 < sizeof expanded;) {
        if (strncmp(s, "@BIN@", 5) == 0) {
            int k = snprintf(expanded + n, sizeof expanded - n, "'%s'", FL_BINARY);
            cr_assert(k > 0 && (size_t)k < sizeof expanded - n);
            n += (size_t)k;
            s += 5;
        } else {
            expanded[n++] = *s++;
        }
    }
    expanded[n] = '\0';
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "cd '%s' && ( %s ) >'%s' 2>'%s'", FL_SOURCE_DIR, expanded, outp,
             errp);
    int st = system(cmd);
    *out = cli_own(fl_read_file(outp, NULL));
    if (errout)
        *errout = cli_own(fl_read_file(errp, NULL));
    unlink(outp);
    unlink(errp);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Numeric member at a path; fails the test when absent or not a number. */
static inline double cli_num(const jm_node *root, const char *path)
{
    const jm_node *n = jm_path(root, path);
    cr_assert(n != NULL, "JSON has no \"%s\"", path);
    cr_assert(n->type == JM_NUM, "JSON \"%s\" is not a number (type %d)", path, (int)n->type);
    return n->num;
}

static inline const char *cli_str(const jm_node *root, const char *path)
{
    const jm_node *n = jm_path(root, path);
    cr_assert(n != NULL, "JSON has no \"%s\"", path);
    cr_assert(n->type == JM_STR, "JSON \"%s\" is not a string (type %d)", path, (int)n->type);
    return n->str;
}

#define CLI_NEAR(got, want, tol, what)                                                       \
    do {                                                                                     \
        double g_ = (got), w_ = (want);                                                      \
        cr_expect(fabs(g_ - w_) <= (tol), "%s: expected %.12g, got %.12g (tolerance %g)",   \
                  (what), w_, g_, (double)(tol));                                            \
    } while (0)

/* Compares a numeric JSON member with an expected figure. */
#define CLI_EXPECT_NUM(root, path, want, tol) CLI_NEAR(cli_num((root), (path)), (want), (tol), (path))

/* Relative comparison for p-values that span many orders of magnitude. */
#define CLI_NEAR_REL(got, want, rel, what)                                                   \
    do {                                                                                     \
        double g_ = (got), w_ = (want);                                                      \
        cr_expect(fabs(g_ - w_) <= (rel) * fabs(w_) + 1e-300,                                \
                  "%s: expected %.12g, got %.12g (relative tolerance %g)", (what), w_, g_,   \
                  (double)(rel));                                                            \
    } while (0)

/* Case-insensitive substring test. */
static inline int cli_icontains(const char *hay, const char *needle)
{
    if (!hay || !needle)
        return 0;
    size_t k = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t i = 0;
        while (i < k && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == k)
            return 1;
    }
    return 0;
}

/* 1 when the decimal number v occurs in s as a whole token (no digit right before or after),
 * e.g. "line 9" or "x.csv:9:" for v = 9, but not "19" or "95". */
static inline int cli_has_number(const char *s, long v)
{
    if (!s)
        return 0;
    char want[32];
    snprintf(want, sizeof want, "%ld", v);
    size_t k = strlen(want);
    for (const char *p = strstr(s, want); p; p = strstr(p + 1, want)) {
        int before = p > s && isdigit((unsigned char)p[-1]);
        int after = isdigit((unsigned char)p[k]);
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* The object of "columns" named name; fails the test when there is none. */
static inline const jm_node *cli_column(const jm_node *root, const char *name)
{
    const jm_node *cols = jm_get(root, "columns");
    cr_assert(cols && cols->type == JM_ARR, "JSON has no \"columns\" array");
    const jm_node *c = jm_find(cols, "name", name);
    cr_assert(c != NULL, "\"columns\" has no column named \"%s\"", name);
    return c;
}

/* Reads a slice's level as a number when it is one: a "value" given as a number or as a
 * numeric string, or a degenerate bin lo == hi. NAN otherwise. */
static inline double cli_slice_level_num(const jm_node *s)
{
    const jm_node *v = jm_get(s, "value");
    if (v && v->type == JM_NUM)
        return v->num;
    if (v && v->type == JM_STR) {
        char *end;
        double x = strtod(v->str, &end);
        if (end != v->str && *end == '\0')
            return x;
        return NAN;
    }
    double lo = jm_num(jm_get(s, "lo")), hi = jm_num(jm_get(s, "hi"));
    if (!isnan(lo) && lo == hi)
        return lo;
    return NAN;
}

/* The slice of column col whose "value" is the string val. NULL when none. */
static inline const jm_node *cli_slice(const jm_node *root, const char *col, const char *val)
{
    const jm_node *sl = jm_get(root, "slices");
    for (size_t i = 0; i < jm_len(sl); i++) {
        const jm_node *s = jm_at(sl, i);
        const char *c = jm_str(jm_get(s, "column"));
        const char *v = jm_str(jm_get(s, "value"));
        if (c && v && strcmp(c, col) == 0 && strcmp(v, val) == 0)
            return s;
    }
    return NULL;
}

/* Number of slices of column col. */
static inline size_t cli_slice_count(const jm_node *root, const char *col)
{
    const jm_node *sl = jm_get(root, "slices");
    size_t k = 0;
    for (size_t i = 0; i < jm_len(sl); i++) {
        const char *c = jm_str(jm_get(jm_at(sl, i), "column"));
        if (c && strcmp(c, col) == 0)
            k++;
    }
    return k;
}

#endif
