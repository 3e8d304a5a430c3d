/* nextsteps: turns the report's findings into recommendations, each citing the figures that
 * triggered it. Only findings the inputs establish become steps, by the rules below; a
 * missing input (NULL, NAN) gives no step, never a guess.
 *
 *   kind           rule (every input optional)                                  level
 *   leakage        a feature column whose per-value majority predicts the label    1
 *                  or the error almost perfectly (datacheck's leakage hint)
 *   compare_slice  a slice where the second model's error rate is significantly    1
 *                  higher (cmp_slice.regressed; the 3 first in cmp_order)
 *   compare        McNemar p < alpha overall: the second model is worse (level 1)  1 / 2
 *                  or better (level 2)
 *   drift          the earliest time bucket flagged worse than the ones before     1
 *   fairness       a protected column under the four-fifths ratio                  1
 *   slice          the significant (q < alpha), not-small per-column slice of a     2
 *                  feature column (not a time bucket) with the highest lift > 1
 *   conjunction    the first discovered slice of two or more conditions with        2
 *                  q < alpha and lift > 1
 *   cluster        a cluster whose rows carry one tag at a share >= NS_TAG_SHARE    2
 *                  (at least NS_TAG_MIN rows; the 3 highest shares)
 *   label_issues   confident-learning label-issue candidates                        2
 *   threshold      binary: the cheapest threshold cuts the expected cost by >=      3
 *                  NS_COST_GAIN of the current one (the known current threshold's
 *                  point, else the file's own predictions' cost); without costs, the
 *                  F1-best threshold beats the current one by >= NS_F1_GAIN
 *   calibration    ECE > NS_ECE_MAX                                                3
 *   duplicates     repeated feature rows or repeated ids                           3
 *
 * Level 1: the figures themselves or the choice of model are in question; 2: where the model
 * fails and what to fix; 3: tuning and hygiene. Steps are ordered by level, then by the kind
 * order above, then by the size of the effect (lift, share, ...) within a kind. */
#ifndef ANALYSIS_NEXTSTEPS_H
#define ANALYSIS_NEXTSTEPS_H

#include <stddef.h>
#include <stdio.h>

#include "binning.h"
#include "compare.h"
#include "costs.h"
#include "datacheck.h"
#include "dataset.h"
#include "drift.h"
#include "err.h"
#include "fairness.h"
#include "search.h"
#include "slice.h"

#define NS_ECE_MAX 0.05
#define NS_COST_GAIN 0.05
#define NS_F1_GAIN 0.02
#define NS_TAG_SHARE 0.25
#define NS_TAG_MIN 3
#define NS_MAX_STEPS 32
#define NS_MAX_FIGURES 8

typedef enum {
    NS_LEAKAGE,
    NS_COMPARE_SLICE,
    NS_COMPARE,
    NS_DRIFT,
    NS_FAIRNESS,
    NS_SLICE,
    NS_CONJUNCTION,
    NS_CLUSTER,
    NS_LABEL_ISSUES,
    NS_THRESHOLD,
    NS_CALIBRATION,
    NS_DUPLICATES,
    NS_KIND_COUNT
} ns_kind;

/* How many rows of one cluster carry one tag (report_nextsteps.c counts them from the tag
 * journal; tests make them by hand). */
typedef struct ns_cluster_tag {
    unsigned cluster;   /* 0-based; the report numbers clusters from 1 */
    const char *tag;    /* borrowed */
    size_t tagged;      /* rows of the cluster with the tag */
    size_t size;        /* rows of the cluster */
} ns_cluster_tag;

typedef struct ns_input {
    const binning *b;              /* names slices; needed with slices, discovered, cmp,
                                    * drift, fair */
    const dataset *ds;             /* names leaking columns; needed with dc */
    double alpha;                  /* significance level (0.05) */
    const slice_table *slices;
    const srch_result *discovered;
    double ece;                    /* NAN when unknown */
    const ns_cluster_tag *cluster_tags;
    size_t ncluster_tags;
    const cost_sweep *sweep;
    double current_threshold;      /* NAN when unknown */
    const cost_result *cost;       /* the file's own predictions' expected cost, or NULL */
    const drift_result *drift;
    const fair_result *fair;
    size_t nfair;
    const dc_result *dc;
    const cmp_result *cmp;
    const char *name_b;            /* the second model, as the text names it */
} ns_input;

/* Fills an ns_input with nothing (NULLs and NANs, alpha 0.05). */
void ns_input_init(ns_input *in);

typedef struct ns_figure {
    char name[32];
    double value;
} ns_figure;

typedef struct ns_step {
    ns_kind kind;
    int level;                     /* 1 (first) to 3 */
    double size;                   /* the effect that orders steps of one kind */
    char text[640];                /* one sentence or two, Markdown inline code for names */
    ns_figure fig[NS_MAX_FIGURES];
    size_t nfig;
} ns_step;

typedef struct ns_list {
    size_t len;
    ns_step v[NS_MAX_STEPS];
} ns_list;

/* The steps the inputs support, ordered (see above). At most NS_MAX_STEPS. E_NOMEM when
 * ordering the comparison's slices fails. */
err_code ns_build(const ns_input *in, ns_list *out, err *e);
/* The JSON name of a kind ("leakage", "compare_slice", ...). */
const char *ns_kind_name(ns_kind k);

/* Report writers: Markdown "## Next steps" (a numbered list, or a sentence saying that
 * nothing calls for action) and the JSON fragment ',"next_steps":[{"kind","level","text",
 * "figures":{...}}]'. E_IO on a write error. */
err_code ns_write_md(FILE *f, const ns_list *l, err *e);
err_code ns_write_json(FILE *f, const ns_list *l, err *e);

#endif
