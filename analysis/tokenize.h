/* tokenize: splits UTF-8 text into lower-cased words for clustering and keywords.
 * A token is a run of Unicode letters and digits (with the combining marks that follow them),
 * found by PCRE2's Unicode properties, so accented, Greek, Cyrillic, CJK ... words stay whole
 * (a run of CJK without spaces becomes one token). Punctuation, symbols, spaces, emoji and
 * invalid UTF-8 separate tokens.
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

/* The compiled token pattern and its match scratch: one per thread. */
typedef struct tok_scanner tok_scanner;

/* Errors: E_NOMEM, E_REGEX (PCRE2 without Unicode support). Owned by the caller
 * (tok_scanner_free). */
err_code tok_scanner_new(tok_scanner **out, err *e);
void tok_scanner_free(tok_scanner *sc);

/* Finds the next token of s[0..len) at or after *pos (a character boundary), writes it folded
 * into buf with a NUL after it, advances *pos past it and returns its length in bytes; returns
 * 0 (and sets *pos to len) when no token is left. s need not be NUL-terminated. */
size_t tok_next(tok_scanner *sc, const char *s, size_t len, size_t *pos, char buf[TOK_MAX + 1]);

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
/* The English stop-word list compiled into the binary (analysis/stopwords_en.txt). */
err_code tok_stop_english(tok_stop **out, err *e);
/* Number of distinct stop words. */
size_t tok_stop_count(const tok_stop *s);

#endif
