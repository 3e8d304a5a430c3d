/* jsonl: the flat JSON objects of one-object-per-line files (the tag journal): writing
 * strings with escapes, and reading one line's object of string, number, boolean and null
 * members. Nested objects and arrays are refused: a journal line never has them, so one is
 * a sign of a corrupt or foreign line. */
#ifndef SRC_JSONL_H
#define SRC_JSONL_H

#include <stddef.h>

#include "err.h"
#include "strbuf.h"

#define JL_MAX_FIELDS 24

typedef enum { JL_STRING, JL_NUMBER, JL_BOOL, JL_NULL } jl_kind;

typedef struct jl_field {
    const char *key;   /* NUL-terminated, decoded; points into the jl_object's buffer */
    const char *value; /* decoded string, or the number's / boolean's text; "" for null */
    jl_kind kind;
} jl_field;

typedef struct jl_object {
    jl_field f[JL_MAX_FIELDS];
    size_t n;
    char *buf; /* owned; the decoded keys and values */
} jl_object;

/* Parses s[0..len) (one line, without its line break) as a flat JSON object. E_PARSE with
 * "column N: reason" (1-based byte column) on anything else, including more than
 * JL_MAX_FIELDS members, a duplicate key, invalid UTF-8 escapes, or trailing text; E_NOMEM.
 * On success free with jl_done (also safe after a failure). */
err_code jl_parse(jl_object *o, const char *s, size_t len, err *e);
void jl_done(jl_object *o);
/* The value of a member, or NULL when absent. */
const jl_field *jl_get(const jl_object *o, const char *key);

/* Appends s as a JSON string literal (quotes included): ", \ and control characters are
 * escaped, other bytes (UTF-8) copied. E_NOMEM. */
err_code jl_put_string(strbuf *sb, const char *s);

#endif
