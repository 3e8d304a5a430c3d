/* err: error codes and messages returned by every fallible function.
 * A function that can fail returns an err_code and, when given a non-NULL err *,
 * fills it with a message written for the user (what went wrong and where).
 * Library code never prints and never exits; only main decides. */
#ifndef SRC_ERR_H
#define SRC_ERR_H

typedef enum {
    E_OK = 0,
    E_NOMEM,   /* out of memory */
    E_IO,      /* cannot open, read or write a file */
    E_PARSE,   /* malformed input (CSV, filter, config) */
    E_REGEX,   /* a regular expression does not compile */
    E_TYPE,    /* a value or column of the wrong type */
    E_RANGE,   /* a value out of its allowed range */
    E_NUMERIC, /* a numerical routine failed */
    E_USAGE,   /* the caller asked for something inconsistent (bad flag, ambiguous role) */
    E_CANCEL   /* cancelled through a progress callback */
} err_code;

typedef struct err {
    err_code code;
    char msg[512];
} err;

/* Sets e (when non-NULL) and returns code, so that `return err_set(e, E_IO, ...)` works. */
err_code err_set(err *e, err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with "prefix: " (for adding a file name on the way up). */
void err_prefix(err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Short English name of a code, for logs and tests. */
const char *err_name(err_code code);

#endif
