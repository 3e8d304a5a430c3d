/* Arena and diagnostics for the filter compiler. */
#include "filter_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct flt_block {
    flt_block *next; /* owned */
    size_t used, cap;
    max_align_t data[]; /* max_align_t keeps every allocation aligned for doubles */
};

/* Filters are small: one 4 KiB block holds a typical one, and big sets get a block of
 * their own. */
#define FLT_BLOCK_MIN 4096u

void *flt_arena_alloc(flt_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    flt_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > FLT_BLOCK_MIN ? size : FLT_BLOCK_MIN;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *flt_arena_strndup(flt_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = flt_arena_alloc(a, len + 1);
    if (p && len)
        memcpy(p, s, len);
    return p;
}

void flt_arena_done(flt_arena *a)
{
    for (flt_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

void flt_vfail(flt_diag *d, err_code code, size_t pos, size_t len, const char *fmt,
               va_list ap)
{
    if (pos > d->srclen)
        pos = d->srclen;
    if (len > d->srclen - pos)
        len = d->srclen - pos;
    d->where->pos = pos;
    d->where->len = len;
    char msg[sizeof(((err *)0)->msg)];
    vsnprintf(msg, sizeof msg, fmt, ap);
    err_set(d->e, code, "%s", msg);
}

size_t flt_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    unsigned cp = c & (0x7Fu >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    /* overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8 */
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return need;
}

const char *flt_snip(const char *s, size_t len, char *buf, size_t size)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, chars = 0;
    if (size == 0)
        return buf;
    for (size_t i = 0; i < len;) {
        if (chars == 40) {
            if (o + 4 <= size) {
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        size_t k = flt_utf8_len(u + i, len - i);
        if (k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7F))) {
            if (o + 2 > size)
                break;
            buf[o++] = '?';
            i++;
        } else {
            if (o + k + 1 > size)
                break;
            memcpy(buf + o, u + i, k);
            o += k;
            i += k;
        }
        chars++;
    }
    buf[o] = '\0';
    return buf;
}
