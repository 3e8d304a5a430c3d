/* Recursive-descent JSON reader for the tests. Strict: no comments, no trailing commas, no
 * NaN/Infinity (a program that writes those has written invalid JSON, which a test should
 * notice). Depth is bounded so hostile input cannot exhaust the stack. */
#include "json_mini.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JM_MAX_DEPTH 256

typedef struct {
    const char *s;
    size_t len, pos;
    char *err;
    size_t errlen;
    int failed;
} jm_parser;

static void jm_fail(jm_parser *p, const char *why)
{
    if (!p->failed && p->err && p->errlen)
        snprintf(p->err, p->errlen, "offset %zu: %s", p->pos, why);
    p->failed = 1;
}

static void jm_skip_ws(jm_parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static jm_node *jm_new(jm_type t)
{
    jm_node *n = calloc(1, sizeof *n);
    if (n)
        n->type = t;
    return n;
}

void jm_free(jm_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->len && (n->type == JM_ARR || n->type == JM_OBJ); i++) {
        jm_free(n->items[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->str);
    free(n);
}

/* Growable byte buffer for strings. */
typedef struct {
    char *b;
    size_t n, cap;
} jm_buf;

static int jm_buf_put(jm_buf *b, const char *src, size_t k)
{
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (b->n + k + 1 > cap)
            cap *= 2;
        char *nb = realloc(b->b, cap);
        if (!nb)
            return -1;
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->n, src, k);
    b->n += k;
    b->b[b->n] = '\0';
    return 0;
}

static int jm_hex4(jm_parser *p, unsigned *out)
{
    if (p->len - p->pos < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[p->pos + (size_t)i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    p->pos += 4;
    *out = v;
    return 0;
}

static int jm_put_utf8(jm_buf *b, unsigned cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    return jm_buf_put(b, u, k);
}

/* Parses a string starting at the opening quote; returns the owned bytes and their length. */
static char *jm_string(jm_parser *p, size_t *outlen)
{
    jm_buf b = {0};
    if (jm_buf_put(&b, "", 0) != 0)
        goto oom;
    p->pos++; /* opening quote */
    for (;;) {
        if (p->pos >= p->len) {
            jm_fail(p, "unterminated string");
            goto bad;
        }
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20) {
            jm_fail(p, "control character in string");
            goto bad;
        }
        if (c != '\\') {
            size_t start = p->pos;
            while (p->pos < p->len && p->s[p->pos] != '"' && p->s[p->pos] != '\\' &&
                   (unsigned char)p->s[p->pos] >= 0x20)
                p->pos++;
            if (jm_buf_put(&b, p->s + start, p->pos - start) != 0)
                goto oom;
            continue;
        }
        p->pos++;
        if (p->pos >= p->len) {
            jm_fail(p, "unterminated escape");
            goto bad;
        }
        char e = p->s[p->pos++];
        const char *rep = NULL;
        switch (e) {
        case '"': rep = "\""; break;
        case '\\': rep = "\\"; break;
        case '/': rep = "/"; break;
        case 'b': rep = "\b"; break;
        case 'f': rep = "\f"; break;
        case 'n': rep = "\n"; break;
        case 'r': rep = "\r"; break;
        case 't': rep = "\t"; break;
        case 'u': {
            unsigned cp;
            if (jm_hex4(p, &cp) != 0) {
                jm_fail(p, "bad \\u escape");
                goto bad;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
                    jm_fail(p, "lone high surrogate");
                    goto bad;
                }
                p->pos += 2;
                if (jm_hex4(p, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
                    jm_fail(p, "bad low surrogate");
                    goto bad;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                jm_fail(p, "lone low surrogate");
                goto bad;
            }
            if (jm_put_utf8(&b, cp) != 0)
                goto oom;
            continue;
        }
        default:
            jm_fail(p, "bad escape");
            goto bad;
        }
        if (jm_buf_put(&b, rep, 1) != 0)
            goto oom;
    }
    *outlen = b.n;
    return b.b;
oom:
    jm_fail(p, "out of memory");
bad:
    free(b.b);
    return NULL;
}

static jm_node *jm_value(jm_parser *p, int depth);

static int jm_push(jm_node *n, size_t *cap, jm_node *child, char *key)
{
    if (n->len == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        jm_node **ni = realloc(n->items, nc * sizeof *ni);
        if (!ni)
            return -1;
        n->items = ni;
        if (n->type == JM_OBJ) {
            char **nk = realloc(n->keys, nc * sizeof *nk);
            if (!nk)
                return -1;
            n->keys = nk;
        }
        *cap = nc;
    }
    n->items[n->len] = child;
    if (n->type == JM_OBJ)
        n->keys[n->len] = key;
    n->len++;
    return 0;
}

static jm_node *jm_container(jm_parser *p, int depth, jm_type t)
{
    char close = t == JM_ARR ? ']' : '}';
    jm_node *n = jm_new(t);
    size_t cap = 0;
    if (!n) {
        jm_fail(p, "out of memory");
        return NULL;
    }
    p->pos++; /* [ or { */
    jm_skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        return n;
    }
    for (;;) {
        char *key = NULL;
        jm_skip_ws(p);
        if (t == JM_OBJ) {
            size_t klen;
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                jm_fail(p, "expected a key");
                goto bad;
            }
            key = jm_string(p, &klen);
            if (!key)
                goto bad;
            jm_skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':') {
                free(key);
                jm_fail(p, "expected ':'");
                goto bad;
            }
            p->pos++;
        }
        jm_node *child = jm_value(p, depth + 1);
        if (!child) {
            free(key);
            goto bad;
        }
        if (jm_push(n, &cap, child, key) != 0) {
            jm_free(child);
            free(key);
            jm_fail(p, "out of memory");
            goto bad;
        }
        jm_skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == close) {
            p->pos++;
            return n;
        }
        jm_fail(p, t == JM_ARR ? "expected ',' or ']'" : "expected ',' or '}'");
        goto bad;
    }
bad:
    jm_free(n);
    return NULL;
}

static jm_node *jm_number(jm_parser *p)
{
    size_t start = p->pos, i = p->pos;
    const char *s = p->s;
    if (i < p->len && s[i] == '-')
        i++;
    if (i < p->len && s[i] == '0')
        i++;
    else if (i < p->len && s[i] >= '1' && s[i] <= '9')
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
    else {
        jm_fail(p, "bad number");
        return NULL;
    }
    if (i < p->len && s[i] == '.') {
        i++;
        if (i >= p->len || s[i] < '0' || s[i] > '9') {
            p->pos = i;
            jm_fail(p, "bad fraction");
            return NULL;
        }
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < p->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= p->len || s[i] < '0' || s[i] > '9') {
            p->pos = i;
            jm_fail(p, "bad exponent");
            return NULL;
        }
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    /* strtod needs a terminated copy: the input is not necessarily NUL-terminated here. The
     * grammar above admits only '.' as a decimal point, and the tests run in the C locale. */
    size_t k = i - start;
    char small[64];
    char *tmp = k < sizeof small ? small : malloc(k + 1);
    if (!tmp) {
        jm_fail(p, "out of memory");
        return NULL;
    }
    memcpy(tmp, s + start, k);
    tmp[k] = '\0';
    jm_node *n = jm_new(JM_NUM);
    if (n)
        n->num = strtod(tmp, NULL);
    else
        jm_fail(p, "out of memory");
    if (tmp != small)
        free(tmp);
    p->pos = i;
    return n;
}

static int jm_word(jm_parser *p, const char *w)
{
    size_t k = strlen(w);
    if (p->len - p->pos >= k && memcmp(p->s + p->pos, w, k) == 0) {
        p->pos += k;
        return 1;
    }
    return 0;
}

static jm_node *jm_value(jm_parser *p, int depth)
{
    if (depth > JM_MAX_DEPTH) {
        jm_fail(p, "nesting too deep");
        return NULL;
    }
    jm_skip_ws(p);
    if (p->pos >= p->len) {
        jm_fail(p, "unexpected end");
        return NULL;
    }
    char c = p->s[p->pos];
    if (c == '{')
        return jm_container(p, depth, JM_OBJ);
    if (c == '[')
        return jm_container(p, depth, JM_ARR);
    if (c == '"') {
        size_t len;
        char *str = jm_string(p, &len);
        if (!str)
            return NULL;
        jm_node *n = jm_new(JM_STR);
        if (!n) {
            free(str);
            jm_fail(p, "out of memory");
            return NULL;
        }
        n->str = str;
        n->len = len;
        return n;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return jm_number(p);
    jm_node *n = NULL;
    if (jm_word(p, "true")) {
        n = jm_new(JM_BOOL);
        if (n)
            n->boolean = 1;
    } else if (jm_word(p, "false")) {
        n = jm_new(JM_BOOL);
    } else if (jm_word(p, "null")) {
        n = jm_new(JM_NULL);
    } else {
        jm_fail(p, "unexpected character");
        return NULL;
    }
    if (!n)
        jm_fail(p, "out of memory");
    return n;
}

jm_node *jm_parse(const char *text, size_t len, char *err, size_t errlen)
{
    jm_parser p = {text, len, 0, err, errlen, 0};
    if (err && errlen)
        err[0] = '\0';
    if (!text) {
        jm_fail(&p, "no text");
        return NULL;
    }
    jm_node *root = jm_value(&p, 0);
    if (!root)
        return NULL;
    jm_skip_ws(&p);
    if (p.pos != p.len) {
        jm_fail(&p, "trailing characters");
        jm_free(root);
        return NULL;
    }
    return root;
}

const jm_node *jm_get(const jm_node *obj, const char *key)
{
    if (!obj || obj->type != JM_OBJ || !key)
        return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}

const jm_node *jm_at(const jm_node *arr, size_t i)
{
    if (!arr || arr->type != JM_ARR || i >= arr->len)
        return NULL;
    return arr->items[i];
}

const jm_node *jm_path(const jm_node *root, const char *path)
{
    const jm_node *n = root;
    const char *s = path;
    while (n && s && *s) {
        if (*s == '.') {
            s++;
            continue;
        }
        if (*s == '[') {
            char *end;
            unsigned long long i = strtoull(s + 1, &end, 10);
            if (end == s + 1 || *end != ']')
                return NULL;
            n = jm_at(n, (size_t)i);
            s = end + 1;
            continue;
        }
        size_t k = strcspn(s, ".[");
        if (!n || n->type != JM_OBJ)
            return NULL;
        const jm_node *next = NULL;
        for (size_t i = 0; i < n->len; i++)
            if (strlen(n->keys[i]) == k && memcmp(n->keys[i], s, k) == 0) {
                next = n->items[i];
                break;
            }
        n = next;
        s += k;
    }
    return n;
}

size_t jm_len(const jm_node *n)
{
    return n && (n->type == JM_ARR || n->type == JM_OBJ) ? n->len : 0;
}

double jm_num(const jm_node *n)
{
    return n && n->type == JM_NUM ? n->num : NAN;
}

const char *jm_str(const jm_node *n)
{
    return n && n->type == JM_STR ? n->str : NULL;
}

int jm_is_true(const jm_node *n)
{
    if (!n)
        return 0;
    if (n->type == JM_BOOL)
        return n->boolean;
    if (n->type == JM_NUM)
        return n->num != 0;
    return 0;
}

const jm_node *jm_find(const jm_node *arr, const char *key, const char *val)
{
    for (size_t i = 0; i < jm_len(arr); i++) {
        const char *s = jm_str(jm_get(jm_at(arr, i), key));
        if (s && strcmp(s, val) == 0)
            return jm_at(arr, i);
    }
    return NULL;
}
