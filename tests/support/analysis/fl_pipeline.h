/* The analysis pipeline the analysis suites start from: a loaded file with its roles,
 * per-row outcomes and binning, built with default options (test failures on error). */
#ifndef TESTS_FL_PIPELINE_H
#define TESTS_FL_PIPELINE_H

#include "binning.h"
#include "dataset.h"
#include "outcome.h"
#include "roles.h"

typedef struct fl_pipeline {
    dataset *ds; /* owned */
    roles r;
    outcome o;
    binning b;
} fl_pipeline;

/* From CSV text. */
void fl_pipeline_str(fl_pipeline *p, const char *csv);
/* From a dataset already loaded (with options of the test's choosing); takes ownership. */
void fl_pipeline_from(fl_pipeline *p, dataset *ds);
void fl_pipeline_done(fl_pipeline *p);

#endif
