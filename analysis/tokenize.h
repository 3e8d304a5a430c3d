/* tokenize: splits UTF-8 text into lower-cased words for clustering and keywords.
 * A token is a maximal run of word characters: ASCII letters and digits, and every non-ASCII
 * code point that is not a known separator (punctuation, symbols, spaces, emoji, private
 * use; see the table in tokenize.c). Classifying non-ASCII by exclusion keeps accented,
 * Greek, Cyrillic, CJK ... words whole without a full Unicode database; a run of CJK without
 * spaces therefore becomes one token. Invalid UTF-8 bytes separate tokens.
 * Lower-casing: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals; other letters
 * are kept as they are. Folding never makes a token longer in bytes.
 * The tokeniser is a pure function of its input (no locale), so results are reproducible. */
#ifndef ANALYSIS_TOKENIZE_H
#define ANALYSIS_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Longest token kept, in bytes after folding. Longer runs (hashes, base64, URLs without
 * punctuation) are skipped whole: they are almost never shared words, and cutting them would
 * invent shared prefixes. */
#define TOK_MAX 64

/* Finds the next token of s[0..len) at or after *pos, writes it folded into buf with a NUL
 * after it, advances *pos past it and returns its length in bytes; returns 0 (and sets *pos
 * to len) when no token is left. s need not be NUL-terminated. */
size_t tok_next(const char *s, size_t len, size_t *pos, char buf[TOK_MAX + 1]);

/* A set of stop words. */
typedef struct tok_stop tok_stop;

/* Builds a stop-word set from text[0..len): one word per line, blank lines and lines whose
 * first non-blank character is '#' ignored. Each line goes through tok_next and every token
 * it yields is stored, so the set is in the tokeniser's own form whatever the file's case or
 * punctuation. Taking text rather than a path lets the list be embedded in the binary.
 * Errors: E_NOMEM. *out is owned by the caller (tok_stop_free). */
err_code tok_stop_new(tok_stop **out, const char *text, size_t len, err *e);
void tok_stop_free(tok_stop *s);
/* Whether tok[0..len) (a folded token, as tok_next returns) is a stop word. NULL set: never. */
bool tok_stop_has(const tok_stop *s, const char *tok, size_t len);
/* Number of distinct stop words. */
size_t tok_stop_count(const tok_stop *s);

#endif
