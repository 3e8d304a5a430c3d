/* Filter text for people: error messages with a caret, and quoting of names and strings so
 * that generated filters (the UI's dive) parse back to what was meant. */
#include "filter_int.h"

#include <string.h>

/* Appends to buf[0..size) at *o, always leaving room for the final NUL; counts what the
 * whole output would need in *need. */
typedef struct out {
    char *buf;
    size_t size, o, need;
} out;

static void put(out *w, const char *s, size_t len)
{
    w->need += len;
    if (w->size == 0 || w->o >= w->size - 1)
        return;
    size_t room = w->size - 1 - w->o;
    size_t k = len < room ? len : room;
    memcpy(w->buf + w->o, s, k);
    w->o += k;
}

static void put_c(out *w, char c)
{
    put(w, &c, 1);
}

static void finish(out *w)
{
    if (w->size)
        w->buf[w->o] = '\0';
}

/* Writes expr[from..to) for a terminal: control characters become spaces and broken UTF-8
 * '?', so that each character is one column. Returns the columns written. */
static size_t put_display(out *w, const char *expr, size_t from, size_t to, bool write)
{
    const unsigned char *s = (const unsigned char *)expr;
    size_t cols = 0;
    for (size_t i = from; i < to;) {
        size_t k = flt_utf8_len(s + i, to - i);
        if (k == 0) {
            if (write)
                put_c(w, '?');
            i++;
        } else if (k == 1 && (s[i] < 0x20 || s[i] == 0x7F)) {
            if (write)
                put_c(w, ' ');
            i++;
        } else {
            if (write)
                put(w, expr + i, k);
            i += k;
        }
        cols++;
    }
    return cols;
}

void flt_format_error(const char *expr, const err *e, const flt_error *where, char *buf,
                      size_t size)
{
    out w = {buf, size, 0, 0};
    if (!expr)
        expr = "";
    size_t n = strlen(expr);
    put_display(&w, expr, 0, n, true);
    put_c(&w, '\n');
    if (where) {
        size_t pos = where->pos < n ? where->pos : n;
        size_t len = where->len < n - pos ? where->len : n - pos;
        size_t col = put_display(&w, expr, 0, pos, false);
        size_t width = put_display(&w, expr, pos, pos + len, false);
        for (size_t i = 0; i < col; i++)
            put_c(&w, ' ');
        for (size_t i = 0; i < (width ? width : 1); i++)
            put_c(&w, '^');
        put_c(&w, ' ');
    }
    if (e)
        put(&w, e->msg, strlen(e->msg));
    finish(&w);
}

size_t flt_quote_name(const char *name, char *buf, size_t size)
{
    out w = {buf, size, 0, 0};
    size_t n = strlen(name);
    if (flt_is_plain_name(name, n)) {
        put(&w, name, n);
    } else {
        put_c(&w, '`');
        for (size_t i = 0; i < n; i++) {
            if (name[i] == '`')
                put_c(&w, '`');
            put_c(&w, name[i]);
        }
        put_c(&w, '`');
    }
    finish(&w);
    return w.need;
}

size_t flt_quote_string(const char *s, char *buf, size_t size)
{
    static const char hexd[] = "0123456789abcdef";
    out w = {buf, size, 0, 0};
    put_c(&w, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            put(&w, "\\\"", 2);
            break;
        case '\\':
            put(&w, "\\\\", 2);
            break;
        case '\n':
            put(&w, "\\n", 2);
            break;
        case '\t':
            put(&w, "\\t", 2);
            break;
        case '\r':
            put(&w, "\\r", 2);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F) {
                char esc[4] = {'\\', 'x', hexd[*p >> 4], hexd[*p & 15]};
                put(&w, esc, 4);
            } else {
                put_c(&w, (char)*p);
            }
        }
    }
    put_c(&w, '"');
    finish(&w);
    return w.need;
}
