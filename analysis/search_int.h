/* search_int: the slice search's internal state, shared by search.c (set-up, level 1,
 * results), search_level.c (levels 2..L), search_pool.c (threads) and search_rank.c
 * (rankings). Not part of the public interface.
 *
 * The search is level-wise. A node is one shape: a set of dimensions d1 < ... < dk, built
 * from its parent node (d1 ... d(k-1)) by one more dimension. Its records are the slices of
 * that shape with at least min_support rows, in the order of (parent's code, bin). A record
 * that is extended to the next level gets an extension code (0..next-1); each row of the
 * selection is then "in" at most one extended record per node, and a node's map turns
 * (parent's extension code, bin of the last dimension) into its own extension code, so the
 * code of a row for any node is a chain of at most L - 1 lookups from its bins. */
#ifndef ANALYSIS_SEARCH_INT_H
#define ANALYSIS_SEARCH_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "search.h"

#define SRCH_NONE UINT32_MAX

/* A dimension that takes part, restricted to its bins that have min_support rows. */
typedef struct srch_sdim {
    uint32_t dim;   /* index into the binning */
    uint32_t nb;    /* supported bins; the code nb means "in no supported bin" */
    uint32_t *bin;  /* owned; nb entries: compact bin -> bin of the binning (ascending) */
    uint16_t *code; /* owned; per selected row: compact bin 0..nb */
} srch_sdim;

/* One evaluated slice. */
typedef struct srch_rec {
    uint32_t n, e; /* rows and errors */
    uint32_t up;   /* extension code of the parent record (level 1: 0) */
    uint32_t ext;  /* own extension code, SRCH_NONE when not extended */
    uint32_t cbin; /* compact bin of the last condition */
    double p;      /* one-sided p against the rest of the selection */
    double pref;   /* significance, level >= 2: largest p of the tests against each parent */
} srch_rec;

/* (parent's extension code, compact bin) -> extension code: a dense table when it is small
 * enough, else an open-addressing hash of the extended records only. */
typedef struct srch_map {
    size_t width;    /* nb + 1 of the node's last dimension */
    uint32_t *dense; /* owned; rows x width, or NULL */
    uint64_t *keys;  /* owned; hash keys (code * width + bin), UINT64_MAX = empty */
    uint32_t *vals;  /* owned; hash values */
    size_t mask;     /* hash slots - 1 */
} srch_map;

typedef struct srch_node {
    uint32_t level;       /* conditions, 1..L */
    uint32_t sd;          /* compact dimension of the last condition */
    uint32_t parent;      /* node index one level up; SRCH_NONE at level 1 */
    uint32_t first_child; /* children (one level down) are contiguous, ascending sd */
    uint32_t nchild;
    size_t nrec;
    srch_rec *rec;     /* owned */
    uint32_t next;     /* extended records */
    uint32_t *ext_rec; /* owned; extension code -> record index */
    srch_map map;      /* owned; empty unless next > 0 */
    double *rp;        /* owned; significance: the parent-test p-values below q_max */
    size_t nrp;
    size_t ntests; /* parent tests of this node's records */
} srch_node;

typedef struct srch_level {
    size_t nnode;
    srch_node *node; /* owned */
} srch_level;

/* Per-thread scratch, reused across levels. */
typedef struct srch_scratch {
    uint32_t *pc;   /* owned; per row: code of the row's record in the prefix node */
    uint32_t *list; /* owned; rows whose code is a record, when they are few */
    uint64_t *hist; /* owned; counts: rows in the low 32 bits, errors in the high ones */
    size_t hist_cap;
} srch_scratch;

typedef struct srch_ctx {
    const srch_opts *opt;
    unsigned L; /* levels searched */
    size_t N, E, minsup;
    double base; /* E / N */
    uint32_t nsd;
    srch_sdim *sd;                       /* owned; dimensions taking part, ascending dim */
    uint8_t *err;                        /* owned; per selected row: 1 for an error */
    srch_level lev[SRCH_MAX_LEVELS + 1]; /* lev[1..L] */
    /* Sliceline: the best scores so far (descending, at most K) and the pruning bar. */
    double *best;
    size_t nbest;
    double bar;
    /* threads, progress and cancellation */
    int nthreads;
    srch_scratch *scratch;   /* owned; nthreads */
    atomic_int stop;         /* set on cancel or failure: workers stop taking items */
    double done_lo, done_hi; /* the fraction of progress of the current phase */
    double done_last;        /* last fraction reported (reports never go back) */
} srch_ctx;

/* search_pool.c: runs fn on items 0..n-1 (taken in the order given, or ascending when order
 * is NULL) on the context's threads; the calling thread takes part and reports progress
 * from done_lo to done_hi. E_CANCEL when the callback asks, else the first error. */
typedef err_code (*srch_item_fn)(srch_ctx *c, void *arg, size_t item, srch_scratch *s);
err_code srch_pool_run(srch_ctx *c, size_t n, const size_t *order, srch_item_fn fn, void *arg);
/* Reports a fraction of progress from the calling thread; E_CANCEL when the callback asks. */
err_code srch_report(srch_ctx *c, double done);

/* search_level.c */
err_code srch_level_run(srch_ctx *c, unsigned k);    /* counts level k >= 2 */
err_code srch_level_extend(srch_ctx *c, unsigned k); /* extension codes and maps */
void srch_node_done(srch_node *nd);
/* The conditions of a record, by walking up its parents: sds[0..level) and cbins. */
void srch_rec_path(const srch_ctx *c, unsigned level, size_t node, size_t rec, uint32_t *sds,
                   uint32_t *cbins);

/* search_rank.c */
double srch_sliceline_score(double alpha, double e, double n, double N, double base);
/* The largest Sliceline score a subset of a slice (n rows, e errors) with at least minsup
 * rows can have. */
double srch_sliceline_bound(double alpha, double e, double n, double N, double base, double minsup);
/* Adds the scores of level k's records to the best ones and moves the pruning bar. */
err_code srch_sliceline_update(srch_ctx *c, unsigned k);
err_code srch_rank_fill(srch_ctx *c, srch_result *out);

#endif
