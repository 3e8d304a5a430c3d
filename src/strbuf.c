#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
}

void sb_done(strbuf *b)
{
    free(b->s);
    sb_init(b);
}

void sb_clear(strbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

static err_code sb_reserve(strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return E_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s)
        return E_NOMEM;
    b->s = s;
    b->cap = cap;
    return E_OK;
}

err_code sb_append(strbuf *b, const char *s, size_t len)
{
    if (sb_reserve(b, len) != E_OK)
        return E_NOMEM;
    if (len)
        memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
    return E_OK;
}

err_code sb_puts(strbuf *b, const char *s)
{
    return sb_append(b, s, strlen(s));
}

err_code sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return E_RANGE;
    if (sb_reserve(b, (size_t)n) != E_OK)
        return E_NOMEM;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return E_OK;
}

const char *sb_str(const strbuf *b)
{
    return b->s ? b->s : "";
}

char *sb_take(strbuf *b)
{
    if (!b->s && sb_reserve(b, 0) != E_OK)
        return NULL;
    if (b->len == 0)
        b->s[0] = '\0';
    char *s = b->s;
    sb_init(b);
    return s;
}
