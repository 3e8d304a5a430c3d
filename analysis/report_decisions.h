/* report_decisions: the report sections about decisions (issue 7): model comparison, costs,
 * thresholds, selective prediction, drift over time, fairness, data checks and error
 * categories, one writer per section for Markdown (report_decisions_md.c) and one for JSON
 * (report_decisions_json.c). They only format results computed elsewhere and borrow them
 * for the call.
 *
 * JSON writers emit a fragment ',"key":{...}' (fairness: ',"fairness":[...]') to append
 * inside the report object, after its first member; keys are a contract: add, never rename.
 * NAN and infinities are written as null (the +inf threshold, "predict no positive", too);
 * rows are 1-based data rows as everywhere in the report. Markdown writers emit a "## "
 * section. Every writer returns E_IO when the stream reports a write error and E_NOMEM when
 * ordering a table fails. */
#ifndef ANALYSIS_REPORT_DECISIONS_H
#define ANALYSIS_REPORT_DECISIONS_H

#include <stdio.h>

#include "binning.h"
#include "categories.h"
#include "compare.h"
#include "costs.h"
#include "datacheck.h"
#include "dataset.h"
#include "drift.h"
#include "err.h"
#include "fairness.h"
#include "outcome.h"

/* Most threshold and coverage points written to JSON: every point when there are fewer,
 * else evenly spaced ranks that always include the first, the last and the best ones. */
#define RPT_MAX_POINTS 201

/* "compare": counts, McNemar, the paired difference, "slices" (regressed first). The
 * Markdown lists at most max_slices slices that differ significantly. */
err_code rpt_json_compare(FILE *f, const cmp_result *c, const binning *b, err *e);
err_code rpt_md_compare(FILE *f, const cmp_result *c, const binning *b, const char *name_a,
                        const char *name_b, size_t max_slices, err *e);

/* "costs": the matrix, expected cost overall and per slice (Markdown: the max_slices slices
 * with the largest total cost). classes: the outcome's class names. */
err_code rpt_json_costs(FILE *f, const cost_result *c, const cost_matrix *m,
                        const char *const *classes, const binning *b, err *e);
err_code rpt_md_costs(FILE *f, const cost_result *c, const cost_matrix *m,
                      const char *const *classes, const binning *b, size_t max_slices, err *e);

/* "thresholds": the sweep and its best points. current: the threshold the file's predictions
 * used, or NAN when unknown (Markdown compares the cheapest point with it when it is
 * given). */
err_code rpt_json_thresholds(FILE *f, const cost_sweep *s, err *e);
err_code rpt_md_thresholds(FILE *f, const cost_sweep *s, double current, err *e);

/* "selective": the coverage curve and the target point. */
err_code rpt_json_selective(FILE *f, const cost_selective *s, err *e);
err_code rpt_md_selective(FILE *f, const cost_selective *s, err *e);

/* "drift": the buckets of the time dimension with their tests. */
err_code rpt_json_drift(FILE *f, const drift_result *d, const binning *b, err *e);
err_code rpt_md_drift(FILE *f, const drift_result *d, const binning *b, err *e);

/* "fairness": one entry per protected column (n results). classes: the outcome's names. */
err_code rpt_json_fairness(FILE *f, const fair_result *v, size_t n, const binning *b,
                           const char *const *classes, err *e);
err_code rpt_md_fairness(FILE *f, const fair_result *v, size_t n, const binning *b,
                         const char *const *classes, err *e);

/* "data_checks". classes: the outcome's class names (NULL for a regression). */
err_code rpt_json_data_checks(FILE *f, const dc_result *d, const dataset *ds,
                              const binning *b, const char *const *classes, err *e);
err_code rpt_md_data_checks(FILE *f, const dc_result *d, const dataset *ds, const binning *b,
                            const char *const *classes, err *e);

/* "categories": counts over every row and, when sel is given, within the selection. */
err_code rpt_json_categories(FILE *f, const cat_result *c, const bitmap *sel, err *e);
err_code rpt_md_categories(FILE *f, const cat_result *c, const bitmap *sel, err *e);

#endif
