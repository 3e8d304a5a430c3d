#include "roles.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sortd.h"
#include "strbuf.h"

/* Names users really write, compared without regard to case. */
static const char *const LABEL_NAMES[] = {"label",  "y_true", "target", "truth",      "actual",
                                          "gold",   "y",      "true",   "true_label", "ground_truth",
                                          "labels", "y_test", NULL};
static const char *const PRED_NAMES[] = {"prediction", "pred",      "y_pred",     "predicted",
                                         "yhat",       "y_hat",     "predictions", "pred_label",
                                         "predicted_label", NULL};
static const char *const SINGLE_SCORE_NAMES[] = {"score", "probability", "confidence", "prob",
                                                 "proba", NULL};
/* Per-class score columns: prefix<class> or <class>suffix. */
static const char *const SCORE_PREFIXES[] = {"prob_", "proba_", "score_", "p_", NULL};
static const char *const SCORE_SUFFIXES[] = {"_prob", "_proba", NULL};
/* A prediction named after its target: pred_price predicts price. */
static const char *const PRED_PREFIXES[] = {"pred_", "predicted_", "y_pred_", NULL};
static const char *const PRED_SUFFIXES[] = {"_pred", "_predicted", "_hat", NULL};
static const char *const ID_NAMES[] = {"id", "row_id", "uid", "uuid", "key", "example_id",
                                       "sample_id", "record_id", NULL};
static const char *const TIME_NAMES[] = {"time", "timestamp", "date", "datetime", "ts",
                                         "created_at", "event_time", NULL};

void role_opts_init(role_opts *o)
{
    memset(o, 0, sizeof *o);
    o->task = TASK_AUTO;
    o->fail_above = NAN;
}

const char *task_name(task_kind t)
{
    switch (t) {
    case TASK_BINARY:
        return "binary";
    case TASK_MULTICLASS:
        return "multiclass";
    case TASK_REGRESSION:
        return "regression";
    case TASK_AUTO:
        break;
    }
    return "auto";
}

static bool in_list(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(name, list[i]) == 0)
            return true;
    return false;
}

static bool has_prefix_nocase(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix_nocase(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls > lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/* Appends the names of the columns in idx[0..n) as "a, b, c". */
static void list_names(strbuf *b, const dataset *ds, const int *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%s%s", i ? ", " : "", ds->cols[idx[i]].name);
}

static void list_all_columns(strbuf *b, const dataset *ds)
{
    for (size_t i = 0; i < ds->ncols && i < 40; i++)
        sb_printf(b, "%s%s", i ? ", " : "", ds->cols[i].name);
    if (ds->ncols > 40)
        sb_puts(b, ", ...");
}

/* Finds a column named by the user: exact first, then ignoring case. */
static err_code find_named(const dataset *ds, const char *name, const char *flag, int *out,
                           err *e)
{
    int c = ds_col_find(ds, name);
    if (c < 0)
        c = ds_col_find_nocase(ds, name);
    if (c >= 0) {
        *out = c;
        return E_OK;
    }
    strbuf b;
    sb_init(&b);
    list_all_columns(&b, ds);
    err_set(e, E_USAGE, "%s %s: no such column (columns: %s)", flag, name, sb_str(&b));
    sb_done(&b);
    return E_USAGE;
}

/* Picks the one column whose name is in names; none gives -1; several is an error naming
 * the flag that settles it. */
static err_code pick_by_name(const dataset *ds, const char *const *names, const char *what,
                             const char *flag, int *out, err *e)
{
    int found[16];
    size_t n = 0;
    for (size_t i = 0; i < ds->ncols && n < 16; i++)
        if (ds->cols[i].role == ROLE_FEATURE && in_list(ds->cols[i].name, names))
            found[n++] = (int)i;
    *out = n ? found[0] : -1;
    if (n <= 1)
        return E_OK;
    strbuf b;
    sb_init(&b);
    list_names(&b, ds, found, n);
    err_set(e, E_USAGE, "several %s columns: %s; use %s COL", what, sb_str(&b), flag);
    sb_done(&b);
    return E_USAGE;
}

/* Target and prediction named after one another: pred_price / price. */
static void pick_paired(const dataset *ds, int *label, int *pred)
{
    for (size_t i = 0; i < ds->ncols; i++) {
        if (ds->cols[i].role == ROLE_PRED) /* a second model's (--pred2) */
            continue;
        const char *name = ds->cols[i].name;
        size_t len = strlen(name);
        for (size_t k = 0; PRED_PREFIXES[k]; k++) {
            size_t lp = strlen(PRED_PREFIXES[k]);
            if (len > lp && has_prefix_nocase(name, PRED_PREFIXES[k])) {
                int t = ds_col_find_nocase(ds, name + lp);
                if (t >= 0 && t != (int)i) {
                    *label = t;
                    *pred = (int)i;
                    return;
                }
            }
        }
        for (size_t k = 0; PRED_SUFFIXES[k]; k++) {
            size_t lx = strlen(PRED_SUFFIXES[k]);
            if (len > lx && has_suffix_nocase(name, PRED_SUFFIXES[k])) {
                char base[256];
                snprintf(base, sizeof base, "%.*s", (int)(len - lx), name);
                int t = ds_col_find_nocase(ds, base);
                if (t >= 0 && t != (int)i) {
                    *label = t;
                    *pred = (int)i;
                    return;
                }
            }
        }
    }
}

static bool is_numeric_col(const column *c)
{
    return c->type == COL_NUM;
}

/* Sorted distinct non-missing values of a numeric column; returns the count, or SIZE_MAX on
 * allocation failure. Stops counting past limit distinct values (the rest are not needed). */
static size_t numeric_distinct(const column *c, size_t nrows, double **out)
{
    double *v = malloc((nrows ? nrows : 1) * sizeof *v);
    if (!v)
        return SIZE_MAX;
    size_t m = 0;
    for (size_t i = 0; i < nrows; i++)
        if (!isnan(c->num[i]))
            v[m++] = c->num[i];
    if (srt_doubles(v, m, NULL) != E_OK) {
        free(v);
        return SIZE_MAX;
    }
    size_t d = 0;
    for (size_t i = 0; i < m; i++)
        if (d == 0 || v[i] != v[d - 1])
            v[d++] = v[i];
    *out = v;
    return d;
}

static bool all_whole(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != floor(v[i]) || fabs(v[i]) > 1e15)
            return false;
    return true;
}

void role_done(roles *r)
{
    if (r->classes)
        for (uint32_t k = 0; k < r->nclass; k++)
            free(r->classes[k]);
    free(r->classes);
    free(r->score_col);
    free(r->class_value);
    sd_free(r->class_dict);
    memset(r, 0, sizeof *r);
}

static void format_number(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", v);
}

/* Adds the distinct values of a label or prediction column to dict as strings. */
static err_code collect_levels(const dataset *ds, int col, strdict *dict, err *e)
{
    const column *c = &ds->cols[col];
    if (c->dict) {
        for (uint32_t k = 0; k < sd_count(c->dict); k++) {
            uint32_t code;
            err_code rc = sd_intern(dict, sd_str(c->dict, k), sd_len(c->dict, k), &code, e);
            if (rc != E_OK)
                return rc;
        }
        return E_OK;
    }
    double *v;
    size_t d = numeric_distinct(c, ds->nrows, &v);
    if (d == SIZE_MAX)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = E_OK;
    for (size_t i = 0; i < d && rc == E_OK; i++) {
        char buf[64];
        format_number(v[i], buf, sizeof buf);
        uint32_t code;
        rc = sd_intern(dict, buf, strlen(buf), &code, e);
    }
    free(v);
    return rc;
}

/* A score column group: columns prefix<class> or <class>suffix. */
typedef struct score_group {
    const char *pattern; /* for the report: "prob_<class>" */
    int cols[4096];
    char *cls[4096];     /* owned class name per column */
    size_t n;
} score_group;

static void group_free(score_group *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->cls[i]);
    g->n = 0;
}

/* Collects the numeric feature columns matching prefix (or suffix when is_suffix). */
static void group_collect(const dataset *ds, const char *affix, bool is_suffix, score_group *g)
{
    g->n = 0;
    size_t la = strlen(affix);
    for (size_t i = 0; i < ds->ncols && g->n < 4096; i++) {
        const column *c = &ds->cols[i];
        if (c->role != ROLE_FEATURE || !is_numeric_col(c))
            continue;
        size_t len = strlen(c->name);
        if (len <= la)
            continue;
        if (!is_suffix && has_prefix_nocase(c->name, affix)) {
            g->cls[g->n] = strdup(c->name + la);
        } else if (is_suffix && has_suffix_nocase(c->name, affix)) {
            g->cls[g->n] = strndup(c->name, len - la);
        } else {
            continue;
        }
        if (g->cls[g->n])
            g->cols[g->n++] = (int)i;
    }
}

/* How many of the group's class names are classes of the label or prediction. */
static size_t group_hits(const score_group *g, const strdict *levels)
{
    size_t hits = 0;
    for (size_t i = 0; i < g->n; i++)
        if (sd_find(levels, g->cls[i], strlen(g->cls[i])) != CODE_NA)
            hits++;
    return hits;
}

/* Columns named in a comma-separated list, or by a prefix. */
static err_code group_from_option(const dataset *ds, const char *opt, score_group *g, err *e)
{
    g->n = 0;
    if (!strchr(opt, ',')) {
        int c = ds_col_find(ds, opt);
        if (c < 0)
            c = ds_col_find_nocase(ds, opt);
        if (c >= 0) { /* one column: the positive class's score */
            g->cols[0] = c;
            g->cls[0] = NULL;
            g->n = 1;
            return E_OK;
        }
        group_collect(ds, opt, false, g);
        if (g->n == 0)
            return err_set(e, E_USAGE,
                           "--score %s: neither a column nor the prefix of any numeric column",
                           opt);
        return E_OK;
    }
    /* A list: the class is what follows the list's common prefix. */
    char *copy = strdup(opt);
    if (!copy)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = E_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && g->n < 4096;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        int c;
        rc = find_named(ds, tok, "--score", &c, e);
        if (rc != E_OK)
            break;
        g->cols[g->n] = c;
        g->cls[g->n++] = NULL;
    }
    free(copy);
    if (rc != E_OK)
        return rc;
    size_t common = strlen(ds->cols[g->cols[0]].name);
    for (size_t i = 1; i < g->n; i++) {
        const char *a = ds->cols[g->cols[0]].name, *b = ds->cols[g->cols[i]].name;
        size_t j = 0;
        while (j < common && a[j] && a[j] == b[j])
            j++;
        common = j;
    }
    for (size_t i = 0; i < g->n; i++) {
        g->cls[i] = strdup(ds->cols[g->cols[i]].name + common);
        if (!g->cls[i])
            return err_set(e, E_NOMEM, "out of memory");
    }
    return E_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_numstr(const void *a, const void *b)
{
    double x = strtod(*(char *const *)a, NULL), y = strtod(*(char *const *)b, NULL);
    return (x > y) - (x < y);
}

/* Builds the sorted class list from the level dictionary. */
static err_code build_classes(roles *r, const strdict *levels, bool numeric, err *e)
{
    uint32_t n = sd_count(levels);
    r->classes = calloc(n ? n : 1, sizeof *r->classes);
    if (!r->classes)
        return err_set(e, E_NOMEM, "out of memory");
    for (uint32_t k = 0; k < n; k++) {
        r->classes[k] = strdup(sd_str(levels, k));
        if (!r->classes[k])
            return err_set(e, E_NOMEM, "out of memory");
        r->nclass = k + 1;
    }
    /* Byte order, as the brief; numeric labels in numeric order, as scikit-learn does. */
    qsort(r->classes, n, sizeof *r->classes, numeric ? cmp_numstr : cmp_str);
    err_code rc = sd_new(&r->class_dict, e);
    if (rc != E_OK)
        return rc;
    if (numeric) {
        r->class_value = malloc((n ? n : 1) * sizeof *r->class_value);
        if (!r->class_value)
            return err_set(e, E_NOMEM, "out of memory");
    }
    for (uint32_t k = 0; k < n; k++) {
        uint32_t code;
        rc = sd_intern(r->class_dict, r->classes[k], strlen(r->classes[k]), &code, e);
        if (rc != E_OK)
            return rc;
        if (numeric)
            r->class_value[k] = strtod(r->classes[k], NULL);
    }
    return E_OK;
}

uint32_t role_class_of(const roles *r, const dataset *ds, int col, size_t row)
{
    const column *c = &ds->cols[col];
    if (c->dict) {
        uint32_t code = c->code[row];
        if (code == CODE_NA)
            return CLASS_NA;
        return sd_find(r->class_dict, sd_str(c->dict, code), sd_len(c->dict, code));
    }
    double v = c->num[row];
    if (isnan(v))
        return CLASS_NA;
    if (r->class_value) { /* binary search over numerically sorted classes */
        uint32_t lo = 0, hi = r->nclass;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (r->class_value[mid] < v)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < r->nclass && r->class_value[lo] == v ? lo : CLASS_NA;
    }
    char buf[64];
    format_number(v, buf, sizeof buf);
    return sd_find(r->class_dict, buf, strlen(buf));
}

static err_code detect_label_pred(roles *r, dataset *ds, const role_opts *o, err *e)
{
    err_code rc;
    if (o->label && (rc = find_named(ds, o->label, "--label", &r->label, e)) != E_OK)
        return rc;
    if (o->pred && (rc = find_named(ds, o->pred, "--pred", &r->pred, e)) != E_OK)
        return rc;
    if (r->label >= 0) /* a named label is no candidate for another role */
        ds->cols[r->label].role = ROLE_LABEL;
    if (r->pred >= 0)
        ds->cols[r->pred].role = ROLE_PRED;
    if (r->pred < 0 && (rc = pick_by_name(ds, PRED_NAMES, "prediction", "--pred", &r->pred, e)))
        return rc;
    if (r->pred < 0) {
        /* pred_price names its target outright: stronger evidence than a column that merely
         * happens to be called y (as the width of a diamond is). */
        int l = -1, p = -1;
        pick_paired(ds, &l, &p);
        if (p >= 0 && (r->label < 0 || r->label == l)) {
            r->label = l;
            r->pred = p;
        }
    }
    if (r->label < 0 && (rc = pick_by_name(ds, LABEL_NAMES, "label", "--label", &r->label, e)))
        return rc;
    if (r->label < 0) {
        strbuf b;
        sb_init(&b);
        list_all_columns(&b, ds);
        err_set(e, E_USAGE,
                "no label column (looked for label, y_true, target, truth, actual, gold, y; "
                "columns: %s); use --label COL",
                sb_str(&b));
        sb_done(&b);
        return E_USAGE;
    }
    if (r->pred == r->label)
        return err_set(e, E_USAGE, "the label and the prediction are the same column '%s'",
                       ds->cols[r->label].name);
    if (r->pred2 >= 0 && (r->pred2 == r->label || r->pred2 == r->pred))
        return err_set(e, E_USAGE, "--pred2 %s: that column is the %s", ds->cols[r->pred2].name,
                       r->pred2 == r->label ? "label" : "prediction");
    ds->cols[r->label].role = ROLE_LABEL;
    if (r->pred >= 0)
        ds->cols[r->pred].role = ROLE_PRED;
    return E_OK;
}

/* Regression: a numeric label and prediction with many distinct or fractional values. */
static err_code detect_task(roles *r, const dataset *ds, const role_opts *o, bool has_groups,
                            err *e)
{
    if (o->task != TASK_AUTO) {
        r->task = o->task;
        if (r->task == TASK_REGRESSION &&
            (!is_numeric_col(&ds->cols[r->label]) || r->pred < 0 ||
             !is_numeric_col(&ds->cols[r->pred])))
            return err_set(e, E_USAGE,
                           "--task regression needs a numeric label and prediction column");
        return E_OK;
    }
    r->task = TASK_MULTICLASS;
    if (has_groups || r->pred < 0 || !is_numeric_col(&ds->cols[r->label]) ||
        !is_numeric_col(&ds->cols[r->pred]))
        return E_OK;
    double *v;
    size_t d = numeric_distinct(&ds->cols[r->label], ds->nrows, &v);
    if (d == SIZE_MAX)
        return err_set(e, E_NOMEM, "out of memory");
    if (d > 20 || !all_whole(v, d))
        r->task = TASK_REGRESSION;
    free(v);
    return E_OK;
}

static err_code detect_scores(roles *r, dataset *ds, const role_opts *o, const strdict *levels,
                              score_group *best, err *e)
{
    best->n = 0;
    if (o->score) {
        err_code rc = group_from_option(ds, o->score, best, e);
        if (rc != E_OK)
            return rc;
        snprintf(r->score_desc, sizeof r->score_desc, "--score %s", o->score);
        return E_OK;
    }
    score_group *cand = calloc(1, sizeof *cand);
    if (!cand)
        return err_set(e, E_NOMEM, "out of memory");
    const char *found[8];
    size_t nfound = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *affixes = pass ? SCORE_SUFFIXES : SCORE_PREFIXES;
        for (size_t k = 0; affixes[k]; k++) {
            group_collect(ds, affixes[k], pass == 1, cand);
            size_t hits = group_hits(cand, levels);
            if (hits && hits * 2 >= cand->n && nfound < 8) {
                if (nfound == 0) {
                    *best = *cand;
                    cand->n = 0;
                    snprintf(r->score_desc, sizeof r->score_desc, pass ? "<class>%s" : "%s<class>",
                             affixes[k]);
                } else {
                    group_free(cand);
                }
                found[nfound++] = affixes[k];
            } else {
                group_free(cand);
            }
        }
    }
    free(cand);
    if (nfound > 1) {
        group_free(best);
        return err_set(e, E_USAGE,
                       "several sets of per-class score columns (%s... and %s...); use --score "
                       "PREFIX",
                       found[0], found[1]);
    }
    if (nfound == 1)
        return E_OK;
    int single;
    err_code rc = pick_by_name(ds, SINGLE_SCORE_NAMES, "score", "--score", &single, e);
    if (rc != E_OK)
        return rc;
    if (single >= 0 && is_numeric_col(&ds->cols[single])) {
        best->cols[0] = single;
        best->cls[0] = NULL;
        best->n = 1;
        snprintf(r->score_desc, sizeof r->score_desc, "%s (positive class)",
                 ds->cols[single].name);
    }
    return E_OK;
}

/* Adds score groups' class names that the label and prediction never use. */
static err_code add_score_classes(const score_group *g, strdict *levels, err *e)
{
    for (size_t i = 0; i < g->n; i++) {
        if (!g->cls[i])
            continue;
        uint32_t code;
        err_code rc = sd_intern(levels, g->cls[i], strlen(g->cls[i]), &code, e);
        if (rc != E_OK)
            return rc;
    }
    return E_OK;
}

static err_code assign_scores(roles *r, dataset *ds, const score_group *g, bool asked, err *e)
{
    if (g->n == 1 && !g->cls[0]) {
        if (r->task != TASK_BINARY && !asked) /* a feature that happens to be named "score" */
            return E_OK;
        if (r->task != TASK_BINARY)
            return err_set(e, E_USAGE,
                           "a single score column ('%s') needs a binary task with two classes",
                           ds->cols[g->cols[0]].name);
        r->positive_score_col = g->cols[0];
        ds->cols[g->cols[0]].role = ROLE_SCORE;
        return E_OK;
    }
    r->score_col = malloc(r->nclass * sizeof *r->score_col);
    if (!r->score_col)
        return err_set(e, E_NOMEM, "out of memory");
    for (uint32_t k = 0; k < r->nclass; k++)
        r->score_col[k] = -1;
    for (size_t i = 0; i < g->n; i++) {
        uint32_t k = sd_find(r->class_dict, g->cls[i], strlen(g->cls[i]));
        if (k == CODE_NA)
            continue;
        r->score_col[k] = g->cols[i];
        ds->cols[g->cols[i]].role = ROLE_SCORE;
    }
    return E_OK;
}

static err_code detect_id(roles *r, dataset *ds, const role_opts *o, err *e)
{
    if (o->id) {
        err_code rc = find_named(ds, o->id, "--id", &r->id, e);
        if (rc == E_OK)
            ds->cols[r->id].role = ROLE_ID;
        return rc;
    }
    int cand[16];
    size_t n = 0;
    for (size_t i = 0; i < ds->ncols && n < 16; i++) {
        const column *c = &ds->cols[i];
        if (c->role != ROLE_FEATURE || c->type == COL_TEXT)
            continue;
        if (in_list(c->name, ID_NAMES) || has_suffix_nocase(c->name, "_id"))
            cand[n++] = (int)i;
    }
    /* An id names one row: keep candidates whose values are all distinct. */
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        const column *c = &ds->cols[cand[i]];
        bool unique;
        if (c->dict) {
            unique = c->nmissing == 0 && sd_count(c->dict) == ds->nrows;
        } else if (c->type == COL_NUM) {
            double *v;
            size_t d = numeric_distinct(c, ds->nrows, &v);
            if (d == SIZE_MAX)
                return err_set(e, E_NOMEM, "out of memory");
            free(v);
            unique = c->nmissing == 0 && d == ds->nrows;
        } else {
            unique = false;
        }
        if (unique)
            cand[keep++] = cand[i];
    }
    if (keep > 1) { /* a conventional exact name settles it */
        for (size_t i = 0; i < keep; i++)
            if (in_list(ds->cols[cand[i]].name, ID_NAMES)) {
                cand[0] = cand[i];
                keep = 1;
                break;
            }
    }
    if (keep > 1) {
        strbuf b;
        sb_init(&b);
        list_names(&b, ds, cand, keep);
        err_set(e, E_USAGE, "several id columns: %s; use --id COL", sb_str(&b));
        sb_done(&b);
        return E_USAGE;
    }
    if (keep == 1) {
        r->id = cand[0];
        ds->cols[r->id].role = ROLE_ID;
    }
    return E_OK;
}

static err_code detect_text_time(roles *r, dataset *ds, const role_opts *o, err *e)
{
    if (o->time) {
        err_code rc = find_named(ds, o->time, "--time", &r->time, e);
        if (rc != E_OK)
            return rc;
        if (ds->cols[r->time].type != COL_TIME)
            return err_set(e, E_TYPE, "--time %s: the column does not hold dates or times",
                           o->time);
    } else {
        int cand[16];
        size_t n = 0;
        for (size_t i = 0; i < ds->ncols && n < 16; i++)
            if (ds->cols[i].role == ROLE_FEATURE && ds->cols[i].type == COL_TIME)
                cand[n++] = (int)i;
        if (n == 1)
            r->time = cand[0];
        for (size_t i = 0; n > 1 && i < n; i++) /* several: a conventional name decides */
            if (in_list(ds->cols[cand[i]].name, TIME_NAMES)) {
                r->time = cand[i];
                break;
            }
    }
    if (r->time >= 0)
        ds->cols[r->time].role = ROLE_TIME;
    for (size_t i = 0; i < ds->ncols; i++)
        if (ds->cols[i].role == ROLE_FEATURE && ds->cols[i].type == COL_TEXT)
            ds->cols[i].role = ROLE_TEXT;
    return E_OK;
}

static err_code detect_positive(roles *r, const role_opts *o, err *e)
{
    if (r->task != TASK_BINARY) {
        if (o->positive)
            return err_set(e, E_USAGE, "--positive applies to binary tasks only");
        return E_OK;
    }
    if (!o->positive) {
        r->positive = 1;
        return E_OK;
    }
    r->positive = sd_find(r->class_dict, o->positive, strlen(o->positive));
    if (r->positive == CODE_NA) {
        r->positive = CLASS_NA;
        return err_set(e, E_USAGE, "--positive %s: not a class (classes: %s, %s)", o->positive,
                       r->classes[0], r->classes[1]);
    }
    return E_OK;
}

static err_code detect_classes(roles *r, dataset *ds, const role_opts *o, score_group *g,
                               err *e)
{
    strdict *levels = NULL;
    err_code rc = sd_new(&levels, e);
    if (rc != E_OK)
        return rc;
    rc = collect_levels(ds, r->label, levels, e);
    if (rc == E_OK && r->pred >= 0)
        rc = collect_levels(ds, r->pred, levels, e);
    if (rc == E_OK)
        rc = detect_scores(r, ds, o, levels, g, e);
    if (rc == E_OK && r->pred < 0 && (g->n == 0 || (g->n == 1 && !g->cls[0]))) {
        strbuf b;
        sb_init(&b);
        list_all_columns(&b, ds);
        rc = err_set(e, E_USAGE,
                     "no prediction column (looked for prediction, pred, y_pred, predicted, "
                     "yhat, and per-class scores prob_<class> ...; columns: %s); use --pred COL",
                     sb_str(&b));
        sb_done(&b);
    }
    if (rc == E_OK)
        rc = detect_task(r, ds, o, g->n > 1, e);
    if (rc == E_OK && r->task != TASK_REGRESSION) {
        rc = add_score_classes(g, levels, e);
        bool numeric = is_numeric_col(&ds->cols[r->label]) &&
                       (r->pred < 0 || is_numeric_col(&ds->cols[r->pred]));
        for (size_t i = 0; numeric && i < g->n; i++) /* class names from scores must parse */
            if (g->cls[i] && sd_find(levels, g->cls[i], strlen(g->cls[i])) != CODE_NA) {
                char *end;
                strtod(g->cls[i], &end);
                numeric = *end == '\0';
            }
        if (rc == E_OK)
            rc = build_classes(r, levels, numeric, e);
    }
    sd_free(levels);
    return rc;
}

err_code role_detect(roles *r, dataset *ds, const role_opts *o, err *e)
{
    memset(r, 0, sizeof *r);
    r->label = r->pred = r->id = r->time = r->positive_score_col = r->pred2 = -1;
    r->positive = CLASS_NA;
    r->fail_above = o->fail_above;
    for (size_t i = 0; i < ds->ncols; i++)
        ds->cols[i].role = ROLE_FEATURE;
    /* a second model's prediction is set aside first, so that it is no candidate for the
     * prediction, a score, the id or a feature */
    if (o->pred2) {
        err_code rc2 = find_named(ds, o->pred2, "--pred2", &r->pred2, e);
        if (rc2 != E_OK)
            return rc2;
        ds->cols[r->pred2].role = ROLE_PRED;
    }
    score_group *g = calloc(1, sizeof *g); /* large: up to 4096 score columns */
    if (!g)
        return err_set(e, E_NOMEM, "out of memory");
    err_code rc = detect_label_pred(r, ds, o, e);
    if (rc == E_OK)
        rc = detect_classes(r, ds, o, g, e);
    if (rc == E_OK && r->task != TASK_REGRESSION) {
        if (o->task == TASK_AUTO)
            r->task = r->nclass == 2 ? TASK_BINARY : TASK_MULTICLASS;
        else if (r->task == TASK_BINARY && r->nclass != 2)
            rc = err_set(e, E_USAGE, "--task binary, but the label and prediction hold %u classes",
                         r->nclass);
        if (rc == E_OK)
            rc = detect_positive(r, o, e);
        if (rc == E_OK && g->n)
            rc = assign_scores(r, ds, g, o->score != NULL, e);
        if (rc == E_OK && r->pred < 0) {
            if (!r->score_col)
                rc = err_set(e, E_USAGE, "no prediction column; use --pred COL");
            r->pred_from_scores = true;
        }
    }
    group_free(g);
    free(g);
    if (rc == E_OK)
        rc = detect_id(r, ds, o, e);
    if (rc == E_OK)
        rc = detect_text_time(r, ds, o, e);
    if (rc != E_OK)
        role_done(r);
    return rc;
}
