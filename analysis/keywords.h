/* keywords: which terms set a group of rows apart from a reference group, by the log-odds
 * ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; STATISTICS.md,
 * "Clusters and keywords"). A term is anything counted: a word of a text column, or a
 * `column = level` condition of a tabular row. The caller counts; this file only scores, so
 * the same ranking names text clusters and tabular clusters. */
#ifndef ANALYSIS_KEYWORDS_H
#define ANALYSIS_KEYWORDS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The prior's total weight alpha_0. The prior is the background frequency of each term
 * scaled to this many pseudo-counts: enough to keep a word seen twice in a tiny cluster from
 * topping the list, small next to the counts of a real theme. */
#define KW_ALPHA0 1000.0
/* Fewest occurrences of a term in the group for it to be a keyword. */
#define KW_MIN_COUNT 5

typedef struct kw_score {
    uint32_t term;  /* index into the count arrays */
    double z;       /* delta / sigma: the ranking key */
    double delta;   /* the log-odds ratio, group against reference */
    double count;   /* occurrences in the group */
} kw_score;

typedef struct kw_input {
    size_t nterms;
    const double *group;      /* nterms: occurrences of each term in the group (y_w) */
    const double *reference;  /* nterms: occurrences in the reference rows (y'_w) */
    const double *background; /* nterms: occurrences in the whole corpus (any scale; only
                               * the shares matter); a term with 0 here is never chosen */
    double alpha0;            /* 0 means KW_ALPHA0 */
    double min_count;         /* 0 means KW_MIN_COUNT */
} kw_input;

/* The z-score of one term, from the formula in STATISTICS.md: with a_w = alpha0 * bg_w / sum
 * bg, n_c = sum group, n' = sum reference,
 *   delta = ln((y + a) / (n_c + alpha0 - y - a)) - ln((y' + a) / (n' + alpha0 - y' - a)),
 *   sigma^2 = 1 / (y + a) + 1 / (y' + a),  z = delta / sigma.
 * The sums are passed in so that scoring every term stays linear. */
double kw_z(double y, double n_c, double y_ref, double n_ref, double a_w, double alpha0,
            double *delta);

/* Fills out[0..*nout) with the at most `top` terms of highest z among those with at least
 * min_count occurrences in the group and z > 0 (over-represented), highest first; ties go to
 * the lower term index, so the order is deterministic. Errors: E_NOMEM. */
err_code kw_rank(const kw_input *in, size_t top, kw_score *out, size_t *nout, err *e);

#endif
