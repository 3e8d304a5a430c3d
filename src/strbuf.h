/* strbuf: a growable, always NUL-terminated byte string.
 * Held by value: sb_init / sb_done. The buffer is owned by the strbuf. */
#ifndef SRC_STRBUF_H
#define SRC_STRBUF_H

#include <stddef.h>

#include "err.h"

typedef struct strbuf {
    char *s;    /* owned; NULL until the first append; always NUL-terminated after one */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} strbuf;

void sb_init(strbuf *b);
void sb_done(strbuf *b);
void sb_clear(strbuf *b);
/* Appends; on allocation failure returns E_NOMEM and leaves b as it was. */
err_code sb_append(strbuf *b, const char *s, size_t len);
err_code sb_puts(strbuf *b, const char *s);
err_code sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The content, "" when empty (never NULL). */
const char *sb_str(const strbuf *b);
/* Hands the buffer to the caller (who frees it) and resets b. Never NULL on E_OK. */
char *sb_take(strbuf *b);

#endif
