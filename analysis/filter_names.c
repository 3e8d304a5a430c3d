/* Names in filters: columns, derived fields (label, error, score[c], ...), the nearest names
 * for "did you mean", and Tab completion. */
#include "filter_int.h"

#include "categories.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef enum {
    D_LABEL,
    D_PRED,
    D_ERROR,
    D_CORRECT,
    D_CONFIDENCE,
    D_MARGIN,
    D_SCORE,
    D_LOSS,
    D_OUTCOME,
    D_ROW,
    D_TIME,
    D_TAG,
    D_TAGGED,
    D_UNTAGGED,
    D_NOTE,
    D_PRED2,
    D_ERROR2,
    D_FIXED,
    D_BROKEN,
    D_CAT_FIRST, /* the categories, in cat_kind order */
    D_CAT_LAST = D_CAT_FIRST + CAT_COUNT - 1,
    D_COUNT
} derived_id;

/* Name as typed, and as offered by completion (score is always followed by a class). */
static const char *const derived_name[D_COUNT] = {
    "label", "pred",  "error",   "correct", "confidence", "margin",
    "score", "loss",  "outcome", "row",     "time",   "tag", "tagged", "untagged", "note",
    "pred2", "error2", "fixed", "broken",
    /* cat_name()'s names, checked against it in the filter tests */
    "confidently_wrong", "unsure", "boundary", "rare_class_error", "outlier",
};
static const char *const derived_completion[D_COUNT] = {
    "label", "pred",   "error",   "correct", "confidence", "margin",
    "score[", "loss",  "outcome", "row",     "time",   "tag", "tagged", "untagged", "note",
    "pred2", "error2", "fixed", "broken",
    "confidently_wrong", "unsure", "boundary", "rare_class_error", "outlier",
};
static const char *const function_completion[] = {"len(", "tokens(", "missing("};
static const char *const function_name[] = {"len", "tokens", "missing"};
#define NFUNCTIONS (sizeof function_name / sizeof function_name[0])

static const char *const outcome_names[4] = {"TP", "FP", "TN", "FN"};

static int derived_of(const char *name)
{
    for (int k = 0; k < D_COUNT; k++)
        if (strcmp(derived_name[k], name) == 0)
            return k;
    return -1;
}

static bool is_classification(const flt_ctx *c)
{
    return c->o && c->o->task != TASK_REGRESSION;
}

/* NULL when the derived field exists in this context, else why not. */
static const char *unavailable(const flt_ctx *c, derived_id id)
{
    const outcome *o = c->o;
    switch (id) {
    case D_ROW:
        return NULL;
    case D_TIME:
        return c->r && c->r->time >= 0 ? NULL : "no time column was found";
    case D_TAG:
    case D_TAGGED:
    case D_UNTAGGED:
    case D_NOTE:
        return c->tags ? NULL : "tags exist only where a tag journal is open (the explorer)";
    case D_PRED2:
    case D_ERROR2:
    case D_FIXED:
    case D_BROKEN:
        if (!c->compare)
            return "there is no second model (--compare FILE or --pred2 COL)";
        return o ? NULL : "the label and prediction columns are not known";
    default:
        if (id >= D_CAT_FIRST && id <= D_CAT_LAST)
            return c->categories ? NULL : "the error categories were not computed";
        break;
    }
    if (!o || !c->r)
        return "the label and prediction columns are not known";
    switch (id) {
    case D_CONFIDENCE:
    case D_MARGIN:
    case D_SCORE:
        if (!is_classification(c))
            return "this file is a regression, with no class scores";
        return out_has_scores(o) ? NULL : "this file has no class scores";
    case D_LOSS:
        return !is_classification(c) || out_has_scores(o) ? NULL
                                                          : "this file has no class scores";
    case D_OUTCOME:
        return o->task == TASK_BINARY && o->positive != CLASS_NA
                   ? NULL
                   : "outcome (TP, FP, TN, FN) needs a binary task";
    default:
        return NULL;
    }
}

const char *flt_scores_unavailable(const flt_ctx *c)
{
    return unavailable(c, D_SCORE);
}

static void column_field(const flt_ctx *c, int col, flt_field *f)
{
    const column *k = &c->ds->cols[col];
    f->col = col;
    f->is_column = true;
    switch (k->type) {
    case COL_NUM:
        f->src = FS_NUMS;
        f->type = FV_NUM;
        f->nums = k->num;
        f->what = "numeric column";
        break;
    case COL_TIME:
        f->src = FS_NUMS;
        f->type = FV_TIME;
        f->nums = k->num;
        f->what = "time column";
        break;
    case COL_CAT:
    case COL_TEXT:
        f->src = FS_CODES;
        f->type = FV_TEXT;
        f->codes = k->code;
        f->dict = k->dict;
        f->what = k->type == COL_CAT ? "category column" : "text column";
        break;
    }
}

static void derived_field(const flt_ctx *c, derived_id id, flt_field *f)
{
    const outcome *o = c->o;
    f->col = -1;
    f->type = FV_NUM;
    f->src = FS_NUMS;
    f->what = derived_name[id];
    switch (id) {
    case D_LABEL:
    case D_PRED:
        f->col = id == D_LABEL ? c->r->label : c->r->pred;
        if (is_classification(c)) {
            f->src = FS_CLASS;
            f->type = FV_TEXT;
            f->codes = id == D_LABEL ? o->y : o->yhat;
        } else {
            f->nums = id == D_LABEL ? o->ytrue : o->ypred;
        }
        break;
    case D_ERROR:
    case D_CORRECT:
        f->src = id == D_ERROR ? FS_ERROR : FS_CORRECT;
        f->type = FV_BOOL;
        break;
    case D_CONFIDENCE:
        f->nums = o->conf;
        break;
    case D_MARGIN:
        f->src = FS_MARGIN;
        break;
    case D_LOSS:
        f->nums = o->loss;
        break;
    case D_OUTCOME:
        f->src = FS_OUTCOME;
        f->type = FV_TEXT;
        break;
    case D_ROW:
        f->src = FS_ROW;
        break;
    case D_TIME:
        column_field(c, c->r->time, f);
        break;
    case D_TAG:
        f->src = FS_TAGS;
        f->type = FV_TEXT;
        break;
    case D_TAGGED:
    case D_UNTAGGED:
        f->src = id == D_TAGGED ? FS_TAGGED : FS_UNTAGGED;
        f->type = FV_BOOL;
        break;
    case D_NOTE:
        f->src = FS_CODES;
        f->type = FV_TEXT;
        f->codes = c->tags->note;
        f->dict = c->tags->notes;
        break;
    case D_PRED2:
        f->col = c->compare->col;
        if (is_classification(c)) {
            f->src = FS_CLASS;
            f->type = FV_TEXT;
            f->codes = c->compare->yhat;
        } else {
            f->nums = c->compare->ypred;
        }
        break;
    case D_ERROR2:
    case D_FIXED:
    case D_BROKEN:
        f->src = id == D_ERROR2 ? FS_ERROR2 : id == D_FIXED ? FS_FIXED : FS_BROKEN;
        f->type = FV_BOOL;
        break;
    case D_SCORE:
    case D_COUNT:
        break; /* score is resolved with its class in flt_check */
    default: /* a category */
        f->src = FS_CATEGORY;
        f->type = FV_BOOL;
        f->catbit = CAT_BIT(id - D_CAT_FIRST);
        break;
    }
}

static int find_column(const flt_ctx *c, const char *name, bool exact)
{
    return exact ? ds_col_find(c->ds, name) : ds_col_find_nocase(c->ds, name);
}

bool flt_name_known(const flt_ctx *c, const char *name, bool quoted)
{
    return find_column(c, name, true) >= 0 || (!quoted && derived_of(name) >= 0) ||
           find_column(c, name, false) >= 0;
}

err_code flt_resolve(const flt_ctx *c, flt_arena *a, flt_diag *d, const flt_tok *tok,
                     flt_field **out)
{
    char sn[FLT_SNIP];
    flt_snip(tok->s, tok->slen, sn, sizeof sn);
    flt_field *f = flt_arena_alloc(a, sizeof *f);
    if (!f)
        return flt_fail(d, E_NOMEM, tok->pos, 0, "out of memory");
    f->name = tok->s;
    bool quoted = tok->type == TK_QNAME;
    /* A name holding a NUL byte cannot name a column; strlen stops the lookups there. */
    int col = strlen(tok->s) == tok->slen ? find_column(c, tok->s, true) : -1;
    int id = quoted || col >= 0 ? -1 : derived_of(tok->s);
    if (id >= 0) {
        const char *why = unavailable(c, (derived_id)id);
        if (why)
            return flt_fail(d, E_TYPE, tok->pos, tok->len, "%s is not available: %s", sn, why);
        if (id == D_SCORE) {
            const char *cls = c->r->nclass ? c->r->classes[c->r->nclass - 1] : "spam";
            char cn[FLT_SNIP];
            return flt_fail(d, E_PARSE, tok->pos, tok->len,
                            "score needs a class, as in score[%s]",
                            flt_snip(cls, strlen(cls), cn, sizeof cn));
        }
        derived_field(c, (derived_id)id, f);
        *out = f;
        return E_OK;
    }
    if (col < 0 && strlen(tok->s) == tok->slen)
        col = find_column(c, tok->s, false);
    if (col >= 0) {
        column_field(c, col, f);
        *out = f;
        return E_OK;
    }
    for (size_t k = 0; !quoted && k < NFUNCTIONS; k++)
        if (strcmp(tok->s, function_name[k]) == 0)
            return flt_fail(d, E_PARSE, tok->pos, tok->len,
                            "%s is a function: write %s(column)", sn, sn);
    char hint[256];
    flt_suggest(c, tok->s, !quoted, hint, sizeof hint);
    return flt_fail(d, E_PARSE, tok->pos, tok->len, "unknown column '%s'%s", sn, hint);
}

uint32_t flt_class_of(const flt_ctx *c, const flt_tok *key)
{
    const roles *r = c->r;
    if (!r || !r->class_dict)
        return CLASS_NA;
    uint32_t k = sd_find(r->class_dict, key->s, key->slen);
    if (k != CLASS_NA)
        return k;
    for (k = 0; k < r->nclass; k++)
        if (strlen(r->classes[k]) == key->slen && strcasecmp(r->classes[k], key->s) == 0)
            return k;
    if (key->type == TK_NUM && r->class_value)
        for (k = 0; k < r->nclass; k++)
            if (r->class_value[k] == key->num)
                return k;
    return CLASS_NA;
}

/* ---- coded fields ---- */

bool flt_is_coded(const flt_field *f)
{
    return f->src == FS_CODES || f->src == FS_CLASS || f->src == FS_OUTCOME;
}

uint32_t flt_code_count(const flt_ctx *c, const flt_field *f)
{
    switch (f->src) {
    case FS_CODES:
        return sd_count(f->dict);
    case FS_CLASS:
        return c->r->nclass;
    case FS_OUTCOME:
        return 4;
    default:
        return 0;
    }
}

const char *flt_code_str(const flt_ctx *c, const flt_field *f, uint32_t k, size_t *len)
{
    const char *s;
    switch (f->src) {
    case FS_CODES:
        *len = sd_len(f->dict, k);
        return sd_str(f->dict, k);
    case FS_CLASS:
        s = c->r->classes[k];
        break;
    default:
        s = outcome_names[k];
        break;
    }
    *len = strlen(s);
    return s;
}

double flt_code_value(const flt_ctx *c, const flt_field *f, uint32_t k)
{
    if (f->src == FS_CLASS && c->r->class_value)
        return c->r->class_value[k];
    return NAN;
}

/* ---- did you mean ---- */

static unsigned char lower(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
}

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions), ASCII case
 * folded; names longer than DIST_MAX are cut, which only affects very long names. */
#define DIST_MAX 64
static unsigned distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > DIST_MAX)
        n = DIST_MAX;
    if (m > DIST_MAX)
        m = DIST_MAX;
    unsigned rows[3][DIST_MAX + 1];
    unsigned *pp = rows[0], *p = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        p[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]);
            unsigned v = p[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        unsigned *t = pp;
        pp = p;
        p = cur;
        cur = t;
    }
    return p[m];
}

typedef struct cand {
    const char *name;
    unsigned dist;
} cand;

/* Keeps the 3 nearest candidates, earlier ones first on ties (columns in file order, then
 * derived fields). */
static void consider(cand best[3], size_t *nbest, const char *name, unsigned dist)
{
    size_t at = *nbest;
    while (at > 0 && best[at - 1].dist > dist)
        at--;
    if (at >= 3)
        return;
    size_t last = *nbest < 3 ? *nbest : 2;
    for (size_t k = last; k > at; k--)
        best[k] = best[k - 1];
    best[at] = (cand){name, dist};
    if (*nbest < 3)
        (*nbest)++;
}

void flt_suggest(const flt_ctx *c, const char *name, bool with_derived, char *buf, size_t size)
{
    /* about one edit in three characters: near enough to be a typo, and a one-letter
     * name gets no far-fetched guesses */
    unsigned limit = (unsigned)(strlen(name) / 3 + 1);
    cand best[3];
    size_t nbest = 0;
    for (size_t k = 0; k < c->ds->ncols; k++) {
        unsigned dist = distance(name, c->ds->cols[k].name);
        if (dist <= limit)
            consider(best, &nbest, c->ds->cols[k].name, dist);
    }
    for (int k = 0; with_derived && k < D_COUNT; k++) {
        if (unavailable(c, (derived_id)k) || ds_col_find(c->ds, derived_name[k]) >= 0)
            continue;
        unsigned dist = distance(name, derived_name[k]);
        if (dist <= limit)
            consider(best, &nbest, derived_name[k], dist);
    }
    if (size)
        buf[0] = '\0';
    size_t o = 0;
    for (size_t k = 0; k < nbest && o < size; k++) {
        char q[FLT_SNIP + 8];
        char sn[FLT_SNIP];
        flt_snip(best[k].name, strlen(best[k].name), sn, sizeof sn);
        flt_quote_name(sn, q, sizeof q);
        int w = snprintf(buf + o, size - o, "%s%s", k == 0 ? "; did you mean " : ", ", q);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (nbest && o < size)
        snprintf(buf + o, size - o, "?");
}

/* ---- completion ---- */

static bool has_prefix(const char *name, const char *prefix, size_t plen)
{
    return strncasecmp(name, prefix, plen) == 0;
}

size_t flt_complete(const flt_ctx *ctx, const char *prefix, const char **out, size_t max)
{
    if (!prefix)
        prefix = "";
    if (prefix[0] == '`')
        prefix++;
    size_t plen = strlen(prefix), n = 0;
    for (size_t k = 0; k < ctx->ds->ncols; k++)
        if (has_prefix(ctx->ds->cols[k].name, prefix, plen)) {
            if (n < max)
                out[n] = ctx->ds->cols[k].name;
            n++;
        }
    for (int k = 0; k < D_COUNT; k++)
        if (!unavailable(ctx, (derived_id)k) && ds_col_find(ctx->ds, derived_name[k]) < 0 &&
            has_prefix(derived_completion[k], prefix, plen)) {
            if (n < max)
                out[n] = derived_completion[k];
            n++;
        }
    for (size_t k = 0; k < NFUNCTIONS; k++)
        if (has_prefix(function_completion[k], prefix, plen)) {
            if (n < max)
                out[n] = function_completion[k];
            n++;
        }
    return n;
}
