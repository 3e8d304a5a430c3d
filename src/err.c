#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

err_code err_set(err *e, err_code code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void err_prefix(err *e, const char *fmt, ...)
{
    if (!e)
        return;
    char head[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    char old[sizeof e->msg];
    memcpy(old, e->msg, sizeof old);
    old[sizeof old - 1] = '\0';
    /* Assembled by hand: snprintf("%s: %s") into the same-sized buffer trips GCC's
     * -Wformat-truncation at -O3, and cutting the message short is fine here. */
    size_t room = sizeof e->msg - 1, n = strlen(head);
    if (n > room)
        n = room;
    memcpy(e->msg, head, n);
    if (n + 2 <= room) {
        memcpy(e->msg + n, ": ", 2);
        n += 2;
    }
    size_t len = strlen(old);
    if (len > room - n)
        len = room - n;
    memcpy(e->msg + n, old, len);
    e->msg[n + len] = '\0';
}

const char *err_name(err_code code)
{
    static const char *const names[] = {"ok",    "out of memory", "i/o",     "parse",
                                        "regex", "type",          "range",   "numeric",
                                        "usage", "cancelled"};
    if ((unsigned)code < sizeof names / sizeof names[0])
        return names[code];
    return "unknown";
}
