/* filter: the filter language. An expression is parsed, type-checked against a dataset and
 * its roles, and compiled once into a filter; flt_eval turns it into a row selection (a
 * bitmap). A compiled filter borrows the dataset, roles and outcome given at compile time
 * (they must outlive it), owns everything else, and is immutable: several threads may
 * evaluate the same filter at once.
 *
 * Language
 *   Conditions combine with && (and), || (or), ! (not) and parentheses; ! binds tightest,
 *   then &&, then ||. "! x > 3" negates the whole comparison: !(x > 3). Keywords are
 *   case-insensitive: and, or, not, in, between, true, false.
 *
 *   Comparisons: a == b, != (also <>), <, <=, >, >= (a single = means ==); x in {v1, ...} and
 *   x not in {...}; x between lo and hi (inclusive) and x not between lo and hi;
 *   x =~ /re/flags and x !~ /re/flags (~ alone means =~). Flags: i (caseless), m (^ $ at
 *   line breaks), s (. matches a line break), x (extended). A pattern may also be given as a
 *   quoted string. Patterns are PCRE2 with UTF-8 and Unicode properties. Usually one side is
 *   a field and the other a value; two numeric or time fields, or two text fields with ==
 *   and !=, may also be compared with each other. A value on the left (0.8 < p) is fine.
 *
 *   Fields
 *     column names: identifiers [A-Za-z_][A-Za-z0-9_.]* whose later parts may be joined by
 *       '-' (x.box, education-num, easy-ham-1), or any name in backquotes, with `` for a
 *       backquote (`proba_<=50K`). A name resolves to the column with exactly that name,
 *       then to a derived field below, then to a column whose name differs only in ASCII
 *       case. So a real column named "label" wins over the derived label. A backquoted
 *       name is always a column, never a derived field. Keywords used as column names need
 *       backquotes (`in`).
 *     label, pred      true and predicted class (text; numeric classes also compare with
 *                      numbers); for regression the numeric target and estimate
 *     error, correct   true/false; both are false on rows whose outcome is unknown (label or
 *                      prediction missing); for regression, error means the row fails
 *     confidence       top class score;  margin: top score minus the second one
 *     score[c]         the score of class c (score[spam], score["<=50K"], score[1]); the
 *                      class name is matched exactly, then in any case; score[...] is this
 *                      field even when a column is named score
 *     loss             per-row loss (log loss of the true class, or |error| for regression)
 *     outcome          TP, FP, TN or FN (binary tasks only; case-insensitive values)
 *     row              the 1-based row number in the file (header excluded)
 *     time             the time column found by role detection
 *     tag              the reviewers' tags: tag == "mislabeled" (has it), tag != "x" (has
 *                      not), tag in {a, b} (has one of them); only ==, != and in
 *     tagged, untagged true when the row has some tag / none
 *     note             the reviewer's note (text; missing when there is none)
 *     pred2, error2    a second model's prediction and error (--compare, --pred2), like
 *                      pred and error
 *     fixed, broken    true when the second model corrects the row (wrong, then right) /
 *                      breaks it (right, then wrong); false when either outcome is unknown
 *     confidently_wrong, unsure, boundary, rare_class_error, outlier
 *                      true/false: the row's derived error categories (categories.h)
 *     len(f)           characters (UTF-8 code points) of a text field; tokens(f): words
 *                      (runs of non-space characters); missing(f): true when f is missing
 *
 *   Values: numbers (-1, 2.5, 1e-3); strings in double or single quotes with escapes
 *   \\ \" \' \n \t \r \xHH; true and false; dates 2024-05-01 and date-times
 *   2024-05-01T13:45[:SS[.fff]][Z|+HH:MM|-HH:MM] (UTC when no zone is given). Next to a
 *   time field, a number is epoch seconds and a string is parsed as a date. A bare word
 *   on the right of a comparison with a text field is a text value unless it names a
 *   field (label == spam); in a set, bare words are always values ({easy_ham, spam}).
 *
 * Types. Numeric, time, text and true/false values do not mix: comparing a text column
 * with <, or a numeric column with a string, is an E_TYPE error, and so is a filter that is
 * not a condition (a bare "age"). Numbers compare exactly as doubles. Text compares as
 * bytes (case-sensitive), except outcome. A value that no row has (label == "spma") is
 * valid and selects nothing.
 *
 * Dates. A date-only value stands for the whole day, UTC: "date == 2024-05-01" is any time
 * that day, "date <= 2024-05-01" includes that day, "date > 2024-05-01" starts the next
 * one, and "between 2024-05-01 and 2024-05-31" covers all of May 31. Date-times and
 * numbers are instants.
 *
 * Missing values. A missing cell satisfies no comparison, in, between or =~, and that
 * includes !=, !~, "not in" and "not between" (as SQL's NULL does). To include missing
 * rows, negate the whole condition, !(x == 3), or ask for them with missing(x).
 *
 * Evaluation order. && and || operands run cheap tests first and hand the rows still
 * undecided to the costly ones (regex, len, tokens), which then only examine the distinct
 * texts of those rows. The result does not depend on the order written.
 *
 * Errors. flt_compile reports the first problem in reading order: E_PARSE for syntax and
 * unknown names ("unknown column 'prob_spma'; did you mean prob_spam, prob_ham?"), E_TYPE
 * for type errors, E_REGEX for a pattern PCRE2 rejects, E_NOMEM. *where receives the byte
 * range of the offending part of the expression (len may be 0, e.g. at the end of the
 * input), always within the expression. Any input is safe: nesting deeper than
 * FLT_MAX_DEPTH is an error, not a stack overflow. */
#ifndef ANALYSIS_FILTER_H
#define ANALYSIS_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "dataset.h"
#include "err.h"
#include "outcome.h"
#include "regex.h"
#include "roles.h"
#include "strdict.h"

/* Parentheses and negations nested deeper than this are rejected. */
#define FLT_MAX_DEPTH 200

/* The review state as filters see it (tagview.h builds it from tags.h). The struct is
 * borrowed by compiled filters and read at every evaluation, so a filter on tags follows the
 * tags as they change: its owner updates the fields in place and re-evaluates the filter. */
typedef struct flt_tags {
    size_t ntags;
    const char *const *names;   /* tag i is bit i of a mask */
    const uint32_t *combo;      /* per row: code of the row's set of tags; 0 is no tag */
    const uint64_t *combo_mask; /* per code: the tags of that set */
    const uint32_t *note;       /* per row: code of its note in notes; CODE_NA for none */
    const strdict *notes;
} flt_tags;

/* A second model's predictions of the same rows (compare.h's cmp_second) as filters see
 * them: pred2, error2, fixed, broken. Per-row arrays of ds->nrows entries, borrowed. */
typedef struct flt_compare {
    const uint32_t *yhat;  /* classification: predicted class index, CLASS_NA when missing */
    const double *ypred;   /* regression: the estimate (NAN when missing); else NULL */
    const uint8_t *err;    /* OUT_CORRECT, OUT_ERROR or OUT_UNKNOWN */
    int col;               /* the column pred2 reads (--pred2), -1 for another file */
} flt_compare;

/* What a filter is compiled against; all borrowed and read-only. r and o may be NULL
 * (then label, pred, error, scores and the other derived fields are unavailable); when
 * given, o must have been built from ds and r. tags may be NULL (no tag fields); so may
 * compare (no pred2, error2, fixed, broken) and categories (per row, the CAT_BIT bits of
 * categories.h; NULL: no category fields). Initialise it with designated fields. */
typedef struct flt_ctx {
    const dataset *ds;
    const roles *r;
    const outcome *o;
    const flt_tags *tags;
    const flt_compare *compare;
    const uint8_t *categories;
} flt_ctx;

typedef struct filter filter;

/* The part of the expression an error is about: byte offset and length. */
typedef struct flt_error {
    size_t pos, len;
} flt_error;

/* Parses and checks expr and compiles its regexes. On success *out is a new filter owned
 * by the caller (flt_free). On failure *out is untouched, e and *where (either may be NULL)
 * describe the problem. Cost: linear in the expression, plus one dictionary lookup per
 * text value. */
err_code flt_compile(filter **out, const char *expr, const flt_ctx *ctx, err *e,
                     flt_error *where);

/* Sets bit i of out for each row i that matches, clears the others. out must have been
 * bm_init'd with ctx->ds->nrows bits (else E_RANGE). Errors: E_NOMEM, and E_REGEX when
 * PCRE2 gives up on a text (match limit). Cost: a few passes over the rows' arrays per
 * comparison; text predicates are evaluated once per distinct text, then mapped through
 * the rows' codes. Thread-safe; allocates its scratch per call. */
err_code flt_eval(const filter *f, bitmap *out, err *e);

/* The same restricted to the rows of within (nrows bits; it may be out itself): rows
 * outside it are cleared. Cheaper when within is small and the filter tests text (a regex,
 * len, tokens), since only the distinct texts of those rows are examined: a filter pushed
 * onto a stack can be evaluated within the current selection. */
err_code flt_eval_within(const filter *f, const bitmap *within, bitmap *out, err *e);

/* NULL is a no-op. */
void flt_free(filter *f);

/* Whether the filter reads tags or notes (and so must be evaluated again when they change). */
bool flt_uses_tags(const filter *f);

/* The expression as given to flt_compile (owned by f). */
const char *flt_text(const filter *f);

/* The regexes that select rows (=~, not !~ or negated ones), for highlighting matches in a
 * case's text: writes up to max patterns and the index of the column each one reads (for
 * label and pred, the label or prediction column; -1 when there is none, as for outcome)
 * and returns how many there are, whatever max is. The patterns are borrowed from f. */
size_t flt_regexes(const filter *f, const rx **re, int *col, size_t max);

/* Tab completion: the names that start with prefix (ASCII case-insensitive; a leading
 * backquote in prefix is ignored). Columns come first in file order, then the derived
 * fields this dataset has in a fixed order ("label", "pred", "error", "correct",
 * "confidence", "margin", "score[", "loss", "outcome", "row", "time", the tag, comparison
 * and category fields, "len(", "tokens(", "missing("), without a derived name that a
 * column already takes. Writes up to max borrowed pointers (valid while ctx's data lives)
 * and returns how many names match. Names are raw: quote them with flt_quote_name before
 * inserting. */
size_t flt_complete(const flt_ctx *ctx, const char *prefix, const char **out, size_t max);

/* Formats an error for a terminal or a report as two lines, the expression then a caret
 * line under the offending part followed by the message:
 *     label == "spam" && prob_spma > 0.8
 *                        ^^^^^^^^^ unknown column 'prob_spma'; did you mean prob_spam?
 * Columns count UTF-8 characters; control characters are shown as spaces. Output is
 * truncated to size (always NUL-terminated when size > 0). where may be NULL (no caret). */
void flt_format_error(const char *expr, const err *e, const flt_error *where, char *buf,
                      size_t size);

/* Writes name so that it parses back to the same column: bare when it is a plain ASCII
 * identifier that is not a keyword, else in backquotes with ` doubled. Writes at most size
 * bytes (NUL-terminated when size > 0) and returns the length the whole result needs, as
 * snprintf does; a truncated result does not parse. */
size_t flt_quote_name(const char *name, char *buf, size_t size);
/* Writes s as a double-quoted string literal: \ and " escaped, control characters as \n,
 * \t, \r or \xHH; other bytes (UTF-8) as they are. Same size rules as flt_quote_name. */
size_t flt_quote_string(const char *s, char *buf, size_t size);

#endif
