/* The filter against seeded randomness: token soups and raw bytes must give a result or a
 * positioned error, never a crash; random expressions over random rows must select exactly
 * what a naive row-by-row evaluator, written here without the filter's code, selects; and
 * one compiled filter evaluated from several threads at once gives the same rows. */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "loader.h"
#include "outcome.h"
#include "roles.h"

/* ---- seeded randomness (xorshift64*) ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

static unsigned below(rng *r, unsigned n)
{
    return (unsigned)(next(r) % n);
}

static bool chance(rng *r, unsigned percent)
{
    return below(r, 100) < percent;
}

/* ---- a dataset the test knows row by row ---- */

static const char *const VOCAB[] = {"alpha", "beta", "Gamma", "delta", "refund",
                                    "café",  "x-ray", "zeta", "ta",    "Refunded"};
#define NVOCAB (sizeof VOCAB / sizeof VOCAB[0])
static const double NUMS[] = {-2, -1, 0, 0.5, 1, 2, 3.25};
#define NNUMS (sizeof NUMS / sizeof NUMS[0])
static const char *const CATS[] = {"a", "b", "c", "d e", "F"};
#define NCATS (sizeof CATS / sizeof CATS[0])
static const double PROBS[] = {0.1, 0.25, 0.5, 0.75, 0.9};
#define NPROBS (sizeof PROBS / sizeof PROBS[0])
#define JAN1 1704067200.0 /* 2024-01-01T00:00:00Z */

typedef struct truth {
    size_t n;
    double *num;   /* NAN = missing */
    int *cat;      /* index into CATS, -1 = missing */
    char **txt;    /* NULL = missing */
    double *when;  /* epoch seconds, NAN = missing */
    int *label;    /* 0 = x, 1 = y, -1 = missing */
    int *pred;
    double *py;    /* prob_y, NAN = missing (prob_x then too) */
    double *px;    /* prob_x as written (1 - prob_y, two decimals) */
} truth;

typedef struct world {
    truth t;
    dataset *ds;
    roles r;
    outcome o;
    flt_ctx ctx;
} world;

static void make_world(world *w, size_t n, uint64_t seed, bool unique_texts)
{
    rng g = {seed};
    truth *t = &w->t;
    t->n = n;
    t->num = calloc(n, sizeof *t->num);
    t->cat = calloc(n, sizeof *t->cat);
    t->txt = calloc(n, sizeof *t->txt);
    t->when = calloc(n, sizeof *t->when);
    t->label = calloc(n, sizeof *t->label);
    t->pred = calloc(n, sizeof *t->pred);
    t->py = calloc(n, sizeof *t->py);
    t->px = calloc(n, sizeof *t->px);
    size_t cap = n * 160 + 256, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap, "id,num,cat,txt,when,label,prediction,prob_x,prob_y\n");
    for (size_t i = 0; i < n; i++) {
        char numbuf[32] = "", whenbuf[40] = "", txtbuf[160] = "", px[16] = "", pys[16] = "";
        t->num[i] = chance(&g, 15) ? NAN : NUMS[below(&g, NNUMS)];
        if (!isnan(t->num[i]))
            snprintf(numbuf, sizeof numbuf, "%g", t->num[i]);
        t->cat[i] = chance(&g, 10) ? -1 : (int)below(&g, NCATS);
        if (!chance(&g, 10)) {
            size_t o = 0;
            unsigned words = 1 + below(&g, 5);
            for (unsigned k = 0; k < words; k++)
                o += (size_t)snprintf(txtbuf + o, sizeof txtbuf - o, "%s%s", k ? " " : "",
                                      VOCAB[below(&g, NVOCAB)]);
            if (unique_texts)
                snprintf(txtbuf + o, sizeof txtbuf - o, " u%zu", i);
            t->txt[i] = strdup(txtbuf);
        }
        t->when[i] = NAN;
        if (!chance(&g, 10)) {
            unsigned d = 1 + below(&g, 9), h = below(&g, 24), m = below(&g, 60), s = below(&g, 60);
            if (chance(&g, 10))
                h = m = s = 0; /* midnight exactly: the edge of a day */
            t->when[i] = JAN1 + (d - 1) * 86400.0 + h * 3600.0 + m * 60.0 + s;
            snprintf(whenbuf, sizeof whenbuf, "2024-01-%02uT%02u:%02u:%02uZ", d, h, m, s);
        }
        t->label[i] = chance(&g, 5) ? -1 : (int)below(&g, 2);
        t->pred[i] = (int)below(&g, 2);
        t->py[i] = chance(&g, 5) ? NAN : PROBS[below(&g, NPROBS)];
        if (!isnan(t->py[i])) {
            snprintf(pys, sizeof pys, "%.2f", t->py[i]);
            snprintf(px, sizeof px, "%.2f", 1 - t->py[i]);
        }
        t->px[i] = isnan(t->py[i]) ? NAN : strtod(px, NULL);
        len += (size_t)snprintf(csv + len, cap - len, "%zu,%s,%s,%s,%s,%s,%s,%s,%s\n", i + 1,
                                numbuf, t->cat[i] < 0 ? "" : CATS[t->cat[i]], txtbuf, whenbuf,
                                t->label[i] < 0 ? "" : t->label[i] ? "y" : "x",
                                t->pred[i] ? "y" : "x", px, pys);
    }
    ld_opts lo;
    ld_opts_init(&lo);
    const char *texts[] = {"txt"};
    lo.text_cols = texts;
    lo.ntext_cols = 1;
    err e = {0};
    cr_assert_eq(ld_csv_mem(&w->ds, "r.csv", csv, len, &lo, &e), E_OK, "%s", e.msg);
    free(csv);
    cr_assert_eq(w->ds->cols[1].type, COL_NUM);
    cr_assert_eq(w->ds->cols[2].type, COL_CAT);
    cr_assert_eq(w->ds->cols[3].type, COL_TEXT);
    cr_assert_eq(w->ds->cols[4].type, COL_TIME);
    role_opts ro;
    role_opts_init(&ro);
    cr_assert_eq(role_detect(&w->r, w->ds, &ro, &e), E_OK, "%s", e.msg);
    cr_assert_eq(w->r.task, TASK_BINARY);
    cr_assert_eq(out_build(&w->o, w->ds, &w->r, &e), E_OK, "%s", e.msg);
    w->ctx = (flt_ctx){.ds = w->ds, .r = &w->r, .o = &w->o};
}

static void free_world(world *w)
{
    for (size_t i = 0; i < w->t.n; i++)
        free(w->t.txt[i]);
    free(w->t.num);
    free(w->t.cat);
    free(w->t.txt);
    free(w->t.when);
    free(w->t.label);
    free(w->t.pred);
    free(w->t.py);
    free(w->t.px);
    out_done(&w->o);
    role_done(&w->r);
    ds_free(w->ds);
}

/* ---- random expressions and their naive meaning ---- */

typedef enum {
    X_NUMCMP, X_NUMIN, X_NUMBETWEEN, X_MISSING_NUM, X_MISSING_TXT, X_CATEQ, X_CATIN, X_REGEX,
    X_LEN, X_TOKENS, X_WHENDAY, X_WHENAT, X_ERROR, X_CORRECT, X_LABELEQ, X_OUTCOME, X_SCORE,
    X_CONF, X_ROW, X_NUMVSSCORE, X_CONST, X_NLEAF,
    X_AND = 100, X_OR, X_NOT, X_EQV
} kind;

typedef struct node {
    kind k;
    int op;          /* 0 == 1 != 2 < 3 <= 4 > 5 >= */
    bool neg;        /* not in / not between / !~ / != ; X_CONST: false */
    bool ci;         /* regex i flag */
    double a, b;     /* constants */
    int set[8];      /* indexes into NUMS or CATS */
    int nset;
    const char *word;
    struct node *l, *r;
} node;

static const char *const OPS[] = {"==", "!=", "<", "<=", ">", ">="};

static bool cmp(int op, double x, double c)
{
    switch (op) {
    case 0: return x == c;
    case 1: return x != c;
    case 2: return x < c;
    case 3: return x <= c;
    case 4: return x > c;
    default: return x >= c;
    }
}

static double utf8_chars(const char *s)
{
    double n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static double words(const char *s)
{
    double n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sp = *s == ' ';
        n += !sp && !in;
        in = !sp;
    }
    return n;
}

static bool contains(const char *hay, const char *needle, bool ci)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t k = 0;
        while (k < n && p[k] &&
               (ci ? (p[k] | 0x20) == (needle[k] | 0x20) || p[k] == needle[k]
                   : p[k] == needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return n == 0;
}

static bool eval_naive(const truth *t, const node *x, size_t i)
{
    double v;
    int y = t->label[i], p = t->pred[i];
    switch (x->k) {
    case X_AND: return eval_naive(t, x->l, i) && eval_naive(t, x->r, i);
    case X_OR: return eval_naive(t, x->l, i) || eval_naive(t, x->r, i);
    case X_NOT: return !eval_naive(t, x->l, i);
    case X_EQV: return (eval_naive(t, x->l, i) == eval_naive(t, x->r, i)) != x->neg;
    case X_CONST: return !x->neg;
    case X_NUMCMP:
        v = t->num[i];
        return !isnan(v) && cmp(x->op, v, x->a);
    case X_NUMIN: {
        v = t->num[i];
        if (isnan(v))
            return false;
        bool in = false;
        for (int k = 0; k < x->nset; k++)
            in = in || v == NUMS[x->set[k]];
        return in != x->neg;
    }
    case X_NUMBETWEEN:
        v = t->num[i];
        return !isnan(v) && ((v >= x->a && v <= x->b) != x->neg);
    case X_MISSING_NUM: return isnan(t->num[i]);
    case X_MISSING_TXT: return t->txt[i] == NULL;
    case X_CATEQ:
        return t->cat[i] >= 0 && ((t->cat[i] == x->set[0]) != x->neg);
    case X_CATIN: {
        if (t->cat[i] < 0)
            return false;
        bool in = false;
        for (int k = 0; k < x->nset; k++)
            in = in || t->cat[i] == x->set[k];
        return in != x->neg;
    }
    case X_REGEX:
        return t->txt[i] && (contains(t->txt[i], x->word, x->ci) != x->neg);
    case X_LEN: return t->txt[i] && cmp(x->op, utf8_chars(t->txt[i]), x->a);
    case X_TOKENS: return t->txt[i] && cmp(x->op, words(t->txt[i]), x->a);
    case X_WHENDAY: {
        v = t->when[i];
        if (isnan(v))
            return false;
        double d = x->a, e = x->a + 86400;
        switch (x->op) {
        case 0: return v >= d && v < e;
        case 1: return !(v >= d && v < e);
        case 2: return v < d;
        case 3: return v < e;
        case 4: return v >= e;
        default: return v >= d;
        }
    }
    case X_WHENAT:
        v = t->when[i];
        return !isnan(v) && cmp(x->op, v, x->a);
    case X_ERROR: return y >= 0 && y != p;
    case X_CORRECT: return y >= 0 && y == p;
    case X_LABELEQ: return y >= 0 && ((y == (int)x->a) != x->neg);
    case X_OUTCOME: { /* a: 0 TP, 1 FP, 2 TN, 3 FN; positive class y */
        if (y < 0)
            return false;
        int code = p == 1 ? (y == 1 ? 0 : 1) : (y == 1 ? 3 : 2);
        return code == (int)x->a;
    }
    case X_SCORE:
        v = t->py[i];
        return !isnan(v) && cmp(x->op, v, x->a);
    case X_CONF:
        v = t->py[i];
        if (isnan(v))
            return false;
        v = v > t->px[i] ? v : t->px[i];
        return cmp(x->op, v, x->a);
    case X_ROW: return cmp(x->op, (double)(i + 1), x->a);
    case X_NUMVSSCORE:
        return !isnan(t->num[i]) && !isnan(t->py[i]) && cmp(x->op, t->num[i], t->py[i]);
    default: return false;
    }
}

typedef struct arena {
    node nodes[512];
    int used;
} arena;

static node *leaf(rng *g, arena *a)
{
    node *x = &a->nodes[a->used++];
    memset(x, 0, sizeof *x);
    x->k = (kind)below(g, X_NLEAF);
    x->op = (int)below(g, 6);
    x->neg = chance(g, 40);
    switch (x->k) {
    case X_NUMCMP: x->a = chance(g, 80) ? NUMS[below(g, NNUMS)] : (double)below(g, 5) - 2.5; break;
    case X_NUMIN:
    case X_CATIN:
        x->nset = 1 + (int)below(g, 4);
        for (int k = 0; k < x->nset; k++)
            x->set[k] = (int)below(g, x->k == X_NUMIN ? NNUMS : NCATS);
        break;
    case X_NUMBETWEEN:
        x->a = NUMS[below(g, NNUMS)];
        x->b = NUMS[below(g, NNUMS)];
        break;
    case X_CATEQ: x->set[0] = (int)below(g, NCATS); break;
    case X_REGEX:
        x->word = VOCAB[below(g, NVOCAB)];
        x->ci = chance(g, 50);
        break;
    case X_LEN: x->a = below(g, 40); break;
    case X_TOKENS: x->a = below(g, 7); break;
    case X_WHENDAY: x->a = JAN1 + below(g, 10) * 86400.0; break;
    case X_WHENAT: x->a = JAN1 + below(g, 10) * 86400.0 + below(g, 86400); break;
    case X_LABELEQ: x->a = below(g, 2); break;
    case X_OUTCOME: x->a = below(g, 4); break;
    case X_SCORE:
    case X_CONF: x->a = PROBS[below(g, NPROBS)]; break;
    case X_ROW: x->a = below(g, 320); break;
    default: break;
    }
    return x;
}

static node *tree(rng *g, arena *a, int depth)
{
    if (depth <= 0 || a->used > 480 || chance(g, 35))
        return leaf(g, a);
    node *x = &a->nodes[a->used++];
    memset(x, 0, sizeof *x);
    unsigned pick = below(g, 10);
    x->k = pick < 4 ? X_AND : pick < 7 ? X_OR : pick < 9 ? X_NOT : X_EQV;
    x->neg = chance(g, 50);
    x->l = tree(g, a, depth - 1);
    if (x->k != X_NOT)
        x->r = tree(g, a, depth - 1);
    if (x->k == X_EQV && x->l->k == X_CONST && x->r->k == X_CONST)
        x->r->k = X_ERROR; /* "(true) == (false)" compares two values: an error by design */
    return x;
}

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)n;
        t->s = realloc(t->s, t->cap);
    }
}

static int prec(const node *x)
{
    return x->k == X_OR ? 1 : x->k == X_AND ? 2 : x->k == X_NOT ? 3 : 4;
}

static void render(rng *g, text *t, const node *x);

/* Parentheses only where precedence needs them, plus a few for nothing. */
static void render_child(rng *g, text *t, const node *x, int min_prec)
{
    bool parens = prec(x) < min_prec || chance(g, 10);
    if (parens)
        put(t, "(");
    render(g, t, x);
    if (parens)
        put(t, ")");
}

static const char *cat_value(rng *g, int k)
{
    /* bare words where they lex as one, quoted otherwise or by chance */
    static const char *const quoted[] = {"\"a\"", "'b'", "\"c\"", "\"d e\"", "\"F\""};
    return strchr(CATS[k], ' ') || chance(g, 40) ? quoted[k] : CATS[k];
}

static void render_date(text *t, double at, bool zoned)
{
    /* zoned: the same instant written in UTC+01:00 */
    long s = (long)(at - JAN1) + (zoned ? 3600 : 0);
    put(t, "2024-01-%02ldT%02ld:%02ld:%02ld%s", s / 86400 + 1, s % 86400 / 3600, s % 3600 / 60,
        s % 60, zoned ? "+01:00" : "Z");
}

static void render_leaf(rng *g, text *t, const node *x)
{
    static const char *const outcomes[] = {"TP", "fp", "\"TN\"", "FN"};
    bool mirror = chance(g, 20);
    static const int mirrored[] = {0, 1, 4, 5, 2, 3}; /* c op' f means f op c */
    switch (x->k) {
    case X_NUMCMP:
        if (mirror)
            put(t, "%g %s num", x->a, OPS[mirrored[x->op]]);
        else
            put(t, "num %s %g", OPS[x->op], x->a);
        break;
    case X_NUMIN:
    case X_CATIN:
        put(t, "%s %sin {", x->k == X_NUMIN ? "num" : "cat", x->neg ? "not " : "");
        for (int k = 0; k < x->nset; k++) {
            if (x->k == X_NUMIN)
                put(t, "%s%g", k ? ", " : "", NUMS[x->set[k]]);
            else
                put(t, "%s%s", k ? ", " : "", cat_value(g, x->set[k]));
        }
        put(t, "%s}", chance(g, 20) ? "," : "");
        break;
    case X_NUMBETWEEN:
        put(t, "num %sbetween %g %s %g", x->neg ? "NOT " : "", x->a, chance(g, 50) ? "and" : "&&",
            x->b);
        break;
    case X_MISSING_NUM: put(t, "missing(num)"); break;
    case X_MISSING_TXT: put(t, "missing(`txt`)"); break;
    case X_CATEQ: put(t, "cat %s %s", x->neg ? "!=" : "==", cat_value(g, x->set[0])); break;
    case X_REGEX:
        if (!x->ci && chance(g, 25))
            put(t, "txt %s \"%s\"", x->neg ? "!~" : "=~", x->word);
        else
            put(t, "txt %s /%s/%s", x->neg ? "!~" : chance(g, 50) ? "=~" : "~", x->word,
                x->ci ? "i" : "");
        break;
    case X_LEN: put(t, "len(txt) %s %g", OPS[x->op], x->a); break;
    case X_TOKENS: put(t, "tokens(txt) %s %g", OPS[x->op], x->a); break;
    case X_WHENDAY:
        put(t, "when %s 2024-01-%02d", OPS[x->op], (int)((x->a - JAN1) / 86400) + 1);
        break;
    case X_WHENAT:
        put(t, "when %s ", OPS[x->op]);
        if (chance(g, 20))
            put(t, "%.0f", x->a);
        else
            render_date(t, x->a, chance(g, 50));
        break;
    case X_ERROR: put(t, chance(g, 50) ? "error" : "error == true"); break;
    case X_CORRECT: put(t, chance(g, 50) ? "correct" : "correct != false"); break;
    case X_LABELEQ: put(t, "label %s %s", x->neg ? "!=" : "==", x->a ? "y" : "\"x\""); break;
    case X_OUTCOME: put(t, "outcome == %s", outcomes[(int)x->a]); break;
    case X_SCORE: put(t, "score[y] %s %g", OPS[x->op], x->a); break;
    case X_CONF: put(t, "confidence %s %g", OPS[x->op], x->a); break;
    case X_ROW: put(t, "row %s %g", OPS[x->op], x->a); break;
    case X_NUMVSSCORE: put(t, "num %s score[\"y\"]", OPS[x->op]); break;
    case X_CONST: put(t, x->neg ? "false" : "TRUE"); break;
    default: break;
    }
}

static void render(rng *g, text *t, const node *x)
{
    switch (x->k) {
    case X_AND:
        render_child(g, t, x->l, 2);
        put(t, chance(g, 70) ? " && " : " and ");
        render_child(g, t, x->r, 2);
        break;
    case X_OR:
        render_child(g, t, x->l, 1);
        put(t, chance(g, 70) ? " || " : " or ");
        render_child(g, t, x->r, 1);
        break;
    case X_NOT:
        put(t, chance(g, 70) ? "!" : "not ");
        render_child(g, t, x->l, 3);
        break;
    case X_EQV:
        put(t, "(");
        render(g, t, x->l);
        put(t, ") %s (", x->neg ? "!=" : "==");
        render(g, t, x->r);
        put(t, ")");
        break;
    default:
        render_leaf(g, t, x);
    }
}

static void cross_check(world *w, uint64_t seed, int count, int depth)
{
    rng g = {seed};
    err e = {0};
    bitmap b, within;
    cr_assert_eq(bm_init(&b, w->t.n, false, &e), E_OK);
    cr_assert_eq(bm_init(&within, w->t.n, false, &e), E_OK);
    text t = {malloc(256), 0, 256};
    for (int round = 0; round < count; round++) {
        arena *a = calloc(1, sizeof *a);
        node *x = tree(&g, a, depth);
        t.len = 0;
        t.s[0] = '\0';
        render(&g, &t, x);
        filter *f = NULL;
        flt_error where = {0};
        err_code rc = flt_compile(&f, t.s, &w->ctx, &e, &where);
        cr_assert_eq(rc, E_OK, "%s\n-> %s at %zu", t.s, e.msg, where.pos);
        /* start from garbage: eval must set every bit */
        bm_fill(&b, round % 2);
        cr_assert_eq(flt_eval(f, &b, &e), E_OK, "%s -> %s", t.s, e.msg);
        for (size_t i = 0; i < w->t.n; i++)
            cr_assert_eq(bm_get(&b, i), eval_naive(&w->t, x, i), "%s\nrow %zu: filter %d", t.s,
                         i + 1, bm_get(&b, i));
        /* within a random selection, sparse or dense: the same rows, cut to it */
        unsigned density = below(&g, 100);
        for (size_t i = 0; i < w->t.n; i++)
            if (chance(&g, density))
                bm_set(&within, i);
            else
                bm_clear(&within, i);
        cr_assert_eq(flt_eval_within(f, &within, &b, &e), E_OK, "%s -> %s", t.s, e.msg);
        for (size_t i = 0; i < w->t.n; i++)
            cr_assert_eq(bm_get(&b, i), bm_get(&within, i) && eval_naive(&w->t, x, i),
                         "%s\nwithin, row %zu", t.s, i + 1);
        flt_free(f);
        free(a);
    }
    free(t.s);
    bm_done(&b);
    bm_done(&within);
}

Test(flt, random_filters_match_a_naive_evaluator)
{
    world w;
    make_world(&w, 300, 0x5EED1234ull, false);
    cross_check(&w, 42, 600, 4);
    free_world(&w);
}

/* Over 4096 distinct texts: the regex runs on several threads and only over the texts of
 * rows that && and || still need. */
Test(flt, random_filters_on_many_distinct_texts)
{
    world w;
    make_world(&w, 6000, 0xC0FFEEull, true);
    cr_assert_gt(sd_count(w.ds->cols[3].dict), 5000);
    cross_check(&w, 7, 120, 3);
    free_world(&w);
}

/* ---- fuzzing ---- */

static const char *const SOUP[] = {
    "links", "label", "error", "score[spam]", "score[", "len(", "tokens(", "missing(", ")",
    "(", "{", "}", "[", "]", ",", "&&", "||", "!", "not", "and", "or", "in", "between", "==",
    "!=", "<", "<=", ">", ">=", "=~", "!~", "~", "/a(b/", "/x/i", "/", "/[/", "\"str\"", "'s'",
    "\"unterminated", "`body`", "`", "3", "-2.5", "1e3", "1e999", ".5", "-", "2024-05-01",
    "2024-13-45", "2002-08-01T10:00Z", "2002-08-01T10:00+05:30", "true", "false",
    "corpus_group", "subject", "date", "outcome", "TP", "row", "#", "&", "|", "\\", "é",
    "\xff", "\xe2\x80\x9c", "prob_spam", "margin", "confidence", "`proba_<=50K`", "x.box",
    "easy-ham-1", "=", "<>", "0.8", "spam", "ham", "time", "loss", "pred", "correct", "body",
    "\"a\\qb\"", "\"\\x41\"", "``", "\"(\"", "/(?<=a+)b/", "/\\", "/x/g", "\xc2\xa0",
};
#define NSOUP (sizeof SOUP / sizeof SOUP[0])

static world fz;

static void check_any(const char *expr)
{
    filter *f = NULL;
    err e = {0};
    flt_error w = {12345, 12345};
    err_code rc = flt_compile(&f, expr, &fz.ctx, &e, &w);
    size_t n = strlen(expr);
    if (rc == E_OK) {
        bitmap b;
        cr_assert_eq(bm_init(&b, fz.ds->nrows, false, &e), E_OK);
        rc = flt_eval(f, &b, &e);
        cr_assert_eq(rc, E_OK, "%s -> %s", expr, e.msg);
        bm_done(&b);
        flt_free(f);
        return;
    }
    cr_assert_null(f);
    cr_assert(rc == E_PARSE || rc == E_TYPE || rc == E_REGEX, "%s -> %d %s", expr, rc, e.msg);
    cr_assert(w.pos <= n && w.len <= n - w.pos, "%s -> %s at %zu+%zu", expr, e.msg, w.pos,
              w.len);
    cr_assert_neq(e.msg[0], '\0', "%s", expr);
    char small[16], big[2048];
    flt_format_error(expr, &e, &w, small, sizeof small);
    flt_format_error(expr, &e, &w, big, sizeof big);
    cr_assert_lt(strlen(small), sizeof small);
}

static void fuzz_setup(void)
{
    make_world(&fz, 50, 99, false);
}

static void fuzz_teardown(void)
{
    free_world(&fz);
}

Test(flt, fuzz_token_soup, .init = fuzz_setup, .fini = fuzz_teardown)
{
    rng g = {2024};
    char buf[1024];
    for (int round = 0; round < 4000; round++) {
        size_t o = 0;
        unsigned ntok = 1 + below(&g, 24);
        for (unsigned k = 0; k < ntok && o < sizeof buf - 64; k++)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", SOUP[below(&g, NSOUP)],
                                  chance(&g, 70) ? " " : "");
        check_any(buf);
    }
}

Test(flt, fuzz_random_bytes, .init = fuzz_setup, .fini = fuzz_teardown)
{
    rng g = {77};
    char buf[128];
    static const char printable[] = "abcxyz019 ()!=<>~&|{}[],.-_`'\"/\\\t\n#:+TZ";
    for (int round = 0; round < 4000; round++) {
        size_t n = below(&g, 100);
        for (size_t i = 0; i < n; i++) {
            unsigned c = chance(&g, 60) ? (unsigned char)printable[below(&g, sizeof printable - 1)]
                                        : 1 + below(&g, 255);
            buf[i] = (char)c;
        }
        buf[n] = '\0';
        check_any(buf);
    }
}

Test(flt, fuzz_real_columns_with_random_tails, .init = fuzz_setup, .fini = fuzz_teardown)
{
    /* valid beginnings, random endings: the errors deep inside an expression */
    rng g = {31337};
    static const char *const heads[] = {"num > 1 && ", "cat in {a, ", "txt =~ /",
                                        "when between 2024-01-01 and ", "!(error || ",
                                        "score[y] >= ", "len(txt) ", "outcome == "};
    char buf[256];
    for (int round = 0; round < 2000; round++) {
        int o = snprintf(buf, sizeof buf, "%s", heads[below(&g, 8)]);
        unsigned ntok = below(&g, 6);
        for (unsigned k = 0; k < ntok && o < 200; k++)
            o += snprintf(buf + o, sizeof buf - (size_t)o, "%s ", SOUP[below(&g, NSOUP)]);
        check_any(buf);
    }
}

/* ---- one filter, several threads ---- */

typedef struct job {
    const filter *f;
    bitmap b;
    err_code rc;
} job;

static void *run(void *p)
{
    job *j = p;
    for (int k = 0; k < 5 && j->rc == E_OK; k++)
        j->rc = flt_eval(j->f, &j->b, NULL);
    return NULL;
}

Test(flt, one_filter_evaluated_from_many_threads)
{
    world w;
    make_world(&w, 6000, 0xABCDull, true);
    filter *f = NULL;
    err e = {0};
    cr_assert_eq(flt_compile(&f, "txt =~ /ref(und)?/i && num >= 0 || cat in {a, \"d e\"} && "
                             "len(txt) > 20 || outcome == FN",
                             &w.ctx, &e, NULL),
                 E_OK, "%s", e.msg);
    bitmap want;
    cr_assert_eq(bm_init(&want, w.t.n, false, &e), E_OK);
    cr_assert_eq(flt_eval(f, &want, &e), E_OK);
    job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].f = f;
        jobs[i].rc = bm_init(&jobs[i].b, w.t.n, false, &e);
        cr_assert_eq(pthread_create(&th[i], NULL, run, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(jobs[i].rc, E_OK);
        cr_assert_eq(memcmp(jobs[i].b.w, want.w, bm_words(&want) * 8), 0);
        bm_done(&jobs[i].b);
    }
    cr_assert_gt(bm_count(&want), 0);
    bm_done(&want);
    flt_free(f);
    free_world(&w);
}
