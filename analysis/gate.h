/* gate: release gates over report figures, for CI: `--fail-if 'error_rate > 0.1'`. Each
 * condition is FIGURE OP NUMBER (OP one of < <= > >= == !=); the report fails when any
 * condition holds. Figures are named as in the JSON report where one exists (error_rate,
 * ece, macro_f1, ...), plus summaries made for gating: max_slice_lift (the highest lift among
 * significant, not-small per-column slices of feature columns), significant_slices,
 * discovered_slices, max_discovered_lift, clusters, largest_cluster_share, tagged_rows and
 * tag_<name> (rows holding a tag, '-' written '_'); and those of the decision sections when
 * they were computed: both_right, fixed, new_errors, both_wrong, mcnemar_p, error_rate_b,
 * regressed_slices (a second model); expected_cost (costs); best_threshold (the cheapest,
 * else the F1-best), best_f1, best_cost (binary with scores); coverage_at_target
 * (--target-accuracy; 0 when no threshold reaches it); drift_flags (a time column);
 * dp_difference, eo_difference (the largest over the protected columns), dp_ratio (the
 * smallest), four_fifths_flags; label_issues, duplicate_rows, duplicate_ids, leakage_hints,
 * constant_columns, outlier_rows (data checks); and the error categories' rows in the
 * selection (confidently_wrong, unsure, boundary, rare_class_error, outlier). A figure the report does not have for this
 * file (roc_auc of a multiclass task, rmse of a classifier) is an error, not a pass. */
#ifndef ANALYSIS_GATE_H
#define ANALYSIS_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "report.h"

#define GATE_MAX_FIGURES 192

typedef struct gate_figure {
    char name[80];
    double value;
} gate_figure;

/* The figures of a report input, in a fixed order; returns how many (at most max). */
size_t gate_figures(const rpt_input *in, gate_figure *out, size_t max);

/* Checks cond against the figures. *failed tells whether the condition holds (the gate
 * fails); what gets "error_rate = 0.0289 > 0.01". E_USAGE for a condition that does not parse
 * or names a figure that is unknown or not available here (the message lists the figures). */
err_code gate_check(const char *cond, const gate_figure *fig, size_t nfig, bool *failed,
                    char *what, size_t size, err *e);

#endif
