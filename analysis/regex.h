/* regex: a thin wrapper over PCRE2 (8-bit), the only place that includes pcre2.h.
 * Patterns are compiled as UTF-8 with Unicode properties (so \w, \b and caseless matching
 * work on accented text) and PCRE2_MATCH_INVALID_UTF, so that a subject with broken UTF-8
 * is matched as far as it is valid instead of failing with a UTF error. The JIT is used
 * when PCRE2 has it; otherwise, or if JIT compilation fails, the interpreter runs instead.
 *
 * A compiled rx is immutable and may be matched from several threads at once. Matching
 * needs scratch space (PCRE2 match data and a JIT stack) that belongs to one thread: an
 * rx_md, made once per loop or per thread. rx_match and rx_first_match also accept a NULL
 * rx_md and then allocate the scratch for that one call, which is fine for a handful of
 * matches (the case detail view) but not for a loop over a column. */
#ifndef ANALYSIS_REGEX_H
#define ANALYSIS_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Pattern flags, as written after a /regex/. */
#define RX_CASELESS 1u  /* i */
#define RX_MULTILINE 2u /* m: ^ and $ match at line breaks */
#define RX_DOTALL 4u    /* s: . matches a line break */
#define RX_EXTENDED 8u  /* x: white space and # comments in the pattern are ignored */

typedef struct rx rx;       /* a compiled pattern */
typedef struct rx_md rx_md; /* per-thread match scratch for one rx */

/* Compiles pattern[0..len) (need not be NUL-terminated) with RX_* flags. On error returns
 * E_REGEX with "regex error at offset N: <PCRE2 message>", N being the byte offset in the
 * pattern, which is also stored in *erroff when erroff is non-NULL (E_NOMEM leaves it 0).
 * *out is owned by the caller (rx_free). */
err_code rx_compile(rx **out, const char *pattern, size_t len, unsigned flags, err *e,
                    size_t *erroff);
void rx_free(rx *re);

/* Whether the JIT compiled this pattern (otherwise the interpreter runs it). */
bool rx_is_jit(const rx *re);
/* The pattern as given (NUL-terminated copy, owned by re) and its flags. */
const char *rx_pattern(const rx *re);
unsigned rx_flags(const rx *re);
/* Parses a flag letter (i, m, s, x) into its RX_* bit; 0 when the letter is not a flag. */
unsigned rx_flag_of(char c);

/* Scratch for matching re from one thread. Owned by the caller (rx_md_free); it must not
 * outlive re. */
err_code rx_md_new(rx_md **out, const rx *re, err *e);
void rx_md_free(rx_md *md);

/* Matches s[0..len) (need not be NUL-terminated). Returns 1 on a match, 0 on none, or a
 * negative PCRE2 error (for example when the pattern backtracks past PCRE2's match limit,
 * or PCRE2_ERROR_NOMEMORY); rx_error_text turns it into a message. rx_match allocates its
 * scratch per call; rx_match_md uses md, which must have been made for re. */
int rx_match(const rx *re, const char *s, size_t len);
int rx_match_md(const rx *re, rx_md *md, const char *s, size_t len);
/* The same, also giving the first match as a byte offset and length in s (length 0 for an
 * empty match), for highlighting. md may be NULL (scratch allocated for the call). *off and
 * *mlen are set only when 1 is returned. */
int rx_first_match(const rx *re, rx_md *md, const char *s, size_t len, size_t *off,
                   size_t *mlen);
/* Writes the message of a negative rx_match result into buf (NUL-terminated). */
void rx_error_text(int rc, char *buf, size_t size);

#endif
