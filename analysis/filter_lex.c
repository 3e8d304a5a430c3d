/* The filter lexer: bytes -> tokens, one token per call, so that the parser can ask for a
 * regex only where one may appear (right after =~ or !~) and '/' stays an error elsewhere.
 * Every token keeps its byte range in the expression for error carets. */
#include "filter_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Non-ASCII bytes may appear in names (größe), so a name is letters, digits, '_', '.' and
 * any byte >= 0x80. */
static bool is_word(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '.' || c >= 0x80;
}

/* A no-break space (U+00A0) pasted from a document counts as white space. */
static size_t space_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && is_space(s[0]))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    return 0;
}

/* Typographic quotes (U+2018, U+2019, U+201C, U+201D) come from word processors; they are
 * reported instead of being read as part of a name. */
static bool smart_quote_at(const unsigned char *s, size_t n)
{
    return n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
           (s[2] == 0x98 || s[2] == 0x99 || s[2] == 0x9C || s[2] == 0x9D);
}

/* End of a bare name starting at i: word characters, with single '-' joining word parts
 * (education-num, easy-ham-1). */
static size_t name_end(const unsigned char *s, size_t n, size_t i)
{
    for (;;) {
        while (i < n && is_word(s[i]) && !smart_quote_at(s + i, n - i) &&
               !(s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0xA0))
            i++;
        if (i + 1 < n && s[i] == '-' && (is_alpha(s[i + 1]) || is_digit(s[i + 1])))
            i++;
        else
            return i;
    }
}

static const struct {
    const char *word;
    flt_tok_type type;
} keywords[] = {
    {"and", TK_AND},   {"or", TK_OR},         {"not", TK_NOT},   {"in", TK_IN},
    {"true", TK_TRUE}, {"between", TK_BETWEEN}, {"false", TK_FALSE},
};

static flt_tok_type keyword(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (strlen(keywords[k].word) == len && strncasecmp(keywords[k].word, s, len) == 0)
            return keywords[k].type;
    return TK_NAME;
}

bool flt_is_plain_name(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    if (len == 0 || !is_alpha(s[0]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 0x80)
            return false; /* non-ASCII names are quoted: always safe to read back */
    return name_end(s, len, 0) == len && keyword(name, len) == TK_NAME;
}

static err_code nomem(flt_lexer *lx)
{
    return flt_fail(lx->d, E_NOMEM, lx->at, 0, "out of memory");
}

static err_code lex_name(flt_lexer *lx, flt_tok *t)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t end = name_end(s, lx->n, lx->at);
    t->len = end - t->pos;
    t->type = keyword(lx->src + t->pos, t->len);
    t->s = flt_arena_strndup(lx->arena, lx->src + t->pos, t->len);
    t->slen = t->len;
    lx->at = end;
    return t->s ? E_OK : nomem(lx);
}

/* `name` with `` for a backquote inside. */
static err_code lex_qname(flt_lexer *lx, flt_tok *t)
{
    const char *s = lx->src;
    char *buf = flt_arena_alloc(lx->arena, lx->n - t->pos);
    if (!buf)
        return nomem(lx);
    size_t o = 0, i = t->pos + 1;
    for (;;) {
        if (i >= lx->n)
            return flt_fail(lx->d, E_PARSE, t->pos, lx->n - t->pos,
                            "unterminated name: close it with `");
        if (s[i] == '`') {
            if (i + 1 < lx->n && s[i + 1] == '`') {
                buf[o++] = '`';
                i += 2;
                continue;
            }
            i++;
            break;
        }
        buf[o++] = s[i++];
    }
    t->len = i - t->pos;
    if (o == 0)
        return flt_fail(lx->d, E_PARSE, t->pos, t->len, "empty column name");
    t->type = TK_QNAME;
    t->s = buf;
    t->slen = o;
    lx->at = i;
    return E_OK;
}

static int hex(unsigned char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static err_code lex_string(flt_lexer *lx, flt_tok *t)
{
    const char *s = lx->src;
    char q = s[t->pos];
    char *buf = flt_arena_alloc(lx->arena, lx->n - t->pos);
    if (!buf)
        return nomem(lx);
    size_t o = 0, i = t->pos + 1;
    bool verbatim = true;
    for (;;) {
        if (i >= lx->n)
            return flt_fail(lx->d, E_PARSE, t->pos, lx->n - t->pos,
                            "unterminated string: close it with %c", q);
        if (s[i] == q) {
            i++;
            break;
        }
        if (s[i] != '\\') {
            buf[o++] = s[i++];
            continue;
        }
        verbatim = false;
        if (i + 1 >= lx->n)
            return flt_fail(lx->d, E_PARSE, t->pos, lx->n - t->pos,
                            "unterminated string: close it with %c", q);
        char c = s[i + 1];
        switch (c) {
        case '\\':
        case '"':
        case '\'':
        case '/':
            buf[o++] = c;
            break;
        case 'n':
            buf[o++] = '\n';
            break;
        case 't':
            buf[o++] = '\t';
            break;
        case 'r':
            buf[o++] = '\r';
            break;
        case 'x': {
            int h1 = i + 2 < lx->n ? hex((unsigned char)s[i + 2]) : -1;
            int h2 = i + 3 < lx->n ? hex((unsigned char)s[i + 3]) : -1;
            if (h1 < 0 || h2 < 0)
                return flt_fail(lx->d, E_PARSE, i, 2,
                                "\\x needs two hex digits, as in \\x41");
            if (h1 == 0 && h2 == 0)
                return flt_fail(lx->d, E_PARSE, i, 4, "\\x00 is not allowed in a string");
            ((unsigned char *)buf)[o++] = (unsigned char)(h1 * 16 + h2);
            i += 2;
            break;
        }
        default: {
            char sn[FLT_SNIP];
            size_t k = flt_utf8_len((const unsigned char *)s + i + 1, lx->n - i - 1);
            return flt_fail(lx->d, E_PARSE, i, 1 + (k ? k : 1),
                            "unknown escape \\%s in a string; use \\\\ for a backslash",
                            flt_snip(s + i + 1, k ? k : 1, sn, sizeof sn));
        }
        }
        i += 2;
    }
    t->type = TK_STR;
    t->len = i - t->pos;
    t->s = buf;
    t->slen = o;
    t->verbatim = verbatim;
    lx->at = i;
    return E_OK;
}

/* /pattern/flags. The pattern is kept as written (a "\/" stays "\/", which PCRE2 reads as
 * '/'), so PCRE2's error offsets map straight back onto the expression. */
static err_code lex_regex(flt_lexer *lx, flt_tok *t)
{
    const char *s = lx->src;
    size_t i = t->pos + 1;
    while (i < lx->n && s[i] != '/') {
        if (s[i] == '\\' && i + 1 < lx->n)
            i++;
        i++;
    }
    if (i >= lx->n)
        return flt_fail(lx->d, E_PARSE, t->pos, lx->n - t->pos,
                        "unterminated regex: close it with /");
    t->s = flt_arena_strndup(lx->arena, s + t->pos + 1, i - t->pos - 1);
    if (!t->s)
        return nomem(lx);
    t->slen = i - t->pos - 1;
    i++;
    unsigned flags = 0;
    while (i < lx->n && is_word((unsigned char)s[i])) {
        unsigned f = rx_flag_of(s[i]);
        if (!f) {
            char sn[FLT_SNIP];
            size_t k = flt_utf8_len((const unsigned char *)s + i, lx->n - i);
            return flt_fail(lx->d, E_PARSE, i, k ? k : 1,
                            "unknown regex flag '%s'; flags are i, m, s and x",
                            flt_snip(s + i, k ? k : 1, sn, sizeof sn));
        }
        flags |= f;
        i++;
    }
    t->type = TK_REGEX;
    t->rxflags = flags;
    t->len = i - t->pos;
    lx->at = i;
    return E_OK;
}

/* A word glued to a number or date ("3x", "2024-05-01abc") makes the whole thing invalid. */
static size_t glued_end(const flt_lexer *lx, size_t i)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    while (i < lx->n && (is_word(s[i]) || s[i] == '-' || s[i] == ':' || s[i] == '+'))
        i++;
    return i;
}

static err_code lex_number(flt_lexer *lx, flt_tok *t)
{
    const char *s = lx->src;
    size_t i = t->pos, nd = 0;
    if (s[i] == '-')
        i++;
    for (; i < lx->n && is_digit((unsigned char)s[i]); i++)
        nd++;
    if (i < lx->n && s[i] == '.')
        for (i++; i < lx->n && is_digit((unsigned char)s[i]); i++)
            nd++;
    bool ok = nd > 0;
    if (ok && i < lx->n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < lx->n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < lx->n && is_digit((unsigned char)s[j])) {
            while (j < lx->n && is_digit((unsigned char)s[j]))
                j++;
            i = j;
        } else {
            ok = false;
        }
    }
    if (!ok || (i < lx->n && is_word((unsigned char)s[i]))) {
        size_t end = glued_end(lx, i);
        char sn[FLT_SNIP];
        return flt_fail(lx->d, E_PARSE, t->pos, end - t->pos, "invalid number '%s'",
                        flt_snip(s + t->pos, end - t->pos, sn, sizeof sn));
    }
    t->len = i - t->pos;
    t->s = flt_arena_strndup(lx->arena, s + t->pos, t->len);
    if (!t->s)
        return nomem(lx);
    t->slen = t->len;
    /* strtod follows LC_NUMERIC; the literal was checked above to be C syntax, and the
     * program runs with the C numeric locale. */
    t->num = strtod(t->s, NULL);
    if (isinf(t->num))
        return flt_fail(lx->d, E_PARSE, t->pos, t->len, "number out of range");
    t->type = TK_NUM;
    lx->at = i;
    return E_OK;
}

static bool date_ahead(const flt_lexer *lx, size_t i)
{
    const char *s = lx->src;
    return i + 5 < lx->n && is_digit((unsigned char)s[i]) && is_digit((unsigned char)s[i + 1]) &&
           is_digit((unsigned char)s[i + 2]) && is_digit((unsigned char)s[i + 3]) &&
           s[i + 4] == '-' && is_digit((unsigned char)s[i + 5]);
}

static err_code lex_date(flt_lexer *lx, flt_tok *t)
{
    size_t used = 0;
    const char *why = NULL;
    bool ok = flt_parse_time(lx->src + t->pos, lx->n - t->pos, &used, &t->num, &t->is_day,
                             &why);
    size_t end = t->pos + used;
    if (ok && end < lx->n && is_word((unsigned char)lx->src[end])) {
        ok = false;
        why = "unexpected characters after it";
    }
    if (!ok) {
        size_t stop = glued_end(lx, t->pos);
        char sn[FLT_SNIP];
        return flt_fail(lx->d, E_PARSE, t->pos, stop - t->pos, "invalid date '%s': %s",
                        flt_snip(lx->src + t->pos, stop - t->pos, sn, sizeof sn), why);
    }
    t->type = TK_TIME;
    t->len = used;
    t->num_end = t->is_day ? t->num + FLT_DAY : t->num;
    lx->at = end;
    return E_OK;
}

/* One- and two-character operators; a lone & or | is reported with the right spelling. */
static err_code lex_operator(flt_lexer *lx, flt_tok *t, bool regex_ok)
{
    const char *s = lx->src;
    size_t i = t->pos;
    char c = s[i], c2 = '\0';
    if (i + 1 < lx->n)
        c2 = s[i + 1];
    flt_tok_type ty;
    size_t len = 1;
    switch (c) {
    case '(': ty = TK_LPAREN; break;
    case ')': ty = TK_RPAREN; break;
    case '{': ty = TK_LBRACE; break;
    case '}': ty = TK_RBRACE; break;
    case '[': ty = TK_LBRACKET; break;
    case ']': ty = TK_RBRACKET; break;
    case ',': ty = TK_COMMA; break;
    case '~': ty = TK_MATCH; break;
    case '=':
        ty = c2 == '~' ? TK_MATCH : TK_EQ; /* a single '=' is read as "==" */
        len = c2 == '~' || c2 == '=' ? 2 : 1;
        break;
    case '!':
        ty = c2 == '=' ? TK_NE : c2 == '~' ? TK_NMATCH : TK_NOT;
        len = c2 == '=' || c2 == '~' ? 2 : 1;
        break;
    case '<':
        ty = c2 == '=' ? TK_LE : c2 == '>' ? TK_NE : TK_LT;
        len = c2 == '=' || c2 == '>' ? 2 : 1;
        break;
    case '>':
        ty = c2 == '=' ? TK_GE : TK_GT;
        len = c2 == '=' ? 2 : 1;
        break;
    case '&':
        if (c2 != '&')
            return flt_fail(lx->d, E_PARSE, i, 1, "a single '&': write && (or and)");
        ty = TK_AND;
        len = 2;
        break;
    case '|':
        if (c2 != '|')
            return flt_fail(lx->d, E_PARSE, i, 1, "a single '|': write || (or or)");
        ty = TK_OR;
        len = 2;
        break;
    case '/':
        if (regex_ok)
            return lex_regex(lx, t);
        return flt_fail(lx->d, E_PARSE, i, 1, "'/' starts a regex only after =~ or !~");
    default: {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t k = flt_utf8_len(u, lx->n - i);
        char sn[FLT_SNIP];
        if (smart_quote_at(u, lx->n - i))
            return flt_fail(lx->d, E_PARSE, i, 3,
                            "typographic quote: use \" or ' around text values");
        if (c == '-')
            return flt_fail(lx->d, E_PARSE, i, 1,
                            "unexpected '-': a number follows '-' directly (-3); put "
                            "names with other symbols in backquotes");
        return flt_fail(lx->d, E_PARSE, i, k ? k : 1, "unexpected character '%s'",
                        flt_snip(s + i, k ? k : 1, sn, sizeof sn));
    }
    }
    t->type = ty;
    t->len = len;
    lx->at = i + len;
    return E_OK;
}

err_code flt_lex_next(flt_lexer *lx, flt_tok *t, bool regex_ok)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    size_t k;
    while (lx->at < lx->n && (k = space_at(s + lx->at, lx->n - lx->at)) > 0)
        lx->at += k;
    memset(t, 0, sizeof *t);
    t->pos = lx->at;
    if (lx->at >= lx->n) {
        t->type = TK_EOF;
        return E_OK;
    }
    unsigned char c = s[lx->at];
    size_t at = lx->at;
    if (c == '"' || c == '\'')
        return lex_string(lx, t);
    if (c == '`')
        return lex_qname(lx, t);
    if (date_ahead(lx, at))
        return lex_date(lx, t);
    size_t d = c == '-' ? at + 1 : at; /* first byte after an optional minus sign */
    if (d < lx->n && (is_digit(s[d]) || (s[d] == '.' && d + 1 < lx->n && is_digit(s[d + 1]))))
        return lex_number(lx, t);
    if ((is_alpha(c) || c >= 0x80) && !smart_quote_at(s + lx->at, lx->n - lx->at))
        return lex_name(lx, t);
    return lex_operator(lx, t, regex_ok);
}
