/* tfidf: vocabulary and CSR TF-IDF matrix over a text column (see tfidf.h). */
#include "tfidf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Token/count pairs of every distinct text, before the vocabulary is known. */
typedef struct bag {
    uint32_t *tok, *cnt; /* pair arrays */
    size_t n, cap_tok, cap_cnt;
} bag;

/* A vocabulary candidate, for sorting by df then bytes. */
typedef struct cand {
    uint32_t df, tok;
    const char *s;
    size_t len;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->df != y->df)
        return x->df > y->df ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

/* Insertion sort: the arrays are a text's tokens, a few dozen at most in the common case. */
static void sort_u32(uint32_t *a, size_t n)
{
    if (n > 64) {
        /* Long texts: fall back to a shell sort, still without allocation. */
        for (size_t gap = n / 2; gap > 0; gap /= 2)
            for (size_t i = gap; i < n; i++)
                for (size_t j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
                    uint32_t t = a[j];
                    a[j] = a[j - gap];
                    a[j - gap] = t;
                }
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Working state of one build. */
typedef struct work {
    strdict *all;     /* every token seen */
    uint32_t *df_all; /* per token of all */
    size_t df_cap, nknown; /* tokens whose df_all entry is initialised */
    uint32_t ndist;   /* distinct texts among the rows */
    uint32_t *dcode;  /* ndist: dictionary code of each distinct text */
    uint32_t *mult;   /* ndist: rows holding it */
    size_t *boff;     /* ndist + 1: its pairs in bag */
    bag b;
    uint32_t *toks;   /* scratch: token ids of one text */
    size_t toks_cap;
    tok_scanner *scan;
} work;

static void work_done(work *w)
{
    tok_scanner_free(w->scan);
    sd_free(w->all);
    free(w->df_all);
    free(w->dcode);
    free(w->mult);
    free(w->boff);
    free(w->b.tok);
    free(w->b.cnt);
    free(w->toks);
}

/* Finds the distinct texts among the rows; local[code] becomes each row's distinct index. */
static err_code collect_texts(work *w, const column *text, const uint32_t *rows, size_t nrows,
                              uint32_t *local, err *e)
{
    uint32_t ncodes = sd_count(text->dict);
    for (uint32_t c = 0; c < ncodes; c++)
        local[c] = UINT32_MAX;
    for (size_t i = 0; i < nrows; i++) {
        uint32_t c = text->code[rows ? rows[i] : i];
        if (c == CODE_NA)
            continue;
        if (c >= ncodes)
            return err_set(e, E_RANGE, "text code %u outside the column's dictionary", c);
        if (local[c] == UINT32_MAX) {
            local[c] = w->ndist;
            w->dcode[w->ndist] = c;
            w->mult[w->ndist++] = 0;
        }
        w->mult[local[c]]++;
    }
    return E_OK;
}

/* Single characters (a, x, 1, é) are left out of the vocabulary, as scikit-learn's default
 * token pattern does: they are initials, list markers and the debris of broken encodings,
 * and would crowd out real words among the keywords. */
static bool one_character(const char *tok, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len && chars < 2; i++)
        chars += ((unsigned char)tok[i] & 0xC0u) != 0x80u;
    return chars < 2;
}

/* Tokenises distinct text d into the bag and adds its rows to the df of each token. */
static err_code bag_text(work *w, const strdict *dict, uint32_t d, const tok_stop *stop,
                         err *e)
{
    const char *s = sd_str(dict, w->dcode[d]);
    size_t len = sd_len(dict, w->dcode[d]), pos = 0, n, nt = 0;
    char buf[TOK_MAX + 1];
    while ((n = tok_next(w->scan, s, len, &pos, buf)) > 0) {
        if (tok_stop_has(stop, buf, n) || one_character(buf, n))
            continue;
        uint32_t id;
        err_code rc = sd_intern(w->all, buf, n, &id, e);
        if (rc)
            return rc;
        if (grow((void **)&w->toks, &w->toks_cap, nt + 1, sizeof *w->toks) ||
            grow((void **)&w->df_all, &w->df_cap, (size_t)id + 1, sizeof *w->df_all))
            return err_set(e, E_NOMEM, "out of memory tokenising texts");
        while (w->nknown <= id)
            w->df_all[w->nknown++] = 0;
        w->toks[nt++] = id;
    }
    sort_u32(w->toks, nt);
    for (size_t i = 0; i < nt;) {
        size_t j = i;
        while (j < nt && w->toks[j] == w->toks[i])
            j++;
        size_t need = w->b.n + 1;
        if (grow((void **)&w->b.tok, &w->b.cap_tok, need, sizeof *w->b.tok) ||
            grow((void **)&w->b.cnt, &w->b.cap_cnt, need, sizeof *w->b.cnt))
            return err_set(e, E_NOMEM, "out of memory tokenising texts");
        w->b.tok[w->b.n] = w->toks[i];
        w->b.cnt[w->b.n++] = (uint32_t)(j - i);
        w->df_all[w->toks[i]] += w->mult[d];
        i = j;
    }
    w->boff[d + 1] = w->b.n;
    return E_OK;
}

/* Chooses the vocabulary: termof[tok] becomes the term index or UINT32_MAX. */
static err_code choose_terms(tfidf *m, work *w, uint32_t min_df, uint32_t max_terms,
                             uint32_t *termof, err *e)
{
    size_t ntok = w->nknown, nc = 0;
    cand *c = malloc((ntok ? ntok : 1) * sizeof *c);
    if (!c)
        return err_set(e, E_NOMEM, "out of memory choosing the vocabulary");
    for (uint32_t t = 0; t < ntok; t++) {
        termof[t] = UINT32_MAX;
        if (w->df_all[t] >= min_df)
            c[nc++] = (cand){w->df_all[t], t, sd_str(w->all, t), sd_len(w->all, t)};
    }
    qsort(c, nc, sizeof *c, cand_cmp);
    if (nc > max_terms)
        nc = max_terms;
    err_code rc = E_OK;
    m->df = malloc((nc ? nc : 1) * sizeof *m->df);
    m->idf = malloc((nc ? nc : 1) * sizeof *m->idf);
    if (!m->df || !m->idf) {
        rc = err_set(e, E_NOMEM, "out of memory choosing the vocabulary");
        goto out;
    }
    double D = (double)m->nrows;
    for (size_t i = 0; i < nc; i++) {
        uint32_t code;
        rc = sd_intern(m->terms, c[i].s, c[i].len, &code, e);
        if (rc)
            goto out;
        termof[c[i].tok] = (uint32_t)i;
        m->df[i] = c[i].df;
        m->idf[i] = log((1.0 + D) / (1.0 + (double)c[i].df)) + 1.0;
    }
    m->nterms = (uint32_t)nc;
out:
    free(c);
    return rc;
}

/* Weights distinct text d into (col, count, val) at out, returning the entries written.
 * Pairs are sorted by token id; term ids follow another order, so the kept pairs are sorted
 * again (by term id, which is unique within a text). */
static size_t weigh_text(const tfidf *m, const work *w, const uint32_t *termof, uint32_t d,
                         uint32_t *col, uint32_t *cnt, double *val)
{
    size_t n = 0;
    for (size_t p = w->boff[d]; p < w->boff[d + 1]; p++) {
        uint32_t t = termof[w->b.tok[p]];
        if (t != UINT32_MAX)
            col[n++] = t;
    }
    sort_u32(col, n);
    /* Counts travel with the token, so look each kept term's count up again. */
    for (size_t p = w->boff[d]; p < w->boff[d + 1]; p++) {
        uint32_t t = termof[w->b.tok[p]];
        if (t == UINT32_MAX)
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (col[mid] < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        cnt[lo] = w->b.cnt[p];
    }
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        val[i] = (1.0 + log((double)cnt[i])) * m->idf[col[i]];
        ss += val[i] * val[i];
    }
    if (ss > 0) {
        double inv = 1.0 / sqrt(ss);
        for (size_t i = 0; i < n; i++)
            val[i] *= inv;
    }
    return n;
}

/* Fills the CSR arrays: each distinct text is weighted once into dpos, then copied per row. */
static err_code fill_rows(tfidf *m, const work *w, const column *text, const uint32_t *rows,
                          const uint32_t *local, const uint32_t *termof, err *e)
{
    size_t dn = w->b.n ? w->b.n : 1;
    size_t *dstart = malloc(((size_t)w->ndist + 1) * sizeof *dstart);
    uint32_t *dcol = malloc(dn * sizeof *dcol), *dcnt = malloc(dn * sizeof *dcnt);
    double *dval = malloc(dn * sizeof *dval);
    err_code rc = E_OK;
    if (!dstart || !dcol || !dcnt || !dval) {
        rc = err_set(e, E_NOMEM, "out of memory weighting texts");
        goto out;
    }
    dstart[0] = 0;
    for (uint32_t d = 0; d < w->ndist; d++)
        dstart[d + 1] = dstart[d] + weigh_text(m, w, termof, d, dcol + dstart[d],
                                               dcnt + dstart[d], dval + dstart[d]);
    m->rowptr[0] = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        uint32_t c = text->code[rows ? rows[i] : i];
        size_t len = c == CODE_NA ? 0 : dstart[local[c] + 1] - dstart[local[c]];
        m->rowptr[i + 1] = m->rowptr[i] + len;
    }
    size_t nnz = m->rowptr[m->nrows] ? m->rowptr[m->nrows] : 1;
    m->col = malloc(nnz * sizeof *m->col);
    m->count = malloc(nnz * sizeof *m->count);
    m->val = malloc(nnz * sizeof *m->val);
    if (!m->col || !m->count || !m->val) {
        rc = err_set(e, E_NOMEM, "out of memory for the TF-IDF matrix");
        goto out;
    }
    for (size_t i = 0; i < m->nrows; i++) {
        uint32_t c = text->code[rows ? rows[i] : i];
        if (c == CODE_NA)
            continue;
        size_t from = dstart[local[c]], len = m->rowptr[i + 1] - m->rowptr[i];
        memcpy(m->col + m->rowptr[i], dcol + from, len * sizeof *dcol);
        memcpy(m->count + m->rowptr[i], dcnt + from, len * sizeof *dcnt);
        memcpy(m->val + m->rowptr[i], dval + from, len * sizeof *dval);
    }
out:
    free(dstart);
    free(dcol);
    free(dcnt);
    free(dval);
    return rc;
}

static err_code tokenise_all(work *w, const column *text, const tfidf_opts *o, err *e)
{
    w->boff[0] = 0;
    err_code rc0 = tok_scanner_new(&w->scan, e);
    if (rc0)
        return rc0;
    for (uint32_t d = 0; d < w->ndist; d++) {
        err_code rc = bag_text(w, text->dict, d, o->stop, e);
        if (rc)
            return rc;
        /* Tokenising is most of the work: report it as 90 %. */
        if (o->progress && (d & 4095u) == 4095u &&
            o->progress(o->ctx, 0.9 * (double)(d + 1) / (double)w->ndist))
            return err_set(e, E_CANCEL, "cancelled");
    }
    return E_OK;
}

err_code tfidf_build(tfidf **out, const column *text, const uint32_t *rows, size_t nrows,
                     const tfidf_opts *opts, err *e)
{
    if (text->type != COL_TEXT || !text->dict || !text->code)
        return err_set(e, E_TYPE, "column \"%s\" is not a text column", text->name);
    tfidf_opts o = opts ? *opts : (tfidf_opts){0};
    if (!o.min_df)
        o.min_df = TFIDF_MIN_DF;
    if (!o.max_terms)
        o.max_terms = TFIDF_MAX_TERMS;
    uint32_t ncodes = sd_count(text->dict);
    size_t dcap = (nrows < ncodes ? nrows : ncodes) + 1;
    work w = {0};
    uint32_t *local = malloc(((size_t)ncodes + 1) * sizeof *local), *termof = NULL;
    tfidf *m = calloc(1, sizeof *m);
    w.dcode = malloc(dcap * sizeof *w.dcode);
    w.mult = malloc(dcap * sizeof *w.mult);
    w.boff = malloc((dcap + 1) * sizeof *w.boff);
    err_code rc;
    if (!local || !m || !w.dcode || !w.mult || !w.boff) {
        rc = err_set(e, E_NOMEM, "out of memory building the TF-IDF matrix");
        goto fail;
    }
    m->nrows = nrows;
    if ((rc = sd_new(&w.all, e)) || (rc = sd_new(&m->terms, e)) ||
        (rc = collect_texts(&w, text, rows, nrows, local, e)) ||
        (rc = tokenise_all(&w, text, &o, e)))
        goto fail;
    termof = malloc((w.nknown ? w.nknown : 1) * sizeof *termof);
    m->rowptr = malloc((nrows + 1) * sizeof *m->rowptr);
    if (!termof || !m->rowptr) {
        rc = err_set(e, E_NOMEM, "out of memory building the TF-IDF matrix");
        goto fail;
    }
    if ((rc = choose_terms(m, &w, o.min_df, o.max_terms, termof, e)) ||
        (rc = fill_rows(m, &w, text, rows, local, termof, e)))
        goto fail;
    if (o.progress && o.progress(o.ctx, 1.0)) {
        rc = err_set(e, E_CANCEL, "cancelled");
        goto fail;
    }
    work_done(&w);
    free(local);
    free(termof);
    *out = m;
    return E_OK;
fail:
    work_done(&w);
    free(local);
    free(termof);
    tfidf_free(m);
    return rc;
}

void tfidf_free(tfidf *m)
{
    if (!m)
        return;
    sd_free(m->terms);
    free(m->df);
    free(m->idf);
    free(m->rowptr);
    free(m->col);
    free(m->count);
    free(m->val);
    free(m);
}

uint32_t tfidf_term(const tfidf *m, const char *tok, size_t len)
{
    uint32_t c = sd_find(m->terms, tok, len);
    return c == CODE_NA ? UINT32_MAX : c;
}

err_code tfidf_count(const tfidf *m, const column *text, const uint32_t *rows, size_t nrows,
                     double *counts, err *e)
{
    if (text->type != COL_TEXT || !text->dict)
        return err_set(e, E_TYPE, "column %s is not a text column", text->name);
    for (uint32_t t = 0; t < m->nterms; t++)
        counts[t] = 0;
    uint32_t ncodes = sd_count(text->dict);
    /* Rows per distinct text: a text repeated by many rows is tokenised once. */
    uint32_t *mult = calloc(ncodes ? ncodes : 1, sizeof *mult);
    if (!mult)
        return err_set(e, E_NOMEM, "out of memory counting terms");
    for (size_t i = 0; i < nrows; i++) {
        uint32_t c = text->code[rows[i]];
        if (c < ncodes)
            mult[c]++;
    }
    tok_scanner *sc = NULL;
    err_code rc = tok_scanner_new(&sc, e);
    char buf[TOK_MAX + 1];
    for (uint32_t c = 0; rc == E_OK && c < ncodes; c++) {
        if (!mult[c])
            continue;
        const char *s = sd_str(text->dict, c);
        size_t len = sd_len(text->dict, c), pos = 0, n;
        while ((n = tok_next(sc, s, len, &pos, buf)) > 0) {
            uint32_t t = tfidf_term(m, buf, n);
            if (t != UINT32_MAX)
                counts[t] += mult[c];
        }
    }
    tok_scanner_free(sc);
    free(mult);
    return rc;
}
