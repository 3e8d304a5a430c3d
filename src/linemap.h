/* linemap: physical line numbers for records and byte offsets, found by a rescan.
 * The hot parsing path never counts lines; when a message needs one (a ragged row, a bad
 * cell, malformed quoting) the loader feeds the bytes again through this scanner. It splits
 * records as libcsv does with CSV_STRICT on valid input (quotes pair up, blank lines and
 * lines of spaces are skipped, a record ends at an unquoted CR or LF) but looks only at
 * quotes and line ends, so it runs at memory speed. Past malformed quoting its records may
 * differ from libcsv's, which is harmless: the loader stops at the first such error, whose
 * line (a byte offset's line) needs no record boundaries at all.
 * A line ends at LF, CRLF or a lone CR; lines inside quoted fields count.
 * Record 0 is the first non-blank record of the input (the header). Held by value. */
#ifndef SRC_LINEMAP_H
#define SRC_LINEMAP_H

#include <stdbool.h>
#include <stddef.h>

#define LM_NONE ((size_t)-1)

typedef struct lm_scan {
    unsigned char stop[256]; /* bytes that can change the state: quote, CR, LF */
    unsigned char delim;
    bool quoted;        /* inside a quoted field */
    bool begun;         /* the current record has started */
    bool prev_cr;       /* the last byte was a CR (a following LF ends no extra line) */
    size_t off;         /* absolute offset of the next byte */
    size_t line;        /* physical line of the next byte (1-based) */
    size_t rec;         /* index of the record being read, or of the next one */
    size_t quote_line;  /* line where the current quoted field opened */
    size_t last_quote;  /* offset + 1 of the last quote byte (0: none) */
    const size_t *recs; /* borrowed; record indexes to locate, ascending */
    size_t *rec_lines;  /* borrowed; receives the start line of each (0 = not reached) */
    size_t nrecs, next; /* queries, first unresolved one */
    size_t off_query;   /* an absolute offset to locate, or LM_NONE */
    size_t off_line;    /* its line once reached, else 0 */
    bool to_end;        /* scan to the end even when the queries are answered */
} lm_scan;

/* Starts at absolute offset start (after any byte-order mark), line 1, record 0; a caller
 * that starts at a later record boundary whose line and record index it knows sets
 * s->line and s->rec afterwards. recs/rec_lines may be NULL when nrecs is 0. */
void lm_init(lm_scan *s, char delim, size_t start, const size_t *recs, size_t *rec_lines,
             size_t nrecs, size_t off_query);
/* Scans the next len bytes of the input (which start at s->off). */
void lm_feed(lm_scan *s, const char *buf, size_t len);
/* True when every query is answered, unless to_end was set. */
bool lm_done(const lm_scan *s);
/* Line ends (LF, CRLF or lone CR) in buf, quotes or not; *prev_cr says whether the byte
 * before buf was a CR and receives the same for buf's last byte. Runs at memchr speed. */
size_t lm_count_lines(const char *buf, size_t len, bool *prev_cr);
/* At the end of the input: the line where an unterminated quoted field opened, or 0. */
size_t lm_open_quote_line(const lm_scan *s);

#endif
