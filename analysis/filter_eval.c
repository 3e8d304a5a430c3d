/* Evaluation of a filter plan into a bitmap.
 *
 * Leaves run tight loops over the columns' arrays and build 64 rows of result per word.
 * Tests on text (dictionary codes) are evaluated once per distinct value into a byte table,
 * then one pass over the rows' codes reads the table: that is what keeps a regex over a
 * million rows with a few thousand distinct texts cheap.
 *
 * A mask narrows the rows whose result matters: a leaf must be right for every row in the
 * mask and may put anything elsewhere. && passes the rows still selected to its next
 * operand and || the rows not yet selected, so a costly test (a regex, len, tokens) only
 * looks at the distinct texts of rows that can still change the result. The top level has
 * no mask, so the final result is exact. */
#include "filter_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ev {
    const flt_ctx *c;
    size_t n, nw; /* rows, words */
    err *e;
} ev;

static err_code eval(const ev *x, const flt_plan *p, const bitmap *mask, bitmap *out);

static err_code nomem(const ev *x)
{
    err_set(x->e, E_NOMEM, "out of memory");
    return E_NOMEM;
}

static void *xmalloc(size_t n, size_t size)
{
    return malloc((n ? n : 1) * size);
}

/* ---- per-row values ---- */

/* The outcome code of every row: TP, FP, TN, FN, or CODE_NA when unknown. */
static void outcome_codes(const ev *x, uint32_t *out)
{
    const outcome *o = x->c->o;
    uint32_t pos = o->positive;
    for (size_t i = 0; i < x->n; i++) {
        uint32_t y = o->y[i], yh = o->yhat[i];
        if (y == CLASS_NA || yh == CLASS_NA)
            out[i] = CODE_NA;
        else if (yh == pos)
            out[i] = y == pos ? FLT_OUTCOME_TP : FLT_OUTCOME_FP;
        else
            out[i] = y == pos ? FLT_OUTCOME_FN : FLT_OUTCOME_TN;
    }
}

/* The codes of a coded field per row: borrowed, or computed into *owned. */
static err_code row_codes(const ev *x, const flt_field *f, const uint32_t **codes,
                          uint32_t **owned)
{
    *owned = NULL;
    if (f->src != FS_OUTCOME) {
        *codes = f->codes;
        return E_OK;
    }
    *owned = xmalloc(x->n, sizeof **owned);
    if (!*owned)
        return nomem(x);
    outcome_codes(x, *owned);
    *codes = *owned;
    return E_OK;
}

/* Top score minus the second one; NAN when a scored class is missing or fewer than two
 * classes have scores. */
static double margin(const outcome *o, size_t i)
{
    double top1 = -INFINITY, top2 = -INFINITY;
    uint32_t scored = 0;
    for (uint32_t k = 0; k < o->nclass; k++) {
        if (o->score && !o->score[k])
            continue;
        double p = out_score(o, i, k);
        if (isnan(p))
            return NAN;
        scored++;
        if (p > top1) {
            top2 = top1;
            top1 = p;
        } else if (p > top2) {
            top2 = p;
        }
    }
    return scored >= 2 ? top1 - top2 : NAN;
}

/* The margin of every row; two classes need no search: |s0 - s1| (NAN stays NAN). */
static void margins(const outcome *o, size_t n, double *w)
{
    if (o->nclass == 2 && o->score && o->score[0] && o->score[1]) {
        const double *s0 = o->score[0], *s1 = o->score[1];
        for (size_t i = 0; i < n; i++)
            w[i] = fabs(s0[i] - s1[i]);
    } else if (o->nclass == 2 && !o->score && o->pos_score) {
        const double *p = o->pos_score;
        for (size_t i = 0; i < n; i++)
            w[i] = fabs(p[i] - (1.0 - p[i]));
    } else {
        for (size_t i = 0; i < n; i++)
            w[i] = margin(o, i);
    }
}

/* len() or tokens() of every distinct value of f->arg. */
static err_code code_measures(const ev *x, const flt_field *f, double **out)
{
    uint32_t nc = flt_code_count(x->c, f->arg);
    double *m = xmalloc(nc, sizeof *m);
    if (!m)
        return nomem(x);
    for (uint32_t k = 0; k < nc; k++) {
        size_t len;
        const char *s = flt_code_str(x->c, f->arg, k, &len);
        m[k] = flt_measure(s, len, f->src == FS_TOKENS);
    }
    *out = m;
    return E_OK;
}

/* The values of a numeric or time field per row: borrowed when the field is an array,
 * else computed into *owned (freed by the caller). */
static err_code num_values(const ev *x, const flt_field *f, const double **v, double **owned)
{
    const outcome *o = x->c->o;
    *owned = NULL;
    if (f->src == FS_NUMS) {
        *v = f->nums;
        return E_OK;
    }
    double *w = xmalloc(x->n, sizeof *w);
    if (!w)
        return nomem(x);
    switch (f->src) {
    case FS_SCORE:
        for (size_t i = 0; i < x->n; i++)
            w[i] = out_score(o, i, f->cls);
        break;
    case FS_MARGIN:
        margins(o, x->n, w);
        break;
    case FS_ROW:
        for (size_t i = 0; i < x->n; i++)
            w[i] = (double)(i + 1);
        break;
    default: { /* FS_LEN, FS_TOKENS */
        const uint32_t *codes;
        uint32_t *own_codes;
        double *m = NULL;
        err_code rc = row_codes(x, f->arg, &codes, &own_codes);
        if (rc == E_OK && (rc = code_measures(x, f, &m)) == E_OK)
            for (size_t i = 0; i < x->n; i++)
                w[i] = codes[i] == CODE_NA ? NAN : m[codes[i]];
        free(m);
        free(own_codes);
        if (rc != E_OK) {
            free(w);
            return rc;
        }
        break;
    }
    }
    *v = w;
    *owned = w;
    return E_OK;
}

/* ---- numeric tests ---- */

static bool range_test(const flt_plan *p, double v)
{
    bool above = p->lo_incl ? v >= p->lo : v > p->lo;
    bool below = p->hi_incl ? v <= p->hi : v < p->hi;
    return above && below;
}

/* The interval that may hold v is the last one starting at or before it. */
static bool ivset_test(const flt_plan *p, double v)
{
    size_t lo = 0, hi = p->niv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->iv[mid].lo <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const flt_iv *iv = &p->iv[lo - 1];
    return iv->hi_incl ? v <= iv->hi : v < iv->hi;
}

bool flt_num_test(const flt_plan *p, double v)
{
    if (isnan(v))
        return false;
    bool t = p->kind == PK_RANGE ? range_test(p, v) : ivset_test(p, v);
    return t != p->neg;
}

/* Packs 64 bytes that are each 0 or 1 into one word, r[j] becoming bit j: the multiply
 * gathers the low bit of each of 8 bytes into the top byte. Building a byte per row first
 * lets the compiler vectorize the comparisons, which the shift-and-or chain prevents. */
static uint64_t pack64(const uint8_t r[64])
{
    uint64_t bits = 0;
    for (size_t k = 0; k < 8; k++) {
        uint64_t x;
        memcpy(&x, r + 8 * k, 8);
        bits |= ((x * 0x0102040810204080ull) >> 56) << (8 * k);
    }
    return bits;
}

/* One word of result per 64 rows, from ROW_TEST(j) for the row at b + j. The last block is
 * padded with zeros, keeping the bits past nbits clear as bitmap.h requires. */
#define ROW_WORDS(n, w, ROW_TEST)                                                           \
    do {                                                                                    \
        uint8_t r_[64];                                                                     \
        for (size_t wi = 0, nw_ = ((n) + 63) / 64; wi < nw_; wi++) {                        \
            size_t b = wi * 64, m = (n) - b < 64 ? (n) - b : 64;                             \
            if (m < 64)                                                                     \
                memset(r_, 0, sizeof r_);                                                   \
            for (size_t j = 0; j < m; j++)                                                  \
                r_[j] = (uint8_t)(ROW_TEST);                                                \
            (w)[wi] = pack64(r_);                                                           \
        }                                                                                   \
    } while (0)

/* A NAN fails every comparison, so TEST is false on missing values, and the negated form
 * adds x == x to keep them false. */
#define ROW_LOOP(TEST) ROW_WORDS(n, w, ((TEST) ^ (neg & (v[b + j] == v[b + j]))))

static void range_rows(const double *v, size_t n, const flt_plan *p, uint64_t *w)
{
    double lo = p->lo, hi = p->hi;
    int neg = p->neg;
    /* & rather than &&: no branch to mispredict, and the loop vectorizes */
#define X v[b + j]
    if (p->lo_incl && p->hi_incl)
        ROW_LOOP((X >= lo) & (X <= hi));
    else if (p->lo_incl)
        ROW_LOOP((X >= lo) & (X < hi));
    else if (p->hi_incl)
        ROW_LOOP((X > lo) & (X <= hi));
    else
        ROW_LOOP((X > lo) & (X < hi));
}

static void ivset_rows(const double *v, size_t n, const flt_plan *p, uint64_t *w)
{
    int neg = p->neg;
    ROW_LOOP(ivset_test(p, X));
#undef X
}

/* ---- text tests: one byte per distinct code, then one pass over the rows ---- */

/* Sets the bits of rows whose code has a nonzero entry in tab[0..nc); a missing code
 * (CODE_NA) reads the extra entry tab[nc], which is always 0. */
static void map_codes(const uint32_t *codes, size_t n, const uint8_t *tab, uint32_t nc,
                      uint64_t *w)
{
    ROW_WORDS(n, w, tab[codes[b + j] < nc ? codes[b + j] : nc]);
}

/* Which codes occur in the rows of mask, so that a costly per-code test can skip the rest.
 * Small dictionaries are tested whole: that is cheap anyway. */
static uint8_t *needed_codes(const ev *x, const uint32_t *codes, uint32_t nc,
                             const bitmap *mask)
{
    if (!mask || nc < 1024)
        return NULL;
    uint8_t *need = calloc((size_t)nc + 1, 1);
    if (!need)
        return NULL; /* then every code is evaluated: slower, same result */
    for (size_t i = bm_next(mask, 0); i < x->n; i = bm_next(mask, i + 1)) {
        uint32_t c = codes[i];
        need[c < nc ? c : nc] = 1;
    }
    return need;
}

/* Fills tab[0..nc) with the leaf's result for each distinct value of p->f (tab[nc] = 0). */
static err_code code_table(const ev *x, const flt_plan *p, const uint32_t *codes,
                           const bitmap *mask, uint8_t *tab, uint32_t nc)
{
    const flt_field *f = p->f;
    tab[nc] = 0;
    if (p->kind == PK_CODESET) {
        memset(tab, p->neg, nc);
        for (size_t i = 0; i < p->ncodes; i++)
            if (p->codes[i] < nc)
                tab[p->codes[i]] = !p->neg;
        return E_OK;
    }
    if (p->kind == PK_REGEX || f->src == FS_LEN || f->src == FS_TOKENS) {
        uint8_t *need = needed_codes(x, codes, nc, mask);
        err_code rc = flt_costly_table(x->c, p, need, tab, nc, x->e);
        free(need);
        return rc;
    }
    for (uint32_t k = 0; k < nc; k++)
        tab[k] = flt_num_test(p, flt_code_value(x->c, f, k));
    return E_OK;
}

static err_code coded_leaf(const ev *x, const flt_plan *p, const bitmap *mask, bitmap *out)
{
    const flt_field *cf = p->f->src == FS_LEN || p->f->src == FS_TOKENS ? p->f->arg : p->f;
    const uint32_t *codes;
    uint32_t *owned;
    err_code rc = row_codes(x, cf, &codes, &owned);
    if (rc != E_OK)
        return rc;
    if (p->kind == PK_CODESET && p->ncodes == 1 && !p->neg) {
        /* the common "col == value": no table at all */
        uint32_t want = p->codes[0];
        ROW_WORDS(x->n, out->w, codes[b + j] == want);
        free(owned);
        return E_OK;
    }
    uint32_t nc = flt_code_count(x->c, cf);
    uint8_t *tab = malloc((size_t)nc + 1);
    if (!tab) {
        free(owned);
        return nomem(x);
    }
    rc = code_table(x, p, codes, mask, tab, nc);
    if (rc == E_OK)
        map_codes(codes, x->n, tab, nc, out->w);
    free(tab);
    free(owned);
    return rc;
}

/* ---- other leaves ---- */

static err_code numeric_leaf(const ev *x, const flt_plan *p, bitmap *out)
{
    const double *v;
    double *owned;
    err_code rc = num_values(x, p->f, &v, &owned);
    if (rc != E_OK)
        return rc;
    if (p->kind == PK_RANGE)
        range_rows(v, x->n, p, out->w);
    else
        ivset_rows(v, x->n, p, out->w);
    free(owned);
    return E_OK;
}

static err_code truth_leaf(const ev *x, const flt_plan *p, bitmap *out)
{
    const flt_field *f = p->f;
    if (f->src == FS_ERROR || f->src == FS_CORRECT) {
        uint8_t want = f->src == FS_ERROR ? OUT_ERROR : OUT_CORRECT;
        const uint8_t *e = x->c->o->err;
        ROW_WORDS(x->n, out->w, e[b + j] == want);
    } else if (f->src == FS_TAGGED || f->src == FS_UNTAGGED) {
        const uint32_t *combo = x->c->tags->combo;
        bool want = f->src == FS_TAGGED;
        ROW_WORDS(x->n, out->w, (combo[b + j] != 0) == want);
    } else if (f->src == FS_ERROR2) {
        const uint8_t *e2 = x->c->compare->err;
        ROW_WORDS(x->n, out->w, e2[b + j] == OUT_ERROR);
    } else if (f->src == FS_FIXED || f->src == FS_BROKEN) {
        /* fixed: wrong, then right; broken: right, then wrong (unknown on either side: no) */
        const uint8_t *e1 = x->c->o->err, *e2 = x->c->compare->err;
        uint8_t first = f->src == FS_FIXED ? OUT_ERROR : OUT_CORRECT;
        uint8_t second = f->src == FS_FIXED ? OUT_CORRECT : OUT_ERROR;
        ROW_WORDS(x->n, out->w, e1[b + j] == first && e2[b + j] == second);
    } else if (f->src == FS_CATEGORY) {
        const uint8_t *bits = x->c->categories;
        uint8_t bit = f->catbit;
        ROW_WORDS(x->n, out->w, (bits[b + j] & bit) != 0);
    } else { /* FS_MISSING */
        const uint32_t *codes = NULL;
        uint32_t *own_codes = NULL;
        const double *v = NULL;
        double *own_v = NULL;
        err_code rc = flt_is_coded(f->arg) ? row_codes(x, f->arg, &codes, &own_codes)
                                           : num_values(x, f->arg, &v, &own_v);
        if (rc != E_OK)
            return rc;
        if (codes)
            ROW_WORDS(x->n, out->w, codes[b + j] == CODE_NA);
        else
            ROW_WORDS(x->n, out->w, v[b + j] != v[b + j]); /* NAN */
        free(own_codes);
        free(own_v);
    }
    if (p->neg)
        bm_not(out);
    return E_OK;
}

static bool num_cmp(flt_op op, double a, double b)
{
    switch (op) {
    case OP_EQ:
        return a == b;
    case OP_NE:
        return a != b && a == a && b == b; /* missing on either side: false */
    case OP_LT:
        return a < b;
    case OP_LE:
        return a <= b;
    case OP_GT:
        return a > b;
    default:
        return a >= b;
    }
}

static int cmp_bytes(const char *a, size_t la, const char *b, size_t lb)
{
    int r = memcmp(a, b, la < lb ? la : lb);
    return r ? r : (la > lb) - (la < lb);
}

/* map[k] = the code in f of g's value k, or CODE_NA. Two dictionaries are matched by
 * merging their sorted values: a large text dictionary may have dropped its hash index,
 * and then one lookup per value would cost a scan of the other dictionary. */
static err_code map_dicts(const ev *x, const strdict *f, const strdict *g, uint32_t *map)
{
    uint32_t nf = sd_count(f), ng = sd_count(g);
    uint32_t *fo = xmalloc(nf, sizeof *fo), *go = xmalloc(ng, sizeof *go);
    err_code rc = E_OK;
    if (!fo || !go || sd_sorted_codes(f, fo) != E_OK || sd_sorted_codes(g, go) != E_OK)
        rc = nomem(x);
    for (uint32_t j = 0, i = 0; rc == E_OK && j < ng; j++) {
        const char *gs = sd_str(g, go[j]);
        size_t gl = sd_len(g, go[j]);
        int c = 1;
        while (i < nf && (c = cmp_bytes(sd_str(f, fo[i]), sd_len(f, fo[i]), gs, gl)) < 0)
            i++;
        map[go[j]] = i < nf && c == 0 ? fo[i] : CODE_NA;
    }
    free(fo);
    free(go);
    return rc;
}

/* map[k] = the code in f of g's value k, or CODE_NA, when one side is a small fixed set
 * (classes, outcomes): direct lookups. */
static void map_small(const ev *x, const flt_field *f, const flt_field *g, uint32_t *map)
{
    uint32_t nf = flt_code_count(x->c, f), ng = flt_code_count(x->c, g);
    for (uint32_t k = 0; k < ng; k++) {
        size_t len;
        const char *s = flt_code_str(x->c, g, k, &len);
        map[k] = CODE_NA;
        if (f->src == FS_CODES) {
            map[k] = sd_find(f->dict, s, len);
            continue;
        }
        for (uint32_t j = 0; j < nf && map[k] == CODE_NA; j++) {
            size_t l2;
            const char *s2 = flt_code_str(x->c, f, j, &l2);
            if (l2 == len && memcmp(s, s2, len) == 0)
                map[k] = j;
        }
    }
}

/* Two text fields: g's values are matched to f's once, then rows compare codes. */
static err_code text_fields(const ev *x, const flt_plan *p, bitmap *out)
{
    const flt_field *f = p->f, *g = p->g;
    const uint32_t *fc, *gc;
    uint32_t *fo = NULL, *go = NULL, *map = NULL;
    err_code rc = row_codes(x, f, &fc, &fo);
    if (rc == E_OK)
        rc = row_codes(x, g, &gc, &go);
    if (rc == E_OK && !(map = xmalloc(flt_code_count(x->c, g), sizeof *map)))
        rc = nomem(x);
    if (rc == E_OK) {
        if (f->src == FS_CODES && g->src == FS_CODES)
            rc = map_dicts(x, f->dict, g->dict, map);
        else
            map_small(x, f, g, map);
    }
    if (rc == E_OK) {
        bool ne = p->op == OP_NE;
        ROW_WORDS(x->n, out->w,
                  fc[b + j] != CODE_NA && gc[b + j] != CODE_NA &&
                      (map[gc[b + j]] == fc[b + j]) != ne);
    }
    free(map);
    free(fo);
    free(go);
    return rc;
}

static err_code fields_leaf(const ev *x, const flt_plan *p, bitmap *out)
{
    if (p->f->type == FV_TEXT)
        return text_fields(x, p, out);
    const double *a, *bv;
    double *ao = NULL, *bo = NULL;
    err_code rc = num_values(x, p->f, &a, &ao);
    if (rc == E_OK)
        rc = num_values(x, p->g, &bv, &bo);
    if (rc == E_OK)
        ROW_WORDS(x->n, out->w, num_cmp(p->op, a[b + j], bv[b + j]));
    free(ao);
    free(bo);
    return rc;
}

/* ---- combinations ---- */

static bool is_empty(const bitmap *b)
{
    for (size_t i = 0; i < bm_words(b); i++)
        if (b->w[i])
            return false;
    return true;
}

/* Whether every row of mask (every row when NULL) is set in b. */
static bool covers(const bitmap *b, const bitmap *mask)
{
    size_t nw = bm_words(b);
    for (size_t i = 0; i < nw; i++) {
        uint64_t want = mask ? mask->w[i] : ~(uint64_t)0;
        if (!mask && i + 1 == nw && b->nbits % 64)
            want = ((uint64_t)1 << (b->nbits % 64)) - 1;
        if ((b->w[i] & want) != want)
            return false;
    }
    return true;
}

static err_code eval_and(const ev *x, const flt_plan *p, const bitmap *mask, bitmap *out)
{
    err_code rc = eval(x, p->kids, mask, out);
    if (rc != E_OK)
        return rc;
    if (mask)
        bm_and(out, mask);
    bitmap tmp;
    if ((rc = bm_init(&tmp, x->n, false, x->e)) != E_OK)
        return rc;
    for (const flt_plan *k = p->kids->next; k && rc == E_OK && !is_empty(out); k = k->next)
        if ((rc = eval(x, k, out, &tmp)) == E_OK)
            bm_and(out, &tmp);
    bm_done(&tmp);
    return rc;
}

static err_code eval_or(const ev *x, const flt_plan *p, const bitmap *mask, bitmap *out)
{
    err_code rc = eval(x, p->kids, mask, out);
    if (rc != E_OK)
        return rc;
    bitmap tmp, rest;
    if ((rc = bm_init(&tmp, x->n, false, x->e)) != E_OK)
        return rc;
    if ((rc = bm_init(&rest, x->n, false, x->e)) != E_OK) {
        bm_done(&tmp);
        return rc;
    }
    for (const flt_plan *k = p->kids->next; k && rc == E_OK && !covers(out, mask);
         k = k->next) {
        /* rows of the mask not selected yet */
        for (size_t i = 0; i < x->nw; i++)
            rest.w[i] = ~out->w[i] & (mask ? mask->w[i] : ~(uint64_t)0);
        if (x->n % 64)
            rest.w[x->nw - 1] &= ((uint64_t)1 << (x->n % 64)) - 1;
        if ((rc = eval(x, k, &rest, &tmp)) == E_OK)
            bm_or(out, &tmp);
    }
    bm_done(&rest);
    bm_done(&tmp);
    return rc;
}

static err_code eval_eqv(const ev *x, const flt_plan *p, const bitmap *mask, bitmap *out)
{
    err_code rc = eval(x, p->kids, mask, out);
    if (rc != E_OK)
        return rc;
    bitmap tmp;
    if ((rc = bm_init(&tmp, x->n, false, x->e)) != E_OK)
        return rc;
    if ((rc = eval(x, p->kids->next, mask, &tmp)) == E_OK) {
        for (size_t i = 0; i < x->nw; i++)
            out->w[i] ^= tmp.w[i];
        if (!p->neg)
            bm_not(out);
    }
    bm_done(&tmp);
    return rc;
}

static err_code eval(const ev *x, const flt_plan *p, const bitmap *mask, bitmap *out)
{
    err_code rc;
    switch (p->kind) {
    case PK_CONST:
        bm_fill(out, !p->neg);
        return E_OK;
    case PK_AND:
        return eval_and(x, p, mask, out);
    case PK_OR:
        return eval_or(x, p, mask, out);
    case PK_NOT:
        if ((rc = eval(x, p->kids, mask, out)) == E_OK)
            bm_not(out);
        return rc;
    case PK_EQV:
        return eval_eqv(x, p, mask, out);
    case PK_TRUTH:
        return truth_leaf(x, p, out);
    case PK_FIELDS:
        return fields_leaf(x, p, out);
    case PK_TAGMASK: {
        const uint32_t *combo = x->c->tags->combo;
        const uint64_t *cmask = x->c->tags->combo_mask;
        uint64_t want = p->mask;
        ROW_WORDS(x->n, out->w, (cmask[combo[b + j]] & want) != 0);
        if (p->neg)
            bm_not(out);
        return E_OK;
    }
    case PK_CODESET:
    case PK_REGEX:
        return coded_leaf(x, p, mask, out);
    case PK_RANGE:
    case PK_IVSET:
        if (flt_is_coded(p->f) || p->f->src == FS_LEN || p->f->src == FS_TOKENS)
            return coded_leaf(x, p, mask, out);
        return numeric_leaf(x, p, out);
    }
    return E_OK;
}

err_code flt_eval_plan(const flt_ctx *c, const flt_plan *p, const bitmap *mask, bitmap *out,
                       err *e)
{
    ev x = {c, out->nbits, bm_words(out), e};
    return eval(&x, p, mask, out);
}
