/* journal: the append-only file where review work is kept, one JSON object per line
 * (default FILE.tags.jsonl beside the data file). Every operation is one line, written with
 * one write(2) under an exclusive flock and fsync'ed before jr_append returns, so that:
 *   - a tag the screen confirmed is on disk (it survives kill -9 and power loss);
 *   - several reviewers can append to the same journal at once without interleaving;
 *   - a failed write (full disk, file-size limit) is cut back to the previous end, so the
 *     journal never holds half a line of ours, and earlier lines are never touched.
 * Nothing ever rewrites or truncates earlier lines: replay skips a torn or corrupt line and
 * reports it by line number, and the line stays for a person to inspect.
 *
 * A line: {"key":"id:spam-2:00746","row":2146,"op":"add","tag":"mislabeled","note":null,
 *          "reviewer":"ana","ts":"2026-11-22T08:01:02Z","fp":"9c1e52d0b7a4f316"}
 * key names the row (tags.h makes it), row is the 1-based data row for a person reading the
 * file, op is add, remove or note, fp the fingerprint of the data file. */
#ifndef SRC_JOURNAL_H
#define SRC_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define JR_KEY_MAX 160
#define JR_TAG_MAX 64
#define JR_NAME_MAX 64
#define JR_FP_LEN 16 /* hex digits */

typedef enum { JR_ADD, JR_REMOVE, JR_NOTE } jr_kind;

typedef struct jr_op {
    jr_kind kind;
    char key[JR_KEY_MAX];
    uint64_t row;                /* 1-based data row when written; 0 when absent */
    char tag[JR_TAG_MAX];        /* JR_ADD, JR_REMOVE */
    const char *note;            /* JR_NOTE: the whole note ("" clears it); borrowed */
    char reviewer[JR_NAME_MAX];
    char ts[32];                 /* UTC, ISO 8601 with seconds: 2026-11-22T08:01:02Z */
    char fp[JR_FP_LEN + 1];
} jr_op;

const char *jr_kind_name(jr_kind k);

typedef struct journal journal;

/* Opens (creating it when absent, mode 0644) the journal at path for appending.
 * E_IO naming the path and the reason (a read-only directory, no permission). Owned by the
 * caller (jr_close). */
err_code jr_open(journal **out, const char *path, err *e);
void jr_close(journal *j);
const char *jr_path(const journal *j);

/* Appends one operation: builds the line, then flock, write, fsync, unlock. On any failure
 * (E_IO: ENOSPC, EFBIG, EDQUOT, EIO ...) the partial line is cut off and the message says
 * what happened and that earlier lines are intact. The line's ts is filled when empty. */
err_code jr_append(journal *j, jr_op *op, err *e);

/* What replay found. */
typedef struct jr_replay_report {
    size_t lines;        /* lines read (complete or not) */
    size_t applied;      /* valid operations handed to the callback */
    size_t bad;          /* lines skipped: torn, corrupt or not an operation */
    size_t first_bad[8]; /* line numbers (1-based) of the first bad lines */
    char first_why[160]; /* why the first bad line was skipped */
    bool torn_tail;      /* the last line has no line break (a write was cut short) */
    uint64_t bytes;      /* bytes read: the offset a later refresh starts from */
} jr_replay_report;

/* Reads path from the start and calls apply(ctx, op, line) for every valid line, in file
 * order. A missing file is an empty journal. A line that is torn or does not parse is
 * counted in the report and skipped, never fatal. apply returns E_OK to go on; any other code
 * stops the replay and is returned. E_IO when the file exists but cannot be read. */
typedef err_code (*jr_apply)(void *ctx, const jr_op *op, size_t line, err *e);
err_code jr_replay(const char *path, jr_apply apply, void *ctx, jr_replay_report *rep, err *e);

/* "2 lines skipped (lines 2, 5; line 2: not valid JSON (...))": the skipped lines by number
 * (the first 8, then "..."), and why the first one was. "" when none was skipped. */
void jr_describe_skipped(const jr_replay_report *rep, char *buf, size_t size);

/* Size of the journal file now (0 when absent): a refresh is needed when it grew. */
uint64_t jr_file_size(const char *path);

/* A fingerprint of the data file's bytes (16 hex digits): a 64-bit hash of its size and
 * content read in 1 MiB blocks. Standard input has none ("-" gives "stdin"). E_IO. */
err_code jr_fingerprint(const char *path, char out[JR_FP_LEN + 1], err *e);

/* The current UTC time as 2026-11-22T08:01:02Z. */
void jr_now(char out[32]);

#endif
