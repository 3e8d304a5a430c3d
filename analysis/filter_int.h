/* filter_int: the pieces of the filter compiler shared by its files; not a public API.
 *   filter_mem.c    arena and error helpers      filter_lex.c    tokens
 *   filter_time.c   date and date-time literals  filter_parse.c  syntax tree
 *   filter_names.c  name resolution, did-you-mean, completion
 *   filter_check.c  types, tree -> plan          filter_eval.c   plan -> bitmap
 *   filter_costly.c regex, len, tokens per distinct text, on several threads
 *   filter_text.c   error formatting and quoting filter.c        the public calls
 * Everything a compiled filter holds (tokens' strings, the tree, the plan) lives in one
 * arena that is freed at once, so the error paths of the parser and checker need no
 * cleanup. Regexes are the exception: PCRE2 allocates them, so the filter keeps a list. */
#ifndef ANALYSIS_FILTER_INT_H
#define ANALYSIS_FILTER_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"

/* ---- arena ---- */

typedef struct flt_block flt_block;
typedef struct flt_arena {
    flt_block *head; /* owned list of blocks, newest first */
} flt_arena;

/* Zeroed memory valid until flt_arena_done; NULL when out of memory. */
void *flt_arena_alloc(flt_arena *a, size_t size);
/* A NUL-terminated copy of s[0..len); NULL when out of memory. */
char *flt_arena_strndup(flt_arena *a, const char *s, size_t len);
void flt_arena_done(flt_arena *a);

/* ---- diagnostics ---- */

typedef struct flt_diag {
    err *e;            /* borrowed; may be NULL */
    flt_error *where;  /* borrowed; never NULL */
    const char *src;   /* borrowed; the expression */
    size_t srclen;     /* its length: positions are clamped to it */
} flt_diag;

/* Records an error at src[pos..pos+len). */
void flt_vfail(flt_diag *d, err_code code, size_t pos, size_t len, const char *fmt,
               va_list ap) __attribute__((format(printf, 5, 0)));
/* The same, returning code, so that "return flt_fail(...)" reads naturally. Inline so that
 * static analysis sees that an error path never returns E_OK. */
static inline err_code flt_fail(flt_diag *d, err_code code, size_t pos, size_t len,
                                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline err_code flt_fail(flt_diag *d, err_code code, size_t pos, size_t len,
                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    flt_vfail(d, code, pos, len, fmt, ap);
    va_end(ap);
    return code;
}
/* Copies s[0..len) into buf for quoting in a message: at most about 40 characters (then
 * "..."), with control characters and broken UTF-8 shown as '?'. Returns buf. */
const char *flt_snip(const char *s, size_t len, char *buf, size_t size);
#define FLT_SNIP 64 /* a good size for flt_snip buffers */
/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not valid. */
size_t flt_utf8_len(const unsigned char *s, size_t n);

/* ---- tokens ---- */

typedef enum {
    TK_EOF,
    TK_NAME,  /* bare identifier: s is its text */
    TK_QNAME, /* backquoted name: s is the name, `` unescaped */
    TK_NUM,   /* num; s is the source text */
    TK_STR,   /* s[0..slen) unescaped */
    TK_TIME,  /* num = start (epoch seconds), num_end = end of the day for a date */
    TK_REGEX, /* s = pattern as written (escapes kept), rxflags */
    TK_TRUE,
    TK_FALSE,
    TK_AND,
    TK_OR,
    TK_NOT,
    TK_IN,
    TK_BETWEEN,
    TK_EQ,
    TK_NE,
    TK_LT,
    TK_LE,
    TK_GT,
    TK_GE,
    TK_MATCH,
    TK_NMATCH,
    TK_LPAREN,
    TK_RPAREN,
    TK_LBRACE,
    TK_RBRACE,
    TK_LBRACKET,
    TK_RBRACKET,
    TK_COMMA
} flt_tok_type;

typedef struct flt_tok {
    flt_tok_type type;
    size_t pos, len; /* bytes of the expression the token covers */
    const char *s;   /* arena; NUL-terminated (see the types above), NULL for operators */
    size_t slen;
    double num, num_end;
    bool is_day;     /* TK_TIME: a date without a time of day, standing for the whole day */
    bool verbatim;   /* TK_STR: no escapes, so s[i] is the source byte at pos + 1 + i */
    unsigned rxflags;
} flt_tok;

typedef struct flt_lexer {
    const char *src; /* borrowed; the whole expression */
    size_t n, at;    /* length; next byte to read */
    flt_arena *arena;
    flt_diag *d;
} flt_lexer;

/* Reads the next token. A '/' starts a regex only when regex_ok (right after =~ or !~). */
err_code flt_lex_next(flt_lexer *lx, flt_tok *t, bool regex_ok);
/* Whether name[0..len) would lex as one bare identifier that is not a keyword. */
bool flt_is_plain_name(const char *name, size_t len);

/* ---- dates ---- */

#define FLT_DAY 86400.0

/* Parses a date or date-time at the start of s[0..n): YYYY-MM-DD, optionally followed by
 * THH:MM[:SS[.frac]] and Z, +HH:MM, -HH:MM or +HHMM. On success sets *used, *t (epoch
 * seconds, UTC) and *is_day (no time of day given) and returns true; else *why says what
 * is wrong and *used where. */
bool flt_parse_time(const char *s, size_t n, size_t *used, double *t, bool *is_day,
                    const char **why);

/* ---- syntax tree ---- */

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } flt_op;

typedef enum {
    N_OR,      /* kids */
    N_AND,     /* kids */
    N_NOT,     /* a */
    N_CMP,     /* a op b */
    N_IN,      /* a [not] in {kids} */
    N_BETWEEN, /* a [not] between b and c */
    N_MATCH,   /* a =~ tok (neg: !~); tok is TK_REGEX or TK_STR */
    N_NAME,    /* tok: TK_NAME or TK_QNAME */
    N_INDEX,   /* tok[key]: score[spam]; key token in key */
    N_CALL,    /* tok(a): len, tokens, missing */
    N_LIT      /* tok: TK_NUM, TK_STR, TK_TIME, TK_TRUE, TK_FALSE, or TK_NAME as a bare word */
} flt_node_kind;

typedef struct flt_node {
    flt_node_kind kind;
    size_t pos, len;         /* the whole node's span */
    size_t op_pos, op_len;   /* the operator's token */
    flt_op op;
    bool neg;                /* not in, not between, !~ */
    bool in_parens;          /* the node was written in parentheses */
    struct flt_node *a, *b, *c;
    struct flt_node *kids;   /* list through next */
    struct flt_node *next;
    flt_tok tok;
    flt_tok key;
} flt_node;

/* Parses the whole expression into *root (arena). */
err_code flt_parse(const char *src, flt_arena *arena, flt_diag *d, flt_node **root);

/* ---- fields ---- */

typedef enum { FV_NUM, FV_TIME, FV_TEXT, FV_BOOL } flt_vtype;

typedef enum {
    FS_NUMS,    /* a double per row: nums (column, confidence, loss, a score column) */
    FS_SCORE,   /* out_score of class cls (a binary file's single score column) */
    FS_MARGIN,  /* top-1 minus top-2 class score */
    FS_ROW,     /* i + 1 */
    FS_CODES,   /* dictionary codes of a category or text column */
    FS_CLASS,   /* class index per row (label, pred), names r->classes */
    FS_OUTCOME, /* TP, FP, TN, FN computed per row */
    FS_LEN,     /* characters of arg (a coded field) */
    FS_TOKENS,  /* words of arg */
    FS_ERROR,   /* outcome err == OUT_ERROR */
    FS_CORRECT, /* outcome err == OUT_CORRECT */
    FS_MISSING, /* arg is missing */
    FS_TAGS,    /* the row's set of tags (ctx tags) */
    FS_TAGGED,  /* the row has some tag */
    FS_UNTAGGED, /* the row has none */
    FS_ERROR2,  /* ctx compare: the second model's err == OUT_ERROR */
    FS_FIXED,   /* wrong in the outcome, right in the second model */
    FS_BROKEN,  /* right in the outcome, wrong in the second model */
    FS_CATEGORY /* ctx categories: the row has bit catbit */
} flt_src;

typedef struct flt_field {
    flt_src src;
    flt_vtype type;
    const double *nums;          /* borrowed; FS_NUMS */
    const uint32_t *codes;       /* borrowed; FS_CODES and FS_CLASS: per-row code */
    const strdict *dict;         /* borrowed; FS_CODES */
    uint32_t cls;                /* FS_SCORE */
    uint8_t catbit;              /* FS_CATEGORY */
    int col;                     /* column index, -1 for a derived field */
    const struct flt_field *arg; /* FS_LEN, FS_TOKENS, FS_MISSING */
    bool is_column;              /* a column named in the filter, not a derived field */
    const char *name;            /* arena; as written, for messages */
    const char *what;            /* static; "text column", "numeric column", "label", ... */
} flt_field;

/* The distinct values of a coded field (FS_CODES, FS_CLASS, FS_OUTCOME). */
uint32_t flt_code_count(const flt_ctx *c, const flt_field *f);
const char *flt_code_str(const flt_ctx *c, const flt_field *f, uint32_t k, size_t *len);
/* The numeric value of code k (classes of a numeric label), or NAN when there is none. */
double flt_code_value(const flt_ctx *c, const flt_field *f, uint32_t k);
bool flt_is_coded(const flt_field *f);

#define FLT_OUTCOME_TP 0u
#define FLT_OUTCOME_FP 1u
#define FLT_OUTCOME_TN 2u
#define FLT_OUTCOME_FN 3u

/* ---- names ---- */

/* Resolves a name (see filter.h) into a new field in the arena. Derived names only apply
 * to bare names, not backquoted ones. On failure records the error at tok. */
err_code flt_resolve(const flt_ctx *c, flt_arena *a, flt_diag *d, const flt_tok *tok,
                     flt_field **out);
/* NULL when the file has class scores for score[c], else why not. */
const char *flt_scores_unavailable(const flt_ctx *c);
/* Whether name resolves at all (for bare words that may be text values). */
bool flt_name_known(const flt_ctx *c, const char *name, bool quoted);
/* The class index of a key written in score[...], or CLASS_NA. */
uint32_t flt_class_of(const flt_ctx *c, const flt_tok *key);
/* Writes "; did you mean a, b, c?" for the nearest names to name (columns, and derived
 * fields when with_derived), or "" when none is near. */
void flt_suggest(const flt_ctx *c, const char *name, bool with_derived, char *buf, size_t size);

/* ---- plan ---- */

typedef enum {
    PK_CONST,   /* neg ? nothing : everything */
    PK_AND,     /* kids */
    PK_OR,      /* kids */
    PK_NOT,     /* kids */
    PK_EQV,     /* kids == kids->next (neg: !=) */
    PK_TRUTH,   /* bool field f (neg: negated) */
    PK_RANGE,   /* numeric f in lo..hi (neg: not in it, missing still false) */
    PK_IVSET,   /* numeric f in one of iv (neg likewise) */
    PK_CODESET, /* coded f has one of codes (neg likewise) */
    PK_REGEX,   /* coded f matches re (neg: !~) */
    PK_FIELDS,  /* f op g, two numeric, time or text fields */
    PK_TAGMASK  /* the row's tags meet mask (neg: they do not) */
} flt_pkind;

typedef struct flt_iv {
    double lo, hi; /* [lo, hi] or [lo, hi) */
    bool hi_incl;
} flt_iv;

typedef struct flt_plan {
    flt_pkind kind;
    bool neg;
    bool costly;             /* evaluates something per distinct text (regex, len, tokens) */
    struct flt_plan *kids;   /* list through next */
    struct flt_plan *next;
    const flt_field *f, *g;
    flt_op op;               /* PK_FIELDS */
    double lo, hi;           /* PK_RANGE */
    bool lo_incl, hi_incl;
    const flt_iv *iv;        /* PK_IVSET: sorted by lo, disjoint */
    size_t niv;
    const uint32_t *codes;   /* PK_CODESET */
    size_t ncodes;
    const rx *re;            /* PK_REGEX: owned by the filter's regex list */
    uint64_t mask;           /* PK_TAGMASK */
} flt_plan;

typedef struct flt_rxlist {
    rx *re;                  /* owned */
    int col;                 /* column matched, -1 for a derived field */
    bool selects;            /* =~ under an even number of negations */
    struct flt_rxlist *next; /* arena */
} flt_rxlist;

/* Type-checks the tree and builds the plan (arena); compiled regexes are added to *rxs. */
err_code flt_check(const flt_ctx *c, flt_arena *a, flt_diag *d, const flt_node *root,
                   flt_rxlist **rxs, flt_plan **out);

/* The test of a numeric leaf (PK_RANGE, PK_IVSET) on one value, negation and missing
 * values (false) included. */
bool flt_num_test(const flt_plan *p, double v);
/* Characters (UTF-8 code points) of s[0..len), or its words (runs of non-space). */
double flt_measure(const char *s, size_t len, bool words);
/* The costly per-value tests (a regex, a test on len() or tokens()) of leaf p for each of
 * the nc distinct values of its text field, into tab[0..nc); values with need[k] == 0 are
 * skipped (0) when need is not NULL. Runs on several threads when there are many values. */
err_code flt_costly_table(const flt_ctx *c, const flt_plan *p, const uint8_t *need,
                          uint8_t *tab, uint32_t nc, err *e);

/* Evaluates a plan into out (nrows bits); with a mask, only rows in it are exact. */
err_code flt_eval_plan(const flt_ctx *c, const flt_plan *p, const bitmap *mask, bitmap *out,
                       err *e);

#endif
