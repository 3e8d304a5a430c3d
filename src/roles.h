/* roles: decides which column is the label, the prediction, the per-class scores, the id,
 * the text and the time, and what the task is (binary, multiclass, regression).
 * Detection is by name, case-insensitive (label / y_true / target / truth / actual / gold / y;
 * prediction / pred / y_pred / predicted / yhat; prob_<class>, proba_<class>, score_<class>,
 * p_<class>, <class>_prob; a single score / probability / confidence column for the positive
 * class of a binary task; id / row_id / *_id ...), with explicit overrides. Ambiguity or
 * absence is an E_USAGE error that lists the candidates and names the flag that settles it:
 * roles are never guessed silently. */
#ifndef SRC_ROLES_H
#define SRC_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"

typedef enum { TASK_AUTO, TASK_BINARY, TASK_MULTICLASS, TASK_REGRESSION } task_kind;

#define CLASS_NA UINT32_MAX

typedef struct role_opts {
    const char *label, *pred, *id, *time; /* borrowed; column names, NULL = detect */
    const char *text;       /* borrowed; comma-separated column names, NULL = detect */
    const char *score;      /* borrowed; a prefix ("prob_") or comma-separated columns */
    task_kind task;         /* TASK_AUTO = detect */
    const char *positive;   /* borrowed; binary positive class, NULL = the second class */
    double fail_above;      /* regression: a row fails when |error| > this; NAN = p90 */
    const char *pred2;      /* borrowed; a second model's prediction column (--pred2), NULL
                             * for none: it takes the ROLE_PRED role, so it is neither a
                             * prediction candidate nor a feature */
} role_opts;

void role_opts_init(role_opts *o);

typedef struct roles {
    task_kind task;
    int label, pred, id, time; /* column index, -1 when absent (pred: -1 when from scores) */
    int pred2;                 /* role_opts.pred2's column, -1 without one */
    uint32_t nclass;           /* classification: number of classes; 0 for regression */
    char **classes;            /* owned; nclass names in byte order (numeric order when the
                                * label column is numeric) */
    int *score_col;            /* owned; nclass column indexes, -1 for a class with no score
                                * column; NULL when there are no per-class scores */
    int positive_score_col;    /* binary: a single score column for the positive class, or -1 */
    uint32_t positive;         /* binary: index of the positive class; CLASS_NA otherwise */
    bool pred_from_scores;     /* no prediction column: the arg-max of the scores */
    double fail_above;         /* regression threshold (absolute error), filled by analysis
                                * when NAN was asked for */
    strdict *class_dict;       /* owned; class name -> class index */
    double *class_value;       /* owned; numeric value of each class when the label is
                                * numeric (classes then sorted numerically), else NULL */
    char score_desc[128];      /* how scores were matched, for the report ("prob_<class>") */
} roles;

/* Detects roles in ds and records each column's role in ds->cols[i].role.
 * Errors (E_USAGE) list candidates: "several label columns: target, y; use --label COL". */
err_code role_detect(roles *r, dataset *ds, const role_opts *o, err *e);
void role_done(roles *r);
/* The class index of a label or prediction cell, CLASS_NA when missing or not a class. */
uint32_t role_class_of(const roles *r, const dataset *ds, int col, size_t row);
const char *task_name(task_kind t);

#endif
