/* categories: derived per-row error categories that can become slices and filter terms:
 *   confidently_wrong  an error whose confidence (top-class score) is > 0.8
 *   unsure             confidence < 0.6 (right or wrong: it describes the prediction)
 *   boundary           the two largest class scores differ by < 0.1 (|2p - 1| for a binary
 *                      file with one positive-class score)
 *   rare_class_error   an error whose true class holds < 5% of the labelled rows
 *   outlier            a robust z-score outlier row (datacheck's bitmap)
 * Thresholds are options (cat_opts_init sets the values above; comparisons are strict).
 * Rows with a missing confidence or score fall in no score-based category; regression rows
 * can only be outliers. Categories are bits of one byte per row. cat_result owns its array. */
#ifndef ANALYSIS_CATEGORIES_H
#define ANALYSIS_CATEGORIES_H

#include <stddef.h>
#include <stdint.h>

#include "bitmap.h"
#include "err.h"
#include "outcome.h"

typedef enum {
    CAT_CONF_WRONG,
    CAT_UNSURE,
    CAT_BOUNDARY,
    CAT_RARE_ERROR,
    CAT_OUTLIER,
    CAT_COUNT
} cat_kind;

#define CAT_BIT(k) ((uint8_t)(1u << (k)))

typedef struct cat_opts {
    double confident;  /* confidently wrong above this confidence (0.8) */
    double unsure;     /* unsure below this confidence (0.6) */
    double margin;     /* boundary below this margin (0.1) */
    double rare_share; /* rare class below this share of labelled rows (0.05) */
} cat_opts;

void cat_opts_init(cat_opts *o);

typedef struct cat_result {
    size_t n;                 /* rows */
    uint8_t *bits;            /* owned; n entries, CAT_BIT(kind) set per category */
    size_t count[CAT_COUNT];  /* rows in each category, over every row */
    cat_opts opts;            /* the thresholds used, for the report */
} cat_result;

/* Categorises every row of o. outliers: datacheck's outlier bitmap (NULL: no outlier
 * category; else outliers->nbits == o->n, or E_RANGE). opt NULL uses the defaults. E_NOMEM.
 * r is overwritten and holds no memory on failure. */
err_code cat_compute(cat_result *r, const outcome *o, const bitmap *outliers,
                     const cat_opts *opt, err *e);
void cat_done(cat_result *r);
/* Rows of category k as a new bitmap (bm_done it). E_NOMEM. */
err_code cat_bitmap(const cat_result *r, cat_kind k, bitmap *out, err *e);
/* counts[k] = rows of sel (NULL = all) in category k. */
void cat_count_in(const cat_result *r, const bitmap *sel, size_t counts[CAT_COUNT]);
/* Stable machine names ("confidently_wrong", "unsure", "boundary", "rare_class_error",
 * "outlier") for JSON keys and filter terms, and a short English description. */
const char *cat_name(cat_kind k);
const char *cat_describe(cat_kind k);

#endif
