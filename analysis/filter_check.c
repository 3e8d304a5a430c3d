/* The filter's type checker: resolves names, checks that each comparison makes sense for
 * the types involved, and turns the syntax tree into an evaluation plan in which every
 * leaf is a simple test on one field: a numeric range, a set of intervals, a set of
 * dictionary codes, a regex, or a comparison of two fields. Text values are looked up in
 * the column's dictionary here, once, so evaluation never compares strings per row. */
#include "filter_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct checker {
    const flt_ctx *c;
    const char *src; /* borrowed; the expression */
    flt_arena *a;
    flt_diag *d;
    flt_rxlist **rxs;
} checker;

/* An operand: a field, a literal (or bare word), or a condition in parentheses. */
typedef struct value {
    enum { V_FIELD, V_LIT, V_COND } kind;
    const flt_field *f;   /* V_FIELD */
    const flt_node *n;    /* the operand's node */
    flt_plan *cond;       /* V_COND */
} value;

static err_code check_cond(checker *k, const flt_node *n, bool negated, flt_plan **out);

static err_code nomem(checker *k)
{
    return flt_fail(k->d, E_NOMEM, 0, 0, "out of memory");
}

static flt_plan *new_plan(checker *k, flt_pkind kind, const flt_field *f)
{
    flt_plan *p = flt_arena_alloc(k->a, sizeof *p);
    if (p) {
        p->kind = kind;
        p->f = f;
        p->costly = f && (f->src == FS_LEN || f->src == FS_TOKENS);
    }
    return p;
}

/* "numeric column 'age'" for a column, "'score[spam]'" for a derived field: the name as
 * written in the filter. */
static const char *describe(const flt_field *f, char *buf, size_t size)
{
    char sn[FLT_SNIP];
    flt_snip(f->name, strlen(f->name), sn, sizeof sn);
    if (f->is_column)
        snprintf(buf, size, "%s '%s'", f->what, sn);
    else
        snprintf(buf, size, "'%s'", sn);
    return buf;
}

static const char *lit_kind(const flt_tok *t)
{
    switch (t->type) {
    case TK_NUM:
        return "a number";
    case TK_TIME:
        return "a date";
    case TK_TRUE:
    case TK_FALSE:
        return "true/false";
    default:
        return "text";
    }
}

static const char *op_text(flt_op op)
{
    static const char *const text[] = {"==", "!=", "<", "<=", ">", ">="};
    return text[op];
}

static bool is_bool(const value *v)
{
    return v->kind == V_COND || (v->kind == V_FIELD && v->f->type == FV_BOOL);
}

/* ---- operands ---- */

static err_code index_field(checker *k, const flt_node *n, flt_field *f)
{
    const flt_ctx *c = k->c;
    char sn[FLT_SNIP];
    /* a column cannot be indexed, so score[...] is the derived field even when a column is
     * named score */
    if (strcmp(n->tok.s, "score") != 0)
        return flt_fail(k->d, E_PARSE, n->pos, n->len,
                        "only score takes a class in [ ], as in score[spam]");
    const char *why = flt_scores_unavailable(c);
    if (why)
        return flt_fail(k->d, E_TYPE, n->tok.pos, n->tok.len, "score is not available: %s", why);
    uint32_t cls = flt_class_of(c, &n->key);
    if (cls == CLASS_NA) {
        char list[256];
        size_t o = 0;
        list[0] = '\0';
        for (uint32_t j = 0; j < c->r->nclass && o < sizeof list; j++) {
            char cn[FLT_SNIP];
            flt_snip(c->r->classes[j], strlen(c->r->classes[j]), cn, sizeof cn);
            int w = j == 10 ? snprintf(list + o, sizeof list - o, ", ...")
                            : snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", cn);
            if (w < 0 || j == 10)
                break;
            o += (size_t)w;
        }
        return flt_fail(k->d, E_PARSE, n->key.pos, n->key.len,
                        "unknown class '%s'; the classes are %s",
                        flt_snip(n->key.s, n->key.slen, sn, sizeof sn), list);
    }
    const outcome *o = c->o;
    if (o->score && !o->score[cls])
        return flt_fail(k->d, E_TYPE, n->key.pos, n->key.len, "class '%s' has no score column",
                        flt_snip(n->key.s, n->key.slen, sn, sizeof sn));
    f->col = -1;
    f->type = FV_NUM;
    f->what = "score";
    f->cls = cls;
    if (o->score) {
        f->src = FS_NUMS;
        f->nums = o->score[cls];
        f->col = k->c->r->score_col ? k->c->r->score_col[cls] : -1;
    } else {
        f->src = FS_SCORE;
    }
    return E_OK;
}

static err_code value_of(checker *k, const flt_node *n, bool allow_word, value *v);

static err_code call_field(checker *k, const flt_node *n, flt_field *f)
{
    char sn[FLT_SNIP];
    const char *fn = n->tok.s;
    bool is_len = strcmp(fn, "len") == 0, is_tokens = strcmp(fn, "tokens") == 0;
    if (!is_len && !is_tokens && strcmp(fn, "missing") != 0)
        return flt_fail(k->d, E_PARSE, n->tok.pos, n->tok.len,
                        "unknown function '%s'; the functions are len, tokens and missing",
                        flt_snip(fn, n->tok.slen, sn, sizeof sn));
    value arg;
    err_code rc = value_of(k, n->a, false, &arg);
    if (rc != E_OK)
        return rc;
    if (arg.kind != V_FIELD)
        return flt_fail(k->d, E_TYPE, n->a->pos, n->a->len, "%s() takes a column, not %s", fn,
                        arg.kind == V_LIT ? "a value" : "a condition");
    if (arg.f->src == FS_TAGS)
        return flt_fail(k->d, E_TYPE, n->a->pos, n->a->len,
                        "%s() does not apply to tags; use tagged or untagged", fn);
    char desc[160];
    describe(arg.f, desc, sizeof desc);
    f->col = -1;
    f->arg = arg.f;
    if (is_len || is_tokens) {
        if (!flt_is_coded(arg.f))
            return flt_fail(k->d, E_TYPE, n->a->pos, n->a->len,
                            "%s() counts %s in text; %s is not text", fn,
                            is_len ? "characters" : "words", desc);
        f->src = is_len ? FS_LEN : FS_TOKENS;
        f->type = FV_NUM;
        f->what = is_len ? "len()" : "tokens()";
        return E_OK;
    }
    if (arg.f->type == FV_BOOL)
        return flt_fail(k->d, E_TYPE, n->a->pos, n->a->len,
                        "missing() takes a column; %s is never missing", desc);
    f->src = FS_MISSING;
    f->type = FV_BOOL;
    f->what = "missing()";
    return E_OK;
}

/* Resolves an operand. A bare word that names nothing becomes a text value when
 * allow_word (the right side of a comparison with a text field). */
static err_code value_of(checker *k, const flt_node *n, bool allow_word, value *v)
{
    memset(v, 0, sizeof *v);
    v->n = n;
    err_code rc = E_OK;
    flt_field *f = NULL;
    switch (n->kind) {
    case N_LIT:
        v->kind = V_LIT;
        return E_OK;
    case N_NAME:
        if (allow_word && n->tok.type == TK_NAME && !n->in_parens &&
            !flt_name_known(k->c, n->tok.s, false)) {
            v->kind = V_LIT;
            return E_OK;
        }
        rc = flt_resolve(k->c, k->a, k->d, &n->tok, &f);
        break;
    case N_INDEX:
    case N_CALL:
        f = flt_arena_alloc(k->a, sizeof *f);
        if (!f)
            return nomem(k);
        rc = n->kind == N_INDEX ? index_field(k, n, f) : call_field(k, n, f);
        break;
    default:
        v->kind = V_COND;
        return check_cond(k, n, false, &v->cond);
    }
    if (rc != E_OK)
        return rc;
    f->name = flt_arena_strndup(k->a, k->src + n->pos, n->len);
    if (!f->name)
        return nomem(k);
    v->kind = V_FIELD;
    v->f = f;
    return E_OK;
}

/* ---- literals ---- */

/* A literal as an interval [lo, hi] (hi_incl) or [lo, hi): a number or an instant is a
 * point, a date the whole day. Next to a time field a string is read as a date. */
static err_code lit_interval(checker *k, const flt_field *f, const flt_tok *t, flt_iv *iv)
{
    char desc[160], sn[FLT_SNIP];
    describe(f, desc, sizeof desc);
    if (t->type == TK_NUM) {
        *iv = (flt_iv){t->num, t->num, true};
        return E_OK;
    }
    if (f->type == FV_TIME && (t->type == TK_TIME || t->type == TK_STR)) {
        double at = t->num;
        bool is_day = t->is_day;
        if (t->type == TK_STR) {
            size_t used = 0;
            const char *why = NULL;
            if (!flt_parse_time(t->s, t->slen, &used, &at, &is_day, &why) || used != t->slen)
                return flt_fail(k->d, E_TYPE, t->pos, t->len,
                                "%s compares with dates like 2024-05-01; \"%s\" is not one",
                                desc, flt_snip(t->s, t->slen, sn, sizeof sn));
        }
        *iv = is_day ? (flt_iv){at, at + FLT_DAY, false} : (flt_iv){at, at, true};
        return E_OK;
    }
    if (f->type == FV_TIME)
        return flt_fail(k->d, E_TYPE, t->pos, t->len,
                        "%s compares with dates like 2024-05-01 or numbers, not %s", desc,
                        lit_kind(t));
    return flt_fail(k->d, E_TYPE, t->pos, t->len, "%s compares with numbers, not %s", desc,
                    lit_kind(t));
}

/* The code of a text value in a coded field, CODE_NA when no row has it. */
static err_code lit_code(checker *k, const flt_field *f, const flt_tok *t, uint32_t *code)
{
    const flt_ctx *c = k->c;
    char desc[160], sn[FLT_SNIP];
    *code = CODE_NA;
    if (t->type == TK_TIME || t->type == TK_TRUE || t->type == TK_FALSE) {
        flt_snip(k->src + t->pos, t->len, sn, sizeof sn);
        return flt_fail(k->d, E_TYPE, t->pos, t->len,
                        "%s compares with text: quote the value, as in \"%s\"",
                        describe(f, desc, sizeof desc), sn);
    }
    if (t->type == TK_NUM && f->src == FS_CLASS && c->r->class_value) {
        for (uint32_t j = 0; j < c->r->nclass; j++)
            if (c->r->class_value[j] == t->num)
                *code = j;
        return E_OK;
    }
    switch (f->src) {
    case FS_CODES:
        *code = sd_find(f->dict, t->s, t->slen);
        return E_OK;
    case FS_CLASS:
        *code = sd_find(c->r->class_dict, t->s, t->slen);
        return E_OK;
    default: /* outcome: four fixed names, case-insensitive */
        for (uint32_t j = 0; j < 4; j++) {
            size_t len;
            const char *s = flt_code_str(c, f, j, &len);
            if (len == t->slen && strncasecmp(s, t->s, len) == 0)
                *code = j;
        }
        if (*code == CODE_NA)
            return flt_fail(k->d, E_TYPE, t->pos, t->len, "outcome is one of TP, FP, TN, FN");
        return E_OK;
    }
}

/* ---- leaves ---- */

static flt_op mirror(flt_op op)
{
    switch (op) {
    case OP_LT:
        return OP_GT;
    case OP_LE:
        return OP_GE;
    case OP_GT:
        return OP_LT;
    case OP_GE:
        return OP_LE;
    default:
        return op;
    }
}

/* field op literal-interval, as a range test. A date is a day, so "<= day" takes in the
 * whole day and "> day" starts after it. */
static void set_range(flt_plan *p, flt_op op, const flt_iv *v)
{
    p->lo = -INFINITY;
    p->hi = INFINITY;
    p->lo_incl = p->hi_incl = true;
    switch (op) {
    case OP_EQ:
    case OP_NE:
        p->lo = v->lo;
        p->hi = v->hi;
        p->hi_incl = v->hi_incl;
        p->neg = op == OP_NE;
        break;
    case OP_LT:
        p->hi = v->lo;
        p->hi_incl = false;
        break;
    case OP_LE:
        p->hi = v->hi;
        p->hi_incl = v->hi_incl;
        break;
    case OP_GT:
        p->lo = v->hi;
        p->lo_incl = !v->hi_incl;
        break;
    case OP_GE:
        p->lo = v->lo;
        break;
    }
}

static err_code codeset(checker *k, const flt_field *f, const uint32_t *codes, size_t n,
                        bool neg, flt_plan **out)
{
    flt_plan *p = new_plan(k, PK_CODESET, f);
    uint32_t *keep = flt_arena_alloc(k->a, (n ? n : 1) * sizeof *keep);
    if (!p || !keep)
        return nomem(k);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = codes[i] == CODE_NA;
        for (size_t j = 0; j < m && !dup; j++)
            dup = keep[j] == codes[i];
        if (!dup)
            keep[m++] = codes[i];
    }
    p->codes = keep;
    p->ncodes = m;
    p->neg = neg;
    *out = p;
    return E_OK;
}

/* The bit of a tag named in a filter; an unknown name is an error that lists the tags, since
 * a misspelt tag would otherwise quietly select nothing. */
static err_code tag_bit(checker *k, const flt_tok *t, uint64_t *bit)
{
    const flt_tags *tg = k->c->tags;
    if (t->type == TK_STR || t->type == TK_NAME) {
        for (size_t i = 0; i < tg->ntags; i++)
            if (strlen(tg->names[i]) == t->slen && memcmp(tg->names[i], t->s, t->slen) == 0) {
                *bit = (uint64_t)1 << i;
                return E_OK;
            }
    }
    char list[256] = "", sn[FLT_SNIP];
    size_t used = 0;
    for (size_t i = 0; i < tg->ntags && used + 2 < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 tg->names[i]);
    return flt_fail(k->d, E_PARSE, t->pos, t->len, "unknown tag '%s'; the tags are %s",
                    flt_snip(k->src + t->pos, t->len, sn, sizeof sn), list);
}

static err_code tag_plan(checker *k, const flt_field *f, uint64_t mask, bool neg,
                         flt_plan **out)
{
    flt_plan *p = new_plan(k, PK_TAGMASK, f);
    if (!p)
        return nomem(k);
    p->mask = mask;
    p->neg = neg;
    *out = p;
    return E_OK;
}

static err_code cmp_text(checker *k, const flt_node *n, const flt_field *f, flt_op op,
                         const flt_tok *t, flt_plan **out)
{
    char desc[160];
    if (f->src == FS_TAGS) {
        if (op != OP_EQ && op != OP_NE)
            return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                            "tag takes ==, != or in, as in tag == \"mislabeled\"");
        uint64_t bit;
        err_code rc = tag_bit(k, t, &bit);
        return rc ? rc : tag_plan(k, f, bit, op == OP_NE, out);
    }
    if (op != OP_EQ && op != OP_NE) {
        if (t->type == TK_NUM && f->src == FS_CLASS && k->c->r->class_value) {
            /* numeric classes (0, 1, 2, ...) also order, through their values */
            flt_plan *p = new_plan(k, PK_RANGE, f);
            if (!p)
                return nomem(k);
            flt_iv iv = {t->num, t->num, true};
            set_range(p, op, &iv);
            *out = p;
            return E_OK;
        }
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                        "cannot compare %s with %s; use == or =~", describe(f, desc, sizeof desc),
                        op_text(op));
    }
    uint32_t code;
    err_code rc = lit_code(k, f, t, &code);
    if (rc != E_OK)
        return rc;
    return codeset(k, f, &code, 1, op == OP_NE, out);
}

static err_code cmp_literal(checker *k, const flt_node *n, const flt_field *f, flt_op op,
                            const flt_tok *t, flt_plan **out)
{
    if (f->type == FV_TEXT)
        return cmp_text(k, n, f, op, t, out);
    flt_iv iv;
    err_code rc = lit_interval(k, f, t, &iv);
    if (rc != E_OK)
        return rc;
    flt_plan *p = new_plan(k, PK_RANGE, f);
    if (!p)
        return nomem(k);
    set_range(p, op, &iv);
    *out = p;
    return E_OK;
}

static err_code as_plan(checker *k, const value *v, flt_plan **out)
{
    if (v->kind == V_COND) {
        *out = v->cond;
        return E_OK;
    }
    *out = new_plan(k, PK_TRUTH, v->f);
    return *out ? E_OK : nomem(k);
}

static err_code negate(checker *k, flt_plan **p)
{
    if ((*p)->kind == PK_TRUTH || (*p)->kind == PK_CONST) {
        (*p)->neg = !(*p)->neg;
        return E_OK;
    }
    flt_plan *n = new_plan(k, PK_NOT, NULL);
    if (!n)
        return nomem(k);
    n->kids = *p;
    n->costly = (*p)->costly;
    *p = n;
    return E_OK;
}

/* Comparisons where a side is true/false. */
static err_code cmp_bool(checker *k, const flt_node *n, const value *l, const value *r,
                         flt_plan **out)
{
    char desc[160];
    const value *b = is_bool(l) ? l : r, *other = b == l ? r : l;
    if (n->op != OP_EQ && n->op != OP_NE)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                        "true/false values compare only with == and !=");
    const char *bname = b->kind == V_FIELD ? describe(b->f, desc, sizeof desc) : "a condition";
    flt_plan *pb, *po;
    err_code rc = as_plan(k, b, &pb);
    if (rc != E_OK)
        return rc;
    if (is_bool(other)) {
        if ((rc = as_plan(k, other, &po)) != E_OK)
            return rc;
        flt_plan *p = new_plan(k, PK_EQV, NULL);
        if (!p)
            return nomem(k);
        p->kids = pb;
        pb->next = po;
        p->neg = n->op == OP_NE;
        p->costly = pb->costly || po->costly;
        *out = p;
        return E_OK;
    }
    if (other->kind == V_LIT &&
        (other->n->tok.type == TK_TRUE || other->n->tok.type == TK_FALSE)) {
        bool want = (other->n->tok.type == TK_TRUE) == (n->op == OP_EQ);
        if (!want && (rc = negate(k, &pb)) != E_OK)
            return rc;
        *out = pb;
        return E_OK;
    }
    return flt_fail(k->d, E_TYPE, other->n->pos, other->n->len,
                    "%s is true or false: compare it with true or false, or use it alone",
                    bname);
}

static err_code cmp_fields(checker *k, const flt_node *n, const flt_field *f,
                           const flt_field *g, flt_op op, flt_plan **out)
{
    char d1[160], d2[160];
    if (f->src == FS_TAGS || g->src == FS_TAGS)
        return flt_fail(k->d, E_TYPE, n->pos, n->len,
                        "tag compares with tag names, as in tag == \"mislabeled\"");
    if (f->type != g->type)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len, "cannot compare %s with %s",
                        describe(f, d1, sizeof d1), describe(g, d2, sizeof d2));
    if (f->type == FV_TEXT && op != OP_EQ && op != OP_NE)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                        "cannot compare %s with %s; use == or =~", describe(f, d1, sizeof d1),
                        op_text(op));
    flt_plan *p = new_plan(k, PK_FIELDS, f);
    if (!p)
        return nomem(k);
    p->g = g;
    p->op = op;
    p->costly = p->costly || g->src == FS_LEN || g->src == FS_TOKENS;
    *out = p;
    return E_OK;
}

static err_code check_cmp(checker *k, const flt_node *n, flt_plan **out)
{
    value l, r;
    err_code rc = value_of(k, n->a, false, &l);
    if (rc != E_OK)
        return rc;
    bool text_left = l.kind == V_FIELD && l.f->type == FV_TEXT;
    if ((rc = value_of(k, n->b, text_left, &r)) != E_OK)
        return rc;
    flt_op op = n->op;
    if (l.kind == V_LIT && r.kind == V_LIT)
        return flt_fail(k->d, E_TYPE, n->pos, n->len,
                        "both sides are values: compare a column with a value");
    if (is_bool(&l) || is_bool(&r))
        return cmp_bool(k, n, &l, &r, out);
    if (l.kind == V_LIT) { /* 0.8 < p reads as p > 0.8 */
        value t = l;
        l = r;
        r = t;
        op = mirror(op);
    }
    if (r.kind == V_FIELD)
        return cmp_fields(k, n, l.f, r.f, op, out);
    return cmp_literal(k, n, l.f, op, &r.n->tok, out);
}

static err_code need_field(checker *k, const flt_node *n, const value *v, const char *what)
{
    char desc[160];
    if (v->kind == V_FIELD && v->f->type != FV_BOOL)
        return E_OK;
    if (v->kind == V_FIELD)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                        "%s is true or false: use == true or == false",
                        describe(v->f, desc, sizeof desc));
    return flt_fail(k->d, E_TYPE, v->n->pos, v->n->len, "%s needs a column on its left", what);
}

static int cmp_iv(const void *pa, const void *pb)
{
    const flt_iv *a = pa, *b = pb;
    if (a->lo != b->lo)
        return a->lo < b->lo ? -1 : 1;
    return (a->hi > b->hi) - (a->hi < b->hi);
}

/* Sorts the intervals and merges those that touch, so one binary search finds the only
 * candidate for a value. */
static size_t merge_ivs(flt_iv *iv, size_t n)
{
    if (n == 0)
        return 0;
    qsort(iv, n, sizeof *iv, cmp_iv);
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        flt_iv *cur = &iv[m];
        if (iv[i].lo < cur->hi || (iv[i].lo == cur->hi && cur->hi_incl)) {
            if (iv[i].hi > cur->hi) {
                cur->hi = iv[i].hi;
                cur->hi_incl = iv[i].hi_incl;
            } else if (iv[i].hi == cur->hi) {
                cur->hi_incl = cur->hi_incl || iv[i].hi_incl;
            }
        } else {
            iv[++m] = iv[i];
        }
    }
    return m + 1;
}

static err_code check_in(checker *k, const flt_node *n, flt_plan **out)
{
    value l;
    err_code rc = value_of(k, n->a, false, &l);
    if (rc != E_OK || (rc = need_field(k, n, &l, "in")) != E_OK)
        return rc;
    size_t count = 0;
    for (const flt_node *e = n->kids; e; e = e->next)
        count++;
    if (l.f->src == FS_TAGS) {
        uint64_t mask = 0, bit;
        for (const flt_node *e = n->kids; e; e = e->next) {
            if ((rc = tag_bit(k, &e->tok, &bit)) != E_OK)
                return rc;
            mask |= bit;
        }
        return tag_plan(k, l.f, mask, n->neg, out);
    }
    if (l.f->type == FV_TEXT) {
        uint32_t *codes = flt_arena_alloc(k->a, count * sizeof *codes);
        if (!codes)
            return nomem(k);
        size_t i = 0;
        for (const flt_node *e = n->kids; e; e = e->next)
            if ((rc = lit_code(k, l.f, &e->tok, &codes[i++])) != E_OK)
                return rc;
        return codeset(k, l.f, codes, count, n->neg, out);
    }
    flt_iv *iv = flt_arena_alloc(k->a, count * sizeof *iv);
    flt_plan *p = new_plan(k, PK_IVSET, l.f);
    if (!iv || !p)
        return nomem(k);
    size_t i = 0;
    for (const flt_node *e = n->kids; e; e = e->next)
        if ((rc = lit_interval(k, l.f, &e->tok, &iv[i++])) != E_OK)
            return rc;
    p->iv = iv;
    p->niv = merge_ivs(iv, count);
    p->neg = n->neg;
    *out = p;
    return E_OK;
}

static err_code check_between(checker *k, const flt_node *n, flt_plan **out)
{
    char desc[160];
    value l;
    err_code rc = value_of(k, n->a, false, &l);
    if (rc != E_OK || (rc = need_field(k, n, &l, "between")) != E_OK)
        return rc;
    const flt_node *bounds[2] = {n->b, n->c};
    for (int i = 0; i < 2; i++)
        if (bounds[i]->kind != N_LIT)
            return flt_fail(k->d, E_TYPE, bounds[i]->pos, bounds[i]->len,
                            "between takes values as bounds, as in x between 1 and 5");
    bool numeric_classes = l.f->src == FS_CLASS && k->c->r->class_value &&
                           n->b->tok.type == TK_NUM && n->c->tok.type == TK_NUM;
    if (l.f->type == FV_TEXT && !numeric_classes)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                        "cannot use between with %s; use in or =~",
                        describe(l.f, desc, sizeof desc));
    flt_iv lo, hi;
    if (numeric_classes) {
        lo = (flt_iv){n->b->tok.num, n->b->tok.num, true};
        hi = (flt_iv){n->c->tok.num, n->c->tok.num, true};
    } else if ((rc = lit_interval(k, l.f, &n->b->tok, &lo)) != E_OK ||
               (rc = lit_interval(k, l.f, &n->c->tok, &hi)) != E_OK) {
        return rc;
    }
    flt_plan *p = new_plan(k, PK_RANGE, l.f);
    if (!p)
        return nomem(k);
    p->lo = lo.lo;
    p->lo_incl = true;
    p->hi = hi.hi;
    p->hi_incl = hi.hi_incl;
    p->neg = n->neg;
    *out = p;
    return E_OK;
}

/* PCRE2 reports an offset in the pattern; for a /regex/ literal the pattern is the source
 * text after the '/', so the offset maps directly. A quoted pattern may have had escapes
 * removed, so the caret then covers the whole string unless it was verbatim. */
static err_code regex_error(checker *k, const flt_tok *t, size_t off)
{
    if (t->type == TK_REGEX || t->verbatim) {
        size_t pos = t->pos + 1 + off;
        k->d->where->pos = pos;
        k->d->where->len = off < t->slen ? 1 : 0;
    } else {
        k->d->where->pos = t->pos;
        k->d->where->len = t->len;
    }
    return E_REGEX;
}

static err_code check_match(checker *k, const flt_node *n, bool negated, flt_plan **out)
{
    char desc[160];
    value l;
    err_code rc = value_of(k, n->a, false, &l);
    if (rc != E_OK || (rc = need_field(k, n, &l, "=~")) != E_OK)
        return rc;
    if (l.f->type != FV_TEXT)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len, "%s needs text; %s is not text",
                        n->neg ? "!~" : "=~", describe(l.f, desc, sizeof desc));
    if (l.f->src == FS_TAGS)
        return flt_fail(k->d, E_TYPE, n->op_pos, n->op_len,
                        "tags are names: use tag == or tag in {...}; note =~ searches notes");
    flt_rxlist *item = flt_arena_alloc(k->a, sizeof *item);
    flt_plan *p = new_plan(k, PK_REGEX, l.f);
    if (!item || !p)
        return nomem(k);
    size_t off = 0;
    const flt_tok *t = &n->tok;
    rc = rx_compile(&item->re, t->s, t->slen, t->type == TK_REGEX ? t->rxflags : 0, k->d->e,
                    &off);
    if (rc == E_REGEX)
        return regex_error(k, t, off);
    if (rc != E_OK)
        return flt_fail(k->d, rc, t->pos, t->len, "out of memory");
    item->col = l.f->col;
    item->selects = !n->neg && !negated;
    item->next = *k->rxs;
    *k->rxs = item;
    p->re = item->re;
    p->neg = n->neg;
    p->costly = true;
    *out = p;
    return E_OK;
}

/* And/or lists: the cheap tests go first, so that costly ones (a regex over every distinct
 * text) only look at the rows the cheap ones kept. The order does not change the result. */
static err_code check_list(checker *k, const flt_node *n, bool negated, flt_plan **out)
{
    flt_plan *p = new_plan(k, n->kind == N_AND ? PK_AND : PK_OR, NULL);
    if (!p)
        return nomem(k);
    flt_plan *cheap = NULL, **ct = &cheap, *dear = NULL, **dt = &dear;
    for (const flt_node *kid = n->kids; kid; kid = kid->next) {
        flt_plan *q;
        err_code rc = check_cond(k, kid, negated, &q);
        if (rc != E_OK)
            return rc;
        if (q->costly) {
            *dt = q;
            dt = &q->next;
            p->costly = true;
        } else {
            *ct = q;
            ct = &q->next;
        }
    }
    *ct = dear;
    p->kids = cheap;
    *out = p;
    return E_OK;
}

static err_code not_a_condition(checker *k, const flt_node *n, const value *v)
{
    char sn[FLT_SNIP];
    flt_snip(k->src + n->pos, n->len, sn, sizeof sn);
    if (v->kind == V_LIT)
        return flt_fail(k->d, E_TYPE, n->pos, n->len,
                        "a value alone is not a condition: compare a column with it");
    switch (v->f->type) {
    case FV_NUM:
        return flt_fail(k->d, E_TYPE, n->pos, n->len,
                        "'%s' is a number, not a condition: compare it, as in %s > 0", sn, sn);
    case FV_TIME:
        return flt_fail(k->d, E_TYPE, n->pos, n->len,
                        "'%s' is a time, not a condition: compare it, as in %s >= 2024-01-01",
                        sn, sn);
    default:
        return flt_fail(k->d, E_TYPE, n->pos, n->len,
                        "'%s' is text, not a condition: compare it, as in %s == \"x\" or "
                        "%s =~ /x/",
                        sn, sn, sn);
    }
}

static err_code check_cond(checker *k, const flt_node *n, bool negated, flt_plan **out)
{
    err_code rc;
    switch (n->kind) {
    case N_OR:
    case N_AND:
        return check_list(k, n, negated, out);
    case N_NOT: {
        flt_plan *kid;
        if ((rc = check_cond(k, n->a, !negated, &kid)) != E_OK)
            return rc;
        if ((rc = negate(k, &kid)) != E_OK)
            return rc;
        *out = kid;
        return E_OK;
    }
    case N_CMP:
        return check_cmp(k, n, out);
    case N_IN:
        return check_in(k, n, out);
    case N_BETWEEN:
        return check_between(k, n, out);
    case N_MATCH:
        return check_match(k, n, negated, out);
    case N_LIT:
        if (n->tok.type == TK_TRUE || n->tok.type == TK_FALSE) {
            *out = new_plan(k, PK_CONST, NULL);
            if (!*out)
                return nomem(k);
            (*out)->neg = n->tok.type == TK_FALSE;
            return E_OK;
        }
        break;
    default:
        break;
    }
    value v;
    if ((rc = value_of(k, n, false, &v)) != E_OK)
        return rc;
    if (v.kind == V_FIELD && v.f->type == FV_BOOL)
        return as_plan(k, &v, out);
    return not_a_condition(k, n, &v);
}

err_code flt_check(const flt_ctx *c, flt_arena *a, flt_diag *d, const flt_node *root,
                   flt_rxlist **rxs, flt_plan **out)
{
    checker k = {c, d->src, a, d, rxs};
    return check_cond(&k, root, false, out);
}
