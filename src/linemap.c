#include "linemap.h"

#include <stdint.h>
#include <string.h>

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero when a byte of w equals the byte repeated in pattern. */
static uint64_t has_byte(uint64_t w, uint64_t pattern)
{
    uint64_t x = w ^ pattern;
    return (x - ONES) & ~x & HIGHS;
}

/* The first quote, CR or LF in u[i..len), or len; eight bytes at a time. */
static size_t skip_plain(const lm_scan *s, const unsigned char *u, size_t i, size_t len)
{
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (has_byte(w, ONES * '"') | has_byte(w, ONES * '\r') | has_byte(w, ONES * '\n'))
            break;
    }
    while (i < len && !s->stop[u[i]])
        i++;
    return i;
}

void lm_init(lm_scan *s, char delim, size_t start, const size_t *recs, size_t *rec_lines,
             size_t nrecs, size_t off_query)
{
    memset(s, 0, sizeof *s);
    s->delim = (unsigned char)delim;
    s->stop['"'] = s->stop['\r'] = s->stop['\n'] = 1;
    s->off = start;
    s->line = 1;
    s->recs = recs;
    s->rec_lines = rec_lines;
    s->nrecs = nrecs;
    s->off_query = off_query;
    for (size_t i = 0; i < nrecs; i++)
        rec_lines[i] = 0;
}

bool lm_done(const lm_scan *s)
{
    return !s->to_end && s->next >= s->nrecs && (s->off_query == LM_NONE || s->off_line);
}

size_t lm_open_quote_line(const lm_scan *s)
{
    return s->quoted ? s->quote_line : 0;
}

/* The current record starts here (at s->line). */
static void record_starts(lm_scan *s)
{
    s->begun = true;
    while (s->next < s->nrecs && s->recs[s->next] <= s->rec) {
        if (s->recs[s->next] == s->rec)
            s->rec_lines[s->next] = s->line;
        s->next++;
    }
}

/* A quote, CR or LF at absolute offset at. */
static void stop_byte(lm_scan *s, unsigned char c, size_t at)
{
    if (c == '"') {
        if (!s->begun)
            record_starts(s);
        if (s->quoted) {
            s->quoted = false;
        } else {
            s->quoted = true;
            if (!(at > 0 && s->last_quote == at)) /* not the second quote of a "" pair */
                s->quote_line = s->line;
        }
        s->last_quote = at + 1;
        s->prev_cr = false;
        return;
    }
    if (!s->quoted && s->begun) {
        s->rec++;
        s->begun = false;
    }
    if (c == '\r' || !s->prev_cr)
        s->line++;
    s->prev_cr = c == '\r';
}

void lm_feed(lm_scan *s, const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len && !lm_done(s)) {
        size_t i0 = i;
        if (s->begun || s->quoted) {
            /* Inside a record only quotes and line ends matter. */
            i = skip_plain(s, u, i, len);
        } else {
            /* Between records: spaces (unless the delimiter) and blank lines are skipped;
             * anything else starts the next record. */
            for (; i < len && !s->stop[u[i]]; i++) {
                if ((u[i] == ' ' || u[i] == '\t') && u[i] != s->delim)
                    continue;
                if (s->off_query != LM_NONE && s->off + i >= s->off_query && !s->off_line)
                    s->off_line = s->line;
                record_starts(s);
                i = skip_plain(s, u, i + 1, len);
                break;
            }
        }
        if (i > i0) {
            s->prev_cr = false;
            if (s->off_query != LM_NONE && !s->off_line && s->off_query >= s->off + i0 &&
                s->off_query < s->off + i)
                s->off_line = s->line;
        }
        if (i == len)
            break;
        if (s->off + i == s->off_query)
            s->off_line = s->line;
        stop_byte(s, u[i], s->off + i);
        i++;
    }
    s->off += i;
}

size_t lm_count_lines(const char *buf, size_t len, bool *prev_cr)
{
    if (len == 0)
        return 0;
    size_t n = 0;
    for (const char *p = buf, *end = buf + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    /* A CR counts unless an LF follows (that LF was counted already). */
    for (const char *p = buf, *end = buf + len; (p = memchr(p, '\r', (size_t)(end - p))); p++)
        n += p + 1 == end || p[1] != '\n';
    /* An LF right after a CR that ended the previous buffer was counted twice. */
    if (*prev_cr && buf[0] == '\n')
        n--;
    *prev_cr = buf[len - 1] == '\r';
    return n;
}
