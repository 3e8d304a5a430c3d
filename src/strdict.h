/* strdict: interns byte strings as dense uint32 codes (0, 1, 2, ... in first-seen order).
 * The strings live in one arena, NUL-terminated, so sd_str() pointers stay valid until the
 * dictionary is freed (the arena grows by chunks and never moves a stored string).
 * Used for categorical columns, the class list, and text columns (identical texts are stored
 * once). Not thread-safe: each loader thread interns into its own dictionary. */
#ifndef SRC_STRDICT_H
#define SRC_STRDICT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CODE_NA UINT32_MAX /* "no code": a missing cell, or a string not in the dictionary */

typedef struct strdict strdict;

err_code sd_new(strdict **out, err *e);
void sd_free(strdict *d);

/* Returns the code of s[0..len), adding it when new. s need not be NUL-terminated. */
err_code sd_intern(strdict *d, const char *s, size_t len, uint32_t *code, err *e);
/* The hash sd_intern uses, and sd_intern with it computed beforehand. */
uint32_t sd_hash(const char *s, size_t len);
err_code sd_intern_hashed(strdict *d, const char *s, size_t len, uint32_t hash, uint32_t *code,
                          err *e);
/* Asks the CPU to fetch the index slot of hash: a caller that knows a string before it
 * interns it can hide the cache miss of a large dictionary behind other work. */
void sd_prefetch(const strdict *d, uint32_t hash);
/* The code of s, or CODE_NA when absent. */
uint32_t sd_find(const strdict *d, const char *s, size_t len);
uint32_t sd_count(const strdict *d);
/* The string of a code (< sd_count); NUL-terminated; borrowed from the dictionary. */
const char *sd_str(const strdict *d, uint32_t code);
size_t sd_len(const strdict *d, uint32_t code);
/* Total bytes of string data held (for memory figures). */
size_t sd_bytes(const strdict *d);
/* Frees the hash index once no more strings will be interned (sd_intern rebuilds it on
 * demand, hashing every string again; sd_find then compares linearly). Saves memory for
 * large text columns. */
void sd_drop_index(strdict *d);
/* Builds the hash index if it was dropped (sd_drop_index, sd_absorb). E_NOMEM only. */
err_code sd_build_index(strdict *d, err *e);
/* Moves every string of src into dst and frees src (in all cases, also on error). remap
 * (sd_count(src) entries, caller-allocated) receives the dst code of each src code. The
 * strings are not copied: src's arena becomes part of dst's, so a string both held is kept
 * twice in memory but has one code. When src brings new strings, dst's index is dropped
 * (call sd_build_index for fast sd_find). Errors: E_NOMEM, E_RANGE (too many codes); dst
 * stays valid (possibly with part of src's strings) and must still be freed by its owner. */
err_code sd_absorb(strdict *dst, strdict *src, uint32_t *remap, err *e);
/* Fills order[0..count) with the codes sorted by byte order of their strings (memcmp, shorter
 * first on a common prefix). E_NOMEM only. */
err_code sd_sorted_codes(const strdict *d, uint32_t *order);

#endif
