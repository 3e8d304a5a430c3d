/* A minimal, strict JSON reader for the tests: text in, a tree out, lookups by key, index
 * or path. Everything a jm_parse() returns is freed by one jm_free() on the root. */
#ifndef TESTS_JSON_MINI_H
#define TESTS_JSON_MINI_H

#include <stddef.h>

typedef enum { JM_NULL, JM_BOOL, JM_NUM, JM_STR, JM_ARR, JM_OBJ } jm_type;

typedef struct jm_node jm_node;
struct jm_node {
    jm_type type;
    int boolean;      /* JM_BOOL */
    double num;       /* JM_NUM */
    char *str;        /* JM_STR: owned, NUL-terminated UTF-8 (may hold embedded NULs: see len) */
    size_t len;       /* JM_STR: bytes; JM_ARR / JM_OBJ: number of items */
    jm_node **items;  /* JM_ARR / JM_OBJ: owned children */
    char **keys;      /* JM_OBJ: owned keys, parallel to items */
};

/* Parses a complete JSON text (RFC 8259; surrounding whitespace allowed, nothing else after).
 * Returns NULL on error and, when err is non-NULL, writes "offset N: reason" into it. */
jm_node *jm_parse(const char *text, size_t len, char *err, size_t errlen);
void jm_free(jm_node *n);

/* Lookups; each returns NULL when n is NULL, of the wrong type, or lacks the member. */
const jm_node *jm_get(const jm_node *obj, const char *key);   /* first member with the key */
const jm_node *jm_at(const jm_node *arr, size_t i);
/* Path of keys and indexes: "metrics.accuracy", "confusion.matrix[1][0]", "[0].name". */
const jm_node *jm_path(const jm_node *root, const char *path);
/* Number of items of an array or object, else 0. */
size_t jm_len(const jm_node *n);
/* The number, or NAN when n is not a number. */
double jm_num(const jm_node *n);
/* The string, or NULL when n is not a string. */
const char *jm_str(const jm_node *n);
/* 1 for JSON true or a nonzero number, else 0. */
int jm_is_true(const jm_node *n);
/* Object in array arr whose member key is the string val; NULL when none. */
const jm_node *jm_find(const jm_node *arr, const char *key, const char *val);

#endif
