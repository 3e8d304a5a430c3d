/* jsonl: flat JSON objects, one per line (see jsonl.h). */
#include "jsonl.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cursor {
    const char *s;
    size_t len, i;
    char *out; /* decoded text is written here */
    size_t used;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\r'))
        c->i++;
}

static err_code fail(cursor *c, err *e, const char *why)
{
    return err_set(e, E_PARSE, "column %zu: %s", c->i + 1, why);
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char h = p[k];
        v <<= 4;
        if (h >= '0' && h <= '9')
            v |= h - '0';
        else if (h >= 'a' && h <= 'f')
            v |= h - 'a' + 10;
        else if (h >= 'A' && h <= 'F')
            v |= h - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static void put_utf8(cursor *c, uint32_t cp)
{
    char *o = c->out + c->used;
    if (cp < 0x80) {
        o[0] = (char)cp;
        c->used += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        c->used += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        c->used += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        c->used += 4;
    }
}

/* Decodes a string literal at c->i (the opening quote) into c->out; *at is its start. */
static err_code read_string(cursor *c, const char **at, err *e)
{
    c->i++; /* the quote */
    *at = c->out + c->used;
    while (c->i < c->len) {
        unsigned char ch = (unsigned char)c->s[c->i];
        if (ch == '"') {
            c->i++;
            c->out[c->used++] = '\0';
            return E_OK;
        }
        if (ch < 0x20)
            return fail(c, e, "control character inside a string");
        if (ch != '\\') {
            c->out[c->used++] = (char)ch;
            c->i++;
            continue;
        }
        if (++c->i >= c->len)
            break;
        char esc = c->s[c->i++];
        switch (esc) {
        case '"': case '\\': case '/':
            c->out[c->used++] = esc;
            break;
        case 'b': c->out[c->used++] = '\b'; break;
        case 'f': c->out[c->used++] = '\f'; break;
        case 'n': c->out[c->used++] = '\n'; break;
        case 'r': c->out[c->used++] = '\r'; break;
        case 't': c->out[c->used++] = '\t'; break;
        case 'u': {
            if (c->len - c->i < 4)
                return fail(c, e, "short \\u escape");
            int v = hex4(c->s + c->i);
            if (v < 0)
                return fail(c, e, "bad \\u escape");
            c->i += 4;
            uint32_t cp = (uint32_t)v;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* a surrogate pair */
                int lo = c->len - c->i >= 6 && c->s[c->i] == '\\' && c->s[c->i + 1] == 'u'
                             ? hex4(c->s + c->i + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(c, e, "unpaired surrogate in a \\u escape");
                c->i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return fail(c, e, "unpaired surrogate in a \\u escape");
            }
            if (cp == 0)
                return fail(c, e, "NUL in a string");
            put_utf8(c, cp);
            break;
        }
        default:
            return fail(c, e, "unknown escape");
        }
    }
    return fail(c, e, "unterminated string");
}

/* A number, true, false or null: copied as its text. */
static err_code read_scalar(cursor *c, const char **at, jl_kind *kind, err *e)
{
    size_t start = c->i;
    const char *s = c->s + start;
    size_t left = c->len - start;
    if (left >= 4 && memcmp(s, "null", 4) == 0) {
        *kind = JL_NULL;
        c->i += 4;
        *at = c->out + c->used;
        c->out[c->used++] = '\0';
        return E_OK;
    }
    if ((left >= 4 && memcmp(s, "true", 4) == 0) || (left >= 5 && memcmp(s, "false", 5) == 0)) {
        *kind = JL_BOOL;
        c->i += s[0] == 't' ? 4 : 5;
    } else {
        *kind = JL_NUMBER;
        size_t j = start;
        if (j < c->len && c->s[j] == '-')
            j++;
        size_t digits = 0;
        while (j < c->len && ((c->s[j] >= '0' && c->s[j] <= '9') || c->s[j] == '.' ||
                              c->s[j] == 'e' || c->s[j] == 'E' || c->s[j] == '+' ||
                              c->s[j] == '-')) {
            digits += c->s[j] >= '0' && c->s[j] <= '9';
            j++;
        }
        if (digits == 0)
            return fail(c, e, "expected a value");
        char *end;
        char tmp[64];
        size_t n = j - start < sizeof tmp - 1 ? j - start : sizeof tmp - 1;
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        strtod(tmp, &end);
        if (*end || j - start >= sizeof tmp)
            return fail(c, e, "malformed number");
        c->i = j;
    }
    *at = c->out + c->used;
    memcpy(c->out + c->used, s, c->i - start);
    c->used += c->i - start;
    c->out[c->used++] = '\0';
    return E_OK;
}

err_code jl_parse(jl_object *o, const char *s, size_t len, err *e)
{
    memset(o, 0, sizeof *o);
    /* Decoding never grows the text, plus one NUL per key and value. */
    o->buf = malloc(len + 2 * JL_MAX_FIELDS + 2);
    if (!o->buf)
        return err_set(e, E_NOMEM, "out of memory reading a journal line");
    cursor c = {s, len, 0, o->buf, 0};
    skip_ws(&c);
    if (c.i >= len || s[c.i] != '{')
        return fail(&c, e, "expected '{'");
    c.i++;
    skip_ws(&c);
    if (c.i < len && s[c.i] == '}') {
        c.i++;
    } else {
        for (;;) {
            skip_ws(&c);
            if (c.i >= len || s[c.i] != '"')
                return fail(&c, e, "expected a member name");
            if (o->n == JL_MAX_FIELDS)
                return fail(&c, e, "too many members");
            jl_field *f = &o->f[o->n];
            err_code rc = read_string(&c, &f->key, e);
            if (rc)
                return rc;
            for (size_t k = 0; k < o->n; k++)
                if (strcmp(o->f[k].key, f->key) == 0)
                    return fail(&c, e, "duplicate member");
            skip_ws(&c);
            if (c.i >= len || s[c.i] != ':')
                return fail(&c, e, "expected ':'");
            c.i++;
            skip_ws(&c);
            if (c.i >= len)
                return fail(&c, e, "expected a value");
            if (s[c.i] == '"') {
                f->kind = JL_STRING;
                rc = read_string(&c, &f->value, e);
            } else if (s[c.i] == '{' || s[c.i] == '[') {
                return fail(&c, e, "nested values are not part of a journal line");
            } else {
                rc = read_scalar(&c, &f->value, &f->kind, e);
            }
            if (rc)
                return rc;
            o->n++;
            skip_ws(&c);
            if (c.i < len && s[c.i] == ',') {
                c.i++;
                continue;
            }
            if (c.i < len && s[c.i] == '}') {
                c.i++;
                break;
            }
            return fail(&c, e, "expected ',' or '}'");
        }
    }
    skip_ws(&c);
    if (c.i != len)
        return fail(&c, e, "text after the object");
    return E_OK;
}

void jl_done(jl_object *o)
{
    free(o->buf);
    o->buf = NULL;
    o->n = 0;
}

const jl_field *jl_get(const jl_object *o, const char *key)
{
    for (size_t k = 0; k < o->n; k++)
        if (strcmp(o->f[k].key, key) == 0)
            return &o->f[k];
    return NULL;
}

err_code jl_put_string(strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    err_code rc = sb_append(sb, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; rc == E_OK && *p; p++) {
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (*p) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            if (*p < 0x20) {
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[*p >> 4];
                esc[5] = hex[*p & 15];
                n = 6;
            } else {
                n = 0;
            }
        }
        rc = n ? sb_append(sb, esc, n) : sb_append(sb, (const char *)p, 1);
    }
    if (rc == E_OK)
        rc = sb_append(sb, "\"", 1);
    return rc;
}
