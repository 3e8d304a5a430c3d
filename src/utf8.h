/* utf8: validation of byte strings as UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF). A NUL byte is refused as well: it cannot be shown and would cut
 * the NUL-terminated copies the rest of the program uses. */
#ifndef SRC_UTF8_H
#define SRC_UTF8_H

#include <stddef.h>

/* Offset of the first byte that is not valid UTF-8 (or is NUL), or len when all are. */
size_t u8_check(const char *s, size_t len);

/* The largest n <= max such that s[0..n) ends on a character boundary (s valid UTF-8). */
size_t u8_prefix(const char *s, size_t len, size_t max);

#endif
