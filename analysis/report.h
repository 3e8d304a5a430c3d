/* report: writes what faultline found as Markdown (for people) or JSON (for machines) to a
 * stream the caller opened. The JSON keys are a contract other tools parse; add keys, never
 * rename them. Everything written is computed elsewhere; these files only format it. */
#ifndef ANALYSIS_REPORT_H
#define ANALYSIS_REPORT_H

#include <stdio.h>

#include "binning.h"
#include "catslice.h"
#include "categories.h"
#include "cluster.h"
#include "compare.h"
#include "costs.h"
#include "datacheck.h"
#include "drift.h"
#include "fairness.h"
#include "tags.h"
#include "cases.h"
#include "colrank.h"
#include "dataset.h"
#include "err.h"
#include "heatmap.h"
#include "metrics.h"
#include "outcome.h"
#include "roles.h"
#include "search.h"
#include "slice.h"

typedef struct rpt_input {
    const dataset *ds;
    const roles *r;
    const outcome *o;
    const metrics *m;
    const binning *b;
    const slice_table *slices;
    const case_list *worst;
    const srch_result *discovered; /* NULL when the search did not run */
    const char *const *filters;    /* the --filter expressions that made the selection */
    size_t nfilters;
    size_t nselected;              /* rows in the selection (all rows without filters) */
    const col_ranking *rank;       /* which columns matter; NULL to leave it out */
    const heatmap *hm;             /* NULL or !valid to leave it out */
    const clu_result *clusters;    /* NULL when clustering did not run */
    const tag_state *tags;         /* NULL when there is no tag journal */
    const tg_load_report *tag_load; /* what replaying the journal found (with tags) */
    const bitmap *sel;             /* the selection (tag slices); NULL: every row */
    /* The decision sections (report_decisions.h); each NULL when it was not computed. All
     * but the data checks and the category counts (every row) are of the selection. */
    const cmp_result *compare;     /* a second model (--compare, --pred2) */
    const char *compare_a, *compare_b; /* the two models' names in the text */
    const cost_matrix *cost_matrix; /* with cost: the matrix */
    const cost_result *cost;
    const cost_sweep *sweep;       /* binary with scores */
    double current_threshold;      /* the threshold the predictions follow; NAN unknown */
    const cost_selective *selective;
    const drift_result *drift;     /* with a time column */
    const fair_result *fairness;   /* nfairness results, one per --protected column */
    size_t nfairness;
    const dc_result *checks;
    const cat_result *categories;
    const cat_slice *category_slices; /* CAT_COUNT entries, with categories */
    bool next_steps;               /* write the next steps section */
} rpt_input;

typedef struct rpt_opts {
    size_t md_slices;   /* Markdown: at most this many significant slices (default 25) */
    size_t min_support; /* slices with fewer rows are marked small (default 30) */
    double alpha;       /* significance level for the Markdown slice list (default 0.05) */
} rpt_opts;

void rpt_opts_init(rpt_opts *o);
/* E_IO when the stream reports a write error (a full disk, a closed pipe). */
err_code rpt_markdown(FILE *f, const rpt_input *in, const rpt_opts *opt, err *e);
err_code rpt_json(FILE *f, const rpt_input *in, const rpt_opts *opt, err *e);

/* The tag state of the selection's rows as a table for relabelling tools: one record per
 * tagged or noted row, with id, row, label, prediction, tags, note, reviewers and the time of
 * the last change; CSV (RFC 4180, a header line) or JSON lines. E_IO. */
err_code rpt_tags_export(FILE *f, const rpt_input *in, bool jsonl, err *e);

/* Shared by both writers: "label `y`, prediction `p`, ..." describing the chosen roles. */
void rpt_roles_sentence(const rpt_input *in, char *buf, size_t size);

#endif
