/* The filter parser: recursive descent over the grammar
 *     expr      := and (('||' | or) and)*
 *     and       := unary (('&&' | and) unary)*
 *     unary     := ('!' | not) unary | predicate
 *     predicate := operand [ cmp operand | ('=~' | '!~') (regex | string)
 *                          | [not] in '{' value (',' value)* [','] '}'
 *                          | [not] between operand and operand ]
 *     operand   := '(' expr ')' | value | name | name '[' key ']' | name '(' operand ')'
 * Chains of && and || become one list node, so only parentheses, negations and calls make
 * the recursion deeper, and those count against FLT_MAX_DEPTH. The parser knows nothing of
 * columns or types; filter_check.c does. */
#include "filter_int.h"

#include <string.h>

typedef struct parser {
    flt_lexer lx;
    flt_tok cur;    /* the next token, not yet consumed */
    size_t prev_pos, prev_len; /* the last consumed token, for "expected ... after X" */
    size_t end;     /* end of the last consumed token */
    int depth;
    flt_arena *a;
    flt_diag *d;
} parser;

static err_code parse_expr(parser *p, flt_node **out);
/* what: the kind of operand expected here, for "expected ..." messages */
static err_code parse_operand(parser *p, flt_node **out, const char *what);

static err_code advance_mode(parser *p, bool regex_ok)
{
    p->prev_pos = p->cur.pos;
    p->prev_len = p->cur.len;
    p->end = p->cur.pos + p->cur.len;
    return flt_lex_next(&p->lx, &p->cur, regex_ok);
}

static err_code advance(parser *p)
{
    return advance_mode(p, false);
}

static flt_node *new_node(parser *p, flt_node_kind kind, size_t pos)
{
    flt_node *n = flt_arena_alloc(p->a, sizeof *n);
    if (n) {
        n->kind = kind;
        n->pos = pos;
    }
    return n;
}

static err_code nomem(parser *p)
{
    return flt_fail(p->d, E_NOMEM, p->cur.pos, 0, "out of memory");
}

static void close_node(parser *p, flt_node *n)
{
    n->len = p->end > n->pos ? p->end - n->pos : 0;
}

/* The current token's text, quoted for a message. */
static const char *cur_text(const parser *p, char *buf, size_t size)
{
    return flt_snip(p->lx.src + p->cur.pos, p->cur.len, buf, size);
}

static const char *prev_text(const parser *p, char *buf, size_t size)
{
    return flt_snip(p->lx.src + p->prev_pos, p->prev_len, buf, size);
}

/* An error at the current token; at the end of the input it says what was expected after
 * the previous token instead. */
static err_code expected(parser *p, const char *what)
{
    char sn[FLT_SNIP];
    if (p->cur.type == TK_EOF) {
        if (p->prev_len == 0)
            return flt_fail(p->d, E_PARSE, p->cur.pos, 0, "expected %s", what);
        return flt_fail(p->d, E_PARSE, p->cur.pos, 0, "expected %s after '%s'", what,
                        prev_text(p, sn, sizeof sn));
    }
    return flt_fail(p->d, E_PARSE, p->cur.pos, p->cur.len, "expected %s, not '%s'", what,
                    cur_text(p, sn, sizeof sn));
}

static err_code enter(parser *p)
{
    if (++p->depth > FLT_MAX_DEPTH)
        return flt_fail(p->d, E_PARSE, p->cur.pos, p->cur.len,
                        "nested too deeply (more than %d levels)", FLT_MAX_DEPTH);
    return E_OK;
}

/* A list of operands joined by one operator (and, or) becomes one node. */
static err_code parse_list(parser *p, flt_node **out, flt_tok_type op, flt_node_kind kind,
                           err_code (*sub)(parser *, flt_node **))
{
    flt_node *first = NULL;
    err_code rc = sub(p, &first);
    if (rc != E_OK || p->cur.type != op) {
        *out = first;
        return rc;
    }
    flt_node *n = new_node(p, kind, first->pos);
    if (!n)
        return nomem(p);
    n->kids = first;
    flt_node *last = first;
    while (p->cur.type == op) {
        if ((rc = advance(p)) != E_OK || (rc = sub(p, &last->next)) != E_OK)
            return rc;
        last = last->next;
    }
    close_node(p, n);
    *out = n;
    return E_OK;
}

static err_code parse_unary(parser *p, flt_node **out);
static err_code parse_and(parser *p, flt_node **out)
{
    return parse_list(p, out, TK_AND, N_AND, parse_unary);
}

static err_code parse_expr(parser *p, flt_node **out)
{
    return parse_list(p, out, TK_OR, N_OR, parse_and);
}

static bool is_value_token(flt_tok_type t)
{
    return t == TK_NUM || t == TK_STR || t == TK_TIME || t == TK_TRUE || t == TK_FALSE;
}

/* { v1, v2, ... }: numbers, strings, dates, true/false and bare words. */
static err_code parse_set(parser *p, flt_node *n)
{
    size_t open = p->cur.pos;
    if (p->cur.type != TK_LBRACE)
        return expected(p, "'{' and a list of values after in, as in {a, b}");
    err_code rc = advance(p);
    if (rc != E_OK)
        return rc;
    if (p->cur.type == TK_RBRACE)
        return flt_fail(p->d, E_PARSE, open, p->cur.pos + 1 - open,
                        "empty set: list values, as in {a, b}");
    flt_node **tail = &n->kids;
    for (;;) {
        if (!is_value_token(p->cur.type) && p->cur.type != TK_NAME) {
            if (p->cur.type == TK_EOF)
                return flt_fail(p->d, E_PARSE, open, 1, "unclosed '{'");
            return expected(p, "a value in the set");
        }
        flt_node *v = new_node(p, N_LIT, p->cur.pos);
        if (!v)
            return nomem(p);
        v->tok = p->cur;
        v->len = p->cur.len;
        *tail = v;
        tail = &v->next;
        if ((rc = advance(p)) != E_OK)
            return rc;
        if (p->cur.type == TK_COMMA) {
            if ((rc = advance(p)) != E_OK)
                return rc;
            if (p->cur.type == TK_RBRACE)
                break;
            continue;
        }
        if (p->cur.type == TK_RBRACE)
            break;
        if (p->cur.type == TK_EOF)
            return flt_fail(p->d, E_PARSE, open, 1, "unclosed '{'");
        return expected(p, "',' or '}'");
    }
    return advance(p);
}

static err_code parse_between(parser *p, flt_node *n)
{
    err_code rc = parse_operand(p, &n->b, "a lower bound");
    if (rc != E_OK)
        return rc;
    if (p->cur.type != TK_AND)
        return expected(p, "'and' and an upper bound");
    if ((rc = advance(p)) != E_OK)
        return rc;
    return parse_operand(p, &n->c, "an upper bound");
}

static err_code parse_match(parser *p, flt_node *n)
{
    err_code rc = advance_mode(p, true);
    if (rc != E_OK)
        return rc;
    if (p->cur.type != TK_REGEX && p->cur.type != TK_STR)
        return expected(p, "a regex such as /word/i");
    n->tok = p->cur;
    return advance(p);
}

static flt_op cmp_op(flt_tok_type t)
{
    switch (t) {
    case TK_NE:
        return OP_NE;
    case TK_LT:
        return OP_LT;
    case TK_LE:
        return OP_LE;
    case TK_GT:
        return OP_GT;
    case TK_GE:
        return OP_GE;
    default:
        return OP_EQ;
    }
}

static err_code parse_predicate(parser *p, flt_node **out)
{
    flt_node *a = NULL;
    err_code rc = parse_operand(p, &a, "a condition");
    if (rc != E_OK)
        return rc;
    flt_tok op = p->cur;
    flt_node_kind kind;
    bool neg = false;
    switch (op.type) {
    case TK_EQ:
    case TK_NE:
    case TK_LT:
    case TK_LE:
    case TK_GT:
    case TK_GE:
        kind = N_CMP;
        break;
    case TK_MATCH:
    case TK_NMATCH:
        kind = N_MATCH;
        neg = op.type == TK_NMATCH;
        break;
    case TK_IN:
        kind = N_IN;
        break;
    case TK_BETWEEN:
        kind = N_BETWEEN;
        break;
    case TK_NOT:
        if ((rc = advance(p)) != E_OK)
            return rc;
        if (p->cur.type != TK_IN && p->cur.type != TK_BETWEEN)
            return expected(p, "in or between after not");
        kind = p->cur.type == TK_IN ? N_IN : N_BETWEEN;
        neg = true;
        break;
    default:
        if (is_value_token(op.type) || op.type == TK_NAME || op.type == TK_QNAME ||
            op.type == TK_LPAREN) {
            char sn[FLT_SNIP];
            return flt_fail(p->d, E_PARSE, op.pos, op.len,
                            "expected an operator (==, <, in, =~, ...) before '%s'",
                            cur_text(p, sn, sizeof sn));
        }
        *out = a;
        return E_OK;
    }
    flt_node *n = new_node(p, kind, a->pos);
    if (!n)
        return nomem(p);
    n->a = a;
    n->neg = neg;
    n->op = cmp_op(op.type);
    n->op_pos = op.pos;
    n->op_len = p->cur.pos + p->cur.len - op.pos; /* "not in" spans both words */
    if (kind == N_MATCH)
        rc = parse_match(p, n);
    else if ((rc = advance(p)) == E_OK)
        rc = kind == N_CMP ? parse_operand(p, &n->b, "a value")
             : kind == N_IN ? parse_set(p, n)
                            : parse_between(p, n);
    if (rc != E_OK)
        return rc;
    close_node(p, n);
    *out = n;
    return E_OK;
}

static err_code parse_unary(parser *p, flt_node **out)
{
    if (p->cur.type != TK_NOT)
        return parse_predicate(p, out);
    flt_node *n = new_node(p, N_NOT, p->cur.pos);
    if (!n)
        return nomem(p);
    n->op_pos = p->cur.pos;
    n->op_len = p->cur.len;
    err_code rc = enter(p);
    if (rc == E_OK && (rc = advance(p)) == E_OK && p->cur.type == TK_EOF)
        rc = expected(p, "a condition");
    if (rc == E_OK)
        rc = parse_unary(p, &n->a);
    if (rc != E_OK)
        return rc;
    p->depth--;
    close_node(p, n);
    *out = n;
    return E_OK;
}

static err_code parse_paren(parser *p, flt_node **out)
{
    size_t open = p->cur.pos;
    err_code rc = enter(p);
    if (rc != E_OK || (rc = advance(p)) != E_OK)
        return rc;
    if (p->cur.type == TK_RPAREN)
        return flt_fail(p->d, E_PARSE, open, p->cur.pos + 1 - open,
                        "empty parentheses: put a condition inside");
    if ((rc = parse_expr(p, out)) != E_OK)
        return rc;
    if (p->cur.type != TK_RPAREN) {
        if (p->cur.type == TK_EOF)
            return flt_fail(p->d, E_PARSE, open, 1, "unclosed '(': add ')'");
        return expected(p, "')' or an operator");
    }
    p->depth--;
    (*out)->in_parens = true;
    return advance(p);
}

/* name[key]: the key is a class, bare, quoted, backquoted or a number. */
static err_code parse_index(parser *p, flt_node *n)
{
    n->kind = N_INDEX;
    err_code rc = advance(p);
    if (rc != E_OK)
        return rc;
    flt_tok_type t = p->cur.type;
    if (t != TK_NAME && t != TK_QNAME && t != TK_STR && t != TK_NUM && t != TK_TRUE &&
        t != TK_FALSE && t != TK_IN && t != TK_NOT && t != TK_AND && t != TK_OR &&
        t != TK_BETWEEN)
        return expected(p, "a class name in [ ]");
    n->key = p->cur;
    if ((rc = advance(p)) != E_OK)
        return rc;
    if (p->cur.type != TK_RBRACKET)
        return expected(p, "']'");
    return advance(p);
}

/* name(arg): len, tokens, missing. */
static err_code parse_call(parser *p, flt_node *n)
{
    n->kind = N_CALL;
    err_code rc = enter(p);
    if (rc != E_OK || (rc = advance(p)) != E_OK)
        return rc;
    if (p->cur.type == TK_RPAREN) {
        char sn[FLT_SNIP];
        flt_snip(n->tok.s, n->tok.slen, sn, sizeof sn);
        return flt_fail(p->d, E_PARSE, n->pos, p->cur.pos + 1 - n->pos,
                        "%s() needs a column, as in %s(body)", sn, sn);
    }
    if ((rc = parse_operand(p, &n->a, "a column")) != E_OK)
        return rc;
    if (p->cur.type != TK_RPAREN)
        return expected(p, "')'");
    p->depth--;
    return advance(p);
}

static err_code parse_operand(parser *p, flt_node **out, const char *what)
{
    flt_tok t = p->cur;
    if (t.type == TK_LPAREN)
        return parse_paren(p, out);
    if (t.type == TK_EOF)
        return expected(p, what);
    if (!is_value_token(t.type) && t.type != TK_NAME && t.type != TK_QNAME) {
        char sn[FLT_SNIP];
        if (t.type == TK_RPAREN)
            return flt_fail(p->d, E_PARSE, t.pos, t.len, "unexpected ')'");
        return flt_fail(p->d, E_PARSE, t.pos, t.len, "expected a column or a value, not '%s'",
                        cur_text(p, sn, sizeof sn));
    }
    flt_node *n = new_node(p, is_value_token(t.type) ? N_LIT : N_NAME, t.pos);
    if (!n)
        return nomem(p);
    n->tok = t;
    err_code rc = advance(p);
    if (rc == E_OK && t.type == TK_NAME && p->cur.type == TK_LBRACKET)
        rc = parse_index(p, n);
    else if (rc == E_OK && t.type == TK_NAME && p->cur.type == TK_LPAREN)
        rc = parse_call(p, n);
    if (rc != E_OK)
        return rc;
    close_node(p, n);
    *out = n;
    return E_OK;
}

err_code flt_parse(const char *src, flt_arena *arena, flt_diag *d, flt_node **root)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.lx.src = src;
    p.lx.n = strlen(src);
    p.lx.arena = arena;
    p.lx.d = d;
    p.a = arena;
    p.d = d;
    err_code rc = flt_lex_next(&p.lx, &p.cur, false);
    if (rc != E_OK)
        return rc;
    if (p.cur.type == TK_EOF)
        return flt_fail(d, E_PARSE, 0, 0, "empty filter");
    flt_node *n = NULL;
    if ((rc = parse_expr(&p, &n)) != E_OK)
        return rc;
    if (p.cur.type != TK_EOF) {
        char sn[FLT_SNIP];
        flt_tok_type t = p.cur.type;
        if (t == TK_RPAREN)
            return flt_fail(d, E_PARSE, p.cur.pos, 1, "unmatched ')'");
        if (t >= TK_EQ && t <= TK_NMATCH)
            return flt_fail(d, E_PARSE, p.cur.pos, p.cur.len,
                            "comparisons do not chain: join them with &&");
        return flt_fail(d, E_PARSE, p.cur.pos, p.cur.len,
                        "unexpected '%s': expected && or || or the end of the filter",
                        cur_text(&p, sn, sizeof sn));
    }
    *root = n;
    return E_OK;
}
