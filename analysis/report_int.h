/* report_int: helpers shared by the report's writers (report_util.c); not a public API.
 * rj_: JSON (NAN and infinities become null, doubles keep full precision, members are
 * separated through a "first" flag); rm_: Markdown (human numbers, safe table cells). */
#ifndef ANALYSIS_REPORT_INT_H
#define ANALYSIS_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

void rj_str(FILE *f, const char *s);
void rj_num(FILE *f, double v);
/* Writes "key": after a comma unless *first. */
void rj_key(FILE *f, const char *k, bool *first);
void rj_kv_num(FILE *f, const char *k, double v, bool *first);
void rj_kv_size(FILE *f, const char *k, size_t v, bool *first);
void rj_kv_bool(FILE *f, const char *k, bool v, bool *first);
/* v NULL writes null. */
void rj_kv_str(FILE *f, const char *k, const char *v, bool *first);

/* 1,234,567 */
const char *rm_thousands(size_t v, char *buf, size_t size);
/* 4 decimals, "–" for NAN */
const char *rm_num(double v, char *buf, size_t size);
/* 12.3%, "–" for NAN */
const char *rm_pct(double v, char *buf, size_t size);
/* 3e-09 when tiny, else 3 significant digits */
const char *rm_pval(double v, char *buf, size_t size);
/* A table cell: pipes escaped, line breaks as spaces, cut after max characters. */
void rm_cell(FILE *f, const char *s, size_t max);

struct rpt_input;
/* The tags section (report_tags.c); nothing when the input has no tags. */
void rpt_md_tags(FILE *f, const struct rpt_input *in);
void rpt_json_tags(FILE *f, const struct rpt_input *in);
/* The decision sections and the next steps (report_nextsteps.c), each only when its result
 * is in the input. E_IO, E_NOMEM. */
struct rpt_opts;
err_code rpt_md_decisions(FILE *f, const struct rpt_input *in, const struct rpt_opts *opt,
                          err *e);
err_code rpt_json_decisions(FILE *f, const struct rpt_input *in, err *e);

#endif
